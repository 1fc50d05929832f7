/* textdate.c: the days French text names.  See textdate.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "textdate.h"

int dp_weekday_of(const char *w)
{
	static const char *const days[7] = {"lundi", "mardi", "mercredi",
	                                    "jeudi", "vendredi", "samedi",
	                                    "dimanche"};
	for (int d = 0; d < 7; d++)
		if (!strcmp(w, days[d]))
			return d + 1;
	return 0;
}

int dp_month_of(const char *w)
{
	static const char *const months[12] = {
	    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet",
	    "aout", "septembre", "octobre", "novembre", "decembre"};
	for (int m = 0; m < 12; m++)
		if (!strcmp(w, months[m]))
			return m + 1;
	return 0;
}

int dp_day_number(const char *w)
{
	int d = 0;
	size_t i = 0;
	for (; w[i] >= '0' && w[i] <= '9' && i < 2; i++)
		d = d * 10 + (w[i] - '0');
	if (i == 0 || d < 1 || d > 31)
		return 0;
	if (!w[i] || (d == 1 && !strcmp(w + i, "er")))
		return d;
	return 0;
}

int dp_month_days(int y, int m)
{
	int64_t first = dp_days_from_civil(y, m, 1);
	int64_t next = m == 12 ? dp_days_from_civil(y + 1, 1, 1)
	                       : dp_days_from_civil(y, m + 1, 1);
	return (int)(next - first);
}

/* A year as written: four digits, 1900 to 2199. */
static int year_of(const char *w)
{
	if (strlen(w) != 4 || strspn(w, "0123456789") != 4)
		return 0;
	int y = atoi(w);
	return y >= 1900 && y <= 2199 ? y : 0;
}

static const char *word_at(const dp_tokens *t, size_t i)
{
	const dp_token *k = dp_tokens_get(t, i);
	return k->word ? k->word : k->term;
}

static int word_is(const dp_tokens *t, size_t i, size_t to, const char *w)
{
	return i < to && !strcmp(word_at(t, i), w);
}

static int is_next(const dp_tokens *t, size_t i, size_t to,
                   const char *a, const char *b)
{
	return word_is(t, i, to, a) || (b && word_is(t, i, to, b));
}

/* Day of the week of a day: 1 (Monday) .. 7; 1970-01-01 was a Thursday. */
static int weekday_of_day(int64_t day)
{
	return (int)(((day + 3) % 7 + 7) % 7) + 1;
}

typedef struct found {
	int64_t day;
	dp_day_prec prec;
	size_t at;
} found;

/* The year of a day (d) or a month (d 0) written without one: the
 * nearest to ref; "prochain" takes the next one, and a text about what
 * is to come (ahead) never a past one by more than a few days. */
static int nearest_year(int64_t ref, int ry, int m, int d, int ahead,
                        int later)
{
	int best = ry;
	int64_t best_dist = INT64_MAX;
	for (int y = ry - 1; y <= ry + 1; y++) {
		int last = dp_month_days(y, m);
		if (d > last)
			continue;
		int64_t lo = dp_days_from_civil(y, m, d ? d : 1);
		int64_t hi = d ? lo : lo + last - 1;
		if ((later && hi < ref) || (ahead && hi < ref - 3))
			continue;
		int64_t dist = ref < lo ? lo - ref : ref > hi ? ref - hi : 0;
		if (dist < best_dist) {
			best_dist = dist;
			best = y;
		}
	}
	return best;
}

/* Reads the expression that starts at token i, if any; *len is the
 * number of tokens it takes. */
