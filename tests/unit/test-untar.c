// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The archive reader on hostile tar written byte by byte: pax records parsed
 * strictly, names bounded in depth, directories made for a name counted,
 * limits met before anything is written; and the replay's temporary
 * directory removed whatever its names' length, never through a link.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checker/bundle/bundle.h"
#include "checker/bundle/untar.h"
#include "probes/sigclean.h"
#include "probes/util.h"

struct t {
	char dir[64];       /* the test's own directory */
	char archive[96];   /* dir/a.tar, written by the test */
	int out;            /* dir/out, where it is unpacked */
	FILE *f;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	char out[128];

	strcpy(t->dir, "/tmp/test-untar.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->archive, sizeof(t->archive), "%s/a.tar", t->dir);
	snprintf(out, sizeof(out), "%s/out", t->dir);
	assert_int_equal(mkdir(out, 0700), 0);
	t->out = open(out, O_RDONLY | O_DIRECTORY);
	assert_true(t->out >= 0);
	assert_non_null(t->f = fopen(t->archive, "w"));
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	char cmd[128];

	if (t->f)
		fclose(t->f);
	close(t->out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

/* A ustar header with a right checksum, then size bytes of body padded to a block. */
static void entry(struct t *t, const char *name, char type, const void *body, size_t size)
{
	unsigned char h[512] = { 0 };
	unsigned sum = 0, i;

	assert_true(strlen(name) < 100);
	memcpy(h, name, strlen(name));
	memcpy(h + 100, "0000644", 7);
	snprintf((char *)h + 124, 12, "%011zo", size);
	memset(h + 148, ' ', 8);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	fwrite(h, 1, 512, t->f);
	if (body) {
		fwrite(body, 1, size, t->f);
		fwrite((char[512]){ 0 }, 1, (512 - size % 512) % 512, t->f);
	}
}

/* A pax header of exactly these records. */
static void pax(struct t *t, const char *records, size_t len)
{
	entry(t, "PaxHeaders/x", 'x', records, len);
}

/* Appends the record "LEN key=value\n" to out, LEN counting itself. */
static void record(char *out, size_t size, const char *kv)
{
	size_t body = strlen(kv) + 2, n = body + 1;

	while (n != body + (size_t)snprintf(NULL, 0, "%zu", n))
		n = body + (size_t)snprintf(NULL, 0, "%zu", n);
	snprintf(out + strlen(out), size - strlen(out), "%zu %s\n", n, kv);
}

/* A pax header naming the next entry, for names of 100 bytes and more. */
static void pax_path(struct t *t, const char *name)
{
	char rec[8192] = "", kv[8192];

	snprintf(kv, sizeof(kv), "path=%s", name);
	record(rec, sizeof(rec), kv);
	pax(t, rec, strlen(rec));
}

static void file(struct t *t, const char *name, const char *text)
{
	if (strlen(name) >= 100) {
		pax_path(t, name);
		name = "long";
	}
	entry(t, name, '0', text, strlen(text));
}

static int finish(struct t *t, const struct gc_untar_limits *lim, char **msg)
{
	fwrite((char[1024]){ 0 }, 1, 1024, t->f);
	fclose(t->f);
	t->f = NULL;
	return lim ? gc_untar_limited(t->archive, t->out, lim, msg) : gc_untar(t->archive, t->out, msg);
}

/* The archive is refused with a message holding want. */
static void refused(struct t *t, const struct gc_untar_limits *lim, const char *want)
{
	char *msg = NULL;

	assert_true(finish(t, lim, &msg) < 0);
	assert_non_null(msg);
	if (!strstr(msg, want))
		fail_msg("'%s' does not say '%s'", msg, want);
	free(msg);
}

static void unpacked(struct t *t, const struct gc_untar_limits *lim)
{
	char *msg = NULL;
	int err = finish(t, lim, &msg);

	if (err)
		fail_msg("refused: %s", msg);
}

static bool exists(struct t *t, const char *name)
{
	struct stat st;

	return fstatat(t->out, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static bool empty(int dirfd)
{
	DIR *d = fdopendir(dup(dirfd));
	struct dirent *de;
	bool none = true;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			none = false;
	closedir(d);
	return none;
}

#define PAX(s) s, sizeof(s) - 1

static const struct {
	const char *what, *records;
	size_t len;
} bad_pax[] = {
	{ "a blank before the length", PAX(" 17 path=b/x/y/z\n") },
	{ "a sign", PAX("+17 path=b/x/y/z\n") },
	{ "a negative length", PAX("-17 path=b/x/y/z\n") },
	{ "no length", PAX("path=b/f\n") },
	{ "no blank after the length", PAX("13path=b/f/g\n") },
	{ "a length of zero", PAX("0 path=b/f\n") },
	{ "shorter than its length field", PAX("3 \n") },
	{ "shorter than a key", PAX("4 =\n\n") },
	{ "past the data", PAX("99 path=b/f\n") },
	{ "a length that overflows", PAX("18446744073709551629 path=b/f\n") },
	{ "no newline at its end", PAX("14 path=b/f/g ") },
	{ "no key", PAX("6 =b/\n") },
	{ "no '='", PAX("11 pathb/f\n") },
	{ "a NUL in a path", PAX("17 path=b/f\0/g/h\n") },
	{ "the second record damaged", PAX("12 path=b/f\n5 x\n") },
};

static void pax_refused(const char *what, const char *records, size_t len)
{
	struct t *t;

	print_message("pax: %s\n", what);
	setup((void **)&t);
	pax(t, records, len);
	file(t, "b/f", "x");
	refused(t, NULL, "damaged pax header");
	assert_true(empty(t->out));
	teardown((void **)&t);
}

static void test_pax_malformed(void **state)
{
	char oob[4006] = "\n\n\n\n\n5 ";
	size_t i;

	(void)state;
	/* strtoul skipped the blank lines: the record's end lay before its key, memchr read on. */
	memset(oob + 7, 'A', sizeof(oob) - 7);
	pax_refused("blank lines before the length", oob, sizeof(oob));
	for (i = 0; i < ARRAY_SIZE(bad_pax); i++)
		pax_refused(bad_pax[i].what, bad_pax[i].records, bad_pax[i].len);
}

static void test_pax_records(void **state)
{
	struct t *t = *state;
	char recs[256] = "", link[256] = "", target[64] = { 0 };

	record(recs, sizeof(recs), "mtime=1.5");
	record(recs, sizeof(recs), "path=top/renamed/a=b/file.txt");
	record(recs, sizeof(recs), "SCHILY.xattr.x=y");
	record(recs, sizeof(recs), "comment=");
	pax(t, recs, strlen(recs));
	file(t, "ignored", "hello");
	record(link, sizeof(link), "linkpath=a=b/file.txt");
	pax(t, link, strlen(link));
	entry(t, "top/renamed/l", '2', NULL, 0);
	pax(t, PAX("07 k=v\n"));  /* leading zeros are digits */
	file(t, "top/f", "");
	unpacked(t, NULL);
	assert_true(exists(t, "top/renamed/a=b/file.txt"));
	assert_false(exists(t, "ignored"));
	assert_true(readlinkat(t->out, "top/renamed/l", target, sizeof(target) - 1) > 0);
	assert_string_equal(target, "a=b/file.txt");
	assert_true(exists(t, "top/f"));
}

/* "top/" then n - 2 "d/" then "f": n components. */
static char *deep_name(unsigned n)
{
	char *name = malloc(2 * n + 8);
	unsigned i;

	strcpy(name, "top/");
	for (i = 0; i < n - 2; i++)
		strcat(name, "d/");
	strcat(name, "f");
	return name;
}

static void test_depth(void **state)
{
	struct t *t = *state;
	char *ok = deep_name(GC_UNTAR_MAX_DEPTH), *deep = deep_name(GC_UNTAR_MAX_DEPTH + 1);

	file(t, ok, "x");
	unpacked(t, NULL);
	assert_true(exists(t, ok));
	teardown(state);

	setup(state);
	t = *state;
	file(t, deep, "x");
	refused(t, NULL, "deeper than 128 components");
	assert_true(empty(t->out));
	free(ok);
	free(deep);
}

/* One entry making ten directories is eleven entries: the limit stops at the first past it. */
static void test_dirs_count(void **state)
{
	struct gc_untar_limits lim = { .entries = 11, .file = 1 << 20, .total = 1 << 20 };
	struct t *t = *state;

	file(t, "top/1/2/3/4/5/6/7/8/9/f", "x");
	unpacked(t, &lim);
	assert_true(exists(t, "top/1/2/3/4/5/6/7/8/9/f"));
	teardown(state);

	setup(state);
	t = *state;
	file(t, "top/1/2/3/4/5/6/7/8/9/f", "x");
	lim.entries = 10;
	refused(t, &lim, "more than 10 entries");
	assert_true(exists(t, "top/1/2/3/4/5/6/7/8"));
	assert_false(exists(t, "top/1/2/3/4/5/6/7/8/9"));
}

/* Each limit is met before the entry past it is made. */
static void test_limits_first(void **state)
{
	struct gc_untar_limits lim = { .entries = 3, .file = 1 << 20, .total = 1 << 20 };
	char big[2000];
	struct t *t = *state;

	entry(t, "top/", '5', NULL, 0);
	file(t, "top/a", "1");
	file(t, "top/b", "2");
	file(t, "top/c", "3");
	refused(t, &lim, "more than 3 entries");
	assert_true(exists(t, "top/b"));
	assert_false(exists(t, "top/c"));
	teardown(state);

	setup(state);
	t = *state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	lim = (struct gc_untar_limits){ .entries = 100, .file = 1024, .total = 1 << 20 };
	file(t, "top/sub/big", big);
	refused(t, &lim, "'top/sub/big' is larger than");
	assert_true(empty(t->out));
	teardown(state);

	setup(state);
	t = *state;
	lim = (struct gc_untar_limits){ .entries = 100, .file = 1024, .total = 3500 };
	big[1000] = '\0';
	file(t, "top/1", big);
	file(t, "top/2", big);
	file(t, "top/3", big);
	file(t, "top/4", big);
	refused(t, &lim, "MiB unpacked");
	assert_true(exists(t, "top/3"));
	assert_false(exists(t, "top/4"));
	teardown(state);

	/* A header claiming 2 GiB of pax records: refused before it is read or allocated. */
	setup(state);
	t = *state;
	entry(t, "PaxHeaders/x", 'x', NULL, 2ull << 30);
	refused(t, NULL, "more than 1024 MiB unpacked");
	assert_true(empty(t->out));
}

static void set_tmpdir(struct t *t, char *tmpdir, size_t size)
{
	/* Long enough that tmpdir and a 4,000-byte name are more than PATH_MAX. */
	snprintf(tmpdir, size, "%s/tmp-%0200d", t->dir, 0);
	assert_int_equal(mkdir(tmpdir, 0700), 0);
	setenv("TMPDIR", tmpdir, 1);
}

/* The replay's directory goes, names past PATH_MAX and all, and what a link points to stays. */
static void test_replay_removed(void **state)
{
	struct gc_bundle_sysroot s;
	struct t *t = *state;
	char tmpdir[512], name[4096] = "top", outside[256], keep[300], *msg = NULL;
	int fd, i;

	for (i = 0; i < 20; i++)
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "/%0199d", i);
	strcat(name, "/f");
	file(t, name, "x");
	entry(t, "top/l", '2', NULL, 0);
	fwrite((char[1024]){ 0 }, 1, 1024, t->f);
	fclose(t->f);
	t->f = NULL;
	set_tmpdir(t, tmpdir, sizeof(tmpdir));
	assert_int_equal(gc_bundle_sysroot_open(t->archive, &s, &msg), -EINVAL);  /* "top/l" has no target */
	assert_non_null(strstr(msg, "points outside"));
	free(msg);
	fd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	assert_true(empty(fd));
	close(fd);

	/* Unpacked, then a link planted to a directory outside: the link goes, not the directory. */
	t->f = fopen(t->archive, "w");
	file(t, name, "x");
	fwrite((char[1024]){ 0 }, 1, 1024, t->f);
	fclose(t->f);
	t->f = NULL;
	assert_int_equal(gc_bundle_sysroot_open(t->archive, &s, &msg), 0);
	assert_null(msg);
	snprintf(outside, sizeof(outside), "%s/outside", t->dir);
	snprintf(keep, sizeof(keep), "%s/keep", outside);
	assert_int_equal(mkdir(outside, 0700), 0);
	assert_int_equal(close(open(keep, O_WRONLY | O_CREAT, 0600)), 0);
	fd = open(s.dir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(symlinkat(outside, fd, "link"), 0);
	close(fd);
	gc_bundle_sysroot_close(&s);
	fd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	assert_true(empty(fd));
	close(fd);
	assert_int_equal(access(keep, F_OK), 0);
	unsetenv("TMPDIR");
}

/*
 * bundle --redact replays its bundle while replaying another: two at once,
 * each removed. Past the signal cleanup's slots one more still unpacks
 * and is still removed on close (only a signal would leave it).
 */
static void test_replay_nested(void **state)
{
	struct gc_bundle_sysroot s[GC_SIGCLEAN_SLOTS + 1];
	struct t *t = *state;
	char tmpdir[512], *msg = NULL, *gone;
	size_t i;
	int fd;

	file(t, "top/f", "x");
	fwrite((char[1024]){ 0 }, 1, 1024, t->f);
	fclose(t->f);
	t->f = NULL;
	set_tmpdir(t, tmpdir, sizeof(tmpdir));
	for (i = 0; i <= GC_SIGCLEAN_SLOTS; i++) {
		assert_int_equal(gc_bundle_sysroot_open(t->archive, &s[i], &msg), 0);
		assert_null(msg);
		assert_int_equal(s[i].tmp_slot >= 0, i < GC_SIGCLEAN_SLOTS);
	}
	for (i = GC_SIGCLEAN_SLOTS + 1; i-- > 1;) {
		gone = strdup(s[i].tmp);
		gc_bundle_sysroot_close(&s[i]);
		assert_int_equal(access(gone, F_OK), -1);
		assert_int_equal(access(s[0].dir, F_OK), 0);
		free(gone);
	}
	gc_bundle_sysroot_close(&s[0]);
	fd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	assert_true(empty(fd));
	close(fd);
	unsetenv("TMPDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pax_malformed),
		cmocka_unit_test_setup_teardown(test_pax_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirs_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_nested, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
