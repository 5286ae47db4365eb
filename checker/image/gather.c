// SPDX-License-Identifier: GPL-2.0-or-later
/* Image facts: the kernels, the one that boots, its modules, configuration and package. */
#include <errno.h>
#include <sys/stat.h>

#include "image.h"
#include "../../probes/dirlist.h"
#include "../../probes/modules.h"
#include "../facts.h"
#include "../checks/hvfixes.h"

/* ---- kernels ---- */

static struct gc_image_kernel *kernel_add(struct gc_image *im, const char *release)
{
	size_t i;

	for (i = 0; i < im->n_k; i++)
		if (streq(im->k[i].release, release))
			return &im->k[i];
	im->k = xrealloc(im->k, (im->n_k + 1) * sizeof(*im->k));
	im->k[im->n_k] = (struct gc_image_kernel){ .release = xstrdup(release) };
	return &im->k[im->n_k++];
}

/* Newest first, as GRUB's 10_linux and blscfg order them. */
static int kernel_cmp(const void *a, const void *b)
{
	const struct gc_image_kernel *x = a, *y = b;
	struct gc_kversion vx, vy;
	int c = 0;

	if (gc_kversion_parse(x->release, &vx) == 0 && gc_kversion_parse(y->release, &vy) == 0)
		c = gc_kversion_cmp(&vy, &vx);
	return c ? c : strcmp(y->release, x->release);
}

static void find_kernels(const struct gc_root *r, struct gc_image *im)
{
	char **names = NULL;
	size_t i, n = 0;
	int err;

	err = gc_list_dir(r, "/lib/modules", NULL, &names, &n);
	for (i = 0; i < n; i++) {
		char path[512];

		if (gc_pathf(path, sizeof(path), "/lib/modules/%s", names[i]) == 0 && gc_stat(r, path, true, NULL) == 0)
			kernel_add(im, names[i])->moddir = true;
		free(names[i]);
	}
	free(names);
	im->kernels_err = err == -ENOENT ? 0 : err;
	err = gc_list_dir(r, "/boot", NULL, &names, &n);
	for (i = 0; i < n; i++) {
		if (startswith(names[i], "vmlinuz-") && names[i][8])
			kernel_add(im, names[i] + 8);
		free(names[i]);
	}
	free(names);
	if (err && err != -ENOENT && !im->kernels_err)
		im->kernels_err = err;
	for (i = 0; i < im->n_k; i++) {
		struct gc_image_kernel *k = &im->k[i];
		char a[512], b[512];

		if (strchr(k->release, '/'))
			continue;
		if (gc_pathf(a, sizeof(a), "/boot/vmlinuz-%s", k->release) == 0 && gc_access(r, a) == 0)
			k->image = xstrdup(a);
		else if (gc_pathf(b, sizeof(b), "/lib/modules/%s/vmlinuz", k->release) == 0 && gc_access(r, b) == 0)
			k->image = xstrdup(b);
	}
	if (im->n_k)
		qsort(im->k, im->n_k, sizeof(*im->k), kernel_cmp);
}

static ssize_t kernel_index(const struct gc_image *im, const char *release)
{
	size_t i;

	for (i = 0; release && i < im->n_k; i++)
		if (streq(im->k[i].release, release))
			return (ssize_t)i;
	return -1;
}

static void pick_newest(struct gc_image *im, const char *why)
{
	size_t i, bootable = 0;
	ssize_t first = -1;

	for (i = 0; i < im->n_k; i++)
		if (im->k[i].image) {
			bootable++;
			if (first < 0)
				first = (ssize_t)i;
		}
	im->def = first;
	if (first < 0) {
		snprintf(im->def_how, sizeof(im->def_how), "%s; no kernel image in /boot or /lib/modules", why);
		return;
	}
	im->def_assumed = bootable > 1;
	snprintf(im->def_how, sizeof(im->def_how), "%s; %s", why,
		 bootable == 1 ? "the only kernel installed" : "judged the newest installed kernel");
}

