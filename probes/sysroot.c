// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysroot-aware file layer (model: util-linux lib/path.c, systemd chase()).
 *
 * Below a tree every path is resolved as if the tree were "/": "..", relative
 * and absolute symlinks all stay inside. openat2(RESOLVE_IN_ROOT) does that
 * in the kernel (Linux 5.6+); without it (ENOSYS on RHEL 8's 4.18 and CentOS
 * 7's 3.10, or built without <linux/openat2.h>) walk_in_root() does the same
 * one component at a time with O_NOFOLLOW, reading each link and resolving
 * its target against the tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#endif
#endif

#include "sysroot.h"

/* Kernel headers before 5.6 lack these; the ABI is fixed (include/uapi/linux/openat2.h). */
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
struct open_how {
	uint64_t flags, mode, resolve;
};
#endif
#if !defined(SYS_openat2) && defined(__x86_64__)
#define SYS_openat2 437  /* arch/x86/entry/syscalls/syscall_64.tbl */
#endif

/* The directories of the last paths looked up, held open (held_parent()). */
#define GC_HELD_DIRS 4
struct gc_dircache {
	struct {
		char *path;     /* as the callers spelled it; "" for the root */
		int fd;         /* O_PATH | O_DIRECTORY; -1: free */
		unsigned long used;
	} d[GC_HELD_DIRS];
	unsigned long clock;
};

/* As the kernel's MAXSYMLINKS (include/linux/namei.h). */
#define GC_MAX_LINKS 40

static int sys_openat2(int dirfd, const char *path, int flags, uint64_t resolve)
{
#ifdef SYS_openat2
	struct open_how how = { .flags = (uint64_t)flags, .resolve = resolve };
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
#else
	(void)dirfd, (void)path, (void)flags, (void)resolve;
	return -ENOSYS;
#endif
}

/* The directories walked so far: [0] is the root (not owned), ".." pops. */
struct walk {
	int fd[PATH_MAX / 2];
	size_t n;
	char canon[PATH_MAX];   /* "/a/b" of the directories in fd[1..] */
};

static int walk_top(const struct walk *w)
{
	return w->fd[w->n - 1];
}

static void walk_pop(struct walk *w, bool to_root)
{
	while (w->n > 1) {
		char *slash = strrchr(w->canon, '/');

		close(w->fd[--w->n]);
		if (slash)
			*slash = '\0';
		if (!to_root)
			break;
	}
}

static int walk_push(struct walk *w, int fd, const char *name)
{
	size_t len = strlen(w->canon);

	if (w->n == ARRAY_SIZE(w->fd) || len + 1 + strlen(name) >= sizeof(w->canon)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	w->fd[w->n++] = fd;
	snprintf(w->canon + len, sizeof(w->canon) - len, "/%s", name);
	return 0;
}

static void walk_end(struct walk *w)
{
	walk_pop(w, true);
}

/*
 * Resolve path below the root the way RESOLVE_IN_ROOT does. On success the
 * directory holding the last component is walk_top(w) and its name is in
 * last ("" when the path names a directory already walked, e.g. "/" or
 * "/a/.."); a symlink as last component is resolved only when follow.
 * With partial, a missing component ends the walk successfully: canon then
 * holds the resolved prefix and the rest appended as written, the name the
 * layer compares against .unreadable.
 */
static int walk_in_root(const struct gc_root *r, const char *path, bool follow, bool partial,
			struct walk *w, char last[NAME_MAX + 1])
{
	char *todo = xstrdup(path), *p = todo;
	unsigned links = 0;
	int err = 0;

	w->fd[0] = r->dirfd;
	w->n = 1;
	w->canon[0] = '\0';
	last[0] = '\0';
	for (;;) {
		char name[NAME_MAX + 1], target[PATH_MAX];
		const char *rest;
		struct stat st;
		size_t len;
		ssize_t tl;
		bool is_last;
		int fd;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		len = strcspn(p, "/");
		if (len > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		rest = p + len;
		is_last = !rest[strspn(rest, "/")];
		p += len;
		if (streq(name, "."))
			continue;
		if (streq(name, "..")) {
			walk_pop(w, false);  /* ".." of the root is the root */
			continue;
		}
		fd = openat(walk_top(w), name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			err = -errno;
			if (fd >= 0)
				close(fd);
			if (partial && err == -ENOENT) {
				size_t cl = strlen(w->canon);

				snprintf(w->canon + cl, sizeof(w->canon) - cl, "/%s%s", name, rest);
				err = 0;
			}
			break;
		}
		if (S_ISLNK(st.st_mode) && (!is_last || follow)) {
			char *next;

			tl = readlinkat(fd, "", target, sizeof(target));
			close(fd);
			if (tl < 0 || (size_t)tl >= sizeof(target) || ++links > GC_MAX_LINKS) {
				err = tl < 0 ? -errno : (size_t)tl >= sizeof(target) ? -ENAMETOOLONG : -ELOOP;
				break;
			}
			target[tl] = '\0';
			if (target[0] == '/')
				walk_pop(w, true);  /* absolute: from the root of the tree */
			next = xasprintf("%s%s", target, rest);
			free(todo);
			p = todo = next;
			continue;
		}
		if (is_last) {
			close(fd);
			memcpy(last, name, len + 1);
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			err = -ENOTDIR;
			break;
		}
		if ((err = walk_push(w, fd, name)))
			break;
	}
	free(todo);
	if (err)
		walk_end(w);
	return err;
}

static int open_walked(const struct gc_root *r, const char *path, int flags)
{
	char last[NAME_MAX + 1];
	struct walk w;
	int fd, err;

	err = walk_in_root(r, path, !(flags & O_NOFOLLOW), false, &w, last);
	if (err)
		return err;
	/* The last component is no link to follow now: O_NOFOLLOW keeps it so. */
	fd = openat(walk_top(&w), last[0] ? last : ".", flags | O_NOFOLLOW);
	err = fd < 0 ? -errno : fd;
	walk_end(&w);
	return err;
}

/*
 * The canonical spelling of path in the tree (links resolved inside it,
 * missing tail kept as written): "/sys/bus/pci/devices/X/msi_irqs" and
 * "/sys/devices/pci0000:00/X/msi_irqs" are the same directory.
 */
char *gc_canonical(const struct gc_root *r, const char *path)
{
	char last[NAME_MAX + 1];
	struct walk w;
	char *c;

	if (walk_in_root(r, path, true, true, &w, last) < 0)
		return NULL;
	c = last[0] ? xasprintf("%s/%s", w.canon, last) : xstrdup(w.canon[0] ? w.canon : "/");
	walk_end(&w);
	return c;
}

static void load_denied(struct gc_root *r)
{
	char *buf, *line, *save = NULL;

	if (gc_read_file(r, "/" GC_UNREADABLE_LIST, 1u << 20, &buf, NULL) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c;

		if (line[0] != '/')
			continue;
		*(char **)xappend(&r->denied, &r->n_denied, sizeof(char *)) = xstrdup(line);
		c = gc_canonical(r, line);
		if (c && !streq(c, line))
			*(char **)xappend(&r->denied, &r->n_denied, sizeof(char *)) = c;
		else
			free(c);
	}
	free(buf);
}

/* path is entry or lies below it (a directory the capture could not list). */
static bool covers(const char *entry, const char *path, bool *below)
{
	size_t n = strlen(entry);

	while (n > 1 && entry[n - 1] == '/')
		n--;
	if (strncmp(entry, path, n) != 0)
		return false;
	if (!path[n] || (path[n] == '/' && !path[n + strspn(path + n, "/")]))
		return true;
	if (path[n] == '/' || (n == 1 && entry[0] == '/')) {
		*below = true;
		return true;
	}
	return false;
}

/* 1: path itself is listed; 2: it lies below a listed directory; 0: neither. */
static int denied(const struct gc_root *r, const char *path)
{
	char *c = NULL;
	int hit = 0;
	size_t i;

	if (!r->n_denied)
		return 0;
	for (i = 0; i < r->n_denied && !hit; i++) {
		bool below = false;

		if (covers(r->denied[i], path, &below))
			hit = below ? 2 : 1;
	}
	if (!hit && (c = gc_canonical(r, path)))
		for (i = 0; i < r->n_denied && !hit; i++) {
			bool below = false;

			if (covers(r->denied[i], c, &below))
				hit = below ? 2 : 1;
		}
	free(c);
	return hit;
}

static void load_not_captured(struct gc_root *r)
{
	char *buf, *line, *save = NULL;

	if (gc_read_file(r, "/" GC_NOT_CAPTURED_LIST, 16u << 20, &buf, NULL) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		long err = strtol(line, &end, 10);

		if (err > 0 && err < 4096 && end[0] == ' ' && end[1] == '/')
			*(struct gc_not_captured *)xappend(&r->not_captured, &r->n_not_captured,
							   sizeof(struct gc_not_captured)) =
				(struct gc_not_captured){ xstrdup(end + 1), -(int)err };
	}
	free(buf);
}

static void load_size_only(struct gc_root *r)
{
	char *buf, *line, *save = NULL;

	if (gc_read_file(r, "/" GC_SIZE_ONLY_LIST, 16u << 20, &buf, NULL) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		long long size;

		errno = 0;
		size = strtoll(line, &end, 10);
		if (!errno && size > 0 && end[0] == ' ' && end[1] == '/')
			*(struct gc_size_only *)xappend(&r->size_only, &r->n_size_only, sizeof(struct gc_size_only)) =
				(struct gc_size_only){ xstrdup(end + 1), size };
	}
	free(buf);
}

/* The size a bundle recorded for a file it holds no bytes of (path or its canonical spelling), or 0. */
static int64_t size_only(const struct gc_root *r, const char *path)
{
	int64_t size = 0;
	char *c = NULL;
	size_t i;

	for (i = 0; i < r->n_size_only && !size; i++)
		if (streq(r->size_only[i].path, path))
			size = r->size_only[i].size;
	if (!size && r->n_size_only && (c = gc_canonical(r, path)))
		for (i = 0; i < r->n_size_only && !size; i++)
			if (streq(r->size_only[i].path, c))
				size = r->size_only[i].size;
	free(c);
	return size;
}

/* The errno a bundle recorded for path, or 0. */
static int not_captured(const struct gc_root *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n_not_captured; i++)
		if (streq(r->not_captured[i].path, path))
			return r->not_captured[i].err;
	return 0;
}

int gc_root_open(struct gc_root *r, const char *dir)
{
	int fd;

	*r = (struct gc_root){ .dirfd = -1 };
	r->live = dir == NULL;
	r->dir = xstrdup(dir ? dir : "/");
	fd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		free(r->dir);
		r->dir = NULL;
		return err;
	}
	r->dirfd = fd;
	r->held = xcalloc(1, sizeof(*r->held));
	for (size_t i = 0; i < GC_HELD_DIRS; i++)
		r->held->d[i].fd = -1;
	/* Kernels before 5.6 lack openat2: walk_in_root() then confines the reads. */
	if (r->live)
		return 0;
	fd = sys_openat2(r->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, RESOLVE_IN_ROOT);
	r->in_root = fd >= 0 && !getenv("AIC_GUESTCHECK_NO_OPENAT2");
	if (fd >= 0)
		close(fd);
	load_denied(r);
	if (!r->live) {
		load_not_captured(r);
		load_size_only(r);
	}
	return 0;
}

void gc_root_close(struct gc_root *r)
{
	size_t i;

	for (i = 0; i < r->n_denied; i++)
		free(r->denied[i]);
	free(r->denied);
	for (i = 0; i < r->n_not_captured; i++)
		free(r->not_captured[i].path);
	free(r->not_captured);
	for (i = 0; i < r->n_size_only; i++)
		free(r->size_only[i].path);
	free(r->size_only);
	gc_root_forget(r);
	free(r->held);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->dir);
	*r = (struct gc_root){ .dirfd = -1 };
}

