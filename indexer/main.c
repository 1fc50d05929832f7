/* depeche-index: index an archive of dispatches.  See depeche-index(1). */
#include "autoconf.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "dispatch.h"
#include "index.h"
#include "lock.h"
#include "pipeline.h"
#include "reader.h"
#include "schema.h"
#include "shards.h"
#include "walk.h"
#include "writers.h"
#include "xapian-shim.h"

#define PROG "depeche-index"
#define MAX_JOBS 64

enum {
	OPT_DB = 1, OPT_QUIET, OPT_VERBOSE, OPT_PRUNE, OPT_WAIT, OPT_BATCH,
	OPT_LOG, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_STATUS, OPT_COMPACT,
	OPT_CHECK, OPT_FORCE, OPT_HELP, OPT_VERSION, OPT_NO_SYNC, OPT_JOBS,
	OPT_NO_COMPACT, OPT_SHARDS, OPT_CONVERT, OPT_WRITERS,
};

static const dp_option options[] = {
	{"db", 'd', DP_ARG_REQUIRED, "DIR",
	 "database directory (default: $XDG_DATA_HOME/depeche/db)", OPT_DB},
	{"prune", 0, DP_ARG_NONE, NULL,
	 "remove dispatches of files that no longer exist", OPT_PRUNE},
	{"force", 'f', DP_ARG_NONE, NULL,
	 "read every file again, even unchanged ones", OPT_FORCE},
	{"wait", 'w', DP_ARG_OPTIONAL, "SECONDS",
	 "wait for another indexer to finish (default: forever)", OPT_WAIT},
	{"batch", 'b', DP_ARG_REQUIRED, "N",
	 "commit every N dispatches (default 1000; bounds memory)",
	 OPT_BATCH},
	{"jobs", 'j', DP_ARG_REQUIRED, "N",
	 "threads at work: N-1 analyse while one writes (default: one per "
	 "CPU)", OPT_JOBS},
	{"writers", 0, DP_ARG_REQUIRED, "N",
	 "a sharded database: N threads write shards at once (default: "
	 "2, or 1 on one CPU)", OPT_WRITERS},
	{"no-sync", 0, DP_ARG_NONE, NULL,
	 "no fsync after each batch, only at the end (bulk loads)",
	 OPT_NO_SYNC},
	{"quiet", 'q', DP_ARG_NONE, NULL,
	 "print nothing but errors (no summary)", OPT_QUIET},
	{"verbose", 'v', DP_ARG_NONE, NULL,
	 "name each file as it is read", OPT_VERBOSE},
	{"progress", 0, DP_ARG_NONE, NULL,
	 "show a progress bar (default on a terminal)", OPT_PROGRESS},
	{"no-progress", 0, DP_ARG_NONE, NULL, "never show a progress bar",
	 OPT_NO_PROGRESS},
	{"log", 'l', DP_ARG_REQUIRED, "FILE",
	 "also append messages and the summary to FILE", OPT_LOG},
	{"status", 's', DP_ARG_NONE, NULL,
	 "describe the database and its last run, then exit", OPT_STATUS},
	{"compact", 0, DP_ARG_NONE, NULL,
	 "compact the database (under the writer lock), then exit",
	 OPT_COMPACT},
	{"no-compact", 0, DP_ARG_NONE, NULL,
	 "do not compact after a bulk load", OPT_NO_COMPACT},
	{"shards", 0, DP_ARG_REQUIRED, "month|year",
	 "a new database: one shard per month or year (kept by later runs)",
	 OPT_SHARDS},
	{"convert", 0, DP_ARG_REQUIRED, "month|year",
	 "split an existing single database into shards, then exit",
	 OPT_CONVERT},
	{"check", 0, DP_ARG_NONE, NULL,
	 "check the database's consistency, then exit", OPT_CHECK},
	{"help", 'h', DP_ARG_NONE, NULL, "show this help and exit", OPT_HELP},
	{"version", 'V', DP_ARG_NONE, NULL, "show the version and exit",
	 OPT_VERSION},
};
#define NOPTS (sizeof options / sizeof *options)

typedef struct opts {
	const char *db;
	int prune, force, quiet, verbose, progress, no_sync, no_compact;
	double wait_s;       /* 0: fail at once; <0 forever */
	unsigned long batch;
	int jobs;            /* threads: jobs - 1 analyse, one writes */
	int writers;         /* shard writers; 0: the default */
	const char *log;
	int mode;            /* 0 index, OPT_STATUS, OPT_COMPACT, OPT_CHECK,
	                        OPT_CONVERT */
	int shards;          /* dp_shard_kind asked for */
} opts;

static FILE *log_file;
static int stderr_tty;
static volatile sig_atomic_t stop_signal;
static int progress_shown;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void timestamp(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void clear_progress(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

/* say() may be called from any thread (shard writers, compactions) */
static pthread_mutex_t say_mu = PTHREAD_MUTEX_INITIALIZER;

/* A message for people: stderr (timestamped when not a terminal, as under
 * cron) and the log file. */
__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char ts[32];
	timestamp(ts, sizeof ts);
	pthread_mutex_lock(&say_mu);
	clear_progress();
	if (stderr_tty)
		fprintf(stderr, PROG ": %s\n", msg);
	else
		fprintf(stderr, "%s " PROG ": %s\n", ts, msg);
	if (log_file) {
		fprintf(log_file, "%s " PROG ": %s\n", ts, msg);
		fflush(log_file);
	}
	pthread_mutex_unlock(&say_mu);
}

static void log_only(const char *msg)
{
	if (!log_file)
		return;
	char ts[32];
	timestamp(ts, sizeof ts);
	fprintf(log_file, "%s " PROG ": %s\n", ts, msg);
	fflush(log_file);
}

static int on_option(void *ctx, int id, const char *arg, char *msg,
                     size_t msgsz)
{
	opts *o = ctx;
	unsigned long v;
	switch (id) {
	case OPT_DB: o->db = arg; break;
	case OPT_PRUNE: o->prune = 1; break;
	case OPT_FORCE: o->force = 1; break;
	case OPT_QUIET: o->quiet = 1; break;
	case OPT_VERBOSE: o->verbose = 1; break;
	case OPT_PROGRESS: o->progress = 1; break;
	case OPT_NO_PROGRESS: o->progress = -1; break;
	case OPT_NO_SYNC: o->no_sync = 1; break;
	case OPT_NO_COMPACT: o->no_compact = 1; break;
	case OPT_LOG: o->log = arg; break;
	case OPT_WAIT:
		if (!arg) {
			o->wait_s = -1;
		} else if (dp_cli_parse_uint(arg, 86400 * 7, &v) == 0) {
			o->wait_s = (double)v;
		} else {
			snprintf(msg, msgsz, "--wait needs a number of seconds, "
			         "not '%s'", arg);
			return 1;
		}
		break;
	case OPT_BATCH:
		if (dp_cli_parse_uint(arg, 100000000, &v) != 0 || v == 0) {
			snprintf(msg, msgsz, "--batch needs a positive number, "
			         "not '%s'", arg);
			return 1;
		}
		o->batch = v;
		break;
	case OPT_JOBS:
		if (dp_cli_parse_uint(arg, MAX_JOBS, &v) != 0 || v == 0) {
			snprintf(msg, msgsz, "--jobs needs a number from 1 to %d, "
			         "not '%s'", MAX_JOBS, arg);
			return 1;
		}
		o->jobs = (int)v;
		break;
	case OPT_WRITERS:
		if (dp_cli_parse_uint(arg, MAX_JOBS, &v) != 0 || v == 0) {
			snprintf(msg, msgsz, "--writers needs a number from 1 to "
			         "%d, not '%s'", MAX_JOBS, arg);
			return 1;
		}
		o->writers = (int)v;
		break;
	case OPT_SHARDS:
	case OPT_CONVERT: {
		int k = dp_shards_parse_kind(arg);
		if (k < 0) {
			snprintf(msg, msgsz, "--%s needs 'month' or 'year', not "
			         "'%s'", id == OPT_SHARDS ? "shards" : "convert",
			         arg);
			return 1;
		}
		if (o->shards && o->shards != k) {
			snprintf(msg, msgsz, "--shards and --convert disagree");
			return 1;
		}
		o->shards = k;
		if (id == OPT_SHARDS)
			break;
	}
		/* fall through */
	case OPT_STATUS:
	case OPT_COMPACT:
	case OPT_CHECK:
		if (o->mode && o->mode != id) {
			snprintf(msg, msgsz, "--status, --compact, --check and "
			         "--convert exclude each other");
			return 1;
		}
		o->mode = id;
		break;
	default: break;
	}
	return 0;
}

static const dp_cli_program program = {
	PROG, options, NOPTS, on_option, OPT_HELP, OPT_VERSION,
	PROG " [OPTION]... PATH...",
	"Index dispatches (NewsML 1.2, NewsML-G2, NITF, ninjs, JSON "
	"Lines, plain text;\nany of them gzip-compressed) from "
	"files and directories; '-' reads standard input.\n"
	"Runs are incremental: unchanged files are not read again.",
	"Exit status: 0 success, 1 some input failed, 2 usage error, "
	"65 database from\nanother version or corrupt, 66 no "
	"database (--status, --check, --compact),\n69 a remote shard "
	"does not answer (--status), 73 cannot create the database,\n"
	"74 I/O error or disk full, 75 locked by another indexer, 77 "
	"permission denied,\n128+N stopped by signal N.\n"
	"See depeche-index(1).\n",
};

/* mkdir -p for the parent directories of path. */
static int make_parents(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/* ---- progress ------------------------------------------------------------ */

typedef struct progress {
	int on;
	uint64_t total_bytes, done_bytes;
	uint64_t docs;
	struct timespec start, last;
} progress;

static double since(const struct timespec *a)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - a->tv_sec)
	       + (double)(now.tv_nsec - a->tv_nsec) / 1e9;
}

