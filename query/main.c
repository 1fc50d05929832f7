/* depeche-search: search dispatches.  See depeche-search(1) and
 * depeche-query(7). */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "dispatch.h"
#include "dossier.h"
#include "entities.h"
#include "jsonout.h"
#include "output.h"
#include "query.h"
#include "ranking.h"
#include "schema.h"
#include "search.h"
#include "xapian-shim.h"

#define PROG "depeche-search"

enum {
	OPT_DB = 1, OPT_LIMIT, OPT_OFFSET, OPT_SORT, OPT_COUNT, OPT_JSON,
	OPT_RANKING, OPT_PROFILE, OPT_CONFIG, OPT_SINCE, OPT_UNTIL,
	OPT_COLLAPSE, OPT_LITERAL, OPT_FACETS, OPT_COLOR, OPT_NO_COLOR,
	OPT_DEBUG, OPT_HELP, OPT_VERSION, OPT_MEETINGS, OPT_ABOUT,
	OPT_EXPLAIN, OPT_LIKE, OPT_AS_OF, OPT_NO_CORRECT, OPT_ALLOW_PARTIAL,
};

static const dp_option options[] = {
	{"db", 'd', DP_ARG_REQUIRED, "DIR",
	 "database (default: $XDG_DATA_HOME/depeche/db)", OPT_DB},
	{"limit", 'n', DP_ARG_REQUIRED, "N",
	 "show at most N results (default 10)", OPT_LIMIT},
	{"offset", 0, DP_ARG_REQUIRED, "N", "skip the first N results",
	 OPT_OFFSET},
	{"sort", 0, DP_ARG_REQUIRED, "relevance|date",
	 "order of results (default: relevance; date for filters alone)",
	 OPT_SORT},
	{"since", 0, DP_ARG_REQUIRED, "DATE",
	 "dispatches dated DATE or later (YYYY[-MM[-DD]])", OPT_SINCE},
	{"until", 0, DP_ARG_REQUIRED, "DATE",
	 "dispatches dated DATE or earlier", OPT_UNTIL},
	{"collapse", 'c', DP_ARG_NONE, NULL,
	 "one result per story (its latest version)", OPT_COLLAPSE},
	{"count", 0, DP_ARG_NONE, NULL,
	 "print the exact number of matching dispatches", OPT_COUNT},
	{"facets", 0, DP_ARG_REQUIRED, "LIST",
	 "exact counts by source,place,month,lang,person,org,location",
	 OPT_FACETS},
	{"meetings", 'm', DP_ARG_NONE, NULL,
	 "when did the people named as operands meet or talk (a timeline)",
	 OPT_MEETINGS},
	{"about", 'a', DP_ARG_NONE, NULL,
	 "a dossier on the person (or name) given as operands", OPT_ABOUT},
	{"json", 'j', DP_ARG_NONE, NULL,
	 "one JSON object per result and line", OPT_JSON},
	{"literal", 0, DP_ARG_NONE, NULL,
	 "take the query as plain words, without operators", OPT_LITERAL},
	{"explain", 'e', DP_ARG_NONE, NULL,
	 "show what made each result's score", OPT_EXPLAIN},
	{"like", 0, DP_ARG_REQUIRED, "ID",
	 "dispatches like the one with this id (no QUERY)", OPT_LIKE},
	{"as-of", 0, DP_ARG_REQUIRED, "DATE",
	 "count recency from DATE instead of now (YYYY-MM-DD)", OPT_AS_OF},
	{"no-correct", 0, DP_ARG_NONE, NULL,
	 "search misspelled words as typed, no suggestion", OPT_NO_CORRECT},
	{"allow-partial", 0, DP_ARG_NONE, NULL,
	 "search the shards that answer when a remote one does not",
	 OPT_ALLOW_PARTIAL},
	{"profile", 'p', DP_ARG_REQUIRED, "NAME",
	 "ranking profile from ranking.yaml", OPT_PROFILE},
	{"ranking", 0, DP_ARG_REQUIRED, "FILE",
	 "ranking configuration file", OPT_RANKING},
	{"config", 0, DP_ARG_REQUIRED, "DIR",
	 "directory of configuration files", OPT_CONFIG},
	{"color", 0, DP_ARG_NONE, NULL,
	 "highlight even when not on a terminal", OPT_COLOR},
	{"no-color", 0, DP_ARG_NONE, NULL, "never highlight", OPT_NO_COLOR},
	{"debug", 0, DP_ARG_NONE, NULL,
	 "show how the query was understood (on standard error)", OPT_DEBUG},
	{"help", 'h', DP_ARG_NONE, NULL, "show this help and exit", OPT_HELP},
	{"version", 'V', DP_ARG_NONE, NULL, "show the version and exit",
	 OPT_VERSION},
};
#define NOPTS (sizeof options / sizeof *options)

