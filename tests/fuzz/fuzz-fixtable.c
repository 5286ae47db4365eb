// SPDX-License-Identifier: GPL-2.0-or-later
/* The Hyper-V fix table drop-ins (data/hyperv-fixes.d). */
#include "fuzz.h"
#include "probes/fixtable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gc_fixentry e;

	FUZZ_LINES(data, size, line, {
		if (gc_fixtable_parse_line(line, &e) > 0) {
			free(e.glob);
			free(e.commit);
			free(e.source);
			free(e.file);
		}
	});
	return 0;
}
