/* xapian-shim.cc: the only C++ file of depeche and the only one that
 * includes <xapian.h>.  See xapian-shim.h for the contract: every entry
 * point catches everything and turns it into a dp_status and a message. */
#include "autoconf.h"

#include <xapian.h>

#include <cerrno>
#include <exception>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <memory>
#include <unordered_map>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xapian-shim.h"

struct dpx_db {
	Xapian::Database *rd;          /* always set */
	Xapian::WritableDatabase *wr;  /* set when writable (same object) */
	std::string path;
	double time_limit = 0;         /* seconds; 0: none (Enquire's) */
	int nremote = 0;               /* shards served by xapian-tcpsrv */
};

struct dpx_doc {
	Xapian::Document doc;
};

struct dpx_query {
	Xapian::Query q;
};

struct dpx_termsets {
	std::string prefix;
	/* sets, and for each term the sets it belongs to */
	std::vector<std::pair<unsigned, std::vector<std::string>>> sets;
	std::unordered_map<std::string, std::vector<size_t>> by_term;
	unsigned ngroups = 0;
};

namespace {

/* Counts, per group, the matching documents holding a whole set. */
class TermSetSpy : public Xapian::MatchSpy {
	const dpx_termsets *ts_;
	std::vector<uint32_t> *counts_;
	std::vector<unsigned> have_;     /* terms of each set seen in a doc */
	std::vector<size_t> touched_;
	std::vector<unsigned> doc_groups_;

public:
	TermSetSpy(const dpx_termsets *ts, std::vector<uint32_t> *counts)
		: ts_(ts), counts_(counts), have_(ts->sets.size(), 0)
	{
		counts_->assign(ts->ngroups, 0);
	}

	void operator()(const Xapian::Document &doc, double) override
	{
		touched_.clear();
		doc_groups_.clear();
		Xapian::TermIterator it = doc.termlist_begin();
		it.skip_to(ts_->prefix);
		for (; it != doc.termlist_end(); ++it) {
			const std::string &t = *it;
			if (t.compare(0, ts_->prefix.size(), ts_->prefix) != 0)
				break;
			auto f = ts_->by_term.find(t);
			if (f == ts_->by_term.end())
				continue;
			for (size_t s : f->second) {
				if (have_[s]++ == 0)
					touched_.push_back(s);
				if (have_[s] == ts_->sets[s].second.size())
					doc_groups_.push_back(ts_->sets[s].first);
			}
		}
		for (size_t s : touched_)
			have_[s] = 0;
		std::sort(doc_groups_.begin(), doc_groups_.end());
		doc_groups_.erase(std::unique(doc_groups_.begin(),
		                              doc_groups_.end()),
		                  doc_groups_.end());
		for (unsigned g : doc_groups_)
			(*counts_)[g]++;
	}
};

class CallbackDecider : public Xapian::MatchDecider {
	const void *ctx_;
	int (*fn_)(const void *, uint32_t);

public:
	CallbackDecider(const void *ctx, int (*fn)(const void *, uint32_t))
		: ctx_(ctx), fn_(fn) {}
	bool operator()(const Xapian::Document &doc) const override
	{
		return fn_(ctx_, doc.get_docid()) != 0;
	}
};

} // namespace

struct dpx_mset {
	Xapian::MSet mset;
	std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
	std::vector<uint32_t> group_counts;
};

struct dpx_stemmer {
	Xapian::Stem stem;
};

namespace {

char *dup_string(const std::string &s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

/* Maps the errno text Xapian reports to our statuses. */
dp_status status_from_errno_text(const char *s, dp_status fallback)
{
	if (!s || !*s)
		return fallback;
	if (std::strcmp(s, std::strerror(ENOSPC)) == 0
	    || std::strcmp(s, std::strerror(EDQUOT)) == 0
	    || std::strcmp(s, std::strerror(EFBIG)) == 0)
		return DP_ERR_DISK_FULL;
	if (std::strcmp(s, std::strerror(EROFS)) == 0
	    || std::strcmp(s, std::strerror(EACCES)) == 0
	    || std::strcmp(s, std::strerror(EPERM)) == 0)
		return DP_ERR_READONLY;
	if (std::strcmp(s, std::strerror(ENOENT)) == 0)
		return DP_ERR_NOT_FOUND;
	return fallback;
}

dp_status report(dp_error *err, dp_status st, const char *what,
                 const std::string &msg, const char *detail)
{
	if (detail && *detail)
		return dp_error_set(err, st, "%s: %s (%s)", what, msg.c_str(),
		                    detail);
	return dp_error_set(err, st, "%s: %s", what, msg.c_str());
}

/* Turns the exception in flight into a status.  Must be called from a
 * catch block. */
dp_status translate(dp_error *err, const char *what)
{
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		/* "Couldn't open lockfile: Permission denied" is not another
		 * writer: it is a database we may not write */
		const std::string &m = e.get_msg();
		dp_status st = status_from_errno_text(e.get_error_string(),
		                                      DP_ERR_LOCKED);
		if (st == DP_ERR_LOCKED
		    && (m.find(std::strerror(EACCES)) != std::string::npos
		        || m.find(std::strerror(EROFS)) != std::string::npos
		        || m.find(std::strerror(EPERM)) != std::string::npos))
			st = DP_ERR_READONLY;
		else if (st == DP_ERR_LOCKED
		         && m.find(std::strerror(ENOSPC)) != std::string::npos)
			st = DP_ERR_DISK_FULL;
		else if (st == DP_ERR_NOT_FOUND)
			st = DP_ERR_LOCKED;
		return report(err, st, what, m, nullptr);
	} catch (const Xapian::DatabaseModifiedError &e) {
		return report(err, DP_ERR_MODIFIED, what, e.get_msg(), nullptr);
	} catch (const Xapian::DatabaseCorruptError &e) {
		return report(err, DP_ERR_CORRUPT, what, e.get_msg(),
		              e.get_error_string());
	} catch (const Xapian::DatabaseVersionError &e) {
		return report(err, DP_ERR_VERSION, what, e.get_msg(), nullptr);
	} catch (const Xapian::DatabaseNotFoundError &e) {
		return report(err, DP_ERR_NOT_FOUND, what, e.get_msg(), nullptr);
	} catch (const Xapian::DatabaseOpeningError &e) {
		const char *d = e.get_error_string();
		return report(err, status_from_errno_text(d, DP_ERR_CORRUPT),
		              what, e.get_msg(), d);
	} catch (const Xapian::DatabaseCreateError &e) {
		const char *d = e.get_error_string();
		return report(err, status_from_errno_text(d, DP_ERR_IO), what,
		              e.get_msg(), d);
	} catch (const Xapian::DatabaseError &e) {
		/* without an errno, a DatabaseError means the files do not
		 * hold what Xapian expects ("EOF reading block"): damage */
		const char *d = e.get_error_string();
		if (!d || !*d)
			return report(err, DP_ERR_CORRUPT, what,
			              "damaged: " + e.get_msg(), nullptr);
		return report(err, status_from_errno_text(d, DP_ERR_IO), what,
		              e.get_msg(), d);
	} catch (const Xapian::InvalidArgumentError &e) {
		return report(err, DP_ERR_INVALID, what, e.get_msg(), nullptr);
	} catch (const Xapian::InvalidOperationError &e) {
		return report(err, DP_ERR_INVALID, what, e.get_msg(), nullptr);
	} catch (const Xapian::RangeError &e) {
		return report(err, DP_ERR_INVALID, what, e.get_msg(), nullptr);
	} catch (const Xapian::DocNotFoundError &e) {
		return report(err, DP_ERR_NOT_FOUND, what, e.get_msg(), nullptr);
	} catch (const Xapian::NetworkError &e) {
		return report(err, DP_ERR_IO, what, e.get_msg(),
		              e.get_error_string());
	} catch (const Xapian::Error &e) {
		std::string m = std::string(e.get_type()) + ": " + e.get_msg();
		const char *d = e.get_error_string();
		return report(err, status_from_errno_text(d, DP_ERR_INTERNAL),
		              what, m, d);
	} catch (const std::bad_alloc &) {
		/* dp_error_set notes it: see dpx_db_free */
		return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory",
		                    what);
	} catch (const std::exception &e) {
		return dp_error_set(err, DP_ERR_INTERNAL, "%s: %s", what,
		                    e.what());
	} catch (...) {
		return dp_error_set(err, DP_ERR_INTERNAL,
		                    "%s: unknown exception", what);
	}
}

