/* yamltree.c: YAML into a located tree.  See yamltree.h. */
#include "autoconf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#include "arena.h"
#include "yamltree.h"

struct dp_yaml_mem {
	dp_arena arena;
};

static dp_ynode *new_node(dp_yaml *y, dp_ytype t, const yaml_mark_t *m)
{
	dp_ynode *n = dp_arena_alloc(&y->mem->arena, sizeof *n);
	if (!n)
		return NULL;
	memset(n, 0, sizeof *n);
	n->type = t;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	return n;
}

/* Growable child lists are built in malloc()ed vectors, then copied into
 * the arena once complete. */
typedef struct vec {
	dp_ynode **v;
	size_t n, cap;
} vec;

static int vec_push(vec *v, dp_ynode *x)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 8;
		dp_ynode **nv = realloc(v->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		v->v = nv;
		v->cap = nc;
	}
	v->v[v->n++] = x;
	return 0;
}

static dp_ynode **vec_freeze(dp_yaml *y, vec *v)
{
	dp_ynode **a = dp_arena_alloc(&y->mem->arena,
	                              (v->n ? v->n : 1) * sizeof *a);
	if (a && v->n)
		memcpy(a, v->v, v->n * sizeof *a);
	free(v->v);
	v->v = NULL;
	return a;
}

typedef struct parse_ctx {
	dp_yaml *y;
	yaml_parser_t parser;
	dp_error *err;
	const unsigned char *text;   /* the input, to locate reader errors */
	size_t len;
} parse_ctx;

