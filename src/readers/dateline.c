/* dateline.c: agency datelines — "Strasbourg, 10 juil 2024 (AFP) - ",
 * "PARIS, July 10 (Reuters) - ", "WASHINGTON (AP) — ", "Moscou, 1er août
 * 2022 (AFP) -", "(ANSA) - ROME, Jul 11 - " — at the start of a lead
 * paragraph or alone in a dateline field.  See readers.h. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "readers.h"
#include "../utf8.h"

#define PLACE_MAX_WORDS 6
#define PLACE_MAX_BYTES 60
#define SOURCE_MAX_BYTES 30
/* a dateline field without source or dash is taken whole up to this */
#define FIELD_MAX_BYTES 80

typedef struct cursor {
	const char *s;
	size_t n, i;
} cursor;

static int at_end(const cursor *c)
{
	return c->i >= c->n;
}

static int peek(const cursor *c, size_t k)
{
	return c->i + k < c->n ? (unsigned char)c->s[c->i + k] : -1;
}

static void skip_spaces(cursor *c)
{
	for (;;) {
		int ch = peek(c, 0);
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			c->i++;
		} else if (ch == 0xC2 && peek(c, 1) == 0xA0) {
			c->i += 2; /* no-break space */
		} else if (ch == 0xE2 && peek(c, 1) == 0x80
		           && (peek(c, 2) == 0xAF || peek(c, 2) == 0x89)) {
			c->i += 3; /* narrow no-break space, thin space */
		} else {
			return;
		}
	}
}

/* The code point at the cursor (-1 at the end or for bad UTF-8) and its
 * length in *len. */
static int32_t cp_at(const cursor *c, size_t off, size_t *len)
{
	size_t j = c->i + off;
	if (j >= c->n) {
		*len = 0;
		return -1;
	}
	size_t k = j;
	int32_t cp = dp_utf8_decode(c->s, c->n, &k);
	*len = k - j;
	return cp;
}

static int is_letter(int32_t cp)
{
	int cl = cp >= 0 ? dp_unicode_class(cp) : DP_CC_OTHER;
	return cl == DP_CC_UPPER || cl == DP_CC_LOWER || cl == DP_CC_MARK;
}

static int is_upper(int32_t cp)
{
	return cp >= 0 && dp_unicode_class(cp) == DP_CC_UPPER;
}

/* A run of letters at the cursor; returns its byte length (0 if none). */
static size_t letters(const cursor *c, size_t off)
{
	size_t k = off, l;
	while (is_letter(cp_at(c, k, &l)))
		k += l;
	return k - off;
}

/* A dash at the cursor ("-", "--", "–", "—", ".-"); its length or 0. */
static size_t dash_at(const cursor *c)
{
	int ch = peek(c, 0);
	if (ch == '.' && peek(c, 1) == '-')
		return peek(c, 2) == '-' ? 3 : 2;
	if (ch == '-')
		return peek(c, 1) == '-' ? 2 : 1;
	if (ch == 0xE2 && peek(c, 1) == 0x80
	    && (peek(c, 2) == 0x93 || peek(c, 2) == 0x94))
		return 3;
	if (ch == '_' && peek(c, 1) == ' ')
		return 1; /* AP's ANPA dash: "(AP) _ " */
	return 0;
}

/* Accent- and case-folded copy of a word, for table look-ups. */
static void fold_word(const char *s, size_t n, char *out, size_t outsz)
{
	char buf[3 * 32 + 1];
	if (n > 32) {
		out[0] = '\0';
		return;
	}
	size_t l = dp_utf8_fold(s, n, buf);
	if (l >= outsz)
		l = outsz - 1;
	memcpy(out, buf, l);
	out[l] = '\0';
}

static const struct {
	const char *name;
	int month;
} months[] = {
	/* French */
	{"janvier", 1}, {"janv", 1}, {"fevrier", 2}, {"fevr", 2}, {"fev", 2},
	{"mars", 3}, {"avril", 4}, {"avr", 4}, {"mai", 5}, {"juin", 6},
	{"juillet", 7}, {"juil", 7}, {"aout", 8}, {"septembre", 9},
	{"octobre", 10}, {"novembre", 11}, {"decembre", 12},
	/* English */
	{"january", 1}, {"jan", 1}, {"february", 2}, {"feb", 2},
	{"march", 3}, {"mar", 3}, {"april", 4}, {"apr", 4}, {"may", 5},
	{"june", 6}, {"jun", 6}, {"july", 7}, {"jul", 7}, {"august", 8},
	{"aug", 8}, {"september", 9}, {"sept", 9}, {"sep", 9},
	{"october", 10}, {"oct", 10}, {"november", 11}, {"nov", 11},
	{"december", 12}, {"dec", 12},
};