dp_status need_writable(dpx_db *db, dp_error *err, const char *what)
{
	if (!db)
		return dp_error_set(err, DP_ERR_INVALID, "%s: no database",
		                    what);
	if (!db->wr)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "%s: database '%s' is open read-only", what,
		                    db->path.c_str());
	return DP_OK;
}

/* Recency: weight = w * 0.5^(age_days / half_life), for documents whose
 * date slot holds "YYYYMMDDhhmmss" (UTC).  Future dates count as now. */
class RecencySource : public Xapian::ValuePostingSource {
	int64_t now_;
	double weight_;
	double half_life_;

	static int64_t parse_date(const std::string &v)
	{
		if (v.size() < 8)
			return INT64_MIN;
		int f[6] = {0, 1, 1, 0, 0, 0};
		static const int widths[6] = {4, 2, 2, 2, 2, 2};
		size_t at = 0;
		for (int i = 0; i < 6 && at + widths[i] <= v.size(); i++) {
			int n = 0;
			for (int k = 0; k < widths[i]; k++) {
				char c = v[at + k];
				if (c < '0' || c > '9')
					return INT64_MIN;
				n = n * 10 + (c - '0');
			}
			f[i] = n;
			at += widths[i];
		}
		/* days from civil (Howard Hinnant's algorithm) */
		int y = f[0], m = f[1], d = f[2];
		y -= m <= 2;
		const int era = (y >= 0 ? y : y - 399) / 400;
		const unsigned yoe = static_cast<unsigned>(y - era * 400);
		const unsigned doy =
		    (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5
		    + static_cast<unsigned>(d) - 1;
		const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		int64_t days = static_cast<int64_t>(era) * 146097
		               + static_cast<int64_t>(doe) - 719468;
		return days * 86400 + f[3] * 3600 + f[4] * 60 + f[5];
	}

public:
	RecencySource(Xapian::valueno slot_, int64_t now, double weight,
	              double half_life)
		: Xapian::ValuePostingSource(slot_), now_(now), weight_(weight),
		  half_life_(half_life > 0 ? half_life : 1)
	{
		set_maxweight(weight_);
	}

	RecencySource *clone() const override
	{
		return new RecencySource(get_slot(), now_, weight_, half_life_);
	}

	std::string name() const override { return "depeche.Recency"; }

	double get_weight() const override { return weight_for(get_value()); }

	/* the weight of a document whose slot holds v (also used on the
	 * client, after a merge over remote shards) */
	double weight_for(const std::string &v) const
	{
		int64_t t = parse_date(v);
		if (t == INT64_MIN)
			return 0;
		/* distance in time: from --as-of, a later dispatch is as far
		 * as an earlier one */
		double age_days = static_cast<double>(now_ - t) / 86400.0;
		if (age_days < 0)
			age_days = -age_days;
		return weight_ * std::pow(0.5, age_days / half_life_);
	}

	void init(const Xapian::Database &db_) override
	{
		Xapian::ValuePostingSource::init(db_);
		set_maxweight(weight_);
	}
};

/* Day of the week, 1 Monday .. 7 Sunday (Sakamoto's method). */
static int day_of_week(int y, int m, int d)
{
	static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	if (m < 3)
		y -= 1;
	int dow = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
	return dow == 0 ? 7 : dow;   /* 0 is Sunday */
}

/* The date at the start of a value ("YYYYMMDD..."); false when there is
 * none. */
static bool value_date(const std::string &v, int &y, int &m, int &d)
{
	if (v.size() < 8)
		return false;
	int f[3] = {0, 0, 0};
	static const int at[3] = {0, 4, 6}, len[3] = {4, 2, 2};
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < len[i]; k++) {
			char c = v[at[i] + k];
			if (c < '0' || c > '9')
				return false;
			f[i] = f[i] * 10 + (c - '0');
		}
	y = f[0];
	m = f[1];
	d = f[2];
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* weight[weekday of the date in the slot], Monday first. */
class WeekdaySource : public Xapian::ValuePostingSource {
	double w_[7];
	double max_;

public:
	WeekdaySource(Xapian::valueno slot_, const double w[7])
		: Xapian::ValuePostingSource(slot_), max_(0)
	{
		for (int i = 0; i < 7; i++) {
			w_[i] = w[i];
			if (w[i] > max_)
				max_ = w[i];
		}
		set_maxweight(max_);
	}

	WeekdaySource *clone() const override
	{
		return new WeekdaySource(get_slot(), w_);
	}

	std::string name() const override { return "depeche.Weekday"; }

	void init(const Xapian::Database &db_) override
	{
		Xapian::ValuePostingSource::init(db_);
		set_maxweight(max_);
	}

	double get_weight() const override { return weight_for(get_value()); }

	double weight_for(const std::string &v) const
	{
		int y, m, d;
		if (!value_date(v, y, m, d))
			return 0;
		return w_[day_of_week(y, m, d) - 1];
	}
};

/* A weight for the documents whose date (slot: "YYYYMMDD...") is one of
 * the dates named in a query: the full weight on the day itself, half on
 * the day after (reported the next day).  A date is YYYYMMDD, with 0000
 * for "any year". */
class DateSource : public Xapian::ValuePostingSource {
	std::vector<uint32_t> dates_;
	double w_;

	static int days_in(int y, int m)
	{
		static const int n[12] = {31, 28, 31, 30, 31, 30,
		                          31, 31, 30, 31, 30, 31};
		if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
			return 29;
		return n[m - 1];
	}

	double weight_of(uint32_t ymd) const
	{
		int dow = day_of_week(static_cast<int>(ymd / 10000),
		                      static_cast<int>(ymd / 100 % 100),
		                      static_cast<int>(ymd % 100));
		for (uint32_t w : dates_) {
			uint32_t d = w % 100000000u, wd = w / 100000000u;
			if (d % 10000 == ymd % 10000
			    && (d / 10000 == 0 || d / 10000 == ymd / 10000)
			    && (wd == 0 || static_cast<int>(wd) == dow))
				return 1;
		}
		return 0;
	}

public:
	DateSource(Xapian::valueno slot_, const uint32_t *d, size_t n, double w)
		: Xapian::ValuePostingSource(slot_), dates_(d, d + n), w_(w)
	{
		set_maxweight(w_);
	}

	DateSource *clone() const override
	{
		return new DateSource(get_slot(), dates_.data(), dates_.size(),
		                      w_);
	}

	std::string name() const override { return "depeche.Date"; }

	void init(const Xapian::Database &db_) override
	{
		Xapian::ValuePostingSource::init(db_);
		set_maxweight(w_);
	}

	double get_weight() const override { return weight_for(get_value()); }

	double weight_for(const std::string &v) const
	{
		int y, m, d;
		if (!value_date(v, y, m, d))
			return 0;
		uint32_t ymd = static_cast<uint32_t>(y * 10000 + m * 100 + d);
		if (weight_of(ymd) > 0)
			return w_;
		/* the day before this one */
		if (--d == 0) {
			if (--m == 0) {
				m = 12;
				y--;
			}
			d = days_in(y, m);
		}
		uint32_t prev = static_cast<uint32_t>(y * 10000 + m * 100 + d);
		return weight_of(prev) > 0 ? w_ / 2 : 0;
	}
};

} // namespace

