# SPDX-License-Identifier: GPL-2.0-or-later
"""LD_PRELOAD for running the checker under the open guard (tests/guard/openguard.c)."""

import subprocess


def asan_runtime(binary):
    """The ASan runtime a sanitizer build links, which must come first in LD_PRELOAD
    (ASan refuses to start when another preloaded library precedes it)."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return None
    for line in out.splitlines():
        if "libasan.so" in line and "=>" in line:
            return line.split("=>")[1].split("(")[0].strip()
    return None


def guard_preload(binary, guard):
    """The LD_PRELOAD value: the ASan runtime when the binary has one, then the guard."""
    return ":".join(p for p in (asan_runtime(binary), guard) if p)
