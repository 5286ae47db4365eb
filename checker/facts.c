// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs the probes, in an order where later probes may use earlier facts. */
#include <errno.h>
#include <unistd.h>

#include "facts.h"

int gc_facts_gather(const struct gc_root *r, const struct gc_pci_id *extra, struct gc_facts *out)
{
	*out = (struct gc_facts){ 0 };
	out->live = r->live;
	out->privileged = r->live && geteuid() == 0;
	out->sysroot = r->dir;
	gc_modules_probe(r, &out->mods);
	out->kver_err = out->mods.release_err ? out->mods.release_err
					      : gc_kversion_parse(out->mods.release, &out->kver);
	gc_pci_probe(r, extra, &out->pci);
	gc_kmsg_probe(r, &out->kmsg);
	return 0;
}

void gc_facts_free(struct gc_facts *f)
{
	gc_pci_facts_free(&f->pci);
	gc_kmsg_free(&f->kmsg);
	gc_modules_free(&f->mods);
}
