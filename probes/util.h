/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by probes and checker: allocation, cleanup, strings. */
#ifndef GC_UTIL_H
#define GC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static inline bool startswith(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Allocation failure is not a state any probe can report usefully; like
 * pciutils' xmalloc, these end the program (exit 3, internal error).
 */
__attribute__((noreturn)) void oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) _printf_(1, 2);
char *xvasprintf(const char *fmt, va_list ap) _printf_(1, 0);

/* Grow *arr (of *n elements of size sz, malloc'd) by one zeroed element; return it. Growth is geometric. */
void *xappend(void *arr_p, size_t *n, size_t sz);

/* Strip trailing white space in place; return s. */
char *strstrip_right(char *s);

/* Printable copy of untrusted bytes (control and non-ASCII bytes as \xNN), at most max bytes of input. */
char *printable(const char *s, size_t len, size_t max);

/*
 * read(2) that retries on EINTR: bytes read (0 at the end) or -errno. A
 * file that would block (EAGAIN on a descriptor opened O_NONBLOCK, as the
 * file layer opens everything so a FIFO cannot hang it) is -EIO: it is not
 * a regular file's data.
 */
ssize_t gc_read_some(int fd, void *buf, size_t n);

#endif
