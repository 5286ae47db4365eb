// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel version parsing. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kversion.h"

static int number(const char **p, int *out)
{
	long v = 0;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	while (isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		if (v > INT_MAX / 10)
			return -EINVAL;
		(*p)++;
	}
	*out = (int)v;
	return 0;
}

int gc_kversion_parse(const char *s, struct gc_kversion *out)
{
	const char *p = s;

	*out = (struct gc_kversion){ 0 };
	if (number(&p, &out->major) || *p++ != '.' || number(&p, &out->minor))
		return -EINVAL;
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		p++;
		if (number(&p, &out->patch))
			return -EINVAL;
		out->has_patch = true;
	}
	if (strncmp(p, "-rc", 3) == 0 && isdigit((unsigned char)p[3])) {
		const char *q = p + 3;

		if (number(&q, &out->rc) == 0 && (*q == '\0' || !isdigit((unsigned char)*q)))
			p = q;
	}
	out->suffix = p;
	return 0;
}

int gc_kversion_cmp(const struct gc_kversion *a, const struct gc_kversion *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	if (a->rc != b->rc) {
		if (!a->rc)
			return 1;
		if (!b->rc)
			return -1;
		return a->rc < b->rc ? -1 : 1;
	}
	return 0;
}
