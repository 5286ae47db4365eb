/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gzip-compressed files (/proc/config.gz, package changelogs) opened through the file layer. */
#ifndef GC_GZFILE_H
#define GC_GZFILE_H

#include <zlib.h>

#include "sysroot.h"

/* Open path below the root for gzread/gzgets; 0 or -errno. Close with gzclose(). */
int gc_gzopen(const struct gc_root *r, const char *path, gzFile *ret);

#endif
