/* pages.c: depeche-serve's pages and JSON API.  See serve.h and
 * depeche-serve(1).
 *
 * Pages: / (search), /dispatch?id= (a dispatch), /meetings?p=A&p=B,
 * /about?name= (a dossier), /style.css.  API: /api/search, /api/meetings,
 * /api/about, /api/dispatch print what depeche-search --json prints for
 * the same request (src/jsonout.c writes both). */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dispatch.h"
#include "html.h"
#include "jsonout.h"
#include "query.h"
#include "schema.h"
#include "serve.h"
#include "xapian-shim.h"

#define HTML_TYPE "text/html; charset=utf-8"
#define JSON_TYPE "application/x-ndjson; charset=utf-8"

/* ---- the stylesheet ------------------------------------------------------- */

static const char STYLE[] =
"*{box-sizing:border-box}\n"
"body{margin:0;font:16px/1.5 Georgia,'DejaVu Serif',serif;color:#1d1d1f;"
"background:#fbfaf7}\n"
"a{color:#1a4d8f;text-decoration:none}a:hover{text-decoration:underline}\n"
"header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5em 1.5em;"
"padding:.6em 1.5em;background:#16213a;color:#fff}\n"
"header.top a{color:#fff}\n"
".brand{font:bold 1.4em/1 'DejaVu Sans',Arial,sans-serif;letter-spacing:.02em}\n"
".brand span{color:#f2b134}\n"
"header.top nav{margin-left:auto;font-family:'DejaVu Sans',Arial,sans-serif;"
"font-size:.9em}\n"
"header.top nav a{margin-left:1.2em}\n"
"form.quick{display:flex;gap:.4em;flex:1;max-width:36em}\n"
"input,select,button{font:inherit;font-size:.95em}\n"
"input[type=search],input[type=text]{padding:.35em .6em;border:1px solid "
"#b9b6ad;border-radius:4px;background:#fff;min-width:0}\n"
"form.quick input{flex:1}\n"
"button{padding:.35em 1em;border:0;border-radius:4px;background:#f2b134;"
"color:#16213a;font-weight:bold;cursor:pointer}\n"
"main{max-width:62em;margin:0 auto;padding:1.2em 1.5em 3em}\n"
"h1{font-size:1.7em;line-height:1.25;margin:.3em 0 .4em}\n"
"h2{font-size:1.15em;margin:0 0 .15em}\n"
"h3{font:bold .8em 'DejaVu Sans',Arial,sans-serif;text-transform:uppercase;"
"letter-spacing:.06em;color:#6b665c;margin:1.4em 0 .4em}\n"
"form.main .row{display:flex;gap:.5em}\n"
"form.main .row input{flex:1;font-size:1.1em}\n"
"form.main details{margin:.5em 0 0;font-size:.9em;color:#4a463e}\n"
"form.main details div{display:flex;flex-wrap:wrap;gap:.4em 1em;"
"margin-top:.4em}\n"
"form.main label{display:flex;flex-direction:column;font-size:.85em}\n"
".layout{display:grid;grid-template-columns:minmax(0,1fr) 14em;gap:2em;"
"margin-top:1em}\n"
"@media (max-width:50em){.layout{grid-template-columns:1fr}}\n"
".summary{color:#6b665c;font-size:.9em;margin:.2em 0 .8em}\n"
".note{background:#fff6dd;border-left:4px solid #f2b134;padding:.4em .8em;"
"margin:.6em 0}\n"
".error{background:#fde8e6;border-left:4px solid #c0392b;padding:.5em .9em}\n"
"ol.hits{list-style:none;padding:0;margin:0}\n"
"ol.hits li{padding:.8em 0;border-bottom:1px solid #e4e1d8}\n"
".meta{font:.8em/1.4 'DejaVu Sans',Arial,sans-serif;color:#6b665c;"
"margin:0 0 .25em}\n"
".meta span+span:before{content:' \\00b7  '}\n"
".flag{color:#c0392b;font-weight:bold}\n"
".snippet{margin:.2em 0 0}\n"
"mark{background:#ffe58a;color:inherit;padding:0 .1em;border-radius:2px}\n"
"aside section{margin-bottom:1em}\n"
"aside ul,ul.plain{list-style:none;padding:0;margin:0;font-size:.9em}\n"
"aside li,ul.plain li{display:flex;justify-content:space-between;gap:.5em;"
"padding:.1em 0}\n"
".count{color:#6b665c;font:.85em 'DejaVu Sans',Arial,sans-serif}\n"
"nav.pages{margin:1.2em 0;display:flex;gap:.4em;flex-wrap:wrap;"
"font-family:'DejaVu Sans',Arial,sans-serif;font-size:.9em}\n"
"nav.pages a,nav.pages strong{padding:.2em .6em;border:1px solid #d6d2c6;"
"border-radius:4px}\n"
"nav.pages strong{background:#16213a;color:#fff;border-color:#16213a}\n"
"article.dispatch p{margin:0 0 .9em}\n"
"article.dispatch .lead{font-size:1.08em}\n"
".byline{font-style:italic;color:#4a463e}\n"
".tags{font:.8em 'DejaVu Sans',Arial,sans-serif;color:#6b665c}\n"
"ul.list{padding-left:1.1em;font-size:.95em}\n"
"ul.list li{margin:.3em 0}\n"
".evidence{margin:.2em 0 0;font-size:.95em}\n"
".chart{margin:.5em 0 1em;overflow-x:auto}\n"
".chart svg{display:block;max-width:100%;height:auto}\n"
".chart .bar{fill:#1a4d8f}.chart .bar:hover{fill:#f2b134}\n"
".chart .axis{stroke:#9a958a;stroke-width:1}\n"
".chart text{font:10px 'DejaVu Sans',Arial,sans-serif;fill:#4a463e}\n"
".chart .val{fill:#1d1d1f}\n"
".facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;"
"font-size:.95em}\n"
".facts dt{color:#6b665c}.facts dd{margin:0}\n"
".cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(13em,1fr));"
"gap:0 2em}\n"
"footer{max-width:62rem;margin:0 auto;padding:1em 1.5rem;color:#8a857a;"
"font:.8em 'DejaVu Sans',Arial,sans-serif;border-top:1px solid #e4e1d8}\n"
"form.people{display:flex;flex-wrap:wrap;gap:.5em;align-items:flex-end}\n"
".meet{font-size:.85em;padding:0 .2em;border-radius:3px;background:#ece8dc}\n";

/* ---- helpers ------------------------------------------------------------ */

static const char *month_fr[12] = {
	"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
	"sept.", "oct.", "nov.", "déc.",
};

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int month_index(const char *ym)
{
	if (!ym || strlen(ym) < 7 || !digits(ym, 4) || ym[4] != '-'
	    || !digits(ym + 5, 2))
		return -1;
	int m = atoi(ym + 5);
	if (m < 1 || m > 12)
		return -1;
	return atoi(ym) * 12 + m - 1;
}

/* "8 déc. 2022 17:40": as written in the dispatch (its own zone), else
 * from the UTC time. */
static void fr_date(const dp_docdata *d, char *out, size_t n)
{
	const char *s = d->date;
	char iso[21];
	if (!(s && strlen(s) >= 10 && s[4] == '-' && s[7] == '-'
	      && digits(s, 4) && digits(s + 5, 2) && digits(s + 8, 2))) {
		if (d->time == DP_TIME_UNKNOWN) {
			snprintf(out, n, "sans date");
			return;
		}
		dp_time_iso(d->time, iso);
		s = iso;
	}
	int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
	if (m < 1 || m > 12) {
		snprintf(out, n, "%.10s", s);
		return;
	}
	if (strlen(s) >= 16 && (s[10] == 'T' || s[10] == ' ') && s[13] == ':')
		snprintf(out, n, "%d %s %d, %.5s", day, month_fr[m - 1], y,
		         s + 11);
	else
		snprintf(out, n, "%d %s %d", day, month_fr[m - 1], y);
}

static void time_tag(FILE *f, const dp_docdata *d)
{
	char txt[64];
	fr_date(d, txt, sizeof txt);
	if (d->time != DP_TIME_UNKNOWN) {
		char iso[21];
		dp_time_iso(d->time, iso);
		fprintf(f, "<time datetime=\"%s\">", iso);
	} else {
		fputs("<time>", f);
	}
	sv_html(f, txt);
	fputs("</time>", f);
}

static unsigned http_status(dp_status st)
{
	switch (st) {
	case DP_ERR_SYNTAX:
	case DP_ERR_INVALID:
		return 400;
	case DP_ERR_NOT_FOUND:
	case DP_ERR_LOCKED:
	case DP_ERR_MODIFIED:
	case DP_ERR_VERSION:
	case DP_ERR_CORRUPT:
	case DP_ERR_NOMEM:
		return 503;
	default:
		return 500;
	}
}

/* What a person reads for a failed search. */
static const char *fr_reason(dp_status st)
{
	switch (st) {
	case DP_ERR_NOT_FOUND:
		return "La base de dépêches est introuvable : elle n'a pas "
		       "encore été indexée.";
	case DP_ERR_LOCKED:
	case DP_ERR_MODIFIED:
		return "La base de dépêches est en cours de mise à jour ; "
		       "réessayez dans un instant.";
	case DP_ERR_VERSION:
		return "La base a été construite par une autre version de "
		       "depeche : elle doit être réindexée.";
	case DP_ERR_CORRUPT:
		return "La base de dépêches est endommagée.";
	case DP_ERR_NOMEM:
		return "Le serveur manque de mémoire.";
	case DP_ERR_SYNTAX:
		return "La requête est mal formée.";
	default:
		return "Erreur interne du serveur.";
	}
}

