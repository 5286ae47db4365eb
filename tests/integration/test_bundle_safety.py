#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The bundle as an attacker and a support engineer try it: the output file (symlink planted at
the name, an existing file, umask 0, kill -9 mid-write), its name and layout, a file over the size
limit, and hostile archives given to --sysroot. Usage: test_bundle_safety.py BINARY FIXTURES_DIR"""

import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundlelib import BIN, FIX, run, verdicts  # noqa: E402

BASE = os.path.join(FIX, "card-qaic-32msi")
failures = 0


def check(ok, what):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    failures += not ok


def bundle(out, *extra, **kw):
    return run(["bundle", "-o", out, "--sysroot", BASE, *extra], **kw)


def test_symlink_at_output(tmp):
    victim = os.path.join(tmp, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    out = os.path.join(tmp, "link.tar.gz")
    os.symlink(victim, out)
    p = bundle(out)
    check(p.returncode == 3 and "--force" in p.stderr, "a symlink at the output name is refused")
    check(open(victim).read() == "precious\n" and os.path.islink(out), "  and neither it nor its target changed")
    p = bundle(out, "--force")
    check(p.returncode == 0 and open(victim).read() == "precious\n", "--force replaces the link, never its target")
    check(not os.path.islink(out) and tarfile.is_tarfile(out), "  with the bundle itself")


def test_existing_file(tmp):
    out = os.path.join(tmp, "exists.tar.gz")
    with open(out, "w") as f:
        f.write("old\n")
    p = bundle(out)
    check(p.returncode == 3 and "exists" in p.stderr and open(out).read() == "old\n",
          "an existing file is refused, untouched")
    p = bundle(out, "--force")
    check(p.returncode == 0 and tarfile.is_tarfile(out), "--force replaces it")
    check(not [n for n in os.listdir(tmp) if n.startswith(".exists")], "  no temporary file left")


def test_umask(tmp):
    out = os.path.join(tmp, "umask.tar.gz")
    p = subprocess.run([BIN, "bundle", "-o", out, "--sysroot", BASE, "--redact"], capture_output=True,
                       text=True, preexec_fn=lambda: os.umask(0), stdin=subprocess.DEVNULL)
    check(p.returncode == 0 and stat.S_IMODE(os.stat(out).st_mode) == 0o600, "mode 0600 under umask 0")
    check(stat.S_IMODE(os.stat(out + ".redaction-map").st_mode) == 0o600, "  the redaction map too")
    p = subprocess.run([BIN, "bundle", "-o", out + "2", "--sysroot", BASE], capture_output=True,
                       text=True, preexec_fn=lambda: os.umask(0o777), stdin=subprocess.DEVNULL)
    check(p.returncode == 0 and stat.S_IMODE(os.stat(out + "2").st_mode) == 0o600, "mode 0600 under umask 0777")


def test_kill_mid_write(tmp):
    """A tree with a 30 MiB kernel log takes long enough to write to be killed in the middle."""
    tree = os.path.join(tmp, "bigtree")
    shutil.copytree(BASE, tree, symlinks=True)
    line = b"6,100,1000,-;pci 0000:00:02.0: something the driver said while probing, kept verbatim\n"
    with open(os.path.join(tree, "dev", "kmsg"), "wb") as f:
        f.write(line * (30 * 1024 * 1024 // len(line)))
    out = os.path.join(tmp, "killed.tar.gz")
    for attempt in range(20):
        p = subprocess.Popen([BIN, "bundle", "-o", out, "--sysroot", tree], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while p.poll() is None and time.time() < deadline:
            if [n for n in os.listdir(tmp) if n.startswith(".killed.tar.gz.")]:
                break
            time.sleep(0.001)
        running = p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.wait()
        if running:
            check(not os.path.exists(out), "kill -9 while writing leaves nothing under the final name")
            return
        if os.path.exists(out):
            os.unlink(out)
    check(False, "kill -9 mid-write: the bundle was never caught while writing")


def test_name_and_layout(tmp):
    d = os.path.join(tmp, "dir")
    os.mkdir(d)
    p = run(["bundle", "-o", d, "--case-id", "CASE-0042", "--sysroot", BASE])
    path = p.stdout.strip()
    name = os.path.basename(path)
    check(p.returncode == 0 and os.path.dirname(path) == d and
          re.fullmatch(r"aic-guestcheck-[A-Za-z0-9._-]+-CASE-0042-\d{8}T\d{6}Z\.tar\.gz", name) is not None,
          f"-o DIR --case-id: {name}")
    with tarfile.open(path) as t:
        tops = {m.name.split("/")[0] for m in t.getmembers()}
        man = json.load(t.extractfile(f"{name[:-7]}/aic-guestcheck-manifest.json"))
    check(tops == {name[:-7]}, "one top directory named as the archive")
    check(man["case_id"] == "CASE-0042" and man["redacted"] is False, "the manifest names the case")
    check(run(["bundle", "--case-id", "../x", "--sysroot", BASE]).returncode == 3, "a case ID with a slash is a usage error")
    check(run(["--case-id", "1", "--sysroot", BASE]).returncode == 3, "--case-id without bundle is a usage error")
    p = run(["bundle", "-o", "-", "--sysroot", BASE], text=False) if False else subprocess.run(
        [BIN, "bundle", "-o", "-", "--sysroot", BASE], capture_output=True, stdin=subprocess.DEVNULL)
    check(p.returncode == 0 and tarfile.open(fileobj=io.BytesIO(p.stdout)).getmembers(), "-o - writes to stdout")
    p = run(["bundle", "--sysroot", BASE])
    path = p.stdout.strip()
    check(p.returncode == 0 and path.startswith("/var/tmp/aic-guestcheck-") and os.path.exists(path),
          "the default directory is /var/tmp")
    if path.startswith("/var/tmp/aic-guestcheck-") and os.path.exists(path):
        os.unlink(path)


def test_cut(tmp):
    """A 40 MiB ACPI table, which the checker refuses to read (over 1 MiB), is cut and said so; of a
    40 MiB kernel log the checker reads the last 32 MiB, and the bundle keeps exactly those."""
    tree = os.path.join(tmp, "huge")
    shutil.copytree(BASE, tree, symlinks=True)
    with open(os.path.join(tree, "sys/firmware/acpi/tables/DMAR"), "ab") as f:
        f.write(bytes(40 << 20))
    line = b"6,100,1000,-;" + b"x" * 50 + b"\n"
    with open(os.path.join(tree, "dev", "kmsg"), "ab") as f:
        f.write(line * (40 * 1024 * 1024 // len(line)))
    out = os.path.join(tmp, "cut.tar.gz")
    p = run(["bundle", "-o", out, "--sysroot", tree])
    with tarfile.open(out) as t:
        dmar, log = t.getmember("cut/sys/firmware/acpi/tables/DMAR"), t.getmember("cut/dev/kmsg")
        man = {e["path"]: e for e in json.load(t.extractfile("cut/aic-guestcheck-manifest.json"))["entries"]}
        listed = t.extractfile("cut/.not-captured").read().decode().splitlines()
    check(p.returncode == 0 and dmar.size == 1 << 20, "a 40 MiB ACPI table is cut to 1 MiB")
    check(man["sys/firmware/acpi/tables/DMAR"]["how"] == "cut" and
          man["sys/firmware/acpi/tables/DMAR"]["cut_to"] == 1 << 20, "  the manifest says so")
    check("27 /sys/firmware/acpi/tables/DMAR" in listed, "  .not-captured tells the replay (EFBIG)")
    check(log.size <= 32 << 20 and man["dev/kmsg"]["how"] == "log tail" and
          not [x for x in listed if x.endswith(" /dev/kmsg")], "the kernel log keeps the 32 MiB the checker reads")
    check(verdicts(["--sysroot", out]) == verdicts(["--sysroot", tree]), "  the replay gives the original verdicts")


def rm_rf(path):
    """What a failed test left, however deep (shutil.rmtree recurses)."""
    subprocess.run(["rm", "-rf", path], check=False)


def refused(tmp, name, path, expect, seconds=60):
    """The archive at path is refused within seconds with a message naming expect, leaving nothing."""
    scratch = os.path.join(tmp, "tmp-" + name)
    os.mkdir(scratch)
    start = time.time()
    try:
        p = subprocess.run([BIN, "--sysroot", path], capture_output=True, text=True, timeout=seconds,
                           stdin=subprocess.DEVNULL, env=dict(os.environ, TMPDIR=scratch))
        rc, err = p.returncode, p.stderr.strip()
    except subprocess.TimeoutExpired:
        rc, err = None, f"still running after {seconds} s"
    last = err.splitlines()[-1] if err else f"exit {rc}"
    check(rc == 3 and expect in err and "refusing to replay" in err,
          f"hostile archive refused: {name}: {last[:140]} ({time.time() - start:.1f} s)")
    check(os.listdir(scratch) == [], f"  {name}: the temporary directory was removed")
    check(not os.path.exists("/tmp/pwned-by-bundle"), f"  {name}: nothing written outside")
    rm_rf(scratch)


def hostile(tmp, name, build, expect, seconds=60):
    """build(tarfile) adds the members; the archive must be refused with a message naming expect."""
    path = os.path.join(tmp, name + ".tar.gz")
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as t:
        build(t)
    refused(tmp, name, path, expect, seconds)


def member(name, kind=tarfile.REGTYPE, data=b"", link=""):
    def add(t):
        info = tarfile.TarInfo(name)
        info.type, info.linkname, info.size = kind, link, len(data) if kind == tarfile.REGTYPE else 0
        t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return add


def many(*adds):
    def add(t):
        for a in adds:
            a(t)
    return add


class Zeros(io.RawIOBase):
    def __init__(self, n):
        self.left = n

    def readinto(self, b):
        n = min(len(b), self.left)
        b[:n] = bytes(n)
        self.left -= n
        return n


def bomb(t):
    info = tarfile.TarInfo("b/dev/kmsg")
    info.size = 80 << 20
    t.addfile(info, Zeros(info.size))


def raw(name, data, kind=tarfile.REGTYPE):
    """A member with exactly these bytes, whatever they say (a pax header's records)."""
    def add(t):
        info = tarfile.TarInfo(name)
        info.type, info.size = kind, len(data)
        t.addfile(info, io.BytesIO(data))
    return add


def test_pax_strict(tmp):
    """strtoul skipped the blank lines before "5 ": the key began past the record's end and memchr
    read on past the data (a crash). Each malformed record is refused."""
    bad = {
        "pax-blank-lines": b"\n\n\n\n\n5 " + b"A" * 4000,
        "pax-leading-space": b" 17 path=b/x/y/z\n",
        "pax-sign": b"+17 path=b/x/y/z\n",
        "pax-too-short": b"3 \n",
        "pax-past-data": b"99 path=b/f\n",
        "pax-no-newline": b"14 path=b/f/g ",
        "pax-no-key": b"6 =b/\n",
        "pax-no-equals": b"11 pathb/f\n",
        "pax-nul-in-path": b"17 path=b/f\0/g/h\n",
        "pax-huge-length": b"18446744073709551629 path=b/f\n",
    }
    for name, data in bad.items():
        hostile(tmp, name, many(raw("PaxHeaders/f", data, tarfile.XHDTYPE), member("b/f", data=b"x")),
                "damaged pax header")


def test_long_names(tmp):
    """A name of 4,000 bytes below the temporary directory is longer than PATH_MAX there: the
    directory is still removed, after a replay as after a refusal."""
    deep = "b/" + "/".join(["d" * 200] * 20) + "/f"
    path = os.path.join(tmp, "long-name.tar.gz")
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as t:
        member(deep, data=b"x")(t)
    scratch = os.path.join(tmp, "tmp-long-name-" + "x" * 100)
    os.mkdir(scratch)
    p = run(["--sysroot", path], env=dict(os.environ, TMPDIR=scratch))
    check(p.returncode >= 0 and "refusing" not in p.stderr, f"a 4,000-byte name is replayed (exit {p.returncode})")
    check(os.listdir(scratch) == [], "  the temporary directory was removed")
    rm_rf(scratch)
    hostile(tmp, "long-name-refused", many(member(deep, data=b"x"), member("b/dev/mem", tarfile.CHRTYPE)),
            "character device")


def default_signals():
    for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)  # a test runner may have left one ignored


