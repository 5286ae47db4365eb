/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parsed command line: the only program-wide state. */
#ifndef GC_OPTIONS_H
#define GC_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "../probes/pci.h"

enum gc_format { GC_FORMAT_TEXT, GC_FORMAT_JSON };

struct gc_options {
	const char *sysroot;        /* NULL: the live system */
	const char *data_dir;       /* the shipped data (hyperv-fixes.d) */
	const char *output;         /* bundle: -o FILE */
	enum gc_format format;
	char **only, **skip;        /* check IDs */
	size_t n_only, n_skip;
	bool strict;
	int expect_devices;         /* -1: any number >= 1 */
	int verbosity;              /* -1 quiet, 0 normal, 1 verbose */
	bool color;
	unsigned msi_vectors;       /* --msi-vectors; 0: what the driver asks for */
	bool have_extra_id;         /* --device-id */
	struct gc_pci_id extra_id;
};

#endif
