#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Whole-binary mutation test: the real binary on damaged copies of the fixture trees.

Each case copies one fixture tree (tests/fixtures/*), damages one path the pristine run read
(the openguard library's trace says which), runs `aic-guestcheck --sysroot COPY --format json`
with that fixture's arguments under the openguard LD_PRELOAD library, and fails on:
  - a hang (AICG_MUTATE_TIMEOUT seconds, default 60), a signal, a sanitizer report;
  - an exit status outside 0, 1, 2 (README "Exit status"; 3 is for an unreadable --sysroot,
    a usage or write error, none of which a damaged file below a readable root is), or a
    JSON `exit_code` that is not the process's status;
  - output that is not UTF-8 or not JSON, or JSON outside the documented schema;
  - any open outside the tree, or of a FIFO, socket or device node inside it (openguard);
  - a private view left in TMPDIR;
  - a PASS that the damage created (see MONOTONICITY below).

MONOTONICITY: damage never creates a PASS. A mutation is one of two kinds.
  destroy   the path stays in the tree but its content can no longer be read as what it was:
            a file replaced by a directory, a FIFO, a socket, a symlink to itself, a symlink
            leaving the tree (absolute or by ../), or mode 000 (only when not root, where the
            mode stops the read); a directory replaced by a file or a FIFO, or mode 000; a
            file's bytes replaced by noise, cut inside a line, interspersed with NUL bytes or
            invalid UTF-8, a line longer than the 1 MiB line cap, numbers replaced by ones
            that overflow 64 bits.
            RULE: every check that is not `pass` on the pristine tree is not `pass` on the
            damaged one, with no exception. Whatever the damaged content said, the tool can
            no longer know it; it may have been the reason the check did not pass.
  reshape   the result is content a real system can hold: the file removed (or a dangling
            link, which reads the same), emptied, or some of its lines deleted. A log without
            its failure line, a command line without `intremap=off` are other real systems,
            and a PASS there can be right. The content mutations above (noise, a cut, NUL
            bytes, invalid UTF-8, long lines, numbers) are reshapes too for the two free-text
            files, /proc/cmdline and the kernel log: any text is a command line or a log, and
            a garbled `intremap=off` is a command line without it.
            RULE: only what every case asserts (no crash, hang, escape, invalid JSON).
A destroy that turns a check into PASS is a failure unless it is in KNOWN below: defects this
test found that are not fixed yet, each matched by check, pristine status and damaged path, and
printed on every run that meets it.

usage: test_mutate.py BINARY GUARD_SO FIXTURES_DIR DATA_DIR
environment:
  AICG_MUTATE_CASES    number of mutated trees (default 150)
  AICG_MUTATE_SEED     the seed (default 1); a failure prints the seed and case to rerun
  AICG_MUTATE_CASE     run only this case number of that seed
  AICG_MUTATE_FIXTURE  only fixtures whose name contains this
  AICG_MUTATE_KEEP     a directory to keep the damaged trees of failed cases in
"""
import json
import os
import random
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema  # noqa: E402
from preload import guard_preload  # noqa: E402

BINARY, GUARD, FIXTURES, DATA = (os.path.abspath(a) for a in sys.argv[1:5])
CASES = int(os.environ.get("AICG_MUTATE_CASES", "150"))
SEED = os.environ.get("AICG_MUTATE_SEED", "1")
ONLY_CASE = os.environ.get("AICG_MUTATE_CASE")
ONLY_FIXTURE = os.environ.get("AICG_MUTATE_FIXTURE", "")
KEEP = os.environ.get("AICG_MUTATE_KEEP")
TIMEOUT = int(os.environ.get("AICG_MUTATE_TIMEOUT", "60"))
ROOT = os.geteuid() == 0
LINE_MAX = 1 << 20   # GC_LINE_MAX in probes/sysroot.h


PRELOAD = guard_preload(BINARY, GUARD)


def run(tree, expect, work, trace=None):
    """The binary on tree under the guard; (process or None on a hang, guard lines, leftovers)."""
    tmp = os.path.join(work, "tmp")
    os.makedirs(tmp, exist_ok=True)
    log = os.path.join(work, "guard.log")
    tests = os.path.dirname(FIXTURES)
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": tmp, "LD_PRELOAD": PRELOAD,
           "GUARD_ROOT": os.path.realpath(tree), "GUARD_LOG": log,
           "GUARD_ALLOW": ":".join([os.path.realpath(tmp), "/dev/null", "/", os.path.realpath(DATA)]),
           "ASAN_OPTIONS": "verify_asan_link_order=0:detect_leaks=1:abort_on_error=0",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}
    env.update({k: v.replace("@TESTS@", tests) for k, v in expect.get("env", {}).items()})
    if trace:
        env["GUARD_TRACE"] = trace
    args = [BINARY, "--sysroot", tree, "--format", "json", "--data-dir", DATA] + expect.get("args", [])
    try:
        p = subprocess.run(args, env=env, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        p = None
    guard = []
    if os.path.exists(log):
        with open(log, errors="replace") as f:
            guard = f.read().splitlines()
        os.unlink(log)
    left = os.listdir(tmp)
    shutil.rmtree(tmp, ignore_errors=True)
    return p, guard, left


def verdicts(p):
    """Parse and validate one run's output; (problems, {check: status})."""
    errs = []
    if p.returncode < 0:
        errs.append(f"killed by signal {-p.returncode}")
    elif p.returncode not in (0, 1, 2):
        errs.append(f"exit {p.returncode}")
    stderr = p.stderr.decode("utf-8", "replace")
    if re.search(r"Sanitizer|runtime error:|AddressSanitizer|LeakSanitizer", stderr):
        errs.append("sanitizer report: " + stderr[-1500:])
    try:
        doc = json.loads(p.stdout.decode("utf-8", "strict"))
    except (UnicodeDecodeError, ValueError) as e:
        errs.append(f"output is not UTF-8 JSON: {e}; stderr: {stderr[-300:]}")
        return errs, {}
    errs += schema.validate(doc)
    if doc.get("exit_code") != p.returncode:
        errs.append(f"JSON exit_code {doc.get('exit_code')}, process {p.returncode}")
    return errs, {c["id"]: c["status"] for c in doc.get("checks", [])}


# ---- pristine runs: verdicts and the paths read ----

class Pristine:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(FIXTURES, name)
        with open(os.path.join(self.dir, "expect.json")) as f:
            self.expect = json.load(f)
        work = tempfile.mkdtemp(prefix="gc-mutate-pristine-")
        try:
            trace = os.path.join(work, "trace")
            p, guard, left = run(self.dir, self.expect, work, trace)
            if p is None or guard or left:
                raise SystemExit(f"{name}: the pristine tree hangs or trips the guard: {guard} {left}")
            errs, self.status = verdicts(p)
            checks = json.loads(p.stdout)["checks"]
            if errs:
                raise SystemExit(f"{name}: the pristine tree fails: {errs}")
            real = os.path.realpath(self.dir)
            read = set()
            if os.path.exists(trace):
                with open(trace) as f:
                    for line in f:
                        path = line.rstrip("\n").split(" ", 1)[1]
                        if path != real and path.startswith(real + "/"):
                            read.add(os.path.relpath(path, real))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        # The links on the way to what was read (sys/bus/pci/devices/X, class links...).
        links = set()
        for top, dirs, files in os.walk(self.dir):
            for n in dirs + files:
                full = os.path.join(top, n)
                if os.path.islink(full):
                    res = os.path.relpath(os.path.realpath(full), real)
                    if any(r == res or r.startswith(res + "/") for r in read):
                        links.add(os.path.relpath(full, self.dir))
        self.files = sorted(r for r in read if os.path.isfile(os.path.join(self.dir, r)))
        self.dirs = sorted(r for r in read if os.path.isdir(os.path.join(self.dir, r)))
        self.links = sorted(links)
        self.cited = evidence_paths(self, checks)


# ---- mutations: each takes (rng, path) and says what it did ----

def remove(path):
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
    else:
        shutil.rmtree(path)


def replace_by(make):
    def m(rng, path, outside):
        remove(path)
        make(path, outside)
        return make.__name__
    return m


def as_dir(path, outside):
    os.mkdir(path)


def as_file(path, outside):
    with open(path, "wb") as f:
        f.write(b"1\n")


def as_fifo(path, outside):
    os.mkfifo(path)


def as_socket(path, outside):
    s, cwd = socket.socket(socket.AF_UNIX), os.getcwd()
    os.chdir(os.path.dirname(path))     # a sun_path holds 108 bytes: bind by the short name
    try:
        s.bind(os.path.basename(path))
    finally:
        os.chdir(cwd)
        s.close()


def as_loop(path, outside):
    os.symlink(os.path.basename(path), path)


def as_dangling(path, outside):
    os.symlink(os.path.basename(path) + ".gone", path)


def copy_outside(path, outside):
    src, dst = os.path.realpath(path), os.path.join(outside, "copy")
    if os.path.isdir(src):
        shutil.copytree(src, dst, symlinks=True)
    else:
        shutil.copy(src, dst)
    return dst


def escape_abs(rng, path, outside):
    """An absolute link to a copy of the same content outside the tree: only a read that left
    the tree can see it (and the guard reports that read)."""
    dst = copy_outside(path, outside)
    remove(path)
    os.symlink(dst, path)
    return "escaping absolute link"


def escape_rel(rng, path, outside):
    dst = copy_outside(path, outside)
    remove(path)
    depth = os.path.dirname(path).count("/")
    os.symlink("../" * (depth + 4) + dst.lstrip("/"), path)
    return "escaping relative link"


def mode_000(rng, path, outside):
    os.chmod(path, 0)
    return "mode 000"


def content(fn):
    def m(rng, path, outside):
        path = os.path.realpath(path)
        with open(path, "rb") as f:
            data = f.read()
        new, what = fn(rng, data)
        with open(path, "wb") as f:
            f.write(new)
        return what
    return m


def spots(rng, data, k):
    return sorted(rng.randrange(len(data) + 1) for _ in range(k))


def insert_at(rng, data, k, piece):
    out, last = [], 0
    for s in spots(rng, data, k):
        out += [data[last:s], piece(rng)]
        last = s
    out.append(data[last:])
    return b"".join(out)


@content
def noise(rng, data):
    n = max(len(data), 1)
    return bytes(rng.randrange(256) for _ in range(min(n, 4096))), f"{min(n, 4096)} bytes of noise"


@content
def cut_mid_line(rng, data):
    inner = [i for i in range(1, len(data)) if data[i - 1:i] != b"\n"]
    if not inner:
        return b"", "emptied (no inner position)"
    at = rng.choice(inner)
    return data[:at], f"cut at byte {at} of {len(data)}"


@content
def nul_bytes(rng, data):
    k = rng.randint(1, 4)
    return insert_at(rng, data, k, lambda r: b"\0"), f"{k} NUL bytes inserted"


BAD_UTF8 = [b"\xff", b"\xfe\xfe", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80",
            b"\x1b[2J\x1b]0;pwned\x07"]


@content
def bad_utf8(rng, data):
    k = rng.randint(1, 4)
    return insert_at(rng, data, k, lambda r: r.choice(BAD_UTF8)), f"{k} invalid UTF-8 sequences inserted"


@content
def huge_line(rng, data):
    at = rng.choice([0, len(data)] + [i + 1 for i, b in enumerate(data) if b == 0x0a][:64])
    fill = bytes([rng.choice(b"x0 f:")]) * (LINE_MAX + rng.randrange(4096))
    return data[:at] + fill + b"\n" + data[at:], f"a line of {len(fill)} bytes at byte {at}"


NUMBER = re.compile(rb"(?<![\w.])(0x[0-9a-fA-F]+|-?[0-9]+)(?![\w.])")
HUGE = [b"99999999999999999999999999", b"18446744073709551616", b"-9223372036854775809",
        b"0x1ffffffffffffffff", b"4294967296", b"2147483648", b"-1"]


@content
def overflow_numbers(rng, data):
    n = len(NUMBER.findall(data))
    if not n:
        return data + b"\n" + rng.choice(HUGE) + b"\n", "an overflowing number appended"
    return NUMBER.sub(lambda m: rng.choice(HUGE), data), f"{n} numbers made to overflow"


@content
def emptied(rng, data):
    return b"", "emptied"


@content
def drop_lines(rng, data):
    lines = data.split(b"\n")
    k = rng.randint(1, max(1, len(lines) // 4))
    drop = set(rng.sample(range(len(lines)), min(k, len(lines))))
    return b"\n".join(line for i, line in enumerate(lines) if i not in drop), f"{len(drop)} lines deleted"


def deep_nesting(rng, path, outside):
    """Below a directory the tool lists: 300 nested directories and a link back to the top."""
    d = os.path.join(path, "nest")
    cur = d
    for _ in range(300):
        cur = os.path.join(cur, "d")
    os.makedirs(cur)
    os.symlink("../" * 301, os.path.join(cur, "up"))
    os.symlink(".", os.path.join(path, "self"))
    return "300 nested directories and link loops added"


def dir_emptied(rng, path, outside):
    for n in os.listdir(path):
        remove(os.path.join(path, n))
    return "emptied"


def removed(rng, path, outside):
    remove(path)
    return "removed"


# Where any text is valid content: a garbled file is another file, not a damaged one.
FREE_TEXT = re.compile(r"^(proc/cmdline|dev/kmsg.*)$")

# Found by this test, not fixed yet: (check, status on the pristine tree, damaged path, why).
KNOWN = []


def known(cid, before, real):
    for k_cid, k_before, k_path, why in KNOWN:
        if k_cid == cid and k_before == before and re.match(k_path, real):
            return why
    return None


# (name, kind, applies to, function)
MUTATIONS = [
    ("to-dir", "destroy", "file", replace_by(as_dir)),
    ("to-fifo", "destroy", "file", replace_by(as_fifo)),
    ("to-socket", "destroy", "file", replace_by(as_socket)),
    ("link-loop", "destroy", "file", replace_by(as_loop)),
    ("escape-abs", "destroy", "file", escape_abs),
    ("escape-rel", "destroy", "file", escape_rel),
    ("noise", "destroy", "file", noise),
    ("cut-mid-line", "destroy", "file", cut_mid_line),
    ("nul-bytes", "destroy", "file", nul_bytes),
    ("bad-utf8", "destroy", "file", bad_utf8),
    ("huge-line", "destroy", "file", huge_line),
    ("overflow-numbers", "destroy", "file", overflow_numbers),
    ("removed", "reshape", "file", removed),
    ("dangling-link", "reshape", "file", replace_by(as_dangling)),
    ("emptied", "reshape", "file", emptied),
    ("drop-lines", "reshape", "file", drop_lines),
    ("dir-to-file", "destroy", "dir", replace_by(as_file)),
    ("dir-to-fifo", "destroy", "dir", replace_by(as_fifo)),
    ("dir-escape-abs", "destroy", "dir", escape_abs),
    ("dir-escape-rel", "destroy", "dir", escape_rel),
    ("dir-deep-nesting", "reshape", "dir", deep_nesting),
    ("dir-emptied", "reshape", "dir", dir_emptied),
    ("dir-removed", "reshape", "dir", removed),
    ("link-escape-abs", "destroy", "link", escape_abs),
    ("link-escape-rel", "destroy", "link", escape_rel),
    ("link-loop", "destroy", "link", replace_by(as_loop)),
    ("link-dangling", "reshape", "link", replace_by(as_dangling)),
]
CONTENT = {"noise", "cut-mid-line", "nul-bytes", "bad-utf8", "huge-line", "overflow-numbers"}
if not ROOT:
    MUTATIONS += [("mode-000", "destroy", "file", mode_000), ("dir-mode-000", "destroy", "dir", mode_000)]


def restore(tree, source, rel):
    """Put rel back in the scratch tree as the fixture has it."""
    path, orig = os.path.join(tree, rel), os.path.join(source, rel)
    if os.path.lexists(path):
        if not os.path.islink(path):
            os.chmod(path, 0o755)
        remove(path)
    if os.path.islink(orig):
        os.symlink(os.readlink(orig), path)
    elif os.path.isdir(orig):
        shutil.copytree(orig, path, symlinks=True)
    elif os.path.lexists(orig):
        shutil.copy2(orig, path)


def evidence_paths(pr, doc_checks):
    """The tree paths the pristine run cites as evidence for the checks that did not pass:
    where damage could turn one of them into a PASS. Only aims the mutations; what a
    mutated run must give never comes from the checker's output."""
    cited = set()
    for c in doc_checks:
        if c["status"] == "pass":
            continue
        for e in c.get("evidence", []):
            for src in re.split(r",\s*", e.get("source", "")):
                src = src.split(" ")[0]
                if src == "kernel":
                    cited.update(t for t in pr.files if t.startswith("dev/kmsg") or "journal" in t)
                elif src.startswith("CONFIG_"):
                    cited.update(t for t in pr.files if t.startswith("boot/config"))
                elif src:
                    rel = src.lstrip("/")
                    real = os.path.relpath(os.path.realpath(os.path.join(pr.dir, rel)), os.path.realpath(pr.dir))
                    cited.update((rel, real))
    return cited


def main():
    names = sorted(n for n in os.listdir(FIXTURES)
                   if os.path.exists(os.path.join(FIXTURES, n, "expect.json")) and ONLY_FIXTURE in n)
    pristine, scratch = {}, {}
    failures = []
    kinds = {}
    flips = []
    known_hits = []
    start = time.monotonic()
    base = tempfile.mkdtemp(prefix="gc-mutate-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    cases = [int(ONLY_CASE)] if ONLY_CASE else range(CASES)
    try:
        for i in cases:
            rng = random.Random(f"{SEED}:{i}")
            name = rng.choice(names)
            if name not in pristine:
                pristine[name] = Pristine(name)
                scratch[name] = os.path.join(base, name)
                shutil.copytree(pristine[name].dir, scratch[name], symlinks=True)
                os.unlink(os.path.join(scratch[name], "expect.json"))
            pr, tree = pristine[name], scratch[name]
            targets = [("file", t) for t in pr.files] + [("dir", t) for t in pr.dirs] + \
                      [("link", t) for t in pr.links]
            if not targets:
                continue    # empty-sysroot: nothing read, nothing to damage
            aimed = [t for t in targets if t[1] in pr.cited]
            if aimed and rng.random() < 0.5:
                targets = aimed
            kind_of, rel = rng.choice(targets)
            mname, mkind, _, fn = rng.choice([m for m in MUTATIONS if m[2] == kind_of])
            work = os.path.join(base, f"case-{i}")
            outside = os.path.join(work, "outside")
            os.makedirs(outside)
            real = os.path.relpath(os.path.realpath(os.path.join(tree, rel)), os.path.realpath(tree))
            label = f"case {i} ({name}: {rel}: {mname}"
            errs = []
            try:
                what = fn(rng, os.path.join(tree, rel), outside)
                label += f", {what})"
                if FREE_TEXT.match(real) and kind_of == "file" and mname in CONTENT:
                    mkind = "reshape"
                kinds[mkind] = kinds.get(mkind, 0) + 1
                p, guard, left = run(tree, pr.expect, work)
                if p is None:
                    errs.append(f"hung ({TIMEOUT} s)")
                else:
                    e, status = verdicts(p)
                    errs += e
                    for cid, before in sorted(pr.status.items()):
                        if before != "pass" and status.get(cid) == "pass":
                            why = known(cid, before, real)
                            # A check skipped because the platform was known to make it not
                            # apply runs on its own, undamaged evidence once damage to an
                            # identity source leaves the platform undecided: that pass is the
                            # check's own, and platform.hypervisor must then not pass itself.
                            unskipped = (before == "skip" and cid != "platform.hypervisor"
                                         and status.get("platform.hypervisor") in ("unknown", "warn"))
                            if mkind == "reshape" or unskipped:
                                flips.append(f"{label}: {cid}: {before} -> pass")
                            elif why:
                                known_hits.append(f"{label}: {cid}: {before} -> pass: {why}")
                            else:
                                errs.append(f"{cid}: {before} on the pristine tree, pass after the damage")
                errs += [f"guard: {g}" for g in guard[:5]]
                if left:
                    errs.append(f"private views left in TMPDIR: {left}")
                failures += [f"{label}: {e}" for e in errs]
                if errs and KEEP:
                    os.makedirs(KEEP, exist_ok=True)
                    shutil.copytree(tree, os.path.join(KEEP, f"case-{SEED}-{i}"), symlinks=True)
            finally:
                for r in (rel, real):
                    if not r.startswith(".."):
                        restore(tree, pr.dir, r)
                shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for k in flips:
        print("RESHAPE", k)
    for k in known_hits:
        print("KNOWN", k)
    for f in failures:
        print("FAIL", f)
    if failures:
        only = f"AICG_MUTATE_FIXTURE={ONLY_FIXTURE} " if ONLY_FIXTURE else ""
        print(f"reproduce one: AICG_MUTATE_SEED={SEED} {only}AICG_MUTATE_CASE=N {' '.join(sys.argv)}")
    print(f"seed {SEED}: {len(cases)} cases over {len(pristine)} fixtures "
          f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}; {len(flips)} reshapes turned a check "
          f"to pass, as a real system can), {len(known_hits)} known defects met, {len(failures)} failures, {time.monotonic() - start:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
