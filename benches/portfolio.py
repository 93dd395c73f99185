"""Many companies on one machine: a Python loop over pms.check, pms.check_many on every core,
and pms.dask.check_portfolio on a Dask LocalCluster, over the same generated portfolio.

    scripts/python-env.sh
    target/py-venv/bin/python benches/portfolio.py          # 2,000 companies; or: … 200

Writes the portfolio once under target/bench-data/portfolio-N (`pms-generate --portfolio N 1`),
checks that the three ways give the same findings, row for row, and prints a Markdown table:
wall-clock seconds, companies per second, the share of the time spent in pms (the Rust
calls: loading, evaluating and, for the loop, writing each report's JSON; for Dask, the share
of the workers' time spent in pms tasks), and the CPU time of all the processes involved (the
client and, for Dask, the workers), per company: the cost docs/scale.md projects from, and
the figure that stays put when the machine is shared with other work.
"""

import json
import os
import pathlib
import resource
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
AS_OF = "2026-03-31"


def cpu_s() -> float:
    """CPU seconds of this process so far (user + system): on a machine shared with other work
    the wall-clock figures grow with the load, the CPU time much less."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def portfolio(n: int) -> list:
    out = ROOT / "target" / "bench-data" / f"portfolio-{n}"
    if not (out / "expected.json").exists():
        subprocess.run(["cargo", "run", "-q", "--release", "-p", "pms-bench", "--bin", "pms-generate", "--",
                        "--portfolio", str(n), "1", str(out)], cwd=ROOT, check=True)
    paths = sorted(out.glob("company-*.json"))
    assert len(paths) == n, f"{out} holds {len(paths)} companies, not {n}"
    return paths


def python_loop(paths: list):
    """What a user writes without check_many: one check and one DataFrame per company."""
    import pandas as pd

    import pms

    rs = pms.Ruleset()
    frames, in_pms = [], 0.0
    t0, c0 = time.perf_counter(), cpu_s()
    for p in paths:
        t = time.perf_counter()
        report = rs.check(p, as_of=AS_OF, threads=1)
        in_pms += time.perf_counter() - t
        df = report.to_pandas()
        df.insert(0, "company", p.stem)
        frames.append(df)
    table = pd.concat(frames, ignore_index=True)
    return time.perf_counter() - t0, in_pms, table, cpu_s() - c0


def check_many(paths: list):
    import pms
    from pms import _many

    # The time in pms is that of the engine's call inside this very run (load, evaluate and
    # the table's columns, in Rust); the rest is naming the companies and making the DataFrame.
    engine, in_pms = _many.run, [0.0]

    def timed(*args):
        t = time.perf_counter()
        try:
            return engine(*args)
        finally:
            in_pms[0] += time.perf_counter() - t

    _many.run = timed
    try:
        t, c = time.perf_counter(), cpu_s()
        table = pms.check_many(paths, as_of=AS_OF)
        return time.perf_counter() - t, in_pms[0], table, cpu_s() - c
    finally:
        _many.run = engine


def on_dask(paths: list, workers: int):
    import distributed

    import pms.dask

    t = time.perf_counter()
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        start = time.perf_counter() - t
        # A first small run warms the workers (imports, the compiled ruleset), as on a long-lived cluster.
        pms.dask.check_portfolio(paths[:workers], as_of=AS_OF, companies_per_partition=1).compute()
        before = client.run(cpu_s)
        with distributed.get_task_stream(client) as ts:
            t, c = time.perf_counter(), cpu_s()
            table = pms.dask.check_portfolio(paths, as_of=AS_OF, companies_per_partition=50).compute()
            wall = time.perf_counter() - t
        after = client.run(cpu_s)
        cpu = cpu_s() - c + sum(after[w] - before[w] for w in after)
        # Every task of the run is a partition of pms.check_many (the frame is made by from_map).
        busy = sum(part["stop"] - part["start"] for task in ts.data for part in task["startstops"] if part["action"] == "compute")
    return wall, busy / workers, table.reset_index(drop=True), start, cpu


def same_rows(a, b) -> bool:
    cols = ["company", "id", "rule_id", "status", "message", "due", "days_overdue"]
    return a[cols].astype(object).where(a[cols].notna(), None).values.tolist() == \
        b[cols].astype(object).where(b[cols].notna(), None).values.tolist()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    paths = portfolio(n)
    size = sum(p.stat().st_size for p in paths)
    cores = os.cpu_count() or 1
    print(f"{n} companies, {size / 1e6:.0f} MB of JSON, {cores} cores, load average {os.getloadavg()[0]:.1f}", file=sys.stderr)

    loop_s, loop_pms, loop_table, loop_cpu = python_loop(paths)
    many_s, many_pms, many_table, many_cpu = check_many(paths)
    dask_s, dask_pms, dask_table, dask_start, dask_cpu = on_dask(paths, cores)
    assert same_rows(loop_table, many_table), "check_many differs from the loop"
    assert same_rows(dask_table, many_table), "Dask differs from check_many"
    rows = len(many_table)

    print(f"| way ({n} companies, {rows:,} findings) | wall s | companies/s | share in pms | CPU s (all processes) | CPU ms per company |")
    print("|---|---|---|---|---|---|")
    ways = [
        ("Python loop: `rs.check(path).to_pandas()` per company, one thread", loop_s, loop_pms, loop_cpu),
        (f"`pms.check_many(paths)`, {cores} threads in Rust", many_s, many_pms, many_cpu),
        (f"`pms.dask.check_portfolio` on a LocalCluster, {cores} workers × 1 thread (start-up {dask_start:.1f} s not counted)", dask_s, dask_pms, dask_cpu),
    ]
    for name, wall, in_pms, cpu in ways:
        print(f"| {name} | {wall:.2f} | {n / wall:.0f} | {in_pms / wall:.0%} | {cpu:.1f} | {cpu * 1000 / n:.1f} |")
    print(json.dumps({"companies": n, "mb": round(size / 1e6), "rows": rows, "load_average_after": round(os.getloadavg()[0], 1),
                      "cpu_ms_per_company": {"loop": round(loop_cpu * 1000 / n, 1), "check_many": round(many_cpu * 1000 / n, 1),
                                             "dask": round(dask_cpu * 1000 / n, 1)}}))

if __name__ == "__main__":
    main()
