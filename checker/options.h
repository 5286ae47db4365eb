/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parsed command line: the only program-wide state. */
#ifndef GC_OPTIONS_H
#define GC_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "../probes/pci.h"

/* Subcommands; main.c's tables say which options and formats each takes. */
enum gc_command { GC_CMD_CHECK, GC_CMD_LIST, GC_CMD_BUNDLE, GC_CMD_IMAGE, _GC_CMD_MAX };

enum gc_format {
	GC_FORMAT_TEXT,
	GC_FORMAT_JSON,
	GC_FORMAT_ONELINE,     /* the verdict on one line (the journal) */
	GC_FORMAT_JUNIT,
	GC_FORMAT_GITHUB,      /* GitHub Actions workflow commands */
	GC_FORMAT_PROMETHEUS,  /* node_exporter textfile collector */
	GC_FORMAT_NFD,         /* Node Feature Discovery feature file */
	_GC_FORMAT_MAX,
};

enum gc_color { GC_COLOR_AUTO, GC_COLOR_ALWAYS, GC_COLOR_NEVER };

/* --report FORMAT:FILE, repeatable: more renderings of the same run. */
struct gc_extra_report {
	enum gc_format format;
	const char *path;
};

struct gc_options {
	enum gc_command cmd;
	const char *sysroot;        /* NULL: the live system */
	const char *data_dir;       /* --data-dir; NULL: found by checker/datadir.c */
	const char *output;         /* -o FILE: the report (bundle: the archive or its directory); NULL: stdout */
	const char *case_id;        /* bundle: --case-id */
	bool redact, force;         /* bundle: --redact, --force */
	enum gc_format format;
	struct gc_extra_report *reports;
	size_t n_reports;
	char **only, **skip;        /* check IDs */
	size_t n_only, n_skip;
	bool strict;
	int expect_devices;         /* -1: any number >= 1 */
	int verbosity;              /* -1 quiet, 0 normal, 1 verbose */
	enum gc_color color_when;   /* --color */
	bool color;                 /* decided: escape sequences in the text report */
	bool ascii;                 /* the locale cannot show UTF-8: text report in ASCII */
	int wait_seconds;           /* --wait; -1: not given */
	unsigned msi_vectors;       /* --msi-vectors; 0: what the driver asks for */
	bool have_extra_id;         /* --device-id */
	struct gc_pci_id extra_id;
};

#endif
