#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the e2e guests: load the stand-in device's driver, run
# aic-guestcheck as root and as an unprivileged user, take its support
# bundle as both, capture the sysroot it read, print everything between
# markers on the serial console, power off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in usb-common usbcore xhci-hcd xhci-pci; do insmod /modules/$m.ko; done
ARGS=$(cat /e2e-args)
echo "=== BEGIN ==="
echo "=== JSON root ==="
aic-guestcheck --format json $ARGS
echo "=== EXIT root $? ==="
echo "=== JSON user ==="
su nobody -s /bin/sh -c "aic-guestcheck --format json $ARGS"
echo "=== EXIT user $? ==="
aic-guestcheck bundle -o /capture/bundle-root.tar.gz $ARGS 2>/dev/null
su nobody -s /bin/sh -c "aic-guestcheck bundle -o /tmp/bundle-user.tar.gz $ARGS" 2>/dev/null
mv /tmp/bundle-user.tar.gz /capture/
capture.sh /capture/root >/dev/null 2>&1
su nobody -s /bin/sh -c "capture.sh /tmp/user" >/dev/null 2>&1
mv /tmp/user /capture/user
echo "=== TREE ==="
tar -czf - -C /capture . | base64
echo "=== END ==="
poweroff -f
