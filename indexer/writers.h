/* writers.h: parallel writers of a sharded database.
 *
 * N threads, each owning the shards that dp_shards_owner gives it (a
 * dp_index of role DP_ROLE_PART, opened, used and closed in that thread:
 * no Xapian object is ever used by two threads).  The indexer's thread,
 * the coordinator, keeps the state (DP_ROLE_STATE), creates the shards
 * and hands each dispatch, once prepared, to the owner of its period's
 * shard through a bounded queue; file marks go to every writer.  A writer
 * puts a dispatch against its own shard only, so that what a shard holds
 * depends on the dispatches of its period and their order, never on the
 * number of writers.
 *
 * wr_sync is the commit point: every writer commits its shards, then the
 * story rule across shards is applied (the ids put since the last sync
 * are looked up in every shard; where several shards hold one, the copy
 * one writer would have kept stays, the others go and their files are
 * noted on it), then those changes are committed.  The caller commits
 * the state after it, so that the state is never ahead of the shards. */
#ifndef DEPECHE_WRITERS_H
#define DEPECHE_WRITERS_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"
#include "index.h"
#include "pipeline.h"

typedef struct wr_pool wr_pool;

typedef struct wr_counts {
	uint64_t added, updated, unchanged, older, killed, failed, removed;
} wr_counts;

/* A message from a writer (an error it stops on, or a record it skips);
 * called under the pool's lock, from any thread. */
typedef void (*wr_say_fn)(const char *msg);

/* Starts n writers on the sharded database db (kind: dp_shard_kind),
 * each opening its part with opts (role and part are set here); depth:
 * dispatches queued per writer. */
dp_status wr_new(int n, const char *db, int kind, const dp_index_opts *opts,
                 size_t depth, wr_say_fn say, wr_pool **out, dp_error *err);

/* Hands the prepared dispatch of it (read from path) to writer w: it->d
 * and it->prep are swapped with spare ones, so that it can be reused at
 * once.  seq orders the dispatches of a run. */
dp_status wr_put(wr_pool *p, int w, pl_item *it, const char *path,
                 uint64_t seq, dp_error *err);
/* File marks, to every writer (see dp_index_file_begin/end). */
dp_status wr_file_begin(wr_pool *p, const char *path, dp_error *err);
dp_status wr_file_end(wr_pool *p, dp_error *err);
/* The commit point (see above). */
dp_status wr_sync(wr_pool *p, dp_error *err);

/* Adds what the writers did to *c. */
void wr_counts_add(const wr_pool *p, wr_counts *c);

/* A shard at the end of the run. */
typedef struct wr_shard {
	char name[16];
	uint32_t writes;
} wr_shard;

/* Closes every part (committing), and lists their shards in *v (n of
 * them, sorted by name; the caller frees *v). */
dp_status wr_close(wr_pool *p, wr_shard **v, size_t *n, dp_error *err);

/* Stops the writers (what was not synced is lost, as in a crash). */
void wr_free(wr_pool *p);

#endif
