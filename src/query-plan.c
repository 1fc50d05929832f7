/* query-plan.c: the plan — compiling a query tree (query-parse.c) into a
 * Xapian query through the analyzer and xapian-shim.h: words, phrases,
 * names and their fallback to words, entities, filters, proximity boosts.
 * See query.h and depeche-query(7). */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "dispatch.h"
#include "query-private.h"
#include "query.h"
#include "schema.h"
#include "spell.h"
#include "utf8.h"

/* Proximity boosts look at this many of a query's words at most (those
 * that are neither stop words nor frequent). */
#define MAX_PROXIMITY_WORDS 12

/* ---- string sets ------------------------------------------------------------ */

int dp_strset_has(const dp_strset *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 1;
	return 0;
}

int dp_strset_add(dp_strset *s, const char *str)
{
	if (dp_strset_has(s, str))
		return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		char **nv = realloc(s->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n] = strdup(str);
	if (!s->v[s->n])
		return -1;
	s->n++;
	return 0;
}

void dp_strset_release(dp_strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- compiler --------------------------------------------------------------- */

typedef struct compiler {
	dp_analyzer *an;
	const dp_profile *p;
	const dp_entities *ents;
	dpx_db *db;
	int implicit_or;
	dp_compiled *out;
	dp_error *err;
	dp_status st;
	dp_tokens *toks;
	const dp_qnode *first_word;  /* the query's first free-text word */
	int any_lower;               /* some word is in lower case */
	int name_mode;               /* the text being compiled is a name */
	int correct;                 /* correct words the index lacks */
	const char *typed;           /* the word being compiled, as typed */
	int only;                    /* dp_score_part: weigh this part alone */
	struct dp_spell_memo *memo;
	dp_qdate_scan dates;         /* the dates of the free text so far */
} compiler;

/* The number of dispatches holding prefix + t, or -1 when the index
 * cannot tell (no database, or an error). */
static long term_freq(compiler *c, const char *prefix, const char *t)
{
	if (!c->db)
		return -1;
	char buf[DP_MAX_WORD * 3 + 16];
	snprintf(buf, sizeof buf, "%s%s", prefix, t);
	uint32_t tf = 0;
	dp_error e = {0};
	if (dpx_db_termfreq(c->db, buf, strlen(buf), &tf, &e) != DP_OK)
		return -1;
	return (long)tf;
}

/* Whether the index holds prefix + t (or cannot tell). */
static int term_indexed(compiler *c, const char *prefix, const char *t)
{
	return term_freq(c, prefix, t) != 0;
}

/* The term to search for t under prefix: t itself, or when the index
 * never saw it and corrections are on, the closest indexed term
 * (recorded for "did you mean").  out holds DP_MAX_WORD * 3 + 1. */
static const char *corrected(compiler *c, const char *prefix, const char *t,
                             int is_name, char *out)
{
	if (!c->correct || !c->db || term_indexed(c, prefix, t))
		return t;
	if (!dp_spell_correct_memo(c->memo, c->db, prefix, t, out,
	                           DP_MAX_WORD * 3 + 1))
		return t;
	size_t k = c->out->corr_word.n;
	if (k < 32 && c->typed && !dp_strset_has(&c->out->corr_word, c->typed)
	    && dp_strset_add(&c->out->corr_word, c->typed) == 0) {
		if (dp_strset_add(&c->out->corr_term, out) < 0)
			c->out->corr_word.n--;  /* keep the two lists paired */
		else if (is_name)
			c->out->corr_names |= 1u << k;
	}
	return out;
}

/* A capitalised word the index does not hold as a name, whose stem the
 * index holds only because other names share it ("Griner" and "Grini" are
 * both "grin"): the word's documents are those names' documents, and a
 * search for one name must not find another. */
typedef struct {
	dp_analyzer *an;
	const char *stem;
	uint64_t tf;            /* documents of the names with that stem */
} same_stem;

static int add_same_stem(void *ctx, const char *term, size_t len,
                         uint32_t termfreq)
{
	same_stem *s = ctx;
	size_t pl = strlen(DP_PREFIX_NAME);
	if (len <= pl || len - pl > DP_MAX_WORD || memchr(term + pl, ' ', len - pl))
		return 0;
	char st[DP_MAX_WORD * 3 + 1];
	dp_analyzer_stem(s->an, term + pl, len - pl, st);
	if (strcmp(st, s->stem) == 0)
		s->tf += termfreq;
	return 0;
}

static int stem_only_of_other_names(compiler *c, const char *stem,
                                    const char *name)
{
	long tf = c->an ? term_freq(c, DP_PREFIX_TEXT, stem) : -1;
	if (tf <= 0)
		return 0;
	char buf[DP_MAX_WORD * 3 + 16];
	dp_error e = {0};
	/* the names that can share the stem begin as this one does: its
	 * first two characters */
	size_t i = 0, n = strlen(name);
	for (int k = 0; k < 2 && i < n; k++)
		(void)dp_utf8_decode(name, n, &i);
	int w = snprintf(buf, sizeof buf, "%s%.*s", DP_PREFIX_NAME, (int)i, name);
	if (w < 0 || (size_t)w >= sizeof buf)
		return 0;
	same_stem s = {c->an, stem, 0};
	if (dpx_db_allterms_each(c->db, buf, add_same_stem, &s, &e) != DP_OK)
		return 0;
	return s.tf >= (uint64_t)tf;
}

/* Whether the index holds name as a name (or cannot tell). */
static int name_indexed(compiler *c, const char *name)
{
	return term_indexed(c, DP_PREFIX_NAME, name);
}

static dpx_query *cnomem(compiler *c)
{
	c->st = dp_error_set(c->err, DP_ERR_NOMEM, "out of memory");
	return NULL;
}

static dpx_query *term_q(compiler *c, const char *prefix, const char *t,
                         uint32_t pos)
{
	char buf[DP_MAX_WORD * 3 + 16];
	snprintf(buf, sizeof buf, "%s%s", prefix, t);
	dpx_query *q = dpx_query_term(buf, strlen(buf), 1, pos);
	return q ? q : cnomem(c);
}

static dpx_query *scaled(compiler *c, dpx_query *q, double w)
{
	if (!q)
		return NULL;
	if (w == 1.0)
		return q;
	dpx_query *s = dpx_query_scale(q, w);
	dpx_query_free(q);
	return s ? s : cnomem(c);
}

/* q weighed w as part k of the score; when compiling one part alone
 * (--explain), the other parts still match but weigh nothing, so that the
 * query keeps its shape and the parts add up to the score. */
static dpx_query *part(compiler *c, dpx_query *q, double w, int k)
{
	if (!q)
		return NULL;
	if (c->only != DP_PART_ALL && c->only != k) {
		dpx_query *s = dpx_query_scale(q, 0);
		dpx_query_free(q);
		return s ? s : cnomem(c);
	}
	return scaled(c, q, w);
}

static dpx_query *combine(compiler *c, dpx_op op, dpx_query **v, size_t n,
                          uint32_t window)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i])
			v[k++] = v[i];
	if (k == 0)
		return NULL;
	if (k == 1 && op != DPX_OP_PHRASE && op != DPX_OP_NEAR)
		return v[0];
	dpx_query *q = dpx_query_combine(op, v, k, window);
	for (size_t i = 0; i < k; i++)
		dpx_query_free(v[i]);
	return q ? q : cnomem(c);
}

