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
