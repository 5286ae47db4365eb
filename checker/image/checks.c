// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Image checks: what an image will boot, judged before it boots. Where a
 * live check's rules apply to a fact the image holds (the command line,
 * the Hyper-V fixes), the live check itself judges it, so the two modes
 * cannot drift apart.
 */
#include <errno.h>

#include "image.h"
#include "../../probes/cmdline.h"
#include "../../probes/modules.h"
#include "../facts.h"
#include "../../probes/firmware.h"

#define AT_BOOT "decided at boot"

static const char *release_or(const struct gc_image *im)
{
	const struct gc_image_kernel *k = gc_image_default(im);

	return k ? k->release : "(none)";
}

/* No kernel to judge: image.kernel says why; the kernel checks only point there. */
static bool have_kernel(const struct gc_image *im, struct gc_result *r)
{
	if (gc_image_default(im))
		return true;
	gc_result_add(r, GC_UNKNOWN, "no kernel to judge (see image.kernel)");
	return false;
}

static void check_image_kernel(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_image_kernel *k = gc_image_default(im);
	size_t i;

	(void)o;
	if (im->kernels_err) {
		gc_result_unreadable(r, "the installed kernels", "/lib/modules", im->kernels_err);
		return;
	}
	for (i = 0; i < im->n_k; i++)
		gc_evidence_add(r, im->k[i].image ? im->k[i].image : "/lib/modules", "%s%s%s", im->k[i].release,
				im->k[i].image ? "" : " (modules only, no kernel image)",
				(ssize_t)i == im->def ? " (judged)" : "");
	gc_evidence_add(r, "boot configuration", "%s", im->def_how);
	if (im->def_err == 0 && im->def < 0) {
		gc_result_add(r, GC_FAIL, "the boot menu's default entry boots %s, which is not installed",
			      im->boot_default.kernel);
		gc_remedy_add(r, "regenerate the boot menu inside the image (update-grub, or grub2-mkconfig -o "
				 "/boot/grub2/grub.cfg) or install the kernel it names");
		return;
	}
	if (!k) {
		gc_result_add(r, GC_FAIL, "no kernel installed (no /boot/vmlinuz-* or /lib/modules/*/vmlinuz)");
		gc_remedy_add(r, "install a kernel package in the image (linux-image-amd64, kernel, "
				 "linux-image-generic)");
		return;
	}
	if (!k->image) {
		gc_result_add(r, GC_FAIL, "%s has modules but no kernel image", k->release);
		gc_remedy_add(r, "reinstall the kernel package for %s", k->release);
		return;
	}
	if (im->def_err == -EINVAL) {
		gc_result_add(r, GC_UNKNOWN, "the boot configuration's default names no entry; judged %s",
			      k->release);
		gc_remedy_add(r, "set GRUB_DEFAULT (or saved_entry in grubenv) to an existing entry and "
				 "regenerate the boot menu");
		return;
	}
	if (im->def_assumed) {
		gc_result_add(r, GC_WARN, "no boot menu says which of %zu kernels boots; judged the newest, %s",
			      im->n_k, k->release);
		gc_remedy_add(r, "check which kernel the image's boot loader starts, or judge that kernel's image "
				 "alone: the others are listed as evidence");
		return;
	}
	gc_result_add(r, GC_PASS, "%s boots by default", k->release);
}

/* ---- qaic and the MHI bus ---- */

static const char *modsrc_words(const struct gc_image_module *m)
{
	switch (m->src) {
	case GC_MODSRC_BUILTIN: return "built in";
	case GC_MODSRC_INTREE: return "in-tree module";
	case GC_MODSRC_EXTERNAL: return "out-of-tree module";
	case GC_MODSRC_UNINDEXED: return "out-of-tree module not in modules.dep";
	case GC_MODSRC_DKMS: return "DKMS source, not built for this kernel";
	case GC_MODSRC_NONE: return "absent";
	default: return "unknown";
	}
}

static void module_evidence(const struct gc_image *im, const char *name, const struct gc_image_module *m,
			    struct gc_result *r)
{
	char src[64];