/* A positional operator (phrase, window) over k words: its weight from
 * the words' terms wv, its positions from their position terms pv
 * (schema 5: a word indexed under two terms has its positions under one,
 * dp_token_position_term).  When no word differs (differ 0), the
 * operator over wv alone, as before; else the terms together, filtered
 * by the operator over the position terms, which weighs the same (a
 * phrase weighs as the sum of its terms).  Takes wv[i] and pv[i]. */
static dpx_query *positional(compiler *c, dpx_op op, dpx_query **wv,
                             dpx_query **pv, size_t k, uint32_t window,
                             int differ)
{
	if (!differ) {
		for (size_t i = 0; i < k; i++)
			dpx_query_free(pv[i]);
		return combine(c, op, wv, k, window);
	}
	dpx_query *f[2];
	f[1] = combine(c, op, pv, k, window);
	f[0] = combine(c, DPX_OP_AND, wv, k, 0);
	if (!f[0] || !f[1]) {
		dpx_query_free(f[0]);
		dpx_query_free(f[1]);
		return NULL;
	}
	return combine(c, DPX_OP_FILTER, f, 2, 0);
}

static int record_token(compiler *c, const dp_token *t, dp_qfield field)
{
	if (field != DP_FIELD_NAME && dp_strset_add(&c->out->terms, t->term) < 0)
		return -1;
	if (t->name && (t->flags & DP_TOK_CAP)
	    && dp_strset_add(&c->out->names, t->name) < 0)
		return -1;
	return 0;
}

/* With the profile's coordination, a word's query also gives a constant
 * to each dispatch that holds the word. */
static dpx_query *coordinated(compiler *c, dpx_query *q, const char *term)
{
	if (!q || c->p->coordination <= 0)
		return q;
	dpx_query *f[2] = {dpx_query_fixed_weight(c->p->coordination),
	                   term_q(c, DP_PREFIX_TEXT, term, 0)};
	dpx_query *k = f[0] && f[1] ? dpx_query_combine(DPX_OP_FILTER, f, 2, 0)
	                            : NULL;
	dpx_query_free(f[0]);
	dpx_query_free(f[1]);
	if (!k) {
		dpx_query_free(q);
		return cnomem(c);
	}
	if (!(k = part(c, k, 1, DP_PART_COORDINATION))) {
		dpx_query_free(q);
		return NULL;
	}
	dpx_query *v[2] = {q, k};
	return combine(c, DPX_OP_OR, v, 2, 0);
}

/* The query for one analysed token in every field it may be in. */
static dpx_query *token_q(compiler *c, const dp_token *t, dp_qfield field)
{
	if (record_token(c, t, field) < 0)
		return cnomem(c);
	const dp_profile *p = c->p;
	if (field == DP_FIELD_NAME) {
		if (!t->name)
			return NULL;
		return part(c, term_q(c, DP_PREFIX_NAME, t->name, 0), 1,
		            DP_PART_NAMES);
	}
	if (field == DP_FIELD_HEADLINE)
		return part(c, term_q(c, DP_PREFIX_HEADLINE, t->term, 0), 1,
		            DP_PART_HEADLINE);
	int is_name = t->name && (t->flags & DP_TOK_CAP);
	if (is_name && c->name_mode && p->w_names > 0) {
		/* a name: the name, not the common word ("Bout" is not "au
		 * bout de").  A name the index lacks may be misspelled; it
		 * is the word when the index has the word ("Annexion" at the
		 * head of a query), and nothing when only other names share
		 * its stem ("Griner" is not "Grini") */
		char fix[DP_MAX_WORD * 3 + 1];
		const char *nm = t->name;
		int have = name_indexed(c, t->name), others = 0;
		if (!have) {
			others = stem_only_of_other_names(c, t->term, t->name);
			if (others || !term_indexed(c, DP_PREFIX_TEXT, t->term))
				nm = corrected(c, DP_PREFIX_NAME, t->name, 1, fix);
		}
		if (nm != t->name || have) {
			if (nm != t->name && dp_strset_add(&c->out->names, nm) < 0)
				return cnomem(c);
			dpx_query *name = part(c, term_q(c, DP_PREFIX_NAME, nm, 0),
			                       p->w_names, DP_PART_NAMES);
			if (!c->any_lower)
				return name;
			/* inside a sentence-like query, the word also counts,
			 * a little: the text may write the name only at the
			 * start of a sentence */
			dpx_query *v2[2] = {name, NULL};
			if (p->w_body > 0 && p->w_names_as_words > 0)
				v2[1] = part(c, term_q(c, DP_PREFIX_TEXT, t->term, 0),
				             p->w_body * p->w_names_as_words,
				             DP_PART_TEXT);
			return combine(c, DPX_OP_OR, v2, 2, 0);
		}
		if (others)  /* the name, which the index lacks: nothing */
			return part(c, term_q(c, DP_PREFIX_NAME, t->name, 0),
			            p->w_names, DP_PART_NAMES);
	}
	char fixed[DP_MAX_WORD * 3 + 1];
	const char *term = corrected(c, DP_PREFIX_TEXT, t->term, 0, fixed);
	if (term != t->term && dp_strset_add(&c->out->terms, term) < 0)
		return cnomem(c);
	/* the word anywhere, and extra weight in the headline or the lead */
	dpx_query *v[4] = {NULL, NULL, NULL, NULL};
	if (p->w_headline > 0)
		v[0] = part(c, term_q(c, DP_PREFIX_HEADLINE, term, 0),
		            p->w_headline, DP_PART_HEADLINE);
	if (p->w_lead > 0)
		v[1] = part(c, term_q(c, DP_PREFIX_LEAD, term, 0), p->w_lead,
		            DP_PART_LEAD);
	if (p->w_body > 0)
		v[2] = part(c, term_q(c, DP_PREFIX_TEXT, term, 0), p->w_body,
		            DP_PART_TEXT);
	if (p->w_names > 0 && is_name)
		v[3] = part(c, term_q(c, DP_PREFIX_NAME, t->name, 0),
		            p->w_names < 1 ? p->w_names : 1, DP_PART_NAMES);
	if (c->st != DP_OK) {
		for (int i = 0; i < 4; i++)
			dpx_query_free(v[i]);
		return NULL;
	}
	dpx_query *q = combine(c, DPX_OP_OR, v, 4, 0);
	if (q && (t->flags & DP_TOK_NUMBER) && p->w_numbers != 1)
		q = scaled(c, q, p->w_numbers);
	return coordinated(c, q, term);
}

