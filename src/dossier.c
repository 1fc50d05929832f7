/* dossier.c: everything on one person (--about).  See dossier.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "dossier.h"
#include "schema.h"
#include "xapian-shim.h"

static void move_hit(dp_hit *to, dp_hit *from)
{
	*to = *from;
	memset(from, 0, sizeof *from);
}

static void release_hit(dp_hit *h)
{
	dp_docdata_release(&h->doc);
	dp_snippet_release(&h->snippet);
	dp_snippet_release(&h->headline);
}

static void move_facet(dp_facet *to, dp_facet *from)
{
	*to = *from;
	from->v = NULL;
	from->n = 0;
}

static void release_facet(dp_facet *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].value);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

/* Removes the subject itself from a facet of co-mentions. */
static void drop_value(dp_facet *f, const char *name)
{
	size_t k = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (!strcmp(f->v[i].value, name)) {
			free(f->v[i].value);
			continue;
		}
		f->v[k++] = f->v[i];
	}
	f->n = k;
}

void dp_dossier_release(dp_dossier *d)
{
	release_hit(&d->first);
	release_hit(&d->latest);
	for (size_t i = 0; i < d->n_key; i++)
		release_hit(&d->key[i]);
	free(d->key);
	release_facet(&d->months);
	release_facet(&d->people);
	release_facet(&d->organisations);
	release_facet(&d->places);
	release_facet(&d->datelines);
	memset(d, 0, sizeof *d);
}

dp_status dp_dossier_make(dp_searcher *s, const dp_profile *prof,
                          const char *subject, const char *since,
                          const char *until, size_t n_key, dp_dossier *out,
                          dp_error *err)
{
	memset(out, 0, sizeof *out);
	dp_profile strict = *prof;
	strict.fallback_or = 0;
	const dp_profile *p = &strict;
	dp_actor a;
	dp_status st = dp_actor_init(s, &a, subject, err);
	if (st != DP_OK)
		return st;
	snprintf(out->subject, sizeof out->subject, "%s",
	         dp_actor_name(&a));
	out->description = a.entity ? a.entity->description : NULL;
	char query[256];
	dp_actor_query(&a, query, sizeof query);
	dp_actor_release(&a);

	dp_request req;
	dp_result r;

	/* counts, months and co-mentions over every match */
	dp_request_init(&req);
	req.query = query;
	req.profile = p;
	req.since = since;
	req.until = until;
	req.count_only = 1;
	req.n_facets = 5;
	req.facets[0] = DP_FACET_MONTH;
	req.facets[1] = DP_FACET_PERSON;
	req.facets[2] = DP_FACET_ORG;
	req.facets[3] = DP_FACET_LOCATION;
	req.facets[4] = DP_FACET_PLACE;
	st = dp_searcher_run(s, &req, &r, err);
	if (st != DP_OK)
		return st;
	out->total = r.total;
	move_facet(&out->months, &r.facets[0]);
	move_facet(&out->people, &r.facets[1]);
	move_facet(&out->organisations, &r.facets[2]);
	move_facet(&out->places, &r.facets[3]);
	move_facet(&out->datelines, &r.facets[4]);
	drop_value(&out->people, out->subject);
	drop_value(&out->organisations, out->subject);
	drop_value(&out->places, out->subject);
	dp_result_release(&r);
	if (out->total == 0)
		return DP_OK;

	/* first and latest mention */
	for (int newest = 0; newest < 2 && st == DP_OK; newest++) {
		dp_request_init(&req);
		req.query = query;
		req.profile = p;
		req.since = since;
		req.until = until;
		req.limit = 1;
		req.sort = DP_SORT_DATE;
		req.sort_ascending = !newest;
		st = dp_searcher_run(s, &req, &r, err);
		if (st == DP_OK && r.n) {
			move_hit(newest ? &out->latest : &out->first, &r.hits[0]);
			out->have_first = 1;
		}
		if (st == DP_OK)
			dp_result_release(&r);
	}

	/* key dispatches: the most relevant, one per story */
	if (st == DP_OK && n_key) {
		dp_request_init(&req);
		req.query = query;
		req.profile = p;
		req.since = since;
		req.until = until;
		req.limit = (uint32_t)n_key;
		req.collapse = 1;
		st = dp_searcher_run(s, &req, &r, err);
		if (st == DP_OK) {
			out->key = r.n ? calloc(r.n, sizeof *out->key) : NULL;
			if (r.n && !out->key)
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			for (size_t i = 0; st == DP_OK && i < r.n; i++)
				move_hit(&out->key[out->n_key++], &r.hits[i]);
			dp_result_release(&r);
		}
	}
	if (st != DP_OK)
		dp_dossier_release(out);
	return st;
}
