// SPDX-License-Identifier: GPL-2.0-or-later
/* Firmware files where the kernel's firmware loader looks. */
#include <errno.h>
#include <sys/stat.h>

#include "firmware.h"
#include "kconfig.h"

enum gc_fw_compress gc_fw_compress_from_kconfig(const char *text)
{
	char buf[8];
	bool xz, zst;

	if (!text)
		return GC_FW_COMPRESS_UNKNOWN;
	xz = streq(gc_kconfig_get(text, "CONFIG_FW_LOADER_COMPRESS_XZ", buf, sizeof(buf)), "y");
	zst = streq(gc_kconfig_get(text, "CONFIG_FW_LOADER_COMPRESS_ZSTD", buf, sizeof(buf)), "y");
	return xz && zst ? GC_FW_COMPRESS_BOTH : xz ? GC_FW_COMPRESS_XZ : zst ? GC_FW_COMPRESS_ZSTD
								     : GC_FW_COMPRESS_NONE;
}

/*
 * 0 when path is a file the loader can take: regular (symlinks followed, as
 * kernel_read_file_from_path() does) and not empty (kernel_read_file():
 * "if (i_size <= 0) ret = -EINVAL", fs/kernel_read_file.c since 5.10,
 * kernel_read_file() in fs/exec.c before). A size a capture does not know
 * (a file it lists but holds no copy of) counts as there.
 */
static int loadable(const struct gc_root *r, const char *path, bool *empty)
{
	unsigned mode;
	int64_t size;
	int err = gc_stat_size(r, path, true, &mode, &size);

	if (err)
		return err;
	if (!S_ISREG(mode))
		return -EINVAL;
	if (size == 0) {
		*empty = true;
		return -EINVAL;
	}
	return 0;
}

static void find_one(const struct gc_root *r, const char *custom, const char *release,
		     enum gc_fw_compress comp, struct gc_fw_file *f)
{
	/* fw_path[]: the firmware_class.path parameter, then the four defaults, in order. */
	const char *dirs[5] = { custom && *custom ? custom : NULL, NULL, "/lib/firmware/updates", NULL,
				"/lib/firmware" };
	char upd[300], rel[300];
	size_t d;

	f->err = -ENOENT;
	if (release && gc_pathf(upd, sizeof(upd), "/lib/firmware/updates/%s", release) == 0 &&
	    gc_pathf(rel, sizeof(rel), "/lib/firmware/%s", release) == 0) {
		dirs[1] = upd;
		dirs[3] = rel;
	}
	/* The loader tries every directory for the plain name first, then .zst, then .xz. */
	static const char *const sfx[] = { "", ".zst", ".xz" };
	for (size_t s = 0; s < ARRAY_SIZE(sfx); s++) {
		bool usable = s == 0 || comp == GC_FW_COMPRESS_UNKNOWN || comp == GC_FW_COMPRESS_BOTH ||
			      (s == 1 && comp == GC_FW_COMPRESS_ZSTD) || (s == 2 && comp == GC_FW_COMPRESS_XZ);

		for (d = 0; d < ARRAY_SIZE(dirs); d++) {
			char path[600];
			int err;

			if (!dirs[d] || gc_pathf(path, sizeof(path), "%s/%s%s", dirs[d], f->name, sfx[s]) < 0)
				continue;
			err = loadable(r, path, &f->empty);
			if (err == -ENOENT || err == -ENOTDIR)
				continue;
			if (err && f->err == -ENOENT)
				f->err = err;  /* there, but unreadable or not a file */
			if (err)
				continue;
			if (!usable) {
				f->compressed_unusable = true;
				continue;
			}
			f->err = 0;
			free(f->path);
			f->path = xstrdup(path);
			return;
		}
	}
}

void gc_firmware_find(const struct gc_root *r, const char *custom, const char *release,
		      enum gc_fw_compress comp, const char *const *names, size_t n, struct gc_fw_file *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i] = (struct gc_fw_file){ .name = names[i] };
		find_one(r, custom, release, comp, &out[i]);
	}
}

char *gc_firmware_custom_path(const struct gc_root *r)
{
	char *v = NULL;
	size_t len;

	if (gc_read_string(r, "/sys/module/firmware_class/parameters/path", &v) < 0)
		return NULL;
	len = strcspn(v, "\n");
	v[len] = '\0';
	if (!len) {
		free(v);
		return NULL;
	}
	return v;
}

void gc_firmware_free(struct gc_fw_file *f, size_t n)
{
	size_t i;

	for (i = 0; f && i < n; i++)
		free(f[i].path);
}
