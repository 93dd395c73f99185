//! Diagnostics: every problem a user can cause, as plain serialisable data.
//!
//! A [`Diagnostic`] has a stable code (listed in [`codes`]), a one-line message, a location
//! (file, line, column, and the JSON pointer or field where that applies), a label and a help
//! line, each in English and in Japanese (`message_ja`, `label_ja`, `help_ja`). Bindings hand
//! diagnostics over as JSON, both languages in it; [`render_in`] prints them rustc-style for
//! people in the language asked ([`render`]: English).

use crate::Lang;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The input is rejected.
    Error,
    /// The input is accepted but probably not what was meant.
    Warning,
}

/// Where a diagnostic points.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct Location {
    /// The file (or `<inline>` for text given directly).
    pub file: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// JSON pointer of the value in a record file (`/workforce/3/start_date`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The field concerned (`start_date`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Byte range in the file, for rule sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    /// The spreadsheet cell, for records read from a workbook (`受講者名簿!D14`: sheet and
    /// cell) or a CSV/TSV file (`D14`); shown after the file as `教育記録.xlsx!受講者名簿!D14`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

/// A problem in the input: a record set, a rule file or an option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Stable code, e.g. `E1001`; see [`codes`].
    pub code: &'static str,
    /// Error or warning.
    pub level: Level,
    /// One lowercase line; user input is in backticks.
    pub message: String,
    /// The message in Japanese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_ja: Option<String>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// A short label shown under the offending text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The label in Japanese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_ja: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The help line in Japanese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_ja: Option<String>,
}

/// A diagnostic as JSON holds it: its code as text.
#[derive(serde::Deserialize)]
struct DiagnosticRead {
    code: String,
    level: Level,
    message: String,
    #[serde(default)]
    message_ja: Option<String>,
    location: Option<Location>,
    label: Option<String>,
    #[serde(default)]
    label_ja: Option<String>,
    help: Option<String>,
    #[serde(default)]
    help_ja: Option<String>,
}

/// Read back from JSON (a diagnostic handed from one WebAssembly module to another), a
/// diagnostic's code must be one of [`codes::ALL`].
impl<'de> serde::Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Diagnostic, D::Error> {
        let d = DiagnosticRead::deserialize(de)?;
        let code = codes::ALL
            .iter()
            .map(|(c, _)| *c)
            .find(|c| *c == d.code)
            .ok_or_else(|| {
                serde::de::Error::custom(format!("unknown diagnostic code `{}`", d.code))
            })?;
        Ok(Diagnostic {
            code,
            level: d.level,
            message: d.message,
            message_ja: d.message_ja,
            location: d.location,
            label: d.label,
            label_ja: d.label_ja,
            help: d.help,
            help_ja: d.help_ja,
        })
    }
}

