/* depeche-serve: the search, a dispatch, meetings and dossiers as web
 * pages, and the same as JSON.  See depeche-serve(1).
 *
 * libmicrohttpd answers on a pool of threads; a request borrows a
 * searcher of its own from a pool (searchers are not shared between
 * threads), moved to the database's latest revision first, so that the
 * pages follow the nightly indexer without a restart. */
#include "autoconf.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cli.h"
#include "config.h"
#include "serve.h"
#include "utf8.h"
#include "xapian-shim.h"

#define PROG "depeche-serve"

enum {
	OPT_DB = 1, OPT_LISTEN, OPT_BASE, OPT_THREADS, OPT_CONFIG,
	OPT_RANKING, OPT_TIME_LIMIT, OPT_HELP, OPT_VERSION,
};

static const dp_option options[] = {
	{"db", 'd', DP_ARG_REQUIRED, "DIR",
	 "database (default: $XDG_DATA_HOME/depeche/db)", OPT_DB},
	{"listen", 'l', DP_ARG_REQUIRED, "HOST:PORT",
	 "address to listen on (default 127.0.0.1:8080; port 0: any free)",
	 OPT_LISTEN},
	{"base-path", 0, DP_ARG_REQUIRED, "PATH",
	 "prefix of every link, behind a reverse proxy (e.g. /depeche)",
	 OPT_BASE},
	{"threads", 't', DP_ARG_REQUIRED, "N",
	 "requests answered at once (default: processors, 2 to 16)",
	 OPT_THREADS},
	{"time-limit", 0, DP_ARG_REQUIRED, "SECONDS",
	 "time a search may spend counting matches (default 5)",
	 OPT_TIME_LIMIT},
	{"ranking", 0, DP_ARG_REQUIRED, "FILE",
	 "ranking configuration file", OPT_RANKING},
	{"config", 0, DP_ARG_REQUIRED, "DIR",
	 "directory of configuration files", OPT_CONFIG},
	{"help", 'h', DP_ARG_NONE, NULL, "show this help and exit", OPT_HELP},
	{"version", 'V', DP_ARG_NONE, NULL, "show the version and exit",
	 OPT_VERSION},
};
#define NOPTS (sizeof options / sizeof *options)

typedef struct opts {
	const char *db, *listen, *base, *config, *ranking;
	unsigned long threads;
	double time_limit;
} opts;

static int on_option(void *ctx, int id, const char *arg, char *msg,
                     size_t msgsz)
{
	opts *o = ctx;
	unsigned long v;
	switch (id) {
	case OPT_DB: o->db = arg; break;
	case OPT_LISTEN: o->listen = arg; break;
	case OPT_BASE: o->base = arg; break;
	case OPT_CONFIG: o->config = arg; break;
	case OPT_RANKING: o->ranking = arg; break;
	case OPT_THREADS:
		if (dp_cli_parse_uint(arg, 64, &v) != 0 || v == 0) {
			snprintf(msg, msgsz, "--threads needs a number from 1 to "
			         "64, not '%s'", arg);
			return 1;
		}
		o->threads = v;
		break;
	case OPT_TIME_LIMIT: {
		char *end;
		errno = 0;
		double t = strtod(arg, &end);
		if (!*arg || *end || errno || !(t >= 0 && t <= 3600)) {
			snprintf(msg, msgsz, "--time-limit needs seconds from 0 to "
			         "3600, not '%s'", arg);
			return 1;
		}
		o->time_limit = t;
		break;
	}
	default: break;
	}
	return 0;
}

static const dp_cli_program program = {
	PROG, options, NOPTS, on_option, OPT_HELP, OPT_VERSION,
	PROG " [OPTION]...",
	"Serve the search of indexed dispatches as web pages (/?q=...) and as "
	"JSON\n(/api/search?q=..., the objects of depeche-search --json).  "
	"Stops on SIGINT or\nSIGTERM.",
	"Exit status: 0 stopped by a signal, 2 usage error, 71 cannot listen "
	"or start\nthreads, 78 configuration error.  See depeche-serve(1).\n",
};

/* ---- the pool of searchers ----------------------------------------------- */

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static sv_ctx *pool_free;

