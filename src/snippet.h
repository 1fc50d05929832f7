/* snippet.h: the sentence of a dispatch that best shows why it matched,
 * with the matched words marked.  Words are found through the analyzer,
 * so "annexion" is marked inside "L’annexion" and "Etats-Unis" finds
 * "États-Unis". */
#ifndef DEPECHE_SNIPPET_H
#define DEPECHE_SNIPPET_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "query.h"

typedef struct dp_highlight {
	uint32_t start, end;    /* byte offsets in dp_snippet.text */
} dp_highlight;

typedef struct dp_snippet {
	char *text;             /* malloc()ed, NUL-terminated, one line */
	size_t len;
	dp_highlight *hl;
	size_t n_hl;
	int matched;            /* some query word is in it */
} dp_snippet;

/* Picks the best sentence of text (at most max_bytes, cut with "…" when
 * longer) for the terms and names of a compiled query.  whole: keep the
 * whole text (headlines) and only mark it. */
dp_status dp_snippet_make(dp_analyzer *an, const char *text, size_t len,
                          const dp_strset *terms, const dp_strset *names,
                          size_t max_bytes, int whole, dp_snippet *out,
                          dp_error *err);
void dp_snippet_release(dp_snippet *s);

#endif
