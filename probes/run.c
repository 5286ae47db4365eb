// SPDX-License-Identifier: GPL-2.0-or-later
/* Bounded helper runs: fork, exec, poll with a deadline, kill when late or too talkative. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void child(char *const argv[], int out_fd)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(null, STDERR_FILENO) < 0)
		_exit(127);
	execv(argv[0], argv);
	_exit(127);
}

static int reap(pid_t pid, bool kill_it)
{
	int status;

	if (kill_it)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int gc_run_capture(char *const argv[], int timeout_ms, size_t max, struct gc_run_result *ret)
{
	long deadline = now_ms() + timeout_ms;
	size_t len = 0, cap = 65536;
	int pipefd[2];
	char *buf;
	pid_t pid;

	*ret = (struct gc_run_result){ .status = -1 };
	if (access(argv[0], X_OK) < 0)
		return -ENOENT;
	if (cap > max)
		cap = max;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(pipefd[0]);
		close(pipefd[1]);
		return err;
	}
	if (pid == 0)
		child(argv, pipefd[1]);
	close(pipefd[1]);
	buf = xmalloc(cap + 1);
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;
		int pr;

		if (left <= 0) {
			close(pipefd[0]);
			reap(pid, true);
			free(buf);
			return -ETIMEDOUT;
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
	ret->status = reap(pid, ret->truncated);
	buf[len] = '\0';
	ret->out = buf;
	ret->len = len;
	return 0;
}

void gc_run_result_free(struct gc_run_result *r)
{
	free(r->out);
	*r = (struct gc_run_result){ 0 };
}
