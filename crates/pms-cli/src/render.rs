//! The report formats of pms-render as the CLI prints them.

use crate::Failure;
use crate::{Command, SummaryFormat, ValidateFormat};
use pms_core::Diagnostic;

/// Whether a failure of this command is printed as SARIF on stdout too.
pub(crate) fn wants_sarif(command: &Command) -> bool {
    matches!(
        command,
        Command::Check { format, .. } if sarif_among(format)
    ) || matches!(
        command,
        Command::Validate {
            format: ValidateFormat::Sarif,
            ..
        }
    )
}

/// Whether `--format` values (each a comma-separated list) name SARIF.
pub(crate) fn sarif_among(formats: &[String]) -> bool {
    formats
        .iter()
        .flat_map(|f| f.split(','))
        .any(|f| f.trim() == "sarif")
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

/// `pms summary`: checks the records at the date (for the gaps), assembles the form and
/// writes it to stdout or `output`.
pub(crate) fn summary(
    program: &pms_core::Program,
    set: &pms_core::RecordSet,
    form: u32,
    format: SummaryFormat,
    as_of: &str,
    lang: &str,
    output: Option<&std::path::Path>,
) -> Result<std::process::ExitCode, Failure> {
    use pms_core::diagnostic::codes;
    use pms_render::summary::{self, Form};
    let form = Form::from_number(form).ok_or_else(|| {
        crate::fail(vec![Diagnostic::error(
            codes::OPTION,
            format!("unknown form `{form}`"),
        )
        .ja(format!("未知の様式 `{form}`"))
        .help("use --form 7 (training) or --form 8 (audits and reviews)")
        .help_ja("--form 7（教育）か --form 8（監査とレビュー）を使う")])
    })?;
    let format = match format {
        SummaryFormat::Md => "md",
        SummaryFormat::Csv => "csv",
        SummaryFormat::Xlsx => "xlsx",
    };
    if format == "xlsx" && output.is_none() {
        return Err(crate::fail(vec![Diagnostic::error(
            codes::OPTION,
            "an xlsx workbook is not written to the terminal",
        )
        .ja("xlsx のブックは端末には書かない")
        .help("add --output FILE.xlsx")
        .help_ja("--output FILE.xlsx を付ける")]));
    }
    let s = summary::of_records(program, set, form, as_of, lang).map_err(crate::fail)?;
    let bytes = summary::write(&s, format).map_err(crate::fail)?;
    match output {
        Some(path) => std::fs::write(path, bytes).map_err(|e| {
            crate::fail(vec![Diagnostic::error(
                codes::IO,
                format!("cannot write `{}`: {e}", path.display()),
            )
            .ja(format!(
                "`{}` に書き込めない: {}",
                path.display(),
                pms_core::input::io_reason_ja(&e)
            ))
            .help("check the path given to --output")
            .help_ja("--output のパスを確かめる")])
        })?,
        None => {
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(&bytes);
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
