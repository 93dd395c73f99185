//! Every rule's header paraphrases its specification sentence and lists its conditions as
//! numbered parts (`# Parts:` then `#   1. …`); every part has one or more failing fixtures
//! in `tests/parts/<RULE>.yaml`. This test fails when a rule has no parts, when a part has no
//! fixture, and when a fixture does not give its expected finding.
//!
//! A fixture either edits the clean company (`examples/clean/records.yaml`, which passes
//! every rule) or gives a whole record set:
//!
//! ```yaml
//! rule: R-CA-02
//! cases:
//!   - part: 1
//!     name: an open CA without a root cause
//!     as_of: 2026-03-31          # optional, this is the default
//!     edit:
//!       - delete: /corrective_actions[CA-2025-05]/root_cause
//!       - set: /corrective_actions[CA-2025-05]/status
//!         to: closed
//!       - push: /organization[ORG]/change_history
//!         value: {id: CH-1, kind: address, changed_on: 2025-10-01}
//!     expect: [CA-2025-05, gap]  # subject id ("*": rule-level) and status
//! ```
//!
//! Pointers name list entries by id: `/workforce[W-005]/pledge_signed_on`.

use crate::common::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One edit of the clean company.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Set(String, Value),
    Del(String),
    Push(String, Value),
}

/// One failing fixture of a rule's part.
#[derive(Debug, Clone)]
pub(crate) struct Fixture {
    pub(crate) file: String,
    pub(crate) rule: String,
    pub(crate) part: u32,
    pub(crate) name: String,
    pub(crate) as_of: String,
    pub(crate) pack: Option<String>,
    /// Edits of the clean company, or `None` when the case gives its own records.
    pub(crate) edit: Option<Vec<Op>>,
    pub(crate) records: Option<Value>,
    pub(crate) subject: String,
    pub(crate) status: String,
}

impl Fixture {
    /// The record set of the fixture, as JSON.
    pub(crate) fn records_json(&self, clean: &Value) -> Value {
        match (&self.edit, &self.records) {
            (Some(ops), _) => {
                let mut v = clean.clone();
                apply(&mut v, ops);
                v
            }
            (None, Some(r)) => r.clone(),
            (None, None) => panic!("{}: a case needs `edit` or `records`", self.file),
        }
    }
}

/// Resolves `/entity[ID]/field/…` (and plain JSON pointer segments) to a mutable value.
fn resolve<'a>(root: &'a mut Value, path: &str) -> &'a mut Value {
    let mut cur = root;
    for seg in path.trim_start_matches('/').split('/') {
        if let Some((name, rest)) = seg.split_once('[') {
            let id = rest.trim_end_matches(']');
            let list = cur
                .get_mut(name)
                .unwrap_or_else(|| panic!("no `{name}` in {path}"));
            cur = list
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|x| x["id"] == id)
                .unwrap_or_else(|| panic!("no `{id}` in {path}"));
        } else if let Ok(i) = seg.parse::<usize>() {
            cur = &mut cur[i];
        } else {
            if cur.get(seg).is_none() {
                cur[seg] = Value::Null;
            }
            cur = cur.get_mut(seg).unwrap();
        }
    }
    cur
}

/// Applies edits to a record set given as JSON.
pub(crate) fn apply(root: &mut Value, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Set(p, v) => *resolve(root, p) = v.clone(),
            Op::Del(p) => {
                let (parent, key) = p.rsplit_once('/').unwrap();
                resolve(root, parent).as_object_mut().unwrap().remove(key);
            }
            Op::Push(p, v) => {
                let target = resolve(root, p);
                if target.is_null() {
                    *target = json!([]);
                }
                target.as_array_mut().unwrap().push(v.clone());
            }
        }
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn parse_op(file: &str, v: &Value) -> Op {
    if let Some(p) = v.get("set") {
        Op::Set(text(p), v.get("to").cloned().unwrap_or(Value::Null))
    } else if let Some(p) = v.get("delete") {
        Op::Del(text(p))
    } else if let Some(p) = v.get("push") {
        Op::Push(
            text(p),
            v.get("value")
                .cloned()
                .unwrap_or_else(|| panic!("{file}: `push` needs a `value`")),
        )
    } else {
        panic!("{file}: an edit is `set` … `to`, `delete` or `push` … `value`: {v}")
    }
}

