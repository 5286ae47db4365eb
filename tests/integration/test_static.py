#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The static executable (-DAICG_STATIC=ON) against the dynamic one on every fixture tree:
`file` must call it statically linked, and its JSON report, exit code and text report must be
the dynamic build's, field for field, but for the time of the run.
Usage: test_static.py DYNAMIC STATIC FIXTURES_DIR"""

import json
import os
import subprocess
import sys


def fixtures(root):
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if os.path.isfile(os.path.join(d, "expect.json")):
            yield name, d


def run(binary, args, env):
    p = subprocess.run([binary] + args, capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL, env=env)
    return p.returncode, p.stdout, p.stderr


def comparable(stdout):
    doc = json.loads(stdout)
    doc.pop("time", None)  # when the run started: the one field two runs may not share
    return doc


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {a!r} / {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in the {'dynamic' if k in a else 'static'} report"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} entries / {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} / {b!r}"


def main():
    dynamic, static, root = sys.argv[1], sys.argv[2], sys.argv[3]
    kind = subprocess.run(["file", "-L", static], capture_output=True, text=True).stdout
    if "statically linked" not in kind and "static-pie linked" not in kind:
        print(f"FAIL: {static} is not statically linked: {kind.strip()}")
        return 1
    tests = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    data = os.path.join(os.path.dirname(tests), "data")
    errs, n = [], 0
    for name, d in fixtures(root):
        with open(os.path.join(d, "expect.json")) as f:
            expect = json.load(f)
        env = dict(os.environ, **{k: v.replace("@TESTS@", tests) for k, v in expect.get("env", {}).items()})
        base = ["--sysroot", d, "--data-dir", data] + expect.get("args", [])
        for fmt in (["--format", "json"], []):
            dyn, sta = run(dynamic, fmt + base, env), run(static, fmt + base, env)
            what = "JSON" if fmt else "text"
            if dyn[0] != sta[0]:
                errs.append(f"{name} ({what}): exit {dyn[0]} dynamic, {sta[0]} static")
            if dyn[2] != sta[2]:
                errs.append(f"{name} ({what}): stderr differs: {dyn[2]!r} / {sta[2]!r}")
            if fmt:
                try:
                    diff = first_difference(comparable(dyn[1]), comparable(sta[1]))
                except json.JSONDecodeError as e:
                    diff = f"not JSON: {e}"
            else:
                diff = None if dyn[1] == sta[1] else "text reports differ"
            if diff:
                errs.append(f"{name} ({what}): {diff}")
        n += 1
    for e in errs:
        print(f"FAIL: {e}")
    if n == 0:
        print(f"FAIL: no fixture trees in {root}")
        return 1
    print(f"{n} fixture trees: static and dynamic {'differ' if errs else 'agree'}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
