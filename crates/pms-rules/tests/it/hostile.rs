//! Hostile rule texts: nesting far past the limits of `pms_core::limits` is a coded, located
//! error, never a stack overflow, on a stack as small as the smallest host's (1 MiB: a
//! WebAssembly module's, Windows' main thread); definitions are bounded in expanded size.

use crate::common::*;
use pms_core::limits::MAX_RULE_NESTING;

/// The smallest stack of a host pms runs in.
fn small_stack() -> usize {
    std::env::var("PMS_TEST_STACK")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1 << 20)
}

/// Runs `f` on a thread with the smallest host stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(small_stack())
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// A user rule whose `require` is `expr`, after `defines`.
fn rule_with(defines: &str, expr: &str) -> String {
    format!(
        "{defines}\nrule R-X-99 {{\n  title ja \"例\" en \"example\"\n  clause jis2017 \"A.3.4.5\"\n  \
         phase do\n  severity minor\n  basis practice\n  activity training_records\n  \
         for w in workforce\n  require {expr}\n  message ja \"x\" en \"x\"\n  fix ja \"x\" en \"x\"\n}}\n"
    )
}

fn compile(text: String) -> Result<pms_core::Program, Vec<pms_core::Diagnostic>> {
    on_small_stack(move || {
        pms_rules::compile_with(vec![pms_core::Source {
            name: "hostile.pms".into(),
            text,
        }])
    })
    .map_err(in_both_languages)
}

/// The diagnostics, each checked to read in Japanese too (message, label, help).
fn in_both_languages(d: Vec<pms_core::Diagnostic>) -> Vec<pms_core::Diagnostic> {
    for x in &d {
        assert!(
            x.missing_ja().is_empty(),
            "{x:?} lacks {:?}",
            x.missing_ja()
        );
    }
    d
}

/// The gaps of rule `R-X-99` on the sample company, evaluated on a small stack.
fn gaps(program: pms_core::Program) -> usize {
    on_small_stack(move || {
        pms_core::evaluate(
            &program,
            &sample(),
            &pms_core::Options::new(date("2026-03-31")),
        )
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.rule_id == "R-X-99")
        .count()
    })
}

/// The plain test every deep case must agree with: workers who started after 2020.
const PLAIN: &str = "w.start_date > 2020-01-01";

/// The codes of a failed compile.
fn codes_of(text: String) -> Vec<&'static str> {
    match compile(text) {
        Ok(_) => vec![],
        Err(d) => d.iter().map(|d| d.code).collect(),
    }
}

#[test]
fn deep_expressions_are_located_errors_not_stack_overflows() {
    let n = 10_000;
    let cases = [
        ("not", format!("{}true", "not ".repeat(n))),
        ("neg", format!("{}1 > 0", "- ".repeat(n))),
        ("plus", format!("{}1 > 0", "1 + ".repeat(n))),
        ("and", format!("true{}", " and true".repeat(n))),
        ("coalesce", format!("true{}", " ?? true".repeat(n))),
        ("field", format!("w{} == 1", ".start_date".repeat(n))),
        (
            "if",
            format!("{}true{}", "if true then true else ".repeat(5_000), ""),
        ),
        (
            "parens",
            format!("{}true{}", "(".repeat(2_000), ")".repeat(2_000)),
        ),
        (
            "lists",
            format!("1 in {}1{}", "[".repeat(2_000), "]".repeat(2_000)),
        ),
        ("unclosed", "(".repeat(50_000)),
    ];
    for (what, expr) in cases {
        let d = compile(rule_with("", &expr)).expect_err(what);
        assert_eq!(d.len(), 1, "{what}: {d:?}");
        assert_eq!(d[0].code, "E2014", "{what}: {d:?}");
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!(loc.file, "hostile.pms");
        assert_eq!(loc.line, Some(10), "{what}: the `require` line");
        assert!(loc.column.is_some_and(|c| c > 10), "{what}: {loc:?}");
    }
}

#[test]
fn nesting_up_to_the_limit_compiles_and_evaluates_on_a_small_stack() {
    // Each `not` is one level; the rule part keyword and the comparison take the rest.
    let nots = MAX_RULE_NESTING - 6;
    assert_eq!(nots % 2, 0, "an even number of `not`s is the test itself");
    let expr = format!("{}({PLAIN})", "not ".repeat(nots));
    let expected = gaps(compile(rule_with("", PLAIN)).unwrap());
    assert!(expected > 0);
    assert_eq!(gaps(compile(rule_with("", &expr)).unwrap()), expected);
    let over = format!("{}true", "not ".repeat(MAX_RULE_NESTING + 1));
    assert_eq!(codes_of(rule_with("", &over)), vec!["E2014"]);
}

