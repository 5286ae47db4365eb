// SPDX-License-Identifier: GPL-2.0-or-later
/* Distribution kernel package facts. */
#include <ctype.h>
#include <errno.h>
#include "gzfile.h"
#include "kernelpkg.h"

/* Changelogs run to tens of thousands of lines; read at most this much of one. */
#define CHANGELOG_MAX (64u << 20)

static int scan_changelog(const struct gc_root *r, const char *path, const char *const *subjects,
			  size_t n, bool *found)
{
	char line[4096];
	size_t total = 0;
	gzFile gz;
	int err;

	if ((err = gc_gzopen(r, path, &gz)))
		return err;
	while (total < CHANGELOG_MAX && gzgets(gz, line, sizeof(line))) {
		size_t i;

		total += strlen(line);
		if (!strstr(line, "PCI: hv:"))
			continue;
		for (i = 0; i < n; i++)
			if (strstr(line, subjects[i]))
				found[i] = true;
	}
	gzclose(gz);
	return 0;
}

int gc_kernelpkg_probe(const struct gc_root *r, const char *release, const char *const *subjects,
		       size_t n, struct gc_kernelpkg *out)
{
	/* Debian's own, then Ubuntu's name for it. */
	static const char *const names[] = { "changelog.gz", "changelog.Debian.gz" };
	size_t i;

	*out = (struct gc_kernelpkg){ .changelog_err = -ENOENT };
	gc_read_string(r, "/proc/version_signature", &out->version_signature);
	gc_read_string(r, "/proc/version", &out->proc_version);
	if (!release || strchr(release, '/') || n > GC_CHANGELOG_MAX_SUBJECTS)
		return 0;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char path[512];

		if (gc_pathf(path, sizeof(path), "/usr/share/doc/linux-image-%s/%s", release, names[i]) < 0)
			continue;
		out->changelog_err = scan_changelog(r, path, subjects, n, out->found);
		if (out->changelog_err != -ENOENT) {
			out->changelog = xstrdup(path);
			break;
		}
	}
	return 0;
}

const char *gc_upstream_version(const struct gc_kernelpkg *k, char *buf, size_t size,
				const char **ret_source)
{
	const char *p;

	/* "Ubuntu 5.15.0-91.101-generic 5.15.131": the last field. */
	if (k->version_signature && (p = strrchr(k->version_signature, ' ')) && isdigit((unsigned char)p[1])) {
		snprintf(buf, size, "%s", p + 1);
		*ret_source = "/proc/version_signature";
		return buf;
	}
	/*
	 * "... (gcc (Debian 12.2.0-14) 12.2.0 ...) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-...)":
	 * the last " Debian " is the kernel package's; the first may be the compiler's.
	 */
	p = NULL;
	if (k->proc_version) {
		const char *q = k->proc_version;

		while ((q = strstr(q, " Debian ")))
			p = q++;
	}
	if (p && isdigit((unsigned char)p[8])) {
		size_t len = strcspn(p + 8, "- ");

		snprintf(buf, size, "%.*s", (int)len, p + 8);
		*ret_source = "/proc/version";
		return buf;
	}
	return NULL;
}

void gc_kernelpkg_free(struct gc_kernelpkg *k)
{
	free(k->version_signature);
	free(k->proc_version);
	free(k->changelog);
	*k = (struct gc_kernelpkg){ 0 };
}
