/* test-shared-feeds.c: the readers over the real wire feeds in
 * $DP_SHARED/feeds.
 *
 * INDEX.tsv lists every file with its format, languages, number of text
 * items and first headline.  For each wire-feed file (NewsML 1.2,
 * NewsML-G2, NITF, ninjs) the number of text dispatches (kills and
 * withheld items are notices, not text items) must equal text_items; JSON
 * and XML files of other kinds must give none; plain-text files ("other")
 * are the text reader's business and must only read without a hard error.
 * Headlines must start with first_headline (INDEX truncates them), no
 * field may hold UTF-8 read as Latin-1 ("Ã©"), and one file per format
 * is checked field by field. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "reader.h"

/* Rows where the readers knowingly disagree with INDEX.tsv: the count we
 * expect instead, and why. */
static const struct {
	const char *file;
	int count;
	const char *why;
} disagreements[] = {
	{"superdesk-belga/belga_newsml_1_2.xml", 2,
	 "the only genuinely Latin (ISO-8859-15) wire file; its NewsItem holds "
	 "a Dutch and a French story, each with body text, which the readers "
	 "decode and return; INDEX.tsv lists no text item for it (its "
	 "generator seems to have failed on the non-UTF-8 bytes)"},
};

/* One file per format, checked field by field. */
static const struct {
	const char *file;
	const char *format;   /* dp_reader_format */
	const char *lang;     /* NULL: the file declares none */
	const char *body;     /* first words of the body */
} spots[] = {
	{"superdesk-core/afp20.xml", "newsml12", "fr",
	 "L'opératrice du Samu condamnée pour non-assistance à personne en "
	 "danger après avoir raillé au téléphone Naomi Musenga"},
	{"superdesk-core/afp.xml", "newsml12", "en",
	 "A Chinese-owned company set up to take over Saab's assets"},
	{"iptc-newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml", "newsml-g2",
	 "en", "(New York, NY - October 21) Et, sent luptat luptat"},
	{"dpa-newsmlg2-testdata/items/"
	 "urn_newsml_dpa.com_20090101_170626-99-998860.xml", "newsml-g2", "de",
	 "Erwartet wurde ein Grundsatzurteil. Doch das Bundesarbeitsgericht"},
	{"superdesk-core/ap.xml", "newsml-g2", "en",
	 "FORT WASHINGTON, Pa. (AP) _ Nutrisystem Inc. (NTRI) on Monday"},
	{"superdesk-cp/fr.xml", "newsml-g2", "fr",
	 "CORRECTION ET MISE À JOUR - Les réseaux mobiles"},
	{"superdesk-core/ap-nitf.xml", "nitf", "en",
	 "NEW YORK (AP) — The gas produced by hog manure at farms"},
	{"superdesk-core/nitf-ntb.xml", "nitf", "nb",
	 "Nei, dette dokumentet beskriver ikke FNs Agenda 21"},
	{"superdesk-core/ninjs4.json", "ninjs", "de",
	 "Es kann ganz schön kostspielig sein, Polizeihunde"},
	{"superdesk-core/ninjsExMediumText1.json", "ninjs", "en",
	 "GROSSETO, Italy (AP) -- The trial of the captain"},
};

static const char *const mojibake[] = {"Ã©", "Ã¨", "Ã ", "Ã¢", "Ã§", NULL};

typedef struct outcome {
	int opened;
	char format[32];
	int text, kills, errors, hard_error;
	char last_err[1024];
	char *headline, *lang, *body;   /* of the first text dispatch */
	int64_t time;
	char *mojibake;                 /* first offending field, if any */
} outcome;

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static const char *field_with_mojibake(const dp_dispatch *d)
{
	const char *f[] = {d->id, d->headline, d->source, d->lang, d->dateline,
	                   d->place, d->country, d->slug, d->byline, d->genre,
	                   d->signal, d->embargo, d->date};
	for (size_t k = 0; k < sizeof f / sizeof *f; k++)
		for (const char *const *m = mojibake; f[k] && *m; m++)
			if (strstr(f[k], *m))
				return f[k];
	for (size_t i = 0; i < d->n_paragraphs; i++)
		for (const char *const *m = mojibake; *m; m++)
			if (strstr(d->paragraphs[i], *m))
				return d->paragraphs[i];
	for (size_t i = 0; i < d->n_subjects; i++)
		for (const char *const *m = mojibake; *m; m++)
			if (strstr(d->subjects[i], *m))
				return d->subjects[i];
	return NULL;
}

