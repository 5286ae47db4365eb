// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Waiting for the cards. Binding shows as the device's "driver" link
 * (drivers/base/dd.c driver_sysfs_add), which the PCI probe reads; qaic's
 * own start (firmware boot over MHI, announced with KOBJ_ONLINE) follows
 * the binding asynchronously and is for the device checks to judge.
 * Polling with a bounded interval needs no netlink socket, works without
 * root and on a sysroot, and a poll cannot miss an event that came before.
 */
#include <errno.h>
#include <time.h>

#include "wait.h"
#include "../probes/modules.h"
#include "../probes/pci.h"

#define POLL_MS 250

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* NULL when every card has settled, else why not (allocated). */
static char *pending(const struct gc_root *r, const struct gc_options *o, const struct gc_modules *mods,
		     size_t *cards)
{
	size_t want = o->expect_devices > 1 ? (size_t)o->expect_devices : 1, i;
	struct gc_pci_facts pci;
	char *why = NULL;

	gc_pci_probe(r, o->have_extra_id ? &o->extra_id : NULL, &pci);
	*cards = pci.n_devs;
	if (pci.err)
		why = xasprintf("the PCI bus could not be read (%s)", strerror(-pci.err));
	else if (pci.n_devs < want)
		why = xasprintf("%zu card%s present, waiting for %zu", pci.n_devs, pci.n_devs == 1 ? "" : "s",
				want);
	for (i = 0; !why && i < pci.n_devs; i++) {
		const struct gc_pci_dev *d = &pci.devs[i];
		char **names = NULL, *path = NULL;
		size_t n = 0;

		if (d->driver)
			continue;
		/* No module would bind it: waiting cannot help; device.driver will say why. */
		if (gc_module_lookup(mods, d->modalias ? d->modalias : "qaic", &names, &n, &path) != 0 || n)
			why = xasprintf("%s has no driver bound yet", d->f.addr);
		gc_strv_free(names, n);
		free(path);
	}
	gc_pci_facts_free(&pci);
	return why;
}

void gc_wait_settle(const struct gc_root *r, const struct gc_options *o, struct gc_wait *out)
{
	double start = now(), deadline = start + o->wait_seconds;
	struct timespec pause = { 0, POLL_MS * 1000000L };
	struct gc_modules mods;

	*out = (struct gc_wait){ .asked = true };
	gc_modules_probe(r, &mods);
	for (;;) {
		free(out->pending);
		out->pending = pending(r, o, &mods, &out->cards);
		if (!out->pending || now() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	out->settled = !out->pending;
	out->waited = now() - start;
	gc_modules_free(&mods);
}

void gc_wait_free(struct gc_wait *w)
{
	free(w->pending);
}
