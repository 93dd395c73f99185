//! Spreadsheet and CSV ledgers in the browser and Node. Their readers (calamine, zip,
//! quick-xml, encoding_rs, csv: about a tenth of the module) live in a second WebAssembly
//! module, `pms_ledgers` (crate `pms-wasm-ledgers`), that the JS wrapper loads from the
//! package's own files the first time a workbook or CSV is given (issue 12: this module
//! stays within 1 MB gzipped). The wrapper asks [`ledger_plan`] which files are ledgers,
//! hands them to the ledger module's `readLedgers`, and passes what it returns (the records
//! as one document and where each came from, or the located problems, as JSON) to
//! [`check_files_read`] or [`render_summary_read`], which validate and check them here like
//! the other record files.

use crate::{bounds, split_files};
use pms_core::diagnostic::codes;
use pms_core::Diagnostic;
use pms_ledgers::imported::Imported;
use wasm_bindgen::prelude::*;

/// What the ledger module returns: the ledgers read, or every problem found.
#[derive(serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Read {
    Imported(Imported),
    Diagnostics(Vec<Diagnostic>),
}

/// The ledgers among the files, as the ledger module read them (`imported`, its JSON text).
/// No ledger files: no records. Ledger files without what the module read: the glue was
/// called directly, not through the package's `index.js`.
pub(crate) fn imported(
    ledger_files: &[(String, Vec<u8>)],
    imported: Option<&str>,
) -> Result<Imported, Vec<Diagnostic>> {
    let Some(first) = ledger_files.first() else {
        return pms_ledgers::imported::import(pms_ledgers::Ledgers::default());
    };
    let Some(text) = imported else {
        return Err(vec![Diagnostic::error(
            codes::IO,
            format!(
                "`{}` is a ledger, read by the package's ledger module",
                first.0
            ),
        )
        .ja(format!(
            "`{}` は台帳であり、パッケージの台帳モジュールで読む",
            first.0
        ))
        .at(pms_core::Location {
            file: first.0.clone(),
            ..Default::default()
        })
        .help("call checkFiles and renderSummary of the package's index.js, which loads it")
        .help_ja(
            "台帳モジュールを読み込むパッケージの index.js の checkFiles と renderSummary を呼ぶ",
        )]);
    };
    match serde_json::from_str::<Read>(text) {
        Ok(Read::Imported(i)) => Ok(i),
        Ok(Read::Diagnostics(d)) => Err(d),
        Err(e) => Err(vec![pms_core::ffi::internal_error(
            "the ledgers read by the ledger module",
            &e.to_string(),
        )]),
    }
}

/// For the JS wrapper: `undefined` when `files` holds no ledger, else what to hand to the
/// ledger module's `readLedgers`: `{ files: [{name, bytes}], maxInputSize }`. Throws the
/// options' error as `checkFiles` would.
#[wasm_bindgen(js_name = "__pmsLedgerPlan", skip_typescript)]
pub fn ledger_plan(files: &JsValue, opts: &JsValue) -> Result<JsValue, JsValue> {
    let split = split_files(files);
    if split.ledgers.is_empty() {
        return Ok(JsValue::UNDEFINED);
    }
    let scope: bounds::Scope = bounds::Scope::enter(opts)?;
    let list = js_sys::Array::new();
    for (name, bytes) in &split.ledgers {
        let item = js_sys::Object::new();
        crate::set(&item, "name", &JsValue::from_str(name));
        crate::set(
            &item,
            "bytes",
            &js_sys::Uint8Array::from(bytes.as_slice()).into(),
        );
        list.push(&item);
    }
    let plan = js_sys::Object::new();
    crate::set(&plan, "files", &list.into());
    #[allow(clippy::cast_precision_loss)] // validated below 2^53 by Scope::enter
    let max = scope.limits.max_input_size as f64;
    crate::set(&plan, "maxInputSize", &JsValue::from_f64(max));
    Ok(plan.into())
}

/// For the JS wrapper: `checkFiles` with the ledger module's reading of the ledgers.
#[wasm_bindgen(js_name = "__pmsCheckFiles", skip_typescript)]
pub fn check_files_read(files: JsValue, opts: JsValue, imported: &str) -> Result<JsValue, JsValue> {
    let (ruleset, set) = crate::compile_and_load(&files, &opts, Some(imported))?;
    Ok(crate::to_js(&ruleset.evaluate(&set, opts)?))
}

/// For the JS wrapper: `renderSummary` with the ledger module's reading of the ledgers.
#[wasm_bindgen(js_name = "__pmsRenderSummary", skip_typescript)]
pub fn render_summary_read(
    files: JsValue,
    form: u32,
    format: String,
    opts: JsValue,
    imported: &str,
) -> Result<String, JsValue> {
    crate::summary_of(&files, form, &format, opts, Some(imported))
}
