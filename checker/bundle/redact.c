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
		/*
		 * The default accounts and host names of distributions' cloud
		 * images name nobody, and most are words the checks read
		 * (os-release's ID): "ubuntu" replaced would unmake Ubuntu.
		 */
		"ubuntu", "debian", "admin", "centos", "fedora", "rhel", "ec2-user", "cloud-user",
		"azureuser", "opc", "rocky", "almalinux", "amzn",
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
	char *v = xstrdup(value), *dot;
	size_t i;

	strstrip_right(v);
	/* web01.corp.example.com is also "web01" (ip=...:web01:eth0, "Set hostname to <web01>"). */
	if (kind == GC_REDACT_HOST && (dot = strchr(v, '.')) && dot != v) {
		char *label = xstrndup(v, (size_t)(dot - v));

		gc_redact_add_literal(r, kind, label);
		free(label);
	}
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

/* 8-4-4-4-12 hex digits. */
static size_t uuid_at(const char *s, size_t len)
{
	static const unsigned char groups[] = { 8, 4, 4, 4, 12 };
	size_t p = 0, g;

	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		if (hex_run(s + p, len - p, groups[g] + 1u) != groups[g])
			return 0;
		p += groups[g];
		if (g < 4 && (p >= len || s[p++] != '-'))
			return 0;
	}
	return p < len && (isalnum((unsigned char)s[p]) || s[p] == '-') ? 0 : p;
}

/*
 * A file system's UUID names the machine's disks: after "UUID=" (also
 * PARTUUID=, rd.luks.uuid=, the command line's root= and resume=), in
 * /dev/disk/by-uuid/ and by-partuuid/ names, after "luks-" (the mapping
 * dracut names) and where ext4, XFS and btrfs log a mount ("mounted
 * filesystem U", "Mounting V5 Filesystem U", "device fsid U").
 * Other UUIDs are kept: Hyper-V names its device classes by them.
 */
static bool fs_uuid_follows(const char *text, size_t i)
{
	static const char *const before[] = {
		"UUID=", "filesystem ", "by-uuid/", "by-partuuid/", "luks-", "fsid ",
	};
	size_t k;

	for (k = 0; k < ARRAY_SIZE(before); k++) {
		size_t n = strlen(before[k]);

		if (i >= n && strncasecmp(text + i - n, before[k], n) == 0)
			return true;
	}
	return false;
}

