"""Checked by `mypy --strict` in the test command: the stubs describe the API as used."""

import datetime
import pathlib
from typing import Any, Optional

import pms

ROOT = pathlib.Path(__file__).resolve().parents[3]


def gaps_by_rule(report: pms.Report) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in report.findings:
        if f.status == "gap":
            out[f.rule_id] = out.get(f.rule_id, 0) + 1
    return out


def main() -> None:
    rs = pms.Ruleset(edition="jisq15001:2017", rules=[ROOT / "examples/custom-rule/call-recordings.pms"], lang="en")
    report = rs.check(ROOT / "examples/mimoto/records.yaml", as_of=datetime.date(2026, 3, 31), params={"training_interval": "12 months"})
    print(gaps_by_rule(report), report.summary["gaps"], report.to_json()[:10])
    loaded: pms.RecordSet = pms.load(ROOT / "examples/mimoto/records.yaml")
    counts: dict[str, int] = loaded.counts
    print(len(loaded), counts, rs.check(loaded, as_of="2026-03-31", only=["R-TRN-01"]).summary)
    due: datetime.date | None = report.findings[0].due
    print(due, pms.validate({"workforce": []}), len(pms.rules()), pms.graph("mermaid")[:9], pms.schema("report")["title"])
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

# The workbook writers: to a path, or bytes without one.
workbook: Optional[bytes] = pms.template(sample=True)
pms.template("ledgers.xlsx")
exported: Optional[bytes] = pms.export(pms.load(pms.sample_company()))