static const char *relative(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

void gc_root_forget(const struct gc_root *r)
{
	for (size_t i = 0; r->held && i < GC_HELD_DIRS; i++) {
		if (r->held->d[i].fd >= 0)
			close(r->held->d[i].fd);
		free(r->held->d[i].path);
		r->held->d[i].path = NULL;
		r->held->d[i].fd = -1;
		r->held->d[i].used = 0;
	}
}

void gc_root_record(struct gc_root *r, struct gc_record *rec)
{
	r->rec = rec;
}

void gc_record_free(struct gc_record *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++) {
		free(rec->e[i].path);
		free(rec->e[i].data);
	}
	free(rec->e);
	*rec = (struct gc_record){ 0 };
}

static void note(const struct gc_root *r, const char *path)
{
	if (r->rec && path[0] == '/')
		((struct gc_record_entry *)xappend(&r->rec->e, &r->rec->n, sizeof(*r->rec->e)))->path = xstrdup(path);
}

/* A path looked at (stat) only: the bundle may keep its size without its bytes. */
static void note_look(const struct gc_root *r, const char *path)
{
	note(r, path);
	if (r->rec && path[0] == '/')
		r->rec->e[r->rec->n - 1].looked = true;
}

/* Keep what a whole read of the path noted last gave (gc_read_file). */
static void note_bytes(const struct gc_root *r, size_t noted_before, const char *buf, size_t len,
		       unsigned lmode)
{
	struct gc_record *rec = r->rec;

	if (!rec || rec->n != noted_before + 1 || len > GC_RECORD_KEEP_FILE ||
	    rec->kept + len > GC_RECORD_KEEP_TOTAL)
		return;
	rec->e[noted_before].data = memcpy(xmalloc(len + 1), buf, len + 1);
	rec->e[noted_before].len = len;
	rec->e[noted_before].lmode = lmode;
	rec->kept += len;
}

