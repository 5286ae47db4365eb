// SPDX-License-Identifier: GPL-2.0-or-later
/* The MHI and firmware probes on fixture trees, and the card state decided from their facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "checker/registry.h"
#include "probes/firmware.h"
#include "probes/mhi.h"

static void open_fixture(struct gc_root *r, const char *name)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES_DIR, name);
	assert_int_equal(gc_root_open(r, dir), 0);
}

static void test_mhi_probe(void **state)
{
	struct gc_root r;
	struct gc_mhi m;

	(void)state;
	open_fixture(&r, "card-qaic-32msi");
	gc_mhi_probe(&r, "0000:01:00.0", &m);
	assert_int_equal(m.err, 0);
	assert_string_equal(m.cntrl, "mhi0");
	assert_non_null(gc_mhi_chan_find(&m, "QAIC_CONTROL"));
	assert_string_equal(gc_mhi_chan_find(&m, "QAIC_CONTROL")->driver, "qaic_mhi");
	assert_null(gc_mhi_chan_find(&m, "QAIC_DIAG")->driver);
	assert_null(gc_mhi_chan_find(&m, "QAIC_SAHARA"));
	gc_mhi_free(&m);
	gc_mhi_probe(&r, "0000:00:00.0", &m);  /* the host bridge has none */
	assert_int_equal(m.err, -ENOENT);
	gc_mhi_free(&m);
	gc_root_close(&r);

	open_fixture(&r, "card-qaic-6.8-mhi-not-ready");
	gc_mhi_probe(&r, "0000:01:00.0", &m);
	assert_int_equal(m.err, 0);
	assert_int_equal(m.n_chan, 0);
	gc_mhi_free(&m);
	gc_root_close(&r);
}

static void test_firmware_find(void **state)
{
	static const char *const names[] = { "qcom/aic100/sbl.bin", "qcom/aic100/fw4.bin" };
	struct gc_fw_file fw[2];
	struct gc_root r;

	(void)state;
	assert_int_equal(gc_fw_compress_from_kconfig(NULL), GC_FW_COMPRESS_UNKNOWN);
	assert_int_equal(gc_fw_compress_from_kconfig("CONFIG_FW_LOADER_COMPRESS_XZ=y\n"), GC_FW_COMPRESS_XZ);
	assert_int_equal(gc_fw_compress_from_kconfig("# CONFIG_FW_LOADER_COMPRESS_XZ is not set\n"),
			 GC_FW_COMPRESS_NONE);

	open_fixture(&r, "card-qaic-32msi");
	gc_firmware_find(&r, NULL, "6.12.117+deb12-amd64", GC_FW_COMPRESS_NONE, names, 2, fw);
	assert_int_equal(fw[0].err, 0);
	assert_string_equal(fw[0].path, "/lib/firmware/qcom/aic100/sbl.bin");
	assert_int_equal(fw[1].err, -ENOENT);  /* optional image, not shipped */
	gc_firmware_free(fw, 2);
	gc_root_close(&r);

	open_fixture(&r, "card-firmware-xz");
	gc_firmware_find(&r, NULL, NULL, GC_FW_COMPRESS_XZ, names, 1, fw);
	assert_int_equal(fw[0].err, 0);
	assert_string_equal(fw[0].path, "/lib/firmware/qcom/aic100/sbl.bin.xz");
	gc_firmware_free(fw, 1);
	gc_firmware_find(&r, NULL, NULL, GC_FW_COMPRESS_ZSTD, names, 1, fw);  /* .xz the kernel cannot read */
	assert_int_equal(fw[0].err, -ENOENT);
	assert_true(fw[0].compressed_unusable);
	gc_firmware_free(fw, 1);
	gc_root_close(&r);
}

static void put_file(const char *root, const char *path, const char *text)
{
	char p[512], *slash;
	FILE *fp;

	snprintf(p, sizeof(p), "%s%s", root, path);
	for (slash = strchr(p + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p, 0755);
		*slash = '/';
	}
	assert_non_null(fp = fopen(p, "w"));
	fputs(text, fp);
	fclose(fp);
}

/*
 * The loader skips an empty file (kernel_read_file(): i_size <= 0 is
 * -EINVAL) and goes on to the next directory; firmware_class.path comes first.
 */
