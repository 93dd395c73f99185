//! Workbooks (`.xlsx`, `.xlsm`, `.ods`) read with calamine into [`Grid`]s: cell values
//! (formulas by their cached value), merged areas, bounded in size.
//!
//! Before calamine reads anything, the zip archive's directory is checked: a workbook that
//! would expand beyond [`Limits::max_expanded_bytes`] (a zip bomb) is refused. Rows are
//! streamed from `.xlsx`/`.xlsm` sheets and reading stops past [`Limits::max_rows`], so a
//! huge sheet costs bounded memory.

use crate::grid::{Area, Cell, Grid};
use calamine::{Data, DataRef, Reader, SheetVisible};
use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Location};
use std::io::Cursor;

/// The default of [`Limits::max_rows`]: 100,000 rows per sheet or text file. A row costs
/// about 4 KB on its way to a record (cells, the record value, the record set), so a sheet at
/// the limit stays under about 0.5 GB; Excel's own 1,048,576 rows would take over 4 GB
/// (measured with a 1,000,000-row sheet, `tests/hostile`). An office's ledgers are far
/// smaller; a larger one is split or read with `--max-rows`.
pub const MAX_ROWS: u32 = 100_000;

/// Size limits of a workbook.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Rows per sheet (the rows after the last non-empty row are not counted).
    pub max_rows: u32,
    /// Total size of the workbook's files once unzipped.
    pub max_expanded_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_rows: MAX_ROWS,
            max_expanded_bytes: 1 << 30,
        }
    }
}

/// A sheet that was not read, and why (hidden sheets).
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The sheet name.
    pub sheet: String,
    /// Why it was skipped.
    pub reason: String,
}

fn error(file: &str, code: &'static str, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(code, message)
        .at(Location {
            file: file.to_owned(),
            ..Location::default()
        })
        .help(help)
}

/// Refuses a zip archive whose entries expand beyond the limit.
fn check_archive(file: &str, bytes: &[u8], limits: Limits) -> Result<(), Box<Diagnostic>> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Box::new(error(
            file,
            codes::LEDGER_UNREADABLE,
            format!("`{file}` is password-protected (encrypted) or an old binary .xls workbook"),
            "save it without a password as .xlsx (Excel: ファイル → 情報 → ブックの保護 → パスワードを使用して暗号化 を解除)",
        )));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Box::new(error(
            file,
            codes::LEDGER_UNREADABLE,
            format!("`{file}` is not a readable workbook: {e}"),
            "the file is damaged or not an .xlsx/.xlsm/.ods workbook; save it again from Excel or LibreOffice",
        ))
    })?;
    // The sizes the central directory records, also for entries written with a data
    // descriptor (streaming writers such as rust_xlsxwriter, which `pms template` uses).
    let mut expanded: u128 = 0;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map_or(u64::MAX, |f| f.size());
        expanded = expanded.saturating_add(u128::from(size));
    }
    if expanded > u128::from(limits.max_expanded_bytes) {
        return Err(Box::new(error(
            file,
            codes::LEDGER_TOO_LARGE,
            format!(
                "`{file}` would expand to {expanded} bytes, more than the {} allowed (a zip bomb?)",
                limits.max_expanded_bytes
            ),
            "split the workbook, or check where it came from",
        )));
    }
    Ok(())
}

