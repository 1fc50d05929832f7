/* meetings-private.h: what the files of --meetings share (see
 * dossier.h for the API): the vocabulary of meetings.yaml
 * (meetings-vocab.c), what a dispatch's sentences say of a meeting
 * (meetings-read.c), and the events made of them (meetings.c). */
#ifndef DEPECHE_MEETINGS_PRIVATE_H
#define DEPECHE_MEETINGS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "actor.h"
#include "analyzer.h"
#include "arena.h"
#include "dossier.h"
#include "textdate.h"

/* The kind of an entry of 'not': words in which a meeting word is no
 * meeting ("entretenir des relations", "dans un entretien"). */
#define KIND_NOT (-1)

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
	 * make a name after "de" someone else ("le conseiller de"); "pairs"
	 * after "les deux" and "subjects" starting a sentence speak of the
	 * actors without naming them */
	const char **neg, **planned, **recalled, **others, **pairs, **subjects;
	size_t n_neg, n_planned, n_recalled, n_others, n_pairs, n_subjects;
	dp_strset marks;        /* the stems of one-word entries, to
	                           highlight (the words of "conférence de
	                           presse" alone are no meeting) */
	dp_arena mem;
};

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

/* Reading one candidate dispatch. */
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

/* The day a dispatch was written, as its source wrote it (the local
 * date), else from its UTC time; INT64_MIN when unknown. */
int64_t dp_meet_doc_day(const dp_docdata *d);

/* The best evidence in one text (headline or body) of the dispatch sc
 * reads; with sc->ms, every meeting sentence is recorded as a mention. */
dp_status dp_meet_text_evidence(scan *sc, const char *text, size_t len,
                                dp_evidence *best, dp_error *err);

#endif