static const char *const weekdays[] = {
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
	"dimanche", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur",
	"thurs", "fri", "sat", "sun", NULL,
};

/* A month name at the cursor (with an optional dot); advances past it
 * and returns 1..12, or 0 without moving. */
static int month_at(cursor *c)
{
	size_t l = letters(c, 0);
	if (!l)
		return 0;
	char w[40];
	fold_word(c->s + c->i, l, w, sizeof w);
	for (size_t k = 0; k < sizeof months / sizeof *months; k++) {
		if (strcmp(w, months[k].name) != 0)
			continue;
		c->i += l;
		if (peek(c, 0) == '.')
			c->i++;
		return months[k].month;
	}
	return 0;
}

static int weekday_at(cursor *c)
{
	size_t l = letters(c, 0);
	if (!l)
		return 0;
	char w[40];
	fold_word(c->s + c->i, l, w, sizeof w);
	for (const char *const *p = weekdays; *p; p++) {
		if (strcmp(w, *p) != 0)
			continue;
		c->i += l;
		if (peek(c, 0) == '.')
			c->i++;
		if (peek(c, 0) == ',')
			c->i++;
		return 1;
	}
	return 0;
}

/* Up to max digits; returns the count read (value in *v). */
static int digits_at(cursor *c, int max, int *v)
{
	int k = 0, x = 0;
	while (k < max && peek(c, (size_t)k) >= '0' && peek(c, (size_t)k) <= '9') {
		x = x * 10 + (peek(c, (size_t)k) - '0');
		k++;
	}
	if (k && peek(c, (size_t)k) >= '0' && peek(c, (size_t)k) <= '9')
		return 0; /* too many digits */
	c->i += (size_t)k;
	*v = x;
	return k;
}

/* A day of the month with its optional ordinal suffix ("1er", "2nd"). */
static int day_at(cursor *c, int *day)
{
	size_t save = c->i;
	int d;
	if (!digits_at(c, 2, &d) || d < 1 || d > 31) {
		c->i = save;
		return 0;
	}
	static const char *const sfx[] = {"er", "st", "nd", "rd", "th", NULL};
	size_t l = letters(c, 0);
	if (l) {
		int ok = 0;
		for (const char *const *p = sfx; *p; p++)
			if (l == 2 && !strncasecmp(c->s + c->i, *p, 2))
				ok = 1;
		if (!ok) {
			c->i = save;
			return 0;
		}
		c->i += l;
	}
	*day = d;
	return 1;
}

static int year_at(cursor *c, int *year)
{
	size_t save = c->i;
	int y;
	if (digits_at(c, 4, &y) != 4 || y < 1900 || y > 2200) {
		c->i = save;
		return 0;
	}
	*year = y;
	return 1;
}

static int days_in(int y, int m)
{
	static const int dm[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && y > 0)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
	return dm[m - 1];
}

/* "10 juil 2024", "1er août", "July 10", "December 8, 2022", with an
 * optional weekday first.  Fills *m, *d and *y (0 when not written). */
static int date_at(cursor *c, int *y, int *m, int *d)
{
	size_t save = c->i;
	*y = 0;
	if (weekday_at(c))
		skip_spaces(c);
	size_t before = c->i;
	if (day_at(c, d)) {
		skip_spaces(c);
		if ((*m = month_at(c)) != 0) {
			size_t t = c->i;
			skip_spaces(c);
			if (!year_at(c, y))
				c->i = t;
			if (*d <= days_in(*y, *m))
				return 1;
		}
	}
	c->i = before;
	if ((*m = month_at(c)) != 0) {
		skip_spaces(c);
		if (day_at(c, d)) {
			size_t t = c->i;
			if (peek(c, 0) == ',')
				c->i++;
			skip_spaces(c);
			if (!year_at(c, y))
				c->i = t;
			if (*d <= days_in(*y, *m))
				return 1;
		}
	}
	c->i = save;
	return 0;
}

