/* search.c: running queries.  See search.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "index.h"
#include "schema.h"
#include "search.h"
#include "spell.h"
#include "utf8.h"
#include "xapian-shim.h"

#define MAX_RETRIES 5
/* Queries of at most this many words (stop words included) and no
 * question mark are searches; longer ones are sentences or questions
 * (see the fallback). */
#define SHORT_QUERY_WORDS 4

struct dp_searcher {
	dpx_db *db;
	char *path;
	dp_analyzer *an;
	const dp_entities *ents;
	dp_spell_memo memo;       /* corrections made by the current search */
};

void dp_searcher_set_entities(dp_searcher *s, const dp_entities *e)
{
	s->ents = e;
}

const dp_entities *dp_searcher_entities(const dp_searcher *s)
{
	return s->ents;
}

dp_status dp_searcher_reopen(dp_searcher *s, int *changed, dp_error *err)
{
	return dpx_db_reopen(s->db, changed, err);
}

dpx_db *dp_searcher_db(dp_searcher *s)
{
	return s->db;
}

const char *dp_facet_name(dp_facet_kind k)
{
	switch (k) {
	case DP_FACET_SOURCE: return "source";
	case DP_FACET_PLACE: return "place";
	case DP_FACET_MONTH: return "month";
	case DP_FACET_LANG: return "lang";
	case DP_FACET_PERSON: return "person";
	case DP_FACET_ORG: return "organisation";
	case DP_FACET_LOCATION: return "location";
	case DP_FACET_LAST: break;
	}
	return "?";
}

static int facet_slot(dp_facet_kind k, unsigned *slot)
{
	switch (k) {
	case DP_FACET_SOURCE: *slot = DP_SLOT_SOURCE; return 1;
	case DP_FACET_PLACE: *slot = DP_SLOT_PLACE; return 1;
	case DP_FACET_MONTH: *slot = DP_SLOT_MONTH; return 1;
	case DP_FACET_LANG: *slot = DP_SLOT_LANG; return 1;
	default: return 0;
	}
}

static int facet_entity_kind(dp_facet_kind k, dp_entity_kind *ek)
{
	switch (k) {
	case DP_FACET_PERSON: *ek = DP_ENT_PERSON; return 1;
	case DP_FACET_ORG: *ek = DP_ENT_ORG; return 1;
	case DP_FACET_LOCATION: *ek = DP_ENT_PLACE; return 1;
	default: return 0;
	}
}

/* Term sets for the entity facets asked for: group g is entity g. */
static dpx_termsets *entity_sets(const dp_searcher *s, const dp_request *req,
                                 int *any)
{
	*any = 0;
	int want[3] = {0, 0, 0};
	for (size_t f = 0; f < req->n_facets; f++) {
		dp_entity_kind ek;
		if (facet_entity_kind(req->facets[f], &ek)) {
			want[ek] = 1;
			*any = 1;
		}
	}
	if (!*any || !s->ents)
		return NULL;
	dpx_termsets *ts = dpx_termsets_new(DP_PREFIX_NAME);
	if (!ts)
		return NULL;
	for (size_t i = 0; i < dp_entities_count(s->ents); i++) {
		const dp_entity *e = dp_entities_get(s->ents, i);
		if (!want[e->kind])
			continue;
		for (size_t k = 0; k < e->nv; k++) {
			const dp_variant *v = &e->v[k];
			if (!v->names || v->n > 8)
				continue;
			char terms[8][DP_MAX_WORD * 3 + 8];
			const char *tp[8];
			for (size_t j = 0; j < v->n; j++) {
				snprintf(terms[j], sizeof terms[j], "%s%s",
				         DP_PREFIX_NAME, v->words[j]);
				tp[j] = terms[j];
			}
			if (dpx_termsets_add(ts, (unsigned)i, tp, v->n) < 0) {
				dpx_termsets_free(ts);
				return NULL;
			}
		}
	}
	return ts;
}

dp_status dp_searcher_open(const char *path, dp_searcher **out,
                           dp_error *err)
{
	*out = NULL;
	dp_searcher *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	dp_status st = dp_analyzer_new(&s->an, err);
	/* an indexer that commits while we open can discard the revision
	 * being read (DatabaseModifiedError): open again, as a search
	 * retries */
	for (int attempt = 0; st == DP_OK; attempt++) {
		st = dpx_db_open(path, DPX_OPEN_READ, &s->db, err);
		if (st == DP_OK)
			st = dp_index_check_compat(s->db, path,
			                           dp_analyzer_signature(s->an), err);
		if (st != DP_ERR_MODIFIED || attempt >= MAX_RETRIES)
			break;
		dpx_db_free(s->db);
		s->db = NULL;
		st = DP_OK;
	}
	if (st != DP_OK) {
		dp_searcher_free(s);
		return st;
	}
	*out = s;
	return DP_OK;
}

