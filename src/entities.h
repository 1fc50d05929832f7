/* entities.h: people, organisations and places known by name, from
 * entities.yaml (depeche-search(1), ENTITIES).
 *
 * Each entity has a name, spelling variants (aliases) and a description.
 * Variants are analysed like query words; a variant made of capitalised
 * words is a name phrase (XN: terms), matched against names in the text.
 * Everything is used at search time — query expansion, facets, dossiers —
 * so a change of aliases needs no re-index. */
#ifndef DEPECHE_ENTITIES_H
#define DEPECHE_ENTITIES_H

#include <stddef.h>

#include "analyzer.h"
#include "depeche.h"

typedef enum dp_entity_kind {
	DP_ENT_PERSON,
	DP_ENT_ORG,
	DP_ENT_PLACE,
} dp_entity_kind;

typedef struct dp_variant {
	const char *text;       /* as written in the file */
	const char **words;     /* folded words ("serguei", "lavrov") */
	const char **stems;     /* their terms (stems) */
	const char **pstems;    /* the terms their positions are under
	                           (dp_token_position_term) */
	size_t n;
	int names;              /* every word capitalised: a name phrase */
	unsigned line, col;     /* where it is written */
} dp_variant;

typedef struct dp_entity {
	const char *id;
	const char *name;
	const char *description;   /* or NULL */
	dp_entity_kind kind;
	dp_variant *v;             /* v[0] is the name itself */
	size_t nv;
	unsigned line;
} dp_entity;

typedef struct dp_entities dp_entities;

/* Loads entities from a YAML file or from memory (name for messages);
 * errors are "file:line:col: ...".  The analyzer is used while loading
 * only. */
dp_status dp_entities_load(const char *path, dp_analyzer *an,
                           dp_entities **out, dp_error *err);
dp_status dp_entities_load_string(const char *name, const char *text,
                                  size_t len, dp_analyzer *an,
                                  dp_entities **out, dp_error *err);
/* The entities shipped in config/entities.yaml, built in. */
dp_status dp_entities_builtin(dp_analyzer *an, dp_entities **out,
                              dp_error *err);
void dp_entities_free(dp_entities *e);

size_t dp_entities_count(const dp_entities *e);
const dp_entity *dp_entities_get(const dp_entities *e, size_t i);
const char *dp_entities_file(const dp_entities *e);

/* The longest variant that the folded words w[0..n) begin with: returns
 * the number of words it takes (0 when none) and the entity in *ent. */
size_t dp_entities_match(const dp_entities *e, const char *const *w,
                         size_t n, const dp_entity **ent);

/* The entity whose name, alias or id is exactly text (case, accents and
 * punctuation aside), or NULL (also when out of memory: then
 * dp_out_of_memory_seen() becomes true). */
const dp_entity *dp_entities_find(const dp_entities *e, dp_analyzer *an,
                                  const char *text);

const char *dp_entity_kind_name(dp_entity_kind k);

#endif
