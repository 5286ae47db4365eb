#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what aic-guestcheck needs on Debian/Ubuntu: the build dependencies,
# and with --test also the test suite's (cmocka, python3, QEMU and busybox
# for the e2e guests).
set -eu
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
PKGS="build-essential cmake pkg-config libpci-dev libkmod-dev libjson-c-dev zlib1g-dev libarchive-dev"
if [ "${1:-}" = "--test" ]; then
    PKGS="$PKGS libcmocka-dev python3 python3-prometheus-client bash-completion qemu-system-x86 busybox-static cpio kmod xz-utils zstd gzip debian-archive-keyring"
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $PKGS
