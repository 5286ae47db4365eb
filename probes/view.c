// SPDX-License-Identifier: GPL-2.0-or-later
/* Private views: a temporary directory of plain files copied through the file layer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sigclean.h"
#include "view.h"

/* The directory is removed on SIGHUP, SIGINT and SIGTERM too (sigclean.h), until gc_view_remove. */
int gc_view_create(char **ret_dir)
{
	const char *tmp = getenv("TMPDIR");
	sigset_t mask;
	char *dir;
	int parent, err = 0;

	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	parent = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0)
		return -errno;
	dir = xasprintf("%s/aic-guestcheck.XXXXXX", tmp);
	gc_sigclean_hold(&mask);
	if (!mkdtemp(dir))
		err = -errno;
	else
		gc_sigclean_add(parent, strrchr(dir, '/') + 1, true);  /* no slot: removed on exit only */
	gc_sigclean_release(&mask);
	close(parent);
	if (err) {
		free(dir);
		return err;
	}
	*ret_dir = dir;
	return 0;
}

/* Create the directories of rel below view; return an fd of the last one's parent. */
static int make_parents(const char *view, const char *rel, const char **ret_name)
{
	char *copy = xstrdup(rel), *p = copy, *slash;
	int fd = open(view, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	while (fd >= 0 && (slash = strchr(p, '/'))) {
		int next;

		*slash = '\0';
		if (!*p || streq(p, ".") || streq(p, "..")) {
			close(fd);
			fd = -1;
			errno = EINVAL;
			break;
		}
		if (mkdirat(fd, p, 0700) < 0 && errno != EEXIST) {
			close(fd);
			fd = -1;
			break;
		}
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	if (fd < 0) {
		int err = -errno;

		free(copy);
		return err;
	}
	*ret_name = rel + (p - copy);
	free(copy);
	return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new file name in directory dfd, mode 0600; never through a link, never over a file. */
static int create_at(int dfd, const char *name)
{
	int fd;

	if (!*name || strchr(name, '/') || streq(name, ".") || streq(name, ".."))
		return -EINVAL;
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

/* The directory of path below view (made on the way) and the last component's name. */
static int parent_of(const char *view, const char *path, const char **ret_name)
{
	while (*path == '/')
		path++;
	return make_parents(view, path, ret_name);
}

int gc_view_dir(const char *view, const char *path)
{
	char *withslash = xasprintf("%s/", path + strspn(path, "/"));
	const char *name;
	int fd = make_parents(view, withslash, &name);

	free(withslash);
	return fd;
}

int gc_view_mkdir(const char *view, const char *path)
{
	int fd = gc_view_dir(view, path);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int gc_view_subdir(int dfd, const char *name)
{
	int fd;

	if (!*name || strchr(name, '/') || streq(name, ".") || streq(name, ".."))
		return -EINVAL;
	if (mkdirat(dfd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int gc_view_write_at(int dfd, const char *name, const void *data, size_t len)
{
	int fd = create_at(dfd, name), err;

	if (fd < 0)
		return fd;
	err = write_all(fd, data, len);
	close(fd);
	if (err)
		unlinkat(dfd, name, 0);
	return err;
}

int gc_view_write(const char *view, const char *path, const void *data, size_t len)
{
	const char *name = NULL;
	int dfd = parent_of(view, path, &name), err;

	if (dfd < 0)
		return dfd;
	err = gc_view_write_at(dfd, name, data, len);
	close(dfd);
	return err;
}

int gc_view_copy_at(const struct gc_root *r, int dfd, const char *name, const char *path, size_t max)
{
	size_t total = 0;
	char buf[65536];
	int in, out, err = 0;

	in = gc_open(r, path, 0);
	if (in < 0)
		return in;
	out = create_at(dfd, name);
	if (out < 0) {
		close(in);
		return out;
	}
	for (;;) {
		ssize_t n = gc_read_some(in, buf, sizeof(buf));

		if (n < 0) {
			err = (int)n;
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			err = -EFBIG;
			break;
		}
		if ((err = write_all(out, buf, (size_t)n)))
			break;
	}
	close(in);
	close(out);
	if (err)
		unlinkat(dfd, name, 0);  /* no half file for the library to misread */
	return err;
}

int gc_view_copy(const struct gc_root *r, const char *view, const char *path, size_t max)
{
	const char *name = NULL;
	int dfd = parent_of(view, path, &name), err;

	if (dfd < 0)
		return dfd;
	err = gc_view_copy_at(r, dfd, name, path, max);
	close(dfd);
	return err;
}

void gc_view_remove(char *dir)
{
	int slot;

	if (!dir)
		return;
	if ((slot = gc_sigclean_find(strrchr(dir, '/') + 1)) >= 0)
		gc_sigclean_forget(slot, true);
	else
		gc_sigclean_remove_path(dir, true);
	free(dir);
}
