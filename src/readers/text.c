/* text.c: plain-text dispatches.
 *
 * A header block of "Key: value" lines (Id, Version, Date, Source, Lang,
 * Dateline, Place, Slug, Urgency, Headline, Byline, Genre, Subjects,
 * Status), a blank line, then the body, paragraphs separated by blank
 * lines.  A file without a header is a body alone: its id is the file name
 * without extensions, its date the file's modification time, its headline
 * the first sentence. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readers.h"
#include "../utf8.h"

typedef struct text_state {
	char *data;
	size_t len;
	int done;
} text_state;

static dp_status text_open(dp_reader *r, dp_error *err)
{
	text_state *ts = calloc(1, sizeof *ts);
	if (!ts)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_status st = dp_input_slurp(r->in, r->opts.max_record, &ts->data,
	                              &ts->len, err);
	if (st != DP_OK) {
		free(ts);
		return st;
	}
	r->state = ts;
	return DP_OK;
}

static void text_close(dp_reader *r)
{
	text_state *ts = r->state;
	if (!ts)
		return;
	free(ts->data);
	free(ts);
	r->state = NULL;
}

static const char *const header_keys[] = {
	"byline", "date", "dateline", "genre", "headline", "id", "lang",
	"language", "place", "slug", "source", "status", "subjects", "urgency",
	"version", "first-created", "signal",
};

static int is_header_key(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof header_keys / sizeof *header_keys; i++)
		if (strlen(header_keys[i]) == n
		    && strncasecmp(header_keys[i], k, n) == 0)
			return 1;
	return 0;
}

/* Splits "Key: value"; returns 0 when the line is not a header line. */
static int split_header(const char *line, size_t len, size_t *klen,
                        const char **val, size_t *vlen)
{
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return 0;
	size_t k = (size_t)(colon - line);
	if (!is_header_key(line, k))
		return 0;
	const char *v = colon + 1;
	size_t vl = len - k - 1;
	while (vl && (*v == ' ' || *v == '\t')) {
		v++;
		vl--;
	}
	while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
		vl--;
	*klen = k;
	*val = v;
	*vlen = vl;
	return 1;
}

static dp_status header(dp_reader *r, dp_dispatch *d, const char *key,
                        size_t klen, const char *v, size_t vl, unsigned line,
                        dp_error *err)
{
#define IS(name) (klen == strlen(name) && !strncasecmp(key, name, klen))
	const char *s = dp_dispatch_strdup(d, v, vl);
	if (!s)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	if (IS("id")) {
		d->id = s;
	} else if (IS("headline")) {
		d->headline = s;
	} else if (IS("source")) {
		d->source = s;
	} else if (IS("lang") || IS("language")) {
		d->lang = s;
	} else if (IS("dateline")) {
		d->dateline = s;
	} else if (IS("place")) {
		d->place = s;
	} else if (IS("slug")) {
		d->slug = s;
	} else if (IS("byline")) {
		d->byline = s;
	} else if (IS("genre")) {
		d->genre = s;
	} else if (IS("signal")) {
		d->signal = s;
	} else if (IS("date")) {
		d->date = s;
		d->time = dp_parse_iso8601(s);
		if (d->time == DP_TIME_UNKNOWN)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%u: 'Date' is not an ISO 8601 date: "
			                    "'%s'", r->name, line, s);
	} else if (IS("first-created")) {
		d->first_time = dp_parse_iso8601(s);
	} else if (IS("version") || IS("urgency")) {
		char *end;
		long n = strtol(s, &end, 10);
		int is_v = IS("version");
		if (end == s || *end || n < (is_v ? 1 : 0)
		    || n > (is_v ? 1000000000L : 9))
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%u: '%s' must be %s, not '%s'",
			                    r->name, line, is_v ? "Version" : "Urgency",
			                    is_v ? "a positive integer"
			                         : "an integer from 0 to 9", s);
		if (is_v)
			d->version = (uint32_t)n;
		else
			d->urgency = (int)n;
	} else if (IS("status")) {
		int ps = dp_pubstatus_parse(s);
		if (ps < 0)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%u: unknown 'Status' '%s'", r->name,
			                    line, s);
		d->status = (dp_pubstatus)ps;
	} else if (IS("subjects")) {
		const char *p = s;
		while (*p) {
			const char *c = strchr(p, ',');
			size_t n = c ? (size_t)(c - p) : strlen(p);
			dp_status st = dp_dispatch_add_subject(d, p, n, err);
			if (st != DP_OK)
				return st;
			p += n;
			if (*p == ',')
				p++;
		}
	}