static void set_body(sv_response *r, sv_buf *b, unsigned status,
                     const char *type)
{
	r->body = sv_buf_take(b, &r->len);
	if (!r->body) {
		r->status = 503;
		r->type = "text/plain; charset=utf-8";
		r->body = strdup("mémoire insuffisante\n");
		r->len = r->body ? strlen(r->body) : 0;
		r->retry_after = 5;
		return;
	}
	r->status = status;
	r->type = type;
	if (status == 503)
		r->retry_after = 5;
}

/* An API error: {"error":"..."} with its status. */
static void api_error(sv_response *r, unsigned status, const char *msg)
{
	sv_buf b;
	if (sv_buf_open(&b) != 0) {
		r->status = 503;
		return;
	}
	fputs("{\"error\":", b.f);
	dp_json_string(b.f, msg);
	fprintf(b.f, ",\"status\":%u}\n", status);
	set_body(r, &b, status, JSON_TYPE);
}

/* ---- page frame ------------------------------------------------------------ */

static void page_head(FILE *f, const sv_server *sv, const char *title,
                      const char *quick_q, int quick_form)
{
	fputs("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>", f);
	sv_html(f, title);
	fputs(" — dépêche</title>\n<link rel=\"stylesheet\" href=\"", f);
	sv_html(f, sv->base);
	fputs("/style.css\">\n<link rel=\"icon\" href=\"", f);
	sv_html(f, sv->base);
	fputs("/favicon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n<header class=\"top\">\n"
	      "<a class=\"brand\" href=\"", f);
	sv_html(f, sv->base);
	fputs("/\">dé<span>pê</span>che</a>\n", f);
	if (quick_form) {
		fputs("<form class=\"quick\" action=\"", f);
		sv_html(f, sv->base);
		fputs("/\" method=\"get\" role=\"search\">"
		      "<input type=\"search\" name=\"q\" aria-label=\"Recherche\" "
		      "placeholder=\"Rechercher dans les dépêches\" value=\"", f);
		sv_html(f, quick_q);
		fputs("\"><button type=\"submit\">Chercher</button></form>\n", f);
	}
	fputs("<nav><a href=\"", f);
	sv_html(f, sv->base);
	fputs("/\">Recherche</a><a href=\"", f);
	sv_html(f, sv->base);
	fputs("/meetings\">Rencontres</a><a href=\"", f);
	sv_html(f, sv->base);
	fputs("/about\">Dossiers</a></nav>\n</header>\n<main>\n", f);
}

static void page_foot(FILE *f, const sv_server *sv, const char *api_path,
                      const char *api_args)
{
	fputs("</main>\n<footer>depeche " PACKAGE_VERSION, f);
	if (api_path) {
		fputs(" · <a href=\"", f);
		sv_html(f, sv->base);
		fputs(api_path, f);
		fputs(api_args ? api_args : "", f);
		fputs("\">cette page en JSON</a>", f);
	}
	fputs("</footer>\n</body>\n</html>\n", f);
}

/* An error page; q (may be NULL) goes back into the search box. */
static void error_page_q(const sv_server *sv, sv_response *r,
                         unsigned status, const char *title,
                         const char *text, const char *detail,
                         const char *q)
{
	sv_buf b;
	if (sv_buf_open(&b) != 0) {
		r->status = 503;
		return;
	}
	page_head(b.f, sv, title, q ? q : "", 1);
	fputs("<h1>", b.f);
	sv_html(b.f, title);
	fputs("</h1>\n<p class=\"error\">", b.f);
	sv_html(b.f, text);
	if (detail && *detail) {
		fputs("<br><small>", b.f);
		sv_html(b.f, detail);
		fputs("</small>", b.f);
	}
	fputs("</p>\n", b.f);
	page_foot(b.f, sv, NULL, NULL);
	set_body(r, &b, status, HTML_TYPE);
}

static void error_page(const sv_server *sv, sv_response *r, unsigned status,
                       const char *title, const char *text,
                       const char *detail)
{
	error_page_q(sv, r, status, title, text, detail, NULL);
}

static void failed(const sv_server *sv, sv_response *r, int api,
                   dp_status st, const dp_error *err)
{
	unsigned status = http_status(st);
	if (api) {
		api_error(r, status, err->msg);
		if (status == 503)
			r->retry_after = 5;
		return;
	}
	error_page(sv, r, status,
	           status == 503 ? "Service indisponible"
	           : status == 400 ? "Requête invalide" : "Erreur",
	           fr_reason(st), err->msg);
}

/* ---- parameters ------------------------------------------------------------ */

typedef struct params {
	const char *q, *since, *until, *source, *place, *profile;
	unsigned long page;
	int all;                 /* every version, not one per story */
} params;

/* Checks a text parameter's length; writes the message and returns -1. */
static int check_len(const char *name, const char *v, size_t max, char *msg,
                     size_t msgsz)
{
	if (v && strlen(v) > max) {
		snprintf(msg, msgsz, "'%s' is too long (at most %zu bytes)", name,
		         max);
		return -1;
	}
	return 0;
}

static int check_date(const char *name, const char *v, char *msg,
                      size_t msgsz)
{
	char day[9];
	if (v && *v && !dp_query_parse_day(v, strlen(v), 0, day)) {
		snprintf(msg, msgsz, "'%s' needs a date YYYY[-MM[-DD]], not '%.40s'",
		         name, v);
		return -1;
	}
	return 0;
}

static int check_uint(const char *name, const char *v, unsigned long min,
                      unsigned long max, unsigned long *out, char *msg,
                      size_t msgsz)
{
	if (!v || !*v)
		return 0;
	unsigned long n;
	if (dp_cli_parse_uint(v, max, &n) != 0 || n < min) {
		snprintf(msg, msgsz, "'%s' needs a number from %lu to %lu, not "
		         "'%.20s'", name, min, max, v);
		return -1;
	}
	*out = n;
	return 0;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* The profile named (NULL or "": the default); -1 with msg if unknown. */
static int get_profile(const sv_server *sv, const char *name,
                       const dp_profile **out, char *msg, size_t msgsz)
{
	dp_error err = {0};
	if (dp_ranking_profile(sv->ranking, nonempty(name), out, &err) != DP_OK) {
		snprintf(msg, msgsz, "%.200s", err.msg);
		return -1;
	}
	return 0;
}

/* A filter value for the query language: quoted, its quotes dropped. */
static void filter_value(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++)
		if (*v != '"')
			fputc(*v, f);
	fputc('"', f);
}

/* The filters of the search page as query text (" source:\"AFP\"..."),
 * malloc()ed ("" for none). */
static char *page_filters(const params *p)
{
	sv_buf b;
	if (sv_buf_open(&b) != 0)
		return NULL;
	if (nonempty(p->source)) {
		fputs(" source:", b.f);
		filter_value(b.f, p->source);
	}
	if (nonempty(p->place)) {
		fputs(" lieu:", b.f);
		filter_value(b.f, p->place);
	}
	size_t len;
	return sv_buf_take(&b, &len);
}

/* The query the search page runs: q, with the source and place filters;
 * only filters: every dispatch (as depeche-search with --since alone). */
static char *page_query(const params *p)
{
	char *filters = page_filters(p);
	sv_buf b;
	if (!filters || sv_buf_open(&b) != 0) {
		free(filters);
		return NULL;
	}
	if (nonempty(p->q))
		fprintf(b.f, *filters ? "(%s)%s" : "%s%s", p->q, filters);
	else
		fprintf(b.f, "date:..9999%s", filters);
	free(filters);
	size_t len;
	return sv_buf_take(&b, &len);
}

/* The "did you mean" of a page's query as the user's q: without the
 * parentheses and filters page_query added (malloc()ed). */
static char *suggested_q(const params *p, const char *suggestion)
{
	char *filters = page_filters(p);
	if (!filters)
		return NULL;
	size_t sl = strlen(suggestion), fl = strlen(filters);
	char *out;
	if (fl && sl >= fl + 2 && suggestion[0] == '('
	    && !strcmp(suggestion + sl - fl, filters)
	    && suggestion[sl - fl - 1] == ')')
		out = strndup(suggestion + 1, sl - fl - 2);
	else
		out = strdup(suggestion);
	free(filters);
	return out;
}

/* href of the search page with parameters p. */
static void search_href(FILE *f, const sv_server *sv, const params *p)
{
	sv_html(f, sv->base);
	fputc('/', f);
	int first = 1;
	sv_url_arg(f, &first, "q", p->q);
	sv_url_arg(f, &first, "since", p->since);
	sv_url_arg(f, &first, "until", p->until);
	sv_url_arg(f, &first, "source", p->source);
	sv_url_arg(f, &first, "place", p->place);
	sv_url_arg(f, &first, "profile", p->profile);
	if (p->all)
		sv_url_arg(f, &first, "all", "1");
	if (p->page > 1) {
		char n[24];
		snprintf(n, sizeof n, "%lu", p->page);
		sv_url_arg(f, &first, "page", n);
	}
}

static void dispatch_href(FILE *f, const sv_server *sv, const char *id,
                          const char *q)
{
	sv_html(f, sv->base);
	fputs("/dispatch", f);
	int first = 1;
	sv_url_arg(f, &first, "id", id);
	sv_url_arg(f, &first, "q", q);
}

static void about_href(FILE *f, const sv_server *sv, const char *name)
{
	sv_html(f, sv->base);
	fputs("/about", f);
	int first = 1;
	sv_url_arg(f, &first, "name", name);
}