impl Diagnostic {
    /// A new error with a code and a message (in English; [`Diagnostic::ja`] adds the
    /// Japanese one).
    #[must_use]
    #[inline(never)]
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            level: Level::Error,
            message: message.into(),
            message_ja: None,
            location: None,
            label: None,
            label_ja: None,
            help: None,
            help_ja: None,
        }
    }

    /// Sets the message in Japanese.
    #[must_use]
    #[inline(never)]
    pub fn ja(mut self, message: impl Into<String>) -> Self {
        self.message_ja = Some(message.into());
        self
    }

    /// Sets the message, the label and the help line in Japanese at once.
    #[must_use]
    #[inline(never)]
    pub fn in_ja(mut self, message: impl Into<String>, label: &str, help: &str) -> Self {
        self.message_ja = Some(message.into());
        self.label_ja = Some(label.to_owned());
        self.help_ja = Some(help.to_owned());
        self
    }

    /// Sets the help line in Japanese.
    #[must_use]
    #[inline(never)]
    pub fn help_ja(mut self, help: impl Into<String>) -> Self {
        self.help_ja = Some(help.into());
        self
    }

    /// Sets the help line in Japanese when there is one.
    #[must_use]
    #[inline(never)]
    pub fn maybe_help_ja(mut self, help: Option<String>) -> Self {
        self.help_ja = help;
        self
    }

    /// Sets the label in Japanese.
    #[must_use]
    #[inline(never)]
    pub fn label_ja(mut self, label: impl Into<String>) -> Self {
        self.label_ja = Some(label.into());
        self
    }

    /// The message in `lang` (the English one when no Japanese one was given).
    #[must_use]
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_ja) {
            (Lang::Ja, Some(m)) => m,
            _ => &self.message,
        }
    }

    /// The label in `lang`, when there is a label.
    #[must_use]
    pub fn label_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.label_ja) {
            (Lang::Ja, Some(l)) => Some(l),
            _ => self.label.as_deref(),
        }
    }

    /// The help line in `lang`, when there is one.
    #[must_use]
    pub fn help_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.help_ja) {
            (Lang::Ja, Some(h)) => Some(h),
            _ => self.help.as_deref(),
        }
    }

    /// What this diagnostic lacks in Japanese: `message_ja`, `label_ja` (when it has a label)
    /// and `help_ja` (when it has a help line). Empty when it reads fully in Japanese.
    #[must_use]
    pub fn missing_ja(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.message_ja.is_none() {
            missing.push("message_ja");
        }
        if self.label.as_deref().is_some_and(|l| !l.is_empty()) && self.label_ja.is_none() {
            missing.push("label_ja");
        }
        if self.help.is_some() && self.help_ja.is_none() {
            missing.push("help_ja");
        }
        missing
    }

    /// The diagnostic as one short text in `lang` (the [`fmt::Display`] form, which is
    /// English): `error[E1004]: message`, its place and its help line.
    #[must_use]
    pub fn text_in(&self, lang: Lang) -> String {
        let mut s = String::new();
        let _ = self.write_in(&mut s, lang);
        s
    }

    /// Writes [`Diagnostic::text_in`].
    fn write_in(&self, f: &mut impl fmt::Write, lang: Lang) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{level}[{}]: {}", self.code, self.message_in(lang))?;
        if let Some(loc) = &self.location {
            write!(f, "\n  --> {}", loc.file)?;
            if let Some(cell) = &loc.cell {
                write!(f, "!{cell}")?;
            } else if let Some(line) = loc.line {
                write!(f, ":{line}")?;
                if let Some(col) = loc.column {
                    write!(f, ":{col}")?;
                }
            }
            if let Some(p) = &loc.pointer {
                write!(f, " ({p})")?;
            }
        }
        if let Some(h) = self.help_in(lang) {
            write!(f, "\n  = help: {h}")?;
        }
        Ok(())
    }

    /// Sets the location.
    #[must_use]
    #[inline(never)]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the help line.
    #[must_use]
    #[inline(never)]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    #[must_use]
    #[inline(never)]
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Sets the label.
    #[must_use]
    #[inline(never)]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sort key that makes lists of diagnostics deterministic.
    fn sort_key(&self) -> (Option<&Location>, &'static str, &str) {
        (self.location.as_ref(), self.code, &self.message)
    }
}

/// The Japanese of an English "did you mean `x`?" help line (`x` の誤りではないか), with
/// what follows it; `None` for any other help line. Suggestions computed once in English
/// (and cached) are given in Japanese through it.
#[must_use]
#[inline(never)]
pub fn did_you_mean_ja(help: &str) -> Option<String> {
    let rest = help.strip_prefix("did you mean `")?;
    let (word, after) = rest.split_once("`?")?;
    Some(format!("`{word}` の誤りではないか{after}"))
}

/// The help line of a name not found, in English and in Japanese: "did you mean `x`?"
/// (`x` の誤りではないか) when `close` is a close name, else `en` and `ja`.
#[must_use]
#[inline(never)]
pub fn did_you_mean_or(close: Option<&str>, en: &str, ja: &str) -> (String, String) {
    match close {
        Some(c) => (
            format!("did you mean `{c}`?"),
            format!("`{c}` の誤りではないか"),
        ),
        None => (en.to_owned(), ja.to_owned()),
    }
}

/// Sorts diagnostics by location, then code, then message.
pub fn sort(diags: &mut [Diagnostic]) {
    crate::sorting::sort_by(diags, |a, b| a.sort_key().cmp(&b.sort_key()));
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_in(f, Lang::En)
    }
}

