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

shutil.rmtree(tmp)
if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
