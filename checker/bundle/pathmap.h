/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hash map from path to a small value, so that the bundle looks each path
 * up once in constant time instead of comparing it with every earlier one.
 */
#ifndef GC_PATHMAP_H
#define GC_PATHMAP_H

#include <stdbool.h>
#include <stddef.h>

struct gc_pathmap {
	struct gc_pathmap_slot {
		char *key;   /* owned; NULL: empty */
		void *value;
		size_t hash; /* of key: growing and probing compare it before the strings */
	} *slots;
	size_t cap, n;   /* cap: a power of two */
};

/* The slot for key, added (value NULL) when absent; *added says which. */
struct gc_pathmap_slot *gc_pathmap_get(struct gc_pathmap *m, const char *key, bool *added);
/* NULL when absent. */
struct gc_pathmap_slot *gc_pathmap_find(const struct gc_pathmap *m, const char *key);
/* free_value may be NULL. */
void gc_pathmap_free(struct gc_pathmap *m, void (*free_value)(void *));

#endif
