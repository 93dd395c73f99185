#!/usr/bin/env python3
"""Writes the large and special inputs of the hostile corpus (tests/hostile/cases.yaml,
`gen/NAME`) into target/hostile/: deep nesting, blow-ups, a sparse 2 GiB file, and records
directories holding a FIFO, a socket, links out of them or into a loop, and ledgers: a
1,000,000-row CSV and workbook, a corrupt and a password-protected workbook, a zip bomb.
Idempotent; standard library only. Usage: scripts/hostile-gen.py [OUT_DIR]"""

import itertools
import json
import os
import zipfile
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
    # At the limit of nesting through calls (MAX_CALL_NESTING, 2,048 levels: each link of the
    # chain counts 10): 200 links, and 19 definitions whose bodies nest 100 `not`s deep around
    # the call of the previous one — both run in WebAssembly on V8's own stack.
    write("define-chain-200.pms", "\n".join(chain[:200]) + "\n" + worker_rule("X-DEF-03", "c199(w.start_date)"))
    deep = ["define n0(x) = x > 2020-01-01"] + [
        f"define n{i}(x) = {'not ' * 100}n{i-1}(x)" for i in range(1, 19)
    ]
    write("define-deep-bodies.pms", "\n".join(deep) + "\n" + worker_rule("X-DEF-04", "n18(w.start_date)"))
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
    ledgers()


# A workbook is a zip of XML parts; these are the few a reader needs (the sheet is streamed in).
XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="workforce" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}

HEADER = ["id", "name", "employment_type", "start_date"]


def person(i: int) -> list:
    return [f"W-{i}", f"社員{i}", "正社員", "2020-04-01"]


def write_xlsx(name: str, rows) -> None:
    """A workbook whose sheet is written row by row into the zip (a streaming writer: the
    sheet is never held in memory), cells as inline strings."""
    with zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for part, xml in XLSX_PARTS.items():
            z.writestr(part, xml)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = []
            for r, row in enumerate(rows, start=1):
                cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row)
                chunk.append(f'<row r="{r}">{cells}</row>')
                if len(chunk) == 10_000:
                    f.write("".join(chunk).encode())
                    chunk = []
            f.write("".join(chunk).encode())
            f.write(b"</sheetData></worksheet>")


def ledgers() -> None:
    million = range(1_000_000)
    if not (OUT / "million.csv").exists():
        with open(OUT / "million.csv", "w", encoding="utf-8", newline="") as f:
            f.write(",".join(HEADER) + "\n")
            for i in million:
                f.write(",".join(person(i)) + "\n")
    if not (OUT / "million.xlsx").exists():
        write_xlsx("million.xlsx", itertools.chain([HEADER], (person(i) for i in million)))
    # A ledgers directory with a FIFO named like a CSV ledger beside a good one.
    d = fresh_dir("ledger-fifo-dir")
    (d / "workforce.csv").write_text(",".join(HEADER) + "\n" + ",".join(person(1)) + "\n", encoding="utf-8")
    os.mkfifo(d / "training_records.csv")
    # A workbook cut short (the end of its zip, with the central directory, is missing).
    write_xlsx("small.xlsx", [HEADER] + [person(i) for i in range(3)])
    data = (OUT / "small.xlsx").read_bytes()
    (OUT / "corrupt.xlsx").write_bytes(data[: len(data) // 2])
    (OUT / "small.xlsx").unlink()
    # A password-protected workbook: Excel stores it as an OLE compound file (this header,
    # then the encrypted package), never as a zip.
    (OUT / "password.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096 - 8))
    # A zip bomb: 1.5 GB of zeros deflated to about 1.5 MB, named as a sheet.
    if not (OUT / "zip-bomb.xlsx").exists():
        with zipfile.ZipFile(OUT / "zip-bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for part, xml in XLSX_PARTS.items():
                z.writestr(part, xml)
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                block = bytes(1 << 20)
                for _ in range(1_500):
                    f.write(block)


if __name__ == "__main__":
    main()
