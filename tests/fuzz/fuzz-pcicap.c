// SPDX-License-Identifier: GPL-2.0-or-later
/* PCI config space: the capability list walk (binary). */
#include "fuzz.h"
#include "probes/pcicap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gc_pci_caps caps;

	gc_pci_caps_parse(data, size, &caps);
	return 0;
}
