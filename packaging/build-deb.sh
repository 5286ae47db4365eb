#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the .deb from a clean copy of this tree (the build-time tests run,
# without network, QEMU or the build machine's hardware), then lintian it.
# Usage: packaging/build-deb.sh [OUTDIR]   (default build-pkg/)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-$SRC/build-pkg}" && cd "${1:-$SRC/build-pkg}" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aicg-deb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
VERSION=$(sed -n 's/^project(aic-guestcheck VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
DEBVERSION=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
if [ "$VERSION" != "${DEBVERSION%%-*}" ]; then
    echo "build-deb: debian/changelog says $DEBVERSION, CMakeLists.txt $VERSION" >&2
    exit 1
fi

mkdir "$WORK/aic-guestcheck-$VERSION"
tar -C "$SRC" --exclude='./build*' --exclude='./.git' --exclude='./tests/e2e/cache' \
    --exclude='./tests/e2e/work' -cf - . | tar -C "$WORK/aic-guestcheck-$VERSION" -xf -
(cd "$WORK/aic-guestcheck-$VERSION" && dpkg-buildpackage -b -us -uc -j2)
lintian --fail-on error,warning "$WORK"/*.changes
cp "$WORK"/*.deb "$OUT"/
ls -l "$OUT"/*.deb
