//! Hostile input through the `pms` binary: coded errors and an ordinary exit, never a crash.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn pms(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pms"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env("PMS_TEST_REQUIRE_JA", "1")
        .env_remove("RUST_BACKTRACE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file of the test's own under the temporary directory.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pms-cli-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn command_line_errors_have_a_code() {
    let out = pms(&["check", "--bogus", "--lang", "en"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error[E3005]: unexpected argument '--bogus'"),
        "{err}"
    );
    let err = stderr(&pms(&["check", "--bogus"], &[]));
    assert!(
        err.starts_with("error[E3005]: コマンドラインが正しくない: unexpected argument '--bogus'"),
        "{err}"
    );
    assert!(err.contains("Usage:"), "{err}");
    let out = pms(&["check", "--as-of"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error[E3005]: "),
        "{}",
        stderr(&out)
    );
    // Help is not an error.
    let out = pms(&["--help"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"));
}

#[test]
fn an_internal_error_is_reported_with_its_code_not_a_crash() {
    let out = pms(
        &["check", "--lang", "en"],
        &[("PMS_INTERNAL_TEST_PANIC", "1")],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error[E9001]: internal error in pms while handling `pms check --lang en`"),
        "{err}"
    );
    // Without the hook, the same command works.
    assert_eq!(pms(&["check"], &[]).status.code(), Some(0));
}

#[test]
fn deep_rules_and_records_are_coded_errors_on_the_main_thread() {
    let rule = format!(
        "rule R-X-01 {{\n  require {}true\n}}\n",
        "(".repeat(2_000) + &")".repeat(2_000)
    );
    let rules = temp_file("deep.pms", &rule);
    let out = pms(&["check", "--rules", rules.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("[E2014]"), "{}", stderr(&out));
    let records = temp_file(
        "deep.yaml",
        &format!("workforce:\n  {}x\n", "- ".repeat(25_000)),
    );
    let out = pms(&["validate", records.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("[E1022]"), "{}", stderr(&out));
}
