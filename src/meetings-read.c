/* meetings-read.c: what the sentences of a dispatch say of a meeting
 * of the actors: whether they say one (meeting words not negated, the
 * actors named or spoken of), its kind, its day, its place, whether it
 * is to come.  See meetings-private.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meetings-private.h"

/* Mentions kept from one dispatch. */
#define MAX_MENTIONS 16
/* How far before a meeting word a negation or an intention counts. */
#define NEGATION_WINDOW 4
/* How far after a negated meeting word the next ones are negated too. */
#define NEGATED_RUN 12
#define PLANNED_WINDOW 8
/* How far after a meeting word "prévue", "va" make it one to come. */
#define AFTER_WINDOW 3
/* The most words between two actors listed as someone else's guests. */
#define LIST_GAP 12
/* words between a subject ("il") and its meeting word: "il s'est
 * entretenu", "il avait déjeuné" */
#define SUBJECT_GAP 4
/* How far from a meeting word its day and place are written. */
#define DAY_WINDOW 12

/* ---- what a sentence says ------------------------------------------------- */

static int in_list(const char *const *list, size_t n, const dp_token *tk)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tk->term, list[i]))
			return 1;
	return 0;
}

/* Whether a word of list comes at most window words before token i ("sans se parler", "doivent se rencontrer"). */
static int before_in(const dp_tokens *t, size_t from, size_t i,
                     uint32_t window, const char *const *list, size_t n)
{
	uint32_t pos = dp_tokens_get(t, i)->pos;
	for (size_t k = i; k > from; k--) {
		const dp_token *p = dp_tokens_get(t, k - 1);
		if (pos - p->pos > window)
			break;
		if (in_list(list, n, p))
			return 1;
	}
	return 0;
}

/* Whether a word of list comes at most window words after token i
 * ("une rencontre est prévue", "un sommet va s'ouvrir"). */
static int after_in(const dp_tokens *t, size_t i, size_t to,
                    uint32_t window, const char *const *list, size_t n)
{
	uint32_t pos = dp_tokens_get(t, i)->pos;
	for (size_t k = i + 1; k < to; k++) {
		const dp_token *p = dp_tokens_get(t, k);
		if (p->pos - pos > window)
			break;
		if (in_list(list, n, p))
			return 1;
	}
	return 0;
}

static int same_term(const dp_token *tk, const char *stem)
{
	return !strcmp(tk->term, stem) || (tk->alias && !strcmp(tk->alias, stem));
}

/* Whether entry e of the vocabulary starts at token i (of [i, to)). */
static int entry_at(const dp_tokens *t, size_t i, size_t to,
                    const dp_vocab *v, size_t e)
{
	size_t len = v->n_stems[e];
	if (i + len > to)
		return 0;
	for (size_t k = 0; k < len; k++) {
		const dp_token *tk = dp_tokens_get(t, i + k);
		if (!same_term(tk, v->stems[e][k]))
			return 0;
		if (k && tk->pos != dp_tokens_get(t, i + k - 1)->pos + 1)
			return 0;
	}
	return 1;
}

/* A verb in the future tense: "rencontrera", "s'entretiendront". */
static int future_tense(const char *w)
{
	size_t n = strlen(w);
	return n > 5 && ((!strcmp(w + n - 2, "ra") && w[n - 3] != 'a')
	                 || !strcmp(w + n - 4, "ront"));
}

/* A verb in the future tense a few words before token i ("les deux
 * dirigeants feront le point lors d'un entretien"). */
static int future_before(const dp_tokens *t, size_t from, size_t i)
{
	uint32_t pos = dp_tokens_get(t, i)->pos;
	for (size_t k = i; k > from; k--) {
		const dp_token *p = dp_tokens_get(t, k - 1);
		if (pos - p->pos > PLANNED_WINDOW)
			break;
		if (!(p->flags & DP_TOK_CAP) && future_tense(p->word ? p->word
		                                                     : p->term))
			return 1;
	}
	return 0;
}

/* Whether a meeting word is a plural noun: it ends in -s, but not as a
 * past participle does (-és, -ées, -is, -us, -ues), as written. */
