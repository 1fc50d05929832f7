/* actor.c: the people --meetings and --about look for.  See actor.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "analyzer.h"

dp_status dp_actor_init(dp_searcher *s, dp_actor *a, const char *arg,
                        dp_error *err)
{
	memset(a, 0, sizeof *a);
	size_t o = 0;
	for (const char *p = arg; *p && o + 1 < sizeof a->text; p++)
		if (*p != '"')
			a->text[o++] = *p;
	a->text[o] = '\0';
	dp_analyzer *an = dp_searcher_analyzer(s);
	int short_before = dp_out_of_memory_seen();
	a->entity = dp_entities_find(dp_searcher_entities(s), an, a->text);
	/* not found for want of memory is not "not an entity" */
	if (!a->entity && !short_before && dp_out_of_memory_seen())
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	int fail = 0;
	if (a->entity) {
		for (size_t i = 0; i < a->entity->nv; i++) {
			const dp_variant *v = &a->entity->v[i];
			if (!v->names || !v->n)
				continue;
			fail |= dp_strset_add(&a->marks, v->words[v->n - 1]) < 0;
			for (size_t k = 0; k < v->n; k++)
				fail |= dp_strset_add(&a->all, v->words[k]) < 0;
		}
	} else {
		dp_tokens *t = dp_tokens_new();
		if (!t)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		dp_status st = dp_analyze(an, a->text, strlen(a->text), 1,
		                          DP_ANALYZE_QUERY, t, err);
		size_t n = dp_tokens_count(t), caps = 0;
		for (size_t i = 0; i < n; i++)
			if (dp_tokens_get(t, i)->flags & DP_TOK_CAP)
				caps++;
		if (st == DP_OK && caps == 0)
			st = dp_error_set(err, DP_ERR_INVALID,
			                  "'%s' is not a name (write names with "
			                  "capitals, e.g. 'Kim Jong Un')", arg);
		for (size_t i = 0; st == DP_OK && i < n; i++) {
			const dp_token *k = dp_tokens_get(t, i);
			fail |= dp_strset_add(&a->all, k->word) < 0;
			if (i == n - 1)
				fail |= dp_strset_add(&a->marks, k->word) < 0;
		}
		dp_tokens_free(t);
		if (st != DP_OK)
			return st;
	}
	if (fail)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	return DP_OK;
}

void dp_actor_release(dp_actor *a)
{
	dp_strset_release(&a->marks);
	dp_strset_release(&a->all);
}

size_t dp_actor_query(const dp_actor *a, char *out, size_t sz)
{
	if (a->entity)
		return (size_t)snprintf(out, sz, "entity:%s", a->entity->id);
	return (size_t)snprintf(out, sz, "\"%s\"", a->text);
}

const char *dp_actor_name(const dp_actor *a)
{
	return a->entity ? a->entity->name : a->text;
}
