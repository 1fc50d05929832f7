/* schema.h: the index schema — term prefixes and value slots shared by the
 * indexer and the searcher.  Changing a meaning here means bumping
 * DP_SCHEMA_VERSION in depeche.h.
 *
 * Text terms are the analyzer's stems (accent-folded).  The whole text
 * (headline, lead, body) is one positional field without prefix, for
 * phrases, proximity and the main score; the headline's words again
 * under "S" and the lead's (first paragraph) under "L", without
 * positions, give those parts their extra weight at query time, so that
 * no weight needs a re-index; stop words have no headline or lead copy.
 * Names are "XN:" + the folded word, indexed where the text writes the
 * word as a name, without positions: the word is at the same position in
 * the text, so a phrase or a window of names is the phrase or window of
 * their words in a document that has the names (schema 3).  An elided
 * article that is one word ("d'" is "de", "qu'" is "que"; not "l'", le
 * or la) is indexed as that word at the position of the word it is
 * elided onto, so that the phrase "au bout de" finds "au bout d'un an"
 * (schema 4).  One positional term per token (schema 5): a word indexed
 * under two terms, its stem ("liber" for "libérée") and the stem of its
 * accent-folded form ("libere"), has its positions under the second only
 * (an ordinal's under its digits, "20e"), the other without positions;
 * phrases and windows look for dp_token_position_term, which a query
 * typed with or without accents gives alike, and weigh by the terms.
 * Stop words keep their positions: common-word bigrams (CommonGrams)
 * were measured at twice the index (bench/README.md, issue 12). */
#ifndef DEPECHE_SCHEMA_H
#define DEPECHE_SCHEMA_H

#define DP_PREFIX_TEXT ""
#define DP_PREFIX_HEADLINE "S"
#define DP_PREFIX_LEAD "L"
#define DP_PREFIX_NAME "XN:"

/* boolean (filter) terms */
#define DP_PREFIX_ID "Q"          /* unique id: Q<guid> */
#define DP_PREFIX_SOURCE "XSRC"   /* folded source, whole and each word */
#define DP_PREFIX_PLACE "XLOC"    /* folded place, whole and each word */
#define DP_PREFIX_LANG "XLANG"
#define DP_PREFIX_SUBJECT "XSUBJ"
#define DP_PREFIX_GENRE "XGENRE"
#define DP_PREFIX_SLUG "XSLUG"
#define DP_PREFIX_STATUS "XSTAT"
#define DP_PREFIX_URGENCY "XURG"
#define DP_PREFIX_FILE "XF"       /* origin file: XF<16 hex of path hash> */
#define DP_PREFIX_FILE_OTHER "XOF" /* XOF<16 hex>: another file that holds a
                                     version of the dispatch (older, or the
                                     same): read again when the origin goes */
#define DP_PREFIX_YEAR "Y"        /* Y2022 (local date of the dispatch) */
#define DP_PREFIX_MONTH "M"       /* M202207 */
#define DP_PREFIX_DAY "D"         /* D20220729 */
#define DP_PREFIX_STORY "XSTORY"  /* XSTORY<story key>: members of a story */
#define DP_PREFIX_DUP "XDUP"      /* XDUP<band><8 hex>: near-duplicate bands */
#define DP_TERM_LIVE "XLIVE"      /* every searchable dispatch */

/* value slots */
enum dp_slot {
	DP_SLOT_TIME = 0,      /* "YYYYMMDDhhmmss" UTC: sorting, recency */
	DP_SLOT_STORY = 1,     /* story key: folded slug, else the id */
	DP_SLOT_DUP = 2,       /* near-duplicate signature: 16 minhashes */
	DP_SLOT_VERSION = 3,   /* version, 10 digits */
	DP_SLOT_URGENCY = 4,   /* "1".."8" */
	DP_SLOT_SOURCE = 5,    /* source as written (facets) */
	DP_SLOT_PLACE = 6,     /* place as written (facets) */
	DP_SLOT_MONTH = 7,     /* "YYYY-MM" local (facets) */
	DP_SLOT_HASH = 8,      /* content hash: unchanged detection */
	DP_SLOT_LANG = 9,      /* language (facets) */
	DP_SLOT_DAY = 10,      /* "YYYYMMDD" local date: date ranges */
	DP_SLOT_STATUS = 11,   /* publication status name */
	DP_SLOT_PERSONS = 12,  /* reserved: people recognised (facets) */
	DP_SLOT_LAST
};

/* metadata keys */
#define DP_META_SCHEMA "depeche.schema"
#define DP_META_ANALYZER "depeche.analyzer"
#define DP_META_LASTRUN "depeche.last-run"
#define DP_META_FILE_PREFIX "F:"   /* F:<16 hex> -> file state */

#endif