typedef struct opts {
	const char *db, *ranking, *profile, *config, *since, *until;
	const char *facets;
	unsigned long limit, offset;
	dp_sort sort;
	int count, json, collapse, literal, color, debug;
	int meetings, about, limit_set, explain, no_correct, allow_partial;
	const char *like;
	int64_t as_of;
} opts;

static int on_option(void *ctx, int id, const char *arg, char *msg,
                     size_t msgsz)
{
	opts *o = ctx;
	unsigned long v;
	switch (id) {
	case OPT_DB: o->db = arg; break;
	case OPT_LIMIT:
	case OPT_OFFSET:
		if (dp_cli_parse_uint(arg, 1000000, &v) != 0) {
			snprintf(msg, msgsz, "--%s needs a number from 0 to "
			         "1000000, not '%s'",
			         id == OPT_LIMIT ? "limit" : "offset", arg);
			return 1;
		}
		if (id == OPT_LIMIT) {
			o->limit = v;
			o->limit_set = 1;
		} else {
			o->offset = v;
		}
		break;
	case OPT_SORT:
		if (!strcmp(arg, "relevance"))
			o->sort = DP_SORT_RELEVANCE;
		else if (!strcmp(arg, "date"))
			o->sort = DP_SORT_DATE;
		else {
			snprintf(msg, msgsz, "--sort is 'relevance' or 'date', "
			         "not '%s'", arg);
			return 1;
		}
		break;
	case OPT_SINCE:
	case OPT_UNTIL: {
		char day[9];
		if (!dp_query_parse_day(arg, strlen(arg), 0, day)) {
			snprintf(msg, msgsz, "--%s needs a date YYYY[-MM[-DD]], "
			         "not '%s'", id == OPT_SINCE ? "since" : "until",
			         arg);
			return 1;
		}
		if (id == OPT_SINCE)
			o->since = arg;
		else
			o->until = arg;
		break;
	}
	case OPT_COLLAPSE: o->collapse = 1; break;
	case OPT_COUNT: o->count = 1; break;
	case OPT_FACETS: o->facets = arg; break;
	case OPT_JSON: o->json = 1; break;
	case OPT_LITERAL: o->literal = 1; break;
	case OPT_PROFILE: o->profile = arg; break;
	case OPT_RANKING: o->ranking = arg; break;
	case OPT_CONFIG: o->config = arg; break;
	case OPT_COLOR: o->color = 1; break;
	case OPT_NO_COLOR: o->color = -1; break;
	case OPT_DEBUG: o->debug = 1; break;
	case OPT_MEETINGS: o->meetings = 1; break;
	case OPT_EXPLAIN: o->explain = 1; break;
	case OPT_LIKE: o->like = arg; break;
	case OPT_NO_CORRECT: o->no_correct = 1; break;
	case OPT_ALLOW_PARTIAL: o->allow_partial = 1; break;
	case OPT_AS_OF: {
		char day[9];
		if (!dp_query_parse_day(arg, strlen(arg), 0, day)) {
			snprintf(msg, msgsz, "--as-of needs a date YYYY[-MM[-DD]], "
			         "not '%s'", arg);
			return 1;
		}
		int y = (day[0] - '0') * 1000 + (day[1] - '0') * 100
		        + (day[2] - '0') * 10 + (day[3] - '0');
		int mo = (day[4] - '0') * 10 + (day[5] - '0');
		int d = (day[6] - '0') * 10 + (day[7] - '0');
		/* the end of that day */
		o->as_of = dp_days_from_civil(y, mo, d) * 86400 + 86399;
		break;
	}
	case OPT_ABOUT: o->about = 1; break;
	default: break;
	}
	return 0;
}

static void err_msg(const char *msg)
{
	fprintf(stderr, PROG ": %s\n", msg);
}