static int plural_noun(const char *text, const dp_token *tk,
                       const char *folded)
{
	size_t n = strlen(folded);
	if (!n || folded[n - 1] != 's')
		return 0;
	const char *e = text + tk->end;
	size_t len = tk->end - tk->start;
	static const char *const endings[] = {"\xc3\xa9" "s", "\xc3\xa9" "es", "is",
	                                      "us", "ues", NULL};
	for (size_t k = 0; endings[k]; k++) {
		size_t el = strlen(endings[k]);
		if (len >= el && !memcmp(e - el, endings[k], el))
			return 0;
	}
	return 1;
}

typedef struct sentence_meeting {
	size_t word;            /* the first meeting word */
	dp_meet_kind kind;      /* the most specific its words say */
	int ahead;              /* spoken of as to come */
} sentence_meeting;

/* Whether the sentence [from, to) holds a meeting word (or the words of
 * a multi-word entry, one after the other), not negated; what kind and
 * whether it is to come. */
static int sentence_has_vocab(const dp_tokens *t, size_t from, size_t to,
                              const dp_vocab *v, sentence_meeting *sm)
{
	int found = 0, first_plural = 0;
	uint32_t negated_at = 0;   /* a meeting word negated, or 0 */
	size_t quiet_until = 0;    /* the end of a 'not' phrase */
	size_t len;
	const char *text = dp_tokens_text(t, &len);
	for (size_t i = from; i < to; i++) {
		/* "entretenir des relations", "dans un entretien" */
		for (size_t e = 0; e < v->n; e++)
			if (v->kind[e] == KIND_NOT && entry_at(t, i, to, v, e)
			    && i + v->n_stems[e] > quiet_until)
				quiet_until = i + v->n_stems[e];
		if (i < quiet_until)
			continue;
		uint32_t pos = dp_tokens_get(t, i)->pos;
		for (size_t e = 0; e < v->n; e++) {
			if (v->kind[e] == KIND_NOT || !entry_at(t, i, to, v, e))
				continue;
			/* a negation holds for the meeting words that follow the
			 * one it negates: "n'est pas venu serrer la main de A et
			 * B et pour parler de ..." */
			if (before_in(t, from, i, NEGATION_WINDOW, v->neg, v->n_neg)
			    || (negated_at && pos - negated_at <= NEGATED_RUN)) {
				negated_at = pos;
				continue;
			}
			const dp_token *tk = dp_tokens_get(t, i);
			const char *w = tk->word ? tk->word : tk->term;
			int future = future_tense(w);
			int plural = plural_noun(text, tk, w);
			if (found && !(first_plural && !plural)) {
				if (v->kind[e] > (int)sm->kind)
					sm->kind = (dp_meet_kind)v->kind[e];
				/* "un sommet qui réunira" */
				sm->ahead |= future;
				continue;
			}
			/* the first meeting word says when, unless it is a plural
			 * noun and another is not ("ces pourparlers, annoncés à
			 * l'issue d'une conférence téléphonique lundi") */
			if (!found || v->kind[e] > (int)sm->kind)
				sm->kind = (dp_meet_kind)v->kind[e];
			found = 1;
			first_plural = plural;
			sm->word = i;
			sm->ahead = future || future_before(t, from, i)
			            || before_in(t, from, i, PLANNED_WINDOW,
			                         v->planned, v->n_planned)
			            || after_in(t, i, to, AFTER_WINDOW, v->planned,
			                        v->n_planned);
		}
	}
	return found;
}

static int recalled(const dp_tokens *t, size_t from, size_t to,
                    const dp_vocab *v)
{
	/* "leur première rencontre", not "le Premier ministre" */
	for (size_t i = from; i < to; i++) {
		const dp_token *tk = dp_tokens_get(t, i);
		if (!(tk->flags & DP_TOK_CAP)
		    && in_list(v->recalled, v->n_recalled, tk))
			return 1;
	}
	return 0;
}

/* The years a dispatch speaks of as its news: ten before its own to
 * five after. */
#define HISTORY_YEARS 10
#define AHEAD_YEARS 5

