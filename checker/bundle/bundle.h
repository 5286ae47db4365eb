/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The support bundle: a .tar.gz with one top directory that is a sysroot
 * of every file the probes read (relative symlinks kept), the kernel log and
 * CPUID as replay files, lists of what could not be read or was cut, the
 * report made when it was taken and a manifest of every entry. Replayed
 * with --sysroot (the archive itself or its unpacked top directory) it
 * gives the verdicts of the original.
 */
#ifndef GC_BUNDLE_H
#define GC_BUNDLE_H

#include <stdbool.h>

#include "../facts.h"

/* Paths missing from the tree with the errno their read gave (probes/sysroot.h). */
#define GC_BUNDLE_NOT_CAPTURED GC_NOT_CAPTURED_LIST
#define GC_BUNDLE_MANIFEST "aic-guestcheck-manifest.json"
#define GC_BUNDLE_REPORT "aic-guestcheck-report.json"
#define GC_BUNDLE_NOTE "aic-guestcheck-bundle.txt"
/* A file read beyond this is cut: larger than anything a probe reads whole (kernel log: 32 MiB). */
#define GC_BUNDLE_FILE_MAX (32u << 20)
/* What a cut file keeps, for a human to see what it was. */
#define GC_BUNDLE_CUT_KEEP (1u << 20)
#define GC_BUNDLE_DEFAULT_DIR "/var/tmp"

/*
 * Called with the finished archive's temporary path before it is put in
 * place; 0, or -errno with *why (allocated) saying what differs. --redact
 * uses it to replay the redacted archive: a bundle whose replay would not
 * give the original verdicts is never written.
 */
typedef int gc_bundle_verify_fn(const char *archive, void *ctx, char **why);

struct gc_bundle_opts {
	const char *output;    /* a file, an existing directory, "-" (stdout) or NULL (GC_BUNDLE_DEFAULT_DIR) */
	const char *case_id;   /* NULL, or [A-Za-z0-9._-]{1,64} */
	bool force;            /* replace an existing file */
	bool redact;
	const char *report_json;  /* the report made when bundling */
	gc_bundle_verify_fn *verify;  /* NULL, or checked before the archive is put in place */
	void *verify_ctx;
};

struct gc_bundle_info {
	char *path;            /* the archive written (NULL for stdout) */
	char *map_path;        /* --redact: the local mapping file */
	size_t files, unreadable, not_captured, cut;
	char *why;             /* a failed verify's reason */
};

/* Returns 0 or -errno; *err_msg then says which step failed (static text). */
int gc_bundle_write(const struct gc_root *src, const struct gc_record *rec, const struct gc_facts *f,
		    const struct gc_bundle_opts *opts, struct gc_bundle_info *info, const char **err_msg);
void gc_bundle_info_free(struct gc_bundle_info *info);

/* A case ID fit for a file name: 1 to 64 of [A-Za-z0-9._-], not starting with '.' or '-'. */
bool gc_bundle_case_id_valid(const char *id);

/* Pure: resolve "." and ".." in an absolute path, in place ("/a/b/../c" -> "/a/c"). */
char *gc_path_normalize(char *path);
/* Pure: a symlink's target as the archive holds it: relative to the link, inside the tree (allocated). */
char *gc_link_target_in_tree(const char *link, const char *target);

/*
 * --sysroot: a directory is used as it is, or its one subdirectory when it
 * holds nothing but an unpacked bundle; a file is unpacked as a bundle
 * archive into a private temporary directory (see untar.h).
 */
struct gc_bundle_sysroot {
	char *dir;             /* what to open; NULL: the live system */
	char *tmp;             /* the temporary directory to remove, or NULL */
	int tmp_slot;          /* probes/sigclean.h */
};
int gc_bundle_sysroot_open(const char *arg, struct gc_bundle_sysroot *s, char **err_msg);
void gc_bundle_sysroot_close(struct gc_bundle_sysroot *s);

#endif