static void show_progress(progress *p, uint64_t file_bytes, int force)
{
	if (!p->on)
		return;
	if (!force && since(&p->last) < 0.1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	double el = since(&p->start);
	uint64_t done = p->done_bytes + file_bytes;
	double frac = p->total_bytes ? (double)done / (double)p->total_bytes : 0;
	if (frac > 1)
		frac = 1;
	int width = 24, fill = (int)(frac * width);
	char bar[32];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	double rate = el > 0 ? (double)p->docs / el : 0;
	char eta[32] = "--:--";
	if (frac > 0.01 && el > 0.5) {
		long left = (long)(el / frac - el);
		snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
	}
	fprintf(stderr, "\r\033[K[%s] %3.0f%%  %" PRIu64 " dispatches  %.0f/s  "
	        "ETA %s", bar, frac * 100, p->docs, rate, eta);
	fflush(stderr);
	progress_shown = 1;
}

/* ---- indexing ---------------------------------------------------------- */

typedef struct counts {
	uint64_t added, updated, unchanged, older, killed, failed, removed;
	uint64_t files, files_unchanged, files_failed;
} counts;

static int commit_if_due(dp_index *ix, const opts *o, dp_error *err,
                         dp_status *st)
{
	if (dp_index_pending(ix) >= o->batch) {
		*st = dp_index_commit(ix, err);
		return *st != DP_OK;
	}
	return 0;
}

/* A file being indexed: read by the indexer's thread, its dispatches
 * written later, in order, by write_item. */
typedef struct file_ctx {
	const char *path;
	char key[17];
	int is_stdin;
	int complete;         /* read to the end */
	dp_file_state ns;     /* its new state */
} file_ctx;

/* A file's new state, written with the sync that makes its dispatches
 * durable in every shard (parallel writers). */
typedef struct done_file {
	const char *path;
	dp_file_state ns;
	file_ctx *f;
} done_file;

typedef struct writer {
	dp_index *ix;         /* with pool: the state only */
	const opts *o;
	counts *c;
	/* a sharded database: the writers, and what waits for their sync */
	wr_pool *pool;
	int nwriters;
	uint64_t seq;
	uint64_t since_sync;  /* dispatches handed over since the last */
	done_file *done;
	size_t ndone, capdone;
} writer;

/* The commit point with parallel writers: the shards (and the story rule
 * across them), then the state with the files completed meanwhile. */
static dp_status sync_writers(writer *w, dp_error *err)
{
	dp_status st = wr_sync(w->pool, err);
	for (size_t i = 0; st == DP_OK && i < w->ndone; i++)
		if (w->done[i].path)
			st = dp_index_file_put(w->ix, w->done[i].path,
			                       &w->done[i].ns, err);
	if (st == DP_OK)
		st = dp_index_commit(w->ix, err);
	for (size_t i = 0; i < w->ndone; i++)
		free(w->done[i].f);
	w->ndone = 0;
	w->since_sync = 0;
	return st;
}

/* f's dispatches may still wait in the writers' queues (they point to
 * its key): freed, and its state written (path not NULL), at the sync. */
static dp_status file_done(writer *w, file_ctx *f, const char *path)
{
	if (w->ndone == w->capdone) {
		size_t nc = w->capdone ? w->capdone * 2 : 64;
		done_file *nv = realloc(w->done, nc * sizeof *nv);
		if (!nv) {
			free(f);
			return DP_ERR_NOMEM;
		}
		w->done = nv;
		w->capdone = nc;
	}
	w->done[w->ndone++] = (done_file){path, f->ns, f};
	return DP_OK;
}

/* write_item with parallel writers. */
static dp_status hand_item(writer *w, pl_item *it, int skip)
{
	file_ctx *f = it->file;
	dp_error err = {0};
	dp_status st = DP_OK;
	switch (it->kind) {
	case PL_FILE_BEGIN:
		if (skip)
			return DP_OK;
		st = wr_file_begin(w->pool, f->path, &err);
		if (st != DP_OK)
			say("%s", err.msg);
		return st;
	case PL_FILE_END:
		if (!skip && !f->is_stdin && f->complete) {
			st = wr_file_end(w->pool, &err);
			if (st != DP_OK)
				say("%s", err.msg);
		}
		/* an incomplete file keeps its old state: it is read again
		 * next time */
		if (file_done(w, f, !skip && st == DP_OK && !f->is_stdin
		                    && f->complete ? f->path : NULL) != DP_OK) {
			say("out of memory");
			return DP_ERR_NOMEM;
		}
		if (!skip && st == DP_OK && w->since_sync >= w->o->batch
		    && (st = sync_writers(w, &err)) != DP_OK)
			say("%s", err.msg);
		return st;
	case PL_DOC:
		break;
	}
	if (skip)
		return DP_OK;
	st = it->st;
	if (st != DP_OK)
		err = it->err;
	char period[16];
	if (st == DP_OK)
		st = dp_index_ensure_shard(w->ix, it->d, period, &err);
	if (st == DP_ERR_FORMAT) {
		say("%s:%u: %s", f->path, it->d->line, err.msg);
		w->c->failed++;
		f->ns.nerrors++;
		return DP_OK;
	}
	if (st != DP_OK) {
		say("%s:%u: %s", f->path, it->d->line, err.msg);
		return st;
	}
	st = wr_put(w->pool, dp_shards_owner(period, w->nwriters), it,
	            f->path, ++w->seq, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		return st;
	}
	f->ns.ndocs++;
	/* commit in batches, also inside a large file (see write_item) */
	if (++w->since_sync >= w->o->batch
	    && (st = sync_writers(w, &err)) != DP_OK)
		say("%s", err.msg);
	return st;
}

/* Writes one item of the pipeline (see pipeline.h). */
static dp_status write_item(void *ctx, pl_item *it, int skip)
{
	writer *w = ctx;
	if (w->pool)
		return hand_item(w, it, skip);
	file_ctx *f = it->file;
	dp_error err = {0};
	dp_status st = DP_OK;
	switch (it->kind) {
	case PL_FILE_BEGIN:
		if (skip)
			return DP_OK;
		st = dp_index_file_begin(w->ix, f->path, &err);
		if (st != DP_OK)
			say("%s", err.msg);
		return st;
	case PL_FILE_END:
		if (!skip && !f->is_stdin && f->complete) {
			uint32_t removed = 0;
			st = dp_index_file_end(w->ix, &removed, &err);
			if (st == DP_OK)
				st = dp_index_file_put(w->ix, f->path, &f->ns, &err);
			if (st != DP_OK)
				say("%s", err.msg);
			else
				w->c->removed += removed;
		}
		/* an incomplete file keeps its old state: it is read again
		 * next time */
		if (!skip && st == DP_OK && commit_if_due(w->ix, w->o, &err, &st))
			say("%s", err.msg);
		free(f);
		return st;
	case PL_DOC:
		break;
	}
	if (skip)
		return DP_OK;
	dp_add_result res = DP_ADD_NEW;
	st = it->st;
	if (st == DP_OK)
		st = dp_index_put(w->ix, it->prep, &res, &err);
	else
		err = it->err;
	if (st == DP_ERR_FORMAT) {
		say("%s:%u: %s", f->path, it->d->line, err.msg);
		w->c->failed++;
		f->ns.nerrors++;
		return DP_OK;
	}
	if (st != DP_OK) {
		say("%s:%u: %s", f->path, it->d->line, err.msg);
		return st;
	}
	f->ns.ndocs++;
	switch (res) {
	case DP_ADD_NEW: w->c->added++; break;
	case DP_ADD_UPDATED: w->c->updated++; break;
	case DP_ADD_UNCHANGED: w->c->unchanged++; break;
	case DP_ADD_OLDER: w->c->older++; break;
	case DP_ADD_KILLED: w->c->killed++; break;
	}
	/* commit in batches, also inside a large file: a crash then loses at
	 * most a batch, and the file (whose state is only written at its
	 * end) is read again, which is idempotent */
	if (commit_if_due(w->ix, w->o, &err, &st))
		say("%s", err.msg);
	return st;
}

/* Reads one file into the pipeline; returns a fatal status (the run
 * stops) or DP_OK. */
static dp_status index_file(dp_index *ix, pipeline *pl, const dp_walk_file *wf,
                            const opts *o, counts *c, progress *pg)
{
	dp_error err = {0};
	dp_file_state old;
	int known = 0;
	dp_status st;
	if (!wf->is_stdin) {
		st = dp_index_file_get(ix, wf->path, &old, &known, &err);
		if (st != DP_OK) {
			say("%s", err.msg);
			return st;
		}
		if (known && !o->force && old.size == wf->size
		    && old.mtime_ns == wf->mtime_ns && old.ino == wf->ino
		    && old.nerrors == 0) {
			c->files_unchanged++;
			c->unchanged += old.ndocs;
			return DP_OK;
		}
	}
	c->files++;
	if (o->verbose)
		say("reading %s", wf->path);
	dp_reader_opts ro;
	dp_reader_opts_init(&ro);
	ro.file_mtime = wf->mtime_ns / 1000000000LL;
	dp_reader *r;
	st = dp_reader_open(wf->path, &ro, &r, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		c->failed++;
		c->files_failed++;
		if (st == DP_ERR_NOMEM)
			return st;
		/* remember the failure so that the next run tries again */
		return DP_OK;
	}
	file_ctx *f = calloc(1, sizeof *f);
	if (!f) {
		dp_reader_free(r);
		say("out of memory");
		return DP_ERR_NOMEM;
	}
	f->path = wf->path;
	f->is_stdin = wf->is_stdin;
	dp_index_file_key(wf->path, f->key);
	f->ns = (dp_file_state){wf->size, wf->mtime_ns, wf->ino, wf->dev, 0, 0};
	f->complete = 1;
	pl_item *it;
	if (!f->is_stdin) {
		if (!(it = pl_take(pl)))
			goto stopped;
		it->kind = PL_FILE_BEGIN;
		it->file = f;
		pl_submit(pl, it);
	}
	st = DP_OK;
	unsigned nwarn = 0;
	for (;;) {
		if (stop_signal) {
			f->complete = 0;
			break;
		}
		if (!(it = pl_take(pl)))
			goto stopped;
		dp_status rs = dp_reader_next(r, it->d, &err);
		if (rs != DP_OK)
			pl_untake(pl, it);
		if (rs == DP_DONE)
			break;
		if (rs == DP_ERR_FORMAT || rs == DP_ERR_ENCODING) {
			say("%s", err.msg);
			c->failed++;
			f->ns.nerrors++;
			continue;
		}
		if (rs != DP_OK) {
			say("%s", err.msg);
			c->failed++;
			f->ns.nerrors++;
			f->complete = 0;
			if (rs == DP_ERR_NOMEM)
				st = rs;
			break;
		}
		/* warnings: the first said, the others counted (a corpus
		 * without dates is one line, not one per dispatch) */
		for (const char *w = dp_reader_warning(r); w && *w;) {
			size_t wl = strcspn(w, "\n");
			if (nwarn++ == 0)
				say("%.*s", (int)wl, w);
			w += wl + (w[wl] == '\n');
		}
		it->kind = PL_DOC;
		it->file = f;
		it->file_key = f->is_stdin ? NULL : f->key;
		pl_submit(pl, it);
		pg->docs++;
		show_progress(pg, dp_reader_offset(r), 0);
	}
	if (nwarn > 1)
		say("%s: warning: %u more like it in this file", f->path,
		    nwarn - 1);
	dp_reader_free(r);
	r = NULL;
	if (!(it = pl_take(pl)))
		goto stopped;
	it->kind = PL_FILE_END;
	it->file = f;   /* written, or released, there */
	pl_submit(pl, it);
	return st;
stopped:
	/* writing stopped on an error, said where it happened; nothing in
	 * flight refers to f any more */
	dp_reader_free(r);
	free(f);
	return pl_status(pl);
}

typedef struct prune_ctx {
	char **paths;
	size_t n, cap;
	int failed;
	struct prune_ctx *again;   /* files marked to be read again */
} prune_ctx;

static int prune_collect_path(prune_ctx *p, const char *path)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 32;
		char **nv = realloc(p->paths, nc * sizeof *nv);
		if (!nv) {
			p->failed = 1;
			return 1;
		}
		p->paths = nv;
		p->cap = nc;
	}
	p->paths[p->n] = strdup(path);
	if (!p->paths[p->n]) {
		p->failed = 1;
		return 1;
	}
	p->n++;
	return 0;
}

