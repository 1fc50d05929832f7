/* xml.c: libxml2 helpers for the wire-feed readers.  See xml.h. */
#include "autoconf.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "xml.h"
#include "../utf8.h"

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ptr;
#else
typedef xmlErrorPtr xml_error_ptr;
#endif

#ifndef XML_PARSE_BIG_LINES
#define XML_PARSE_BIG_LINES 0
#endif

/* Longest text one body may yield; the rest is dropped. */
#define TEXT_MAX ((size_t)8 << 20)
/* Nesting of internal entities expanded in text; deeper ones are
 * dropped (billion laughs cannot blow up the walker). */
#define ENTITY_DEPTH 4
#define WALK_DEPTH 512

/* ---- parser setup ---------------------------------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int have_cp1252;

static void init_parser(void)
{
	xmlInitParser();
	xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler("windows-1252");
	if (h) {
		have_cp1252 = 1;
		xmlCharEncCloseFunc(h);
	}
}

typedef struct parse_errors {
	int have;       /* 1: an error, 2: a fatal error */
	int nomem;      /* libxml2 ran out of memory */
	int line;
	char msg[400];
} parse_errors;

/* Receives every libxml2 error of one parse: the context's structured
 * handler and, for errors raised without a context (encoding), the
 * thread's.  data is the parser context. */
static void on_error(void *data, xml_error_ptr e)
{
	xmlParserCtxtPtr ctxt = data;
	parse_errors *pe = ctxt ? ctxt->_private : NULL;
	if (pe && e && e->code == XML_ERR_NO_MEMORY)
		pe->nomem = 1;
	if (!pe || !e || e->level < XML_ERR_ERROR)
		return;
	int rank = e->level == XML_ERR_FATAL ? 2 : 1;
	if (pe->have >= rank)
		return;
	pe->have = rank;
	pe->line = e->line;
	const char *m = e->message ? e->message : "unknown error";
	snprintf(pe->msg, sizeof pe->msg, "%s", m);
	/* libxml2's limits (element depth, text size) suggest an option
	 * that is never set here: keep the limit, drop the advice */
	char *huge = strstr(pe->msg, " use XML_PARSE_HUGE option");
	if (huge)
		*huge = '\0';
	size_t n = strlen(pe->msg);
	while (n && (pe->msg[n - 1] == '\n' || pe->msg[n - 1] == ' '
	             || pe->msg[n - 1] == '.'))
		pe->msg[--n] = '\0';
	/* house style: lower case ("Opening and ending" -> "opening and
	 * ending"), but keep acronyms ("XML declaration") */
	if (pe->msg[0] >= 'A' && pe->msg[0] <= 'Z' && pe->msg[1] >= 'a'
	    && pe->msg[1] <= 'z')
		pe->msg[0] = (char)(pe->msg[0] - 'A' + 'a');
}

/* ---- encoding ------------------------------------------------------- */

/* Copies the encoding named in the XML declaration into out ("" when
 * there is none). */
static void declared_encoding(const char *b, size_t n, char *out,
                              size_t outsz)
{
	out[0] = '\0';
	size_t i = 0;
	if (n >= 3 && (unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB
	    && (unsigned char)b[2] == 0xBF)
		i = 3;
	if (n - i < 6 || strncmp(b + i, "<?xml", 5) != 0)
		return;
	size_t end = i + 5;
	while (end < n && end < i + 400 && b[end] != '>')
		end++;
	for (size_t k = i + 5; k + 8 < end; k++) {
		if (strncmp(b + k, "encoding", 8) != 0)
			continue;
		size_t j = k + 8;
		while (j < end && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r'
		                   || b[j] == '\n' || b[j] == '='))
			j++;
		if (j >= end || (b[j] != '"' && b[j] != '\''))
			return;
		char q = b[j++];
		size_t o = 0;
		while (j < end && b[j] != q && o + 1 < outsz)
			out[o++] = b[j++];
		out[o] = '\0';
		return;
	}
}

static int name_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(s, *list))
			return 1;
	return 0;
}

