// SPDX-License-Identifier: GPL-2.0-or-later
/* modprobe.d and modules-load.d, parsed as kmod and systemd-modules-load read them. */
#include <errno.h>

#include "dirlist.h"
#include "modprobe.h"
#include "modules.h"

#define MODPROBE_FILE_MAX (1u << 20)

/* Joins backslash-continued lines in place (kmod's getline_wrapped); returns the next line. */
static char *next_line(char **pp, unsigned *no, unsigned *first)
{
	char *start = *pp, *w = start, *p = start;

	if (!*p)
		return NULL;
	*first = *no;
	while (*p && *p != '\n') {
		if (*p == '\\' && p[1] == '\n') {
			p += 2;
			(*no)++;
			continue;
		}
		*w++ = *p++;
	}
	if (*p == '\n') {
		p++;
		(*no)++;
	}
	*w = '\0';
	*pp = p;
	return start;
}

void gc_modprobe_parse(const char *text, const char *file, struct gc_modprobe *out)
{
	char *copy = xstrdup(text), *p = copy, *line;
	unsigned no = 1, first;

	while ((line = next_line(&p, &no, &first))) {
		char *save = NULL, *cmd = strtok_r(line, " \t", &save), *mod;
		struct gc_modprobe_rule *r;

		if (!cmd || cmd[0] == '#')
			continue;
		if (!streq(cmd, "blacklist") && !streq(cmd, "install"))
			continue;
		mod = strtok_r(NULL, " \t", &save);
		if (!mod)
			continue;
		r = xappend(&out->rules, &out->n, sizeof(*r));
		r->kind = streq(cmd, "blacklist") ? GC_MODPROBE_BLACKLIST : GC_MODPROBE_INSTALL;
		r->module = xstrdup(mod);
		r->file = xstrdup(file);
		r->line = first;
		if (r->kind == GC_MODPROBE_INSTALL) {
			char *rest = save ? save + strspn(save, " \t") : NULL;

			r->command = xstrdup(rest ? strstrip_right(rest) : "");
		}
	}
	free(copy);
}

void gc_modules_load_parse(const char *text, const char *file, struct gc_modprobe *out)
{
	char *copy = xstrdup(text), *save = NULL, *line;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t");
		strstrip_right(line);
		if (!*line || *line == '#' || *line == ';')
			continue;
		line[strcspn(line, " \t")] = '\0';
		*(char **)xappend(&out->load, &out->n_load, sizeof(char *)) = xstrdup(line);
		out->load_file = xrealloc(out->load_file, out->n_load * sizeof(char *));
		out->load_file[out->n_load - 1] = xstrdup(file);
	}
	free(copy);
}

typedef void (*parse_fn)(const char *text, const char *file, struct gc_modprobe *out);

/* Every *.conf of dirs, in name order, earlier directories hiding the same name in later ones. */
static int read_dirs(const struct gc_root *r, const char *const *dirs, size_t n_dirs, parse_fn fn,
		     struct gc_modprobe *out)
{
	char **names = NULL, **paths = NULL;
	size_t i, j, n = 0;
	int err = -ENOENT;

	for (i = 0; i < n_dirs; i++) {
		char **v;
		size_t nv;

		if (gc_list_dir(r, dirs[i], ".conf", &v, &nv) == -ENOENT)
			continue;
		err = 0;
		for (j = 0; j < nv; j++) {
			size_t k;
			bool dup = false;

			for (k = 0; k < n && !dup; k++)
				dup = streq(names[k], v[j]);
			if (dup || n >= GC_DIRLIST_MAX) {
				free(v[j]);
				continue;
			}
			names = xrealloc(names, (n + 1) * sizeof(char *));
			paths = xrealloc(paths, (n + 1) * sizeof(char *));
			names[n] = v[j];
			paths[n] = xasprintf("%s/%s", dirs[i], v[j]);
			n++;
		}
		free(v);
	}
	/* kmod reads them in name order whatever directory each comes from. */
	for (i = 0; i + 1 < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *t = names[i], *u = paths[i];

				names[i] = names[j], paths[i] = paths[j];
				names[j] = t, paths[j] = u;
			}
	for (i = 0; i < n; i++) {
		char *text;

		if (gc_read_file(r, paths[i], MODPROBE_FILE_MAX, &text, NULL) == 0) {
			fn(text, paths[i], out);
			free(text);
			if (fn == gc_modprobe_parse)
				*(char **)xappend(&out->files, &out->n_files, sizeof(char *)) = xstrdup(paths[i]);
		}
		free(names[i]);
		free(paths[i]);
	}
	free(names);
	free(paths);
	return err;
}

int gc_modprobe_probe(const struct gc_root *r, struct gc_modprobe *out)
{
	static const char *const modprobe_dirs[] = { "/etc/modprobe.d", "/run/modprobe.d",
						     "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d",
						     "/lib/modprobe.d" };
	static const char *const load_dirs[] = { "/etc/modules-load.d", "/run/modules-load.d",
						 "/usr/local/lib/modules-load.d", "/usr/lib/modules-load.d",
						 "/lib/modules-load.d" };
	char *text;

	*out = (struct gc_modprobe){ 0 };
	out->err = read_dirs(r, modprobe_dirs, ARRAY_SIZE(modprobe_dirs), gc_modprobe_parse, out);
	read_dirs(r, load_dirs, ARRAY_SIZE(load_dirs), gc_modules_load_parse, out);
	/* Debian's kmod service also loads the names in /etc/modules. */
	if (gc_read_file(r, "/etc/modules", MODPROBE_FILE_MAX, &text, NULL) == 0) {
		gc_modules_load_parse(text, "/etc/modules", out);
		free(text);
	}
	return 0;
}

const struct gc_modprobe_rule *gc_modprobe_find(const struct gc_modprobe *m, enum gc_modprobe_kind kind,
						 const char *module)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->rules[i].kind == kind && gc_modname_eq(m->rules[i].module, module))
			return &m->rules[i];
	return NULL;
}

const char *gc_modules_load_find(const struct gc_modprobe *m, const char *module)
{
	size_t i;

	for (i = 0; i < m->n_load; i++)
		if (gc_modname_eq(m->load[i], module))
			return m->load_file[i];
	return NULL;
}

bool gc_install_disables(const char *command)
{
	static const char *const nops[] = { "/bin/true", "/bin/false", "/usr/bin/true", "/usr/bin/false",
					    "true", "false", "exit", ":" };
	char word[64];
	size_t i, len = strcspn(command, " \t;");

	if (len >= sizeof(word))
		return false;
	memcpy(word, command, len);
	word[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(nops); i++)
		if (streq(word, nops[i]))
			return true;
	return false;
}

void gc_modprobe_free(struct gc_modprobe *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->rules[i].module);
		free(m->rules[i].command);
		free(m->rules[i].file);
	}
	free(m->rules);
	gc_strv_free(m->files, m->n_files);
	gc_strv_free(m->load, m->n_load);
	gc_strv_free(m->load_file, m->n_load);
	*m = (struct gc_modprobe){ 0 };
}
