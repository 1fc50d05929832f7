/* depeche.h: what the programs see of the library — statuses, errors and
 * the conventions every module follows.
 *
 * The library never prints and never exits.  Every fallible function
 * returns a dp_status and, when given a dp_error, fills it with a message
 * the caller can show as is ("file:line: what is wrong", lower case, no
 * trailing period, subjects in quotes).
 */
#ifndef DEPECHE_H
#define DEPECHE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dp_status {
	DP_OK = 0,
	DP_DONE,            /* iteration finished: not an error */
	DP_ERR_NOMEM,       /* out of memory */
	DP_ERR_IO,          /* read or write failed (errno in the message) */
	DP_ERR_NOT_FOUND,   /* database or file does not exist */
	DP_ERR_LOCKED,      /* database is locked by another writer */
	DP_ERR_MODIFIED,    /* database changed under a reader: reopen and retry */
	DP_ERR_CORRUPT,     /* database is damaged */
	DP_ERR_VERSION,     /* schema or analyzer differs from the database's */
	DP_ERR_INVALID,     /* bad argument from the caller */
	DP_ERR_SYNTAX,      /* query syntax error (position in the message) */
	DP_ERR_CONFIG,      /* configuration file error (file:line:col) */
	DP_ERR_FORMAT,      /* malformed input record (file:line) */
	DP_ERR_ENCODING,    /* invalid UTF-8 or undecodable text */
	DP_ERR_DISK_FULL,   /* no space left on device */
	DP_ERR_READONLY,    /* database or directory not writable */
	DP_ERR_INTERNAL,    /* a bug: an exception we did not expect */
	DP_ERR_UNAVAILABLE, /* a remote shard's server does not answer */
	DP_STATUS_LAST
} dp_status;

/* A status and its message.  Callers usually keep one on the stack and pass
 * its address down; a function that fails fills it, one that succeeds leaves
 * it alone. */
typedef struct dp_error {
	dp_status status;
	char msg[1024];
} dp_error;

/* Short constant description of a status ("database is locked"). */
const char *dp_status_to_string(dp_status st);

/* Fills err (when non-NULL) with st and a printf-style message; returns st
 * so that callers can write `return dp_error_set(err, DP_ERR_IO, ...)`. */
dp_status dp_error_set(dp_error *err, dp_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to err's message (used to add file names). */
void dp_error_prefix(dp_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Whether an allocation has failed in this process (some dp_error_set
 * with DP_ERR_NOMEM): after that, a writable database is abandoned, not
 * closed (see dpx_db_free). */
int dp_out_of_memory_seen(void);
/* Notes an allocation failure that was recovered from (the shim's
 * reserve for operator new). */
void dp_out_of_memory_note(void);

/* Clears err to DP_OK with an empty message. */
void dp_error_clear(dp_error *err);

/* Schema of the index: bump when terms, values or data change meaning.
 * 5: one positional term per token (dp_token_position_term); the other
 * form of a word (its accented stem) has no positions. */
#define DP_SCHEMA_VERSION 5

#ifdef __cplusplus
}
#endif
#endif
