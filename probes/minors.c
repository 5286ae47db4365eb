// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device minors by class. A class entry is a link made by device_add()
 * (drivers/base/core.c device_add_class_symlinks()) to the device, whose
 * parent is the device that registered it: drm_sysfs_minor_alloc() and the
 * accel class give a minor's device the driver's device as parent.
 */
#include <errno.h>
#include <string.h>

#include "dirlist.h"
#include "minors.h"

char *gc_minor_owner(const char *target, const char *class_dir, const char *name)
{
	size_t tl = strlen(target), cl = strlen(class_dir), nl = strlen(name);
	const char *end, *start;

	/* target ends in "/<parent>/<class_dir>/<name>" */
	if (tl < cl + nl + 3 || strcmp(target + tl - nl, name) != 0 || target[tl - nl - 1] != '/' ||
	    strncmp(target + tl - nl - 1 - cl, class_dir, cl) != 0 || target[tl - nl - 2 - cl] != '/')
		return NULL;
	end = target + tl - nl - 2 - cl;
	for (start = end; start > target && start[-1] != '/'; start--)
		;
	if (start == end)
		return NULL;
	return xstrndup(start, (size_t)(end - start));
}

/* "card" + digits only: "card0-HDMI-A-1" is a connector, not a minor. */
static bool numbered(const char *name, const char *prefix)
{
	const char *p;

	if (!startswith(name, prefix) || !name[strlen(prefix)])
		return false;
	for (p = name + strlen(prefix); *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static void read_class(const struct gc_root *r, const char *class_dir, struct gc_minor_class *out)
{
	char **names = NULL, path[300];
	size_t n = 0, i;

	if ((out->err = gc_pathf(path, sizeof(path), "/sys/class/%s", class_dir)) == 0)
		out->err = gc_list_dir(r, path, NULL, &names, &n);
	for (i = 0; i < n; i++) {
		struct gc_minor_node node = { .name = names[i] };
		char *target = NULL;

		if (numbered(names[i], "card"))
			node.kind = GC_MINOR_PRIMARY;
		else if (numbered(names[i], "renderD"))
			node.kind = GC_MINOR_RENDER;
		else if (numbered(names[i], "accel"))
			node.kind = GC_MINOR_ACCEL;
		else {
			free(names[i]);
			continue;
		}
		if (gc_pathf(path, sizeof(path), "/sys/class/%s/%s", class_dir, names[i]) == 0 &&
		    gc_readlink(r, path, &target) == 0)
			node.owner = gc_minor_owner(target, class_dir, names[i]);
		free(target);
		*(struct gc_minor_node *)xappend(&out->nodes, &out->n, sizeof(node)) = node;
	}
	free(names);
}

void gc_minors_probe(const struct gc_root *r, struct gc_minors *out)
{
	*out = (struct gc_minors){ 0 };
	read_class(r, "drm", &out->drm);
	read_class(r, "accel", &out->accel);
}

static void class_free(struct gc_minor_class *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->nodes[i].name);
		free(c->nodes[i].owner);
	}
	free(c->nodes);
}

void gc_minors_free(struct gc_minors *m)
{
	class_free(&m->drm);
	class_free(&m->accel);
}
