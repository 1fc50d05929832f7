/* pipeline.c: see pipeline.h.
 *
 * A ring of depth items.  Sequence numbers count items from the start:
 * [head, tail) are in flight, head the oldest (next to write); next_prep
 * is the next one a worker may take.  Each item goes FREE -> FILLED
 * (submitted) -> PREPARING (a worker has it) -> READY -> FREE (written).
 * Marks (PL_FILE_*) are READY when submitted. */
#include "autoconf.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "pipeline.h"

enum { S_FREE, S_TAKEN, S_FILLED, S_PREPARING, S_READY };

typedef struct worker {
	pipeline *p;
	pthread_t th;
	dp_analyzer *an;
	int started;
} worker;

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t work;    /* an item to prepare, or quit */
	pthread_cond_t ready;   /* an item became READY */
	pl_item *items;
	size_t depth;
	uint64_t head, tail, next_prep;
	int quit;
	worker *w;
	int nw;                 /* workers running */
	int wcap;               /* workers allocated */
	dp_analyzer *an;        /* with no worker */
	pl_write_fn write;
	void *ctx;
	dp_status st;           /* what stopped the writing */
};

static pl_item *at(pipeline *p, uint64_t seq)
{
	return &p->items[seq % p->depth];
}

static void prepare(pl_item *it, dp_analyzer *an)
{
	dp_error_clear(&it->err);
	it->st = dp_index_prepare(it->prep, an, it->d, it->file_key, &it->err);
}

static void *work(void *arg)
{
	worker *w = arg;
	pipeline *p = w->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* marks need no preparing */
		while (p->next_prep < p->tail
		       && at(p, p->next_prep)->state != S_FILLED)
			p->next_prep++;
		if (p->next_prep < p->tail) {
			pl_item *it = at(p, p->next_prep++);
			it->state = S_PREPARING;
			pthread_mutex_unlock(&p->mu);
			prepare(it, w->an);
			pthread_mutex_lock(&p->mu);
			it->state = S_READY;
			pthread_cond_broadcast(&p->ready);
			continue;
		}
		if (p->quit)
			break;
		pthread_cond_wait(&p->work, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

dp_status pl_new(int workers, size_t depth, pl_write_fn write, void *ctx,
                 pipeline **out, dp_error *err)
{
	*out = NULL;
	if (workers < 0)
		workers = 0;
	if (depth < 1)
		depth = 1;
	pipeline *p = calloc(1, sizeof *p);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	p->depth = depth;
	p->write = write;
	p->ctx = ctx;
	p->st = DP_OK;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->ready, NULL);
	dp_status st = DP_OK;
	p->items = calloc(depth, sizeof *p->items);
	p->w = workers ? calloc((size_t)workers, sizeof *p->w) : NULL;
	p->wcap = p->w ? workers : 0;
	if (!p->items || (workers && !p->w))
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t i = 0; st == DP_OK && i < depth; i++) {
		p->items[i].d = dp_dispatch_new();
		if (!p->items[i].d)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		else
			st = dp_prepared_new(&p->items[i].prep, err);
	}
	if (st == DP_OK && !workers)
		st = dp_analyzer_new(&p->an, err);
	for (int i = 0; st == DP_OK && i < workers; i++) {
		worker *w = &p->w[i];
		w->p = p;
		st = dp_analyzer_new(&w->an, err);
		if (st != DP_OK)
			break;
		int e = pthread_create(&w->th, NULL, work, w);
		if (e) {
			st = dp_error_set(err, DP_ERR_IO, "cannot start a thread: %s",
			                  strerror(e));
			break;
		}
		w->started = 1;
		p->nw = i + 1;
	}
	if (st != DP_OK) {
		pl_free(p);
		return st;
	}
	*out = p;
	return DP_OK;
}

/* Writes the oldest item, waiting for it to be ready. */
static void write_head(pipeline *p)
{
	pl_item *it = at(p, p->head);
	pthread_mutex_lock(&p->mu);
	while (it->state != S_READY)
		pthread_cond_wait(&p->ready, &p->mu);
	pthread_mutex_unlock(&p->mu);
	dp_status st = p->write(p->ctx, it, p->st != DP_OK);
	if (p->st == DP_OK && st != DP_OK)
		p->st = st;
	pthread_mutex_lock(&p->mu);
	it->state = S_FREE;
	p->head++;
	pthread_mutex_unlock(&p->mu);
}

pl_item *pl_take(pipeline *p)
{
	while (p->tail - p->head >= p->depth && p->st == DP_OK)
		write_head(p);
	if (p->st != DP_OK) {
		/* release everything in flight: nothing refers to what the
		 * caller attached to items any more */
		while (p->head < p->tail)
			write_head(p);
		return NULL;
	}
	pl_item *it = at(p, p->tail);
	it->state = S_TAKEN;
	it->kind = PL_DOC;
	it->file = NULL;
	it->file_key = NULL;
	it->st = DP_OK;
	dp_error_clear(&it->err);
	dp_dispatch_reset(it->d);
	return it;
}

void pl_untake(pipeline *p, pl_item *it)
{
	(void)p;
	it->state = S_FREE;
}

void pl_submit(pipeline *p, pl_item *it)
{
	if (it->kind == PL_DOC && !p->nw)
		prepare(it, p->an);
	pthread_mutex_lock(&p->mu);
	it->state = it->kind == PL_DOC && p->nw ? S_FILLED : S_READY;
	p->tail++;
	if (it->state == S_FILLED)
		pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

dp_status pl_drain(pipeline *p)
{
	while (p->head < p->tail)
		write_head(p);
	return p->st;
}

dp_status pl_status(const pipeline *p)
{
	return p->st;
}

void pl_free(pipeline *p)
{
	if (!p)
		return;
	/* what is in flight is released by the writer, as skipped */
	if (p->items) {
		if (p->st == DP_OK)
			p->st = DP_ERR_INVALID;  /* skip: nothing more is written */
		while (p->head < p->tail)
			write_head(p);
	}
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nw; i++)
		if (p->w[i].started)
			pthread_join(p->w[i].th, NULL);
	for (int i = 0; i < p->wcap; i++)
		dp_analyzer_free(p->w[i].an);
	dp_analyzer_free(p->an);
	if (p->items)
		for (size_t i = 0; i < p->depth; i++) {
			dp_dispatch_free(p->items[i].d);
			dp_prepared_free(p->items[i].prep);
		}
	free(p->items);
	free(p->w);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->ready);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
