//! The report formats of pms-render as the CLI prints them.

use crate::{CheckFormat, Command, ValidateFormat};
use pms_core::{Diagnostic, Report};

/// Whether a failure of this command is printed as SARIF on stdout too.
pub(crate) fn wants_sarif(command: &Command) -> bool {
    matches!(
        command,
        Command::Check {
            format: CheckFormat::Sarif,
            ..
        } | Command::Validate {
            format: ValidateFormat::Sarif,
            ..
        }
    )
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// A report in a format of pms-render, rendered from its JSON form.
pub(crate) fn check_output(format: CheckFormat, report: &Report) -> String {
    let json = serde_json::to_value(report).unwrap_or_default();
    match format {
        CheckFormat::OscalAr => pretty(&pms_render::oscal::assessment_results(&json)),
        CheckFormat::OscalPoam => pretty(&pms_render::oscal::poam(&json)),
        CheckFormat::Sarif => pretty(&pms_render::sarif::report(&json)),
        CheckFormat::Json => report.to_json(),
        CheckFormat::Text => report.to_text(report.lang),
    }
}

/// Diagnostics as a SARIF log (lines and columns of rule files from their spans).
pub(crate) fn diagnostics_sarif(diags: &[Diagnostic], sources: &[(String, String)]) -> String {
    serde_json::to_string_pretty(&pms_render::sarif::diagnostics_in(diags, sources))
        .unwrap_or_default()
}

/// The catalogue as an OSCAL catalog, dated by the sample company's evaluation date so the
/// output does not depend on the clock.
pub(crate) fn catalog(rules: &[serde_json::Value], lang: &str) -> String {
    serde_json::to_string_pretty(&pms_render::oscal::catalog(
        rules,
        lang,
        crate::SAMPLE_AS_OF,
    ))
    .unwrap_or_default()
}
