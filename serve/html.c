/* html.c: page buffer and escaping.  See html.h. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"

int sv_buf_open(sv_buf *b)
{
	b->mem = NULL;
	b->len = 0;
	b->f = open_memstream(&b->mem, &b->len);
	return b->f ? 0 : -1;
}

char *sv_buf_take(sv_buf *b, size_t *len)
{
	int bad = ferror(b->f);
	if (fclose(b->f) != 0)
		bad = 1;
	b->f = NULL;
	if (bad) {
		free(b->mem);
		b->mem = NULL;
		return NULL;
	}
	char *m = b->mem;
	*len = b->len;
	b->mem = NULL;
	return m;
}

void sv_buf_discard(sv_buf *b)
{
	if (b->f)
		fclose(b->f);
	b->f = NULL;
	free(b->mem);
	b->mem = NULL;
}

void sv_html_n(FILE *f, const char *s, size_t n)
{
	if (!s)
		return;
	size_t run = 0;  /* bytes that need no escape, written in one go */
	for (size_t i = 0; i < n; i++) {
		const char *e = NULL;
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		case '\0': e = ""; break;
		default:
			/* control characters but tab and newline: dropped */
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				e = "";
		}
		if (!e)
			continue;
		fwrite(s + run, 1, i - run, f);
		fputs(e, f);
		run = i + 1;
	}
	fwrite(s + run, 1, n - run, f);
}

void sv_html(FILE *f, const char *s)
{
	if (s)
		sv_html_n(f, s, strlen(s));
}

/* A highlight not worth marking with skip_small: a short word in lower
 * case ("de", "la", "à": meeting phrases mark them). */
static int small_word(const char *s, size_t n)
{
	if (n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x80 && !(s[i] >= 'a' && s[i] <= 'z'))
			return 0;
	return 1;
}

/* Only white space between a and b. */
static int blank(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			return 0;
	return 1;
}

void sv_html_marked_opt(FILE *f, const dp_snippet *s, int skip_small)
{
	if (!s->text)
		return;
	size_t at = 0;
	for (size_t i = 0; i < s->n_hl; i++) {
		const dp_highlight *h = &s->hl[i];
		if (h->start < at || h->end > s->len || h->end <= h->start)
			continue;
		if (skip_small && small_word(s->text + h->start, h->end - h->start))
			continue;
		/* "Viktor Bout": one mark for words marked side by side */
		size_t end = h->end;
		while (i + 1 < s->n_hl && s->hl[i + 1].start >= end
		       && s->hl[i + 1].end <= s->len
		       && s->hl[i + 1].end > s->hl[i + 1].start
		       && blank(s->text, end, s->hl[i + 1].start)
		       && !(skip_small
		            && small_word(s->text + s->hl[i + 1].start,
		                          s->hl[i + 1].end - s->hl[i + 1].start))) {
			i++;
			end = s->hl[i].end;
		}
		sv_html_n(f, s->text + at, h->start - at);
		fputs("<mark>", f);
		sv_html_n(f, s->text + h->start, end - h->start);
		fputs("</mark>", f);
		at = end;
	}
	sv_html_n(f, s->text + at, s->len - at);
}

void sv_html_marked(FILE *f, const dp_snippet *s)
{
	sv_html_marked_opt(f, s, 0);
}

void sv_url(FILE *f, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
		    || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'
		    || *p == '_' || *p == '~') {
			fputc(*p, f);
		} else {
			fputc('%', f);
			fputc(hex[*p >> 4], f);
			fputc(hex[*p & 15], f);
		}
	}
}

void sv_url_arg(FILE *f, int *first, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	fputs(*first ? "?" : "&amp;", f);
	*first = 0;
	sv_url(f, name);
	fputc('=', f);
	sv_url(f, value);
}
