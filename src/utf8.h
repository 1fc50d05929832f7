/* utf8.h: UTF-8 decoding, validation, normalisation and folding.
 *
 * Normalisation and character properties come from utf8proc; this module
 * adds fast paths for Latin text and the folding rules of the analyzer. */
#ifndef DEPECHE_UTF8_H
#define DEPECHE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"

/* Decodes the code point at s[*i] (s holds len bytes) and advances *i past
 * it.  An invalid or truncated sequence yields -1 and advances one byte. */
int32_t dp_utf8_decode(const char *s, size_t len, size_t *i);

/* Encodes cp into out (at least 4 bytes); returns the byte count (0 for an
 * invalid code point). */
size_t dp_utf8_encode(int32_t cp, char *out);

/* Counts invalid sequences in s, each maximal ill-formed subpart once (a
 * truncated "\xE2\x82" is one, "\xC0\xAF" two, as Unicode recommends);
 * *first_bad (when non-NULL) receives the offset of the first one, or len
 * when there is none. */
size_t dp_utf8_count_invalid(const char *s, size_t len, size_t *first_bad);

/* Returns a malloc()ed, NUL-terminated copy of s in which every invalid
 * sequence is decoded as Windows-1252 (the usual culprit in wire archives)
 * instead; *outlen receives its length.  NULL when out of memory. */
char *dp_utf8_repair(const char *s, size_t len, size_t *outlen);

/* Whether s (valid UTF-8) may not be in NFC: true when it holds combining
 * marks or other code points that composition can change.  A cheap test
 * that lets ASCII and precomposed Latin text skip normalisation. */
int dp_utf8_maybe_not_nfc(const char *s, size_t len);

/* NFC-normalises s into a malloc()ed NUL-terminated string.  Invalid UTF-8
 * must have been repaired first. */
dp_status dp_utf8_nfc(const char *s, size_t len, char **out, size_t *outlen,
                      dp_error *err);

/* Character classes used by the tokenizer. */
enum {
	DP_CC_OTHER = 0,   /* punctuation, symbols, controls */
	DP_CC_SPACE,       /* white space, including NBSP and U+202F */
	DP_CC_UPPER,       /* upper- or title-case letter */
	DP_CC_LOWER,       /* other letters */
	DP_CC_DIGIT,       /* decimal digit */
	DP_CC_MARK,        /* combining mark */
};
int dp_unicode_class(int32_t cp);
int32_t dp_unicode_lower(int32_t cp);

/* Appends the accent- and case-folded form of cp to out (at most 8 bytes:
 * "é" -> "e", "œ" -> "oe", "ß" -> "ss", "Å" -> "a"); returns the byte count.
 * Combining marks fold to nothing. */
size_t dp_unicode_fold(int32_t cp, char *out);

/* Folds a whole UTF-8 string (lower case, no accents) into out, which must
 * hold at least 3 * len + 1 bytes; returns the length written. */
size_t dp_utf8_fold(const char *s, size_t len, char *out);

/* Lower-cases a UTF-8 string, keeping accents, into out (at least
 * 2 * len + 1 bytes); returns the length written. */
size_t dp_utf8_lower(const char *s, size_t len, char *out);

/* Accent-folds a UTF-8 string but keeps its case ("Sergueï" -> "Serguei")
 * into out (at least 3 * len + 1 bytes); returns the length written. */
size_t dp_utf8_strip_accents(const char *s, size_t len, char *out);

#endif