static void ctx_free(sv_ctx *c)
{
	if (!c)
		return;
	dp_searcher_free(c->s);
	dp_entities_free(c->ents);
	dp_vocab_free(c->vocab);
	free(c);
}

/* entities.yaml and meetings.yaml, found as depeche-search finds them */
static dp_status load_config(const char *dir, dp_analyzer *an,
                             dp_entities **ents, dp_vocab **vocab,
                             dp_error *err)
{
	char path[4096];
	dp_status st = DP_OK;
	if (dp_config_find("entities.yaml", dir, path, sizeof path, &st, err))
		st = dp_entities_load(path, an, ents, err);
	else if (st == DP_OK)
		st = dp_entities_builtin(an, ents, err);
	if (st != DP_OK)
		return st;
	if (dp_config_find("meetings.yaml", dir, path, sizeof path, &st, err))
		st = dp_vocab_load(path, an, vocab, err);
	else if (st == DP_OK)
		st = dp_vocab_builtin(an, vocab, err);
	return st;
}

static sv_ctx *ctx_new(sv_server *sv, dp_error *err)
{
	sv_ctx *c = calloc(1, sizeof *c);
	if (!c) {
		dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		return NULL;
	}
	dp_status st = dp_searcher_open(sv->db, &c->s, err);
	if (st == DP_OK)
		st = load_config(sv->config, dp_searcher_analyzer(c->s), &c->ents,
		                 &c->vocab, err);
	if (st != DP_OK) {
		ctx_free(c);
		return NULL;
	}
	dp_searcher_set_entities(c->s, c->ents);
	dpx_db_set_time_limit(dp_searcher_db(c->s), sv->time_limit);
	return c;
}

sv_ctx *sv_ctx_get(sv_server *sv, dp_error *err)
{
	pthread_mutex_lock(&pool_mu);
	sv_ctx *c = pool_free;
	if (c)
		pool_free = c->next;
	pthread_mutex_unlock(&pool_mu);
	if (c) {
		c->next = NULL;
		/* what the indexer committed since the last request */
		if (dp_searcher_reopen(c->s, NULL, err) == DP_OK)
			return c;
		ctx_free(c);   /* the database went away: open it afresh */
	}
	return ctx_new(sv, err);
}

void sv_ctx_put(sv_ctx *c, int broken)
{
	if (!c)
		return;
	if (broken) {
		ctx_free(c);
		return;
	}
	pthread_mutex_lock(&pool_mu);
	c->next = pool_free;
	pool_free = c;
	pthread_mutex_unlock(&pool_mu);
}

static void pool_drain(void)
{
	pthread_mutex_lock(&pool_mu);
	sv_ctx *c = pool_free;
	pool_free = NULL;
	pthread_mutex_unlock(&pool_mu);
	while (c) {
		sv_ctx *next = c->next;
		ctx_free(c);
		c = next;
	}
}

/* ---- requests -------------------------------------------------------------- */

struct sv_request {
	struct MHD_Connection *c;
};

const char *sv_arg(const sv_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct args_ctx {
	const char *name;
	const char **out;
	size_t max, n;
} args_ctx;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
	args_ctx *a = cls;
	if (key && !strcmp(key, a->name)) {
		if (a->n < a->max)
			a->out[a->n] = value ? value : "";
		a->n++;
	}
	return MHD_YES;
}