fn data_cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) => Cell::DateIso(s.clone()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn dataref_cell(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_cell(dt),
        DataRef::DateTimeIso(s) => Cell::DateIso(s.clone()),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A date cell as an ISO date (the workbook's 1900 or 1904 system applied); a time of day
/// alone (or a duration) as `HH:MM`.
fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    let (y, m, d, h, min, _, _) = dt.to_ymd_hms_milli();
    if dt.is_duration() || dt.as_f64() < 1.0 {
        return Cell::Text(format!("{h:02}:{min:02}"));
    }
    Cell::DateIso(format!("{y:04}-{m:02}-{d:02}"))
}

fn put(rows: &mut Vec<Vec<Cell>>, row: u32, col: u32, cell: Cell) {
    let (r, c) = (row as usize, col as usize);
    if rows.len() <= r {
        rows.resize_with(r + 1, Vec::new);
    }
    if let Some(cells) = rows.get_mut(r) {
        if cells.len() <= c {
            cells.resize(c + 1, Cell::Empty);
        }
        if let Some(slot) = cells.get_mut(c) {
            *slot = cell;
        }
    }
}

fn too_many_rows(file: &str, sheet: &str, limits: Limits) -> Diagnostic {
    Diagnostic::error(
        codes::LEDGER_TOO_LARGE,
        format!(
            "sheet `{sheet}` of `{file}` has more than {} rows",
            limits.max_rows
        ),
    )
    // At the first row past the limit.
    .at(crate::table::location(
        file,
        sheet,
        true,
        limits.max_rows,
        None,
        None,
    ))
    .help("split the ledger over several sheets or files, or raise the limit (--max-rows)")
}

/// Reads every visible sheet of a workbook.
///
/// # Errors
/// A corrupt, encrypted or oversized workbook, or a sheet past the row limit.
pub fn read(
    file: &str,
    bytes: &[u8],
    limits: Limits,
) -> Result<(Vec<Grid>, Vec<Skipped>), Vec<Diagnostic>> {
    check_archive(file, bytes, limits).map_err(|d| vec![*d])?;
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".ods") {
        return read_ods(file, bytes, limits);
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| vec![unreadable(file, &e.to_string())])?;
    let sheets: Vec<calamine::Sheet> = book.sheets_metadata().to_vec();
    let mut grids = Vec::new();
    let mut skipped = Vec::new();
    let mut diags = Vec::new();
    for meta in sheets {
        let name = meta.name.clone();
        if meta.visible != SheetVisible::Visible {
            skipped.push(Skipped {
                sheet: name,
                reason: "hidden sheet".into(),
            });
            continue;
        }
        if meta.typ != calamine::SheetType::WorkSheet {
            skipped.push(Skipped {
                sheet: name,
                reason: "not a worksheet (chart or dialog sheet)".into(),
            });
            continue;
        }
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut over = false;
        {
            let mut reader = match book.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(e) => {
                    diags.push(unreadable(file, &e.to_string()));
                    continue;
                }
            };
            loop {
                match reader.next_cell_with_formula() {
                    Ok(Some(c)) => {
                        let (row, col) = c.pos;
                        let mut cell = dataref_cell(&c.value);
                        if let (Cell::Empty, Some(f)) = (&cell, &c.formula) {
                            if !f.is_empty() {
                                cell = Cell::FormulaWithoutValue(f.clone());
                            }
                        }
                        if cell.is_blank() {
                            continue;
                        }
                        if row >= limits.max_rows {
                            over = true;
                            break;
                        }
                        put(&mut rows, row, col, cell);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        diags.push(unreadable(file, &format!("sheet `{name}`: {e}")));
                        break;
                    }
                }
            }
        }
        if over {
            diags.push(too_many_rows(file, &name, limits));
            continue;
        }
        let merged = book
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .into_iter()
            .map(|d| Area {
                top: d.start.0,
                left: d.start.1,
                bottom: d.end.0,
                right: d.end.1,
            })
            .collect();
        grids.push(Grid {
            file: file.to_owned(),
            sheet: name,
            in_workbook: true,
            first_row: 0,
            first_col: 0,
            rows,
            merged,
        });
    }
    if diags.is_empty() {
        Ok((grids, skipped))
    } else {
        Err(diags)
    }
}

fn unreadable(file: &str, why: &str) -> Diagnostic {
    let encrypted = why.contains("password");
    error(
        file,
        codes::LEDGER_UNREADABLE,
        if encrypted {
            format!("`{file}` is password-protected")
        } else {
            format!("`{file}` cannot be read as a workbook: {why}")
        },
        if encrypted {
            "save it without a password and read it again"
        } else {
            "the file is damaged or not an .xlsx/.xlsm/.ods workbook; save it again from Excel or LibreOffice"
        },
    )
}

fn read_ods(
    file: &str,
    bytes: &[u8],
    limits: Limits,
) -> Result<(Vec<Grid>, Vec<Skipped>), Vec<Diagnostic>> {
    let mut book: calamine::Ods<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::OdsError| vec![unreadable(file, &e.to_string())])?;
    let mut grids = Vec::new();
    let mut skipped = Vec::new();
    let mut diags = Vec::new();
    for meta in book.sheets_metadata().to_vec() {
        let name = meta.name.clone();
        if meta.visible != SheetVisible::Visible {
            skipped.push(Skipped {
                sheet: name,
                reason: "hidden sheet".into(),
            });
            continue;
        }
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                diags.push(unreadable(file, &format!("sheet `{name}`: {e}")));
                continue;
            }
        };
        let formulas = book.worksheet_formula(&name).ok();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut over = false;
        for (r, c, d) in range.used_cells() {
            let (row, col) = (r0 + r as u32, c0 + c as u32);
            if row >= limits.max_rows {
                over = true;
                break;
            }
            put(&mut rows, row, col, data_cell(d));
        }
        if let Some(f) = formulas {
            let (f0, g0) = f.start().unwrap_or((0, 0));
            for (r, c, text) in f.used_cells() {
                let (row, col) = (f0 + r as u32, g0 + c as u32);
                let empty = rows
                    .get(row as usize)
                    .and_then(|cells| cells.get(col as usize))
                    .is_none_or(Cell::is_blank);
                if empty && !text.is_empty() && row < limits.max_rows {
                    put(&mut rows, row, col, Cell::FormulaWithoutValue(text.clone()));
                }
            }
        }
        if over {
            diags.push(too_many_rows(file, &name, limits));
            continue;
        }
        grids.push(Grid {
            file: file.to_owned(),
            sheet: name,
            in_workbook: true,
            first_row: 0,
            first_col: 0,
            rows,
            merged: Vec::new(),
        });
    }
    if diags.is_empty() {
        Ok((grids, skipped))
    } else {
        Err(diags)
    }
}
