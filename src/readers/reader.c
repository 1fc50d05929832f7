/* reader.c: format detection and the reader object.  See reader.h. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "readers.h"
#include "../jsonmem.h"
#include "../utf8.h"

void dp_reader_opts_init(dp_reader_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_record = 16u << 20;
	o->file_mtime = DP_TIME_UNKNOWN;
}

/* Skips a UTF-8 BOM and white space. */
static size_t skip_space(const char *b, size_t n, size_t i)
{
	if (i == 0 && n >= 3 && (unsigned char)b[0] == 0xEF
	    && (unsigned char)b[1] == 0xBB && (unsigned char)b[2] == 0xBF)
		i = 3;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n'
	                 || b[i] == '\r'))
		i++;
	return i;
}

/* Finds the root element's local name in the first bytes of an XML file,
 * skipping the declaration, comments, processing instructions and the
 * DOCTYPE.  Returns 0 when none is found. */
static int xml_root(const char *b, size_t n, char *out, size_t outsz)
{
	size_t i = skip_space(b, n, 0);
	while (i < n) {
		if (b[i] != '<')
			return 0;
		if (i + 1 < n && (b[i + 1] == '?' || b[i + 1] == '!')) {
			const char *end;
			if (i + 3 < n && b[i + 1] == '!' && b[i + 2] == '-'
			    && b[i + 3] == '-') {
				end = NULL;
				for (size_t k = i + 4; k + 2 < n; k++)
					if (b[k] == '-' && b[k + 1] == '-'
					    && b[k + 2] == '>') {
						end = b + k + 2;
						break;
					}
			} else if (i + 8 < n && !strncmp(b + i, "<!DOCTYPE", 9)) {
				/* may hold an internal subset in [...] */
				int depth = 0;
				end = NULL;
				for (size_t k = i; k < n; k++) {
					if (b[k] == '[')
						depth++;
					else if (b[k] == ']')
						depth--;
					else if (b[k] == '>' && depth <= 0) {
						end = b + k;
						break;
					}
				}
			} else {
				end = memchr(b + i, '>', n - i);
			}
			if (!end)
				return 0;
			i = skip_space(b, n, (size_t)(end - b) + 1);
			continue;
		}
		size_t s = i + 1, e = s;
		while (e < n && b[e] != ' ' && b[e] != '>' && b[e] != '/'
		       && b[e] != '\t' && b[e] != '\n' && b[e] != '\r')
			e++;
		if (e == s || e >= n)
			return 0;
		/* drop a namespace prefix */
		for (size_t k = s; k < e; k++)
			if (b[k] == ':')
				s = k + 1;
		size_t l = e - s;
		if (l >= outsz)
			l = outsz - 1;
		memcpy(out, b + s, l);
		out[l] = '\0';
		return 1;
	}
	return 0;
}

/* Whether the first bytes are binary rather than text.  A stray NUL or
 * invalid UTF-8 in text is the readers' business, reported at its line
 * (and the other records read): only many NULs or control bytes, as in
 * an image or an executable, make a file binary. */
static int looks_binary(const char *b, size_t n)
{
	size_t ctrl = 0, nul = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c == 0) {
			nul++;
			if (i < 4)
				return 1; /* magic numbers, UTF-16/32 */
		}
		else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t'
		         && c != '\f')
			ctrl++;
	}
	/* one NUL in a short file is a bad record, not a binary file */
	return (nul > 1 && nul * 100 > n) || ctrl * 50 > n;
}

/* "UTF-16" or "UTF-32" when the bytes start with that byte-order mark. */
static const char *wide_bom(const char *b, size_t n)
{
	const unsigned char *u = (const unsigned char *)b;
	if (n >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3])
	               || (!u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF)))
		return "UTF-32";
	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE)
	               || (u[0] == 0xFE && u[1] == 0xFF)))
		return "UTF-16";
	return NULL;
}

/* Whether the first line is a whole JSON value (JSON Lines) rather than
 * the start of a pretty-printed document; -1 when out of memory. */
static int first_line_is_json(const char *b, size_t n, size_t i)
{
	const char *nl = memchr(b + i, '\n', n - i);
	size_t l = nl ? (size_t)(nl - (b + i)) : n - i;
	if (!nl && n >= 65536)
		return 1; /* one very long line */
	json_error_t je;
	json_t *v = json_loadb(b + i, l, JSON_DISABLE_EOF_CHECK, &je);
	if (dp_json_out_of_memory()) {
		json_decref(v);
		return -1;
	}
	int ok = v && json_is_object(v);
	json_decref(v);
	return ok;
}

