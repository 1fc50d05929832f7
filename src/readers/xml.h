/* xml.h: what the XML wire-feed readers (NewsML 1.2, NewsML-G2, NITF)
 * share: safe parsing with libxml2, namespace-blind navigation, text and
 * paragraph extraction, and the rules that say what a text item is
 * (internal to src/readers).
 *
 * Parsing never loads a DTD or an external entity, never touches the
 * network and never prints: the first error becomes the dp_error.
 * Nodes and the strings returned by dp_xml_attr live as long as their
 * document (xmlFreeDoc). */
#ifndef DEPECHE_READERS_XML_H
#define DEPECHE_READERS_XML_H

#include <libxml/tree.h>

#include "readers.h"

/* A text item needs at least this many bytes of body text; shorter
 * bodies are placeholders ("body1", "Test body.") or metadata-only items,
 * not dispatches.  Kills and withheld items need no body. */
#define DP_FEED_MIN_BODY 40

/* Parses len bytes of an XML file whose name (for messages) is name.
 * The declared encoding is honoured, except that a file declaring a
 * Latin encoding whose bytes are UTF-8 is read as UTF-8, and invalid
 * UTF-8 in a file that declares none is repaired (Windows-1252).
 * Errors: DP_ERR_FORMAT "name:LINE: malformed XML: what", DP_ERR_NOMEM.
 * The caller frees *doc with xmlFreeDoc. */
dp_status dp_xml_parse(const char *data, size_t len, const char *name,
                       xmlDoc **doc, dp_error *err);

/* Reads the rest of r's input (at most r->opts.max_record bytes) and
 * parses it as above. */
dp_status dp_xml_read(dp_reader *r, xmlDoc **doc, dp_error *err);

/* Whether n is an element with this local name (namespaces ignored;
 * name NULL matches any element). */
int dp_xml_is(const xmlNode *n, const char *name);
/* First element child, next element sibling (NULL at the end). */
xmlNode *dp_xml_first(const xmlNode *parent);
xmlNode *dp_xml_after(const xmlNode *n);
/* First child element, or next sibling element after n, with this local
 * name. */
xmlNode *dp_xml_child(const xmlNode *parent, const char *name);
xmlNode *dp_xml_next(const xmlNode *n, const char *name);
/* Follows child local names separated by '/' ("head/docdata/doc-id"). */
xmlNode *dp_xml_path(const xmlNode *n, const char *path);
/* First descendant element (depth first, n excluded) with this name. */
xmlNode *dp_xml_find(const xmlNode *n, const char *name);

#define DP_XML_FOREACH(c, parent) \
	for (xmlNode *c = dp_xml_first(parent); c; c = dp_xml_after(c))

/* The value of n's attribute with this local name (any namespace; "lang"
 * finds xml:lang), or NULL.  Lives as long as the document. */
const char *dp_xml_attr(const xmlNode *n, const char *name);
/* Same, but NULL for a value that is empty or only white space. */
const char *dp_xml_attr_nonempty(const xmlNode *n, const char *name);
/* The line of n in its file (0 when unknown). */
unsigned dp_xml_line(const xmlNode *n);

/* The text content of n with white space collapsed, copied into d;
 * NULL when n is NULL or the text is empty (or out of memory). */
const char *dp_xml_text(dp_dispatch *d, const xmlNode *n);

/* Appends the paragraphs of a body to d: block elements (p, hl2, div,
 * li, tr, block, ...) become paragraphs, inline ones text; head, title,
 * header, media, script and the like are skipped.  Text without markup
 * that is escaped HTML goes through dp_xml_html_body, plain text through
 * dp_xml_plain_body. */
dp_status dp_xml_body(dp_dispatch *d, const xmlNode *n, dp_error *err);
/* Paragraphs of an HTML fragment (body_html, escaped HTML in a feed),
 * through libxml2's HTML parser. */
dp_status dp_xml_html_body(dp_dispatch *d, const char *html, size_t len,
                           dp_error *err);
/* Paragraphs of plain text: blank lines and lines indented with a tab
 * start paragraphs, other line breaks are spaces. */
dp_status dp_xml_plain_body(dp_dispatch *d, const char *s, size_t len,
                            dp_error *err);
/* Whether s looks like HTML markup rather than text ("<p>", "</b>"). */
int dp_xml_looks_html(const char *s, size_t len);

/* Bytes of body text in d (paragraphs, without separators). */
size_t dp_feed_body_len(const dp_dispatch *d);
/* Whether d is a text item worth a dispatch: a kill or withheld item,
 * or one with at least DP_FEED_MIN_BODY bytes of body. */
int dp_feed_is_text(const dp_dispatch *d);

/* Sets d->lang from a language tag ("fr-FR", "FR", "fr_CA" -> "fr");
 * leaves it alone for NULL or empty tags. */
void dp_feed_set_lang(dp_dispatch *d, const char *tag);
/* Adds the subject "code name" (just "code" or "name" when one is
 * missing); a top-level IPTC subject code ("11000000", "subj:11000000")
 * without a name gets its English name. */
dp_status dp_feed_add_subject(dp_dispatch *d, const char *code,
                              const char *name, dp_error *err);
/* English name of a top-level IPTC subject code ("15000000" -> "sport"),
 * NULL for other codes. */
const char *dp_feed_iptc_name(const char *code);
/* The publication time of a date string (ISO 8601, basic or extended);
 * sets d->date and d->time when t parses and d->time is still unknown.
 * Returns 1 when it did. */
int dp_feed_set_time(dp_dispatch *d, const char *s);
/* Parses a positive decimal version ("3", " 12 "); 0 when it is not one;
 * values beyond UINT32_MAX are clamped. */
uint32_t dp_feed_version(const char *s);
/* The file name without directories and extensions ("a/b/x.xml.gz" ->
 * "x"), copied into d. */
const char *dp_feed_base_id(dp_dispatch *d, const char *path);

#endif
