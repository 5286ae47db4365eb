// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel log line formats and matching. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "probes/kmsg.h"

static void test_formats(void **state)
{
	(void)state;
	/* /dev/kmsg records, with and without the caller field. */
	assert_string_equal(gc_kmsg_message("6,1234,5678901,-;qaic 0000:06:00.0: hello"),
			    "qaic 0000:06:00.0: hello");
	assert_string_equal(gc_kmsg_message("4,99,12,-,caller=T1;DMAR-IR: Enabled IRQ remapping in xapic mode"),
			    "DMAR-IR: Enabled IRQ remapping in xapic mode");
	/* dmesg text, as pasted. */
	assert_string_equal(gc_kmsg_message("[    0.123456] DMAR: IOMMU enabled"), "DMAR: IOMMU enabled");
	assert_string_equal(gc_kmsg_message("<6>[    1.000000] pci 0000:00:01.0: x"), "pci 0000:00:01.0: x");
	assert_string_equal(gc_kmsg_message("[Tue Nov 24 07:00:01 2026] qaic: y"), "qaic: y");
	assert_string_equal(gc_kmsg_message("DMAR-IR: plain"), "DMAR-IR: plain");
	/* journalctl -k */
	assert_string_equal(gc_kmsg_message("Nov 24 07:00:01 guest kernel: qaic 0000:06:00.0: z"),
			    "qaic 0000:06:00.0: z");
	/* dictionary continuation and blank lines carry no message */
	assert_null(gc_kmsg_message(" SUBSYSTEM=pci"));
	assert_null(gc_kmsg_message(""));
	/* a comma-number prefix that is no record stays text */
	assert_string_equal(gc_kmsg_message("1,2 buckle my shoe"), "1,2 buckle my shoe");
	/* an unterminated bracket is not a timestamp */
	assert_string_equal(gc_kmsg_message("[ unterminated"), "[ unterminated");
}

static void test_find(void **state)
{
	char *lines[] = {
		"qaic 0000:07:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode.",
		"qaic 0000:06:00.0: init_msi: Requested 32 MSIs. Obtained 1 MSIs which is less than the 32 required.",
	};
	struct gc_kmsg k = { .lines = lines, .n = 2 };

	(void)state;
	assert_ptr_equal(gc_kmsg_find(&k, "qaic 0000:06:00.0: ", "MSIs which is less"), lines[1]);
	assert_null(gc_kmsg_find(&k, "qaic 0000:06:00.0: ", "MSI mode"));
	assert_ptr_equal(gc_kmsg_find(&k, NULL, "MSI mode"), lines[0]);
}

/* The formats people paste (issue 10 item 11). */
static void test_pasted_formats(void **state)
{
	(void)state;
	/* Ubuntu /var/log/dmesg */
	assert_string_equal(gc_kmsg_message("[    0.000000] kernel: Linux version 5.15.0-91-generic"),
			    "Linux version 5.15.0-91-generic");
	/* journalctl -k -o short-monotonic */
	assert_string_equal(gc_kmsg_message("[    1.234567] guest kernel: DMAR-IR: Enabled IRQ remapping in x2apic mode"),
			    "DMAR-IR: Enabled IRQ remapping in x2apic mode");
	/* short-precise, short-iso (old and new offset forms) */
	assert_string_equal(gc_kmsg_message("Nov 24 07:00:01.123456 guest kernel: qaic: a"), "qaic: a");
	assert_string_equal(gc_kmsg_message("2024-11-24T07:00:01+0000 guest kernel: qaic: b"), "qaic: b");
	assert_string_equal(gc_kmsg_message("2024-11-24T07:00:01.123456+00:00 guest kernel: qaic: c"), "qaic: c");
	/* syslog/kern.log with the kernel's own timestamp after the tag */
	assert_string_equal(gc_kmsg_message("Nov 24 07:00:01 guest kernel: [    2.000000] qaic: d"), "qaic: d");
	/* dmesg -T */
	assert_string_equal(gc_kmsg_message("[Sun Nov 24 07:00:01 2024] qaic: e"), "qaic: e");
	/* journal notes carry no message */
	assert_null(gc_kmsg_message("-- Boot 5c1c2e4d8a5f4b7c9e0d1f2a3b4c5d6e --"));
	assert_null(gc_kmsg_message("-- Logs begin at Sun 2024-11-24 07:00:01 UTC. --"));
}

static void parse(const char *text, struct gc_kmsg *k)
{
	*k = (struct gc_kmsg){ 0 };
	gc_kmsg_parse_text(text, strlen(text), k);
}

