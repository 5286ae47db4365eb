#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what aic-guestcheck needs on Debian/Ubuntu: the build dependencies,
# and with --test also the test suite's (cmocka, python3, QEMU and busybox
# for the e2e guests; clang for the compiler matrix; mmdebstrap for the
# Debian 11 build root; debhelper, lintian, rpm and rpmlint for the packages;
# autoconf, automake and libtool for the static build's libkmod).
set -eu
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
PKGS="build-essential cmake pkg-config libpci-dev libkmod-dev libjson-c-dev zlib1g-dev"
if [ "${1:-}" = "--test" ]; then
    PKGS="$PKGS libcmocka-dev python3 python3-prometheus-client bash-completion qemu-system-x86 busybox-static cpio kmod xz-utils zstd gzip debian-archive-keyring"
    PKGS="$PKGS clang mmdebstrap debhelper lintian dpkg-dev rpm rpmlint"
    # The static build's libpci.a and libkmod.a from source (packaging/static-deps.sh).
    PKGS="$PKGS autoconf automake libtool file"
fi
$SUDO apt-get update -q
# clang 19 where the distribution has it (Debian 12 does): the newest warnings.
if [ "${1:-}" = "--test" ] && apt-cache show clang-19 >/dev/null 2>&1; then
    PKGS="$PKGS clang-19"
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $PKGS
