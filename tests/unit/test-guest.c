// SPDX-License-Identifier: GPL-2.0-or-later
/* guest.os: os-release parsing, the architecture of a tree, the guest OS table and the verdicts. */
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

#include "checker/registry.h"
#include "probes/guestos.h"
#include "probes/osrelease.h"

static void test_osrelease_parse(void **state)
{
	struct gc_osrelease o = { 0 };

	(void)state;
	/* Every value quoted, as Amazon Linux 2's file has them. */
	assert_int_equal(gc_osrelease_parse("NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\n"
					    "ID_LIKE=\"centos rhel fedora\"\nVERSION_ID=\"2\"\n"
					    "PRETTY_NAME=\"Amazon Linux 2\"\n", &o), 5);
	assert_string_equal(o.id, "amzn");
	assert_string_equal(o.version_id, "2");
	assert_string_equal(o.id_like, "centos rhel fedora");
	gc_osrelease_free(&o);

	/* Bare and single-quoted values, escapes, the last assignment wins, CRLF. */
	assert_int_equal(gc_osrelease_parse("ID=ubuntu\r\nID='rhel'\nVERSION_ID=9.3  \n"
					    "PRETTY_NAME=\"Red \\\"Hat\\\"\"\n", &o), 4);
	assert_string_equal(o.id, "rhel");
	assert_string_equal(o.version_id, "9.3");
	assert_string_equal(o.pretty_name, "Red \"Hat\"");
	gc_osrelease_free(&o);

	/* Garbage: unterminated quote, text after the quote, control bytes: not taken. */
	assert_int_equal(gc_osrelease_parse("ID=\"rhel\nVERSION_ID=\"9\" x\nNAME=a\x01" "b\nIDX=1\n", &o), 0);
	assert_null(o.id);
	assert_null(o.version_id);
	assert_null(o.name);
	gc_osrelease_free(&o);
}

static void test_arch_from_kernel(void **state)
{
	const char *how = NULL;

	(void)state;
	assert_string_equal(gc_arch_from_kernel("CONFIG_64BIT=y\nCONFIG_X86_64=y\n", NULL, &how), "x86_64");
	assert_string_equal(how, "kernel config");
	assert_string_equal(gc_arch_from_kernel("# CONFIG_X86_64 is not set\nCONFIG_ARM64=y\n", NULL, &how),
			    "aarch64");
	assert_string_equal(gc_arch_from_kernel(NULL, "5.14.0-362.el9.aarch64", &how), "aarch64");
	assert_string_equal(how, "kernel release");
	assert_string_equal(gc_arch_from_kernel(NULL, "6.1.0-56-amd64", &how), "x86_64");
	assert_null(gc_arch_from_kernel(NULL, "5.15.0-91-generic", &how));
	assert_null(gc_arch_from_kernel("CONFIG_MMU=y\n", NULL, &how));
}

static void test_guestos_table(void **state)
{
	struct gc_guestos_table t = { 0 };
	struct gc_guestos_entry e;

	(void)state;
	assert_int_equal(gc_guestos_parse_line("# comment\n", &e), 0);
	assert_int_equal(gc_guestos_parse_line("   \n", &e), 0);
	assert_int_equal(gc_guestos_parse_line("rhel 9.3 x86_64\n", &e), -EINVAL);  /* no source */
	assert_int_equal(gc_guestos_parse_line("rhel 9.3\n", &e), -EINVAL);
	assert_int_equal(gc_guestos_parse_line("rhel 9.* x86_64 our lab, ticket 42  \n", &e), 1);
	assert_string_equal(e.source, "our lab, ticket 42");
	t.e = &e;
	t.n = 1;
	assert_non_null(gc_guestos_lookup(&t, "rhel", "9.4", "x86_64"));
	assert_null(gc_guestos_lookup(&t, "rhel", "8.9", "x86_64"));
	assert_null(gc_guestos_lookup(&t, "rhel", "9.4", "aarch64"));
	assert_null(gc_guestos_lookup(&t, "centos", "9.4", "x86_64"));
	assert_null(gc_guestos_lookup(&t, NULL, "9.4", "x86_64"));
	t.e = NULL;
	t.n = 0;
	gc_guestos_free(&t);
	free(e.id);
	free(e.version);
	free(e.arch);
	free(e.source);
}