#define SHIM_TRY try {
#define SHIM_CATCH(what) \
	} catch (...) { \
		return translate(err, what); \
	}

/* ---- table sizes: a cheap check for truncated files ---------------------
 *
 * Glass table files only grow between compactions (freed blocks are
 * reused, never given back), so a table smaller than it was at the last
 * commit has been truncated: a disk that filled up under a copy, a
 * restore that stopped half-way.  After each commit the sizes go into
 * SIZES_FILE beside the tables (written whole, then renamed); opening the
 * database compares: a few stat() calls, where Database::check reads
 * every block.  A database without the file (older, or a replica) is
 * opened as before. */
#define SIZES_FILE "depeche-sizes"

static const char *const glass_tables[] = {
	"postlist", "termlist", "docdata", "position", "spelling", "synonym",
};

/* Both without allocating (snprintf into buffers): they run where memory
 * may be short, and must neither throw nor leak. */
static void record_sizes(const char *dir) noexcept
{
	char path[4096], tmp[4096 + 8], tp[4096 + 32];
	int pl = std::snprintf(path, sizeof path, "%s/" SIZES_FILE, dir);
	if (pl < 0 || static_cast<size_t>(pl) >= sizeof path)
		return;
	std::snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = std::fopen(tmp, "w");
	if (!f) {
		std::remove(path); /* stale is worse than none */
		return;
	}
	for (const char *t : glass_tables) {
		struct stat sb;
		std::snprintf(tp, sizeof tp, "%s/%s.glass", dir, t);
		if (stat(tp, &sb) == 0)
			std::fprintf(f, "%s %lld\n", t,
			             static_cast<long long>(sb.st_size));
	}
	bool ok = std::fflush(f) == 0 && !std::ferror(f);
	ok = std::fclose(f) == 0 && ok;
	if (!ok || std::rename(tmp, path) != 0) {
		std::remove(tmp);
		std::remove(path);
	}
}

static dp_status check_sizes(const char *dir, dp_error *err) noexcept
{
	char path[4096], tp[4096 + 64];
	int pl = std::snprintf(path, sizeof path, "%s/" SIZES_FILE, dir);
	if (pl < 0 || static_cast<size_t>(pl) >= sizeof path)
		return DP_OK;
	FILE *f = std::fopen(path, "r");
	if (!f)
		return DP_OK;
	char name[32];
	long long was;
	dp_status st = DP_OK;
	while (st == DP_OK && std::fscanf(f, "%31s %lld", name, &was) == 2) {
		struct stat sb;
		std::snprintf(tp, sizeof tp, "%s/%s.glass", dir, name);
		if (stat(tp, &sb) != 0)
			st = dp_error_set(err, DP_ERR_CORRUPT,
			                  "database '%s' is damaged: %s.glass is "
			                  "missing: index again into a new database, "
			                  "or restore a copy", dir, name);
		else if (static_cast<long long>(sb.st_size) < was)
			st = dp_error_set(err, DP_ERR_CORRUPT,
			                  "database '%s' is damaged: %s.glass has "
			                  "%lld bytes, %lld at the last commit "
			                  "(truncated): index again into a new "
			                  "database, or restore a copy", dir, name,
			                  static_cast<long long>(sb.st_size), was);
	}
	std::fclose(f);
	return st;
}

/* A first run killed before its first commit leaves glass tables and no
 * revision file (iamglass): nothing in them was ever committed or can be
 * read, but Xapian refuses to create a database over them ("Failed to
 * open glass revision file") and every later run failed.  Such tables
 * are removed before creating.  A directory with iamglass, a stub or
 * anything else is left alone. */
static void clear_uncommitted(const char *dir) noexcept
{
	char p[4096 + 32];
	struct stat sb;
	std::snprintf(p, sizeof p, "%s/iamglass", dir);
	if (stat(p, &sb) == 0)
		return;
	std::snprintf(p, sizeof p, "%s/XAPIANDB", dir);
	if (stat(p, &sb) == 0)
		return;
	for (const char *t : glass_tables) {
		std::snprintf(p, sizeof p, "%s/%s.glass", dir, t);
		std::remove(p);
	}
}

/* ---- databases ---------------------------------------------------------- */

extern "C" dp_status dpx_db_open(const char *path, int flags, dpx_db **out,
                                 dp_error *err)
{
	*out = nullptr;
	if (!path || !*path)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "open database: empty path");
	/* A depeche database is a directory (a Xapian stub file naming
	 * shards is accepted for reading); any other file, an empty one or
	 * /etc/passwd, is not one: say so rather than let Xapian read it
	 * as a stub and fail on its first line */
	struct stat sb;
	int is_file = stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode);
	if (is_file && (flags & DPX_OPEN_WRITE))
		return dp_error_set(err, DP_ERR_VERSION,
		                    "'%s' is not a depeche database (a file, not "
		                    "a directory)", path);
	if (!is_file) {
		dp_status cs = check_sizes(path, err);
		if (cs != DP_OK)
			return cs;
	}
	dpx_db *db = nullptr;
	SHIM_TRY
		db = new dpx_db();
		db->path = path;
		if (flags & DPX_OPEN_WRITE) {
			int x = (flags & DPX_OPEN_CREATE) ? Xapian::DB_CREATE_OR_OPEN
			                                  : Xapian::DB_OPEN;
			if (flags & DPX_OPEN_NO_SYNC)
				x |= Xapian::DB_NO_SYNC;
			if (flags & DPX_OPEN_RETRY_LOCK)
				x |= Xapian::DB_RETRY_LOCK;
			x |= Xapian::DB_BACKEND_GLASS;
			if (flags & DPX_OPEN_CREATE)
				clear_uncommitted(path);
			db->wr = new Xapian::WritableDatabase(path, x);
			db->rd = db->wr;
		} else {
			/* a commit that lands while the tables are opened
			 * discards the revision being read: open again */
			for (int tries = 1;; tries++) {
				try {
					db->rd = new Xapian::Database(path);
					break;
				} catch (const Xapian::DatabaseModifiedError &) {
					if (tries == 5)
						throw;
				}
			}
			if (db->rd->size() == 0) {
				delete db->rd;
				delete db;
				return dp_error_set(err, DP_ERR_VERSION,
				                    "'%s' is not a depeche database (a "
				                    "file naming no database)", path);
			}
		}
		*out = db;
		return DP_OK;
	} catch (...) {
		delete db;
		if (is_file) {
			dp_error e2;
			dp_error_clear(&e2);
			std::string what = std::string("'") + path + "'";
			dp_status st = translate(&e2, what.c_str());
			if (st == DP_ERR_NOMEM)
				return dp_error_set(err, st, "%s", e2.msg);
			return dp_error_set(err, DP_ERR_VERSION,
			                    "'%s' is not a depeche database (a file, "
			                    "not a database directory or a Xapian stub "
			                    "file)", path);
		}
		std::string what = std::string("database '") + path + "'";
		return translate(err, what.c_str());
	}
}

/* libxapian lets std::bad_alloc escape from functions that cannot throw
 * (inside WritableDatabase::commit, for one): the C++ runtime then calls
 * std::terminate, which would abort (SIGABRT) whatever we catch.  For
 * that exception only, say so and exit as any other out-of-memory does
 * (71, EX_OSERR); a glass commit cut short leaves the last one on disk,
 * as after a kill.  Any other exception keeps the runtime's handler. */
static std::terminate_handler previous_terminate;

