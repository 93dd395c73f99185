//! # pms-render
//!
//! Writers of a pms [`Report`] in the formats the people around a Privacy
//! Mark company read: HTML and Markdown for managers and wikis, OSCAL for GRC tools, SARIF
//! and JUnit for CI, iCalendar for calendars, the renewal application's summaries, and the
//! difference between two checks.
//!
//! ```text
//! Report (JSON, the source) ─▶ one renderer per format ─▶ bytes
//! ```
//!
//! Every format is rendered from the report's JSON form, so a format built from a saved
//! JSON report equals the one built from the run. This crate is a layer beside the core,
//! shared by the CLI, Python and WebAssembly; like the core it does no I/O.
//!
//! ```
//! use pms_render::{render, Format, RenderOptions};
//! # let report = serde_json::json!({});
//! let format: Format = "html".parse().unwrap_or(Format::Json);
//! // `report` is the JSON form of a pms report (`Report::to_json`, `pms check --format json`).
//! let bytes = render(&report, format, &RenderOptions::default());
//! # assert!(bytes.is_err());
//! ```

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod oscal;
pub mod sarif;
pub mod summary;

mod common;
mod deadlines;
pub mod diff;
mod html;
mod ics;
mod junit;
mod md;

pub use diff::{diff, Diff};

use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Lang, Report};
use std::fmt;
use std::str::FromStr;

/// An output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The JSON report itself (pretty-printed), the source of every other format.
    Json,
    /// Text for terminals.
    Text,
    /// One self-contained HTML page for managers, printable on A4.
    Html,
    /// Markdown for wikis and pull requests.
    Md,
    /// JUnit XML for CI: one test case per rule and subject.
    Junit,
    /// iCalendar (RFC 5545): the deadlines ahead as events.
    Ics,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// OSCAL assessment results.
    OscalAr,
    /// OSCAL plan of action and milestones.
    OscalPoam,
}

impl Format {
    /// Every format, in the order of [`Format::name`]s shown to users.
    pub const ALL: [Format; 9] = [
        Format::Json,
        Format::Text,
        Format::Html,
        Format::Md,
        Format::Junit,
        Format::Ics,
        Format::Sarif,
        Format::OscalAr,
        Format::OscalPoam,
    ];

    /// The name given to `--format` (`oscal-ar`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
            Format::Html => "html",
            Format::Md => "md",
            Format::Junit => "junit",
            Format::Ics => "ics",
            Format::Sarif => "sarif",
            Format::OscalAr => "oscal-ar",
            Format::OscalPoam => "oscal-poam",
        }
    }

    /// The file name extension of this format (`report.<ext>`), without the dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "txt",
            Format::Html => "html",
            Format::Md => "md",
            Format::Junit => "junit.xml",
            Format::Ics => "ics",
            Format::Sarif => "sarif",
            Format::OscalAr => "oscal-ar.json",
            Format::OscalPoam => "oscal-poam.json",
        }
    }

    /// The media type of this format, for downloads.
    #[must_use]
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Text => "text/plain; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Md => "text/markdown; charset=utf-8",
            Format::Junit => "application/xml",
            Format::Ics => "text/calendar; charset=utf-8",
            Format::Sarif => "application/sarif+json",
            Format::OscalAr | Format::OscalPoam => "application/json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = RenderError;

    /// Parses a format name (`html`, `oscal-ar` …; `markdown` and `xml` are accepted for
    /// `md` and `junit`), ignoring case and surrounding spaces.
    fn from_str(s: &str) -> Result<Format, RenderError> {
        let name = s.trim().to_ascii_lowercase();
        let alias = match name.as_str() {
            "markdown" => "md",
            "txt" => "text",
            "ical" | "icalendar" => "ics",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| RenderError::UnknownFormat(s.trim().to_string()))
    }
}

/// Options of a rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Language of the output; `None`: the report's own (`lang` of the check).
    pub lang: Option<Lang>,
}

impl RenderOptions {
    /// The language to write in for `report`.
    #[must_use]
    pub fn lang_for(&self, report: &Report) -> Lang {
        self.lang.unwrap_or(report.lang)
    }
}

