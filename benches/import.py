"""Import of office ledgers: pms against the reader crates alone and against pandas.

For a generated company (M, L) this writes the ledgers an office would hand pms:

- one workbook, `pms export gen-M.json -o M.xlsx` (one sheet per entity, Japanese headers);
- one CSV per entity in Shift_JIS (cp932), as Japanese Excel saves each sheet as
  「CSV (コンマ区切り)」: Japanese header row only, dates as 2025/4/1 (pms-bench-import
  csv-export).

Then, each in its own process (so each peak memory is its own), back to back:

- pms import as a library (`pms_ledgers::read_path` + `load`: cells → validated records) and
  the CLI (`pms import SRC -o records.json`, which also writes the records);
- the bare read: calamine reading every cell of the workbook into memory, and encoding_rs +
  csv decoding and splitting the CSVs (benches/src/bin/pms-bench-import.rs);
- the Python peer: `pandas.read_excel(sheet_name=None, engine="openpyxl")` and
  `pandas.read_csv(encoding="cp932")` of every file.

Times are wall and CPU (user + system) seconds of the child process (os.wait4); rows/s are the
data rows pms read (records and nested rows) over the wall time (pms reads the files of a
directory, or the sheets of a workbook, on a few threads; the bare reads use one), and each
ratio to the bare read is given in CPU and in wall time. Run from the repository root with a
Python that has pandas and openpyxl (scripts/python-env.sh installs both):

    target/py-venv/bin/python benches/import.py M        # or L, or M L

Options: `--no-build` (the binaries an earlier run copied aside), `--data DIR` (where the
files, the binaries and the outputs go; default target/bench-data/import), `--repeat N`
(each command N times back to back, the least CPU and the least wall time kept: on a loaded
machine the best of several runs is the figure to compare), `--no-pandas`.
"""

import json
import os
import shutil
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "target" / "bench-data" / "import"
REPEAT = 1


BINARIES = ("pms", "pms-generate", "pms-bench-import")


def build() -> dict:
    """Builds the three binaries and copies them aside at once (target/bench-data/import/bin):
    another build sharing the target directory may overwrite target/release meanwhile."""
    args = ["cargo", "build", "--release", "--message-format=json", "-p", "pms-cli", "-p", "pms-bench"]
    for b in BINARIES:
        args += ["--bin", b]
    out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    (DATA / "bin").mkdir(parents=True, exist_ok=True)
    paths = {}
    for line in out.splitlines():
        m = json.loads(line)
        if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] in BINARIES:
            paths[m["target"]["name"]] = str(shutil.copy2(m["executable"], DATA / "bin" / m["target"]["name"]))
    return paths


def run(argv: list, repeat: int = 1) -> dict:
    """Runs a command `repeat` times, each in its own process: the least wall and CPU time
    and peak memory of that process alone (os.wait4), and the JSON line it printed last."""
    if repeat > 1:
        runs = [run(argv) for _ in range(repeat)]
        best = dict(runs[-1])
        for k in ("wall", "cpu", "user", "peak_mib"):
            best[k] = min(r[k] for r in runs)
        return best
    t = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, dict(os.environ), file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, str(DATA / "stdout.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, str(DATA / "stderr.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ])
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"{' '.join(map(str, argv))} failed ({status}):\n{(DATA / 'stderr.txt').read_text()}")
    out = (DATA / "stdout.txt").read_text()
    lines = [l for l in out.splitlines() if l.startswith("{")]
    return {
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "user": ru.ru_utime,
        "peak_mib": ru.ru_maxrss / 1024,
        "result": json.loads(lines[-1]) if lines else {},
    }


PANDAS_XLSX = """
import json, sys, pandas
t = __import__("time").perf_counter()
sheets = pandas.read_excel(sys.argv[1], sheet_name=None, header=None, engine="openpyxl")
sheets.pop("記入方法 (how to fill)", None)
secs = __import__("time").perf_counter() - t
print(json.dumps({"rows": sum(len(d) for d in sheets.values()), "cells": int(sum(d.count().sum() for d in sheets.values())), "seconds": secs}))
"""

PANDAS_CSV = """
import json, pathlib, sys, pandas
t = __import__("time").perf_counter()
frames = [pandas.read_csv(p, encoding="cp932", header=None, dtype=str, keep_default_na=False)
          for p in sorted(pathlib.Path(sys.argv[1]).glob("*.csv"))]
secs = __import__("time").perf_counter() - t
print(json.dumps({"rows": sum(len(d) for d in frames), "cells": int(sum((d != "").sum().sum() for d in frames)), "seconds": secs}))
"""