/* A file indexed before and gone since; or one still there that an
 * earlier prune marked to be read again, and that no run has read since
 * (it stopped first). */
static int prune_collect(void *ctx, const char *path,
                         const dp_file_state *st)
{
	prune_ctx *p = ctx;
	struct stat sb;
	if (stat(path, &sb) == 0)
		return dp_file_state_stale(st)
		           ? prune_collect_path(p->again, path) : 0;
	if (errno != ENOENT)
		return 0;
	return prune_collect_path(p, path);
}

/* A file that holds another version of a dispatch whose file was pruned:
 * read again in this run. */
static int prune_reread(void *ctx, const char *path, const dp_file_state *st)
{
	(void)st;
	return prune_collect_path(ctx, path);
}

static void warn_walk(void *ctx, const char *path, const char *msg);

/* Removes the dispatches of the files indexed before and gone since; the
 * other files that hold versions of them are added to the run's files, so
 * that the newest version left takes their place. */
static dp_status prune(dp_index *ix, counts *c, const opts *o, dp_walk *w,
                       const char *db)
{
	dp_error err = {0};
	prune_ctx again = {0}, p = {.again = &again};
	dp_status st = dp_index_file_each(ix, prune_collect, &p, &err);
	if (st == DP_OK && (p.failed || again.failed))
		st = dp_error_set(&err, DP_ERR_NOMEM, "out of memory");
	for (size_t i = 0; st == DP_OK && i < p.n; i++) {
		uint32_t removed;
		st = dp_index_file_forget(ix, p.paths[i], &removed, prune_reread,
		                          &again, &err);
		if (st == DP_OK) {
			c->removed += removed;
			if (o->verbose)
				say("pruned %s (%u dispatches)", p.paths[i], removed);
		}
	}
	for (size_t i = 0; st == DP_OK && i < again.n; i++) {
		struct stat sb;
		int known = stat(again.paths[i], &sb) != 0;
		for (size_t k = 0; !known && k < w->n; k++)
			known = !w->v[k].is_stdin
			        && !strcmp(w->v[k].path, again.paths[i]);
		if (known)
			continue;
		if (o->verbose)
			say("reading %s again: it holds versions of pruned "
			    "dispatches", again.paths[i]);
		if (dp_walk_add(w, again.paths[i], db, warn_walk, c) < 0)
			st = dp_error_set(&err, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < p.n; i++)
		free(p.paths[i]);
	free(p.paths);
	for (size_t i = 0; i < again.n; i++)
		free(again.paths[i]);
	free(again.paths);
	if (st != DP_OK)
		say("%s", err.msg);
	return st;
}

static void warn_walk(void *ctx, const char *path, const char *msg)
{
	counts *c = ctx;
	c->failed++;
	c->files_failed++;
	say("%s: %s", path, msg);
}

static int open_error_exit(dp_status st, const char *db)
{
	if (st == DP_ERR_IO || st == DP_ERR_READONLY) {
		/* could not create or write the database */
		struct stat sb;
		if (stat(db, &sb) != 0)
			return DP_EXIT_CANTCREAT;
	}
	return dp_cli_exit_code(st);
}

static int lock_db(const char *db, const opts *o, dp_lock **lk)
{
	pid_t holder;
	char msg[512];
	int r = dp_lock_acquire(db, o->wait_s, &stop_signal, lk, &holder, msg,
	                        sizeof msg);
	if (r == DP_LOCK_OK)
		return 0;
	if (r == DP_LOCK_BUSY) {
		if (stop_signal)
			return 128 + (int)stop_signal;
		if (holder)
			say("database '%s' is being written by another "
			    "depeche-index (pid %ld); try again later or use "
			    "--wait", db, (long)holder);
		else
			say("database '%s' is being written by another "
			    "depeche-index; try again later or use --wait", db);
		return DP_EXIT_TEMPFAIL;
	}
	say("%s", msg);
	if (errno == ENOMEM)
		return DP_EXIT_OSERR;
	return errno == EACCES || errno == EROFS ? DP_EXIT_NOPERM
	                                         : DP_EXIT_CANTCREAT;
}

static int compact_locked(const char *db, uint64_t *before, uint64_t *after);
static void clean_compaction(const char *db);

/* A shard at the end of a run. */
typedef struct shard_run {
	char name[16];
	uint32_t writes;
} shard_run;
static int compact_shards(const char *db, const shard_run *shr, size_t n,
                          int bulk, int threads, uint64_t *before,
                          uint64_t *after, size_t *ncomp);

/* The state key that records a sealed shard's compaction. */
static void sealed_key(const char *name, char out[64])
{
	snprintf(out, 64, "%s:%s", DP_META_SEALED, name);
}

/* A run that wrote at least this many dispatches, and at least as many as
 * the database held, ends with a compaction: after a first bulk load or a
 * large import, a smaller and faster database for a few seconds. */
#define COMPACT_MIN_WRITES 1000

static void say_msg(const char *msg)
{
	say("%s", msg);
}

/* Shard writers when --writers is not given: two, when there are two
 * CPUs (the analysis and the reading share them). */
static int default_writers(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	return ncpu >= 2 ? 2 : 1;
}

static int run_index(const opts *o, const char *db, char **paths, int npaths)
{
	counts c = {0};
	if (o->writers > 1 && !o->shards && !dp_shards_present(db)) {
		char msg[4200];
		struct stat sb;
		snprintf(msg, sizeof msg, "--writers %d needs a sharded database: "
		         "'%.4000s' %s one database, which has one writer (see "
		         "--shards and --convert)", o->writers, db,
		         stat(db, &sb) == 0 ? "is" : "would be");
		dp_cli_usage_error(PROG, msg);
		return DP_EXIT_USAGE;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	dp_walk w = {0};
	for (int i = 0; i < npaths; i++)
		if (dp_walk_add(&w, paths[i], db, warn_walk, &c) < 0) {
			say("out of memory");
			dp_walk_release(&w);
			return DP_EXIT_OSERR;
		}
	int nstdin = 0;
	for (size_t i = 0; i < w.n; i++)
		nstdin += w.v[i].is_stdin;
	if (nstdin > 1) {
		dp_cli_usage_error(PROG, "'-' (standard input) can be given "
		                   "only once");
		dp_walk_release(&w);
		return DP_EXIT_USAGE;
	}

	if (make_parents(db) != 0) {
		int e = errno;
		say("cannot create the directories of '%s': %s", db,
		    e == ENOMEM ? "out of memory" : strerror(e));
		dp_walk_release(&w);
		if (e == ENOMEM)
			return DP_EXIT_OSERR;
		return errno == EACCES || errno == EROFS ? DP_EXIT_NOPERM
		                                         : DP_EXIT_CANTCREAT;
	}
	dp_lock *lk = NULL;
	int lr = lock_db(db, o, &lk);
	if (lr) {
		dp_walk_release(&w);
		return lr;
	}
	clean_compaction(db);
	dp_error err = {0};
	dp_index *ix = NULL;
	dp_index_opts io = {.create = 1, .no_sync = o->no_sync,
	                    .shards = o->shards};
	dp_status st = dp_index_open(db, &io, &ix, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		dp_lock_release(lk);
		dp_walk_release(&w);
		return open_error_exit(st, db);
	}
	uint32_t live_before = 0;
	st = dp_index_count(ix, &live_before, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		dp_index_free(ix);
		dp_lock_release(lk);
		dp_walk_release(&w);
		return dp_cli_exit_code(st);
	}
	/* pruning first: the files that hold other versions of what it
	 * removes join this run */
	if (o->prune && (st = prune(ix, &c, o, &w, db)) != DP_OK) {
		dp_index_free(ix);
		dp_lock_release(lk);
		dp_walk_release(&w);
		return dp_cli_exit_code(st);
	}
	/* a sharded database: the state here, the shards in writer threads */
	wr_pool *pool = NULL;
	int nwriters = 0;
	if (dp_index_shard_kind(ix) != DP_SHARDS_NONE) {
		int kind = dp_index_shard_kind(ix);
		nwriters = o->writers ? o->writers : default_writers();
		st = dp_index_close(ix, &err);
		dp_index_free(ix);
		ix = NULL;
		dp_index_opts so = io;
		so.create = 0;
		so.shards = 0;
		so.role = DP_ROLE_STATE;
		if (st == DP_OK)
			st = dp_index_open(db, &so, &ix, &err);
		if (st == DP_OK)
			st = wr_new(nwriters, db, kind, &io, 64, say_msg, &pool, &err);
		if (st != DP_OK) {
			say("%s", err.msg);
			dp_index_free(ix);
			dp_lock_release(lk);
			dp_walk_release(&w);
			return dp_cli_exit_code(st);
		}
	}
	writer wr = {ix, o, &c, pool, nwriters, 0, 0, NULL, 0, 0};
	pipeline *pl = NULL;
	/* with shard writers, the analysis goes on while they commit (a
	 * sync): up to half a batch more in flight, at most 512 */
	size_t depth = 32 * (size_t)o->jobs;
	if (pool)
		depth += o->batch / 2 < 512 ? o->batch / 2 : 512;
	st = pl_new(o->jobs - 1, depth, write_item, &wr, &pl, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		wr_free(pool);
		dp_index_free(ix);
		dp_lock_release(lk);
		dp_walk_release(&w);
		return dp_cli_exit_code(st);
	}
	progress pg = {0};
	pg.on = o->progress > 0 || (o->progress == 0 && stderr_tty && !o->quiet);
	pg.total_bytes = w.total_bytes;
	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	pg.last = pg.start;

	for (size_t i = 0; st == DP_OK && i < w.n && !stop_signal; i++) {
		st = index_file(ix, pl, &w.v[i], o, &c, &pg);
		pg.done_bytes += (uint64_t)w.v[i].size;
		show_progress(&pg, 0, 0);
	}
	/* write what is in flight (also when interrupted: it was read) */
	dp_status ps = pl_drain(pl);
	if (st == DP_OK)
		st = ps;
	pl_free(pl);
	wr_shard *wsh = NULL;
	size_t nwsh = 0;
	if (pool) {
		if (st == DP_OK && (st = sync_writers(&wr, &err)) != DP_OK)
			say("%s", err.msg);
		wr_counts wc = {0};
		wr_counts_add(pool, &wc);
		c.added += wc.added;
		c.updated += wc.updated;
		c.unchanged += wc.unchanged;
		c.older += wc.older;
		c.killed += wc.killed;
		c.failed += wc.failed;
		c.removed += wc.removed;
		if (st == DP_OK && (st = wr_close(pool, &wsh, &nwsh, &err))
		                   != DP_OK)
			say("%s", err.msg);
		/* what was not synced is lost, as in a crash */
		wr_free(pool);
		for (size_t i = 0; i < wr.ndone; i++)
			free(wr.done[i].f);
		free(wr.done);
	}
	clear_progress();

	double secs = since(&t0);
	char summary[512];
	snprintf(summary, sizeof summary,
	         "%" PRIu64 " indexed, %" PRIu64 " updated, %" PRIu64
	         " unchanged, %" PRIu64 " failed, %" PRIu64 " removed, %" PRIu64
	         " killed in %.2f s (%" PRIu64 " files read, %" PRIu64
	         " unchanged%s)",
	         c.added, c.updated, c.unchanged + c.older, c.failed, c.removed,
	         c.killed, secs, c.files, c.files_unchanged,
	         stop_signal ? ", interrupted" : "");
	if (st == DP_OK) {
		char ts[32], meta[600];
		timestamp(ts, sizeof ts);
		snprintf(meta, sizeof meta, "%s %s", ts, summary);
		st = dp_index_set_meta(ix, DP_META_LASTRUN, meta, &err);
		if (st != DP_OK)
			say("%s", err.msg);
	}
	dp_status cst = st == DP_OK ? dp_index_close(ix, &err) : st;
	if (st == DP_OK && cst != DP_OK) {
		st = cst;
		say("%s", err.msg);
	}
	/* the shards and what this run wrote to each, for compaction */
	size_t nsh = pool ? nwsh : dp_index_nshards(ix);
	shard_run *shr = nsh ? calloc(nsh, sizeof *shr) : NULL;
	for (size_t k = 0; shr && k < nsh; k++) {
		snprintf(shr[k].name, sizeof shr[k].name, "%s",
		         pool ? wsh[k].name : dp_index_shard_name(ix, k));
		shr[k].writes = pool ? wsh[k].writes
		                     : dp_index_shard_writes(ix, k);
	}
	free(wsh);
	int sharded = dp_index_shard_kind(ix) != DP_SHARDS_NONE;
	dp_index_free(ix);
	uint64_t written = c.added + c.updated + c.removed + c.killed;
	int rc = DP_EXIT_OK;
	int bulk = written >= COMPACT_MIN_WRITES && written >= live_before;
	if (sharded && st == DP_OK && !stop_signal && !o->no_compact) {
		uint64_t before = 0, after = 0;
		size_t ncomp = 0;
		if (nsh && !shr) {
			say("out of memory");
			rc = DP_EXIT_OSERR;
		} else {
			rc = compact_shards(db, shr, nsh, bulk,
			                    nwriters > 1 ? nwriters : 1, &before,
			                    &after, &ncomp);
		}
		if (rc == DP_EXIT_OK && ncomp) {
			size_t l = strlen(summary);
			snprintf(summary + l, sizeof summary - l,
			         "; %zu shard%s compacted from %.1f MB to %.1f MB "
			         "in %.2f s", ncomp, ncomp == 1 ? "" : "s",
			         (double)before / 1e6, (double)after / 1e6,
			         since(&t0) - secs);
		}
	} else if (!sharded && st == DP_OK && !stop_signal && !o->no_compact
	           && bulk) {
		uint64_t before = 0, after = 0;
		rc = compact_locked(db, &before, &after);
		if (rc == DP_EXIT_OK) {
			size_t l = strlen(summary);
			snprintf(summary + l, sizeof summary - l,
			         "; compacted from %.1f MB to %.1f MB in %.2f s",
			         (double)before / 1e6, (double)after / 1e6,
			         since(&t0) - secs);
		}
	}
	free(shr);
	dp_lock_release(lk);
	dp_walk_release(&w);

	if (st != DP_OK) {
		say("stopped: %s; what was committed before is kept", summary);
		return dp_cli_exit_code(st);
	}
	if (rc != DP_EXIT_OK) {
		/* the index is whole, only not compacted */
		say("%s; the database is complete but was not compacted",
		    summary);
		return rc;
	}
	if (!o->quiet)
		printf(PROG ": %s\n", summary);
	log_only(summary);
	if (stop_signal)
		return 128 + (int)stop_signal;
	return c.failed ? DP_EXIT_NONE : DP_EXIT_OK;
}

/* ---- maintenance ---------------------------------------------------------- */

static uint64_t dir_size(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode))
			total += (uint64_t)sb.st_size;
	}
	closedir(d);
	return total;
}

