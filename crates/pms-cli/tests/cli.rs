//! The `pms` command end to end: exit codes, stdout/stderr, directory input, user rules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn check_without_path_checks_the_sample_company() {
    let out = pms(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("プライバシーマーク 記録点検レポート 見本株式会社"),
        "{stdout}"
    );
    assert!(stdout.contains("R-TRN-01") && stdout.contains("池田 優子"));
    assert!(out.stderr.is_empty());
    let en = text(&pms(&["check", "--lang", "en"]).stdout);
    assert!(en.starts_with("Privacy Mark records check"));
    assert!(!en.contains("\u{1b}["), "no colour codes");
}

#[test]
fn fail_on_sets_the_exit_code() {
    assert_eq!(pms(&["check", "--fail-on", "major"]).status.code(), Some(1));
    assert_eq!(
        pms(&["check", "--fail-on", "critical"]).status.code(),
        Some(1),
        "R-INC-11 is critical"
    );
    let out = pms(&[
        "check",
        "examples/custom-rule/records.yaml",
        "--rules",
        "examples/custom-rule/call-recordings.pms",
        "--only",
        "R-TRN-01,R-INV-01",
        "--as-of",
        "2026-04-30",
        "--fail-on",
        "minor",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "no gap of those rules there: {}",
        text(&out.stdout)
    );
}

/// The gaps (subject ids) of the company rules of `examples/custom-rule/` on a day.
fn call_gaps(as_of: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "check",
        "examples/custom-rule/records.yaml",
        "--rules",
        "examples/custom-rule/call-recordings.pms",
        "--only",
        "X-CALL-01,X-CALL-02",
        "--as-of",
        as_of,
        "--format",
        "json",
    ];
    args.extend(extra);
    let out = pms(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "gap")
        .map(|f| f["subject"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_company_rule_reads_the_fields_its_file_declares() {
    // 2026-04-30: A's oldest recording (2026-01-28) is exactly 92 days old (passes), B's
    // extension (180 days, valid to 2026-12-31) covers 166 days, C's ended on 2026-03-31;
    // batch DP-2 was deleted on day 93, DP-1 on day 92.
    assert_eq!(call_gaps("2026-04-30", &[]), vec!["INV-CALL-C", "DP-2"]);
    // A day later A's oldest recording is 93 days old.
    assert_eq!(
        call_gaps("2026-05-01", &[]),
        vec!["INV-CALL-A", "INV-CALL-C", "DP-2"]
    );
    // C's extension is valid up to its last day.
    assert_eq!(call_gaps("2026-03-31", &[]), vec!["DP-2"]);
    assert_eq!(call_gaps("2026-04-01", &[]), vec!["INV-CALL-C", "DP-2"]);
    // B's 180 days: day 180 is 2026-05-14.
    assert!(!call_gaps("2026-05-14", &[]).contains(&"INV-CALL-B".to_string()));
    assert!(call_gaps("2026-05-15", &[]).contains(&"INV-CALL-B".to_string()));
    // The default limit is a parameter (A's own 92 days still apply to DP-2).
    assert_eq!(
        call_gaps("2026-04-30", &["--param", "call_recording_days=160"]),
        vec!["DP-2"]
    );
}

#[test]
fn extension_fields_are_validated_and_typos_still_caught() {
    // Without the rule file the extension fields are unknown.
    let out = pms(&["validate", "examples/custom-rule/records.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown field `retention_days` in `inventory`"));
    let out = pms(&[
        "validate",
        "examples/custom-rule/records.yaml",
        "--rules",
        "examples/custom-rule/call-recordings.pms",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dir = std::env::temp_dir().join(format!("pms-ext-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original =
        std::fs::read_to_string(root().join("examples/custom-rule/records.yaml")).unwrap();
    let typo = dir.join("typo.yaml");
    std::fs::write(
        &typo,
        original.replace("    retention_days: 92", "    retension_days: 92"),
    )
    .unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        original.replace("retain_days: 180", "retain_days: many"),
    )
    .unwrap();
    let rules = root().join("examples/custom-rule/call-recordings.pms");
    let validate = |p: &Path| {
        pms(&[
            "validate",
            p.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
        ])
    };
    let out = validate(&typo);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("E1002")
            && err.contains("typo.yaml:23:5")
            && err.contains("did you mean `retention_days`?"),
        "{err}"
    );
    let err = text(&validate(&bad).stderr);
    assert!(
        err.contains("E1003") && err.contains("`retain_days` must be a whole number"),
        "{err}"
    );
    // The record schema lists the declared fields.
    let out = pms(&["schema", "--rules", rules.to_str().unwrap()]);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["$defs"]["inventory"]["properties"]["retention_extension"].is_object());
    assert!(
        schema["$defs"]["inventory.retention_extension"]["properties"]["valid_until"].is_object()
    );
    let plain: serde_json::Value = serde_json::from_slice(&pms(&["schema"]).stdout).unwrap();
    assert!(plain["$defs"]["inventory"]["properties"]["retention_days"].is_null());
    // A bad declaration is located.
    let decl = dir.join("bad.pms");
    std::fs::write(&decl, "extend inventory {\n  item_name: text\n}\n").unwrap();
    let out = pms(&["check", "--rules", decl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("E2013") && err.contains("already has a built-in field `item_name`"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_inputs_exit_2_with_located_diagnostics_on_stderr() {
    let out = pms(&["validate", "tests/diagnostics/E1002-unknown-field.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("E1002")
            && err.contains("tests/diagnostics/E1002-unknown-field.yaml:6:5")
            && err.contains("did you mean `start_date`?"),
        "{err}"
    );
    let out = pms(&["check", "--param", "training_interval=soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E2012"));
    let out = pms(&["check", "--as-of", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E3001"));
    let out = pms(&[
        "check",
        "--rules",
        "tests/diagnostics/E2003-unknown-field.pms",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown field `strat_date`"));
    let out = pms(&["check", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E1011"));
}

#[test]
fn a_directory_of_entity_files_gives_the_same_report_as_one_file() {
    let (_, sample) = pms_rules::SAMPLE_COMPANY;
    let doc = pms_core::text::parse_yaml(sample).unwrap();
    let dir = std::env::temp_dir().join(format!("pms-dir-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (entity, list) in doc.as_object().unwrap() {
        let ext = if entity.len() % 2 == 0 {
            "json"
        } else {
            "yaml"
        };
        let body = if ext == "json" {
            serde_json::to_string_pretty(list).unwrap()
        } else {
            serde_json::to_string(list).unwrap()
        };
        std::fs::write(dir.join(format!("{entity}.{ext}")), body).unwrap();
    }
    let from_dir = pms(&[
        "check",
        dir.to_str().unwrap(),
        "--as-of",
        "2026-03-31",
        "--format",
        "json",
    ]);
    let embedded = pms(&["check", "--format", "json"]);
    assert_eq!(text(&from_dir.stderr), "");
    assert_eq!(text(&from_dir.stdout), text(&embedded.stdout));
    // An error inside one of the files is located in that file.
    std::fs::write(
        dir.join("complaints.yaml"),
        "- {id: CMP-X, received_on: 2025-13-01}\n",
    )
    .unwrap();
    let out = pms(&["validate", dir.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(
        err.contains("complaints.yaml:1:") && err.contains("E1004"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rules_graph_and_schema_commands() {
    let out = pms(&["rules", "list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout)
        .lines()
        .any(|l| l.starts_with("R-TRN-01") && !l.contains("A.3.4.5") && l.contains("7.3?")));
    let out = pms(&["rules", "list", "--edition", "jisq15001:2017"]);
    assert!(text(&out.stdout)
        .lines()
        .any(|l| l.starts_with("R-TRN-01") && l.contains("A.3.4.5")));
    let out = pms(&["rules", "explain", "R-CA-01"]);
    assert!(text(&out.stdout).contains("param ca_plan_days = 30 days"));
    let out = pms(&["rules", "explain", "R-CA-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean"));
    assert!(text(&pms(&["graph", "--format", "mermaid"]).stdout).starts_with("flowchart LR"));
    assert!(text(&pms(&["graph"]).stdout).contains("\"R-MR-01\" -> \"R-AUD-01\""));
    let s: serde_json::Value = serde_json::from_slice(&pms(&["schema", "report"]).stdout).unwrap();
    assert_eq!(s["title"], "Report");
}

#[test]
fn only_evaluates_the_named_rules() {
    let out = pms(&["check", "--only", "R-TRN-01,R-CA-01", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: std::collections::BTreeSet<&str> = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        ["R-CA-01", "R-TRN-01"]
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule_id"] == "R-TRN-01"));
    assert!(findings
        .iter()
        .all(|f| f["rule_id"] == "R-TRN-01" || f["rule_id"] == "R-CA-01"));
    let out = pms(&["check", "--only", "R-TRN-1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("E3001") && err.contains("R-TRN-01"), "{err}");
}

#[test]
fn threads_do_not_change_the_report() {
    let one = pms(&["check", "--threads", "1", "--all", "--format", "json"]);
    let four = pms(&["check", "--threads", "4", "--all", "--format", "json"]);
    assert_eq!(one.status.code(), four.status.code());
    assert!(!one.stdout.is_empty());
    assert!(one.stdout == four.stdout, "reports differ with 4 threads");
}
