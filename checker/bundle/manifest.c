// SPDX-License-Identifier: GPL-2.0-or-later
/* The manifest: every entry of the archive, and every path the probes met that it does not hold. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const how_names[] = {
	[HOW_FILE] = "file", [HOW_FILTERED] = "filtered", [HOW_REPLAY] = "replay",
	[HOW_DEVICE] = "device node", [HOW_CUT] = "cut", [HOW_LOG_TAIL] = "log tail",
	[HOW_UNREADABLE] = "unreadable",
	[HOW_NOT_CAPTURED] = "not captured", [HOW_BUNDLE] = "bundle", [HOW_SIZE_ONLY] = "size only",
};

/*
 * A JSON string as json-c writes one (JSON_C_TO_STRING_NOSLASHESCAPE): '"',
 * '\\' and controls escaped, other bytes as they are. Written by hand: one
 * json-c object per entry was a sixth of a bundle's time at 20,000 entries.
 */
static void put_string(FILE *m, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	putc('"', m);
	while (*s) {
		size_t run = 0;
		unsigned char c;

		/* Runs that need no escape in one write. */
		while (s[run] && s[run] != '"' && s[run] != '\\' && (unsigned char)s[run] >= 0x20 &&
		       (unsigned char)s[run] != 0x7f)
			run++;
		fwrite(s, 1, run, m);
		s += run;
		if (!(c = (unsigned char)*s))
			break;
		if (c == '"' || c == '\\')
			fprintf(m, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", m);
		else if (c == '\t')
			fputs("\\t", m);
		else if (c == '\r')
			fputs("\\r", m);
		else if (c == '\b')
			fputs("\\b", m);
		else if (c == '\f')
			fputs("\\f", m);
		else
			fprintf(m, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		s++;
	}
	putc('"', m);
}

static void put_field(FILE *m, const char *key, const char *value)
{
	fputs(", \"", m);
	fputs(key, m);
	fputs("\": ", m);
	if (value)
		put_string(m, value);
	else
		fputs("null", m);
}

/* One entry a line. */
static void put_entry(FILE *m, const struct entry *e)
{
	/* Paths relative to the top directory, as tar lists them below it. */
	fputs("    { \"path\": ", m);
	put_string(m, e->path + 1);
	put_field(m, "type", e->type == 'f' ? "file" : e->type == 'd' ? "directory" : e->type == 'l' ? "symlink" : NULL);
	put_field(m, "how", how_names[e->how]);
	if (e->type == 'f') {
		fprintf(m, ", \"size\": %" PRIu64, e->size);
		put_field(m, "sha256", e->sha256);
	}
	if (e->type == 'l')
		put_field(m, "target", e->target);
	if (e->how == HOW_CUT)
		fprintf(m, ", \"cut_to\": %" PRIu64 ", \"read_more_than\": %" PRIu64, e->size,
			(uint64_t)GC_BUNDLE_FILE_MAX);
	if (e->how == HOW_LOG_TAIL)
		fprintf(m, ", \"left_out\": %" PRIu64, e->read);
	if (e->how == HOW_SIZE_ONLY)
		fprintf(m, ", \"source_size\": %" PRIu64, e->read);
	if (e->err)
		put_field(m, "error", strerror(-e->err));
	fputs(" }", m);
}

char *bundle_manifest_json(const struct bundle *b, const struct gc_bundle_opts *opts)
{
	char stamp[32];
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&b->now));
	fputs("{\n  \"format\": \"aic-guestcheck-bundle/1\",\n  \"tool\": ", m);
	put_string(m, "aic-guestcheck " PROJECT_VERSION);
	fprintf(m, ",\n  \"created\": \"%s\",\n  \"source\": \"%s\",\n  \"case_id\": ", stamp,
		b->src->live ? "live" : "sysroot");
	if (opts->case_id)
		put_string(m, opts->case_id);
	else
		fputs("null", m);
	fprintf(m, ",\n  \"redacted\": %s,\n  \"file_max\": %" PRIu64 ",\n  \"entries\": [\n",
		opts->redact ? "true" : "false", (uint64_t)GC_BUNDLE_FILE_MAX);
	for (i = 0; i < b->n_entries; i++) {
		put_entry(m, &b->entries[i]);
		fputs(i + 1 < b->n_entries ? ",\n" : "\n", m);
	}
	fputs("  ]\n}\n", m);
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

void bundle_entries_free(struct bundle *b)
{
	size_t i;

	for (i = 0; i < b->n_entries; i++) {
		free(b->entries[i].path);
		free(b->entries[i].target);
	}
	free(b->entries);
	b->entries = NULL;
	b->n_entries = 0;
}