def empty_out(d):
    for n in os.listdir(d):
        rm_rf(os.path.join(d, n))


def signal_midway(argv, scratch, sig, ready, reset):
    """Run argv with TMPDIR=scratch and send it sig as soon as ready() holds. A run that ended
    first is undone by reset() and tried again, ten times at most. Returns whether the signal
    found it running, and its exit status."""
    for attempt in range(10):
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=dict(os.environ, TMPDIR=scratch), preexec_fn=default_signals)
        deadline = time.time() + 60
        while p.poll() is None and time.time() < deadline and not ready():
            time.sleep(0.001)
        running = p.poll() is None
        p.send_signal(sig)
        p.wait()
        if running:
            return True, p.returncode
        reset()
    return False, p.returncode


def test_signal_mid_unpack(tmp):
    """20,000 entries take seconds to unpack: SIGTERM, SIGINT or SIGHUP then still removes the
    temporary directory, and the process dies of the signal."""
    path = os.path.join(tmp, "many.tar.gz")
    with tarfile.open(path, "w:gz") as t:
        for i in range(20000):
            member(f"b/d{i % 100}/f{i}")(t)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        scratch = os.path.join(tmp, f"tmp-{sig.name}")
        os.mkdir(scratch)
        running, rc = signal_midway(
            [BIN, "--sysroot", path], scratch, sig,
            lambda: [n for n in os.listdir(scratch) if os.path.exists(os.path.join(scratch, n, "b"))],
            lambda: empty_out(scratch))
        check(running and rc == -sig, f"{sig.name} while unpacking: the process dies of it ({rc})")
        left = os.listdir(scratch)
        check(left == [], f"  {sig.name}: the temporary directory was removed {left}")
        rm_rf(scratch)


