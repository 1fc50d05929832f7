/* test-feeds.c: the wire-feed readers (NewsML 1.2, NewsML-G2, NITF,
 * ninjs) through dp_reader_open/dp_reader_next, their safety against
 * hostile XML, encodings, and the dateline parser.  Fixtures (invented
 * texts) are in tests/fixtures/feeds. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "reader.h"
#include "readers/readers.h"

#define MAX_DISPATCHES 8

/* What the test keeps of one dispatch (copies: the reader reuses d). */
typedef struct got {
	char *id, *headline, *source, *lang, *place, *country, *dateline;
	char *slug, *byline, *genre, *signal, *embargo, *date, *format, *path;
	char *body;       /* paragraphs joined with '\n' */
	char *subjects;   /* joined with '|' */
	size_t n_paragraphs;
	uint32_t version, line;
	int64_t time, first_time;
	int urgency, status;
} got;

typedef struct result {
	dp_status open_st;
	char open_msg[1024];
	char format[32];
	got d[MAX_DISPATCHES];
	int n;            /* dispatches read */
	int errors;       /* records that failed */
	char err_msg[1024];
	unsigned skipped;
} result;

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char *join(const char **v, size_t n, char sep)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *p = malloc(len), *o = p;
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i)
			*o++ = sep;
		size_t l = strlen(v[i]);
		memcpy(o, v[i], l);
		o += l;
	}
	*o = '\0';
	return p;
}

static void keep(got *g, const dp_dispatch *d)
{
	g->id = dup_or_null(d->id);
	g->headline = dup_or_null(d->headline);
	g->source = dup_or_null(d->source);
	g->lang = dup_or_null(d->lang);
	g->place = dup_or_null(d->place);
	g->country = dup_or_null(d->country);
	g->dateline = dup_or_null(d->dateline);
	g->slug = dup_or_null(d->slug);
	g->byline = dup_or_null(d->byline);
	g->genre = dup_or_null(d->genre);
	g->signal = dup_or_null(d->signal);
	g->embargo = dup_or_null(d->embargo);
	g->date = dup_or_null(d->date);
	g->format = dup_or_null(d->format);
	g->path = dup_or_null(d->path);
	g->body = join(d->paragraphs, d->n_paragraphs, '\n');
	g->subjects = join(d->subjects, d->n_subjects, '|');
	g->n_paragraphs = d->n_paragraphs;
	g->version = d->version;
	g->line = d->line;
	g->time = d->time;
	g->first_time = d->first_time;
	g->urgency = d->urgency;
	g->status = (int)d->status;
}

static void release(result *res)
{
	for (int i = 0; i < res->n; i++) {
		got *g = &res->d[i];
		char **f[] = {&g->id, &g->headline, &g->source, &g->lang, &g->place,
		              &g->country, &g->dateline, &g->slug, &g->byline,
		              &g->genre, &g->signal, &g->embargo, &g->date,
		              &g->format, &g->path, &g->body, &g->subjects};
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			free(*f[k]);
	}
	memset(res, 0, sizeof *res);
}

/* Reads a fixture whole. */
static void read_fixture(const char *name, result *res)
{
	char rel[256];
	snprintf(rel, sizeof rel, "tests/fixtures/feeds/%s", name);
	memset(res, 0, sizeof *res);
	dp_reader *r;
	dp_error err;
	dp_error_clear(&err);
	res->open_st = dp_reader_open(tap_srcpath(rel), NULL, &r, &err);
	if (res->open_st != DP_OK) {
		snprintf(res->open_msg, sizeof res->open_msg, "%s", err.msg);
		return;
	}
	snprintf(res->format, sizeof res->format, "%s", dp_reader_format(r));
	dp_dispatch *d = dp_dispatch_new();
	for (int guard = 0; d && guard < 100; guard++) {
		dp_status st = dp_reader_next(r, d, &err);
		if (st == DP_DONE)
			break;
		if (st != DP_OK) {
			res->errors++;
			snprintf(res->err_msg, sizeof res->err_msg, "%s", err.msg);
			if (st != DP_ERR_FORMAT)
				break;
			continue;
		}
		if (res->n < MAX_DISPATCHES)
			keep(&res->d[res->n++], d);
	}
	res->skipped = dp_reader_skipped(r);
	dp_dispatch_free(d);
	dp_reader_free(r);
}

