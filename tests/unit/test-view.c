// SPDX-License-Identifier: GPL-2.0-or-later
/* Private views: files made one directory at a time, and equal files sharing one inode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/view.h"
#include "probes/viewblobs.h"

static void assert_content(int dfd, const char *name, const char *want, size_t len)
{
	char buf[64];
	int fd = openat(dfd, name, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, (ssize_t)len);
	assert_memory_equal(buf, want, len);
}

static ino_t inode(int dfd, const char *name)
{
	struct stat st;

	assert_int_equal(fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	return st.st_ino;
}

static void test_blobs_share_equal_files(void **state)
{
	struct gc_view_blobs b;
	char *view = NULL;
	int devs, f1, f2;

	(void)state;
	assert_int_equal(gc_view_create(&view), 0);
	gc_view_blobs_open(&b, view);
	devs = gc_view_dir(view, "/sys/bus/pci/devices");
	assert_true(devs >= 0);
	f1 = gc_view_subdir(devs, "0000:00:01.0");
	f2 = gc_view_subdir(devs, "0000:00:02.0");
	assert_true(f1 >= 0 && f2 >= 0);
	assert_int_equal(gc_view_subdir(devs, ".."), -EINVAL);
	assert_int_equal(gc_view_blobs_put(&b, f1, "vendor", "0x8086\n", 7), 0);
	assert_int_equal(gc_view_blobs_put(&b, f2, "vendor", "0x8086\n", 7), 0);
	assert_int_equal(gc_view_blobs_put(&b, f1, "device", "0x8086\0", 7), 0);  /* same length, other bytes */
	assert_int_equal(gc_view_blobs_put(&b, f1, "label", "", 0), 0);
	assert_int_equal(gc_view_blobs_put(&b, f2, "label", "", 0), 0);
	assert_int_equal(gc_view_blobs_put(&b, f2, "vendor", "0x1af4\n", 7), -EEXIST);  /* never over a file */
	assert_int_equal(gc_view_blobs_put(&b, f2, "../vendor", "x", 1), -EINVAL);
	assert_content(f1, "vendor", "0x8086\n", 7);
	assert_content(f2, "vendor", "0x8086\n", 7);
	assert_content(f1, "device", "0x8086\0", 7);
	assert_content(f2, "label", "", 0);
	assert_true(inode(f1, "vendor") == inode(f2, "vendor"));
	assert_true(inode(f1, "vendor") != inode(f1, "device"));
	assert_true(inode(f1, "label") == inode(f2, "label"));
	close(f1);
	close(f2);
	close(devs);
	gc_view_blobs_close(&b);
	gc_view_remove(view);
}

/* Without its store directory the view still gets every file, one inode each. */
static void test_blobs_without_store(void **state)
{
	struct gc_view_blobs b = { .dirfd = -1 };
	char *view = NULL;
	int dfd;

	(void)state;
	assert_int_equal(gc_view_create(&view), 0);
	dfd = gc_view_dir(view, "/d");
	assert_true(dfd >= 0);
	assert_int_equal(gc_view_blobs_put(&b, dfd, "a", "1\n", 2), 0);
	assert_int_equal(gc_view_blobs_put(&b, dfd, "b", "1\n", 2), 0);
	assert_content(dfd, "b", "1\n", 2);
	assert_true(inode(dfd, "a") != inode(dfd, "b"));
	close(dfd);
	gc_view_blobs_close(&b);
	gc_view_remove(view);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blobs_share_equal_files),
		cmocka_unit_test(test_blobs_without_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
