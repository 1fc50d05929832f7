/* config.h: where configuration files and the database are found.
 *
 * A configuration file NAME (ranking.yaml, entities.yaml, ...) is taken
 * from the first of these directories that holds it:
 *   1. the directory given with --config
 *   2. $DEPECHE_CONFIG
 *   3. $XDG_CONFIG_HOME/depeche (default ~/.config/depeche)
 *   4. SYSCONFDIR/depeche (installed defaults)
 * and when none does, the built-in defaults apply. */
#ifndef DEPECHE_CONFIG_H
#define DEPECHE_CONFIG_H

#include <stddef.h>

#include "depeche.h"

/* Finds name; returns 1 and fills path when found, 0 for built-ins.
 * cli_dir may be NULL.  A --config directory that does not exist is
 * DP_ERR_NOT_FOUND (returned through *st). */
int dp_config_find(const char *name, const char *cli_dir, char *path,
                   size_t pathsz, dp_status *st, dp_error *err);

/* The default database: $DEPECHE_DB, else $XDG_DATA_HOME/depeche/db
 * (default ~/.local/share/depeche/db).  Returns 0 when no home is known. */
int dp_config_default_db(char *path, size_t pathsz);

#endif