#[test]
fn the_shipped_rules_are_far_from_the_nesting_limit() {
    for s in pms_rules::builtin_sources() {
        let depth = pms_core::dsl::nesting::measure(&s.text);
        assert!(depth * 3 < MAX_RULE_NESTING, "{}: {depth}", s.name);
    }
}

#[test]
fn a_long_chain_of_definitions_compiles_and_evaluates_on_a_small_stack() {
    let chain = |n: usize| {
        let mut defs = String::from("define d0(x) = x > 2020-01-01\n");
        for i in 1..n {
            defs.push_str(&format!("define d{i}(x) = d{}(x) or false\n", i - 1));
        }
        defs
    };
    let plain = gaps(compile(rule_with("", PLAIN)).unwrap());
    assert!(plain > 0);
    // 200 links (each counts 10 levels towards MAX_CALL_NESTING = 2,048): shared code called
    // 200 deep, on stack segments of its own when the stack runs low.
    let program = compile(rule_with(&chain(200), "d199(w.start_date)"));
    assert_eq!(gaps(program.unwrap()), plain);
    // Past the limit, and 5,000 links: E2014 at the rule's call, naming the chain
    // (WebAssembly's stack, which no segment extends, held 1,600 links and not 2,400).
    for n in [210, 5_000] {
        let d = compile(rule_with(&chain(n), &format!("d{}(w.start_date)", n - 1))).unwrap_err();
        assert!(d.iter().all(|d| d.code == "E2014"), "{d:?}");
        let at_rule = format!(
            "nested deeper than 2048 levels counting through the definitions it calls (through d{}",
            n - 1
        );
        assert!(d.iter().any(|d| d.message.contains(&at_rule)), "{d:?}");
    }
    // A cycle through a chain is still an error.
    let mut cycle = chain(100);
    cycle.push_str("define e(x) = d99(x) and e(x)\n");
    let d = compile(rule_with(&cycle, "e(w.start_date)")).unwrap_err();
    assert!(d.iter().any(|d| d.code == "E2009"), "{d:?}");
}

#[test]
fn definitions_that_double_at_each_level_are_shared_and_bounded_in_work() {
    let doubling = |levels: usize, leaf: &str| {
        let mut defs = format!("define d0(x) = x > {leaf}\n");
        for i in 1..=levels {
            defs.push_str(&format!("define d{i}(x) = d{0}(x) and d{0}(x)\n", i - 1));
        }
        defs
    };
    // 10 levels (1,024 calls of `d0`): like `d0`.
    let program = compile(rule_with(&doubling(10, "2020-01-01"), "d10(w.start_date)")).unwrap();
    assert_eq!(gaps(program), gaps(compile(rule_with("", PLAIN)).unwrap()));
    // 24 levels (16 million calls when every one is evaluated): compiles to a plan as large
    // as the text and evaluates (here `and` stops at the first false `d0`).
    let late = "w.start_date > 2099-01-01";
    let program = compile(rule_with(&doubling(24, "2099-01-01"), "d24(w.start_date)")).unwrap();
    assert_eq!(gaps(program), gaps(compile(rule_with("", late)).unwrap()));
    // 40 levels (a trillion calls): E2015 at the rule and at the definitions too costly on
    // their own, quickly.
    let d = compile(rule_with(&doubling(40, "2020-01-01"), "d40(w.start_date)")).unwrap_err();
    assert!(d.iter().all(|d| d.code == "E2015"), "{d:?}");
    let lines: Vec<_> = d
        .iter()
        .filter_map(|d| d.location.as_ref().and_then(|l| l.line))
        .collect();
    // Lines 1–41 hold d0–d40; the rule's `require` is line 41 + 10.
    assert_eq!(lines.last(), Some(&51), "{d:?}");
    assert!(lines.len() > 2 && lines.len() < 20, "{lines:?}");
}

fn load_on_small_stack(name: &'static str, text: String) -> Vec<pms_core::Diagnostic> {
    in_both_languages(on_small_stack(move || {
        let format = pms_core::records::Format::from_name(name).unwrap();
        pms_core::records::load_str(name, &text, format).unwrap_err()
    }))
}