/* A phrase of tokens [from, to): the phrase of their words; with names,
 * in the dispatches that write all of them as names, weighed as names.
 * Names have no positions (schema 3): each is at its word's position. */
static dpx_query *phrase_in(compiler *c, const dp_tokens *toks, size_t from,
                            size_t to, int names)
{
	size_t n = to - from;
	dpx_query **v = calloc(3 * n, sizeof *v);
	if (!v)
		return cnomem(c);
	dpx_query **pv = v + 2 * n;
	uint32_t base = dp_tokens_get(toks, from)->pos;
	uint32_t span = 0;
	int ok = 1, differ = 0;
	for (size_t i = 0; i < n && ok; i++) {
		const dp_token *t = dp_tokens_get(toks, from + i);
		if (names && !t->name) {
			ok = 0;
			break;
		}
		const char *pt = dp_token_position_term(t);
		v[i] = term_q(c, DP_PREFIX_TEXT, t->term, t->pos - base + 1);
		pv[i] = term_q(c, DP_PREFIX_TEXT, pt, t->pos - base + 1);
		differ |= pt != t->term;
		if (names)
			v[n + i] = term_q(c, DP_PREFIX_NAME, t->name, 0);
		ok = v[i] && pv[i] && (!names || v[n + i]);
		span = t->pos - base + 1;
	}
	dpx_query *q = NULL;
	if (ok) {
		/* a phrase of names only filters: its positions alone */
		q = names ? positional(c, DPX_OP_PHRASE, pv, v, n, span, 0)
		          : positional(c, DPX_OP_PHRASE, v, pv, n, span, differ);
	} else {
		for (size_t i = 0; i < n; i++) {
			dpx_query_free(v[i]);
			dpx_query_free(pv[i]);
		}
	}
	if (q && names) {
		dpx_query *all = combine(c, DPX_OP_AND, v + n, n, 0);
		dpx_query *f[2] = {all, q};
		q = all ? combine(c, DPX_OP_FILTER, f, 2, 0) : NULL;
		if (!all)
			dpx_query_free(f[1]);
	} else {
		for (size_t i = n; i < 2 * n; i++)
			dpx_query_free(v[i]);
	}
	free(v);
	return q;
}

/* All the terms of tokens [from, to) in one field (no positions); the
 * headline and lead fields have no stop words (schema 3). */
static dpx_query *all_in(compiler *c, const dp_tokens *toks, size_t from,
                         size_t to, const char *prefix)
{
	size_t n = to - from, k = 0;
	dpx_query **v = calloc(n, sizeof *v);
	if (!v)
		return cnomem(c);
	for (size_t i = 0; i < n && c->st == DP_OK; i++) {
		const dp_token *t = dp_tokens_get(toks, from + i);
		if (!(t->flags & DP_TOK_STOP))
			v[k++] = term_q(c, prefix, t->term, 0);
	}
	dpx_query *q = c->st == DP_OK ? combine(c, DPX_OP_AND, v, k, 0) : NULL;
	if (c->st != DP_OK)
		for (size_t i = 0; i < k; i++)
			dpx_query_free(v[i]);
	free(v);
	return q;
}

/* The names of tokens [from, to) together (no positions), or NULL when
 * one of them is not a name. */
static dpx_query *names_all(compiler *c, const dp_tokens *toks, size_t from,
                            size_t to)
{
	size_t n = to - from;
	dpx_query **v = calloc(n, sizeof *v);
	if (!v)
		return cnomem(c);
	size_t k = 0;
	for (size_t i = 0; i < n && c->st == DP_OK; i++) {
		const dp_token *t = dp_tokens_get(toks, from + i);
		if (!t->name)
			break;
		v[k++] = term_q(c, DP_PREFIX_NAME, t->name, 0);
	}
	dpx_query *q = NULL;
	if (k == n && c->st == DP_OK)
		q = combine(c, DPX_OP_AND, v, k, 0);
	else
		for (size_t i = 0; i < k; i++)
			dpx_query_free(v[i]);
	free(v);
	return q;
}

