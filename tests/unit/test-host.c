// SPDX-License-Identifier: GPL-2.0-or-later
/* Host identity: machine-id(5) validation, read through the sysroot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/host.h"

static void put(const char *root, const char *path, const char *text)
{
	char p[512], *slash;
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, path);
	for (slash = strchr(p + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p, 0755);
		*slash = '/';
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_probe(void **state)
{
	char dir[] = "/tmp/aicg-host-XXXXXX", cmd[64];
	struct gc_root r;
	struct gc_host h;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "/proc/sys/kernel/hostname", "guest-7\n");
	put(dir, "/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_host_probe(&r, &h);
	assert_string_equal(h.hostname, "guest-7");
	assert_string_equal(h.machine_id, "0123456789abcdef0123456789abcdef");
	gc_host_free(&h);

	/* "uninitialized" (machine-id(5) during first boot) is not an ID. */
	put(dir, "/etc/machine-id", "uninitialized\n");
	gc_host_probe(&r, &h);
	assert_null(h.machine_id);
	gc_host_free(&h);
	gc_root_close(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
