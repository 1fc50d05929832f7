/* xapian-shim.h: the C boundary over Xapian.
 *
 * The only header that knows Xapian exists; it has no Xapian types, only
 * opaque handles and plain C.  Every function catches every exception
 * (Xapian::Error mapped to a specific dp_status, std::bad_alloc to
 * DP_ERR_NOMEM, anything else to DP_ERR_INTERNAL) and reports it through
 * a dp_error: no exception ever crosses into C.
 *
 * Ownership: a handle returned through an out-parameter belongs to the
 * caller and is released with the matching _free.  Strings returned through
 * `char **` are malloc()ed and belong to the caller.  Pointers returned
 * directly (const char *) live as long as the handle they came from, until
 * its next call, unless the comment says otherwise.
 */
#ifndef DEPECHE_XAPIAN_SHIM_H
#define DEPECHE_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "depeche.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dpx_db dpx_db;
typedef struct dpx_doc dpx_doc;
typedef struct dpx_query dpx_query;
typedef struct dpx_mset dpx_mset;
typedef struct dpx_stemmer dpx_stemmer;

/* ---- databases ---------------------------------------------------------- */

enum {
	DPX_OPEN_READ = 0,        /* read-only; a stub file may list shards */
	DPX_OPEN_WRITE = 1,       /* writable; fails if missing */
	DPX_OPEN_CREATE = 2,      /* writable; created when missing (with WRITE) */
	DPX_OPEN_NO_SYNC = 4,     /* no fsync on commit (bulk loads; sync at end) */
	DPX_OPEN_RETRY_LOCK = 8,  /* wait for Xapian's write lock */
};

/* Opens the database at path.  Missing database: DP_ERR_NOT_FOUND; locked:
 * DP_ERR_LOCKED; damaged: DP_ERR_CORRUPT. */
dp_status dpx_db_open(const char *path, int flags, dpx_db **out, dp_error *err);
/* Releases the handle (committing nothing: call dpx_db_commit first).
 * Errors while closing are swallowed; NULL is allowed.  Once an
 * allocation has failed in the process (dp_out_of_memory_seen), or when
 * memory is short, a writable database is abandoned rather than
 * destroyed (libxapian's destructor commits and crashes when memory runs
 * out there): its last commit stands, the lock goes with the process. */
void dpx_db_free(dpx_db *db);
/* Closes the handle explicitly, reporting errors (e.g. a failed sync). The
 * handle must still be freed. */
dp_status dpx_db_close(dpx_db *db, dp_error *err);
/* Reopens a reader at the latest revision; *changed set when it moved. */
dp_status dpx_db_reopen(dpx_db *db, int *changed, dp_error *err);
/* Bounds the time a search on db spends counting matches beyond those
 * it returns (Xapian's Enquire::set_time_limit: after that many seconds
 * check_at_least is dropped, so counts become estimates); 0 for none. */
void dpx_db_set_time_limit(dpx_db *db, double seconds);
/* Number of documents (including internal tombstones). */
dp_status dpx_db_doccount(dpx_db *db, uint32_t *out, dp_error *err);
/* Average document length. */
dp_status dpx_db_avlength(dpx_db *db, double *out, dp_error *err);
/* Number of documents indexed by term (0 when absent). */
dp_status dpx_db_termfreq(dpx_db *db, const char *term, size_t len,
                          uint32_t *out, dp_error *err);
/* Collection frequency (total wdf) of a term. */
dp_status dpx_db_collfreq(dpx_db *db, const char *term, size_t len,
                          uint32_t *out, dp_error *err);

/* Lowest and highest value in a slot over all documents (malloc()ed, ""
 * when the slot is unused). */
dp_status dpx_db_value_bounds(dpx_db *db, unsigned slot, char **lo,
                              char **hi, dp_error *err);

/* Metadata: *value (malloc()ed, NUL-terminated, length in *len) is NULL when
 * the key is absent. */
