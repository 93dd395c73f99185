"""Side by side on one generated company: pms native, pms through Python and through
WebAssembly in Node, Rego on regorus, SQL on DuckDB.

Every engine runs in its own process (so each peak memory is its own), on the same JSON and
the same ten representative checks. All must find exactly the planted gaps (ids per rule);
then the load and evaluation times, the ratios to pms native and the peak memory are printed
as a Markdown table.

Then end to end, as a user waits for it: the `pms` CLI checking the company written as a
records directory (`pms check DIR --format json -o report.json`, every rule of the 2023 pack,
and the ten checks with `--only`) against the DuckDB CLI reading the same company's
per-entity NDJSON files with `read_json` and running the same ten checks
(benches/peers/checks.sql); each a process of its own timed from start to end (best of three),
with its peak memory. Run from the repository root:

    scripts/python-env.sh && scripts/build-wasm.sh
    target/py-venv/bin/python benches/compare.py S   # or M, L

Binaries are built into (and run from) `$CARGO_TARGET_DIR`, or `target/` without it. The
Node row is skipped (and said so) when the nodejs package is not built; the DuckDB CLI rows
when neither PyPI's `duckdb-cli` (installed by scripts/python-env.sh) nor a `duckdb` command
on PATH is found.
"""

import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "target" / "bench-data"
# Where cargo puts the binaries: `$CARGO_TARGET_DIR` (relative to the root, where cargo runs).
TARGET = ROOT / os.environ.get("CARGO_TARGET_DIR", "target")
AS_OF = "2026-03-31"  # pms_bench::as_of()


# Columns the checks read that a small company may never fill (no leaver has an `end_date`), or
# of entities it may have no row of, with their types: added, empty, so DuckDB's tables have
# them, as an analyst declares the columns a query needs.
COLUMNS = {
    "workforce": {"id": "VARCHAR", "end_date": "DATE"},
    "inventory": {"id": "VARCHAR", "status": "VARCHAR", "retain_until": "DATE", "retention_rule": "VARCHAR"},
    "corrective_actions": {"id": "VARCHAR", "finding_id": "VARCHAR", "implemented_on": "DATE", "due_on": "DATE"},
    "certification": {"id": "VARCHAR", "renewal_applied_on": "DATE"},
    "incidents": {
        "id": "VARCHAR",
        "special_care": "BOOLEAN",
        "financial_risk": "BOOLEAN",
        "unlawful_intent": "BOOLEAN",
        "persons_affected": "BIGINT",
    },
    "contractors": {"id": "VARCHAR", "relationship": "VARCHAR"},
    "disposal_records": {"id": "VARCHAR", "inventory_item_id": "VARCHAR", "disposed_on": "DATE"},
    "risk_assessments": {"id": "VARCHAR", "inventory_item_id": "VARCHAR"},
}


def check_queries() -> list:
    """The ten checks of benches/peers/checks.sql, one query each (comments dropped)."""
    sql = (ROOT / "benches" / "peers" / "checks.sql").read_text(encoding="utf-8")
    code = "\n".join(l for l in sql.splitlines() if not l.strip().startswith("--"))
    return [q.strip() for q in code.split(";") if q.strip()]


