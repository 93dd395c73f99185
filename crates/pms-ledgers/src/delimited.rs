//! CSV and TSV ledgers read with the `csv` crate (after [`crate::encoding`]) into a
//! [`Grid`].
//!
//! The file is decoded once. [`read`] counts its records in a first pass of the csv reader
//! (nothing is kept but the first [`HEAD`] rows), so a file past the row limit is refused
//! before any cell is interpreted; the ledger reader reads the first [`HEAD`] rows only and
//! meets the limit, if at all, while it reads the others (the file is then refused with that
//! error alone, what was read of it dropped), in one pass. The rows after the first [`HEAD`]
//! stay in the decoded text ([`Tail`]) and are read as records one at a time, each field
//! borrowed from a reused record: the memory a large file takes is its text and its records,
//! not a cell matrix.

use crate::encoding::{self, Decoded};
use crate::grid::{Cell, Grid};
use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Location};

/// How many rows of a text ledger are held as cells: the rows the header is looked for in
/// ([`crate::table::HEADER_SCAN`]) and the one below the last of them (a second header row).
pub const HEAD: usize = crate::table::HEADER_SCAN as usize + 1;

/// The rows of a text ledger after its first [`HEAD`]: the decoded text and where they
/// start in it.
#[derive(Debug, Clone, Default)]
pub struct Tail {
    /// The decoded text of the whole file.
    text: String,
    /// The byte offset of the first row after the head.
    start: usize,
    /// The field separator.
    delimiter: u8,
    /// The line (1-based) the first row after the head starts on.
    line: u64,
    /// The most rows the file may have.
    max_rows: u32,
}

impl Tail {
    /// Reads the rows one at a time into `row`, calling `each` with the row's index (the
    /// first being [`HEAD`]) and its fields.
    ///
    /// # Errors
    /// A row past the row limit (when the file's rows were not counted first), or a
    /// malformed field (the csv reader finds none in decoded text read as flexible records).
    pub(crate) fn for_each(
        &self,
        file: &str,
        mut each: impl FnMut(u32, &csv::StringRecord),
    ) -> Result<(), Box<Diagnostic>> {
        let rest = self.text.as_bytes().get(self.start..).unwrap_or_default();
        let mut reader = builder(self.delimiter).from_reader(rest);
        let mut record = csv::StringRecord::new();
        let mut index = u32::try_from(HEAD).unwrap_or(u32::MAX);
        loop {
            let read = reader.read_record(&mut record);
            if matches!(read, Ok(true) | Err(_)) && index >= self.max_rows {
                return Err(Box::new(too_many_rows(file, self.max_rows)));
            }
            match read {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(e) => {
                    let line = e
                        .position()
                        .map(|p| (p.line() + self.line).saturating_sub(1) as usize);
                    return Err(syntax(file, &e, line));
                }
            }
            each(index, &record);
            index = index.saturating_add(1);
        }
    }
}

fn builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(false).flexible(true).delimiter(delimiter);
    b
}

fn syntax(file: &str, e: &csv::Error, line: Option<usize>) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(codes::SYNTAX, format!("`{file}` is not valid CSV: {e}"))
            .ja(format!("`{file}` は CSV として正しくない: {e}"))
            .at(Location {
                file: file.to_owned(),
                line,
                ..Location::default()
            }),
    )
}

/// The error of a text ledger with more than `max_rows` rows, at the first row past them.
fn too_many_rows(file: &str, max_rows: u32) -> Diagnostic {
    Diagnostic::error(
        codes::LEDGER_TOO_LARGE,
        format!("`{file}` has more than {max_rows} rows"),
    )
    .ja(format!("`{file}` が {max_rows} 行を超えている"))
    // At the first line past the limit.
    .at(crate::table::location(
        file, file, false, max_rows, None, None,
    ))
    .help("split the ledger over several files, or raise the limit (--max-rows)")
    .help_ja("台帳を複数のファイルに分けるか、上限（--max-rows）を上げる")
}

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
    read_rows(file, bytes, forced_encoding, max_rows, true)
}

/// [`read`] without counting the rows after the first [`HEAD`]: its [`Tail`] meets a row
/// past `max_rows` when it is read (one pass over the file).
///
/// # Errors
/// An encoding error, or a row past `max_rows` among the first [`HEAD`].
pub(crate) fn read_head(
    file: &str,
    bytes: &[u8],
    forced_encoding: Option<&str>,
    max_rows: u32,
) -> Result<(Grid, Decoded), Box<Diagnostic>> {
    read_rows(file, bytes, forced_encoding, max_rows, false)
}

