//! Index look-ups give what a scan gives (docs/unknowns.md, "Index look-ups"): a record
//! whose looked-up field is absent is an element whose condition is unknown, unless its
//! absence is known (an alternative key, a `present(…)` guard); an absent key leaves every
//! element unknown. Each rule is run as a look-up and as a scan (`not not (…)`, which no
//! look-up takes), column-at-a-time and record by record.

use crate::eval::{Columnar, Options};
use crate::report::{Finding, Status};
use crate::testing;

const RECORDS: &str = r#"
workforce:
  - {id: W1, name: 一, employment_type: 正社員, start_date: 2015-04-01}
  - {id: W2, name: 二, employment_type: 正社員, start_date: 2015-04-01}
audit_findings:
  - {id: F1, source: internal_audit, type: nonconformity, raised_on: 2025-01-10}
  - {id: F2, source: internal_audit, type: nonconformity, raised_on: 2025-01-10}
incidents:
  - {id: I1, discovered_on: 2025-01-10}
corrective_actions:
  - {id: CA1, finding_id: F1, owner: W1}
  - {id: CA2, incident_id: I1}
"#;

/// The findings of a rule over `over` (`for x in over`) with `body`, the filter `cond` of
/// its aggregate written as given and as a scan, in both evaluation modes: each run's
/// `(subject id, status, missing)`, which must all agree.
fn statuses(over: &str, body: &str, cond: &str) -> Vec<(String, Status, Vec<String>)> {
    let mut seen: Option<Vec<(String, Status, Vec<String>)>> = None;
    for form in [cond.to_string(), format!("not not ({cond})")] {
        let text = format!(
            r#"rule X-L-01 {{
  title ja "索引" en "Look-up"
  clause jis2017 "A.3.8"
  phase act
  severity minor
  basis practice
  activity corrective_action
  for x in {over}
  {}
  message ja "{{x.id}}" en "{{x.id}}"
  fix ja "x" en "x"
}}
"#,
            body.replace("COND", &form)
        );
        let program = testing::compile("l.pms", &text);
        let set = testing::load("l.yaml", RECORDS);
        for mode in [Columnar::Always, Columnar::Never] {
            let mut opts = Options::new(testing::day("2025-06-30"));
            opts.edition = "jisq15001:2017".into();
            opts.columnar = mode;
            let got: Vec<(String, Status, Vec<String>)> = testing::check(&program, &set, &opts)
                .findings
                .iter()
                .map(|f: &Finding| (f.id.clone(), f.status, f.missing.clone()))
                .collect();
            if let Some(s) = &seen {
                assert_eq!(s, &got, "{mode:?}: {form}");
            }
            seen = Some(got);
        }
    }
    seen.unwrap_or_default()
}

/// CA2 records no owner: it may be W2's, so W2's count is 0 or 1 (insufficient data naming
/// CA2's owner); W1 has CA1 either way. It used to be left out by the index (W2 a gap).
#[test]
fn a_record_whose_looked_up_field_is_absent_is_an_unknown_element() {
    let got = statuses(
        "workforce",
        "let n = count(c in corrective_actions where COND)\n  require n >= 1",
        "c.owner == x.id",
    );
    assert_eq!(
        got,
        vec![(
            "X-L-01:W2".to_string(),
            Status::InsufficientData,
            vec!["corrective_actions CA2: owner".to_string()]
        )]
    );
    // A rule that reads absence as "none" says so: a guard makes the record known not to
    // match, and the look-up visits no absent record.
    let got = statuses(
        "workforce",
        "let n = count(c in corrective_actions where COND)\n  require n >= 1",
        "present(c.owner) and c.owner == x.id",
    );
    assert_eq!(
        got,
        vec![("X-L-01:W2".to_string(), Status::Gap, Vec::new())]
    );
}

/// `finding_id | incident_id` are alternative keys: CA2 names an incident, so it is known
/// not to answer F2 — F2 is a gap in the look-up and the scan alike (the scan used to find
/// CA2 unknown, the look-up to skip it).
#[test]
fn an_absent_alternative_key_is_known_absent() {
    let body = "let n = count(c in corrective_actions where COND)\n  require n >= 1";
    let gap = vec![("X-L-01:F2".to_string(), Status::Gap, Vec::new())];
    assert_eq!(
        statuses("audit_findings", body, "c.finding_id == x.id"),
        gap
    );
    assert_eq!(
        statuses("audit_findings", body, "x.id == c.finding_id"),
        gap
    );
    // `!=` is true for an absent alternative key: CA2 is "not F1's".
    let others = statuses(
        "audit_findings",
        "let n = count(c in corrective_actions where COND)\n  require n == 2",
        "c.finding_id != x.id",
    );
    assert_eq!(
        others,
        vec![("X-L-01:F1".to_string(), Status::Gap, Vec::new())]
    );
}

/// An absent key (CA2's owner) leaves every workforce record's condition unknown, as a scan
/// finds it: CA2's owner count is 0, 1 or 2.
#[test]
fn an_absent_key_leaves_every_element_unknown() {
    let got = statuses(
        "corrective_actions",
        "let n = count(w in workforce where COND)\n  require n == 1",
        "w.id == x.owner",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got
        .iter()
        .all(|(id, status, _)| id == "X-L-01:CA2" && *status == Status::InsufficientData));
    // … unless a part of the condition is false whatever the element.
    let got = statuses(
        "corrective_actions",
        "let n = count(w in workforce where COND)\n  require n == 1",
        "present(x.owner) and w.id == x.owner",
    );
    assert_eq!(
        got,
        vec![("X-L-01:CA2".to_string(), Status::Gap, Vec::new())]
    );
}

/// A corrective action naming neither its finding nor its incident is refused at load,
/// located and coded like a missing required field.
#[test]
fn a_corrective_action_naming_neither_key_is_refused() {
    let yaml = "corrective_actions:\n  - {id: CA9, action: 処置}\n";
    let Err(diags) = crate::records::load_str("r.yaml", yaml, crate::records::Format::Yaml) else {
        panic!("a corrective action naming nothing was accepted");
    };
    assert!(
        diags
            .iter()
            .any(|d| d.code == crate::diagnostic::codes::MISSING_FIELD
                && d.message
                    .contains("names neither `finding_id` nor `incident_id`")),
        "{diags:?}"
    );
}

/// `within` of an absent date is unknown, not false.
#[test]
fn within_an_absent_date_is_unknown() {
    let got = statuses("workforce", "require COND", "within(x.end_date, 12 months)");
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got
        .iter()
        .all(|(_, status, missing)| *status == Status::InsufficientData
            && missing == &vec!["end_date".to_string()]));
}
