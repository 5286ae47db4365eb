// SPDX-License-Identifier: GPL-2.0-or-later
/* Atomic, private file creation (the pattern of util-linux's ul_mkstemp + rename and sos's archive move). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../../probes/sigclean.h"
#include "../../probes/util.h"
#include "outfile.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

int gc_outfile_create(struct gc_outfile *o, const char *path, bool force)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	struct stat st;
	sigset_t mask;
	unsigned i;
	int err = 0;

	*o = (struct gc_outfile)GC_OUTFILE_INIT;
	o->force = force;
	if (!*dir) {
		free(dir);
		dir = xstrdup("/");
	}
	o->name = xstrdup(slash ? slash + 1 : path);
	o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (o->dirfd < 0 || !*o->name) {
		err = o->dirfd < 0 ? -errno : -EISDIR;
		goto fail;
	}
	/* An early, friendly refusal; the rename decides atomically. */
	if (fstatat(o->dirfd, o->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!force || S_ISDIR(st.st_mode)) {
			err = S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
			goto fail;
		}
	}
	for (i = 0; i < 100; i++) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		free(o->tmp);
		o->tmp = xasprintf(".%s.%06lx", o->name,
				   ((unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 12) ^ i * 7919u) & 0xffffff);
		gc_sigclean_hold(&mask);
		o->fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		err = o->fd < 0 ? -errno : 0;
		if (o->fd >= 0)
			o->slot = gc_sigclean_add(o->dirfd, o->tmp, false);  /* no slot: removed on exit only */
		gc_sigclean_release(&mask);
		if (o->fd >= 0 || err != -EEXIST)
			break;
	}
	if (o->fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		goto fail;
	}
	/* The umask may only take bits away from 0600, but a umask of 0777 takes all: set it. */
	if (fchmod(o->fd, 0600) < 0) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	gc_outfile_abort(o);
	return err;
}

static int rename_noreplace(int dirfd, const char *from, const char *to)
{
	/* renameat2 (Linux 3.15, glibc 2.28): older kernels and file systems get link + unlink. */
	if (syscall(SYS_renameat2, dirfd, from, dirfd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -errno;
	if (linkat(dirfd, from, dirfd, to, 0) < 0)
		return -errno;
	unlinkat(dirfd, from, 0);
	return 0;
}

int gc_outfile_sync(struct gc_outfile *o)
{
	int err = 0;

	if (o->fd < 0)
		return 0;
	if (fsync(o->fd) < 0)
		err = -errno;
	if (close(o->fd) < 0 && !err)
		err = -errno;
	o->fd = -1;
	return err;
}

/*
 * Synced, then renamed into place with the signals held, so that the
 * signal cleanup moves from the temporary name to the final one (guard)
 * or lets go of it with nothing in between.
 */
static int place(struct gc_outfile *o, bool guard)
{
	sigset_t mask;
	int err = gc_outfile_sync(o);

	if (err)
		return err;
	gc_sigclean_hold(&mask);
	if (o->force && renameat(o->dirfd, o->tmp, o->dirfd, o->name) < 0)
		err = -errno;
	else if (!o->force)
		err = rename_noreplace(o->dirfd, o->tmp, o->name);
	if (!err) {
		gc_sigclean_forget(o->slot, false);
		o->slot = guard ? gc_sigclean_add(o->dirfd, o->name, false) : -1;
		o->placed = guard;
		free(o->tmp);
		o->tmp = NULL;
	}
	gc_sigclean_release(&mask);
	return err;
}

int gc_outfile_commit(struct gc_outfile *o)
{
	int err = place(o, false);

	if (err) {
		gc_outfile_abort(o);
		return err;
	}
	fsync(o->dirfd);  /* the new name itself survives a crash */
	gc_outfile_abort(o);
	return 0;
}

int gc_outfile_commit_pending(struct gc_outfile *o)
{
	int err = place(o, true);

	if (err)
		gc_outfile_abort(o);
	return err;
}

void gc_outfile_keep(struct gc_outfile *o)
{
	if (o->placed) {
		gc_sigclean_forget(o->slot, false);
		o->slot = -1;
		o->placed = false;
		fsync(o->dirfd);
	}
	gc_outfile_abort(o);
}

void gc_outfile_abort(struct gc_outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	/* A zero-filled struct has no name: slot 0 is then someone else's. */
	if ((o->tmp || o->placed) && o->slot >= 0)
		gc_sigclean_forget(o->slot, true);
	else if (o->tmp && o->dirfd >= 0)
		unlinkat(o->dirfd, o->tmp, 0);
	else if (o->placed && o->dirfd >= 0)
		unlinkat(o->dirfd, o->name, 0);
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->tmp);
	free(o->name);
	*o = (struct gc_outfile)GC_OUTFILE_INIT;
}