static int recent_day(int64_t day, int64_t ref)
{
	int y, m, d, ry, rm, rd;
	dp_civil_from_days(day, &y, &m, &d);
	dp_civil_from_days(ref, &ry, &rm, &rd);
	return y >= ry - HISTORY_YEARS && y <= ry + AHEAD_YEARS;
}

/* Whether the sentence writes a year other than the dispatch's ("lors
 * du sommet de 2018"): it speaks of then. */
static int other_year(const dp_tokens *t, size_t from, size_t to,
                      int64_t ref)
{
	int ry, rm, rd;
	dp_civil_from_days(ref, &ry, &rm, &rd);
	for (size_t i = from; i < to; i++) {
		const dp_token *tk = dp_tokens_get(t, i);
		if (!(tk->flags & DP_TOK_NUMBER) || strlen(tk->word) != 4)
			continue;
		/* a year of history ("l'appel du 18 juin 1940") is not when
		 * they met */
		int y = atoi(tk->word);
		if (y != ry && y >= ry - HISTORY_YEARS && y <= ry + AHEAD_YEARS)
			return 1;
	}
	return 0;
}

/* Titles and words written with a capital that are not places. */
static int not_a_place(const char *w)
{
	static const char *const words[] = {
	    "m", "mme", "mm", "president", "presidente", "premier",
	    "premiere", "chancelier", "chanceliere", "ministre", "secretaire",
	    "pape", "roi", "reine", "prince", "general", "etat", "etats",
	    NULL};
	for (size_t i = 0; words[i]; i++)
		if (!strcmp(w, words[i]))
			return 1;
	return dp_weekday_of(w) || dp_month_of(w) || strpbrk(w, "0123456789");
}

static int is_actor_word(const dp_actor *actors, size_t n, const char *w)
{
	for (size_t a = 0; a < n; a++)
		if (dp_strset_has(&actors[a].all, w))
			return 1;
	return 0;
}

/* Only spaces (or a hyphen) between two tokens of text: no comma, no
 * parenthesis. */
static int joined(const char *text, const dp_token *a, const dp_token *b)
{
	uint32_t s = b->flags & DP_TOK_ELIDED ? b->elided_start : b->start;
	for (uint32_t o = a->end; o < s; o++)
		if (text[o] != ' ' && text[o] != '-')
			return 0;
	return 1;
}

/* The place a sentence [from, to) names with a preposition: "à Moscou",
 * "en Chine", "au fort de Brégançon", "à la Maison Blanche" (up to three
 * lower-case words between), the one nearest to token near.  Sets the
 * bytes of the text it takes; 0 when none. */
static int sentence_place(const dp_tokens *t, const char *text, size_t from,
                          size_t to, size_t near, const dp_actor *actors,
                          size_t nactors, uint32_t *start, uint32_t *end)
{
	static const char *const preps[] = {"a", "au", "aux", "en", NULL};
	uint32_t np = dp_tokens_get(t, near)->pos, best = UINT32_MAX;
	for (size_t k = from; k + 1 < to; k++) {
		const char *w = dp_tokens_get(t, k)->word;
		size_t p = 0;
		while (preps[p] && strcmp(w, preps[p]))
			p++;
		if (!preps[p])
			continue;
		size_t m = k + 1;
		/* lower-case words in between, in one run of text */
		while (m < to && m <= k + 3
		       && !(dp_tokens_get(t, m)->flags & DP_TOK_CAP)
		       && joined(text, dp_tokens_get(t, m - 1),
		                 dp_tokens_get(t, m)))
			m++;
		if (m >= to || !(dp_tokens_get(t, m)->flags & DP_TOK_CAP)
		    || !joined(text, dp_tokens_get(t, m - 1), dp_tokens_get(t, m)))
			continue;
		size_t e = m;
		while (e < to) {
			const dp_token *tk = dp_tokens_get(t, e);
			if (!(tk->flags & DP_TOK_CAP) || tk->flags & DP_TOK_ALLCAPS
			    || strlen(tk->word) < 2 || not_a_place(tk->word)
			    || is_actor_word(actors, nactors, tk->word))
				break;
			if (e > m && !joined(text, dp_tokens_get(t, e - 1), tk))
				break;
			e++;
		}
		if (e == m)
			continue;
		uint32_t pp = dp_tokens_get(t, m)->pos;
		uint32_t dist = pp > np ? pp - np : np - pp;
		/* far from the meeting word, it is the place of something
		 * else ("le virus apparu en Chine") */
		if (dist <= DAY_WINDOW && dist < best) {
			best = dist;
			const dp_token *a = dp_tokens_get(t, m);
			*start = a->start;
			*end = dp_tokens_get(t, e - 1)->end;
		}
	}
	return best != UINT32_MAX;
}