static const char *const particles[] = {
	"de", "du", "des", "la", "le", "les", "el", "al", "am", "an", "di",
	"da", "do", "dos", "del", "von", "van", "der", "den", "sur", "sous",
	"en", "lès", "upon", "on", "y", NULL,
};

static int is_particle(const char *s, size_t n)
{
	char w[40];
	fold_word(s, n, w, sizeof w);
	for (const char *const *p = particles; *p; p++) {
		char f[40];
		fold_word(*p, strlen(*p), f, sizeof f);
		if (!strcmp(w, f))
			return 1;
	}
	return 0;
}

/* A word of a place name at the cursor: letters, inner hyphens and
 * apostrophes, an abbreviation's dot ("St."); returns its length. */
static size_t place_word(const cursor *c)
{
	size_t k = 0, l;
	for (;;) {
		int32_t cp = cp_at(c, k, &l);
		if (is_letter(cp)) {
			k += l;
			continue;
		}
		if ((cp == '-' || cp == '\'' || cp == 0x2019) && k) {
			size_t l2;
			if (is_letter(cp_at(c, k + l, &l2))) {
				k += l;
				continue;
			}
		}
		if (cp == '.' && k && k <= 3) {
			size_t l2;
			int32_t nx = cp_at(c, k + 1, &l2);
			if (nx == ' ')
				k += 1;
		}
		break;
	}
	return k;
}

/* Writes the place, turning ALL CAPITALS into title case ("ABOU DHABI"
 * -> "Abou Dhabi", "RIO DE JANEIRO" -> "Rio de Janeiro", "AIX-EN-PROVENCE"
 * -> "Aix-en-Provence"); mixed case is kept ("Le Caire"). */
static void copy_place(const char *s, size_t n, char *out, size_t outsz)
{
	if (!outsz)
		return;
	int has_lower = 0;
	for (size_t i = 0; i < n;) {
		int32_t cp = dp_utf8_decode(s, n, &i);
		if (cp >= 0 && dp_unicode_class(cp) == DP_CC_LOWER)
			has_lower = 1;
	}
	size_t o = 0;
	if (has_lower) {
		if (n >= outsz) {
			n = outsz - 1;
			/* do not cut a character */
			while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(out, s, n);
		out[n] = '\0';
		return;
	}
	/* title case, part by part (parts split on space, hyphen and
	 * apostrophe) */
	size_t i = 0;
	int first_part = 1;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != ' ' && s[e] != '-' && s[e] != '\''
		       && !((unsigned char)s[e] == 0xE2 && e + 2 < n
		            && (unsigned char)s[e + 1] == 0x80
		            && (unsigned char)s[e + 2] == 0x99))
			e++;
		size_t plen = e - i;
		int next_apos = e < n && (s[e] == '\'' || (unsigned char)s[e] == 0xE2);
		int lower_all = !first_part
		                && (is_particle(s + i, plen)
		                    || (next_apos && plen == 1));
		size_t k = i;
		int firstch = 1;
		while (k < e) {
			size_t st = k;
			int32_t cp = dp_utf8_decode(s, e, &k);
			char enc[4];
			size_t el;
			if (cp < 0) {
				enc[0] = s[st];
				el = 1;
			} else {
				int32_t w = (firstch && !lower_all) ? cp
				                                    : dp_unicode_lower(cp);
				el = dp_utf8_encode(w, enc);
			}
			if (o + el >= outsz)
				goto done;
			memcpy(out + o, enc, el);
			o += el;
			firstch = 0;
		}
		/* the separator */
		size_t sl = 0;
		if (e < n)
			sl = (unsigned char)s[e] == 0xE2 ? 3 : 1;
		if (o + sl >= outsz)
			goto done;
		memcpy(out + o, s + e, sl);
		o += sl;
		i = e + sl;
		first_part = 0;
	}
done:
	out[o] = '\0';
}

static int64_t pick_date(int y, int m, int d, int64_t ref)
{
	if (y)
		return dp_days_from_civil(y, m, d) * 86400;
	if (ref == DP_TIME_UNKNOWN)
		return DP_TIME_UNKNOWN;
	int64_t days = ref / 86400 - (ref % 86400 < 0);
	int ry, rm, rd;
	dp_civil_from_days(days, &ry, &rm, &rd);
	int64_t best = DP_TIME_UNKNOWN, best_gap = 0;
	for (int cy = ry - 1; cy <= ry + 1; cy++) {
		if (d > days_in(cy, m))
			continue;
		int64_t t = dp_days_from_civil(cy, m, d) * 86400;
		int64_t gap = t > ref ? t - ref : ref - t;
		if (best == DP_TIME_UNKNOWN || gap < best_gap) {
			best = t;
			best_gap = gap;
		}
	}
	return best;
}

