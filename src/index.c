/* index.c: dispatches into the Xapian index.  See index.h and schema.h. */
#include "autoconf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "analyzer.h"
#include "docdata.h"
#include "index.h"
#include "schema.h"
#include "shards.h"
#include "utf8.h"
#include "xapian-shim.h"

/* Longest boolean term value kept (Xapian's limit is 245 bytes a term). */
#define MAX_BOOL 160

/* Near-duplicates: a minhash signature of the text's 4-word shingles,
 * DUP_K hashes in DUP_BANDS bands.  Dispatches sharing a band are
 * candidates; they are near-duplicates when at least DUP_MATCH of the
 * DUP_K hashes agree (an estimated resemblance of 3/4 or more). */
#define DUP_K 16
#define DUP_BANDS 4
#define DUP_MATCH 12
#define DUP_MIN_TERMS 12

/* A dispatch made into a document, all but what depends on the index. */
struct dp_prepared {
	dp_analyzer *an;        /* the preparing thread's, while preparing */
	dp_tokens *toks;
	dpx_doc *doc;
	/* term hashes of lead and body, for near-duplicate signatures */
	uint32_t *seq;
	size_t n_seq, cap_seq;
	/* scratch */
	char *term;
	size_t term_cap;
	/* the result */
	char *idterm;
	size_t idterm_cap;
	char hash[24];
	uint32_t sig[DUP_K];
	int has_sig;
	int kill;
	const dp_dispatch *d;   /* what was prepared */
	const char *file_key;
};

/* One database of the index: the only one, or the shard of a period. */
typedef struct ix_shard {
	char name[16];         /* period; "" for a single database */
	dpx_db *db;
	uint32_t writes;       /* documents written or removed in this run */
	int dirty;             /* uncommitted changes */
} ix_shard;

/* A document anywhere in the index: shard number and docid in it. */
typedef uint64_t gid;
#define GID(k, d) (((gid)(k) << 32) | (gid)(d))
#define GID_SHARD(g) ((size_t)((g) >> 32))
#define GID_DOC(g) ((uint32_t)(g))

struct dp_index {
	dpx_db *db;            /* metadata and file state; for a single
	                          database, also its documents (sh[0].db) */
	char *path;
	int kind;              /* dp_shard_kind */
	int flags;             /* to open new shards */
	ix_shard *sh;          /* by name */
	size_t nsh, capsh;
	size_t last;           /* the shard last written */
	dp_analyzer *an;
	dp_prepared *own;      /* for dp_index_add */
	uint32_t pending;
	/* file being re-read: documents it held, and which were added
	 * again */
	char file_key[17];
	gid *old_ids;
	size_t n_old, cap_old;
	gid *seen_ids;
	size_t n_seen, cap_seen;
	int in_file;
	/* parallel writers (see dp_index_role) */
	int role;
	int part, nparts;
	char (*names)[16];     /* DP_ROLE_STATE: the local shards, sorted */
	size_t nnames, capnames;
	uint64_t seq;          /* DP_ROLE_PART: of the dispatch being put */
	struct touch *touched; /* DP_ROLE_PART: puts of this batch */
	size_t ntouched, captouched;
	const char **tids;     /* their ids, sorted, once each */
	size_t ntids;
};

/* A put of this batch, in a part. */
struct touch {
	char *id;
	char shard[16];
	uint64_t seq;
	int wrote;
	int res;               /* dp_add_result */
	int existed;           /* the shard held a copy before the put */
};

/* ---- small helpers -------------------------------------------------------- */

static uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#define FNV64_INIT 14695981039346656037ULL

