// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --wait's decision from one look at the facts (gc_wait_reason): no
 * sleeping, no clock. A card qaic drives settles when online or failed in
 * the kernel's words; others settle at binding, or at once when no module
 * would bind them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>

#include "checker/wait.h"

static struct gc_facts f;
static struct gc_pci_dev dev[2];
static struct gc_dev_module mod[2];
static struct gc_mhi mhi[2];
static struct gc_mhi_chan chans[1];
static char *lines[2];
static char *accel[1] = { "accel0" };
static char *qaic_name[1] = { "qaic" };

/* One qaic card on 6.12, bound, its control channel not up yet. */
static int reset(void **state)
{
	(void)state;
	memset(&f, 0, sizeof(f));
	memset(dev, 0, sizeof(dev));
	memset(mod, 0, sizeof(mod));
	strcpy(dev[0].f.addr, "0000:01:00.0");
	dev[0].f.vendor = 0x17cb;
	dev[0].f.device = 0xa100;
	dev[0].driver = "qaic";
	dev[0].accel = accel;
	dev[0].n_accel = 1;
	f.pci.devs = dev;
	f.pci.n_devs = 1;
	f.dev_mod = mod;
	chans[0] = (struct gc_mhi_chan){ "QAIC_CONTROL", "qaic_mhi" };
	mhi[0] = (struct gc_mhi){ .cntrl = "mhi0", .chan = chans, .n_chan = 0 };
	f.mhi = mhi;
	f.kmsg.lines = lines;
	gc_kversion_parse("6.12.0", &f.kver);
	return 0;
}

static bool waits(size_t want)
{
	char *why = gc_wait_reason(&f, want);
	bool w = why != NULL;

	free(why);
	return w;
}

static void test_qaic_online_or_failed(void **state)
{
	char *why;

	(void)state;
	/* 6.8+: bound with its accel node but the firmware not up: keep waiting, and say which card. */
	why = gc_wait_reason(&f, 1);
	assert_non_null(why);
	assert_non_null(strstr(why, "0000:01:00.0"));
	free(why);
	/* The control channel came up and qaic_mhi took it: online, done. */
	mhi[0].n_chan = 1;
	assert_false(waits(1));
	/* The MHI state machine failed, as the kernel logs it: failed, done. */
	mhi[0].n_chan = 0;
	lines[0] = "mhi mhi0: Device failed to enter MHI Ready";
	f.kmsg.n = 1;
	assert_false(waits(1));
	/* Another card's failure is not this one's. */
	lines[0] = "mhi mhi1: Device failed to enter MHI Ready";
	assert_true(waits(1));
}

static void test_6_5_no_accel_yet(void **state)
{
	(void)state;
	/* 6.4-6.7 create the accel node once the card is up: without it and without an error line the
	 * card is still starting, not failed (health would say failed after the wait). */
	gc_kversion_parse("6.5.0", &f.kver);
	mhi[0] = (struct gc_mhi){ .err = -ENOENT };
	dev[0].n_accel = 0;
	assert_true(waits(1));
	dev[0].n_accel = 1;
	assert_false(waits(1));
	dev[0].n_accel = 0;
	lines[0] = "qaic 0000:01:00.0: mhi_async_power_up failed";
	f.kmsg.n = 1;
	assert_false(waits(1));
}

static void test_other_drivers_and_unbound(void **state)
{
	(void)state;
	/* A stand-in bound to its own driver (the e2e guests' xhci_hcd): bound is settled. */
	dev[0].driver = "xhci_hcd";
	f.mhi = NULL;
	assert_false(waits(1));
	dev[0].driver = "vfio-pci";
	assert_false(waits(1));
	/* Unbound, and an installed module matches it: its binding is coming. */
	dev[0].driver = NULL;
	mod[0] = (struct gc_dev_module){ .names = qaic_name, .n = 1 };
	assert_true(waits(1));
	/* Unbound and no module would bind it: waiting cannot help. */
	mod[0] = (struct gc_dev_module){ 0 };
	assert_false(waits(1));
	/* The lookup failed: it may still bind; wait. */
	mod[0].err = -EIO;
	assert_true(waits(1));
}

static void test_count_and_bus(void **state)
{
	(void)state;
	mhi[0].n_chan = 1;
	assert_false(waits(1));
	/* --expect-devices 2: the second card (a Hyper-V vPCI card appears later) is awaited. */
	assert_true(waits(2));
	/* Two cards, the second still starting: the wait goes on for it. */
	dev[1] = dev[0];
	strcpy(dev[1].f.addr, "0000:02:00.0");
	mhi[1] = (struct gc_mhi){ .cntrl = "mhi1", .chan = chans, .n_chan = 0 };
	f.pci.n_devs = 2;
	assert_true(waits(2));
	mhi[1].n_chan = 1;
	assert_false(waits(2));
	f.pci.err = -ENOENT;
	assert_true(waits(1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_qaic_online_or_failed, reset),
		cmocka_unit_test_setup(test_6_5_no_accel_yet, reset),
		cmocka_unit_test_setup(test_other_drivers_and_unbound, reset),
		cmocka_unit_test_setup(test_count_and_bus, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
