/* yamltree.h: a YAML document as a small tree that remembers where each
 * node was written, so that configuration errors can say
 * "file:line:col: message".  Built on libyaml's event parser. */
#ifndef DEPECHE_YAMLTREE_H
#define DEPECHE_YAMLTREE_H

#include <stddef.h>

#include "depeche.h"

typedef enum dp_ytype { DP_Y_SCALAR, DP_Y_SEQ, DP_Y_MAP } dp_ytype;

typedef struct dp_ynode dp_ynode;
struct dp_ynode {
	dp_ytype type;
	unsigned line, col;    /* 1-based */
	const char *value;     /* scalars */
	int plain;             /* an unquoted scalar */
	size_t n;              /* items (sequences) or pairs (maps) */
	dp_ynode **items;      /* sequence items, or map keys and values */
	dp_ynode **values;     /* map values (items holds the keys) */
};

typedef struct dp_yaml {
	char *file;
	dp_ynode *root;        /* NULL for an empty document */
	struct dp_yaml_mem *mem;
} dp_yaml;

/* Loads a YAML file; syntax errors are DP_ERR_CONFIG with file:line:col.
 * A missing file is DP_ERR_NOT_FOUND. */
dp_status dp_yaml_load_file(const char *path, dp_yaml **out, dp_error *err);
/* Loads YAML from memory; name is used in messages. */
dp_status dp_yaml_load_string(const char *name, const char *text, size_t len,
                              dp_yaml **out, dp_error *err);
void dp_yaml_free(dp_yaml *y);

/* Formats "file:line:col: message" for node n into err (DP_ERR_CONFIG). */
dp_status dp_yaml_error(const dp_yaml *y, const dp_ynode *n, dp_error *err,
                        const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Value for key in map m, or NULL. */
const dp_ynode *dp_yaml_get(const dp_ynode *m, const char *key);

/* Typed reads; each fails with a located message. what names the setting
 * in messages ("weights.headline"). */
dp_status dp_yaml_expect(const dp_yaml *y, const dp_ynode *n, dp_ytype t,
                         const char *what, dp_error *err);
dp_status dp_yaml_number(const dp_yaml *y, const dp_ynode *n,
                         const char *what, double lo, double hi, double *out,
                         dp_error *err);
dp_status dp_yaml_int(const dp_yaml *y, const dp_ynode *n, const char *what,
                      long lo, long hi, long *out, dp_error *err);
dp_status dp_yaml_bool(const dp_yaml *y, const dp_ynode *n, const char *what,
                       int *out, dp_error *err);
dp_status dp_yaml_string(const dp_yaml *y, const dp_ynode *n,
                         const char *what, const char **out, dp_error *err);
/* Fails on the first key of map m not in allowed (NULL-terminated);
 * m must be a map.  what names the map in messages. */
dp_status dp_yaml_check_keys(const dp_yaml *y, const dp_ynode *m,
                             const char *what, const char *const *allowed,
                             dp_error *err);

#endif
