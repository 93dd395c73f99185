"""Hostile input through Python: coded pms errors, never a crash, also on a small thread stack."""

import os
import pathlib
import subprocess
import sys
import threading

import pytest

import pms

ROOT = pathlib.Path(__file__).resolve().parents[3]

RULE = """rule R-X-99 {{
  title ja "例" en "example"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  require {expr}
  message ja "x" en "x"
  fix ja "x" en "x"
}}
"""

DEEP = {
    "not": "not " * 10_000 + "true",
    "plus": "1 + " * 10_000 + "1 > 0",
    "and": "true" + " and true" * 10_000,
    "coalesce": "true" + " ?? true" * 10_000,
    "if": "if true then true else " * 5_000 + "true",
    "parens": "(" * 2_000 + "true" + ")" * 2_000,
}


def _in_small_thread(fn):
    """Runs fn on a thread with a 1 MiB stack (smaller than Python's default) and returns
    what it returned or raised."""
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            out["error"] = e

    old = threading.stack_size(1 << 20)
    try:
        t = threading.Thread(target=run)
        t.start()
        t.join()
    finally:
        threading.stack_size(old)
    return out


@pytest.mark.parametrize("what", sorted(DEEP))
def test_deep_rule_expressions_are_rules_errors_in_a_thread(what):
    out = _in_small_thread(lambda: pms.Ruleset(rules=[RULE.format(expr=DEEP[what])]))
    e = out.get("error")
    assert isinstance(e, pms.RulesError), out
    assert e.code == "E2014" and e.line == 9


def test_deep_records_are_records_errors():
    deep_yaml = "workforce:\n  " + "- " * 25_000 + "x\n"
    out = _in_small_thread(lambda: pms.validate(deep_yaml))
    assert isinstance(out.get("error"), pms.RecordsError) and out["error"].code == "E1022", out
    deep_json = '{"workforce": [{"id": "W-1", "name": ' + "[" * 10_000 + "]" * 10_000 + "}]}"
    with pytest.raises(pms.RecordsError):
        pms.validate(deep_json)


def test_an_internal_error_is_an_internal_error_of_pms_and_pms_stays_usable():
    # In a child process, so that the hook's environment variable stays there.
    code = (
        "import pms\n"
        "try:\n"
        "    pms.check(pms.sample_company(), as_of='2026-03-31')\n"
        "except pms.InternalError as e:\n"
        "    assert e.code == 'E9001', e.code\n"
        "    assert 'yaml records given as text' in e.message, e.message\n"
        "    print('caught')\n"
    )
    env = dict(os.environ, PMS_INTERNAL_TEST_PANIC="1")
    env.pop("RUST_BACKTRACE", None)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "caught"
    assert issubclass(pms.InternalError, pms.PmsError)
    # Without the hook, the same call works.
    assert pms.check(pms.sample_company(), as_of="2026-03-31").summary["gaps"] > 0


def test_an_internal_error_in_one_company_of_check_many_is_its_error_row_only():
    # The hook panics only for the record set holding W-PANIC: the second company.
    code = (
        "import pathlib, pms\n"
        f"root = pathlib.Path({str(ROOT)!r})\n"
        "companies = {'sample': root / 'examples/mimoto/records.yaml',\n"
        "             'tiny': {'workforce': [{'id': 'W-PANIC', 'name': '甲', 'employment_type': '役員',\n"
        "                                    'start_date': '2010-04-01'}]},\n"
        "             'clean': root / 'examples/clean/records.yaml'}\n"
        "rows = pms.check_many(companies, as_of='2026-03-31', output='rows', threads=2)\n"
        "bad = [r for r in rows if r['company'] == 'tiny']\n"
        "assert len(bad) == 1, bad\n"
        "assert bad[0]['status'] == 'error' and bad[0]['code'] == 'E9001', bad[0]\n"
        "assert 'company 2 of 3' in bad[0]['message'], bad[0]['message']\n"
        "gaps = [r for r in rows if r['company'] == 'sample' and r['status'] == 'gap']\n"
        "assert len(gaps) == len(pms.check(companies['sample'], as_of='2026-03-31').gaps) > 0\n"
        "assert not [r for r in rows if r['status'] == 'error' and r['company'] != 'tiny']\n"
        "print('caught')\n"
    )
    env = dict(os.environ, PMS_INTERNAL_TEST_PANIC="id:W-PANIC")
    env.pop("RUST_BACKTRACE", None)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "caught"


def test_a_rule_file_not_in_utf8_is_a_rules_error_naming_its_encoding(tmp_path):
    path = tmp_path / "sjis.pms"
    path.write_bytes('# 社員の規則\n'.encode("shift_jis"))
    with pytest.raises(pms.RulesError) as e:
        pms.Ruleset(rules=[str(path)])
    assert e.value.code == "E1023"
    assert "Shift_JIS" in e.value.message and "offset 2" in e.value.message
    utf16 = tmp_path / "utf16.pms"
    utf16.write_bytes("# rules\n".encode("utf-16"))
    with pytest.raises(pms.RulesError) as e:
        pms.Ruleset(rules=[utf16])
    assert e.value.code == "E1023" and "UTF-16" in e.value.message


def test_text_is_not_taken_for_a_path():
    # A JSON string and YAML with CR line ends are records text, not file names.
    with pytest.raises(pms.RecordsError) as e:
        pms.validate('"hello"')
    assert e.value.code != "E1011", e.value
    counts = pms.validate("workforce:\r  - id: W-1\r    name: 甲\r    employment_type: 役員\r    start_date: 2020-04-01\r")
    assert counts == {"workforce": 1}
