/* writers.c: see writers.h.
 *
 * Each writer has a ring of depth slots, [head, tail) queued; the
 * coordinator fills at tail and waits for room, the writer takes at
 * head.  Tasks (commit, look-ups, actions, close) are slots too, so
 * that they run after everything queued before them; the coordinator
 * posts one to every writer and waits until all are done.  A writer that
 * failed keeps taking slots (skipping them), so that nobody waits for
 * it forever. */
#include "autoconf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shards.h"
#include "writers.h"

enum { M_DOC, M_BEGIN, M_END, M_TASK };
enum { T_OPEN, T_COMMIT, T_LOOKUP, T_APPLY, T_DONE, T_CLOSE, T_QUIT };

typedef struct slot {
	int kind;
	int task;
	dp_dispatch *d;
	dp_prepared *prep;
	const char *path;
	unsigned line;
	uint64_t seq;
} slot;

/* An action of the story rule across shards. */
typedef struct action {
	int drop;             /* else add files */
	char shard[16];
	const char *idterm;
	char *keys;           /* add: 16 chars each */
	size_t nkeys;
	uint32_t version;     /* add: a kill's tombstone takes it (0: no) */
} action;

typedef struct writer {
	struct wr_pool *p;
	int id;
	pthread_t th;
	int started;
	pthread_cond_t more, space;
	slot *q;
	uint64_t head, tail;
	dp_index *ix;
	dp_status st;
	dp_error err;
	wr_counts c;
	/* sync: this batch's ids, the copies found, the actions */
	const char *const *tids;
	size_t ntids;
	dp_copy *copies;
	size_t ncopies, capcopies;
	size_t *start;        /* copies of ids[i]: [start[i], start[i+1]) */
	action *acts;
	size_t nacts, capacts;
	wr_shard *shards;
	size_t nshards;
} writer;

struct wr_pool {
	pthread_mutex_t mu;
	pthread_cond_t donecv;
	int n;
	size_t depth;
	writer *w;
	int done;             /* writers done with the task posted */
	char *db;
	dp_index_opts opts;
	wr_say_fn say;
	long skew_us;         /* tests: writer i lags (n-1-i) * skew */
	struct {
		int64_t added, updated, unchanged, older, killed;
	} adj;                /* counts changed by the story rule */
	/* sync: the ids of the batch, from every writer */
	const char **ids;
	size_t nids, capids;
};

static void fail(writer *w, dp_status st, const dp_error *e)
{
	pthread_mutex_lock(&w->p->mu);
	if (w->st == DP_OK) {
		w->st = st;
		w->err = *e;
	}
	pthread_mutex_unlock(&w->p->mu);
}

static void run_doc(writer *w, slot *s)
{
	dp_error err = {0};
	dp_add_result res = DP_ADD_NEW;
	dp_index_set_seq(w->ix, s->seq);
	dp_status st = dp_index_put(w->ix, s->prep, &res, &err);
	if (st == DP_ERR_FORMAT) {
		pthread_mutex_lock(&w->p->mu);
		char msg[2048];
		snprintf(msg, sizeof msg, "%.900s:%u: %.1000s", s->path, s->line,
		         err.msg);
		w->p->say(msg);
		pthread_mutex_unlock(&w->p->mu);
		w->c.failed++;
		return;
	}
	if (st != DP_OK) {
		dp_error e2 = {0};
		snprintf(e2.msg, sizeof e2.msg, "%.300s:%u: %.600s", s->path,
		         s->line, err.msg);
		fail(w, st, &e2);
		return;
	}
	switch (res) {
	case DP_ADD_NEW: w->c.added++; break;
	case DP_ADD_UPDATED: w->c.updated++; break;
	case DP_ADD_UNCHANGED: w->c.unchanged++; break;
	case DP_ADD_OLDER: w->c.older++; break;
	case DP_ADD_KILLED: w->c.killed++; break;
	}
}

