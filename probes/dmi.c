// SPDX-License-Identifier: GPL-2.0-or-later
/* DMI identity strings. */
#include <errno.h>

#include "dmi.h"

const char *const gc_dmi_files[_GC_DMI_MAX] = {
	[GC_DMI_SYS_VENDOR] = "sys_vendor",
	[GC_DMI_PRODUCT_NAME] = "product_name",
	[GC_DMI_PRODUCT_VERSION] = "product_version",
	[GC_DMI_BOARD_VENDOR] = "board_vendor",
	[GC_DMI_BIOS_VENDOR] = "bios_vendor",
};

int gc_dmi_probe(const struct gc_root *r, struct gc_dmi *out)
{
	int i, err, found = 0;

	*out = (struct gc_dmi){ 0 };
	for (i = 0; i < _GC_DMI_MAX; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", gc_dmi_files[i]);
		err = gc_read_string(r, path, &out->v[i]);
		if (err == -ENOENT && gc_stat(r, path, false, NULL) == 0)
			err = -ENOLINK;  /* a link to nothing: there, not absent */
		if (err == 0)
			found++;
		else if (err != -ENOENT)
			out->unread++;
	}
	if (!found)
		out->err = gc_access(r, "/sys/class/dmi/id") ? -ENOENT : -EINVAL;
	return 0;
}

void gc_dmi_free(struct gc_dmi *d)
{
	int i;

	for (i = 0; i < _GC_DMI_MAX; i++)
		free(d->v[i]);
	*d = (struct gc_dmi){ 0 };
}
