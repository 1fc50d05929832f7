/* docdata.c: document data encoding.  See docdata.h. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "docdata.h"

#define MAGIC 'D'
#define FORMAT 1

enum tag {
	T_ID = 1, T_VERSION, T_TIME, T_DATE, T_HEADLINE, T_SOURCE, T_LANG,
	T_DATELINE, T_PLACE, T_COUNTRY, T_SLUG, T_BYLINE, T_GENRE, T_SIGNAL,
	T_FORMAT, T_URGENCY, T_STATUS, T_SUBJECTS, T_PATH, T_LINE,
	T_TEXT,       /* plain body text */
	T_TEXT_Z,     /* deflated body text: varint plain length, then zlib */
};

typedef struct buf {
	char *p;
	size_t n, cap;
	int failed;
} buf;

static void put(buf *b, const void *s, size_t n)
{
	if (b->failed)
		return;
	if (b->cap - b->n < n) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc - b->n < n)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void put_varint(buf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;
	do {
		unsigned char c = v & 0x7F;
		v >>= 7;
		t[n++] = (unsigned char)(c | (v ? 0x80 : 0));
	} while (v);
	put(b, t, n);
}

static void put_field(buf *b, int tag, const void *s, size_t n)
{
	unsigned char t = (unsigned char)tag;
	put(b, &t, 1);
	put_varint(b, n);
	put(b, s, n);
}

static void put_str(buf *b, int tag, const char *s)
{
	if (s && *s)
		put_field(b, tag, s, strlen(s));
}

static void put_num(buf *b, int tag, int64_t v)
{
	buf t = {0};
	/* zigzag, so that negative times stay short */
	put_varint(&t, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
	if (t.failed) {
		b->failed = 1;
		return;
	}
	put_field(b, tag, t.p, t.n);
	free(t.p);
}

char *dp_dispatch_join_body(const dp_dispatch *d, size_t *len)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_paragraphs; i++)
		n += strlen(d->paragraphs[i]) + 2;
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < d->n_paragraphs; i++) {
		if (i) {
			s[o++] = '\n';
			s[o++] = '\n';
		}
		size_t l = strlen(d->paragraphs[i]);
		memcpy(s + o, d->paragraphs[i], l);
		o += l;
	}
	s[o] = '\0';
	if (len)
		*len = o;
	return s;
}

