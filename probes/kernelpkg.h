/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the distribution says about the running kernel: the upstream
 * version it is built on (/proc/version_signature on Ubuntu, the "Debian
 * X.Y.Z-N" of /proc/version on Debian) and the package changelog, which
 * names backported commits by subject: /usr/share/doc/linux-image-<release>/
 * changelog.gz (Debian) or changelog.Debian.gz (Ubuntu), else, where rpm
 * is installed, `rpm -q --changelog` of the package owning the kernel image
 * (run with a deadline; under --sysroot with --root, only when the tree
 * holds an rpm database, never against the host's).
 */
#ifndef GC_KERNELPKG_H
#define GC_KERNELPKG_H

#include "sysroot.h"

#define GC_CHANGELOG_MAX_SUBJECTS 8

struct gc_kernelpkg {
	char *version_signature;   /* /proc/version_signature */
	char *proc_version;        /* /proc/version */
	int changelog_err;
	char *changelog;           /* path of the changelog read, or the rpm command */
	bool found[GC_CHANGELOG_MAX_SUBJECTS];    /* the newest line naming the subject adds it */
	bool decided[GC_CHANGELOG_MAX_SUBJECTS];  /* a line named it (the fix, or its revert) */
};

/* Look for each subject (substring match: entries may carry "[amd64,arm64] ") in the changelog. */
int gc_kernelpkg_probe(const struct gc_root *r, const char *release, const char *const *subjects,
		       size_t n, struct gc_kernelpkg *out);
void gc_kernelpkg_free(struct gc_kernelpkg *k);

/* Feed changelog lines newest first: the first line naming a subject decides it (fix or revert). */
void gc_changelog_match(const char *line, const char *const *subjects, size_t n, bool *found, bool *decided);

/* A name rpm may be given as an operand: NEVRA characters only, no leading '-'. */
bool gc_rpm_name_valid(const char *name);

/* Upstream version text from version_signature or /proc/version, into buf; NULL when neither says. */
const char *gc_upstream_version(const struct gc_kernelpkg *k, char *buf, size_t size,
				const char **ret_source);

#endif
