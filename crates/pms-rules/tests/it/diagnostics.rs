//! One snapshot per diagnostic code: each input under `tests/diagnostics/` (a record file, a
//! rule file or a `pms test` case file, `*.cases.yaml`) is loaded or compiled, and its
//! diagnostics rendered in English and in Japanese and their JSON must equal the `.txt`
//! snapshot next to it. Every diagnostic must have its Japanese message (and label and help).

use crate::common::*;
use pms_core::records::Format;

#[test]
fn diagnostic_snapshots() {
    let dir = root().join("tests/diagnostics");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "txt"))
        .collect();
    inputs.sort();
    let mut codes_seen = Vec::new();
    for input in inputs {
        let file = input.file_name().unwrap().to_string_lossy().to_string();
        let name = format!("tests/diagnostics/{file}");
        let text = std::fs::read_to_string(&input).unwrap();
        let diags = if file.ends_with(".cases.yaml") {
            // A test case file of `pms test`.
            let doc = pms_core::text::parse_yaml(&text).unwrap();
            match pms_core::cases::parse_cases(&doc, &name) {
                Ok(_) => panic!("{file} should not be valid cases"),
                Err(mut d) => {
                    pms_core::cases::locate(&mut d, &name, &text);
                    d
                }
            }
        } else if file.ends_with(".pms") {
            match pms_rules::compile_with(vec![pms_core::Source {
                name: name.clone(),
                text: text.clone(),
            }]) {
                Ok(_) => panic!("{file} should not compile"),
                Err(d) => d,
            }
        } else {
            let format = Format::from_name(&file).unwrap();
            match pms_core::records::load_str(&name, &text, format) {
                Ok(_) => panic!("{file} should not load"),
                Err(d) => d,
            }
        };
        let code = file.split('-').next().unwrap().to_string();
        assert!(
            diags.iter().any(|d| d.code == code),
            "{file} should produce {code}, got {diags:?}"
        );
        codes_seen.push(code);
        for d in &diags {
            assert!(
                d.missing_ja().is_empty(),
                "{file}: {} `{}` has no {:?}",
                d.code,
                d.message,
                d.missing_ja()
            );
        }
        let sources = [(name.clone(), text)];
        let rendered = pms_core::diagnostic::render(&diags, &sources);
        let rendered_ja = pms_core::diagnostic::render_in(&diags, &sources, pms_core::Lang::Ja);
        let json = serde_json::to_string_pretty(&diags).unwrap();
        golden(
            &format!("{name}.txt"),
            &format!("{rendered}---\n{rendered_ja}---\n{json}\n"),
        );
    }
    let mut missing: Vec<&str> = pms_core::diagnostic::codes::ALL
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !codes_seen.iter().any(|s| s == c))
        .filter(|c| {
            ![
                "E1011", "E1012", "E1020", "E1021", "E1023", "E1040", "E2012", "E3001", "E3002",
                "E3003", "E3005", "E9001",
            ]
            .contains(c)
        })
        // Output codes: tested where outputs are written (pms-render, pms-cli's outputs.rs).
        .filter(|c| !["E3020", "E3021", "E3022"].contains(c))
        // Ledger codes: located at cells of workbooks and CSV files, tested by pms-ledgers'
        // tests and tests/ledgers/test_ledgers.py.
        .filter(|c| !c.starts_with("E103"))
        .collect();
    missing.sort_unstable();
    assert!(missing.is_empty(), "no snapshot for {missing:?}");
}

#[test]
fn records_loaded_with_other_extension_fields_are_refused() {
    let with = |text: &str| {
        pms_rules::compile_with(vec![pms_core::Source {
            name: "ext.pms".into(),
            text: text.into(),
        }])
        .unwrap()
    };
    let a = with("extend inventory { retention_days: int }");
    let b = with("extend inventory { kept_days: int }");
    let (name, text) = pms_rules::SAMPLE_COMPANY;
    let loaded_b =
        pms_core::records::load_str_with(name, text, Format::Yaml, &b.extensions).unwrap();
    let opts = pms_core::Options::new(date("2026-03-31"));
    let e = pms_core::evaluate(&a, &loaded_b, &opts).unwrap_err();
    assert_eq!(e[0].code, "E3002");
    // Records without extension fields are checked by any program: the fields are absent.
    assert!(pms_core::evaluate(&a, &sample(), &opts).is_ok());
    assert!(pms_core::evaluate(&b, &loaded_b, &opts).is_ok());
    // The same declarations compiled again give the same extensions.
    assert_eq!(
        with("extend inventory { retention_days: int }").extensions,
        a.extensions
    );
}

