/* ranking.h: how results are ordered, from ranking.yaml (depeche-ranking(5)).
 *
 * A file holds named profiles; each sets the weighting scheme and its
 * parameters, field weights, the default-operator policy, proximity,
 * recency, urgency and source boosts.  A profile may inherit another.
 * Nothing here needs a re-index: it all applies at query time. */
#ifndef DEPECHE_RANKING_H
#define DEPECHE_RANKING_H

#include <stddef.h>

#include "depeche.h"
#include "xapian-shim.h"

#define DP_MAX_SOURCES 32

typedef struct dp_profile {
	char name[64];
	dpx_scheme scheme;
	double params[6];         /* as dpx_search_params.p */
	char tfidf_norm[8];
	/* field weights */
	double w_headline, w_lead, w_body, w_names;
	double w_names_as_words;  /* a name in a sentence-like query also
	                             counts as a word, at this fraction */
	double w_numbers;         /* numbers ("2 248", "19,5"), as a factor */
	/* default operator: all words required, then best match */
	int default_and;          /* 1: AND, 0: OR */
	int fallback_or;          /* retry with OR when AND finds too few */
	unsigned min_results;     /* "too few": fewer than this */
	/* proximity: extra weight when the words are adjacent or near */
	double phrase_boost;
	double near_boost;
	unsigned near_window;
	/* pseudo-relevance feedback: terms of the best documents added */
	unsigned expand_docs;     /* 0: off */
	unsigned expand_terms;
	double expand_weight;
	/* a weekday named in the query ("mardi") points to dispatches of
	 * that day (this weight) or of the day after (half of it) */
	double weekday_weight;
	/* a date named in the query ("3 décembre", "1er mai 2022") points to
	 * dispatches of that date (this weight) or of the day after (half) */
	double date_weight;
	/* coordination: a constant for each query word a dispatch holds, so
	 * that matching more of the words counts beyond their BM25 */
	double coordination;
	/* recency */
	double recency_weight;
	double half_life_days;
	/* urgency 0..9 and sources */
	double urgency[10];
	size_t n_sources;
	char source_names[DP_MAX_SOURCES][64];
	double source_weights[DP_MAX_SOURCES];
} dp_profile;

typedef struct dp_ranking {
	dp_profile *profiles;
	size_t n;
	size_t def;               /* index of the default profile */
	char *file;               /* where it came from ("built-in") */
} dp_ranking;

/* Built-in defaults: the shipped config/ranking.yaml, built into the
 * programs.  Keys a profile leaves out take the defaults of
 * depeche-ranking(5). */
dp_status dp_ranking_builtin(dp_ranking **out, dp_error *err);
/* Loads and validates a ranking file: errors are "file:line:col: ...". */
dp_status dp_ranking_load(const char *path, dp_ranking **out, dp_error *err);
/* Same from memory (name used in messages). */
dp_status dp_ranking_load_string(const char *name, const char *text,
                                 size_t len, dp_ranking **out, dp_error *err);
void dp_ranking_free(dp_ranking *r);

/* The profile called name, or the default one when name is NULL. */
dp_status dp_ranking_profile(const dp_ranking *r, const char *name,
                             const dp_profile **out, dp_error *err);

/* Fills search params (scheme and parameters) from a profile. */
void dp_profile_search_params(const dp_profile *p, dpx_search_params *sp);

/* Name of a scheme as written in the file ("bm25"). */
const char *dp_scheme_name(dpx_scheme s);

#endif
