// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel log reader and line parser. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmsg.h"

static const char *skip_digits(const char *s)
{
	while (isdigit((unsigned char)*s))
		s++;
	return s;
}

/* One line, taken apart: its message, its monotonic time when it has one, a boot marker. */
struct kline {
	const char *msg;
	bool has_ts;
	uint64_t ts_us;
	bool boot_mark;
};

/* "PRI,SEQ,TS,FLAGS[,more];text" as documented in Documentation/ABI/testing/dev-kmsg. */
static const char *kmsg_record(const char *s, uint64_t *ts_us)
{
	const char *p = s;
	int i;

	for (i = 0; i < 3; i++) {
		const char *q = skip_digits(p);

		if (q == p || *q != ',')
			return NULL;
		if (i == 2)
			*ts_us = strtoull(p, NULL, 10);
		p = q + 1;
	}
	while (*p && *p != ';' && *p != ' ')
		p++;
	return *p == ';' ? p + 1 : NULL;
}

/* "[   12.345678]": seconds and fraction; *end after the bracket. */
static bool bracket_ts(const char *p, uint64_t *us, const char **end)
{
	const char *q, *f;
	uint64_t frac = 0;
	int digits = 0;

	if (*p != '[')
		return false;
	for (q = p + 1; *q == ' '; q++)
		;
	f = skip_digits(q);
	if (f == q || *f != '.')
		return false;
	*us = strtoull(q, NULL, 10) * 1000000u;
	for (q = f + 1; isdigit((unsigned char)*q); q++)
		if (digits < 6) {
			frac = frac * 10 + (uint64_t)(*q - '0');
			digits++;
		}
	if (*q != ']' || digits == 0)
		return false;
	while (digits++ < 6)
		frac *= 10;
	*us += frac;
	*end = q + 1;
	return true;
}

/* The text after " kernel: " when it comes within the first 128 bytes: a journal or syslog prefix. */
static const char *after_kernel_tag(const char *s)
{
	const char *k = strstr(s, " kernel: ");

	return k && k - s <= 128 ? k + strlen(" kernel: ") : NULL;
}

/*
 * journalctl -k: "Nov 24 07:00:01 host kernel: " (short), "Nov 24
 * 07:00:01.123456 host kernel: " (short-precise), "2024-11-24T07:00:01+0000
 * host kernel: " or with fraction and "+00:00" (short-iso); syslog alike.
 */
static const char *journal_prefix(const char *s)
{
	bool month = isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
		     isalpha((unsigned char)s[2]) && s[3] == ' ';
	bool iso = isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
		   isdigit((unsigned char)s[3]) && s[4] == '-' && isdigit((unsigned char)s[5]) && s[7] == '-' &&
		   s[10] == 'T';

	return month || iso ? after_kernel_tag(s) : NULL;
}

static void parse_line(const char *line, struct kline *out)
{
	const char *p = line, *end;

	*out = (struct kline){ 0 };
	if (!line[0] || line[0] == ' ' || line[0] == '\t')
		return;  /* blank, or a kmsg "KEY=value" continuation */
	if (startswith(line, "-- ")) {
		/* journalctl's notes: "-- Boot 0123abcd... --", "-- Reboot --", "-- Logs begin at ... --". */
		out->boot_mark = startswith(line, "-- Boot ") || startswith(line, "-- Reboot --");
		return;
	}
	if ((p = kmsg_record(line, &out->ts_us))) {
		out->has_ts = true;
		out->msg = p;
		return;
	}
	if ((p = journal_prefix(line))) {
		/* rsyslog's kern.log keeps the kernel's own "[ts] " after the tag. */
		if (bracket_ts(p, &out->ts_us, &end)) {
			out->has_ts = true;
			for (p = end; *p == ' '; p++)
				;
		}
		out->msg = *p ? p : NULL;
		return;
	}
	p = line;
	if (p[0] == '<') {
		const char *q = skip_digits(p + 1);

		if (q != p + 1 && *q == '>')
			p = q + 1;
	}
	if (bracket_ts(p, &out->ts_us, &end)) {
		out->has_ts = true;
		p = end;
	} else if (p[0] == '[') {
		const char *q = strchr(p, ']');

		if (q && q - p < 64)
			p = q + 1;  /* dmesg -T: "[Sun Nov 24 07:00:01 2024]" */
	}
	while (*p == ' ')
		p++;
	/* Ubuntu's /var/log/dmesg "[ts] kernel: msg"; journalctl -o short-monotonic "[ts] host kernel: msg". */
	if (startswith(p, "kernel: ")) {
		p += strlen("kernel: ");
	} else if (out->has_ts) {
		size_t host = strcspn(p, " ");

		if (host && startswith(p + host, " kernel: "))
			p += host + strlen(" kernel: ");
	}
	out->msg = *p ? p : NULL;
}