#[test]
fn option_and_io_errors_are_diagnostics() {
    let set = sample();
    let mut opts = pms_core::Options::new(date("2026-03-31"));
    opts.edition = "jisq15001:2018".into();
    let e = pms_core::evaluate(program(), &set, &opts).unwrap_err();
    assert_eq!(e[0].code, "E3001");
    assert_eq!(e[0].help.as_deref(), Some("did you mean `jisq15001:2017`?"));
    let mut opts = pms_core::Options::new(date("2026-03-31"));
    opts.params = vec![
        ("training_interval".into(), "twelve".into()),
        ("training_intervall".into(), "1 month".into()),
    ];
    let e = pms_core::evaluate(program(), &set, &opts).unwrap_err();
    assert_eq!(
        e.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["E2012", "E2012"]
    );
    let e = pms_core::records::load_path(std::path::Path::new("/nonexistent/records.yaml"))
        .unwrap_err();
    assert_eq!(e[0].code, "E1011");
    let e = pms_core::records::load_str("x.json", "[1, 2]", Format::Json).unwrap_err();
    assert_eq!(e[0].code, "E1010");
    let e = pms_core::records::load_str("x.json", "42", Format::Json).unwrap_err();
    assert_eq!(e[0].code, "E1012");
}

/// The streaming JSON reader, the YAML reader and a parsed value give the same problems:
/// every record-file input is converted to the other forms and loaded again.
#[test]
fn json_text_yaml_and_parsed_values_give_the_same_diagnostics() {
    let dir = root().join("tests/diagnostics");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(format) = Format::from_name(&file) else {
            continue;
        };
        if file.starts_with("E1001") || file.starts_with("E1022") || file.ends_with(".cases.yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let value = match format {
            Format::Json => serde_json::from_str(&text).unwrap(),
            Format::Yaml => pms_core::text::parse_yaml(&text).unwrap(),
        };
        let key = |d: &pms_core::Diagnostic| {
            let loc = d.location.as_ref().unwrap();
            (
                d.code,
                d.message.clone(),
                d.help.clone(),
                loc.pointer.clone(),
                loc.field.clone(),
            )
        };
        let original: Vec<_> = pms_core::records::load_str("<input>", &text, format)
            .unwrap_err()
            .iter()
            .map(key)
            .collect();
        let json_text = serde_json::to_string_pretty(&value).unwrap();
        let from_json =
            pms_core::records::load_str("<input>", &json_text, Format::Json).unwrap_err();
        assert!(
            from_json
                .iter()
                .all(|d| d.location.as_ref().unwrap().line.is_some()),
            "{file}: every problem in JSON text has a line: {from_json:?}"
        );
        let from_json: Vec<_> = from_json.iter().map(key).collect();
        let from_value: Vec<_> = pms_core::records::load_json(value)
            .unwrap_err()
            .iter()
            .map(key)
            .collect();
        // Without text there are no lines, so a parsed value's problems sort by pointer.
        let sorted = |mut v: Vec<_>| {
            v.sort();
            v
        };
        let (original, from_json, from_value) =
            (sorted(original), sorted(from_json), sorted(from_value));
        assert_eq!(original, from_json, "{file}: JSON text differs");
        assert_eq!(original, from_value, "{file}: parsed value differs");
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} record inputs compared");
}

#[test]
fn json_syntax_errors_stop_only_their_document_and_are_reported_alone() {
    let e = pms_core::records::load_str("x.json", r#"{"workforce": []} trailing"#, Format::Json)
        .unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code, "E1001");
    assert_eq!(e[0].location.as_ref().unwrap().line, Some(1));
    // A problem read before the syntax error is not reported beside it.
    let e = pms_core::records::load_str(
        "x.json",
        "{\"workforce\": [{\"id\": \"W-1\", \"nme\": 1}],\n \"inventory\": [}",
        Format::Json,
    )
    .unwrap_err();
    assert_eq!(e.iter().map(|d| d.code).collect::<Vec<_>>(), vec!["E1001"]);
    assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
}

