#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--redact on every fixture with identities planted where a real guest has them (host name, users,
machine ID, DMI serials, addresses in the kernel log and on the command line): none of them is left
in the bundle, its name or its report, the mapping stays outside it (0600), and the redacted bundle
replays to the verdicts of the planted tree. Usage: test_bundle_redact.py BINARY FIXTURES_DIR"""

import os
import shutil
import stat
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundlelib import FIX, fixtures, run, verdicts  # noqa: E402

HOST = "planted-host-xyz"
USER = "alice1"
MACHINE_ID = "5f3c2b1a9e8d7c6b5a4f3e2d1c0b9a88"
SERIAL = "SER-PLANTED-42"
UUID = "4c4c4544-0042-3510-8052-b2c04f4e4c31"
MAC = "52:54:00:ab:cd:ef"
IPV6 = "fe80::5054:ff:feab:cdef"
IPV4 = ["10.20.30.40", "10.20.30.41", "10.20.30.1"]
# Where they hide in real logs: a domain the system did not know, an interface's colon before a
# MAC, tcpdump's address.port, an address ending a sentence, file system UUIDs.
DOMAIN = "corp-planted.example"
MAC2 = "52:54:00:12:34:99"
IPV4_PORT = "10.20.30.42"
IPV6_2 = "fe80::1234:5678:9abc:def0"
FS_UUIDS = ["0a1b2c3d-1111-2222-3333-444455556666", "9e1f0c3a-5d2b-4f6e-8a7c-0b1d2e3f4a5b",
            "5e6f7a8b-1111-2222-3333-444455556666", "6a7b8c9d-1111-2222-3333-444455556666"]
# Netfilter's MAC= run (UFW), PXE's BOOTIF (dash-joined: checked in that form too).
NF_MACS = ["52:54:00:aa:bb:01", "52:54:00:aa:bb:02"]
BOOT_MAC = "52:54:00:aa:bb:03"
SECRETS = [HOST, USER, MACHINE_ID, SERIAL, UUID, MAC, IPV6, *IPV4, DOMAIN, MAC2, IPV4_PORT, IPV6_2,
           *FS_UUIDS, *NF_MACS, BOOT_MAC, BOOT_MAC.replace(":", "-")]
failures = 0


def write(tree, rel, text, append=False):
    path = os.path.join(tree, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.islink(path):
        return
    with open(path, "a" if append else "w", encoding="latin-1") as f:
        f.write(text)


def plant(tree):
    # Known by its full name; the logs also use the first label alone.
    write(tree, "proc/sys/kernel/hostname", f"{HOST}.{DOMAIN}\n")
    write(tree, "etc/hostname", f"{HOST}.{DOMAIN}\n")
    write(tree, "etc/machine-id", MACHINE_ID + "\n")
    write(tree, "etc/passwd", f"root:x:0:0:root:/root:/bin/bash\n{USER}:x:1000:1000::/home/{USER}:/bin/sh\n")
    write(tree, "sys/class/dmi/id/product_serial", SERIAL + "\n")
    write(tree, "sys/class/dmi/id/product_uuid", UUID.upper() + "\n")
    write(tree, "dev/kmsg", "".join(f"6,9000,9000,-;{line}\n" for line in [
        f"e1000 0000:00:03.0 eth0: (PCI:33MHz:32-bit) {MAC}",
        f"IPv6: eth0: address {IPV6} is ready",
        f"systemd[1]: Hostname set to <{HOST}>.",
        f"systemd-journald[100]: machine ID {MACHINE_ID}",
        f"audit: user {USER} from {IPV4[0]} opened /home/{USER}/x",
        f"DMI: serial {SERIAL} uuid {UUID}",
        f"sshd[7]: connection from {HOST}.{DOMAIN} on eth1:{MAC2}",
        f"tcpdump: IP {IPV4_PORT}.53 > 192.0.2.9.40000: UDP; route via {IPV6_2}.",
        f"EXT4-fs (vda1): mounted filesystem {FS_UUIDS[1]} r/w with ordered data mode",
        f"[UFW BLOCK] IN=eth0 OUT= MAC={NF_MACS[0]}:{NF_MACS[1]}:08:00 SRC={IPV4[0]} DST=192.0.2.77",
        f"BTRFS: device fsid {FS_UUIDS[3]} devid 1 transid 7 /dev/vdb",
    ]), append=True)
    # A user's firmware directory (firmware_class.path): names are redacted too, and still found.
    fw = os.path.join(tree, "lib/firmware/qcom")
    param = os.path.join(tree, "sys/module/firmware_class/parameters/path")
    if os.path.isdir(fw) and not os.path.islink(fw) and not os.path.exists(param):
        os.makedirs(os.path.join(tree, "home", USER, "fw"))
        os.rename(fw, os.path.join(tree, "home", USER, "fw", "qcom"))
        write(tree, "sys/module/firmware_class/parameters/path", f"/home/{USER}/fw\n")
    cmdline = os.path.join(tree, "proc", "cmdline")
    if os.path.exists(cmdline) and not os.path.islink(cmdline):
        text = open(cmdline, encoding="latin-1").read().rstrip("\n")
        write(tree, "proc/cmdline", f"{text} ip={IPV4[1]}::{IPV4[2]}:255.255.255.0:{HOST}:eth0:off "
                                    f"root=/dev/mapper/{HOST}--vg-root rd.lvm.lv={HOST}-vg/root "
                                    f"resume=PARTUUID={FS_UUIDS[0]} hostname={HOST} rd.luks.uuid=luks-{FS_UUIDS[2]} "
                                    f"BOOTIF=01-{BOOT_MAC.replace(':', '-')}\n")


def check_one(name, path, args, env):
    global failures
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        shutil.copytree(path, tree, symlinks=True)
        plant(tree)
        out_dir = os.path.join(tmp, "out")
        os.mkdir(out_dir)
        p = run(["bundle", "--redact", "-o", out_dir, "--sysroot", tree, *args], env)
        out = p.stdout.strip()
        errs = []
        if p.returncode != 0 or not os.path.exists(out):
            print(f"FAIL {name}: bundle --redact exited {p.returncode}: {p.stderr}")
            failures += 1
            return
        mapping = out + ".redaction-map"
        if not os.path.exists(mapping) or stat.S_IMODE(os.stat(mapping).st_mode) != 0o600:
            errs.append("no private redaction map beside the bundle")
        elif mapping not in p.stderr:
            errs.append("the map's path is not printed")
        else:
            text = open(mapping).read()
            unreadable = os.path.join(tree, ".unreadable")
            log_read = not (os.path.exists(unreadable) and "/dev/kmsg" in open(unreadable).read().split())
            wanted = (HOST, USER, MACHINE_ID, SERIAL, MAC, IPV4[0]) if log_read else (HOST,)
            errs += [f"{s} not in the map" for s in wanted if s not in text]
        with tarfile.open(out) as t:
            for m in t.getmembers():
                blob = m.name.encode() + (t.extractfile(m).read() if m.isfile() else m.linkname.encode())
                for s in SECRETS:
                    if s.lower().encode() in blob.lower():
                        errs.append(f"{s} left in {m.name}")
                if m.name.endswith(".redaction-map"):
                    errs.append("the map is inside the bundle")
        for s in SECRETS:
            if s.lower() in os.path.basename(out).lower():
                errs.append(f"{s} in the archive's name")
        want = verdicts(["--sysroot", tree, *args], env)
        got = verdicts(["--sysroot", out, *args], env)
        if got != want:
            errs.append(f"verdicts differ: {want} vs {got}")
        if errs:
            print(f"FAIL {name}: {'; '.join(sorted(set(errs))[:8])}")
            failures += 1
        else:
            print(f"ok   {name}")


def bundle_in(tree, tmp, env):
    out_dir = os.path.join(tmp, "out")
    os.mkdir(out_dir)
    return run(["bundle", "--redact", "-o", out_dir, "--sysroot", tree], env), out_dir


def cloud_defaults(env):
    """Ubuntu's cloud image: user and host 'ubuntu', which is also os-release's ID. Such default
    names name nobody and are kept; replacing them would unmake Ubuntu (guest.os pass -> warn)."""
    global failures
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        shutil.copytree(os.path.join(FIX, "guest-os-ubuntu-22.04"), tree, symlinks=True)
        write(tree, "etc/passwd", "ubuntu:x:1000:1000::/home/ubuntu:/bin/sh\n", append=True)
        write(tree, "proc/sys/kernel/hostname", "ubuntu\n")
        p, _ = bundle_in(tree, tmp, env)
        out = p.stdout.strip()
        want = verdicts(["--sysroot", tree], env)
        got = verdicts(["--sysroot", out], env) if p.returncode == 0 else (p.returncode, p.stderr)
        if got != want:
            print(f"FAIL cloud-defaults: {want} vs {got}")
            failures += 1
        else:
            print("ok   cloud-defaults")


def verdict_changed(env):
    """A host named as a word the checks read ('intremap' of intremap=off): the redacted bundle would
    replay kernel.cmdline fail as pass, so none is written, and neither is a map."""
    global failures
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        shutil.copytree(os.path.join(FIX, "e2e-q35-viommu-guest-intremap-off"), tree, symlinks=True)
        write(tree, "proc/sys/kernel/hostname", "intremap\n")
        p, out_dir = bundle_in(tree, tmp, env)
        left = os.listdir(out_dir)
        if p.returncode != 3 or "kernel.cmdline" not in p.stderr or p.stdout or left:
            print(f"FAIL verdict-changed: exit {p.returncode}, stdout {p.stdout!r}, left {left}: {p.stderr}")
            failures += 1
            return
        # Standard output cannot be replayed before it is kept: refused before anything is written.
        p = run(["bundle", "--redact", "-o", "-", "--sysroot", tree], env)
        if p.returncode != 3 or p.stdout or "standard output" not in p.stderr:
            print(f"FAIL verdict-changed: --redact -o - gave exit {p.returncode}: {p.stderr}")
            failures += 1
        else:
            print("ok   verdict-changed")


def merged_usr(env):
    """/lib a link to usr/lib (Debian 12, Ubuntu, Fedora, RHEL 9): libkmod's indexes and
    modules.builtin.modinfo are binary wherever the walk reaches them, kept byte for byte
    (a replacement of another length would shift every offset after it)."""
    global failures
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        shutil.copytree(os.path.join(FIX, "card-qaic-32msi"), tree, symlinks=True)
        os.makedirs(os.path.join(tree, "usr"), exist_ok=True)
        os.rename(os.path.join(tree, "lib"), os.path.join(tree, "usr/lib"))
        os.symlink("usr/lib", os.path.join(tree, "lib"))
        with open(os.path.join(tree, "proc/sys/kernel/osrelease")) as f:
            mods = os.path.join("usr/lib/modules", f.read().strip())
        planted = {f"{mods}/modules.alias.bin": b"\0planted 10.77.88.99 \0",
                   f"{mods}/modules.builtin.modinfo": b"x.version=43.100.00.00\0"}
        want = {}
        for rel, extra in planted.items():
            with open(os.path.join(tree, rel), "ab") as f:
                f.write(extra)
            with open(os.path.join(tree, rel), "rb") as f:
                want[rel] = f.read()
        p, _ = bundle_in(tree, tmp, env)
        errs = [] if p.returncode == 0 else [f"bundle --redact exited {p.returncode}: {p.stderr}"]
        if not errs:
            with tarfile.open(p.stdout.strip()) as t:
                top = t.getmembers()[0].name.split("/")[0]
                for rel, data in want.items():
                    try:
                        got = t.extractfile(f"{top}/{rel}").read()
                    except KeyError:
                        got = None
                    if got != data:
                        errs.append(f"{rel} not kept byte for byte")
        if errs:
            print(f"FAIL merged-usr: {'; '.join(errs)}")
            failures += 1
        else:
            print("ok   merged-usr")


ONLY = sys.argv[3:]
for name, path, args, env in fixtures():
    if ONLY and name not in ONLY:
        continue
    check_one(name, path, args, env)
if not ONLY or "cloud-defaults" in ONLY:
    cloud_defaults(dict(os.environ))
if not ONLY or "verdict-changed" in ONLY:
    verdict_changed(dict(os.environ))
if not ONLY or "merged-usr" in ONLY:
    merged_usr(dict(os.environ))
print(f"bundle redaction: {failures} failed")
sys.exit(1 if failures else 0)
