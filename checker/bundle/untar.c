// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ustar, pax ('x', 'g') and GNU long-name ('L', 'K') headers as tar(1)
 * and Python's tarfile write them. Every name is created with *at() calls
 * below dirfd, one component at a time with O_NOFOLLOW, so no entry can
 * reach outside through a link an earlier entry planted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../../probes/sigclean.h"
#include "../../probes/util.h"
#include "untar.h"

/* A signal removes all this makes (probes/sigclean.h). */
_Static_assert(GC_UNTAR_MAX_DEPTH < GC_SIGCLEAN_DEPTH, "the signal cleanup reaches every directory");

#define BLOCK 512

struct reader {
	gzFile gz;
	const struct gc_untar_limits *lim;
	uint64_t total, entries;
	char *msg;
};

_printf_(2, 3) static int fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->msg) {
		va_start(ap, fmt);
		r->msg = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int read_exact(struct reader *r, void *buf, size_t n)
{
	int got = gzread(r->gz, buf, (unsigned)n);

	if (got < 0 || (size_t)got != n) {
		int zerr;
		const char *why = gzerror(r->gz, &zerr);

		if (got >= 0)
			return fail(r, "the archive is truncated");
		return fail(r, "the archive is damaged or not gzip'ed tar (%s)", zerr == Z_ERRNO ? strerror(errno) :
			    strchr(why, ' ') ? strchr(why, ' ') + 1 : why);
	}
	return 0;
}

static int skip(struct reader *r, uint64_t n)
{
	char buf[BLOCK * 16];

	while (n) {
		size_t take = n < sizeof(buf) ? (size_t)n : sizeof(buf);
		int err = read_exact(r, buf, take);

		if (err)
			return err;
		n -= take;
	}
	return 0;
}

static int octal(const char *field, size_t width, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < width && field[i] == ' ')
		i++;
	if (i == width || field[i] < '0' || field[i] > '7')
		return -EINVAL;
	for (; i < width && field[i] >= '0' && field[i] <= '7'; i++) {
		if (v >> 60)
			return -EINVAL;
		v = v * 8 + (uint64_t)(field[i] - '0');
	}
	for (; i < width; i++)
		if (field[i] != ' ' && field[i] != '\0')
			return -EINVAL;
	*ret = v;
	return 0;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	unsigned sum = 0, i;

	if (octal((const char *)h + 148, 8, &want))
		return false;
	for (i = 0; i < BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	return sum == want;
}

/*
 * A name is relative, without "..", not empty and at most GC_UNTAR_MAX_DEPTH
 * components deep; "." components and slashes are dropped.
 */
static int clean_name(struct reader *r, const char *name, char *out)
{
	const char *p = name;
	size_t o = 0, depth = 0;

	if (name[0] == '/')
		return fail(r, "entry '%s' has an absolute name", name);
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return fail(r, "entry '%s' has a '..' component", name);
		if (len && !(len == 1 && p[0] == '.')) {
			if (o + len + 2 > GC_UNTAR_MAX_PATH)
				return fail(r, "entry name too long");
			if (++depth > GC_UNTAR_MAX_DEPTH)
				return fail(r, "entry name deeper than %u components", GC_UNTAR_MAX_DEPTH);
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	out[o] = '\0';
	return 0;
}

/*
 * A symlink stays in the tree when its target is relative, climbs with
 * leading ".." components only (as every sysfs link does) and no higher
 * than the link's own directory. A ".." after a name could climb out
 * through another symlink that the lexical view cannot see.
 */
static bool target_inside(const char *linkname, const char *target)
{
	int depth = 0;
	bool down = false;
	const char *p;

	if (target[0] == '/' || !target[0])
		return false;
	for (p = linkname; (p = strchr(p, '/')); p++)
		depth++;
	for (p = target; *p;) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (down || --depth < 0)
				return false;
		} else if (len && !(len == 1 && p[0] == '.')) {
			down = true;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	return true;
}

/* Every entry, and every directory made for one, counts toward the limit. */
static int count_entry(struct reader *r)
{
	if (++r->entries > r->lim->entries)
		return fail(r, "more than %llu entries (directories made for them included)",
			    (unsigned long long)r->lim->entries);
	return 0;
}

/* The directory comp below fd, made (0755) and counted when missing, never through a link. */
static int enter_dir(struct reader *r, int fd, const char *comp)
{
	int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), err;

	if (next >= 0 || errno != ENOENT)
		return next < 0 ? -errno : next;
	if ((err = count_entry(r)))
		return err;
	if (mkdirat(fd, comp, 0755) < 0)
		return -errno;
	next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return next < 0 ? -errno : next;
}

/* The directory holding name, made as needed; returns an fd. */
static int open_parent(struct reader *r, int dirfd, const char *name, const char **base)
{
	char comp[GC_UNTAR_MAX_PATH + 1];
	const char *p = name, *slash;
	int fd = dup(dirfd);

	if (fd < 0)
		return fail(r, "cannot create '%s': %s", name, strerror(errno));
	while ((slash = strchr(p, '/'))) {
		int next;

		memcpy(comp, p, (size_t)(slash - p));
		comp[slash - p] = '\0';
		next = enter_dir(r, fd, comp);
		close(fd);
		if (next == -ENOTDIR || next == -ELOOP)
			return fail(r, "entry '%s' goes through a symlink or a file", name);
		if (next < 0)
			return fail(r, "cannot create '%s': %s", name, strerror(-next));
		fd = next;
		p = slash + 1;
	}
	*base = p;
	return fd;
}

static int extract_file(struct reader *r, int dirfd, const char *name, uint64_t size)
{
	char buf[BLOCK * 16];
	const char *base;
	uint64_t left = size;
	int pfd, fd, err = 0;

	if (size > r->lim->file)
		return fail(r, "entry '%s' is larger than %llu MiB", name, (unsigned long long)r->lim->file >> 20);
	if ((pfd = open_parent(r, dirfd, name, &base)) < 0)
		return pfd;
	fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	close(pfd);
	if (fd < 0)
		return fail(r, errno == EEXIST ? "entry '%s' appears twice" : "cannot create '%s'", name);
	while (!err && left) {
		size_t take = left < sizeof(buf) ? (size_t)left : sizeof(buf);

		if (!(err = read_exact(r, buf, take)) && write(fd, buf, take) != (ssize_t)take)
			err = fail(r, "cannot write '%s': %s", name, strerror(errno));
		left -= take;
	}
	close(fd);
	return err ? err : skip(r, (BLOCK - size % BLOCK) % BLOCK);
}

static int extract_dir(struct reader *r, int dirfd, const char *name)
{
	const char *base;
	struct stat st;
	int pfd = open_parent(r, dirfd, name, &base), err = 0;

	if (pfd < 0)
		return pfd;
	if (mkdirat(pfd, base, 0755) < 0 &&
	    (errno != EEXIST || fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)))
		err = fail(r, "cannot create directory '%s'", name);
	close(pfd);
	return err;
}