static const char *const latin1_names[] = {
	"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
	"us-ascii", "ascii", NULL,
};
static const char *const latin_names[] = {
	"iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9",
	"windows-1252", "cp1252", "x-cp1252", NULL,
};

/* Counts valid multi-byte UTF-8 sequences and invalid ones; *c1 tells
 * whether bytes 0x80-0x9F occur (Windows-1252 punctuation when the text
 * is Latin). */
static void utf8_census(const char *s, size_t n, size_t *multi,
                        size_t *bad, int *c1)
{
	*multi = *bad = 0;
	*c1 = 0;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c <= 0x9F)
			*c1 = 1;
		size_t j = i;
		if (dp_utf8_decode(s, n, &j) < 0)
			(*bad)++;
		else
			(*multi)++;
		i = j > i ? j : i + 1;
	}
}

/* Decides how to decode b: returns the encoding to force (NULL: the
 * document's own) and, when the bytes had to be repaired, a malloc()ed
 * copy in *fixed.  Returns "" (and sets *nomem) when out of memory. */
static const char *choose_encoding(const char *b, size_t n, char **fixed,
                                   size_t *fixedlen, int *nomem)
{
	char enc[64];
	declared_encoding(b, n, enc, sizeof enc);
	*fixed = NULL;
	*nomem = 0;
	int latin1 = name_in(enc, latin1_names);
	int latin = latin1 || name_in(enc, latin_names);
	int utf8 = !enc[0] || !strcasecmp(enc, "utf-8")
	           || !strcasecmp(enc, "utf8");
	if (!latin && !utf8)
		return NULL; /* UTF-16, Shift_JIS...: libxml2 knows best */
	size_t multi, bad;
	int c1;
	utf8_census(b, n, &multi, &bad, &c1);
	if (latin) {
		if (multi > 0 && bad == 0)
			return "UTF-8"; /* declared Latin, written in UTF-8 */
		if (multi <= bad) {
			if (latin1 && c1 && have_cp1252)
				return "windows-1252"; /* what "latin1" means */
			return NULL;
		}
		/* mostly UTF-8 with stray Latin bytes: repair below */
	} else if (bad == 0) {
		return NULL;
	}
	*fixed = dp_utf8_repair(b, n, fixedlen);
	if (!*fixed) {
		*nomem = 1;
		return "";
	}
	return "UTF-8";
}

/* ---- parsing ---------------------------------------------------------- */

dp_status dp_xml_parse(const char *data, size_t len, const char *name,
                       xmlDoc **out, dp_error *err)
{
	*out = NULL;
	pthread_once(&init_once, init_parser);
	char *fixed;
	size_t fixedlen = 0;
	int nomem;
	const char *enc = choose_encoding(data, len, &fixed, &fixedlen, &nomem);
	if (nomem)
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", name);
	const char *buf = fixed ? fixed : data;
	size_t n = fixed ? fixedlen : len;
	if (n > INT_MAX) {
		free(fixed);
		return dp_error_set(err, DP_ERR_FORMAT, "%s: XML file too large",
		                    name);
	}
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		free(fixed);
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", name);
	}
	parse_errors pe;
	memset(&pe, 0, sizeof pe);
	ctxt->_private = &pe;
	if (ctxt->sax) {
		ctxt->sax->initialized = XML_SAX2_MAGIC;
		ctxt->sax->serror = on_error;
	}
	/* errors raised without a context (encoding conversion) go to the
	 * thread's handler: route them here too, then restore it */
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(ctxt, on_error);
	/* never XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDVALID or
	 * XML_PARSE_HUGE: no external entity or DTD is ever loaded, and
	 * libxml2's limits on entity expansion stay on */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
	           | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;
	if (enc)
		opts |= XML_PARSE_IGNORE_ENC;
	xmlDoc *doc = xmlCtxtReadMemory(ctxt, buf, (int)n, NULL, enc, opts);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	int wf = ctxt->wellFormed;
	/* libxml2 stops on a failed allocation (xmlSAX2Characters...) and
	 * may hand back a well-formed document with text missing, saying
	 * so only in errNo: that is no document */
	if (ctxt->errNo == XML_ERR_NO_MEMORY)
		pe.nomem = 1;
	xmlFreeParserCtxt(ctxt);
	free(fixed);
	if (pe.nomem && doc) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc || !wf || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		if (pe.nomem)
			return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory",
			                    name);
		if (pe.have)
			return dp_error_set(err, DP_ERR_FORMAT,
			                    "%s:%d: malformed XML: %s", name,
			                    pe.line, pe.msg);
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s: malformed XML: no root element", name);
	}
	*out = doc;
	return DP_OK;
}

