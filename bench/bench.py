#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmark aic-guestcheck against its peers, the floor and itself.

Builds nothing: it takes the binary. Every figure is CPU time (user + system of the
child, from wait4), the median of several runs, and every comparison is a ratio taken
in the same run on the same machine, so the figures travel between machines. It never
asserts an absolute time; it prints a report and exits 0 unless the binary cannot run.

  bench/bench.py --binary build/aic-guestcheck [--quick] [--runs N] [--work DIR]

Sections:
  live     the live check vs `lspci -vvv`, `systemd-detect-virt` and the floor: one
           `cat` of exactly the regular files the checker read (its own record, taken
           from the support bundle it writes)
  bundle   `aic-guestcheck bundle` vs `tar czf` of the same members, at 4,096 PCI functions
           (and of its regular files only, for reference)
  curves   generated trees: PCI functions, cards, kernel log lines, kallsyms lines;
           per-unit cost between sizes (linear when it stays flat) and peak memory
           against the largest single input
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures")
# Files the bundle adds that no probe read from the tree.
SYNTHETIC = ("dev/kmsg", "dev/cpuid", ".unreadable")
GNU_TIME = "/usr/bin/time"


def run_once(argv):
    """CPU seconds and exit code of one run of argv."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    return ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(status)


def peak_rss(argv, work):
    """Peak RSS in KiB, or 0 when GNU time is missing. A child of this Python process
    inherits its RSS as ru_maxrss at exec, so the figure comes from GNU time's own
    child, whose parent is small."""
    if not os.access(GNU_TIME, os.X_OK):
        return 0
    out = os.path.join(work, "rss.txt")
    run_once([GNU_TIME, "-o", out, "-f", "%M", *argv])
    try:
        with open(out) as f:
            return int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return 0


def measure(argv, runs, work):
    """Median CPU seconds, peak RSS (KiB) and the exit code of the last run."""
    run_once(argv)  # warm the page cache
    times, rc = [], 0
    for _ in range(runs):
        t, rc = run_once(argv)
        times.append(t)
    return statistics.median(times), peak_rss(argv, work), rc


def ms(seconds):
    return f"{seconds * 1000:8.2f} ms"


def ratio(a, b):
    return f"{a / b:6.2f}x" if b > 0 else "   n/a"


def bundle_members(archive, kinds=("file",)):
    """Members of a bundle of the given kinds ("file", "symlink", "directory"),
    tree-relative (the top directory, if any, removed), without what the bundle
    writes itself."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers()
                   if ("file" in kinds and m.isfile()) or ("symlink" in kinds and m.issym())
                   or ("directory" in kinds and m.isdir())]
    names = [m.name.rstrip("/") for m in members]
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1:
        top = tops.pop()
        if top not in ("sys", "proc", "dev", "boot", "lib", "etc", "usr"):
            names = [n.split("/", 1)[1] for n in names if "/" in n]
    return [n for n in names
            if n not in SYNTHETIC and not n.startswith("aic-guestcheck-")
            and not n.startswith("MANIFEST")]


def is_card(config_path):
    try:
        with open(os.path.join(os.path.dirname(config_path), "vendor")) as f:
            return f.read().strip() == "0x17cb"
    except OSError:
        return False


def make_bundle(binary, out, sysroot=None):
    argv = [binary, "bundle", "-o", out]
    if sysroot:
        argv += ["--sysroot", sysroot]
    return argv


# --- generated trees -----------------------------------------------------------------------

def copy_fixture(name, dst):
    shutil.copytree(os.path.join(FIXTURES, name), dst, symlinks=True)
    os.unlink(os.path.join(dst, "expect.json"))


def pci_address(i, first_bus=0x10):
    bus, rest = divmod(i, 256)
    dev, fn = divmod(rest, 8)
    return f"0000:{first_bus + bus:02x}:{dev:02x}.{fn}"


def add_pci_functions(root, template_addr, count, first_bus=0x10):
    """count copies of one function beside it under pci0000:00, linked from the bus."""
    top = os.path.join(root, "sys/devices/pci0000:00")
    tmpl = os.path.join(top, template_addr)
    bus = os.path.join(root, "sys/bus/pci/devices")
    for i in range(count):
        addr = pci_address(i, first_bus)
        shutil.copytree(tmpl, os.path.join(top, addr), symlinks=True)
        os.symlink(f"../../../devices/pci0000:00/{addr}", os.path.join(bus, addr))


