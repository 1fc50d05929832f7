/* jsonout.c: depeche-search's JSON objects.  See jsonout.h. */
#include "autoconf.h"

#include <string.h>

#include "dispatch.h"
#include "jsonout.h"

void dp_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
	     p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void json_field(FILE *f, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(f, ",\"%s\":", name);
	dp_json_string(f, v);
}

static void json_highlights(FILE *f, const char *name, const dp_snippet *s)
{
	fprintf(f, ",\"%s\":[", name);
	for (size_t i = 0; i < s->n_hl; i++)
		fprintf(f, "%s[%u,%u]", i ? "," : "", s->hl[i].start,
		        s->hl[i].end);
	fputc(']', f);
}

/* A dispatch's date, time, headline and source fields. */
static void json_when_what(FILE *f, const dp_docdata *d)
{
	json_field(f, "date", d->date);
	if (d->time != DP_TIME_UNKNOWN) {
		char iso[21];
		dp_time_iso(d->time, iso);
		json_field(f, "time", iso);
	}
	fputs(",\"headline\":", f);
	dp_json_string(f, d->headline ? d->headline : "");
	json_field(f, "source", d->source);
}

static void explain_json(FILE *f, const dp_explain *x, const char *degraded)
{
	fprintf(f, ",\"explain\":{\"text\":%.6g,\"headline\":%.6g,"
	        "\"lead\":%.6g,\"names\":%.6g,\"proximity\":%.6g,"
	        "\"coordination\":%.6g,\"recency\":%.6g,\"urgency\":%.6g,"
	        "\"source\":%.6g,\"weekday\":%.6g,\"date\":%.6g,"
	        "\"other\":%.6g", x->text, x->headline, x->lead, x->names,
	        x->proximity, x->coordination, x->recency, x->urgency, x->source,
	        x->weekday, x->date, x->other);
	if (degraded && *degraded) {
		fputs(",\"degraded\":", f);
		dp_json_string(f, degraded);
	}
	fputc('}', f);
}

void dp_json_suggestion(FILE *f, const dp_result *r)
{
	fputs("{\"did_you_mean\":", f);
	dp_json_string(f, r->suggestion);
	fputs(",\"count\":0}\n", f);
}

void dp_json_hit(FILE *f, const dp_hit *h, const dp_result *r, int explain)
{
	int fallback = r ? r->fallback : 0;
	const dp_docdata *d = &h->doc;
	fputs("{\"id\":", f);
	dp_json_string(f, d->id);
	fprintf(f, ",\"version\":%u,\"rank\":%u,\"score\":%.6g", d->version,
	        h->rank, h->score);
	json_when_what(f, d);
	fputs(",\"place\":", f);
	if (d->place && *d->place)
		dp_json_string(f, d->place);
	else
		fputs("null", f);
	json_field(f, "dateline", d->dateline);
	json_field(f, "lang", d->lang);
	if (d->urgency)
		fprintf(f, ",\"urgency\":%d", d->urgency);
	json_field(f, "slug", d->slug);
	json_field(f, "genre", d->genre);
	json_field(f, "byline", d->byline);
	if (d->subjects && *d->subjects) {
		fputs(",\"subjects\":[", f);
		const char *p = d->subjects;
		int first = 1;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			char buf[512];
			snprintf(buf, sizeof buf, "%.*s", (int)n, p);
			if (!first)
				fputc(',', f);
			dp_json_string(f, buf);
			first = 0;
			p += n;
			if (*p)
				p++;
		}
		fputc(']', f);
	}
	fprintf(f, ",\"status\":\"%s\"", dp_pubstatus_name(d->status));
	fputs(",\"snippet\":", f);
	dp_json_string(f, h->snippet.text ? h->snippet.text : "");
	if (h->snippet.text)
		json_highlights(f, "highlights", &h->snippet);
	if (h->headline.text)
		json_highlights(f, "headline_highlights", &h->headline);
	json_field(f, "path", d->path);
	if (d->line)
		fprintf(f, ",\"line\":%u", d->line);
	json_field(f, "format", d->format);
	if (h->collapsed)
		fprintf(f, ",\"collapsed\":%u", h->collapsed);
	if (r && r->suggestion[0]) {
		fputs(",\"did_you_mean\":", f);
		dp_json_string(f, r->suggestion);
	}
	if (explain)
		explain_json(f, &h->explain, r ? r->degraded : NULL);
	fprintf(f, ",\"match\":\"%s\"}\n", fallback ? "best" : "all");
}

void dp_json_facets(FILE *f, const dp_result *r)
{
	for (size_t k = 0; k < r->n_facets; k++) {
		const dp_facet *fc = &r->facets[k];
		const char *name = dp_facet_name(fc->kind);
		for (size_t i = 0; i < fc->n; i++) {
			fputs("{\"facet\":", f);
			dp_json_string(f, name);
			fputs(",\"value\":", f);
			dp_json_string(f, fc->v[i].value);
			fprintf(f, ",\"count\":%u}\n", fc->v[i].count);
		}
	}
}

void dp_json_result(FILE *f, const dp_result *r, int explain)
{
	for (size_t i = 0; i < r->n; i++)
		dp_json_hit(f, &r->hits[i], r, explain);
	if (!r->total && r->suggestion[0])
		dp_json_suggestion(f, r);
	dp_json_facets(f, r);
}

/* The dispatch a meeting line shows: id, date, time, headline, source. */
static void json_meeting_doc(FILE *f, const dp_docdata *d)
{
	fputs("{\"id\":", f);
	dp_json_string(f, d->id);
	json_when_what(f, d);
}

