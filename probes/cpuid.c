// SPDX-License-Identifier: GPL-2.0-or-later
/* CPUID: the hypervisor bit and the hypervisor signature leaves. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "cpuid.h"

/* "0x1f" exactly, up to 32 bits: no sign, no trailing text, no silent wrap. */
static const char *hex32(const char *p, uint32_t *ret)
{
	unsigned long long v;
	char *end;

	p += strspn(p, " \t");
	if (!isxdigit((unsigned char)p[0]) || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
					       !isxdigit((unsigned char)p[2])))
		return NULL;
	errno = 0;
	v = strtoull(p, &end, 16);
	if (errno || v > 0xffffffffull)
		return NULL;
	*ret = (uint32_t)v;
	return end;
}

static const char *expect(const char *p, const char *word)
{
	p += strspn(p, " \t");
	return startswith(p, word) ? p + strlen(word) : NULL;
}

int gc_cpuid_parse_line_sub(const char *line, uint32_t *leaf, uint32_t *sub, struct gc_cpuid_regs *regs)
{
	const char *p = line;
	uint32_t v[6];

	if (!(p = hex32(p, &v[0])) || !(p = hex32(p, &v[1])) || *p++ != ':' ||
	    !(p = expect(p, "eax=")) || !(p = hex32(p, &v[2])) ||
	    !(p = expect(p, "ebx=")) || !(p = hex32(p, &v[3])) ||
	    !(p = expect(p, "ecx=")) || !(p = hex32(p, &v[4])) ||
	    !(p = expect(p, "edx=")) || !(p = hex32(p, &v[5])))
		return -EINVAL;
	if (p[strspn(p, " \t\r\n")])
		return -EINVAL;  /* trailing text: not a line `cpuid -r` writes */
	*leaf = v[0];
	*sub = v[1];
	*regs = (struct gc_cpuid_regs){ v[2], v[3], v[4], v[5] };
	return 0;
}

int gc_cpuid_parse_line(const char *line, uint32_t *leaf, struct gc_cpuid_regs *regs)
{
	uint32_t sub;

	if (gc_cpuid_parse_line_sub(line, leaf, &sub, regs) < 0 || sub != 0)
		return -EINVAL;
	return 0;
}

/*
 * The first CPU's block. Every line in it must be one `cpuid -r` writes: a
 * damaged or unknown line makes the whole replay unknown (-EBADMSG) rather
 * than being dropped, since a dropped leaf 1 would read as "no hypervisor".
 */
int gc_cpuid_table_parse(const char *text, struct gc_cpuid_table *t)
{
	const char *p = text;
	bool seen_cpu = false;
	unsigned no = 0;

	*t = (struct gc_cpuid_table){ 0 };
	while (*p) {
		size_t len = strcspn(p, "\n");
		char line[256];
		struct gc_cpuid_regs regs;
		uint32_t leaf, sub;

		no++;
		if (len >= sizeof(line) || memchr(p, '\0', len)) {
			t->bad_line = no;
			return -EBADMSG;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len;
		if (*p == '\n')
			p++;
		if (!line[strspn(line, " \t\r")])
			continue;
		if (startswith(line, "CPU ")) {
			if (seen_cpu)
				break;  /* the first CPU is enough */
			seen_cpu = true;
			continue;
		}
		if (gc_cpuid_parse_line_sub(line, &leaf, &sub, &regs) < 0 ||
		    (sub == 0 && gc_cpuid_table_lookup(t, leaf, &(struct gc_cpuid_regs){ 0 }) == 0)) {
			t->bad_line = no;  /* garbage, or a leaf given twice */
			return -EBADMSG;
		}
		if (sub == 0) {
			typeof(t->e) e = xappend(&t->e, &t->n, sizeof(*t->e));

			e->leaf = leaf;
			e->r = regs;
		}
	}
	return t->n ? 0 : -EINVAL;
}

void gc_cpuid_table_free(struct gc_cpuid_table *t)
{
	free(t->e);
	*t = (struct gc_cpuid_table){ 0 };
}

int gc_cpuid_table_lookup(void *ctx, uint32_t leaf, struct gc_cpuid_regs *regs)
{
	const struct gc_cpuid_table *t = ctx;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].leaf == leaf) {
			*regs = t->e[i].r;
			return 0;
		}
	return -ENOENT;
}

#if defined(__x86_64__) || defined(__i386__)
static int live_fn(void *ctx, uint32_t leaf, struct gc_cpuid_regs *regs)
{
	(void)ctx;
	__cpuid_count(leaf, 0, regs->eax, regs->ebx, regs->ecx, regs->edx);
	return 0;
}
#endif

