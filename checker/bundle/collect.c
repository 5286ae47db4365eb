// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From the record of what the probes touched to archive entries: each path
 * is walked component by component, symlinks recreated and followed. Every
 * prefix is stat'ed once and remembered (nodes), so the work is linear in
 * the number of paths, not quadratic as comparing each with all earlier.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../result.h"
#include "internal.h"

struct node {
	int err;            /* of the lstat */
	unsigned mode;
	char *target;       /* symlinks */
	bool done;          /* its entry is written (or its failure noted) */
	bool listed;
	int read_err;       /* regular files: 0, 1 cut, or -errno */
};

char *gc_path_normalize(char *path)
{
	char *out = path, *p = path;

	/* Components are copied one by one; ".." drops the last one written. */
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, p, len);
			out += len;
		}
		p += len;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
	return path;
}

static void node_free(void *p)
{
	struct node *n = p;

	if (n)
		free(n->target);
	free(n);
}

static struct node *lookup(struct bundle *b, const char *path)
{
	struct gc_pathmap_slot *s;
	struct node *n;
	bool added;

	s = gc_pathmap_get(&b->nodes, path, &added);
	if (!added)
		return s->value;
	n = s->value = xcalloc(1, sizeof(*n));
	n->err = gc_stat(b->src, path, false, &n->mode);
	if (!n->err && S_ISLNK(n->mode))
		n->err = gc_readlink(b->src, path, &n->target);
	return n;
}

static struct node *lookup_known(struct bundle *b, const char *path, unsigned mode)
{
	struct gc_pathmap_slot *s;
	bool added;

	s = gc_pathmap_get(&b->nodes, path, &added);
	if (added) {
		s->value = xcalloc(1, sizeof(struct node));
		((struct node *)s->value)->mode = mode;
	}
	return s->value;
}

/*
 * A listed entry: its type from the listing (d_type) where the file system
 * gives one, else by lstat. Not where a .unreadable list is read: its
 * answers for a path are the layer's (gc_stat) to give.
 */
static struct node *lookup_listed(struct bundle *b, const char *path, unsigned char d_type)
{
	struct node *n;

	if (d_type == DT_UNKNOWN || b->src->n_denied)
		return lookup(b, path);
	if (gc_pathmap_find(&b->nodes, path))
		return lookup(b, path);
	n = lookup_known(b, path, DTTOIF(d_type));
	if (S_ISLNK(n->mode))
		n->err = gc_readlink(b->src, path, &n->target);
	return n;
}

static void missing(struct bundle *b, const char *cur, const char *orig, int err)
{
	if (err == -ENOENT || err == -ENOTDIR)
		return;  /* the probe met nothing there, and neither will the replay */
	bundle_missing(b, cur, err);
	if (!streq(cur, orig))
		bundle_missing(b, orig, err);
}

static void add_file(struct bundle *b, struct node *n, const char *path, const struct gc_record_entry *kept)
{
	enum filter filter = streq(path, "/proc/kallsyms") ? FILTER_KALLSYMS : FILTER_NONE;
	int fd;

	n->done = true;
	if (kept && kept->data && filter == FILTER_NONE) {
		n->read_err = bundle_file_read(b, path, kept->data, kept->len);
		return;
	}
	fd = gc_open(b->src, path, 0);
	if (fd < 0) {
		n->read_err = fd;
		return;
	}
	n->read_err = bundle_file_fd(b, path, fd, filter);
	close(fd);
}

/*
 * A node is made only for a path whose every proper prefix is a directory
 * (a link restarts the walk at its target), so when path's parent has a
 * directory node the walk up to it is done already: start there. Most
 * paths are files of a directory met before.
 */
static void start_at_parent(struct bundle *b, const char *path, char *cur, size_t *clen, const char **p,
			    struct node **n)
{
	const char *slash = strrchr(path, '/');
	struct gc_pathmap_slot *s;
	struct node *parent;

	if (!slash || slash == path)
		return;
	memcpy(cur, path, (size_t)(slash - path));
	cur[slash - path] = '\0';
	s = gc_pathmap_find(&b->nodes, cur);
	parent = s ? s->value : NULL;
	if (parent && !parent->err && S_ISDIR(parent->mode)) {
		*clen = (size_t)(slash - path);
		*p = slash;
		*n = parent;
	} else {
		cur[0] = '\0';
	}
}

/*
 * A file the probes only looked at is held by its size when it has one (an
 * empty file stays an empty file: the firmware loader refuses those, and
 * the replay must see it so). False: add it as it is.
 */
static bool add_size_only(struct bundle *b, struct node *n, const char *path)
{
	int64_t size = 0;
	unsigned mode;

	/* .size-only is a list of lines: a path with a line break in it keeps its bytes. */
	if (strpbrk(path, "\n\r") || gc_stat_size(b->src, path, false, &mode, &size) < 0 || !S_ISREG(mode) ||
	    size <= 0)
		return false;
	n->done = true;
	bundle_size_only(b, path, (uint64_t)size);
	return true;
}

