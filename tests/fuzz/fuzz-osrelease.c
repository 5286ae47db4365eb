// SPDX-License-Identifier: GPL-2.0-or-later
/* /etc/os-release. */
#include "fuzz.h"
#include "probes/osrelease.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct gc_osrelease o = { 0 };

	gc_osrelease_parse(text, &o);
	gc_osrelease_free(&o);
	free(text);
	return 0;
}