[[noreturn]] static void on_terminate()
{
	std::exception_ptr e = std::current_exception();
	if (e) {
		try {
			std::rethrow_exception(e);
		} catch (const std::bad_alloc &) {
			static const char m[] = ": out of memory (inside Xapian)\n";
			const char *prog = program_invocation_short_name;
			if (write(2, prog, std::strlen(prog)) < 0
			    || write(2, m, sizeof m - 1) < 0) {
				/* nothing more to say */
			}
			_exit(71);
		} catch (...) {
		}
	}
	if (previous_terminate)
		previous_terminate();
	std::abort();
}

[[maybe_unused]] static const bool terminate_installed =
	(previous_terminate = std::set_terminate(on_terminate), true);

/* libxapian is not safe against std::bad_alloc everywhere either: thrown
 * while the matcher builds its postlists (Enquire::get_mset), it crashes
 * (SIGSEGV).  So the first time operator new finds no memory, a reserve
 * set aside at the start is given back and the allocation retried: the
 * operation completes, and the failure is noted (dp_out_of_memory_seen:
 * a writer is then abandoned, not committed by its destructor).  Once
 * the reserve is spent, operator new throws as usual and the shim turns
 * std::bad_alloc into DP_ERR_NOMEM. */
static void *new_reserve = std::malloc(8u << 20);

static void on_new_failure()
{
	dp_out_of_memory_note();
	void *r = new_reserve;
	new_reserve = nullptr;
	if (!r) {
		std::set_new_handler(nullptr);
		throw std::bad_alloc();
	}
	std::free(r);
}

[[maybe_unused]] static const bool new_handler_installed =
	(std::set_new_handler(on_new_failure), true);

/* Whether memory is short now: a small allocation fails. */
static bool memory_short()
{
	try {
		std::unique_ptr<char[]> probe(new char[64 * 1024]);
		return false;
	} catch (...) {
		return true;
	}
}

extern "C" void dpx_db_free(dpx_db *db)
{
	if (!db)
		return;
	/* A writer's destructor commits what is pending, and libxapian does
	 * not survive running out of memory there (it crashes).  After an
	 * allocation failed, the writer is abandoned instead: nothing more
	 * is committed, the last commit stays on disk as after a kill, and
	 * the lock goes with the process, which is about to exit. */
	if (db->wr && (dp_out_of_memory_seen() || memory_short())) {
		delete db;
		return;
	}
	try {
		delete db->rd; /* wr, when set, is the same object */
	} catch (...) {
	}
	delete db;
}

extern "C" dp_status dpx_db_close(dpx_db *db, dp_error *err)
{
	SHIM_TRY
		if (db && db->rd)
			db->rd->close();
		return DP_OK;
	SHIM_CATCH("close database")
}

extern "C" dp_status dpx_db_reopen(dpx_db *db, int *changed, dp_error *err)
{
	SHIM_TRY
		bool c = db->rd->reopen();
		if (changed)
			*changed = c;
		return DP_OK;
	SHIM_CATCH("reopen database")
}

extern "C" void dpx_db_set_time_limit(dpx_db *db, double seconds)
{
	if (db)
		db->time_limit = seconds > 0 ? seconds : 0;
}

extern "C" dp_status dpx_db_doccount(dpx_db *db, uint32_t *out, dp_error *err)
{
	SHIM_TRY
		*out = db->rd->get_doccount();
		return DP_OK;
	SHIM_CATCH("document count")
}

extern "C" dp_status dpx_db_avlength(dpx_db *db, double *out, dp_error *err)
{
	SHIM_TRY
		*out = db->rd->get_avlength();
		return DP_OK;
	SHIM_CATCH("average length")
}

extern "C" dp_status dpx_db_termfreq(dpx_db *db, const char *term, size_t len,
                                     uint32_t *out, dp_error *err)
{
	SHIM_TRY
		*out = db->rd->get_termfreq(std::string(term, len));
		return DP_OK;
	SHIM_CATCH("term frequency")
}

extern "C" dp_status dpx_db_collfreq(dpx_db *db, const char *term, size_t len,
                                     uint32_t *out, dp_error *err)
{
	SHIM_TRY
		*out = db->rd->get_collection_freq(std::string(term, len));
		return DP_OK;
	SHIM_CATCH("collection frequency")
}


extern "C" dp_status dpx_db_value_bounds(dpx_db *db, unsigned slot,
                                         char **lo, char **hi, dp_error *err)
{
	*lo = *hi = nullptr;
	SHIM_TRY
		std::string l = db->rd->get_value_lower_bound(slot);
		std::string h = db->rd->get_value_upper_bound(slot);
		*lo = dup_string(l);
		try {
			*hi = dup_string(h);
		} catch (...) {
			std::free(*lo);
			*lo = nullptr;
			throw;
		}
		return DP_OK;
	SHIM_CATCH("value bounds")
}

extern "C" dp_status dpx_db_get_metadata(dpx_db *db, const char *key,
                                         char **value, size_t *len,
                                         dp_error *err)
{
	*value = nullptr;
	if (len)
		*len = 0;
	SHIM_TRY
		std::string v = db->rd->get_metadata(key);
		if (v.empty())
			return DP_OK;
		*value = dup_string(v);
		if (len)
			*len = v.size();
		return DP_OK;
	SHIM_CATCH("read metadata")
}

extern "C" dp_status dpx_db_set_metadata(dpx_db *db, const char *key,
                                         const char *value, size_t len,
                                         dp_error *err)
{
	dp_status st = need_writable(db, err, "write metadata");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		db->wr->set_metadata(key, std::string(value ? value : "", len));
		return DP_OK;
	SHIM_CATCH("write metadata")
}

extern "C" dp_status dpx_db_metadata_each(dpx_db *db, const char *prefix,
                                          dpx_metadata_fn fn, void *ctx,
                                          dp_error *err)
{
	SHIM_TRY
		for (Xapian::TermIterator it = db->rd->metadata_keys_begin(prefix);
		     it != db->rd->metadata_keys_end(prefix); ++it) {
			std::string k = *it;
			std::string v = db->rd->get_metadata(k);
			if (fn(ctx, k.data(), k.size(), v.data(), v.size()))
				break;
		}
		return DP_OK;
	SHIM_CATCH("list metadata")
}

extern "C" dp_status dpx_db_allterms_each(dpx_db *db, const char *prefix,
                                          dpx_term_fn fn, void *ctx,
                                          dp_error *err)
{
	SHIM_TRY
		for (Xapian::TermIterator it = db->rd->allterms_begin(prefix);
		     it != db->rd->allterms_end(prefix); ++it) {
			const std::string &t = *it;
			if (fn(ctx, t.data(), t.size(), it.get_termfreq()))
				break;
		}
		return DP_OK;
	SHIM_CATCH("list terms")
}

extern "C" dp_status dpx_db_doc_terms_each(dpx_db *db, uint32_t docid,
                                           const char *prefix,
                                           dpx_doc_term_fn fn, void *ctx,
                                           dp_error *err)
{
	SHIM_TRY
		std::string p = prefix ? prefix : "";
		Xapian::TermIterator it = db->rd->termlist_begin(docid);
		if (!p.empty())
			it.skip_to(p);
		for (; it != db->rd->termlist_end(docid); ++it) {
			const std::string &t = *it;
			if (t.compare(0, p.size(), p) != 0)
				break;
			if (fn(ctx, t.data(), t.size(), it.get_wdf(),
			       it.get_termfreq()))
				break;
		}
		return DP_OK;
	SHIM_CATCH("list document terms")
}

extern "C" dp_status dpx_db_postlist_each(dpx_db *db, const char *term,
                                          dpx_posting_fn fn, void *ctx,
                                          dp_error *err)
{
	SHIM_TRY
		for (Xapian::PostingIterator it = db->rd->postlist_begin(term);
		     it != db->rd->postlist_end(term); ++it)
			if (fn(ctx, *it))
				break;
		return DP_OK;
	SHIM_CATCH("list postings")
}