def prepare(scale: str, bins: dict) -> tuple:
    DATA.mkdir(parents=True, exist_ok=True)
    js = DATA / f"gen-{scale}.json"
    book = DATA / f"{scale}.xlsx"
    csvs = DATA / f"{scale}-csv"
    if not js.exists():
        run([bins["pms-generate"], scale, "1", str(js)])
    notes = {}
    if not book.exists():
        r = run([bins["pms"], "export", str(js), "-o", str(book)])
        notes["export"] = r
    if not csvs.exists():
        r = run([bins["pms-bench-import"], "csv-export", str(book), str(csvs)])
        notes["csv-export"] = r
    sizes = {
        "json": js.stat().st_size,
        "xlsx": book.stat().st_size,
        "csv": sum(p.stat().st_size for p in csvs.glob("*.csv")),
        "csv_files": len(list(csvs.glob("*.csv"))),
    }
    return js, book, csvs, sizes, notes


def main() -> None:
    global DATA
    args = sys.argv[1:]
    repeat = REPEAT
    if "--data" in args:
        i = args.index("--data")
        DATA = pathlib.Path(args[i + 1]).resolve()
        del args[i : i + 2]
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i : i + 2]
    pandas = "--no-pandas" not in args
    if not pandas:
        args.remove("--no-pandas")
    # --no-build: use the binaries copied aside by an earlier run (target/bench-data/import/bin).
    if "--no-build" in args:
        args.remove("--no-build")
        bins = {b: str(DATA / "bin" / b) for b in BINARIES}
    else:
        bins = build()
    scales = args or ["M"]
    py = sys.executable
    rows_out = []
    for scale in scales:
        js, book, csvs, sizes, notes = prepare(scale, bins)
        for step, r in notes.items():
            print(f"{scale}: {step} took {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, peak {r['peak_mib']:.0f} MiB", file=sys.stderr)
        for fmt, src in (("xlsx", book), ("csv", csvs)):
            out_json = DATA / f"{scale}-{fmt}-records.json"
            runs = [
                ("pms import (library: read + validate)", [bins["pms-bench-import"], "pms", str(src)]),
                ("pms import (CLI, -o records.json)", [bins["pms"], "import", str(src), "-o", str(out_json), "-q"]),
                ("calamine alone" if fmt == "xlsx" else "encoding_rs + csv alone",
                 [bins["pms-bench-import"], "calamine" if fmt == "xlsx" else "csv", str(src)]),
                ("pandas.read_excel (openpyxl)" if fmt == "xlsx" else "pandas.read_csv (cp932)",
                 [py, "-c", PANDAS_XLSX if fmt == "xlsx" else PANDAS_CSV, str(src)]),
            ]
            if not pandas:
                runs.pop()
            results = []
            for name, argv in runs:
                r = run(argv, 1 if name.startswith("pandas") else repeat)
                results.append((name, r))
                print(f"{scale} {fmt} {name}: {r['cpu']:.2f} s CPU, {r['wall']:.2f} s wall, {r['peak_mib']:.0f} MiB", file=sys.stderr)
            records = results[0][1]["result"].get("rows", 0)
            bare = results[2][1]
            for name, r in results:
                rows_out.append((scale, fmt, sizes, name, r, records, bare))
    print("| scale | source | reader | CPU s | wall s | rows/s (wall) | vs bare read (CPU) | vs bare read (wall) | peak MiB |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    last = None
    for scale, fmt, sizes, name, r, records, bare in rows_out:
        src = f"{fmt} ({sizes[fmt] / 1e6:.1f} MB" + (f", {sizes['csv_files']} files)" if fmt == "csv" else ")")
        head = (scale, src) if (scale, fmt) != last else ("", "")
        last = (scale, fmt)
        print(f"| {head[0]} | {head[1]} | {name} | {r['cpu']:.3f} | {r['wall']:.3f} | {records / r['wall']:,.0f} | {r['cpu'] / bare['cpu']:.2f}× | {r['wall'] / bare['wall']:.2f}× | {r['peak_mib']:,.1f} |")
    print(f"\nrows/s: the data rows pms read (records and nested-list rows) over each reader's wall time; best of {repeat} runs (pandas: one).")


if __name__ == "__main__":
    main()
