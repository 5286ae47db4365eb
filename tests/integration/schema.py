# SPDX-License-Identifier: GPL-2.0-or-later
"""The documented shape of the JSON report (schema aic-guestcheck/1), as a checker.
README.md documents every field named here; test_cli.py keeps the two in step."""

import re

STATUSES = {"pass", "warn", "fail", "unknown", "skip"}
VERDICTS = {0: "ready", 1: "not-ready", 2: "undetermined"}

TOP = {"schema": str, "tool": dict, "time": str, "host": dict, "mode": str, "sysroot": (str, type(None)),
       "wait": (dict, type(None)),
       "privileged": bool,
       "verdict": str, "exit_code": int, "strict": bool, "platform": dict, "devices": list,
       "checks": list, "counts": dict}
# `aic-guestcheck image DIR`: no platform yet; what the image will boot instead.
TOP_IMAGE = dict({k: v for k, v in TOP.items() if k not in ("platform", "wait")}, image=dict)
IMAGE = {"kernels": list, "default_kernel": (str, type(None)), "default_from": str, "default_assumed": bool,
         "hyperv_sign": (str, type(None))}
IMAGE_KERNEL = {"release": str, "image": (str, type(None)), "modules": bool}
PLATFORM = {"hypervisor": str, "name": str, "xen_mode": (str, type(None)), "tcg": bool,
            "hyperv_enlightenments": bool, "decided_by": (str, type(None)), "signals": list,
            "kernel_release": (str, type(None))}
HOST = {"hostname": (str, type(None)), "machine_id": (str, type(None)), "os_id": (str, type(None)),
        "os_version_id": (str, type(None)), "os_pretty_name": (str, type(None)),
        "kernel_release": (str, type(None))}
DEVICE = {"address": str, "name": str, "vendor_id": str, "device_id": str, "class": str,
          "subsystem_vendor_id": (str, type(None)), "subsystem_id": (str, type(None)),
          "driver": (str, type(None)), "iommu_group": (str, type(None)), "numa_node": int,
          "bars": list, "accel": list, "msi": dict}
MSI = {"capability": str, "allocated_msi": (int, type(None)), "allocated_msix": (int, type(None))}
CHECK = {"id": str, "title": str, "status": str, "summary": str, "evidence": list,
         "remedy": (str, type(None)), "needs_root": bool}


def _fields(obj, spec, where, errs):
    for k, t in spec.items():
        if k not in obj:
            errs.append(f"{where}: missing {k}")
        elif not isinstance(obj[k], t) or (t is int and isinstance(obj[k], bool)):
            errs.append(f"{where}: {k} has type {type(obj[k]).__name__}")
    for k in obj:
        if k not in spec and not (spec is MSI and k in ("capable", "enabled", "enable_bit")):
            errs.append(f"{where}: undocumented field {k}")


def validate(doc):
    """Return a list of problems; empty when doc has the documented shape."""
    errs = []
    image = doc.get("mode") == "image"
    _fields(doc, TOP_IMAGE if image else TOP, "report", errs)
    if errs:
        return errs
    if doc["schema"] != "aic-guestcheck/1":
        errs.append(f"schema is {doc['schema']}")
    if doc["mode"] not in ("live", "sysroot", "image"):
        errs.append(f"mode is {doc['mode']}")
    if VERDICTS.get(doc["exit_code"]) != doc["verdict"]:
        errs.append(f"verdict {doc['verdict']} does not match exit code {doc['exit_code']}")
    if image:
        _fields(doc["image"], IMAGE, "image", errs)
        for k in doc["image"].get("kernels", []):
            _fields(k, IMAGE_KERNEL, "image.kernels[]", errs)
    else:
        _fields(doc["platform"], PLATFORM, "platform", errs)
    _fields(doc["host"], HOST, "host", errs)
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["time"]):
        errs.append(f"time {doc['time']} is not RFC 3339 UTC")
    for s in doc.get("platform", {}).get("signals", []):
        _fields(s, {"source": str, "value": str}, "platform.signals[]", errs)
    for d in doc["devices"]:
        _fields(d, DEVICE, f"device {d.get('address')}", errs)
        _fields(d.get("msi", {}), MSI, f"device {d.get('address')} msi", errs)
        for b in d.get("bars", []):
            _fields(b, {"index": int, "size": int, "assigned": bool}, "bar", errs)
    counts = {s: 0 for s in STATUSES}
    for c in doc["checks"]:
        _fields(c, CHECK, f"check {c.get('id')}", errs)
        if c.get("status") not in STATUSES:
            errs.append(f"check {c.get('id')}: status {c.get('status')}")
            continue
        counts[c["status"]] += 1
        for e in c.get("evidence", []):
            _fields(e, {"source": str, "value": str}, f"check {c['id']} evidence", errs)
        # Nothing passes without evidence.
        if c["status"] == "pass" and not c["evidence"]:
            errs.append(f"check {c['id']}: pass without evidence")
        if c["status"] in ("fail", "warn") and not c["remedy"]:
            errs.append(f"check {c['id']}: {c['status']} without a remedy")
    if counts != doc["counts"]:
        errs.append(f"counts {doc['counts']} do not match the checks {counts}")
    # The exit code is a function of the statuses alone.
    st = [c["status"] for c in doc["checks"]]
    want = 1 if "fail" in st or (doc["strict"] and "warn" in st) else 2 if "unknown" in st else 0
    if want != doc["exit_code"]:
        errs.append(f"exit code {doc['exit_code']} but the statuses give {want}")
    return errs
