//! Renderers on the sample company's report: what each format says, beyond the goldens.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use pms_core::Lang;
use pms_render::{diff_json, render, Format, RenderOptions};

fn sample_json(as_of: &str) -> serde_json::Value {
    let program = pms_rules::compile_builtin().unwrap();
    let (name, text) = pms_rules::SAMPLE_COMPANY;
    let set = pms_core::records::load_str(name, text, pms_core::records::Format::Yaml).unwrap();
    let opts = pms_core::Options::new(pms_core::records::parse_date(as_of).unwrap());
    serde_json::to_value(pms_core::evaluate(&program, &set, &opts).unwrap()).unwrap()
}

fn out(report: &serde_json::Value, f: Format, lang: Lang) -> String {
    String::from_utf8(render(report, f, &RenderOptions { lang: Some(lang) }).unwrap()).unwrap()
}

#[test]
fn diff_reports_moved_deadlines_and_closed_gaps() {
    let before = sample_json("2026-03-31");
    let mut after = before.clone();
    // After corrective action: the late contractor re-evaluation is done and its next
    // review is due a year on; the 2026-05-15 deadline of C-01 moves by a week.
    let findings = after["findings"].as_array_mut().unwrap();
    findings.retain(|f| f["id"] != "R-CTR-02:C-03");
    for d in after["deadlines"].as_array_mut().unwrap() {
        if d["finding_id"] == "R-CTR-02:C-01" {
            d["due"] = "2026-05-22".into();
        }
    }
    let d = diff_json(&before, &after).unwrap();
    assert_eq!(
        d.closed
            .iter()
            .map(|c| c.finding_id.as_str())
            .collect::<Vec<_>>(),
        ["R-CTR-02:C-03"]
    );
    assert_eq!(d.closed[0].after, None);
    assert!(d.new.is_empty());
    assert_eq!(d.deadlines_moved.len(), 1);
    assert_eq!(d.deadlines_moved[0].finding_id, "R-CTR-02:C-01");
    assert_eq!(d.deadlines_moved[0].days, 7);
    let t = d.to_text(Lang::En);
    assert!(
        t.contains("Gaps closed (1)") && t.contains("2026-05-15 → 2026-05-22 (+7 days)"),
        "{t}"
    );
    // Nothing changes between a report and itself.
    let same = diff_json(&before, &before).unwrap();
    assert!(same.closed.is_empty() && same.new.is_empty() && same.deadlines_moved.is_empty());
    // Every gap of the report is still open against itself.
    let gaps = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "gap")
        .count();
    assert!(gaps > 0);
    assert_eq!(same.still_open.len(), gaps);
}

#[test]
fn record_text_is_escaped_in_html_and_markdown() {
    let mut report = sample_json("2026-03-31");
    let evil = "<script>alert(1)</script> | **x** \u{202E}cba";
    report["organization"] = evil.into();
    report["findings"][0]["fix"]["ja"] = evil.into();
    let html = out(&report, Format::Html, Lang::Ja);
    assert!(!html.contains("<script>"), "raw markup reached the page");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains('\u{202E}') && html.contains("\\u{202e}cba"));
    let md = out(&report, Format::Md, Lang::Ja);
    assert!(!md.contains("<script>") && md.contains("&lt;script&gt;"));
    assert!(
        md.contains("\\| \\*\\*x\\*\\*"),
        "table and emphasis marks are escaped"
    );
}

#[test]
fn html_is_self_contained_and_in_both_languages() {
    let report = sample_json("2026-03-31");
    let ja = out(&report, Format::Html, Lang::Ja);
    let en = out(&report, Format::Html, Lang::En);
    for page in [&ja, &en] {
        // No fetch: no external URL in src/href, no script, a CSP that forbids loading.
        assert!(!page.contains("src=\"http") && !page.contains("href=\"http"));
        assert!(!page.contains("<script") && !page.contains("@import") && !page.contains("url("));
        assert!(page.contains("default-src 'none'"));
        assert!(page.contains("<svg role=\"img\""));
        assert!(page.contains("@page{size:A4"));
    }
    assert!(ja.contains("<html lang=\"ja\">") && ja.contains("不備（根本原因別）"));
    assert!(en.contains("<html lang=\"en\">") && en.contains("Gaps by root cause"));
    // A finding with its clause, J-number, department, records, values and fix.
    let card = ja
        .split("<article")
        .find(|a| a.contains("R-TRN-01 年次教育の未受講者"))
        .unwrap();
    for part in [
        "7.3",
        "J.4.3",
        "大阪支店",
        "training_records:TR-0040",
        "training_interval",
        "対応:",
    ] {
        assert!(card.contains(part), "{part} missing in {card}");
    }
    // At-risk findings of one rule are one card with a row per subject.
    let pending = ja.split("<section id=\"pending\">").nth(1).unwrap();
    let inv = pending
        .split("<article")
        .find(|a| a.contains("R-INV-02"))
        .unwrap();
    assert!(
        inv.contains("(10 件)") && inv.matches("<tr id=").count() == 10,
        "{inv}"
    );
    // The explained gap is shown under its root cause.
    let roots: serde_json::Value = report["root_causes"].clone();
    let consequence = roots[0]["consequences"][0].as_str().unwrap();
    let rule = consequence.split(':').next().unwrap();
    let pos_root = ja.find("└ この不備が原因で:").unwrap();
    assert!(ja[pos_root..].contains(&format!("{rule} ")));
}

#[test]
fn junit_fails_gaps_only_and_ics_alarms_at_risk_deadlines() {
    let report = sample_json("2026-03-31");
    let xml = out(&report, Format::Junit, Lang::En);
    let failures = xml.matches("<failure ").count();
    assert_eq!(
        failures,
        report["summary"]["gaps"].as_u64().unwrap() as usize
    );
    assert!(xml.contains("<testsuites name=\"pms 見本株式会社 2026-03-31\""));
    let ics = out(&report, Format::Ics, Lang::Ja);
    let events = ics.matches("BEGIN:VEVENT").count();
    assert_eq!(events, report["deadlines"].as_array().unwrap().len());
    let alarmed = report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "at_risk" || d["status"] == "gap")
        .count();
    assert_eq!(ics.matches("BEGIN:VALARM").count(), 2 * alarmed);
    // Same rule, record and kind → same UID whatever the date of the check.
    let later = out(&sample_json("2026-04-10"), Format::Ics, Lang::Ja);
    let uid = "UID:R-CTR-02.contractors.C-01.due.";
    assert!(ics.contains(uid) && later.contains(uid));
    let line = |s: &str| s.lines().find(|l| l.starts_with(uid)).unwrap().to_string();
    assert_eq!(line(&ics), line(&later));
}