#[test]
fn deep_record_documents_are_located_errors_not_stack_overflows() {
    let cases: Vec<(&'static str, String, usize)> = vec![
        // YAML flow and block nesting, 25,000 deep; JSON 10,000 deep.
        (
            "flow.yaml",
            format!("workforce: {}{}", "[".repeat(25_000), "]".repeat(25_000)),
            1,
        ),
        (
            "block.yaml",
            format!("workforce:\n  {}x\n", "- ".repeat(25_000)),
            2,
        ),
        (
            "maps.yaml",
            format!(
                "workforce: {}1{}",
                "{a: ".repeat(25_000),
                "}".repeat(25_000)
            ),
            1,
        ),
        (
            "deep.json",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
            1,
        ),
        (
            "objects.json",
            format!(
                "{{\"workforce\": [{}1{}]}}",
                "{\"a\": ".repeat(10_000),
                "}".repeat(10_000)
            ),
            1,
        ),
    ];
    for (name, text, line) in cases {
        let d = load_on_small_stack(name, text);
        if name.ends_with(".json") {
            // The streaming loader rejects a value of the wrong type without reading into
            // it; what it reads is bounded by serde_json's limit (E1022 past it).
            assert!(d.iter().all(|d| d.code.starts_with("E10")), "{name}: {d:?}");
            continue;
        }
        assert_eq!(d.len(), 1, "{name}: {d:?}");
        assert_eq!(d[0].code, "E1022", "{name}: {d:?}");
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!(
            (loc.file.as_str(), loc.line),
            (name, Some(line)),
            "{name}: {loc:?}"
        );
        assert!(loc.column.is_some_and(|c| c > 100), "{name}: {loc:?}");
    }
}

#[test]
fn a_deep_parsed_value_is_a_pointed_error_and_is_dropped_without_recursion() {
    // What a host hands over after converting its own objects (JavaScript).
    let mut v = serde_json::json!(1);
    for _ in 0..100_000 {
        v = serde_json::Value::Array(vec![v]);
    }
    let v = record_named(v);
    let d = on_small_stack(move || pms_core::records::load_json(v).unwrap_err());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "E1022");
    let pointer = d[0].location.as_ref().unwrap().pointer.clone().unwrap();
    assert!(pointer.starts_with("/workforce/0/name/0/0/"), "{pointer}");
    // Within the limit: loaded (the name is then of the wrong type, as usual).
    let mut v = serde_json::json!("x");
    for _ in 0..10 {
        v = serde_json::Value::Array(vec![v]);
    }
    let d = pms_core::records::load_json(record_named(v)).unwrap_err();
    assert!(d.iter().all(|d| d.code != "E1022"), "{d:?}");
}

/// `{ "workforce": [{ "id": "W-1", "name": name }] }`, built without serialising `name`.
fn record_named(name: serde_json::Value) -> serde_json::Value {
    let mut w = serde_json::Map::new();
    w.insert("id".into(), "W-1".into());
    w.insert("name".into(), name);
    let mut top = serde_json::Map::new();
    top.insert("workforce".into(), serde_json::Value::Array(vec![w.into()]));
    top.into()
}

/// `n` role assignments of the one worker `W-001`, each naming a person `W-001-<i>` who
/// does not exist (a dangling reference close to `W-001`), as JSON text.
fn dangling_references(n: usize) -> String {
    let ras: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{{\"id\": \"RA-{i}\", \"person_id\": \"W-001-{i}\", \"role\": \"top_management\", \"from\": \"2010-04-01\"}}"
            )
        })
        .collect();
    format!(
        "{{\"workforce\": [{{\"id\": \"W-001\", \"name\": \"甲\", \"employment_type\": \"役員\", \"start_date\": \"2010-04-01\"}}],\n\"role_assignments\": [\n{}\n]}}",
        ras.join(",\n")
    )
}