/// Why a report could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// No format has this name.
    UnknownFormat(String),
    /// The format exists but is not built into this version.
    Unavailable(Format),
    /// Writing the output failed (a writer's internal error).
    Write(String),
    /// The JSON given is not a pms report: where (a JSON path) and what is wrong.
    NotAReport {
        /// Line and column in the JSON text, when it was parsed from text.
        at: Option<(usize, usize)>,
        /// What is wrong.
        message: String,
    },
}

impl RenderError {
    /// The stable diagnostic code of this error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            RenderError::UnknownFormat(_) | RenderError::Unavailable(_) => codes::OUTPUT_FORMAT,
            RenderError::NotAReport { .. } => codes::REPORT_INPUT,
            RenderError::Write(_) => codes::OUTPUT,
        }
    }

    /// The error as a diagnostic; `file` names the report file for input errors.
    #[must_use]
    pub fn to_diagnostic(&self, file: Option<&str>) -> Diagnostic {
        let d = Diagnostic::error(self.code(), self.to_string()).ja(self.message_ja());
        match self {
            RenderError::UnknownFormat(name) => {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                let suggestion = pms_core::schema::suggest(name, names.iter().copied());
                let help = suggestion
                    .map(|s| format!("did you mean `{s}`? formats: {}", names.join(", ")))
                    .unwrap_or_else(|| format!("formats: {}", names.join(", ")));
                let help_ja = suggestion
                    .map(|s| format!("`{s}` の誤りではないか。形式: {}", names.join(", ")))
                    .unwrap_or_else(|| format!("形式: {}", names.join(", ")));
                d.help(help).help_ja(help_ja)
            }
            RenderError::Unavailable(_) => d
                .help("this build of pms does not write that format yet; use json")
                .help_ja("この pms はその形式をまだ書けない。json を使う"),
            RenderError::Write(_) => d,
            RenderError::NotAReport { at, .. } => {
                let d = d
                    .help("give the JSON report of `pms check --format json`")
                    .help_ja("`pms check --format json` の JSON レポートを指定する");
                match file {
                    Some(f) => d.at(pms_core::Location {
                        file: f.to_string(),
                        line: at.map(|a| a.0),
                        column: at.map(|a| a.1),
                        ..pms_core::Location::default()
                    }),
                    None => d,
                }
            }
        }
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::UnknownFormat(name) => write!(f, "unknown output format `{name}`"),
            RenderError::Unavailable(format) => {
                write!(f, "the output format `{format}` is not available")
            }
            RenderError::NotAReport { message, .. } => {
                write!(f, "not a pms JSON report: {message}")
            }
            RenderError::Write(message) => write!(f, "cannot write the output: {message}"),
        }
    }
}

