//! A sheet as a rectangle of cells, whatever file it came from.
//!
//! Workbooks ([`crate::workbook`]) and text ledgers ([`crate::delimited`]) both become a
//! [`Grid`]: typed cells by row and column, the merged areas, and where each cell is (file,
//! sheet, `D14`), so everything after this point is the same for every source.

/// One cell as the source file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text.
    Text(String),
    /// A number (Excel stores whole numbers as floats too).
    Number(f64),
    /// A boolean cell (`TRUE`/`FALSE`).
    Bool(bool),
    /// A date or date-time cell, as an Excel serial day number (1900 date system).
    DateSerial(f64),
    /// An ISO 8601 date or date-time text (OpenDocument date cells).
    DateIso(String),
    /// A formula whose file holds no cached value.
    FormulaWithoutValue(String),
    /// An error value (`#N/A`, `#REF!` …).
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing (empty, or text of whitespace only).
    #[must_use]
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => blank(t),
            _ => false,
        }
    }
}

/// Whether a text is empty or whitespace only (`t.trim().is_empty()`), told from its first
/// character for nearly every cell.
#[must_use]
pub(crate) fn blank(t: &str) -> bool {
    match t.chars().next() {
        None => true,
        Some(c) if !c.is_whitespace() => false,
        Some(_) => t.trim().is_empty(),
    }
}

impl Cell {
    /// The cell borrowed.
    #[must_use]
    pub fn as_ref(&self) -> CellRef<'_> {
        match self {
            Cell::Empty => CellRef::Empty,
            Cell::Text(t) => CellRef::Text(t),
            Cell::Number(n) => CellRef::Number(*n),
            Cell::Bool(b) => CellRef::Bool(*b),
            Cell::DateSerial(n) => CellRef::DateSerial(*n),
            Cell::DateIso(t) => CellRef::DateIso(t),
            Cell::FormulaWithoutValue(f) => CellRef::FormulaWithoutValue(f),
            Cell::Error(e) => CellRef::Error(e),
        }
    }
}

/// One cell borrowed from where it is held: a [`Cell`] of a grid, or a field of the CSV
/// record being read (rows past a text ledger's first ones are read one at a time, never
/// copied into cells).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    /// No value.
    Empty,
    /// Text.
    Text(&'a str),
    /// A number.
    Number(f64),
    /// A boolean cell.
    Bool(bool),
    /// A date or date-time cell, as an Excel serial day number.
    DateSerial(f64),
    /// An ISO 8601 date or date-time text.
    DateIso(&'a str),
    /// A formula whose file holds no cached value.
    FormulaWithoutValue(&'a str),
    /// An error value.
    Error(&'a str),
}

impl CellRef<'_> {
    /// Whether the cell holds nothing (empty, or text of whitespace only).
    #[must_use]
    pub fn is_blank(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(t) => blank(t),
            _ => false,
        }
    }
}

/// The cells of one row by absolute column: a row of a [`Grid`] or a CSV record.
pub trait RowCells {
    /// One past the last column the row holds a cell in (cells beyond are empty).
    fn end(&self) -> u32;
    /// The cell at an absolute (0-based) column.
    fn at(&self, col: u32) -> CellRef<'_>;
}

/// A row of a [`Grid`]: its cells and the column of the first.
#[derive(Debug, Clone, Copy)]
pub struct GridRow<'a> {
    /// The cells.
    pub cells: &'a [Cell],
    /// The column (0-based) of the first cell.
    pub first_col: u32,
}

impl RowCells for GridRow<'_> {
    fn end(&self) -> u32 {
        self.first_col
            .saturating_add(u32::try_from(self.cells.len()).unwrap_or(u32::MAX))
    }

    fn at(&self, col: u32) -> CellRef<'_> {
        col.checked_sub(self.first_col)
            .and_then(|c| self.cells.get(c as usize))
            .map_or(CellRef::Empty, Cell::as_ref)
    }
}

impl RowCells for csv::StringRecord {
    fn end(&self) -> u32 {
        u32::try_from(self.len()).unwrap_or(u32::MAX)
    }

    fn at(&self, col: u32) -> CellRef<'_> {
        match self.get(col as usize) {
            Some(f) if !blank(f) => CellRef::Text(f),
            _ => CellRef::Empty,
        }
    }
}

/// A rectangular area of cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    /// First row.
    pub top: u32,
    /// First column.
    pub left: u32,
    /// Last row.
    pub bottom: u32,
    /// Last column.
    pub right: u32,
}

impl Area {
    /// Whether the area holds a cell.
    #[must_use]
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.top..=self.bottom).contains(&row) && (self.left..=self.right).contains(&col)
    }
}