void dp_searcher_free(dp_searcher *s)
{
	if (!s)
		return;
	dpx_db_free(s->db);
	dp_analyzer_free(s->an);
	free(s->path);
	free(s);
}

dp_analyzer *dp_searcher_analyzer(dp_searcher *s)
{
	return s->an;
}

void dp_request_init(dp_request *r)
{
	memset(r, 0, sizeof *r);
	r->limit = 10;
	r->snippet_bytes = 240;
	r->now = (int64_t)time(NULL);
	r->correct = 1;
}

dp_status dp_searcher_count(dp_searcher *s, uint32_t *n, dp_error *err)
{
	return dpx_db_termfreq(s->db, DP_TERM_LIVE, strlen(DP_TERM_LIVE), n,
	                       err);
}

static void release_hits(dp_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		dp_docdata_release(&r->hits[i].doc);
		dp_snippet_release(&r->hits[i].snippet);
		dp_snippet_release(&r->hits[i].headline);
	}
	free(r->hits);
	r->hits = NULL;
	r->n = 0;
	for (size_t f = 0; f < r->n_facets; f++) {
		for (size_t i = 0; i < r->facets[f].n; i++)
			free(r->facets[f].v[i].value);
		free(r->facets[f].v);
		r->facets[f].v = NULL;
		r->facets[f].n = 0;
	}
	r->n_facets = 0;
}

void dp_result_release(dp_result *r)
{
	release_hits(r);
	dp_compiled_release(&r->compiled);
}

/* The profile's boosts, each a query whose weight adds to the score of
 * matching dispatches, tagged with what it is (for --explain). */
enum boost_kind {
	BOOST_RECENCY, BOOST_URGENCY, BOOST_WEEKDAY, BOOST_DATE, BOOST_SOURCE
};
#define MAX_BOOSTS (4 + DP_MAX_SOURCES)

static size_t boost_parts(const dp_profile *p, int64_t now,
                          const dp_compiled *cq, dpx_query **parts,
                          enum boost_kind *kind, int *failed)
{
	unsigned weekdays = cq->weekdays;
	size_t np = 0;
	*failed = 0;
	dpx_boost_params b;
	if (p->recency_weight > 0) {
		memset(&b, 0, sizeof b);
		b.date_slot = DP_SLOT_TIME;
		b.now = now;
		b.recency_weight = p->recency_weight;
		b.half_life_days = p->half_life_days;
		b.urgency_slot = DP_SLOT_URGENCY;
		kind[np] = BOOST_RECENCY;
		if (!(parts[np++] = dpx_query_boost(&b)))
			goto nomem;
	}
	int urgency = 0;
	for (int u = 0; u <= 9; u++)
		if (p->urgency[u] > 0)
			urgency = 1;
	if (urgency) {
		memset(&b, 0, sizeof b);
		b.date_slot = DP_SLOT_TIME;
		b.urgency_slot = DP_SLOT_URGENCY;
		for (int u = 0; u <= 9; u++)
			b.urgency_weight[u] = p->urgency[u];
		kind[np] = BOOST_URGENCY;
		if (!(parts[np++] = dpx_query_boost(&b)))
			goto nomem;
	}
	if (weekdays && p->weekday_weight > 0) {
		/* "mardi": dispatches of a Tuesday, and a little those of
		 * the Wednesday after (reported the day after) */
		double w[7] = {0, 0, 0, 0, 0, 0, 0};
		for (int d = 0; d < 7; d++)
			if (weekdays & (1u << d)) {
				w[d] = p->weekday_weight;
				if (w[(d + 1) % 7] < p->weekday_weight / 2)
					w[(d + 1) % 7] = p->weekday_weight / 2;
			}
		kind[np] = BOOST_WEEKDAY;
		if (!(parts[np++] = dpx_query_weekday(DP_SLOT_DAY, w)))
			goto nomem;
	}
	if (cq->n_dates && p->date_weight > 0) {
		/* "3 décembre": dispatches of that date, and a little those of
		 * the day after */
		kind[np] = BOOST_DATE;
		if (!(parts[np++] = dpx_query_dates(DP_SLOT_DAY, cq->dates,
		                                    cq->n_dates, p->date_weight)))
			goto nomem;
	}
	/* a source boost goes to the dispatches whose source has the name
	 * as a word ("AFP" weighs "Orange avec AFP"), case and accents
	 * aside, like the source: filter */
	for (size_t i = 0; i < p->n_sources; i++) {
		if (p->source_weights[i] <= 0)
			continue;
		char term[64 * 3 + 8];
		size_t pl = strlen(DP_PREFIX_SOURCE);
		memcpy(term, DP_PREFIX_SOURCE, pl);
		size_t tl = pl + dp_utf8_fold(p->source_names[i],
		                              strlen(p->source_names[i]), term + pl);
		dpx_query *v[2] = {dpx_query_fixed_weight(p->source_weights[i]),
		                   dpx_query_term(term, tl, 1, 0)};
		dpx_query *f = v[0] && v[1]
		                   ? dpx_query_combine(DPX_OP_FILTER, v, 2, 0)
		                   : NULL;
		dpx_query_free(v[0]);
		dpx_query_free(v[1]);
		kind[np] = BOOST_SOURCE;
		if (!(parts[np++] = f))
			goto nomem;
	}
	return np;
nomem:
	*failed = 1;
	return np;
}

