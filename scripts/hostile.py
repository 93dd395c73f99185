#!/usr/bin/env python3
"""Runs the hostile corpus (tests/hostile/cases.yaml) through the CLI, Python and Node, each
case in a process of its own with a time limit and a memory budget: an address-space limit
(CLI, Python) and the peak resident size measured for every host. A case passes on a host when
the process ends in time, within its memory budget, without a signal, with the expected error
code or a result. A crash fails the case instead of killing the harness.

Usage: scripts/hostile.py [--hosts cli,python,node] [--only NAME,...] [--pending] [--jobs N]
Environment: PMS_BIN (the pms binary; default: built with cargo), PMS_PYTHON (a Python with
pms installed; default: this one), PMS_WASM_NODE (the nodejs package's index.js).
Needs PyYAML (installed by scripts/python-env.sh)."""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "hostile" / "files"
GEN = ROOT / "target" / "hostile"
ALL_HOSTS = ("cli", "python", "node")


def resolve(p: str) -> Path:
    if p.startswith("gen/"):
        return GEN / p[4:]
    path = Path(p)
    return path if path.is_absolute() else (FILES / path).resolve()


def run(argv, seconds, memory_mb, limit_address_space):
    """Runs argv; returns (exit code or None, signal or None, stdout, stderr, seconds, peak MB,
    timed out)."""
    # The limits are set by a shell that then becomes the program (safe beside threads,
    # unlike preexec_fn): no core files, and the address space capped when asked.
    limits = "ulimit -c 0" + (f" && ulimit -v {memory_mb * 1024}" if limit_address_space else "")
    argv = ["sh", "-c", limits + ' && exec "$@"', "sh", *argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        # A diagnostic without its Japanese text makes the CLI exit with 70 (a failed case).
        env = {**os.environ, "PMS_TEST_REQUIRE_JA": "1"}
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True, cwd=ROOT, env=env)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > seconds:
                timed_out = True
                os.killpg(p.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.01)
        p.returncode = 0  # reaped here; keep Popen from waiting again
        elapsed = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        rc, sig = (code, None) if code >= 0 else (None, -code)
        return rc, sig, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), elapsed, usage.ru_maxrss / 1024, timed_out


