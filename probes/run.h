/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running a helper program (rpm) with a deadline and a cap on its output: it must not hang us. */
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

/*
 * Run argv[0] (an absolute path) with no stdin and stderr discarded.
 * Returns 0, -ENOENT when it is not executable, -ETIMEDOUT when it was
 * killed at the deadline, or another -errno.
 */
int gc_run_capture(char *const argv[], int timeout_ms, size_t max, struct gc_run_result *ret);
void gc_run_result_free(struct gc_run_result *r);

#endif
