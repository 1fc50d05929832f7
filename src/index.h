/* index.h: dispatches into the Xapian index — terms, values, data, the
 * life of a story (versions, kills) and the state of indexed files.
 *
 * One dp_index is one writer.  Changes become visible (and durable) at
 * dp_index_commit: a crash before it loses only what was not committed,
 * never what was. */
#ifndef DEPECHE_INDEX_H
#define DEPECHE_INDEX_H

#include <stdint.h>

#include "depeche.h"
#include "dispatch.h"

typedef struct dp_index dp_index;

typedef struct dp_index_opts {
	int create;          /* create the database when missing */
	int no_sync;         /* no fsync per commit (one sync at close) */
	int wait_lock;       /* wait for Xapian's write lock */
	int shards;          /* dp_shard_kind: create a sharded database (an
	                        existing one keeps its layout; asking for
	                        another is DP_ERR_INVALID) */
	int role;            /* dp_index_role (0: the whole index) */
	int part, nparts;    /* DP_ROLE_PART: this part of nparts */
} dp_index_opts;

/* How much of a sharded database a dp_index opens, for parallel writers
 * (see depeche-shards(7)): the whole of it; its state only (file state,
 * metadata, the list of shards: the coordinator's); or the shards that
 * dp_shards_owner gives to one part, and no state (a writer thread's).
 * A part's dp_index_put looks only at the dispatch's own shard, so that
 * what a shard holds does not depend on how many parts there are; the
 * story rule across shards is applied afterwards by the coordinator
 * (dp_index_touched, dp_index_lookup, dp_copies_resolve and the two
 * actions). */
typedef enum dp_index_role {
	DP_ROLE_FULL = 0,
	DP_ROLE_STATE,
	DP_ROLE_PART,
} dp_index_role;

typedef enum dp_add_result {
	DP_ADD_NEW,         /* a dispatch not seen before */
	DP_ADD_UPDATED,     /* replaced an older version or a changed copy */
	DP_ADD_UNCHANGED,   /* identical to what is indexed: nothing written */
	DP_ADD_OLDER,       /* a newer version (or a kill) is indexed: ignored */
	DP_ADD_KILLED,      /* a kill: the story is removed from results */
} dp_add_result;

/* Opens (or creates) the database at path for writing.  An existing
 * database built with another schema or analyzer is DP_ERR_VERSION. */
dp_status dp_index_open(const char *path, const dp_index_opts *opts,
                        dp_index **out, dp_error *err);
/* Commits nothing; see dp_index_close. */
void dp_index_free(dp_index *ix);
/* Commits and closes, reporting a failed final sync. ix is still freed
 * by dp_index_free. */
dp_status dp_index_close(dp_index *ix, dp_error *err);

/* Adds d, read from the file whose key is file_key (see
 * dp_index_file_key; NULL when it has none). */
dp_status dp_index_add(dp_index *ix, const dp_dispatch *d,
                       const char *file_key, dp_add_result *res,
                       dp_error *err);
/* The same in two steps, so that the costly one can run in other
 * threads: dp_index_prepare analyses d with an (an analyzer that no other
 * thread uses meanwhile) and builds its document without touching the
 * database; d and file_key must live until dp_index_put.  dp_index_put,
 * in the writer's thread and in the order the dispatches were read,
 * decides against what is indexed and stores it.  A dp_prepared holds
 * one dispatch at a time and may move between threads between the two
 * calls (with the synchronisation that handing it over implies). */
struct dp_analyzer;
typedef struct dp_prepared dp_prepared;
dp_status dp_prepared_new(dp_prepared **out, dp_error *err);
void dp_prepared_free(dp_prepared *p);
dp_status dp_index_prepare(dp_prepared *p, struct dp_analyzer *an,
                           const dp_dispatch *d, const char *file_key,
                           dp_error *err);
dp_status dp_index_put(dp_index *ix, dp_prepared *p, dp_add_result *res,
                       dp_error *err);

dp_status dp_index_commit(dp_index *ix, dp_error *err);
/* Dispatches added since the last commit. */
uint32_t dp_index_pending(const dp_index *ix);
/* Number of searchable dispatches. */
dp_status dp_index_count(dp_index *ix, uint32_t *live, dp_error *err);

/* ---- file state ---------------------------------------------------------
 * What the indexer knows about each input file, kept in the database's
 * metadata so that it commits with the documents it describes. */

typedef struct dp_file_state {
	int64_t size;
	int64_t mtime_ns;
	uint64_t ino, dev;
	uint32_t ndocs;      /* dispatches read from it */
	uint32_t nerrors;    /* records that failed */
} dp_file_state;

/* Key of a path: 16 hex digits (out needs 17 bytes). */
void dp_index_file_key(const char *path, char out[17]);

/* *found is 0 when the file is not known. */
dp_status dp_index_file_get(dp_index *ix, const char *path,
                            dp_file_state *st, int *found, dp_error *err);
dp_status dp_index_file_put(dp_index *ix, const char *path,
                            const dp_file_state *st, dp_error *err);

/* Starts re-reading a known file: remembers which dispatches came from it,
 * so that dp_index_file_end can remove those it no longer holds. */
dp_status dp_index_file_begin(dp_index *ix, const char *path, dp_error *err);
/* Removes the dispatches of the file that were not added again since
 * dp_index_file_begin; *removed receives their number. */
