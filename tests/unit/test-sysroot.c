// SPDX-License-Identifier: GPL-2.0-or-later
/* The file layer: reads, limits, malformed values, FIFOs, escapes, the .unreadable list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/sysroot.h"

static char dir[64];

static void put(const char *rel, const char *content)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[256];

	(void)state;
	strcpy(dir, "/tmp/gc-sysroot-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sys", dir);
	mkdir(path, 0755);
	put("sys/value", "0x1f\n");
	put("sys/text", "hello world\n\n");
	put("sys/bad", "12abc\n");
	put("sys/neg", "-1\n");
	put("sys/empty", "");
	put("sys/secret", "root only\n");
	put(".unreadable", "/sys/secret\nnot-absolute\n");
	snprintf(path, sizeof(path), "%s/sys/fifo", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	snprintf(path, sizeof(path), "%s/sys/escape", dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/sys/dotdot", dir);
	assert_int_equal(symlink("../../../../../../etc/hostname", path), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void test_read(void **state)
{
	struct gc_root r;
	uint64_t v;
	char *s;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_false(r.live);
	assert_int_equal(gc_read_u64(&r, "/sys/value", 0, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(gc_read_u64(&r, "/sys/value", 16, &v), 0);
	assert_int_equal(gc_read_string(&r, "/sys/text", &s), 0);
	assert_string_equal(s, "hello world");
	free(s);
	assert_int_equal(gc_read_u64(&r, "/sys/bad", 10, &v), -EINVAL);
	assert_int_equal(gc_read_u64(&r, "/sys/neg", 10, &v), -EINVAL);
	assert_int_equal(gc_read_u64(&r, "/sys/empty", 10, &v), -EINVAL);
	assert_int_equal(gc_read_string(&r, "/sys/missing", &s), -ENOENT);
	gc_root_close(&r);
}

static void test_limit(void **state)
{
	struct gc_root r;
	size_t len;
	char *s;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_read_file(&r, "/sys/text", 4, &s, &len), -EFBIG);
	assert_int_equal(gc_read_file(&r, "/sys/text", 13, &s, &len), 0);
	assert_int_equal(len, 13);
	free(s);
	gc_root_close(&r);
}

/* A FIFO in a bundle must be refused, not waited on. */
static void test_fifo_does_not_hang(void **state)
{
	struct gc_root r;
	char *s;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_read_string(&r, "/sys/fifo", &s), -EINVAL);
	gc_root_close(&r);
}

static void test_symlinks_stay_inside(void **state)
{
	struct gc_root r;
	char *s = NULL;
	int err;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	if (!r.in_root) {
		gc_root_close(&r);
		skip();  /* kernel without openat2 */
	}
	/* Both resolve inside the tree, where /etc/hostname does not exist. */
	err = gc_read_string(&r, "/sys/escape", &s);
	assert_int_equal(err, -ENOENT);
	err = gc_read_string(&r, "/sys/dotdot", &s);
	assert_int_equal(err, -ENOENT);
	assert_int_equal(gc_readlink(&r, "/sys/escape", &s), 0);
	assert_string_equal(s, "/etc/hostname");
	free(s);
	gc_root_close(&r);
}

static void test_unreadable_list(void **state)
{
	struct gc_root r;
	unsigned mode;
	char *s;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(r.n_denied, 1);
	assert_int_equal(gc_read_string(&r, "/sys/secret", &s), -EACCES);
	assert_int_equal(gc_stat(&r, "/sys/secret", true, &mode), 0);
	assert_true(S_ISREG(mode));
	assert_int_equal(gc_access(&r, "/sys/secret"), 0);
	gc_root_close(&r);
}

static void test_pathf_and_count(void **state)
{
	struct gc_root r;
	char small[8];

	(void)state;
	assert_int_equal(gc_pathf(small, sizeof(small), "/sys/%s", "long-name"), -ENAMETOOLONG);
	assert_int_equal(gc_pathf(small, sizeof(small), "/sys"), 0);
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_count_entries(&r, "/sys"), 9);
	assert_int_equal(gc_count_entries(&r, "/nope"), -ENOENT);
	gc_root_close(&r);
	assert_int_equal(gc_root_open(&r, "/nonexistent-sysroot"), -ENOENT);
}

static void test_host_path(void **state)
{
	struct gc_root r;
	char *p;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	p = gc_host_path(&r, "/sys/bus/pci");
	assert_true(startswith(p, dir));
	assert_true(strstr(p, "/sys/bus/pci") != NULL);
	free(p);
	gc_root_close(&r);
	assert_int_equal(gc_root_open(&r, NULL), 0);
	assert_true(r.live);
	p = gc_host_path(&r, "/sys/bus/pci");
	assert_string_equal(p, "/sys/bus/pci");
	free(p);
	gc_root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_fifo_does_not_hang),
		cmocka_unit_test(test_symlinks_stay_inside),
		cmocka_unit_test(test_unreadable_list),
		cmocka_unit_test(test_pathf_and_count),
		cmocka_unit_test(test_host_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
