/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log. Live: /dev/kmsg, read without blocking. Under --sysroot:
 * the regular file <sysroot>/dev/kmsg, holding /dev/kmsg records
 * ("6,512,1234567,-;text") or the log as people paste it, line by line:
 * dmesg ("[ 1.234] msg", "<6>[ 1.234] msg", dmesg -T "[Sun Nov 24 07:00:01
 * 2024] msg", or bare), Ubuntu's /var/log/dmesg and syslog ("[ts] kernel:
 * msg", "Nov 24 07:00:01 host kernel: [ts] msg"), and journalctl -k in the
 * short, short-precise, short-iso and short-monotonic formats.
 *
 * Only the last boot counts: a journal "-- Boot ... --" marker, the banner
 * "Linux version ...", or a monotonic timestamp running back by more than a
 * second that does not come back within 64 lines starts a new one (never
 * in the live /dev/kmsg, one boot's ring buffer). Bounds: a replayed file
 * larger than GC_KMSG_MAX_BYTES is read from its last GC_KMSG_MAX_BYTES
 * (decided by its size before reading); of a boot
 * longer than GC_KMSG_HEAD + GC_KMSG_TAIL lines, its first GC_KMSG_HEAD lines
 * (the boot's set-up: DMAR, IOMMU, command line) and last GC_KMSG_TAIL lines
 * (drivers, the card) are kept. The live /dev/kmsg is read up to
 * GC_KMSG_MAX_BYTES of records, then no further (its size cannot be known
 * before reading, and a writer can keep it growing). Everything cut is
 * counted and said.
 */
#ifndef GC_KMSG_H
#define GC_KMSG_H

#include <stdint.h>

#include "sysroot.h"

#define GC_KMSG_MAX_BYTES (32u << 20)
#define GC_KMSG_HEAD 50000
#define GC_KMSG_TAIL 150000
#define GC_KMSG_LINE_MAX 8192   /* longer messages are cut to this (printk's own record is 1024) */
/* Largest /dev/kmsg record: devkmsg_user.buf is CONSOLE_EXT_LOG_MAX (8192) in kernel/printk/printk.c. */
#define GC_KMSG_RECORD_MAX 8192

struct gc_kmsg {
	int err;          /* -ENOENT no log, -EPERM/-EACCES needs root, ... */
	const char *source;
	char **lines;     /* message text only, of the last boot */
	size_t n;
	/* What was cut, and why. */
	size_t n_boots;              /* boots seen (1 for one) */
	size_t dropped_boot_lines;   /* lines of earlier boots */
	size_t dropped_mid_lines;    /* lines of the last boot between its head and its tail */
	uint64_t skipped_bytes;      /* bytes before the part of an oversized file that was read */
	size_t cut_long_lines;       /* lines cut at GC_KMSG_LINE_MAX */
	/* Live /dev/kmsg only. */
	uint64_t live_bytes;         /* bytes of records read */
	bool live_capped;            /* stopped at GC_KMSG_MAX_BYTES, not at the end of the log */
	size_t overwritten;          /* EPIPE: records lost to the ring while it was read */
	size_t skipped_records;      /* EINVAL: a record larger than GC_KMSG_RECORD_MAX */
};

int gc_kmsg_probe(const struct gc_root *r, struct gc_kmsg *out);
void gc_kmsg_free(struct gc_kmsg *k);

/*
 * Message text of one log line; NULL when the line carries none (blank,
 * a kmsg dictionary continuation, a journal "-- ... --" note). The result
 * points into line.
 */
const char *gc_kmsg_message(const char *line);

/*
 * Read /dev/kmsg records from fd (the live log, or a test's stand-in) into k,
 * which must be zeroed; at most GC_KMSG_MAX_BYTES. Returns 0 or -errno.
 */
int gc_kmsg_read_records(int fd, struct gc_kmsg *k);

/* Pure: fold text (a whole replayed log) into k as a probe would. k must be zeroed. */
void gc_kmsg_parse_text(const char *text, size_t len, struct gc_kmsg *k);

/* What was cut, for evidence ("last of 3 boots; ..."); NULL when nothing was. */
const char *gc_kmsg_cut_note(const struct gc_kmsg *k, char *buf, size_t size);

/* First message that starts with prefix (may be NULL) and contains needle. */
const char *gc_kmsg_find(const struct gc_kmsg *k, const char *prefix, const char *needle);

#endif
