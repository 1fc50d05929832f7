/* test-readers.c: the JSON Lines, JSON and plain-text readers through
 * dp_reader_open/dp_reader_next: field mapping, malformed records reported
 * as file:line and skipped, gzip detected by content whatever the file's
 * name, standard input, line endings, over-long records, and the ISO 8601
 * date parser.  The inputs are written to a temporary directory here. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "tap.h"

#include "reader.h"

#define MAXD 8

typedef struct rec {
	char id[128], headline[256], source[64], lang[16], place[64];
	char slug[64], body[1024], subjects[256];
	size_t n_paragraphs;
	uint32_t version, line;
	int64_t time;
	int urgency, status;
} rec;

typedef struct run {
	dp_status open_st;
	char open_msg[1024];
	char format[16];
	rec d[MAXD];
	int n;
	int total;     /* dispatches read, all of them */
	int errors;
	char err[4][1024];   /* the first four error messages */
	dp_status last_st;  /* the status that ended the reading */
} run;

static char tmpdir[256];

static void copy(char *dst, size_t n, const char *s)
{
	size_t l = s ? strlen(s) : 0;
	if (l >= n)
		l = n - 1;
	if (l)
		memcpy(dst, s, l);
	dst[l] = '\0';
}

static void keep(rec *g, const dp_dispatch *d)
{
	copy(g->id, sizeof g->id, d->id);
	copy(g->headline, sizeof g->headline, d->headline);
	copy(g->source, sizeof g->source, d->source);
	copy(g->lang, sizeof g->lang, d->lang);
	copy(g->place, sizeof g->place, d->place);
	copy(g->slug, sizeof g->slug, d->slug);
	g->body[0] = g->subjects[0] = '\0';
	for (size_t i = 0; i < d->n_paragraphs; i++) {
		size_t l = strlen(g->body);
		snprintf(g->body + l, sizeof g->body - l, "%s%s", i ? "|" : "",
		         d->paragraphs[i]);
	}
	for (size_t i = 0; i < d->n_subjects; i++) {
		size_t l = strlen(g->subjects);
		snprintf(g->subjects + l, sizeof g->subjects - l, "%s%s",
		         i ? "|" : "", d->subjects[i]);
	}
	g->n_paragraphs = d->n_paragraphs;
	g->version = d->version;
	g->line = d->line;
	g->time = d->time;
	g->urgency = d->urgency;
	g->status = (int)d->status;
}

static void read_all(const char *path, const dp_reader_opts *opts, run *res)
{
	memset(res, 0, sizeof *res);
	dp_reader *r;
	dp_error err;
	dp_error_clear(&err);
	res->open_st = dp_reader_open(path, opts, &r, &err);
	if (res->open_st != DP_OK) {
		copy(res->open_msg, sizeof res->open_msg, err.msg);
		return;
	}
	copy(res->format, sizeof res->format, dp_reader_format(r));
	dp_dispatch *d = dp_dispatch_new();
	for (int guard = 0; d && guard < 1000; guard++) {
		dp_status st = dp_reader_next(r, d, &err);
		res->last_st = st;
		if (st == DP_DONE)
			break;
		if (st != DP_OK) {
			if (res->errors < 4)
				copy(res->err[res->errors], sizeof res->err[0], err.msg);
			res->errors++;
			if (st != DP_ERR_FORMAT)
				break;
			continue;
		}
		res->total++;
		if (res->n < MAXD)
			keep(&res->d[res->n++], d);
	}
	dp_dispatch_free(d);
	dp_reader_free(r);
}

static const char *path_of(const char *name)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ % 4];
	snprintf(b, sizeof buf[0], "%s/%s", tmpdir, name);
	return b;
}

static const char *write_file(const char *name, const char *data, size_t n)
{
	const char *p = path_of(name);
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		diag("cannot write %s: %s", p, strerror(errno));
		exit(99);
	}
	return p;
}

static const char *write_str(const char *name, const char *data)
{
	return write_file(name, data, strlen(data));
}

static const char *write_gz(const char *name, const char *data, size_t n)
{
	const char *p = path_of(name);
	gzFile g = gzopen(p, "wb9");
	if (!g || gzwrite(g, data, (unsigned)n) != (int)n || gzclose(g) != Z_OK) {
		diag("cannot write %s", p);
		exit(99);
	}
	return p;
}

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
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

/* ---- JSON Lines ---------------------------------------------------------- */

