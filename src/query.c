/* query.c: the query language.  See query.h and depeche-query(7). */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "dispatch.h"
#include "query.h"
#include "schema.h"
#include "spell.h"
#include "utf8.h"

/* Window of proche:/near: */
#define NEAR_WINDOW 10
/* Proximity boosts look at this many of a query's words at most (those
 * that are neither stop words nor frequent). */
#define MAX_PROXIMITY_WORDS 12

/* ---- string sets ------------------------------------------------------------ */

int dp_strset_has(const dp_strset *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 1;
	return 0;
}

int dp_strset_add(dp_strset *s, const char *str)
{
	if (dp_strset_has(s, str))
		return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		char **nv = realloc(s->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n] = strdup(str);
	if (!s->v[s->n])
		return -1;
	s->n++;
	return 0;
}

void dp_strset_release(dp_strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- nodes ------------------------------------------------------------------ */

static dp_qnode *node_new(dp_qkind k, size_t col)
{
	dp_qnode *n = calloc(1, sizeof *n);
	if (n) {
		n->kind = k;
		n->col = col;
	}
	return n;
}

void dp_qnode_free(dp_qnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		dp_qnode_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n->text2);
	free(n);
}

static int node_add(dp_qnode *p, dp_qnode *kid)
{
	dp_qnode **nk = realloc(p->kids, (p->n + 1) * sizeof *nk);
	if (!nk)
		return -1;
	p->kids = nk;
	p->kids[p->n++] = kid;
	return 0;
}

dp_qnode *dp_qnode_and(dp_qnode *a, dp_qnode *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	dp_qnode *n = node_new(DP_Q_AND, a->col);
	if (!n || node_add(n, a) < 0 || node_add(n, b) < 0) {
		if (n && n->n == 1)
			n->n = 0;
		free(n ? n->kids : NULL);
		free(n);
		dp_qnode_free(a);
		dp_qnode_free(b);
		return NULL;
	}
	return n;
}

static const char *kind_name(dp_qkind k)
{
	switch (k) {
	case DP_Q_WORD: return "word";
	case DP_Q_PHRASE: return "phrase";
	case DP_Q_AND: return "and";
	case DP_Q_OR: return "or";
	case DP_Q_NOT: return "not";
	case DP_Q_FILTER: return "filter";
	case DP_Q_ENTITY: return "entity";
	case DP_Q_DATE: return "date";
	case DP_Q_NEAR: return "near";
	}
	return "?";
}

static size_t describe(const dp_qnode *n, char *out, size_t sz, size_t o)
{
	if (o >= sz)
		return o;
	switch (n->kind) {
	case DP_Q_WORD:
	case DP_Q_PHRASE:
	case DP_Q_FILTER:
	case DP_Q_ENTITY:
		o += (size_t)snprintf(out + o, sz - o, "%s%s(%s)",
		                      n->field == DP_FIELD_HEADLINE ? "headline:"
		                      : n->field == DP_FIELD_NAME  ? "name:"
		                                                   : "",
		                      kind_name(n->kind), n->text);
		return o;
	case DP_Q_DATE:
		o += (size_t)snprintf(out + o, sz - o, "date(%s..%s)", n->text,
		                      n->text2);
		return o;
	default:
		break;
	}
	if (n->kind == DP_Q_NEAR)
		o += (size_t)snprintf(out + o, sz - o, "near/%u(", n->window);
	else
		o += (size_t)snprintf(out + o, sz - o, "%s%s(", kind_name(n->kind),
		                      n->implicit ? "*" : "");
	for (size_t i = 0; i < n->n && o < sz; i++) {
		if (i)
			o += (size_t)snprintf(out + o, sz - o, " ");
		o = describe(n->kids[i], out, sz, o);
	}
	if (o < sz)
		o += (size_t)snprintf(out + o, sz - o, ")");
	return o;
}

void dp_qnode_describe(const dp_qnode *n, char *out, size_t outsz)
{
	if (!outsz)
		return;
	out[0] = '\0';
	if (n)
		describe(n, out, outsz, 0);
}

/* ---- dates ------------------------------------------------------------------ */

static int ndigits(const char *s, size_t len, size_t at, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (at + (size_t)i >= len || s[at + i] < '0' || s[at + i] > '9')
			return 0;
		v = v * 10 + (s[at + i] - '0');
	}
	*out = v;
	return 1;
}

int dp_query_parse_day(const char *s, size_t len, int end, char out[9])
{
	int y, m = end ? 12 : 1, d = 1;
	if (len != 4 && len != 7 && len != 10)
		return 0;
	if (!ndigits(s, len, 0, 4, &y))
		return 0;
	int have_day = 0;
	if (len >= 7) {
		if (s[4] != '-' || !ndigits(s, len, 5, 2, &m) || m < 1 || m > 12)
			return 0;
	}
	if (len == 10) {
		if (s[7] != '-' || !ndigits(s, len, 8, 2, &d))
			return 0;
		have_day = 1;
	}
	/* days in the month, by going to the next month's first day */
	int64_t first = dp_days_from_civil(y, m, 1);
	int64_t next = m == 12 ? dp_days_from_civil(y + 1, 1, 1)
	                       : dp_days_from_civil(y, m + 1, 1);
	int mdays = (int)(next - first);
	if (have_day && (d < 1 || d > mdays))
		return 0;
	if (!have_day && end)
		d = mdays;
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04d%02d%02d", y, m, d);
	memcpy(out, tmp, 8);
	out[8] = '\0';
	return 1;
}

/* date:VALUE -> a node.  VALUE is YYYY, YYYY-MM, YYYY-MM-DD or A..B. */
static dp_status date_node(const char *v, size_t len, size_t col,
                           dp_qnode **out, dp_error *err)
{
	*out = NULL;
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (v[i] == '.' && v[i + 1] == '.') {
			dots = v + i;
			break;
		}
	dp_qnode *n = node_new(DP_Q_DATE, col);
	if (!n)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	char lo[9] = "", hi[9] = "";
	if (dots) {
		size_t al = (size_t)(dots - v), bl = len - al - 2;
		if ((al && !dp_query_parse_day(v, al, 0, lo))
		    || (bl && !dp_query_parse_day(dots + 2, bl, 1, hi))
		    || (!al && !bl)) {
			dp_qnode_free(n);
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: bad date range '%.*s' "
			                    "(expected YYYY[-MM[-DD]]..YYYY[-MM[-DD]])",
			                    col, (int)len, v);
		}
		if (*lo && *hi && strcmp(lo, hi) > 0) {
			dp_qnode_free(n);
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: date range '%.*s' ends before "
			                    "it starts", col, (int)len, v);
		}
	} else {
		if (!dp_query_parse_day(v, len, 0, lo)
		    || !dp_query_parse_day(v, len, 1, hi)) {
			dp_qnode_free(n);
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: bad date '%.*s' (expected "
			                    "YYYY, YYYY-MM, YYYY-MM-DD or a range "
			                    "A..B)", col, (int)len, v);
		}
	}
	n->text = strdup(lo);
	n->text2 = strdup(hi);
	if (!n->text || !n->text2) {
		dp_qnode_free(n);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	*out = n;
	return DP_OK;
}

dp_status dp_query_date_node(const char *since, const char *until,
                             dp_qnode **out, dp_error *err)
{
	*out = NULL;
	char lo[9] = "", hi[9] = "";
	if (since && !dp_query_parse_day(since, strlen(since), 0, lo))
		return dp_error_set(err, DP_ERR_INVALID,
		                    "bad date '%s' (expected YYYY[-MM[-DD]])",
		                    since);
	if (until && !dp_query_parse_day(until, strlen(until), 1, hi))
		return dp_error_set(err, DP_ERR_INVALID,
		                    "bad date '%s' (expected YYYY[-MM[-DD]])",
		                    until);
	if (*lo && *hi && strcmp(lo, hi) > 0)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "--since %s is after --until %s", since, until);
	dp_qnode *n = node_new(DP_Q_DATE, 0);
	if (n) {
		n->text = strdup(lo);
		n->text2 = strdup(hi);
	}
	if (!n || !n->text || !n->text2) {
		dp_qnode_free(n);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	*out = n;
	return DP_OK;
}

/* ---- lexer ------------------------------------------------------------------ */

typedef enum tok_kind {
	T_END, T_LPAREN, T_RPAREN, T_PHRASE, T_WORD, T_AND, T_OR, T_NOT,
} tok_kind;

typedef struct token {
	tok_kind kind;
	const char *s;   /* text (word or phrase content) */
	size_t len;
	size_t col;      /* 1-based column (in characters) */
	int minus, plus; /* -word, +word */
	const char *field; /* field name before ':' (not NUL-terminated) */
	size_t field_len;
	int field_paren;  /* field:( ... ) */
	int field_phrase; /* field:"..." */
} token;

typedef struct lexer {
	const char *s;
	size_t len, i;
	token tok;       /* current token */
	dp_error *err;
	dp_status st;
} lexer;