static int count_key(void *ctx, const char *key, size_t klen,
                     const char *value, size_t vlen)
{
	(void)key;
	(void)klen;
	(void)value;
	if (vlen)
		(*(uint64_t *)ctx)++;
	return 0;
}

static void key_to_iso(const char *k, char *out, size_t n)
{
	if (!k || strlen(k) < 14) {
		snprintf(out, n, "-");
		return;
	}
	snprintf(out, n, "%.4s-%.2s-%.2s %.2s:%.2s UTC", k, k + 4, k + 6, k + 8,
	         k + 10);
}

/* For --status, --check and --compact: a clear message when there is no
 * database at all. */
static int require_db(const char *db)
{
	struct stat sb;
	if (stat(db, &sb) == 0)
		return 0;
	say("no database at '%s'", db);
	return DP_EXIT_NOINPUT;
}

/* Size of a database directory, or of every database under a sharded
 * one. */
static uint64_t tree_size(const char *dir)
{
	uint64_t total = dir_size(dir);
	DIR *d = opendir(dir);
	if (!d)
		return total;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[4096 + 256];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			total += dir_size(p);
	}
	closedir(d);
	return total;
}

/* Timeout for a shard server that does not answer (--status). */
#define REMOTE_TIMEOUT_MS 5000

/* --status of a sharded database: the totals, then one line per shard. */
static int run_status_shards(const char *db)
{
	dp_error err = {0};
	char sp[4096 + 32];
	snprintf(sp, sizeof sp, "%s/%s", db, DP_STATE_NAME);
	dpx_db *state = NULL;
	dp_status st = dpx_db_open(sp, DPX_OPEN_READ, &state, &err);
	char *last = NULL, *an = NULL, *kind = NULL;
	uint64_t nfiles = 0;
	if (st == DP_OK)
		st = dpx_db_get_metadata(state, DP_META_LASTRUN, &last, NULL, &err);
	if (st == DP_OK)
		st = dpx_db_get_metadata(state, DP_META_ANALYZER, &an, NULL, &err);
	if (st == DP_OK)
		st = dpx_db_get_metadata(state, DP_META_SHARDS, &kind, NULL, &err);
	if (st == DP_OK)
		st = dpx_db_metadata_each(state, DP_META_FILE_PREFIX, count_key,
		                          &nfiles, &err);
	dp_stub stub = {0};
	if (st == DP_OK)
		st = dp_stub_read(db, &stub, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		dpx_db_free(state);
		free(last);
		free(an);
		free(kind);
		return dp_cli_exit_code(st);
	}
	/* one line per shard, kept to print after the totals */
	size_t cap = 4096 + stub.n * 160, len = 0;
	char *lines = malloc(cap);
	uint64_t tdocs = 0, tlive = 0;
	char lo_all[32] = "", hi_all[32] = "";
	size_t nlocal = 0, nremote = 0, ndown = 0;
	long long now = (long long)time(NULL);
	for (size_t i = 0; lines && i < stub.n; i++) {
		const dp_stub_line *l = &stub.v[i];
		dpx_db *x = NULL;
		dp_error e2 = {0};
		char host[256];
		unsigned port;
		int rr;
		dp_status s2;
		char path[4096 + 64];
		if (l->local) {
			nlocal++;
			snprintf(path, sizeof path, "%s/%s", db, l->local);
			s2 = dpx_db_open(path, DPX_OPEN_READ, &x, &e2);
		} else if ((rr = dp_stub_remote_addr(l->text, host, sizeof host,
		                                     &port)) == 0) {
			nremote++;
			s2 = dpx_db_open_remote(host, port, REMOTE_TIMEOUT_MS, &x,
			                        &e2);
		} else if (rr == 1) {
			nremote++;
			s2 = dp_error_set(&e2, DP_ERR_CONFIG, "Xapian reads ':' "
			                  "after 'remote' as a program to run: "
			                  "write 'remote %s:%u'", host, port);
		} else {
			nremote += l->remote;
			s2 = dp_error_set(&e2, DP_ERR_INVALID, "a line depeche "
			                  "does not read");
		}
		uint32_t docs = 0, live = 0;
		char *lo = NULL, *hi = NULL;
		if (s2 == DP_OK)
			s2 = dpx_db_doccount(x, &docs, &e2);
		if (s2 == DP_OK)
			s2 = dpx_db_termfreq(x, DP_TERM_LIVE, strlen(DP_TERM_LIVE),
			                     &live, &e2);
		if (s2 == DP_OK)
			s2 = dpx_db_value_bounds(x, DP_SLOT_TIME, &lo, &hi, &e2);
		dpx_db_free(x);
		const char *name = l->local ? l->local : l->text;
		char state_s[48] = "-";
		if (l->local) {
			char key[64], *mark = NULL;
			sealed_key(l->local, key);
			dpx_db_get_metadata(state, key, &mark, NULL, &e2);
			if (!dp_shards_sealed(l->local, now))
				snprintf(state_s, sizeof state_s, "open");
			else
				snprintf(state_s, sizeof state_s, "sealed%s",
				         mark && *mark ? ", compacted" : "");
			free(mark);
		}
		if (cap - len < 4096) {
			char *nl = realloc(lines, cap * 2);
			if (!nl)
				break;
			lines = nl;
			cap *= 2;
		}
		if (s2 != DP_OK) {
			ndown++;
			len += (size_t)snprintf(lines + len, cap - len,
			                        "  %-22s %10s %10s  %-18s %s "
			                        "(unavailable: %s)\n", name, "-", "-",
			                        state_s, l->local ? "local" : "remote",
			                        e2.msg);
		} else {
			char size[32] = "-";
			if (l->local)
				snprintf(size, sizeof size, "%.1f MB",
				         (double)dir_size(path) / 1e6);
			len += (size_t)snprintf(lines + len, cap - len,
			                        "  %-22s %10u %10s  %-18s %s\n", name,
			                        live, size, state_s,
			                        l->local ? "local" : "remote");
			tdocs += docs;
			tlive += live;
			if (lo && *lo && (!*lo_all || strcmp(lo, lo_all) < 0))
				snprintf(lo_all, sizeof lo_all, "%s", lo);
			if (hi && *hi && strcmp(hi, hi_all) > 0)
				snprintf(hi_all, sizeof hi_all, "%s", hi);
		}
		free(lo);
		free(hi);
	}
	dpx_db_free(state);
	char from[40], to[40];
	key_to_iso(*lo_all ? lo_all : NULL, from, sizeof from);
	key_to_iso(*hi_all ? hi_all : NULL, to, sizeof to);
	printf("database:     %s\n", db);
	printf("shards:       by %s: %zu local, %zu remote%s\n",
	       kind ? kind : "?", nlocal, nremote,
	       ndown ? " (some unavailable)" : "");
	printf("dispatches:   %" PRIu64 " searchable, %" PRIu64 " killed or "
	       "withheld\n", tlive, tdocs - tlive);
	printf("dates:        %s to %s\n", from, to);
	printf("files:        %" PRIu64 " indexed\n", nfiles);
	printf("size:         %.1f MB\n", (double)tree_size(db) / 1e6);
	printf("analyzer:     %s\n", an ? an : "-");
	printf("last run:     %s\n", last ? last : "never");
	printf("  %-22s %10s %10s  %-18s %s\n", "period", "dispatches", "size",
	       "state", "where");
	if (lines)
		fputs(lines, stdout);
	free(lines);
	free(last);
	free(an);
	free(kind);
	dp_stub_release(&stub);
	return ndown ? DP_EXIT_UNAVAILABLE : DP_EXIT_OK;
}

