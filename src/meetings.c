/* meetings.c: when did these people meet (--meetings).  See dossier.h.
 *
 * The dispatches that name every actor are read sentence by sentence.  A
 * sentence that names them all with a word of meetings.yaml, not negated,
 * is a mention of a meeting: its kind (a meeting, a telephone call, a
 * video call) comes from the words, its day from the sentence ("lundi",
 * "le 19 août", "en février 2019") or else from the dispatch's date, its
 * place from the sentence ("à Moscou", "au fort de Brégançon") or else
 * from the dateline.  Mentions of the same actors on the same or the
 * next day are one event, reported by every dispatch that mentions it;
 * the events come first, then the dispatches that name the actors
 * together or apart. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meetings-private.h"
#include "schema.h"
#include "utf8.h"
#include "xapian-shim.h"

/* Candidates read for --meetings: the most relevant dispatches naming
 * every actor, those with a meeting sentence first. */
#define MAX_CANDIDATES 2000
/* Reports listed with an event. */
#define MAX_REPORTS 50
/* The longest an event lasts (mentions on following days). */
#define MAX_EVENT_DAYS 3

/* ---- events ------------------------------------------------------------- */

static int cmp_mention_day(const void *a, const void *b)
{
	const mention *const *x = a, *const *y = b;
	if ((*x)->day != (*y)->day)
		return (*x)->day < (*y)->day ? -1 : 1;
	return (*x)->hit < (*y)->hit ? -1 : (*x)->hit > (*y)->hit;
}

/* An event while it is built: its mentions are those whose event is
 * its index. */
typedef struct draft {
	int64_t first, last;    /* days of its mentions */
	dp_day_prec prec;
	size_t stories;         /* distinct stories reporting it */
	int day_in_text, confirmed, named;
	size_t best;            /* the mention that shows it */
	int best_score;
} draft;

static int mention_score(const mention *m)
{
	/* a body sentence says more than the headline above it */
	return 8 * !m->ahead + 4 * m->day_in_text + 2 * m->same_day
	       + 2 * m->in_body + (m->place != NULL);
}

/* Groups the dated mentions into events: exact days on the same or the
 * next day; a month goes to the event of that month reported most, or
 * is its own.  Returns the number of drafts made in *out. */
static dp_status group_mentions(mentions *ms, draft **out, size_t *nout,
                                dp_error *err)
{
	*out = NULL;
	*nout = 0;
	mention **by = calloc(ms->n ? ms->n : 1, sizeof *by);
	draft *d = calloc(ms->n ? ms->n : 1, sizeof *d);
	if (!by || !d) {
		free(by);
		free(d);
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	size_t nb = 0, nd = 0;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].prec == DP_DAY_EXACT)
			by[nb++] = &ms->v[i];
	qsort(by, nb, sizeof *by, cmp_mention_day);
	for (size_t i = 0; i < nb; i++) {
		/* a visit of a few days is one event */
		if (!nd || d[nd - 1].prec != DP_DAY_EXACT
		    || by[i]->day > d[nd - 1].last + 1
		    || by[i]->day > d[nd - 1].first + MAX_EVENT_DAYS - 1) {
			d[nd].first = d[nd].last = by[i]->day;
			d[nd].prec = DP_DAY_EXACT;
			nd++;
		}
		d[nd - 1].last = by[i]->day;
		by[i]->event = (int)(nd - 1);
	}
	size_t nexact = nd;
	/* months: to the exact event of the month with the most mentions */
	nb = 0;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].prec == DP_DAY_MONTH)
			by[nb++] = &ms->v[i];
	qsort(by, nb, sizeof *by, cmp_mention_day);
	for (size_t i = 0; i < nb; i++) {
		int y, m, dd;
		dp_civil_from_days(by[i]->day, &y, &m, &dd);
		int64_t lo = by[i]->day, hi = lo + dp_month_days(y, m) - 1;
		size_t pick = SIZE_MAX, most = 0;
		for (size_t e = 0; e < nexact; e++) {
			if (d[e].first > hi || d[e].last < lo)
				continue;
			size_t c = 0;
			for (size_t k = 0; k < ms->n; k++)
				c += ms->v[k].event == (int)e;
			if (c > most) {
				most = c;
				pick = e;
			}
		}
		if (pick == SIZE_MAX) {
			if (!(nd > nexact && d[nd - 1].first == lo)) {
				d[nd].first = d[nd].last = lo;
				d[nd].prec = DP_DAY_MONTH;
				nd++;
			}
			pick = nd - 1;
		}
		by[i]->event = (int)pick;
	}
	free(by);
	*out = d;
	*nout = nd;
	return DP_OK;
}