static const char *iso(int64_t t)
{
	static char buf[4][21];
	static int k;
	char *b = buf[k++ % 4];
	if (t == DP_TIME_UNKNOWN)
		return "unknown";
	dp_time_iso(t, b);
	return b;
}

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether any text field of g contains needle. */
static int any_field_has(const got *g, const char *needle)
{
	const char *f[] = {g->id, g->headline, g->source, g->lang, g->place,
	                   g->country, g->dateline, g->slug, g->byline, g->genre,
	                   g->signal, g->embargo, g->date, g->body, g->subjects};
	for (size_t k = 0; k < sizeof f / sizeof *f; k++)
		if (has(f[k], needle))
			return 1;
	return 0;
}

/* ---- NewsML 1.2 ----------------------------------------------------------- */

static void test_newsml12(void)
{
	result res;
	read_fixture("newsml12-two.xml", &res);
	is_int(res.open_st, DP_OK, "newsml12-two: opens");
	is_str(res.format, "newsml12", "newsml12-two: detected as newsml12");
	is_int(res.n, 2, "newsml12-two: two text items");
	is_int(res.errors, 0, "newsml12-two: no errors");
	is_int(res.skipped, 1, "newsml12-two: the photo component is skipped");
	if (res.n == 2) {
		got *a = &res.d[0], *b = &res.d[1];
		is_str(a->id, "urn:newsml:afp.com:20240710:240710093000.frx42a",
		       "newsml12: guid is the family id, without the revision");
		is_int(a->version, 2, "newsml12: version is RevisionId");
		is_str(iso(a->time), "2024-07-10T08:15:00Z",
		       "newsml12: time is ThisRevisionCreated (basic ISO, +0200)");
		is_str(iso(a->first_time), "2024-07-10T07:30:00Z",
		       "newsml12: first_time is FirstCreated");
		is_str(a->headline,
		       "Strasbourg : le tramway de nuit prolongé jusqu'à l'été "
		       "prochain", "newsml12: headline");
		is_str(a->slug, "transports-tramway-nuit", "newsml12: slug");
		is_str(a->byline, "Par Camille Vernier", "newsml12: byline");
		is_str(a->dateline, "Strasbourg, 10 juil 2024 (AFP)",
		       "newsml12: dateline");
		is_str(a->source, "AFP", "newsml12: source from Provider Party");
		is_str(a->lang, "fr", "newsml12: language");
		is_str(a->genre, "Current", "newsml12: genre");
		is_int(a->urgency, 3, "newsml12: urgency");
		is_int(a->status, DP_PUB_USABLE, "newsml12: usable");
		is_str(a->subjects, "11000000 politics|11006000",
		       "newsml12: subjects, IPTC top level named");
		is_str(a->place, "Strasbourg", "newsml12: place from Location");
		is_str(a->country, "FRA", "newsml12: country from Location");
		is_int(a->n_paragraphs, 3, "newsml12: NITF body: p, hl2, p");
		ok(starts(a->body, "L'eurométropole de Strasbourg a décidé mercredi "
		                   "de prolonger jusqu'à l'été prochain l'expérience "
		                   "du tramway de nuit, lancée"),
		   "newsml12: inline <b> kept as text in the lead");
		ok(has(a->body, "\nUne fréquentation jugée encourageante\n"),
		   "newsml12: hl2 is a paragraph of its own");
		is_str(a->format, "newsml12", "newsml12: dispatch format");
		ok(has(a->path, "newsml12-two.xml"), "newsml12: dispatch path");
		ok(a->line > 0 && b->line > a->line,
		   "newsml12: lines of the items (%u, %u)", a->line, b->line);

		is_str(b->id, "urn:newsml:afp.com:20220801:220801120000.mos77b",
		       "newsml12: second item id");
		is_str(b->lang, "fr", "newsml12: language from xml:lang");
		is_str(b->source, "AFP", "newsml12: source from Source Party");
		is_str(b->place, "Moscou", "newsml12: place from the lead's dateline");
		is_str(b->dateline, "Moscou, 1er août 2022 (AFP)",
		       "newsml12: dateline taken from the lead");
		is_int(b->n_paragraphs, 2,
		       "newsml12: plain DataContent split on blank lines");
		ok(starts(b->body, "Moscou, 1er août 2022 (AFP) - Une vingtaine de "
		                   "formations venues de toute"),
		   "newsml12: the lead keeps its dateline (paragraphs untouched)");
		is_str(b->subjects, "01000000 arts, culture and entertainment",
		       "newsml12: second item subject");
	}
	release(&res);

	read_fixture("newsml12-kill.xml", &res);
	is_int(res.n, 1, "newsml12-kill: the kill is a dispatch");
	if (res.n == 1) {
		is_int(res.d[0].status, DP_PUB_CANCELED, "newsml12-kill: canceled");
		is_str(res.d[0].id, "urn:newsml:afp.com:20240710:240710093000.frx42a",
		       "newsml12-kill: same family id as the story it kills");
		is_int(res.d[0].version, 3, "newsml12-kill: newer version");
		is_int(res.d[0].n_paragraphs, 0, "newsml12-kill: no body needed");
	}
	release(&res);
}

