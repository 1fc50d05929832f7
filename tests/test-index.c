/* test-index.c: the life of a story in the index — versions in every
 * arrival order, kills, corrections, withheld items, slugs and
 * near-duplicates grouped by --collapse, file state. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "dispatch.h"
#include "index.h"
#include "ranking.h"
#include "search.h"

static char tmpdir[256];
static int dbn;

static const char *new_db(void)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/db%d", tmpdir, dbn++);
	return path;
}

typedef struct version {
	uint32_t version;
	dp_pubstatus status;
	const char *headline;
	const char *body;
} version;

static const char *const BODY1 =
	"Washington, 8 déc 2022 (AFP) - La basketteuse Brittney Griner a "
	"été libérée jeudi.";
static const char *const BODY2 =
	"Abou Dhabi, 8 déc 2022 (AFP) - La basketteuse américaine Brittney "
	"Griner a été libérée jeudi en échange du marchand d'armes russe "
	"Viktor Bout, sur le tarmac de l'aéroport d'Abou Dhabi.";
static const char *const BODY3 =
	"Abou Dhabi, 8 déc 2022 (AFP) - La basketteuse américaine Brittney "
	"Griner a été libérée jeudi en échange du marchand d'armes russe "
	"Viktor Bout, lors d'un échange de prisonniers organisé sur le "
	"tarmac de l'aéroport d'Abou Dhabi.\n\nL'ancien militaire Paul "
	"Whelan reste détenu en Russie, a regretté Washington.";

static const version V[4] = {
	{1, DP_PUB_USABLE, "URGENT Griner libérée", NULL},
	{2, DP_PUB_USABLE, "Griner libérée en échange de Bout", NULL},
	{3, DP_PUB_USABLE, "Griner libérée, Whelan reste détenu", NULL},
	{4, DP_PUB_CANCELED, "KILL", ""},
};

static void fill(dp_dispatch *d, const char *id, const version *v,
                 const char *slug)
{
	const char *body = v->body ? v->body
	                   : v->version == 1 ? BODY1
	                   : v->version == 2 ? BODY2 : BODY3;
	dp_dispatch_reset(d);
	d->id = dp_dispatch_str(d, id);
	d->version = v->version;
	d->status = v->status;
	char date[64];
	snprintf(date, sizeof date, "2022-12-08T%02u:00:00+01:00",
	         10 + v->version);
	d->date = dp_dispatch_str(d, date);
	d->time = dp_parse_iso8601(d->date);
	d->headline = dp_dispatch_str(d, v->headline);
	d->source = dp_dispatch_str(d, "AFP");
	d->lang = dp_dispatch_str(d, "fr");
	d->slug = slug ? dp_dispatch_str(d, slug) : NULL;
	if (*body)
		dp_dispatch_set_body(d, body, strlen(body), NULL);
}

/* Searches db; returns the number of matches and the first hit's
 * headline and collapse count in *headline / *collapsed. */
static uint32_t search(const char *db, const char *q, int collapse,
                       char *headline, size_t hsz, uint32_t *collapsed)
{
	dp_error err = {0};
	dp_searcher *s;
	if (dp_searcher_open(db, &s, &err) != DP_OK) {
		diag("open %s: %s", db, err.msg);
		return 9999;
	}
	dp_ranking *rk;
	dp_ranking_builtin(&rk, &err);
	dp_request req;
	dp_request_init(&req);
	req.query = q;
	req.profile = &rk->profiles[0];
	req.collapse = collapse;
	req.limit = 10;
	dp_result r;
	uint32_t n = 9999;
	if (dp_searcher_run(s, &req, &r, &err) == DP_OK) {
		n = collapse ? (uint32_t)r.n : r.total;
		if (headline)
			snprintf(headline, hsz, "%s",
			         r.n && r.hits[0].doc.headline ? r.hits[0].doc.headline
			                                       : "");
		if (collapsed)
			*collapsed = r.n ? r.hits[0].collapsed : 0;
		dp_result_release(&r);
	} else {
		diag("search: %s", err.msg);
	}
	dp_ranking_free(rk);
	dp_searcher_free(s);
	return n;
}

static dp_index *open_index(const char *db)
{
	dp_error err = {0};
	dp_index *ix;
	dp_index_opts o = {.create = 1, .no_sync = 1};
	if (dp_index_open(db, &o, &ix, &err) != DP_OK) {
		diag("%s", err.msg);
		exit(1);
	}
	return ix;
}

