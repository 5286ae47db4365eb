/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Everything the probes found, gathered before any check runs. */
#ifndef GC_FACTS_H
#define GC_FACTS_H

#include "../probes/kmsg.h"
#include "../probes/kversion.h"
#include "../probes/modules.h"
#include "../probes/pci.h"
#include "../probes/sysroot.h"

struct gc_facts {
	bool live;
	bool privileged;          /* live and euid 0 */
	const char *sysroot;
	struct gc_pci_facts pci;
	struct gc_kmsg kmsg;
	struct gc_modules mods;
	struct gc_kversion kver;  /* of mods.release */
	int kver_err;
};

int gc_facts_gather(const struct gc_root *r, const struct gc_pci_id *extra, struct gc_facts *out);
void gc_facts_free(struct gc_facts *f);

#endif
