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

typedef struct dp_meeting {
	uint32_t docid;
	dp_evidence evidence;
	uint32_t others;         /* other dispatches of the story grouped here */
	dp_docdata doc;
	dp_snippet sentence;     /* the evidence, actors and meeting words marked */
} dp_meeting;

typedef struct dp_meetings {
	dp_meeting *v;           /* meetings by date, then the others by date */
	size_t n;
	size_t n_meeting, n_together, n_mention;   /* stories of each kind */
	uint32_t candidates;     /* dispatches naming every actor */
	char actors[512];        /* the actors as understood ("A + B") */
} dp_meetings;

/* Finds when the actors (names or entity aliases, two or more) met,
 * talked, phoned or negotiated.  since/until limit the dates (may be
 * NULL); limit bounds the listing (the counts are over everything; 0
 * lists nothing). */
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
