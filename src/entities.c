/* entities.c: entities.yaml.  See entities.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "entities.h"
#include "yamltree.h"

/* the shipped config/entities.yaml (builtin-config.c, generated) */
extern const char dp_builtin_entities_yaml[];

struct dp_entities {
	dp_entity *e;
	size_t n;
	char *file;
	dp_arena mem;
	/* variants by first word: open addressing over (entity, variant) */
	struct vref {
		const char *first;
		uint32_t ent, var;
	} *idx;
	size_t idx_cap;
};

const char *dp_entity_kind_name(dp_entity_kind k)
{
	switch (k) {
	case DP_ENT_PERSON: return "person";
	case DP_ENT_ORG: return "organisation";
	case DP_ENT_PLACE: return "place";
	}
	return "?";
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

void dp_entities_free(dp_entities *e)
{
	if (!e)
		return;
	free(e->e);
	free(e->idx);
	free(e->file);
	dp_arena_release(&e->mem);
	free(e);
}

size_t dp_entities_count(const dp_entities *e)
{
	return e ? e->n : 0;
}

const dp_entity *dp_entities_get(const dp_entities *e, size_t i)
{
	return e && i < e->n ? &e->e[i] : NULL;
}

const char *dp_entities_file(const dp_entities *e)
{
	return e->file;
}

/* Analyses a variant into its words and stems. */
static dp_status analyse_variant(dp_entities *es, dp_analyzer *an,
                                 dp_tokens *toks, const char *text,
                                 dp_variant *v, dp_error *err)
{
	dp_tokens_reset(toks);
	dp_status st = dp_analyze(an, text, strlen(text), 1, DP_ANALYZE_QUERY,
	                          toks, err);
	if (st != DP_OK)
		return st;
	size_t n = dp_tokens_count(toks);
	v->text = dp_arena_strndup(&es->mem, text, strlen(text));
	v->words = dp_arena_alloc(&es->mem, (n ? n : 1) * sizeof *v->words);
	v->stems = dp_arena_alloc(&es->mem, (n ? n : 1) * sizeof *v->stems);
	v->pstems = dp_arena_alloc(&es->mem, (n ? n : 1) * sizeof *v->pstems);
	if (!v->text || !v->words || !v->stems || !v->pstems)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	v->n = n;
	v->names = n > 0;
	for (size_t i = 0; i < n; i++) {
		const dp_token *t = dp_tokens_get(toks, i);
		const char *w = t->name ? t->name : t->word;
		v->words[i] = dp_arena_strndup(&es->mem, w, strlen(w));
		v->stems[i] = dp_arena_strndup(&es->mem, t->term, strlen(t->term));
		const char *pt = dp_token_position_term(t);
		v->pstems[i] = pt == t->term ? v->stems[i]
		               : dp_arena_strndup(&es->mem, pt, strlen(pt));
		if (!v->words[i] || !v->stems[i] || !v->pstems[i])
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		if (!(t->flags & DP_TOK_CAP))
			v->names = 0;
	}
	return DP_OK;
}

static int same_words(const dp_variant *a, const dp_variant *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->words[i], b->words[i]))
			return 0;
	return 1;
}

/* Builds the first-word index and refuses a spelling given to two
 * entities. */
static dp_status build_index(dp_entities *es, const dp_yaml *y,
                             dp_error *err)
{
	size_t total = 0;
	for (size_t i = 0; i < es->n; i++)
		total += es->e[i].nv;
	es->idx_cap = 16;
	while (es->idx_cap < total * 2)
		es->idx_cap *= 2;
	es->idx = calloc(es->idx_cap, sizeof *es->idx);
	if (!es->idx)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (uint32_t i = 0; i < es->n; i++) {
		for (uint32_t k = 0; k < es->e[i].nv; k++) {
			const dp_variant *v = &es->e[i].v[k];
			if (v->n == 0)
				continue;
			size_t j = hash_str(v->words[0]) & (es->idx_cap - 1);
			while (es->idx[j].first) {
				const struct vref *r = &es->idx[j];
				const dp_variant *o = &es->e[r->ent].v[r->var];
				if (r->ent != i && same_words(o, v)) {
					char where[64];
					snprintf(where, sizeof where, "%s",
					         es->e[r->ent].name);
					dp_error_set(err, DP_ERR_CONFIG,
					             "%s:%u:%u: '%s' already names '%s' "
					             "(line %u)", y ? y->file : es->file,
					             v->line, v->col, v->text, where,
					             o->line);
					return DP_ERR_CONFIG;
				}
				j = (j + 1) & (es->idx_cap - 1);
			}
			es->idx[j].first = v->words[0];
			es->idx[j].ent = i;
			es->idx[j].var = k;
		}
	}
	return DP_OK;
}

