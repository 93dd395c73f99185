//! # pms-wasm-ledgers
//!
//! The second WebAssembly module of the pms packages: the spreadsheet and CSV ledger readers
//! of `pms-ledgers` (calamine, zip, quick-xml, encoding_rs, csv). The main module
//! (`pms-wasm`) leaves them out to stay within 1 MB gzipped; its JS wrapper (`index.js`)
//! loads this module from the package's own files the first time a workbook or CSV is
//! given, passes it the ledger files `pms-wasm` picked out, and hands what [`read_ledgers`]
//! returns back to `pms-wasm`, which validates and checks the records. Nothing here is part
//! of the packages' API.

use pms_core::Diagnostic;
use pms_ledgers::imported::Imported;
use wasm_bindgen::prelude::*;

/// What the main module receives: the ledgers read, or every problem found.
#[derive(serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Read {
    Imported(Imported),
    Diagnostics(Vec<Diagnostic>),
}

/// The ledger files `[{name, bytes}]` read within `maxInputSize` (bytes, 0: no limit), as
/// JSON text: `{"imported": …}` (the records as one document and where each came from) or
/// `{"diagnostics": […]}` (every problem of every file and sheet, located at its cell).
#[wasm_bindgen(js_name = readLedgers)]
#[must_use]
pub fn read_ledgers(files: &js_sys::Array, max_input_size: f64) -> String {
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|item| {
            let get = |k: &str| {
                js_sys::Reflect::get(&item, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
            };
            let bytes = get("bytes");
            let bytes = if bytes.is_object() {
                js_sys::Uint8Array::new(&bytes).to_vec()
            } else {
                Vec::new()
            };
            (get("name").as_string().unwrap_or_default(), bytes)
        })
        .collect();
    // A whole number of bytes below 2^53, checked by the main module (`__pmsLedgerPlan`).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let max_input_size = max_input_size as u64;
    let options = pms_ledgers::ReadOptions {
        input: pms_core::input::Limits { max_input_size },
        ..pms_ledgers::ReadOptions::default()
    };
    let read =
        match pms_ledgers::read_files(&files, &options).and_then(pms_ledgers::imported::import) {
            Ok(i) => Read::Imported(i),
            Err(d) => Read::Diagnostics(d),
        };
    serde_json::to_string(&read).unwrap_or_else(|e| {
        serde_json::json!({ "diagnostics": [pms_core::ffi::internal_error("the ledger files", &e.to_string())] })
            .to_string()
    })
}