/* ---- mentions --------------------------------------------------------- */



static mention *mention_new(mentions *ms)
{
	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? 2 * ms->cap : 64;
		mention *v = realloc(ms->v, cap * sizeof *v);
		if (!v)
			return NULL;
		ms->v = v;
		ms->cap = cap;
	}
	mention *m = &ms->v[ms->n++];
	memset(m, 0, sizeof *m);
	m->event = -1;
	return m;
}

int64_t dp_meet_doc_day(const dp_docdata *d)
{
	const char *s = d->date;
	int y, m, dd;
	if (s && strlen(s) >= 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) == 3
	    && m >= 1 && m <= 12 && dd >= 1 && dd <= 31)
		return dp_days_from_civil(y, m, dd);
	if (s && strlen(s) >= 8 && strspn(s, "0123456789") >= 8
	    && sscanf(s, "%4d%2d%2d", &y, &m, &dd) == 3 && m >= 1 && m <= 12
	    && dd >= 1 && dd <= 31)
		return dp_days_from_civil(y, m, dd);
	if (d->time == DP_TIME_UNKNOWN)
		return INT64_MIN;
	return d->time >= 0 ? d->time / 86400 : (d->time - 86399) / 86400;
}


/* The sentence [i, j) as bytes of the analysed text, with the
 * punctuation that ends it. */
static void sentence_bytes(const dp_tokens *t, const char *text, size_t len,
                           size_t i, size_t j, uint32_t *s, uint32_t *e)
{
	const dp_token *a = dp_tokens_get(t, i), *b = dp_tokens_get(t, j - 1);
	*s = a->flags & DP_TOK_ELIDED && a->elided_start < a->start
	     ? a->elided_start : a->start;
	*e = b->end;
	while (*e < len && text[*e] != ' ' && text[*e] != '\n'
	       && *e < b->end + 4)
		(*e)++;
}

