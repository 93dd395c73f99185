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
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
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
    /// Rows of cells; trailing empty cells may be missing.
    pub rows: Vec<Vec<Cell>>,
    /// Merged areas, in absolute row and column numbers.
    pub merged: Vec<Area>,
}

impl Grid {
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