static size_t column_of(const lexer *lx, size_t byte)
{
	size_t col = 1;
	for (size_t i = 0; i < byte && i < lx->len; i++)
		if (((unsigned char)lx->s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static int32_t cp_at(const lexer *lx, size_t i, size_t *next)
{
	size_t j = i;
	int32_t cp = dp_utf8_decode(lx->s, lx->len, &j);
	if (next)
		*next = j;
	return cp;
}

static int is_space_cp(int32_t cp)
{
	return cp >= 0 && dp_unicode_class(cp) == DP_CC_SPACE;
}

static int is_open_quote(int32_t cp)
{
	return cp == '"' || cp == 0xAB || cp == 0x201C || cp == 0x201E;
}

static int32_t closing_quote(int32_t open)
{
	switch (open) {
	case 0xAB: return 0xBB;
	case 0x201C: return 0x201D;
	case 0x201E: return 0x201C;
	default: return '"';
	}
}

static int is_word_end(int32_t cp)
{
	return cp < 0 || is_space_cp(cp) || cp == '(' || cp == ')'
	       || is_open_quote(cp) || cp == 0xBB || cp == 0x201D;
}

/* Scans a quoted phrase starting at lx->i (on the opening quote). */
static int scan_phrase(lexer *lx, token *t)
{
	size_t start = lx->i, next;
	int32_t open = cp_at(lx, lx->i, &next);
	int32_t close = closing_quote(open);
	size_t i = next;
	while (i < lx->len) {
		size_t n2;
		int32_t cp = cp_at(lx, i, &n2);
		if (cp == close || (open == '"' && cp == 0x201D)) {
			t->kind = T_PHRASE;
			t->s = lx->s + next;
			t->len = i - next;
			lx->i = n2;
			return 0;
		}
		i = n2;
	}
	lx->st = dp_error_set(lx->err, DP_ERR_SYNTAX,
	                      "column %zu: unterminated phrase (missing "
	                      "closing quote)", column_of(lx, start));
	return -1;
}

static const char *const field_names[] = {
	"titre", "headline", "title", "source", "lieu", "place", "dateline",
	"lang", "langue", "language", "genre", "sujet", "subject", "slug",
	"urgence", "urgency", "id", "date", "phrase", "sentence", "paragraphe",
	"paragraph", "proche", "near", "nom", "name", "entite", "entity",
};

static int is_field(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof field_names / sizeof *field_names; i++)
		if (strlen(field_names[i]) == n
		    && strncasecmp(field_names[i], s, n) == 0)
			return 1;
	return 0;
}

/* Reads the next token into lx->tok; returns -1 on a syntax error. */
static int lex(lexer *lx)
{
	token *t = &lx->tok;
	memset(t, 0, sizeof *t);
	while (lx->i < lx->len) {
		size_t next;
		int32_t cp = cp_at(lx, lx->i, &next);
		if (!is_space_cp(cp) && cp >= 0)
			break;
		lx->i = next;
	}
	t->col = column_of(lx, lx->i);
	if (lx->i >= lx->len) {
		t->kind = T_END;
		return 0;
	}
	size_t next;
	int32_t cp = cp_at(lx, lx->i, &next);
	if (cp == '(') {
		t->kind = T_LPAREN;
		lx->i = next;
		return 0;
	}
	if (cp == ')') {
		t->kind = T_RPAREN;
		lx->i = next;
		return 0;
	}
	if (is_open_quote(cp))
		return scan_phrase(lx, t);
	if (cp == 0xBB || cp == 0x201D) {
		/* a stray closing quote: punctuation */
		lx->i = next;
		return lex(lx);
	}
	/* -word, +word, -"phrase" */
	if ((cp == '-' || cp == '+') && next < lx->len) {
		size_t n2;
		int32_t c2 = cp_at(lx, next, &n2);
		if (!is_word_end(c2) || is_open_quote(c2) || c2 == '(') {
			int minus = cp == '-';
			size_t col = t->col;
			lx->i = next;
			if (lex(lx) < 0)
				return -1;
			if (lx->tok.kind == T_WORD || lx->tok.kind == T_PHRASE
			    || lx->tok.kind == T_LPAREN) {
				lx->tok.minus = minus;
				lx->tok.plus = !minus;
				lx->tok.col = col;
			}
			return 0;
		}
	}
	/* a word, perhaps field:value */
	size_t start = lx->i, i = lx->i;
	while (i < lx->len) {
		size_t n2;
		int32_t c = cp_at(lx, i, &n2);
		if (is_word_end(c))
			break;
		if (c == ':' && is_field(lx->s + start, i - start)) {
			t->field = lx->s + start;
			t->field_len = i - start;
			size_t vs = n2;
			if (vs < lx->len) {
				size_t n3;
				int32_t c3 = cp_at(lx, vs, &n3);
				if (c3 == '(') {
					t->kind = T_WORD;
					t->field_paren = 1;
					t->s = lx->s + vs;
					t->len = 0;
					lx->i = n3;
					return 0;
				}
				if (is_open_quote(c3)) {
					lx->i = vs;
					token save = *t;
					if (scan_phrase(lx, t) < 0)
						return -1;
					/* a field token whose value is a phrase */
					t->kind = T_WORD;
					t->field = save.field;
					t->field_len = save.field_len;
					t->field_phrase = 1;
					t->col = save.col;
					return 0;
				}
			}
			/* field:word: the value runs to the word's end */
			size_t ve = vs;
			while (ve < lx->len) {
				size_t n3;
				int32_t c3 = cp_at(lx, ve, &n3);
				if (is_word_end(c3))
					break;
				ve = n3;
			}
			if (ve == vs) {
				lx->st = dp_error_set(lx->err, DP_ERR_SYNTAX,
				                      "column %zu: '%.*s:' needs a "
				                      "value", t->col,
				                      (int)t->field_len, t->field);
				return -1;
			}
			t->kind = T_WORD;
			t->s = lx->s + vs;
			t->len = ve - vs;
			lx->i = ve;
			return 0;
		}
		i = n2;
	}
	t->s = lx->s + start;
	t->len = i - start;
	lx->i = i;
	t->kind = T_WORD;
	/* operators are upper case only, so that "et" and "or" stay words */
#define IS(w) (t->len == strlen(w) && memcmp(t->s, w, t->len) == 0)
	if (IS("AND") || IS("ET"))
		t->kind = T_AND;
	else if (IS("OR") || IS("OU"))
		t->kind = T_OR;
	else if (IS("NOT") || IS("SAUF"))
		t->kind = T_NOT;
#undef IS
	return 0;
}

/* ---- parser ----------------------------------------------------------------- */

static dp_qnode *parse_or(lexer *lx, int depth);

static dp_qnode *syntax(lexer *lx, size_t col, const char *what)
{
	lx->st = dp_error_set(lx->err, DP_ERR_SYNTAX, "column %zu: %s", col,
	                      what);
	return NULL;
}

static dp_qnode *nomem(lexer *lx)
{
	lx->st = dp_error_set(lx->err, DP_ERR_NOMEM, "out of memory");
	return NULL;
}

static dp_qnode *text_node(lexer *lx, dp_qkind k, const char *s, size_t n,
                           size_t col)
{
	dp_qnode *q = node_new(k, col);
	if (!q)
		return nomem(lx);
	q->text = strndup(s, n);
	if (!q->text) {
		free(q);
		return nomem(lx);
	}
	return q;
}

static dp_qnode *negate(lexer *lx, dp_qnode *q)
{
	dp_qnode *n = node_new(DP_Q_NOT, q->col);
	if (!n || node_add(n, q) < 0) {
		free(n);
		dp_qnode_free(q);
		return nomem(lx);
	}
	return n;
}

/* A filter term: prefix + the folded value (spaces collapsed). */
static dp_qnode *filter_node(lexer *lx, const char *prefix, const char *v,
                             size_t n, size_t col)
{
	char *f = malloc(n * 3 + strlen(prefix) + 1);
	if (!f)
		return nomem(lx);
	strcpy(f, prefix);
	size_t pl = strlen(prefix);
	size_t fl = dp_utf8_fold(v, n, f + pl);
	size_t o = pl;
	int sp = 1;
	for (size_t i = pl; i < pl + fl; i++) {
		char c = f[i];
		if (c == ' ' || c == '\t') {
			if (!sp)
				f[o++] = ' ';
			sp = 1;
		} else {
			f[o++] = c;
			sp = 0;
		}
	}
	while (o > pl && f[o - 1] == ' ')
		o--;
	f[o] = '\0';
	if (o == pl) {
		free(f);
		return syntax(lx, col, "empty filter value");
	}
	dp_qnode *q = node_new(DP_Q_FILTER, col);
	if (!q) {
		free(f);
		return nomem(lx);
	}
	q->text = f;
	return q;
}

/* Applies a field to every word and phrase of a group. */
static void set_field(dp_qnode *n, dp_qfield f)
{
	if (n->kind == DP_Q_WORD || n->kind == DP_Q_PHRASE)
		n->field = f;
	for (size_t i = 0; i < n->n; i++)
		set_field(n->kids[i], f);
}

#define FIELD_IS(t, name) \
	((t)->field_len == strlen(name) \
	 && strncasecmp((t)->field, name, (t)->field_len) == 0)

/* The node for a field:value token.  *consumed is set when the lexer
 * already stands after the construct. */
static dp_qnode *field_value_inner(lexer *lx, const token *t, int depth,
                                   int *consumed)
{
	const char *v = t->s;
	size_t n = t->len;
	size_t col = t->col;
	if (FIELD_IS(t, "phrase") || FIELD_IS(t, "sentence")
	    || FIELD_IS(t, "paragraphe") || FIELD_IS(t, "paragraph")
	    || FIELD_IS(t, "proche") || FIELD_IS(t, "near")) {
		if (!t->field_paren && !t->field_phrase)
			return syntax(lx, col, "proximity operators take a group: "
			              "write phrase:(a b)");
		dp_qnode *q = node_new(DP_Q_NEAR, col);
		if (!q)
			return nomem(lx);
		q->window = (FIELD_IS(t, "phrase") || FIELD_IS(t, "sentence"))
		                ? DP_SENTENCE_GAP
		            : (FIELD_IS(t, "proche") || FIELD_IS(t, "near"))
		                ? NEAR_WINDOW
		                : DP_PARAGRAPH_GAP;
		/* the group: words and phrases only */
		if (t->field_phrase) {
			dp_qnode *w = text_node(lx, DP_Q_WORD, v, n, col);
			if (!w || node_add(q, w) < 0) {
				dp_qnode_free(w);
				dp_qnode_free(q);
				return nomem(lx);
			}
			return q;
		}
		for (;;) {
			if (lex(lx) < 0) {
				dp_qnode_free(q);
				return NULL;
			}
			if (lx->tok.kind == T_RPAREN)
				break;
			if (lx->tok.kind == T_WORD && !lx->tok.field
			    && !lx->tok.minus) {
				dp_qnode *w = text_node(lx, DP_Q_WORD, lx->tok.s,
				                        lx->tok.len, lx->tok.col);
				if (!w || node_add(q, w) < 0) {
					dp_qnode_free(w);
					dp_qnode_free(q);
					return w ? nomem(lx) : NULL;
				}
				continue;
			}
			if (lx->tok.kind == T_PHRASE) {
				/* a phrase inside: its words count one by one */
				dp_qnode *w = text_node(lx, DP_Q_WORD, lx->tok.s,
				                        lx->tok.len, lx->tok.col);
				if (!w || node_add(q, w) < 0) {
					dp_qnode_free(w);
					dp_qnode_free(q);
					return w ? nomem(lx) : NULL;
				}
				continue;
			}
			dp_qnode_free(q);
			if (lx->tok.kind == T_END)
				return syntax(lx, col, "missing ')'");
			return syntax(lx, lx->tok.col,
			              "only words can go inside a proximity group");
		}
		if (q->n < 2) {
			dp_qnode_free(q);
			return syntax(lx, col, "a proximity group needs two words "
			              "or more");
		}
		return q;
	}
	if (FIELD_IS(t, "titre") || FIELD_IS(t, "headline")
	    || FIELD_IS(t, "title") || FIELD_IS(t, "nom")
	    || FIELD_IS(t, "name")) {
		dp_qfield f = (FIELD_IS(t, "nom") || FIELD_IS(t, "name"))
		                  ? DP_FIELD_NAME : DP_FIELD_HEADLINE;
		dp_qnode *q;
		if (t->field_paren) {
			/* past the field token, into the group */
			if (lex(lx) < 0)
				return NULL;
			if (lx->tok.kind == T_RPAREN)
				return syntax(lx, col, "empty parentheses");
			q = parse_or(lx, depth + 1);
			if (!q)
				return NULL;
			if (lx->tok.kind != T_RPAREN) {
				dp_qnode_free(q);
				return syntax(lx, col, "missing ')'");
			}
			*consumed = 1;
			if (lex(lx) < 0) {
				dp_qnode_free(q);
				return NULL;
			}
			set_field(q, f);
			return q;
		}
		q = text_node(lx, t->field_phrase ? DP_Q_PHRASE : DP_Q_WORD, v, n,
		              col);
		if (q)
			q->field = f;
		return q;
	}
	if (t->field_paren)
		return syntax(lx, col, "this field takes one value, not a group");
	if (FIELD_IS(t, "entite") || FIELD_IS(t, "entity"))
		return text_node(lx, DP_Q_ENTITY, v, n, col);
	if (FIELD_IS(t, "date")) {
		dp_qnode *q;
		lx->st = date_node(v, n, col, &q, lx->err);
		return q;
	}
	const char *prefix = NULL;
	if (FIELD_IS(t, "source"))
		prefix = DP_PREFIX_SOURCE;
	else if (FIELD_IS(t, "lieu") || FIELD_IS(t, "place")
	         || FIELD_IS(t, "dateline"))
		prefix = DP_PREFIX_PLACE;
	else if (FIELD_IS(t, "lang") || FIELD_IS(t, "langue")
	         || FIELD_IS(t, "language"))
		prefix = DP_PREFIX_LANG;
	else if (FIELD_IS(t, "genre"))
		prefix = DP_PREFIX_GENRE;
	else if (FIELD_IS(t, "sujet") || FIELD_IS(t, "subject"))
		prefix = DP_PREFIX_SUBJECT;
	else if (FIELD_IS(t, "slug"))
		prefix = DP_PREFIX_SLUG;
	else if (FIELD_IS(t, "urgence") || FIELD_IS(t, "urgency")) {
		if (n != 1 || v[0] < '1' || v[0] > '9')
			return syntax(lx, col, "urgency is a digit from 1 (flash) "
			              "to 9");
		prefix = DP_PREFIX_URGENCY;
	} else if (FIELD_IS(t, "id")) {
		dp_qnode *q = node_new(DP_Q_FILTER, col);
		if (!q)
			return nomem(lx);
		q->text = malloc(n + 2);
		if (!q->text) {
			free(q);
			return nomem(lx);
		}
		q->text[0] = DP_PREFIX_ID[0];
		memcpy(q->text + 1, v, n);
		q->text[n + 1] = '\0';
		return q;
	}
	if (!prefix)
		return syntax(lx, col, "unknown field");
	return filter_node(lx, prefix, v, n, col);
}

/* field:value, leaving the lexer after it. */
static dp_qnode *field_value(lexer *lx, const token *t, int depth)
{
	int consumed = 0;
	dp_qnode *q = field_value_inner(lx, t, depth, &consumed);
	if (q && !consumed && lex(lx) < 0) {
		dp_qnode_free(q);
		return NULL;
	}
	return q;
}

/* atom := '(' or ')' | PHRASE | WORD | field:value */
static dp_qnode *parse_atom(lexer *lx, int depth)
{
	token t = lx->tok;
	dp_qnode *q = NULL;
	if (depth > 100)
		return syntax(lx, t.col, "query nested too deep");
	switch (t.kind) {
	case T_LPAREN:
		if (lex(lx) < 0)
			return NULL;
		if (lx->tok.kind == T_RPAREN)
			return syntax(lx, t.col, "empty parentheses");
		if (lx->tok.kind == T_END)
			return syntax(lx, t.col, "missing ')' for this '('");
		q = parse_or(lx, depth + 1);
		if (!q)
			return NULL;
		if (lx->tok.kind != T_RPAREN) {
			dp_qnode_free(q);
			return syntax(lx, t.col, "missing ')' for this '('");
		}
		if (lex(lx) < 0) {
			dp_qnode_free(q);
			return NULL;
		}
		break;
	case T_PHRASE:
		q = text_node(lx, DP_Q_PHRASE, t.s, t.len, t.col);
		if (!q)
			return NULL;
		if (lex(lx) < 0) {
			dp_qnode_free(q);
			return NULL;
		}
		break;
	case T_WORD:
		if (t.field) {
			q = field_value(lx, &t, depth);
			if (!q)
				return NULL;
		} else {
			q = text_node(lx, DP_Q_WORD, t.s, t.len, t.col);
			if (!q)
				return NULL;
			if (lex(lx) < 0) {
				dp_qnode_free(q);
				return NULL;
			}
		}
		break;
	case T_RPAREN:
		return syntax(lx, t.col, "unexpected ')'");
	case T_END:
		return syntax(lx, t.col, "query ends where a word was expected");
	case T_AND:
	case T_OR:
	case T_NOT:
		return syntax(lx, t.col, "operator where a word was expected");
	}
	if (t.plus)
		q->required = 1;
	if (t.minus)
		q = negate(lx, q);
	return q;
}

/* and := unary ( [AND] unary | NOT unary )* */
static dp_qnode *parse_and(lexer *lx, int depth)
{
	dp_qnode *left;
	if (lx->tok.kind == T_NOT) {
		size_t col = lx->tok.col;
		char opmsg[96];
		snprintf(opmsg, sizeof opmsg, "'%.*s' needs something to exclude",
		         (int)lx->tok.len, lx->tok.s);
		if (lex(lx) < 0)
			return NULL;
		if (lx->tok.kind == T_END)
			return syntax(lx, col, opmsg);
		left = parse_atom(lx, depth);
		left = left ? negate(lx, left) : NULL;
	} else {
		left = parse_atom(lx, depth);
	}
	if (!left)
		return NULL;
	dp_qnode *and = NULL;
	for (;;) {
		tok_kind k = lx->tok.kind;
		if (k == T_END || k == T_RPAREN || k == T_OR)
			break;
		int implicit = 1, neg = 0;
		size_t col = lx->tok.col;
		if (k == T_AND || k == T_NOT) {
			/* name the operator as it was written (ET, SAUF...) */
			char opmsg[96];
			snprintf(opmsg, sizeof opmsg,
			         k == T_NOT ? "'%.*s' needs something to exclude"
			                    : "'%.*s' needs a right-hand side",
			         (int)lx->tok.len, lx->tok.s);
			implicit = 0;
			neg = k == T_NOT;
			if (lex(lx) < 0)
				goto fail;
			if (lx->tok.kind == T_END || lx->tok.kind == T_RPAREN
			    || lx->tok.kind == T_OR || lx->tok.kind == T_AND) {
				syntax(lx, col, opmsg);
				goto fail;
			}
			if (lx->tok.kind == T_NOT) {
				/* "a AND NOT b", "a ET SAUF b": a without b */
				if (neg) {
					syntax(lx, lx->tok.col,
					       "two operators in a row");
					goto fail;
				}
				size_t ncol = lx->tok.col;
				char nmsg[96];
				snprintf(nmsg, sizeof nmsg,
				         "'%.*s' needs something to exclude",
				         (int)lx->tok.len, lx->tok.s);
				neg = 1;
				if (lex(lx) < 0)
					goto fail;
				if (lx->tok.kind == T_END
				    || lx->tok.kind == T_RPAREN
				    || lx->tok.kind == T_OR
				    || lx->tok.kind == T_AND) {
					syntax(lx, ncol, nmsg);
					goto fail;
				}
				if (lx->tok.kind == T_NOT) {
					syntax(lx, lx->tok.col,
					       "two operators in a row");
					goto fail;
				}
			}
		}
		dp_qnode *right = parse_atom(lx, depth);
		if (!right)
			goto fail;
		if (neg) {
			right = negate(lx, right);
			if (!right)
				goto fail;
		}
		if (!and) {
			and = node_new(DP_Q_AND, left->col);
			if (!and || node_add(and, left) < 0) {
				dp_qnode_free(right);
				free(and);
				and = NULL;
				nomem(lx);
				goto fail;
			}
			and->implicit = implicit;
		} else if (!implicit) {
			and->implicit = 0;
		}
		if (node_add(and, right) < 0) {
			dp_qnode_free(right);
			nomem(lx);
			goto fail;
		}
	}
	return and ? and : left;
fail:
	if (and)
		dp_qnode_free(and);
	else
		dp_qnode_free(left);
	return NULL;
}

static dp_qnode *parse_or(lexer *lx, int depth)
{
	dp_qnode *left = parse_and(lx, depth);
	if (!left)
		return NULL;
	dp_qnode *or = NULL;
	while (lx->tok.kind == T_OR) {
		size_t col = lx->tok.col;
		char opmsg[96];
		snprintf(opmsg, sizeof opmsg, "'%.*s' needs a right-hand side",
		         (int)lx->tok.len, lx->tok.s);
		if (lex(lx) < 0)
			goto fail;
		if (lx->tok.kind == T_END || lx->tok.kind == T_RPAREN
		    || lx->tok.kind == T_OR) {
			syntax(lx, col, opmsg);
			goto fail;
		}
		dp_qnode *right = parse_and(lx, depth);
		if (!right)
			goto fail;
		if (!or) {
			or = node_new(DP_Q_OR, left->col);
			if (!or || node_add(or, left) < 0) {
				free(or);
				or = NULL;
				dp_qnode_free(right);
				nomem(lx);
				goto fail;
			}
		}
		if (node_add(or, right) < 0) {
			dp_qnode_free(right);
			nomem(lx);
			goto fail;
		}
	}
	return or ? or : left;
fail:
	if (or)
		dp_qnode_free(or);
	else
		dp_qnode_free(left);
	return NULL;
}

dp_status dp_query_parse(const char *text, dp_qnode **out, dp_error *err)
{
	*out = NULL;
	lexer lx = {.s = text, .len = strlen(text), .err = err, .st = DP_OK};
	size_t bad;
	if (dp_utf8_count_invalid(text, lx.len, &bad))
		return dp_error_set(err, DP_ERR_SYNTAX,
		                    "column %zu: the query is not valid UTF-8",
		                    column_of(&lx, bad));
	if (lex(&lx) < 0)
		return lx.st;
	if (lx.tok.kind == T_END)
		return dp_error_set(err, DP_ERR_SYNTAX, "column 1: empty query");
	dp_qnode *q = parse_or(&lx, 0);
	if (!q)
		return lx.st != DP_OK ? lx.st
		                      : dp_error_set(err, DP_ERR_SYNTAX,
		                                     "syntax error");
	if (lx.tok.kind != T_END) {
		dp_qnode_free(q);
		if (lx.tok.kind == T_RPAREN)
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: ')' without a matching '('",
			                    lx.tok.col);
		return dp_error_set(err, DP_ERR_SYNTAX,
		                    "column %zu: unexpected text", lx.tok.col);
	}
	*out = q;
	return DP_OK;
}

dp_status dp_query_parse_literal(const char *text, dp_qnode **out,
                                 dp_error *err)
{
	*out = NULL;
	size_t len = strlen(text);
	dp_qnode *and = node_new(DP_Q_AND, 1);
	if (!and)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	and->implicit = 1;
	size_t i = 0;
	while (i < len) {
		while (i < len && (text[i] == ' ' || text[i] == '\t'
		                   || text[i] == '\n' || text[i] == '\r'))
			i++;
		size_t s = i;
		while (i < len && text[i] != ' ' && text[i] != '\t'
		       && text[i] != '\n' && text[i] != '\r')
			i++;
		if (i == s)
			continue;
		dp_qnode *w = node_new(DP_Q_WORD, s + 1);
		if (w)
			w->text = strndup(text + s, i - s);
		if (!w || !w->text || node_add(and, w) < 0) {
			dp_qnode_free(w);
			dp_qnode_free(and);
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
	}
	if (and->n == 0) {
		dp_qnode_free(and);
		return dp_error_set(err, DP_ERR_SYNTAX, "column 1: empty query");
	}
	/* a quotation in the text ("..." or « ... ») is also searched as a
	 * phrase: quoted words are often the dispatch's own */
	for (size_t k = 0; k < len; k++) {
		size_t open_len = 0, close_len = 0;
		const char *close = NULL;
		if (text[k] == '"') {
			open_len = 1;
			close = "\"";
			close_len = 1;
		} else if (!strncmp(text + k, "\xc2\xab", 2)) {   /* « */
			open_len = 2;
			close = "\xc2\xbb";                            /* » */
			close_len = 2;
		}
		if (!open_len)
			continue;
		const char *end = strstr(text + k + open_len, close);
		if (!end)
			break;
		size_t s = k + open_len, e = (size_t)(end - text);
		size_t words = 0;
		for (size_t j = s; j < e; j++)
			if (text[j] == ' ' && j > s && text[j - 1] != ' ')
				words++;
		if (words >= 1 && e - s < 300) {
			dp_qnode *ph = node_new(DP_Q_PHRASE, s + 1);
			if (ph)
				ph->text = strndup(text + s, e - s);
			if (!ph || !ph->text || node_add(and, ph) < 0) {
				dp_qnode_free(ph);
				dp_qnode_free(and);
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "out of memory");
			}
		}
		k = e + close_len - 1;
	}
	*out = and;
	return DP_OK;
}

/* ---- compiler --------------------------------------------------------------- */

typedef struct compiler {
	dp_analyzer *an;
	const dp_profile *p;
	const dp_entities *ents;
	dpx_db *db;
	int implicit_or;
	dp_compiled *out;
	dp_error *err;
	dp_status st;
	dp_tokens *toks;
	const dp_qnode *first_word;  /* the query's first free-text word */
	int any_lower;               /* some word is in lower case */
	int name_mode;               /* the text being compiled is a name */
	int correct;                 /* correct words the index lacks */
	const char *typed;           /* the word being compiled, as typed */
	int only;                    /* dp_score_part: weigh this part alone */
	struct dp_spell_memo *memo;
	int date_day;                /* the previous token is this day */
	int date_day_wday;           /* ... after this weekday (1-7) */
	int date_wday;               /* the previous token is a weekday */
	int date_open;               /* the previous token ended a date */
} compiler;

/* The number of dispatches holding prefix + t, or -1 when the index
 * cannot tell (no database, or an error). */
static long term_freq(compiler *c, const char *prefix, const char *t)
{
	if (!c->db)
		return -1;
	char buf[DP_MAX_WORD * 3 + 16];
	snprintf(buf, sizeof buf, "%s%s", prefix, t);
	uint32_t tf = 0;
	dp_error e = {0};
	if (dpx_db_termfreq(c->db, buf, strlen(buf), &tf, &e) != DP_OK)
		return -1;
	return (long)tf;
}

/* Whether the index holds prefix + t (or cannot tell). */
static int term_indexed(compiler *c, const char *prefix, const char *t)
{
	return term_freq(c, prefix, t) != 0;
}

/* The term to search for t under prefix: t itself, or when the index
 * never saw it and corrections are on, the closest indexed term
 * (recorded for "did you mean").  out holds DP_MAX_WORD * 3 + 1. */
static const char *corrected(compiler *c, const char *prefix, const char *t,
                             int is_name, char *out)
{
	if (!c->correct || !c->db || term_indexed(c, prefix, t))
		return t;
	if (!dp_spell_correct_memo(c->memo, c->db, prefix, t, out,
	                           DP_MAX_WORD * 3 + 1))
		return t;
	size_t k = c->out->corr_word.n;
	if (k < 32 && c->typed && !dp_strset_has(&c->out->corr_word, c->typed)
	    && dp_strset_add(&c->out->corr_word, c->typed) == 0) {
		if (dp_strset_add(&c->out->corr_term, out) < 0)
			c->out->corr_word.n--;  /* keep the two lists paired */
		else if (is_name)
			c->out->corr_names |= 1u << k;
	}
	return out;
}

/* A capitalised word the index does not hold as a name, whose stem the
 * index holds only because other names share it ("Griner" and "Grini" are
 * both "grin"): the word's documents are those names' documents, and a
 * search for one name must not find another. */
typedef struct {
	dp_analyzer *an;
	const char *stem;
	uint64_t tf;            /* documents of the names with that stem */
} same_stem;

static int add_same_stem(void *ctx, const char *term, size_t len,
                         uint32_t termfreq)
{
	same_stem *s = ctx;
	size_t pl = strlen(DP_PREFIX_NAME);
	if (len <= pl || len - pl > DP_MAX_WORD || memchr(term + pl, ' ', len - pl))
		return 0;
	char st[DP_MAX_WORD * 3 + 1];
	dp_analyzer_stem(s->an, term + pl, len - pl, st);
	if (strcmp(st, s->stem) == 0)
		s->tf += termfreq;
	return 0;
}

static int stem_only_of_other_names(compiler *c, const char *stem,
                                    const char *name)
{
	long tf = c->an ? term_freq(c, DP_PREFIX_TEXT, stem) : -1;
	if (tf <= 0)
		return 0;
	char buf[DP_MAX_WORD * 3 + 16];
	dp_error e = {0};
	/* the names that can share the stem begin as this one does: its
	 * first two characters */
	size_t i = 0, n = strlen(name);
	for (int k = 0; k < 2 && i < n; k++)
		(void)dp_utf8_decode(name, n, &i);
	int w = snprintf(buf, sizeof buf, "%s%.*s", DP_PREFIX_NAME, (int)i, name);
	if (w < 0 || (size_t)w >= sizeof buf)
		return 0;
	same_stem s = {c->an, stem, 0};
	if (dpx_db_allterms_each(c->db, buf, add_same_stem, &s, &e) != DP_OK)
		return 0;
	return s.tf >= (uint64_t)tf;
}

/* Whether the index holds name as a name (or cannot tell). */
static int name_indexed(compiler *c, const char *name)
{
	return term_indexed(c, DP_PREFIX_NAME, name);
}

static dpx_query *cnomem(compiler *c)
{
	c->st = dp_error_set(c->err, DP_ERR_NOMEM, "out of memory");
	return NULL;
}

static dpx_query *term_q(compiler *c, const char *prefix, const char *t,
                         uint32_t pos)
{
	char buf[DP_MAX_WORD * 3 + 16];
	snprintf(buf, sizeof buf, "%s%s", prefix, t);
	dpx_query *q = dpx_query_term(buf, strlen(buf), 1, pos);
	return q ? q : cnomem(c);
}

static dpx_query *scaled(compiler *c, dpx_query *q, double w)
{
	if (!q)
		return NULL;
	if (w == 1.0)
		return q;
	dpx_query *s = dpx_query_scale(q, w);
	dpx_query_free(q);
	return s ? s : cnomem(c);
}

/* q weighed w as part k of the score; when compiling one part alone
 * (--explain), the other parts still match but weigh nothing, so that the
 * query keeps its shape and the parts add up to the score. */
static dpx_query *part(compiler *c, dpx_query *q, double w, int k)
{
	if (!q)
		return NULL;
	if (c->only != DP_PART_ALL && c->only != k) {
		dpx_query *s = dpx_query_scale(q, 0);
		dpx_query_free(q);
		return s ? s : cnomem(c);
	}
	return scaled(c, q, w);
}

static dpx_query *combine(compiler *c, dpx_op op, dpx_query **v, size_t n,
                          uint32_t window)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i])
			v[k++] = v[i];
	if (k == 0)
		return NULL;
	if (k == 1 && op != DPX_OP_PHRASE && op != DPX_OP_NEAR)
		return v[0];
	dpx_query *q = dpx_query_combine(op, v, k, window);
	for (size_t i = 0; i < k; i++)
		dpx_query_free(v[i]);
	return q ? q : cnomem(c);
}