#[test]
fn nothing_a_user_wrote_is_dropped_silently() {
    let load_yaml = |t: &str| pms_core::records::load_str("x.yaml", t, Format::Yaml);
    let load_json = |t: &str| pms_core::records::load_str("x.json", t, Format::Json);
    let one =
        "workforce:\n  - {id: W-1, name: 一, employment_type: 正社員, start_date: 2020-04-01}\n";
    assert!(load_yaml(one).is_ok());
    // A second YAML document, after `---` or after `...`, is an error (it was dropped).
    for more in ["---\nworkforce: []\n", "...\n---\nworkforce: []\n"] {
        let e = load_yaml(&format!("{one}{more}")).unwrap_err();
        assert_eq!(e[0].code, "E1001", "{more}");
        assert!(
            e[0].message.contains("second YAML document"),
            "{}",
            e[0].message
        );
    }
    // A document end marker with nothing after it is fine.
    assert!(load_yaml(&format!("{one}...\n")).is_ok());
    // A repeated key replaced the earlier value (a list wiped, a leaver made active again).
    let e = load_yaml(&format!("{one}workforce: []\n")).unwrap_err();
    assert!(e[0].message.contains("duplicate key `workforce`"), "{e:?}");
    let e = load_yaml("workforce:\n  - {id: W-1, name: 一, employment_type: 正社員, start_date: 2020-04-01, end_date: 2024-03-31, end_date: null}\n").unwrap_err();
    assert!(e[0].message.contains("duplicate key `end_date`"), "{e:?}");
    assert_eq!(e[0].location.as_ref().and_then(|l| l.line), Some(2));
    // The same in JSON, streamed.
    let e = load_json(r#"{"workforce": [{"id": "W-1", "name": "一", "employment_type": "正社員", "start_date": "2020-04-01", "end_date": "2024-03-31", "end_date": null}]}"#).unwrap_err();
    assert!(e[0].message.contains("duplicate key `end_date`"), "{e:?}");
    let e = load_json(r#"{"workforce": [], "workforce": []}"#).unwrap_err();
    assert!(e[0].message.contains("duplicate key `workforce`"), "{e:?}");
    // A UTF-8 byte-order mark is accepted in records (JSON and YAML) and rule files.
    assert!(load_yaml(&format!("\u{feff}{one}")).is_ok());
    assert!(load_json("\u{feff}{\"workforce\": []}").is_ok());
    let with_bom = pms_rules::compile_with(vec![pms_core::Source {
        name: "bom.pms".into(),
        text: "\u{feff}param my_days = 3 days ja \"日数\" en \"days\"\n".into(),
    }]);
    assert!(with_bom.is_ok());
    // Values of the right type that cannot be what they say are errors, not "not recorded".
    for (bad, want) in [
        ("organization:\n  - {id: ORG, name: 甲, pms_year_start: \"13-01\"}\n", "not a month and day"),
        ("organization:\n  - {id: ORG, name: 甲, pms_year_start: \"04-1\"}\n", "not a month and day"),
        ("workforce:\n  - {id: \"\", name: 一, employment_type: 正社員, start_date: 2020-04-01}\n", "an empty `id`"),
        ("incidents:\n  - {id: I-1, discovered_on: 2025-04-01, persons_affected: -5}\n", "cannot be negative"),
    ] {
        let e = load_yaml(bad).unwrap_err();
        assert!(e.iter().any(|d| d.code == "E1003" && d.message.contains(want)), "{bad}: {e:?}");
    }
    assert!(
        load_yaml("organization:\n  - {id: ORG, name: 甲, pms_year_start: \"02-29\"}\n").is_ok()
    );
    // A user file cannot redefine a built-in function.
    let e = pms_rules::compile_with(vec![pms_core::Source {
        name: "mine.pms".into(),
        text: "define present(x) = false\n".into(),
    }])
    .unwrap_err();
    assert!(
        e.iter()
            .any(|d| d.code == "E2006" && d.message.contains("`present` is a built-in function")),
        "{e:?}"
    );
}

#[test]
fn control_and_bidi_characters_of_records_are_escaped_in_the_text_report() {
    let set = pms_core::records::load_json(serde_json::json!({
        "workforce": [{"id": "W-1", "name": "悪\u{1b}[2J意\u{202e}名", "employment_type": "正社員", "start_date": "2020-04-01"}],
        "training_sessions": [],
        "training_records": []
    }))
    .unwrap();
    let mut opts = pms_core::Options::new(date("2026-03-31"));
    opts.only = vec!["R-TRN-01".into()];
    let report = pms_core::evaluate(program(), &set, &opts).unwrap();
    for lang in [pms_core::Lang::Ja, pms_core::Lang::En] {
        let text = report.to_text(lang);
        assert!(text.contains("悪\\u{001b}[2J意\\u{202e}名"), "{text}");
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    }
    // The JSON report keeps the value as recorded (JSON escapes it itself).
    assert!(report.to_json().contains("\\u001b[2J"));
}
