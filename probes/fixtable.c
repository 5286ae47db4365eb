// SPDX-License-Identifier: GPL-2.0-or-later
/* The drop-in table of distribution kernels and their pci-hyperv fixes. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>

#include "fixtable.h"

int gc_fixtable_parse_line(const char *line, struct gc_fixentry *out)
{
	char glob[256], commit[64], state[16];
	int off = 0;
	const char *src;
	size_t len;

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
	src = line + off;
	len = strcspn(src, "\n");
	while (len && (src[len - 1] == ' ' || src[len - 1] == '\t'))
		len--;
	if (!len)
		return -EINVAL;  /* an entry without its source is not accepted */
	out->glob = xstrdup(glob);
	out->commit = xstrndup(commit, 12);
	out->present = streq(state, "present");
	out->source = xstrndup(src, len);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct load_ctx {
	const char *path;
	struct gc_fixtable *t;
};

static int load_line(char *line, unsigned no, void *ctx)
{
	struct load_ctx *c = ctx;
	struct gc_fixentry e;
	int ret = gc_fixtable_parse_line(line, &e);

	if (ret < 0)
		*(char **)xappend(&c->t->problems, &c->t->n_problems, sizeof(char *)) =
			xasprintf("%s:%u", c->path, no);
	if (ret > 0) {
		e.file = xasprintf("%s:%u", c->path, no);
		*(struct gc_fixentry *)xappend(&c->t->e, &c->t->n, sizeof(e)) = e;
	}
	return 0;
}

int gc_fixtable_load(const struct gc_root *host, const char *const *dirs, struct gc_fixtable *out)
{
	*out = (struct gc_fixtable){ 0 };
	for (; *dirs; dirs++) {
		char **names = NULL;
		size_t n = 0, i;
		struct dirent *de;
		DIR *d = NULL;

		if (gc_opendir(host, *dirs, &d) < 0)
			continue;
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);

			if (de->d_name[0] != '.' && len > 5 && streq(de->d_name + len - 5, ".conf"))
				*(char **)xappend(&names, &n, sizeof(char *)) = xstrdup(de->d_name);
		}
		closedir(d);
		if (n)
			qsort(names, n, sizeof(char *), cmp_str);
		for (i = 0; i < n; i++) {
			char *path = xasprintf("%s/%s", *dirs, names[i]);
			struct load_ctx c = { path, out };

			gc_foreach_line(host, path, load_line, &c);
			free(path);
			free(names[i]);
		}
		free(names);
	}
	return 0;
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
	for (i = 0; i < t->n_problems; i++)
		free(t->problems[i]);
	free(t->problems);
	*t = (struct gc_fixtable){ 0 };
}
