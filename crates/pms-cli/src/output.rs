//! Where `pms check` (and `pms report`, `pms deadlines`, `pms diff`) write: formats and
//! output files.
//!
//! * One format, no `--output`: standard output.
//! * One format and `-o FILE`: that file.
//! * Several formats (`--format json,html,ics`): one file each, named `BASE.<ext>` where
//!   BASE is `-o BASE` (e.g. `-o out/check` → `out/check.json`, `out/check.html`), or
//!   `DIR/report.<ext>` with `--output-dir DIR` (`-o` then names the base inside DIR).
//!   The check runs once; every format is rendered from its JSON report.

use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Lang};
use pms_render::{Format, RenderError, RenderOptions};
use std::path::{Path, PathBuf};

use crate::{fail, Failure};

/// Parses `--format` values (each may hold a comma-separated list), without repeats.
pub fn formats(values: &[String]) -> Result<Vec<Format>, Failure> {
    let mut out = Vec::new();
    for v in values.iter().flat_map(|v| v.split(',')) {
        let f: Format = v
            .parse()
            .map_err(|e: RenderError| fail(vec![e.to_diagnostic(None)]))?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.is_empty() {
        out.push(Format::Text);
    }
    Ok(out)
}

/// Parses `--lang` for rendering.
pub fn lang(value: &str) -> Result<Lang, Failure> {
    match value {
        "ja" => Ok(Lang::Ja),
        "en" => Ok(Lang::En),
        other => Err(fail(vec![Diagnostic::error(
            codes::OPTION,
            format!("unknown language `{other}`"),
        )
        .ja(format!("未知の言語 `{other}`"))
        .help("languages: ja, en")
        .help_ja("言語: ja、en")])),
    }
}

/// Where each format goes: `None` is standard output.
pub fn destinations(
    formats: &[Format],
    output: Option<&Path>,
    output_dir: Option<&Path>,
) -> Result<Vec<(Format, Option<PathBuf>)>, Failure> {
    match (formats, output, output_dir) {
        ([f], None, None) => Ok(vec![(*f, None)]),
        ([f], Some(file), None) => Ok(vec![(*f, Some(file.to_path_buf()))]),
        (_, None, None) => Err(fail(vec![Diagnostic::error(
            codes::OUTPUT,
            "several output formats cannot all go to standard output",
        )
        .ja("複数の出力形式をすべて標準出力に書くことはできない")
        .help("add `-o NAME` (writes NAME.json, NAME.html …) or `--output-dir DIR`")
        .help_ja(
            "`-o NAME`（NAME.json、NAME.html … を書く）か `--output-dir DIR` を付ける",
        )])),
        (fs, base, dir) => {
            let base = base.map_or_else(|| PathBuf::from("report"), Path::to_path_buf);
            let base = match dir {
                Some(d) => d.join(base),
                None => base,
            };
            Ok(fs
                .iter()
                .map(|f| {
                    let mut name = base.clone().into_os_string();
                    name.push(".");
                    name.push(f.extension());
                    (*f, Some(PathBuf::from(name)))
                })
                .collect())
        }
    }
}

/// Writes bytes to a destination (standard output for `None`), creating parent folders.
/// Text that does not end with a line break gets one, so `-o FILE` writes what `> FILE`
/// would.
pub fn write(dest: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    let newline: &[u8] = if bytes.is_empty() || bytes.last() == Some(&b'\n') {
        b""
    } else {
        b"\n"
    };
    stream(dest, |out| {
        out.write_all(bytes)?;
        out.write_all(newline)
    })
}

/// Writes a report in each format to its destination, in order. JSON is streamed from the
/// report straight to its destination (the same text as [`pms_core::Report::to_json`] with a
/// line break); the other formats are rendered from the report's JSON form, built only when
/// one of them is asked for.
pub fn write_report(
    report: &pms_core::Report,
    dests: &[(Format, Option<PathBuf>)],
    lang: Option<Lang>,
) -> Result<(), Failure> {
    let mut json: Option<serde_json::Value> = None;
    for (f, dest) in dests {
        if *f == Format::Json {
            stream(dest.as_deref(), |w| {
                report.write_json(&mut *w)?;
                w.write_all(b"\n")
            })?;
            if let Some(p) = dest {
                eprintln!("wrote {}", p.display());
            }
            continue;
        }
        let value = match &mut json {
            Some(v) => v,
            None => json.insert(serde_json::to_value(report).map_err(|e| {
                fail(vec![Diagnostic::error(
                    codes::OUTPUT,
                    format!("cannot serialise the report: {e}"),
                )
                .ja(format!("レポートを直列化できない: {e}"))])
            })?),
        };
        render_all(value, std::slice::from_ref(&(*f, dest.clone())), lang)?;
    }
    Ok(())
}

/// Writes to a destination (standard output for `None`) through a buffer, creating parent
/// folders, as `write_to` produces the bytes.
fn stream(
    dest: Option<&Path>,
    write_to: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    use std::io::Write as _;
    const BUFFER: usize = 1 << 20;
    let Some(path) = dest else {
        let mut out = std::io::BufWriter::with_capacity(BUFFER, std::io::stdout().lock());
        return write_to(&mut out).and_then(|()| out.flush()).map_err(|e| {
            fail(vec![Diagnostic::error(
                codes::IO,
                format!("cannot write to standard output: {e}"),
            )
            .ja(format!(
                "標準出力に書き込めない: {}",
                pms_core::input::io_reason_ja(&e)
            ))])
        });
    };
    let io_err = |e: std::io::Error| {
        fail(vec![Diagnostic::error(
            codes::OUTPUT,
            format!("cannot write `{}`: {e}", path.display()),
        )
        .ja(format!(
            "`{}` に書き込めない: {}",
            path.display(),
            pms_core::input::io_reason_ja(&e)
        ))
        .help("check that the folder exists and is writable")
        .help_ja("フォルダが存在し、書き込めるか確かめる")])
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io_err)?;
    }
    let file = std::fs::File::create(path).map_err(io_err)?;
    let mut out = std::io::BufWriter::with_capacity(BUFFER, file);
    write_to(&mut out)
        .and_then(|()| out.flush())
        .map_err(io_err)
}

