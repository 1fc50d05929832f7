/* query.h: the query language (depeche-query(7)) — parsing into a tree and
 * compiling the tree into a Xapian query through the analyzer, so that
 * query words meet indexed words exactly as analysed.
 *
 *   words               all required (the profile's default operator),
 *                       stop words dropped outside phrases
 *   "a phrase" « … »    words in this order, stop words kept
 *   a OR b, a OU b      either;  a AND b, a ET b: both
 *   -a, NOT a, SAUF a   without
 *   ( … )               grouping
 *   titre: headline:    in the headline only
 *   source: lieu: place: lang: genre: sujet: subject: slug: urgence: id:
 *                       filters (no effect on scores)
 *   date:2022 date:2022-07 date:2022-07-29 date:A..B (open ends allowed)
 *   phrase:( … ) sentence:( … )    all in one sentence
 *   paragraphe:( … ) paragraph:( … )  all in one paragraph
 *   proche:( … ) near:( … )          all within a few words
 *   entite:ID entity:ID               an entity of entities.yaml (its id or
 *                                     any spelling), every spelling
 */
#ifndef DEPECHE_QUERY_H
#define DEPECHE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "depeche.h"
#include "entities.h"
#include "ranking.h"
#include "xapian-shim.h"

typedef enum dp_qkind {
	DP_Q_WORD,     /* text: a word (may analyse into several tokens) */
	DP_Q_PHRASE,   /* text: words in order */
	DP_Q_AND,
	DP_Q_OR,
	DP_Q_NOT,      /* one child: excluded */
	DP_Q_FILTER,   /* text: a boolean term */
	DP_Q_DATE,     /* text..text2: YYYYMMDD day range (either may be "") */
	DP_Q_NEAR,     /* children words within window positions */
	DP_Q_ENTITY,   /* text: an entity's id or spelling: all spellings */
} dp_qkind;

typedef enum dp_qfield {
	DP_FIELD_ANY = 0,
	DP_FIELD_HEADLINE,
	DP_FIELD_NAME,
} dp_qfield;

typedef struct dp_qnode dp_qnode;
struct dp_qnode {
	dp_qkind kind;
	dp_qfield field;
	char *text, *text2;
	int implicit;        /* an AND made by juxtaposition */
	int required;        /* +word: required even in best-match mode */
	unsigned window;     /* DP_Q_NEAR */
	size_t col;          /* 1-based column in the query text */
	dp_qnode **kids;
	size_t n;
};

/* Limits of a query (both parsers), refused with DP_ERR_SYNTAX: its
 * length in bytes, and its words, that is runs of characters between
 * spaces (operators and fields count). */
#define DP_QUERY_MAX_BYTES 4096
#define DP_QUERY_MAX_WORDS 256

/* Parses query text.  Syntax errors are DP_ERR_SYNTAX with a message that
 * names the column ("column 12: missing ')'"). */
dp_status dp_query_parse(const char *text, dp_qnode **out, dp_error *err);
/* Every word of text as free text: no operators, fields or phrases (for
 * programs that pass natural language). */
dp_status dp_query_parse_literal(const char *text, dp_qnode **out,
                                 dp_error *err);
void dp_qnode_free(dp_qnode *n);
/* A node for a date range from --since/--until (either may be NULL);
 * dates as YYYY[-MM[-DD]]. */
dp_status dp_query_date_node(const char *since, const char *until,
                             dp_qnode **out, dp_error *err);
/* Combines a and b with AND (either may be NULL); takes ownership. */
dp_qnode *dp_qnode_and(dp_qnode *a, dp_qnode *b);
/* Writes a readable form of the tree (for --debug and tests). */
void dp_qnode_describe(const dp_qnode *n, char *out, size_t outsz);

/* Terms a result should highlight: analysed terms and names. */
typedef struct dp_strset {
	char **v;
	size_t n, cap;
} dp_strset;
int dp_strset_add(dp_strset *s, const char *str);
int dp_strset_has(const dp_strset *s, const char *str);
void dp_strset_release(dp_strset *s);

#define DP_MAX_QUERY_DATES 8

typedef struct dp_compiled {
	dpx_query *q;
	dp_strset terms;      /* stems to highlight */
	dp_strset names;      /* names to highlight */
	int has_text;         /* some word or phrase (not only filters) */
	int n_implicit;       /* implicit ANDs met */
	size_t n_words;       /* words kept after stop-word removal */
	size_t n_typed;       /* free-text words as typed, stop words too */
	/* corrections made: the word as typed, the indexed term used
	 * instead, and whether it is a name (XN: term) */
	dp_strset corr_word, corr_term;
	unsigned corr_names;  /* bit i: correction i is a name */
	unsigned weekdays;    /* bit d: the free text names weekday d
	                         (0 Monday .. 6 Sunday) */
	/* the dates the free text names ("3 décembre", "mardi 1er mai
	 * 2022"): W * 100000000 + YYYYMMDD, with year 0 when the text gives
	 * none and W the weekday written before it (1 Monday .. 7 Sunday)
	 * or 0 */
	uint32_t dates[DP_MAX_QUERY_DATES];
	size_t n_dates;
} dp_compiled;

/* What compiling needs besides the tree. */
/* The parts of a score, for --explain. */
typedef enum dp_score_part {
	DP_PART_ALL = 0,         /* a normal query: every part */
	DP_PART_TEXT,            /* the words anywhere (and phrases) */
	DP_PART_HEADLINE,        /* extra for the headline */
	DP_PART_LEAD,            /* extra for the first paragraph */
	DP_PART_NAMES,           /* names (XN: terms) */
	DP_PART_PROXIMITY,       /* the proximity boosts */
	DP_PART_COORDINATION,    /* the constant per query word held */
	DP_PART_N
} dp_score_part;

typedef struct dp_compile_env {
	dp_analyzer *an;
	const dp_profile *profile;     /* field weights */
	const dp_entities *entities;   /* spelling variants, or NULL */
	dpx_db *db;                    /* to check that names are indexed,
	                                  or NULL */
	int correct;                   /* replace words the index has never
	                                  seen by the closest it has (needs
	                                  db) */
	dp_score_part only;            /* DP_PART_ALL, or one part alone,
	                                  the others weighing nothing */
	struct dp_spell_memo *memo;    /* corrections already made, or
	                                  NULL */
} dp_compile_env;

/* Compiles tree with the profile's field weights.  implicit_or makes the
 * implicit ANDs ORs (best match).  out->q is NULL only on error.
 *
 * Names: a capitalised query word is taken as a name (it must be a name
 * in the text: XN: terms) when it is not the first word of the query, or
 * when no word of the query is in lower case ("Bout", "Blinken Lavrov").
 * Otherwise ("Réforme des retraites") it is a word, with a small
 * preference for its use as a name.  A name that the index never holds
 * is searched as a word.  Names of entities find all their spellings. */
dp_status dp_query_compile(const dp_qnode *tree, const dp_compile_env *env,
                           int implicit_or, dp_compiled *out, dp_error *err);
void dp_compiled_release(dp_compiled *c);

/* Parses YYYY[-MM[-DD]] into the first (or last, when end) day of the
 * period as "YYYYMMDD"; returns 0 when not a valid date. */
int dp_query_parse_day(const char *s, size_t len, int end, char out[9]);

#endif