/* Counts the distinct stories of each draft and picks what shows it. */
static dp_status weigh_drafts(mentions *ms, draft *d, size_t nd,
                              dp_error *err)
{
	dp_strset seen = {0};
	for (size_t e = 0; e < nd; e++) {
		d[e].best = SIZE_MAX;
		dp_strset_release(&seen);
		for (size_t k = 0; k < ms->n; k++) {
			const mention *m = &ms->v[k];
			if (m->event != (int)e)
				continue;
			if (!dp_strset_has(&seen, m->story)) {
				if (dp_strset_add(&seen, m->story) < 0) {
					dp_strset_release(&seen);
					return dp_error_set(err, DP_ERR_NOMEM,
					                    "out of memory");
				}
				d[e].stories++;
			}
			d[e].day_in_text |= m->day_in_text;
			d[e].confirmed |= !m->ahead;
			d[e].named |= m->named;
			int sc = mention_score(m);
			if (d[e].best == SIZE_MAX || sc > d[e].best_score) {
				d[e].best = k;
				d[e].best_score = sc;
			}
		}
	}
	dp_strset_release(&seen);
	return DP_OK;
}

/* Events first that happened (not only announced), then those a
 * sentence names every actor of, then the most reported, then those
 * whose day a sentence gives, then by day. */