static void json_meeting_end(FILE *f, const dp_snippet *sentence,
                             const dp_docdata *d, const char *actors)
{
	fputs(",\"sentence\":", f);
	dp_json_string(f, sentence->text ? sentence->text : "");
	if (sentence->text)
		json_highlights(f, "highlights", sentence);
	json_field(f, "path", d->path);
	fputs(",\"actors\":", f);
	dp_json_string(f, actors);
	fputs("}\n", f);
}

static void json_event(FILE *f, const dp_event *x, const char *actors)
{
	json_meeting_doc(f, &x->doc);
	fputs(",\"place\":", f);
	if (*x->place)
		dp_json_string(f, x->place);
	else
		fputs("null", f);
	fputs(",\"evidence\":\"meeting\"", f);
	fprintf(f, ",\"kind\":\"%s\",\"day\":\"%s\",\"day_from\":\"%s\"",
	        dp_meet_kind_name(x->kind), x->day,
	        x->day_in_text ? "text" : "dispatch");
	if (*x->place)
		fprintf(f, ",\"place_from\":\"%s\"",
		        x->place_in_text ? "text" : "dateline");
	fprintf(f, ",\"planned\":%s,\"stories\":%zu,\"reports\":[",
	        x->planned ? "true" : "false", x->stories);
	for (size_t k = 0; k < x->n_reports; k++) {
		const dp_report *r = &x->reports[k];
		fputs(k ? ",{\"id\":" : "{\"id\":", f);
		dp_json_string(f, r->id);
		json_field(f, "date", r->date);
		json_field(f, "source", r->source);
		fputc('}', f);
	}
	fputc(']', f);
	json_meeting_end(f, &x->sentence, &x->doc, actors);
}

void dp_json_meetings(FILE *f, const dp_meetings *m)
{
	for (size_t i = 0; i < m->n_ev; i++)
		json_event(f, &m->ev[i], m->actors);
	for (size_t i = 0; i < m->n; i++) {
		const dp_meeting *x = &m->v[i];
		const dp_docdata *d = &x->doc;
		json_meeting_doc(f, d);
		fputs(",\"place\":", f);
		if (d->place && *d->place)
			dp_json_string(f, d->place);
		else
			fputs("null", f);
		fprintf(f, ",\"evidence\":\"%s\"", dp_evidence_name(x->evidence));
		if (x->evidence == DP_EVIDENCE_MEETING)
			fputs(",\"day\":null", f);
		if (x->others)
			fprintf(f, ",\"others\":%u", x->others);
		json_meeting_end(f, &x->sentence, d, m->actors);
	}
}

static void json_hit_brief(FILE *f, const char *key, const dp_hit *h)
{
	const dp_docdata *d = &h->doc;
	fprintf(f, ",\"%s\":{\"id\":", key);
	dp_json_string(f, d->id);
	json_field(f, "date", d->date);
	fputs(",\"headline\":", f);
	dp_json_string(f, d->headline ? d->headline : "");
	json_field(f, "source", d->source);
	json_field(f, "place", d->place);
	if (h->snippet.text) {
		fputs(",\"snippet\":", f);
		dp_json_string(f, h->snippet.text);
	}
	json_field(f, "path", d->path);
	fputc('}', f);
}

static void json_facet(FILE *f, const char *key, const dp_facet *fa,
                       size_t max)
{
	fprintf(f, ",\"%s\":[", key);
	for (size_t i = 0; i < fa->n && i < max; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		dp_json_string(f, fa->v[i].value);
		fprintf(f, ",\"count\":%u}", fa->v[i].count);
	}
	fputc(']', f);
}

void dp_json_dossier(FILE *f, const dp_dossier *d)
{
	fputs("{\"subject\":", f);
	dp_json_string(f, d->subject);
	json_field(f, "description", d->description);
	fprintf(f, ",\"count\":%u", d->total);
	if (d->have_first) {
		json_hit_brief(f, "first", &d->first);
		json_hit_brief(f, "latest", &d->latest);
	}
	fputs(",\"months\":[", f);
	for (size_t i = 0; i < d->months.n; i++) {
		fputs(i ? ",{\"month\":" : "{\"month\":", f);
		dp_json_string(f, d->months.v[i].value);
		fprintf(f, ",\"count\":%u}", d->months.v[i].count);
	}
	fputs("],\"key\":[", f);
	for (size_t i = 0; i < d->n_key; i++) {
		const dp_hit *h = &d->key[i];
		fputs(i ? ",{\"id\":" : "{\"id\":", f);
		dp_json_string(f, h->doc.id);
		json_field(f, "date", h->doc.date);
		fputs(",\"headline\":", f);
		dp_json_string(f, h->doc.headline ? h->doc.headline : "");
		json_field(f, "source", h->doc.source);
		json_field(f, "place", h->doc.place);
		json_field(f, "path", h->doc.path);
		fputs(",\"snippet\":", f);
		dp_json_string(f, h->snippet.text ? h->snippet.text : "");
		if (h->collapsed)
			fprintf(f, ",\"collapsed\":%u", h->collapsed);
		fputc('}', f);
	}
	fputc(']', f);
	json_facet(f, "people", &d->people, 20);
	json_facet(f, "organisations", &d->organisations, 20);
	json_facet(f, "places", &d->places, 20);
	json_facet(f, "datelines", &d->datelines, 20);
	fputs("}\n", f);
}
