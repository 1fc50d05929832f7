/* ninjs.c: IPTC ninjs ("news in JSON") 1.x and 2.x objects, as read by
 * the JSON readers (jsonl.c).
 *
 * 1.x: uri (or guid, as Superdesk writes), version, versioncreated,
 * firstcreated, pubstatus, urgency, headline, body_html / body_text,
 * byline, language, located, place [{name}], subject [{code, name}],
 * genre [{code, name}], slugline, embargoed, source / copyrightholder.
 * 2.x: headlines [{value, role}], bodies [{value, contenttype, role}],
 * by, subjects [{name, uri, code}], genres, places.  Optional fields of
 * the wrong type are ignored: feeds are lax and a stray null must not
 * cost a dispatch. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xml.h"

int dp_json_is_ninjs(json_t *obj)
{
	static const char *const keys[] = {
		"versioncreated", "bodies", "headlines", "body_text", "body_html",
		NULL,
	};
	if (!json_is_object(obj) || json_object_get(obj, "id"))
		return 0;
	if (json_is_string(json_object_get(obj, "uri")))
		return 1;
	for (const char *const *k = keys; *k; k++)
		if (json_object_get(obj, *k))
			return 1;
	return 0;
}

/* A string member, NULL when absent, not a string or empty. */
static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	return s && *s ? s : NULL;
}

static dp_status nomem(dp_error *err)
{
	return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
}

/* Copies a string member into d (NULL when absent). */
static const char *field(dp_dispatch *d, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || !json_string_length(v))
		return NULL;
	const char *s = dp_dispatch_strdup(d, json_string_value(v),
	                                   json_string_length(v));
	return s && *s ? s : NULL;
}

/* 1 to 9 from a number or a numeric string; 0 otherwise. */
static long small_int(json_t *v)
{
	long n = -1;
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (s[0] >= '0' && s[0] <= '9' && !s[1])
			n = s[0] - '0';
	}
	return n >= 0 && n <= 9 ? n : 0;
}

/* The main headline of a 2.x headlines array. */
static const char *headline2(json_t *arr)
{
	const char *first = NULL;
	size_t i;
	json_t *h;
	json_array_foreach(arr, i, h) {
		const char *v = str(h, "value");
		const char *role = str(h, "role");
		if (!v)
			continue;
		if (role && !strcasecmp(role, "main"))
			return v;
		if (!first)
			first = v;
	}
	return first;
}

static dp_status body(dp_dispatch *d, json_t *o, dp_error *err)
{
	json_t *bodies = json_object_get(o, "bodies");
	if (json_is_array(bodies)) {
		/* 2.x: an HTML body if there is one, else the first */
		json_t *best = NULL;
		size_t i;
		json_t *b;
		json_array_foreach(bodies, i, b) {
			const char *ct = str(b, "contenttype");
			if (!str(b, "value"))
				continue;
			if (!best || (ct && strstr(ct, "html")))
				best = b;
			if (ct && strstr(ct, "html"))
				break;
		}
		if (best) {
			const char *v = str(best, "value");
			const char *ct = str(best, "contenttype");
			size_t n = strlen(v);
			if ((ct && strstr(ct, "html")) || dp_xml_looks_html(v, n))
				return dp_xml_html_body(d, v, n, err);
			return dp_xml_plain_body(d, v, n, err);
		}
	}
	const char *html = str(o, "body_html");
	if (html)
		return dp_xml_html_body(d, html, strlen(html), err);
	const char *text = str(o, "body_text");
	if (text)
		return dp_xml_plain_body(d, text, strlen(text), err);
	return DP_OK;
}

