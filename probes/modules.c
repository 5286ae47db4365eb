// SPDX-License-Identifier: GPL-2.0-or-later
/* Module facts: /proc/modules, modules.builtin and libkmod lookups. */
#include <errno.h>
#include <libgen.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include <libkmod.h>

#include "modules.h"
#include "run.h"
#include "view.h"

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

/*
 * What libkmod opens for kmod_new() and kmod_module_new_from_lookup(): the
 * indexes of lib/modules/<release> (libkmod/libkmod.c index_files[],
 * modules.builtin.modinfo, modules.softdep and modules.weakdep read by
 * kmod_config_new) and /proc/cmdline, which kmod_config_new() parses for
 * modprobe.blacklist= and module options at that fixed path (seen with
 * strace on kmod 30).
 */
static const char *const kmod_files[] = {
	"modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.alias.bin",
	"modules.builtin.bin", "modules.builtin.modinfo", "modules.softdep", "modules.weakdep",
};

/*
 * libkmod opens by path and follows links: below a tree it gets a private
 * view (view.h) holding copies of those files, and runs chroot()ed into it
 * (gc_module_lookup), where even its fixed /proc/cmdline is the tree's.
 */
static int kmod_view(const struct gc_root *r, const char *moddir, char **ret_view)
{
	size_t i;
	int err;

	if ((err = gc_view_create(ret_view)))
		return err;
	err = gc_view_mkdir(*ret_view, moddir);
	for (i = 0; i < ARRAY_SIZE(kmod_files) && !err; i++) {
		char path[600];
		int e;

		if ((err = gc_pathf(path, sizeof(path), "%s/%s", moddir, kmod_files[i])))
			break;
		e = gc_view_copy(r, *ret_view, path, GC_VIEW_FILE_MAX);
		/* Absent is what libkmod handles itself; anything else (a FIFO, too big) is no index. */
		if (e && e != -ENOENT)
			err = e;
	}
	if (!err && gc_view_mkdir(*ret_view, "/proc") == 0)
		gc_view_copy(r, *ret_view, "/proc/cmdline", 65536);
	if (err) {
		gc_view_remove(*ret_view);
		*ret_view = NULL;
	}
	return err;
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
	if (!out->moddir_err && !r->live)
		out->moddir_err = kmod_view(r, path, &out->view);
	if (!out->moddir_err)
		out->moddir = xstrdup(path);
	strcat(path, "/modules.builtin");
	out->builtin_err = gc_foreach_line(r, path, builtin_line, &(struct names){ &out->builtin, &out->n_builtin });
	return 0;
}

static void kmod_quiet(void *data, int priority, const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn, (void)format, (void)args;
}

/* The lookup itself: in-process when live, in a chroot()ed child for a view. */
struct lookup {
	const char *moddir, *name;
	char **names;
	size_t n;
	char *path;
};

static int kmod_lookup(struct lookup *l)
{
	struct kmod_list *list = NULL, *it;
	struct kmod_ctx *ctx;
	int err;

	/* No config paths: modprobe.d aliases on the host must not leak into a sysroot. */
	ctx = kmod_new(l->moddir, (const char *const[]){ NULL });
	if (!ctx)
		return -ENOMEM;
	kmod_set_log_fn(ctx, kmod_quiet, NULL);
	err = kmod_module_new_from_lookup(ctx, l->name, &list);
	if (err < 0) {
		kmod_unref(ctx);
		return err;
	}
	kmod_list_foreach(it, list) {
		struct kmod_module *mod = kmod_module_get_module(it);
		const char *p = kmod_module_get_path(mod);

		*(char **)xappend(&l->names, &l->n, sizeof(char *)) = xstrdup(kmod_module_get_name(mod));
		if (p && !l->path)
			l->path = xstrdup(p);
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	kmod_unref(ctx);
	return 0;
}

/*
 * In the child: enter the view (as root, or in a new user namespace as
 * anyone where the kernel allows it), look up, print "n NAME" and "p PATH"
 * lines. Exit status: 0, or the errno that stopped it.
 */
static int lookup_child(void *ctx)
{
	struct lookup *l = ctx;
	const char *view = l->path;
	size_t i;
	int err;

	l->path = NULL;
	if (chroot(view) < 0 && (errno != EPERM || unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 || chroot(view) < 0))
		return EPERM;
	if (chdir("/") < 0)
		return EIO;
	err = kmod_lookup(l);
	if (err)
		return -err & 0xff;
	for (i = 0; i < l->n; i++)
		printf("n %s\n", l->names[i]);
	if (l->path)
		printf("p %s\n", l->path);
	return fflush(stdout) ? EIO : 0;
}

int gc_module_lookup(const struct gc_modules *m, const char *name_or_alias, char ***ret_names,
		     size_t *ret_n, char **ret_path)
{
	struct lookup l = { .moddir = m->moddir, .name = name_or_alias };
	struct gc_run_result res;
	char *line, *save = NULL;
	int err;

	if (!m->moddir)
		return m->moddir_err ? m->moddir_err : -ENOENT;
	*ret_path = NULL;
	if (!m->view) {
		if ((err = kmod_lookup(&l)))
			return err;
		*ret_names = l.names;
		*ret_n = l.n;
		*ret_path = l.path;
		return 0;
	}
	l.path = m->view;
	if ((err = gc_run_fork(lookup_child, &l, 10000, 1u << 20, &res)))
		return err;
	if (res.status != 0 || res.truncated) {
		err = res.status > 0 ? -res.status : -EIO;
		gc_run_result_free(&res);
		return err;
	}
	for (line = strtok_r(res.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (startswith(line, "n "))
			*(char **)xappend(&l.names, &l.n, sizeof(char *)) = xstrdup(line + 2);
		else if (startswith(line, "p ") && !*ret_path)
			*ret_path = xstrdup(line + 2);
	}
	gc_run_result_free(&res);
	*ret_names = l.names;
	*ret_n = l.n;
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
	gc_view_remove(m->view);
	*m = (struct gc_modules){ 0 };
}