def pms_binary() -> str:
    if os.environ.get("PMS_BIN"):
        return os.environ["PMS_BIN"]
    out = subprocess.run(
        ["cargo", "build", "-q", "-p", "pms-cli", "--message-format=json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") and msg["target"]["name"] == "pms":
            # A copy of its own: a shared target directory's binary can be replaced meanwhile.
            GEN.mkdir(parents=True, exist_ok=True)
            copy = GEN / "pms"
            shutil.copy2(msg["executable"], copy)
            return str(copy)
    sys.exit("hostile: cargo built no pms binary")


def cli_argv(binary, case, tmp):
    o = case.get("options", {})
    command = case.get("command", "check")
    argv = [binary, "--quiet", command, case["records_path"]]
    if "rules_path" in case:
        argv += ["--rules", case["rules_path"]]
    if "max_input_size" in o:
        argv += ["--max-input-size", str(o["max_input_size"])]
    if command == "check":
        argv += ["--as-of", str(o.get("as_of", "2026-03-31"))]
        if "lang" in o:
            argv += ["--lang", o["lang"]]
        if "edition" in o:
            argv += ["--edition", o["edition"]]
        if "only" in o:
            argv += ["--only", ",".join(o["only"])]
        if "threads" in o:
            argv += ["--threads", str(o["threads"])]
    return argv


def prepare(case, tmp: Path) -> dict:
    """The case as the drivers read it: paths resolved, texts written to files for the CLI."""
    c = dict(case)
    if "records" in c:
        c["records_path"] = str(resolve(c.pop("records")))
    else:
        text = c["records_text"]
        ext = ".json" if text.lstrip().startswith(("{", "[")) else ".yaml"
        f = tmp / f"{case['name']}{ext}"
        f.write_text(text, encoding="utf-8")
        c["records_path"] = str(f)
    if "rules" in c:
        c["rules_path"] = str(resolve(c.pop("rules")))
    elif "rules_text" in c:
        f = tmp / f"{case['name']}.pms"
        f.write_text(c["rules_text"], encoding="utf-8")
        c["rules_path"] = str(f)
    c.setdefault("command", "check")
    return c


def verdict(case, host, result):
    rc, sig, out, err, elapsed, peak, timed_out = result
    budget = case.get("budget", {})
    seconds, memory = budget.get("seconds", 20), budget.get("memory_mb", 1024)
    if timed_out:
        return f"timed out after {seconds} s"
    if sig is not None:
        return f"killed by signal {sig} ({signal.Signals(sig).name}): {err.strip()[-300:]}"
    if peak > memory:
        return f"peak memory {peak:.0f} MB over the budget of {memory} MB"
    if host == "cli":
        if rc in (0, 1):
            got = {"ok": True}
        elif rc == 2:
            got = {"codes": sorted(set(re.findall(r"\bE\d{4}\b", err)))}
        else:
            return f"exit code {rc}: {err.strip()[-300:]}"
    else:
        lines = [l for l in out.splitlines() if l.startswith("{")]
        if rc != 0 or not lines:
            return f"exit code {rc}, no answer: {err.strip()[-300:]}"
        got = json.loads(lines[-1])
    if "exception" in got:
        return f"uncoded exception: {got['exception'].splitlines()[0][:300]}"
    expect = str(case["expect"])
    if expect == "ok":
        return None if got.get("ok") else f"expected a result, got errors {got.get('codes')}"
    if got.get("ok"):
        return f"expected {expect}, got a result"
    codes = got.get("codes", [])
    if expect == "error":
        return None if codes else "expected a coded error, got none"
    return None if expect in codes else f"expected {expect}, got {codes}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hosts", default=",".join(ALL_HOSTS))
    ap.add_argument("--only", default="")
    ap.add_argument("--pending", action="store_true", help="run the pending cases too")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cases run at once (default: one per core)")
    args = ap.parse_args()
    hosts = [h for h in args.hosts.split(",") if h]
    only = {n for n in args.only.split(",") if n}
    cases = yaml.safe_load((ROOT / "tests" / "hostile" / "cases.yaml").read_text(encoding="utf-8"))
    names = [c["name"] for c in cases]
    if len(set(names)) != len(names):
        sys.exit("hostile: case names repeat")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "hostile-gen.py")], check=True)
    binary = pms_binary() if "cli" in hosts else None
    python = os.environ.get("PMS_PYTHON", sys.executable)
    failures, passed, pending, runs = [], 0, [], []
    with tempfile.TemporaryDirectory(prefix="pms-hostile-") as tmpdir:
        tmp = Path(tmpdir)
        for case in cases:
            if only and case["name"] not in only:
                continue
            if case.get("pending") and not args.pending:
                pending.append(f"{case['name']} (waits for {case['pending']})")
                continue
            c = prepare(case, tmp)
            for host in case.get("hosts", ALL_HOSTS):
                if host not in hosts:
                    continue
                if host == "cli":
                    argv, limit_as = cli_argv(binary, c, tmp), True
                elif host == "python":
                    argv, limit_as = [python, str(ROOT / "tests" / "hostile" / "driver.py"), json.dumps(c)], True
                else:
                    # V8 reserves far more address space than it uses for WebAssembly memories:
                    # Node's budget is asserted on its peak resident size only.
                    argv, limit_as = ["node", str(ROOT / "tests" / "hostile" / "driver.mjs"), json.dumps(c)], False
                runs.append((case, host, argv, limit_as))

        def one(r):
            case, host, argv, limit_as = r
            budget = case.get("budget", {})
            result = run(argv, budget.get("seconds", 20), budget.get("memory_mb", 1024), limit_as)
            return case, host, verdict(case, host, result)

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for case, host, problem in pool.map(one, runs):
                if problem:
                    failures.append(f"{case['name']} [{host}]: {problem}")
                else:
                    passed += 1
    for p in pending:
        print(f"hostile: SKIPPED {p}")
    for f in failures:
        print(f"hostile: FAILED {f}")
    print(f"hostile: {passed} runs passed, {len(failures)} failed, {len(pending)} cases pending")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