static dp_status parse_error(parse_ctx *c)
{
	yaml_parser_t *p = &c->parser;
	if (p->error == YAML_MEMORY_ERROR)
		return dp_error_set(c->err, DP_ERR_NOMEM, "%s: out of memory",
		                    c->y->file);
	if (p->error == YAML_READER_ERROR) {
		/* encoding errors carry a byte offset, not a mark */
		size_t line = 1, col = 1;
		for (size_t i = 0; i < p->problem_offset && i < c->len; i++) {
			if (c->text[i] == '\n') {
				line++;
				col = 1;
			} else if ((c->text[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		return dp_error_set(c->err, DP_ERR_CONFIG, "%s:%zu:%zu: %s",
		                    c->y->file, line, col,
		                    p->problem ? p->problem : "invalid text");
	}
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
	return dp_error_set(c->err, DP_ERR_CONFIG, "%s:%zu:%zu: %s%s%s",
	                    c->y->file, m->line + 1, m->column + 1,
	                    p->problem ? p->problem : "syntax error",
	                    p->context ? " " : "",
	                    p->context ? p->context : "");
}

static dp_status next_event(parse_ctx *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev))
		return parse_error(c);
	return DP_OK;
}

/* Parses the node starting with ev (already read; consumed here). */
static dp_status parse_node(parse_ctx *c, yaml_event_t *ev, int depth,
                            dp_ynode **out)
{
	dp_yaml *y = c->y;
	dp_status st = DP_OK;
	*out = NULL;
	if (depth > 64) {
		st = dp_error_set(c->err, DP_ERR_CONFIG,
		                  "%s:%zu:%zu: nesting is too deep", y->file,
		                  ev->start_mark.line + 1,
		                  ev->start_mark.column + 1);
		yaml_event_delete(ev);
		return st;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		st = dp_error_set(c->err, DP_ERR_CONFIG,
		                  "%s:%zu:%zu: aliases ('*%s') are not supported",
		                  y->file, ev->start_mark.line + 1,
		                  ev->start_mark.column + 1,
		                  (const char *)ev->data.alias.anchor);
		yaml_event_delete(ev);
		return st;
	case YAML_SCALAR_EVENT: {
		dp_ynode *n = new_node(y, DP_Y_SCALAR, &ev->start_mark);
		if (n)
			n->value = dp_arena_strndup(&y->mem->arena,
			                            (const char *)ev->data.scalar.value,
			                            ev->data.scalar.length);
		if (!n || !n->value) {
			yaml_event_delete(ev);
			return dp_error_set(c->err, DP_ERR_NOMEM, "out of memory");
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		yaml_event_delete(ev);
		*out = n;
		return DP_OK;
	}
	case YAML_SEQUENCE_START_EVENT: {
		dp_ynode *n = new_node(y, DP_Y_SEQ, &ev->start_mark);
		yaml_event_delete(ev);
		if (!n)
			return dp_error_set(c->err, DP_ERR_NOMEM, "out of memory");
		vec items = {0};
		for (;;) {
			yaml_event_t e;
			st = next_event(c, &e);
			if (st != DP_OK)
				break;
			if (e.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			dp_ynode *child;
			st = parse_node(c, &e, depth + 1, &child);
			if (st != DP_OK)
				break;
			if (vec_push(&items, child) < 0) {
				st = dp_error_set(c->err, DP_ERR_NOMEM,
				                  "out of memory");
				break;
			}
		}
		if (st != DP_OK) {
			free(items.v);
			return st;
		}
		n->n = items.n;
		n->items = vec_freeze(y, &items);
		*out = n;
		return n->items ? DP_OK
		                : dp_error_set(c->err, DP_ERR_NOMEM, "out of memory");
	}
	case YAML_MAPPING_START_EVENT: {
		dp_ynode *n = new_node(y, DP_Y_MAP, &ev->start_mark);
		yaml_event_delete(ev);
		if (!n)
			return dp_error_set(c->err, DP_ERR_NOMEM, "out of memory");
		vec keys = {0}, vals = {0};
		for (;;) {
			yaml_event_t e;
			st = next_event(c, &e);
			if (st != DP_OK)
				break;
			if (e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			dp_ynode *k, *v;
			st = parse_node(c, &e, depth + 1, &k);
			if (st != DP_OK)
				break;
			if (k->type != DP_Y_SCALAR) {
				st = dp_error_set(c->err, DP_ERR_CONFIG,
				                  "%s:%u:%u: a key must be a plain "
				                  "value", y->file, k->line, k->col);
				break;
			}
			for (size_t i = 0; i < keys.n; i++)
				if (strcmp(keys.v[i]->value, k->value) == 0) {
					st = dp_error_set(
					    c->err, DP_ERR_CONFIG,
					    "%s:%u:%u: duplicate key '%s' (first at "
					    "line %u)", y->file, k->line, k->col,
					    k->value, keys.v[i]->line);
					break;
				}
			if (st != DP_OK)
				break;
			st = next_event(c, &e);
			if (st != DP_OK)
				break;
			st = parse_node(c, &e, depth + 1, &v);
			if (st != DP_OK)
				break;
			if (vec_push(&keys, k) < 0 || vec_push(&vals, v) < 0) {
				st = dp_error_set(c->err, DP_ERR_NOMEM,
				                  "out of memory");
				break;
			}
		}
		if (st != DP_OK) {
			free(keys.v);
			free(vals.v);
			return st;
		}
		n->n = keys.n;
		n->items = vec_freeze(y, &keys);
		n->values = vec_freeze(y, &vals);
		*out = n;
		return n->items && n->values
		           ? DP_OK
		           : dp_error_set(c->err, DP_ERR_NOMEM, "out of memory");
	}
	default:
		st = dp_error_set(c->err, DP_ERR_CONFIG,
		                  "%s:%zu:%zu: unexpected YAML event", y->file,
		                  ev->start_mark.line + 1,
		                  ev->start_mark.column + 1);
		yaml_event_delete(ev);
		return st;
	}
}

static dp_status load(dp_yaml *y, const unsigned char *text, size_t len,
                      dp_error *err)
{
	parse_ctx c = {.y = y, .err = err, .text = text, .len = len};
	if (!yaml_parser_initialize(&c.parser))
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	yaml_parser_set_input_string(&c.parser, text, len);
	/* configuration is UTF-8: libyaml would otherwise take a file that
	 * starts with FF FE for UTF-16 and read garbage */
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);
	dp_status st = DP_OK;
	int docs = 0;
	for (;;) {
		yaml_event_t ev;
		st = next_event(&c, &ev);
		if (st != DP_OK)
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT) {
			if (docs++) {
				st = dp_error_set(err, DP_ERR_CONFIG,
				                  "%s:%zu:%zu: only one YAML document "
				                  "is allowed", y->file,
				                  ev.start_mark.line + 1,
				                  ev.start_mark.column + 1);
				yaml_event_delete(&ev);
				break;
			}
			yaml_event_delete(&ev);
			continue;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		st = parse_node(&c, &ev, 0, &y->root);
		if (st != DP_OK)
			break;
	}
	yaml_parser_delete(&c.parser);
	return st;
}

static dp_status new_yaml(const char *name, dp_yaml **out, dp_error *err)
{
	dp_yaml *y = calloc(1, sizeof *y);
	if (y) {
		y->mem = calloc(1, sizeof *y->mem);
		y->file = strdup(name);
	}
	if (!y || !y->mem || !y->file) {
		dp_yaml_free(y);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	*out = y;
	return DP_OK;
}

dp_status dp_yaml_load_string(const char *name, const char *text, size_t len,
                              dp_yaml **out, dp_error *err)
{
	*out = NULL;
	const unsigned char *u = (const unsigned char *)text;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE)
	                 || (u[0] == 0xFE && u[1] == 0xFF)))
		return dp_error_set(err, DP_ERR_CONFIG,
		                    "%s:1:1: UTF-16 text: configuration files are "
		                    "UTF-8 (convert it with iconv -f UTF-16 -t "
		                    "UTF-8)", name);
	dp_yaml *y = NULL;
	dp_status st = new_yaml(name, &y, err);
	if (st != DP_OK)
		return st;
	st = load(y, (const unsigned char *)text, len, err);
	if (st != DP_OK) {
		dp_yaml_free(y);
		return st;
	}
	*out = y;
	return DP_OK;
}

dp_status dp_yaml_load_file(const char *path, dp_yaml **out, dp_error *err)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return dp_error_set(err, errno == ENOENT ? DP_ERR_NOT_FOUND
		                                         : DP_ERR_IO,
		                    "%s: cannot open: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return dp_error_set(err, DP_ERR_CONFIG,
		                    "%s: is a directory, not a YAML file", path);
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (8u << 20)) {
				free(buf);
				fclose(f);
				return dp_error_set(err, DP_ERR_CONFIG,
				                    "%s: larger than 8 MiB", path);
			}
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "out of memory");
			}
			buf = nb;
		}
		size_t r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	int bad = ferror(f) ? errno : 0;
	fclose(f);
	if (bad) {
		free(buf);
		return dp_error_set(err, DP_ERR_IO, "%s: read error: %s", path,
		                    strerror(bad));
	}
	dp_status st = dp_yaml_load_string(path, buf ? buf : "", len, out, err);
	free(buf);
	return st;
}