static uint64_t fnv64_str(uint64_t h, const char *s)
{
	/* the NUL separates fields, so that "ab"+"c" differs from "a"+"bc" */
	return fnv64(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

void dp_index_file_key(const char *path, char out[17])
{
	snprintf(out, 17, "%016" PRIx64, fnv64_str(FNV64_INIT, path));
}

static dp_status add_term(dp_prepared *b, const char *prefix, const char *t,
                          size_t tl, uint32_t pos, uint32_t inc, dp_error *err)
{
	size_t pl = strlen(prefix);
	if (pl + tl + 1 > b->term_cap) {
		size_t nc = (pl + tl + 1) * 2;
		char *n = realloc(b->term, nc);
		if (!n)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		b->term = n;
		b->term_cap = nc;
	}
	memcpy(b->term, prefix, pl);
	memcpy(b->term + pl, t, tl);
	b->term[pl + tl] = '\0';
	if (pos)
		return dpx_doc_add_posting(b->doc, b->term, pl + tl, pos, inc,
		                           err);
	return dpx_doc_add_term(b->doc, b->term, pl + tl, inc, err);
}

/* A boolean term from free text: folded, spaces collapsed, truncated. */
static dp_status add_bool(dp_prepared *b, const char *prefix,
                          const char *value, dp_error *err)
{
	if (!value || !*value)
		return DP_OK;
	size_t n = strlen(value);
	if (n > MAX_BOOL)
		n = MAX_BOOL;
	char *f = malloc(n * 3 + 1);
	if (!f)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	size_t fl = dp_utf8_fold(value, n, f);
	/* collapse white space */
	size_t o = 0;
	int sp = 1;
	for (size_t i = 0; i < fl; i++) {
		char c = f[i];
		if (c == ' ' || c == '\t' || c == '\n') {
			if (!sp)
				f[o++] = ' ';
			sp = 1;
		} else {
			f[o++] = c;
			sp = 0;
		}
	}
	while (o && f[o - 1] == ' ')
		o--;
	dp_status st = DP_OK;
	if (o)
		st = add_term(b, prefix, f, o, 0, 0, err);
	free(f);
	return st;
}

/* The whole value and each of its words, as boolean terms. */
static dp_status add_bool_words(dp_prepared *b, const char *prefix,
                                const char *value, dp_error *err)
{
	if (!value || !*value)
		return DP_OK;
	dp_status st = add_bool(b, prefix, value, err);
	if (st != DP_OK)
		return st;
	dp_tokens *t = dp_tokens_new();
	if (!t)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	st = dp_analyze(b->an, value, strlen(value), 1, DP_ANALYZE_QUERY, t,
	                err);
	size_t n = dp_tokens_count(t);
	for (size_t i = 0; st == DP_OK && i < n && n > 1; i++) {
		const dp_token *tok = dp_tokens_get(t, i);
		st = add_term(b, prefix, tok->word, strlen(tok->word), 0, 0, err);
	}
	dp_tokens_free(t);
	return st;
}

static dp_status set_value(dp_prepared *b, unsigned slot, const char *v,
                           dp_error *err)
{
	if (!v || !*v)
		return DP_OK;
	return dpx_doc_set_value(b->doc, slot, v, strlen(v), err);
}

/* ---- open and close -------------------------------------------------------- */

dp_status dp_index_check_compat(dpx_db *db, const char *path,
                                const char *signature, dp_error *err)
{
	char *schema = NULL, *an = NULL;
	dp_status st = dpx_db_get_metadata(db, DP_META_SCHEMA, &schema, NULL,
	                                   err);
	if (st == DP_OK)
		st = dpx_db_get_metadata(db, DP_META_ANALYZER, &an, NULL, err);
	if (st != DP_OK)
		goto out;
	if (!schema) {
		uint32_t n = 0;
		st = dpx_db_doccount(db, &n, err);
		if (st == DP_OK && n > 0)
			st = dp_error_set(err, DP_ERR_VERSION,
			                  "database '%s' was not built by depeche "
			                  "(no schema recorded)", path);
		goto out;
	}
	char want[16];
	snprintf(want, sizeof want, "%d", DP_SCHEMA_VERSION);
	if (strcmp(schema, want) != 0) {
		st = dp_error_set(err, DP_ERR_VERSION,
		                  "database '%s' has index schema %s, this depeche "
		                  "uses schema %s: index the archive again into a "
		                  "new database (depeche-index --db NEW ARCHIVE...) "
		                  "and use that one instead",
		                  path, schema, want);
		goto out;
	}
	if (!an || strcmp(an, signature) != 0) {
		st = dp_error_set(err, DP_ERR_VERSION,
		                  "database '%s' was built with analyzer '%s', this "
		                  "depeche uses '%s': index again into a new "
		                  "database, or search with the depeche that built "
		                  "it", path, an ? an : "(none)", signature);
		goto out;
	}
out:
	free(schema);
	free(an);
	return st;
}

/* Records this build's schema and analyzer in a new database (one that
 * has none). */
static dp_status stamp_new(dpx_db *db, const char *sig, dp_error *err)
{
	char *schema = NULL;
	dp_status st = dpx_db_get_metadata(db, DP_META_SCHEMA, &schema, NULL,
	                                   err);
	if (st == DP_OK && !schema) {
		char v[16];
		snprintf(v, sizeof v, "%d", DP_SCHEMA_VERSION);
		st = dpx_db_set_metadata(db, DP_META_SCHEMA, v, strlen(v), err);
		if (st == DP_OK)
			st = dpx_db_set_metadata(db, DP_META_ANALYZER, sig,
			                         strlen(sig), err);
		if (st == DP_OK)
			st = dpx_db_commit(db, err);
	}
	free(schema);
	return st;
}

/* Removes a flat directory (a database that never got its revision
 * file: nothing committed in it). */
static void remove_flat(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[4096 + 256];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int have_glass(const char *dir)
{
	char p[4096 + 16];
	struct stat sb;
	snprintf(p, sizeof p, "%s/iamglass", dir);
	return stat(p, &sb) == 0;
}

/* Creates the database final (a shard, or the state) beside it, stamped
 * with the schema, the analyzer and meta key=value (when key), then
 * renames it into place: a crash while Xapian creates its files never
 * leaves a database that cannot be opened.  A directory already there
 * without a revision file (such a leftover) is removed first. */
static dp_status create_aside(dp_index *ix, const char *final,
                              const char *key, const char *value,
                              dp_error *err)
{
	struct stat sb;
	if (have_glass(final))
		return DP_OK;
	if (stat(final, &sb) == 0)
		remove_flat(final);
	char tmp[4096 + 32];
	snprintf(tmp, sizeof tmp, "%s.new-%ld", final, (long)getpid());
	remove_flat(tmp);
	dpx_db *db = NULL;
	dp_status st = dpx_db_open(tmp, DPX_OPEN_WRITE | DPX_OPEN_CREATE, &db,
	                           err);
	if (st == DP_OK)
		st = stamp_new(db, dp_analyzer_signature(ix->an), err);
	if (st == DP_OK && key)
		st = dpx_db_set_metadata(db, key, value, strlen(value), err);
	if (st == DP_OK)
		st = dpx_db_commit(db, err);
	if (st == DP_OK)
		st = dpx_db_close(db, err);
	dpx_db_free(db);
	if (st == DP_OK && rename(tmp, final) != 0)
		st = dp_error_set(err, DP_ERR_IO, "cannot rename '%s' to '%s': %s",
		                  tmp, final, strerror(errno));
	if (st != DP_OK)
		remove_flat(tmp);
	return st;
}

/* Opens (creating it when create) the shard of period name, and inserts
 * it in ix->sh; *k receives its place. */
static dp_status open_shard(dp_index *ix, const char *name, int create,
                            size_t *k, dp_error *err)
{
	size_t at = 0;
	while (at < ix->nsh && strcmp(ix->sh[at].name, name) < 0)
		at++;
	if (at < ix->nsh && !strcmp(ix->sh[at].name, name)) {
		*k = at;
		return DP_OK;
	}
	if (ix->nsh == ix->capsh) {
		size_t nc = ix->capsh ? ix->capsh * 2 : 16;
		ix_shard *nv = realloc(ix->sh, nc * sizeof *nv);
		if (!nv)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		ix->sh = nv;
		ix->capsh = nc;
	}
	size_t pl = strlen(ix->path) + strlen(name) + 2;
	char *p = malloc(pl);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	snprintf(p, pl, "%s/%s", ix->path, name);
	dpx_db *db = NULL;
	int flags = ix->flags & ~DPX_OPEN_CREATE;
	dp_status st = create ? create_aside(ix, p, DP_META_PERIOD, name, err)
	                      : DP_OK;
	if (st == DP_OK)
		st = dpx_db_open(p, flags, &db, err);
	const char *sig = dp_analyzer_signature(ix->an);
	if (st == DP_OK)
		st = dp_index_check_compat(db, p, sig, err);
	if (st == DP_OK)
		st = stamp_new(db, sig, err);
	if (st == DP_OK && create) {
		/* listed once it exists: a reader never meets a shard
		 * that is not there */
		dp_stub stub;
		st = dp_stub_read(ix->path, &stub, err);
		if (st == DP_OK) {
			st = dp_stub_add_local(&stub, name, err);
			if (st == DP_OK)
				st = dp_stub_write(ix->path, &stub, err);
			dp_stub_release(&stub);
		}
	}
	free(p);
	if (st != DP_OK) {
		dpx_db_free(db);
		return st;
	}
	memmove(&ix->sh[at + 1], &ix->sh[at], (ix->nsh - at) * sizeof *ix->sh);
	memset(&ix->sh[at], 0, sizeof *ix->sh);
	snprintf(ix->sh[at].name, sizeof ix->sh[at].name, "%s", name);
	ix->sh[at].db = db;
	ix->nsh++;
	if (ix->last >= at && ix->nsh > 1)
		ix->last++;
	*k = at;
	return DP_OK;
}

/* The coordinator's list of local shards: adds name (sorted). */
static dp_status note_name(dp_index *ix, const char *name, dp_error *err)
{
	size_t at = 0;
	while (at < ix->nnames && strcmp(ix->names[at], name) < 0)
		at++;
	if (at < ix->nnames && !strcmp(ix->names[at], name))
		return DP_OK;
	if (ix->nnames == ix->capnames) {
		size_t nc = ix->capnames ? ix->capnames * 2 : 16;
		char (*nv)[16] = realloc(ix->names, nc * sizeof *nv);
		if (!nv)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		ix->names = nv;
		ix->capnames = nc;
	}
	memmove(&ix->names[at + 1], &ix->names[at],
	        (ix->nnames - at) * sizeof *ix->names);
	snprintf(ix->names[at], sizeof ix->names[at], "%s", name);
	ix->nnames++;
	return DP_OK;
}

/* The sharded database at ix->path: its state database, then every
 * local shard its stub lists (the role says which of them). */
static dp_status open_sharded(dp_index *ix, int want, dp_error *err)
{
	size_t pl = strlen(ix->path) + sizeof DP_STATE_NAME + 2;
	char *p = malloc(pl);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	snprintf(p, pl, "%s/%s", ix->path, DP_STATE_NAME);
	dp_status st = DP_OK;
	if (want)
		st = create_aside(ix, p, DP_META_SHARDS, dp_shards_kind_name(want),
		                  err);
	if (ix->role == DP_ROLE_PART) {
		/* no state: the coordinator has it */
		free(p);
		if (!want)
			return dp_error_set(err, DP_ERR_INVALID,
			                    "a part of '%s' needs its kind",
			                    ix->path);
		ix->kind = want;
		goto shards;
	}
	if (st == DP_OK)
		st = dpx_db_open(p, ix->flags & ~DPX_OPEN_CREATE, &ix->db, err);
	const char *sig = dp_analyzer_signature(ix->an);
	if (st == DP_OK)
		st = dp_index_check_compat(ix->db, p, sig, err);
	free(p);
	if (st == DP_OK)
		st = stamp_new(ix->db, sig, err);
	char *kind = NULL;
	if (st == DP_OK)
		st = dpx_db_get_metadata(ix->db, DP_META_SHARDS, &kind, NULL, err);
	if (st != DP_OK)
		return st;
	int have = kind ? dp_shards_parse_kind(kind) : -1;
	free(kind);
	if (have < 0 && want) {
		const char *kn = dp_shards_kind_name(want);
		st = dpx_db_set_metadata(ix->db, DP_META_SHARDS, kn, strlen(kn),
		                         err);
		if (st == DP_OK)
			st = dpx_db_commit(ix->db, err);
		if (st != DP_OK)
			return st;
		have = want;
	}
	if (have < 0)
		return dp_error_set(err, DP_ERR_CORRUPT,
		                    "database '%s' is sharded but its state does "
		                    "not say by what period", ix->path);
	if (want && want != have)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "database '%s' is sharded by %s, not by %s",
		                    ix->path, dp_shards_kind_name(have),
		                    dp_shards_kind_name(want));
	ix->kind = have;
	/* shards a stopped run was creating (the writer lock is held) */
	DIR *d = opendir(ix->path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strstr(e->d_name, ".new-")) {
			char lp[4096 + 256];
			snprintf(lp, sizeof lp, "%s/%s", ix->path, e->d_name);
			remove_flat(lp);
		}
	}
	if (d)
		closedir(d);
shards:;
	dp_stub stub;
	st = dp_stub_read(ix->path, &stub, err);
	if (st != DP_OK)
		return st;
	int listed = 0;
	for (size_t i = 0; st == DP_OK && i < stub.n; i++) {
		if (!stub.v[i].local)
			continue;
		listed = 1;
		size_t k;
		if (ix->role == DP_ROLE_STATE)
			st = note_name(ix, stub.v[i].local, err);
		else if (ix->role == DP_ROLE_FULL
		         || dp_shards_owner(stub.v[i].local, ix->nparts)
		            == ix->part)
			st = open_shard(ix, stub.v[i].local, 0, &k, err);
	}
	if (ix->role == DP_ROLE_PART) {
		dp_stub_release(&stub);
		return st;
	}
	char sp[4096];
	snprintf(sp, sizeof sp, "%s/%s", ix->path, DP_STUB_NAME);
	struct stat sb;
	if (st == DP_OK && !listed && stat(sp, &sb) != 0)
		st = dp_stub_write(ix->path, &stub, err);   /* an empty set */
	dp_stub_release(&stub);
	return st;
}

/* A new sharded database: its state and its (empty) stub made in a
 * directory beside it, renamed into place, so that the directory is a
 * sharded database from the moment it exists.  An existing empty
 * directory gets them in place (state first, aside). */
static dp_status create_sharded(dp_index *ix, int want, dp_error *err)
{
	struct stat sb;
	char *real = ix->path;
	char tmp[4096 + 32];
	int aside = stat(real, &sb) != 0;
	if (aside) {
		/* named as a compaction's copy: a stopped run's is removed */
		snprintf(tmp, sizeof tmp, "%s.compact-%ld", real, (long)getpid());
		if (mkdir(tmp, 0755) != 0)
			return dp_error_set(err, errno == EACCES || errno == EROFS
			                    ? DP_ERR_READONLY : DP_ERR_IO,
			                    "cannot create '%s': %s", tmp,
			                    strerror(errno));
		ix->path = tmp;
	}
	char sp[4096 + 64];
	snprintf(sp, sizeof sp, "%s/%s", ix->path, DP_STATE_NAME);
	dp_status st = create_aside(ix, sp, DP_META_SHARDS,
	                            dp_shards_kind_name(want), err);
	dp_stub empty = {0};
	if (st == DP_OK)
		st = dp_stub_write(ix->path, &empty, err);
	ix->path = real;
	if (st == DP_OK && aside && rename(tmp, real) != 0)
		st = dp_error_set(err, DP_ERR_IO, "cannot rename '%s' to '%s': %s",
		                  tmp, real, strerror(errno));
	if (st != DP_OK && aside) {
		char p[4096 + 64];
		snprintf(p, sizeof p, "%s/%s", tmp, DP_STUB_NAME);
		unlink(p);
		snprintf(p, sizeof p, "%s/%s", tmp, DP_STATE_NAME);
		remove_flat(p);
		rmdir(tmp);
	}
	return st;
}

dp_status dp_index_open(const char *path, const dp_index_opts *opts,
                        dp_index **out, dp_error *err)
{
	*out = NULL;
	dp_index *ix = calloc(1, sizeof *ix);
	if (!ix)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	ix->path = strdup(path);
	if (!ix->path) {
		dp_index_free(ix);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	/* no trailing slash: shard paths are ix->path + "/" + name */
	for (size_t n = strlen(ix->path); n > 1 && ix->path[n - 1] == '/'; n--)
		ix->path[n - 1] = '\0';
	dp_status st = dp_analyzer_new(&ix->an, err);
	if (st == DP_OK)
		st = dp_prepared_new(&ix->own, err);
	int flags = DPX_OPEN_WRITE;
	if (!opts || opts->create)
		flags |= DPX_OPEN_CREATE;
	if (opts && opts->no_sync)
		flags |= DPX_OPEN_NO_SYNC;
	if (opts && opts->wait_lock)
		flags |= DPX_OPEN_RETRY_LOCK;
	ix->flags = flags;
	int want = opts ? opts->shards : 0;
	ix->role = opts ? opts->role : DP_ROLE_FULL;
	ix->part = opts ? opts->part : 0;
	ix->nparts = opts && opts->nparts > 0 ? opts->nparts : 1;
	if (st == DP_OK && ix->role != DP_ROLE_FULL
	    && !dp_shards_present(ix->path))
		st = dp_error_set(err, DP_ERR_INVALID, "database '%s' is not "
		                  "sharded", ix->path);
	char probe[4096];
	struct stat sb;
	snprintf(probe, sizeof probe, "%s/iamglass", ix->path);
	if (st == DP_OK && dp_shards_present(ix->path)) {
		st = open_sharded(ix, want, err);
	} else if (st == DP_OK && want) {
		if (stat(probe, &sb) == 0)
			st = dp_error_set(err, DP_ERR_INVALID,
			                  "database '%s' is one database, not "
			                  "shards: convert it with depeche-index "
			                  "--convert %s", ix->path,
			                  dp_shards_kind_name(want));
		else if (!(flags & DPX_OPEN_CREATE))
			st = dp_error_set(err, DP_ERR_NOT_FOUND,
			                  "no database at '%s'", ix->path);
		else
			st = create_sharded(ix, want, err);
		if (st == DP_OK)
			st = open_sharded(ix, want, err);
	} else if (st == DP_OK) {
		st = dpx_db_open(path, flags, &ix->db, err);
		if (st == DP_OK)
			st = dp_index_check_compat(ix->db, path,
			                           dp_analyzer_signature(ix->an),
			                           err);
		if (st == DP_OK)
			st = stamp_new(ix->db, dp_analyzer_signature(ix->an), err);
		if (st == DP_OK) {
			ix->sh = calloc(1, sizeof *ix->sh);
			if (!ix->sh)
				st = dp_error_set(err, DP_ERR_NOMEM,
				                  "out of memory");
			else {
				ix->sh[0].db = ix->db;
				ix->nsh = ix->capsh = 1;
			}
		}
	}
	if (st != DP_OK) {
		dp_index_free(ix);
		return st;
	}
	*out = ix;
	return DP_OK;
}

void dp_index_free(dp_index *ix)
{
	if (!ix)
		return;
	for (size_t k = 0; k < ix->nsh; k++)
		if (ix->sh[k].db != ix->db)
			dpx_db_free(ix->sh[k].db);
	free(ix->sh);
	dpx_db_free(ix->db);
	dp_prepared_free(ix->own);
	dp_analyzer_free(ix->an);
	free(ix->old_ids);
	free(ix->seen_ids);
	dp_index_batch_done(ix);
	free(ix->touched);
	free(ix->names);
	free(ix->path);
	free(ix);
}

dp_status dp_prepared_new(dp_prepared **out, dp_error *err)
{
	*out = NULL;
	dp_prepared *b = calloc(1, sizeof *b);
	if (!b || !(b->toks = dp_tokens_new())) {
		free(b);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	dp_status st = dpx_doc_new(&b->doc, err);
	if (st != DP_OK) {
		dp_prepared_free(b);
		return st;
	}
	*out = b;
	return DP_OK;
}

void dp_prepared_free(dp_prepared *b)
{
	if (!b)
		return;
	dpx_doc_free(b->doc);
	dp_tokens_free(b->toks);
	free(b->seq);
	free(b->term);
	free(b->idterm);
	free(b);
}

dp_status dp_index_close(dp_index *ix, dp_error *err)
{
	dp_status st = dp_index_commit(ix, err);
	for (size_t k = 0; st == DP_OK && k < ix->nsh; k++)
		if (ix->sh[k].db != ix->db)
			st = dpx_db_close(ix->sh[k].db, err);
	if (st != DP_OK || !ix->db)
		return st;
	return dpx_db_close(ix->db, err);
}

/* The shards first, the state last: the state (which files are indexed)
 * is never ahead of the documents; a crash between two shards' commits
 * leaves files that are read again, which repairs any copy left over. */
dp_status dp_index_commit(dp_index *ix, dp_error *err)
{
	dp_status st = DP_OK;
	for (size_t k = 0; st == DP_OK && k < ix->nsh; k++) {
		if (ix->sh[k].db == ix->db || !ix->sh[k].dirty)
			continue;
		st = dpx_db_commit(ix->sh[k].db, err);
		if (st != DP_OK)
			dp_error_prefix(err, "shard '%s'", ix->sh[k].name);
		else
			ix->sh[k].dirty = 0;
	}
	if (st == DP_OK && ix->db)
		st = dpx_db_commit(ix->db, err);
	if (st == DP_OK) {
		ix->pending = 0;
		if (ix->nsh && ix->sh[0].db == ix->db)
			ix->sh[0].dirty = 0;
	}
	return st;
}

uint32_t dp_index_pending(const dp_index *ix)
{
	return ix->pending;
}

dp_status dp_index_count(dp_index *ix, uint32_t *live, dp_error *err)
{
	*live = 0;
	for (size_t k = 0; k < ix->nsh; k++) {
		uint32_t n = 0;
		dp_status st = dpx_db_termfreq(ix->sh[k].db, DP_TERM_LIVE,
		                               strlen(DP_TERM_LIVE), &n, err);
		if (st != DP_OK)
			return st;
		*live += n;
	}
	return DP_OK;
}

int dp_index_shard_kind(const dp_index *ix)
{
	return ix->kind;
}

size_t dp_index_nshards(const dp_index *ix)
{
	return ix->kind ? ix->nsh : 0;
}

const char *dp_index_shard_name(const dp_index *ix, size_t k)
{
	return ix->sh[k].name;
}

uint32_t dp_index_shard_writes(const dp_index *ix, size_t k)
{
	return ix->sh[k].writes;
}

dp_status dp_index_shard_meta(dp_index *ix, size_t k, const char *key,
                              const char *value, dp_error *err)
{
	ix->sh[k].dirty = 1;
	return dpx_db_set_metadata(ix->sh[k].db, key, value, strlen(value),
	                           err);
}

dp_status dp_index_set_meta(dp_index *ix, const char *key, const char *value,
                            dp_error *err)
{
	return dpx_db_set_metadata(ix->db, key, value, strlen(value), err);
}

/* ---- adding dispatches ---------------------------------------------------- */

static uint64_t content_hash(const dp_dispatch *d, const char *file_key)
{
	uint64_t h = FNV64_INIT;
	char num[64];
	snprintf(num, sizeof num, "%u %" PRId64 " %" PRId64 " %d %d",
	         d->version, d->time, d->first_time, d->urgency, (int)d->status);
	h = fnv64_str(h, num);
	const char *fields[] = {
		d->id, d->date, d->headline, d->source, d->lang, d->dateline,
		d->place, d->country, d->slug, d->byline, d->genre, d->signal,
		d->embargo, d->path, file_key,
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		h = fnv64_str(h, fields[i]);
	for (size_t i = 0; i < d->n_subjects; i++)
		h = fnv64_str(h, d->subjects[i]);
	for (size_t i = 0; i < d->n_paragraphs; i++)
		h = fnv64_str(h, d->paragraphs[i]);
	/* the analyzer's signature: a new analyzer rewrites everything */
	return h;
}

/* The local calendar date of a dispatch: as written in its date when that
 * starts with YYYY-MM-DD, else from its UTC time.  out gets "YYYYMMDD". */
static int local_day(const dp_dispatch *d, char out[9])
{
	const char *s = d->date;
	if (s && strlen(s) >= 10 && s[4] == '-' && s[7] == '-') {
		int ok = 1;
		for (int i = 0; i < 10; i++)
			if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
				ok = 0;
		if (ok && d->time != DP_TIME_UNKNOWN) {
			memcpy(out, s, 4);
			memcpy(out + 4, s + 5, 2);
			memcpy(out + 6, s + 8, 2);
			out[8] = '\0';
			return 1;
		}
	}
	if (s && strlen(s) >= 8 && d->time != DP_TIME_UNKNOWN) {
		int ok = 1;
		for (int i = 0; i < 8; i++)
			if (s[i] < '0' || s[i] > '9')
				ok = 0;
		if (ok) {
			memcpy(out, s, 8);
			out[8] = '\0';
			return 1;
		}
	}
	if (d->time == DP_TIME_UNKNOWN)
		return 0;
	char key[15];
	dp_time_key(d->time, key);
	memcpy(out, key, 8);
	out[8] = '\0';
	return 1;
}

/* Analyses headline, lead and body into b->toks; field_end[k] is the
 * index of the first token after field k. */
static dp_status analyse_fields(dp_prepared *b, const dp_dispatch *d,
                                size_t field_end[3], dp_error *err)
{
	dp_tokens_reset(b->toks);
	uint32_t pos = 1;
	dp_status st = DP_OK;
	if (d->headline && *d->headline)
		st = dp_analyze(b->an, d->headline, strlen(d->headline), pos,
		                DP_ANALYZE_INDEX, b->toks, err);
	field_end[0] = dp_tokens_count(b->toks);
	if (st == DP_OK && d->n_paragraphs > 0) {
		pos = dp_tokens_next_pos(b->toks) + DP_PARAGRAPH_GAP;
		st = dp_analyze(b->an, d->paragraphs[0], strlen(d->paragraphs[0]),
		                pos, DP_ANALYZE_INDEX, b->toks, err);
	}
	field_end[1] = dp_tokens_count(b->toks);
	for (size_t p = 1; st == DP_OK && p < d->n_paragraphs; p++) {
		pos = dp_tokens_next_pos(b->toks) + DP_PARAGRAPH_GAP;
		st = dp_analyze(b->an, d->paragraphs[p], strlen(d->paragraphs[p]),
		                pos, DP_ANALYZE_INDEX, b->toks, err);
	}
	field_end[2] = dp_tokens_count(b->toks);
	return st;
}

static dp_status add_text_terms(dp_prepared *b, const dp_dispatch *d,
                                dp_error *err)
{
	size_t fe[3];
	dp_status st = analyse_fields(b, d, fe, err);
	if (st != DP_OK)
		return st;
	size_t n = dp_tokens_count(b->toks);

	/* which capitalised words are names, over the whole dispatch */
	if (dp_tokens_mark_names(b->toks) < 0)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");

	b->n_seq = 0;
	for (size_t i = 0; st == DP_OK && i < n; i++) {
		const dp_token *t = dp_tokens_get(b->toks, i);
		/* the whole text; one positional term per token, the other
		 * form of the word without positions (schema 5) */
		const char *pt = dp_token_position_term(t);
		st = add_term(b, DP_PREFIX_TEXT, t->term, strlen(t->term),
		              pt == t->term ? t->pos : 0, 1, err);
		if (st == DP_OK && t->alias)
			st = add_term(b, DP_PREFIX_TEXT, t->alias, strlen(t->alias),
			              pt == t->alias ? t->pos : 0, 1, err);
		if (st == DP_OK && t->whole)
			st = add_term(b, DP_PREFIX_TEXT, t->whole, strlen(t->whole),
			              t->pos, 1, err);
		/* "d'un": "de" at the place of "un", so that the phrase "au
		 * bout de" finds "au bout d'un an" (schema 4) */
		if (st == DP_OK && t->elided)
			st = add_term(b, DP_PREFIX_TEXT, t->elided,
			              strlen(t->elided), t->pos, 1, err);
		/* and the headline's and the lead's words again, without
		 * positions, for their extra weight; stop words never get
		 * that weight (the query drops them outside phrases, and a
		 * phrase's weight comes from its other words) */
		const char *extra = (t->flags & DP_TOK_STOP) ? NULL
		                    : i < fe[0] ? DP_PREFIX_HEADLINE
		                    : i < fe[1] ? DP_PREFIX_LEAD : NULL;
		if (st == DP_OK && extra)
			st = add_term(b, extra, t->term, strlen(t->term), 0, 1, err);
		if (st == DP_OK && extra && t->alias)
			st = add_term(b, extra, t->alias, strlen(t->alias), 0, 1,
			              err);
		/* a name without positions: its word is at the same place,
		 * so a phrase or a window of names is one of words whose
		 * names the document has (schema 3) */
		if (st == DP_OK && t->name && (t->flags & DP_TOK_NAME))
			st = add_term(b, DP_PREFIX_NAME, t->name, strlen(t->name),
			              0, 1, err);
		if (i >= fe[0]) {
			if (b->n_seq == b->cap_seq) {
				size_t nc = b->cap_seq ? b->cap_seq * 2 : 1024;
				uint32_t *ns = realloc(b->seq, nc * sizeof *ns);
				if (!ns)
					return dp_error_set(err, DP_ERR_NOMEM,
					                    "out of memory");
				b->seq = ns;
				b->cap_seq = nc;
			}
			b->seq[b->n_seq++] = (uint32_t)fnv64_str(FNV64_INIT,
			                                            t->term);
		}
	}
	return st;
}

static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

/* The signature of b->seq; returns 0 when the text is too short. */
static int dup_signature(const dp_prepared *b, uint32_t sig[DUP_K])
{
	if (b->n_seq < DUP_MIN_TERMS)
		return 0;
	for (int k = 0; k < DUP_K; k++)
		sig[k] = UINT32_MAX;
	for (size_t i = 0; i + 4 <= b->n_seq; i++) {
		uint32_t sh = mix32(b->seq[i] ^ mix32(b->seq[i + 1]
		                    ^ mix32(b->seq[i + 2] ^ mix32(b->seq[i + 3]))));
		for (int k = 0; k < DUP_K; k++) {
			uint32_t v = mix32(sh ^ (0x9e3779b9U * (uint32_t)(k + 1)));
			if (v < sig[k])
				sig[k] = v;
		}
	}
	return 1;
}

static void band_term(const uint32_t sig[DUP_K], int b, char out[24])
{
	uint64_t h = FNV64_INIT;
	h = fnv64(h, &sig[b * (DUP_K / DUP_BANDS)],
	          sizeof *sig * (DUP_K / DUP_BANDS));
	snprintf(out, 24, "%s%d%08x", DP_PREFIX_DUP, b, (unsigned)(h >> 32));
}

typedef struct cand_ctx {
	uint32_t ids[16];
	size_t n;
} cand_ctx;

static int collect_cand(void *ctx, uint32_t docid)
{
	cand_ctx *c = ctx;
	for (size_t i = 0; i < c->n; i++)
		if (c->ids[i] == docid)
			return 0;
	c->ids[c->n++] = docid;
	return c->n == 16;
}

/* Looks for an indexed near-duplicate of the text just analysed (other
 * than document self) in shard k; fills story (the story key to join)
 * when one is found.  Returns 1 when found. */
static int find_near_duplicate_in(dp_index *ix, size_t k,
                                  const uint32_t sig[DUP_K], gid self,
                                  char *story, size_t storysz, dp_error *err,
                                  dp_status *st)
{
	dpx_db *db = ix->sh[k].db;
	for (int b = 0; b < DUP_BANDS; b++) {
		char term[24];
		band_term(sig, b, term);
		cand_ctx c = {{0}, 0};
		*st = dpx_db_postlist_each(db, term, collect_cand, &c, err);
		if (*st != DP_OK)
			return 0;
		for (size_t i = 0; i < c.n; i++) {
			if (GID(k, c.ids[i]) == self)
				continue;
			char *v = NULL;
			size_t len = 0;
			*st = dpx_db_doc_value(db, c.ids[i], DP_SLOT_DUP, &v, &len,
			                       err);
			if (*st != DP_OK)
				return 0;
			int same = 0;
			for (int h = 0; v && len >= (size_t)DUP_K * 8 && h < DUP_K;
			     h++) {
				char hx[9];
				memcpy(hx, v + h * 8, 8);
				hx[8] = '\0';
				if ((uint32_t)strtoul(hx, NULL, 16) == sig[h])
					same++;
			}
			free(v);
			if (same < DUP_MATCH)
				continue;
			*st = dpx_db_doc_value(db, c.ids[i], DP_SLOT_STORY, &v,
			                       &len, err);
			if (*st != DP_OK)
				return 0;
			if (v && *v) {
				snprintf(story, storysz, "%s", v);
				free(v);
				return 1;
			}
			free(v);
		}
	}
	return 0;
}

/* The near-duplicates of a story are looked for in its shard and the
 * shards of the periods beside it: a copy sent months later starts a
 * story of its own (a single database would join it). */
static int find_near_duplicate(dp_index *ix, size_t k,
                               const uint32_t sig[DUP_K], gid self,
                               char *story, size_t storysz, dp_error *err,
                               dp_status *st)
{
	size_t lo = k > 0 ? k - 1 : 0, hi = k + 1 < ix->nsh ? k + 1 : k;
	if (find_near_duplicate_in(ix, k, sig, self, story, storysz, err, st))
		return 1;
	/* a part: its own shard only, as for one writer of each shard */
	if (ix->role == DP_ROLE_PART)
		return 0;
	for (size_t j = lo; *st == DP_OK && j <= hi; j++)
		if (j != k && find_near_duplicate_in(ix, j, sig, self, story,
		                                     storysz, err, st))
			return 1;
	return 0;
}

/* What the index holds of a dispatch id: the version that counts, and
 * the shards that hold other copies (left by a crash between two
 * shards' commits, or a version that moved to another period). */
#define MAX_COPIES 8
typedef struct existing {
	uint32_t docid;
	size_t shard;
	uint32_t version;
	char hash[24];
	int killed;
	size_t others[MAX_COPIES];
	size_t n_others;
} existing;

static dp_status read_copy(dpx_db *db, uint32_t docid, existing *ex,
                           dp_error *err)
{
	char *v = NULL;
	size_t len = 0;
	dp_status st = dpx_db_doc_value(db, docid, DP_SLOT_VERSION, &v, &len,
	                                err);
	if (st != DP_OK)
		return st;
	ex->version = v ? (uint32_t)strtoul(v, NULL, 10) : 1;
	free(v);
	st = dpx_db_doc_value(db, docid, DP_SLOT_HASH, &v, &len, err);
	if (st != DP_OK)
		return st;
	snprintf(ex->hash, sizeof ex->hash, "%s", v ? v : "");
	free(v);
	st = dpx_db_doc_value(db, docid, DP_SLOT_STATUS, &v, &len, err);
	if (st != DP_OK)
		return st;
	ex->killed = v && (!strcmp(v, "canceled") || !strcmp(v, "withheld"));
	free(v);
	ex->docid = docid;
	return DP_OK;
}

/* The copy of idterm in shard k, if it holds one. */
static dp_status shard_copy(dp_index *ix, size_t k, const char *idterm,
                            existing *c, int *found, dp_error *err)
{
	memset(c, 0, sizeof *c);
	uint32_t docid = 0;
	dp_status st = dpx_db_find_term(ix->sh[k].db, idterm, &docid, err);
	if (st != DP_OK || !docid)
		return st;
	*found = 1;
	return read_copy(ix->sh[k].db, docid, c, err);
}

static dp_status find_existing(dp_index *ix, const char *idterm,
                               size_t own, existing *ex, dp_error *err)
{
	memset(ex, 0, sizeof *ex);
	/* the shard last written first: versions mostly share a period; a
	 * part looks in the dispatch's own shard only */
	size_t nlook = ix->role == DP_ROLE_PART ? 1 : ix->nsh;
	for (size_t n = 0; n < nlook; n++) {
		size_t k = ix->role == DP_ROLE_PART ? own
		           : n == 0 ? ix->last : n <= ix->last ? n - 1 : n;
		existing c;
		int found = 0;
		dp_status st = shard_copy(ix, k, idterm, &c, &found, err);
		if (st != DP_OK)
			return st;
		if (!found)
			continue;
		c.shard = k;
		if (!ex->docid) {
			*ex = c;
			continue;
		}
		int better = c.version > ex->version
		             || (c.version == ex->version && c.killed
		                 && !ex->killed);
		if (better) {
			c.n_others = ex->n_others;
			memcpy(c.others, ex->others, sizeof c.others);
			if (c.n_others < MAX_COPIES)
				c.others[c.n_others++] = ex->shard;
			*ex = c;
		} else if (ex->n_others < MAX_COPIES) {
			ex->others[ex->n_others++] = k;
		}
	}
	return DP_OK;
}

/* Removes the copies of idterm in other shards than keep. */
static dp_status drop_copies(dp_index *ix, const existing *ex, size_t keep,
                             const char *idterm, dp_error *err)
{
	dp_status st = DP_OK;
	for (size_t i = 0; st == DP_OK && i <= ex->n_others; i++) {
		size_t k = i < ex->n_others ? ex->others[i] : ex->shard;
		if (!ex->docid || k == keep)
			continue;
		st = dpx_db_delete(ix->sh[k].db, idterm, err);
		if (st == DP_OK) {
			ix->sh[k].dirty = 1;
			ix->sh[k].writes++;
			ix->pending++;
		}
	}
	return st;
}

static dp_status note_seen(dp_index *ix, gid docid, dp_error *err)
{
	if (!ix->in_file || !GID_DOC(docid))
		return DP_OK;
	if (ix->n_seen == ix->cap_seen) {
		size_t nc = ix->cap_seen ? ix->cap_seen * 2 : 256;
		gid *n = realloc(ix->seen_ids, nc * sizeof *n);
		if (!n)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		ix->seen_ids = n;
		ix->cap_seen = nc;
	}
	ix->seen_ids[ix->n_seen++] = docid;
	return DP_OK;
}

/* The document of d in b->doc: every term, value and the data, but its
 * story (which depends on what is indexed). */
static dp_status build_document(dp_prepared *b, const dp_dispatch *d,
                                const char *file_key, dp_error *err)
{
	dpx_doc_clear(b->doc);
	b->has_sig = 0;
	char buf[64];
	int killed = d->status == DP_PUB_CANCELED
	             || d->status == DP_PUB_WITHHELD;
	dp_status st = dpx_doc_add_term(b->doc, b->idterm, strlen(b->idterm), 0,
	                                err);
	if (st == DP_OK)
		st = add_term(b, DP_PREFIX_STATUS, dp_pubstatus_name(d->status),
		              strlen(dp_pubstatus_name(d->status)), 0, 0, err);
	if (st == DP_OK && file_key)
		st = add_term(b, DP_PREFIX_FILE, file_key, strlen(file_key), 0, 0,
		              err);
	snprintf(buf, sizeof buf, "%010u", d->version);
	if (st == DP_OK)
		st = set_value(b, DP_SLOT_VERSION, buf, err);
	if (st == DP_OK)
		st = set_value(b, DP_SLOT_HASH, b->hash, err);
	if (st == DP_OK)
		st = set_value(b, DP_SLOT_STATUS, dp_pubstatus_name(d->status),
		               err);
	if (st != DP_OK || killed) {
		/* a kill keeps only what the story's life needs: no text, no
		 * filters, so that no query can find it */
		if (st == DP_OK) {
			char *data;
			size_t len;
			dp_dispatch k = *d;
			k.headline = NULL;
			k.n_paragraphs = 0;
			k.n_subjects = 0;
			st = dp_docdata_encode(&k, &data, &len, err);
			if (st == DP_OK) {
				st = dpx_doc_set_data(b->doc, data, len, err);
				free(data);
			}
		}
		return st;
	}

	st = add_text_terms(b, d, err);
	if (st == DP_OK)
		st = dpx_doc_add_term(b->doc, DP_TERM_LIVE, strlen(DP_TERM_LIVE), 0,
		                      err);
	if (st == DP_OK)
		st = add_bool_words(b, DP_PREFIX_SOURCE, d->source, err);
	if (st == DP_OK)
		st = add_bool_words(b, DP_PREFIX_PLACE, d->place, err);
	if (st == DP_OK && d->country)
		st = add_bool_words(b, DP_PREFIX_PLACE, d->country, err);
	if (st == DP_OK)
		st = add_bool(b, DP_PREFIX_LANG, d->lang, err);
	if (st == DP_OK)
		st = add_bool_words(b, DP_PREFIX_GENRE, d->genre, err);
	if (st == DP_OK)
		st = add_bool(b, DP_PREFIX_SLUG, d->slug, err);
	for (size_t i = 0; st == DP_OK && i < d->n_subjects; i++)
		st = add_bool_words(b, DP_PREFIX_SUBJECT, d->subjects[i], err);
	if (st == DP_OK && d->urgency > 0) {
		snprintf(buf, sizeof buf, "%d", d->urgency);
		st = add_term(b, DP_PREFIX_URGENCY, buf, strlen(buf), 0, 0, err);
		if (st == DP_OK)
			st = set_value(b, DP_SLOT_URGENCY, buf, err);
	}
	char day[9];
	if (st == DP_OK && local_day(d, day)) {
		st = add_term(b, DP_PREFIX_YEAR, day, 4, 0, 0, err);
		if (st == DP_OK)
			st = add_term(b, DP_PREFIX_MONTH, day, 6, 0, 0, err);
		if (st == DP_OK)
			st = add_term(b, DP_PREFIX_DAY, day, 8, 0, 0, err);
		if (st == DP_OK)
			st = set_value(b, DP_SLOT_DAY, day, err);
		snprintf(buf, sizeof buf, "%.4s-%.2s", day, day + 4);
		if (st == DP_OK)
			st = set_value(b, DP_SLOT_MONTH, buf, err);
	}
	if (st == DP_OK && d->time != DP_TIME_UNKNOWN) {
		char key[15];
		dp_time_key(d->time, key);
		st = set_value(b, DP_SLOT_TIME, key, err);
	}
	b->has_sig = st == DP_OK && dup_signature(b, b->sig);
	if (st == DP_OK && b->has_sig) {
		char sv[DUP_K * 8 + 1];
		for (int k = 0; k < DUP_K; k++)
			snprintf(sv + k * 8, 9, "%08x", (unsigned)b->sig[k]);
		st = set_value(b, DP_SLOT_DUP, sv, err);
		for (int k = 0; st == DP_OK && k < DUP_BANDS; k++) {
			char term[24];
			band_term(b->sig, k, term);
			st = dpx_doc_add_term(b->doc, term, strlen(term), 0, err);
		}
	}
	if (st == DP_OK)
		st = set_value(b, DP_SLOT_SOURCE, d->source, err);
	if (st == DP_OK)
		st = set_value(b, DP_SLOT_PLACE, d->place, err);
	if (st == DP_OK)
		st = set_value(b, DP_SLOT_LANG, d->lang, err);
	if (st == DP_OK) {
		char *data;
		size_t len;
		st = dp_docdata_encode(d, &data, &len, err);
		if (st == DP_OK) {
			st = dpx_doc_set_data(b->doc, data, len, err);
			free(data);
		}
	}
	return st;
}

/* The story of a live dispatch: a near-duplicate joins the story of the
 * copy already indexed; otherwise the slug groups versions sent under
 * several ids; otherwise the id. */
static dp_status add_story(dp_index *ix, dp_prepared *b, const dp_dispatch *d,
                           size_t k, gid self, dp_error *err)
{
	char story[MAX_BOOL * 3 + 16];
	dp_status st = DP_OK;
	int joined = 0;
	if (b->has_sig)
		joined = find_near_duplicate(ix, k, b->sig, self, story,
		                             sizeof story, err, &st);
	if (st != DP_OK)
		return st;
	if (!joined) {
		if (d->slug && *d->slug) {
			/* agencies reuse a slug for a topic over years: the
			 * story is the slug on one day */
			char f[MAX_BOOL * 3 + 8], sday[9] = "";
			size_t n = strlen(d->slug);
			dp_utf8_fold(d->slug, n > MAX_BOOL ? MAX_BOOL : n, f);
			local_day(d, sday);
			snprintf(story, sizeof story, "s:%s:%s", f, sday);
		} else {
			snprintf(story, sizeof story, "i:%.200s", d->id);
		}
	}
	st = set_value(b, DP_SLOT_STORY, story, err);
	if (st == DP_OK)
		st = add_term(b, DP_PREFIX_STORY, story, strlen(story), 0, 0, err);
	return st;
}

dp_status dp_index_prepare(dp_prepared *b, dp_analyzer *an,
                           const dp_dispatch *d, const char *file_key,
                           dp_error *err)
{
	b->d = NULL;
	b->an = an;
	dp_status st = dp_dispatch_validate(d, err);
	if (st != DP_OK)
		return st;
	size_t idl = strlen(d->id);
	if (idl + 2 > b->idterm_cap) {
		char *n = realloc(b->idterm, idl + 2);
		if (!n)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		b->idterm = n;
		b->idterm_cap = idl + 2;
	}
	b->idterm[0] = DP_PREFIX_ID[0];
	memcpy(b->idterm + 1, d->id, idl + 1);
	snprintf(b->hash, sizeof b->hash, "%016" PRIx64,
	         content_hash(d, file_key));
	b->kill = d->status == DP_PUB_CANCELED || d->status == DP_PUB_WITHHELD;
	st = build_document(b, d, file_key, err);
	if (st != DP_OK) {
		if (st != DP_ERR_NOMEM)
			dp_error_prefix(err, "dispatch '%s'", d->id);
		return st;
	}
	b->d = d;
	b->file_key = file_key;
	return DP_OK;
}

/* ---- other files holding a dispatch ------------------------------------
 * A document carries XF<key> of the file its version came from, and
 * XOF<key> of every other file seen holding a version of it, so that when
 * its file goes (--prune) those files can be read again. */

typedef struct file_keys {
	char (*k)[17];
	size_t n, cap;
	int nomem;
} file_keys;

static int push_key(file_keys *f, const char *key, size_t len)
{
	if (len != 16)
		return 0;
	for (size_t i = 0; i < f->n; i++)
		if (!memcmp(f->k[i], key, 16))
			return 0;
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 8;
		char (*nk)[17] = realloc(f->k, nc * sizeof *nk);
		if (!nk) {
			f->nomem = 1;
			return 1;
		}
		f->k = nk;
		f->cap = nc;
	}
	memcpy(f->k[f->n], key, 16);
	f->k[f->n++][16] = '\0';
	return 0;
}

/* XF<key> or XOF<key>: the key is the term's last 16 bytes. */
static int collect_file_key(void *ctx, const char *term, size_t len,
                            uint32_t wdf, uint32_t tf)
{
	(void)wdf;
	(void)tf;
	return len < 16 ? 0 : push_key(ctx, term + len - 16, 16);
}

/* The files a document's dispatch is known in: its origin (XF) when
 * origin is set, and the others (XOF). */
static dp_status doc_files(dp_index *ix, gid g, int origin, file_keys *f,
                           dp_error *err)
{
	f->n = 0;
	f->nomem = 0;
	dp_status st = DP_OK;
	dpx_db *db = ix->sh[GID_SHARD(g)].db;
	if (origin)
		st = dpx_db_doc_terms_each(db, GID_DOC(g), DP_PREFIX_FILE,
		                           collect_file_key, f, err);
	if (st == DP_OK)
		st = dpx_db_doc_terms_each(db, GID_DOC(g), DP_PREFIX_FILE_OTHER,
		                           collect_file_key, f, err);
	if (st == DP_OK && f->nomem)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	return st;
}

/* A new version replaces the document docid: the files that held the
 * one before go with it, as other files. */
static dp_status carry_files(dp_index *ix, dp_prepared *b, gid docid,
                             dp_error *err)
{
	file_keys f = {0};
	dp_status st = doc_files(ix, docid, 1, &f, err);
	for (size_t i = 0; st == DP_OK && i < f.n; i++)
		if (!b->file_key || strcmp(f.k[i], b->file_key) != 0)
			st = add_term(b, DP_PREFIX_FILE_OTHER, f.k[i], 16, 0, 0, err);
	free(f.k);
	return st;
}

/* The file being read holds an older version (or a copy) of the indexed
 * document docid: the document notes the file. */
static dp_status note_other_file(dp_index *ix, dp_prepared *b, gid docid,
                                 dp_error *err)
{
	if (!b->file_key)
		return DP_OK;
	file_keys f = {0};
	dp_status st = doc_files(ix, docid, 1, &f, err);
	int known = 0;
	for (size_t i = 0; i < f.n; i++)
		if (!strcmp(f.k[i], b->file_key))
			known = 1;
	free(f.k);
	if (st != DP_OK || known)
		return st;
	char term[24];
	snprintf(term, sizeof term, "%s%s", DP_PREFIX_FILE_OTHER, b->file_key);
	ix_shard *sh = &ix->sh[GID_SHARD(docid)];
	st = dpx_db_doc_add_term(sh->db, GID_DOC(docid), term, err);
	if (st == DP_OK) {
		ix->pending++;
		sh->dirty = 1;
		sh->writes++;
	}
	return st;
}

/* The shard a dispatch belongs to: its period's (opened, or created,
 * when not yet); the only database when not sharded. */
static dp_status shard_for(dp_index *ix, const dp_dispatch *d, size_t *k,
                           dp_error *err)
{
	if (!ix->kind) {
		*k = 0;
		return DP_OK;
	}
	char day[9] = "", period[16];
	if (!local_day(d, day))
		day[0] = '\0';
	dp_shards_period(ix->kind, day, period);
	if (ix->last < ix->nsh && !strcmp(ix->sh[ix->last].name, period)) {
		*k = ix->last;
		return DP_OK;
	}
	/* a part opens the shards the coordinator creates */
	dp_status st = open_shard(ix, period, ix->role != DP_ROLE_PART, k, err);
	if (st == DP_OK)
		ix->last = *k;
	return st;
}

/* Notes a put of this batch in a part. */
static dp_status touch(dp_index *ix, const char *idterm, const char *shard,
                       int res, int existed, dp_error *err)
{
	if (ix->ntouched == ix->captouched) {
		size_t nc = ix->captouched ? ix->captouched * 2 : 256;
		struct touch *nv = realloc(ix->touched, nc * sizeof *nv);
		if (!nv)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		ix->touched = nv;
		ix->captouched = nc;
	}
	struct touch *t = &ix->touched[ix->ntouched];
	t->id = strdup(idterm);
	if (!t->id)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	snprintf(t->shard, sizeof t->shard, "%s", shard);
	t->seq = ix->seq;
	/* an unchanged put asserts the copy again at this point of the
	 * run (what it replaced meanwhile in another shard loses to it);
	 * an older one does not */
	t->wrote = res != DP_ADD_OLDER;
	t->res = res;
	t->existed = existed;
	ix->ntouched++;
	return DP_OK;
}

dp_status dp_index_put(dp_index *ix, dp_prepared *b, dp_add_result *res,
                       dp_error *err)
{
	const dp_dispatch *d = b->d;
	if (!d)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "dp_index_put: nothing prepared");
	existing ex;
	size_t k = 0;
	dp_status st = shard_for(ix, d, &k, err);
	if (st == DP_OK)
		st = find_existing(ix, b->idterm, k, &ex, err);
	if (st != DP_OK)
		goto out;
	gid exg = GID(ex.shard, ex.docid);
	dp_dispatch tomb;
	if (ex.docid && b->kill) {
		/* A kill removes the story whatever its version; the
		 * tombstone keeps the highest version seen, so that no older
		 * copy brings the story back. */
		if (ex.killed && ex.version >= d->version) {
			*res = DP_ADD_UNCHANGED;
			st = note_seen(ix, exg, err);
			if (st == DP_OK)
				st = note_other_file(ix, b, exg, err);
			if (st == DP_OK)
				st = drop_copies(ix, &ex, ex.shard, b->idterm, err);
			goto out;
		}
		if (ex.version > d->version) {
			tomb = *d;
			tomb.version = ex.version;
			d = &tomb;
			b->an = ix->an;
			st = build_document(b, d, b->file_key, err);
			if (st != DP_OK)
				goto out;
		}
	} else if (ex.docid) {
		if (ex.version > d->version
		    || (ex.killed && ex.version >= d->version)) {
			/* an older version, or a copy of a killed story: the
			 * index keeps what it has */
			*res = DP_ADD_OLDER;
			st = note_seen(ix, exg, err);
			if (st == DP_OK)
				st = note_other_file(ix, b, exg, err);
			if (st == DP_OK)
				st = drop_copies(ix, &ex, ex.shard, b->idterm, err);
			goto out;
		}
		if (ex.version == d->version && strcmp(ex.hash, b->hash) == 0) {
			*res = DP_ADD_UNCHANGED;
			st = note_seen(ix, exg, err);
			if (st == DP_OK)
				st = drop_copies(ix, &ex, ex.shard, b->idterm, err);
			goto out;
		}
	}
	if (!b->kill) {
		b->an = ix->an;
		st = add_story(ix, b, d, k, ex.docid && ex.shard == k ? exg : 0,
		               err);
	}
	if (st == DP_OK && ex.docid)
		st = carry_files(ix, b, exg, err);
	/* a version that moves to another period leaves the old one's
	 * shard: the newest version's shard owns the story */
	if (st == DP_OK)
		st = drop_copies(ix, &ex, k, b->idterm, err);
	uint32_t docid = 0;
	if (st == DP_OK)
		st = dpx_db_replace(ix->sh[k].db, b->idterm, b->doc, &docid, err);
	if (st != DP_OK)
		goto out;
	st = note_seen(ix, GID(k, docid), err);
	ix->pending++;
	ix->sh[k].dirty = 1;
	ix->sh[k].writes++;
	if (b->kill)
		*res = DP_ADD_KILLED;
	else
		*res = ex.docid ? DP_ADD_UPDATED : DP_ADD_NEW;
out:
	if (st == DP_OK && ix->role == DP_ROLE_PART)
		st = touch(ix, b->idterm, ix->sh[k].name, (int)*res,
		           ex.docid != 0, err);
	b->d = NULL;
	if (st != DP_OK && st != DP_ERR_NOMEM)
		dp_error_prefix(err, "dispatch '%s'", d->id);
	return st;
}

dp_status dp_index_add(dp_index *ix, const dp_dispatch *d,
                       const char *file_key, dp_add_result *res,
                       dp_error *err)
{
	dp_status st = dp_index_prepare(ix->own, ix->an, d, file_key, err);
	if (st != DP_OK)
		return st;
	return dp_index_put(ix, ix->own, res, err);
}

/* ---- file state ------------------------------------------------------------
 * Metadata "F:<key>" = "size mtime_ns ino dev ndocs nerrors\tpath". */

static void meta_key(const char *path, char out[24])
{
	char k[17];
	dp_index_file_key(path, k);
	snprintf(out, 24, "%s%s", DP_META_FILE_PREFIX, k);
}

static int parse_state(const char *v, size_t len, dp_file_state *st,
                       const char **path)
{
	long long size, mtime;
	unsigned long long ino, dev;
	unsigned nd, ne;
	int used = 0;
	if (sscanf(v, "%lld %lld %llu %llu %u %u%n", &size, &mtime, &ino, &dev,
	           &nd, &ne, &used) != 6)
		return -1;
	if ((size_t)used >= len || v[used] != '\t')
		return -1;
	st->size = size;
	st->mtime_ns = mtime;
	st->ino = ino;
	st->dev = dev;
	st->ndocs = nd;
	st->nerrors = ne;
	*path = v + used + 1;
	return 0;
}

dp_status dp_index_file_get(dp_index *ix, const char *path,
                            dp_file_state *st, int *found, dp_error *err)
{
	*found = 0;
	char key[24];
	meta_key(path, key);
	char *v = NULL;
	size_t len = 0;
	dp_status s = dpx_db_get_metadata(ix->db, key, &v, &len, err);
	if (s != DP_OK || !v)
		return s;
	const char *p;
	if (parse_state(v, len, st, &p) == 0 && strcmp(p, path) == 0)
		*found = 1;
	free(v);
	return DP_OK;
}

dp_status dp_index_file_put(dp_index *ix, const char *path,
                            const dp_file_state *st, dp_error *err)
{
	char key[24];
	meta_key(path, key);
	size_t n = strlen(path) + 160;
	char *v = malloc(n);
	if (!v)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	int l = snprintf(v, n, "%lld %lld %llu %llu %u %u\t%s",
	                 (long long)st->size, (long long)st->mtime_ns,
	                 (unsigned long long)st->ino, (unsigned long long)st->dev,
	                 st->ndocs, st->nerrors, path);
	dp_status s = dpx_db_set_metadata(ix->db, key, v, (size_t)l, err);
	free(v);
	return s;
}

typedef struct collect_ctx {
	dp_index *ix;
	size_t shard;
} collect_ctx;

static int collect_docid(void *ctx, uint32_t docid)
{
	collect_ctx *c = ctx;
	dp_index *ix = c->ix;
	if (ix->n_old == ix->cap_old) {
		size_t nc = ix->cap_old ? ix->cap_old * 2 : 256;
		gid *n = realloc(ix->old_ids, nc * sizeof *n);
		if (!n)
			return 1;
		ix->old_ids = n;
		ix->cap_old = nc;
	}
	ix->old_ids[ix->n_old++] = GID(c->shard, docid);
	return 0;
}

/* The documents of a file, in every shard. */
static dp_status collect_file_docs(dp_index *ix, const char *key,
                                   dp_error *err)
{
	char term[32];
	snprintf(term, sizeof term, "%s%s", DP_PREFIX_FILE, key);
	ix->n_old = 0;
	dp_status st = DP_OK;
	for (size_t k = 0; st == DP_OK && k < ix->nsh; k++) {
		collect_ctx c = {ix, k};
		st = dpx_db_postlist_each(ix->sh[k].db, term, collect_docid, &c,
		                          err);
	}
	return st;
}

/* Removes document g; one already gone (a version that moved to another
 * shard meanwhile) is not an error. */
static dp_status delete_gid(dp_index *ix, gid g, int *gone, dp_error *err)
{
	ix_shard *sh = &ix->sh[GID_SHARD(g)];
	dp_error e2 = {0};
	dp_status st = dpx_db_delete_docid(sh->db, GID_DOC(g), &e2);
	*gone = st == DP_OK;
	if (st == DP_ERR_NOT_FOUND && ix->kind)
		return DP_OK;
	if (st != DP_OK) {
		*err = e2;
		return st;
	}
	sh->dirty = 1;
	sh->writes++;
	ix->pending++;
	return DP_OK;
}

dp_status dp_index_file_begin(dp_index *ix, const char *path, dp_error *err)
{
	dp_index_file_key(path, ix->file_key);
	ix->n_seen = 0;
	ix->in_file = 1;
	return collect_file_docs(ix, ix->file_key, err);
}

static int cmp_gid(const void *a, const void *b)
{
	gid x = *(const gid *)a, y = *(const gid *)b;
	return x < y ? -1 : x > y;
}

dp_status dp_index_file_end(dp_index *ix, uint32_t *removed, dp_error *err)
{
	*removed = 0;
	ix->in_file = 0;
	if (ix->n_old == 0)
		return DP_OK;
	if (ix->n_seen > 1)
		qsort(ix->seen_ids, ix->n_seen, sizeof *ix->seen_ids, cmp_gid);
	for (size_t i = 0; i < ix->n_old; i++) {
		gid id = ix->old_ids[i];
		if (ix->n_seen && bsearch(&id, ix->seen_ids, ix->n_seen,
		                          sizeof id, cmp_gid))
			continue;
		int gone = 0;
		dp_status st = delete_gid(ix, id, &gone, err);
		if (st != DP_OK)
			return st;
		*removed += (uint32_t)gone;
	}
	ix->n_old = 0;
	return DP_OK;
}

typedef struct each_ctx {
	dp_file_fn fn;
	void *ctx;
} each_ctx;

static int each_meta(void *ctx, const char *key, size_t klen,
                     const char *value, size_t vlen)
{
	each_ctx *e = ctx;
	(void)key;
	(void)klen;
	char *v = malloc(vlen + 1);
	if (!v)
		return 1;
	memcpy(v, value, vlen);
	v[vlen] = '\0';
	dp_file_state st;
	const char *path;
	int stop = 0;
	if (parse_state(v, vlen, &st, &path) == 0)
		stop = e->fn(e->ctx, path, &st);
	free(v);
	return stop;
}

dp_status dp_index_file_each(dp_index *ix, dp_file_fn fn, void *ctx,
                             dp_error *err)
{
	each_ctx e = {fn, ctx};
	return dpx_db_metadata_each(ix->db, DP_META_FILE_PREFIX, each_meta, &e,
	                            err);
}

dp_status dp_index_file_forget(dp_index *ix, const char *path,
                               uint32_t *removed, dp_file_fn reread,
                               void *ctx, dp_error *err)
{
	*removed = 0;
	char key[17];
	dp_index_file_key(path, key);
	dp_status st = collect_file_docs(ix, key, err);
	/* the other files that hold versions of these dispatches: read
	 * again, the newest they have takes the place of the one removed */
	file_keys f = {0}, all = {0};
	for (size_t i = 0; st == DP_OK && i < ix->n_old; i++) {
		st = doc_files(ix, ix->old_ids[i], 0, &f, err);
		for (size_t k = 0; st == DP_OK && k < f.n; k++)
			if (strcmp(f.k[k], key) != 0 && push_key(&all, f.k[k], 16))
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	free(f.k);
	for (size_t i = 0; st == DP_OK && i < ix->n_old; i++) {
		int gone = 0;
		st = delete_gid(ix, ix->old_ids[i], &gone, err);
		*removed += (uint32_t)gone;
	}
	ix->n_old = 0;
	if (st == DP_OK) {
		char mk[24];
		meta_key(path, mk);
		st = dpx_db_set_metadata(ix->db, mk, "", 0, err);
	}
	for (size_t i = 0; st == DP_OK && i < all.n; i++) {
		char mk[24];
		snprintf(mk, sizeof mk, "%s%s", DP_META_FILE_PREFIX, all.k[i]);
		char *v = NULL;
		size_t len = 0;
		st = dpx_db_get_metadata(ix->db, mk, &v, &len, err);
		dp_file_state fs;
		const char *other;
		if (st == DP_OK && v && parse_state(v, len, &fs, &other) == 0) {
			/* marked to be read whole again (a size of -1 matches
			 * no file), in this run or, if it stops first, the
			 * next that prunes */
			fs.size = -1;
			st = dp_index_file_put(ix, other, &fs, err);
			if (st == DP_OK && reread && reread(ctx, other, &fs))
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		free(v);
	}
	free(all.k);
	return st;
}

/* ---- parallel writers -------------------------------------------------- */

dp_status dp_index_ensure_shard(dp_index *ix, const dp_dispatch *d,
                                char period[16], dp_error *err)
{
	char day[9] = "";
	if (!local_day(d, day))
		day[0] = '\0';
	dp_shards_period(ix->kind, day, period);
	size_t lo = 0, hi = ix->nnames;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ix->names[mid], period);
		if (!c)
			return DP_OK;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t pl = strlen(ix->path) + strlen(period) + 2;
	char *p = malloc(pl);
	if (!p)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	snprintf(p, pl, "%s/%s", ix->path, period);
	dp_status st = create_aside(ix, p, DP_META_PERIOD, period, err);
	free(p);
	if (st == DP_OK) {
		/* listed once it exists: a reader never meets a shard
		 * that is not there */
		dp_stub stub;
		st = dp_stub_read(ix->path, &stub, err);
		if (st == DP_OK) {
			st = dp_stub_add_local(&stub, period, err);
			if (st == DP_OK)
				st = dp_stub_write(ix->path, &stub, err);
			dp_stub_release(&stub);
		}
	}
	if (st == DP_OK)
		st = note_name(ix, period, err);
	return st;
}

void dp_index_set_seq(dp_index *ix, uint64_t seq)
{
	ix->seq = seq;
}

static int cmp_touch(const void *a, const void *b)
{
	const struct touch *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (!c)
		c = strcmp(x->shard, y->shard);
	if (!c)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

dp_status dp_index_touched(dp_index *ix, const char *const **ids,
                           size_t *n, dp_error *err)
{
	if (!ix->tids && ix->ntouched) {
		qsort(ix->touched, ix->ntouched, sizeof *ix->touched, cmp_touch);
		ix->tids = malloc(ix->ntouched * sizeof *ix->tids);
		if (!ix->tids)
			return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		ix->ntids = 0;
		for (size_t i = 0; i < ix->ntouched; i++)
			if (!ix->ntids || strcmp(ix->tids[ix->ntids - 1],
			                         ix->touched[i].id))
				ix->tids[ix->ntids++] = ix->touched[i].id;
	}
	*ids = ix->tids;
	*n = ix->ntids;
	return DP_OK;
}

void dp_index_batch_done(dp_index *ix)
{
	for (size_t i = 0; i < ix->ntouched; i++)
		free(ix->touched[i].id);
	ix->ntouched = 0;
	free(ix->tids);
	ix->tids = NULL;
	ix->ntids = 0;
}

/* The seq of the last put of this batch that wrote (or asserted again)
 * idterm in shard (0: none).  The touched list is sorted (dp_index_touched). */
static uint64_t written_seq(dp_index *ix, const char *idterm,
                            const char *shard, int *res, int *pre)
{
	uint64_t seq = 0;
	*pre = 1;
	int first = 1;
	size_t lo = 0, hi = ix->tids ? ix->ntouched : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ix->touched[mid].id, idterm);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ix->ntouched
	     && !strcmp(ix->touched[i].id, idterm); i++) {
		if (first && !strcmp(ix->touched[i].shard, shard)) {
			/* sorted by seq: the batch's first put there */
			*pre = ix->touched[i].existed;
			first = 0;
		}
		if (ix->touched[i].wrote && !strcmp(ix->touched[i].shard, shard)
		    && ix->touched[i].seq > seq) {
			seq = ix->touched[i].seq;
			*res = ix->touched[i].res;
		}
	}
	return seq;
}

static size_t shard_index(const dp_index *ix, const char *name)
{
	for (size_t k = 0; k < ix->nsh; k++)
		if (!strcmp(ix->sh[k].name, name))
			return k;
	return (size_t)-1;
}

dp_status dp_index_lookup(dp_index *ix, const char *idterm, dp_copy **v,
                          size_t *n, size_t *cap, dp_error *err)
{
	for (size_t k = 0; k < ix->nsh; k++) {
		existing ex;
		int found = 0;
		dp_status st = shard_copy(ix, k, idterm, &ex, &found, err);
		if (st != DP_OK)
			return st;
		if (!found)
			continue;
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 8;
			dp_copy *nv = realloc(*v, nc * sizeof *nv);
			if (!nv)
				return dp_error_set(err, DP_ERR_NOMEM,
				                    "out of memory");
			*v = nv;
			*cap = nc;
		}
		dp_copy *c = &(*v)[*n];
		memset(c, 0, sizeof *c);
		snprintf(c->shard, sizeof c->shard, "%s", ix->sh[k].name);
		c->version = ex.version;
		c->killed = ex.killed;
		c->seq = written_seq(ix, idterm, ix->sh[k].name, &c->res,
		                     &c->pre);
		file_keys f = {0};
		st = doc_files(ix, GID(k, ex.docid), 1, &f, err);
		if (st == DP_OK) {
			/* doc_files lists XF first, then XOF */
			file_keys o = {0};
			st = dpx_db_doc_terms_each(ix->sh[k].db, ex.docid,
			                           DP_PREFIX_FILE, collect_file_key,
			                           &o, err);
			if (st == DP_OK && o.nomem)
				st = dp_error_set(err, DP_ERR_NOMEM,
				                  "out of memory");
			if (o.n)
				memcpy(c->origin, o.k[0], 17);
			free(o.k);
		}
		if (st == DP_OK && f.n) {
			c->others = malloc(f.n * 16);
			if (!c->others)
				st = dp_error_set(err, DP_ERR_NOMEM,
				                  "out of memory");
			for (size_t i = 0; c->others && i < f.n; i++)
				if (strcmp(f.k[i], c->origin) != 0)
					memcpy(c->others + 16 * c->nothers++,
					       f.k[i], 16);
		}
		free(f.k);
		if (st != DP_OK) {
			free(c->others);
			return st;
		}
		(*n)++;
	}
	return DP_OK;
}

static int cmp_copy(const void *a, const void *b)
{
	const dp_copy *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->shard, y->shard);
}

