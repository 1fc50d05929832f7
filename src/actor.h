/* actor.h: a person (or organisation) that --meetings and --about look
 * for: an entity of entities.yaml when one has that name or alias (every
 * spelling of it), else the name as given. */
#ifndef DEPECHE_ACTOR_H
#define DEPECHE_ACTOR_H

#include <stddef.h>

#include "depeche.h"
#include "entities.h"
#include "search.h"

typedef struct dp_actor {
	const dp_entity *entity;  /* or NULL */
	char text[200];           /* as given (quotes removed) */
	dp_strset marks;          /* names that show it in a sentence */
	dp_strset all;            /* every name word, to highlight */
} dp_actor;

/* Resolves arg; a text that is no entity must be a name (capitals). */
dp_status dp_actor_init(dp_searcher *s, dp_actor *a, const char *arg,
                        dp_error *err);
void dp_actor_release(dp_actor *a);
/* The query text that finds the actor: an entity by id (every
 * spelling), else the name as a phrase. */
size_t dp_actor_query(const dp_actor *a, char *out, size_t sz);
/* The actor's name for people: the entity's name, or the text. */
const char *dp_actor_name(const dp_actor *a);

#endif