	snprintf(src, sizeof(src), "%s", name);
	if (m->src == GC_MODSRC_UNKNOWN)
		gc_evidence_add(r, src, "unknown: %s", gc_err_reason(m->err));
	else
		gc_evidence_add(r, src, "%s%s%s", modsrc_words(m), m->path ? ": " : "", m->path ? m->path : "");
	(void)im;
}

/* A kernel config value for evidence, as the live reports word it. */
static const char *kconfig_words(const struct gc_image *im, const char *opt, char *buf, size_t size)
{
	const char *v;

	if (im->kconfig.err)
		return "unknown (no kernel config)";
	v = gc_kconfig_get(im->kconfig.text, opt, buf, size);
	return !v ? "not mentioned" : streq(v, "n") ? "not set" : v;
}

static void check_image_module(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_image_module *q = &im->qaic, *h = &im->mhi;
	const char *rel = release_or(im);
	char cfg[64];
	size_t i;

	(void)o;
	if (!have_kernel(im, r))
		return;
	module_evidence(im, "qaic", q, r);
	module_evidence(im, "mhi", h, r);
	gc_evidence_add(r, "CONFIG_DRM_ACCEL_QAIC", "%s", kconfig_words(im, "CONFIG_DRM_ACCEL_QAIC", cfg, sizeof(cfg)));
	gc_evidence_add(r, "CONFIG_MHI_BUS", "%s", kconfig_words(im, "CONFIG_MHI_BUS", cfg, sizeof(cfg)));
	switch (q->src) {
	case GC_MODSRC_UNKNOWN:
		gc_result_unreadable(r, "the module tree", "/lib/modules", q->err);
		return;
	case GC_MODSRC_NONE:
		gc_result_add(r, GC_FAIL, "kernel %s has no qaic driver, and no out-of-tree module in extra/, "
					  "updates/ or DKMS", rel);
		gc_remedy_add(r, "install a kernel built with CONFIG_DRM_ACCEL_QAIC=m (upstream Linux 6.4 or later; "
				 "on Fedora/RHEL-like systems it may sit in kernel-modules-extra) or the Qualcomm "
				 "platform SDK driver (DKMS) for %s", rel);
		return;
	case GC_MODSRC_UNINDEXED:
		gc_result_add(r, GC_FAIL, "%s is in the image but modules.dep of %s does not list it: udev cannot "
					  "load it for the card", q->path, rel);
		gc_remedy_add(r, "run depmod %s inside the image (chroot, or depmod -b DIR %s)", rel, rel);
		return;
	case GC_MODSRC_DKMS:
		gc_result_add(r, GC_UNKNOWN, "%s: qaic is a DKMS source not built for %s; whether DKMS builds it "
					     "is decided at boot", q->path, rel);
		gc_remedy_add(r, "build it into the image: dkms autoinstall -k %s (in a chroot), so the image "
				 "does not depend on a compiler at boot", rel);
		return;
	default:
		break;
	}
	for (i = 0; i < q->n_missing; i++) {
		gc_result_add(r, GC_FAIL, "modules.dep names %s but the file is missing", q->missing[i]);
		gc_remedy_add(r, "reinstall the package that owns it, then run depmod %s", rel);
	}
	if (q->src == GC_MODSRC_BUILTIN || q->n_deps) {
		/* Built in: Kconfig made MHI_BUS built in too; a module: modules.dep says what it loads. */
		if (!q->n_missing)
			gc_result_add(r, GC_PASS, "qaic %s%s", modsrc_words(q),
				      q->n_deps ? ", with its dependencies" : "");
		return;
	}
	/* A module that names no dependency: the MHI bus must be there by itself. */
	if (h->src == GC_MODSRC_NONE) {
		gc_result_add(r, GC_FAIL, "qaic is there (%s) but the MHI bus it runs on is not", modsrc_words(q));
		gc_remedy_add(r, "install a kernel with CONFIG_MHI_BUS, or the SDK's MHI module");
		return;
	}
	if (h->src == GC_MODSRC_UNKNOWN) {
		gc_result_add(r, GC_UNKNOWN, "qaic is there but whether the MHI bus is could not be read");
		return;
	}
	if (!q->n_missing)
		gc_result_add(r, GC_PASS, "qaic %s, MHI bus %s", modsrc_words(q), modsrc_words(h));
}

