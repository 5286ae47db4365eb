#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the static libraries Debian does not ship, from Debian's own source
# packages: libpci.a (pciutils, without DNS, hwdb/libudev, zlib or libkmod:
# the checker reads only sysfs) and libkmod.a (kmod, without xz, zstd or
# openssl: the checker reads only the module indexes, never a .ko). Then:
#   PKG_CONFIG_PATH=PREFIX/lib/pkgconfig cmake -S . -B build-static -DAICG_STATIC=ON
# Usage: packaging/static-deps.sh PREFIX   (needs root for apt's source lists
# below the cache; dpkg-dev, autoconf, automake, libtool)
set -eu
PREFIX=$(mkdir -p "$1" && cd "$1" && pwd)
CACHE=${AICG_BUILDROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aic-guestcheck}/static-src
MIRROR=${AICG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
. /etc/os-release
SUITE=${AICG_DEBIAN_SUITE:-${VERSION_CODENAME:-bookworm}}
JOBS=$(nproc 2>/dev/null || echo 2)
mkdir -p "$CACHE/apt/parts" "$CACHE/apt/lists/partial"

# The source packages, through apt with its own source list (the system's
# sources.list is left alone).
if ! ls "$CACHE"/pciutils_*.dsc "$CACHE"/kmod_*.dsc >/dev/null 2>&1; then
    cat >"$CACHE/apt/parts/src.sources" <<EOS
Types: deb-src
URIs: $MIRROR
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
    APTO="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$CACHE/apt/parts"
    APTO="$APTO -o Dir::State::Lists=$CACHE/apt/lists -o APT::Sandbox::User=root"
    # shellcheck disable=SC2086
    apt-get $APTO update -q
    # shellcheck disable=SC2086
    (cd "$CACHE" && apt-get $APTO source --download-only pciutils kmod)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/aicg-static.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
(cd "$WORK" && dpkg-source -x --skip-patches "$CACHE"/pciutils_*.dsc pciutils >/dev/null &&
    dpkg-source -x --skip-patches "$CACHE"/kmod_*.dsc kmod >/dev/null)

PCIOPTS="ZLIB=no DNS=no HWDB=no LIBKMOD=no SHARED=no PREFIX=$PREFIX"
# shellcheck disable=SC2086
make -C "$WORK/pciutils" -j "$JOBS" $PCIOPTS lib/libpci.a
# shellcheck disable=SC2086
make -C "$WORK/pciutils" $PCIOPTS install-lib

cd "$WORK/kmod"
# A git snapshot: no configure yet. Its docs include gtk-doc.make, which
# gtkdocize would copy; the docs are not built, so an empty one does.
[ -e libkmod/docs/gtk-doc.make ] || : >libkmod/docs/gtk-doc.make
autoreconf -fi >/dev/null
# kmod's configure refuses --enable-static (kmod 30, configure.ac). Its own
# tools link libkmod-internal.la, a libtool convenience archive of the same
# sources (shared/ included): that archive, built PIC, is the libkmod.a.
./configure -q --prefix="$PREFIX" --without-xz --without-zstd --without-openssl \
    --disable-manpages --disable-test-modules
make -j "$JOBS" libkmod/libkmod-internal.la libkmod/libkmod.pc
mkdir -p "$PREFIX/lib/pkgconfig" "$PREFIX/include"
cp libkmod/.libs/libkmod-internal.a "$PREFIX/lib/libkmod.a"
cp libkmod/libkmod.pc "$PREFIX/lib/pkgconfig/"
cp libkmod/libkmod.h "$PREFIX/include/"
echo "static-deps: libpci.a and libkmod.a in $PREFIX/lib"