static void find_default(const struct gc_root *r, struct gc_image *im)
{
	char *link = NULL;

	im->def = -1;
	im->def_err = gc_boot_default(&im->boot, &im->boot_default);
	if (im->def_err == 0) {
		im->def_release = gc_release_from_image(im->boot_default.kernel);
		im->def = kernel_index(im, im->def_release);
		snprintf(im->def_how, sizeof(im->def_how), "%s boots %s (%s)", im->boot_default.source,
			 im->boot_default.kernel, im->boot_default.how);
		return;
	}
	if (im->def_err == -EINVAL) {
		pick_newest(im, im->boot_default.how);
		im->def_assumed = true;
		return;
	}
	/* Debian's /vmlinuz link names the newest kernel for boot loaders that take a fixed path. */
	if (gc_readlink(r, "/vmlinuz", &link) == 0) {
		im->def_release = gc_release_from_image(link);
		im->def = kernel_index(im, im->def_release);
		if (im->def >= 0 && im->k[im->def].image) {
			snprintf(im->def_how, sizeof(im->def_how), "no boot menu in the image; /vmlinuz -> %s", link);
			free(link);
			return;
		}
		free(im->def_release);
		im->def_release = NULL;
		free(link);
	}
	pick_newest(im, "no boot menu in the image (no grub.cfg, no BootLoaderSpec entries)");
}

const struct gc_image_kernel *gc_image_default(const struct gc_image *im)
{
	return im->def >= 0 ? &im->k[im->def] : NULL;
}

/* ---- modules of the default kernel ---- */

/* "kernel/drivers/accel/qaic/qaic.ko.xz" names module qaic. */
static bool path_is_module(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	char buf[256];
	size_t len;

	base = base ? base + 1 : path;
	len = strcspn(base, ".");
	if (len >= sizeof(buf) || !startswith(base + len, ".ko"))
		return false;
	memcpy(buf, base, len);
	buf[len] = '\0';
	return gc_modname_eq(buf, name);
}

struct dep_scan {
	const char *name;
	char *path;
	char *deps;
};

static int dep_line(char *line, unsigned no, void *ctx)
{
	struct dep_scan *s = ctx;
	char *colon = strchr(line, ':');

	(void)no;
	if (!colon || s->path)
		return 0;
	*colon = '\0';
	if (path_is_module(line, s->name)) {
		s->path = xstrdup(line);
		s->deps = xstrdup(strstrip_right(colon + 1));
	}
	return 0;
}

static int builtin_line(char *line, unsigned no, void *ctx)
{
	struct dep_scan *s = ctx;

	(void)no;
	if (!s->path && path_is_module(strstrip_right(line), s->name))
		s->path = xstrdup(line);
	return 0;
}

/* Entries a search below updates/ and extra/ may look at: a hostile tree cannot make it endless. */
#define FIND_BUDGET 20000