static int extract_link(struct reader *r, int dirfd, const char *name, const char *target, bool hard)
{
	char clean[GC_UNTAR_MAX_PATH + 1];
	const char *base;
	int pfd, err = 0;

	if (hard) {
		struct stat st;

		if (target[0] == '/' || !strcmp(target, "..") || !strncmp(target, "../", 3) ||
		    strstr(target, "/../") || (strlen(target) >= 3 && !strcmp(target + strlen(target) - 3, "/..")))
			return fail(r, "hard link '%s' points outside the archive ('%s')", name, target);
		if (clean_name(r, target, clean) < 0)
			return -EINVAL;
		if (fstatat(dirfd, clean, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			return fail(r, "hard link '%s' points to '%s', not a file unpacked before it", name, target);
	} else if (!target_inside(name, target)) {
		return fail(r, "symlink '%s' points outside the tree ('%s')", name, target);
	}
	if ((pfd = open_parent(r, dirfd, name, &base)) < 0)
		return pfd;
	if (hard ? linkat(dirfd, clean, pfd, base, 0) < 0 : symlinkat(target, pfd, base) < 0)
		err = fail(r, errno == EEXIST ? "entry '%s' appears twice" : "cannot create link '%s'", name);
	close(pfd);
	return err;
}

/*
 * One pax record "LEN key=value\n" at the start of text (left bytes):
 * LEN decimal digits only (strtoul would skip blanks and take a sign), the
 * record inside the data and ending in '\n', a key before its '='.
 * Returns the record's length, or 0 when it is malformed.
 */
static size_t pax_record(const char *text, size_t left, const char **key, size_t *klen,
			 const char **val, size_t *vlen)
{
	size_t n = 0, i = 0;
	const char *eq;

	for (; i < left && text[i] >= '0' && text[i] <= '9'; i++) {
		n = n * 10 + (size_t)(text[i] - '0');
		if (n > left)
			return 0;
	}
	/* The shortest record after the length is " k=\n". */
	if (!i || i == left || text[i] != ' ' || n < i + 4 || text[n - 1] != '\n')
		return 0;
	*key = text + i + 1;
	eq = memchr(*key, '=', (size_t)(text + n - 1 - *key));
	if (!eq || eq == *key)
		return 0;
	*klen = (size_t)(eq - *key);
	*val = eq + 1;
	*vlen = (size_t)(text + n - 1 - *val);
	return n;
}

static bool is_key(const char *key, size_t klen, const char *want)
{
	return klen == strlen(want) && !memcmp(key, want, klen);
}

/* pax records: path and linkpath matter, size is refused (a file's size is its header's). */
static int pax(struct reader *r, const char *text, size_t len, char **path, char **linkpath)
{
	size_t o = 0;

	while (o < len) {
		const char *key, *val;
		size_t klen, vlen, n = pax_record(text + o, len - o, &key, &klen, &val, &vlen);

		if (!n || memchr(val, '\0', vlen))
			return fail(r, "damaged pax header (record at byte %zu)", o);
		if (is_key(key, klen, "path")) {
			free(*path);
			*path = xstrndup(val, vlen);
		} else if (is_key(key, klen, "linkpath")) {
			free(*linkpath);
			*linkpath = xstrndup(val, vlen);
		} else if (is_key(key, klen, "size")) {
			return fail(r, "pax size records are not supported");
		}
		o += n;
	}
	return 0;
}

static int read_long(struct reader *r, uint64_t size, char **ret)
{
	char *buf;
	int err;

	if (size > GC_UNTAR_MAX_PATH * 4 + 64)
		return fail(r, "extended header too long");
	buf = xmalloc((size_t)size + 1);
	err = read_exact(r, buf, (size_t)size);
	if (!err)
		err = skip(r, (BLOCK - size % BLOCK) % BLOCK);
	buf[size] = '\0';
	if (err)
		free(buf);
	else
		*ret = buf;
	return err;
}

static int run(struct reader *r, int dirfd)
{
	char *path = NULL, *linkpath = NULL;
	unsigned char h[BLOCK];
	int err = 0, zeros = 0;

	while (!err) {
		char name[GC_UNTAR_MAX_PATH + 1], raw[257], type;
		uint64_t size;

		if ((err = read_exact(r, h, BLOCK)))
			break;
		if (!memcmp(h, (char[BLOCK]){ 0 }, BLOCK)) {
			if (++zeros == 2)
				break;
			continue;
		}
		zeros = 0;
		if (!checksum_ok(h) || octal((char *)h + 124, 12, &size)) {
			err = fail(r, "damaged tar header (not a bundle archive?)");
			break;
		}
		type = (char)h[156];
		if ((err = count_entry(r)))
			break;
		r->total += size;
		if (r->total > r->lim->total) {
			err = fail(r, "more than %llu MiB unpacked", (unsigned long long)r->lim->total >> 20);
			break;
		}
		if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
			char *text = NULL;

			if ((err = read_long(r, size, &text)))
				break;
			if (type == 'x')
				err = pax(r, text, (size_t)size, &path, &linkpath);
			else if (type == 'L')
				free(path), path = xstrdup(text);
			else if (type == 'K')
				free(linkpath), linkpath = xstrdup(text);
			free(text);
			continue;
		}
		if (!memcmp(h + 257, "ustar", 5) && h[345])
			snprintf(raw, sizeof(raw), "%.155s/%.100s", (char *)h + 345, (char *)h);
		else
			snprintf(raw, sizeof(raw), "%.100s", (char *)h);
		if (strlen(path ? path : raw) > GC_UNTAR_MAX_PATH) {
			err = fail(r, "entry name too long");
			break;
		}
		if ((err = clean_name(r, path ? path : raw, name)))
			break;
		if (!name[0]) {
			err = type == '5' ? skip(r, 0) : fail(r, "an entry has an empty name");
		} else if (type == '0' || type == '\0' || type == '7') {
			err = extract_file(r, dirfd, name, size);
		} else if (type == '5') {
			err = size ? fail(r, "directory '%s' has data", name) : extract_dir(r, dirfd, name);
		} else if (type == '1' || type == '2') {
			char target[101];

			snprintf(target, sizeof(target), "%.100s", (char *)h + 157);
			err = size ? fail(r, "link '%s' has data", name) :
				     extract_link(r, dirfd, name, linkpath ? linkpath : target, type == '1');
		} else {
			err = fail(r, "entry '%s' is a %s, which a bundle never holds", name,
				   type == '3' ? "character device" : type == '4' ? "block device" :
				   type == '6' ? "FIFO" : "special entry");
		}
		free(path);
		free(linkpath);
		path = linkpath = NULL;
	}
	free(path);
	free(linkpath);
	return err;
}

int gc_untar(const char *archive, int dirfd, char **err_msg)
{
	static const struct gc_untar_limits lim = {
		.entries = GC_UNTAR_MAX_ENTRIES, .file = GC_UNTAR_MAX_FILE, .total = GC_UNTAR_MAX_TOTAL,
	};

	return gc_untar_limited(archive, dirfd, &lim, err_msg);
}

int gc_untar_limited(const char *archive, int dirfd, const struct gc_untar_limits *lim, char **err_msg)
{
	struct reader r = { .lim = lim };
	int fd, err;

	*err_msg = NULL;
	fd = open(archive, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		err = -errno;
		*err_msg = xasprintf("cannot open: %s", strerror(errno));
		return err;
	}
	{
		struct stat st;

		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			*err_msg = xstrdup("not a regular file");
			return -EINVAL;
		}
	}
	r.gz = gzdopen(fd, "rb");
	if (!r.gz) {
		close(fd);
		*err_msg = xstrdup("cannot read it");
		return -ENOMEM;
	}
	err = run(&r, dirfd);
	gzclose(r.gz);
	*err_msg = r.msg;
	return err;
}
