// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device.minors: each card function is a DRM device of its own, and every
 * DRM device needs a minor.
 *
 * Before 6.2, drm_dev_init() allocates a primary minor for every DRM
 * device unconditionally (drivers/gpu/drm/drm_drv.c), from 0-63 shared by
 * the whole system. That includes the Cloud AI Platform SDK's qaic for
 * kernels without the accel framework: it brings an accel class of its own
 * (its accel_helpers.h: ACCEL_MAJOR 261, ACCEL_MAX_MINORS 256, under
 * _QBP_NEED_DRM_ACCEL_FRAMEWORK, set for < 6.2 or CONFIG_DRM_ACCEL unset),
 * but still creates its device with drm_dev_alloc()/devm_drm_dev_alloc(),
 * which go through drm_dev_init(): the 64 primaries bound it. From 6.2
 * (accel framework, drivers/accel/drm_accel.c) a DRIVER_COMPUTE_ACCEL
 * device, as upstream qaic (6.4+, depends on DRM_ACCEL) is, takes an accel
 * minor instead (drm_dev_init(): accel, else render + primary), 256 of
 * them; later kernels keep 256 (xa_alloc with XA_LIMIT(0,
 * ACCEL_MAX_MINORS) admits index 256, but register_chrdev() serves minors
 * 0-255 only). Distributions backport the accel framework to older
 * releases (the SDK tests for drm_accel.h and CONFIG_DRM_ACCEL, not the
 * release), so the kernel config decides, not the release number.
 */
#include <errno.h>

#include "../registry.h"
#include "minors.h"

enum gc_status gc_minor_verdict(const struct gc_minor_budget *b)
{
	bool fits_drm = b->cards + b->other_drm <= GC_DRM_PRIMARY_MINORS;
	bool fits_accel = b->cards + b->other_accel <= GC_ACCEL_MINORS;

	switch (b->space) {
	case GC_SPACE_ACCEL:
		return fits_accel ? GC_PASS : GC_FAIL;
	case GC_SPACE_DRM:
		return fits_drm ? GC_PASS : b->drm_firm ? GC_FAIL : GC_WARN;
	case GC_SPACE_UNKNOWN:
	default:
		return fits_drm && fits_accel ? GC_PASS : fits_accel ? GC_WARN : GC_FAIL;
	}
}

static bool is_card(const struct gc_facts *f, const char *owner)
{
	size_t i;

	for (i = 0; owner && i < f->pci.n_devs; i++)
		if (streq(f->pci.devs[i].f.addr, owner))
			return true;
	return false;
}

/* Minors of kind held by devices other than the cards; the cards' own are listed as evidence. */
static size_t count_others(const struct gc_facts *f, const struct gc_minor_class *c, enum gc_minor_kind kind,
			   size_t *ret_cards, struct gc_result *r, const char *class_path)
{
	size_t i, others = 0, cards = 0;

	for (i = 0; i < c->n; i++) {
		const struct gc_minor_node *m = &c->nodes[i];

		if (m->kind != kind)
			continue;
		if (is_card(f, m->owner))
			cards++;
		else if (m->owner)
			others++;
		gc_evidence_add(r, class_path, "%s of %s%s", m->name, m->owner ? m->owner : "an unknown device",
				is_card(f, m->owner) ? " (a card)" : "");
	}
	*ret_cards = cards;
	return others;
}

static bool before_6_2(const struct gc_facts *f)
{
	return !f->kver_err && (f->kver.major < 6 || (f->kver.major == 6 && f->kver.minor < 2));
}

