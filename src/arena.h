/* arena.h: bump allocation for strings that live and die together.
 * Blocks never move, so pointers stay valid until dp_arena_reset. */
#ifndef DEPECHE_ARENA_H
#define DEPECHE_ARENA_H

#include <stddef.h>

typedef struct dp_arena_block dp_arena_block;
typedef struct dp_arena {
	dp_arena_block *head;
	size_t total;          /* bytes held in blocks */
} dp_arena;

#define DP_ARENA_INIT {NULL, 0}

/* n bytes, aligned for any object; NULL when out of memory. */
void *dp_arena_alloc(dp_arena *a, size_t n);
/* Copy of s[0..n) with a NUL; NULL when out of memory. */
char *dp_arena_strndup(dp_arena *a, const char *s, size_t n);
/* Frees every block but one, which is emptied for reuse. */
void dp_arena_reset(dp_arena *a);
/* Frees everything. */
void dp_arena_release(dp_arena *a);

#endif
