/* meetings-vocab.c: meetings.yaml, the words that make a sentence a
 * meeting, a call or a video call (see depeche-entities(5)). */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meetings-private.h"
#include "yamltree.h"

/* the shipped config/meetings.yaml (builtin-meetings.c, generated) */
extern const char dp_builtin_meetings_yaml[];

void dp_vocab_free(dp_vocab *v)
{
	if (!v)
		return;
	free(v->stems);
	free(v->n_stems);
	free(v->kind);
	free(v->neg);
	free(v->planned);
	free(v->recalled);
	free(v->others);
	free(v->pairs);
	free(v->subjects);
	dp_strset_release(&v->marks);
	dp_arena_release(&v->mem);
	free(v);
}

size_t dp_vocab_count(const dp_vocab *v)
{
	return v ? v->n : 0;
}

/* Adds the entries of the sequence key (each analysed into its stems). */
static dp_status vocab_entries(const dp_yaml *y, const dp_ynode *seq,
                               const char *key, int kind,
                               dp_analyzer *an, dp_vocab *v,
                               dp_tokens *toks, dp_error *err)
{
	dp_status st = DP_OK;
	for (size_t i = 0; st == DP_OK && i < seq->n; i++) {
		const char *word;
		if ((st = dp_yaml_string(y, seq->items[i], key, &word, err)))
			break;
		dp_tokens_reset(toks);
		st = dp_analyze(an, word, strlen(word), 1, DP_ANALYZE_QUERY, toks,
		                err);
		if (st != DP_OK)
			break;
		size_t nt = dp_tokens_count(toks), k = 0;
		const char **s = dp_arena_alloc(&v->mem,
		                                (nt ? nt : 1) * sizeof *s);
		if (!s)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		/* several words are a phrase: all of them, in order */
		for (size_t j = 0; j < nt; j++) {
			const dp_token *t = dp_tokens_get(toks, j);
			/* the term its positions are under: the query looks
			 * for it near the actors (schema 5); reading accepts
			 * either form */
			const char *pt = dp_token_position_term(t);
			if (!(s[k++] = dp_arena_strndup(&v->mem, pt, strlen(pt)))
			    || (kind != KIND_NOT && nt == 1
			        && dp_strset_add(&v->marks, t->term) < 0))
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "out of memory");
		}
		if (k == 0)
			return dp_yaml_error(y, seq->items[i], err,
			                     "'%s' has no word to look for", word);
		v->stems[v->n] = s;
		v->n_stems[v->n] = k;
		v->kind[v->n] = kind;
		v->n++;
	}
	return st;
}

/* A list of single words (negations, planned, recalled) as stems. */
static dp_status vocab_words(const dp_yaml *y, const dp_ynode *seq,
                             const char *key, dp_analyzer *an, dp_vocab *v,
                             dp_tokens *toks, const char ***out, size_t *n,
                             dp_error *err)
{
	if (!(*out = calloc(seq->n ? seq->n : 1, sizeof **out)))
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < seq->n; i++) {
		const char *word;
		dp_status st = dp_yaml_string(y, seq->items[i], key, &word, err);
		if (st != DP_OK)
			return st;
		dp_tokens_reset(toks);
		st = dp_analyze(an, word, strlen(word), 1, DP_ANALYZE_QUERY, toks,
		                err);
		if (st == DP_OK && dp_tokens_count(toks) != 1)
			st = dp_yaml_error(y, seq->items[i], err,
			                   "'%s' takes one word, not '%s'", key, word);
		if (st != DP_OK)
			return st;
		const char *t = dp_tokens_get(toks, 0)->term;
		if (!((*out)[(*n)++] = dp_arena_strndup(&v->mem, t, strlen(t))))
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	return DP_OK;
}

static dp_status vocab_tree(const dp_yaml *y, dp_analyzer *an,
                            dp_vocab **out, dp_error *err)
{
	static const char *const keys[] = {"words", "calls", "video", "not",
	                                   "negations", "planned", "recalled",
	                                   "others", "pairs", "subjects", NULL};
	static const char *const lists[] = {"words", "calls", "video", "not"};
	static const int kinds[] = {DP_MEET_MEETING, DP_MEET_CALL,
	                            DP_MEET_VIDEO, KIND_NOT};
	if (!y->root)
		return dp_yaml_error(y, NULL, err, "empty file: expected 'words'");
	dp_status st = dp_yaml_check_keys(y, y->root, "meetings", keys, err);
	if (st != DP_OK)
		return st;
	const dp_ynode *w = dp_yaml_get(y->root, "words");
	if (!w)
		return dp_yaml_error(y, y->root, err, "missing 'words'");
	size_t total = 0;
	for (size_t l = 0; l < 4; l++) {
		const dp_ynode *seq = dp_yaml_get(y->root, lists[l]);
		if (seq && (st = dp_yaml_expect(y, seq, DP_Y_SEQ, lists[l], err)))
			return st;
		total += seq ? seq->n : 0;
	}
	dp_vocab *v = calloc(1, sizeof *v);
	if (v) {
		v->stems = calloc(total ? total : 1, sizeof *v->stems);
		v->n_stems = calloc(total ? total : 1, sizeof *v->n_stems);
		v->kind = calloc(total ? total : 1, sizeof *v->kind);
	}
	dp_tokens *toks = dp_tokens_new();
	if (!v || !v->stems || !v->n_stems || !v->kind || !toks) {
		dp_tokens_free(toks);
		dp_vocab_free(v);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t l = 0; st == DP_OK && l < 4; l++) {
		const dp_ynode *seq = dp_yaml_get(y->root, lists[l]);
		if (seq)
			st = vocab_entries(y, seq, lists[l], kinds[l], an, v, toks,
			                   err);
	}
	static const char *const single[] = {"negations", "planned",
	                                     "recalled", "others", "pairs",
	                                     "subjects"};
	const char ***outs[] = {&v->neg, &v->planned, &v->recalled,
	                        &v->others, &v->pairs, &v->subjects};
	size_t *ns[] = {&v->n_neg, &v->n_planned, &v->n_recalled,
	                &v->n_others, &v->n_pairs, &v->n_subjects};
	for (size_t l = 0; st == DP_OK && l < 6; l++) {
		const dp_ynode *seq = dp_yaml_get(y->root, single[l]);
		if (!seq)
			continue;
		if ((st = dp_yaml_expect(y, seq, DP_Y_SEQ, single[l], err)))
			break;
		st = vocab_words(y, seq, single[l], an, v, toks, outs[l], ns[l],
		                 err);
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

/* ---- names ---------------------------------------------------------------- */

const char *dp_evidence_name(dp_evidence e)
{
	switch (e) {
	case DP_EVIDENCE_MEETING: return "meeting";
	case DP_EVIDENCE_TOGETHER: return "together";
	case DP_EVIDENCE_MENTION: return "mention";
	}
	return "?";
}

const char *dp_meet_kind_name(dp_meet_kind k)
{
	switch (k) {
	case DP_MEET_MEETING: return "meeting";
	case DP_MEET_CALL: return "call";
	case DP_MEET_VIDEO: return "video";
	}
	return "?";
}
