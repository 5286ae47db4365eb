// SPDX-License-Identifier: GPL-2.0-or-later
/* Distribution kernel package facts. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gzfile.h"
#include "kernelpkg.h"
#include "run.h"
#include "view.h"

/* Changelogs run to tens of thousands of lines; read at most this much of one. */
#define CHANGELOG_MAX (64u << 20)

/*
 * Changelogs list the newest entry first (debian/changelog; rpm -q
 * --changelog), so the first line that names a subject decides it: the fix
 * itself, or a 'Revert "PCI: hv: ..."' that took it out again after it
 * went in. Later (older) lines about a decided subject are history.
 */
void gc_changelog_match(const char *line, const char *const *subjects, size_t n, bool *found, bool *decided)
{
	bool revert;
	size_t i;

	if (!strstr(line, "PCI: hv:"))
		return;
	revert = strstr(line, "Revert \"PCI: hv:") != NULL;
	for (i = 0; i < n; i++)
		if (!decided[i] && strstr(line, subjects[i])) {
			decided[i] = true;
			found[i] = !revert;
		}
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
/* An rpm database file copied into the private dbpath (RHEL 7's Packages runs to ~100 MiB). */
#define RPMDB_FILE_MAX (256u << 20)

/*
 * A package name made from the kernel release: letters, digits and
 * ".+_~^-" (rpm's NEVRA characters), never a leading '-' (rpm would take
 * it for an option: --pipe and --eval run commands).
 */
bool gc_rpm_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 255 || name[0] == '-')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+_~^-") == n;
}

/*
 * Copy the tree's rpm database through the file layer into a private
 * directory: rpm then neither reads past the tree's links nor writes into
 * it (lock files, ~/.rpmdb on Debian's rpm), and a relative --sysroot
 * does not matter.
 */
static int copy_rpmdb(const struct gc_root *r, const char *view, char **ret_dbpath)
{
	static const char *const dirs[] = { "/usr/lib/sysimage/rpm", "/var/lib/rpm" };
	size_t i, files = 0;
	int err = -ENOENT;

	for (i = 0; i < ARRAY_SIZE(dirs) && err == -ENOENT; i++) {
		struct dirent *de;
		DIR *d = NULL;

		if ((err = gc_opendir(r, dirs[i], &d)))
			continue;
		err = gc_view_mkdir(view, dirs[i]);
		while ((de = readdir(d)) && !err) {
			char path[512];
			unsigned mode;

			if (de->d_name[0] == '.' || ++files > 64 ||
			    gc_pathf(path, sizeof(path), "%s/%s", dirs[i], de->d_name) < 0)
				continue;
			if (gc_stat(r, path, true, &mode) == 0 && S_ISREG(mode))
				err = gc_view_copy(r, view, path, RPMDB_FILE_MAX);
		}
		closedir(d);
		if (!err)
			*ret_dbpath = xasprintf("%s%s", view, dirs[i]);
	}
	return err;
}

static int rpm_changelog(const char *bin, const char *dbpath, const char *pkg, struct gc_run_result *res)
{
	const char *argv[] = { bin, "--dbpath", dbpath, "-q", "--changelog", "--", pkg, NULL };

	if (!dbpath) {  /* live: the system's own database, read-only query */
		argv[1] = "-q";
		argv[2] = "--changelog";
		argv[3] = "--";
		argv[4] = pkg;
		argv[5] = NULL;
	}
	return gc_run_capture((char *const *)argv, NULL, RPM_TIMEOUT_MS, CHANGELOG_MAX, res);
}

/*
 * The kernel's package is named from its release: kernel-core-<release>
 * (RHEL 8+, Fedora), kernel-<release> (CentOS 7, Amazon Linux). Querying
 * by name, never by file (rpm -qf would open the tree's files itself), and
 * no output of rpm ever becomes an argument.
 */
static int scan_rpm(const struct gc_root *r, const char *release, const char *const *subjects, size_t n,
		    struct gc_kernelpkg *out)
{
	static const char *const prefixes[] = { "kernel-core-", "kernel-" };
	const char *bin = rpm_binary();
	char *view = NULL, *dbpath = NULL;
	struct gc_run_result res = { 0 };
	char *line, *save = NULL, pkg[300];
	int err = -ENOENT;
	size_t i;

	if (!bin)
		return -ENOENT;
	if (r->live) {
		if (gc_access(r, "/var/lib/rpm") < 0 && gc_access(r, "/usr/lib/sysimage/rpm") < 0)
			return -ENOENT;
	} else {
		if ((err = gc_view_create(&view)))
			return err;
		if ((err = copy_rpmdb(r, view, &dbpath))) {
			gc_view_remove(view);
			return err;
		}
	}
	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		snprintf(pkg, sizeof(pkg), "%s%s", prefixes[i], release);
		if (!gc_rpm_name_valid(pkg)) {
			err = -EINVAL;
			break;
		}
		err = rpm_changelog(bin, dbpath, pkg, &res);
		if (err || res.status == 0)
			break;
		gc_run_result_free(&res);
		err = -ENOENT;
	}
	free(dbpath);
	gc_view_remove(view);
	if (err)
		return err;
	for (line = strtok_r(res.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		gc_changelog_match(line, subjects, n, out->found, out->decided);
	gc_run_result_free(&res);
	out->changelog = xasprintf("rpm -q --changelog %s", pkg);
	return 0;
}

static int scan_changelog(const struct gc_root *r, const char *path, const char *const *subjects,
			  size_t n, bool *found, bool *decided)
{
	char line[4096];
	size_t total = 0;
	gzFile gz;
	int err;

	if ((err = gc_gzopen(r, path, &gz)))
		return err;
	while (total < CHANGELOG_MAX && gzgets(gz, line, sizeof(line))) {
		total += strlen(line);
		gc_changelog_match(line, subjects, n, found, decided);
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
		out->changelog_err = scan_changelog(r, path, subjects, n, out->found, out->decided);
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