/* Only the last boot counts: journal markers, the banner, monotonic time running backwards. */
static void test_boots(void **state)
{
	struct gc_kmsg k;
	char note[256];

	(void)state;
	parse("Nov 24 07:00:01 g kernel: Linux version 6.1.0\nNov 24 07:00:02 g kernel: DMAR-IR: Enabled IRQ remapping in xapic mode\n"
	      "-- Boot 0123456789abcdef0123456789abcdef --\n"
	      "Nov 25 08:00:01 g kernel: Linux version 6.1.0\nNov 25 08:00:02 g kernel: Command line: intremap=off\n", &k);
	assert_int_equal(k.n_boots, 2);
	assert_int_equal(k.n, 2);
	assert_null(gc_kmsg_find(&k, "DMAR-IR: ", "Enabled"));
	assert_int_equal(k.dropped_boot_lines, 2);
	assert_non_null(strstr(gc_kmsg_cut_note(&k, note, sizeof(note)), "only the last of 2 boots kept"));
	gc_kmsg_free(&k);

	/* dmesg pastes of two boots, no banner: the timestamp restarts */
	{
		static const char two[] = "[  100.000000] qaic 0000:01:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode.\n"
					  "[    0.500000] pci 0000:00:00.0: [8086:29c0] type 00 class 0x060000\n"
					  "[    0.500000] a NUL\0byte is text\r\n";

		k = (struct gc_kmsg){ 0 };
		gc_kmsg_parse_text(two, sizeof(two) - 1, &k);
	}
	assert_int_equal(k.n_boots, 2);
	assert_null(gc_kmsg_find(&k, NULL, "1 MSI mode"));
	assert_non_null(gc_kmsg_find(&k, NULL, "a NUL?byte is text"));
	gc_kmsg_free(&k);

	/* one boot: nothing cut, nothing said */
	parse("6,1,0,-;Linux version 6.12\n6,2,5,-;DMAR: x\n", &k);
	assert_int_equal(k.n_boots, 1);
	assert_null(gc_kmsg_cut_note(&k, note, sizeof(note)));
	gc_kmsg_free(&k);
}

/*
 * A CPU brought up late logs on its own clock (local_clock(), per CPU:
 * kernel/sched/clock.c "time can go backwards" between CPUs): the lines of
 * a 6.12.118 TCG guest's boot (tests/e2e, q35-viommu-guest-intel-iommu-off),
 * where the time runs back by 1.06 s and comes back two lines later, are one
 * boot. A time that runs back and stays back is a new one, from where it
 * ran back, also when the log ends first.
 */
static void test_cpu_clock(void **state)
{
	static const char ap[] =
		"[    0.000000] Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org)\n"
		"[    0.523074] DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c22260286 ecap f00f4a\n"
		"[    1.114716] smp: Bringing up secondary CPUs ...\n"
		"[    1.118716] smpboot: x86: Booting SMP configuration:\n"
		"[    1.118716] .... node  #0, CPUs:      #1\n"
		"[    0.063557] calibrate_delay_direct() dropping max bogoMips estimate 4 = 39988148\n"
		"[    0.063557] calibrate_delay_direct() dropping max bogoMips estimate 2 = 37163446\n"
		"[    1.219440] smp: Brought up 1 node, 2 CPUs\n";
	struct gc_kmsg k;
	char note[256], *text;
	size_t i, o = 0;

	(void)state;
	parse(ap, &k);
	assert_int_equal(k.n_boots, 1);
	assert_int_equal(k.n, 8);
	assert_int_equal(k.dropped_boot_lines, 0);
	assert_non_null(gc_kmsg_find(&k, "DMAR: ", "cap d2008c22260286"));
	assert_null(gc_kmsg_cut_note(&k, note, sizeof(note)));
	gc_kmsg_free(&k);

	/* back and staying back for 100 lines, no banner: the new boot starts at the first of them */
	text = xmalloc(200 * 64);
	o += (size_t)sprintf(text + o, "[ 3600.000000] DMAR-IR: Enabled IRQ remapping in xapic mode\n");
	for (i = 0; i < 100; i++)
		o += (size_t)sprintf(text + o, "[    0.%06zu] line %zu of the next boot\n", i, i);
	parse(text, &k);
	assert_int_equal(k.n_boots, 2);
	assert_int_equal(k.n, 100);
	assert_int_equal(k.dropped_boot_lines, 1);
	assert_string_equal(k.lines[0], "line 0 of the next boot");
	assert_string_equal(k.lines[99], "line 99 of the next boot");
	assert_null(gc_kmsg_find(&k, "DMAR-IR: ", "Enabled"));
	gc_kmsg_free(&k);

	/* the same, cut after 3 lines of the next boot */
	text[0] = '\0';
	o = 0;
	o += (size_t)sprintf(text + o, "[ 3600.000000] DMAR-IR: Enabled IRQ remapping in xapic mode\n");
	for (i = 0; i < 3; i++)
		o += (size_t)sprintf(text + o, "[    0.%06zu] line %zu of the next boot\n", i, i);
	parse(text, &k);
	assert_int_equal(k.n_boots, 2);
	assert_int_equal(k.n, 3);
	assert_null(gc_kmsg_find(&k, "DMAR-IR: ", "Enabled"));
	gc_kmsg_free(&k);

	/* a short boot of 30 lines, then another of 100, no banners: only the last counts */
	o = 0;
	o += (size_t)sprintf(text + o, "[ 3600.000000] first boot\n");
	for (i = 0; i < 30; i++)
		o += (size_t)sprintf(text + o, "[   %2zu.000000] DMAR-IR: Enabled IRQ remapping, boot 2\n", i);
	for (i = 0; i < 100; i++)
		o += (size_t)sprintf(text + o, "[    0.%06zu] line %zu of boot 3\n", i, i);
	parse(text, &k);
	assert_int_equal(k.n_boots, 3);
	assert_int_equal(k.n, 100);
	assert_null(gc_kmsg_find(&k, "DMAR-IR: ", "Enabled"));
	gc_kmsg_free(&k);

	/* a line with a time and no message does not start a boot of no lines */
	parse("[    0.000000] Linux version 6.12\n[    3.000000] DMAR: dmar0: cap d2008c22260286\n[    0.100000] \n", &k);
	assert_int_equal(k.n_boots, 1);
	assert_non_null(gc_kmsg_find(&k, "DMAR: ", "cap"));
	gc_kmsg_free(&k);
	free(text);
}

