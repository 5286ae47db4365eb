/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A file that appears whole or not at all: written under a temporary name
 * in the target directory (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 whatever
 * the umask), fsync'ed, then renamed into place. Without force an
 * existing file (or symlink) at the final name is refused, atomically.
 * The final name is never opened, so a symlink planted there is never
 * followed. SIGHUP, SIGINT and SIGTERM remove the temporary file
 * (probes/sigclean.h).
 */
#ifndef GC_OUTFILE_H
#define GC_OUTFILE_H

#include <stdbool.h>

struct gc_outfile {
	int fd;        /* write here */
	int dirfd;
	char *name;    /* final name in dirfd */
	char *tmp;     /* temporary name in dirfd, until placed */
	int slot;      /* probes/sigclean.h: the name a signal removes, or -1 */
	bool force;
	bool placed;   /* under its final name, removed by abort (gc_outfile_commit_pending) */
};

/* Nothing to remove: gc_outfile_abort is safe on it. */
#define GC_OUTFILE_INIT { .fd = -1, .dirfd = -1, .slot = -1 }

/* Returns 0 or -errno (-EEXIST: the final name exists and force is off). */
int gc_outfile_create(struct gc_outfile *o, const char *path, bool force);
/* Written out (fsync) and closed; commit does it too. */
int gc_outfile_sync(struct gc_outfile *o);
int gc_outfile_commit(struct gc_outfile *o);
/*
 * Put in place, but still undone by gc_outfile_abort or a signal until
 * gc_outfile_keep: a file that means nothing without another one
 * committed after it (the redaction map and its bundle). Hold the signals
 * (probes/sigclean.h) from here to gc_outfile_keep, so that neither is
 * left without the other. keep on a file not placed aborts it.
 */
int gc_outfile_commit_pending(struct gc_outfile *o);
void gc_outfile_keep(struct gc_outfile *o);
/* Removes the temporary file, or a pending one; safe after a failed commit or create. */
void gc_outfile_abort(struct gc_outfile *o);

#endif
