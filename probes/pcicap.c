// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Capability walker over raw config bytes. Guards as in pciutils ls-caps.c:
 * a visited map stops loops, pointers into the header or past the buffer
 * end the walk, and bytes we never read are never taken for zero.
 */
#include "pcicap.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_MSI_FLAGS 2
#define PCI_MSIX_FLAGS 2

static uint16_t get16(const uint8_t *cfg, size_t off)
{
	return (uint16_t)(cfg[off] | cfg[off + 1] << 8);
}

static void decode_msi(const uint8_t *cfg, size_t len, uint8_t pos, struct gc_msi_cap *msi)
{
	uint16_t ctl;
	unsigned mmc, mme;

	msi->offset = pos;
	if ((size_t)pos + PCI_MSI_FLAGS + 2 > len) {
		msi->state = GC_CAP_TRUNCATED;
		return;
	}
	ctl = get16(cfg, pos + PCI_MSI_FLAGS);
	mmc = (ctl >> 1) & 7;
	mme = (ctl >> 4) & 7;
	msi->control = ctl;
	/* Encodings 6 and 7 are reserved (PCI Local Bus 3.0, 6.8.1.3). */
	if (mmc > 5 || mme > 5) {
		msi->state = GC_CAP_MALFORMED;
		return;
	}
	msi->state = GC_CAP_FOUND;
	msi->capable = 1u << mmc;
	msi->enabled_n = 1u << mme;
	msi->enabled = ctl & 1;
	msi->is64 = ctl & 0x80;
	msi->maskable = ctl & 0x100;
}

static void decode_msix(const uint8_t *cfg, size_t len, uint8_t pos, struct gc_msix_cap *msix)
{
	uint16_t ctl;

	msix->offset = pos;
	if ((size_t)pos + PCI_MSIX_FLAGS + 2 > len) {
		msix->state = GC_CAP_TRUNCATED;
		return;
	}
	ctl = get16(cfg, pos + PCI_MSIX_FLAGS);
	msix->state = GC_CAP_FOUND;
	msix->table_size = (ctl & 0x7ff) + 1u;
	msix->enabled = ctl & 0x8000;
}

/*
 * A list cut short by unreadable bytes leaves what was found before intact;
 * a corrupt list (loop, broken pointer) makes all of it suspect.
 */
static void finish(struct gc_pci_caps *out, enum gc_cap_state state, const char *problem)
{
	if (out->msi.state == GC_CAP_NOT_FOUND || state == GC_CAP_MALFORMED)
		out->msi.state = state;
	if (out->msix.state == GC_CAP_NOT_FOUND || state == GC_CAP_MALFORMED)
		out->msix.state = state;
	out->problem = problem;
}

void gc_pci_caps_parse(const uint8_t *cfg, size_t len, struct gc_pci_caps *out)
{
	bool seen[256] = { false };
	uint8_t pos;

	*out = (struct gc_pci_caps){
		.msi.state = GC_CAP_NOT_FOUND,
		.msix.state = GC_CAP_NOT_FOUND,
	};
	if (len < PCI_CFG_UNPRIVILEGED_LEN)
		return finish(out, GC_CAP_TRUNCATED, "config space shorter than the 64-byte header");
	if (!(get16(cfg, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	pos = cfg[PCI_CAPABILITY_LIST] & 0xfc;
	while (pos) {
		uint8_t id;

		if (pos < PCI_CFG_UNPRIVILEGED_LEN)
			return finish(out, GC_CAP_MALFORMED, "capability pointer into the header");
		if ((size_t)pos + 2 > len)
			return finish(out, GC_CAP_TRUNCATED, "capability list continues past the readable bytes");
		if (seen[pos])
			return finish(out, GC_CAP_MALFORMED, "capability list loops");
		seen[pos] = true;
		id = cfg[pos];
		if (id == 0xff)
			return finish(out, GC_CAP_MALFORMED, "capability list broken (ID 0xff)");
		if (id == PCI_CAP_ID_MSI && out->msi.state == GC_CAP_NOT_FOUND)
			decode_msi(cfg, len, pos, &out->msi);
		else if (id == PCI_CAP_ID_MSIX && out->msix.state == GC_CAP_NOT_FOUND)
			decode_msix(cfg, len, pos, &out->msix);
		pos = cfg[pos + 1] & 0xfc;
	}
}

const char *gc_cap_state_str(enum gc_cap_state s)
{
	switch (s) {
	case GC_CAP_FOUND:
		return "found";
	case GC_CAP_NOT_FOUND:
		return "not present";
	case GC_CAP_TRUNCATED:
		return "truncated";
	case GC_CAP_MALFORMED:
		return "malformed";
	}
	return "?";
}