size_t dp_copies_resolve(dp_copy *v, size_t n, int *won)
{
	qsort(v, n, sizeof *v, cmp_copy);
	size_t w = 0;
	if (won && n)
		won[0] = 1;
	for (size_t i = 1; i < n; i++) {
		const dp_copy *s = &v[w], *c = &v[i];
		/* what dp_index_put decides when c comes after s */
		int keep = c->killed
		           ? s->killed && s->version >= c->version
		           : s->version > c->version
		             || (s->killed && s->version >= c->version);
		if (!keep)
			w = i;
		if (won)
			won[i] = !keep;
	}
	return w;
}

dp_status dp_index_drop_copy(dp_index *ix, const char *shard,
                             const char *idterm, dp_error *err)
{
	size_t k = shard_index(ix, shard);
	if (k == (size_t)-1)
		return dp_error_set(err, DP_ERR_INVALID, "no shard '%s' here",
		                    shard);
	dp_status st = dpx_db_delete(ix->sh[k].db, idterm, err);
	if (st == DP_OK) {
		ix->sh[k].dirty = 1;
		ix->sh[k].writes++;
		ix->pending++;
	}
	return st;
}

dp_status dp_index_add_files(dp_index *ix, const char *shard,
                             const char *idterm, const char *keys,
                             size_t nkeys, dp_error *err)
{
	size_t k = shard_index(ix, shard);
	if (k == (size_t)-1)
		return dp_error_set(err, DP_ERR_INVALID, "no shard '%s' here",
		                    shard);
	uint32_t docid = 0;
	dp_status st = dpx_db_find_term(ix->sh[k].db, idterm, &docid, err);
	if (st != DP_OK || !docid)
		return st;
	file_keys f = {0};
	st = doc_files(ix, GID(k, docid), 1, &f, err);
	for (size_t i = 0; st == DP_OK && i < nkeys; i++) {
		int known = 0;
		for (size_t j = 0; j < f.n; j++)
			if (!memcmp(f.k[j], keys + 16 * i, 16))
				known = 1;
		if (known)
			continue;
		char term[24];
		snprintf(term, sizeof term, "%s%.16s", DP_PREFIX_FILE_OTHER,
		         keys + 16 * i);
		st = dpx_db_doc_add_term(ix->sh[k].db, docid, term, err);
		if (st == DP_OK) {
			ix->sh[k].dirty = 1;
			ix->sh[k].writes++;
			ix->pending++;
			if (push_key(&f, keys + 16 * i, 16))
				st = dp_error_set(err, DP_ERR_NOMEM,
				                  "out of memory");
		}
	}
	free(f.k);
	return st;
}

