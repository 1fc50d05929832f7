/* dossier.c: meetings and dossiers.  See dossier.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dossier.h"
#include "schema.h"
#include "utf8.h"
#include "xapian-shim.h"
#include "yamltree.h"

/* the shipped config/meetings.yaml (builtin-meetings.c, generated) */
extern const char dp_builtin_meetings_yaml[];

/* Candidates read for --meetings: the most relevant dispatches naming
 * every actor, those with a meeting sentence first. */
#define MAX_CANDIDATES 2000

/* ---- vocabulary ----------------------------------------------------------- */

struct dp_vocab {
	/* entries: each a list of stems that must all be in the sentence */
	const char ***stems;
	size_t *n_stems;
	size_t n;
	/* stems that cancel a meeting word a few words after them */
	const char **neg;
	size_t n_neg;
	dp_arena mem;
};

/* How far before a meeting word a negation cancels it. */
#define NEGATION_WINDOW 4

void dp_vocab_free(dp_vocab *v)
{
	if (!v)
		return;
	free(v->stems);
	free(v->n_stems);
	free(v->neg);
	dp_arena_release(&v->mem);
	free(v);
}

size_t dp_vocab_count(const dp_vocab *v)
{
	return v ? v->n : 0;
}

static dp_status vocab_tree(const dp_yaml *y, dp_analyzer *an,
                            dp_vocab **out, dp_error *err)
{
	static const char *const keys[] = {"words", "negations", NULL};
	if (!y->root)
		return dp_yaml_error(y, NULL, err, "empty file: expected 'words'");
	dp_status st = dp_yaml_check_keys(y, y->root, "meetings", keys, err);
	if (st != DP_OK)
		return st;
	const dp_ynode *w = dp_yaml_get(y->root, "words");
	if (!w)
		return dp_yaml_error(y, y->root, err, "missing 'words'");
	if ((st = dp_yaml_expect(y, w, DP_Y_SEQ, "words", err)))
		return st;
	dp_vocab *v = calloc(1, sizeof *v);
	if (v) {
		v->stems = calloc(w->n ? w->n : 1, sizeof *v->stems);
		v->n_stems = calloc(w->n ? w->n : 1, sizeof *v->n_stems);
	}
	dp_tokens *toks = dp_tokens_new();
	if (!v || !v->stems || !v->n_stems || !toks) {
		dp_tokens_free(toks);
		dp_vocab_free(v);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; st == DP_OK && i < w->n; i++) {
		const char *word;
		if ((st = dp_yaml_string(y, w->items[i], "words", &word, err)))
			break;
		dp_tokens_reset(toks);
		st = dp_analyze(an, word, strlen(word), 1, DP_ANALYZE_QUERY, toks,
		                err);
		if (st != DP_OK)
			break;
		size_t nt = dp_tokens_count(toks), k = 0;
		const char **s = dp_arena_alloc(&v->mem,
		                                (nt ? nt : 1) * sizeof *s);
		if (!s) {
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			break;
		}
		/* several words are a phrase: all of them, in order */
		for (size_t j = 0; j < nt; j++) {
			const dp_token *t = dp_tokens_get(toks, j);
			s[k] = dp_arena_strndup(&v->mem, t->term, strlen(t->term));
			if (!s[k]) {
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
				break;
			}
			k++;
		}
		if (st == DP_OK && k == 0)
			st = dp_yaml_error(y, w->items[i], err,
			                   "'%s' has no word to look for", word);
		v->stems[v->n] = s;
		v->n_stems[v->n] = k;
		v->n++;
	}
	const dp_ynode *ng = dp_yaml_get(y->root, "negations");
	if (st == DP_OK && ng) {
		if ((st = dp_yaml_expect(y, ng, DP_Y_SEQ, "negations", err)) == DP_OK
		    && !(v->neg = calloc(ng->n ? ng->n : 1, sizeof *v->neg)))
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		for (size_t i = 0; st == DP_OK && i < ng->n; i++) {
			const char *word;
			if ((st = dp_yaml_string(y, ng->items[i], "negations", &word,
			                         err)))
				break;
			dp_tokens_reset(toks);
			st = dp_analyze(an, word, strlen(word), 1, DP_ANALYZE_QUERY,
			                toks, err);
			if (st == DP_OK && dp_tokens_count(toks) != 1)
				st = dp_yaml_error(y, ng->items[i], err,
				                   "a negation is one word, not '%s'",
				                   word);
			if (st != DP_OK)
				break;
			const char *t = dp_tokens_get(toks, 0)->term;
			v->neg[v->n_neg] = dp_arena_strndup(&v->mem, t, strlen(t));
			if (!v->neg[v->n_neg++])
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
	}
	dp_tokens_free(toks);
	if (st != DP_OK) {
		dp_vocab_free(v);
		return st;
	}
	*out = v;
	return DP_OK;
}

dp_status dp_vocab_load_string(const char *name, const char *text,
                               size_t len, dp_analyzer *an, dp_vocab **out,
                               dp_error *err)
{
	*out = NULL;
	dp_yaml *y;
	dp_status st = dp_yaml_load_string(name, text, len, &y, err);
	if (st != DP_OK)
		return st;
	st = vocab_tree(y, an, out, err);
	dp_yaml_free(y);
	return st;
}

dp_status dp_vocab_load(const char *path, dp_analyzer *an, dp_vocab **out,
                        dp_error *err)
{
	*out = NULL;
	dp_yaml *y;
	dp_status st = dp_yaml_load_file(path, &y, err);
	if (st != DP_OK)
		return st;
	st = vocab_tree(y, an, out, err);
	dp_yaml_free(y);
	return st;
}

dp_status dp_vocab_builtin(dp_analyzer *an, dp_vocab **out, dp_error *err)
{
	return dp_vocab_load_string("built-in meetings",
	                            dp_builtin_meetings_yaml,
	                            strlen(dp_builtin_meetings_yaml), an, out,
	                            err);
}

/* ---- actors -------------------------------------------------------------- */

typedef struct actor {
	const dp_entity *entity;  /* or NULL */
	char text[200];           /* as given (quotes removed) */
	dp_strset marks;          /* names that show it in a sentence */
	dp_strset all;            /* every name word, to highlight */
} actor;

/* Resolves an actor: an entity when one has that name or alias. */
static dp_status actor_init(dp_searcher *s, actor *a, const char *arg,
                            dp_error *err)
{
	memset(a, 0, sizeof *a);
	size_t o = 0;
	for (const char *p = arg; *p && o + 1 < sizeof a->text; p++)
		if (*p != '"')
			a->text[o++] = *p;
	a->text[o] = '\0';
	dp_analyzer *an = dp_searcher_analyzer(s);
	int short_before = dp_out_of_memory_seen();
	a->entity = dp_entities_find(dp_searcher_entities(s), an, a->text);
	/* not found for want of memory is not "not an entity" */
	if (!a->entity && !short_before && dp_out_of_memory_seen())
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	int fail = 0;
	if (a->entity) {
		for (size_t i = 0; i < a->entity->nv; i++) {
			const dp_variant *v = &a->entity->v[i];
			if (!v->names || !v->n)
				continue;
			fail |= dp_strset_add(&a->marks, v->words[v->n - 1]) < 0;
			for (size_t k = 0; k < v->n; k++)
				fail |= dp_strset_add(&a->all, v->words[k]) < 0;
		}
	} else {
		dp_tokens *t = dp_tokens_new();
		if (!t)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		dp_status st = dp_analyze(an, a->text, strlen(a->text), 1,
		                          DP_ANALYZE_QUERY, t, err);
		size_t n = dp_tokens_count(t), caps = 0;
		for (size_t i = 0; i < n; i++)
			if (dp_tokens_get(t, i)->flags & DP_TOK_CAP)
				caps++;
		if (st == DP_OK && caps == 0)
			st = dp_error_set(err, DP_ERR_INVALID,
			                  "'%s' is not a name (write names with "
			                  "capitals, e.g. 'Kim Jong Un')", arg);
		for (size_t i = 0; st == DP_OK && i < n; i++) {
			const dp_token *k = dp_tokens_get(t, i);
			fail |= dp_strset_add(&a->all, k->word) < 0;
			if (i == n - 1)
				fail |= dp_strset_add(&a->marks, k->word) < 0;
		}
		dp_tokens_free(t);
		if (st != DP_OK)
			return st;
	}
	if (fail)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	return DP_OK;
}

static void actor_release(actor *a)
{
	dp_strset_release(&a->marks);
	dp_strset_release(&a->all);
}

/* The query text that finds an actor: an entity by id (every
 * spelling), else the name as a phrase. */
static size_t actor_query(const actor *a, char *out, size_t sz)
{
	if (a->entity)
		return (size_t)snprintf(out, sz, "entity:%s", a->entity->id);
	return (size_t)snprintf(out, sz, "\"%s\"", a->text);
}

/* ---- evidence ------------------------------------------------------------ */

const char *dp_evidence_name(dp_evidence e)
{
	switch (e) {
	case DP_EVIDENCE_MEETING: return "meeting";
	case DP_EVIDENCE_TOGETHER: return "together";
	case DP_EVIDENCE_MENTION: return "mention";
	}
	return "?";
}

static int is_negation(const dp_vocab *v, const dp_token *tk)
{
	for (size_t i = 0; i < v->n_neg; i++)
		if (!strcmp(tk->term, v->neg[i]))
			return 1;
	return 0;
}

/* Whether token i (a meeting word) is cancelled by a negation or an
 * intention a few words before it ("sans se parler"). */
static int negated(const dp_tokens *t, size_t from, size_t i,
                   const dp_vocab *v)
{
	uint32_t pos = dp_tokens_get(t, i)->pos;
	for (size_t k = i; k > from; k--) {
		const dp_token *p = dp_tokens_get(t, k - 1);
		if (pos - p->pos > NEGATION_WINDOW)
			break;
		if (is_negation(v, p))
			return 1;
	}
	return 0;
}

static int same_term(const dp_token *tk, const char *stem)
{
	return !strcmp(tk->term, stem) || (tk->alias && !strcmp(tk->alias, stem));
}

/* Whether the sentence [from, to) holds a meeting word (or the words of
 * a multi-word entry, one after the other), not negated. */
static int sentence_has_vocab(const dp_tokens *t, size_t from, size_t to,
                              const dp_vocab *v)
{
	for (size_t e = 0; e < v->n; e++) {
		size_t len = v->n_stems[e];
		for (size_t i = from; i + len <= to; i++) {
			size_t k = 0;
			while (k < len
			       && same_term(dp_tokens_get(t, i + k), v->stems[e][k])
			       && (k == 0 || dp_tokens_get(t, i + k)->pos
			                         == dp_tokens_get(t, i + k - 1)->pos
			                                + 1))
				k++;
			if (k == len && !negated(t, from, i, v))
				return 1;
		}
	}
	return 0;
}

/* The best evidence in one text (headline or body). */
static dp_evidence text_evidence(dp_analyzer *an, const char *text,
                                 size_t len, const actor *actors,
                                 size_t nactors, const dp_vocab *vocab,
                                 dp_tokens *t)
{
	dp_evidence best = DP_EVIDENCE_MENTION;
	dp_tokens_reset(t);
	if (!text || !len
	    || dp_analyze(an, text, len, 1, DP_ANALYZE_INDEX, t, NULL) != DP_OK)
		return best;
	size_t n = dp_tokens_count(t), i = 0;
	while (i < n) {
		uint32_t sent = dp_tokens_get(t, i)->sentence;
		size_t j = i;
		while (j < n && dp_tokens_get(t, j)->sentence == sent)
			j++;
		size_t present = 0;
		for (size_t a = 0; a < nactors; a++) {
			for (size_t k = i; k < j; k++) {
				const dp_token *tk = dp_tokens_get(t, k);
				if ((tk->flags & DP_TOK_CAP) && tk->name
				    && dp_strset_has(&actors[a].marks, tk->name)) {
					present++;
					break;
				}
			}
		}
		if (present == nactors) {
			if (sentence_has_vocab(t, i, j, vocab))
				return DP_EVIDENCE_MEETING;
			best = DP_EVIDENCE_TOGETHER;
		}
		i = j;
	}
	return best;
}

/* ---- meetings ----------------------------------------------------------- */

/* NEAR(actor..., meeting word) within a sentence, to rank dispatches with
 * a meeting sentence first among the candidates. */
static dpx_query *meeting_boost(dp_analyzer *an, const actor *actors,
                                size_t nactors, const dp_vocab *vocab)
{
	size_t n = nactors + 1;
	dpx_query **near = calloc(n, sizeof *near);
	dpx_query **names = calloc(nactors, sizeof *names);
	if (!near || !names) {
		free(near);
		free(names);
		return NULL;
	}
	int fail = 0;
	for (size_t a = 0; a < nactors && !fail; a++) {
		/* names have no positions (schema 3): the window is over
		 * the names' words, in dispatches that have one of the
		 * names */
		const dp_strset *m = &actors[a].marks;
		dpx_query **v = calloc(m->n ? 2 * m->n : 1, sizeof *v);
		if (!v) {
			fail = 1;
			break;
		}
		for (size_t i = 0; i < m->n; i++) {
			char term[256], low[DP_MAX_WORD * 3 + 1];
			char stem[DP_MAX_WORD * 3 + 1];
			size_t ml = strlen(m->v[i]);
			if (ml > DP_MAX_WORD)
				ml = DP_MAX_WORD;
			dp_utf8_lower(m->v[i], ml, low);
			dp_analyzer_stem(an, low, strlen(low), stem);
			snprintf(term, sizeof term, "%s%s", DP_PREFIX_TEXT, stem);
			v[i] = dpx_query_term(term, strlen(term), 1, 0);
			snprintf(term, sizeof term, "%s%s", DP_PREFIX_NAME, m->v[i]);
			v[m->n + i] = dpx_query_term(term, strlen(term), 1, 0);
			fail |= !v[i] || !v[m->n + i];
		}
		near[a] = fail ? NULL : dpx_query_combine(DPX_OP_OR, v, m->n, 0);
		names[a] = fail ? NULL
		           : dpx_query_combine(DPX_OP_OR, v + m->n, m->n, 0);
		fail |= !near[a] || !names[a];
		for (size_t i = 0; i < 2 * m->n; i++)
			dpx_query_free(v[i]);
		free(v);
	}
	/* single-stem meeting words, in the text */
	size_t cap = vocab->n, k = 0;
	dpx_query **w = fail ? NULL : calloc(cap ? cap : 1, sizeof *w);
	fail |= !w;
	for (size_t e = 0; !fail && e < vocab->n; e++) {
		if (vocab->n_stems[e] != 1)
			continue;
		char term[256];
		snprintf(term, sizeof term, "%s%s", DP_PREFIX_TEXT,
		         vocab->stems[e][0]);
		w[k] = dpx_query_term(term, strlen(term), 1, 0);
		fail |= !w[k++];
	}
	if (!fail)
		near[nactors] = dpx_query_combine(DPX_OP_OR, w, k, 0);
	for (size_t i = 0; w && i < k; i++)
		dpx_query_free(w[i]);
	free(w);
	dpx_query *q = NULL;
	if (!fail && near[nactors]) {
		dpx_query *nq = dpx_query_combine(DPX_OP_NEAR, near, n,
		                                  DP_SENTENCE_GAP);
		dpx_query *all = dpx_query_combine(DPX_OP_AND, names, nactors,
		                                   0);
		dpx_query *f[2] = {nq, all};
		dpx_query *fq = nq && all
		                ? dpx_query_combine(DPX_OP_FILTER, f, 2, 0) : NULL;
		/* a meeting sentence outweighs any text score */
		q = fq ? dpx_query_scale(fq, 10.0) : NULL;
		dpx_query_free(nq);
		dpx_query_free(all);
		dpx_query_free(fq);
	}
	for (size_t i = 0; i < n; i++)
		dpx_query_free(near[i]);
	for (size_t i = 0; i < nactors; i++)
		dpx_query_free(names[i]);
	free(near);
	free(names);
	return q;
}

static int cmp_meeting(const void *a, const void *b)
{
	const dp_meeting *x = a, *y = b;
	if (x->evidence != y->evidence)
		return x->evidence < y->evidence ? -1 : 1;
	if (x->doc.time != y->doc.time)
		return x->doc.time < y->doc.time ? -1 : 1;
	return x->docid < y->docid ? -1 : x->docid > y->docid;
}

void dp_meetings_release(dp_meetings *m)
{
	for (size_t i = 0; i < m->n; i++) {
		dp_docdata_release(&m->v[i].doc);
		dp_snippet_release(&m->v[i].sentence);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}

dp_status dp_meetings_find(dp_searcher *s, const dp_vocab *vocab,
                           const dp_profile *p,
                           const char *const *args, size_t nactors,
                           const char *since, const char *until,
                           uint32_t limit, dp_meetings *out, dp_error *err)
{
	memset(out, 0, sizeof *out);
	if (nactors < 2)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "--meetings needs two actors or more");
	actor *actors = calloc(nactors, sizeof *actors);
	char *query = calloc(nactors, 210);
	dp_tokens *toks = dp_tokens_new();
	dp_status st = DP_OK;
	if (!actors || !query || !toks)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	size_t qo = 0;
	for (size_t a = 0; st == DP_OK && a < nactors; a++) {
		st = actor_init(s, &actors[a], args[a], err);
		if (st != DP_OK)
			break;
		qo += actor_query(&actors[a], query + qo, 210 * nactors - qo);
		query[qo++] = ' ';
		query[qo] = '\0';
		size_t ao = strlen(out->actors);
		snprintf(out->actors + ao, sizeof out->actors - ao, "%s%s",
		         a ? " + " : "",
		         actors[a].entity ? actors[a].entity->name
		                          : actors[a].text);
	}
	dpx_query *boost = NULL;
	if (st == DP_OK) {
		boost = meeting_boost(dp_searcher_analyzer(s), actors, nactors,
		                      vocab);
		if (!boost)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	dp_result r;
	memset(&r, 0, sizeof r);
	/* dispatches that name every actor: never the best-match
	 * fallback */
	dp_profile strict = *p;
	strict.fallback_or = 0;
	if (st == DP_OK) {
		dp_request req;
		dp_request_init(&req);
		req.query = query;
		req.profile = &strict;
		req.limit = MAX_CANDIDATES;
		req.snippet_bytes = 0;
		req.since = since;
		req.until = until;
		req.boost = boost;
		req.sort = DP_SORT_RELEVANCE;
		st = dp_searcher_run(s, &req, &r, err);
	}
	/* every actor's words are highlighted, with the meeting words */
	dp_strset names = {0}, terms = {0};
	for (size_t a = 0; st == DP_OK && a < nactors; a++)
		for (size_t i = 0; i < actors[a].all.n; i++)
			if (dp_strset_add(&names, actors[a].all.v[i]) < 0)
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t e = 0; st == DP_OK && e < vocab->n; e++)
		for (size_t k = 0; k < vocab->n_stems[e]; k++)
			if (dp_strset_add(&terms, vocab->stems[e][k]) < 0)
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");

	if (st == DP_OK && r.n) {
		out->candidates = r.total;
		out->v = calloc(r.n, sizeof *out->v);
		if (!out->v)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	/* stories already listed, by key, with their entry */
	dp_strset stories = {0};
	size_t *story_entry = r.n ? calloc(r.n, sizeof *story_entry) : NULL;
	if (r.n && !story_entry && st == DP_OK)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_analyzer *an = dp_searcher_analyzer(s);
	for (size_t i = 0; st == DP_OK && i < r.n; i++) {
		dp_hit *h = &r.hits[i];
		dp_evidence ev = text_evidence(an, h->doc.headline,
		                               h->doc.headline
		                                   ? strlen(h->doc.headline) : 0,
		                               actors, nactors, vocab, toks);
		if (ev != DP_EVIDENCE_MEETING) {
			dp_evidence e2 = text_evidence(an, h->doc.text,
			                               h->doc.text_len, actors,
			                               nactors, vocab, toks);
			if (e2 < ev)
				ev = e2;
		}
		/* one entry per story: the best evidence, then the latest */
		char *story = NULL;
		size_t sl = 0;
		st = dpx_db_doc_value(dp_searcher_db(s), h->docid, DP_SLOT_STORY,
		                      &story, &sl, err);
		if (st != DP_OK)
			break;
		const char *key = story && *story ? story : h->doc.id;
		size_t at = out->n;
		int merged = 0;
		for (size_t k = 0; k < stories.n; k++)
			if (!strcmp(stories.v[k], key)) {
				dp_meeting *m = &out->v[story_entry[k]];
				m->others++;
				merged = 1;
				if (ev < m->evidence
				    || (ev == m->evidence && h->doc.time > m->doc.time)) {
					/* this one shows the story better */
					dp_docdata_release(&m->doc);
					m->doc = h->doc;
					memset(&h->doc, 0, sizeof h->doc);
					m->docid = h->docid;
					m->evidence = ev;
				}
				break;
			}
		if (!merged) {
			if (dp_strset_add(&stories, key) < 0) {
				free(story);
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
				break;
			}
			story_entry[stories.n - 1] = at;
			dp_meeting *m = &out->v[at];
			m->docid = h->docid;
			m->evidence = ev;
			m->doc = h->doc;
			memset(&h->doc, 0, sizeof h->doc);
			out->n++;
		}
		free(story);
	}
	free(story_entry);
	dp_strset_release(&stories);
	if (st == DP_OK) {
		if (out->n > 1)
			qsort(out->v, out->n, sizeof *out->v, cmp_meeting);
		for (size_t i = 0; i < out->n; i++) {
			if (out->v[i].evidence == DP_EVIDENCE_MEETING)
				out->n_meeting++;
			else if (out->v[i].evidence == DP_EVIDENCE_TOGETHER)
				out->n_together++;
			else
				out->n_mention++;
		}
		/* keep what will be shown, then find its evidence sentence */
		while (out->n > limit) {
			out->n--;
			dp_docdata_release(&out->v[out->n].doc);
		}
		for (size_t i = 0; st == DP_OK && i < out->n; i++) {
			dp_meeting *m = &out->v[i];
			const char *hl = m->doc.headline ? m->doc.headline : "";
			/* the text's sentence when it holds the evidence, which
			 * says more than the headline; else the headline */
			dp_evidence be = text_evidence(an, m->doc.text,
			                               m->doc.text_len, actors,
			                               nactors, vocab, toks);
			if (be == m->evidence || m->evidence == DP_EVIDENCE_MENTION)
				st = dp_snippet_make(an, m->doc.text, m->doc.text_len,
				                     &terms, &names, 320, 0,
				                     &m->sentence, err);
			else
				st = dp_snippet_make(an, hl, strlen(hl), &terms, &names,
				                     0, 1, &m->sentence, err);
		}
	}
	dp_strset_release(&names);
	dp_strset_release(&terms);
	if (r.hits || r.compiled.q)
		dp_result_release(&r);
	dpx_query_free(boost);
	for (size_t a = 0; actors && a < nactors; a++)
		actor_release(&actors[a]);
	free(actors);
	free(query);
	dp_tokens_free(toks);
	if (st != DP_OK)
		dp_meetings_release(out);
	return st;
}

/* ---- dossier ------------------------------------------------------------ */

static void move_hit(dp_hit *to, dp_hit *from)
{
	*to = *from;
	memset(from, 0, sizeof *from);
}

static void release_hit(dp_hit *h)
{
	dp_docdata_release(&h->doc);
	dp_snippet_release(&h->snippet);
	dp_snippet_release(&h->headline);
}

static void move_facet(dp_facet *to, dp_facet *from)
{
	*to = *from;
	from->v = NULL;
	from->n = 0;
}

static void release_facet(dp_facet *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].value);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

/* Removes the subject itself from a facet of co-mentions. */
static void drop_value(dp_facet *f, const char *name)
{
	size_t k = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (!strcmp(f->v[i].value, name)) {
			free(f->v[i].value);
			continue;
		}
		f->v[k++] = f->v[i];
	}
	f->n = k;
}

