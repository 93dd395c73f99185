//! The header row, the columns and the records of a [`Grid`].
//!
//! The header row is the row among the first [`HEADER_SCAN`] whose cells name the most
//! fields of the sheet's target (so title rows, a 作成日/承認欄 block, merged titles and
//! blank rows above it are passed over). A row right below it that names the same fields
//! again (the English field names under Japanese labels, as the template writes them) is
//! part of the header. Every later row that is not blank is a record.

use crate::companion;
use crate::grid::{
    cell_name, column_name, Area, Cell, CellRef, Grid, GridRow, RowCells, RowsAfter, TailRows,
};
use crate::staged;
use crate::titled;
use crate::value::{self, Got, Interpreted, Read};
use crate::vocab::{self, Column, Headers, Target};
use chrono::NaiveDate;
use pms_core::diagnostic::codes;
use pms_core::schema::{Struct, Ty};
use pms_core::{Diagnostic, Location};
use serde_json::{Map, Value as Json};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Objects a list of which one cell may hold, each item the value of one field: (object,
/// field). An 内部監査報告書's 監査員 `佐藤 花子、鈴木 一郎` is two auditors, a マネジメントレビュー's
/// 指示事項 `規程の見直し、教育の追加` two action items (each a description).
pub const ONE_CELL: &[(&str, &str)] = &[("auditor", "person_id"), ("action_item", "description")];

/// The field each item of a list-of-objects column holds when the list is written in one
/// cell (see [`ONE_CELL`]): the object's field and its type.
pub(crate) fn one_cell(shape: &Struct, col: &Column) -> Option<(&'static str, &'static Ty)> {
    let Column::Field(f) = col else {
        return None;
    };
    let Ty::List(Ty::Obj(o)) = shape.field(f)?.ty else {
        return None;
    };
    let (_, field) = ONE_CELL.iter().find(|(x, _)| x == o)?;
    let field = pms_core::schema::find_struct(o)?.field(field)?;
    Some((field.name, &field.ty))
}

/// Entities whose sheets may give each row one day: (entity, first day, last day); a sheet
/// with a column for the first and none for the last reads the one column as both.
const ONE_DAY: &[(&str, &str, &str)] = &[("entry_logs", "date_from", "date_to")];

/// (entity, field, (name word, value) …): see [`IMPLIED`].
type Implied = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Values a ledger's name gives every row of it that has no column for them: (entity, field,
/// (a word of the sheet or file name, the value)). An 内部監査指摘事項 lists the findings of
/// internal audits.
const IMPLIED: &[Implied] = &[(
    "audit_findings",
    "source",
    &[
        ("内部監査", "internal_audit"),
        ("外部審査", "external_audit"),
        ("審査", "external_audit"),
        ("運用の確認", "op_check"),
        ("運用確認", "op_check"),
        ("点検", "op_check"),
        ("苦情", "complaint"),
        ("マネジメントレビュー", "mr"),
    ],
)];

/// Fills the values a sheet's name implies (see [`IMPLIED`]) where it has no column for them.
fn implied(sheet: &mut Sheet, explain: bool) {
    for (entity, field, words) in IMPLIED {
        if sheet.target.name() != *entity
            || sheet.rows.is_empty()
            || sheet.columns.iter().any(|c| c.2 == Column::Field(field))
        {
            continue;
        }
        let base = sheet.file.rsplit(['/', '\\']).next().unwrap_or(&sheet.file);
        let names = [crate::fold::fold(&sheet.sheet), crate::fold::fold(base)];
        let Some((word, value)) = words
            .iter()
            .find(|(w, _)| names.iter().any(|n| n.contains(&crate::fold::fold(w))))
        else {
            continue;
        };
        let first = sheet.columns.first().map_or(0, |c| c.0);
        sheet.add_column(
            first,
            String::new(),
            Column::Field(field),
            &Json::String((*value).to_owned()),
        );
        if explain {
            let at = sheet.at(sheet.header_row, first);
            sheet.notes.push(Note {
                at,
                text: format!(
                    "no {} column: the ledger's name says `{word}`, so every row's is `{value}`",
                    pms_core::labels::field_ja(entity, field)
                ),
            });
        }
    }
}

/// Columns that say whether a row is a record at all: (entity, header words). A 受講者名簿 that
/// lists every member with 受講 ○/× holds a training record for each ○ row; a × row says the
/// member did not attend (no record: the checks then find the member untrained).
const ROW_IF: &[(&str, &[&str])] = &[(
    "training_records",
    &[
        "受講",
        "受講有無",
        "受講済",
        "受講済み",
        "出欠",
        "出席",
        "受講状況",
    ],
)];

/// What a map writes for a column that says whether its row is a record (a roster's 受講 ○/×: a
/// × row is no record).
pub const ROW_IF_PATH: &str = "(record if yes)";

/// Whether a header names a column saying whether its row is a record (see [`ROW_IF`]).
pub(crate) fn is_row_if(target: Target, header: &str) -> bool {
    let key = crate::fold::fold(header);
    ROW_IF
        .iter()
        .filter(|(e, _)| target.name() == *e)
        .flat_map(|(_, ws)| ws.iter())
        .any(|w| crate::fold::fold(w) == key)
}

/// What a map writes for a column, or as a sheet's entity, that is not to be read.
pub const IGNORE: &str = "ignore";

/// How many rows from the top are searched for the header row.
pub const HEADER_SCAN: u32 = 40;

/// How a sheet's columns are named when the user says so (`pms import --map`).
#[derive(Debug, Clone, Default)]
pub struct SheetMap {
    /// The target (`training_records`, `organization.departments`).
    pub target: Option<String>,
    /// Header text → field path (`person_id`, `clauses.audit_right`), or `ignore`.
    pub columns: BTreeMap<String, String>,
}

/// A value the reader interpreted, for `pms import --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where: `教育記録.xlsx!受講者名簿!D14`.
    pub at: String,
    /// What was read how.
    pub text: String,
}

/// A value of a record as the reader keeps it: typed, its text in the sheet's
/// [`Sheet::texts`] (no `String` per cell), a date as a date. [`Sheet::record`] shows the
/// values in pms's record format (a date as `yyyy-mm-dd`, an enum value by its name).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// No value (`null`).
    Null,
    /// Text: its index in [`Sheet::texts`].
    Text(usize),
    /// A value of an enum, by its name in the model.
    Word(&'static str),
    /// A date.
    Date(NaiveDate),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Num(f64),
    /// Yes or no.
    Bool(bool),
    /// A list of values.
    List(Box<[Val]>),
    /// An object of one field (an item of a list of objects written in one cell: see
    /// [`ONE_CELL`]).
    One(&'static str, Box<Val>),
}

impl Val {
    /// A value read from a cell, its text kept in `texts`.
    pub(crate) fn keep(v: Read<'_>, texts: &mut Texts) -> Val {
        match v {
            Read::Null => Val::Null,
            Read::Text(t) => Val::Text(texts.push(&t)),
            Read::Word(w) => Val::Word(w),
            Read::Date(d) => Val::Date(d),
            Read::Int(i) => Val::Int(i),
            Read::Num(n) => Val::Num(n),
            Read::Bool(b) => Val::Bool(b),
            Read::List(items) => {
                Val::List(items.into_iter().map(|i| Val::keep(i, texts)).collect())
            }
        }
    }

    /// A value in pms's record format, its text kept in `texts` (a value the reader
    /// supplies; a date stays text, which shows the same).
    pub(crate) fn from_json(v: &Json, texts: &mut Texts) -> Val {
        match v {
            Json::Null => Val::Null,
            Json::Bool(b) => Val::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) if n.is_i64() || n.is_u64() => Val::Int(i),
                _ => n.as_f64().map_or(Val::Null, Val::Num),
            },
            Json::String(t) => Val::Text(texts.push(t)),
            Json::Array(items) => {
                Val::List(items.iter().map(|i| Val::from_json(i, texts)).collect())
            }
            Json::Object(_) => Val::Text(texts.push(&v.to_string())),
        }
    }

    /// The value in pms's record format, its text from `texts`.
    #[must_use]
    pub fn to_json(&self, texts: &Texts) -> Json {
        match self {
            Val::Null => Json::Null,
            Val::Text(i) => Json::String(texts.get(*i).to_owned()),
            Val::Word(w) => Json::String((*w).to_owned()),
            Val::Date(d) => Json::String(value::iso_text(*d)),
            Val::Int(i) => Json::from(*i),
            Val::Num(n) => serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number),
            Val::Bool(b) => Json::Bool(*b),
            Val::List(items) => Json::Array(items.iter().map(|i| i.to_json(texts)).collect()),
            Val::One(field, v) => {
                let mut m = Map::new();
                m.insert((*field).to_owned(), v.to_json(texts));
                Json::Object(m)
            }
        }
    }
}

/// The texts of a sheet's values, one after the other in one string: a text is its index.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    all: String,
    /// Where each text ends in `all` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl Texts {
    /// The text at an index (empty for an index no text has).
    #[must_use]
    pub fn get(&self, i: usize) -> &str {
        let start = i
            .checked_sub(1)
            .and_then(|j| self.ends.get(j))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.all.get(start..end).unwrap_or_default()
    }

    /// Adds a text; its index.
    pub(crate) fn push(&mut self, s: &str) -> usize {
        self.all.push_str(s);
        self.ends.push(self.all.len());
        self.ends.len() - 1
    }

    /// How many texts there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// One record read from a row.
#[derive(Debug, Clone)]
pub struct Row {
    /// 0-based row number in the sheet.
    pub row: u32,
    /// The record's values: the index of its column in [`Sheet::columns`] (`u32::MAX`: the
    /// id generated for a row of a sheet without an id column) and the value, in column
    /// order. The loader visits them where they lie ([`crate::load`]); [`Sheet::record`]
    /// shows them as a record.
    pub values: Vec<(u32, Val)>,
    /// For a nested object: the parent record's id and the column it came from.
    pub parent: Option<(String, Option<u32>)>,
}

/// One sheet read as records of one target.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The file the sheet is in.
    pub file: String,
    /// The sheet name.
    pub sheet: String,
    /// Whether the sheet is in a workbook (else a CSV/TSV file).
    pub in_workbook: bool,
    /// What the rows are.
    pub target: Target,
    /// How the target was found (`sheet name`, `header row`, `map`).
    pub found_by: &'static str,
    /// 0-based row of the header.
    pub header_row: u32,
    /// Each mapped column: its number, its header text and what it names.
    pub columns: Vec<(u32, String, Column)>,
    /// The records.
    pub rows: Vec<Row>,
    /// The texts of the records' values ([`Val::Text`]).
    pub texts: Texts,
    /// Which mapped columns each row gave a value in: one bit per entry of `columns`, the
    /// rows one after the other, each in `columns.len().div_ceil(64)` words (see
    /// [`Sheet::column_read`]).
    pub read: Vec<u64>,
    /// Values the reader interpreted.
    pub notes: Vec<Note>,
}

