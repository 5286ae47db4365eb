// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device.health and device.firmware: is each card's firmware up, and can
 * this guest load the images that bring it up.
 *
 * qaic_mhi_probe() runs when the device firmware has brought up the
 * QAIC_CONTROL channel; it binds the channel device
 * "<controller>_QAIC_CONTROL" to the "qaic_mhi" driver only when the
 * control protocol version matched, and marks the device online
 * (qaic_drv.c; 6.8+: QAIC_ONLINE and a KOBJ_ONLINE uevent). On 6.4-6.7 the
 * accel node is created there too, so a bound card without one has not
 * come up; from 6.8 (5f0a0ebca2b9) the node exists from PCI probe and
 * proves nothing. On a reset or crash the MHI core removes the channel
 * devices of the mission-mode channels, so a bound QAIC_CONTROL is the
 * card being up now.
 */
#include <errno.h>

#include "../registry.h"

#define QAIC "qaic"
#define MAX_LOG_LINES 8

const char *gc_card_state_name(enum gc_card_state s)
{
	return s == GC_CARD_ONLINE ? "online" : s == GC_CARD_FAILED ? "failed" : "unknown";
}

static bool before_6_8(const struct gc_facts *f)
{
	return !f->kver_err && (f->kver.major < 6 || (f->kver.major == 6 && f->kver.minor < 8));
}

static bool at_least(const struct gc_facts *f, int major, int minor)
{
	return !f->kver_err && (f->kver.major > major || (f->kver.major == major && f->kver.minor >= minor));
}

/*
 * qaic's own 1-MSI notice ("Allocating 32 MSIs failed, operating in 1 MSI
 * mode", pci_info since bb8e97e26ce6) says "failed" of a fallback that
 * works: device.msi judges it; it says nothing about the firmware.
 */
static bool is_error_text(const char *s)
{
	if (strstr(s, "operating in 1 MSI mode"))
		return false;
	return strcasestr(s, "fail") || strcasestr(s, "error") || strcasestr(s, "timeout") ||
	       strstr(s, "not supported") || strstr(s, "not in valid state");
}

/*
 * Kernel log lines about this card that say something went wrong: its
 * MHI controller ("mhi mhi0: Device failed to enter MHI Ready"), its PCI
 * device ("qaic 0000:01:00.0: mhi_async_power_up failed", "Direct
 * firmware load ... failed"), its channel devices and their drivers
 * ("qaic_timesync: probe of mhi0_QAIC_TIMESYNC failed with error -5").
 */
static size_t card_log_errors(const struct gc_facts *f, size_t idx, const char **out, size_t max)
{
	const struct gc_pci_dev *d = &f->pci.devs[idx];
	const struct gc_mhi *m = f->mhi ? &f->mhi[idx] : NULL;
	char pfx_pci[64], pfx_mhi[64], chan[64];
	size_t i, n = 0;

	snprintf(pfx_pci, sizeof(pfx_pci), " %s: ", d->f.addr);
	snprintf(pfx_mhi, sizeof(pfx_mhi), "mhi %s: ", m && m->cntrl ? m->cntrl : "\x01");
	snprintf(chan, sizeof(chan), "%s_QAIC_", m && m->cntrl ? m->cntrl : "\x01");
	for (i = 0; i < f->kmsg.n && n < max; i++) {
		const char *l = f->kmsg.lines[i];
		bool mine = startswith(l, pfx_mhi) || strstr(l, chan) ||
			    ((startswith(l, QAIC " ") || startswith(l, "mhi ")) && strstr(l, pfx_pci));

		if (mine && is_error_text(l))
			out[n++] = l;
	}
	return n;
}

/* An image qaic loads is missing or empty: the likeliest cause of a card that did not come up. */
static bool firmware_missing(const struct gc_facts *f)
{
	size_t i;

	for (i = 0; i < f->n_fw; i++)
		if (f->fw[i].err == -ENOENT || f->fw[i].empty)
			return true;
	return false;
}

