// SPDX-License-Identifier: GPL-2.0-or-later
/* Temporaries removed when a signal ends the program (sigclean.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sigclean.h"
#include "util.h"

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
 * name length matters, and never through a link. Async-signal-safe (the
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
 * A handler reaches nothing but static storage, so the temporaries live
 * here. Written only while the caught signals are blocked, so the handler
 * never sees a slot half-made.
 */
static struct {
	unsigned used;             /* slots in use; the handler is set while any is */
	struct {
		bool used, tree;
		int parent;        /* the directory holding it (a duplicate) */
		char name[NAME_MAX + 1];
	} slot[GC_SIGCLEAN_SLOTS];
	struct sigaction old[ARRAY_SIZE(caught)];
} temps;

static void remove_slot(size_t i)
{
	if (temps.slot[i].tree)
		remove_entry(temps.slot[i].parent, temps.slot[i].name, DT_DIR, GC_SIGCLEAN_DEPTH);
	else
		unlinkat(temps.slot[i].parent, temps.slot[i].name, 0);
}

/* Remove the temporaries, then die of the signal as if it had not been caught. */
static void on_signal(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(temps.slot); i++)
		if (temps.slot[i].used)
			remove_slot(i);
	sigaction(sig, &dfl, NULL);
	raise(sig);  /* delivered when the handler returns and unblocks it */
}

void gc_sigclean_hold(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(caught); i++)
		sigaddset(&set, caught[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

void gc_sigclean_release(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* Held: catch the signals. Signals ignored stay so. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(caught); i++)
		sigaddset(&sa.sa_mask, caught[i]);
	for (i = 0; i < ARRAY_SIZE(caught); i++) {
		sigaction(caught[i], NULL, &temps.old[i]);
		if (temps.old[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
}

static void restore_signals(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(caught); i++)
		sigaction(caught[i], &temps.old[i], NULL);
}

int gc_sigclean_add(int parent, const char *name, bool tree)
{
	size_t i;

	if (strlen(name) >= sizeof(temps.slot[0].name))
		return -ENAMETOOLONG;
	for (i = 0; i < ARRAY_SIZE(temps.slot); i++) {
		if (temps.slot[i].used)
			continue;
		if ((temps.slot[i].parent = fcntl(parent, F_DUPFD_CLOEXEC, 0)) < 0)
			return -errno;
		strcpy(temps.slot[i].name, name);
		temps.slot[i].tree = tree;
		temps.slot[i].used = true;
		if (temps.used++ == 0)
			catch_signals();
		return (int)i;
	}
	return -EBUSY;
}

int gc_sigclean_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(temps.slot); i++)
		if (temps.slot[i].used && streq(temps.slot[i].name, name))
			return (int)i;
	return -ENOENT;
}

/* With the last, stop catching the signals (one pending then kills as before). */
void gc_sigclean_forget(int slot, bool remove)
{
	sigset_t mask;

	if (slot < 0 || (size_t)slot >= ARRAY_SIZE(temps.slot) || !temps.slot[slot].used)
		return;
	gc_sigclean_hold(&mask);
	if (remove)
		remove_slot((size_t)slot);
	close(temps.slot[slot].parent);
	temps.slot[slot].used = false;
	if (--temps.used == 0)
		restore_signals();
	gc_sigclean_release(&mask);
}

void gc_sigclean_remove_path(const char *path, bool tree)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash || !slash[1])
		return;
	dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return;
	if (tree)
		remove_entry(fd, slash + 1, DT_DIR, GC_SIGCLEAN_DEPTH);
	else
		unlinkat(fd, slash + 1, 0);
	close(fd);
}
