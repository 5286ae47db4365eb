/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Verdicts: one result per check, with evidence and remedy, and the overall exit code. */
#ifndef GC_RESULT_H
#define GC_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "../probes/util.h"

enum gc_status {
	GC_PASS,
	GC_WARN,     /* works, but degraded or against the vendor guide */
	GC_FAIL,
	GC_UNKNOWN,  /* applies, but could not be decided */
	GC_SKIP,     /* does not apply here */
	_GC_STATUS_MAX,
};

/* Exit codes: a contract, documented in README. */
enum {
	GC_EXIT_READY = 0,
	GC_EXIT_NOT_READY = 1,
	GC_EXIT_UNDETERMINED = 2,
	GC_EXIT_USAGE = 3,
};

struct gc_evidence {
	char *source;  /* file path or probe name */
	char *value;   /* what was seen there */
};

struct gc_check;

struct gc_result {
	const struct gc_check *check;
	enum gc_status status;
	bool decided;        /* a status was set */
	char *summary;
	struct gc_evidence *ev;
	size_t n_ev;
	char *remedy;
	bool needs_root;     /* could be decided with root */
};

const char *gc_status_name(enum gc_status s);  /* "pass", ... */
const char *gc_status_label(enum gc_status s); /* "PASS", ... */

/*
 * Add a finding: the result takes the worse of its status and s (fail >
 * unknown > warn > pass > skip) and the text joins the summary.
 */
void gc_result_add(struct gc_result *r, enum gc_status s, const char *fmt, ...) _printf_(3, 4);
void gc_evidence_add(struct gc_result *r, const char *source, const char *fmt, ...) _printf_(3, 4);
/* Append a remedy paragraph (identical paragraphs are kept once). */
void gc_remedy_add(struct gc_result *r, const char *fmt, ...) _printf_(2, 3);
void gc_result_free(struct gc_result *r);

/* The overall exit code from results alone. */
int gc_exit_code(const struct gc_result *res, size_t n, bool strict);
const char *gc_verdict_name(int exit_code);  /* "ready", "not-ready", "undetermined" */



/*
 * A fact the check needs could not be read: unknown, with the path and the
 * reason as evidence; permission errors mark the result as needing root.
 */
void gc_result_unreadable(struct gc_result *r, const char *what, const char *path, int err);
/* Words for a probe's negative errno. */
const char *gc_err_reason(int err);
bool gc_err_needs_root(int err);
#endif