static enum gc_card_state decide(const struct gc_facts *f, size_t idx, struct gc_result *r)
{
	const struct gc_pci_dev *d = &f->pci.devs[idx];
	const struct gc_mhi *m = &f->mhi[idx];
	const struct gc_mhi_chan *ctl;
	const char *lines[MAX_LOG_LINES];
	size_t n_lines, i;
	char path[256];

	if (!streq(d->driver, QAIC)) {
		if (r)
			gc_result_add(r, GC_UNKNOWN, "%s: %s, so its firmware state cannot be read (see device.driver)",
				      d->f.addr, d->driver ? d->driver : "no driver bound");
		return GC_CARD_UNKNOWN;
	}
	n_lines = card_log_errors(f, idx, lines, MAX_LOG_LINES);
	ctl = m->err ? NULL : gc_mhi_chan_find(m, "QAIC_CONTROL");
	if (r) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", d->f.addr, m->cntrl ? m->cntrl : "mhi*");
		if (m->err)
			gc_evidence_add(r, path, "%s", m->err == -ENOENT ? "no MHI controller" : gc_err_reason(m->err));
		else if (!ctl)
			gc_evidence_add(r, path, "%zu channel device%s, no %s_QAIC_CONTROL", m->n_chan,
					m->n_chan == 1 ? "" : "s", m->cntrl);
		else
			gc_evidence_add(r, path, "%s_QAIC_CONTROL bound to %s", m->cntrl, ctl->driver ? ctl->driver : "no driver");
		if (m->states)
			gc_evidence_add(r, "debugfs mhi states", "%s", m->states);
		for (i = 0; i < n_lines; i++)
			gc_evidence_add(r, "kernel log", "%s", lines[i]);
	}
	if (ctl && streq(ctl->driver, "qaic_mhi")) {
		if (r)
			gc_result_add(r, GC_PASS, "%s: online: the control channel is up and bound to qaic_mhi%s", d->f.addr,
				      n_lines ? " (earlier errors in the log; it recovered)" : "");
		return GC_CARD_ONLINE;
	}
	/* 6.4-6.7: the accel node is made in qaic_mhi_probe(); on reset it is removed again. */
	if (before_6_8(f) && at_least(f, 6, 4) && d->n_accel > 0 && m->err == -ENOENT && !n_lines) {
		if (r)
			gc_result_add(r, GC_PASS, "%s: online: Linux %d.%d creates the accel node only once the control "
						  "channel is up", d->f.addr, f->kver.major, f->kver.minor);
		return GC_CARD_ONLINE;
	}
	if (n_lines) {
		if (r) {
			gc_result_add(r, GC_FAIL, "%s: the card did not come up: the kernel log reports errors", d->f.addr);
			if (firmware_missing(f))
				gc_remedy_add(r, "install the firmware images device.firmware finds missing first, then "
						 "reload qaic (modprobe -r qaic; modprobe qaic)");
			else
				gc_remedy_add(r, "reset the card (echo 1 > /sys/bus/pci/devices/%s/reset, or power-cycle "
						 "the VM's host slot), and attach the bundle with dmesg to a ticket if it "
						 "persists", d->f.addr);
		}
		return GC_CARD_FAILED;
	}
	if (before_6_8(f) && at_least(f, 6, 4) && d->n_accel == 0) {
		if (r) {
			gc_result_add(r, GC_FAIL, "%s: qaic is bound but the card has not come up: Linux %d.%d registers the "
						  "accel node only once the device firmware answers", d->f.addr,
				      f->kver.major, f->kver.minor);
			gc_remedy_add(r, "read dmesg | grep -iE 'qaic|mhi' for the reason; check device.firmware");
		}
		return GC_CARD_FAILED;
	}
	if (ctl && ctl->driver == NULL) {
		if (r) {
			gc_result_add(r, GC_UNKNOWN, "%s: the control channel exists but qaic_mhi is not bound to it", d->f.addr);
			gc_remedy_add(r, "look for 'qaic_mhi: probe of %s_QAIC_CONTROL failed' or 'Control protocol version' "
					 "in dmesg: the device firmware and the driver may not match", m->cntrl);
		}
		return GC_CARD_UNKNOWN;
	}
	if (r) {
		gc_result_add(r, GC_UNKNOWN, "%s: qaic is bound but nothing shows the card online (it may still be booting)",
			      d->f.addr);
		gc_remedy_add(r, "wait for the card to boot and run again; look at ls /sys/bus/pci/devices/%s/mhi*/ "
				 "(a %s_QAIC_CONTROL bound to qaic_mhi means online) and dmesg | grep -iE 'qaic|mhi|sahara'",
			      d->f.addr, m->cntrl ? m->cntrl : "mhiN");
	}
	return GC_CARD_UNKNOWN;
}

