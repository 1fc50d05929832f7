/* docdata.h: what a result line needs, stored as a document's data.
 *
 * A compact tagged format: a magic byte and a format version, then fields
 * as (tag, varint length, bytes).  The body text (paragraphs joined by a
 * blank line) is deflated with zlib when that saves space.  Readers skip
 * tags they do not know, so fields can be added without a re-index. */
#ifndef DEPECHE_DOCDATA_H
#define DEPECHE_DOCDATA_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"
#include "dispatch.h"

typedef struct dp_docdata {
	const char *id;
	uint32_t version;
	int64_t time;          /* DP_TIME_UNKNOWN when none */
	const char *date;      /* as written in the source */
	const char *headline;
	const char *source;
	const char *lang;
	const char *dateline;
	const char *place;
	const char *country;
	const char *slug;
	const char *byline;
	const char *genre;
	const char *signal;
	const char *format;
	int urgency;
	int status;            /* dp_pubstatus */
	const char *subjects;  /* one per line */
	const char *path;
	uint32_t line;
	const char *text;      /* body paragraphs joined by "\n\n" */
	size_t text_len;
	char *mem;             /* owns every string above */
} dp_docdata;

/* Encodes d into a malloc()ed buffer (*out, *len). */
dp_status dp_docdata_encode(const dp_dispatch *d, char **out, size_t *len,
                            dp_error *err);
/* Decodes data into dd; strings point into dd->mem (release with
 * dp_docdata_release). */
dp_status dp_docdata_decode(const char *data, size_t len, dp_docdata *dd,
                            dp_error *err);
void dp_docdata_release(dp_docdata *dd);

/* Joins d's paragraphs with "\n\n" into a malloc()ed string. */
char *dp_dispatch_join_body(const dp_dispatch *d, size_t *len);

#endif
