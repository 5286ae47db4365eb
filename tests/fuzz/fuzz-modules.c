// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/modules lines and distribution changelog lines. */
#include "fuzz.h"
#include "probes/kernelpkg.h"
#include "probes/modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const subjects[] = { "Fix multi-MSI", "Reuse existing IRTE" };
	bool found[2] = { false, false }, decided[2] = { false, false };
	char name[256];

	FUZZ_LINES(data, size, line, {
		gc_proc_modules_name(line, name, sizeof(name));
		gc_changelog_match(line, subjects, 2, found, decided);
		gc_rpm_name_valid(line);
	});
	return 0;
}
