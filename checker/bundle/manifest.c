// SPDX-License-Identifier: GPL-2.0-or-later
/* The manifest: every entry of the archive, and every path the probes met that it does not hold. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../../probes/util.h"
#include "internal.h"

static const char *const how_names[] = {
	[HOW_FILE] = "file", [HOW_FILTERED] = "filtered", [HOW_REPLAY] = "replay",
	[HOW_DEVICE] = "device node", [HOW_CUT] = "cut", [HOW_LOG_TAIL] = "log tail",
	[HOW_UNREADABLE] = "unreadable",
	[HOW_NOT_CAPTURED] = "not captured", [HOW_BUNDLE] = "bundle", [HOW_SIZE_ONLY] = "size only",
};

/*
 * The manifest is written into one growing buffer: at 4,096 PCI functions
 * it is 2.8 MB, and stdio's per-call locking and buffer checks were most of
 * its cost.
 */
struct text {
	char *p;
	size_t len, cap;
};

static void put_mem(struct text *t, const char *s, size_t n)
{
	if (t->cap - t->len < n + 1) {
		while (t->cap - t->len < n + 1)
			t->cap = t->cap ? 2 * t->cap : 1 << 16;
		t->p = xrealloc(t->p, t->cap);
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void put(struct text *t, const char *s)
{
	put_mem(t, s, strlen(s));
}

static void put_u64(struct text *t, uint64_t v)
{
	char digits[24];

	put_mem(t, digits, (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, v));
}

/*
 * A JSON string as json-c writes one (JSON_C_TO_STRING_NOSLASHESCAPE): '"',
 * '\\' and controls escaped, other bytes as they are. Written by hand: one
 * json-c object per entry was a sixth of a bundle's time at 20,000 entries.
 */
static void put_string(struct text *t, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	put_mem(t, "\"", 1);
	while (*s) {
		size_t run = 0;
		unsigned char c;

		/* Runs that need no escape in one copy. */
		while (s[run] && s[run] != '"' && s[run] != '\\' && (unsigned char)s[run] >= 0x20 &&
		       (unsigned char)s[run] != 0x7f)
			run++;
		put_mem(t, s, run);
		s += run;
		if (!(c = (unsigned char)*s))
			break;
		if (c == '"')
			put(t, "\\\"");
		else if (c == '\\')
			put(t, "\\\\");
		else if (c == '\n')
			put(t, "\\n");
		else if (c == '\t')
			put(t, "\\t");
		else if (c == '\r')
			put(t, "\\r");
		else if (c == '\b')
			put(t, "\\b");
		else if (c == '\f')
			put(t, "\\f");
		else
			put_mem(t, (char[]){ '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] }, 6);
		s++;
	}
	put_mem(t, "\"", 1);
}

static void put_field(struct text *t, const char *key, const char *value)
{
	put(t, ", \"");
	put(t, key);
	put(t, "\": ");
	if (value)
		put_string(t, value);
	else
		put(t, "null");
}

static void put_number(struct text *t, const char *key, uint64_t value)
{
	put(t, ", \"");
	put(t, key);
	put(t, "\": ");
	put_u64(t, value);
}

/* One entry a line. */
static void put_entry(struct text *t, const struct entry *e)
{
	/* Paths relative to the top directory, as tar lists them below it. */
	put(t, "    { \"path\": ");
	put_string(t, e->path + 1);
	put_field(t, "type", e->type == 'f' ? "file" : e->type == 'd' ? "directory" : e->type == 'l' ? "symlink" : NULL);
	put_field(t, "how", how_names[e->how]);
	if (e->type == 'f') {
		put_number(t, "size", e->size);
		put_field(t, "sha256", e->sha256);
	}
	if (e->type == 'l')
		put_field(t, "target", e->target);
	if (e->how == HOW_CUT) {
		put_number(t, "cut_to", e->size);
		put_number(t, "read_more_than", (uint64_t)GC_BUNDLE_FILE_MAX);
	}
	if (e->how == HOW_LOG_TAIL)
		put_number(t, "left_out", e->read);
	if (e->how == HOW_SIZE_ONLY)
		put_number(t, "source_size", e->read);
	if (e->err)
		put_field(t, "error", strerror(-e->err));
	put(t, " }");
}

char *bundle_manifest_json(const struct bundle *b, const struct gc_bundle_opts *opts, size_t *len)
{
	struct text t = { 0 };
	char stamp[32];
	size_t i;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&b->now));
	put(&t, "{\n  \"format\": \"aic-guestcheck-bundle/1\",\n  \"tool\": ");
	put_string(&t, "aic-guestcheck " PROJECT_VERSION);
	put(&t, ",\n  \"created\": \"");
	put(&t, stamp);
	put(&t, b->src->live ? "\",\n  \"source\": \"live\"" : "\",\n  \"source\": \"sysroot\"");
	put(&t, ",\n  \"case_id\": ");
	if (opts->case_id)
		put_string(&t, opts->case_id);
	else
		put(&t, "null");
	put(&t, opts->redact ? ",\n  \"redacted\": true" : ",\n  \"redacted\": false");
	put(&t, ",\n  \"file_max\": ");
	put_u64(&t, (uint64_t)GC_BUNDLE_FILE_MAX);
	put(&t, ",\n  \"entries\": [\n");
	for (i = 0; i < b->n_entries; i++) {
		put_entry(&t, &b->entries[i]);
		put(&t, i + 1 < b->n_entries ? ",\n" : "\n");
	}
	put(&t, "  ]\n}\n");
	*len = t.len;
	return t.p;
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
