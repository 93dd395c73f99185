//! A benchmark hook: the evaluation alone, without writing the report as JSON or handing it
//! to JavaScript, so that `benches/peers` can set it beside the native `eval_s`.

use crate::{LoadedRecords, Ruleset};
use wasm_bindgen::prelude::*;

/// Evaluates a record set loaded by `loadRecords` and returns the number of findings. For
/// benchmarks only: internal, not part of the API, absent from the typings.
#[wasm_bindgen(js_name = "__pmsBenchEvaluate", skip_typescript)]
pub fn bench_evaluate(
    ruleset: &Ruleset,
    records: &LoadedRecords,
    opts: JsValue,
) -> Result<usize, JsValue> {
    Ok(ruleset.evaluate(&records.inner, opts)?.findings.len())
}
