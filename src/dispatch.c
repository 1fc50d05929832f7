/* dispatch.c: the dispatch model.  See dispatch.h. */
#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "dispatch.h"
#include "utf8.h"

struct dp_dispatch_mem {
	dp_arena arena;
	const char **paras;
	size_t paras_cap;
	const char **subjects;
	size_t subjects_cap;
};

dp_dispatch *dp_dispatch_new(void)
{
	dp_dispatch *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->mem = calloc(1, sizeof *d->mem);
	if (!d->mem) {
		free(d);
		return NULL;
	}
	dp_dispatch_reset(d);
	return d;
}

void dp_dispatch_free(dp_dispatch *d)
{
	if (!d)
		return;
	dp_arena_release(&d->mem->arena);
	free(d->mem->paras);
	free(d->mem->subjects);
	free(d->mem);
	free(d);
}

void dp_dispatch_reset(dp_dispatch *d)
{
	struct dp_dispatch_mem *m = d->mem;
	dp_arena_reset(&m->arena);
	memset(d, 0, sizeof *d);
	d->mem = m;
	d->version = 1;
	d->time = DP_TIME_UNKNOWN;
	d->first_time = DP_TIME_UNKNOWN;
	d->paragraphs = m->paras;
	d->subjects = m->subjects;
}

static int is_space_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
	       || c == '\v';
}

const char *dp_dispatch_strdup(dp_dispatch *d, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *fixed = NULL;
	size_t bad_at;
	if (dp_utf8_count_invalid(s, n, &bad_at)) {
		fixed = dp_utf8_repair(s, n, &n);
		if (!fixed) {
			d->nomem = 1;
			return NULL;
		}
		s = fixed;
	}
	char *nfc = NULL;
	if (dp_utf8_maybe_not_nfc(s, n)) {
		size_t nl;
		if (dp_utf8_nfc(s, n, &nfc, &nl, NULL) == DP_OK) {
			s = nfc;
			n = nl;
		}
	}
	/* trim ASCII white space at both ends */
	while (n && is_space_byte(*s)) {
		s++;
		n--;
	}
	while (n && is_space_byte(s[n - 1]))
		n--;
	char *p = dp_arena_strndup(&d->mem->arena, s, n);
	if (!p)
		d->nomem = 1;
	if (p) {
		for (size_t i = 0; i < n; i++)
			if (p[i] == '\0' || p[i] == '\r')
				p[i] = ' ';
	}
	free(fixed);
	free(nfc);
	return p;
}

const char *dp_dispatch_str(dp_dispatch *d, const char *s)
{
	return s ? dp_dispatch_strdup(d, s, strlen(s)) : NULL;
}

static dp_status push(dp_dispatch *d, const char ***arr, size_t *cap,
                      size_t *count, const char *v, dp_error *err)
{
	if (*count == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		const char **na = realloc(*arr, nc * sizeof *na);
		if (!na)
			return dp_error_set(err, DP_ERR_NOMEM,
			                    "dispatch: out of memory");
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*count)++] = v;
	(void)d;
	return DP_OK;
}

dp_status dp_dispatch_add_paragraph(dp_dispatch *d, const char *s, size_t n,
                                    dp_error *err)
{
	const char *p = dp_dispatch_strdup(d, s, n);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "dispatch: out of memory");
	if (!*p)
		return DP_OK;
	/* single newlines inside a paragraph are spaces */
	for (char *q = (char *)p; *q; q++)
		if (*q == '\n' || *q == '\t')
			*q = ' ';
	dp_status st = push(d, &d->mem->paras, &d->mem->paras_cap,
	                    &d->n_paragraphs, p, err);
	d->paragraphs = d->mem->paras;
	return st;
}

