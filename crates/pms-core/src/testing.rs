//! What the unit tests share: a rule text compiled, records loaded (the sample company or
//! a test's own), a day parsed, a program evaluated; each fails the test with the
//! diagnostics rendered.

use crate::eval::{evaluate, Options};
use crate::program::{Program, Source};
use crate::records::{load_str, parse_date, Format, RecordSet};
use crate::report::Report;
use chrono::NaiveDate;

/// The sample company's records (`examples/mimoto/records.yaml`).
const SAMPLE: &str = include_str!("../../../examples/mimoto/records.yaml");

/// `text` compiled as the rule file `name`.
pub(crate) fn compile(name: &str, text: &str) -> Program {
    Program::compile(vec![Source {
        name: name.into(),
        text: text.into(),
    }])
    .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])))
}

/// YAML records loaded as the file `name`.
pub(crate) fn load(name: &str, yaml: &str) -> RecordSet {
    load_str(name, yaml, Format::Yaml)
        .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])))
}

/// The sample company's records.
pub(crate) fn sample() -> RecordSet {
    load("records.yaml", SAMPLE)
}

/// A day written `YYYY-MM-DD`.
pub(crate) fn day(text: &str) -> NaiveDate {
    parse_date(text).unwrap_or_else(|| panic!("bad date {text}"))
}

/// The report of `program` over `set`.
pub(crate) fn check(program: &Program, set: &RecordSet, opts: &Options) -> Report {
    evaluate(program, set, opts).unwrap_or_else(|_| panic!("evaluation failed"))
}
