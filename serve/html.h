/* html.h: a growing page (a memory stream) and HTML escaping.
 *
 * Every value that comes from a request or from the database goes
 * through sv_html (text and attribute values alike: & < > " ' are all
 * escaped), URLs' arguments through sv_url_arg. */
#ifndef DEPECHE_SERVE_HTML_H
#define DEPECHE_SERVE_HTML_H

#include <stdio.h>

#include "snippet.h"

/* A page being written: write to f with stdio, then take the bytes. */
typedef struct sv_buf {
	FILE *f;
	char *mem;
	size_t len;
} sv_buf;

/* Opens an empty buffer; returns -1 when out of memory. */
int sv_buf_open(sv_buf *b);
/* Closes the stream and hands over its bytes (malloc()ed, the caller
 * frees them; NUL-terminated, the length in *len).  NULL when a write
 * failed (out of memory); the buffer is then released. */
char *sv_buf_take(sv_buf *b, size_t *len);
/* Releases the buffer and what it holds. */
void sv_buf_discard(sv_buf *b);

/* Writes s (NULL writes nothing) escaped for HTML text and quoted
 * attribute values. */
void sv_html(FILE *f, const char *s);
void sv_html_n(FILE *f, const char *s, size_t n);
/* Writes the snippet's text escaped, its highlights in <mark> (words
 * marked side by side in one). */
void sv_html_marked(FILE *f, const dp_snippet *s);
/* The same; skip_small leaves short lower-case words unmarked. */
void sv_html_marked_opt(FILE *f, const dp_snippet *s, int skip_small);
/* Writes s percent-encoded for a URL's query (all but A-Z a-z 0-9 - . _
 * ~), which is safe in an attribute as is. */
void sv_url(FILE *f, const char *s);
/* Writes "?name=value" for the first argument of a link (*first set),
 * "&amp;name=value" for the next; empty or NULL values are left out. */
void sv_url_arg(FILE *f, int *first, const char *name, const char *value);

#endif