/* A file for name below dir (updates/, extra/), at most depth levels down. */
static char *find_file(const struct gc_root *r, const char *dir, const char *name, int depth, unsigned *budget)
{
	char **names = NULL, *hit = NULL;
	size_t i, n = 0;

	if (depth < 0 || gc_list_dir(r, dir, NULL, &names, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		unsigned mode = 0;

		if (*budget)
			(*budget)--;
		if (!hit && *budget && path_is_module(names[i], name))
			hit = xstrdup(path);
		else if (!hit && *budget && gc_stat(r, path, false, &mode) == 0 && S_ISDIR(mode))
			hit = find_file(r, path, name, depth - 1, budget);
		free(path);
		free(names[i]);
	}
	free(names);
	return hit;
}

/* A DKMS module whose dkms.conf builds name ("/usr/src/<module>-<version>"), or NULL. */
static char *find_dkms(const struct gc_root *r, const char *name)
{
	char **mods = NULL, *hit = NULL;
	size_t i, j, n = 0, reads = 0;

	if (gc_list_dir(r, "/var/lib/dkms", NULL, &mods, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		char *dir = xasprintf("/var/lib/dkms/%s", mods[i]), **vers = NULL;
		size_t nv = 0;

		gc_list_dir(r, dir, NULL, &vers, &nv);
		for (j = 0; j < nv; j++) {
			char *src = xasprintf("/usr/src/%s-%s", mods[i], vers[j]);
			char *conf = xasprintf("%s/dkms.conf", src), *text = NULL, *needle;

			needle = xasprintf("\"%s\"", name);
			if (!hit && reads++ < 256 && gc_read_file(r, conf, 1u << 20, &text, NULL) == 0 &&
			    (strstr(text, needle) || gc_modname_eq(mods[i], name)))
				hit = xstrdup(src);
			free(needle);
			free(text);
			free(conf);
			free(src);
			free(vers[j]);
		}
		free(vers);
		free(dir);
		free(mods[i]);
	}
	free(mods);
	return hit;
}

static void find_module(const struct gc_root *r, const char *release, const char *name, const char *option,
			const struct gc_kconfig *kc, struct gc_image_module *m)
{
	struct dep_scan s = { .name = name };
	char base[512], path[600], cfg[16];
	int err;

	*m = (struct gc_image_module){ .src = GC_MODSRC_NONE };
	if (strchr(release, '/') || gc_pathf(base, sizeof(base), "/lib/modules/%s", release) < 0) {
		m->src = GC_MODSRC_UNKNOWN;
		m->err = -EINVAL;
		return;
	}
	snprintf(path, sizeof(path), "%s/modules.builtin", base);
	gc_foreach_line(r, path, builtin_line, &s);
	if (s.path || (!kc->err && streq(gc_kconfig_get(kc->text, option, cfg, sizeof(cfg)), "y"))) {
		m->src = GC_MODSRC_BUILTIN;
		m->path = s.path ? s.path : xasprintf("%s=y", option);
		return;
	}
	snprintf(path, sizeof(path), "%s/modules.dep", base);
	err = gc_foreach_line(r, path, dep_line, &s);
	if (s.path) {
		char *save = NULL, *d;

		m->src = startswith(s.path, "kernel/") ? GC_MODSRC_INTREE : GC_MODSRC_EXTERNAL;
		m->path = s.path;
		snprintf(path, sizeof(path), "%s/%s", base, s.path);
		if (gc_access(r, path) < 0)
			*(char **)xappend(&m->missing, &m->n_missing, sizeof(char *)) = xstrdup(s.path);
		for (d = strtok_r(s.deps, " \t", &save); d; d = strtok_r(NULL, " \t", &save)) {
			*(char **)xappend(&m->deps, &m->n_deps, sizeof(char *)) = xstrdup(d);
			snprintf(path, sizeof(path), "%s/%s", base, d);
			if (gc_access(r, path) < 0)
				*(char **)xappend(&m->missing, &m->n_missing, sizeof(char *)) = xstrdup(d);
		}
		free(s.deps);
		return;
	}
	static const char *const external[] = { "updates", "extra" };
	unsigned budget = FIND_BUDGET;

	for (size_t i = 0; i < ARRAY_SIZE(external) && !m->path; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, external[i]);
		m->path = find_file(r, path, name, 4, &budget);
	}
	if (m->path) {
		m->src = GC_MODSRC_UNINDEXED;
		return;
	}
	m->path = find_dkms(r, name);
	if (m->path) {
		m->src = GC_MODSRC_DKMS;
		return;
	}
	if (err && err != -ENOENT) {
		m->src = GC_MODSRC_UNKNOWN;
		m->err = err;
	} else if (err == -ENOENT && gc_access(r, base) < 0) {
		m->src = GC_MODSRC_UNKNOWN;
		m->err = -ENOENT;
	}
}

static void module_free(struct gc_image_module *m)
{
	free(m->path);
	gc_strv_free(m->missing, m->n_missing);
	gc_strv_free(m->deps, m->n_deps);
	*m = (struct gc_image_module){ 0 };
}

/* ---- what the image is made for ---- */

/* Files that only an image made for Hyper-V carries: the Azure agent, the Hyper-V daemons. */
static const char *hyperv_sign(const struct gc_root *r)
{
	static const char *const signs[] = {
		"/etc/waagent.conf", "/usr/sbin/waagent", "/usr/sbin/hv_kvp_daemon", "/usr/sbin/hypervkvpd",
		"/lib/systemd/system/hv-kvp-daemon.service", "/usr/lib/systemd/system/hypervkvpd.service",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(signs); i++)
		if (gc_stat(r, signs[i], false, NULL) == 0)
			return signs[i];
	return NULL;
}

#define UNIT "aic-guestcheck.service"

static void find_unit(const struct gc_root *r, struct gc_image *im)
{
	static const char *const dirs[] = { "/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system" };
	char **names = NULL, *link = NULL;
	size_t i, n = 0;

	if (gc_readlink(r, "/etc/systemd/system/" UNIT, &link) == 0 && streq(link, "/dev/null"))
		im->unit_masked = xstrdup("/etc/systemd/system/" UNIT);
	free(link);
	for (i = 0; i < ARRAY_SIZE(dirs) && !im->unit_file; i++) {
		char *p = xasprintf("%s/%s", dirs[i], UNIT);

		if (gc_access(r, p) == 0)
			im->unit_file = p;
		else
			free(p);
	}
	gc_list_dir(r, "/etc/systemd/system", ".wants", &names, &n);
	for (i = 0; i < n; i++) {
		char *p = xasprintf("/etc/systemd/system/%s/%s", names[i], UNIT);

		if (!im->unit_enabled && gc_stat(r, p, false, NULL) == 0)
			im->unit_enabled = xstrdup(p);
		free(p);
		free(names[i]);
	}
	free(names);
}

/* The live code reads the table into facts; the image keeps it. */
static void gather_guestos(const char *data_dir, struct gc_image *im)
{
	struct gc_facts f = { 0 };

	gc_facts_gather_guestos(data_dir, &f);
	im->guestos = f.guestos;
	im->guestos_shipped = f.guestos_shipped;
}

void gc_image_gather(const struct gc_root *r, const char *data_dir, struct gc_image *out)
{
	const struct gc_image_kernel *k;

	*out = (struct gc_image){ .def = -1, .root = r };
	out->dir = xstrdup(r->dir);
	find_kernels(r, out);
	gc_bootcfg_probe(r, &out->boot);
	find_default(r, out);
	gc_modprobe_probe(r, &out->modprobe);
	out->hyperv_sign = hyperv_sign(r);
	find_unit(r, out);
	gather_guestos(data_dir, out);
	k = gc_image_default(out);
	out->kconfig = (struct gc_kconfig){ .err = -ENOENT };
	if (!k) {
		gc_osrelease_probe(r, NULL, NULL, &out->os);
		return;
	}
	gc_kconfig_probe(r, k->release, &out->kconfig);
	if (out->kconfig.err == -ENOENT && !strchr(k->release, '/')) {
		/* Fedora and RHEL 9 keep it beside the modules too. */
		char path[512];

		if (gc_pathf(path, sizeof(path), "/lib/modules/%s/config", k->release) == 0 &&
		    gc_read_file(r, path, 8u << 20, &out->kconfig.text, NULL) == 0) {
			out->kconfig.err = 0;
			out->kconfig.source = "/lib/modules/<release>/config";
		}
	}
	gc_osrelease_probe(r, out->kconfig.err ? NULL : out->kconfig.text, k->release, &out->os);
	find_module(r, k->release, "qaic", "CONFIG_DRM_ACCEL_QAIC", &out->kconfig, &out->qaic);
	find_module(r, k->release, "mhi", "CONFIG_MHI_BUS", &out->kconfig, &out->mhi);
	if (out->hyperv_sign) {
		const char *subjects[_GC_FIX_MAX];
		char *shipped = xasprintf("%s/hyperv-fixes.d", data_dir);
		const char *dirs[] = { shipped, "/etc/aic-guestcheck/hyperv-fixes.d", NULL };
		struct gc_root host;
		size_t i;

		for (i = 0; i < _GC_FIX_MAX; i++)
			subjects[i] = gc_fix_info[i].subject;
		gc_kernelpkg_probe(r, k->release, subjects, _GC_FIX_MAX, &out->kpkg);
		/* The table describes kernels, not this image: it is read from the host, as live. */
		if (gc_root_open(&host, NULL) == 0) {
			gc_fixtable_load(&host, dirs, &out->fixtable);
			gc_root_close(&host);
		}
		free(shipped);
	}
}

void gc_image_free(struct gc_image *im)
{
	size_t i;

	for (i = 0; i < im->n_k; i++) {
		free(im->k[i].release);
		free(im->k[i].image);
	}
	free(im->k);
	free(im->dir);
	free(im->def_release);
	gc_boot_default_free(&im->boot_default);
	gc_bootcfg_free(&im->boot);
	gc_modprobe_free(&im->modprobe);
	gc_kconfig_free(&im->kconfig);
	module_free(&im->qaic);
	module_free(&im->mhi);
	gc_kernelpkg_free(&im->kpkg);
	gc_fixtable_free(&im->fixtable);
	free(im->unit_file);
	free(im->unit_enabled);
	free(im->unit_masked);
	gc_osrelease_free(&im->os);
	gc_guestos_free(&im->guestos);
	free(im->guestos_shipped);
	*im = (struct gc_image){ .def = -1 };
}