/* A ".." after a name: the kernel takes it from wherever the name led, if that is a link. */
static bool climbs_after_name(const char *target)
{
	const char *p = target;
	bool name = false;

	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (name)
				return true;
		} else if (len && !(len == 1 && p[0] == '.')) {
			name = true;
		}
		p += len;
		p += strspn(p, "/");
	}
	return false;
}

/*
 * Where the link at path leads, as an absolute path in the tree. Read as
 * text unless a ".." follows a name: then as the kernel walks it (a name
 * that is itself a link changes what ".." means), so that the archived
 * link, written from this, leads where the original did.
 */
static char *link_destination(const struct bundle *b, const char *path, const char *target)
{
	char *dest = target[0] == '/' ? xstrdup(target) :
					xasprintf("%.*s/%s", (int)(strrchr(path, '/') - path), path, target);

	if (climbs_after_name(target)) {
		char *c = gc_canonical(b->src, dest);

		if (c) {
			free(dest);
			dest = c;
		}
	}
	return gc_path_normalize(dest);
}

/*
 * Add path, recreating each symlink on the way and then what it points to.
 * orig is the path the probe asked for: a failure is recorded under it too,
 * since the replay looks that path up, not the one it resolves to. kept:
 * what the probe's whole read of orig gave, when it was kept. size_only:
 * the probes only looked at orig (a stat), never read it.
 */
static struct node *add_path(struct bundle *b, const char *path, const char *orig,
			     const struct gc_record_entry *kept, bool size_only, int depth, char resolved[4096])
{
	char cur[4096] = "";
	const char *p = path;
	struct node *n = NULL;
	size_t clen = 0;

	if (depth > 40 || strlen(path) >= sizeof(cur))
		return NULL;
	start_at_parent(b, path, cur, &clen, &p, &n);
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		/*
		 * "." and ".." as the kernel takes them: cur holds directories
		 * only (a link restarts the walk), so ".." is cur's parent, and
		 * the archive never holds a ".." its replay would refuse.
		 */
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
			if (len == 2)
				while (clen > 0 && cur[--clen] != '/')
					;
			cur[clen] = '\0';
			p += len;
			n = clen ? lookup(b, cur) : NULL;
			continue;
		}
		cur[clen++] = '/';
		memcpy(cur + clen, p, len);
		clen += len;
		cur[clen] = '\0';
		p += len;
		/* The probe's read learnt the last component is a regular file, no link: no stat again. */
		if (kept && kept->data && S_ISREG(kept->lmode) && !p[strspn(p, "/")])
			n = lookup_known(b, cur, kept->lmode);
		else
			n = lookup(b, cur);
		if (n->err) {
			missing(b, cur, orig, n->err);
			return NULL;
		}
		if (S_ISLNK(n->mode)) {
			char next[8192], *dest = link_destination(b, cur, n->target);

			if (!n->done) {
				bundle_symlink(b, cur, dest);
				n->done = true;
			}
			snprintf(next, sizeof(next), "%s%s", dest, p);
			free(dest);
			return add_path(b, gc_path_normalize(next), orig, kept, size_only, depth + 1, resolved);
		}
	}
	if (!n)
		return NULL;
	if (resolved)
		memcpy(resolved, cur, clen + 1);
	if (S_ISDIR(n->mode)) {
		if (!n->done)
			bundle_dir(b, cur);
		n->done = true;
	} else if (S_ISCHR(n->mode) || S_ISBLK(n->mode)) {
		/* Device nodes are checked for existence only. */
		if (!n->done)
			bundle_file_mem(b, cur, "", 0, HOW_DEVICE, false);
		n->done = true;
	} else {
		if (!n->done && !(size_only && add_size_only(b, n, cur)))
			add_file(b, n, cur, kept);
		if (n->read_err > 0 && !streq(cur, orig))
			bundle_missing(b, orig, -EFBIG);  /* the cut entry speaks for cur itself */
		else if (n->read_err < 0)
			missing(b, cur, orig, n->read_err);
	}
	return n;
}

/* A listed directory: its links and subdirectories, so that the listing replays. */
static void add_listing(struct bundle *b, struct node *n, const char *dir, const char *orig)
{
	struct dirent *de;
	DIR *d = NULL;
	int err;

	if (n->listed)
		return;
	n->listed = true;
	if ((err = gc_opendir(b->src, dir, &d)) < 0) {
		missing(b, dir, orig, err);
		return;
	}
	while ((de = readdir(d))) {
		char path[4096];
		struct node *e;

		if (de->d_name[0] == '.' || gc_pathf(path, sizeof(path), "%s/%s", streq(dir, "/") ? "" : dir,
							de->d_name) < 0)
			continue;
		e = lookup_listed(b, path, de->d_type);
		if (!e->err && (S_ISLNK(e->mode) || S_ISDIR(e->mode)))
			add_path(b, path, path, NULL, false, 0, NULL);
	}
	closedir(d);
}

/* A recorded path; when it is a directory, its listing too (the probe may have listed it). */
static void add_recorded(struct bundle *b, const struct gc_record_entry *e)
{
	char real[4096];
	struct node *n = add_path(b, e->path, e->path, e, e->looked, 0, real);

	if (n && S_ISDIR(n->mode))
		add_listing(b, n, real, e->path);
}

