/* ranking.c: ranking.yaml into profiles.  See ranking.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ranking.h"
#include "yamltree.h"

static const struct {
	const char *name;
	dpx_scheme scheme;
} schemes[] = {
	{"bm25", DPX_W_BM25}, {"bm25+", DPX_W_BM25PLUS}, {"trad", DPX_W_TRAD},
	{"tfidf", DPX_W_TFIDF}, {"inl2", DPX_W_INL2}, {"ifb2", DPX_W_IFB2},
	{"ineb2", DPX_W_INEB2}, {"bb2", DPX_W_BB2}, {"dlh", DPX_W_DLH},
	{"pl2", DPX_W_PL2}, {"pl2+", DPX_W_PL2PLUS}, {"dph", DPX_W_DPH},
	{"lm", DPX_W_LM}, {"bool", DPX_W_BOOL}, {"coord", DPX_W_COORD},
};

const char *dp_scheme_name(dpx_scheme s)
{
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
		if (schemes[i].scheme == s)
			return schemes[i].name;
	return "?";
}

/* Default parameters of each scheme (Xapian's, except BM25's b and k1
 * which the built-in profile sets). */
static void scheme_defaults(dp_profile *p)
{
	memset(p->params, 0, sizeof p->params);
	strcpy(p->tfidf_norm, "ntn");
	switch (p->scheme) {
	case DPX_W_BM25:
	case DPX_W_BM25PLUS:
		/* tuned on the dev sets (BM25's usual 1.2 and 0.75 gave
		 * known-item MRR 0.80) */
		p->params[0] = 0.7;  /* k1 */
		p->params[1] = 0;    /* k2 */
		p->params[2] = 1;    /* k3 */
		p->params[3] = 0.95; /* b */
		p->params[4] = 0.5;  /* min_normlen */
		p->params[5] = 1.0;  /* delta (bm25+) */
		break;
	case DPX_W_TRAD:
		p->params[0] = 1.0;
		break;
	case DPX_W_INL2: case DPX_W_IFB2: case DPX_W_INEB2: case DPX_W_BB2:
	case DPX_W_PL2:
		p->params[0] = 1.0;
		break;
	case DPX_W_PL2PLUS:
		p->params[0] = 1.0;
		p->params[1] = 0.8;
		break;
	case DPX_W_LM:
		p->params[0] = 0.0;  /* log */
		p->params[1] = 1;    /* two-stage */
		p->params[2] = 0.7;
		p->params[3] = 2000;
		break;
	default:
		break;
	}
}

static void profile_defaults(dp_profile *p, const char *name)
{
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->scheme = DPX_W_BM25;
	scheme_defaults(p);
	/* the standard profile of config/ranking.yaml (a test checks) */
	p->w_headline = 0.25;
	p->w_lead = 0.15;
	p->w_body = 1.0;
	p->w_names = 0.85;
	p->w_names_as_words = 0.8;
	p->w_numbers = 2.0;
	p->default_and = 1;
	p->fallback_or = 1;
	p->min_results = 10;
	p->phrase_boost = 0.0;
	p->near_boost = 0.0;
	p->near_window = 8;
	p->weekday_weight = 10;
	p->date_weight = 10;
	p->coordination = 0;
	p->expand_docs = 0;
	p->expand_terms = 20;
	p->expand_weight = 0.3;
	p->recency_weight = 0.0;
	p->half_life_days = 365;
}

static dp_ranking *new_ranking(const char *file)
{
	dp_ranking *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->file = strdup(file);
	if (!r->file) {
		free(r);
		return NULL;
	}
	return r;
}

void dp_ranking_free(dp_ranking *r)
{
	if (!r)
		return;
	free(r->profiles);
	free(r->file);
	free(r);
}

/* the shipped config/ranking.yaml (builtin-ranking.c, generated) */
extern const char dp_builtin_ranking_yaml[];

dp_status dp_ranking_builtin(dp_ranking **out, dp_error *err)
{
	return dp_ranking_load_string("built-in ranking",
	                              dp_builtin_ranking_yaml,
	                              strlen(dp_builtin_ranking_yaml), out, err);
}

