//! Workbooks (`.xlsx`, `.xlsm`, `.ods`) read with calamine into [`Grid`]s: cell values
//! (formulas by their cached value), merged areas, bounded in size.
//!
//! Before calamine reads anything, the zip archive's directory is checked: a workbook that
//! would expand beyond [`Limits::max_expanded_bytes`] (a zip bomb) is refused. Each
//! `.xlsx`/`.xlsm` sheet is read in one pass: its first rows are held as cells (where the
//! header is looked for), the others are handed over one row at a time as they are read
//! (to the reader of its records), and reading stops at a row past [`Limits::max_rows`] (the workbook is
//! then refused and what was read of it dropped), so a huge sheet costs its records, not a
//! matrix of cells. Merged areas are read (a second parse of the sheet, by calamine) only
//! in a workbook that has any.

use crate::grid::{Area, Cell, CellRef, Grid, RowCells, RowsAfter};
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

/// An error about a whole workbook: its message and help in English and Japanese.
fn error(file: &str, code: &'static str, message: [String; 2], help: [&str; 2]) -> Diagnostic {
    let [message, message_ja] = message;
    Diagnostic::error(code, message)
        .ja(message_ja)
        .at(Location {
            file: file.to_owned(),
            ..Location::default()
        })
        .help(help[0])
        .help_ja(help[1])
}

/// Refuses a zip archive whose entries expand beyond the limit.
fn check_archive(file: &str, bytes: &[u8], limits: Limits) -> Result<(), Box<Diagnostic>> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Box::new(error(
            file,
            codes::LEDGER_UNREADABLE,
            [
                format!("`{file}` is password-protected (encrypted) or an old binary .xls workbook"),
                format!("`{file}` はパスワードで保護（暗号化）されているか、旧形式の .xls ブックである"),
            ],
            [
                "save it without a password as .xlsx (Excel: ファイル → 情報 → ブックの保護 → パスワードを使用して暗号化 を解除)",
                "パスワードなしの .xlsx で保存する（Excel: ファイル → 情報 → ブックの保護 → パスワードを使用して暗号化 を解除）",
            ],
        )));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Box::new(error(
            file,
            codes::LEDGER_UNREADABLE,
            [
                format!("`{file}` is not a readable workbook: {e}"),
                format!("`{file}` は読めるブックではない: {e}"),
            ],
            [
                "the file is damaged or not an .xlsx/.xlsm/.ods workbook; save it again from Excel or LibreOffice",
                "ファイルが壊れているか、.xlsx/.xlsm/.ods のブックではない。Excel か LibreOffice で保存し直す",
            ],
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
            [
                format!(
                    "`{file}` would expand to {expanded} bytes, more than the {bound} allowed (a zip bomb?)"
                ),
                format!(
                    "`{file}` は展開すると {expanded} バイトになり、上限 {bound} を超える（zip 爆弾か）"
                ),
            ],
            [
                "split the workbook, or check where it came from",
                "ブックを分割するか、入手元を確かめる",
            ],
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
    .ja(format!(
        "`{file}` のシート `{sheet}` が {} 行を超えている",
        limits.max_rows
    ))
    .help("split the ledger over several sheets or files, or raise the limit (--max-rows)")
    .help_ja("台帳を複数のシートかファイルに分けるか、上限（--max-rows）を上げる")
}

/// Reads every visible sheet of a workbook into grids (the first rows of each: where the
/// header is looked for), each sheet looked through to its end for a row past the limit.
///
/// # Errors
/// A corrupt, encrypted or oversized workbook, or a sheet past the row limit.
pub fn read(
    file: &str,
    bytes: &[u8],
    limits: Limits,
) -> Result<(Vec<Grid>, Vec<Skipped>), Vec<Diagnostic>> {
    let (skipped, grids) = read_with(file, bytes, limits, 1, &|g, _| g)?;
    Ok((grids, skipped))
}

/// An `.xlsx`/`.xlsm` workbook opened on its bytes.
type Book<'b> = calamine::Xlsx<Cursor<&'b [u8]>>;

/// Reads every visible sheet of a workbook in one pass each: `each` is given the sheet's
/// first rows as a grid and, for an `.xlsx`/`.xlsm` sheet with more, the rest of its rows as
/// they are read ([`RowsAfter`]); what `each` leaves unread is looked through for a row past
/// the limit. When a sheet is found past the row limit or cannot be read, the workbook is
/// refused with those errors alone: what `each` made of its sheets is to be dropped.
///
/// The sheets of an `.xlsx`/`.xlsm` workbook are read by up to `threads` threads
/// ([`crate::par`]), each with the workbook opened once; what `each` made of them and the
/// sheets' errors come in sheet order whatever the threads.
///
/// # Errors
/// A corrupt, encrypted or oversized workbook, or a sheet past the row limit.
pub(crate) fn read_with<R: Send>(
    file: &str,
    bytes: &[u8],
    limits: Limits,
    threads: usize,
    each: &(dyn Fn(Grid, Option<&mut dyn RowsAfter>) -> R + Sync),
) -> Result<(Vec<Skipped>, Vec<R>), Vec<Diagnostic>> {
    check_archive(file, bytes, limits).map_err(|d| vec![*d])?;
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".ods") {
        let (grids, skipped) = read_ods(file, bytes, limits)?;
        return Ok((skipped, grids.into_iter().map(|g| each(g, None)).collect()));
    }
    let book: Book<'_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| vec![unreadable(file, &e.to_string())])?;
    let mut out = Sheets {
        file,
        limits,
        grids: Vec::new(),
        skipped: Vec::new(),
        diags: Vec::new(),
    };
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|meta| out.wanted(meta))
        .map(|meta| meta.name.clone())
        .collect();
    let any_merged = mentions_merged_cells(bytes, threads);
    let refused = std::sync::atomic::AtomicBool::new(false);
    // The workbook opened above serves the first thread; each other opens its own.
    let opened = std::sync::Mutex::new(Some(book));
    let read = crate::par::map(
        names.len(),
        threads,
        || {
            let book = opened
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            match book {
                Some(b) => Ok(b),
                None => calamine::open_workbook_from_rs(Cursor::new(bytes))
                    .map_err(|e: calamine::XlsxError| e.to_string()),
            }
        },
        |book, i| match (book, names.get(i)) {
            (Ok(book), Some(name)) => {
                let mut made = None;
                let sheet = (file, name.as_str());
                let d = read_sheet(book, sheet, limits, any_merged, &refused, &mut |g, rest| {
                    made = Some(each(g, rest));
                });
                (made, d)
            }
            (Err(e), _) => (None, vec![unreadable(file, e)]),
            (Ok(_), None) => (None, Vec::new()),
        },
    );
    let mut made = Vec::with_capacity(read.len());
    for (r, d) in read {
        made.extend(r);
        out.diags.extend(d);
    }
    if out.diags.is_empty() {
        Ok((out.skipped, made))
    } else {
        Err(out.diags)
    }
}

