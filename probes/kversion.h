/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel release strings: parsing and ordering. */
#ifndef GC_KVERSION_H
#define GC_KVERSION_H

#include <stdbool.h>

struct gc_kversion {
	int major, minor, patch;  /* patch 0 when absent */
	int rc;                   /* N of "-rcN", 0 otherwise */
	bool has_patch;
	const char *suffix;       /* what follows the numbers ("+deb12-amd64", "-91-generic") */
};

/* Parse "6.12.117+deb12-amd64", "5.19.0-rc7", "5.15.0-91-generic"; -EINVAL if no "X.Y". */
int gc_kversion_parse(const char *s, struct gc_kversion *out);

/* <0, 0, >0 like strcmp, on major.minor.patch; an -rc sorts before its release. */
int gc_kversion_cmp(const struct gc_kversion *a, const struct gc_kversion *b);

#endif
