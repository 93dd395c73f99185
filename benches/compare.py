"""Side by side on one generated company: pms native, pms through Python and through
WebAssembly in Node, Rego on regorus, SQL on DuckDB.

Every engine runs in its own process (so each peak memory is its own), on the same JSON and
the same ten representative checks. All must find exactly the planted gaps (ids per rule);
then the load and evaluation times, the ratios to pms native and the peak memory are printed
as a Markdown table. Run from the repository root:

    scripts/python-env.sh && scripts/build-wasm.sh
    target/py-venv/bin/python benches/compare.py S   # or M, L

The Node row is skipped (and said so) when the nodejs package is not built.
"""

import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "target" / "bench-data"
AS_OF = "2026-03-31"  # pms_bench::as_of()


def cargo_bin(name: str, *args: str, env: dict | None = None) -> dict:
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "pms-bench", "--bin", name], cwd=ROOT, check=True)
    out = subprocess.run([str(ROOT / "target" / "release" / name), *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
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
    best, report = float("inf"), None
    for _ in range(3):
        t = time.perf_counter()
        report = rs.check(records, as_of=AS_OF, only=rules)
        best = min(best, time.perf_counter() - t)
    assert report is not None
    gaps = by_rule(report.to_dict()["findings"], rules)
    return {"engine": "pms Python", "load_s": load, "eval_s": best, "peak_rss_kib": peak_kib(), "gaps": gaps}


def duckdb_engine(path: pathlib.Path, rules: list, threads: int = 0) -> dict:
    import duckdb

    t = time.perf_counter()
    data = json.loads(path.read_text(encoding="utf-8"))
    # Columns the queries read that a small company may never fill: give every row the key, so
    # DuckDB's schema has the column (absent values stay NULL).
    columns = {
        "workforce": ["end_date"], "inventory": ["status", "retain_until", "retention_rule"],
        "corrective_actions": ["implemented_on", "due_on"], "certification": ["renewal_applied_on"],
        "incidents": ["special_care", "financial_risk", "unlawful_intent", "persons_affected"], "contractors": ["relationship"],
    }
    for entity, keys in columns.items():
        for row in data.get(entity, []):
            for k in keys:
                row.setdefault(k, None)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    with tempfile.TemporaryDirectory() as tmp:
        empty = {
            "disposal_records": "id VARCHAR, inventory_item_id VARCHAR, disposed_on DATE",
            "corrective_actions": "id VARCHAR, finding_id VARCHAR, implemented_on DATE, due_on DATE",
            "risk_assessments": "id VARCHAR, inventory_item_id VARCHAR",
        }
        for entity, rows in data.items():
            if not rows:
                con.execute(f"CREATE TABLE {entity} ({empty.get(entity, 'id VARCHAR')})")
                continue
            f = pathlib.Path(tmp) / f"{entity}.ndjson"
            f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
            con.execute(f"CREATE TABLE {entity} AS SELECT * FROM read_json_auto('{f}', format='newline_delimited', sample_size=-1)")
    del data
    load = time.perf_counter() - t
    sql = (ROOT / "benches" / "peers" / "checks.sql").read_text(encoding="utf-8")
    code = "\n".join(l for l in sql.splitlines() if not l.strip().startswith("--"))
    queries = [q.strip() for q in code.split(";") if q.strip()]
    best, gaps = float("inf"), {}
    for _ in range(3):
        t = time.perf_counter()
        gaps = {r: [] for r in rules}
        for q in queries:
            for rule, id_ in con.execute(q).fetchall():
                gaps.setdefault(rule, []).append(id_)
        best = min(best, time.perf_counter() - t)
    name = f"SQL (DuckDB, {threads} thread)" if threads else "SQL (DuckDB, all cores)"
    return {"engine": name, "load_s": load, "eval_s": best, "peak_rss_kib": peak_kib(), "gaps": {k: sorted(v) for k, v in gaps.items()}}


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
    subprocess.run([str(ROOT / "target/release/pms-generate"), scale, "1", str(path)], cwd=ROOT, check=True, capture_output=True)
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
    print("| engine | load (s) | evaluate (s) | evaluate vs pms native | peak memory (MiB) | memory / input |")
    print("|---|---|---|---|---|---|")
    for name, r, _ in rows:
        mib = r["peak_rss_kib"] / 1024
        print(f"| {name} | {r['load_s']:.3f} | {r['eval_s']:.4f} | {r['eval_s'] / base:.1f}× | {mib:.0f} | {r['peak_rss_kib'] * 1024 / size:.1f}× |")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
