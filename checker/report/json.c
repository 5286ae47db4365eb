// SPDX-License-Identifier: GPL-2.0-or-later
/* The machine report (schema aic-guestcheck/1), built with json-c so escaping is never ours. */
#include <errno.h>

#include <json-c/json.h>

#include "escape.h"
#include "report.h"
#include "../image/image.h"

/*
 * Every string goes through here: json-c escapes quotes and controls but
 * passes bytes through, and a report must be UTF-8 (RFC 8259 section 8.1)
 * even when a DMI string or a kernel log line is not.
 */
static json_object *jstr(const char *s)
{
	char *clean = gc_escape(s, 0);
	json_object *o = json_object_new_string(clean);

	free(clean);
	return o;
}

/* json_object_new_uint64 is new in json-c 0.14; RHEL 8 ships 0.13. */
static struct json_object *new_u64(uint64_t v)
{
#if defined(JSON_C_VERSION_NUM) && JSON_C_VERSION_NUM >= ((0 << 16) | (14 << 8))
	return json_object_new_uint64(v);
#else
	return v <= INT64_MAX ? json_object_new_int64((int64_t)v) : json_object_new_double((double)v);
#endif
}

static json_object *str_or_null(const char *s)
{
	return s ? jstr(s) : NULL;
}

static json_object *hex4(unsigned v)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "%04x", v & 0xffff);
	return jstr(buf);
}

/* RFC 3339, UTC, seconds: "2026-12-02T11:20:03Z". */
static json_object *rfc3339_utc(time_t t)
{
	char buf[32];
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return jstr(buf);
}

/* --wait: null when not asked. */
static json_object *wait_json(const struct gc_report *rep)
{
	const struct gc_wait *w = rep->wait;
	json_object *o;
	char ms[32];

	if (!w || !w->asked)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "timeout_seconds", json_object_new_int(rep->opts->wait_seconds));
	/* Milliseconds are enough; json-c would print the double's full binary expansion. */
	snprintf(ms, sizeof(ms), "%.3f", w->waited);
	json_object_object_add(o, "waited_seconds", json_object_new_double_s(w->waited, ms));
	json_object_object_add(o, "settled", json_object_new_boolean(w->settled));
	json_object_object_add(o, "pending", str_or_null(w->pending));
	return o;
}

/* Where the facts came from: with --sysroot, the captured machine's. */
static json_object *host_json(const struct gc_facts *f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "hostname", str_or_null(f->host.hostname));
	json_object_object_add(o, "machine_id", str_or_null(f->host.machine_id));
	json_object_object_add(o, "os_id", str_or_null(f->os.id));
	json_object_object_add(o, "os_version_id", str_or_null(f->os.version_id));
	json_object_object_add(o, "os_pretty_name", str_or_null(f->os.pretty_name));
	json_object_object_add(o, "kernel_release", str_or_null(f->mods.release));
	return o;
}

static json_object *device_json(const struct gc_pci_dev *d)
{
	json_object *o = json_object_new_object(), *bars = json_object_new_array();
	json_object *msi = json_object_new_object(), *accel = json_object_new_array();
	char cls[8];
	size_t i;

	snprintf(cls, sizeof(cls), "%06x", d->f.class & 0xffffff);
	json_object_object_add(o, "address", jstr(d->f.addr));
	json_object_object_add(o, "name", jstr(d->name));
	json_object_object_add(o, "vendor_id", hex4(d->f.vendor));
	json_object_object_add(o, "device_id", hex4(d->f.device));
	json_object_object_add(o, "class", jstr(cls));
	json_object_object_add(o, "subsystem_vendor_id", d->has_subsys ? hex4(d->subsys_vendor) : NULL);
	json_object_object_add(o, "subsystem_id", d->has_subsys ? hex4(d->subsys_device) : NULL);
	json_object_object_add(o, "driver", str_or_null(d->driver));
	json_object_object_add(o, "iommu_group", str_or_null(d->iommu_group));
	json_object_object_add(o, "numa_node", json_object_new_int(d->numa_node));
	for (i = 0; i < d->n_bars; i++) {
		json_object *b = json_object_new_object();

		json_object_object_add(b, "index", json_object_new_int((int)d->bars[i].index));
		json_object_object_add(b, "size", new_u64(d->bars[i].size));
		json_object_object_add(b, "assigned", json_object_new_boolean(d->bars[i].assigned));
		json_object_array_add(bars, b);
	}
	json_object_object_add(o, "bars", bars);
	for (i = 0; i < d->n_accel; i++)
		json_object_array_add(accel, jstr(d->accel[i]));
	json_object_object_add(o, "accel", accel);

	json_object_object_add(msi, "capability", jstr(
		d->cfg_err ? "unreadable" : gc_cap_state_str(d->caps.msi.state)));
	if (d->caps.msi.state == GC_CAP_FOUND && !d->cfg_err) {
		json_object_object_add(msi, "capable", json_object_new_int((int)d->caps.msi.capable));
		json_object_object_add(msi, "enabled", json_object_new_int((int)d->caps.msi.enabled_n));
		json_object_object_add(msi, "enable_bit", json_object_new_boolean(d->caps.msi.enabled));
	}
	if (d->msi_irqs_err == 0 || d->msi_irqs_err == -ENOENT) {
		json_object_object_add(msi, "allocated_msi", json_object_new_int((int)d->n_msi));
		json_object_object_add(msi, "allocated_msix", json_object_new_int((int)d->n_msix));
	} else {
		json_object_object_add(msi, "allocated_msi", NULL);
		json_object_object_add(msi, "allocated_msix", NULL);
	}
	json_object_object_add(o, "msi", msi);
	return o;
}

