/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Temporaries that SIGHUP, SIGINT or SIGTERM must not leave behind: the
 * private view libkmod reads, the bundle and its redaction map under their
 * hidden names, and the private directories archives are unpacked into.
 * While any is registered those signals are caught; the handler removes
 * every one (by descriptor, never through a link) and the program then
 * dies of the signal as before.
 * SIGKILL cannot be caught: the names stay hidden (outfile.h) or below
 * $TMPDIR.
 */
#ifndef GC_SIGCLEAN_H
#define GC_SIGCLEAN_H

#include <signal.h>
#include <stdbool.h>

/*
 * Slots: bundle --redact --sysroot ARCHIVE holds the most at once: two
 * unpacked directories (it replays its bundle inside a replay), the
 * views of two gathers (libpci's, libkmod's, rpm's: up to three each),
 * the bundle and its map; ten. A temporary without a slot is still
 * removed on exit, only not on a signal.
 */
#define GC_SIGCLEAN_SLOTS 16
/* Directories are removed this deep below a registered one: deeper than the tool makes (untar.h). */
#define GC_SIGCLEAN_DEPTH 130u

/*
 * Block the signals around making a temporary and registering it, so
 * that none lands in between; gc_sigclean_release restores the mask.
 */
void gc_sigclean_hold(sigset_t *old);
void gc_sigclean_release(const sigset_t *old);

/*
 * Register name below the open directory parent (a duplicate of parent is
 * kept until gc_sigclean_forget), a directory with all below it when tree.
 * Call while held. Returns the slot, or -EBUSY, -ENAMETOOLONG, -EMFILE.
 */
int gc_sigclean_add(int parent, const char *name, bool tree);

/* The slot of a registered name (names made by mkdtemp are unique), or -ENOENT. */
int gc_sigclean_find(const char *name);

/* Unregister slot (< 0: nothing), removing the temporary first when remove. */
void gc_sigclean_forget(int slot, bool remove);

/*
 * Remove the temporary at path, as the handler would (by descriptor,
 * never through a link): for one that got no slot.
 */
void gc_sigclean_remove_path(const char *path, bool tree);

#endif
