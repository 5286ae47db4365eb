// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel log reader and line parser. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "kmsg.h"

/* Bounds so that a huge or endless log cannot exhaust memory. */
#define KMSG_MAX_LINES 200000
#define KMSG_MAX_BYTES (32u << 20)

static const char *skip_digits(const char *s)
{
	while (isdigit((unsigned char)*s))
		s++;
	return s;
}

/* "PRI,SEQ,TS,FLAGS[,more];text" as documented in Documentation/ABI/testing/dev-kmsg. */
static const char *kmsg_record(const char *s)
{
	const char *p = s;
	int i;

	for (i = 0; i < 3; i++) {
		const char *q = skip_digits(p);

		if (q == p || *q != ',')
			return NULL;
		p = q + 1;
	}
	while (*p && *p != ';' && *p != ' ')
		p++;
	return *p == ';' ? p + 1 : NULL;
}

/* "Nov 24 07:00:01 host kernel: text" (journalctl -k, syslog). */
static const char *journal_prefix(const char *s)
{
	const char *k = strstr(s, " kernel: ");

	if (!k || k - s > 64 || !isalpha((unsigned char)s[0]) || s[3] != ' ')
		return NULL;
	return k + strlen(" kernel: ");
}

const char *gc_kmsg_message(const char *line)
{
	const char *p;

	if (!line[0] || line[0] == ' ' || line[0] == '\t')
		return NULL;  /* blank, or a kmsg "KEY=value" continuation */
	if ((p = kmsg_record(line)))
		return p;
	if ((p = journal_prefix(line)))
		return p;
	p = line;
	if (p[0] == '<') {
		const char *q = skip_digits(p + 1);

		if (q != p + 1 && *q == '>')
			p = q + 1;
	}
	if (p[0] == '[') {
		const char *q = strchr(p, ']');

		if (q && q - p < 64) {
			p = q + 1;
			while (*p == ' ')
				p++;
		}
	}
	return *p ? p : NULL;
}

static void add_line(struct gc_kmsg *k, const char *line)
{
	const char *msg = gc_kmsg_message(line);

	if (msg && k->n < KMSG_MAX_LINES)
		*(char **)xappend(&k->lines, &k->n, sizeof(char *)) = xstrdup(msg);
}

static int read_live(struct gc_kmsg *k)
{
	char rec[8192];
	size_t total = 0;
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (total < KMSG_MAX_BYTES) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EPIPE)
			continue;  /* record overwritten while we read: skip it */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == 0)
			break;
		rec[n] = '\0';
		total += (size_t)n;
		/* One record per read; only its first line is the message. */
		rec[strcspn(rec, "\n")] = '\0';
		add_line(k, rec);
	}
	close(fd);
	return 0;
}

static int read_replay(const struct gc_root *r, struct gc_kmsg *k)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int err;

	err = gc_read_file(r, "/dev/kmsg", KMSG_MAX_BYTES, &buf, &len);
	if (err)
		return err;
	for (line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
		add_line(k, line);
	free(buf);
	return 0;
}

int gc_kmsg_probe(const struct gc_root *r, struct gc_kmsg *out)
{
	*out = (struct gc_kmsg){ 0 };
	out->source = r->live ? "/dev/kmsg" : "dev/kmsg (replay)";
	out->err = r->live ? read_live(out) : read_replay(r, out);
	return 0;
}

const char *gc_kmsg_find(const struct gc_kmsg *k, const char *prefix, const char *needle)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if ((!prefix || startswith(k->lines[i], prefix)) && strstr(k->lines[i], needle))
			return k->lines[i];
	return NULL;
}

void gc_kmsg_free(struct gc_kmsg *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->lines[i]);
	free(k->lines);
	*k = (struct gc_kmsg){ 0 };
}
