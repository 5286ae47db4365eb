// SPDX-License-Identifier: GPL-2.0-or-later
/* --sysroot given a bundle: the archive unpacked privately, or the unpacked top directory found. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

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
/* gc_untar makes nothing deeper below the temporary directory. */
#define REMOVE_DEPTH (GC_UNTAR_MAX_DEPTH + 1)

/* What getdents64 returns (glibc has no wrapper before 2.30). */
struct raw_dirent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static bool remove_entry(int dirfd, const char *name, unsigned char type, unsigned depth);

static bool dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/*
 * Empties the directory fd and closes it, by file descriptors, so that no
 * name length matters, and never through a link. Async-signal-safe (a
 * handler runs it); recursion and its stack are bounded by depth. A pass
 * that removed something is followed by another: entries removed while
 * the directory is read may hide others from that pass.
 */
static void empty_dir(int fd, unsigned depth)
{
	_Alignas(8) char buf[1024];
	bool again = true;
	long n;

	while (again && lseek(fd, 0, SEEK_SET) == 0) {
		again = false;
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			struct raw_dirent *d;
			long o;

			for (o = 0; o < n; o += d->reclen) {
				d = (struct raw_dirent *)(buf + o);
				if (!dot_or_dotdot(d->name) && remove_entry(fd, d->name, d->type, depth))
					again = true;
			}
		}
	}
	close(fd);
}

/* Removes name below dirfd, a directory with all below it; returns whether it is gone. */
static bool remove_entry(int dirfd, const char *name, unsigned char type, unsigned depth)
{
	int fd;

	if (type != DT_DIR && unlinkat(dirfd, name, 0) == 0)
		return true;
	if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
		return true;
	if ((errno != ENOTEMPTY && errno != EEXIST) || !depth)
		return false;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	empty_dir(fd, depth - 1);
	return unlinkat(dirfd, name, AT_REMOVEDIR) == 0;
}

static const int caught[] = { SIGHUP, SIGINT, SIGTERM };

/*
 * The temporary directories a signal handler must remove: a handler reaches
 * nothing but static storage. Two at once: bundle --redact replays the
 * bundle it made while replaying the one --sysroot gave. Written only while
 * the caught signals are blocked, so a handler never sees a slot half-made.
 */
static struct {
	unsigned used;             /* slots in use; the handler is set while any is */
	struct {
		bool used;
		int parent;        /* the directory holding it */
		char name[sizeof(TMP_NAME)];
	} slot[2];
	struct sigaction old[ARRAY_SIZE(caught)];
} replay_tmp;

/* Remove the directories, then die of the signal as if it had not been caught. */
static void on_signal(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(replay_tmp.slot); i++)
		if (replay_tmp.slot[i].used)
			remove_entry(replay_tmp.slot[i].parent, replay_tmp.slot[i].name, DT_DIR, REMOVE_DEPTH);
	sigaction(sig, &dfl, NULL);
	raise(sig);  /* delivered when the handler returns and unblocks it */
}

static void block_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(caught); i++)
		sigaddset(&set, caught[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* With the signals blocked: remove the directories on them. Signals ignored stay so. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(caught); i++)
		sigaddset(&sa.sa_mask, caught[i]);
	for (i = 0; i < ARRAY_SIZE(caught); i++) {
		sigaction(caught[i], NULL, &replay_tmp.old[i]);
		if (replay_tmp.old[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
}

static void restore_signals(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(caught); i++)
		sigaction(caught[i], &replay_tmp.old[i], NULL);
}

static int free_slot(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(replay_tmp.slot); i++)
		if (!replay_tmp.slot[i].used)
			return (int)i;
	return -EBUSY;
}

/* A private (0700) directory below $TMPDIR or /tmp, removed on a signal until remove_tmp. */
static int make_tmp(struct gc_bundle_sysroot *s)
{
	const char *tmpdir = getenv("TMPDIR");
	int i = free_slot(), parent, err = 0;
	sigset_t mask;

	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if (i < 0)
		return i;
	parent = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0)
		return -errno;
	s->tmp = xasprintf("%s/" TMP_NAME, tmpdir);
	block_signals(&mask);
	if (mkdtemp(s->tmp)) {  /* mode 0700: private */
		replay_tmp.slot[i].parent = parent;
		snprintf(replay_tmp.slot[i].name, sizeof(replay_tmp.slot[i].name), "%s", strrchr(s->tmp, '/') + 1);
		replay_tmp.slot[i].used = true;
		if (replay_tmp.used++ == 0)
			catch_signals();
	} else {
		err = -errno;
		close(parent);
		free(s->tmp);
		s->tmp = NULL;
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
	return err;
}

/* Remove the directory at tmp; with the last, stop catching signals (one pending kills as before). */
static void remove_tmp(const char *tmp)
{
	const char *name = strrchr(tmp, '/') + 1;
	sigset_t mask;
	size_t i;

	block_signals(&mask);
	for (i = 0; i < ARRAY_SIZE(replay_tmp.slot); i++) {
		if (!replay_tmp.slot[i].used || strcmp(replay_tmp.slot[i].name, name))
			continue;
		remove_entry(replay_tmp.slot[i].parent, name, DT_DIR, REMOVE_DEPTH);
		close(replay_tmp.slot[i].parent);
		replay_tmp.slot[i].used = false;
		if (--replay_tmp.used == 0)
			restore_signals();
		break;
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

int gc_bundle_sysroot_open(const char *arg, struct gc_bundle_sysroot *s, char **err_msg)
{
	struct stat st;
	char *msg = NULL, *top;
	int dirfd, err;

	*s = (struct gc_bundle_sysroot){ 0 };
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
	if (s->tmp)
		remove_tmp(s->tmp);
	free(s->tmp);
	free(s->dir);
	*s = (struct gc_bundle_sysroot){ 0 };
}