/* ---- search page ------------------------------------------------------------ */

static void hit_meta(FILE *f, const sv_server *sv, const dp_hit *h,
                     const char *q)
{
	const dp_docdata *d = &h->doc;
	fputs("<p class=\"meta\"><span>", f);
	time_tag(f, d);
	fputs("</span>", f);
	if (d->source && *d->source) {
		fputs("<span>", f);
		sv_html(f, d->source);
		fputs("</span>", f);
	}
	if (d->place && *d->place) {
		fputs("<span>", f);
		sv_html(f, d->place);
		fputs("</span>", f);
	}
	if (d->urgency == 1 || d->urgency == 2)
		fprintf(f, "<span class=\"flag\">%s</span>",
		        d->urgency == 1 ? "FLASH" : "URGENT");
	if (d->version > 1)
		fprintf(f, "<span>version %u</span>", d->version);
	if (h->collapsed) {
		fputs("<span><a href=\"", f);
		dispatch_href(f, sv, d->id, q);
		fprintf(f, "#versions\">+%u autre%s version%s ou copie%s</a></span>",
		        h->collapsed, h->collapsed > 1 ? "s" : "",
		        h->collapsed > 1 ? "s" : "", h->collapsed > 1 ? "s" : "");
	}
	fputs("</p>\n", f);
}

static void hit_item(FILE *f, const sv_server *sv, const dp_hit *h,
                     const char *q)
{
	const dp_docdata *d = &h->doc;
	fputs("<li class=\"hit\">\n", f);
	hit_meta(f, sv, h, q);
	fputs("<h2><a href=\"", f);
	dispatch_href(f, sv, d->id, q);
	fputs("\">", f);
	if (h->headline.text && *h->headline.text)
		sv_html_marked(f, &h->headline);
	else if (d->headline && *d->headline)
		sv_html(f, d->headline);
	else
		fputs("(sans titre)", f);
	fputs("</a></h2>\n", f);
	if (h->snippet.text && *h->snippet.text) {
		fputs("<p class=\"snippet\">", f);
		sv_html_marked(f, &h->snippet);
		fputs("</p>\n", f);
	}
	fputs("</li>\n", f);
}

static const char *facet_title(dp_facet_kind k)
{
	switch (k) {
	case DP_FACET_SOURCE: return "Sources";
	case DP_FACET_PLACE: return "Lieux";
	case DP_FACET_MONTH: return "Mois";
	case DP_FACET_PERSON: return "Personnes";
	default: return dp_facet_name(k);
	}
}

static void facets_aside(FILE *f, const sv_server *sv, const params *p,
                         const dp_result *res)
{
	fputs("<aside>\n", f);
	for (size_t k = 0; k < res->n_facets; k++) {
		const dp_facet *fc = &res->facets[k];
		if (!fc->n)
			continue;
		fprintf(f, "<section><h3>%s</h3><ul>\n", facet_title(fc->kind));
		/* months: the latest first */
		for (size_t j = 0; j < fc->n && j < 10; j++) {
			size_t i = fc->kind == DP_FACET_MONTH ? fc->n - 1 - j : j;
			const dp_facet_value *v = &fc->v[i];
			params np = *p;
			np.page = 1;
			fputs("<li><a href=\"", f);
			switch (fc->kind) {
			case DP_FACET_SOURCE:
				np.source = v->value;
				search_href(f, sv, &np);
				break;
			case DP_FACET_PLACE:
				np.place = v->value;
				search_href(f, sv, &np);
				break;
			case DP_FACET_MONTH:
				np.since = np.until = v->value;
				search_href(f, sv, &np);
				break;
			default:
				about_href(f, sv, v->value);
				break;
			}
			fputs("\">", f);
			int mk = fc->kind == DP_FACET_MONTH ? month_index(v->value)
			                                    : -1;
			if (mk >= 0)
				fprintf(f, "%s %d", month_fr[mk % 12], mk / 12);
			else
				sv_html(f, v->value);
			fprintf(f, "</a> <span class=\"count\">%u</span></li>\n",
			        v->count);
		}
		fputs("</ul></section>\n", f);
	}
	fputs("</aside>\n", f);
}

static void search_form(FILE *f, const sv_server *sv, const params *p)
{
	fputs("<form class=\"main\" action=\"", f);
	sv_html(f, sv->base);
	fputs("/\" method=\"get\" role=\"search\">\n<div class=\"row\">"
	      "<input type=\"search\" name=\"q\" aria-label=\"Recherche\" "
	      "placeholder=\"Bout, « Blinken Lavrov », Griner OR Whelan…\" "
	      "value=\"", f);
	sv_html(f, p->q);
	fputs("\"><button type=\"submit\">Chercher</button></div>\n", f);
	int open = nonempty(p->since) || nonempty(p->until)
	           || nonempty(p->source) || nonempty(p->place)
	           || nonempty(p->profile);
	fprintf(f, "<details%s><summary>Filtres</summary><div>\n",
	        open ? " open" : "");
	const struct {
		const char *name, *label, *value, *hint;
	} fields[] = {
		{"since", "Depuis", p->since, "AAAA-MM-JJ"},
		{"until", "Jusqu'au", p->until, "AAAA-MM-JJ"},
		{"source", "Source", p->source, "AFP, Reuters…"},
		{"place", "Lieu", p->place, "Moscou…"},
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		fprintf(f, "<label>%s <input type=\"text\" name=\"%s\" size=\"12\" "
		        "placeholder=\"%s\" value=\"", fields[i].label,
		        fields[i].name, fields[i].hint);
		sv_html(f, fields[i].value);
		fputs("\"></label>\n", f);
	}
	fputs("<label>Profil <select name=\"profile\">"
	      "<option value=\"\">par défaut</option>", f);
	for (size_t i = 0; i < sv->ranking->n; i++) {
		const char *name = sv->ranking->profiles[i].name;
		fputs("<option value=\"", f);
		sv_html(f, name);
		fputs(p->profile && !strcmp(p->profile, name) ? "\" selected>"
		                                              : "\">", f);
		sv_html(f, name);
		fputs("</option>", f);
	}
	fputs("</select></label>\n", f);
	if (p->all)
		fputs("<input type=\"hidden\" name=\"all\" value=\"1\">\n", f);
	fputs("</div></details>\n</form>\n", f);
}

static void pagination(FILE *f, const sv_server *sv, const params *p,
                       const dp_result *res)
{
	unsigned long pages = (res->total + SV_PAGE_SIZE - 1) / SV_PAGE_SIZE;
	unsigned long maxp = SV_MAX_OFFSET / SV_PAGE_SIZE;
	if (pages > maxp)
		pages = maxp;
	if (pages <= 1)
		return;
	fputs("<nav class=\"pages\" aria-label=\"Pages\">\n", f);
	params np = *p;
	if (p->page > 1) {
		np.page = p->page - 1;
		fputs("<a rel=\"prev\" href=\"", f);
		search_href(f, sv, &np);
		fputs("\">« précédente</a>\n", f);
	}
	unsigned long lo = p->page > 4 ? p->page - 4 : 1;
	unsigned long hi = lo + 8 < pages ? lo + 8 : pages;
	for (unsigned long i = lo; i <= hi; i++) {
		if (i == p->page) {
			fprintf(f, "<strong>%lu</strong>\n", i);
			continue;
		}
		np.page = i;
		fputs("<a href=\"", f);
		search_href(f, sv, &np);
		fprintf(f, "\">%lu</a>\n", i);
	}
	if (p->page < pages) {
		np.page = p->page + 1;
		fputs("<a rel=\"next\" href=\"", f);
		search_href(f, sv, &np);
		fputs("\">suivante »</a>\n", f);
	}
	fputs("</nav>\n", f);
}

static void home_help(FILE *f, const sv_server *sv, uint32_t count)
{
	fprintf(f, "<p class=\"summary\">%u dépêches indexées.</p>\n", count);
	fputs("<h3>Exemples</h3>\n<ul class=\"list\">\n", f);
	const char *ex[][2] = {
		{"Bout", "le trafiquant d'armes, pas « au bout de »"},
		{"Blinken Lavrov", "les deux noms"},
		{"\"échange de prisonniers\"", "une expression exacte"},
		{"Griner OR Whelan", "l'un ou l'autre"},
		{"titre:Griner date:2022-12", "dans le titre, en décembre 2022"},
	};
	for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
		params p = {0};
		p.q = ex[i][0];
		fputs("<li><a href=\"", f);
		search_href(f, sv, &p);
		fputs("\">", f);
		sv_html(f, ex[i][0]);
		fputs("</a> — ", f);
		sv_html(f, ex[i][1]);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n<p>La syntaxe est celle de <code>depeche-search</code> "
	      "(voir <code>depeche-query(7)</code>). Voir aussi les <a href=\"", f);
	sv_html(f, sv->base);
	fputs("/meetings?p=Blinken&amp;p=Lavrov\">rencontres de Blinken et "
	      "Lavrov</a> et le <a href=\"", f);
	about_href(f, sv, "Viktor Bout");
	fputs("\">dossier Viktor Bout</a>.</p>\n", f);
}

