// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI enumeration through libpci's sysfs back end, pinned to the sysroot;
 * config space, msi_irqs and accel nodes through the file layer, so that
 * truncation (non-root) is measured rather than guessed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pci/pci.h>

#include "modules.h"
#include "pci.h"
#include "view.h"
#include "viewblobs.h"

const struct gc_pci_id gc_card_ids[2] = {
	{ 0x17cb, 0xa100, "Cloud AI 100" },
	{ 0x17cb, 0xa080, "Cloud AI 080" },
};

/*
 * libpci's error callback must not return and carries no context pointer,
 * so the scan runs under setjmp and the callback jumps back here. Thread
 * local, and only valid during gc_pci_probe().
 */
static _Thread_local jmp_buf *libpci_jmp;
static _Thread_local char libpci_msg[512];

/* The attribute, not _Noreturn: clang checks it against pci_access.error's type. */
static __attribute__((noreturn)) void libpci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(libpci_msg, sizeof(libpci_msg), msg, ap);
	va_end(ap);
	longjmp(*libpci_jmp, 1);
}

static void libpci_quiet(char *msg, ...)
{
	(void)msg;
}

/*
 * The attributes libpci's sysfs back end opens for a card (lib/sysfs.c:
 * sysfs_scan, sysfs_fill_info, sysfs_get_resources; "config" when it falls
 * back to config space, e.g. for the revision), as strace shows for libpci
 * 3.9. The first three it needs for every function it is shown, or it
 * gives up on the bus; they are all this file reads of other functions,
 * which libpci is not shown at all (view_function).
 */
static const char *const libpci_attrs[] = {
	"vendor", "device", "class", "revision", "irq", "resource",
	"subsystem_vendor", "subsystem_device", "numa_node", "label", "config",
};
#define LIBPCI_MANDATORY 3

const struct gc_pci_id *gc_pci_card_id(unsigned vendor, unsigned device, const struct gc_pci_id *extra)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gc_card_ids); i++)
		if (vendor == gc_card_ids[i].vendor && device == gc_card_ids[i].device)
			return &gc_card_ids[i];
	if (extra && vendor == extra->vendor && device == extra->device)
		return extra;
	return NULL;
}

/*
 * As libpci reads a value attribute (lib/sysfs.c sysfs_get_value: strtol
 * base 0), and an ID from it (into a u16).
 */
static unsigned long libpci_value(const char *text)
{
	return (unsigned long)strtol(text, NULL, 0);
}

static unsigned libpci_id(const char *text)
{
	return (uint16_t)libpci_value(text);
}

/* "0000:00:1f.3" exactly as the kernel names it (pci_name()) and libpci formats it back. */
static bool pci_addr_valid(const char *name)
{
	unsigned dom, bus, dev, func;
	char again[32];
	int end = 0;

	if (sscanf(name, "%x:%x:%x.%u%n", &dom, &bus, &dev, &func, &end) != 4 || name[end] ||
	    dom > 0xffff || bus > 0xff || dev > 0x1f || func > 7)
		return false;
	snprintf(again, sizeof(again), "%04x:%02x:%02x.%u", dom, bus, dev, func);
	return streq(again, name);
}

/*
 * One function of the tree: a card gets its directory in the view below
 * devfd (equal attributes sharing an inode, viewblobs.h) for libpci to
 * fill in; any other function is identified here from the same three
 * attributes libpci would parse, and needs no view: a directory per
 * function per run was most of a bundle's time at thousands of functions.
 * -errno when vendor, device or class is unusable.
 */