/* ---- kernel configuration ---- */

static void check_image_kconfig(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	/*
	 * CONFIG_PCI_MSI: no MSI at all. CONFIG_IRQ_REMAP and CONFIG_INTEL_IOMMU:
	 * multi-MSI under KVM comes only through the emulated Intel IOMMU's
	 * interrupt remapping (drivers/iommu/intel/irq_remapping.c). On Hyper-V
	 * pci-hyperv (CONFIG_PCI_HYPERV, needs CONFIG_HYPERV) supplies the MSIs.
	 */
	static const struct {
		const char *opt;
		bool hyperv;     /* judged only for images made for Hyper-V */
		bool kvm;        /* not needed on Hyper-V */
		const char *why;
	} opts[] = {
		{ "CONFIG_PCI_MSI", false, false, "no MSI at all" },
		{ "CONFIG_IRQ_REMAP", false, true, "no interrupt remapping, so no multi-MSI under KVM" },
		{ "CONFIG_INTEL_IOMMU", false, true, "no driver for the emulated Intel IOMMU under KVM" },
		{ "CONFIG_HYPERV", true, false, "no Hyper-V (VMBus) support" },
		{ "CONFIG_PCI_HYPERV", true, false, "no Hyper-V PCI passthrough controller" },
	};
	char buf[64];
	size_t i;

	(void)o;
	if (!have_kernel(im, r))
		return;
	if (im->kconfig.err) {
		char path[300];

		snprintf(path, sizeof(path), "/boot/config-%s", release_or(im));
		gc_result_unreadable(r, "the kernel configuration", path, im->kconfig.err);
		return;
	}
	if (im->hyperv_sign)
		gc_evidence_add(r, im->hyperv_sign, "present: an image made for Hyper-V");
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		const char *v = gc_kconfig_get(im->kconfig.text, opts[i].opt, buf, sizeof(buf));
		bool on = v && (streq(v, "y") || streq(v, "m"));

		gc_evidence_add(r, opts[i].opt, "%s", kconfig_words(im, opts[i].opt, buf, sizeof(buf)));
		if (on)
			continue;
		if (opts[i].hyperv && !im->hyperv_sign)
			continue;
		if (opts[i].kvm && im->hyperv_sign)
			continue;
		gc_result_add(r, GC_FAIL, "%s %s: %s", opts[i].opt, v ? "not set" : "not mentioned", opts[i].why);
	}
	if (r->decided) {
		gc_remedy_add(r, "install a kernel built with the options named (every distribution kernel for x86-64 "
				 "has them; a custom kernel needs them in its .config)");
		return;
	}
	gc_result_add(r, GC_PASS, "MSI, interrupt remapping and the Intel IOMMU driver%s built in",
		      im->hyperv_sign ? " (and pci-hyperv)" : "");
}

/* ---- the boot command line ---- */

/* Judge one command line with the live check's rules; its findings join r, named by source. */
static void judge_cmdline(const char *source, const char *text, struct gc_result *r)
{
	struct gc_facts f = { 0 };
	struct gc_options o = { .expect_devices = -1 };
	struct gc_result t = { .check = r->check };
	size_t i;

	f.cmdline.raw = xstrdup(text);
	gc_cmdline_parse(text, &f.cmdline);
	check_kernel_cmdline(&f, &o, &t);
	gc_evidence_add(r, source, "%s", text);
	if (t.status != GC_PASS) {
		gc_result_add(r, t.status, "%s: %s", source, t.summary ? t.summary : "");
		if (startswith(source, "/etc/kernel/cmdline"))
			gc_remedy_add(r, "remove the parameter from /etc/kernel/cmdline and reinstall the kernel "
					 "(kernel-install add) so its boot entry is written again");
		else if (strstr(source, "/loader/entries/"))
			gc_remedy_add(r, "remove the parameter from the entry (inside the image: grubby "
					 "--update-kernel=ALL --remove-args=<parameter>; on RHEL 8 it may sit in "
					 "kernelopts of grubenv)");
		else if (t.remedy)
			gc_remedy_add(r, "%s", t.remedy);
	}
	for (i = 0; i < t.n_ev; i++)
		if (!streq(t.ev[i].source, "/proc/cmdline"))
			gc_evidence_add(r, t.ev[i].source, "%s", t.ev[i].value);
	gc_result_free(&t);
	gc_cmdline_free(&f.cmdline);
}

