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
cp "$SRC/packaging/aic-guestcheck.rpmlintrc" "$WORK/rpmlintrc"
set --
if [ -e /etc/debian_version ]; then
    # Debian's brp-compress is #!/bin/sh but uses bash's read -d: dash leaves
    # the manual page uncompressed. Without find-debuginfo, brp-strip's
    # strip -g keeps the symbol table, which rpmlint calls unstripped; on an
    # RPM distribution the -debuginfo package takes it. Debian's rpmlint 2.4
    # has no distribution profile: no valid licences listed, manual pages
    # expected as .bz2 where rpm's brp-compress makes .gz (Fedora's profile
    # says gz); and it files a page under its section, not its name
    # (FilesCheck.py: man_basenames.add(res.group('category'))), so every
    # binary lacks one.
    set -- --nodeps --define "debug_package %{nil}" \
        --define "__brp_compress bash /usr/lib/rpm/brp-compress %{_prefix}"
    cat >>"$WORK/rpmlintrc" <<'EOF'
addFilter("unstripped-binary-or-object /usr/bin/aic-guestcheck")
addFilter("invalid-license GPL-2.0-or-later")
addFilter("no-manual-page-for-binary aic-guestcheck")
EOF
    echo 'CompressExtension = "gz"' >"$WORK/rpmlint.toml"
    LINTCONF="-c $WORK/rpmlint.toml"
fi
start=$(date +%s)
rpmbuild -ba "$@" --define "_topdir $WORK" --define "_smp_mflags -j2" \
    "$WORK/SPECS/aic-guestcheck.spec"
echo "build-rpm: rpmbuild took $(($(date +%s) - start)) s"
# shellcheck disable=SC2086
rpmlint ${LINTCONF:-} -r "$WORK/rpmlintrc" "$WORK/SPECS/aic-guestcheck.spec" "$WORK"/RPMS/*/*.rpm "$WORK"/SRPMS/*.rpm
cp "$WORK"/RPMS/*/*.rpm "$WORK"/SRPMS/*.rpm "$OUT"/
ls -l "$OUT"/*.rpm
