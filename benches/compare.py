"""Side by side on one generated company: pms native, Rego on regorus, SQL on DuckDB.

All engines must find exactly the same gaps (ids per rule, and the planted ones); then the
load and evaluation times are printed as a Markdown table. Run from the repository root:

    scripts/python-env.sh && target/py-venv/bin/python benches/compare.py S   # or M, L
"""

import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import duckdb

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "target" / "bench-data"


def cargo_bin(name: str, *args: str) -> str:
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "pms-bench", "--bin", name], cwd=ROOT, check=True)
    out = subprocess.run([str(ROOT / "target" / "release" / name), *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(out.stderr)
    return out.stdout


def duckdb_run(path: pathlib.Path):
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
    t = time.perf_counter()
    gaps: dict = {}
    for q in queries:
        for rule, id_ in con.execute(q).fetchall():
            gaps.setdefault(rule, []).append(id_)
    evaluation = time.perf_counter() - t
    return {k: sorted(v) for k, v in gaps.items()}, load, evaluation


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 else "S"
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"gen-{scale}.json"
    cargo_bin("pms-generate", scale, "1", str(path))
    expected = json.loads(path.with_name(f"gen-{scale}.expected.json").read_text(encoding="utf-8"))
    lines = [json.loads(l) for l in cargo_bin("pms-bench-peers", str(path)).splitlines() if l.startswith("{")]
    pms, rego, verdict = lines[0], lines[1], lines[2]
    duck, duck_load, duck_eval = duckdb_run(path)
    planted = {k: v for k, v in expected.items() if v}
    agree_duck = duck == planted
    print(f"scale {scale}: {path.stat().st_size / 1e6:.0f} MB of JSON; pms/rego agree with the planted gaps: {verdict['agree']}; DuckDB agrees: {agree_duck}")
    if not agree_duck:
        for rule in sorted(set(duck) | set(planted)):
            if duck.get(rule, []) != planted.get(rule, []):
                print(f"  {rule}: duckdb {len(duck.get(rule, []))}, planted {len(planted.get(rule, []))}")
    print("| engine | load (s) | evaluate (s) | evaluate vs pms |")
    print("|---|---|---|---|")
    for name, load, ev in [("pms native", pms["load_s"], pms["eval_s"]), ("Rego (regorus)", rego["load_s"], rego["eval_s"]), ("SQL (DuckDB)", duck_load, duck_eval)]:
        print(f"| {name} | {load:.3f} | {ev:.4f} | {ev / pms['eval_s']:.1f}× |")
    print(f"(peak RSS of this Python process with DuckDB: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    sys.exit(0 if verdict["agree"] and agree_duck else 1)


if __name__ == "__main__":
    main()