/* ---- NewsML-G2 -------------------------------------------------------------- */

static void test_g2(void)
{
	result res;
	read_fixture("g2-item.xml", &res);
	is_str(res.format, "newsml-g2", "g2-item: detected as newsml-g2");
	is_int(res.n, 1, "g2-item: one dispatch");
	if (res.n == 1) {
		got *g = &res.d[0];
		is_str(g->id, "urn:newsml:example.org:20221208:abudhabi-echange",
		       "g2: guid");
		is_int(g->version, 3, "g2: version");
		is_str(iso(g->time), "2022-12-08T12:05:00Z",
		       "g2: time is versionCreated");
		is_str(iso(g->first_time), "2022-12-08T10:30:00Z",
		       "g2: first_time is firstCreated");
		is_int(g->status, DP_PUB_CORRECTION,
		       "g2: sig:correction makes a correction");
		is_str(g->signal, "sig:correction", "g2: raw signal kept");
		is_str(g->embargo, "2022-12-08T15:00:00Z", "g2: embargo");
		is_str(g->source, "Agence Exemple", "g2: provider name");
		is_int(g->urgency, 2, "g2: urgency");
		is_str(g->place, "Abou Dhabi", "g2: located");
		is_str(g->country, "Émirats arabes unis", "g2: country from broader");
		is_str(g->byline, "Lucie Marchand", "g2: creator name as byline");
		is_str(g->subjects,
		       "medtop:11000000 politique|subj:16000000 unrest, conflicts "
		       "and war", "g2: subjects as 'qcode name'");
		is_str(g->genre, "Actualité", "g2: genre name");
		is_str(g->lang, "fr", "g2: language tag fr-FR gives fr");
		is_str(g->slug, "diplomatie-echange", "g2: slugline");
		is_str(g->headline,
		       "Un échange de prisonniers conclu à l'aéroport d'Abou Dhabi",
		       "g2: first headline");
		is_str(g->dateline, "Abou Dhabi, 8 déc 2022 (Exemple)",
		       "g2: dateline");
		is_int(g->n_paragraphs, 2, "g2: XHTML header and title skipped");
		ok(starts(g->body, "Deux hommes détenus depuis plusieurs mois"),
		   "g2: body starts with the first <p>");
	}
	release(&res);

	read_fixture("g2-message.xml", &res);
	is_int(res.n, 2, "g2-message: two text items");
	is_int(res.skipped, 2, "g2-message: picture and package skipped");
	is_int(res.errors, 0, "g2-message: no errors");
	if (res.n == 2) {
		is_str(res.d[0].id, "urn:newsml:example.org:20230314:vignes",
		       "g2-message: first text item");
		ok(starts(res.d[0].body, "Bordeaux, 14 mars 2023 (Exemple) - Les "
		                         "viticulteurs"),
		   "g2-message: NITF body.content, not its hedline");
		is_str(res.d[0].place, "Bordeaux", "g2-message: place from the lead");
		is_str(res.d[1].id, "urn:newsml:example.org:20230314:marathon",
		       "g2-message: second text item");
		is_int(res.d[1].n_paragraphs, 2,
		       "g2-message: inlineData split on blank lines");
		is_str(iso(res.d[1].time), "2023-03-14T09:00:00Z",
		       "g2-message: no versionCreated: the message's sent time");
		is_str(res.d[1].place, "Lyon", "g2-message: LYON becomes Lyon");
	}
	release(&res);

	read_fixture("g2-concept.xml", &res);
	is_int(res.open_st, DP_OK, "g2-concept: opens");
	is_int(res.n, 0, "g2-concept: no dispatch");
	is_int(res.errors, 0, "g2-concept: not an error");
	is_int(res.skipped, 1, "g2-concept: counted as skipped");
	release(&res);
}

