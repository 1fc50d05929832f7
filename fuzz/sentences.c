/* sentences.c: fuzzes what --meetings reads in a dispatch's sentences
 * (meeting words, negations, references to the actors, days, places).
 * The first line of the input names the actors (their last words, e.g.
 * "Durand Kessler"), the rest is a dispatch's headline (up to the next
 * line) and text, arbitrary bytes; the dispatch's day comes from the
 * input's length.  Checks that every mention it records is whole: a
 * sentence inside the analysed text, a day of a known precision. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "meetings-private.h"

static dp_vocab *vocab;      /* lives for the whole run */

/* The actors: one per word of the first line (two at most). */
static size_t actors_of(dp_analyzer *an, const char *line, dp_actor *a)
{
	dp_tokens *t = dp_tokens_new();
	DP_FUZZ_ASSERT(t != NULL);
	dp_error err;
	size_t n = 0;
	if (dp_analyze(an, line, strlen(line), 1, DP_ANALYZE_QUERY, t, &err)
	    == DP_OK)
		for (size_t i = 0; i < dp_tokens_count(t) && n < 2; i++) {
			const dp_token *k = dp_tokens_get(t, i);
			memset(&a[n], 0, sizeof a[n]);
			if (dp_strset_add(&a[n].marks, k->word) < 0
			    || dp_strset_add(&a[n].all, k->word) < 0) {
				dp_actor_release(&a[n]);
				continue;
			}
			n++;
		}
	dp_tokens_free(t);
	return n;
}

static void check(const mentions *ms, size_t from, size_t text_len)
{
	for (size_t i = from; i < ms->n; i++) {
		const mention *m = &ms->v[i];
		DP_FUZZ_ASSERT(m->sentence != NULL);
		DP_FUZZ_ASSERT(m->sentence_len <= text_len);
		DP_FUZZ_ASSERT(strlen(m->sentence) == m->sentence_len);
		DP_FUZZ_ASSERT(m->prec == DP_DAY_NONE || m->prec == DP_DAY_EXACT
		               || m->prec == DP_DAY_MONTH);
		DP_FUZZ_ASSERT(m->kind == DP_MEET_MEETING || m->kind == DP_MEET_CALL
		               || m->kind == DP_MEET_VIDEO);
		DP_FUZZ_ASSERT(!m->place || strlen(m->place) < text_len + 1);
	}
}

DP_FUZZ_ENTRY(sentences)
{
	dp_analyzer *an = dp_fuzz_analyzer();
	dp_error err;
	if (!vocab)
		DP_FUZZ_ASSERT(dp_vocab_builtin(an, &vocab, &err) == DP_OK);
	char *all = dp_fuzz_string(data, size);
	char *nl = strchr(all, '\n');
	const char *headline = "", *text = "";
	if (nl) {
		*nl = '\0';
		headline = nl + 1;
		char *nl2 = strchr(nl + 1, '\n');
		if (nl2) {
			*nl2 = '\0';
			text = nl2 + 1;
		}
	}
	dp_actor actors[2];
	size_t na = actors_of(an, all, actors);
	if (na == 2) {
		dp_tokens *t = dp_tokens_new();
		DP_FUZZ_ASSERT(t != NULL);
		mentions ms;
		memset(&ms, 0, sizeof ms);
		scan sc;
		memset(&sc, 0, sizeof sc);
		sc.an = an;
		sc.actors = actors;
		sc.nactors = na;
		sc.vocab = vocab;
		sc.t = t;
		sc.ms = &ms;
		sc.story = "s";
		/* a day between 1990 and 2045, or none */
		sc.ref = size % 7 ? (int64_t)(7305 + (size * 2654435761u) % 20000)
		                  : INT64_MIN;
		dp_evidence e;
		dp_status st = dp_meet_text_evidence(&sc, headline,
		                                     strlen(headline), &e, &err);
		DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_NOMEM);
		/* the analysed text (NFC, invalid bytes replaced) may be
		 * longer than the input */
		size_t tl;
		(void)dp_tokens_text(t, &tl);
		check(&ms, 0, tl);
		size_t before = ms.n;
		sc.head_named = sc.named;
		sc.in_body = 1;
		st = dp_meet_text_evidence(&sc, text, strlen(text), &e, &err);
		DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_NOMEM);
		(void)dp_tokens_text(t, &tl);
		check(&ms, before, tl);
		dp_strset_release(&sc.epithets);
		free(ms.v);
		dp_arena_release(&ms.mem);
		dp_tokens_free(t);
	}
	for (size_t i = 0; i < na; i++)
		dp_actor_release(&actors[i]);
	free(all);
	return 0;
}
