/* meetings.c: when did these people meet (--meetings).  See dossier.h.
 *
 * The dispatches that name every actor are read sentence by sentence.  A
 * sentence that names them all with a word of meetings.yaml, not negated,
 * is a mention of a meeting: its kind (a meeting, a telephone call, a
 * video call) comes from the words, its day from the sentence ("lundi",
 * "le 19 août", "en février 2019") or else from the dispatch's date, its
 * place from the sentence ("à Moscou", "au fort de Brégançon") or else
 * from the dateline.  Mentions of the same actors on the same or the
 * next day are one event, reported by every dispatch that mentions it;
 * the events come first, then the dispatches that name the actors
 * together or apart. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "arena.h"
#include "dossier.h"
#include "schema.h"
#include "textdate.h"
#include "utf8.h"
#include "xapian-shim.h"
#include "yamltree.h"

/* the shipped config/meetings.yaml (builtin-meetings.c, generated) */
extern const char dp_builtin_meetings_yaml[];

/* Candidates read for --meetings: the most relevant dispatches naming
 * every actor, those with a meeting sentence first. */
#define MAX_CANDIDATES 2000
/* Mentions kept from one dispatch. */
#define MAX_MENTIONS 16
/* Reports listed with an event. */
#define MAX_REPORTS 50
/* The kind of an entry of 'not': words that are never a meeting where
 * they start ("entretenir des relations"). */
#define KIND_NOT (-1)

/* How far before a meeting word a negation or an intention counts. */
#define NEGATION_WINDOW 4
/* How far after a negated meeting word the next ones are negated too. */
#define NEGATED_RUN 12
#define PLANNED_WINDOW 8
/* How far after a meeting word "prévue", "va" make it one to come. */
#define AFTER_WINDOW 3
/* How far from a meeting word its day and place are written. */
#define DAY_WINDOW 12
/* The longest an event lasts (mentions on following days). */
#define MAX_EVENT_DAYS 3

/* ---- vocabulary ----------------------------------------------------------- */