def big_log_tree(tmp):
    """A tree whose 30 MiB kernel log makes a bundle take long enough to be stopped midway."""
    tree = os.path.join(tmp, "bigtree")
    if not os.path.exists(tree):
        shutil.copytree(BASE, tree, symlinks=True)
        line = b"6,100,1000,-;pci 0000:00:02.0: something the driver said while probing, kept verbatim\n"
        with open(os.path.join(tree, "dev", "kmsg"), "wb") as f:
            f.write(line * (30 * 1024 * 1024 // len(line)))
    return tree


def test_signal_mid_write(tmp):
    """SIGTERM, SIGINT or SIGHUP while the bundle is written, or while --redact replays it to
    check it, removes the hidden temporary bundle, the map's and the replay's directory: the
    output directory is left as it was, and the process dies of the signal."""
    tree = big_log_tree(tmp)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        for extra, phase in (((), "write"), (("--redact",), "verify")):
            outdir = os.path.join(tmp, f"out-{sig.name}-{phase}")
            scratch = os.path.join(tmp, f"tmp-{sig.name}-{phase}")
            os.mkdir(outdir)
            os.mkdir(scratch)
            # write: the hidden bundle exists; verify: its replay directory does too (the
            # gather's views are in scratch from the start)
            running, rc = signal_midway(
                [BIN, "bundle", "-o", os.path.join(outdir, "b.tar.gz"), "--sysroot", tree, *extra], scratch,
                sig, lambda: os.listdir(outdir) and (phase == "write" or [
                    n for n in os.listdir(scratch) if n.startswith("aic-guestcheck-replay.")]),
                lambda: (empty_out(outdir), empty_out(scratch)))
            check(running and rc == -sig, f"{sig.name} during the {phase}: the process dies of it ({rc})")
            left = os.listdir(outdir) + os.listdir(scratch)
            check(left == [], f"  {sig.name} during the {phase}: no temporary left {left}")


def test_deep(tmp):
    """Names are at most 128 components deep: 200 names 1,900 deep made 380,000 directories, for
    minutes, from 5 KB."""
    def build(t):
        for i in range(200):
            member(f"top/{i}/" + "d/" * 1900 + "f", data=b"x")(t)
    hostile(tmp, "deep", build, "deeper than 128 components", seconds=20)
    hostile(tmp, "deep-129", member("top/" + "d/" * 127 + "f", data=b"x"), "deeper than 128 components")
    # 128 deep is unpacked: the refusal is the device after it.
    hostile(tmp, "deep-128", many(member("top/" + "d/" * 126 + "f", data=b"x"), member("top/dev/mem", tarfile.CHRTYPE)),
            "character device")


def test_hostile(tmp):
    hostile(tmp, "absolute", member("/tmp/pwned-by-bundle", data=b"x"), "absolute name")
    hostile(tmp, "dotdot", member("b/../../../tmp/pwned-by-bundle", data=b"x"), "'..'")
    hostile(tmp, "chardev", member("b/dev/mem", tarfile.CHRTYPE), "character device")
    hostile(tmp, "blockdev", member("b/dev/sda", tarfile.BLKTYPE), "block device")
    hostile(tmp, "fifo", member("b/sys/bus/pci/devices/x/revision", tarfile.FIFOTYPE), "FIFO")
    hostile(tmp, "symlink-out", member("b/sys/bus/pci/devices/x", tarfile.SYMTYPE, link="../../../../../.."),
            "points outside")
    hostile(tmp, "symlink-absolute", member("b/lib/modules", tarfile.SYMTYPE, link="/lib/modules"), "points outside")
    hostile(tmp, "symlink-dotdot-after-name", many(member("b/deep/s", tarfile.SYMTYPE, link=".."),
                                                   member("b/deep/x", tarfile.SYMTYPE, link="s/../../..")),
            "points outside")
    hostile(tmp, "through-symlink", many(member("b/l", tarfile.SYMTYPE, link="d"), member("b/d", tarfile.DIRTYPE),
                                         member("b/l/f", data=b"x")), "through a symlink")
    hostile(tmp, "hardlink-out", member("b/h", tarfile.LNKTYPE, link="../../etc/passwd"), "hard link")
    hostile(tmp, "twice", many(member("b/f", data=b"1"), member("b/f", data=b"2")), "twice")
    hostile(tmp, "tar-bomb", bomb, "larger than 64 MiB")
    path = os.path.join(tmp, "garbage.tar.gz")
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b" + os.urandom(4000))
    p = run(["--sysroot", path])
    check(p.returncode == 3 and "refusing to replay" in p.stderr, f"garbage refused: {p.stderr.strip()[:100]}")


with tempfile.TemporaryDirectory() as tmp:
    for test in (test_symlink_at_output, test_existing_file, test_umask, test_kill_mid_write,
                 test_name_and_layout, test_cut, test_hostile, test_pax_strict, test_long_names, test_signal_mid_unpack,
                 test_signal_mid_write, test_deep):
        d = os.path.join(tmp, test.__name__)
        os.mkdir(d)
        test(d)
print(f"bundle safety: {failures} failed")
sys.exit(1 if failures else 0)