static const char jsonl[] =
    "{\"id\": \"dp-001\", \"date\": \"2022-07-29T16:42:00+02:00\", "
    "\"headline\": \"Blinken et Lavrov se parlent au téléphone\", "
    "\"body\": \"Washington, 29 juil 2022 (AFP) - Le secrétaire d'État a "
    "appelé son homologue.\\n\\nIl a évoqué le sort de deux Américains.\", "
    "\"source\": \"AFP\", \"lang\": \"fr\", \"slug\": \"usa-russie\", "
    "\"urgency\": 2, \"version\": 3}\n"
    "\n"
    "{\"id\": \"dp-002\", \"date\": \"2022-07-30\", \"headline\": "
    "\"Sans corps\", \"body\": \"Un seul paragraphe.\"\n"
    "{\"date\": \"2022-07-30\", \"headline\": \"Sans id\", \"body\": "
    "\"Texte.\"}\n"
    "{\"id\": \"dp-004\", \"date\": \"2022-07-30\", \"headline\": \"Urgence\","
    " \"body\": \"Texte.\", \"urgency\": \"haute\"}\n"
    "{\"id\": \"dp-005\", \"date\": \"2022-07-31T08:00:00Z\", "
    "\"headline\": \"Dernière\", \"paragraphs\": [\"Premier.\", "
    "\"Second.\"], \"subjects\": [\"politique\", \"diplomatie\"], "
    "\"dateline\": \"Moscou, 31 juil 2022 (AFP)\"}\n";

static void test_jsonl(void)
{
	run res;
	const char *p = write_str("feed.jsonl", jsonl);
	read_all(p, NULL, &res);
	is_int(res.open_st, DP_OK, "jsonl: opens");
	is_str(res.format, "jsonl", "jsonl: detected as JSON Lines");
	is_int(res.n, 2, "jsonl: the two good records are read");
	is_int(res.errors, 3, "jsonl: three malformed records reported");
	is_int(res.last_st, DP_DONE, "jsonl: reading goes on to the end");
	if (res.n >= 1) {
		rec *a = &res.d[0];
		is_str(a->id, "dp-001", "jsonl: id");
		is_str(iso(a->time), "2022-07-29T14:42:00Z",
		       "jsonl: date with offset is converted to UTC");
		is_str(a->headline, "Blinken et Lavrov se parlent au téléphone",
		       "jsonl: headline");
		is_int(a->n_paragraphs, 2, "jsonl: body split on blank lines");
		ok(has(a->body, "|Il a évoqué"), "jsonl: second paragraph");
		is_str(a->source, "AFP", "jsonl: source");
		is_str(a->lang, "fr", "jsonl: lang");
		is_str(a->slug, "usa-russie", "jsonl: slug");
		is_int(a->urgency, 2, "jsonl: urgency");
		is_int(a->version, 3, "jsonl: version");
		is_int(a->line, 1, "jsonl: line of the record");
		is_str(a->place, "Washington",
		       "jsonl: place from the dateline at the head of the body");
	}
	if (res.n >= 2) {
		rec *b = &res.d[1];
		is_str(b->id, "dp-005", "jsonl: record after errors");
		is_int(b->line, 6, "jsonl: its line number counts blank lines");
		is_str(b->body, "Premier.|Second.", "jsonl: paragraphs array");
		is_str(b->subjects, "politique|diplomatie", "jsonl: subjects");
		is_str(b->place, "Moscou", "jsonl: place from 'dateline'");
		is_int(b->version, 1, "jsonl: version defaults to 1");
	}
	ok(has(res.err[0], "feed.jsonl:3:") && has(res.err[0], "invalid JSON"),
	   "jsonl: truncated object named by file:line (%s)", res.err[0]);
	ok(has(res.err[1], "feed.jsonl:4") && has(res.err[1], "'id'"),
	   "jsonl: missing id named by file:line (%s)", res.err[1]);
	ok(has(res.err[2], "feed.jsonl:5") && has(res.err[2], "urgency"),
	   "jsonl: wrong type names the field (%s)", res.err[2]);
}