void dp_yaml_free(dp_yaml *y)
{
	if (!y)
		return;
	if (y->mem) {
		dp_arena_release(&y->mem->arena);
		free(y->mem);
	}
	free(y->file);
	free(y);
}

dp_status dp_yaml_error(const dp_yaml *y, const dp_ynode *n, dp_error *err,
                        const char *fmt, ...)
{
	char m[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	if (!n)
		return dp_error_set(err, DP_ERR_CONFIG, "%s: %s", y->file, m);
	return dp_error_set(err, DP_ERR_CONFIG, "%s:%u:%u: %s", y->file, n->line,
	                    n->col, m);
}

const dp_ynode *dp_yaml_get(const dp_ynode *m, const char *key)
{
	if (!m || m->type != DP_Y_MAP)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->items[i]->value, key) == 0)
			return m->values[i];
	return NULL;
}

static const char *type_name(dp_ytype t)
{
	switch (t) {
	case DP_Y_SCALAR: return "a value";
	case DP_Y_SEQ: return "a list";
	case DP_Y_MAP: return "a mapping";
	}
	return "?";
}

dp_status dp_yaml_expect(const dp_yaml *y, const dp_ynode *n, dp_ytype t,
                         const char *what, dp_error *err)
{
	if (n->type != t)
		return dp_yaml_error(y, n, err, "'%s' must be %s, not %s", what,
		                     type_name(t), type_name(n->type));
	return DP_OK;
}

