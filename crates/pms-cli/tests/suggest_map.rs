//! `pms import --suggest-map` covers CSV/TSV sources as well as sheets, including a file the
//! reader cannot read yet: its map lists every header with `?` where the reader cannot tell,
//! refuses to be used with a `?` left in it, and, once edited, imports.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod common;

use common::{pms_in as pms, scratch};
use serde_json::Value as Json;
use std::path::Path;

/// A 人事 system's export in Shift_JIS (cp932), headed by its own words, under a file name that
/// names no ledger.
fn write_export(dir: &Path, name: &str, sep: char) {
    let text = [
        ["社員CD", "フルネーム", "雇用種別", "就労開始", "連絡事項"],
        ["E01", "山田 太郎", "正社員", "2020/4/1", ""],
        ["E02", "鈴木 花子", "派遣", "令和2年10月1日", "短期"],
    ]
    .iter()
    .map(|r| r.join(&sep.to_string()))
    .collect::<Vec<_>>()
    .join("\r\n");
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!bad);
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn read_map(path: &Path) -> Json {
    pms_core::text::parse_yaml(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_csv_with_unknown_headers_gets_a_map_that_imports_once_edited() {
    for (file, sep) in [("export_0412.csv", ','), ("export_0412.tsv", '\t')] {
        let dir = scratch(&file.replace('.', "-"));
        write_export(&dir, file, sep);

        // Not readable as it is: the map is written anyway, every header listed, `?` open.
        let out = pms(&dir, &["import", file, "--suggest-map", "map.yaml"]);
        let err = String::from_utf8_lossy(&out.stderr);
        let map = read_map(&dir.join("map.yaml"));
        let entry = &map[file];
        assert_eq!(entry["entity"], "?", "{map}");
        let columns = entry["columns"].as_object().unwrap();
        let headers: Vec<&str> = columns.keys().map(String::as_str).collect();
        assert_eq!(
            headers,
            ["社員CD", "フルネーム", "雇用種別", "就労開始", "連絡事項"],
            "every header, in column order: {map}"
        );
        assert!(columns.values().all(|v| v == "?"), "{map}");
        assert!(
            err.contains(&format!("{file}: to decide: its entity")),
            "{err}"
        );

        // Used as written, the map is refused at the open entity, with its code.
        let out = pms(&dir, &["import", file, "--map", "map.yaml", "--lang", "en"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("E1037") && err.contains("leaves the entity"),
            "{err}"
        );

        // With the entity said, a column still `?` is refused at its cell.
        let mut edited = map.clone();
        edited[file]["entity"] = Json::from("workforce");
        std::fs::write(dir.join("half.json"), edited.to_string()).unwrap();
        let out = pms(
            &dir,
            &["import", file, "--map", "half.json", "--lang", "en"],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("E1037") && err.contains("leaves column `フルネーム` open"),
            "{err}"
        );
        assert!(
            err.contains(&format!("{file}!B1")),
            "located at its header cell: {err}"
        );

        // Once every `?` is replaced, the export imports.
        for (header, field) in [
            ("社員CD", "id"),
            ("フルネーム", "name"),
            ("雇用種別", "employment_type"),
            ("就労開始", "start_date"),
            ("連絡事項", "ignore"),
        ] {
            edited[file]["columns"][header] = Json::from(field);
        }
        std::fs::write(dir.join("map.json"), edited.to_string()).unwrap();
        let out = pms(
            &dir,
            &["import", file, "--map", "map.json", "-o", "records.json"],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        let records: Json =
            serde_json::from_str(&std::fs::read_to_string(dir.join("records.json")).unwrap())
                .unwrap();
        let people = records["workforce"].as_array().unwrap();
        assert_eq!(people.len(), 2, "{records}");
        assert_eq!(people[0]["id"], "E01");
        assert_eq!(people[1]["name"], "鈴木 花子");
        assert_eq!(people[1]["start_date"], "2020-10-01");
        assert!(people[0].get("連絡事項").is_none(), "{records}");

        // The map suggested with the edited one in force shows the reader's reading of it.
        let out = pms(
            &dir,
            &[
                "import",
                file,
                "--map",
                "map.json",
                "--suggest-map",
                "again.yaml",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let again = read_map(&dir.join("again.yaml"));
        assert_eq!(again[file]["entity"], "workforce");
        assert_eq!(again[file]["columns"]["就労開始"], "start_date");
        assert_eq!(again[file]["columns"]["連絡事項"], "ignore");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