def cargo_bin(name: str, *args: str, env: dict | None = None) -> dict:
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "pms-bench", "--bin", name], cwd=ROOT, check=True)
    out = subprocess.run([str(TARGET / "release" / name), *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if out.returncode not in (0, 1):
        sys.exit(out.stderr)
    sys.stderr.write(out.stderr)
    return json.loads([l for l in out.stdout.splitlines() if l.startswith("{")][-1])


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def by_rule(findings, rules) -> dict:
    gaps: dict = {r: [] for r in rules}
    for f in findings:
        if f["status"] == "gap" and f.get("subject"):
            gaps[f["rule_id"]].append(f["subject"]["id"])
    return {k: sorted(v) for k, v in gaps.items()}


def python_engine(path: pathlib.Path, rules: list) -> dict:
    import pms

    rs = pms.Ruleset()
    t = time.perf_counter()
    records = pms.load(path)
    load = time.perf_counter() - t
    times, report = [], None
    for _ in range(3):
        t = time.perf_counter()
        report = rs.check(records, as_of=AS_OF, only=rules)
        times.append(time.perf_counter() - t)
    assert report is not None
    gaps = by_rule(report.to_dict()["findings"], rules)
    return {"engine": "pms Python", "load_s": load, "eval_s": min(times), "eval_first_s": times[0], "peak_rss_kib": peak_kib(), "gaps": gaps}


def duckdb_engine(path: pathlib.Path, rules: list, threads: int = 0) -> dict:
    import duckdb

    t = time.perf_counter()
    data = json.loads(path.read_text(encoding="utf-8"))
    for entity, columns in COLUMNS.items():
        for row in data.get(entity, []):
            for k in columns:
                row.setdefault(k, None)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    with tempfile.TemporaryDirectory() as tmp:
        for entity, rows in data.items():
            if not rows:
                columns = COLUMNS.get(entity, {"id": "VARCHAR"})
                con.execute(f"CREATE TABLE {entity} ({', '.join(f'{k} {t}' for k, t in columns.items())})")
                continue
            f = pathlib.Path(tmp) / f"{entity}.ndjson"
            f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
            con.execute(f"CREATE TABLE {entity} AS SELECT * FROM read_json_auto('{f}', format='newline_delimited', sample_size=-1)")
    del data
    load = time.perf_counter() - t
    queries = check_queries()
    times, gaps = [], {}
    for _ in range(3):
        t = time.perf_counter()
        gaps = {r: [] for r in rules}
        for q in queries:
            for rule, id_ in con.execute(q).fetchall():
                gaps.setdefault(rule, []).append(id_)
        times.append(time.perf_counter() - t)
    name = f"SQL (DuckDB, {threads} thread)" if threads else "SQL (DuckDB, all cores)"
    return {"engine": name, "load_s": load, "eval_s": min(times), "eval_first_s": times[0], "peak_rss_kib": peak_kib(), "gaps": {k: sorted(v) for k, v in gaps.items()}}


# Starts the measured process from a small interpreter, not from this one: Linux carries the
# peak resident size of the image a process replaces (`exec`) into its `maxrss`, so a command
# forked from this process (which holds the Python engine's records, more than 1 GiB at L)
# would report this process's peak instead of its own.
LAUNCHER = """
import os, sys, time
t = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t
with open(sys.argv[1], "w") as f:
    f.write(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_timed(cmd: list, stdin_text: str | None = None) -> dict:
    """Runs `cmd` as a process of its own; its wall time from start to end, its peak memory
    (its own `maxrss`, from wait4 in a small launcher) and its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp, \
            tempfile.TemporaryDirectory() as tmp:
        if stdin_text is not None:
            inp.write(stdin_text.encode("utf-8"))
            inp.seek(0)
        measured = os.path.join(tmp, "measured")
        launcher = [sys.executable, "-c", LAUNCHER, measured, *map(str, cmd)]
        code = subprocess.run(launcher, cwd=ROOT, stdin=inp, stdout=out, stderr=err, check=False).returncode
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8"), err.read().decode("utf-8")
        try:
            with open(measured, encoding="utf-8") as f:
                wall_text, rss_text, code_text = f.read().split()
            wall, rss, code = float(wall_text), int(rss_text), int(code_text)
        except (OSError, ValueError):
            sys.exit(f"{' '.join(map(str, cmd))} could not be measured ({code}):\n{stderr}")
    if code != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({code}):\n{stderr}")
    return {"wall_s": wall, "peak_rss_kib": rss, "stdout": stdout}


def best_of(runs: int, run) -> dict:
    """The fastest of `runs` runs, with the largest peak memory of them."""
    results = [run() for _ in range(runs)]
    best = min(results, key=lambda r: r["wall_s"])
    return {**best, "peak_rss_kib": max(r["peak_rss_kib"] for r in results)}


def duckdb_cli() -> str | None:
    """The DuckDB CLI's native binary: the one PyPI's `duckdb-cli` ships in its package (run
    directly, not through its Python launcher, so no Python start-up is timed), or `duckdb`
    on PATH."""
    import importlib.util

    spec = importlib.util.find_spec("duckdb_cli")
    if spec and spec.origin:
        binary = pathlib.Path(spec.origin).with_name("duckdb")
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    return shutil.which("duckdb")


def duckdb_script(folder: pathlib.Path, threads: int) -> tuple[str, int]:
    """The DuckDB CLI script of the end-to-end run: one table per entity from its NDJSON file
    (`read_json`, every row sampled for the types), the columns of `COLUMNS` added where a
    small company's files lack them, then the ten checks. Returns the script and the number
    of loading statements (timed apart from the checks by `.timer`)."""
    load = []
    for f in sorted(folder.glob("*.ndjson")):
        entity, path = f.stem, str(f).replace("'", "''")
        load.append(f"CREATE TABLE {entity} AS SELECT * FROM read_json('{path}', format = 'newline_delimited', sample_size = -1);")
        load += [f"ALTER TABLE {entity} ADD COLUMN IF NOT EXISTS {k} {t};" for k, t in COLUMNS.get(entity, {}).items()]
        if f.stat().st_size == 0 and entity in COLUMNS:
            load.append(f"ALTER TABLE {entity} DROP COLUMN json;")  # what an empty file is read as
    head = [f"SET threads = {threads};"] if threads else []
    script = "\n".join([*head, ".timer on", *load, *(q + ";" for q in check_queries())]) + "\n"
    return script, len(load)


def duckdb_e2e(cli: str, folder: pathlib.Path, rules: list, threads: int) -> dict:
    script, loads = duckdb_script(folder, threads)
    r = best_of(3, lambda: run_timed([cli, "-csv", "-noheader", ":memory:"], stdin_text=script))
    gaps: dict = {rule: [] for rule in rules}
    times = []
    for line in r["stdout"].splitlines():
        if line.startswith("Run Time"):
            times.append(float(line.split("real", 1)[1].split()[0]))
        elif line.strip():
            rule, id_ = line.split(",", 1)
            gaps.setdefault(rule, []).append(id_)
    name = f"DuckDB CLI, {threads} thread" if threads else "DuckDB CLI, all cores"
    return {"engine": name, "rules": "ten checks", "wall_s": r["wall_s"], "peak_rss_kib": r["peak_rss_kib"],
            "load_s": sum(times[:loads]), "eval_s": sum(times[loads:]), "gaps": {k: sorted(v) for k, v in gaps.items()}}


def pms_e2e(pms: pathlib.Path, folder: pathlib.Path, rules: list, only: bool, threads: int) -> dict:
    report = DATA / f"{folder.name}.report.json"
    cmd = [str(pms), "check", str(folder), "--as-of", AS_OF, "--format", "json", "-o", str(report)]
    cmd += ["--only", ",".join(rules)] if only else []
    cmd += ["--threads", str(threads)] if threads else []
    r = best_of(3, lambda: run_timed(cmd))
    data = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    picked = [f for f in data["findings"] if f["rule_id"] in rules]
    evaluated = len({c["rule_id"] for c in data["coverage"]})
    what = "ten checks (--only)" if only else f"every rule ({evaluated})"
    name = f"pms CLI, {threads} thread" if threads else "pms CLI, all cores"
    return {"engine": name, "rules": what, "wall_s": r["wall_s"], "peak_rss_kib": r["peak_rss_kib"], "gaps": by_rule(picked, rules)}


def end_to_end(scale: str, rules: list, planted: dict) -> bool:
    """The end-to-end table; whether every run found exactly the planted gaps."""
    folder = DATA / f"gen-{scale}"
    shutil.rmtree(folder, ignore_errors=True)
    generate = [str(TARGET / "release" / "pms-generate"), "--split", "--ndjson", scale, "1", str(folder)]
    subprocess.run(generate, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "pms-cli", "--bin", "pms"], cwd=ROOT, check=True)
    pms = TARGET / "release" / "pms"
    rows = [pms_e2e(pms, folder, rules, only, threads) for only in (False, True) for threads in (0, 1)]
    cli = duckdb_cli()
    if cli:
        version = subprocess.run([cli, "-version"], capture_output=True, text=True).stdout.split()
        rows += [duckdb_e2e(cli, folder, rules, threads) for threads in (0, 1)]
    else:
        print("(DuckDB CLI rows skipped: install duckdb-cli, e.g. with scripts/python-env.sh)")
    json_size = sum(f.stat().st_size for f in folder.glob("*.json"))
    ndjson_size = sum(f.stat().st_size for f in folder.glob("*.ndjson"))
    agree = all(r["gaps"] == planted for r in rows)
    print()
    print(f"end to end, scale {scale}: records directory {json_size / 1e6:.1f} MB (.json), {ndjson_size / 1e6:.1f} MB (.ndjson)"
          + (f"; DuckDB CLI {version[0] if version else '?'}" if cli else "")
          + f"; every run found exactly the planted gaps of the ten checks: {agree}")
    for r in rows:
        if r["gaps"] != planted:
            print(f"  {r['engine']}, {r['rules']} disagrees with the planted gaps")
    base = rows[0]["wall_s"]
    print("| process | rules | start to end (s) | of which load / checks (s) | vs pms every rule, all cores | peak memory (MiB) | memory / input |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        size = ndjson_size if r["engine"].startswith("DuckDB") else json_size
        split = f"{r['load_s']:.3f} / {r['eval_s']:.3f}" if "load_s" in r else "—"
        print(f"| {r['engine']} | {r['rules']} | {r['wall_s']:.3f} | {split} | {r['wall_s'] / base:.1f}× | {r['peak_rss_kib'] / 1024:.0f} | {r['peak_rss_kib'] * 1024 / size:.1f}× |")
    return agree


def in_subprocess(engine: str, path: pathlib.Path, rules: list) -> dict:
    out = subprocess.run([sys.executable, __file__, "--engine", engine, str(path), ",".join(rules)], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{engine} failed:\n{out.stderr}")
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--engine":
        engine, path, rules = sys.argv[2], pathlib.Path(sys.argv[3]), sys.argv[4].split(",")
        run = {
            "python": python_engine,
            "duckdb": duckdb_engine,
            "duckdb1": lambda p, r: duckdb_engine(p, r, threads=1),
        }[engine]
        print(json.dumps(run(path, rules)))
        return
    scale = sys.argv[1] if len(sys.argv) > 1 else "S"
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"gen-{scale}.json"
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "pms-bench", "--bin", "pms-generate"], cwd=ROOT, check=True)
    subprocess.run([str(TARGET / "release" / "pms-generate"), scale, "1", str(path)], cwd=ROOT, check=True, capture_output=True)
    expected = json.loads(path.with_name(f"gen-{scale}.expected.json").read_text(encoding="utf-8"))
    rules = sorted(expected)
    planted = {k: sorted(v) for k, v in expected.items()}

    rows = []
    native = cargo_bin("pms-bench-native", str(path), "3")
    rows.append(("pms native, all cores", native, native["agrees_with_planted"]))
    single = cargo_bin("pms-bench-native", str(path), "3", env={"PMS_THREADS": "1"})
    rows.append(("pms native, 1 thread", single, single["agrees_with_planted"]))
    for engine in ("python",):
        r = in_subprocess(engine, path, rules)
        rows.append((r["engine"], r, r["gaps"] == planted))
    node_pkg = ROOT / "target" / "wasm-pkg" / "nodejs" / "pms_wasm.js"
    if node_pkg.exists():
        out = subprocess.run(["node", "--max-old-space-size=8192", str(ROOT / "benches/peers/wasm.mjs"), str(path), ",".join(rules)], cwd=ROOT, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"node failed:\n{out.stderr}")
        r = json.loads(out.stdout.splitlines()[-1])
        rows.append((r["engine"], r, r["gaps"] == planted))
    else:
        print("(pms wasm in Node skipped: run scripts/build-wasm.sh first)")
    rego = cargo_bin("pms-bench-peers", str(path), "rego")
    rows.append(("Rego (regorus)", rego, rego["agrees_with_planted"]))
    for engine in ("duckdb", "duckdb1"):
        r = in_subprocess(engine, path, rules)
        rows.append((r["engine"], r, r["gaps"] == planted))

    size = path.stat().st_size
    agree = all(ok for _, _, ok in rows)
    gaps = sum(len(v) for v in planted.values())
    print(f"scale {scale}: {size / 1e6:.1f} MB of JSON, {gaps} planted gaps; every engine found exactly them: {agree}")
    for name, _, ok in rows:
        if not ok:
            print(f"  {name} disagrees with the planted gaps")
    base = native["eval_s"]
    # evaluate: the best of the runs on the loaded data; first: the first run, which builds
    # what an engine keeps for the next ones (pms's indexes on the record set).
    print("| engine | load (s) | evaluate (s) | first evaluation (s) | evaluate vs pms native | peak memory (MiB) | memory / input |")
    print("|---|---|---|---|---|---|---|")
    for name, r, _ in rows:
        mib = r["peak_rss_kib"] / 1024
        first = f"{r['eval_first_s']:.4f}" if "eval_first_s" in r else "—"
        print(f"| {name} | {r['load_s']:.3f} | {r['eval_s']:.4f} | {first} | {r['eval_s'] / base:.1f}× | {mib:.0f} | {r['peak_rss_kib'] * 1024 / size:.1f}× |")
    agree = end_to_end(scale, rules, planted) and agree
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