size_t dp_entities_match(const dp_entities *es, const char *const *w,
                         size_t n, const dp_entity **ent)
{
	*ent = NULL;
	if (!es || !es->idx || n == 0)
		return 0;
	size_t best = 0;
	size_t j = hash_str(w[0]) & (es->idx_cap - 1);
	while (es->idx[j].first) {
		const struct vref *r = &es->idx[j];
		const dp_variant *v = &es->e[r->ent].v[r->var];
		if (v->n <= n && v->n > best) {
			size_t k = 0;
			while (k < v->n && !strcmp(v->words[k], w[k]))
				k++;
			if (k == v->n) {
				best = v->n;
				*ent = &es->e[r->ent];
			}
		}
		j = (j + 1) & (es->idx_cap - 1);
	}
	return best;
}

const dp_entity *dp_entities_find(const dp_entities *es, dp_analyzer *an,
                                  const char *text)
{
	if (!es)
		return NULL;
	for (size_t i = 0; i < es->n; i++)
		if (!strcmp(es->e[i].id, text))
			return &es->e[i];
	dp_tokens *t = dp_tokens_new();
	if (!t) {
		dp_out_of_memory_note();   /* callers can tell (dossier.c) */
		return NULL;
	}
	const dp_entity *found = NULL;
	if (dp_analyze(an, text, strlen(text), 1, DP_ANALYZE_QUERY, t, NULL)
	    == DP_OK) {
		size_t n = dp_tokens_count(t);
		const char **w = calloc(n ? n : 1, sizeof *w);
		if (w) {
			for (size_t i = 0; i < n; i++) {
				const dp_token *k = dp_tokens_get(t, i);
				w[i] = k->name ? k->name : k->word;
			}
			if (dp_entities_match(es, w, n, &found) != n)
				found = NULL;
			free(w);
		} else {
			dp_out_of_memory_note();
		}
	}
	dp_tokens_free(t);
	return found;
}

/* "Sergueï Lavrov" -> "sergei-lavrov"-like ids: folded words and
 * hyphens. */
static const char *make_id(dp_entities *es, const dp_variant *v)
{
	size_t len = 0;
	for (size_t i = 0; i < v->n; i++)
		len += strlen(v->words[i]) + 1;
	char *id = dp_arena_alloc(&es->mem, len + 1);
	if (!id)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			id[o++] = '-';
		for (const char *p = v->words[i]; *p; p++)
			id[o++] = *p == '\'' ? '-' : *p;
	}
	id[o] = '\0';
	return id;
}

