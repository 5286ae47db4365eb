// SPDX-License-Identifier: GPL-2.0-or-later
/* The drop-in table of distribution kernels and their pci-hyperv fixes. */
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>

#include "dropin.h"
#include "fixtable.h"

int gc_fixtable_parse_line(const char *line, struct gc_fixentry *out)
{
	char glob[256], commit[64], state[16];
	int off = 0;
	char *src;

	*out = (struct gc_fixentry){ 0 };
	line += strspn(line, " \t");
	if (!*line || *line == '#' || *line == '\n')
		return 0;
	if (sscanf(line, "%255s %63s %15s %n", glob, commit, state, &off) != 3 || !off)
		return -EINVAL;
	if (!streq(state, "present") && !streq(state, "absent"))
		return -EINVAL;
	if (!streq(commit, "all") && (strlen(commit) < 12 || strspn(commit, "0123456789abcdef") != strlen(commit)))
		return -EINVAL;
	src = gc_dropin_source(line + off);
	if (!src)
		return -EINVAL;  /* an entry without its source is not accepted */
	out->glob = xstrdup(glob);
	out->commit = xstrndup(commit, 12);
	out->present = streq(state, "present");
	out->source = src;
	return 1;
}

static int parse(const char *line, void *entry)
{
	return gc_fixtable_parse_line(line, entry);
}

int gc_fixtable_load(const struct gc_root *host, const char *const *dirs, struct gc_fixtable *out)
{
	const struct gc_dropin_table t = {
		.parse = parse, .size = sizeof(struct gc_fixentry), .file_offset = offsetof(struct gc_fixentry, file),
		.entries = &out->e, .n = &out->n, .problems = &out->problems, .n_problems = &out->n_problems,
	};

	*out = (struct gc_fixtable){ 0 };
	return gc_dropin_load(host, dirs, &t);
}

const struct gc_fixentry *gc_fixtable_lookup(const struct gc_fixtable *t, const char *release,
					     const char *commit)
{
	const struct gc_fixentry *hit = NULL;
	size_t i;

	for (i = 0; release && i < t->n; i++)
		if ((streq(t->e[i].commit, "all") || strncmp(t->e[i].commit, commit, 12) == 0) &&
		    fnmatch(t->e[i].glob, release, 0) == 0)
			hit = &t->e[i];
	return hit;
}

void gc_fixtable_free(struct gc_fixtable *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->e[i].glob);
		free(t->e[i].commit);
		free(t->e[i].source);
		free(t->e[i].file);
	}
	free(t->e);
	gc_dropin_problems_free(t->problems, t->n_problems);
	*t = (struct gc_fixtable){ 0 };
}
