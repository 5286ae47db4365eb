// SPDX-License-Identifier: GPL-2.0-or-later
/* Sorted directory listings through the file layer. */
#include <errno.h>

#include "dirlist.h"
#include "modules.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

int gc_list_dir(const struct gc_root *r, const char *path, const char *suffix, char ***ret, size_t *ret_n)
{
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;
	DIR *d;
	int err;

	*ret = NULL;
	*ret_n = 0;
	if ((err = gc_opendir(r, path, &d)))
		return err;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (suffix && !ends_with(de->d_name, suffix)))
			continue;
		if (n == GC_DIRLIST_MAX) {
			err = -E2BIG;
			break;
		}
		*(char **)xappend(&v, &n, sizeof(char *)) = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp);
	*ret = v;
	*ret_n = n;
	return err;
}
