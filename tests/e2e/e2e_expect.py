# SPDX-License-Identifier: GPL-2.0-or-later
"""What each e2e guest must report, as root and as nobody, on each kernel.
check(case, release, run) returns a list of failures."""

import re

CHECKS = ["platform.hypervisor", "kvm.machine-type", "iommu.present", "iommu.interrupt-remapping",
          "iommu.caching-mode", "kernel.cmdline", "device.present", "device.msi", "hyperv.vpci",
          "hyperv.kernel-fixes"]

# Per case: statuses of CHECKS in order (root), for a stand-in whose driver
# asks for more than one vector: it gets them exactly when the guest kernel
# remaps interrupts, and 1 otherwise (see standin_vectors).
EXPECT = {
    "q35-viommu-ir": "pass pass pass pass pass pass pass pass skip skip",
    "q35-no-iommu": "pass pass fail fail skip pass pass fail skip skip",
    "q35-viommu-intremap-off": "pass pass pass fail pass pass pass fail skip skip",
    "i440fx": "pass fail fail fail skip pass pass fail skip skip",
    "q35-viommu-guest-intremap-off": "pass pass pass fail pass fail pass fail skip skip",
    # Remapping stays on without the DMA-remapping driver. Its sysfs unit disappears, but the
    # kernel still logs CAP while parsing the DMAR table: alloc_iommu() in
    # drivers/iommu/intel/dmar.c, "%s: reg_base_addr %llx ver %d:%d cap %llx ecap %llx".
    "q35-viommu-guest-intel-iommu-off": "pass pass pass pass pass warn pass pass skip skip",
    "q35-viommu-no-caching-mode": "pass pass pass pass fail pass pass pass skip skip",
    # "DMAR: IOMMU enabled" without a DMAR table is no IOMMU.
    "q35-no-iommu-intel-iommu-on": "pass pass fail fail skip pass pass fail skip skip",
    "vmware-dmi": "warn pass fail fail skip pass pass fail skip skip",
    "vmware-dmi-no-cpuid-sig": "pass skip skip skip skip pass pass fail skip skip",
    "q35-viommu-two-devices": "pass pass pass pass pass pass pass pass skip skip",
    "q35-viommu-ir-late-driver": "pass pass pass pass pass pass pass pass skip skip",
}

# Verdicts fixed by how every guest is built, whatever the case: the initramfs has no
# /etc/os-release or /usr/lib/os-release (os-release(5): then nothing names the distribution),
# and the stand-in is bound to xhci_hcd, so it is a device driven by another driver than qaic,
# which loads no firmware for it and has no MHI controller below it.
STANDIN_VERDICTS = {"guest.os": "unknown", "device.driver": "fail", "device.firmware": "skip",
                    "device.health": "unknown"}

# Cases whose guest kernel remaps interrupts (the stand-in then gets all it asks for).
REMAPPED = {"q35-viommu-ir", "q35-viommu-ir-late-driver", "q35-viommu-guest-intel-iommu-off", "q35-viommu-no-caching-mode",
            "q35-viommu-two-devices"}

# Where the unprivileged run must differ from root's, and how.
USER_DIFFERS = {
    # DMAR is mode 0400 and no IOMMU unit is registered: only root can tell. The kernel log
    # is root's too (Debian sets CONFIG_SECURITY_DMESG_RESTRICT=y).
    "q35-viommu-guest-intel-iommu-off": {"iommu.present": "unknown", "iommu.caching-mode": "unknown"},
}

# Known checker bugs: (kernel or "*", case) -> {text of the failure: why it is a bug}.
# The expectation above stays the truth; a failure matching an entry is reported
# as KNOWN-FAIL and does not fail the run, any other failure does.
KNOWN_FAILURES = {
}


def known_failure(kernel, case, err):
    """Why err is a known checker bug, or None."""
    for key in ((kernel, case), ("*", case)):
        for text, why in KNOWN_FAILURES.get(key, {}).items():
            if text in err:
                return why
    return None