static void close_index(dp_index *ix)
{
	dp_error err = {0};
	if (dp_index_close(ix, &err) != DP_OK)
		diag("close: %s", err.msg);
	dp_index_free(ix);
}

static int next_perm(int *a, int n)
{
	int i = n - 2;
	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i < 0)
		return 0;
	int j = n - 1;
	while (a[j] <= a[i])
		j--;
	int t = a[i];
	a[i] = a[j];
	a[j] = t;
	for (int l = i + 1, r = n - 1; l < r; l++, r--) {
		t = a[l];
		a[l] = a[r];
		a[r] = t;
	}
	return 1;
}

static void arrival_orders(dp_dispatch *d, int with_kill)
{
	int n = with_kill ? 4 : 3;
	int order[4] = {0, 1, 2, 3};
	do {
		const char *db = new_db();
		dp_index *ix = open_index(db);
		char desc[32] = "";
		for (int k = 0; k < n; k++) {
			dp_error err = {0};
			dp_add_result res;
			fill(d, "urn:test:griner", &V[order[k]], NULL);
			if (dp_index_add(ix, d, NULL, &res, &err) != DP_OK)
				diag("add: %s", err.msg);
			snprintf(desc + strlen(desc), sizeof desc - strlen(desc),
			         "%s%s", k ? "," : "",
			         order[k] == 3 ? "kill" : (const char[]){
			                 'v', (char)('1' + order[k]), 0});
		}
		uint32_t live = 99;
		dp_error err = {0};
		dp_index_count(ix, &live, &err);
		close_index(ix);
		char headline[256];
		uint32_t hits = search(db, "Griner", 0, headline, sizeof headline,
		                       NULL);
		if (with_kill) {
			ok(hits == 0 && live == 0, "%s: the kill removes the story",
			   desc);
		} else {
			ok(hits == 1 && live == 1
			       && !strcmp(headline, V[2].headline),
			   "%s: one dispatch, the newest version", desc);
			uint32_t older = search(db, "tarmac", 0, NULL, 0, NULL);
			is_int(older, 1, "%s: the newest text is indexed", desc);
		}
	} while (next_perm(order, n));
}

