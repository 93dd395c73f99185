//! Runs the language-neutral conformance cases of `tests/conformance/*.yaml`.
//!
//! Each file holds `cases:`; a case gives `as_of`, optional `params`, `records` and the
//! `expect`ed non-passed findings of the `rules` it is about, as `[rule, subject, status]`.
//! Findings of other rules are not compared, but the whole report of each case must equal
//! `tests/golden/conformance/<file>.<index>.json`, which the Python and JS runs compare too.

use crate::common::*;
use serde_json::Value;

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn conformance_cases() {
    let files = conformance_files();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, doc) in files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let cases = doc["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no cases", file.display()));
        for (index, case) in cases.iter().enumerate() {
            count += 1;
            let name = format!(
                "{}: {}",
                file.file_name().unwrap().to_string_lossy(),
                text(&case["name"])
            );
            let set = match pms_core::records::load_json(case["records"].clone()) {
                Ok(s) => s,
                Err(d) => {
                    failures.push(format!(
                        "{name}: records invalid: {}",
                        pms_core::diagnostic::render(&d, &[])
                    ));
                    continue;
                }
            };
            let mut opts = pms_core::Options::new(date(&text(&case["as_of"])));
            if let Some(p) = case["params"].as_object() {
                opts.params = p.iter().map(|(k, v)| (k.clone(), text(v))).collect();
            }
            let report = pms_core::evaluate(program(), &set, &opts).unwrap();
            // The whole report is a golden file too, so that Python and JS can be held to the
            // very same bytes.
            golden(
                &format!("tests/golden/conformance/{stem}.{index}.json"),
                &report.to_json(),
            );
            let rules: Vec<String> = case["rules"].as_array().unwrap().iter().map(text).collect();
            let mut got: Vec<Vec<String>> = report
                .findings
                .iter()
                .filter(|f| rules.contains(&f.rule_id) && f.status != pms_core::Status::Passed)
                .map(|f| {
                    vec![
                        f.rule_id.clone(),
                        f.subject.as_ref().map_or("*".into(), |s| s.id.clone()),
                        serde_json::to_value(f.status)
                            .unwrap()
                            .as_str()
                            .unwrap()
                            .to_string(),
                    ]
                })
                .collect();
            got.sort();
            let mut want: Vec<Vec<String>> = case["expect"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|e| e.as_array().unwrap().iter().map(text).collect())
                        .collect()
                })
                .unwrap_or_default();
            want.sort();
            if got != want {
                failures.push(format!(
                    "{name}:\n    expected {want:?}\n    got      {got:?}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} conformance cases failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