/* Tokens [from, to) as a phrase in every field. */
static dpx_query *phrase_q(compiler *c, const dp_tokens *toks, size_t from,
                           size_t to, dp_qfield field)
{
	if (to - from == 1)
		return token_q(c, dp_tokens_get(toks, from), field);
	int all_caps = 1;
	for (size_t i = from; i < to; i++) {
		const dp_token *t = dp_tokens_get(toks, i);
		if (record_token(c, t, field) < 0)
			return cnomem(c);
		if (!(t->flags & DP_TOK_CAP))
			all_caps = 0;
	}
	const dp_profile *p = c->p;
	if (field == DP_FIELD_NAME)
		return part(c, phrase_in(c, toks, from, to, 1), 1,
		            DP_PART_NAMES);
	if (field == DP_FIELD_HEADLINE) {
		/* headline words have no positions: all of them in the
		 * headline, and the phrase in the text */
		dpx_query *v[2] = {part(c, all_in(c, toks, from, to,
		                                  DP_PREFIX_HEADLINE), 1,
		                        DP_PART_HEADLINE),
		                   phrase_in(c, toks, from, to, 0)};
		if (c->st != DP_OK) {
			dpx_query_free(v[0]);
			dpx_query_free(v[1]);
			return NULL;
		}
		return combine(c, DPX_OP_FILTER, v, 2, 0);
	}
	if (all_caps && c->name_mode && p->w_names > 0) {
		int indexed = 1;
		for (size_t i = from; i < to && indexed; i++)
			indexed = name_indexed(c, dp_tokens_get(toks, i)->name);
		if (indexed)
			return part(c, phrase_in(c, toks, from, to, 1),
			            p->w_names, DP_PART_NAMES);
	}
	/* the phrase in the text, weighed as names too where the dispatch
	 * has its words as names (one phrase to check, not two); extra
	 * weight when its words are all in the headline or the lead */
	dpx_query *v[2] = {NULL, NULL};
	v[0] = part(c, phrase_in(c, toks, from, to, 0),
	            p->w_body > 0 ? p->w_body : 1, DP_PART_TEXT);
	if (v[0] && p->w_names > 0 && all_caps)
		v[1] = part(c, names_all(c, toks, from, to),
		            p->w_names < 1 ? p->w_names : 1, DP_PART_NAMES);
	dpx_query *main = combine(c, DPX_OP_AND_MAYBE, v, 2, 0);
	dpx_query *x[2] = {NULL, NULL};
	if (main && p->w_headline > 0)
		x[0] = part(c, all_in(c, toks, from, to, DP_PREFIX_HEADLINE),
		            p->w_headline, DP_PART_HEADLINE);
	if (main && p->w_lead > 0)
		x[1] = part(c, all_in(c, toks, from, to, DP_PREFIX_LEAD),
		            p->w_lead, DP_PART_LEAD);
	dpx_query *extra = combine(c, DPX_OP_OR, x, 2, 0);
	if (c->st != DP_OK) {
		dpx_query_free(main);
		dpx_query_free(extra);
		return NULL;
	}
	if (!extra)
		return main;
	dpx_query *m[2] = {main, extra};
	return combine(c, DPX_OP_AND_MAYBE, m, 2, 0);
}

static dp_status analyse(compiler *c, const char *text)
{
	dp_tokens_reset(c->toks);
	return dp_analyze(c->an, text, strlen(text), 1, DP_ANALYZE_QUERY,
	                  c->toks, c->err);
}

/* Whether a word node is only a stop word. */
static int is_stop_word(compiler *c, const dp_qnode *n)
{
	if (n->kind != DP_Q_WORD || n->field != DP_FIELD_ANY)
		return 0;
	if (analyse(c, n->text) != DP_OK)
		return 0;
	size_t k = dp_tokens_count(c->toks);
	if (k == 0)
		return 1; /* punctuation only */
	for (size_t i = 0; i < k; i++)
		if (!(dp_tokens_get(c->toks, i)->flags & DP_TOK_STOP))
			return 0;
	return 1;
}

static dpx_query *compile(compiler *c, const dp_qnode *n);

/* Compiles what a query excludes: its words are neither highlighted nor
 * counted as text. */
static dpx_query *compile_excluded(compiler *c, const dp_qnode *n)
{
	size_t nt = c->out->terms.n, nn = c->out->names.n;
	int has_text = c->out->has_text;
	size_t n_words = c->out->n_words;
	int correct = c->correct;
	c->correct = 0;  /* what is excluded is taken as typed */
	dpx_query *q = compile(c, n);
	c->correct = correct;
	while (c->out->terms.n > nt)
		free(c->out->terms.v[--c->out->terms.n]);
	while (c->out->names.n > nn)
		free(c->out->names.v[--c->out->names.n]);
	c->out->has_text = has_text;
	c->out->n_words = n_words;
	return q;
}

/* Positional alternatives of one word, for proximity groups: the word in
 * every field and as a name (positions are unique in a document, so one
 * window spans all). */
static dpx_query *near_word(compiler *c, const dp_token *t, int pos)
{
	if (!pos && record_token(c, t, DP_FIELD_ANY) < 0)
		return cnomem(c);
	dpx_query *v[4];
	v[0] = NULL;
	v[1] = NULL;
	v[2] = term_q(c, DP_PREFIX_TEXT,
	              pos ? dp_token_position_term(t) : t->term, 0);
	v[3] = (t->name && (t->flags & DP_TOK_CAP))
	           ? term_q(c, DP_PREFIX_NAME, t->name, 0) : NULL;
	if (c->st != DP_OK) {
		for (int i = 0; i < 4; i++)
			dpx_query_free(v[i]);
		return NULL;
	}
	return combine(c, DPX_OP_OR, v, 4, 0);
}

static dpx_query *compile_near(compiler *c, const dp_qnode *n)
{
	size_t cap = 0, k = 0;
	dpx_query **v = NULL, **pv = NULL;
	int differ = 0;
	for (size_t i = 0; i < n->n; i++) {
		if (analyse(c, n->kids[i]->text) != DP_OK) {
			c->st = c->err->status;
			goto fail;
		}
		size_t nt = dp_tokens_count(c->toks);
		for (size_t j = 0; j < nt; j++) {
			const dp_token *t = dp_tokens_get(c->toks, j);
			if (t->flags & DP_TOK_STOP)
				continue;
			if (k == cap) {
				cap = cap ? cap * 2 : 8;
				dpx_query **nv = realloc(v, cap * sizeof *nv);
				if (nv)
					v = nv;
				dpx_query **np = nv ? realloc(pv, cap * sizeof *np)
				                    : NULL;
				if (!np) {
					cnomem(c);
					goto fail;
				}
				pv = np;
			}
			v[k] = near_word(c, t, 0);
			pv[k] = v[k] ? near_word(c, t, 1) : NULL;
			if (!pv[k]) {
				dpx_query_free(v[k]);
				goto fail;
			}
			differ |= dp_token_position_term(t) != t->term;
			k++;
		}
	}
	if (k < 2) {
		for (size_t i = 0; i < k; i++) {
			dpx_query_free(v[i]);
			dpx_query_free(pv[i]);
		}
		free(v);
		free(pv);
		c->st = dp_error_set(c->err, DP_ERR_SYNTAX,
		                     "column %zu: a proximity group needs two "
		                     "words that are not stop words", n->col);
		return NULL;
	}
	c->out->n_words += k;
	dpx_query *q = positional(c, DPX_OP_NEAR, v, pv, k, n->window, differ);
	free(v);
	free(pv);
	c->out->has_text = 1;
	return q;
fail:
	for (size_t i = 0; i < k; i++) {
		dpx_query_free(v[i]);
		dpx_query_free(pv[i]);
	}
	free(v);
	free(pv);
	return NULL;
}

/* Strings in one term space combined with op (a phrase, or AND), or a
 * term for one string. */
