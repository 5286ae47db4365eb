// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The data directory follows the executable rather than a path fixed at
 * configure time, so `cmake --install --prefix`, a package and a moved tree
 * all find their own data (the approach of git's RUNTIME_PREFIX).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../probes/util.h"
#include "datadir.h"

#define DATADIR_ENV "AIC_GUESTCHECK_DATA_DIR"

static int is_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int asked_for(const char *dir, const char *how_s, char **ret, const char **how)
{
	*ret = xstrdup(dir);
	*how = how_s;
	return is_dir(dir);
}

int gc_datadir_find(const char *opt, char **ret, const char **how)
{
	char exe[PATH_MAX], *slash, *installed, *build;
	const char *env = getenv(DATADIR_ENV);
	ssize_t n;

	if (opt)
		return asked_for(opt, "--data-dir", ret, how);
	if (env && *env)
		return asked_for(env, DATADIR_ENV, ret, how);

	*how = "the executable's location";
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		*ret = xstrdup("/proc/self/exe (unreadable)");
		return 1;
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	installed = xasprintf("%.*s/%s", (int)(slash - exe), exe, AICG_DATADIR_REL);
	build = xasprintf("%s.data", exe);
	if (is_dir(installed) == 0) {
		free(build);
		*ret = installed;
		return 0;
	}
	if (is_dir(build) == 0) {
		free(installed);
		*ret = build;
		return 0;
	}
	free(build);
	*ret = installed;
	return 1;
}