static dp_status load_tree(dp_entities *es, const dp_yaml *y,
                           dp_analyzer *an, dp_error *err)
{
	static const char *const top[] = {"people", "organisations", "places",
	                                  NULL};
	static const char *const keys[] = {"id", "name", "aliases",
	                                   "description", NULL};
	static const dp_entity_kind kinds[] = {DP_ENT_PERSON, DP_ENT_ORG,
	                                       DP_ENT_PLACE};
	if (!y->root)
		return DP_OK; /* an empty file: no entities */
	dp_status st = dp_yaml_check_keys(y, y->root, "entities", top, err);
	if (st != DP_OK)
		return st;
	size_t total = 0;
	for (size_t s = 0; s < 3; s++) {
		const dp_ynode *list = dp_yaml_get(y->root, top[s]);
		if (!list)
			continue;
		if ((st = dp_yaml_expect(y, list, DP_Y_SEQ, top[s], err)))
			return st;
		total += list->n;
	}
	es->e = calloc(total ? total : 1, sizeof *es->e);
	if (!es->e)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_tokens *toks = dp_tokens_new();
	if (!toks)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t s = 0; st == DP_OK && s < 3; s++) {
		const dp_ynode *list = dp_yaml_get(y->root, top[s]);
		for (size_t i = 0; list && st == DP_OK && i < list->n; i++) {
			const dp_ynode *m = list->items[i];
			char what[64];
			snprintf(what, sizeof what, "%s[%zu]", top[s], i + 1);
			if ((st = dp_yaml_check_keys(y, m, what, keys, err)))
				break;
			dp_entity *e = &es->e[es->n];
			e->kind = kinds[s];
			e->line = m->line;
			const dp_ynode *name = dp_yaml_get(m, "name");
			if (!name) {
				st = dp_yaml_error(y, m, err, "%s has no 'name'", what);
				break;
			}
			const char *nm;
			if ((st = dp_yaml_string(y, name, "name", &nm, err)))
				break;
			const dp_ynode *al = dp_yaml_get(m, "aliases");
			if (al && (st = dp_yaml_expect(y, al, DP_Y_SEQ, "aliases",
			                               err)))
				break;
			e->nv = 1 + (al ? al->n : 0);
			e->v = dp_arena_alloc(&es->mem, e->nv * sizeof *e->v);
			if (!e->v) {
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
				break;
			}
			memset(e->v, 0, e->nv * sizeof *e->v);
			e->name = dp_arena_strndup(&es->mem, nm, strlen(nm));
			st = analyse_variant(es, an, toks, nm, &e->v[0], err);
			e->v[0].line = name->line;
			e->v[0].col = name->col;
			if (st == DP_OK && e->v[0].n == 0)
				st = dp_yaml_error(y, name, err, "'name' has no word");
			for (size_t k = 0; st == DP_OK && al && k < al->n; k++) {
				const char *a;
				if ((st = dp_yaml_string(y, al->items[k], "aliases", &a,
				                         err)))
					break;
				st = analyse_variant(es, an, toks, a, &e->v[1 + k], err);
				e->v[1 + k].line = al->items[k]->line;
				e->v[1 + k].col = al->items[k]->col;
				if (st == DP_OK && e->v[1 + k].n == 0)
					st = dp_yaml_error(y, al->items[k], err,
					                   "an alias has no word");
			}
			const dp_ynode *d = dp_yaml_get(m, "description");
			if (st == DP_OK && d) {
				const char *ds;
				if ((st = dp_yaml_string(y, d, "description", &ds, err)))
					break;
				if (*ds)
					e->description = dp_arena_strndup(&es->mem, ds,
					                                  strlen(ds));
			}
			const dp_ynode *idn = dp_yaml_get(m, "id");
			if (st == DP_OK && idn) {
				const char *ids;
				if ((st = dp_yaml_string(y, idn, "id", &ids, err)))
					break;
				e->id = dp_arena_strndup(&es->mem, ids, strlen(ids));
			} else if (st == DP_OK) {
				e->id = make_id(es, &e->v[0]);
			}
			if (st == DP_OK && (!e->name || !e->id))
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			for (size_t k = 0; st == DP_OK && k < es->n; k++)
				if (!strcmp(es->e[k].id, e->id))
					st = dp_yaml_error(y, m, err,
					                   "id '%s' is already used (line "
					                   "%u)", e->id, es->e[k].line);
			if (st == DP_OK)
				es->n++;
		}
	}
	dp_tokens_free(toks);
	if (st == DP_OK)
		st = build_index(es, y, err);
	return st;
}

dp_status dp_entities_load_string(const char *name, const char *text,
                                  size_t len, dp_analyzer *an,
                                  dp_entities **out, dp_error *err)
{
	*out = NULL;
	dp_yaml *y;
	dp_status st = dp_yaml_load_string(name, text, len, &y, err);
	if (st != DP_OK)
		return st;
	dp_entities *es = calloc(1, sizeof *es);
	if (!es || !(es->file = strdup(name))) {
		free(es);
		dp_yaml_free(y);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	st = load_tree(es, y, an, err);
	dp_yaml_free(y);
	if (st != DP_OK) {
		dp_entities_free(es);
		return st;
	}
	*out = es;
	return DP_OK;
}

dp_status dp_entities_load(const char *path, dp_analyzer *an,
                           dp_entities **out, dp_error *err)
{
	*out = NULL;
	dp_yaml *y;
	dp_status st = dp_yaml_load_file(path, &y, err);
	if (st != DP_OK)
		return st;
	dp_entities *es = calloc(1, sizeof *es);
	if (!es || !(es->file = strdup(path))) {
		free(es);
		dp_yaml_free(y);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	st = load_tree(es, y, an, err);
	dp_yaml_free(y);
	if (st != DP_OK) {
		dp_entities_free(es);
		return st;
	}
	*out = es;
	return DP_OK;
}

dp_status dp_entities_builtin(dp_analyzer *an, dp_entities **out,
                              dp_error *err)
{
	dp_status st = dp_entities_load_string(
	    "built-in entities", dp_builtin_entities_yaml,
	    strlen(dp_builtin_entities_yaml), an, out, err);
	return st;
}
