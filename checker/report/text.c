// SPDX-License-Identifier: GPL-2.0-or-later
/* The human report: one aligned line per check, then evidence and remedy, then the verdict. */
#include "escape.h"
#include "report.h"

static const char *colour(const struct gc_report *rep, enum gc_status s)
{
	static const char *const esc[] = {
		[GC_PASS] = "\033[32m", [GC_WARN] = "\033[33m", [GC_FAIL] = "\033[31m",
		[GC_UNKNOWN] = "\033[35m", [GC_SKIP] = "\033[2m",
	};

	return rep->opts->color ? esc[s] : "";
}

static const char *reset(const struct gc_report *rep)
{
	return rep->opts->color ? "\033[0m" : "";
}

/* What the guest said, made safe for a terminal: controls escaped, and ASCII when the locale wants it. */
static char *clean(const struct gc_report *rep, const char *s, unsigned extra)
{
	return gc_escape(s, GC_ESC_CONTROLS | extra | (rep->opts->ascii ? GC_ESC_ASCII : 0));
}

static void put(FILE *out, const struct gc_report *rep, const char *s)
{
	char *c = clean(rep, s, 0);

	fputs(c, out);
	free(c);
}

static void indent_block(FILE *out, const struct gc_report *rep, const char *label, const char *text)
{
	char *c = clean(rep, text, GC_ESC_KEEP_NL);
	const char *p = c;
	bool first = true;

	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(out, "  %-9s %.*s\n", first ? label : "", (int)n, p);
		first = false;
		p += n;
		if (*p == '\n')
			p++;
	}
	free(c);
}

static void details(FILE *out, const struct gc_report *rep, const struct gc_result *r)
{
	char **src = xcalloc(r->n_ev + 1, sizeof(*src));
	size_t i, w = 0;

	fprintf(out, "\n%s\n", r->check->id);
	for (i = 0; i < r->n_ev; i++) {
		src[i] = clean(rep, r->ev[i].source, 0);
		if (strlen(src[i]) > w)
			w = strlen(src[i]);
	}
	for (i = 0; i < r->n_ev; i++) {
		fprintf(out, "  %-9s %-*s  ", i ? "" : "evidence", (int)w, src[i]);
		put(out, rep, r->ev[i].value);
		fputc('\n', out);
		free(src[i]);
	}
	free(src);
	if (r->remedy)
		indent_block(out, rep, "remedy", r->remedy);
}

static void header(FILE *out, const struct gc_report *rep)
{
	const struct gc_facts *f = rep->facts;
	/* U+00B7 where the locale can show it. */
	const char *dot = rep->opts->ascii ? " - " : " \u00b7 ";
	size_t i;

	fprintf(out, "aic-guestcheck %s", PROJECT_VERSION);
	if (!f->live) {
		fprintf(out, "%ssysroot ", dot);
		put(out, rep, f->sysroot);
	}
	fprintf(out, "%s%s", dot, gc_hv_name(f->platform.hv));
	if (f->platform.hv == GC_HV_XEN)
		fprintf(out, " %s", gc_xen_mode_name(f->platform.xen));
	/* The signals people recognise: the CPUID signature and the DMI product. */
	if (f->cpuid.n_hv || f->dmi.v[GC_DMI_PRODUCT_NAME]) {
		const char *sep = " (";

		if (f->cpuid.n_hv) {
			fprintf(out, "%sCPUID \"", sep);
			put(out, rep, f->cpuid.hv[f->cpuid.n_hv - 1].sig);
			fputc('"', out);
			sep = ", ";
		}
		if (f->dmi.v[GC_DMI_PRODUCT_NAME]) {
			fprintf(out, "%sDMI \"", sep);
			put(out, rep, f->dmi.v[GC_DMI_PRODUCT_NAME]);
			fputc('"', out);
		}
		fputc(')', out);
	}
	if (f->platform.decided_by) {
		fputs(" decided by ", out);
		put(out, rep, f->platform.decided_by);
	}
	fprintf(out, "%sLinux ", dot);
	put(out, rep, f->mods.release ? f->mods.release : "(release unknown)");
	fputc('\n', out);
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];

		put(out, rep, d->name);
		fputs(" at ", out);
		put(out, rep, d->f.addr);
		fputs(" (driver ", out);
		put(out, rep, d->driver ? d->driver : "none");
		if (d->n_accel) {
			fputs(", /dev/accel/", out);
			put(out, rep, d->accel[0]);
		}
		fprintf(out, ")\n");
	}
	if (rep->wait && rep->wait->asked) {
		if (rep->wait->settled)
			fprintf(out, "waited %.1f s for the cards to settle\n", rep->wait->waited);
		else {
			fprintf(out, "stopped waiting after %.0f s: ", rep->wait->waited);
			put(out, rep, rep->wait->pending);
			fputc('\n', out);
		}
	}
	fputc('\n', out);
}

