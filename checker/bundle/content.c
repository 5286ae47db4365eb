// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Archive entries with their manifest records. A file's bytes pass through
 * the filters (the kallsyms lines that matter, redaction) into a spool that
 * stays in memory up to 1 MiB and moves to an unlinked temporary file
 * beyond, because a tar header needs the size before the data and /proc
 * and sysfs files do not tell it: memory stays constant whatever the size.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../probes/kmsg.h"

#include "../result.h"
#include "internal.h"
#include "sha256.h"

#define SPOOL_MEM (1u << 20)
#define LINE_MAX_BYTES (1u << 20)  /* longer lines are filtered in pieces of this size */

struct spool {
	char *mem;
	size_t len, cap;
	FILE *file;       /* after SPOOL_MEM bytes */
	uint64_t total;
	int err;
};

static ssize_t spool_write(void *cookie, const char *data, size_t n)
{
	struct spool *sp = cookie;

	if (sp->err)
		return -1;
	if (n == 0)
		return 0;
	if (!sp->file && sp->len + n > SPOOL_MEM) {
		sp->file = tmpfile();  /* mode 0600, already unlinked */
		if (!sp->file || fwrite(sp->mem, 1, sp->len, sp->file) != sp->len) {
			sp->err = -EIO;
			return -1;
		}
	}
	if (sp->file) {
		if (fwrite(data, 1, n, sp->file) != n) {
			sp->err = -EIO;
			return -1;
		}
	} else {
		/* Grown as needed: most files are a few bytes, and freeing 1 MiB each time costs. */
		if (sp->len + n > sp->cap) {
			size_t cap = sp->cap ? sp->cap : 4096;

			while (cap < sp->len + n)
				cap *= 2;
			sp->cap = cap < SPOOL_MEM ? cap : SPOOL_MEM;
			sp->mem = xrealloc(sp->mem, sp->cap);
		}
		memcpy(sp->mem + sp->len, data, n);
		sp->len += n;
	}
	sp->total += n;
	return (ssize_t)n;
}

static void spool_cut(struct spool *sp, uint64_t keep)
{
	if (sp->total <= keep)
		return;
	sp->total = keep;
	if (sp->file) {
		if (fflush(sp->file) != 0 || ftruncate(fileno(sp->file), (off_t)keep) < 0)
			sp->err = -EIO;
	} else {
		sp->len = (size_t)keep;
	}
}

static void spool_free(struct spool *sp)
{
	if (sp->file)
		fclose(sp->file);
	free(sp->mem);
}

/* Mark the directories above an archived path as filled, up to one marked before. */
static void fill_parents(struct bundle *b, const char *path)
{
	char *dir = xstrdup(path), *slash;
	bool added = true;

	while (added && (slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		gc_pathmap_get(&b->filled, dir, &added);
	}
	free(dir);
}

/*
 * A path as the archive names it: redacted like the contents, so that a
 * user's name in /home/alice/fw goes too, and a file the contents name
 * (firmware_class.path) is still found under the name they now give.
 */
static char *stored(const struct bundle *b, const char *path)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	if (!b->red)
		return xstrdup(path);
	/* A name left as it was would leak: no memory ends the program, as x*alloc do. */
	if (!(m = open_memstream(&out, &len)))
		oom();
	gc_redact_text(b->red, path, strlen(path), m);
	if (fclose(m) != 0 || !out)
		oom();
	return out;
}

static struct entry *new_entry(struct bundle *b, const char *path, char type, enum how how)
{
	struct entry *e = xappend(&b->entries, &b->n_entries, sizeof(*e));

	if (type)
		fill_parents(b, path);

	*e = (struct entry){ .path = stored(b, path), .type = type, .how = how };
	return e;
}

static char *member(const struct bundle *b, const char *path, bool dir)
{
	char *name = b->red ? stored(b, path) : NULL, *ret;
	const char *p = name ? name : path;
	size_t top = strlen(b->top), len = strlen(p);

	/* By hand: one vasprintf per member was a tenth of the library time. */
	ret = xmalloc(top + len + 2);
	memcpy(ret, b->top, top);
	memcpy(ret + top, p, len);
	ret[top + len] = '/';
	ret[top + len + dir] = '\0';
	free(name);
	return ret;
}

void bundle_dir(struct bundle *b, const char *path)
{
	*(char **)xappend(&b->dirs, &b->n_dirs, sizeof(char *)) = xstrdup(path);
}

