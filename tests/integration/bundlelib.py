# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by the bundle tests: the binary, the fixtures and their verdicts."""

import json
import os
import subprocess
import sys

BIN, FIX = sys.argv[1], sys.argv[2]
TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, env=None, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, env=env, **kw)


def verdicts(args, env=None):
    """(exit code, {check: status}) of a check run, or the error when it gave no report."""
    p = run(["--format", "json", *args], env)
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError:
        return p.returncode, p.stderr.strip()
    return p.returncode, {c["id"]: c["status"] for c in doc["checks"]}


def fixtures():
    """(name, path, args, env) of every fixture with an expect.json."""
    for name in sorted(os.listdir(FIX)):
        path = os.path.join(FIX, name)
        exp = os.path.join(path, "expect.json")
        if not os.path.exists(exp):
            continue
        with open(exp) as f:
            expect = json.load(f)
        env = dict(os.environ, **{k: v.replace("@TESTS@", TESTS) for k, v in expect.get("env", {}).items()})
        yield name, path, expect.get("args", []), env
