/* utf8.c: UTF-8 decoding, validation, normalisation and folding. */
#include "autoconf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "utf8.h"

int32_t dp_utf8_decode(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t at = *i;
	unsigned c = s[at];
	if (c < 0x80) {
		*i = at + 1;
		return (int32_t)c;
	}
	int32_t cp;
	size_t n;
	if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1F;
		n = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0F;
		n = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07;
		n = 3;
	} else {
		*i = at + 1;
		return -1;
	}
	if (at + n >= len) {
		*i = at + 1;
		return -1;
	}
	for (size_t k = 1; k <= n; k++) {
		unsigned cc = s[at + k];
		if ((cc & 0xC0) != 0x80) {
			*i = at + 1;
			return -1;
		}
		cp = (cp << 6) | (int32_t)(cc & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)
	    || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
		*i = at + 1;
		return -1;
	}
	*i = at + n + 1;
	return cp;
}

size_t dp_utf8_encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0)
		return 0;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return 0;
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

/* Length of the maximal ill-formed subpart at s[at] (whose decoding
 * failed): the lead byte and the continuation bytes that could still have
 * completed it, so that "\xE2\x82" counts once (Unicode's recommended
 * practice, as in U+FFFD substitution). */
static size_t bad_subpart(const unsigned char *s, size_t len, size_t at)
{
	unsigned c = s[at];
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 1;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	size_t k = 1;
	while (k < n && at + k < len) {
		unsigned cc = s[at + k];
		if (cc < lo || cc > hi)
			break;
		lo = 0x80;
		hi = 0xBF;
		k++;
	}
	return k;
}

size_t dp_utf8_count_invalid(const char *s, size_t len, size_t *first_bad)
{
	size_t bad = 0, i = 0;
	if (first_bad)
		*first_bad = len;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t at = i;
		if (dp_utf8_decode(s, len, &i) < 0) {
			if (bad == 0 && first_bad)
				*first_bad = at;
			bad++;
			i = at + bad_subpart((const unsigned char *)s, len, at);
		}
	}
	return bad;
}

/* Windows-1252 code points for bytes 0x80..0x9F (0 = undefined). */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

char *dp_utf8_repair(const char *s, size_t len, size_t *outlen)
{
	char *out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	size_t i = 0, o = 0;
	while (i < len) {
		size_t at = i;
		int32_t cp = dp_utf8_decode(s, len, &i);
		if (cp >= 0) {
			memcpy(out + o, s + at, i - at);
			o += i - at;
			continue;
		}
		unsigned b = (unsigned char)s[at];
		int32_t r = b;
		if (b >= 0x80 && b < 0xA0)
			r = cp1252[b - 0x80] ? cp1252[b - 0x80] : 0xFFFD;
		o += dp_utf8_encode(r, out + o);
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

int dp_utf8_maybe_not_nfc(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0xCC) {
			/* ASCII and the two-byte range below U+0300 are all
			 * NFC-stable starters. */
			i++;
			continue;
		}
		int32_t cp = dp_utf8_decode(s, len, &i);
		if (cp < 0)
			continue;
		if (cp < 0x300)
			continue;
		if (cp <= 0x36F)
			return 1;
		/* Latin extended, general punctuation and the like are
		 * stable; anything else goes through normalisation. */
		if ((cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2000 && cp <= 0x206F)
		    || (cp >= 0x20A0 && cp <= 0x20CF))
			continue;
		return 1;
	}
	return 0;
}

dp_status dp_utf8_nfc(const char *s, size_t len, char **out, size_t *outlen,
                      dp_error *err)
{
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
	                                  (utf8proc_ssize_t)len, &res,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		*out = NULL;
		if (n == UTF8PROC_ERROR_NOMEM)
			return dp_error_set(err, DP_ERR_NOMEM,
			                    "normalise text: out of memory");
		return dp_error_set(err, DP_ERR_ENCODING,
		                    "normalise text: %s",
		                    utf8proc_errmsg(n));
	}
	*out = (char *)res;
	if (outlen)
		*outlen = (size_t)n;
	return DP_OK;
}

/* ---- character tables ---------------------------------------------------
 * Below U+0250 (all the Latin letters French and its neighbours use) class,
 * lower case and fold are precomputed once; beyond, utf8proc answers. */

#define LATIN_MAX 0x250

static unsigned char latin_class[LATIN_MAX];
static int32_t latin_lower[LATIN_MAX];
static char latin_fold[LATIN_MAX][4];
static unsigned char latin_fold_len[LATIN_MAX];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static int class_of(int32_t cp)
{
	switch (cp) {
	case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000: case 0xFEFF: case 0x200B:
		return DP_CC_SPACE;
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200A)
		return DP_CC_SPACE;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		return DP_CC_UPPER;
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return DP_CC_LOWER;
	case UTF8PROC_CATEGORY_ND:
		return DP_CC_DIGIT;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return DP_CC_MARK;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return DP_CC_SPACE;
	default:
		return DP_CC_OTHER;
	}
}