static void test_jsonl_crlf_and_long(void)
{
	static const char crlf[] =
	    "{\"id\": \"c1\", \"date\": \"2023-01-02\", \"headline\": \"Un\", "
	    "\"body\": \"Texte un.\"}\r\n"
	    "{\"id\": \"c2\", \"date\": \"2023-01-03\", \"headline\": \"Deux\", "
	    "\"body\": \"Texte deux.\"}\r\n";
	run res;
	read_all(write_str("crlf.jsonl", crlf), NULL, &res);
	is_int(res.n, 2, "jsonl CRLF: both records");
	is_int(res.errors, 0, "jsonl CRLF: no error");
	if (res.n == 2)
		is_str(res.d[1].headline, "Deux", "jsonl CRLF: no stray CR");

	/* a record longer than max_record is skipped and reported; the next
	 * one is read */
	char big[4096];
	int n = snprintf(big, sizeof big,
	                 "{\"id\": \"l1\", \"date\": \"2023-01-02\", "
	                 "\"headline\": \"Court\", \"body\": \"Court.\"}\n"
	                 "{\"id\": \"l2\", \"date\": \"2023-01-02\", "
	                 "\"headline\": \"Long\", \"body\": \"");
	for (int i = 0; i < 300; i++)
		n += snprintf(big + n, sizeof big - (size_t)n, "mot ");
	n += snprintf(big + n, sizeof big - (size_t)n,
	              "\"}\n{\"id\": \"l3\", \"date\": \"2023-01-02\", "
	              "\"headline\": \"Après\", \"body\": \"Après.\"}\n");
	dp_reader_opts o;
	dp_reader_opts_init(&o);
	o.max_record = 512;
	read_all(write_file("long.jsonl", big, (size_t)n), &o, &res);
	is_int(res.n, 2, "jsonl: the records around an over-long one");
	is_int(res.errors, 1, "jsonl: the over-long record is reported");
	ok(has(res.err[0], "long.jsonl:2"),
	   "jsonl: over-long record named by file:line (%s)", res.err[0]);
	if (res.n == 2)
		is_str(res.d[1].id, "l3", "jsonl: reading resumes after it");
}

/* ---- gzip, detected by content -------------------------------------------- */

static void test_gzip(void)
{
	run res;
	const char *p = write_gz("archive.txt", jsonl, sizeof jsonl - 1);
	read_all(p, NULL, &res);
	is_int(res.open_st, DP_OK, "gzip named .txt: opens");
	is_str(res.format, "jsonl", "gzip named .txt: JSON Lines inside");
	is_int(res.n, 2, "gzip: the same two records");
	is_int(res.errors, 3, "gzip: the same three errors");
	ok(has(res.err[0], "archive.txt:3:"),
	   "gzip: line numbers are those of the decompressed text (%s)",
	   res.err[0]);

	/* an uncompressed file named .gz is read as it is */
	read_all(write_str("plain.jsonl.gz", jsonl), NULL, &res);
	is_int(res.n, 2, "plain file named .gz: read uncompressed");

	/* a truncated gzip stream: the records before the cut are read, then
	 * an error naming the file */
	static char many[64 * 1024], gz[64 * 1024];
	size_t m = 0;
	for (int i = 0; i < 200; i++)
		m += (size_t)snprintf(many + m, sizeof many - m,
		                      "{\"id\": \"g%d\", \"date\": \"2022-01-%02d\", "
		                      "\"headline\": \"Titre %d\", \"body\": \"Texte "
		                      "%x %d.\"}\n", i, 1 + i % 28, i * 7919,
		                      i * 104729, i * i);
	const char *full = write_gz("whole.jsonl.gz", many, m);
	FILE *f = fopen(full, "rb");
	size_t len = f ? fread(gz, 1, sizeof gz, f) : 0;
	if (f)
		fclose(f);
	read_all(write_file("cut.jsonl.gz", gz, len * 2 / 3), NULL, &res);
	ok(res.total > 20 && res.total < 200, "truncated gzip: the records "
	   "before the cut are read (%d; %s)", res.total, res.open_msg);
	/* one error, then the end: a reader that skips a bad record and
	 * reads on must not meet the same error forever */
	is_int(res.errors, 1, "truncated gzip: one error for the file");
	is_int(res.last_st, DP_DONE, "truncated gzip: then the end of the file");
	ok(has(res.err[0], "cut.jsonl.gz") && has(res.err[0], "truncated"),
	   "truncated gzip: the message names the file (%s)", res.err[0]);
	read_all(write_file("cut2.jsonl.gz", gz, 20), NULL, &res);
	ok(res.open_st != DP_OK && has(res.open_msg, "cut2.jsonl.gz"),
	   "gzip cut in its first block: refused at open (%s)", res.open_msg);
}

/* ---- whole JSON documents --------------------------------------------------- */