/* A new boot found late, past the head (GC_KMSG_HEAD lines) and into the ring: its lines in order. */
static void test_cpu_clock_ring(void **state)
{
	size_t n = GC_KMSG_HEAD + 1000, i, o = 0;
	char *text = xmalloc((n + 100) * 48);
	struct gc_kmsg k;

	(void)state;
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(text + o, "[%5zu.000000] old %zu\n", 100 + i / 1000, i);
	for (i = 0; i < 100; i++)
		o += (size_t)sprintf(text + o, "[    0.%06zu] new %zu\n", i, i);
	parse(text, &k);
	assert_int_equal(k.n_boots, 2);
	assert_int_equal(k.n, 100);
	assert_int_equal(k.dropped_boot_lines, n);
	for (i = 0; i < 100; i++) {
		char want[32];

		snprintf(want, sizeof(want), "new %zu", i);
		assert_string_equal(k.lines[i], want);
	}
	gc_kmsg_free(&k);
	free(text);
}

/* recs as /dev/kmsg hands them out, one per read, then EAGAIN: what the live reader makes of them. */
static void read_live(const char *const *recs, size_t n, struct gc_kmsg *k)
{
	int sv[2];
	size_t i;

	*k = (struct gc_kmsg){ 0 };
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(send(sv[1], recs[i], strlen(recs[i]), 0), (ssize_t)strlen(recs[i]));
	assert_int_equal(gc_kmsg_read_records(sv[0], k), 0);
	close(sv[0]);
	close(sv[1]);
}

/* The live /dev/kmsg is one boot's ring buffer: its time running back splits nothing. */
static void test_live_one_boot(void **state)
{
	static const char *const recs[] = {
		"6,1,0,-;Linux version 6.12.0\n",
		"6,2,5000000,-;DMAR-IR: Enabled IRQ remapping in x2apic mode\n",
		"6,3,100,-;on another CPU's clock\n",
	};
	struct gc_kmsg k;

	(void)state;
	read_live(recs, ARRAY_SIZE(recs), &k);
	assert_int_equal(k.n_boots, 1);
	assert_int_equal(k.n, 3);
	assert_non_null(gc_kmsg_find(&k, "DMAR-IR: ", "Enabled"));
	gc_kmsg_free(&k);
}

/* A boot longer than head + tail keeps both ends and says how much of its middle went. */
static void test_head_and_tail(void **state)
{
	size_t n = GC_KMSG_HEAD + GC_KMSG_TAIL + 1000, i, o = 0;
	char *text = malloc(n * 24), note[256];
	struct gc_kmsg k = { 0 };

	(void)state;
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(text + o, "line %zu\n", i);
	gc_kmsg_parse_text(text, o, &k);
	assert_int_equal(k.n, GC_KMSG_HEAD + GC_KMSG_TAIL);
	assert_int_equal(k.dropped_mid_lines, 1000);
	assert_string_equal(k.lines[0], "line 0");
	assert_string_equal(k.lines[GC_KMSG_HEAD - 1], "line 49999");
	assert_string_equal(k.lines[GC_KMSG_HEAD], "line 51000");
	assert_string_equal(k.lines[k.n - 1], "line 200999");
	assert_non_null(strstr(gc_kmsg_cut_note(&k, note, sizeof(note)), "1000 lines in the middle"));
	gc_kmsg_free(&k);
	free(text);
}

