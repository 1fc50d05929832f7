/* query-parse.c: the query language's lexer and parser, and the tree they
 * build (dp_qnode).  See query.h and depeche-query(7); query-plan.c
 * compiles the tree into a Xapian query, query-date.c reads its dates. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer.h"
#include "query-private.h"
#include "query.h"
#include "schema.h"
#include "utf8.h"

/* Window of proche:/near: */
#define NEAR_WINDOW 10


/* ---- nodes ------------------------------------------------------------------ */

dp_qnode *dp_qnode_new(dp_qkind k, size_t col)
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

int dp_qnode_add(dp_qnode *p, dp_qnode *kid)
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
	dp_qnode *n = dp_qnode_new(DP_Q_AND, a->col);
	if (!n || dp_qnode_add(n, a) < 0 || dp_qnode_add(n, b) < 0) {
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
	dp_qnode *q = dp_qnode_new(k, col);
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
	dp_qnode *n = dp_qnode_new(DP_Q_NOT, q->col);
	if (!n || dp_qnode_add(n, q) < 0) {
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
	dp_qnode *q = dp_qnode_new(DP_Q_FILTER, col);
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
		dp_qnode *q = dp_qnode_new(DP_Q_NEAR, col);
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
			if (!w || dp_qnode_add(q, w) < 0) {
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
			/* a word, or a phrase inside: its words count one by
			 * one */
			if ((lx->tok.kind == T_WORD && !lx->tok.field
			     && !lx->tok.minus)
			    || lx->tok.kind == T_PHRASE) {
				dp_qnode *w = text_node(lx, DP_Q_WORD, lx->tok.s,
				                        lx->tok.len, lx->tok.col);
				if (!w || dp_qnode_add(q, w) < 0) {
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
		lx->st = dp_qdate_parse_field(v, n, col, &q, lx->err);
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
		dp_qnode *q = dp_qnode_new(DP_Q_FILTER, col);
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
	case T_WORD:
		if (t.kind == T_WORD && t.field) {
			q = field_value(lx, &t, depth);
			if (!q)
				return NULL;
			break;
		}
		q = text_node(lx, t.kind == T_PHRASE ? DP_Q_PHRASE : DP_Q_WORD,
		              t.s, t.len, t.col);
		if (!q)
			return NULL;
		if (lex(lx) < 0) {
			dp_qnode_free(q);
			return NULL;
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

/* Adds right to the group *grp (an AND or an OR of kind k), made at the
 * first call with left as its first member.  Takes right, freed on
 * failure; -1 when out of memory, with left (while *grp is still NULL)
 * or *grp the caller's to free: see group_fail. */
static int group_add(lexer *lx, dp_qnode **grp, dp_qkind k, dp_qnode *left,
                     dp_qnode *right)
{
	if (!*grp) {
		dp_qnode *g = dp_qnode_new(k, left->col);
		if (!g || dp_qnode_add(g, left) < 0) {
			free(g);
			dp_qnode_free(right);
			nomem(lx);
			return -1;
		}
		*grp = g;
	}
	if (dp_qnode_add(*grp, right) < 0) {
		dp_qnode_free(right);
		nomem(lx);
		return -1;
	}
	return 0;
}

/* After a failure: frees the group, or left when there is none yet;
 * returns NULL. */
static dp_qnode *group_fail(dp_qnode *grp, dp_qnode *left)
{
	dp_qnode_free(grp ? grp : left);
	return NULL;
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
		int first = !and;
		if (group_add(lx, &and, DP_Q_AND, left, right) < 0)
			goto fail;
		if (first)
			and->implicit = implicit;
		else if (!implicit)
			and->implicit = 0;
	}
	return and ? and : left;
fail:
	return group_fail(and, left);
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
		if (group_add(lx, &or, DP_Q_OR, left, right) < 0)
			goto fail;
	}
	return or ? or : left;
fail:
	return group_fail(or, left);
}

/* The limits of query.h: a query is typed or passed by anyone, and each
 * word costs analysis, terms and corrections. */
static dp_status check_limits(const char *text, size_t len, dp_error *err)
{
	if (len > DP_QUERY_MAX_BYTES)
		return dp_error_set(err, DP_ERR_SYNTAX,
		                    "the query is too long (%zu bytes, at most %d)",
		                    len, DP_QUERY_MAX_BYTES);
	size_t words = 0;
	for (size_t i = 0; i < len; i++) {
		int sp = text[i] == ' ' || text[i] == '\t' || text[i] == '\n'
		         || text[i] == '\r';
		if (!sp && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t'
		            || text[i - 1] == '\n' || text[i - 1] == '\r')
		    && ++words > DP_QUERY_MAX_WORDS) {
			size_t col = 1;
			for (size_t j = 0; j < i; j++)
				if (((unsigned char)text[j] & 0xC0) != 0x80)
					col++;
			return dp_error_set(err, DP_ERR_SYNTAX,
			                    "column %zu: the query has too many words "
			                    "(at most %d)",
			                    col, DP_QUERY_MAX_WORDS);
		}
	}
	return DP_OK;
}

dp_status dp_query_parse(const char *text, dp_qnode **out, dp_error *err)
{
	*out = NULL;
	lexer lx = {.s = text, .len = strlen(text), .err = err, .st = DP_OK};
	dp_status lim = check_limits(text, lx.len, err);
	if (lim != DP_OK)
		return lim;
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
	dp_status lim = check_limits(text, len, err);
	if (lim != DP_OK)
		return lim;
	dp_qnode *and = dp_qnode_new(DP_Q_AND, 1);
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
		dp_qnode *w = dp_qnode_new(DP_Q_WORD, s + 1);
		if (w)
			w->text = strndup(text + s, i - s);
		if (!w || !w->text || dp_qnode_add(and, w) < 0) {
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
			dp_qnode *ph = dp_qnode_new(DP_Q_PHRASE, s + 1);
			if (ph)
				ph->text = strndup(text + s, e - s);
			if (!ph || !ph->text || dp_qnode_add(and, ph) < 0) {
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
