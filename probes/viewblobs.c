// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared inodes for equal files of a view: open addressing on the content, FNV-1a. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "view.h"
#include "viewblobs.h"

static size_t hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 14695981039346656037ull;

	while (len--)
		h = (h ^ *p++) * 1099511628211ull;
	return (size_t)h;
}

static struct gc_view_blob *probe(struct gc_view_blob *slots, size_t cap, const void *data, size_t len)
{
	size_t i = hash(data, len) & (cap - 1);

	while (slots[i].data && (slots[i].len != len || memcmp(slots[i].data, data, len) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct gc_view_blobs *b)
{
	size_t cap = b->cap ? b->cap * 2 : 64, i;
	struct gc_view_blob *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < b->cap; i++)
		if (b->slots[i].data)
			*probe(slots, cap, b->slots[i].data, b->slots[i].len) = b->slots[i];
	free(b->slots);
	b->slots = slots;
	b->cap = cap;
}

void gc_view_blobs_open(struct gc_view_blobs *b, const char *view)
{
	*b = (struct gc_view_blobs){ .dirfd = gc_view_dir(view, "/.blobs") };
}

int gc_view_blobs_put(struct gc_view_blobs *b, int dfd, const char *name, const void *data, size_t len)
{
	struct gc_view_blob *s;
	char id[32];
	int err;

	if (!*name || strchr(name, '/') || streq(name, ".") || streq(name, ".."))
		return -EINVAL;  /* one component, as gc_view_write_at takes; linkat would take more */
	if (b->dirfd < 0 || b->bytes + len + 1 > GC_VIEW_BLOBS_MAX)
		return gc_view_write_at(dfd, name, data, len);
	if (2 * (b->n + 1) > b->cap)
		grow(b);
	s = probe(b->slots, b->cap, data, len);
	if (s->data) {
		snprintf(id, sizeof(id), "%u", s->id);
		/* EMLINK (ext4 allows 65,000 links) or any other refusal: a file of its own. */
		if (linkat(b->dirfd, id, dfd, name, 0) == 0)
			return 0;
		return gc_view_write_at(dfd, name, data, len);
	}
	snprintf(id, sizeof(id), "%zu", b->n);
	if ((err = gc_view_write_at(b->dirfd, id, data, len)))
		return err;
	if (linkat(b->dirfd, id, dfd, name, 0) < 0) {
		unlinkat(b->dirfd, id, 0);
		return gc_view_write_at(dfd, name, data, len);
	}
	/* +1: a view file of length 0 still needs a non-NULL data to mark the slot used. */
	s->data = xmalloc(len + 1);
	memcpy(s->data, data, len);
	s->len = len;
	s->id = (unsigned)b->n++;
	b->bytes += len + 1;
	return 0;
}

void gc_view_blobs_close(struct gc_view_blobs *b)
{
	size_t i;

	for (i = 0; i < b->cap; i++)
		free(b->slots[i].data);
	free(b->slots);
	if (b->dirfd >= 0)
		close(b->dirfd);
	*b = (struct gc_view_blobs){ .dirfd = -1 };
}