static void regs_text(const struct gc_cpuid_regs *r, uint32_t a, uint32_t b, uint32_t c, char *out)
{
	(void)r;
	memcpy(out, &a, 4);
	memcpy(out + 4, &b, 4);
	memcpy(out + 8, &c, 4);
	out[12] = '\0';
}

/*
 * Hypervisor leaves are scanned in 0x100 steps up to 0x4000ff00 as
 * virt-what does, because KVM and Xen can present Hyper-V's interface at
 * 0x40000000 and their own one block higher. That lower leaf does not
 * announce the higher one (Hyper-V's max leaf stays below 0x40000100), so
 * instead each leaf must announce itself: its EAX has to fall inside its
 * own block. Past the last real leaf CPUs return other leaves' data
 * (QEMU -cpu max answers 0x40000100 with EAX 0x21f), which fails that test.
 */
static void keep_raw(struct gc_cpuid *out, uint32_t leaf, const struct gc_cpuid_regs *r)
{
	if (out->n_raw < ARRAY_SIZE(out->raw)) {
		out->raw[out->n_raw].leaf = leaf;
		out->raw[out->n_raw++].r = *r;
	}
}

void gc_cpuid_format(const struct gc_cpuid *c, FILE *out)
{
	size_t i;

	fprintf(out, "CPU 0:\n");
	for (i = 0; i < c->n_raw; i++)
		fprintf(out, "   0x%08x 0x00: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", c->raw[i].leaf,
			c->raw[i].r.eax, c->raw[i].r.ebx, c->raw[i].r.ecx, c->raw[i].r.edx);
}

void gc_cpuid_decode(gc_cpuid_fn fn, void *ctx, struct gc_cpuid *out)
{
	struct gc_cpuid_regs r;
	uint32_t base;

	if (fn(ctx, 0, &r) == 0) {
		regs_text(&r, r.ebx, r.edx, r.ecx, out->vendor);
		keep_raw(out, 0, &r);
	}
	if (fn(ctx, 1, &r) == 0) {
		out->leaf1 = true;
		out->hv_bit = r.ecx & 0x80000000u;
		keep_raw(out, 1, &r);
	}
	for (base = 0x40000000u; base <= 0x4000ff00u && out->n_hv < ARRAY_SIZE(out->hv); base += 0x100) {
		struct gc_cpuid_hvleaf *h;

		if (fn(ctx, base, &r) < 0)
			continue;
		if (r.eax < base || r.eax > base + 0xff)
			continue;
		if (!r.ebx && !r.ecx && !r.edx)
			continue;
		keep_raw(out, base, &r);
		h = &out->hv[out->n_hv++];
		h->base = base;
		h->max_leaf = r.eax;
		regs_text(&r, r.ebx, r.ecx, r.edx, h->sig);
	}
}

int gc_cpuid_probe(const struct gc_root *r, struct gc_cpuid *out)
{
	struct gc_cpuid_table t;
	char *text;

	*out = (struct gc_cpuid){ 0 };
	if (r->live) {
		out->source = "CPUID instruction";
#if defined(__x86_64__) || defined(__i386__)
		gc_cpuid_decode(live_fn, NULL, out);
#else
		out->err = -ENOTSUP;
#endif
		return 0;
	}
	out->source = "dev/cpuid (replay)";
	out->err = gc_read_file(r, "/dev/cpuid", 1u << 20, &text, NULL);
	/* The capture's own file as a link to nothing is damage, not "not captured". */
	if (out->err == -ENOENT && gc_stat(r, "/dev/cpuid", false, NULL) == 0) {
		out->err = -ENOLINK;
		snprintf(out->problem, sizeof(out->problem), "a link that leads nowhere in the tree");
	}
	if (out->err)
		return 0;
	out->err = gc_cpuid_table_parse(text, &t);
	free(text);
	if (out->err) {
		if (t.bad_line)
			snprintf(out->problem, sizeof(out->problem), "line %u is not a `cpuid -r` line", t.bad_line);
		gc_cpuid_table_free(&t);
		return 0;
	}
	gc_cpuid_decode(gc_cpuid_table_lookup, &t, out);
	gc_cpuid_table_free(&t);
	/* Leaf 1 never read is not "hypervisor bit clear": the source says nothing then. */
	if (!out->leaf1) {
		out->err = -ENODATA;
		snprintf(out->problem, sizeof(out->problem), "leaf 1 (hypervisor bit) not captured");
	}
	return 0;
}