const char *gc_kmsg_message(const char *line)
{
	struct kline l;

	parse_line(line, &l);
	return l.msg;
}

/*
 * Lines after a time that ran back, within which the earlier time must
 * come back for it to be the same boot (see collect()).
 */
#define CLOCK_SETTLE_LINES 64
#define CLOCK_SLACK_US 1000000u

/* Keeps the last boot's head and tail. */
struct collector {
	struct gc_kmsg *k;
	char **ring;
	size_t ring_start, n_ring;
	bool one_boot;       /* the live /dev/kmsg: one ring buffer, one boot */
	bool have_ts;
	uint64_t last_ts;
	bool suspect;        /* the time ran back: a new boot, unless it comes back */
	uint64_t suspect_ts; /* the time before it ran back */
	size_t after;        /* lines kept since it ran back */
};

static void drop_boot(struct collector *c)
{
	struct gc_kmsg *k = c->k;
	size_t i;

	k->dropped_boot_lines += k->n + c->n_ring + k->dropped_mid_lines;
	for (i = 0; i < k->n; i++)
		free(k->lines[i]);
	k->n = 0;
	for (i = 0; i < c->n_ring; i++)
		free(c->ring[(c->ring_start + i) % GC_KMSG_TAIL]);
	c->n_ring = c->ring_start = 0;
	k->dropped_mid_lines = 0;
	k->n_boots++;
	c->suspect = false;
}

/* A line of the boot: into its head, then into the ring of its tail. */
static void store(struct collector *c, char *copy)
{
	struct gc_kmsg *k = c->k;

	if (k->n < GC_KMSG_HEAD) {
		*(char **)xappend(&k->lines, &k->n, sizeof(char *)) = copy;
		return;
	}
	if (!c->ring)
		c->ring = xcalloc(GC_KMSG_TAIL, sizeof(char *));
	if (c->n_ring < GC_KMSG_TAIL) {
		c->ring[(c->ring_start + c->n_ring++) % GC_KMSG_TAIL] = copy;
		return;
	}
	free(c->ring[c->ring_start]);
	c->ring[c->ring_start] = copy;
	c->ring_start = (c->ring_start + 1) % GC_KMSG_TAIL;
	k->dropped_mid_lines++;
}

/* The time ran back and stayed back: a new boot began where it did. */
static void confirm_boot(struct collector *c)
{
	size_t m = c->after, i;
	char **keep = xcalloc(m + 1, sizeof(*keep));

	/* The last m lines (m <= CLOCK_SETTLE_LINES, all still held), then the rest dropped. */
	for (i = m; i-- > 0;) {
		if (c->n_ring) {
			keep[i] = c->ring[(c->ring_start + c->n_ring - 1) % GC_KMSG_TAIL];
			c->n_ring--;
		} else {
			keep[i] = c->k->lines[--c->k->n];
		}
	}
	drop_boot(c);
	for (i = 0; i < m; i++)
		store(c, keep[i]);
	free(keep);
}

