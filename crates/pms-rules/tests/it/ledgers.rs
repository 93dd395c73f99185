//! The workbooks pms writes (`pms_ledgers::template`): the sample company as a workbook,
//! checked in as `examples/mimoto/ledgers.xlsx` and kept current.

use crate::common::{root, sample};

/// The sample company's workbook (`pms template --sample`) is checked in and current: the
/// file in the repository equals what pms writes today, byte for byte (`UPDATE_GOLDEN=1`
/// rewrites it after an intended change).
#[test]
fn the_sample_workbook_is_current() {
    current(
        "examples/mimoto/ledgers.xlsx",
        &pms_ledgers::template::export(&sample()).unwrap(),
    );
}

/// The empty template the page offers for download (`web/pms-ledgers.xlsx`, a static file:
/// the page's WebAssembly does not carry the workbook writer) is current.
#[test]
fn the_page_template_is_current() {
    current(
        "web/pms-ledgers.xlsx",
        &pms_ledgers::template::template().unwrap(),
    );
}

fn current(rel: &str, actual: &[u8]) {
    let path = root().join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read(&path).unwrap_or_else(|_| panic!("missing {rel}; run with UPDATE_GOLDEN=1"));
    assert!(
        expected == actual,
        "{rel} is stale: the sample company or the workbook layout changed \
         (run with UPDATE_GOLDEN=1, or `pms template --sample -o {rel}`)"
    );
}

/// Reads a workbook's bytes with the ledger reader and validates the records.
fn read_back(name: &str, bytes: Vec<u8>) -> pms_core::RecordSet {
    let mut ledgers = pms_ledgers::read_files(
        &[(name.to_owned(), bytes)],
        &pms_ledgers::ReadOptions::default(),
    )
    .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])));
    pms_ledgers::load(
        &mut ledgers,
        Vec::new(),
        &pms_core::schema::Extensions::none(),
    )
    .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])))
}

/// Round trip: the sample company written as the template's workbook and read back gives the
/// same report as its YAML, byte for byte, in JSON and in both languages' text; and
/// exporting what was read writes the same workbook again.
#[test]
fn the_sample_workbook_reads_back_to_the_same_report() {
    use crate::common::check;
    let yaml = sample();
    let bytes = pms_ledgers::template::export(&yaml).unwrap();
    let read = read_back("ledgers.xlsx", bytes.clone());
    assert_eq!(read.counts(), yaml.counts());
    let (a, b) = (check(&yaml, "2026-03-31"), check(&read, "2026-03-31"));
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.to_text(pms_core::Lang::Ja), b.to_text(pms_core::Lang::Ja));
    assert_eq!(a.to_text(pms_core::Lang::En), b.to_text(pms_core::Lang::En));
    assert!(pms_ledgers::template::export(&read).unwrap() == bytes);
}

/// A ledger longer than a worksheet continues on numbered sheets (`従業者 (workforce) (2)` …,
/// headers repeated) that read back as one ledger: the sample written at 10 rows a sheet
/// reads back to the same records and report as its YAML.
#[test]
fn a_ledger_split_over_sheets_reads_back_as_one() {
    use crate::common::check;
    let yaml = sample();
    let split = pms_ledgers::template::export_split(&yaml, 10).unwrap();
    let whole = pms_ledgers::template::export(&yaml).unwrap();
    assert!(split != whole);
    let read = read_back("ledgers.xlsx", split.clone());
    assert_eq!(read.counts(), yaml.counts());
    let (a, b) = (check(&yaml, "2026-03-31"), check(&read, "2026-03-31"));
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.to_text(pms_core::Lang::Ja), b.to_text(pms_core::Lang::Ja));
    // Nothing was lost, reordered or changed: the records read write the whole workbook again.
    assert!(pms_ledgers::template::export(&read).unwrap() == whole);
    assert!(pms_ledgers::template::export_split(&read, 10).unwrap() == split);
}

mod random {
    //! Random valid record sets built from the schema, from a vector of numbers that
    //! proptest generates and shrinks (each choice takes the next number; 0 when they run
    //! out, which makes the simplest choice).
    use pms_core::schema::{self, Struct, Ty, STRUCTS};
    use serde_json::{json, Map, Value as Json};
    use std::collections::BTreeMap;

