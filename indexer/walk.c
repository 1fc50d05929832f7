/* walk.c: collecting input files.  See walk.h. */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "walk.h"

static const char *const ignored_ext[] = {
	".md", ".sh", ".in", ".py", ".pl", ".yaml", ".yml", ".xsd", ".dtd",
	".xsl", ".tar", ".zip", ".7z", ".bz2", ".xz", ".jpg", ".jpeg", ".png",
	".gif", ".tif", ".tiff", ".webp", ".pdf", ".mp3", ".mp4", ".mov",
	".wav", ".lock", ".tmp", ".swp", ".bak", ".orig", ".rej", ".c", ".h",
};

int dp_walk_ignored(const char *name)
{
	if (name[0] == '.')
		return 1;
	if (!strncasecmp(name, "README", 6) || !strncasecmp(name, "LICENSE", 7)
	    || !strncasecmp(name, "COPYING", 7) || !strcmp(name, "Makefile"))
		return 1;
	size_t n = strlen(name);
	if (n && name[n - 1] == '~')
		return 1;
	for (size_t i = 0; i < sizeof ignored_ext / sizeof *ignored_ext; i++) {
		size_t l = strlen(ignored_ext[i]);
		if (n > l && !strcasecmp(name + n - l, ignored_ext[i]))
			return 1;
	}
	return 0;
}

static int push(dp_walk *w, const char *path, const struct stat *sb,
                int is_stdin)
{
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 64;
		dp_walk_file *nv = realloc(w->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		w->v = nv;
		w->cap = nc;
	}
	dp_walk_file *f = &w->v[w->n];
	memset(f, 0, sizeof *f);
	/* the file's state is kept under its absolute path, so that a run
	 * from another directory (or --prune) sees the same file */
	f->path = is_stdin ? strdup(path) : realpath(path, NULL);
	if (!f->path && !is_stdin)
		f->path = strdup(path);
	if (!f->path)
		return -1;
	f->is_stdin = is_stdin;
	if (sb) {
		f->size = sb->st_size;
		f->mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000LL
		              + sb->st_mtim.tv_nsec;
		f->ino = sb->st_ino;
		f->dev = sb->st_dev;
		w->total_bytes += (uint64_t)sb->st_size;
	}
	w->n++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int same_dir(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int walk_dir(dp_walk *w, const char *dir, const struct stat *skip,
                    dp_walk_warn_fn warn, void *ctx, int depth)
{
	if (depth > 64) {
		warn(ctx, dir, "directories nested too deep, not entered");
		return 1;
	}
	DIR *d = opendir(dir);
	if (!d && errno == ENOMEM)
		return -1;   /* opendir allocates: not the directory's fault */
	if (!d) {
		warn(ctx, dir, strerror(errno));
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int problems = 0;
	while ((e = readdir(d))) {
		if (dp_walk_ignored(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				problems = -1;
				break;
			}
			names = nn;
		}
		names[n] = strdup(e->d_name);
		if (!names[n]) {
			problems = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (problems >= 0 && n > 1)
		qsort(names, n, sizeof *names, cmp_names);
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	for (size_t i = 0; i < n && problems >= 0; i++) {
		size_t pl = dl + 1 + strlen(names[i]) + 1;
		char *p = malloc(pl);
		if (!p) {
			problems = -1;
			break;
		}
		snprintf(p, pl, "%.*s/%s", (int)dl, dir, names[i]);
		struct stat sb;
		if (lstat(p, &sb) != 0) {
			warn(ctx, p, strerror(errno));
			problems++;
		} else if (S_ISDIR(sb.st_mode)) {
			if (!skip || !same_dir(&sb, skip)) {
				int r = walk_dir(w, p, skip, warn, ctx, depth + 1);
				problems = r < 0 ? -1 : problems + r;
			}
		} else if (S_ISLNK(sb.st_mode)) {
			/* follow links to files, never to directories */
			if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
				if (push(w, p, &sb, 0) < 0)
					problems = -1;
			}
		} else if (S_ISREG(sb.st_mode)) {
			if (push(w, p, &sb, 0) < 0)
				problems = -1;
		}
		free(p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return problems;
}

int dp_walk_add(dp_walk *w, const char *path, const char *skip,
                dp_walk_warn_fn warn, void *ctx)
{
	if (strcmp(path, "-") == 0)
		return push(w, "-", NULL, 1) < 0 ? -1 : 0;
	struct stat sb;
	if (stat(path, &sb) != 0) {
		warn(ctx, path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(sb.st_mode)) {
		struct stat skip_sb;
		int have_skip = skip && stat(skip, &skip_sb) == 0;
		return walk_dir(w, path, have_skip ? &skip_sb : NULL, warn, ctx, 0);
	}
	if (!S_ISREG(sb.st_mode)) {
		warn(ctx, path, "not a regular file");
		return 1;
	}
	return push(w, path, &sb, 0) < 0 ? -1 : 0;
}

void dp_walk_release(dp_walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
	memset(w, 0, sizeof *w);
}
