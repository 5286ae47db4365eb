// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs the probes, in an order where later probes may use earlier facts. */
#include <errno.h>
#include <unistd.h>

#include "facts.h"

static void lookup_modules(const struct gc_facts *f, struct gc_dev_module *out)
{
	size_t i;

	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];

		if (d->driver)
			continue;
		out[i].err = gc_module_lookup(&f->mods, d->modalias ? d->modalias : "qaic", &out[i].names,
					      &out[i].n, &out[i].path);
	}
}

/* The file layer takes absolute paths: a relative --data-dir is taken from the working directory. */
static char *data_path(const char *data_dir, const char *name)
{
	char cwd[4096];

	if (data_dir[0] != '/' && getcwd(cwd, sizeof(cwd)))
		return xasprintf("%s/%s/%s", cwd, data_dir, name);
	return xasprintf("%s/%s", data_dir, name);
}

static void gather_hyperv(const struct gc_root *r, const char *data_dir, struct gc_facts *out)
{
	const char *subjects[_GC_FIX_MAX];
	char *shipped = data_path(data_dir, "hyperv-fixes.d");
	const char *dirs[] = { shipped, "/etc/aic-guestcheck/hyperv-fixes.d", NULL };
	struct gc_root host;
	size_t i;

	out->hyperv_read = true;
	for (i = 0; i < _GC_FIX_MAX; i++)
		subjects[i] = gc_fix_info[i].subject;
	gc_kallsyms_probe(r, &out->ksyms);
	gc_kernelpkg_probe(r, out->mods.release, subjects, _GC_FIX_MAX, &out->kpkg);
	/* The table describes kernels, not this guest: it is read from the host. */
	if (gc_root_open(&host, NULL) == 0) {
		gc_fixtable_load(&host, dirs, &out->fixtable);
		gc_root_close(&host);
	}
	free(shipped);
}

/* The guest OS table describes the vendor's products, not this guest: read from the host. */
void gc_facts_gather_guestos(const char *data_dir, struct gc_facts *out)
{
	const char *dirs[] = { NULL, "/etc/aic-guestcheck/guest-os.d", NULL };
	struct gc_root host;

	out->guestos_shipped = data_path(data_dir, "guest-os.d");
	dirs[0] = out->guestos_shipped;
	if (gc_root_open(&host, NULL) == 0) {
		gc_guestos_load(&host, dirs, &out->guestos);
		gc_root_close(&host);
	}
}

/* The card's images, only when there is a card to load them for. */
static void gather_firmware(const struct gc_root *r, struct gc_facts *out)
{
	const char *const *names;

	if (!out->pci.n_devs)
		return;
	out->n_fw = gc_qaic_fw_names(out, &names);
	if (!out->n_fw)
		return;
	out->fw = xcalloc(out->n_fw, sizeof(*out->fw));
	out->fw_custom = gc_firmware_custom_path(r);
	gc_firmware_find(r, out->fw_custom, out->mods.release,
			 gc_fw_compress_from_kconfig(out->kconfig.err ? NULL : out->kconfig.text),
			 names, out->n_fw, out->fw);
}

int gc_facts_gather(const struct gc_root *r, const struct gc_pci_id *extra, const char *data_dir,
		    struct gc_facts *out)
{
	*out = (struct gc_facts){ 0 };
	gc_root_forget(r);  /* each gathering sees the tree as it is now (--wait gathers again) */
	out->live = r->live;
	out->privileged = r->live && geteuid() == 0;
	out->sysroot = xstrdup(r->dir);
	gc_host_probe(r, &out->host);
	gc_modules_probe(r, &out->mods);
	out->kver_err = out->mods.release_err ? out->mods.release_err
					      : gc_kversion_parse(out->mods.release, &out->kver);
	gc_pci_probe(r, extra, &out->pci);
	out->dev_mod = xcalloc(out->pci.n_devs, sizeof(*out->dev_mod));
	lookup_modules(out, out->dev_mod);
	out->mhi = xcalloc(out->pci.n_devs, sizeof(*out->mhi));
	for (size_t i = 0; i < out->pci.n_devs; i++)
		gc_mhi_probe(r, out->pci.devs[i].f.addr, &out->mhi[i]);
	gc_minors_probe(r, &out->minors);
	gc_kmsg_probe(r, &out->kmsg);
	gc_cpuid_probe(r, &out->cpuid);
	gc_dmi_probe(r, &out->dmi);
	gc_hvfiles_probe(r, &out->hvf);
	gc_acpi_probe(r, &out->acpi);
	gc_iommu_probe(r, &out->iommu);
	gc_interrupts_probe(r, &out->irqs);
	gc_cmdline_probe(r, &out->cmdline);
	gc_kconfig_probe(r, out->mods.release, &out->kconfig);
	gc_platform_decide(&out->cpuid, &out->dmi, &out->hvf, &out->kmsg, &out->platform);
	gather_firmware(r, out);
	gc_osrelease_probe(r, out->kconfig.err ? NULL : out->kconfig.text, out->mods.release, &out->os);
	gc_facts_gather_guestos(data_dir, out);
	if (out->platform.hv == GC_HV_HYPERV)
		gather_hyperv(r, data_dir, out);
	return 0;
}

const char *gc_facts_kconfig(const struct gc_facts *f, const char *option, char *buf, size_t size)
{
	const char *v;

	if (f->kconfig.err) {
		snprintf(buf, size, "unknown (no /boot/config-%s or /proc/config.gz)",
			 f->mods.release ? f->mods.release : "<release>");
		return buf;
	}
	v = gc_kconfig_get(f->kconfig.text, option, buf, size);
	if (!v)
		snprintf(buf, size, "not mentioned");
	else if (streq(v, "n"))
		snprintf(buf, size, "not set");
	return buf;
}

void gc_facts_free(struct gc_facts *f)
{
	size_t i;

	for (i = 0; i < f->pci.n_devs; i++) {
		gc_strv_free(f->dev_mod[i].names, f->dev_mod[i].n);
		free(f->dev_mod[i].path);
	}
	free(f->dev_mod);
	for (i = 0; f->mhi && i < f->pci.n_devs; i++)
		gc_mhi_free(&f->mhi[i]);
	free(f->mhi);
	gc_firmware_free(f->fw, f->n_fw);
	free(f->fw_custom);
	free(f->fw);
	free(f->sysroot);
	gc_host_free(&f->host);
	gc_pci_facts_free(&f->pci);
	gc_minors_free(&f->minors);
	gc_kmsg_free(&f->kmsg);
	gc_modules_free(&f->mods);
	gc_dmi_free(&f->dmi);
	gc_hvfiles_free(&f->hvf);
	gc_iommu_free(&f->iommu);
	gc_cmdline_free(&f->cmdline);
	gc_kconfig_free(&f->kconfig);
	gc_platform_free(&f->platform);
	gc_kernelpkg_free(&f->kpkg);
	gc_fixtable_free(&f->fixtable);
	gc_osrelease_free(&f->os);
	gc_guestos_free(&f->guestos);
	free(f->guestos_shipped);
}