    pub struct Src<'a> {
        data: &'a [u32],
        at: usize,
    }

    impl Src<'_> {
        pub fn new(data: &[u32]) -> Src<'_> {
            Src { data, at: 0 }
        }

        fn next(&mut self) -> u32 {
            let v = self.data.get(self.at).copied().unwrap_or(0);
            self.at += 1;
            v
        }

        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                self.next() as usize % n
            }
        }

        fn chance(&mut self, one_in: u32) -> bool {
            self.next().is_multiple_of(one_in)
        }
    }

    /// Texts that other programs misread: leading zeros, things that look like numbers,
    /// dates, booleans or formulas, Japanese, widths, list marks inside an item.
    const TEXTS: &[&str] = &[
        "007",
        "0012",
        "2025-04-01",
        "2025/4/1",
        "令和7年4月1日",
        "R7.4.1",
        "1e5",
        "1.50",
        "TRUE",
        "false",
        "○",
        "はい",
        "=SUM(A1:A3)",
        "#N/A",
        "null",
        "見本株式会社",
        "山田 太郎",
        "ｶﾀｶﾅ",
        "ＡＢＣ１２３",
        "商品・サービスのご案内",
        "氏名、住所",
        "a,b;c",
        "東京都千代田区丸の内一丁目1番1号",
        "個人情報保護方針（第3版）",
    ];

    fn text(src: &mut Src, in_list: bool) -> String {
        let mut t = if src.chance(2) {
            TEXTS[src.below(TEXTS.len())].to_owned()
        } else {
            const CHARS: &[char] = &[
                'a', 'Z', '0', '7', '-', '_', '.', 'あ', 'ン', '漢', '字', '（', '）', '・', '、',
                '／', ' ',
            ];
            let n = 1 + src.below(8);
            (0..n).map(|_| CHARS[src.below(CHARS.len())]).collect()
        };
        if !in_list && src.chance(8) {
            t.push_str("\n二行目");
        }
        // Surrounding spaces are not kept by any spreadsheet reader; the text is trimmed.
        let t = t.trim().to_owned();
        if t.is_empty() || t == "-" {
            "x".to_owned()
        } else {
            t
        }
    }

    fn date(src: &mut Src) -> String {
        let first = chrono::NaiveDate::from_ymd_opt(1900, 3, 1).unwrap();
        let days = src.below(73_000) as i64;
        (first + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    }

    /// The ids that exist, by struct name (entities and nested objects with ids).
    pub type Ids = BTreeMap<&'static str, Vec<String>>;

    fn scalar(src: &mut Src, ty: &Ty, ids: &Ids, in_list: bool) -> Option<Json> {
        Some(match ty {
            Ty::Str => json!(text(src, in_list)),
            Ty::Int => json!(src.below(100_000)),
            Ty::Num => json!(src.below(100_000) as f64 / 100.0),
            Ty::Bool => json!(src.chance(2)),
            Ty::Date => json!(date(src)),
            Ty::Enum(values) => json!(values[src.below(values.len())]),
            Ty::Ref(target) => {
                let candidates = ids.get(target)?;
                if candidates.is_empty() {
                    return None;
                }
                json!(candidates[src.below(candidates.len())])
            }
            Ty::List(_) | Ty::Obj(_) => return None,
        })
    }

    fn value(
        src: &mut Src,
        ty: &Ty,
        ids: &Ids,
        nested: &mut Vec<(String, &'static str)>,
    ) -> Option<Json> {
        match ty {
            Ty::List(Ty::Obj(name)) => {
                let shape = pms_core::schema::find_struct(name)?;
                let n = 1 + src.below(2);
                let items: Vec<Json> = (0..n)
                    .filter_map(|_| object(src, shape, ids, nested))
                    .collect();
                (!items.is_empty()).then(|| Json::Array(items))
            }
            Ty::List(inner) => {
                let n = 1 + src.below(3);
                let mut items: Vec<Json> = (0..n)
                    .filter_map(|_| scalar(src, inner, ids, true))
                    .collect();
                items.dedup();
                (!items.is_empty()).then(|| Json::Array(items))
            }
            Ty::Obj(name) => {
                let shape = pms_core::schema::find_struct(name)?;
                object(src, shape, ids, nested)
            }
            _ => scalar(src, ty, ids, false),
        }
    }

    /// An object or record: required fields always, others half the time; dates in order.
    fn object(
        src: &mut Src,
        shape: &'static Struct,
        ids: &Ids,
        nested: &mut Vec<(String, &'static str)>,
    ) -> Option<Json> {
        let mut m = Map::new();
        for f in shape.fields {
            if f.name == "id" && !shape.entity {
                // Nested objects with ids: unique across the set.
                if f.required || src.chance(2) {
                    let id = format!("{}-{}", shape.name.to_uppercase(), nested.len() + 1);
                    nested.push((id.clone(), shape.name));
                    m.insert("id".into(), json!(id));
                }
                continue;
            }
            if f.name == "id" {
                continue;
            }
            // Lists of objects are always made: other records refer to their ids.
            let always = f.required || matches!(f.ty, Ty::List(Ty::Obj(_)));
            if !always && !src.chance(2) {
                continue;
            }
            // A text the loader reads as a month and day.
            if f.name == "pms_year_start" {
                m.insert(f.name.into(), json!(format!("{:02}-01", 1 + src.below(12))));
                continue;
            }
            match value(src, &f.ty, ids, nested) {
                Some(v) => {
                    m.insert(f.name.into(), v);
                }
                None if f.required => return None,
                None => {}
            }
        }
        // Alternative keys (`finding_id | incident_id`): a record names at least one.
        for (_, group, _) in schema::ALTERNATIVES
            .iter()
            .filter(|(e, ..)| shape.entity && *e == shape.name)
        {
            if group.iter().any(|g| m.contains_key(*g)) {
                continue;
            }
            let made = group.iter().find_map(|g| {
                let f = shape.fields.iter().find(|f| f.name == *g)?;
                value(src, &f.ty, ids, nested).map(|v| (*g, v))
            });
            let (g, v) = made?;
            m.insert(g.into(), v);
        }
        for (a, b) in shape.date_order {
            if let (Some(x), Some(y)) = (m.get(*a).cloned(), m.get(*b).cloned()) {
                if x.as_str() > y.as_str() {
                    m.insert((*a).into(), y);
                    m.insert((*b).into(), x);
                }
            }
        }
        (!m.is_empty()).then_some(Json::Object(m))
    }

    /// A record set: each entity absent, or with one to three records.
    pub fn records(src: &mut Src) -> Json {
        let entities: Vec<&'static Struct> = STRUCTS.iter().filter(|s| s.entity).collect();
        let mut ids: Ids = BTreeMap::new();
        for (i, e) in entities.iter().enumerate() {
            let n = if e.name == "organization" || src.chance(2) {
                1 + src.below(3)
            } else {
                0
            };
            let list = (0..n)
                .map(|k| {
                    if src.chance(3) {
                        format!("{i:02}{k:02}")
                    } else {
                        format!("{}-{k:03}", e.name.to_uppercase())
                    }
                })
                .collect();
            ids.insert(e.name, list);
        }
        // An entity that must refer to records of an absent one is absent too.
        loop {
            let mut changed = false;
            for e in &entities {
                let needs_absent =
                    e.fields.iter().any(|f| {
                        let target = match f.ty {
                            Ty::Ref(t) => t,
                            Ty::List(Ty::Ref(t)) => *t,
                            _ => return false,
                        };
                        f.required && ids.get(target).is_some_and(Vec::is_empty)
                    }) || schema::ALTERNATIVES
                        .iter()
                        .filter(|(n, ..)| *n == e.name)
                        .any(|(_, group, _)| {
                            group.iter().all(|g| {
                                let target = e.fields.iter().find(|f| f.name == *g).and_then(|f| {
                                    match f.ty {
                                        Ty::Ref(t) => Some(t),
                                        _ => None,
                                    }
                                });
                                target.is_none_or(|t| ids.get(t).is_none_or(Vec::is_empty))
                            })
                        });
                if needs_absent && ids.get(e.name).is_some_and(|l| !l.is_empty()) {
                    ids.insert(e.name, Vec::new());
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Nested objects' ids are known once made; references to them (a department's
        // site) come from objects made earlier, so organisations are made first.
        let mut out = Map::new();
        let mut nested: Vec<(String, &'static str)> = Vec::new();
        for e in entities {
            let own = ids.get(e.name).cloned().unwrap_or_default();
            if own.is_empty() {
                continue;
            }
            let mut list = Vec::new();
            for id in own {
                let mut known = ids.clone();
                for (nid, shape) in &nested {
                    known.entry(shape).or_default().push(nid.clone());
                }
                // Not made when a required reference finds nothing, which the pruning
                // above rules out.
                if let Some(Json::Object(mut m)) = object(src, e, &known, &mut nested) {
                    m.insert("id".into(), json!(id));
                    list.push(Json::Object(m));
                }
            }
            out.insert(e.name.into(), Json::Array(list));
        }
        Json::Object(out)
    }
}

mod roundtrip {
    use super::random;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        /// Any records written with `pms export` and read back are equal: writing what was
        /// read gives the same workbook, byte for byte (so no value was lost or changed).
        #[test]
        fn records_written_and_read_back_are_equal(data in proptest::collection::vec(any::<u32>(), 0..3000)) {
            let json = random::records(&mut random::Src::new(&data));
            // The generator makes valid record sets only.
            let set = pms_core::records::load_json(json.clone())
                .unwrap_or_else(|d| panic!("{json}\n{}", pms_core::diagnostic::render(&d, &[])));
            let bytes = pms_ledgers::template::export(&set).unwrap();
            let read = super::read_back("random.xlsx", bytes.clone());
            prop_assert_eq!(read.counts(), set.counts());
            prop_assert!(pms_ledgers::template::export(&read).unwrap() == bytes, "records: {}", json);
            // Split over sheets of 3 records each, the same records read back.
            let split = pms_ledgers::template::export_split(&set, 5).unwrap();
            let read = super::read_back("random.xlsx", split);
            prop_assert!(pms_ledgers::template::export(&read).unwrap() == bytes, "split records: {}", json);
        }
    }
}
