// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device.minors: the class-link parser and the budget decision. The limits
 * are the kernel's: drm_minor_alloc() idr range 64 * type .. 64 * (type + 1)
 * (end exclusive: 64 primaries) before 6.2, ACCEL_MAX_MINORS 256 after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>

#include "checker/checks/minors.h"
#include "probes/minors.h"

static void test_owner(void **state)
{
	char *o;

	(void)state;
	o = gc_minor_owner("../../devices/pci0000:00/0000:00:02.0/drm/card0", "drm", "card0");
	assert_string_equal(o, "0000:00:02.0");
	free(o);
	o = gc_minor_owner("../../devices/pci0000:00/0000:00:10.0/0000:01:00.0/accel/accel12", "accel", "accel12");
	assert_string_equal(o, "0000:01:00.0");
	free(o);
	/* A virtual device's parent is a name too (vgem: /sys/devices/platform/vgem/drm/card1). */
	o = gc_minor_owner("../../devices/platform/vgem/drm/card1", "drm", "card1");
	assert_string_equal(o, "vgem");
	free(o);
	assert_null(gc_minor_owner("../../devices/pci0000:00/0000:00:02.0/drm/card0", "drm", "card1"));
	assert_null(gc_minor_owner("../../devices/pci0000:00/0000:00:02.0/accel/card0", "drm", "card0"));
	assert_null(gc_minor_owner("drm/card0", "drm", "card0"));
	assert_null(gc_minor_owner("/drm/card0", "drm", "card0"));
	assert_null(gc_minor_owner("", "drm", "card0"));
}

/* A derived tree with two qaic cards, their accel nodes linked in /sys/class/accel. */
static void test_probe_fixture(void **state)
{
	struct gc_minors m;
	struct gc_root r;
	char dir[512];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES_DIR, "card-two-qaic-32msi");
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_minors_probe(&r, &m);
	assert_int_equal(m.drm.err, -ENOENT);
	assert_int_equal(m.accel.err, 0);
	assert_int_equal(m.accel.n, 2);
	assert_string_equal(m.accel.nodes[0].name, "accel0");
	assert_int_equal(m.accel.nodes[0].kind, GC_MINOR_ACCEL);
	assert_string_equal(m.accel.nodes[0].owner, "0000:01:00.0");
	assert_string_equal(m.accel.nodes[1].owner, "0000:02:00.0");
	gc_minors_free(&m);
	gc_root_close(&r);
}

static enum gc_status verdict(enum gc_minor_space space, bool firm, size_t cards, size_t drm, size_t accel)
{
	struct gc_minor_budget b = { .space = space, .drm_firm = firm, .cards = cards,
				     .other_drm = drm, .other_accel = accel };

	return gc_minor_verdict(&b);
}

static void test_drm_space(void **state)
{
	(void)state;
	/* 16 Ultra cards fill 0..63 exactly; a 17th does not fit. */
	assert_int_equal(verdict(GC_SPACE_DRM, true, 64, 0, 0), GC_PASS);
	assert_int_equal(verdict(GC_SPACE_DRM, true, 68, 0, 0), GC_FAIL);
	/* Other DRM devices (a display adapter's card0) take from the same 64. */
	assert_int_equal(verdict(GC_SPACE_DRM, true, 64, 1, 0), GC_FAIL);
	assert_int_equal(verdict(GC_SPACE_DRM, true, 60, 4, 0), GC_PASS);
	/* Accel devices do not count against DRM minors. */
	assert_int_equal(verdict(GC_SPACE_DRM, true, 4, 0, 300), GC_PASS);
	/* A kernel that may allocate DRM minors beyond 64 (6.2+ without the accel framework): not a fail. */
	assert_int_equal(verdict(GC_SPACE_DRM, false, 68, 0, 0), GC_WARN);
}

static void test_accel_space(void **state)
{
	(void)state;
	assert_int_equal(verdict(GC_SPACE_ACCEL, false, 68, 0, 0), GC_PASS);
	assert_int_equal(verdict(GC_SPACE_ACCEL, false, 256, 0, 0), GC_PASS);
	assert_int_equal(verdict(GC_SPACE_ACCEL, false, 253, 0, 4), GC_FAIL);
	assert_int_equal(verdict(GC_SPACE_ACCEL, false, 257, 0, 0), GC_FAIL);
	/* DRM devices do not count against accel minors. */
	assert_int_equal(verdict(GC_SPACE_ACCEL, false, 68, 64, 0), GC_PASS);
}

static void test_unknown_space(void **state)
{
	(void)state;
	/* Fits either way: pass; fits only in accel minors: warn, never fail; fits in neither: fail. */
	assert_int_equal(verdict(GC_SPACE_UNKNOWN, false, 4, 1, 0), GC_PASS);
	assert_int_equal(verdict(GC_SPACE_UNKNOWN, true, 68, 0, 0), GC_WARN);
	assert_int_equal(verdict(GC_SPACE_UNKNOWN, true, 257, 0, 0), GC_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_probe_fixture),
		cmocka_unit_test(test_drm_space),
		cmocka_unit_test(test_accel_space),
		cmocka_unit_test(test_unknown_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
