//! `pms template` and `pms export`: the workbook to fill in (empty, or with the sample
//! company 見本株式会社) and existing records in the same layout (`pms_ledgers::template`).

use crate::Failure;
use pms_core::diagnostic::codes;
use pms_core::schema::Extensions;
use pms_core::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes the template to `out`; with `sample`, filled with the sample company.
pub fn template(out: &Path, sample: bool) -> Result<ExitCode, Failure> {
    let bytes = if sample {
        let set = crate::load(None, &Extensions::none(), None)?;
        pms_ledgers::template::export(&set)
    } else {
        pms_ledgers::template::template()
    }
    .map_err(crate::fail)?;
    save(out, &bytes)
}

/// Writes the records at `path` (a record file or directory) to `out` in the template's
/// layout.
pub fn export(path: &PathBuf, out: &Path) -> Result<ExitCode, Failure> {
    let set = crate::load(Some(path), &Extensions::none(), None)?;
    let bytes = pms_ledgers::template::export(&set).map_err(crate::fail)?;
    save(out, &bytes)
}

fn save(out: &Path, bytes: &[u8]) -> Result<ExitCode, Failure> {
    if !out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return Err(crate::fail(vec![Diagnostic::error(
            codes::OPTION,
            format!("`{}` does not end in .xlsx", out.display()),
        )
        .ja(format!("`{}` の拡張子が .xlsx ではない", out.display()))
        .help("name the output file like ledgers.xlsx (the workbook is an Excel .xlsx file)")
        .help_ja(
            "出力ファイルは ledgers.xlsx のように名付ける（Excel の .xlsx ブック）",
        )]));
    }
    std::fs::write(out, bytes).map_err(|e| {
        crate::fail(vec![Diagnostic::error(
            codes::IO,
            format!("cannot write `{}`: {e}", out.display()),
        )
        .ja(format!(
            "`{}` に書き込めない: {}",
            out.display(),
            pms_core::input::io_reason_ja(&e)
        ))])
    })?;
    Ok(ExitCode::SUCCESS)
}