static void read_all(const char *path, outcome *o)
{
	memset(o, 0, sizeof *o);
	o->time = DP_TIME_UNKNOWN;
	dp_reader *r;
	dp_error err;
	dp_error_clear(&err);
	if (dp_reader_open(path, NULL, &r, &err) != DP_OK) {
		snprintf(o->last_err, sizeof o->last_err, "%s", err.msg);
		/* refusing a file as malformed, or a listed file that is not
		 * there, counts as no dispatch; anything else is a failure */
		if (err.status != DP_ERR_FORMAT && err.status != DP_ERR_NOT_FOUND
		    && err.status != DP_ERR_ENCODING)
			o->hard_error = 1;
		return;
	}
	o->opened = 1;
	snprintf(o->format, sizeof o->format, "%s", dp_reader_format(r));
	dp_dispatch *d = dp_dispatch_new();
	for (int guard = 0; d && guard < 10000; guard++) {
		dp_status st = dp_reader_next(r, d, &err);
		if (st == DP_DONE)
			break;
		if (st != DP_OK) {
			o->errors++;
			snprintf(o->last_err, sizeof o->last_err, "%s", err.msg);
			if (st != DP_ERR_FORMAT) {
				o->hard_error = 1;
				break;
			}
			continue;
		}
		const char *bad = field_with_mojibake(d);
		if (bad && !o->mojibake)
			o->mojibake = strndup(bad, 120);
		if (d->status == DP_PUB_CANCELED || d->status == DP_PUB_WITHHELD) {
			o->kills++;
			continue;
		}
		if (o->text++ == 0) {
			o->headline = dup_or_null(d->headline);
			o->lang = dup_or_null(d->lang);
			o->body = d->n_paragraphs ? strdup(d->paragraphs[0]) : NULL;
			o->time = d->time;
		}
	}
	dp_dispatch_free(d);
	dp_reader_free(r);
}

static void release(outcome *o)
{
	free(o->headline);
	free(o->lang);
	free(o->body);
	free(o->mojibake);
}

