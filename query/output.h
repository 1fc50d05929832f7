/* output.h: results for people (text, highlighted on a terminal) and for
 * programs (--json: one object per line, fields in depeche-search(1)). */
#ifndef DEPECHE_OUTPUT_H
#define DEPECHE_OUTPUT_H

#include <stdio.h>

#include "dossier.h"
#include "search.h"

typedef struct dp_output {
	FILE *f;
	int color;        /* bold and colour escapes */
	int json;
	int explain;      /* with each hit, what made its score */
} dp_output;

/* One hit of result r (r may be NULL: a dossier's key dispatches). */
void dp_output_hit(const dp_output *o, const dp_hit *h, const dp_result *r);
/* The closing line of a text listing ("12 dispatches; 1-10 shown"). */
void dp_output_footer(const dp_output *o, const dp_result *r,
                      uint32_t offset);
/* Facet counts (text: a small table; json: one object per value). */
void dp_output_facets(const dp_output *o, const dp_result *r);
/* A --meetings timeline and an --about dossier. */
void dp_output_meetings(const dp_output *o, const dp_meetings *m);
void dp_output_dossier(const dp_output *o, const dp_dossier *d);
/* The display date of a dispatch: "2022-07-29 16:42" in its own time
 * zone when the source wrote one, else UTC. */
void dp_output_date(const dp_docdata *d, char *out, size_t n);

#endif