/* The shipped table, read as the tool reads it. */
static void test_guestos_shipped(void **state)
{
	const char *dirs[] = { DATA_DIR "/guest-os.d", "/nonexistent/guest-os.d", NULL };
	struct gc_guestos_table t;
	struct gc_root host;

	(void)state;
	assert_int_equal(gc_root_open(&host, NULL), 0);
	gc_guestos_load(&host, dirs, &t);
	gc_root_close(&host);
	assert_int_equal(t.n_problems, 0);
	assert_int_equal(t.n, 9);
	assert_non_null(gc_guestos_lookup(&t, "centos", "7", "x86_64"));
	assert_non_null(gc_guestos_lookup(&t, "ubuntu", "22.04", "x86_64"));
	assert_non_null(gc_guestos_lookup(&t, "amzn", "2023", "x86_64"));
	assert_non_null(gc_guestos_lookup(&t, "rhel", "8.9", "x86_64"));
	assert_null(gc_guestos_lookup(&t, "rhel", "8.8", "x86_64"));
	assert_null(gc_guestos_lookup(&t, "ubuntu", "24.04", "x86_64"));
	assert_null(gc_guestos_lookup(&t, "ubuntu", "22.04", "aarch64"));
	gc_guestos_free(&t);
}

/* An operator's drop-in: entries kept with where they came from; a bad line and an unreadable file are problems. */
static void test_guestos_dropin(void **state)
{
	char dir[] = "/tmp/aicg-guestos.XXXXXX", path[128];
	const char *dirs[] = { dir, NULL };
	struct gc_guestos_table t;
	struct gc_root host;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/50-site.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("# site additions\n\nubuntu 24.04 x86_64 tested here, ticket 42  \r\nubuntu 24.10 x86_64\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/60-dir.conf", dir);  /* a directory where a file belongs */
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(gc_root_open(&host, NULL), 0);
	gc_guestos_load(&host, dirs, &t);
	gc_root_close(&host);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.e[0].source, "tested here, ticket 42");
	snprintf(path, sizeof(path), "%s/50-site.conf:3", dir);
	assert_string_equal(t.e[0].file, path);
	assert_int_equal(t.n_problems, 2);
	snprintf(path, sizeof(path), "%s/50-site.conf:4: not understood", dir);
	assert_string_equal(t.problems[0], path);
	snprintf(path, sizeof(path), "%s/60-dir.conf: ", dir);
	assert_true(strncmp(t.problems[1], path, strlen(path)) == 0);
	gc_guestos_free(&t);
	snprintf(path, sizeof(path), "%s/60-dir.conf", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/50-site.conf", dir);
	unlink(path);
	rmdir(dir);
}

static struct gc_facts f;
static struct gc_guestos_entry table[1];

static int reset(void **state)
{
	(void)state;
	memset(&f, 0, sizeof(f));
	f.platform.hv = GC_HV_KVM;
	f.os.source = "/etc/os-release";
	f.os.id = "ubuntu";
	f.os.version_id = "22.04";
	f.os.machine = "x86_64";
	f.os.machine_source = "uname";
	table[0] = (struct gc_guestos_entry){ "ubuntu", "22.04", "x86_64", "vendor page", "00-vendor.conf:3" };
	f.guestos.e = table;
	f.guestos.n = 1;
	f.guestos_shipped = "/usr/share/aic-guestcheck/guest-os.d";
	return 0;
}

static enum gc_status run(void)
{
	static const struct gc_check c = { "guest.os", "t", NULL };
	struct gc_result r = { .check = &c };
	struct gc_options o = { 0 };
	enum gc_status s;

	check_guest_os(&f, &o, &r);
	assert_true(r.decided);
	s = r.status;
	gc_result_free(&r);
	return s;
}

static void test_guest_os_check(void **state)
{
	(void)state;
	assert_int_equal(run(), GC_PASS);
	f.os.version_id = "24.04";
	assert_int_equal(run(), GC_WARN);           /* unlisted: may still work */
	f.os.version_id = "22.04";
	f.os.machine = "aarch64";
	assert_int_equal(run(), GC_FAIL);           /* a VM guest off x86-64 */
	f.platform.hv = GC_HV_NONE;
	assert_int_equal(run(), GC_WARN);           /* not a VM: outside the table, not wrong */
	f.platform.hv = GC_HV_KVM;
	f.os.machine = NULL;
	f.cpuid.err = -ENOENT;
	assert_int_equal(run(), GC_UNKNOWN);        /* a tree whose architecture cannot be told */
	f.cpuid.err = 0;
	assert_int_equal(run(), GC_WARN);           /* an x86 CPU, but not shown to be 64-bit */
	f.os.machine = "x86_64";
	f.guestos.n = 0;
	assert_int_equal(run(), GC_UNKNOWN);        /* no table: cannot judge */
	f.guestos.n = 1;
	f.os.err = -ENOENT;
	assert_int_equal(run(), GC_UNKNOWN);        /* no os-release */
	f.os.err = -EACCES;
	assert_int_equal(run(), GC_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_osrelease_parse),
		cmocka_unit_test(test_arch_from_kernel),
		cmocka_unit_test(test_guestos_table),
		cmocka_unit_test(test_guestos_shipped),
		cmocka_unit_test(test_guestos_dropin),
		cmocka_unit_test_setup(test_guest_os_check, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
