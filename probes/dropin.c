// SPDX-License-Identifier: GPL-2.0-or-later
/* The drop-in directory reader shared by the data tables. */
#include "dropin.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct line_ctx {
	const char *path;
	gc_dropin_fn fn;
	void *ctx;
};

static int one_line(char *line, unsigned no, void *ctx)
{
	struct line_ctx *c = ctx;

	return c->fn(c->path, line, no, c->ctx);
}

static void one_dir(const struct gc_root *r, const char *dir, gc_dropin_fn fn, void *ctx)
{
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = NULL;

	if (gc_opendir(r, dir, &d) < 0)
		return;
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
		struct line_ctx c = { path, fn, ctx };

		/* An unreadable file is skipped like a missing directory. */
		gc_foreach_line(r, path, one_line, &c);
		free(path);
		free(names[i]);
	}
	free(names);
}

int gc_dropin_foreach(const struct gc_root *r, const char *const *dirs, gc_dropin_fn fn, void *ctx)
{
	for (; *dirs; dirs++)
		one_dir(r, *dirs, fn, ctx);
	return 0;
}