dp_status dp_xml_read(dp_reader *r, xmlDoc **doc, dp_error *err)
{
	char *data;
	size_t len;
	*doc = NULL;
	dp_status st = dp_input_slurp(r->in, r->opts.max_record, &data, &len,
	                              err);
	if (st != DP_OK)
		return st;
	st = dp_xml_parse(data, len, r->name, doc, err);
	free(data);
	return st;
}

/* ---- navigation ---------------------------------------------------- */

/* The local part of a name, in case a prefix was left in it (an
 * undeclared prefix). */
static const char *local_name(const xmlChar *name)
{
	const char *s = (const char *)name;
	const char *c = s ? strrchr(s, ':') : NULL;
	return c ? c + 1 : (s ? s : "");
}

int dp_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE
	       && (!name || !strcmp(local_name(n->name), name));
}

xmlNode *dp_xml_first(const xmlNode *parent)
{
	if (!parent)
		return NULL;
	for (xmlNode *c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *dp_xml_after(const xmlNode *n)
{
	if (!n)
		return NULL;
	for (xmlNode *c = n->next; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *dp_xml_child(const xmlNode *parent, const char *name)
{
	DP_XML_FOREACH(c, parent)
		if (dp_xml_is(c, name))
			return c;
	return NULL;
}

xmlNode *dp_xml_next(const xmlNode *n, const char *name)
{
	for (xmlNode *c = dp_xml_after(n); c; c = dp_xml_after(c))
		if (dp_xml_is(c, name))
			return c;
	return NULL;
}

xmlNode *dp_xml_path(const xmlNode *n, const char *path)
{
	char part[128];
	const xmlNode *cur = n;
	while (cur && *path) {
		const char *slash = strchr(path, '/');
		size_t l = slash ? (size_t)(slash - path) : strlen(path);
		if (l >= sizeof part)
			return NULL;
		memcpy(part, path, l);
		part[l] = '\0';
		cur = dp_xml_child(cur, part);
		path += l;
		if (*path == '/')
			path++;
	}
	return (xmlNode *)cur;
}

static xmlNode *find_in(const xmlNode *n, const char *name, int depth)
{
	if (depth > WALK_DEPTH)
		return NULL;
	DP_XML_FOREACH(c, n) {
		if (dp_xml_is(c, name))
			return c;
		xmlNode *f = find_in(c, name, depth + 1);
		if (f)
			return f;
	}
	return NULL;
}

xmlNode *dp_xml_find(const xmlNode *n, const char *name)
{
	return n ? find_in(n, name, 0) : NULL;
}

const char *dp_xml_attr(const xmlNode *n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (strcmp(local_name(a->name), name) != 0)
			continue;
		const xmlNode *c = a->children;
		if (!c)
			return "";
		if (c->type == XML_TEXT_NODE && !c->next)
			return (const char *)c->content;
		return NULL; /* entity references in the value: ignored */
	}
	return NULL;
}

const char *dp_xml_attr_nonempty(const xmlNode *n, const char *name)
{
	const char *v = dp_xml_attr(n, name);
	if (!v)
		return NULL;
	for (const char *p = v; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return v;
	return NULL;
}

unsigned dp_xml_line(const xmlNode *n)
{
	long l = n ? xmlGetLineNo(n) : 0;
	return l > 0 && l < (long)UINT_MAX ? (unsigned)l : 0;
}

/* ---- text --------------------------------------------------------------- */

typedef struct tbuf {
	char *p;
	size_t n, cap;
	int space;     /* white space pending before the next character */
} tbuf;

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
	       || c == '\v';
}

/* Appends s with white space collapsed; 0 when out of memory. */
static int tb_put(tbuf *b, const char *s, size_t n)
{
	if (b->cap - b->n < n + 2) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc - b->n < n + 2)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np)
			return 0;
		b->p = np;
		b->cap = nc;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_ws(c)) {
			if (b->n)
				b->space = 1;
			continue;
		}
		if (b->space) {
			b->p[b->n++] = ' ';
			b->space = 0;
		}
		b->p[b->n++] = c;
	}
	return 1;
}