/// Reads one sheet (`file`, `name`) of an `.xlsx`/`.xlsm` workbook in one pass (see
/// [`read_with`]), handing it to `each` (not once `refused`: another sheet refused the
/// workbook); its errors (which mark the workbook `refused`).
fn read_sheet(
    book: &mut Book<'_>,
    (file, name): (&str, &str),
    limits: Limits,
    any_merged: bool,
    refused: &std::sync::atomic::AtomicBool,
    each: &mut dyn FnMut(Grid, Option<&mut dyn RowsAfter>),
) -> Vec<Diagnostic> {
    use std::sync::atomic::Ordering;
    let refuse = |d: Diagnostic| {
        refused.store(true, Ordering::Relaxed);
        vec![d]
    };
    // The merged areas (after the cells in the sheet's XML) first: the grid needs them.
    // calamine finds them by parsing the whole sheet again, so only in a workbook that
    // has any.
    let merged: Vec<Area> = if any_merged {
        book.merge_cells_by_sheet_name(name).unwrap_or_default()
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|d| Area {
        top: d.start.0,
        left: d.start.1,
        bottom: d.end.0,
        right: d.end.1,
    })
    .collect();
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(e) => return refuse(unreadable(file, &e.to_string())),
    };
    let mut cells = SheetCells::new(limits);
    // The first rows are held as cells; the first cell past them starts the rest.
    let mut pending = None;
    loop {
        match reader.next_cell_with_formula() {
            Ok(Some(c)) => {
                let (row, col) = c.pos;
                if row >= HEAD_ROWS && row < limits.max_rows {
                    if !is_blank(&c) {
                        pending = Some(c);
                        break;
                    }
                    continue;
                }
                let cell = xlsx_cell(&c);
                if cell.is_blank() {
                    continue;
                }
                if !cells.put(row, col, cell) {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => return refuse(unreadable(file, &format!("sheet `{name}`: {e}"))),
        }
    }
    if cells.over {
        return refuse(too_many_rows(file, name, limits));
    }
    let mut rest = pending.map(|first| Rest {
        reader,
        pending: Some(first),
        sheet: name,
        limits,
        done: false,
        failed: None,
    });
    let grid = Grid {
        file: file.to_owned(),
        sheet: name.to_owned(),
        in_workbook: true,
        first_row: 0,
        first_col: 0,
        rows: cells.rows,
        merged,
        tail: None,
    };
    // Once the workbook is refused, its other sheets are only looked through.
    if !refused.load(Ordering::Relaxed) {
        each(grid, rest.as_mut().map(|r| r as &mut dyn RowsAfter));
    }
    let mut diags = Vec::new();
    if let Some(mut r) = rest {
        if !r.done {
            // What was not read is looked through for a row past the limit.
            let _ = r.for_each(file, &mut |_, _| {});
        }
        if let Some(d) = r.failed {
            refused.store(true, Ordering::Relaxed);
            diags.push(d);
        }
    }
    diags
}

/// Whether a part of an `.xlsx`/`.xlsm` workbook (but its shared strings) holds the word
/// `mergeCell`, as a sheet with merged areas does (`<mergeCells>`); `true` when that cannot
/// be told. A workbook without any (every workbook pms writes, most exports) has its sheets
/// parsed once each instead of twice.
fn mentions_merged_cells(bytes: &[u8], threads: usize) -> bool {
    use std::sync::atomic::{AtomicBool, Ordering};
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return true;
    };
    // The parts are looked through by up to `threads` threads, each with the archive opened
    // once; none is inflated once the word is found.
    let found = AtomicBool::new(false);
    let parts = archive.len();
    let opened = std::sync::Mutex::new(Some(archive));
    let each = crate::par::map(
        parts,
        threads,
        || {
            let taken = opened
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            (
                taken.or_else(|| zip::ZipArchive::new(Cursor::new(bytes)).ok()),
                vec![0u8; 1 << 16],
            )
        },
        |(archive, buf), i| {
            if found.load(Ordering::Relaxed) {
                return true;
            }
            let mentions = archive
                .as_mut()
                .is_none_or(|a| part_mentions_merged_cells(a, i, buf));
            if mentions {
                found.store(true, Ordering::Relaxed);
            }
            mentions
        },
    );
    each.into_iter().any(|m| m)
}

