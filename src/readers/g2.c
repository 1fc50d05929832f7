/* g2.c: NewsML-G2 — a newsItem alone, or a newsMessage whose itemSet
 * holds several items.
 *
 * Only text newsItems (itemClass ninat:text, icls:text...) become
 * dispatches; pictures, graphics, video, audio and composites, and
 * packageItem, conceptItem, knowledgeItem, planningItem and catalogItem
 * are skipped and counted in r->skipped — never an error.
 *
 * guid is @guid, version @version; d->time is versionCreated (the
 * version's time), d->first_time firstCreated.  The body is the first
 * inlineXML (NITF or XHTML) of the contentSet, else its main inlineData
 * (plain text split on blank lines, or HTML); remoteContent is ignored. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xml.h"

typedef struct g2_state {
	xmlDoc *doc;
	xmlNode **items;     /* the item elements, in order */
	size_t n, next;
} g2_state;

static int is_item(const xmlNode *n)
{
	static const char *const kinds[] = {
		"newsItem", "packageItem", "conceptItem", "knowledgeItem",
		"planningItem", "catalogItem", NULL,
	};
	for (const char *const *k = kinds; *k; k++)
		if (dp_xml_is(n, *k))
			return 1;
	return 0;
}

static void g2_close(dp_reader *r)
{
	g2_state *st = r->state;
	if (!st)
		return;
	xmlFreeDoc(st->doc);
	free(st->items);
	free(st);
	r->state = NULL;
}

