#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot real Linux guests under QEMU (TCG) and hold aic-guestcheck's verdicts
against what the real kernel does. See tests/e2e/README.md."""

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL_META = "linux-image-6.12-amd64"
XHCI_MODULES = ["usb-common", "usbcore", "xhci-hcd", "xhci-pci"]
# The stand-in card: QEMU's NEC uPD720200 xHCI with MSI (up to 16 vectors),
# which Linux 6.12 asks one vector per CPU plus one of (3 with -smp 2).
STANDIN = "nec-usb-xhci,msix=off,msi=on"
STANDIN_ARGS = "--device-id 1033:0194 --msi-vectors 3"
IOMMU = "intel-iommu,intremap=on,caching-mode=on"
BOOT_TIMEOUT = 150

VMWARE_DMI = ["type=1,manufacturer=VMware,, Inc.,product=VMware Virtual Platform"]

# name: (machine, devices before the stand-ins, extra guest cmdline, stand-ins, smbios, cpu)
MATRIX = {
    "q35-viommu-ir": ("q35,kernel-irqchip=split", [IOMMU], "", 1, [], None),
    "q35-no-iommu": ("q35", [], "", 1, [], None),
    "q35-viommu-intremap-off": ("q35,kernel-irqchip=split", ["intel-iommu,intremap=off,caching-mode=on"], "", 1, [], None),
    "i440fx": ("pc", [], "", 1, [], None),
    "q35-viommu-guest-intremap-off": ("q35,kernel-irqchip=split", [IOMMU], "intremap=off", 1, [], None),
    "q35-viommu-guest-intel-iommu-off": ("q35,kernel-irqchip=split", [IOMMU], "intel_iommu=off", 1, [], None),
    "q35-viommu-no-caching-mode": ("q35,kernel-irqchip=split", ["intel-iommu,intremap=on"], "", 1, [], None),
    "q35-no-iommu-intel-iommu-on": ("q35", [], "intel_iommu=on", 1, [], None),
    # DMI says VMware while CPUID says QEMU: the sources disagree.
    "vmware-dmi": ("q35", [], "", 1, VMWARE_DMI, None),
    # DMI says VMware and CPUID names no hypervisor (tcg-cpuid=off): DMI decides.
    "vmware-dmi-no-cpuid-sig": ("q35", [], "", 1, VMWARE_DMI, "qemu64,tcg-cpuid=off"),
    "q35-viommu-two-devices": ("q35,kernel-irqchip=split", [IOMMU], "", 2, [], None),
}


def log(msg):
    print(f"e2e: {msg}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def kernel_package():
    out = subprocess.run(["apt-cache", "depends", KERNEL_META], capture_output=True, text=True).stdout
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Depends: linux-image-"):
            return line.split()[1]
    raise RuntimeError(f"apt-cache cannot resolve {KERNEL_META} (run apt-get update)")


def fetch_kernel(cache):
    """vmlinuz, decompressed stand-in modules and a depmod'ed mini module tree, cached."""
    pkg = kernel_package()
    rel = pkg[len("linux-image-"):]
    kdir = os.path.join(cache, rel)
    if os.path.exists(os.path.join(kdir, "done")):
        return rel, kdir
    os.makedirs(kdir, exist_ok=True)
    debs = [f for f in os.listdir(cache) if f.startswith(pkg + "_") and f.endswith(".deb")]
    if not debs:
        log(f"downloading {pkg}")
        run(["apt-get", "download", "-o", "APT::Sandbox::User=root", pkg], cwd=cache,
            stdout=subprocess.DEVNULL)
        debs = [f for f in os.listdir(cache) if f.startswith(pkg + "_") and f.endswith(".deb")]
    deb = os.path.join(cache, debs[0])
    x = os.path.join(kdir, "x")
    shutil.rmtree(x, ignore_errors=True)
    os.makedirs(x)
    patterns = [f"./boot/vmlinuz-{rel}", f"./boot/config-{rel}",
                f"./lib/modules/{rel}/modules.builtin", f"./lib/modules/{rel}/modules.builtin.modinfo",
                f"./lib/modules/{rel}/modules.order"]
    patterns += [f"./lib/modules/{rel}/kernel/drivers/usb/*/{m}.ko*" for m in XHCI_MODULES]
    fsys = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    run(["tar", "-x", "-C", x, "--wildcards"] + patterns, stdin=fsys.stdout)
    fsys.wait()
    os.makedirs(os.path.join(kdir, "modules"), exist_ok=True)
    for m in XHCI_MODULES:
        src = run(["find", x, "-name", f"{m}.ko*"], capture_output=True, text=True).stdout.split()[0]
        dst = os.path.join(kdir, "modules", f"{m}.ko")
        with open(dst, "wb") as out:
            run(["xz", "-dc", src] if src.endswith(".xz") else ["cat", src], stdout=out)
    run(["depmod", "-b", x, rel])
    open(os.path.join(kdir, "done"), "w").close()
    return rel, kdir


