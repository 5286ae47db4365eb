// SPDX-License-Identifier: GPL-2.0-or-later
/* ustar as in POSIX.1-2017 pax(1) "ustar Interchange Format", pax headers as in its "pax Header Block". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../probes/util.h"
#include "tar.h"

#define BLOCK 512

struct ustar {
	char name[100], mode[8], uid[8], gid[8], size[12], mtime[12], chksum[8], typeflag;
	char linkname[100], magic[6], version[2], uname[32], gname[32], devmajor[8], devminor[8];
	char prefix[155], pad[12];
};

_Static_assert(sizeof(struct ustar) == BLOCK, "a ustar header is one block");

static int flush(struct gc_tar *t, int mode)
{
	do {
		size_t have;
		int zr;

		t->z.next_out = t->out;
		t->z.avail_out = sizeof(t->out);
		zr = deflate(&t->z, mode);
		if (zr == Z_STREAM_ERROR)
			return -EIO;
		have = sizeof(t->out) - t->z.avail_out;
		for (unsigned char *p = t->out; have;) {
			ssize_t n = write(t->fd, p, have);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
			p += n, have -= (size_t)n;
		}
	} while (t->z.avail_out == 0);
	return 0;
}

static int deflate_in(struct gc_tar *t, const void *data, size_t n, int mode)
{
	t->z.next_in = (unsigned char *)data;
	t->z.avail_in = (uInt)n;
	return flush(t, mode);
}

/* Small pieces are gathered in t->in: one deflate() call per block of headers costs less. */
static int put(struct gc_tar *t, const void *data, size_t n)
{
	if (t->err || n == 0)
		return t->err;
	if (t->in_len + n > sizeof(t->in)) {
		if (t->in_len && (t->err = deflate_in(t, t->in, t->in_len, Z_NO_FLUSH)))
			return t->err;
		t->in_len = 0;
	}
	if (n >= sizeof(t->in))
		return t->err = deflate_in(t, data, n, Z_NO_FLUSH);
	memcpy(t->in + t->in_len, data, n);
	t->in_len += n;
	return 0;
}

static int pad(struct gc_tar *t, uint64_t size)
{
	static const char zeros[BLOCK];

	return size % BLOCK ? put(t, zeros, BLOCK - size % BLOCK) : put(t, zeros, 0);
}

int gc_tar_open(struct gc_tar *t, int fd, time_t mtime)
{
	*t = (struct gc_tar){ .fd = fd, .mtime = mtime };
	/* 15 + 16: a gzip wrapper, as gzip(1) writes; level 6 is gzip's default. */
	if (deflateInit2(&t->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return t->err = -ENOMEM;
	return 0;
}

/* width - 1 octal digits, zero-filled, and a NUL (as "%0*llo" would; a header has many). */
static void octal(char *field, size_t width, uint64_t v)
{
	size_t i = width - 1;

	field[i] = '\0';
	while (i--) {
		field[i] = (char)('0' + (v & 7));
		v >>= 3;
	}
}

static int header(struct gc_tar *t, const char *name, char type, uint64_t size, const char *link)
{
	struct ustar h = { 0 };
	unsigned sum = 0;
	size_t i;

	strncpy(h.name, name, sizeof(h.name) - 1);  /* longer names are in the pax header before */
	octal(h.mode, sizeof(h.mode), type == '5' ? 0755 : type == '2' ? 0777 : 0644);
	octal(h.uid, sizeof(h.uid), 0);
	octal(h.gid, sizeof(h.gid), 0);
	octal(h.size, sizeof(h.size), size);
	octal(h.mtime, sizeof(h.mtime), (uint64_t)t->mtime);
	h.typeflag = type;
	if (link)
		strncpy(h.linkname, link, sizeof(h.linkname) - 1);
	memcpy(h.magic, "ustar", 6);
	memcpy(h.version, "00", 2);
	strcpy(h.uname, "root");
	strcpy(h.gname, "root");
	memset(h.chksum, ' ', sizeof(h.chksum));
	for (i = 0; i < BLOCK; i++)
		sum += ((unsigned char *)&h)[i];
	snprintf(h.chksum, sizeof(h.chksum), "%06o", sum);  /* six digits, NUL, and the space kept */
	return put(t, &h, BLOCK);
}

/* "LEN key=value\n", LEN counting itself. */
static void pax_record(FILE *m, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, len = body + 1;

	while (len != body + (size_t)snprintf(NULL, 0, "%zu", len))
		len = body + (size_t)snprintf(NULL, 0, "%zu", len);
	fprintf(m, "%zu %s=%s\n", len, key, value);
}

static int entry(struct gc_tar *t, const char *name, char type, uint64_t size, const char *link)
{
	if (t->err)
		return t->err;
	if (t->left)
		return t->err = -EINVAL;
	if (strlen(name) >= 100 || (link && strlen(link) >= 100)) {
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);

		if (!m)
			return t->err = -ENOMEM;
		if (strlen(name) >= 100)
			pax_record(m, "path", name);
		if (link && strlen(link) >= 100)
			pax_record(m, "linkpath", link);
		if (fclose(m) == 0 && header(t, "././@PaxHeader", 'x', len, NULL) == 0 &&
		    put(t, text, len) == 0)
			pad(t, len);
		free(text);
	}
	return header(t, name, type, size, link);
}

int gc_tar_add_dir(struct gc_tar *t, const char *name)
{
	return entry(t, name, '5', 0, NULL);
}

int gc_tar_add_symlink(struct gc_tar *t, const char *name, const char *target)
{
	return entry(t, name, '2', 0, target);
}

int gc_tar_begin_file(struct gc_tar *t, const char *name, uint64_t size)
{
	if (entry(t, name, '0', size, NULL))
		return t->err;
	t->left = t->size = size;
	return 0;
}

int gc_tar_write(struct gc_tar *t, const void *data, size_t n)
{
	if (!t->err && n > t->left)
		t->err = -EINVAL;
	if (put(t, data, n))
		return t->err;
	t->left -= n;
	return 0;
}

int gc_tar_end_file(struct gc_tar *t)
{
	if (!t->err && t->left)
		t->err = -EINVAL;
	return t->err ? t->err : pad(t, t->size);
}

int gc_tar_close(struct gc_tar *t)
{
	static const char zeros[2 * BLOCK];

	if (!t->err && put(t, zeros, sizeof(zeros)) == 0)
		t->err = deflate_in(t, t->in, t->in_len, Z_FINISH);
	deflateEnd(&t->z);
	return t->err;
}

void gc_tar_abort(struct gc_tar *t)
{
	deflateEnd(&t->z);
}
