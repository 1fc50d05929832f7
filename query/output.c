/* output.c: formatting results.  See output.h. */
#include "autoconf.h"

#include <inttypes.h>
#include <string.h>

#include "dispatch.h"
#include "jsonout.h"
#include "output.h"

#define BOLD "\033[1m"
#define UNBOLD "\033[22m"
#define DIM "\033[2m"
#define RESET "\033[0m"
#define CYAN "\033[36m"
#define YELLOW "\033[33m"

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

static void explain_text(const dp_output *o, const dp_hit *h,
                         const char *degraded)
{
	const dp_explain *x = &h->explain;
	const struct {
		const char *name;
		double v;
	} parts[] = {
		{"text", x->text}, {"headline", x->headline}, {"lead", x->lead},
		{"names", x->names}, {"proximity", x->proximity},
		{"coordination", x->coordination}, {"recency", x->recency},
		{"urgency", x->urgency},
		{"source", x->source}, {"weekday", x->weekday},
		{"date", x->date},
		{"other", x->other},
	};
	fprintf(o->f, "     score %.3f =", h->score);
	int first = 1;
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		if (parts[i].v < 5e-4 && parts[i].v > -5e-4)
			continue; /* would print as 0.000 */
		fprintf(o->f, "%s %s %.3f", first ? "" : " +", parts[i].name,
		        parts[i].v);
		first = 0;
	}
	if (first)
		fputs(" 0 (filters only)", o->f);
	fputc('\n', o->f);
	if (degraded && *degraded)
		fprintf(o->f, "     degraded: %s\n", degraded);
}