static int record_token(compiler *c, const dp_token *t, dp_qfield field)
{
	if (field != DP_FIELD_NAME && dp_strset_add(&c->out->terms, t->term) < 0)
		return -1;
	if (t->name && (t->flags & DP_TOK_CAP)
	    && dp_strset_add(&c->out->names, t->name) < 0)
		return -1;
	return 0;
}

/* With the profile's coordination, a word's query also gives a constant
 * to each dispatch that holds the word. */
static dpx_query *coordinated(compiler *c, dpx_query *q, const char *term)
{
	if (!q || c->p->coordination <= 0)
		return q;
	dpx_query *f[2] = {dpx_query_fixed_weight(c->p->coordination),
	                   term_q(c, DP_PREFIX_TEXT, term, 0)};
	dpx_query *k = f[0] && f[1] ? dpx_query_combine(DPX_OP_FILTER, f, 2, 0)
	                            : NULL;
	dpx_query_free(f[0]);
	dpx_query_free(f[1]);
	if (!k) {
		dpx_query_free(q);
		return cnomem(c);
	}
	if (!(k = part(c, k, 1, DP_PART_COORDINATION))) {
		dpx_query_free(q);
		return NULL;
	}
	dpx_query *v[2] = {q, k};
	return combine(c, DPX_OP_OR, v, 2, 0);
}