impl RenderError {
    /// The message in Japanese.
    fn message_ja(&self) -> String {
        match self {
            RenderError::UnknownFormat(name) => format!("未知の出力形式 `{name}`"),
            RenderError::Unavailable(format) => format!("出力形式 `{format}` は使えない"),
            RenderError::NotAReport { message, .. } => {
                format!("pms の JSON レポートではない: {message}")
            }
            RenderError::Write(message) => format!("出力を書き込めない: {message}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// Reads the JSON form of a report.
///
/// # Errors
/// [`RenderError::NotAReport`] when the value does not have a report's shape.
pub fn parse_report(report: &serde_json::Value) -> Result<Report, RenderError> {
    use serde::Deserialize as _;
    Report::deserialize(report).map_err(|e| RenderError::NotAReport {
        at: None,
        message: e.to_string(),
    })
}

/// Reads a report from JSON text (a saved `pms check --format json`), locating errors by
/// line and column.
///
/// # Errors
/// [`RenderError::NotAReport`] when the text is not JSON or not a report.
pub fn parse_report_str(text: &str) -> Result<Report, RenderError> {
    serde_json::from_str(text).map_err(|e| RenderError::NotAReport {
        at: (e.line() > 0).then(|| (e.line(), e.column())),
        message: e.to_string(),
    })
}

/// Renders the JSON form of a report in a format.
///
/// # Errors
/// [`RenderError::NotAReport`] when `report` is not a pms report, and
/// [`RenderError::Unavailable`] for a format this version does not write.
pub fn render(
    report: &serde_json::Value,
    format: Format,
    opts: &RenderOptions,
) -> Result<Vec<u8>, RenderError> {
    let parsed = parse_report(report)?;
    render_report(&parsed, format, opts)
}

/// Renders a report (already read from its JSON form) in a format.
///
/// # Errors
/// [`RenderError::Unavailable`] for a format this version does not write.
pub fn render_report(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
) -> Result<Vec<u8>, RenderError> {
    let lang = opts.lang_for(report);
    match format {
        Format::Json => Ok(report.to_json().into_bytes()),
        Format::Text => Ok(report.to_text(lang).into_bytes()),
        Format::Html => Ok(html::render(report, lang).into_bytes()),
        Format::Md => Ok(md::render(report, lang).into_bytes()),
        Format::Junit => junit::render(report, lang).map_err(|e| RenderError::Write(e.to_string())),
        Format::Ics => Ok(ics::render(report, lang).into_bytes()),
        Format::Sarif | Format::OscalAr | Format::OscalPoam => {
            // These writers read the report's JSON form, in the language asked for.
            let mut json =
                serde_json::to_value(report).map_err(|e| RenderError::Write(e.to_string()))?;
            if let Some(o) = json.as_object_mut() {
                o.insert(
                    "lang".into(),
                    serde_json::to_value(lang).unwrap_or_default(),
                );
            }
            let doc = match format {
                Format::Sarif => sarif::report(&json),
                Format::OscalAr => oscal::assessment_results(&json),
                _ => oscal::poam(&json),
            };
            let mut text = serde_json::to_string_pretty(&doc)
                .map_err(|e| RenderError::Write(e.to_string()))?;
            text.push('\n');
            Ok(text.into_bytes())
        }
    }
}

/// How `pms deadlines` writes the deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlinesFormat {
    /// One a line, for terminals.
    Text,
    /// `{ format, as_of, organization, deadlines }`.
    Json,
    /// iCalendar (the same as [`Format::Ics`]).
    Ics,
}

impl FromStr for DeadlinesFormat {
    type Err = RenderError;

    fn from_str(s: &str) -> Result<DeadlinesFormat, RenderError> {
        match s.parse::<Format>()? {
            Format::Text => Ok(DeadlinesFormat::Text),
            Format::Json => Ok(DeadlinesFormat::Json),
            Format::Ics => Ok(DeadlinesFormat::Ics),
            other => Err(RenderError::Unavailable(other)),
        }
    }
}

/// The deadlines of a report (from its JSON form) in a format.
///
/// # Errors
/// [`RenderError::NotAReport`] when `report` is not a pms report.
pub fn render_deadlines(
    report: &serde_json::Value,
    format: DeadlinesFormat,
    opts: &RenderOptions,
) -> Result<Vec<u8>, RenderError> {
    let r = parse_report(report)?;
    let lang = opts.lang_for(&r);
    Ok(match format {
        DeadlinesFormat::Text => deadlines::text(&r, lang),
        DeadlinesFormat::Json => deadlines::json(&r),
        DeadlinesFormat::Ics => ics::render(&r, lang),
    }
    .into_bytes())
}

/// Compares two reports given in their JSON form.
///
/// # Errors
/// [`RenderError::NotAReport`] when either is not a pms report.
pub fn diff_json(
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<Diff, RenderError> {
    Ok(diff(&parse_report(before)?, &parse_report(after)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip_and_unknown_names_are_coded() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!(" Markdown ".parse::<Format>(), Ok(Format::Md));
        let e = "htm".parse::<Format>().unwrap_err();
        assert_eq!(e.code(), "E3020");
        let d = e.to_diagnostic(None);
        assert!(d.help.unwrap().contains("did you mean `html`?"));
    }

    #[test]
    fn a_value_that_is_not_a_report_is_a_coded_error() {
        let e = render(
            &serde_json::json!({"format": 1}),
            Format::Json,
            &RenderOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.code(), "E3021");
        let e = parse_report_str("{\n  \"format\": 1,\n  \"as_of\": 3\n}").unwrap_err();
        assert!(matches!(
            e,
            RenderError::NotAReport {
                at: Some((3, _)),
                ..
            }
        ));
    }
}
