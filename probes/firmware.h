/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Firmware files as the kernel's loader would find them
 * (drivers/base/firmware_loader/main.c): in the firmware_class.path
 * directory when set (Documentation/driver-api/firmware/fw_search_path.rst),
 * then in /lib/firmware/updates/<release>,
 * /lib/firmware/updates, /lib/firmware/<release>, /lib/firmware, in that
 * order; each name as is, then name.zst with CONFIG_FW_LOADER_COMPRESS_ZSTD,
 * then name.xz with CONFIG_FW_LOADER_COMPRESS_XZ. Works on any tree (a
 * running guest, a bundle, an image).
 */
#ifndef GC_FIRMWARE_H
#define GC_FIRMWARE_H

#include "sysroot.h"

enum gc_fw_compress {
	GC_FW_COMPRESS_UNKNOWN,  /* kernel config not known: every variant is looked for */
	GC_FW_COMPRESS_NONE,
	GC_FW_COMPRESS_XZ,
	GC_FW_COMPRESS_ZSTD,
	GC_FW_COMPRESS_BOTH,
};

struct gc_fw_file {
	const char *name;   /* "qcom/aic100/sbl.bin" (static) */
	int err;            /* 0 found; -ENOENT nowhere; -EACCES ... */
	char *path;         /* where it was found (the variant the kernel would take) */
	bool compressed_unusable;  /* only a .xz/.zst the kernel cannot decompress was found */
	bool empty;                /* an empty file was found (the loader refuses it, -EINVAL) */
};

/* Look up each of names (n of them) for release; out[] parallel to names. custom: firmware_class.path. */
void gc_firmware_find(const struct gc_root *r, const char *custom, const char *release,
		      enum gc_fw_compress comp, const char *const *names, size_t n, struct gc_fw_file *out);
/* The running kernel's firmware_class.path (/sys/module/firmware_class/parameters/path), NULL when unset. */
char *gc_firmware_custom_path(const struct gc_root *r);
void gc_firmware_free(struct gc_fw_file *f, size_t n);

/* From the kernel config text (NULL: unknown). */
enum gc_fw_compress gc_fw_compress_from_kconfig(const char *kconfig_text);

#endif
