#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the checker live on the build machine. It has no card, so it must say
not ready (exit 1), with a valid report and device.present failing for that reason."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema  # noqa: E402

p = subprocess.run([sys.argv[1], "--format", "json"], capture_output=True, text=True, timeout=120,
                   stdin=subprocess.DEVNULL)
doc = json.loads(p.stdout)
errs = schema.validate(doc)
present = next(c for c in doc["checks"] if c["id"] == "device.present")
if present["status"] != "fail" or "no Cloud AI" not in present["summary"]:
    errs.append(f"device.present: {present['status']} {present['summary']}")
if p.returncode != 1 or doc["exit_code"] != 1:
    errs.append(f"exit {p.returncode}, expected 1 (no card on this machine)")
if doc["sysroot"] is not None:
    errs.append("a live run names a sysroot")
t = subprocess.run([sys.argv[1]], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
if t.returncode != 1 or "NOT READY" not in t.stdout:
    errs.append(f"text report: exit {t.returncode}")
for e in errs:
    print("FAIL", e)
print(f"live: platform {doc['platform']['name']}, verdict {doc['verdict']}")
sys.exit(1 if errs else 0)
