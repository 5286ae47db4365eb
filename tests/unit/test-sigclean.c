// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The temporaries a signal removes (probes/sigclean.h) and the output file
 * built on them (checker/bundle/outfile.h): what each registration covers,
 * that a struct never created touches no one's slot, and that a pending
 * commit (the redaction map) is undone by an abort and by a signal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checker/bundle/outfile.h"
#include "probes/sigclean.h"
#include "probes/util.h"

struct t {
	char dir[64];
	int dirfd;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	strcpy(t->dir, "/tmp/test-sigclean.XXXXXX");
	if (!t || !mkdtemp(t->dir))
		return -1;
	t->dirfd = open(t->dir, O_RDONLY | O_DIRECTORY);
	*state = t;
	return t->dirfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	gc_sigclean_remove_path(t->dir, true);
	close(t->dirfd);
	free(t);
	return 0;
}

static bool exists(const struct t *t, const char *name)
{
	return faccessat(t->dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static void make_tree(const struct t *t, const char *name)
{
	char path[256];

	assert_int_equal(mkdirat(t->dirfd, name, 0700), 0);
	snprintf(path, sizeof(path), "%s/sub", name);
	assert_int_equal(mkdirat(t->dirfd, path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sub/f", name);
	assert_int_equal(close(openat(t->dirfd, path, O_WRONLY | O_CREAT, 0600)), 0);
}

/* The child pid ended, killed by sig. */
static void assert_died_of(pid_t pid, int sig)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == sig);
}

/* Registered, found by name, removed on forget(remove) whole; a file alone; a link not followed. */
static void test_slots(void **state)
{
	struct t *t = *state;
	int tree, file, slot;

	make_tree(t, "tree");
	assert_int_equal(close(openat(t->dirfd, "file", O_WRONLY | O_CREAT, 0600)), 0);
	assert_int_equal(symlinkat(t->dir, t->dirfd, "tree/sub/up"), 0);
	tree = gc_sigclean_add(t->dirfd, "tree", true);
	file = gc_sigclean_add(t->dirfd, "file", false);
	assert_true(tree >= 0 && file >= 0 && tree != file);
	assert_int_equal(gc_sigclean_find("tree"), tree);
	assert_int_equal(gc_sigclean_find("nothing"), -ENOENT);
	gc_sigclean_forget(file, false);
	assert_true(exists(t, "file"));
	assert_int_equal(gc_sigclean_find("file"), -ENOENT);
	gc_sigclean_forget(tree, true);
	assert_false(exists(t, "tree"));
	assert_true(exists(t, "file"));  /* the link to the test's directory was removed, not followed */
	slot = gc_sigclean_add(t->dirfd, "x", false);
	gc_sigclean_forget(slot, false);
	gc_sigclean_forget(slot, true);  /* twice: nothing */
	assert_int_equal(gc_sigclean_add(t->dirfd, (char[300]){ [0 ... 298] = 'n' }, false), -ENAMETOOLONG);
}

/* A signal removes every registered temporary, then the process dies of it. */
static void test_signal(void **state)
{
	struct t *t = *state;
	pid_t pid;

	make_tree(t, "a");
	assert_int_equal(close(openat(t->dirfd, "b", O_WRONLY | O_CREAT, 0600)), 0);
	assert_int_equal(close(openat(t->dirfd, "kept", O_WRONLY | O_CREAT, 0600)), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		gc_sigclean_add(t->dirfd, "a", true);
		gc_sigclean_add(t->dirfd, "b", false);
		raise(SIGTERM);
		_exit(0);
	}
	assert_died_of(pid, SIGTERM);
	assert_false(exists(t, "a"));
	assert_false(exists(t, "b"));
	assert_true(exists(t, "kept"));
}

/* A struct gc_outfile never created names nothing: aborting it leaves slot 0's temporary alone. */
static void test_outfile_init(void **state)
{
	struct gc_outfile never = GC_OUTFILE_INIT, zeroed = { .fd = -1, .dirfd = -1 };
	struct t *t = *state;
	int slot;

	make_tree(t, "other");
	slot = gc_sigclean_add(t->dirfd, "other", true);
	assert_int_equal(slot, 0);  /* the table is empty between tests */
	gc_outfile_abort(&never);
	gc_outfile_abort(&zeroed);
	assert_true(exists(t, "other"));
	assert_int_equal(gc_sigclean_find("other"), slot);
	gc_sigclean_forget(slot, true);
}

/* commit_pending puts the file in place; abort (its companion failed) or a signal takes it away. */
static void test_outfile_pending(void **state)
{
	struct t *t = *state;
	struct gc_outfile o;
	char path[128];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/map", t->dir);
	assert_int_equal(gc_outfile_create(&o, path, false), 0);
	assert_int_equal(write(o.fd, "m\n", 2), 2);
	assert_int_equal(gc_outfile_commit_pending(&o), 0);
	assert_true(exists(t, "map"));
	gc_outfile_abort(&o);
	assert_false(exists(t, "map"));

	assert_int_equal(gc_outfile_create(&o, path, false), 0);
	assert_int_equal(gc_outfile_commit_pending(&o), 0);
	assert_true(gc_sigclean_find("map") >= 0);
	gc_outfile_keep(&o);
	assert_true(exists(t, "map"));
	assert_int_equal(gc_sigclean_find("map"), -ENOENT);  /* kept: no signal removes it now */
	assert_int_equal(unlinkat(t->dirfd, "map", 0), 0);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		if (gc_outfile_create(&o, path, false) || gc_outfile_commit_pending(&o))
			_exit(1);
		raise(SIGINT);
		_exit(0);
	}
	assert_died_of(pid, SIGINT);
	assert_false(exists(t, "map"));
}

/* A signal while an output file is written removes its temporary name, and never the final one. */
static void test_outfile_signal(void **state)
{
	struct t *t = *state;
	struct gc_outfile o;
	char path[128];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/out", t->dir);
	assert_int_equal(close(openat(t->dirfd, "out", O_WRONLY | O_CREAT, 0600)), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGHUP, SIG_DFL);
		if (gc_outfile_create(&o, path, true))
			_exit(1);
		raise(SIGHUP);
		_exit(0);
	}
	assert_died_of(pid, SIGHUP);
	assert_true(exists(t, "out"));
	assert_int_equal(unlinkat(t->dirfd, "out", 0), 0);
	{
		int fd = dup(t->dirfd);
		DIR *d = fdopendir(fd);
		struct dirent *de;

		assert_non_null(d);
		rewinddir(d);
		while ((de = readdir(d)))
			assert_true(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."));
		closedir(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_signal, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
