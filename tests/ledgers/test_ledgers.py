"""Ledgers written by other programs than pms read as the same records.

The sample company (examples/mimoto/records.yaml) is written as an office would keep it:
Excel workbooks by openpyxl (title rows, a 作成日/承認 block, merged title cells, Japanese
headers with the aliases offices use, 和暦 dates, ○/×, lists in one cell, a ledger split
over two sheets) and CSV files in Shift_JIS (Python's cp932 codec) and UTF-8 with a BOM.
`pms check` of that directory must give the same report, byte for byte, as the YAML; every
malformed case gives its coded error at its cell.

The headers, sheet names and enum words come from `pms import --labels`, the one label table
the reader uses, so this test does not keep a second copy of the vocabulary.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import struct
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "mimoto" / "records.yaml"
AS_OF = "2026-03-31"


def pms_bin() -> str:
    if os.environ.get("PMS_BIN"):
        return os.environ["PMS_BIN"]
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / "debug" / "pms")


def pms(*args: str) -> subprocess.CompletedProcess[str]:
    # Every diagnostic a test meets must read in Japanese too (else the run exits with 70).
    env = {**os.environ, "PMS_TEST_REQUIRE_JA": "1"}
    return subprocess.run([pms_bin(), *args], capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.fixture(scope="session")
def vocab() -> dict[str, Any]:
    out = pms("import", "--labels")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def sample() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


# ---- writing values as an office does ------------------------------------------------

ERAS = [(dt.date(2019, 5, 1), "令和", "R"), (dt.date(1989, 1, 8), "平成", "H"), (dt.date(1926, 12, 25), "昭和", "S")]


def wareki(d: dt.date, short: bool) -> str:
    for first, name, letter in ERAS:
        if d >= first:
            y = d.year - first.year + 1
            if short:
                return f"{letter}{y}.{d.month}.{d.day}"
            return f"{name}{'元' if y == 1 else y}年{d.month}月{d.day}日"
    return d.isoformat()


def date_value(s: str, style: int) -> Any:
    d = dt.date.fromisoformat(s)
    return [d, f"{d.year}/{d.month}/{d.day}", wareki(d, False), wareki(d, True), s, f"{d.year}年{d.month}月{d.day}日"][style % 6]


SEPARATORS = ("、", ",", "・", "\n")


def list_text(items: list[str], style: int) -> str:
    if any(any(sep in i for sep in SEPARATORS) for i in items):
        return "\n".join(items) + ("\n" if len(items) == 1 else "")
    return ("、", "\n", ", ")[style % 3].join(items)


BOOLS = [("○", "×"), ("有", "無"), ("はい", "いいえ"), ("✓", "未"), ("済", "未")]


class Writer:
    """Turns record values into cells, cycling through the forms offices use."""

    def __init__(self, vocab: dict[str, Any], by_name: dict[str, str] | None = None) -> None:
        self.value_ja = {v["value"]: v["ja"] for v in vocab["values"]}
        self.n = 0
        # References written by the referenced record's name (氏名, 委託先名, 部門名), as offices do.
        self.by_name = by_name or {}

    def cell(self, column: dict[str, Any], value: Any) -> Any:
        self.n += 1
        if value is None:
            return None
        t = column["type"]
        if t == "date":
            return date_value(value, self.n)
        if t == "yes/no":
            yes, no = BOOLS[self.n % len(BOOLS)]
            return yes if value else no
        if t.startswith("id of "):
            return self.by_name.get(value, value)
        if t.startswith("list of id of "):
            return list_text([self.by_name.get(v, v) for v in value], self.n)
        if t == "one of":
            return self.value_ja.get(value, value)
        if t == "list of one of":
            return list_text([self.value_ja.get(v, v) for v in value], self.n)
        if t == "list of date":
            return list_text([str(v) for v in value], self.n)
        if t.startswith("list of"):
            return list_text([str(v) for v in value], self.n)
        if t == "whole number" and self.n % 3 == 0:
            return f"{value:,}件" if column["field"] == "record_count" else value
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        return value


def header(column: dict[str, Any], style: int) -> str:
    """The header: the label, an alias, or the label with a note in brackets."""
    aliases = [a for a in column["aliases"] if "." not in a]
    if column["field"].count(".") == 0 and aliases and style % 3 == 1:
        return aliases[style % len(aliases)]
    if style % 5 == 2:
        return column["header"] + "（記入）"
    return column["header"]


def columns_for(target: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The columns the rows use (a sheet lists only the fields the office keeps)."""
    used = []
    for c in target["columns"]:
        f = c["field"]
        if "." in f:
            a, b = f.split(".", 1)
            if any(isinstance(r.get(a), dict) and b in r[a] for r in rows):
                used.append(c)
        elif any(f in r for r in rows):
            used.append(c)
    return used


def value_of(row: dict[str, Any], field: str) -> Any:
    if "." in field:
        a, b = field.split(".", 1)
        return (row.get(a) or {}).get(b)
    return row.get(field)


def write_sheet(ws: Any, target: dict[str, Any], rows: list[dict[str, Any]], w: Writer, *, title: bool, parent: list[str] | None = None) -> None:
    cols = columns_for(target, rows)
    r = 1
    if title:
        ws.cell(row=1, column=1, value=f"{target['ja']}（{target['target']}）")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(2, len(cols)))
        ws.cell(row=2, column=1, value="作成日")
        ws.cell(row=2, column=2, value="令和8年3月31日")
        ws.cell(row=2, column=4, value="承認")
        ws.cell(row=2, column=5, value="代表取締役")
        r = 4  # a blank row, then the header
    offset = 0
    if parent is not None:
        ws.cell(row=r, column=1, value=target["parent_column"])
        offset = 1
    for i, c in enumerate(cols):
        ws.cell(row=r, column=i + 1 + offset, value=header(c, i + len(target["target"])))
    for k, rec in enumerate(rows):
        if k and k % 7 == 0:
            r += 1  # a blank row in the data, as people leave them
        r += 1
        if parent is not None:
            ws.cell(row=r, column=1, value=parent[k])
        for i, c in enumerate(cols):
            v = w.cell(c, value_of(rec, c["field"]))
            cell = ws.cell(row=r, column=i + 1 + offset, value=v)
            if isinstance(v, dt.date):
                cell.number_format = "yyyy/m/d"


def write_csv(path: Path, target: dict[str, Any], rows: list[dict[str, Any]], w: Writer, encoding: str) -> None:
    import csv
    import io

    cols = columns_for(target, rows)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([header(c, i) for i, c in enumerate(cols)])
    for rec in rows:
        vals = []
        for c in cols:
            v = w.cell(c, value_of(rec, c["field"]))
            vals.append(v.isoformat() if isinstance(v, dt.date) else ("" if v is None else v))
        out.writerow(vals)
    path.write_bytes(buf.getvalue().encode(encoding))