/// Whether part `i` of a workbook's archive (but its shared strings and what is not XML)
/// holds the word `mergeCell`; `true` when that cannot be told. `buf`: room to read into.
fn part_mentions_merged_cells(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
    buf: &mut [u8],
) -> bool {
    use std::io::Read;
    const WORD: &[u8] = b"mergeCell";
    let Ok(mut entry) = archive.by_index(i) else {
        return true;
    };
    let skip = entry
        .name()
        .is_ok_and(|n| !n.ends_with(".xml") || n == "xl/sharedStrings.xml");
    if skip {
        return false;
    }
    let finder = memchr::memmem::Finder::new(WORD);
    // Read in pieces, the end of each piece kept before the next (a word across two).
    let mut kept = 0usize;
    loop {
        let Some(free) = buf.get_mut(kept..) else {
            return true;
        };
        let n = match entry.read(free) {
            Ok(0) => return false,
            Ok(n) => n,
            Err(_) => return true,
        };
        let filled = buf.get(..kept + n).unwrap_or_default();
        if finder.find(filled).is_some() {
            return true;
        }
        let keep = (WORD.len() - 1).min(filled.len());
        let from = filled.len() - keep;
        buf.copy_within(from..from + keep, 0);
        kept = keep;
    }
}

/// Whether a cell of the cells reader holds nothing: no value (or whitespace) and no formula.
fn is_blank(c: &calamine::XlsxCellFormula<'_>) -> bool {
    dataref_blank(&c.value) && c.formula.as_ref().is_none_or(String::is_empty)
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

/// The rows of an `.xlsx`/`.xlsm` worksheet after its first rows, read on from where the
/// first rows ended (one pass over the sheet): the open cells reader and the first cell
/// past the head.
struct Rest<'a, 'b, 'n> {
    reader: calamine::XlsxCellReader<'a, Cursor<&'b [u8]>>,
    pending: Option<calamine::XlsxCellFormula<'a>>,
    sheet: &'n str,
    limits: Limits,
    /// Whether the sheet has been read to its end (or to its error).
    done: bool,
    /// The row limit's or the XML's error, when the sheet met one.
    failed: Option<Diagnostic>,
}

