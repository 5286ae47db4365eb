// SPDX-License-Identifier: GPL-2.0-or-later
/* Module facts: /proc/modules, modules.builtin and libkmod lookups. */
#include <errno.h>
#include <libgen.h>
#include <sys/stat.h>

#include <libkmod.h>

#include "modules.h"

bool gc_modname_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char ca = *a == '-' ? '_' : *a, cb = *b == '-' ? '_' : *b;

		if (ca != cb)
			return false;
	}
	return *a == *b;
}

static bool in_list(char **v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (gc_modname_eq(v[i], name))
			return true;
	return false;
}

bool gc_module_loaded(const struct gc_modules *m, const char *name)
{
	return in_list(m->loaded, m->n_loaded, name);
}

bool gc_module_builtin(const struct gc_modules *m, const char *name)
{
	return in_list(m->builtin, m->n_builtin, name) ||
	       (in_list(m->sysfs, m->n_sysfs, name) && !m->loaded_err && !gc_module_loaded(m, name));
}

static int read_sys_module(const struct gc_root *r, struct gc_modules *m)
{
	struct dirent *de;
	DIR *d = NULL;
	int err;

	if ((err = gc_opendir(r, "/sys/module", &d)))
		return err;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			*(char **)xappend(&m->sysfs, &m->n_sysfs, sizeof(char *)) = xstrdup(de->d_name);
	closedir(d);
	return 0;
}

int gc_proc_modules_name(const char *line, char *buf, size_t size)
{
	size_t n = strcspn(line, " \t\n");

	if (n == 0 || n >= size)
		return -EINVAL;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return 0;
}

struct names {
	char ***v;
	size_t *n;
};

/* "qaic 237568 0 - Live 0x0": the first field. */
static int proc_modules_line(char *line, unsigned no, void *ctx)
{
	struct names *c = ctx;
	char name[256];

	(void)no;
	if (gc_proc_modules_name(line, name, sizeof(name)) == 0)
		*(char **)xappend(c->v, c->n, sizeof(char *)) = xstrdup(name);
	return 0;
}

/* "kernel/drivers/pci/controller/pci-hyperv.ko": the file's base name. */
static int builtin_line(char *line, unsigned no, void *ctx)
{
	struct names *c = ctx;
	char *base = strrchr(strstrip_right(line), '/'), *dot;

	(void)no;
	base = base ? base + 1 : line;
	dot = strstr(base, ".ko");
	if (dot)
		*dot = '\0';
	if (*base)
		*(char **)xappend(c->v, c->n, sizeof(char *)) = xstrdup(base);
	return 0;
}

int gc_modules_probe(const struct gc_root *r, struct gc_modules *out)
{
	char path[512];

	*out = (struct gc_modules){ 0 };
	out->release_err = gc_read_string(r, "/proc/sys/kernel/osrelease", &out->release);
	out->loaded_err = gc_foreach_line(r, "/proc/modules", proc_modules_line,
					  &(struct names){ &out->loaded, &out->n_loaded });
	out->sysfs_err = read_sys_module(r, out);
	if (out->release_err) {
		out->builtin_err = out->moddir_err = out->release_err;
		return 0;
	}
	if (strchr(out->release, '/') || gc_pathf(path, sizeof(path), "/lib/modules/%s",
						      out->release) < 0) {
		out->builtin_err = out->moddir_err = -EINVAL;
		return 0;
	}
	out->moddir_err = gc_access(r, path);
	if (!out->moddir_err)
		out->moddir = gc_host_path(r, path);
	strcat(path, "/modules.builtin");
	out->builtin_err = gc_foreach_line(r, path, builtin_line, &(struct names){ &out->builtin, &out->n_builtin });
	return 0;
}

static void kmod_quiet(void *data, int priority, const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn, (void)format, (void)args;
}

int gc_module_lookup(const struct gc_modules *m, const char *name_or_alias, char ***ret_names,
		     size_t *ret_n, char **ret_path)
{
	struct kmod_list *list = NULL, *it;
	struct kmod_ctx *ctx;
	char **names = NULL;
	size_t n = 0;
	int err;

	if (!m->moddir)
		return m->moddir_err ? m->moddir_err : -ENOENT;
	/* No config paths: modprobe.d aliases on the host must not leak into a sysroot. */
	ctx = kmod_new(m->moddir, (const char *const[]){ NULL });
	if (!ctx)
		return -ENOMEM;
	kmod_set_log_fn(ctx, kmod_quiet, NULL);
	err = kmod_module_new_from_lookup(ctx, name_or_alias, &list);
	if (err < 0) {
		kmod_unref(ctx);
		return err;
	}
	*ret_path = NULL;
	kmod_list_foreach(it, list) {
		struct kmod_module *mod = kmod_module_get_module(it);
		const char *p = kmod_module_get_path(mod);

		*(char **)xappend(&names, &n, sizeof(char *)) = xstrdup(kmod_module_get_name(mod));
		if (p && !*ret_path)
			*ret_path = xstrdup(p);
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	kmod_unref(ctx);
	*ret_names = names;
	*ret_n = n;
	return 0;
}

void gc_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void gc_modules_free(struct gc_modules *m)
{
	free(m->release);
	gc_strv_free(m->loaded, m->n_loaded);
	gc_strv_free(m->builtin, m->n_builtin);
	gc_strv_free(m->sysfs, m->n_sysfs);
	free(m->moddir);
	*m = (struct gc_modules){ 0 };
}