static dpx_query *strings_combine(compiler *c, const char *prefix,
                                  const char *const *s, size_t n, dpx_op op)
{
	if (n == 1)
		return term_q(c, prefix, s[0], 0);
	dpx_query **v = calloc(n, sizeof *v);
	if (!v)
		return cnomem(c);
	for (size_t i = 0; i < n; i++)
		if (!(v[i] = term_q(c, prefix, s[i], (uint32_t)(i + 1)))) {
			for (size_t k = 0; k < i; k++)
				dpx_query_free(v[k]);
			free(v);
			return NULL;
		}
	dpx_query *q = dpx_query_combine(op, v, n,
	                                 op == DPX_OP_PHRASE ? (uint32_t)n : 0);
	for (size_t i = 0; i < n; i++)
		dpx_query_free(v[i]);
	free(v);
	return q ? q : cnomem(c);
}

/* A phrase of strings in one term space (or a term for one). */
static dpx_query *strings_phrase(compiler *c, const char *prefix,
                                 const char *const *s, size_t n)
{
	return strings_combine(c, prefix, s, n, DPX_OP_PHRASE);
}

/* A phrase of words given by their terms, weighed by them, where their
 * position terms (schema 5) stand next to each other. */
static dpx_query *text_phrase(compiler *c, const char *const *stems,
                              const char *const *pstems, size_t n)
{
	int differ = 0;
	for (size_t i = 0; n > 1 && i < n; i++)
		differ |= stems[i] != pstems[i];
	if (!differ)
		return strings_phrase(c, DP_PREFIX_TEXT, stems, n);
	dpx_query *f[2] = {strings_combine(c, DP_PREFIX_TEXT, stems, n,
	                                   DPX_OP_AND), NULL};
	if (f[0])
		f[1] = strings_phrase(c, DP_PREFIX_TEXT, pstems, n);
	if (!f[1]) {
		dpx_query_free(f[0]);
		return NULL;
	}
	return combine(c, DPX_OP_FILTER, f, 2, 0);
}

/* A spelling of names in the dispatches that write them all as names,
 * weighed as names, where their words make the phrase (names have no
 * positions: each is at its word's position). */
static dpx_query *names_phrase(compiler *c, const char *const *names,
                               const char *const *stems, size_t n)
{
	if (n == 1)
		return term_q(c, DP_PREFIX_NAME, names[0], 0);
	dpx_query *f[2] = {strings_combine(c, DP_PREFIX_NAME, names, n,
	                                   DPX_OP_AND),
	                   NULL};
	if (f[0])
		f[1] = strings_phrase(c, DP_PREFIX_TEXT, stems, n);
	if (!f[1]) {
		dpx_query_free(f[0]);
		return NULL;
	}
	return combine(c, DPX_OP_FILTER, f, 2, 0);
}

/* An entity named in the query: any of its spellings.  A spelling made
 * of capitalised words is searched as a name; others as words. */
/* An acronym as written: two or more capitals, no small letter ("USA",
 * "OTAN"). */
static int is_acronym(const char *text)
{
	size_t caps = 0;
	for (const char *t = text; *t; t++) {
		if (*t >= 'A' && *t <= 'Z')
			caps++;
		else if (*t != '.')
			return 0;
	}
	return caps >= 2;
}

/* Whether words b[0..nb) make a run of a[0..na). */
static int has_run(const char *const *a, size_t na, const char *const *b,
                   size_t nb)
{
	for (size_t i = 0; nb && i + nb <= na; i++) {
		size_t j = 0;
		while (j < nb && strcmp(a[i + j], b[j]) == 0)
			j++;
		if (j == nb)
			return 1;
	}
	return 0;
}

/* Whether variants x and y search the same terms. */
static int same_variant(const dp_variant *x, const dp_variant *y)
{
	if (x->names != y->names || x->n != y->n)
		return 0;
	const char *const *a = x->names ? x->words : x->stems;
	const char *const *b = y->names ? y->words : y->stems;
	for (size_t j = 0; j < x->n; j++)
		if (strcmp(a[j], b[j]) != 0)
			return 0;
	return 1;
}

static dpx_query *entity_q(compiler *c, const dp_entity *e)
{
	const dp_profile *p = c->p;
	size_t nv = e->nv ? e->nv : 1;
	dpx_query **v = calloc(nv, sizeof *v);
	/* per spelling: whether the index holds all its words as names
	 * (looked up once each; 2 for a repeated spelling), and the
	 * shortest such spelling that is a
	 * run of its words (its cover), or -1 */
	unsigned char *indexed = calloc(nv, 1);
	long *cover = calloc(nv, sizeof *cover);
	if (!v || !indexed || !cover) {
		free(v);
		free(indexed);
		free(cover);
		return cnomem(c);
	}
	for (size_t i = 0; i < e->nv; i++) {
		const dp_variant *var = &e->v[i];
		int ix = var->names;
		for (size_t j = 0; j < var->n && ix; j++)
			ix = name_indexed(c, var->words[j]);
		indexed[i] = (unsigned char)ix;
		/* a spelling that folds like an earlier one ("États-Unis",
		 * "Etats-Unis") searches nothing more: 2 */
		for (size_t m = 0; m < i && indexed[i] != 2; m++)
			if (indexed[m] != 2 && same_variant(var, &e->v[m]))
				indexed[i] = 2;
	}
	for (size_t i = 0; i < e->nv; i++) {
		const dp_variant *var = &e->v[i];
		cover[i] = -1;
		for (size_t m = 0; indexed[i] == 1 && var->n > 1 && m < e->nv;
		     m++)
			if (m != i && indexed[m] == 1 && e->v[m].n < var->n
			    && (cover[i] < 0 || e->v[m].n < e->v[cover[i]].n)
			    && has_run(var->words, var->n, e->v[m].words,
			               e->v[m].n))
				cover[i] = (long)m;
	}
	for (size_t i = 0; i < e->nv && c->st == DP_OK; i++) {
		const dp_variant *var = &e->v[i];
		for (size_t j = 0; j < var->n; j++) {
			if (dp_strset_add(var->names ? &c->out->names
			                             : &c->out->terms,
			                  var->names ? var->words[j]
			                             : var->stems[j]) < 0)
				cnomem(c);
		}
		if (indexed[i] == 2 || cover[i] >= 0)
			continue;
		if (indexed[i]) {
			v[i] = part(c, names_phrase(c, var->words, var->pstems,
			                            var->n),
			            p->w_names, DP_PART_NAMES);
		} else if (var->names && var->n == 1
		           && stem_only_of_other_names(c, var->stems[0],
		                                       var->words[0])) {
			continue;  /* another name's stem ("Grini" for "Griner") */
		} else if (var->names && var->n == 1
		           && is_acronym(var->text)) {
			continue;  /* "USA" is not the verb "usa" */
		} else if (p->w_body > 0) {
			/* a spelling with words in lower case, or a name the
			 * index never holds as one: as words */
			v[i] = part(c, text_phrase(c, var->stems, var->pstems,
			                           var->n),
			            p->w_body, DP_PART_TEXT);
		}
	}
	/* a spelling that a shorter one the index holds already finds
	 * ("Sergueï Lavrov" when "Lavrov" is one, "Marine Le Pen" when
	 * "Le Pen" is) only adds weight where that one matches: its names
	 * together, without its phrase, which is dear to check in every
	 * dispatch that has the names */
	for (size_t i = 0; i < e->nv && c->st == DP_OK; i++) {
		if (cover[i] < 0 || !v[cover[i]])
			continue;
		const dp_variant *var = &e->v[i];
		dpx_query *m[2] = {v[cover[i]],
		                   part(c, strings_combine(c, DP_PREFIX_NAME,
		                                           var->words, var->n,
		                                           DPX_OP_AND),
		                        p->w_names, DP_PART_NAMES)};
		v[cover[i]] = combine(c, DPX_OP_AND_MAYBE, m, 2, 0);
	}
	free(cover);
	size_t k = 0;
	for (size_t i = 0; i < e->nv; i++)
		if (v[i])
			v[k++] = v[i];
	free(indexed);
	if (c->st != DP_OK) {
		for (size_t i = 0; i < k; i++)
			dpx_query_free(v[i]);
		free(v);
		return NULL;
	}
	dpx_query *q = k ? combine(c, DPX_OP_OR, v, k, 0) : NULL;
	free(v);
	if (!q && c->st == DP_OK)
		q = dpx_query_match_nothing();
	return q;
}


