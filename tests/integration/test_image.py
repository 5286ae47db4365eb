#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`aic-guestcheck image DIR` on guest roots built here, each a small variation of one clean image.
Usage: test_image.py BINARY

Every expectation cites where it comes from; none is taken from the checker's output."""

import gzip
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema  # noqa: E402

REL = "6.12.57-generic"

# A kernel config with what the checks read. Values as Debian's 6.12 config has them
# (boot/config-6.12.117+deb12-amd64 in linux-image-6.12.117+deb12-amd64), except QAIC, which
# Debian leaves unset and a kernel that ships the driver builds as a module.
KCONFIG = """CONFIG_X86_64=y
CONFIG_PCI_MSI=y
CONFIG_IRQ_REMAP=y
CONFIG_INTEL_IOMMU=y
CONFIG_HYPERV=m
CONFIG_PCI_HYPERV=m
CONFIG_MHI_BUS=m
CONFIG_DRM_ACCEL=y
CONFIG_DRM_ACCEL_QAIC=m
"""

# modules.dep(5): "module: dependencies", paths relative to /lib/modules/<release>. qaic.ko
# from drivers/accel/qaic/Makefile (obj-$(CONFIG_DRM_ACCEL_QAIC) := qaic.o); it depends on
# MHI_BUS (drivers/accel/qaic/Kconfig), whose module is drivers/bus/mhi/host/mhi.ko (as in
# Debian's 6.12 package).
MODDEP = """kernel/drivers/accel/qaic/qaic.ko.xz: kernel/drivers/bus/mhi/host/mhi.ko.xz kernel/drivers/gpu/drm/drm.ko.xz
kernel/drivers/bus/mhi/host/mhi.ko.xz:
kernel/drivers/gpu/drm/drm.ko.xz:
"""

# Debian's grub.cfg shape (grub-mkconfig 2.06, 10_linux): one-shot next_entry branch, then
# default 0, the newest kernel first, the others in "Advanced options".
GRUB_CFG = """### BEGIN /etc/grub.d/00_header ###
if [ -s $prefix/grubenv ]; then
  set have_grubenv=true
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="0"
fi
### BEGIN /etc/grub.d/10_linux ###
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-simple-0b7a' {
	load_video
	insmod gzio
	echo	'Loading Linux %(rel)s ...'
	linux	/boot/vmlinuz-%(rel)s root=UUID=0b7a ro %(args)s
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-%(rel)s
}
submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-0b7a' {
	menuentry 'Debian GNU/Linux, with Linux %(rel)s' --class debian $menuentry_id_option 'gnulinux-%(rel)s-advanced-0b7a' {
		linux	/boot/vmlinuz-%(rel)s root=UUID=0b7a ro %(args)s
	}
	menuentry 'Debian GNU/Linux, with Linux %(rel)s (recovery mode)' --class debian $menuentry_id_option 'gnulinux-%(rel)s-recovery-0b7a' {
		linux	/boot/vmlinuz-%(rel)s root=UUID=0b7a ro single
	}
}
"""

DEFAULT_GRUB = """# If you change this file, run 'update-grub' afterwards to update
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX="%s"
"""


FIRMWARE = ("sbl.bin", "fw1.bin", "fw2.bin", "fw5.bin", "fw9.bin", "fw10.bin")


def write(root, path, text, mode=None):
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode()
    with open(full, "wb") as f:
        f.write(data)


