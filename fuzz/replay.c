/* replay.c: runs the fuzz harnesses without libFuzzer, on files: the
 * regression inputs of tests/fixtures/fuzz/ and the seed corpora, in
 * every build (tests/t-fuzz.sh).
 *
 *   fuzz-replay HARNESS FILE|DIR...
 *
 * Exits 0 when every input ran (a failed check aborts). */
#include "autoconf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define HARNESS(n) int dp_harness_##n(const uint8_t *data, size_t size);
#define HARNESSES \
	HARNESS(newsml12) HARNESS(g2) HARNESS(nitf) HARNESS(ninjs) \
	HARNESS(jsonl) HARNESS(text) HARNESS(input) HARNESS(ranking) \
	HARNESS(entities) HARNESS(meetings) HARNESS(query) \
	HARNESS(analyzer) HARNESS(snippet) HARNESS(sentences)
HARNESSES
#undef HARNESS

typedef int (*entry)(const uint8_t *, size_t);
static const struct {
	const char *name;
	entry fn;
} table[] = {
#define HARNESS(n) {#n, dp_harness_##n},
	HARNESSES
#undef HARNESS
};

static unsigned long runs;

static int run_file(entry fn, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fprintf(stderr, "fuzz-replay: out of memory\n");
			exit(71);
		}
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		perror(path);
		free(buf);
		return 1;
	}
	/* an exact copy, so that reads past the end are seen */
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy) {
		fprintf(stderr, "fuzz-replay: out of memory\n");
		exit(71);
	}
	memcpy(copy, buf, n);
	free(buf);
	fn(copy, n);
	free(copy);
	runs++;
	return 0;
}

static int run_path(entry fn, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(sb.st_mode))
		return run_file(fn, path);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	int bad = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t l = strlen(path) + strlen(e->d_name) + 2;
		char *p = malloc(l);
		if (!p) {
			closedir(d);
			return 1;
		}
		snprintf(p, l, "%s/%s", path, e->d_name);
		bad |= run_path(fn, p);
		free(p);
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: fuzz-replay HARNESS FILE|DIR...\n");
		return 2;
	}
	entry fn = NULL;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (!strcmp(table[i].name, argv[1]))
			fn = table[i].fn;
	if (!fn) {
		fprintf(stderr, "fuzz-replay: no harness '%s'\n", argv[1]);
		return 2;
	}
	int bad = 0;
	for (int i = 2; i < argc; i++)
		bad |= run_path(fn, argv[i]);
	printf("%s: %lu inputs\n", argv[1], runs);
	return bad;
}
