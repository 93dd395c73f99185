//! Report formats in the browser and Node (`renderReport`, `renderDeadlines`, `diffReports`):
//! thin calls of `pms-render`, so a page's download equals `pms check --format …`.

use crate::{option_error, to_js, Failure};
use pms_core::Lang;
use wasm_bindgen::prelude::*;

/// A report given as its JSON text or as the object `check` returned.
fn report_value(report: JsValue, what: &str) -> Result<serde_json::Value, Failure> {
    let parsed = match report.as_string() {
        Some(text) => serde_json::from_str(&text).map_err(|e| e.to_string()),
        None => serde_wasm_bindgen::from_value(report).map_err(|e| e.to_string()),
    };
    parsed.map_err(|e| Failure {
        kind: "options",
        diags: vec![pms_core::Diagnostic::error(
            pms_core::diagnostic::codes::REPORT_INPUT,
            format!("{what} is not a pms report: {e}"),
        )
        .ja(format!("{what} は pms のレポートではない: {e}"))
        .help("pass the report `check` returned, or its JSON text")
        .help_ja("`check` が返したレポートか、その JSON テキストを渡す")],
        sources: Vec::new(),
    })
}

fn render_error(e: &pms_render::RenderError) -> Failure {
    Failure {
        kind: "options",
        diags: vec![e.to_diagnostic(None)],
        sources: Vec::new(),
    }
}

fn lang(lang: Option<String>) -> Result<Option<Lang>, Failure> {
    match lang.as_deref() {
        None => Ok(None),
        Some("ja") => Ok(Some(Lang::Ja)),
        Some("en") => Ok(Some(Lang::En)),
        Some(other) => Err(option_error(
            format!("unknown language `{other}`"),
            format!("未知の言語 `{other}`"),
            "languages: ja, en",
            "言語: ja、en",
        )),
    }
}

/// Renders a report in a format (`html`, `md`, `junit`, `ics`, `text`, `json` …); `lang`
/// defaults to the report's.
#[wasm_bindgen(js_name = renderReport)]
pub fn render_report(
    #[wasm_bindgen(unchecked_param_type = "Report | string")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReportFormat")] format: String,
    #[wasm_bindgen(unchecked_param_type = "\"ja\" | \"en\" | undefined")] lang: Option<String>,
) -> Result<String, JsValue> {
    let lang = self::lang(lang)?;
    let f: pms_render::Format = format.parse().map_err(|e| render_error(&e))?;
    let report = report_value(report, "the report")?;
    let bytes = pms_render::render(&report, f, &pms_render::RenderOptions { lang })
        .map_err(|e| render_error(&e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The deadlines of a report as `text`, `json` or `ics`.
#[wasm_bindgen(js_name = renderDeadlines)]
pub fn render_deadlines(
    #[wasm_bindgen(unchecked_param_type = "Report | string")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"text\" | \"json\" | \"ics\"")] format: String,
    #[wasm_bindgen(unchecked_param_type = "\"ja\" | \"en\" | undefined")] lang: Option<String>,
) -> Result<String, JsValue> {
    let lang = self::lang(lang)?;
    let f: pms_render::DeadlinesFormat = format.parse().map_err(|e| render_error(&e))?;
    let report = report_value(report, "the report")?;
    let bytes = pms_render::render_deadlines(&report, f, &pms_render::RenderOptions { lang })
        .map_err(|e| render_error(&e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What changed from one report to a later one: gaps closed, new and still open, other
/// changes of status, deadlines moved.
#[wasm_bindgen(js_name = diffReports, unchecked_return_type = "ReportDiff")]
pub fn diff_reports(
    #[wasm_bindgen(unchecked_param_type = "Report | string")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Report | string")] after: JsValue,
) -> Result<JsValue, JsValue> {
    let before = report_value(before, "the earlier report")?;
    let after = report_value(after, "the later report")?;
    let d = pms_render::diff_json(&before, &after).map_err(|e| render_error(&e))?;
    Ok(to_js(&d))
}