def clean_image(root, rel=REL, kconfig=KCONFIG, moddep=MODDEP, cmdline="", grub_args="quiet"):
    write(root, "/etc/os-release", 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nID=ubuntu\nVERSION_ID="22.04"\n')
    write(root, f"/boot/vmlinuz-{rel}", b"\0" * 64)
    write(root, f"/boot/config-{rel}", kconfig)
    write(root, f"/lib/modules/{rel}/modules.dep", moddep)
    write(root, f"/lib/modules/{rel}/modules.builtin", "kernel/drivers/pci/controller/pci-host-common.ko\n")
    for line in moddep.splitlines():
        for p in line.replace(":", " ").split():
            write(root, f"/lib/modules/{rel}/{p}", b"\0")
    write(root, "/boot/grub/grub.cfg", GRUB_CFG % {"rel": rel, "args": grub_args})
    write(root, "/etc/default/grub", DEFAULT_GRUB % cmdline)
    write(root, "/etc/modprobe.d/blacklist.conf", "# Debian's shape\nblacklist evbug\n")
    # What qaic loads from 6.10: sbl.bin (mhi_controller.c fw_image) and the Sahara images
    # linux-firmware ships (sahara.c aic100_image_table; linux-firmware qcom/aic100/).
    for name in FIRMWARE:
        write(root, f"/lib/firmware/qcom/aic100/{name}", b"\0")


# The shipped data (guest-os.d, hyperv-fixes.d) from the source tree.
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data")


def run(binary, root, *extra):
    p = subprocess.run([binary, "image", root, "--format", "json", "--data-dir", DATA, *extra],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError:
        return p.returncode, None, p.stderr
    return p.returncode, doc, p.stderr


def case_clean(root):
    clean_image(root)
    return 0, {"image.kernel": "pass", "image.qaic-module": "pass", "image.kernel-config": "pass",
               "kernel.cmdline": "pass", "image.blacklist": "pass", "hyperv.kernel-fixes": "skip",
               "device.msi": "skip", "platform.hypervisor": "skip", "guest.os": "pass", "device.firmware": "pass"}


def case_intremap_off(root):
    # kernel-parameters.txt: intremap=off disables interrupt remapping; update-grub puts
    # GRUB_CMDLINE_LINUX on every entry at the next kernel update, even though grub.cfg
    # (generated before the edit) does not have it yet.
    clean_image(root, cmdline="intremap=off")
    return 1, {"kernel.cmdline": "fail", "image.qaic-module": "pass"}


def case_blacklisted(root):
    # modprobe.d(5): blacklist makes a module's aliases ignored, so udev's modalias load of
    # the card's driver does nothing.
    clean_image(root)
    write(root, "/etc/modprobe.d/qaic.conf", "blacklist qaic\n")
    return 1, {"image.blacklist": "fail", "kernel.cmdline": "pass"}


def case_blacklisted_but_loaded(root):
    # The same blacklist, but qaic is named in modules-load.d, which loads it by name:
    # blacklisting does not apply to names (modprobe.d(5)).
    clean_image(root)
    write(root, "/etc/modprobe.d/qaic.conf", "blacklist qaic\n")
    write(root, "/etc/modules-load.d/qaic.conf", "qaic\n")
    return 0, {"image.blacklist": "pass"}


def case_install_false(root):
    # A file in /usr/lib/modprobe.d hidden by the same name in /etc/modprobe.d (kmod
    # conf_files_insert_sorted: the first directory wins), and an install rule that loads nothing.
    clean_image(root)
    write(root, "/usr/lib/modprobe.d/aic.conf", "install qaic /bin/false\n")
    write(root, "/etc/modprobe.d/aic.conf", "# the operator's override, empty\n")
    write(root, "/lib/modprobe.d/zz-disable.conf", "install qaic /bin/true\n")
    return 1, {"image.blacklist": "fail"}


def case_no_qaic(root):
    # Debian's own config: "# CONFIG_DRM_ACCEL_QAIC is not set", no qaic.ko, no extra/ module.
    kc = KCONFIG.replace("CONFIG_DRM_ACCEL_QAIC=m", "# CONFIG_DRM_ACCEL_QAIC is not set")
    dep = "\n".join(line for line in MODDEP.splitlines() if "qaic" not in line) + "\n"
    clean_image(root, kconfig=kc, moddep=dep)
    return 1, {"image.qaic-module": "fail"}


def case_sdk_module(root):
    # The same kernel with the vendor SDK's module installed in updates/dkms and indexed by depmod.
    kc = KCONFIG.replace("CONFIG_DRM_ACCEL_QAIC=m", "# CONFIG_DRM_ACCEL_QAIC is not set")
    dep = "updates/dkms/qaic.ko: kernel/drivers/bus/mhi/host/mhi.ko.xz\nkernel/drivers/bus/mhi/host/mhi.ko.xz:\n"
    clean_image(root, kconfig=kc, moddep=dep)
    return 0, {"image.qaic-module": "pass"}


def case_sdk_module_unindexed(root):
    # The module copied into extra/ without depmod: modules.dep does not list it, so modprobe
    # cannot resolve the card's alias to it.
    kc = KCONFIG.replace("CONFIG_DRM_ACCEL_QAIC=m", "# CONFIG_DRM_ACCEL_QAIC is not set")
    dep = "kernel/drivers/bus/mhi/host/mhi.ko.xz:\n"
    clean_image(root, kconfig=kc, moddep=dep)
    write(root, f"/lib/modules/{REL}/extra/qaic.ko", b"\0")
    return 1, {"image.qaic-module": "fail"}


def case_hyperv_5_15_57(root):
    # Linux 5.15.58 is the first 5.15 stable release with the four pci-hyperv fixes (stable
    # announcement, kernel-facts.md §1-2); an upstream 5.15.57 lacks them, and its package
    # changelog names none of them.
    rel = "5.15.57"
    kc = KCONFIG.replace("CONFIG_DRM_ACCEL_QAIC=m", "# CONFIG_DRM_ACCEL_QAIC is not set")
    dep = "extra/qaic.ko: kernel/drivers/bus/mhi/core/mhi.ko\nkernel/drivers/bus/mhi/core/mhi.ko:\n"
    clean_image(root, rel=rel, kconfig=kc, moddep=dep)
    write(root, "/etc/waagent.conf", "Provisioning.Agent=auto\n")
    write(root, f"/usr/share/doc/linux-image-{rel}/changelog.gz",
          gzip.compress(b"linux (5.15.57-1) unstable; urgency=medium\n\n  * New upstream stable update\n"))
    return 1, {"hyperv.kernel-fixes": "fail", "image.kernel-config": "pass", "image.qaic-module": "pass"}


def case_hyperv_5_15_58(root):
    rel = "5.15.58"
    kc = KCONFIG.replace("CONFIG_DRM_ACCEL_QAIC=m", "# CONFIG_DRM_ACCEL_QAIC is not set")
    dep = "extra/qaic.ko: kernel/drivers/bus/mhi/core/mhi.ko\nkernel/drivers/bus/mhi/core/mhi.ko:\n"
    clean_image(root, rel=rel, kconfig=kc, moddep=dep)
    write(root, "/etc/waagent.conf", "Provisioning.Agent=auto\n")
    return 0, {"hyperv.kernel-fixes": "pass"}


def case_bls_kernelopts(root):
    # RHEL 8: grub.cfg runs blscfg, the entries' options are "$kernelopts" from grubenv, and
    # GRUB_DEFAULT=saved picks saved_entry (the BLS file name).
    rel = "4.18.0-513.el8.x86_64"
    clean_image(root, rel=rel)
    os.remove(os.path.join(root, "boot/grub/grub.cfg"))
    write(root, "/boot/grub2/grub.cfg", 'load_env\nif [ "${next_entry}" ] ; then\n   set default="${next_entry}"\n'
          'else\n   set default="${saved_entry}"\nfi\n### BEGIN /etc/grub.d/00_tuned ###\nset tuned_params=""\n'
          'set tuned_initrd=""\n### END /etc/grub.d/00_tuned ###\nblscfg\n')
    write(root, "/boot/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=abc-%s\n"
          "kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto intremap=off\n" % rel + "#" * 200)
    write(root, f"/boot/loader/entries/abc-{rel}.conf",
          f"title Red Hat Enterprise Linux ({rel}) 8.9\nversion {rel}\nlinux /vmlinuz-{rel}\n"
          "initrd /initramfs-$kernel.img\noptions $kernelopts $tuned_params\n")
    return 1, {"image.kernel": "pass", "kernel.cmdline": "fail"}


def case_bls_no_grubenv(root):
    # The same image without its grubenv: $kernelopts cannot be known, so neither can the line.
    case_bls_kernelopts(root)
    os.remove(os.path.join(root, "boot/grub2/grubenv"))
    return 2, {"kernel.cmdline": "unknown"}


def case_shell_code(root):
    # A GRUB_CMDLINE_LINUX set by command substitution: it is not run, so it cannot be known.
    clean_image(root)
    write(root, "/etc/default/grub.d/50-cloud.cfg", 'GRUB_CMDLINE_LINUX="$(cat /proc/cmdline)"\n')
    return 2, {"kernel.cmdline": "unknown"}


def case_firmware_missing(root):
    # qaic on 6.12 loads fw2.bin over Sahara (sahara.c aic100_image_table, since 6.10); without it
    # the card cannot boot.
    clean_image(root)
    os.remove(os.path.join(root, "lib/firmware/qcom/aic100/fw2.bin"))
    return 1, {"device.firmware": "fail", "image.qaic-module": "pass"}


def case_unlisted_os(root):
    # The vendor's guest list (Cloud AI Platform SDK installation page) has no Debian: warn, exit 0.
    clean_image(root)
    write(root, "/etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')
    return 0, {"guest.os": "warn"}


def case_no_kernel(root):
    write(root, "/etc/os-release", "ID=debian\n")
    os.makedirs(os.path.join(root, "boot"))
    return 1, {"image.kernel": "fail", "kernel.cmdline": "skip"}


def case_hostile_links(root):
    # Links that point out of the tree must be read inside it (the file layer), never on the host.
    clean_image(root)
    os.symlink("/etc/shadow", os.path.join(root, "etc/modprobe.d/evil.conf"))
    os.remove(os.path.join(root, "etc/default/grub"))
    os.symlink("../../../../../../../etc/hostname", os.path.join(root, "etc/default/grub"))
    return 0, {"image.blacklist": "pass", "kernel.cmdline": "pass"}


CASES = [case_clean, case_intremap_off, case_blacklisted, case_blacklisted_but_loaded, case_install_false,
         case_no_qaic, case_sdk_module, case_sdk_module_unindexed, case_hyperv_5_15_57, case_hyperv_5_15_58,
         case_bls_kernelopts, case_bls_no_grubenv, case_shell_code, case_firmware_missing, case_unlisted_os, case_no_kernel, case_hostile_links]


def main():
    binary = sys.argv[1]
    failed = 0
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="aicg-image-") as root:
            want_exit, want = case(root)
            code, doc, err = run(binary, root)
            errs = []
            if doc is None:
                errs.append(f"not JSON (exit {code}): {err}")
            else:
                errs += schema.validate(doc)
                if doc.get("mode") != "image":
                    errs.append(f"mode is {doc.get('mode')}")
                if code != want_exit:
                    errs.append(f"exit {code}, expected {want_exit}")
                got = {c["id"]: c for c in doc["checks"]}
                for cid, st in want.items():
                    if got.get(cid, {}).get("status") != st:
                        errs.append(f"{cid}: {got.get(cid, {}).get('status')}, expected {st} "
                                    f"({got.get(cid, {}).get('summary')})")
                # The text report, with the data directory found as a user's run finds it (no
                # --data-dir: this once crashed image mode).
                t = subprocess.run([binary, "image", root], capture_output=True, text=True, timeout=60,
                                   env=dict(os.environ, AIC_GUESTCHECK_DATA_DIR=DATA))
                if t.returncode != code or f"(exit {code})" not in t.stdout.strip().splitlines()[-1]:
                    errs.append(f"text report exits {t.returncode}: {t.stdout[-200:]!r}")
            name = case.__name__[5:]
            for e in errs:
                print(f"FAIL {name}: {e}")
            if not errs:
                print(f"ok {name}")
            failed += bool(errs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
