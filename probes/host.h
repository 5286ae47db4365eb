/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which machine a report is about: host name, machine ID, operating system. */
#ifndef GC_HOST_H
#define GC_HOST_H

#include "sysroot.h"

struct gc_host {
	char *hostname;         /* /proc/sys/kernel/hostname; NULL when unreadable */
	char *machine_id;       /* /etc/machine-id (machine-id(5)); NULL when absent or malformed */
	char *os_id;            /* os-release(5) ID */
	char *os_version_id;    /* os-release(5) VERSION_ID */
	char *os_pretty_name;   /* os-release(5) PRETTY_NAME */
	int os_err;             /* reading os-release */
};

void gc_host_probe(const struct gc_root *r, struct gc_host *out);
void gc_host_free(struct gc_host *h);

/*
 * The value of one os-release(5) assignment line, unquoted, or NULL when
 * the line does not assign key. Pure; exposed for the unit tests.
 */
char *gc_os_release_value(const char *line, const char *key);

#endif