/* A replayed file over the byte bound is read from its tail, decided by its size; the cut is said. */
static void test_oversized_file(void **state)
{
	char dir[] = "/tmp/gc-kmsg-XXXXXX", path[256], note[256];
	struct gc_root r;
	struct gc_kmsg k;
	FILE *f;
	size_t written = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dev", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/dev/kmsg", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[    0.000000] Linux version 6.12.0 (old head)\n", f);
	while (written < GC_KMSG_MAX_BYTES)
		written += (size_t)fprintf(f, "[    1.000000] filler %0100d\n", 0);
	fputs("[    2.000000] qaic 0000:01:00.0: the end\n", f);
	fclose(f);
	assert_int_equal(gc_root_open(&r, dir), 0);
	gc_kmsg_probe(&r, &k);
	assert_int_equal(k.err, 0);
	assert_true(k.skipped_bytes > 0);
	assert_null(gc_kmsg_find(&k, NULL, "old head"));
	assert_non_null(gc_kmsg_find(&k, "qaic ", "the end"));
	assert_non_null(strstr(gc_kmsg_cut_note(&k, note, sizeof(note)), "bytes not read"));
	gc_kmsg_free(&k);
	gc_root_close(&r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dev", dir);
	rmdir(path);
	rmdir(dir);
}

/* A writer that never stops: each packet one /dev/kmsg record, as devkmsg_read() hands them out. */
static pid_t endless_writer(int fd, int reader)
{
	pid_t pid = fork();
	char rec[4096];
	unsigned long seq;

	assert_true(pid >= 0);
	if (pid)
		return pid;
	close(reader);  /* so that the reader's close ends the writer */
	signal(SIGPIPE, SIG_DFL);
	for (seq = 0;; seq++) {
		int n = snprintf(rec, sizeof(rec), "6,%lu,%lu,-;flood %lu %03000d\n", seq, seq * 10, seq, 0);

		if (send(fd, rec, (size_t)n, 0) < 0)
			_exit(0);
	}
}

/*
 * The live reader stops at GC_KMSG_MAX_BYTES however long the log keeps
 * growing (a hostile writer, a ring set large with log_buf_len=), keeps no
 * more than it read, and says so. Without the bound this test hangs and
 * the alarm fails it.
 */
static void test_live_reader_bounded(void **state)
{
	struct gc_kmsg k = { 0 };
	size_t i, kept = 0;
	char note[512];
	int sv[2], status;
	pid_t pid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pid = endless_writer(sv[1], sv[0]);
	close(sv[1]);
	alarm(120);
	assert_int_equal(gc_kmsg_read_records(sv[0], &k), 0);
	alarm(0);
	close(sv[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(k.live_capped);
	assert_true(k.live_bytes >= GC_KMSG_MAX_BYTES);
	assert_true(k.live_bytes < GC_KMSG_MAX_BYTES + GC_KMSG_RECORD_MAX);
	for (i = 0; i < k.n; i++)
		kept += strlen(k.lines[i]);
	assert_true(kept <= GC_KMSG_MAX_BYTES);
	assert_true(k.n <= GC_KMSG_HEAD + GC_KMSG_TAIL);
	assert_non_null(gc_kmsg_find(&k, NULL, "flood 0 "));
	assert_non_null(strstr(gc_kmsg_cut_note(&k, note, sizeof(note)), "reading stopped after 32 MiB"));
	gc_kmsg_free(&k);
}

/* A log that ends (EAGAIN on a non-blocking fd) is read whole: nothing capped, nothing said. */
static void test_live_reader_to_the_end(void **state)
{
	static const char *const recs[] = {
		"6,1,0,-;Linux version 6.12.0\n",
		"6,2,10,-;DMAR-IR: Enabled IRQ remapping in x2apic mode\n SUBSYSTEM=pci\n",
		"4,3,20,-,caller=T1;qaic 0000:01:00.0: the end\n",
	};
	struct gc_kmsg k;
	char note[256];

	(void)state;
	read_live(recs, ARRAY_SIZE(recs), &k);
	assert_false(k.live_capped);
	assert_int_equal(k.n, 3);
	assert_string_equal(k.lines[1], "DMAR-IR: Enabled IRQ remapping in x2apic mode");
	assert_string_equal(k.lines[2], "qaic 0000:01:00.0: the end");
	assert_null(gc_kmsg_cut_note(&k, note, sizeof(note)));
	gc_kmsg_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_pasted_formats),
		cmocka_unit_test(test_boots),
		cmocka_unit_test(test_cpu_clock),
		cmocka_unit_test(test_cpu_clock_ring),
		cmocka_unit_test(test_live_one_boot),
		cmocka_unit_test(test_head_and_tail),
		cmocka_unit_test(test_oversized_file),
		cmocka_unit_test(test_live_reader_bounded),
		cmocka_unit_test(test_live_reader_to_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
