// SPDX-License-Identifier: GPL-2.0-or-later
/* The sysroot-aware file layer (model: util-linux lib/path.c, systemd chase()). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysroot.h"

static int sys_openat2(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = { .flags = (uint64_t)flags, .resolve = resolve };
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

static void load_denied(struct gc_root *r)
{
	char *buf, *line, *save = NULL;

	if (gc_read_file(r, "/" GC_UNREADABLE_LIST, 1u << 20, &buf, NULL) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (line[0] == '/')
			*(char **)xappend(&r->denied, &r->n_denied, sizeof(char *)) = xstrdup(line);
	free(buf);
}

static bool denied(const struct gc_root *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n_denied; i++)
		if (streq(r->denied[i], path))
			return true;
	return false;
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
	/* Kernels before 5.6 lack openat2; then symlinks are followed as openat() does. */
	fd = sys_openat2(r->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, RESOLVE_IN_ROOT);
	r->in_root = fd >= 0;
	if (fd >= 0)
		close(fd);
	if (!r->live)
		load_denied(r);
	return 0;
}

void gc_root_close(struct gc_root *r)
{
	size_t i;

	for (i = 0; i < r->n_denied; i++)
		free(r->denied[i]);
	free(r->denied);
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

void gc_root_record(struct gc_root *r, struct gc_record *rec)
{
	r->rec = rec;
}

void gc_record_free(struct gc_record *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		free(rec->paths[i]);
	free(rec->paths);
	*rec = (struct gc_record){ 0 };
}

static void note(const struct gc_root *r, const char *path)
{
	if (r->rec && path[0] == '/')
		*(char **)xappend(&r->rec->paths, &r->rec->n, sizeof(char *)) = xstrdup(path);
}

static int open_in_root(const struct gc_root *r, const char *path, int flags)
{
	int fd;

	note(r, path);
	flags |= O_CLOEXEC;
	if (r->in_root && !r->live)
		return sys_openat2(r->dirfd, relative(path), flags, RESOLVE_IN_ROOT);
	fd = openat(r->dirfd, relative(path), flags);
	return fd < 0 ? -errno : fd;
}

int gc_open(const struct gc_root *r, const char *path, int extra_flags)
{
	struct stat st;
	int fd;

	if (denied(r, path)) {
		note(r, path);
		return -EACCES;
	}
	/* O_NONBLOCK: a FIFO planted in a bundle must not hang the tool. */
	fd = open_in_root(r, path, O_RDONLY | O_NOCTTY | O_NONBLOCK | extra_flags);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	    (!r->live && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

int gc_read_file(const struct gc_root *r, const char *path, size_t max, char **ret_buf,
		 size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd;

	fd = gc_open(r, path, 0);
	if (fd < 0)
		return fd;
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap > max) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno == EAGAIN ? -EIO : -errno;

			free(buf);
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	buf[len] = '\0';
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
	char *end;
	int err;

	err = gc_read_string(r, path, &s);
	if (err)
		return err;
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

int gc_foreach_line(const struct gc_root *r, const char *path, gc_line_fn fn, void *ctx)
{
	char *line = NULL;
	unsigned no = 0;
	size_t cap = 0;
	FILE *f;
	int err;

	if ((err = gc_fopen(r, path, &f)))
		return err;
	while (getline(&line, &cap, f) > 0)
		if (fn(line, ++no, ctx))
			break;
	err = ferror(f) ? -EIO : 0;
	free(line);
	fclose(f);
	return err;
}

int gc_opendir(const struct gc_root *r, const char *path, DIR **ret)
{
	int fd = open_in_root(r, path, O_RDONLY | O_DIRECTORY);
	DIR *d = NULL;

	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int err = -errno;

		close(fd);
		return err;
	}
	*ret = d;
	return 0;
}

int gc_readlink(const struct gc_root *r, const char *path, char **ret)
{
	char buf[4096];
	ssize_t n;
	int fd;

	fd = open_in_root(r, path, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return fd;
	n = readlinkat(fd, "", buf, sizeof(buf));
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	if ((size_t)n >= sizeof(buf))
		return -ENAMETOOLONG;
	*ret = xstrndup(buf, (size_t)n);
	return 0;
}

int gc_stat(const struct gc_root *r, const char *path, bool follow, unsigned *ret_mode)
{
	struct stat st;
	int fd;

	if (denied(r, path)) {
		note(r, path);
		if (ret_mode)
			*ret_mode = S_IFREG | 0400;
		return 0;
	}
	fd = open_in_root(r, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	if (ret_mode)
		*ret_mode = st.st_mode;
	return 0;
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
