// SPDX-License-Identifier: GPL-2.0-or-later
/* The MHI controller of a card and its channel devices, from sysfs. */
#include <errno.h>

#include "mhi.h"

#define MHI_CHAN_MAX 64

/* "mhi0" .. "mhi99999": the controller name mhi_register_controller() gives. */
static bool is_cntrl_name(const char *s)
{
	size_t n = strspn(s + 3, "0123456789");

	return startswith(s, "mhi") && n > 0 && n < 6 && s[3 + n] == '\0';
}

static char *link_base(const struct gc_root *r, const char *path)
{
	char *target = NULL, *base;

	if (gc_readlink(r, path, &target) < 0)
		return NULL;
	base = strrchr(target, '/');
	base = xstrdup(base ? base + 1 : target);
	free(target);
	return base;
}

static void read_channels(const struct gc_root *r, const char *dir, struct gc_mhi *out)
{
	size_t plen = strlen(out->cntrl);
	struct dirent *de;
	DIR *d = NULL;

	if (gc_opendir(r, dir, &d) < 0)
		return;
	while ((de = readdir(d)) && out->n_chan < MHI_CHAN_MAX) {
		struct gc_mhi_chan *c;
		char path[512];

		if (strncmp(de->d_name, out->cntrl, plen) || de->d_name[plen] != '_' || !de->d_name[plen + 1])
			continue;
		c = xappend(&out->chan, &out->n_chan, sizeof(*c));
		c->name = xstrdup(de->d_name + plen + 1);
		if (gc_pathf(path, sizeof(path), "%s/%s/driver", dir, de->d_name) == 0)
			c->driver = link_base(r, path);
	}
	closedir(d);
}

int gc_mhi_probe(const struct gc_root *r, const char *pci_addr, struct gc_mhi *out)
{
	char dir[256], path[512];
	struct dirent *de;
	DIR *d = NULL;

	*out = (struct gc_mhi){ .err = -ENOENT };
	if (gc_pathf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", pci_addr) < 0)
		return 0;
	if ((out->err = gc_opendir(r, dir, &d)) < 0)
		return 0;
	out->err = -ENOENT;
	while ((de = readdir(d))) {
		if (is_cntrl_name(de->d_name)) {
			out->cntrl = xstrdup(de->d_name);
			out->err = 0;
			break;
		}
	}
	closedir(d);
	if (out->err)
		return 0;
	if (gc_pathf(path, sizeof(path), "%s/%s", dir, out->cntrl) == 0)
		read_channels(r, path, out);
	if (gc_pathf(path, sizeof(path), "/sys/kernel/debug/mhi/%s/states", out->cntrl) == 0) {
		char *buf;
		size_t len;

		if (gc_read_file(r, path, 4096, &buf, &len) == 0) {
			buf[strcspn(buf, "\n")] = '\0';
			out->states = printable(buf, strlen(buf), 200);
			free(buf);
		}
	}
	return 0;
}

const struct gc_mhi_chan *gc_mhi_chan_find(const struct gc_mhi *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n_chan; i++)
		if (streq(m->chan[i].name, name))
			return &m->chan[i];
	return NULL;
}

void gc_mhi_free(struct gc_mhi *m)
{
	size_t i;

	for (i = 0; i < m->n_chan; i++) {
		free(m->chan[i].name);
		free(m->chan[i].driver);
	}
	free(m->chan);
	free(m->cntrl);
	free(m->states);
	*m = (struct gc_mhi){ 0 };
}