static int open_full(const struct gc_root *r, const char *path, int flags)
{
	int fd;

	flags |= O_CLOEXEC;
	if (r->live) {
		fd = openat(r->dirfd, relative(path), flags);
		return fd < 0 ? -errno : fd;
	}
	if (r->in_root) {
		/*
		 * openat2 fails a scoped ".." with EAGAIN when any rename or
		 * mount on the system raced with the walk (openat2(2)); on a
		 * busy machine that happens. Retry, then walk ourselves.
		 */
		for (int i = 0; i < 8; i++) {
			fd = sys_openat2(r->dirfd, relative(path), flags, RESOLVE_IN_ROOT);
			if (fd != -EAGAIN)
				return fd;
		}
	}
	return open_walked(r, path, flags);
}

/*
 * The directories of the last paths looked up, held open. Files are mostly
 * read a directory at a time (a PCI function's attributes, then the
 * bundle's copy of them, while it lists another directory), and below a
 * held directory a lookup is one component, not a walk from the root
 * again. A directory is opened by the full walk, so it is the one the
 * whole path resolves to; the last component is then opened with
 * O_NOFOLLOW, and a link there is left to the full walk, which resolves it
 * inside the tree.
 */
static int held_parent(const struct gc_root *r, const char *path, const char **ret_name)
{
	struct gc_dircache *h = r->held;
	const char *slash = strrchr(path, '/'), *name;
	size_t plen, i, victim = 0;
	char *dir;
	int fd;

	/* Live, the full walk is one openat() already, and a directory the kernel re-creates must be seen anew. */
	if (!h || r->live || path[0] != '/' || !slash)
		return -1;
	name = slash + 1;
	if (!*name || streq(name, ".") || streq(name, ".."))
		return -1;
	plen = (size_t)(slash - path);
	for (i = 0; i < GC_HELD_DIRS; i++) {
		if (h->d[i].fd >= 0 && strlen(h->d[i].path) == plen && memcmp(h->d[i].path, path, plen) == 0) {
			h->d[i].used = ++h->clock;
			*ret_name = name;
			return h->d[i].fd;
		}
		if (h->d[i].used < h->d[victim].used)
			victim = i;
	}
	dir = xstrndup(path, plen);
	fd = open_full(r, plen ? dir : "/", O_PATH | O_DIRECTORY);
	if (fd < 0) {
		free(dir);
		return -1;
	}
	if (h->d[victim].fd >= 0)
		close(h->d[victim].fd);
	free(h->d[victim].path);
	h->d[victim].path = dir;
	h->d[victim].fd = fd;
	h->d[victim].used = ++h->clock;
	*ret_name = name;
	return fd;
}