/* ---- NITF ------------------------------------------------------------------ */

static void test_nitf(void)
{
	result res;
	read_fixture("nitf.xml", &res);
	is_str(res.format, "nitf", "nitf: detected");
	is_int(res.n, 1, "nitf: one dispatch");
	if (res.n == 1) {
		got *g = &res.d[0];
		is_str(g->id, "EXE.2023.0715.velo", "nitf: doc-id");
		is_str(g->headline,
		       "Tour de France : échappée victorieuse dans les Vosges",
		       "nitf: hl1 preferred to title");
		is_str(iso(g->time), "2023-07-15T16:30:00Z", "nitf: date.issue");
		is_int(g->urgency, 4, "nitf: ed-urg");
		is_str(g->source, "Agence Exemple", "nitf: distributor");
		is_str(g->slug, "cyclisme-tour-etape", "nitf: du-key");
		is_str(g->byline, "Par Jules Garnier envoyé spécial", "nitf: byline");
		is_str(g->place, "Gérardmer", "nitf: dateline city");
		is_str(g->lang, "fr", "nitf: baselang");
		is_str(g->genre, "Actualité", "nitf: tobject.property");
		is_str(g->subjects, "15000000 sport|15039001 Cyclisme sur route",
		       "nitf: tobject.subject");
		is_int(g->n_paragraphs, 4, "nitf: two paragraphs and two table rows");
		ok(!has(g->body, "Le vainqueur franchit"),
		   "nitf: media captions are not body text");
		ok(has(g->body, "\n1. Premier coureur 4 h 12 min\n"),
		   "nitf: a table row is a paragraph, cells apart");
	}
	release(&res);

	read_fixture("nitf-noid.xml", &res);
	is_int(res.n, 1, "nitf-noid: one dispatch");
	if (res.n == 1) {
		is_str(res.d[0].id, "nitf-noid", "nitf-noid: id from the file name");
		is_str(res.d[0].place, "Lille", "nitf-noid: place from the lead");
	}
	release(&res);

	read_fixture("depeche-gz.xml.gz", &res);
	is_int(res.open_st, DP_OK, "gzip: opens");
	is_str(res.format, "nitf", "gzip: NITF detected inside gzip");
	is_int(res.n, 1, "gzip: one dispatch");
	if (res.n == 1)
		is_str(res.d[0].id, "depeche-gz",
		       "gzip: id from the file name without extensions");
	release(&res);

	read_fixture("nitf-short.xml", &res);
	is_int(res.n, 0, "nitf-short: a placeholder body is not a text item");
	is_int(res.skipped, 1, "nitf-short: counted as skipped");
	release(&res);
}

/* ---- ninjs ------------------------------------------------------------------ */

