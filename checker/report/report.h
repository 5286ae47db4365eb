/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reporters: render results, decide nothing. */
#ifndef GC_REPORT_H
#define GC_REPORT_H

#include <stdio.h>
#include <time.h>

#include "../facts.h"
#include "../options.h"
#include "../registry.h"
#include "../wait.h"

#define GC_SCHEMA "aic-guestcheck/1"

struct gc_image;

struct gc_report {
	const struct gc_facts *facts;   /* image mode: empty, with sysroot set */
	const struct gc_image *image;   /* image mode: checker/image/ */
	const struct gc_options *opts;
	const struct gc_result *res;
	size_t n;
	int exit_code;
	time_t when;               /* when the checks were judged */
	const struct gc_wait *wait;  /* --wait: how it went (asked false when not given) */
};

/* "text" <-> GC_FORMAT_TEXT, ...; gc_format_parse returns 0 or -EINVAL. */
int gc_format_parse(const char *name, enum gc_format *f);
const char *gc_format_name(enum gc_format f);
const char *gc_format_names(char *buf, size_t size);  /* "text, json, ..." for messages */

/* Render rep in format f. Returns 0 or -errno. */
int gc_report_render(FILE *out, enum gc_format f, const struct gc_report *rep);
/* Render into a temporary file beside path, then rename: readers see the old file or the new, whole. */
int gc_report_write_file(const char *path, enum gc_format f, const struct gc_report *rep);

/* One renderer per file. */
int gc_report_text(FILE *out, const struct gc_report *rep);
int gc_report_oneline(FILE *out, const struct gc_report *rep);
int gc_report_json(FILE *out, const struct gc_report *rep);

/* checker/image/report.c: what the reports say of an image. */
struct json_object;
void gc_image_json(struct json_object *root, const struct gc_image *im);
void gc_image_header(FILE *out, const struct gc_image *im);
int gc_report_junit(FILE *out, const struct gc_report *rep);
int gc_report_github(FILE *out, const struct gc_report *rep);
int gc_report_prometheus(FILE *out, const struct gc_report *rep);
int gc_report_nfd(FILE *out, const struct gc_report *rep);

/* list-checks --format json. */
int gc_report_checks_json(FILE *out);

/* Counting helpers shared by the renderers. */
size_t gc_report_count(const struct gc_report *rep, enum gc_status s);

#endif