dp_status dpx_db_get_metadata(dpx_db *db, const char *key, char **value,
                              size_t *len, dp_error *err);
dp_status dpx_db_set_metadata(dpx_db *db, const char *key, const char *value,
                              size_t len, dp_error *err);
/* Calls fn for every metadata key starting with prefix, in order; fn returns
 * non-zero to stop.  key and value are valid during the call only. */
typedef int (*dpx_metadata_fn)(void *ctx, const char *key, size_t klen,
                               const char *value, size_t vlen);
dp_status dpx_db_metadata_each(dpx_db *db, const char *prefix,
                               dpx_metadata_fn fn, void *ctx, dp_error *err);

/* Calls fn for every term starting with prefix, with its term frequency;
 * fn returns non-zero to stop. */
typedef int (*dpx_term_fn)(void *ctx, const char *term, size_t len,
                           uint32_t termfreq);
dp_status dpx_db_allterms_each(dpx_db *db, const char *prefix,
                               dpx_term_fn fn, void *ctx, dp_error *err);

/* Calls fn for every term of document docid starting with prefix, with its
 * wdf (needs the termlist table). */
typedef int (*dpx_doc_term_fn)(void *ctx, const char *term, size_t len,
                               uint32_t wdf, uint32_t termfreq);
dp_status dpx_db_doc_terms_each(dpx_db *db, uint32_t docid, const char *prefix,
                                dpx_doc_term_fn fn, void *ctx, dp_error *err);

/* Calls fn for every document indexed by term, in docid order; fn returns
 * non-zero to stop. */
typedef int (*dpx_posting_fn)(void *ctx, uint32_t docid);
dp_status dpx_db_postlist_each(dpx_db *db, const char *term,
                               dpx_posting_fn fn, void *ctx, dp_error *err);

/* Document lookup by unique term: *docid is 0 when no document has it. */
dp_status dpx_db_find_term(dpx_db *db, const char *term, uint32_t *docid,
                           dp_error *err);
/* Stored data and values of a document (malloc()ed, caller frees). */
dp_status dpx_db_doc_data(dpx_db *db, uint32_t docid, char **data,
                          size_t *len, dp_error *err);
dp_status dpx_db_doc_value(dpx_db *db, uint32_t docid, unsigned slot,
                           char **value, size_t *len, dp_error *err);

/* Writing.  Replace or add the document indexed by unique_term; returns the
 * document id in *docid when non-NULL. */
dp_status dpx_db_replace(dpx_db *db, const char *unique_term, dpx_doc *doc,
                         uint32_t *docid, dp_error *err);
/* Adds a boolean term to a stored document. */
/* Sets value slot of document docid (writable databases). */
dp_status dpx_db_doc_set_value(dpx_db *db, uint32_t docid, unsigned slot,
                               const char *value, size_t len, dp_error *err);
dp_status dpx_db_doc_add_term(dpx_db *db, uint32_t docid, const char *term,
                              dp_error *err);
dp_status dpx_db_delete(dpx_db *db, const char *unique_term, dp_error *err);
dp_status dpx_db_delete_docid(dpx_db *db, uint32_t docid, dp_error *err);
dp_status dpx_db_commit(dpx_db *db, dp_error *err);
/* Pending changes are discarded (only inside a transaction). */
dp_status dpx_db_begin(dpx_db *db, dp_error *err);
dp_status dpx_db_end(dpx_db *db, int commit, dp_error *err);

/* Consistency check of the database at path (Xapian::Database::check);
 * *errors receives the number of problems found; a report of at most
 * report_size bytes is written to report when non-NULL. */
dp_status dpx_db_check(const char *path, size_t *errors, char *report,
                       size_t report_size, dp_error *err);

/* Compacts src into dst (a new directory); multiple sources are merged. */
dp_status dpx_db_compact(const char *const *srcs, size_t nsrc, const char *dst,
                         dp_error *err);