/* ---- loading --------------------------------------------------------------- */

typedef struct loader {
	const dp_yaml *y;
	dp_error *err;
} loader;

static dp_status num(loader *l, const dp_ynode *m, const char *key,
                     const char *section, double lo, double hi, double *out)
{
	const dp_ynode *n = dp_yaml_get(m, key);
	if (!n)
		return DP_OK;
	char what[160];
	snprintf(what, sizeof what, "%s.%s", section, key);
	return dp_yaml_number(l->y, n, what, lo, hi, out, l->err);
}

static dp_status load_weighting(loader *l, const dp_ynode *m, dp_profile *p)
{
	const dp_ynode *sn = dp_yaml_get(m, "scheme");
	if (sn) {
		const char *s;
		dp_status st = dp_yaml_string(l->y, sn, "weighting.scheme", &s,
		                              l->err);
		if (st != DP_OK)
			return st;
		size_t i;
		for (i = 0; i < sizeof schemes / sizeof *schemes; i++)
			if (strcmp(schemes[i].name, s) == 0)
				break;
		if (i == sizeof schemes / sizeof *schemes)
			return dp_yaml_error(l->y, sn, l->err,
			                     "unknown weighting scheme '%s' (expected "
			                     "bm25, bm25+, trad, tfidf, inl2, ifb2, "
			                     "ineb2, bb2, dlh, pl2, pl2+, dph, lm, "
			                     "bool or coord)", s);
		if (schemes[i].scheme != p->scheme) {
			p->scheme = schemes[i].scheme;
			scheme_defaults(p);
		}
	}
	static const char *const k_bm25[] = {"scheme", "k1", "k2", "k3", "b",
	                                     "min_normlen", NULL};
	static const char *const k_bm25p[] = {"scheme", "k1", "k2", "k3", "b",
	                                      "min_normlen", "delta", NULL};
	static const char *const k_trad[] = {"scheme", "k", NULL};
	static const char *const k_tfidf[] = {"scheme", "normalizations", NULL};
	static const char *const k_c[] = {"scheme", "c", NULL};
	static const char *const k_pl2p[] = {"scheme", "c", "delta", NULL};
	static const char *const k_lm[] = {"scheme", "log", "smoothing",
	                                   "param1", "param2", NULL};
	static const char *const k_none[] = {"scheme", NULL};
	const char *const *keys = k_none;
	switch (p->scheme) {
	case DPX_W_BM25: keys = k_bm25; break;
	case DPX_W_BM25PLUS: keys = k_bm25p; break;
	case DPX_W_TRAD: keys = k_trad; break;
	case DPX_W_TFIDF: keys = k_tfidf; break;
	case DPX_W_INL2: case DPX_W_IFB2: case DPX_W_INEB2: case DPX_W_BB2:
	case DPX_W_PL2: keys = k_c; break;
	case DPX_W_PL2PLUS: keys = k_pl2p; break;
	case DPX_W_LM: keys = k_lm; break;
	default: keys = k_none; break;
	}
	dp_status st = dp_yaml_check_keys(l->y, m, "weighting", keys, l->err);
	if (st != DP_OK)
		return st;
	const char *w = "weighting";
	double *a = p->params;
	switch (p->scheme) {
	case DPX_W_BM25PLUS:
		if ((st = num(l, m, "delta", w, 0, 10, &a[5])) != DP_OK)
			return st;
		__attribute__((fallthrough));   /* clang wants more than a comment */
	case DPX_W_BM25:
		if ((st = num(l, m, "k1", w, 0, 10, &a[0])) != DP_OK
		    || (st = num(l, m, "k2", w, 0, 10, &a[1])) != DP_OK
		    || (st = num(l, m, "k3", w, 0, 10, &a[2])) != DP_OK
		    || (st = num(l, m, "b", w, 0, 1, &a[3])) != DP_OK
		    || (st = num(l, m, "min_normlen", w, 0, 1, &a[4])) != DP_OK)
			return st;
		break;
	case DPX_W_TRAD:
		return num(l, m, "k", w, 0, 10, &a[0]);
	case DPX_W_TFIDF: {
		const dp_ynode *n = dp_yaml_get(m, "normalizations");
		if (!n)
			break;
		const char *s;
		if ((st = dp_yaml_string(l->y, n, "weighting.normalizations", &s,
		                         l->err)) != DP_OK)
			return st;
		if (strlen(s) != 3 || !strchr("nbslL", s[0]) || !strchr("ntp", s[1])
		    || s[2] != 'n')
			return dp_yaml_error(l->y, n, l->err,
			                     "'weighting.normalizations' must be "
			                     "three letters: wdf (n b s l L), idf "
			                     "(n t p), then n; not '%s'", s);
		snprintf(p->tfidf_norm, sizeof p->tfidf_norm, "%s", s);
		break;
	}
	case DPX_W_INL2: case DPX_W_IFB2: case DPX_W_INEB2: case DPX_W_BB2:
	case DPX_W_PL2:
		return num(l, m, "c", w, 0.001, 1000, &a[0]);
	case DPX_W_PL2PLUS:
		if ((st = num(l, m, "c", w, 0.001, 1000, &a[0])) != DP_OK)
			return st;
		return num(l, m, "delta", w, 0.001, 10, &a[1]);
	case DPX_W_LM: {
		if ((st = num(l, m, "log", w, 0, 1e6, &a[0])) != DP_OK
		    || (st = num(l, m, "param1", w, 0, 1e6, &a[2])) != DP_OK
		    || (st = num(l, m, "param2", w, 0, 1e6, &a[3])) != DP_OK)
			return st;
		const dp_ynode *n = dp_yaml_get(m, "smoothing");
		if (n) {
			static const char *const sm[] = {
				"two-stage", "dirichlet", "absolute",
				"jelinek-mercer", "dirichlet+"};
			const char *s;
			if ((st = dp_yaml_string(l->y, n, "weighting.smoothing", &s,
			                         l->err)) != DP_OK)
				return st;
			int k;
			for (k = 0; k < 5; k++)
				if (!strcmp(sm[k], s))
					break;
			if (k == 5)
				return dp_yaml_error(l->y, n, l->err,
				                     "unknown smoothing '%s' (expected "
				                     "two-stage, dirichlet, absolute, "
				                     "jelinek-mercer or dirichlet+)", s);
			a[1] = k + 1;
			/* Xapian's defaults for that smoothing: Dirichlet's mu is
			 * param1 (2000), the others' lambda or delta 0.7 */
			if (!dp_yaml_get(m, "param1"))
				a[2] = (k == 1 || k == 4) ? 2000 : 0.7;
		}
		break;
	}
	default:
		break;
	}
	return DP_OK;
}

