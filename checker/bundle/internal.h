/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the bundle writer's files: the state of one bundle being written. */
#ifndef GC_BUNDLE_INTERNAL_H
#define GC_BUNDLE_INTERNAL_H

#include <stdint.h>

#include "../../probes/sysroot.h"
#include "bundle.h"
#include "pathmap.h"
#include "redact.h"
#include "tar.h"

/* How an entry came to be, as the manifest says it. */
enum how { HOW_FILE, HOW_FILTERED, HOW_REPLAY, HOW_DEVICE, HOW_CUT, HOW_LOG_TAIL, HOW_UNREADABLE,
	   HOW_NOT_CAPTURED, HOW_BUNDLE, HOW_SIZE_ONLY };

struct entry {
	char *path;         /* absolute, as on the source system */
	char type;          /* 'f' file, 'd' directory, 'l' symlink, 0 none (not in the archive) */
	enum how how;
	uint64_t size;
	char sha256[65];
	uint64_t read;      /* HOW_LOG_TAIL: the bytes left out before the part kept; HOW_SIZE_ONLY: the size */
	char *target;       /* symlinks */
	int err;            /* HOW_UNREADABLE, HOW_NOT_CAPTURED */
};

struct bundle {
	const struct gc_root *src;
	struct gc_tar tar;
	char *top;                  /* the one top directory */
	time_t now;
	struct gc_redact *red;      /* NULL unless --redact */
	struct gc_pathmap nodes;    /* path -> struct node *: each path stat'ed once */
	struct gc_pathmap noted;    /* "u/path", "n/path": each path listed once */
	struct gc_pathmap filled;   /* directories with an entry below them */
	char **dirs;                /* directories to hold, written last unless filled */
	size_t n_dirs;
	struct entry *entries;
	size_t n_entries;
	size_t files, unreadable, not_captured, cut, size_only;
	int err;
};

enum filter { FILTER_NONE, FILTER_KALLSYMS };

/*
 * content.c: entries of the archive, each also a manifest entry. A
 * directory is written only when nothing is written below it (tar and the
 * replay make the others): bundle_dir notes it, bundle_dirs_end writes.
 */
void bundle_dir(struct bundle *b, const char *path);
void bundle_dirs_end(struct bundle *b);
void bundle_symlink(struct bundle *b, const char *path, const char *target);
/* Reads fd to its end (at most GC_BUNDLE_FILE_MAX); returns 0, 1 when cut, or the read error. */
int bundle_file_fd(struct bundle *b, const char *path, int fd, enum filter filter);
/* The same for the bytes a probe's whole read of it gave (struct gc_record_entry). */
int bundle_file_read(struct bundle *b, const char *path, const char *data, size_t len);
/* redact: pass the text through --redact (the lists of tree paths must stay as they are). */
void bundle_file_mem(struct bundle *b, const char *path, const char *data, size_t len, enum how how,
		     bool redact);
/* An empty stand-in for a file of size bytes whose bytes no probe read (GC_SIZE_ONLY_LIST). */
void bundle_size_only(struct bundle *b, const char *path, uint64_t size);
/* A path the probes met but the archive does not hold, and why (needs root: .unreadable). */
void bundle_missing(struct bundle *b, const char *path, int err);

/* collect.c: what the probes read, from the record. */
void bundle_collect(struct bundle *b, const struct gc_record *rec, const struct gc_facts *f);
void bundle_collect_free(struct bundle *b);

/* manifest.c */
/* The manifest as JSON, its length in *len. */
char *bundle_manifest_json(const struct bundle *b, const struct gc_bundle_opts *opts, size_t *len);
void bundle_entries_free(struct bundle *b);

#endif
