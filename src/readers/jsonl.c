/* jsonl.c: JSON Lines (one dispatch object per line) and whole JSON
 * documents (one object, or an array of objects). */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers.h"
#include "../jsonmem.h"

/* ---- one object -> dispatch ---------------------------------------------- */


/* "'key' must be <what>" at file:line. */
static dp_status bad(dp_reader *r, uint32_t line, dp_error *err,
                     const char *key, const char *what)
{
	return dp_error_set(err, DP_ERR_FORMAT, "%s:%u: '%s' must be %s",
	                    r->name, line, key, what);
}

/* A string field: absent or null gives NULL; numbers are turned into
 * text; anything else is an error. */
static dp_status get_str(dp_reader *r, json_t *o, const char *key,
                         uint32_t line, dp_dispatch *d, const char **out,
                         dp_error *err)
{
	*out = NULL;
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return DP_OK;
	if (json_is_string(v)) {
		*out = dp_dispatch_strdup(d, json_string_value(v),
		                          json_string_length(v));
	} else if (json_is_integer(v)) {
		char b[32];
		snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
		*out = dp_dispatch_str(d, b);
	} else {
		return bad(r, line, err, key, "a string");
	}
	if (!*out)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	return DP_OK;
}

static dp_status get_int(dp_reader *r, json_t *o, const char *key,
                         uint32_t line, long lo, long hi, long *out,
                         dp_error *err)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return DP_DONE;
	long n;
	if (json_is_integer(v)) {
		n = (long)json_integer_value(v);
	} else if (json_is_string(v)) {
		char *end;
		n = strtol(json_string_value(v), &end, 10);
		if (end == json_string_value(v) || *end)
			return bad(r, line, err, key, "an integer");
	} else {
		return bad(r, line, err, key, "an integer");
	}
	if (n < lo || n > hi) {
		char m[128];
		snprintf(m, sizeof m, "'%s' is %ld, outside %ld..%ld", key, n,
		         lo, hi);
		return dp_error_set(err, DP_ERR_FORMAT, "%s:%u: %s", r->name,
		                    line, m);
	}
	*out = n;
	return DP_OK;
}

dp_status dp_json_to_dispatch(dp_reader *r, json_t *o, uint32_t line,
                              dp_dispatch *d, dp_error *err)
{
	if (!json_is_object(o))
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s:%u: expected a JSON object", r->name, line);
	if (dp_json_is_ninjs(o))
		return dp_ninjs_to_dispatch(r, o, line, d, err);
	d->line = line;

	dp_status st;
	const char *s;
#define STR(key, field) \
	do { \
		if ((st = get_str(r, o, key, line, d, &s, err)) != DP_OK) \
			return st; \
		if (s) \
			d->field = s; \
	} while (0)
	STR("guid", id);
	STR("id", id);
	STR("title", headline);
	STR("headline", headline);
	STR("source", source);
	STR("language", lang);
	STR("lang", lang);
	STR("dateline", dateline);
	STR("place", place);
	STR("country", country);
	STR("slug", slug);
	STR("byline", byline);
	STR("genre", genre);
	STR("signal", signal);
	STR("embargo", embargo);
	STR("date", date);
#undef STR
	if (d->date) {
		d->time = dp_parse_iso8601(d->date);
		if (d->time == DP_TIME_UNKNOWN && *d->date)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%u: 'date' is not an ISO 8601 date: "
			                    "'%.40s'", r->name, line, d->date);
	}
	if ((st = get_str(r, o, "first_created", line, d, &s, err)) != DP_OK)
		return st;
	if (s)
		d->first_time = dp_parse_iso8601(s);

	long n;
	st = get_int(r, o, "version", line, 1, 1000000000L, &n, err);
	if (st == DP_OK)
		d->version = (uint32_t)n;
	else if (st != DP_DONE)
		return st;
	st = get_int(r, o, "urgency", line, 0, 9, &n, err);
	if (st == DP_OK)
		d->urgency = (int)n;
	else if (st != DP_DONE)
		return st;

	if ((st = get_str(r, o, "status", line, d, &s, err)) != DP_OK)
		return st;
	if (s) {
		int ps = dp_pubstatus_parse(s);
		if (ps < 0)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%u: unknown 'status' '%s' (expected "
			                    "usable, canceled, withheld or correction)",
			                    r->name, line, s);
		d->status = (dp_pubstatus)ps;
	}

	json_t *body = json_object_get(o, "body");
	json_t *paras = json_object_get(o, "paragraphs");
	if (body && !json_is_null(body)) {
		if (!json_is_string(body))
			return bad(r, line, err, "body", "a string");
		st = dp_dispatch_set_body(d, json_string_value(body),
		                          json_string_length(body), err);
		if (st != DP_OK)
			return st;
	} else if (paras && !json_is_null(paras)) {
		if (!json_is_array(paras))
			return bad(r, line, err, "paragraphs", "an array");
		size_t i;
		json_t *p;
		json_array_foreach(paras, i, p) {
			if (!json_is_string(p))
				return bad(r, line, err, "paragraphs",
				           "an array of strings");
			st = dp_dispatch_add_paragraph(d, json_string_value(p),
			                               json_string_length(p), err);
			if (st != DP_OK)
				return st;
		}
	}

	json_t *subj = json_object_get(o, "subjects");
	if (subj && json_is_string(subj)) {
		st = dp_dispatch_add_subject(d, json_string_value(subj),
		                             json_string_length(subj), err);
		if (st != DP_OK)
			return st;
	} else if (subj && json_is_array(subj)) {
		size_t i;
		json_t *p;
		json_array_foreach(subj, i, p) {
			if (!json_is_string(p))
				return bad(r, line, err, "subjects",
				           "an array of strings");
			st = dp_dispatch_add_subject(d, json_string_value(p),
			                             json_string_length(p), err);
			if (st != DP_OK)
				return st;
		}
	} else if (subj && !json_is_null(subj)) {
		return bad(r, line, err, "subjects", "an array of strings");
	}

	if (!d->id || !*d->id)
		return dp_error_set(err, DP_ERR_FORMAT, "%s:%u: missing 'id'",
		                    r->name, line);
	dp_dispatch_apply_dateline(d);
	st = dp_dispatch_validate(d, err);
	if (st != DP_OK)
		dp_error_prefix(err, "%s:%u", r->name, line);
	return st;
}

