// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * openguard: an LD_PRELOAD library for the hostile-input tests. It wraps
 * every libc entry that opens a file (open*, openat*, __open*_2, fopen*,
 * opendir, and syscall() for openat2) and checks each opened fd by what
 * /proc/self/fd says it is: it must lie below GUARD_ROOT (the tree) or one
 * of GUARD_ALLOW (colon-separated: the private temporary directory, the
 * data directory, /dev/null), and below GUARD_ROOT it must not be a FIFO,
 * socket or device node. A FIFO about to be opened without O_NONBLOCK is
 * refused (EACCES) before it can block. Every violation is appended to
 * GUARD_LOG; the test fails when that file is not empty. With GUARD_TRACE
 * set, every file and directory opened below GUARD_ROOT is appended to that
 * file too (the mutation test learns from it which files a run reads).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* glibc's fortified entries (-D_FORTIFY_SOURCE), declared by no header. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static long (*real_syscall)(long, ...);

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n && strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void append(const char *log, const char *what, const char *path)
{
	char line[PATH_MAX + 64];
	int fd, n;

	if (!log)
		return;
	if (!real_syscall)
		real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	n = snprintf(line, sizeof(line), "%s %s\n", what, path);
	fd = (int)real_syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) < 0)
			n = 0;
		close(fd);
	}
}

static void report(const char *what, const char *path)
{
	append(getenv("GUARD_LOG"), what, path);
}

static bool allowed(const char *path)
{
	const char *allow = getenv("GUARD_ALLOW");
	char buf[PATH_MAX * 4];
	char *save = NULL, *dir;

	if (!allow)
		return false;
	snprintf(buf, sizeof(buf), "%s", allow);
	for (dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		if (*dir && under(path, dir))
			return true;
	return false;
}

/* After a successful open: where did the fd land? */
static void check_fd(int fd, const char *asked, int flags)
{
	const char *root = getenv("GUARD_ROOT");
	char link[64], path[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fd < 0 || !root)
		return;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return;
	path[n] = '\0';
	if (under(path, root)) {
		if (!(flags & O_PATH))
			append(getenv("GUARD_TRACE"), "read", path);
		/* An O_PATH fd opens nothing: only real opens of special files count. */
		if (!(flags & O_PATH) && fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
					    S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
			report("special-file", path);
		return;
	}
	if (!allowed(path)) {
		char both[PATH_MAX * 2 + 8];

		snprintf(both, sizeof(both), "%s (asked %s)", path, asked ? asked : "?");
		report("outside", both);
	}
}

/* Before an open that could block: a FIFO without O_NONBLOCK. */
static bool would_block(int dirfd, const char *path, int flags)
{
	struct stat st;

	if (!path || (flags & (O_NONBLOCK | O_PATH)))
		return false;
	if (fstatat(dirfd, path, &st, 0) == 0 && S_ISFIFO(st.st_mode)) {
		report("blocking-fifo", path);
		return true;
	}
	return false;
}

static int guarded_openat(const char *sym, int dirfd, const char *path, int flags, mode_t mode)
{
	typedef int (*fn_t)(int, const char *, int, ...);
	fn_t real = (fn_t)dlsym(RTLD_NEXT, sym);
	int fd;

	if (would_block(dirfd, path, flags)) {
		errno = EACCES;
		return -1;
	}
	fd = real(dirfd, path, flags, mode);
	check_fd(fd, path, flags);
	return fd;
}

#define MODE_ARG(flags) \
	mode_t mode = 0; \
	if ((flags) & (O_CREAT | __O_TMPFILE)) { \
		va_list ap; \
		va_start(ap, flags); \
		mode = va_arg(ap, mode_t); \
		va_end(ap); \
	}

static int guarded_open(const char *sym, const char *path, int flags, mode_t mode)
{
	typedef int (*fn_t)(const char *, int, ...);
	fn_t real = (fn_t)dlsym(RTLD_NEXT, sym);
	int fd;

	if (would_block(AT_FDCWD, path, flags)) {
		errno = EACCES;
		return -1;
	}
	fd = real(path, flags, mode);
	check_fd(fd, path, flags);
	return fd;
}

int open(const char *path, int flags, ...)
{
	MODE_ARG(flags);
	return guarded_open("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	MODE_ARG(flags);
	return guarded_open("open64", path, flags, mode);
}

int __open_2(const char *path, int flags)
{
	return guarded_open("open", path, flags, 0);
}

int __open64_2(const char *path, int flags)
{
	return guarded_open("open64", path, flags, 0);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags);
	return guarded_openat("openat", dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags);
	return guarded_openat("openat64", dirfd, path, flags, mode);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	return guarded_openat("openat", dirfd, path, flags, 0);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
	return guarded_openat("openat64", dirfd, path, flags, 0);
}

static FILE *guarded_fopen(const char *sym, const char *path, const char *mode)
{
	typedef FILE *(*fn_t)(const char *, const char *);
	fn_t real = (fn_t)dlsym(RTLD_NEXT, sym);
	FILE *f;

	if (would_block(AT_FDCWD, path, strchr(mode, 'w') || strchr(mode, 'a') ? O_WRONLY : O_RDONLY)) {
		errno = EACCES;
		return NULL;
	}
	f = real(path, mode);
	if (f)
		check_fd(fileno(f), path, 0);
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	return guarded_fopen("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	return guarded_fopen("fopen64", path, mode);
}

DIR *opendir(const char *path)
{
	typedef DIR *(*fn_t)(const char *);
	fn_t real = (fn_t)dlsym(RTLD_NEXT, "opendir");
	DIR *d = real(path);

	if (d)
		check_fd(dirfd(d), path, O_DIRECTORY);
	return d;
}

long syscall(long n, ...)
{
	long a[6];
	va_list ap;
	long ret;
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real_syscall)
		real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	ret = real_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (n == SYS_openat2 && ret >= 0)
		check_fd((int)ret, (const char *)a[1], (int)*(const unsigned long long *)a[2]);
	return ret;
}