dp_status dp_yaml_number(const dp_yaml *y, const dp_ynode *n,
                         const char *what, double lo, double hi, double *out,
                         dp_error *err)
{
	dp_status st = dp_yaml_expect(y, n, DP_Y_SCALAR, what, err);
	if (st != DP_OK)
		return st;
	char *end;
	errno = 0;
	double v = strtod(n->value, &end);
	if (!n->plain || end == n->value || *end || errno || !isfinite(v))
		return dp_yaml_error(y, n, err, "'%s' must be a number, not '%s'",
		                     what, n->value);
	if (v < lo || v > hi)
		return dp_yaml_error(y, n, err,
		                     "'%s' is %g, outside the range %g to %g", what,
		                     v, lo, hi);
	*out = v;
	return DP_OK;
}

dp_status dp_yaml_int(const dp_yaml *y, const dp_ynode *n, const char *what,
                      long lo, long hi, long *out, dp_error *err)
{
	dp_status st = dp_yaml_expect(y, n, DP_Y_SCALAR, what, err);
	if (st != DP_OK)
		return st;
	char *end;
	errno = 0;
	long v = strtol(n->value, &end, 10);
	if (!n->plain || end == n->value || *end || errno)
		return dp_yaml_error(y, n, err,
		                     "'%s' must be an integer, not '%s'", what,
		                     n->value);
	if (v < lo || v > hi)
		return dp_yaml_error(y, n, err,
		                     "'%s' is %ld, outside the range %ld to %ld",
		                     what, v, lo, hi);
	*out = v;
	return DP_OK;
}

dp_status dp_yaml_bool(const dp_yaml *y, const dp_ynode *n, const char *what,
                       int *out, dp_error *err)
{
	dp_status st = dp_yaml_expect(y, n, DP_Y_SCALAR, what, err);
	if (st != DP_OK)
		return st;
	const char *v = n->value;
	if (n->plain && (!strcasecmp(v, "true") || !strcasecmp(v, "yes")
	                 || !strcasecmp(v, "on"))) {
		*out = 1;
		return DP_OK;
	}
	if (n->plain && (!strcasecmp(v, "false") || !strcasecmp(v, "no")
	                 || !strcasecmp(v, "off"))) {
		*out = 0;
		return DP_OK;
	}
	return dp_yaml_error(y, n, err, "'%s' must be true or false, not '%s'",
	                     what, v);
}

dp_status dp_yaml_string(const dp_yaml *y, const dp_ynode *n,
                         const char *what, const char **out, dp_error *err)
{
	dp_status st = dp_yaml_expect(y, n, DP_Y_SCALAR, what, err);
	if (st != DP_OK)
		return st;
	*out = n->value;
	return DP_OK;
}

dp_status dp_yaml_check_keys(const dp_yaml *y, const dp_ynode *m,
                             const char *what, const char *const *allowed,
                             dp_error *err)
{
	dp_status st = dp_yaml_expect(y, m, DP_Y_MAP, what, err);
	if (st != DP_OK)
		return st;
	for (size_t i = 0; i < m->n; i++) {
		const char *k = m->items[i]->value;
		int found = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, k) == 0)
				found = 1;
		if (!found) {
			char list[512] = "";
			size_t o = 0;
			for (const char *const *a = allowed; *a && o < 400; a++)
				o += (size_t)snprintf(list + o, sizeof list - o,
				                      "%s%s", o ? ", " : "", *a);
			return dp_yaml_error(y, m->items[i], err,
			                     "unknown key '%s' in '%s' (expected "
			                     "one of: %s)", k, what, list);
		}
	}
	return DP_OK;
}
