//! SARIF 2.1.0: a report's findings, or input diagnostics, for code scanning (GitHub, IDEs).
//!
//! ```text
//! report JSON (with `locations`) ──report──▶ one result per gap / at-risk / undetermined subject
//! diagnostics ──diagnostics──▶ one result per diagnostic (record files, rule files, options)
//! ```
//!
//! A finding is located at its subject record: the file, line and column of the report's
//! `locations` (filled by `Report::locate`). A finding whose record has no known location (the
//! rule as a whole, records given as values) is still reported, without a location. Rules
//! carry their title, clause and fix as help text.

use pms_core::diagnostic::{codes, Diagnostic, Level};
use serde_json::{json, Map, Value};

/// The SARIF schema URI the logs declare.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The text of a `{ja, en}` pair in `lang`, falling back to the other language.
fn text(v: Option<&Value>, lang: &str) -> String {
    let other = if lang == "en" { "ja" } else { "en" };
    [lang, other]
        .iter()
        .filter_map(|l| v.and_then(|v| v.get(*l)).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// The SARIF level of a finding: gaps by severity, at-risk and undetermined as notes and
/// warnings.
fn level(f: &Value) -> &'static str {
    match (str_of(f, "status"), str_of(f, "severity")) {
        ("gap", "critical" | "major") => "error",
        ("gap", "minor") | ("insufficient_data", _) => "warning",
        ("passed", _) => "none",
        _ => "note",
    }
}

/// A file name as a relative URI (forward slashes, spaces and other reserved characters
/// percent-encoded).
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for c in file.replace('\\', "/").chars() {
        if c.is_ascii_alphanumeric() || "-._~/:@!$&'()*+,;=".contains(c) || !c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A SARIF physical location from a file and an optional line and column.
fn physical(file: &str, line: Option<u64>, column: Option<u64>) -> Value {
    let mut loc = Map::new();
    loc.insert("artifactLocation".into(), json!({"uri": uri(file)}));
    if let Some(l) = line.filter(|l| *l > 0) {
        let mut region = Map::new();
        region.insert("startLine".into(), Value::from(l));
        if let Some(c) = column.filter(|c| *c > 0) {
            region.insert("startColumn".into(), Value::from(c));
        }
        loc.insert("region".into(), Value::Object(region));
    }
    json!({ "physicalLocation": Value::Object(loc) })
}

fn log(driver: Value, results: Vec<Value>) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The help text of a rule: its clause (edition number and 指針 J-number) and its fix.
fn rule_help(f: &Value, lang: &str) -> String {
    let mut parts = Vec::new();
    let clause = str_of(f, "clause");
    if !clause.is_empty() {
        parts.push(format!(
            "{} {clause}",
            if lang == "en" { "Clause" } else { "条項" }
        ));
    }
    let shishin = str_of(f, "shishin");
    if !shishin.is_empty() {
        parts.push(format!(
            "{} {shishin}",
            if lang == "en" { "Guideline" } else { "指針" }
        ));
    }
    let fix = text(f.get("fix"), lang);
    let head = parts.join(" / ");
    match (head.is_empty(), fix.is_empty()) {
        (false, false) => format!("{head}: {fix}"),
        (true, _) => fix,
        (false, true) => head,
    }
}

/// A report as a SARIF log: one rule per rule with findings (title, clause and fix as help),
/// one result per finding located at its subject record's file, line and column.
#[must_use]
pub fn report(report: &Value) -> Value {
    let lang = if str_of(report, "lang") == "en" {
        "en"
    } else {
        "ja"
    };
    let empty = Map::new();
    let locations = report
        .get("locations")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let findings: Vec<&Value> = report
        .get("findings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let mut rules: Vec<(String, Value)> = Vec::new();
    let mut results = Vec::new();
    for f in findings {
        let rule_id = str_of(f, "rule_id");
        let index = match rules.iter().position(|(id, _)| id == rule_id) {
            Some(i) => i,
            None => {
                let title = text(f.get("title"), lang);
                let help = rule_help(f, lang);
                rules.push((
                    rule_id.to_string(),
                    json!({
                        "id": rule_id,
                        "shortDescription": {"text": title},
                        "fullDescription": {"text": if help.is_empty() { title.clone() } else { format!("{title} — {help}") }},
                        "help": {"text": if help.is_empty() { title.clone() } else { help }},
                        "defaultConfiguration": {"level": match str_of(f, "severity") {
                            "critical" | "major" => "error",
                            "minor" => "warning",
                            _ => "note",
                        }},
                        "properties": {
                            "tags": [str_of(f, "phase"), str_of(f, "basis")],
                            "severity": str_of(f, "severity"),
                            "clause": str_of(f, "clause"),
                            "shishin": f.get("shishin").cloned().unwrap_or(Value::Null),
                        },
                    }),
                ));
                rules.len() - 1
            }
        };
        let subject = f.get("subject").filter(|s| !s.is_null());
        let mut result = Map::new();
        result.insert("ruleId".into(), Value::from(rule_id));
        result.insert("ruleIndex".into(), Value::from(index));
        result.insert("level".into(), Value::from(level(f)));
        result.insert(
            "message".into(),
            json!({"text": text(f.get("message"), lang)}),
        );
        if str_of(f, "status") == "passed" {
            result.insert("kind".into(), Value::from("pass"));
        }
        let located = subject
            .map(|s| str_of(s, "id"))
            .and_then(|id| locations.get(id));
        if let Some(l) = located {
            let mut loc = physical(
                str_of(l, "file"),
                l.get("line").and_then(Value::as_u64),
                l.get("column").and_then(Value::as_u64),
            );
            if let (Some(o), Some(s)) = (loc.as_object_mut(), subject) {
                o.insert(
                    "logicalLocations".into(),
                    json!([{
                        "name": str_of(s, "id"),
                        "fullyQualifiedName": format!("{}/{}", str_of(s, "entity"), str_of(s, "id")),
                        "kind": "object",
                    }]),
                );
            }
            result.insert("locations".into(), json!([loc]));
        } else if let Some(s) = subject {
            result.insert(
                "locations".into(),
                json!([{"logicalLocations": [{
                    "name": str_of(s, "id"),
                    "fullyQualifiedName": format!("{}/{}", str_of(s, "entity"), str_of(s, "id")),
                    "kind": "object",
                }]}]),
            );
        }
        result.insert(
            "partialFingerprints".into(),
            json!({"pmsFindingId/v1": str_of(f, "id")}),
        );
        let mut props = Map::new();
        for k in ["status", "severity", "due", "days_overdue"] {
            if let Some(v) = f.get(k).filter(|v| !v.is_null()) {
                props.insert(k.into(), v.clone());
            }
        }
        result.insert("properties".into(), Value::Object(props));
        results.push(Value::Object(result));
    }
    let driver = json!({
        "name": "pms",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
    });
    log(driver, results)
}

/// [`diagnostics`], with the line and column of diagnostics located only by a byte span
/// computed from the text of their file (`sources`: file name → text), as rule files are.
#[must_use]
pub fn diagnostics_in(diags: &[Diagnostic], sources: &[(String, String)]) -> Value {
    let located: Vec<Diagnostic> = diags
        .iter()
        .cloned()
        .map(|mut d| {
            if let Some(l) = d.location.as_mut().filter(|l| l.line.is_none()) {
                let text = sources.iter().find(|(n, _)| *n == l.file).map(|(_, t)| t);
                if let (Some(t), Some((start, _))) = (text, l.span) {
                    if let Some(before) = t.get(..start) {
                        let line = before.matches('\n').count() + 1;
                        let col = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
                        l.line = Some(line);
                        l.column = Some(col);
                    }
                }
            }
            d
        })
        .collect();
    diagnostics(&located)
}

/// Input diagnostics (bad record files, rule files, options) as a SARIF log: one rule per
/// diagnostic code used (its description as help), one result per diagnostic at its file,
/// line and column, with its help line.
#[must_use]
pub fn diagnostics(diags: &[Diagnostic]) -> Value {
    let mut rules: Vec<&str> = diags.iter().map(|d| d.code).collect();
    pms_core::sorting::sort(&mut rules);
    rules.dedup();
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|code| {
            let desc = codes::ALL
                .iter()
                .find(|(c, _)| c == code)
                .map_or("", |(_, d)| *d);
            json!({
                "id": code,
                "shortDescription": {"text": desc},
                "help": {"text": desc},
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let mut r = Map::new();
            r.insert("ruleId".into(), Value::from(d.code));
            r.insert(
                "ruleIndex".into(),
                Value::from(rules.iter().position(|c| *c == d.code).unwrap_or(0)),
            );
            r.insert(
                "level".into(),
                Value::from(match d.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                }),
            );
            r.insert("message".into(), json!({ "text": message }));
            // The Japanese text, in the result's property bag (SARIF messages hold one text).
            if let Some(ja) = &d.message_ja {
                let mut text = ja.clone();
                if let Some(h) = d.help_in(pms_core::Lang::Ja) {
                    text.push_str("\nhelp: ");
                    text.push_str(h);
                }
                r.insert("properties".into(), json!({ "message_ja": text }));
            }
            if let Some(l) = &d.location {
                let mut loc = physical(
                    &l.file,
                    l.line.and_then(|x| u64::try_from(x).ok()),
                    l.column.and_then(|x| u64::try_from(x).ok()),
                );
                if let (Some(o), Some(p)) = (loc.as_object_mut(), &l.pointer) {
                    o.insert(
                        "logicalLocations".into(),
                        json!([{"fullyQualifiedName": p, "kind": "member"}]),
                    );
                }
                r.insert("locations".into(), json!([loc]));
            }
            Value::Object(r)
        })
        .collect();
    let driver = json!({
        "name": "pms",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rule_values,
    });
    log(driver, results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pms_core::diagnostic::Location;

    #[test]
    fn findings_are_located_at_their_records() {
        let r = json!({
            "lang": "en",
            "findings": [{"id": "R-A:W-1", "rule_id": "R-A", "status": "gap", "severity": "major",
                "title": {"ja": "t", "en": "Title"}, "clause": "7.2", "shishin": "J.4.3",
                "fix": {"ja": "", "en": "Do it."}, "message": {"ja": "", "en": "W-1 lacks"},
                "subject": {"entity": "workforce", "id": "W-1", "display": "甲"}}],
            "locations": {"W-1": {"file": "my records/workforce.yaml", "line": 3, "column": 5}}
        });
        let s = report(&r);
        let res = &s["runs"][0]["results"][0];
        assert_eq!(res["level"], "error");
        let pl = &res["locations"][0]["physicalLocation"];
        assert_eq!(pl["artifactLocation"]["uri"], "my%20records/workforce.yaml");
        assert_eq!(pl["region"]["startLine"], 3);
        assert_eq!(pl["region"]["startColumn"], 5);
        assert_eq!(
            s["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"],
            "Clause 7.2 / Guideline J.4.3: Do it."
        );
    }

    #[test]
    fn diagnostics_keep_code_location_and_help() {
        let d = Diagnostic::error(codes::RULE_SYNTAX, "expected a rule")
            .at(Location {
                file: "bad.pms".into(),
                line: Some(2),
                column: Some(7),
                ..Location::default()
            })
            .help("write `rule`");
        let s = diagnostics(&[d]);
        let res = &s["runs"][0]["results"][0];
        assert_eq!(res["ruleId"], "E2001");
        assert_eq!(
            res["locations"][0]["physicalLocation"]["region"]["startColumn"],
            7
        );
        assert!(res["message"]["text"]
            .as_str()
            .unwrap()
            .contains("write `rule`"));
    }

    #[test]
    fn spans_become_lines_and_columns() {
        let d = Diagnostic::error(codes::RULE_SYNTAX, "x").at(Location {
            file: "r.pms".into(),
            span: Some((9, 10)),
            ..Location::default()
        });
        let s = diagnostics_in(&[d], &[("r.pms".into(), "rule A\n  é!".into())]);
        let region = &s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 2);
        assert_eq!(region["startColumn"], 3);
    }
}
