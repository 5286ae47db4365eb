// SPDX-License-Identifier: GPL-2.0-or-later
/* Open addressing with linear probing, kept at most half full. */
#include <stdint.h>
#include <string.h>

#include "../../probes/util.h"
#include "pathmap.h"

static uint64_t fmix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/*
 * Eight bytes a step (paths are 40-100 bytes: byte-wise FNV-1a was most
 * of a lookup), each word multiplied in and folded; fmix64 (MurmurHash3's
 * finaliser) then spreads it to the low bits the table is indexed by.
 */
static size_t hash(const char *s)
{
	size_t len = strlen(s), i;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ fmix64(w)) * 0x100000001b3ull;
	}
	w = 0;
	memcpy(&w, s + i, len - i);
	h = (h ^ fmix64(w)) * 0x100000001b3ull;
	return (size_t)fmix64(h);
}

static struct gc_pathmap_slot *probe(struct gc_pathmap_slot *slots, size_t cap, const char *key, size_t h)
{
	size_t i = h & (cap - 1);

	while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The first free slot for hash h (keys being moved are distinct). */
static struct gc_pathmap_slot *free_slot(struct gc_pathmap_slot *slots, size_t cap, size_t h)
{
	size_t i = h & (cap - 1);

	while (slots[i].key)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct gc_pathmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256, i;
	struct gc_pathmap_slot *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*free_slot(slots, cap, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

struct gc_pathmap_slot *gc_pathmap_find(const struct gc_pathmap *m, const char *key)
{
	struct gc_pathmap_slot *s;

	if (!m->cap)
		return NULL;
	s = probe(m->slots, m->cap, key, hash(key));
	return s->key ? s : NULL;
}

struct gc_pathmap_slot *gc_pathmap_get(struct gc_pathmap *m, const char *key, bool *added)
{
	struct gc_pathmap_slot *s;
	size_t h = hash(key);

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	s = probe(m->slots, m->cap, key, h);
	*added = !s->key;
	if (!s->key) {
		s->key = xstrdup(key);
		s->hash = h;
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
