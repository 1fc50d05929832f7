/* output.c: formatting results.  See output.h. */
#include "autoconf.h"

#include <inttypes.h>
#include <string.h>

#include "dispatch.h"
#include "output.h"

#define BOLD "\033[1m"
#define UNBOLD "\033[22m"
#define DIM "\033[2m"
#define RESET "\033[0m"
#define CYAN "\033[36m"
#define YELLOW "\033[33m"

void dp_output_json_string(FILE *f, const char *s)
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

void dp_output_date(const dp_docdata *d, char *out, size_t n)
{
	const char *s = d->date;
	/* "YYYY-MM-DDThh:mm..." as written, in the dispatch's own zone */
	if (s && strlen(s) >= 16 && s[4] == '-' && s[7] == '-'
	    && (s[10] == 'T' || s[10] == ' ') && s[13] == ':') {
		snprintf(out, n, "%.10s %.5s", s, s + 11);
		return;
	}
	if (s && strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		snprintf(out, n, "%s", s);
		return;
	}
	if (d->time != DP_TIME_UNKNOWN) {
		char iso[21];
		dp_time_iso(d->time, iso);
		snprintf(out, n, "%.10s %.5s", iso, iso + 11);
		return;
	}
	snprintf(out, n, "(no date)");
}

/* Writes text with its highlighted ranges in bold (when colour is on). */
static void marked(const dp_output *o, const dp_snippet *s, const char *on,
                   const char *off)
{
	if (!o->color || s->n_hl == 0) {
		fputs(s->text, o->f);
		return;
	}
	size_t at = 0;
	for (size_t i = 0; i < s->n_hl; i++) {
		const dp_highlight *h = &s->hl[i];
		if (h->start < at)
			continue;
		fwrite(s->text + at, 1, h->start - at, o->f);
		fputs(on, o->f);
		fwrite(s->text + h->start, 1, h->end - h->start, o->f);
		fputs(off, o->f);
		at = h->end;
	}
	fputs(s->text + at, o->f);
}

static void json_field(FILE *f, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(f, ",\"%s\":", name);
	dp_output_json_string(f, v);
}

static void json_highlights(FILE *f, const char *name, const dp_snippet *s)
{
	fprintf(f, ",\"%s\":[", name);
	for (size_t i = 0; i < s->n_hl; i++)
		fprintf(f, "%s[%u,%u]", i ? "," : "", s->hl[i].start,
		        s->hl[i].end);
	fputc(']', f);
}

static void hit_json(const dp_output *o, const dp_hit *h, int fallback)
{
	FILE *f = o->f;
	const dp_docdata *d = &h->doc;
	fputs("{\"id\":", f);
	dp_output_json_string(f, d->id);
	fprintf(f, ",\"version\":%u,\"rank\":%u,\"score\":%.6g", d->version,
	        h->rank, h->score);
	json_field(f, "date", d->date);
	if (d->time != DP_TIME_UNKNOWN) {
		char iso[21];
		dp_time_iso(d->time, iso);
		json_field(f, "time", iso);
	}
	fputs(",\"headline\":", f);
	dp_output_json_string(f, d->headline ? d->headline : "");
	json_field(f, "source", d->source);
	fputs(",\"place\":", f);
	if (d->place && *d->place)
		dp_output_json_string(f, d->place);
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
			dp_output_json_string(f, buf);
			first = 0;
			p += n;
			if (*p)
				p++;
		}
		fputc(']', f);
	}
	fprintf(f, ",\"status\":\"%s\"", dp_pubstatus_name(d->status));
	fputs(",\"snippet\":", f);
	dp_output_json_string(f, h->snippet.text ? h->snippet.text : "");
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
	fprintf(f, ",\"match\":\"%s\"}\n", fallback ? "best" : "all");
}

void dp_output_hit(const dp_output *o, const dp_hit *h, int fallback)
{
	if (o->json) {
		hit_json(o, h, fallback);
		return;
	}
	FILE *f = o->f;
	const dp_docdata *d = &h->doc;
	char date[40];
	dp_output_date(d, date, sizeof date);
	if (o->color)
		fprintf(f, DIM "%3u." RESET " " CYAN "%s" RESET, h->rank, date);
	else
		fprintf(f, "%3u. %s", h->rank, date);
	if (d->source && *d->source)
		fprintf(f, "  %s", d->source);
	if (d->place && *d->place)
		fprintf(f, "  %s", d->place);
	if (d->urgency == 1 || d->urgency == 2)
		fprintf(f, o->color ? "  " YELLOW "%s" RESET : "  %s",
		        d->urgency == 1 ? "FLASH" : "URGENT");
	if (d->version > 1)
		fprintf(f, "  v%u", d->version);
	if (h->collapsed)
		fprintf(f, "  (+%u other version%s or cop%s)", h->collapsed,
		        h->collapsed > 1 ? "s" : "", h->collapsed > 1 ? "ies" : "y");
	fputc('\n', f);
	fputs("     ", f);
	if (o->color)
		fputs(BOLD, f);
	if (h->headline.text && *h->headline.text)
		marked(o, &h->headline, YELLOW, o->color ? RESET BOLD : "");
	else
		fputs(d->headline && *d->headline ? d->headline : "(no headline)",
		      f);
	if (o->color)
		fputs(RESET, f);
	fputc('\n', f);
	if (h->snippet.text && *h->snippet.text) {
		fputs("     ", f);
		marked(o, &h->snippet, BOLD, UNBOLD);
		fputc('\n', f);
	}
	fputc('\n', f);
}

void dp_output_footer(const dp_output *o, const dp_result *r,
                      uint32_t offset)
{
	if (o->json)
		return;
	FILE *f = o->f;
	if (r->n == 0) {
		if (r->total)
			fprintf(f, "%s%u dispatch%s match%s; none shown (--offset "
			        "%u, --limit)\n", r->total_exact ? "" : "about ",
			        r->total, r->total == 1 ? "" : "es",
			        r->total == 1 ? "es" : "", offset);
		return;
	}
	fprintf(f, "%s%u dispatch%s match%s; %u-%u shown\n",
	        r->total_exact ? "" : "about ", r->total,
	        r->total == 1 ? "" : "es", r->total == 1 ? "es" : "",
	        offset + 1, offset + (uint32_t)r->n);
}

void dp_output_facets(const dp_output *o, const dp_result *r,
                      const char *const *names)
{
	FILE *f = o->f;
	for (size_t k = 0; k < r->n_facets; k++) {
		const dp_facet *fc = &r->facets[k];
		if (o->json) {
			for (size_t i = 0; i < fc->n; i++) {
				fputs("{\"facet\":", f);
				dp_output_json_string(f, names[k]);
				fputs(",\"value\":", f);
				dp_output_json_string(f, fc->v[i].value);
				fprintf(f, ",\"count\":%u}\n", fc->v[i].count);
			}
			continue;
		}
		fprintf(f, o->color ? BOLD "%s" RESET "\n" : "%s\n", names[k]);
		for (size_t i = 0; i < fc->n; i++)
			fprintf(f, "  %7u  %s\n", fc->v[i].count, fc->v[i].value);
		if (fc->n == 0)
			fputs("        (none)\n", f);
	}
}
