/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a helper (rpm, or a forked lookup) with a deadline and a cap on
 * its output: it must not hang us. The helper runs in its own process
 * group with no stdin and stderr discarded; at the deadline the whole
 * group is killed, whether or not it still writes.
 */
#ifndef GC_RUN_H
#define GC_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct gc_run_result {
	char *out;        /* stdout, NUL-terminated */
	size_t len;
	int status;       /* exit status when it exited, else -1 */
	bool truncated;   /* output cut at the cap (the program was killed) */
};

/* The environment a helper gets when none is given: nothing inherited. */
#define GC_RUN_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Run argv[0] (an absolute path) with envp (NULL: only PATH=GC_RUN_PATH
 * and LC_ALL=C). Returns 0, -ENOENT when it is not executable,
 * -ETIMEDOUT when it was killed at the deadline, or another -errno.
 */
int gc_run_capture(char *const argv[], char *const envp[], int timeout_ms, size_t max,
		   struct gc_run_result *ret);

/*
 * Run fn(ctx) in a forked child whose stdout is captured the same way; fn
 * returns the child's exit status. For library calls that must be fenced
 * (e.g. chroot()ed), never for exec.
 */
int gc_run_fork(int (*fn)(void *ctx), void *ctx, int timeout_ms, size_t max,
		struct gc_run_result *ret);

void gc_run_result_free(struct gc_run_result *r);

#endif
