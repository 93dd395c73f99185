//! Column-at-a-time evaluation (`Options::columnar`) gives byte for byte the
//! report of the record-by-record interpreter: on every conformance case, every failing
//! fixture, the sample and the clean company in every pack, and on randomly damaged copies of
//! the sample (fields removed, blanked or swapped between records). Rules evaluated on
//! several threads give the report of one thread.

use crate::common::*;
use pms_core::{evaluate, Columnar, Options, RecordSet};
use proptest::prelude::*;
use serde_json::Value;

/// The report of both evaluation modes, passed subjects included.
fn both(set: &RecordSet, opts: &Options) -> (String, String) {
    let mut o = opts.clone();
    o.include_passed = true;
    o.columnar = Columnar::Always;
    let columnar = evaluate(program(), set, &o).unwrap().to_json();
    o.columnar = Columnar::Never;
    let rows = evaluate(program(), set, &o).unwrap().to_json();
    (columnar, rows)
}

fn assert_same(what: &str, set: &RecordSet, opts: &Options) {
    let (columnar, rows) = both(set, opts);
    if let Some(diff) = first_difference(&rows, &columnar) {
        panic!("{what}: the column-at-a-time report (actual) differs from the record-by-record one {diff}");
    }
}

#[test]
fn conformance_cases_and_failing_fixtures_give_the_interpreters_report() {
    let mut n = 0;
    for (file, doc) in conformance_files() {
        for case in doc["cases"].as_array().unwrap() {
            let Ok(set) = pms_core::records::load_json(case["records"].clone()) else {
                continue;
            };
            let mut opts = Options::new(date(case["as_of"].as_str().unwrap()));
            if let Some(p) = case["params"].as_object() {
                opts.params = p
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_string)))
                    .collect();
            }
            assert_same(
                &format!("{}: {}", file.display(), case["name"]),
                &set,
                &opts,
            );
            n += 1;
        }
    }
    let base = clean_json();
    for f in crate::parts::fixtures() {
        let set = pms_core::records::load_json(f.records_json(&base)).unwrap();
        let mut opts = Options::new(date(&f.as_of));
        opts.edition = f.pack.clone().unwrap_or_else(|| pack_of(&f.rule).into());
        assert_same(
            &format!("failing fixture of {} part {}", f.rule, f.part),
            &set,
            &opts,
        );
        n += 1;
    }
    assert!(n > 130, "only {n} cases compared");
}

#[test]
fn sample_and_clean_company_in_every_pack_and_year() {
    for (name, set) in [("sample", sample()), ("clean", clean())] {
        for pack in PACKS {
            for day in ["2025-03-31", "2026-03-31", "2027-01-15"] {
                let mut opts = Options::new(date(day));
                opts.edition = pack.into();
                assert_same(&format!("{name}, {pack}, {day}"), &set, &opts);
            }
        }
    }
}

/// Every (list, record index, field) of a record set document.
fn cells(v: &Value) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for (list, items) in v.as_object().unwrap() {
        for (i, item) in items.as_array().into_iter().flatten().enumerate() {
            for field in item.as_object().into_iter().flat_map(|o| o.keys()) {
                if field != "id" {
                    out.push((list.clone(), i, field.clone()));
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn damaged_sample_gives_the_interpreters_report(
        edits in proptest::collection::vec((any::<usize>(), 0u8..4, any::<usize>()), 1..12),
        day in 0i64..900,
    ) {
        let (_, text) = pms_rules::SAMPLE_COMPANY;
        let mut v = pms_core::text::parse_yaml(text).unwrap();
        let all = cells(&v);
        for (pick, how, other) in edits {
            let (list, i, field) = &all[pick % all.len()];
            let items = v[list.as_str()].as_array_mut().unwrap();
            let donor = items[other % items.len()].get(field.as_str()).cloned();
            let rec = items[*i].as_object_mut().unwrap();
            match how {
                // Absent, blank text, another record's value, no value.
                0 => { rec.remove(field.as_str()); }
                1 => if rec.get(field.as_str()).is_some_and(Value::is_string) { rec.insert(field.clone(), Value::String(" ".into())); },
                2 => if let Some(d) = donor { rec.insert(field.clone(), d); },
                _ => { rec.insert(field.clone(), Value::Null); }
            }
        }
        // Damage that makes the records invalid is reported at load; only valid sets count.
        let set = pms_core::records::load_json(v);
        prop_assume!(set.is_ok());
        let set = set.unwrap();
        let as_of = date("2025-01-01") + chrono::Duration::days(day);
        for pack in ["jisq15001:2023", "jisq15001:2006"] {
            let mut opts = Options::new(as_of);
            opts.edition = pack.into();
            let (columnar, rows) = both(&set, &opts);
            prop_assert!(columnar == rows, "reports differ for {} at {}", pack, as_of);
        }
    }
}

#[test]
fn any_number_of_threads_gives_the_same_report() {
    for (name, set) in [("sample", sample()), ("clean", clean())] {
        for pack in PACKS {
            let mut opts = Options::new(date("2026-03-31"));
            opts.edition = pack.into();
            opts.include_passed = true;
            opts.threads = 1;
            let one = evaluate(program(), &set, &opts).unwrap().to_json();
            for threads in [2, 3, 8] {
                opts.threads = threads;
                let many = evaluate(program(), &set, &opts).unwrap().to_json();
                assert!(
                    one == many,
                    "{name}, {pack}: {threads} threads differ from one"
                );
            }
        }
    }
}