impl Sheet {
    /// Where a cell is, as shown to the user: `教育記録.xlsx!受講者名簿!D14` (workbook) or
    /// `受講者.csv!D14`.
    #[must_use]
    pub fn at(&self, row: u32, col: u32) -> String {
        at(&self.file, &self.sheet, self.in_workbook, row, col)
    }

    /// The column a row (by index in `rows`) gave a value for a field path (`name`,
    /// `clauses.audit_right`) in; `None` when no column names it or the row's cell held
    /// nothing.
    #[must_use]
    pub fn column_read(&self, row: usize, path: &str) -> Option<u32> {
        column_read(
            self.columns.iter().map(|(n, _, c)| (*n, c.path())),
            &self.read,
            row,
            path,
        )
    }

    /// The indexes (into `columns`) of the columns a row (by index in `rows`) gave a value in.
    pub(crate) fn columns_read(&self, row: usize) -> Vec<u32> {
        let stride = self.columns.len().div_ceil(64);
        (0..self.columns.len())
            .filter(|j| {
                row.checked_mul(stride)
                    .and_then(|r| self.read.get(r + j / 64))
                    .is_some_and(|w| w & (1 << (j % 64)) != 0)
            })
            .filter_map(|j| u32::try_from(j).ok())
            .collect()
    }

    /// The record of a row (by index in `rows`) as pms writes it, without the nested lists
    /// other sheets add to it (see [`crate::to_json`] for the whole document); `None` when
    /// there is no such row.
    #[must_use]
    pub fn record(&self, row: usize) -> Option<Map<String, Json>> {
        use serde::Deserialize;
        let r = self.rows.get(row)?;
        let view = crate::view::RecordView {
            sheets: &[],
            sheet: self,
            row: r,
            nested: Vec::new(),
        };
        match Json::deserialize(view) {
            Ok(Json::Object(m)) => Some(m),
            _ => None,
        }
    }

    /// The id of a row's record (by index in `rows`): its id column's value or the id
    /// generated for it, as text.
    pub(crate) fn id_of(&self, row: usize) -> Option<Cow<'_, str>> {
        self.rows.get(row)?.values.iter().find_map(|(j, v)| {
            let named_id = usize::try_from(*j)
                .ok()
                .and_then(|j| self.columns.get(j))
                .is_none_or(|c| matches!(c.2, Column::Field("id")));
            named_id.then(|| match v {
                Val::Text(i) => Cow::Borrowed(self.texts.get(*i)),
                other => Cow::Owned(other.to_json(&self.texts).to_string()),
            })
        })
    }

    /// Adds a column whose every row holds `value` (a value the reader supplies, located at
    /// column `col` of each row), keeping each row's bits of columns read.
    pub(crate) fn add_column(&mut self, col: u32, header: String, column: Column, value: &Json) {
        let old = self.columns.len();
        let (from, to) = (old.div_ceil(64), (old + 1).div_ceil(64));
        if from != to {
            let mut read = Vec::with_capacity(self.rows.len() * to);
            for r in 0..self.rows.len() {
                let words = self.read.get(r * from..(r + 1) * from).unwrap_or_default();
                read.extend_from_slice(words);
                read.resize((r + 1) * to, 0);
            }
            self.read = read;
        }
        let j = u32::try_from(old).unwrap_or(u32::MAX);
        let value = Val::from_json(value, &mut self.texts);
        for (r, row) in self.rows.iter_mut().enumerate() {
            row.values.push((j, value.clone()));
            if let Some(w) = self.read.get_mut(r * to + old / 64) {
                *w |= 1 << (old % 64);
            }
        }
        self.columns.push((col, header, column));
    }

    /// The location of a cell (column `None`: the whole row).
    #[must_use]
    pub fn location(&self, row: u32, col: Option<u32>, field: Option<String>) -> Location {
        location(&self.file, &self.sheet, self.in_workbook, row, col, field)
    }
}

/// The column a row (by index) gave a value for `path` in, from a sheet's mapped columns
/// (number and field path, in order) and its bits of columns read (see [`Sheet::read`]).
pub(crate) fn column_read<P: AsRef<str>>(
    columns: impl ExactSizeIterator<Item = (u32, P)>,
    read: &[u64],
    row: usize,
    path: &str,
) -> Option<u32> {
    let stride = columns.len().div_ceil(64);
    let base = row.checked_mul(stride)?;
    // The first column of that field the row gave a value in: a wide sheet has one per stage
    // (see [`crate::staged`]), each row a value in one of them.
    columns
        .enumerate()
        .filter(|(_, (_, p))| p.as_ref() == path)
        .find_map(|(j, (col, _))| {
            let word = read.get(base + j / 64)?;
            (word & (1 << (j % 64)) != 0).then_some(col)
        })
}

pub(crate) fn at(file: &str, sheet: &str, in_workbook: bool, row: u32, col: u32) -> String {
    if in_workbook {
        format!("{file}!{sheet}!{}", cell_name(row, col))
    } else {
        format!("{file}!{}", cell_name(row, col))
    }
}

pub(crate) fn location(
    file: &str,
    sheet: &str,
    in_workbook: bool,
    row: u32,
    col: Option<u32>,
    field: Option<String>,
) -> Location {
    let cell = match col {
        Some(c) => cell_name(row, c),
        None => format!("{}:{}", u64::from(row) + 1, u64::from(row) + 1),
    };
    Location {
        file: file.to_owned(),
        line: Some(row as usize + 1),
        column: col.map(|c| c as usize + 1),
        field,
        cell: Some(if in_workbook {
            format!("{sheet}!{cell}")
        } else {
            cell
        }),
        ..Location::default()
    }
}

fn text_of(cell: &Cell) -> Option<String> {
    text_in(cell).map(str::to_owned)
}

/// The text of a cell, trimmed, when it holds any.
fn text_in(cell: &Cell) -> Option<&str> {
    match cell {
        Cell::Text(t) if !t.trim().is_empty() => Some(t.trim()),
        _ => None,
    }
}

/// How many cells of a row name a column of the headers, and how many name one of the
/// headers or of a companion's (see [`crate::companion`]).
fn score(
    grid: &Grid,
    row: u32,
    width: u32,
    headers: &Headers,
    companions: &[companion::CompanionOf],
) -> (usize, usize) {
    let (mut own, mut all) = (0, 0);
    for c in 0..width {
        let Some(t) = text_in(grid.header_cell(row, c)) else {
            continue;
        };
        if matches!(headers.column(t), Ok(Some(_))) {
            own += 1;
            all += 1;
        } else if matches!(companion::column(companions, t), Ok(Some(_))) {
            all += 1;
        }
    }
    (own, all)
}

/// One past the last column of a grid's rows.
pub(crate) fn width(grid: &Grid) -> u32 {
    let w = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    grid.first_col + u32::try_from(w).unwrap_or(u32::MAX)
}

fn height(grid: &Grid) -> u32 {
    grid.first_row + u32::try_from(grid.rows.len()).unwrap_or(u32::MAX)
}

/// The best header row for a target: (row, how many of its cells name the target's own
/// fields). The row is the one naming the most fields of the target and its companions; of
/// the two rows of a two-tier header (titles merged down over both, group labels over the
/// lower row's names), the lower.
fn header_row(grid: &Grid, headers: &Headers, target: Target) -> Option<(u32, usize)> {
    header_scored(grid, headers, target).map(|(r, own, _)| (r, own))
}

/// [`header_row`] with the number of columns it names in all: the target's own fields and its
/// companions' (a 委託先管理台帳's 評価日 and 契約締結日).
fn header_scored(grid: &Grid, headers: &Headers, target: Target) -> Option<(u32, usize, usize)> {
    let w = width(grid);
    let end = height(grid).min(grid.first_row + HEADER_SCAN);
    let companions = companion::of(target);
    // (row, own, all)
    let mut best: Option<(u32, usize, usize)> = None;
    for r in grid.first_row..end {
        let (own, all) = score(grid, r, w, headers, &companions);
        if own == 0 {
            continue;
        }
        let better = best.is_none_or(|(b, _, n)| {
            all > n
                || (all == n
                    && r == b + 1
                    && grid.merged.iter().any(|a| a.top == b && a.bottom >= r))
        });
        if better {
            best = Some((r, own, all));
        }
    }
    best
}

/// Reads a grid as records: the sheet's own, then those of its companions' columns (see
/// [`crate::companion`]: a 委託先管理台帳 row's 評価日 and 契約締結日 are an evaluation and a
/// contract). Empty: the sheet holds no ledger pms knows (its name names no entity and no
/// row of it reads as a header), reported as a note by the caller.
///
/// # Errors
/// Every problem of the sheet, each located at its cell.
pub fn read_grid(
    grid: &Grid,
    map: Option<&SheetMap>,
    explain: bool,
) -> Result<Vec<Sheet>, Vec<Diagnostic>> {
    read_sheet(grid, None, map, explain)
}

/// Reads a grid as records (see [`read_grid`]), the rows after its head from `rest` (a
/// worksheet being read) or else from the grid's [`crate::grid::Tail`].
pub(crate) fn read_sheet(
    grid: &Grid,
    rest: Option<&mut dyn RowsAfter>,
    map: Option<&SheetMap>,
    explain: bool,
) -> Result<Vec<Sheet>, Vec<Diagnostic>> {
    let mut tail = grid.tail.as_ref().map(TailRows);
    let rest: Option<&mut dyn RowsAfter> = match rest {
        Some(r) => Some(r),
        None => tail.as_mut().map(|t| t as &mut dyn RowsAfter),
    };
    let (target, found_by, header_row, headers) = match find_target(grid, map) {
        Ok(Some(found)) => found,
        other => {
            // The rows after the head are read all the same: a sheet past the row limit is
            // refused for that, whatever else is wrong with it.
            if let Some(rest) = rest {
                rest.for_each(&grid.file, &mut |_, _| {})
                    .map_err(|d| vec![*d])?;
            }
            return other.map(|_| Vec::new());
        }
    };
    read_rows(
        grid, rest, target, found_by, header_row, &headers, map, explain,
    )
}