/* "(AFP)" at the cursor: copies the name into source; 0 if none. */
static int source_at(cursor *c, char *source, size_t sourcesz)
{
	if (peek(c, 0) != '(')
		return 0;
	size_t k = 1;
	while (c->i + k < c->n && c->s[c->i + k] != ')' && k <= SOURCE_MAX_BYTES) {
		unsigned char ch = (unsigned char)c->s[c->i + k];
		if (ch == '(' || ch == '\n' || (ch >= '0' && ch <= '9'))
			return 0;
		k++;
	}
	if (c->i + k >= c->n || c->s[c->i + k] != ')' || k < 3)
		return 0;
	size_t l;
	if (!is_letter(cp_at(c, 1, &l)))
		return 0;
	if (sourcesz) {
		size_t n = k - 1 < sourcesz - 1 ? k - 1 : sourcesz - 1;
		memcpy(source, c->s + c->i + 1, n);
		source[n] = '\0';
	}
	c->i += k + 1;
	return 1;
}

/* A bare agency name in capitals before a dash ("AAP -"). */
static int bare_source_at(cursor *c, char *source, size_t sourcesz)
{
	size_t k = 0;
	while (c->i + k < c->n && c->s[c->i + k] >= 'A' && c->s[c->i + k] <= 'Z')
		k++;
	if (k < 2 || k > 8)
		return 0;
	cursor t = *c;
	t.i += k;
	skip_spaces(&t);
	if (!dash_at(&t))
		return 0;
	if (sourcesz) {
		size_t n = k < sourcesz - 1 ? k : sourcesz - 1;
		memcpy(source, c->s + c->i, n);
		source[n] = '\0';
	}
	c->i += k;
	return 1;
}

/* The place: capitalised words (and particles inside), stopping before
 * a month followed by a day.  Returns its length (0: none). */
static size_t place_at(cursor *c)
{
	size_t start = c->i, end = c->i;
	int words = 0;
	for (;;) {
		size_t l;
		int32_t cp = cp_at(c, 0, &l);
		size_t wl = place_word(c);
		if (!wl)
			break;
		int particle = !is_upper(cp) && is_particle(c->s + c->i, wl);
		if (!is_upper(cp) && !(words && particle))
			break;
		/* "SYDNEY March 22": the month starts the date ("MARCH 04,
		 * 2013" alone has no place) */
		{
			cursor t = *c;
			int y, m, d;
			if (date_at(&t, &y, &m, &d))
				break;
		}
		c->i += wl;
		if (!particle)
			end = c->i;
		if (++words >= PLACE_MAX_WORDS || c->i - start > PLACE_MAX_BYTES)
			break;
		if (peek(c, 0) != ' ')
			break;
		size_t save = c->i;
		c->i++;
		cp = cp_at(c, 0, &l);
		if (!is_letter(cp)) {
			c->i = save;
			break;
		}
	}
	c->i = end;
	return end - start;
}

