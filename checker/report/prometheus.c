// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prometheus text exposition format for node_exporter's textfile collector
 * (prometheus/node_exporter collector/textfile.go reads *.prom in its
 * directory at each scrape). No timestamps on samples: the collector
 * rejects files that carry them; the run's time is a metric of its own.
 */
#include <errno.h>

#include "escape.h"
#include "report.h"

/* A label value: valid UTF-8, with \, " and newline escaped as the format asks. */
static void label(FILE *out, const char *s)
{
	char *c = gc_escape(s, 0), *p;

	for (p = c; *p; p++)
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	free(c);
}

static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

int gc_report_prometheus(FILE *out, const struct gc_report *rep)
{
	const struct gc_facts *f = rep->facts;
	size_t i;
	int s;

	family(out, "aic_guestcheck_ready",
	       "1 when the guest is ready for its Cloud AI 100 cards (exit status 0), else 0.");
	fprintf(out, "aic_guestcheck_ready %d\n", rep->exit_code == GC_EXIT_READY);
	family(out, "aic_guestcheck_exit_code",
	       "The checker's exit status: 0 ready, 1 not ready, 2 undetermined.");
	fprintf(out, "aic_guestcheck_exit_code %d\n", rep->exit_code);

	/* A state set: one series per check and status, 1 for the status it has. */
	family(out, "aic_guestcheck_check_status", "1 for the status the check has, 0 for the others.");
	for (i = 0; i < rep->n; i++)
		for (s = 0; s < _GC_STATUS_MAX; s++)
			fprintf(out, "aic_guestcheck_check_status{check=\"%s\",status=\"%s\"} %d\n",
				rep->res[i].check->id, gc_status_name((enum gc_status)s),
				rep->res[i].status == (enum gc_status)s);

	family(out, "aic_guestcheck_cards", "Cloud AI cards found on the PCI bus.");
	fprintf(out, "aic_guestcheck_cards %zu\n", f->pci.n_devs);
	family(out, "aic_guestcheck_card_msi_vectors",
	       "MSI and MSI-X vectors allocated to the card (its msi_irqs); absent when unreadable.");
	for (i = 0; i < f->pci.n_devs; i++) {
		const struct gc_pci_dev *d = &f->pci.devs[i];

		if (d->msi_irqs_err && d->msi_irqs_err != -ENOENT)
			continue;
		fputs("aic_guestcheck_card_msi_vectors{address=\"", out);
		label(out, d->f.addr);
		fprintf(out, "\",device_id=\"%04x\",driver=\"", d->f.device);
		label(out, d->driver ? d->driver : "");
		fprintf(out, "\"} %zu\n", (size_t)d->n_msi + (size_t)d->n_msix);
	}

	family(out, "aic_guestcheck_info", "Always 1; the labels say what was checked and by which version.");
	fprintf(out, "aic_guestcheck_info{version=\"%s\",hypervisor=\"%s\",kernel_release=\"", PROJECT_VERSION,
		gc_hv_id(f->platform.hv));
	label(out, f->mods.release ? f->mods.release : "");
	fputs("\"} 1\n", out);
	family(out, "aic_guestcheck_last_run_timestamp_seconds", "When the checks were judged, in Unix time.");
	fprintf(out, "aic_guestcheck_last_run_timestamp_seconds %lld\n", (long long)rep->when);
	return 0;
}
