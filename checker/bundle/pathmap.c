// SPDX-License-Identifier: GPL-2.0-or-later
/* Open addressing with linear probing, FNV-1a hash, kept at most half full. */
#include <stdint.h>

#include "../../probes/util.h"
#include "pathmap.h"

static size_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static struct gc_pathmap_slot *probe(struct gc_pathmap_slot *slots, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);

	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct gc_pathmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256, i;
	struct gc_pathmap_slot *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*probe(slots, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

struct gc_pathmap_slot *gc_pathmap_find(const struct gc_pathmap *m, const char *key)
{
	struct gc_pathmap_slot *s;

	if (!m->cap)
		return NULL;
	s = probe(m->slots, m->cap, key);
	return s->key ? s : NULL;
}

struct gc_pathmap_slot *gc_pathmap_get(struct gc_pathmap *m, const char *key, bool *added)
{
	struct gc_pathmap_slot *s;

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	s = probe(m->slots, m->cap, key);
	*added = !s->key;
	if (!s->key) {
		s->key = xstrdup(key);
		m->n++;
	}
	return s;
}

void gc_pathmap_free(struct gc_pathmap *m, void (*free_value)(void *))
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key) {
			free(m->slots[i].key);
			if (free_value)
				free_value(m->slots[i].value);
		}
	free(m->slots);
	*m = (struct gc_pathmap){ 0 };
}