static json_object *check_json(const struct gc_result *r)
{
	json_object *o = json_object_new_object(), *ev = json_object_new_array();
	size_t i;

	json_object_object_add(o, "id", jstr(r->check->id));
	json_object_object_add(o, "title", jstr(r->check->title));
	json_object_object_add(o, "status", jstr(gc_status_name(r->status)));
	json_object_object_add(o, "summary", jstr(r->summary ? r->summary : ""));
	for (i = 0; i < r->n_ev; i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "source", jstr(r->ev[i].source));
		json_object_object_add(e, "value", jstr(r->ev[i].value));
		json_object_array_add(ev, e);
	}
	json_object_object_add(o, "evidence", ev);
	json_object_object_add(o, "remedy", str_or_null(r->remedy));
	json_object_object_add(o, "needs_root", json_object_new_boolean(r->needs_root));
	return o;
}

int gc_report_json(FILE *out, const struct gc_report *rep)
{
	const struct gc_facts *f = rep->facts;
	json_object *root = json_object_new_object(), *tool = json_object_new_object();
	json_object *platform = json_object_new_object(), *devs = json_object_new_array();
	json_object *checks = json_object_new_array(), *counts = json_object_new_object(), *sig;
	size_t i, c[_GC_STATUS_MAX] = { 0 };

	json_object_object_add(root, "schema", jstr(GC_SCHEMA));
	json_object_object_add(tool, "name", jstr("aic-guestcheck"));
	json_object_object_add(tool, "version", jstr(PROJECT_VERSION));
	json_object_object_add(root, "tool", tool);
	json_object_object_add(root, "time", rfc3339_utc(rep->when));
	json_object_object_add(root, "host", host_json(f));
	json_object_object_add(root, "mode", jstr(rep->image ? "image" : f->live ? "live" : "sysroot"));
	if (rep->image) {
		gc_image_json(root, rep->image);
	} else {
		json_object_object_add(root, "sysroot", f->live ? NULL : jstr(f->sysroot));
		json_object_object_add(root, "wait", wait_json(rep));
		json_object_object_add(root, "privileged", json_object_new_boolean(f->privileged));
	}
	json_object_object_add(root, "verdict", jstr(gc_verdict_name(rep->exit_code)));
	json_object_object_add(root, "exit_code", json_object_new_int(rep->exit_code));
	json_object_object_add(root, "strict", json_object_new_boolean(rep->opts->strict));

	if (rep->image) {
		/* An image has no platform yet and no cards: those are decided at boot. */
		json_object_put(platform);
		json_object_object_add(root, "devices", devs);
		goto checks;
	}
	json_object_object_add(platform, "hypervisor", jstr(gc_hv_id(f->platform.hv)));
	json_object_object_add(platform, "name", jstr(gc_hv_name(f->platform.hv)));
	json_object_object_add(platform, "xen_mode", f->platform.hv == GC_HV_XEN
		? jstr(gc_xen_mode_name(f->platform.xen)) : NULL);
	json_object_object_add(platform, "tcg", json_object_new_boolean(f->platform.tcg));
	json_object_object_add(platform, "hyperv_enlightenments",
			       json_object_new_boolean(f->platform.hv_enlightened));
	json_object_object_add(platform, "decided_by", str_or_null(f->platform.decided_by));
	sig = json_object_new_array();
	for (i = 0; i < f->platform.n_sig; i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "source", jstr(f->platform.sig[i].source));
		json_object_object_add(e, "value", jstr(f->platform.sig[i].value));
		json_object_array_add(sig, e);
	}
	json_object_object_add(platform, "signals", sig);
	json_object_object_add(platform, "kernel_release", str_or_null(f->mods.release));
	json_object_object_add(root, "platform", platform);

	for (i = 0; i < f->pci.n_devs; i++)
		json_object_array_add(devs, device_json(&f->pci.devs[i]));
	json_object_object_add(root, "devices", devs);
checks:
	for (i = 0; i < rep->n; i++) {
		json_object_array_add(checks, check_json(&rep->res[i]));
		c[rep->res[i].status]++;
	}
	json_object_object_add(root, "checks", checks);
	for (i = 0; i < _GC_STATUS_MAX; i++)
		json_object_object_add(counts, gc_status_name((enum gc_status)i),
				       json_object_new_int((int)c[i]));
	json_object_object_add(root, "counts", counts);

	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							   JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
	json_object_put(root);
	return 0;
}

/* list-checks --format json: the closed vocabulary of check IDs, for scripts. */
int gc_report_checks_json(FILE *out)
{
	json_object *root = json_object_new_object(), *checks = json_object_new_array();
	size_t i;

	json_object_object_add(root, "schema", jstr(GC_SCHEMA));
	for (i = 0; i < gc_n_checks; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "id", jstr(gc_checks[i].id));
		json_object_object_add(c, "title", jstr(gc_checks[i].title));
		json_object_array_add(checks, c);
	}
	for (i = 0; gc_image_only_check(i); i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "id", jstr(gc_image_only_check(i)->id));
		json_object_object_add(c, "title", jstr(gc_image_only_check(i)->title));
		json_object_object_add(c, "image_only", json_object_new_boolean(true));
		json_object_array_add(checks, c);
	}
	json_object_object_add(root, "checks", checks);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							   JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
	json_object_put(root);
	return 0;
}
