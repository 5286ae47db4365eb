// SPDX-License-Identifier: GPL-2.0-or-later
/* The bundle's parts: path normalisation, SHA-256, the path map, redaction, and tar written then read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <json-c/json.h>

#include "checker/bundle/bundle.h"
#include "checker/bundle/pathmap.h"
#include "checker/bundle/redact.h"
#include "checker/bundle/sha256.h"
#include "checker/bundle/tar.h"
#include "checker/bundle/untar.h"

static void check(const char *in, const char *want)
{
	char buf[256];

	strcpy(buf, in);
	assert_string_equal(gc_path_normalize(buf), want);
}

static void test_normalize(void **state)
{
	(void)state;
	check("/sys/bus/pci/devices/../../../devices/pci0000:00/0000:00:01.0",
	      "/sys/devices/pci0000:00/0000:00:01.0");
	check("/a/./b//c/", "/a/b/c");
	check("/../../etc", "/etc");  /* cannot climb above the root */
	check("/", "/");
	check("/a/..", "/");
	check("/lib/../usr/lib/modules", "/usr/lib/modules");
}

static void sha(const void *data, size_t len, size_t repeat, const char *want)
{
	struct gc_sha256 s;
	char hex[65];
	size_t i;

	gc_sha256_init(&s);
	for (i = 0; i < repeat; i++)
		gc_sha256_update(&s, data, len);
	gc_sha256_hex(&s, hex);
	assert_string_equal(hex, want);
}

/* The test vectors of FIPS 180-2 appendix B and NIST's SHA-256 examples. */
static void link_target(const char *link, const char *target, const char *want)
{
	char *got = gc_link_target_in_tree(link, target);

	assert_string_equal(got, want);
	free(got);
}

/* Worked by hand from the link's directory; "..", then names, never above the root. */
static void test_link_target(void **state)
{
	(void)state;
	link_target("/lib/modules/6.1.0-13-amd64/build", "/usr/src/linux-headers-6.1.0-13-amd64",
		    "../../../usr/src/linux-headers-6.1.0-13-amd64");
	link_target("/etc/os-release", "../usr/lib/os-release", "../usr/lib/os-release");
	link_target("/usr/lib/os-release-climb", "../share/../lib/os-release", "os-release");
	/* A component that only starts like the link's own ("lib" and "lib64", "b" and "ab"). */
	link_target("/usr/lib/x/l", "/usr/lib64/y", "../../lib64/y");
	link_target("/a/b/l", "/ab", "../../ab");
	link_target("/ab/l", "/a", "../a");
	link_target("/a/b/c/l", "/a", "../..");
	link_target("/a/l", "/a/b/c", "b/c");
	link_target("/a/l", ".", ".");
	link_target("/l", "x", "x");
	link_target("/l", "/", ".");
	link_target("/a/l", "../../../x", "../x");  /* ".." at the root stays there, as RESOLVE_IN_ROOT */
	link_target("/sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0",
		    "../../../devices/pci0000:00/0000:00:01.0");
}