/* The checks with status s, comma-separated, for the one-line verdict. */
static void list_ids(FILE *out, const struct gc_report *rep, enum gc_status s)
{
	const char *sep = " (";
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (rep->res[i].status == s) {
			fprintf(out, "%s%s", sep, rep->res[i].check->id);
			sep = ", ";
		}
	if (sep[0] == ',')
		fputc(')', out);
}

/* "READY", "NOT READY: 2 checks failed", ...; with_ids names the checks behind it. */
static void verdict_line(FILE *out, const struct gc_report *rep, bool with_ids)
{
	size_t fails = gc_report_count(rep, GC_FAIL), unknowns = gc_report_count(rep, GC_UNKNOWN);
	size_t warns = gc_report_count(rep, GC_WARN);

	switch (rep->exit_code) {
	case GC_EXIT_READY:
		if (warns)
			fprintf(out, "READY with %zu warning%s", warns, warns == 1 ? "" : "s");
		else
			fprintf(out, "READY");
		if (with_ids)
			list_ids(out, rep, GC_WARN);
		break;
	case GC_EXIT_NOT_READY:
		if (fails)
			fprintf(out, "NOT READY: %zu check%s failed", fails, fails == 1 ? "" : "s");
		else
			fprintf(out, "NOT READY: %zu warning%s under --strict", warns, warns == 1 ? "" : "s");
		if (with_ids)
			list_ids(out, rep, fails ? GC_FAIL : GC_WARN);
		break;
	default:
		if (!unknowns && !rep->n) {
			fprintf(out, "UNDETERMINED: no check ran (--only/--skip leave none here)");
			break;
		}
		if (!unknowns) {
			fprintf(out, "UNDETERMINED: no check passed (all %zu skipped)", rep->n);
			break;
		}
		fprintf(out, "UNDETERMINED: %zu check%s could not be decided", unknowns,
			unknowns == 1 ? "" : "s");
		if (with_ids)
			list_ids(out, rep, GC_UNKNOWN);
	}
	fprintf(out, " (exit %d)\n", rep->exit_code);
}

static void verdict(FILE *out, const struct gc_report *rep)
{
	size_t i;
	bool any = false;

	for (i = 0; i < rep->n; i++)
		if (rep->res[i].needs_root) {
			fprintf(out, "%s%s", any ? ", " : "\nneeds root to decide: ", rep->res[i].check->id);
			any = true;
		}
	if (any)
		fputc('\n', out);
	fputc('\n', out);
	verdict_line(out, rep, false);
}

/* For the journal: one line a person can act on, and where the rest is. */
int gc_report_oneline(FILE *out, const struct gc_report *rep)
{
	verdict_line(out, rep, true);
	return 0;
}

int gc_report_text(FILE *out, const struct gc_report *rep)
{
	size_t i, w = 0;

	if (rep->opts->verbosity >= 0 && rep->image)
		gc_image_header(out, rep->image);
	else if (rep->opts->verbosity >= 0)
		header(out, rep);
	for (i = 0; i < rep->n; i++)
		if (strlen(rep->res[i].check->id) > w)
			w = strlen(rep->res[i].check->id);
	for (i = 0; i < rep->n; i++) {
		const struct gc_result *r = &rep->res[i];

		if (rep->opts->verbosity < 0 && (r->status == GC_PASS || r->status == GC_SKIP))
			continue;
		fprintf(out, "  %s%-8s%s %-*s  ", colour(rep, r->status), gc_status_label(r->status),
			reset(rep), (int)w, r->check->id);
		put(out, rep, r->summary ? r->summary : "");
		fputc('\n', out);
	}
	for (i = 0; i < rep->n; i++) {
		const struct gc_result *r = &rep->res[i];

		/* -q: the lines and the verdict only. */
		if (rep->opts->verbosity > 0 ||
		    (rep->opts->verbosity == 0 && r->status != GC_PASS && r->status != GC_SKIP))
			details(out, rep, r);
	}
	verdict(out, rep);
	return 0;
}