/* The query for one analysed token in every field it may be in. */
static dpx_query *token_q(compiler *c, const dp_token *t, dp_qfield field)
{
	if (record_token(c, t, field) < 0)
		return cnomem(c);
	const dp_profile *p = c->p;
	if (field == DP_FIELD_NAME) {
		if (!t->name)
			return NULL;
		return part(c, term_q(c, DP_PREFIX_NAME, t->name, 0), 1,
		            DP_PART_NAMES);
	}
	if (field == DP_FIELD_HEADLINE)
		return part(c, term_q(c, DP_PREFIX_HEADLINE, t->term, 0), 1,
		            DP_PART_HEADLINE);
	int is_name = t->name && (t->flags & DP_TOK_CAP);
	if (is_name && c->name_mode && p->w_names > 0) {
		/* a name: the name, not the common word ("Bout" is not "au
		 * bout de").  A name the index lacks may be misspelled; it
		 * is the word when the index has the word ("Annexion" at the
		 * head of a query), and nothing when only other names share
		 * its stem ("Griner" is not "Grini") */
		char fix[DP_MAX_WORD * 3 + 1];
		const char *nm = t->name;
		int have = name_indexed(c, t->name), others = 0;
		if (!have) {
			others = stem_only_of_other_names(c, t->term, t->name);
			if (others || !term_indexed(c, DP_PREFIX_TEXT, t->term))
				nm = corrected(c, DP_PREFIX_NAME, t->name, 1, fix);
		}
		if (nm != t->name || have) {
			if (nm != t->name && dp_strset_add(&c->out->names, nm) < 0)
				return cnomem(c);
			dpx_query *name = part(c, term_q(c, DP_PREFIX_NAME, nm, 0),
			                       p->w_names, DP_PART_NAMES);
			if (!c->any_lower)
				return name;
			/* inside a sentence-like query, the word also counts,
			 * a little: the text may write the name only at the
			 * start of a sentence */
			dpx_query *v2[2] = {name, NULL};
			if (p->w_body > 0 && p->w_names_as_words > 0)
				v2[1] = part(c, term_q(c, DP_PREFIX_TEXT, t->term, 0),
				             p->w_body * p->w_names_as_words,
				             DP_PART_TEXT);
			return combine(c, DPX_OP_OR, v2, 2, 0);
		}
		if (others)  /* the name, which the index lacks: nothing */
			return part(c, term_q(c, DP_PREFIX_NAME, t->name, 0),
			            p->w_names, DP_PART_NAMES);
	}
	char fixed[DP_MAX_WORD * 3 + 1];
	const char *term = corrected(c, DP_PREFIX_TEXT, t->term, 0, fixed);
	if (term != t->term && dp_strset_add(&c->out->terms, term) < 0)
		return cnomem(c);
	/* the word anywhere, and extra weight in the headline or the lead */
	dpx_query *v[4] = {NULL, NULL, NULL, NULL};
	if (p->w_headline > 0)
		v[0] = part(c, term_q(c, DP_PREFIX_HEADLINE, term, 0),
		            p->w_headline, DP_PART_HEADLINE);
	if (p->w_lead > 0)
		v[1] = part(c, term_q(c, DP_PREFIX_LEAD, term, 0), p->w_lead,
		            DP_PART_LEAD);
	if (p->w_body > 0)
		v[2] = part(c, term_q(c, DP_PREFIX_TEXT, term, 0), p->w_body,
		            DP_PART_TEXT);
	if (p->w_names > 0 && is_name)
		v[3] = part(c, term_q(c, DP_PREFIX_NAME, t->name, 0),
		            p->w_names < 1 ? p->w_names : 1, DP_PART_NAMES);
	if (c->st != DP_OK) {
		for (int i = 0; i < 4; i++)
			dpx_query_free(v[i]);
		return NULL;
	}
	dpx_query *q = combine(c, DPX_OP_OR, v, 4, 0);
	if (q && (t->flags & DP_TOK_NUMBER) && p->w_numbers != 1)
		q = scaled(c, q, p->w_numbers);
	return coordinated(c, q, term);
}

