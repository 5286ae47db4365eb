// SPDX-License-Identifier: GPL-2.0-or-later
/* Hypervisor files and the VMBus. */
#include <ctype.h>
#include <errno.h>

#include "hypervisor.h"

char *gc_guid_normalize(char *s)
{
	char *p, *o = s;

	for (p = s; *p; p++)
		if (*p != '{' && *p != '}')
			*o++ = (char)tolower((unsigned char)*p);
	*o = '\0';
	return s;
}

static void read_vmbus(const struct gc_root *r, struct gc_hvfiles *h)
{
	struct dirent *de;
	DIR *d = NULL;

	h->vmbus_err = gc_opendir(r, "/sys/bus/vmbus/devices", &d);
	if (h->vmbus_err)
		return;
	while ((de = readdir(d))) {
		char path[512];
		char *cls = NULL;

		if (de->d_name[0] == '.')
			continue;
		h->n_vmbus++;
		if (gc_pathf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/class_id", de->d_name) == 0 &&
		    gc_read_string(r, path, &cls) == 0 && streq(gc_guid_normalize(cls), GC_HV_PCIE_GUID)) {
			char *drv = NULL, *base;
			size_t n = h->n_vpci;

			*(char **)xappend(&h->vpci, &h->n_vpci, sizeof(char *)) = xstrdup(de->d_name);
			h->vpci_driver = xrealloc(h->vpci_driver, h->n_vpci * sizeof(char *));
			h->vpci_driver[n] = NULL;
			strcpy(strrchr(path, '/'), "/driver");
			if (gc_readlink(r, path, &drv) == 0) {
				base = strrchr(drv, '/');
				h->vpci_driver[n] = xstrdup(base ? base + 1 : drv);
				free(drv);
			}
		}
		free(cls);
	}
	closedir(d);
}

int gc_hvfiles_probe(const struct gc_root *r, struct gc_hvfiles *out)
{
	char *caps = NULL;

	*out = (struct gc_hvfiles){ 0 };
	out->type_err = gc_read_string(r, "/sys/hypervisor/type", &out->type);
	if (out->type_err == -ENOENT && gc_stat(r, "/sys/hypervisor/type", false, NULL) == 0)
		out->type_err = -ENOLINK;  /* a link to nothing: there, not absent */
	gc_read_string(r, "/sys/hypervisor/guest_type", &out->guest_type);
	gc_read_string(r, "/sys/hypervisor/properties/features", &out->features);
	out->proc_xen = gc_access(r, "/proc/xen") == 0;
	if (gc_read_string(r, "/proc/xen/capabilities", &caps) == 0)
		out->xen_control_d = strstr(caps, "control_d") != NULL;
	free(caps);
	read_vmbus(r, out);
	return 0;
}

void gc_hvfiles_free(struct gc_hvfiles *h)
{
	size_t i;

	free(h->type);
	free(h->guest_type);
	free(h->features);
	for (i = 0; i < h->n_vpci; i++) {
		free(h->vpci[i]);
		free(h->vpci_driver[i]);
	}
	free(h->vpci);
	free(h->vpci_driver);
	*h = (struct gc_hvfiles){ 0 };
}
