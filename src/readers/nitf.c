/* nitf.c: NITF 3.x (AP, AAP, PA, EFE, NTB, Ritzau...).
 *
 * head/title, head/docdata (doc-id, date.issue, urgency, doc.copyright,
 * du-key, management-status, evloc), head/pubdata, head/tobject, then
 * body/body.head (hedline, byline, dateline, distributor) and the
 * paragraphs of body/body.content.  Without a doc-id the id is the file
 * name without directories and extensions. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xml.h"

typedef struct nitf_state {
	xmlDoc *doc;
	int done;
} nitf_state;

static void nitf_close(dp_reader *r)
{
	nitf_state *st = r->state;
	if (!st)
		return;
	xmlFreeDoc(st->doc);
	free(st);
	r->state = NULL;
}

static dp_status nitf_open(dp_reader *r, dp_error *err)
{
	nitf_state *st = calloc(1, sizeof *st);
	if (!st)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	r->state = st;
	dp_status s = dp_xml_read(r, &st->doc, err);
	if (s != DP_OK) {
		nitf_close(r);
		return s;
	}
	xmlNode *root = xmlDocGetRootElement(st->doc);
	if (!dp_xml_is(root, "nitf")) {
		s = dp_error_set(err, DP_ERR_FORMAT,
		                 "%s:%u: expected a 'nitf' root element", r->name,
		                 dp_xml_line(root));
		nitf_close(r);
		return s;
	}
	return DP_OK;
}

static dp_status nomem(dp_error *err)
{
	return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
}

static const char *attr_copy(dp_dispatch *d, const xmlNode *n,
                             const char *name)
{
	return dp_dispatch_str(d, dp_xml_attr_nonempty(n, name));
}

/* Subjects from head/tobject: "refnum name", the name being the IPTC
 * top-level name, else the most specific of detail, matter and type. */
static dp_status subjects(dp_dispatch *d, const xmlNode *head, dp_error *err)
{
	for (xmlNode *to = dp_xml_child(head, "tobject"); to;
	     to = dp_xml_next(to, "tobject")) {
		for (xmlNode *s = dp_xml_child(to, "tobject.subject"); s;
		     s = dp_xml_next(s, "tobject.subject")) {
			const char *code = dp_xml_attr_nonempty(s,
			                                        "tobject.subject.refnum");
			const char *name = dp_feed_iptc_name(code);
			if (!name)
				name = dp_xml_attr_nonempty(s, "tobject.subject.detail");
			if (!name)
				name = dp_xml_attr_nonempty(s, "tobject.subject.matter");
			if (!name)
				name = dp_xml_attr_nonempty(s, "tobject.subject.type");
			dp_status st = dp_feed_add_subject(d, code, name, err);
			if (st != DP_OK)
				return st;
		}
	}
	return DP_OK;
}

/* The first xml:lang in n's subtree (a few levels down). */
static const char *first_lang(const xmlNode *n, int depth)
{
	const char *l = dp_xml_attr_nonempty(n, "lang");
	if (l || depth >= 4)
		return l;
	DP_XML_FOREACH(c, n)
		if ((l = first_lang(c, depth + 1)) != NULL)
			return l;
	return NULL;
}

