/* newsml12.c: NewsML 1.2 (AFP's format, also Belga, ANP, EFE, Kyodo,
 * Business Wire).
 *
 * A NewsML file holds NewsItems; a NewsItem holds a tree of
 * NewsComponents whose leaves carry ContentItems (inline DataContent or
 * a remote Href).  A story is the nearest component, from a text leaf
 * up, that has its own NewsLines: one story gives one dispatch, so a
 * NewsItem with a story per language (Belga) or per quote gives several.
 * Metadata (NewsLines, Administrative- and DescriptiveMetadata) is read
 * from the story's component and, when missing there, from the
 * components above it.  Leaves with pictures, graphics, video or audio
 * are skipped and counted in r->skipped.
 *
 * The id is the item's family id without its revision,
 * "urn:newsml:<ProviderId>:<DateId>:<NewsItemId>" (PublicIdentifier ends
 * with the revision), plus "#<Duid>" when the item has several stories;
 * the version is the RevisionId. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xml.h"

typedef struct story {
	xmlNode *item;       /* the NewsItem */
	xmlNode *comp;       /* the story's NewsComponent, NULL for a bare kill */
	const char *tag;     /* id suffix (Duid) when the item has several */
	int ord;             /* 1-based rank in the item when it has several */
} story;

typedef struct nml_state {
	xmlDoc *doc;
	story *stories;
	size_t n, cap, next;
} nml_state;

/* ---- classifying components ----------------------------------------- */

static int ieq(const char *a, const char *b)
{
	return a && !strcasecmp(a, b);
}

static int prefix_ci(const char *s, const char *p)
{
	return s && !strncasecmp(s, p, strlen(p));
}

/* Whether a ContentItem carries text we can index. */
static int text_content(const xmlNode *ci)
{
	if (!dp_xml_child(ci, "DataContent"))
		return 0; /* remote content (Href) */
	const char *mt = dp_xml_attr(dp_xml_child(ci, "MediaType"), "FormalName");
	if (mt && *mt && !ieq(mt, "Text") && !ieq(mt, "ComplexData"))
		return 0;
	const char *mime = dp_xml_attr(dp_xml_child(ci, "MimeType"),
	                               "FormalName");
	if (prefix_ci(mime, "image/") || prefix_ci(mime, "audio/")
	    || prefix_ci(mime, "video/") || ieq(mime, "text/css"))
		return 0;
	const char *fmt = dp_xml_attr(dp_xml_child(ci, "Format"), "FormalName");
	if (ieq(fmt, "CSS"))
		return 0;
	return 1;
}

/* Whether a ContentItem is a picture, graphic, video or audio. */
static int media_content(const xmlNode *ci)
{
	const char *mt = dp_xml_attr(dp_xml_child(ci, "MediaType"), "FormalName");
	if (ieq(mt, "Photo") || ieq(mt, "Graphic") || ieq(mt, "Video")
	    || ieq(mt, "Audio") || ieq(mt, "Image") || ieq(mt, "Picture"))
		return 1;
	const char *mime = dp_xml_attr(dp_xml_child(ci, "MimeType"),
	                               "FormalName");
	if (prefix_ci(mime, "image/") || prefix_ci(mime, "audio/")
	    || prefix_ci(mime, "video/"))
		return 1;
	return !dp_xml_child(ci, "DataContent") && dp_xml_attr(ci, "Href");
}

static const char *role(const xmlNode *comp)
{
	return dp_xml_attr(dp_xml_child(comp, "Role"), "FormalName");
}

/* Roles whose text is not body text. */
static int title_role(const char *r)
{
	return ieq(r, "Title") || ieq(r, "HeadLine") || ieq(r, "Headline");
}

static int body_role(const char *r)
{
	static const char *const not_body[] = {
		"Title", "HeadLine", "Headline", "StyleSheet", "TweetText",
		"Caption", "Abstract", "Keywords", "Logo", "Thumbnail",
		"Preview", "Contact", NULL,
	};
	if (!r)
		return 1;
	for (const char *const *p = not_body; *p; p++)
		if (!strcasecmp(r, *p))
			return 0;
	return 1;
}

