#!/usr/bin/env python3
"""Times validation of record sets with very many errors (issue 15: reporting must stay
linear): 100,000 dangling references, 50,000 duplicate ids, 100,000 unknown fields, each
reported in full as JSON diagnostics and rendered up to the first 1,000.
Usage: "$(scripts/python-env.sh)/bin/python" scripts/bench-many-errors.py"""

import json
import resource
import time

import pms

W = {"id": "W-001", "name": "甲", "employment_type": "役員", "start_date": "2010-04-01"}


def timed(label: str, text: str) -> None:
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    wall = time.perf_counter()
    try:
        pms.validate(text)
        raise SystemExit(f"{label}: no error")
    except pms.RecordsError as e:
        shown = str(e).count("[E10")
        count = len(e.diagnostics)
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu
    print(f"| {label} | {count:,} | {shown:,} | {time.perf_counter() - wall:.2f} s | {cpu:.2f} s |")


print("| input | diagnostics | shown | wall | CPU |")
print("|---|---|---|---|---|")
ras = [{"id": f"RA-{i}", "person_id": f"W-001-{i}", "role": "top_management", "from": "2010-04-01"} for i in range(100_000)]
timed("100,000 dangling references", json.dumps({"workforce": [W], "role_assignments": ras}, ensure_ascii=False, indent=1))
timed("50,000 duplicate ids", json.dumps({"workforce": [dict(W, id="W-1", name=f"n{i}") for i in range(50_000)]}, ensure_ascii=False, indent=1))
timed("100,000 unknown fields", json.dumps({"workforce": [dict(W, id=f"W-{i}", nmae="x") for i in range(100_000)]}, ensure_ascii=False, indent=1))
