/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private views for libraries that open files by path (libpci, libkmod).
 * They cannot be handed a directory fd, and they open with plain open():
 * given the tree itself they would follow its links out of it and block on
 * its FIFOs. Instead each gets a private temporary directory (mode 0700)
 * filled through the file layer with exactly the files it reads, as plain
 * files and directories: nothing in it leads anywhere else, and every
 * copied path is recorded by the layer like any other read, so the support
 * bundle still holds what the libraries saw.
 */
#ifndef GC_VIEW_H
#define GC_VIEW_H

#include "sysroot.h"

/* Largest file copied into a view (libkmod's indexes are a few MiB). */
#define GC_VIEW_FILE_MAX (64u << 20)

/* Make a private directory under $TMPDIR (absolute) or /tmp; *ret_dir is malloc'd. */
int gc_view_create(char **ret_dir);

/*
 * Copy path (a tree path) to <view>/<path>, creating directories on the
 * way; at most max bytes (-EFBIG beyond). Errors of the read are those of
 * the layer (-ENOENT, -EACCES for .unreadable, -EINVAL for a FIFO, ...).
 */
int gc_view_copy(const struct gc_root *r, const char *view, const char *path, size_t max);

/* Make <view>/<path> and its parents. */
int gc_view_mkdir(const char *view, const char *path);

/* Write data to <view>/<path> (for values the layer already read). */
int gc_view_write(const char *view, const char *path, const void *data, size_t len);

/*
 * The same one directory at a time, for views of many files: the path is
 * resolved once, not again from the view's top for every file. dfd is a
 * directory of the view (gc_view_dir, gc_view_subdir), name one component.
 */
/* Make <view>/<path> and its parents; an O_DIRECTORY fd of it, or -errno. */
int gc_view_dir(const char *view, const char *path);
/* Make directory name below dfd (it may exist); an fd of it, or -errno. */
int gc_view_subdir(int dfd, const char *name);
/* As gc_view_write and gc_view_copy, into name below dfd. */
int gc_view_write_at(int dfd, const char *name, const void *data, size_t len);
int gc_view_copy_at(const struct gc_root *r, int dfd, const char *name, const char *path, size_t max);

/* Remove the view and everything in it; frees dir. */
void gc_view_remove(char *dir);

#endif
