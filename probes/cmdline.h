/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel command line, split as the kernel splits it (quotes group words). */
#ifndef GC_CMDLINE_H
#define GC_CMDLINE_H

#include "sysroot.h"

struct gc_param {
	char *key;
	char *value;  /* NULL for a bare word */
};

struct gc_cmdline {
	int err;
	char *raw;
	struct gc_param *p;
	size_t n;
};

int gc_cmdline_probe(const struct gc_root *r, struct gc_cmdline *out);
/* Pure: split text into out->p (raw is not set). */
void gc_cmdline_parse(const char *text, struct gc_cmdline *out);
void gc_cmdline_free(struct gc_cmdline *c);

/* Last value of key ("" for a bare word), or NULL when absent; "--" ends kernel parameters. */
const char *gc_cmdline_get(const struct gc_cmdline *c, const char *key);
/* Whether a comma-separated value of key contains word ("pci=noaer,nomsi"). */
bool gc_cmdline_has_word(const struct gc_cmdline *c, const char *key, const char *word);

#endif