/* Records what sentence [i, j) says of a meeting. */
static dp_status add_mention(scan *sc, size_t i, size_t j,
                             const sentence_meeting *sm, dp_error *err)
{
	if (!sc->ms || sc->found >= MAX_MENTIONS)
		return DP_OK;
	size_t len;
	const char *text = dp_tokens_text(sc->t, &len);
	mention *m = mention_new(sc->ms);
	if (!m)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	sc->found++;
	m->hit = sc->hit;
	m->story = sc->story;
	m->kind = sm->kind;
	m->ahead = sm->ahead;
	m->in_body = sc->in_body;
	m->named = sc->all_named;
	dp_text_day d;
	dp_text_day_read(sc->t, i, j, sm->word,
	                 sc->ref == INT64_MIN ? 0 : sc->ref, sm->ahead, &d);
	if (sc->ref == INT64_MIN && d.prec != DP_DAY_NONE
	    && d.prec != DP_DAY_YEAR)
		d.prec = DP_DAY_NONE;  /* relative to nothing */
	/* a day written far from the meeting word is of something else; a
	 * day of history ("l'appel du 18 juin 1940") is not when they met */
	if (d.prec != DP_DAY_NONE) {
		uint32_t a = dp_tokens_get(sc->t, d.at)->pos;
		uint32_t b = dp_tokens_get(sc->t, sm->word)->pos;
		if ((a > b ? a - b : b - a) > DAY_WINDOW
		    || (sc->ref != INT64_MIN && !recent_day(d.day, sc->ref)))
			d.prec = DP_DAY_NONE;
	}
	const dp_token *mw = dp_tokens_get(sc->t, sm->word);
	const char *mword = mw->word ? mw->word : mw->term;
	/* "leurs entretiens", "des rencontres": meetings in general (not
	 * "ils se sont rencontrés", "réunis", "entretenus") */
	int plural = plural_noun(text, mw, mword);
	if (d.prec == DP_DAY_YEAR || plural)
		m->prec = DP_DAY_NONE;  /* too vague for a timeline */
	else if (d.prec != DP_DAY_NONE) {
		m->day = d.day;
		m->prec = d.prec;
		m->day_in_text = 1;
	} else if (!plural && !recalled(sc->t, i, j, sc->vocab)
	           && sc->ref != INT64_MIN && !other_year(sc->t, i, j, sc->ref)) {
		m->day = sc->ref;
		m->prec = DP_DAY_EXACT;
	}
	m->same_day = m->prec == DP_DAY_EXACT && m->day == sc->ref;
	/* a day after the dispatch's is a meeting to come, however it is
	 * written */
	if (m->prec != DP_DAY_NONE && sc->ref != INT64_MIN && m->day > sc->ref)
		m->ahead = 1;
	uint32_t s, e;
	sentence_bytes(sc->t, text, len, i, j, &s, &e);
	m->sentence = dp_arena_strndup(&sc->ms->mem, text + s, e - s);
	m->sentence_len = e - s;
	uint32_t ps, pe;
	if (m->kind == DP_MEET_MEETING
	    && sentence_place(sc->t, text, i, j, sm->word, sc->actors,
	                   sc->nactors, &ps, &pe))
		m->place = dp_arena_strndup(&sc->ms->mem, text + ps, pe - ps);
	if (!m->sentence)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	return DP_OK;
}

/* Whether a sentence speaks of the actors without their names: "les
 * deux" and a word of meetings.yaml's 'pairs' ("les deux hommes"), or
 * "son homologue". */
static int pair_reference(const dp_tokens *t, size_t from, size_t to,
                          const scan *sc)
{
	const dp_vocab *v = sc->vocab;
	for (size_t i = from; i < to; i++) {
		const char *w = dp_tokens_get(t, i)->word;
		if (!strcmp(w, "homologue") || !strcmp(w, "homologues")) {
			/* "son homologue chinois Xi Jinping" is someone else;
			 * "son homologue russe" is an actor written "le
			 * président russe Vladimir Poutine" before */
			size_t k = i + 1;
			while (k < to && k <= i + 3
			       && !(dp_tokens_get(t, k)->flags & DP_TOK_CAP))
				k++;
			if (k < to && k <= i + 3)
				continue;
			if (i + 1 >= to || (dp_tokens_get(t, i + 1)->flags & DP_TOK_STOP)
			    || dp_strset_has(&sc->epithets,
			                     dp_tokens_get(t, i + 1)->word))
				return 1;
			continue;
		}
		if (!strcmp(w, "deux") && i + 1 < to
		    && in_list(v->pairs, v->n_pairs, dp_tokens_get(t, i + 1)))
			return 1;
	}
	return 0;
}

/* Keeps the lower-case words just before an actor's name ("le président
 * russe Vladimir Poutine": president, russe) for "son homologue russe". */
static void note_epithets(const dp_tokens *t, size_t from, size_t at,
                          scan *sc)
{
	for (size_t k = at; k > from && k + 3 > at; k--) {
		const dp_token *p = dp_tokens_get(t, k - 1);
		if (p->flags & (DP_TOK_CAP | DP_TOK_STOP))
			break;
		(void)dp_strset_add(&sc->epithets, p->word);
	}
}

/* Whether the name that starts at token f is written as someone else's
 * relation: "le conseiller spécial de Donald Trump", "l'administration
 * d'Emmanuel Macron" (a word of meetings.yaml's 'others', up to two
 * words before "de"). */