static void page_search(sv_server *sv, const sv_request *rq,
                        sv_response *r)
{
	params p = {0};
	p.q = sv_arg(rq, "q");
	p.since = sv_arg(rq, "since");
	p.until = sv_arg(rq, "until");
	p.source = sv_arg(rq, "source");
	p.place = sv_arg(rq, "place");
	p.profile = sv_arg(rq, "profile");
	const char *all = sv_arg(rq, "all");
	p.all = all && !strcmp(all, "1");
	p.page = 1;
	char msg[256];
	const dp_profile *prof = NULL;
	if (check_len("q", p.q, SV_MAX_QUERY, msg, sizeof msg)
	    || check_len("source", p.source, 128, msg, sizeof msg)
	    || check_len("place", p.place, 128, msg, sizeof msg)
	    || check_date("since", p.since, msg, sizeof msg)
	    || check_date("until", p.until, msg, sizeof msg)
	    || check_uint("page", sv_arg(rq, "page"), 1,
	                  SV_MAX_OFFSET / SV_PAGE_SIZE, &p.page, msg, sizeof msg)
	    || get_profile(sv, p.profile, &prof, msg, sizeof msg)) {
		error_page_q(sv, r, 400, "Requête invalide",
		             "Un paramètre de la recherche est invalide.", msg,
		             p.q);
		return;
	}
	int want = nonempty(p.q) || nonempty(p.since) || nonempty(p.until)
	           || nonempty(p.source) || nonempty(p.place);
	dp_error err = {0};
	sv_ctx *c = sv_ctx_get(sv, &err);
	if (!c) {
		failed(sv, r, 0, err.status, &err);
		return;
	}
	sv_buf b;
	if (sv_buf_open(&b) != 0) {
		sv_ctx_put(c, 0);
		r->status = 503;
		return;
	}
	FILE *f = b.f;
	page_head(f, sv, want && nonempty(p.q) ? p.q : "Recherche", NULL, 0);
	search_form(f, sv, &p);
	if (!want) {
		uint32_t n = 0;
		dp_searcher_count(c->s, &n, &err);
		home_help(f, sv, n);
		sv_ctx_put(c, 0);
		page_foot(f, sv, NULL, NULL);
		set_body(r, &b, 200, HTML_TYPE);
		return;
	}
	char *query = page_query(&p);
	dp_request req;
	dp_request_init(&req);
	req.query = query;
	req.since = nonempty(p.since);
	req.until = nonempty(p.until);
	req.offset = (uint32_t)((p.page - 1) * SV_PAGE_SIZE);
	req.limit = SV_PAGE_SIZE;
	req.collapse = !p.all;
	req.profile = prof;
	req.n_facets = 4;
	req.facets[0] = DP_FACET_SOURCE;
	req.facets[1] = DP_FACET_PLACE;
	req.facets[2] = DP_FACET_MONTH;
	req.facets[3] = DP_FACET_PERSON;
	dp_result res;
	dp_status st = query ? dp_searcher_run(c->s, &req, &res, &err)
	                     : dp_error_set(&err, DP_ERR_NOMEM, "out of memory");
	free(query);
	if (st != DP_OK) {
		sv_ctx_put(c, st != DP_ERR_SYNTAX && st != DP_ERR_INVALID);
		sv_buf_discard(&b);
		if (st == DP_ERR_SYNTAX)
			error_page_q(sv, r, 400, "Requête mal formée",
			             "La requête n'a pas pu être comprise "
			             "(voir depeche-query(7)).", err.msg, p.q);
		else
			failed(sv, r, 0, st, &err);
		return;
	}
	char *sq = res.suggestion[0] ? suggested_q(&p, res.suggestion) : NULL;
	if (sq) {
		params sp = p;
		sp.q = sq;
		sp.page = 1;
		fputs("<p class=\"note\">Vouliez-vous dire <a href=\"", f);
		search_href(f, sv, &sp);
		fputs("\">", f);
		sv_html(f, sq);
		free(sq);
		fputs("</a> ? Les mots inconnus de l'index ont été cherchés "
		      "corrigés.</p>\n", f);
	}
	if (res.fallback && res.total) {
		if (res.all_words)
			fprintf(f, "<p class=\"note\">Seule%s %u dépêche%s contien%s "
			        "tous les mots : voici les meilleures "
			        "correspondances.</p>\n", res.all_words > 1 ? "s" : "",
			        res.all_words, res.all_words > 1 ? "s" : "",
			        res.all_words > 1 ? "nent" : "t");
		else
			fputs("<p class=\"note\">Aucune dépêche ne contient tous les "
			      "mots : voici les meilleures correspondances.</p>\n", f);
	}
	fputs("<div class=\"layout\">\n<section>\n", f);
	if (!res.total) {
		fputs("<p class=\"summary\">Aucune dépêche ne correspond.</p>\n", f);
	} else {
		fprintf(f, "<p class=\"summary\">%s%u dépêche%s", res.total_exact
		        ? "" : "environ ", res.total, res.total > 1 ? "s" : "");
		if (res.n)
			fprintf(f, " — %u à %u", req.offset + 1,
			        req.offset + (uint32_t)res.n);
		if (!p.all) {
			params np = p;
			np.all = 1;
			np.page = 1;
			fputs(" — une par sujet (<a href=\"", f);
			search_href(f, sv, &np);
			fputs("\">toutes les versions</a>)", f);
		}
		fputs("</p>\n", f);
		fprintf(f, "<ol class=\"hits\" start=\"%u\">\n", req.offset + 1);
		for (size_t i = 0; i < res.n; i++)
			hit_item(f, sv, &res.hits[i], p.q);
		fputs("</ol>\n", f);
		pagination(f, sv, &p, &res);
	}
	fputs("</section>\n", f);
	facets_aside(f, sv, &p, &res);
	fputs("</div>\n", f);
	dp_result_release(&res);
	sv_ctx_put(c, 0);
	/* the same search as JSON (the page's query, ten results) */
	sv_buf ab;
	char *api = NULL;
	size_t al = 0;
	if (sv_buf_open(&ab) == 0) {
		int first = 1;
		char *pq = page_query(&p);
		sv_url_arg(ab.f, &first, "q", pq);
		free(pq);
		sv_url_arg(ab.f, &first, "since", p.since);
		sv_url_arg(ab.f, &first, "until", p.until);
		sv_url_arg(ab.f, &first, "profile", p.profile);
		if (!p.all)
			sv_url_arg(ab.f, &first, "collapse", "1");
		api = sv_buf_take(&ab, &al);
	}
	page_foot(f, sv, "/api/search", api);
	free(api);
	set_body(r, &b, 200, HTML_TYPE);
}

/* ---- a dispatch ---------------------------------------------------------------- */

/* An id as the query language takes it quoted: no quote, no control
 * character. */
static int valid_id(const char *id)
{
	if (!id || !*id || strlen(id) > 512)
		return 0;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == 0x7f)
			return 0;
	return 1;
}

static char *id_query(const char *id)
{
	size_t n = strlen(id) + 8;
	char *q = malloc(n);
	if (q)
		snprintf(q, n, "id:\"%s\"", id);
	return q;
}

/* The words of q to mark in a text: compiled as a search compiles them. */
static dp_status highlight_terms(sv_ctx *c, const dp_profile *prof,
                                 const char *q, dp_compiled *out,
                                 dp_error *err)
{
	memset(out, 0, sizeof *out);
	dp_qnode *tree = NULL;
	dp_status st = dp_query_parse(q, &tree, err);
	if (st != DP_OK)
		return st;
	dp_compile_env env = {0};
	env.an = dp_searcher_analyzer(c->s);
	env.profile = prof;
	env.entities = c->ents;
	env.db = dp_searcher_db(c->s);
	env.correct = 0;
	env.only = DP_PART_ALL;
	st = dp_query_compile(tree, &env, 0, out, err);
	dp_qnode_free(tree);
	return st;
}

/* Writes text with the words of hl marked (whole: no cut). */
static void marked_text(FILE *f, sv_ctx *c, const char *text, size_t len,
                        const dp_compiled *hl)
{
	dp_snippet sn = {0};
	dp_error err = {0};
	if (hl && hl->q
	    && dp_snippet_make(dp_searcher_analyzer(c->s), text, len, &hl->terms,
	                       &hl->names, 0, 1, &sn, &err) == DP_OK) {
		sv_html_marked(f, &sn);
		dp_snippet_release(&sn);
		return;
	}
	sv_html_n(f, text, len);
}

typedef struct version {
	uint32_t docid;
	dp_docdata doc;
} version;

typedef struct versions {
	uint32_t docids[64];
	size_t n;
} versions;

static int add_version(void *ctx, uint32_t docid)
{
	versions *v = ctx;
	if (v->n == sizeof v->docids / sizeof *v->docids)
		return 1;
	v->docids[v->n++] = docid;
	return 0;
}

