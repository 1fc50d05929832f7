/* query-date.c: dates in queries — date:VALUE and --since/--until as day
 * ranges, and the weekdays and dates ("mardi 3 décembre 2019") that a
 * query's free text names.  See query.h and query-private.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "query-private.h"
#include "query.h"
#include "textdate.h"


/* ---- day ranges ------------------------------------------------------------- */

static int ndigits(const char *s, size_t len, size_t at, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (at + (size_t)i >= len || s[at + i] < '0' || s[at + i] > '9')
			return 0;
		v = v * 10 + (s[at + i] - '0');
	}
	*out = v;
	return 1;
}

int dp_query_parse_day(const char *s, size_t len, int end, char out[9])
{
	int y, m = end ? 12 : 1, d = 1;
	if (len != 4 && len != 7 && len != 10)
		return 0;
	if (!ndigits(s, len, 0, 4, &y))
		return 0;
	int have_day = 0;
	if (len >= 7) {
		if (s[4] != '-' || !ndigits(s, len, 5, 2, &m) || m < 1 || m > 12)
			return 0;
	}
	if (len == 10) {
		if (s[7] != '-' || !ndigits(s, len, 8, 2, &d))
			return 0;
		have_day = 1;
	}
	int mdays = dp_month_days(y, m);
	if (have_day && (d < 1 || d > mdays))
		return 0;
	if (!have_day && end)
		d = mdays;
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04d%02d%02d", y, m, d);
	memcpy(out, tmp, 8);
	out[8] = '\0';
	return 1;
}

/* date:VALUE -> a node.  VALUE is YYYY, YYYY-MM, YYYY-MM-DD or A..B. */
dp_status dp_qdate_parse_field(const char *v, size_t len, size_t col,
                               dp_qnode **out, dp_error *err)
{
	*out = NULL;
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (v[i] == '.' && v[i + 1] == '.') {
			dots = v + i;
			break;
		}
	dp_qnode *n = dp_qnode_new(DP_Q_DATE, col);
	if (!n)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	char lo[9] = "", hi[9] = "";
	if (dots) {
		size_t al = (size_t)(dots - v), bl = len - al - 2;
		if ((al && !dp_query_parse_day(v, al, 0, lo))
		    || (bl && !dp_query_parse_day(dots + 2, bl, 1, hi))
		    || (!al && !bl)) {
			dp_qnode_free(n);
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: bad date range '%.*s' "
			                    "(expected YYYY[-MM[-DD]]..YYYY[-MM[-DD]])",
			                    col, (int)len, v);
		}
		if (*lo && *hi && strcmp(lo, hi) > 0) {
			dp_qnode_free(n);
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: date range '%.*s' ends before "
			                    "it starts", col, (int)len, v);
		}
	} else {
		if (!dp_query_parse_day(v, len, 0, lo)
		    || !dp_query_parse_day(v, len, 1, hi)) {
			dp_qnode_free(n);
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: bad date '%.*s' (expected "
			                    "YYYY, YYYY-MM, YYYY-MM-DD or a range "
			                    "A..B)", col, (int)len, v);
		}
	}
	n->text = strdup(lo);
	n->text2 = strdup(hi);
	if (!n->text || !n->text2) {
		dp_qnode_free(n);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	*out = n;
	return DP_OK;
}

dp_status dp_query_date_node(const char *since, const char *until,
                             dp_qnode **out, dp_error *err)
{
	*out = NULL;
	char lo[9] = "", hi[9] = "";
	if (since && !dp_query_parse_day(since, strlen(since), 0, lo))
		return dp_error_set(err, DP_ERR_INVALID,
		                    "bad date '%s' (expected YYYY[-MM[-DD]])",
		                    since);
	if (until && !dp_query_parse_day(until, strlen(until), 1, hi))
		return dp_error_set(err, DP_ERR_INVALID,
		                    "bad date '%s' (expected YYYY[-MM[-DD]])",
		                    until);
	if (*lo && *hi && strcmp(lo, hi) > 0)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "--since %s is after --until %s", since, until);
	dp_qnode *n = dp_qnode_new(DP_Q_DATE, 0);
	if (n) {
		n->text = strdup(lo);
		n->text2 = strdup(hi);
	}
	if (!n || !n->text || !n->text2) {
		dp_qnode_free(n);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	*out = n;
	return DP_OK;
}

/* ---- the dates of the free text ------------------------------------------ */

/* The weekdays a text names, as bits (Monday = bit 0). */
unsigned dp_qdate_weekdays(const dp_tokens *t)
{
	unsigned bits = 0;
	for (size_t i = 0; i < dp_tokens_count(t); i++) {
		int d = dp_weekday_of(dp_tokens_get(t, i)->word);
		if (d)
			bits |= 1u << (d - 1);
	}
	return bits;
}

/* Follows the free text's tokens in order for the dates they name: a day
 * then a month ("3 décembre", "1er mai"), and a year after them when
 * there is one ("3 décembre 2019"); a weekday just before the day
 * ("mardi 3 décembre") is kept with the date. */
void dp_qdate_scan_token(dp_qdate_scan *s, dp_compiled *o,
                         const dp_token *t)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30,
	                              31, 31, 30, 31, 30, 31};
	const char *w = t->word ? t->word : t->term;
	int day = s->day, open = s->open, wday = s->wday;
	int day_wday = s->day_wday;
	s->day = 0;
	s->day_wday = 0;
	s->wday = 0;
	s->open = 0;
	if ((s->wday = dp_weekday_of(w)) > 0)
		return;
	if (open && strlen(w) == 4 && w[0] >= '1' && w[0] <= '2'
	    && strspn(w, "0123456789") == 4) {
		uint32_t y = (uint32_t)atoi(w);
		if (y >= 1800 && y <= 2199)
			o->dates[o->n_dates - 1] += y * 10000;
		return;
	}
	if (day) {
		int m = dp_month_of(w);
		if (m) {
			if (day <= mdays[m - 1] && o->n_dates < DP_MAX_QUERY_DATES) {
				o->dates[o->n_dates++] =
				    (uint32_t)day_wday * 100000000u
				    + (uint32_t)(m * 100 + day);
				s->open = 1;
			}
			return;
		}
	}
	if ((s->day = dp_day_number(w)) > 0)
		s->day_wday = wday;
}