impl RowsAfter for Rest<'_, '_, '_> {
    /// Reads the rows after the head one at a time (blank rows left out); called once.
    fn for_each(
        &mut self,
        file: &str,
        each: &mut dyn FnMut(u32, &dyn RowCells),
    ) -> Result<(), Box<Diagnostic>> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        let result = self.read(file, each);
        if let Err(d) = &result {
            self.failed = Some((**d).clone());
        }
        result
    }
}

impl<'a> Rest<'a, '_, '_> {
    fn read(
        &mut self,
        file: &str,
        each: &mut dyn FnMut(u32, &dyn RowCells),
    ) -> Result<(), Box<Diagnostic>> {
        let sheet = self.sheet;
        let bad = |e: &dyn std::fmt::Display| {
            Box::new(unreadable(file, &format!("sheet `{sheet}`: {e}")))
        };
        // A text of the shared strings is borrowed from the workbook, not copied per cell.
        let mut row: Vec<Slot<'a>> = Vec::new();
        let mut current: Option<u32> = None;
        let mut next = self.pending.take();
        loop {
            let c = match next.take() {
                Some(c) => c,
                None => match self.reader.next_cell_with_formula().map_err(|e| bad(&e))? {
                    Some(c) => c,
                    None => break,
                },
            };
            let (r, col) = c.pos;
            if r < HEAD_ROWS || is_blank(&c) {
                continue;
            }
            if r >= self.limits.max_rows {
                return Err(Box::new(too_many_rows(file, sheet, self.limits)));
            }
            // A value's formula matters only when it has no cached value.
            let cell = match (c.value, c.formula) {
                (DataRef::SharedString(s), None) => Slot::Shared(s),
                // An inline string (the long sheets `pms export` writes) moved, not copied.
                (DataRef::String(s), _) => Slot::Cell(Cell::Text(s)),
                (DataRef::DateTime(dt), _) => match iso_date(&dt) {
                    Some(b) => Slot::Iso(b),
                    None => Slot::Cell(date_cell(&dt)),
                },
                (value, formula) => Slot::Cell(xlsx_cell(&calamine::XlsxCellFormula {
                    pos: c.pos,
                    value,
                    formula,
                })),
            };
            if current != Some(r) {
                if let Some(p) = current {
                    each(p, &SlotRow(&row));
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
            each(p, &SlotRow(&row));
        }
        Ok(())
    }
}

/// A cell of a row past the head: a text of the workbook's shared strings, borrowed, a date
/// cell as its ISO text, or any other cell.
enum Slot<'a> {
    Shared(&'a str),
    Iso([u8; 10]),
    Cell(Cell),
}

impl Slot<'_> {
    fn as_ref(&self) -> CellRef<'_> {
        match self {
            Slot::Shared(s) => CellRef::Text(s),
            Slot::Iso(b) => CellRef::DateIso(std::str::from_utf8(b).unwrap_or_default()),
            Slot::Cell(c) => c.as_ref(),
        }
    }
}

/// A date cell's ISO text (what [`date_cell`] makes of it) without allocating; `None` for a
/// time of day, a duration or a year past four digits.
fn iso_date(dt: &calamine::ExcelDateTime) -> Option<[u8; 10]> {
    if dt.is_duration() || dt.as_f64() < 1.0 {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    crate::value::iso_bytes(u32::from(y), u32::from(m), u32::from(d))
}

/// The cells of a row past the head, from column A.
struct SlotRow<'r, 'a>(&'r [Slot<'a>]);