/* subject/subjects, genre/genres: arrays of {code|uri, name}. */
static dp_status concepts(dp_dispatch *d, json_t *arr, int as_subjects,
                          dp_error *err)
{
	if (!json_is_array(arr))
		return DP_OK;
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		const char *code = str(c, "code");
		if (!code)
			code = str(c, "qcode");
		if (!code)
			code = str(c, "uri");
		const char *name = str(c, "name");
		if (as_subjects) {
			dp_status st = dp_feed_add_subject(d, code, name, err);
			if (st != DP_OK)
				return st;
		} else if (!d->genre && (name || code)) {
			if (!(d->genre = dp_dispatch_str(d, name ? name : code)))
				return nomem(err);
		}
	}
	return DP_OK;
}

/* The first {name} of a place/places array. */
static const char *first_name(json_t *arr)
{
	if (!json_is_array(arr))
		return NULL;
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p) {
		const char *n = str(p, "name");
		if (n)
			return n;
	}
	return NULL;
}

dp_status dp_ninjs_to_dispatch(dp_reader *r, json_t *o, uint32_t line,
                               dp_dispatch *d, dp_error *err)
{
	d->line = line;
	const char *type = str(o, "type");
	if (type && strcasecmp(type, "text") != 0) {
		r->skipped++; /* picture, video, audio, graphic, composite */
		return DP_DONE;
	}
	d->id = field(d, o, "uri");
	if (!d->id)
		d->id = field(d, o, "guid");
	if (!d->id)
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s:%u: ninjs object has no 'uri'", r->name,
		                    line);
	json_t *v = json_object_get(o, "version");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		d->version = json_integer_value(v) > UINT32_MAX
		                 ? UINT32_MAX
		                 : (uint32_t)json_integer_value(v);
	else if (json_is_string(v) && dp_feed_version(json_string_value(v)))
		d->version = dp_feed_version(json_string_value(v));

	if (!dp_feed_set_time(d, str(o, "versioncreated"))
	    && !dp_feed_set_time(d, str(o, "firstcreated")))
		dp_feed_set_time(d, str(o, "contentcreated"));
	const char *fc = str(o, "firstcreated");
	if (fc)
		d->first_time = dp_parse_iso8601(fc);
	const char *ps = str(o, "pubstatus");
	if (ps) {
		int k = dp_pubstatus_parse(ps);
		if (k >= 0)
			d->status = (dp_pubstatus)k;
	}
	d->urgency = (int)small_int(json_object_get(o, "urgency"));
	d->embargo = field(d, o, "embargoed");

	d->headline = field(d, o, "headline");
	if (!d->headline) {
		const char *h = headline2(json_object_get(o, "headlines"));
		d->headline = dp_dispatch_str(d, h);
	}
	d->byline = field(d, o, "byline");
	if (!d->byline)
		d->byline = field(d, o, "by");
	dp_feed_set_lang(d, str(o, "language"));
	d->place = field(d, o, "located");
	if (!d->place)
		d->place = dp_dispatch_str(d, first_name(json_object_get(o,
		                                                         "place")));
	if (!d->place)
		d->place = dp_dispatch_str(d, first_name(json_object_get(o,
		                                                         "places")));
	d->slug = field(d, o, "slugline");
	d->source = field(d, o, "source");
	if (!d->source)
		d->source = field(d, o, "copyrightholder");

	dp_status st;
	json_t *subj = json_object_get(o, "subject");
	if (!subj)
		subj = json_object_get(o, "subjects");
	if ((st = concepts(d, subj, 1, err)) != DP_OK)
		return st;
	json_t *genre = json_object_get(o, "genre");
	if (!genre)
		genre = json_object_get(o, "genres");
	if ((st = concepts(d, genre, 0, err)) != DP_OK)
		return st;

	if (d->status != DP_PUB_CANCELED && d->status != DP_PUB_WITHHELD
	    && (st = body(d, o, err)) != DP_OK)
		return st;
	dp_dispatch_apply_dateline(d);
	if (!dp_feed_is_text(d)) {
		r->skipped++; /* too little text to be a dispatch */
		return DP_DONE;
	}
	st = dp_dispatch_validate(d, err);
	if (st != DP_OK)
		dp_error_prefix(err, "%s:%u", r->name, line);
	return st;
}