/* A phrase of tokens [from, to) in one term space. */
static dpx_query *phrase_in(compiler *c, const dp_tokens *toks, size_t from,
                            size_t to, const char *prefix, int names)
{
	size_t n = to - from;
	dpx_query **v = calloc(n, sizeof *v);
	if (!v)
		return cnomem(c);
	uint32_t base = dp_tokens_get(toks, from)->pos;
	uint32_t span = 0;
	for (size_t i = 0; i < n; i++) {
		const dp_token *t = dp_tokens_get(toks, from + i);
		if (names && !t->name) {
			for (size_t k = 0; k < i; k++)
				dpx_query_free(v[k]);
			free(v);
			return NULL;
		}
		v[i] = term_q(c, prefix, names ? t->name : t->term,
		              t->pos - base + 1);
		if (!v[i]) {
			for (size_t k = 0; k < i; k++)
				dpx_query_free(v[k]);
			free(v);
			return NULL;
		}
		span = t->pos - base + 1;
	}
	dpx_query *q = dpx_query_combine(DPX_OP_PHRASE, v, n, span);
	for (size_t i = 0; i < n; i++)
		dpx_query_free(v[i]);
	free(v);
	return q ? q : cnomem(c);
}

/* All the terms of tokens [from, to) in one field (no positions). */
static dpx_query *all_in(compiler *c, const dp_tokens *toks, size_t from,
                         size_t to, const char *prefix)
{
	size_t n = to - from;
	dpx_query **v = calloc(n, sizeof *v);
	if (!v)
		return cnomem(c);
	for (size_t i = 0; i < n; i++)
		v[i] = term_q(c, prefix, dp_tokens_get(toks, from + i)->term, 0);
	dpx_query *q = c->st == DP_OK ? combine(c, DPX_OP_AND, v, n, 0) : NULL;
	if (c->st != DP_OK)
		for (size_t i = 0; i < n; i++)
			dpx_query_free(v[i]);
	free(v);
	return q;
}

