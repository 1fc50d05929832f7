/* depeche-bench: query latency of depeche-search's engine, in process, in
 * the JSON format of ../shared/bench (lat_ns per query and pass, hits and
 * top-10 ids per query), so that its make_table.py puts depeche beside
 * Lucene and stock Xapian.
 *
 *   depeche-bench DB QUERIES PASSES OUT.json [NAME] [--snippets]
 *
 * Each timed query: parse, analyse, search, top 10, decode each hit's
 * stored data (and build snippets with --snippets), with the built-in
 * ranking and entities.  Queries that do not parse (syntax) are run as
 * plain words, as a search box would. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ranking.h"
#include "search.h"

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void js(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int run(dp_searcher *s, const dp_profile *p, const char *q,
               int snippets, uint32_t limit, int count, dp_result *res)
{
	dp_request req;
	dp_request_init(&req);
	req.query = q;
	req.profile = p;
	req.limit = limit;
	req.count_only = count;
	req.snippet_bytes = snippets ? 240 : 0;
	dp_error err = {0};
	dp_status st = dp_searcher_run(s, &req, res, &err);
	if (st == DP_ERR_SYNTAX) {
		req.literal = 1;
		st = dp_searcher_run(s, &req, res, &err);
	}
	if (st != DP_OK) {
		fprintf(stderr, "depeche-bench: %s: %s\n", q, err.msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: depeche-bench DB QUERIES PASSES OUT.json "
		        "[NAME] [--snippets]\n");
		return 2;
	}
	const char *name = argc > 5 && argv[5][0] != '-' ? argv[5] : "depeche";
	int snippets = argc > 5 && !strcmp(argv[argc - 1], "--snippets");
	int passes = atoi(argv[3]);
	dp_error err = {0};
	dp_searcher *s;
	if (dp_searcher_open(argv[1], &s, &err) != DP_OK) {
		fprintf(stderr, "depeche-bench: %s\n", err.msg);
		return 1;
	}
	/* the built-in ranking and entities, as depeche-search has them
	 * without configuration files */
	dp_entities *ents = NULL;
	if (dp_entities_builtin(dp_searcher_analyzer(s), &ents, &err) != DP_OK) {
		fprintf(stderr, "depeche-bench: %s\n", err.msg);
		return 1;
	}
	dp_searcher_set_entities(s, ents);
	dp_ranking *rk;
	dp_ranking_builtin(&rk, &err);
	const dp_profile *p = &rk->profiles[rk->def];
	FILE *qf = fopen(argv[2], "r");
	if (!qf) {
		perror(argv[2]);
		return 1;
	}
	char **qs = NULL;
	size_t nq = 0, cap = 0;
	char line[4096];
	while (fgets(line, sizeof line, qf)) {
		size_t l = strlen(line);
		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'
		             || line[l - 1] == ' '))
			line[--l] = '\0';
		if (!l)
			continue;
		if (nq == cap) {
			cap = cap ? cap * 2 : 256;
			qs = realloc(qs, cap * sizeof *qs);
		}
		qs[nq++] = strdup(line);
	}
	fclose(qf);
	long long *lat = calloc(nq * (size_t)passes, sizeof *lat);
	/* warm-up: two passes and at least 10 s, like the peers;
	 * DEPECHE_BENCH_WARMUP=0 skips it (for instruction counts under
	 * callgrind, which are the same from run to run) */
	const char *wenv = getenv("DEPECHE_BENCH_WARMUP");
	int warm = !wenv || strcmp(wenv, "0") != 0;
	long long w0 = now_ns();
	int wdone = 0;
	while (warm && (wdone < 2 || now_ns() - w0 < 10000000000LL)) {
		for (size_t i = 0; i < nq; i++) {
			dp_result r;
			if (run(s, p, qs[i], snippets, 10, 0, &r) == 0)
				dp_result_release(&r);
		}
		wdone++;
	}
	for (int ps = 0; ps < passes; ps++)
		for (size_t i = 0; i < nq; i++) {
			dp_result r;
			long long t0 = now_ns();
			int ok = run(s, p, qs[i], snippets, 10, 0, &r) == 0;
			lat[i * (size_t)passes + (size_t)ps] = now_ns() - t0;
			if (ok)
				dp_result_release(&r);
		}
	FILE *o = fopen(argv[4], "w");
	if (!o) {
		perror(argv[4]);
		return 1;
	}
	uint32_t docs = 0;
	dp_searcher_count(s, &docs, &err);
	fprintf(o, "{\"engine\":");
	js(o, name);
	fprintf(o, ",\"docs\":%u,\"passes\":%d,\"lat_ns\":[", docs, passes);
	for (size_t i = 0; i < nq; i++) {
		fputs(i ? ",[" : "[", o);
		for (int ps = 0; ps < passes; ps++)
			fprintf(o, "%s%lld", ps ? "," : "",
			        lat[i * (size_t)passes + (size_t)ps]);
		fputc(']', o);
	}
	fputs("],\"queries\":[", o);
	for (size_t i = 0; i < nq; i++) {
		dp_result r, c;
		int okr = run(s, p, qs[i], 0, 10, 0, &r) == 0;
		int okc = run(s, p, qs[i], 0, 0, 1, &c) == 0;
		fprintf(o, "%s{\"q\":", i ? "," : "");
		js(o, qs[i]);
		fputs(",\"parsed\":", o);
		js(o, okr ? r.parsed : "");
		fprintf(o, ",\"hits\":%u,\"top\":[", okc ? c.total : 0);
		for (size_t k = 0; okr && k < r.n; k++) {
			fputs(k ? "," : "", o);
			js(o, r.hits[k].doc.id ? r.hits[k].doc.id : "");
		}
		fputs("]}", o);
		if (okr)
			dp_result_release(&r);
		if (okc)
			dp_result_release(&c);
	}
	fputs("]}\n", o);
	fclose(o);
	fprintf(stderr, "depeche-bench: %zu queries x %d passes (%d warm-up)\n",
	        nq, passes, wdone);
	for (size_t i = 0; i < nq; i++)
		free(qs[i]);
	free(qs);
	free(lat);
	dp_ranking_free(rk);
	dp_searcher_free(s);
	dp_entities_free(ents);
	return 0;
}
