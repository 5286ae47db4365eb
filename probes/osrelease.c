// SPDX-License-Identifier: GPL-2.0-or-later
/* os-release(5) and the machine architecture. */
#include <errno.h>
#include <sys/utsname.h>

#include "kconfig.h"
#include "osrelease.h"

#define OSRELEASE_MAX (64u << 10)
#define VALUE_MAX 256

/*
 * One shell-style value: bare, "double quoted" (with \" \\ \$ \` escapes)
 * or 'single quoted', as os-release(5) allows. NULL for garbage.
 */
static char *unquote(const char *v)
{
	char q = (*v == '"' || *v == '\'') ? *v++ : 0;
	char out[VALUE_MAX];
	size_t n = 0;

	for (; *v && *v != '\n' && *v != '\r'; v++) {
		if (q && *v == q) {
			const char *t = v + 1 + strspn(v + 1, " \t");

			return (!*t || *t == '\n' || *t == '\r') ? xstrndup(out, n) : NULL;
		}
		if (q == '"' && *v == '\\' && v[1] && strchr("\"\\$`", v[1]))
			v++;
		if (n + 1 >= sizeof(out) || (unsigned char)*v < 0x20)
			return NULL;
		out[n++] = *v;
	}
	if (q)
		return NULL;  /* unterminated quote */
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	return xstrndup(out, n);
}

int gc_osrelease_parse(const char *text, struct gc_osrelease *out)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "ID", offsetof(struct gc_osrelease, id) },
		{ "VERSION_ID", offsetof(struct gc_osrelease, version_id) },
		{ "NAME", offsetof(struct gc_osrelease, name) },
		{ "PRETTY_NAME", offsetof(struct gc_osrelease, pretty_name) },
		{ "ID_LIKE", offsetof(struct gc_osrelease, id_like) },
	};
	const char *line = text;
	int found = 0;

	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = line + strspn(line, " \t");
		size_t i;

		for (i = 0; i < ARRAY_SIZE(keys); i++) {
			size_t k = strlen(keys[i].key);
			char **slot = (char **)((char *)out + keys[i].off);

			if (strncmp(p, keys[i].key, k) || p[k] != '=')
				continue;
			free(*slot);  /* the last assignment wins, as in the shell */
			*slot = unquote(p + k + 1);
			found += *slot != NULL;
			break;
		}
	}
	return found;
}

const char *gc_arch_from_kernel(const char *kconfig_text, const char *release, const char **ret_how)
{
	/* The option that selects each architecture (arch/<arch>/Kconfig), most specific first. */
	static const struct {
		const char *option, *machine;
	} opts[] = {
		{ "CONFIG_X86_64", "x86_64" }, { "CONFIG_ARM64", "aarch64" }, { "CONFIG_X86_32", "i686" },
		{ "CONFIG_PPC64", "ppc64le" }, { "CONFIG_S390", "s390x" }, { "CONFIG_RISCV", "riscv64" },
		{ "CONFIG_ARM", "arm" },
	};
	/* How distributions name the architecture in the release string. */
	static const struct {
		const char *suffix, *machine;
	} rels[] = {
		{ ".x86_64", "x86_64" }, { "-amd64", "x86_64" }, { ".aarch64", "aarch64" }, { "-arm64", "aarch64" },
		{ ".ppc64le", "ppc64le" }, { "-ppc64el", "ppc64le" }, { ".s390x", "s390x" }, { "-s390x", "s390x" },
	};
	size_t i;

	for (i = 0; kconfig_text && i < ARRAY_SIZE(opts); i++) {
		char buf[8];

		if (streq(gc_kconfig_get(kconfig_text, opts[i].option, buf, sizeof(buf)), "y")) {
			*ret_how = "kernel config";
			return opts[i].machine;
		}
	}
	for (i = 0; release && i < ARRAY_SIZE(rels); i++) {
		if (strstr(release, rels[i].suffix)) {
			*ret_how = "kernel release";
			return rels[i].machine;
		}
	}
	return NULL;
}

int gc_osrelease_probe(const struct gc_root *r, const char *kconfig_text, const char *release,
		       struct gc_osrelease *out)
{
	static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release" };
	const char *m;
	size_t i;

	*out = (struct gc_osrelease){ .err = -ENOENT };
	for (i = 0; i < ARRAY_SIZE(files) && out->err == -ENOENT; i++) {
		char *buf;
		size_t len;

		out->err = gc_read_file(r, files[i], OSRELEASE_MAX, &buf, &len);
		if (out->err == -ENOENT)
			continue;
		out->source = files[i];
		if (!out->err) {
			if (gc_osrelease_parse(buf, out) == 0 || memchr(buf, '\0', len))
				out->err = -EINVAL;
			free(buf);
		}
	}
	if (r->live) {
		struct utsname u;

		if (uname(&u) == 0) {
			out->machine = xstrdup(u.machine);
			out->machine_source = "uname";
		}
	} else if ((m = gc_arch_from_kernel(kconfig_text, release, &out->machine_source))) {
		out->machine = xstrdup(m);
	}
	return 0;
}

void gc_osrelease_free(struct gc_osrelease *o)
{
	free(o->id);
	free(o->version_id);
	free(o->name);
	free(o->pretty_name);
	free(o->id_like);
	free(o->machine);
	*o = (struct gc_osrelease){ 0 };
}