dp_status dp_index_file_end(dp_index *ix, uint32_t *removed, dp_error *err);

/* Calls fn for every known file (path as indexed). */
/* Whether a file's state marks it to be read again (by a prune). */
#define dp_file_state_stale(st) ((st)->size < 0)

typedef int (*dp_file_fn)(void *ctx, const char *path,
                          const dp_file_state *st);
dp_status dp_index_file_each(dp_index *ix, dp_file_fn fn, void *ctx,
                             dp_error *err);
/* Removes a file's dispatches (those still attributed to it) and its
 * state; *removed receives the number of dispatches removed.  Other files
 * known to hold versions of those dispatches get a size of -1 in their
 * state (to be read again, whole: see dp_file_state_stale) and are passed
 * to reread (when not NULL), whose non-zero return means out of memory. */
dp_status dp_index_file_forget(dp_index *ix, const char *path,
                               uint32_t *removed, dp_file_fn reread,
                               void *ctx, dp_error *err);

/* ---- shards (see shards.h) ------------------------------------------------ */

/* DP_SHARDS_NONE for one database, else by what period it is split. */
int dp_index_shard_kind(const dp_index *ix);
/* Number of local shards open (0 for one database); the k-th's name (its
 * period), and the documents written to or removed from it in this run. */
size_t dp_index_nshards(const dp_index *ix);
const char *dp_index_shard_name(const dp_index *ix, size_t k);
uint32_t dp_index_shard_writes(const dp_index *ix, size_t k);
/* Sets metadata of the k-th shard (committed with the next commit). */
dp_status dp_index_shard_meta(dp_index *ix, size_t k, const char *key,
                              const char *value, dp_error *err);

/* ---- parallel writers (DP_ROLE_STATE and DP_ROLE_PART) ------------------ */

/* State: the period (shard name) of d into period, creating its shard
 * (aside, then listed in the stub) when it does not exist yet, so that
 * the part that owns it only has to open it. */
dp_status dp_index_ensure_shard(dp_index *ix, const dp_dispatch *d,
                                char period[16], dp_error *err);

/* Part: the sequence number of the dispatches put next (the order in
 * which the coordinator read them; later ones win ties). */
void dp_index_set_seq(dp_index *ix, uint64_t seq);

/* Part: the ids (terms) put since dp_index_batch_done, sorted, each
 * once; the array and the strings live until dp_index_batch_done. */
dp_status dp_index_touched(dp_index *ix, const char *const **ids,
                           size_t *n, dp_error *err);
void dp_index_batch_done(dp_index *ix);

/* A copy of a dispatch in a shard. */
typedef struct dp_copy {
	char shard[16];
	uint32_t version;
	int killed;
	uint64_t seq;        /* of the last put that wrote it, or found it
	                        unchanged; 0: none in this batch */
	int res;             /* that put's dp_add_result, when seq */
	int pre;             /* it was there before this batch */
	char origin[17];     /* the file it came from (XF key), or "" */
	char *others;        /* other files holding it (XOF keys), 16 chars
	                        each, concatenated; malloc'd, or NULL */
	size_t nothers;
} dp_copy;

/* Part: appends to *v (grown with realloc; *n entries, *cap room) the
 * copies of idterm in this part's shards.  The caller frees each
 * others and the array. */
dp_status dp_index_lookup(dp_index *ix, const char *idterm, dp_copy **v,
                          size_t *n, size_t *cap, dp_error *err);

/* The copy that a single writer would have kept, had it put them one
 * after another in seq order: sorts v (by seq, then shard) and returns
 * the winner's place; won[i] (when won is not NULL) receives whether
 * the i-th (sorted) replaced what was kept before it. */
size_t dp_copies_resolve(dp_copy *v, size_t n, int *won);

/* Part: removes idterm from shard (a copy that lost). */
dp_status dp_index_drop_copy(dp_index *ix, const char *shard,
                             const char *idterm, dp_error *err);
/* Part: notes on idterm's document in shard the files keys (16 chars
 * each, nkeys of them) as other files holding it, but those it knows. */
dp_status dp_index_add_files(dp_index *ix, const char *shard,
                             const char *idterm, const char *keys,
                             size_t nkeys, dp_error *err);

/* Part: gives idterm's document in shard (a kill, its story's tombstone)
 * the version version, so that no older copy brings the story back. */
dp_status dp_index_raise_version(dp_index *ix, const char *shard,
                                 const char *idterm, uint32_t version,
                                 dp_error *err);

/* Copies the single database src into a new sharded database dst
 * (split by kind), documents and state; *docs receives the number of
 * documents copied.  dst is left half-built on error: the caller removes
 * it. */
dp_status dp_index_convert(const char *src, const char *dst, int kind,
                           uint32_t *docs, dp_error *err);

/* Free-form metadata (last run summary, ...). */
dp_status dp_index_set_meta(dp_index *ix, const char *key, const char *value,
                            dp_error *err);

/* Checks that a database's recorded schema and analyzer match this build;
 * shared with the searcher.  db is a dpx_db. */
struct dpx_db;
dp_status dp_index_check_compat(struct dpx_db *db, const char *path,
                                const char *signature, dp_error *err);

#endif