void check_device_minors(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	struct gc_minor_budget b = { 0 };
	size_t card_primaries, card_accels, i;
	char kc[128];
	const char *accel_cfg;
	enum gc_status st;

	if (!gc_cards_to_check(f, o, r))
		return;
	/* A function bound to another driver (vfio-pci, a stand-in's) is no DRM device: it takes no minor. */
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];

		if (!d->driver || streq(d->driver, "qaic"))
			b.cards++;
		else
			gc_evidence_add(r, d->f.addr, "bound to %s: takes no DRM or accel minor", d->driver);
	}
	if (b.cards == 0) {
		gc_result_add(r, GC_SKIP, "every card is bound to a driver other than qaic (see device.driver)");
		return;
	}
	if (f->minors.drm.err && f->minors.drm.err != -ENOENT)
		gc_evidence_add(r, "/sys/class/drm", "%s", gc_err_reason(f->minors.drm.err));
	else if (f->minors.drm.err)
		gc_evidence_add(r, "/sys/class/drm", "absent: no DRM device registered");
	if (f->minors.accel.err && f->minors.accel.err != -ENOENT)
		gc_evidence_add(r, "/sys/class/accel", "%s", gc_err_reason(f->minors.accel.err));
	else if (f->minors.accel.err)
		gc_evidence_add(r, "/sys/class/accel", "absent: no accel device registered");
	b.other_drm = count_others(f, &f->minors.drm, GC_MINOR_PRIMARY, &card_primaries, r, "/sys/class/drm");
	b.other_accel = count_others(f, &f->minors.accel, GC_MINOR_ACCEL, &card_accels, r, "/sys/class/accel");

	accel_cfg = gc_facts_kconfig(f, "CONFIG_DRM_ACCEL", kc, sizeof(kc));
	gc_evidence_add(r, f->kconfig.err ? "kernel config" : f->kconfig.source, "CONFIG_DRM_ACCEL %s", accel_cfg);
	if (card_primaries) {
		/* The cards' driver registered DRM devices: it lives in the DRM minor space. */
		b.space = GC_SPACE_DRM;
	} else if (!f->kconfig.err) {
		b.space = streq(accel_cfg, "y") || streq(accel_cfg, "m") ? GC_SPACE_ACCEL : GC_SPACE_DRM;
	}
	b.drm_firm = before_6_2(f);

	st = gc_minor_verdict(&b);
	switch (b.space) {
	case GC_SPACE_ACCEL:
		gc_result_add(r, st, "%zu card function%s and %zu other accel device%s for %d accel minors "
				     "(this kernel has the accel framework)", b.cards, b.cards == 1 ? "" : "s",
			      b.other_accel, b.other_accel == 1 ? "" : "s", GC_ACCEL_MINORS);
		break;
	case GC_SPACE_DRM:
		gc_result_add(r, st, "%zu card function%s and %zu other DRM device%s for %d DRM primary minors "
				     "(%s)", b.cards, b.cards == 1 ? "" : "s", b.other_drm, b.other_drm == 1 ? "" : "s",
			      GC_DRM_PRIMARY_MINORS,
			      card_primaries ? "the cards' driver registers DRM devices"
					     : "without the accel framework each card is a DRM device with a primary minor");
		break;
	case GC_SPACE_UNKNOWN:
	default:
		gc_result_add(r, st, "%zu card function%s: %zu other DRM device%s (%d DRM minors), %zu other accel "
				     "device%s (%d accel minors); which applies depends on CONFIG_DRM_ACCEL, unread",
			      b.cards, b.cards == 1 ? "" : "s", b.other_drm, b.other_drm == 1 ? "" : "s",
			      GC_DRM_PRIMARY_MINORS, b.other_accel, b.other_accel == 1 ? "" : "s", GC_ACCEL_MINORS);
		break;
	}
	if (st == GC_WARN && b.space == GC_SPACE_UNKNOWN)
		gc_remedy_add(r, "the cards fit only if this kernel has the accel framework (CONFIG_DRM_ACCEL, Linux "
				 "6.2+ or a distribution backport); without it each card function takes one of %d DRM "
				 "minors: check grep DRM_ACCEL /boot/config-$(uname -r)", GC_DRM_PRIMARY_MINORS);
	else if (st == GC_WARN)
		gc_remedy_add(r, "more card functions than the %d DRM primary minors of Linux before 6.2: they fit only if "
				 "this kernel allocates DRM minors beyond 64; prefer a kernel with CONFIG_DRM_ACCEL=y, "
				 "where each card takes an accel minor (256)", GC_DRM_PRIMARY_MINORS);
	else if (st == GC_FAIL && b.space != GC_SPACE_DRM)
		gc_remedy_add(r, "split the cards over more guests: one guest holds at most %d card functions "
				 "(an Ultra card is four) minus its other accel devices", GC_ACCEL_MINORS);
	else if (st == GC_FAIL)
		gc_remedy_add(r, "boot a kernel with the accel framework (Linux 6.2 or later with CONFIG_DRM_ACCEL, "
				 "or a distribution kernel that backports it), where each card takes one of %d accel "
				 "minors; or split the cards over more guests: here at most %zu card functions fit "
				 "(an Ultra card is four)", GC_ACCEL_MINORS,
			  b.other_drm >= GC_DRM_PRIMARY_MINORS ? 0 : GC_DRM_PRIMARY_MINORS - b.other_drm);
}