/* Whether a leaf component has a text ContentItem with some text. */
static int leaf_has_text(const xmlNode *comp)
{
	DP_XML_FOREACH(ci, comp) {
		if (!dp_xml_is(ci, "ContentItem") || !text_content(ci))
			continue;
		const xmlNode *dc = dp_xml_child(ci, "DataContent");
		if (dp_xml_first(dc))
			return 1;
		for (const xmlNode *t = dc->children; t; t = t->next)
			if ((t->type == XML_TEXT_NODE
			     || t->type == XML_CDATA_SECTION_NODE) && t->content)
				for (const xmlChar *p = t->content; *p; p++)
					if (*p != ' ' && *p != '\t' && *p != '\n'
					    && *p != '\r')
						return 1;
	}
	return 0;
}

static int is_text_leaf(const xmlNode *comp)
{
	DP_XML_FOREACH(ci, comp)
		if (dp_xml_is(ci, "ContentItem") && text_content(ci))
			return 1;
	return 0;
}

static int is_media_leaf(const xmlNode *comp)
{
	int media = 0;
	DP_XML_FOREACH(ci, comp) {
		if (!dp_xml_is(ci, "ContentItem"))
			continue;
		if (text_content(ci))
			return 0;
		if (media_content(ci))
			media = 1;
	}
	return media;
}

/* The story a component belongs to: the nearest component, itself
 * included, with NewsLines; else the outermost one under the item. */
static xmlNode *story_of(xmlNode *comp)
{
	xmlNode *top = comp;
	for (xmlNode *c = comp; dp_xml_is(c, "NewsComponent"); c = c->parent) {
		if (dp_xml_child(c, "NewsLines"))
			return c;
		top = c;
	}
	return top;
}

/* ---- opening: finding the stories --------------------------------- */

static dp_status add_story(nml_state *st, xmlNode *item, xmlNode *comp,
                           dp_error *err)
{
	for (size_t i = st->n; i-- > 0 && st->stories[i].item == item;)
		if (st->stories[i].comp == comp)
			return DP_OK;
	if (st->n == st->cap) {
		size_t nc = st->cap ? st->cap * 2 : 16;
		story *ns = realloc(st->stories, nc * sizeof *ns);
		if (!ns)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		st->stories = ns;
		st->cap = nc;
	}
	story *s = &st->stories[st->n++];
	memset(s, 0, sizeof *s);
	s->item = item;
	s->comp = comp;
	return DP_OK;
}

static dp_status scan(dp_reader *r, nml_state *st, xmlNode *item,
                      xmlNode *comp, unsigned *media, int depth,
                      dp_error *err)
{
	if (depth > 64)
		return DP_OK;
	if (is_text_leaf(comp)) {
		if (body_role(role(comp)) && leaf_has_text(comp)) {
			dp_status s = add_story(st, item, story_of(comp), err);
			if (s != DP_OK)
				return s;
		}
	} else if (is_media_leaf(comp)) {
		r->skipped++;
		(*media)++;
	}
	DP_XML_FOREACH(c, comp) {
		if (!dp_xml_is(c, "NewsComponent"))
			continue;
		dp_status s = scan(r, st, item, c, media, depth + 1, err);
		if (s != DP_OK)
			return s;
	}
	return DP_OK;
}

static const char *item_status(const xmlNode *item)
{
	return dp_xml_attr(dp_xml_path(item, "NewsManagement/Status"),
	                   "FormalName");
}