/// What a grid holds and where its header is: the target, how it was found, the header
/// row and the target's headers. `Ok(None)`: no ledger pms knows.
pub(crate) type Found = (Target, &'static str, u32, std::sync::Arc<Headers>);

/// What a map says of a header cell: its entry written `group.word` (the group label above a
/// two-tier header's name: `評価.日付` beside `契約.日付`), else its entry written by the word.
pub(crate) fn mapped_column(map: &SheetMap, group: Option<&str>, text: &str) -> Option<String> {
    let word = crate::fold::fold(text);
    let grouped = group.map(|g| crate::fold::fold(&format!("{g}.{text}")));
    let find = |key: &str| {
        map.columns
            .iter()
            .find(|(k, _)| crate::fold::fold(k) == key)
            .map(|(_, v)| v.clone())
    };
    grouped.as_deref().and_then(find).or_else(|| find(&word))
}

/// A target a header row fits: ((columns named in all, its own), header row, target, headers).
type Scored = ((usize, usize), u32, Target, std::sync::Arc<Headers>);

/// Finds the target of a grid and its header row (see [`read_grid`]).
pub(crate) fn find_target(
    grid: &Grid,
    map: Option<&SheetMap>,
) -> Result<Option<Found>, Vec<Diagnostic>> {
    let whole = location(&grid.file, &grid.sheet, grid.in_workbook, 0, None, None);
    let sheet_loc = Location {
        cell: grid.in_workbook.then(|| grid.sheet.clone()),
        line: None,
        ..whole
    };
    // The first sheet of the workbooks pms writes explains them and holds no records.
    if map.is_none() && grid.in_workbook && grid.sheet == crate::layout::INSTRUCTIONS_SHEET {
        return Ok(None);
    }
    // The target: the map, the sheet name, the file name, or the header row.
    let mut found_by = "sheet name";
    let mut named: Option<Target> = None;
    // The map may pass a sheet over (a cover page, a tally).
    if map.and_then(|m| m.target.as_deref()) == Some(IGNORE) {
        return Ok(None);
    }
    if let Some(t) = map.and_then(|m| m.target.as_deref()) {
        match vocab::target_of_name(t) {
            Ok(Some(target)) => {
                named = Some(target);
                found_by = "map";
            }
            _ if t == crate::suggest::UNRESOLVED => {
                return Err(vec![Diagnostic::error(
                    codes::BAD_MAP,
                    format!("the map leaves the entity of sheet `{}` open (`?`)", grid.sheet),
                )
                .ja(format!("対応表でシート `{}` のエンティティが未定（`?`）のままである", grid.sheet))
                .at(sheet_loc)
                .help("write the entity the sheet holds (`training_records`, `organization.departments`); `pms import --labels` lists them")
                .help_ja("シートが保持するエンティティ（`training_records`、`organization.departments`）を書く。一覧は `pms import --labels` で出る")]);
            }
            _ => {
                return Err(vec![Diagnostic::error(
                    codes::BAD_MAP,
                    format!("the map names `{t}` for sheet `{}`, which is no entity", grid.sheet),
                )
                .ja(format!("対応表がシート `{}` に指定した `{t}` はエンティティではない", grid.sheet))
                .at(sheet_loc)
                .help("name an entity (`training_records`) or a nested list (`organization.departments`)")
                .help_ja("エンティティ（`training_records`）か入れ子のリスト（`organization.departments`）を書く")]);
            }
        }
    }
    let mut candidates = Vec::new();
    if named.is_none() {
        let stem = grid
            .file
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&grid.file)
            .rsplit_once('.')
            .map_or(grid.file.as_str(), |(s, _)| s)
            .to_owned();
        let names: Vec<(&str, &'static str)> = if grid.in_workbook {
            vec![
                (grid.sheet.as_str(), "sheet name"),
                (stem.as_str(), "file name"),
            ]
        } else {
            vec![(stem.as_str(), "file name")]
        };
        for (n, how) in names {
            match vocab::target_of_name(n) {
                Ok(Some(t)) => {
                    named = Some(t);
                    found_by = how;
                    break;
                }
                Ok(None) => {}
                Err(ts) => {
                    candidates = ts;
                    break;
                }
            }
        }
    }
    // A file name only suggests: a sheet of another ledger in the file is found by its header.
    let mut confirmed = None;
    if found_by == "file name" {
        if let Some(t) = named {
            confirmed = header_row(grid, &Headers::shared(t), t);
            if confirmed.is_none() {
                named = None;
            }
        }
    }
    let (target, header) = match named {
        Some(t) => {
            // A 監査計画書 headed 対象部門・予定日・監査員 holds the plan's items (see
            // [`crate::titled`]).
            let t = match t {
                Target::Entity(_) if found_by != "map" => {
                    match titled::list_instead(grid, t, |g, x| {
                        header_row(g, &Headers::shared(x), x).map(|h| h.1)
                    }) {
                        Some(list) => {
                            confirmed = None;
                            list
                        }
                        None => t,
                    }
                }
                _ => t,
            };
            let h = Headers::shared(t);
            match confirmed.or_else(|| header_row(grid, &h, t)) {
                Some((r, _)) => (t, (r, h)),
                None => {
                    return Err(vec![Diagnostic::error(
                        codes::NO_HEADER,
                        format!(
                            "sheet `{}` holds {} ({}) by its name, but none of its first {HEADER_SCAN} rows names its fields",
                            grid.sheet,
                            t.name_ja(),
                            t.name()
                        ),
                    )
                    .ja(format!(
                        "シート `{}` は名前から{}（{}）と見られるが、先頭 {HEADER_SCAN} 行に項目名の行がない",
                        grid.sheet,
                        t.name_ja(),
                        t.name()
                    ))
                    .at(sheet_loc)
                    .help(format!(
                        "head the columns with the field names, e.g. {}",
                        h.labels_ja().iter().take(6).cloned().collect::<Vec<_>>().join("、")
                    ))
                    .help_ja(format!(
                        "列の見出しに項目名を書く（例: {}）",
                        h.labels_ja().iter().take(6).cloned().collect::<Vec<_>>().join("、")
                    ))]);
                }
            }
        }
        None => {
            // From the header row: the target whose header names the most fields.
            let pool = if candidates.is_empty() {
                vocab::all_targets()
            } else {
                candidates.clone()
            };
            // Ranked by the columns named in all (a combined 委託先管理台帳 is the contractors',
            // whose companions name its 評価日 and 契約締結日 too), then by the target's own.
            let mut scored: Vec<Scored> = Vec::new();
            for t in pool {
                let h = Headers::shared(t);
                if let Some((r, own, all)) = header_scored(grid, &h, t) {
                    scored.push(((all, own), r, t, h));
                }
            }
            scored.sort_by_key(|x| std::cmp::Reverse(x.0));
            let best = scored.first().map(|x| x.0).unwrap_or((0, 0));
            let tied: Vec<&Scored> = scored.iter().filter(|x| x.0 == best).collect();
            if best.1 < 2 && candidates.is_empty() {
                return Ok(None);
            }
            if tied.len() > 1 {
                let names: Vec<String> = tied.iter().map(|x| x.2.name()).collect();
                return Err(vec![Diagnostic::error(
                    codes::UNKNOWN_ENTITY,
                    format!(
                        "sheet `{}`: its header fits {} equally; which is it?",
                        grid.sheet,
                        names.join(" and ")
                    ),
                )
                .ja(format!(
                    "シート `{}`: 見出しが {} のどれにも同じだけ当てはまる。どれか",
                    grid.sheet,
                    names.join("、")
                ))
                .at(sheet_loc)
                .help("name the sheet after its ledger (e.g. `教育計画.計画項目`), or say it with --map")
                .help_ja("シート名を台帳名にする（例: `教育計画.計画項目`）か、--map で指定する")]);
            }
            let Some((_, r, t, h)) = scored.into_iter().next() else {
                return Ok(None);
            };
            found_by = "header row";
            (t, (r, h))
        }
    };
    let (header_row, headers) = header;
    Ok(Some((target, found_by, header_row, headers)))
}

