// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/cmdline parsing (model: the kernel's next_arg()). */
#include "cmdline.h"

void gc_cmdline_parse(const char *text, struct gc_cmdline *out)
{
	const char *p = text;

	while (*p) {
		char word[4096];
		size_t o = 0;
		bool quoted = false;
		struct gc_param *param;
		char *eq;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			else if (o < sizeof(word) - 1)
				word[o++] = *p;
			p++;
		}
		word[o] = '\0';
		if (streq(word, "--"))
			break;  /* the rest belongs to init */
		param = xappend(&out->p, &out->n, sizeof(*param));
		eq = strchr(word, '=');
		if (eq) {
			*eq = '\0';
			param->value = xstrdup(eq + 1);
		}
		param->key = xstrdup(word);
	}
}

int gc_cmdline_probe(const struct gc_root *r, struct gc_cmdline *out)
{
	*out = (struct gc_cmdline){ 0 };
	out->err = gc_read_string(r, "/proc/cmdline", &out->raw);
	if (!out->err)
		gc_cmdline_parse(out->raw, out);
	return 0;
}

bool gc_param_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

const char *gc_cmdline_get(const struct gc_cmdline *c, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (gc_param_eq(c->p[i].key, key))
			v = c->p[i].value ? c->p[i].value : "";
	return v;
}

/* Calls fn for each comma-separated word of v, as the kernel's setup functions walk them. */
static bool any_word(const char *v, bool (*fn)(const char *w, size_t len, const void *arg), const void *arg)
{
	while (v && *v) {
		size_t len = strcspn(v, ",");

		if (len && fn(v, len, arg))
			return true;
		v += len;
		while (*v == ',')
			v++;
	}
	return false;
}

static bool word_is(const char *w, size_t len, const void *arg)
{
	return len == strlen(arg) && strncmp(w, arg, len) == 0;
}

/* strncmp(str, "off", 3) in the kernel's setup functions: "offx" is "off". */
static bool word_starts(const char *w, size_t len, const void *arg)
{
	size_t n = strlen(arg);

	return len >= n && strncmp(w, arg, n) == 0;
}

bool gc_cmdline_has_word(const struct gc_cmdline *c, const char *key, const char *word)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (gc_param_eq(c->p[i].key, key) && any_word(c->p[i].value, word_is, word))
			return true;
	return false;
}

/*
 * An on/off switch whose setup function walks its words in order, each
 * prefix-matched, at every occurrence: the last "on" or "off" wins.
 * drivers/iommu/irq_remapping.c setup_irqremap() (early_param "intremap",
 * with "nointremap" turning it off too); drivers/iommu/intel/iommu.c
 * intel_iommu_setup() (__setup "intel_iommu=").
 */
static int last_switch(const struct gc_cmdline *c, const char *key, const char *off_flag)
{
	int decided = -1;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const char *v = c->p[i].value;

		if (off_flag && gc_param_eq(c->p[i].key, off_flag)) {
			decided = (int)i;
			continue;
		}
		if (!gc_param_eq(c->p[i].key, key) || !v)
			continue;
		while (*v) {
			if (strncmp(v, "on", 2) == 0)
				decided = -1;
			else if (strncmp(v, "off", 3) == 0)
				decided = (int)i;
			v += strcspn(v, ",");
			while (*v == ',')
				v++;
		}
	}
	return decided;
}

/* A parameter whose every occurrence counts (early_param flags; pci_setup's words; kmod's blacklist). */
static int any_occurrence(const struct gc_cmdline *c, const char *key,
			  bool (*match)(const char *w, size_t len, const void *arg), const char *word)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (!gc_param_eq(c->p[i].key, key))
			continue;
		if (!word || any_word(c->p[i].value, match, word))
			return (int)i;
	}
	return -1;
}

/* A charp core_param: each occurrence with a value replaces the last (kernel/params.c param_set_charp). */
static int last_charp_word(const struct gc_cmdline *c, const char *key, const char *word)
{
	int last = -1;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (gc_param_eq(c->p[i].key, key) && c->p[i].value)
			last = (int)i;
	return last >= 0 && any_word(c->p[last].value, word_is, word) ? last : -1;
}

void gc_cmdline_effects(const struct gc_cmdline *c, int out[_GC_EFFECT_MAX])
{
	int kmod;

	out[GC_EFFECT_NO_IRQ_REMAP] = last_switch(c, "intremap", "nointremap");
	/* drivers/pci/pci.c pci_setup(): strcmp(str, "nomsi") on each word. */
	out[GC_EFFECT_NO_MSI] = any_occurrence(c, "pci", word_is, "nomsi");
	/* arch/x86/kernel/apic: early_param("nolapic"), early_param("disableapic"); io_apic.c "noapic". */
	out[GC_EFFECT_NO_LAPIC] = any_occurrence(c, "nolapic", NULL, NULL);
	out[GC_EFFECT_APIC_DISABLED] = any_occurrence(c, "disableapic", NULL, NULL);
	out[GC_EFFECT_NO_IOAPIC] = any_occurrence(c, "noapic", NULL, NULL);
	/*
	 * kernel/module/main.c: core_param(module_blacklist, ..., charp), an
	 * exact word of the last value; kmod's kcmdline_parse_result() adds the
	 * words of every modprobe.blacklist= to its blacklist.
	 */
	kmod = any_occurrence(c, "modprobe.blacklist", word_is, "qaic");
	out[GC_EFFECT_QAIC_BLOCKED] = kmod >= 0 ? kmod : last_charp_word(c, "module_blacklist", "qaic");
	out[GC_EFFECT_INTEL_IOMMU_OFF] = last_switch(c, "intel_iommu", NULL);
	/* drivers/iommu/amd/init.c parse_amd_iommu_options(), arch/x86/kernel/pci-dma.c iommu_setup(). */
	out[GC_EFFECT_AMD_IOMMU_OFF] = any_occurrence(c, "amd_iommu", word_starts, "off");
	out[GC_EFFECT_IOMMU_OFF] = any_occurrence(c, "iommu", word_starts, "off");
}

const char *gc_cmdline_param_text(const struct gc_cmdline *c, int i, char *buf, size_t size)
{
	const struct gc_param *p;

	if (i < 0 || (size_t)i >= c->n) {
		snprintf(buf, size, "?");
		return buf;
	}
	p = &c->p[i];
	snprintf(buf, size, "%s%s%s", p->key, p->value ? "=" : "", p->value ? p->value : "");
	return buf;
}

void gc_cmdline_free(struct gc_cmdline *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->p[i].key);
		free(c->p[i].value);
	}
	free(c->p);
	free(c->raw);
	*c = (struct gc_cmdline){ 0 };
}
