// SPDX-License-Identifier: GPL-2.0-or-later
/* Allocation and string helpers. */
#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

void oom(void)
{
	fputs("aic-guestcheck: out of memory\n", stderr);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		oom();
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		oom();
	return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void *xappend(void *arr_p, size_t *n, size_t sz)
{
	char **arr = arr_p;
	char *el;

	if (*n + 1 > SIZE_MAX / sz / 2)
		oom();
	/* Grow geometrically: appending n elements costs O(n), not O(n^2) copies. */
	if (!*arr || malloc_usable_size(*arr) < (*n + 1) * sz)
		*arr = xrealloc(*arr, (*n + 1) * sz * 2);
	el = *arr + *n * sz;
	memset(el, 0, sz);
	(*n)++;
	return el;
}

char *strstrip_right(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

char *printable(const char *s, size_t len, size_t max)
{
	size_t i, o = 0, n = len < max ? len : max;
	char *out = xmalloc(n * 4 + 4);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)sprintf(out + o, "\\x%02x", c);
	}
	if (len > max) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

ssize_t gc_read_some(int fd, void *buf, size_t n)
{
	ssize_t got;

	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return errno == EAGAIN ? -EIO : -errno;
	return got;
}