enum { EL_OTHER, EL_INLINE, EL_BLOCK, EL_CELL, EL_SKIP, EL_BREAK };

static const char *const block_names[] = {
	"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hl1", "hl2", "hl3",
	"li", "dd", "dt", "blockquote", "bq", "pre", "tr", "table", "thead",
	"tbody", "tfoot", "ul", "ol", "dl", "section", "article", "block",
	"body.content", "caption", "address", "center", "main", "aside",
	"tagline", "fieldset", "body", "html", "nitf", "DataContent",
	"inlineXML", "inlineData", NULL,
};
static const char *const skip_names[] = {
	"head", "title", "script", "style", "header", "nav", "footer",
	"media", "hedline", "body.head", "body.end", "noscript", "iframe",
	"object", "svg", "figure", "img", "meta", "link", "identified-content",
	"template", "button", "select", "textarea", "input", NULL,
};
static const char *const inline_names[] = {
	"a", "b", "i", "em", "strong", "span", "sub", "sup", "u", "small",
	"big", "abbr", "acronym", "cite", "code", "q", "s", "strike", "font",
	"tt", "var", "mark", "time", "kbd", "samp", "dfn", "ins", "del", "bdi",
	"bdo", "wbr", "label", "person", "org", "location", "chron", "money",
	"num", "event", "function", "object.title", "classifier", "copyrite",
	"copyrite.year", "copyrite.holder", "virtloc", "pronounce", "lang",
	"alt-code", "postaddr", "city", "country", "region", "state",
	"sublocation", "frac", "frac-num", "frac-den", "nobr", NULL,
};

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static int element_class(const char *name)
{
	if (!strcmp(name, "br"))
		return EL_BREAK;
	if (!strcmp(name, "td") || !strcmp(name, "th"))
		return EL_CELL;
	if (in_list(name, inline_names))
		return EL_INLINE;
	if (in_list(name, block_names))
		return EL_BLOCK;
	if (in_list(name, skip_names))
		return EL_SKIP;
	return EL_OTHER;
}

typedef struct walker {
	dp_dispatch *d;
	dp_error *err;
	tbuf b;
	int flat;        /* one run of text: no paragraphs */
	int pre;         /* inside <pre>: line breaks are paragraph breaks */
	int depth, ent_depth;
	size_t total;    /* bytes of text produced */
	dp_status st;
} walker;

static int full(const walker *w)
{
	return w->st != DP_OK || w->total + w->b.n > TEXT_MAX;
}

/* Whether s holds more than white space (no-break and thin spaces
 * included). */
static int visible(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ')
			continue;
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			i++;
			continue;
		}
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80
		    && ((unsigned char)s[i + 2] == 0xAF
		        || (unsigned char)s[i + 2] == 0x89
		        || (unsigned char)s[i + 2] == 0x8B)) {
			i += 2;
			continue;
		}
		return 1;
	}
	return 0;
}

static void flush(walker *w)
{
	if (w->st == DP_OK && w->b.n && !w->flat && !visible(w->b.p, w->b.n))
		w->b.n = 0;
	if (w->st == DP_OK && w->b.n && !w->flat) {
		w->st = dp_dispatch_add_paragraph(w->d, w->b.p, w->b.n, w->err);
		w->total += w->b.n;
		w->b.n = 0;
	}
	if (!w->flat)
		w->b.space = 0;
}

