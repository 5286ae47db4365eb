// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest helper for the e2e captures: prints the CPUID leaves aic-guestcheck
 * reads, in the raw format of the `cpuid -r` tool, which is also the
 * dev/cpuid replay format. Built static; runs inside the test guests.
 */
#include <cpuid.h>
#include <stdio.h>

static void leaf(unsigned l)
{
	unsigned a, b, c, d;

	__cpuid_count(l, 0, a, b, c, d);
	printf("   0x%08x 0x00: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", l, a, b, c, d);
}

int main(void)
{
	unsigned a, b, c, d, base;

	printf("CPU 0:\n");
	leaf(0);
	leaf(1);
	/* Hypervisor leaves: only those the leaf below announces (as the checker reads them). */
	for (base = 0x40000000; base <= 0x4000ff00; base += 0x100) {
		__cpuid_count(base, 0, a, b, c, d);
		leaf(base);
		if (a < base + 0x100)
			break;
	}
	return 0;
}