static dp_status scan_item(dp_reader *r, nml_state *st, xmlNode *item,
                           dp_error *err)
{
	size_t first = st->n;
	int ps = dp_pubstatus_parse(item_status(item));
	if (ps == DP_PUB_CANCELED || ps == DP_PUB_WITHHELD)
		/* a kill: one dispatch for the item, text or not */
		return add_story(st, item, dp_xml_child(item, "NewsComponent"),
		                 err);
	unsigned media = 0;
	DP_XML_FOREACH(c, item) {
		if (!dp_xml_is(c, "NewsComponent"))
			continue;
		dp_status s = scan(r, st, item, c, &media, 0, err);
		if (s != DP_OK)
			return s;
	}
	size_t n = st->n - first;
	if (n == 0 && media == 0)
		r->skipped++; /* no text, no media: nothing to index */
	if (n < 2)
		return DP_OK;
	/* several stories: tell them apart by Duid when they all have a
	 * distinct one, else by rank */
	int use_duid = 1;
	for (size_t i = first; i < st->n && use_duid; i++) {
		const char *du = dp_xml_attr_nonempty(st->stories[i].comp, "Duid");
		if (!du || !strcmp(du, "0") || strlen(du) > 60)
			use_duid = 0;
		for (size_t k = first; k < i && use_duid; k++)
			if (!strcmp(du, st->stories[k].tag))
				use_duid = 0;
		st->stories[i].tag = du;
	}
	for (size_t i = first; i < st->n; i++) {
		st->stories[i].ord = (int)(i - first + 1);
		if (!use_duid)
			st->stories[i].tag = NULL;
	}
	return DP_OK;
}

static void nml_close(dp_reader *r)
{
	nml_state *st = r->state;
	if (!st)
		return;
	xmlFreeDoc(st->doc);
	free(st->stories);
	free(st);
	r->state = NULL;
}

static dp_status nml_open(dp_reader *r, dp_error *err)
{
	nml_state *st = calloc(1, sizeof *st);
	if (!st)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	r->state = st;
	dp_status s = dp_xml_read(r, &st->doc, err);
	if (s != DP_OK) {
		nml_close(r);
		return s;
	}
	xmlNode *root = xmlDocGetRootElement(st->doc);
	if (!dp_xml_is(root, "NewsML")) {
		s = dp_error_set(err, DP_ERR_FORMAT,
		                 "%s:%u: expected a 'NewsML' root element",
		                 r->name, dp_xml_line(root));
		nml_close(r);
		return s;
	}
	DP_XML_FOREACH(item, root) {
		if (!dp_xml_is(item, "NewsItem"))
			continue;
		s = scan_item(r, st, item, err);
		if (s != DP_OK) {
			nml_close(r);
			return s;
		}
	}
	return DP_OK;
}

/* ---- one story -> dispatch ------------------------------------------- */

static dp_status nomem(dp_error *err)
{
	return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
}

static dp_status add_subjects(dp_dispatch *d, const xmlNode *dm,
                              dp_error *err)
{
	DP_XML_FOREACH(sc, dm) {
		if (!dp_xml_is(sc, "SubjectCode"))
			continue;
		DP_XML_FOREACH(s, sc) {
			if (!dp_xml_is(s, "Subject") && !dp_xml_is(s, "SubjectMatter")
			    && !dp_xml_is(s, "SubjectDetail"))
				continue;
			const char *code = dp_xml_attr_nonempty(s, "FormalName");
			if (!code)
				continue;
			dp_status st = dp_feed_add_subject(d, code, NULL, err);
			if (st != DP_OK)
				return st;
		}
	}
	return DP_OK;
}

