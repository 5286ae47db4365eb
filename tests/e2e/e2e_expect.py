# SPDX-License-Identifier: GPL-2.0-or-later
"""What each e2e guest must report, as root and as nobody.
check(name, result) returns a list of failures."""

CHECKS = ["platform.hypervisor", "kvm.machine-type", "iommu.present", "iommu.interrupt-remapping",
          "iommu.caching-mode", "kernel.cmdline", "device.present", "device.msi", "hyperv.vpci",
          "hyperv.kernel-fixes"]

# Per case: statuses of CHECKS in order (root), MSI vectors each stand-in gets.
# The stand-in asks for 3 vectors (6.12 xhci-pci, -smp 2): it gets them exactly
# when the guest kernel remaps interrupts, and 1 otherwise.
EXPECT = {
    "q35-viommu-ir": ("pass pass pass pass pass pass pass pass skip skip", 3),
    "q35-no-iommu": ("pass pass fail fail skip pass pass fail skip skip", 1),
    "q35-viommu-intremap-off": ("pass pass pass fail pass pass pass fail skip skip", 1),
    "i440fx": ("pass fail fail fail skip pass pass fail skip skip", 1),
    "q35-viommu-guest-intremap-off": ("pass pass pass fail pass fail pass fail skip skip", 1),
    # Remapping stays on without the DMA-remapping driver; its CAP register disappears.
    "q35-viommu-guest-intel-iommu-off": ("pass pass pass pass unknown warn pass pass skip skip", 3),
    "q35-viommu-no-caching-mode": ("pass pass pass pass fail pass pass pass skip skip", 3),
    # "DMAR: IOMMU enabled" without a DMAR table is no IOMMU.
    "q35-no-iommu-intel-iommu-on": ("pass pass fail fail skip pass pass fail skip skip", 1),
    "vmware-dmi": ("warn pass fail fail skip pass pass fail skip skip", 1),
    "vmware-dmi-no-cpuid-sig": ("pass skip skip skip skip pass pass fail skip skip", 1),
    "q35-viommu-two-devices": ("pass pass pass pass pass pass pass pass skip skip", 3),
}

# Where the unprivileged run must differ from root's, and how.
USER_DIFFERS = {
    # DMAR is mode 0400 and no IOMMU unit is registered: only root can tell.
    "q35-viommu-guest-intel-iommu-off": {"iommu.present": "unknown"},
}


def statuses(doc):
    return {c["id"]: c for c in doc["checks"]}


def check(name, res):
    errs = []
    root, user = res["root"]["json"], res["user"]["json"]
    exp, vectors = EXPECT[name]
    exp = dict(zip(CHECKS, exp.split()))
    ndev = 2 if name == "q35-viommu-two-devices" else 1

    for who, doc in (("root", root), ("user", user)):
        if doc.get("schema") != "aic-guestcheck/1":
            errs.append(f"{who}: schema {doc.get('schema')}")
        if len(doc["devices"]) != ndev:
            errs.append(f"{who}: {len(doc['devices'])} stand-in devices, expected {ndev}")
            return errs
        got = statuses(doc)
        want = dict(exp, **(USER_DIFFERS.get(name, {}) if who == "user" else {}))
        for cid, st in want.items():
            if got.get(cid, {}).get("status") != st:
                errs.append(f"{who}: {cid} is {got.get(cid, {}).get('status')}, expected {st}"
                            f" ({got.get(cid, {}).get('summary')})")
        for d in doc["devices"]:
            if d["msi"]["allocated_msi"] != vectors:
                errs.append(f"{who}: {d['address']} got {d['msi']['allocated_msi']} MSI vectors, "
                            f"expected {vectors}")
        # The stand-in is bound to xhci_hcd, not qaic: never ready.
        if res[who]["exit"] != 1 or doc["exit_code"] != 1:
            errs.append(f"{who}: exit {res[who]['exit']}, expected 1")

    for d in root["devices"]:
        if d["msi"]["capability"] != "found" or d["msi"]["capable"] != 16:
            errs.append(f"root: {d['address']} MSI capability {d['msi']}")
    # Unprivileged: config space stops at 64 bytes, so the capability is out of reach.
    for d in user["devices"]:
        if d["msi"]["capability"] != "truncated":
            errs.append(f"user: {d['address']} capability {d['msi']['capability']}, expected truncated")
    if user.get("privileged") or not root.get("privileged"):
        errs.append("privileged flag wrong")
    for cid, st in USER_DIFFERS.get(name, {}).items():
        if st == "unknown" and not statuses(user)[cid]["needs_root"]:
            errs.append(f"user: {cid} unknown but not marked needs_root")
    return errs
