// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel log replay: /dev/kmsg records, dmesg and journalctl pastes (NUL bytes included). */
#include "fuzz.h"
#include "probes/kmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct gc_kmsg k = { 0 };

	gc_kmsg_parse_text(text, size, &k);
	gc_kmsg_free(&k);
	free(text);
	return 0;
}
