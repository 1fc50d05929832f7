/* jsonmem.c: see jsonmem.h. */
#include "autoconf.h"

#include <errno.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "jsonmem.h"

/* Enough for jansson to finish one record of the largest size
 * (max_record) is not needed: once a failure is noted the parse is
 * thrown away; the reserve only has to carry it to its end. */
#define RESERVE ((size_t)4 << 20)

static char *reserve;
static atomic_size_t used;
static atomic_int failed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *jm_malloc(size_t n)
{
	void *p = malloc(n);
	if (p)
		return p;
	atomic_store(&failed, 1);
	size_t a = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	size_t at = atomic_fetch_add(&used, a);
	if (reserve && at + a <= RESERVE)
		return reserve + at;
	static const char m[] = "out of memory (JSON parser)\n";
	if (write(2, m, sizeof m - 1) < 0) {
		/* nothing more to say */
	}
	_exit(71);
}

static void jm_free(void *p)
{
	/* memory of the reserve is never given back */
	if (p && reserve && (char *)p >= reserve && (char *)p < reserve + RESERVE)
		return;
	free(p);
}

static void init(void)
{
	reserve = malloc(RESERVE);
	json_set_alloc_funcs(jm_malloc, jm_free);
}

void dp_json_init(void)
{
	pthread_once(&once, init);
}

int dp_json_out_of_memory(void)
{
	return atomic_exchange(&failed, 0);
}