dp_status dp_reader_open(const char *path, const dp_reader_opts *opts,
                         dp_reader **out, dp_error *err)
{
	*out = NULL;
	dp_json_init();
	dp_reader *r = calloc(1, sizeof *r);
	if (!r)
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
	if (opts)
		r->opts = *opts;
	else
		dp_reader_opts_init(&r->opts);
	r->path = strdup(path);
	if (!r->path) {
		free(r);
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
	}
	dp_status st = dp_input_open(path, &r->in, err);
	if (st != DP_OK) {
		dp_reader_free(r);
		return st;
	}
	r->name = dp_input_name(r->in);

	const char *b;
	size_t n;
	st = dp_input_peek(r->in, 65536, &b, &n, err);
	if (st != DP_OK) {
		dp_reader_free(r);
		return st;
	}
	size_t i = skip_space(b, n, 0);
	char root[64];
	if (i >= n) {
		st = dp_error_set(err, DP_ERR_FORMAT, "%s: empty file", r->name);
	} else if (wide_bom(b, n)) {
		st = dp_error_set(err, DP_ERR_FORMAT,
		                  "%s: %s text: depeche reads UTF-8 (convert it "
		                  "with iconv -f %s -t UTF-8)", r->name,
		                  wide_bom(b, n), wide_bom(b, n));
	} else if (looks_binary(b, n)) {
		st = dp_error_set(err, DP_ERR_FORMAT,
		                  "%s: binary data, not a dispatch file%s",
		                  r->name,
		                  dp_input_is_gzip(r->in) ? " (inside gzip)" : "");
	} else if (b[i] == '<') {
		if (!xml_root(b, n, root, sizeof root)) {
			st = dp_error_set(err, DP_ERR_FORMAT,
			                  "%s: no XML root element found", r->name);
		} else if (!strcmp(root, "NewsML")) {
			r->fmt = &dp_format_newsml12;
		} else if (!strcmp(root, "newsItem")
		           || !strcmp(root, "newsMessage")
		           || !strcmp(root, "packageItem")
		           || !strcmp(root, "conceptItem")
		           || !strcmp(root, "knowledgeItem")
		           || !strcmp(root, "planningItem")
		           || !strcmp(root, "catalogItem")) {
			r->fmt = &dp_format_g2;
		} else if (!strcmp(root, "nitf")) {
			r->fmt = &dp_format_nitf;
		} else {
			st = dp_error_set(err, DP_ERR_FORMAT,
			                  "%s: unknown root element '%s' (expected "
			                  "NewsML, newsItem, newsMessage or nitf)",
			                  r->name, root);
		}
	} else if (b[i] == '{') {
		int j = first_line_is_json(b, n, i);
		if (j < 0)
			st = dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory",
			                  r->name);
		else
			r->fmt = j ? &dp_format_jsonl : &dp_format_json;
	} else if (b[i] == '[') {
		r->fmt = &dp_format_json;
	} else {
		r->fmt = &dp_format_text;
	}
	if (st == DP_OK)
		st = r->fmt->open(r, err);
	if (st != DP_OK) {
		r->fmt = st == DP_OK ? r->fmt : NULL;
		dp_reader_free(r);
		return st;
	}
	*out = r;
	return DP_OK;
}

void dp_reader_free(dp_reader *r)
{
	if (!r)
		return;
	if (r->fmt && r->fmt->close)
		r->fmt->close(r);
	dp_input_free(r->in);
	free(r->path);
	free(r);
}

const char *dp_reader_format(const dp_reader *r)
{
	return r->fmt ? r->fmt->name : "unknown";
}

dp_status dp_reader_next(dp_reader *r, dp_dispatch *d, dp_error *err)
{
	dp_dispatch_reset(d);
	r->warning[0] = '\0';
	dp_status st = r->fmt->next(r, d, err);
	/* a field lost for want of memory reads as a missing one ("has no
	 * 'NewsItemId'"): it is out of memory, whatever the reader said */
	if (d->nomem && st != DP_DONE)
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory",
		                    r->name);
	if (st != DP_OK)
		return st;
	d->path = dp_dispatch_str(d, r->path);
	d->format = r->fmt->name;
	if (!d->lang || !*d->lang)
		dp_dispatch_guess_lang(d);
	int nohead = !d->headline || !*d->headline;
	int nodate = d->time == DP_TIME_UNKNOWN;
	if (nohead || nodate) {
		char where[32] = "";
		if (d->line)
			snprintf(where, sizeof where, ":%u", d->line);
		size_t used = strlen(r->warning);
		if (used)  /* the reader's own warning comes first */
			used += (size_t)snprintf(r->warning + used,
			                         sizeof r->warning - used, "\n");
		if (used >= sizeof r->warning)
			return DP_OK;
		snprintf(r->warning + used, sizeof r->warning - used,
		         "%s%s: warning: dispatch '%.200s' has %s: indexed "
		         "all the same%s", r->name, where, d->id ? d->id : "",
		         nohead && nodate ? "no headline and no date"
		         : nohead         ? "no headline"
		                          : "no date",
		         nodate ? " (date filters, --sort date and timelines "
		                  "leave it out)"
		                : "");
	}
	return DP_OK;
}

void dp_text_position(const char *s, size_t off, unsigned *line,
                      unsigned *col)
{
	unsigned l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

const char *dp_reader_warning(dp_reader *r)
{
	if (!r->warning[0])
		return NULL;
	return r->warning;
}

unsigned dp_reader_skipped(dp_reader *r)
{
	unsigned n = r->skipped;
	r->skipped = 0;
	return n;
}

uint64_t dp_reader_offset(const dp_reader *r)
{
	return dp_input_offset(r->in);
}
