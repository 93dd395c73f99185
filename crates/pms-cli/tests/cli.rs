//! The `pms` command end to end: exit codes, stdout/stderr, directory input, user rules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod common;

use common::{pms, root, scratch, text};
use std::path::Path;

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
    let out = pms(&[
        "validate",
        "examples/custom-rule/records.yaml",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown field `retention_days` in `inventory`"));
    // Japanese by default, the code and place the same.
    let ja = text(&pms(&["validate", "examples/custom-rule/records.yaml"]).stderr);
    assert!(
        ja.contains("未知の項目 `retention_days` がある [E1002]"),
        "{ja}"
    );
    let out = pms(&[
        "validate",
        "examples/custom-rule/records.yaml",
        "--rules",
        "examples/custom-rule/call-recordings.pms",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dir = scratch("ext");
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
            "--lang",
            "en",
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
    let out = pms(&["check", "--rules", decl.to_str().unwrap(), "--lang", "en"]);
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
    let out = pms(&[
        "validate",
        "tests/diagnostics/E1002-unknown-field.yaml",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("E1002")
            && err.contains("tests/diagnostics/E1002-unknown-field.yaml:6:5")
            && err.contains("did you mean `start_date`?"),
        "{err}"
    );
    // In Japanese (the default): the same code and place, the help in Japanese.
    let out = pms(&["validate", "tests/diagnostics/E1002-unknown-field.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("[E1002]")
            && err.contains("tests/diagnostics/E1002-unknown-field.yaml:6:5")
            && err.contains("`start_date` の誤りではないか"),
        "{err}"
    );
    // An unknown language is itself an error.
    let out = pms(&[
        "validate",
        "tests/diagnostics/E1002-unknown-field.yaml",
        "--lang",
        "fr",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E3001"), "{}", text(&out.stderr));
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
        "--lang",
        "en",
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
    let dir = scratch("dir-test");
    for (entity, list) in doc.as_object().unwrap() {
        let ext = if entity.len().is_multiple_of(2) {
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
    let out = pms(&["rules", "explain", "R-CA-1", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean"));
    let out = pms(&["rules", "explain", "R-CA-1"]);
    assert!(
        text(&out.stderr).contains("の誤りではないか"),
        "{}",
        text(&out.stderr)
    );
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

#[test]
fn test_runs_the_example_cases_and_the_conformance_cases() {
    let rules = "examples/custom-rule/call-recordings.pms";
    let out = pms(&["test", "examples/custom-rule/tests.yaml", "--rules", rules]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains("ok   examples/custom-rule/tests.yaml: the oldest recording held exactly 92 days passes"),
        "{stdout}"
    );
    assert!(stdout.ends_with("4 passed, 0 failed\n"), "{stdout}");
    // A directory holds case files; the built-in packs pass the conformance cases.
    let out = pms(&["test", "tests/conformance"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(" passed, 0 failed"));
    // A wrong expectation: the expected gap is missing, the real one unexpected.
    let dir = scratch("test-expect");
    let example = std::fs::read_to_string(root().join("examples/custom-rule/tests.yaml")).unwrap();
    std::fs::write(
        dir.join("expect.yaml"),
        example.replace(
            "      - [X-CALL-01, INV-C, gap]",
            "      - [X-CALL-01, INV-B, gap]",
        ),
    )
    .unwrap();
    let out = pms(&[
        "test",
        dir.join("expect.yaml").to_str().unwrap(),
        "--rules",
        rules,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("a client's extension counts while it is valid, and not after"),
        "{stdout}"
    );
    assert!(stdout.contains("  - [X-CALL-01, INV-B, gap]\n"), "{stdout}");
    assert!(stdout.contains("  + [X-CALL-01, INV-C, gap]"), "{stdout}");
    assert!(stdout.ends_with("3 passed, 1 failed\n"), "{stdout}");
    // Without the rule file the records' extension fields are unknown: bad input.
    let out = pms(&["test", "examples/custom-rule/tests.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E1002"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn test_shows_unexpected_findings_with_their_message_and_locates_bad_records() {
    let dir = scratch("test-cases");
    let example = std::fs::read_to_string(root().join("examples/custom-rule/tests.yaml")).unwrap();
    // DP-1 kept longer: an unexpected gap in the first case.
    std::fs::write(
        dir.join("wrong.yaml"),
        example.replace("disposed_on: 2026-01-01", "disposed_on: 2026-03-01"),
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
        stdout.contains("  + [X-CALL-02, DP-1, gap]  通話録音 collected 2025-10-01 to 2025-10-31 was deleted after 151 days (limit 92 days)"),
        "{stdout}"
    );
    // Bad records: the case is named, the problem located in the case file; exit 2.
    std::fs::write(
        dir.join("bad.yaml"),
        example.replace("disposed_on: 2026-01-01", "disposed_on: 2026-13-01"),
    )
    .unwrap();
    let out = run(&dir.join("bad.yaml"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("case `the oldest recording held exactly 92 days passes; a batch deleted on day 92 passes`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("E1004") && stderr.contains("bad.yaml:12:"),
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
        stderr.contains("E3004") && stderr.contains("bad.yaml:5:"),
        "{stderr}"
    );
    let out = run(&dir.join("missing.yaml"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E1011"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fmt_rewrites_rule_files_and_check_lists_the_unformatted_ones() {
    let dir = scratch("fmt");
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
        "X-CALL-01 — 通話録音の保存期間超過（保有中） / Call recordings held past their limit",
        "file: examples/custom-rule/call-recordings.pms",
        "X-CALL-01, X-CALL-02 — a company's own rules: call-centre recordings",
        "clauses: jis2017 A.3.4.3.1",
        "param call_recording_days = 92 — ja: 通話録音の保存日数",
        "rule X-CALL-01 {",
        "  require held <= limit",
    ] {
        assert!(stdout.contains(want), "{want} not in:\n{stdout}");
    }
    // Built-in rules show their header: specification and parts.
    let stdout = text(&pms(&["rules", "explain", "R-TRN-01"]).stdout);
    assert!(stdout.contains("Specification: "), "{stdout}");
    assert!(stdout.contains("Parts:\n  1. "), "{stdout}");
}

#[test]
fn an_empty_rule_list_is_an_error() {
    let out = pms(&["check", "--only", "", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("E3001") && err.contains("names no rule"),
        "{err}"
    );
    let err = text(&pms(&["check", "--only", ""]).stderr);
    assert!(
        err.contains("error[E3001]: `only` のルール一覧にルールがない"),
        "{err}"
    );
}

#[test]
fn template_and_export_write_workbooks() {
    let dir = scratch("template");
    let empty = dir.join("pms-ledgers.xlsx");
    let out = pms(&["template", "-o", empty.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&empty).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx file is a zip archive");
    // --sample writes the sample company: the workbook checked in beside its YAML, which
    // `pms export` of that YAML writes too.
    let sample = dir.join("sample.xlsx");
    let out = pms(&["template", "--sample", "-o", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = dir.join("exported.xlsx");
    let out = pms(&[
        "export",
        "examples/mimoto/records.yaml",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sample = std::fs::read(&sample).unwrap();
    assert_eq!(sample, std::fs::read(&exported).unwrap());
    assert_eq!(
        sample,
        std::fs::read(root().join("examples/mimoto/ledgers.xlsx")).unwrap()
    );
    assert_ne!(sample, bytes);
    // Not an .xlsx name: E3001; invalid records: their located diagnostics, nothing written.
    let out = pms(&["template", "-o", dir.join("x.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E3001"), "{}", text(&out.stderr));
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "workforce:\n  - {id: E1, employment_type: 正社員, start_date: 2025-02-30}\n",
    )
    .unwrap();
    let target = dir.join("bad.xlsx");
    let out = pms(&[
        "export",
        bad.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("E1004") && err.contains("bad.yaml:2"), "{err}");
    assert!(!target.exists());
}

/// The ledger reader's options (`--encoding`, `--max-rows`) belong to the commands that read
/// records; the others neither list nor accept them.
#[test]
fn ledger_options_are_on_the_commands_that_read_records_only() {
    let readers: &[&[&str]] = &[
        &["check"],
        &["validate"],
        &["import"],
        &["export"],
        &["deadlines"],
        &["summary"],
    ];
    let others: &[&[&str]] = &[
        &["fmt"],
        &["test"],
        &["report"],
        &["diff"],
        &["template"],
        &["schema"],
        &["graph"],
        &["rules", "list"],
    ];
    for (command, listed) in readers
        .iter()
        .map(|c| (c, true))
        .chain(others.iter().map(|c| (c, false)))
    {
        let mut args = command.to_vec();
        args.push("--help");
        let out = pms(&args);
        assert_eq!(out.status.code(), Some(0), "{command:?}");
        let help = text(&out.stdout);
        for option in ["--encoding", "--max-rows"] {
            assert_eq!(
                help.contains(option),
                listed,
                "{command:?} {option}:\n{help}"
            );
        }
    }
    let out = pms(&["fmt", "--encoding", "shift_jis", "rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error[E3005]"),
        "{}",
        text(&out.stderr)
    );
    // Still given after the command that reads, and obeyed.
    let out = pms(&[
        "validate",
        "examples/mimoto/ledgers.xlsx",
        "--max-rows",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E1035"), "{}", text(&out.stderr));
}