/* ---- documents ---------------------------------------------------------- */

dp_status dpx_doc_new(dpx_doc **out, dp_error *err);
void dpx_doc_free(dpx_doc *doc);
/* Empties the document for reuse. */
void dpx_doc_clear(dpx_doc *doc);
/* Adds term at position pos (pos 0: no position) with wdf increment inc. */
dp_status dpx_doc_add_posting(dpx_doc *doc, const char *term, size_t len,
                              uint32_t pos, uint32_t inc, dp_error *err);
/* Adds a term with no position and wdf increment inc (0 for filters). */
dp_status dpx_doc_add_term(dpx_doc *doc, const char *term, size_t len,
                           uint32_t inc, dp_error *err);
dp_status dpx_doc_set_value(dpx_doc *doc, unsigned slot, const char *value,
                            size_t len, dp_error *err);
dp_status dpx_doc_set_data(dpx_doc *doc, const char *data, size_t len,
                           dp_error *err);

/* ---- queries -------------------------------------------------------------
 * Query constructors never throw away their arguments: the caller still
 * frees every query it made.  They return NULL only when out of memory. */

typedef enum dpx_op {
	DPX_OP_AND,
	DPX_OP_OR,
	DPX_OP_AND_NOT,
	DPX_OP_AND_MAYBE,
	DPX_OP_FILTER,
	DPX_OP_PHRASE,      /* window: 0 = exact phrase */
	DPX_OP_NEAR,        /* window: span of positions holding all terms */
	DPX_OP_ELITE_SET,
	DPX_OP_SYNONYM,
	DPX_OP_MAX,
	DPX_OP_LAST
} dpx_op;

dpx_query *dpx_query_term(const char *term, size_t len, uint32_t wqf,
                          uint32_t pos);
dpx_query *dpx_query_match_all(void);
dpx_query *dpx_query_match_nothing(void);
dpx_query *dpx_query_combine(dpx_op op, dpx_query *const *subs, size_t n,
                             uint32_t window);
dpx_query *dpx_query_scale(const dpx_query *q, double factor);
/* Documents whose value in slot lies in [lo, hi] (either may be NULL for an
 * open end; compared bytewise). */
dpx_query *dpx_query_value_range(unsigned slot, const char *lo,
                                 const char *hi);
dpx_query *dpx_query_clone(const dpx_query *q);
int dpx_query_empty(const dpx_query *q);
/* Describes the query for debugging (malloc()ed string). */
char *dpx_query_describe(const dpx_query *q);
void dpx_query_free(dpx_query *q);

/* A boost that adds to each matching document's score, computed from its
 * values: recency (slot holds "YYYYMMDDhhmmss" UTC; the weight halves every
 * half-life away from now, before or after) and urgency (slot holds
 * a digit 1..9).  Combined with a query through DPX_OP_AND_MAYBE. */
typedef struct dpx_boost_params {
	unsigned date_slot;
	int64_t now;                  /* reference time, unix seconds */
	double recency_weight;        /* added score for a document dated now */
	double half_life_days;        /* recency halves every half_life_days */
	unsigned urgency_slot;
	double urgency_weight[10];    /* added score per urgency 0..9 */
} dpx_boost_params;
dpx_query *dpx_query_boost(const dpx_boost_params *p);

/* A weight by day of the week of each document's date (slot holds
 * "YYYYMMDD..."): weight[0] for Monday .. weight[6] for Sunday. */
dpx_query *dpx_query_weekday(unsigned slot, const double weight[7]);

/* A weight for the documents dated one of dates[0..n) (YYYYMMDD, year 0
 * for any year, plus W * 100000000 to match only when that date is
 * weekday W, 1 Monday .. 7 Sunday; slot holds "YYYYMMDD..."), half of it
 * the day after. */
dpx_query *dpx_query_dates(unsigned slot, const uint32_t *dates, size_t n,
                           double weight);

