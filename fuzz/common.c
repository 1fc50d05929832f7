/* common.c: helpers of the libFuzzer harnesses.  See fuzz.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "docdata.h"
#include "index.h"
#include "jsonmem.h"
#include "readers/readers.h"

void dp_fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
	abort();
}

dp_analyzer *dp_fuzz_analyzer(void)
{
	static dp_analyzer *an;
	if (!an) {
		dp_error err;
		if (dp_analyzer_new(&an, &err) != DP_OK) {
			fprintf(stderr, "fuzz: %s\n", err.msg);
			abort();
		}
	}
	return an;
}

char *dp_fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	DP_FUZZ_ASSERT(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *dp_fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("dp-fuzz-input", MFD_CLOEXEC);
		DP_FUZZ_ASSERT(fd >= 0);
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	DP_FUZZ_ASSERT(ftruncate(fd, 0) == 0);
	size_t off = 0;
	while (off < size) {
		ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);
		DP_FUZZ_ASSERT(w > 0);
		off += (size_t)w;
	}
	return path;
}

/* What the indexer does with one dispatch it has read. */
static void use_dispatch(const dp_dispatch *d)
{
	static dp_prepared *prep;
	dp_error err;
	if (!prep)
		DP_FUZZ_ASSERT(dp_prepared_new(&prep, &err) == DP_OK);
	dp_status st = dp_index_prepare(prep, dp_fuzz_analyzer(), d, NULL,
	                                &err);
	DP_FUZZ_ASSERT(st != DP_ERR_INTERNAL);
	if (st != DP_OK)
		return;
	char *data;
	size_t len;
	st = dp_docdata_encode(d, &data, &len, &err);
	DP_FUZZ_ASSERT(st == DP_OK);
	dp_docdata dd;
	st = dp_docdata_decode(data, len, &dd, &err);
	/* what we encoded we must be able to read back */
	if (st != DP_OK)
		fprintf(stderr, "decode: %s\n", err.msg);
	DP_FUZZ_ASSERT(st == DP_OK);
	dp_docdata_release(&dd);
	free(data);
}

size_t dp_fuzz_bytes(const dp_reader *r, size_t size)
{
	/* deflate expands at most 1032 times; each record or error takes
	 * a byte at least */
	return dp_input_is_gzip(r->in) ? size * 1032 : size;
}

void dp_fuzz_drain(dp_reader *r, size_t size)
{
	dp_dispatch *d = dp_dispatch_new();
	DP_FUZZ_ASSERT(d != NULL);
	/* a reader that never ends is a hang: each call must consume
	 * something, so there cannot be more calls than bytes */
	size_t limit = size + 16;
	char last[sizeof ((dp_error *)0)->msg] = "";
	uint64_t last_off = (uint64_t)-1;
	for (size_t calls = 0;; calls++) {
		DP_FUZZ_ASSERT(calls <= limit);
		dp_error err;
		dp_error_clear(&err);
		dp_status st = dp_reader_next(r, d, &err);
		if (st == DP_DONE)
			break;
		DP_FUZZ_ASSERT(st != DP_ERR_INTERNAL);
		if (st == DP_OK) {
			use_dispatch(d);
			continue;
		}
		if (st != DP_ERR_FORMAT && st != DP_ERR_ENCODING)
			break;   /* the file cannot be read further */
		/* the same error twice at the same place is a reader that
		 * does not advance (a cut gzip stream once repeated its error
		 * for ever): a hang */
		uint64_t off = dp_reader_offset(r);
		DP_FUZZ_ASSERT(!(off == last_off && !strcmp(err.msg, last)
		                 && strstr(err.msg, "gzip stream")));
		last_off = off;
		snprintf(last, sizeof last, "%s", err.msg);
	}
	dp_dispatch_free(d);
}

void dp_fuzz_format(const struct dp_format *fmt, const uint8_t *data,
                    size_t size)
{
	const char *path = dp_fuzz_file(data, size);
	dp_json_init();   /* as dp_reader_open does */
	dp_reader *r = calloc(1, sizeof *r);
	DP_FUZZ_ASSERT(r != NULL);
	dp_reader_opts_init(&r->opts);
	/* the inputs are small: a small limit reaches the limit's code */
	r->opts.max_record = 1u << 20;
	r->opts.file_mtime = 1658966400;  /* 2022-07-28 */
	r->path = strdup("fuzz-input");
	DP_FUZZ_ASSERT(r->path != NULL);
	dp_error err;
	dp_status st = dp_input_open(path, &r->in, &err);
	/* a corrupt gzip stream fails at once */
	DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_FORMAT);
	if (st != DP_OK) {
		dp_reader_free(r);
		return;
	}
	r->name = dp_input_name(r->in);
	r->fmt = fmt;
	st = fmt->open(r, &err);
	DP_FUZZ_ASSERT(st != DP_ERR_INTERNAL);
	if (st == DP_OK)
		dp_fuzz_drain(r, dp_fuzz_bytes(r, size));
	else
		r->fmt = NULL;   /* open cleans up after itself */
	dp_reader_free(r);
}
