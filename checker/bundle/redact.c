// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One left-to-right scan per text: at each word start the known literals
 * are tried, then the address shapes. Replacements are never rescanned, so
 * a token cannot be redacted twice.
 */
#include <ctype.h>
#include <string.h>

#include "../../probes/util.h"
#include "redact.h"

static const char *const kind_names[_GC_REDACT_MAX] = {
	[GC_REDACT_HOST] = "host", [GC_REDACT_USER] = "user", [GC_REDACT_SERIAL] = "serial",
	[GC_REDACT_MACHINE_ID] = "machine-id", [GC_REDACT_IPV4] = "ipv4", [GC_REDACT_IPV6] = "ipv6",
	[GC_REDACT_MAC] = "mac", [GC_REDACT_UUID] = "uuid",
};

void gc_redact_init(struct gc_redact *r)
{
	*r = (struct gc_redact){ 0 };
}

void gc_redact_free(struct gc_redact *r)
{
	size_t i;

	gc_pathmap_free(&r->tokens, NULL);
	for (i = 0; i < r->n_literals; i++)
		free(r->literals[i].value);
	free(r->literals);
	for (i = 0; i < r->n_pairs; i++) {
		free(r->pairs[i].original);
		free(r->pairs[i].token);
	}
	free(r->pairs);
	*r = (struct gc_redact){ 0 };
}

static bool placeholder(const char *v)
{
	static const char *const junk[] = {
		"(none)", "localhost", "localhost.localdomain", "none", "not specified", "not present",
		"to be filled by o.e.m.", "default string", "system serial number", "not applicable",
		"0123456789", "chassis serial number", "base board serial number", "unknown", "n/a",
	};
	size_t i;

	/* Short values would match ordinary words and numbers everywhere. */
	if (strlen(v) < 3)
		return true;
	for (i = 0; i < ARRAY_SIZE(junk); i++)
		if (strcasecmp(v, junk[i]) == 0)
			return true;
	return strspn(v, "0 -") == strlen(v);
}

void gc_redact_add_literal(struct gc_redact *r, enum gc_redact_kind kind, const char *value)
{
	struct gc_redact_literal *l;
	char *v = xstrdup(value);
	size_t i;

	strstrip_right(v);
	if (placeholder(v)) {
		free(v);
		return;
	}
	for (i = 0; i < r->n_literals; i++)
		if (r->literals[i].kind == kind && strcasecmp(r->literals[i].value, v) == 0) {
			free(v);
			return;
		}
	l = xappend(&r->literals, &r->n_literals, sizeof(*l));
	*l = (struct gc_redact_literal){ kind, v, strlen(v) };
	/* Longest first, so "host.example.com" wins over "host". */
	for (i = r->n_literals - 1; i > 0 && r->literals[i - 1].len < r->literals[i].len; i--) {
		struct gc_redact_literal t = r->literals[i];

		r->literals[i] = r->literals[i - 1];
		r->literals[i - 1] = t;
	}
}

