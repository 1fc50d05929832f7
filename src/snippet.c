/* snippet.c: best sentence and highlights.  See snippet.h. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "snippet.h"

static int token_matches(const dp_token *t, const dp_strset *terms,
                         const dp_strset *names)
{
	if (dp_strset_has(terms, t->term))
		return 1;
	if (t->alias && dp_strset_has(terms, t->alias))
		return 1;
	if (t->whole && dp_strset_has(terms, t->whole))
		return 1;
	if (t->name && (t->flags & DP_TOK_CAP) && dp_strset_has(names, t->name))
		return 1;
	return 0;
}

/* Start of the UTF-8 character holding byte i. */
static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

typedef struct piece {
	size_t start, end;     /* byte range in the analysed text */
} piece;

/* Copies text[start, end) into out as one line: newlines and runs of
 * white space become one space; adjusts highlight offsets. */
static dp_status emit(const char *text, size_t start, size_t end,
                      int pre_ellipsis, int post_ellipsis, const piece *hl,
                      size_t nhl, dp_snippet *out, dp_error *err)
{
	size_t cap = (end - start) + 16;
	out->text = malloc(cap);
	out->hl = nhl ? calloc(nhl, sizeof *out->hl) : NULL;
	if (!out->text || (nhl && !out->hl)) {
		free(out->text);
		free(out->hl);
		out->text = NULL;
		out->hl = NULL;
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	size_t o = 0;
	static const char ell[] = "\xE2\x80\xA6"; /* … */
	if (pre_ellipsis) {
		memcpy(out->text, ell, 3);
		o = 3;
	}
	int sp = 0;
	for (size_t i = start; i < end; i++) {
		for (size_t k = 0; k < nhl; k++) {
			if (hl[k].start == i)
				out->hl[k].start = (uint32_t)o;
			if (hl[k].end == i)
				out->hl[k].end = (uint32_t)o;
		}
		char ch = text[i];
		if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
			if (!sp && o > 0)
				out->text[o++] = ' ';
			sp = 1;
			continue;
		}
		sp = 0;
		out->text[o++] = ch;
	}
	for (size_t k = 0; k < nhl; k++)
		if (hl[k].end == end)
			out->hl[k].end = (uint32_t)o;
	while (o > 0 && out->text[o - 1] == ' ')
		o--;
	if (post_ellipsis) {
		if (o + 4 > cap)
			o = cap - 4;
		memcpy(out->text + o, ell, 3);
		o += 3;
	}
	out->text[o] = '\0';
	out->len = o;
	out->n_hl = nhl;
	/* drop empty or inverted ranges */
	size_t k2 = 0;
	for (size_t k = 0; k < nhl; k++)
		if (out->hl[k].end > out->hl[k].start && out->hl[k].end <= o)
			out->hl[k2++] = out->hl[k];
	out->n_hl = k2;
	return DP_OK;
}

