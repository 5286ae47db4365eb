// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GitHub Actions workflow commands: one annotation per check that did not
 * pass (fail and unknown as ::error, warn as ::warning), then the verdict
 * as ::notice. A command ends at a newline; the runner decodes %25, %0D
 * and %0A in the message and also %3A and %2C in property values, which is
 * how @actions/core's escapeData/escapeProperty encode them (the copy of
 * actions/toolkit command.ts at 064ea85 shows the older ##[ form, which
 * escaped only CR and LF).
 */
#include "escape.h"
#include "report.h"

static void data(FILE *out, const char *s, bool property)
{
	char *c = gc_escape(s, GC_ESC_CONTROLS | GC_ESC_KEEP_NL), *p;

	for (p = c; *p; p++)
		if (*p == '%')
			fputs("%25", out);
		else if (*p == '\n')
			fputs("%0A", out);
		else if (property && *p == ':')
			fputs("%3A", out);
		else if (property && *p == ',')
			fputs("%2C", out);
		else
			fputc(*p, out);
	free(c);
}

int gc_report_github(FILE *out, const struct gc_report *rep)
{
	size_t i, j;

	for (i = 0; i < rep->n; i++) {
		const struct gc_result *r = &rep->res[i];
		const char *cmd = r->status == GC_FAIL || r->status == GC_UNKNOWN ? "error"
				  : r->status == GC_WARN ? (rep->opts->strict ? "error" : "warning") : NULL;

		if (!cmd)
			continue;
		fprintf(out, "::%s title=", cmd);
		data(out, r->check->id, true);
		fputs("::", out);
		fprintf(out, "%s: ", gc_status_label(r->status));
		data(out, r->summary ? r->summary : "", false);
		for (j = 0; j < r->n_ev; j++) {
			fputs("%0Aevidence: ", out);
			data(out, r->ev[j].source, false);
			fputs(": ", out);
			data(out, r->ev[j].value, false);
		}
		if (r->remedy) {
			fputs("%0Aremedy: ", out);
			data(out, r->remedy, false);
		}
		fputc('\n', out);
	}
	fprintf(out, "::notice title=aic-guestcheck::");
	gc_report_oneline(out, rep);
	return 0;
}
