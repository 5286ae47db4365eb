// SPDX-License-Identifier: GPL-2.0-or-later
/* Host identity for the report's "where": read through the file layer so a bundle replays it. */
#include <string.h>

#include "host.h"

/* machine-id(5): 32 lower-case hexadecimal characters. Anything else is not an ID. */
static bool machine_id_valid(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

void gc_host_probe(const struct gc_root *r, struct gc_host *out)
{
	*out = (struct gc_host){ 0 };
	if (gc_read_string(r, "/proc/sys/kernel/hostname", &out->hostname))
		out->hostname = NULL;
	if (gc_read_string(r, "/etc/machine-id", &out->machine_id) == 0 &&
	    !machine_id_valid(out->machine_id)) {
		free(out->machine_id);
		out->machine_id = NULL;
	}
}

void gc_host_free(struct gc_host *h)
{
	free(h->hostname);
	free(h->machine_id);
}
