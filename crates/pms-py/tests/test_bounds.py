"""What the Python package reads (regular files only, within max_input_size) and the progress
callback of long loads and checks."""

import os
import pathlib
import threading

import pytest

import pms

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "mimoto" / "records.yaml"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_devices_are_refused_for_records_and_rules():
    with pytest.raises(pms.RecordsError) as e:
        pms.check("/dev/zero", as_of="2026-03-31")
    assert e.value.code == "E1020" and "character device" in str(e.value)
    with pytest.raises(pms.RulesError) as e:
        pms.Ruleset(rules="/dev/zero")
    assert e.value.code == "E1020"


def test_a_fifo_in_a_records_directory_is_named_not_opened(tmp_path):
    os.mkfifo(tmp_path / "workforce.yaml")
    with pytest.raises(pms.RecordsError) as e:
        pms.validate(tmp_path)
    assert e.value.code == "E1020" and "FIFO" in str(e.value)


def test_max_input_size_bounds_files_texts_and_rule_files():
    size = SAMPLE.stat().st_size
    with pytest.raises(pms.RecordsError) as e:
        pms.load(SAMPLE, max_input_size=size - 1)
    assert e.value.code == "E1021"
    assert len(pms.load(SAMPLE, max_input_size=size)) > 0
    assert len(pms.load(SAMPLE, max_input_size=0)) > 0  # 0: no limit
    text = SAMPLE.read_text(encoding="utf-8")
    with pytest.raises(pms.RecordsError) as e:
        pms.validate(text, max_input_size=100)
    assert e.value.code == "E1021"
    with pytest.raises(pms.RecordsError):
        pms.check(SAMPLE, as_of="2026-03-31", max_input_size=100)
    with pytest.raises(pms.RulesError) as e:
        pms.Ruleset(rules=ROOT / "examples/custom-rule/call-recordings.pms", max_input_size=100)
    assert e.value.code == "E1021"
    for bad in (-1, 1.5, "1GiB", True):
        with pytest.raises(TypeError):
            pms.load(SAMPLE, max_input_size=bad)


def test_progress_reports_files_and_rules_and_leaves_the_report_alone(tmp_path):
    (tmp_path / "workforce.yaml").write_text("[]\n", encoding="utf-8")
    events = []
    lock = threading.Lock()

    def seen(e):
        with lock:
            events.append(e)

    pms.load(tmp_path, progress=seen)
    assert events[0] == {"event": "reading", "file": str(tmp_path / "workforce.yaml"), "index": 1, "count": 1, "bytes": 3}
    assert events[-1] == {"event": "records", "loaded": 0}
    events.clear()
    with_progress = pms.check(SAMPLE, as_of="2026-03-31", progress=seen)
    rules = [e for e in events if e["event"] == "rules"]
    assert rules and rules[-1]["done"] == rules[-1]["total"] == len(rules)
    assert with_progress.to_json() == pms.check(SAMPLE, as_of="2026-03-31").to_json()
    with pytest.raises(TypeError):
        pms.check(SAMPLE, as_of="2026-03-31", progress="print")


def test_an_exception_in_the_progress_callback_does_not_stop_the_check():
    def boom(e):
        raise RuntimeError("callback failed")

    unraisable = []
    import sys

    old = sys.unraisablehook
    sys.unraisablehook = lambda u: unraisable.append(u.exc_value)
    try:
        report = pms.check(SAMPLE, as_of="2026-03-31", progress=boom)
    finally:
        sys.unraisablehook = old
    assert report.gaps
    assert unraisable and isinstance(unraisable[0], RuntimeError)
