// SPDX-License-Identifier: GPL-2.0-or-later
/* Result accumulation and the verdict. */
#include <errno.h>
#include <stdarg.h>

#include "result.h"

static const char *const status_names[] = {
	[GC_PASS] = "pass", [GC_WARN] = "warn", [GC_FAIL] = "fail",
	[GC_UNKNOWN] = "unknown", [GC_SKIP] = "skip",
};
static const char *const status_labels[] = {
	[GC_PASS] = "PASS", [GC_WARN] = "WARN", [GC_FAIL] = "FAIL",
	[GC_UNKNOWN] = "UNKNOWN", [GC_SKIP] = "SKIP",
};
_Static_assert(ARRAY_SIZE(status_names) == _GC_STATUS_MAX, "status name table");
_Static_assert(ARRAY_SIZE(status_labels) == _GC_STATUS_MAX, "status label table");

/* Order in which a finding overrides another. */
static const int severity[] = {
	[GC_SKIP] = 0, [GC_PASS] = 1, [GC_WARN] = 2, [GC_UNKNOWN] = 3, [GC_FAIL] = 4,
};
_Static_assert(ARRAY_SIZE(severity) == _GC_STATUS_MAX, "severity table");

const char *gc_status_name(enum gc_status s)
{
	return s < _GC_STATUS_MAX ? status_names[s] : "?";
}

const char *gc_status_label(enum gc_status s)
{
	return s < _GC_STATUS_MAX ? status_labels[s] : "?";
}

static void join(char **dst, const char *sep, char *add)
{
	if (!*dst) {
		*dst = add;
		return;
	}
	char *s = xasprintf("%s%s%s", *dst, sep, add);

	free(*dst);
	free(add);
	*dst = s;
}

void gc_result_add(struct gc_result *r, enum gc_status s, const char *fmt, ...)
{
	va_list ap;

	if (!r->decided || severity[s] > severity[r->status])
		r->status = s;
	r->decided = true;
	va_start(ap, fmt);
	join(&r->summary, "; ", xvasprintf(fmt, ap));
	va_end(ap);
}

void gc_evidence_add(struct gc_result *r, const char *source, const char *fmt, ...)
{
	struct gc_evidence *e;
	va_list ap;
	char *value;
	size_t i;

	va_start(ap, fmt);
	value = xvasprintf(fmt, ap);
	va_end(ap);
	/* The same fact twice is noise: keep the first. */
	for (i = 0; i < r->n_ev; i++)
		if (streq(r->ev[i].source, source) && streq(r->ev[i].value, value)) {
			free(value);
			return;
		}
	e = xappend(&r->ev, &r->n_ev, sizeof(*e));
	e->source = xstrdup(source);
	e->value = value;
}

/* Whether text already holds para as a whole paragraph (paragraphs are joined with newlines). */
static bool has_paragraph(const char *text, const char *para)
{
	size_t n = strlen(para);
	const char *p = text;

	while (p && (p = strstr(p, para))) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\0' || p[n] == '\n'))
			return true;
		p++;
	}
	return false;
}

void gc_remedy_add(struct gc_result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (has_paragraph(r->remedy, s)) {
		free(s);
		return;
	}
	join(&r->remedy, "\n", s);
}

void gc_result_free(struct gc_result *r)
{
	size_t i;

	for (i = 0; i < r->n_ev; i++) {
		free(r->ev[i].source);
		free(r->ev[i].value);
	}
	free(r->ev);
	free(r->summary);
	free(r->remedy);
	*r = (struct gc_result){ 0 };
}

/*
 * Ready only on evidence: a run in which no check passed (none selected by
 * --only/--skip, or every one skipped) has shown nothing, so it is
 * undetermined, never ready.
 */
int gc_exit_code(const struct gc_result *res, size_t n, bool strict)
{
	bool warn = false, unknown = false, passed = false;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (res[i].status) {
		case GC_FAIL:
			return GC_EXIT_NOT_READY;
		case GC_WARN:
			warn = true;
			break;
		case GC_UNKNOWN:
			unknown = true;
			break;
		case GC_PASS:
			passed = true;
			break;
		default:
			break;
		}
	}
	if (strict && warn)
		return GC_EXIT_NOT_READY;
	return unknown || (!passed && !warn) ? GC_EXIT_UNDETERMINED : GC_EXIT_READY;
}

const char *gc_verdict_name(int exit_code)
{
	switch (exit_code) {
	case GC_EXIT_READY:
		return "ready";
	case GC_EXIT_NOT_READY:
		return "not-ready";
	case GC_EXIT_UNDETERMINED:
		return "undetermined";
	}
	return "error";
}

bool gc_err_needs_root(int err)
{
	return err == -EACCES || err == -EPERM;
}

const char *gc_err_reason(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case -ENOENT:
		return "not present";
	case -EACCES:
	case -EPERM:
		return "permission denied (needs root)";
	case -EINVAL:
		return "malformed or not a regular file";
	case -EFBIG:
		return "larger than the tool reads";
	case -EXDEV:
		return "a symlink leaves the sysroot";
	case -ENAMETOOLONG:
		return "path too long";
	case -EIO:
		return "read error";
	}
	return strerror(-err);
}

void gc_result_unreadable(struct gc_result *r, const char *what, const char *path, int err)
{
	gc_result_add(r, GC_UNKNOWN, "%s: %s", what, gc_err_reason(err));
	gc_evidence_add(r, path, "%s", gc_err_reason(err));
	if (gc_err_needs_root(err)) {
		r->needs_root = true;
		gc_remedy_add(r, "run aic-guestcheck as root (sudo) to read %s", path);
	}
}
