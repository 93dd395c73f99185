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
    if let Some(diff) = first_difference(&expected, actual) {
        panic!("{rel} differs from the golden file {diff}\n(run with UPDATE_GOLDEN=1 after an intended change)");
    }
}

/// Where two texts first differ: `at line N:` and both lines; `None` when they are equal.
pub fn first_difference(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let line = (0..e.len().max(a.len()))
        .find(|i| e.get(*i) != a.get(*i))
        .unwrap_or(0);
    Some(format!(
        "at line {}:\n  expected: {}\n  actual:   {}",
        line + 1,
        e.get(line).unwrap_or(&""),
        a.get(line).unwrap_or(&"")
    ))
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

/// The conformance files under `tests/conformance/`, sorted, each with its parsed content.
pub fn conformance_files() -> Vec<(PathBuf, serde_json::Value)> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/conformance"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            let doc = pms_core::text::parse_yaml(&text)
                .unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
            (f, doc)
        })
        .collect()
}

/// The well-run company `examples/clean/` as parsed JSON, to mutate.
pub fn clean_json() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("examples/clean/records.yaml")).unwrap();
    pms_core::text::parse_yaml(&text).unwrap()
}

/// The well-run company `examples/clean/`, loaded.
pub fn clean() -> RecordSet {
    let text = std::fs::read_to_string(root().join("examples/clean/records.yaml")).unwrap();
    records::load_str("examples/clean/records.yaml", &text, Format::Yaml)
        .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])))
}

/// The packs, in the order a rule is looked for.
pub const PACKS: [&str; 4] = ["jisq15001:2023", "jisq15001:2017", "jisq15001:2006", "appi"];

/// The first pack that holds a rule (most are in the 2023 pack; preventive action only in
/// the 2006 one).
pub fn pack_of(rule: &str) -> &'static str {
    let r = program()
        .rule(rule)
        .unwrap_or_else(|| panic!("no rule {rule}"));
    PACKS.into_iter().find(|p| r.in_pack(p)).unwrap_or(PACKS[0])
}

/// The finding of `rule` on `subject` at `day` (passed subjects included), if it has one.
pub fn finding_on(
    set: &RecordSet,
    rule: &str,
    day: chrono::NaiveDate,
    subject: &str,
) -> Option<pms_core::Finding> {
    let mut opts = Options::new(day);
    opts.edition = pack_of(rule).into();
    opts.include_passed = true;
    opts.only = vec![rule.to_string()];
    evaluate(program(), set, &opts)
        .unwrap()
        .findings
        .into_iter()
        .find(|f| f.subject.as_ref().is_some_and(|s| s.id == subject))
}