/* A constant weight for every document (combine with DPX_OP_FILTER to
 * give it to the documents of a term). */
dpx_query *dpx_query_fixed_weight(double weight);

/* ---- searching ------------------------------------------------------------ */

typedef enum dpx_scheme {
	DPX_W_BM25,
	DPX_W_BM25PLUS,
	DPX_W_TRAD,
	DPX_W_TFIDF,
	DPX_W_INL2,
	DPX_W_IFB2,
	DPX_W_INEB2,
	DPX_W_BB2,
	DPX_W_DLH,
	DPX_W_PL2,
	DPX_W_PL2PLUS,
	DPX_W_DPH,
	DPX_W_LM,
	DPX_W_BOOL,
	DPX_W_COORD,
	DPX_W_LAST
} dpx_scheme;

/* Groups of term sets, counted over every matching document: a document
 * counts for a group when it holds every term of one of the group's sets.
 * Used for entity facets (a person is any of its spellings, each a set of
 * name terms). */
typedef struct dpx_termsets dpx_termsets;
dpx_termsets *dpx_termsets_new(const char *prefix);
/* Adds a set of n terms (all starting with the prefix) to group g;
 * returns -1 when out of memory. */
int dpx_termsets_add(dpx_termsets *ts, unsigned group,
                     const char *const *terms, size_t n);
void dpx_termsets_free(dpx_termsets *ts);

typedef struct dpx_search_params {
	dpx_scheme scheme;
	/* Parameters by scheme: BM25/BM25+: k1 k2 k3 b min_normlen [delta];
	 * TRAD: k; TFIDF: normalisation string in tfidf_norm; InL2 IfB2 IneB2
	 * BB2 PL2: c; PL2+: c delta; LM: log smoothing p1 p2 (smoothing as
	 * number: 1 two-stage 2 dirichlet 3 absolute 4 jelinek-mercer 5
	 * dirichlet+). */
	double p[6];
	const char *tfidf_norm;
	uint32_t offset, limit;
	uint32_t check_at_least;  /* exact counts need doccount here */
	int sort_by_value;        /* sort by sort_slot instead of relevance */
	unsigned sort_slot;
	int sort_reverse;         /* newest first when sorting by date */
	int collapse;             /* collapse on collapse_slot */
	unsigned collapse_slot;
	size_t n_facets;          /* count values of these slots over all matches */
	const unsigned *facet_slots;
	const dpx_termsets *groups; /* count these groups over all matches */
	const void *decider_ctx;  /* keep a match only when decider says so */
	int (*decider)(const void *ctx, uint32_t docid);
} dpx_search_params;

void dpx_search_params_init(dpx_search_params *p);

dp_status dpx_search(dpx_db *db, const dpx_query *q,
                     const dpx_search_params *p, dpx_mset **out,
                     dp_error *err);
void dpx_mset_free(dpx_mset *m);
uint32_t dpx_mset_size(const dpx_mset *m);
/* Bounds on the number of matching documents; exact when lower == upper. */
void dpx_mset_counts(const dpx_mset *m, uint32_t *lower, uint32_t *estimated,
                     uint32_t *upper);
uint32_t dpx_mset_docid(const dpx_mset *m, uint32_t i);
double dpx_mset_weight(const dpx_mset *m, uint32_t i);
/* Number of other documents collapsed into hit i (lower bound). */
uint32_t dpx_mset_collapse_count(const dpx_mset *m, uint32_t i);
/* Data and values of hit i (malloc()ed). */
dp_status dpx_mset_data(dpx_mset *m, uint32_t i, char **data, size_t *len,
                        dp_error *err);
dp_status dpx_mset_value(dpx_mset *m, uint32_t i, unsigned slot, char **value,
                         size_t *len, dp_error *err);
