#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every CMake build type with GCC and clang 14, and Release with clang 19
# when installed, warnings as errors, then the unit and fixture
# tests of each: optimisation levels find different warnings and bugs.
# Usage: tests/distro/compilers.sh [WORKDIR]   (default build-matrix/)
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-$SRC/build-matrix}
JOBS=$(nproc 2>/dev/null || echo 2)
CCS=gcc
for cc in clang-14 clang-19 clang; do
    command -v $cc >/dev/null && CCS="$CCS $cc"
done
# clang and clang-14 are the same compiler on Debian 12: keep the versioned one.
case " $CCS " in *" clang-14 "*) CCS=$(echo "$CCS" | sed 's/ clang$//') ;; esac

for cc in $CCS; do
    TYPES="Release RelWithDebInfo Debug None"
    # The newest compiler's new warnings show at -O3; CI's 90 minutes hold no more.
    [ $cc = clang-19 ] && TYPES=Release
    for type in $TYPES; do
        dir=$WORK/$cc-$type
        echo "== $cc $($cc -dumpversion) $type"
        CC=$cc cmake -S "$SRC" -B "$dir" -DCMAKE_BUILD_TYPE=$type -DAICG_WERROR=ON \
            -DAICG_TESTS=ON -DAICG_E2E=OFF >/dev/null
        cmake --build "$dir" -j "$JOBS" >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
        (cd "$dir" && ctest --output-on-failure -j "$JOBS" -R '^(unit|fixture)/')
    done
done
