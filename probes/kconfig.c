// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel configuration reader. */
#include <errno.h>
#include "gzfile.h"
#include "kconfig.h"

#define KCONFIG_MAX (8u << 20)

const char *gc_kconfig_get(const char *text, const char *option, char *buf, size_t size)
{
	size_t ol = strlen(option);
	const char *p = text;

	while (p && *p) {
		size_t len = strcspn(p, "\n");

		if (len > ol && strncmp(p, option, ol) == 0 && p[ol] == '=') {
			size_t vl = len - ol - 1;

			if (vl >= size)
				vl = size - 1;
			memcpy(buf, p + ol + 1, vl);
			buf[vl] = '\0';
			return buf;
		}
		if (len == ol + 13 && strncmp(p, "# ", 2) == 0 && strncmp(p + 2, option, ol) == 0 &&
		    strncmp(p + 2 + ol, " is not set", 11) == 0) {
			snprintf(buf, size, "n");
			return buf;
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	return NULL;
}

static int read_gz(const struct gc_root *r, const char *path, char **ret)
{
	size_t len = 0, cap = 65536;
	char *buf;
	gzFile gz;
	int err;

	if ((err = gc_gzopen(r, path, &gz)))
		return err;
	buf = xmalloc(cap + 1);
	for (;;) {
		int n;

		if (len == cap) {
			if (cap >= KCONFIG_MAX) {
				free(buf);
				gzclose(gz);
				return -EFBIG;
			}
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = gzread(gz, buf + len, (unsigned)(cap - len));
		if (n < 0) {
			free(buf);
			gzclose(gz);
			return -EINVAL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	gzclose(gz);
	buf[len] = '\0';
	*ret = buf;
	return 0;
}

int gc_kconfig_probe(const struct gc_root *r, const char *release, struct gc_kconfig *out)
{
	char path[512];

	*out = (struct gc_kconfig){ .err = -ENOENT };
	if (release && !strchr(release, '/') &&
	    gc_pathf(path, sizeof(path), "/boot/config-%s", release) == 0) {
		out->err = gc_read_file(r, path, KCONFIG_MAX, &out->text, NULL);
		if (!out->err) {
			out->source = "/boot/config-<release>";
			return 0;
		}
	}
	out->err = read_gz(r, "/proc/config.gz", &out->text);
	if (!out->err)
		out->source = "/proc/config.gz";
	return 0;
}

void gc_kconfig_free(struct gc_kconfig *k)
{
	free(k->text);
	*k = (struct gc_kconfig){ 0 };
}