/// Every fixture of `tests/parts/`, in file and case order.
pub(crate) fn fixtures() -> Vec<Fixture> {
    let dir = root().join("tests/parts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let file = format!(
            "tests/parts/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let doc = pms_core::text::parse_yaml(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let rule = text(&doc["rule"]);
        assert_eq!(
            path.file_stem().unwrap().to_string_lossy(),
            rule,
            "{file}: the file is named after its `rule`"
        );
        for case in doc["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{file}: no `cases`"))
        {
            let expect = case["expect"]
                .as_array()
                .unwrap_or_else(|| panic!("{file}: `expect: [subject, status]`"));
            out.push(Fixture {
                file: file.clone(),
                rule: rule.clone(),
                part: case["part"]
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or_else(|| panic!("{file}: a case needs its `part` number")),
                name: text(&case["name"]),
                as_of: case
                    .get("as_of")
                    .map_or_else(|| "2026-03-31".to_string(), text),
                pack: case.get("pack").map(text),
                edit: case
                    .get("edit")
                    .and_then(Value::as_array)
                    .map(|ops| ops.iter().map(|o| parse_op(&file, o)).collect()),
                records: case.get("records").cloned(),
                subject: expect.first().map(text).unwrap_or_default(),
                status: expect.get(1).map_or_else(|| "gap".to_string(), text),
            });
        }
    }
    out
}

/// One rule's header, as written above `rule … {` in its file.
#[derive(Debug, Default)]
pub(crate) struct Header {
    pub(crate) file: String,
    pub(crate) specification: String,
    /// The numbered parts: number and text.
    pub(crate) parts: Vec<(u32, String)>,
}

/// Reads the header of every rule file: the comment block before `rule ID {`.
pub(crate) fn headers() -> BTreeMap<String, Header> {
    let mut out = BTreeMap::new();
    let mut files = Vec::new();
    walk(&root().join("rules"), &mut files);
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let rel = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let mut comments: Vec<&str> = Vec::new();
        for line in text.lines() {
            if let Some(c) = line.trim_start().strip_prefix('#') {
                comments.push(c);
            } else if let Some(rest) = line.trim_start().strip_prefix("rule ") {
                let id = rest.trim_end_matches('{').trim().to_string();
                out.insert(id, parse_header(&rel, &comments));
                comments.clear();
            } else if line.trim().is_empty() {
                continue;
            } else {
                comments.clear();
            }
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "pms") {
            out.push(p);
        }
    }
}

/// Parses `# Specification: …` and `# Parts:` with `#   N. …` items (continuation lines are
/// indented further) out of a header's comment lines (without their `#`).
pub(crate) fn parse_header(file: &str, comments: &[&str]) -> Header {
    let mut h = Header {
        file: file.to_string(),
        ..Header::default()
    };
    #[derive(PartialEq)]
    enum In {
        None,
        Spec,
        Parts,
    }
    let mut section = In::None;
    for c in comments {
        let t = c.trim();
        let indent = c.len() - c.trim_start().len();
        if let Some(rest) = t.strip_prefix("Specification:") {
            section = In::Spec;
            h.specification = rest.trim().to_string();
        } else if t == "Parts:" {
            section = In::Parts;
        } else if section == In::Parts && indent >= 2 {
            let num = t
                .split_once(". ")
                .and_then(|(n, rest)| Some((n.parse::<u32>().ok()?, rest)));
            match num {
                Some((n, rest)) if indent <= 4 => h.parts.push((n, rest.trim().to_string())),
                _ => {
                    if let Some(last) = h.parts.last_mut() {
                        last.1.push(' ');
                        last.1.push_str(t);
                    }
                }
            }
        } else if section == In::Spec && indent >= 2 {
            h.specification.push(' ');
            h.specification.push_str(t);
        } else {
            section = In::None;
        }
    }
    h
}