dp_status dp_index_raise_version(dp_index *ix, const char *shard,
                                 const char *idterm, uint32_t version,
                                 dp_error *err)
{
	size_t k = shard_index(ix, shard);
	if (k == (size_t)-1)
		return dp_error_set(err, DP_ERR_INVALID, "no shard '%s' here",
		                    shard);
	uint32_t docid = 0;
	dp_status st = dpx_db_find_term(ix->sh[k].db, idterm, &docid, err);
	if (st != DP_OK || !docid)
		return st;
	char buf[16];
	snprintf(buf, sizeof buf, "%010u", version);
	st = dpx_db_doc_set_value(ix->sh[k].db, docid, DP_SLOT_VERSION, buf,
	                          strlen(buf), err);
	if (st == DP_OK) {
		ix->sh[k].dirty = 1;
		ix->sh[k].writes++;
		ix->pending++;
	}
	return st;
}

/* ---- converting one database into shards ------------------------------ */

typedef struct convert_ctx {
	dp_index *ix;
	dpx_db *src;
	uint32_t docs;
	dp_status st;
	dp_error *err;
} convert_ctx;

static int first_term(void *ctx, const char *term, size_t len, uint32_t wdf,
                      uint32_t tf)
{
	(void)wdf;
	(void)tf;
	char *out = ctx;
	if (len == 0 || len > MAX_BOOL * 3)
		return 0;
	memcpy(out, term, len);
	out[len] = '\0';
	return 1;
}

