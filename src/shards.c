/* shards.c: the layout of a database split by period.  See shards.h. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shards.h"

int dp_shards_parse_kind(const char *s)
{
	if (!strcmp(s, "month"))
		return DP_SHARDS_MONTH;
	if (!strcmp(s, "year"))
		return DP_SHARDS_YEAR;
	return -1;
}

const char *dp_shards_kind_name(int kind)
{
	return kind == DP_SHARDS_MONTH ? "month"
	       : kind == DP_SHARDS_YEAR ? "year" : "none";
}

void dp_shards_period(int kind, const char *day, char out[16])
{
	if (!day || strlen(day) < 6) {
		snprintf(out, 16, "%s", DP_UNDATED);
		return;
	}
	if (kind == DP_SHARDS_YEAR)
		snprintf(out, 16, "%.4s", day);
	else
		snprintf(out, 16, "%.4s-%.2s", day, day + 4);
}

int dp_shards_owner(const char *period, int n)
{
	if (n <= 1 || strlen(period) < 4)
		return 0;
	long y = 0;
	for (int i = 0; i < 4; i++) {
		if (period[i] < '0' || period[i] > '9')
			return 0;
		y = y * 10 + (period[i] - '0');
	}
	long m = 0;
	if (period[4] == '-' && period[5] >= '0' && period[5] <= '9'
	    && period[6] >= '0' && period[6] <= '9')
		m = y * 12 + (period[5] - '0') * 10 + (period[6] - '0');
	else
		m = y;
	return (int)(m % n);
}

int dp_shards_sealed(const char *period, long long now)
{
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	char cur[32];
	snprintf(cur, sizeof cur, "%04d-%02d", (tm.tm_year + 1900) % 10000,
	         (tm.tm_mon + 1) % 100);
	if (!strcmp(period, DP_UNDATED))
		return 0;
	size_t n = strlen(period);
	/* "YYYY" against the year, "YYYY-MM" against the month */
	return strncmp(period, cur, n) < 0;
}

int dp_shards_present(const char *dir)
{
	char p[4096];
	struct stat sb;
	snprintf(p, sizeof p, "%s/%s", dir, DP_STUB_NAME);
	if (stat(p, &sb) == 0)
		return 1;
	snprintf(p, sizeof p, "%s/%s/iamglass", dir, DP_STATE_NAME);
	return stat(p, &sb) == 0;
}

static int plain_name(const char *s)
{
	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == ' ' || *s == '\t')
			return 0;
	return 1;
}

static dp_status push_line(dp_stub *s, const char *text, size_t len,
                           dp_error *err)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		dp_stub_line *nv = realloc(s->v, nc * sizeof *nv);
		if (!nv)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		s->v = nv;
		s->cap = nc;
	}
	dp_stub_line *l = &s->v[s->n];
	memset(l, 0, sizeof *l);
	l->text = strndup(text, len);
	if (!l->text)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	s->n++;
	char kind[16];
	const char *sp = memchr(l->text, ' ', len);
	size_t kl = sp ? (size_t)(sp - l->text) : len;
	snprintf(kind, sizeof kind, "%.*s", (int)(kl < 15 ? kl : 15), l->text);
	l->remote = !strcmp(kind, "remote");
	if (sp && (!strcmp(kind, "glass") || !strcmp(kind, "auto"))) {
		const char *name = sp + 1;
		while (*name == ' ')
			name++;
		if (plain_name(name) && !(l->local = strdup(name)))
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	return DP_OK;
}

dp_status dp_stub_read(const char *dir, dp_stub *s, dp_error *err)
{
	memset(s, 0, sizeof *s);
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, DP_STUB_NAME);
	FILE *f = fopen(p, "r");
	if (!f) {
		if (errno == ENOENT)
			return DP_OK;
		return dp_error_set(err, DP_ERR_IO, "cannot read '%s': %s", p,
		                    strerror(errno));
	}
	char line[4096];
	dp_status st = DP_OK;
	while (st == DP_OK && fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, "\r\n");
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		size_t b = 0;
		while (b < n && (line[b] == ' ' || line[b] == '\t'))
			b++;
		if (b == n || line[b] == '#')
			continue;
		st = push_line(s, line + b, n - b, err);
	}
	if (st == DP_OK && ferror(f))
		st = dp_error_set(err, DP_ERR_IO, "cannot read '%s': %s", p,
		                  strerror(errno));
	fclose(f);
	if (st != DP_OK)
		dp_stub_release(s);
	return st;
}

void dp_stub_release(dp_stub *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].text);
		free(s->v[i].local);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

dp_status dp_stub_add_local(dp_stub *s, const char *name, dp_error *err)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].local && !strcmp(s->v[i].local, name))
			return DP_OK;
	char text[64];
	int l = snprintf(text, sizeof text, "glass %s", name);
	dp_status st = push_line(s, text, (size_t)l, err);
	if (st != DP_OK)
		return st;
	/* local shards first, in name order: stable, and the oldest first */
	dp_stub_line nl = s->v[s->n - 1];
	size_t at = 0;
	while (at < s->n - 1 && s->v[at].local
	       && strcmp(s->v[at].local, name) < 0)
		at++;
	memmove(&s->v[at + 1], &s->v[at], (s->n - 1 - at) * sizeof *s->v);
	s->v[at] = nl;
	return DP_OK;
}

dp_status dp_stub_write(const char *dir, const dp_stub *s, dp_error *err)
{
	char p[4096], tmp[4200];
	snprintf(p, sizeof p, "%s/%s", dir, DP_STUB_NAME);
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", p, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return dp_error_set(err, errno == ENOSPC ? DP_ERR_DISK_FULL
		                    : errno == EACCES || errno == EROFS
		                    ? DP_ERR_READONLY : DP_ERR_IO,
		                    "cannot write '%s': %s", tmp,
		                    strerror(errno));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	fputs("# depeche shards: one database per line (depeche-shards(7))\n",
	      f);
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%s\n", s->v[i].text);
	int bad = fflush(f) != 0 || fsync(fd) != 0;
	int e = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (!bad && rename(tmp, p) != 0) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		unlink(tmp);
		return dp_error_set(err, e == ENOSPC ? DP_ERR_DISK_FULL
		                    : DP_ERR_IO, "cannot write '%s': %s", p,
		                    strerror(e));
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return DP_OK;
}

int dp_stub_remote_addr(const char *text, char *host, size_t hostsz,
                        unsigned *port)
{
	if (strncmp(text, "remote ", 7) != 0)
		return -1;
	const char *a = text + 7;
	while (*a == ' ')
		a++;
	int prog_form = *a == ':';
	if (prog_form)
		a++;
	const char *c = strrchr(a, ':');
	if (!c || c == a || (size_t)(c - a) >= hostsz || strchr(a, ' '))
		return -1;
	char *end;
	unsigned long p = strtoul(c + 1, &end, 10);
	if (end == c + 1 || p == 0 || p > 65535 || *end)
		return -1;
	memcpy(host, a, (size_t)(c - a));
	host[c - a] = '\0';
	*port = (unsigned)p;
	return prog_form;
}
