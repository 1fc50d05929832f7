/* search.h: running a query — ranking profile, default-operator policy,
 * filters, sorting, collapsing, facets, snippets.  A searcher keeps the
 * database open; when a concurrent indexer changes it under a search, the
 * searcher reopens and retries. */
#ifndef DEPECHE_SEARCH_H
#define DEPECHE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"
#include "docdata.h"
#include "query.h"
#include "ranking.h"
#include "snippet.h"

typedef struct dp_searcher dp_searcher;

/* Opens the database at path (a directory, or a stub file listing shards)
 * for searching.  Errors: DP_ERR_NOT_FOUND, DP_ERR_CORRUPT,
 * DP_ERR_VERSION (built with another analyzer). */
dp_status dp_searcher_open(const char *path, dp_searcher **out,
                           dp_error *err);
void dp_searcher_free(dp_searcher *s);
dp_analyzer *dp_searcher_analyzer(dp_searcher *s);

typedef enum dp_sort { DP_SORT_AUTO, DP_SORT_RELEVANCE, DP_SORT_DATE } dp_sort;

#define DP_MAX_FACETS 8

typedef struct dp_request {
	const char *query;
	int literal;              /* words only, no syntax */
	const char *since, *until;/* YYYY[-MM[-DD]] */
	dp_sort sort;
	uint32_t offset, limit;
	int count_only;           /* exact count, no hits */
	int collapse;             /* one hit per story */
	const dp_profile *profile;
	int64_t now;              /* reference time for recency */
	size_t snippet_bytes;     /* 0: no snippets */
	size_t n_facets;
	unsigned facet_slots[DP_MAX_FACETS];
} dp_request;

void dp_request_init(dp_request *r);

typedef struct dp_hit {
	uint32_t docid;
	uint32_t rank;            /* 1-based, counting the offset */
	double score;
	uint32_t collapsed;       /* other versions/copies grouped here */
	dp_docdata doc;
	dp_snippet snippet;       /* from the body */
	dp_snippet headline;      /* the headline, marked */
} dp_hit;

typedef struct dp_facet_value {
	char *value;
	uint32_t count;
} dp_facet_value;

typedef struct dp_facet {
	unsigned slot;
	dp_facet_value *v;
	size_t n;
} dp_facet;

typedef struct dp_result {
	dp_hit *hits;
	size_t n;
	uint32_t total;           /* matching dispatches */
	int total_exact;          /* total is exact (not an estimate) */
	int fallback;             /* all words found too few: best match */
	char parsed[1024];        /* the query as understood */
	dp_facet facets[DP_MAX_FACETS];
	size_t n_facets;
	dp_compiled compiled;     /* terms to highlight etc. */
} dp_result;

dp_status dp_searcher_run(dp_searcher *s, const dp_request *req,
                          dp_result *out, dp_error *err);
void dp_result_release(dp_result *r);

/* Number of live dispatches. */
dp_status dp_searcher_count(dp_searcher *s, uint32_t *n, dp_error *err);

#endif
