// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/interrupts, line by line. */
#include "fuzz.h"
#include "probes/interrupts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gc_interrupts irqs = { 0 };

	FUZZ_LINES(data, size, line, gc_interrupts_line(line, &irqs));
	return 0;
}