static size_t fold_slow(int32_t cp, char *out)
{
	/* Letters that do not decompose but that people type otherwise. */
	switch (cp) {
	case 0x152: case 0x153: memcpy(out, "oe", 2); return 2; /* Œ œ */
	case 0xC6: case 0xE6: memcpy(out, "ae", 2); return 2;   /* Æ æ */
	case 0xDF: case 0x1E9E: memcpy(out, "ss", 2); return 2; /* ß ẞ */
	case 0xD8: case 0xF8: out[0] = 'o'; return 1;           /* Ø ø */
	case 0x141: case 0x142: out[0] = 'l'; return 1;         /* Ł ł */
	case 0x110: case 0x111: out[0] = 'd'; return 1;         /* Đ đ */
	case 0xD0: case 0xF0: out[0] = 'd'; return 1;           /* Ð ð */
	case 0xDE: case 0xFE: memcpy(out, "th", 2); return 2;   /* Þ þ */
	case 0x131: out[0] = 'i'; return 1;                     /* ı */
	case 0x2019: case 0x2018: case 0x02BC: case 0x2032:
		out[0] = '\''; return 1;
	default:
		break;
	}
	utf8proc_int32_t buf[8];
	int last = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(
	    cp, buf, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD
	                    | UTF8PROC_STRIPMARK,
	    &last);
	if (n < 0 || n > 8)
		return dp_utf8_encode(cp, out);
	size_t o = 0;
	for (utf8proc_ssize_t k = 0; k < n && o < 8; k++) {
		if (class_of(buf[k]) == DP_CC_MARK)
			continue;
		char tmp[4];
		size_t l = dp_utf8_encode(buf[k], tmp);
		if (o + l > 8)
			break;
		memcpy(out + o, tmp, l);
		o += l;
	}
	return o;
}

static void init_tables(void)
{
	for (int32_t cp = 0; cp < LATIN_MAX; cp++) {
		latin_class[cp] = (unsigned char)class_of(cp);
		latin_lower[cp] = utf8proc_tolower(cp);
		char tmp[8];
		size_t l = fold_slow(cp, tmp);
		if (l > 4)
			l = 4;
		memcpy(latin_fold[cp], tmp, l);
		latin_fold_len[cp] = (unsigned char)l;
	}
}

static inline void ensure_tables(void)
{
	pthread_once(&tables_once, init_tables);
}

int dp_unicode_class(int32_t cp)
{
	if (cp >= 0 && cp < LATIN_MAX) {
		ensure_tables();
		return latin_class[cp];
	}
	return class_of(cp);
}

int32_t dp_unicode_lower(int32_t cp)
{
	if (cp >= 0 && cp < LATIN_MAX) {
		ensure_tables();
		return latin_lower[cp];
	}
	return utf8proc_tolower(cp);
}

size_t dp_unicode_fold(int32_t cp, char *out)
{
	if (cp >= 0 && cp < LATIN_MAX) {
		ensure_tables();
		memcpy(out, latin_fold[cp], latin_fold_len[cp]);
		return latin_fold_len[cp];
	}
	return fold_slow(cp, out);
}

size_t dp_utf8_fold(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			out[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
			i++;
			continue;
		}
		int32_t cp = dp_utf8_decode(s, len, &i);
		if (cp < 0)
			continue;
		char tmp[8];
		size_t l = dp_unicode_fold(cp, tmp);
		memcpy(out + o, tmp, l);
		o += l;
	}
	out[o] = '\0';
	return o;
}

size_t dp_utf8_lower(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			out[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
			i++;
			continue;
		}
		int32_t cp = dp_utf8_decode(s, len, &i);
		if (cp < 0)
			continue;
		if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
			out[o++] = '\'';
			continue;
		}
		o += dp_utf8_encode(dp_unicode_lower(cp), out + o);
	}
	out[o] = '\0';
	return o;
}

size_t dp_utf8_strip_accents(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		int32_t cp = dp_utf8_decode(s, len, &i);
		if (cp < 0)
			continue;
		char tmp[8];
		size_t l = dp_unicode_fold(cp, tmp);
		int upper = dp_unicode_class(cp) == DP_CC_UPPER;
		for (size_t k = 0; k < l; k++) {
			char ch = tmp[k];
			if (upper && k == 0 && ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 32);
			out[o++] = ch;
		}
	}
	out[o] = '\0';
	return o;
}
