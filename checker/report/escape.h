/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bytes from the guest (DMI strings, kernel log lines, file names in a
 * customer's bundle) are data, never terminal commands or broken JSON.
 */
#ifndef GC_ESCAPE_H
#define GC_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

enum {
	GC_ESC_CONTROLS = 1 << 0,  /* C0, DEL and C1 controls as \xNN (C1 by their UTF-8 bytes) */
	GC_ESC_ASCII = 1 << 1,     /* every byte above 0x7f as \xNN */
	GC_ESC_KEEP_NL = 1 << 2,   /* with GC_ESC_CONTROLS: leave '\n' alone */
	GC_ESC_NONCHAR = 1 << 3,   /* U+FFFE and U+FFFF, which XML 1.0 forbids, as \xNN */
};

/*
 * Length (1-4) of the well-formed UTF-8 sequence at s (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF), its code point in *cp;
 * 0 when s does not start one. n: the bytes available.
 */
size_t gc_utf8_len(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * A copy of s that is valid UTF-8: every byte that does not belong to a
 * well-formed sequence becomes the four characters \xNN (lower-case hex), so
 * the same input always gives the same output and the byte stays visible.
 * flags add controls and non-ASCII to what is escaped. Never NULL.
 */
char *gc_escape(const char *s, unsigned flags);

#endif