static int cmp_draft(const draft *x, const draft *y)
{
	if (x->confirmed != y->confirmed)
		return x->confirmed ? -1 : 1;
	if (x->named != y->named)
		return x->named ? -1 : 1;
	if (x->stories != y->stories)
		return x->stories > y->stories ? -1 : 1;
	if (x->day_in_text != y->day_in_text)
		return x->day_in_text ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_draft_ptr(const void *a, const void *b)
{
	return cmp_draft(*(const draft *const *)a, *(const draft *const *)b);
}

static int cmp_event_day(const void *a, const void *b)
{
	const dp_event *x = a, *y = b;
	int c = strcmp(x->day, y->day);
	if (c)
		return c;
	return x->docid < y->docid ? -1 : x->docid > y->docid;
}

static int cmp_report(const void *a, const void *b)
{
	const dp_report *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

/* The day an event is on: the day its sentences give most, else the
 * day its mentions have most (the earliest of a tie). */
static int64_t event_day(const mentions *ms, int e)
{
	int64_t best = INT64_MIN;
	size_t best_n = 0;
	for (int pass = 0; pass < 2 && best == INT64_MIN; pass++)
		for (size_t i = 0; i < ms->n; i++) {
			const mention *m = &ms->v[i];
			if (m->event != e || m->prec != DP_DAY_EXACT
			    || (!pass && !m->day_in_text))
				continue;
			size_t c = 0;
			for (size_t k = 0; k < ms->n; k++)
				c += ms->v[k].event == e && ms->v[k].day == m->day
				     && ms->v[k].prec == DP_DAY_EXACT
				     && (pass || ms->v[k].day_in_text);
			if (c > best_n || (c == best_n && m->day < best)) {
				best_n = c;
				best = m->day;
			}
		}
	return best;
}

/* The place of an event: the one its sentences name most, else the
 * dateline of a dispatch written on its day. */
static const char *event_place(const mentions *ms, int e, const dp_hit *hits,
                               int *in_text)
{
	const char *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < ms->n; i++) {
		const mention *m = &ms->v[i];
		if (m->event != e || !m->place)
			continue;
		size_t c = 0;
		for (size_t k = 0; k < ms->n; k++)
			c += ms->v[k].event == e && ms->v[k].place
			     && !strcmp(ms->v[k].place, m->place);
		if (c > best_n) {
			best_n = c;
			best = m->place;
		}
	}
	*in_text = best != NULL;
	for (size_t i = 0; !best && i < ms->n; i++) {
		const mention *m = &ms->v[i];
		const dp_docdata *d = &hits[m->hit].doc;
		if (m->event == e && m->same_day && m->kind == DP_MEET_MEETING
		    && d->place && *d->place)
			best = d->place;
	}
	return best;
}

/* ---- meetings ----------------------------------------------------------- */

/* NEAR(actor..., meeting word) within a sentence, to rank dispatches with
 * a meeting sentence first among the candidates. */
static dpx_query *meeting_boost(dp_analyzer *an, const dp_actor *actors,
                                size_t nactors, const dp_vocab *vocab)
{
	size_t n = nactors + 1;
	dpx_query **near = calloc(n, sizeof *near);
	dpx_query **names = calloc(nactors, sizeof *names);
	if (!near || !names) {
		free(near);
		free(names);
		return NULL;
	}
	int fail = 0;
	for (size_t a = 0; a < nactors && !fail; a++) {
		/* names have no positions (schema 3): the window is over
		 * the names' words, in dispatches that have one of the
		 * names */
		const dp_strset *m = &actors[a].marks;
		dpx_query **v = calloc(m->n ? 2 * m->n : 1, sizeof *v);
		if (!v) {
			fail = 1;
			break;
		}
		for (size_t i = 0; i < m->n; i++) {
			char term[256], low[DP_MAX_WORD * 3 + 1];
			char stem[DP_MAX_WORD * 3 + 1];
			size_t ml = strlen(m->v[i]);
			if (ml > DP_MAX_WORD)
				ml = DP_MAX_WORD;
			dp_utf8_lower(m->v[i], ml, low);
			dp_analyzer_stem_position(an, low, strlen(low), stem);
			snprintf(term, sizeof term, "%s%s", DP_PREFIX_TEXT, stem);
			v[i] = dpx_query_term(term, strlen(term), 1, 0);
			snprintf(term, sizeof term, "%s%s", DP_PREFIX_NAME, m->v[i]);
			v[m->n + i] = dpx_query_term(term, strlen(term), 1, 0);
			fail |= !v[i] || !v[m->n + i];
		}
		near[a] = fail ? NULL : dpx_query_combine(DPX_OP_OR, v, m->n, 0);
		names[a] = fail ? NULL
		           : dpx_query_combine(DPX_OP_OR, v + m->n, m->n, 0);
		fail |= !near[a] || !names[a];
		for (size_t i = 0; i < 2 * m->n; i++)
			dpx_query_free(v[i]);
		free(v);
	}
	/* single-stem meeting words, in the text */
	size_t cap = vocab->n, k = 0;
	dpx_query **w = fail ? NULL : calloc(cap ? cap : 1, sizeof *w);
	fail |= !w;
	for (size_t e = 0; !fail && e < vocab->n; e++) {
		if (vocab->n_stems[e] != 1 || vocab->kind[e] == KIND_NOT)
			continue;
		char term[256];
		snprintf(term, sizeof term, "%s%s", DP_PREFIX_TEXT,
		         vocab->stems[e][0]);
		w[k] = dpx_query_term(term, strlen(term), 1, 0);
		fail |= !w[k++];
	}
	if (!fail)
		near[nactors] = dpx_query_combine(DPX_OP_OR, w, k, 0);
	for (size_t i = 0; w && i < k; i++)
		dpx_query_free(w[i]);
	free(w);
	dpx_query *q = NULL;
	if (!fail && near[nactors]) {
		dpx_query *nq = dpx_query_combine(DPX_OP_NEAR, near, n,
		                                  DP_SENTENCE_GAP);
		dpx_query *all = dpx_query_combine(DPX_OP_AND, names, nactors,
		                                   0);
		dpx_query *f[2] = {nq, all};
		dpx_query *fq = nq && all
		                ? dpx_query_combine(DPX_OP_FILTER, f, 2, 0) : NULL;
		/* a meeting sentence outweighs any text score */
		q = fq ? dpx_query_scale(fq, 10.0) : NULL;
		dpx_query_free(nq);
		dpx_query_free(all);
		dpx_query_free(fq);
	}
	for (size_t i = 0; i < n; i++)
		dpx_query_free(near[i]);
	for (size_t i = 0; i < nactors; i++)
		dpx_query_free(names[i]);
	free(near);
	free(names);
	return q;
}

static int cmp_meeting(const void *a, const void *b)
{
	const dp_meeting *x = a, *y = b;
	if (x->evidence != y->evidence)
		return x->evidence < y->evidence ? -1 : 1;
	if (x->doc.time != y->doc.time)
		return x->doc.time < y->doc.time ? -1 : 1;
	return x->docid < y->docid ? -1 : x->docid > y->docid;
}

void dp_meetings_release(dp_meetings *m)
{
	for (size_t i = 0; i < m->n; i++) {
		dp_docdata_release(&m->v[i].doc);
		dp_snippet_release(&m->v[i].sentence);
	}
	for (size_t i = 0; i < m->n_ev; i++) {
		dp_docdata_release(&m->ev[i].doc);
		dp_snippet_release(&m->ev[i].sentence);
		free(m->ev[i].reports);
	}
	free(m->v);
	free(m->ev);
	dp_arena_release(&m->mem);
	memset(m, 0, sizeof *m);
}

/* Everything found for one search, while it is read. */
typedef struct finding {
	dp_searcher *s;
	const dp_vocab *vocab;
	dp_actor *actors;
	size_t nactors;
	dp_strset names, terms;   /* to highlight */
	dp_result r;
	char **story;             /* each candidate's story key */
	dp_evidence *ev;          /* each candidate's evidence */
	int *dated;               /* a candidate with a dated mention */
	mentions ms;
	dp_tokens *toks;
} finding;

/* Builds the events from the mentions: the limit best, by day. */
static dp_status make_events(finding *f, uint32_t limit, dp_meetings *out,
                             dp_error *err)
{
	draft *d;
	size_t nd;
	dp_status st = group_mentions(&f->ms, &d, &nd, err);
	if (st == DP_OK)
		st = weigh_drafts(&f->ms, d, nd, err);
	const draft **order = st == DP_OK ? calloc(nd ? nd : 1, sizeof *order)
	                                  : NULL;
	if (st == DP_OK && !order)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	if (st != DP_OK) {
		free(d);
		return st;
	}
	for (size_t e = 0; e < nd; e++) {
		order[e] = &d[e];
		out->n_events++;
		if (!d[e].confirmed)
			out->n_planned++;
	}
	qsort(order, nd, sizeof *order, cmp_draft_ptr);
	size_t keep = nd < limit ? nd : limit;
	out->ev = calloc(keep ? keep : 1, sizeof *out->ev);
	if (!out->ev)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_analyzer *an = dp_searcher_analyzer(f->s);
	for (size_t i = 0; st == DP_OK && i < keep; i++) {
		int e = (int)(order[i] - d);
		const mention *b = &f->ms.v[d[e].best];
		dp_event *x = &out->ev[out->n_ev++];
		dp_hit *h = &f->r.hits[b->hit];
		x->kind = DP_MEET_MEETING;
		for (size_t k = 0; k < f->ms.n; k++)
			if (f->ms.v[k].event == e && f->ms.v[k].kind > x->kind)
				x->kind = f->ms.v[k].kind;
		x->planned = !d[e].confirmed;
		x->day_in_text = d[e].day_in_text;
		int64_t day = d[e].prec == DP_DAY_EXACT ? event_day(&f->ms, e)
		                                        : d[e].first;
		dp_text_day_format(day, d[e].prec, x->day);
		const char *place = event_place(&f->ms, e, f->r.hits,
		                                &x->place_in_text);
		/* a call is not held anywhere */
		if (x->kind != DP_MEET_MEETING)
			place = NULL, x->place_in_text = 0;
		snprintf(x->place, sizeof x->place, "%s", place ? place : "");
		x->docid = h->docid;
		x->stories = d[e].stories;
		st = dp_snippet_make(an, b->sentence, b->sentence_len, &f->terms,
		                     &f->names, 400, 0, &x->sentence, err);
		/* the reports: one per story, by date */
		size_t nr = 0;
		x->reports = st == DP_OK
		             ? calloc(d[e].stories, sizeof *x->reports) : NULL;
		if (st == DP_OK && !x->reports)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		dp_strset seen = {0};
		for (size_t k = 0; st == DP_OK && k < f->ms.n; k++) {
			const mention *m = &f->ms.v[k];
			if (m->event != e || dp_strset_has(&seen, m->story))
				continue;
			if (dp_strset_add(&seen, m->story) < 0) {
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
				break;
			}
			const dp_docdata *dd = &f->r.hits[m->hit].doc;
			dp_report *r = &x->reports[nr++];
			r->docid = f->r.hits[m->hit].docid;
			r->time = dd->time;
			r->id = dp_arena_strndup(&out->mem, dd->id, strlen(dd->id));
			r->date = dd->date ? dp_arena_strndup(&out->mem, dd->date,
			                                      strlen(dd->date))
			                   : NULL;
			r->source = dd->source ? dp_arena_strndup(&out->mem,
			                                          dd->source,
			                                          strlen(dd->source))
			                       : NULL;
			if (!r->id || (dd->date && !r->date)
			    || (dd->source && !r->source))
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
		}
		dp_strset_release(&seen);
		x->n_reports = nr;
		if (nr > 1)
			qsort(x->reports, nr, sizeof *x->reports, cmp_report);
		if (x->n_reports > MAX_REPORTS)
			x->n_reports = MAX_REPORTS;
	}
	/* the evidence dispatches' data, moved once every event is made
	 * (several events may show the same dispatch) */
	for (size_t i = 0; st == DP_OK && i < out->n_ev; i++) {
		dp_event *x = &out->ev[i];
		for (size_t k = 0; k < f->r.n; k++)
			if (f->r.hits[k].docid == x->docid) {
				dp_hit *h = &f->r.hits[k];
				if (h->doc.mem) {
					x->doc = h->doc;
					memset(&h->doc, 0, sizeof h->doc);
				} else {
					/* already moved: decode it again */
					char *data = NULL;
					size_t dl = 0;
					st = dpx_db_doc_data(dp_searcher_db(f->s), x->docid,
					                     &data, &dl, err);
					if (st == DP_OK)
						st = dp_docdata_decode(data, dl, &x->doc, err);
					free(data);
				}
				break;
			}
	}
	if (st == DP_OK && out->n_ev > 1)
		qsort(out->ev, out->n_ev, sizeof *out->ev, cmp_event_day);
	free((void *)order);
	free(d);
	return st;
}

/* The other dispatches, one entry per story: meetings recalled without
 * a day, then named together, then apart. */
static dp_status make_entries(finding *f, uint32_t limit, dp_meetings *out,
                              dp_error *err)
{
	dp_result *r = &f->r;
	dp_status st = DP_OK;
	if (r->n && !(out->v = calloc(r->n, sizeof *out->v)))
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	dp_strset stories = {0};
	size_t *story_entry = r->n ? calloc(r->n, sizeof *story_entry) : NULL;
	dp_strset dated = {0};
	if (r->n && !story_entry)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	/* a story with a dated meeting is in the events */
	for (size_t i = 0; st == DP_OK && i < r->n; i++)
		if (f->dated[i] && dp_strset_add(&dated, f->story[i]) < 0)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t i = 0; st == DP_OK && i < r->n; i++) {
		dp_hit *h = &r->hits[i];
		dp_evidence ev = f->ev[i];
		const char *key = f->story[i];
		if (dp_strset_has(&dated, key))
			continue;
		size_t at = out->n;
		int merged = 0;
		for (size_t k = 0; k < stories.n; k++)
			if (!strcmp(stories.v[k], key)) {
				dp_meeting *m = &out->v[story_entry[k]];
				m->others++;
				merged = 1;
				if (ev < m->evidence
				    || (ev == m->evidence && h->doc.time > m->doc.time)) {
					/* this one shows the story better */
					dp_docdata_release(&m->doc);
					m->doc = h->doc;
					memset(&h->doc, 0, sizeof h->doc);
					m->docid = h->docid;
					m->evidence = ev;
				}
				break;
			}
		if (merged)
			continue;
		if (dp_strset_add(&stories, key) < 0) {
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			break;
		}
		story_entry[stories.n - 1] = at;
		dp_meeting *m = &out->v[at];
		m->docid = h->docid;
		m->evidence = ev;
		m->doc = h->doc;
		memset(&h->doc, 0, sizeof h->doc);
		out->n++;
	}
	free(story_entry);
	dp_strset_release(&stories);
	dp_strset_release(&dated);
	if (st != DP_OK)
		return st;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_meeting);
	for (size_t i = 0; i < out->n; i++) {
		if (out->v[i].evidence == DP_EVIDENCE_MEETING)
			out->n_meeting++;
		else if (out->v[i].evidence == DP_EVIDENCE_TOGETHER)
			out->n_together++;
		else
			out->n_mention++;
	}
	/* keep what will be shown, then find its evidence sentence */
	size_t room = limit > out->n_ev ? limit - out->n_ev : 0;
	while (out->n > room) {
		out->n--;
		dp_docdata_release(&out->v[out->n].doc);
	}
	dp_analyzer *an = dp_searcher_analyzer(f->s);
	scan sc = {.an = an, .actors = f->actors, .nactors = f->nactors,
	           .vocab = f->vocab, .t = f->toks};
	for (size_t i = 0; st == DP_OK && i < out->n; i++) {
		dp_meeting *m = &out->v[i];
		const char *hl = m->doc.headline ? m->doc.headline : "";
		/* the text's sentence when it holds the evidence, which says
		 * more than the headline; else the headline */
		dp_evidence be;
		st = dp_meet_text_evidence(&sc, m->doc.text, m->doc.text_len, &be, err);
		if (st != DP_OK)
			break;
		if (be == m->evidence || m->evidence == DP_EVIDENCE_MENTION)
			st = dp_snippet_make(an, m->doc.text, m->doc.text_len,
			                     &f->terms, &f->names, 320, 0,
			                     &m->sentence, err);
		else
			st = dp_snippet_make(an, hl, strlen(hl), &f->terms,
			                     &f->names, 0, 1, &m->sentence, err);
		dp_strset_release(&sc.epithets);
	}
	return st;
}

