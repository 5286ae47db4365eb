// SPDX-License-Identifier: GPL-2.0-or-later
/* modprobe.d and modules-load.d files. */
#include "fuzz.h"
#include "probes/modprobe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct gc_modprobe m = { 0 };

	gc_modprobe_parse(text, "/etc/modprobe.d/fuzz.conf", &m);
	gc_modules_load_parse(text, "/etc/modules-load.d/fuzz.conf", &m);
	gc_modprobe_free(&m);
	free(text);
	return 0;
}