#[allow(clippy::too_many_arguments)]
fn read_rows(
    grid: &Grid,
    rest: Option<&mut dyn RowsAfter>,
    target: Target,
    found_by: &'static str,
    header_row: u32,
    headers: &Headers,
    map: Option<&SheetMap>,
    explain: bool,
) -> Result<Vec<Sheet>, Vec<Diagnostic>> {
    let w = width(grid);
    let h = height(grid);
    let shape = target.shape();
    let loc = |row: u32, col: Option<u32>, field: Option<String>| {
        location(&grid.file, &grid.sheet, grid.in_workbook, row, col, field)
    };
    let mut diags = Vec::new();
    let mut columns: Vec<(u32, String, Column)> = Vec::new();
    let mut by_path: BTreeMap<String, u32> = BTreeMap::new();
    let mut ignored: Vec<u32> = Vec::new();
    let mut unknown: Vec<(u32, String)> = Vec::new();
    let mut row_if: Option<u32> = None;
    // Columns of the records a row also holds (a 委託先管理台帳's 評価日, 契約締結日).
    let companions = companion::of(target);
    let mut extra: Vec<companion::Extra> = Vec::new();
    // Columns under a stage's group label of a wide sheet (a リスク分析表's 取得・入力 over
    // リスク and 対策): that stage's record's (see [`crate::staged`]).
    let mut staged = staged::Staged::default();
    for c in 0..w {
        let cell = grid.header_cell(header_row, c);
        let Some(text) = text_of(cell).or_else(|| match cell {
            Cell::Empty => None,
            Cell::Number(n) => Some(n.to_string()),
            Cell::Bool(b) => Some(b.to_string()),
            Cell::DateIso(d) => Some(d.clone()),
            other => Some(format!("{other:?}")),
        }) else {
            continue;
        };
        // The map's word first.
        let mapped = map.and_then(|m| mapped_column(m, grid.group_above(header_row, c), &text));
        if companions.is_empty() {
            if let Some(stage) = staged::stage_above(target, grid, header_row, c) {
                let named = match mapped.as_deref() {
                    None => headers.column(&text),
                    Some(p) if p != IGNORE && p != ROW_IF_PATH => headers.column(p),
                    Some(_) => Ok(None),
                };
                if let Ok(Some(col)) = named.as_ref() {
                    if staged::takes(target, col) {
                        let path = col.path();
                        if let Err(prev) = staged.take(stage, c, text, col.clone()) {
                            diags.push(
                                Diagnostic::error(
                                    codes::DUPLICATE_COLUMN,
                                    format!(
                                        "columns {} and {} of one group both name the field `{path}` of {}",
                                        column_name(prev),
                                        column_name(c),
                                        target.name()
                                    ),
                                )
                                .ja(format!(
                                    "同じグループの {} 列と {} 列が、どちらも{}の項目 `{path}` を指している",
                                    column_name(prev),
                                    column_name(c),
                                    target.name_ja()
                                ))
                                .at(loc(header_row, Some(c), Some(path)))
                                .label("named again here")
                                .label_ja("重複する列")
                                .help("remove one of the two columns, or rename it after another field")
                                .help_ja("どちらかの列を削除するか、別の項目名に変える"),
                            );
                            // Its values are not read: one error for the column, not one per row.
                            ignored.push(c);
                        }
                        continue;
                    }
                }
            }
        }
        let column = match mapped.as_deref() {
            Some(IGNORE) => {
                ignored.push(c);
                continue;
            }
            Some(ROW_IF_PATH) if row_if.is_none() => {
                row_if = Some(c);
                continue;
            }
            // The parent column of a nested list, as `--suggest-map` writes it.
            Some(p) if p == Column::Parent.path() && matches!(target, Target::Nested { .. }) => {
                Ok(Some(Column::Parent))
            }
            Some(crate::suggest::UNRESOLVED) => {
                diags.push(
                    Diagnostic::error(
                        codes::BAD_MAP,
                        format!("the map leaves column `{text}` open (`?`)"),
                    )
                    .ja(format!("対応表で列 `{text}` が未定（`?`）のままである"))
                    .at(loc(header_row, Some(c), None))
                    .help(headers.suggest(&text).map_or_else(
                        || format!("write one of the fields of {}, or `ignore`", target.name()),
                        |s| format!("write its field (`{s}`?) or `ignore`"),
                    ))
                    .help_ja(headers.suggest(&text).map_or_else(
                        || format!("{}の項目のどれかか `ignore` を書く", target.name_ja()),
                        |s| format!("項目（`{s}` か）か `ignore` を書く"),
                    )),
                );
                continue;
            }
            Some(path) => match headers.column(path) {
                Ok(Some(col)) => Ok(Some(col)),
                _ if companion::mapped(&companions, path).is_some() => {
                    if let Some((k, col)) = companion::mapped(&companions, path) {
                        take_companion(
                            &mut extra,
                            &mut by_path,
                            &companions,
                            (k, col),
                            (c, text),
                            &mut diags,
                            loc(header_row, Some(c), None),
                        );
                    }
                    continue;
                }
                _ => {
                    diags.push(
                        Diagnostic::error(
                            codes::BAD_MAP,
                            format!(
                                "the map sends column `{text}` to `{path}`, which is no field of {}",
                                target.name()
                            ),
                        )
                        .ja(format!(
                            "対応表が列 `{text}` を `{path}` に割り当てているが、{}の項目ではない",
                            target.name_ja()
                        ))
                        .at(loc(header_row, Some(c), None))
                        .maybe_help_ja(headers.suggest(path).map(|s| format!("`{s}` の誤りではないか")))
                        .maybe_help(headers.suggest(path).map(|s| format!("did you mean `{s}`?"))),
                    );
                    continue;
                }
            },
            // Under a group label of a two-tier header (`契約条項` over 監査権): the group's
            // field first (the sheet's own, then a companion's), then the word alone.
            None => match grouped(grid, header_row, c, &text, headers, &companions) {
                Some(Grouped::Own(col)) => Ok(Some(col)),
                Some(Grouped::Companion(found)) => {
                    let at = loc(header_row, Some(c), None);
                    take_companion(
                        &mut extra,
                        &mut by_path,
                        &companions,
                        found,
                        (c, text),
                        &mut diags,
                        at,
                    );
                    continue;
                }
                None => headers.column(&text),
            },
        };
        match column {
            Ok(Some(col)) => {
                let path = col.path();
                if let Some(prev) = by_path.get(&path) {
                    diags.push(
                        Diagnostic::error(
                            codes::DUPLICATE_COLUMN,
                            format!(
                                "columns {} and {} both name the field `{path}` of {}",
                                column_name(*prev),
                                column_name(c),
                                target.name()
                            ),
                        )
                        .ja(format!(
                            "{} 列と {} 列が、どちらも{}の項目 `{path}` を指している",
                            column_name(*prev),
                            column_name(c),
                            target.name_ja()
                        ))
                        .at(loc(header_row, Some(c), Some(path.clone())))
                        .label("named again here")
                        .label_ja("重複する列")
                        .help("remove one of the two columns, or rename it after another field")
                        .help_ja("どちらかの列を削除するか、別の項目名に変える"),
                    );
                    continue;
                }
                by_path.insert(path, c);
                columns.push((c, text, col));
            }
            Ok(None) => unknown.push((c, text)),
            Err(cands) => {
                diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_FIELD,
                        format!(
                            "column `{text}` could name {}",
                            cands
                                .iter()
                                .map(Column::path)
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                    )
                    .ja(format!(
                        "列 `{text}` は {} のどれとも読める",
                        cands
                            .iter()
                            .map(Column::path)
                            .collect::<Vec<_>>()
                            .join("、")
                    ))
                    .at(loc(header_row, Some(c), None))
                    .help("write the field name (e.g. `clauses.audit_right`) as the header")
                    .help_ja("見出しに項目名（例: `clauses.audit_right`）を書く"),
                );
                ignored.push(c);
            }
        }
    }
    let mut described_notes = Vec::new();
    // A column saying whether the row is a record (a roster's 受講 ○/×).
    unknown.retain(|(c, text)| {
        if row_if.is_none() && is_row_if(target, text) {
            row_if = Some(*c);
            return false;
        }
        true
    });
    // A sheet of day records with one date column (an 入退室管理台帳's 日付): that date is both
    // ends of each row's period.
    for (entity, from, to) in ONE_DAY {
        if target.name() != *entity || by_path.contains_key(*to) {
            continue;
        }
        let Some(&c) = by_path.get(*from) else {
            continue;
        };
        let text = columns
            .iter()
            .find(|x| x.0 == c)
            .map_or_else(String::new, |x| x.1.clone());
        if explain {
            described_notes.push(Note {
                at: at(&grid.file, &grid.sheet, grid.in_workbook, header_row, c),
                text: format!(
                    "`{text}` is the only date: each row is the record of that one day ({} and {})",
                    pms_core::labels::field_ja(entity, from),
                    pms_core::labels::field_ja(entity, to)
                ),
            });
        }
        by_path.insert((*to).to_owned(), c);
        columns.push((c, text, Column::Field(to)));
    }
    // A header no field of the sheet has may name a field of the record one of its references
    // points at (a 受講者名簿's 所属 and 雇用区分 are the 受講者's): that ledger is where the value
    // is read; here the column is passed over, and --explain says so.
    for (c, text) in unknown {
        // The referenced record's name where the sheet has no column for the reference itself
        // (an HR export's 所属名 without 所属コード): the reference, by name.
        if let Some(via) = names_reference(shape, &text, &by_path) {
            if explain {
                described_notes.push(Note {
                    at: at(&grid.file, &grid.sheet, grid.in_workbook, header_row, c),
                    text: format!(
                        "`{text}` names the record {} refers to: read as {}, by name",
                        pms_core::labels::field_ja(shape.name, via),
                        pms_core::labels::field_ja(shape.name, via),
                    ),
                });
            }
            by_path.insert(via.to_owned(), c);
            columns.push((c, text, Column::Field(via)));
            continue;
        }
        // Personal data a ledger pms reads may carry but no check needs (an HR export's
        // 生年月日, 性別, 住所): passed over, never read into the records; --explain says so.
        if not_needed(shape.name, &text) {
            ignored.push(c);
            if explain {
                described_notes.push(Note {
                    at: at(&grid.file, &grid.sheet, grid.in_workbook, header_row, c),
                    text: format!(
                        "`{text}` is personal data no check needs: passed over, not read"
                    ),
                });
            }
            continue;
        }
        if let Some((via, of, field)) = described(shape, &text, &by_path) {
            ignored.push(c);
            if explain {
                described_notes.push(Note {
                    at: at(&grid.file, &grid.sheet, grid.in_workbook, header_row, c),
                    text: format!(
                        "`{text}` repeats the {}'s {} (through {}): read from its own ledger, not here",
                        pms_core::labels::struct_labels(of).map_or(of, |l| l.ja),
                        pms_core::labels::field_ja(of, field),
                        pms_core::labels::field_ja(shape.name, via),
                    ),
                });
            }
            continue;
        }
        match companion::column(&companions, &text) {
            Ok(Some(found)) => {
                let at = loc(header_row, Some(c), None);
                take_companion(
                    &mut extra,
                    &mut by_path,
                    &companions,
                    found,
                    (c, text),
                    &mut diags,
                    at,
                );
                continue;
            }
            Ok(None) => {}
            Err(cands) => {
                diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_FIELD,
                        format!("column `{text}` could name {}", cands.join(" or ")),
                    )
                    .ja(format!(
                        "列 `{text}` は {} のどれとも読める",
                        cands.join("、")
                    ))
                    .at(loc(header_row, Some(c), None))
                    .help("write the field's path (e.g. `contracts.signed_on`) in a --map")
                    .help_ja("--map に項目のパス（例: `contracts.signed_on`）を書く"),
                );
                ignored.push(c);
                continue;
            }
        }
        let help = headers.suggest(&text).map_or_else(
            || {
                format!(
                    "the columns of {} are: {}; or mark it `ignore` with --map",
                    target.name_ja(),
                    headers.labels_ja().join("、")
                )
            },
            |s| format!("did you mean `{s}`? (or mark the column `ignore` with --map)"),
        );
        let help_ja = headers.suggest(&text).map_or_else(
            || {
                format!(
                    "{}の列: {}。または --map で `ignore` にする",
                    target.name_ja(),
                    headers.labels_ja().join("、")
                )
            },
            |s| format!("`{s}` の誤りではないか（または --map で `ignore` にする）"),
        );
        diags.push(
            Diagnostic::error(
                codes::UNKNOWN_FIELD,
                format!(
                    "column `{text}` names no field of {} ({})",
                    target.name_ja(),
                    target.name()
                ),
            )
            .ja(format!(
                "列 `{text}` は{}（{}）のどの項目でもない",
                target.name_ja(),
                target.name()
            ))
            .at(loc(header_row, Some(c), None))
            .label("unknown column")
            .label_ja("未知の列")
            .help_ja(help_ja)
            .help(help),
        );
        ignored.push(c);
    }
    // A second header row: the same fields again, e.g. field names under Japanese labels.
    let mut first_data = header_row + 1;
    if first_data < h {
        let same = columns.iter().all(|(c, _, col)| {
            text_of(grid.cell(first_data, *c))
                .is_some_and(|t| headers.column(&t) == Ok(Some(col.clone())))
        });
        if same && !columns.is_empty() {
            first_data += 1;
        }
    }
    // A field both in a stage's group and outside every group, or the stage in a column of its
    // own beside the groups: which one a record holds cannot be told.
    if let Some((f, own)) = staged::field_of_target(target)
        .filter(|_| !staged.is_empty())
        .and_then(|f| Some((f, *by_path.get(f)?)))
    {
        diags.push(
            Diagnostic::error(
                codes::DUPLICATE_COLUMN,
                format!(
                    "column {} names the field `{f}` of {}, and the group labels above the header name it too",
                    column_name(own),
                    target.name()
                ),
            )
            .ja(format!(
                "{} 列が{}の項目 `{f}` を指し、見出しの上のグループ名も同じ項目を指している",
                column_name(own),
                target.name_ja()
            ))
            .at(loc(header_row, Some(own), Some(f.to_owned())))
            .help("remove the column, or write the sheet one row per stage without group labels")
            .help_ja("その列を削除するか、グループ名なしで段階ごとに 1 行で書く"),
        );
    }
    for (path, c) in staged.paths() {
        if let Some(own) = by_path.get(&path) {
            diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_COLUMN,
                    format!(
                        "columns {} and {} both name the field `{path}` of {}: one under a stage's group label, one outside",
                        column_name(*own),
                        column_name(c),
                        target.name()
                    ),
                )
                .ja(format!(
                    "{} 列と {} 列が、どちらも{}の項目 `{path}` を指している（一方は段階のグループ名の下、他方はその外）",
                    column_name(*own),
                    column_name(c),
                    target.name_ja()
                ))
                .at(loc(header_row, Some(c), Some(path.clone())))
                .label("named again here")
                .label_ja("重複する列")
                .help("keep the field either under each stage or in one column for the whole row")
                .help_ja("その項目は段階ごとに置くか、行全体で 1 列にするかのどちらかにする"),
            );
        }
    }
    let melt = (!staged.is_empty()).then(|| staged.append_to(&mut columns));
    let merged_in_data: Vec<&Area> = grid
        .merged
        .iter()
        .filter(|a| a.bottom >= first_data && (a.bottom > a.top || a.right > a.left))
        .collect();
    for a in &merged_in_data {
        diags.push(
            Diagnostic::error(
                codes::MERGED_CELL,
                format!(
                    "cells {}:{} are merged inside the data of sheet `{}`",
                    cell_name(a.top, a.left),
                    cell_name(a.bottom, a.right),
                    grid.sheet
                ),
            )
            .ja(format!(
                "シート `{}` のデータ内でセル {}:{} が結合されている",
                grid.sheet,
                cell_name(a.top, a.left),
                cell_name(a.bottom, a.right)
            ))
            .at(loc(a.top, Some(a.left), None))
            .help("unmerge them and write the value in every row it applies to")
            .help_ja("結合を解除し、当てはまる各行に値を書く"),
        );
    }
    // Each column's field, type and path, resolved once for the sheet.
    let plan: Vec<Planned> = columns
        .iter()
        .map(|(c, _, col)| Planned {
            col: *c,
            column: col.clone(),
            path: col.path(),
            ty: column_ty(shape, col),
            memo: None,
            wrap: one_cell(shape, col).map(|(f, _)| f),
        })
        .chain(extra.iter().map(|(k, c, _, col)| {
            Planned {
                col: *c,
                column: col.clone(),
                path: col.path(),
                ty: companions
                    .get(*k)
                    .and_then(|(comp, t, _)| companion::column_ty(comp, t.shape(), col)),
                memo: None,
                wrap: None,
            }
        }))
        .map(|mut p| {
            p.memo =
                p.ty.as_ref()
                    .filter(|t| Memo::wanted(t))
                    .map(|_| Memo::default());
            p
        })
        .collect();
    let mut claimed: Vec<bool> = Vec::new();
    for c in columns
        .iter()
        .map(|x| x.0)
        .chain(extra.iter().map(|x| x.1))
        .chain(ignored.iter().copied())
        .chain(row_if)
    {
        claim(&mut claimed, c);
    }
    let mut reader = Rows {
        grid,
        target,
        explain,
        has_id_column: by_path.contains_key("id"),
        has_parent_column: by_path.contains_key("(parent)"),
        row_if,
        stride: plan.len().div_ceil(64),
        plan,
        claimed,
        rows: Vec::new(),
        texts: Texts::default(),
        values: Vec::new(),
        read: Vec::new(),
        notes: Vec::new(),
        diags,
    };
    for r in first_data..h {
        let cells = r
            .checked_sub(grid.first_row)
            .and_then(|i| grid.rows.get(i as usize))
            .map_or(&[][..], Vec::as_slice);
        reader.row(
            r,
            &GridRow {
                cells,
                first_col: grid.first_col,
            },
        );
    }
    if let Some(rest) = rest {
        rest.for_each(&grid.file, &mut |r, cells| reader.row(r, cells))
            .map_err(|d| vec![*d])?;
    }
    let Rows {
        rows,
        mut texts,
        read,
        notes,
        diags,
        ..
    } = reader;
    texts.all.shrink_to_fit();
    texts.ends.shrink_to_fit();
    if !diags.is_empty() {
        return Err(diags);
    }
    let sheet = Sheet {
        file: grid.file.clone(),
        sheet: grid.sheet.clone(),
        in_workbook: grid.in_workbook,
        target,
        found_by,
        header_row,
        columns,
        rows,
        texts,
        read,
        notes: described_notes.into_iter().chain(notes).collect(),
    };
    let mut sheet = sheet;
    implied(&mut sheet, explain);
    if let Some(melt) = melt {
        sheet = melt.apply(sheet, explain);
    }
    // A list kept as its own sheet: the record its title block describes comes first.
    if matches!(target, Target::Nested { .. }) && !by_path.contains_key("(parent)") {
        if let Some(record) = titled::title_block(grid, header_row, target, explain)? {
            return Ok(vec![record, sheet]);
        }
    }
    if extra.is_empty() {
        return Ok(vec![sheet]);
    }
    Ok(companion::Split {
        companions: &companions,
        extra,
    }
    .apply(sheet, explain))
}