static int open_unnoted(const struct gc_root *r, const char *path, int flags)
{
	const char *name;
	int dfd = held_parent(r, path, &name), fd;

	if (dfd < 0)
		return open_full(r, path, flags);
	fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (flags & O_NOFOLLOW)
		return fd < 0 ? -errno : fd;
	/* A link in the last place (ELOOP; ENOTDIR with O_DIRECTORY): the walk follows it. */
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		return open_full(r, path, flags);
	if (fd < 0)
		return -errno;
	if (flags & O_PATH) {
		struct stat st;

		if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
			close(fd);
			return open_full(r, path, flags);
		}
	}
	return fd;
}

/*
 * lstat, or stat following links inside the tree. *ret_lmode: the mode of
 * the last component itself when this learnt it is no link, else 0.
 */
static int stat_unnoted(const struct gc_root *r, const char *path, bool follow, struct stat *st,
			unsigned *ret_lmode)
{
	const char *name;
	int dfd = held_parent(r, path, &name), fd, err = 0;

	if (ret_lmode)
		*ret_lmode = 0;
	if (dfd >= 0) {
		if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (ret_lmode && !S_ISLNK(st->st_mode))
			*ret_lmode = st->st_mode;
		if (!follow || !S_ISLNK(st->st_mode))
			return 0;
	}
	fd = open_full(r, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int open_in_root(const struct gc_root *r, const char *path, int flags)
{
	note(r, path);
	return open_unnoted(r, path, flags);
}

/* Regular files and directories only below a tree; never FIFOs or sockets. */
static int check_mode(const struct gc_root *r, unsigned mode, bool dir)
{
	if (dir)
		return S_ISDIR(mode) ? 0 : -ENOTDIR;
	if (S_ISFIFO(mode) || S_ISSOCK(mode) || (!r->live && (S_ISCHR(mode) || S_ISBLK(mode))))
		return -EINVAL;
	return 0;
}

static int check_type(const struct gc_root *r, int fd, bool dir, struct stat *st)
{
	if (fstat(fd, st) < 0)
		return -errno;
	return check_mode(r, st->st_mode, dir);
}

/* gc_open, and the opened file's stat. */
static int open_file(const struct gc_root *r, const char *path, int extra_flags, struct stat *st,
		     unsigned *ret_lmode)
{
	int fd, err;

	note(r, path);
	if (denied(r, path))
		return -EACCES;
	if ((fd = not_captured(r, path)))
		return fd;
	/*
	 * Look before opening: a stat opens nothing, so a FIFO, socket or
	 * device node planted in a bundle is refused without being opened
	 * (opening a device can act: a tape rewinds). O_NONBLOCK and the
	 * second check cover a swap in between.
	 */
	if ((err = stat_unnoted(r, path, !(extra_flags & O_NOFOLLOW), st, ret_lmode)) ||
	    (err = check_mode(r, st->st_mode, false)))
		return err;
	/* A bundle's empty stand-in for a file it holds the size of only: its bytes were not taken. */
	if (r->n_size_only && S_ISREG(st->st_mode) && st->st_size == 0 && size_only(r, path))
		return -ENODATA;
	fd = open_unnoted(r, path, O_RDONLY | O_NOCTTY | O_NONBLOCK | extra_flags);
	if (fd < 0)
		return fd;
	if ((err = check_type(r, fd, false, st))) {
		close(fd);
		return err;
	}
	return fd;
}

int gc_open(const struct gc_root *r, const char *path, int extra_flags)
{
	struct stat st;

	return open_file(r, path, extra_flags, &st, NULL);
}

int gc_read_file(const struct gc_root *r, const char *path, size_t max, char **ret_buf,
		 size_t *ret_len)
{
	size_t len = 0, cap = 4096, noted = r->rec ? r->rec->n : 0;
	unsigned lmode = 0;
	struct stat st;
	char *buf;
	int fd;

	fd = open_file(r, path, 0, &st, &lmode);
	if (fd < 0)
		return fd;
	/* A tree's files are plain files whose size is true (sysfs and /proc ones are not). */
	if (!r->live && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *bigger;

			if (cap > max) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			cap *= 2;
			bigger = realloc(buf, cap + 1);
			if (!bigger) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = bigger;
		}
		n = gc_read_some(fd, buf + len, cap - len);
		if (n < 0) {
			int err = (int)n;

			free(buf);
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		/* Read to the size the tree's file had when opened, as tar does: no read for the end. */
		if (!r->live && S_ISREG(st.st_mode) && st.st_size > 0 && len == (uint64_t)st.st_size)
			break;
	}
	close(fd);
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	buf[len] = '\0';
	note_bytes(r, noted, buf, len, lmode);
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int gc_read_string(const struct gc_root *r, const char *path, char **ret)
{
	size_t len;
	char *buf;
	int err;

	err = gc_read_file(r, path, 65536, &buf, &len);
	if (err)
		return err;
	if (memchr(buf, '\0', len)) {
		free(buf);
		return -EINVAL;
	}
	*ret = strstrip_right(buf);
	return 0;
}

int gc_read_u64(const struct gc_root *r, const char *path, int base, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	unsigned long long v;
	size_t len;
	char *end;
	int err;

	err = gc_read_file(r, path, 65536, &s, &len);
	if (err)
		return err;
	/*
	 * A sysfs number always ends in a newline (the show functions print
	 * "%llx\n", "0x%04x\n"...): without it the value was cut, and a cut hex
	 * number is another number (CAP "d2" of "d2008c22260462").
	 */
	if (!len || s[len - 1] != '\n' || memchr(s, '\0', len))
		return -EINVAL;
	strstrip_right(s);
	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int gc_fopen(const struct gc_root *r, const char *path, FILE **ret)
{
	int fd = gc_open(r, path, 0);
	FILE *f;

	if (fd < 0)
		return fd;
	f = fdopen(fd, "r");
	if (!f) {
		int err = -errno;

		close(fd);
		return err;
	}
	*ret = f;
	return 0;
}

/* Hand buf[0..len) to fn as one NUL-terminated line; NUL bytes inside become '?'. */
static int deliver(char *buf, size_t len, unsigned no, gc_line_fn fn, void *ctx)
{
	char *z, saved = buf[len];
	int stop;

	for (z = memchr(buf, '\0', len); z; z = memchr(z, '\0', len - (size_t)(z - buf)))
		*z = '?';
	buf[len] = '\0';
	stop = fn(buf, no, ctx);
	buf[len] = saved;
	return stop;
}

int gc_foreach_line_cut(const struct gc_root *r, const char *path, gc_line_fn fn, void *ctx,
			unsigned long *ret_cut)
{
	size_t len = 0, start;
	unsigned long cut = 0;
	bool skipping = false, stop = false;
	unsigned no = 0;
	int fd, err = 0;
	char *buf;

	if (ret_cut)
		*ret_cut = 0;
	/* One buffer, allocated once: a long line costs nothing more (ENOMEM is an error, not EOF). */
	buf = malloc(GC_LINE_MAX + 2);
	if (!buf)
		return -ENOMEM;
	fd = gc_open(r, path, 0);
	if (fd < 0) {
		free(buf);
		return fd;
	}
	while (!stop) {
		ssize_t n = gc_read_some(fd, buf + len, GC_LINE_MAX + 1 - len);
		char *nl;

		if (n < 0) {
			err = (int)n;
			break;
		}
		if (n == 0) {
			if (len && !skipping)
				deliver(buf, len, ++no, fn, ctx);
			break;
		}
		len += (size_t)n;
		start = 0;
		while (!stop && (nl = memchr(buf + start, '\n', len - start))) {
			size_t end = (size_t)(nl - buf) + 1;

			if (skipping)
				skipping = false;  /* the tail of a cut line */
			else
				stop = deliver(buf + start, end - start, ++no, fn, ctx) != 0;
			start = end;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len > GC_LINE_MAX) {
			/* No newline in GC_LINE_MAX bytes: pass the head once, skip to the next newline. */
			if (!skipping) {
				stop = deliver(buf, GC_LINE_MAX, ++no, fn, ctx) != 0;
				cut++;
			}
			skipping = true;
			len = 0;
		}
	}
	close(fd);
	free(buf);
	if (ret_cut)
		*ret_cut = cut;
	return err;
}

int gc_foreach_line(const struct gc_root *r, const char *path, gc_line_fn fn, void *ctx)
{
	return gc_foreach_line_cut(r, path, fn, ctx, NULL);
}

int gc_opendir(const struct gc_root *r, const char *path, DIR **ret)
{
	struct stat st;
	DIR *d = NULL;
	int fd, err;

	if (denied(r, path)) {
		note(r, path);
		return -EACCES;
	}
	if ((fd = not_captured(r, path))) {
		note(r, path);
		return fd;
	}
	fd = open_in_root(r, path, O_RDONLY | O_DIRECTORY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	if ((err = check_type(r, fd, true, &st))) {
		close(fd);
		return err;
	}
	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
	*ret = d;
	return 0;
}

int gc_readlink(const struct gc_root *r, const char *path, char **ret)
{
	char buf[4096];
	const char *name;
	ssize_t n;
	int fd;

	note(r, path);
	if ((fd = held_parent(r, path, &name)) >= 0) {
		n = readlinkat(fd, name, buf, sizeof(buf));
		if (n < 0)
			return -errno;
	} else {
		int err;

		fd = open_full(r, path, O_PATH | O_NOFOLLOW);
		if (fd < 0)
			return fd;
		n = readlinkat(fd, "", buf, sizeof(buf));
		err = n < 0 ? -errno : 0;
		close(fd);
		if (err)
			return err;
	}
	if ((size_t)n >= sizeof(buf))
		return -ENAMETOOLONG;
	*ret = xstrndup(buf, (size_t)n);
	return 0;
}

int gc_stat_size(const struct gc_root *r, const char *path, bool follow, unsigned *ret_mode, int64_t *ret_size)
{
	struct stat st;
	int64_t recorded;
	int err, hit;

	note_look(r, path);
	hit = denied(r, path);
	if (hit == 2)  /* below a directory the capture could not list */
		return -EACCES;
	err = stat_unnoted(r, path, follow, &st, NULL);
	if (err && hit) {
		/* Listed as unreadable: it exists, though the capture holds no copy. */
		if (ret_mode)
			*ret_mode = S_IFREG | 0400;
		if (ret_size)
			*ret_size = -1;
		return 0;
	}
	if (err)
		return err;
	/* A bundle's stand-in for a file it took the size of only. */
	if (S_ISREG(st.st_mode) && st.st_size == 0 && r->n_size_only && (recorded = size_only(r, path)))
		st.st_size = recorded;
	if (ret_mode)
		*ret_mode = st.st_mode;
	if (ret_size)
		*ret_size = st.st_size;
	return 0;
}

int gc_stat(const struct gc_root *r, const char *path, bool follow, unsigned *ret_mode)
{
	return gc_stat_size(r, path, follow, ret_mode, NULL);
}

int gc_access(const struct gc_root *r, const char *path)
{
	return gc_stat(r, path, true, NULL);
}

char *gc_host_path(const struct gc_root *r, const char *path)
{
	if (r->live)
		return xstrdup(path);
	return xasprintf("%s/%s", r->dir, relative(path));
}

int gc_pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	return (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int gc_count_entries(const struct gc_root *r, const char *path)
{
	struct dirent *de;
	DIR *d = NULL;
	int n = 0, err;

	err = gc_opendir(r, path, &d);
	if (err)
		return err;
	/* Dot files are no sysfs entries (fixtures keep empty directories with a .keep). */
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}
