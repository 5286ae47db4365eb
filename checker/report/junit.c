// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JUnit XML for CI: one testcase per check. The shape is what Jenkins'
 * JUnit readers validate (jenkinsci/xunit-plugin junit-10.xsd: testsuite
 * needs name, tests, failures, errors; testcase needs name; failure, error
 * and skipped carry message and type) and what GitLab's unit test reports
 * read (testcase with failure/error = failed, skipped = skipped).
 * fail -> failure, unknown -> error, skip -> skipped; warn passes (it does
 * not change the exit status) unless --strict, where it is a failure.
 */
#include "escape.h"
#include "report.h"

/* Text and attribute values: XML 1.0 forbids most controls even as references, so they are \xNN. */
static void xml(FILE *out, const char *s)
{
	char *c = gc_escape(s, GC_ESC_CONTROLS | GC_ESC_KEEP_NL | GC_ESC_NONCHAR), *p;

	for (p = c; *p; p++)
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		/* Attributes normalise a raw newline to a space: keep it as a reference. */
		case '\n': fputs("&#10;", out); break;
		default: fputc(*p, out);
		}
	free(c);
}

static void details(FILE *out, const struct gc_result *r)
{
	size_t i;

	for (i = 0; i < r->n_ev; i++) {
		fputs("evidence: ", out);
		xml(out, r->ev[i].source);
		fputs(": ", out);
		xml(out, r->ev[i].value);
		fputs("&#10;", out);
	}
	if (r->remedy) {
		fputs("remedy: ", out);
		xml(out, r->remedy);
		fputs("&#10;", out);
	}
}

static void testcase(FILE *out, const struct gc_report *rep, const struct gc_result *r)
{
	const char *elem = NULL;
	char group[64];

	/* classname groups the checks by their prefix (platform, iommu, device, ...). */
	snprintf(group, sizeof(group), "aic-guestcheck.%.*s", (int)strcspn(r->check->id, "."),
		 r->check->id);
	fprintf(out, "    <testcase classname=\"%s\" name=\"%s\" time=\"0\">\n", group, r->check->id);
	switch (r->status) {
	case GC_FAIL:
		elem = "failure";
		break;
	case GC_UNKNOWN:
		elem = "error";
		break;
	case GC_SKIP:
		elem = "skipped";
		break;
	case GC_WARN:
		elem = rep->opts->strict ? "failure" : NULL;
		break;
	default:
		break;
	}
	if (elem) {
		fprintf(out, "      <%s type=\"%s\" message=\"", elem, gc_status_name(r->status));
		xml(out, r->summary ? r->summary : "");
		fputs("\">", out);
		details(out, r);
		fprintf(out, "</%s>\n", elem);
	}
	/* What passed (and warned) still shows its evidence to whoever opens the test. */
	if (!elem || r->status == GC_WARN) {
		fputs("      <system-out>", out);
		fprintf(out, "%s: ", gc_status_label(r->status));
		xml(out, r->summary ? r->summary : "");
		fputs("&#10;", out);
		details(out, r);
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
}

int gc_report_junit(FILE *out, const struct gc_report *rep)
{
	size_t fails = gc_report_count(rep, GC_FAIL), errors = gc_report_count(rep, GC_UNKNOWN);
	size_t skipped = gc_report_count(rep, GC_SKIP), i;
	char when[32];
	struct tm tm;

	if (rep->opts->strict)
		fails += gc_report_count(rep, GC_WARN);
	/* Ant's timestamp form, no zone; ours is UTC. */
	if (!gmtime_r(&rep->when, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm))
		when[0] = '\0';
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"aic-guestcheck\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"0\">\n",
		rep->n, fails, errors);
	fprintf(out, "  <testsuite name=\"aic-guestcheck\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\" time=\"0\" timestamp=\"%s\"", rep->n, fails, errors, skipped, when);
	if (rep->facts->host.hostname) {
		fputs(" hostname=\"", out);
		xml(out, rep->facts->host.hostname);
		fputc('"', out);
	}
	fputs(">\n    <properties>\n", out);
	fprintf(out, "      <property name=\"verdict\" value=\"%s\"/>\n", gc_verdict_name(rep->exit_code));
	fprintf(out, "      <property name=\"exit_code\" value=\"%d\"/>\n", rep->exit_code);
	fprintf(out, "      <property name=\"version\" value=\"%s\"/>\n", PROJECT_VERSION);
	fputs("      <property name=\"kernel_release\" value=\"", out);
	xml(out, rep->facts->mods.release ? rep->facts->mods.release : "");
	fputs("\"/>\n    </properties>\n", out);
	for (i = 0; i < rep->n; i++)
		testcase(out, rep, &rep->res[i]);
	fputs("  </testsuite>\n</testsuites>\n", out);
	return 0;
}