static int cmp_version(const void *a, const void *b)
{
	const version *x = a, *y = b;
	if (x->doc.time != y->doc.time)
		return x->doc.time > y->doc.time ? -1 : 1;
	return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* The dispatches of the story of docid (its versions, and dispatches of
 * the same slug), newest first. */
static void story_list(FILE *f, const sv_server *sv, sv_ctx *c,
                       uint32_t docid, const char *q)
{
	dpx_db *db = dp_searcher_db(c->s);
	dp_error err = {0};
	char *story = NULL;
	size_t sl = 0;
	if (dpx_db_doc_value(db, docid, DP_SLOT_STORY, &story, &sl, &err)
	        != DP_OK || !story || !*story) {
		free(story);
		return;
	}
	char term[600];
	snprintf(term, sizeof term, "%s%.*s", DP_PREFIX_STORY, (int)sl, story);
	free(story);
	versions vs = {{0}, 0};
	if (dpx_db_postlist_each(db, term, add_version, &vs, &err) != DP_OK
	    || vs.n < 2)
		return;
	version *v = calloc(vs.n, sizeof *v);
	if (!v)
		return;
	size_t n = 0;
	for (size_t i = 0; i < vs.n; i++) {
		char *data = NULL;
		size_t len = 0;
		if (dpx_db_doc_data(db, vs.docids[i], &data, &len, &err) == DP_OK
		    && dp_docdata_decode(data, len, &v[n].doc, &err) == DP_OK) {
			v[n].docid = vs.docids[i];
			if (v[n].doc.headline && *v[n].doc.headline)
				n++;
			else
				dp_docdata_release(&v[n].doc);
		}
		free(data);
	}
	qsort(v, n, sizeof *v, cmp_version);
	if (n > 1) {
		fputs("<section id=\"versions\"><h3>Versions et dépêches du même "
		      "sujet</h3>\n<ul class=\"list\">\n", f);
		for (size_t i = 0; i < n; i++) {
			fputs("<li>", f);
			time_tag(f, &v[i].doc);
			fputs(" — ", f);
			if (v[i].docid == docid) {
				fputs("<strong>", f);
				sv_html(f, v[i].doc.headline);
				fputs("</strong> (cette dépêche)", f);
			} else {
				fputs("<a href=\"", f);
				dispatch_href(f, sv, v[i].doc.id, q);
				fputs("\">", f);
				sv_html(f, v[i].doc.headline);
				fputs("</a>", f);
			}
			if (v[i].doc.version > 1)
				fprintf(f, " <span class=\"count\">version %u</span>",
				        v[i].doc.version);
			fputs("</li>\n", f);
		}
		fputs("</ul></section>\n", f);
	}
	for (size_t i = 0; i < n; i++)
		dp_docdata_release(&v[i].doc);
	free(v);
}

static void more_like(FILE *f, const sv_server *sv, sv_ctx *c,
                      const dp_profile *prof, const char *id)
{
	dp_request req;
	dp_request_init(&req);
	req.like = id;
	req.limit = 5;
	req.collapse = 1;
	req.profile = prof;
	req.snippet_bytes = 0;
	dp_result res;
	dp_error err = {0};
	if (dp_searcher_run(c->s, &req, &res, &err) != DP_OK)
		return;
	if (res.n) {
		fputs("<section><h3>Dépêches proches</h3>\n<ul class=\"list\">\n",
		      f);
		for (size_t i = 0; i < res.n; i++) {
			const dp_docdata *d = &res.hits[i].doc;
			fputs("<li>", f);
			time_tag(f, d);
			fputs(" — <a href=\"", f);
			dispatch_href(f, sv, d->id, NULL);
			fputs("\">", f);
			sv_html(f, d->headline && *d->headline ? d->headline
			                                       : "(sans titre)");
			fputs("</a>", f);
			if (d->source && *d->source) {
				fputs(" <span class=\"count\">", f);
				sv_html(f, d->source);
				fputs("</span>", f);
			}
			fputs("</li>\n", f);
		}
		fputs("</ul></section>\n", f);
	}
	dp_result_release(&res);
}

static void dispatch_body(FILE *f, sv_ctx *c, const dp_docdata *d,
                          const dp_compiled *hl)
{
	const char *t = d->text ? d->text : "";
	size_t len = d->text ? d->text_len : 0;
	size_t at = 0;
	int first = 1;
	while (at < len) {
		const char *nl = memmem(t + at, len - at, "\n\n", 2);
		size_t end = nl ? (size_t)(nl - t) : len;
		if (end > at) {
			fputs(first ? "<p class=\"lead\">" : "<p>", f);
			marked_text(f, c, t + at, end - at, hl);
			fputs("</p>\n", f);
			first = 0;
		}
		at = nl ? end + 2 : len;
	}
}

static void subjects_line(FILE *f, const char *subjects)
{
	if (!subjects || !*subjects)
		return;
	fputs("<p class=\"tags\">Sujets : ", f);
	const char *p = subjects;
	int first = 1;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (!first)
			fputs(", ", f);
		sv_html_n(f, p, n);
		first = 0;
		p += n;
		if (*p)
			p++;
	}
	fputs("</p>\n", f);
}

static void page_dispatch(sv_server *sv, const sv_request *rq,
                          sv_response *r, int api)
{
	const char *id = sv_arg(rq, "id");
	const char *q = nonempty(sv_arg(rq, "q"));
	char msg[256] = "";
	if (!valid_id(id))
		snprintf(msg, sizeof msg, "'id' needs a dispatch id (at most 512 "
		         "bytes, no quote)");
	else
		check_len("q", q, SV_MAX_QUERY, msg, sizeof msg);
	if (*msg) {
		if (api)
			api_error(r, 400, msg);
		else
			error_page_q(sv, r, 400, "Requête invalide",
			             "Il manque l'identifiant de la dépêche.", msg,
			             q);
		return;
	}
	const dp_profile *prof = NULL;
	get_profile(sv, NULL, &prof, msg, sizeof msg);
	dp_error err = {0};
	sv_ctx *c = sv_ctx_get(sv, &err);
	if (!c) {
		failed(sv, r, api, err.status, &err);
		return;
	}
	char *query = id_query(id);
	dp_request req;
	dp_request_init(&req);
	req.query = query;
	req.limit = 1;
	req.profile = prof;
	dp_result res;
	dp_status st = query ? dp_searcher_run(c->s, &req, &res, &err)
	                     : dp_error_set(&err, DP_ERR_NOMEM, "out of memory");
	free(query);
	if (st != DP_OK) {
		sv_ctx_put(c, 1);
		failed(sv, r, api, st, &err);
		return;
	}
	sv_buf b;
	if (!res.n || sv_buf_open(&b) != 0) {
		int none = !res.n;
		dp_result_release(&res);
		sv_ctx_put(c, 0);
		if (!none)
			r->status = 503;
		else if (api)
			api_error(r, 404, "no dispatch has this id");
		else
			error_page_q(sv, r, 404, "Dépêche introuvable",
			             "Aucune dépêche n'a cet identifiant.", id, q);
		return;
	}
	FILE *f = b.f;
	if (api) {
		dp_json_result(f, &res, 0);
		dp_result_release(&res);
		sv_ctx_put(c, 0);
		set_body(r, &b, 200, JSON_TYPE);
		return;
	}
	const dp_hit *h = &res.hits[0];
	const dp_docdata *d = &h->doc;
	dp_compiled hl = {0};
	int have_hl = q && highlight_terms(c, prof, q, &hl, &err) == DP_OK;
	page_head(f, sv, d->headline && *d->headline ? d->headline : id,
	          q ? q : "", 1);
	fputs("<article class=\"dispatch\">\n", f);
	fputs("<p class=\"meta\"><span>", f);
	time_tag(f, d);
	fputs("</span>", f);
	const char *metas[] = {d->source, d->dateline && *d->dateline
	                                      ? d->dateline : d->place,
	                       d->genre};
	for (size_t i = 0; i < sizeof metas / sizeof *metas; i++)
		if (metas[i] && *metas[i]) {
			fputs("<span>", f);
			sv_html(f, metas[i]);
			fputs("</span>", f);
		}
	if (d->urgency == 1 || d->urgency == 2)
		fprintf(f, "<span class=\"flag\">%s</span>",
		        d->urgency == 1 ? "FLASH" : "URGENT");
	if (d->version > 1)
		fprintf(f, "<span>version %u</span>", d->version);
	fputs("</p>\n<h1>", f);
	const char *headline = d->headline && *d->headline ? d->headline
	                                                   : "(sans titre)";
	marked_text(f, c, headline, strlen(headline), have_hl ? &hl : NULL);
	fputs("</h1>\n", f);
	if (d->byline && *d->byline) {
		fputs("<p class=\"byline\">", f);
		sv_html(f, d->byline);
		fputs("</p>\n", f);
	}
	dispatch_body(f, c, d, have_hl ? &hl : NULL);
	subjects_line(f, d->subjects);
	fputs("<p class=\"tags\">Identifiant : <code>", f);
	sv_html(f, d->id);
	fputs("</code>", f);
	if (d->slug && *d->slug) {
		fputs(" · slug : ", f);
		sv_html(f, d->slug);
	}
	fputs("</p>\n</article>\n", f);
	if (have_hl)
		dp_compiled_release(&hl);
	story_list(f, sv, c, h->docid, q);
	more_like(f, sv, c, prof, d->id);
	dp_result_release(&res);
	sv_ctx_put(c, 0);
	sv_buf ab;
	char *args = NULL;
	size_t al;
	if (sv_buf_open(&ab) == 0) {
		int first = 1;
		sv_url_arg(ab.f, &first, "id", id);
		args = sv_buf_take(&ab, &al);
	}
	page_foot(f, sv, "/api/dispatch", args);
	free(args);
	set_body(r, &b, 200, HTML_TYPE);
}

/* ---- meetings ------------------------------------------------------------------ */

/* The end of a meetings page entry: the headline, a link to the
 * dispatch, and the sentence that shows the evidence. */
static void headline_evidence(FILE *f, const sv_server *sv,
                              const dp_docdata *d, const dp_snippet *sentence,
                              const char *hq)
{
	fputs("<h2><a href=\"", f);
	dispatch_href(f, sv, d->id, hq);
	fputs("\">", f);
	sv_html(f, d->headline && *d->headline ? d->headline : "(sans titre)");
	fputs("</a></h2>\n", f);
	if (sentence->text && *sentence->text) {
		fputs("<p class=\"evidence\">", f);
		sv_html_marked_opt(f, sentence, 1);
		fputs("</p>\n", f);
	}
	fputs("</li>\n", f);
}