def add_cards(root, count):
    """count-1 more Cloud AI 100 functions like the fixture's card, each with its accel node."""
    card = os.path.join(root, "sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0")
    top = os.path.join(root, "sys/devices/pci0000:00")
    bus = os.path.join(root, "sys/bus/pci/devices")
    for i in range(1, count):
        addr = f"0000:{0x20 + i:02x}:00.0"
        dst = os.path.join(top, addr)
        shutil.copytree(card, dst, symlinks=True)
        # One level less deep than the original (no bridge above): re-aim the links.
        for link, target in (("driver", "../../../bus/pci/drivers/qaic"),
                             ("iommu_group", "../../../kernel/iommu_groups/11")):
            os.unlink(os.path.join(dst, link))
            os.symlink(target, os.path.join(dst, link))
        os.rename(os.path.join(dst, "accel/accel0"), os.path.join(dst, f"accel/accel{i}"))
        open(os.path.join(root, f"dev/accel/accel{i}"), "w").close()
        os.symlink(f"../../../devices/pci0000:00/{addr}", os.path.join(bus, addr))


def pad_kernel_log(root, lines):
    path = os.path.join(root, "dev/kmsg")
    with open(path) as f:
        real = f.read().splitlines()
    head, tail = real[:len(real) // 2], real[len(real) // 2:]
    with open(path, "w") as f:
        f.write("\n".join(head) + "\n")
        for i in range(max(0, lines - len(real))):
            f.write(f"[   30.{i % 1000000:06d}] audit: type=1400 audit({i}.000:1): "
                    f"apparmor=\"STATUS\" operation=\"profile_load\" name=\"p{i}\"\n")
        f.write("\n".join(tail) + "\n")


def pad_kallsyms(root, lines):
    path = os.path.join(root, "proc/kallsyms")
    with open(path) as f:
        real = f.read()
    with open(path, "w") as f:
        for i in range(max(0, lines - real.count("\n"))):
            f.write(f"ffffffff{0x81000000 + i * 16:08x} t filler_symbol_{i}\n")
        f.write(real)


def largest_file(root):
    best = 0
    for d, _, files in os.walk(root):
        for n in files:
            p = os.path.join(d, n)
            if not os.path.islink(p):
                best = max(best, os.path.getsize(p))
    return best


CURVES = {
    # name: (base fixture, sizes, quick sizes, builder, unit)
    "pci-functions": ("e2e-q35-viommu-ir", [16, 64, 256, 1024, 4096], [16, 256, 4096],
                      lambda r, n: add_pci_functions(r, "0000:00:1f.2", n), "function"),
    "cards": ("card-qaic-32msi", [1, 4, 16, 64], [1, 16, 64],
              add_cards, "card"),
    "kernel-log-lines": ("card-qaic-32msi", [10_000, 100_000, 1_000_000],
                         [10_000, 1_000_000], pad_kernel_log, "line"),
    "kallsyms-lines": ("hyperv-5.4-kallsyms", [100_000, 300_000, 1_000_000],
                       [100_000, 1_000_000], pad_kallsyms, "line"),
}


def curve(binary, name, work, runs, quick):
    base, sizes, qsizes, build, unit = CURVES[name]
    print(f"\n{name} (base fixture {base})")
    print(f"  {'size':>9}  {'cpu':>11}  {'per ' + unit:>14}  {'marginal':>9}"
          f"  {'peak rss':>10}  {'largest input':>13}")
    points = []
    for n in (qsizes if quick else sizes):
        root = os.path.join(work, f"{name}-{n}")
        copy_fixture(base, root)
        build(root, n)
        t, rss, rc = measure([binary, "--sysroot", root, "--format", "json"], runs, work)
        if rc not in (0, 1, 2):
            print(f"  {n:>9}  exit {rc}: the checker failed on this tree")
            shutil.rmtree(root)
            continue
        big = largest_file(root)
        marginal = ""
        if points:
            n0, t0 = points[-1]
            if n > n0:
                marginal = f"{(t - t0) / (n - n0) * 1e6:7.2f}us"
        points.append((n, t))
        print(f"  {n:>9}  {ms(t)}  {t / n * 1000 * 1000:11.2f} us  {marginal:>9}"
              f"  {rss / 1024:7.1f} MiB  {big / 2**20:9.2f} MiB")
        shutil.rmtree(root)
    if len(points) >= 3:
        (na, ta), (nb, tb), (nc, tc) = points[-3], points[-2], points[-1]
        first, last = (tb - ta) / (nb - na), (tc - tb) / (nc - nb)
        shape = "linear" if last <= 2 * max(first, 1e-9) else "SUPERLINEAR"
        print(f"  marginal cost per {unit}, last segment vs the one before: "
              f"{ratio(last, first)} ({shape})")
    return points


def live(binary, work, runs):
    print("live check on this machine")
    rows = []
    t_self, rss, rc = measure([binary, "--format", "json"], runs, work)
    rows.append(("aic-guestcheck --format json", t_self, rss))
    archive = os.path.join(work, "live.tar.gz")
    _, brc = run_once(make_bundle(binary, archive))
    files = []
    if brc == 0 and os.path.exists(archive):
        files = ["/" + n for n in bundle_members(archive)]
        files = [f for f in files if os.path.isfile(f) and not f.startswith("/dev/")]
    for argv in (["lspci", "-vvv"], ["systemd-detect-virt"]):
        if shutil.which(argv[0]):
            t, m, _ = measure(argv, runs, work)
            rows.append((" ".join(argv), t, m))
        else:
            rows.append((" ".join(argv) + " (not installed)", 0.0, 0))
    if files:
        # The bundle keeps every function's config space for replay, but the checker reads
        # it only for cards (the header and capability list: 256 bytes). In a VM each config
        # access is a trap to the hypervisor, so reading more would flatter the checker.
        config = [f for f in files if f.endswith("/config") and is_card(f)]
        whole = [f for f in files if not f.endswith("/config")]
        t, m, _ = measure(["cat", *whole], runs, work)
        if config:
            tc, mc, _ = measure(["head", "-q", "-c", "256", *config], runs, work)
            t, m = t + tc, max(m, mc)
        rows.append((f"floor: the {len(files)} files it read", t, m))
    else:
        rows.append(("floor (no bundle record)", 0.0, 0))
    for label, t, m in rows:
        print(f"  {label:<44} {ms(t)}  {m / 1024:6.1f} MiB  "
              f"checker/this {ratio(t_self, t)}")
    return rows


def bundle(binary, work, runs, functions=4096):
    print(f"\nbundle vs tar czf at {functions} PCI functions")
    root = os.path.join(work, "bundle-tree")
    copy_fixture("e2e-q35-viommu-ir", root)
    add_pci_functions(root, "0000:00:1f.2", functions)
    out = os.path.join(work, "b.tar.gz")
    if os.path.exists(out):
        os.unlink(out)
    t, rc = run_once(make_bundle(binary, out, root))  # warms the page cache, lists the files
    if rc != 0:
        print(f"  bundle failed (exit {rc})")
        return
    # The goal's "same files": every member the bundle took from the tree, its links
    # (4,096 sys/bus/pci/devices entries) and held directories too, as tar takes
    # them (--no-recursion: a directory is one entry). Regular files alone, beside
    # it, leave out the lstat and readlink the bundle pays for each link.
    tars = []
    for label, kinds in (("the same members (files, links, dirs)", ("file", "symlink", "directory")),
                         ("the regular files only", ("file",))):
        names = [m for m in bundle_members(out, kinds) if os.path.lexists(os.path.join(root, m))]
        listing = os.path.join(work, f"files-{len(tars)}.txt")
        with open(listing, "w") as f:
            f.write("\n".join(names) + "\n")
        argv = ["tar", "--no-recursion", "--verbatim-files-from", "-czf", os.path.join(work, "t.tar.gz"), "-C", root, "-T", listing]
        run_once(argv)
        tars.append((label, len(names), argv, []))
    # Alternated, run by run: the speed of a shared VM drifts within seconds.
    times = []
    for _ in range(runs):
        os.unlink(out)
        t, rc = run_once(make_bundle(binary, out, root))
        if rc != 0:
            print(f"  bundle failed (exit {rc})")
            return
        times.append(t)
        for _, _, argv, tar_times in tars:
            tar_times.append(run_once(argv)[0])
    t_bundle = statistics.median(times)
    print(f"  aic-guestcheck bundle ({tars[0][1]} members)    {ms(t_bundle)}")
    for i, (label, count, _, tar_times) in enumerate(tars):
        t_tar = statistics.median(tar_times)
        pairs = statistics.median(b / t for b, t in zip(times, tar_times) if t > 0)
        goal = "   (goal <= 1.5x)" if i == 0 else ""
        print(f"  tar czf of {label}: {count} entries  {ms(t_tar)}")
        print(f"    bundle/tar {ratio(t_bundle, t_tar)}{goal}; median of run-by-run ratios {pairs:.2f}x")
    shutil.rmtree(root)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--runs", type=int, default=0, help="runs per figure (default 7, quick 3)")
    ap.add_argument("--quick", action="store_true", help="fewer sizes and runs (CI)")
    ap.add_argument("--work", help="scratch directory (default: a private temporary one)")
    ap.add_argument("--only", choices=["live", "bundle", *CURVES], action="append")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    binary = os.path.abspath(args.binary)
    if run_once([binary, "--version"])[1] != 0:
        sys.exit(f"bench: {binary} does not run")
    work = args.work or tempfile.mkdtemp(prefix="aicg-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        print(f"aic-guestcheck benchmark: {binary}, median of {runs} runs, CPU time")
        todo = args.only or ["live", "bundle", *CURVES]
        if "live" in todo:
            live(binary, work, runs)
        if "bundle" in todo:
            bundle(binary, work, 1 if args.quick else runs)
        for name in CURVES:
            if name in todo:
                curve(binary, name, work, runs, args.quick)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