/* Reads every candidate: its story, its evidence, its mentions. */
static dp_status read_candidates(finding *f, dp_error *err)
{
	dp_result *r = &f->r;
	size_t n = r->n ? r->n : 1;
	f->story = calloc(n, sizeof *f->story);
	f->ev = calloc(n, sizeof *f->ev);
	f->dated = calloc(n, sizeof *f->dated);
	if (!f->story || !f->ev || !f->dated)
		return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	scan sc = {.an = dp_searcher_analyzer(f->s), .actors = f->actors,
	           .nactors = f->nactors, .vocab = f->vocab, .t = f->toks,
	           .ms = &f->ms};
	dp_status st = DP_OK;
	for (size_t i = 0; st == DP_OK && i < r->n; i++) {
		dp_hit *h = &r->hits[i];
		char *story = NULL;
		size_t sl = 0;
		st = dpx_db_doc_value(dp_searcher_db(f->s), h->docid,
		                      DP_SLOT_STORY, &story, &sl, err);
		if (st != DP_OK)
			break;
		const char *key = story && *story ? story : h->doc.id;
		f->story[i] = dp_arena_strndup(&f->ms.mem, key, strlen(key));
		free(story);
		if (!f->story[i]) {
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
			break;
		}
		sc.hit = i;
		sc.story = f->story[i];
		sc.ref = dp_meet_doc_day(&h->doc);
		sc.found = 0;
		sc.named = sc.head_named = 0;
		dp_strset_release(&sc.epithets);
		sc.in_body = 0;
		size_t before = f->ms.n;
		dp_evidence e1, e2;
		const char *hl = h->doc.headline;
		st = dp_meet_text_evidence(&sc, hl, hl ? strlen(hl) : 0, &e1, err);
		if (st != DP_OK)
			break;
		sc.head_named = sc.named;
		sc.in_body = 1;
		st = dp_meet_text_evidence(&sc, h->doc.text, h->doc.text_len, &e2,
		                           err);
		if (st != DP_OK)
			break;
		f->ev[i] = e1 < e2 ? e1 : e2;
		for (size_t k = before; k < f->ms.n; k++)
			if (f->ms.v[k].prec != DP_DAY_NONE)
				f->dated[i] = 1;
	}
	dp_strset_release(&sc.epithets);
	return st;
}