static void put_text(walker *w, const char *s)
{
	if (!s || full(w))
		return;
	size_t n = strlen(s);
	if (w->pre && !w->flat) {
		const char *end = s + n;
		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
			if (!tb_put(&w->b, s, l)) {
				w->st = dp_error_set(w->err, DP_ERR_NOMEM,
				                     "out of memory");
				return;
			}
			if (nl)
				flush(w);
			s += l + (nl ? 1 : 0);
		}
		return;
	}
	if (!tb_put(&w->b, s, n))
		w->st = dp_error_set(w->err, DP_ERR_NOMEM, "out of memory");
}

static void walk(walker *w, const xmlNode *n);

/* An entity reference left in the tree (the parser never substitutes
 * entities): internal ones are expanded a few levels deep, external
 * ones never (their content was never loaded). */
static void entity(walker *w, const xmlNode *ref)
{
	if (!ref->doc || w->ent_depth >= ENTITY_DEPTH)
		return;
	xmlEntityPtr ent = xmlGetDocEntity(ref->doc, ref->name);
	if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY)
		return;
	w->ent_depth++;
	if (ent->children)
		walk(w, (const xmlNode *)ent);
	else if (ent->content && !strpbrk((const char *)ent->content, "&<"))
		put_text(w, (const char *)ent->content);
	w->ent_depth--;
}

static void element(walker *w, const xmlNode *c)
{
	const char *name = local_name(c->name);
	int cls = element_class(name);
	if (!strcmp(name, "script") || !strcmp(name, "style"))
		return;
	if (w->flat) {
		/* words of different elements stay apart */
		if (cls != EL_INLINE && w->b.n)
			w->b.space = 1;
	} else {
		switch (cls) {
		case EL_SKIP:
			return;
		case EL_BREAK:
			flush(w);
			return;
		case EL_BLOCK:
			flush(w);
			break;
		case EL_INLINE:
			break;
		default:
			if (w->b.n)
				w->b.space = 1;
			break;
		}
	}
	if (w->depth >= WALK_DEPTH)
		return;
	int pre = !strcmp(name, "pre");
	w->pre += pre;
	w->depth++;
	walk(w, c);
	w->depth--;
	w->pre -= pre;
	if (w->flat) {
		if (cls != EL_INLINE && w->b.n)
			w->b.space = 1;
	} else if (cls == EL_BLOCK) {
		flush(w);
	} else if (cls != EL_INLINE && w->b.n) {
		w->b.space = 1;
	}
}

static void walk(walker *w, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c && !full(w); c = c->next) {
		switch (c->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			put_text(w, (const char *)c->content);
			break;
		case XML_ENTITY_REF_NODE:
			entity(w, c);
			break;
		case XML_ELEMENT_NODE:
			element(w, c);
			break;
		default:
			break;
		}
	}
}

const char *dp_xml_text(dp_dispatch *d, const xmlNode *n)
{
	if (!n)
		return NULL;
	walker w;
	memset(&w, 0, sizeof w);
	w.d = d;
	w.flat = 1;
	walk(&w, n);
	const char *s = NULL;
	if (w.st == DP_ERR_NOMEM)
		d->nomem = 1;  /* not absent: dp_reader_next says so */
	if (w.st == DP_OK && w.b.n)
		s = dp_dispatch_strdup(d, w.b.p, w.b.n);
	free(w.b.p);
	return s && *s ? s : NULL;
}

/* Whether n holds elements (markup) rather than only text. */
static int has_elements(const xmlNode *n)
{
	return dp_xml_first(n) != NULL;
}

/* The raw text of a text-only node (entity references are dropped). */
static char *raw_text(const xmlNode *n, size_t *len)
{
	size_t cap = 256, l = 0;
	char *p = malloc(cap);
	if (!p)
		return NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		const char *s = NULL;
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			s = (const char *)c->content;
		if (!s)
			continue;
		size_t sl = strlen(s);
		if (l + sl + 1 > TEXT_MAX)
			break;
		if (l + sl + 1 > cap) {
			while (l + sl + 1 > cap)
				cap *= 2;
			char *np = realloc(p, cap);
			if (!np) {
				free(p);
				return NULL;
			}
			p = np;
		}
		memcpy(p + l, s, sl);
		l += sl;
	}
	p[l] = '\0';
	*len = l;
	return p;
}

