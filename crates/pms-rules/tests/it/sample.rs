//! The sample company: each planted gap is found, and nothing else.

use crate::common::*;
use pms_core::Lang;

const PLANTED: &[(&str, &str)] = &[
    ("R-ACC-01", "SYS-FS"),
    ("R-ACC-02", "SYS-HR"),
    ("R-ACC-03", "INV-04"),
    ("R-AUD-03", "IA-2025"),
    ("R-CA-01", "F-2025-03"),
    ("R-CA-02", "CA-2025-01"),
    ("R-CA-03", "CA-2025-02"),
    ("R-CTR-01", "C-05"),
    ("R-CTR-02", "C-03"),
    ("R-CTR-04", "C-06"),
    ("R-DOC-06", "DOC-EMERGENCY"),
    ("R-INC-11", "INC-2025-02"),
    ("R-INC-21", "INC-2025-02"),
    ("R-INV-01", "INV-09"),
    ("R-INV-02", "INV-11"),
    ("R-MR-02", "MR-2026"),
    ("R-RSK-01", "INV-12"),
    ("R-SEC-06", "EQ-UTM-TOKYO"),
    ("R-TRN-01", "W-021"),
    ("R-TRN-02", "W-030"),
    ("R-TRN-03", "TR-0016"),
    ("R-TRN-04", "W-021"),
];

#[test]
fn planted_gaps_are_found_and_nothing_else() {
    let report = check(&sample(), "2026-03-31");
    let want: Vec<(String, String)> = PLANTED
        .iter()
        .map(|(r, s)| ((*r).to_string(), (*s).to_string()))
        .collect();
    assert_eq!(gaps(&report), want);
}

#[test]
fn consequences_are_grouped_under_their_root_cause() {
    let report = check(&sample(), "2026-03-31");
    let caused = |id: &str| {
        report
            .findings
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| f.caused_by.clone())
    };
    assert!(
        report.findings.iter().all(|f| f.id != "R-CTR-02:C-05"),
        "C-05 was never evaluated: R-CTR-01 reports it, and it has no re-evaluation to be late"
    );
    assert_eq!(
        caused("R-TRN-04:W-021").as_deref(),
        Some("R-TRN-01:W-021"),
        "the absentee W-021 is also the untrained worker"
    );
    assert_eq!(
        caused("R-CTR-02:C-03"),
        None,
        "C-03's overdue re-evaluation is not explained by C-05"
    );
}

#[test]
fn new_joiner_inside_the_grace_period_is_at_risk_not_a_gap() {
    let report = check(&sample(), "2026-03-31");
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "R-TRN-02:W-031")
        .expect("W-031 is listed");
    assert_eq!(f.status, pms_core::Status::AtRisk);
    assert_eq!(f.due, Some(date("2026-04-19")));
    assert!(
        report
            .deadlines
            .iter()
            .any(|d| d.rule_id == "R-CRT-02" && d.due == date("2026-06-01")),
        "renewal window closes 2026-05-30 (Sat) → next business day"
    );
}

#[test]
fn golden_reports() {
    let report = check(&sample(), "2026-03-31");
    golden("tests/golden/mimoto.json", &report.to_json());
    golden("tests/golden/mimoto.ja.txt", &report.to_text(Lang::Ja));
    golden("tests/golden/mimoto.en.txt", &report.to_text(Lang::En));
}

#[test]
fn editions_change_the_clause_numbers_shown() {
    let set = sample();
    let mut opts = pms_core::Options::new(date("2026-03-31"));
    opts.edition = "jisq15001:2006".into();
    let r = pms_core::evaluate(program(), &set, &opts).unwrap();
    let f = r.findings.iter().find(|f| f.rule_id == "R-MR-02").unwrap();
    assert_eq!(f.clause.as_deref(), Some("3.9"));
    opts.edition = "jisq15001:2017".into();
    let r = pms_core::evaluate(program(), &set, &opts).unwrap();
    let f = r.findings.iter().find(|f| f.rule_id == "R-MR-02").unwrap();
    assert_eq!(f.clause.as_deref(), Some("A.3.7.3"));
}

