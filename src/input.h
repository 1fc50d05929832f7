/* input.h: a file, a gzip-compressed file or standard input as one byte
 * stream.  Compression is detected by content (the gzip magic), never by
 * the file's name. */
#ifndef DEPECHE_INPUT_H
#define DEPECHE_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"

typedef struct dp_input dp_input;

/* Opens path ("-" for standard input).  Errors: DP_ERR_NOT_FOUND,
 * DP_ERR_IO (unreadable, a directory...). */
dp_status dp_input_open(const char *path, dp_input **out, dp_error *err);
void dp_input_free(dp_input *in);

/* The name to show in messages ("-" shows as "<stdin>"). */
const char *dp_input_name(const dp_input *in);
int dp_input_is_gzip(const dp_input *in);

/* The first bytes of the (decompressed) stream without consuming them;
 * *buf lives until the next call on in.  *got < n at end of stream. */
dp_status dp_input_peek(dp_input *in, size_t n, const char **buf,
                        size_t *got, dp_error *err);

/* Next line without its newline (and without a trailing CR).  *line lives
 * until the next call.  DP_DONE at end of stream.  A line longer than
 * max_line is skipped and reported as DP_ERR_FORMAT; reading can go on.
 * *lineno receives the line's number (1-based). */
dp_status dp_input_getline(dp_input *in, size_t max_line, const char **line,
                           size_t *len, uint32_t *lineno, dp_error *err);

/* The rest of the stream, at most max bytes (DP_ERR_FORMAT beyond), into
 * a malloc()ed NUL-terminated buffer the caller frees. */
dp_status dp_input_slurp(dp_input *in, size_t max, char **data, size_t *len,
                         dp_error *err);

/* Bytes of the file read so far (compressed bytes for gzip): progress. */
uint64_t dp_input_offset(const dp_input *in);

#endif
