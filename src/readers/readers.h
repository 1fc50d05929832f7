/* readers.h: what the format readers share with reader.c (internal). */
#ifndef DEPECHE_READERS_H
#define DEPECHE_READERS_H

#include <jansson.h>

#include "../depeche.h"
#include "../dispatch.h"
#include "../input.h"
#include "../reader.h"

typedef struct dp_format {
	const char *name;
	/* Prepares state from the opened input; may read all of it. */
	dp_status (*open)(dp_reader *r, dp_error *err);
	dp_status (*next)(dp_reader *r, dp_dispatch *d, dp_error *err);
	void (*close)(dp_reader *r);
} dp_format;

struct dp_reader {
	const dp_format *fmt;
	dp_input *in;
	dp_reader_opts opts;
	char *path;          /* as given (for dispatch origin) */
	const char *name;    /* for messages */
	void *state;         /* the format's own */
	unsigned skipped;    /* non-text items skipped */
	char warning[512];   /* about the last dispatch read, or "" */
};

extern const dp_format dp_format_jsonl;
extern const dp_format dp_format_json;
extern const dp_format dp_format_ninjs;
extern const dp_format dp_format_text;
extern const dp_format dp_format_newsml12;
extern const dp_format dp_format_g2;
extern const dp_format dp_format_nitf;

/* Maps one JSON object to a dispatch: our JSON Lines keys, or ninjs when
 * the object looks like ninjs (a "uri" and no "id").  line is the record's
 * line for messages. */
dp_status dp_json_to_dispatch(dp_reader *r, json_t *obj, uint32_t line,
                              dp_dispatch *d, dp_error *err);
dp_status dp_ninjs_to_dispatch(dp_reader *r, json_t *obj, uint32_t line,
                               dp_dispatch *d, dp_error *err);
/* The 1-based line and column (in characters) of byte off of s. */
void dp_text_position(const char *s, size_t off, unsigned *line,
                      unsigned *col);

/* Whether a JSON object is a ninjs document. */
int dp_json_is_ninjs(json_t *obj);

#endif