size_t sv_args(const sv_request *r, const char *name, const char **out,
               size_t max)
{
	args_ctx a = {name, out, max, 0};
	MHD_get_connection_values(r->c, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
	return a.n;
}

#define MAX_ARGS 32

typedef struct check_ctx {
	size_t n;
	int bad;
} check_ctx;

/* Every argument: valid UTF-8, and not too many of them. */
static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
	check_ctx *k = cls;
	k->n++;
	size_t bad;
	if (k->n > MAX_ARGS
	    || dp_utf8_count_invalid(key, strlen(key), &bad)
	    || (value && dp_utf8_count_invalid(value, strlen(value), &bad))) {
		k->bad = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

static const char CSP[] =
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static enum MHD_Result queue(struct MHD_Connection *c, sv_response *r)
{
	static char empty[] = "";
	struct MHD_Response *resp;
	if (r->body)
		resp = MHD_create_response_from_buffer(r->len, r->body,
		                                       MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, empty,
		                                       MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(r->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	                        r->type ? r->type : "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control",
	                        r->cacheable ? "public, max-age=3600"
	                                     : "no-store");
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->retry_after) {
		char s[16];
		snprintf(s, sizeof s, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", s);
	}
	enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void plain(sv_response *r, unsigned status, const char *text)
{
	r->status = status;
	r->type = "text/plain; charset=utf-8";
	r->body = strdup(text);
	r->len = r->body ? strlen(r->body) : 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	sv_server *sv = cls;
	sv_response r = {0};
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		plain(&r, 405, "méthode non permise : GET ou HEAD\n");
		r.allow = "GET, HEAD";
		return queue(c, &r);
	}
	static int seen;
	if (!*con_cls) {
		/* the headers: answer once the request is read, so that the
		 * connection can be kept alive */
		*con_cls = &seen;
		return MHD_YES;
	}
	if (*upload_size) {
		/* a GET with a body: ignore the body */
		*upload_size = 0;
		return MHD_YES;
	}
	check_ctx k = {0, 0};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_arg, &k);
	if (k.bad) {
		plain(&r, 400, "paramètres invalides (UTF-8 attendu, 32 au "
		      "plus)\n");
		return queue(c, &r);
	}
	const char *path = url;
	size_t bl = strlen(sv->base);
	if (bl && !strncmp(url, sv->base, bl)
	    && (url[bl] == '/' || url[bl] == '\0'))
		path = url + bl;
	if (!*path)
		path = "/";
	sv_request req = {c};
	sv_handle(sv, &req, path, &r);
	if (r.status >= 500)
		fprintf(stderr, PROG ": %u for %s\n", r.status, url);
	return queue(c, &r);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', stderr);
}

/* ---- start ------------------------------------------------------------------ */

/* Splits HOST:PORT ("[::1]:8080" for IPv6; ":8080" or "8080" for the
 * loopback) and resolves it; *ai is freed with freeaddrinfo. */
static int resolve(const char *spec, struct addrinfo **ai, char *msg,
                   size_t msgsz)
{
	char host[256];
	const char *port;
	const char *colon = strrchr(spec, ':');
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':' || (size_t)(close - spec) > sizeof host) {
			snprintf(msg, msgsz, "--listen needs HOST:PORT, not '%s'",
			         spec);
			return -1;
		}
		snprintf(host, sizeof host, "%.*s", (int)(close - spec - 1),
		         spec + 1);
		port = close + 2;
	} else if (!colon) {
		snprintf(host, sizeof host, "127.0.0.1");
		port = spec;
	} else {
		if ((size_t)(colon - spec) >= sizeof host) {
			snprintf(msg, msgsz, "--listen: host name too long");
			return -1;
		}
		snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
		if (!*host)
			snprintf(host, sizeof host, "127.0.0.1");
		port = colon + 1;
	}
	unsigned long p;
	if (dp_cli_parse_uint(port, 65535, &p) != 0) {
		snprintf(msg, msgsz, "--listen needs a port from 0 to 65535, "
		         "not '%s'", port);
		return -1;
	}
	struct addrinfo hints = {0};
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int rc = getaddrinfo(host, port, &hints, ai);
	if (rc != 0) {
		snprintf(msg, msgsz, "--listen: cannot resolve '%s': %s", host,
		         gai_strerror(rc));
		return -1;
	}
	return 0;
}

