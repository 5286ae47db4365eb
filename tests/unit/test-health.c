// SPDX-License-Identifier: GPL-2.0-or-later
/* The MHI and firmware probes on fixture trees, and the card state decided from their facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>

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
	gc_firmware_find(&r, "6.12.117+deb12-amd64", GC_FW_COMPRESS_NONE, names, 2, fw);
	assert_int_equal(fw[0].err, 0);
	assert_string_equal(fw[0].path, "/lib/firmware/qcom/aic100/sbl.bin");
	assert_int_equal(fw[1].err, -ENOENT);  /* optional image, not shipped */
	gc_firmware_free(fw, 2);
	gc_root_close(&r);

	open_fixture(&r, "card-firmware-xz");
	gc_firmware_find(&r, NULL, GC_FW_COMPRESS_XZ, names, 1, fw);
	assert_int_equal(fw[0].err, 0);
	assert_string_equal(fw[0].path, "/lib/firmware/qcom/aic100/sbl.bin.xz");
	gc_firmware_free(fw, 1);
	gc_firmware_find(&r, NULL, GC_FW_COMPRESS_ZSTD, names, 1, fw);  /* .xz the kernel cannot read */
	assert_int_equal(fw[0].err, -ENOENT);
	assert_true(fw[0].compressed_unusable);
	gc_firmware_free(fw, 1);
	gc_root_close(&r);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mhi_probe),
		cmocka_unit_test(test_firmware_find),
		cmocka_unit_test_setup(test_card_state, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
