// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Support bundle writer. libarchive writes the tar.gz: it handles the
 * formats, long names and compression we would otherwise hand-roll.
 */
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bundle.h"
#include "result.h"

#define BUNDLE_FILE_MAX (64u << 20)

struct bundle {
	struct archive *a;
	const struct gc_root *src;
	char **added;
	size_t n_added;
	char **unreadable;
	size_t n_unreadable;
	size_t files;
	time_t now;
	int err;
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

static bool already(struct bundle *b, const char *path)
{
	size_t i;

	for (i = 0; i < b->n_added; i++)
		if (streq(b->added[i], path))
			return true;
	*(char **)xappend(&b->added, &b->n_added, sizeof(char *)) = xstrdup(path);
	return false;
}

static void denied(struct bundle *b, const char *path)
{
	size_t i;

	for (i = 0; i < b->n_unreadable; i++)
		if (streq(b->unreadable[i], path))
			return;
	*(char **)xappend(&b->unreadable, &b->n_unreadable, sizeof(char *)) = xstrdup(path);
}

static void entry(struct bundle *b, const char *path, unsigned type, const void *data, size_t len,
		  const char *link)
{
	struct archive_entry *e;

	if (b->err || already(b, path))
		return;
	e = archive_entry_new();
	archive_entry_set_pathname(e, path[0] == '/' ? path + 1 : path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : type == AE_IFLNK ? 0777 : 0644);
	archive_entry_set_mtime(e, b->now, 0);
	if (link)
		archive_entry_set_symlink(e, link);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
	if (archive_write_header(b->a, e) != ARCHIVE_OK ||
	    (type == AE_IFREG && len && archive_write_data(b->a, data, len) != (la_ssize_t)len))
		b->err = -EIO;
	else if (type == AE_IFREG)
		b->files++;
	archive_entry_free(e);
}

/* Only the lines the Hyper-V probe looks at: the whole table runs to megabytes. */
static void add_kallsyms(struct bundle *b, const char *buf, size_t len)
{
	char *out = xmalloc(len + 2), *save = NULL, *copy = xstrndup(buf, len), *line;
	size_t o = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "[pci_hyperv]") || strstr(line, " hv_")) {
			o += (size_t)sprintf(out + o, "%s\n", line);
		}
	entry(b, "/proc/kallsyms", AE_IFREG, out, o, NULL);
	free(out);
	free(copy);
}

static void add_path(struct bundle *b, const char *path, int depth);

/* Add path, recreating each symlink on the way and then what it points to. */
static void add_path(struct bundle *b, const char *path, int depth)
{
	char cur[4096] = "";
	const char *p = path;
	unsigned mode;
	int err;

	if (depth > 16 || strlen(path) >= sizeof(cur))
		return;
	while (*p) {
		size_t len, clen;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		clen = strlen(cur);
		snprintf(cur + clen, sizeof(cur) - clen, "/%.*s", (int)len, p);
		p += len;
		err = gc_stat(b->src, cur, false, &mode);
		if (err) {
			if (gc_err_needs_root(err))
				denied(b, cur);
			return;
		}
		if (S_ISLNK(mode)) {
			char *target = NULL, next[8192];

			if (gc_readlink(b->src, cur, &target) < 0)
				return;
			entry(b, cur, AE_IFLNK, NULL, 0, target);
			if (target[0] == '/')
				snprintf(next, sizeof(next), "%s%s", target, p);
			else
				snprintf(next, sizeof(next), "%.*s/%s%s", (int)(strrchr(cur, '/') - cur), cur, target, p);
			free(target);
			add_path(b, gc_path_normalize(next), depth + 1);
			return;
		}
	}
	if (S_ISREG(mode)) {
		char *buf;
		size_t len;

		err = gc_read_file(b->src, cur, BUNDLE_FILE_MAX, &buf, &len);
		if (gc_err_needs_root(err))
			denied(b, cur);
		if (err)
			return;
		if (streq(cur, "/proc/kallsyms"))
			add_kallsyms(b, buf, len);
		else
			entry(b, cur, AE_IFREG, buf, len, NULL);
		free(buf);
	} else if (S_ISDIR(mode)) {
		entry(b, cur, AE_IFDIR, NULL, 0, NULL);
	} else if (S_ISCHR(mode) || S_ISBLK(mode)) {
		entry(b, cur, AE_IFREG, "", 0, NULL);  /* device nodes are checked for existence only */
	}
}

/* A listed directory: its links and subdirectories, so that the listing replays. */
static void add_listing(struct bundle *b, const char *dir)
{
	struct dirent *de;
	DIR *d = NULL;

	if (gc_opendir(b->src, dir, &d) < 0)
		return;
	while ((de = readdir(d))) {
		char path[4096];
		unsigned mode;

		if (de->d_name[0] == '.' || gc_pathf(path, sizeof(path), "%s/%s", dir, de->d_name) < 0)
			continue;
		if (gc_stat(b->src, path, false, &mode) == 0 && (S_ISLNK(mode) || S_ISDIR(mode)))
			add_path(b, path, 0);
	}
	closedir(d);
}

