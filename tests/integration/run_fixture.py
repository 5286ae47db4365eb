#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the built aic-guestcheck on one fixture sysroot and hold its JSON to expect.json.
Usage: run_fixture.py BINARY FIXTURE_DIR"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema  # noqa: E402


def main():
    binary, fixture = sys.argv[1], os.path.normpath(sys.argv[2])
    with open(os.path.join(fixture, "expect.json")) as f:
        expect = json.load(f)
    # The shipped data (guest-os.d, hyperv-fixes.d) from the source tree.
    data = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data")
    args = [binary, "--format", "json", "--sysroot", fixture, "--data-dir", data] + expect.get("args", [])
    # "@TESTS@" in an environment value stands for the tests directory.
    tests = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, **{k: v.replace("@TESTS@", tests) for k, v in expect.get("env", {}).items()})
    p = subprocess.run(args, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, env=env)
    errs = []
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError as e:
        print(f"FAIL: output is not JSON ({e}); stderr: {p.stderr}")
        return 1
    errs += schema.validate(doc)
    if p.returncode != expect["exit"]:
        errs.append(f"exit {p.returncode}, expected {expect['exit']}")
    if doc.get("exit_code") != p.returncode:
        errs.append(f"exit_code field {doc.get('exit_code')} but the process exited {p.returncode}")
    got = {c["id"]: c for c in doc.get("checks", [])}
    for cid, st in expect["checks"].items():
        if cid not in got:
            errs.append(f"{cid}: missing")
        elif got[cid]["status"] != st:
            errs.append(f"{cid}: {got[cid]['status']}, expected {st} ({got[cid]['summary']})")
    for cid, text in expect.get("summary_contains", {}).items():
        if cid in got and text not in got[cid]["summary"]:
            errs.append(f"{cid}: summary {got[cid]['summary']!r} lacks {text!r}")
    for cid, text in expect.get("evidence_contains", {}).items():
        ev = " | ".join(f"{e['source']} {e['value']}" for e in got.get(cid, {}).get("evidence", []))
        if text not in ev:
            errs.append(f"{cid}: evidence lacks {text!r}: {ev}")
    for cid in expect.get("needs_root", []):
        if cid in got and not got[cid]["needs_root"]:
            errs.append(f"{cid}: not marked needs_root")
    if "devices" in expect and len(doc.get("devices", [])) != expect["devices"]:
        errs.append(f"{len(doc.get('devices', []))} devices, expected {expect['devices']}")
    for key, val in expect.get("platform", {}).items():
        if doc.get("platform", {}).get(key) != val:
            errs.append(f"platform.{key} is {doc.get('platform', {}).get(key)!r}, expected {val!r}")
    # The text report must agree on the exit code and end with the verdict.
    t = subprocess.run(args[:1] + ["--sysroot", fixture, "--data-dir", data] + expect.get("args", []), capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL, env=env)
    if t.returncode != p.returncode:
        errs.append(f"text report exits {t.returncode}, JSON {p.returncode}")
    last = t.stdout.strip().splitlines()[-1] if t.stdout.strip() else ""
    if f"(exit {p.returncode})" not in last:
        errs.append(f"text report's last line is {last!r}")
    for e in errs:
        print(f"FAIL {os.path.basename(fixture)}: {e}")
    if not errs:
        print(f"ok {os.path.basename(fixture)}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
