//! Workbooks (`.xlsx`, `.xlsm`, `.ods`) read with calamine into [`Grid`]s: cell values
//! (formulas by their cached value), merged areas, bounded in size.
//!
//! Before calamine reads anything, the zip archive's directory is checked: a workbook that
//! would expand beyond [`Limits::max_expanded_bytes`] (a zip bomb) is refused. Rows are
//! streamed from `.xlsx`/`.xlsm` sheets: only the first rows of a sheet are held as cells,
//! the others are read again one row at a time as the sheet's records are ([`Tail`]), and
//! reading stops past [`Limits::max_rows`], so a huge sheet costs its records, not a matrix
//! of cells.

use crate::grid::{Area, Cell, CellRef, Grid};
use calamine::{Data, DataRef, Reader, SheetVisible};
use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Location};
use std::io::Cursor;

/// The default of [`Limits::max_rows`]: 100,000 rows per sheet or text file. Rows past a
/// sheet's first ones are read one at a time, so a row costs its record (the record value and
/// the record set: about 1.5 KB for four short fields): a sheet at the limit takes about
/// 170 MB, a 1,000,000-row CSV about 1.5 GB (measured, docs/benchmarks.md). An office's
/// ledgers are far smaller; a larger one is split or read with `--max-rows`.
pub const MAX_ROWS: u32 = 100_000;

