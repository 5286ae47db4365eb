#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The command line contract: options, exit codes, formats, and README agreeing with them.
Usage: test_cli.py BINARY FIXTURES_DIR"""

import json
import os
import re
import subprocess
import sys

BIN, FIX = sys.argv[1], sys.argv[2]
README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")
failures = []


def run(*args, env=None):
    e = dict(os.environ, **(env or {}))
    e.pop("NO_COLOR", None) if env is None or "NO_COLOR" not in env else None
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=e)


def expect(cond, what):
    if not cond:
        failures.append(what)
    print(("ok   " if cond else "FAIL ") + what)


def fx(name):
    return os.path.join(FIX, name)


p = run("--help")
expect(p.returncode == 0 and "Usage: aic-guestcheck" in p.stdout, "--help prints usage, exit 0")
for opt in ("--sysroot", "--format", "--only", "--skip", "--strict", "--expect-devices", "--device-id",
            "--msi-vectors", "--data-dir", "--output", "--quiet", "--verbose", "--no-color", "--version"):
    expect(opt in p.stdout, f"--help documents {opt}")
MAN = os.path.join(os.path.dirname(README), "packaging", "aic-guestcheck.1")
man = open(MAN).read().replace("\\-", "-")
for opt in re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", p.stdout, re.M):
    expect(opt in man, f"the manual page documents {opt}")

p = run("--version")
expect(p.returncode == 0 and re.match(r"aic-guestcheck \d+\.\d+\.\d+ \(schema aic-guestcheck/1\)", p.stdout),
       "--version")

p = run("list-checks")
ids = [line.split()[0] for line in p.stdout.splitlines()]
expect(p.returncode == 0 and "device.msi" in ids and "iommu.interrupt-remapping" in ids, "list-checks")
readme = open(README).read()
for cid in ids:
    expect(f"`{cid}`" in readme, f"README documents check {cid}")
documented = set(re.findall(r"^\| `([a-z]+\.[a-z-]+)` \|", readme, re.M))
expect(documented == set(ids), f"README check table matches list-checks ({sorted(documented ^ set(ids))})")

for bad in (["--bogus"], ["--format", "xml"], ["--only", "no.such-check"], ["--skip", "x"],
            ["--expect-devices", "two"], ["--expect-devices", "0"], ["--device-id", "17cb"], ["--msi-vectors", "0"],
            ["extra-arg"], ["--sysroot", "/nonexistent/dir"], ["--color=sometimes"],
            ["bundle", "-o", "/nonexistent/dir/x.tar.gz"],
            # An option that does not apply to the subcommand is refused, not ignored.
            ["bundle", "--format", "json"], ["list-checks", "--format", "junit"], ["bundle", "-q"],
            ["list-checks", "--sysroot", FIX], ["list-checks", "--strict"], ["bundle", "--report", "json:x"],
            ["--report", "json"], ["--report", "xml:x"]):
    p = run(*bad)
    expect(p.returncode == 3 and p.stdout == "", f"usage error {bad} exits 3 with nothing on stdout")
    expect(all(line.startswith("aic-guestcheck: ") or line.startswith("Try 'aic-guestcheck --help'")
               for line in p.stderr.splitlines()) and p.stderr,
           f"usage error {bad}: every message names the program once ({p.stderr.strip()!r})")

ready = fx("card-qaic-32msi")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data")
p = run("--sysroot", ready, "--format", "json", "--data-dir", DATA)
doc = json.loads(p.stdout)
expect(p.returncode == 0 and doc["verdict"] == "ready", "ready fixture exits 0")
p = run("--sysroot", ready, "--only", "device.msi,device.present", "--format", "json")
expect([c["id"] for c in json.loads(p.stdout)["checks"]] == ["device.present", "device.msi"], "--only")
p = run("--sysroot", ready, "--skip", "device.msi", "--format", "json")
expect("device.msi" not in [c["id"] for c in json.loads(p.stdout)["checks"]], "--skip")

warn = fx("e2e-q35-viommu-guest-intel-iommu-off")
p = run("--sysroot", warn, "--only", "kernel.cmdline")
expect(p.returncode == 0 and "READY with 1 warning" in p.stdout, "a warning alone is ready (exit 0)")
p = run("--sysroot", warn, "--only", "kernel.cmdline", "--strict", "--format", "json")
expect(p.returncode == 1 and json.loads(p.stdout)["strict"] is True, "--strict turns a warning into exit 1")

p = run("--sysroot", ready, "-q", "--skip", "guest.os")  # Debian 12 is not in the vendor's list
expect(p.returncode == 0 and "PASS" not in p.stdout and p.stdout.strip().endswith("READY (exit 0)"),
       "-q prints only the verdict when all pass")
p = run("--sysroot", fx("card-qaic-1msi-fallback"), "-q")
expect("FAIL     device.msi" in p.stdout and "PASS" not in p.stdout, "-q keeps the failures")
p = run("--sysroot", ready, "-v")
expect("evidence" in p.stdout and "device.msi\n  evidence" in p.stdout, "-v shows evidence of passed checks")
p = run("--sysroot", ready)
expect("\033[" not in p.stdout, "no colour when stdout is not a terminal")

p = run("--sysroot", fx("card-no-driver-nonroot"), "--skip", "device.driver")
expect(p.returncode == 2 and "needs root to decide: device.msi" in p.stdout and "UNDETERMINED" in p.stdout,
       "undetermined exits 2 and names the checks that need root")

p = run("--sysroot", fx("hyperv-no-vpci"), "--skip", "device.present", "--format", "json")
st = {c["id"]: c["status"] for c in json.loads(p.stdout)["checks"]}
expect(p.returncode == 1 and st["device.driver"] == "fail" and st["device.msi"] == "fail",
       "without device.present, no card is not ready")

p = run("list-checks", "--format", "json")
lc = json.loads(p.stdout)
expect(p.returncode == 0 and lc["schema"] == "aic-guestcheck/1" and [c["id"] for c in lc["checks"]] == ids
       and all(c["title"] for c in lc["checks"]), "list-checks --format json lists the same checks")

# Colour: auto is a terminal only; always forces it; NO_COLOR, TERM=dumb and never refuse it.
p = run("--sysroot", ready, "--color=always")
expect("\033[32mPASS" in p.stdout, "--color=always colours even into a pipe")
p = run("--sysroot", ready, "--color")
expect("\033[32mPASS" in p.stdout, "bare --color means always")
for args, env in ((["--color=never"], None), (["--color=always", "--no-color"], None),
                  (["--color=auto"], {"NO_COLOR": "1"}), (["--color=auto"], {"TERM": "dumb"})):
    p = run("--sysroot", ready, *args, env=env)
    expect("\033[" not in p.stdout, f"no colour with {args} {env}")

# --output and --report: whole files, the same run.
import tempfile
with tempfile.TemporaryDirectory() as td:
    out, extra = os.path.join(td, "r.json"), os.path.join(td, "r.txt")
    open(out, "w").write("old")
    p = run("--sysroot", fx("card-qaic-1msi-fallback"), "--format", "json", "-o", out,
            "--report", f"text:{extra}", "--report", f"oneline:{os.path.join(td, 'v')}")
    doc = json.loads(open(out).read())
    expect(p.returncode == 1 and p.stdout == "" and doc["verdict"] == "not-ready", "-o FILE gets the report")
    expect(os.stat(out).st_mode & 0o777 == 0o644, "the report is readable by all, like /proc")
    expect("NOT READY" in open(extra).read(), "--report text:FILE gets the text report")
    line = open(os.path.join(td, "v")).read()
    failed = [c["id"] for c in doc["checks"] if c["status"] == "fail"]
    expect(line == f"NOT READY: {len(failed)} checks failed ({', '.join(failed)}) (exit 1)\n",
           f"oneline is one line naming the failed checks ({line!r})")
    expect(sorted(os.listdir(td)) == ["r.json", "r.txt", "v"], "no temporary file left behind")
    p = run("--sysroot", ready, "-o", os.path.join(td, "missing", "r.json"))
    expect(p.returncode == 3 and "cannot write" in p.stderr, "an unwritable -o exits 3")

# --wait: the stand-in's driver binds (its sysfs "driver" link appears) after the checker started.
import shutil
import threading
with tempfile.TemporaryDirectory() as td:
    tree = os.path.join(td, "t")
    shutil.copytree(fx("e2e-q35-viommu-ir"), tree, symlinks=True)
    dev = os.path.join(tree, "sys/devices/pci0000:00/0000:00:01.0")
    os.unlink(os.path.join(dev, "driver"))
    args = ["--sysroot", tree, "--device-id", "1033:0194", "--format", "json"]
    p = run(*args, "--wait", "1")
    doc = json.loads(p.stdout)
    expect(doc["wait"]["settled"] is False and doc["wait"]["waited_seconds"] >= 1
           and "0000:00:01.0 has no driver bound yet" == doc["wait"]["pending"] and doc["devices"][0]["driver"] is None,
           f"--wait gives up at its deadline and says which card it waited for ({doc['wait']})")
    t = threading.Timer(2.0, lambda: os.symlink("../../../bus/pci/drivers/xhci_hcd", os.path.join(dev, "driver")))
    t.start()
    p = run(*args, "--wait", "30")
    t.join()
    doc = json.loads(p.stdout)
    # The checker starts a moment after the timer, so it waits somewhat less than 2 s.
    expect(doc["wait"]["settled"] is True and 0.5 <= doc["wait"]["waited_seconds"] < 29
           and doc["devices"][0]["driver"] == "xhci_hcd",
           f"--wait returns once the driver binds, and judges the bound card ({doc['wait']})")
    p = run(*args)
    expect(json.loads(p.stdout)["wait"] is None, "without --wait, wait is null")
    # The device directory replaced whole (as sysfs re-creates one): each poll looks anew, also
    # when the card is the only function, so that its directory would stay among those held.
    os.unlink(os.path.join(dev, "driver"))
    bus = os.path.join(tree, "sys/bus/pci/devices")
    for name in os.listdir(bus):
        if name != "0000:00:01.0":
            os.unlink(os.path.join(bus, name))
    shutil.copytree(dev, dev + ".new", symlinks=True)
    os.symlink("../../../bus/pci/drivers/xhci_hcd", os.path.join(dev + ".new", "driver"))
    t = threading.Timer(1.5, lambda: (os.rename(dev, dev + ".old"), os.rename(dev + ".new", dev)))
    t.start()
    p = run(*args, "--wait", "30")
    t.join()
    doc = json.loads(p.stdout)
    expect(doc["wait"]["settled"] is True and doc["wait"]["waited_seconds"] < 29
           and doc["devices"][0]["driver"] == "xhci_hcd",
           f"--wait sees a device directory replaced while it polls ({doc['wait']})")
p = run("--sysroot", fx("card-no-driver"), "--wait", "30", "--format", "json")
doc = json.loads(p.stdout)
expect(doc["wait"]["settled"] is True and doc["wait"]["waited_seconds"] < 5,
       "--wait does not wait for a card no installed module would bind")

p = subprocess.run(f"{BIN} --sysroot {ready} > /dev/full", shell=True, capture_output=True, text=True)
expect(p.returncode == 3 and "write error" in p.stderr, "a write error exits 3")

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