/// The starts of the lines of a text: line and column of any byte offset by binary search,
/// so locating many diagnostics costs one pass over the text.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last position whose column was counted: (0-based line, byte offset, characters
    /// from the start of the line). Columns asked in increasing order along one line — the
    /// errors of a one-line JSON file — are then counted from there, not from the line start.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// The 1-based line and column (in characters) of byte offset `at`.
    #[must_use]
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let at = at.min(self.text.len());
        let line = self.line_of(at);
        let (last_line, last_at, last_chars) = self.last.get();
        let (from, before) = if last_line == line && last_at <= at {
            (last_at, last_chars)
        } else {
            (self.starts.get(line).copied().unwrap_or(0), 0)
        };
        let column = before + self.text.get(from..at).map_or(0, |t| t.chars().count());
        self.last.set((line, at, column));
        (line + 1, column + 1)
    }

    /// The 0-based line holding byte offset `at`.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|s| *s <= at).saturating_sub(1)
    }

    /// The length in bytes of 1-based `line`, without its line end.
    fn line_len(&self, line: usize) -> Option<usize> {
        let start = self.start_of(line)?;
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        Some(end.saturating_sub(start))
    }

    /// Byte offset of the start of 1-based `line`.
    fn start_of(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// The byte range of the whole lines that `range` touches (with their line ends), and
    /// the 1-based number of the first.
    fn lines_around(&self, range: &std::ops::Range<usize>) -> (std::ops::Range<usize>, usize) {
        let first = self.line_of(range.start);
        let last = self.line_of(range.end.saturating_sub(1).max(range.start));
        let start = self.starts.get(first).copied().unwrap_or(0);
        let end = self
            .starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        (start..end, first + 1)
    }
}

/// Renders diagnostics for a terminal in English: [`render_in`] with [`Lang::En`].
#[must_use]
pub fn render(diags: &[Diagnostic], sources: &[(String, String)]) -> String {
    render_in(diags, sources, Lang::En)
}