static dpx_query *compile_text(compiler *c, const dp_qnode *n)
{
	if (analyse(c, n->text) != DP_OK) {
		c->st = c->err->status;
		return NULL;
	}
	size_t k = dp_tokens_count(c->toks);
	if (k == 0)
		return NULL;
	c->out->weekdays |= dp_qdate_weekdays(c->toks);
	c->out->has_text = 1;
	c->out->n_words++;
	c->name_mode = (dp_tokens_get(c->toks, 0)->flags & DP_TOK_CAP)
	               && (n != c->first_word || !c->any_lower);
	c->typed = n->kind == DP_Q_WORD ? n->text : NULL;
	if (c->name_mode && n->field == DP_FIELD_ANY && c->ents) {
		/* a phrase that is an entity's name: all its spellings */
		const char *w[16];
		size_t nw = k < 16 ? k : 16;
		for (size_t i = 0; i < nw; i++) {
			const dp_token *t = dp_tokens_get(c->toks, i);
			w[i] = t->name ? t->name : t->word;
		}
		const dp_entity *e;
		if (k <= 16 && dp_entities_match(c->ents, w, nw, &e) == k) {
			dpx_query *q = entity_q(c, e);
			c->name_mode = 0;
			return q;
		}
	}
	/* "porte-parole", "Etats-Unis": a word of several parts is a phrase
	 * of them, with stop words kept */
	dpx_query *q = phrase_q(c, c->toks, 0, k, n->field);
	c->name_mode = 0;
	c->typed = NULL;
	return q;
}

static dpx_query *live_q(compiler *c)
{
	dpx_query *q = dpx_query_term(DP_TERM_LIVE, strlen(DP_TERM_LIVE), 1, 0);
	return q ? q : cnomem(c);
}

/* Two words w[0], w[1] (positions under p[0], p[1]) next to each other
 * or near; the words are left to the caller. */
static dpx_query *pair_q(compiler *c, dpx_op op, dpx_query *const *w,
                         dpx_query *const *p, uint32_t window, int differ)
{
	dpx_query *q;
	if (!differ) {
		q = dpx_query_combine(op, w, 2, window);
		return q ? q : cnomem(c);
	}
	dpx_query *f[2] = {dpx_query_combine(DPX_OP_AND, w, 2, 0),
	                   dpx_query_combine(op, p, 2, window)};
	q = f[0] && f[1] ? dpx_query_combine(DPX_OP_FILTER, f, 2, 0) : NULL;
	dpx_query_free(f[0]);
	dpx_query_free(f[1]);
	return q ? q : cnomem(c);
}

/* For the words of an implicit AND (free text), extra weight when they
 * stand next to each other (phrase) or near (window): the profile's
 * proximity boosts.  Returns main, wrapped in AND_MAYBE when boosted. */
