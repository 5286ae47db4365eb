// SPDX-License-Identifier: GPL-2.0-or-later
/* Private views: a temporary directory of plain files copied through the file layer. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "view.h"

int gc_view_create(char **ret_dir)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	dir = xasprintf("%s/aic-guestcheck.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		int err = -errno;

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

static int create(const char *view, const char *path, int *ret_fd)
{
	const char *name = NULL;
	int dfd, fd;

	while (*path == '/')
		path++;
	dfd = make_parents(view, path, &name);
	if (dfd < 0)
		return dfd;
	if (!*name || streq(name, ".") || streq(name, "..")) {
		close(dfd);
		return -EINVAL;
	}
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(dfd);
	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

int gc_view_mkdir(const char *view, const char *path)
{
	char *withslash = xasprintf("%s/", path + strspn(path, "/"));
	const char *name;
	int fd = make_parents(view, withslash, &name);

	free(withslash);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int gc_view_write(const char *view, const char *path, const void *data, size_t len)
{
	int fd, err;

	if ((err = create(view, path, &fd)))
		return err;
	err = write_all(fd, data, len);
	close(fd);
	return err;
}

int gc_view_copy(const struct gc_root *r, const char *view, const char *path, size_t max)
{
	size_t total = 0;
	char buf[65536];
	int in, out, err = 0;

	in = gc_open(r, path, 0);
	if (in < 0)
		return in;
	if ((err = create(view, path, &out))) {
		close(in);
		return err;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno == EAGAIN ? -EIO : -errno;
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
	if (err) {
		char *full = xasprintf("%s/%s", view, path);

		unlink(full);  /* no half file for the library to misread */
		free(full);
	}
	return err;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void gc_view_remove(char *dir)
{
	if (dir)
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	free(dir);
}
