# SPDX-License-Identifier: GPL-2.0-or-later
"""Guest kernels for the e2e matrix, fetched from the Debian archive.

Each kernel comes from its own suite through a private apt configuration
(tests/e2e/apt/SUITE.list, state and cache under the e2e cache): the host's
own sources are never read or changed, so a fresh machine with only
debian-archive-keyring gets the same packages from the project's files.
"""

import fcntl
import os
import re
import shutil
import subprocess
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# name: (suite, meta package). The meta package names the newest kernel of
# that line today; the release it resolves to is recorded with each capture.
KERNELS = {
    "5.10": ("bullseye", "linux-image-amd64"),
    "6.1": ("bookworm", "linux-image-amd64"),
    "6.12": ("bookworm", "linux-image-6.12-amd64"),
    "sid": ("sid", "linux-image-amd64"),
}
DEFAULT_KERNEL = "6.12"

# The stand-in device's driver; its dependencies are read from the modules.
STANDIN_MODULE = "xhci-pci"
# Where the modules the stand-in needs live: extracted in one pass over the .deb.
MODULE_DIRS = ("kernel/drivers/usb/common/", "kernel/drivers/usb/core/", "kernel/drivers/usb/host/")
LISTS_MAX_AGE = 20 * 3600


class KernelUnavailable(Exception):
    pass


def _run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def _lock(cache):
    """One fetcher at a time per cache: ctest runs kernels in parallel, and the cache is shared."""
    f = open(os.path.join(cache, ".lock"), "w")
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


def apt_options(cache, suite):
    base = os.path.join(cache, "apt", suite)
    for d in ("etc/sources.list.d", "etc/preferences.d", "etc/apt.conf.d", "state/lists/partial",
              "cache/archives/partial"):
        os.makedirs(os.path.join(base, d), exist_ok=True)
    return ["-q", "-o", f"Dir::Etc={base}/etc",
            "-o", f"Dir::Etc::SourceList={os.path.join(HERE, 'apt', suite + '.list')}",
            "-o", f"Dir::State={base}/state", "-o", f"Dir::Cache={base}/cache",
            "-o", "Dir::State::status=/dev/null",
            "-o", "APT::Architectures=amd64", "-o", "Acquire::Languages=none",
            "-o", "APT::Sandbox::User=root", "-o", "Debug::NoLocking=1"]


def _update(cache, suite, log):
    opts = apt_options(cache, suite)
    stamp = os.path.join(cache, "apt", suite, "updated")
    fresh = os.path.exists(stamp) and time.time() - os.path.getmtime(stamp) < LISTS_MAX_AGE
    if fresh:
        return opts
    log(f"apt-get update ({suite}, private lists under {cache}/apt)")
    p = subprocess.run(["apt-get"] + opts + ["update"], capture_output=True, text=True)
    if p.returncode != 0:
        if not os.path.exists(stamp):
            raise KernelUnavailable(f"apt-get update for {suite} failed: {(p.stdout + p.stderr).strip()[-400:]}")
        log(f"apt-get update ({suite}) failed; using the lists of {time.ctime(os.path.getmtime(stamp))}")
        return opts
    open(stamp, "w").close()
    return opts


def _depends(opts, pkg):
    out = subprocess.run(["apt-cache"] + opts + ["depends", pkg], capture_output=True, text=True).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("Depends:")]


def resolve(cache, name, log):
    """The image package the kernel's meta package names today, and the packages holding its files.
    Debian from 6.17 (sid) splits the image: vmlinuz in linux-binary-REL, modules in
    linux-modules-REL, config and module indexes in linux-base-REL."""
    suite, meta = KERNELS[name]
    opts = _update(cache, suite, log)
    image = next((d for d in _depends(opts, meta) if re.match(r"linux-image-\d", d)), None)
    if not image:
        raise KernelUnavailable(f"{meta} in {suite} names no linux-image package")
    rel = image[len("linux-image-"):]
    parts = [d for d in _depends(opts, image) if d in (f"linux-binary-{rel}", f"linux-modules-{rel}",
                                                       f"linux-base-{rel}")]
    return opts, rel, [image] + parts


def _download(cache, opts, pkgs, log):
    debs = []
    for pkg in pkgs:
        have = [f for f in os.listdir(cache) if f.startswith(pkg + "_") and f.endswith(".deb")]
        if not have:
            log(f"downloading {pkg}")
            _run(["apt-get"] + opts + ["download", pkg], cwd=cache, stdout=subprocess.DEVNULL)
            have = [f for f in os.listdir(cache) if f.startswith(pkg + "_") and f.endswith(".deb")]
        if not have:
            raise KernelUnavailable(f"apt-get download {pkg} left no .deb")
        debs.append(os.path.join(cache, sorted(have)[-1]))
    return debs


def _normalise(member, rel):
    """The path a file has on an installed system, with /lib/modules for /usr/lib/modules and the
    image and config under /boot as linux-base's 00-legacy-boot hook copies them (sid)."""
    p = member.lstrip("./")
    if p.startswith("usr/lib/modules/"):
        p = p[len("usr/"):]
    if p == f"lib/modules/{rel}/vmlinuz":
        return f"boot/vmlinuz-{rel}"
    if p == f"lib/modules/{rel}/config":
        return f"boot/config-{rel}"
    return p


def _wanted(path, rel, extra):
    mods = f"lib/modules/{rel}/"
    if path in (f"boot/vmlinuz-{rel}", f"boot/config-{rel}"):
        return True
    if path.startswith(mods):
        sub = path[len(mods):]
        return (sub in ("modules.builtin", "modules.builtin.modinfo", "modules.order")
                or sub.startswith(MODULE_DIRS) or sub in extra)
    return False