static const char *kind_title(dp_meet_kind k)
{
	switch (k) {
	case DP_MEET_MEETING: return "rencontre";
	case DP_MEET_CALL: return "appel";
	case DP_MEET_VIDEO: return "visioconférence";
	}
	return "";
}

/* One event of a meetings page: its day, kind and place, the dispatch
 * that shows it with its sentence, how many report it. */
static void event_item(FILE *f, const sv_server *sv, const dp_event *x,
                       const char *hq)
{
	const dp_docdata *d = &x->doc;
	fputs("<li class=\"hit event\">\n<p class=\"meta\"><span><time>", f);
	sv_html(f, x->day);
	fputs("</time></span><span>", f);
	sv_html(f, kind_title(x->kind));
	fputs("</span>", f);
	if (*x->place) {
		fputs("<span>", f);
		sv_html(f, x->place);
		fputs("</span>", f);
	}
	fprintf(f, "<span>%zu dépêche%s%s</span></p>\n", x->stories,
	        x->stories > 1 ? "s" : "",
	        x->day_in_text ? "" : " (date de la dépêche)");
	headline_evidence(f, sv, d, &x->sentence, hq);
}

static const char *evidence_title(dp_evidence e)
{
	switch (e) {
	case DP_EVIDENCE_MEETING:
		return "Une rencontre rappelée, sans sa date";
	case DP_EVIDENCE_TOGETHER:
		return "Nommés dans la même phrase, sans mot de rencontre";
	case DP_EVIDENCE_MENTION:
		return "Nommés dans la même dépêche seulement";
	}
	return "";
}

static void people_form(FILE *f, const sv_server *sv, const char **people,
                        size_t n, const char *since, const char *until)
{
	fputs("<form class=\"people\" action=\"", f);
	sv_html(f, sv->base);
	fputs("/meetings\" method=\"get\">\n", f);
	for (size_t i = 0; i < 3; i++) {
		fprintf(f, "<label>Personne %zu <input type=\"text\" name=\"p\" "
		        "size=\"16\" value=\"", i + 1);
		if (i < n)
			sv_html(f, people[i]);
		fprintf(f, "\"%s></label>\n", i < 2 ? " required" : "");
	}
	fputs("<label>Depuis <input type=\"text\" name=\"since\" size=\"10\" "
	      "placeholder=\"AAAA-MM-JJ\" value=\"", f);
	sv_html(f, since);
	fputs("\"></label>\n<label>Jusqu'au <input type=\"text\" name=\"until\" "
	      "size=\"10\" placeholder=\"AAAA-MM-JJ\" value=\"", f);
	sv_html(f, until);
	fputs("\"></label>\n<button type=\"submit\">Chercher</button>\n</form>\n",
	      f);
}

/* The people of a meetings request: the non-empty p= values. */
static size_t actors_of(const sv_request *rq, const char **out, char *msg,
                        size_t msgsz)
{
	const char *all[SV_MAX_ACTORS + 8];
	size_t n = sv_args(rq, "p", all, sizeof all / sizeof *all);
	size_t k = 0;
	if (n > sizeof all / sizeof *all)
		n = sizeof all / sizeof *all;
	for (size_t i = 0; i < n; i++) {
		if (!*all[i])
			continue;
		if (strlen(all[i]) > 256) {
			snprintf(msg, msgsz, "'p' is too long (at most 256 bytes)");
			return (size_t)-1;
		}
		if (k == SV_MAX_ACTORS) {
			snprintf(msg, msgsz, "at most %d people", SV_MAX_ACTORS);
			return (size_t)-1;
		}
		out[k++] = all[i];
	}
	return k;
}

static void page_meetings(sv_server *sv, const sv_request *rq,
                          sv_response *r, int api)
{
	const char *actors[SV_MAX_ACTORS];
	char msg[256] = "";
	size_t n = actors_of(rq, actors, msg, sizeof msg);
	const char *since = nonempty(sv_arg(rq, "since"));
	const char *until = nonempty(sv_arg(rq, "until"));
	unsigned long limit = 50;
	const dp_profile *prof = NULL;
	if (n == (size_t)-1 || check_date("since", since, msg, sizeof msg)
	    || check_date("until", until, msg, sizeof msg)
	    || check_uint("limit", sv_arg(rq, "limit"), 0, SV_MAX_LIMIT, &limit,
	                  msg, sizeof msg)
	    || get_profile(sv, sv_arg(rq, "profile"), &prof, msg, sizeof msg)) {
		n = (size_t)-1;
	} else if (n == 1 || (api && n == 0)) {
		snprintf(msg, sizeof msg, "give two people or more: "
		         "p=Blinken&p=Lavrov");
		n = (size_t)-1;
	}
	if (n == (size_t)-1 && api) {
		api_error(r, 400, msg);
		return;
	}
	sv_buf b;
	if (!api && (n == 0 || n == (size_t)-1)) {
		/* the form alone */
		if (sv_buf_open(&b) != 0) {
			r->status = 503;
			return;
		}
		page_head(b.f, sv, "Rencontres", "", 1);
		fputs("<h1>Quand se sont-ils rencontrés ?</h1>\n", b.f);
		if (*msg) {
			fputs("<p class=\"error\">", b.f);
			sv_html(b.f, msg);
			fputs("</p>\n", b.f);
		}
		people_form(b.f, sv, actors, n == (size_t)-1 ? 0 : n, since,
		            until);
		fputs("<p>Les dépêches où ces personnes se rencontrent, se "
		      "parlent ou négocient, avec la phrase qui le dit.</p>\n",
		      b.f);
		page_foot(b.f, sv, NULL, NULL);
		set_body(r, &b, *msg ? 400 : 200, HTML_TYPE);
		return;
	}
	dp_error err = {0};
	sv_ctx *c = sv_ctx_get(sv, &err);
	if (!c) {
		failed(sv, r, api, err.status, &err);
		return;
	}
	dp_meetings mt;
	dp_status st = dp_meetings_find(c->s, c->vocab, prof, actors, n, since,
	                                until, (uint32_t)limit, &mt, &err);
	if (st != DP_OK) {
		sv_ctx_put(c, st != DP_ERR_INVALID && st != DP_ERR_SYNTAX);
		failed(sv, r, api, st, &err);
		return;
	}
	if (sv_buf_open(&b) != 0) {
		dp_meetings_release(&mt);
		sv_ctx_put(c, 0);
		r->status = 503;
		return;
	}
	FILE *f = b.f;
	if (api) {
		dp_json_meetings(f, &mt);
		dp_meetings_release(&mt);
		sv_ctx_put(c, 0);
		set_body(r, &b, 200, JSON_TYPE);
		return;
	}
	sv_ctx_put(c, 0);
	/* the actors' names, for highlighting the dispatches opened */
	char hq[1100] = "";
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(hq);
		snprintf(hq + l, sizeof hq - l, "%s%s", i ? " OR " : "",
		         actors[i]);
	}
	page_head(f, sv, mt.actors, "", 1);
	fputs("<h1>Rencontres : ", f);
	sv_html(f, mt.actors);
	fputs("</h1>\n", f);
	people_form(f, sv, actors, n, since, until);
	fprintf(f, "<p class=\"summary\">%zu rencontre%s ou appel%s (dont %zu "
	        "seulement annoncé%s), %zu sujet%s rappelant une rencontre sans "
	        "sa date, %zu où ils sont nommés ensemble, %zu où ils le sont "
	        "séparément (%u dépêches).</p>\n", mt.n_events,
	        mt.n_events > 1 ? "s" : "", mt.n_events > 1 ? "s" : "",
	        mt.n_planned, mt.n_planned > 1 ? "s" : "", mt.n_meeting,
	        mt.n_meeting > 1 ? "s" : "", mt.n_together, mt.n_mention,
	        mt.candidates);
	if (!mt.n && !mt.n_ev)
		fputs("<p>Aucune dépêche ne les nomme ensemble.</p>\n", f);
	for (int planned = 0; planned < 2; planned++) {
		int first = 1;
		for (size_t i = 0; i < mt.n_ev; i++) {
			const dp_event *x = &mt.ev[i];
			if (x->planned != planned)
				continue;
			if (first)
				fprintf(f, "<h3>%s</h3>\n<ol class=\"hits events\">\n",
				        planned ? "Annoncées" : "Rencontres et appels");
			first = 0;
			event_item(f, sv, x, hq);
		}
		if (!first)
			fputs("</ol>\n", f);
	}
	for (size_t i = 0; i < mt.n; i++) {
		const dp_meeting *x = &mt.v[i];
		const dp_docdata *d = &x->doc;
		if (i == 0 || x->evidence != mt.v[i - 1].evidence) {
			if (i)
				fputs("</ol>\n", f);
			fprintf(f, "<h3>%s</h3>\n<ol class=\"hits\">\n",
			        evidence_title(x->evidence));
		}
		fputs("<li class=\"hit\">\n<p class=\"meta\"><span>", f);
		time_tag(f, d);
		fputs("</span>", f);
		if (d->source && *d->source) {
			fputs("<span>", f);
			sv_html(f, d->source);
			fputs("</span>", f);
		}
		if (d->place && *d->place) {
			fputs("<span>", f);
			sv_html(f, d->place);
			fputs("</span>", f);
		}
		if (x->others)
			fprintf(f, "<span>+%u du même sujet</span>", x->others);
		fputs("</p>\n", f);
		headline_evidence(f, sv, d, &x->sentence, hq);
	}
	if (mt.n)
		fputs("</ol>\n", f);
	dp_meetings_release(&mt);
	sv_buf ab;
	char *args = NULL;
	size_t al;
	if (sv_buf_open(&ab) == 0) {
		int first = 1;
		for (size_t i = 0; i < n; i++)
			sv_url_arg(ab.f, &first, "p", actors[i]);
		sv_url_arg(ab.f, &first, "since", since);
		sv_url_arg(ab.f, &first, "until", until);
		args = sv_buf_take(&ab, &al);
	}
	page_foot(f, sv, "/api/meetings", args);
	free(args);
	set_body(r, &b, 200, HTML_TYPE);
}