void bundle_dirs_end(struct bundle *b)
{
	size_t i;

	for (i = 0; i < b->n_dirs; i++) {
		if (!gc_pathmap_find(&b->filled, b->dirs[i])) {
			char *name = member(b, b->dirs[i], true);

			if (!b->err)
				b->err = gc_tar_add_dir(&b->tar, name);
			free(name);
			new_entry(b, b->dirs[i], 'd', HOW_FILE);
		}
		free(b->dirs[i]);
	}
	free(b->dirs);
	b->dirs = NULL;
	b->n_dirs = 0;
	gc_pathmap_free(&b->filled, NULL);
}

/*
 * target as the link at path takes it inside the tree (an absolute target
 * starts at the tree's root, as the file layer resolves it), written
 * relative to the link's directory: ".." components first, then names. So
 * tar xf puts the same tree anywhere, and the replay's reader, which keeps
 * only such links, accepts every link the writer followed.
 */
char *gc_link_target_in_tree(const char *path, const char *target)
{
	char *dest, *dir = xstrdup(path), *out;
	size_t i, common = 0, up = 0, len;
	const char *t;

	*strrchr(dir, '/') = '\0';
	dest = target[0] == '/' ? xstrdup(target) : xasprintf("%s/%s", dir, target);
	gc_path_normalize(dest);
	/* The longest run of whole components both start with ("/usr/lib" and "/usr/lib64": "/usr"). */
	for (i = 0;; i++) {
		bool dir_end = dir[i] == '/' || !dir[i], dest_end = dest[i] == '/' || !dest[i];

		if (dir_end && dest_end) {
			common = i;
			if (!dir[i] || !dest[i])
				break;
		} else if (dir[i] != dest[i]) {
			break;
		}
	}
	for (i = common; dir[i]; i++)
		up += dir[i] == '/';
	t = dest + common + (dest[common] == '/');
	len = up * 3 + strlen(t) + 2;
	out = xmalloc(len);
	out[0] = '\0';
	while (up--)
		strcat(out, "../");
	strcat(out, t);
	if (!out[0])
		strcpy(out, ".");
	else if (out[strlen(out) - 1] == '/')
		out[strlen(out) - 1] = '\0';
	free(dir);
	free(dest);
	return out;
}

void bundle_symlink(struct bundle *b, const char *path, const char *target)
{
	char *name = member(b, path, false), *t = gc_link_target_in_tree(path, target), *inside = stored(b, t);

	free(t);

	if (!b->err)
		b->err = gc_tar_add_symlink(&b->tar, name, inside);
	free(name);
	new_entry(b, path, 'l', HOW_FILE)->target = inside;
}

/* The spool's bytes as one archive member, hashed on the way. */
static void emit(struct bundle *b, const char *path, struct spool *sp, struct entry *e)
{
	struct gc_sha256 h;
	char *name = member(b, path, false);

	gc_sha256_init(&h);
	if (!b->err && sp->err)
		b->err = sp->err;
	if (!b->err)
		b->err = gc_tar_begin_file(&b->tar, name, sp->total);
	if (!b->err && !sp->file) {
		gc_sha256_update(&h, sp->mem, sp->len);
		b->err = gc_tar_write(&b->tar, sp->mem, sp->len);
	} else if (!b->err) {
		char buf[65536];
		size_t n;

		if (fflush(sp->file) != 0 || fseeko(sp->file, 0, SEEK_SET) != 0)
			b->err = -EIO;
		while (!b->err && (n = fread(buf, 1, sizeof(buf), sp->file)) > 0) {
			gc_sha256_update(&h, buf, n);
			b->err = gc_tar_write(&b->tar, buf, n);
		}
		if (!b->err && ferror(sp->file))
			b->err = -EIO;
	}
	if (!b->err)
		b->err = gc_tar_end_file(&b->tar);
	free(name);
	e->size = sp->total;
	gc_sha256_hex(&h, e->sha256);
	b->files++;
}

/* Line by line through the filters; partial lines wait in line[] for the rest. */
struct sink {
	struct bundle *b;
	enum filter filter;
	bool redact;
	FILE *out;
	char *line;
	size_t len;
};

