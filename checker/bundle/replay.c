// SPDX-License-Identifier: GPL-2.0-or-later
/* --sysroot given a bundle: the archive unpacked privately, or the unpacked top directory found. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../probes/sigclean.h"
#include "bundle.h"
#include "untar.h"

/* The one non-dot entry of dir when it is a directory; NULL otherwise. */
static char *only_subdir(const char *dir)
{
	struct dirent *de;
	char *only = NULL;
	bool more = false;
	DIR *d = opendir(dir);

	if (!d)
		return NULL;
	while ((de = readdir(d)) && !more) {
		if (de->d_name[0] == '.')
			continue;
		if (only)
			more = true;
		else
			only = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (more || !only) {
		free(only);
		return NULL;
	}
	{
		struct stat st;

		if (lstat(only, &st) < 0 || !S_ISDIR(st.st_mode)) {
			free(only);
			return NULL;
		}
	}
	return only;
}

#define TMP_NAME "aic-guestcheck-replay.XXXXXX"

/* A private (0700) directory below $TMPDIR or /tmp, removed on a signal until gc_bundle_sysroot_close. */
static int make_tmp(struct gc_bundle_sysroot *s)
{
	const char *tmpdir = getenv("TMPDIR");
	int parent, err = 0;
	sigset_t mask;

	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	/* O_PATH: a directory one may write and search but not list still takes an unlinkat. */
	parent = open(tmpdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0)
		return -errno;
	s->tmp = xasprintf("%s/" TMP_NAME, tmpdir);
	gc_sigclean_hold(&mask);
	if (!mkdtemp(s->tmp))  /* mode 0700: private */
		err = -errno;
	else  /* no slot: removed on close only */
		s->tmp_slot = gc_sigclean_add(parent, strrchr(s->tmp, '/') + 1, true);
	gc_sigclean_release(&mask);
	close(parent);
	if (err) {
		free(s->tmp);
		s->tmp = NULL;
	}
	return err;
}

int gc_bundle_sysroot_open(const char *arg, struct gc_bundle_sysroot *s, char **err_msg)
{
	struct stat st;
	char *msg = NULL, *top;
	int dirfd, err;

	*s = (struct gc_bundle_sysroot){ .tmp_slot = -1 };
	*err_msg = NULL;
	if (!arg)
		return 0;
	if (stat(arg, &st) < 0) {
		err = -errno;
		*err_msg = xasprintf("cannot open sysroot %s: %s", arg, strerror(errno));
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		char *sub = only_subdir(arg), *manifest = sub ? xasprintf("%s/" GC_BUNDLE_MANIFEST, sub) : NULL;

		/* A directory a bundle was unpacked into: its top directory is the sysroot. */
		s->dir = sub && access(manifest, F_OK) == 0 ? xstrdup(sub) : xstrdup(arg);
		free(sub);
		free(manifest);
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		*err_msg = xasprintf("sysroot %s is neither a directory nor a bundle archive", arg);
		return -EINVAL;
	}
	if ((err = make_tmp(s)) < 0) {
		*err_msg = xasprintf("cannot make a temporary directory for %s: %s", arg, strerror(-err));
		return err;
	}
	dirfd = open(s->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = dirfd < 0 ? -errno : gc_untar(arg, dirfd, &msg);
	if (dirfd >= 0)
		close(dirfd);
	if (err) {
		*err_msg = xasprintf("refusing to replay %s: %s", arg, msg ? msg : strerror(-err));
		free(msg);
		gc_bundle_sysroot_close(s);
		return err;
	}
	top = only_subdir(s->tmp);
	s->dir = top ? top : xstrdup(s->tmp);
	return 0;
}

void gc_bundle_sysroot_close(struct gc_bundle_sysroot *s)
{
	if (s->tmp && s->tmp_slot >= 0)
		gc_sigclean_forget(s->tmp_slot, true);
	else if (s->tmp)
		gc_sigclean_remove_path(s->tmp, true);
	free(s->tmp);
	free(s->dir);
	*s = (struct gc_bundle_sysroot){ .tmp_slot = -1 };
}
