//! CSV and TSV ledgers read with the `csv` crate (after [`crate::encoding`]) into a
//! [`Grid`].

use crate::encoding::{self, Decoded};
use crate::grid::{Cell, Grid};
use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Location};

/// Reads a CSV (comma) or TSV (tab) ledger. The sheet name is the file name without its
/// ending. A `.csv` file whose first line has tabs and no commas is read as TSV.
///
/// # Errors
/// An encoding error, a row past `max_rows`, or a malformed quoted field.
pub fn read(
    file: &str,
    bytes: &[u8],
    forced_encoding: Option<&str>,
    max_rows: u32,
) -> Result<(Grid, Decoded), Box<Diagnostic>> {
    let decoded = encoding::decode(file, bytes, forced_encoding)?;
    let first_line = decoded.text.lines().next().unwrap_or("");
    let tab = file.to_ascii_lowercase().ends_with(".tsv")
        || (first_line.contains('\t') && !first_line.contains(','));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tab { b'\t' } else { b',' })
        .from_reader(decoded.text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        if i >= max_rows as usize {
            return Err(Box::new(
                Diagnostic::error(
                    codes::LEDGER_TOO_LARGE,
                    format!("`{file}` has more than {max_rows} rows"),
                )
                // At the first line past the limit.
                .at(crate::table::location(
                    file, file, false, max_rows, None, None,
                ))
                .help("split the ledger over several files, or raise the limit (--max-rows)"),
            ));
        }
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            Box::new(
                Diagnostic::error(codes::SYNTAX, format!("`{file}` is not valid CSV: {e}")).at(
                    Location {
                        file: file.to_owned(),
                        line,
                        ..Location::default()
                    },
                ),
            )
        })?;
        rows.push(
            rec.iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f.to_owned())
                    }
                })
                .collect(),
        );
    }
    let stem = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .rsplit_once('.')
        .map_or(file, |(s, _)| s)
        .to_owned();
    Ok((
        Grid {
            file: file.to_owned(),
            sheet: stem,
            in_workbook: false,
            first_row: 0,
            first_col: 0,
            rows,
            merged: Vec::new(),
        },
        decoded,
    ))
}