def build_base_initramfs(binary, rel, kdir, work):
    root = os.path.join(work, "initramfs")
    shutil.rmtree(root, ignore_errors=True)
    for d in ["bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "capture", "modules", "root"]:
        os.makedirs(os.path.join(root, d))
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    os.chmod(os.path.join(root, "capture"), 0o1777)
    shutil.copy("/bin/busybox", os.path.join(root, "bin/busybox"))
    for applet in ["sh", "mount", "insmod", "cat", "mkdir", "echo", "tar", "base64",
                   "poweroff", "dmesg", "gzip", "su", "ln", "mv", "rm", "dirname", "readlink", "pwd", "find", "ls"]:
        os.symlink("busybox", os.path.join(root, "bin", applet))
    shutil.copy(binary, os.path.join(root, "bin/aic-guestcheck"))
    libs = run(["ldd", binary], capture_output=True, text=True).stdout
    for line in libs.splitlines():
        parts = line.split()
        path = parts[2] if "=>" in parts and len(parts) > 2 else parts[0]
        if path.startswith("/"):
            dst = os.path.join(root, path.lstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(path, dst)
    run(["gcc", "-static", "-O2", "-o", os.path.join(root, "bin/cpuid-dump"),
         os.path.join(HERE, "cpuid-dump.c")])
    shutil.copy(os.path.join(HERE, "capture.sh"), os.path.join(root, "bin/capture.sh"))
    shutil.copy(os.path.join(HERE, "guest-init.sh"), os.path.join(root, "init"))
    for m in XHCI_MODULES:
        shutil.copy(os.path.join(kdir, "modules", f"{m}.ko"), os.path.join(root, "modules"))
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


def case_initramfs(base, args, work, name):
    """The kernel unpacks concatenated cpio archives: the base plus one file of arguments."""
    d = os.path.join(work, name, "extra")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "e2e-args"), "w") as f:
        f.write(args + "\n")
    extra = subprocess.run("echo e2e-args | cpio -o -H newc --quiet | gzip -1", shell=True, cwd=d,
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


def boot(name, spec, vmlinuz, initrd, work):
    machine, devices, cmdline, standins, smbios, cpu = spec
    cmd = ["qemu-system-x86_64"] + accel_args() + [
        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-monitor", "none",
        "-serial", "stdio", "-m", "512", "-smp", "2", "-machine", machine,
        "-kernel", vmlinuz, "-initrd", initrd,
        "-append", f"console=ttyS0 panic=-1 loglevel=4 {cmdline}".strip()]
    for d in devices:
        cmd += ["-device", d]
    for _ in range(standins):
        cmd += ["-device", STANDIN]
    for s in smbios:
        cmd += ["-smbios", s]
    if cpu:
        cmd += ["-cpu", cpu]
    logpath = os.path.join(work, name, "serial.log")
    for attempt in (1, 2):
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=BOOT_TIMEOUT)
            out = p.stdout.decode("utf-8", "replace").replace("\r", "")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace").replace("\r", "")
        with open(logpath + (f".attempt{attempt}" if attempt > 1 else ""), "w") as f:
            f.write(out)
        took = time.monotonic() - t0
        if "=== END ===" in out:
            log(f"{name}: booted in {took:.1f}s (attempt {attempt})")
            return out
        log(f"{name}: no end marker after {took:.1f}s (attempt {attempt}); log kept in {logpath}")
    raise RuntimeError(f"{name}: guest did not finish twice")


def section(out, start, end):
    i = out.index(start) + len(start)
    return out[i:out.index(end, i)]


def parse(name, out, work):
    res = {}
    for who in ("root", "user"):
        text = section(out, f"=== JSON {who} ===\n", f"=== EXIT {who} ")
        rest = out[out.index(f"=== EXIT {who} ") + len(f"=== EXIT {who} "):]
        res[who] = {"json": json.loads(text), "exit": int(rest.split()[0])}
    blob = base64.b64decode("".join(section(out, "=== TREE ===\n", "=== END ===").split()))
    tree = os.path.join(work, name, "tree")
    shutil.rmtree(tree, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(blob)) as t:
        t.extractall(tree, filter="tar") if hasattr(tarfile, "data_filter") else t.extractall(tree)
    res["tree"] = tree
    return res


