#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The support bundle is a sysroot: bundle each fixture (and the live machine), unpack it,
replay it, and demand the verdicts of the original. Usage: test_bundle.py BINARY FIXTURES_DIR"""

import json
import os
import subprocess
import sys
import tarfile
import tempfile

BIN, FIX = sys.argv[1], sys.argv[2]
TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = 0


def verdicts(args, env):
    p = subprocess.run([BIN, "--format", "json", *args], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL, env=env)
    doc = json.loads(p.stdout)
    return p.returncode, {c["id"]: c["status"] for c in doc["checks"]}


def round_trip(name, sysroot, args, env):
    global failures
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "b.tar.gz")
        src = ["--sysroot", sysroot] if sysroot else []
        p = subprocess.run([BIN, "bundle", "-o", out, *src, *args], capture_output=True, text=True,
                           timeout=120, stdin=subprocess.DEVNULL, env=env)
        if p.returncode != 0:
            print(f"FAIL {name}: bundle exited {p.returncode}: {p.stderr}")
            failures += 1
            return
        with tarfile.open(out) as t:
            names = t.getnames()
            t.extractall(os.path.join(tmp, "x"))
        want = verdicts(src + args, env)
        got = verdicts(["--sysroot", os.path.join(tmp, "x"), *args], env)
        bad = [n for n in names if n.startswith("/") or ".." in n.split("/")]
        if got != want or bad or "aic-guestcheck-report.json" not in names:
            diff = {k: (want[1].get(k), got[1].get(k)) for k in want[1] if want[1].get(k) != got[1].get(k)}
            print(f"FAIL {name}: replay of the bundle differs: exit {want[0]} vs {got[0]}, {diff}, unsafe names {bad}")
            failures += 1
        else:
            print(f"ok   {name} ({len(names)} entries)")


for name in sorted(os.listdir(FIX)):
    path = os.path.join(FIX, name)
    exp = os.path.join(path, "expect.json")
    if not os.path.exists(exp):
        continue
    with open(exp) as f:
        expect = json.load(f)
    env = dict(os.environ, **{k: v.replace("@TESTS@", TESTS) for k, v in expect.get("env", {}).items()})
    round_trip(name, path, expect.get("args", []), env)
if not os.environ.get("AICG_TEST_NO_LIVE"):  # tests/CMakeLists.txt AICG_LIVE_TESTS=OFF
    round_trip("live", None, [], dict(os.environ))
print(f"bundle: {failures} failed")
sys.exit(1 if failures else 0)