static void test_firmware_empty_and_custom(void **state)
{
	static const char *const names[] = { "qcom/aic100/sbl.bin" };
	char dir[] = "/tmp/aicg-fw-XXXXXX", cmd[64], *custom;
	struct gc_fw_file fw[1];
	struct gc_root r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "/lib/firmware/updates/qcom/aic100/sbl.bin", "");
	put_file(dir, "/lib/firmware/qcom/aic100/sbl.bin", "image");
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_firmware_find(&r, NULL, "6.12.0", GC_FW_COMPRESS_NONE, names, 1, fw);
	assert_int_equal(fw[0].err, 0);
	assert_string_equal(fw[0].path, "/lib/firmware/qcom/aic100/sbl.bin");
	gc_firmware_free(fw, 1);

	put_file(dir, "/lib/firmware/qcom/aic100/sbl.bin", "");
	gc_firmware_find(&r, NULL, "6.12.0", GC_FW_COMPRESS_NONE, names, 1, fw);
	assert_int_equal(fw[0].err, -EINVAL);
	assert_true(fw[0].empty);
	gc_firmware_free(fw, 1);

	assert_null(gc_firmware_custom_path(&r));
	put_file(dir, "/sys/module/firmware_class/parameters/path", "\n");  /* unset: the kernel prints "" */
	assert_null(gc_firmware_custom_path(&r));
	put_file(dir, "/sys/module/firmware_class/parameters/path", "/opt/qti-aic/firmware\n");
	put_file(dir, "/opt/qti-aic/firmware/qcom/aic100/sbl.bin", "image");
	custom = gc_firmware_custom_path(&r);
	assert_string_equal(custom, "/opt/qti-aic/firmware");
	gc_firmware_find(&r, custom, "6.12.0", GC_FW_COMPRESS_NONE, names, 1, fw);
	assert_int_equal(fw[0].err, 0);
	assert_string_equal(fw[0].path, "/opt/qti-aic/firmware/qcom/aic100/sbl.bin");
	gc_firmware_free(fw, 1);
	free(custom);
	gc_root_close(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static struct gc_facts f;
static struct gc_pci_dev dev[1];
static struct gc_mhi mhi[1];
static struct gc_mhi_chan chans[2];
static char *lines[4];
static char *accel[1] = { "accel0" };

static int reset(void **state)
{
	(void)state;
	memset(&f, 0, sizeof(f));
	memset(dev, 0, sizeof(dev));
	strcpy(dev[0].f.addr, "0000:01:00.0");
	dev[0].f.vendor = 0x17cb;
	dev[0].f.device = 0xa100;
	dev[0].driver = "qaic";
	dev[0].accel = accel;
	dev[0].n_accel = 1;
	f.pci.devs = dev;
	f.pci.n_devs = 1;
	chans[0] = (struct gc_mhi_chan){ "QAIC_CONTROL", "qaic_mhi" };
	chans[1] = (struct gc_mhi_chan){ "QAIC_DIAG", NULL };
	mhi[0] = (struct gc_mhi){ .cntrl = "mhi0", .chan = chans, .n_chan = 2 };
	f.mhi = mhi;
	f.kmsg.lines = lines;
	gc_kversion_parse("6.12.0", &f.kver);
	return 0;
}

static enum gc_status health(void)
{
	static const struct gc_check c = { "device.health", "t", NULL };
	struct gc_result r = { .check = &c };
	struct gc_options o = { .expect_devices = -1 };
	enum gc_status s;

	check_device_health(&f, &o, &r);
	assert_true(r.decided);
	s = r.status;
	gc_result_free(&r);
	return s;
}

static void test_card_state(void **state)
{
	(void)state;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_ONLINE);
	assert_int_equal(health(), GC_PASS);
	/* An old error of this card's controller, recovered: still online. */
	lines[0] = "mhi mhi0: Device failed to enter MHI Ready";
	f.kmsg.n = 1;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_ONLINE);
	/* Not online and the log says why: failed. */
	mhi[0].n_chan = 0;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_FAILED);
	assert_int_equal(health(), GC_FAIL);
	/* Another controller's lines are not this card's. */
	lines[0] = "mhi mhi1: Device failed to enter MHI Ready";
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_UNKNOWN);
	assert_int_equal(health(), GC_UNKNOWN);
	/* The control channel exists but qaic_mhi did not take it (protocol mismatch). */
	f.kmsg.n = 0;
	chans[0].driver = NULL;
	mhi[0].n_chan = 2;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_UNKNOWN);
	/* 6.5: the accel node is made once the control channel is up; without one, failed. */
	gc_kversion_parse("6.5.0", &f.kver);
	mhi[0] = (struct gc_mhi){ .err = -ENOENT };
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_ONLINE);
	dev[0].n_accel = 0;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_FAILED);
	/* 6.8+: the accel node proves nothing. */
	gc_kversion_parse("6.8.0", &f.kver);
	dev[0].n_accel = 1;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_UNKNOWN);
	/* Not qaic's: unknown. */
	dev[0].driver = "vfio-pci";
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_UNKNOWN);
	assert_int_equal(gc_card_state(&f, 5), GC_CARD_UNKNOWN);
	assert_string_equal(gc_card_state_name(GC_CARD_FAILED), "failed");
}

