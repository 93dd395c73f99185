"""Checked by `mypy --strict` in the test command: the stubs describe the API as used."""

import datetime
import pathlib
from typing import Any, Optional

import pms
import pms.dask

ROOT = pathlib.Path(__file__).resolve().parents[3]


def gaps_by_rule(report: pms.Report) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in report.findings:
        if f.status == "gap":
            out[f.rule_id] = out.get(f.rule_id, 0) + 1
    return out


def portfolio(rs: pms.Ruleset) -> None:
    """Type-checked, not run: a Dask cluster is the pytest suite's business."""
    frame = pms.dask.check_portfolio([ROOT / "examples/mimoto"], as_of="2026-03-31", ruleset=rs, companies_per_partition=10)
    print(frame, pms.dask.meta())


def main() -> None:
    rs = pms.Ruleset(edition="jisq15001:2017", rules=[ROOT / "examples/custom-rule/call-recordings.pms"], lang="en")
    report = rs.check(ROOT / "examples/mimoto/records.yaml", as_of=datetime.date(2026, 3, 31), params={"training_interval": "12 months"})
    print(gaps_by_rule(report), report.summary["gaps"], report.to_json()[:10])
    loaded: pms.RecordSet = pms.load(ROOT / "examples/mimoto/records.yaml")
    counts: dict[str, int] = loaded.counts
    print(len(loaded), counts, rs.check(loaded, as_of="2026-03-31", only=["R-TRN-01"]).summary)
    due: datetime.date | None = report.findings[0].due
    print(due, pms.validate({"workforce": []}), len(pms.rules()), pms.graph("mermaid")[:9], pms.schema("report")["title"])
    table = pms.check_many({"mimoto": ROOT / "examples/mimoto/records.yaml"}, as_of="2026-03-31", threads=2, output="polars")
    rows = rs.check_many([ROOT / "examples/mimoto/records.yaml"], as_of=datetime.date(2026, 3, 31), processes=None, output="rows")
    print(len(table), len(rows), pms.check_many([], ruleset=rs, lang="ja", only=["R-TRN-01"]))
    html: str = report.to_html(lang="ja")
    md: str = report.to_markdown()
    junit: str = report.to_junit("en")
    ics: str = report.to_ics()
    changes: dict[str, object] = pms.diff(report, report)
    changes_text: str = pms.diff(report, report, format="text", lang="en")
    print(len(html), len(md), len(junit), len(ics), changes["closed"], changes_text[:5], report.render("md")[:2])
    try:
        pms.check("missing.yaml", as_of="2026-03-31")
    except pms.RecordsError as e:
        line: int | None = e.line
        print(e.code, line)
    events: list[dict[str, Any]] = []
    bounded = pms.check(
        ROOT / "examples/mimoto/records.yaml", as_of="2026-03-31", max_input_size=1 << 30, progress=events.append
    )
    print(bounded.summary, len(events), pms.validate({"workforce": []}, max_input_size=0))


if __name__ == "__main__":
    main()


def formats_and_summaries(report: pms.Report) -> None:
    ar: str = report.to_oscal_ar()
    poam: str = report.to_oscal_poam("en")
    sarif: str = report.to_sarif()
    md: str = pms.summary("examples/mimoto/records.yaml", form=7, as_of="2026-03-31")
    csv_text: str = pms.summary("examples/mimoto/records.yaml", form=8, format="csv")
    xlsx: bytes = pms.summary("examples/mimoto/records.yaml", form=8, format="xlsx")
    print(ar, poam, sarif, md, csv_text, len(xlsx))


# The workbook writers: to a path, or bytes without one.
workbook: Optional[bytes] = pms.template(sample=True)
pms.template("ledgers.xlsx")
exported: Optional[bytes] = pms.export(pms.load(pms.sample_company()))