/// What a header cell under a group label names as `group.word` (see [`Grid::group_above`]).
pub(crate) enum Grouped {
    /// A field of the sheet's own record.
    Own(Column),
    /// A companion's field: (companion index, column).
    Companion((usize, Column)),
}

/// The field a header cell names together with the group label above it (`契約条項` over
/// `監査権`: `clauses.audit_right`, the sheet's own or a companion's); `None` when there is no
/// label or the pair names nothing, and the word alone is to be read.
pub(crate) fn grouped(
    grid: &Grid,
    row: u32,
    col: u32,
    text: &str,
    headers: &Headers,
    companions: &[companion::CompanionOf],
) -> Option<Grouped> {
    let key = format!("{}.{text}", grid.group_above(row, col)?);
    if let Ok(Some(c)) = headers.column(&key) {
        return Some(Grouped::Own(c));
    }
    match companion::column(companions, &key) {
        Ok(Some(found)) => Some(Grouped::Companion(found)),
        _ => None,
    }
}

/// The type of a column's field in a struct (a group column's in its object).
pub(crate) fn column_ty(shape: &'static Struct, col: &Column) -> Option<Ty> {
    if let Some((_, ty)) = one_cell(shape, col) {
        return Some(Ty::List(ty));
    }
    match col {
        Column::Field(f) => shape.field(f).map(|x| x.ty),
        Column::Sub(f, g) => shape
            .field(f)
            .and_then(|x| match x.ty {
                Ty::Obj(s) | Ty::List(&Ty::Obj(s)) => pms_core::schema::find_struct(s),
                _ => None,
            })
            .and_then(|s: &'static Struct| s.field(g))
            .map(|x| x.ty),
        Column::Parent => Some(Ty::Str),
    }
}

/// Takes a column as a companion's (see [`crate::companion`]), unless another column names
/// the same field of it.
fn take_companion(
    extra: &mut Vec<companion::Extra>,
    by_path: &mut BTreeMap<String, u32>,
    companions: &[companion::CompanionOf],
    (k, col): (usize, Column),
    (c, text): (u32, String),
    diags: &mut Vec<Diagnostic>,
    at: Location,
) {
    let Some((comp, target, _)) = companions.get(k) else {
        return;
    };
    let path = companion::path(comp, &col);
    if let Some(prev) = by_path.get(&path) {
        diags.push(
            Diagnostic::error(
                codes::DUPLICATE_COLUMN,
                format!(
                    "columns {} and {} both name the field `{}` of {}",
                    column_name(*prev),
                    column_name(c),
                    col.path(),
                    target.name()
                ),
            )
            .ja(format!(
                "{} 列と {} 列が、どちらも{}の項目 `{}` を指している",
                column_name(*prev),
                column_name(c),
                target.name_ja(),
                col.path()
            ))
            .at(Location {
                field: Some(path),
                ..at
            })
            .label("named again here")
            .label_ja("重複する列")
            .help("remove one of the two columns, or rename it after another field")
            .help_ja("どちらかの列を削除するか、別の項目名に変える"),
        );
        return;
    }
    by_path.insert(path, c);
    extra.push((k, c, text, col));
}

/// Columns of personal data that ledgers pms reads carry but no check needs: (entity, header
/// words). An HR system's 社員マスタ export lists them beside the 社員番号 and 所属.
pub const NOT_NEEDED: &[(&str, &[&str])] = &[(
    "workforce",
    &[
        "生年月日",
        "誕生日",
        "年齢",
        "性別",
        "住所",
        "現住所",
        "郵便番号",
        "電話番号",
        "自宅電話",
        "携帯電話",
        "携帯番号",
        "緊急連絡先",
        "血液型",
        "国籍",
        "配偶者",
        "扶養人数",
        "給与",
        "基本給",
        "口座番号",
        "銀行口座",
        "マイナンバー",
        "個人番号",
        "健康保険番号",
        "基礎年金番号",
    ],
)];

/// Whether a header of an entity's sheet is one of [`NOT_NEEDED`] (folded).
fn not_needed(entity: &str, header: &str) -> bool {
    let k = crate::fold::fold(header);
    NOT_NEEDED
        .iter()
        .filter(|(e, _)| *e == entity)
        .any(|(_, words)| words.iter().any(|w| crate::fold::fold(w) == k))
}

/// The field a header names in the record a reference of the sheet points at: (the
/// reference field, the referenced struct, its field), among the references whose column the
/// sheet has (`held`) or has not, the first whose field `accept` takes.
fn through_reference(
    shape: &'static Struct,
    header: &str,
    by_path: &BTreeMap<String, u32>,
    held: bool,
    accept: impl Fn(&Struct, &str) -> bool,
) -> Option<(&'static str, &'static Struct, &'static str)> {
    shape.fields.iter().find_map(|f| {
        let Ty::Ref(of) = f.ty else { return None };
        if by_path.contains_key(f.name) != held {
            return None;
        }
        let target = crate::vocab::all_targets()
            .into_iter()
            .find(|t| t.shape().name == of)?;
        match Headers::shared(target).column(header) {
            Ok(Some(Column::Field(field))) if field != "id" && accept(target.shape(), field) => {
                Some((f.name, target.shape(), field))
            }
            _ => None,
        }
    })
}

/// The reference field of a sheet whose referenced record's name a header gives, when the
/// sheet has no column for that reference (所属名 → 所属, read by name).
fn names_reference(
    shape: &'static Struct,
    header: &str,
    by_path: &BTreeMap<String, u32>,
) -> Option<&'static str> {
    // Its name: the display field of an entity, `name` of a nested object.
    through_reference(shape, header, by_path, false, |of, field| {
        field == of.display || field == "name"
    })
    .map(|(via, ..)| via)
}

