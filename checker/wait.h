/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --wait: let the cards finish starting before they are judged. */
#ifndef GC_WAIT_H
#define GC_WAIT_H

#include "facts.h"
#include "options.h"
#include "../probes/sysroot.h"

struct gc_wait {
	bool asked;           /* --wait given */
	bool settled;         /* every card settled before the deadline */
	double waited;        /* seconds */
	size_t cards;         /* seen at the last look */
	char *pending;        /* the first card still starting when time ran out, and why */
};

/*
 * Poll the tree until every card has settled or o->wait_seconds pass; at
 * least max(1, --expect-devices) cards must be there (Hyper-V's vPCI cards
 * appear after boot). Reads through the file layer, so a sysroot that
 * changes underneath works as a live system does.
 */
void gc_wait_settle(const struct gc_root *r, const struct gc_options *o, struct gc_wait *out);
void gc_wait_free(struct gc_wait *w);

/*
 * The decision of one look, without sleeping: NULL when every card has
 * settled, else why not (allocated). A card has settled when no installed
 * module would bind it (f->dev_mod), when a driver other than qaic is bound,
 * or when qaic is bound and gc_card_state() says online, or failed with an
 * error line of that card in the kernel log. Reads f->pci, f->dev_mod and,
 * for qaic cards, f->mhi, f->kmsg and f->kver.
 */
char *gc_wait_reason(const struct gc_facts *f, size_t want);

#endif