static bool defaults_uncertain(const struct gc_grub_defaults *d, const struct gc_shvar *a,
			       const struct gc_shvar *b, struct gc_result *r)
{
	size_t i;

	if (!(a && a->uncertain) && !(b && b->uncertain))
		return false;
	for (i = 0; i < d->n_unsupported; i++)
		gc_evidence_add(r, "not understood", "%s", d->unsupported[i]);
	gc_result_add(r, GC_UNKNOWN, "/etc/default/grub: GRUB_CMDLINE_LINUX is set by shell code that is not "
				     "read (only plain assignments, quoting and $VAR are)");
	gc_remedy_add(r, "write GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT as plain assignments, or "
			 "check the generated grub.cfg");
	return true;
}

static void image_cmdline(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_bootcfg *b = &im->boot;
	const struct gc_boot_default *d = &im->boot_default;
	bool any = false;

	(void)o;
	if (im->def_err == 0) {
		char src[600];

		snprintf(src, sizeof(src), "%s (default entry)", d->source);
		/* What is known is judged; what is not leaves the verdict open unless something fails. */
		judge_cmdline(src, d->args, r);
		if (d->undefined) {
			gc_result_add(r, GC_UNKNOWN, "%s: %s is set neither in grubenv nor in the menu", src,
				      d->undefined);
			gc_remedy_add(r, "check %s: the entry's command line takes %s from it",
				      im->boot.env_path ? im->boot.env_path : "grubenv", d->undefined);
		}
		any = true;
	}
	/* What update-grub will write at the next kernel update: the normal entries get both. */
	if (b->defaults.err == 0) {
		const struct gc_shvar *lin = gc_shvar_get(&b->defaults, "GRUB_CMDLINE_LINUX");
		const struct gc_shvar *def = gc_shvar_get(&b->defaults, "GRUB_CMDLINE_LINUX_DEFAULT");

		if (!defaults_uncertain(&b->defaults, lin, def, r)) {
			char *line = xasprintf("%s%s%s", lin ? lin->value : "", lin && def ? " " : "",
					       def ? def->value : "");

			judge_cmdline("/etc/default/grub (GRUB_CMDLINE_LINUX + _DEFAULT)", line, r);
			free(line);
		}
		any = true;
	} else if (b->defaults.err != -ENOENT) {
		gc_result_unreadable(r, "the GRUB defaults", "/etc/default/grub", b->defaults.err);
		any = true;
	}
	if (b->kernel_cmdline_err == 0) {
		judge_cmdline("/etc/kernel/cmdline", b->kernel_cmdline, r);
		any = true;
	}
	if (!any) {
		gc_result_add(r, GC_SKIP, "no boot configuration in the image: the command line is " AT_BOOT);
		return;
	}
	if (!r->decided || r->status == GC_PASS)
		gc_result_add(r, GC_PASS, "no parameter that defeats interrupt remapping or MSI");
}

/* ---- blacklists ---- */

