"""pms.check_many: many companies, one findings table with a company column."""

import copy
import datetime
import pathlib
import pickle

import pytest
import yaml

import pms
from pms import _many

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "mimoto" / "records.yaml"
AS_OF = "2026-03-31"


def sample_dict():
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def variants():
    """Three companies that differ: the sample, one without its training records, one whose
    staff signed no pledge."""
    a = sample_dict()
    b = copy.deepcopy(a)
    b["training_records"] = []
    b["organization"][0]["name"] = "二番株式会社"
    c = copy.deepcopy(a)
    c["organization"][0]["name"] = "三番株式会社"
    for w in c["workforce"]:
        w.pop("pledge_signed_on", None)
    return {"見本": a, "二番": b, "三番": c}


def rows_of_report(name, report):
    """The rows check_many should give for one company, from the single report."""
    out = []
    for f in report.findings:
        out.append({
            "company": name, "id": f.id, "rule_id": f.rule_id, "status": f.status, "severity": f.severity,
            "phase": f.phase, "clause": f.clause, "subject_entity": f.subject["entity"] if f.subject else None,
            "subject_id": f.subject_id, "subject": f.subject["display"] if f.subject else None,
            "title": f.title, "message": f.message, "fix": f.fix, "due": f.due.isoformat() if f.due else None,
            "days_overdue": f.days_overdue, "caused_by": f.caused_by, "missing": ", ".join(f.missing),
            "code": None, "file": None, "line": None, "column": None, "field": None,
        })
    return out


def test_rows_are_the_findings_of_each_company_in_order():
    companies = variants()
    rows = pms.check_many(companies, as_of=AS_OF, output="rows", lang="en")
    want = []
    for name, records in companies.items():
        want.extend(rows_of_report(name, pms.check(records, as_of=AS_OF, lang="en")))
    assert rows == want
    # The companies do differ, so the table is not three copies of one report.
    gaps = {n: sum(1 for r in rows if r["company"] == n and r["status"] == "gap") for n in companies}
    assert len(set(gaps.values())) == 3, gaps


def test_threads_and_processes_give_the_same_table():
    companies = variants()
    one = pms.check_many(companies, as_of=AS_OF, threads=1, output="rows")
    assert pms.check_many(companies, as_of=AS_OF, threads=2, output="rows") == one
    assert pms.check_many(companies, as_of=AS_OF, processes=2, output="rows") == one


def test_a_bad_company_becomes_error_rows_and_the_others_are_checked(tmp_path):
    bad_date = {"workforce": [{"id": "W1", "name": "一", "employment_type": "正社員", "start_date": "2025-02-30"}]}
    odd_value = {"workforce": [{"id": "W1", "name": object(), "employment_type": "正社員", "start_date": "2025-02-01"}]}
    companies = {"good": SAMPLE, "date": bad_date, "gone": tmp_path / "nowhere", "odd": odd_value, "also good": sample_dict()}
    rows = pms.check_many(companies, as_of=AS_OF, output="rows")
    by = {n: [r for r in rows if r["company"] == n] for n in companies}
    single = rows_of_report("good", pms.check(SAMPLE, as_of=AS_OF))
    assert by["good"] == single
    assert [dict(r, company="good") for r in by["also good"]] == single
    [date] = by["date"]
    assert (date["status"], date["code"], date["file"], date["line"], date["field"]) == ("error", "E1004", "date", 1, "start_date")
    assert "2025-02-30" in date["message"] and date["fix"]
    [gone] = by["gone"]
    assert (gone["status"], gone["code"], gone["file"]) == ("error", "E1011", str(tmp_path / "nowhere"))
    [odd] = by["odd"]
    assert (odd["status"], odd["code"], odd["file"]) == ("error", "E1003", "odd")
    assert "object" in odd["message"]
    assert [r["company"] for r in rows] == sorted((r["company"] for r in rows), key=list(companies).index)