#[test]
fn many_errors_are_all_reported_and_the_text_report_counts_those_not_shown() {
    use pms_core::limits::MAX_SHOWN_DIAGNOSTICS;
    let n = 3_000;
    let text = dangling_references(n);
    let d =
        pms_core::records::load_str("ra.json", &text, pms_core::records::Format::Json).unwrap_err();
    // Every problem is in the structured list, located on its own line.
    assert_eq!(d.len(), n);
    assert!(d.iter().all(|d| d.code == "E1008"));
    let lines: std::collections::BTreeSet<_> = d
        .iter()
        .filter_map(|d| d.location.as_ref().and_then(|l| l.line))
        .collect();
    assert_eq!(lines.len(), n);
    // "Did you mean" is computed for the first distinct ids only (each scans every id).
    let suggested = d
        .iter()
        .filter(|d| d.help.as_deref() == Some("did you mean `W-001`?"))
        .count();
    assert_eq!(suggested, 1_000);
    // The text report shows the first ones and counts the rest.
    let out = pms_core::diagnostic::render(&d, &[("ra.json".into(), text)]);
    assert_eq!(out.matches("[E1008]").count(), MAX_SHOWN_DIAGNOSTICS);
    let more = n - MAX_SHOWN_DIAGNOSTICS;
    assert!(
        out.contains(&format!("… {more} more diagnostics not shown")),
        "{}",
        out.get(out.len().saturating_sub(300)..).unwrap_or("")
    );
}

#[test]
fn files_not_in_utf8_name_their_likely_encoding_and_the_first_bad_byte() {
    let decode = |bytes: &[u8]| *pms_core::text::decode("f.yaml", bytes.to_vec()).unwrap_err();
    let utf16le: Vec<u8> = "\u{feff}workforce: []"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let utf16be: Vec<u8> = "workforce: []"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let cases: Vec<(Vec<u8>, &str, usize)> = vec![
        (utf16le, "UTF-16 LE", 0),
        (utf16be, "UTF-16 BE", 0),
        // 「社員」 in Shift_JIS and 「山田」 in EUC-JP, after some ASCII.
        (
            b"name: \x8e\xd0\x88\xf5\n".to_vec(),
            "Shift_JIS (Windows Japanese)",
            6,
        ),
        (b"name: \xbb\xb3\xc5\xc4\n".to_vec(), "EUC-JP", 6),
        (vec![0x1f, 0x8b, 0x08, 0x00, 0xff], "gzip", 1),
    ];
    for (bytes, named, offset) in cases {
        let d = decode(&bytes);
        assert_eq!(d.code, "E1023");
        assert!(d.message.contains(named), "{named}: {}", d.message);
        assert!(
            d.message.contains(&format!(" at offset {offset})")),
            "{named}: {}",
            d.message
        );
        assert_eq!(d.location.unwrap().span, Some((offset, offset + 1)));
    }
    // A zero byte in otherwise plain text: located (YAML would stop reading there).
    let d = decode(b"workforce: []\n\0more: 1\n");
    assert!(
        d.message.ends_with("holds a zero byte at offset 14"),
        "{}",
        d.message
    );
    // Bytes that are no known text: still located, no guess.
    let d = decode(b"ok \xff\xfe\xfd\xfc");
    assert!(
        d.message
            .ends_with("(the first byte that is not UTF-8 is at offset 3)"),
        "{}",
        d.message
    );
    // UTF-8 (with or without its mark) is read as it is.
    assert_eq!(
        pms_core::text::decode("f", "\u{feff}社員".as_bytes().to_vec()).unwrap(),
        "\u{feff}社員"
    );
}

#[test]
fn nothing_after_a_yaml_document_end_or_a_zero_byte_is_dropped() {
    use pms_core::records::{load_str, Format};
    let d = load_str(
        "r.yaml",
        "workforce: []\n...\norganization: {}\n",
        Format::Yaml,
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E1001");
    assert_eq!(d[0].location.as_ref().unwrap().line, Some(3), "{d:?}");
    let d = load_str(
        "r.yaml",
        "workforce: []\n\0organization: {}\n",
        Format::Yaml,
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E1023");
    assert_eq!(
        d[0].location.as_ref().unwrap().span,
        Some((14, 15)),
        "{d:?}"
    );
}

#[test]
fn the_shipped_definitions_are_copied_into_their_rules_not_called() {
    // Their plans are what inlining gave before definitions were shared: no call frames on
    // the hot path of the built-in catalogue.
    let shared = "Def(DefCode";
    assert!(!format!("{:?}", program()).contains(shared));
    // A definition too large to copy is called (the check above can fail).
    let mut defs = String::from("define d0(x) = x > 2020-01-01\n");
    for i in 1..=8 {
        defs.push_str(&format!("define d{i}(x) = d{0}(x) and d{0}(x)\n", i - 1));
    }
    let program = compile(rule_with(&defs, "d8(w.start_date)")).unwrap();
    assert!(format!("{program:?}").contains(shared));
}
