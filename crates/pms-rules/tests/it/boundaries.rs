//! Date boundaries of every rule with a deadline, on the well-run company.
//!
//! Each subject that passes in `examples/clean/` at 2026-03-31 has a deadline (the last day
//! its obligation is met: training + 12 months, a corrective action's due day, a report's
//! legal deadline …). For every rule, its earliest such deadline D is taken and the rule is
//! evaluated again at D and at D + 1 day: on D the subject must still be met (passed, or at
//! risk because the deadline is today), on D + 1 it must be a gap. That checks each rule's
//! interval arithmetic at its exact edge ("exactly 12 months", "day 30 and day 31"), whatever
//! the interval, against the engine's own deadline.

use crate::common::*;
use pms_core::Status;
use std::collections::BTreeMap;

/// Rules with a deadline that neither edge test below reaches, and where their edge is tested.
const ELSEWHERE: &[(&str, &str)] = &[(
    "R-CRT-02",
    "tests/conformance/certification.yaml: inside, early, late, and a closing day on a Saturday",
)];

#[test]
fn every_deadline_is_checked_at_its_edge() {
    let (met, met_lines) = met_edges();
    let (missed, missed_lines) = missed_edges();
    // The deadline each rule computed, with the values it came from, as a reviewed snapshot:
    // a change of any rule's interval arithmetic shows up here.
    golden(
        "tests/golden/deadlines.txt",
        &format!(
            "# Deadlines at their edge (crates/pms-rules/tests/it/boundaries.rs)\n\n## Met in the clean company: on the day met, the day after a gap\n{}\n## Missed in each rule's failing fixture: on the day pending, the day after a gap\n{}",
            met_lines.join(""),
            missed_lines.join("")
        ),
    );
    let mut unchecked: Vec<&str> = program()
        .rules
        .iter()
        .filter(|r| r.has_deadline())
        .map(|r| r.id.as_str())
        .filter(|id| {
            !met.iter().any(|r| r == id)
                && !missed.iter().any(|r| r == id)
                && !ELSEWHERE.iter().any(|(r, _)| r == id)
        })
        .collect();
    unchecked.sort_unstable();
    assert!(
        unchecked.is_empty(),
        "rules with a deadline whose edge no test reaches: {unchecked:?}"
    );
}

/// One snapshot line: rule, subject, deadline and the finding's values.
fn line(f: &pms_core::Finding, deadline: chrono::NaiveDate) -> String {
    let subject = f.subject.as_ref().map_or("*", |s| s.id.as_str());
    let values: Vec<String> = f
        .values
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.as_str().map_or_else(|| v.to_string(), str::to_string)
            )
        })
        .collect();
    format!(
        "{} {subject} {deadline} [{}]\n",
        f.rule_id,
        values.join(", ")
    )
}

/// Met deadlines: the rules checked and their snapshot lines.
fn met_edges() -> (Vec<String>, Vec<String>) {
    let set = clean();
    let start = date("2026-03-31");
    // rule → (deadline, subject, snapshot line), the earliest deadline of the rule.
    let mut edges: BTreeMap<String, (chrono::NaiveDate, String, String)> = BTreeMap::new();
    for pack in PACKS {
        let mut opts = pms_core::Options::new(start);
        opts.edition = pack.into();
        opts.include_passed = true;
        let r = pms_core::evaluate(program(), &set, &opts).unwrap();
        for f in &r.findings {
            let (Some(due), Some(subject)) = (f.due, &f.subject) else {
                continue;
            };
            if due < start || !matches!(f.status, Status::Passed | Status::AtRisk) {
                continue;
            }
            let candidate = (due, subject.id.clone(), line(f, due));
            let e = edges.entry(f.rule_id.clone()).or_insert(candidate.clone());
            if (candidate.0, &candidate.1) < (e.0, &e.1) {
                *e = candidate;
            }
        }
    }
    let mut wrong = Vec::new();
    let status =
        |rule: &str, day, subject: &str| finding_on(&set, rule, day, subject).map(|f| f.status);
    for (rule, (due, subject, _)) in &edges {
        let on = status(rule, *due, subject);
        let after = status(rule, due.succ_opt().unwrap(), subject);
        if !matches!(on, Some(Status::Passed | Status::AtRisk)) || after != Some(Status::Gap) {
            wrong.push(format!(
                "{rule} ({subject}, deadline {due}): on the day {on:?}, the day after {after:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "deadlines off by a day:\n{}",
        wrong.join("\n")
    );
    let lines = edges.values().map(|e| e.2.clone()).collect();
    (edges.into_keys().collect(), lines)
}

/// Missed deadlines: a late or missing action (each failing fixture of
/// `tests/parts/`) is pending up to its deadline G and a gap from G + 1. For every fixture
/// whose gap has a deadline, the rule is evaluated at G and at G + 1.
fn missed_edges() -> (Vec<String>, Vec<String>) {
    let base = clean_json();
    let mut checked = Vec::new();
    let mut lines = Vec::new();
    let mut wrong = Vec::new();
    for f in crate::parts::fixtures() {
        if f.status != "gap" {
            continue;
        }
        let (rule, subject) = (f.rule.as_str(), f.subject.as_str());
        let set = pms_core::records::load_json(f.records_json(&base)).unwrap();
        let as_of = date(&f.as_of);
        let status = |day| finding_on(&set, rule, day, subject);
        let Some(gap) = status(as_of) else {
            continue;
        };
        let Some(deadline) = gap.due else {
            continue;
        };
        // Only a deadline that was missed: an obligation with no date at all is a gap from
        // the start, whatever the day.
        if gap.status != pms_core::Status::Gap || deadline >= as_of {
            continue;
        }
        let on = status(deadline).map(|f| f.status);
        let after = status(deadline.succ_opt().unwrap()).map(|f| f.status);
        if on.is_none() {
            // The subject does not exist yet on its deadline day (e.g. a record whose
            // deadline is counted from a later event): nothing to check at this edge.
            continue;
        }
        checked.push(rule.to_string());
        lines.push(line(&gap, deadline));
        if !matches!(
            on,
            Some(pms_core::Status::Passed | pms_core::Status::AtRisk)
        ) || after != Some(pms_core::Status::Gap)
        {
            wrong.push(format!(
                "{rule} ({subject}, deadline {deadline}): on the day {on:?}, the day after {after:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "deadlines off by a day:\n{}",
        wrong.join("\n")
    );
    lines.sort();
    (checked, lines)
}
