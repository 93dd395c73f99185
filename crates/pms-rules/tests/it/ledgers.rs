//! The workbooks pms writes (`pms_ledgers::template`): the sample company as a workbook,
//! checked in as `examples/mimoto/ledgers.xlsx` and kept current.

use crate::common::{root, sample};

/// The sample company's workbook (`pms template --sample`) is checked in and current: the
/// file in the repository equals what pms writes today, byte for byte (`UPDATE_GOLDEN=1`
/// rewrites it after an intended change).
#[test]
fn the_sample_workbook_is_current() {
    let rel = "examples/mimoto/ledgers.xlsx";
    let actual = pms_ledgers::template::export(&sample()).unwrap();
    let path = root().join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
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
    let ledgers = pms_ledgers::read_files(
        &[(name.to_owned(), bytes)],
        &pms_ledgers::ReadOptions::default(),
    )
    .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])));
    pms_ledgers::load(&ledgers, Vec::new(), &pms_core::schema::Extensions::none())
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
