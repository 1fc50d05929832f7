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
#include "entities.h"
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
/* The entities used for query expansion and facets (not owned: they
 * must outlive the searcher's searches); NULL for none. */
void dp_searcher_set_entities(dp_searcher *s, const dp_entities *e);
const dp_entities *dp_searcher_entities(const dp_searcher *s);
/* Moves the searcher to the database's latest committed revision (a
 * long-lived reader, such as depeche-serve, calls it before each
 * request, so that it follows the indexer without a restart); *changed
 * (may be NULL) is set when the revision moved.  A search already
 * reopens by itself when the database changes under it. */
dp_status dp_searcher_reopen(dp_searcher *s, int *changed, dp_error *err);
/* The database handle (for dossiers). */
struct dpx_db *dp_searcher_db(dp_searcher *s);

typedef enum dp_sort { DP_SORT_AUTO, DP_SORT_RELEVANCE, DP_SORT_DATE } dp_sort;

#define DP_MAX_FACETS 8

/* What a facet counts: a value of each dispatch, or the entities of a
 * kind named in them. */
typedef enum dp_facet_kind {
	DP_FACET_SOURCE,
	DP_FACET_PLACE,     /* the dateline's place */
	DP_FACET_MONTH,
	DP_FACET_LANG,
	DP_FACET_PERSON,    /* people of entities.yaml named in the text */
	DP_FACET_ORG,       /* organisations */
	DP_FACET_LOCATION,  /* places named in the text */
	DP_FACET_LAST
} dp_facet_kind;

const char *dp_facet_name(dp_facet_kind k);

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
	dp_facet_kind facets[DP_MAX_FACETS];
	const dpx_query *boost;   /* adds to the score of matches, or NULL */
	int correct;              /* correct words the index never saw */
	uint32_t sort_ascending;  /* with DP_SORT_DATE: oldest first */
	int explain;              /* break each hit's score down */
	const char *like;         /* id: dispatches like this one (the query
	                             is then ignored) */
} dp_request;

void dp_request_init(dp_request *r);

/* What made a score: each part's contribution (they add up to the
 * score, "other" holding what is left). */
typedef struct dp_explain {
	double text;        /* the words anywhere in the text */
	double headline;    /* extra for words in the headline */
	double lead;        /* extra for words in the first paragraph */
	double names;       /* names (and entity spellings) */
	double proximity;   /* words next to or near each other */
	double coordination; /* the profile's constant per query word held */
	double recency, urgency, source, weekday, date;
	double other;       /* what the parts leave (expansion terms) */
} dp_explain;

typedef struct dp_hit {
	uint32_t docid;
	uint32_t rank;            /* 1-based, counting the offset */
	double score;
	uint32_t collapsed;       /* other versions/copies grouped here */
	dp_docdata doc;
	dp_snippet snippet;       /* from the body */
	dp_snippet headline;      /* the headline, marked */
	dp_explain explain;       /* with dp_request.explain */
} dp_hit;

typedef struct dp_facet_value {
	char *value;
	uint32_t count;
} dp_facet_value;

typedef struct dp_facet {
	dp_facet_kind kind;
	dp_facet_value *v;        /* by count, then value; months by value */
	size_t n;
} dp_facet;

typedef struct dp_result {
	dp_hit *hits;
	size_t n;
	uint32_t total;           /* matching dispatches */
	int total_exact;          /* total is exact (not an estimate) */
	int fallback;             /* all words found too few: best match */
	uint32_t all_words;       /* with fallback: how many had them all */
	char parsed[1024];        /* the query as understood */
	char suggestion[1024];    /* "did you mean": the query with its
	                             misspelled words corrected, or "" */
	dp_facet facets[DP_MAX_FACETS];
	size_t n_facets;
	dp_compiled compiled;     /* terms to highlight etc. */
	char degraded[512];       /* over remote shards: what ranking was
	                             done otherwise, or "" */
} dp_result;

/* A sharded database (a directory with a stub, see depeche-shards(7)):
 * opens each shard; a remote shard whose server does not answer is
 * DP_ERR_UNAVAILABLE, naming it, unless allow_partial, which searches the
 * others (dp_searcher_left_out names those left out, "" when none).
 * Anything else: as dp_searcher_open. */
dp_status dp_searcher_open_shards(const char *path, int allow_partial,
                                  dp_searcher **out, dp_error *err);
const char *dp_searcher_left_out(const dp_searcher *s);
/* Number of remote shards searched. */
int dp_searcher_remote(const dp_searcher *s);

dp_status dp_searcher_run(dp_searcher *s, const dp_request *req,
                          dp_result *out, dp_error *err);
void dp_result_release(dp_result *r);

/* Number of live dispatches. */
dp_status dp_searcher_count(dp_searcher *s, uint32_t *n, dp_error *err);

#endif
