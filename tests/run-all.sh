#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite: a normal build with every test (unit, fixtures, CLI,
# live, and the e2e QEMU guests), then an AddressSanitizer +
# UndefinedBehaviorSanitizer build with every test but the e2e guests.
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAICG_E2E=ON
cmake --build build -j "$JOBS"
ctest --test-dir build --output-on-failure -j "$JOBS"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DAICG_SANITIZE=ON -DAICG_E2E=OFF
cmake --build build-asan -j "$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$JOBS"