/* Tokens [from, to) as a phrase in every field. */
static dpx_query *phrase_q(compiler *c, const dp_tokens *toks, size_t from,
                           size_t to, dp_qfield field)
{
	if (to - from == 1)
		return token_q(c, dp_tokens_get(toks, from), field);
	int all_caps = 1;
	for (size_t i = from; i < to; i++) {
		const dp_token *t = dp_tokens_get(toks, i);
		if (record_token(c, t, field) < 0)
			return cnomem(c);
		if (!(t->flags & DP_TOK_CAP))
			all_caps = 0;
	}
	const dp_profile *p = c->p;
	if (field == DP_FIELD_NAME)
		return part(c, phrase_in(c, toks, from, to, DP_PREFIX_NAME, 1), 1,
		            DP_PART_NAMES);
	if (field == DP_FIELD_HEADLINE) {
		/* headline words have no positions: all of them in the
		 * headline, and the phrase in the text */
		dpx_query *v[2] = {part(c, all_in(c, toks, from, to,
		                                  DP_PREFIX_HEADLINE), 1,
		                        DP_PART_HEADLINE),
		                   phrase_in(c, toks, from, to, DP_PREFIX_TEXT, 0)};
		if (c->st != DP_OK) {
			dpx_query_free(v[0]);
			dpx_query_free(v[1]);
			return NULL;
		}
		return combine(c, DPX_OP_FILTER, v, 2, 0);
	}
	if (all_caps && c->name_mode && p->w_names > 0) {
		int indexed = 1;
		for (size_t i = from; i < to && indexed; i++)
			indexed = name_indexed(c, dp_tokens_get(toks, i)->name);
		if (indexed)
			return part(c, phrase_in(c, toks, from, to,
			                         DP_PREFIX_NAME, 1),
			            p->w_names, DP_PART_NAMES);
	}
	/* the phrase in the text (or, for names, as names); extra weight
	 * when its words are all in the headline or the lead */
	dpx_query *v[2] = {NULL, NULL};
	v[0] = part(c, phrase_in(c, toks, from, to, DP_PREFIX_TEXT, 0),
	            p->w_body > 0 ? p->w_body : 1, DP_PART_TEXT);
	if (p->w_names > 0 && all_caps)
		v[1] = part(c, phrase_in(c, toks, from, to, DP_PREFIX_NAME, 1),
		            p->w_names < 1 ? p->w_names : 1, DP_PART_NAMES);
	dpx_query *main = combine(c, DPX_OP_OR, v, 2, 0);
	dpx_query *x[2] = {NULL, NULL};
	if (main && p->w_headline > 0)
		x[0] = part(c, all_in(c, toks, from, to, DP_PREFIX_HEADLINE),
		            p->w_headline, DP_PART_HEADLINE);
	if (main && p->w_lead > 0)
		x[1] = part(c, all_in(c, toks, from, to, DP_PREFIX_LEAD),
		            p->w_lead, DP_PART_LEAD);
	dpx_query *extra = combine(c, DPX_OP_OR, x, 2, 0);
	if (c->st != DP_OK) {
		dpx_query_free(main);
		dpx_query_free(extra);
		return NULL;
	}
	if (!extra)
		return main;
	dpx_query *m[2] = {main, extra};
	return combine(c, DPX_OP_AND_MAYBE, m, 2, 0);
}

static dp_status analyse(compiler *c, const char *text)
{
	dp_tokens_reset(c->toks);
	return dp_analyze(c->an, text, strlen(text), 1, DP_ANALYZE_QUERY,
	                  c->toks, c->err);
}

/* Whether a word node is only a stop word. */
static int is_stop_word(compiler *c, const dp_qnode *n)
{
	if (n->kind != DP_Q_WORD || n->field != DP_FIELD_ANY)
		return 0;
	if (analyse(c, n->text) != DP_OK)
		return 0;
	size_t k = dp_tokens_count(c->toks);
	if (k == 0)
		return 1; /* punctuation only */
	for (size_t i = 0; i < k; i++)
		if (!(dp_tokens_get(c->toks, i)->flags & DP_TOK_STOP))
			return 0;
	return 1;
}

static dpx_query *compile(compiler *c, const dp_qnode *n);

/* Compiles what a query excludes: its words are neither highlighted nor
 * counted as text. */
static dpx_query *compile_excluded(compiler *c, const dp_qnode *n)
{
	size_t nt = c->out->terms.n, nn = c->out->names.n;
	int has_text = c->out->has_text;
	size_t n_words = c->out->n_words;
	int correct = c->correct;
	c->correct = 0;  /* what is excluded is taken as typed */
	dpx_query *q = compile(c, n);
	c->correct = correct;
	while (c->out->terms.n > nt)
		free(c->out->terms.v[--c->out->terms.n]);
	while (c->out->names.n > nn)
		free(c->out->names.v[--c->out->names.n]);
	c->out->has_text = has_text;
	c->out->n_words = n_words;
	return q;
}

/* Positional alternatives of one word, for proximity groups: the word in
 * every field and as a name (positions are unique in a document, so one
 * window spans all). */
static dpx_query *near_word(compiler *c, const dp_token *t)
{
	if (record_token(c, t, DP_FIELD_ANY) < 0)
		return cnomem(c);
	dpx_query *v[4];
	v[0] = NULL;
	v[1] = NULL;
	v[2] = term_q(c, DP_PREFIX_TEXT, t->term, 0);
	v[3] = (t->name && (t->flags & DP_TOK_CAP))
	           ? term_q(c, DP_PREFIX_NAME, t->name, 0) : NULL;
	if (c->st != DP_OK) {
		for (int i = 0; i < 4; i++)
			dpx_query_free(v[i]);
		return NULL;
	}
	return combine(c, DPX_OP_OR, v, 4, 0);
}

static dpx_query *compile_near(compiler *c, const dp_qnode *n)
{
	size_t cap = 0, k = 0;
	dpx_query **v = NULL;
	for (size_t i = 0; i < n->n; i++) {
		if (analyse(c, n->kids[i]->text) != DP_OK) {
			c->st = c->err->status;
			goto fail;
		}
		size_t nt = dp_tokens_count(c->toks);
		for (size_t j = 0; j < nt; j++) {
			const dp_token *t = dp_tokens_get(c->toks, j);
			if (t->flags & DP_TOK_STOP)
				continue;
			if (k == cap) {
				cap = cap ? cap * 2 : 8;
				dpx_query **nv = realloc(v, cap * sizeof *nv);
				if (!nv) {
					cnomem(c);
					goto fail;
				}
				v = nv;
			}
			v[k] = near_word(c, t);
			if (!v[k])
				goto fail;
			k++;
		}
	}
	if (k < 2) {
		for (size_t i = 0; i < k; i++)
			dpx_query_free(v[i]);
		free(v);
		c->st = dp_error_set(c->err, DP_ERR_SYNTAX,
		                     "column %zu: a proximity group needs two "
		                     "words that are not stop words", n->col);
		return NULL;
	}
	c->out->n_words += k;
	dpx_query *q = dpx_query_combine(DPX_OP_NEAR, v, k, n->window);
	for (size_t i = 0; i < k; i++)
		dpx_query_free(v[i]);
	free(v);
	c->out->has_text = 1;
	return q ? q : cnomem(c);
fail:
	for (size_t i = 0; i < k; i++)
		dpx_query_free(v[i]);
	free(v);
	return NULL;
}

/* Strings in one term space combined with op (a phrase, or AND), or a
 * term for one string. */
static dpx_query *strings_combine(compiler *c, const char *prefix,
                                  const char *const *s, size_t n, dpx_op op)
{
	if (n == 1)
		return term_q(c, prefix, s[0], 0);
	dpx_query **v = calloc(n, sizeof *v);
	if (!v)
		return cnomem(c);
	for (size_t i = 0; i < n; i++)
		if (!(v[i] = term_q(c, prefix, s[i], (uint32_t)(i + 1)))) {
			for (size_t k = 0; k < i; k++)
				dpx_query_free(v[k]);
			free(v);
			return NULL;
		}
	dpx_query *q = dpx_query_combine(op, v, n,
	                                 op == DPX_OP_PHRASE ? (uint32_t)n : 0);
	for (size_t i = 0; i < n; i++)
		dpx_query_free(v[i]);
	free(v);
	return q ? q : cnomem(c);
}

/* A phrase of strings in one term space (or a term for one). */
static dpx_query *strings_phrase(compiler *c, const char *prefix,
                                 const char *const *s, size_t n)
{
	return strings_combine(c, prefix, s, n, DPX_OP_PHRASE);
}

/* An entity named in the query: any of its spellings.  A spelling made
 * of capitalised words is searched as a name; others as words. */
/* An acronym as written: two or more capitals, no small letter ("USA",
 * "OTAN"). */
static int is_acronym(const char *text)
{
	size_t caps = 0;
	for (const char *t = text; *t; t++) {
		if (*t >= 'A' && *t <= 'Z')
			caps++;
		else if (*t != '.')
			return 0;
	}
	return caps >= 2;
}

static dpx_query *entity_q(compiler *c, const dp_entity *e)
{
	const dp_profile *p = c->p;
	size_t cap = e->nv * 3, k = 0, n1 = 0;
	dpx_query **v = calloc(cap, sizeof *v);
	const char **one = calloc(e->nv, sizeof *one);
	if (!v || !one) {
		free(v);
		free(one);
		return cnomem(c);
	}
	/* the one-word spellings the index holds as names ("Lavrov") */
	for (size_t i = 0; i < e->nv; i++) {
		const dp_variant *var = &e->v[i];
		if (var->names && var->n == 1 && name_indexed(c, var->words[0]))
			one[n1++] = var->words[0];
	}
	for (size_t i = 0; i < e->nv && c->st == DP_OK; i++) {
		const dp_variant *var = &e->v[i];
		for (size_t j = 0; j < var->n; j++) {
			if (dp_strset_add(var->names ? &c->out->names
			                             : &c->out->terms,
			                  var->names ? var->words[j]
			                             : var->stems[j]) < 0)
				cnomem(c);
		}
		int indexed = var->names, covered = 0;
		for (size_t j = 0; j < var->n && indexed; j++)
			indexed = name_indexed(c, var->words[j]);
		for (size_t j = 0; var->n > 1 && indexed && j < var->n; j++)
			for (size_t m = 0; m < n1; m++)
				covered |= strcmp(var->words[j], one[m]) == 0;
		if (indexed) {
			/* a spelling that a one-word spelling the index holds
			 * already finds ("Sergueï Lavrov" when "Lavrov" is one)
			 * only adds weight: its names together, without the
			 * phrase, which is dear to check in every dispatch
			 * that has the name */
			v[k++] = part(c, strings_combine(c, DP_PREFIX_NAME,
			                                 var->words, var->n,
			                                 covered ? DPX_OP_AND
			                                         : DPX_OP_PHRASE),
			              p->w_names, DP_PART_NAMES);
		} else if (var->names && var->n == 1
		           && stem_only_of_other_names(c, var->stems[0],
		                                       var->words[0])) {
			continue;  /* another name's stem ("Grini" for "Griner") */
		} else if (var->names && var->n == 1
		           && is_acronym(var->text)) {
			continue;  /* "USA" is not the verb "usa" */
		} else if (p->w_body > 0) {
			/* a spelling with words in lower case, or a name the
			 * index never holds as one: as words */
			v[k++] = part(c, strings_phrase(c, DP_PREFIX_TEXT,
			                                var->stems, var->n),
			              p->w_body, DP_PART_TEXT);
		}
	}
	free(one);
	if (c->st != DP_OK) {
		for (size_t i = 0; i < k; i++)
			dpx_query_free(v[i]);
		free(v);
		return NULL;
	}
	dpx_query *q = k ? combine(c, DPX_OP_OR, v, k, 0) : NULL;
	free(v);
	if (!q && c->st == DP_OK)
		q = dpx_query_match_nothing();
	return q;
}

