// SPDX-License-Identifier: GPL-2.0-or-later
/* "DMAR: dmarN: reg_base_addr ... cap ... ecap ..." kernel log lines. */
#include "fuzz.h"
#include "probes/iommu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gc_iommu_logged l;

	FUZZ_LINES(data, size, line, gc_iommu_parse_logged(line, &l));
	return 0;
}