static const dp_cli_program program = {
	PROG, options, NOPTS, on_option, OPT_HELP, OPT_VERSION,
	PROG " [OPTION]... QUERY...",
	"Search indexed dispatches.  Words are all required; "
	"\"phrases\", OR, -word,\nNOT, ( ), titre: source: lieu: "
	"lang: date:2022-07 and more: see depeche-query(7).",
	"Exit status: 0 results found, 1 no results, 2 usage or "
	"query syntax error,\n65 database from another version or "
	"corrupt, 66 no database, 69 a remote shard does not answer,\n75 "
	"database busy, 78 configuration error.  See depeche-search(1).\n",
};

static const struct {
	const char *name;
	dp_facet_kind kind;
} facet_names[] = {
	{"source", DP_FACET_SOURCE}, {"place", DP_FACET_PLACE},
	{"lieu", DP_FACET_PLACE}, {"month", DP_FACET_MONTH},
	{"mois", DP_FACET_MONTH}, {"lang", DP_FACET_LANG},
	{"langue", DP_FACET_LANG}, {"person", DP_FACET_PERSON},
	{"personne", DP_FACET_PERSON}, {"people", DP_FACET_PERSON},
	{"org", DP_FACET_ORG}, {"organisation", DP_FACET_ORG},
	{"location", DP_FACET_LOCATION},
};

