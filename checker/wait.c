// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Waiting for the cards. Binding shows as the device's "driver" link
 * (drivers/base/dd.c driver_sysfs_add), which the PCI probe reads. qaic's
 * own start follows the binding asynchronously: the device firmware boots
 * over MHI and, once the QAIC_CONTROL channel is up, qaic_mhi_probe()
 * binds it and marks the card online (6.8+: KOBJ_ONLINE); a failure shows
 * in the kernel log. So a card qaic drives has settled when
 * gc_card_state() says online, or failed with the kernel's own words.
 * Polling with a bounded interval needs no netlink socket, works without
 * root and on a sysroot, and a poll cannot miss an event that came before.
 */
#include <errno.h>
#include <time.h>

#include "wait.h"
#include "../probes/modules.h"

#define POLL_MS 250

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *gc_wait_reason(const struct gc_facts *f, size_t want)
{
	size_t i;

	if (f->pci.err)
		return xasprintf("the PCI bus could not be read (%s)", strerror(-f->pci.err));
	if (f->pci.n_devs < want)
		return xasprintf("%zu card%s present, waiting for %zu", f->pci.n_devs, f->pci.n_devs == 1 ? "" : "s",
				 want);
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];
		const struct gc_dev_module *m = f->dev_mod ? &f->dev_mod[i] : NULL;

		if (!d->driver) {
			/* No module would bind it: waiting cannot help; device.driver will say why. */
			if (!m || m->err || m->n)
				return xasprintf("%s has no driver bound yet", d->f.addr);
			continue;
		}
		/* Another driver (vfio-pci, a test stand-in's): bound is all there is to wait for. */
		if (!streq(d->driver, "qaic"))
			continue;
		switch (gc_card_state(f, i)) {
		case GC_CARD_ONLINE:
			continue;
		case GC_CARD_FAILED:
			/* 6.4-6.7 without an accel node is "not up": settled only once the log says why. */
			if (gc_card_failure_logged(f, i))
				continue;
			/* fall through */
		case GC_CARD_UNKNOWN:
		default:
			return xasprintf("%s: qaic is bound, the card is not online yet", d->f.addr);
		}
	}
	return NULL;
}

/* One look: the facts gc_wait_reason() reads and no others. */
static void look(const struct gc_root *r, const struct gc_options *o, const struct gc_modules *mods,
		 struct gc_facts *f)
{
	bool qaic = false;
	size_t i;

	*f = (struct gc_facts){ 0 };
	gc_pci_probe(r, o->have_extra_id ? &o->extra_id : NULL, &f->pci);
	f->dev_mod = xcalloc(f->pci.n_devs, sizeof(*f->dev_mod));
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];

		if (!d->driver)
			f->dev_mod[i].err = gc_module_lookup(mods, d->modalias ? d->modalias : "qaic",
							     &f->dev_mod[i].names, &f->dev_mod[i].n, &f->dev_mod[i].path);
		qaic |= streq(d->driver, "qaic");
	}
	if (!qaic)
		return;
	f->kver_err = mods->release_err ? mods->release_err : gc_kversion_parse(mods->release, &f->kver);
	f->mhi = xcalloc(f->pci.n_devs, sizeof(*f->mhi));
	for (i = 0; i < f->pci.n_devs; i++)
		gc_mhi_probe(r, f->pci.devs[i].f.addr, &f->mhi[i]);
	gc_kmsg_probe(r, &f->kmsg);
}

static void look_free(struct gc_facts *f)
{
	size_t i;

	for (i = 0; i < f->pci.n_devs; i++) {
		gc_strv_free(f->dev_mod[i].names, f->dev_mod[i].n);
		free(f->dev_mod[i].path);
		if (f->mhi)
			gc_mhi_free(&f->mhi[i]);
	}
	free(f->dev_mod);
	free(f->mhi);
	if (f->mhi)
		gc_kmsg_free(&f->kmsg);
	gc_pci_facts_free(&f->pci);
}

void gc_wait_settle(const struct gc_root *r, const struct gc_options *o, struct gc_wait *out)
{
	size_t want = o->expect_devices > 1 ? (size_t)o->expect_devices : 1;
	double start = now(), deadline = start + o->wait_seconds;
	struct timespec pause = { 0, POLL_MS * 1000000L };
	struct gc_modules mods;
	struct gc_facts f;

	*out = (struct gc_wait){ .asked = true };
	gc_modules_probe(r, &mods);
	for (;;) {
		gc_root_forget(r);  /* a poll sees the tree as it is now, not the directories held before */
		look(r, o, &mods, &f);
		free(out->pending);
		out->pending = gc_wait_reason(&f, want);
		out->cards = f.pci.n_devs;
		look_free(&f);
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
