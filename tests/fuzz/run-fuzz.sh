#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One parser harness in CI: replay its seeds (files of the fixture trees and
# data tables) through the build's own binary, then, when clang is
# installed, build the harness with libFuzzer + ASan + UBSan and fuzz it for
# AICG_FUZZ_SECONDS (default 10) from those seeds. Fails on a crash,
# sanitizer report or leak.
# usage: run-fuzz.sh NAME REPLAY_BINARY SOURCE_DIR WORK_DIR
set -eu
name=$1 replay=$2 src=$3 work=$4
seconds=${AICG_FUZZ_SECONDS:-10}
fx=$src/tests/fixtures

seeds() {
    case $name in
    fuzz-cpuid) find "$fx" -path '*/dev/cpuid' ;;
    fuzz-dmar) find "$fx" -path '*/acpi/tables/DMAR' ;;
    fuzz-pcicap) find "$fx" -name config -path '*/sys/devices/*' ;;
    fuzz-cmdline) find "$fx" -path '*/proc/cmdline' ;;
    fuzz-kmsg|fuzz-iommu-log) find "$fx" -path '*/dev/kmsg' ;;
    fuzz-interrupts) find "$fx" -path '*/proc/interrupts' ;;
    fuzz-kallsyms) find "$fx" -path '*/proc/kallsyms' ;;
    fuzz-kversion) find "$fx" -path '*/kernel/osrelease' ;;
    fuzz-fixtable) find "$src/data" -path '*hyperv-fixes.d/*' -type f ;;
    fuzz-guestos) find "$src/data" -path '*guest-os*' -type f ;;
    fuzz-osrelease) find "$fx" -name os-release -type f ;;
    fuzz-modprobe) find "$fx" -path '*/modprobe.d/*' -type f; find "$fx" -path '*/modules-load.d/*' -type f ;;
    fuzz-modules) find "$fx" -path '*/proc/modules'; find "$fx" -name 'changelog*' -type f ! -name '*.gz' ;;
    esac
}

corpus=$work/corpus-$name
mkdir -p "$corpus"
seeds | sort -u | head -200 | while read -r f; do
    cp -f "$f" "$corpus/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
done
[ -n "$(ls "$corpus")" ] || printf 'x\n' > "$corpus/empty"

# 1. Every build: each seed once, under whatever sanitizers the build has.
"$replay" "$corpus"/*

# 2. With clang: libFuzzer for a fixed time.
CLANG=$(command -v clang || command -v clang-14 || true)
[ -n "$CLANG" ] || { echo "clang not installed: seeds replayed, no fuzzing"; exit 0; }
obj=$work/obj
flags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE -DPROJECT_VERSION=\"fuzz\" -DAICG_DATADIR=\"/nonexistent\" -I$src -I$src/tests/fuzz"
(
    flock 9
    if [ ! -f "$obj/.done" ]; then
        mkdir -p "$obj"
        for c in "$src"/probes/*.c; do
            "$CLANG" $flags -c "$c" -o "$obj/$(basename "$c" .c).o"
        done
        touch "$obj/.done"
    fi
) 9>"$work/.lock"
"$CLANG" $flags -fsanitize=fuzzer "$src/tests/fuzz/$name.c" "$obj"/*.o -lpci -lkmod -lz -o "$work/$name"
mkdir -p "$work/run-$name"
cp -f "$corpus"/* "$work/run-$name/"
"$work/$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/$name-" "$work/run-$name"
