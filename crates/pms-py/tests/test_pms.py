"""pytest suite of the Python binding: conformance, errors, threads, pickling, notebook."""

import concurrent.futures
import datetime
import json
import pathlib
import pickle
import resource
import threading

import pytest
import yaml

import pms

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "mimoto" / "records.yaml"
# The number of gaps of the sample company, from the Rust golden report.
GAPS = json.loads((ROOT / "tests/golden/mimoto.json").read_text(encoding="utf-8"))["summary"]["gaps"]


def test_sample_report_is_byte_identical_to_the_rust_golden_file():
    r = pms.check(SAMPLE, as_of="2026-03-31")
    assert r.to_json() == (ROOT / "tests/golden/mimoto.json").read_text(encoding="utf-8")
    # The embedded copy, a dict and a date object give the same report.
    as_dict = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    assert pms.check(as_dict, as_of=datetime.date(2026, 3, 31)).to_json() == r.to_json()
    assert pms.check(pms.sample_company(), as_of="2026-03-31").to_json() == r.to_json()
    assert pms.check(json.dumps(as_dict, default=str), as_of="2026-03-31").to_json() == r.to_json()


def test_report_objects():
    r = pms.check(SAMPLE, as_of="2026-03-31", lang="en")
    assert r.organization == "見本株式会社"
    assert r.as_of == datetime.date(2026, 3, 31)
    f = next(f for f in r.findings if f.id == "R-CA-03:CA-2025-02")
    assert f.status == "gap" and f.overdue and f.days_overdue == 31
    assert f.due == datetime.date(2026, 2, 28)
    assert f.message.startswith("corrective action CA-2025-02")
    assert isinstance(f, pms.Finding)
    assert r.summary["gaps"] == len(r.gaps) == GAPS
    assert [d["due"] for d in r.deadlines] == sorted(d["due"] for d in r.deadlines)
    assert f"{GAPS} gaps" in repr(r)
    html = r._repr_html_()
    assert "<table>" in html and "R-TRN-01" in html and "池田 優子" in html
    assert r.to_dict()["summary"] == r.summary


def test_pandas_frame():
    pd = pytest.importorskip("pandas")
    df = pms.check(SAMPLE, as_of="2026-03-31").to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert set(df[df.status == "gap"].rule_id) >= {"R-TRN-01", "R-CA-01"}