def names_of(sample: dict[str, Any]) -> dict[str, str]:
    """Id → name of every record (nested ones included) whose name no other record shares."""
    found: list[tuple[str, str]] = []

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            name = next((v[k] for k in ("name", "item_name", "title") if isinstance(v.get(k), str)), None)
            if isinstance(v.get("id"), str) and name:
                found.append((v["id"], name))
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(sample)
    count: dict[str, int] = {}
    for _, n in found:
        key = "".join(n.split())
        count[key] = count.get(key, 0) + 1
    return {i: n for i, n in found if count["".join(n.split())] == 1}


def combine_contractors(sample: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]]]:
    """products.md §3.3's 委託先管理台帳: each contractor's row also holds its latest evaluation
    and its contract. Returns the sample as the reader sees such a ledger (those records with
    the ids generated from the sheet and row) and the rows (contractor, evaluation, contract)."""
    s = copy.deepcopy(sample)
    latest: dict[str, dict[str, Any]] = {}
    for e in s["contractor_evaluations"]:
        if e["contractor_id"] not in latest or str(e["evaluated_on"]) > str(latest[e["contractor_id"]]["evaluated_on"]):
            latest[e["contractor_id"]] = e
    contracts = {k["contractor_id"]: k for k in s.get("contracts", [])}
    rows = []
    for i, c in enumerate(s["contractors"]):
        ev, k = latest.get(c["id"]), contracts.get(c["id"])
        for rec, ja in ((ev, "委託先評価"), (k, "委託契約")):
            if rec is not None:
                rec["id"] = f"委託先管理台帳-{i + 2}-{ja}"
        rows.append((c, ev, k))
    return s, rows


def write_combined_contractors(ws: Any, vocab: dict[str, Any], rows: list[tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]], w: Writer) -> None:
    targets = {t["target"]: t for t in vocab["targets"]}
    skip = {"id", "contractor_id", "note", "status"}
    parts = [
        (0, c)
        for c in columns_for(targets["contractors"], [r[0] for r in rows])
    ] + [
        (1, c)
        for c in columns_for(targets["contractor_evaluations"], [r[1] for r in rows if r[1]])
        if c["field"] not in skip
    ] + [
        (2, c)
        for c in columns_for(targets["contracts"], [r[2] for r in rows if r[2]])
        if c["field"] not in skip
    ]
    for j, (_, c) in enumerate(parts):
        ws.cell(row=1, column=j + 1, value=c["header"])
    for i, row in enumerate(rows):
        for j, (part, c) in enumerate(parts):
            rec = row[part]
            v = w.cell(c, value_of(rec, c["field"])) if rec is not None else None
            cell = ws.cell(row=i + 2, column=j + 1, value=v)
            if isinstance(v, dt.date):
                cell.number_format = "yyyy/m/d"


STAGES = [("acquire", "取得・入力", "取得"), ("transfer", "移送・送信", "移送"), ("use", "利用・加工", "利用"), ("store", "保管・バックアップ", "保管"), ("dispose", "消去・廃棄", "廃棄")]
RISK_SHARED = ["inventory_item_id", "assessed_on", "accepted_by"]
RISK_STAGED = ["risk_desc", "likelihood", "impact", "controls", "residual_risk"]


def widen_risks(sample: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, dict[str, Any]]]]]:
    """The リスク分析表 laid out wide: one row per ledger item, a group of columns per lifecycle
    stage. Returns the sample as the reader sees it (each assessment's id made from the sheet,
    the row and the stage) and the rows (shared values, stage → assessment)."""
    s = copy.deepcopy(sample)
    rows: list[tuple[dict[str, Any], dict[str, dict[str, Any]]]] = []
    for ra in s["risk_assessments"]:
        shared = {f: ra.get(f) for f in RISK_SHARED}
        if not rows or rows[-1][0] != shared or ra["stage"] in rows[-1][1]:
            rows.append((shared, {}))
        rows[-1][1][ra["stage"]] = ra
    for i, (_, stages) in enumerate(rows):
        for value, _, ja in STAGES:
            if value in stages:
                stages[value]["id"] = f"リスク分析表-{i + 5}-{ja}"
    return s, rows


def write_wide_risks(ws: Any, vocab: dict[str, Any], rows: list[tuple[dict[str, Any], dict[str, dict[str, Any]]]], w: Writer) -> None:
    target = next(t for t in vocab["targets"] if t["target"] == "risk_assessments")
    col = {c["field"]: c for c in target["columns"]}
    ws["A1"] = "リスク分析表"
    for j, f in enumerate(RISK_SHARED):
        ws.cell(row=3, column=j + 1, value=col[f]["header"])
        ws.merge_cells(start_row=3, start_column=j + 1, end_row=4, end_column=j + 1)
    for k, (_, label, _) in enumerate(STAGES):
        first = len(RISK_SHARED) + k * len(RISK_STAGED) + 1
        ws.cell(row=3, column=first, value=label)
        ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + len(RISK_STAGED) - 1)
        for j, f in enumerate(RISK_STAGED):
            ws.cell(row=4, column=first + j, value=col[f]["header"])
    for i, (shared, stages) in enumerate(rows):
        cells: list[tuple[dict[str, Any], Any]] = [(col[f], shared[f]) for f in RISK_SHARED]
        for value, _, _ in STAGES:
            ra = stages.get(value, {})
            cells += [(col[f], ra.get(f)) for f in RISK_STAGED]
        for j, (c, v) in enumerate(cells):
            v = w.cell(c, v) if v is not None else None
            cell = ws.cell(row=i + 5, column=j + 1, value=v)
            if isinstance(v, dt.date):
                cell.number_format = "yyyy/m/d"


