/* cli.c: option table, help, the start of main and exit codes.  See
 * cli.h. */
#include "autoconf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include "cli.h"
#include "config.h"
#include "xapian-shim.h"

int dp_cli_exit_code(dp_status st)
{
	switch (st) {
	case DP_OK:
	case DP_DONE:
		return DP_EXIT_OK;
	case DP_ERR_NOMEM:
		return DP_EXIT_OSERR;
	case DP_ERR_IO:
	case DP_ERR_DISK_FULL:
		return DP_EXIT_IOERR;
	case DP_ERR_NOT_FOUND:
		return DP_EXIT_NOINPUT;
	case DP_ERR_LOCKED:
	case DP_ERR_MODIFIED:
		return DP_EXIT_TEMPFAIL;
	case DP_ERR_CORRUPT:
	case DP_ERR_VERSION:
	case DP_ERR_FORMAT:
	case DP_ERR_ENCODING:
		return DP_EXIT_DATAERR;
	case DP_ERR_INVALID:
	case DP_ERR_SYNTAX:
		return DP_EXIT_USAGE;
	case DP_ERR_CONFIG:
		return DP_EXIT_CONFIG;
	case DP_ERR_UNAVAILABLE:
		return DP_EXIT_UNAVAILABLE;
	case DP_ERR_READONLY:
		return DP_EXIT_NOPERM;
	case DP_ERR_INTERNAL:
	case DP_STATUS_LAST:
		break;
	}
	return DP_EXIT_SOFTWARE;
}

int dp_cli_parse(int argc, char **argv, const dp_option *opts, size_t n,
                 dp_option_fn fn, void *ctx, int *first, char *msg,
                 size_t msgsz)
{
	struct option *lo = calloc(n + 1, sizeof *lo);
	char *so = malloc(3 * n + 3);
	if (!lo || !so) {
		free(lo);
		free(so);
		snprintf(msg, msgsz, "out of memory");
		return -2;
	}
	size_t k = 0;
	so[k++] = ':';  /* report missing arguments as ':' */
	for (size_t i = 0; i < n; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].arg == DP_ARG_REQUIRED ? required_argument
		                : opts[i].arg == DP_ARG_OPTIONAL ? optional_argument
		                                                 : no_argument;
		lo[i].flag = NULL;
		lo[i].val = 256 + (int)i;
		if (opts[i].short_name) {
			so[k++] = opts[i].short_name;
			if (opts[i].arg == DP_ARG_REQUIRED)
				so[k++] = ':';
			else if (opts[i].arg == DP_ARG_OPTIONAL) {
				so[k++] = ':';
				so[k++] = ':';
			}
		}
	}
	so[k] = '\0';
	int rc = 0;
	opterr = 0;
	optind = 1;
	for (;;) {
		int li = -1;
		int c = getopt_long(argc, argv, so, lo, &li);
		if (c == -1)
			break;
		if (c == '?') {
			if (optopt)
				snprintf(msg, msgsz, "unknown option '-%c'", optopt);
			else
				snprintf(msg, msgsz, "unknown option '%s'",
				         argv[optind - 1]);
			rc = -1;
			break;
		}
		if (c == ':') {
			snprintf(msg, msgsz, "option '%s' needs a value",
			         argv[optind - 1]);
			rc = -1;
			break;
		}
		size_t i;
		if (c >= 256) {
			i = (size_t)(c - 256);
		} else {
			for (i = 0; i < n; i++)
				if (opts[i].short_name == c)
					break;
			if (i == n) {
				snprintf(msg, msgsz, "unknown option '-%c'", c);
				rc = -1;
				break;
			}
		}
		if (fn(ctx, opts[i].id, optarg, msg, msgsz)) {
			rc = -1;
			break;
		}
	}
	*first = optind;
	free(lo);
	free(so);
	return rc;
}

void dp_cli_help(FILE *f, const char *usage, const char *summary,
                 const dp_option *opts, size_t n, const char *footer)
{
	fprintf(f, "Usage: %s\n%s\n\nOptions:\n", usage, summary);
	for (size_t i = 0; i < n; i++) {
		char left[64];
		int l;
		if (opts[i].short_name)
			l = snprintf(left, sizeof left, "  -%c, --%s",
			             opts[i].short_name, opts[i].name);
		else
			l = snprintf(left, sizeof left, "      --%s", opts[i].name);
		if (opts[i].arg == DP_ARG_REQUIRED)
			l += snprintf(left + l, sizeof left - (size_t)l, " %s",
			              opts[i].argname);
		else if (opts[i].arg == DP_ARG_OPTIONAL)
			l += snprintf(left + l, sizeof left - (size_t)l, "[=%s]",
			              opts[i].argname);
		if (l < 28)
			fprintf(f, "%-28s%s\n", left, opts[i].help);
		else
			fprintf(f, "%s\n%-28s%s\n", left, "", opts[i].help);
	}
	if (footer)
		fprintf(f, "\n%s", footer);
}

int dp_cli_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

int dp_cli_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

/* What dp_cli_start's parsing carries: the program's own context, and
 * whether --help and --version were met. */
typedef struct start_ctx {
	const dp_cli_program *p;
	void *ctx;
	int help, version;
} start_ctx;

static int start_option(void *ctx, int id, const char *arg, char *msg,
                        size_t msgsz)
{
	start_ctx *sc = ctx;
	if (id == sc->p->help_id)
		sc->help = 1;
	else if (id == sc->p->version_id)
		sc->version = 1;
	return sc->p->on_option(sc->ctx, id, arg, msg, msgsz);
}

int dp_cli_start(const dp_cli_program *p, int argc, char **argv, void *ctx,
                 int *first)
{
	start_ctx sc = {p, ctx, 0, 0};
	char msg[512];
	int rc = dp_cli_parse(argc, argv, p->opts, p->n_opts, start_option,
	                      &sc, first, msg, sizeof msg);
	if (rc == -2) {
		fprintf(stderr, "%s: %s\n", p->name, msg);
		return DP_EXIT_OSERR;
	}
	if (rc != 0) {
		dp_cli_usage_error(p->name, msg);
		return DP_EXIT_USAGE;
	}
	if (sc.help) {
		dp_cli_help(stdout, p->usage, p->summary, p->opts, p->n_opts,
		            p->footer);
		return DP_EXIT_OK;
	}
	if (sc.version) {
		printf("%s (depeche) " PACKAGE_VERSION ", Xapian %s\n", p->name,
		       dpx_version());
		return DP_EXIT_OK;
	}
	return -1;
}

void dp_cli_usage_error(const char *prog, const char *msg)
{
	fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog, msg, prog);
}

const char *dp_cli_db(const char *prog, const char *db, char *buf,
                      size_t bufsz, const char *hint)
{
	if (db)
		return db;
	if (!dp_config_default_db(buf, bufsz)) {
		char msg[256];
		snprintf(msg, sizeof msg, "no database: give --db DIR%s", hint);
		dp_cli_usage_error(prog, msg);
		return NULL;
	}
	return buf;
}
