/* query-private.h: what the parts of the query language share, and no one
 * else: the tree's constructors (query-parse.c), the dates
 * (query-date.c), for the parser and the plan (query-plan.c).  The public
 * interface is query.h. */
#ifndef DEPECHE_QUERY_PRIVATE_H
#define DEPECHE_QUERY_PRIVATE_H

#include <stddef.h>

#include "analyzer.h"
#include "depeche.h"
#include "query.h"

/* ---- the tree (query-parse.c) ---- */

/* A new node of kind k at column col, every other field zero; NULL when
 * out of memory.  The caller owns it (dp_qnode_free). */
dp_qnode *dp_qnode_new(dp_qkind k, size_t col);
/* Appends kid to p's children; p owns it then.  -1 when out of memory,
 * kid still the caller's. */
int dp_qnode_add(dp_qnode *p, dp_qnode *kid);

/* ---- dates (query-date.c) ---- */

/* date:VALUE, VALUE (len bytes, not NUL-terminated) being YYYY, YYYY-MM,
 * YYYY-MM-DD or A..B, as a DP_Q_DATE node in *out (the caller's), or
 * DP_ERR_SYNTAX naming column col, *out NULL. */
dp_status dp_qdate_parse_field(const char *v, size_t len, size_t col,
                               dp_qnode **out, dp_error *err);

/* The weekdays that the tokens name, as bits (Monday = bit 0). */
unsigned dp_qdate_weekdays(const dp_tokens *t);

/* Where the free text's dates stand between one token and the next:
 * zero it before the first token. */
typedef struct dp_qdate_scan {
	int day;        /* the previous token is this day */
	int day_wday;   /* ... after this weekday (1-7) */
	int wday;       /* the previous token is a weekday */
	int open;       /* the previous token ended a date */
} dp_qdate_scan;

/* Follows the free text's tokens in order, adding the dates they name
 * ("3 décembre", "mardi 1er mai 2022") to o->dates (see dp_compiled). */
void dp_qdate_scan_token(dp_qdate_scan *s, dp_compiled *o,
                         const dp_token *t);

#endif