/// The field a header names in the record a reference of the sheet points at, when the
/// sheet has that reference column: (the reference field, the referenced struct, its field).
pub(crate) fn described(
    shape: &'static Struct,
    header: &str,
    by_path: &BTreeMap<String, u32>,
) -> Option<(&'static str, &'static str, &'static str)> {
    through_reference(shape, header, by_path, true, |_, _| true)
        .map(|(via, of, field)| (via, of.name, field))
}

fn claim(claimed: &mut Vec<bool>, c: u32) {
    let c = c as usize;
    if claimed.len() <= c {
        claimed.resize(c + 1, false);
    }
    if let Some(x) = claimed.get_mut(c) {
        *x = true;
    }
}

/// A mapped column as the rows are read: its number, what it names, its path and the type
/// of its field (`None`: no field of the target, passed over).
struct Planned {
    col: u32,
    column: Column,
    path: String,
    ty: Option<Ty>,
    /// For a column of words (an enum, yes/no, dates, lists of them): each distinct text read
    /// once.
    memo: Option<Memo>,
    /// For a list of objects written in one cell: the field each item is (see [`ONE_CELL`]).
    wrap: Option<&'static str>,
}

/// The most distinct texts a column keeps the reading of.
const MEMO_TEXTS: usize = 1024;

/// The readings of the distinct texts of one column: a column of enum values, ○/× or dates
/// holds few texts many times, each read (folded, looked up, parsed) once.
#[derive(Default)]
struct Memo(
    std::collections::HashMap<
        Box<str>,
        Result<Option<Got<'static>>, value::ValueError>,
        foldhash::fast::FixedState,
    >,
);

impl Memo {
    /// Whether a column of this type is read through a memo: one whose texts repeat.
    fn wanted(ty: &Ty) -> bool {
        match ty {
            Ty::Enum(_) | Ty::Bool | Ty::Date => true,
            Ty::List(inner) => Memo::wanted(inner),
            _ => false,
        }
    }

    /// The reading of a text cell (what [`value::read_cell`] gives, notes as `explain` asks:
    /// the same for every sheet read).
    fn read(
        &mut self,
        t: &str,
        ty: &Ty,
        explain: bool,
    ) -> Result<Option<Got<'static>>, value::ValueError> {
        if let Some(known) = self.0.get(t) {
            return known.clone();
        }
        let got = value::read_cell(CellRef::Text(t), ty, explain).map(|g| g.map(Got::into_owned));
        if self.0.len() < MEMO_TEXTS {
            self.0.insert(Box::from(t), got.clone());
        }
        got
    }
}

/// The rows of a sheet being read into records, one at a time.
struct Rows<'g> {
    grid: &'g Grid,
    target: Target,
    explain: bool,
    has_id_column: bool,
    has_parent_column: bool,
    /// The column that says whether a row is a record (see [`ROW_IF`]).
    row_if: Option<u32>,
    plan: Vec<Planned>,
    /// Whether a column is mapped or ignored (a value under no column is reported once).
    claimed: Vec<bool>,
    /// Words of [`Sheet::read`] per row.
    stride: usize,
    rows: Vec<Row>,
    /// The texts of the values read.
    texts: Texts,
    /// The values of the row being read (reused: each row keeps an exact copy).
    values: Vec<(u32, Val)>,
    read: Vec<u64>,
    notes: Vec<Note>,
    diags: Vec<Diagnostic>,
}

