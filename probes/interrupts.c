// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/interrupts chip names. */
#include <ctype.h>

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
		if (h)
			keep(out->hv_example, sizeof(out->hv_example), h, strcspn(h, " \t"));
		else
			keep(out->hv_example, sizeof(out->hv_example), "Hyper-V PCIe MSI", 16);
		return;
	}
	/* Tokens: per-CPU counts, then the chip name, hwirq and trigger, then actions. */
	for (p++; *p;) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (!len)
			break;
		if (strncmp(p, "IR-", 3) == 0) {
			ir = true;
			keep(out->ir_example, sizeof(out->ir_example), p, len);
		} else if (strncmp(p, "PCI-MSI", 7) == 0) {
			msi = true;
			keep(out->plain_example, sizeof(out->plain_example), p, len);
		} else if (len == 7 && strncmp(p, "IO-APIC", 7) == 0) {
			ioapic = true;
			keep(out->plain_example, sizeof(out->plain_example), p, len);
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
