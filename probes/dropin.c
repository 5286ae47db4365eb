// SPDX-License-Identifier: GPL-2.0-or-later
/* The drop-in directory reader shared by the data tables. */
#include <errno.h>
#include <string.h>

#include "dropin.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct line_ctx {
	const char *path;
	const struct gc_dropin_table *t;
};

static void problem(const struct gc_dropin_table *t, char *text)
{
	*(char **)xappend(t->problems, t->n_problems, sizeof(char *)) = text;
}

static int one_line(char *line, unsigned no, void *ctx)
{
	struct line_ctx *c = ctx;
	const struct gc_dropin_table *t = c->t;
	char *entry = xcalloc(1, t->size);
	int ret = t->parse(line, entry);

	if (ret < 0)
		problem(t, xasprintf("%s:%u: not understood", c->path, no));
	if (ret > 0) {
		*(char **)(entry + t->file_offset) = xasprintf("%s:%u", c->path, no);
		memcpy(xappend(t->entries, t->n, t->size), entry, t->size);
	}
	free(entry);
	return 0;
}

static void one_dir(const struct gc_root *r, const char *dir, const struct gc_dropin_table *t)
{
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = NULL;
	int err;

	err = gc_opendir(r, dir, &d);
	if (err < 0) {
		if (err != -ENOENT)
			problem(t, xasprintf("%s: %s", dir, strerror(-err)));
		return;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] != '.' && len > 5 && streq(de->d_name + len - 5, ".conf"))
			*(char **)xappend(&names, &n, sizeof(char *)) = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		struct line_ctx c = { path, t };

		err = gc_foreach_line(r, path, one_line, &c);
		if (err < 0)
			problem(t, xasprintf("%s: %s", path, strerror(-err)));
		free(path);
		free(names[i]);
	}
	free(names);
}

int gc_dropin_load(const struct gc_root *r, const char *const *dirs, const struct gc_dropin_table *t)
{
	for (; *dirs; dirs++)
		one_dir(r, *dirs, t);
	return 0;
}

char *gc_dropin_source(const char *text)
{
	size_t len = strcspn(text, "\n");

	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
		len--;
	return len ? xstrndup(text, len) : NULL;
}

void gc_dropin_problems_free(char **problems, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(problems[i]);
	free(problems);
}