/* Six pairs of hex digits joined by ':', whatever follows. */
static bool mac_shape(const char *s, size_t len)
{
	size_t i;

	if (len < 17)
		return false;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool ends_with_ci(const char *text, size_t i, const char *word)
{
	size_t n = strlen(word);

	return i >= n && strncasecmp(text + i - n, word, n) == 0;
}

/*
 * Netfilter's MAC= field (UFW logs every blocked packet so): destination,
 * source and EtherType in one colon-joined run, "MAC=52:54:00:aa:bb:cc:
 * 52:54:00:dd:ee:ff:08:00". Its addresses, each a token; returns how far
 * the run was taken (0: no address there).
 */
static size_t netfilter_macs(struct gc_redact *r, const char *text, size_t len, size_t i, size_t *plain,
			     FILE *out)
{
	size_t p = i;

	while (mac_shape(text + p, len - p)) {
		if (strncmp(text + p, "00:00:00:00:00:00", 17) != 0 && strncasecmp(text + p, "ff:ff:ff:ff:ff:ff", 17) != 0) {
			char *value = xstrndup(text + p, 17);

			fwrite(text + *plain, 1, p - *plain, out);
			fputs(gc_redact_token(r, GC_REDACT_MAC, value), out);
			free(value);
			*plain = p + 17;
		}
		p += 17;
		if (p >= len || text[p] != ':')
			break;
		p++;
	}
	return p > i ? p - i : 0;
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
	if (p < len && (isalnum((unsigned char)s[p]) || s[p] == '_'))
		return 0;
	/* A fifth part is a port as tcpdump writes one (10.1.2.3.53), not a sixth: a version or OID. */
	if (p + 1 < len && s[p] == '.' && isalnum((unsigned char)s[p + 1])) {
		size_t q = p + 1;

		while (q < len && isdigit((unsigned char)s[q]) && q - p <= 5)
			q++;
		if (q - p < 2 || q - p > 6 ||
		    (q < len && (isalnum((unsigned char)s[q]) || s[q] == '_' || s[q] == '.')))
			return 0;
	}
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
	/* A '.' before a digit makes an embedded IPv4 (::ffff:10.1.2.3), matched as that; one ending a sentence does not. */
	if (p < len && (isalnum((unsigned char)s[p]) || s[p] == '_' ||
			(s[p] == '.' && p + 1 < len && isalnum((unsigned char)s[p + 1]))))
		return 0;
	if (gap ? groups == 0 || groups > 7 || colons < 2 : groups != 8)
		return 0;
	if (gap && groups == 1 && digits == 1 && s[p - 1] == '1' && strncmp(s, "::", 2) == 0)
		return 0;  /* ::1 */
	return p;
}

/* A host name's domain, when the text names it in full: ".prod.example.net". */
static size_t domain_after(const char *s, size_t len)
{
	size_t p = 0;

	while (p + 1 < len && s[p] == '.' && isalpha((unsigned char)s[p + 1])) {
		size_t q = p + 1;

		while (q < len && (isalnum((unsigned char)s[q]) || s[q] == '-'))
			q++;
		p = q;
	}
	return p;
}

/* A known value (host name, user, serial, machine ID) as a word at text + i; its length. */
static size_t literal_at(const struct gc_redact *r, const char *text, size_t len, size_t i,
			 enum gc_redact_kind *kind)
{
	size_t j;

	for (j = 0; j < r->n_literals; j++) {
		const struct gc_redact_literal *l = &r->literals[j];

		/* Words end at anything but a letter or digit: "web01" in "web01--vg-root" too. */
		if (l->len <= len - i && strncasecmp(text + i, l->value, l->len) == 0 &&
		    (l->kind != GC_REDACT_USER || strncmp(text + i, l->value, l->len) == 0) &&
		    (i + l->len == len || !isalnum((unsigned char)text[i + l->len]))) {
			*kind = l->kind;
			if (l->kind == GC_REDACT_HOST)
				return l->len + domain_after(text + i + l->len, len - i - l->len);
			return l->len;
		}
	}
	return 0;
}

/*
 * After ':' a colon-separated list goes on (ip=A::B:MASK:HOST, eth0:MAC),
 * unless the colon ends a pair of hex digits: then text + i is the inside
 * of a longer hex string, no address of its own.
 */
static bool inside_hex_string(const char *text, size_t i)
{
	return i >= 3 && text[i - 1] == ':' && isxdigit((unsigned char)text[i - 2]) &&
	       isxdigit((unsigned char)text[i - 3]) && (i == 3 || !isalnum((unsigned char)text[i - 4]));
}

void gc_redact_text(struct gc_redact *r, const char *text, size_t len, FILE *out)
{
	size_t i = 0, plain = 0;

	while (i < len) {
		int prev = i ? (unsigned char)text[i - 1] : ' ';
		enum gc_redact_kind kind = _GC_REDACT_MAX;
		size_t n = 0;

		if (prev == '=' && ends_with_ci(text, i, "MAC=") && (n = netfilter_macs(r, text, len, i, &plain, out))) {
			i += n;
			continue;
		}
		if (!isalnum(prev))
			n = literal_at(r, text, len, i, &kind);
		/* PXE's BOOTIF=01-52-54-00-12-34-56: hardware type 1, then the MAC. */
		if (!n && prev == '-' && ends_with_ci(text, i, "BOOTIF=01-") && (n = mac_at(text + i, len - i)))
			kind = GC_REDACT_MAC;
		/* Its prefix says what it is, whatever it ends with ("luks-"). */
		if (!n && prev && strchr("= /-", prev) && isxdigit((unsigned char)text[i]) && fs_uuid_follows(text, i) &&
		    (n = uuid_at(text + i, len - i)))
			kind = GC_REDACT_UUID;
		if (!n && !word_char(prev) && prev != '.' && !inside_hex_string(text, i)) {
			if (isxdigit((unsigned char)text[i]) && (n = mac_at(text + i, len - i)))
				kind = GC_REDACT_MAC;
			else if ((isxdigit((unsigned char)text[i]) || text[i] == ':') &&
				 (n = ipv6_at(text + i, len - i)))
				kind = GC_REDACT_IPV6;
			else if (isdigit((unsigned char)text[i]) && (n = ipv4_at(text + i, len - i)))
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