/* ---- dossier ------------------------------------------------------------------- */

/* Dispatches per month as an SVG bar chart: every month from the first
 * to the last (by year when that spans more than ten years). */
static void month_chart(FILE *f, const dp_facet *months)
{
	int lo = -1, hi = -1;
	for (size_t i = 0; i < months->n; i++) {
		int k = month_index(months->v[i].value);
		if (k < 0)
			continue;
		if (lo < 0 || k < lo)
			lo = k;
		if (k > hi)
			hi = k;
	}
	if (lo < 0)
		return;
	int by_year = hi - lo >= 120;
	if (by_year) {
		lo = lo / 12 * 12;
		hi = hi / 12 * 12;
	}
	int step = by_year ? 12 : 1;
	size_t nb = (size_t)((hi - lo) / step + 1);
	uint32_t *cnt = calloc(nb, sizeof *cnt);
	if (!cnt)
		return;
	uint32_t max = 1;
	for (size_t i = 0; i < months->n; i++) {
		int k = month_index(months->v[i].value);
		if (k < 0)
			continue;
		size_t b = (size_t)((k - (by_year ? k % 12 : 0) - lo) / step);
		cnt[b] += months->v[i].count;
		if (cnt[b] > max)
			max = cnt[b];
	}
	const int left = 28, top = 16, ph = 140, bottom = 34;
	int bw = nb > 0 ? 640 / (int)nb : 24;
	if (bw > 48)
		bw = 48;
	if (bw < 5)
		bw = 5;
	int width = left + (int)nb * bw + 10, height = top + ph + bottom;
	fprintf(f, "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/"
	        "2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	        "role=\"img\" aria-labelledby=\"chart-title\">\n"
	        "<title id=\"chart-title\">Dépêches par %s</title>\n",
	        width, height, width, height, by_year ? "année" : "mois");
	/* a scale: 0 and the maximum */
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	        "y2=\"%d\"/>\n", left, top + ph, width - 4, top + ph);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%u</text>\n",
	        left - 4, top + 4, max);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
	        left - 4, top + ph);
	for (size_t i = 0; i < nb; i++) {
		int k = lo + (int)i * step;
		int y = k / 12, m = k % 12;
		int x = left + (int)i * bw;
		int h = (int)((uint64_t)cnt[i] * ph / max);
		if (cnt[i] && h < 2)
			h = 2;
		char label[32];
		if (by_year)
			snprintf(label, sizeof label, "%d", y);
		else
			snprintf(label, sizeof label, "%s %d", month_fr[m], y);
		fprintf(f, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" "
		        "height=\"%d\"><title>%s : %u dépêche%s</title></rect>\n",
		        x + 1, top + ph - h, bw - 2, h, label, cnt[i],
		        cnt[i] > 1 ? "s" : "");
		if (cnt[i] && bw >= 14)
			fprintf(f, "<text class=\"val\" x=\"%d\" y=\"%d\" "
			        "text-anchor=\"middle\">%u</text>\n", x + bw / 2,
			        top + ph - h - 3, cnt[i]);
		/* labels: every year, each month when there is room */
		if (by_year || m == 0 || i == 0) {
			fprintf(f, "<text x=\"%d\" y=\"%d\">%d</text>\n", x + 1,
			        top + ph + 26, y);
		}
		if (!by_year && bw >= 22)
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
			        "%.1s</text>\n", x + bw / 2, top + ph + 12,
			        month_fr[m]);
	}
	fputs("</svg>\n", f);
	fprintf(f, "<figcaption class=\"count\">Dépêches par %s qui le "
	        "nomment.</figcaption>\n</figure>\n", by_year ? "année" : "mois");
	free(cnt);
}

static void named_list(FILE *f, const sv_server *sv, const char *title,
                       const dp_facet *fa, const char *subject, int people,
                       size_t max)
{
	if (!fa->n)
		return;
	fprintf(f, "<section><h3>%s</h3><ul class=\"plain\">\n", title);
	for (size_t i = 0; i < fa->n && i < max; i++) {
		fputs("<li><span>", f);
		if (people) {
			fputs("<a href=\"", f);
			about_href(f, sv, fa->v[i].value);
			fputs("\">", f);
			sv_html(f, fa->v[i].value);
			/* their meetings with the subject: a small arrow */
			fputs("</a> <a class=\"meet\" title=\"rencontres avec ", f);
			sv_html(f, subject);
			fputs("\" href=\"", f);
			sv_html(f, sv->base);
			fputs("/meetings", f);
			int first = 1;
			sv_url_arg(f, &first, "p", subject);
			sv_url_arg(f, &first, "p", fa->v[i].value);
			fputs("\">\xe2\x87\x84</a>", f);
		} else {
			params p = {0};
			p.q = fa->v[i].value;
			fputs("<a href=\"", f);
			search_href(f, sv, &p);
			fputs("\">", f);
			sv_html(f, fa->v[i].value);
			fputs("</a>", f);
		}
		fprintf(f, "</span> <span class=\"count\">%u</span></li>\n",
		        fa->v[i].count);
	}
	fputs("</ul></section>\n", f);
}

static void mention(FILE *f, const sv_server *sv, const char *what,
                    const dp_hit *h, const char *q)
{
	fprintf(f, "<dt>%s</dt><dd>", what);
	time_tag(f, &h->doc);
	fputs(" — <a href=\"", f);
	dispatch_href(f, sv, h->doc.id, q);
	fputs("\">", f);
	sv_html(f, h->doc.headline && *h->doc.headline ? h->doc.headline
	                                               : "(sans titre)");
	fputs("</a></dd>\n", f);
}

static void page_about(sv_server *sv, const sv_request *rq, sv_response *r,
                       int api)
{
	const char *name = nonempty(sv_arg(rq, "name"));
	const char *since = nonempty(sv_arg(rq, "since"));
	const char *until = nonempty(sv_arg(rq, "until"));
	unsigned long limit = 5;
	char msg[256] = "";
	const dp_profile *prof = NULL;
	if (check_len("name", name, 256, msg, sizeof msg)
	    || check_date("since", since, msg, sizeof msg)
	    || check_date("until", until, msg, sizeof msg)
	    || check_uint("limit", sv_arg(rq, "limit"), 0, SV_MAX_LIMIT, &limit,
	                  msg, sizeof msg)
	    || get_profile(sv, sv_arg(rq, "profile"), &prof, msg, sizeof msg)) {
		/* msg says what */
	} else if (!name && api) {
		snprintf(msg, sizeof msg, "give a name: name=Viktor+Bout");
	}
	if (*msg && api) {
		api_error(r, 400, msg);
		return;
	}
	sv_buf b;
	if (!name || *msg) {
		if (sv_buf_open(&b) != 0) {
			r->status = 503;
			return;
		}
		page_head(b.f, sv, "Dossiers", "", 1);
		fputs("<h1>Un dossier sur une personne</h1>\n", b.f);
		if (*msg) {
			fputs("<p class=\"error\">", b.f);
			sv_html(b.f, msg);
			fputs("</p>\n", b.f);
		}
		fputs("<form class=\"people\" action=\"", b.f);
		sv_html(b.f, sv->base);
		fputs("/about\" method=\"get\"><label>Nom <input type=\"text\" "
		      "name=\"name\" size=\"24\" required value=\"", b.f);
		sv_html(b.f, name);
		fputs("\"></label><button type=\"submit\">Voir le dossier</button>"
		      "</form>\n<p>Première et dernière mention, dépêches par mois, "
		      "dépêches clés, personnes et lieux nommés avec elle.</p>\n",
		      b.f);
		page_foot(b.f, sv, NULL, NULL);
		set_body(r, &b, *msg ? 400 : 200, HTML_TYPE);
		return;
	}
	dp_error err = {0};
	sv_ctx *c = sv_ctx_get(sv, &err);
	if (!c) {
		failed(sv, r, api, err.status, &err);
		return;
	}
	dp_dossier dos;
	dp_status st = dp_dossier_make(c->s, prof, name, since, until, limit,
	                               &dos, &err);
	if (st != DP_OK) {
		sv_ctx_put(c, st != DP_ERR_INVALID && st != DP_ERR_SYNTAX);
		failed(sv, r, api, st, &err);
		return;
	}
	sv_ctx_put(c, 0);
	if (sv_buf_open(&b) != 0) {
		dp_dossier_release(&dos);
		r->status = 503;
		return;
	}
	FILE *f = b.f;
	if (api) {
		dp_json_dossier(f, &dos);
		dp_dossier_release(&dos);
		set_body(r, &b, 200, JSON_TYPE);
		return;
	}
	page_head(f, sv, dos.subject, "", 1);
	fputs("<h1>", f);
	sv_html(f, dos.subject);
	fputs("</h1>\n", f);
	if (dos.description) {
		fputs("<p class=\"lead\">", f);
		sv_html(f, dos.description);
		fputs("</p>\n", f);
	}
	fprintf(f, "<p class=\"summary\">%u dépêche%s le nomment%s.</p>\n",
	        dos.total, dos.total > 1 ? "s" : "",
	        dos.total ? "" : " : rien à montrer");
	if (dos.total) {
		fputs("<dl class=\"facts\">\n", f);
		if (dos.have_first) {
			mention(f, sv, "Première mention", &dos.first, name);
			mention(f, sv, "Dernière mention", &dos.latest, name);
		}
		fputs("</dl>\n<h3>Dépêches par mois</h3>\n", f);
		month_chart(f, &dos.months);
		fputs("<div class=\"layout\">\n<section>\n", f);
		if (dos.n_key) {
			fputs("<h3>Dépêches clés</h3>\n<ol class=\"hits\">\n", f);
			for (size_t i = 0; i < dos.n_key; i++)
				hit_item(f, sv, &dos.key[i], name);
			fputs("</ol>\n", f);
		}
		params sp = {0};
		sp.q = name;
		fputs("<p><a href=\"", f);
		search_href(f, sv, &sp);
		fputs("\">Toutes les dépêches qui le nomment »</a></p>\n", f);
		fputs("</section>\n<aside>\n", f);
		named_list(f, sv, "Personnes citées", &dos.people,
		           dos.subject, 1, 10);
		named_list(f, sv, "Organisations", &dos.organisations, NULL, 0, 10);
		named_list(f, sv, "Lieux nommés", &dos.places, NULL, 0, 10);
		named_list(f, sv, "Lieux des dépêches", &dos.datelines, NULL, 0,
		           10);
		fputs("</aside>\n</div>\n", f);
	}
	dp_dossier_release(&dos);
	sv_buf ab;
	char *args = NULL;
	size_t al;
	if (sv_buf_open(&ab) == 0) {
		int first = 1;
		sv_url_arg(ab.f, &first, "name", name);
		sv_url_arg(ab.f, &first, "since", since);
		sv_url_arg(ab.f, &first, "until", until);
		args = sv_buf_take(&ab, &al);
	}
	page_foot(f, sv, "/api/about", args);
	free(args);
	set_body(r, &b, 200, HTML_TYPE);
}

