"""The OSCAL and SARIF outputs, validated by their real consumers.

The goldens under tests/golden/ are the CLI's output for the sample company (the Rust test
crates/pms-cli/tests/formats.rs keeps them equal to it). Here they are validated against the
published JSON schemas vendored in tests/schemas/ and loaded by compliance-trestle.
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import regex

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = ROOT / "tests/schemas"
GOLDEN = ROOT / "tests/golden"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def validator(schema_file):
    """A validator of the schema's draft whose `pattern` and `format: regex` use the `regex`
    module: the OSCAL schemas use Unicode classes (\\p{L}, \\p{N}) that Python's `re`
    rejects, so plain jsonschema would refuse the schema (or, without a format check,
    raise on the first token it checks)."""
    schema = load(SCHEMAS / schema_file)
    base = jsonschema.validators.validator_for(schema)
    formats = jsonschema.FormatChecker()
    formats.checks("regex", raises=regex.error)(regex.compile)
    base(base.META_SCHEMA, format_checker=formats).validate(schema)
    cls = jsonschema.validators.extend(base, {"pattern": _pattern})
    return cls(schema, format_checker=formats)


CASES = [
    ("mimoto.oscal-ar.json", "oscal_assessment-results_schema.json"),
    ("mimoto.oscal-poam.json", "oscal_poam_schema.json"),
    ("catalog.oscal.json", "oscal_catalog_schema.json"),
    ("mimoto.sarif.json", "sarif-schema-2.1.0.json"),
]


@pytest.mark.parametrize("golden,schema", CASES)
def test_golden_is_valid_against_the_published_schema(golden, schema):
    errors = sorted(validator(schema).iter_errors(load(GOLDEN / golden)), key=str)
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


OSCAL_SCHEMAS = {
    "mimoto.oscal-ar.json": ("oscal_assessment-results_schema.json", "assessment-results"),
    "mimoto.oscal-poam.json": ("oscal_poam_schema.json", "plan-of-action-and-milestones"),
    "catalog.oscal.json": ("oscal_catalog_schema.json", "catalog"),
}


@pytest.mark.parametrize("golden", sorted(OSCAL_SCHEMAS))
def test_oscal_documents_declare_the_version_of_the_schema_they_are_validated_against(golden):
    # The vendored schemas are NIST's release files of the OSCAL version pms writes: a document
    # declaring 1.1.3 is checked against the 1.1.3 schema, not a later one.
    schema_file, root = OSCAL_SCHEMAS[golden]
    schema_id = load(SCHEMAS / schema_file)["$id"]
    version = load(GOLDEN / golden)[root]["metadata"]["oscal-version"]
    assert re.fullmatch(r"http://csrc\.nist\.gov/ns/oscal/(\d+\.\d+\.\d+)/oscal-[a-z]+-schema\.json", schema_id)
    assert f"/oscal/{version}/" in schema_id, (version, schema_id)


def messages(errors):
    """Every message of the errors and of the alternatives (anyOf/oneOf) they failed."""
    for e in errors:
        yield e.message
        yield from messages(e.context)


def test_oscal_schema_patterns_are_enforced():
    # The OSCAL schemas use \p{L}-style regex classes, which Python's re does not know;
    # jsonschema must still apply them (through the `regex` module or its fallback), or an
    # invalid token would pass.
    v = validator("oscal_catalog_schema.json")
    doc = load(GOLDEN / "catalog.oscal.json")
    doc["catalog"]["groups"][0]["controls"][0]["id"] = "1 not a token"
    assert any("'1 not a token' does not match" in m for m in messages(v.iter_errors(doc)))
    doc["catalog"]["groups"][0]["controls"][0]["id"] = "R-試験-01"  # letters of any script
    assert list(v.iter_errors(doc)) == []
    doc = load(GOLDEN / "catalog.oscal.json")
    doc["catalog"]["uuid"] = "not-a-uuid"
    assert list(v.iter_errors(doc))


def test_sarif_schema_rejects_a_broken_log():
    v = validator("sarif-schema-2.1.0.json")
    doc = load(GOLDEN / "mimoto.sarif.json")
    doc["runs"][0]["results"][0]["level"] = "fatal"
    assert list(v.iter_errors(doc))


def test_trestle_loads_the_oscal_documents():
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.catalog import Catalog
    from trestle.oscal.poam import PlanOfActionAndMilestones

    ar = AssessmentResults.parse_obj(load(GOLDEN / "mimoto.oscal-ar.json")["assessment-results"])
    poam = PlanOfActionAndMilestones.parse_obj(
        load(GOLDEN / "mimoto.oscal-poam.json")["plan-of-action-and-milestones"]
    )
    cat = Catalog.parse_obj(load(GOLDEN / "catalog.oscal.json")["catalog"])
    report = load(GOLDEN / "mimoto.json")
    open_findings = [f for f in report["findings"] if f["status"] != "passed"]
    gaps = [f for f in report["findings"] if f["status"] == "gap"]
    assert len(ar.results[0].findings) == len(open_findings)
    assert len(poam.poam_items) == len(gaps)
    # Every finding targets the statement of a control the catalog has.
    statements = {
        part.id
        for group in cat.groups
        for control in group.controls
        for part in control.parts
        if part.name == "statement"
    }
    targets = {f.target.target_id for f in ar.results[0].findings}
    assert targets <= statements
    # Each POA&M item's milestone is its gap's deadline (or the evaluation date if none).
    due = {f["id"]: f["due"] or report["as_of"] for f in gaps}
    risks = {str(r.uuid): r for r in poam.risks}
    for item in poam.poam_items:
        fid = next(p.value for p in item.props if p.name == "finding-id")
        risk = risks[str(item.related_risks[0].risk_uuid)]
        task = risk.remediations[0].tasks[0]
        assert task.type.__root__ == "milestone"
        assert str(task.timing.on_date.date).startswith(due[fid])


def test_sarif_results_point_at_record_lines():
    log = load(GOLDEN / "mimoto.sarif.json")
    text = (ROOT / "examples/mimoto/records.yaml").read_text(encoding="utf-8").splitlines()
    located = 0
    for r in log["runs"][0]["results"]:
        for loc in r.get("locations", []):
            phys = loc.get("physicalLocation")
            if not phys:
                continue
            assert phys["artifactLocation"]["uri"] == "examples/mimoto/records.yaml"
            line = text[phys["region"]["startLine"] - 1]
            rid = loc["logicalLocations"][0]["name"]
            assert re.search(r"\bid: " + re.escape(rid) + r"\b", line), (rid, line)
            located += 1
    assert located > 0


# Python's report and summaries: the same documents as the CLI's goldens.
SAMPLE = ROOT / "examples/mimoto/records.yaml"


@pytest.fixture(scope="module")
def report():
    import pms

    return pms.check(SAMPLE, as_of="2026-03-31")


def test_python_oscal_equals_the_cli_goldens(report):
    assert json.loads(report.to_oscal_ar()) == load(GOLDEN / "mimoto.oscal-ar.json")
    assert json.loads(report.to_oscal_poam()) == load(GOLDEN / "mimoto.oscal-poam.json")


def test_python_sarif_locates_findings_in_the_file_checked(report):
    log = json.loads(report.to_sarif())
    assert list(validator("sarif-schema-2.1.0.json").iter_errors(log)) == []
    golden = load(GOLDEN / "mimoto.sarif.json")
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    ours = log["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in ours] == [r["partialFingerprints"] for r in golden["runs"][0]["results"]]
    located = [r for r in ours if "physicalLocation" in r.get("locations", [{}])[0]]
    assert located
    for r in located:
        loc = r["locations"][0]
        assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("examples/mimoto/records.yaml")
        line = lines[loc["physicalLocation"]["region"]["startLine"] - 1]
        assert f"id: {loc['logicalLocations'][0]['name']}" in line


@pytest.mark.parametrize("form", [7, 8])
def test_python_summary_equals_the_cli_goldens(form):
    import pms

    for fmt in ("md", "csv"):
        got = pms.summary(SAMPLE, form=form, as_of="2026-03-31", format=fmt)
        assert got == (GOLDEN / f"mimoto.form{form}.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("form", [7, 8])
def test_xlsx_summary_read_back_by_openpyxl_has_the_rows_of_the_csv(form, tmp_path):
    import csv
    import io

    import openpyxl
    import pms

    data = pms.summary(SAMPLE, form=form, as_of="2026-03-31", format="xlsx")
    assert isinstance(data, bytes)
    path = tmp_path / "summary.xlsx"
    path.write_bytes(data)
    book = openpyxl.load_workbook(path)
    # The CSV golden holds the heading, then per table: an empty row, its name, its header
    # row and its rows; the workbook has one sheet per table: the heading, header, rows.
    rows = list(csv.reader(io.StringIO((GOLDEN / f"mimoto.form{form}.csv").read_text(encoding="utf-8"))))
    heading, rest = rows[0][0], rows[1:]
    tables = []
    for row in rest:
        if row in ([], [""]):
            tables.append([])
        else:
            tables[-1].append(row)
    assert [t[0][0] for t in tables] == book.sheetnames
    for t in tables:
        sheet = book[t[0][0]]
        cells = [["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)]
        assert cells[0][0] == heading
        body = [r[: len(t[1])] for r in cells[1:]]
        assert body == t[1:], sheet.title
    first = book[book.sheetnames[0]]
    assert first.freeze_panes == "A3"
    assert first.cell(row=2, column=1).font.bold


def test_summary_shows_missing_records_as_gaps():
    import pms

    md = pms.summary({"organization": [{"id": "ORG", "name": "空株式会社"}]}, form=8, as_of="2026-03-31")
    assert "記録なし（R-AUD-01）" in md and "記録なし（R-MR-01）" in md
    with pytest.raises(TypeError):
        pms.summary(SAMPLE, form=9)
    with pytest.raises(pms.OptionsError) as e:
        pms.summary(SAMPLE, form=7, as_of="2026-03-31", format="pdf")
    assert e.value.code == "E3020"