static void sink_line(struct sink *s, const char *line, size_t len)
{
	if (s->filter == FILTER_KALLSYMS) {
		/* The lines probes/kallsyms.c looks at: pci-hyperv's own and the hv_ ones. */
		char *l = xstrndup(line, len);
		bool keep = strstr(l, "[pci_hyperv]") || strstr(l, " hv_") || strstr(l, " multi_msi_cpu_lock");

		free(l);
		if (!keep)
			return;
	}
	if (s->redact)
		gc_redact_text(s->b->red, line, len, s->out);
	else
		fwrite(line, 1, len, s->out);
}

static void sink_put(struct sink *s, const char *data, size_t n)
{
	if (s->filter == FILTER_NONE && !s->redact) {
		fwrite(data, 1, n, s->out);
		return;
	}
	while (n) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl ? (size_t)(nl - data) + 1 : n;

		if (!s->len && nl) {
			sink_line(s, data, take);  /* whole line in the buffer read: no copy */
		} else {
			s->line = xrealloc(s->line, s->len + take);
			memcpy(s->line + s->len, data, take);
			s->len += take;
			if (nl || s->len >= LINE_MAX_BYTES) {
				sink_line(s, s->line, s->len);
				s->len = 0;
			}
		}
		data += take, n -= take;
	}
}

static void sink_end(struct sink *s)
{
	if (s->len)
		sink_line(s, s->line, s->len);
	free(s->line);
	s->line = NULL;
	s->len = 0;
}

static FILE *spool_stream(struct spool *sp)
{
	return fopencookie(sp, "w", (cookie_io_functions_t){ .write = spool_write });
}

/*
 * Formats with offsets, which a replacement of another length would break;
 * none holds a name or an address (the card's serial number capability in
 * config space aside, see README).
 */
static bool endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && streq(s + n - m, suffix);
}

static bool binary(const char *path)
{
	static const char *const compressed[] = { ".gz", ".xz", ".zst", ".bz2", ".lz4" };
	size_t i;

	/* /proc/config.gz, changelog.Debian.gz: a replaced byte would break the stream. */
	for (i = 0; i < ARRAY_SIZE(compressed); i++)
		if (endswith(path, compressed[i]))
			return true;
	/* The path the walk reached: /usr/lib/modules where /lib is a link (merged /usr). */
	return startswith(path, "/sys/firmware/") || (startswith(path, "/sys/") && endswith(path, "/config")) ||
	       ((startswith(path, "/lib/modules/") || startswith(path, "/usr/lib/modules/")) &&
		(endswith(path, ".bin") || endswith(path, "/modules.builtin.modinfo")));
}

/*
 * The kernel log replay file is read from its last GC_KMSG_MAX_BYTES, from
 * the first line start in them (probes/kmsg.c): keep exactly that part.
 * Returns the bytes left out, 0 when the file is kept whole.
 */
static uint64_t seek_log_tail(int fd, char *buf, size_t size, size_t *first_len, size_t *first_off)
{
	struct stat st;
	uint64_t skip;
	ssize_t n;
	char *nl;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= GC_KMSG_MAX_BYTES)
		return 0;
	skip = (uint64_t)st.st_size - GC_KMSG_MAX_BYTES;
	if (lseek(fd, (off_t)skip, SEEK_SET) < 0)
		return 0;
	n = gc_read_some(fd, buf, size);
	if (n < 0)
		n = 0;
	nl = memchr(buf, '\n', (size_t)n);
	*first_off = nl ? (size_t)(nl - buf) + 1 : (size_t)n;
	*first_len = (size_t)n;
	return skip + *first_off;
}

/* A file's bytes: from its fd, or those a probe already read whole (data). */
struct source {
	int fd;
	const char *data;
	size_t len;
};

static ssize_t source_read(struct source *src, char *buf, size_t size)
{
	size_t n = src->len < size ? src->len : size;

	if (src->fd >= 0)
		return gc_read_some(src->fd, buf, size);
	memcpy(buf, src->data, n);
	src->data += n;
	src->len -= n;
	return (ssize_t)n;
}