static int view_function(const struct gc_root *r, int devfd, struct gc_view_blobs *blobs,
			 const struct gc_pci_id *extra, const char *addr, struct gc_pci_facts *out)
{
	char *vals[LIBPCI_MANDATORY] = { 0 };
	size_t lens[LIBPCI_MANDATORY];
	char path[512];
	size_t i;
	int fd = -1, err = 0;

	/* Read the mandatory ones first: a function is in the view whole or not at all. */
	for (i = 0; i < LIBPCI_MANDATORY && !err; i++)
		if (!(err = gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, libpci_attrs[i])))
			err = gc_read_file(r, path, 4096, &vals[i], &lens[i]);
	if (!err && gc_pci_card_id(libpci_id(vals[0]), libpci_id(vals[1]), extra)) {
		fd = gc_view_subdir(devfd, addr);
		if (fd < 0)
			err = fd;
	} else if (!err) {
		struct gc_pci_func *f = xappend(&out->all, &out->n_all, sizeof(*f));

		snprintf(f->addr, sizeof(f->addr), "%.12s", addr);  /* pci_addr_valid() */
		f->vendor = (uint16_t)libpci_id(vals[0]);
		f->device = (uint16_t)libpci_id(vals[1]);
		f->class = (uint32_t)libpci_value(vals[2]) & 0xffffff;
	}
	for (i = 0; i < LIBPCI_MANDATORY; i++) {
		if (fd >= 0 && !err)
			err = gc_view_blobs_put(blobs, fd, libpci_attrs[i], vals[i], lens[i]);
		free(vals[i]);
	}
	if (fd < 0 || err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	/* The others may be missing, unreadable or refused (a FIFO): then they are absent from the view. */
	for (i = LIBPCI_MANDATORY; i < ARRAY_SIZE(libpci_attrs) && !err; i++) {
		char *val;
		size_t len;

		if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, libpci_attrs[i]) == 0 &&
		    gc_read_file(r, path, 4096, &val, &len) == 0) {
			gc_view_blobs_put(blobs, fd, libpci_attrs[i], val, len);
			free(val);
		}
	}
	close(fd);
	return err;
}

/*
 * libpci opens files by path with plain open(): handed the tree it would
 * follow its links out of it and block on its FIFOs. It gets a private
 * view of the cards instead (view.h): /sys/bus/pci/devices/<addr>/<attr>
 * copied through the file layer into plain directories. A function that
 * cannot be identified (vendor, device or class unusable) is left out and
 * counted; a card without irq or resource keeps its place (libpci reads
 * them only when asked: for the BARs, which then read as unknown).
 */
static int libpci_view(const struct gc_root *r, const char *view, const struct gc_pci_id *extra,
		       struct gc_pci_facts *out)
{
	struct gc_view_blobs blobs;
	struct dirent *de;
	DIR *d = NULL;
	int devfd, err;

	err = gc_opendir(r, "/sys/bus/pci/devices", &d);
	if (err)
		return err;
	gc_view_blobs_open(&blobs, view);
	devfd = gc_view_dir(view, "/sys/bus/pci/devices");
	err = devfd < 0 ? devfd : gc_view_write_at(devfd, ".keep", "", 0);
	while (!err && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!pci_addr_valid(de->d_name) || view_function(r, devfd, &blobs, extra, de->d_name, out) < 0)
			*(char **)xappend(&out->skipped, &out->n_skipped, sizeof(char *)) = xstrdup(de->d_name);
	}
	if (devfd >= 0)
		close(devfd);
	gc_view_blobs_close(&blobs);
	closedir(d);
	return err;
}

static void read_config(const struct gc_root *r, struct gc_pci_dev *dev)
{
	char path[128];
	char *buf;
	size_t len;

	if ((dev->cfg_err = gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/config",
				     dev->f.addr)))
		return;
	dev->cfg_err = gc_read_file(r, path, 4096, &buf, &len);
	if (dev->cfg_err)
		return;
	dev->cfg_len = len;
	gc_pci_caps_parse((const uint8_t *)buf, len, &dev->caps);
	free(buf);
}

/*
 * One msi_irqs/<irq> entry's mode: a file since 1c51b50c2995 ("PCI/MSI:
 * Export MSI mode using attributes, not kobjects", 3.13); before, a
 * directory holding a file "mode" (populate_msi_sysfs()'s msi_irq_ktype),
 * which kernels of that age (and backports of them) still show.
 */
