// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A Node Feature Discovery feature file, for nfd-worker's local source
 * (kubernetes-sigs/node-feature-discovery source/local/local.go): one
 * name=value per line, '#' lines are comments, "# +" lines directives; a
 * file above 64 KiB or starting with '.' is ignored. Unprefixed names get
 * nfd-master's default feature.node.kubernetes.io/ prefix, which every
 * cluster accepts without -extra-label-ns. Values are Kubernetes label
 * values: 63 characters at most, alphanumerics with - _ . inside.
 */
#include <errno.h>

#include "report.h"

int gc_report_nfd(FILE *out, const struct gc_report *rep)
{
	const struct gc_facts *f = rep->facts;
	unsigned min_vectors = ~0u;
	bool vectors_known = f->pci.n_devs > 0;
	size_t i;

	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];

		if (d->msi_irqs_err && d->msi_irqs_err != -ENOENT)
			vectors_known = false;
		else if (d->n_msi + d->n_msix < min_vectors)
			min_vectors = d->n_msi + d->n_msix;
	}
	fprintf(out, "# aic-guestcheck %s, %s: schedule Cloud AI pods on aic-guestcheck.ready=true\n",
		PROJECT_VERSION, gc_verdict_name(rep->exit_code));
	fprintf(out, "aic-guestcheck.ready=%s\n", rep->exit_code == GC_EXIT_READY ? "true" : "false");
	fprintf(out, "aic-guestcheck.verdict=%s\n", gc_verdict_name(rep->exit_code));
	fprintf(out, "aic-guestcheck.cards=%zu\n", f->pci.n_devs);
	/* The fewest any card got: what a pod can count on. Absent when a card's could not be read. */
	if (vectors_known)
		fprintf(out, "aic-guestcheck.msi-vectors=%u\n", min_vectors);
	fprintf(out, "aic-guestcheck.hypervisor=%s\n", gc_hv_id(f->platform.hv));
	return 0;
}
