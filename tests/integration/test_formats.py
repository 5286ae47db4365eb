#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every report format read back by a reader of that format, and hostile bytes from the guest kept
out of terminals and out of the JSON's encoding.
Usage: test_formats.py BINARY FIXTURES_DIR"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

BIN, FIX = sys.argv[1], sys.argv[2]
failures = []


def run(*args, env=None):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e.update(env or {})
    return subprocess.run([BIN, *args], capture_output=True, timeout=60, stdin=subprocess.DEVNULL, env=e)


def expect(cond, what):
    if not cond:
        failures.append(what)
    print(("ok   " if cond else "FAIL ") + what)


def fx(name):
    return os.path.join(FIX, name)


tmp = tempfile.mkdtemp(prefix="aicg-formats-")

# Hostile bytes: a DMI product name and a qaic kernel log line carrying invalid UTF-8, a terminal
# title escape, a screen clear, a C1 CSI (U+009B), and a truncated sequence at the end.
HOSTILE_DMI = b"QEMU \xff\xfe\x1b]0;pwned\x07\x1b[2J\xc2\x9b31m caf\xc3\xa9\n"
HOSTILE_LOG = (b"[   12.000000] qaic 0000:01:00.0: Allocating 32 MSIs failed, operating in 1 MSI mode. "
               b"\xff\x1b[31mred\xe2\x80\n")
hostile = os.path.join(tmp, "hostile")
shutil.copytree(fx("card-qaic-1msi-fallback"), hostile, symlinks=True)
with open(os.path.join(hostile, "sys/class/dmi/id/product_name"), "wb") as f:
    f.write(HOSTILE_DMI)
with open(os.path.join(hostile, "dev/kmsg"), "wb") as f:
    f.write(HOSTILE_LOG)

p = run("--sysroot", hostile, "--format", "json")
try:
    doc = json.loads(p.stdout.decode("utf-8", errors="strict"))
except (UnicodeDecodeError, ValueError) as e:
    doc = None
    expect(False, f"hostile bytes: JSON is valid UTF-8 and parses ({e})")
if doc:
    values = [e["value"] for c in doc["checks"] for e in c["evidence"]]
    expect(any("QEMU \\xff\\xfe\x1b]0;pwned" in v and v.endswith("café") for v in values),
           "hostile DMI: malformed bytes kept visible as \\xNN, valid text (café) kept")
    expect(any(v.endswith("\\xff\x1b[31mred\\xe2\\x80") for v in values),
           "hostile kernel log line: a truncated sequence becomes \\xNN")
for locale in ("C", "POSIX"):
    for verb in ("-v", "-q"):
        p = run("--sysroot", hostile, verb, env={"LC_ALL": locale})
        bad = [b for b in p.stdout if b > 0x7e or (b < 0x20 and b not in (0x0a,))]
        expect(p.returncode == 1 and not bad and b"\\x1b]0;pwned" in p.stdout if verb == "-v" else not bad,
               f"LC_ALL={locale} {verb}: the text report is printable ASCII ({bytes(bad[:8])!r})")
p = run("--sysroot", hostile, "-v", env={"LC_ALL": "C.UTF-8"})
text = p.stdout.decode("utf-8", errors="strict")
expect("\x1b" not in text and "\x9b" not in text and "\x07" not in text and "café" in text
       and " \u00b7 " in text, "LC_ALL=C.UTF-8: no controls reach the terminal, UTF-8 text and · kept")
p = run("--sysroot", hostile, "--color=always", env={"LC_ALL": "C"})
expect(p.stdout.count(b"\x1b[") == p.stdout.count(b"\x1b[0m") * 2,
       "with colour, the only escapes are our colour pairs")

