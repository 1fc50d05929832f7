/* shards.h: a database split by period (see depeche-shards(7)).
 *
 * A sharded database is a directory DIR holding
 *   DIR/XAPIANDB   a Xapian stub file: one line per shard ("glass 2023-01",
 *                  or "remote :HOST:PORT" for a shard another machine
 *                  serves), which Xapian opens as one database;
 *   DIR/state/     a glass database without documents: the indexer's
 *                  state (schema, analyzer, layout, indexed files, last
 *                  run), which no search reads;
 *   DIR/2023-01/   one glass database per period (month "YYYY-MM" or
 *                  year "YYYY"; "undated" for dispatches without a date).
 * The writer lock stays DIR.lock, beside the directory.  Every shard also
 * records the schema and the analyzer, so that a search checks them on
 * whichever shard comes first. */
#ifndef DEPECHE_SHARDS_H
#define DEPECHE_SHARDS_H

#include <stddef.h>

#include "depeche.h"

typedef enum dp_shard_kind {
	DP_SHARDS_NONE = 0,   /* one database */
	DP_SHARDS_MONTH,
	DP_SHARDS_YEAR,
} dp_shard_kind;

#define DP_STUB_NAME "XAPIANDB"
#define DP_STATE_NAME "state"
#define DP_UNDATED "undated"
#define DP_META_SHARDS "depeche.shards"    /* state: "month" or "year" */
#define DP_META_PERIOD "depeche.period"    /* shard: its period */
#define DP_META_SEALED "depeche.sealed"    /* shard: compacted once sealed */

/* "month" or "year" to a kind; -1 when neither. */
int dp_shards_parse_kind(const char *s);
const char *dp_shards_kind_name(int kind);

/* The period of a local date "YYYYMMDD" (NULL or "": undated) into out
 * (16 bytes): "YYYY-MM", "YYYY" or DP_UNDATED. */
void dp_shards_period(int kind, const char *day, char out[16]);

/* Which of n parallel writers owns the shard of period: consecutive
 * months (or years) go to writers in turn; "undated" to the first. */
int dp_shards_owner(const char *period, int n);

/* Whether period (a shard's name) is over at unix time now, in UTC: no
 * dispatch dated now belongs to it. */
int dp_shards_sealed(const char *period, long long now);

/* Whether dir is a sharded database (holds a stub or a state database). */
int dp_shards_present(const char *dir);

/* The lines of a stub file. */
typedef struct dp_stub_line {
	char *text;      /* the whole line, as written */
	char *local;     /* for "glass NAME" / "auto NAME" with NAME a plain
	                    name in the directory: NAME; else NULL */
	int remote;      /* a "remote ..." line */
} dp_stub_line;

typedef struct dp_stub {
	dp_stub_line *v;
	size_t n, cap;
} dp_stub;

/* Reads DIR/XAPIANDB (a missing file is an empty stub).  Release with
 * dp_stub_release. */
dp_status dp_stub_read(const char *dir, dp_stub *s, dp_error *err);
void dp_stub_release(dp_stub *s);
/* Adds "glass NAME" unless a line names it; keeps local shards in name
 * order, before the other lines. */
dp_status dp_stub_add_local(dp_stub *s, const char *name, dp_error *err);
/* Writes DIR/XAPIANDB atomically: a temporary file, synced, renamed
 * over the old one; readers see the old list or the new, never half. */
dp_status dp_stub_write(const char *dir, const dp_stub *s, dp_error *err);

/* The host and port of a "remote HOST:PORT" line (a shard served by
 * xapian-tcpsrv: Xapian's stub syntax): 0.  A line "remote :HOST:PORT"
 * fills them too but returns 1: Xapian reads ':' there as a program to
 * run (its "remote :PROG ARGS" form), so the line is a mistake to
 * report.  -1 for any other line. */
int dp_stub_remote_addr(const char *text, char *host, size_t hostsz,
                        unsigned *port);

#endif
