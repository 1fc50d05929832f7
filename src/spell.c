/* spell.c: corrections from the index's vocabulary.  See spell.h. */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docdata.h"
#include "spell.h"
#include "utf8.h"

#define MAX_TERM 128

unsigned dp_spell_distance(const char *a, const char *b, unsigned max)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > MAX_TERM || m > MAX_TERM)
		return max + 1;
	if ((n > m ? n - m : m - n) > max)
		return max + 1;
	/* three rows for the transposition case */
	unsigned rows[3][MAX_TERM + 1];
	unsigned *pp = rows[0], *p = rows[1], *c = rows[2];
	for (size_t j = 0; j <= m; j++)
		p[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		c[0] = (unsigned)i;
		unsigned best = c[0];
		for (size_t j = 1; j <= m; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2]
			    && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		unsigned *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[m] > max ? max + 1 : p[m];
}

typedef struct spell_ctx {
	const char *term;
	size_t tlen;
	size_t plen;         /* prefix length to skip in candidates */
	unsigned max;
	unsigned best_dist;
	uint32_t best_freq;
	char best[MAX_TERM + 1];
} spell_ctx;

static int consider(void *ctx, const char *t, size_t len, uint32_t freq)
{
	spell_ctx *sc = ctx;
	if (len <= sc->plen || len - sc->plen > MAX_TERM)
		return 0;
	/* most terms differ in length by more than the distance allowed */
	size_t cl = len - sc->plen;
	if ((cl > sc->tlen ? cl - sc->tlen : sc->tlen - cl) > sc->max)
		return 0;
	char cand[MAX_TERM + 1];
	memcpy(cand, t + sc->plen, len - sc->plen);
	cand[len - sc->plen] = '\0';
	if (!strcmp(cand, sc->term))
		return 0;
	unsigned d = dp_spell_distance(sc->term, cand, sc->max);
	if (d > sc->max)
		return 0;
	if (d < sc->best_dist || (d == sc->best_dist && freq > sc->best_freq)) {
		sc->best_dist = d;
		sc->best_freq = freq;
		memcpy(sc->best, cand, strlen(cand) + 1);
	}
	return 0;
}

int dp_spell_correct(dpx_db *db, const char *prefix, const char *term,
                     char *out, size_t outsz)
{
	size_t n = strlen(term);
	/* short words are too easily mistaken for others */
	if (n < 5 || n > MAX_TERM)
		return 0;
	spell_ctx sc;
	memset(&sc, 0, sizeof sc);
	sc.term = term;
	sc.tlen = n;
	sc.plen = strlen(prefix);
	sc.max = n >= 8 ? 2 : 1;
	sc.best_dist = sc.max + 1;
	/* candidates begin with the same two bytes, or with the first two
	 * swapped: scanning all the words of the first letter took most
	 * of a search's time, and people rarely miss the start of a word */
	char start[64];
	dp_error err = {0};
	for (int swap = 0; swap < 2; swap++) {
		if (swap && term[0] == term[1])
			break;
		snprintf(start, sizeof start, "%s%c%c", prefix, term[swap],
		         term[!swap]);
		if (dpx_db_allterms_each(db, start, consider, &sc, &err) != DP_OK)
			return 0;
	}
	/* rarely is not never ("Kremlin" typed "Cremlin", "Bruxelles"
	 * "Brixelles"): when nothing starts alike, the second letter may
	 * be wrong (all the words of the first letter), or the first (the
	 * words of each other first letter followed by the second; one
	 * dropped, "ravov"; one added, "tlavrov").  Only for a word the
	 * index never saw, and only then, so the cost is paid by typos. */
	unsigned char c0 = (unsigned char)term[0];
	if (sc.best_dist > sc.max && c0 < 0x80 && c0 > ' ') {
		snprintf(start, sizeof start, "%s%c", prefix, term[0]);
		if (dpx_db_allterms_each(db, start, consider, &sc, &err) != DP_OK)
			return 0;
		for (int l = 'a'; sc.best_dist > sc.max && l <= 'z'; l++) {
			if (l == term[0])
				continue;
			/* l in place of the first letter; l added before it */
			snprintf(start, sizeof start, "%s%c%c", prefix, l, term[1]);
			if (dpx_db_allterms_each(db, start, consider, &sc, &err)
			    != DP_OK)
				return 0;
			snprintf(start, sizeof start, "%s%c%c", prefix, l, term[0]);
			if (l != term[1]
			    && dpx_db_allterms_each(db, start, consider, &sc, &err)
			           != DP_OK)
				return 0;
		}
		/* the first letter typed twice or one too many */
		if (sc.best_dist > sc.max && n > 2) {
			snprintf(start, sizeof start, "%s%c%c", prefix, term[1],
			         term[2]);
			if (dpx_db_allterms_each(db, start, consider, &sc, &err)
			    != DP_OK)
				return 0;
		}
	}
	if (sc.best_dist > sc.max)
		return 0;
	snprintf(out, outsz, "%s", sc.best);
	return 1;
}