def _conformance_cases():
    for path in sorted((ROOT / "tests" / "conformance").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(doc["cases"]):
            golden = ROOT / "tests" / "golden" / "conformance" / f"{path.stem}.{index}.json"
            yield pytest.param(case, golden, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("case,golden", list(_conformance_cases()))
def test_conformance_case(case, golden):
    params = {k: str(v) for k, v in (case.get("params") or {}).items()}
    r = pms.check(case["records"], as_of=str(case["as_of"]), params=params)
    assert r.to_json() == golden.read_text(encoding="utf-8"), "the report differs from the Rust run"
    got = sorted(
        [f.rule_id, f.subject_id or "*", f.status]
        for f in r.findings
        if f.rule_id in case["rules"] and f.status != "passed"
    )
    want = sorted([str(x) for x in e] for e in case.get("expect") or [])
    assert got == want


def test_record_errors_carry_their_location():
    with pytest.raises(pms.RecordsError) as e:
        pms.validate(ROOT / "tests/diagnostics/E1004-bad-date.yaml")
    err = e.value
    assert (err.code, err.line, err.column, err.field) == ("E1004", 5, 17, "start_date")
    assert err.file.endswith("E1004-bad-date.yaml")
    assert "`2023-02-29` is not a valid date" in str(err)
    # The Japanese texts beside the English ones, the code and place the same.
    assert "`2023-02-29`" in err.message_ja and "存在する日付ではない" in err.message_ja
    assert err.help_ja.startswith("実在する日付を")
    assert "[E1004]" in err.text("ja") and "E1004-bad-date.yaml:5:17" in err.text("ja")
    assert "存在する日付ではない" in err.text("ja") and err.text("en") == str(err)
    assert all(d.get("message_ja") for d in err.diagnostics)
    with pytest.raises(pms.RecordsError) as e:
        pms.check({"workforce": [{"id": "W-1", "name": "甲", "employment_type": "正社員", "start_date": "2020-01-01", "strat": 1}]}, as_of="2025-01-01")
    assert e.value.code == "E1002" and e.value.pointer == "/workforce/0/strat"
    with pytest.raises(pms.RecordsError) as e:
        pms.check("/no/such/file.yaml")
    assert e.value.code == "E1011"


def test_rule_and_option_errors():
    with pytest.raises(pms.RulesError) as e:
        pms.Ruleset(rules=[ROOT / "tests/diagnostics/E2003-unknown-field.pms"])
    assert e.value.code == "E2003" and e.value.line == 9 and "did you mean `start_date`?" in e.value.help
    with pytest.raises(pms.OptionsError) as e:
        pms.check(SAMPLE, as_of="2026-02-30")
    assert e.value.code == "E3001"
    with pytest.raises(pms.OptionsError) as e:
        pms.check(SAMPLE, as_of="2026-03-31", params={"training_interval": "soon"})
    assert e.value.code == "E2012"
    with pytest.raises(pms.OptionsError):
        pms.check(SAMPLE, as_of="2026-03-31", edition="jisq15001:2018")
    with pytest.raises(pms.OptionsError):
        pms.graph("svg")


def test_bad_argument_types_raise_type_error():
    with pytest.raises(TypeError, match="records must be"):
        pms.check(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="as_of"):
        pms.check(SAMPLE, as_of=20260331)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="params"):
        pms.check(SAMPLE, params=["x"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rules"):
        pms.Ruleset(rules=[3])  # type: ignore[list-item]


def test_user_rules_and_parameters():
    rs = pms.Ruleset(rules=ROOT / "examples/custom-rule/call-recordings.pms")
    path = ROOT / "examples/custom-rule/records.yaml"
    only = ["X-CALL-01", "X-CALL-02"]

    def gaps(as_of, **kw):
        return [f.subject_id for f in rs.check(path, as_of=as_of, only=only, **kw).gaps]

    # Exactly 92 days passes, the 93rd day is a gap; an extension counts while valid.
    assert gaps("2026-04-30") == ["INV-CALL-C", "DP-2"]
    assert gaps("2026-05-01") == ["INV-CALL-A", "INV-CALL-C", "DP-2"]
    assert gaps("2026-03-31") == ["DP-2"]
    assert gaps("2026-04-30", params={"call_recording_days": 160}) == ["DP-2"]
    assert any(x["id"] == "X-CALL-01" for x in rs.rules())
    # Records carrying extension fields load with the ruleset that declares them, once.
    loaded = rs.load(path)
    assert [f.subject_id for f in rs.check(loaded, as_of="2026-04-30", only=only).gaps] == ["INV-CALL-C", "DP-2"]
    assert len(pms.load(path, ruleset=rs)) == len(loaded)
    with pytest.raises(pms.RecordsError) as e:
        pms.load(path)
    assert e.value.code == "E1002" and "retention_days" in str(e.value)


def test_catalogue_graph_schema():
    cat = pms.rules(edition="jisq15001:2017")
    trn = next(x for x in cat if x["id"] == "R-TRN-01")
    assert trn["clause"] == "A.3.4.5" and trn["shishin"] == "J.4.3"
    assert pms.graph("mermaid").startswith("flowchart LR")
    assert pms.schema("report")["title"] == "Report"


def test_threads_share_a_ruleset_and_get_the_same_answer():
    rs = pms.Ruleset()
    expected = rs.check(SAMPLE, as_of="2026-03-31").to_json()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
        results = list(ex.map(lambda _: rs.check(SAMPLE, as_of="2026-03-31").to_json(), range(16)))
    assert all(r == expected for r in results)


def _big_company(copies: int):
    base = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    workforce, records = list(base["workforce"]), list(base["training_records"])
    for n in range(1, copies):
        for w in workforce:
            base["workforce"].append(dict(w, id=f"{w['id']}~{n}"))
        for r in records:
            base["training_records"].append(dict(r, id=f"{r['id']}~{n}", person_id=f"{r['person_id']}~{n}"))
    return json.dumps(base, default=str)


def test_the_gil_is_released_during_evaluation():
    # While the engine evaluates a large company, another Python thread keeps running.
    rs = pms.Ruleset()
    big = _big_company(150)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)

    t = threading.Thread(target=ticker)
    t.start()
    before = len(ticks)
    rs._program.check("json", big, ("2026-03-31", pms.DEFAULT_EDITION, "ja", [], False, [], 1))
    during = len(ticks) - before
    stop.set()
    t.join()
    assert during > 1000, f"the other thread ran only {during} times during evaluation"


def test_ruleset_pickles_and_works_in_processes():
    rs = pms.Ruleset(rules=[ROOT / "examples/custom-rule/call-recordings.pms"], lang="en")
    clone = pickle.loads(pickle.dumps(rs))
    assert clone.lang == "en"
    a = rs.check(ROOT / "examples/custom-rule/records.yaml", as_of="2026-04-30").to_json()
    assert clone.check(ROOT / "examples/custom-rule/records.yaml", as_of="2026-04-30").to_json() == a
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:
        out = list(ex.map(_check_in_process, [rs, rs]))
    assert out == [a, a]


def _check_in_process(rs):
    return rs.check(ROOT / "examples/custom-rule/records.yaml", as_of="2026-04-30").to_json()


def test_repeated_calls_do_not_leak():
    rs = pms.Ruleset()
    for _ in range(50):
        rs.check(SAMPLE, as_of="2026-03-31")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(300):
        rs.check(SAMPLE, as_of="2026-03-31")
        try:
            pms.validate(ROOT / "tests/diagnostics/E1002-unknown-field.yaml")
        except pms.RecordsError:
            pass
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert after - before < 20_000, f"max RSS grew by {after - before} KiB"


def test_report_matches_its_published_schema():
    jsonschema = pytest.importorskip("jsonschema")
    r = pms.check(SAMPLE, as_of="2026-03-31")
    jsonschema.validate(r.to_dict(), pms.schema("report"))
    jsonschema.validate(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")), json.loads(json.dumps(pms.schema("records"))), format_checker=None)


def test_quickstart_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(ROOT / "examples/notebooks/quickstart.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "examples/notebooks")}}).execute()
    outputs = {}
    for cell in nb.cells:
        tag = (cell.get("metadata", {}).get("tags") or [None])[0]
        if tag:
            outputs[tag] = cell.outputs
    text = lambda outs: "".join(o.get("text", "") + "".join(o.get("data", {}).get("text/plain", "")) for o in outs)
    assert f"{GAPS} gaps" in text(outputs["report"])
    assert "text/html" in outputs["table"][0]["data"] and "R-TRN-01" in outputs["table"][0]["data"]["text/html"]
    assert any("image/png" in o.get("data", {}) for o in outputs["chart"])
    overdue = text(outputs["overdue"])
    assert "CA-2025-02" in overdue and "W-021" in overdue


def test_polars_frame():
    pl = pytest.importorskip("polars")
    df = pms.check(SAMPLE, as_of="2026-03-31").to_polars()
    assert isinstance(df, pl.DataFrame)
    assert df.filter(pl.col("status") == "gap").height == GAPS


def test_a_loaded_record_set_is_checked_many_times():
    records = pms.load(SAMPLE)
    assert isinstance(records, pms.RecordSet)
    assert records.counts["workforce"] == len(yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["workforce"])
    assert len(records) == sum(records.counts.values())
    golden = (ROOT / "tests/golden/mimoto.json").read_text(encoding="utf-8")
    assert pms.check(records, as_of="2026-03-31").to_json() == golden
    # The same loaded set at another date, by another ruleset, gives what a fresh load gives.
    rs = pms.Ruleset(edition="jisq15001:2017")
    later = rs.check(records, as_of="2026-09-30")
    assert later.to_json() == rs.check(SAMPLE, as_of="2026-09-30").to_json()
    assert later.to_json() != golden
    with pytest.raises(pms.RecordsError) as e:
        pms.load({"workforce": [{"id": "W-1"}]})
    assert e.value.code == "E1006"


def test_only_limits_the_check_to_the_named_rules():
    r = pms.check(SAMPLE, as_of="2026-03-31", only=["R-TRN-01", "R-CA-03"])
    assert {c["rule_id"] for c in r.coverage} == {"R-TRN-01", "R-CA-03"}
    assert {f.rule_id for f in r.gaps} == {"R-TRN-01", "R-CA-03"}
    full = pms.check(SAMPLE, as_of="2026-03-31")
    assert [f.id for f in r.gaps] == [f.id for f in full.gaps if f.rule_id in ("R-TRN-01", "R-CA-03")]
    with pytest.raises(pms.OptionsError) as e:
        pms.check(SAMPLE, as_of="2026-03-31", only=["R-TRN-1"])
    assert e.value.code == "E3001" and "R-TRN-01" in (e.value.help or "")
    with pytest.raises(TypeError):
        pms.check(SAMPLE, as_of="2026-03-31", only=[1])  # type: ignore[list-item]


def test_threads_do_not_change_the_report():
    one = pms.check(SAMPLE, as_of="2026-03-31", include_passed=True, threads=1).to_json()
    loaded = pms.load(SAMPLE)
    for n in (2, 4):
        assert pms.check(SAMPLE, as_of="2026-03-31", include_passed=True, threads=n).to_json() == one
        assert pms.Ruleset().check(loaded, as_of="2026-03-31", include_passed=True, threads=n).to_json() == one
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(TypeError):
            pms.check(SAMPLE, as_of="2026-03-31", threads=bad)  # type: ignore[arg-type]


def test_a_record_the_rule_cannot_decide_is_listed_with_the_missing_fields():
    rs = pms.Ruleset(rules=ROOT / "tests/undetermined/rules.pms")
    r = rs.check(ROOT / "tests/undetermined/records.yaml", as_of="2025-06-30", only=["X-UNK-01"])
    undecided = [f for f in r.findings if f.status == "insufficient_data"]
    assert [(f.subject_id, f.missing) for f in undecided] == [("S2", ["audience"])]
    # the Japanese message names the field by its label; `missing` keeps the field names
    assert "対象者" in undecided[0].message and "audience" not in undecided[0].message
    assert all(f.subject_id != "S3" for f in r.findings)
    assert r.to_pandas()["missing"].tolist() == ["audience"]


def test_an_empty_rule_list_is_an_error_as_on_every_host():
    with pytest.raises(pms.OptionsError) as e:
        pms.check(SAMPLE, as_of="2026-03-31", only=[])
    assert e.value.code == "E3001" and "names no rule" in str(e.value)


def test_template_and_export_write_the_workbook_the_cli_writes(tmp_path):
    import zipfile

    root = pathlib.Path(__file__).resolve().parents[3]
    checked_in = (root / "examples/mimoto/ledgers.xlsx").read_bytes()
    # The sample workbook: to a file, as bytes, and by exporting the sample's records (as
    # text, as a path and loaded once) — all the workbook checked in beside the YAML.
    pms.template(tmp_path / "sample.xlsx", sample=True)
    assert (tmp_path / "sample.xlsx").read_bytes() == checked_in
    assert pms.template(sample=True) == checked_in
    assert pms.export(pms.sample_company()) == checked_in
    assert pms.export(str(root / "examples/mimoto/records.yaml")) == checked_in
    assert pms.export(pms.load(pms.sample_company())) == checked_in
    # The empty template: the instructions first, then one sheet per ledger.
    empty = pms.template()
    assert isinstance(empty, bytes) and empty != checked_in
    pms.template(str(tmp_path / "empty.xlsx"))
    with zipfile.ZipFile(tmp_path / "empty.xlsx") as z:
        book = z.read("xl/workbook.xml").decode()
    assert book.index("記入方法 (how to fill)") < book.index("教育実施 (training_sessions)")
    # Invalid records: RecordsError with the location, nothing written.
    with pytest.raises(pms.RecordsError) as e:
        pms.export({"workforce": [{"id": "E1", "name": "山田", "employment_type": "正社員", "start_date": "2025-02-30"}]},
                   tmp_path / "bad.xlsx")
    assert e.value.code == "E1004"
    assert not (tmp_path / "bad.xlsx").exists()
    with pytest.raises(TypeError):
        pms.template(tmp_path / "x.xlsx", sample="yes")
