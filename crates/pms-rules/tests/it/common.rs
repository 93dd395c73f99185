//! Helpers shared by the integration tests.

use pms_core::records::{self, Format};
use pms_core::{evaluate, Options, Program, RecordSet, Report};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The built-in program, compiled once for all tests.
pub fn program() -> &'static Program {
    static P: OnceLock<Program> = OnceLock::new();
    P.get_or_init(|| {
        pms_rules::compile_builtin()
            .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])))
    })
}

/// Parses a date.
pub fn date(s: &str) -> chrono::NaiveDate {
    pms_core::records::parse_date(s).unwrap_or_else(|| panic!("bad date {s}"))
}

/// The sample company.
pub fn sample() -> RecordSet {
    let (name, text) = pms_rules::SAMPLE_COMPANY;
    records::load_str(name, text, Format::Yaml)
        .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])))
}

/// Evaluates with default options at a date.
pub fn check(set: &RecordSet, as_of: &str) -> Report {
    evaluate(program(), set, &Options::new(date(as_of))).unwrap_or_else(|d| panic!("{d:?}"))
}

/// Compares `actual` with the golden file, or rewrites it when `UPDATE_GOLDEN` is set.
pub fn golden(rel: &str, actual: &str) {
    let path = root().join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden file {rel}; run with UPDATE_GOLDEN=1"));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{rel} differs from the golden file at line {}:\n  expected: {}\n  actual:   {}\n(run with UPDATE_GOLDEN=1 after an intended change)",
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or("")
        );
    }
}

/// The (rule, subject) pairs of gap findings, sorted.
pub fn gaps(r: &Report) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = r
        .findings
        .iter()
        .filter(|f| f.status == pms_core::Status::Gap)
        .map(|f| {
            (
                f.rule_id.clone(),
                f.subject.as_ref().map_or("*".to_string(), |s| s.id.clone()),
            )
        })
        .collect();
    v.sort();
    v
}