# When and where: read through the file layer, so a sysroot (or a bundle) carries its own host.
placed = os.path.join(tmp, "placed")
shutil.copytree(fx("card-qaic-32msi"), placed, symlinks=True)
for path, text in (("proc/sys/kernel/hostname", "guest-17\n"),
                   ("etc/machine-id", "5f3c0a0a1b2c4d5e8f90a1b2c3d4e5f6\n"),
                   ("etc/os-release", 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n')):
    os.makedirs(os.path.dirname(os.path.join(placed, path)), exist_ok=True)
    with open(os.path.join(placed, path), "w") as f:
        f.write(text)
before = time.time()
doc = json.loads(run("--sysroot", placed, "--format", "json").stdout)
when = datetime.datetime.strptime(doc["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
expect(abs(when.timestamp() - before) < 60, f"time is now, in UTC ({doc['time']})")
expect(doc["host"] == {"hostname": "guest-17", "machine_id": "5f3c0a0a1b2c4d5e8f90a1b2c3d4e5f6",
                       "os_id": "ubuntu", "os_version_id": "22.04", "os_pretty_name": "Ubuntu 22.04.4 LTS",
                       "kernel_release": "6.12.117+deb12-amd64"}, f"host read below --sysroot ({doc['host']})")


# JUnit, read with the standard XML parser and held to what Jenkins' readers validate
# (jenkinsci/xunit-plugin junit-10.xsd: testsuite needs name/tests/failures/errors, testcase needs
# name, children of testcase are skipped/error/failure/system-out/system-err) and GitLab counts.
def terminal_safe(text):
    """What the escaper makes of controls (C0 but newline, DEL, C1): \\xNN of their UTF-8 bytes."""
    return "".join("".join(f"\\x{b:02x}" for b in ch.encode()) if (ord(ch) < 0x20 and ch != "\n")
                   or 0x7f <= ord(ch) <= 0x9f else ch for ch in text)


def junit_checks(doc, root):
    if root.tag != "testsuites" or len(root) != 1 or root[0].tag != "testsuite":
        return ["root is not testsuites > testsuite"]
    suite, errs = root[0], []
    for a in ("name", "tests", "failures", "errors"):
        if a not in suite.attrib:
            errs.append(f"testsuite lacks {a}")
    cases = suite.findall("testcase")
    want = {"fail": "failure", "unknown": "error", "skip": "skipped", "pass": None,
            "warn": "failure" if doc["strict"] else None}
    if [c.get("name") for c in cases] != [c["id"] for c in doc["checks"]]:
        errs.append("one testcase per check, in order")
    for case, chk in zip(cases, doc["checks"]):
        kids = [k.tag for k in case]
        if not set(kids) <= {"skipped", "error", "failure", "system-out", "system-err"}:
            errs.append(f"{chk['id']}: children {kids}")
        elem = want[chk["status"]]
        got = [k for k in case if k.tag in ("failure", "error", "skipped")]
        if (elem is None and got) or (elem and [k.tag for k in got] != [elem]):
            errs.append(f"{chk['id']} ({chk['status']}) became {[k.tag for k in got]}")
        for k in got:
            if k.get("message") != terminal_safe(chk["summary"]):
                errs.append(f"{chk['id']}: message {k.get('message')!r}")
            for e in chk["evidence"]:
                if terminal_safe(f"evidence: {e['source']}: {e['value']}") not in (k.text or ""):
                    errs.append(f"{chk['id']}: evidence {e} missing")
            if chk["remedy"] and terminal_safe(f"remedy: {chk['remedy']}") not in (k.text or ""):
                errs.append(f"{chk['id']}: remedy missing")
    n = {s: sum(c["status"] == s for c in doc["checks"]) for s in ("fail", "unknown", "skip", "warn")}
    fails = n["fail"] + (n["warn"] if doc["strict"] else 0)
    if (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) != \
            (str(len(doc["checks"])), str(fails), str(n["unknown"]), str(n["skip"])):
        errs.append(f"counts {suite.attrib}")
    return errs


import xml.etree.ElementTree as ET  # noqa: E402
cases = [(fx(n), a) for n in sorted(os.listdir(FIX)) if os.path.isfile(os.path.join(FIX, n, "expect.json"))
         for a in ([], ["--strict"])] + [(hostile, [])]
for tree, extra in cases:
    # One run, both renderings: the JSON is the reference for the JUnit.
    xml_path = os.path.join(tmp, "junit.xml")
    j = run("--sysroot", tree, "--format", "json", "--report", f"junit:{xml_path}", *extra)
    try:
        with open(xml_path, "rb") as f:
            errs = junit_checks(json.loads(j.stdout), ET.fromstring(f.read()))
    except ET.ParseError as e:
        errs = [f"not XML: {e}"]
    if errs:
        expect(False, f"junit {os.path.basename(tree)} {extra}: {errs[:3]}")
expect(True, f"junit: {len(cases)} runs parse as XML, one testcase per check, same exit status as JSON")

# Prometheus text format, read by the reference client library's parser.
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:  # a package build root without python3-prometheus-client
    print("skip prometheus: python3-prometheus-client is not installed (install-deps.sh --test brings it)")
    text_string_to_metric_families = None
for tree in ([] if text_string_to_metric_families is None else
             (fx("card-two-qaic-32msi"), fx("card-qaic-1msi-fallback"), fx("card-no-driver-nonroot"), hostile)):
    j = json.loads(run("--sysroot", tree, "--format", "json").stdout)
    p = run("--sysroot", tree, "--format", "prometheus")
    fam = {f.name: f for f in text_string_to_metric_families(p.stdout.decode("utf-8", errors="strict"))}
    val = {f: [(s.labels, s.value) for s in fam[f].samples] for f in fam}
    name = os.path.basename(tree)
    expect(val["aic_guestcheck_ready"] == [({}, float(j["exit_code"] == 0))]
           and val["aic_guestcheck_exit_code"] == [({}, float(j["exit_code"]))], f"prometheus {name}: readiness")
    st = {(lb["check"], lb["status"]): v for lb, v in val["aic_guestcheck_check_status"]}
    expect(all(st[(c["id"], s)] == float(c["status"] == s) for c in j["checks"]
               for s in ("pass", "warn", "fail", "unknown", "skip")) and len(st) == 5 * len(j["checks"]),
           f"prometheus {name}: one series per check and status, 1 on the status held")
    expect(val["aic_guestcheck_cards"] == [({}, float(len(j["devices"])))], f"prometheus {name}: cards")
    vec = {lb["address"]: v for lb, v in val["aic_guestcheck_card_msi_vectors"]}
    want = {d["address"]: float(d["msi"]["allocated_msi"] + d["msi"]["allocated_msix"])
            for d in j["devices"] if d["msi"]["allocated_msi"] is not None}
    expect(vec == want, f"prometheus {name}: vectors per card {vec}")
    ts = val["aic_guestcheck_last_run_timestamp_seconds"][0][1]
    expect(abs(ts - time.time()) < 60 and all(f.type == "gauge" for f in fam.values()),
           f"prometheus {name}: time of the run, gauges")


# NFD: the local source's parser (source/local/local.go parseFeatureFile), and Kubernetes label
# value syntax (63 characters, alphanumeric at both ends, - _ . inside).
def nfd_labels(text):
    labels = {}
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            if line.startswith("# +"):
                raise ValueError(f"directive {line}")
            continue
        k, _, v = line.partition("=")
        labels["feature.node.kubernetes.io/" + k if "/" not in k else k] = v if "=" in line else "true"
    return labels


import re  # noqa: E402
for tree in (fx("card-two-qaic-32msi"), fx("card-qaic-1msi-fallback"), fx("card-no-driver-nonroot"),
             fx("bare-metal")):
    j = json.loads(run("--sysroot", tree, "--format", "json").stdout)
    out = run("--sysroot", tree, "--format", "nfd").stdout
    lab = nfd_labels(out.decode("ascii"))
    name = os.path.basename(tree)
    P = "feature.node.kubernetes.io/aic-guestcheck."
    ok = all(re.fullmatch(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", v) and len(v) <= 63
             for v in lab.values()) and len(out) < 65536
    expect(ok, f"nfd {name}: label values valid for Kubernetes, file under NFD's 64 KiB")
    vecs = [d["msi"]["allocated_msi"] + d["msi"]["allocated_msix"] for d in j["devices"]
            if d["msi"]["allocated_msi"] is not None]
    want = {P + "ready": "true" if j["exit_code"] == 0 else "false", P + "verdict": j["verdict"],
            P + "cards": str(len(j["devices"])), P + "hypervisor": j["platform"]["hypervisor"]}
    if j["devices"] and len(vecs) == len(j["devices"]):
        want[P + "msi-vectors"] = str(min(vecs))
    expect(lab == want, f"nfd {name}: {lab}")

# GitHub annotations: one workflow command per check that did not pass, each one line.
j = json.loads(run("--sysroot", hostile, "--format", "json").stdout)
lines = run("--sysroot", hostile, "--format", "github").stdout.decode("utf-8", errors="strict").splitlines()
kind = {"fail": "error", "unknown": "error", "warn": "warning"}
want = [(kind[c["status"]], c["id"]) for c in j["checks"] if c["status"] in kind]
got = [re.match(r"::(error|warning) title=([^:]+)::", ln).groups() for ln in lines[:-1]]
expect(got == want and lines[-1].startswith(
    "::notice title=aic-guestcheck::NOT READY") and all("\x1b" not in ln for ln in lines),
    "github: an annotation per check that did not pass, then the verdict")

shutil.rmtree(tmp)
if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