static int read_msi_mode(const struct gc_root *r, const char *entry, char **ret)
{
	char sub[300];
	unsigned type;
	int err;

	if ((err = gc_stat(r, entry, true, &type)))
		return err;
	if (!S_ISDIR(type))
		return gc_read_string(r, entry, ret);
	if ((err = gc_pathf(sub, sizeof(sub), "%s/mode", entry)))
		return err;
	return gc_read_string(r, sub, ret);
}

int gc_msi_irqs_read(const struct gc_root *r, const char *addr, unsigned *ret_msi,
		     unsigned *ret_msix, unsigned *ret_other)
{
	unsigned msi = 0, msix = 0, other = 0;
	struct dirent *de;
	char path[128];
	DIR *d = NULL;
	int err;

	if ((err = gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/msi_irqs", addr)))
		return err;
	if ((err = gc_opendir(r, path, &d)))
		return err;
	while ((de = readdir(d))) {
		char fpath[256];
		char *mode = NULL;

		if (de->d_name[0] == '.')
			continue;
		if (gc_pathf(fpath, sizeof(fpath), "%s/%s", path, de->d_name) < 0 ||
		    read_msi_mode(r, fpath, &mode) < 0)
			other++;
		else if (streq(mode, "msi"))
			msi++;
		else if (streq(mode, "msix"))
			msix++;
		else
			other++;
		free(mode);
	}
	closedir(d);
	*ret_msi = msi;
	*ret_msix = msix;
	*ret_other = other;
	return 0;
}

static void read_accel(const struct gc_root *r, struct gc_pci_dev *dev)
{
	struct dirent *de;
	char path[128];
	DIR *d = NULL;

	if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/accel", dev->f.addr) < 0 ||
	    gc_opendir(r, path, &d) < 0)
		return;
	while ((de = readdir(d))) {
		char node[300];

		if (!startswith(de->d_name, "accel"))
			continue;
		*(char **)xappend(&dev->accel, &dev->n_accel, sizeof(char *)) = xstrdup(de->d_name);
		dev->accel_dev_present = xrealloc(dev->accel_dev_present, dev->n_accel * sizeof(bool));
		dev->accel_dev_present[dev->n_accel - 1] =
			gc_pathf(node, sizeof(node), "/dev/accel/%s", de->d_name) == 0 &&
			gc_access(r, node) == 0;
	}
	closedir(d);
}

static char *link_basename(const struct gc_root *r, const char *addr, const char *name)
{
	char path[128], *target = NULL, *base;

	if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, name) < 0 ||
	    gc_readlink(r, path, &target) < 0)
		return NULL;
	base = strrchr(target, '/');
	base = xstrdup(base ? base + 1 : target);
	free(target);
	return base;
}

#if !defined(PCI_FILL_SUBSYS) || !defined(PCI_FILL_CLASS_EXT)
/*
 * pciutils 3.7 (Debian 11, Ubuntu 22.04) has neither PCI_FILL_SUBSYS nor
 * PCI_FILL_CLASS_EXT (both new in 3.8). Read the sysfs attributes that
 * 3.8's sysfs back end reads for them (lib/sysfs.c: "class",
 * "subsystem_vendor", "subsystem_device"), through the file layer.
 */
static int read_attr(const struct gc_root *r, const char *addr, const char *attr, uint64_t *ret)
{
	char path[128];
	int err = gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, attr);

	return err ? err : gc_read_u64(r, path, 16, ret);
}
#endif

#ifndef PCI_FILL_SUBSYS
static void fill_subsys_compat(const struct gc_root *r, struct gc_pci_dev *dev)
{
	uint64_t v, d;

	if (read_attr(r, dev->f.addr, "subsystem_vendor", &v) == 0 &&
	    read_attr(r, dev->f.addr, "subsystem_device", &d) == 0 && v <= 0xffff && d <= 0xffff) {
		dev->has_subsys = true;
		dev->subsys_vendor = (uint16_t)v;
		dev->subsys_device = (uint16_t)d;
	}
}
#endif

