/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MHI controller below a card's PCI device, as drivers/bus/mhi/host
 * lays it out in sysfs (init.c mhi_register_controller(): "mhi%d", parent
 * the PCI device; main.c mhi_create_devices(): one device per channel
 * pair, "<controller>_<channel>", parent the controller, created when the
 * device reaches the execution environment the channel belongs to). The
 * controller's attributes (serial_number, oem_pk_hash, soc_reset) say
 * nothing about its state; that lives only in debugfs
 * (/sys/kernel/debug/mhi/<controller>/states), read when present.
 */
#ifndef GC_MHI_H
#define GC_MHI_H

#include "sysroot.h"

struct gc_mhi_chan {
	char *name;    /* "QAIC_CONTROL": the part after "<controller>_" */
	char *driver;  /* bound MHI driver ("qaic_mhi", "sahara"), NULL when none */
};

struct gc_mhi {
	int err;                 /* -ENOENT: no controller below the card */
	char *cntrl;             /* "mhi0" */
	struct gc_mhi_chan *chan;
	size_t n_chan;
	char *states;            /* debugfs states, first line; NULL when not readable */
};

int gc_mhi_probe(const struct gc_root *r, const char *pci_addr, struct gc_mhi *out);
void gc_mhi_free(struct gc_mhi *m);
/* The channel device called name, NULL when the kernel has not created it. */
const struct gc_mhi_chan *gc_mhi_chan_find(const struct gc_mhi *m, const char *name);

#endif
