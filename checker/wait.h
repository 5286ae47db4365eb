/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --wait: let the cards finish starting before they are judged. */
#ifndef GC_WAIT_H
#define GC_WAIT_H

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
 * Poll the tree until every card has settled or o->wait_seconds pass. A
 * card has settled when a driver is bound to it, or when no installed module
 * would ever bind it; at least max(1, --expect-devices) cards must be there
 * (Hyper-V's vPCI cards appear after boot). Reads through the file layer, so
 * a sysroot that changes underneath works as a live system does.
 */
void gc_wait_settle(const struct gc_root *r, const struct gc_options *o, struct gc_wait *out);
void gc_wait_free(struct gc_wait *w);

#endif