impl RowCells for SlotRow<'_, '_> {
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
            [
                format!("`{file}` is password-protected"),
                format!("`{file}` はパスワードで保護されている"),
            ]
        } else {
            [
                format!("`{file}` cannot be read as a workbook: {why}"),
                format!("`{file}` をブックとして読めない: {why}"),
            ]
        },
        if encrypted {
            [
                "save it without a password and read it again",
                "パスワードなしで保存し、読み直す",
            ]
        } else {
            [
                "the file is damaged or not an .xlsx/.xlsm/.ods workbook; save it again from Excel or LibreOffice",
                "ファイルが壊れているか、.xlsx/.xlsm/.ods のブックではない。Excel か LibreOffice で保存し直す",
            ]
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

    /// Past the head, date cells and inline strings (the long sheets `pms export` writes,
    /// in constant memory) are read as in the head: a date as its ISO date, a time of day as
    /// `HH:MM`, a text as written.
    #[test]
    fn date_cells_and_inline_strings_past_the_head_read_as_in_the_head() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
        let time = rust_xlsxwriter::Format::new().set_num_format("hh:mm");
        let ws = wb.add_worksheet_with_constant_memory().unwrap();
        ws.set_name("来訪者記録").unwrap();
        for (c, h) in ["ID", "日付", "入室時刻", "氏名"].iter().enumerate() {
            ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
        }
        for i in 1..=100u32 {
            let day = u8::try_from(1 + i % 28).unwrap();
            ws.write_string(i, 0, format!("E-{i}")).unwrap();
            let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 4, day).unwrap();
            ws.write_date_with_format(i, 1, &d, &date).unwrap();
            let t = rust_xlsxwriter::ExcelDateTime::from_hms(9, 30, 0).unwrap();
            ws.write_datetime_with_format(i, 2, &t, &time).unwrap();
            ws.write_string(i, 3, format!("  来訪者{i} ")).unwrap();
        }
        let ledgers = read(wb.save_to_buffer().unwrap(), 1000).unwrap();
        let sheet = &ledgers.sheets[0];
        assert_eq!(sheet.rows.len(), 100);
        for (i, head) in [(0usize, true), (99, false)] {
            let r = sheet.record(i).unwrap();
            let n = i + 1;
            let day = 1 + n % 28;
            assert_eq!(r["id"], format!("E-{n}"), "head: {head}");
            assert_eq!(r["date"], format!("2025-04-{day:02}"), "head: {head}");
            assert_eq!(r["time_in"], "09:30", "head: {head}");
            assert_eq!(r["visitor_name"], format!("来訪者{n}"), "head: {head}");
        }
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
    fn a_sheet_past_the_row_limit_is_refused_and_what_was_read_dropped() {
        let e = read(book(150, Some(5), None), 100).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, codes::LEDGER_TOO_LARGE);
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(101));
        assert!(read(book(98, None, None), 100).is_ok());
        // The other sheets' problems are not reported either: the workbook is refused.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("受講記録").unwrap();
        for (c, h) in ["ID", "受講者", "受講日"].iter().enumerate() {
            ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
        }
        ws.write_string(1, 0, "TR-1").unwrap();
        ws.write_string(1, 2, "令和7年2月29日").unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("従業者").unwrap();
        ws.write_string(0, 0, "社員番号").unwrap();
        ws.write_string(0, 1, "氏名").unwrap();
        for i in 1..=150 {
            ws.write_string(i, 0, format!("W-{i}")).unwrap();
            ws.write_string(i, 1, "宇宙人").unwrap();
        }
        let e = read(wb.save_to_buffer().unwrap(), 100).unwrap_err();
        let got: Vec<(&str, Option<&str>)> = e
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().cell.as_deref()))
            .collect();
        assert_eq!(got, [(codes::LEDGER_TOO_LARGE, Some("従業者!101:101"))]);
    }

    #[test]
    fn merged_areas_are_read_in_a_workbook_that_has_them() {
        let with = |merge: bool| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            ws.set_name("社員名簿").unwrap();
            for (c, h) in ["社員番号", "氏名"].iter().enumerate() {
                ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
            }
            for i in 1..=60 {
                ws.write_string(i, 0, format!("W-{i}")).unwrap();
                ws.write_string(i, 1, "山田").unwrap();
            }
            if merge {
                let f = rust_xlsxwriter::Format::new();
                ws.merge_range(50, 1, 52, 1, "山田", &f).unwrap();
            }
            let bytes = wb.save_to_buffer().unwrap();
            for threads in [1, 2, 4] {
                assert_eq!(super::mentions_merged_cells(&bytes, threads), merge);
            }
            read(bytes, 1000)
        };
        assert!(with(false).is_ok());
        let e = with(true).unwrap_err();
        let got: Vec<(&str, Option<&str>)> = e
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().cell.as_deref()))
            .collect();
        assert_eq!(got, [(codes::MERGED_CELL, Some("社員名簿!B51"))]);
    }
}
