/* spell.h: corrections from the index's own vocabulary.
 *
 * A query word the index has never seen ("Lavrof", "Grinner",
 * "compétivité") is compared with the indexed terms that begin like it
 * (the same first two bytes, or the first two swapped):
 * the closest by edit distance (Damerau-Levenshtein: one change for short
 * words, two for longer ones), the most frequent on a tie. */
#ifndef DEPECHE_SPELL_H
#define DEPECHE_SPELL_H

#include <stddef.h>

#include "analyzer.h"
#include "depeche.h"
#include "xapian-shim.h"

/* The indexed term under prefix closest to term (both without the
 * prefix), written into out (outsz bytes).  Returns 1 when one is found,
 * 0 when none is close enough. */
int dp_spell_correct(dpx_db *db, const char *prefix, const char *term,
                     char *out, size_t outsz);

/* The same, remembering answers: one search compiles its query once or
 * twice (all words, then the best match) and should not scan the
 * vocabulary twice for the same word.  Zero-initialise; no allocation. */
#define DP_SPELL_MEMO 16
typedef struct dp_spell_memo {
	size_t n;
	struct {
		char key[96];     /* prefix and term */
		char out[96];     /* "" when nothing was close enough */
	} e[DP_SPELL_MEMO];
} dp_spell_memo;
int dp_spell_correct_memo(dp_spell_memo *m, dpx_db *db, const char *prefix,
                          const char *term, char *out, size_t outsz);

/* The edit distance between a and b (Damerau-Levenshtein, adjacent
 * transpositions), or max + 1 when it exceeds max. */
unsigned dp_spell_distance(const char *a, const char *b, unsigned max);

/* A word as written in the dispatches for an indexed term: the surface
 * form of its first occurrence in a few dispatches ("negoci" ->
 * "négociations").  Returns 1 when found. */
int dp_spell_surface(dpx_db *db, dp_analyzer *an, const char *term,
                     char *out, size_t outsz);

#endif
