#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the e2e guests: load the stand-in device's driver, run each
# checker build listed in /e2e-binaries as root and as an unprivileged user,
# take the first one's support bundle as both (and a redacted one as root),
# capture the sysroot it read,
# print everything between markers on the serial console, power off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Dependencies first (e2e.py read them from the kernel's own modules).
# A late-driver case keeps the stand-in's own driver (last in the order) for later.
LATE=
[ -e /e2e-late-driver ] && LATE=$(tail -n 1 /modules/load-order)
for m in $(cat /modules/load-order); do [ "$m" = "$LATE" ] || insmod /modules/$m.ko; done
ARGS=$(cat /e2e-args)
BINS=$(cat /e2e-binaries)
echo "=== BEGIN ==="
if [ -n "$LATE" ]; then
    # --wait must see the driver bind 3 s after it started, then judge the bound card.
    set -- $BINS
    $1 --wait 60 --format json $ARGS > /tmp/wait.json &
    pid=$!
    sleep 3
    insmod /modules/$LATE.ko
    wait $pid
    rc=$?
    echo "=== WAIT ==="
    cat /tmp/wait.json
    echo "=== WAIT EXIT $rc ==="
fi
for b in $BINS; do
    echo "=== JSON $b root ==="
    $b --format json $ARGS
    echo "=== EXIT $b root $? ==="
    echo "=== JSON $b user ==="
    su nobody -s /bin/sh -c "$b --format json $ARGS"
    echo "=== EXIT $b user $? ==="
done
set -- $BINS
$1 bundle -o /capture/bundle-root.tar.gz $ARGS 2>/dev/null
su nobody -s /bin/sh -c "$1 bundle -o /tmp/bundle-user.tar.gz $ARGS" 2>/dev/null
mv /tmp/bundle-user.tar.gz /capture/
capture.sh /capture/root >/dev/null 2>&1
su nobody -s /bin/sh -c "capture.sh /tmp/user" >/dev/null 2>&1
mv /tmp/user /capture/user
# A redacted bundle of a guest with a name (after the captures, which keep theirs); its map
# stays in the guest, as it stays on the machine it was made on.
echo planted-e2e-host > /proc/sys/kernel/hostname
$1 bundle --redact -o /capture/bundle-redacted.tar.gz $ARGS 2>/dev/null
mv /capture/bundle-redacted.tar.gz.redaction-map /tmp/ 2>/dev/null
echo "=== TREE ==="
tar -czf - -C /capture . | base64
echo "=== END ==="
poweroff -f
