#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The support bundle is a sysroot: bundle each fixture (and the live machine), check the archive
against its manifest, replay it both unpacked and as the archive itself, and demand the verdicts of
the original. Usage: test_bundle.py BINARY FIXTURES_DIR"""

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundlelib import BIN, FIX, fixtures, run, verdicts  # noqa: E402

failures = 0


def fail(name, msg):
    global failures
    print(f"FAIL {name}: {msg}")
    failures += 1


def check_manifest(name, path, top):
    """Every member is in the manifest with its size and SHA-256, and every manifest file is a member."""
    errs = []
    with tarfile.open(path) as t:
        members = {m.name.rstrip("/"): m for m in t.getmembers()}
        tops = {n.split("/")[0] for n in members}
        if tops != {top}:
            errs.append(f"top directories {sorted(tops)}, expected only {top}")
        for n in members:
            if n.startswith("/") or ".." in n.split("/"):
                errs.append(f"unsafe member name {n}")
        man = json.load(t.extractfile(f"{top}/aic-guestcheck-manifest.json"))
        listed = {}
        for e in man["entries"]:
            listed[e["path"]] = e
            member = members.get(f"{top}/{e['path']}")
            if e["type"] is None:
                if e["how"] not in ("unreadable", "not captured") or not e.get("error"):
                    errs.append(f"{e['path']}: no type but how {e['how']}")
                continue
            if member is None:
                errs.append(f"{e['path']}: in the manifest, not in the archive")
            elif e["type"] == "file":
                data = t.extractfile(member).read()
                if not member.isfile() or len(data) != e["size"] or hashlib.sha256(data).hexdigest() != e["sha256"]:
                    errs.append(f"{e['path']}: size or sha256 differ from the manifest")
            elif e["type"] == "symlink" and (not member.issym() or member.linkname != e["target"]):
                errs.append(f"{e['path']}: symlink differs from the manifest")
            elif e["type"] == "directory" and not member.isdir():
                errs.append(f"{e['path']}: not a directory")
        for n, m in members.items():
            rel = n[len(top) + 1:]
            if rel and rel != "aic-guestcheck-manifest.json" and rel not in listed:
                errs.append(f"{rel}: in the archive, not in the manifest")
        unreadable = set()
        if f"{top}/.unreadable" in members:
            unreadable = set(t.extractfile(f"{top}/.unreadable").read().decode().split())
        not_captured = set()
        if f"{top}/.not-captured" in members:
            for line in t.extractfile(f"{top}/.not-captured").read().decode().splitlines():
                if not line.startswith("#"):
                    not_captured.add(line.split(" ", 1)[1])
        size_only = {}
        if f"{top}/.size-only" in members:
            for line in t.extractfile(f"{top}/.size-only").read().decode().splitlines():
                size, path = line.split(" ", 1)
                size_only[path] = int(size)
        for p, e in listed.items():
            if e["how"] == "size only" and (size_only.get("/" + p) != e["source_size"] or e["size"] != 0):
                errs.append(f"{p}: size only, but not an empty stand-in listed in .size-only")
            if e["how"] == "unreadable" and "/" + p not in unreadable:
                errs.append(f"{p}: unreadable but not in .unreadable")
            if e["how"] in ("not captured", "cut") and "/" + p not in not_captured:
                errs.append(f"{p}: {e['how']} but not in .not-captured")
        if f"{top}/aic-guestcheck-report.json" not in members:
            errs.append("no report")
    return errs, len(members)


def round_trip(name, sysroot, args, env):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "b.tar.gz")
        src = ["--sysroot", sysroot] if sysroot else []
        p = run(["bundle", "-o", out, *src, *args], env)
        if p.returncode != 0 or p.stdout.strip() != out:
            return fail(name, f"bundle exited {p.returncode}, stdout {p.stdout!r}: {p.stderr}")
        if stat.S_IMODE(os.stat(out).st_mode) != 0o600:
            return fail(name, f"bundle mode {oct(os.stat(out).st_mode)}")
        errs, n = check_manifest(name, out, "b")
        with tarfile.open(out) as t:
            t.extractall(os.path.join(tmp, "x"))
        want = verdicts(src + args, env)
        unpacked = verdicts(["--sysroot", os.path.join(tmp, "x"), *args], env)
        if unpacked != want:
            errs.append(f"unpacked replay differs: {want} vs {unpacked}")
        # Every link stays in the tree wherever it is unpacked: relative, ".." only leading.
        with tarfile.open(out) as t:
            for m in t.getmembers():
                if m.issym():
                    parts = m.linkname.split("/")
                    names = [c for c in parts if c != ".."]
                    if m.linkname.startswith("/") or ".." in parts[len(parts) - len(names):] or \
                       parts.count("..") > m.name.count("/") - 1:
                        errs.append(f"{m.name} -> {m.linkname}: leaves the tree")
        archive = verdicts(["--sysroot", out, *args], env)
        if archive != want:
            errs.append(f"archive replay differs: {want} vs {archive}")
        if errs:
            fail(name, "; ".join(errs[:8]))
        else:
            print(f"ok   {name} ({n} entries)")


def system_links():
    """A tree with the links real systems have: an absolute kernel build link
    (RHEL's kernel-core, Debian's headers), /etc/os-release pointing absolutely
    into /usr/lib (systemd's layout), there a relative link that climbs after a
    name, then an absolute one into /usr/lib64 from /usr/lib/x."""
    with tempfile.TemporaryDirectory() as tmp:
        t = os.path.join(tmp, "t")
        shutil.copytree(os.path.join(FIX, "card-qaic-32msi"), t, symlinks=True)
        with open(os.path.join(t, "proc/sys/kernel/osrelease")) as f:
            rel = f.read().strip()
        os.symlink(f"/usr/src/linux-headers-{rel}", os.path.join(t, "lib/modules", rel, "build"))
        for d in ("usr/lib/x", "usr/lib64", "usr/share"):
            os.makedirs(os.path.join(t, d), exist_ok=True)
        os.rename(os.path.join(t, "etc/os-release"), os.path.join(t, "usr/lib64/os-release"))
        os.symlink("/usr/lib/os-release-climb", os.path.join(t, "etc/os-release"))
        os.symlink("../share/../lib/x/os-release", os.path.join(t, "usr/lib/os-release-climb"))
        # A target whose component only starts like the link's directory's: lib64 beside lib.
        os.symlink("/usr/lib64/os-release", os.path.join(t, "usr/lib/x/os-release"))
        # ".." after a name that is a link: the kernel climbs from where the link led (boot/),
        # not from the link's directory, where a decoy lies.
        os.makedirs(os.path.join(t, "boot/dir"))
        os.rename(os.path.join(t, "proc/cmdline"), os.path.join(t, "boot/cmdline-real"))
        with open(os.path.join(t, "proc/cmdline-real"), "w") as f:
            f.write("intremap=off\n")
        os.symlink("/boot/dir", os.path.join(t, "proc/sub"))
        os.symlink("sub/../cmdline-real", os.path.join(t, "proc/cmdline"))
        round_trip("system-links", t, [], dict(os.environ))
        out = os.path.join(tmp, "b.tar.gz")
        p = run(["bundle", "-o", out, "--sysroot", t])
        with tarfile.open(out) as a:
            got = a.getmember("b/proc/cmdline").linkname if p.returncode == 0 else p.stderr
        if got != "../boot/cmdline-real":
            fail("system-links", f"proc/cmdline -> {got!r}, not where the kernel goes (../boot/cmdline-real)")


ONLY = sys.argv[3:]
for name, path, args, env in fixtures():
    if ONLY and name not in ONLY:
        continue
    round_trip(name, path, args, env)
if not ONLY or "system-links" in ONLY:
    system_links()
if not os.environ.get("AICG_TEST_NO_LIVE") and not ONLY:  # tests/CMakeLists.txt AICG_LIVE_TESTS=OFF
    round_trip("live", None, [], dict(os.environ))
print(f"bundle: {failures} failed")
sys.exit(1 if failures else 0)
