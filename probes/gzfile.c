// SPDX-License-Identifier: GPL-2.0-or-later
/* zlib over a file-layer descriptor. */
#include <errno.h>
#include <unistd.h>

#include "gzfile.h"

int gc_gzopen(const struct gc_root *r, const char *path, gzFile *ret)
{
	int fd = gc_open(r, path, 0);
	gzFile gz;

	if (fd < 0)
		return fd;
	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		return -ENOMEM;
	}
	*ret = gz;
	return 0;
}
