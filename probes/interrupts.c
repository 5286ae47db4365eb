// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/interrupts chip names. */
#include <ctype.h>
#include <strings.h>

#include "interrupts.h"

static void keep(char *dst, size_t size, const char *tok, size_t len)
{
	if (dst[0])
		return;
	if (len >= size)
		len = size - 1;
	memcpy(dst, tok, len);
	dst[len] = '\0';
}

/* "IR-", or "vIR-" (msi_parent_ops .prefix of the Intel and AMD remapping domains). */
static size_t remap_prefix(const char *tok)
{
	if (strncmp(tok, "IR-", 3) == 0)
		return 3;
	if (strncmp(tok, "vIR-", 4) == 0)
		return 4;
	return 0;
}

/* A per-device MSI chip ("PCI-MSI-0000:01:00.0", "PCI-MSIX-..."): note its function. */
static void note_dev(struct gc_interrupts *out, const char *chip, size_t len, const char *rest, bool remapped,
		     bool hv)
{
	const char *bdf;
	size_t blen, i;
	struct gc_irq_dev *d;

	if (strncmp(rest, "PCI-MSIX-", 9) == 0)
		bdf = rest + 9;
	else if (strncmp(rest, "PCI-MSI-", 8) == 0)
		bdf = rest + 8;
	else
		return;
	blen = len - (size_t)(bdf - chip);
	if (blen == 0 || blen >= sizeof(d->bdf))
		return;
	for (i = 0; i < out->n_dev; i++)
		if (strlen(out->dev[i].bdf) == blen && strncmp(out->dev[i].bdf, bdf, blen) == 0) {
			out->dev[i].n++;
			out->dev[i].remapped &= remapped;  /* one unremapped vector is enough to doubt */
			return;
		}
	if (out->n_dev == GC_IRQ_DEVS_MAX) {
		out->n_dev_dropped++;
		return;
	}
	d = &out->dev[out->n_dev++];
	memcpy(d->bdf, bdf, blen);
	d->bdf[blen] = '\0';
	keep(d->chip, sizeof(d->chip), chip, len);
	d->remapped = remapped;
	d->hv = hv;
	d->n = 1;
}

void gc_interrupts_line(const char *line, struct gc_interrupts *out)
{
	const char *p = line;
	bool ir = false, msi = false, ioapic = false;

	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return;  /* header, or NMI/LOC/... summary rows */
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != ':')
		return;
	out->n_lines++;
	if (strstr(p, "Hyper-V PCIe MSI") || strstr(p, "HV-PCI-MSI")) {
		const char *h = strstr(p, "HV-PCI-MSI");

		out->n_hv_msi++;
		if (h) {
			keep(out->hv_example, sizeof(out->hv_example), h, strcspn(h, " \t"));
			note_dev(out, h, strcspn(h, " \t"), h + 3, false, true);
		} else {
			keep(out->hv_example, sizeof(out->hv_example), "Hyper-V PCIe MSI", 16);
		}
		return;
	}
	/* Tokens: per-CPU counts, then the chip name, hwirq and trigger, then actions. */
	for (p++; *p;) {
		size_t len, pre;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (!len)
			break;
		pre = remap_prefix(p);
		if (pre && len > pre) {
			ir = true;
			keep(out->ir_example, sizeof(out->ir_example), p, len);
			note_dev(out, p, len, p + pre, true, false);
			break;  /* the chip is the first name; what follows is hwirq and actions */
		} else if (strncmp(p, "PCI-MSI", 7) == 0) {
			msi = true;
			keep(out->plain_example, sizeof(out->plain_example), p, len);
			note_dev(out, p, len, p, false, false);
			break;
		} else if (len == 7 && strncmp(p, "IO-APIC", 7) == 0) {
			ioapic = true;
			keep(out->plain_example, sizeof(out->plain_example), p, len);
			break;
		}
		p += len;
	}
	if (ir)
		out->n_ir++;
	else if (msi)
		out->n_msi_plain++;
	else if (ioapic)
		out->n_ioapic_plain++;
}

const struct gc_irq_dev *gc_interrupts_dev(const struct gc_interrupts *i, const char *bdf)
{
	size_t k;

	for (k = 0; bdf && k < i->n_dev; k++)
		if (strcasecmp(i->dev[k].bdf, bdf) == 0)
			return &i->dev[k];
	return NULL;
}

static int fold_line(char *line, unsigned no, void *ctx)
{
	(void)no;
	gc_interrupts_line(line, ctx);
	return 0;
}

int gc_interrupts_probe(const struct gc_root *r, struct gc_interrupts *out)
{
	*out = (struct gc_interrupts){ 0 };
	out->err = gc_foreach_line(r, "/proc/interrupts", fold_line, out);
	return 0;
}