static dp_status load_profile(loader *l, const dp_ynode *m, dp_profile *p)
{
	static const char *const keys[] = {
		"inherit", "description", "weighting", "fields", "operator",
		"proximity", "expansion", "weekday", "date", "coordination", "recency",
		"urgency", "sources", NULL};
	dp_status st = dp_yaml_check_keys(l->y, m, p->name, keys, l->err);
	if (st != DP_OK)
		return st;
	const dp_ynode *n;
	if ((n = dp_yaml_get(m, "description"))) {
		const char *s;
		if ((st = dp_yaml_string(l->y, n, "description", &s, l->err)))
			return st;
	}
	if ((n = dp_yaml_get(m, "weighting"))) {
		if ((st = dp_yaml_expect(l->y, n, DP_Y_MAP, "weighting", l->err))
		    || (st = load_weighting(l, n, p)))
			return st;
	}
	if ((n = dp_yaml_get(m, "fields"))) {
		static const char *const fk[] = {"headline", "lead", "body",
		                                 "names", "names_as_words",
		                                 "numbers", NULL};
		if ((st = dp_yaml_check_keys(l->y, n, "fields", fk, l->err))
		    || (st = num(l, n, "headline", "fields", 0, 100, &p->w_headline))
		    || (st = num(l, n, "lead", "fields", 0, 100, &p->w_lead))
		    || (st = num(l, n, "body", "fields", 0, 100, &p->w_body))
		    || (st = num(l, n, "names", "fields", 0, 100, &p->w_names))
		    || (st = num(l, n, "names_as_words", "fields", 0, 1,
		                 &p->w_names_as_words))
		    || (st = num(l, n, "numbers", "fields", 0, 100,
		                 &p->w_numbers)))
			return st;
	}
	if ((n = dp_yaml_get(m, "operator"))) {
		static const char *const ok[] = {"default", "fallback",
		                                 "min_results", NULL};
		if ((st = dp_yaml_check_keys(l->y, n, "operator", ok, l->err)))
			return st;
		const dp_ynode *v;
		const char *s;
		if ((v = dp_yaml_get(n, "default"))) {
			if ((st = dp_yaml_string(l->y, v, "operator.default", &s,
			                         l->err)))
				return st;
			if (strcmp(s, "and") && strcmp(s, "or"))
				return dp_yaml_error(l->y, v, l->err,
				                     "'operator.default' must be 'and' "
				                     "or 'or', not '%s'", s);
			p->default_and = !strcmp(s, "and");
		}
		if ((v = dp_yaml_get(n, "fallback"))) {
			if ((st = dp_yaml_string(l->y, v, "operator.fallback", &s,
			                         l->err)))
				return st;
			if (strcmp(s, "or") && strcmp(s, "none"))
				return dp_yaml_error(l->y, v, l->err,
				                     "'operator.fallback' must be 'or' "
				                     "or 'none', not '%s'", s);
			p->fallback_or = !strcmp(s, "or");
		}
		if ((v = dp_yaml_get(n, "min_results"))) {
			long x;
			if ((st = dp_yaml_int(l->y, v, "operator.min_results", 0,
			                      1000000, &x, l->err)))
				return st;
			p->min_results = (unsigned)x;
		}
	}
	if ((n = dp_yaml_get(m, "proximity"))) {
		static const char *const pk[] = {"phrase", "near", "window", NULL};
		if ((st = dp_yaml_check_keys(l->y, n, "proximity", pk, l->err))
		    || (st = num(l, n, "phrase", "proximity", 0, 100,
		                 &p->phrase_boost))
		    || (st = num(l, n, "near", "proximity", 0, 100,
		                 &p->near_boost)))
			return st;
		const dp_ynode *v = dp_yaml_get(n, "window");
		if (v) {
			long x;
			if ((st = dp_yaml_int(l->y, v, "proximity.window", 2, 64,
			                      &x, l->err)))
				return st;
			p->near_window = (unsigned)x;
		}
	}
	if ((n = dp_yaml_get(m, "weekday"))
	    && (st = dp_yaml_number(l->y, n, "weekday", 0, 100,
	                            &p->weekday_weight, l->err)))
		return st;
	if ((n = dp_yaml_get(m, "date"))
	    && (st = dp_yaml_number(l->y, n, "date", 0, 100, &p->date_weight,
	                            l->err)))
		return st;
	if ((n = dp_yaml_get(m, "coordination"))
	    && (st = dp_yaml_number(l->y, n, "coordination", 0, 100,
	                            &p->coordination, l->err)))
		return st;
	if ((n = dp_yaml_get(m, "expansion"))) {
		static const char *const ek[] = {"documents", "terms", "weight",
		                                 NULL};
		if ((st = dp_yaml_check_keys(l->y, n, "expansion", ek, l->err))
		    || (st = num(l, n, "weight", "expansion", 0, 10,
		                 &p->expand_weight)))
			return st;
		const dp_ynode *v;
		long x;
		if ((v = dp_yaml_get(n, "documents"))) {
			if ((st = dp_yaml_int(l->y, v, "expansion.documents", 0, 50,
			                      &x, l->err)))
				return st;
			p->expand_docs = (unsigned)x;
		}
		if ((v = dp_yaml_get(n, "terms"))) {
			if ((st = dp_yaml_int(l->y, v, "expansion.terms", 1, 100, &x,
			                      l->err)))
				return st;
			p->expand_terms = (unsigned)x;
		}
	}
	if ((n = dp_yaml_get(m, "recency"))) {
		static const char *const rk[] = {"weight", "half_life_days", NULL};
		if ((st = dp_yaml_check_keys(l->y, n, "recency", rk, l->err))
		    || (st = num(l, n, "weight", "recency", 0, 1000,
		                 &p->recency_weight))
		    || (st = num(l, n, "half_life_days", "recency", 0.01, 100000,
		                 &p->half_life_days)))
			return st;
	}
	if ((n = dp_yaml_get(m, "urgency"))) {
		if ((st = dp_yaml_expect(l->y, n, DP_Y_MAP, "urgency", l->err)))
			return st;
		for (size_t i = 0; i < n->n; i++) {
			const dp_ynode *k = n->items[i];
			char *end;
			long u = strtol(k->value, &end, 10);
			if (end == k->value || *end || u < 1 || u > 9)
				return dp_yaml_error(l->y, k, l->err,
				                     "urgency levels are 1 (flash) to 9, "
				                     "not '%s'", k->value);
			char what[32];
			snprintf(what, sizeof what, "urgency.%ld", u);
			if ((st = dp_yaml_number(l->y, n->values[i], what, 0, 1000,
			                         &p->urgency[u], l->err)))
				return st;
		}
	}
	if ((n = dp_yaml_get(m, "sources"))) {
		if ((st = dp_yaml_expect(l->y, n, DP_Y_MAP, "sources", l->err)))
			return st;
		if (n->n > DP_MAX_SOURCES)
			return dp_yaml_error(l->y, n, l->err,
			                     "at most %d sources can be weighted",
			                     DP_MAX_SOURCES);
		p->n_sources = 0;
		for (size_t i = 0; i < n->n; i++) {
			const dp_ynode *k = n->items[i];
			if (strlen(k->value) >= sizeof p->source_names[0])
				return dp_yaml_error(l->y, k, l->err,
				                     "source name is too long");
			char what[96];
			snprintf(what, sizeof what, "sources.%s", k->value);
			if ((st = dp_yaml_number(l->y, n->values[i], what, 0, 1000,
			                         &p->source_weights[i], l->err)))
				return st;
			snprintf(p->source_names[i], sizeof p->source_names[i], "%s",
			         k->value);
			p->n_sources++;
		}
	}
	return DP_OK;
}

