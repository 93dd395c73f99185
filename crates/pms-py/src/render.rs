//! Report formats for Python (`Report.to_html()` …, `pms.diff`): thin calls of `pms-render`.

use crate::Failure;
use pms_core::Lang;
use pyo3::prelude::*;

fn options_error(e: &pms_render::RenderError) -> Failure {
    Failure {
        kind: "options",
        diags: vec![e.to_diagnostic(None)],
        sources: Vec::new(),
    }
}

fn parse_json(text: &str, what: &str) -> Result<serde_json::Value, Failure> {
    serde_json::from_str(text).map_err(|e| Failure {
        kind: "options",
        diags: vec![pms_core::Diagnostic::error(
            pms_core::diagnostic::codes::REPORT_INPUT,
            format!("{what} is not a pms JSON report: {e}"),
        )
        .ja(format!("{what} は pms の JSON レポートではない: {e}"))],
        sources: Vec::new(),
    })
}

fn lang(lang: Option<&str>) -> Result<Option<Lang>, Failure> {
    match lang {
        None => Ok(None),
        Some("ja") => Ok(Some(Lang::Ja)),
        Some("en") => Ok(Some(Lang::En)),
        Some(other) => Err(Failure {
            kind: "options",
            diags: vec![pms_core::Diagnostic::error(
                pms_core::diagnostic::codes::OPTION,
                format!("unknown language `{other}`"),
            )
            .ja(format!("未知の言語 `{other}`"))
            .help("languages: ja, en")
            .help_ja("言語: ja、en")],
            sources: Vec::new(),
        }),
    }
}

/// Renders a JSON report in a format (`html`, `md`, `junit`, `ics` …); `lang` `None` keeps
/// the report's language.
#[pyfunction]
#[pyo3(signature = (report_json, format, lang=None))]
pub fn render_report(
    py: Python<'_>,
    report_json: String,
    format: String,
    lang: Option<String>,
) -> PyResult<Vec<u8>> {
    let lang = self::lang(lang.as_deref())?;
    py.detach(move || {
        let f: pms_render::Format = format.parse().map_err(|e| options_error(&e))?;
        let report = parse_json(&report_json, "the report")?;
        pms_render::render(&report, f, &pms_render::RenderOptions { lang })
            .map_err(|e| options_error(&e))
    })
    .map_err(PyErr::from)
}

/// The deadlines of a JSON report as `text`, `json` or `ics`.
#[pyfunction]
#[pyo3(signature = (report_json, format, lang=None))]
pub fn render_deadlines(
    report_json: String,
    format: String,
    lang: Option<String>,
) -> PyResult<Vec<u8>> {
    let lang = self::lang(lang.as_deref())?;
    let f: pms_render::DeadlinesFormat = format.parse().map_err(|e| options_error(&e))?;
    let report = parse_json(&report_json, "the report")?;
    Ok(
        pms_render::render_deadlines(&report, f, &pms_render::RenderOptions { lang })
            .map_err(|e| options_error(&e))?,
    )
}

/// The difference between two JSON reports, as `json` or `text`.
#[pyfunction]
#[pyo3(signature = (before_json, after_json, format, lang=None))]
pub fn diff_reports(
    before_json: String,
    after_json: String,
    format: String,
    lang: Option<String>,
) -> PyResult<String> {
    let lang = self::lang(lang.as_deref())?.unwrap_or(Lang::Ja);
    let before = parse_json(&before_json, "the earlier report")?;
    let after = parse_json(&after_json, "the later report")?;
    let d = pms_render::diff_json(&before, &after).map_err(|e| options_error(&e))?;
    match format.as_str() {
        "json" => Ok(d.to_json()),
        "text" => Ok(d.to_text(lang)),
        other => {
            Err(options_error(&pms_render::RenderError::UnknownFormat(other.to_string())).into())
        }
    }
}