/* The weekday a folded word names: 1 Monday .. 7 Sunday, or 0. */
static int weekday_of(const char *w)
{
	static const char *const days[7] = {"lundi", "mardi", "mercredi",
	                                    "jeudi", "vendredi", "samedi",
	                                    "dimanche"};
	for (int d = 0; d < 7; d++)
		if (!strcmp(w, days[d]))
			return d + 1;
	return 0;
}

/* The weekdays a text names, as bits (Monday = bit 0). */
static unsigned weekdays_of(const dp_tokens *t)
{
	unsigned bits = 0;
	for (size_t i = 0; i < dp_tokens_count(t); i++) {
		int d = weekday_of(dp_tokens_get(t, i)->word);
		if (d)
			bits |= 1u << (d - 1);
	}
	return bits;
}

static dpx_query *compile_text(compiler *c, const dp_qnode *n)
{
	if (analyse(c, n->text) != DP_OK) {
		c->st = c->err->status;
		return NULL;
	}
	size_t k = dp_tokens_count(c->toks);
	if (k == 0)
		return NULL;
	c->out->weekdays |= weekdays_of(c->toks);
	c->out->has_text = 1;
	c->out->n_words++;
	c->name_mode = (dp_tokens_get(c->toks, 0)->flags & DP_TOK_CAP)
	               && (n != c->first_word || !c->any_lower);
	c->typed = n->kind == DP_Q_WORD ? n->text : NULL;
	if (c->name_mode && n->field == DP_FIELD_ANY && c->ents) {
		/* a phrase that is an entity's name: all its spellings */
		const char *w[16];
		size_t nw = k < 16 ? k : 16;
		for (size_t i = 0; i < nw; i++) {
			const dp_token *t = dp_tokens_get(c->toks, i);
			w[i] = t->name ? t->name : t->word;
		}
		const dp_entity *e;
		if (k <= 16 && dp_entities_match(c->ents, w, nw, &e) == k) {
			dpx_query *q = entity_q(c, e);
			c->name_mode = 0;
			return q;
		}
	}
	/* "porte-parole", "Etats-Unis": a word of several parts is a phrase
	 * of them, with stop words kept */
	dpx_query *q = phrase_q(c, c->toks, 0, k, n->field);
	c->name_mode = 0;
	c->typed = NULL;
	return q;
}

static dpx_query *live_q(compiler *c)
{
	dpx_query *q = dpx_query_term(DP_TERM_LIVE, strlen(DP_TERM_LIVE), 1, 0);
	return q ? q : cnomem(c);
}

/* For the words of an implicit AND (free text), extra weight when they
 * stand next to each other (phrase) or near (window): the profile's
 * proximity boosts.  Returns main, wrapped in AND_MAYBE when boosted. */
static dpx_query *proximity_boost(compiler *c, const dp_qnode *n,
                                  int drop_stops, dpx_query *main)
{
	const dp_profile *p = c->p;
	if (p->phrase_boost <= 0 && p->near_boost <= 0)
		return main;
	dpx_query *words[MAX_PROXIMITY_WORDS];
	uint32_t at[MAX_PROXIMITY_WORDS];  /* place in the query */
	size_t k = 0;
	uint32_t doccount = 0;
	if (c->db) {
		dp_error e = {0};
		dpx_db_doccount(c->db, &doccount, &e);
	}
	for (size_t i = 0; i < n->n && k < MAX_PROXIMITY_WORDS; i++) {
		const dp_qnode *w = n->kids[i];
		if (w->kind != DP_Q_WORD || w->field != DP_FIELD_ANY)
			continue;
		if (drop_stops && is_stop_word(c, w))
			continue;
		if (analyse(c, w->text) != DP_OK) {
			c->st = c->err->status;
			break;
		}
		if (dp_tokens_count(c->toks) != 1)
			continue;
		const dp_token *t = dp_tokens_get(c->toks, 0);
		/* only words that say something: not in more than one
		 * dispatch in twenty */
		if (doccount >= 100) {
			uint32_t tf = 0;
			dp_error e = {0};
			if (dpx_db_termfreq(c->db, t->term, strlen(t->term), &tf, &e)
			    == DP_OK && tf > doccount / 20)
				continue;
		}
		words[k] = near_word(c, t);
		if (!words[k])
			break;
		at[k] = (uint32_t)i;
		k++;
	}
	/* consecutive pairs of words: adjacent, stop words between them
	 * counted (phrase), or near (window) */
	dpx_query *boost[2 * MAX_PROXIMITY_WORDS];
	size_t nb = 0;
	for (size_t i = 0; c->st == DP_OK && i + 1 < k; i++) {
		dpx_query *pair[2] = {words[i], words[i + 1]};
		if (p->phrase_boost > 0) {
			dpx_query *ph = dpx_query_combine(DPX_OP_PHRASE, pair, 2,
			                                  at[i + 1] - at[i] + 1);
			boost[nb++] = ph ? part(c, ph, p->phrase_boost,
			                        DP_PART_PROXIMITY)
			                 : cnomem(c);
		}
		if (p->near_boost > 0) {
			dpx_query *nr = dpx_query_combine(DPX_OP_NEAR, pair, 2,
			                                  p->near_window);
			boost[nb++] = nr ? part(c, nr, p->near_boost,
			                        DP_PART_PROXIMITY)
			                 : cnomem(c);
		}
	}
	for (size_t i = 0; i < k; i++)
		dpx_query_free(words[i]);
	dpx_query *b = combine(c, DPX_OP_OR, boost, nb, 0);
	if (!b)
		return main;
	dpx_query *v[2] = {main, b};
	return combine(c, DPX_OP_AND_MAYBE, v, 2, 0);
}

/* In an implicit group, the words from child i on that name an entity
 * ("Sergei Lavrov" as two words): returns how many children the entity
 * takes (0 when none) and the entity in *e. */
static size_t entity_run(compiler *c, const dp_qnode *n, size_t i,
                         const dp_entity **e)
{
	*e = NULL;
	if (!c->ents)
		return 0;
	const char *w[16];
	size_t end_of[16];   /* token count at the end of each child */
	size_t nw = 0, nk = 0;
	dp_arena mem = DP_ARENA_INIT;
	for (size_t k = i; k < n->n && nk < 16; k++) {
		const dp_qnode *x = n->kids[k];
		if (x->kind != DP_Q_WORD || x->field != DP_FIELD_ANY || x->required)
			break;
		if (k == i && x == c->first_word && c->any_lower)
			break; /* a capitalised first word is not a name */
		if (analyse(c, x->text) != DP_OK)
			break;
		size_t nt = dp_tokens_count(c->toks);
		if (nt == 0 || !(dp_tokens_get(c->toks, 0)->flags & DP_TOK_CAP))
			break;
		for (size_t j = 0; j < nt && nw < 16; j++) {
			const dp_token *t = dp_tokens_get(c->toks, j);
			const char *s = t->name ? t->name : t->word;
			w[nw] = dp_arena_strndup(&mem, s, strlen(s));
			if (!w[nw])
				break;
			nw++;
		}
		end_of[nk++] = nw;
	}
	size_t taken = 0;
	const dp_entity *found = NULL;
	size_t len = nw ? dp_entities_match(c->ents, w, nw, &found) : 0;
	for (size_t k = 0; found && k < nk; k++)
		if (end_of[k] == len) {
			taken = k + 1;
			*e = found;
		}
	dp_arena_release(&mem);
	return taken;
}