/* Loads profile i, first loading the one it inherits from (depth-first,
 * refusing cycles). state: 0 not loaded, 1 loading, 2 loaded. */
static dp_status load_chain(loader *l, const dp_ynode *profiles,
                            dp_ranking *r, size_t i, int *state)
{
	if (state[i] == 2)
		return DP_OK;
	const dp_ynode *m = profiles->values[i];
	if (state[i] == 1)
		return dp_yaml_error(l->y, profiles->items[i], l->err,
		                     "profile '%s' inherits from itself, "
		                     "directly or through other profiles",
		                     profiles->items[i]->value);
	state[i] = 1;
	dp_status st = dp_yaml_expect(l->y, m, DP_Y_MAP,
	                              profiles->items[i]->value, l->err);
	if (st != DP_OK)
		return st;
	const char *name = profiles->items[i]->value;
	if (strlen(name) >= sizeof r->profiles[i].name)
		return dp_yaml_error(l->y, profiles->items[i], l->err,
		                     "profile name is too long");
	profile_defaults(&r->profiles[i], name);
	const dp_ynode *inh = dp_yaml_get(m, "inherit");
	if (inh) {
		const char *parent;
		if ((st = dp_yaml_string(l->y, inh, "inherit", &parent, l->err)))
			return st;
		size_t k;
		for (k = 0; k < profiles->n; k++)
			if (!strcmp(profiles->items[k]->value, parent))
				break;
		if (k == profiles->n)
			return dp_yaml_error(l->y, inh, l->err,
			                     "unknown profile '%s'", parent);
		if ((st = load_chain(l, profiles, r, k, state)))
			return st;
		r->profiles[i] = r->profiles[k];
		snprintf(r->profiles[i].name, sizeof r->profiles[i].name, "%s",
		         name);
	}
	st = load_profile(l, m, &r->profiles[i]);
	state[i] = 2;
	return st;
}