static void free_copies(writer *w)
{
	for (size_t i = 0; i < w->ncopies; i++)
		free(w->copies[i].others);
	w->ncopies = 0;
	for (size_t i = 0; i < w->nacts; i++)
		free(w->acts[i].keys);
	w->nacts = 0;
}

static void run_task(writer *w, int task)
{
	dp_error err = {0};
	dp_status st = DP_OK;
	wr_pool *p = w->p;
	switch (task) {
	case T_OPEN: {
		dp_index_opts o = p->opts;
		o.role = DP_ROLE_PART;
		o.part = w->id;
		o.nparts = p->n;
		st = dp_index_open(p->db, &o, &w->ix, &err);
		break;
	}
	case T_COMMIT:
		st = dp_index_commit(w->ix, &err);
		if (st == DP_OK)
			st = dp_index_touched(w->ix, &w->tids, &w->ntids, &err);
		break;
	case T_LOOKUP:
		free_copies(w);
		free(w->start);
		w->start = malloc((p->nids + 1) * sizeof *w->start);
		if (!w->start) {
			st = dp_error_set(&err, DP_ERR_NOMEM, "out of memory");
			break;
		}
		for (size_t i = 0; st == DP_OK && i < p->nids; i++) {
			w->start[i] = w->ncopies;
			st = dp_index_lookup(w->ix, p->ids[i], &w->copies,
			                     &w->ncopies, &w->capcopies, &err);
		}
		w->start[p->nids] = w->ncopies;
		break;
	case T_APPLY:
		/* files first, then drops: a crash between them leaves two
		 * copies (resolved when the file is read again), never none */
		for (size_t i = 0; st == DP_OK && i < w->nacts; i++) {
			if (w->acts[i].drop)
				continue;
			st = dp_index_add_files(w->ix, w->acts[i].shard,
			                        w->acts[i].idterm, w->acts[i].keys,
			                        w->acts[i].nkeys, &err);
			if (st == DP_OK && w->acts[i].version)
				st = dp_index_raise_version(w->ix, w->acts[i].shard,
				                            w->acts[i].idterm,
				                            w->acts[i].version,
				                            &err);
		}
		if (st == DP_OK)
			st = dp_index_commit(w->ix, &err);
		for (size_t i = 0; st == DP_OK && i < w->nacts; i++)
			if (w->acts[i].drop) {
				st = dp_index_drop_copy(w->ix, w->acts[i].shard,
				                        w->acts[i].idterm, &err);
			}
		if (st == DP_OK)
			st = dp_index_commit(w->ix, &err);
		break;
	case T_DONE:
		free_copies(w);
		w->tids = NULL;
		w->ntids = 0;
		dp_index_batch_done(w->ix);
		break;
	case T_CLOSE: {
		size_t n = dp_index_nshards(w->ix);
		w->shards = n ? calloc(n, sizeof *w->shards) : NULL;
		if (n && !w->shards) {
			st = dp_error_set(&err, DP_ERR_NOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < n; k++) {
			snprintf(w->shards[k].name, sizeof w->shards[k].name, "%s",
			         dp_index_shard_name(w->ix, k));
			w->shards[k].writes = dp_index_shard_writes(w->ix, k);
		}
		w->nshards = n;
		st = dp_index_close(w->ix, &err);
		dp_index_free(w->ix);
		w->ix = NULL;
		break;
	}
	}
	if (st != DP_OK)
		fail(w, st, &err);
}

static void *work(void *arg)
{
	writer *w = arg;
	wr_pool *p = w->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (w->head == w->tail)
			pthread_cond_wait(&w->more, &p->mu);
		slot *s = &w->q[w->head % p->depth];
		int quit = s->kind == M_TASK && s->task == T_QUIT;
		pthread_mutex_unlock(&p->mu);
		if (quit) {
			/* the objects die in the thread they were born in */
			dp_index_free(w->ix);
			w->ix = NULL;
		} else if (w->st != DP_OK && !(s->kind == M_TASK
		                               && s->task == T_DONE && w->ix)) {
			/* failed: skip */
		} else if (s->kind == M_DOC) {
			if (p->skew_us)
				nanosleep(&(struct timespec){0, p->skew_us * 1000L
				          * (p->n - 1 - w->id)}, NULL);
			run_doc(w, s);
		} else if (s->kind == M_BEGIN) {
			dp_error err = {0};
			dp_status st = dp_index_file_begin(w->ix, s->path, &err);
			if (st != DP_OK)
				fail(w, st, &err);
		} else if (s->kind == M_END) {
			dp_error err = {0};
			uint32_t removed = 0;
			dp_status st = dp_index_file_end(w->ix, &removed, &err);
			if (st != DP_OK)
				fail(w, st, &err);
			w->c.removed += removed;
		} else {
			run_task(w, s->task);
		}
		pthread_mutex_lock(&p->mu);
		w->head++;
		pthread_cond_signal(&w->space);
		if (s->kind == M_TASK) {
			p->done++;
			pthread_cond_broadcast(&p->donecv);
		}
		if (quit)
			break;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* A free slot of w, waiting for room (under the lock). */
static slot *room(wr_pool *p, writer *w)
{
	while (w->tail - w->head >= p->depth)
		pthread_cond_wait(&w->space, &p->mu);
	return &w->q[w->tail % p->depth];
}

static void push(wr_pool *p, writer *w)
{
	w->tail++;
	pthread_cond_signal(&w->more);
}

/* The first error of the writers into err (under the lock). */
static dp_status first_error(wr_pool *p, dp_error *err)
{
	for (int i = 0; i < p->n; i++)
		if (p->w[i].st != DP_OK) {
			*err = p->w[i].err;
			return p->w[i].st;
		}
	return DP_OK;
}

/* Posts task to every writer and waits until all have run it. */
static dp_status post_all(wr_pool *p, int task, dp_error *err)
{
	pthread_mutex_lock(&p->mu);
	p->done = 0;
	for (int i = 0; i < p->n; i++) {
		if (!p->w[i].started) {
			p->done++;
			continue;
		}
		slot *s = room(p, &p->w[i]);
		s->kind = M_TASK;
		s->task = task;
		push(p, &p->w[i]);
	}
	while (p->done < p->n)
		pthread_cond_wait(&p->donecv, &p->mu);
	dp_status st = first_error(p, err);
	pthread_mutex_unlock(&p->mu);
	return st;
}

dp_status wr_new(int n, const char *db, int kind, const dp_index_opts *opts,
                 size_t depth, wr_say_fn say, wr_pool **out, dp_error *err)
{
	*out = NULL;
	wr_pool *p = calloc(1, sizeof *p);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->donecv, NULL);
	p->n = n;
	p->depth = depth < 2 ? 2 : depth;
	p->say = say;
	p->opts = *opts;
	p->opts.shards = kind;
	p->opts.create = 0;
	const char *skew = getenv("DEPECHE_TEST_WRITERS_SKEW");
	if (skew)
		p->skew_us = strtol(skew, NULL, 10);
	p->db = strdup(db);
	p->w = calloc((size_t)n, sizeof *p->w);
	dp_status st = DP_OK;
	if (!p->db || !p->w)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (int i = 0; st == DP_OK && i < n; i++) {
		writer *w = &p->w[i];
		w->p = p;
		w->id = i;
		w->st = DP_OK;
		pthread_cond_init(&w->more, NULL);
		pthread_cond_init(&w->space, NULL);
		w->q = calloc(p->depth, sizeof *w->q);
		if (!w->q) {
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; st == DP_OK && k < p->depth; k++) {
			w->q[k].d = dp_dispatch_new();
			if (!w->q[k].d)
				st = dp_error_set(err, DP_ERR_NOMEM,
				                  "out of memory");
			else
				st = dp_prepared_new(&w->q[k].prep, err);
		}
		if (st != DP_OK)
			break;
		int e = pthread_create(&w->th, NULL, work, w);
		if (e) {
			st = dp_error_set(err, DP_ERR_IO,
			                  "cannot start a thread: %s", strerror(e));
			break;
		}
		w->started = 1;
	}
	if (st == DP_OK)
		st = post_all(p, T_OPEN, err);
	if (st != DP_OK) {
		wr_free(p);
		return st;
	}
	*out = p;
	return DP_OK;
}

dp_status wr_put(wr_pool *p, int w, pl_item *it, const char *path,
                 uint64_t seq, dp_error *err)
{
	writer *wr = &p->w[w];
	pthread_mutex_lock(&p->mu);
	dp_status st = first_error(p, err);
	if (st == DP_OK) {
		slot *s = room(p, wr);
		s->kind = M_DOC;
		dp_dispatch *d = s->d;
		dp_prepared *b = s->prep;
		s->d = it->d;
		s->prep = it->prep;
		it->d = d;
		it->prep = b;
		s->path = path;
		s->line = s->d->line;
		s->seq = seq;
		push(p, wr);
	}
	pthread_mutex_unlock(&p->mu);
	return st;
}

static dp_status post_mark(wr_pool *p, int kind, const char *path,
                           dp_error *err)
{
	pthread_mutex_lock(&p->mu);
	dp_status st = first_error(p, err);
	for (int i = 0; st == DP_OK && i < p->n; i++) {
		slot *s = room(p, &p->w[i]);
		s->kind = kind;
		s->path = path;
		push(p, &p->w[i]);
	}
	pthread_mutex_unlock(&p->mu);
	return st;
}

dp_status wr_file_begin(wr_pool *p, const char *path, dp_error *err)
{
	return post_mark(p, M_BEGIN, path, err);
}

dp_status wr_file_end(wr_pool *p, dp_error *err)
{
	return post_mark(p, M_END, NULL, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A point of the fold that counts (resolve_id). */
typedef struct ev {
	uint64_t seq;
	const dp_copy *c;
	int real;             /* a put of this batch, not the copy before */
} ev;

static int cmp_ev(const void *a, const void *b)
{
	const ev *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->c->shard, y->c->shard);
}

/* The story rule for ids[i]: the copies every writer found, the winner,
 * and the actions for the writers that own them.  Returns DP_OK or
 * DP_ERR_NOMEM. */
static dp_status resolve_id(wr_pool *p, size_t i, dp_copy **tmp,
                            size_t *cap, int *acted, dp_error *err)
{
	size_t n = 0;
	for (int k = 0; k < p->n; k++)
		n += p->w[k].start[i + 1] - p->w[k].start[i];
	if (n < 2)
		return DP_OK;
	if (n > *cap) {
		dp_copy *nv = realloc(*tmp, n * sizeof *nv);
		if (!nv)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		*tmp = nv;
		*cap = n;
	}
	n = 0;
	for (int k = 0; k < p->n; k++)
		for (size_t j = p->w[k].start[i]; j < p->w[k].start[i + 1]; j++)
			(*tmp)[n++] = p->w[k].copies[j];
	int *won = malloc(n * sizeof *won);
	if (!won)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	size_t win = dp_copies_resolve(*tmp, n, won);
	dp_copy *wc = &(*tmp)[win];
	/* the losers' files become the winner's other files */
	size_t nk = 0;
	for (size_t j = 0; j < n; j++)
		if (j != win)
			nk += 1 + (*tmp)[j].nothers;
	char *keys = malloc(nk * 16 + 1);
	if (!keys) {
		free(won);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	nk = 0;
	for (size_t j = 0; j < n; j++) {
		dp_copy *c = &(*tmp)[j];
		if (j == win)
			continue;
		if (c->origin[0] && strcmp(c->origin, wc->origin) != 0)
			memcpy(keys + 16 * nk++, c->origin, 16);
		for (size_t m = 0; m < c->nothers; m++)
			if (memcmp(c->others + 16 * m, wc->origin, 16) != 0)
				memcpy(keys + 16 * nk++, c->others + 16 * m, 16);
		writer *ow = &p->w[dp_shards_owner(c->shard, p->n)];
		if (ow->nacts == ow->capacts) {
			size_t nc = ow->capacts ? ow->capacts * 2 : 16;
			action *na = realloc(ow->acts, nc * sizeof *na);
			if (!na) {
				free(keys);
				free(won);
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "out of memory");
			}
			ow->acts = na;
			ow->capacts = nc;
		}
		ow->acts[ow->nacts++] = (action){1, {0}, p->ids[i], NULL, 0, 0};
		memcpy(ow->acts[ow->nacts - 1].shard, c->shard, 16);
	}
	writer *ww = &p->w[dp_shards_owner(wc->shard, p->n)];
	if (ww->nacts == ww->capacts) {
		size_t nc = ww->capacts ? ww->capacts * 2 : 16;
		action *na = realloc(ww->acts, nc * sizeof *na);
		if (!na) {
			free(keys);
			free(won);
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		ww->acts = na;
		ww->capacts = nc;
	}
	/* a kill that wins keeps the highest version seen, as one writer's
	 * tombstone does */
	uint32_t maxv = 0;
	for (size_t j = 0; j < n; j++)
		if ((*tmp)[j].version > maxv)
			maxv = (*tmp)[j].version;
	ww->acts[ww->nacts++] = (action){0, {0}, p->ids[i], keys, nk,
	                                 wc->killed && maxv > wc->version
	                                 ? maxv : 0};
	memcpy(ww->acts[ww->nacts - 1].shard, wc->shard, 16);
	*acted = 1;
	/* the counts one writer would have given: the copies there before
	 * the batch first, then each put that wrote or found its copy, in
	 * order; one that replaced what was kept is an update, one that
	 * lost an older version, instead of a dispatch added to its shard */
	ev *e = malloc(2 * n * sizeof *e);
	if (!e) {
		free(won);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	size_t ne = 0;
	for (size_t j = 0; j < n; j++) {
		dp_copy *c = &(*tmp)[j];
		if (c->pre)
			e[ne++] = (ev){0, c, 0};
		if (c->seq)
			e[ne++] = (ev){c->seq, c, 1};
	}
	qsort(e, ne, sizeof *e, cmp_ev);
	const dp_copy *kept = NULL;
	for (size_t j = 0; j < ne; j++) {
		const dp_copy *c = e[j].c;
		int wins = !kept
		           || !(c->killed
		                ? kept->killed && kept->version >= c->version
		                : kept->version > c->version
		                  || (kept->killed
		                      && kept->version >= c->version));
		if (e[j].real && kept && kept != c) {
			int64_t *from = c->res == DP_ADD_NEW ? &p->adj.added
			                : c->res == DP_ADD_UPDATED ? &p->adj.updated
			                : c->res == DP_ADD_KILLED ? &p->adj.killed
			                : c->res == DP_ADD_UNCHANGED
			                  ? &p->adj.unchanged : NULL;
			int64_t *to = !wins ? &p->adj.older
			              : c->killed ? &p->adj.killed
			                          : &p->adj.updated;
			if (from && from != to) {
				(*from)--;
				(*to)++;
			}
		}
		if (wins)
			kept = c;
	}
	free(e);
	free(won);
	return DP_OK;
}

dp_status wr_sync(wr_pool *p, dp_error *err)
{
	dp_status st = post_all(p, T_COMMIT, err);
	if (st != DP_OK)
		return st;
	/* the ids of the batch, once each */
	p->nids = 0;
	for (int k = 0; st == DP_OK && k < p->n; k++) {
		writer *w = &p->w[k];
		if (p->nids + w->ntids > p->capids) {
			size_t nc = p->nids + w->ntids + 256;
			const char **nv = realloc(p->ids, nc * sizeof *nv);
			if (!nv)
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "out of memory");
			p->ids = nv;
			p->capids = nc;
		}
		if (w->ntids)
			memcpy(p->ids + p->nids, w->tids,
			       w->ntids * sizeof *p->ids);
		p->nids += w->ntids;
	}
	if (p->nids > 1)
		qsort(p->ids, p->nids, sizeof *p->ids, cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < p->nids; i++)
		if (!u || strcmp(p->ids[u - 1], p->ids[i]))
			p->ids[u++] = p->ids[i];
	p->nids = u;
	int acted = 0;
	if (p->nids) {
		st = post_all(p, T_LOOKUP, err);
		dp_copy *tmp = NULL;
		size_t cap = 0;
		for (size_t i = 0; st == DP_OK && i < p->nids; i++)
			st = resolve_id(p, i, &tmp, &cap, &acted, err);
		free(tmp);
		if (st == DP_OK && acted)
			st = post_all(p, T_APPLY, err);
	}
	dp_error e2 = {0};
	dp_status ds = post_all(p, T_DONE, &e2);
	if (st == DP_OK && ds != DP_OK) {
		st = ds;
		*err = e2;
	}
	return st;
}

void wr_counts_add(const wr_pool *p, wr_counts *c)
{
	c->added += (uint64_t)p->adj.added;
	c->updated += (uint64_t)p->adj.updated;
	c->older += (uint64_t)p->adj.older;
	c->unchanged += (uint64_t)p->adj.unchanged;
	c->killed += (uint64_t)p->adj.killed;
	for (int i = 0; i < p->n; i++) {
		const wr_counts *w = &p->w[i].c;
		c->added += w->added;
		c->updated += w->updated;
		c->unchanged += w->unchanged;
		c->older += w->older;
		c->killed += w->killed;
		c->failed += w->failed;
		c->removed += w->removed;
	}
}

static int cmp_shard(const void *a, const void *b)
{
	return strcmp(((const wr_shard *)a)->name, ((const wr_shard *)b)->name);
}

dp_status wr_close(wr_pool *p, wr_shard **v, size_t *n, dp_error *err)
{
	*v = NULL;
	*n = 0;
	dp_status st = post_all(p, T_CLOSE, err);
	if (st != DP_OK)
		return st;
	size_t total = 0;
	for (int i = 0; i < p->n; i++)
		total += p->w[i].nshards;
	if (!total)
		return DP_OK;
	*v = calloc(total, sizeof **v);
	if (!*v)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (int i = 0; i < p->n; i++) {
		if (p->w[i].nshards)
			memcpy(*v + *n, p->w[i].shards,
			       p->w[i].nshards * sizeof **v);
		*n += p->w[i].nshards;
	}
	qsort(*v, *n, sizeof **v, cmp_shard);
	return DP_OK;
}

void wr_free(wr_pool *p)
{
	if (!p)
		return;
	if (p->w) {
		pthread_mutex_lock(&p->mu);
		for (int i = 0; i < p->n; i++) {
			if (!p->w[i].started)
				continue;
			slot *s = room(p, &p->w[i]);
			s->kind = M_TASK;
			s->task = T_QUIT;
			push(p, &p->w[i]);
		}
		pthread_mutex_unlock(&p->mu);
		for (int i = 0; i < p->n; i++) {
			writer *w = &p->w[i];
			if (w->started)
				pthread_join(w->th, NULL);
			if (w->q)
				for (size_t k = 0; k < p->depth; k++) {
					dp_dispatch_free(w->q[k].d);
					dp_prepared_free(w->q[k].prep);
				}
			free(w->q);
			free_copies(w);
			free(w->copies);
			free(w->start);
			free(w->acts);
			free(w->shards);
			pthread_cond_destroy(&w->more);
			pthread_cond_destroy(&w->space);
		}
	}
	free(p->w);
	free(p->ids);
	free(p->db);
	pthread_cond_destroy(&p->donecv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