/* The local day of a stored document: its day value, or, for a kill
 * (which keeps no values but its life's), the date of its data. */
static dp_status stored_day(dpx_db *db, uint32_t docid, char day[9],
                            dp_error *err)
{
	day[0] = '\0';
	char *v = NULL;
	size_t len = 0;
	dp_status st = dpx_db_doc_value(db, docid, DP_SLOT_DAY, &v, &len, err);
	if (st != DP_OK)
		return st;
	if (v && len == 8) {
		memcpy(day, v, 9);
		free(v);
		return DP_OK;
	}
	free(v);
	st = dpx_db_doc_data(db, docid, &v, &len, err);
	if (st != DP_OK)
		return st;
	dp_docdata dd;
	if (v && dp_docdata_decode(v, len, &dd, err) == DP_OK) {
		dp_dispatch d;
		memset(&d, 0, sizeof d);
		d.date = dd.date;
		d.time = dd.time;
		if (!local_day(&d, day))
			day[0] = '\0';
		dp_docdata_release(&dd);
	}
	free(v);
	return DP_OK;
}

static int convert_doc(void *ctx, uint32_t docid)
{
	convert_ctx *c = ctx;
	char idterm[MAX_BOOL * 3 + 8] = "";
	c->st = dpx_db_doc_terms_each(c->src, docid, DP_PREFIX_ID, first_term,
	                              idterm, c->err);
	if (c->st != DP_OK)
		return 1;
	if (!idterm[0])
		return 0;   /* not a dispatch */
	char day[9], period[16];
	c->st = stored_day(c->src, docid, day, c->err);
	if (c->st != DP_OK)
		return 1;
	dp_shards_period(c->ix->kind, day, period);
	size_t k;
	c->st = open_shard(c->ix, period, 1, &k, c->err);
	if (c->st == DP_OK)
		c->st = dpx_db_copy_doc(c->src, docid, c->ix->sh[k].db, idterm,
		                        c->err);
	if (c->st != DP_OK)
		return 1;
	c->ix->sh[k].dirty = 1;
	c->ix->sh[k].writes++;
	if (++c->docs % 5000 == 0)
		c->st = dp_index_commit(c->ix, c->err);
	return c->st != DP_OK;
}

