//! `pms check --format a,b -o …`, `pms report`, `pms deadlines` and `pms diff` end to end.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod common;

use common::{pms, scratch, text};

#[test]
fn several_formats_in_one_run_equal_the_saved_report_rendered_later() {
    let dir = scratch("multi");
    let d = dir.to_str().unwrap();
    let out = pms(&[
        "check",
        "--format",
        "json,html,md",
        "--format",
        "junit,ics",
        "--output-dir",
        d,
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let json = dir.join("report.json");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(saved["lang"], "en");
    for (format, ext) in [
        ("html", "html"),
        ("md", "md"),
        ("junit", "junit.xml"),
        ("ics", "ics"),
    ] {
        let written = std::fs::read(dir.join(format!("report.{ext}"))).unwrap();
        assert!(!written.is_empty());
        let later = pms(&["report", json.to_str().unwrap(), "--format", format]);
        assert_eq!(later.status.code(), Some(0), "{}", text(&later.stderr));
        assert_eq!(
            written, later.stdout,
            "{format} differs when rendered from the JSON"
        );
    }
    // `-o FILE` writes what `> FILE` would.
    let stdout = pms(&["check", "--format", "json", "--lang", "en"]).stdout;
    assert_eq!(std::fs::read(&json).unwrap(), stdout);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // -o NAME gives NAME.<ext> for each format.
    let base = dir.join("sub/check");
    let out = pms(&["check", "--format", "text,md", "-o", base.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(dir.join("sub/check.txt").is_file() && dir.join("sub/check.md").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_errors_are_coded() {
    let out = pms(&["check", "--format", "json,html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E3022"), "{}", text(&out.stderr));
    let out = pms(&["check", "--format", "htm", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("E3020") && err.contains("did you mean `html`?"),
        "{err}"
    );
    let out = pms(&["deadlines", "--format", "html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E3020"), "{}", text(&out.stderr));
    let dir = scratch("bad");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\n  \"format\": 1,\n  \"as_of\": \"soon\"\n}\n").unwrap();
    let out = pms(&["report", bad.to_str().unwrap(), "--format", "md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("E3021") && err.contains("bad.json:3:"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn deadlines_lists_the_reports_deadlines_as_text_json_and_ics() {
    let out = pms(&["deadlines", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&pms(&["check", "--format", "json"]).stdout).unwrap();
    assert_eq!(v["deadlines"], report["deadlines"]);
    let renewal = v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule_id"] == "R-CRT-02")
        .unwrap();
    assert_eq!(renewal["opens"], "2026-01-30");
    assert_eq!(renewal["due"], "2026-06-01");
    let out = pms(&["deadlines", "--lang", "en"]);
    let t = text(&out.stdout);
    assert!(
        t.contains("2026-01-30〜2026-06-01 (62 days) [at risk] R-CRT-02"),
        "{t}"
    );
    let out = pms(&["deadlines", "--format", "ics"]);
    let ics = text(&out.stdout);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20260130\r\nDTEND;VALUE=DATE:20260602\r\n"));
}

#[test]
fn diff_shows_gaps_closed_new_and_deadlines_moved() {
    let dir = scratch("diff");
    let (before, after) = (dir.join("before.json"), dir.join("after.json"));
    let out = pms(&["check", "--format", "json", "-o", before.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Later, W-031's onboarding training is still missing: its at-risk findings become gaps.
    let out = pms(&[
        "check",
        "--as-of",
        "2026-05-20",
        "--format",
        "json",
        "-o",
        after.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = pms(&[
        "diff",
        before.to_str().unwrap(),
        after.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids = |k: &str| -> Vec<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|c| c["finding_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids("new").contains(&"R-TRN-02:W-031".to_string()), "{d}");
    assert!(ids("still_open").contains(&"R-CA-01:F-2025-03".to_string()));
    assert!(ids("closed").is_empty());
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&before).unwrap()).unwrap();
    assert_eq!(d["before"]["gaps"], saved["summary"]["gaps"]);
    // The reverse direction closes what was new.
    let out = pms(&["diff", after.to_str().unwrap(), before.to_str().unwrap()]);
    let t = text(&out.stdout);
    let new = d["new"].as_array().unwrap().len();
    assert!(
        new > 0 && t.contains(&format!("解消した不備 ({new})")),
        "{t}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
