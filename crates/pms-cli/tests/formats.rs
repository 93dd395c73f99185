//! The sample company in the OSCAL and SARIF formats, compared with `tests/golden/`
//! (`UPDATE_GOLDEN=1` rewrites them); the Python tests validate these goldens against the
//! published schemas and load them with compliance-trestle.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pms(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)"
    );
}

#[test]
fn sample_company_formats_equal_their_goldens() {
    for (format, file) in [
        ("sarif", "mimoto.sarif.json"),
        ("oscal-ar", "mimoto.oscal-ar.json"),
        ("oscal-poam", "mimoto.oscal-poam.json"),
    ] {
        let (code, out) = pms(&["check", "--format", format]);
        assert_eq!(code, Some(0), "{format}");
        golden(file, &out);
    }
    let (code, out) = pms(&["rules", "export", "--format", "oscal"]);
    assert_eq!(code, Some(0));
    golden("catalog.oscal.json", &out);
    for form in ["7", "8"] {
        for format in ["md", "csv"] {
            let (code, out) = pms(&["summary", "--form", form, "--format", format]);
            assert_eq!(code, Some(0), "form {form} {format}");
            golden(&format!("mimoto.form{form}.{format}"), &out);
        }
    }
}

#[test]
fn summary_xlsx_needs_an_output_file_and_writes_a_workbook() {
    let (code, out) = pms(&["summary", "--form", "8", "--format", "xlsx"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    let path = std::env::temp_dir().join(format!("pms-form8-{}.xlsx", std::process::id()));
    let (code, _) = pms(&[
        "summary",
        "--form",
        "8",
        "--format",
        "xlsx",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip container");
    std::fs::remove_file(&path).unwrap();
    let (code, _) = pms(&["summary", "--form", "9"]);
    assert_eq!(code, Some(2));
}

#[test]
fn sarif_points_at_the_record_line() {
    let (_, out) = pms(&["check", "--format", "sarif", "--only", "R-INV-01"]);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let result = &log["runs"][0]["results"][0];
    let region = &result["locations"][0]["physicalLocation"]["region"];
    let line = region["startLine"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(root().join("examples/mimoto/records.yaml")).unwrap();
    let id = result["locations"][0]["logicalLocations"][0]["name"]
        .as_str()
        .unwrap();
    let at = text.lines().nth(line - 1).unwrap();
    assert!(at.contains(&format!("id: {id}")), "line {line} is `{at}`");
    assert_eq!(
        region["startColumn"].as_u64().unwrap() as usize,
        at.find("id:").unwrap() + 1
    );
}

#[test]
fn rule_file_errors_and_record_errors_as_sarif() {
    let dir = std::env::temp_dir().join(format!("pms-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.pms");
    std::fs::write(&bad, "rule X-1 {\n  title: \"a\"\n}\n").unwrap();
    let (code, out) = pms(&[
        "check",
        "--rules",
        bad.to_str().unwrap(),
        "--format",
        "sarif",
    ]);
    assert_eq!(code, Some(2));
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "E2001");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let records = dir.join("records.json");
    std::fs::write(
        &records,
        "{\"workforce\": [\n  {\"id\": \"W-1\", \"nmae\": \"甲\"}\n]}\n",
    )
    .unwrap();
    let (code, out) = pms(&["validate", records.to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(code, Some(2));
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"E1002"), "{codes:?}");
    assert!(log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == 2));
    let (code, out) = pms(&[
        "validate",
        "examples/mimoto/records.yaml",
        "--format",
        "sarif",
    ]);
    assert_eq!(code, Some(0));
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}