/*
 * A new boot starts at a journal marker, at the banner, or where the
 * monotonic time runs back by more than a second and does not come back
 * within CLOCK_SETTLE_LINES lines: printk stamps each line with
 * local_clock() (vprintk_store(), kernel/printk/printk.c), a per-CPU clock
 * that "can go backwards" between CPUs (kernel/sched/clock.c), and a CPU
 * brought up late in the boot logs a few lines on its own clock first (a
 * TCG guest of 6.12.118: "[1.118716] .... node #0, CPUs: #1", then two
 * lines at 0.063557, then "[1.219440] smp: Brought up"). The live
 * /dev/kmsg is one boot's ring buffer: its time never splits it.
 */
static void collect(struct collector *c, char *line)
{
	struct gc_kmsg *k = c->k;
	bool in_boot = k->n || c->n_ring;
	struct kline l;
	char *copy;
	size_t len;

	parse_line(line, &l);
	if (in_boot && (l.boot_mark || (l.msg && startswith(l.msg, "Linux version ")))) {
		drop_boot(c);
	} else if (c->suspect && l.has_ts && l.ts_us + CLOCK_SLACK_US >= c->suspect_ts) {
		c->suspect = false;  /* the earlier clock again: one boot */
	} else if (!c->one_boot && in_boot && l.msg && l.has_ts && c->have_ts &&
		   l.ts_us + CLOCK_SLACK_US < c->last_ts) {
		/* Back again before it came back: the boot since the first time is one too. */
		if (c->suspect)
			confirm_boot(c);
		c->suspect = true;
		c->suspect_ts = c->last_ts;
		c->after = 0;
	}
	if (l.has_ts) {
		c->have_ts = true;
		c->last_ts = l.ts_us;
	}
	if (!l.msg)
		return;
	if (!k->n_boots)
		k->n_boots = 1;
	len = strlen(l.msg);
	if (len > GC_KMSG_LINE_MAX) {
		len = GC_KMSG_LINE_MAX;
		k->cut_long_lines++;
	}
	copy = xstrndup(l.msg, len);
	store(c, copy);
	if (c->suspect && ++c->after >= CLOCK_SETTLE_LINES)
		confirm_boot(c);
}

static void collect_end(struct collector *c)
{
	size_t i;

	/*
	 * The log ended before the time came back: a new boot, though a boot
	 * that hung bringing up a CPU ends so too. Its lines then go as an
	 * earlier boot's (an unknown), where keeping an earlier boot's lines
	 * could pass a check on what that boot said.
	 */
	if (c->suspect)
		confirm_boot(c);
	for (i = 0; i < c->n_ring; i++)
		*(char **)xappend(&c->k->lines, &c->k->n, sizeof(char *)) = c->ring[(c->ring_start + i) % GC_KMSG_TAIL];
	free(c->ring);
	c->ring = NULL;
	c->n_ring = 0;
}

/* Split text into lines (LF or CRLF); a NUL byte is text ('?'), never the end. */
static void collect_text(struct collector *c, char *text, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++)
		if (text[i] == '\0')
			text[i] = '?';
	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		text[i] = '\0';
		if (i > start && text[i - 1] == '\r')
			text[i - 1] = '\0';
		collect(c, text + start);
		start = i + 1;
	}
}

void gc_kmsg_parse_text(const char *text, size_t len, struct gc_kmsg *k)
{
	struct collector c = { .k = k };
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	collect_text(&c, copy, len);
	collect_end(&c);
	free(copy);
}

/*
 * Records from fd, one per read() as /dev/kmsg hands them out, until the
 * reader has caught up (EAGAIN, or end of file) or GC_KMSG_MAX_BYTES were
 * read: a ring set larger with log_buf_len= (up to 2 GiB) or a writer that
 * never stops must not keep the checker reading, nor grow its memory, for
 * ever. What was read is kept as a replayed file is (head and tail).
 * kernel/printk/printk.c devkmsg_read(): a record the buffer cannot hold
 * fails with EINVAL after the reader's position has moved past it, a record
 * overwritten before it was read with EPIPE (the position moves to the
 * oldest one left); both are skipped and counted.
 */
