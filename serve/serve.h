/* serve.h: what depeche-serve's files share — the server's settings, the
 * searcher a request borrows, and the response a page builds.
 *
 * main.c owns the daemon and a pool of searchers (one per request at a
 * time, never shared between threads); pages.c turns a request into a
 * response (HTML pages and the JSON API); html.c escapes. */
#ifndef DEPECHE_SERVE_H
#define DEPECHE_SERVE_H

#include <stddef.h>

#include "depeche.h"
#include "dossier.h"
#include "entities.h"
#include "ranking.h"
#include "search.h"

/* Limits on what a request may ask. */
#define SV_MAX_QUERY 1024        /* bytes of a query or name */
#define SV_MAX_LIMIT 100         /* results of one API request */
#define SV_MAX_OFFSET 10000
#define SV_PAGE_SIZE 10          /* results per HTML page */
#define SV_MAX_ACTORS 4          /* people of a meetings search */

typedef struct sv_server {
	const char *db;            /* database path */
	const char *config;        /* --config DIR, or NULL */
	char base[256];            /* --base-path without its last '/', or "" */
	const dp_ranking *ranking; /* loaded once; read-only */
	double time_limit;         /* seconds a match may count (0: none) */
} sv_server;

/* A searcher with what its searches need; borrowed by one request at a
 * time (sv_ctx_get), at the database's latest revision. */
typedef struct sv_ctx {
	dp_searcher *s;
	dp_entities *ents;
	dp_vocab *vocab;
	struct sv_ctx *next;       /* in the pool's free list */
} sv_ctx;

/* Borrows a searcher (opening one when none is free) moved to the latest
 * revision; NULL with err set when the database cannot be opened. */
sv_ctx *sv_ctx_get(sv_server *sv, dp_error *err);
/* Gives it back; broken: the searcher failed in a way that a fresh one
 * may not (it is freed instead). */
void sv_ctx_put(sv_ctx *c, int broken);

/* A query argument of the request: the value of the first name=... (as
 * decoded by libmicrohttpd), or NULL. */
typedef struct sv_request sv_request;
const char *sv_arg(const sv_request *r, const char *name);
/* All values of name, in order: up to max in out; returns how many there
 * were in all. */
size_t sv_args(const sv_request *r, const char *name, const char **out,
               size_t max);

typedef struct sv_response {
	unsigned status;
	const char *type;          /* Content-Type */
	char *body;                /* malloc()ed, or NULL */
	size_t len;
	int cacheable;             /* the stylesheet: may be cached */
	int retry_after;           /* seconds, for 503; 0: none */
	const char *allow;         /* for 405 */
} sv_response;

/* Answers a GET (or HEAD) of path (the base path removed) into resp. */
void sv_handle(sv_server *sv, const sv_request *req, const char *path,
               sv_response *resp);

#endif
