/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Redaction for --redact: host names, IPv4 and IPv6 addresses, MAC
 * addresses, DMI serials and UUID, the machine ID and user names are
 * replaced by tokens of the same shape where there is one (192.0.2.N,
 * 2001:db8::N, 02:00:00:..., 0...N) and "redacted-host-N" style words where
 * there is not. UUIDs in general are kept: Hyper-V names device classes by
 * them, and the checks need those. The same value always gets the same token, in every file
 * (sos clean's rule: keep the relationships a support engineer needs).
 */
#ifndef GC_REDACT_H
#define GC_REDACT_H

#include <stdio.h>

#include "pathmap.h"

enum gc_redact_kind {
	GC_REDACT_HOST, GC_REDACT_USER, GC_REDACT_SERIAL, GC_REDACT_MACHINE_ID,
	GC_REDACT_IPV4, GC_REDACT_IPV6, GC_REDACT_MAC, GC_REDACT_UUID, _GC_REDACT_MAX,
};

struct gc_redact {
	struct gc_pathmap tokens;        /* kind-tagged original -> token */
	struct gc_redact_literal {
		enum gc_redact_kind kind;
		char *value;
		size_t len;
	} *literals;                     /* values known in advance, matched as words */
	size_t n_literals;
	struct gc_redact_pair {
		enum gc_redact_kind kind;
		char *original, *token;
	} *pairs;                        /* in order of first sight, for the mapping file */
	size_t n_pairs;
	unsigned count[_GC_REDACT_MAX];
};

void gc_redact_init(struct gc_redact *r);
void gc_redact_free(struct gc_redact *r);
/* A value to find as a word (host name, user name, serial, machine ID); placeholders are ignored. */
void gc_redact_add_literal(struct gc_redact *r, enum gc_redact_kind kind, const char *value);
/* The redacted copy of text[0..len) appended to out. */
void gc_redact_text(struct gc_redact *r, const char *text, size_t len, FILE *out);
/* The token for a value of a kind (what a file name may use). */
const char *gc_redact_token(struct gc_redact *r, enum gc_redact_kind kind, const char *value);
/* "kind<TAB>token<TAB>original" lines. */
void gc_redact_write_map(const struct gc_redact *r, FILE *out);

#endif
