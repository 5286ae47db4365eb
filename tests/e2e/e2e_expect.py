# SPDX-License-Identifier: GPL-2.0-or-later
"""What each e2e guest must report. check(name, result) returns a list of failures."""


def status(doc, cid):
    for c in doc["checks"]:
        if c["id"] == cid:
            return c["status"]
    return None


def device(doc):
    return doc["devices"][0] if doc["devices"] else None


def check(name, res):
    errs = []
    root, user = res["root"]["json"], res["user"]["json"]

    def want(doc, cid, expected, who="root"):
        got = status(doc, cid)
        if got != expected:
            errs.append(f"{who}: {cid} is {got}, expected {expected}")

    if root.get("schema") != "aic-guestcheck/1":
        errs.append("root: wrong schema")
    ndev = 2 if name == "q35-viommu-two-devices" else 1
    if len(root["devices"]) != ndev:
        errs.append(f"root: {len(root['devices'])} stand-in devices, expected {ndev}")
        return errs
    want(root, "device.present", "pass")
    # Multi-message MSI works exactly when the guest kernel remaps interrupts.
    remapping = name in ("q35-viommu-ir", "q35-viommu-guest-intel-iommu-off",
                         "q35-viommu-no-caching-mode", "q35-viommu-two-devices")
    for d in root["devices"]:
        got = d["msi"]["allocated_msi"]
        if remapping and got != 3:
            errs.append(f"root: {d['address']} got {got} MSI vectors, expected 3 (remapping on)")
        if not remapping and got != 1:
            errs.append(f"root: {d['address']} got {got} MSI vectors, expected 1 (no remapping)")
        if d["msi"]["capability"] != "found" or d["msi"]["capable"] != 16:
            errs.append(f"root: {d['address']} MSI capability {d['msi']}")
    want(root, "device.msi", "pass" if remapping else "fail")
    exp_exit = 1  # the stand-in is bound to xhci_hcd, not qaic: never ready
    if res["root"]["exit"] != exp_exit:
        errs.append(f"root: exit {res['root']['exit']}, expected {exp_exit}")

    # Unprivileged: the allocation is still visible (msi_irqs is world-readable),
    # the capability is not (config space stops at 64 bytes).
    for d in user["devices"]:
        if d["msi"]["capability"] != "truncated":
            errs.append(f"user: {d['address']} capability {d['msi']['capability']}, expected truncated")
    if user.get("privileged"):
        errs.append("user: reported as privileged")
    return errs