/* Files read by libpci and libkmod themselves, which the file layer does not see. */
static void add_library_inputs(struct bundle *b, const struct gc_facts *f)
{
	static const char *const pci_attrs[] = {
		"vendor", "device", "class", "irq", "resource", "subsystem_vendor", "subsystem_device",
		"revision", "numa_node", "config", "modalias", "enable",
	};
	static const char *const mod_files[] = {
		"modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.bin",
		"modules.builtin.alias.bin", "modules.softdep", "modules.builtin", "modules.builtin.modinfo",
	};
	char path[512];
	size_t i, j;

	for (i = 0; i < f->pci.n_all; i++)
		for (j = 0; j < ARRAY_SIZE(pci_attrs); j++)
			if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", f->pci.all[i].addr,
				     pci_attrs[j]) == 0)
				add_path(b, path, 0);
	for (j = 0; f->mods.release && !strchr(f->mods.release, '/') && j < ARRAY_SIZE(mod_files); j++)
		if (gc_pathf(path, sizeof(path), "/lib/modules/%s/%s", f->mods.release, mod_files[j]) == 0)
			add_path(b, path, 0);
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
			entry(b, "/dev/kmsg", AE_IFREG, text, len, NULL);
		free(text);
	} else if (gc_err_needs_root(f->kmsg.err)) {
		denied(b, "/dev/kmsg");
	}
	if (f->cpuid.err == 0) {
		text = NULL;
		m = open_memstream(&text, &len);
		if (m) {
			gc_cpuid_format(&f->cpuid, m);
			if (fclose(m) == 0)
				entry(b, "/dev/cpuid", AE_IFREG, text, len, NULL);
		}
		free(text);
	}
}

static void add_notes(struct bundle *b, const struct gc_bundle_info *info)
{
	char *text = NULL, stamp[64];
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&b->now));
	fprintf(m, "aic-guestcheck %s support bundle, made %s from %s.\n"
		   "Unpack it and run: aic-guestcheck --sysroot <this directory>\n"
		   "It holds the files the checks read, the kernel log (dev/kmsg) and CPUID (dev/cpuid) as\n"
		   "replay files, the pci-hyperv lines of /proc/kallsyms only, and the report made when it\n"
		   "was taken (aic-guestcheck-report.json). The kernel log may name hosts and addresses.\n",
		PROJECT_VERSION, stamp, b->src->live ? "the running system" : b->src->dir);
	if (b->n_unreadable)
		fprintf(m, "%zu files could not be read (listed in .unreadable); run as root for them.\n",
			b->n_unreadable);
	fclose(m);
	entry(b, "/aic-guestcheck-bundle.txt", AE_IFREG, text, len, NULL);
	free(text);
	if (info->report_json)
		entry(b, "/aic-guestcheck-report.json", AE_IFREG, info->report_json,
		      strlen(info->report_json), NULL);
	text = NULL;
	m = open_memstream(&text, &len);
	if (!m)
		return;
	for (i = 0; i < b->n_unreadable; i++)
		fprintf(m, "%s\n", b->unreadable[i]);
	fclose(m);
	if (len)
		entry(b, "/" GC_UNREADABLE_LIST, AE_IFREG, text, len, NULL);
	free(text);
}

int gc_bundle_write(const struct gc_root *src, const struct gc_record *rec, const struct gc_facts *f,
		    const char *out_path, struct gc_bundle_info *info, const char **err_msg)
{
	struct bundle b = { .src = src, .now = time(NULL) };
	size_t i;

	*err_msg = NULL;
	b.a = archive_write_new();
	if (!b.a)
		return -ENOMEM;
	archive_write_add_filter_gzip(b.a);
	archive_write_set_format_pax_restricted(b.a);
	if (archive_write_open_filename(b.a, streq(out_path, "-") ? NULL : out_path) != ARCHIVE_OK) {
		*err_msg = "cannot create the bundle file";
		archive_write_free(b.a);
		return -EIO;
	}
	for (i = 0; i < rec->n; i++) {
		unsigned mode;

		/* Listed directories keep their entries; the file layer's own list is not evidence. */
		if (streq(rec->paths[i], "/" GC_UNREADABLE_LIST))
			continue;
		if (gc_stat(src, rec->paths[i], true, &mode) == 0 && S_ISDIR(mode))
			add_listing(&b, rec->paths[i]);
		add_path(&b, rec->paths[i], 0);
	}
	add_library_inputs(&b, f);
	add_replays(&b, f);
	add_notes(&b, info);
	if (archive_write_close(b.a) != ARCHIVE_OK && !b.err)
		b.err = -EIO;
	archive_write_free(b.a);
	info->files = b.files;
	info->unreadable = b.n_unreadable;
	gc_strv_free(b.added, b.n_added);
	gc_strv_free(b.unreadable, b.n_unreadable);
	if (b.err)
		*err_msg = "write error";
	return b.err;
}
