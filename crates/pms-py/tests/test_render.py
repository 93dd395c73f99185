"""Report formats from Python, read back by their real consumers: junitparser for JUnit XML,
icalendar for iCalendar; and the difference between two checks."""

import datetime
import json
import pathlib

import icalendar
import junitparser
import pytest

import pms

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def report() -> pms.Report:
    return pms.check(ROOT / "examples/mimoto/records.yaml", as_of="2026-03-31")


def test_junit_is_read_by_junitparser_with_one_failure_per_gap(report, tmp_path):
    path = tmp_path / "pms.xml"
    path.write_text(report.to_junit(lang="en"), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = list(xml)
    # One suite per rule of the check, one case per rule and subject.
    assert len(suites) == report.summary["rules"]
    failures = []
    skipped = 0
    cases = 0
    for suite in suites:
        for case in suite:
            cases += 1
            for r in case.result:
                if isinstance(r, junitparser.Failure):
                    failures.append((case.classname, case.name, r.type, r.message))
                elif isinstance(r, junitparser.Skipped):
                    skipped += 1
    assert len(failures) == report.summary["gaps"]
    gap_ids = {(f"pms.{f.rule_id}", f.severity) for f in report.gaps}
    assert {(c, t) for c, _, t, _ in failures} == gap_ids
    trn = next(f for f in failures if f[0] == "pms.R-TRN-01")
    assert trn[1].startswith("W-021")
    assert cases >= len(report.findings)
    # The failure's text carries the clause, the records involved and the fix.
    suite = next(s for s in suites if s.name.startswith("R-TRN-01 "))
    case = next(c for c in suite if c.name.startswith("W-021"))
    body = case.result[0].text
    assert "7.3" in body and "J.4.3" in body and "training_records:TR-0040" in body and "→ " in body


def test_ics_is_read_by_icalendar_with_stable_uids_and_alarms(report):
    cal = icalendar.Calendar.from_ical(report.to_ics())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(report.deadlines)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    renewal = next(e for e in events if "R-CRT-02" in str(e["SUMMARY"]))
    # The renewal window spans its first to its last day (DTEND is exclusive).
    assert renewal.decoded("DTSTART") == datetime.date(2026, 1, 30)
    assert renewal.decoded("DTEND") == datetime.date(2026, 6, 2)
    assert len(list(renewal.walk("VALARM"))) == 2
    passed = next(e for e in events if "R-TRN-01" in str(e["SUMMARY"]))
    assert list(passed.walk("VALARM")) == []
    # Japanese text survives folding and escaping.
    obj = next(e for e in events if "OBJ-2025-1" in str(e["SUMMARY"]))
    assert "事故件数をゼロにする（誤送信対策）" in str(obj["SUMMARY"])
    assert "\n→ " in str(obj["DESCRIPTION"])
    # A later check gives the same UIDs to the same deadlines: re-importing updates them.
    later = pms.check(ROOT / "examples/mimoto/records.yaml", as_of="2026-04-10")
    later_events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(later.to_ics()).walk("VEVENT")}
    common = set(uids) & set(later_events)
    assert any("R-CRT-02" in u for u in common)
    for u in common:
        assert int(later_events[u]["SEQUENCE"]) > int(next(e for e in events if str(e["UID"]) == u)["SEQUENCE"])


def test_html_and_markdown_in_both_languages(report):
    ja = report.to_html()
    en = report.to_html(lang="en")
    assert ja.startswith("<!DOCTYPE html>") and '<html lang="ja">' in ja and "不備（根本原因別）" in ja
    assert '<html lang="en">' in en and "Findings by department" in en
    md = report.to_markdown(lang="en")
    assert md.startswith("# Privacy Mark records check")
    assert report.render("md", "en").decode() == md
    with pytest.raises(pms.OptionsError) as e:
        report.render("htm")
    assert e.value.code == "E3020"


def test_diff_between_checks(report, tmp_path):
    later = pms.check(ROOT / "examples/mimoto/records.yaml", as_of="2026-05-20")
    d = pms.diff(report, later)
    assert "R-TRN-02:W-031" in [c["finding_id"] for c in d["new"]]
    assert d["before"]["gaps"] == report.summary["gaps"]
    saved = tmp_path / "before.json"
    saved.write_text(report.to_json(), encoding="utf-8")
    assert pms.diff(saved, later) == d == report.diff(later)
    text = pms.diff(later, report, format="text", lang="en")
    assert text.startswith("Comparison of checks 2026-05-20 → 2026-03-31")
    assert json.loads(json.dumps(d))["closed"] == []