extern "C" dp_status dpx_db_find_term(dpx_db *db, const char *term,
                                      uint32_t *docid, dp_error *err)
{
	*docid = 0;
	SHIM_TRY
		Xapian::PostingIterator it = db->rd->postlist_begin(term);
		if (it != db->rd->postlist_end(term))
			*docid = *it;
		return DP_OK;
	SHIM_CATCH("find document")
}

extern "C" dp_status dpx_db_doc_data(dpx_db *db, uint32_t docid, char **data,
                                     size_t *len, dp_error *err)
{
	*data = nullptr;
	SHIM_TRY
		std::string d = db->rd->get_document(docid).get_data();
		*data = dup_string(d);
		if (len)
			*len = d.size();
		return DP_OK;
	SHIM_CATCH("read document")
}

extern "C" dp_status dpx_db_doc_value(dpx_db *db, uint32_t docid,
                                      unsigned slot, char **value,
                                      size_t *len, dp_error *err)
{
	*value = nullptr;
	SHIM_TRY
		std::string v = db->rd->get_document(docid).get_value(slot);
		*value = dup_string(v);
		if (len)
			*len = v.size();
		return DP_OK;
	SHIM_CATCH("read document value")
}

extern "C" dp_status dpx_db_replace(dpx_db *db, const char *unique_term,
                                    dpx_doc *doc, uint32_t *docid,
                                    dp_error *err)
{
	dp_status st = need_writable(db, err, "store document");
	if (st != DP_OK)
		return st;
	/* Xapian keeps terms to 245 bytes; a longer unique term would never
	 * match, and each run would add another copy */
	if (std::strlen(unique_term) > 245)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "store document: unique term too long (over "
		                    "245 bytes)");
	SHIM_TRY
		Xapian::docid id = db->wr->replace_document(unique_term, doc->doc);
		if (docid)
			*docid = id;
		return DP_OK;
	SHIM_CATCH("store document")
}

extern "C" dp_status dpx_db_doc_add_term(dpx_db *db, uint32_t docid,
                                        const char *term, dp_error *err)
{
	dp_status st = need_writable(db, err, "add a term to a document");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		Xapian::Document d = db->wr->get_document(docid);
		d.add_boolean_term(term);
		db->wr->replace_document(docid, d);
		return DP_OK;
	SHIM_CATCH("add a term to a document")
}

extern "C" dp_status dpx_db_doc_set_value(dpx_db *db, uint32_t docid,
                                         unsigned slot, const char *value,
                                         size_t len, dp_error *err)
{
	dp_status st = need_writable(db, err, "set a value of a document");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		Xapian::Document d = db->wr->get_document(docid);
		d.add_value(slot, std::string(value, len));
		db->wr->replace_document(docid, d);
		return DP_OK;
	SHIM_CATCH("set a value of a document")
}

extern "C" dp_status dpx_db_delete(dpx_db *db, const char *unique_term,
                                   dp_error *err)
{
	dp_status st = need_writable(db, err, "delete document");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		db->wr->delete_document(unique_term);
		return DP_OK;
	SHIM_CATCH("delete document")
}

extern "C" dp_status dpx_db_delete_docid(dpx_db *db, uint32_t docid,
                                         dp_error *err)
{
	dp_status st = need_writable(db, err, "delete document");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		db->wr->delete_document(docid);
		return DP_OK;
	SHIM_CATCH("delete document")
}

extern "C" dp_status dpx_db_commit(dpx_db *db, dp_error *err)
{
	dp_status st = need_writable(db, err, "commit");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		db->wr->commit();
		record_sizes(db->path.c_str());
		return DP_OK;
	SHIM_CATCH("commit")
}

extern "C" dp_status dpx_db_begin(dpx_db *db, dp_error *err)
{
	dp_status st = need_writable(db, err, "begin transaction");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		db->wr->begin_transaction(true);
		return DP_OK;
	SHIM_CATCH("begin transaction")
}

extern "C" dp_status dpx_db_end(dpx_db *db, int commit, dp_error *err)
{
	dp_status st = need_writable(db, err, "end transaction");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		if (commit) {
			db->wr->commit_transaction();
			record_sizes(db->path.c_str());
		} else
			db->wr->cancel_transaction();
		return DP_OK;
	SHIM_CATCH("end transaction")
}

extern "C" dp_status dpx_db_check(const char *path, size_t *errors,
                                  char *report_buf, size_t report_size,
                                  dp_error *err)
{
	*errors = 0;
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return dp_error_set(err, DP_ERR_VERSION,
		                    "'%s' is not a depeche database (a file, not "
		                    "a directory)", path);
	SHIM_TRY
		std::ostringstream os;
		*errors = Xapian::Database::check(path, Xapian::DBCHECK_SHORT_TREE,
		                                  &os);
		if (report_buf && report_size) {
			std::string r = os.str();
			std::snprintf(report_buf, report_size, "%s", r.c_str());
		}
		return DP_OK;
	SHIM_CATCH("check database")
}

extern "C" dp_status dpx_db_compact(const char *const *srcs, size_t nsrc,
                                    const char *dst, dp_error *err)
{
	if (nsrc == 0)
		return dp_error_set(err, DP_ERR_INVALID, "compact: no source");
	SHIM_TRY
		Xapian::Database db;
		for (size_t i = 0; i < nsrc; i++)
			db.add_database(Xapian::Database(srcs[i]));
		db.compact(dst, Xapian::DBCOMPACT_MULTIPASS);
		record_sizes(dst);
		return DP_OK;
	SHIM_CATCH("compact database")
}

/* ---- documents ---------------------------------------------------------- */

extern "C" dp_status dpx_doc_new(dpx_doc **out, dp_error *err)
{
	*out = nullptr;
	SHIM_TRY
		*out = new dpx_doc();
		return DP_OK;
	SHIM_CATCH("new document")
}

extern "C" void dpx_doc_free(dpx_doc *doc)
{
	delete doc;
}

extern "C" void dpx_doc_clear(dpx_doc *doc)
{
	try {
		doc->doc = Xapian::Document();
	} catch (...) {
	}
}

extern "C" dp_status dpx_doc_add_posting(dpx_doc *doc, const char *term,
                                         size_t len, uint32_t pos,
                                         uint32_t inc, dp_error *err)
{
	SHIM_TRY
		if (pos)
			doc->doc.add_posting(std::string(term, len), pos, inc);
		else
			doc->doc.add_term(std::string(term, len), inc);
		return DP_OK;
	SHIM_CATCH("add term")
}

extern "C" dp_status dpx_doc_add_term(dpx_doc *doc, const char *term,
                                      size_t len, uint32_t inc, dp_error *err)
{
	SHIM_TRY
		doc->doc.add_term(std::string(term, len), inc);
		return DP_OK;
	SHIM_CATCH("add term")
}

extern "C" dp_status dpx_doc_set_value(dpx_doc *doc, unsigned slot,
                                       const char *value, size_t len,
                                       dp_error *err)
{
	SHIM_TRY
		doc->doc.add_value(slot, std::string(value, len));
		return DP_OK;
	SHIM_CATCH("set value")
}

extern "C" dp_status dpx_doc_set_data(dpx_doc *doc, const char *data,
                                      size_t len, dp_error *err)
{
	SHIM_TRY
		doc->doc.set_data(std::string(data, len));
		return DP_OK;
	SHIM_CATCH("set data")
}

/* ---- queries ------------------------------------------------------------ */

#define QUERY_TRY try {
#define QUERY_CATCH \
	} catch (...) { \
		return nullptr; \
	}

