// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DMAR parser. Layout from ACPICA actbl1.h: a 36-byte ACPI header, then
 * width (offset 36), flags (37), 10 reserved bytes; remapping structures
 * start at 48, each { u16 type; u16 length; }. A structure shorter than
 * its header or running past the table ends the walk as malformed.
 */
#include <errno.h>

#include "acpi.h"

#define ACPI_HEADER_LEN 36
#define DMAR_FIXED_LEN 48
#define DMAR_TYPE_DRHD 0
#define DRHD_FIXED_LEN 16
#define DRHD_INCLUDE_ALL 0x01
#define SCOPE_IOAPIC 3

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *walk_scopes(const uint8_t *p, size_t len, struct gc_dmar *out)
{
	size_t off = 0;

	while (off < len) {
		uint8_t type, slen;

		if (len - off < 6)
			return "device scope truncated";
		type = p[off];
		slen = p[off + 1];
		if (slen < 6 || slen > len - off)
			return "device scope length out of range";
		if (type == SCOPE_IOAPIC)
			out->n_ioapic_scopes++;
		off += slen;
	}
	return NULL;
}

void gc_dmar_parse(const uint8_t *buf, size_t len, struct gc_dmar *out)
{
	uint8_t sum = 0;
	size_t off, i;

	*out = (struct gc_dmar){ 0 };
	if (len < DMAR_FIXED_LEN) {
		out->problem = "shorter than the 48-byte DMAR header";
		return;
	}
	if (memcmp(buf, "DMAR", 4) != 0) {
		out->problem = "signature is not DMAR";
		return;
	}
	out->length = le32(buf + 4);
	if (out->length != len) {
		out->problem = out->length > len ? "table truncated (header length exceeds the file)"
						 : "header length shorter than the file";
		return;
	}
	for (i = 0; i < len; i++)
		sum = (uint8_t)(sum + buf[i]);
	out->checksum_ok = sum == 0;
	out->haw = (unsigned)buf[36] + 1;
	out->flags = buf[37];
	for (off = DMAR_FIXED_LEN; off < len;) {
		uint16_t type, slen;
		const char *problem;

		if (len - off < 4) {
			out->problem = "remapping structure header truncated";
			return;
		}
		type = le16(buf + off);
		slen = le16(buf + off + 2);
		if (slen < 4 || slen > len - off) {
			out->problem = slen < 4 ? "remapping structure with zero or tiny length"
						: "remapping structure runs past the table";
			return;
		}
		if (type == DMAR_TYPE_DRHD) {
			if (slen < DRHD_FIXED_LEN) {
				out->problem = "DRHD shorter than 16 bytes";
				return;
			}
			out->n_drhd++;
			if (buf[off + 4] & DRHD_INCLUDE_ALL)
				out->include_all = true;
			problem = walk_scopes(buf + off + DRHD_FIXED_LEN, slen - DRHD_FIXED_LEN, out);
			if (problem) {
				out->problem = problem;
				return;
			}
		}
		off += slen;
	}
	out->valid = true;
}

/* Listed, even when mode 0400 keeps its content from an unprivileged reader. */
static void probe_table(const struct gc_root *r, const char *path, struct gc_acpi_table *t)
{
	t->err = gc_access(r, path);
	t->exists = t->err == 0;
}

int gc_acpi_probe(const struct gc_root *r, struct gc_acpi *out)
{
	char *buf;
	size_t len;

	*out = (struct gc_acpi){ 0 };
	out->dir_err = gc_access(r, "/sys/firmware/acpi/tables");
	probe_table(r, "/sys/firmware/acpi/tables/DMAR", &out->dmar_file);
	probe_table(r, "/sys/firmware/acpi/tables/IVRS", &out->ivrs);
	probe_table(r, "/sys/firmware/acpi/tables/VIOT", &out->viot);
	if (out->dmar_file.err)
		return 0;
	out->dmar_file.err = gc_read_file(r, "/sys/firmware/acpi/tables/DMAR", 1u << 20, &buf, &len);
	if (out->dmar_file.err)
		return 0;
	gc_dmar_parse((const uint8_t *)buf, len, &out->dmar);
	free(buf);
	return 0;
}