static void blacklist_one(const struct gc_image *im, const char *mod, bool needed_by_dep, struct gc_result *r)
{
	const struct gc_modprobe_rule *bl = gc_modprobe_find(&im->modprobe, GC_MODPROBE_BLACKLIST, mod);
	const struct gc_modprobe_rule *in = gc_modprobe_find(&im->modprobe, GC_MODPROBE_INSTALL, mod);
	const char *loaded = gc_modules_load_find(&im->modprobe, mod);
	const struct gc_image_module *m = streq(mod, "qaic") ? &im->qaic : &im->mhi;
	char src[600];

	if (m->src == GC_MODSRC_BUILTIN && (bl || in)) {
		snprintf(src, sizeof(src), "%s:%u", (bl ? bl : in)->file, (bl ? bl : in)->line);
		gc_evidence_add(r, src, "%s %s: no effect, %s is built in", bl ? "blacklist" : "install", mod, mod);
		return;
	}
	if (in) {
		snprintf(src, sizeof(src), "%s:%u", in->file, in->line);
		gc_evidence_add(r, src, "install %s %s", mod, in->command);
		if (gc_install_disables(in->command)) {
			gc_result_add(r, GC_FAIL, "%s is never loaded: modprobe runs \"%s\" instead", mod, in->command);
			gc_remedy_add(r, "delete the line \"install %s ...\" from %s", mod, in->file);
		} else {
			gc_result_add(r, GC_WARN, "modprobe runs a command instead of loading %s", mod);
			gc_remedy_add(r, "check that \"%s\" in %s loads %s", in->command, in->file, mod);
		}
	}
	if (!bl)
		return;
	snprintf(src, sizeof(src), "%s:%u", bl->file, bl->line);
	gc_evidence_add(r, src, "blacklist %s", mod);
	if (loaded) {
		/* Blacklisting drops a module's aliases; loading by name still works (modprobe.d(5)). */
		gc_evidence_add(r, loaded, "%s loaded by name at boot", mod);
		return;
	}
	if (needed_by_dep) {
		gc_evidence_add(r, "modules.dep", "qaic depends on %s, and dependencies load despite a blacklist", mod);
		return;
	}
	gc_result_add(r, GC_FAIL, "%s is blacklisted: udev will not load it for the card", mod);
	gc_remedy_add(r, "delete the line \"blacklist %s\" from %s", mod, bl->file);
}

static void cmdline_blacklist(const char *source, const char *text, struct gc_result *r)
{
	static const char *const keys[] = { "module_blacklist", "modprobe.blacklist" };
	static const char *const mods[] = { "qaic", "mhi" };
	struct gc_cmdline c = { 0 };
	size_t i, j;

	gc_cmdline_parse(text, &c);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		for (j = 0; j < ARRAY_SIZE(mods); j++)
			if (gc_cmdline_has_word(&c, keys[i], mods[j])) {
				gc_evidence_add(r, source, "%s=...%s...", keys[i], mods[j]);
				gc_result_add(r, GC_FAIL, "%s is blacklisted by %s= on the command line (%s)", mods[j],
					      keys[i], source);
				gc_remedy_add(r, "remove %s from %s= in %s and regenerate the boot menu", mods[j],
					      keys[i], source);
			}
	gc_cmdline_free(&c);
}

static void check_image_blacklist(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_bootcfg *b = &im->boot;
	bool mhi_dep = false;
	size_t i;

	(void)o;
	for (i = 0; i < im->qaic.n_deps; i++)
		mhi_dep |= strstr(im->qaic.deps[i], "/mhi.ko") != NULL;
	if (im->modprobe.err && im->modprobe.err != -ENOENT) {
		gc_result_unreadable(r, "modprobe.d", "/etc/modprobe.d", im->modprobe.err);
		return;
	}
	gc_evidence_add(r, "modprobe.d", "%zu files read", im->modprobe.n_files);
	blacklist_one(im, "qaic", false, r);
	blacklist_one(im, "mhi", mhi_dep, r);
	if (im->def_err == 0)
		cmdline_blacklist(im->boot_default.source, im->boot_default.args, r);
	if (b->defaults.err == 0) {
		const struct gc_shvar *lin = gc_shvar_get(&b->defaults, "GRUB_CMDLINE_LINUX");
		const struct gc_shvar *def = gc_shvar_get(&b->defaults, "GRUB_CMDLINE_LINUX_DEFAULT");
		char *line = xasprintf("%s %s", lin ? lin->value : "", def ? def->value : "");

		cmdline_blacklist("/etc/default/grub", line, r);
		free(line);
	}
	if (b->kernel_cmdline_err == 0)
		cmdline_blacklist("/etc/kernel/cmdline", b->kernel_cmdline, r);
	if (!r->decided || r->status == GC_PASS)
		gc_result_add(r, GC_PASS, "neither qaic nor mhi is kept from loading");
}

/* ---- Hyper-V fixes ---- */