static void test_sha256(void **state)
{
	(void)state;
	sha("", 0, 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* An empty file's spool passes no buffer at all. */
	sha(NULL, 0, 3, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha("abc", 3, 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, 1,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	sha("a", 1, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	sha("aaaaaaaaaa", 10, 100000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_pathmap(void **state)
{
	struct gc_pathmap m = { 0 };
	char key[32];
	bool added;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "/sys/x/%d", i);
		gc_pathmap_get(&m, key, &added)->value = (void *)(intptr_t)(i + 1);
		assert_true(added);
	}
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "/sys/x/%d", i);
		assert_int_equal((intptr_t)gc_pathmap_get(&m, key, &added)->value, i + 1);
		assert_false(added);
	}
	assert_null(gc_pathmap_find(&m, "/sys/x/5000"));
	assert_int_equal(m.n, 5000);
	gc_pathmap_free(&m, NULL);
}

static char *redact(struct gc_redact *r, const char *in)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	gc_redact_text(r, in, strlen(in), f);
	fclose(f);
	return out;
}

static void same(struct gc_redact *r, const char *in)
{
	char *out = redact(r, in);

	assert_string_equal(out, in);
	free(out);
}

static void becomes(struct gc_redact *r, const char *in, const char *want)
{
	char *out = redact(r, in);

	assert_string_equal(out, want);
	free(out);
}

static void test_redact(void **state)
{
	struct gc_redact r;

	(void)state;
	gc_redact_init(&r);
	gc_redact_add_literal(&r, GC_REDACT_HOST, "db7");
	gc_redact_add_literal(&r, GC_REDACT_HOST, "db7.corp.example.com");
	gc_redact_add_literal(&r, GC_REDACT_USER, "alice");
	gc_redact_add_literal(&r, GC_REDACT_SERIAL, "Not Specified");  /* a placeholder: ignored */
	gc_redact_add_literal(&r, GC_REDACT_HOST, "localhost");         /* names no one */
	becomes(&r, "Hostname set to <db7>.", "Hostname set to <redacted-host-1>.");
	becomes(&r, "ip=10.0.0.2::10.0.0.1:255.255.255.0:db7.corp.example.com:eth0:off",
		"ip=192.0.2.1::192.0.2.2:192.0.2.3:redacted-host-2:eth0:off");
	/* The same value, the same token, in any file and case. */
	becomes(&r, "from 10.0.0.2 to DB7 by alice in /home/alice", "from 192.0.2.1 to redacted-host-1 by "
		"redacted-user-1 in /home/redacted-user-1");
	becomes(&r, "eth0: 52:54:00:12:34:56 fe80::5054:ff:fe12:3456 2001:0db8:0:0:0:0:0:7",
		"eth0: 02:00:00:00:00:01 2001:db8::1 2001:db8::2");
	becomes(&r, "MAC 52-54-00-12-34-56.", "MAC 02:00:00:00:00:02.");
	/* What the checks read must stay: PCI addresses, IDs, times, versions, words containing a name. */
	same(&r, "pci 0000:00:02.0: [1b36:000c] type 01 class 0x060400 at 12:34:56");
	same(&r, "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) 4.18.0-513.5.1.el8_9");
	same(&r, "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d");
	same(&r, "ffffffffc0a01234 t hv_compose_msi_msg\t[pci_hyperv]");
	same(&r, "alicex malice 127.0.0.1 0.0.0.0 ::1 1.2.3.4.5.6 std::move");
	same(&r, "{44c4f61d-4444-4400-9d52-802e27ede19f}");  /* Hyper-V's PCI class GUID */
	/* A name inside a hyphenated word: the Debian installer's LVM names the volume group after the host. */
	becomes(&r, "root=/dev/mapper/db7--vg-root rd.lvm.lv=db7-vg/root",
		"root=/dev/mapper/redacted-host-1--vg-root rd.lvm.lv=redacted-host-1-vg/root");
	/* A host name with a domain the system did not know: the whole name. */
	becomes(&r, "connect to db7.prod.example.net.", "connect to redacted-host-3.");
	/* An address ending a sentence, after an interface's colon, with tcpdump's port. */
	becomes(&r, "via fe80::5054:ff:fe12:3456. eth0:52:54:00:12:34:56",
		"via 2001:db8::1. eth0:02:00:00:00:00:01");
	becomes(&r, "10.9.8.7.53 > 10.0.0.2.1234:", "192.0.2.4.53 > 192.0.2.1.1234:");
	/* File system UUIDs name the disks; a pair of hex digits before ':' is inside a longer string. */
	becomes(&r, "root=UUID=0a1b2c3d-1111-2222-3333-444455556666 resume=PARTUUID=0A1B2C3D-1111-2222-3333-444455556666",
		"root=UUID=00000000-0000-0000-0000-000000000001 resume=PARTUUID=00000000-0000-0000-0000-000000000001");
	becomes(&r, "EXT4-fs (vda1): mounted filesystem 9e1f0c3a-5d2b-4f6e-8a7c-0b1d2e3f4a5b r/w",
		"EXT4-fs (vda1): mounted filesystem 00000000-0000-0000-0000-000000000002 r/w");
	same(&r, "ab:52:54:00:12:34:56");
	/* Netfilter's MAC= (UFW): destination, source, EtherType; broadcast names no one. */
	becomes(&r, "IN=eth0 OUT= MAC=52:54:00:aa:bb:cc:52:54:00:dd:ee:ff:08:00 SRC=10.0.0.2",
		"IN=eth0 OUT= MAC=02:00:00:00:00:03:02:00:00:00:00:04:08:00 SRC=192.0.2.1");
	becomes(&r, "MAC=ff:ff:ff:ff:ff:ff:52:54:00:dd:ee:ff:08:00", "MAC=ff:ff:ff:ff:ff:ff:02:00:00:00:00:04:08:00");
	becomes(&r, "BOOTIF=01-52-54-00-12-34-56", "BOOTIF=01-02:00:00:00:00:02");
	/* Disks by UUID in device names, dracut's LUKS names, btrfs. */
	becomes(&r, "root=/dev/disk/by-uuid/0a1b2c3d-1111-2222-3333-444455556666 "
		"rd.luks.uuid=luks-5e6f7a8b-1111-2222-3333-444455556666 device fsid 6a7b8c9d-1111-2222-3333-444455556666",
		"root=/dev/disk/by-uuid/00000000-0000-0000-0000-000000000001 "
		"rd.luks.uuid=luks-00000000-0000-0000-0000-000000000003 device fsid 00000000-0000-0000-0000-000000000004");
	/* A host known by its full name is also known by its first label. */
	gc_redact_add_literal(&r, GC_REDACT_HOST, "web01.corp.example.com");
	becomes(&r, "ip=:::::web01:eth0:off Set hostname to <web01.corp.example.com>",
		"ip=:::::redacted-host-4:eth0:off Set hostname to <redacted-host-5>");
	gc_redact_free(&r);
}

static int rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* What the writer writes, the strict reader reads: long names (pax), links, files, directories. */
static void test_tar_round_trip(void **state)
{
	char dir[] = "/tmp/test-bundle.XXXXXX", archive[64], *msg = NULL, path[512], buf[64];
	char longname[300];
	struct gc_tar t;
	int fd, dirfd;
	ssize_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(archive, sizeof(archive), "%s/a.tar.gz", dir);
	memset(longname, 0, sizeof(longname));
	strcpy(longname, "top/sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/");
	memset(longname + strlen(longname), 'x', 150);
	fd = open(archive, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(gc_tar_open(&t, fd, 1700000000), 0);
	assert_int_equal(gc_tar_add_dir(&t, "top/"), 0);
	assert_int_equal(gc_tar_begin_file(&t, longname, 5), 0);
	assert_int_equal(gc_tar_write(&t, "hello", 5), 0);
	assert_int_equal(gc_tar_end_file(&t), 0);
	assert_int_equal(gc_tar_add_symlink(&t, "top/sys/bus/pci/devices/0000:01:00.0",
					    "../../../devices/pci0000:00/0000:00:02.0/0000:01:00.0"), 0);
	/* A wrong size is an error, not a corrupt archive. */
	assert_int_equal(gc_tar_begin_file(&t, "top/short", 3), 0);
	assert_int_equal(gc_tar_write(&t, "ab", 2), 0);
	assert_int_equal(gc_tar_write(&t, "c", 1), 0);
	assert_int_equal(gc_tar_end_file(&t), 0);
	assert_int_equal(gc_tar_close(&t), 0);
	close(fd);

	snprintf(path, sizeof(path), "%s/x", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	assert_int_equal(gc_untar(archive, dirfd, &msg), 0);
	assert_null(msg);
	snprintf(path, sizeof(path), "top/sys/bus/pci/devices/0000:01:00.0/%.150s", longname + strlen(longname) - 150);
	fd = openat(dirfd, path, O_RDONLY);  /* through the symlink: it was kept */
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "hello", 5);
	close(fd);
	close(dirfd);
	nftw(dir, rm, 16, FTW_DEPTH | FTW_PHYS);
}

static void put_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* The archive's one top directory, unpacked below x. */
static int unpack(const char *archive, const char *x, char *top, size_t size)
{
	struct dirent *de;
	char *msg = NULL;
	int dirfd;
	DIR *d;

	assert_int_equal(mkdir(x, 0700), 0);
	dirfd = open(x, O_RDONLY | O_DIRECTORY);
	assert_int_equal(gc_untar(archive, dirfd, &msg), 0);
	close(dirfd);
	assert_non_null(d = opendir(x));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(top, size, "%s/%s", x, de->d_name);
	closedir(d);
	return 0;
}

/*
 * The bundle holds the bytes the probe read, not what the file says when
 * the bundle is written (the record keeps small whole reads); a file name
 * that needs JSON escapes still gives a manifest that parses back to it.
 */
static void test_bundle_holds_what_the_probe_read(void **state)
{
	char dir[] = "/tmp/test-bundle.XXXXXX", tree[64], archive[64], x[64], top[400], path[600];
	const char *odd = "/sys/q\"uote\\back\nnl\001ctl";
	struct gc_bundle_opts opts = { 0 };
	struct gc_bundle_info info = { 0 };
	const char *msg = NULL;
	struct gc_record rec = { 0 };
	struct gc_facts f = { 0 };
	json_object *man, *entries;
	struct gc_root r;
	char *s = NULL, buf[64];
	bool found = false;
	size_t i;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(tree, sizeof(tree), "%s/t", dir);
	snprintf(archive, sizeof(archive), "%s/b.tar.gz", dir);
	snprintf(x, sizeof(x), "%s/x", dir);
	assert_int_equal(mkdir(tree, 0700), 0);
	snprintf(path, sizeof(path), "%s/sys", tree);
	assert_int_equal(mkdir(path, 0700), 0);
	put_file(tree, "sys/value", "before\n");
	put_file(tree, odd + 1, "odd\n");
	put_file(tree, "sys/image.bin", "0123456789");  /* looked at only: held by size */
	put_file(tree, "sys/empty.bin", "");            /* looked at only, empty: stays empty */
	put_file(tree, "sys/line\nbreak.bin", "abc");   /* no line of .size-only can name it: kept */
	snprintf(path, sizeof(path), "%s/sys/sub", tree);
	assert_int_equal(mkdir(path, 0700), 0);
	put_file(tree, "sys/dots", "dots\n");           /* read as /sys/sub/../dots: no ".." archived */
	assert_int_equal(gc_root_open(&r, tree), 0);
	gc_root_record(&r, &rec);
	assert_int_equal(gc_stat_size(&r, "/sys/image.bin", true, NULL, NULL), 0);
	assert_int_equal(gc_stat_size(&r, "/sys/empty.bin", true, NULL, NULL), 0);
	assert_int_equal(gc_stat_size(&r, "/sys/line\nbreak.bin", true, NULL, NULL), 0);
	assert_int_equal(gc_stat_size(&r, "/sys/value", true, NULL, NULL), 0);  /* read below too */
	assert_int_equal(gc_read_string(&r, "/sys/value", &s), 0);
	free(s);
	assert_int_equal(gc_read_string(&r, odd, &s), 0);
	free(s);
	assert_int_equal(gc_read_string(&r, "/sys/sub/./../dots", &s), 0);
	free(s);
	gc_root_record(&r, NULL);
	assert_int_equal(rec.n, 7);
	assert_memory_equal(rec.e[4].data, "before\n", 8);
	put_file(tree, "sys/value", "after, longer\n");

	opts.output = archive;
	assert_int_equal(gc_bundle_write(&r, &rec, &f, &opts, &info, &msg), 0);
	unpack(archive, x, top, sizeof(top));
	snprintf(path, sizeof(path), "%s/sys/value", top);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "before\n", 7);
	close(fd);

	snprintf(path, sizeof(path), "%s/sys/image.bin", top);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/sys/dots", top);  /* unpacked by the strict reader above */
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 5);
	close(fd);
	snprintf(path, sizeof(path), "%s/sys/line\nbreak.bin", top);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 3);
	close(fd);
	snprintf(path, sizeof(path), "%s/.size-only", top);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	memset(buf, 0, sizeof(buf));
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	assert_string_equal(buf, "10 /sys/image.bin\n");  /* nothing else: empty.bin stays as it is */
	close(fd);
	{
		struct gc_root replay;
		int64_t size = -1;

		assert_int_equal(gc_root_open(&replay, top), 0);
		assert_int_equal(gc_stat_size(&replay, "/sys/image.bin", true, NULL, &size), 0);
		assert_int_equal(size, 10);
		assert_int_equal(gc_stat_size(&replay, "/sys/empty.bin", true, NULL, &size), 0);
		assert_int_equal(size, 0);
		gc_root_close(&replay);
	}

	snprintf(path, sizeof(path), "%s/aic-guestcheck-manifest.json", top);
	assert_non_null(man = json_object_from_file(path));
	assert_true(json_object_object_get_ex(man, "entries", &entries));
	for (i = 0; i < json_object_array_length(entries); i++) {
		json_object *e = json_object_array_get_idx(entries, i), *p, *v;

		assert_true(json_object_object_get_ex(e, "path", &p));
		if (strcmp(json_object_get_string(p), "sys/value") == 0) {
			assert_true(json_object_object_get_ex(e, "size", &v));
			assert_int_equal(json_object_get_int64(v), 7);
			assert_true(json_object_object_get_ex(e, "sha256", &v));
			/* sha256sum of "before\n" */
			assert_string_equal(json_object_get_string(v),
					    "9160d4be34c8695bd172a76c7c7966587ea5a4d991ad22c87b2b91af54aa9ebb");
		}
		if (strcmp(json_object_get_string(p), odd + 1) == 0)
			found = true;
		if (strcmp(json_object_get_string(p), "sys/image.bin") == 0) {
			assert_true(json_object_object_get_ex(e, "how", &v));
			assert_string_equal(json_object_get_string(v), "size only");
			assert_true(json_object_object_get_ex(e, "source_size", &v));
			assert_int_equal(json_object_get_int64(v), 10);
		}
	}
	assert_true(found);
	json_object_put(man);
	gc_bundle_info_free(&info);
	gc_record_free(&rec);
	gc_root_close(&r);
	nftw(dir, rm, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_link_target),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_pathmap),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_tar_round_trip),
		cmocka_unit_test(test_bundle_holds_what_the_probe_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