/* Fills what is still missing in d from one component's metadata. */
static dp_status component_meta(dp_dispatch *d, const xmlNode *comp,
                                const char **provider, const char **credit,
                                dp_error *err)
{
	const xmlNode *nl = dp_xml_child(comp, "NewsLines");
#define LINE(elem, field) \
	do { \
		if (!d->field) \
			for (xmlNode *e_ = dp_xml_child(nl, elem); e_ && !d->field; \
			     e_ = dp_xml_next(e_, elem)) \
				d->field = dp_xml_text(d, e_); \
	} while (0)
	LINE("SlugLine", slug);
	LINE("DateLine", dateline);
	LINE("ByLine", byline);
#undef LINE
	if (!*credit)
		*credit = dp_xml_text(d, dp_xml_child(nl, "CreditLine"));

	const xmlNode *am = dp_xml_child(comp, "AdministrativeMetadata");
	if (!*provider)
		*provider = dp_xml_attr_nonempty(
		    dp_xml_path(am, "Provider/Party"), "FormalName");
	if (!*provider)
		*provider = dp_xml_attr_nonempty(dp_xml_path(am, "Source/Party"),
		                                 "FormalName");

	const xmlNode *dm = dp_xml_child(comp, "DescriptiveMetadata");
	if (!d->lang)
		dp_feed_set_lang(d, dp_xml_attr(dp_xml_child(dm, "Language"),
		                                "FormalName"));
	if (!d->lang)
		dp_feed_set_lang(d, dp_xml_attr(comp, "lang"));
	if (!d->genre) {
		const char *g = dp_xml_attr_nonempty(dp_xml_child(dm, "Genre"),
		                                     "FormalName");
		if (g && !(d->genre = dp_dispatch_str(d, g)))
			return nomem(err);
	}
	for (xmlNode *loc = dp_xml_child(dm, "Location"); loc;
	     loc = dp_xml_next(loc, "Location")) {
		DP_XML_FOREACH(p, loc) {
			const char *fn = dp_xml_attr(p, "FormalName");
			const char *v = dp_xml_attr_nonempty(p, "Value");
			if (!dp_xml_is(p, "Property") || !fn || !v)
				continue;
			if (!strcasecmp(fn, "City") && !d->place)
				d->place = dp_dispatch_str(d, v);
			else if (!strcasecmp(fn, "Country") && !d->country)
				d->country = dp_dispatch_str(d, v);
		}
	}
	return add_subjects(d, dm, err);
}

/* Appends the body leaves of story s found under comp. */
static dp_status story_body(dp_dispatch *d, xmlNode *s, xmlNode *comp,
                            const char **title, int depth, dp_error *err)
{
	if (depth > 64)
		return DP_OK;
	if (is_text_leaf(comp) && story_of(comp) == s) {
		int is_body = body_role(role(comp));
		DP_XML_FOREACH(ci, comp) {
			if (!dp_xml_is(ci, "ContentItem") || !text_content(ci))
				continue;
			xmlNode *dc = dp_xml_child(ci, "DataContent");
			if (is_body) {
				dp_status st = dp_xml_body(d, dc, err);
				if (st != DP_OK)
					return st;
				if (!*title)
					*title = dp_xml_text(d, dp_xml_find(dc, "hl1"));
			} else if (title_role(role(comp)) && !*title) {
				*title = dp_xml_text(d, dc);
			}
		}
	}
	DP_XML_FOREACH(c, comp) {
		if (!dp_xml_is(c, "NewsComponent"))
			continue;
		dp_status st = story_body(d, s, c, title, depth + 1, err);
		if (st != DP_OK)
			return st;
	}
	return DP_OK;
}

static const char *child_text(dp_dispatch *d, const xmlNode *n,
                              const char *name)
{
	return dp_xml_text(d, dp_xml_child(n, name));
}

