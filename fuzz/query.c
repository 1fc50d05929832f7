/* query.c: fuzzes the query language (depeche-query(7)) as
 * depeche-search uses it: parsing (fields, operators, phrases, groups,
 * dates), compiling through the analyzer with the built-in entities and
 * ranking, --literal, --since/--until, and the names of --meetings and
 * --about (looked up among the entities, else analysed and searched as
 * a phrase).  No database: names are not checked against an index. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities.h"
#include "fuzz.h"
#include "query.h"
#include "ranking.h"

static dp_entities *ents;
static dp_ranking *rk;       /* both live for the whole run */
static const dp_profile *prof;

static void setup(void)
{
	if (ents)
		return;
	dp_error err;
	DP_FUZZ_ASSERT(dp_entities_builtin(dp_fuzz_analyzer(), &ents, &err)
	               == DP_OK);
	DP_FUZZ_ASSERT(dp_ranking_builtin(&rk, &err) == DP_OK);
	DP_FUZZ_ASSERT(dp_ranking_profile(rk, NULL, &prof, &err) == DP_OK);
}

static void compile(const dp_qnode *tree, int implicit_or)
{
	dp_compile_env env = {dp_fuzz_analyzer(), prof, ents, NULL, 0,
	                      DP_PART_ALL, NULL};
	dp_compiled c;
	memset(&c, 0, sizeof c);
	dp_error err;
	dp_status st = dp_query_compile(tree, &env, implicit_or, &c, &err);
	DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_SYNTAX
	               || st == DP_ERR_INVALID || st == DP_ERR_NOMEM);
	DP_FUZZ_ASSERT(st != DP_OK || c.q != NULL);
	if (c.q) {
		char *d = dpx_query_describe(c.q);
		free(d);
	}
	dp_compiled_release(&c);
}

static void parse(const char *text, int literal, int implicit_or)
{
	dp_qnode *tree = NULL;
	dp_error err;
	dp_status st = literal ? dp_query_parse_literal(text, &tree, &err)
	                       : dp_query_parse(text, &tree, &err);
	DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_SYNTAX
	               || st == DP_ERR_NOMEM);
	if (st != DP_OK)
		return;
	char desc[4096];
	dp_qnode_describe(tree, desc, sizeof desc);
	DP_FUZZ_ASSERT(strlen(desc) < sizeof desc);
	compile(tree, implicit_or);
	dp_qnode_free(tree);
}

/* A name of --meetings or --about, as dossier.c resolves it: quotes
 * dropped, an entity's name or alias, else a phrase of the words. */
static void name(const char *text)
{
	char clean[200];
	size_t o = 0;
	for (const char *p = text; *p && o + 1 < sizeof clean; p++)
		if (*p != '"')
			clean[o++] = *p;
	clean[o] = '\0';
	if (dp_entities_find(ents, dp_fuzz_analyzer(), clean))
		return;
	dp_tokens *t = dp_tokens_new();
	DP_FUZZ_ASSERT(t != NULL);
	dp_error err;
	DP_FUZZ_ASSERT(dp_analyze(dp_fuzz_analyzer(), clean, strlen(clean), 1,
	                          DP_ANALYZE_QUERY, t, &err) == DP_OK);
	dp_tokens_free(t);
	char q[256];
	snprintf(q, sizeof q, "\"%s\"", clean);
	parse(q, 0, 0);
}

/* --since and --until: the text cut at the first "..". */
static void dates(const char *text)
{
	const char *dd = strstr(text, "..");
	char since[64] = "";
	const char *until = NULL;
	if (dd) {
		size_t l = (size_t)(dd - text);
		snprintf(since, sizeof since, "%.*s", (int)(l < 63 ? l : 63), text);
		until = dd + 2;
	}
	dp_qnode *n = NULL;
	dp_error err;
	dp_status st = dp_query_date_node(dd ? since : text, until, &n, &err);
	DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_SYNTAX
	               || st == DP_ERR_INVALID || st == DP_ERR_NOMEM);
	if (st == DP_OK)
		compile(n, 0);
	dp_qnode_free(n);
}

DP_FUZZ_ENTRY(query)
{
	setup();
	/* a string as the command line gives it: up to the first NUL */
	char *text = dp_fuzz_string(data, size);
	parse(text, 0, 0);
	parse(text, 0, 1);
	parse(text, 1, 0);
	if (strlen(text) < 128) {
		name(text);
		dates(text);
	}
	free(text);
	return 0;
}
