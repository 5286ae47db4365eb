#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copy the files aic-guestcheck reads into a sysroot tree (busybox sh; runs
# inside the e2e guests). Usage: capture.sh DEST
# Symlinks are kept as the kernel made them (relative), so the tree is a
# sysroot. Files the caller cannot read are left out, and listed in
# DEST/.unreadable so the capture says what it could not see.
set -u
C=$1
mkdir -p "$C"
: > "$C/.unreadable"

copy() { # copy FILE if readable
    [ -e "$1" ] || return 0
    mkdir -p "$C$(dirname "$1")"
    if ! cat "$1" > "$C$1" 2>/dev/null; then
        rm -f "$C$1"
        echo "$1" >> "$C/.unreadable"
    fi
}
link() { # recreate symlink LINK
    [ -L "$1" ] || return 0
    mkdir -p "$C$(dirname "$1")"
    ln -sf "$(readlink "$1")" "$C$1"
}

for f in /proc/sys/kernel/osrelease /proc/cmdline /proc/interrupts /proc/modules /proc/version \
         /proc/version_signature /proc/xen/capabilities; do
    copy "$f"
done

for l in /sys/bus/pci/devices/*; do
    [ -L "$l" ] || continue
    real=$(cd "$l" && pwd -P)
    link "$l"
    for a in vendor device class subsystem_vendor subsystem_device revision irq resource config \
             numa_node modalias enable; do
        copy "$real/$a"
    done
    link "$real/driver"
    link "$real/iommu_group"
    for i in "$real"/msi_irqs/*; do copy "$i"; done
    for a in "$real"/accel/accel*; do [ -d "$a" ] && mkdir -p "$C$a"; done
done

for m in /sys/module/*; do [ -d "$m" ] && mkdir -p "$C$m"; done
for f in /sys/class/dmi/id/*; do [ -f "$f" ] && copy "$f"; done
mkdir -p "$C/sys/firmware/acpi/tables"
for t in /sys/firmware/acpi/tables/*; do
    [ -f "$t" ] || continue
    case "${t##*/}" in DMAR|IVRS|VIOT) copy "$t" ;; esac
done
for u in /sys/class/iommu/*; do
    link "$u"
    real=$(cd "$u" && pwd -P)
    for f in "$real"/intel-iommu/* "$real"/amd-iommu/*; do [ -f "$f" ] && copy "$f"; done
done
# device.minors: each class entry's link names the device that owns the minor.
for m in /sys/class/drm/card* /sys/class/drm/renderD* /sys/class/accel/accel*; do link "$m"; done
for g in /sys/kernel/iommu_groups/*; do [ -d "$g" ] && mkdir -p "$C$g"; done
for f in /sys/hypervisor/type /sys/hypervisor/guest_type /sys/hypervisor/properties/features; do
    copy "$f"
done
for d in /sys/bus/vmbus/devices/*; do
    [ -L "$d" ] || continue
    link "$d"
    real=$(cd "$d" && pwd -P)
    copy "$real/class_id"
    copy "$real/device_id"
done
for d in /dev/accel/*; do [ -e "$d" ] && mkdir -p "$C/dev/accel" && : > "$C$d"; done

rel=$(cat /proc/sys/kernel/osrelease)
copy "/boot/config-$rel"
for f in /lib/modules/"$rel"/modules.*; do copy "$f"; done
# Kernel log and CPUID are not files: replayed from dev/kmsg and dev/cpuid.
mkdir -p "$C/dev"
dmesg > "$C/dev/kmsg" 2>/dev/null || { rm -f "$C/dev/kmsg"; echo /dev/kmsg >> "$C/.unreadable"; }
cpuid-dump > "$C/dev/cpuid"
