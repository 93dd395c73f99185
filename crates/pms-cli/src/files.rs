//! Command-line paths to files: a file as given, a directory as every file under it with one
//! of the extensions, sorted.

use pms_core::diagnostic::codes;
use pms_core::Diagnostic;
use std::path::{Path, PathBuf};

/// The files named by `paths`, directories expanded to the files under them (recursively)
/// whose extension is one of `exts`, each directory's files sorted.
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
                    .help("give a file or a directory"),
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
            diags.push(Diagnostic::error(
                codes::IO,
                format!("cannot read directory `{}`: {e}", dir.display()),
            ));
            return;
        }
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
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

/// Reads a file as text.
///
/// # Errors
/// `E1011` when it cannot be read.
pub fn read(path: &Path) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            codes::IO,
            format!("cannot read `{}`: {e}", path.display()),
        )]
    })
}
