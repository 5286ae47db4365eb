// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/kallsyms lines. */
#include "fuzz.h"
#include "probes/kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gc_ksym s;

	FUZZ_LINES(data, size, line, gc_kallsyms_parse_line(line, &s));
	return 0;
}