/*
 * Files read by libpci and libkmod themselves, which the file layer does not
 * see: what the replay needs of every function (probes/pci.c: vendor,
 * device, class) and what libpci reads of the cards. Below a tree the probe
 * reads them through the layer already; live, libpci reads sysfs itself.
 * Other functions' config spaces stay out: no check reads them, and in a
 * VM each dword is a trap to the host.
 */
static void add_library_inputs(struct bundle *b, const struct gc_facts *f)
{
	static const char *const pci_attrs[] = {
		"vendor", "device", "class", "revision", "irq", "resource",
		"subsystem_vendor", "subsystem_device", "numa_node", "config", "modalias", "enable",
	};
	static const char *const mod_files[] = {
		"modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.bin",
		"modules.builtin.alias.bin", "modules.softdep", "modules.builtin", "modules.builtin.modinfo",
	};
	char path[512];
	size_t i, j;

	/* Below a tree the probe read them through the layer: they are in the record. */
	for (i = 0; b->src->live && i < f->pci.n_all; i++) {
		const char *addr = f->pci.all[i].addr;
		size_t n = 3;

		for (j = 0; j < f->pci.n_devs; j++)
			if (streq(f->pci.devs[j].f.addr, addr))
				n = ARRAY_SIZE(pci_attrs);
		for (j = 0; j < n; j++)
			if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, pci_attrs[j]) == 0)
				add_path(b, path, path, NULL, false, 0, NULL);
	}
	for (j = 0; f->mods.release && !strchr(f->mods.release, '/') && j < ARRAY_SIZE(mod_files); j++)
		if (gc_pathf(path, sizeof(path), "/lib/modules/%s/%s", f->mods.release, mod_files[j]) == 0)
			add_path(b, path, path, NULL, false, 0, NULL);
}

/* Sources that are not files, as the replay files --sysroot reads. */
static void add_replays(struct bundle *b, const struct gc_facts *f)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *m;

	if (!b->src->live)
		return;  /* a tree already holds dev/kmsg and dev/cpuid as files */
	if (f->kmsg.err == 0) {
		m = open_memstream(&text, &len);
		for (i = 0; m && i < f->kmsg.n; i++)
			fprintf(m, "%s\n", f->kmsg.lines[i]);
		if (m && fclose(m) == 0)
			bundle_file_mem(b, "/dev/kmsg", text, len, HOW_REPLAY, true);
		free(text);
	} else if (f->kmsg.err != -ENOENT) {
		bundle_missing(b, "/dev/kmsg", f->kmsg.err);
	}
	if (f->cpuid.err == 0) {
		text = NULL;
		m = open_memstream(&text, &len);
		if (m) {
			gc_cpuid_format(&f->cpuid, m);
			if (fclose(m) == 0)
				bundle_file_mem(b, "/dev/cpuid", text, len, HOW_REPLAY, false);
		}
		free(text);
	}
}

static bool own_file(const char *path)
{
	return streq(path, "/" GC_UNREADABLE_LIST) || streq(path, "/" GC_BUNDLE_NOT_CAPTURED) ||
	       streq(path, "/" GC_SIZE_ONLY_LIST) ||
	       streq(path, "/" GC_BUNDLE_MANIFEST) || streq(path, "/" GC_BUNDLE_REPORT) ||
	       streq(path, "/" GC_BUNDLE_NOTE);
}

/* Which record entry speaks for a path: a read before a look, one with kept bytes first. */
static int rank(const struct gc_record_entry *e)
{
	return (e->looked ? 0 : 2) + (e->data ? 1 : 0);
}

void bundle_collect(struct bundle *b, const struct gc_record *rec, const struct gc_facts *f)
{
	static const struct gc_record_entry done;
	struct gc_pathmap seen = { 0 };
	size_t i;
	int pass;

	/*
	 * Each path once, in the order first met, spoken for by its best
	 * entry: it is held by size only when every note of it was a look.
	 */
	for (i = 0; i < rec->n; i++) {
		struct gc_pathmap_slot *s;
		bool added;

		s = gc_pathmap_get(&seen, rec->e[i].path, &added);
		if (added || rank(&rec->e[i]) > rank(s->value))
			s->value = &rec->e[i];
	}
	/* Paths read first: one only looked at may lead to the same file by another name. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < rec->n && !b->err; i++) {
			struct gc_pathmap_slot *s = gc_pathmap_find(&seen, rec->e[i].path);
			const struct gc_record_entry *e = s->value;

			if (e == &done || e->looked != (pass == 1))
				continue;
			/* The replay lists are the bundle's to write, not evidence. */
			if (!own_file(e->path))
				add_recorded(b, e);
			s->value = (void *)&done;
		}
	gc_pathmap_free(&seen, NULL);
	add_library_inputs(b, f);
	add_replays(b, f);
	bundle_dirs_end(b);
}

void bundle_collect_free(struct bundle *b)
{
	gc_pathmap_free(&b->nodes, node_free);
	gc_pathmap_free(&b->noted, NULL);
}