#[test]
fn every_rule_states_its_specification_and_numbered_parts() {
    let headers = headers();
    let mut wrong = Vec::new();
    for rule in &program().rules {
        match headers.get(&rule.id) {
            None => wrong.push(format!("{}: no header found", rule.id)),
            Some(h) => {
                if h.specification.is_empty() {
                    wrong.push(format!(
                        "{} ({}): no `# Specification:` line",
                        rule.id, h.file
                    ));
                }
                if h.parts.is_empty() {
                    wrong.push(format!("{} ({}): no `# Parts:` list", rule.id, h.file));
                }
                let numbers: Vec<u32> = h.parts.iter().map(|p| p.0).collect();
                let expected: Vec<u32> = (1..=u32::try_from(numbers.len()).unwrap()).collect();
                if numbers != expected {
                    wrong.push(format!(
                        "{} ({}): parts are numbered {numbers:?}, not 1, 2, …",
                        rule.id, h.file
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "rule headers:\n  {}", wrong.join("\n  "));
}

#[test]
fn every_part_has_a_failing_fixture_and_every_fixture_fails() {
    let headers = headers();
    let all = fixtures();
    let clean = clean_json();
    let mut failures = Vec::new();
    for rule in &program().rules {
        let Some(h) = headers.get(&rule.id) else {
            continue;
        };
        for (n, text) in &h.parts {
            if !all.iter().any(|f| f.rule == rule.id && f.part == *n) {
                failures.push(format!(
                    "{} part {n} has no failing fixture in tests/parts/{}.yaml ({text})",
                    rule.id, rule.id
                ));
            }
        }
    }
    for f in &all {
        let Some(h) = headers.get(&f.rule) else {
            failures.push(format!("{}: no rule {}", f.file, f.rule));
            continue;
        };
        if !h.parts.iter().any(|(n, _)| *n == f.part) {
            failures.push(format!(
                "{} `{}`: the rule has no part {}",
                f.file, f.name, f.part
            ));
        }
        let set = match pms_core::records::load_json(f.records_json(&clean)) {
            Ok(s) => s,
            Err(d) => {
                failures.push(format!(
                    "{} `{}`: the records are invalid: {}",
                    f.file,
                    f.name,
                    pms_core::diagnostic::render(&d, &[])
                ));
                continue;
            }
        };
        let mut opts = pms_core::Options::new(date(&f.as_of));
        opts.edition = f.pack.clone().unwrap_or_else(|| pack_of(&f.rule).into());
        let report = pms_core::evaluate(program(), &set, &opts).unwrap();
        let fired: Vec<String> = report
            .findings
            .iter()
            .filter(|x| x.rule_id == f.rule && x.status != pms_core::Status::Passed)
            .map(|x| {
                format!(
                    "{} {}",
                    x.subject.as_ref().map_or("*", |s| s.id.as_str()),
                    serde_json::to_value(x.status).unwrap().as_str().unwrap()
                )
            })
            .collect();
        let want = format!("{} {}", f.subject, f.status);
        if !fired.contains(&want) {
            failures.push(format!(
                "{} part {} `{}`: expected {want}, got {fired:?}",
                f.rule, f.part, f.name
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) with the failing fixtures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn a_header_lists_parts_with_continuation_lines() {
    let lines = [
        " R-X-01 — a thing.",
        " Specification: each thing has a date",
        "   and a name.",
        " Parts:",
        "   1. a thing without a date;",
        "      continued here.",
        "   2. a thing without a name.",
        " Why: because.",
    ];
    let h = parse_header("x.pms", &lines);
    assert_eq!(h.specification, "each thing has a date and a name.");
    assert_eq!(
        h.parts,
        vec![
            (1, "a thing without a date; continued here.".to_string()),
            (2, "a thing without a name.".to_string())
        ]
    );
}
