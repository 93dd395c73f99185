"""Python binding vs native Rust on the sample company and a large generated company.

Run from the repository root after `scripts/python-env.sh`:
    target/py-venv/bin/python benches/python_vs_native.py
"""

import json
import pathlib
import subprocess
import time

import pms

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "target" / "bench-data"
AS_OF = "2026-03-31"


def native(path: pathlib.Path, runs: int) -> float:
    out = subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "pms-bench", "--example", "native_check", "--", str(path), AS_OF, str(runs)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return float(out.split()[0])


def timed(fn, runs: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(runs):
        fn()
    return (time.perf_counter() - start) * 1000 / runs


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = OUT / "scaled-100.json"
    if not big.exists():
        data = subprocess.run(["cargo", "run", "-q", "--release", "-p", "pms-bench", "--example", "scaled", "--", "100"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
        big.write_text(data, encoding="utf-8")
    sample = OUT / "sample.json"
    sample.write_text(json.dumps(json.loads(subprocess.run(["cargo", "run", "-q", "--release", "-p", "pms-bench", "--example", "scaled", "--", "1"], cwd=ROOT, check=True, capture_output=True, text=True).stdout)), encoding="utf-8")
    rs = pms.Ruleset()
    print("| data | native (ms) | Python, path (ms) | ratio | Python, dict (ms) | of which dict → JSON (ms) |")
    print("|---|---|---|---|---|---|")
    for name, path, runs in [("sample (250 records)", sample, 200), ("sample × 100 (≈ 19,000 records)", big, 10)]:
        as_dict = json.loads(path.read_text(encoding="utf-8"))
        n = native(path, runs)
        p = timed(lambda: rs.check(path, as_of=AS_OF), runs)
        d = timed(lambda: rs.check(as_dict, as_of=AS_OF), runs)
        conv = timed(lambda: json.dumps(as_dict, ensure_ascii=False), runs)
        print(f"| {name} | {n:.2f} | {p:.2f} | {p / n:.2f}× | {d:.2f} | {conv:.2f} |")


if __name__ == "__main__":
    main()