int dp_spell_correct_memo(dp_spell_memo *m, dpx_db *db, const char *prefix,
                          const char *term, char *out, size_t outsz)
{
	if (!m)
		return dp_spell_correct(db, prefix, term, out, outsz);
	char key[sizeof m->e[0].key];
	if ((size_t)snprintf(key, sizeof key, "%s\x1f%s", prefix, term)
	    >= sizeof key)
		return dp_spell_correct(db, prefix, term, out, outsz);
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->e[i].key, key)) {
			if (!m->e[i].out[0])
				return 0;
			snprintf(out, outsz, "%s", m->e[i].out);
			return 1;
		}
	int found = dp_spell_correct(db, prefix, term, out, outsz);
	if (m->n < DP_SPELL_MEMO && (!found || strlen(out) < sizeof m->e[0].out)) {
		memcpy(m->e[m->n].key, key, strlen(key) + 1);
		snprintf(m->e[m->n].out, sizeof m->e[0].out, "%s", found ? out : "");
		m->n++;
	}
	return found;
}

typedef struct surface_ctx {
	uint32_t ids[3];
	size_t n;
} surface_ctx;

static int first_docs(void *ctx, uint32_t docid)
{
	surface_ctx *s = ctx;
	s->ids[s->n++] = docid;
	return s->n == 3;
}

/* The bytes of the first token of text whose term is term. */
static int find_in(dp_analyzer *an, dp_tokens *t, const char *text,
                   size_t len, const char *term, char *out, size_t outsz)
{
	dp_tokens_reset(t);
	if (!text || !len
	    || dp_analyze(an, text, len, 1, DP_ANALYZE_INDEX, t, NULL) != DP_OK)
		return 0;
	size_t tl;
	const char *s = dp_tokens_text(t, &tl);
	for (size_t i = 0; i < dp_tokens_count(t); i++) {
		const dp_token *k = dp_tokens_get(t, i);
		if (strcmp(k->term, term) && (!k->alias || strcmp(k->alias, term)))
			continue;
		size_t n = k->end - k->start;
		if (n + 1 > outsz)
			return 0;
		/* lower case unless it is a name */
		if (k->flags & DP_TOK_NAME) {
			memcpy(out, s + k->start, n);
			out[n] = '\0';
		} else if (n * 2 + 1 <= outsz) {
			dp_utf8_lower(s + k->start, n, out);
		} else {
			return 0;
		}
		return 1;
	}
	return 0;
}

int dp_spell_surface(dpx_db *db, dp_analyzer *an, const char *term,
                     char *out, size_t outsz)
{
	surface_ctx sc = {{0}, 0};
	dp_error err = {0};
	if (dpx_db_postlist_each(db, term, first_docs, &sc, &err) != DP_OK)
		return 0;
	dp_tokens *t = dp_tokens_new();
	if (!t)
		return 0;
	int found = 0;
	for (size_t i = 0; i < sc.n && !found; i++) {
		char *data = NULL;
		size_t len = 0;
		if (dpx_db_doc_data(db, sc.ids[i], &data, &len, &err) != DP_OK)
			continue;
		dp_docdata dd;
		if (dp_docdata_decode(data, len, &dd, &err) == DP_OK) {
			found = find_in(an, t, dd.headline, dd.headline
			                                     ? strlen(dd.headline) : 0,
			                term, out, outsz)
			        || find_in(an, t, dd.text, dd.text_len, term, out,
			                   outsz);
			dp_docdata_release(&dd);
		}
		free(data);
	}
	dp_tokens_free(t);
	return found;
}