def test_companies_are_named_by_key_path_or_organization(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        d.mkdir()
        (d / "records.yaml").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    names, _ = _many.companies([a, b / "records.yaml", sample_dict(), {"workforce": []}])
    assert names == ["a", "records", "見本株式会社", "#4"]
    # Colliding names fall back to the path as given.
    names, _ = _many.companies([a / "records.yaml", b, SAMPLE])
    assert names == [str(a / "records.yaml"), "b", str(SAMPLE)]
    names, _ = _many.companies([sample_dict(), sample_dict()])
    assert names == ["見本株式会社 #1", "見本株式会社 #2"]
    assert set(pms.check_many([a, b / "records.yaml"], as_of=AS_OF, output="rows")[0]) == {c for c, _ in _many.COLUMNS}


def test_dataframes_of_entities_read_like_lists():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    records = sample_dict()
    # A table has every column on every row: empty cells are not recorded fields.
    as_pandas = {k: pd.DataFrame(v) if k in ("workforce", "training_records") else v for k, v in records.items()}
    assert as_pandas["workforce"].isna().any().any(), "the sample should leave some cells empty"
    as_polars = {k: pl.DataFrame(v) if k == "workforce" else v for k, v in records.items()}
    got = pms.check_many({"pandas": as_pandas, "polars": as_polars, "lists": records}, as_of=AS_OF, output="rows")
    by = {n: [dict(r, company="") for r in got if r["company"] == n] for n in ("pandas", "polars", "lists")}
    assert by["lists"] and by["pandas"] == by["lists"] and by["polars"] == by["lists"]
    # One company of DataFrames reads the same through pms.check.
    assert pms.check(as_pandas, as_of=AS_OF).to_json() == pms.check(records, as_of=AS_OF).to_json()


def test_tables_have_the_same_columns_and_types_with_or_without_rows():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    companies = variants()
    full = pms.check_many(companies, as_of=AS_OF)
    empty = pms.check_many({}, as_of=AS_OF)
    assert isinstance(full, pd.DataFrame) and len(full) > 0 and len(empty) == 0
    assert list(full.columns) == [c for c, _ in _many.COLUMNS]
    assert full.dtypes.to_dict() == empty.dtypes.to_dict()
    assert str(full.dtypes["due"]).startswith("datetime64") and str(full.dtypes["days_overdue"]) == "Int64"
    overdue = full[full.days_overdue > 0]
    assert len(overdue) and (overdue.due.dt.date < datetime.date(2026, 3, 31)).all()
    polars = pms.check_many(companies, as_of=AS_OF, output="polars")
    assert isinstance(polars, pl.DataFrame) and polars.schema == pms.check_many([], as_of=AS_OF, output="polars").schema
    assert polars["due"].dtype == pl.Date and polars.height == len(full)
    arrow = pms.check_many(companies, as_of=AS_OF, output="arrow")
    assert isinstance(arrow, pa.Table) and arrow.schema == pms.check_many([], as_of=AS_OF, output="arrow").schema
    assert arrow.column("company").to_pylist() == list(full.company)


def test_bad_options_raise_before_anything_is_checked():
    with pytest.raises(pms.OptionsError) as e:
        pms.check_many(variants(), as_of="2026-02-30")
    assert e.value.code == "E3001"
    with pytest.raises(pms.OptionsError) as e:
        pms.check_many(variants(), as_of=AS_OF, only=["R-TRN-1"])
    assert "R-TRN-1" in str(e.value)
    with pytest.raises(pms.OptionsError):
        pms.check_many(variants(), as_of=AS_OF, params={"no_such_parameter": 1})
    with pytest.raises(TypeError, match="many companies"):
        pms.check_many(sample_dict(), as_of=AS_OF)
    with pytest.raises(TypeError, match="company 2"):
        pms.check_many([SAMPLE, 42], as_of=AS_OF)
    with pytest.raises(ValueError, match="output"):
        pms.check_many([SAMPLE], as_of=AS_OF, output="excel")
    with pytest.raises(TypeError, match="processes"):
        pms.check_many([SAMPLE], as_of=AS_OF, processes=0)


def test_a_ruleset_with_its_own_rules_pickles_and_checks_many_the_same():
    rs = pms.Ruleset(edition="jisq15001:2017", rules=[ROOT / "examples/custom-rule/call-recordings.pms"],
                     params={"training_interval": "6 months"}, lang="en")
    companies = {"call centre": ROOT / "examples/custom-rule/records.yaml", "sample": SAMPLE}
    rows = rs.check_many(companies, as_of="2026-04-30", output="rows")
    assert any(r["rule_id"] == "X-CALL-01" for r in rows)
    again = pickle.loads(pickle.dumps(rs))
    assert again._program is pickle.loads(pickle.dumps(rs))._program, "a worker compiles a ruleset once"
    assert again.check_many(companies, as_of="2026-04-30", output="rows") == rows
    assert pms.check_many(companies, as_of="2026-04-30", ruleset=again, output="rows") == rows
