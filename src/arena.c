/* arena.c: bump allocation.  See arena.h. */
#include "autoconf.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct dp_arena_block {
	dp_arena_block *next;
	size_t used, size;
	alignas(max_align_t) char data[];
};

#define BLOCK_SIZE ((size_t)65536 - sizeof(dp_arena_block))
#define ALIGN (alignof(max_align_t))

void *dp_arena_alloc(dp_arena *a, size_t n)
{
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	dp_arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t sz = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		b = malloc(sizeof *b + sz);
		if (!b)
			return NULL;
		b->size = sz;
		b->used = 0;
		if (a->head && n > BLOCK_SIZE) {
			/* keep the current block in front: it has room */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		a->total += sz;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

char *dp_arena_strndup(dp_arena *a, const char *s, size_t n)
{
	char *p = dp_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void dp_arena_reset(dp_arena *a)
{
	dp_arena_block *b = a->head;
	if (!b)
		return;
	dp_arena_block *rest = b->next;
	b->next = NULL;
	b->used = 0;
	a->total = b->size;
	while (rest) {
		dp_arena_block *n = rest->next;
		free(rest);
		rest = n;
	}
}

void dp_arena_release(dp_arena *a)
{
	dp_arena_reset(a);
	free(a->head);
	a->head = NULL;
	a->total = 0;
}