static dp_status load_tree(const dp_yaml *y, dp_ranking **out, dp_error *err)
{
	loader l = {y, err};
	const dp_ynode *root = y->root;
	/* "---" alone is an empty (null) document: empty too */
	if (!root || (root->type == DP_Y_SCALAR && root->plain && !*root->value))
		return dp_yaml_error(y, NULL, err, "empty file: expected "
		                     "'profiles'");
	static const char *const keys[] = {"default_profile", "profiles", NULL};
	dp_status st = dp_yaml_check_keys(y, root, "ranking", keys, err);
	if (st != DP_OK)
		return st;
	const dp_ynode *profiles = dp_yaml_get(root, "profiles");
	if (!profiles)
		return dp_yaml_error(y, root, err, "missing 'profiles'");
	if ((st = dp_yaml_expect(y, profiles, DP_Y_MAP, "profiles", err)))
		return st;
	if (profiles->n == 0)
		return dp_yaml_error(y, profiles, err, "'profiles' is empty");
	dp_ranking *r = new_ranking(y->file);
	int *state = calloc(profiles->n, sizeof *state);
	if (r)
		r->profiles = calloc(profiles->n, sizeof *r->profiles);
	if (!r || !r->profiles || !state) {
		free(state);
		dp_ranking_free(r);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	r->n = profiles->n;
	for (size_t i = 0; st == DP_OK && i < profiles->n; i++)
		st = load_chain(&l, profiles, r, i, state);
	free(state);
	const dp_ynode *def = dp_yaml_get(root, "default_profile");
	if (st == DP_OK && def) {
		const char *name;
		st = dp_yaml_string(y, def, "default_profile", &name, err);
		size_t k;
		for (k = 0; st == DP_OK && k < r->n; k++)
			if (!strcmp(r->profiles[k].name, name))
				break;
		if (st == DP_OK && k == r->n)
			st = dp_yaml_error(y, def, err, "unknown profile '%s'", name);
		r->def = k;
	}
	if (st != DP_OK) {
		dp_ranking_free(r);
		return st;
	}
	*out = r;
	return DP_OK;
}

dp_status dp_ranking_load_string(const char *name, const char *text,
                                 size_t len, dp_ranking **out, dp_error *err)
{
	*out = NULL;
	dp_yaml *y;
	dp_status st = dp_yaml_load_string(name, text, len, &y, err);
	if (st != DP_OK)
		return st;
	st = load_tree(y, out, err);
	dp_yaml_free(y);
	return st;
}

dp_status dp_ranking_load(const char *path, dp_ranking **out, dp_error *err)
{
	*out = NULL;
	dp_yaml *y;
	dp_status st = dp_yaml_load_file(path, &y, err);
	if (st != DP_OK)
		return st;
	st = load_tree(y, out, err);
	dp_yaml_free(y);
	return st;
}

dp_status dp_ranking_profile(const dp_ranking *r, const char *name,
                             const dp_profile **out, dp_error *err)
{
	if (!name) {
		*out = &r->profiles[r->def];
		return DP_OK;
	}
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->profiles[i].name, name)) {
			*out = &r->profiles[i];
			return DP_OK;
		}
	char list[512] = "";
	size_t o = 0;
	for (size_t i = 0; i < r->n && o < 400; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
		                      i ? ", " : "", r->profiles[i].name);
	return dp_error_set(err, DP_ERR_INVALID,
	                    "unknown profile '%s' in %s (profiles: %s)", name,
	                    r->file, list);
}

void dp_profile_search_params(const dp_profile *p, dpx_search_params *sp)
{
	sp->scheme = p->scheme;
	memcpy(sp->p, p->params, sizeof sp->p);
	sp->tfidf_norm = p->tfidf_norm;
}