static int file_from(struct bundle *b, const char *path, struct source *src, enum filter filter)
{
	struct spool sp = { 0 };
	struct sink s = { .b = b, .filter = filter, .redact = b->red && !binary(path) };
	uint64_t read_total = 0, log_skipped = 0;
	char buf[65536];
	bool cut = false;
	int err = 0;

	s.out = spool_stream(&sp);
	if (!s.out)
		return -ENOMEM;
	if (src->fd >= 0 && streq(path, "/dev/kmsg") && !b->src->live) {
		size_t len = 0, off = 0;

		if ((log_skipped = seek_log_tail(src->fd, buf, sizeof(buf), &len, &off))) {
			read_total = len - off;
			sink_put(&s, buf + off, len - off);
		}
	}
	for (;;) {
		ssize_t n = source_read(src, buf, sizeof(buf));

		if (n < 0) {
			err = (int)n;
			break;
		}
		if (n == 0)
			break;
		read_total += (uint64_t)n;
		if (read_total > GC_BUNDLE_FILE_MAX) {
			cut = true;
			break;
		}
		sink_put(&s, buf, (size_t)n);
	}
	sink_end(&s);
	if (fclose(s.out) != 0 && !sp.err)
		sp.err = -EIO;
	if (!err) {
		struct entry *e = new_entry(b, path, 'f', cut ? HOW_CUT : log_skipped ? HOW_LOG_TAIL :
							   filter ? HOW_FILTERED : HOW_FILE);

		e->read = log_skipped;
		if (cut) {
			spool_cut(&sp, GC_BUNDLE_CUT_KEEP);
			b->cut++;
		}
		emit(b, path, &sp, e);
	}
	spool_free(&sp);
	return err ? err : cut;
}

int bundle_file_fd(struct bundle *b, const char *path, int fd, enum filter filter)
{
	struct source src = { .fd = fd };

	return file_from(b, path, &src, filter);
}

/*
 * Bytes in memory as one member, without a spool. The manifest lists every
 * member but itself, so its own hash would be written nowhere: not taken.
 */
static void emit_mem(struct bundle *b, const char *path, const char *data, size_t len, struct entry *e)
{
	char *name = member(b, path, false);
	struct gc_sha256 h;

	if (!b->err)
		b->err = gc_tar_begin_file(&b->tar, name, len);
	if (!b->err)
		b->err = gc_tar_write(&b->tar, data, len);
	if (!b->err)
		b->err = gc_tar_end_file(&b->tar);
	free(name);
	e->size = len;
	if (!streq(path, "/" GC_BUNDLE_MANIFEST)) {
		gc_sha256_init(&h);
		gc_sha256_update(&h, data, len);
		gc_sha256_hex(&h, e->sha256);
	}
	b->files++;
}

int bundle_file_read(struct bundle *b, const char *path, const char *data, size_t len)
{
	struct source src = { .fd = -1, .data = data, .len = len };

	/* Most files: a few bytes kept from the probe's read, nothing to rewrite, no spool. */
	if (len <= GC_BUNDLE_FILE_MAX && !(b->red && !binary(path))) {
		emit_mem(b, path, data, len, new_entry(b, path, 'f', HOW_FILE));
		return 0;
	}
	return file_from(b, path, &src, FILTER_NONE);
}

void bundle_file_mem(struct bundle *b, const char *path, const char *data, size_t len, enum how how,
		     bool redact)
{
	struct spool sp = { 0 };
	FILE *out;

	if (!(redact && b->red)) {
		emit_mem(b, path, data, len, new_entry(b, path, 'f', how));
		return;
	}
	if (!(out = spool_stream(&sp))) {
		b->err = b->err ? b->err : -ENOMEM;
		return;
	}
	gc_redact_text(b->red, data, len, out);
	if (fclose(out) != 0 && !sp.err)
		sp.err = -EIO;
	emit(b, path, &sp, new_entry(b, path, 'f', how));
	spool_free(&sp);
}

void bundle_size_only(struct bundle *b, const char *path, uint64_t size)
{
	struct spool sp = { 0 };
	struct entry *e = new_entry(b, path, 'f', HOW_SIZE_ONLY);

	e->read = size;
	emit(b, path, &sp, e);
	b->size_only++;
}

void bundle_missing(struct bundle *b, const char *path, int err)
{
	bool root = gc_err_needs_root(err), added;
	char *key = xasprintf("%c%s", root ? 'u' : 'n', path);

	gc_pathmap_get(&b->noted, key, &added);
	free(key);
	if (!added)
		return;
	new_entry(b, path, 0, root ? HOW_UNREADABLE : HOW_NOT_CAPTURED)->err = err;
	if (root)
		b->unreadable++;
	else
		b->not_captured++;
}
