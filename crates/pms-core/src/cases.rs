//! Test cases for rules (`pms test`): a company's own expectations of its rules, in the shape
//! of the conformance cases (`tests/conformance/*.yaml`).
//!
//! A case file holds `cases:`, each with a `name`, an `as_of`, optional `params`, the `rules`
//! it is about (optional: every rule), `records`, and the `expect`ed non-passed findings of
//! those rules as `[rule, subject, status]` (`*` for a finding without subject). Findings of
//! other rules are not compared. This module is I/O-free: [`parse_cases`] checks the shape of
//! a parsed document, [`run_case`] evaluates one case with a [`Program`] and compares.

use crate::diagnostic::{codes, Diagnostic, Location};
use crate::ffi::CheckOptions;
use crate::program::Program;
use crate::report::{Report, Status};
use serde::Serialize;
use serde_json::Value as Json;

/// One test case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its position in the file's `cases` list.
    pub index: usize,
    /// What the case shows.
    pub name: String,
    /// Evaluation date, `yyyy-mm-dd`.
    pub as_of: String,
    /// Parameter overrides.
    pub params: Vec<(String, String)>,
    /// The rules whose findings are compared; empty: every rule.
    pub rules: Vec<String>,
    /// The record set.
    pub records: Json,
    /// The expected non-passed findings, sorted.
    pub expect: Vec<Triple>,
}

/// A finding as a case names it: rule, subject id (`*` without subject) and status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Triple {
    /// Rule id.
    pub rule: String,
    /// Subject id, or `*`.
    pub subject: String,
    /// `gap`, `at_risk`, `insufficient_data` or `not_applicable`.
    pub status: String,
}

impl std::fmt::Display for Triple {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}, {}, {}]", self.rule, self.subject, self.status)
    }
}

/// A finding the case did not expect, with its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unexpected {
    /// The finding.
    pub finding: Triple,
    /// Its message in the report's language.
    pub message: String,
}

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Expected findings the report does not have.
    pub missing: Vec<Triple>,
    /// Findings of the compared rules that were not expected.
    pub unexpected: Vec<Unexpected>,
    /// The whole report.
    pub report: Report,
}

impl CaseResult {
    /// Whether the report has exactly the expected findings.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty()
    }
}

const STATUSES: [&str; 4] = ["gap", "at_risk", "insufficient_data", "not_applicable"];

fn text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A [`codes::CASES`] error at `pointer`: its message and help in English and Japanese.
fn shape(file: &str, pointer: String, message: [String; 2], help: [&str; 2]) -> Diagnostic {
    let [message, message_ja] = message;
    Diagnostic::error(codes::CASES, message)
        .ja(message_ja)
        .at(Location {
            file: file.to_string(),
            pointer: Some(pointer),
            ..Location::default()
        })
        .help(help[0])
        .help_ja(help[1])
}

/// Reads the cases of a parsed case file named `file`.
///
/// # Errors
/// Every shape problem (`E3004`), with its JSON pointer: no `cases` list, a case without
/// `name`, `as_of` or `records`, an `expect` entry that is not `[rule, subject, status]` …
pub fn parse_cases(doc: &Json, file: &str) -> Result<Vec<Case>, Vec<Diagnostic>> {
    let Some(list) = doc.get("cases").and_then(Json::as_array) else {
        return Err(vec![shape(
            file,
            String::new(),
            [
                "a test case file needs a `cases` list".into(),
                "テストケースファイルには `cases` のリストが必要".into(),
            ],
            [
                "write `cases:` followed by `- name: …` entries (see docs/dsl.md, Tools)",
                "`cases:` に続けて `- name: …` の項目を書く（docs/dsl.md の Tools を参照）",
            ],
        )]);
    };
    let mut diags = Vec::new();
    let mut cases = Vec::new();
    for (index, c) in list.iter().enumerate() {
        let at = |key: &str| format!("/cases/{index}{key}");
        let Some(obj) = c.as_object() else {
            diags.push(shape(
                file,
                at(""),
                [
                    "a case must be a mapping".into(),
                    "ケースはマッピングでなければならない".into(),
                ],
                [
                    "write `- name: …` with `as_of`, `rules`, `records` and `expect`",
                    "`- name: …` に `as_of`、`rules`、`records`、`expect` を添えて書く",
                ],
            ));
            continue;
        };
        for key in obj.keys() {
            if !["name", "as_of", "params", "rules", "records", "expect"].contains(&key.as_str()) {
                diags.push(shape(
                    file,
                    at(&format!("/{key}")),
                    [
                        format!("unknown key `{key}` in a case"),
                        format!("ケースに未知のキー `{key}` がある"),
                    ],
                    [
                        "a case has `name`, `as_of`, `params`, `rules`, `records` and `expect`",
                        "ケースのキーは `name`、`as_of`、`params`、`rules`、`records`、`expect` である",
                    ],
                ));
            }
        }
        let label = obj
            .get("name")
            .map_or_else(|| format!("{}", index + 1), |n| format!("`{}`", text(n)));
        let mut need = |key: &str| {
            let v = obj.get(key);
            if v.is_none() {
                diags.push(shape(
                    file,
                    at(""),
                    [
                        format!("case {label} has no `{key}`"),
                        format!("ケース {label} に `{key}` がない"),
                    ],
                    [
                        "every case needs `name`, `as_of` and `records`",
                        "ケースには `name`、`as_of`、`records` が必要",
                    ],
                ));
            }
            v
        };
        let (name, as_of, records) = (need("name"), need("as_of"), need("records"));
        let name = name.map(text).unwrap_or_default();
        let params = match obj.get("params") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Object(m)) => m.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
            Some(_) => {
                diags.push(shape(
                    file,
                    at("/params"),
                    [
                        "`params` must be a mapping".into(),
                        "`params` はマッピングでなければならない".into(),
                    ],
                    [
                        "write e.g. `params: {training_interval: 6 months}`",
                        "例: `params: {training_interval: 6 months}` と書く",
                    ],
                ));
                Vec::new()
            }
        };
        let rules = match obj.get("rules") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(a)) => a.iter().map(text).collect(),
            Some(v) => vec![text(v)],
        };
        let mut expect = Vec::new();
        match obj.get("expect") {
            None | Some(Json::Null) => {}
            Some(Json::Array(a)) => {
                for (k, e) in a.iter().enumerate() {
                    match e.as_array().map(|t| t.iter().map(text).collect::<Vec<_>>()).as_deref() {
                        Some([rule, subject, status]) if STATUSES.contains(&status.as_str()) => {
                            expect.push(Triple { rule: rule.clone(), subject: subject.clone(), status: status.clone() });
                        }
                        Some([_, _, status]) => diags.push(shape(file, at(&format!("/expect/{k}/2")), [format!("unknown status `{status}`"), format!("未知の状態 `{status}`")], ["statuses: gap, at_risk, insufficient_data, not_applicable (passed subjects are not listed)", "状態は gap、at_risk、insufficient_data、not_applicable（適合した対象は書かない）"])),
                        _ => diags.push(shape(file, at(&format!("/expect/{k}")), ["an expected finding must be `[rule, subject, status]`".into(), "期待する指摘は `[rule, subject, status]` で書く".into()], ["write e.g. `- [R-TRN-01, W-1, gap]`; `*` is the subject of a finding about the company as a whole", "例: `- [R-TRN-01, W-1, gap]`。会社全体についての指摘の対象は `*`"])),
                    }
                }
            }
            Some(_) => diags.push(shape(
                file,
                at("/expect"),
                [
                    "`expect` must be a list".into(),
                    "`expect` はリストでなければならない".into(),
                ],
                [
                    "write `expect: []` when no finding is expected",
                    "指摘を期待しないときは `expect: []` と書く",
                ],
            )),
        }
        expect.sort();
        cases.push(Case {
            index,
            name,
            as_of: as_of.map(text).unwrap_or_default(),
            params,
            rules,
            records: records.cloned().unwrap_or(Json::Null),
            expect,
        });
    }
    if diags.is_empty() {
        Ok(cases)
    } else {
        Err(diags)
    }
}

