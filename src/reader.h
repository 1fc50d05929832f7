/* reader.h: turns an input file into dispatches, whatever its format.
 *
 * The format is detected by content: the root element of XML (NewsML 1.2,
 * NewsML-G2, NITF), the shape of JSON (JSON Lines, a ninjs document or an
 * array), otherwise a plain-text dispatch.  gzip is undone first. */
#ifndef DEPECHE_READER_H
#define DEPECHE_READER_H

#include <stdint.h>

#include "depeche.h"
#include "dispatch.h"

typedef struct dp_reader dp_reader;

typedef struct dp_reader_opts {
	size_t max_record;   /* longest JSON line or XML/text file, bytes */
	int64_t file_mtime;  /* date for a plain-text file without one */
} dp_reader_opts;

void dp_reader_opts_init(dp_reader_opts *o);

/* Opens path ("-": standard input) and detects its format.  An empty file,
 * binary junk or an unknown XML root element fail here with
 * DP_ERR_FORMAT and a message naming the file. */
dp_status dp_reader_open(const char *path, const dp_reader_opts *opts,
                         dp_reader **out, dp_error *err);
void dp_reader_free(dp_reader *r);

/* The detected format: "jsonl", "json", "ninjs", "text", "newsml12",
 * "newsml-g2", "nitf". */
const char *dp_reader_format(const dp_reader *r);

/* Fills d (reset first) with the next dispatch.  Returns DP_OK, DP_DONE at
 * the end, DP_ERR_FORMAT for a malformed record that was skipped (err says
 * "file:line: what is wrong"; call again for the next one), or another
 * error after which the file cannot be read further.  Items a reader does
 * not index (pictures, packages) are skipped with a note in *note when
 * note is non-NULL (a static string or NULL). */
dp_status dp_reader_next(dp_reader *r, dp_dispatch *d, dp_error *err);

/* A warning about the dispatch the last dp_reader_next() returned (no
 * headline, no date; "file:line: warning: ..."), or NULL. */
const char *dp_reader_warning(dp_reader *r);

/* Notes about skipped non-text items since the last call (count). */
unsigned dp_reader_skipped(dp_reader *r);

/* Bytes of the file consumed so far (for progress). */
uint64_t dp_reader_offset(const dp_reader *r);

#endif