def _extract(debs, rel, x, extra=()):
    for deb in debs:
        fsys = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
        with tarfile.open(fileobj=fsys.stdout, mode="r|") as t:
            for m in t:
                if not m.isfile():
                    continue
                path = _normalise(m.name, rel)
                if not _wanted(path, rel, extra):
                    continue
                dst = os.path.join(x, path)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                with t.extractfile(m) as src, open(dst, "wb") as out:
                    shutil.copyfileobj(src, out)
        if fsys.wait() != 0:
            raise KernelUnavailable(f"dpkg-deb cannot read {deb}")


def _module_paths(x, rel):
    """Module name -> path under lib/modules/REL, from modules.order (names use '-' as on disk)."""
    paths = {}
    with open(os.path.join(x, "lib/modules", rel, "modules.order")) as f:
        for line in f:
            p = line.strip()
            if p:
                base = os.path.basename(p)
                paths[re.sub(r"\.ko(\..*)?$", "", base).replace("_", "-")] = p
    return paths


def _builtin(x, rel):
    try:
        with open(os.path.join(x, "lib/modules", rel, "modules.builtin")) as f:
            return {re.sub(r"\.ko$", "", os.path.basename(l.strip())).replace("_", "-") for l in f}
    except OSError:
        return set()


def _on_disk(x, rel, relpath):
    """The module file as shipped: .ko, .ko.xz or .ko.zst (modules.order names the .ko)."""
    stem = os.path.join(x, "lib/modules", rel, re.sub(r"\.ko(\..*)?$", ".ko", relpath))
    for ext in ("", ".xz", ".zst", ".gz"):
        if os.path.exists(stem + ext):
            return stem + ext
    return None


def _decompress(src, dst):
    """busybox insmod takes an uncompressed module."""
    tool = {".xz": ["xz", "-dc"], ".zst": ["zstd", "-dcq"], ".gz": ["gzip", "-dc"]}.get(
        os.path.splitext(src)[1], ["cat"])
    if not shutil.which(tool[0]):
        raise KernelUnavailable(f"{os.path.basename(src)} needs {tool[0]} to decompress")
    with open(dst, "wb") as out:
        _run(tool + [src], stdout=out)


def _load_order(debs, x, rel):
    """The stand-in driver and the modules it depends on, dependencies first."""
    paths, builtin = _module_paths(x, rel), _builtin(x, rel)
    order, seen = [], set()

    def visit(name):
        if name in seen or name in builtin:
            return
        seen.add(name)
        if name not in paths:
            raise KernelUnavailable(f"module {name} is neither in modules.order nor built in")
        f = _on_disk(x, rel, paths[name])
        if not f:  # outside MODULE_DIRS: one more pass over the .debs
            _extract(debs, rel, x, extra=[paths[name] + e for e in ("", ".xz", ".zst", ".gz")])
            f = _on_disk(x, rel, paths[name])
        if not f:
            raise KernelUnavailable(f"module {name} ({paths[name]}) is not in the packages")
        deps = subprocess.run(["modinfo", "-F", "depends", f], capture_output=True, text=True,
                              check=True).stdout.strip()
        for d in filter(None, deps.replace("_", "-").split(",")):
            visit(d)
        order.append((name, f))

    visit(STANDIN_MODULE)
    return order


def fetch(cache, name, log):
    """(release, directory) of the kernel `name`: x/boot/vmlinuz-REL and config, x/lib/modules/REL
    with the stand-in's modules and depmod's indexes, modules/NAME.ko decompressed and
    modules/load-order. Raises KernelUnavailable."""
    os.makedirs(cache, exist_ok=True)
    with _lock(cache):
        current = os.path.join(cache, f"kernel-{name}")
        try:
            opts, rel, pkgs = resolve(cache, name, log)
        except (KernelUnavailable, OSError, subprocess.CalledProcessError) as e:
            # Offline: the release this name last resolved to, if it was fetched whole.
            try:
                rel = open(current).read().strip()
            except OSError:
                raise KernelUnavailable(str(e))
            if not os.path.exists(os.path.join(cache, rel, "ready")):
                raise KernelUnavailable(str(e))
            log(f"{name}: {e}; using the cached {rel}")
            return rel, os.path.join(cache, rel)
        kdir = os.path.join(cache, rel)
        if not os.path.exists(os.path.join(kdir, "ready")):
            try:
                debs = _download(cache, opts, pkgs, log)
            except subprocess.CalledProcessError as e:
                raise KernelUnavailable(f"apt-get download {' '.join(pkgs)} failed: {e}")
            shutil.rmtree(kdir, ignore_errors=True)
            x = os.path.join(kdir, "x")
            os.makedirs(x)
            _extract(debs, rel, x)
            if not os.path.exists(os.path.join(x, "boot", f"vmlinuz-{rel}")):
                raise KernelUnavailable(f"no vmlinuz in {' '.join(pkgs)}")
            order = _load_order(debs, x, rel)
            os.makedirs(os.path.join(kdir, "modules"))
            for mod, f in order:
                _decompress(f, os.path.join(kdir, "modules", mod + ".ko"))
            with open(os.path.join(kdir, "modules", "load-order"), "w") as f:
                f.write("".join(mod + "\n" for mod, _ in order))
            # Only what the stand-in needs stays in the tree the guest gets.
            keep = {os.path.realpath(f) for _, f in order}
            for d, _, files in os.walk(os.path.join(x, "lib/modules", rel, "kernel")):
                for fn in files:
                    if os.path.realpath(os.path.join(d, fn)) not in keep:
                        os.unlink(os.path.join(d, fn))
            _run(["depmod", "-b", x, rel])
            open(os.path.join(kdir, "ready"), "w").close()
        with open(current, "w") as f:
            f.write(rel + "\n")
        return rel, kdir
