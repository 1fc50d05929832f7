/* entities.c: fuzzes the entities.yaml loader (aliases analysed as query
 * words), then looks every entity up by its name and spellings. */
#include "autoconf.h"

#include "entities.h"
#include "fuzz.h"

DP_FUZZ_ENTRY(entities)
{
	dp_analyzer *an = dp_fuzz_analyzer();
	dp_entities *e;
	dp_error err;
	dp_status st = dp_entities_load_string("fuzz.yaml", (const char *)data,
	                                       size, an, &e, &err);
	DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_CONFIG
	               || st == DP_ERR_NOMEM);
	if (st != DP_OK)
		return 0;
	for (size_t i = 0; i < dp_entities_count(e); i++) {
		const dp_entity *ent = dp_entities_get(e, i);
		(void)dp_entities_find(e, an, ent->name);
		(void)dp_entities_find(e, an, ent->id);
		for (size_t k = 0; k < ent->nv; k++) {
			const dp_entity *m;
			(void)dp_entities_match(e, ent->v[k].words, ent->v[k].n,
			                        &m);
			(void)dp_entities_find(e, an, ent->v[k].text);
		}
	}
	dp_entities_free(e);
	return 0;
}