static int someone_elses(const dp_tokens *t, size_t from, size_t f,
                         const dp_vocab *v)
{
	const dp_token *n = dp_tokens_get(t, f);
	size_t k = f;
	if (n->elided && !strcmp(n->elided, "de"))
		;   /* "d'Emmanuel" */
	else if (k > from && (!strcmp(dp_tokens_get(t, k - 1)->word, "de")
	                      || !strcmp(dp_tokens_get(t, k - 1)->word, "du")))
		k--;
	else
		return 0;
	for (size_t b = k; b > from && b + 3 > k; b--) {
		const dp_token *p = dp_tokens_get(t, b - 1);
		if (p->flags & DP_TOK_CAP)
			return 0;
		if (in_list(v->others, v->n_others, p))
			return 1;
	}
	return 0;
}

/* The first token of [from, to) naming actor a, or SIZE_MAX. */
static size_t actor_at(const dp_tokens *t, size_t from, size_t to,
                       const dp_actor *a)
{
	for (size_t k = from; k < to; k++) {
		const dp_token *tk = dp_tokens_get(t, k);
		if ((tk->flags & DP_TOK_CAP) && tk->name
		    && dp_strset_has(&a->marks, tk->name))
			return k;
	}
	return SIZE_MAX;
}

/* Whether the actors are only among the many a meeting gathers: "un
 * sommet réunissant de nombreux chefs d'Etat, dont A et B" (an actor
 * named only after a "dont" that follows the meeting word). */
static int among_many(const dp_tokens *t, size_t from, size_t to,
                      size_t word, const scan *sc)
{
	size_t dont = SIZE_MAX;
	for (size_t k = word + 1; k < to && dont == SIZE_MAX; k++)
		if (!strcmp(dp_tokens_get(t, k)->word, "dont"))
			dont = k;
	if (dont == SIZE_MAX)
		return 0;
	/* an actor named only after it is one of the many */
	for (size_t a = 0; a < sc->nactors; a++)
		if (actor_at(t, from, dont, &sc->actors[a]) == SIZE_MAX
		    && actor_at(t, dont, to, &sc->actors[a]) != SIZE_MAX)
			return 1;
	return 0;
}

/* Where the two actors of a pair are first named in the sentence, when
 * both are, the first not before the meeting word. */
static int pair_after(const dp_tokens *t, size_t from, size_t to,
                      size_t word, const scan *sc, size_t *first,
                      size_t *second)
{
	if (sc->nactors != 2)
		return 0;
	size_t a = actor_at(t, from, to, &sc->actors[0]);
	size_t b = actor_at(t, from, to, &sc->actors[1]);
	if (a == SIZE_MAX || b == SIZE_MAX)
		return 0;
	*first = a < b ? a : b;
	*second = a < b ? b : a;
	return *first >= word;
}

/* Whether the actors are the objects of someone else's meeting, listed
 * one after the other after a preposition: "serrer la main de Trump et
 * Poutine", "des entretiens avec les présidents américain Donald Trump,
 * russe Vladimir Poutine" ("entre A et B" is theirs). */
static int objects_of_another(const dp_tokens *t, size_t from, size_t to,
                              size_t word, const scan *sc)
{
	size_t first, second;
	if (!pair_after(t, from, to, word, sc, &first, &second))
		return 0;
	/* one list: between the names, only "et", epithets and other names
	 * ("Donald Trump, russe Vladimir Poutine", "Trump et Poutine"); no
	 * article, number or other small word ("A et la chancelière
	 * allemande B", "A le 14 septembre, le président russe B" are not
	 * one) */
	size_t k = first;
	while (k < second && (dp_tokens_get(t, k)->flags & DP_TOK_CAP))
		k++;
	size_t gap = 0;
	for (; k < second; k++, gap++) {
		const dp_token *tk = dp_tokens_get(t, k);
		if ((tk->flags & DP_TOK_NUMBER)
		    || ((tk->flags & DP_TOK_STOP) && strcmp(tk->word, "et")))
			return 0;
	}
	if (gap == 0 || gap > LIST_GAP)
		return 0;
	/* before the first: a preposition, after names, epithets and
	 * articles only ("avec les présidents américain Donald Trump,
	 * russe ..."), and no "entre" */
	size_t f = first, steps = 0;
	while (f > word && steps++ < LIST_GAP) {
		const dp_token *p = dp_tokens_get(t, f - 1);
		const char *w = p->word;
		if (!strcmp(w, "entre"))
			return 0;
		if (!strcmp(w, "avec") || !strcmp(w, "de") || !strcmp(w, "des")
		    || !strcmp(w, "du"))
			return 1;
		if ((p->flags & DP_TOK_STOP) && strcmp(w, "les") && strcmp(w, "la")
		    && strcmp(w, "le") && strcmp(w, "et"))
			return 0;
		f--;
	}
	return 0;
}