def replay(binary, res):
    """The captured trees and the bundles the checker made in the guest, replayed on the host,
    must give the verdicts the guest gave live."""
    errs = []
    for who in ("root", "user"):
        bundle = os.path.join(res["tree"], f"bundle-{who}.tar.gz")
        unpacked = os.path.join(res["tree"], f"bundle-{who}")
        try:
            with tarfile.open(bundle) as t:
                t.extractall(unpacked)
        except (OSError, tarfile.TarError) as e:
            errs.append(f"{who}: no usable support bundle from the guest: {e}")
            unpacked = None
        for what, tree in (("captured tree", os.path.join(res["tree"], who)), ("support bundle", unpacked)):
            if not tree:
                continue
            p = subprocess.run([binary, "--format", "json", "--sysroot", tree] + STANDIN_ARGS.split(),
                               capture_output=True, text=True)
            doc = json.loads(p.stdout)
            live = {c["id"]: c["status"] for c in res[who]["json"]["checks"]}
            again = {c["id"]: c["status"] for c in doc["checks"]}
            if live != again:
                diff = {k: (live.get(k), again.get(k)) for k in live if live.get(k) != again.get(k)}
                errs.append(f"{who}: replay of the {what} differs from the live run: {diff}")
            if p.returncode != res[who]["exit"]:
                errs.append(f"{who}: {what} replay exit {p.returncode}, live exit {res[who]['exit']}")
    return errs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cache", default=os.environ.get("AICG_E2E_CACHE", os.path.join(HERE, "cache")))
    ap.add_argument("--only", action="append", help="run only this case (repeatable)")
    ap.add_argument("--save-fixtures", metavar="DIR", help="copy each guest's captured trees here")
    args = ap.parse_args()

    import e2e_expect  # the assertions, kept apart from the machinery

    ci = os.environ.get("CI") == "true"
    missing = [t for t in ("qemu-system-x86_64", "busybox", "cpio", "depmod", "apt-get") if not shutil.which(t)]
    if missing:
        msg = f"missing tools: {' '.join(missing)} (apt-get install qemu-system-x86 busybox-static cpio kmod)"
        if ci:
            log("FAIL: " + msg)
            return 1
        log("SKIP: " + msg)
        return 77
    os.makedirs(args.cache, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)
    try:
        rel, kdir = fetch_kernel(args.cache)
    except (RuntimeError, subprocess.CalledProcessError, IndexError) as e:
        if ci:
            log(f"FAIL: cannot get the guest kernel: {e}")
            return 1
        log(f"SKIP: cannot get the guest kernel: {e}")
        return 77
    base = build_base_initramfs(args.binary, rel, kdir, args.work)
    vmlinuz = os.path.join(kdir, "x", "boot", f"vmlinuz-{rel}")
    cases = args.only or list(MATRIX)
    failures = passed = 0
    for name in cases:
        spec = MATRIX[name]
        os.makedirs(os.path.join(args.work, name), exist_ok=True)
        initrd = case_initramfs(base, STANDIN_ARGS, args.work, name)
        try:
            res = parse(name, boot(name, spec, vmlinuz, initrd, args.work), args.work)
        except (RuntimeError, ValueError, json.JSONDecodeError) as e:
            log(f"FAIL {name}: {e}")
            failures += 1
            continue
        errs = e2e_expect.check(name, res)
        errs += replay(args.binary, res)
        for e in errs:
            log(f"FAIL {name}: {e}")
        failures += bool(errs)
        passed += not errs
        if not errs:
            log(f"ok {name}")
        if args.save_fixtures:
            for who in ("root", "user"):
                dst = os.path.join(args.save_fixtures, f"e2e-{name}" + ("" if who == "root" else "-nonroot"))
                shutil.rmtree(dst, ignore_errors=True)
                shutil.copytree(os.path.join(res["tree"], who), dst, symlinks=True)
                # Git stores no empty directory: a .keep (ignored by the tool) holds each.
                for d, subdirs, files in os.walk(dst):
                    if not subdirs and not files:
                        open(os.path.join(d, ".keep"), "w").close()
                with open(os.path.join(dst, "guest-report.json"), "w") as f:
                    json.dump(res[who]["json"], f, indent=1)
                # What the replay must say: the verdicts the real guest gave live.
                expect = {
                    "source": f"e2e guest {name} ({'root' if who == 'root' else 'nobody'}), Linux {rel}",
                    "args": STANDIN_ARGS.split(),
                    "exit": res[who]["exit"],
                    "devices": len(res[who]["json"]["devices"]),
                    "checks": {c["id"]: c["status"] for c in res[who]["json"]["checks"]},
                }
                with open(os.path.join(dst, "expect.json"), "w") as f:
                    json.dump(expect, f, indent=1)
                    f.write("\n")
    print(f"e2e: {passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
