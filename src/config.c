/* config.c: configuration and database locations.  See config.h. */
#include "autoconf.h"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

static int is_file(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int is_dir(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int try_dir(const char *dir, const char *name, char *path,
                   size_t pathsz)
{
	if (!dir || !*dir)
		return 0;
	int n = snprintf(path, pathsz, "%s/%s", dir, name);
	return n > 0 && (size_t)n < pathsz && is_file(path);
}

int dp_config_find(const char *name, const char *cli_dir, char *path,
                   size_t pathsz, dp_status *st, dp_error *err)
{
	*st = DP_OK;
	if (cli_dir) {
		if (!is_dir(cli_dir)) {
			struct stat sb;
			/* named on the command line: a configuration error */
			*st = dp_error_set(err, DP_ERR_CONFIG,
			                   stat(cli_dir, &sb) == 0
			                       ? "configuration directory '%s' is "
			                         "not a directory"
			                       : "configuration directory '%s' does "
			                         "not exist", cli_dir);
			return 0;
		}
		if (try_dir(cli_dir, name, path, pathsz))
			return 1;
	}
	if (try_dir(getenv("DEPECHE_CONFIG"), name, path, pathsz))
		return 1;
	char dir[4096];
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(dir, sizeof dir, "%s/depeche", xdg);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.config/depeche", home);
	else
		dir[0] = '\0';
	if (try_dir(dir, name, path, pathsz))
		return 1;
	if (try_dir(SYSCONFDIR "/depeche", name, path, pathsz))
		return 1;
	return 0;
}

int dp_config_default_db(char *path, size_t pathsz)
{
	const char *env = getenv("DEPECHE_DB");
	if (env && *env) {
		int n = snprintf(path, pathsz, "%s", env);
		return n > 0 && (size_t)n < pathsz;
	}
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && *xdg)
		n = snprintf(path, pathsz, "%s/depeche/db", xdg);
	else if (home && *home)
		n = snprintf(path, pathsz, "%s/.local/share/depeche/db", home);
	else
		return 0;
	return n > 0 && (size_t)n < pathsz;
}