static enum gc_status firmware(void)
{
	struct gc_result r = { 0 };
	enum gc_status st;

	check_device_firmware(&f, NULL, &r);
	st = r.status;
	gc_result_free(&r);
	return st;
}

static void test_firmware_check(void **state)
{
	struct gc_fw_file fw[1] = { { .name = "qcom/aic100/sbl.bin", .err = -ENOENT } };

	(void)state;
	f.fw = fw;
	f.n_fw = 1;
	/* Missing, but the card is up: its images came from elsewhere (an initramfs). */
	assert_int_equal(firmware(), GC_WARN);
	/* Missing and the card is not (yet) up: it cannot boot. */
	mhi[0].n_chan = 0;
	assert_int_equal(firmware(), GC_FAIL);
	/* Only an empty file: the loader refuses it (kernel_read_file(): -EINVAL). */
	fw[0] = (struct gc_fw_file){ .name = "qcom/aic100/sbl.bin", .err = -EINVAL, .empty = true };
	assert_int_equal(firmware(), GC_FAIL);
	/* There but unreadable: not known. */
	fw[0] = (struct gc_fw_file){ .name = "qcom/aic100/sbl.bin", .err = -EACCES };
	assert_int_equal(firmware(), GC_UNKNOWN);
	fw[0] = (struct gc_fw_file){ .name = "qcom/aic100/sbl.bin", .path = "/lib/firmware/qcom/aic100/sbl.bin" };
	assert_int_equal(firmware(), GC_PASS);
	/* A --device-id card of another family (AIC200, 17cb:a110): its images are not these. */
	dev[0].f.device = 0xa110;
	assert_int_equal(firmware(), GC_SKIP);
}

/* qaic's 1-MSI notice is no firmware error: a booting card stays unknown, not failed. */
static void test_health_one_msi_notice(void **state)
{
	(void)state;
	mhi[0].n_chan = 0;
	lines[0] = "qaic 0000:01:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode. Performance may be impacted.";
	f.kmsg.n = 1;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_UNKNOWN);
	assert_int_equal(health(), GC_UNKNOWN);
	lines[1] = "mhi mhi0: Device failed to enter MHI Ready";
	f.kmsg.n = 2;
	assert_int_equal(gc_card_state(&f, 0), GC_CARD_FAILED);
}

/* A card that did not come up while an image is missing: the remedy starts with the firmware. */
static void test_health_remedy_firmware_first(void **state)
{
	static const struct gc_check c = { "device.health", "t", NULL };
	struct gc_fw_file fw[1] = { { .name = "qcom/aic100/sbl.bin", .err = -ENOENT } };
	struct gc_result r = { .check = &c };
	struct gc_options o = { .expect_devices = -1 };

	(void)state;
	mhi[0].n_chan = 0;
	lines[0] = "mhi mhi0: Direct firmware load for qcom/aic100/sbl.bin failed with error -2";
	f.kmsg.n = 1;
	f.fw = fw;
	f.n_fw = 1;
	check_device_health(&f, &o, &r);
	assert_int_equal(r.status, GC_FAIL);
	assert_non_null(strstr(r.remedy, "firmware"));
	assert_null(strstr(r.remedy, "reset"));
	gc_result_free(&r);
	f.n_fw = 0;
	r = (struct gc_result){ .check = &c };
	check_device_health(&f, &o, &r);
	assert_non_null(strstr(r.remedy, "reset"));
	gc_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mhi_probe),
		cmocka_unit_test(test_firmware_find),
		cmocka_unit_test(test_firmware_empty_and_custom),
		cmocka_unit_test_setup(test_card_state, reset),
		cmocka_unit_test_setup(test_firmware_check, reset),
		cmocka_unit_test_setup(test_health_one_msi_notice, reset),
		cmocka_unit_test_setup(test_health_remedy_firmware_first, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