dp_status dp_dispatch_add_subject(dp_dispatch *d, const char *s, size_t n,
                                  dp_error *err)
{
	const char *p = dp_dispatch_strdup(d, s, n);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "dispatch: out of memory");
	if (!*p)
		return DP_OK;
	for (size_t i = 0; i < d->n_subjects; i++)
		if (strcmp(d->subjects[i], p) == 0)
			return DP_OK;
	dp_status st = push(d, &d->mem->subjects, &d->mem->subjects_cap,
	                    &d->n_subjects, p, err);
	d->subjects = d->mem->subjects;
	return st;
}

dp_status dp_dispatch_set_body(dp_dispatch *d, const char *text, size_t n,
                               dp_error *err)
{
	size_t i = 0;
	while (i < n) {
		/* a paragraph runs to the next blank line */
		size_t start = i, end = n, next = n;
		size_t k = i;
		while (k < n) {
			if (text[k] == '\n') {
				size_t m = k + 1;
				while (m < n && (text[m] == ' ' || text[m] == '\t'
				                 || text[m] == '\r'))
					m++;
				if (m < n && text[m] == '\n') {
					end = k;
					next = m + 1;
					break;
				}
			}
			k++;
		}
		dp_status st = dp_dispatch_add_paragraph(d, text + start,
		                                         end - start, err);
		if (st != DP_OK)
			return st;
		i = next;
	}
	return DP_OK;
}

/* ---- dates ----------------------------------------------------------------- */

int64_t dp_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy =
	    (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

void dp_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t yy = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int64_t dp_parse_iso8601(const char *s)
{
	if (!s)
		return DP_TIME_UNKNOWN;
	while (*s == ' ')
		s++;
	int y, mo = 1, d = 1, h = 0, mi = 0, se = 0;
	const char *p = s;
	if (!digits(p, 4, &y))
		return DP_TIME_UNKNOWN;
	p += 4;
	int ext = (*p == '-');
	if (ext)
		p++;
	if (!digits(p, 2, &mo))
		return DP_TIME_UNKNOWN;
	p += 2;
	if (ext) {
		if (*p == '-')
			p++;
		else
			return DP_TIME_UNKNOWN;
	}
	if (!digits(p, 2, &d))
		return DP_TIME_UNKNOWN;
	p += 2;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return DP_TIME_UNKNOWN;
	int64_t offset = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(p, 2, &h))
			return DP_TIME_UNKNOWN;
		p += 2;
		if (*p == ':')
			p++;
		if (digits(p, 2, &mi)) {
			p += 2;
			if (*p == ':')
				p++;
			if (digits(p, 2, &se))
				p += 2;
		}
		if (*p == '.' || *p == ',') {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (h > 24 || mi > 59 || se > 60)
			return DP_TIME_UNKNOWN;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			int oh = 0, om = 0;
			p++;
			if (!digits(p, 2, &oh))
				return DP_TIME_UNKNOWN;
			p += 2;
			if (*p == ':')
				p++;
			if (digits(p, 2, &om))
				p += 2;
			offset = sign * (oh * 3600 + om * 60);
		}
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return DP_TIME_UNKNOWN;
	return dp_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se
	       - offset;
}

static void split_time(int64_t t, int *y, int *mo, int *d, int *h, int *mi,
                       int *s)
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	dp_civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem / 60 % 60);
	*s = (int)(rem % 60);
}

void dp_time_key(int64_t t, char out[15])
{
	int y, mo, d, h, mi, s;
	split_time(t, &y, &mo, &d, &h, &mi, &s);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%04d%02d%02d%02d%02d%02d", y, mo, d, h, mi,
	         s);
	memcpy(out, tmp, 14);
	out[14] = '\0';
}

void dp_time_iso(int64_t t, char out[21])
{
	int y, mo, d, h, mi, s;
	split_time(t, &y, &mo, &d, &h, &mi, &s);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h,
	         mi, s);
	memcpy(out, tmp, 20);
	out[20] = '\0';
}

