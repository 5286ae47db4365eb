// SPDX-License-Identifier: GPL-2.0-or-later
/* modprobe.d and modules-load.d parsing, and kmod's directory override rule. */
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
#include <unistd.h>

#include "probes/modprobe.h"

static void test_parse(void **state)
{
	struct gc_modprobe m = { 0 };
	const struct gc_modprobe_rule *r;

	(void)state;
	gc_modprobe_parse("# blacklist qaic\n"
			  "options mhi debug=1\n"
			  "blacklist   mhi_pci_generic\n"
			  "install qaic /sbin/modprobe --ignore-install \\\n  qaic $CMDLINE_OPTS\n"
			  "blacklist qaic\n"
			  "alias pci:v000017CBd0000A100* qaic\n"
			  "blacklist\n",
			  "/etc/modprobe.d/x.conf", &m);
	assert_int_equal(m.n, 3);
	r = gc_modprobe_find(&m, GC_MODPROBE_BLACKLIST, "qaic");
	assert_non_null(r);
	assert_int_equal(r->line, 6);
	r = gc_modprobe_find(&m, GC_MODPROBE_INSTALL, "qaic");
	assert_non_null(r);
	assert_int_equal(r->line, 4);
	assert_string_equal(r->command, "/sbin/modprobe --ignore-install   qaic $CMDLINE_OPTS");
	assert_false(gc_install_disables(r->command));
	/* Names compare across '-' and '_'. */
	assert_non_null(gc_modprobe_find(&m, GC_MODPROBE_BLACKLIST, "mhi-pci-generic"));
	assert_null(gc_modprobe_find(&m, GC_MODPROBE_BLACKLIST, "mhi"));
	gc_modprobe_free(&m);
}

static void test_install_disables(void **state)
{
	(void)state;
	assert_true(gc_install_disables("/bin/false"));
	assert_true(gc_install_disables("/bin/true"));
	assert_true(gc_install_disables("/usr/bin/false"));
	assert_true(gc_install_disables("exit 1"));
	assert_true(gc_install_disables("true;"));
	assert_false(gc_install_disables("/sbin/modprobe --ignore-install qaic"));
	assert_false(gc_install_disables(""));
}

static void test_modules_load(void **state)
{
	struct gc_modprobe m = { 0 };

	(void)state;
	gc_modules_load_parse("# comment\n; also a comment\n\nqaic\n  mhi  \n", "/etc/modules-load.d/a.conf", &m);
	assert_int_equal(m.n_load, 2);
	assert_string_equal(gc_modules_load_find(&m, "mhi"), "/etc/modules-load.d/a.conf");
	assert_null(gc_modules_load_find(&m, "comment"));
	gc_modprobe_free(&m);
}

static void put(const char *root, const char *path, const char *text)
{
	char full[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (slash = strchr(full + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(full, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* kmod: one list sorted by file name; /etc hides the same name in /usr/lib; only *.conf. */
static void test_override(void **state)
{
	char dir[] = "/tmp/aicg-modprobe-XXXXXX", cmd[64];
	struct gc_modprobe m;
	struct gc_root r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "/usr/lib/modprobe.d/qaic.conf", "blacklist qaic\n");
	put(dir, "/etc/modprobe.d/qaic.conf", "# emptied by the operator\n");
	put(dir, "/lib/modprobe.d/50-mhi.conf", "blacklist mhi\n");
	put(dir, "/etc/modprobe.d/mhi.conf.dpkg-old", "install mhi /bin/false\n");
	put(dir, "/etc/modules", "# /etc/modules\nqaic\n");
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_modprobe_probe(&r, &m);
	assert_int_equal(m.err, 0);
	assert_null(gc_modprobe_find(&m, GC_MODPROBE_BLACKLIST, "qaic"));
	assert_non_null(gc_modprobe_find(&m, GC_MODPROBE_BLACKLIST, "mhi"));
	assert_null(gc_modprobe_find(&m, GC_MODPROBE_INSTALL, "mhi"));
	assert_int_equal(m.n_files, 2);
	assert_string_equal(m.files[0], "/lib/modprobe.d/50-mhi.conf");
	assert_string_equal(m.files[1], "/etc/modprobe.d/qaic.conf");
	assert_string_equal(gc_modules_load_find(&m, "qaic"), "/etc/modules");
	gc_modprobe_free(&m);
	gc_root_close(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_install_disables),
		cmocka_unit_test(test_modules_load),
		cmocka_unit_test(test_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
