/* input.c: files, gzip and standard input as one byte stream. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "input.h"

#define CHUNK (1u << 16)

struct dp_input {
	char *name;
	int fd;
	gzFile gz;
	int gzip;
	int eof;
	int failed;      /* the stream ended with a read error (eof is set) */
	int pending;     /* that error is yet to be reported */
	char *buf;       /* buffered decompressed bytes: [pos, end) */
	size_t pos, end, cap;
	char *line;      /* long lines are assembled here */
	size_t line_cap;
	uint32_t lineno;
};

static dp_status read_error(dp_input *in, dp_error *err)
{
	int zerr = 0;
	const char *m = gzerror(in->gz, &zerr);
	if (zerr == Z_ERRNO)
		return dp_error_set(err, DP_ERR_IO, "%s: read error: %s",
		                    in->name, strerror(errno));
	if (zerr == Z_MEM_ERROR)
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory",
		                    in->name);
	if (zerr == Z_BUF_ERROR)
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s: truncated gzip stream (unexpected end "
		                    "of file)", in->name);
	return dp_error_set(err, DP_ERR_FORMAT, "%s: corrupt gzip stream: %s",
	                    in->name, m ? m : "unknown error");
}

/* A read error ends the stream: zlib does not always repeat it, and a
 * caller that skips a bad record and reads on must meet the end, not
 * the same error again and again.  The error is reported once. */
static dp_status fail(dp_input *in, dp_error *err)
{
	in->eof = 1;
	in->failed = 1;
	in->pending = 0;
	return read_error(in, err);
}

/* Reports an error that dp_input_peek held back, once. */
static dp_status pending_error(dp_input *in, dp_error *err)
{
	in->pending = 0;
	return read_error(in, err);
}

/* Reads more bytes after end; returns the number read (0 at EOF). */
static dp_status fill(dp_input *in, size_t *got, dp_error *err)
{
	*got = 0;
	if (in->eof)
		return DP_OK;
	if (in->pos > 0 && in->pos == in->end) {
		in->pos = in->end = 0;
	}
	if (in->cap - in->end < CHUNK) {
		if (in->pos > 0) {
			memmove(in->buf, in->buf + in->pos, in->end - in->pos);
			in->end -= in->pos;
			in->pos = 0;
		}
		if (in->cap - in->end < CHUNK) {
			size_t nc = in->cap ? in->cap * 2 : CHUNK * 2;
			char *nb = realloc(in->buf, nc);
			if (!nb)
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "%s: out of memory", in->name);
			in->buf = nb;
			in->cap = nc;
		}
	}
	int n = gzread(in->gz, in->buf + in->end, CHUNK);
	if (n < 0)
		return fail(in, err);
	if (n == 0) {
		int zerr = 0;
		gzerror(in->gz, &zerr);
		if (zerr != Z_OK && zerr != Z_STREAM_END)
			return fail(in, err);
		in->eof = 1;
	}
	in->end += (size_t)n;
	*got = (size_t)n;
	return DP_OK;
}

dp_status dp_input_open(const char *path, dp_input **out, dp_error *err)
{
	*out = NULL;
	int stdin_ = strcmp(path, "-") == 0;
	int fd = stdin_ ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		return dp_error_set(err, e == ENOENT ? DP_ERR_NOT_FOUND : DP_ERR_IO,
		                    "%s: cannot open: %s", path, strerror(e));
	}
	struct stat sb;
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		close(fd);
		return dp_error_set(err, DP_ERR_IO, "%s: is a directory", path);
	}
	dp_input *in = calloc(1, sizeof *in);
	if (!in) {
		close(fd);
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
	}
	in->name = strdup(stdin_ ? "<stdin>" : path);
	in->fd = fd;
	/* gzread reads plain files through unchanged */
	in->gz = gzdopen(fd, "rb");
	if (!in->name || !in->gz) {
		if (!in->gz)
			close(fd);
		else
			gzclose(in->gz);
		free(in->name);
		free(in);
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
	}
	gzbuffer(in->gz, 128 * 1024);
	/* decide compression from the first bytes */
	size_t got;
	dp_status st = fill(in, &got, err);
	if (st != DP_OK) {
		dp_input_free(in);
		return st;
	}
	in->gzip = !gzdirect(in->gz);
	*out = in;
	return DP_OK;
}