/* --base-path: "/" followed by safe characters; the last '/' dropped. */
static int set_base(sv_server *sv, const char *base, char *msg,
                    size_t msgsz)
{
	sv->base[0] = '\0';
	if (!base)
		return 0;
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	int ok = base[0] == '/' && n < sizeof sv->base;
	for (size_t i = 0; ok && i < n; i++) {
		char ch = base[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
		     || (ch >= '0' && ch <= '9') || ch == '/' || ch == '-'
		     || ch == '_' || ch == '.' || ch == '~';
	}
	if (!ok) {
		snprintf(msg, msgsz, "--base-path needs a path such as "
		         "/depeche (letters, digits, - _ . ~ /), not '%s'", base);
		return -1;
	}
	memcpy(sv->base, base, n);
	sv->base[n] = '\0';
	return 0;
}

static dp_status load_ranking(const opts *o, dp_ranking **r, dp_error *err)
{
	if (o->ranking)
		return dp_ranking_load(o->ranking, r, err);
	char path[4096];
	dp_status st;
	if (dp_config_find("ranking.yaml", o->config, path, sizeof path, &st,
	                   err))
		return dp_ranking_load(path, r, err);
	if (st != DP_OK)
		return st;
	return dp_ranking_builtin(r, err);
}

/* The configuration files, checked once at the start: a mistake in them
 * stops the server rather than every request. */
static dp_status check_config(const char *dir, dp_error *err)
{
	dp_analyzer *an = NULL;
	dp_entities *ents = NULL;
	dp_vocab *vocab = NULL;
	dp_status st = dp_analyzer_new(&an, err);
	if (st == DP_OK)
		st = load_config(dir, an, &ents, &vocab, err);
	dp_entities_free(ents);
	dp_vocab_free(vocab);
	dp_analyzer_free(an);
	return st;
}

int main(int argc, char **argv)
{
	opts o = {0};
	o.time_limit = 5;
	int first;
	int rc = dp_cli_start(&program, argc, argv, &o, &first);
	if (rc >= 0)
		return rc;
	if (first < argc) {
		dp_cli_usage_error(PROG, "no operand expected (give the database "
		                   "with --db)");
		return DP_EXIT_USAGE;
	}
	sv_server sv = {0};
	char msg[512];
	struct addrinfo *ai = NULL;
	if (set_base(&sv, o.base, msg, sizeof msg) != 0
	    || resolve(o.listen ? o.listen : "127.0.0.1:8080", &ai, msg,
	               sizeof msg) != 0) {
		dp_cli_usage_error(PROG, msg);
		return DP_EXIT_USAGE;
	}
	char dbbuf[4096];
	sv.db = dp_cli_db(PROG, o.db, dbbuf, sizeof dbbuf, "");
	if (!sv.db) {
		freeaddrinfo(ai);
		return DP_EXIT_USAGE;
	}
	sv.config = o.config;
	sv.time_limit = o.time_limit;
	dp_error err = {0};
	dp_ranking *rk = NULL;
	dp_status st = load_ranking(&o, &rk, &err);
	if (st == DP_OK)
		st = check_config(o.config, &err);
	if (st != DP_OK) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		dp_ranking_free(rk);
		freeaddrinfo(ai);
		return dp_cli_exit_code(st) == DP_EXIT_OSERR ? DP_EXIT_OSERR
		                                             : DP_EXIT_CONFIG;
	}
	sv.ranking = rk;
	/* a missing database is not fatal: pages answer 503 until it
	 * appears */
	dp_searcher *probe = NULL;
	if (dp_searcher_open(sv.db, &probe, &err) != DP_OK)
		fprintf(stderr, PROG ": warning: %s (answering 503 until it "
		        "can be read)\n", err.msg);
	dp_searcher_free(probe);

	unsigned long threads = o.threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n < 2 ? 2 : n > 16 ? 16 : (unsigned long)n;
	}
	/* the signals that stop us are waited for by this thread alone */
	sigset_t stop;
	/* a shell starts background jobs with SIGINT ignored, and an
	 * ignored signal never reaches sigwait */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, &sv,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
	    MHD_OPTION_END);
	char host[256] = "?";
	getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0,
	            NI_NUMERICHOST);
	int v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	if (!d) {
		fprintf(stderr, PROG ": cannot listen on %s%s%s:%s\n",
		        v6 ? "[" : "", host, v6 ? "]" : "",
		        o.listen ? strrchr(o.listen, ':') ? strrchr(o.listen, ':') + 1
		                                          : o.listen
		                 : "8080");
		dp_ranking_free(rk);
		return DP_EXIT_OSERR;
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	fprintf(stderr, PROG ": listening on http://%s%s%s:%u%s/ (%lu "
	        "threads, database %s)\n", v6 ? "[" : "", host, v6 ? "]" : "",
	        info ? info->port : 0, sv.base, threads, sv.db);
	fflush(stderr);

	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
	MHD_stop_daemon(d);
	pool_drain();
	dp_ranking_free(rk);
	return DP_EXIT_OK;
}
