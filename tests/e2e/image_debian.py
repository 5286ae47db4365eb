#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`aic-guestcheck image` on a real Debian 12 root made from the archive with mmdebstrap, with its
real kernel package (linux-image-amd64). The root is made once and kept as a tarball in the e2e
cache ($AICG_E2E_CACHE, default tests/e2e/cache); delete it to refresh. Every expectation is read
from the root's own files (its kernel config, modules.dep, modprobe.d, os-release) or from the
vendor's guest list, never from the checker. Needs root (mmdebstrap's root mode); without root or
mmdebstrap it skips (77), except under CI=true, where it fails.

Usage: image_debian.py BINARY DATA_DIR"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import schema  # noqa: E402

# Bump the suffix when the command changes, so a stale root is not reused.
NAME = "image-debian-bookworm-v1.tar"
MMDEBSTRAP = ["mmdebstrap", "--mode=root", "--format=tar", "--variant=minbase", "--include=linux-image-amd64,grub2-common",
              "--dpkgopt=path-exclude=/usr/share/locale/*", "--dpkgopt=path-exclude=/usr/share/man/*",
              "bookworm"]
BAD = ("intremap=off", "nointremap", "pci=nomsi", "nolapic", "disableapic")


def skip_or_fail(msg):
    print(f"image-debian: {msg}")
    return 1 if os.environ.get("CI") == "true" else 77


def make_root(cache):
    tarball = os.path.join(cache, NAME)
    if os.path.getsize(tarball) if os.path.exists(tarball) else 0:
        return tarball, None
    if os.geteuid() != 0:
        return None, "needs root to make the Debian root (mmdebstrap --mode=root)"
    if not shutil.which("mmdebstrap"):
        return None, "mmdebstrap is not installed (packaging/install-deps.sh --test)"
    os.makedirs(cache, exist_ok=True)
    start = time.time()
    subprocess.run(MMDEBSTRAP + [tarball + ".tmp"], check=True, stdin=subprocess.DEVNULL)
    os.rename(tarball + ".tmp", tarball)
    print(f"image-debian: root made in {time.time() - start:.0f} s, cached as {tarball}")
    return tarball, None


def read(root, path):
    try:
        with open(os.path.join(root, path.lstrip("/")), errors="replace") as f:
            return f.read()
    except OSError:
        return None


def expectations(root, data):
    """What the root's own files say each check must find."""
    want = {}
    releases = sorted(os.listdir(os.path.join(root, "lib/modules")))
    assert len(releases) == 1, f"one kernel expected in the root, found {releases}"
    rel = releases[0]
    want["image.kernel"] = "pass" if os.path.exists(os.path.join(root, f"boot/vmlinuz-{rel}")) else "fail"
    config = read(root, f"/boot/config-{rel}") or ""
    moddep = read(root, f"/lib/modules/{rel}/modules.dep") or ""
    builtin = read(root, f"/lib/modules/{rel}/modules.builtin") or ""
    has_qaic = "CONFIG_DRM_ACCEL_QAIC=y" in config or re.search(r"/qaic\.ko", moddep + builtin)
    want["image.qaic-module"] = "pass" if has_qaic else "fail"
    needed = ("CONFIG_PCI_MSI", "CONFIG_IRQ_REMAP", "CONFIG_INTEL_IOMMU")
    on = all(re.search(rf"^{o}=[ym]$", config, re.M) for o in needed)
    want["image.kernel-config"] = "pass" if on else "fail"
    grub = read(root, "/etc/default/grub")
    lines = [read(root, "/etc/kernel/cmdline") or ""] + ([grub] if grub else [])
    if grub is None and not os.path.exists(os.path.join(root, "boot/grub/grub.cfg")) \
            and read(root, "/etc/kernel/cmdline") is None:
        want["kernel.cmdline"] = "skip"
    elif not any(b in text for text in lines for b in BAD):
        want["kernel.cmdline"] = "pass"
    conf = ""
    for d in ("etc/modprobe.d", "usr/lib/modprobe.d", "lib/modprobe.d", "run/modprobe.d"):
        p = os.path.join(root, d)
        for name in sorted(os.listdir(p)) if os.path.isdir(p) else []:
            conf += read(root, f"/{d}/{name}") or ""
    if not re.search(r"^\s*(blacklist|install)\s+(qaic|mhi)\b", conf, re.M):
        want["image.blacklist"] = "pass"
    want["hyperv.kernel-fixes"] = "skip" if not os.path.exists(os.path.join(root, "etc/waagent.conf")) else None
    # The vendor's guest list (data/guest-os.d) names no Debian: warn.
    osrel = read(root, "/etc/os-release") or ""
    table = "".join(read(os.path.join(data, "guest-os.d"), n) or ""
                    for n in os.listdir(os.path.join(data, "guest-os.d")))
    if "ID=debian" in osrel and not re.search(r"^debian\s", table, re.M):
        want["guest.os"] = "warn"
    for cid in ("platform.hypervisor", "iommu.interrupt-remapping", "device.present", "device.msi"):
        want[cid] = "skip"
    return rel, {k: v for k, v in want.items() if v}


def main():
    binary, data = sys.argv[1], sys.argv[2]
    cache = os.environ.get("AICG_E2E_CACHE", os.path.join(HERE, "cache"))
    tarball, why = make_root(cache)
    if not tarball:
        return skip_or_fail(why)
    with tempfile.TemporaryDirectory(prefix="aicg-image-debian-") as root:
        # Device nodes need privileges and are not read: leave them out.
        subprocess.run(["tar", "-C", root, "--exclude=./dev/*", "-xf", tarball], check=True)
        rel, want = expectations(root, data)
        p = subprocess.run([binary, "image", root, "--format", "json", "--data-dir", data],
                           capture_output=True, text=True, timeout=120)
        doc = json.loads(p.stdout)
        errs = schema.validate(doc)
        got = {c["id"]: c for c in doc["checks"]}
        for cid, st in want.items():
            if got.get(cid, {}).get("status") != st:
                errs.append(f"{cid}: {got.get(cid, {}).get('status')}, expected {st} ({got.get(cid, {}).get('summary')})")
        if doc["image"]["default_kernel"] != rel:
            errs.append(f"default kernel {doc['image']['default_kernel']}, the root has {rel}")
        statuses = set(want.values())
        want_exit = 1 if "fail" in statuses else 0
        if p.returncode != want_exit:
            errs.append(f"exit {p.returncode}, expected {want_exit}")
        for e in errs:
            print(f"FAIL image-debian: {e}")
        if not errs:
            print(f"ok image-debian: Debian 12 root with {rel}: " +
                  ", ".join(f"{k} {v}" for k, v in sorted(want.items())))
        return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
