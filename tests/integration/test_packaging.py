#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The shipped systemd units verify with systemd-analyze and does what it says when run as its
ExecStart would; the bash completion completes what --help lists.
Usage: test_packaging.py BINARY SERVICE_FILE COMPLETION_FILE FIXTURES_DIR"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

BIN, UNIT, COMPLETION, FIX = sys.argv[1:5]
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
    print(("ok   " if cond else "FAIL ") + what)


unit = open(UNIT).read()
tmp = tempfile.mkdtemp(prefix="aicg-pkg-")
# The installed unit names the installed binary; verify names ours, which exists.
exec_line = re.search(r"^ExecStart=(\S+)(.*)$", unit, re.M)
local = unit.replace(exec_line.group(1), os.path.abspath(BIN))
path = os.path.join(tmp, "aic-guestcheck.service")
with open(path, "w") as f:
    f.write(local)
if shutil.which("systemd-analyze"):
    p = subprocess.run(["systemd-analyze", "verify", "--man=no", path], capture_output=True, text=True)
    # Messages about other units on this machine are not ours to judge.
    ours = [ln for ln in p.stderr.splitlines() if "aic-guestcheck" in ln]
    expect(p.returncode == 0 and not ours, f"systemd-analyze verify: {p.returncode} {ours}")
else:
    print("skip systemd-analyze not installed")
expect(exec_line.group(1).endswith("/aic-guestcheck") and exec_line.group(1).startswith("/"),
       "ExecStart names the installed binary by absolute path")
for want in ("Type=oneshot", "RemainAfterExit=yes", "After=systemd-modules-load.service systemd-udev-trigger.service",
             "RuntimeDirectory=aic-guestcheck", "WantedBy=multi-user.target"):
    expect(want in unit, f"unit has {want}")

# Run ExecStart's command line as systemd would expand it (defaults from Environment=), on a
# fixture, with /run/aic-guestcheck replaced by a temporary directory.
run_dir = os.path.join(tmp, "run")
os.mkdir(run_dir)
env = dict(re.findall(r"^Environment=(\w+)=(.*)$", unit, re.M))
cmd = exec_line.group(2).replace("${AICG_WAIT}", env["AICG_WAIT"]).replace("/run/aic-guestcheck", run_dir)
args = [a for a in shlex.split(cmd) if a != "$AICG_ARGS"]
p = subprocess.run([BIN, *args, "--sysroot", os.path.join(FIX, "card-qaic-1msi-fallback")],
                   capture_output=True, text=True, timeout=180)
doc = json.load(open(os.path.join(run_dir, "report.json")))
expect(p.returncode == 1 and p.stdout.count("\n") == 1 and p.stdout.startswith("NOT READY")
       and doc["verdict"] == "not-ready" and "NOT READY" in open(os.path.join(run_dir, "report.txt")).read(),
       f"the unit's command: one line for the journal, JSON and text reports, exit 1 fails the unit ({p.stdout!r})")

# The refresh service and its timer: they verify together, and the service's command writes the
# reports and ends in an exit status the unit counts as success even on a not-ready guest.
REFRESH = os.path.join(os.path.dirname(UNIT), "aic-guestcheck-refresh.service")
TIMER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packaging", "systemd",
                     "aic-guestcheck-refresh.timer")
refresh = open(REFRESH).read()
r_exec = re.search(r"^ExecStart=(\S+)(.*)$", refresh, re.M)
for name, text in (("aic-guestcheck-refresh.service", refresh.replace(r_exec.group(1), os.path.abspath(BIN))),
                   ("aic-guestcheck-refresh.timer", open(TIMER).read())):
    with open(os.path.join(tmp, name), "w") as f:
        f.write(text)
if shutil.which("systemd-analyze"):
    p = subprocess.run(["systemd-analyze", "verify", "--man=no", os.path.join(tmp, "aic-guestcheck-refresh.timer"),
                        os.path.join(tmp, "aic-guestcheck-refresh.service")], capture_output=True, text=True)
    ours = [ln for ln in p.stderr.splitlines() if "aic-guestcheck" in ln]
    expect(p.returncode == 0 and not ours, f"systemd-analyze verify refresh timer and service: {p.returncode} {ours}")
expect("--wait" not in r_exec.group(0) and "OnUnitActiveSec=" in open(TIMER).read(),
       "the refresh runs again and again, without the boot unit's --wait")
ok_status = {0} | {int(x) for x in re.search(r"^SuccessExitStatus=(.*)$", refresh, re.M).group(1).split()}
shutil.rmtree(run_dir)
os.mkdir(run_dir)
args = [a for a in shlex.split(r_exec.group(2).replace("/run/aic-guestcheck", run_dir)) if a != "$AICG_ARGS"]
p = subprocess.run([BIN, *args, "--sysroot", os.path.join(FIX, "card-qaic-1msi-fallback")],
                   capture_output=True, text=True, timeout=180)
doc = json.load(open(os.path.join(run_dir, "report.json")))
expect(p.returncode == 1 and p.returncode in ok_status and doc["verdict"] == "not-ready",
       f"the refresh writes the reports; a not-ready guest does not fail it ({p.returncode}, {sorted(ok_status)})")

# bash completion, through bash-completion's own _init_completion.
BC = "/usr/share/bash-completion/bash_completion"


def complete(line):
    words = line.split(" ")
    script = f"""
source {BC}
source {shlex.quote(COMPLETION)}
aic-guestcheck() {{ {shlex.quote(os.path.abspath(BIN))} "$@"; }}
COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})
COMP_CWORD={len(words) - 1}
COMP_LINE={shlex.quote(line)}
COMP_POINT={len(line)}
_aic_guestcheck {shlex.quote(os.path.abspath(BIN))} {shlex.quote(words[-1])} {shlex.quote(words[-2])}
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    return sorted(x for x in r.stdout.splitlines() if x)


if os.path.exists(BC):
    help_opts = set(re.findall(r"(--[a-z-]+)", subprocess.run([BIN, "--help"], capture_output=True,
                                                             text=True).stdout))
    got = {o.rstrip("=") for o in complete("aic-guestcheck --")}
    expect(got == help_opts, f"completes every option --help lists ({sorted(got ^ help_opts)})")
    expect(complete("aic-guestcheck --format ") == sorted(
        "text json oneline junit github prometheus nfd".split()), "completes --format")
    expect(complete("aic-guestcheck list-checks --format ") == ["json", "text"], "list-checks takes two formats")
    expect(complete("aic-guestcheck --only device.p") == ["device.present"], "completes check IDs")
    expect(complete("aic-guestcheck --skip device.msi,device.p") == ["device.msi,device.present"],
           "completes the ID after a comma")
    expect(complete("aic-guestcheck li") == ["list-checks"], "completes subcommands")
    expect("--format" not in complete("aic-guestcheck bundle --"), "bundle is not offered --format")
else:
    print("skip bash-completion not installed")

shutil.rmtree(tmp)
if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
