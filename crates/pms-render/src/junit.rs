//! JUnit XML for CI: one test suite per rule, one test case per rule and subject.
//!
//! How statuses map (what a CI user expects: red only for what is wrong now):
//!
//! | pms status          | JUnit                                               |
//! |---------------------|-----------------------------------------------------|
//! | gap                 | `<failure type="<severity>">` with clause, due, fix  |
//! | at risk             | passed, with the deadline in `<system-out>`          |
//! | insufficient data   | `<skipped>` (not assessed: records missing)          |
//! | not applicable rule | one `<skipped>` case for the rule                    |
//! | passed              | passed                                               |
//!
//! Passed subjects are listed one by one only when the check listed them (`--all`);
//! otherwise one passing case per rule counts them. XML is written by `quick-xml`, which
//! escapes every text and attribute; control characters are made visible first (XML 1.0
//! cannot carry them).

use crate::common::{clause_ref, due_label, related_list, subject_label, t, value_text, visible};
use pms_core::report::{Finding, Status};
use pms_core::{Lang, Report};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;
use std::io;

/// A text for XML: control characters visible, line breaks kept (attributes: spaces).
fn x(s: &str) -> String {
    visible(s).into_owned()
}

fn attr(s: &str) -> String {
    visible(s).replace(['\n', '\r', '\t'], " ")
}

struct Case<'a> {
    name: String,
    kind: CaseKind<'a>,
}

