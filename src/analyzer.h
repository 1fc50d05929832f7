/* analyzer.h: French text -> tokens and terms, with positions and byte
 * offsets.  The single source of truth for turning text into terms:
 * indexing, query parsing and snippet highlighting all call it.
 *
 * What one token carries:
 *   term   the stem of the lower-cased word, then accent-folded
 *          ("libérée" -> "liber"); numbers as digits ("1 000" -> "1000",
 *          "2,5" -> "2,5")
 *   alias  the stem of the accent-folded word, when it differs from term
 *          ("libérée" -> "libere"): what a query typed without accents
 *          produces, indexed at the same position so both find the word
 *   whole  a second term for the whole of an elided name ("D'Alema" ->
 *          "d'alema" besides "alema"), or NULL
 *   name   the word as written, accents folded, case kept ("Sergueï" ->
 *          "Serguei"), for capitalised words
 *   word   the folded unstemmed word ("etats"), for stop words and
 *          suggestions
 * Positions: consecutive within a sentence; a sentence break adds
 * DP_SENTENCE_GAP, a paragraph break (a blank line) DP_PARAGRAPH_GAP, so
 * that "same sentence" and "same paragraph" are window queries.  Elided
 * articles (l' d' qu' ...) are dropped and take no position. */
#ifndef DEPECHE_ANALYZER_H
#define DEPECHE_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"

#define DP_SENTENCE_GAP 64
#define DP_PARAGRAPH_GAP 2048
/* Longest word kept, in bytes (longer runs are URLs or junk). */
#define DP_MAX_WORD 64

enum dp_token_flags {
	DP_TOK_CAP = 1 << 0,         /* starts with an upper-case letter */
	DP_TOK_ALLCAPS = 1 << 1,     /* two or more letters, all upper case */
	DP_TOK_SENT_START = 1 << 2,  /* first word of a sentence, a quote or
	                                a paragraph (capitalised anyway) */
	DP_TOK_STOP = 1 << 3,        /* a French stop word */
	DP_TOK_NUMBER = 1 << 4,      /* digits only (with separators) */
	DP_TOK_ELIDED = 1 << 5,      /* an elided article was split off */
	DP_TOK_HYPHEN = 1 << 6,      /* joined to the previous token by '-' */
	DP_TOK_NAME = 1 << 7,        /* a name: capitalised, not sentence-
	                                initial (set by the analyzer) */
};

typedef struct dp_token {
	const char *term;
	const char *alias;      /* NULL when equal to term */
	const char *whole;      /* NULL unless an elided name */
	const char *name;       /* NULL unless DP_TOK_CAP */
	const char *word;
	const char *elided;     /* the word an elided article split off is
	                           ("de" for "d'un"), NULL when none or
	                           when it may be two ("l'": le or la) */
	uint32_t elided_start;  /* where that article starts, when elided */
	uint32_t start, end;    /* byte offsets in the analysed text */
	uint32_t pos;
	uint32_t sentence;      /* sentence number within the call's text */
	uint32_t paragraph;     /* paragraph number */
	unsigned flags;
} dp_token;

typedef struct dp_tokens dp_tokens;   /* a token list and its strings */
typedef struct dp_analyzer dp_analyzer;

/* A new analyzer (French).  Not shared between threads: make one each. */
dp_status dp_analyzer_new(dp_analyzer **out, dp_error *err);
void dp_analyzer_free(dp_analyzer *an);

/* Identifies the analysis ("fr-3 snowball=... gaps=100/1000 ..."): stored
 * in the database and compared when it is opened.  Lives as long as an. */
const char *dp_analyzer_signature(const dp_analyzer *an);

/* Token lists.  dp_tokens_new returns NULL when out of memory. */
dp_tokens *dp_tokens_new(void);
void dp_tokens_free(dp_tokens *t);
/* Empties the list, keeping its memory for reuse. */
void dp_tokens_reset(dp_tokens *t);
size_t dp_tokens_count(const dp_tokens *t);
const dp_token *dp_tokens_get(const dp_tokens *t, size_t i);
/* The text the offsets of the last dp_analyze call refer to (the input, or
 * its NFC form when normalisation changed it). */
const char *dp_tokens_text(const dp_tokens *t, size_t *len);
/* Position after the last token, to continue in another field. */
uint32_t dp_tokens_next_pos(const dp_tokens *t);
/* Number of invalid UTF-8 sequences met by the last call, and the byte
 * offset (in the input) of the first. */
size_t dp_tokens_invalid(const dp_tokens *t, size_t *first_offset);

enum dp_analyze_mode {
	DP_ANALYZE_INDEX = 0,   /* document text */
	DP_ANALYZE_QUERY = 1,   /* a query word or phrase: no sentence starts */
};

/* Analyses text (UTF-8, len bytes) and appends its tokens to toks,
 * numbering positions from first_pos (>= 1).  Invalid UTF-8 is counted
 * (see dp_tokens_invalid) and treated as a separator: the call succeeds.
 * Fails only when out of memory. */
dp_status dp_analyze(dp_analyzer *an, const char *text, size_t len,
                     uint32_t first_pos, int mode, dp_tokens *toks,
                     dp_error *err);

/* Decides, over all the tokens of one document, which sentence-initial
 * capitalised words are names too (DP_TOK_NAME): those the document also
 * writes as names inside a sentence, and those that start a run of
 * capitalised words ("Sergueï Lavrov a déclaré") when the document never
 * writes them in lower case and they are not common sentence starters
 * ("Selon", "Pour", "Le"...).  Returns -1 when out of memory. */
int dp_tokens_mark_names(dp_tokens *t);

/* The term a token's positions are indexed under (schema 5): one
 * positional term per token.  The alias when there is one (the stem of
 * the accent-folded word, which a query typed with or without accents
 * both give), except for an ordinal, whose positions go with its digits
 * ("20e" for "vingtième", "XXe" and "20e").  The term itself is indexed
 * too, without positions when it is not this one.  Lives as long as the
 * token's strings. */
const char *dp_token_position_term(const dp_token *t);

/* Whether word (folded, unstemmed) is a French stop word. */
int dp_analyzer_is_stopword(const dp_analyzer *an, const char *word);

/* Stems one folded or unfolded lower-case word the way dp_analyze would
 * (term form) into out (at least DP_MAX_WORD * 3 + 1 bytes). */
size_t dp_analyzer_stem(dp_analyzer *an, const char *word, size_t len,
                        char *out);
/* The same, for the term its positions are indexed under (see
 * dp_token_position_term). */
size_t dp_analyzer_stem_position(dp_analyzer *an, const char *word,
                                 size_t len, char *out);

#endif