static int run_status(const char *db)
{
	dp_error err = {0};
	int missing = require_db(db);
	if (missing)
		return missing;
	if (dp_shards_present(db))
		return run_status_shards(db);
	dpx_db *x = NULL;
	dp_status st = dpx_db_open(db, DPX_OPEN_READ, &x, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		return dp_cli_exit_code(st);
	}
	uint32_t docs = 0, live = 0;
	uint64_t nfiles = 0;
	char *lo = NULL, *hi = NULL, *last = NULL, *an = NULL;
	st = dpx_db_doccount(x, &docs, &err);
	if (st == DP_OK)
		st = dpx_db_termfreq(x, DP_TERM_LIVE, strlen(DP_TERM_LIVE), &live,
		                     &err);
	if (st == DP_OK)
		st = dpx_db_value_bounds(x, DP_SLOT_TIME, &lo, &hi, &err);
	if (st == DP_OK)
		st = dpx_db_get_metadata(x, DP_META_LASTRUN, &last, NULL, &err);
	if (st == DP_OK)
		st = dpx_db_get_metadata(x, DP_META_ANALYZER, &an, NULL, &err);
	if (st == DP_OK)
		st = dpx_db_metadata_each(x, DP_META_FILE_PREFIX, count_key,
		                          &nfiles, &err);
	dpx_db_free(x);
	int rc = DP_EXIT_OK;
	if (st != DP_OK) {
		say("%s", err.msg);
		rc = dp_cli_exit_code(st);
	} else {
		char from[40], to[40];
		key_to_iso(lo, from, sizeof from);
		key_to_iso(hi, to, sizeof to);
		printf("database:     %s\n", db);
		printf("dispatches:   %u searchable, %u killed or withheld\n",
		       live, docs - live);
		printf("dates:        %s to %s\n", from, to);
		printf("files:        %" PRIu64 " indexed\n", nfiles);
		printf("size:         %.1f MB\n", (double)dir_size(db) / 1e6);
		printf("analyzer:     %s\n", an ? an : "-");
		printf("last run:     %s\n", last ? last : "never");
	}
	free(lo);
	free(hi);
	free(last);
	free(an);
	return rc;
}

