#!/usr/bin/env python3
"""Writes the large and special inputs of the hostile corpus (tests/hostile/cases.yaml,
`gen/NAME`) into target/hostile/: deep nesting, blow-ups, a sparse 2 GiB file, and records
directories holding a FIFO, a socket, links out of them or into a loop. Idempotent; standard
library only. Usage: scripts/hostile-gen.py [OUT_DIR]"""

import json
import os
import shutil
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "hostile"


def fresh_dir(name: str) -> Path:
    d = OUT / name
    if d.exists() or d.is_symlink():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def write(name: str, text: str) -> None:
    (OUT / name).write_text(text, encoding="utf-8")


def rule(rule_id: str, condition: str) -> str:
    """A complete user rule whose requirement is `condition`."""
    return f"""rule {rule_id} {{
  title ja "深い式" en "A deep expression"
  clause jis2023 "6.2"
  phase plan
  severity minor
  basis practice
  activity risk_assessment
  for i in inventory
  require {condition}
  message ja "深い" en "deep"
  fix ja "浅く" en "make it shallow"
}}
"""


def worker_rule(rule_id: str, condition: str) -> str:
    """A complete user rule over the workforce whose requirement is `condition` (of `w`)."""
    return rule(rule_id, condition).replace("activity risk_assessment\n  for i in inventory",
                                            "activity training_records\n  for w in workforce")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # Deep structures.
    # 25,000 block sequences nested on one line (`- - - … x`).
    write("deep.yaml", "- " * 25_000 + "x\n")
    write("deep-not.pms", rule("X-DEEP-01", "not " * 10_000 + "true"))
    write("deep-parens.pms", rule("X-DEEP-02", "(" * 2_000 + "true" + ")" * 2_000))
    defs = ["define d0(x) = x"] + [f"define d{i}(x) = d{i-1}(d{i-1}(x))" for i in range(1, 40)]
    write("define-doubling.pms", "\n".join(defs) + "\n" + rule("X-DEEP-03", "d39(true)"))
    # Definitions are shared code: 24 doubling levels (16 million calls of `d0` when
    # evaluated) and a chain of 5,000, each calling the previous one, evaluate over a worker.
    write("define-doubling-24.pms", "\n".join(defs[:25]) + "\n" + worker_rule("X-DEF-01", "d24(true)"))
    chain = ["define c0(x) = x > 2020-01-01"] + [
        f"define c{i}(x) = c{i-1}(x) or false" for i in range(1, 5_000)
    ]
    write("define-chain.pms", "\n".join(chain) + "\n" + worker_rule("X-DEF-02", "c4999(w.start_date)"))
    # 100,000 dangling references (every training record names a person who does not exist).
    records = {
        "workforce": [],
        "training_records": [
            {"id": f"T{i}", "person_id": f"NOBODY{i}", "completed_on": "2025-04-01"}
            for i in range(100_000)
        ],
    }
    write("dangling.json", json.dumps(records))
    # A sparse file of 2 GiB: refused by its size, never read.
    with open(OUT / "huge-sparse.json", "wb") as f:
        f.truncate(2 << 30)
    # Records directories with what must not be read.
    d = fresh_dir("fifo-dir")
    os.mkfifo(d / "workforce.yaml")
    d = fresh_dir("device-link-dir")
    (d / "training_records.yaml").symlink_to("/dev/zero")
    d = fresh_dir("link-loop-dir")
    (d / "workforce.yaml").symlink_to("contractors.yaml")
    (d / "contractors.yaml").symlink_to("workforce.yaml")
    d = fresh_dir("link-out-dir")
    (d / "workforce.yaml").symlink_to(ROOT / "tests" / "hostile" / "files" / "bom.yaml")
    d = fresh_dir("socket-dir")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(d / "systems.json"))
    s.close()
    d = fresh_dir("misspelt-dir")
    (d / "workfroce.yaml").write_text("[]\n", encoding="utf-8")


if __name__ == "__main__":
    main()