static int copy_meta(void *ctx, const char *key, size_t klen,
                     const char *value, size_t vlen)
{
	convert_ctx *c = ctx;
	char k[256];
	if (klen >= sizeof k || !vlen)
		return 0;
	memcpy(k, key, klen);
	k[klen] = '\0';
	/* the layout's own keys are the new database's */
	if (!strcmp(k, DP_META_SCHEMA) || !strcmp(k, DP_META_ANALYZER))
		return 0;
	c->st = dpx_db_set_metadata(c->ix->db, k, value, vlen, c->err);
	return c->st != DP_OK;
}

dp_status dp_index_convert(const char *src, const char *dst, int kind,
                           uint32_t *docs, dp_error *err)
{
	*docs = 0;
	dpx_db *from = NULL;
	dp_status st = dpx_db_open(src, DPX_OPEN_READ, &from, err);
	dp_index *ix = NULL;
	if (st == DP_OK) {
		dp_analyzer *an = NULL;
		st = dp_analyzer_new(&an, err);
		if (st == DP_OK)
			st = dp_index_check_compat(from, src,
			                           dp_analyzer_signature(an), err);
		dp_analyzer_free(an);
	}
	dp_index_opts io = {.create = 1, .no_sync = 1, .shards = kind};
	if (st == DP_OK)
		st = dp_index_open(dst, &io, &ix, err);
	convert_ctx c = {ix, from, 0, DP_OK, err};
	if (st == DP_OK) {
		st = dpx_db_postlist_each(from, "", convert_doc, &c, err);
		if (st == DP_OK)
			st = c.st;
	}
	if (st == DP_OK) {
		st = dpx_db_metadata_each(from, "", copy_meta, &c, err);
		if (st == DP_OK)
			st = c.st;
	}
	if (st == DP_OK)
		st = dp_index_close(ix, err);
	*docs = c.docs;
	dp_index_free(ix);
	dpx_db_free(from);
	return st;
}