static int run_check(const char *db)
{
	dp_error err = {0};
	int missing = require_db(db);
	if (missing)
		return missing;
	size_t errors = 0;
	char report[4096];
	dp_status st = DP_OK;
	if (dp_shards_present(db)) {
		/* the state and every local shard */
		dp_stub stub;
		st = dp_stub_read(db, &stub, &err);
		for (size_t i = 0; st == DP_OK && i <= stub.n; i++) {
			const char *name = i < stub.n ? stub.v[i].local
			                   : DP_STATE_NAME;
			if (!name)
				continue;
			char p[4096 + 32];
			snprintf(p, sizeof p, "%s/%s", db, name);
			size_t e = 0;
			st = dpx_db_check(p, &e, report, sizeof report, &err);
			if (e)
				say("shard '%s' has %zu consistency errors", name, e);
			errors += e;
		}
		if (st == DP_OK || stub.n)
			dp_stub_release(&stub);
	} else {
		st = dpx_db_check(db, &errors, report, sizeof report, &err);
	}
	if (st != DP_OK) {
		say("%s", err.msg);
		return dp_cli_exit_code(st);
	}
	if (errors) {
		say("database '%s' has %zu consistency errors", db, errors);
		return DP_EXIT_DATAERR;
	}
	printf(PROG ": database '%s' is consistent\n", db);
	return DP_EXIT_OK;
}

