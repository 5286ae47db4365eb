/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reporters: render results, decide nothing. */
#ifndef GC_REPORT_H
#define GC_REPORT_H

#include <stdio.h>

#include "facts.h"
#include "options.h"
#include "registry.h"

#define GC_SCHEMA "aic-guestcheck/1"

struct gc_report {
	const struct gc_facts *facts;
	const struct gc_options *opts;
	const struct gc_result *res;
	size_t n;
	int exit_code;
};

int gc_report_text(FILE *out, const struct gc_report *rep);
int gc_report_json(FILE *out, const struct gc_report *rep);

#endif