/* AND or OR node: positives combined, filters applied, negatives removed. */
static dpx_query *compile_bool(compiler *c, const dp_qnode *n)
{
	int is_and = n->kind == DP_Q_AND;
	int implicit = is_and && n->implicit;
	if (implicit)
		c->out->n_implicit++;
	dpx_op op = is_and ? ((implicit && c->implicit_or) || (implicit
	                       && !c->p->default_and)
	                          ? DPX_OP_OR : DPX_OP_AND)
	                   : DPX_OP_OR;

	/* stop words go when something else is left */
	int drop_stops = 0;
	if (implicit) {
		size_t content = 0;
		for (size_t i = 0; i < n->n; i++) {
			const dp_qnode *k = n->kids[i];
			if (k->kind == DP_Q_WORD && is_stop_word(c, k))
				continue;
			if (k->kind != DP_Q_NOT)
				content++;
		}
		drop_stops = content > 0;
	}

	size_t cap = n->n;
	dpx_query **pos = calloc(cap, sizeof *pos);
	dpx_query **filt = calloc(cap, sizeof *filt);
	dpx_query **neg = calloc(cap, sizeof *neg);
	dpx_query **req = calloc(cap, sizeof *req);
	size_t np = 0, nf = 0, nn = 0, nr = 0;
	dpx_query *result = NULL;
	if (!pos || !filt || !neg || !req) {
		cnomem(c);
		goto out;
	}
	for (size_t i = 0; i < n->n; i++) {
		const dp_qnode *k = n->kids[i];
		const dp_entity *ent;
		size_t run = implicit ? entity_run(c, n, i, &ent) : 0;
		if (run) {
			/* words that name an entity: all its spellings */
			dpx_query *q = entity_q(c, ent);
			if (c->st != DP_OK)
				goto out;
			c->out->has_text = 1;
			c->out->n_words++;
			if (q)
				pos[np++] = q;
			i += run - 1;
			continue;
		}
		if (drop_stops && k->kind == DP_Q_WORD && is_stop_word(c, k))
			continue;
		if (is_and && k->kind == DP_Q_NOT) {
			dpx_query *q = compile_excluded(c, k->kids[0]);
			if (c->st != DP_OK)
				goto out;
			if (q)
				neg[nn++] = q;
			continue;
		}
		if (is_and && (k->kind == DP_Q_FILTER || k->kind == DP_Q_DATE)) {
			dpx_query *q = compile(c, k);
			if (c->st != DP_OK)
				goto out;
			if (q)
				filt[nf++] = q;
			continue;
		}
		dpx_query *q = compile(c, k);
		if (c->st != DP_OK)
			goto out;
		if (q && op == DPX_OP_OR && k->required)
			req[nr++] = q;
		else if (q)
			pos[np++] = q;
	}
	dpx_query *main = np ? combine(c, op, pos, np, 0) : NULL;
	np = 0;
	if (c->st != DP_OK)
		goto out;
	if (nr) {
		/* +words stay required when the others are optional */
		dpx_query *r = combine(c, DPX_OP_AND, req, nr, 0);
		nr = 0;
		if (r && main) {
			dpx_query *v[2] = {r, main};
			main = combine(c, DPX_OP_AND_MAYBE, v, 2, 0);
		} else if (r) {
			main = r;
		}
	}
	if (c->st != DP_OK)
		goto out;
	if (main && implicit)
		main = proximity_boost(c, n, drop_stops, main);
	if (c->st != DP_OK)
		goto out;
	if (nf) {
		dpx_query *f = combine(c, DPX_OP_AND, filt, nf, 0);
		nf = 0;
		if (!f) {
			dpx_query_free(main);
			goto out;
		}
		if (main) {
			dpx_query *v[2] = {main, f};
			main = combine(c, DPX_OP_FILTER, v, 2, 0);
		} else {
			/* filters alone: weightless, every live dispatch */
			dpx_query *v[2] = {live_q(c), f};
			main = combine(c, DPX_OP_FILTER, v, 2, 0);
		}
		if (!main)
			goto out;
	}
	if (nn) {
		dpx_query *ng = combine(c, DPX_OP_OR, neg, nn, 0);
		nn = 0;
		if (!ng) {
			dpx_query_free(main);
			goto out;
		}
		if (!main)
			main = live_q(c);
		dpx_query *v[2] = {main, ng};
		main = combine(c, DPX_OP_AND_NOT, v, 2, 0);
	}
	result = main;
out:
	for (size_t i = 0; i < np; i++)
		dpx_query_free(pos[i]);
	for (size_t i = 0; i < nf; i++)
		dpx_query_free(filt[i]);
	for (size_t i = 0; i < nn; i++)
		dpx_query_free(neg[i]);
	for (size_t i = 0; i < nr; i++)
		dpx_query_free(req[i]);
	free(pos);
	free(filt);
	free(neg);
	free(req);
	return result;
}

static dpx_query *compile(compiler *c, const dp_qnode *n)
{
	switch (n->kind) {
	case DP_Q_WORD:
	case DP_Q_PHRASE:
		return compile_text(c, n);
	case DP_Q_AND:
	case DP_Q_OR:
		return compile_bool(c, n);
	case DP_Q_NOT: {
		/* a lone negation: everything but it */
		dpx_query *x = compile_excluded(c, n->kids[0]);
		if (!x)
			return NULL;
		dpx_query *v[2] = {live_q(c), x};
		return combine(c, DPX_OP_AND_NOT, v, 2, 0);
	}
	case DP_Q_FILTER: {
		dpx_query *q = dpx_query_term(n->text, strlen(n->text), 1, 0);
		if (!q)
			return cnomem(c);
		if (n->text[0] == DP_PREFIX_ID[0]) {
			/* a killed story keeps its id term: never show it */
			dpx_query *v[2] = {q, live_q(c)};
			q = combine(c, DPX_OP_FILTER, v, 2, 0);
			if (!q)
				return NULL;
		}
		/* filters never weigh */
		dpx_query *s = dpx_query_scale(q, 0.0);
		dpx_query_free(q);
		return s ? s : cnomem(c);
	}
	case DP_Q_DATE: {
		dpx_query *q = dpx_query_value_range(DP_SLOT_DAY,
		                                     *n->text ? n->text : NULL,
		                                     *n->text2 ? n->text2 : NULL);
		if (!q)
			return cnomem(c);
		dpx_query *s = dpx_query_scale(q, 0.0);
		dpx_query_free(q);
		return s ? s : cnomem(c);
	}
	case DP_Q_NEAR:
		return part(c, compile_near(c, n), 1, DP_PART_TEXT);
	case DP_Q_ENTITY: {
		const dp_entity *e = dp_entities_find(c->ents, c->an, n->text);
		if (!e) {
			c->st = dp_error_set(c->err, DP_ERR_SYNTAX,
			                     "column %zu: no entity '%s' in %s",
			                     n->col, n->text,
			                     c->ents ? dp_entities_file(c->ents)
			                             : "entities.yaml");
			return NULL;
		}
		c->out->has_text = 1;
		c->out->n_words++;
		return entity_q(c, e);
	}
	}
	return NULL;
}

/* A day of the month as written before a month's name: "3", "03",
 * "1er"; 0 otherwise. */
static int day_number(const char *w)
{
	int d = 0;
	size_t i = 0;
	for (; w[i] >= '0' && w[i] <= '9' && i < 2; i++)
		d = d * 10 + (w[i] - '0');
	if (i == 0 || d < 1 || d > 31)
		return 0;
	if (!w[i] || (d == 1 && !strcmp(w + i, "er")))
		return d;
	return 0;
}

/* Follows the free text's tokens in order for the dates they name: a day
 * then a month ("3 décembre", "1er mai"), and a year after them when
 * there is one ("3 décembre 2019"); a weekday just before the day
 * ("mardi 3 décembre") is kept with the date. */
static void date_token(compiler *c, const dp_token *t)
{
	static const char *const months[12] = {
	    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet",
	    "aout", "septembre", "octobre", "novembre", "decembre"};
	static const int mdays[12] = {31, 29, 31, 30, 31, 30,
	                              31, 31, 30, 31, 30, 31};
	dp_compiled *o = c->out;
	const char *w = t->word ? t->word : t->term;
	int day = c->date_day, open = c->date_open, wday = c->date_wday;
	int day_wday = c->date_day_wday;
	c->date_day = 0;
	c->date_day_wday = 0;
	c->date_wday = 0;
	c->date_open = 0;
	if ((c->date_wday = weekday_of(w)) > 0)
		return;
	if (open && strlen(w) == 4 && w[0] >= '1' && w[0] <= '2'
	    && strspn(w, "0123456789") == 4) {
		uint32_t y = (uint32_t)atoi(w);
		if (y >= 1800 && y <= 2199)
			o->dates[o->n_dates - 1] += y * 10000;
		return;
	}
	if (day) {
		for (int m = 0; m < 12; m++)
			if (!strcmp(w, months[m])) {
				if (day <= mdays[m]
				    && o->n_dates < DP_MAX_QUERY_DATES) {
					o->dates[o->n_dates++] =
					    (uint32_t)day_wday * 100000000u
					    + (uint32_t)((m + 1) * 100 + day);
					c->date_open = 1;
				}
				return;
			}
	}
	if ((c->date_day = day_number(w)) > 0)
		c->date_day_wday = wday;
}

/* Finds the query's first free-text word and whether any word is in
 * lower case (words under NOT aside), and the dates the text names. */
static void scan_words(compiler *c, const dp_qnode *n)
{
	if (n->kind == DP_Q_NOT)
		return;
	if ((n->kind == DP_Q_WORD || n->kind == DP_Q_PHRASE)
	    && n->field == DP_FIELD_ANY) {
		if (!c->first_word)
			c->first_word = n;
		if (analyse(c, n->text) == DP_OK) {
			c->out->n_typed += dp_tokens_count(c->toks);
			for (size_t i = 0; i < dp_tokens_count(c->toks); i++) {
				const dp_token *t = dp_tokens_get(c->toks, i);
				if (!(t->flags & (DP_TOK_CAP | DP_TOK_STOP
				                  | DP_TOK_NUMBER)))
					c->any_lower = 1;
				date_token(c, t);
			}
		}
	}
	for (size_t i = 0; i < n->n; i++)
		scan_words(c, n->kids[i]);
}

dp_status dp_query_compile(const dp_qnode *tree, const dp_compile_env *env,
                           int implicit_or, dp_compiled *out, dp_error *err)
{
	memset(out, 0, sizeof *out);
	compiler c = {.an = env->an, .p = env->profile, .ents = env->entities,
	              .db = env->db, .implicit_or = implicit_or, .out = out,
	              .err = err, .st = DP_OK, .correct = env->correct,
	              .only = env->only, .memo = env->memo};
	c.toks = dp_tokens_new();
	if (!c.toks)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	scan_words(&c, tree);
	dpx_query *q = compile(&c, tree);
	dp_tokens_free(c.toks);
	if (c.st != DP_OK) {
		dpx_query_free(q);
		dp_compiled_release(out);
		return c.st;
	}
	if (!q) {
		/* only punctuation or stop words in a group */
		q = dpx_query_match_nothing();
		if (!q)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	out->q = q;
	return DP_OK;
}

void dp_compiled_release(dp_compiled *c)
{
	dpx_query_free(c->q);
	c->q = NULL;
	dp_strset_release(&c->terms);
	dp_strset_release(&c->names);
	dp_strset_release(&c->corr_word);
	dp_strset_release(&c->corr_term);
}