dp_status dp_xml_body(dp_dispatch *d, const xmlNode *n, dp_error *err)
{
	if (!n)
		return DP_OK;
	if (!has_elements(n)) {
		size_t len;
		char *s = raw_text(n, &len);
		if (!s)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		dp_status st = dp_xml_looks_html(s, len)
		                   ? dp_xml_html_body(d, s, len, err)
		                   : dp_xml_plain_body(d, s, len, err);
		free(s);
		return st;
	}
	walker w;
	memset(&w, 0, sizeof w);
	w.d = d;
	w.err = err;
	walk(&w, n);
	flush(&w);
	free(w.b.p);
	return w.st;
}

dp_status dp_xml_html_body(dp_dispatch *d, const char *html, size_t len,
                           dp_error *err)
{
	pthread_once(&init_once, init_parser);
	if (len > INT_MAX)
		len = INT_MAX;
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	if (!ctxt)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	parse_errors pe;
	memset(&pe, 0, sizeof pe);
	ctxt->_private = &pe;
	if (ctxt->sax)
		ctxt->sax->serror = on_error;
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(ctxt, on_error);
	htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html, (int)len, NULL, "UTF-8",
	                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR
	                                    | HTML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	htmlFreeParserCtxt(ctxt);
	if (!doc) {
		/* nothing the HTML parser could use: keep the text */
		return dp_xml_plain_body(d, html, len, err);
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *body = dp_xml_is(root, "body") ? root : dp_xml_find(root, "body");
	dp_status st = DP_OK;
	if (body || root) {
		walker w;
		memset(&w, 0, sizeof w);
		w.d = d;
		w.err = err;
		walk(&w, body ? body : root);
		flush(&w);
		free(w.b.p);
		st = w.st;
	}
	xmlFreeDoc(doc);
	return st;
}

dp_status dp_xml_plain_body(dp_dispatch *d, const char *s, size_t len,
                            dp_error *err)
{
	tbuf b;
	memset(&b, 0, sizeof b);
	dp_status st = DP_OK;
	size_t i = 0;
	while (i < len && st == DP_OK) {
		size_t e = i;
		while (e < len && s[e] != '\n' && s[e] != '\r')
			e++;
		size_t k = i;
		while (k < e && is_ws(s[k]))
			k++;
		int blank = k == e;
		int indent = !blank && s[i] == '\t';
		if ((blank || indent) && b.n) {
			if (visible(b.p, b.n))
				st = dp_dispatch_add_paragraph(d, b.p, b.n, err);
			b.n = 0;
			b.space = 0;
		}
		if (!blank && st == DP_OK) {
			if (b.n)
				b.space = 1;
			if (!tb_put(&b, s + i, e - i))
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		i = e;
		if (i < len && s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		if (i < len)
			i++;
	}
	if (st == DP_OK && b.n && visible(b.p, b.n))
		st = dp_dispatch_add_paragraph(d, b.p, b.n, err);
	free(b.p);
	return st;
}

int dp_xml_looks_html(const char *s, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++) {
		if (s[i] != '<')
			continue;
		char c = s[i + 1];
		if (c == '/')
			c = s[i + 2];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			continue;
		const char *gt = memchr(s + i, '>', len - i);
		if (gt && gt - (s + i) < 200)
			return 1;
	}
	return 0;
}

/* ---- dispatch helpers ------------------------------------------------- */

size_t dp_feed_body_len(const dp_dispatch *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_paragraphs; i++)
		n += strlen(d->paragraphs[i]);
	return n;
}

int dp_feed_is_text(const dp_dispatch *d)
{
	if (d->status == DP_PUB_CANCELED || d->status == DP_PUB_WITHHELD)
		return 1;
	return dp_feed_body_len(d) >= DP_FEED_MIN_BODY;
}

void dp_feed_set_lang(dp_dispatch *d, const char *tag)
{
	if (!tag)
		return;
	while (is_ws(*tag))
		tag++;
	char out[9];
	size_t n = 0;
	while (n < sizeof out - 1 && ((tag[n] >= 'a' && tag[n] <= 'z')
	                              || (tag[n] >= 'A' && tag[n] <= 'Z'))) {
		out[n] = (char)(tag[n] | 0x20);
		n++;
	}
	if (n < 2 || (tag[n] && tag[n] != '-' && tag[n] != '_' && !is_ws(tag[n])))
		return;
	out[n] = '\0';
	const char *s = dp_dispatch_str(d, out);
	if (s)
		d->lang = s;
}

static const char *const iptc_top[17] = {
	"arts, culture and entertainment",
	"crime, law and justice",
	"disaster and accident",
	"economy, business and finance",
	"education",
	"environmental issue",
	"health",
	"human interest",
	"labour",
	"lifestyle and leisure",
	"politics",
	"religion and belief",
	"science and technology",
	"social issue",
	"sport",
	"unrest, conflicts and war",
	"weather",
};

const char *dp_feed_iptc_name(const char *code)
{
	if (!code)
		return NULL;
	const char *c = strchr(code, ':');
	if (c) {
		size_t pl = (size_t)(c - code);
		if (!((pl == 4 && !strncasecmp(code, "subj", 4))
		      || (pl == 4 && !strncasecmp(code, "iptc", 4))))
			return NULL;
		code = c + 1;
	}
	if (strlen(code) != 8 || strcmp(code + 2, "000000") != 0)
		return NULL;
	if (code[0] < '0' || code[0] > '1' || code[1] < '0' || code[1] > '9')
		return NULL;
	int k = (code[0] - '0') * 10 + (code[1] - '0');
	return k >= 1 && k <= 17 ? iptc_top[k - 1] : NULL;
}

/* s without white space at both ends: start in *s, length returned. */
static size_t trimmed(const char **s)
{
	if (!*s)
		return 0;
	while (is_ws(**s))
		(*s)++;
	size_t n = strlen(*s);
	while (n && is_ws((*s)[n - 1]))
		n--;
	return n;
}

dp_status dp_feed_add_subject(dp_dispatch *d, const char *code,
                              const char *name, dp_error *err)
{
	size_t cl = trimmed(&code), nl = trimmed(&name);
	if (!nl && cl) {
		char c[64];
		if (cl < sizeof c) {
			memcpy(c, code, cl);
			c[cl] = '\0';
			name = dp_feed_iptc_name(c);
			nl = name ? strlen(name) : 0;
		}
	}
	if (!cl && !nl)
		return DP_OK;
	size_t n = cl + nl + 2;
	char *buf = malloc(n);
	if (!buf)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	size_t o = 0;
	if (cl) {
		memcpy(buf, code, cl);
		o = cl;
	}
	if (cl && nl)
		buf[o++] = ' ';
	if (nl) {
		memcpy(buf + o, name, nl);
		o += nl;
	}
	dp_status st = dp_dispatch_add_subject(d, buf, o, err);
	free(buf);
	return st;
}

int dp_feed_set_time(dp_dispatch *d, const char *s)
{
	if (!s || d->time != DP_TIME_UNKNOWN)
		return 0;
	size_t n = trimmed(&s);
	char buf[64];
	if (!n || n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	int64_t t = dp_parse_iso8601(buf);
	if (t == DP_TIME_UNKNOWN)
		return 0;
	d->time = t;
	d->date = dp_dispatch_str(d, buf);
	return 1;
}

uint32_t dp_feed_version(const char *s)
{
	if (!s)
		return 0;
	while (is_ws(*s))
		s++;
	uint64_t v = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			v = UINT32_MAX;
		p++;
	}
	if (p == s)
		return 0;
	while (is_ws(*p))
		p++;
	if (*p)
		return 0;
	return (uint32_t)v;
}

const char *dp_feed_base_id(dp_dispatch *d, const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	const char *dot = memchr(b, '.', n);
	if (dot && dot != b)
		n = (size_t)(dot - b);
	return dp_dispatch_strdup(d, b, n);
}