/// Size limits of a workbook.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Rows per sheet (the rows after the last non-empty row are not counted).
    pub max_rows: u32,
    /// Total size of the workbook's files once unzipped, whatever the workbook's own size.
    pub max_expanded_bytes: u64,
    /// … or this many times the workbook's own size, when that is more: the XML of a real
    /// workbook unzips to 5–15 times its size (a full-length ledger of Excel's 1,048,576
    /// rows, 70 MB, to about 1 GB), a zip bomb to hundreds or thousands of times. `0`: no
    /// allowance beyond `max_expanded_bytes`.
    pub max_expansion_ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_rows: MAX_ROWS,
            max_expanded_bytes: 1 << 30,
            max_expansion_ratio: 20,
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
    let bound = u128::from(limits.max_expanded_bytes).max(
        u128::from(limits.max_expansion_ratio)
            .saturating_mul(u128::try_from(bytes.len()).unwrap_or(u128::MAX)),
    );
    if expanded > bound {
        return Err(Box::new(error(
            file,
            codes::LEDGER_TOO_LARGE,
            format!(
                "`{file}` would expand to {expanded} bytes, more than the {bound} allowed (a zip bomb?)"
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

/// The cells of one sheet as they are read, bounded by [`Limits::max_rows`].
struct SheetCells {
    rows: Vec<Vec<Cell>>,
    max_rows: u32,
    /// Whether a cell past the row limit was met.
    over: bool,
}

impl SheetCells {
    fn new(limits: Limits) -> SheetCells {
        SheetCells {
            rows: Vec::new(),
            max_rows: limits.max_rows,
            over: false,
        }
    }

    /// Puts a cell; `false` (and the sheet marked over the limit) for a cell past the last
    /// row allowed.
    fn put(&mut self, row: u32, col: u32, cell: Cell) -> bool {
        if row >= self.max_rows {
            self.over = true;
            return false;
        }
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        if let Some(cells) = self.rows.get_mut(r) {
            if cells.len() <= c {
                cells.resize(c + 1, Cell::Empty);
            }
            if let Some(slot) = cells.get_mut(c) {
                *slot = cell;
            }
        }
        true
    }

    /// Whether the cell at a row and column holds nothing (or is not there).
    fn is_blank(&self, row: u32, col: u32) -> bool {
        self.rows
            .get(row as usize)
            .and_then(|cells| cells.get(col as usize))
            .is_none_or(Cell::is_blank)
    }
}

/// What the sheets of one workbook became: grids, sheets passed over, problems.
struct Sheets<'f> {
    file: &'f str,
    limits: Limits,
    grids: Vec<Grid>,
    skipped: Vec<Skipped>,
    diags: Vec<Diagnostic>,
}

impl Sheets<'_> {
    /// Whether a sheet is read: a visible worksheet; others are noted as skipped.
    fn wanted(&mut self, meta: &calamine::Sheet) -> bool {
        let reason = if meta.visible != SheetVisible::Visible {
            "hidden sheet"
        } else if meta.typ != calamine::SheetType::WorkSheet {
            "not a worksheet (chart or dialog sheet)"
        } else {
            return true;
        };
        self.skipped.push(Skipped {
            sheet: meta.name.clone(),
            reason: reason.into(),
        });
        false
    }

    /// A sheet read: its grid, or the row limit's error.
    fn sheet(
        &mut self,
        name: String,
        cells: SheetCells,
        merged: Vec<Area>,
        tail: Option<crate::grid::Tail>,
    ) {
        if cells.over {
            self.diags
                .push(too_many_rows(self.file, &name, self.limits));
            return;
        }
        self.grids.push(Grid {
            file: self.file.to_owned(),
            sheet: name,
            in_workbook: true,
            first_row: 0,
            first_col: 0,
            rows: cells.rows,
            merged,
            tail,
        });
    }

    fn finish(self) -> Result<(Vec<Grid>, Vec<Skipped>), Vec<Diagnostic>> {
        if self.diags.is_empty() {
            Ok((self.grids, self.skipped))
        } else {
            Err(self.diags)
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
    // The workbook stays open (shared strings read once) for the sheets' tails.
    let shared: std::sync::Arc<[u8]> = bytes.into();
    let book: Book = calamine::open_workbook_from_rs(Cursor::new(shared))
        .map_err(|e: calamine::XlsxError| vec![unreadable(file, &e.to_string())])?;
    let shared_book = std::sync::Arc::new(std::sync::Mutex::new(book));
    let mut out = Sheets {
        file,
        limits,
        grids: Vec::new(),
        skipped: Vec::new(),
        diags: Vec::new(),
    };
    let sheets = lock(&shared_book).sheets_metadata().to_vec();
    for meta in sheets {
        let mut book = lock(&shared_book);
        if !out.wanted(&meta) {
            continue;
        }
        let name = meta.name;
        let mut cells = SheetCells::new(limits);
        // Only the first rows are held as cells; a sheet with more has a tail, read again
        // row by row with its records.
        let mut more = false;
        {
            let mut reader = match book.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(e) => {
                    out.diags.push(unreadable(file, &e.to_string()));
                    continue;
                }
            };
            loop {
                match reader.next_cell_with_formula() {
                    Ok(Some(c)) => {
                        let (row, col) = c.pos;
                        let cell = xlsx_cell(&c);
                        if cell.is_blank() {
                            continue;
                        }
                        if row >= HEAD_ROWS && row < limits.max_rows {
                            more = true;
                            // The rest is only looked through for a row past the limit (so
                            // a sheet too large is refused before any of its rows is read).
                            loop {
                                match reader.next_cell_with_formula() {
                                    Ok(Some(c)) => {
                                        if c.pos.0 >= limits.max_rows
                                            && !(dataref_blank(&c.value)
                                                && c.formula.as_ref().is_none_or(String::is_empty))
                                        {
                                            cells.over = true;
                                            break;
                                        }
                                    }
                                    Ok(None) => break,
                                    Err(e) => {
                                        out.diags.push(unreadable(
                                            file,
                                            &format!("sheet `{name}`: {e}"),
                                        ));
                                        break;
                                    }
                                }
                            }
                            break;
                        }
                        if !cells.put(row, col, cell) {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        out.diags
                            .push(unreadable(file, &format!("sheet `{name}`: {e}")));
                        break;
                    }
                }
            }
        }
        let tail = more.then(|| {
            crate::grid::Tail::Sheet(Tail {
                book: std::sync::Arc::clone(&shared_book),
                sheet: name.clone(),
                limits,
            })
        });
        let merged = if cells.over {
            Vec::new()
        } else {
            book.merge_cells_by_sheet_name(&name)
                .unwrap_or_default()
                .into_iter()
                .map(|d| Area {
                    top: d.start.0,
                    left: d.start.1,
                    bottom: d.end.0,
                    right: d.end.1,
                })
                .collect()
        };
        out.sheet(name, cells, merged, tail);
    }
    out.finish()
}

/// Whether a value of the cells reader holds nothing (as [`Cell::is_blank`] of its cell).
fn dataref_blank(d: &DataRef<'_>) -> bool {
    match d {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// How many rows of a worksheet are held as cells (see [`crate::delimited::HEAD`]).
const HEAD_ROWS: u32 = crate::delimited::HEAD as u32;

/// A cell of the cells reader, a formula without a cached value marked as such.
fn xlsx_cell(c: &calamine::XlsxCellFormula<'_>) -> Cell {
    let cell = dataref_cell(&c.value);
    match (&cell, &c.formula) {
        (Cell::Empty, Some(f)) if !f.is_empty() => Cell::FormulaWithoutValue(f.clone()),
        _ => cell,
    }
}

/// The rows of an `.xlsx`/`.xlsm` worksheet after its first rows (where the header is looked
/// for): the workbook's bytes (shared by its sheets) and the sheet's name; the sheet is read
/// again, one row at a time, when its records are.
#[derive(Clone)]
pub struct Tail {
    book: std::sync::Arc<std::sync::Mutex<Book>>,
    sheet: String,
    limits: Limits,
}

/// An open `.xlsx`/`.xlsm` workbook over its bytes.
type Book = calamine::Xlsx<Cursor<std::sync::Arc<[u8]>>>;

/// The workbook, locked (a poisoned lock: another thread panicked while reading it; each
/// reader starts again at its sheet's beginning, so nothing half-read is used).
fn lock(book: &std::sync::Mutex<Book>) -> std::sync::MutexGuard<'_, Book> {
    book.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl std::fmt::Debug for Tail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tail")
            .field("sheet", &self.sheet)
            .finish_non_exhaustive()
    }
}

impl Tail {
    /// Reads the rows after the head one at a time (blank rows left out).
    ///
    /// # Errors
    /// A row past the row limit, or a sheet that cannot be read.
    pub(crate) fn for_each(
        &self,
        file: &str,
        each: &mut dyn FnMut(u32, &dyn crate::grid::RowCells),
    ) -> Result<(), Box<Diagnostic>> {
        let bad = |e: &dyn std::fmt::Display| {
            Box::new(unreadable(file, &format!("sheet `{}`: {e}", self.sheet)))
        };
        let mut book = lock(&self.book);
        let mut reader = book
            .worksheet_cells_reader(&self.sheet)
            .map_err(|e| bad(&e))?;
        // A text of the shared strings is borrowed from the workbook, not copied per cell.
        let mut row: Vec<Slot<'_>> = Vec::new();
        let mut current: Option<u32> = None;
        let mut emit = |r: u32, cells: &[Slot<'_>]| each(r, &SlotRow(cells));
        while let Some(c) = reader.next_cell_with_formula().map_err(|e| bad(&e))? {
            let (r, col) = c.pos;
            if r < HEAD_ROWS {
                continue;
            }
            let cell = match (&c.value, &c.formula) {
                (DataRef::SharedString(s), None) => Slot::Shared(s),
                _ => Slot::Cell(xlsx_cell(&c)),
            };
            if cell.as_ref().is_blank() {
                continue;
            }
            if r >= self.limits.max_rows {
                return Err(Box::new(too_many_rows(file, &self.sheet, self.limits)));
            }
            if current != Some(r) {
                if let Some(p) = current {
                    emit(p, &row);
                }
                row.clear();
                current = Some(r);
            }
            let c = col as usize;
            if row.len() <= c {
                row.resize_with(c + 1, || Slot::Cell(Cell::Empty));
            }
            if let Some(slot) = row.get_mut(c) {
                *slot = cell;
            }
        }
        if let Some(p) = current {
            emit(p, &row);
        }
        Ok(())
    }
}

/// A cell of a row past the head: a text of the workbook's shared strings, borrowed, or
/// any other cell.
enum Slot<'a> {
    Shared(&'a str),
    Cell(Cell),
}

impl Slot<'_> {
    fn as_ref(&self) -> CellRef<'_> {
        match self {
            Slot::Shared(s) => CellRef::Text(s),
            Slot::Cell(c) => c.as_ref(),
        }
    }
}

/// The cells of a row past the head, from column A.
struct SlotRow<'r, 'a>(&'r [Slot<'a>]);

impl crate::grid::RowCells for SlotRow<'_, '_> {
    fn end(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    fn at(&self, col: u32) -> CellRef<'_> {
        self.0
            .get(col as usize)
            .map_or(CellRef::Empty, Slot::as_ref)
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
    let mut out = Sheets {
        file,
        limits,
        grids: Vec::new(),
        skipped: Vec::new(),
        diags: Vec::new(),
    };
    for meta in book.sheets_metadata().to_vec() {
        if !out.wanted(&meta) {
            continue;
        }
        let name = meta.name;
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                out.diags
                    .push(unreadable(file, &format!("sheet `{name}`: {e}")));
                continue;
            }
        };
        let formulas = book.worksheet_formula(&name).ok();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = SheetCells::new(limits);
        for (r, c, d) in range.used_cells() {
            if !cells.put(r0 + r as u32, c0 + c as u32, data_cell(d)) {
                break;
            }
        }
        if let Some(f) = formulas.filter(|_| !cells.over) {
            let (f0, g0) = f.start().unwrap_or((0, 0));
            for (r, c, text) in f.used_cells() {
                let (row, col) = (f0 + r as u32, g0 + c as u32);
                if !text.is_empty() && row < limits.max_rows && cells.is_blank(row, col) {
                    cells.put(row, col, Cell::FormulaWithoutValue(text.clone()));
                }
            }
        }
        out.sheet(name, cells, Vec::new(), None);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use crate::{read_files, ReadOptions};
    use pms_core::diagnostic::codes;

    /// A workbook whose sheet `社員名簿` has a title, the header and `n` rows (the kind of the
    /// row `bad` is no employment type; the row `stray` has a value under no header).
    fn book(n: u32, bad: Option<u32>, stray: Option<u32>) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("社員名簿").unwrap();
        ws.write_string(0, 0, "社員名簿 2025年度").unwrap();
        for (c, h) in ["社員番号", "氏名", "雇用形態", "入社日"]
            .iter()
            .enumerate()
        {
            ws.write_string(1, u16::try_from(c).unwrap(), *h).unwrap();
        }
        for i in 0..n {
            let r = 2 + i;
            ws.write_string(r, 0, format!("W-{i}")).unwrap();
            ws.write_string(r, 1, format!("社員{i}")).unwrap();
            let kind = if Some(i) == bad {
                "宇宙人"
            } else {
                "正社員"
            };
            ws.write_string(r, 2, kind).unwrap();
            ws.write_number(r, 3, 45748.0).unwrap();
            if Some(i) == stray {
                ws.write_string(r, 5, "はみ出し").unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    fn read(bytes: Vec<u8>, max_rows: u32) -> Result<crate::Ledgers, Vec<pms_core::Diagnostic>> {
        let mut options = ReadOptions::default();
        options.limits.max_rows = max_rows;
        read_files(&[("社員.xlsx".to_owned(), bytes)], &options)
    }

    #[test]
    fn rows_past_the_head_of_a_sheet_are_read_row_by_row() {
        let ledgers = read(book(150, None, None), 1000).unwrap();
        let sheet = &ledgers.sheets[0];
        assert_eq!(sheet.rows.len(), 150);
        let ids: Vec<String> = (0..sheet.rows.len())
            .map(|i| sheet.record(i).unwrap()["id"].as_str().unwrap().to_owned())
            .collect();
        let want: Vec<String> = (0..150).map(|i| format!("W-{i}")).collect();
        assert_eq!(ids, want);
        let last = &sheet.rows[149];
        assert_eq!(
            (last.row, &sheet.record(149).unwrap()["start_date"]),
            (151, &"2025-04-01".into())
        );
        // Problems far down are located at their cells.
        let e = read(book(150, Some(120), Some(100)), 1000).unwrap_err();
        let got: Vec<(&str, Option<&str>)> = e
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().cell.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (codes::UNKNOWN_FIELD, Some("社員名簿!F103")),
                (codes::BAD_ENUM, Some("社員名簿!C123")),
            ]
        );
    }

    #[test]
    fn a_workbook_may_unzip_to_a_multiple_of_its_own_size() {
        let files = vec![("社員.xlsx".to_owned(), book(150, None, None))];
        let mut options = ReadOptions::default();
        options.limits.max_expanded_bytes = 1000;
        // Beyond the fixed bound, within 20 times its size: read.
        assert!(read_files(&files, &options).is_ok());
        // Without the allowance: refused from its zip directory.
        options.limits.max_expansion_ratio = 0;
        let e = read_files(&files, &options).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, codes::LEDGER_TOO_LARGE);
        assert!(
            e[0].message.contains("more than the 1000 allowed"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn a_sheet_past_the_row_limit_is_refused_before_its_rows_are_read() {
        let e = read(book(150, Some(5), None), 100).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, codes::LEDGER_TOO_LARGE);
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(101));
        assert!(read(book(98, None, None), 100).is_ok());
    }
}
