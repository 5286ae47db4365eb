// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounded helper runs: fork, own process group, poll with a deadline, kill
 * the group when late or too talkative. The deadline holds for the process,
 * not its output: a helper that closes stdout and keeps running is killed
 * too.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "sigclean.h"
#include "util.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct exec_args {
	char *const *argv;
	char *const *envp;
};

static int run_exec(void *ctx)
{
	static char *const clean[] = { "PATH=" GC_RUN_PATH, "LC_ALL=C", NULL };
	const struct exec_args *a = ctx;

	execve(a->argv[0], a->argv, a->envp ? a->envp : clean);
	return 127;
}

/* Forked with the signals held (spawn), so that no handler runs here before this. */
static _Noreturn void child(int (*fn)(void *), void *ctx, int out_fd, const sigset_t *mask)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	/* The parent's handlers remove its temporaries (probes/sigclean.h): not this child's business. */
	signal(SIGHUP, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	gc_sigclean_release(mask);
	setpgid(0, 0);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(null, STDERR_FILENO) < 0)
		_exit(127);
	_exit(fn(ctx));
}

/* Wait for pid until deadline; kill its group when asked or when late. -ETIMEDOUT if late. */
static int reap(pid_t pid, bool kill_it, long deadline, int *ret_status)
{
	int status = 0;
	pid_t w;

	if (kill_it)
		kill(-pid, SIGKILL);
	for (;;) {
		w = waitpid(pid, &status, kill_it ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -ECHILD;
		if (w == 0) {
			if (now_ms() >= deadline) {
				kill(-pid, SIGKILL);
				kill_it = true;
				continue;
			}
			poll(NULL, 0, 5);
		}
	}
	kill(-pid, SIGKILL);  /* anything it left behind in its group */
	*ret_status = WIFEXITED(status) && !kill_it ? WEXITSTATUS(status) : -1;
	return 0;
}

static int spawn(int (*fn)(void *), void *ctx, int timeout_ms, size_t max, struct gc_run_result *ret)
{
	long deadline = now_ms() + timeout_ms;
	size_t len = 0, cap = 65536;
	bool late = false;
	int pipefd[2], err;
	sigset_t mask;
	char *buf;
	pid_t pid;

	if (cap > max)
		cap = max;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	gc_sigclean_hold(&mask);
	pid = fork();
	if (pid == 0)
		child(fn, ctx, pipefd[1], &mask);
	err = pid < 0 ? -errno : 0;
	gc_sigclean_release(&mask);
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return err;
	}
	setpgid(pid, pid);  /* also here: no window where kill(-pid) misses it */
	close(pipefd[1]);
	buf = xmalloc(cap + 1);
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;
		int pr;

		if (left <= 0) {
			late = true;
			break;
		}
		pr = poll(&p, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;  /* timeout: the deadline test above ends it */
		if (len == cap) {
			if (cap >= max) {
				ret->truncated = true;
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(pipefd[0], buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(pipefd[0]);
	err = reap(pid, late || ret->truncated, deadline, &ret->status);
	if (late || (!err && ret->status < 0 && !ret->truncated && now_ms() >= deadline))
		err = -ETIMEDOUT;
	if (err) {
		free(buf);
		ret->status = -1;
		return err;
	}
	buf[len] = '\0';
	ret->out = buf;
	ret->len = len;
	return 0;
}

int gc_run_capture(char *const argv[], char *const envp[], int timeout_ms, size_t max,
		   struct gc_run_result *ret)
{
	struct exec_args a = { argv, envp };

	*ret = (struct gc_run_result){ .status = -1 };
	if (argv[0][0] != '/' || access(argv[0], X_OK) < 0)
		return -ENOENT;
	return spawn(run_exec, &a, timeout_ms, max, ret);
}

int gc_run_fork(int (*fn)(void *ctx), void *ctx, int timeout_ms, size_t max,
		struct gc_run_result *ret)
{
	*ret = (struct gc_run_result){ .status = -1 };
	return spawn(fn, ctx, timeout_ms, max, ret);
}

void gc_run_result_free(struct gc_run_result *r)
{
	free(r->out);
	*r = (struct gc_run_result){ 0 };
}