static void test_json_array(void)
{
	static const char arr[] =
	    "[\n"
	    " {\"id\": \"a1\", \"date\": \"2024-03-01\", \"headline\": \"Un\","
	    " \"body\": \"Premier texte.\"},\n"
	    " {\"id\": \"a2\", \"date\": \"pas une date\", \"headline\": "
	    "\"Deux\", \"body\": \"Second texte.\"},\n"
	    " {\"id\": \"a3\", \"date\": \"2024-03-03\", \"headline\": \"Trois\","
	    " \"body\": \"Troisième texte.\"}\n"
	    "]\n";
	run res;
	read_all(write_str("list.json", arr), NULL, &res);
	is_str(res.format, "json", "json array: detected");
	is_int(res.n, 2, "json array: two good elements");
	is_int(res.errors, 1, "json array: one bad element");
	ok(has(res.err[0], "array element 1") && has(res.err[0], "list.json"),
	   "json array: the bad element is named (%s)", res.err[0]);

	read_all(write_str("broken.json", "[{\"id\": \"x\",\n \"date\": ]"), NULL,
	         &res);
	ok(res.open_st == DP_ERR_FORMAT && has(res.open_msg, "broken.json:2:"),
	   "broken JSON document: file:line:column (%s)", res.open_msg);
}

/* ---- plain text ------------------------------------------------------------ */

static void test_text(void)
{
	static const char txt[] =
	    "Id: txt-042\n"
	    "Date: 2022-12-08T11:05:00+01:00\n"
	    "Headline: Viktor Bout libéré en échange de Brittney Griner\n"
	    "Source: AFP\n"
	    "Lang: fr\n"
	    "Urgency: 1\n"
	    "Version: 2\n"
	    "Slug: usa-russie-prisonniers\n"
	    "Subjects: justice, diplomatie\n"
	    "\n"
	    "Abou Dhabi, 8 déc 2022 (AFP) - L'échange a eu lieu sur le tarmac.\n"
	    "Il a duré quelques minutes.\n"
	    "\n"
	    "Les deux avions sont repartis au bout de dix minutes.\n";
	run res;
	read_all(write_str("echange.txt", txt), NULL, &res);
	is_str(res.format, "text", "text: detected");
	is_int(res.n, 1, "text: one dispatch");
	is_int(res.errors, 0, "text: no error");
	if (res.n == 1) {
		rec *a = &res.d[0];
		is_str(a->id, "txt-042", "text: Id header");
		is_str(iso(a->time), "2022-12-08T10:05:00Z", "text: Date header");
		is_str(a->headline,
		       "Viktor Bout libéré en échange de Brittney Griner",
		       "text: Headline header");
		is_int(a->urgency, 1, "text: Urgency header");
		is_int(a->version, 2, "text: Version header");
		is_str(a->slug, "usa-russie-prisonniers", "text: Slug header");
		is_str(a->subjects, "justice|diplomatie",
		       "text: Subjects split on commas");
		is_int(a->n_paragraphs, 2, "text: two paragraphs");
		ok(has(a->body, "tarmac. Il a duré"),
		   "text: a single newline joins lines of a paragraph");
		is_str(a->place, "Abou Dhabi", "text: place from the dateline");
	}

	/* a body alone: id from the file name, headline the first sentence,
	 * date the file's modification time */
	dp_reader_opts o;
	dp_reader_opts_init(&o);
	o.file_mtime = 1700000000;
	read_all(write_str("note-brute.txt.gz",
	                   "Le conseil municipal a voté le budget. La séance a "
	                   "duré trois heures.\n"), &o, &res);
	is_int(res.n, 1, "text without header: one dispatch");
	if (res.n == 1) {
		is_str(res.d[0].id, "note-brute", "text without header: id from "
		       "the file name without extensions");
		is_str(res.d[0].headline, "Le conseil municipal a voté le budget.",
		       "text without header: headline is the first sentence");
		is_int(res.d[0].time, 1700000000,
		       "text without header: the file's modification time");
	}

	read_all(write_str("bad-date.txt", "Id: x1\nDate: hier soir\n\nTexte.\n"),
	         NULL, &res);
	ok(res.n == 0 && res.errors == 1 && has(res.err[0], "bad-date.txt:2:")
	   && has(res.err[0], "Date"),
	   "text: a bad Date is named by file:line (%s)", res.err[0]);

	read_all(write_str("bad-urg.txt", "Id: x2\nUrgency: 12\n\nTexte.\n"),
	         NULL, &res);
	ok(res.n == 0 && has(res.err[0], "bad-urg.txt:2:")
	   && has(res.err[0], "Urgency"),
	   "text: Urgency out of range is reported (%s)", res.err[0]);

	read_all(write_str("no-id.txt", "Headline: Sans identifiant\n\nTexte.\n"),
	         NULL, &res);
	ok(res.n == 0 && has(res.err[0], "no-id.txt:1:")
	   && has(res.err[0], "'Id'"),
	   "text: a header block without Id is reported (%s)", res.err[0]);

	/* a BOM and CRLF endings */
	read_all(write_str("bom.txt", "\xEF\xBB\xBFId: b1\r\nHeadline: Avec BOM"
	                              "\r\n\r\nCorps du texte.\r\n"), NULL, &res);
	is_int(res.n, 1, "text with BOM and CRLF: read");
	if (res.n == 1) {
		is_str(res.d[0].id, "b1", "text with BOM: the first header is seen");
		is_str(res.d[0].headline, "Avec BOM", "text CRLF: no stray CR");
	}
}