dp_status dp_docdata_encode(const dp_dispatch *d, char **out, size_t *len,
                            dp_error *err)
{
	buf b = {0};
	unsigned char hdr[2] = {MAGIC, FORMAT};
	put(&b, hdr, 2);
	put_str(&b, T_ID, d->id);
	if (d->version != 1)
		put_num(&b, T_VERSION, d->version);
	if (d->time != DP_TIME_UNKNOWN)
		put_num(&b, T_TIME, d->time);
	put_str(&b, T_DATE, d->date);
	put_str(&b, T_HEADLINE, d->headline);
	put_str(&b, T_SOURCE, d->source);
	put_str(&b, T_LANG, d->lang);
	put_str(&b, T_DATELINE, d->dateline);
	put_str(&b, T_PLACE, d->place);
	put_str(&b, T_COUNTRY, d->country);
	put_str(&b, T_SLUG, d->slug);
	put_str(&b, T_BYLINE, d->byline);
	put_str(&b, T_GENRE, d->genre);
	put_str(&b, T_SIGNAL, d->signal);
	put_str(&b, T_FORMAT, d->format);
	if (d->urgency)
		put_num(&b, T_URGENCY, d->urgency);
	if (d->status)
		put_num(&b, T_STATUS, d->status);
	if (d->n_subjects) {
		buf s = {0};
		for (size_t i = 0; i < d->n_subjects; i++) {
			if (i)
				put(&s, "\n", 1);
			put(&s, d->subjects[i], strlen(d->subjects[i]));
		}
		if (s.failed)
			b.failed = 1;
		else
			put_field(&b, T_SUBJECTS, s.p, s.n);
		free(s.p);
	}
	put_str(&b, T_PATH, d->path);
	if (d->line)
		put_num(&b, T_LINE, d->line);

	size_t tl;
	char *text = dp_dispatch_join_body(d, &tl);
	if (!text) {
		free(b.p);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	/* Stored plain: the database compresses the whole record with
	 * zlib (Xapian's docdata table does), and compressing the text here
	 * too cost a second, useless deflate per dispatch.  Records written
	 * compressed (T_TEXT_Z) by earlier versions are still read. */
	if (tl)
		put_field(&b, T_TEXT, text, tl);
	free(text);
	if (b.failed) {
		free(b.p);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	*out = b.p;
	*len = b.n;
	return DP_OK;
}

static int get_varint(const unsigned char *p, size_t n, size_t *i,
                      uint64_t *v)
{
	uint64_t r = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*i >= n)
			return -1;
		unsigned char c = p[(*i)++];
		r |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

dp_status dp_docdata_decode(const char *data, size_t len, dp_docdata *dd,
                            dp_error *err)
{
	memset(dd, 0, sizeof *dd);
	dd->version = 1;
	dd->time = DP_TIME_UNKNOWN;
	const unsigned char *p = (const unsigned char *)data;
	if (len < 2 || p[0] != MAGIC || p[1] > FORMAT)
		return dp_error_set(err, DP_ERR_CORRUPT,
		                    "document data has an unknown format");
	/* one block holds every string: at most len bytes of fields, plus
	 * NULs, plus the inflated text */
	size_t i = 2, need = len + 32;
	uint64_t tlen = 0;
	while (i < len) {
		unsigned tag = p[i++];
		uint64_t l;
		if (get_varint(p, len, &i, &l) < 0 || l > len - i)
			return dp_error_set(err, DP_ERR_CORRUPT,
			                    "document data is truncated");
		if (tag == T_TEXT_Z) {
			size_t k = i;
			if (get_varint(p, i + l, &k, &tlen) < 0 || tlen > (1u << 30))
				return dp_error_set(err, DP_ERR_CORRUPT,
				                    "document text is damaged");
			need += tlen;
		}
		need += 1;
		i += l;
	}
	dd->mem = malloc(need);
	if (!dd->mem)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	char *m = dd->mem;
	i = 2;
	while (i < len) {
		unsigned tag = p[i++];
		uint64_t l = 0;
		get_varint(p, len, &i, &l);
		const char *f = data + i;
		const char **sp = NULL;
		switch (tag) {
		case T_ID: sp = &dd->id; break;
		case T_DATE: sp = &dd->date; break;
		case T_HEADLINE: sp = &dd->headline; break;
		case T_SOURCE: sp = &dd->source; break;
		case T_LANG: sp = &dd->lang; break;
		case T_DATELINE: sp = &dd->dateline; break;
		case T_PLACE: sp = &dd->place; break;
		case T_COUNTRY: sp = &dd->country; break;
		case T_SLUG: sp = &dd->slug; break;
		case T_BYLINE: sp = &dd->byline; break;
		case T_GENRE: sp = &dd->genre; break;
		case T_SIGNAL: sp = &dd->signal; break;
		case T_FORMAT: sp = &dd->format; break;
		case T_SUBJECTS: sp = &dd->subjects; break;
		case T_PATH: sp = &dd->path; break;
		case T_TEXT:
			sp = &dd->text;
			dd->text_len = l;
			break;
		case T_VERSION: case T_TIME: case T_URGENCY: case T_STATUS:
		case T_LINE: {
			size_t k = 0;
			uint64_t v = 0;
			if (get_varint((const unsigned char *)f, l, &k, &v) < 0)
				goto corrupt;
			int64_t n = unzigzag(v);
			if (tag == T_VERSION)
				dd->version = (uint32_t)n;
			else if (tag == T_TIME)
				dd->time = n;
			else if (tag == T_URGENCY)
				dd->urgency = (int)n;
			else if (tag == T_STATUS)
				dd->status = (int)n;
			else
				dd->line = (uint32_t)n;
			break;
		}
		case T_TEXT_Z: {
			size_t k = 0;
			uint64_t plain = 0;
			get_varint((const unsigned char *)f, l, &k, &plain);
			uLongf zl = (uLongf)plain;
			if (uncompress((Bytef *)m, &zl, (const Bytef *)f + k,
			               (uLong)(l - k)) != Z_OK || zl != plain)
				goto corrupt;
			m[plain] = '\0';
			dd->text = m;
			dd->text_len = plain;
			m += plain + 1;
			break;
		}
		default:
			break; /* a newer field: skip */
		}
		if (sp) {
			memcpy(m, f, l);
			m[l] = '\0';
			*sp = m;
			m += l + 1;
		}
		i += l;
	}
	if (!dd->text) {
		dd->text = "";
		dd->text_len = 0;
	}
	return DP_OK;
corrupt:
	free(dd->mem);
	dd->mem = NULL;
	return dp_error_set(err, DP_ERR_CORRUPT, "document data is damaged");
}

void dp_docdata_release(dp_docdata *dd)
{
	free(dd->mem);
	dd->mem = NULL;
}