def write_company(sample: dict[str, Any], vocab: dict[str, Any], out: Path, by_name: bool = False, combined: bool = False, wide_risks: bool = False) -> None:
    targets = {t["target"]: t for t in vocab["targets"]}
    w = Writer(vocab, names_of(sample) if by_name else None)
    out.mkdir(parents=True, exist_ok=True)
    done: set[str] = set()

    def nested_sheets(wb: Any, entity: str) -> None:
        for name, t in targets.items():
            if not name.startswith(entity + "."):
                continue
            field = name.split(".", 1)[1]
            rows, parents = [], []
            for rec in sample.get(entity, []):
                for item in rec.get(field) or []:
                    rows.append(item)
                    parents.append(rec["id"])
            if rows:
                write_sheet(wb.create_sheet(t["ja"]), t, rows, w, title=False, parent=parents)

    def strip_nested(entity: str) -> list[dict[str, Any]]:
        lists = {n.split(".", 1)[1] for n in targets if n.startswith(entity + ".")}
        return [{k: v for k, v in r.items() if k not in lists} for r in sample.get(entity, [])]

    # The organization, its sites and departments in one workbook (a nested sheet without a
    # parent column belongs to the one organization).
    wb = openpyxl.Workbook()
    write_sheet(wb.active, targets["organization"], strip_nested("organization"), w, title=True)
    wb.active.title = "組織情報"
    org = sample["organization"][0]
    for field in ("sites", "departments", "change_history"):
        t = targets[f"organization.{field}"]
        if org.get(field):
            write_sheet(wb.create_sheet(t["ja"].split(".")[1] + "一覧"), t, org[field], w, title=True)
    wb.create_sheet("表紙").cell(row=1, column=1, value="個人情報保護マネジメントシステム 記録一式")
    wb.save(out / "組織.xlsx")
    done.add("organization")

    # The workforce split over two sheets, with a title block, aliases and 和暦.
    wf = strip_nested("workforce")
    wb = openpyxl.Workbook()
    half = len(wf) // 2
    write_sheet(wb.active, targets["workforce"], wf[:half], w, title=True)
    wb.active.title = "従業者名簿"
    write_sheet(wb.create_sheet("従業者名簿(2)"), targets["workforce"], wf[half:], w, title=True)
    wb.save(out / "従業者名簿.xlsx")
    done.add("workforce")

    # Training: sessions and attendee lists in one workbook named after the ledger.
    wb = openpyxl.Workbook()
    write_sheet(wb.active, targets["training_sessions"], strip_nested("training_sessions"), w, title=True)
    wb.active.title = "教育実施記録"
    write_sheet(wb.create_sheet("受講者名簿"), targets["training_records"], strip_nested("training_records"), w, title=True)
    wb.save(out / "教育記録.xlsx")
    done.update({"training_sessions", "training_records"})

    if combined:
        # One 委託先管理台帳 (contractor, latest evaluation, contract per row); the earlier
        # evaluations in their own sheet.
        as_read, rows = combine_contractors(sample)
        wb = openpyxl.Workbook()
        wb.active.title = "委託先管理台帳"
        write_combined_contractors(wb.active, vocab, rows, w)
        older = [e for e in as_read["contractor_evaluations"] if not e["id"].startswith("委託先管理台帳-")]
        write_sheet(wb.create_sheet("委託先評価表"), targets["contractor_evaluations"], older, w, title=True)
        wb.save(out / "委託先管理.xlsx")
        done.update({"contractors", "contractor_evaluations", "contracts"})
    else:
        # Contractors as Shift_JIS CSV (Japanese Excel's default export), evaluations as UTF-8 with BOM.
        write_csv(out / "委託先一覧.csv", targets["contractors"], strip_nested("contractors"), w, "cp932")
        write_csv(out / "委託先評価表.csv", targets["contractor_evaluations"], strip_nested("contractor_evaluations"), w, "utf-8-sig")
        done.update({"contractors", "contractor_evaluations"})

    if wide_risks:
        _, risk_rows = widen_risks(sample)
        wb = openpyxl.Workbook()
        wb.active.title = "リスク分析表"
        write_wide_risks(wb.active, vocab, risk_rows, w)
        wb.save(out / "リスク分析.xlsx")
        done.add("risk_assessments")

    # Every other ledger: one workbook, a sheet per entity and per nested list.
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for entity in sample:
        if entity in done or entity not in targets:
            continue
        write_sheet(wb.create_sheet(targets[entity]["ja"][:31]), targets[entity], strip_nested(entity), w, title=len(entity) % 2 == 0)
        nested_sheets(wb, entity)
    wb.save(out / "その他の台帳.xlsx")


