/* status.c: status names and error helpers. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "depeche.h"

static const char *const status_names[DP_STATUS_LAST] = {
	[DP_OK] = "success",
	[DP_DONE] = "done",
	[DP_ERR_NOMEM] = "out of memory",
	[DP_ERR_IO] = "input/output error",
	[DP_ERR_NOT_FOUND] = "not found",
	[DP_ERR_LOCKED] = "database is locked by another writer",
	[DP_ERR_MODIFIED] = "database was modified while being read",
	[DP_ERR_CORRUPT] = "database is corrupt",
	[DP_ERR_VERSION] = "database was built with another schema or analyzer",
	[DP_ERR_INVALID] = "invalid argument",
	[DP_ERR_SYNTAX] = "query syntax error",
	[DP_ERR_CONFIG] = "configuration error",
	[DP_ERR_FORMAT] = "malformed input",
	[DP_ERR_ENCODING] = "invalid text encoding",
	[DP_ERR_DISK_FULL] = "no space left on device",
	[DP_ERR_READONLY] = "read-only database or directory",
	[DP_ERR_INTERNAL] = "internal error",
	[DP_ERR_UNAVAILABLE] = "shard server unavailable",
};

const char *dp_status_to_string(dp_status st)
{
	if ((unsigned)st >= DP_STATUS_LAST || !status_names[st])
		return "unknown status";
	return status_names[st];
}

static volatile int out_of_memory;

int dp_out_of_memory_seen(void)
{
	return out_of_memory;
}

void dp_out_of_memory_note(void)
{
	out_of_memory = 1;
}

dp_status dp_error_set(dp_error *err, dp_status st, const char *fmt, ...)
{
	if (st == DP_ERR_NOMEM)
		out_of_memory = 1;
	if (!err)
		return st;
	err->status = st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return st;
}

void dp_error_prefix(dp_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	char pre[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	size_t pl = strlen(pre), ml = strlen(err->msg), cap = sizeof err->msg;
	if (pl + 2 >= cap)
		pl = cap - 3;
	if (pl + 2 + ml >= cap)
		ml = cap - pl - 3;
	memmove(err->msg + pl + 2, err->msg, ml);
	memcpy(err->msg, pre, pl);
	err->msg[pl] = ':';
	err->msg[pl + 1] = ' ';
	err->msg[pl + 2 + ml] = '\0';
}

void dp_error_clear(dp_error *err)
{
	if (!err)
		return;
	err->status = DP_OK;
	err->msg[0] = '\0';
}
