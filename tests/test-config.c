/* test-config.c: ranking.yaml (valid files, the shipped file against the
 * built-in defaults, a table of invalid files with their file:line:col
 * messages), the YAML tree helpers, and where configuration files and the
 * database are looked for. */
#include "autoconf.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "ranking.h"
#include "tap.h"
#include "yamltree.h"

static char tmpdir[4096];

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static dp_ranking *load(const char *text, dp_status *st, dp_error *e)
{
	dp_ranking *r = NULL;
	dp_error_clear(e);
	*st = dp_ranking_load_string("t.yaml", text, strlen(text), &r, e);
	return r;
}

/* Compares two profiles field by field; diag()s each difference and
 * returns their number. */
static int profile_diff(const dp_profile *a, const dp_profile *b)
{
	int d = 0;
#define NUM(f) \
	do { \
		if (a->f != b->f) { \
			diag("  %s: %g != %g", #f, (double)a->f, (double)b->f); \
			d++; \
		} \
	} while (0)
#define STR(f) \
	do { \
		if (strcmp(a->f, b->f) != 0) { \
			diag("  %s: '%s' != '%s'", #f, a->f, b->f); \
			d++; \
		} \
	} while (0)
	STR(name);
	NUM(scheme);
	for (int i = 0; i < 6; i++)
		NUM(params[i]);
	STR(tfidf_norm);
	NUM(w_headline);
	NUM(w_lead);
	NUM(w_body);
	NUM(w_names);
	NUM(default_and);
	NUM(fallback_or);
	NUM(min_results);
	NUM(phrase_boost);
	NUM(near_boost);
	NUM(near_window);
	NUM(recency_weight);
	NUM(half_life_days);
	for (int i = 0; i < 9; i++)
		NUM(urgency[i]);
	NUM(n_sources);
	for (size_t i = 0; i < a->n_sources && i < b->n_sources; i++) {
		STR(source_names[i]);
		NUM(source_weights[i]);
	}
#undef NUM
#undef STR
	return d;
}

static void test_shipped(void)
{
	dp_error e = {0};
	dp_ranking *built = NULL, *file = NULL;
	const char *path = tap_srcpath("config/ranking.yaml");
	is_int(dp_ranking_builtin(&built, &e), DP_OK, "built-in ranking");
	dp_status st = dp_ranking_load(path, &file, &e);
	if (!ok(st == DP_OK, "the shipped config/ranking.yaml loads")) {
		diag("%s", e.msg);
		dp_ranking_free(built);
		return;
	}
	const dp_profile *pb, *pf;
	dp_ranking_profile(built, NULL, &pb, &e);
	dp_ranking_profile(file, NULL, &pf, &e);
	ok(profile_diff(pb, pf) == 0, "the shipped default profile '%s' equals "
	   "the built-in '%s', field by field", pf->name, pb->name);
	/* every built-in profile is in the file, identical */
	for (size_t i = 0; i < built->n; i++) {
		const dp_profile *x;
		dp_error_clear(&e);
		st = dp_ranking_profile(file, built->profiles[i].name, &x, &e);
		ok(st == DP_OK && profile_diff(&built->profiles[i], x) == 0,
		   "built-in profile '%s' is in the shipped file, identical",
		   built->profiles[i].name);
	}
	is_int(file->n, built->n, "as many profiles in the file as built in");
	/* the same text through dp_ranking_load_string */
	FILE *f = fopen(path, "rb");
	char text[16384];
	size_t len = f ? fread(text, 1, sizeof text, f) : 0;
	if (f)
		fclose(f);
	dp_ranking *str = NULL;
	st = dp_ranking_load_string("ranking.yaml", text, len, &str, &e);
	ok(st == DP_OK && str && str->n == file->n
	   && profile_diff(&str->profiles[str->def], pf) == 0,
	   "loaded from a string, the same");
	dp_ranking_free(str);
	is_str(built->profiles[built->def].name, "standard",
	       "the built-in default is 'standard'");
	is_str(file->file, path, "the ranking remembers its file");
	dp_ranking_free(file);
	dp_ranking_free(built);
}

static void test_valid(void)
{
	dp_error e = {0};
	dp_status st;
	const dp_profile *p;

	/* inherit, default_profile, profiles in any order */
	dp_ranking *r = load(
	    "# comment\n"
	    "default_profile: news\n"
	    "profiles:\n"
	    "  news:\n"
	    "    inherit: base\n"
	    "    description: recent first\n"
	    "    fields: {body: 0.5}\n"
	    "    recency:\n"
	    "      weight: 2\n"
	    "      half_life_days: 7\n"
	    "  base:\n"
	    "    weighting:\n"
	    "      scheme: bm25\n"
	    "      k1: 1.5\n"
	    "      b: 0.6\n"
	    "    fields:\n"
	    "      headline: 3\n"
	    "      names: 0\n"
	    "    operator:\n"
	    "      default: or\n"
	    "      fallback: none\n"
	    "      min_results: 5\n"
	    "    proximity: {phrase: 1.5, near: 0.5, window: 12}\n"
	    "    urgency:\n"
	    "      1: 3\n"
	    "      '2': 1.5\n"
	    "    sources:\n"
	    "      AFP: 1\n"
	    "      Agence France-Presse: 0.5\n",
	    &st, &e);
	if (!ok(st == DP_OK && r, "profiles with inherit and default_profile")) {
		diag("%s", e.msg);
		return;
	}
	is_int(r->n, 2, "two profiles");
	dp_ranking_profile(r, NULL, &p, &e);
	is_str(p->name, "news", "default_profile chooses 'news'");
	ok(p->params[0] == 1.5 && p->params[3] == 0.6,
	   "inherited weighting parameters (k1 %g, b %g)", p->params[0],
	   p->params[3]);
	ok(p->w_headline == 3 && p->w_body == 0.5 && p->w_lead == 0.15
	   && p->w_names == 0,
	   "fields: inherited, overridden and default (%g %g %g %g)",
	   p->w_headline, p->w_lead, p->w_body, p->w_names);
	ok(p->recency_weight == 2 && p->half_life_days == 7, "recency");
	ok(!p->default_and && !p->fallback_or && p->min_results == 5,
	   "operator inherited");
	ok(p->phrase_boost == 1.5 && p->near_boost == 0.5
	   && p->near_window == 12, "proximity inherited");
	ok(p->urgency[1] == 3 && p->urgency[2] == 1.5 && p->urgency[3] == 0,
	   "urgency (a quoted key is fine)");
	ok(p->n_sources == 2 && !strcmp(p->source_names[1],
	                                "Agence France-Presse")
	   && p->source_weights[1] == 0.5, "sources");
	st = dp_ranking_profile(r, "base", &p, &e);
	ok(st == DP_OK && p->recency_weight == 0 && p->w_body == 1.0,
	   "the parent is unchanged by its child");
	dp_error_clear(&e);
	st = dp_ranking_profile(r, "nope", &p, &e);
	is_int(st, DP_ERR_INVALID, "unknown profile by name");
	ok(strstr(e.msg, "'nope'") && strstr(e.msg, "news, base")
	   && strstr(e.msg, "t.yaml"),
	   "the message lists the profiles: %s", e.msg);
	dp_ranking_free(r);

	/* a scheme change resets the parameters to that scheme's */
	r = load("profiles:\n"
	         "  a:\n"
	         "    weighting: {scheme: bm25, k1: 2}\n"
	         "  b:\n"
	         "    inherit: a\n"
	         "    weighting:\n"
	         "      scheme: lm\n"
	         "      smoothing: dirichlet\n"
	         "      param2: 1000\n"
	         "  c:\n"
	         "    inherit: a\n"
	         "    weighting: {scheme: \"bm25\", k3: 2}\n",
	         &st, &e);
	if (ok(st == DP_OK, "scheme change in a child")) {
		dp_ranking_profile(r, "b", &p, &e);
		ok(p->scheme == DPX_W_LM && p->params[1] == 2 && p->params[2] == 2000
		   && p->params[3] == 1000,
		   "lm: dirichlet (2), param1 defaults to mu 2000, param2 set");
		dp_ranking_profile(r, "c", &p, &e);
		ok(p->scheme == DPX_W_BM25 && p->params[0] == 2
		   && p->params[2] == 2,
		   "same scheme (quoted): the parent's parameters stay");
		is_int(r->def, 0, "no default_profile: the first");
		dp_ranking_free(r);
	} else {
		diag("%s", e.msg);
	}

	/* every scheme by name */
	for (int s = 0; s < DPX_W_LAST; s++) {
		char text[256];
		snprintf(text, sizeof text,
		         "profiles:\n  x:\n    weighting:\n      scheme: %s\n",
		         dp_scheme_name((dpx_scheme)s));
		r = load(text, &st, &e);
		ok(st == DP_OK && r && r->profiles[0].scheme == (dpx_scheme)s,
		   "scheme '%s'", dp_scheme_name((dpx_scheme)s));
		dp_ranking_free(r);
	}
	is_str(dp_scheme_name(DPX_W_LAST), "?", "no name for DPX_W_LAST");

	/* scheme parameters */
	static const struct {
		const char *weighting;
		int index;
		double want;
	} params[] = {
		{"{scheme: bm25+, delta: 0.5}", 5, 0.5},
		{"{scheme: trad, k: 2}", 0, 2},
		{"{scheme: inl2, c: 7}", 0, 7},
		{"{scheme: pl2+, c: 2, delta: 0.3}", 1, 0.3},
		{"{scheme: lm, smoothing: two-stage}", 1, 1},
		{"{scheme: lm, smoothing: dirichlet+}", 1, 5},
		{"{scheme: lm, log: 3}", 0, 3},
		{"{scheme: bm25, min_normlen: 0.25}", 4, 0.25},
		{"{k1: 1e-1}", 0, 0.1},
	};
	for (size_t i = 0; i < sizeof params / sizeof *params; i++) {
		char text[256];
		snprintf(text, sizeof text, "profiles:\n  x:\n    weighting: %s\n",
		         params[i].weighting);
		r = load(text, &st, &e);
		ok(st == DP_OK && r
		   && r->profiles[0].params[params[i].index] == params[i].want,
		   "weighting %s: p[%d] = %g", params[i].weighting,
		   params[i].index, params[i].want);
		if (st != DP_OK)
			diag("%s", e.msg);
		dp_ranking_free(r);
	}
	r = load("profiles:\n  x:\n    weighting: {scheme: tfidf, "
	         "normalizations: Lpn}\n", &st, &e);
	ok(st == DP_OK && r && !strcmp(r->profiles[0].tfidf_norm, "Lpn"),
	   "tfidf normalizations");
	if (r) {
		dpx_search_params sp;
		dpx_search_params_init(&sp);
		dp_profile_search_params(&r->profiles[0], &sp);
		ok(sp.scheme == DPX_W_TFIDF && sp.tfidf_norm
		   && !strcmp(sp.tfidf_norm, "Lpn"),
		   "search parameters from the profile");
	}
	dp_ranking_free(r);

	/* booleans are not what operator.fallback takes, but yes/no
	 * spelling of numbers etc.: a profile with only a description */
	r = load("profiles:\n  bare:\n    description: nothing else\n", &st,
	         &e);
	dp_ranking *b = NULL;
	dp_ranking_builtin(&b, &e);
	if (ok(st == DP_OK && r && b, "a profile with no settings")) {
		dp_profile want = b->profiles[0];
		snprintf(want.name, sizeof want.name, "bare");
		ok(profile_diff(&r->profiles[0], &want) == 0,
		   "has the built-in defaults");
	}
	dp_ranking_free(b);
	dp_ranking_free(r);
}

typedef struct bad_case {
	const char *text;
	const char *prefix;   /* exact start of the message */
	const char *phrase;   /* somewhere in the message */
} bad_case;

#define P "profiles:\n  s:\n"

static const bad_case bad[] = {
	/* unknown keys */
	{"foo: 1\n", "t.yaml:1:1: ", "unknown key 'foo' in 'ranking'"},
	{P "    colour: red\n", "t.yaml:3:5: ", "unknown key 'colour' in 's'"},
	{P "    weighting:\n      kk: 1\n", "t.yaml:4:7: ",
	 "unknown key 'kk' in 'weighting' (expected one of: scheme, k1"},
	{P "    fields:\n      title: 1\n", "t.yaml:4:7: ",
	 "unknown key 'title' in 'fields'"},
	{P "    operator:\n      dflt: and\n", "t.yaml:4:7: ",
	 "unknown key 'dflt' in 'operator'"},
	{P "    proximity:\n      win: 3\n", "t.yaml:4:7: ",
	 "unknown key 'win' in 'proximity'"},
	{P "    recency:\n      w: 1\n", "t.yaml:4:7: ",
	 "unknown key 'w' in 'recency'"},
	{P "    weighting:\n      scheme: pl2\n      k1: 1\n", "t.yaml:5:7: ",
	 "unknown key 'k1' in 'weighting' (expected one of: scheme, c)"},
	{P "    weighting:\n      scheme: bool\n      k1: 1\n", "t.yaml:5:7: ",
	 "(expected one of: scheme)"},
	/* wrong types */
	{P "    weighting:\n      k1: abc\n", "t.yaml:4:11: ",
	 "'weighting.k1' must be a number, not 'abc'"},
	{P "    weighting: [1, 2]\n", "t.yaml:3:16: ",
	 "'weighting' must be a mapping, not a list"},
	{P "    fields: 3\n", "t.yaml:3:13: ",
	 "'fields' must be a mapping, not a value"},
	{P "    fields:\n      body: [1]\n", "t.yaml:4:13: ",
	 "'fields.body' must be a value, not a list"},
	{"profiles:\n  s: 1\n", "t.yaml:2:6: ",
	 "'s' must be a mapping, not a value"},
	{"hello\n", "t.yaml:1:1: ", "'ranking' must be a mapping, not a value"},
	{"[1, 2]\n", "t.yaml:1:1: ", "'ranking' must be a mapping, not a list"},
	{"profiles: 3\n", "t.yaml:1:11: ",
	 "'profiles' must be a mapping, not a value"},
	{"default_profile: [s]\n" P "    fields: {}\n", "t.yaml:1:18: ",
	 "'default_profile' must be a value, not a list"},
	{P "    weighting:\n      scheme: [bm25]\n", "t.yaml:4:15: ",
	 "'weighting.scheme' must be a value, not a list"},
	{P "    description: [a]\n", "t.yaml:3:18: ",
	 "'description' must be a value, not a list"},
	{P "    inherit: {a: 1}\n", "t.yaml:3:14: ",
	 "'inherit' must be a value, not a mapping"},
	{P "    urgency: [1]\n", "t.yaml:3:14: ",
	 "'urgency' must be a mapping, not a list"},
	{P "    sources: [AFP]\n", "t.yaml:3:14: ",
	 "'sources' must be a mapping, not a list"},
	{P "    sources:\n      AFP: x\n", "t.yaml:4:12: ",
	 "'sources.AFP' must be a number, not 'x'"},
	{P "    operator:\n      min_results: 1.5\n", "t.yaml:4:20: ",
	 "'operator.min_results' must be an integer, not '1.5'"},
	/* a quoted number is a string in YAML: refused, not converted */
	{P "    fields:\n      body: \"1.2\"\n", "t.yaml:4:13: ",
	 "'fields.body' must be a number, not '1.2'"},
	{P "    proximity:\n      window: '8'\n", "t.yaml:4:15: ",
	 "'proximity.window' must be an integer, not '8'"},
	/* nulls, non-numbers */
	{P "    weighting:\n      k1: ~\n", "t.yaml:4:11: ",
	 "must be a number, not '~'"},
	{P "    weighting:\n      k1:\n", "t.yaml:4:10: ",
	 "must be a number, not ''"},
	{P "    weighting:\n      k1: .nan\n", "t.yaml:4:11: ",
	 "must be a number, not '.nan'"},
	{P "    weighting:\n      k1: inf\n", "t.yaml:4:11: ",
	 "must be a number, not 'inf'"},
	{P "    weighting:\n      k1: 1e400\n", "t.yaml:4:11: ",
	 "must be a number, not '1e400'"},
	/* out of range */
	{P "    weighting:\n      b: 1.5\n", "t.yaml:4:10: ",
	 "'weighting.b' is 1.5, outside the range 0 to 1"},
	{P "    weighting:\n      k1: -1\n", "t.yaml:4:11: ",
	 "'weighting.k1' is -1, outside the range 0 to 10"},
	{P "    fields:\n      headline: 1000\n", "t.yaml:4:17: ",
	 "'fields.headline' is 1000, outside the range 0 to 100"},
	{P "    fields:\n      lead: -0.5\n", "t.yaml:4:13: ",
	 "'fields.lead' is -0.5, outside"},
	{P "    weighting:\n      scheme: trad\n      k: 11\n", "t.yaml:5:10: ",
	 "'weighting.k' is 11, outside the range 0 to 10"},
	{P "    weighting:\n      scheme: pl2\n      c: 0\n", "t.yaml:5:10: ",
	 "'weighting.c' is 0, outside the range 0.001 to 1000"},
	{P "    weighting:\n      scheme: pl2+\n      delta: 0\n",
	 "t.yaml:5:14: ", "'weighting.delta' is 0, outside"},
	{P "    proximity:\n      window: 1\n", "t.yaml:4:15: ",
	 "'proximity.window' is 1, outside the range 2 to 64"},
	{P "    proximity:\n      window: 100\n", "t.yaml:4:15: ",
	 "'proximity.window' is 100, outside the range 2 to 64"},
	{P "    recency:\n      half_life_days: 0\n", "t.yaml:4:23: ",
	 "'recency.half_life_days' is 0, outside the range 0.01 to 100000"},
	{P "    urgency:\n      1: -2\n", "t.yaml:4:10: ",
	 "'urgency.1' is -2, outside the range 0 to 1000"},
	/* bad names */
	{P "    weighting:\n      scheme: okapi\n", "t.yaml:4:15: ",
	 "unknown weighting scheme 'okapi' (expected bm25, bm25+"},
	{P "    weighting:\n      scheme: BM25\n", "t.yaml:4:15: ",
	 "unknown weighting scheme 'BM25'"},
	{P "    weighting:\n      scheme: tfidf\n      normalizations: zzz\n",
	 "t.yaml:5:23: ", "'weighting.normalizations' must be three letters"},
	{P "    weighting:\n      scheme: tfidf\n      normalizations: ntnn\n",
	 "t.yaml:5:23: ", "not 'ntnn'"},
	{P "    weighting:\n      scheme: lm\n      smoothing: laplace\n",
	 "t.yaml:5:18: ", "unknown smoothing 'laplace' (expected two-stage"},
	{P "    urgency:\n      10: 1\n", "t.yaml:4:7: ",
	 "urgency levels are 1 (flash) to 9, not '10'"},
	{P "    urgency:\n      0: 1\n", "t.yaml:4:7: ",
	 "urgency levels are 1 (flash) to 9, not '0'"},
	{P "    urgency:\n      flash: 1\n", "t.yaml:4:7: ",
	 "not 'flash'"},
	{P "    operator:\n      default: maybe\n", "t.yaml:4:16: ",
	 "'operator.default' must be 'and' or 'or', not 'maybe'"},
	{P "    operator:\n      fallback: yes\n", "t.yaml:4:17: ",
	 "'operator.fallback' must be 'or' or 'none', not 'yes'"},
	/* profiles */
	{"profiles:\n  a:\n    inherit: b\n  b:\n    inherit: a\n",
	 "t.yaml:2:3: ", "profile 'a' inherits from itself"},
	{P "    inherit: s\n", "t.yaml:2:3: ", "profile 's' inherits from itself"},
	{P "    inherit: nope\n", "t.yaml:3:14: ", "unknown profile 'nope'"},
	{"default_profile: x\n" P "    fields: {}\n", "t.yaml:1:18: ",
	 "unknown profile 'x'"},
	{"profiles: {}\n", "t.yaml:1:11: ", "'profiles' is empty"},
	{"default_profile: s\n", "t.yaml:1:1: ", "missing 'profiles'"},
	/* YAML itself */
	{P "    fields:\n      body: 1\n      body: 2\n", "t.yaml:5:7: ",
	 "duplicate key 'body' (first at line 4)"},
	{"profiles:\n  s: {}\n  s: {}\n", "t.yaml:3:3: ", "duplicate key 's'"},
	{P "    fields:\n      body: 1\n     lead: 2\n", "t.yaml:5:6: ",
	 "did not find expected key"},
	{P "\tfields: {}\n", "t.yaml:3:1: ",
	 "found character that cannot start any token"},
	{P "    description: 'abc\n", "t.yaml:4:1: ",
	 "while scanning a quoted scalar"},
	{P "    fields: {body: 1\n", "t.yaml:4:1: ",
	 "did not find expected ',' or '}'"},
	{"a: &x 1\nb: *x\n", "t.yaml:2:4: ", "aliases ('*x') are not supported"},
	{P "    fields: &f\n      body: 1\n  t:\n    fields: *f\n",
	 "t.yaml:6:13: ", "aliases ('*f') are not supported"},
	{"---\na: 1\n---\nb: 2\n", "t.yaml:3:1: ",
	 "only one YAML document is allowed"},
	{P "    fields:\n      ? [a]\n      : 1\n", "t.yaml:4:9: ",
	 "a key must be a plain value"},
	{P "    fields:\n      {a: 1}: 2\n", "t.yaml:4:7: ",
	 "a key must be a plain value"},
	{P "    description: caf\xe9 au lait\n", "t.yaml:3:22: ",
	 "invalid trailing UTF-8 octet"},
	{"profiles:\n  s\xff: {}\n", "t.yaml:2:4: ", "invalid leading UTF-8 octet"},
	/* nothing in it: no line to point at */
	{"", "t.yaml: ", "empty file: expected 'profiles'"},
	{"# only a comment\n\n", "t.yaml: ", "empty file"},
	{"---\n...\n", "t.yaml: ", "empty file"},
};

static void test_invalid(void)
{
	size_t n = sizeof bad / sizeof *bad;
	ok(n >= 30, "%zu invalid inputs", n);
	for (size_t i = 0; i < n; i++) {
		dp_status st;
		dp_error e = {0};
		dp_ranking *r = load(bad[i].text, &st, &e);
		int good = st == DP_ERR_CONFIG && r == NULL && e.status == st
		           && strncmp(e.msg, bad[i].prefix, strlen(bad[i].prefix))
		                  == 0
		           && strstr(e.msg, bad[i].phrase) != NULL;
		if (!ok(good, "invalid %zu: %s%s", i + 1, bad[i].prefix,
		        bad[i].phrase)) {
			diag("  status %d, message: %s", st, e.msg);
			diag("  input: %s", bad[i].text);
		}
		dp_ranking_free(r);
	}

	/* generated cases */
	char text[8192];
	size_t o = (size_t)snprintf(text, sizeof text, P "    sources:\n");
	for (int i = 0; i < DP_MAX_SOURCES + 1; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "      S%d: 1\n", i);
	dp_status st;
	dp_error e = {0};
	dp_ranking *r = load(text, &st, &e);
	ok(st == DP_ERR_CONFIG && !strncmp(e.msg, "t.yaml:4:7: ", 12)
	   && strstr(e.msg, "at most 32 sources"), "33 sources: %s", e.msg);
	dp_ranking_free(r);

	char name[80];
	memset(name, 'n', 70);
	name[70] = '\0';
	snprintf(text, sizeof text, "profiles:\n  %s: {}\n", name);
	r = load(text, &st, &e);
	ok(st == DP_ERR_CONFIG && !strncmp(e.msg, "t.yaml:2:3: ", 12)
	   && strstr(e.msg, "profile name is too long"), "long profile name: %s",
	   e.msg);
	dp_ranking_free(r);

	o = 0;
	for (int i = 0; i < 80; i++)
		text[o++] = '[';
	for (int i = 0; i < 80; i++)
		text[o++] = ']';
	text[o] = '\0';
	r = load(text, &st, &e);
	ok(st == DP_ERR_CONFIG && strstr(e.msg, "nesting is too deep"),
	   "deep nesting: %s", e.msg);
	dp_ranking_free(r);

	/* from a file: the path is the prefix */
	const char *fx = tap_srcpath("tests/fixtures/config/bad-window.yaml");
	e = (dp_error){0};
	st = dp_ranking_load(fx, &r, &e);
	char want[4200];
	snprintf(want, sizeof want, "%s:12:15: ", fx);
	ok(st == DP_ERR_CONFIG && !strncmp(e.msg, want, strlen(want))
	   && strstr(e.msg, "'proximity.window' is 0"),
	   "file errors are located in the file: %s", e.msg);
	dp_ranking_free(r);
	fx = tap_srcpath("tests/fixtures/config/no-such-file.yaml");
	st = dp_ranking_load(fx, &r, &e);
	is_int(st, DP_ERR_NOT_FOUND, "missing ranking file: not found");
	ok(strstr(e.msg, "no-such-file.yaml") != NULL, "message: %s", e.msg);
}

static void test_yamltree(void)
{
	dp_yaml *y = NULL;
	dp_error e = {0};
	const char *text = "a: yes\nb: Off\nc: 'true'\nd: 12\ne: -3x\n"
	                   "f: [1, 2]\n";
	dp_status st = dp_yaml_load_string("y.yaml", text, strlen(text), &y, &e);
	if (!ok(st == DP_OK && y && y->root, "yaml tree loads"))
		return;
	const dp_ynode *m = y->root;
	ok(m->type == DP_Y_MAP && m->n == 6, "a map of 6");
	int b = -1;
	ok(dp_yaml_bool(y, dp_yaml_get(m, "a"), "a", &b, &e) == DP_OK && b == 1,
	   "yes is true");
	ok(dp_yaml_bool(y, dp_yaml_get(m, "b"), "b", &b, &e) == DP_OK && b == 0,
	   "Off is false");
	st = dp_yaml_bool(y, dp_yaml_get(m, "c"), "c", &b, &e);
	ok(st == DP_ERR_CONFIG && strstr(e.msg, "y.yaml:3:4: 'c' must be true "
	                                 "or false"),
	   "a quoted 'true' is a string: %s", e.msg);
	long v = 0;
	ok(dp_yaml_int(y, dp_yaml_get(m, "d"), "d", 0, 100, &v, &e) == DP_OK
	   && v == 12, "int");
	st = dp_yaml_int(y, dp_yaml_get(m, "d"), "d", 0, 10, &v, &e);
	ok(st == DP_ERR_CONFIG && strstr(e.msg, "y.yaml:4:4: 'd' is 12, "
	                                 "outside the range 0 to 10"),
	   "int out of range: %s", e.msg);
	st = dp_yaml_int(y, dp_yaml_get(m, "e"), "e", -10, 10, &v, &e);
	ok(st == DP_ERR_CONFIG && strstr(e.msg, "must be an integer, not '-3x'"),
	   "not an int: %s", e.msg);
	const dp_ynode *f = dp_yaml_get(m, "f");
	ok(f && f->type == DP_Y_SEQ && f->n == 2 && f->line == 6 && f->col == 4,
	   "a list, located at 6:4");
	ok(dp_yaml_get(m, "zz") == NULL && dp_yaml_get(f, "a") == NULL,
	   "get: absent key, not a map");
	static const char *const allowed[] = {"a", "b", "c", "d", "e", NULL};
	st = dp_yaml_check_keys(y, m, "top", allowed, &e);
	ok(st == DP_ERR_CONFIG && strstr(e.msg, "y.yaml:6:1: unknown key 'f' in "
	                                 "'top' (expected one of: a, b, c, d, e)"),
	   "check_keys: %s", e.msg);
	st = dp_yaml_error(y, NULL, &e, "whole file %d", 1);
	ok(st == DP_ERR_CONFIG && !strcmp(e.msg, "y.yaml: whole file 1"),
	   "an error without a node has no position");
	dp_yaml_free(y);
	dp_yaml_free(NULL);

	st = dp_yaml_load_file(tap_srcpath("tests/fixtures/config/none.yaml"),
	                       &y, &e);
	is_int(st, DP_ERR_NOT_FOUND, "missing yaml file: not found");
	st = dp_yaml_load_string("e.yaml", "", 0, &y, &e);
	ok(st == DP_OK && y && y->root == NULL, "an empty document: no root");
	dp_yaml_free(y);
}

/* ---- locations ---------------------------------------------------------- */

static char *mkpath(const char *rel)
{
	static char buf[8][4200];
	static int k;
	char *b = buf[k++ % 8];
	snprintf(b, sizeof buf[0], "%s/%s", tmpdir, rel);
	return b;
}

static void touch(const char *dir, const char *name)
{
	char p[4400];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs("profiles: {s: {}}\n", f);
		fclose(f);
	}
}

/* Where name is found (the directory), "" for built-ins, "!" + the
 * message for an error. */
static const char *find(const char *name, const char *cli)
{
	static char out[4400];
	char path[4400];
	dp_status st = DP_OK;
	dp_error e = {0};
	int r = dp_config_find(name, cli, path, sizeof path, &st, &e);
	if (st != DP_OK) {
		snprintf(out, sizeof out, "!%d %.4000s", (int)st, e.msg);
		return out;
	}
	if (!r)
		return "";
	char *slash = strrchr(path, '/');
	if (slash)
		*slash = '\0';
	snprintf(out, sizeof out, "%s", path);
	return out;
}

static void test_find(void)
{
	/* a name the installed defaults (SYSCONFDIR) will not have */
	const char *name = "test-config-only.yaml";
	mkdir(mkpath("home"), 0700);
	mkdir(mkpath("home/.config"), 0700);
	mkdir(mkpath("home/.config/depeche"), 0700);
	mkdir(mkpath("xdg"), 0700);
	mkdir(mkpath("xdg/depeche"), 0700);
	mkdir(mkpath("env"), 0700);
	mkdir(mkpath("cli"), 0700);
	mkdir(mkpath("empty"), 0700);
	unsetenv("DEPECHE_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", mkpath("home"), 1);

	is_str(find(name, NULL), "", "nowhere: built-in defaults");
	touch(mkpath("home/.config/depeche"), name);
	is_str(find(name, NULL), mkpath("home/.config/depeche"),
	       "~/.config/depeche when XDG_CONFIG_HOME is unset");
	setenv("XDG_CONFIG_HOME", "", 1);
	is_str(find(name, NULL), mkpath("home/.config/depeche"),
	       "an empty XDG_CONFIG_HOME counts as unset");
	setenv("XDG_CONFIG_HOME", mkpath("xdg"), 1);
	is_str(find(name, NULL), "",
	       "XDG_CONFIG_HOME replaces ~/.config (nothing there)");
	touch(mkpath("xdg/depeche"), name);
	is_str(find(name, NULL), mkpath("xdg/depeche"),
	       "$XDG_CONFIG_HOME/depeche");
	setenv("DEPECHE_CONFIG", mkpath("env"), 1);
	is_str(find(name, NULL), mkpath("xdg/depeche"),
	       "DEPECHE_CONFIG without the file: next in line");
	touch(mkpath("env"), name);
	is_str(find(name, NULL), mkpath("env"), "DEPECHE_CONFIG before XDG");
	is_str(find(name, mkpath("empty")), mkpath("env"),
	       "--config without the file: next in line");
	touch(mkpath("cli"), name);
	is_str(find(name, mkpath("cli")), mkpath("cli"), "--config first");
	setenv("DEPECHE_CONFIG", "", 1);
	is_str(find(name, NULL), mkpath("xdg/depeche"),
	       "an empty DEPECHE_CONFIG is ignored");

	char want[4400];
	snprintf(want, sizeof want, "!%d configuration directory '%s' does "
	         "not exist", (int)DP_ERR_CONFIG, mkpath("nope"));
	is_str(find(name, mkpath("nope")), want,
	       "a missing --config directory: a configuration error");
	snprintf(want, sizeof want, "!%d configuration directory '%s/%s' "
	         "is not a directory", (int)DP_ERR_CONFIG, mkpath("cli"),
	         name);
	char fileasdir[4400];
	snprintf(fileasdir, sizeof fileasdir, "%s/%s", mkpath("cli"), name);
	is_str(find(name, fileasdir), want,
	       "a --config that is a file: a configuration error");

	char small[8];
	dp_status st = DP_OK;
	dp_error e = {0};
	ok(dp_config_find(name, mkpath("cli"), small, sizeof small, &st, &e)
	   == 0 && st == DP_OK, "a path that does not fit: not found");
	unsetenv("DEPECHE_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
}

static void test_default_db(void)
{
	char p[4096];
	setenv("DEPECHE_DB", "/srv/depeche/db", 1);
	setenv("XDG_DATA_HOME", "/xdg/data", 1);
	setenv("HOME", "/home/u", 1);
	ok(dp_config_default_db(p, sizeof p) && !strcmp(p, "/srv/depeche/db"),
	   "DEPECHE_DB first: %s", p);
	setenv("DEPECHE_DB", "", 1);
	ok(dp_config_default_db(p, sizeof p)
	   && !strcmp(p, "/xdg/data/depeche/db"),
	   "an empty DEPECHE_DB is ignored: XDG_DATA_HOME: %s", p);
	unsetenv("DEPECHE_DB");
	ok(dp_config_default_db(p, sizeof p)
	   && !strcmp(p, "/xdg/data/depeche/db"), "XDG_DATA_HOME/depeche/db");
	unsetenv("XDG_DATA_HOME");
	ok(dp_config_default_db(p, sizeof p)
	   && !strcmp(p, "/home/u/.local/share/depeche/db"),
	   "~/.local/share/depeche/db: %s", p);
	setenv("XDG_DATA_HOME", "", 1);
	ok(dp_config_default_db(p, sizeof p)
	   && !strcmp(p, "/home/u/.local/share/depeche/db"),
	   "an empty XDG_DATA_HOME counts as unset");
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	ok(!dp_config_default_db(p, sizeof p), "no home: no default database");
	setenv("HOME", "/home/u", 1);
	char small[10];
	ok(!dp_config_default_db(small, sizeof small),
	   "a path that does not fit (from HOME): 0");
	setenv("DEPECHE_DB", "/srv/depeche/db", 1);
	ok(!dp_config_default_db(small, sizeof small),
	   "a path that does not fit (from DEPECHE_DB): 0");
	unsetenv("DEPECHE_DB");
}

int main(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/test-config-XXXXXX",
	         base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp %s: %s\n", tmpdir, strerror(errno));
		return 1;
	}
	test_shipped();
	test_valid();
	test_invalid();
	test_yamltree();
	test_find();
	test_default_db();
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