/* Parses --facets a,b,c; returns -1 with msg on error. */
static int parse_facets(const char *list, dp_request *req, char *msg,
                        size_t msgsz)
{
	const char *p = list;
	while (*p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		size_t k;
		for (k = 0; k < sizeof facet_names / sizeof *facet_names; k++)
			if (strlen(facet_names[k].name) == n
			    && !strncmp(facet_names[k].name, p, n))
				break;
		if (k == sizeof facet_names / sizeof *facet_names) {
			snprintf(msg, msgsz, "unknown facet '%.*s' (expected "
			         "source, place, month, lang, person, org or "
			         "location)", (int)n, p);
			return -1;
		}
		if (req->n_facets == DP_MAX_FACETS) {
			snprintf(msg, msgsz, "too many facets");
			return -1;
		}
		req->facets[req->n_facets++] = facet_names[k].kind;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Loads the ranking: --ranking FILE, else ranking.yaml found through the
 * configuration path, else the built-in defaults. */
static dp_status load_ranking(const opts *o, dp_ranking **r, dp_error *err)
{
	if (o->ranking) {
		/* a file named on the command line that is not there is a
		 * configuration error, like --config naming no directory */
		dp_status st = dp_ranking_load(o->ranking, r, err);
		return st == DP_ERR_NOT_FOUND ? DP_ERR_CONFIG : st;
	}
	char path[4096];
	dp_status st;
	if (dp_config_find("ranking.yaml", o->config, path, sizeof path, &st,
	                   err))
		return dp_ranking_load(path, r, err);
	if (st != DP_OK)
		return st;
	return dp_ranking_builtin(r, err);
}

/* entities.yaml and meetings.yaml: found through the configuration path,
 * else built in. */
static dp_status load_entities(const opts *o, dp_searcher *s,
                               dp_entities **out, dp_error *err)
{
	char path[4096];
	dp_status st;
	if (dp_config_find("entities.yaml", o->config, path, sizeof path, &st,
	                   err))
		return dp_entities_load(path, dp_searcher_analyzer(s), out, err);
	if (st != DP_OK)
		return st;
	return dp_entities_builtin(dp_searcher_analyzer(s), out, err);
}

static dp_status load_vocab(const opts *o, dp_searcher *s, dp_vocab **out,
                            dp_error *err)
{
	char path[4096];
	dp_status st;
	if (dp_config_find("meetings.yaml", o->config, path, sizeof path, &st,
	                   err))
		return dp_vocab_load(path, dp_searcher_analyzer(s), out, err);
	if (st != DP_OK)
		return st;
	return dp_vocab_builtin(dp_searcher_analyzer(s), out, err);
}

/* Joins the operands into one query string. */
static char *join_args(int argc, char **argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *q = malloc(n);
	if (!q)
		return NULL;
	q[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(q, " ");
		strcat(q, argv[i]);
	}
	return q;
}

int main(int argc, char **argv)
{
	opts o = {0};
	o.limit = 10;
	char msg[512];
	int first;
	int rc = dp_cli_start(&program, argc, argv, &o, &first);
	if (rc >= 0)
		return rc;
	if (first >= argc && !o.since && !o.until && !o.like) {
		dp_cli_usage_error(PROG, "no QUERY");
		return DP_EXIT_USAGE;
	}
	if (o.like && (o.meetings || o.about)) {
		dp_cli_usage_error(PROG, "--like goes with neither --meetings "
		                   "nor --about");
		return DP_EXIT_USAGE;
	}
	if (o.like && first < argc) {
		dp_cli_usage_error(PROG, "--like takes an id, not a QUERY");
		return DP_EXIT_USAGE;
	}

	if (o.meetings && o.about) {
		dp_cli_usage_error(PROG, "--meetings and --about exclude each "
		                   "other");
		return DP_EXIT_USAGE;
	}
	if (o.explain && (o.meetings || o.about)) {
		dp_cli_usage_error(PROG, "--explain applies to searches and "
		                   "--like, not to --meetings or --about");
		return DP_EXIT_USAGE;
	}
	if (o.meetings && argc - first < 2) {
		dp_cli_usage_error(PROG, "--meetings needs two people or more, "
		                   "e.g. --meetings Blinken Lavrov");
		return DP_EXIT_USAGE;
	}
	if (o.about && argc - first < 1) {
		dp_cli_usage_error(PROG, "--about needs a name, e.g. --about "
		                   "'Viktor Bout'");
		return DP_EXIT_USAGE;
	}
	dp_request req;
	dp_request_init(&req);
	if (o.facets && parse_facets(o.facets, &req, msg, sizeof msg) != 0) {
		dp_cli_usage_error(PROG, msg);
		return DP_EXIT_USAGE;
	}

	dp_error err = {0};
	dp_ranking *rk = NULL;
	dp_status st = load_ranking(&o, &rk, &err);
	if (st != DP_OK) {
		err_msg(err.msg);
		return dp_cli_exit_code(st);
	}
	const dp_profile *prof;
	st = dp_ranking_profile(rk, o.profile, &prof, &err);
	if (st != DP_OK) {
		dp_cli_usage_error(PROG, err.msg);
		dp_ranking_free(rk);
		return DP_EXIT_USAGE;
	}

	char dbbuf[4096];
	const char *db = dp_cli_db(PROG, o.db, dbbuf, sizeof dbbuf, "");
	if (!db) {
		dp_ranking_free(rk);
		return DP_EXIT_USAGE;
	}
	char *query = first < argc ? join_args(argc - first, argv + first)
	                           : strdup("");
	if (!query) {
		err_msg("out of memory");
		dp_ranking_free(rk);
		return DP_EXIT_OSERR;
	}
	rc = DP_EXIT_OK;
	dp_searcher *s = NULL;
	dp_entities *ents = NULL;
	dp_vocab *vocab = NULL;
	st = dp_searcher_open_shards(db, o.allow_partial, &s, &err);
	if (st != DP_OK) {
		if (st == DP_ERR_NOT_FOUND)
			fprintf(stderr, PROG ": no database at '%s' (index "
			        "dispatches first with depeche-index --db %s "
			        "PATH)\n", db, db);
		else
			err_msg(err.msg);
		rc = dp_cli_exit_code(st);
		goto out;
	}

	/* entities (spellings of names) and the meeting vocabulary */
	st = load_entities(&o, s, &ents, &err);
	if (st == DP_OK && o.meetings)
		st = load_vocab(&o, s, &vocab, &err);
	if (st != DP_OK) {
		err_msg(err.msg);
		rc = dp_cli_exit_code(st);
		goto out;
	}
	dp_searcher_set_entities(s, ents);
	if (*dp_searcher_left_out(s))
		fprintf(stderr, PROG ": --allow-partial: searching without the "
		        "shards that do not answer: %s\n", dp_searcher_left_out(s));
	dp_output out = {stdout, 0, o.json, o.explain};
	out.color = !o.json && (o.color > 0 || (o.color == 0
	                                        && dp_cli_use_color(stdout)));
	if (o.meetings) {
		dp_meetings mt;
		st = dp_meetings_find(s, vocab, prof,
		                      (const char *const *)argv + first,
		                      (size_t)(argc - first), o.since, o.until,
		                      o.limit_set ? (uint32_t)o.limit : 50, &mt,
		                      &err);
		if (st != DP_OK) {
			err_msg(err.msg);
			rc = dp_cli_exit_code(st);
			goto out;
		}
		dp_output_meetings(&out, &mt);
		rc = mt.n_events || mt.n_meeting ? DP_EXIT_OK : DP_EXIT_NONE;
		if (!mt.n_events && !mt.n_meeting && !o.json)
			fprintf(stderr, PROG ": no dispatch shows a meeting of %s\n",
			        mt.actors);
		dp_meetings_release(&mt);
		goto out;
	}
	if (o.about) {
		dp_dossier dos;
		st = dp_dossier_make(s, prof, query, o.since, o.until,
		                     o.limit_set ? o.limit : 5, &dos, &err);
		if (st != DP_OK) {
			err_msg(err.msg);
			rc = dp_cli_exit_code(st);
			goto out;
		}
		dp_output_dossier(&out, &dos);
		rc = dos.total ? DP_EXIT_OK : DP_EXIT_NONE;
		dp_dossier_release(&dos);
		goto out;
	}

	req.query = query;
	req.literal = o.literal;
	req.since = o.since;
	req.until = o.until;
	req.sort = o.sort;
	req.offset = (uint32_t)o.offset;
	req.limit = (uint32_t)o.limit;
	req.count_only = o.count;
	req.collapse = o.collapse;
	req.profile = prof;
	req.explain = o.explain;
	req.like = o.like;
	req.correct = !o.no_correct;
	if (o.as_of)
		req.now = o.as_of;
	if (!*query && !o.like) {
		/* only --since/--until: a filter on every dispatch */
		free(query);
		query = strdup("date:..9999");
		req.query = query;
		if (!query) {
			err_msg("out of memory");
			rc = DP_EXIT_OSERR;
			goto out;
		}
	}
	dp_result res;
	st = dp_searcher_run(s, &req, &res, &err);
	if (st != DP_OK) {
		if (st == DP_ERR_SYNTAX)
			fprintf(stderr, PROG ": query syntax error: %s\n", err.msg);
		else
			err_msg(err.msg);
		/* --like with an id no dispatch has: nothing is like it (no
		 * results), not a missing database */
		rc = st == DP_ERR_NOT_FOUND && o.like ? DP_EXIT_NONE
		                                      : dp_cli_exit_code(st);
		goto out;
	}
	if (res.degraded[0])
		fprintf(stderr, PROG ": degraded: %s\n", res.degraded);
	if (o.debug) {
		fprintf(stderr, PROG ": query: %s\n", res.parsed);
		char *plan = res.compiled.q ? dpx_query_describe(res.compiled.q)
		                            : NULL;
		if (plan)
			fprintf(stderr, PROG ": plan: %s\n", plan);
		free(plan);
	}
	if (res.suggestion[0] && !o.json)
		fprintf(stderr, PROG ": did you mean: %s (misspelled words were "
		        "searched as corrected; --no-correct turns this off)\n",
		        res.suggestion);
	if (res.fallback && res.total > 0 && !res.all_words)
		fprintf(stderr, PROG ": no dispatch has all the words; %s the "
		        "best matches\n", o.count ? "counting" : "showing");
	else if (res.fallback && res.total > 0)
		fprintf(stderr, PROG ": only %u dispatch%s all the words; %s "
		        "the best matches\n", res.all_words,
		        res.all_words == 1 ? " has" : "es have",
		        o.count ? "counting" : "showing");
	if (o.count) {
		printf("%u\n", res.total);
		if (req.n_facets)
			dp_output_facets(&out, &res);
	} else if (o.json) {
		/* the writer depeche-serve's /api/search shares */
		dp_json_result(stdout, &res, o.explain);
	} else {
		for (size_t i = 0; i < res.n; i++)
			dp_output_hit(&out, &res.hits[i], &res);
		if (req.n_facets)
			dp_output_facets(&out, &res);
		dp_output_footer(&out, &res, req.offset);
	}
	if (res.total == 0) {
		rc = DP_EXIT_NONE;
		/* people get a word; programs read the exit status */
		if (!o.json && !o.count)
			fprintf(stderr, PROG ": no dispatch matches\n");
	}
	dp_result_release(&res);
out:
	dp_searcher_free(s);
	dp_entities_free(ents);
	dp_vocab_free(vocab);
	dp_ranking_free(rk);
	free(query);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			err_msg("write error on standard output");
		if (rc == 0)
			rc = DP_EXIT_IOERR;
	}
	return rc;
}
