/* dispatch.h: the dispatch model — one news item as every reader produces
 * it and as the indexer stores it.
 *
 * All strings belong to the dispatch (an arena inside it) and live until
 * dp_dispatch_reset or dp_dispatch_free.  Text is UTF-8, NFC. */
#ifndef DEPECHE_DISPATCH_H
#define DEPECHE_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"

#define DP_TIME_UNKNOWN INT64_MIN

typedef enum dp_pubstatus {
	DP_PUB_USABLE = 0,
	DP_PUB_CANCELED,    /* a kill: remove the story */
	DP_PUB_WITHHELD,    /* withheld: remove until a newer usable version */
	DP_PUB_CORRECTION,  /* usable, replaces the previous version */
} dp_pubstatus;

typedef struct dp_dispatch {
	const char *id;          /* guid; required */
	uint32_t version;        /* 1 when unknown */
	const char *date;        /* as given (ISO 8601 preferred) */
	int64_t time;            /* UTC seconds, DP_TIME_UNKNOWN if none */
	int64_t first_time;      /* first-created, DP_TIME_UNKNOWN if none */
	const char *headline;
	const char *source;      /* provider or credit ("AFP") */
	const char *lang;        /* "fr" */
	const char *dateline;    /* as written ("Strasbourg, 10 juil 2024") */
	const char *place;       /* place from the dateline or located */
	const char *country;
	const char *slug;
	const char *byline;
	const char *genre;
	const char *signal;
	const char *embargo;
	const char *format;      /* reader that produced it ("jsonl") */
	int urgency;             /* 1 (flash) .. 9 (lowest); 0 unknown */
	dp_pubstatus status;
	const char **subjects;   /* "code name" or "name" */
	size_t n_subjects;
	const char **paragraphs; /* body, first is the lead */
	size_t n_paragraphs;
	const char *path;        /* origin file ("-" for stdin) */
	uint32_t line;           /* line of the record in path (1-based) */
	int nomem;               /* a copy into it failed for want of memory
	                            (set by dp_dispatch_strdup, the readers) */
	struct dp_dispatch_mem *mem;
} dp_dispatch;

/* Makes an empty dispatch; NULL when out of memory. */
dp_dispatch *dp_dispatch_new(void);
void dp_dispatch_free(dp_dispatch *d);
/* Empties d for the next record, keeping its memory. */
void dp_dispatch_reset(dp_dispatch *d);

/* Copies n bytes of s into d's memory, repairing invalid UTF-8, turning
 * NUL bytes into spaces, trimming ASCII white space and normalising to
 * NFC.
 * Returns NULL when out of memory. */
const char *dp_dispatch_strdup(dp_dispatch *d, const char *s, size_t n);
/* Same for a NUL-terminated string (NULL gives NULL). */
const char *dp_dispatch_str(dp_dispatch *d, const char *s);
/* Appends a paragraph or a subject (copied as by dp_dispatch_strdup;
 * empty paragraphs are skipped). */
dp_status dp_dispatch_add_paragraph(dp_dispatch *d, const char *s, size_t n,
                                    dp_error *err);
dp_status dp_dispatch_add_subject(dp_dispatch *d, const char *s, size_t n,
                                  dp_error *err);
/* Splits text on blank lines into paragraphs (single newlines become
 * spaces). */
dp_status dp_dispatch_set_body(dp_dispatch *d, const char *text, size_t n,
                               dp_error *err);

/* Parses an ISO 8601 date-time ("2022-07-29T16:42:00+02:00", "2022-07-29",
 * "20220729T164200Z", ...) into UTC seconds; DP_TIME_UNKNOWN when it is not
 * one. */
int64_t dp_parse_iso8601(const char *s);
/* Formats t (UTC) as "YYYYMMDDhhmmss" into out (15 bytes). */
void dp_time_key(int64_t t, char out[15]);
/* Formats t as ISO 8601 UTC "YYYY-MM-DDThh:mm:ssZ" into out (21 bytes). */
void dp_time_iso(int64_t t, char out[21]);
/* Days since 1970-01-01 of a civil date, and back. */
int64_t dp_days_from_civil(int y, int m, int d);
void dp_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Parses an agency dateline at the start of a lead paragraph
 * ("Strasbourg, 10 juil 2024 (AFP) - ...", "PARIS, July 10 (Reuters) -")
 * or a dateline field ("Washington, 29 juil 2022").  Fills place (into
 * place, size placesz), the date (UTC midnight of that day, or
 * DP_TIME_UNKNOWN) and source when present; returns the number of bytes of
 * text the dateline takes (0 when there is none).  ref_time helps guess a
 * missing year. */
size_t dp_dateline_parse(const char *text, size_t len, char *place,
                         size_t placesz, int64_t *date, char *source,
                         size_t sourcesz, int64_t ref_time);

/* Fills d->place (and d->time when unknown) from d->dateline or the lead
 * paragraph; strips nothing from the body. */
void dp_dispatch_apply_dateline(dp_dispatch *d);

/* Guesses the language of a dispatch without one from its most frequent
 * little words (fr, en, de, es, it, nl); leaves d->lang NULL when the
 * text is too short or the guess is not clear. */
void dp_dispatch_guess_lang(dp_dispatch *d);

/* Checks the fields every dispatch needs (id, and a headline or a body);
 * fills err with what is missing. */
dp_status dp_dispatch_validate(const dp_dispatch *d, dp_error *err);

/* Maps the usual names of a publication status ("usable", "canceled",
 * "killed", "withheld", "correction", "stat:canceled") to the enum;
 * returns -1 for an unknown name. */
int dp_pubstatus_parse(const char *s);
const char *dp_pubstatus_name(dp_pubstatus s);

#endif
