#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the source and binary RPMs from a clean copy of this tree with
# rpmbuild, then rpmlint them. On Debian (rpm and rpmlint from the archive)
# the build dependencies are Debian's, so rpmbuild runs with --nodeps and
# without a debuginfo package (Debian's rpm has no find-debuginfo).
# Usage: packaging/build-rpm.sh [OUTDIR]   (default build-pkg/)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-$SRC/build-pkg}" && cd "${1:-$SRC/build-pkg}" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aicg-rpm.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
VERSION=$(sed -n 's/^project(aic-guestcheck VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
NV=aic-guestcheck-$VERSION

mkdir -p "$WORK/SOURCES" "$WORK/SPECS" "$WORK/$NV"
tar -C "$SRC" --exclude='./build*' --exclude='./.git' --exclude='./tests/e2e/cache' \
    --exclude='./tests/e2e/work' -cf - . | tar -C "$WORK/$NV" -xf -
tar -C "$WORK" -czf "$WORK/SOURCES/$NV.tar.gz" "$NV"
sed "s/@PROJECT_VERSION@/$VERSION/g" "$SRC/packaging/aic-guestcheck.spec.in" \
    > "$WORK/SPECS/aic-guestcheck.spec"
set --
[ -e /etc/debian_version ] && set -- --nodeps --define "debug_package %{nil}"
rpmbuild -ba "$@" --define "_topdir $WORK" --define "_smp_mflags -j2" \
    "$WORK/SPECS/aic-guestcheck.spec"
rpmlint "$WORK/SPECS/aic-guestcheck.spec" "$WORK"/RPMS/*/*.rpm "$WORK"/SRPMS/*.rpm
cp "$WORK"/RPMS/*/*.rpm "$WORK"/SRPMS/*.rpm "$OUT"/
ls -l "$OUT"/*.rpm
