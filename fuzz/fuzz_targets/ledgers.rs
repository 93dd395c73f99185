//! The ledger readers: the bytes as a CSV file (any encoding, detected) and as a workbook
//! (`.xlsx`, through the zip-bomb check and calamine), each read into sheets and imported to
//! records (header rows, value interpretation, validation, cell locations).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pms_ledgers::{workbook, ReadOptions};

fuzz_target!(|data: &[u8]| {
    // Bounds below libFuzzer's memory limit: an input may claim a huge sheet or archive.
    let options = ReadOptions {
        limits: workbook::Limits {
            max_rows: 10_000,
            max_expanded_bytes: 64 << 20,
            max_expansion_ratio: 0,
        },
        ..ReadOptions::default()
    };
    let extensions = pms_core::schema::Extensions::default();
    for name in ["fuzz.csv", "fuzz.xlsx"] {
        let files = [(name.to_owned(), data.to_vec())];
        if let Ok(mut ledgers) = pms_ledgers::read_files(&files, &options) {
            let _ = pms_ledgers::load(&mut ledgers, Vec::new(), &extensions);
        }
    }
});