#undef IS
	return DP_OK;
}

/* The file name without directories and extensions. */
static const char *base_id(dp_dispatch *d, const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	const char *dot = memchr(b, '.', n);
	if (dot && dot != b)
		n = (size_t)(dot - b);
	return dp_dispatch_strdup(d, b, n);
}

static dp_status text_next(dp_reader *r, dp_dispatch *d, dp_error *err)
{
	text_state *ts = r->state;
	if (ts->done)
		return DP_DONE;
	ts->done = 1;
	const char *p = ts->data, *end = ts->data + ts->len;
	unsigned ln, col;
	const char *nul = memchr(p, '\0', ts->len);
	if (nul) {
		dp_text_position(p, (size_t)(nul - p), &ln, &col);
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s:%u:%u: NUL byte: not a text dispatch",
		                    r->name, ln, col);
	}
	size_t bad_at;
	if (dp_utf8_count_invalid(p, ts->len, &bad_at)) {
		/* what dp_dispatch_strdup() makes of it, said */
		dp_text_position(p, bad_at, &ln, &col);
		snprintf(r->warning, sizeof r->warning,
		         "%s:%u:%u: warning: not UTF-8 (byte 0x%02X): read as "
		         "Windows-1252", r->name, ln, col,
		         (unsigned char)p[bad_at]);
	}
	/* skip a BOM */
	if (end - p >= 3 && (unsigned char)p[0] == 0xEF
	    && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	unsigned line = 1;
	int headers = 0;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t klen, vl;
		const char *v;
		if (len == 0 || (len == 1 && p[0] == '\r')) {
			if (headers) {
				p = nl ? nl + 1 : end;
				line++;
			}
			break;
		}
		if (!split_header(p, len, &klen, &v, &vl))
			break;
		dp_status st = header(r, d, p, klen, v, vl, line, err);
		if (st != DP_OK)
			return st;
		headers++;
		if (!nl) {
			p = end;
			break;
		}
		p = nl + 1;
		line++;
	}
	d->line = 1;
	dp_status st = dp_dispatch_set_body(d, p, (size_t)(end - p), err);
	if (st != DP_OK)
		return st;
	if (!headers || !d->id) {
		if (headers)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:1: header block has no 'Id'", r->name);
		/* a body alone */
		if (strcmp(r->path, "-") == 0)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:1: a dispatch read from standard "
			                    "input needs an 'Id:' header", r->name);
		d->id = base_id(d, r->path);
	}
	/* the date of the dateline, else the file's modification time */
	dp_dispatch_apply_dateline(d);
	if (d->time == DP_TIME_UNKNOWN && !headers
	    && r->opts.file_mtime != DP_TIME_UNKNOWN)
		d->time = r->opts.file_mtime;
	if (!d->headline && d->n_paragraphs > 0) {
		/* the first sentence of the lead after its dateline, at most
		 * 200 bytes */
		const char *lead = d->paragraphs[0];
		char place[128], source[64];
		int64_t when;
		lead += dp_dateline_parse(lead, strlen(lead), place, sizeof place,
		                          &when, source, sizeof source,
		                          DP_TIME_UNKNOWN);
		size_t n = strlen(lead), cut = n;
		for (size_t i = 0; i + 1 < n; i++) {
			if ((lead[i] == '.' || lead[i] == '!' || lead[i] == '?')
			    && lead[i + 1] == ' ') {
				cut = i + 1;
				break;
			}
		}
		if (cut > 200) {
			cut = 200;
			while (cut > 0 && lead[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = 200;
			/* do not split a UTF-8 sequence */
			while (cut > 0 && ((unsigned char)lead[cut] & 0xC0) == 0x80)
				cut--;
		}
		d->headline = dp_dispatch_strdup(d, lead, cut);
	}
	st = dp_dispatch_validate(d, err);
	if (st != DP_OK)
		dp_error_prefix(err, "%s:1", r->name);
	return st;
}

const dp_format dp_format_text = {
	.name = "text", .open = text_open, .next = text_next,
	.close = text_close,
};