void dp_output_hit(const dp_output *o, const dp_hit *h, const dp_result *r)
{
	if (o->json) {
		dp_json_hit(o->f, h, r, o->explain);
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
	if (o->explain)
		explain_text(o, h, r->degraded);
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

void dp_output_facets(const dp_output *o, const dp_result *r)
{
	FILE *f = o->f;
	if (o->json) {
		dp_json_facets(f, r);
		return;
	}
	for (size_t k = 0; k < r->n_facets; k++) {
		const dp_facet *fc = &r->facets[k];
		const char *name = dp_facet_name(fc->kind);
		fprintf(f, o->color ? BOLD "%s" RESET "\n" : "%s\n", name);
		for (size_t i = 0; i < fc->n; i++)
			fprintf(f, "  %7u  %s\n", fc->v[i].count, fc->v[i].value);
		if (fc->n == 0)
			fputs("        (none)\n", f);
	}
}

/* ---- meetings and dossiers ---------------------------------------------- */

/* One event: day, kind, place, how many stories report it; the
 * dispatch that shows it and its sentence. */
static void output_event(const dp_output *o, const dp_event *x)
{
	FILE *f = o->f;
	fprintf(f, o->color ? "  " CYAN "%-10s" RESET "  %s" : "  %-10s  %s",
	        x->day, dp_meet_kind_name(x->kind));
	if (*x->place)
		fprintf(f, "  %s", x->place);
	fprintf(f, "  (%zu report%s%s)\n", x->stories, x->stories == 1 ? "" : "s",
	        x->day_in_text ? "" : ", day of the dispatch");
	const dp_docdata *d = &x->doc;
	char date[40];
	dp_output_date(d, date, sizeof date);
	fprintf(f, o->color ? "    " BOLD "%s" RESET : "    %s",
	        d->headline && *d->headline ? d->headline : "(no headline)");
	fprintf(f, "  [%s", date);
	if (d->source && *d->source)
		fprintf(f, ", %s", d->source);
	fputs("]\n", f);
	if (x->sentence.text && *x->sentence.text) {
		fputs("    ", f);
		marked(o, &x->sentence, BOLD, UNBOLD);
		fputc('\n', f);
	}
}

void dp_output_meetings(const dp_output *o, const dp_meetings *m)
{
	FILE *f = o->f;
	if (o->json) {
		dp_json_meetings(f, m);
		return;
	}
	/* the events that took place, then those only announced */
	for (int planned = 0; planned < 2; planned++) {
		int first = 1;
		for (size_t i = 0; i < m->n_ev; i++) {
			if (m->ev[i].planned != planned)
				continue;
			if (first)
				fprintf(f, o->color ? "%s" BOLD "%s" RESET "\n"
				                    : "%s%s\n",
				        planned && m->n_ev > (size_t)planned ? "\n" : "",
				        planned ? "Announced" : "Meetings and calls");
			first = 0;
			output_event(o, &m->ev[i]);
		}
	}
	for (size_t i = 0; i < m->n; i++) {
		const dp_meeting *x = &m->v[i];
		const dp_docdata *d = &x->doc;
		if (i == 0 || x->evidence != m->v[i - 1].evidence) {
			const char *title =
			    x->evidence == DP_EVIDENCE_MEETING
			        ? "A meeting recalled, without its day"
			    : x->evidence == DP_EVIDENCE_TOGETHER
			        ? "Named in one sentence, no meeting word"
			        : "Named in the same dispatch only";
			fprintf(f, o->color ? "%s" BOLD "%s" RESET "\n"
			                    : "%s%s\n",
			        i || m->n_ev ? "\n" : "", title);
		}
		char date[40];
		dp_output_date(d, date, sizeof date);
		fprintf(f, o->color ? "  " CYAN "%s" RESET : "  %s", date);
		if (d->source && *d->source)
			fprintf(f, "  %s", d->source);
		if (d->place && *d->place)
			fprintf(f, "  %s", d->place);
		if (x->others)
			fprintf(f, "  (+%u)", x->others);
		fputc('\n', f);
		fprintf(f, o->color ? "    " BOLD "%s" RESET "\n" : "    %s\n",
		        d->headline && *d->headline ? d->headline
		                                     : "(no headline)");
		if (x->sentence.text && *x->sentence.text) {
			fputs("    ", f);
			marked(o, &x->sentence, BOLD, UNBOLD);
			fputc('\n', f);
		}
	}
	fprintf(f, "\n%s: %zu meeting%s or call%s (%zu only announced), "
	        "%zu stor%s recalling one without its day, %zu named together, "
	        "%zu named apart (%u dispatches)\n", m->actors, m->n_events,
	        m->n_events == 1 ? "" : "s", m->n_events == 1 ? "" : "s",
	        m->n_planned, m->n_meeting, m->n_meeting == 1 ? "y" : "ies",
	        m->n_together, m->n_mention, m->candidates);
}

static void text_facet(const dp_output *o, const char *title,
                       const dp_facet *fa, size_t max)
{
	if (!fa->n)
		return;
	fprintf(o->f, o->color ? "\n" BOLD "%s" RESET "\n" : "\n%s\n", title);
	for (size_t i = 0; i < fa->n && i < max; i++)
		fprintf(o->f, "  %5u  %s\n", fa->v[i].count, fa->v[i].value);
}

void dp_output_dossier(const dp_output *o, const dp_dossier *d)
{
	FILE *f = o->f;
	if (o->json) {
		dp_json_dossier(f, d);
		return;
	}
	fprintf(f, o->color ? BOLD "%s" RESET : "%s", d->subject);
	if (d->description)
		fprintf(f, " — %s", d->description);
	fprintf(f, "\n%u dispatch%s\n", d->total, d->total == 1 ? "" : "es");
	if (!d->total)
		return;
	if (d->have_first) {
		char date[40];
		dp_output_date(&d->first.doc, date, sizeof date);
		fprintf(f, "first mention   %s  %s\n", date,
		        d->first.doc.headline ? d->first.doc.headline : "");
		dp_output_date(&d->latest.doc, date, sizeof date);
		fprintf(f, "latest mention  %s  %s\n", date,
		        d->latest.doc.headline ? d->latest.doc.headline : "");
	}
	if (d->months.n) {
		uint32_t max = 1;
		for (size_t i = 0; i < d->months.n; i++)
			if (d->months.v[i].count > max)
				max = d->months.v[i].count;
		fprintf(f, o->color ? "\n" BOLD "%s" RESET "\n" : "\n%s\n",
		        "Dispatches per month");
		for (size_t i = 0; i < d->months.n; i++) {
			uint32_t c = d->months.v[i].count;
			int w = (int)((c * 40 + max - 1) / max);
			fprintf(f, "  %s  ", d->months.v[i].value);
			for (int k = 0; k < w; k++)
				fputs("\xe2\x96\x88", f); /* █ */
			fprintf(f, " %u\n", c);
		}
	}
	if (d->n_key) {
		fprintf(f, o->color ? "\n" BOLD "%s" RESET "\n" : "\n%s\n",
		        "Key dispatches");
		for (size_t i = 0; i < d->n_key; i++)
			dp_output_hit(o, &d->key[i], NULL);
	}
	text_facet(o, "Named with it: people", &d->people, 10);
	text_facet(o, "Named with it: organisations", &d->organisations, 10);
	text_facet(o, "Named with it: places", &d->places, 10);
	text_facet(o, "Datelines", &d->datelines, 10);
}
