/* textdate.h: the days that French text names, read from its analysed
 * tokens (folded words): "lundi", "mardi 3 décembre 2019", "le 1er mai",
 * "en février 2019", "hier", "avant-hier", "aujourd'hui", "demain".
 *
 * Used by the query (the dates a query's words name) and by --meetings
 * (the day a sentence says a meeting took place). */
#ifndef DEPECHE_TEXTDATE_H
#define DEPECHE_TEXTDATE_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"

/* 1 (Monday) .. 7 (Sunday) for a folded weekday name, else 0. */
int dp_weekday_of(const char *w);
/* 1 .. 12 for a folded month name ("fevrier", "aout"), else 0. */
int dp_month_of(const char *w);
/* A day of the month as written before a month's name: "3", "03",
 * "1er"; 0 otherwise. */
int dp_day_number(const char *w);
/* Days in month m (1..12) of year y. */
int dp_month_days(int y, int m);

typedef enum dp_day_prec {
	DP_DAY_NONE = 0,
	DP_DAY_YEAR,      /* "en 2018" */
	DP_DAY_MONTH,     /* "en février 2019", "fin juillet" */
	DP_DAY_EXACT,     /* "le 19 août", "lundi", "hier" */
} dp_day_prec;

typedef struct dp_text_day {
	int64_t day;        /* days since 1970-01-01: the day, or the first
	                       of the month or year when less precise */
	dp_day_prec prec;
	size_t at;          /* the token where the expression starts */
} dp_text_day;

/* The day named in tokens [from, to) nearest to token near (ties: the
 * more precise), relative to ref (the day the text was written, in days
 * since 1970-01-01).  A weekday, a day without a year or a month without
 * a year is the nearest such day before ref, or after it when ahead is
 * set (the text speaks of what is to come) or the text says "prochain".
 * A day just after "depuis" (when something began) is not read.
 * prec is DP_DAY_NONE when the tokens name no day. */
void dp_text_day_read(const dp_tokens *t, size_t from, size_t to,
                      size_t near, int64_t ref, int ahead,
                      dp_text_day *out);

/* "YYYY-MM-DD", "YYYY-MM" or "YYYY" for a day of that precision. */
void dp_text_day_format(int64_t day, dp_day_prec prec, char out[11]);

#endif
