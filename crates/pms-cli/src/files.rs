//! Command-line paths to files: a file as given, a directory as every file under it with one
//! of the extensions, sorted. Files are read through the core's bounded reader
//! ([`pms_core::input`]): regular files only, within the maximum input size.

use pms_core::diagnostic::codes;
use pms_core::input::{self, Limits};
use pms_core::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The limits of this run (`--max-input-size`), set once by `main`.
static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits of this run.
pub fn set_limits(limits: Limits) {
    let _ = LIMITS.set(limits);
}

/// The limits of this run (the defaults until set).
pub fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// The files named by `paths`, directories expanded to the files under them (recursively,
/// symbolic links not followed) whose extension is one of `exts`, each directory's files
/// sorted.
///
/// # Errors
/// A path that does not exist or a directory that cannot be read (`E1011`).
pub fn expand(paths: &[PathBuf], exts: &[&str]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, exts, &mut found, &mut diags);
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            diags.push(
                Diagnostic::error(codes::IO, format!("`{}` does not exist", p.display()))
                    .ja(format!("`{}` は存在しない", p.display()))
                    .help("give a file or a directory")
                    .help_ja("ファイルかディレクトリを指定する"),
            );
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>, diags: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    codes::IO,
                    format!("cannot read directory `{}`: {e}", dir.display()),
                )
                .ja(format!(
                    "ディレクトリ `{}` を読めない: {}",
                    dir.display(),
                    pms_core::input::io_reason_ja(&e)
                )),
            );
            return;
        }
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        // The entry's own type: a symbolic link to a directory is not entered (no loops).
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, exts, out, diags);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
}

/// Reads a file as text (`what` names it in messages: `rule`, `test case`).
///
/// # Errors
/// `E1011` when it cannot be read, `E1020` when it is not a regular file, `E1021` when it is
/// larger than the limit.
pub fn read(path: &Path, what: &str) -> Result<String, Vec<Diagnostic>> {
    input::read_text(path, what, limits()).map_err(|d| vec![*d])
}
