"""Spreadsheets, CSV files and DataFrames as records, with errors located at their cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import pms

openpyxl = pytest.importorskip("openpyxl")


def _workbook(path: Path, start: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "従業者名簿"
    ws.append(["従業者名簿"])
    ws.append([])
    ws.append(["社員番号", "氏名", "雇用形態", "入社日"])
    ws.append(["W-1", "山田 太郎", "正社員", "令和7年4月1日"])
    ws.append(["W-2", "佐藤 花子", "パートタイマー", start])
    wb.save(path)
    return path


def test_check_and_load_read_a_workbook(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "台帳.xlsx", "R7.4.2")
    loaded = pms.load(p)
    assert loaded.counts == {"workforce": 2}
    as_dict = pms.load({"workforce": [
        {"id": "W-1", "name": "山田 太郎", "employment_type": "正社員", "start_date": "2025-04-01"},
        {"id": "W-2", "name": "佐藤 花子", "employment_type": "パート", "start_date": "2025-04-02"},
    ]})
    assert loaded.counts == as_dict.counts
    from_sheet = pms.check(p, as_of="2026-03-31")
    from_dict = pms.check(as_dict, as_of="2026-03-31")
    assert from_sheet._json == from_dict._json
    assert [f.rule_id for f in from_sheet.findings] == [f.rule_id for f in from_dict.findings]


def test_workbook_errors_are_located_at_their_cell(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "台帳.xlsx", "令和7年2月29日")
    with pytest.raises(pms.RecordsError) as e:
        pms.load(p)
    assert e.value.code == "E1004"
    assert e.value.cell == "従業者名簿!D5"
    assert e.value.file is not None and e.value.file.endswith("台帳.xlsx")


def test_dataframes_are_read_like_sheets() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "社員番号": ["W-1", "W-2"],
            "氏名": ["山田 太郎", "佐藤 花子"],
            "雇用区分": ["正社員", "派遣社員"],
            "入社日": [dt.date(2025, 4, 1), pd.NaT],
        }
    )
    with pytest.raises(pms.RecordsError) as e:
        pms.load({"workforce": df})
    assert e.value.code == "E1006"  # W-2 has no start date (required)
    assert e.value.cell == "3:3" and e.value.file == "workforce"
    df.loc[1, "入社日"] = pd.Timestamp("2025-05-01")
    org = [{"id": "ORG", "name": "見本株式会社"}]
    loaded = pms.load({"organization": org, "workforce": df})
    assert loaded.counts == {"organization": 1, "workforce": 2}
    bad = df.assign(雇用区分=["正社員", "社長"])
    with pytest.raises(pms.RecordsError) as e:
        pms.load({"従業者名簿": bad})
    assert (e.value.code, e.value.cell) == ("E1005", "C3")


def test_polars_dataframes() -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"id": ["W-1"], "name": ["山田"], "employment_type": ["正社員"], "start_date": [dt.date(2025, 4, 1)]})
    assert pms.load({"workforce": df}).counts == {"workforce": 1}