/* Fills d from story s; DP_DONE when the story is not a text item. */
static dp_status build(dp_reader *r, const story *s, dp_dispatch *d,
                       dp_error *err)
{
	xmlNode *item = s->item;
	d->line = dp_xml_line(s->comp ? s->comp : item);
	if (!d->line)
		d->line = dp_xml_line(item);

	const xmlNode *ni = dp_xml_path(item, "Identification/NewsIdentifier");
	const char *prov = child_text(d, ni, "ProviderId");
	const char *date_id = child_text(d, ni, "DateId");
	const char *item_id = child_text(d, ni, "NewsItemId");
	if (!item_id)
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s:%u: NewsItem has no 'NewsItemId'", r->name,
		                    dp_xml_line(item));
	char idbuf[512];
	char tag[80] = "";
	if (s->tag)
		snprintf(tag, sizeof tag, "#%s", s->tag);
	else if (s->ord)
		snprintf(tag, sizeof tag, "#%d", s->ord);
	int l = snprintf(idbuf, sizeof idbuf, "urn:newsml:%s:%s:%s%s",
	                 prov ? prov : "", date_id ? date_id : "", item_id, tag);
	if (l < 0 || (size_t)l >= sizeof idbuf)
		return dp_error_set(err, DP_ERR_FORMAT,
		                    "%s:%u: 'NewsItemId' is too long", r->name,
		                    dp_xml_line(item));
	if (!(d->id = dp_dispatch_str(d, idbuf)))
		return nomem(err);
	uint32_t v = dp_feed_version(child_text(d, ni, "RevisionId"));
	d->version = v ? v : 1;

	const xmlNode *nm = dp_xml_child(item, "NewsManagement");
	const char *first = child_text(d, nm, "FirstCreated");
	if (!dp_feed_set_time(d, child_text(d, nm, "ThisRevisionCreated"))
	    && !dp_feed_set_time(d, first))
		dp_feed_set_time(d, dp_xml_text(d, dp_xml_path(
		    item->parent, "NewsEnvelope/DateAndTime")));
	if (first)
		d->first_time = dp_parse_iso8601(first);
	int ps = dp_pubstatus_parse(item_status(item));
	if (ps >= 0)
		d->status = (dp_pubstatus)ps;
	const xmlNode *urg = dp_xml_child(nm, "Urgency");
	if (urg) {
		const char *u = dp_xml_attr_nonempty(urg, "FormalName");
		if (!u)
			u = dp_xml_text(d, urg);
		if (u && u[0] >= '0' && u[0] <= '9' && !u[1])
			d->urgency = u[0] - '0';
	}

	/* metadata: the story's component first, then those above it; but
	 * the headline is the item's, the outermost one */
	const char *provider = NULL, *credit = NULL;
	for (xmlNode *c = s->comp; dp_xml_is(c, "NewsComponent"); c = c->parent) {
		dp_status st = component_meta(d, c, &provider, &credit, err);
		if (st != DP_OK)
			return st;
		const xmlNode *nl = dp_xml_child(c, "NewsLines");
		for (xmlNode *h = dp_xml_child(nl, "HeadLine"); h;
		     h = dp_xml_next(h, "HeadLine")) {
			const char *t = dp_xml_text(d, h);
			if (t) {
				d->headline = t;
				break;
			}
		}
	}
	if (!d->lang)
		dp_feed_set_lang(d, dp_xml_attr(item, "lang"));
	if (!provider)
		provider = credit ? credit : prov;
	if (provider && !(d->source = dp_dispatch_str(d, provider)))
		return nomem(err);

	const char *title = NULL;
	if (s->comp && d->status != DP_PUB_CANCELED
	    && d->status != DP_PUB_WITHHELD) {
		dp_status st = story_body(d, s->comp, s->comp, &title, 0, err);
		if (st != DP_OK)
			return st;
	}
	if (!d->headline)
		d->headline = title;
	dp_dispatch_apply_dateline(d);
	if (!dp_feed_is_text(d))
		return DP_DONE;
	dp_status st = dp_dispatch_validate(d, err);
	if (st != DP_OK)
		dp_error_prefix(err, "%s:%u", r->name, d->line);
	return st;
}

static dp_status nml_next(dp_reader *r, dp_dispatch *d, dp_error *err)
{
	nml_state *st = r->state;
	while (st->next < st->n) {
		const story *s = &st->stories[st->next++];
		dp_status rs = build(r, s, d, err);
		if (rs != DP_DONE)
			return rs;
		r->skipped++; /* too little text to be a dispatch */
		dp_dispatch_reset(d);
	}
	return DP_DONE;
}

const dp_format dp_format_newsml12 = {
	.name = "newsml12", .open = nml_open, .next = nml_next,
	.close = nml_close,
};