static dpx_query *proximity_boost(compiler *c, const dp_qnode *n,
                                  int drop_stops, dpx_query *main)
{
	const dp_profile *p = c->p;
	if (p->phrase_boost <= 0 && p->near_boost <= 0)
		return main;
	dpx_query *words[MAX_PROXIMITY_WORDS], *pwords[MAX_PROXIMITY_WORDS];
	int differs[MAX_PROXIMITY_WORDS];
	uint32_t at[MAX_PROXIMITY_WORDS];  /* place in the query */
	size_t k = 0;
	uint32_t doccount = 0;
	if (c->db) {
		dp_error e = {0};
		dpx_db_doccount(c->db, &doccount, &e);
	}
	for (size_t i = 0; i < n->n && k < MAX_PROXIMITY_WORDS; i++) {
		const dp_qnode *w = n->kids[i];
		if (w->kind != DP_Q_WORD || w->field != DP_FIELD_ANY)
			continue;
		if (drop_stops && is_stop_word(c, w))
			continue;
		if (analyse(c, w->text) != DP_OK) {
			c->st = c->err->status;
			break;
		}
		if (dp_tokens_count(c->toks) != 1)
			continue;
		const dp_token *t = dp_tokens_get(c->toks, 0);
		/* only words that say something: not in more than one
		 * dispatch in twenty */
		if (doccount >= 100) {
			uint32_t tf = 0;
			dp_error e = {0};
			if (dpx_db_termfreq(c->db, t->term, strlen(t->term), &tf, &e)
			    == DP_OK && tf > doccount / 20)
				continue;
		}
		words[k] = near_word(c, t, 0);
		if (!words[k])
			break;
		pwords[k] = near_word(c, t, 1);
		if (!pwords[k]) {
			dpx_query_free(words[k]);
			break;
		}
		differs[k] = dp_token_position_term(t) != t->term;
		at[k] = (uint32_t)i;
		k++;
	}
	/* consecutive pairs of words: adjacent, stop words between them
	 * counted (phrase), or near (window) */
	dpx_query *boost[2 * MAX_PROXIMITY_WORDS];
	size_t nb = 0;
	for (size_t i = 0; c->st == DP_OK && i + 1 < k; i++) {
		int differ = differs[i] || differs[i + 1];
		if (p->phrase_boost > 0) {
			dpx_query *ph = pair_q(c, DPX_OP_PHRASE, words + i,
			                       pwords + i, at[i + 1] - at[i] + 1,
			                       differ);
			boost[nb++] = ph ? part(c, ph, p->phrase_boost,
			                        DP_PART_PROXIMITY)
			                 : NULL;
		}
		if (c->st == DP_OK && p->near_boost > 0) {
			dpx_query *nr = pair_q(c, DPX_OP_NEAR, words + i,
			                       pwords + i, p->near_window, differ);
			boost[nb++] = nr ? part(c, nr, p->near_boost,
			                        DP_PART_PROXIMITY)
			                 : NULL;
		}
	}
	for (size_t i = 0; i < k; i++) {
		dpx_query_free(words[i]);
		dpx_query_free(pwords[i]);
	}
	dpx_query *b = combine(c, DPX_OP_OR, boost, nb, 0);
	if (!b)
		return main;
	dpx_query *v[2] = {main, b};
	return combine(c, DPX_OP_AND_MAYBE, v, 2, 0);
}

/* In an implicit group, the words from child i on that name an entity
 * ("Sergei Lavrov" as two words): returns how many children the entity
 * takes (0 when none) and the entity in *e. */
static size_t entity_run(compiler *c, const dp_qnode *n, size_t i,
                         const dp_entity **e)
{
	*e = NULL;
	if (!c->ents)
		return 0;
	const char *w[16];
	size_t end_of[16];   /* token count at the end of each child */
	size_t nw = 0, nk = 0;
	dp_arena mem = DP_ARENA_INIT;
	for (size_t k = i; k < n->n && nk < 16; k++) {
		const dp_qnode *x = n->kids[k];
		if (x->kind != DP_Q_WORD || x->field != DP_FIELD_ANY || x->required)
			break;
		if (k == i && x == c->first_word && c->any_lower)
			break; /* a capitalised first word is not a name */
		if (analyse(c, x->text) != DP_OK)
			break;
		size_t nt = dp_tokens_count(c->toks);
		if (nt == 0 || !(dp_tokens_get(c->toks, 0)->flags & DP_TOK_CAP))
			break;
		for (size_t j = 0; j < nt && nw < 16; j++) {
			const dp_token *t = dp_tokens_get(c->toks, j);
			const char *s = t->name ? t->name : t->word;
			w[nw] = dp_arena_strndup(&mem, s, strlen(s));
			if (!w[nw])
				break;
			nw++;
		}
		end_of[nk++] = nw;
	}
	size_t taken = 0;
	const dp_entity *found = NULL;
	size_t len = nw ? dp_entities_match(c->ents, w, nw, &found) : 0;
	for (size_t k = 0; found && k < nk; k++)
		if (end_of[k] == len) {
			taken = k + 1;
			*e = found;
		}
	dp_arena_release(&mem);
	return taken;
}

/* AND or OR node: positives combined, filters applied, negatives removed. */
static dpx_query *compile_bool(compiler *c, const dp_qnode *n)
{
	int is_and = n->kind == DP_Q_AND;
	int implicit = is_and && n->implicit;
	if (implicit)
		c->out->n_implicit++;
	dpx_op op = is_and ? ((implicit && c->implicit_or) || (implicit
	                       && !c->p->default_and)
	                          ? DPX_OP_OR : DPX_OP_AND)
	                   : DPX_OP_OR;

	/* stop words go when something else is left */
	int drop_stops = 0;
	if (implicit) {
		size_t content = 0;
		for (size_t i = 0; i < n->n; i++) {
			const dp_qnode *k = n->kids[i];
			if (k->kind == DP_Q_WORD && is_stop_word(c, k))
				continue;
			if (k->kind != DP_Q_NOT)
				content++;
		}
		drop_stops = content > 0;
	}

	size_t cap = n->n;
	dpx_query **pos = calloc(cap, sizeof *pos);
	dpx_query **filt = calloc(cap, sizeof *filt);
	dpx_query **neg = calloc(cap, sizeof *neg);
	dpx_query **req = calloc(cap, sizeof *req);
	size_t np = 0, nf = 0, nn = 0, nr = 0;
	dpx_query *result = NULL;
	if (!pos || !filt || !neg || !req) {
		cnomem(c);
		goto out;
	}
	for (size_t i = 0; i < n->n; i++) {
		const dp_qnode *k = n->kids[i];
		const dp_entity *ent;
		size_t run = implicit ? entity_run(c, n, i, &ent) : 0;
		if (run) {
			/* words that name an entity: all its spellings */
			dpx_query *q = entity_q(c, ent);
			if (c->st != DP_OK)
				goto out;
			c->out->has_text = 1;
			c->out->n_words++;
			if (q)
				pos[np++] = q;
			i += run - 1;
			continue;
		}
		if (drop_stops && k->kind == DP_Q_WORD && is_stop_word(c, k))
			continue;
		if (is_and && k->kind == DP_Q_NOT) {
			dpx_query *q = compile_excluded(c, k->kids[0]);
			if (c->st != DP_OK)
				goto out;
			if (q)
				neg[nn++] = q;
			continue;
		}
		if (is_and && (k->kind == DP_Q_FILTER || k->kind == DP_Q_DATE)) {
			dpx_query *q = compile(c, k);
			if (c->st != DP_OK)
				goto out;
			if (q)
				filt[nf++] = q;
			continue;
		}
		dpx_query *q = compile(c, k);
		if (c->st != DP_OK)
			goto out;
		if (q && op == DPX_OP_OR && k->required)
			req[nr++] = q;
		else if (q)
			pos[np++] = q;
	}
	dpx_query *main = np ? combine(c, op, pos, np, 0) : NULL;
	np = 0;
	if (c->st != DP_OK)
		goto out;
	if (nr) {
		/* +words stay required when the others are optional */
		dpx_query *r = combine(c, DPX_OP_AND, req, nr, 0);
		nr = 0;
		if (r && main) {
			dpx_query *v[2] = {r, main};
			main = combine(c, DPX_OP_AND_MAYBE, v, 2, 0);
		} else if (r) {
			main = r;
		}
	}
	if (c->st != DP_OK)
		goto out;
	if (main && implicit)
		main = proximity_boost(c, n, drop_stops, main);
	if (c->st != DP_OK)
		goto out;
	if (nf) {
		dpx_query *f = combine(c, DPX_OP_AND, filt, nf, 0);
		nf = 0;
		if (!f) {
			dpx_query_free(main);
			goto out;
		}
		if (main) {
			dpx_query *v[2] = {main, f};
			main = combine(c, DPX_OP_FILTER, v, 2, 0);
		} else {
			/* filters alone: weightless, every live dispatch */
			dpx_query *v[2] = {live_q(c), f};
			main = combine(c, DPX_OP_FILTER, v, 2, 0);
		}
		if (!main)
			goto out;
	}
	if (nn) {
		dpx_query *ng = combine(c, DPX_OP_OR, neg, nn, 0);
		nn = 0;
		if (!ng) {
			dpx_query_free(main);
			goto out;
		}
		if (!main)
			main = live_q(c);
		dpx_query *v[2] = {main, ng};
		main = combine(c, DPX_OP_AND_NOT, v, 2, 0);
	}
	result = main;
out:
	for (size_t i = 0; i < np; i++)
		dpx_query_free(pos[i]);
	for (size_t i = 0; i < nf; i++)
		dpx_query_free(filt[i]);
	for (size_t i = 0; i < nn; i++)
		dpx_query_free(neg[i]);
	for (size_t i = 0; i < nr; i++)
		dpx_query_free(req[i]);
	free(pos);
	free(filt);
	free(neg);
	free(req);
	return result;
}