dp_status dp_snippet_make(dp_analyzer *an, const char *text, size_t len,
                          const dp_strset *terms, const dp_strset *names,
                          size_t max_bytes, int whole, dp_snippet *out,
                          dp_error *err)
{
	memset(out, 0, sizeof *out);
	if (!text || !len) {
		out->text = strdup("");
		return out->text ? DP_OK
		                 : dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	dp_tokens *toks = dp_tokens_new();
	if (!toks)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_status st = dp_analyze(an, text, len, 1, DP_ANALYZE_INDEX, toks, err);
	if (st != DP_OK) {
		dp_tokens_free(toks);
		return st;
	}
	size_t tl;
	const char *t = dp_tokens_text(toks, &tl);
	size_t n = dp_tokens_count(toks);

	/* score sentences: distinct matched terms first, then matches */
	size_t best_first = 0, best_last = 0;
	long best_score = -1;
	size_t i = 0;
	while (i < n) {
		uint32_t sent = dp_tokens_get(toks, i)->sentence;
		size_t j = i;
		long matches = 0, distinct = 0;
		const char *seen[32];
		size_t nseen = 0;
		while (j < n && dp_tokens_get(toks, j)->sentence == sent) {
			const dp_token *tk = dp_tokens_get(toks, j);
			if (token_matches(tk, terms, names)) {
				matches++;
				int dup = 0;
				for (size_t k = 0; k < nseen; k++)
					if (strcmp(seen[k], tk->term) == 0)
						dup = 1;
				if (!dup && nseen < 32) {
					seen[nseen++] = tk->term;
					distinct++;
				}
			}
			j++;
		}
		long score = distinct * 100 + matches * 10;
		if (score > best_score) {
			best_score = score;
			best_first = i;
			best_last = j - 1;
		}
		i = j;
	}
	out->matched = best_score > 0;

	size_t start, end;
	if (whole || n == 0) {
		start = 0;
		end = tl;
	} else {
		start = dp_tokens_get(toks, best_first)->start;
		end = dp_tokens_get(toks, best_last)->end;
		/* take the sentence's closing punctuation and quotes */
		while (end < tl && t[end] != ' ' && t[end] != '\n')
			end++;
		/* and an opening quote or dash before it */
		size_t s0 = start;
		while (s0 > 0 && t[s0 - 1] != ' ' && t[s0 - 1] != '\n'
		       && s0 > start - 8)
			s0--;
		/* eight bytes back may be inside a character ("«\u202fd’") */
		start = char_start(t, s0);
		/* a snippet from the first sentence starts after the
		 * dateline ("Moscou, 29 juil 2022 (AFP) - "), unless a
		 * matched word is in it */
		char place[128], source[64];
		int64_t when;
		size_t dl = dp_dateline_parse(t, tl, place, sizeof place, &when,
		                              source, sizeof source,
		                              DP_TIME_UNKNOWN);
		if (dl && start < dl && dl < end) {
			int match_before = 0;
			for (size_t k = best_first; k <= best_last; k++) {
				const dp_token *tk = dp_tokens_get(toks, k);
				if (tk->start >= dl)
					break;
				if (token_matches(tk, terms, names))
					match_before = 1;
			}
			if (!match_before) {
				start = dl;
				while (best_first < best_last
				       && dp_tokens_get(toks, best_first)->start < dl)
					best_first++;
			}
		}
	}
	int pre = 0, post = 0;
	if (!whole && end - start > max_bytes) {
		/* a window around the first match (a text with no word, only
		 * punctuation or symbols, has none: it is cut at max_bytes) */
		size_t anchor = start;
		for (size_t k = best_first; k <= best_last && k < n; k++) {
			const dp_token *tk = dp_tokens_get(toks, k);
			if (token_matches(tk, terms, names)) {
				anchor = tk->start;
				break;
			}
		}
		size_t ws = anchor > start + max_bytes / 4 ? anchor - max_bytes / 4
		                                           : start;
		/* begin on a word */
		for (size_t k = best_first; k <= best_last && k < n; k++) {
			const dp_token *tk = dp_tokens_get(toks, k);
			if (tk->start >= ws) {
				ws = tk->start;
				break;
			}
		}
		size_t we = ws + max_bytes;
		if (we > end)
			we = end;
		/* end on a word */
		size_t best_end = ws;
		for (size_t k = best_first; k <= best_last && k < n; k++) {
			const dp_token *tk = dp_tokens_get(toks, k);
			if (tk->end <= we && tk->end > best_end)
				best_end = tk->end;
		}
		if (best_end > ws)
			we = best_end;
		pre = ws > start;
		post = we < end;
		start = char_start(t, ws);
		end = we < tl ? char_start(t, we) : we;
	}
	/* highlights inside [start, end) */
	piece *hl = NULL;
	size_t nhl = 0;
	for (size_t k = 0; k < n; k++) {
		const dp_token *tk = dp_tokens_get(toks, k);
		if (tk->start < start || tk->end > end)
			continue;
		/* "d'" of "d'un" stands for "de": lit when "de" matched */
		int art = tk->elided && tk->elided_start >= start
		          && dp_strset_has(terms, tk->elided);
		int word = token_matches(tk, terms, names);
		if (!art && !word)
			continue;
		piece *nh = realloc(hl, (nhl + 1) * sizeof *nh);
		if (!nh) {
			free(hl);
			dp_tokens_free(toks);
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		hl = nh;
		hl[nhl].start = art ? tk->elided_start : tk->start;
		hl[nhl].end = word ? tk->end : tk->start;
		nhl++;
	}
	st = emit(t, start, end, pre, post, hl, nhl, out, err);
	free(hl);
	dp_tokens_free(toks);
	return st;
}

void dp_snippet_release(dp_snippet *s)
{
	free(s->text);
	free(s->hl);
	memset(s, 0, sizeof *s);
}
