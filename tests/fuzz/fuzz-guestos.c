// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest OS table drop-ins. */
#include "fuzz.h"
#include "probes/guestos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gc_guestos_entry e;

	FUZZ_LINES(data, size, line, {
		if (gc_guestos_parse_line(line, &e) > 0) {
			free(e.id);
			free(e.version);
			free(e.arch);
			free(e.source);
			free(e.file);
		}
	});
	return 0;
}
