/* pipeline.h: dispatches analysed in worker threads, written in order.
 *
 * The indexer's thread reads dispatches into items and writes them to the
 * index; analysing a dispatch and building its document (dp_index_prepare)
 * runs meanwhile in worker threads, each with its own analyzer.  Items
 * reach the writer in the order they were submitted, whatever the order
 * the workers finish them in, so that everything the index decides
 * (versions, kills, duplicates, the state of files) happens as if there
 * were one thread.  Besides dispatches, items mark the beginning and the
 * end of a file, for the writer to do at the right point.
 *
 * With no worker, an item is prepared when it is submitted. */
#ifndef DEPECHE_PIPELINE_H
#define DEPECHE_PIPELINE_H

#include <stddef.h>

#include "depeche.h"
#include "dispatch.h"
#include "index.h"

typedef enum pl_kind { PL_DOC, PL_FILE_BEGIN, PL_FILE_END } pl_kind;

typedef struct pl_item {
	pl_kind kind;
	void *file;             /* the caller's, for the writer */
	dp_dispatch *d;         /* PL_DOC: the item's own, to read into */
	const char *file_key;   /* PL_DOC: as for dp_index_prepare */
	dp_prepared *prep;      /* PL_DOC: the document, once prepared */
	dp_status st;           /* PL_DOC: what dp_index_prepare returned */
	dp_error err;
	int state;              /* the pipeline's */
} pl_item;

typedef struct pipeline pipeline;

/* Writes one item, in order; a status other than DP_OK stops the
 * writing: the items after it are then given with skip set, for the
 * caller to release what it attached to them. */
typedef dp_status (*pl_write_fn)(void *ctx, pl_item *it, int skip);

/* workers: threads that prepare (0: the caller's thread does); depth:
 * items in flight. */
dp_status pl_new(int workers, size_t depth, pl_write_fn write, void *ctx,
                 pipeline **out, dp_error *err);

/* A free item to fill, writing the oldest ones first when all are in
 * flight.  Returns NULL once writing has stopped on an error, after
 * releasing (as skipped) every item in flight. */
pl_item *pl_take(pipeline *p);

/* Hands a filled item over (kind, file, and for PL_DOC d and file_key). */
void pl_submit(pipeline *p, pl_item *it);

/* Gives back an item taken but not submitted (nothing was read). */
void pl_untake(pipeline *p, pl_item *it);

/* Writes every item submitted; returns the status that stopped the
 * writing, if any. */
dp_status pl_drain(pipeline *p);

/* The status that stopped the writing (DP_OK while it goes on). */
dp_status pl_status(const pipeline *p);

/* Stops the workers; items not written are given to write with skip. */
void pl_free(pipeline *p);

#endif