/* Whether the meeting word is a plural noun whose talks are with each
 * actor apart: "entretiens téléphoniques avec les présidents russe
 * Vladimir Poutine, turc Recep Tayyip Erdogan et avec la chancelière
 * Angela Merkel" are someone's calls, one with each (both actors after
 * the word, after an "avec", no "entre"). */
static int separate_talks(const dp_tokens *t, size_t from, size_t to,
                          size_t word, const scan *sc)
{
	size_t first, second;
	if (!pair_after(t, from, to, word, sc, &first, &second)
	    || first == word)
		return 0;
	/* a meeting word shortly before the actors, a plural noun, then
	 * "avec" ("entretiens téléphoniques avec") */
	const dp_vocab *v = sc->vocab;
	size_t len;
	const char *text = dp_tokens_text(t, &len);
	size_t k0 = first > word + LIST_GAP ? first - LIST_GAP : word;
	for (size_t k = k0; k < first; k++) {
		const dp_token *tk = dp_tokens_get(t, k);
		int meeting = 0;
		for (size_t e = 0; e < v->n && !meeting; e++)
			meeting = v->kind[e] != KIND_NOT && entry_at(t, k, to, v, e);
		if (!meeting
		    || !plural_noun(text, tk, tk->word ? tk->word : tk->term))
			continue;
		int avec = 0;
		for (size_t m = k + 1; m < first; m++) {
			const char *x = dp_tokens_get(t, m)->word;
			if (x && !strcmp(x, "entre"))
				return 0;
			if (x && !strcmp(x, "avec"))
				avec = 1;
		}
		if (avec)
			return 1;
	}
	return 0;
}

/* Whether the sentence names one actor or the other, not both: "sa
 * rencontre avec Poutine ou Trump". */
static int one_or_other(const dp_tokens *t, size_t from, size_t to,
                        const scan *sc)
{
	size_t first = SIZE_MAX, last = 0;
	for (size_t a = 0; a < sc->nactors; a++) {
		size_t k = actor_at(t, from, to, &sc->actors[a]);
		if (k == SIZE_MAX)
			return 0;
		if (k < first)
			first = k;
		if (k > last)
			last = k;
	}
	for (size_t k = first; k < last; k++)
		if (!strcmp(dp_tokens_get(t, k)->word, "ou"))
			return 1;
	return 0;
}

/* Whether exactly one actor is missing from present. */
static int one_missing(unsigned present, unsigned all)
{
	unsigned m = all & ~present;
	return m && !(m & (m - 1));
}

/* Whether the sentence starts by speaking of someone without a name, a
 * word of meetings.yaml's 'subjects' among its first three: "il", "le
 * président", "la chancelière", "le chef de l'Etat". */
static int subject_reference(const dp_tokens *t, size_t from, size_t to,
                             const dp_vocab *v)
{
	for (size_t i = from; i < to && i < from + 3; i++) {
		if (!in_list(v->subjects, v->n_subjects, dp_tokens_get(t, i)))
			continue;
		/* "le président russe Vladimir Poutine" is named */
		for (size_t n = i + 1; n < to && n <= i + 3; n++)
			if (dp_tokens_get(t, n)->flags & DP_TOK_CAP)
				return 0;
		return 1;
	}
	return 0;
}

/* Whether one of the subjects comes just before a meeting word of the
 * sentence, anywhere in it, with no name between: "Plus tôt dans la
 * journée, il avait déjeuné avec le président Donald Trump", "c'était à
 * Bruxelles où il a rencontré Emmanuel Macron". */