bool gc_card_failure_logged(const struct gc_facts *f, size_t idx)
{
	const char *lines[1];

	return idx < f->pci.n_devs && card_log_errors(f, idx, lines, 1) > 0;
}

enum gc_card_state gc_card_state(const struct gc_facts *f, size_t idx)
{
	if (idx >= f->pci.n_devs || !f->mhi)
		return GC_CARD_UNKNOWN;
	return decide(f, idx, NULL);
}

void check_device_health(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	size_t i;

	if (!gc_cards_to_check(f, o, r))
		return;
	if (!f->mhi) {
		gc_result_add(r, GC_UNKNOWN, "the cards' MHI controllers were not read");
		return;
	}
	if (f->kmsg.err)
		gc_evidence_add(r, f->kmsg.source, "kernel log unreadable: %s", gc_err_reason(f->kmsg.err));
	for (i = 0; i < f->pci.n_devs; i++)
		decide(f, i, r);
}

/*
 * What qaic loads: qcom/aic100/sbl.bin through the MHI core's BHI loader
 * (mhi_cntrl->fw_image since the driver's first release, 6.4), and from
 * 6.10 (76b801aa2198 "accel/qaic: Add Sahara implementation for firmware
 * loading", drm for 6.10-rc1) the images the card asks for over Sahara,
 * aic100_image_table in sahara.c. Of those, fw1, fw2, fw5, fw9 and fw10
 * are the ones linux-firmware ships with sbl.bin; 4, 6 and 8 are requested
 * with firmware_request_nowarn() as possibly optional and are not
 * required here.
 */
static const char *const qaic_fw_all[] = {
	"qcom/aic100/sbl.bin", "qcom/aic100/fw1.bin", "qcom/aic100/fw2.bin", "qcom/aic100/fw5.bin",
	"qcom/aic100/fw9.bin", "qcom/aic100/fw10.bin",
};

size_t gc_qaic_fw_names(const struct gc_facts *f, const char *const **ret_names)
{
	*ret_names = qaic_fw_all;
	if (f->kver_err)
		return ARRAY_SIZE(qaic_fw_all);  /* unknown kernel: look for all, judge later */
	if (!at_least(f, 6, 4))
		return 0;
	return at_least(f, 6, 10) ? ARRAY_SIZE(qaic_fw_all) : 1;
}

/* An AIC100 or AIC080: the images above are theirs (a --device-id card's, e.g. AIC200's, are not). */
static bool aic100_family(const struct gc_pci_dev *d)
{
	return gc_pci_card_id(d->f.vendor, d->f.device, NULL) != NULL;
}

/* qaic drives the card, or would: bound, or unbound with qaic loaded, built in or installed for it. */
static bool will_load(const struct gc_facts *f, size_t i)
{
	const struct gc_pci_dev *d = &f->pci.devs[i];

	if (!aic100_family(d))
		return false;
	if (d->driver)
		return streq(d->driver, QAIC);
	return gc_qaic_available(f, i);
}

