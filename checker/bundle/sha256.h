/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4) for the bundle manifest. A hundred lines here rather
 * than libcrypto, libgcrypt or libmd: the static binary and the CentOS 7
 * build need no further library for one hash.
 */
#ifndef GC_SHA256_H
#define GC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct gc_sha256 {
	uint32_t h[8];
	uint64_t len;        /* bytes hashed so far */
	uint8_t buf[64];
	size_t fill;
};

void gc_sha256_init(struct gc_sha256 *s);
void gc_sha256_update(struct gc_sha256 *s, const void *data, size_t n);
/* Lower-case hex digest into hex[65]. */
void gc_sha256_hex(struct gc_sha256 *s, char hex[65]);

#endif