static int subject_of_meeting(const dp_tokens *t, size_t from, size_t to,
                              const dp_vocab *v)
{
	for (size_t i = from; i < to; i++) {
		if (!in_list(v->subjects, v->n_subjects, dp_tokens_get(t, i)))
			continue;
		for (size_t m = i + 1; m < to && m <= i + SUBJECT_GAP; m++) {
			if (dp_tokens_get(t, m)->flags & DP_TOK_CAP)
				break;
			for (size_t e = 0; e < v->n; e++)
				if (v->kind[e] != KIND_NOT && entry_at(t, m, to, v, e))
					return 1;
		}
	}
	return 0;
}

dp_status dp_meet_text_evidence(scan *sc, const char *text, size_t len,
                                dp_evidence *best, dp_error *err)
{
	*best = DP_EVIDENCE_MENTION;
	dp_tokens *t = sc->t;
	dp_tokens_reset(t);
	if (!text || !len
	    || dp_analyze(sc->an, text, len, 1, DP_ANALYZE_INDEX, t, NULL)
	           != DP_OK)
		return DP_OK;
	size_t n = dp_tokens_count(t), i = 0;
	/* the actors named in the last sentences (a bit each) */
	unsigned prev1 = 0, prev2 = 0;
	unsigned all = sc->nactors >= 32 ? ~0u : (1u << sc->nactors) - 1;
	while (i < n) {
		uint32_t sent = dp_tokens_get(t, i)->sentence;
		size_t j = i;
		while (j < n && dp_tokens_get(t, j)->sentence == sent)
			j++;
		unsigned named = 0;
		for (size_t a = 0; a < sc->nactors && a < 32; a++) {
			for (size_t k = i; k < j; k++) {
				const dp_token *tk = dp_tokens_get(t, k);
				if ((tk->flags & DP_TOK_CAP) && tk->name
				    && dp_strset_has(&sc->actors[a].marks, tk->name)) {
					/* the first word of the name */
					size_t f = k;
					while (f > i
					       && (dp_tokens_get(t, f - 1)->flags & DP_TOK_CAP)
					       && is_actor_word(sc->actors, sc->nactors,
					                        dp_tokens_get(t, f - 1)->word))
						f--;
					/* "le conseiller de Donald Trump" is someone else */
					if (someone_elses(t, i, f, sc->vocab))
						continue;
					named |= 1u << a;
					note_epithets(t, i, f, sc);
					break;
				}
			}
		}
		sc->named |= named;
		/* "les deux dirigeants", "son homologue": the actors named
		 * just before (or in the headline) */
		unsigned present = named;
		unsigned before = prev1 | prev2 | sc->head_named;
		if (present != all && pair_reference(t, i, j, sc))
			present |= before;
		/* "le chef de l'Etat s'est entretenu avec Vladimir Poutine":
		 * the one actor not named, named just before */
		else if (present != all && one_missing(present, all)
		         && (before & all & ~present)
		         && (subject_reference(t, i, j, sc->vocab)
		             || subject_of_meeting(t, i, j, sc->vocab)))
			present |= before & all;
		prev2 = prev1;
		prev1 = named;
		sc->all_named = named == all;
		if (present == all) {
			sentence_meeting sm = {0, DP_MEET_MEETING, 0};
			if (sentence_has_vocab(t, i, j, sc->vocab, &sm)
			    && !among_many(t, i, j, sm.word, sc)
			    && !one_or_other(t, i, j, sc)
			    && !objects_of_another(t, i, j, sm.word, sc)
			    && !separate_talks(t, i, j, sm.word, sc)) {
				*best = DP_EVIDENCE_MEETING;
				if (!sc->ms)
					return DP_OK;
				dp_status st = add_mention(sc, i, j, &sm, err);
				if (st != DP_OK)
					return st;
			} else if (*best != DP_EVIDENCE_MEETING)
				*best = DP_EVIDENCE_TOGETHER;
		}
		i = j;
	}
	return DP_OK;
}
