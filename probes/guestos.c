// SPDX-License-Identifier: GPL-2.0-or-later
/* The drop-in table of supported guest operating systems. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>

#include "dropin.h"
#include "guestos.h"

int gc_guestos_parse_line(const char *line, struct gc_guestos_entry *out)
{
	char id[64], version[64], arch[32];
	const char *src;
	size_t len;
	int off = 0;

	*out = (struct gc_guestos_entry){ 0 };
	line += strspn(line, " \t");
	if (!*line || *line == '#' || *line == '\n')
		return 0;
	if (sscanf(line, "%63s %63s %31s %n", id, version, arch, &off) != 3 || !off)
		return -EINVAL;
	src = line + off;
	len = strcspn(src, "\n");
	while (len && (src[len - 1] == ' ' || src[len - 1] == '\t' || src[len - 1] == '\r'))
		len--;
	if (!len)
		return -EINVAL;  /* an entry without its source is not accepted */
	out->id = xstrdup(id);
	out->version = xstrdup(version);
	out->arch = xstrdup(arch);
	out->source = xstrndup(src, len);
	return 1;
}

static int load_line(const char *path, char *line, unsigned no, void *ctx)
{
	struct gc_guestos_table *t = ctx;
	struct gc_guestos_entry e;
	int ret = gc_guestos_parse_line(line, &e);

	if (ret < 0)
		*(char **)xappend(&t->problems, &t->n_problems, sizeof(char *)) = xasprintf("%s:%u", path, no);
	if (ret > 0) {
		e.file = xasprintf("%s:%u", path, no);
		*(struct gc_guestos_entry *)xappend(&t->e, &t->n, sizeof(e)) = e;
	}
	return 0;
}

int gc_guestos_load(const struct gc_root *host, const char *const *dirs, struct gc_guestos_table *out)
{
	*out = (struct gc_guestos_table){ 0 };
	return gc_dropin_foreach(host, dirs, load_line, out);
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
	for (i = 0; i < t->n_problems; i++)
		free(t->problems[i]);
	free(t->problems);
	*t = (struct gc_guestos_table){ 0 };
}