/// Renders diagnostics for a terminal, rustc-style, in `lang` (a diagnostic without a
/// Japanese text shows its English one), showing the source line when the text of the file
/// is known. `sources` maps file names to their text. Past
/// [`crate::limits::MAX_SHOWN_DIAGNOSTICS`], the rest are counted, not shown. Codes and
/// locations are the same in both languages.
#[must_use]
pub fn render_in(diags: &[Diagnostic], sources: &[(String, String)], lang: Lang) -> String {
    use crate::limits::MAX_SHOWN_DIAGNOSTICS;
    use annotate_snippets::{AnnotationKind, Group, Level as AsLevel, Renderer, Snippet};
    let renderer = Renderer::plain();
    let mut out = String::new();
    let mut indexes: std::collections::HashMap<&str, LineIndex<'_>> =
        std::collections::HashMap::new();
    for d in diags.iter().take(MAX_SHOWN_DIAGNOSTICS) {
        let title = format!("{} [{}]", d.message_in(lang), d.code);
        let level = match d.level {
            Level::Error => AsLevel::ERROR,
            Level::Warning => AsLevel::WARNING,
        };
        let text = d.location.as_ref().and_then(|l| {
            let (name, text) = sources.iter().find(|(n, _)| *n == l.file)?;
            let index = indexes
                .entry(name.as_str())
                .or_insert_with(|| LineIndex::new(text));
            Some((l, text.as_str(), &*index))
        });
        let located = text.and_then(|(l, t, ix)| byte_range(l, t, ix).map(|r| (l, t, ix, r)));
        let rendered = match located {
            Some((l, t, ix, range)) => {
                // Only the lines shown are handed to the renderer, numbered from the first.
                let (lines, first) = ix.lines_around(&range);
                let source = t.get(lines.clone()).unwrap_or_default();
                let local = range.start - lines.start..range.end - lines.start;
                let label = d.label_in(lang).unwrap_or_default();
                let snippet = Snippet::source(source)
                    .line_start(first)
                    .path(l.file.as_str())
                    .annotation(AnnotationKind::Primary.span(local).label(label));
                let mut group =
                    Group::with_title(level.primary_title(title.as_str())).element(snippet);
                if let Some(h) = d.help_in(lang) {
                    group = group.element(AsLevel::HELP.message(h));
                }
                renderer.render(&[group])
            }
            None => {
                let mut s = d.text_in(lang);
                s.push('\n');
                s
            }
        };
        out.push_str(&rendered);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    if let Some(more) = diags
        .len()
        .checked_sub(MAX_SHOWN_DIAGNOSTICS)
        .filter(|n| *n > 0)
    {
        out.push_str(&match lang {
            Lang::En => format!(
                "… {more} more diagnostics not shown (the first {MAX_SHOWN_DIAGNOSTICS} are \
                 above; JSON output lists all) / ほか {more} 件は省略しました\n\n"
            ),
            Lang::Ja => format!("… ほか {more} 件は省略した（JSON 出力には全件）\n\n"),
        });
    }
    out
}

/// The longest source line shown in a snippet, in bytes.
const MAX_SNIPPET_LINE: usize = 1_000;

/// The byte range a location covers in `text`: its span, or the token at its line and column.
fn byte_range(loc: &Location, text: &str, index: &LineIndex<'_>) -> Option<std::ops::Range<usize>> {
    if let Some((a, b)) = loc.span {
        if a <= b && b <= text.len() {
            let (lines, _) = index.lines_around(&(a..b.max(a)));
            return (lines.len() <= MAX_SNIPPET_LINE * 4).then_some(a..b.max(a));
        }
    }
    let line = loc.line?;
    let col = loc.column.unwrap_or(1);
    // A line longer than a terminal can show (a one-line JSON file) gets no snippet: the
    // location is printed as file:line:column instead, and finding it costs nothing.
    if index.line_len(line)? > MAX_SNIPPET_LINE {
        return None;
    }
    let start_of_line = index.start_of(line)?;
    let line_text = text.get(start_of_line..)?.lines().next().unwrap_or("");
    let offset: usize = line_text
        .chars()
        .take(col.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let start = start_of_line + offset;
    let rest = text.get(start..)?;
    let len = rest.find(['\n', ',', '}']).unwrap_or(rest.len());
    Some(start..start + len.max(usize::from(!rest.is_empty())))
}

/// The stable diagnostic codes. A code never changes meaning once released.
pub mod codes {
    /// A record file is not valid JSON or YAML.
    pub const SYNTAX: &str = "E1001";
    /// A record has a field the model does not know.
    pub const UNKNOWN_FIELD: &str = "E1002";
    /// A value has the wrong type (text for a number, a list for an object …).
    pub const WRONG_TYPE: &str = "E1003";
    /// A date is not an existing `yyyy-mm-dd` date.
    pub const BAD_DATE: &str = "E1004";
    /// A value is not one of the field's allowed values.
    pub const BAD_ENUM: &str = "E1005";
    /// A required field is missing.
    pub const MISSING_FIELD: &str = "E1006";
    /// Two records share an id.
    pub const DUPLICATE_ID: &str = "E1007";
    /// A reference names no record of the expected entity.
    pub const DANGLING_REF: &str = "E1008";
    /// Two dates are in an impossible order (end before start).
    pub const DATE_ORDER: &str = "E1009";
    /// An entity name is unknown.
    pub const UNKNOWN_ENTITY: &str = "E1010";
    /// A file or directory cannot be read.
    pub const IO: &str = "E1011";
    /// A document has the wrong overall shape.
    pub const BAD_SHAPE: &str = "E1012";
    /// A path names a device, FIFO, socket or directory where a file is read, or a symbolic
    /// link in a records directory leads out of it or nowhere (E1013–E1019 are left to other
    /// record errors).
    pub const NOT_A_FILE: &str = "E1020";
    /// An input is larger than the maximum input size (`--max-input-size`).
    pub const TOO_LARGE: &str = "E1021";

    /// A spreadsheet cannot be opened: corrupt, password-protected, or not a workbook.
    pub const LEDGER_UNREADABLE: &str = "E1030";
    /// A text ledger (CSV/TSV) is not valid in its encoding, or the encoding named is unknown.
    pub const LEDGER_ENCODING: &str = "E1031";
    /// Two columns of a sheet name the same field.
    pub const DUPLICATE_COLUMN: &str = "E1032";
    /// A merged cell inside the data rows of a sheet.
    pub const MERGED_CELL: &str = "E1033";
    /// A formula cell without a value saved in the file.
    pub const FORMULA_NO_VALUE: &str = "E1034";
    /// A spreadsheet or text ledger is larger than the reader accepts (rows, cells, or a
    /// zip archive that expands too far).
    pub const LEDGER_TOO_LARGE: &str = "E1035";
    /// No header row naming the fields was found in a sheet.
    pub const NO_HEADER: &str = "E1036";
    /// A mapping file (`pms import --map`) is not valid.
    pub const BAD_MAP: &str = "E1037";
    /// A reference in a ledger written as a name (a 受講者's 氏名, a 委託先名) that several
    /// records of the referenced ledger share: the id of the one meant is needed.
    pub const AMBIGUOUS_NAME: &str = "E1038";
    /// A value or a ledger does not fit in a workbook (`pms export`: a text longer than an
    /// Excel cell holds, more rows than a worksheet holds).
    pub const UNWRITABLE: &str = "E1040";

    /// A rule file does not parse.
    pub const RULE_SYNTAX: &str = "E2001";
    /// A rule names an entity the model does not have.
    pub const RULE_UNKNOWN_ENTITY: &str = "E2002";
    /// A rule names a field the entity does not have.
    pub const RULE_UNKNOWN_FIELD: &str = "E2003";
    /// An expression has the wrong type.
    pub const RULE_TYPE: &str = "E2004";
    /// A name is neither a variable nor a parameter.
    pub const RULE_UNKNOWN_NAME: &str = "E2005";
    /// Two rules share an id.
    pub const RULE_DUPLICATE: &str = "E2006";
    /// A clause reference names an unknown edition or is malformed.
    pub const RULE_CLAUSE: &str = "E2007";
    /// A rule misses a required part (title, message …) or repeats one.
    pub const RULE_INCOMPLETE: &str = "E2008";
    /// Rule dependencies form a cycle.
    pub const RULE_CYCLE: &str = "E2009";
    /// A rule depends on a rule that does not exist.
    pub const RULE_UNKNOWN_DEP: &str = "E2010";
    /// A function is unknown or called with the wrong number of arguments.
    pub const RULE_FUNCTION: &str = "E2011";
    /// A parameter override names an unknown parameter or has a bad value.
    pub const PARAM: &str = "E2012";
    /// An `extend` declaration is not valid (unknown entity or type, a field declared twice).
    pub const RULE_EXTENSION: &str = "E2013";
    /// An option (edition, date, language …) is not valid.
    pub const OPTION: &str = "E3001";
    /// Records were loaded with extension fields other than the rules declare.
    pub const EXTENSIONS: &str = "E3002";
    /// A rule file is not formatted (`pms fmt --check`).
    pub const UNFORMATTED: &str = "E3003";
    /// A test case file (`pms test`) has the wrong shape.
    pub const CASES: &str = "E3004";
    /// An output format is unknown, or not available for this command (`--format`).
    pub const OUTPUT_FORMAT: &str = "E3020";
    /// A saved report (`pms diff`, rendering from JSON) is not a pms JSON report.
    pub const REPORT_INPUT: &str = "E3021";
    /// Output options that do not fit together (several formats to one stream, an output
    /// file that cannot be written).
    pub const OUTPUT: &str = "E3022";
    /// A record document nests deeper than `limits::MAX_RECORD_NESTING`.
    pub const RECORD_NESTING: &str = "E1022";
    /// A text file (records or rules) is not UTF-8; the message names the likely encoding
    /// and the byte offset of the first bad sequence.
    pub const ENCODING: &str = "E1023";
    /// A rule expression nests too deep (`limits::MAX_RULE_NESTING`,
    /// `limits::MAX_EXPANDED_DEPTH`).
    pub const RULE_NESTING: &str = "E2014";
    /// A rule part takes too many operations to evaluate, each definition counted at each
    /// call (`limits::MAX_EXPANDED_SIZE`).
    pub const RULE_TOO_LARGE: &str = "E2015";
    /// The command line does not parse (unknown flag, missing value …).
    pub const ARGUMENTS: &str = "E3005";
    /// An internal error: a bug in pms, caught before it could take the host down.
    pub const INTERNAL: &str = "E9001";

    /// Every code with a one-line description (for docs and `pms explain`).
    pub const ALL: &[(&str, &str)] = &[
        (SYNTAX, "record file is not valid JSON or YAML"),
        (UNKNOWN_FIELD, "unknown field in a record"),
        (WRONG_TYPE, "value of the wrong type"),
        (BAD_DATE, "impossible or malformed date"),
        (BAD_ENUM, "value outside the allowed vocabulary"),
        (MISSING_FIELD, "required field missing"),
        (DUPLICATE_ID, "two records share an id"),
        (DANGLING_REF, "reference to a record that does not exist"),
        (DATE_ORDER, "dates in an impossible order"),
        (UNKNOWN_ENTITY, "unknown entity"),
        (IO, "file or directory cannot be read"),
        (BAD_SHAPE, "record document of the wrong shape"),
        (
            NOT_A_FILE,
            "not a regular file (device, FIFO, socket, link out of the directory)",
        ),
        (TOO_LARGE, "input larger than the maximum input size"),
        (
            LEDGER_UNREADABLE,
            "spreadsheet corrupt, password-protected or not a workbook",
        ),
        (LEDGER_ENCODING, "text ledger not valid in its encoding"),
        (DUPLICATE_COLUMN, "two columns name the same field"),
        (MERGED_CELL, "merged cell inside the data of a sheet"),
        (FORMULA_NO_VALUE, "formula without a saved value"),
        (LEDGER_TOO_LARGE, "spreadsheet or text ledger too large"),
        (NO_HEADER, "no header row found in a sheet"),
        (BAD_MAP, "bad mapping file for `pms import`"),
        (UNWRITABLE, "value or ledger too large for a workbook"),
        (RULE_SYNTAX, "rule file does not parse"),
        (RULE_UNKNOWN_ENTITY, "rule names an unknown entity"),
        (RULE_UNKNOWN_FIELD, "rule names an unknown field"),
        (RULE_TYPE, "type mismatch in a rule expression"),
        (RULE_UNKNOWN_NAME, "unknown variable or parameter"),
        (RULE_DUPLICATE, "duplicate rule id"),
        (RULE_CLAUSE, "bad clause reference"),
        (RULE_INCOMPLETE, "rule misses or repeats a part"),
        (RULE_CYCLE, "cyclic rule dependency"),
        (RULE_UNKNOWN_DEP, "dependency on an unknown rule"),
        (RULE_FUNCTION, "unknown function or wrong arity"),
        (PARAM, "bad parameter override"),
        (RULE_EXTENSION, "bad `extend` declaration"),
        (OPTION, "bad option"),
        (
            EXTENSIONS,
            "records and rules declare different extension fields",
        ),
        (UNFORMATTED, "rule file not formatted"),
        (CASES, "test case file of the wrong shape"),
        (OUTPUT_FORMAT, "unknown or unavailable output format"),
        (REPORT_INPUT, "saved report is not a pms JSON report"),
        (OUTPUT, "output options that do not fit together"),
        (RECORD_NESTING, "record document nested too deep"),
        (ENCODING, "file is not UTF-8 text"),
        (RULE_NESTING, "rule expression nested too deep"),
        (
            RULE_TOO_LARGE,
            "rule too costly to evaluate, definitions counted at each call",
        ),
        (ARGUMENTS, "bad command line"),
        (INTERNAL, "internal error (a bug in pms)"),
    ];
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::records::{load_str, Format};

    /// The first diagnostic of `code` loading `text` as the YAML file `name`.
    fn first(name: &str, text: &str, code: &str) -> Diagnostic {
        let diags = load_str(name, text, Format::Yaml).unwrap_err();
        diags.into_iter().find(|d| d.code == code).unwrap()
    }

    #[test]
    fn an_impossible_date_renders_in_japanese_with_its_code_and_place_unchanged() {
        let text = "workforce:\n  - id: W-1\n    name: 山田\n    start_date: 2025-02-29\n";
        let d = first("w.yaml", text, codes::BAD_DATE);
        assert!(d.missing_ja().is_empty(), "{d:?}");
        let sources = [("w.yaml".to_string(), text.to_string())];
        let ja = render_in(std::slice::from_ref(&d), &sources, Lang::Ja);
        let en = render_in(std::slice::from_ref(&d), &sources, Lang::En);
        assert!(
            ja.contains("存在する日付ではない: `2025-02-29` [E1004]"),
            "{ja}"
        );
        assert!(ja.contains("--> w.yaml:4:17"), "{ja}");
        assert!(ja.contains("日付ではない"), "{ja}");
        assert!(ja.contains("実在する日付を `yyyy-mm-dd` で書く"), "{ja}");
        assert!(
            en.contains("`2025-02-29` is not a valid date for `start_date` [E1004]"),
            "{en}"
        );
        assert!(en.contains("--> w.yaml:4:17"), "{en}");
        // `render` is English, as before.
        assert_eq!(render(std::slice::from_ref(&d), &sources), en);
    }

    #[test]
    fn unknown_fields_and_entities_name_the_field_by_its_japanese_label() {
        let d = first(
            "w.yaml",
            "workforce:\n  - id: W-1\n    name: A\n    start_date: 2025-04-01\n    nmae: x\n",
            codes::UNKNOWN_FIELD,
        );
        assert_eq!(d.message, "unknown field `nmae` in `workforce`");
        let ja = d.message_in(Lang::Ja);
        assert!(ja.contains("未知の項目 `nmae`"), "{ja}");
        assert!(ja.contains("（workforce）"), "{ja}");
        assert_eq!(d.help_in(Lang::Ja), Some("`name` の誤りではないか"));
        let e = first("x.yaml", "workforse: []\n", codes::UNKNOWN_ENTITY);
        assert_eq!(e.message_in(Lang::Ja), "未知のエンティティ `workforse`");
        assert_eq!(e.message_in(Lang::En), "unknown entity `workforse`");
    }

    #[test]
    fn both_languages_are_in_the_json_and_read_back() {
        let d = Diagnostic::error(codes::OPTION, "unknown language `fr`")
            .ja("未知の言語 `fr`")
            .help("use `ja` or `en`")
            .help_ja("`ja` か `en` を使う");
        let json = serde_json::to_string(&d).unwrap();
        assert!(
            json.contains(r#""message":"unknown language `fr`","message_ja":"未知の言語 `fr`""#),
            "{json}"
        );
        assert!(
            json.contains(r#""help_ja":"`ja` か `en` を使う""#),
            "{json}"
        );
        let back: Diagnostic = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
        // A diagnostic without Japanese (JSON of an older pms) reads back and shows English.
        let old: Diagnostic =
            serde_json::from_str(r#"{"code":"E3001","level":"error","message":"bad"}"#).unwrap();
        assert_eq!(old.message_in(Lang::Ja), "bad");
        assert_eq!(old.missing_ja(), ["message_ja"]);
        assert_eq!(
            d.text_in(Lang::Ja),
            "error[E3001]: 未知の言語 `fr`\n  = help: `ja` か `en` を使う"
        );
    }

    #[test]
    fn did_you_mean_reads_in_japanese() {
        assert_eq!(
            did_you_mean_ja("did you mean `name`?").as_deref(),
            Some("`name` の誤りではないか")
        );
        assert_eq!(did_you_mean_ja("check the path"), None);
        let (en, ja) = did_you_mean_or(Some("name"), "declare it", "宣言する");
        assert_eq!(did_you_mean_ja(&en).as_deref(), Some(ja.as_str()));
        assert_eq!(
            did_you_mean_or(None, "declare it", "宣言する"),
            ("declare it".to_owned(), "宣言する".to_owned())
        );
    }
}