/* Headline with no-break spaces as plain spaces (INDEX.tsv has them so). */
static void plain_spaces(char *s)
{
	char *o = s;
	for (const char *p = s; *p;) {
		if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
			*o++ = ' ';
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

static int is_wire(const char *format)
{
	return !strncmp(format, "NewsML", 6) || !strncmp(format, "NITF", 4)
	       || !strncmp(format, "ninjs", 5);
}

/* Splits a TSV line in place into at most n fields (empty ones kept). */
static int split(char *line, char **f, int n)
{
	int k = 0;
	f[k++] = line;
	for (char *p = line; *p && k < n; p++)
		if (*p == '\t') {
			*p = '\0';
			f[k++] = p + 1;
		}
	for (int i = k; i < n; i++)
		f[i] = (char *)"";
	return k;
}

static void check_spot(const char *dir, size_t i)
{
	char path[8192]; /* the shared dir is at most 4095 bytes */
	snprintf(path, sizeof path, "%s/feeds/%s", dir, spots[i].file);
	outcome o;
	read_all(path, &o);
	const char *f = spots[i].file;
	is_str(o.format, spots[i].format, "%s: reader format", f);
	ok(o.text >= 1, "%s: has a text dispatch", f);
	is_str(o.lang, spots[i].lang, "%s: language", f);
	ok(o.time != DP_TIME_UNKNOWN, "%s: has a date", f);
	if (!ok(o.body && !strncmp(o.body, spots[i].body, strlen(spots[i].body)),
	        "%s: body starts '%.30s...'", f, spots[i].body))
		diag("  got: '%.120s'", o.body ? o.body : "(null)");
	release(&o);
}

int main(void)
{
	const char *dir = tap_shared_dir();
	if (!dir)
		skip_all("no shared data: set DP_SHARED to the shared folder "
		         "(../shared beside the project)");
	char path[8192]; /* the shared dir is at most 4095 bytes */
	snprintf(path, sizeof path, "%s/feeds/INDEX.tsv", dir);
	FILE *idx = fopen(path, "r");
	if (!idx)
		skip_all("no feeds/INDEX.tsv in the shared folder");
	plan_no_plan();

	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rows = 0, dispatches = 0, bad_rows = 0;
	int moji_files = 0;
	int header = 1;
	while ((len = getline(&line, &cap, idx)) > 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (header) {
			header = 0;
			continue;
		}
		char *f[5];
		if (!*line || split(line, f, 5) < 4)
			continue;
		const char *file = f[0], *format = f[1], *first = f[4];
		int want = atoi(f[3]);
		rows++;
		snprintf(path, sizeof path, "%s/feeds/%s", dir, file);
		outcome o;
		read_all(path, &o);
		dispatches += o.text + o.kills;
		if (o.mojibake) {
			moji_files++;
			diag("%s: mojibake: '%s'", file, o.mojibake);
		}

		if (is_wire(format) || !strcmp(format, "json")
		    || !strncmp(format, "xml:", 4)) {
			const char *why = NULL;
			for (size_t k = 0; k < sizeof disagreements / sizeof *disagreements;
			     k++)
				if (!strcmp(file, disagreements[k].file)) {
					want = disagreements[k].count;
					why = disagreements[k].why;
				}
			if (!ok(o.text == want && !o.hard_error,
			        "%s: %d text item(s) [%s]", file, want, format)) {
				bad_rows++;
				diag("%s: got %d text item(s), %d kill(s), %d error(s)%s%s",
				     file, o.text, o.kills, o.errors,
				     o.last_err[0] ? "; last: " : "", o.last_err);
			}
			if (why)
				diag("%s: INDEX.tsv says %s, expected %d: %s", file, f[3],
				     want, why);
			if (want > 0 && *first) {
				char *h = o.headline ? strdup(o.headline) : NULL;
				if (h)
					plain_spaces(h);
				if (!ok(h && !strncmp(h, first, strlen(first)),
				        "%s: headline", file))
					diag("%s: headline '%s', INDEX.tsv has '%s'", file,
					     h ? h : "(null)", first);
				free(h);
			}
		} else {
			/* plain text and binaries: other readers' business; they
			 * must read or refuse cleanly (some listed files are not in
			 * the folder: that is fine too) */
			if (!ok(!o.hard_error, "%s: read without a hard error [%s]",
			        file, format))
				diag("%s: %s", file, o.last_err);
		}
		release(&o);
	}
	free(line);
	fclose(idx);
	ok(rows > 300, "INDEX.tsv lists %d files", rows);
	diag("%d dispatches read from %d files, %d row(s) off", dispatches, rows,
	     bad_rows);
	ok(moji_files == 0, "no mojibake ('Ã©', 'Ã¨', 'Ã ') in any field of any "
	   "dispatch (%d file(s) with some)", moji_files);

	for (size_t i = 0; i < sizeof spots / sizeof *spots; i++)
		check_spot(dir, i);

	/* afp20.xml declares iso-8859-1 but holds UTF-8 */
	snprintf(path, sizeof path, "%s/feeds/superdesk-core/afp20.xml", dir);
	FILE *af = fopen(path, "r");
	char decl[128] = "";
	if (af) {
		if (!fgets(decl, sizeof decl, af))
			decl[0] = '\0';
		fclose(af);
	}
	ok(strstr(decl, "iso-8859-1") != NULL,
	   "afp20.xml declares iso-8859-1: %s", decl);
	outcome o;
	read_all(path, &o);
	is_str(o.headline,
	       "Décès de Naomi Musenga: l'opératrice du Samu définitivement "
	       "condamnée", "afp20.xml: headline decoded as UTF-8");
	ok(o.body && strstr(o.body, "décédée peu après à l'hôpital"),
	   "afp20.xml: body decoded as UTF-8");
	ok(!o.mojibake && !(o.headline && strstr(o.headline, "Ã")),
	   "afp20.xml: no mojibake");
	release(&o);
	return done_testing();
}