#[test]
fn the_schema_files_are_in_sync() {
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap() + "\n";
    golden(
        "docs/schema/records.schema.json",
        &pretty(pms_core::jsonschema::records_schema()),
    );
    golden(
        "docs/schema/report.schema.json",
        &pretty(pms_core::jsonschema::report_schema()),
    );
    golden(
        "docs/schema/diagnostics.schema.json",
        &pretty(pms_core::jsonschema::diagnostics_schema()),
    );
}

#[test]
fn packs_hold_the_rules_of_their_edition() {
    let p = program();
    let ids = |pack: &str| -> Vec<&str> {
        p.rules
            .iter()
            .filter(|r| r.in_pack(pack))
            .map(|r| r.id.as_str())
            .collect()
    };
    let (y2023, y2017, y2006, appi) = (
        ids("jisq15001:2023"),
        ids("jisq15001:2017"),
        ids("jisq15001:2006"),
        ids("appi"),
    );
    for only_2023 in ["R-PSE-01", "R-REL-01"] {
        assert!(
            y2023.contains(&only_2023)
                && !y2017.contains(&only_2023)
                && !y2006.contains(&only_2023),
            "{only_2023}"
        );
    }
    assert!(
        y2006.contains(&"R-CA-05") && !y2023.contains(&"R-CA-05") && !y2017.contains(&"R-CA-05"),
        "preventive action is 2006 only"
    );
    assert!(
        !y2006.contains(&"R-PRV-02"),
        "cross-border provision came after 2006"
    );
    assert!(
        appi.contains(&"R-INC-10") && appi.contains(&"R-PRV-01") && !appi.contains(&"R-TRN-01")
    );
    assert!(p
        .rules
        .iter()
        .filter(|r| appi.contains(&r.id.as_str()))
        .all(|r| r.basis == pms_core::program::Basis::Law));
    assert!(y2023.len() > 90, "{}", y2023.len());
    // The selected pack decides which rules are evaluated.
    let set = sample();
    let mut opts = pms_core::Options::new(date("2026-03-31"));
    opts.edition = "jisq15001:2006".into();
    let r = pms_core::evaluate(p, &set, &opts).unwrap();
    assert!(
        r.coverage.iter().any(|c| c.rule_id == "R-CA-05")
            && !r.coverage.iter().any(|c| c.rule_id == "R-PSE-01")
    );
    opts.edition = "appi".into();
    let r = pms_core::evaluate(p, &set, &opts).unwrap();
    assert_eq!(r.summary.rules, appi.len());
    let f = r.findings.iter().find(|f| f.rule_id == "R-INC-11").unwrap();
    assert_eq!(f.clause.as_deref(), Some("Rule Art. 8"));
}

#[test]
fn legal_parameters_follow_their_effective_dates() {
    let src = "param limit = 1000\n  from 2027-04-01 = 500\n  ja \"閾値\" en \"threshold\"\n";
    let p = pms_core::Program::compile(vec![pms_core::Source {
        name: "p.pms".into(),
        text: src.into(),
    }])
    .unwrap();
    let param = p.param("limit").unwrap();
    assert_eq!(
        param.value_on(date("2027-03-31")),
        &pms_core::value::Value::Int(1000)
    );
    assert_eq!(
        param.value_on(date("2027-04-01")),
        &pms_core::value::Value::Int(500)
    );
}

#[test]
fn the_document_rules_hang_under_document_control() {
    // The documents area (R-DOC-*) is the PDCA activity 文書管理, not 体制・役割: the report's
    // per-activity view and the graph place them there.
    let doc_rules: Vec<(&str, &str)> = program()
        .rules
        .iter()
        .filter(|r| r.id.starts_with("R-DOC-"))
        .map(|r| (r.id.as_str(), r.activity.as_str()))
        .collect();
    assert!(doc_rules.len() >= 6, "{doc_rules:?}");
    for (id, activity) in doc_rules {
        assert_eq!(activity, "document_control", "{id}");
    }
}