/* ---- open errors and standard input ----------------------------------------- */

static void test_open_errors(void)
{
	run res;
	read_all(path_of("absent.jsonl"), NULL, &res);
	ok(res.open_st == DP_ERR_NOT_FOUND && has(res.open_msg, "absent.jsonl"),
	   "missing file: not found, named (%s)", res.open_msg);

	read_all(write_str("empty.jsonl", ""), NULL, &res);
	ok(res.open_st == DP_ERR_FORMAT && has(res.open_msg, "empty.jsonl"),
	   "empty file: a format error naming it (%s)", res.open_msg);

	static const char junk[] = {'\x7f', 'E', 'L', 'F', 0, 1, 2, 3, 0, 0, 0};
	read_all(write_file("junk.bin", junk, sizeof junk), NULL, &res);
	ok(res.open_st == DP_ERR_FORMAT && has(res.open_msg, "junk.bin"),
	   "binary file: a format error naming it (%s)", res.open_msg);
}

static void test_stdin(void)
{
	const char *p = write_str("stdin.jsonl", jsonl);
	fflush(stdout);
	int saved = dup(0);
	int fd = open(p, O_RDONLY);
	if (saved < 0 || fd < 0 || dup2(fd, 0) < 0) {
		ok(0, "stdin: redirect");
		return;
	}
	close(fd);
	run res;
	read_all("-", NULL, &res);
	is_int(res.n, 2, "stdin: JSON Lines read from '-'");
	ok(has(res.err[0], "<stdin>:3:"),
	   "stdin: errors name <stdin> and the line (%s)", res.err[0]);

	p = write_str("stdin.txt", "Une phrase sans en-tête.\n");
	fd = open(p, O_RDONLY);
	if (fd >= 0 && dup2(fd, 0) >= 0) {
		close(fd);
		read_all("-", NULL, &res);
		ok(res.n == 0 && has(res.err[0], "needs an 'Id:'"),
		   "stdin: plain text without Id is refused (%s)", res.err[0]);
	}
	dup2(saved, 0);
	close(saved);
}

/* ---- dates -------------------------------------------------------------- */

static void test_dates(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"2022-07-29T16:42:00+02:00", "2022-07-29T14:42:00Z"},
	    {"2022-07-29T16:42:00Z", "2022-07-29T16:42:00Z"},
	    {"2022-07-29T16:42:00.123Z", "2022-07-29T16:42:00Z"},
	    {"2022-07-29T16:42-03:30", "2022-07-29T20:12:00Z"},
	    {"2022-07-29", "2022-07-29T00:00:00Z"},
	    {"20220729T164200Z", "2022-07-29T16:42:00Z"},
	    {"20220729T164200+0200", "2022-07-29T14:42:00Z"},
	    {"2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"},
	    {"1999-12-31T23:30:00-01:00", "2000-01-01T00:30:00Z"},
	    {"2023-02-29", "unknown"},
	    {"2022-13-01", "unknown"},
	    {"2022-07-29T25:00:00Z", "unknown"},
	    {"29/07/2022", "unknown"},
	    {"", "unknown"},
	    {"2022-07-29Tgarbage", "unknown"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		is_str(iso(dp_parse_iso8601(cases[i].in)), cases[i].want,
		       "date '%s'", cases[i].in);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/test-readers.XXXXXX",
	         t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 99;
	}
	test_jsonl();
	test_jsonl_crlf_and_long();
	test_gzip();
	test_json_array();
	test_text();
	test_open_errors();
	test_stdin();
	test_dates();
	int rc = done_testing();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return rc;
}