static dpx_query *compile(compiler *c, const dp_qnode *n)
{
	switch (n->kind) {
	case DP_Q_WORD:
	case DP_Q_PHRASE:
		return compile_text(c, n);
	case DP_Q_AND:
	case DP_Q_OR:
		return compile_bool(c, n);
	case DP_Q_NOT: {
		/* a lone negation: everything but it */
		dpx_query *x = compile_excluded(c, n->kids[0]);
		if (!x)
			return NULL;
		dpx_query *v[2] = {live_q(c), x};
		return combine(c, DPX_OP_AND_NOT, v, 2, 0);
	}
	case DP_Q_FILTER: {
		dpx_query *q = dpx_query_term(n->text, strlen(n->text), 1, 0);
		if (!q)
			return cnomem(c);
		if (n->text[0] == DP_PREFIX_ID[0]) {
			/* a killed story keeps its id term: never show it */
			dpx_query *v[2] = {q, live_q(c)};
			q = combine(c, DPX_OP_FILTER, v, 2, 0);
			if (!q)
				return NULL;
		}
		/* filters never weigh */
		dpx_query *s = dpx_query_scale(q, 0.0);
		dpx_query_free(q);
		return s ? s : cnomem(c);
	}
	case DP_Q_DATE: {
		dpx_query *q = dpx_query_value_range(DP_SLOT_DAY,
		                                     *n->text ? n->text : NULL,
		                                     *n->text2 ? n->text2 : NULL);
		if (!q)
			return cnomem(c);
		dpx_query *s = dpx_query_scale(q, 0.0);
		dpx_query_free(q);
		return s ? s : cnomem(c);
	}
	case DP_Q_NEAR:
		return part(c, compile_near(c, n), 1, DP_PART_TEXT);
	case DP_Q_ENTITY: {
		const dp_entity *e = dp_entities_find(c->ents, c->an, n->text);
		if (!e) {
			c->st = dp_error_set(c->err, DP_ERR_SYNTAX,
			                     "column %zu: no entity '%s' in %s",
			                     n->col, n->text,
			                     c->ents ? dp_entities_file(c->ents)
			                             : "entities.yaml");
			return NULL;
		}
		c->out->has_text = 1;
		c->out->n_words++;
		return entity_q(c, e);
	}
	}
	return NULL;
}

/* Finds the query's first free-text word and whether any word is in
 * lower case (words under NOT aside), and the dates the text names. */
static void scan_words(compiler *c, const dp_qnode *n)
{
	if (n->kind == DP_Q_NOT)
		return;
	if ((n->kind == DP_Q_WORD || n->kind == DP_Q_PHRASE)
	    && n->field == DP_FIELD_ANY) {
		if (!c->first_word)
			c->first_word = n;
		if (analyse(c, n->text) == DP_OK) {
			c->out->n_typed += dp_tokens_count(c->toks);
			for (size_t i = 0; i < dp_tokens_count(c->toks); i++) {
				const dp_token *t = dp_tokens_get(c->toks, i);
				if (!(t->flags & (DP_TOK_CAP | DP_TOK_STOP
				                  | DP_TOK_NUMBER)))
					c->any_lower = 1;
				dp_qdate_scan_token(&c->dates, c->out, t);
			}
		}
	}
	for (size_t i = 0; i < n->n; i++)
		scan_words(c, n->kids[i]);
}

dp_status dp_query_compile(const dp_qnode *tree, const dp_compile_env *env,
                           int implicit_or, dp_compiled *out, dp_error *err)
{
	memset(out, 0, sizeof *out);
	compiler c = {.an = env->an, .p = env->profile, .ents = env->entities,
	              .db = env->db, .implicit_or = implicit_or, .out = out,
	              .err = err, .st = DP_OK, .correct = env->correct,
	              .only = env->only, .memo = env->memo};
	c.toks = dp_tokens_new();
	if (!c.toks)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	scan_words(&c, tree);
	dpx_query *q = compile(&c, tree);
	dp_tokens_free(c.toks);
	if (c.st != DP_OK) {
		dpx_query_free(q);
		dp_compiled_release(out);
		return c.st;
	}
	if (!q) {
		/* only punctuation or stop words in a group */
		q = dpx_query_match_nothing();
		if (!q)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	out->q = q;
	return DP_OK;
}

void dp_compiled_release(dp_compiled *c)
{
	dpx_query_free(c->q);
	c->q = NULL;
	dp_strset_release(&c->terms);
	dp_strset_release(&c->names);
	dp_strset_release(&c->corr_word);
	dp_strset_release(&c->corr_term);
}
