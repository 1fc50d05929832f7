/* walk.h: the input files of a run.  Directories are walked recursively in
 * name order, without following symbolic links to directories; hidden
 * entries and files that are plainly not dispatches (README, *.md, *.sh,
 * *.in, *.yaml, images, archives...) are left out of directory walks.
 * Files named on the command line are always read.  Paths are made
 * absolute (realpath), so that a file is the same file whatever the
 * directory the indexer runs from. */
#ifndef DEPECHE_WALK_H
#define DEPECHE_WALK_H

#include <stddef.h>
#include <stdint.h>

typedef struct dp_walk_file {
	char *path;
	int64_t size;
	int64_t mtime_ns;
	uint64_t ino, dev;
	int is_stdin;
} dp_walk_file;

typedef struct dp_walk {
	dp_walk_file *v;
	size_t n, cap;
	uint64_t total_bytes;
} dp_walk;

/* Called for a path that cannot be walked (unreadable directory, missing
 * operand); the walk goes on. */
typedef void (*dp_walk_warn_fn)(void *ctx, const char *path, const char *msg);

/* Adds path (a file, a directory or "-") to w.  skip is a directory never
 * to enter (the database), or NULL.  Returns the number of problems
 * reported through warn, or -1 when out of memory. */
int dp_walk_add(dp_walk *w, const char *path, const char *skip,
                dp_walk_warn_fn warn, void *ctx);
void dp_walk_release(dp_walk *w);
/* Whether a directory walk would leave out this file name. */
int dp_walk_ignored(const char *name);

#endif