dp_status dp_meetings_find(dp_searcher *s, const dp_vocab *vocab,
                           const dp_profile *p,
                           const char *const *args, size_t nactors,
                           const char *since, const char *until,
                           uint32_t limit, dp_meetings *out, dp_error *err)
{
	memset(out, 0, sizeof *out);
	if (nactors < 2)
		return dp_error_set(err, DP_ERR_INVALID,
		                    "--meetings needs two actors or more");
	finding f;
	memset(&f, 0, sizeof f);
	f.s = s;
	f.vocab = vocab;
	f.nactors = nactors;
	f.actors = calloc(nactors, sizeof *f.actors);
	char *query = calloc(nactors, 210);
	f.toks = dp_tokens_new();
	dp_status st = DP_OK;
	if (!f.actors || !query || !f.toks)
		st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	size_t qo = 0;
	for (size_t a = 0; st == DP_OK && a < nactors; a++) {
		st = dp_actor_init(s, &f.actors[a], args[a], err);
		if (st != DP_OK)
			break;
		qo += dp_actor_query(&f.actors[a], query + qo, 210 * nactors - qo);
		query[qo++] = ' ';
		query[qo] = '\0';
		size_t ao = strlen(out->actors);
		snprintf(out->actors + ao, sizeof out->actors - ao, "%s%s",
		         a ? " + " : "", dp_actor_name(&f.actors[a]));
	}
	dpx_query *boost = NULL;
	if (st == DP_OK) {
		boost = meeting_boost(dp_searcher_analyzer(s), f.actors, nactors,
		                      vocab);
		if (!boost)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	}
	/* dispatches that name every actor: never the best-match
	 * fallback */
	dp_profile strict = *p;
	strict.fallback_or = 0;
	if (st == DP_OK) {
		dp_request req;
		dp_request_init(&req);
		req.query = query;
		req.profile = &strict;
		req.limit = MAX_CANDIDATES;
		req.snippet_bytes = 0;
		req.since = since;
		req.until = until;
		req.boost = boost;
		req.sort = DP_SORT_RELEVANCE;
		st = dp_searcher_run(s, &req, &f.r, err);
	}
	/* every actor's words are highlighted, with the meeting words */
	for (size_t a = 0; st == DP_OK && a < nactors; a++)
		for (size_t i = 0; i < f.actors[a].all.n; i++)
			if (dp_strset_add(&f.names, f.actors[a].all.v[i]) < 0)
				st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	for (size_t k = 0; st == DP_OK && k < vocab->marks.n; k++)
		if (dp_strset_add(&f.terms, vocab->marks.v[k]) < 0)
			st = dp_error_set(err, DP_ERR_NOMEM, "out of memory");
	if (st == DP_OK)
		out->candidates = f.r.total;
	if (st == DP_OK && f.r.n)
		st = read_candidates(&f, err);
	if (st == DP_OK)
		st = make_events(&f, limit, out, err);
	if (st == DP_OK)
		st = make_entries(&f, limit, out, err);
	dp_strset_release(&f.names);
	dp_strset_release(&f.terms);
	if (f.r.hits || f.r.compiled.q)
		dp_result_release(&f.r);
	free(f.story);
	free(f.ev);
	free(f.dated);
	free(f.ms.v);
	dp_arena_release(&f.ms.mem);
	dpx_query_free(boost);
	for (size_t a = 0; f.actors && a < nactors; a++)
		dp_actor_release(&f.actors[a]);
	free(f.actors);
	free(query);
	dp_tokens_free(f.toks);
	if (st != DP_OK)
		dp_meetings_release(out);
	return st;
}