static dp_status build(dp_reader *r, xmlNode *root, dp_dispatch *d,
                       dp_error *err)
{
	d->line = dp_xml_line(root);
	const xmlNode *head = dp_xml_child(root, "head");
	const xmlNode *dd = dp_xml_child(head, "docdata");
	const xmlNode *body = dp_xml_child(root, "body");
	const xmlNode *bh = dp_xml_child(body, "body.head");

	d->id = attr_copy(d, dp_xml_child(dd, "doc-id"), "id-string");
	if (!d->id)
		d->id = dp_feed_base_id(d, r->path);
	if (!d->id)
		return nomem(err);

	/* status: management-status="usable|embargoed|withheld|canceled";
	 * an embargoed item is a usable one with an embargo.  When
	 * management-doc-idref names another document whose
	 * management-idref-status is the same, the status is that other
	 * document's (this one replaces it) */
	const char *ms = dp_xml_attr_nonempty(dd, "management-status");
	const char *ref = dp_xml_attr_nonempty(dd, "management-doc-idref");
	const char *ref_st = dp_xml_attr_nonempty(dd, "management-idref-status");
	if (ms && ref && ref_st && strcmp(ref, d->id) != 0
	    && !strcasecmp(ms, ref_st))
		ms = NULL;
	if (ms && !strcasecmp(ms, "embargoed")) {
		d->embargo = attr_copy(d, dp_xml_child(dd, "date.release"), "norm");
	} else if (ms) {
		int k = dp_pubstatus_parse(ms);
		if (k >= 0)
			d->status = (dp_pubstatus)k;
	}
	const char *urg = dp_xml_attr_nonempty(dp_xml_child(dd, "urgency"),
	                                       "ed-urg");
	if (urg && urg[0] >= '0' && urg[0] <= '9' && !urg[1])
		d->urgency = urg[0] - '0';
	d->slug = attr_copy(d, dp_xml_child(dd, "du-key"), "key");
	const xmlNode *evloc = dp_xml_child(dd, "evloc");
	d->place = attr_copy(d, evloc, "city");
	d->country = attr_copy(d, evloc, "iso-cc");

	/* headline: body.head/hedline/hl1, else head/title */
	d->headline = dp_xml_text(d, dp_xml_path(bh, "hedline/hl1"));
	if (!d->headline)
		d->headline = dp_xml_text(d, dp_xml_child(head, "title"));
	for (xmlNode *b = dp_xml_child(bh, "byline"); b && !d->byline;
	     b = dp_xml_next(b, "byline"))
		d->byline = dp_xml_text(d, b);

	const xmlNode *dl = dp_xml_child(bh, "dateline");
	const xmlNode *sdate = dp_xml_child(dl, "story.date");
	if (dl) {
		const xmlNode *loc = dp_xml_child(dl, "location");
		const char *city = dp_xml_text(d, dp_xml_child(loc, "city"));
		if (!city)
			city = dp_xml_text(d, loc);
		if (city && !d->place)
			d->place = city;
		/* the dateline as written, without its story.date */
		if (!sdate)
			d->dateline = dp_xml_text(d, dl);
		else
			d->dateline = city;
	}

	/* date: date.issue, else story.date, else pubdata */
	if (!dp_feed_set_time(d, dp_xml_attr(dp_xml_child(dd, "date.issue"),
	                                     "norm"))
	    && !dp_feed_set_time(d, dp_xml_attr(sdate, "norm")))
		dp_feed_set_time(d, dp_xml_attr(dp_xml_child(head, "pubdata"),
		                                "date.publication"));

	/* source: distributor, copyright holder, doc-id's registrar */
	d->source = dp_xml_text(d, dp_xml_child(bh, "distributor"));
	if (!d->source)
		d->source = attr_copy(d, dp_xml_child(dd, "doc.copyright"),
		                      "holder");
	if (!d->source)
		d->source = attr_copy(d, dp_xml_child(dd, "doc-id"), "regsrc");

	const char *lang = dp_xml_attr(root, "baselang");
	if (!lang)
		lang = dp_xml_attr(root, "lang");
	if (!lang)
		lang = first_lang(body, 0);
	dp_feed_set_lang(d, lang);

	const xmlNode *to = dp_xml_child(head, "tobject");
	const xmlNode *prop = dp_xml_child(to, "tobject.property");
	d->genre = attr_copy(d, prop, "tobject.property.type");

	dp_status st = subjects(d, head, err);
	if (st != DP_OK)
		return st;
	st = dp_xml_body(d, dp_xml_child(body, "body.content"), err);
	if (st != DP_OK)
		return st;
	dp_dispatch_apply_dateline(d);
	if (!dp_feed_is_text(d))
		return DP_DONE;
	st = dp_dispatch_validate(d, err);
	if (st != DP_OK)
		dp_error_prefix(err, "%s:%u", r->name, d->line);
	return st;
}

static dp_status nitf_next(dp_reader *r, dp_dispatch *d, dp_error *err)
{
	nitf_state *st = r->state;
	if (st->done)
		return DP_DONE;
	st->done = 1;
	dp_status s = build(r, xmlDocGetRootElement(st->doc), d, err);
	if (s == DP_DONE)
		r->skipped++; /* too little text to be a dispatch */
	return s;
}

const dp_format dp_format_nitf = {
	.name = "nitf", .open = nitf_open, .next = nitf_next,
	.close = nitf_close,
};