struct dp_vocab {
	/* entries: each a list of stems that must all be in the sentence,
	 * one after the other, and the kind of meeting it says */
	const char ***stems;
	size_t *n_stems;
	int *kind;              /* a dp_meet_kind, or KIND_NOT */
	size_t n;
	/* single stems: negations cancel a meeting word a few words after
	 * them; "planned" words make it one to come; "recalled" words make
	 * it an earlier one, whose day the sentence must give; "others"
	 * make a name after "de" someone else ("le conseiller de") */
	const char **neg, **planned, **recalled, **others;
	size_t n_neg, n_planned, n_recalled, n_others;
	dp_strset marks;        /* the stems of one-word entries, to
	                           highlight (the words of "conférence de
	                           presse" alone are no meeting) */
	dp_arena mem;
};

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
			if (!(s[k++] = dp_arena_strndup(&v->mem, t->term,
			                                strlen(t->term)))
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
	                                   "others", NULL};
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
	                                     "recalled", "others"};
	const char ***outs[] = {&v->neg, &v->planned, &v->recalled,
	                        &v->others};
	size_t *ns[] = {&v->n_neg, &v->n_planned, &v->n_recalled,
	                &v->n_others};
	for (size_t l = 0; st == DP_OK && l < 4; l++) {
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
	for (size_t i = from; i < to; i++)
		if (in_list(v->recalled, v->n_recalled, dp_tokens_get(t, i)))
			return 1;
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

/* One sentence that says the actors met. */
typedef struct mention {
	size_t hit;             /* the candidate it is in */
	const char *story;      /* its story (scratch memory) */
	dp_meet_kind kind;
	int64_t day;            /* days since 1970-01-01 */
	dp_day_prec prec;       /* DP_DAY_NONE: no day (an earlier meeting) */
	int day_in_text, ahead, same_day;
	int in_body;            /* in the body, not the headline */
	int named;              /* every actor is named in it (not "les deux
	                           hommes", "le président") */
	const char *sentence;   /* the sentence (scratch memory) */
	size_t sentence_len;
	const char *place;      /* from the sentence, or NULL */
	int event;              /* the event it goes to, or -1 */
} mention;

typedef struct mentions {
	mention *v;
	size_t n, cap;
	dp_arena mem;
} mentions;

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

/* The day a dispatch was written, as its source wrote it (the local
 * date), else from its UTC time. */
static int64_t doc_day(const dp_docdata *d)
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

typedef struct scan {
	dp_analyzer *an;
	const dp_actor *actors;
	size_t nactors;
	const dp_vocab *vocab;
	dp_tokens *t;
	mentions *ms;           /* NULL: the evidence only */
	size_t hit;
	const char *story;
	int64_t ref;            /* the dispatch's day */
	size_t found;           /* mentions kept from this dispatch */
	unsigned named;         /* actors named in the texts read (bits) */
	unsigned head_named;    /* those of the headline */
	int in_body;            /* reading the body */
	int all_named;          /* the sentence read names every actor */
	dp_strset epithets;     /* words before the actors' names, so far */
} scan;

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
 * deux hommes (dirigeants, présidents...)", "son homologue", "leur
 * rencontre". */
static int pair_reference(const dp_tokens *t, size_t from, size_t to,
                          const scan *sc)
{
	static const char *const nouns[] = {
	    "hommes", "dirigeants", "presidents", "chefs", "leaders",
	    "responsables", "dirigeantes", "femmes", NULL};
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
		if (!strcmp(w, "deux") && i + 1 < to)
			for (size_t k = 0; nouns[k]; k++)
				if (!strcmp(dp_tokens_get(t, i + 1)->word, nouns[k]))
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

/* Whether the actors are the objects of someone else's meeting, side
 * by side after a preposition: "serrer la main de Trump et Poutine",
 * "une rencontre avec Poutine et Erdogan" ("entre A et B" is theirs). */
static int objects_of_another(const dp_tokens *t, size_t from, size_t to,
                              size_t word, const scan *sc)
{
	if (sc->nactors != 2)
		return 0;
	size_t a = actor_at(t, from, to, &sc->actors[0]);
	size_t b = actor_at(t, from, to, &sc->actors[1]);
	if (a == SIZE_MAX || b == SIZE_MAX)
		return 0;
	size_t first = a < b ? a : b, second = a < b ? b : a;
	if (first < word)
		return 0;
	/* the first's name runs up to "et" then the second's */
	size_t k = first;
	while (k < second && (dp_tokens_get(t, k)->flags & DP_TOK_CAP))
		k++;
	if (k + 1 != second || strcmp(dp_tokens_get(t, k)->word, "et"))
		return 0;
	/* the second's first word */
	(void)second;
	/* before the first: a preposition, after at most three lower-case
	 * words ("avec les présidents américain"), and no "entre" */
	size_t f = first;
	while (f > word && (dp_tokens_get(t, f - 1)->flags & DP_TOK_CAP))
		f--;
	for (size_t p = f; p > word && p + 4 > f; p--) {
		const char *w = dp_tokens_get(t, p - 1)->word;
		if (!strcmp(w, "entre"))
			return 0;
		if (!strcmp(w, "avec") || !strcmp(w, "de") || !strcmp(w, "des")
		    || !strcmp(w, "du"))
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

/* Whether the sentence starts by speaking of someone without a name:
 * "il", "elle", "le président", "la chancelière", "le chef de l'Etat"
 * (among its first three words). */
static int subject_reference(const dp_tokens *t, size_t from, size_t to)
{
	static const char *const words[] = {
	    "il", "elle", "president", "presidente", "chancelier",
	    "chanceliere", "chef", "dirigeant", "dirigeante", NULL};
	for (size_t i = from; i < to && i < from + 3; i++) {
		const char *w = dp_tokens_get(t, i)->word;
		size_t k = 0;
		while (words[k] && strcmp(w, words[k]))
			k++;
		if (!words[k])
			continue;
		/* "le président russe Vladimir Poutine" is named */
		for (size_t n = i + 1; n < to && n <= i + 3; n++)
			if (dp_tokens_get(t, n)->flags & DP_TOK_CAP)
				return 0;
		return 1;
	}
	return 0;
}

/* The best evidence in one text (headline or body); with sc->ms, every
 * meeting sentence is recorded. */
static dp_status text_evidence(scan *sc, const char *text, size_t len,
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
		         && (before & all & ~present) && subject_reference(t, i, j))
			present |= before & all;
		prev2 = prev1;
		prev1 = named;
		sc->all_named = named == all;
		if (present == all) {
			sentence_meeting sm = {0, DP_MEET_MEETING, 0};
			if (sentence_has_vocab(t, i, j, sc->vocab, &sm)
			    && !among_many(t, i, j, sm.word, sc)
			    && !one_or_other(t, i, j, sc)
			    && !objects_of_another(t, i, j, sm.word, sc)) {
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

/* ---- events ------------------------------------------------------------- */

static int cmp_mention_day(const void *a, const void *b)
{
	const mention *const *x = a, *const *y = b;
	if ((*x)->day != (*y)->day)
		return (*x)->day < (*y)->day ? -1 : 1;
	return (*x)->hit < (*y)->hit ? -1 : (*x)->hit > (*y)->hit;
}

/* An event while it is built: its mentions are those whose event is
 * its index. */
typedef struct draft {
	int64_t first, last;    /* days of its mentions */
	dp_day_prec prec;
	size_t stories;         /* distinct stories reporting it */
	int day_in_text, confirmed, named;
	size_t best;            /* the mention that shows it */
	int best_score;
} draft;

static int mention_score(const mention *m)
{
	/* a body sentence says more than the headline above it */
	return 8 * !m->ahead + 4 * m->day_in_text + 2 * m->same_day
	       + 2 * m->in_body + (m->place != NULL);
}

/* Groups the dated mentions into events: exact days on the same or the
 * next day; a month goes to the event of that month reported most, or
 * is its own.  Returns the number of drafts made in *out. */
static dp_status group_mentions(mentions *ms, draft **out, size_t *nout,
                                dp_error *err)
{
	*out = NULL;
	*nout = 0;
	mention **by = calloc(ms->n ? ms->n : 1, sizeof *by);
	draft *d = calloc(ms->n ? ms->n : 1, sizeof *d);
	if (!by || !d) {
		free(by);
		free(d);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	size_t nb = 0, nd = 0;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].prec == DP_DAY_EXACT)
			by[nb++] = &ms->v[i];
	qsort(by, nb, sizeof *by, cmp_mention_day);
	for (size_t i = 0; i < nb; i++) {
		/* a visit of a few days is one event */
		if (!nd || d[nd - 1].prec != DP_DAY_EXACT
		    || by[i]->day > d[nd - 1].last + 1
		    || by[i]->day > d[nd - 1].first + MAX_EVENT_DAYS - 1) {
			d[nd].first = d[nd].last = by[i]->day;
			d[nd].prec = DP_DAY_EXACT;
			nd++;
		}
		d[nd - 1].last = by[i]->day;
		by[i]->event = (int)(nd - 1);
	}
	size_t nexact = nd;
	/* months: to the exact event of the month with the most mentions */
	nb = 0;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].prec == DP_DAY_MONTH)
			by[nb++] = &ms->v[i];
	qsort(by, nb, sizeof *by, cmp_mention_day);
	for (size_t i = 0; i < nb; i++) {
		int y, m, dd;
		dp_civil_from_days(by[i]->day, &y, &m, &dd);
		int64_t lo = by[i]->day, hi = lo + dp_month_days(y, m) - 1;
		size_t pick = SIZE_MAX, most = 0;
		for (size_t e = 0; e < nexact; e++) {
			if (d[e].first > hi || d[e].last < lo)
				continue;
			size_t c = 0;
			for (size_t k = 0; k < ms->n; k++)
				c += ms->v[k].event == (int)e;
			if (c > most) {
				most = c;
				pick = e;
			}
		}
		if (pick == SIZE_MAX) {
			if (!(nd > nexact && d[nd - 1].first == lo)) {
				d[nd].first = d[nd].last = lo;
				d[nd].prec = DP_DAY_MONTH;
				nd++;
			}
			pick = nd - 1;
		}
		by[i]->event = (int)pick;
	}
	free(by);
	*out = d;
	*nout = nd;
	return DP_OK;
}

/* Counts the distinct stories of each draft and picks what shows it. */
static dp_status weigh_drafts(mentions *ms, draft *d, size_t nd,
                              dp_error *err)
{
	dp_strset seen = {0};
	for (size_t e = 0; e < nd; e++) {
		d[e].best = SIZE_MAX;
		dp_strset_release(&seen);
		for (size_t k = 0; k < ms->n; k++) {
			const mention *m = &ms->v[k];
			if (m->event != (int)e)
				continue;
			if (!dp_strset_has(&seen, m->story)) {
				if (dp_strset_add(&seen, m->story) < 0) {
					dp_strset_release(&seen);
					return dp_error_set(err, DP_ERR_NOMEM,
					                    "out of memory");
				}
				d[e].stories++;
			}
			d[e].day_in_text |= m->day_in_text;
			d[e].confirmed |= !m->ahead;
			d[e].named |= m->named;
			int sc = mention_score(m);
			if (d[e].best == SIZE_MAX || sc > d[e].best_score) {
				d[e].best = k;
				d[e].best_score = sc;
			}
		}
	}
	dp_strset_release(&seen);
	return DP_OK;
}

/* Events first that happened (not only announced), then those a
 * sentence names every actor of, then the most reported, then those
 * whose day a sentence gives, then by day. */
static int cmp_draft(const draft *x, const draft *y)
{
	if (x->confirmed != y->confirmed)
		return x->confirmed ? -1 : 1;
	if (x->named != y->named)
		return x->named ? -1 : 1;
	if (x->stories != y->stories)
		return x->stories > y->stories ? -1 : 1;
	if (x->day_in_text != y->day_in_text)
		return x->day_in_text ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_draft_ptr(const void *a, const void *b)
{
	return cmp_draft(*(const draft *const *)a, *(const draft *const *)b);
}

static int cmp_event_day(const void *a, const void *b)
{
	const dp_event *x = a, *y = b;
	int c = strcmp(x->day, y->day);
	if (c)
		return c;
	return x->docid < y->docid ? -1 : x->docid > y->docid;
}

static int cmp_report(const void *a, const void *b)
{
	const dp_report *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

/* The day an event is on: the day its sentences give most, else the
 * day its mentions have most (the earliest of a tie). */
static int64_t event_day(const mentions *ms, int e)
{
	int64_t best = INT64_MIN;
	size_t best_n = 0;
	for (int pass = 0; pass < 2 && best == INT64_MIN; pass++)
		for (size_t i = 0; i < ms->n; i++) {
			const mention *m = &ms->v[i];
			if (m->event != e || m->prec != DP_DAY_EXACT
			    || (!pass && !m->day_in_text))
				continue;
			size_t c = 0;
			for (size_t k = 0; k < ms->n; k++)
				c += ms->v[k].event == e && ms->v[k].day == m->day
				     && ms->v[k].prec == DP_DAY_EXACT
				     && (pass || ms->v[k].day_in_text);
			if (c > best_n || (c == best_n && m->day < best)) {
				best_n = c;
				best = m->day;
			}
		}
	return best;
}

/* The place of an event: the one its sentences name most, else the
 * dateline of a dispatch written on its day. */
static const char *event_place(const mentions *ms, int e, const dp_hit *hits,
                               int *in_text)
{
	const char *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < ms->n; i++) {
		const mention *m = &ms->v[i];
		if (m->event != e || !m->place)
			continue;
		size_t c = 0;
		for (size_t k = 0; k < ms->n; k++)
			c += ms->v[k].event == e && ms->v[k].place
			     && !strcmp(ms->v[k].place, m->place);
		if (c > best_n) {
			best_n = c;
			best = m->place;
		}
	}
	*in_text = best != NULL;
	for (size_t i = 0; !best && i < ms->n; i++) {
		const mention *m = &ms->v[i];
		const dp_docdata *d = &hits[m->hit].doc;
		if (m->event == e && m->same_day && m->kind == DP_MEET_MEETING
		    && d->place && *d->place)
			best = d->place;
	}
	return best;
}

/* ---- meetings ----------------------------------------------------------- */

/* NEAR(actor..., meeting word) within a sentence, to rank dispatches with
 * a meeting sentence first among the candidates. */
static dpx_query *meeting_boost(dp_analyzer *an, const dp_actor *actors,
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
		if (vocab->n_stems[e] != 1 || vocab->kind[e] == KIND_NOT)
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
	for (size_t i = 0; i < m->n_ev; i++) {
		dp_docdata_release(&m->ev[i].doc);
		dp_snippet_release(&m->ev[i].sentence);
		free(m->ev[i].reports);
	}
	free(m->v);
	free(m->ev);
	dp_arena_release(&m->mem);
	memset(m, 0, sizeof *m);
}

/* Everything found for one search, while it is read. */
typedef struct finding {
	dp_searcher *s;
	const dp_vocab *vocab;
	dp_actor *actors;
	size_t nactors;
	dp_strset names, terms;   /* to highlight */
	dp_result r;
	char **story;             /* each candidate's story key */
	dp_evidence *ev;          /* each candidate's evidence */
	int *dated;               /* a candidate with a dated mention */
	mentions ms;
	dp_tokens *toks;
} finding;

/* Builds the events from the mentions: the limit best, by day. */
static dp_status make_events(finding *f, uint32_t limit, dp_meetings *out,
                             dp_error *err)
{
	draft *d;
	size_t nd;
	dp_status st = group_mentions(&f->ms, &d, &nd, err);
	if (st == DP_OK)
		st = weigh_drafts(&f->ms, d, nd, err);
	const draft **order = st == DP_OK ? calloc(nd ? nd : 1, sizeof *order)
	                                  : NULL;
	if (st == DP_OK && !order)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	if (st != DP_OK) {
		free(d);
		return st;
	}
	for (size_t e = 0; e < nd; e++) {
		order[e] = &d[e];
		out->n_events++;
		if (!d[e].confirmed)
			out->n_planned++;
	}
	qsort(order, nd, sizeof *order, cmp_draft_ptr);
	size_t keep = nd < limit ? nd : limit;
	out->ev = calloc(keep ? keep : 1, sizeof *out->ev);
	if (!out->ev)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_analyzer *an = dp_searcher_analyzer(f->s);
	for (size_t i = 0; st == DP_OK && i < keep; i++) {
		int e = (int)(order[i] - d);
		const mention *b = &f->ms.v[d[e].best];
		dp_event *x = &out->ev[out->n_ev++];
		dp_hit *h = &f->r.hits[b->hit];
		x->kind = DP_MEET_MEETING;
		for (size_t k = 0; k < f->ms.n; k++)
			if (f->ms.v[k].event == e && f->ms.v[k].kind > x->kind)
				x->kind = f->ms.v[k].kind;
		x->planned = !d[e].confirmed;
		x->day_in_text = d[e].day_in_text;
		int64_t day = d[e].prec == DP_DAY_EXACT ? event_day(&f->ms, e)
		                                        : d[e].first;
		dp_text_day_format(day, d[e].prec, x->day);
		const char *place = event_place(&f->ms, e, f->r.hits,
		                                &x->place_in_text);
		/* a call is not held anywhere */
		if (x->kind != DP_MEET_MEETING)
			place = NULL, x->place_in_text = 0;
		snprintf(x->place, sizeof x->place, "%s", place ? place : "");
		x->docid = h->docid;
		x->stories = d[e].stories;
		st = dp_snippet_make(an, b->sentence, b->sentence_len, &f->terms,
		                     &f->names, 400, 0, &x->sentence, err);
		/* the reports: one per story, by date */
		size_t nr = 0;
		x->reports = st == DP_OK
		             ? calloc(d[e].stories, sizeof *x->reports) : NULL;
		if (st == DP_OK && !x->reports)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		dp_strset seen = {0};
		for (size_t k = 0; st == DP_OK && k < f->ms.n; k++) {
			const mention *m = &f->ms.v[k];
			if (m->event != e || dp_strset_has(&seen, m->story))
				continue;
			if (dp_strset_add(&seen, m->story) < 0) {
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
				break;
			}
			const dp_docdata *dd = &f->r.hits[m->hit].doc;
			dp_report *r = &x->reports[nr++];
			r->docid = f->r.hits[m->hit].docid;
			r->time = dd->time;
			r->id = dp_arena_strndup(&out->mem, dd->id, strlen(dd->id));
			r->date = dd->date ? dp_arena_strndup(&out->mem, dd->date,
			                                      strlen(dd->date))
			                   : NULL;
			r->source = dd->source ? dp_arena_strndup(&out->mem,
			                                          dd->source,
			                                          strlen(dd->source))
			                       : NULL;
			if (!r->id || (dd->date && !r->date)
			    || (dd->source && !r->source))
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		dp_strset_release(&seen);
		x->n_reports = nr;
		if (nr > 1)
			qsort(x->reports, nr, sizeof *x->reports, cmp_report);
		if (x->n_reports > MAX_REPORTS)
			x->n_reports = MAX_REPORTS;
	}
	/* the evidence dispatches' data, moved once every event is made
	 * (several events may show the same dispatch) */
	for (size_t i = 0; st == DP_OK && i < out->n_ev; i++) {
		dp_event *x = &out->ev[i];
		for (size_t k = 0; k < f->r.n; k++)
			if (f->r.hits[k].docid == x->docid) {
				dp_hit *h = &f->r.hits[k];
				if (h->doc.mem) {
					x->doc = h->doc;
					memset(&h->doc, 0, sizeof h->doc);
				} else {
					/* already moved: decode it again */
					char *data = NULL;
					size_t dl = 0;
					st = dpx_db_doc_data(dp_searcher_db(f->s), x->docid,
					                     &data, &dl, err);
					if (st == DP_OK)
						st = dp_docdata_decode(data, dl, &x->doc, err);
					free(data);
				}
				break;
			}
	}
	if (st == DP_OK && out->n_ev > 1)
		qsort(out->ev, out->n_ev, sizeof *out->ev, cmp_event_day);
	free((void *)order);
	free(d);
	return st;
}

/* The other dispatches, one entry per story: meetings recalled without
 * a day, then named together, then apart. */
static dp_status make_entries(finding *f, uint32_t limit, dp_meetings *out,
                              dp_error *err)
{
	dp_result *r = &f->r;
	dp_status st = DP_OK;
	if (r->n && !(out->v = calloc(r->n, sizeof *out->v)))
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_strset stories = {0};
	size_t *story_entry = r->n ? calloc(r->n, sizeof *story_entry) : NULL;
	dp_strset dated = {0};
	if (r->n && !story_entry)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	/* a story with a dated meeting is in the events */
	for (size_t i = 0; st == DP_OK && i < r->n; i++)
		if (f->dated[i] && dp_strset_add(&dated, f->story[i]) < 0)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t i = 0; st == DP_OK && i < r->n; i++) {
		dp_hit *h = &r->hits[i];
		dp_evidence ev = f->ev[i];
		const char *key = f->story[i];
		if (dp_strset_has(&dated, key))
			continue;
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
		if (merged)
			continue;
		if (dp_strset_add(&stories, key) < 0) {
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
	free(story_entry);
	dp_strset_release(&stories);
	dp_strset_release(&dated);
	if (st != DP_OK)
		return st;
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
	size_t room = limit > out->n_ev ? limit - out->n_ev : 0;
	while (out->n > room) {
		out->n--;
		dp_docdata_release(&out->v[out->n].doc);
	}
	dp_analyzer *an = dp_searcher_analyzer(f->s);
	scan sc = {.an = an, .actors = f->actors, .nactors = f->nactors,
	           .vocab = f->vocab, .t = f->toks};
	for (size_t i = 0; st == DP_OK && i < out->n; i++) {
		dp_meeting *m = &out->v[i];
		const char *hl = m->doc.headline ? m->doc.headline : "";
		/* the text's sentence when it holds the evidence, which says
		 * more than the headline; else the headline */
		dp_evidence be;
		st = text_evidence(&sc, m->doc.text, m->doc.text_len, &be, err);
		if (st != DP_OK)
			break;
		if (be == m->evidence || m->evidence == DP_EVIDENCE_MENTION)
			st = dp_snippet_make(an, m->doc.text, m->doc.text_len,
			                     &f->terms, &f->names, 320, 0,
			                     &m->sentence, err);
		else
			st = dp_snippet_make(an, hl, strlen(hl), &f->terms,
			                     &f->names, 0, 1, &m->sentence, err);
		dp_strset_release(&sc.epithets);
	}
	return st;
}

/* Reads every candidate: its story, its evidence, its mentions. */
static dp_status read_candidates(finding *f, dp_error *err)
{
	dp_result *r = &f->r;
	size_t n = r->n ? r->n : 1;
	f->story = calloc(n, sizeof *f->story);
	f->ev = calloc(n, sizeof *f->ev);
	f->dated = calloc(n, sizeof *f->dated);
	if (!f->story || !f->ev || !f->dated)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	scan sc = {.an = dp_searcher_analyzer(f->s), .actors = f->actors,
	           .nactors = f->nactors, .vocab = f->vocab, .t = f->toks,
	           .ms = &f->ms};
	dp_status st = DP_OK;
	for (size_t i = 0; st == DP_OK && i < r->n; i++) {
		dp_hit *h = &r->hits[i];
		char *story = NULL;
		size_t sl = 0;
		st = dpx_db_doc_value(dp_searcher_db(f->s), h->docid,
		                      DP_SLOT_STORY, &story, &sl, err);
		if (st != DP_OK)
			break;
		const char *key = story && *story ? story : h->doc.id;
		f->story[i] = dp_arena_strndup(&f->ms.mem, key, strlen(key));
		free(story);
		if (!f->story[i]) {
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			break;
		}
		sc.hit = i;
		sc.story = f->story[i];
		sc.ref = doc_day(&h->doc);
		sc.found = 0;
		sc.named = sc.head_named = 0;
		dp_strset_release(&sc.epithets);
		sc.in_body = 0;
		size_t before = f->ms.n;
		dp_evidence e1, e2;
		const char *hl = h->doc.headline;
		st = text_evidence(&sc, hl, hl ? strlen(hl) : 0, &e1, err);
		sc.head_named = sc.named;
		sc.in_body = 1;
		if (st == DP_OK)
			st = text_evidence(&sc, h->doc.text, h->doc.text_len, &e2,
			                   err);
		f->ev[i] = e1 < e2 ? e1 : e2;
		for (size_t k = before; k < f->ms.n; k++)
			if (f->ms.v[k].prec != DP_DAY_NONE)
				f->dated[i] = 1;
	}
	dp_strset_release(&sc.epithets);
	return st;
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
	finding f;
	memset(&f, 0, sizeof f);
	f.s = s;
	f.vocab = vocab;
	f.nactors = nactors;
	f.actors = calloc(nactors, sizeof *f.actors);
	char *query = calloc(nactors, 210);
	f.toks = dp_tokens_new();
	dp_status st = DP_OK;
	if (!f.actors || !query || !f.toks)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	size_t qo = 0;
	for (size_t a = 0; st == DP_OK && a < nactors; a++) {
		st = dp_actor_init(s, &f.actors[a], args[a], err);
		if (st != DP_OK)
			break;
		qo += dp_actor_query(&f.actors[a], query + qo, 210 * nactors - qo);
		query[qo++] = ' ';
		query[qo] = '\0';
		size_t ao = strlen(out->actors);
		snprintf(out->actors + ao, sizeof out->actors - ao, "%s%s",
		         a ? " + " : "", dp_actor_name(&f.actors[a]));
	}
	dpx_query *boost = NULL;
	if (st == DP_OK) {
		boost = meeting_boost(dp_searcher_analyzer(s), f.actors, nactors,
		                      vocab);
		if (!boost)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
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
		st = dp_searcher_run(s, &req, &f.r, err);
	}
	/* every actor's words are highlighted, with the meeting words */
	for (size_t a = 0; st == DP_OK && a < nactors; a++)
		for (size_t i = 0; i < f.actors[a].all.n; i++)
			if (dp_strset_add(&f.names, f.actors[a].all.v[i]) < 0)
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t k = 0; st == DP_OK && k < vocab->marks.n; k++)
		if (dp_strset_add(&f.terms, vocab->marks.v[k]) < 0)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	if (st == DP_OK)
		out->candidates = f.r.total;
	if (st == DP_OK && f.r.n)
		st = read_candidates(&f, err);
	if (st == DP_OK)
		st = make_events(&f, limit, out, err);
	if (st == DP_OK)
		st = make_entries(&f, limit, out, err);
	dp_strset_release(&f.names);
	dp_strset_release(&f.terms);
	if (f.r.hits || f.r.compiled.q)
		dp_result_release(&f.r);
	free(f.story);
	free(f.ev);
	free(f.dated);
	free(f.ms.v);
	dp_arena_release(&f.ms.mem);
	dpx_query_free(boost);
	for (size_t a = 0; f.actors && a < nactors; a++)
		dp_actor_release(&f.actors[a]);
	free(f.actors);
	free(query);
	dp_tokens_free(f.toks);
	if (st != DP_OK)
		dp_meetings_release(out);
	return st;
}
