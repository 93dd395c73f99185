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

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pms-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn test_runs_the_example_cases_and_the_conformance_cases() {
    let rules = "examples/custom-rule/call-recordings.pms";
    let out = pms(&["test", "examples/custom-rule/tests.yaml", "--rules", rules]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains("ok   examples/custom-rule/tests.yaml: a recording deleted on day 92 passes"),
        "{stdout}"
    );
    assert!(stdout.ends_with("2 passed, 0 failed\n"), "{stdout}");
    // A directory holds case files; the built-in packs pass the conformance cases.
    let out = pms(&["test", "tests/conformance"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(" passed, 0 failed"));
    // Without the company's rule, its gap is missing.
    let out = pms(&["test", "examples/custom-rule/tests.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("FAIL examples/custom-rule/tests.yaml: a recording kept 107 days"),
        "{stdout}"
    );
    assert!(stdout.contains("  - [X-CALL-01, DP-2, gap]\n"), "{stdout}");
    assert!(stdout.ends_with("1 passed, 1 failed\n"), "{stdout}");
}

#[test]
fn test_shows_unexpected_findings_with_their_message_and_locates_bad_records() {
    let dir = temp_dir("test-cases");
    let example = std::fs::read_to_string(root().join("examples/custom-rule/tests.yaml")).unwrap();
    // DP-1 kept longer: an unexpected gap in the first case.
    std::fs::write(
        dir.join("wrong.yaml"),
        example.replace("disposed_on: 2025-09-30", "disposed_on: 2025-11-30"),
    )
    .unwrap();
    let rules = root().join("examples/custom-rule/call-recordings.pms");
    let args = |p: &Path| {
        vec![
            "test".to_string(),
            p.display().to_string(),
            "--rules".into(),
            rules.display().to_string(),
            "--lang".into(),
            "en".into(),
        ]
    };
    let run = |p: &Path| {
        let a = args(p);
        pms(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = run(&dir.join("wrong.yaml"));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FAIL "), "{stdout}");
    assert!(
        stdout.contains("  + [X-CALL-01, DP-1, gap]  コールセンター通話録音 collected 2025-04-01 to 2025-06-30 was deleted after 153 days"),
        "{stdout}"
    );
    // Bad records: the case is named, the problem located in the case file; exit 2.
    std::fs::write(
        dir.join("bad.yaml"),
        example.replace("collected_to: 2025-06-30", "collected_to: 2025-13-30"),
    )
    .unwrap();
    let out = run(&dir.join("bad.yaml"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("case `a recording deleted on day 92 passes`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("E1004") && stderr.contains("bad.yaml:13:"),
        "{stderr}"
    );
    // Bad YAML and a bad shape are bad input too.
    std::fs::write(dir.join("bad.yaml"), "cases: [\n").unwrap();
    let out = run(&dir.join("bad.yaml"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E1001"));
    std::fs::write(dir.join("bad.yaml"), "cases:\n  - name: x\n    as_of: 2026-04-30\n    records: {}\n    expect: [[X-CALL-01, DP-1]]\n").unwrap();
    let out = run(&dir.join("bad.yaml"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("E3002") && stderr.contains("bad.yaml:5:"),
        "{stderr}"
    );
    let out = run(&dir.join("missing.yaml"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E1011"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fmt_rewrites_rule_files_and_check_lists_the_unformatted_ones() {
    let dir = temp_dir("fmt");
    let messy = "# X-A-01 — a rule   \nrule X-A-01{\ntitle ja \"a\" en \"b\"\n    for w in workforce where w.start_date+30 days<as_of  # joined\n        and present( w.name )\n}\n";
    let formatted = "# X-A-01 — a rule\nrule X-A-01 {\n  title ja \"a\" en \"b\"\n  for w in workforce where w.start_date + 30 days < as_of  # joined\n      and present(w.name)\n}\n";
    let file = dir.join("a.pms");
    std::fs::write(&file, messy).unwrap();
    std::fs::write(dir.join("ok.pms"), formatted).unwrap();
    let d = dir.display().to_string();
    let out = pms(&["fmt", "--check", &d]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), format!("{}\n", file.display()));
    assert!(text(&out.stderr).contains("E3003"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        messy,
        "--check writes nothing"
    );
    let out = pms(&["fmt", &d]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), formatted);
    assert_eq!(pms(&["fmt", "--check", &d]).status.code(), Some(0));
    // A file that does not parse is left alone, located, exit 2.
    std::fs::write(dir.join("bad.pms"), "rule {\n").unwrap();
    let out = pms(&["fmt", &d]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("E2001") && stderr.contains("bad.pms:1:6"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.pms")).unwrap(),
        "rule {\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rules_list_and_explain_know_user_rules() {
    let rules = "examples/custom-rule/call-recordings.pms";
    let out = pms(&["rules", "list", "--rules", rules]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.lines().any(|l| l.starts_with("X-CALL-01")),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l.starts_with("R-TRN-01")));
    let json = pms(&[
        "rules",
        "list",
        "--rules",
        rules,
        "--edition",
        "jisq15001:2017",
        "--format",
        "json",
    ]);
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "X-CALL-01"));
    assert_eq!(
        pms(&["rules", "explain", "X-CALL-01"]).status.code(),
        Some(2)
    );
    let out = pms(&["rules", "explain", "X-CALL-01", "--rules", rules]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for want in [
        "X-CALL-01 — 通話録音の保存期間超過 / Call recordings kept too long",
        "file: examples/custom-rule/call-recordings.pms",
        "X-CALL-01 — a company's own rule: call-centre recordings are deleted 92 days after",
        "clauses: jis2017 A.3.4.3.1",
        "param call_recording_retention = 92 days — ja: 通話録音の保存期間",
        "rule X-CALL-01 {",
        "  require kept <= ",
    ] {
        assert!(stdout.contains(want), "{want} not in:\n{stdout}");
    }
    // Built-in rules show their header: specification and parts.
    let stdout = text(&pms(&["rules", "explain", "R-TRN-01"]).stdout);
    assert!(
        stdout.contains("Specification: Every active workforce member"),
        "{stdout}"
    );
    assert!(stdout.contains("Parts:\n  1. each active"), "{stdout}");
}