def kernel_version(release):
    m = re.match(r"(\d+)\.(\d+)", release)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def standin_vectors(release):
    """What xhci-pci asks of the MSI-only stand-in (QEMU's nec-usb-xhci, 16 MSI vectors) with
    -smp 2. Up to 6.7 xhci-pci falls back from MSI-X to exactly one MSI vector:
    pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI) in xhci_setup_msi (drivers/usb/host/xhci.c,
    moved to xhci-pci.c; the 6.8 series "xhci: refactor static MSI function",
    lore 20231201150647.1307406-15-mathias.nyman@linux.intel.com, replaced it). From 6.8
    xhci_try_enable_msi() asks MSI-X or MSI for min(num_online_cpus() + 1, max interrupters):
    3 with -smp 2 (seen on 6.12 and 7.2: 3 with remapping, 1 without)."""
    return 3 if kernel_version(release) >= (6, 8) else 1


def expected_statuses(case, release):
    """{"root": {check: status}, "user": {...}} for this case on this kernel."""
    root = dict(zip(CHECKS, EXPECT[case].split()), **STANDIN_VERDICTS)
    if standin_vectors(release) == 1 and root["device.present"] == "pass":
        # The driver asks for one vector and gets it with or without remapping: enough.
        root["device.msi"] = "pass"
    return {"root": root, "user": dict(root, **USER_DIFFERS.get(case, {}))}


def check_wait(wait):
    """The --wait run of a late-driver guest: it saw the stand-in's driver bind about 3 s after
    it started (xhci_pci loaded then), and judged the bound card."""
    if not wait:
        return ["no --wait run in the guest's output"]
    doc, errs = wait["json"], []
    w = doc.get("wait") or {}
    if not w.get("settled") or w.get("pending") is not None:
        errs.append(f"--wait did not settle: {w}")
    # Loaded 3 s after the checker was started; its own start-up takes part of that.
    if not 1.0 <= w.get("waited_seconds", 0) < 60:
        errs.append(f"--wait waited {w.get('waited_seconds')} s, expected about 3")
    drivers = [d["driver"] for d in doc.get("devices", [])]
    if drivers != ["xhci_hcd"]:
        errs.append(f"--wait judged drivers {drivers}, expected the bound stand-in")
    if wait["exit"] != doc.get("exit_code"):
        errs.append(f"--wait exit {wait['exit']} but exit_code {doc.get('exit_code')}")
    return errs


def statuses(doc):
    return {c["id"]: c for c in doc["checks"]}


def check(case, release, run):
    errs = []
    root, user = run["root"]["json"], run["user"]["json"]
    want = expected_statuses(case, release)
    asked = standin_vectors(release)
    vectors = asked if case in REMAPPED else 1
    ndev = 2 if case == "q35-viommu-two-devices" else 1

    for who, doc in (("root", root), ("user", user)):
        if doc.get("schema") != "aic-guestcheck/1":
            errs.append(f"{who}: schema {doc.get('schema')}")
        if len(doc["devices"]) != ndev:
            errs.append(f"{who}: {len(doc['devices'])} stand-in devices, expected {ndev}")
            return errs
        got = statuses(doc)
        for cid, st in want[who].items():
            if got.get(cid, {}).get("status") != st:
                errs.append(f"{who}: {cid} is {got.get(cid, {}).get('status')}, expected {st}"
                            f" ({got.get(cid, {}).get('summary')})")
        for d in doc["devices"]:
            if d["msi"]["allocated_msi"] != vectors:
                errs.append(f"{who}: {d['address']} got {d['msi']['allocated_msi']} MSI vectors, "
                            f"expected {vectors}")
        # The stand-in is bound to xhci_hcd, not qaic: never ready.
        if run[who]["exit"] != 1 or doc["exit_code"] != 1:
            errs.append(f"{who}: exit {run[who]['exit']}, expected 1")

    for d in root["devices"]:
        if d["msi"]["capability"] != "found" or d["msi"]["capable"] != 16:
            errs.append(f"root: {d['address']} MSI capability {d['msi']}")
    # Unprivileged: config space stops at 64 bytes, so the capability is out of reach.
    for d in user["devices"]:
        if d["msi"]["capability"] != "truncated":
            errs.append(f"user: {d['address']} capability {d['msi']['capability']}, expected truncated")
    if user.get("privileged") or not root.get("privileged"):
        errs.append("privileged flag wrong")
    for cid, st in USER_DIFFERS.get(case, {}).items():
        if st == "unknown" and not statuses(user)[cid]["needs_root"]:
            errs.append(f"user: {cid} unknown but not marked needs_root")
    return errs