/// A sheet: its name, its cells by row and its merged areas.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// The file the sheet is in, as shown to the user.
    pub file: String,
    /// The sheet name; for a CSV or TSV file, the file name without its ending.
    pub sheet: String,
    /// Whether the grid is a sheet of a workbook (cells are shown `file!sheet!D14`) or a
    /// text file (`file:14:4` and `D14`).
    pub in_workbook: bool,
    /// The row number (0-based) of the first row in `rows`.
    pub first_row: u32,
    /// The column number (0-based) of the first cell of every row.
    pub first_col: u32,
    /// Rows of cells; trailing empty cells may be missing. For a text ledger or a
    /// worksheet of more rows, only its first rows (where the header is looked for); the
    /// others are in `tail` (a text ledger) or are read with the records (a worksheet).
    pub rows: Vec<Vec<Cell>>,
    /// Merged areas, in absolute row and column numbers.
    pub merged: Vec<Area>,
    /// The rows after `rows`, read as records one at a time.
    pub tail: Option<Tail>,
}

/// The rows of a text ledger after the first ones a [`Grid`] holds: read one at a time when
/// the sheet's records are (so a large file never becomes a matrix of cells). A worksheet's
/// rows after its first ones are handed over as they are read instead (one pass over the
/// sheet, [`crate::workbook`]).
#[derive(Debug, Clone)]
pub enum Tail {
    /// The rest of a CSV/TSV file.
    Text(crate::delimited::Tail),
}

impl Tail {
    /// Reads the rows one at a time, calling `each` with the row's absolute (0-based) number
    /// and its cells; blank rows may be left out.
    ///
    /// # Errors
    /// A part of the file that cannot be read.
    pub(crate) fn for_each(
        &self,
        file: &str,
        each: &mut dyn FnMut(u32, &dyn RowCells),
    ) -> Result<(), Box<pms_core::Diagnostic>> {
        match self {
            Tail::Text(t) => t.for_each(file, |r, record| each(r, record)),
        }
    }
}

/// The rows of a sheet after the first ones its [`Grid`] holds, read once, in order.
pub(crate) trait RowsAfter {
    /// Reads the rows one at a time, calling `each` with the row's absolute (0-based) number
    /// and its cells; blank rows may be left out.
    ///
    /// # Errors
    /// A row past the row limit, or a part of the file that cannot be read.
    fn for_each(
        &mut self,
        file: &str,
        each: &mut dyn FnMut(u32, &dyn RowCells),
    ) -> Result<(), Box<pms_core::Diagnostic>>;
}

/// The [`Tail`] of a grid as its rows after the head.
pub(crate) struct TailRows<'t>(pub(crate) &'t Tail);

impl RowsAfter for TailRows<'_> {
    fn for_each(
        &mut self,
        file: &str,
        each: &mut dyn FnMut(u32, &dyn RowCells),
    ) -> Result<(), Box<pms_core::Diagnostic>> {
        self.0.for_each(file, each)
    }
}

impl Grid {
    /// The cell a header row shows at an absolute row and column: the cell itself, or, under
    /// a title merged down from a row above (`No` over the two rows of a two-tier header), the
    /// merged area's first cell.
    #[must_use]
    pub fn header_cell(&self, row: u32, col: u32) -> &Cell {
        let own = self.cell(row, col);
        if !matches!(own, Cell::Empty) {
            return own;
        }
        self.merged
            .iter()
            .find(|a| a.top < row && a.left == col && a.contains(row, col))
            .map_or(own, |a| self.cell(a.top, a.left))
    }

    /// The group label over a header cell: the text of an area merged across several columns
    /// in the row right above it (`評価` over 評価日, 評価者 and 合否).
    #[must_use]
    pub fn group_above(&self, row: u32, col: u32) -> Option<&str> {
        let above = row.checked_sub(1)?;
        let a = self
            .merged
            .iter()
            .find(|a| a.bottom == above && a.right > a.left && a.contains(above, col))?;
        match self.cell(a.top, a.left) {
            Cell::Text(t) if !t.trim().is_empty() => Some(t.trim()),
            _ => None,
        }
    }

    /// The cell at an absolute (0-based) row and column.
    #[must_use]
    pub fn cell(&self, row: u32, col: u32) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        let (Some(r), Some(c)) = (
            row.checked_sub(self.first_row),
            col.checked_sub(self.first_col),
        ) else {
            return &EMPTY;
        };
        self.rows
            .get(r as usize)
            .and_then(|cells| cells.get(c as usize))
            .unwrap_or(&EMPTY)
    }

    /// The merged area a cell is in, if any.
    #[must_use]
    pub fn merged_at(&self, row: u32, col: u32) -> Option<&Area> {
        self.merged.iter().find(|a| a.contains(row, col))
    }
}

/// The A1 name of a column (0 → `A`, 25 → `Z`, 26 → `AA`).
#[must_use]
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// The A1 address of a cell from 0-based row and column (`D14`).
#[must_use]
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_trimmed_empty() {
        for t in [
            "",
            " ",
            "\u{3000}",
            "\u{b}",
            "\r\n",
            " \t",
            "a",
            " a",
            "\u{3000}山",
            "山 ",
            "-",
            "\u{85}",
            "\u{a0}x",
        ] {
            assert_eq!(blank(t), t.trim().is_empty(), "{t:?}");
        }
    }

    #[test]
    fn a1_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(3), "D");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(cell_name(13, 3), "D14");
    }
}
