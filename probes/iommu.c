// SPDX-License-Identifier: GPL-2.0-or-later
/* IOMMU sysfs. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>

#include "iommu.h"

static int cmp_unit(const void *a, const void *b)
{
	return strcmp(((const struct gc_iommu_unit *)a)->name, ((const struct gc_iommu_unit *)b)->name);
}

static bool hex_word(const char **p, uint64_t *v)
{
	char *end;

	if (!isxdigit((unsigned char)**p))
		return false;
	errno = 0;
	*v = strtoull(*p, &end, 16);
	if (errno || (*end && *end != ' '))
		return false;
	*p = end;
	return true;
}

int gc_iommu_parse_logged(const char *msg, struct gc_iommu_logged *out)
{
	const char *p;
	uint64_t base;
	size_t len;
	int vmaj, vmin, n = 0;

	if (!startswith(msg, "DMAR: dmar"))
		return -EINVAL;
	msg += strlen("DMAR: ");
	len = strcspn(msg, ":");
	if (len >= sizeof(out->name) || !startswith(msg + len, ": reg_base_addr "))
		return -EINVAL;
	memcpy(out->name, msg, len);
	out->name[len] = '\0';
	p = msg + len + strlen(": reg_base_addr ");
	if (!hex_word(&p, &base) || sscanf(p, " ver %d:%d%n", &vmaj, &vmin, &n) != 2 || !n)
		return -EINVAL;
	p += n;
	if (!startswith(p, " cap "))
		return -EINVAL;
	p += 5;
	if (!hex_word(&p, &out->cap) || !startswith(p, " ecap "))
		return -EINVAL;
	p += 6;
	if (!hex_word(&p, &out->ecap) || *p)
		return -EINVAL;
	return 0;
}

int gc_iommu_probe(const struct gc_root *r, struct gc_iommu *out)
{
	struct dirent *de;
	DIR *d = NULL;

	*out = (struct gc_iommu){ 0 };
	out->n_groups = gc_count_entries(r, "/sys/kernel/iommu_groups");
	out->err = gc_opendir(r, "/sys/class/iommu", &d);
	if (out->err)
		return 0;
	while ((de = readdir(d))) {
		struct gc_iommu_unit *u;
		char path[512];

		if (de->d_name[0] == '.')
			continue;
		u = xappend(&out->u, &out->n, sizeof(*u));
		u->name = xstrdup(de->d_name);
		if (gc_pathf(path, sizeof(path), "/sys/class/iommu/%s/intel-iommu", de->d_name) < 0)
			continue;
		u->intel = gc_access(r, path) == 0;
		if (!u->intel)
			continue;
		strcat(path, "/cap");
		u->cap_err = gc_read_u64(r, path, 16, &u->cap);
		strcpy(strrchr(path, '/'), "/ecap");
		u->ecap_err = gc_read_u64(r, path, 16, &u->ecap);
	}
	closedir(d);
	if (out->n)
		qsort(out->u, out->n, sizeof(*out->u), cmp_unit);
	return 0;
}

void gc_iommu_free(struct gc_iommu *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->u[i].name);
	free(m->u);
	*m = (struct gc_iommu){ 0 };
}