void dp_dossier_release(dp_dossier *d)
{
	release_hit(&d->first);
	release_hit(&d->latest);
	for (size_t i = 0; i < d->n_key; i++)
		release_hit(&d->key[i]);
	free(d->key);
	release_facet(&d->months);
	release_facet(&d->people);
	release_facet(&d->organisations);
	release_facet(&d->places);
	release_facet(&d->datelines);
	memset(d, 0, sizeof *d);
}

dp_status dp_dossier_make(dp_searcher *s, const dp_profile *prof,
                          const char *subject, const char *since,
                          const char *until, size_t n_key, dp_dossier *out,
                          dp_error *err)
{
	memset(out, 0, sizeof *out);
	dp_profile strict = *prof;
	strict.fallback_or = 0;
	const dp_profile *p = &strict;
	actor a;
	dp_status st = actor_init(s, &a, subject, err);
	if (st != DP_OK)
		return st;
	snprintf(out->subject, sizeof out->subject, "%s",
	         a.entity ? a.entity->name : a.text);
	out->description = a.entity ? a.entity->description : NULL;
	char query[256];
	actor_query(&a, query, sizeof query);
	actor_release(&a);

	dp_request req;
	dp_result r;

	/* counts, months and co-mentions over every match */
	dp_request_init(&req);
	req.query = query;
	req.profile = p;
	req.since = since;
	req.until = until;
	req.count_only = 1;
	req.n_facets = 5;
	req.facets[0] = DP_FACET_MONTH;
	req.facets[1] = DP_FACET_PERSON;
	req.facets[2] = DP_FACET_ORG;
	req.facets[3] = DP_FACET_LOCATION;
	req.facets[4] = DP_FACET_PLACE;
	st = dp_searcher_run(s, &req, &r, err);
	if (st != DP_OK)
		return st;
	out->total = r.total;
	move_facet(&out->months, &r.facets[0]);
	move_facet(&out->people, &r.facets[1]);
	move_facet(&out->organisations, &r.facets[2]);
	move_facet(&out->places, &r.facets[3]);
	move_facet(&out->datelines, &r.facets[4]);
	drop_value(&out->people, out->subject);
	drop_value(&out->organisations, out->subject);
	drop_value(&out->places, out->subject);
	dp_result_release(&r);
	if (out->total == 0)
		return DP_OK;

	/* first and latest mention */
	for (int newest = 0; newest < 2 && st == DP_OK; newest++) {
		dp_request_init(&req);
		req.query = query;
		req.profile = p;
		req.since = since;
		req.until = until;
		req.limit = 1;
		req.sort = DP_SORT_DATE;
		req.sort_ascending = !newest;
		st = dp_searcher_run(s, &req, &r, err);
		if (st == DP_OK && r.n) {
			move_hit(newest ? &out->latest : &out->first, &r.hits[0]);
			out->have_first = 1;
		}
		if (st == DP_OK)
			dp_result_release(&r);
	}

	/* key dispatches: the most relevant, one per story */
	if (st == DP_OK && n_key) {
		dp_request_init(&req);
		req.query = query;
		req.profile = p;
		req.since = since;
		req.until = until;
		req.limit = (uint32_t)n_key;
		req.collapse = 1;
		st = dp_searcher_run(s, &req, &r, err);
		if (st == DP_OK) {
			out->key = r.n ? calloc(r.n, sizeof *out->key) : NULL;
			if (r.n && !out->key)
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			for (size_t i = 0; st == DP_OK && i < r.n; i++)
				move_hit(&out->key[out->n_key++], &r.hits[i]);
			dp_result_release(&r);
		}
	}
	if (st != DP_OK)
		dp_dossier_release(out);
	return st;
}