def check_json(path: Path | str) -> str:
    out = pms("check", str(path), "--as-of", AS_OF, "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    return out.stdout


def reads_as(sample: dict[str, Any], vocab: dict[str, Any], tmp_path: Path, as_read: dict[str, Any], **layout: bool) -> str:
    """Writes the sample as office ledgers in the given layout and checks that they give the
    report of `as_read` (the records as the reader sees that layout) byte for byte, and the
    sample's summary; returns the stderr of `pms import --explain` (records in r.yaml)."""
    (tmp_path / "as-read.yaml").write_text(yaml.safe_dump(as_read, allow_unicode=True), encoding="utf-8")
    write_company(sample, vocab, tmp_path / "ledgers", by_name=True, **layout)
    got = check_json(tmp_path / "ledgers")
    assert got == check_json(tmp_path / "as-read.yaml")
    assert json.loads(got)["summary"] == json.loads(check_json(SAMPLE))["summary"]
    out = pms("import", str(tmp_path / "ledgers"), "--explain", "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    return out.stderr


def map_round_trip(src: Path, tmp_path: Path) -> str:
    """`--suggest-map`, the cover page passed over, then `--map`: the same records as without
    the map (r.yaml of `reads_as`). Returns the suggested map's text."""
    suggested = pms("import", str(src), "--suggest-map", str(tmp_path / "map.yaml"))
    assert suggested.returncode == 0, suggested.stderr
    text = (tmp_path / "map.yaml").read_text(encoding="utf-8")
    (tmp_path / "map.yaml").write_text(text.replace('entity: "?"', "entity: ignore"), encoding="utf-8")
    again = pms("import", str(src), "--map", str(tmp_path / "map.yaml"), "-o", str(tmp_path / "m.yaml"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "m.yaml").read_text(encoding="utf-8") == (tmp_path / "r.yaml").read_text(encoding="utf-8")
    return text


def test_sample_company_as_office_ledgers_gives_the_yaml_report(sample: dict[str, Any], vocab: dict[str, Any], tmp_path: Path) -> None:
    write_company(sample, vocab, tmp_path / "ledgers")
    got = check_json(tmp_path / "ledgers")
    want = check_json(SAMPLE)
    assert json.loads(got)["summary"] == json.loads(want)["summary"]
    assert got == want


def test_references_written_as_names_give_the_yaml_report(sample: dict[str, Any], vocab: dict[str, Any], tmp_path: Path) -> None:
    # 受講者 and 評価者 by 氏名, 委託先 by 委託先名, 所属 by 部門名 …: read as the ids they name.
    names = names_of(sample)
    write_company(sample, vocab, tmp_path / "ledgers", by_name=True)
    assert check_json(tmp_path / "ledgers") == check_json(SAMPLE)
    out = pms("import", str(tmp_path / "ledgers"), "--explain", "-o", str(tmp_path / "records.yaml"))
    assert out.returncode == 0, out.stderr
    person = next(p for p in sample["workforce"] if p["id"] in names)
    assert f"`{names[person['id']]}` → {person['id']} (the 従業者 so named: 氏名" in out.stderr, out.stderr


def test_a_combined_contractor_ledger_gives_the_yaml_report(sample: dict[str, Any], vocab: dict[str, Any], tmp_path: Path) -> None:
    # products.md §3.3: 委託先名 · 委託業務内容 · 評価日 · 評価者 · 評価点/合否 · 契約/覚書締結日 …
    # in one row: read as the contractor, its evaluation and its contract, each its own record.
    as_read, rows = combine_contractors(sample)
    assert any(r[1] for r in rows) and any(r[2] for r in rows) and any(not r[1] for r in rows)
    explained = reads_as(sample, vocab, tmp_path, as_read, combined=True)
    assert "read as the 委託先評価 `委託先管理台帳-2-委託先評価` of this row's 委託先" in explained, explained
    # --suggest-map names those columns with their ledger, and the map reads them the same;
    # the cover page is the one sheet left open (`?`).
    text = map_round_trip(tmp_path / "ledgers", tmp_path)
    assert "contractor_evaluations.evaluated_on" in text and "contracts.signed_on" in text, text
    assert text.count('entity: "?"') == 1, text


def test_a_wide_risk_analysis_sheet_gives_the_yaml_report(sample: dict[str, Any], vocab: dict[str, Any], tmp_path: Path) -> None:
    # products.md §3.1: the lifecycle-split variant, one row per ledger item and a group of
    # columns (リスク, 対策, 残留リスク …) under each stage: one assessment per item and stage.
    as_read, rows = widen_risks(sample)
    assert len(rows) < len(sample["risk_assessments"]) and any(len(st) > 1 for _, st in rows)
    explained = reads_as(sample, vocab, tmp_path, as_read, wide_risks=True)
    assert "リスク分析表!D5: row 5: the columns under `取得・入力` are the リスク分析 of stage 取得 (acquire), id `リスク分析表-5-取得`" in explained, explained
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    same = lambda v: json.loads(json.dumps(v, default=str))  # noqa: E731 (dates as text on both sides)
    assert same(r["risk_assessments"]) == same(as_read["risk_assessments"])
    # --suggest-map names each column once (the groups repeat the words); the map reads the same.
    map_round_trip(tmp_path / "ledgers", tmp_path)


def workbook(sheets: dict[str, list[list[Any]]]) -> Any:
    """A workbook of the given sheets, in order, each its rows as written."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    return wb


def audit_plan_book(path: Path, *, with_plan_ledger: bool) -> None:
    sheets = {
        "内部監査計画書": [["令和7年度 内部監査計画書"], [None, None, "承認", "確認", "作成"], ["承認日", "令和7年4月10日", "承認者", "山田 太郎"], [], ["対象部門", "予定日", "監査員", "備考"], ["営業部", "2025/10/1", "佐藤 花子、鈴木 一郎", None], ["総務部", "R7.11.5", "佐藤 花子", "前回指摘のフォロー"]],
        "組織情報": [["ID", "名称"], ["ORG", "見本株式会社"]],
        "部門一覧": [["部門ID", "部門名"], ["D-1", "営業部"], ["D-2", "総務部"]],
        "従業者名簿": [["社員番号", "氏名", "雇用区分", "入社日"], ["W-1", "山田 太郎", "役員", "2010/4/1"], ["W-2", "佐藤 花子", "正社員", "2020/4/1"], ["W-3", "鈴木 一郎", "正社員", "2021/4/1"]],
    }
    if with_plan_ledger:
        sheets["監査計画一覧"] = [["ID", "年度", "承認者"], ["AP-2025", "2025", "W-1"]]
    workbook(sheets).save(path)


def test_an_audit_plan_sheet_gives_the_plan_and_its_items(tmp_path: Path) -> None:
    # products.md §3.5: 監査計画書 (部門, 予定日, 監査員) under a title and an approval block is
    # the year's audit plan: the title block describes the plan, the rows are its items.
    audit_plan_book(tmp_path / "監査.xlsx", with_plan_ledger=False)
    out = pms("import", str(tmp_path / "監査.xlsx"), "--explain", "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    assert "内部監査計画書!A1: `令和7年度 内部監査計画書` → 年度 2025" in out.stderr, out.stderr
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    (plan,) = r["audit_plans"]
    assert (plan["id"], plan["pms_year"], plan["approved_by"], plan["approved_on"]) == ("内部監査計画書", "2025", "W-1", dt.date(2025, 4, 10))
    assert [(i["department_id"], i["planned_date"], i["auditor_ids"]) for i in plan["items"]] == [
        ("D-1", dt.date(2025, 10, 1), ["W-2", "W-3"]),
        ("D-2", dt.date(2025, 11, 5), ["W-2"]),
    ]
    assert plan["items"][1]["note"] == "前回指摘のフォロー"
    # Where the ledgers hold the plan itself, the rows are its items and the block adds none.
    audit_plan_book(tmp_path / "監査2.xlsx", with_plan_ledger=True)
    out = pms("import", str(tmp_path / "監査2.xlsx"), "-o", str(tmp_path / "r2.yaml"))
    assert out.returncode == 0, out.stderr
    r = yaml.safe_load((tmp_path / "r2.yaml").read_text(encoding="utf-8"))
    (plan,) = r["audit_plans"]
    assert plan["id"] == "AP-2025" and len(plan["items"]) == 2


def test_a_two_tier_header_is_read_from_its_lower_row(tmp_path: Path) -> None:
    # Titles merged down over two header rows, group labels (評価, 契約条項) merged across the
    # names below them: how Japanese Excel ledgers are usually headed.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "委託先管理台帳"
    ws["A1"] = "委託先管理台帳"
    ws.append([])
    ws.append(["No", "委託先名", "個人情報の取扱い", "評価", None, None, "契約締結日", "契約条項", None])
    ws.append([None, None, None, "評価日", "評価者", "合否", None, "監査権", "再委託"])
    for c in "ABCG":
        ws.merge_cells(f"{c}3:{c}4")
    ws.merge_cells("D3:F3")
    ws.merge_cells("H3:I3")
    ws.append(["C-1", "配送株式会社", "有", "2025/5/1", "山田 太郎", "○", "令和6年4月1日", "○", "×"])
    ws.append(["C-2", "印刷株式会社", "有"])
    ws = wb.create_sheet("従業者名簿")
    for r in [["社員番号", "氏名", "雇用区分", "入社日"], ["W-1", "山田 太郎", "正社員", "2020/4/1"]]:
        ws.append(r)
    wb.save(tmp_path / "委託先.xlsx")
    out = pms("import", str(tmp_path / "委託先.xlsx"), "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    assert [c["id"] for c in r["contractors"]] == ["C-1", "C-2"]
    (ev,) = r["contractor_evaluations"]
    assert (ev["contractor_id"], ev["evaluated_on"], ev["evaluator"], ev["result"]) == ("C-1", dt.date(2025, 5, 1), "W-1", "pass")
    (k,) = r["contracts"]
    assert (k["contractor_id"], k["signed_on"], k["clauses"]) == ("C-1", dt.date(2024, 4, 1), {"audit_right": True, "subcontract": False})
    assert "subcontractors" not in r["contractors"][0]
    suggested = pms("import", str(tmp_path / "委託先.xlsx"), "--suggest-map", str(tmp_path / "map.yaml"))
    assert suggested.returncode == 0, suggested.stderr
    text = (tmp_path / "map.yaml").read_text(encoding="utf-8")
    assert "再委託: contracts.clauses.subcontract" in text and "評価日: contractor_evaluations.evaluated_on" in text, text


def test_a_roster_marking_attendance_gives_records_for_those_who_attended(tmp_path: Path) -> None:
    # products.md §3.2: the 受講者名簿 lists every member, 受講 ○/×, and 欠席者 with their follow-up.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "受講者名簿"
    for r in [["2025年度 個人情報保護教育 受講者名簿"], ["氏名", "所属", "受講", "受講日", "理解度テスト", "備考"], ["山田 太郎", "総務部", "○", "2025/6/10", 90, ""], ["佐藤 花子", "営業部", "×", None, None, "欠席（7/1に補講予定）"]]:
        ws.append(r)
    ws = wb.create_sheet("従業者名簿")
    for r in [["社員番号", "氏名", "雇用区分", "入社日"], ["W-1", "山田 太郎", "正社員", "2020/4/1"], ["W-2", "佐藤 花子", "正社員", "2020/4/1"]]:
        ws.append(r)
    wb.save(tmp_path / "教育.xlsx")
    out = pms("import", str(tmp_path / "教育.xlsx"), "--explain", "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    assert "受講者名簿!C4: row 4: marked as not attended: no record" in out.stderr, out.stderr
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    assert [(t["person_id"], t["test_score"]) for t in r["training_records"]] == [("W-1", 90)]
    suggested = pms("import", str(tmp_path / "教育.xlsx"), "--suggest-map", str(tmp_path / "map.yaml"))
    assert "受講: (record if yes)" in (tmp_path / "map.yaml").read_text(encoding="utf-8"), suggested.stderr
    again = pms("import", str(tmp_path / "教育.xlsx"), "--map", str(tmp_path / "map.yaml"), "-o", str(tmp_path / "m.yaml"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "m.yaml").read_text(encoding="utf-8") == (tmp_path / "r.yaml").read_text(encoding="utf-8")


def test_a_session_report_listing_its_attendees_gives_their_training_records(tmp_path: Path) -> None:
    # products.md §3.2's 教育実施報告書: 実施日 · 実施内容 · 実施方法 · 受講者, the attendees by 氏名.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "従業者名簿"
    for r in [["社員番号", "氏名", "雇用区分", "入社日"], ["W-1", "山田 太郎", "正社員", "2020/4/1"], ["W-2", "佐藤 花子", "派遣", "2021/4/1"]]:
        ws.append(r)
    ws = wb.create_sheet("教育実施報告書")
    for r in [["No", "実施日", "実施内容", "教育区分", "実施方法", "受講者"], ["S-1", "令和7年6月2日", "個人情報保護教育", "年次教育", "eラーニング", "山田太郎、佐藤 花子"]]:
        ws.append(r)
    wb.save(tmp_path / "教育.xlsx")
    out = pms("import", str(tmp_path / "教育.xlsx"), "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    got = sorted((t["person_id"], t["session_id"], t["completed_on"], t["method"]) for t in r["training_records"])
    assert got == [("W-1", "S-1", dt.date(2025, 6, 2), "e-learning"), ("W-2", "S-1", dt.date(2025, 6, 2), "e-learning")]


def test_a_name_two_records_share_is_an_error_listing_both(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "従業者名簿"
    for r in [["社員番号", "氏名", "雇用区分", "入社日"], ["W-1", "山田 太郎", "正社員", "2025/4/1"], ["W-2", "山田　太郎", "派遣", "2025/4/1"]]:
        ws.append(r)
    ws = wb.create_sheet("受講者名簿")
    for r in [["No", "受講者", "受講日"], ["TR-1", "山田太郎", "R7.6.10"]]:
        ws.append(r)
    wb.save(tmp_path / "台帳.xlsx")
    err = errors_of(tmp_path / "台帳.xlsx")
    assert "error[E1038]" in err and "台帳.xlsx!受講者名簿!B2" in err and "W-1, W-2" in err, err


def test_the_columns_offices_keep_are_read(tmp_path: Path) -> None:
    # shared/research/products.md §3: the register's columns, a remarks column on any ledger,
    # the evaluation sheet's score and approver, the visitor sheet's badge number.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "個人情報管理台帳"
    ws.append(["No", "部門", "管理責任者", "業務プロセス", "個人情報の名称", "項目", "データ主体", "件数", "取得方法", "利用目的", "媒体", "保管場所", "保管方法", "アクセス権者", "利用期限", "保存期間", "廃棄方法", "第三者提供", "開示対象か否か", "要配慮個人情報", "事故時の重大性", "備考"])
    ws.append(["I-1", "総務部", "山田 太郎", "採用", "応募者情報", "氏名、住所", "応募者", "約120件", "本人から書面で直接取得", "採用選考", "紙", "書庫A", "施錠保管", "人事担当", "選考終了まで", "1年", "シュレッダー", "無", "有", "無", "中", "年1回見直し"])
    ws = wb.create_sheet("部門")
    ws.append(["ID", "部門名"])
    ws.append(["D-1", "総務部"])
    ws = wb.create_sheet("組織情報")
    ws.append(["ID", "名称"])
    ws.append(["ORG", "見本株式会社"])
    ws = wb.create_sheet("委託先評価表")
    ws.append(["No", "委託先", "評価日", "評価点", "合否", "次回評価予定日", "承認者", "備考"])
    ws.append(["E-1", "I-1", "2025/4/1", 85, "合格", "2026/4/1", "代表取締役 見本", "再評価"])
    wb.save(tmp_path / "台帳.xlsx")
    out = pms("import", str(tmp_path / "台帳.xlsx"), "-o", "-")
    # The evaluation names a ledger item as its 委託先: a dangling reference, all the rest read.
    assert "E1002" not in out.stderr, out.stderr
    assert "error[E1008]" in out.stderr and "委託先評価表!B2" in out.stderr, out.stderr
    ws["B2"] = "ABC株式会社"
    ws = wb.create_sheet("委託先一覧")
    ws.append(["ID", "委託先名", "委託業務内容", "個人情報の取扱い", "再委託の有無", "認証"])
    ws.append(["C-1", "ABC株式会社", "発送代行", "○", "無", "Pマーク"])
    wb.save(tmp_path / "台帳.xlsx")
    # §3.2's 受講者名簿: 氏名, 所属, 雇用区分, 受講日, 点数, 合否, 再受講日. 所属 and 雇用区分 are the
    # 受講者's, read from the 従業者名簿; the list's copy is passed over (and explained).
    ws = wb.create_sheet("従業者名簿")
    ws.append(["社員番号", "氏名", "所属", "雇用区分", "入社日"])
    ws.append(["W-1", "山田 太郎", "総務部", "正社員", "2020/4/1"])
    ws = wb.create_sheet("受講者名簿")
    ws.append(["氏名", "所属", "雇用区分", "受講日", "点数", "合否", "再受講日"])
    ws.append(["山田太郎", "営業部", "正社員", "R7.6.10", 60, "不合格", "R7.6.20"])
    wb.save(tmp_path / "台帳.xlsx")
    out = pms("import", str(tmp_path / "台帳.xlsx"), "--explain", "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    assert "受講者名簿!B1: `所属` repeats the 従業者's 所属 (through 受講者)" in out.stderr, out.stderr
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    tr = r["training_records"][0]
    assert (tr["person_id"], tr["completed_on"], tr["test_score"], tr["passed"], tr["retaken_on"]) == ("W-1", dt.date(2025, 6, 10), 60, False, dt.date(2025, 6, 20))
    assert "department_id" not in tr and r["workforce"][0]["department_id"] == "D-1"
    item = r["inventory"][0]
    assert (item["department_id"], item["manager"], item["business_process"], item["data_subjects"], item["incident_impact"], item["note"]) == ("D-1", "山田 太郎", "採用", ["応募者"], "中", "年1回見直し")
    ev = r["contractor_evaluations"][0]
    assert (ev["contractor_id"], ev["score"], ev["result"], ev["approved_by"], ev["note"]) == ("C-1", 85, "pass", "代表取締役 見本", "再評価")
    assert r["contractors"][0]["subcontracting"] is False


def test_the_other_ledgers_of_the_pack_are_read_with_their_usual_columns(tmp_path: Path) -> None:
    # products.md §3.4–§3.7: 来訪者管理表, 事故報告, 内部監査報告書, 是正処置報告書, マネジメントレビュー
    # 議事録, 苦情・相談受付記録, 運用の確認記録, 法令等一覧, 廃棄記録 — headed as offices head them.
    sheets = {
        "従業者名簿": [["社員番号", "氏名", "雇用区分", "入社日"], ["W-1", "山田 太郎", "正社員", "2020/4/1"], ["W-2", "佐藤 花子", "正社員", "2021/4/1"]],
        "組織情報": [["ID", "名称"], ["ORG", "見本株式会社"]],
        "部門": [["ID", "部門名"], ["D-1", "営業部"]],
        "個人情報管理台帳": [["No", "個人情報の名称", "部門"], ["I-1", "申込書", "営業部"]],
        "来訪者管理表": [["来訪者管理表"], [], ["日付", "氏名", "会社名", "入室時刻", "退室時刻", "訪問目的", "訪問先", "入館証番号", "対応者"], ["2025/6/1", "田中 一", "ABC株式会社", "10:00", "11:30", "打合せ", "営業部", "V-12", "山田 太郎"]],
        "事故報告書": [["発生日", "発覚日", "概要", "媒体", "項目", "件数", "本人対応", "公表", "二次被害", "原因"], ["2025/9/1", "2025/9/2", "メール誤送信", "電子メール", "氏名、健診結果", 1, "謝罪済", "なし", "なし", "宛先確認漏れ"]],
        "内部監査報告書": [["ID", "監査日", "監査対象部門", "監査員", "監査区分", "指摘件数", "報告日"], ["IA-1", "2025/10/1", "営業部", "佐藤 花子、山田 太郎", "適合性", 1, "2025/10/15"]],
        "マネジメントレビュー": [["実施日", "出席者", "監査結果", "前回フォロー", "法令変化", "環境変化", "事業変化", "指示事項"], ["2025/12/1", "山田 太郎、佐藤 花子", "報告", "報告", "改正なし", "報告", "報告", "規程の見直し\n教育の追加"]],
        "苦情相談受付記録": [["受付日", "受付者", "申出者", "受付方法", "内容", "対応内容", "対応完了日", "承認者"], ["2025/6/1", "山田 太郎", "匿名", "電話", "DM停止依頼", "配信停止", "2025/6/2", "佐藤 花子"]],
        "運用の確認記録": [["確認日", "確認者", "部門", "確認項目", "結果", "是正の要否"], ["2025/6/30", "山田 太郎", "営業部", "クリアデスク、施錠", "適合", "否"]],
        "法令等一覧": [["No", "法令等の名称", "所管", "最終確認日", "改正有無", "対応"], ["L-1", "個人情報の保護に関する法律", "個人情報保護委員会", "2025/4/1", "有", "規程改訂"]],
        "廃棄記録": [["廃棄日", "対象", "媒体", "数量", "廃棄方法", "実施者", "確認者"], ["2025/6/1", "申込書", "紙", "1箱", "溶解", "山田 太郎", "佐藤 花子"]],
    }
    workbook(sheets).save(tmp_path / "台帳.xlsx")
    out = pms("import", str(tmp_path / "台帳.xlsx"), "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    (v,) = r["visitor_logs"]
    assert (v["purpose"], v["visited"], v["escort"]) == ("打合せ", "営業部", "W-1")
    (i,) = r["incidents"]
    assert (i["medium"], i["response_to_individuals"], i["secondary_damage"]) == ("電子メール", "謝罪済", "なし")
    assert "published_on" not in (i.get("notifications") or {})
    (ia,) = r["internal_audits"]
    assert ia["finding_count"] == 1
    # 監査員 and 指示事項 in one cell: one auditor (by 氏名) or action item per item of the list.
    assert ia["auditors"] == [{"person_id": "W-2"}, {"person_id": "W-1"}]
    (mr,) = r["management_reviews"]
    assert mr["attendees"] == ["W-1", "W-2"]
    assert mr["action_items"] == [{"description": "規程の見直し"}, {"description": "教育の追加"}]
    assert (mr["inputs"]["prev_followup"], mr["inputs"]["legal_changes"]) == ("報告", "改正なし")
    (c,) = r["complaints"]
    assert (c["closed_on"], c["approved_by"]) == (dt.date(2025, 6, 2), "W-2")
    (o,) = r["operational_checks"]
    assert (o["items_checked"], o["ca_needed"]) == (["クリアデスク", "施錠"], False)
    (law,) = r["legal_register"]
    assert (law["authority"], law["amended"], law["action"]) == ("個人情報保護委員会", True, "規程改訂")
    (d,) = r["disposal_records"]
    assert (d["inventory_item_id"], d["medium"], d["quantity"], d["disposed_by"], d["confirmed_by"]) == ("I-1", "紙", "1箱", "W-1", "W-2")


def test_a_document_register_row_holds_its_document_and_current_version(tmp_path: Path) -> None:
    # products.md §3.7's 文書管理台帳: one row per document with its current version (版, 制定日,
    # 改訂日, 承認者, 配布先); an earlier version kept in the 文書.版 sheet follows it.
    wb = workbook({
        "文書管理台帳": [["文書管理台帳"], [], ["文書番号", "文書名", "文書種別", "版", "制定日", "改訂日", "承認者", "保管場所", "保存期間", "配布先"], ["PMS-01", "個人情報保護方針", "規程", "3", "2019/4/1", "2025/4/1", "山田 太郎", "共有フォルダ", "永年", "総務部、営業部"]],
        "文書.版": [["文書", "版数", "承認日"], ["PMS-01", "2", "2022/4/1"]],
        "従業者名簿": [["社員番号", "氏名", "雇用区分", "入社日"], ["W-1", "山田 太郎", "役員", "2010/4/1"]],
        "組織情報": [["ID", "名称"], ["ORG", "見本株式会社"]],
        "部門": [["ID", "部門名"], ["D-1", "総務部"], ["D-2", "営業部"]],
    })
    wb.save(tmp_path / "文書.xlsx")
    out = pms("import", str(tmp_path / "文書.xlsx"), "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    (doc,) = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))["documents"]
    assert (doc["id"], doc["title"], doc["type"], doc["storage_location"], doc["retention"]) == ("PMS-01", "個人情報保護方針", "rule", "共有フォルダ", "永年")
    current, earlier = doc["versions"]
    assert (current["version"], current["enacted_date"], current["last_revised_date"], current["approved_by"], current["distributed_to"]) == ("3", dt.date(2019, 4, 1), dt.date(2025, 4, 1), "W-1", ["D-1", "D-2"])
    assert (earlier["version"], earlier["approved_on"]) == ("2", dt.date(2022, 4, 1))
    # A version's reference is located at its cell: the row's own, and the versions sheet's
    # (the second version of the document).
    wb["文書管理台帳"]["G4"] = "鈴木 一郎"
    wb["文書.版"]["D1"] = "承認者"
    wb["文書.版"]["D2"] = "W-9"
    wb.save(tmp_path / "文書.xlsx")
    out = pms("validate", str(tmp_path / "文書.xlsx"))
    assert out.returncode != 0 and "文書管理台帳!G4" in out.stderr and "文書.版!D2" in out.stderr, out.stderr


def test_an_hr_system_export_in_shift_jis_is_read(tmp_path: Path) -> None:
    # issue 12: CSV exported from a 人事 system in Shift_JIS: 所属コード and 所属名, 入社年月日 and
    # 退職年月日, and personal data no check needs (生年月日, 性別), which is never read.
    def csv(name: str, rows: list[list[str]]) -> None:
        (tmp_path / name).write_bytes("\r\n".join(",".join(r) for r in rows).encode("cp932"))

    csv("社員マスタ.csv", [["社員番号", "氏名", "フリガナ", "所属コード", "所属名", "役職", "雇用区分", "入社年月日", "退職年月日", "生年月日", "性別"],
                          ["1001", "山田 太郎", "ヤマダ タロウ", "D-1", "営業部", "部長", "正社員", "2010/04/01", "", "1975/01/01", "男"],
                          ["1002", "佐藤 花子", "サトウ ハナコ", "D-2", "総務部", "", "契約社員", "2021/04/01", "2025/03/31", "1990/02/02", "女"]])
    # A second export names the department only (所属名): read as the reference, by name.
    csv("パート名簿.csv", [["社員番号", "氏名", "所属名", "雇用区分", "入社年月日"], ["2001", "鈴木 一郎", "総務部", "パート", "2024/10/01"]])
    csv("部門マスタ.csv", [["部門コード", "部門名", "部門長"], ["D-1", "営業部", "1001"], ["D-2", "総務部", "1002"]])
    csv("組織.csv", [["ID", "名称"], ["ORG", "見本株式会社"]])
    out = pms("import", str(tmp_path), "--explain", "-o", str(tmp_path / "r.yaml"))
    assert out.returncode == 0, out.stderr
    assert "`生年月日` is personal data no check needs: passed over, not read" in out.stderr, out.stderr
    r = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    got = {w["id"]: (w["department_id"], w["start_date"], w.get("end_date")) for w in r["workforce"]}
    assert got == {"1001": ("D-1", dt.date(2010, 4, 1), None), "1002": ("D-2", dt.date(2021, 4, 1), dt.date(2025, 3, 31)), "2001": ("D-2", dt.date(2024, 10, 1), None)}
    assert all("1975" not in str(w) and "男" not in str(w) for w in r["workforce"])
    assert [d["head"] for d in r["organization"][0]["departments"]] == ["1001", "1002"]


def test_import_writes_records_that_read_back_the_same(sample: dict[str, Any], vocab: dict[str, Any], tmp_path: Path) -> None:
    write_company(sample, vocab, tmp_path / "ledgers")
    out = pms("import", str(tmp_path / "ledgers"), "-o", str(tmp_path / "records.yaml"))
    assert out.returncode == 0, out.stderr
    assert check_json(tmp_path / "records.yaml") == check_json(SAMPLE)
    again = pms("import", str(tmp_path / "records.yaml"), "-o", str(tmp_path / "again.yaml"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.yaml").read_text(encoding="utf-8") == (tmp_path / "records.yaml").read_text(encoding="utf-8")
    explained = pms("import", str(tmp_path / "ledgers"), "--explain", "-o", str(tmp_path / "x.yaml"))
    assert "(和暦)" in explained.stderr and "read as Shift_JIS" in explained.stderr, explained.stderr


# ---- malformed ledgers: each gives its code at its cell --------------------------------


def errors_of(path: Path, *extra: str) -> str:
    """The English diagnostics of `pms validate` (`--lang en`); the Japanese ones (the
    default) must have the same codes and cells."""
    out = pms("validate", str(path), "--lang", "en", *extra)
    assert out.returncode != 0, out.stdout
    ja = pms("validate", str(path), *extra)
    assert ja.returncode == out.returncode, ja.stderr

    def places(text: str) -> list[str]:
        return sorted(re.findall(r"error\[E\d{4}\]|\S+![A-Z]+\d+", text))

    assert places(ja.stderr) == places(out.stderr), ja.stderr
    return out.stderr


def workforce_sheet(tmp: Path, headers: list[str], rows: list[list[Any]], name: str = "従業者名簿.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "従業者名簿"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    p = tmp / name
    wb.save(p)
    return p


def test_unknown_header_is_located_with_a_suggestion(tmp_path: Path) -> None:
    p = workforce_sheet(tmp_path, ["社員番号", "氏命", "雇用区分", "入社日"], [["W-1", "山田", "正社員", "2025/4/1"]])
    err = errors_of(p)
    assert "error[E1002]" in err and "従業者名簿.xlsx!従業者名簿!B1" in err and "did you mean `氏名`?" in err, err


def test_two_columns_for_one_field(tmp_path: Path) -> None:
    p = workforce_sheet(tmp_path, ["社員番号", "氏名", "名前", "雇用区分", "入社日"], [["W-1", "山田", "山田", "正社員", "2025/4/1"]])
    err = errors_of(p)
    assert "error[E1032]" in err and "従業者名簿!C1" in err, err


def test_dates_that_do_not_exist(tmp_path: Path) -> None:
    p = workforce_sheet(
        tmp_path,
        ["社員番号", "氏名", "雇用区分", "入社日", "退職日"],
        [["W-1", "山田", "正社員", "令和7年2月29日", None], ["W-2", "佐藤", "派遣社員", "平成32年1月1日", "平成31年5月1日"]],
    )
    err = errors_of(p)
    for cell in ("従業者名簿!D2", "従業者名簿!D3", "従業者名簿!E3"):
        assert cell in err, err
    assert err.count("error[E1004]") == 3, err
    assert "平成 ended on 2019-04-30" in err


def test_merged_cell_inside_the_data(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "従業者名簿"
    ws.append(["社員番号", "氏名", "所属", "雇用区分", "入社日"])
    ws.append(["W-1", "山田", "D-1", "正社員", "2025/4/1"])
    ws.append(["W-2", "佐藤", None, "正社員", "2025/4/1"])
    ws.merge_cells("C2:C3")
    wb.save(tmp_path / "w.xlsx")
    err = errors_of(tmp_path / "w.xlsx")
    assert "error[E1033]" in err and "w.xlsx!従業者名簿!C2" in err, err


def test_formula_without_a_cached_value(tmp_path: Path) -> None:
    # openpyxl writes formulas without their results, as a program that never ran Excel.
    p = workforce_sheet(tmp_path, ["社員番号", "氏名", "雇用区分", "入社日"], [["W-1", "山田", "正社員", "=DATE(2025,4,1)"]])
    err = errors_of(p)
    assert "error[E1034]" in err and "従業者名簿!D2" in err, err


def test_wrong_encoding_is_named_with_its_offset(tmp_path: Path) -> None:
    p = tmp_path / "従業者.csv"
    p.write_bytes("社員番号,氏名,雇用区分,入社日\r\nW-1,山田,正社員,2025/4/1\r\n".encode("cp932"))
    err = errors_of(p, "--encoding", "utf-8")
    assert "error[E1031]" in err and "UTF-8" in err and "offset 0" in err, err
    # detected, the same file reads
    ok = pms("validate", str(p))
    assert ok.returncode != 0 or "ok:" in ok.stdout
    assert "E1031" not in ok.stderr, ok.stderr


def test_corrupt_encrypted_and_bomb_workbooks(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "壊れた台帳.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    err = errors_of(tmp_path / "a" / "壊れた台帳.xlsx")
    assert "error[E1030]" in err, err
    # An encrypted Office file is an OLE compound file, not a zip.
    (tmp_path / "b.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    err = errors_of(tmp_path / "b.xlsx")
    assert "error[E1030]" in err and "password-protected" in err, err
    # A zip bomb: the archive declares entries far larger than any ledger.
    bomb = tmp_path / "bomb.xlsx"
    workforce_sheet(tmp_path, ["社員番号", "氏名"], [["W-1", "山田"]], name="bomb.xlsx")
    data = bytearray(bomb.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into("<I", data, pos + 24, 0xFFFFFFF0)  # uncompressed size
        pos += 4
    bomb.write_bytes(bytes(data))
    with zipfile.ZipFile(bomb) as z:
        assert sum(i.file_size for i in z.infolist()) > 1 << 30
    err = errors_of(bomb)
    assert "error[E1035]" in err and "zip bomb" in err, err


def test_row_limit_bounds_what_is_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("従業者名簿")
    ws.append(["社員番号", "氏名", "雇用区分", "入社日"])
    for i in range(3000):
        ws.append([f"W-{i}", "山田", "正社員", "2025/4/1"])
    wb.save(tmp_path / "big.xlsx")
    err = errors_of(tmp_path / "big.xlsx", "--max-rows", "1000")
    assert "error[E1035]" in err and "more than 1000 rows" in err, err


def test_every_problem_of_every_sheet_is_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "従業者名簿"
    a.append(["社員番号", "氏名", "雇用区分", "入社日"])
    a.append(["W-1", "山田", "社長", "2025/4/1"])
    b = wb.create_sheet("受講者名簿")
    b.append(["ID", "受講者", "受講日", "合否"])
    b.append(["TR-1", "W-9", "2025/4/31", "たぶん"])
    wb.save(tmp_path / "台帳.xlsx")
    err = errors_of(tmp_path / "台帳.xlsx")
    for want in ("台帳.xlsx!従業者名簿!C2", "error[E1005]", "台帳.xlsx!受講者名簿!C2", "error[E1004]", "台帳.xlsx!受講者名簿!D2", "error[E1003]"):
        assert want in err, err


def test_references_across_sheets_are_checked_at_their_cell(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "従業者名簿"
    a.append(["社員番号", "氏名", "雇用区分", "入社日"])
    a.append(["W-1", "山田", "正社員", "2025/4/1"])
    b = wb.create_sheet("受講者名簿")
    b.append(["ID", "受講者", "受講日"])
    b.append(["TR-1", "W-1", "2025/4/2"])
    b.append(["TR-2", "W-2", "2025/4/2"])
    wb.save(tmp_path / "台帳.xlsx")
    err = errors_of(tmp_path / "台帳.xlsx")
    assert "error[E1008]" in err and "台帳.xlsx!受講者名簿!B3" in err, err
