// SPDX-License-Identifier: GPL-2.0-or-later
/* Host identity for the report's "where": read through the file layer so a bundle replays it. */
#include <errno.h>
#include <string.h>

#include "host.h"

/* machine-id(5): 32 lower-case hexadecimal characters. Anything else is not an ID. */
static bool machine_id_valid(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

/*
 * os-release(5): shell-compatible assignments; values in double quotes may
 * escape $ " \\ ` with a backslash, single quotes take the text verbatim.
 */
char *gc_os_release_value(const char *line, const char *key)
{
	size_t klen = strlen(key), o = 0;
	const char *p = line;
	char *out, quote = 0;

	p += strspn(p, " \t");
	if (strncmp(p, key, klen) != 0 || p[klen] != '=')
		return NULL;
	p += klen + 1;
	out = xmalloc(strlen(p) + 1);
	if (*p == '"' || *p == '\'')
		quote = *p++;
	for (; *p && *p != '\n'; p++) {
		if (quote && *p == quote)
			break;
		if (quote == '"' && *p == '\\' && p[1] && strchr("$\"\\`", p[1]))
			p++;
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

static int os_release_line(char *line, unsigned lineno, void *data)
{
	struct gc_host *h = data;
	char *v;

	(void)lineno;
	if ((v = gc_os_release_value(line, "ID"))) {
		free(h->os_id);
		h->os_id = v;
	} else if ((v = gc_os_release_value(line, "VERSION_ID"))) {
		free(h->os_version_id);
		h->os_version_id = v;
	} else if ((v = gc_os_release_value(line, "PRETTY_NAME"))) {
		free(h->os_pretty_name);
		h->os_pretty_name = v;
	}
	return 0;
}

void gc_host_probe(const struct gc_root *r, struct gc_host *out)
{
	*out = (struct gc_host){ 0 };
	if (gc_read_string(r, "/proc/sys/kernel/hostname", &out->hostname))
		out->hostname = NULL;
	if (gc_read_string(r, "/etc/machine-id", &out->machine_id) == 0 &&
	    !machine_id_valid(out->machine_id)) {
		free(out->machine_id);
		out->machine_id = NULL;
	}
	/* os-release(5): /etc/os-release first, /usr/lib/os-release as the fallback. */
	out->os_err = gc_foreach_line(r, "/etc/os-release", os_release_line, out);
	if (out->os_err == -ENOENT)
		out->os_err = gc_foreach_line(r, "/usr/lib/os-release", os_release_line, out);
}

void gc_host_free(struct gc_host *h)
{
	free(h->hostname);
	free(h->machine_id);
	free(h->os_id);
	free(h->os_version_id);
	free(h->os_pretty_name);
}