static void test_ninjs(void)
{
	result res;
	read_fixture("ninjs1.json", &res);
	is_int(res.n, 1, "ninjs1: one dispatch");
	if (res.n == 1) {
		got *g = &res.d[0];
		is_str(g->id, "http://example.org/items/2024/rennes-velos",
		       "ninjs1: uri");
		is_int(g->version, 2, "ninjs1: version given as a string");
		is_str(iso(g->time), "2024-04-02T08:20:00Z", "ninjs1: versioncreated");
		is_str(iso(g->first_time), "2024-04-02T07:00:00Z",
		       "ninjs1: firstcreated");
		is_str(g->headline, "Rennes ouvre trois nouvelles pistes cyclables",
		       "ninjs1: headline");
		is_str(g->byline, "Nadia Roussel", "ninjs1: byline");
		is_str(g->place, "Rennes", "ninjs1: located");
		is_str(g->subjects,
		       "06000000 environmental issue|06005000 urbanisme",
		       "ninjs1: subjects");
		is_str(g->genre, "Actualité", "ninjs1: genre name");
		is_int(g->urgency, 4, "ninjs1: urgency");
		is_int(g->n_paragraphs, 3, "ninjs1: body_html paragraphs, <br> splits");
		ok(has(g->body, "Les travaux ont duré huit mois."),
		   "ninjs1: tags stripped");
	}
	release(&res);

	read_fixture("ninjs2.json", &res);
	is_int(res.n, 1, "ninjs2: one dispatch");
	if (res.n == 1) {
		got *g = &res.d[0];
		is_str(g->id, "urn:example:2024:marseille-port", "ninjs2: uri");
		is_int(g->version, 5, "ninjs2: numeric version");
		is_str(g->headline, "Le port de Marseille agrandit son terminal",
		       "ninjs2: the main headline");
		is_str(g->byline, "Hugo Lambert", "ninjs2: by");
		ok(starts(g->body, "Marseille, 20 mai 2024 (Exemple) - Le grand port"),
		   "ninjs2: the HTML body is preferred");
		is_str(g->place, "Marseille", "ninjs2: place from the lead");
		ok(has(g->subjects, "transport maritime"), "ninjs2: subjects");
	}
	release(&res);

	read_fixture("ninjs-picture.json", &res);
	is_int(res.n, 0, "ninjs-picture: no dispatch");
	is_int(res.errors, 0, "ninjs-picture: not an error");
	is_int(res.skipped, 1, "ninjs-picture: counted as skipped");
	release(&res);
}

/* ---- hostile and broken input ------------------------------------------- */

static void test_safety(void)
{
	result res;
	read_fixture("xxe.xml", &res);
	is_int(res.open_st, DP_OK, "xxe: opens (entities are not loaded)");
	is_int(res.n, 1, "xxe: one dispatch");
	if (res.n == 1) {
		ok(!any_field_has(&res.d[0], "root:"),
		   "xxe: /etc/passwd never appears");
		is_str(res.d[0].headline, "Titre piégé",
		       "xxe: the external entity reference yields nothing");
		ok(has(res.d[0].body, "l'Agence Exemple à titre d'essai"),
		   "xxe: internal entities are expanded");
	}
	release(&res);

	read_fixture("laughs.xml", &res);
	if (res.open_st == DP_OK) {
		size_t total = 0;
		for (int i = 0; i < res.n; i++)
			total += res.d[i].body ? strlen(res.d[i].body) : 0;
		ok(total < (1u << 20), "laughs: expansion bounded (%zu bytes)",
		   total);
	} else {
		is_int(res.open_st, DP_ERR_FORMAT, "laughs: refused as malformed");
		diag("laughs: %s", res.open_msg);
	}
	release(&res);

	read_fixture("malformed.xml", &res);
	is_int(res.open_st, DP_ERR_FORMAT, "malformed: DP_ERR_FORMAT");
	ok(has(res.open_msg, "malformed.xml:9: malformed XML: "),
	   "malformed: message names the file and the line: %s", res.open_msg);
	release(&res);

	read_fixture("unknown-root.xml", &res);
	is_int(res.open_st, DP_ERR_FORMAT, "unknown-root: DP_ERR_FORMAT");
	ok(has(res.open_msg, "unknown-root.xml") && has(res.open_msg, "'rss'"),
	   "unknown-root: message names the file and the root: %s",
	   res.open_msg);
	release(&res);
}

/* ---- encodings ------------------------------------------------------------- */

static void test_encodings(void)
{
	result res;
	read_fixture("latin1-utf8.xml", &res);
	is_int(res.n, 1, "latin1-utf8: one dispatch");
	if (res.n == 1) {
		is_str(res.d[0].headline,
		       "Pénurie d'été : les cafés de Besançon ferment plus tôt",
		       "latin1-utf8: declared iso-8859-1, UTF-8 bytes read as UTF-8");
		ok(!any_field_has(&res.d[0], "Ã"), "latin1-utf8: no mojibake");
		ok(has(res.d[0].body, "« Nous fermons à vingt heures »"),
		   "latin1-utf8: guillemets and NBSP-free text intact");
	}
	release(&res);

	read_fixture("latin1.xml", &res);
	is_int(res.n, 1, "latin1: one dispatch");
	if (res.n == 1) {
		is_str(res.d[0].headline, "Fête de la musique à Besançon",
		       "latin1: genuine ISO-8859-1 decoded");
		ok(has(res.d[0].body, "l’après-midi"),
		   "latin1: byte 0x92 is a Windows-1252 apostrophe");
		ok(has(res.d[0].body, "un succès de cœur"),
		   "latin1: byte 0x9C is a Windows-1252 oe ligature");
		ok(!any_field_has(&res.d[0], "Ã"), "latin1: no mojibake");
	}
	release(&res);
}