#ifndef PCI_FILL_CLASS_EXT
static uint32_t class_compat(const struct gc_root *r, const char *addr, uint16_t device_class)
{
	uint64_t class;

	if (read_attr(r, addr, "class", &class) == 0 && class <= 0xffffff)
		return (uint32_t)class;
	return (uint32_t)device_class << 8;
}
#endif

static void fill_dev(const struct gc_root *r, struct pci_dev *p, const struct gc_pci_id *id,
		     struct gc_pci_dev *dev)
{
	char path[128];
	unsigned i;

	dev->name = id->name;
	/*
	 * libpci gives up on the whole bus when "resource" cannot be opened
	 * (sysfs_get_resources): ask it for BARs only when the file is there.
	 */
	if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", dev->f.addr) == 0) {
		char *res = NULL;

		dev->bars_err = gc_read_file(r, path, 4096, &res, NULL);
		free(res);
	}
#ifdef PCI_FILL_SUBSYS
	pci_fill_info(p, PCI_FILL_SUBSYS | PCI_FILL_NUMA_NODE |
			 (dev->bars_err ? 0 : PCI_FILL_BASES | PCI_FILL_SIZES));
	if (p->known_fields & PCI_FILL_SUBSYS) {
		dev->has_subsys = true;
		dev->subsys_vendor = p->subsys_vendor_id;
		dev->subsys_device = p->subsys_id;
	}
#else
	pci_fill_info(p, PCI_FILL_NUMA_NODE | (dev->bars_err ? 0 : PCI_FILL_BASES | PCI_FILL_SIZES));
	fill_subsys_compat(r, dev);
#endif
	dev->numa_node = (p->known_fields & PCI_FILL_NUMA_NODE) ? p->numa_node : -1;
	/*
	 * Driver and IOMMU group from the link names, not libpci: libpci
	 * realpath()s the links, which fails in a sysroot that holds the link
	 * but not its target.
	 */
	dev->driver = link_basename(r, dev->f.addr, "driver");
	dev->iommu_group = link_basename(r, dev->f.addr, "iommu_group");
	for (i = 0; i < 6 && !dev->bars_err; i++) {
		if (!p->size[i])
			continue;
		dev->bars[dev->n_bars++] = (struct gc_bar){
			.index = i,
			.base = p->base_addr[i] & PCI_ADDR_MEM_MASK,
			.size = p->size[i],
			.assigned = (p->base_addr[i] & PCI_ADDR_MEM_MASK) != 0,
		};
	}
	if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s", dev->f.addr) == 0)
		gc_readlink(r, path, &dev->sysfs_link);
	if (gc_pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/modalias", dev->f.addr) == 0)
		gc_read_string(r, path, &dev->modalias);
	read_config(r, dev);
	dev->msi_irqs_err = gc_msi_irqs_read(r, dev->f.addr, &dev->n_msi, &dev->n_msix,
					     &dev->n_msi_other);
	read_accel(r, dev);
}

static void scan(const struct gc_root *r, struct pci_access *pacc, const struct gc_pci_id *extra,
		 struct gc_pci_facts *out)
{
	struct pci_dev *p;

	pci_init(pacc);
	pci_scan_bus(pacc);
	for (p = pacc->devices; p; p = p->next) {
		struct gc_pci_func *f = xappend(&out->all, &out->n_all, sizeof(*f));
		const struct gc_pci_id *id;

		snprintf(f->addr, sizeof(f->addr), "%04x:%02x:%02x.%d", p->domain, p->bus, p->dev,
			 p->func);
#ifdef PCI_FILL_CLASS_EXT
		pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT);
		f->class = (uint32_t)p->device_class << 8 | p->prog_if;
#else
		pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS);
		f->class = class_compat(r, f->addr, p->device_class);
