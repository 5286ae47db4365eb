/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which machine a report is about: host name and machine ID (its OS: osrelease.h). */
#ifndef GC_HOST_H
#define GC_HOST_H

#include "sysroot.h"

struct gc_host {
	char *hostname;         /* /proc/sys/kernel/hostname; NULL when unreadable */
	char *machine_id;       /* /etc/machine-id (machine-id(5)); NULL when absent or malformed */
};

void gc_host_probe(const struct gc_root *r, struct gc_host *out);
void gc_host_free(struct gc_host *h);

#endif
