// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/cmdline. */
#include "fuzz.h"
#include "probes/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct gc_cmdline c = { 0 };

	gc_cmdline_parse(text, &c);
	gc_cmdline_free(&c);
	free(text);
	return 0;
}