#endif
		f->vendor = p->vendor_id;
		f->device = p->device_id;
		id = gc_pci_card_id(p->vendor_id, p->device_id, extra);
		if (id) {
			struct gc_pci_dev *dev = xappend(&out->devs, &out->n_devs, sizeof(*dev));

			dev->f = *f;
			fill_dev(r, p, id, dev);
		}
	}
}

static int cmp_func(const void *a, const void *b)
{
	return strcmp(((const struct gc_pci_func *)a)->addr, ((const struct gc_pci_func *)b)->addr);
}

static int cmp_dev(const void *a, const void *b)
{
	return cmp_func(&((const struct gc_pci_dev *)a)->f, &((const struct gc_pci_dev *)b)->f);
}

int gc_pci_probe(const struct gc_root *r, const struct gc_pci_id *extra, struct gc_pci_facts *out)
{
	struct pci_access *pacc;
	char *view, *sysfs;
	jmp_buf jb;

	*out = (struct gc_pci_facts){ 0 };
	if (r->live) {
		/*
		 * The running system is the tree: libpci reads its sysfs as
		 * lspci does, as libkmod reads its modules in-process
		 * (modules.c). A bundle lists the attributes libpci reads
		 * (checker/bundle/collect.c), the view being not there to
		 * record them. Absent devices directory: -ENOENT, as below.
		 */
		DIR *d = NULL;

		if ((out->err = gc_opendir(r, "/sys/bus/pci/devices", &d)))
			return 0;
		closedir(d);
		view = NULL;
	} else {
		if ((out->err = gc_view_create(&view)))
			return 0;
		out->err = libpci_view(r, view, extra, out);
		if (out->err) {
			gc_view_remove(view);
			return 0;
		}
	}

	pacc = pci_alloc();
	pacc->error = libpci_error;
	pacc->warning = libpci_quiet;
	pacc->debug = libpci_quiet;
	/* Never let libpci fall back to /proc/bus/pci or I/O ports (lib/init.c probe order). */
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	sysfs = xasprintf("%s/sys/bus/pci", view ? view : "");
	pci_set_param(pacc, "sysfs.path", sysfs);
	libpci_jmp = &jb;
	if (setjmp(jb) == 0) {
		scan(r, pacc, extra, out);
	} else {
		out->err = -EIO;
		/* Name the tree's path, not the private view's. */
		out->err_msg = xstrdup(libpci_msg);
		for (char *at = view ? strstr(out->err_msg, view) : NULL; at; at = strstr(at, view))
			memmove(at, at + strlen(view), strlen(at + strlen(view)) + 1);
	}
	libpci_jmp = NULL;
	pci_cleanup(pacc);
	free(sysfs);
	gc_view_remove(view);
	if (out->n_all)
		qsort(out->all, out->n_all, sizeof(*out->all), cmp_func);
	if (out->n_devs)
		qsort(out->devs, out->n_devs, sizeof(*out->devs), cmp_dev);
	return 0;
}

const struct gc_pci_func *gc_pci_find(const struct gc_pci_facts *f, const char *addr)
{
	size_t i;

	for (i = 0; i < f->n_all; i++)
		if (streq(f->all[i].addr, addr))
			return &f->all[i];
	return NULL;
}

void gc_pci_facts_free(struct gc_pci_facts *f)
{
	size_t i, j;

	for (i = 0; i < f->n_devs; i++) {
		struct gc_pci_dev *d = &f->devs[i];

		free(d->driver);
		free(d->iommu_group);
		free(d->sysfs_link);
		free(d->modalias);
		for (j = 0; j < d->n_accel; j++)
			free(d->accel[j]);
		free(d->accel);
		free(d->accel_dev_present);
	}
	free(f->devs);
	free(f->all);
	free(f->err_msg);
	gc_strv_free(f->skipped, f->n_skipped);
	*f = (struct gc_pci_facts){ 0 };
}
