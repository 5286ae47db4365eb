// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel release strings (/proc/sys/kernel/osrelease). */
#include "fuzz.h"
#include "probes/kversion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct gc_kversion v;

	gc_kversion_parse(text, &v);
	free(text);
	return 0;
}