/// Evaluates a case with `program` (at `edition`, in `lang`; defaults when `None`) and compares
/// the non-passed findings of its rules with the expected ones.
///
/// # Errors
/// The records' diagnostics, their pointers under `/cases/<index>/records` of `file`, or bad
/// options (date, parameters, edition).
pub fn run_case(
    program: &Program,
    case: &Case,
    file: &str,
    edition: Option<&str>,
    lang: Option<&str>,
) -> Result<CaseResult, Vec<Diagnostic>> {
    let set = crate::records::load_json_with(case.records.clone(), &program.extensions).map_err(
        |mut diags| {
            for d in &mut diags {
                let loc = d.location.get_or_insert_with(Location::default);
                loc.file = file.to_string();
                loc.pointer = Some(format!(
                    "/cases/{}/records{}",
                    case.index,
                    loc.pointer.as_deref().unwrap_or("")
                ));
            }
            diags
        },
    )?;
    let opts = CheckOptions {
        as_of: case.as_of.clone(),
        edition: edition.map(str::to_string),
        lang: lang.map(str::to_string),
        params: case.params.clone(),
        ..CheckOptions::default()
    };
    let report = crate::ffi::check(program, &set, &opts)?;
    let mut got: Vec<(Triple, String)> = report
        .findings
        .iter()
        .filter(|f| {
            f.status != Status::Passed && (case.rules.is_empty() || case.rules.contains(&f.rule_id))
        })
        .map(|f| {
            let status = serde_json::to_value(f.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let subject = f.subject.as_ref().map_or("*".into(), |s| s.id.clone());
            (
                Triple {
                    rule: f.rule_id.clone(),
                    subject,
                    status,
                },
                f.message.get(report.lang).to_string(),
            )
        })
        .collect();
    got.sort();
    let missing = case
        .expect
        .iter()
        .filter(|e| !got.iter().any(|g| &g.0 == *e))
        .cloned()
        .collect();
    let unexpected = got
        .into_iter()
        .filter(|g| !case.expect.contains(&g.0))
        .map(|(finding, message)| Unexpected { finding, message })
        .collect();
    Ok(CaseResult {
        missing,
        unexpected,
        report,
    })
}

/// Fills in the line and column of diagnostics that point (by JSON pointer) into the YAML or
/// JSON text of the case file `file`.
pub fn locate(diags: &mut [Diagnostic], file: &str, text: &str) {
    let positions = crate::text::locate(text);
    for d in diags {
        let Some(loc) = d.location.as_mut() else {
            continue;
        };
        if loc.file != file || loc.line.is_some() {
            continue;
        }
        let Some(p) = loc.pointer.as_deref() else {
            continue;
        };
        // The deepest pointer of the path that the text has.
        let mut pointer = p.to_string();
        loop {
            if let Some((line, column)) = positions.key(&pointer) {
                loc.line = Some(line);
                loc.column = Some(column);
                break;
            }
            match pointer.rfind('/') {
                Some(i) if i > 0 => pointer.truncate(i),
                _ => break,
            }
        }
    }
}