static void add_all(dp_index *ix, dp_dispatch *d, const char *id,
                    const version *v, size_t n, const char *slug)
{
	for (size_t i = 0; i < n; i++) {
		dp_error err = {0};
		dp_add_result res;
		fill(d, id, &v[i], slug);
		if (dp_index_add(ix, d, NULL, &res, &err) != DP_OK)
			diag("add: %s", err.msg);
	}
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/depeche-index.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	dp_dispatch *d = dp_dispatch_new();

	/* 6 orders of three versions, 24 orders of three versions and a
	 * kill */
	arrival_orders(d, 0);
	arrival_orders(d, 1);

	/* a kill with a lower version than what is indexed still kills */
	{
		const char *db = new_db();
		dp_index *ix = open_index(db);
		version kill2 = {2, DP_PUB_CANCELED, "KILL", ""};
		add_all(ix, d, "urn:test:k", &V[2], 1, NULL);
		add_all(ix, d, "urn:test:k", &kill2, 1, NULL);
		add_all(ix, d, "urn:test:k", &V[0], 1, NULL);
		close_index(ix);
		is_int(search(db, "Griner", 0, NULL, 0, NULL), 0,
		       "a kill with an older version number still removes the "
		       "story, and an older copy does not bring it back");
	}
	/* a correction replaces */
	{
		const char *db = new_db();
		dp_index *ix = open_index(db);
		version v[2] = {
			{1, DP_PUB_USABLE, "Griner libérée à Dubaï", BODY2},
			{2, DP_PUB_CORRECTION, "CORRECTION Griner libérée à Abou "
			 "Dhabi", BODY2},
		};
		add_all(ix, d, "urn:test:c", v, 2, NULL);
		close_index(ix);
		char h[256];
		is_int(search(db, "Griner", 0, h, sizeof h, NULL), 1,
		       "a correction replaces: one dispatch");
		is_str(h, v[1].headline, "the corrected headline is shown");
		is_int(search(db, "Dubaï", 0, NULL, 0, NULL), 0,
		       "the uncorrected text is gone");
	}
	/* withheld, then a newer usable version */
	{
		const char *db = new_db();
		dp_index *ix = open_index(db);
		version v[3] = {
			{1, DP_PUB_USABLE, "Griner libérée", BODY2},
			{2, DP_PUB_WITHHELD, "WITHHELD", ""},
			{3, DP_PUB_USABLE, "Griner libérée, version validée", BODY3},
		};
		add_all(ix, d, "urn:test:w", v, 2, NULL);
		close_index(ix);
		is_int(search(db, "Griner", 0, NULL, 0, NULL), 0,
		       "a withheld story is removed");
		ix = open_index(db);
		add_all(ix, d, "urn:test:w", &v[2], 1, NULL);
		close_index(ix);
		is_int(search(db, "Griner", 0, NULL, 0, NULL), 1,
		       "a newer usable version brings it back");
	}
	/* versions sent under several ids share a slug: one story */
	{
		const char *db = new_db();
		dp_index *ix = open_index(db);
		add_all(ix, d, "urn:test:s1", &V[0], 1, "USA-Russie-prisonniers");
		add_all(ix, d, "urn:test:s2", &V[1], 1, "USA-Russie-prisonniers");
		add_all(ix, d, "urn:test:s3", &V[2], 1, "USA-Russie-prisonniers");
		close_index(ix);
		char h[256];
		uint32_t collapsed = 0;
		is_int(search(db, "Griner", 0, NULL, 0, NULL), 3,
		       "three ids, three dispatches");
		is_int(search(db, "Griner", 1, h, sizeof h, &collapsed), 1,
		       "--collapse groups them by slug");
		is_int(collapsed, 2, "with a count of the others");
		is_str(h, V[2].headline, "showing the latest");
	}
	/* a re-sent copy under a new id, with another headline */
	{
		const char *db = new_db();
		dp_index *ix = open_index(db);
		version a = {1, DP_PUB_USABLE, "Griner libérée", BODY3};
		version b = {1, DP_PUB_USABLE, "REPRISE Griner libérée", BODY3};
		version c = {1, DP_PUB_USABLE, "Autre histoire", BODY2};
		add_all(ix, d, "urn:test:orig", &a, 1, NULL);
		add_all(ix, d, "urn:test:copy", &b, 1, NULL);
		add_all(ix, d, "urn:test:other", &c, 1, NULL);
		close_index(ix);
		uint32_t collapsed = 0;
		is_int(search(db, "Whelan", 1, NULL, 0, &collapsed), 1,
		       "a re-sent copy groups with the original");
		is_int(collapsed, 1, "as one other copy");
		is_int(search(db, "Griner", 1, NULL, 0, NULL), 2,
		       "a different text with the same words stays apart");
	}
	/* a near-duplicate: one word changed */
	{
		const char *db = new_db();
		dp_index *ix = open_index(db);
		char edited[1024];
		snprintf(edited, sizeof edited, "%s", BODY3);
		char *p = strstr(edited, "regretté");
		memcpy(p, "déploré", strlen("déploré"));
		memmove(p + strlen("déploré"), p + strlen("regretté"),
		        strlen(p + strlen("regretté")) + 1);
		version a = {1, DP_PUB_USABLE, "Griner libérée", BODY3};
		version b = {1, DP_PUB_USABLE, "Griner libérée", edited};
		add_all(ix, d, "urn:test:n1", &a, 1, NULL);
		add_all(ix, d, "urn:test:n2", &b, 1, NULL);
		close_index(ix);
		is_int(search(db, "Whelan", 1, NULL, 0, NULL), 1,
		       "a copy with one word changed groups too");
	}
	/* file state round trip */
	{
		const char *db = new_db();
		dp_index *ix = open_index(db);
		dp_error err = {0};
		dp_file_state st = {1234, 5678, 9, 10, 3, 0}, got;
		int found = 0;
		dp_index_file_put(ix, "/archive/2022/x.xml", &st, &err);
		dp_index_file_get(ix, "/archive/2022/x.xml", &got, &found, &err);
		ok(found && got.size == 1234 && got.mtime_ns == 5678
		       && got.ino == 9 && got.ndocs == 3,
		   "file state round trip");
		dp_index_file_get(ix, "/archive/2022/y.xml", &got, &found, &err);
		ok(!found, "an unknown file has no state");
		close_index(ix);
	}
	dp_dispatch_free(d);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return done_testing();
}