static char *make_token(enum gc_redact_kind kind, unsigned n)
{
	switch (kind) {
	case GC_REDACT_IPV4:  /* the documentation networks of RFC 5737, then a word */
		if (n <= 254)
			return xasprintf("192.0.2.%u", n);
		if (n <= 508)
			return xasprintf("198.51.100.%u", n - 254);
		if (n <= 762)
			return xasprintf("203.0.113.%u", n - 508);
		return xasprintf("redacted-ipv4-%u", n);
	case GC_REDACT_IPV6:  /* RFC 3849 */
		return xasprintf("2001:db8::%x", n);
	case GC_REDACT_MAC:   /* locally administered */
		return xasprintf("02:00:00:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
	case GC_REDACT_UUID:
		return xasprintf("00000000-0000-0000-0000-%012x", n);
	case GC_REDACT_MACHINE_ID:
		return xasprintf("%032x", n);
	default:
		return xasprintf("redacted-%s-%u", kind_names[kind], n);
	}
}

const char *gc_redact_token(struct gc_redact *r, enum gc_redact_kind kind, const char *value)
{
	struct gc_pathmap_slot *s;
	char *key = xasprintf("%d:%s", kind, value);
	bool added;
	size_t i;

	/* Addresses and identifiers compare case-insensitively; so do host names (DNS). */
	if (kind != GC_REDACT_USER && kind != GC_REDACT_SERIAL)
		for (i = 0; key[i]; i++)
			key[i] = (char)tolower((unsigned char)key[i]);
	s = gc_pathmap_get(&r->tokens, key, &added);
	free(key);
	if (added) {
		struct gc_redact_pair *p = xappend(&r->pairs, &r->n_pairs, sizeof(*p));

		*p = (struct gc_redact_pair){ kind, xstrdup(value), make_token(kind, ++r->count[kind]) };
		s->value = (void *)(r->n_pairs - 1);
	}
	return r->pairs[(size_t)s->value].token;
}

static bool word_char(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

static size_t hex_run(const char *s, size_t len, size_t max)
{
	size_t i = 0;

	while (i < len && i < max && isxdigit((unsigned char)s[i]))
		i++;
	return i;
}

/* Six pairs of hex digits joined by ':' (or all by '-'). */
static size_t mac_at(const char *s, size_t len)
{
	size_t i;

	if (len < 17)
		return 0;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != s[2] : !isxdigit((unsigned char)s[i]))
			return 0;
	if ((s[2] != ':' && s[2] != '-') || (len > 17 && (isalnum((unsigned char)s[17]) || s[17] == ':' ||
							  s[17] == '-')))
		return 0;
	if (strncmp(s, "00:00:00:00:00:00", 17) == 0 || strncasecmp(s, "ff:ff:ff:ff:ff:ff", 17) == 0)
		return 0;
	return 17;
}

/* Dotted quad, each part 0-255; 0.0.0.0, loopback and the broadcast address name no host. */
static size_t ipv4_at(const char *s, size_t len)
{
	unsigned part[4];
	size_t p = 0, i;

	for (i = 0; i < 4; i++) {
		size_t d = 0;

		part[i] = 0;
		while (p < len && isdigit((unsigned char)s[p]) && d < 4)
			part[i] = part[i] * 10 + (unsigned)(s[p++] - '0'), d++;
		if (d == 0 || d > 3 || part[i] > 255)
			return 0;
		if (i < 3) {
			if (p >= len || s[p] != '.')
				return 0;
			p++;
		}
	}
	if (p < len && (isalnum((unsigned char)s[p]) || s[p] == '_' ||
			(s[p] == '.' && p + 1 < len && isalnum((unsigned char)s[p + 1]))))
		return 0;
	if (part[0] == 127 || (part[0] | part[1] | part[2] | part[3]) == 0 ||
	    (part[0] & part[1] & part[2] & part[3]) == 255)
		return 0;
	return p;
}

/* Eight groups of up to four hex digits, or fewer with one "::". */
static size_t ipv6_at(const char *s, size_t len)
{
	size_t p = 0, groups = 0, colons = 0, digits = 0;
	bool gap = false;

	while (p < len) {
		size_t h = hex_run(s + p, len - p, 5);

		if (h > 4)
			return 0;
		if (h) {
			groups++;
			digits += h;
			p += h;
		}
		if (p < len && s[p] == ':') {
			if (p + 1 < len && s[p + 1] == ':') {
				if (gap)
					return 0;
				gap = true;
				colons += 2;
				p += 2;
				continue;
			}
			if (!h)
				return 0;
			colons++;
			p++;
			continue;
		}
		break;
	}
	if (p && s[p - 1] == ':' && !(gap && p >= 2 && s[p - 2] == ':'))
		return 0;  /* "a:b:" ends a sentence, not an address */
	if (p < len && (isalnum((unsigned char)s[p]) || s[p] == '.' || s[p] == '_'))
		return 0;
	if (gap ? groups == 0 || groups > 7 || colons < 2 : groups != 8)
		return 0;
	if (gap && groups == 1 && digits == 1 && s[p - 1] == '1' && strncmp(s, "::", 2) == 0)
		return 0;  /* ::1 */
	return p;
}

void gc_redact_text(struct gc_redact *r, const char *text, size_t len, FILE *out)
{
	size_t i = 0, plain = 0;

	while (i < len) {
		int prev = i ? (unsigned char)text[i - 1] : ' ';
		enum gc_redact_kind kind = _GC_REDACT_MAX;
		size_t n = 0, j;

		/* After ':' only what a colon-separated list holds (ip=A::B:MASK:HOST). */
		if (!word_char(prev) && prev != '.') {
			bool colon = prev == ':';

			for (j = 0; j < r->n_literals && !n; j++) {
				const struct gc_redact_literal *l = &r->literals[j];

				if (l->len <= len - i && strncasecmp(text + i, l->value, l->len) == 0 &&
				    (l->kind != GC_REDACT_USER || strncmp(text + i, l->value, l->len) == 0) &&
				    (i + l->len == len || !word_char((unsigned char)text[i + l->len])))
					n = l->len, kind = l->kind;
			}
			if (!n && !colon && isxdigit((unsigned char)text[i])) {
				if ((n = mac_at(text + i, len - i)))
					kind = GC_REDACT_MAC;
				else if ((n = ipv6_at(text + i, len - i)))
					kind = GC_REDACT_IPV6;
			} else if (!n && !colon && text[i] == ':' && (n = ipv6_at(text + i, len - i))) {
				kind = GC_REDACT_IPV6;
			}
			if (!n && isdigit((unsigned char)text[i]) && (n = ipv4_at(text + i, len - i)))
				kind = GC_REDACT_IPV4;
		}
		if (!n) {
			i++;
			continue;
		}
		{
			char *value = xstrndup(text + i, n);

			fwrite(text + plain, 1, i - plain, out);
			fputs(gc_redact_token(r, kind, value), out);
			free(value);
		}
		i += n;
		plain = i;
	}
	fwrite(text + plain, 1, len - plain, out);
}

void gc_redact_write_map(const struct gc_redact *r, FILE *out)
{
	size_t i;

	fputs("# aic-guestcheck --redact: token and the value it replaced. Keep this file private.\n", out);
	for (i = 0; i < r->n_pairs; i++)
		fprintf(out, "%s\t%s\t%s\n", kind_names[r->pairs[i].kind], r->pairs[i].token, r->pairs[i].original);
}