size_t dp_dateline_parse(const char *text, size_t len, char *place,
                         size_t placesz, int64_t *date, char *source,
                         size_t sourcesz, int64_t ref_time)
{
	if (placesz)
		place[0] = '\0';
	if (sourcesz)
		source[0] = '\0';
	*date = DP_TIME_UNKNOWN;
	if (!text)
		return 0;
	cursor c = {text, len, 0};
	skip_spaces(&c);
	char src[SOURCE_MAX_BYTES + 2] = "";
	int has_source = 0, has_dash = 0;

	/* "(ANSA) - ROME, ..." : the source first */
	if (source_at(&c, src, sizeof src)) {
		has_source = 1;
		skip_spaces(&c);
		size_t dl = dash_at(&c);
		if (!dl)
			return 0;
		c.i += dl;
		skip_spaces(&c);
	}
	size_t pstart = c.i;
	size_t plen = place_at(&c);
	if (!plen)
		return 0;
	skip_spaces(&c);
	int y = 0, m = 0, d = 0, have_date = 0;
	if (peek(&c, 0) == ',') {
		c.i++;
		skip_spaces(&c);
		have_date = date_at(&c, &y, &m, &d);
		if (!have_date) {
			/* "OKLAHOMA CITY, Okla. (AP)": a region after the city */
			size_t save = c.i;
			if (!place_at(&c))
				c.i = save;
			else if (peek(&c, 0) == '.')
				c.i++;
		}
	} else {
		have_date = date_at(&c, &y, &m, &d);
	}
	if (have_date && peek(&c, 0) == '.')
		c.i++;
	skip_spaces(&c);
	if (!has_source && source_at(&c, src, sizeof src)) {
		has_source = 1;
		if (peek(&c, 0) == '.' && peek(&c, 1) != '-')
			c.i++;
		skip_spaces(&c);
	} else if (!has_source && have_date
	           && bare_source_at(&c, src, sizeof src)) {
		has_source = 1;
		skip_spaces(&c);
	}
	size_t dl = dash_at(&c);
	if (dl) {
		has_dash = 1;
		c.i += dl;
		skip_spaces(&c);
	}
	if (!has_source && !has_dash) {
		/* a dateline field alone: nothing but trailing punctuation may
		 * follow */
		while (!at_end(&c) && (peek(&c, 0) == '.' || peek(&c, 0) == ','
		                       || peek(&c, 0) == ':'))
			c.i++;
		skip_spaces(&c);
		if (!at_end(&c) || c.n > FIELD_MAX_BYTES)
			return 0;
	}
	copy_place(text + pstart, plen, place, placesz);
	if (have_date)
		*date = pick_date(y, m, d, ref_time);
	if (has_source && sourcesz)
		snprintf(source, sourcesz, "%s", src);
	return c.i;
}

/* ---- applying it to a dispatch ----------------------------------------- */

/* The dateline part of a lead without its dash and trailing spaces. */
static size_t without_dash(const char *s, size_t n)
{
	for (;;) {
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n && (s[n - 1] == '-' || s[n - 1] == '.' || s[n - 1] == '_'))
			n--;
		else if (n >= 3 && (unsigned char)s[n - 3] == 0xE2
		         && (unsigned char)s[n - 2] == 0x80
		         && ((unsigned char)s[n - 1] == 0x93
		             || (unsigned char)s[n - 1] == 0x94))
			n -= 3;
		else
			return n;
	}
}

/* Whether s[0..n) ends with a dash (and spaces). */
static int ends_with_dash(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n && (s[n - 1] == '-' || s[n - 1] == '_'))
		return 1;
	return n >= 3 && (unsigned char)s[n - 3] == 0xE2
	       && (unsigned char)s[n - 2] == 0x80
	       && ((unsigned char)s[n - 1] == 0x93
	           || (unsigned char)s[n - 1] == 0x94);
}

static void apply(dp_dispatch *d, const char *place, int64_t date,
                  const char *source)
{
	if (!d->place && place[0])
		d->place = dp_dispatch_str(d, place);
	if (d->time == DP_TIME_UNKNOWN && date != DP_TIME_UNKNOWN) {
		d->time = date;
		if (!d->date) {
			char iso[21];
			dp_time_iso(date, iso);
			iso[10] = '\0';
			d->date = dp_dispatch_str(d, iso);
		}
	}
	if (!d->source && source[0])
		d->source = dp_dispatch_str(d, source);
}

void dp_dispatch_apply_dateline(dp_dispatch *d)
{
	char place[PLACE_MAX_BYTES * 2 + 8], source[SOURCE_MAX_BYTES + 2];
	int64_t date;
	int64_t ref = d->first_time;
	if (d->dateline && *d->dateline
	    && dp_dateline_parse(d->dateline, strlen(d->dateline), place,
	                         sizeof place, &date, source, sizeof source, ref))
		apply(d, place, date, source);
	if ((d->place && d->time != DP_TIME_UNKNOWN) || d->n_paragraphs == 0)
		return;
	const char *lead = d->paragraphs[0];
	size_t n = dp_dateline_parse(lead, strlen(lead), place, sizeof place,
	                             &date, source, sizeof source, ref);
	if (!n)
		return;
	/* in a lead, a dateline ends with a source or a dash: a paragraph
	 * that is one capitalised word ("Photo.") is not a place */
	if (!source[0] && !ends_with_dash(lead, n))
		return;
	size_t l = without_dash(lead, n);
	apply(d, place, date, source);
	if (!d->dateline && l)
		d->dateline = dp_dispatch_strdup(d, lead, l);
}
