// SPDX-License-Identifier: GPL-2.0-or-later
/* Escaping untrusted bytes for JSON and terminals. */
#include <stdio.h>
#include <string.h>

#include "../../probes/util.h"
#include "escape.h"

size_t gc_utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static bool is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

char *gc_escape(const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, len;
	/* Worst case: every byte becomes four. */
	char *out = xmalloc(4 * n + 1);
	uint32_t cp;

	while (i < n) {
		len = gc_utf8_len(p + i, n - i, &cp);
		if (len && !((flags & GC_ESC_CONTROLS) && is_control(cp) &&
			     !(cp == '\n' && (flags & GC_ESC_KEEP_NL))) &&
		    !((flags & GC_ESC_ASCII) && cp > 0x7f) &&
		    !((flags & GC_ESC_NONCHAR) && (cp == 0xfffe || cp == 0xffff))) {
			memcpy(out + o, p + i, len);
			o += len;
			i += len;
			continue;
		}
		/* Escape the whole sequence when it was well formed, else the one byte. */
		if (!len)
			len = 1;
		while (len--) {
			snprintf(out + o, 5, "\\x%02x", p[i++]);
			o += 4;
		}
	}
	out[o] = '\0';
	return out;
}