static int remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc |= remove_tree(p);
		else if (unlink(p) != 0)
			rc = -1;
	}
	closedir(d);
	return rmdir(dir) | rc;
}

/* Compacts db, which the caller has locked and closed, into a copy that
 * then takes its place; returns an exit status. */
/* fsync()s every file of a database directory, then the directory. */
static int sync_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0)
			rc = -1;
		if (fd >= 0)
			close(fd);
	}
	int fd = dirfd(d);
	if (fd < 0 || fsync(fd) != 0)
		rc = -1;
	closedir(d);
	return rc;
}

static void sync_parent(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Leftovers of a compaction that was stopped (a crash, a kill): the copy
 * being built is removed; a database moved aside and not yet replaced
 * (the two-rename swap on file systems without an atomic exchange) is
 * put back.  The caller holds the writer lock: no compaction runs. */
static void clean_compaction(const char *db)
{
	char dir[4096], base[1024];
	size_t n = strlen(db);
	while (n > 1 && db[n - 1] == '/')
		n--;
	const char *slash = memrchr(db, '/', n);
	if (slash) {
		snprintf(dir, sizeof dir, "%.*s", slash == db ? 1
		         : (int)(slash - db), db);
		snprintf(base, sizeof base, "%.*s", (int)(n - (size_t)(slash - db)
		         - 1), slash + 1);
	} else {
		snprintf(dir, sizeof dir, ".");
		snprintf(base, sizeof base, "%.*s", (int)n, db);
	}
	DIR *d = opendir(dir);
	if (!d)
		return;
	char dbn[4096];
	snprintf(dbn, sizeof dbn, "%.*s", (int)n, db);
	size_t bl = strlen(base);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, bl) != 0 || e->d_name[bl] != '.')
			continue;
		const char *rest = e->d_name + bl + 1;
		int old = !strncmp(rest, "old-", 4);
		if (!old && strncmp(rest, "compact-", 8) != 0)
			continue;
		char p[PATH_MAX + 256];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (old && stat(dbn, &sb) != 0 && errno == ENOENT
		    && rename(p, dbn) == 0) {
			say("'%s' was left aside by a stopped compaction: put "
			    "back", dbn);
			continue;
		}
		remove_tree(p);
	}
	closedir(d);
}

/* Compacts db, which the caller has locked and closed, into a copy that
 * then takes its place; returns an exit status. */
static int compact_locked(const char *db, uint64_t *before, uint64_t *after)
{
	char dbn[4096], tmp[4096 + 32], old[4096 + 32];
	size_t n = strlen(db);
	while (n > 1 && db[n - 1] == '/')
		n--;
	snprintf(dbn, sizeof dbn, "%.*s", (int)n, db);
	snprintf(tmp, sizeof tmp, "%s.compact-%ld", dbn, (long)getpid());
	snprintf(old, sizeof old, "%s.old-%ld", dbn, (long)getpid());
	clean_compaction(dbn);
	*before = dir_size(dbn);
	dp_error err = {0};
	const char *src[1] = {dbn};
	dp_status st = dpx_db_compact(src, 1, tmp, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		remove_tree(tmp);
		return dp_cli_exit_code(st);
	}
	if (sync_tree(tmp) != 0) {
		say("cannot sync the compacted copy of '%s': %s", dbn,
		    strerror(errno));
		remove_tree(tmp);
		return DP_EXIT_IOERR;
	}
	/* swap, atomically where the file system can: readers that hold
	 * the old files keep them until they reopen; new readers see the
	 * compacted database; a crash leaves one or the other whole */
	int swapped = renameat2(AT_FDCWD, tmp, AT_FDCWD, dbn,
	                        RENAME_EXCHANGE) == 0;
	if (swapped) {
		sync_parent(dbn);
		remove_tree(tmp);   /* now the old database */
	} else if (rename(dbn, old) != 0 || rename(tmp, dbn) != 0) {
		say("cannot replace '%s' with its compacted copy: %s", dbn,
		    strerror(errno));
		struct stat sb;
		if (stat(dbn, &sb) != 0)
			rename(old, dbn);
		remove_tree(tmp);
		return DP_EXIT_IOERR;
	} else {
		sync_parent(dbn);
		remove_tree(old);
	}
	*after = dir_size(dbn);
	return DP_EXIT_OK;
}

/* At the end of a sharded run: a bulk load compacts the shards it wrote;
 * a shard whose period is over (sealed) is compacted once, and again
 * only when a later run writes to it (a late correction).  Which sealed
 * shards are compacted is kept in the state database. */
/* Shards compacted in threads: each takes the next of todo. */
typedef struct compact_job {
	const char *db;
	const shard_run *shr;
	const size_t *todo;
	size_t ntodo, next;
	int stop;
	int *rc;
	uint64_t *b, *a;
	pthread_mutex_t mu;
} compact_job;

static void *compact_worker(void *arg)
{
	compact_job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		size_t i = j->stop ? j->ntodo : j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->ntodo)
			break;
		char p[4096 + 32];
		snprintf(p, sizeof p, "%s/%s", j->db, j->shr[j->todo[i]].name);
		j->rc[i] = compact_locked(p, &j->b[i], &j->a[i]);
		if (j->rc[i] != DP_EXIT_OK) {
			pthread_mutex_lock(&j->mu);
			j->stop = 1;
			pthread_mutex_unlock(&j->mu);
		}
	}
	return NULL;
}