/* ---- datelines ------------------------------------------------------------- */

static const struct {
	const char *text;
	const char *ref;     /* reference date for a missing year, or NULL */
	const char *place;   /* NULL: no dateline */
	const char *date;    /* "YYYY-MM-DD", or NULL for none */
	const char *source;
	const char *rest;    /* what follows the dateline */
} datelines[] = {
	{"Strasbourg, 10 juil 2024 (AFP) - Le tribunal a tranché.", NULL,
	 "Strasbourg", "2024-07-10", "AFP", "Le tribunal a tranché."},
	{"Strasbourg, 10 juil. 2024 (AFP) – Le tribunal", NULL, "Strasbourg",
	 "2024-07-10", "AFP", "Le tribunal"},
	{"PARIS, July 10 (Reuters) - Shares rose", "2023-07-09", "Paris",
	 "2023-07-10", "Reuters", "Shares rose"},
	{"WASHINGTON (AP) — The Senate voted", NULL, "Washington", NULL, "AP",
	 "The Senate voted"},
	{"Abou Dhabi, 8 déc 2022 (AFP) - Un échange", NULL, "Abou Dhabi",
	 "2022-12-08", "AFP", "Un échange"},
	{"ABOU DHABI, 8 déc. 2022 (AFP) - Un échange", NULL, "Abou Dhabi",
	 "2022-12-08", "AFP", "Un échange"},
	{"Moscou, 1er août 2022 (AFP) - Le Kremlin", NULL, "Moscou",
	 "2022-08-01", "AFP", "Le Kremlin"},
	{"NEW YORK, Dec 8 (AP) - Stocks", "2022-12-07", "New York", "2022-12-08",
	 "AP", "Stocks"},
	{"Berlin, December 8, 2022 (dpa) - Die Regierung", NULL, "Berlin",
	 "2022-12-08", "dpa", "Die Regierung"},
	{"Le Caire, 3 janvier 2023 (AFP) - Le président", NULL, "Le Caire",
	 "2023-01-03", "AFP", "Le président"},
	{"LE CAIRE, 3 janv 2023 (AFP) - Le président", NULL, "Le Caire",
	 "2023-01-03", "AFP", "Le président"},
	{"RIO DE JANEIRO, 5 mars 2021 (AFP) - Le carnaval", NULL,
	 "Rio de Janeiro", "2021-03-05", "AFP", "Le carnaval"},
	{"AIX-EN-PROVENCE (AFP) - Le festival", NULL, "Aix-en-Provence", NULL,
	 "AFP", "Le festival"},
	{"SAINT-DENIS (AFP) - Le stade", NULL, "Saint-Denis", NULL, "AFP",
	 "Le stade"},
	{"Erfurt (dpa) - Der Stahlkonzern", NULL, "Erfurt", NULL, "dpa",
	 "Der Stahlkonzern"},
	{"(ANSA) - ROME, Jul 11 - Gazprom", "2022-07-10", "Rome", "2022-07-11",
	 "ANSA", "Gazprom"},
	{"Tegucigalpa, Jan 2 (EFE).- El presidente", "2017-01-02",
	 "Tegucigalpa", "2017-01-02", "EFE", "El presidente"},
	{"SYDNEY March 22 AAP - Shares", "2016-03-21", "Sydney", "2016-03-22",
	 "AAP", "Shares"},
	{"Paris, lundi 10 juin 2024 (AFP) - Le scrutin", NULL, "Paris",
	 "2024-06-10", "AFP", "Le scrutin"},
	{"Bruxelles, 3 Mars 2023 (Belga) — La Commission", NULL, "Bruxelles",
	 "2023-03-03", "Belga", "La Commission"},
	{"OKLAHOMA CITY, Okla. (AP) — A storm", NULL, "Oklahoma City", NULL, "AP",
	 "A storm"},
	{"Washington, 29 juil 2022", NULL, "Washington", "2022-07-29", "", ""},
	{"Washington, 29 juil", "2022-07-28", "Washington", "2022-07-29", "", ""},
	{"Washington, 29 juil", NULL, "Washington", NULL, "", ""},
	{"Dec 31 (AP) - Fireworks", NULL, NULL, NULL, "", NULL},
	{"Le président a parlé devant les députés.", NULL, NULL, NULL, "", NULL},
	{"Les chiffres du chômage (Insee) ont baissé.", NULL, NULL, NULL, "",
	 NULL},
	{"", NULL, NULL, NULL, "", NULL},
};

