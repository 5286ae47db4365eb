// SPDX-License-Identifier: GPL-2.0-or-later
/* dev/cpuid replay: `cpuid -r` text, then the hypervisor-leaf decode. */
#include "fuzz.h"
#include "probes/cpuid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct gc_cpuid_table t;
	struct gc_cpuid c = { 0 };

	if (gc_cpuid_table_parse(text, &t) == 0)
		gc_cpuid_decode(gc_cpuid_table_lookup, &t, &c);
	gc_cpuid_table_free(&t);
	free(text);
	return 0;
}
