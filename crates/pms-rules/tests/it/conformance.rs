//! Runs the language-neutral conformance cases of `tests/conformance/*.yaml`.
//!
//! Each file holds `cases:`; a case gives `as_of`, optional `params`, `records` and the
//! `expect`ed non-passed findings of the `rules` it is about, as `[rule, subject, status]`.
//! The comparison is `pms_core::cases` (the one `pms test` runs): findings of other rules are
//! not compared, but the whole report of each case must equal
//! `tests/golden/conformance/<file>.<index>.json`, which the Python and JS runs compare too.

use crate::common::*;

#[test]
fn conformance_cases() {
    let files = conformance_files();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, doc) in files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let fname = file.file_name().unwrap().to_string_lossy().to_string();
        let cases = pms_core::cases::parse_cases(&doc, &fname)
            .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])));
        for case in cases {
            count += 1;
            let name = format!("{fname}: {}", case.name);
            let result = match pms_core::cases::run_case(program(), &case, &fname, None, None) {
                Ok(r) => r,
                Err(d) => {
                    failures.push(format!(
                        "{name}: cannot run: {}",
                        pms_core::diagnostic::render(&d, &[])
                    ));
                    continue;
                }
            };
            // The whole report is a golden file too, so that Python and JS can be held to the
            // very same bytes.
            golden(
                &format!("tests/golden/conformance/{stem}.{}.json", case.index),
                &result.report.to_json(),
            );
            if !result.passed() {
                let missing: Vec<String> =
                    result.missing.iter().map(|m| format!("- {m}")).collect();
                let unexpected: Vec<String> = result
                    .unexpected
                    .iter()
                    .map(|u| format!("+ {}  {}", u.finding, u.message))
                    .collect();
                failures.push(format!(
                    "{name}:\n    {}",
                    [missing, unexpected].concat().join("\n    ")
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

/// A case that expects the wrong findings fails with the difference, named.
#[test]
fn a_wrong_expectation_is_reported_as_missing_and_unexpected_findings() {
    let (_, doc) = conformance_files()
        .into_iter()
        .find(|(f, _)| f.ends_with("training.yaml"))
        .unwrap();
    let mut cases = pms_core::cases::parse_cases(&doc, "training.yaml").unwrap();
    let mut case = cases.remove(0);
    assert!(!case.expect.is_empty());
    let real = case.expect.remove(0);
    let invented = pms_core::cases::Triple {
        rule: real.rule.clone(),
        subject: "NOBODY".into(),
        status: "gap".into(),
    };
    case.expect.push(invented.clone());
    let r = pms_core::cases::run_case(program(), &case, "training.yaml", None, Some("en")).unwrap();
    assert!(!r.passed());
    assert_eq!(r.missing, vec![invented]);
    assert_eq!(r.unexpected.len(), 1);
    assert_eq!(r.unexpected[0].finding, real);
    assert!(!r.unexpected[0].message.is_empty());
}
