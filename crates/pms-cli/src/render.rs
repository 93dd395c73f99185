//! The report formats of pms-render as the CLI prints them.

use crate::Failure;
use crate::{CheckFormat, Command, ValidateFormat};
use pms_core::{Diagnostic, Report};
use pms_render::{Format, RenderOptions};

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

/// A report in a format of pms-render.
pub(crate) fn check_output(format: CheckFormat, report: &Report) -> Result<String, Failure> {
    let f = match format {
        CheckFormat::OscalAr => Format::OscalAr,
        CheckFormat::OscalPoam => Format::OscalPoam,
        CheckFormat::Sarif => Format::Sarif,
        CheckFormat::Json => Format::Json,
        CheckFormat::Text => Format::Text,
    };
    let bytes = pms_render::render_report(report, f, &RenderOptions::default())
        .map_err(|e| crate::fail(vec![e.to_diagnostic(None)]))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
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