/// [`read`] (`count`: every row looked at) or [`read_head`].
fn read_rows(
    file: &str,
    bytes: &[u8],
    forced_encoding: Option<&str>,
    max_rows: u32,
    count: bool,
) -> Result<(Grid, Decoded), Box<Diagnostic>> {
    let mut decoded = encoding::decode(file, bytes, forced_encoding)?;
    let first_line = decoded.text.lines().next().unwrap_or("");
    let tab = file.to_ascii_lowercase().ends_with(".tsv")
        || (first_line.contains('\t') && !first_line.contains(','));
    let delimiter = if tab { b'\t' } else { b',' };
    let mut reader = builder(delimiter).from_reader(decoded.text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    let mut tail: Option<(usize, u64)> = None;
    let mut i = 0usize;
    loop {
        let at = reader.position().clone();
        let read = reader.read_byte_record(&mut record);
        if matches!(read, Ok(true) | Err(_)) && i >= max_rows as usize {
            return Err(Box::new(too_many_rows(file, max_rows)));
        }
        match read {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                return Err(syntax(file, &e, line));
            }
        }
        if i < HEAD {
            rows.push(
                record
                    .iter()
                    .map(|f| {
                        // The text is UTF-8 and the csv reader splits it at ASCII bytes only.
                        let f = String::from_utf8_lossy(f);
                        if f.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(f.into_owned())
                        }
                    })
                    .collect(),
            );
        } else if tail.is_none() {
            tail = Some((usize::try_from(at.byte()).unwrap_or(usize::MAX), at.line()));
            if !count {
                break;
            }
        }
        i += 1;
    }
    let stem = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .rsplit_once('.')
        .map_or(file, |(s, _)| s)
        .to_owned();
    let tail = tail.map(|(start, line)| {
        crate::grid::Tail::Text(Tail {
            text: std::mem::take(&mut decoded.text),
            start,
            delimiter,
            line,
            max_rows,
        })
    });
    Ok((
        Grid {
            file: file.to_owned(),
            sheet: stem,
            in_workbook: false,
            first_row: 0,
            first_col: 0,
            rows,
            merged: Vec::new(),
            tail,
        },
        decoded,
    ))
}

#[cfg(test)]
mod tests {
    use crate::{read_files, ReadOptions};
    use pms_core::diagnostic::codes;

    /// A CSV of `n` workforce rows under a title row and the header (rows 1 and 2), the
    /// rows past the head read from the tail.
    fn csv(n: usize, bad_row: Option<usize>) -> Vec<u8> {
        let mut s = String::from("社員名簿\n社員番号,氏名,雇用形態,入社日\n");
        for i in 0..n {
            let kind = if Some(i) == bad_row {
                "宇宙人"
            } else {
                "正社員"
            };
            s.push_str(&format!(
                "W-{i},社員{i},{kind},令和2年4月{}日\n",
                1 + i % 28
            ));
        }
        s.into_bytes()
    }

    #[test]
    fn rows_past_the_head_are_records_located_like_the_first() {
        let files = vec![("workforce.csv".to_owned(), csv(200, None))];
        let ledgers = read_files(&files, &ReadOptions::default()).unwrap();
        let sheet = &ledgers.sheets[0];
        assert_eq!(sheet.rows.len(), 200);
        let last = &sheet.rows[199];
        assert_eq!(last.row, 201, "0-based: title, header, then 200 rows");
        let record = sheet.record(199).unwrap();
        assert_eq!(record["id"], "W-199");
        assert_eq!(record["employment_type"], "正社員");
        assert_eq!(record["start_date"], "2020-04-04");
        // Every row read in the same form, head or tail.
        let ids: Vec<String> = (0..sheet.rows.len())
            .map(|i| sheet.record(i).unwrap()["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, (0..200).map(|i| format!("W-{i}")).collect::<Vec<_>>());
        assert_eq!(sheet.column_read(199, "employment_type"), Some(2));
        // A bad value far down is located at its cell, with the field.
        let files = vec![("workforce.csv".to_owned(), csv(200, Some(150)))];
        let e = read_files(&files, &ReadOptions::default()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, codes::BAD_ENUM);
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!(loc.cell.as_deref(), Some("C153"));
        assert_eq!(loc.field.as_deref(), Some("employment_type"));
    }

    #[test]
    fn a_value_under_no_header_in_the_tail_is_reported_once() {
        let mut text = String::from_utf8(csv(100, None)).unwrap();
        text.push_str("W-X,社員X,正社員,2020/4/1,はみ出し\nW-Y,社員Y,正社員,2020/4/1,も\n");
        let files = vec![("workforce.csv".to_owned(), text.into_bytes())];
        let e = read_files(&files, &ReadOptions::default()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, codes::UNKNOWN_FIELD);
        assert_eq!(
            e[0].location.as_ref().unwrap().cell.as_deref(),
            Some("E103")
        );
    }

    #[test]
    fn the_row_limit_is_checked_before_any_row_is_read() {
        // A bad value before the limit is not reported: the file is refused as a whole.
        let files = vec![("workforce.csv".to_owned(), csv(120, Some(3)))];
        let mut options = ReadOptions::default();
        options.limits.max_rows = 100;
        let e = read_files(&files, &options).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, codes::LEDGER_TOO_LARGE);
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(101));
        options.limits.max_rows = 122;
        assert_eq!(
            read_files(&files, &options).unwrap_err()[0].code,
            codes::BAD_ENUM
        );
    }
}
