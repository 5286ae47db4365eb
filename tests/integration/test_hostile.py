#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile trees: escaping links and special files at every level libpci, libkmod and the
file layer walk, run under the openguard LD_PRELOAD library (tests/guard/openguard.c), which
records every open outside the tree and every FIFO, socket or device node opened inside it.

Each case plants its link or special file in a copy of a real fixture; the links lead to a
decoy tree outside it (a different card, other module indexes, another command line) so that a
read that escaped also shows in the verdicts. Every case runs twice: with openat2 and with the
file layer's own walk (AIC_GUESTCHECK_NO_OPENAT2=1, as on kernels before 5.6). A case fails on
any guard report, a hang (60 s), a crash or sanitizer report, invalid JSON, or the decoy showing.

usage: test_hostile.py BINARY GUARD_SO FIXTURES_DIR
"""
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from preload import guard_preload  # noqa: E402

BINARY, GUARD, FIXTURES = sys.argv[1:4]
BASE = "card-no-driver"   # a card without driver: PCI, config space, msi_irqs and a libkmod lookup
CARD = "0000:01:00.0"
RELEASE = "6.12.117+deb12-amd64"
DECOY_ADDR = "0000:00:00.0"

failures = []


def card_dir(tree):
    return os.path.realpath(os.path.join(tree, "sys/bus/pci/devices", CARD))


def make_decoy(outside):
    """Outside the tree: a different card (17cb:a080) at the first address, other indexes."""
    dev = os.path.join(outside, "sys/devices/pci0000:00", DECOY_ADDR)
    os.makedirs(dev)
    for name, value in [("vendor", "0x17cb"), ("device", "0xa080"), ("class", "0x120000"),
                        ("revision", "0x00"), ("irq", "0"), ("subsystem_vendor", "0x17cb"),
                        ("subsystem_device", "0xdead"), ("numa_node", "-1"),
                        ("resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" * 13)]:
        with open(os.path.join(dev, name), "w") as f:
            f.write(value + "\n")
    with open(os.path.join(dev, "config"), "wb") as f:
        f.write(bytes([0xcb, 0x17, 0x80, 0xa0]) + bytes(60))
    bus = os.path.join(outside, "sys/bus/pci/devices")
    os.makedirs(bus)
    os.symlink("../../../devices/pci0000:00/" + DECOY_ADDR, os.path.join(bus, DECOY_ADDR))
    mods = os.path.join(outside, "lib/modules", RELEASE)
    shutil.copytree(os.path.join(FIXTURES, BASE, "lib/modules", RELEASE), mods, symlinks=True)
    os.makedirs(os.path.join(outside, "proc"))
    with open(os.path.join(outside, "proc/cmdline"), "w") as f:
        f.write("decoy intremap=off\n")
    os.makedirs(os.path.join(outside, "var/lib/rpm"))


def rel_escape(tree, link_path, target_abs):
    """A relative target from link_path that climbs far above the root, then down to target_abs."""
    depth = os.path.relpath(os.path.dirname(link_path), "/").count("/") + 1
    return "../" * (depth + 8) + target_abs.lstrip("/")


def replace(path, make):
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
    make(path)


def link_case(rel_in_tree, rel_outside, relative):
    """Replace rel_in_tree by a link to the decoy. What it replaced is also put inside the tree at
    the link target's own path, so that the link resolved inside the tree (as on the captured
    system) finds the real data, and only a read that left the tree finds the decoy."""
    def setup(tree, outside):
        path = os.path.join(tree, rel_in_tree)
        real_parent = os.path.realpath(os.path.dirname(path))
        path = os.path.join(real_parent, os.path.basename(path))
        orig = os.path.realpath(path)
        target = os.path.join(outside, rel_outside)
        mirror = os.path.join(tree, target.lstrip("/"))
        os.makedirs(os.path.dirname(mirror), exist_ok=True)
        if os.path.isdir(orig):
            shutil.copytree(orig, mirror, symlinks=True)
        else:
            shutil.copy2(orig, mirror)
        replace(path, lambda p: os.symlink(rel_escape(tree, p, target) if relative else target, p))
    return setup


def special_case(rel_in_tree, kind):
    def setup(tree, outside):
        path = os.path.join(tree, rel_in_tree)
        path = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))

        def make(p):
            if kind == "fifo":
                os.mkfifo(p)
            elif kind == "socket":
                s = socket.socket(socket.AF_UNIX)
                s.bind(p)
                s.close()
            elif kind == "chr-zero":
                os.mknod(p, stat.S_IFCHR | 0o644, os.makedev(1, 5))
            elif kind == "chr-null":
                os.mknod(p, stat.S_IFCHR | 0o644, os.makedev(1, 3))
        replace(path, make)
    return setup


CASES = []
for rel in (False, True):
    kind = "rel" if rel else "abs"
    CASES += [
        (f"pci-device-link-{kind}", link_case(f"sys/bus/pci/devices/{CARD}", f"sys/devices/pci0000:00/{DECOY_ADDR}", rel)),
        (f"pci-new-device-link-{kind}", link_case(f"sys/bus/pci/devices/{DECOY_ADDR}", f"sys/devices/pci0000:00/{DECOY_ADDR}", rel)),
        (f"pci-attr-vendor-{kind}", link_case(f"sys/bus/pci/devices/{CARD}/vendor", f"sys/devices/pci0000:00/{DECOY_ADDR}/vendor", rel)),
        (f"pci-attr-device-{kind}", link_case(f"sys/bus/pci/devices/{CARD}/device", f"sys/devices/pci0000:00/{DECOY_ADDR}/device", rel)),
        (f"pci-attr-subsystem-{kind}", link_case(f"sys/bus/pci/devices/{CARD}/subsystem_device", f"sys/devices/pci0000:00/{DECOY_ADDR}/subsystem_device", rel)),
        (f"pci-attr-resource-{kind}", link_case(f"sys/bus/pci/devices/{CARD}/resource", f"sys/devices/pci0000:00/{DECOY_ADDR}/resource", rel)),
        (f"pci-attr-config-{kind}", link_case(f"sys/bus/pci/devices/{CARD}/config", f"sys/devices/pci0000:00/{DECOY_ADDR}/config", rel)),
        (f"pci-devices-dir-{kind}", link_case("sys/bus/pci/devices", "sys/bus/pci/devices", rel)),
        (f"pci-bus-dir-{kind}", link_case("sys/bus/pci", "sys/bus/pci", rel)),
        (f"sys-dir-{kind}", link_case("sys", "sys", rel)),
        (f"kmod-release-dir-{kind}", link_case(f"lib/modules/{RELEASE}", f"lib/modules/{RELEASE}", rel)),
        (f"kmod-modules-dir-{kind}", link_case("lib/modules", "lib/modules", rel)),
        (f"kmod-lib-dir-{kind}", link_case("lib", "lib", rel)),
        (f"kmod-alias-index-{kind}", link_case(f"lib/modules/{RELEASE}/modules.alias.bin", f"lib/modules/{RELEASE}/modules.alias.bin", rel)),
        (f"kmod-dep-index-{kind}", link_case(f"lib/modules/{RELEASE}/modules.dep.bin", f"lib/modules/{RELEASE}/modules.dep.bin", rel)),
        (f"cmdline-{kind}", link_case("proc/cmdline", "proc/cmdline", rel)),
    ]
for f in ("revision", "subsystem_vendor", "vendor", "class", "resource", "config", "irq"):
    CASES.append((f"fifo-pci-{f}", special_case(f"sys/bus/pci/devices/{CARD}/{f}", "fifo")))
for f in ("modules.alias.bin", "modules.dep.bin", "modules.builtin.modinfo", "modules.softdep"):
    CASES.append((f"fifo-kmod-{f}", special_case(f"lib/modules/{RELEASE}/{f}", "fifo")))
for f in ("proc/cmdline", "dev/cpuid", "dev/kmsg", "proc/interrupts", "proc/modules"):
    CASES.append((f"fifo-{f.replace('/', '-')}", special_case(f, "fifo")))
CASES += [
    ("socket-pci-vendor", special_case(f"sys/bus/pci/devices/{CARD}/vendor", "socket")),
    ("socket-kmod-alias", special_case(f"lib/modules/{RELEASE}/modules.alias.bin", "socket")),
]
if os.geteuid() == 0:
    CASES += [
        ("chr-zero-pci-config", special_case(f"sys/bus/pci/devices/{CARD}/config", "chr-zero")),
        ("chr-null-pci-revision", special_case(f"sys/bus/pci/devices/{CARD}/revision", "chr-null")),
        ("chr-zero-kmod-alias", special_case(f"lib/modules/{RELEASE}/modules.alias.bin", "chr-zero")),
        ("chr-zero-cmdline", special_case("proc/cmdline", "chr-zero")),
    ]


PRELOAD = guard_preload(BINARY, GUARD)


def run_case(name, setup, walk):
    work = tempfile.mkdtemp(prefix="gc-hostile-")
    try:
        tree, outside, tmp = (os.path.join(work, d) for d in ("tree", "outside", "tmp"))
        shutil.copytree(os.path.join(FIXTURES, BASE), tree, symlinks=True)
        os.unlink(os.path.join(tree, "expect.json"))
        os.makedirs(tmp)
        make_decoy(outside)
        setup(tree, outside)
        log = os.path.join(work, "guard.log")
        env = {"PATH": "/usr/bin:/bin", "TMPDIR": tmp, "LD_PRELOAD": PRELOAD,
               "GUARD_ROOT": os.path.realpath(tree), "GUARD_LOG": log,
               # "/" itself: the data tables are read from the host, below "/" (checked by name)
               "GUARD_ALLOW": ":".join([os.path.realpath(tmp), "/dev/null", "/",
                                        os.path.realpath(os.path.join(FIXTURES, "../../data"))])}
        if walk:
            env["AIC_GUESTCHECK_NO_OPENAT2"] = "1"
        label = f"{name}{' (walk)' if walk else ''}"
        try:
            p = subprocess.run([BINARY, "--sysroot", tree, "--format", "json"], env=env,
                               capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            failures.append(f"{label}: hung (60 s)")
            return
        if os.path.exists(log):
            with open(log) as f:
                for line in f.read().splitlines()[:5]:
                    failures.append(f"{label}: guard: {line}")
        if p.returncode not in (0, 1, 2) or "Sanitizer" in p.stderr or "runtime error" in p.stderr:
            failures.append(f"{label}: exit {p.returncode}: {p.stderr[-500:]}")
            return
        try:
            report = json.loads(p.stdout)
        except ValueError as e:
            failures.append(f"{label}: invalid JSON: {e}")
            return
        for d in report.get("devices", []):
            if d.get("device_id") in ("a080", "0xa080", 0xa080) or d.get("subsystem_id") in ("dead", "0xdead", 0xdead):
                failures.append(f"{label}: the decoy outside the tree was read: {d}")
        if "decoy" in p.stdout:
            failures.append(f"{label}: decoy text from outside the tree in the report")
        if os.listdir(tmp):
            failures.append(f"{label}: private views left behind in TMPDIR: {os.listdir(tmp)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    only = os.environ.get("GC_HOSTILE_ONLY")
    for name, setup in CASES:
        if only and only not in name:
            continue
        for walk in (False, True):
            run_case(name, setup, walk)
    for f in failures:
        print("FAIL", f)
    print(f"{len(CASES)} hostile cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