static int read_at(const dp_tokens *t, size_t i, size_t to, int64_t ref,
                   int ahead, found *f, size_t *len)
{
	const char *w = word_at(t, i);
	int ry, rm, rd;
	dp_civil_from_days(ref, &ry, &rm, &rd);
	(void)rm;
	(void)rd;
	int d, m, y, wd;
	f->at = i;
	*len = 1;
	if ((d = dp_day_number(w)) > 0 && i + 1 < to
	    && (m = dp_month_of(word_at(t, i + 1))) > 0) {
		*len = 2;
		y = i + 2 < to ? year_of(word_at(t, i + 2)) : 0;
		int later = is_next(t, i + 2, to, "prochain", "prochaine");
		if (y)
			*len = 3;
		else
			y = nearest_year(ref, ry, m, d, ahead, later);
		if (d > dp_month_days(y, m))
			return 0;
		f->day = dp_days_from_civil(y, m, d);
		f->prec = DP_DAY_EXACT;
		/* a weekday before it belongs to it */
		if (i > 0 && dp_weekday_of(word_at(t, i - 1)))
			f->at = i - 1;
		return 1;
	}
	if ((m = dp_month_of(w)) > 0) {
		y = i + 1 < to ? year_of(word_at(t, i + 1)) : 0;
		int later = is_next(t, i + 1, to, "prochain", "prochaine");
		if (y)
			*len = 2;
		else
			y = nearest_year(ref, ry, m, 0, ahead, later);
		f->day = dp_days_from_civil(y, m, 1);
		f->prec = DP_DAY_MONTH;
		return 1;
	}
	if ((wd = dp_weekday_of(w)) > 0) {
		/* "mardi 3 décembre" is read at the day number */
		if (i + 2 < to && dp_day_number(word_at(t, i + 1))
		    && dp_month_of(word_at(t, i + 2)))
			return 0;
		int before = is_next(t, i + 1, to, "dernier", NULL);
		int later = is_next(t, i + 1, to, "prochain", NULL);
		if (before || later)
			*len = 2;
		int wr = weekday_of_day(ref), delta;
		if (later || (ahead && !before)) {
			delta = (wd - wr + 7) % 7;
			if (!delta && later)
				delta = 7;
		} else {
			delta = -((wr - wd + 7) % 7);
			if (!delta && before)
				delta = -7;
		}
		f->day = ref + delta;
		f->prec = DP_DAY_EXACT;
		return 1;
	}
	if (!strcmp(w, "hier") || !strcmp(w, "demain")) {
		int back = w[0] == 'h';
		int two = i > 0
		          && (dp_tokens_get(t, i)->flags & DP_TOK_HYPHEN)
		          && !strcmp(word_at(t, i - 1), back ? "avant" : "apres");
		if (two)
			f->at = i - 1;
		f->day = ref + (back ? -1 : 1) * (two ? 2 : 1);
		f->prec = DP_DAY_EXACT;
		return 1;
	}
	if (!strcmp(w, "aujourd'hui") || !strcmp(w, "aujourd")
	    || ((!strcmp(w, "ce") || !strcmp(w, "cet") || !strcmp(w, "cette"))
	        && i + 1 < to
	        && (is_next(t, i + 1, to, "matin", "soir")
	            || is_next(t, i + 1, to, "apres", "nuit")))) {
		f->day = ref;
		f->prec = DP_DAY_EXACT;
		return 1;
	}
	if ((y = year_of(w)) > 0 && i > 0
	    && (dp_tokens_get(t, i)->flags & DP_TOK_NUMBER)) {
		const char *p = word_at(t, i - 1);
		if (!strcmp(p, "en") || !strcmp(p, "depuis")
		    || !strcmp(p, "debut") || !strcmp(p, "fin")) {
			f->day = dp_days_from_civil(y, 1, 1);
			f->prec = DP_DAY_YEAR;
			return 1;
		}
	}
	return 0;
}

/* Whether "depuis" comes just before token at (up to two words). */
static int since_before(const dp_tokens *t, size_t from, size_t at)
{
	for (size_t k = at; k > from && k + 2 >= at; k--)
		if (!strcmp(word_at(t, k - 1), "depuis"))
			return 1;
	return 0;
}

void dp_text_day_read(const dp_tokens *t, size_t from, size_t to,
                      size_t near, int64_t ref, int ahead, dp_text_day *out)
{
	memset(out, 0, sizeof *out);
	uint32_t np = near < dp_tokens_count(t) ? dp_tokens_get(t, near)->pos
	                                        : 0;
	uint32_t best_dist = UINT32_MAX;
	for (size_t i = from; i < to;) {
		found f;
		size_t len = 1;
		if (!read_at(t, i, to, ref, ahead, &f, &len)) {
			i++;
			continue;
		}
		/* "depuis la mi-février" is when something began */
		if (since_before(t, from, f.at)) {
			i += len;
			continue;
		}
		uint32_t p = dp_tokens_get(t, f.at)->pos;
		uint32_t dist = p > np ? p - np : np - p;
		if (dist < best_dist
		    || (dist == best_dist && f.prec > out->prec)) {
			best_dist = dist;
			out->day = f.day;
			out->prec = f.prec;
			out->at = f.at;
		}
		i += len;
	}
}

void dp_text_day_format(int64_t day, dp_day_prec prec, char out[11])
{
	int y, m, d;
	dp_civil_from_days(day, &y, &m, &d);
	char tmp[40];
	if (prec == DP_DAY_YEAR)
		snprintf(tmp, sizeof tmp, "%04d", y);
	else if (prec == DP_DAY_MONTH)
		snprintf(tmp, sizeof tmp, "%04d-%02d", y, m);
	else
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 11);
	out[10] = '\0';
}