/* Adds the profile's boosts to q (AND_MAYBE: they never add matches). */
static dpx_query *with_boosts(dpx_query *q, const dp_profile *p, int64_t now,
                              const dp_compiled *cq, dp_error *err,
                              dp_status *st)
{
	dpx_query *parts[MAX_BOOSTS];
	enum boost_kind kind[MAX_BOOSTS];
	int failed;
	size_t np = boost_parts(p, now, cq, parts, kind, &failed);
	dpx_query *boost = NULL, *r = NULL;
	if (!failed && np) {
		boost = dpx_query_combine(DPX_OP_OR, parts, np, 0);
		dpx_query *v[2] = {q, boost};
		r = boost ? dpx_query_combine(DPX_OP_AND_MAYBE, v, 2, 0) : NULL;
	}
	for (size_t i = 0; i < np; i++)
		dpx_query_free(parts[i]);
	dpx_query_free(boost);
	if (failed || (np && !r)) {
		*st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		return q;
	}
	if (!np)
		return q;
	dpx_query_free(q);
	return r;
}

typedef struct facet_ctx {
	dp_facet *f;
	int failed;
} facet_ctx;

static int facet_cb(void *ctx, const char *value, size_t len, uint32_t count)
{
	facet_ctx *fc = ctx;
	dp_facet *f = fc->f;
	dp_facet_value *nv = realloc(f->v, (f->n + 1) * sizeof *nv);
	if (!nv) {
		fc->failed = 1;
		return 1;
	}
	f->v = nv;
	f->v[f->n].value = strndup(value, len);
	if (!f->v[f->n].value) {
		fc->failed = 1;
		return 1;
	}
	f->v[f->n].count = count;
	f->n++;
	return 0;
}

static int cmp_facet_value(const void *a, const void *b)
{
	const dp_facet_value *x = a, *y = b;
	return strcmp(x->value, y->value);
}

