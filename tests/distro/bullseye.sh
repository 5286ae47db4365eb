#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build and test in a Debian 11 (bullseye) build root made from the Debian
# archive: GCC 10 and clang 11, pciutils 3.7, json-c 0.15, CMake 3.18, the
# oldest libraries this tree supports (README "Supported systems").
#
# The root is made once with mmdebstrap and kept as a tarball in
# $AICG_BUILDROOT_CACHE (default ~/.cache/aic-guestcheck), so a later run
# only unpacks it; delete the tarball to refresh it. Needs root (chroot,
# mount namespace). Runs the unit, fixture and command-line tests; not the
# live runs (the build root sees the host's hardware), the QEMU guests, nor
# the tests that need more of the archive (the format readers).
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${AICG_BUILDROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aic-guestcheck}
MIRROR=${AICG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Bump the suffix when the package list changes, so a stale root is not reused.
TARBALL=$CACHE/bullseye-buildroot-v1.tar
PKGS="build-essential,cmake,pkg-config,clang,libpci-dev,libkmod-dev,libjson-c-dev,zlib1g-dev,libarchive-dev,libcmocka-dev,python3"

if [ "$(id -u)" != 0 ]; then
    echo "bullseye build root: needs root (chroot)" >&2
    exit 77
fi
mkdir -p "$CACHE"
if [ ! -s "$TARBALL" ]; then
    command -v mmdebstrap >/dev/null || {
        echo "bullseye build root: mmdebstrap is not installed (packaging/install-deps.sh --test)" >&2
        exit 1
    }
    start=$(date +%s)
    mmdebstrap --variant=apt --format=tar --include="$PKGS" bullseye "$TARBALL.tmp" "$MIRROR"
    mv "$TARBALL.tmp" "$TARBALL"
    echo "bullseye build root: made in $(($(date +%s) - start)) s, cached as $TARBALL"
fi

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/aicg-bullseye.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT INT TERM
tar -C "$ROOT" -xf "$TARBALL"
mkdir -p "$ROOT/src"
# A copy of the tree without build directories: the root cannot write into ours.
tar -C "$SRC" --exclude='./build*' --exclude='./tests/e2e/cache' --exclude='./.git' -cf - . |
    tar -C "$ROOT/src" -xf -

cat >"$ROOT/run.sh" <<'EOF'
set -eu
cd /src
for cc in gcc clang; do
    echo "== bullseye: $cc $($cc -dumpversion), libpci $(pkg-config --modversion libpci), json-c $(pkg-config --modversion json-c)"
    CC=$cc cmake -S . -B build-$cc -DAICG_WERROR=ON -DAICG_TESTS=ON -DAICG_E2E=OFF -DAICG_LIVE_TESTS=OFF
    cmake --build build-$cc -j2
    # CMake 3.18: no ctest --test-dir yet.
    (cd build-$cc && ctest --output-on-failure -j2 -R '^(unit|fixture)/|^integration/cli$')
done
EOF
# A private mount namespace: /proc and /dev go away with it.
unshare --mount --fork sh -c '
    mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" &&
    chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 sh /run.sh
' sh "$ROOT"
