/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the shipped data (hyperv-fixes.d, ...) lives. */
#ifndef GC_DATADIR_H
#define GC_DATADIR_H

/*
 * The first of: `--data-dir` (opt), $AIC_GUESTCHECK_DATA_DIR, then relative
 * to the executable: <bindir>/AICG_DATADIR_REL (an installed tree, wherever
 * it was installed or moved to) or <executable>.data (the build tree).
 * *ret (malloc'ed) names the directory and *how which source chose it.
 * Returns 0 when found; 1 when the executable's location holds none (*ret:
 * where it was looked for); -errno when a directory that was asked for
 * (opt or the environment) is not a usable directory.
 */
int gc_datadir_find(const char *opt, char **ret, const char **how);

#endif
