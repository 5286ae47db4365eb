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
#include <dirent.h>

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

static void unlink_rel(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(unlink(path), 0);
}

static void mkdirs(const char *rel)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", dir, rel);
	assert_int_equal(system(cmd), 0);
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
	mkdirs("num");
	put("num/cut", "d2");    /* CAP d2008c22260462 cut: another number without its newline */
	put("sys/secret", "root only\n");
	put(".unreadable", "/sys/secret\nnot-absolute\n/sys/devices/pci/0000:00:01.0/msi_irqs\n");
	snprintf(path, sizeof(path), "%s/sys/fifo", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	snprintf(path, sizeof(path), "%s/sys/escape", dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/sys/dotdot", dir);
	assert_int_equal(symlink("../../../../../../etc/hostname", path), 0);
	/* The tree's own /etc/hostname, reached by escaping links at several depths. */
	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	put("etc/hostname", "tree\n");
	mkdirs("sys/in/deep");
	snprintf(path, sizeof(path), "%s/sys/in/deep/host", dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/sys/in/deep/up", dir);
	assert_int_equal(symlink("../../../../../../../../../etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/sys/in/rootdir", dir);
	assert_int_equal(symlink("../../../../../../..", path), 0);
	snprintf(path, sizeof(path), "%s/sys/loop", dir);
	assert_int_equal(symlink("loop", path), 0);
	/* A PCI function reached through its /sys/bus link, msi_irqs not captured. */
	mkdirs("sys/devices/pci/0000:00:01.0/msi_irqs");
	put("sys/devices/pci/0000:00:01.0/vendor", "0x17cb\n");
	mkdirs("sys/bus/pci/devices");
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:00:01.0", dir);
	assert_int_equal(symlink("../../../devices/pci/0000:00:01.0", path), 0);
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
	assert_int_equal(gc_read_u64(&r, "/num/cut", 16, &v), -EINVAL);
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

static void symlinks_stay_inside(bool walk)
{
	struct gc_root r;
	char *s = NULL;
	unsigned mode;
	DIR *d = NULL;
	int err;

	assert_int_equal(gc_root_open(&r, dir), 0);
	if (!walk && !r.in_root) {
		gc_root_close(&r);
		skip();  /* kernel without openat2: the walk test covers it */
	}
	if (walk)
		r.in_root = false;  /* as on a kernel without openat2 */
	/* Both resolve inside the tree, to its own /etc/hostname, never the host's. */
	err = gc_read_string(&r, "/sys/escape", &s);
	assert_int_equal(err, 0);
	assert_string_equal(s, "tree");
	free(s);
	err = gc_read_string(&r, "/sys/dotdot", &s);
	assert_int_equal(err, 0);
	assert_string_equal(s, "tree");
	free(s);
	assert_int_equal(gc_read_string(&r, "/sys/escape/../nothing-here", &s), -ENOTDIR);
	assert_int_equal(gc_readlink(&r, "/sys/escape", &s), 0);
	assert_string_equal(s, "/etc/hostname");
	free(s);
	/* Links resolve against the tree: to the tree's own /etc/hostname, at any depth. */
	assert_int_equal(gc_read_string(&r, "/sys/in/deep/host", &s), 0);
	assert_string_equal(s, "tree");
	free(s);
	assert_int_equal(gc_read_string(&r, "/sys/in/deep/up", &s), 0);
	assert_string_equal(s, "tree");
	free(s);
	assert_int_equal(gc_read_string(&r, "/sys/../../../../etc/hostname", &s), 0);
	assert_string_equal(s, "tree");
	free(s);
	/* A directory link leaving by "..": listing it lists the tree's root instead. */
	assert_int_equal(gc_opendir(&r, "/sys/in/rootdir/etc", &d), 0);
	closedir(d);
	assert_int_equal(gc_stat(&r, "/sys/in/rootdir", false, &mode), 0);
	assert_true(S_ISLNK(mode));
	assert_int_equal(gc_stat(&r, "/sys/in/rootdir", true, &mode), 0);
	assert_true(S_ISDIR(mode));
	assert_int_equal(gc_read_string(&r, "/sys/loop", &s), -ELOOP);
	assert_int_equal(gc_read_string(&r, "/sys/value/x", &s), -ENOTDIR);
	assert_int_equal(gc_read_string(&r, "/sys/fifo", &s), -EINVAL);
	assert_int_equal(gc_opendir(&r, "/sys/value", &d), -ENOTDIR);
	gc_root_close(&r);
}

static void test_symlinks_stay_inside(void **state)
{
	(void)state;
	symlinks_stay_inside(false);
}

/* Without openat2 (RHEL 8, CentOS 7 kernels) the layer's own walk confines the same way. */
static void test_symlinks_stay_inside_walk(void **state)
{
	(void)state;
	symlinks_stay_inside(true);
}

/* A directory listed in .unreadable, under its canonical name and through a link to it. */
static void test_unreadable_directory(void **state)
{
	char path[256], *s;
	struct gc_root r;
	unsigned mode;
	DIR *d = NULL;
	int walk;

	(void)state;
	for (walk = 0; walk < 2; walk++) {
		assert_int_equal(gc_root_open(&r, dir), 0);
		r.in_root = r.in_root && !walk;
		assert_int_equal(gc_opendir(&r, "/sys/devices/pci/0000:00:01.0/msi_irqs", &d), -EACCES);
		assert_int_equal(gc_opendir(&r, "/sys/bus/pci/devices/0000:00:01.0/msi_irqs", &d), -EACCES);
		assert_int_equal(gc_opendir(&r, "/sys/bus/pci/devices/0000:00:01.0/msi_irqs/", &d), -EACCES);
		assert_int_equal(gc_read_string(&r, "/sys/bus/pci/devices/0000:00:01.0/msi_irqs/24", &s),
				 -EACCES);
		assert_int_equal(gc_read_string(&r, "/sys/bus/pci/devices/0000:00:01.0/vendor", &s), 0);
		free(s);
		assert_int_equal(gc_stat(&r, "/sys/bus/pci/devices/0000:00:01.0/msi_irqs", true, &mode), 0);
		assert_true(S_ISDIR(mode));
		assert_int_equal(gc_opendir(&r, "/sys/bus/pci/devices", &d), 0);
		closedir(d);
		gc_root_close(&r);
	}
	/* Listed by the link's name, refused under the canonical one too. */
	snprintf(path, sizeof(path), "%s/.unreadable", dir);
	unlink(path);
	put(".unreadable", "/sys/bus/pci/devices/0000:00:01.0/msi_irqs\n");
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_opendir(&r, "/sys/devices/pci/0000:00:01.0/msi_irqs", &d), -EACCES);
	gc_root_close(&r);
	put(".unreadable", "/sys/secret\nnot-absolute\n/sys/devices/pci/0000:00:01.0/msi_irqs\n");
}

struct lines {
	unsigned n;
	size_t longest;
	char last[64];
};

static int count_line(char *line, unsigned no, void *ctx)
{
	struct lines *c = ctx;
	size_t len = strlen(line);

	c->n = no;
	if (len > c->longest)
		c->longest = len;
	snprintf(c->last, sizeof(c->last), "%s", line);
	return 0;
}

/* A line longer than GC_LINE_MAX costs one buffer: its head is passed, the rest skipped and counted. */
static void test_long_line_and_nul(void **state)
{
	struct lines c = { 0 };
	unsigned long cut = 99;
	struct gc_root r;
	char path[256];
	FILE *f;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/sys/long", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("first\n", f);
	for (i = 0; i < 3 * (size_t)GC_LINE_MAX + 17; i++)
		fputc('x', f);
	fputs("\nab", f);
	fputc('\0', f);
	fputs("cd\nend", f);
	fclose(f);
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_foreach_line_cut(&r, "/sys/long", count_line, &c, &cut), 0);
	assert_int_equal(cut, 1);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.longest, GC_LINE_MAX);
	assert_string_equal(c.last, "end");
	/* The NUL did not end the line or the file. */
	c = (struct lines){ 0 };
	put("sys/nul", "ab");
	f = fopen(path, "w");
	fputs("ab", f);
	fputc('\0', f);
	fputs("cd\n", f);
	fclose(f);
	assert_int_equal(gc_foreach_line(&r, "/sys/long", count_line, &c), 0);
	assert_string_equal(c.last, "ab?cd\n");
	gc_root_close(&r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/nul", dir);
	unlink(path);
}

/* In a tree a file's size is known before reading: a huge one is refused unread. */
static void test_size_before_read(void **state)
{
	struct gc_root r;
	char path[256];
	size_t len;
	char *s;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/sys/huge", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)1 << 40), 0);  /* sparse 1 TiB */
	close(fd);
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(gc_read_file(&r, "/sys/huge", 1u << 20, &s, &len), -EFBIG);
	gc_root_close(&r);
	unlink(path);
}

static void test_unreadable_list(void **state)
{
	struct gc_root r;
	unsigned mode;
	char *s;

	(void)state;
	assert_int_equal(gc_root_open(&r, dir), 0);
	assert_int_equal(r.n_denied, 2);
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
	assert_int_equal(gc_count_entries(&r, "/sys"), 13);
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

/*
 * The record keeps what a small whole read gave, for the bundle; not what
 * a stat, a link or a big file gave. The same directory held open serves
 * a link in it, which still resolves inside the tree.
 */
static void test_record_keeps_small_reads(void **state)
{
	struct gc_record rec = { 0 };
	struct gc_root r;
	unsigned mode;
	char *s, big[GC_RECORD_KEEP_FILE + 2];
	FILE *f;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put("sys/big", big);
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_root_record(&r, &rec);
	assert_int_equal(gc_read_string(&r, "/sys/text", &s), 0);
	free(s);
	assert_int_equal(gc_stat(&r, "/sys/value", false, &mode), 0);
	assert_int_equal(gc_read_string(&r, "/sys/escape", &s), 0);
	assert_string_equal(s, "tree");
	free(s);
	assert_int_equal(gc_fopen(&r, "/sys/value", &f), 0);
	fclose(f);
	assert_int_equal(gc_read_file(&r, "/sys/big", 1u << 20, &s, NULL), 0);
	free(s);
	gc_root_record(&r, NULL);
	assert_int_equal(rec.n, 5);
	assert_string_equal(rec.e[0].path, "/sys/text");
	assert_int_equal(rec.e[0].len, 13);
	assert_memory_equal(rec.e[0].data, "hello world\n\n", 13);
	assert_null(rec.e[1].data);               /* a stat */
	assert_true(rec.e[1].looked);
	assert_false(rec.e[0].looked);
	assert_string_equal(rec.e[2].path, "/sys/escape");
	assert_string_equal(rec.e[2].data, "tree\n");  /* what the read gave, through the link */
	assert_null(rec.e[3].data);               /* a stream */
	assert_null(rec.e[4].data);               /* beyond GC_RECORD_KEEP_FILE */
	assert_int_equal(rec.kept, 13 + 5);
	gc_record_free(&rec);
	gc_root_close(&r);
	unlink_rel("sys/big");
}

/*
 * A bundle's stand-ins for files it holds by size only: the stat answers
 * the recorded size (also through a link to it), a read answers ENODATA,
 * and an empty file the list does not name stays empty.
 */
static void test_size_only_list(void **state)
{
	char tree[] = "/tmp/gc-sizeonly-XXXXXX", cmd[512];
	struct gc_root r;
	unsigned mode;
	int64_t size;

	(void)state;
	assert_non_null(mkdtemp(tree));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p lib/firmware/qcom/aic100 && : > lib/firmware/qcom/aic100/sbl.bin && "
		 ": > lib/firmware/qcom/aic100/fw1.bin && ln -s aic100/sbl.bin lib/firmware/qcom/link.bin && "
		 "printf '1048576 /lib/firmware/qcom/aic100/sbl.bin\\nnot a line\\n-5 /x\\n' > .size-only", tree);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(gc_root_open(&r, tree), 0);
	assert_int_equal(gc_stat_size(&r, "/lib/firmware/qcom/aic100/sbl.bin", true, &mode, &size), 0);
	assert_true(S_ISREG(mode));
	assert_int_equal(size, 1048576);
	assert_int_equal(gc_stat_size(&r, "/lib/firmware/qcom/link.bin", true, &mode, &size), 0);
	assert_int_equal(size, 1048576);
	assert_int_equal(gc_stat_size(&r, "/lib/firmware/qcom/aic100/fw1.bin", true, &mode, &size), 0);
	assert_int_equal(size, 0);
	assert_int_equal(gc_open(&r, "/lib/firmware/qcom/aic100/sbl.bin", 0), -ENODATA);
	assert_int_equal(r.n_size_only, 1);
	gc_root_close(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_fifo_does_not_hang),
		cmocka_unit_test(test_symlinks_stay_inside),
		cmocka_unit_test(test_symlinks_stay_inside_walk),
		cmocka_unit_test(test_unreadable_directory),
		cmocka_unit_test(test_long_line_and_nul),
		cmocka_unit_test(test_size_before_read),
		cmocka_unit_test(test_unreadable_list),
		cmocka_unit_test(test_pathf_and_count),
		cmocka_unit_test(test_host_path),
		cmocka_unit_test(test_record_keeps_small_reads),
		cmocka_unit_test(test_size_only_list),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
