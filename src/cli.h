/* cli.h: what both programs share — one option table that drives parsing
 * and --help, the start of main (usage errors, --help, --version), the
 * default database, status-to-exit-code mapping, colour decisions. */
#ifndef DEPECHE_CLI_H
#define DEPECHE_CLI_H

#include <stdio.h>

#include "depeche.h"

/* sysexits(3) codes used by both programs (see the man pages) */
enum {
	DP_EXIT_OK = 0,
	DP_EXIT_NONE = 1,        /* search: no results; index: partial failure */
	DP_EXIT_USAGE = 2,
	DP_EXIT_DATAERR = 65,    /* database from another version, corrupt */
	DP_EXIT_NOINPUT = 66,    /* database or input missing */
	DP_EXIT_UNAVAILABLE = 69, /* a shard server does not answer */
	DP_EXIT_SOFTWARE = 70,   /* internal error */
	DP_EXIT_OSERR = 71,      /* out of memory */
	DP_EXIT_CANTCREAT = 73,  /* cannot create the database */
	DP_EXIT_IOERR = 74,      /* read or write error, disk full */
	DP_EXIT_TEMPFAIL = 75,   /* locked by another indexer */
	DP_EXIT_NOPERM = 77,     /* read-only or permission denied */
	DP_EXIT_CONFIG = 78,     /* configuration error */
};

int dp_cli_exit_code(dp_status st);

enum { DP_ARG_NONE = 0, DP_ARG_REQUIRED = 1, DP_ARG_OPTIONAL = 2 };

typedef struct dp_option {
	const char *name;     /* long name */
	char short_name;      /* 0 for none */
	int arg;              /* DP_ARG_* */
	const char *argname;  /* for --help: "DIR" */
	const char *help;
	int id;
} dp_option;

/* Parses argv with the table (getopt_long underneath, options and
 * operands in any order).  fn is called per option with its id and
 * argument (or NULL) and returns non-zero to stop with a usage error whose
 * message it wrote in msg.  *first receives the index of the first
 * operand.  Returns 0, -1 after writing a usage message to msg, or -2
 * when out of memory ("out of memory" in msg). */
typedef int (*dp_option_fn)(void *ctx, int id, const char *arg, char *msg,
                            size_t msgsz);
int dp_cli_parse(int argc, char **argv, const dp_option *opts, size_t n,
                 dp_option_fn fn, void *ctx, int *first, char *msg,
                 size_t msgsz);

/* Prints --help from the table. */
void dp_cli_help(FILE *f, const char *usage, const char *summary,
                 const dp_option *opts, size_t n, const char *footer);

/* A program as its main sees it: its name, its option table, the texts
 * of its --help, and the ids of its --help and --version options. */
typedef struct dp_cli_program {
	const char *name;        /* "depeche-search": messages, --version */
	const dp_option *opts;
	size_t n_opts;
	dp_option_fn on_option;  /* called for every option, these two too */
	int help_id, version_id;
	const char *usage, *summary, *footer;  /* see dp_cli_help */
} dp_cli_program;

/* The start of main: parses argv with p's table (dp_cli_parse, ctx passed
 * to p->on_option), then answers what both programs answer alike, in this
 * order: out of memory (DP_EXIT_OSERR), a usage error
 * (dp_cli_usage_error, DP_EXIT_USAGE), --help (on
 * standard output, DP_EXIT_OK), --version ("NAME (depeche) VERSION,
 * Xapian VERSION", DP_EXIT_OK).  Returns that exit code, or -1 for main to
 * go on, with the index of the first operand in *first. */
int dp_cli_start(const dp_cli_program *p, int argc, char **argv, void *ctx,
                 int *first);

/* Writes "PROG: msg" and "Try 'PROG --help'." to standard error. */
void dp_cli_usage_error(const char *prog, const char *msg);

/* The database to use: db (--db) when given, else the default of
 * dp_config_default_db, written to buf.  Returns NULL, after a usage
 * error "no database: give --db DIR" followed by hint (may be ""), when
 * there is none. */
const char *dp_cli_db(const char *prog, const char *db, char *buf,
                      size_t bufsz, const char *hint);

/* Whether to use colour on stream f: a terminal and NO_COLOR unset. */
int dp_cli_use_color(FILE *f);

/* Parses a non-negative integer option value; returns -1 when invalid. */
int dp_cli_parse_uint(const char *s, unsigned long max, unsigned long *out);

#endif