static void image_hyperv_fixes(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_image_kernel *k = gc_image_default(im);
	struct gc_facts f = { 0 };
	struct gc_result t = { .check = r->check };
	size_t i;

	if (!im->hyperv_sign) {
		gc_result_add(r, GC_SKIP, "no sign the image is made for Hyper-V (Azure agent, Hyper-V daemons); "
					  "on Hyper-V " AT_BOOT);
		return;
	}
	if (!have_kernel(im, r))
		return;
	/* The live check, on the facts the image holds: its kernel, changelog and configuration. */
	f.platform.hv = GC_HV_HYPERV;
	f.mods.release = k->release;
	f.kver_err = gc_kversion_parse(k->release, &f.kver);
	f.kpkg = im->kpkg;
	f.ksyms.err = -ENOENT;
	f.kconfig = im->kconfig;
	f.fixtable = im->fixtable;
	check_hyperv_kernel_fixes(&f, o, &t);
	gc_evidence_add(r, im->hyperv_sign, "present: an image made for Hyper-V");
	if (im->kpkg.changelog_err == -ENOENT)
		gc_evidence_add(r, "package changelog", "none found for %s", k->release);
	for (i = 0; i < t.n_ev; i++) {
		/* The live rule names the running kernel's release file; here the release is the kernel's name. */
		char *at = strstr(t.ev[i].value, "/proc/sys/kernel/osrelease");

		if (at)
			gc_evidence_add(r, t.ev[i].source, "%.*sthe release of %s", (int)(at - t.ev[i].value),
					t.ev[i].value, k->image ? k->image : k->release);
		else
			gc_evidence_add(r, t.ev[i].source, "%s", t.ev[i].value);
	}
	gc_result_add(r, t.status, "%s", t.summary ? t.summary : "");
	if (t.remedy)
		gc_remedy_add(r, "%s", t.remedy);
	gc_result_free(&t);
}

/* ---- the card's firmware ---- */

static void image_firmware(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	const struct gc_image_kernel *k = gc_image_default(im);
	const char *const *names;
	struct gc_facts f = { 0 };
	struct gc_fw_file *fw;
	size_t n, missing;

	(void)o;
	if (!have_kernel(im, r))
		return;
	if (im->qaic.src != GC_MODSRC_BUILTIN && im->qaic.src != GC_MODSRC_INTREE) {
		gc_result_add(r, GC_SKIP, im->qaic.src == GC_MODSRC_NONE || im->qaic.src == GC_MODSRC_UNKNOWN
				  ? "no upstream qaic for this kernel (see image.qaic-module)"
				  : "an out-of-tree qaic (the vendor's SDK) brings its own images");
		return;
	}
	/* Which images: the live rule, on the default kernel's release. */
	f.kver_err = gc_kversion_parse(k->release, &f.kver);
	n = gc_qaic_fw_names(&f, &names);
	if (!n) {
		gc_result_add(r, GC_SKIP, "Linux %s has no upstream qaic", k->release);
		return;
	}
	fw = xcalloc(n, sizeof(*fw));
	gc_firmware_find(im->root, NULL, k->release,
			 gc_fw_compress_from_kconfig(im->kconfig.err ? NULL : im->kconfig.text), names, n, fw);
	missing = gc_firmware_judge(r, fw, n, NULL);
	if (missing) {
		gc_result_add(r, GC_FAIL, "%zu of the %zu images qaic on %s loads are missing: the card cannot boot",
			      missing, n, k->release);
		gc_remedy_add(r, "install the card's firmware into the image's /lib/firmware/qcom/aic100/: the "
				 "distribution's linux-firmware package (the images are in linux-firmware since 2024), "
				 "or the Qualcomm Cloud AI Platform SDK");
	} else if (!r->decided) {
		gc_result_add(r, GC_PASS, "the %zu image%s qaic on %s loads %s present", n, n == 1 ? "" : "s",
			      k->release, n == 1 ? "is" : "are");
	}
	gc_firmware_free(fw, n);
	free(fw);
}

/* ---- the distribution ---- */

static void image_guest_os(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	struct gc_facts f = { 0 };

	/* The live check on the image's os-release; an image has no CPUID to show, only its kernel. */
	f.os = im->os;
	f.guestos = im->guestos;
	f.guestos_shipped = im->guestos_shipped;
	f.cpuid.err = -ENOENT;
	f.platform.hv = im->hyperv_sign ? GC_HV_HYPERV : GC_HV_UNKNOWN;
	check_guest_os(&f, o, r);
}