impl Rows<'_> {
    fn at(&self, row: u32, col: u32) -> String {
        at(
            &self.grid.file,
            &self.grid.sheet,
            self.grid.in_workbook,
            row,
            col,
        )
    }

    fn loc(&self, row: u32, col: Option<u32>, field: Option<String>) -> Location {
        location(
            &self.grid.file,
            &self.grid.sheet,
            self.grid.in_workbook,
            row,
            col,
            field,
        )
    }

    /// Reads one row (`r`, 0-based) into a record, a closing note, or nothing (blank).
    fn row<C: RowCells + ?Sized>(&mut self, r: u32, cells: &C) {
        let end = cells.end();
        let mut filled = (0..end).filter(|c| !cells.at(*c).is_blank());
        let Some(first) = filled.next() else {
            return;
        };
        // A closing note under the table (`以上`, `※ 記入要領…`) in a row of its own.
        if filled.next().is_none() {
            if let CellRef::Text(t) = cells.at(first) {
                let t = t.trim();
                let k = crate::fold::fold(t);
                if k == "以上" || k.starts_with('※') || t.starts_with('※') {
                    if self.explain {
                        let at = self.at(r, first);
                        self.notes.push(Note {
                            at,
                            text: format!("`{t}` is a note under the table, not a record"),
                        });
                    }
                    return;
                }
            }
        }
        // Values under no column are not dropped silently.
        for c in first..end {
            if !self.claimed.get(c as usize).copied().unwrap_or(false) && !cells.at(c).is_blank() {
                let d = Diagnostic::error(
                    codes::UNKNOWN_FIELD,
                    format!(
                        "a value in column {} of sheet `{}`, which has no header",
                        column_name(c),
                        self.grid.sheet
                    ),
                )
                .ja(format!(
                    "シート `{}` の見出しのない {} 列に値がある",
                    self.grid.sheet,
                    column_name(c)
                ))
                .at(self.loc(r, Some(c), None))
                .help("head the column with its field, or remove the value")
                .help_ja("列の見出しに項目名を書くか、値を削除する");
                self.diags.push(d);
                claim(&mut self.claimed, c);
            }
        }
        // A row its 受講 column marks × is no record (the member did not attend).
        if let Some(c) = self.row_if {
            match value::interpret_with(cells.at(c), &Ty::Bool, false) {
                Ok(Some(Interpreted {
                    value: Json::Bool(false),
                    ..
                })) => {
                    if self.explain {
                        let at = self.at(r, c);
                        self.notes.push(Note {
                            at,
                            text: format!("row {}: marked as not attended: no record", r + 1),
                        });
                    }
                    return;
                }
                Err(e) => {
                    let d = Diagnostic::error(e.code, e.message)
                        .ja(e.message_ja)
                        .at(self.loc(r, Some(c), None))
                        .maybe_help(e.help)
                        .maybe_help_ja(e.help_ja);
                    self.diags.push(d);
                    return;
                }
                Ok(_) => {}
            }
        }
        let mut values = std::mem::take(&mut self.values);
        values.clear();
        let mut parent = None;
        let base = self.read.len();
        self.read.resize(base + self.stride, 0);
        for (j, p) in self.plan.iter_mut().enumerate() {
            let Some(ty) = &p.ty else { continue };
            let cell = cells.at(p.col);
            let got = match (&mut p.memo, cell) {
                (Some(memo), CellRef::Text(t)) => memo.read(t, ty, self.explain),
                _ => value::read_cell(cell, ty, self.explain),
            };
            match got {
                Ok(None) => {}
                Ok(Some(Got { value, note })) => {
                    if let (Some(n), true) = (note, self.explain) {
                        self.notes.push(Note {
                            at: at(
                                &self.grid.file,
                                &self.grid.sheet,
                                self.grid.in_workbook,
                                r,
                                p.col,
                            ),
                            text: n,
                        });
                    }
                    if let Some(w) = self.read.get_mut(base + j / 64) {
                        *w |= 1 << (j % 64);
                    }
                    match &p.column {
                        Column::Field(_) | Column::Sub(..) => {
                            let mut v = Val::keep(value, &mut self.texts);
                            if let (Some(field), Val::List(items)) = (p.wrap, &mut v) {
                                for item in items.iter_mut() {
                                    let inner = std::mem::replace(item, Val::Null);
                                    *item = Val::One(field, Box::new(inner));
                                }
                            }
                            values.push((u32::try_from(j).unwrap_or(u32::MAX), v));
                        }
                        Column::Parent => {
                            if let Read::Text(s) = value {
                                parent = Some((s.into_owned(), Some(p.col)));
                            }
                        }
                    }
                }
                Err(e) => {
                    let field = pms_core::labels::field_named_any(
                        p.path.rsplit('.').next().unwrap_or_default(),
                    );
                    let d = Diagnostic::error(e.code, e.message)
                        .ja(format!("{}: {}", field.trim_end(), e.message_ja))
                        .maybe_help_ja(e.help_ja)
                        .at(location(
                            &self.grid.file,
                            &self.grid.sheet,
                            self.grid.in_workbook,
                            r,
                            Some(p.col),
                            Some(p.path.clone()),
                        ))
                        .maybe_help(e.help);
                    self.diags.push(d);
                }
            }
        }
        if !self.has_id_column && matches!(self.target, Target::Entity(_)) {
            let id = format!("{}-{}", self.grid.sheet, u64::from(r) + 1);
            if self.explain {
                let at = self.at(r, 0);
                self.notes.push(Note {
                    at,
                    text: format!(
                        "no id column: the record of row {} is given the id `{id}`",
                        r + 1
                    ),
                });
            }
            values.push((u32::MAX, Val::Text(self.texts.push(&id))));
        }
        if matches!(self.target, Target::Nested { .. }) && !self.has_parent_column {
            parent = Some((String::new(), None));
        }
        // Exactly as many as the row gave (no spare capacity held per row); the buffer keeps
        // its own for the next row.
        let mut exact = Vec::with_capacity(values.len());
        exact.append(&mut values);
        self.rows.push(Row {
            row: r,
            values: exact,
            parent,
        });
        self.values = values;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// A merged area (0-based, inclusive).
    fn area(top: u32, left: u32, bottom: u32, right: u32) -> Area {
        Area {
            top,
            left,
            bottom,
            right,
        }
    }

    /// Whether `--explain` noted, at a cell (`!C7`), a text containing `text`.
    fn has_note(s: &Sheet, cell: &str, text: &str) -> bool {
        s.notes
            .iter()
            .any(|n| n.at.ends_with(cell) && n.text.contains(text))
    }

    fn grid(sheet: &str, rows: Vec<Vec<Cell>>) -> Grid {
        Grid {
            file: "教育記録.xlsx".into(),
            sheet: sheet.into(),
            in_workbook: true,
            rows,
            ..Grid::default()
        }
    }

    #[test]
    fn header_below_titles_and_approval_block() {
        let g = grid(
            "受講者名簿",
            vec![
                vec![t("2025年度 受講者名簿")],
                vec![t("作成日"), t("令和7年4月1日"), t(""), t("承認"), t("山田")],
                vec![],
                vec![
                    t("No"),
                    t("受講者"),
                    t("受講日"),
                    t("受講方法"),
                    t("合否"),
                    t("点数（点）"),
                ],
                vec![
                    t("TR-1"),
                    t("W-1"),
                    t("R7.4.10"),
                    t("集合研修"),
                    t("○"),
                    Cell::Number(90.0),
                ],
                vec![],
                vec![
                    t("TR-2"),
                    t("W-2"),
                    Cell::DateIso("2025-04-11".into()),
                    t("eラーニング"),
                    t("×"),
                    t("６０点"),
                ],
                vec![],
                vec![t("※ 受講日は和暦でも可")],
                vec![
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    t("以上"),
                ],
            ],
        );
        let s = read_grid(&g, None, true)
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        assert_eq!(s.target.name(), "training_records");
        assert_eq!(s.header_row, 3);
        assert_eq!(s.rows.len(), 2, "the closing notes are not records");
        assert!(s.notes.iter().any(|n| n.text.contains("以上")));
        let r0 = &s.record(0).unwrap();
        assert_eq!(r0["completed_on"], "2025-04-10");
        assert_eq!(r0["method"], "classroom");
        assert_eq!(r0["passed"], true);
        assert_eq!(r0["test_score"], 90);
        let r1 = &s.record(1).unwrap();
        assert_eq!(r1["method"], "e-learning");
        assert_eq!(r1["passed"], false);
        assert_eq!(r1["test_score"], 60);
        assert!(s
            .notes
            .iter()
            .any(|n| n.at == "教育記録.xlsx!受講者名簿!C5" && n.text.contains("和暦")));
    }

    #[test]
    fn a_two_tier_header_is_read_from_its_lower_row_under_its_group_labels() {
        // 3: No | 委託先名 | 評価 (E:F)      | 契約条項 (G:H)
        // 4:  ↓ |    ↓     | 評価日 | 合否  | 監査権 | 再委託
        let mut g = grid(
            "委託先管理台帳",
            vec![
                vec![t("委託先管理台帳")],
                vec![],
                vec![
                    t("No"),
                    t("委託先名"),
                    t("個人情報の取扱い"),
                    t("締結日"),
                    t("評価"),
                    Cell::Empty,
                    t("契約条項"),
                    Cell::Empty,
                ],
                vec![
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    t("評価日"),
                    t("合否"),
                    t("監査権"),
                    t("再委託"),
                ],
                vec![
                    t("C-1"),
                    t("配送株式会社"),
                    t("有"),
                    t("2024/4/1"),
                    t("2025/5/1"),
                    t("○"),
                    t("○"),
                    t("×"),
                ],
            ],
        );
        g.merged = vec![
            area(2, 0, 3, 0),
            area(2, 1, 3, 1),
            area(2, 2, 3, 2),
            area(2, 3, 3, 3),
            area(2, 4, 2, 5),
            area(2, 6, 2, 7),
        ];
        let sheets = read_grid(&g, None, false).unwrap();
        assert_eq!(sheets[0].header_row, 3);
        let c = sheets[0].record(0).unwrap();
        assert_eq!(
            (c["id"].as_str(), c["name"].as_str()),
            (Some("C-1"), Some("配送株式会社"))
        );
        let e = sheets[1].record(0).unwrap();
        assert_eq!(
            (e["evaluated_on"].as_str(), e["result"].as_str()),
            (Some("2025-05-01"), Some("pass"))
        );
        let k = sheets[2].record(0).unwrap();
        assert_eq!(k["signed_on"], "2024-04-01");
        assert_eq!(k["clauses"]["audit_right"], true);
        assert_eq!(k["clauses"]["subcontract"], false);
    }

    /// A リスク分析表 laid out wide: one row per ledger item, a group of columns per stage.
    fn wide_risk_sheet(lower: Vec<Cell>) -> Grid {
        // 3: 個人情報 | 分析日 | 取得・入力 (C:D) | 保管・バックアップ (E:F) | 消去・廃棄 (G:H)
        // 4:    ↓     |   ↓    | リスク | 対策     | リスク | 対策              | リスク | 対策
        let mut g = grid(
            "リスク分析表",
            vec![
                vec![t("リスク分析表"), Cell::Empty, t("承認"), t("山田")],
                vec![],
                vec![
                    t("個人情報の名称"),
                    t("分析日"),
                    t("取得・入力"),
                    Cell::Empty,
                    t("保管・バックアップ"),
                    Cell::Empty,
                    t("消去・廃棄"),
                    Cell::Empty,
                ],
                lower,
                vec![
                    t("顧客名簿"),
                    t("R7.4.1"),
                    t("申込書の紛失"),
                    t("受付後すぐ施錠保管"),
                    t("不正アクセス"),
                    t("アクセス権限の設定、ログ確認"),
                    t("廃棄漏れ"),
                    t("溶解処理"),
                ],
                vec![
                    t("従業者名簿"),
                    t("R7.4.1"),
                    Cell::Empty,
                    Cell::Empty,
                    t("持ち出し"),
                    t("持出し記録"),
                ],
                vec![t("問合せ記録"), t("R7.4.1")],
            ],
        );
        g.merged = vec![
            area(2, 0, 3, 0),
            area(2, 1, 3, 1),
            area(2, 2, 2, 3),
            area(2, 4, 2, 5),
            area(2, 6, 2, 7),
        ];
        g
    }

    #[test]
    fn a_wide_risk_sheet_gives_one_assessment_per_item_and_stage() {
        let g = wide_risk_sheet(vec![
            Cell::Empty,
            Cell::Empty,
            t("リスク"),
            t("対策"),
            t("リスク"),
            t("対策"),
            t("想定されるリスク"),
            t("管理策"),
        ]);
        let sheets = read_grid(&g, None, true).unwrap();
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!(s.header_row, 3);
        assert_eq!(
            s.rows.len(),
            4,
            "three stages of the first item, one of the second"
        );
        let records: Vec<_> = (0..4).map(|i| s.record(i).unwrap()).collect();
        let show = |i: usize, f: &str| records[i][f].clone();
        assert_eq!(show(0, "id"), "リスク分析表-5-取得");
        assert_eq!(show(0, "stage"), "acquire");
        assert_eq!(show(0, "inventory_item_id"), "顧客名簿");
        assert_eq!(show(0, "assessed_on"), "2025-04-01");
        assert_eq!(show(0, "risk_desc"), "申込書の紛失");
        assert_eq!(show(1, "stage"), "store");
        assert_eq!(
            show(1, "controls"),
            serde_json::json!(["アクセス権限の設定", "ログ確認"])
        );
        assert_eq!(show(2, "id"), "リスク分析表-5-廃棄");
        assert_eq!(show(2, "stage"), "dispose");
        assert_eq!(show(2, "risk_desc"), "廃棄漏れ");
        assert_eq!(show(3, "id"), "リスク分析表-6-保管");
        assert_eq!(show(3, "inventory_item_id"), "従業者名簿");
        assert_eq!(show(3, "risk_desc"), "持ち出し");
        // Each record's values are located at its own stage's cells.
        assert_eq!(s.column_read(0, "risk_desc"), Some(2));
        assert_eq!(s.column_read(2, "risk_desc"), Some(6));
        assert_eq!(s.column_read(3, "controls"), Some(5));
        assert_eq!(s.column_read(3, "inventory_item_id"), Some(0));
        // The item with no stage filled gives no assessment, and --explain says so.
        assert!(s.rows.iter().all(|r| r.row != 6));
        assert!(has_note(s, "!C7", "no column under a stage"));
        assert!(has_note(s, "!E6", "保管"));
    }

    #[test]
    fn a_wide_risk_sheet_naming_a_field_twice_in_a_group_is_refused_at_the_cell() {
        let g = wide_risk_sheet(vec![
            Cell::Empty,
            Cell::Empty,
            t("リスク"),
            t("想定されるリスク"),
            t("リスク"),
            t("対策"),
            t("リスク"),
            t("対策"),
        ]);
        let diags = read_grid(&g, None, false).unwrap_err();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, codes::DUPLICATE_COLUMN);
        assert!(diags[0].message.contains("columns C and D of one group"));
    }

    #[test]
    fn an_audit_plan_sheet_is_its_plan_s_items_under_the_plan_its_title_block_describes() {
        // products.md §3.5: 監査計画書 (部門, 予定日, 監査員) under a title and an approval block.
        let g = grid(
            "内部監査計画書",
            vec![
                vec![t("2025年度 内部監査計画書")],
                vec![Cell::Empty, Cell::Empty, t("承認"), t("確認"), t("作成")],
                vec![
                    t("承認日"),
                    t("令和7年4月10日"),
                    t("承認者"),
                    t("山田 太郎"),
                ],
                vec![],
                vec![t("対象部門"), t("予定日"), t("監査員"), t("備考")],
                vec![
                    t("営業部"),
                    t("2025/10/1"),
                    t("佐藤 花子、鈴木 一郎"),
                    t(""),
                ],
                vec![
                    t("総務部"),
                    t("R7.11.5"),
                    t("高橋 次郎"),
                    t("前回指摘のフォロー"),
                ],
            ],
        );
        let sheets = read_grid(&g, None, true).unwrap();
        assert_eq!(sheets.len(), 2);
        let (plan, items) = (&sheets[0], &sheets[1]);
        assert_eq!(plan.target.name(), "audit_plans");
        assert_eq!(plan.found_by, crate::titled::TITLE_BLOCK);
        let p = plan.record(0).unwrap();
        assert_eq!(p["id"], "内部監査計画書");
        assert_eq!(p["pms_year"], "2025");
        assert_eq!(p["approved_on"], "2025-04-10");
        assert_eq!(p["approved_by"], "山田 太郎");
        assert_eq!(plan.column_read(0, "approved_on"), Some(1));
        assert_eq!(items.target.name(), "audit_plans.items");
        assert_eq!(items.header_row, 4);
        let i = items.record(0).unwrap();
        assert_eq!(i["department_id"], "営業部");
        assert_eq!(i["planned_date"], "2025-10-01");
        assert_eq!(
            i["auditor_ids"],
            serde_json::json!(["佐藤 花子", "鈴木 一郎"])
        );
        assert_eq!(items.record(1).unwrap()["note"], "前回指摘のフォロー");
        assert!(plan.notes.iter().any(|n| n.text.contains("title block")));
        // With the stamp row only and no year, no plan is described: the rows need one.
        let bare = grid(
            "監査計画書",
            vec![
                vec![t("承認"), t("確認"), t("作成")],
                vec![],
                vec![t("部門"), t("予定日"), t("監査員")],
                vec![t("営業部"), t("2025/10/1"), t("佐藤 花子")],
            ],
        );
        let sheets = read_grid(&bare, None, false).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].target.name(), "audit_plans.items");
        // The approval row right above the header (no blank row between) is read too.
        let tight = grid(
            "監査計画書",
            vec![
                vec![t("令和7年度 監査計画書")],
                vec![t("承認者"), t("山田 太郎")],
                vec![t("部門"), t("予定日"), t("監査員")],
                vec![t("営業部"), t("2025/10/1"), t("佐藤 花子")],
            ],
        );
        let sheets = read_grid(&tight, None, false).unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].record(0).unwrap()["approved_by"], "山田 太郎");
        // A 作成日 above a list of departments is the sheet's: no organisation is made of it.
        let departments = grid(
            "部門一覧",
            vec![
                vec![t("作成日"), t("令和8年3月31日")],
                vec![],
                vec![t("部門ID"), t("部門名")],
                vec![t("D-1"), t("営業部")],
            ],
        );
        let sheets = read_grid(&departments, None, false).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].target.name(), "organization.departments");
    }

    #[test]
    fn an_internal_audit_findings_sheet_says_where_its_findings_come_from() {
        let findings = |name: &str| {
            let g = grid(
                name,
                vec![
                    vec![t("No"), t("種別"), t("内容"), t("指摘日")],
                    vec![t("F-1"), t("不適合"), t("評価漏れ"), t("2025/6/20")],
                ],
            );
            let sheets = read_grid(&g, None, true).unwrap();
            sheets.into_iter().next().unwrap()
        };
        let s = findings("内部監査指摘事項");
        assert_eq!(s.record(0).unwrap()["source"], "internal_audit");
        assert!(s.notes.iter().any(|n| n.text.contains("内部監査")));
        // A sheet whose name says nothing leaves it to a column (or the required-field error).
        let s = findings("指摘事項");
        assert!(s.record(0).unwrap().get("source").is_none());
    }

    #[test]
    fn a_roster_row_marked_not_attended_is_no_record() {
        let g = grid(
            "受講者名簿",
            vec![
                vec![t("受講者"), t("受講"), t("受講日")],
                vec![t("W-1"), t("○"), t("2025/6/10")],
                vec![t("W-2"), t("×")],
                vec![t("W-3"), t("たぶん"), t("2025/6/10")],
            ],
        );
        let errs = read_grid(&g, None, true).unwrap_err();
        assert!(errs
            .iter()
            .any(|d| d.location.as_ref().and_then(|l| l.cell.as_deref()) == Some("受講者名簿!B4")));
        let mut g = g;
        g.rows.pop();
        let s = read_grid(&g, None, true)
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        assert_eq!(s.rows.len(), 1);
        assert_eq!(s.record(0).unwrap()["person_id"], "W-1");
        assert!(has_note(&s, "!B3", "not attended"));
    }

    #[test]
    fn a_daily_entry_log_gives_one_day_per_row() {
        let g = grid(
            "入退室管理台帳",
            vec![
                vec![
                    t("日付"),
                    t("解錠時刻"),
                    t("解錠者"),
                    t("施錠時刻"),
                    t("施錠者"),
                ],
                vec![t("2025/6/2"), t("8:45"), t("山田"), t("19:10"), t("佐藤")],
                vec![t("R7.6.3"), t("8:50"), t("山田")],
            ],
        );
        let s = read_grid(&g, None, true)
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        let r0 = s.record(0).unwrap();
        assert_eq!(
            (r0["date_from"].as_str(), r0["date_to"].as_str()),
            (Some("2025-06-02"), Some("2025-06-02"))
        );
        assert_eq!(
            (r0["unlock_time"].as_str(), r0["lock_time"].as_str()),
            (Some("8:45"), Some("19:10"))
        );
        let r1 = s.record(1).unwrap();
        assert_eq!(r1["date_to"], "2025-06-03");
        assert!(r1.get("last_lock_by").is_none());
        assert_eq!(s.column_read(1, "date_to"), Some(0));
        assert!(s.notes.iter().any(|n| n.text.contains("only date")));
    }

    #[test]
    fn problems_are_located_at_their_cells() {
        let mut g = grid(
            "受講記録",
            vec![
                vec![
                    t("ID"),
                    t("氏名"),
                    t("受講日"),
                    t("受講日"),
                    t("好きな色"),
                    t("合否"),
                ],
                vec![
                    t("TR-1"),
                    t("W-1"),
                    t("令和7年2月29日"),
                    t("2025/4/1"),
                    t("赤"),
                    t("たぶん"),
                ],
                vec![t("TR-2"), t("W-2"), t("2025/4/1"), t(""), t(""), t("○")],
                vec![t("TR-3"), t("W-3"), t("2025/4/1"), t(""), t(""), t("○")],
            ],
        );
        g.merged.push(Area {
            top: 2,
            left: 1,
            bottom: 3,
            right: 1,
        });
        let errs = read_grid(&g, None, true).unwrap_err();
        let found: Vec<(String, &str)> = errs
            .iter()
            .map(|d| {
                (
                    d.location
                        .as_ref()
                        .and_then(|l| l.cell.clone())
                        .unwrap_or_default(),
                    d.code,
                )
            })
            .collect();
        assert!(
            found.contains(&("受講記録!D1".into(), codes::DUPLICATE_COLUMN)),
            "{found:?}"
        );
        assert!(
            found.contains(&("受講記録!E1".into(), codes::UNKNOWN_FIELD)),
            "{found:?}"
        );
        assert!(
            found.contains(&("受講記録!C2".into(), codes::BAD_DATE)),
            "{found:?}"
        );
        assert!(
            found.contains(&("受講記録!F2".into(), codes::WRONG_TYPE)),
            "{found:?}"
        );
        assert!(
            found.contains(&("受講記録!B3".into(), codes::MERGED_CELL)),
            "{found:?}"
        );
    }

    /// A column of enum values, ○/× and dates reads each distinct text once: every cell still
    /// gets its value, its note and its error, located at its own cell.
    #[test]
    fn repeated_texts_of_a_column_are_read_alike_cell_by_cell() {
        let mut csv = String::from("社員番号,氏名,雇用形態,入社日\n");
        for i in 0..60 {
            let kind = if i % 20 == 7 {
                "宇宙人"
            } else {
                "パートタイマー"
            };
            let day = if i % 30 == 11 {
                "令和7年2月29日"
            } else {
                "R7.4.1"
            };
            csv.push_str(&format!("W-{i},社員{i},{kind},{day}\n"));
        }
        let files = vec![("従業者.csv".to_owned(), csv.into_bytes())];
        let explain = crate::ReadOptions {
            explain: true,
            ..crate::ReadOptions::default()
        };
        let e = crate::read_files(&files, &explain).unwrap_err();
        let got: Vec<(&str, Option<&str>)> = e
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().cell.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (codes::BAD_ENUM, Some("C9")),
                (codes::BAD_DATE, Some("D13")),
                (codes::BAD_ENUM, Some("C29")),
                (codes::BAD_DATE, Some("D43")),
                (codes::BAD_ENUM, Some("C49")),
            ]
        );
        let good: String = String::from("社員番号,氏名,雇用形態,入社日\n")
            + &(0..60)
                .map(|i| format!("W-{i},社員{i},パートタイマー,R7.4.{}\n", 1 + i % 2))
                .collect::<String>();
        let files = vec![("従業者.csv".to_owned(), good.into_bytes())];
        let l = crate::read_files(&files, &explain).unwrap();
        let s = &l.sheets[0];
        for i in [0usize, 1, 58, 59] {
            let r = s.record(i).unwrap();
            assert_eq!(r["employment_type"], "パート");
            assert_eq!(r["start_date"], format!("2025-04-0{}", 1 + i % 2));
        }
        // Every cell interpreted has its note (two per row: the enum name and the 和暦 date).
        let notes: Vec<&str> = s.notes.iter().map(|n| n.at.as_str()).collect();
        assert_eq!(notes.len(), 120, "{notes:?}");
        assert!(notes.contains(&"従業者.csv!C61") && notes.contains(&"従業者.csv!D61"));
    }

    #[test]
    fn entity_from_the_header_when_the_name_says_nothing() {
        let g = grid(
            "Sheet1",
            vec![
                vec![
                    t("社員番号"),
                    t("氏名"),
                    t("所属"),
                    t("雇用形態"),
                    t("入社日"),
                ],
                vec![
                    t("W-1"),
                    t("山田 太郎"),
                    t("D-1"),
                    t("パートタイマー"),
                    Cell::Number(45748.0),
                ],
            ],
        );
        let s = read_grid(&g, None, true)
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        assert_eq!(
            (s.target.name().as_str(), s.found_by),
            ("workforce", "header row")
        );
        assert_eq!(s.record(0).unwrap()["employment_type"], "パート");
        assert_eq!(s.record(0).unwrap()["start_date"], "2025-04-01");
        let cover = grid(
            "表紙",
            vec![vec![t("個人情報保護マネジメントシステム 記録")]],
        );
        assert!(read_grid(&cover, None, true).unwrap().is_empty());
    }
}
