"""Runs one hostile case through the Python package (called by scripts/hostile.py in a process
of its own). Prints one JSON line: {"ok": true}, {"codes": [...]} for a pms error, or
{"exception": "..."} for anything else (which fails the case)."""

import json
import pathlib
import sys

import pms

case = json.loads(sys.argv[1])
o = case.get("options", {})
records = case["records_text"] if "records_text" in case else pathlib.Path(case["records_path"])
rules = None
if "rules_text" in case:
    rules = [case["rules_text"]]
elif "rules_path" in case:
    rules = [pathlib.Path(case["rules_path"])]
try:
    if case.get("command") == "validate":
        pms.validate(records, max_input_size=o.get("max_input_size"))
    else:
        pms.check(
            records,
            rules=rules,
            as_of=o.get("as_of", "2026-03-31"),
            lang=o.get("lang", "ja"),
            edition=o.get("edition", pms.DEFAULT_EDITION),
            only=o.get("only"),
            threads=o.get("threads", 0),
            max_input_size=o.get("max_input_size"),
        )
    print(json.dumps({"ok": True}))
except pms.PmsError as e:
    print(json.dumps({"codes": [d.get("code") for d in e.diagnostics]}))
except Exception as e:  # noqa: BLE001 - any other exception fails the case
    print(json.dumps({"exception": f"{type(e).__name__}: {e}"[:500]}))