/* ---- API search ------------------------------------------------------------------ */

static int parse_facet_list(const char *list, dp_request *req, char *msg,
                            size_t msgsz)
{
	const char *p = list;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int k;
		for (k = 0; k < DP_FACET_LAST; k++) {
			const char *name = dp_facet_name((dp_facet_kind)k);
			if (strlen(name) == n && !strncmp(name, p, n))
				break;
		}
		if (k == DP_FACET_LAST || req->n_facets == DP_MAX_FACETS) {
			snprintf(msg, msgsz, "unknown facet '%.*s' (expected source, "
			         "place, month, lang, person, org or location)",
			         (int)(n > 40 ? 40 : n), p);
			return -1;
		}
		req->facets[req->n_facets++] = (dp_facet_kind)k;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int flag(const sv_request *rq, const char *name)
{
	const char *v = sv_arg(rq, name);
	return v && (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes"));
}

static void api_search(sv_server *sv, const sv_request *rq, sv_response *r)
{
	const char *q = nonempty(sv_arg(rq, "q"));
	const char *since = nonempty(sv_arg(rq, "since"));
	const char *until = nonempty(sv_arg(rq, "until"));
	const char *like = nonempty(sv_arg(rq, "like"));
	const char *sort = nonempty(sv_arg(rq, "sort"));
	const char *as_of = nonempty(sv_arg(rq, "as_of"));
	unsigned long limit = 10, offset = 0;
	char msg[256] = "";
	const dp_profile *prof = NULL;
	dp_request req;
	dp_request_init(&req);
	if (check_len("q", q, SV_MAX_QUERY, msg, sizeof msg)
	    || check_date("since", since, msg, sizeof msg)
	    || check_date("until", until, msg, sizeof msg)
	    || check_date("as_of", as_of, msg, sizeof msg)
	    || check_uint("limit", sv_arg(rq, "limit"), 0, SV_MAX_LIMIT, &limit,
	                  msg, sizeof msg)
	    || check_uint("offset", sv_arg(rq, "offset"), 0, SV_MAX_OFFSET,
	                  &offset, msg, sizeof msg)
	    || get_profile(sv, sv_arg(rq, "profile"), &prof, msg, sizeof msg)
	    || parse_facet_list(sv_arg(rq, "facets"), &req, msg, sizeof msg)) {
		/* msg says what */
	} else if (like && !valid_id(like)) {
		snprintf(msg, sizeof msg, "'like' needs a dispatch id");
	} else if (like && q) {
		snprintf(msg, sizeof msg, "'like' takes an id, not a query");
	} else if (!q && !since && !until && !like) {
		snprintf(msg, sizeof msg, "give a query: q=...");
	} else if (sort && strcmp(sort, "relevance") && strcmp(sort, "date")) {
		snprintf(msg, sizeof msg, "'sort' is 'relevance' or 'date'");
	}
	if (*msg) {
		api_error(r, 400, msg);
		return;
	}
	req.query = q ? q : like ? "" : "date:..9999";
	req.literal = flag(rq, "literal");
	req.since = since;
	req.until = until;
	req.sort = !sort ? DP_SORT_AUTO : !strcmp(sort, "date") ? DP_SORT_DATE
	                                                        : DP_SORT_RELEVANCE;
	req.offset = (uint32_t)offset;
	req.limit = (uint32_t)limit;
	req.collapse = flag(rq, "collapse");
	req.profile = prof;
	req.explain = flag(rq, "explain");
	req.count_only = flag(rq, "count");
	req.like = like;
	const char *correct = sv_arg(rq, "correct");
	req.correct = !(correct && !strcmp(correct, "0"));
	if (as_of) {
		char day[9];
		dp_query_parse_day(as_of, strlen(as_of), 0, day);
		int y = (day[0] - '0') * 1000 + (day[1] - '0') * 100
		        + (day[2] - '0') * 10 + (day[3] - '0');
		int mo = (day[4] - '0') * 10 + (day[5] - '0');
		int d = (day[6] - '0') * 10 + (day[7] - '0');
		req.now = dp_days_from_civil(y, mo, d) * 86400 + 86399;
	}
	dp_error err = {0};
	sv_ctx *c = sv_ctx_get(sv, &err);
	if (!c) {
		failed(sv, r, 1, err.status, &err);
		return;
	}
	dp_result res;
	dp_status st = dp_searcher_run(c->s, &req, &res, &err);
	if (st != DP_OK) {
		sv_ctx_put(c, st != DP_ERR_SYNTAX && st != DP_ERR_INVALID);
		failed(sv, r, 1, st, &err);
		return;
	}
	sv_ctx_put(c, 0);
	sv_buf b;
	if (sv_buf_open(&b) != 0) {
		dp_result_release(&res);
		r->status = 503;
		return;
	}
	if (req.count_only) {
		/* as depeche-search --json --count: the number, then facets */
		fprintf(b.f, "%u\n", res.total);
		dp_json_facets(b.f, &res);
	} else {
		dp_json_result(b.f, &res, req.explain);
	}
	dp_result_release(&res);
	set_body(r, &b, 200, JSON_TYPE);
}

/* ---- routing ---------------------------------------------------------------------- */

void sv_handle(sv_server *sv, const sv_request *req, const char *path,
               sv_response *resp)
{
	memset(resp, 0, sizeof *resp);
	if (!strcmp(path, "/")) {
		page_search(sv, req, resp);
	} else if (!strcmp(path, "/style.css")) {
		resp->status = 200;
		resp->type = "text/css; charset=utf-8";
		resp->body = malloc(sizeof STYLE);
		if (resp->body) {
			memcpy(resp->body, STYLE, sizeof STYLE);
			resp->len = sizeof STYLE - 1;
		}
		resp->cacheable = 1;
	} else if (!strcmp(path, "/favicon.svg")) {
		static const char icon[] =
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
		    "<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#16213a\"/>"
		    "<text x=\"8\" y=\"12.5\" font-size=\"12\" font-family=\"serif\" "
		    "font-weight=\"bold\" text-anchor=\"middle\" fill=\"#f2b134\">"
		    "d</text></svg>\n";
		resp->status = 200;
		resp->type = "image/svg+xml; charset=utf-8";
		resp->body = strdup(icon);
		resp->len = resp->body ? strlen(resp->body) : 0;
		resp->cacheable = 1;
	} else if (!strcmp(path, "/dispatch")) {
		page_dispatch(sv, req, resp, 0);
	} else if (!strcmp(path, "/meetings")) {
		page_meetings(sv, req, resp, 0);
	} else if (!strcmp(path, "/about")) {
		page_about(sv, req, resp, 0);
	} else if (!strcmp(path, "/api/search")) {
		api_search(sv, req, resp);
	} else if (!strcmp(path, "/api/dispatch")) {
		page_dispatch(sv, req, resp, 1);
	} else if (!strcmp(path, "/api/meetings")) {
		page_meetings(sv, req, resp, 1);
	} else if (!strcmp(path, "/api/about")) {
		page_about(sv, req, resp, 1);
	} else if (!strncmp(path, "/api/", 5)) {
		api_error(resp, 404, "no such API: /api/search, /api/dispatch, "
		          "/api/meetings or /api/about");
	} else {
		error_page(sv, resp, 404, "Page introuvable",
		           "Cette page n'existe pas.", NULL);
	}
	if (!resp->status)
		resp->status = 503;
}
