// SPDX-License-Identifier: GPL-2.0-or-later
/* The ACPI DMAR table (binary). */
#include "fuzz.h"
#include "probes/acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gc_dmar d;

	gc_dmar_parse(data, size, &d);
	return 0;
}