/* ---- the after-boot unit ---- */

static void check_image_unit(const struct gc_image *im, const struct gc_options *o, struct gc_result *r)
{
	(void)o;
	if (im->unit_masked) {
		gc_evidence_add(r, im->unit_masked, "-> /dev/null");
		gc_result_add(r, GC_WARN, "aic-guestcheck.service is masked: no verdict after boot");
		gc_remedy_add(r, "systemctl --root DIR unmask aic-guestcheck.service");
		return;
	}
	if (!im->unit_file) {
		gc_result_add(r, GC_SKIP, "aic-guestcheck.service is not installed in the image");
		return;
	}
	gc_evidence_add(r, im->unit_file, "present");
	if (!im->unit_enabled) {
		gc_evidence_add(r, "/etc/systemd/system/*.wants", "no aic-guestcheck.service link");
		gc_result_add(r, GC_WARN, "aic-guestcheck.service is installed but not enabled: no verdict after boot");
		gc_remedy_add(r, "systemctl --root DIR enable aic-guestcheck.service");
		return;
	}
	gc_evidence_add(r, im->unit_enabled, "link present");
	gc_result_add(r, GC_PASS, "aic-guestcheck.service enabled");
}

/* ---- table and runner ---- */

static const struct gc_image_check image_checks[] = {
	{ { "image.kernel", "the kernel the image boots by default", NULL }, check_image_kernel },
	{ { "image.qaic-module", "qaic and the MHI bus for that kernel", NULL }, check_image_module },
	{ { "image.kernel-config", "kernel built with MSI, interrupt remapping and the IOMMU/Hyper-V drivers", NULL },
	  check_image_kconfig },
	{ { "kernel.cmdline", "boot command line keeps remapping and MSI on", NULL }, image_cmdline },
	{ { "image.blacklist", "qaic and mhi not blacklisted", NULL }, check_image_blacklist },
	{ { "hyperv.kernel-fixes", "the four pci-hyperv multi-MSI fixes in that kernel", NULL }, image_hyperv_fixes },
	{ { "device.firmware", "the card images the image's qaic loads are installed", NULL }, image_firmware },
	{ { "guest.os", "the image's distribution and architecture are supported", NULL }, image_guest_os },
	{ { "image.unit", "after-boot check unit enabled", NULL }, check_image_unit },
};

const struct gc_check *gc_image_check_find(const char *id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(image_checks); i++)
		if (streq(image_checks[i].c.id, id))
			return &image_checks[i].c;
	return NULL;
}

static const struct gc_image_check *replaces(const char *live_id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(image_checks); i++)
		if (streq(image_checks[i].c.id, live_id))
			return &image_checks[i];
	return NULL;
}

const struct gc_check *gc_image_only_check(size_t i)
{
	size_t j;

	for (j = 0; j < ARRAY_SIZE(image_checks); j++)
		if (!gc_check_find(image_checks[j].c.id) && i-- == 0)
			return &image_checks[j].c;
	return NULL;
}

size_t gc_image_n_results(void)
{
	return ARRAY_SIZE(image_checks) + gc_n_checks;
}

size_t gc_image_run_checks(const struct gc_image *im, const struct gc_options *o, struct gc_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(image_checks); i++) {
		struct gc_result *r;

		if (!gc_check_selected(o, image_checks[i].c.id))
			continue;
		r = &res[n++];
		*r = (struct gc_result){ .check = &image_checks[i].c };
		image_checks[i].run(im, o, r);
		if (!r->decided)
			gc_result_add(r, GC_UNKNOWN, "internal error: no verdict reached");
	}
	/* What only a running guest shows: the platform, the cards, their vectors. */
	for (i = 0; i < gc_n_checks; i++) {
		struct gc_result *r;

		if (replaces(gc_checks[i].id) || !gc_check_selected(o, gc_checks[i].id))
			continue;
		r = &res[n++];
		*r = (struct gc_result){ .check = &gc_checks[i] };
		gc_result_add(r, GC_SKIP, AT_BOOT);
	}
	return n;
}
