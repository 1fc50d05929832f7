/* tap.h: a tiny Test Anything Protocol harness for the C unit tests.
 *
 *   plan(n) or plan_no_plan() ... ok(cond, "name %d", i) ... done_testing()
 *   skip_all("reason") exits 0 with a "1..0 # SKIP reason" plan.
 * Include in one translation unit per test program. */
#ifndef DEPECHE_TAP_H
#define DEPECHE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run, tap_failed, tap_planned = -1;

static inline void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static inline void plan_no_plan(void)
{
	tap_planned = -1;
}

__attribute__((format(printf, 2, 3)))
static inline int ok(int cond, const char *fmt, ...)
{
	va_list ap;
	tap_run++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

__attribute__((format(printf, 1, 2)))
static inline void diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ok() for strings, printing both sides on failure. */
#define is_str(got, want, ...) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		int c_ = (g_ == NULL && w_ == NULL) \
		         || (g_ && w_ && strcmp(g_, w_) == 0); \
		if (!ok(c_, __VA_ARGS__)) \
			diag("  got: '%s'\n#  want: '%s'", g_ ? g_ : "(null)", \
			     w_ ? w_ : "(null)"); \
	} while (0)

#define is_int(got, want, ...) \
	do { \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		if (!ok(g_ == w_, __VA_ARGS__)) \
			diag("  got: %lld, want: %lld", g_, w_); \
	} while (0)

__attribute__((noreturn))
static inline void skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	exit(0);
}

static inline int done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run)
		diag("planned %d tests but ran %d", tap_planned, tap_run);
	return tap_failed || (tap_planned >= 0 && tap_planned != tap_run);
}

/* Directory of the shared data (../shared), or NULL when absent. */
static inline const char *tap_shared_dir(void)
{
	const char *d = getenv("DP_SHARED");
	static char buf[4096];
	if (!d || !*d) {
		const char *top = getenv("top_srcdir");
		snprintf(buf, sizeof buf, "%s/../shared", top ? top : "..");
		d = buf;
	}
	char probe[4200];
	snprintf(probe, sizeof probe, "%s/DESIGN.md", d);
	FILE *f = fopen(probe, "r");
	if (!f)
		return NULL;
	fclose(f);
	return d;
}

/* Path under the source tree: $top_srcdir/rel. */
static inline const char *tap_srcpath(const char *rel)
{
	static char buf[8][4096];
	static int k;
	const char *top = getenv("top_srcdir");
	char *b = buf[k++ % 8];
	snprintf(b, 4096, "%s/%s", top ? top : ".", rel);
	return b;
}

#endif