size_t gc_firmware_judge(struct gc_result *r, const struct gc_fw_file *fw, size_t n, const char *custom)
{
	size_t i, missing = 0;

	for (i = 0; i < n; i++) {
		const struct gc_fw_file *w = &fw[i];

		if (!w->err) {
			gc_evidence_add(r, w->path, "present");
			continue;
		}
		gc_evidence_add(r, w->name, "%s%s%s", w->err == -ENOENT ? "not found in /lib/firmware{/updates,}{/<release>,}"
						       : w->empty ? "only an empty file (the loader refuses it)"
								  : gc_err_reason(w->err),
				w->compressed_unusable ? " (only a compressed copy this kernel cannot decompress)" : "",
				custom && w->err == -ENOENT ? " nor in the firmware_class.path directory" : "");
		if (w->err == -ENOENT || w->empty)
			missing++;
		else
			gc_result_add(r, GC_UNKNOWN, "%s could not be read", w->name);
	}
	if (custom)
		gc_evidence_add(r, "/sys/module/firmware_class/parameters/path", "%s (searched first)", custom);
	return missing;
}

void check_device_firmware(const struct gc_facts *f, const struct gc_options *o, struct gc_result *r)
{
	size_t i, missing, online, qaic_cards = 0;

	(void)o;
	for (i = 0; i < f->pci.n_devs; i++)
		qaic_cards += will_load(f, i);
	if (f->pci.n_devs == 0 || qaic_cards == 0) {
		gc_result_add(r, GC_SKIP, f->pci.n_devs ? "no Cloud AI 100/080 is or will be driven by this kernel's qaic "
							   "(see device.driver; other cards' images are not known here)"
							 : "no card (see device.present)");
		return;
	}
	if (f->kver_err) {
		gc_result_add(r, GC_UNKNOWN, "the kernel release is unknown, so which images its qaic loads is too");
		return;
	}
	if (!f->n_fw) {
		gc_result_add(r, GC_SKIP, "Linux %d.%d has no upstream qaic; the vendor's platform SDK driver brings its "
					  "own images", f->kver.major, f->kver.minor);
		return;
	}
	missing = gc_firmware_judge(r, f->fw, f->n_fw, f->fw_custom);
	for (i = 0, online = 0; i < f->pci.n_devs; i++)
		online += will_load(f, i) && gc_card_state(f, i) == GC_CARD_ONLINE;
	if (missing && online == qaic_cards) {
		/* Up, so its images came from elsewhere (an initramfs); a reset reads them from here. */
		gc_result_add(r, GC_WARN, "%zu of the %zu images Linux %d.%d's qaic loads are missing here, though "
					  "the card is up (loaded from the initramfs?): a card reset or a qaic reload "
					  "will not find them", missing, f->n_fw, f->kver.major, f->kver.minor);
		gc_remedy_add(r, "install the card's firmware into /lib/firmware/qcom/aic100/ (linux-firmware or the "
				 "Qualcomm Cloud AI Platform SDK)");
		return;
	}
	if (missing) {
		gc_result_add(r, GC_FAIL, "%zu of the %zu images Linux %d.%d's qaic loads are missing: the card cannot boot",
			      missing, f->n_fw, f->kver.major, f->kver.minor);
		gc_remedy_add(r, "install the card's firmware into /lib/firmware/qcom/aic100/: your distribution's "
				 "linux-firmware package (the images are in linux-firmware since 2024), or the Qualcomm "
				 "Cloud AI Platform SDK; then reload qaic (modprobe -r qaic; modprobe qaic)");
		return;
	}
	if (!r->decided)
		gc_result_add(r, GC_PASS, "the %zu image%s qaic loads on Linux %d.%d %s present", f->n_fw,
			      f->n_fw == 1 ? "" : "s", f->kver.major, f->kver.minor, f->n_fw == 1 ? "is" : "are");
}