extern "C" dpx_query *dpx_query_term(const char *term, size_t len,
                                     uint32_t wqf, uint32_t pos)
{
	QUERY_TRY
		return new dpx_query{Xapian::Query(std::string(term, len),
		                                   wqf ? wqf : 1, pos)};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_match_all(void)
{
	QUERY_TRY
		return new dpx_query{Xapian::Query::MatchAll};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_match_nothing(void)
{
	QUERY_TRY
		return new dpx_query{Xapian::Query::MatchNothing};
	QUERY_CATCH
}

static Xapian::Query::op map_op(dpx_op op)
{
	switch (op) {
	case DPX_OP_AND: return Xapian::Query::OP_AND;
	case DPX_OP_OR: return Xapian::Query::OP_OR;
	case DPX_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
	case DPX_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
	case DPX_OP_FILTER: return Xapian::Query::OP_FILTER;
	case DPX_OP_PHRASE: return Xapian::Query::OP_PHRASE;
	case DPX_OP_NEAR: return Xapian::Query::OP_NEAR;
	case DPX_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
	case DPX_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
	case DPX_OP_MAX: return Xapian::Query::OP_MAX;
	case DPX_OP_LAST: break;
	}
	throw Xapian::InvalidArgumentError("unknown query operator");
}

extern "C" dpx_query *dpx_query_combine(dpx_op op, dpx_query *const *subs,
                                        size_t n, uint32_t window)
{
	QUERY_TRY
		std::vector<Xapian::Query> v;
		v.reserve(n);
		for (size_t i = 0; i < n; i++)
			if (subs[i])
				v.push_back(subs[i]->q);
		return new dpx_query{Xapian::Query(map_op(op), v.begin(), v.end(),
		                                   window)};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_scale(const dpx_query *q, double factor)
{
	QUERY_TRY
		if (factor == 1.0)
			return new dpx_query{q->q};
		return new dpx_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
		                                   q->q, factor)};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_value_range(unsigned slot, const char *lo,
                                            const char *hi)
{
	QUERY_TRY
		if (lo && hi)
			return new dpx_query{Xapian::Query(
			    Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
		if (lo)
			return new dpx_query{Xapian::Query(
			    Xapian::Query::OP_VALUE_GE, slot, lo)};
		if (hi)
			return new dpx_query{Xapian::Query(
			    Xapian::Query::OP_VALUE_LE, slot, hi)};
		return new dpx_query{Xapian::Query::MatchAll};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_clone(const dpx_query *q)
{
	QUERY_TRY
		return new dpx_query{q->q};
	QUERY_CATCH
}

extern "C" int dpx_query_empty(const dpx_query *q)
{
	return !q || q->q.empty();
}

extern "C" char *dpx_query_describe(const dpx_query *q)
{
	try {
		return dup_string(q->q.get_description());
	} catch (...) {
		return nullptr;
	}
}

extern "C" void dpx_query_free(dpx_query *q)
{
	delete q;
}

extern "C" dpx_query *dpx_query_boost(const dpx_boost_params *p)
{
	QUERY_TRY
		std::vector<Xapian::Query> parts;
		if (p->recency_weight > 0) {
			auto *src = new RecencySource(p->date_slot, p->now,
			                              p->recency_weight,
			                              p->half_life_days);
			parts.emplace_back(src->release());
		}
		bool any_urgency = false;
		for (double w : p->urgency_weight)
			if (w != 0)
				any_urgency = true;
		if (any_urgency) {
			auto *src = new Xapian::ValueMapPostingSource(p->urgency_slot);
			for (int u = 0; u <= 9; u++)
				if (p->urgency_weight[u] > 0)
					src->add_mapping(std::string(1, static_cast<char>('0' + u)),
					                 p->urgency_weight[u]);
			parts.emplace_back(src->release());
		}
		if (parts.empty())
			return new dpx_query{Xapian::Query()};
		return new dpx_query{Xapian::Query(Xapian::Query::OP_OR,
		                                   parts.begin(), parts.end())};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_weekday(unsigned slot, const double weight[7])
{
	QUERY_TRY
		auto *src = new WeekdaySource(slot, weight);
		return new dpx_query{Xapian::Query(src->release())};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_dates(unsigned slot, const uint32_t *dates,
                                     size_t n, double weight)
{
	QUERY_TRY
		auto *src = new DateSource(slot, dates, n, weight);
		return new dpx_query{Xapian::Query(src->release())};
	QUERY_CATCH
}

extern "C" dpx_query *dpx_query_fixed_weight(double weight)
{
	QUERY_TRY
		auto *src = new Xapian::FixedWeightPostingSource(weight);
		return new dpx_query{Xapian::Query(src->release())};
	QUERY_CATCH
}

/* ---- searching ---------------------------------------------------------- */

extern "C" void dpx_search_params_init(dpx_search_params *p)
{
	std::memset(p, 0, sizeof *p);
	p->scheme = DPX_W_BM25;
	p->p[0] = 1.2;  /* k1 */
	p->p[1] = 0;    /* k2 */
	p->p[2] = 1;    /* k3 */
	p->p[3] = 0.75; /* b */
	p->p[4] = 0.5;  /* min_normlen */
	p->limit = 10;
}

static Xapian::Weight *make_weight(const dpx_search_params *p)
{
	const double *a = p->p;
	switch (p->scheme) {
	case DPX_W_BM25:
		return new Xapian::BM25Weight(a[0], a[1], a[2], a[3], a[4]);
	case DPX_W_BM25PLUS:
		return new Xapian::BM25PlusWeight(a[0], a[1], a[2], a[3], a[4],
		                                  a[5]);
	case DPX_W_TRAD:
		return new Xapian::TradWeight(a[0]);
	case DPX_W_TFIDF:
		return new Xapian::TfIdfWeight(p->tfidf_norm ? p->tfidf_norm
		                                             : "ntn");
	case DPX_W_INL2:
		return new Xapian::InL2Weight(a[0]);
	case DPX_W_IFB2:
		return new Xapian::IfB2Weight(a[0]);
	case DPX_W_INEB2:
		return new Xapian::IneB2Weight(a[0]);
	case DPX_W_BB2:
		return new Xapian::BB2Weight(a[0]);
	case DPX_W_DLH:
		return new Xapian::DLHWeight();
	case DPX_W_PL2:
		return new Xapian::PL2Weight(a[0]);
	case DPX_W_PL2PLUS:
		return new Xapian::PL2PlusWeight(a[0], a[1]);
	case DPX_W_DPH:
		return new Xapian::DPHWeight();
	case DPX_W_LM: {
		auto type = static_cast<Xapian::Weight::type_smoothing>(
		    static_cast<int>(a[1]));
		return new Xapian::LMWeight(a[0], type, a[2], a[3]);
	}
	case DPX_W_BOOL:
		return new Xapian::BoolWeight();
	case DPX_W_COORD:
		return new Xapian::CoordWeight();
	case DPX_W_LAST:
		break;
	}
	throw Xapian::InvalidArgumentError("unknown weighting scheme");
}

static void setup_enquire(Xapian::Enquire &enq, const dpx_db *db,
                          const dpx_query *q, const dpx_search_params *p)
{
	enq.set_query(q->q);
	if (db->time_limit > 0)
		enq.set_time_limit(db->time_limit);
	std::unique_ptr<Xapian::Weight> w(make_weight(p));
	enq.set_weighting_scheme(*w);
	if (p->sort_by_value)
		enq.set_sort_by_value_then_relevance(p->sort_slot,
		                                     p->sort_reverse != 0);
	if (p->collapse)
		enq.set_collapse_key(p->collapse_slot, 1);
	enq.set_docid_order(Xapian::Enquire::DESCENDING);
}

static void count_groups_remote(const Xapian::Database &db,
                                const Xapian::Query &q,
                                const dpx_search_params *p,
                                std::vector<uint32_t> *counts);

extern "C" dp_status dpx_search(dpx_db *db, const dpx_query *q,
                                const dpx_search_params *p, dpx_mset **out,
                                dp_error *err)
{
	*out = nullptr;
	dpx_mset *m = nullptr;
	SHIM_TRY
		Xapian::Enquire enq(*db->rd);
		setup_enquire(enq, db, q, p);
		m = new dpx_mset();
		for (size_t i = 0; i < p->n_facets; i++) {
			m->spies.emplace_back(
			    new Xapian::ValueCountMatchSpy(p->facet_slots[i]));
			enq.add_matchspy(m->spies.back().get());
		}
		std::unique_ptr<TermSetSpy> gspy;
		if (p->groups && db->nremote) {
			/* counted after, by built-in queries (see below) */
		} else if (p->groups) {
			gspy.reset(new TermSetSpy(p->groups, &m->group_counts));
			enq.add_matchspy(gspy.get());
		}
		std::unique_ptr<CallbackDecider> dec;
		if (p->decider)
			dec.reset(new CallbackDecider(p->decider_ctx, p->decider));
		m->mset = enq.get_mset(p->offset, p->limit, p->check_at_least,
		                       nullptr, dec.get());
		enq.clear_matchspies();
		if (p->groups && db->nremote)
			count_groups_remote(*db->rd, q->q, p, &m->group_counts);
		*out = m;
		return DP_OK;
	} catch (...) {
		delete m;
		return translate(err, "search");
	}
}

extern "C" void dpx_mset_free(dpx_mset *m)
{
	delete m;
}

extern "C" uint32_t dpx_mset_size(const dpx_mset *m)
{
	return m->mset.size();
}

extern "C" void dpx_mset_counts(const dpx_mset *m, uint32_t *lower,
                                uint32_t *estimated, uint32_t *upper)
{
	if (lower)
		*lower = m->mset.get_matches_lower_bound();
	if (estimated)
		*estimated = m->mset.get_matches_estimated();
	if (upper)
		*upper = m->mset.get_matches_upper_bound();
}

extern "C" uint32_t dpx_mset_docid(const dpx_mset *m, uint32_t i)
{
	return *(m->mset[i]);
}

extern "C" double dpx_mset_weight(const dpx_mset *m, uint32_t i)
{
	return m->mset[i].get_weight();
}

extern "C" uint32_t dpx_mset_collapse_count(const dpx_mset *m, uint32_t i)
{
	return m->mset[i].get_collapse_count();
}

extern "C" dp_status dpx_mset_data(dpx_mset *m, uint32_t i, char **data,
                                   size_t *len, dp_error *err)
{
	*data = nullptr;
	SHIM_TRY
		std::string d = m->mset[i].get_document().get_data();
		*data = dup_string(d);
		if (len)
			*len = d.size();
		return DP_OK;
	SHIM_CATCH("read hit")
}

extern "C" dp_status dpx_mset_value(dpx_mset *m, uint32_t i, unsigned slot,
                                    char **value, size_t *len, dp_error *err)
{
	*value = nullptr;
	SHIM_TRY
		std::string v = m->mset[i].get_document().get_value(slot);
		*value = dup_string(v);
		if (len)
			*len = v.size();
		return DP_OK;
	SHIM_CATCH("read hit value")
}

namespace {
class AcceptDecider : public Xapian::ExpandDecider {
	dpx_accept_fn fn_;
	void *ctx_;

public:
	AcceptDecider(dpx_accept_fn fn, void *ctx) : fn_(fn), ctx_(ctx) {}
	bool operator()(const std::string &term) const override
	{
		return fn_(ctx_, term.data(), term.size()) != 0;
	}
};
} // namespace

extern "C" dp_status dpx_expand(dpx_db *db, const uint32_t *docids,
                                size_t ndocs, size_t n, dpx_accept_fn accept,
                                dpx_eterm_fn fn, void *ctx, dp_error *err)
{
	SHIM_TRY
		Xapian::Enquire enq(*db->rd);
		Xapian::RSet rset;
		for (size_t i = 0; i < ndocs; i++)
			rset.add_document(docids[i]);
		std::unique_ptr<AcceptDecider> dec;
		if (accept)
			dec.reset(new AcceptDecider(accept, ctx));
		/* exact term frequencies: over shards, the same terms as
		 * one database would choose */
		Xapian::ESet eset = enq.get_eset(static_cast<Xapian::termcount>(n),
		                                 rset,
		                                 Xapian::Enquire::USE_EXACT_TERMFREQ,
		                                 dec.get());
		for (Xapian::ESetIterator it = eset.begin(); it != eset.end();
		     ++it) {
			const std::string &t = *it;
			fn(ctx, t.data(), t.size(), it.get_weight());
		}
		return DP_OK;
	SHIM_CATCH("expand")
}

extern "C" void dpx_mset_group_counts(const dpx_mset *m, uint32_t *counts,
                                      size_t ngroups)
{
	for (size_t g = 0; g < ngroups; g++)
		counts[g] = g < m->group_counts.size() ? m->group_counts[g] : 0;
}

extern "C" dpx_termsets *dpx_termsets_new(const char *prefix)
{
	try {
		dpx_termsets *ts = new dpx_termsets();
		ts->prefix = prefix ? prefix : "";
		return ts;
	} catch (...) {
		return nullptr;
	}
}

extern "C" int dpx_termsets_add(dpx_termsets *ts, unsigned group,
                                const char *const *terms, size_t n)
{
	try {
		std::vector<std::string> v;
		for (size_t i = 0; i < n; i++)
			v.emplace_back(terms[i]);
		std::sort(v.begin(), v.end());
		v.erase(std::unique(v.begin(), v.end()), v.end());
		size_t s = ts->sets.size();
		for (const std::string &t : v)
			ts->by_term[t].push_back(s);
		ts->sets.emplace_back(group, std::move(v));
		if (group + 1 > ts->ngroups)
			ts->ngroups = group + 1;
		return 0;
	} catch (...) {
		return -1;
	}
}

extern "C" void dpx_termsets_free(dpx_termsets *ts)
{
	delete ts;
}

extern "C" dp_status dpx_mset_facets(const dpx_mset *m, size_t k,
                                     dpx_facet_fn fn, void *ctx, dp_error *err)
{
	if (k >= m->spies.size())
		return dp_error_set(err, DP_ERR_INVALID, "facets: no slot %zu",
		                    k);
	SHIM_TRY
		Xapian::ValueCountMatchSpy *spy = m->spies[k].get();
		for (Xapian::TermIterator it = spy->values_begin();
		     it != spy->values_end(); ++it) {
			const std::string &v = *it;
			if (fn(ctx, v.data(), v.size(), it.get_termfreq()))
				break;
		}
		return DP_OK;
	SHIM_CATCH("facets")
}

namespace {
/* One document, known by its unique "Q" term: over several databases, a
 * decider sees each one's own docids, not the combined one. */
class OneDoc : public Xapian::MatchDecider {
	std::string idterm_;

public:
	explicit OneDoc(const std::string &idterm) : idterm_(idterm) {}
	bool operator()(const Xapian::Document &doc) const override
	{
		Xapian::TermIterator t = doc.termlist_begin();
		t.skip_to(idterm_);
		return t != doc.termlist_end() && *t == idterm_;
	}
};
} // namespace

extern "C" dp_status dpx_score_doc(dpx_db *db, const dpx_query *q,
                                   const dpx_search_params *p, uint32_t docid,
                                   double *weight, int *matched, dp_error *err)
{
	*weight = 0;
	*matched = 0;
	SHIM_TRY
		Xapian::Enquire enq(*db->rd);
		dpx_search_params one = *p;
		one.sort_by_value = 0;
		one.collapse = 0;
		setup_enquire(enq, db, q, &one);
		std::string idterm;
		{
			Xapian::TermIterator t = db->rd->termlist_begin(docid);
			t.skip_to("Q");
			if (t != db->rd->termlist_end(docid) && (*t)[0] == 'Q')
				idterm = *t;
		}
		OneDoc decider(idterm);
		if (db->nremote)   /* no decider runs on a remote shard */
			enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q->q,
			                            Xapian::Query(idterm)));
		Xapian::MSet ms = enq.get_mset(0, 1, 0, nullptr,
		                               db->nremote ? nullptr : &decider);
		if (ms.size() > 0 && *ms.begin() == docid) {
			*weight = ms.begin().get_weight();
			*matched = 1;
		}
		return DP_OK;
	SHIM_CATCH("explain score")
}

/* ---- stemming ----------------------------------------------------------- */

extern "C" dp_status dpx_stemmer_new(const char *language, dpx_stemmer **out,
                                     dp_error *err)
{
	*out = nullptr;
	SHIM_TRY
		*out = new dpx_stemmer{Xapian::Stem(language)};
		return DP_OK;
	SHIM_CATCH("stemmer")
}

extern "C" void dpx_stemmer_free(dpx_stemmer *s)
{
	delete s;
}

extern "C" size_t dpx_stem(dpx_stemmer *s, const char *word, size_t len,
                           char *out, size_t outsz)
{
	try {
		std::string r = s->stem(std::string(word, len));
		if (r.size() + 1 > outsz)
			return static_cast<size_t>(-1);
		std::memcpy(out, r.data(), r.size());
		out[r.size()] = '\0';
		return r.size();
	} catch (...) {
		return static_cast<size_t>(-1);
	}
}

extern "C" const char *dpx_version(void)
{
	return Xapian::version_string();
}

extern "C" size_t dpx_sortable(double v, char out[9])
{
	try {
		std::string s = Xapian::sortable_serialise(v);
		std::memcpy(out, s.data(), s.size());
		return s.size();
	} catch (...) {
		return 0;
	}
}

/* ---- shards (issue 11) ----------------------------------------------------
 * Kept apart from the rest of the shim, for merging. */

extern "C" dp_status dpx_db_copy_doc(dpx_db *src, uint32_t docid,
                                     dpx_db *dst, const char *unique_term,
                                     dp_error *err)
{
	dp_status st = need_writable(dst, err, "copy document");
	if (st != DP_OK)
		return st;
	SHIM_TRY
		Xapian::Document d = src->rd->get_document(docid);
		/* a document of another database: rebuilt, so that its
		 * terms, positions, values and data are all copied */
		Xapian::Document n;
		n.set_data(d.get_data());
		for (Xapian::ValueIterator v = d.values_begin();
		     v != d.values_end(); ++v)
			n.add_value(v.get_valueno(), *v);
		for (Xapian::TermIterator t = d.termlist_begin();
		     t != d.termlist_end(); ++t) {
			Xapian::termcount wdf = t.get_wdf();
			Xapian::termcount left = wdf;
			for (Xapian::PositionIterator p = t.positionlist_begin();
			     p != t.positionlist_end(); ++p) {
				n.add_posting(*t, *p, left ? 1 : 0);
				if (left)
					left--;
			}
			if (left || wdf == 0)
				n.add_term(*t, left);
		}
		dst->wr->replace_document(unique_term, n);
		return DP_OK;
	SHIM_CATCH("copy document")
}

extern "C" dp_status dpx_db_open_remote(const char *host, unsigned port,
                                        unsigned timeout_ms, dpx_db **out,
                                        dp_error *err)
{
	*out = nullptr;
	dpx_db *db = nullptr;
	SHIM_TRY
		db = new dpx_db();
		db->path = std::string("remote :") + host + ":"
		           + std::to_string(port);
		/* Xapian counts these in milliseconds */
		db->rd = new Xapian::Database(
		    Xapian::Remote::open(host, port, timeout_ms, timeout_ms));
		db->nremote = 1;
		*out = db;
		return DP_OK;
	} catch (...) {
		delete db;
		std::string what = std::string("shard server ") + host + ":"
		                   + std::to_string(port);
		return translate(err, what.c_str());
	}
}

/* Opening a set of shards one by one (rather than through Xapian's own
 * stub reader): a shard that fails is named, and may be left out. */

extern "C" dp_status dpx_db_set_new(const char *name, dpx_db **out,
                                    dp_error *err)
{
	*out = nullptr;
	SHIM_TRY
		dpx_db *db = new dpx_db();
		db->path = name;
		try {
			db->rd = new Xapian::Database();
		} catch (...) {
			delete db;
			throw;
		}
		*out = db;
		return DP_OK;
	SHIM_CATCH("open shards")
}

extern "C" dp_status dpx_db_set_add(dpx_db *set, dpx_db *shard,
                                    dp_error *err)
{
	SHIM_TRY
		set->rd->add_database(*shard->rd);
		set->nremote += shard->nremote;
		return DP_OK;
	SHIM_CATCH("open shards")
}

extern "C" int dpx_db_remote_count(const dpx_db *db)
{
	return db->nremote;
}

/* Person facets over remote shards: the TermSetSpy cannot run on a
 * stock xapian-tcpsrv, so each group is counted exactly by a query of
 * built-in parts: the search's query filtered by any of the group's term
 * sets. */
static void count_groups_remote(const Xapian::Database &db,
                                const Xapian::Query &q,
                                const dpx_search_params *p,
                                std::vector<uint32_t> *counts)
{
	const dpx_termsets *ts = p->groups;
	counts->assign(ts->ngroups, 0);
	std::vector<std::vector<Xapian::Query>> by_group(ts->ngroups);
	for (const auto &set : ts->sets) {
		std::vector<Xapian::Query> terms;
		for (const std::string &t : set.second)
			terms.emplace_back(t);
		by_group[set.first].emplace_back(Xapian::Query::OP_AND,
		                                 terms.begin(), terms.end());
	}
	Xapian::Enquire enq(db);
	enq.set_weighting_scheme(Xapian::BoolWeight());
	Xapian::doccount all = db.get_doccount();
	for (unsigned g = 0; g < ts->ngroups; g++) {
		if (by_group[g].empty())
			continue;
		Xapian::Query any(Xapian::Query::OP_OR, by_group[g].begin(),
		                  by_group[g].end());
		enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, any));
		Xapian::MSet ms = enq.get_mset(0, 0, all);
		(*counts)[g] = ms.get_matches_lower_bound();
	}
}

/* The boosts stock xapian-tcpsrv cannot run, computed on the client from
 * a hit's value, with the very code the posting sources use. */
extern "C" double dpx_boost_weight_recency(const dpx_boost_params *p,
                                           const char *value, size_t len)
{
	try {
		RecencySource src(p->date_slot, p->now, p->recency_weight,
		                  p->half_life_days);
		return src.weight_for(std::string(value, len));
	} catch (...) {
		return 0;
	}
}

extern "C" double dpx_boost_weight_weekday(const double weight[7],
                                           const char *value, size_t len)
{
	try {
		WeekdaySource src(0, weight);
		return src.weight_for(std::string(value, len));
	} catch (...) {
		return 0;
	}
}

extern "C" double dpx_boost_weight_dates(const uint32_t *dates, size_t n,
                                         double weight, const char *value,
                                         size_t len)
{
	try {
		DateSource src(0, dates, n, weight);
		return src.weight_for(std::string(value, len));
	} catch (...) {
		return 0;
	}
}

extern "C" dp_status dpx_db_set_done(dpx_db *set, dp_error *err)
{
	SHIM_TRY
		/* no shard yet (a sharded database nothing was indexed in):
		 * an empty database, which Enquire accepts */
		if (set->rd->size() == 0)
			set->rd->add_database(
			    Xapian::Database(std::string(),
			                     Xapian::DB_BACKEND_INMEMORY));
		return DP_OK;
	SHIM_CATCH("open shards")
}
