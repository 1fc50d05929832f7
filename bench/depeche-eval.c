/* depeche-eval: runs a query set through depeche's engine and writes a
 * TREC run (qid Q0 docid rank score depeche), for ../shared/bench's
 * trec_eval.py.
 *
 *   depeche-eval DB QUERIES.tsv OUT.run [--profile NAME] [--ranking FILE]
 *                [--depth N] [--config DIR]
 *
 * QUERIES.tsv: qid TAB query [TAB kind TAB date_from TAB date_to].  Each
 * query is natural language: it runs as plain words (--literal), with the
 * profile's default operator and fallback, and the dates as --since and
 * --until. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "entities.h"
#include "ranking.h"
#include "search.h"

static void usage(void)
{
	fprintf(stderr, "usage: depeche-eval DB QUERIES.tsv OUT.run "
	        "[--profile NAME] [--ranking FILE] [--depth N] "
	        "[--config DIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		usage();
	const char *profile = NULL, *ranking = NULL, *config = NULL;
	unsigned depth = 100;
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			profile = argv[++i];
		else if (!strcmp(argv[i], "--ranking") && i + 1 < argc)
			ranking = argv[++i];
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strcmp(argv[i], "--depth") && i + 1 < argc)
			depth = (unsigned)atoi(argv[++i]);
		else
			usage();
	}
	dp_error err = {0};
	dp_searcher *s;
	if (dp_searcher_open(argv[1], &s, &err) != DP_OK) {
		fprintf(stderr, "depeche-eval: %s\n", err.msg);
		return 1;
	}
	dp_ranking *rk = NULL;
	char path[4096];
	dp_status st = DP_OK;
	if (ranking)
		st = dp_ranking_load(ranking, &rk, &err);
	else if (dp_config_find("ranking.yaml", config, path, sizeof path, &st,
	                        &err))
		st = dp_ranking_load(path, &rk, &err);
	else if (st == DP_OK)
		st = dp_ranking_builtin(&rk, &err);
	const dp_profile *p = NULL;
	if (st == DP_OK)
		st = dp_ranking_profile(rk, profile, &p, &err);
	dp_entities *ents = NULL;
	if (st == DP_OK) {
		if (dp_config_find("entities.yaml", config, path, sizeof path,
		                   &st, &err))
			st = dp_entities_load(path, dp_searcher_analyzer(s), &ents,
			                      &err);
		else if (st == DP_OK)
			st = dp_entities_builtin(dp_searcher_analyzer(s), &ents,
			                         &err);
	}
	if (st != DP_OK) {
		fprintf(stderr, "depeche-eval: %s\n", err.msg);
		return 1;
	}
	dp_searcher_set_entities(s, ents);
	FILE *in = fopen(argv[2], "r");
	FILE *out = fopen(argv[3], "w");
	if (!in || !out) {
		perror(in ? argv[3] : argv[2]);
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned nq = 0, failed = 0, fallback = 0;
	while ((len = getline(&line, &cap, in)) > 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		char *f[5] = {NULL, NULL, NULL, NULL, NULL};
		char *p2 = line;
		for (int k = 0; k < 5 && p2; k++) {
			f[k] = p2;
			p2 = strchr(p2, '\t');
			if (p2)
				*p2++ = '\0';
		}
		if (!f[0] || !f[1])
			continue;
		nq++;
		dp_request req;
		dp_request_init(&req);
		req.query = f[1];
		req.literal = 1;
		req.profile = p;
		req.limit = depth;
		req.snippet_bytes = 0;
		req.since = f[3] && *f[3] ? f[3] : NULL;
		req.until = f[4] && *f[4] ? f[4] : NULL;
		dp_result r;
		if (dp_searcher_run(s, &req, &r, &err) != DP_OK) {
			failed++;
			fprintf(stderr, "depeche-eval: %s: %s\n", f[0], err.msg);
			continue;
		}
		fallback += r.fallback;
		for (size_t i = 0; i < r.n; i++)
			fprintf(out, "%s Q0 %s %zu %.6f depeche\n", f[0],
			        r.hits[i].doc.id ? r.hits[i].doc.id : "?", i + 1,
			        r.hits[i].score);
		dp_result_release(&r);
	}
	free(line);
	fclose(in);
	if (fclose(out) != 0) {
		perror(argv[3]);
		return 1;
	}
	fprintf(stderr, "depeche-eval: %u queries (%u best-match fallbacks, "
	        "%u failed), profile '%s'\n", nq, fallback, failed, p->name);
	dp_entities_free(ents);
	dp_ranking_free(rk);
	dp_searcher_free(s);
	return failed ? 1 : 0;
}