static const struct {
	const char *lang;
	const char *words;   /* space-separated, with spaces around */
} lang_words[] = {
	{"fr", " le la les des est une pour dans qui que du au sur avec pas "
	       "il elle ont sont aux "},
	{"en", " the and of to is in that for with was on are by have has "
	       "it from "},
	{"de", " der die und das ist nicht mit den ein eine auf im zu von "
	       "sich des "},
	{"es", " el los las del que y en por con para una es se al lo como "},
	{"it", " il di che della per non sono una nel gli alla con del le "},
	{"nl", " het een van de en is dat niet op te voor met zijn ook "},
};

void dp_dispatch_guess_lang(dp_dispatch *d)
{
	enum { NL = sizeof lang_words / sizeof *lang_words };
	size_t score[NL] = {0};
	size_t words = 0;
	const char *texts[2] = {d->headline, NULL};
	for (size_t p = 0; p <= d->n_paragraphs && words < 400; p++) {
		const char *t = p == 0 ? texts[0] : d->paragraphs[p - 1];
		while (t && *t && words < 400) {
			while (*t && !((*t >= 'a' && *t <= 'z')
			               || (*t >= 'A' && *t <= 'Z')))
				t++;
			const char *w = t;
			while ((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z'))
				t++;
			size_t n = (size_t)(t - w);
			if (!n || n > 6)
				continue;
			char key[10] = " ";
			for (size_t i = 0; i < n; i++)
				key[1 + i] = (char)(w[i] | 0x20);
			key[1 + n] = ' ';
			key[2 + n] = '\0';
			words++;
			for (size_t l = 0; l < NL; l++)
				if (strstr(lang_words[l].words, key))
					score[l]++;
		}
	}
	size_t best = 0, second = 0;
	for (size_t l = 1; l < NL; l++) {
		if (score[l] > score[best]) {
			second = best;
			best = l;
		} else if (l != best && score[l] > score[second]) {
			second = l;
		}
	}
	if (best == second)
		second = best == 0 ? 1 : 0;
	if (score[best] >= 5 && score[best] >= 2 * score[second])
		d->lang = lang_words[best].lang;
}

dp_status dp_dispatch_validate(const dp_dispatch *d, dp_error *err)
{
	if (!d->id || !*d->id)
		return dp_error_set(err, DP_ERR_FORMAT, "missing 'id'");
	if (strlen(d->id) > 200)
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "'id' is longer than 200 bytes");
	if (d->status == DP_PUB_CANCELED || d->status == DP_PUB_WITHHELD)
		return DP_OK; /* a kill needs no text */
	if ((!d->headline || !*d->headline) && d->n_paragraphs == 0)
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "dispatch '%s' has neither headline nor body",
		                    d->id);
	return DP_OK;
}

int dp_pubstatus_parse(const char *s)
{
	if (!s)
		return -1;
	const char *c = strchr(s, ':');
	if (c)
		s = c + 1;
	if (!strcasecmp(s, "usable") || !strcasecmp(s, "published")
	    || !strcasecmp(s, "ok") || !*s)
		return DP_PUB_USABLE;
	if (!strcasecmp(s, "canceled") || !strcasecmp(s, "cancelled")
	    || !strcasecmp(s, "killed") || !strcasecmp(s, "kill")
	    || !strcasecmp(s, "deleted"))
		return DP_PUB_CANCELED;
	if (!strcasecmp(s, "withheld") || !strcasecmp(s, "embargoed"))
		return DP_PUB_WITHHELD;
	if (!strcasecmp(s, "correction") || !strcasecmp(s, "corrected")
	    || !strcasecmp(s, "correct"))
		return DP_PUB_CORRECTION;
	return -1;
}

const char *dp_pubstatus_name(dp_pubstatus s)
{
	switch (s) {
	case DP_PUB_USABLE: return "usable";
	case DP_PUB_CANCELED: return "canceled";
	case DP_PUB_WITHHELD: return "withheld";
	case DP_PUB_CORRECTION: return "correction";
	}
	return "usable";
}
