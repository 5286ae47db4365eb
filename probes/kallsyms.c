// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel symbol scan for the Hyper-V checks. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "kallsyms.h"

int gc_kallsyms_parse_line(const char *line, struct gc_ksym *out)
{
	char addr[32], type[4], name[256], module[128];
	int n;

	module[0] = '\0';
	n = sscanf(line, "%31s %3s %255s %127s", addr, type, name, module);
	if (n < 3 || strlen(type) != 1 || !isalpha((unsigned char)type[0]))
		return -EINVAL;
	if (strspn(addr, "0123456789abcdefABCDEF") != strlen(addr))
		return -EINVAL;
	*out = (struct gc_ksym){ .addr = strtoull(addr, NULL, 16), .type = type[0] };
	if (strlen(name) >= sizeof(out->name))
		return -EINVAL;
	strcpy(out->name, name);
	if (n == 4) {
		size_t len = strlen(module);

		if (module[0] != '[' || module[len - 1] != ']' || len - 2 >= sizeof(out->module))
			return -EINVAL;
		memcpy(out->module, module + 1, len - 2);
		out->module[len - 2] = '\0';
	}
	return 0;
}

/* Static variables get a ".NN" suffix from the compiler. */
static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);

	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

static int scan_line(char *line, unsigned no, void *ctx)
{
	struct gc_kallsyms *out = ctx;
	struct gc_ksym s;

	(void)no;
	out->lines++;
	if (gc_kallsyms_parse_line(line, &s) < 0 || (s.module[0] && !streq(s.module, "pci_hyperv")))
		return 0;
	if (name_is(s.name, "hv_compose_msi_msg")) {
		out->driver = true;
		out->driver_is_module = s.module[0] != '\0';
	} else if (name_is(s.name, "hv_msi_prepare")) {
		out->hv_msi_prepare = true;
	} else if (name_is(s.name, "multi_msi_cpu_lock")) {
		out->multi_msi_cpu_lock = true;
	}
	return 0;
}

int gc_kallsyms_probe(const struct gc_root *r, struct gc_kallsyms *out)
{
	*out = (struct gc_kallsyms){ 0 };
	out->err = gc_foreach_line(r, "/proc/kallsyms", scan_line, out);
	return 0;
}