/// Renders a report's JSON form in each format and writes it to its destination.
pub fn render_all(
    report: &serde_json::Value,
    dests: &[(Format, Option<PathBuf>)],
    lang: Option<Lang>,
) -> Result<(), Failure> {
    let opts = RenderOptions { lang };
    for (f, dest) in dests {
        let bytes =
            pms_render::render(report, *f, &opts).map_err(|e| fail(vec![e.to_diagnostic(None)]))?;
        write(dest.as_deref(), &bytes)?;
        if let Some(p) = dest {
            eprintln!("wrote {}", p.display());
        }
    }
    Ok(())
}

/// Reads a saved JSON report (`pms check --format json`).
pub fn read_report(path: &Path) -> Result<serde_json::Value, Failure> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(vec![Diagnostic::error(
            codes::IO,
            format!("cannot read `{name}`: {e}"),
        )
        .ja(format!(
            "`{name}` を読めない: {}",
            pms_core::input::io_reason_ja(&e)
        ))])
    })?;
    // Checked as a report here, so that errors point at a line and column of the file.
    pms_render::parse_report_str(&text).map_err(|e| {
        (
            vec![e.to_diagnostic(Some(&name))],
            vec![(name.clone(), text.clone())],
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        fail(vec![Diagnostic::error(
            codes::REPORT_INPUT,
            format!("`{name}` is not JSON: {e}"),
        )
        .ja(format!(
            "`{name}` は JSON ではない: {}",
            pms_core::text::syntax_ja(&e.to_string())
        ))])
    })
}