/* ---- JSON Lines --------------------------------------------------------- */

static dp_status jsonl_open(dp_reader *r, dp_error *err)
{
	(void)r;
	(void)err;
	return DP_OK;
}

static dp_status jsonl_next(dp_reader *r, dp_dispatch *d, dp_error *err)
{
	for (;;) {
		const char *line;
		size_t len;
		uint32_t lineno;
		dp_status st = dp_input_getline(r->in, r->opts.max_record, &line,
		                                &len, &lineno, err);
		if (st != DP_OK)
			return st;
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			continue; /* blank line */
		const char *nul = memchr(line, '\0', len);
		if (nul) {
			unsigned l, col;
			dp_text_position(line, (size_t)(nul - line), &l, &col);
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%u:%u: NUL byte", r->name, lineno,
			                    col);
		}
		json_error_t je;
		json_t *o = json_loadb(line, len, 0, &je);
		/* jansson reports a failed allocation as a syntax error */
		if (dp_json_out_of_memory()) {
			json_decref(o);
			return dp_error_set(err, DP_ERR_NOMEM, "%s:%u: out of memory",
			                    r->name, lineno);
		}
		if (!o)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%u:%d: invalid JSON: %s", r->name,
			                    lineno, je.column, je.text);
		st = dp_json_to_dispatch(r, o, lineno, d, err);
		json_decref(o);
		if (st == DP_DONE) {
			/* not a text item (a picture...): skipped, counted */
			dp_dispatch_reset(d);
			continue;
		}
		return st;
	}
}

const dp_format dp_format_jsonl = {
	.name = "jsonl", .open = jsonl_open, .next = jsonl_next, .close = NULL,
};

/* ---- whole JSON documents ---------------------------------------------- */

typedef struct json_state {
	json_t *root;
	size_t next;    /* next array element */
} json_state;

static dp_status json_open(dp_reader *r, dp_error *err)
{
	char *data;
	size_t len;
	dp_status st = dp_input_slurp(r->in, r->opts.max_record, &data, &len,
	                              err);
	if (st != DP_OK)
		return st;
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je);
	free(data);
	if (dp_json_out_of_memory()) {
		json_decref(root);
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory",
		                    r->name);
	}
	if (!root)
		return dp_error_set(err, DP_ERR_FORMAT, "%s:%d:%d: invalid JSON: %s",
		                    r->name, je.line, je.column, je.text);
	if (!json_is_object(root) && !json_is_array(root)) {
		json_decref(root);
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s: expected a JSON object or array",
		                    r->name);
	}
	json_state *js = calloc(1, sizeof *js);
	if (!js) {
		json_decref(root);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	js->root = root;
	r->state = js;
	if (json_is_object(root) && dp_json_is_ninjs(root))
		r->fmt = &dp_format_ninjs;
	return DP_OK;
}

static dp_status json_next(dp_reader *r, dp_dispatch *d, dp_error *err)
{
	json_state *js = r->state;
	if (json_is_object(js->root)) {
		if (js->next++)
			return DP_DONE;
		return dp_json_to_dispatch(r, js->root, 1, d, err);
	}
	for (;;) {
		if (js->next >= json_array_size(js->root))
			return DP_DONE;
		size_t k = js->next++;
		dp_status st = dp_json_to_dispatch(r, json_array_get(js->root, k),
		                                   1, d, err);
		if (st == DP_DONE) {
			dp_dispatch_reset(d);
			continue;
		}
		if (st != DP_OK && st != DP_ERR_NOMEM)
			dp_error_prefix(err, "array element %zu", k);
		return st;
	}
}

static void json_close(dp_reader *r)
{
	json_state *js = r->state;
	if (!js)
		return;
	json_decref(js->root);
	free(js);
	r->state = NULL;
}

const dp_format dp_format_json = {
	.name = "json", .open = json_open, .next = json_next,
	.close = json_close,
};

/* A ninjs document: the same reader, named for what it read. */
const dp_format dp_format_ninjs = {
	.name = "ninjs", .open = json_open, .next = json_next,
	.close = json_close,
};
