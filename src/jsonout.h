/* jsonout.h: the JSON objects of depeche-search --json, one per line
 * (fields in depeche-search(1)), written to a stream the caller gives:
 * standard output for depeche-search, a memory stream (open_memstream)
 * for depeche-serve's API.  One writer, so the two never differ.
 *
 * The library prints nothing of its own: these functions only write
 * where they are told, and report nothing (check ferror on the stream). */
#ifndef DEPECHE_JSONOUT_H
#define DEPECHE_JSONOUT_H

#include <stdio.h>

#include "dossier.h"
#include "search.h"

/* Writes s as a JSON string (with quotes; NULL writes ""). */
void dp_json_string(FILE *f, const char *s);
/* One hit of result r (r may be NULL: no suggestion, no fallback);
 * explain adds the score's parts. */
void dp_json_hit(FILE *f, const dp_hit *h, const dp_result *r, int explain);
/* With no hit: the "did you mean" alone. */
void dp_json_suggestion(FILE *f, const dp_result *r);
/* Facet counts, one object per value. */
void dp_json_facets(FILE *f, const dp_result *r);
/* A whole listing as depeche-search --json prints it: the hits, the
 * suggestion when nothing matched, the facets. */
void dp_json_result(FILE *f, const dp_result *r, int explain);
/* A --meetings timeline: one object per meeting. */
void dp_json_meetings(FILE *f, const dp_meetings *m);
/* An --about dossier: one object. */
void dp_json_dossier(FILE *f, const dp_dossier *d);

#endif