/* Facet counts for the k-th facet slot: fn is called per distinct value. */
typedef int (*dpx_facet_fn)(void *ctx, const char *value, size_t len,
                            uint32_t count);
dp_status dpx_mset_facets(const dpx_mset *m, size_t k, dpx_facet_fn fn,
                          void *ctx, dp_error *err);

/* Expansion terms from a set of documents (Xapian's ESet, TradWeight):
 * calls fn with up to n terms, best first, that accept() lets through
 * (accept may be NULL).  Needs the termlist table. */
typedef int (*dpx_accept_fn)(void *ctx, const char *term, size_t len);
typedef void (*dpx_eterm_fn)(void *ctx, const char *term, size_t len,
                             double weight);
dp_status dpx_expand(dpx_db *db, const uint32_t *docids, size_t ndocs,
                     size_t n, dpx_accept_fn accept, dpx_eterm_fn fn,
                     void *ctx, dp_error *err);

/* Per-group counts of the last search (params.groups): counts[g] for
 * g < ngroups (groups never met are 0). */
void dpx_mset_group_counts(const dpx_mset *m, uint32_t *counts,
                           size_t ngroups);

/* Weight that query q gives document docid (0 when it does not match), with
 * the same weighting parameters: used to explain a score. */
dp_status dpx_score_doc(dpx_db *db, const dpx_query *q,
                        const dpx_search_params *p, uint32_t docid,
                        double *weight, int *matched, dp_error *err);

/* ---- stemming ---------------------------------------------------------- */

dp_status dpx_stemmer_new(const char *language, dpx_stemmer **out,
                          dp_error *err);
void dpx_stemmer_free(dpx_stemmer *s);
/* Stems word (UTF-8, lower case) into out (NUL-terminated).  Returns the
 * stem's length, or (size_t)-1 when it does not fit in outsz. */
size_t dpx_stem(dpx_stemmer *s, const char *word, size_t len, char *out,
                size_t outsz);

/* Xapian's version string ("1.4.22"). */
const char *dpx_version(void);

/* Sortable encoding of a number, as Xapian's sortable_serialise (out needs
 * 9 bytes); returns the length. */
size_t dpx_sortable(double v, char out[9]);

/* ---- shards ------------------------------------------------------------ */

/* Copies document docid of src (terms, positions, values, data) into the
 * writable dst, replacing the document indexed by unique_term. */
dp_status dpx_db_copy_doc(dpx_db *src, uint32_t docid, dpx_db *dst,
                          const char *unique_term, dp_error *err);

/* Opens, read-only, the database a xapian-tcpsrv serves at host:port,
 * giving up after timeout_ms (to connect, and for each request). */
dp_status dpx_db_open_remote(const char *host, unsigned port,
                             unsigned timeout_ms, dpx_db **out,
                             dp_error *err);

/* A set of shards searched as one: an empty set named name (for
 * messages), to which dpx_db_set_add adds an open database (local or
 * remote; shard is still freed by the caller). */
dp_status dpx_db_set_new(const char *name, dpx_db **out, dp_error *err);
dp_status dpx_db_set_add(dpx_db *set, dpx_db *shard, dp_error *err);
/* Ends a set: one with no shard becomes an empty database. */
dp_status dpx_db_set_done(dpx_db *set, dp_error *err);
/* Number of remote shards in db (0 for a local database). */
int dpx_db_remote_count(const dpx_db *db);

/* The weight a boost gives a document whose value (date slot) is value:
 * what dpx_query_boost (its recency part), dpx_query_weekday and
 * dpx_query_dates compute on the server, for shards that cannot. */
double dpx_boost_weight_recency(const dpx_boost_params *p, const char *value,
                                size_t len);
double dpx_boost_weight_weekday(const double weight[7], const char *value,
                                size_t len);
double dpx_boost_weight_dates(const uint32_t *dates, size_t n, double weight,
                              const char *value, size_t len);

#ifdef __cplusplus
}
#endif
#endif