enum CaseKind<'a> {
    Failure(&'a Finding),
    AtRisk(&'a Finding),
    Skipped(String),
    Passed,
}

/// The report as JUnit XML.
pub(crate) fn render(r: &Report, lang: Lang) -> io::Result<Vec<u8>> {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &r.findings {
        by_rule.entry(f.rule_id.as_str()).or_default().push(f);
    }
    let mut suites = Vec::new();
    for c in &r.coverage {
        let findings = by_rule.get(c.rule_id.as_str()).cloned().unwrap_or_default();
        let mut cases: Vec<Case<'_>> = findings
            .iter()
            .map(|f| Case {
                name: subject_label(f, lang),
                kind: match f.status {
                    Status::Gap => CaseKind::Failure(f),
                    Status::AtRisk => CaseKind::AtRisk(f),
                    Status::Passed => CaseKind::Passed,
                    Status::InsufficientData | Status::NotApplicable => {
                        CaseKind::Skipped(x(f.message.get(lang)))
                    }
                },
            })
            .collect();
        let listed_passed = findings
            .iter()
            .filter(|f| f.status == Status::Passed)
            .count();
        let unlisted = c.passed.saturating_sub(listed_passed);
        if unlisted > 0 {
            cases.push(Case {
                name: match lang {
                    Lang::Ja => format!("適合した対象 {unlisted} 件"),
                    Lang::En => format!("{unlisted} subjects passed"),
                },
                kind: CaseKind::Passed,
            });
        }
        if cases.is_empty() {
            let note = c.note.clone().unwrap_or_else(|| {
                t(lang, "対象となる記録がありません", "no record to check").to_string()
            });
            cases.push(Case {
                name: t(lang, "（ルール全体）", "(rule as a whole)").to_string(),
                kind: match c.status {
                    Status::Passed => CaseKind::Passed,
                    _ => CaseKind::Skipped(x(&note)),
                },
            });
        }
        let title = if c.title.get(lang).is_empty() {
            findings
                .first()
                .map(|f| f.title.get(lang).to_string())
                .unwrap_or_default()
        } else {
            c.title.get(lang).to_string()
        };
        suites.push((c, findings.first().copied(), title, cases));
    }
    let count = |cases: &[Case<'_>], pick: fn(&CaseKind<'_>) -> bool| {
        cases.iter().filter(|c| pick(&c.kind)).count()
    };
    let failed = |k: &CaseKind<'_>| matches!(k, CaseKind::Failure(_));
    let skipped = |k: &CaseKind<'_>| matches!(k, CaseKind::Skipped(_));
    let total: usize = suites.iter().map(|s| s.3.len()).sum();
    let total_failed: usize = suites.iter().map(|s| count(&s.3, failed)).sum();
    let total_skipped: usize = suites.iter().map(|s| count(&s.3, skipped)).sum();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let name = format!(
        "pms {} {}",
        r.organization.as_deref().unwrap_or_default(),
        r.as_of
    );
    w.create_element("testsuites")
        .with_attributes([
            ("name", attr(&name).as_str()),
            ("tests", total.to_string().as_str()),
            ("failures", total_failed.to_string().as_str()),
            ("errors", "0"),
            ("skipped", total_skipped.to_string().as_str()),
            ("time", "0"),
        ])
        .write_inner_content(|w| {
            for (c, first, title, cases) in &suites {
                let suite_name = format!("{} {}", c.rule_id, title);
                w.create_element("testsuite")
                    .with_attributes([
                        ("name", attr(&suite_name).as_str()),
                        ("tests", cases.len().to_string().as_str()),
                        ("failures", count(cases, failed).to_string().as_str()),
                        ("errors", "0"),
                        ("skipped", count(cases, skipped).to_string().as_str()),
                        ("time", "0"),
                        ("timestamp", format!("{}T00:00:00", r.as_of).as_str()),
                    ])
                    .write_inner_content(|w| {
                        if let Some(f) = first {
                            properties(w, f)?;
                        }
                        for case in cases {
                            testcase(w, &c.rule_id, case, lang)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn properties(w: &mut Writer<Vec<u8>>, f: &Finding) -> io::Result<()> {
    let mut props: Vec<(&str, String)> = vec![
        ("phase", f.phase.as_str().to_string()),
        ("severity", f.severity.as_str().to_string()),
        ("basis", f.basis.as_str().to_string()),
    ];
    if let Some(c) = &f.clause {
        props.push(("clause", c.clone()));
    }
    if let Some(j) = &f.shishin {
        props.push(("shishin", j.clone()));
    }
    w.create_element("properties").write_inner_content(|w| {
        for (k, v) in &props {
            w.create_element("property")
                .with_attributes([("name", *k), ("value", attr(v).as_str())])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The body of a failure or at-risk note: clause, due date, records, values and the fix.
fn details(f: &Finding, lang: Lang) -> String {
    let mut lines = vec![f.message.get(lang).to_string()];
    let clause = clause_ref(f);
    if !clause.is_empty() {
        lines.push(format!("{}: {clause}", t(lang, "条項", "clause")));
    }
    if let Some(due) = due_label(f, lang) {
        lines.push(format!("{}: {due}", t(lang, "期限", "due")));
    }
    if !f.related.is_empty() {
        lines.push(format!(
            "{}: {}",
            t(lang, "関連記録", "records"),
            related_list(f, str::to_owned)
        ));
    }
    for (k, v) in f.values.iter().filter(|(k, _)| !k.starts_with('_')) {
        lines.push(format!("  {k} = {}", value_text(v)));
    }
    lines.push(format!("→ {}", f.fix.get(lang)));
    x(&lines.join("\n"))
}

fn testcase(w: &mut Writer<Vec<u8>>, rule: &str, case: &Case<'_>, lang: Lang) -> io::Result<()> {
    let classname = format!("pms.{rule}");
    let el = w.create_element("testcase").with_attributes([
        ("name", attr(&case.name).as_str()),
        ("classname", attr(&classname).as_str()),
        ("time", "0"),
    ]);
    match &case.kind {
        CaseKind::Passed => {
            el.write_empty()?;
        }
        CaseKind::Skipped(message) => {
            el.write_inner_content(|w| {
                w.create_element("skipped")
                    .with_attribute(("message", attr(message).as_str()))
                    .write_empty()?;
                Ok(())
            })?;
        }
        CaseKind::Failure(f) => {
            el.write_inner_content(|w| {
                w.create_element("failure")
                    .with_attributes([
                        ("message", attr(f.message.get(lang)).as_str()),
                        ("type", f.severity.as_str()),
                    ])
                    .write_text_content(BytesText::new(&details(f, lang)))?;
                Ok(())
            })?;
        }
        CaseKind::AtRisk(f) => {
            el.write_inner_content(|w| {
                let note = format!("[{}] {}", f.status.label(lang), details(f, lang));
                w.create_element("system-out")
                    .write_text_content(BytesText::new(&note))?;
                Ok(())
            })?;
        }
    }
    Ok(())
}