int gc_kmsg_read_records(int fd, struct gc_kmsg *k)
{
	struct collector c = { .k = k, .one_boot = true };
	char rec[GC_KMSG_RECORD_MAX + 1];
	unsigned int errors = 0;
	int err = 0;

	while (k->live_bytes < GC_KMSG_MAX_BYTES) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == EINVAL)) {
			/* The kernel moved on; an fd that is no /dev/kmsg could fail so for ever. */
			if (++errors > GC_KMSG_MAX_BYTES / 64) {
				err = -EIO;
				break;
			}
			if (errno == EPIPE)
				k->overwritten++;
			else
				k->skipped_records++;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		k->live_bytes += (uint64_t)n;
		rec[n] = '\0';
		/* One record per read; only its first line is the message. */
		rec[strcspn(rec, "\n")] = '\0';
		collect(&c, rec);
	}
	k->live_capped = k->live_bytes >= GC_KMSG_MAX_BYTES;
	collect_end(&c);
	return err;
}

static int read_live(struct gc_kmsg *k)
{
	int fd, err;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = gc_kmsg_read_records(fd, k);
	close(fd);
	return err;
}

/* The file's size decides, before reading, which part is read: all of it, or its last GC_KMSG_MAX_BYTES. */
static int read_replay(const struct gc_root *r, struct gc_kmsg *k)
{
	struct collector c = { .k = k };
	size_t len = 0, skip = 0;
	struct stat st;
	char *buf;
	int fd;

	fd = gc_open(r, "/dev/kmsg", 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > GC_KMSG_MAX_BYTES) {
		k->skipped_bytes = (uint64_t)st.st_size - GC_KMSG_MAX_BYTES;
		if (lseek(fd, (off_t)k->skipped_bytes, SEEK_SET) < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
	}
	buf = xmalloc(GC_KMSG_MAX_BYTES + 1);
	while (len < GC_KMSG_MAX_BYTES) {
		ssize_t n = gc_read_some(fd, buf + len, GC_KMSG_MAX_BYTES - len);

		if (n < 0) {
			int err = (int)n;

			free(buf);
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (k->skipped_bytes) {
		/* The read began inside a line: it belongs to what was skipped. */
		char *nl = memchr(buf, '\n', len);

		skip = nl ? (size_t)(nl - buf) + 1 : len;
		k->skipped_bytes += skip;
	}
	collect_text(&c, buf + skip, len - skip);
	collect_end(&c);
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

const char *gc_kmsg_cut_note(const struct gc_kmsg *k, char *buf, size_t size)
{
	size_t o = 0;

	if (k->n_boots <= 1 && !k->dropped_mid_lines && !k->skipped_bytes && !k->cut_long_lines &&
	    !k->live_capped && !k->overwritten && !k->skipped_records)
		return NULL;
	buf[0] = '\0';
#define ADD(...) do { if (o < size) o += (size_t)snprintf(buf + o, size - o, __VA_ARGS__); } while (0)
	if (k->skipped_bytes)
		ADD("the first %" PRIu64 " bytes not read (the file is larger than %u MiB); ", k->skipped_bytes,
		    GC_KMSG_MAX_BYTES >> 20);
	if (k->live_capped)
		ADD("reading stopped after %u MiB of records (the log is larger or was still growing), newer "
		    "records not read; ", GC_KMSG_MAX_BYTES >> 20);
	if (k->overwritten)
		ADD("records overwritten while the log was read %zu times; ", k->overwritten);
	if (k->skipped_records)
		ADD("%zu records longer than %u bytes not read; ", k->skipped_records, GC_KMSG_RECORD_MAX);
	if (k->n_boots > 1)
		ADD("only the last of %zu boots kept (%zu earlier lines dropped); ", k->n_boots, k->dropped_boot_lines);
	if (k->dropped_mid_lines)
		ADD("%zu lines in the middle of the boot dropped (its first %u and last %u kept); ",
		    k->dropped_mid_lines, GC_KMSG_HEAD, GC_KMSG_TAIL);
	if (k->cut_long_lines)
		ADD("%zu lines longer than %u bytes cut; ", k->cut_long_lines, GC_KMSG_LINE_MAX);
#undef ADD
	if (o >= 2 && o < size)
		buf[o - 2] = '\0';
	return buf;
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