static int cmp_facet(const void *a, const void *b)
{
	const dp_facet_value *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* With --collapse, a story shows its latest dispatch among those that
 * match: replaces hit i's docid and data when a newer member exists. */
static dp_status latest_of_story(dp_searcher *s, dpx_mset *m, uint32_t i,
                                 const dpx_query *q, uint32_t *docid,
                                 char **data, size_t *len, dp_error *err)
{
	char *story = NULL;
	size_t sl = 0;
	dp_status st = dpx_mset_value(m, i, DP_SLOT_STORY, &story, &sl, err);
	if (st != DP_OK || !story || !*story) {
		free(story);
		return st;
	}
	size_t tl = strlen(DP_PREFIX_STORY) + sl;
	char *term = malloc(tl + 1);
	if (!term) {
		free(story);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	snprintf(term, tl + 1, "%s%s", DP_PREFIX_STORY, story);
	free(story);
	dpx_query *t = dpx_query_term(term, tl, 1, 0);
	free(term);
	dpx_query *v[2] = {(dpx_query *)q, t};
	dpx_query *f = t ? dpx_query_combine(DPX_OP_FILTER, v, 2, 0) : NULL;
	dpx_query_free(t);
	if (!f)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dpx_search_params sp;
	dpx_search_params_init(&sp);
	sp.limit = 1;
	sp.sort_by_value = 1;
	sp.sort_slot = DP_SLOT_TIME;
	sp.sort_reverse = 1;
	dpx_mset *lm = NULL;
	st = dpx_search(s->db, f, &sp, &lm, err);
	dpx_query_free(f);
	if (st == DP_OK && dpx_mset_size(lm) == 1
	    && dpx_mset_docid(lm, 0) != *docid) {
		char *d2 = NULL;
		size_t l2 = 0;
		st = dpx_mset_data(lm, 0, &d2, &l2, err);
		if (st == DP_OK) {
			free(*data);
			*data = d2;
			*len = l2;
			*docid = dpx_mset_docid(lm, 0);
		}
	}
	dpx_mset_free(lm);
	return st;
}

/* One search with a compiled query: fills hits, counts and facets. */
static dp_status run_once(dp_searcher *s, const dp_request *req,
                          const dpx_query *q, int has_text, dp_result *out,
                          dp_error *err)
{
	dpx_search_params sp;
	dpx_search_params_init(&sp);
	dp_profile_search_params(req->profile, &sp);
	sp.offset = req->offset;
	sp.limit = req->count_only ? 0 : req->limit;
	uint32_t doccount = 0;
	dp_status st = dpx_db_doccount(s->db, &doccount, err);
	if (st != DP_OK)
		return st;
	/* exact counts when asked for and for facets; otherwise exact up
	 * to a thousand matches, which costs little */
	if (req->count_only || req->n_facets)
		sp.check_at_least = doccount;
	else
		sp.check_at_least = req->offset + req->limit > 1000
		                        ? req->offset + req->limit : 1000;
	dp_sort sort = req->sort;
	if (sort == DP_SORT_AUTO)
		sort = has_text ? DP_SORT_RELEVANCE : DP_SORT_DATE;
	if (sort == DP_SORT_DATE) {
		sp.sort_by_value = 1;
		sp.sort_slot = DP_SLOT_TIME;
		sp.sort_reverse = !req->sort_ascending;
	}
	if (req->collapse) {
		sp.collapse = 1;
		sp.collapse_slot = DP_SLOT_STORY;
	}
	unsigned slots[DP_MAX_FACETS];
	size_t nslots = 0;
	for (size_t f = 0; f < req->n_facets; f++)
		if (facet_slot(req->facets[f], &slots[nslots]))
			nslots++;
	sp.n_facets = nslots;
	sp.facet_slots = slots;
	int any_entities = 0;
	dpx_termsets *ts = entity_sets(s, req, &any_entities);
	if (any_entities && s->ents && !ts)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	sp.groups = ts;
	dpx_mset *m = NULL;
	st = dpx_search(s->db, q, &sp, &m, err);
	if (st != DP_OK) {
		dpx_termsets_free(ts);
		return st;
	}
	uint32_t lower, est, upper;
	dpx_mset_counts(m, &lower, &est, &upper);
	out->total = est;
	out->total_exact = lower == upper;
	if (out->total_exact)
		out->total = lower;
	uint32_t n = dpx_mset_size(m);
	out->hits = n ? calloc(n, sizeof *out->hits) : NULL;
	if (n && !out->hits) {
		dpx_mset_free(m);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	for (uint32_t i = 0; i < n && st == DP_OK; i++) {
		dp_hit *h = &out->hits[i];
		h->docid = dpx_mset_docid(m, i);
		h->rank = req->offset + i + 1;
		h->score = dpx_mset_weight(m, i);
		h->collapsed = req->collapse ? dpx_mset_collapse_count(m, i) : 0;
		char *data = NULL;
		size_t len = 0;
		st = dpx_mset_data(m, i, &data, &len, err);
		if (st == DP_OK && h->collapsed)
			st = latest_of_story(s, m, i, q, &h->docid, &data, &len,
			                     err);
		if (st == DP_OK)
			st = dp_docdata_decode(data, len, &h->doc, err);
		free(data);
		if (st == DP_OK)
			out->n = i + 1;
		if (st == DP_OK && req->snippet_bytes) {
			st = dp_snippet_make(s->an, h->doc.text, h->doc.text_len,
			                     &out->compiled.terms,
			                     &out->compiled.names,
			                     req->snippet_bytes, 0, &h->snippet, err);
			const char *hl = h->doc.headline ? h->doc.headline : "";
			if (st == DP_OK)
				st = dp_snippet_make(s->an, hl, strlen(hl),
				                     &out->compiled.terms,
				                     &out->compiled.names, 0, 1,
				                     &h->headline, err);
		}
	}
	size_t nent = dp_entities_count(s->ents);
	uint32_t *gc = ts && nent ? calloc(nent, sizeof *gc) : NULL;
	if (ts && nent && !gc)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	if (gc)
		dpx_mset_group_counts(m, gc, nent);
	size_t k = 0;  /* index among value facets */
	for (size_t f = 0; st == DP_OK && f < req->n_facets; f++) {
		dp_facet *fa = &out->facets[f];
		fa->kind = req->facets[f];
		out->n_facets = f + 1;
		facet_ctx fc = {fa, 0};
		unsigned slot;
		dp_entity_kind ek;
		if (facet_slot(fa->kind, &slot)) {
			st = dpx_mset_facets(m, k++, facet_cb, &fc, err);
		} else if (gc && facet_entity_kind(fa->kind, &ek)) {
			for (size_t i = 0; i < nent && !fc.failed; i++) {
				const dp_entity *e = dp_entities_get(s->ents, i);
				if (e->kind == ek && gc[i])
					facet_cb(&fc, e->name, strlen(e->name), gc[i]);
			}
		}
		if (st == DP_OK && fc.failed)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		if (st == DP_OK && fa->n > 1)
			qsort(fa->v, fa->n, sizeof *fa->v,
			      fa->kind == DP_FACET_MONTH ? cmp_facet_value
			                                 : cmp_facet);
	}
	free(gc);
	dpx_termsets_free(ts);
	dpx_mset_free(m);
	return st;
}

/* Builds the tree for a request: the query and the --since/--until range. */
static dp_status request_tree(const dp_request *req, dp_qnode **tree,
                              dp_error *err)
{
	*tree = NULL;
	dp_status st = req->literal ? dp_query_parse_literal(req->query, tree,
	                                                     err)
	                            : dp_query_parse(req->query, tree, err);
	if (st != DP_OK)
		return st;
	if (req->since || req->until) {
		dp_qnode *d;
		st = dp_query_date_node(req->since, req->until, &d, err);
		if (st != DP_OK) {
			dp_qnode_free(*tree);
			*tree = NULL;
			return st;
		}
		dp_qnode *both = dp_qnode_and(*tree, d);
		if (!both) {
			*tree = NULL;
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		/* keep the user's query an implicit group of its own */
		*tree = both;
	}
	return DP_OK;
}

typedef struct expand_ctx {
	dp_analyzer *an;
	dpx_query **v;
	size_t n, cap;
	double max;
	int failed;
	dp_compiled *record;   /* when set, terms are kept to highlight */
	dpx_db *db;            /* when set, terms must be in 2+ dispatches */
} expand_ctx;

/* Expansion terms: words of the text (no prefix), not stop words, not
 * numbers, three letters or more. */
static int accept_term(void *ctx, const char *t, size_t len)
{
	expand_ctx *e = ctx;
	if (len < 3 || len > 60 || !(t[0] >= 'a' && t[0] <= 'z'))
		return 0;
	char w[64];
	memcpy(w, t, len);
	w[len] = '\0';
	return !dp_analyzer_is_stopword(e->an, w);
}

static void add_eterm(void *ctx, const char *t, size_t len, double weight)
{
	expand_ctx *e = ctx;
	if (e->failed || e->n == e->cap)
		return;
	if (weight > e->max)
		e->max = weight;
	dpx_query *q = dpx_query_term(t, len, 1, 0);
	dpx_query *s = q ? dpx_query_scale(q, weight) : NULL;
	dpx_query_free(q);
	if (!s) {
		e->failed = 1;
		return;
	}
	e->v[e->n++] = s;
	if (e->record) {
		char w[256];
		size_t pl = strlen(DP_PREFIX_NAME);
		int name = len > pl && !memcmp(t, DP_PREFIX_NAME, pl);
		size_t off = name ? pl : 0;
		snprintf(w, sizeof w, "%.*s", (int)(len - off), t + off);
		if (dp_strset_add(name ? &e->record->names : &e->record->terms, w)
		    < 0)
			e->failed = 1;
	}
}

/* Pseudo-relevance feedback: the best terms of the first results, added
 * to q (AND_MAYBE: the same matches, reordered). */
static dpx_query *expanded(dp_searcher *s, const dp_request *req,
                           const dp_result *first, dpx_query *q,
                           dp_error *err, dp_status *st)
{
	const dp_profile *p = req->profile;
	size_t nd = first->n < p->expand_docs ? first->n : p->expand_docs;
	if (!nd || p->expand_weight <= 0)
		return q;
	uint32_t ids[64];
	for (size_t i = 0; i < nd; i++)
		ids[i] = first->hits[i].docid;
	expand_ctx e = {s->an, NULL, 0, p->expand_terms, 0, 0, NULL, NULL};
	e.v = calloc(e.cap, sizeof *e.v);
	if (!e.v) {
		*st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		return q;
	}
	*st = dpx_expand(s->db, ids, nd, e.cap, accept_term, add_eterm, &e,
	                 err);
	dpx_query *r = q;
	if (*st == DP_OK && !e.failed && e.n) {
		dpx_query *x = dpx_query_combine(DPX_OP_OR, e.v, e.n, 0);
		/* the best term weighs expand_weight */
		dpx_query *xs = x ? dpx_query_scale(x, p->expand_weight / e.max)
		                  : NULL;
		dpx_query_free(x);
		dpx_query *v[2] = {q, xs};
		r = xs ? dpx_query_combine(DPX_OP_AND_MAYBE, v, 2, 0) : NULL;
		dpx_query_free(xs);
		if (r)
			dpx_query_free(q);
		else
			r = q;
	}
	for (size_t i = 0; i < e.n; i++)
		dpx_query_free(e.v[i]);
	free(e.v);
	return r;
}

static dp_status search_attempt(dp_searcher *s, const dp_request *req,
                                const dp_qnode *tree, dp_result *out,
                                dp_error *err)
{
	int implicit_or = 0;
	for (;;) {
		dp_compiled_release(&out->compiled);
		release_hits(out);
		dp_compile_env env = {s->an, req->profile, s->ents, s->db,
		                      req->correct, DP_PART_ALL, &s->memo};
		dp_status st = dp_query_compile(tree, &env, implicit_or,
		                                &out->compiled, err);
		if (st != DP_OK)
			return st;
		dpx_query *q = dpx_query_clone(out->compiled.q);
		if (!q)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		if (out->compiled.has_text && !req->count_only)
			q = with_boosts(q, req->profile, req->now,
			                &out->compiled, err, &st);
		if (st == DP_OK && req->boost && !req->count_only) {
			dpx_query *v[2] = {q, (dpx_query *)req->boost};
			dpx_query *b = dpx_query_combine(DPX_OP_AND_MAYBE, v, 2, 0);
			dpx_query_free(q);
			q = b;
			if (!q)
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "out of memory");
		}
		if (st == DP_OK)
			st = run_once(s, req, q, out->compiled.has_text, out, err);
		if (st == DP_OK && req->profile->expand_docs && out->n
		    && out->compiled.has_text && !req->count_only) {
			/* again, with the terms of the first results */
			q = expanded(s, req, out, q, err, &st);
			if (st == DP_OK) {
				release_hits(out);
				st = run_once(s, req, q, 1, out, err);
			}
		}
		dpx_query_free(q);
		if (st != DP_OK)
			return st;
		const dp_profile *p = req->profile;
		/* too few dispatches with all the words: the best matches
		 * instead; a short query (what people type) only when none
		 * has them all, a longer one (a sentence, a question) when
		 * fewer than min_results do */
		int sentence = out->compiled.n_typed > SHORT_QUERY_WORDS
		               || strchr(req->query, '?');
		uint32_t enough = sentence ? p->min_results : 1;
		if (!implicit_or && p->default_and && p->fallback_or
		    && out->compiled.n_implicit > 0 && out->compiled.has_text
		    && out->total < enough) {
			out->all_words = out->total;
			implicit_or = 1;
			out->fallback = 1;
			continue;
		}
		return DP_OK;
	}
}

/* --explain: each hit's score broken down.  Weights add up in Xapian
 * (OR, AND and AND_MAYBE sum their parts), so each part is the score the
 * hit gets from the same query compiled with that part's weights alone,
 * in best-match mode so that the hit matches it.  Without a tree (--like,
 * which has no boosts) the whole score is text.  What the parts do not explain
 * (pseudo-relevance feedback) is "other". */
static dp_status explain_hits(dp_searcher *s, const dp_request *req,
                              const dp_qnode *tree, dp_result *out,
                              dp_error *err)
{
	const dp_profile *p = req->profile;
	dpx_search_params sp;
	dpx_search_params_init(&sp);
	dp_profile_search_params(p, &sp);
	dpx_query *cq[DP_PART_N] = {NULL};
	dp_status st = DP_OK;
	for (int k = DP_PART_TEXT; tree && st == DP_OK && k < DP_PART_N; k++) {
		if ((k == DP_PART_PROXIMITY && p->phrase_boost <= 0
		     && p->near_boost <= 0)
		    || (k == DP_PART_COORDINATION && p->coordination <= 0))
			continue;
		dp_compiled c;
		dp_compile_env env = {s->an, p, s->ents, s->db, req->correct,
		                      (dp_score_part)k, &s->memo};
		st = dp_query_compile(tree, &env, 1, &c, err);
		if (st == DP_OK) {
			cq[k] = dpx_query_clone(c.q);
			if (!cq[k])
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			dp_compiled_release(&c);
		}
	}
	dpx_query *parts[MAX_BOOSTS];
	enum boost_kind kind[MAX_BOOSTS];
	int failed = 0;
	/* --like has no boosts: its score is all its terms' */
	size_t np = st == DP_OK && tree
	                ? boost_parts(p, req->now, &out->compiled, parts, kind,
	                              &failed)
	                : 0;
	if (failed)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t i = 0; st == DP_OK && i < out->n; i++) {
		dp_hit *h = &out->hits[i];
		dp_explain *x = &h->explain;
		memset(x, 0, sizeof *x);
		double *slot[DP_PART_N] = {
		    [DP_PART_TEXT] = &x->text, [DP_PART_HEADLINE] = &x->headline,
		    [DP_PART_LEAD] = &x->lead, [DP_PART_NAMES] = &x->names,
		    [DP_PART_PROXIMITY] = &x->proximity,
		    [DP_PART_COORDINATION] = &x->coordination};
		double sum = 0;
		for (int k = DP_PART_TEXT; st == DP_OK && k < DP_PART_N; k++) {
			if (!cq[k])
				continue;
			int matched;
			st = dpx_score_doc(s->db, cq[k], &sp, h->docid, slot[k],
			                   &matched, err);
			sum += *slot[k];
		}
		for (size_t b = 0; st == DP_OK && b < np; b++) {
			double w = 0;
			int matched;
			st = dpx_score_doc(s->db, parts[b], &sp, h->docid, &w, &matched,
			                   err);
			switch (kind[b]) {
			case BOOST_RECENCY: x->recency += w; break;
			case BOOST_URGENCY: x->urgency += w; break;
			case BOOST_WEEKDAY: x->weekday += w; break;
			case BOOST_DATE: x->date += w; break;
			case BOOST_SOURCE: x->source += w; break;
			}
			sum += w;
		}
		double rest = h->score - sum;
		if (rest < 1e-9 && rest > -1e-9)
			rest = 0;
		if (tree)
			x->other = rest;
		else
			x->text = rest;
	}
	for (int k = 0; k < DP_PART_N; k++)
		dpx_query_free(cq[k]);
	for (size_t b = 0; b < np; b++)
		dpx_query_free(parts[b]);
	return st;
}

/* "Did you mean": the query with each corrected word replaced by the
 * indexed word as the dispatches write it. */
static void make_suggestion(dp_searcher *s, const dp_request *req,
                            dp_result *out)
{
	const dp_compiled *c = &out->compiled;
	if (!c->corr_word.n)
		return;
	char buf[sizeof out->suggestion];
	snprintf(buf, sizeof buf, "%s", req->query);
	for (size_t i = 0; i < c->corr_word.n && i < c->corr_term.n; i++) {
		char surface[256];
		const char *term = c->corr_term.v[i];
		if (c->corr_names & (1u << i)) {
			/* a name: capitalised */
			snprintf(surface, sizeof surface, "%s", term);
			if (surface[0] >= 'a' && surface[0] <= 'z')
				surface[0] = (char)(surface[0] - 'a' + 'A');
		} else if (!dp_spell_surface(s->db, s->an, term, surface,
		                             sizeof surface)) {
			snprintf(surface, sizeof surface, "%s", term);
		}
		const char *w = c->corr_word.v[i];
		char *at = strstr(buf, w);
		if (!at)
			continue;
		size_t wl = strlen(w), sl = strlen(surface), bl = strlen(buf);
		if (bl - wl + sl + 1 > sizeof buf)
			continue;
		memmove(at + sl, at + wl, bl - (size_t)(at - buf) - wl + 1);
		memcpy(at, surface, sl);
	}
	snprintf(out->suggestion, sizeof out->suggestion, "%s", buf);
}

/* More like this: terms of the text and names that best tell the
 * dispatch apart (Xapian's ESet: stop words, numbers and the very
 * frequent left out), dispatches of its own story excluded. */
#define LIKE_TERMS 25

static int accept_like(void *ctx, const char *t, size_t len)
{
	expand_ctx *e = ctx;
	int name = len > 4 && !memcmp(t, DP_PREFIX_NAME, strlen(DP_PREFIX_NAME));
	if (!name && !accept_term(ctx, t, len))
		return 0;
	/* a term only this dispatch has finds nothing else */
	uint32_t tf = 0;
	dp_error err = {0};
	if (dpx_db_termfreq(e->db, t, len, &tf, &err) != DP_OK)
		return 0;
	return tf >= 2;
}

static dp_status run_like(dp_searcher *s, const dp_request *req,
                          dp_result *out, dp_error *err)
{
	size_t il = strlen(req->like);
	char *idterm = malloc(il + 2);
	if (!idterm)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	idterm[0] = DP_PREFIX_ID[0];
	memcpy(idterm + 1, req->like, il + 1);
	uint32_t docid = 0;
	dp_status st = dpx_db_find_term(s->db, idterm, &docid, err);
	char *story = NULL;
	size_t sl = 0;
	if (st == DP_OK && docid)
		st = dpx_db_doc_value(s->db, docid, DP_SLOT_STATUS, &story, &sl,
		                      err);
	if (st == DP_OK && (!docid || (story && (!strcmp(story, "canceled")
	                                        || !strcmp(story, "withheld")))))
		st = dp_error_set(err, DP_ERR_NOT_FOUND,
		                  "no dispatch with id '%s'", req->like);
	free(story);
	story = NULL;
	if (st == DP_OK)
		st = dpx_db_doc_value(s->db, docid, DP_SLOT_STORY, &story, &sl,
		                      err);
	expand_ctx e = {s->an, NULL, 0, LIKE_TERMS, 0, 0, &out->compiled,
	                s->db};
	if (st == DP_OK && !(e.v = calloc(e.cap, sizeof *e.v)))
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	if (st == DP_OK)
		st = dpx_expand(s->db, &docid, 1, e.cap, accept_like, add_eterm,
		                &e, err);
	if (st == DP_OK && e.failed)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dpx_query *q = NULL;
	if (st == DP_OK && e.n) {
		dpx_query *terms = dpx_query_combine(DPX_OP_OR, e.v, e.n, 0);
		size_t tl = strlen(DP_PREFIX_STORY) + (story ? strlen(story) : 0);
		char *st_term = malloc(tl + 1);
		dpx_query *self = NULL;
		if (st_term) {
			snprintf(st_term, tl + 1, "%s%s", DP_PREFIX_STORY,
			         story ? story : "");
			dpx_query *v[2] = {dpx_query_term(idterm, il + 1, 1, 0),
			                   story && *story
			                       ? dpx_query_term(st_term, tl, 1, 0)
			                       : NULL};
			self = v[0] ? dpx_query_combine(DPX_OP_OR, v, 2, 0) : NULL;
			dpx_query_free(v[0]);
			dpx_query_free(v[1]);
		}
		free(st_term);
		dpx_query *v[2] = {terms, self};
		q = terms && self ? dpx_query_combine(DPX_OP_AND_NOT, v, 2, 0)
		                  : NULL;
		dpx_query_free(terms);
		dpx_query_free(self);
		if (!q)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < e.n; i++)
		dpx_query_free(e.v[i]);
	free(e.v);
	free(story);
	free(idterm);
	if (st != DP_OK)
		return st;
	snprintf(out->parsed, sizeof out->parsed, "like(%s)", req->like);
	out->compiled.has_text = 1;
	if (!q)
		return DP_OK; /* nothing to go on: no results */
	if (req->since || req->until) {
		/* --since and --until filter as they do a query */
		dp_qnode *d;
		st = dp_query_date_node(req->since, req->until, &d, err);
		dp_compiled c;
		dp_compile_env env = {s->an, req->profile, NULL, NULL, 0,
		                      DP_PART_ALL, NULL};
		if (st == DP_OK) {
			st = dp_query_compile(d, &env, 0, &c, err);
			dp_qnode_free(d);
		}
		if (st == DP_OK) {
			dpx_query *v[2] = {q, c.q};
			dpx_query *f = dpx_query_combine(DPX_OP_FILTER, v, 2, 0);
			dp_compiled_release(&c);
			dpx_query_free(q);
			q = f;
			if (!q)
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		if (st != DP_OK) {
			dpx_query_free(q);
			return st;
		}
	}
	st = run_once(s, req, q, 1, out, err);
	dpx_query_free(q);
	return st;
}

dp_status dp_searcher_run(dp_searcher *s, const dp_request *req,
                          dp_result *out, dp_error *err)
{
	memset(out, 0, sizeof *out);
	s->memo.n = 0;   /* the index may have changed since the last search */
	if (req->like) {
		dp_status st = run_like(s, req, out, err);
		if (st == DP_OK && req->explain && out->n)
			st = explain_hits(s, req, NULL, out, err);
		if (st != DP_OK)
			dp_result_release(out);
		return st;
	}
	dp_qnode *tree;
	dp_status st = request_tree(req, &tree, err);
	if (st != DP_OK)
		return st;
	dp_qnode_describe(tree, out->parsed, sizeof out->parsed);
	for (int attempt = 0;; attempt++) {
		st = search_attempt(s, req, tree, out, err);
		if (st != DP_ERR_MODIFIED || attempt >= MAX_RETRIES)
			break;
		/* an indexer committed under us: read the new revision */
		int changed;
		st = dpx_db_reopen(s->db, &changed, err);
		if (st != DP_OK)
			break;
		out->fallback = 0;
	}
	if (st == DP_OK && req->explain && out->n)
		st = explain_hits(s, req, tree, out, err);
	dp_qnode_free(tree);
	if (st == DP_OK)
		make_suggestion(s, req, out);
	if (st != DP_OK)
		dp_result_release(out);
	return st;
}