static void test_datelines(void)
{
	for (size_t i = 0; i < sizeof datelines / sizeof *datelines; i++) {
		const char *t = datelines[i].text;
		char place[128], source[64];
		int64_t date;
		int64_t ref = datelines[i].ref ? dp_parse_iso8601(datelines[i].ref)
		                               : DP_TIME_UNKNOWN;
		size_t n = dp_dateline_parse(t, strlen(t), place, sizeof place, &date,
		                             source, sizeof source, ref);
		if (!datelines[i].place) {
			is_int(n, 0, "dateline: no dateline in '%s'", t);
			continue;
		}
		char day[21] = "none";
		if (date != DP_TIME_UNKNOWN) {
			dp_time_iso(date, day);
			day[10] = '\0';
		}
		int good = n > 0 && !strcmp(place, datelines[i].place)
		           && !strcmp(day, datelines[i].date ? datelines[i].date
		                                             : "none")
		           && !strcmp(source, datelines[i].source)
		           && !strcmp(t + n, datelines[i].rest);
		if (!ok(good, "dateline: '%s'", t))
			diag("  got: n=%zu place='%s' date=%s source='%s' rest='%s'", n,
			     place, day, source, t + n);
	}
}

static void test_apply_dateline(void)
{
	dp_dispatch *d = dp_dispatch_new();
	if (!d) {
		ok(0, "apply: out of memory");
		return;
	}
	const char *lead = "Moscou, 1er août 2022 (AFP) - Le Kremlin a répondu.";
	dp_dispatch_add_paragraph(d, lead, strlen(lead), NULL);
	dp_dispatch_apply_dateline(d);
	is_str(d->place, "Moscou", "apply: place from the lead");
	is_str(iso(d->time), "2022-08-01T00:00:00Z", "apply: date from the lead");
	is_str(d->source, "AFP", "apply: source from the lead");
	is_str(d->dateline, "Moscou, 1er août 2022 (AFP)",
	       "apply: dateline recorded");
	is_str(d->paragraphs[0], lead, "apply: the lead is not modified");

	dp_dispatch_reset(d);
	d->dateline = dp_dispatch_str(d, "WASHINGTON, 29 juil");
	d->first_time = dp_parse_iso8601("2022-07-28T22:00:00Z");
	dp_dispatch_apply_dateline(d);
	is_str(d->place, "Washington", "apply: place from the dateline field");
	is_str(iso(d->time), "2022-07-29T00:00:00Z",
	       "apply: year guessed from first_time");

	dp_dispatch_reset(d);
	d->dateline = dp_dispatch_str(d, "Washington, 29 juil");
	dp_dispatch_apply_dateline(d);
	is_int(d->time, DP_TIME_UNKNOWN, "apply: no year and no first_time: "
	       "date stays unknown");

	dp_dispatch_reset(d);
	d->place = dp_dispatch_str(d, "Genève");
	d->time = 1000;
	dp_dispatch_add_paragraph(d, lead, strlen(lead), NULL);
	dp_dispatch_apply_dateline(d);
	is_str(d->place, "Genève", "apply: a known place is kept");
	is_int(d->time, 1000, "apply: a known time is kept");

	dp_dispatch_reset(d);
	dp_dispatch_add_paragraph(d, "Photo.", 6, NULL);
	dp_dispatch_apply_dateline(d);
	ok(d->place == NULL, "apply: one capitalised word is not a place");
	dp_dispatch_free(d);
}

int main(void)
{
	plan_no_plan();
	test_newsml12();
	test_g2();
	test_nitf();
	test_ninjs();
	test_safety();
	test_encodings();
	test_datelines();
	test_apply_dateline();
	return done_testing();
}