static dp_status g2_open(dp_reader *r, dp_error *err)
{
	g2_state *st = calloc(1, sizeof *st);
	if (!st)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	r->state = st;
	dp_status s = dp_xml_read(r, &st->doc, err);
	if (s != DP_OK) {
		g2_close(r);
		return s;
	}
	xmlNode *root = xmlDocGetRootElement(st->doc);
	size_t cap = 0;
	xmlNode *set = NULL;
	if (is_item(root)) {
		cap = 1;
	} else if (dp_xml_is(root, "newsMessage")) {
		set = dp_xml_child(root, "itemSet");
		DP_XML_FOREACH(c, set)
			cap++;
	} else {
		s = dp_error_set(err, DP_ERR_FORMAT,
		                 "%s:%u: unknown NewsML-G2 root element '%s'",
		                 r->name, dp_xml_line(root),
		                 root ? (const char *)root->name : "");
		g2_close(r);
		return s;
	}
	if (cap) {
		st->items = calloc(cap, sizeof *st->items);
		if (!st->items) {
			g2_close(r);
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
	}
	if (!set) {
		if (cap)
			st->items[st->n++] = root;
	} else {
		DP_XML_FOREACH(c, set)
			if (is_item(c))
				st->items[st->n++] = c;
	}
	return DP_OK;
}

/* ---- one newsItem -> dispatch ------------------------------------------ */

static dp_status nomem(dp_error *err)
{
	return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
}

/* "ninat:text" -> "text" */
static const char *after_colon(const char *q)
{
	const char *c = q ? strrchr(q, ':') : NULL;
	return c ? c + 1 : q;
}

/* Whether a newsItem is a text item. */
static int text_item(const xmlNode *item)
{
	const xmlNode *ic = dp_xml_path(item, "itemMeta/itemClass");
	const char *q = dp_xml_attr_nonempty(ic, "qcode");
	if (!q)
		q = dp_xml_attr_nonempty(ic, "uri");
	if (!q) {
		/* no class: a text item if it carries inline content */
		const xmlNode *cs = dp_xml_child(item, "contentSet");
		return dp_xml_child(cs, "inlineXML") || dp_xml_child(cs, "inlineData");
	}
	const char *c = after_colon(q);
	const char *slash = strrchr(c, '/');
	if (slash)
		c = slash + 1;
	return !strcasecmp(c, "text");
}

/* name child, else @literal, else @qcode */
static const char *concept_name(dp_dispatch *d, const xmlNode *n)
{
	if (!n)
		return NULL;
	const char *s = dp_xml_text(d, dp_xml_child(n, "name"));
	if (!s)
		s = dp_dispatch_str(d, dp_xml_attr_nonempty(n, "literal"));
	if (!s)
		s = dp_dispatch_str(d, dp_xml_attr_nonempty(n, "qcode"));
	return s;
}

/* The body of a contentSet. */
static dp_status content(dp_dispatch *d, const xmlNode *cs, dp_error *err)
{
	const xmlNode *ix = dp_xml_child(cs, "inlineXML");
	if (ix) {
		const xmlNode *nitf = dp_xml_find(ix, "nitf");
		const xmlNode *bc = nitf ? dp_xml_find(nitf, "body.content") : NULL;
		const xmlNode *html = nitf ? NULL : dp_xml_find(ix, "html");
		const xmlNode *body = html ? dp_xml_child(html, "body") : NULL;
		return dp_xml_body(d, bc ? bc : body ? body : nitf ? nitf : ix,
		                   err);
	}
	/* inlineData: the rendition that looks like the text, else the
	 * longest */
	const xmlNode *best = NULL;
	size_t best_len = 0;
	for (xmlNode *c = dp_xml_child(cs, "inlineData"); c;
	     c = dp_xml_next(c, "inlineData")) {
		const char *rend = dp_xml_attr(c, "rendition");
		const char *enc = dp_xml_attr(c, "encoding");
		if (enc && strcasecmp(enc, "utf-8") && strcasecmp(enc, "utf8"))
			continue; /* base64 and the like */
		size_t len = 0;
		for (const xmlNode *t = c->children; t; t = t->next)
			if (t->content && (t->type == XML_TEXT_NODE
			                   || t->type == XML_CDATA_SECTION_NODE))
				len += strlen((const char *)t->content);
		if (rend && (strstr(rend, ":text") || strstr(rend, ":body"))) {
			best = c;
			break;
		}
		if (len > best_len) {
			best = c;
			best_len = len;
		}
	}
	if (!best)
		return DP_OK;
	/* text/plain is split on blank lines; escaped HTML (text/html) is
	 * recognised and parsed as such */
	return dp_xml_body(d, best, err);
}

/* Fills d from a text newsItem; DP_DONE when it has too little text. */
static dp_status build(dp_reader *r, const xmlNode *item, dp_dispatch *d,
                       dp_error *err)
{
	d->line = dp_xml_line(item);
	const char *guid = dp_xml_attr_nonempty(item, "guid");
	if (!guid)
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s:%u: newsItem has no 'guid'", r->name, d->line);
	if (!(d->id = dp_dispatch_str(d, guid)))
		return nomem(err);
	uint32_t v = dp_feed_version(dp_xml_attr(item, "version"));
	d->version = v ? v : 1;

	/* itemMeta */
	const xmlNode *im = dp_xml_child(item, "itemMeta");
	const char *vc = dp_xml_text(d, dp_xml_child(im, "versionCreated"));
	const char *fc = dp_xml_text(d, dp_xml_child(im, "firstCreated"));
	const char *ps = dp_xml_attr(dp_xml_child(im, "pubStatus"), "qcode");
	if (ps) {
		int k = dp_pubstatus_parse(ps);
		if (k >= 0)
			d->status = (dp_pubstatus)k;
	}
	/* signals: all qcodes, space separated; sig:correction makes a
	 * usable item a correction */
	size_t siglen = 0;
	char sigbuf[512];
	for (xmlNode *sg = dp_xml_child(im, "signal"); sg;
	     sg = dp_xml_next(sg, "signal")) {
		const char *q = dp_xml_attr_nonempty(sg, "qcode");
		if (!q)
			continue;
		if (!strcasecmp(after_colon(q), "correction")
		    && d->status == DP_PUB_USABLE)
			d->status = DP_PUB_CORRECTION;
		size_t ql = strlen(q);
		if (siglen + ql + 2 < sizeof sigbuf) {
			if (siglen)
				sigbuf[siglen++] = ' ';
			memcpy(sigbuf + siglen, q, ql);
			siglen += ql;
		}
	}
	if (siglen && !(d->signal = dp_dispatch_strdup(d, sigbuf, siglen)))
		return nomem(err);
	d->embargo = dp_xml_text(d, dp_xml_child(im, "embargoed"));
	const xmlNode *prov = dp_xml_child(im, "provider");

	/* contentMeta */
	const xmlNode *cm = dp_xml_child(item, "contentMeta");
	const char *cc = dp_xml_text(d, dp_xml_child(cm, "contentCreated"));
	if (!dp_feed_set_time(d, vc) && !dp_feed_set_time(d, fc)
	    && !dp_feed_set_time(d, cc)) {
		/* a newsMessage's header/sent */
		const xmlNode *msg = item->parent ? item->parent->parent : NULL;
		if (dp_xml_is(msg, "newsMessage"))
			dp_feed_set_time(d, dp_xml_text(d, dp_xml_path(msg,
			                                               "header/sent")));
	}
	if (fc)
		d->first_time = dp_parse_iso8601(fc);
	const char *u = dp_xml_text(d, dp_xml_child(cm, "urgency"));
	if (u && u[0] >= '0' && u[0] <= '9' && !u[1])
		d->urgency = u[0] - '0';

	const xmlNode *loc = dp_xml_child(cm, "located");
	if (loc) {
		d->place = dp_xml_text(d, dp_xml_child(loc, "name"));
		if (!d->place)
			d->place = dp_dispatch_str(d, dp_xml_attr_nonempty(loc,
			                                                   "literal"));
		for (xmlNode *b = dp_xml_child(loc, "broader"); b && !d->country;
		     b = dp_xml_next(b, "broader")) {
			const char *t = dp_xml_attr(b, "type");
			const char *q = dp_xml_attr(b, "qcode");
			if ((t && strstr(t, "country"))
			    || (q && !strncmp(q, "iso3166", 7)))
				d->country = dp_xml_text(d, dp_xml_child(b, "name"));
		}
	}
	d->dateline = dp_xml_text(d, dp_xml_child(cm, "dateline"));
	d->byline = dp_xml_text(d, dp_xml_child(cm, "by"));
	for (const char *who = "creator"; !d->byline && who;
	     who = !strcmp(who, "creator") ? "contributor" : NULL) {
		for (xmlNode *c = dp_xml_child(cm, who); c && !d->byline;
		     c = dp_xml_next(c, who)) {
			d->byline = dp_xml_text(d, dp_xml_child(c, "name"));
			if (!d->byline)
				d->byline = dp_dispatch_str(d, dp_xml_attr_nonempty(
				    c, "literal"));
		}
	}
	for (xmlNode *s = dp_xml_child(cm, "subject"); s;
	     s = dp_xml_next(s, "subject")) {
		const char *q = dp_xml_attr_nonempty(s, "qcode");
		if (!q)
			q = dp_xml_attr_nonempty(s, "literal");
		dp_status st = dp_feed_add_subject(
		    d, q, dp_xml_text(d, dp_xml_child(s, "name")), err);
		if (st != DP_OK)
			return st;
	}
	d->genre = concept_name(d, dp_xml_child(cm, "genre"));
	dp_feed_set_lang(d, dp_xml_attr(dp_xml_child(cm, "language"), "tag"));
	if (!d->lang)
		dp_feed_set_lang(d, dp_xml_attr(item, "lang"));
	d->slug = dp_xml_text(d, dp_xml_child(cm, "slugline"));
	for (xmlNode *h = dp_xml_child(cm, "headline"); h && !d->headline;
	     h = dp_xml_next(h, "headline"))
		d->headline = dp_xml_text(d, h);
	d->source = concept_name(d, prov);
	if (!d->source)
		d->source = dp_xml_text(d, dp_xml_child(cm, "creditline"));

	if (d->status != DP_PUB_CANCELED && d->status != DP_PUB_WITHHELD) {
		dp_status st = content(d, dp_xml_child(item, "contentSet"), err);
		if (st != DP_OK)
			return st;
	}
	if (!d->headline) {
		/* an inline NITF's hl1 */
		const xmlNode *ix = dp_xml_path(item, "contentSet/inlineXML");
		d->headline = dp_xml_text(d, dp_xml_find(ix, "hl1"));
	}
	dp_dispatch_apply_dateline(d);
	if (!dp_feed_is_text(d))
		return DP_DONE;
	dp_status st = dp_dispatch_validate(d, err);
	if (st != DP_OK)
		dp_error_prefix(err, "%s:%u", r->name, d->line);
	return st;
}

static dp_status g2_next(dp_reader *r, dp_dispatch *d, dp_error *err)
{
	g2_state *st = r->state;
	while (st->next < st->n) {
		const xmlNode *item = st->items[st->next++];
		if (!dp_xml_is(item, "newsItem") || !text_item(item)) {
			r->skipped++;
			continue;
		}
		dp_status s = build(r, item, d, err);
		if (s != DP_DONE)
			return s;
		r->skipped++; /* too little text to be a dispatch */
		dp_dispatch_reset(d);
	}
	return DP_DONE;
}

const dp_format dp_format_g2 = {
	.name = "newsml-g2", .open = g2_open, .next = g2_next,
	.close = g2_close,
};