static int compact_shards(const char *db, const shard_run *shr, size_t n,
                          int bulk, int threads, uint64_t *before,
                          uint64_t *after, size_t *ncomp)
{
	*before = *after = 0;
	*ncomp = 0;
	char sp[4096];
	snprintf(sp, sizeof sp, "%s/%s", db, DP_STATE_NAME);
	dp_error err = {0};
	dpx_db *state = NULL;
	dp_status st = dpx_db_open(sp, DPX_OPEN_WRITE, &state, &err);
	if (st != DP_OK) {
		say("%s", err.msg);
		return dp_cli_exit_code(st);
	}
	long long now = (long long)time(NULL);
	int rc = DP_EXIT_OK;
	size_t *todo = calloc(n ? n : 1, sizeof *todo);
	int *sealed = calloc(n ? n : 1, sizeof *sealed);
	int *rcs = calloc(n ? n : 1, sizeof *rcs);
	uint64_t *bs = calloc(n ? n : 1, sizeof *bs);
	uint64_t *as = calloc(n ? n : 1, sizeof *as);
	size_t ntodo = 0;
	if (!todo || !sealed || !rcs || !bs || !as) {
		say("out of memory");
		rc = DP_EXIT_OSERR;
	}
	/* which shards: the state says which were compacted sealed */
	for (size_t k = 0; rc == DP_EXIT_OK && k < n; k++) {
		char key[64], *mark = NULL;
		sealed_key(shr[k].name, key);
		st = dpx_db_get_metadata(state, key, &mark, NULL, &err);
		if (st != DP_OK)
			break;
		int sl = dp_shards_sealed(shr[k].name, now);
		int marked = mark && *mark;
		free(mark);
		int go = (bulk && shr[k].writes)
		         || (sl && (!marked || shr[k].writes));
		if (!go) {
			if (marked && shr[k].writes)
				st = dpx_db_set_metadata(state, key, "", 0, &err);
			if (st != DP_OK)
				break;
			continue;
		}
		sealed[ntodo] = sl;
		todo[ntodo++] = k;
	}
	/* compacted in threads: each its own Xapian objects */
	if (st == DP_OK && rc == DP_EXIT_OK && ntodo) {
		compact_job j = {db, shr, todo, ntodo, 0, 0, rcs, bs, as,
		                 PTHREAD_MUTEX_INITIALIZER};
		if (threads > (int)ntodo)
			threads = (int)ntodo;
		pthread_t th[MAX_JOBS];
		int started = 0;
		for (int i = 1; i < threads && i < MAX_JOBS; i++)
			if (pthread_create(&th[started], NULL, compact_worker,
			                   &j) == 0)
				started++;
		compact_worker(&j);
		for (int i = 0; i < started; i++)
			pthread_join(th[i], NULL);
		pthread_mutex_destroy(&j.mu);
		for (size_t i = 0; i < ntodo; i++) {
			if (i >= j.next) {
				/* not started: stopped on an error before */
				continue;
			}
			if (rcs[i] != DP_EXIT_OK) {
				if (rc == DP_EXIT_OK)
					rc = rcs[i];
				continue;
			}
			*before += bs[i];
			*after += as[i];
			(*ncomp)++;
			char key[64], ts[32];
			sealed_key(shr[todo[i]].name, key);
			timestamp(ts, sizeof ts);
			if (st == DP_OK)
				st = dpx_db_set_metadata(state, key,
				                         sealed[i] ? ts : "",
				                         sealed[i] ? strlen(ts) : 0,
				                         &err);
		}
	}
	free(todo);
	free(sealed);
	free(rcs);
	free(bs);
	free(as);
	if (st == DP_OK)
		st = dpx_db_commit(state, &err);
	if (st == DP_OK)
		st = dpx_db_close(state, &err);
	dpx_db_free(state);
	if (st != DP_OK) {
		say("%s", err.msg);
		if (rc == DP_EXIT_OK)
			rc = dp_cli_exit_code(st);
	}
	return rc;
}

static int run_compact(const char *db, const opts *o)
{
	int missing = require_db(db);
	if (missing)
		return missing;
	dp_lock *lk = NULL;
	int lr = lock_db(db, o, &lk);
	if (lr)
		return lr;
	uint64_t before = 0, after = 0;
	int rc = DP_EXIT_OK;
	if (dp_shards_present(db)) {
		/* every local shard, and the state */
		dp_error err = {0};
		dp_stub stub;
		dp_status st = dp_stub_read(db, &stub, &err);
		if (st != DP_OK) {
			say("%s", err.msg);
			dp_lock_release(lk);
			return dp_cli_exit_code(st);
		}
		for (size_t i = 0; rc == DP_EXIT_OK && i <= stub.n; i++) {
			const char *name = i < stub.n ? stub.v[i].local
			                   : DP_STATE_NAME;
			if (!name)
				continue;
			char p[4096 + 32];
			snprintf(p, sizeof p, "%s/%s", db, name);
			uint64_t b = 0, a = 0;
			rc = compact_locked(p, &b, &a);
			before += b;
			after += a;
		}
		dp_stub_release(&stub);
	} else {
		rc = compact_locked(db, &before, &after);
	}
	dp_lock_release(lk);
	if (rc == DP_EXIT_OK && !o->quiet)
		printf(PROG ": compacted '%s' from %.1f MB to %.1f MB\n", db,
		       (double)before / 1e6, (double)after / 1e6);
	return rc;
}

/* --convert: the single database db becomes a sharded one, under the
 * writer lock: built beside it, then swapped in (as a compaction is). */
static int run_convert(const char *db, const opts *o)
{
	int missing = require_db(db);
	if (missing)
		return missing;
	if (dp_shards_present(db)) {
		say("database '%s' is already sharded", db);
		return DP_EXIT_USAGE;
	}
	dp_lock *lk = NULL;
	int lr = lock_db(db, o, &lk);
	if (lr)
		return lr;
	clean_compaction(db);
	char dbn[4096], tmp[4096 + 32];
	size_t n = strlen(db);
	while (n > 1 && db[n - 1] == '/')
		n--;
	snprintf(dbn, sizeof dbn, "%.*s", (int)n, db);
	/* named as a compaction's copy: a stopped run's is cleaned up */
	snprintf(tmp, sizeof tmp, "%s.compact-%ld", dbn, (long)getpid());
	dp_error err = {0};
	uint32_t docs = 0;
	uint64_t before = dir_size(dbn);
	dp_status st = dp_index_convert(dbn, tmp, o->shards, &docs, &err);
	int rc = DP_EXIT_OK;
	if (st != DP_OK) {
		say("%s", err.msg);
		rc = dp_cli_exit_code(st);
	} else if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dbn,
	                     RENAME_EXCHANGE) != 0) {
		say("cannot put the shards of '%s' in its place: %s", dbn,
		    strerror(errno));
		rc = DP_EXIT_IOERR;
	} else {
		sync_parent(dbn);
	}
	remove_tree(tmp);   /* the half-built copy, or the old database */
	dp_lock_release(lk);
	if (rc == DP_EXIT_OK && !o->quiet)
		printf(PROG ": converted '%s' (%.1f MB) into shards by %s: %u "
		       "dispatches and kills\n", dbn, (double)before / 1e6,
		       dp_shards_kind_name(o->shards), docs);
	return rc;
}

int main(int argc, char **argv)
{
	opts o = {0};
	o.batch = 1000;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o.jobs = ncpu < 1 ? 1 : ncpu > MAX_JOBS ? MAX_JOBS : (int)ncpu;
	stderr_tty = isatty(2);
	int first;
	int rc = dp_cli_start(&program, argc, argv, &o, &first);
	if (rc >= 0)
		return rc;
	char dbbuf[4096];
	const char *db = dp_cli_db(PROG, o.db, dbbuf, sizeof dbbuf,
	                           " (neither XDG_DATA_HOME nor HOME is set)");
	if (!db)
		return DP_EXIT_USAGE;
	if (o.log) {
		log_file = fopen(o.log, "a");
		if (!log_file) {
			fprintf(stderr, PROG ": cannot open log '%s': %s\n", o.log,
			        strerror(errno));
			return DP_EXIT_CANTCREAT;
		}
	}
	/* a signal stops the run after the current dispatch, committing what
	 * is done; past a file-size limit, a write fails (EFBIG) and is
	 * reported instead of killing us */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGXFSZ, SIG_IGN);
	/* a sharded database opens a few files per shard */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (o.mode == OPT_STATUS || o.mode == OPT_CHECK || o.mode == OPT_COMPACT
	    || o.mode == OPT_CONVERT) {
		if (first < argc) {
			dp_cli_usage_error(PROG, "--status, --compact, --check and "
			                   "--convert take no PATH");
			rc = DP_EXIT_USAGE;
		} else if (o.mode == OPT_CONVERT) {
			rc = run_convert(db, &o);
		} else if (o.mode == OPT_STATUS) {
			rc = run_status(db);
		} else if (o.mode == OPT_CHECK) {
			rc = run_check(db);
		} else {
			rc = run_compact(db, &o);
		}
	} else if (first >= argc) {
		dp_cli_usage_error(PROG, "no PATH to index");
		rc = DP_EXIT_USAGE;
	} else {
		rc = run_index(&o, db, argv + first, argc - first);
	}
	if (log_file)
		fclose(log_file);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": write error on standard output\n");
		if (rc == 0)
			rc = DP_EXIT_IOERR;
	}
	return rc;
}
