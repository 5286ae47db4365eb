// SPDX-License-Identifier: GPL-2.0-or-later
/* The manifest: every entry of the archive, and every path the probes met that it does not hold. */
#include <json-c/json.h>
#include <string.h>

#include "internal.h"

static const char *const how_names[] = {
	[HOW_FILE] = "file", [HOW_FILTERED] = "filtered", [HOW_REPLAY] = "replay",
	[HOW_DEVICE] = "device node", [HOW_CUT] = "cut", [HOW_LOG_TAIL] = "log tail",
	[HOW_UNREADABLE] = "unreadable",
	[HOW_NOT_CAPTURED] = "not captured", [HOW_BUNDLE] = "bundle",
};

static json_object *entry_json(const struct entry *e)
{
	json_object *o = json_object_new_object();

	/* Paths relative to the top directory, as tar lists them below it. */
	json_object_object_add(o, "path", json_object_new_string(e->path + 1));
	json_object_object_add(o, "type", e->type == 'f' ? json_object_new_string("file") :
					  e->type == 'd' ? json_object_new_string("directory") :
					  e->type == 'l' ? json_object_new_string("symlink") : NULL);
	json_object_object_add(o, "how", json_object_new_string(how_names[e->how]));
	if (e->type == 'f') {
		json_object_object_add(o, "size", json_object_new_int64((int64_t)e->size));
		json_object_object_add(o, "sha256", json_object_new_string(e->sha256));
	}
	if (e->type == 'l')
		json_object_object_add(o, "target", json_object_new_string(e->target));
	if (e->how == HOW_CUT) {
		json_object_object_add(o, "cut_to", json_object_new_int64((int64_t)e->size));
		json_object_object_add(o, "read_more_than", json_object_new_int64((int64_t)GC_BUNDLE_FILE_MAX));
	}
	if (e->how == HOW_LOG_TAIL)
		json_object_object_add(o, "left_out", json_object_new_int64((int64_t)e->read));
	if (e->err)
		json_object_object_add(o, "error", json_object_new_string(strerror(-e->err)));
	return o;
}

char *bundle_manifest_json(const struct bundle *b, const struct gc_bundle_opts *opts)
{
	json_object *root = json_object_new_object(), *list = json_object_new_array();
	char stamp[32];
	char *text;
	size_t i;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&b->now));
	json_object_object_add(root, "format", json_object_new_string("aic-guestcheck-bundle/1"));
	json_object_object_add(root, "tool", json_object_new_string("aic-guestcheck " PROJECT_VERSION));
	json_object_object_add(root, "created", json_object_new_string(stamp));
	json_object_object_add(root, "source", json_object_new_string(b->src->live ? "live" : "sysroot"));
	json_object_object_add(root, "case_id", opts->case_id ? json_object_new_string(opts->case_id) : NULL);
	json_object_object_add(root, "redacted", json_object_new_boolean(opts->redact));
	json_object_object_add(root, "file_max", json_object_new_int64(GC_BUNDLE_FILE_MAX));
	for (i = 0; i < b->n_entries; i++)
		json_object_array_add(list, entry_json(&b->entries[i]));
	json_object_object_add(root, "entries", list);
	text = xasprintf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								       JSON_C_TO_STRING_SPACED |
								       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
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
