// SPDX-License-Identifier: GPL-2.0-or-later
/* The drop-in table of supported guest operating systems. */
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>

#include "dropin.h"
#include "guestos.h"

int gc_guestos_parse_line(const char *line, struct gc_guestos_entry *out)
{
	char id[64], version[64], arch[32];
	char *src;
	int off = 0;

	*out = (struct gc_guestos_entry){ 0 };
	line += strspn(line, " \t");
	if (!*line || *line == '#' || *line == '\n')
		return 0;
	if (sscanf(line, "%63s %63s %31s %n", id, version, arch, &off) != 3 || !off)
		return -EINVAL;
	src = gc_dropin_source(line + off);
	if (!src)
		return -EINVAL;  /* an entry without its source is not accepted */
	out->id = xstrdup(id);
	out->version = xstrdup(version);
	out->arch = xstrdup(arch);
	out->source = src;
	return 1;
}

static int parse(const char *line, void *entry)
{
	return gc_guestos_parse_line(line, entry);
}

int gc_guestos_load(const struct gc_root *host, const char *const *dirs, struct gc_guestos_table *out)
{
	const struct gc_dropin_table t = {
		.parse = parse, .size = sizeof(struct gc_guestos_entry), .file_offset = offsetof(struct gc_guestos_entry, file),
		.entries = &out->e, .n = &out->n, .problems = &out->problems, .n_problems = &out->n_problems,
	};

	*out = (struct gc_guestos_table){ 0 };
	return gc_dropin_load(host, dirs, &t);
}

const struct gc_guestos_entry *gc_guestos_lookup(const struct gc_guestos_table *t, const char *id,
						 const char *version_id, const char *machine)
{
	size_t i;

	for (i = 0; id && i < t->n; i++)
		if (streq(t->e[i].id, id) && fnmatch(t->e[i].version, version_id ? version_id : "", 0) == 0 &&
		    streq(t->e[i].arch, machine))
			return &t->e[i];
	return NULL;
}

void gc_guestos_free(struct gc_guestos_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->e[i].id);
		free(t->e[i].version);
		free(t->e[i].arch);
		free(t->e[i].source);
		free(t->e[i].file);
	}
	free(t->e);
	gc_dropin_problems_free(t->problems, t->n_problems);
	*t = (struct gc_guestos_table){ 0 };
}
