// SPDX-License-Identifier: GPL-2.0-or-later
/* Distribution kernel package facts. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "gzfile.h"
#include "kernelpkg.h"
#include "run.h"

/* Changelogs run to tens of thousands of lines; read at most this much of one. */
#define CHANGELOG_MAX (64u << 20)

void gc_changelog_match(const char *line, const char *const *subjects, size_t n, bool *found)
{
	size_t i;

	if (!strstr(line, "PCI: hv:"))
		return;
	for (i = 0; i < n; i++)
		if (strstr(line, subjects[i]))
			found[i] = true;
}

/* The rpm binary: the host's, or AIC_GUESTCHECK_RPM (for the test suite). */
static const char *rpm_binary(void)
{
	static const char *const paths[] = { "/usr/bin/rpm", "/bin/rpm" };
	const char *env = getenv("AIC_GUESTCHECK_RPM");
	size_t i;

	if (env && *env == '/')
		return env;
	for (i = 0; i < ARRAY_SIZE(paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

#define RPM_TIMEOUT_MS 15000

/* rpm [--root DIR] ARGS...: NULL-terminated extra arguments. */
static int rpm(const struct gc_root *r, const char *bin, const char *const *args, struct gc_run_result *res)
{
	const char *argv[16];
	size_t n = 0;

	argv[n++] = bin;
	if (!r->live) {
		argv[n++] = "--root";
		argv[n++] = r->dir;
	}
	for (; *args && n < ARRAY_SIZE(argv) - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return gc_run_capture((char *const *)argv, RPM_TIMEOUT_MS, CHANGELOG_MAX, res);
}

static int scan_rpm(const struct gc_root *r, const char *release, const char *const *subjects, size_t n,
		    struct gc_kernelpkg *out)
{
	const char *bin = rpm_binary();
	struct gc_run_result res;
	char image[2][512], pkg[256] = "";
	char *line, *save = NULL;
	size_t i;
	int err;

	if (!bin)
		return -ENOENT;
	/* A tree is asked only when it carries its own package database. */
	if (!r->live && gc_access(r, "/var/lib/rpm") < 0 && gc_access(r, "/usr/lib/sysimage/rpm") < 0)
		return -ENOENT;
	/* Fedora/RHEL put the image in /lib/modules/<release>/vmlinuz; older ones in /boot. */
	snprintf(image[0], sizeof(image[0]), "/lib/modules/%s/vmlinuz", release);
	snprintf(image[1], sizeof(image[1]), "/boot/vmlinuz-%s", release);
	for (i = 0; i < 2 && !pkg[0]; i++) {
		const char *qf[] = { "-qf", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n", image[i], NULL };

		if (rpm(r, bin, qf, &res) == 0 && res.status == 0 && res.len && res.len < sizeof(pkg))
			snprintf(pkg, sizeof(pkg), "%.*s", (int)strcspn(res.out, "\n"), res.out);
		gc_run_result_free(&res);
	}
	if (!pkg[0])
		return -ENOENT;
	{
		const char *cl[] = { "-q", "--changelog", pkg, NULL };

		err = rpm(r, bin, cl, &res);
	}
	if (err)
		return err;
	if (res.status != 0) {
		gc_run_result_free(&res);
		return -EIO;
	}
	for (line = strtok_r(res.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		gc_changelog_match(line, subjects, n, out->found);
	gc_run_result_free(&res);
	out->changelog = xasprintf("rpm -q --changelog %s", pkg);
	return 0;
}

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
		total += strlen(line);
		gc_changelog_match(line, subjects, n, found);
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
			return 0;
		}
	}
	out->changelog_err = scan_rpm(r, release, subjects, n, out);
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