void dp_input_free(dp_input *in)
{
	if (!in)
		return;
	if (in->gz)
		gzclose(in->gz);
	free(in->name);
	free(in->buf);
	free(in->line);
	free(in);
}

const char *dp_input_name(const dp_input *in)
{
	return in->name;
}

int dp_input_is_gzip(const dp_input *in)
{
	return in->gzip;
}

dp_status dp_input_peek(dp_input *in, size_t n, const char **buf,
                        size_t *got, dp_error *err)
{
	while (in->end - in->pos < n && !in->eof) {
		size_t g;
		dp_status st = fill(in, &g, err);
		if (st != DP_OK) {
			/* a truncated or corrupt stream after some good bytes:
			 * show those; the read that reaches the cut reports
			 * the error */
			if (in->end > in->pos && st == DP_ERR_FORMAT) {
				in->pending = 1;
				break;
			}
			return st;
		}
	}
	*buf = in->buf + in->pos;
	*got = in->end - in->pos < n ? in->end - in->pos : n;
	return DP_OK;
}

dp_status dp_input_getline(dp_input *in, size_t max_line, const char **line,
                           size_t *len, uint32_t *lineno, dp_error *err)
{
	size_t scanned = 0;  /* bytes of [pos, end) known to hold no '\n' */
	int too_long = 0;
	size_t skipped = 0;
	for (;;) {
		char *start = in->buf + in->pos;
		size_t avail = in->end - in->pos;
		char *nl = avail > scanned
		               ? memchr(start + scanned, '\n', avail - scanned)
		               : NULL;
		if (!nl && in->eof && in->failed && avail > 0) {
			/* the record cut by a read error is not a record */
			in->pos = in->end;
			avail = 0;
		}
		if (nl || (in->eof && avail > 0)) {
			size_t l = nl ? (size_t)(nl - start) : avail;
			in->pos += nl ? l + 1 : l;
			in->lineno++;
			if (lineno)
				*lineno = in->lineno;
			if (too_long || l > max_line)
				return dp_error_set(
				    err, DP_ERR_FORMAT,
				    "%s:%u: line longer than %zu bytes (%zu), skipped",
				    in->name, in->lineno, max_line, skipped + l);
			if (l && start[l - 1] == '\r')
				l--;
			*line = start;
			*len = l;
			return DP_OK;
		}
		if (in->eof) {
			if (too_long) {
				in->lineno++;
				return dp_error_set(
				    err, DP_ERR_FORMAT,
				    "%s:%u: line longer than %zu bytes, skipped",
				    in->name, in->lineno, max_line);
			}
			if (in->pending)
				return pending_error(in, err);
			return DP_DONE;
		}
		scanned = avail;
		if (avail > max_line) {
			/* drop what we have: the line is skipped anyway */
			too_long = 1;
			skipped += avail;
			in->pos = in->end;
			scanned = 0;
		}
		size_t got;
		dp_status st = fill(in, &got, err);
		if (st != DP_OK) {
			in->pos = in->end; /* the cut record goes with it */
			return st;
		}
	}
}

dp_status dp_input_slurp(dp_input *in, size_t max, char **data, size_t *len,
                         dp_error *err)
{
	*data = NULL;
	while (!in->eof) {
		size_t got;
		dp_status st = fill(in, &got, err);
		if (st != DP_OK)
			return st;
		if (in->end - in->pos > max)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s: larger than %zu bytes, skipped",
			                    in->name, max);
	}
	if (in->pending)
		return pending_error(in, err);
	size_t n = in->end - in->pos;
	char *p = malloc(n + 1);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory",
		                    in->name);
	memcpy(p, in->buf + in->pos, n);
	p[n] = '\0';
	in->pos = in->end;
	*data = p;
	*len = n;
	return DP_OK;
}

uint64_t dp_input_offset(const dp_input *in)
{
	z_off_t o = gzoffset(in->gz);
	return o > 0 ? (uint64_t)o : 0;
}
