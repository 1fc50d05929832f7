/* dossier.h: background searches for journalists — when did these people
 * meet (--meetings), and everything on one person (--about).
 *
 * Both run ordinary searches through the searcher (names, entities and
 * their spellings as in any query), then read the matching dispatches'
 * text with the analyzer to find the evidence. */
#ifndef DEPECHE_DOSSIER_H
#define DEPECHE_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "arena.h"
#include "depeche.h"
#include "docdata.h"
#include "ranking.h"
#include "search.h"
#include "snippet.h"

/* ---- meeting vocabulary (meetings.yaml) -------------------------------- */

typedef struct dp_vocab dp_vocab;

dp_status dp_vocab_load(const char *path, dp_analyzer *an, dp_vocab **out,
                        dp_error *err);
dp_status dp_vocab_load_string(const char *name, const char *text,
                               size_t len, dp_analyzer *an, dp_vocab **out,
                               dp_error *err);
/* The shipped config/meetings.yaml, built in. */
dp_status dp_vocab_builtin(dp_analyzer *an, dp_vocab **out, dp_error *err);
void dp_vocab_free(dp_vocab *v);
size_t dp_vocab_count(const dp_vocab *v);

/* ---- meetings ------------------------------------------------------------ */

typedef enum dp_evidence {
	DP_EVIDENCE_MEETING,   /* a sentence names every actor and a meeting */
	DP_EVIDENCE_TOGETHER,  /* a sentence names every actor */
	DP_EVIDENCE_MENTION,   /* the dispatch names every actor */
} dp_evidence;

const char *dp_evidence_name(dp_evidence e);

/* The kind of an event, from its words (meetings.yaml: words, calls,
 * video); the most specific wins. */
typedef enum dp_meet_kind {
	DP_MEET_MEETING,         /* met in person, talked, negotiated */
	DP_MEET_CALL,            /* a telephone call */
	DP_MEET_VIDEO,           /* a video call */
} dp_meet_kind;

const char *dp_meet_kind_name(dp_meet_kind k);

/* A dispatch that reports an event (one per story). */
typedef struct dp_report {
	uint32_t docid;
	const char *id, *date, *source;   /* date and source may be NULL */
	int64_t time;
} dp_report;

/* A meeting: the sentences of every dispatch that say the actors met on
 * the same day (or the next), as one entry. */
typedef struct dp_event {
	dp_meet_kind kind;
	char day[11];            /* "YYYY-MM-DD", or "YYYY-MM" when a
	                            sentence gives only the month */
	int day_in_text;         /* a sentence gives the day (else it is the
	                            date of the dispatches) */
	int planned;             /* every report speaks of it as to come */
	char place[96];          /* "" when none is known */
	int place_in_text;       /* a sentence names it (else a dateline) */
	size_t stories;          /* stories that report it */
	uint32_t docid;          /* the dispatch whose sentence shows it */
	dp_docdata doc;
	dp_snippet sentence;     /* that sentence, actors and words marked */
	dp_report *reports;      /* the first 50 reports, by date */
	size_t n_reports;
} dp_event;

typedef struct dp_meeting {
	uint32_t docid;
	dp_evidence evidence;
	uint32_t others;         /* other dispatches of the story grouped here */
	dp_docdata doc;
	dp_snippet sentence;     /* the evidence, actors and meeting words marked */
} dp_meeting;

typedef struct dp_meetings {
	dp_event *ev;            /* the events listed (the most reported,
	                            those that took place first), by day */
	size_t n_ev;
	size_t n_events;         /* events found */
	size_t n_planned;        /* of which only announced */
	dp_meeting *v;           /* the other dispatches: a meeting recalled
	                            without its day, named together, named
	                            apart; each by date */
	size_t n;
	size_t n_meeting, n_together, n_mention;   /* stories of each kind */
	uint32_t candidates;     /* dispatches naming every actor */
	char actors[512];        /* the actors as understood ("A + B") */
	dp_arena mem;            /* the reports' strings */
} dp_meetings;

/* Finds when the actors (names or entity aliases, two or more) met,
 * talked, phoned or negotiated.  since/until limit the dates of the
 * dispatches (may be NULL); limit bounds the listing, events first (the
 * counts are over everything; 0 lists nothing). */
dp_status dp_meetings_find(dp_searcher *s, const dp_vocab *vocab,
                           const dp_profile *p,
                           const char *const *actors, size_t nactors,
                           const char *since, const char *until,
                           uint32_t limit, dp_meetings *out, dp_error *err);
void dp_meetings_release(dp_meetings *m);

/* ---- dossier ----------------------------------------------------------- */

typedef struct dp_named_count {
	char *name;
	uint32_t count;
} dp_named_count;

typedef struct dp_dossier {
	char subject[256];         /* the entity's name, or the text given */
	const char *description;   /* from entities.yaml, or NULL (not owned) */
	uint32_t total;            /* dispatches that name it */
	dp_hit first, latest;      /* earliest and newest mention */
	int have_first;
	dp_facet months;           /* per month, in order */
	dp_hit *key;               /* key dispatches: one per story */
	size_t n_key;
	dp_facet people, organisations, places, datelines;
} dp_dossier;

/* Everything on subject (a name or an entity alias): first and latest
 * mention, mentions per month, n_key key dispatches (the most relevant,
 * one per story), the people, organisations and places most often named
 * with it. */
dp_status dp_dossier_make(dp_searcher *s, const dp_profile *p,
                          const char *subject, const char *since,
                          const char *until, size_t n_key, dp_dossier *out,
                          dp_error *err);
void dp_dossier_release(dp_dossier *d);

#endif
