#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The static executable in BUILD_DIR (default build-static), the rest of the
# arguments passed to cmake. libpci.a and libkmod.a come from
# packaging/static-deps.sh once, then from the build cache
# ($AICG_BUILDROOT_CACHE, default ~/.cache/aic-guestcheck), keyed by the
# Debian release and that script's content: a changed recipe builds anew,
# a new Debian point release of pciutils or kmod does not (delete the
# static-libs-* directory to take it).
# Usage: packaging/build-static.sh [BUILD_DIR [CMAKE_ARGS...]]
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-build-static}
[ $# -gt 0 ] && shift
CACHE=${AICG_BUILDROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aic-guestcheck}
. /etc/os-release
KEY=$(sha256sum packaging/static-deps.sh | cut -c1-12)
PREFIX=$CACHE/static-libs-${VERSION_CODENAME:-${ID:-unknown}}-$KEY
JOBS=$(nproc 2>/dev/null || echo 2)

if [ ! -e "$PREFIX/.complete" ]; then
    start=$(date +%s)
    # The .pc files name PREFIX itself: build in place, mark complete last.
    rm -rf "$PREFIX"
    sh packaging/static-deps.sh "$PREFIX"
    : >"$PREFIX/.complete"
    echo "build-static: libpci.a and libkmod.a built in $(($(date +%s) - start)) s, cached in $PREFIX"
fi
PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} \
    cmake -S . -B "$OUT" -DCMAKE_BUILD_TYPE=Release -DAICG_STATIC=ON -DAICG_TESTS=OFF "$@"
cmake --build "$OUT" -j "$JOBS"
file "$OUT/aic-guestcheck"
