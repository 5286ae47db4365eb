/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log. Live: /dev/kmsg, read without blocking. Under --sysroot:
 * the regular file <sysroot>/dev/kmsg, holding either /dev/kmsg records
 * ("6,512,1234567,-;text") or dmesg text as people paste it (with or
 * without "[ 1.234]" timestamps, "<6>" levels, or a journalctl
 * "Nov 24 07:00:01 host kernel: " prefix), line by line.
 */
#ifndef GC_KMSG_H
#define GC_KMSG_H

#include "sysroot.h"

struct gc_kmsg {
	int err;          /* -ENOENT no log, -EPERM/-EACCES needs root, ... */
	const char *source;
	char **lines;     /* message text only */
	size_t n;
};

int gc_kmsg_probe(const struct gc_root *r, struct gc_kmsg *out);
void gc_kmsg_free(struct gc_kmsg *k);

/*
 * Message text of one log line; NULL when the line carries none (blank,
 * a kmsg dictionary continuation). The result points into line.
 */
const char *gc_kmsg_message(const char *line);

/* First message that starts with prefix (may be NULL) and contains needle. */
const char *gc_kmsg_find(const struct gc_kmsg *k, const char *prefix, const char *needle);

#endif
