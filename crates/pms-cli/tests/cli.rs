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
        "--as-of",
        "2026-04-30",
        "--fail-on",
        "minor",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "no built-in gap there: {}",
        text(&out.stdout)
    );
}

#[test]
fn user_rules_and_parameters() {
    let args = [
        "check",
        "examples/custom-rule/records.yaml",
        "--rules",
        "examples/custom-rule/call-recordings.pms",
        "--as-of",
        "2026-04-30",
        "--format",
        "json",
    ];
    let out = pms(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gaps: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "gap")
        .map(|f| f["subject"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(gaps, vec!["DP-2"], "DP-1 is in time, DP-3 has an extension");
    let mut longer = args.to_vec();
    longer.extend(["--param", "call_recording_retention=120 days"]);
    let r: serde_json::Value = serde_json::from_slice(&pms(&longer).stdout).unwrap();
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["status"] != "gap"));
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
    assert!(text(&pms(&["graph"]).stdout).contains("\"R-MR-02\" -> \"R-AUD-01\""));
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
