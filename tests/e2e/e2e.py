#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot real Linux guests under QEMU (TCG) and hold aic-guestcheck's verdicts
against what the real kernel does. See tests/e2e/README.md."""

import argparse
import base64
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import time
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2e_expect  # noqa: E402  the assertions, kept apart from the machinery
import kernels  # noqa: E402  which guest kernels, and how they are fetched

# The stand-in card: QEMU's NEC uPD720200 xHCI with MSI (up to 16 vectors).
# How many vectors its driver asks for depends on the kernel: see e2e_expect.
STANDIN = "nec-usb-xhci,msix=off,msi=on"
STANDIN_ID = "1033:0194"
IOMMU = "intel-iommu,intremap=on,caching-mode=on"
# A guest takes 5-20 s on an idle core; a panicking one exits at once (panic=-1).
# The bound only stops a hung guest, so it is generous for loaded machines.
BOOT_TIMEOUT = 300
# no_timer_check: a TCG guest on a loaded host can miss the ten ticks check_timer() waits for
# and panic ("timer doesn't work through Interrupt-remapped IO-APIC", seen on 5.10, 6.1 and
# 6.12); timer_irq_works() returns at once with it (arch/x86/kernel/apic/io_apic.c).
GUEST_CMDLINE = "console=ttyS0 panic=-1 loglevel=4 no_timer_check"

VMWARE_DMI = ("type=1,manufacturer=VMware,, Inc.,product=VMware Virtual Platform",)


class Case(NamedTuple):
    machine: str
    devices: tuple = ()     # -device before the stand-ins
    cmdline: str = ""       # extra guest kernel command line
    standins: int = 1
    smbios: tuple = ()
    cpu: str = None
    late_driver: bool = False  # the stand-in's driver is loaded while the checker runs --wait


# A new case is one line here and one in e2e_expect.EXPECT.
CASES = {
    "q35-viommu-ir": Case("q35,kernel-irqchip=split", (IOMMU,)),
    "q35-no-iommu": Case("q35"),
    "q35-viommu-intremap-off": Case("q35,kernel-irqchip=split", ("intel-iommu,intremap=off,caching-mode=on",)),
    "i440fx": Case("pc"),
    "q35-viommu-guest-intremap-off": Case("q35,kernel-irqchip=split", (IOMMU,), "intremap=off"),
    "q35-viommu-guest-intel-iommu-off": Case("q35,kernel-irqchip=split", (IOMMU,), "intel_iommu=off"),
    "q35-viommu-no-caching-mode": Case("q35,kernel-irqchip=split", ("intel-iommu,intremap=on",)),
    "q35-no-iommu-intel-iommu-on": Case("q35", (), "intel_iommu=on"),
    # DMI says VMware while CPUID says QEMU: the sources disagree.
    "vmware-dmi": Case("q35", smbios=VMWARE_DMI),
    # DMI says VMware and CPUID names no hypervisor (tcg-cpuid=off): DMI decides.
    "vmware-dmi-no-cpuid-sig": Case("q35", smbios=VMWARE_DMI, cpu="qemu64,tcg-cpuid=off"),
    "q35-viommu-two-devices": Case("q35,kernel-irqchip=split", (IOMMU,), standins=2),
    # --wait: the checker starts before the stand-in's driver is loaded and must see it bind.
    "q35-viommu-ir-late-driver": Case("q35,kernel-irqchip=split", (IOMMU,), late_driver=True),
}

# Every case on the default kernel; on the others the remapping cases that
# tell the kernel generations apart (chip names, log lines, xhci's vectors).
GENERATION_CASES = ["q35-viommu-ir", "q35-no-iommu", "q35-viommu-intremap-off",
                    "q35-viommu-guest-intremap-off"]
KERNEL_CASES = {k: (list(CASES) if k == kernels.DEFAULT_KERNEL else GENERATION_CASES)
                for k in kernels.KERNELS}


def guest_binaries(args):
    """(name in the guest's /bin, host path) of each checker build the guests run; the first
    also makes the support bundles. Each is asserted the same way, and each later one must
    give the first one's verdicts (same_verdicts)."""
    binaries = [("aic-guestcheck", args.binary)]
    if args.static_binary:
        binaries.append(("aic-guestcheck-static", args.static_binary))
    return binaries


def same_verdicts(runs, names):
    """Every build's exit code and per-check statuses, as root and as nobody, are the first's."""
    errs = []
    first = names[0]
    for b in names[1:]:
        for who in ("root", "user"):
            want, got = runs[first][who], runs[b][who]
            a = {c["id"]: c["status"] for c in want["json"]["checks"]}
            z = {c["id"]: c["status"] for c in got["json"]["checks"]}
            if a != z:
                diff = {k: (a.get(k), z.get(k)) for k in sorted(set(a) | set(z)) if a.get(k) != z.get(k)}
                errs.append(f"{b} {who}: verdicts differ from {first}'s: {diff}")
            if want["exit"] != got["exit"]:
                errs.append(f"{b} {who}: exit {got['exit']}, {first} exited {want['exit']}")
    return errs


def log(msg):
    print(f"e2e: {msg}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def copy_with_libs(binary, root, name):
    """A checker build into /bin/NAME, with the shared libraries it links (none when static)."""
    shutil.copy(binary, os.path.join(root, "bin", name))
    libs = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    for line in libs.splitlines():
        parts = line.split()
        path = parts[2] if "=>" in parts and len(parts) > 2 else (parts[0] if parts else "")
        if path.startswith("/"):
            dst = os.path.join(root, path.lstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(path, dst)


def build_base_initramfs(binaries, kdir, work):
    root = os.path.join(work, "initramfs")
    shutil.rmtree(root, ignore_errors=True)
    for d in ["bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "capture", "root"]:
        os.makedirs(os.path.join(root, d))
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    os.chmod(os.path.join(root, "capture"), 0o1777)
    # busybox-static: the same /bin/sh and applets on every guest kernel.
    shutil.copy("/bin/busybox", os.path.join(root, "bin/busybox"))
    for applet in ["sh", "mount", "insmod", "cat", "mkdir", "echo", "tar", "base64",
                   "poweroff", "dmesg", "gzip", "su", "ln", "mv", "rm", "dirname", "readlink", "pwd", "find", "ls", "sleep", "tail"]:
        os.symlink("busybox", os.path.join(root, "bin", applet))
    for name, path in binaries:
        copy_with_libs(path, root, name)
    # The shipped tables where an installed checker finds them (<bindir>/../share): without
    # them it warns on stderr, which the console mixes into the JSON it prints.
    shutil.copytree(os.path.join(HERE, "..", "..", "data"), os.path.join(root, "share", "aic-guestcheck"))
    with open(os.path.join(root, "e2e-binaries"), "w") as f:
        f.write("".join(name + "\n" for name, _ in binaries))
    run(["gcc", "-static", "-O2", "-o", os.path.join(root, "bin/cpuid-dump"),
         os.path.join(HERE, "cpuid-dump.c")])
    shutil.copy(os.path.join(HERE, "capture.sh"), os.path.join(root, "bin/capture.sh"))
    shutil.copy(os.path.join(HERE, "guest-init.sh"), os.path.join(root, "init"))
    # The stand-in's driver and its dependencies, decompressed, and the order to load them.
    shutil.copytree(os.path.join(kdir, "modules"), os.path.join(root, "modules"))
    shutil.copytree(os.path.join(kdir, "x", "lib"), os.path.join(root, "lib"), dirs_exist_ok=True)
    shutil.copytree(os.path.join(kdir, "x", "boot"), os.path.join(root, "boot"),
                    ignore=shutil.ignore_patterns("vmlinuz-*"))
    with open(os.path.join(root, "etc/passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n")
    with open(os.path.join(root, "etc/group"), "w") as f:
        f.write("root:x:0:\nnogroup:x:65534:\n")
    out = os.path.join(work, "base.cpio.gz")
    with open(out, "wb") as f:
        find = subprocess.Popen(["find", "."], cwd=root, stdout=subprocess.PIPE)
        cpio = subprocess.Popen(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, stdin=find.stdout,
                                stdout=subprocess.PIPE)
        run(["gzip", "-1"], stdin=cpio.stdout, stdout=f)
        find.wait()
        cpio.wait()
    return out


def case_initramfs(base, args, work, name, late_driver=False):
    """The kernel unpacks concatenated cpio archives: the base plus one file of arguments
    (and e2e-late-driver when the stand-in's driver is to be loaded during a --wait run)."""
    d = os.path.join(work, name, "extra")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "e2e-args"), "w") as f:
        f.write(args + "\n")
    files = "e2e-args"
    if late_driver:
        open(os.path.join(d, "e2e-late-driver"), "w").close()
        files += " e2e-late-driver"
    extra = subprocess.run(f"ls {files} | cpio -o -H newc --quiet | gzip -1", shell=True, cwd=d,
                           check=True, capture_output=True).stdout
    out = os.path.join(work, name, "initrd.gz")
    with open(out, "wb") as f, open(base, "rb") as b:
        shutil.copyfileobj(b, f)
        f.write(extra)
    return out


def accel_args():
    """TCG unless KVM really works: /dev/kvm here can be a paravirtual KVM (kvm_pvm) that hangs stock kernels."""
    try:
        flags = open("/proc/cpuinfo").read()
    except OSError:
        flags = ""
    if os.access("/dev/kvm", os.R_OK | os.W_OK) and (" vmx" in flags or " svm" in flags):
        return ["-accel", "kvm"]
    # Single-threaded TCG: multi-threaded TCG crashed about one boot in 100 (code-patching race).
    return ["-accel", "tcg,thread=single"]


def boot(name, spec, vmlinuz, initrd, workdir):
    machine, devices, cmdline, standins, smbios, cpu = spec[:6]
    cmd = ["qemu-system-x86_64"] + accel_args() + [
        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-monitor", "none",
        "-serial", "stdio", "-m", "512", "-smp", "2", "-machine", machine,
        "-kernel", vmlinuz, "-initrd", initrd,
        "-append", f"{GUEST_CMDLINE} {cmdline}".strip()]
    for d in devices:
        cmd += ["-device", d]
    for _ in range(standins):
        cmd += ["-device", STANDIN]
    for s in smbios:
        cmd += ["-smbios", s]
    if cpu:
        cmd += ["-cpu", cpu]
    logpath = os.path.join(workdir, "serial.log")
    for attempt in (1, 2):
        t0 = time.monotonic()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=BOOT_TIMEOUT)
            out = p.stdout.decode("utf-8", "replace").replace("\r", "")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace").replace("\r", "")
        with open(logpath + (f".attempt{attempt}" if attempt > 1 else ""), "w") as f:
            f.write(out)
        took = time.monotonic() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
        if "=== END ===" in out:
            log(f"{name}: booted in {took:.1f}s, {cpu_s:.1f}s of CPU (attempt {attempt})")
            return out
        log(f"{name}: no end marker after {took:.1f}s (attempt {attempt}); log kept in {logpath}")
    raise RuntimeError(f"{name}: guest did not finish twice")


def section(out, start, end):
    i = out.index(start) + len(start)
    return out[i:out.index(end, i)]


def parse(out, workdir, names):
    """{"runs": {binary: {who: {"json", "exit"}}}, "tree": the captured trees unpacked}."""
    runs = {}
    for b in names:
        runs[b] = {}
        for who in ("root", "user"):
            text = section(out, f"=== JSON {b} {who} ===\n", f"=== EXIT {b} {who} ")
            rest = out[out.index(f"=== EXIT {b} {who} ") + len(f"=== EXIT {b} {who} "):]
            runs[b][who] = {"json": json.loads(text), "exit": int(rest.split()[0])}
    wait = None
    if "=== WAIT ===\n" in out:
        wait = {"json": json.loads(section(out, "=== WAIT ===\n", "=== WAIT EXIT ")),
                "exit": int(out.split("=== WAIT EXIT ", 1)[1].split()[0])}
    blob = base64.b64decode("".join(section(out, "=== TREE ===\n", "=== END ===").split()))
    tree = os.path.join(workdir, "tree")
    shutil.rmtree(tree, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(blob)) as t:
        t.extractall(tree, filter="tar") if hasattr(tarfile, "data_filter") else t.extractall(tree)
    return {"runs": runs, "tree": tree, "wait": wait}


def replay(binary, run, tree, args):
    """The captured trees and the bundles the checker made in the guest, replayed on the host,
    must give the verdicts the guest gave live."""
    errs = []
    for who in ("root", "user"):
        bundle = os.path.join(tree, f"bundle-{who}.tar.gz")
        unpacked = os.path.join(tree, f"bundle-{who}")
        try:
            with tarfile.open(bundle) as t:
                t.extractall(unpacked)
        except (OSError, tarfile.TarError) as e:
            errs.append(f"{who}: no usable support bundle from the guest: {e}")
            unpacked = None
        for what, root in (("captured tree", os.path.join(tree, who)), ("support bundle", unpacked)):
            if not root:
                continue
            p = subprocess.run([binary, "--format", "json", "--sysroot", root] + args,
                               capture_output=True, text=True)
            doc = json.loads(p.stdout)
            live = {c["id"]: c["status"] for c in run[who]["json"]["checks"]}
            again = {c["id"]: c["status"] for c in doc["checks"]}
            if live != again:
                diff = {k: (live.get(k), again.get(k)) for k in live if live.get(k) != again.get(k)}
                errs.append(f"{who}: replay of the {what} differs from the live run: {diff}")
            if p.returncode != run[who]["exit"]:
                errs.append(f"{who}: {what} replay exit {p.returncode}, live exit {run[who]['exit']}")
    errs += replay_redacted(binary, run, tree, args)
    return errs


def replay_redacted(binary, run, tree, args):
    """The guest's redacted bundle (made as root after its host name was set): the name is nowhere
    in it, and replayed from the archive it gives the verdicts the guest gave live."""
    bundle = os.path.join(tree, "bundle-redacted.tar.gz")
    if not os.path.exists(bundle):
        return ["root: the guest made no redacted bundle"]
    errs = []
    with tarfile.open(bundle) as t:
        for m in t.getmembers():
            blob = m.name.encode() + (t.extractfile(m).read() if m.isfile() else m.linkname.encode())
            if b"planted-e2e-host" in blob:
                errs.append(f"redacted bundle: the host name is left in {m.name}")
    p = subprocess.run([binary, "--format", "json", "--sysroot", bundle] + args, capture_output=True, text=True)
    try:
        again = {c["id"]: c["status"] for c in json.loads(p.stdout)["checks"]}
    except ValueError:
        return errs + [f"redacted bundle: no report from its replay: {p.stderr.strip()}"]
    live = {c["id"]: c["status"] for c in run["root"]["json"]["checks"]}
    if live != again:
        diff = {k: (live.get(k), again.get(k)) for k in live if live.get(k) != again.get(k)}
        errs.append(f"redacted bundle: replay differs from the live run: {diff}")
    return errs


def fixture_name(kernel, rel, case, who):
    """e2e-CASE for the default kernel (the first captures), e2e-MAJOR.MINOR-CASE for the others."""
    major, minor = e2e_expect.kernel_version(rel)
    prefix = "e2e-" if kernel == kernels.DEFAULT_KERNEL else f"e2e-{major}.{minor}-"
    return prefix + case + ("" if who == "root" else "-nonroot")


def save_fixtures(dest, kernel, rel, case, run, tree, args, expected):
    for who in ("root", "user"):
        dst = os.path.join(dest, fixture_name(kernel, rel, case, who))
        # Assertions added by hand to an earlier capture's expect.json (evidence_contains ...) stay.
        try:
            with open(os.path.join(dst, "expect.json")) as f:
                expect = json.load(f)
        except (OSError, ValueError):
            expect = {}
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(os.path.join(tree, who), dst, symlinks=True)
        # Git stores no empty directory: a .keep (ignored by the tool) holds each.
        for d, subdirs, files in os.walk(dst):
            if not subdirs and not files:
                open(os.path.join(d, ".keep"), "w").close()
        with open(os.path.join(dst, "guest-report.json"), "w") as f:
            json.dump(run[who]["json"], f, indent=1)
        # What the replay must say: the verdicts e2e_expect derives from the kernel's behaviour,
        # and for the checks it does not assert, what the real guest said live.
        checks = {c["id"]: c["status"] for c in run[who]["json"]["checks"]}
        checks.update(expected[who])
        expect.update({
            "source": f"e2e guest {case} ({'root' if who == 'root' else 'nobody'}), Linux {rel}",
            "args": args,
            "exit": run[who]["exit"],
            "devices": len(run[who]["json"]["devices"]),
            "checks": checks,
        })
        with open(os.path.join(dst, "expect.json"), "w") as f:
            json.dump(expect, f, indent=1)
            f.write("\n")


def run_kernel(args, kernel, binaries, ci):
    """Boot every case of one kernel. Returns (passed, failed), or None when the kernel is missing."""
    try:
        rel, kdir = kernels.fetch(args.cache, kernel, log)
    except (kernels.KernelUnavailable, OSError, subprocess.CalledProcessError) as e:
        log(f"{'FAIL' if ci else 'SKIP'}: cannot get the Linux {kernel} guest kernel: {e}")
        return None
    work = os.path.join(args.work, kernel)
    os.makedirs(work, exist_ok=True)
    base = build_base_initramfs(binaries, kdir, work)
    vmlinuz = os.path.join(kdir, "x", "boot", f"vmlinuz-{rel}")
    standin_args = ["--device-id", STANDIN_ID, "--msi-vectors", str(e2e_expect.standin_vectors(rel))]
    cases = args.only or KERNEL_CASES[kernel]
    failures = passed = 0
    t0 = time.monotonic()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    for name in cases:
        label = f"{kernel}/{name}"
        workdir = os.path.join(work, name)
        os.makedirs(workdir, exist_ok=True)
        initrd = case_initramfs(base, " ".join(standin_args), work, name, CASES[name].late_driver)
        try:
            res = parse(boot(label, CASES[name], vmlinuz, initrd, workdir), workdir,
                        [b for b, _ in binaries])
        except (RuntimeError, ValueError, json.JSONDecodeError) as e:
            log(f"FAIL {label}: {e}")
            failures += 1
            continue
        errs = []
        for b, path in binaries:
            run = res["runs"][b]
            errs += [f"{b}: {e}" for e in e2e_expect.check(name, rel, run)]
            errs += [f"{b}: {e}" for e in replay(path, run, res["tree"], standin_args)]
        errs += same_verdicts(res["runs"], [b for b, _ in binaries])
        if CASES[name].late_driver:
            errs += e2e_expect.check_wait(res["wait"])
        real = 0
        for e in errs:
            why = e2e_expect.known_failure(kernel, name, e)
            log(f"KNOWN-FAIL {label}: {e} -- {why}" if why else f"FAIL {label}: {e}")
            real += not why
        failures += bool(real)
        passed += not real
        if not real:
            log(f"ok {label}" + (" (with known failures)" if errs else ""))
        if args.save_fixtures and not real:  # only guests that met their expectations
            first = binaries[0][0]
            save_fixtures(args.save_fixtures, kernel, rel, name, res["runs"][first], res["tree"],
                          standin_args, e2e_expect.expected_statuses(name, rel))
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    log(f"Linux {rel}: {len(cases)} guests in {time.monotonic() - t0:.0f}s, {cpu_s:.0f}s of CPU")
    return passed, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--static-binary", help="also run this static build in each guest (-DAICG_STATIC=ON)")
    ap.add_argument("--work", required=True)
    ap.add_argument("--cache", default=os.environ.get("AICG_E2E_CACHE", os.path.join(HERE, "cache")))
    ap.add_argument("--kernel", action="append", choices=list(kernels.KERNELS),
                    help="boot only this guest kernel (repeatable; default: all)")
    ap.add_argument("--only", action="append", choices=list(CASES), help="run only this case (repeatable)")
    ap.add_argument("--save-fixtures", metavar="DIR", help="copy each guest's captured trees here")
    args = ap.parse_args()

    ci = os.environ.get("CI") == "true"
    missing = [t for t in ("qemu-system-x86_64", "busybox", "cpio", "depmod", "modinfo", "apt-get", "dpkg-deb")
               if not shutil.which(t)]
    if missing:
        msg = f"missing tools: {' '.join(missing)} (apt-get install qemu-system-x86 busybox-static cpio kmod)"
        if ci:
            log("FAIL: " + msg)
            return 1
        log("SKIP: " + msg)
        return 77
    os.makedirs(args.work, exist_ok=True)
    binaries = guest_binaries(args)
    passed = failures = skipped = 0
    for kernel in args.kernel or list(kernels.KERNELS):
        r = run_kernel(args, kernel, binaries, ci)
        if r is None:
            skipped += 1
            continue
        passed += r[0]
        failures += r[1]
    print(f"e2e: {passed} passed, {failures} failed, {skipped} kernels missing")
    if failures or (ci and skipped):
        return 1
    return 77 if skipped and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
