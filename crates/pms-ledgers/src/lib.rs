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
//! - [`companion`]: the records of other entities a row also holds (a 委託先管理台帳 row's
//!   evaluation and contract);
//! - [`layout`]: the sheets, columns and header words of the workbooks pms writes, which the
//!   reader recognises;
//! - [`template`]: the writer of those workbooks (`pms template`, `pms export`);
//! - [`imported`]: ledgers read in one WebAssembly module and validated in another;
//! - [`suggest`]: the map `pms import --suggest-map` writes, for every sheet read or not.
//!
//! Like the core, the readers work on bytes handed to them; the one function that touches
//! the file system, [`read_path`] (and [`load_path`]), is for the CLI and Python (the
//! browser passes bytes to [`read_files`]).

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod companion;
pub mod delimited;
pub mod docs;
pub mod encoding;
pub mod fold;
pub mod grid;
pub mod imported;
pub mod layout;
mod names;
mod par;
pub mod staged;
pub mod suggest;
pub mod table;
pub mod template;
pub mod titled;
pub mod value;
mod view;
pub mod vocab;
pub mod workbook;

use pms_core::diagnostic::codes;
use pms_core::records::{self, Document, Format};
use pms_core::schema::Extensions;
use pms_core::{Diagnostic, Location, RecordSet};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;
use table::{Note, Sheet, SheetMap};
use vocab::Target;

/// File name endings this crate reads.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "ods", "csv", "tsv"];

/// The name of the one record document the ledgers of a set become.
pub const DOCUMENT: &str = "<ledgers>";

/// Whether a file name is a ledger this crate reads (by its ending, case-insensitively).
#[must_use]
pub fn is_ledger_name(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

fn is_text_ledger(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".csv") || l.ends_with(".tsv")
}

/// How to read ledgers.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Text encoding of CSV/TSV files, forced (`utf-8`, `shift_jis`, `euc-jp` …); detected
    /// when `None`.
    pub encoding: Option<String>,
    /// Size limits of a workbook (rows per sheet, unzipped size).
    pub limits: workbook::Limits,
    /// The core's input bounds: the largest input read (all the files of one path
    /// together, or the bytes handed over), checked before anything is read.
    pub input: pms_core::input::Limits,
    /// What the user says a sheet holds (`pms import --map`): by sheet name, file name, or
    /// `file!sheet`.
    pub maps: BTreeMap<String, SheetMap>,
    /// Whether to keep the notes on each interpreted value, closing note and generated id
    /// (`pms import --explain`); building them costs time on large ledgers.
    pub explain: bool,
}

impl ReadOptions {
    fn map_for(&self, file: &str, sheet: &str) -> Option<&SheetMap> {
        let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
        [
            format!("{base}!{sheet}"),
            format!("{file}!{sheet}"),
            sheet.to_owned(),
            base.to_owned(),
        ]
        .iter()
        .find_map(|k| self.maps.get(k))
    }
}

/// The ledgers read from a set of files: every sheet as records, and what was passed over.
#[derive(Debug, Clone, Default)]
pub struct Ledgers {
    /// The sheets read, in file order then sheet order.
    pub sheets: Vec<Sheet>,
    /// Sheets that hold no ledger (a cover, instructions) or were hidden, and text files'
    /// encodings: shown by `pms import --explain`.
    pub passed_over: Vec<Note>,
}

impl Ledgers {
    /// Every note: how each sheet was recognised, each interpreted value, each sheet passed
    /// over.
    #[must_use]
    pub fn notes(&self) -> Vec<Note> {
        let mut out = self.passed_over.clone();
        for s in &self.sheets {
            out.push(Note {
                at: if s.in_workbook {
                    format!("{}!{}", s.file, s.sheet)
                } else {
                    s.file.clone()
                },
                text: format!(
                    "{} ({}) by its {}; header in row {}: {}",
                    s.target.name_ja(),
                    s.target.name(),
                    s.found_by,
                    s.header_row + 1,
                    s.columns
                        .iter()
                        .map(|(_, h, c)| format!("{h} → {}", c.path()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
            out.extend(s.notes.iter().cloned());
        }
        out
    }
}

/// Reads ledger files given as bytes (the browser and Python hand bytes over). Every
/// problem of every file and sheet is collected before the set is rejected.
///
/// # Errors
/// Every problem, located at its file, sheet and cell.
pub fn read_files(
    files: &[(String, Vec<u8>)],
    options: &ReadOptions,
) -> Result<Ledgers, Vec<Diagnostic>> {
    let mut out = Ledgers::default();
    let mut diags = Vec::new();
    // The bytes handed over are bounded like files read (a host may pass anything).
    let total = files
        .iter()
        .map(|(_, b)| u64::try_from(b.len()).unwrap_or(u64::MAX))
        .fold(0u64, u64::saturating_add);
    let name = match files {
        [(one, _)] => one.clone(),
        _ => "the ledger files".to_owned(),
    };
    options.input.check(&name, total).map_err(|d| vec![*d])?;
    read_all(files, options, &mut out, &mut diags);
    if diags.is_empty() {
        Ok(out)
    } else {
        pms_core::diagnostic::sort(&mut diags);
        Err(diags)
    }
}

/// The grids of ledger files: every sheet of every workbook, every CSV/TSV file; notes on
/// detected encodings and sheets passed over go to `notes`, files that cannot be read to
/// `diags`.
pub(crate) fn grids_of(
    files: &[(String, Vec<u8>)],
    options: &ReadOptions,
    notes: &mut Vec<Note>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<grid::Grid> {
    let mut all = Vec::new();
    for (name, bytes) in files {
        let grids = if is_text_ledger(name) {
            match text_grid(name, bytes, options, notes, true) {
                Ok(g) => vec![g],
                Err(d) => {
                    diags.push(*d);
                    continue;
                }
            }
        } else {
            match workbook::read(name, bytes, options.limits) {
                Ok((gs, skipped)) => {
                    notes.extend(skipped.iter().map(|s| skipped_note(name, s)));
                    gs
                }
                Err(d) => {
                    diags.extend(d);
                    continue;
                }
            }
        };
        all.extend(grids);
    }
    all
}

/// The grid of a CSV/TSV file; a detected encoding other than UTF-8 is noted in `notes`.
/// `count`: its rows are counted for the row limit first ([`delimited::read`]); else the limit
/// is met by reading the grid's tail ([`delimited::read_head`]).
fn text_grid(
    name: &str,
    bytes: &[u8],
    options: &ReadOptions,
    notes: &mut Vec<Note>,
    count: bool,
) -> Result<grid::Grid, Box<Diagnostic>> {
    let read = if count {
        delimited::read
    } else {
        delimited::read_head
    };
    let (g, decoded) = read(
        name,
        bytes,
        options.encoding.as_deref(),
        options.limits.max_rows,
    )?;
    if decoded.detected && decoded.encoding != "UTF-8" {
        notes.push(Note {
            at: name.to_owned(),
            text: format!("read as {}", decoded.encoding),
        });
    }
    Ok(g)
}

/// The note on a sheet of workbook `name` that was not read (hidden, a chart …).
fn skipped_note(name: &str, s: &workbook::Skipped) -> Note {
    Note {
        at: format!("{name}!{}", s.sheet),
        text: format!("not read: {}", s.reason),
    }
}

/// What one ledger file became: notes on its encoding or sheets passed over (shown before
/// every file's sheets), its sheets read, and its problems.
#[derive(Default)]
struct FileRead {
    early: Vec<Note>,
    late: Ledgers,
    diags: Vec<Diagnostic>,
}

/// Reads ledger files as records, each sheet as it is read (a worksheet in one pass): the
/// notes and problems of [`grids_of`] and [`read_into`], in the same order. On native
/// targets the files of a set, or the sheets of a workbook read alone, are read by a few
/// threads ([`par`]) and put together in file and sheet order, so that what is read, noted
/// and reported is what one thread reads.
fn read_all(
    files: &[(String, Vec<u8>)],
    options: &ReadOptions,
    out: &mut Ledgers,
    diags: &mut Vec<Diagnostic>,
) {
    read_all_by(files, options, out, diags, par::threads(usize::MAX));
}

/// [`read_all`] by up to `threads` threads.
fn read_all_by(
    files: &[(String, Vec<u8>)],
    options: &ReadOptions,
    out: &mut Ledgers,
    diags: &mut Vec<Diagnostic>,
    threads: usize,
) {
    // The files in parallel, or the sheets of the one file (no threads inside threads).
    let (threads, sheet_threads) = if files.len() > 1 {
        (threads.min(files.len()), 1)
    } else {
        (1, threads)
    };
    // The largest files are taken first, so that a large file taken last does not keep one
    // thread reading while the others are done; what each gives is put back in file order.
    let mut order: Vec<usize> = (0..files.len()).collect();
    if threads > 1 {
        order.sort_by_key(|i| std::cmp::Reverse(files.get(*i).map_or(0, |(_, b)| b.len())));
    }
    let read = par::map(
        order.len(),
        threads,
        || (),
        |(), k| {
            order
                .get(k)
                .and_then(|i| files.get(*i))
                .map(|(name, bytes)| read_file(name, bytes, options, sheet_threads))
                .unwrap_or_default()
        },
    );
    let mut read: Vec<(usize, FileRead)> = order.into_iter().zip(read).collect();
    read.sort_unstable_by_key(|(i, _)| *i);
    let read = read.into_iter().map(|(_, f)| f);
    // The sheets passed over after every file's encoding and skipped sheets, as before.
    let mut late = Ledgers::default();
    for mut f in read {
        out.passed_over.append(&mut f.early);
        late.sheets.append(&mut f.late.sheets);
        late.passed_over.append(&mut f.late.passed_over);
        diags.append(&mut f.diags);
    }
    out.sheets.append(&mut late.sheets);
    out.passed_over.append(&mut late.passed_over);
    // References written as names (a 受講者's 氏名, a 委託先名) become ids once every sheet is read.
    names::resolve(out, options.explain, diags);
    names::one_site(out, options.explain);
}

/// Reads one ledger file as records (a workbook's sheets by up to `sheet_threads` threads).
fn read_file(name: &str, bytes: &[u8], options: &ReadOptions, sheet_threads: usize) -> FileRead {
    let mut f = FileRead::default();
    if is_text_ledger(name) {
        // One pass: a file past the row limit is refused when its tail is read.
        match text_grid(name, bytes, options, &mut f.early, false) {
            Ok(g) => read_one(&g, None, options, &mut f.late, &mut f.diags),
            Err(d) => f.diags.push(*d),
        }
        return f;
    }
    // A workbook refused (a sheet past the row limit, a sheet unreadable) gives those
    // errors alone: what was read of its sheets is dropped.
    let each = |g: grid::Grid, rest: Option<&mut dyn grid::RowsAfter>| {
        let mut read = Ledgers::default();
        let mut found = Vec::new();
        read_one(&g, rest, options, &mut read, &mut found);
        (read, found)
    };
    match workbook::read_with(name, bytes, options.limits, sheet_threads, &each) {
        Ok((skipped, sheets)) => {
            f.early
                .extend(skipped.iter().map(|s| skipped_note(name, s)));
            for (mut read, mut found) in sheets {
                f.late.sheets.append(&mut read.sheets);
                f.late.passed_over.append(&mut read.passed_over);
                f.diags.append(&mut found);
            }
        }
        Err(d) => f.diags.extend(d),
    }
    f
}

fn read_into(
    grids: Vec<grid::Grid>,
    options: &ReadOptions,
    out: &mut Ledgers,
    diags: &mut Vec<Diagnostic>,
) {
    for g in grids {
        read_one(&g, None, options, out, diags);
    }
    // References written as names (a 受講者's 氏名, a 委託先名) become ids once every sheet is read.
    names::resolve(out, options.explain, diags);
    names::one_site(out, options.explain);
}

/// Reads one grid as records (the rows after its head from `rest` or its tail) into `out`.
fn read_one(
    g: &grid::Grid,
    rest: Option<&mut dyn grid::RowsAfter>,
    options: &ReadOptions,
    out: &mut Ledgers,
    diags: &mut Vec<Diagnostic>,
) {
    match table::read_sheet(g, rest, options.map_for(&g.file, &g.sheet), options.explain) {
        Ok(sheets) if !sheets.is_empty() => out.sheets.extend(sheets),
        Ok(_) => out.passed_over.push(Note {
            at: if g.in_workbook {
                format!("{}!{}", g.file, g.sheet)
            } else {
                g.file.clone()
            },
            text: if g.in_workbook && g.sheet == layout::INSTRUCTIONS_SHEET {
                "pms's instructions sheet: no records".into()
            } else if options
                .map_for(&g.file, &g.sheet)
                .and_then(|m| m.target.as_deref())
                == Some(table::IGNORE)
            {
                "not read: the map says `ignore`".into()
            } else {
                "not read: neither its name nor any of its rows names a ledger".into()
            },
        }),
        Err(d) => diags.extend(d),
    }
}

/// A table handed over by a host (a pandas or polars DataFrame): its name (the entity or
/// ledger name, as a sheet name), column names, and rows of JSON values (text, numbers,
/// booleans, `null`; lists are written one item per line). Its cells are located as
/// `name!C3`, row 1 being the column names.
#[must_use]
pub fn table_grid(name: &str, columns: &[String], rows: &[Vec<Json>]) -> grid::Grid {
    use grid::Cell;
    let cell = |v: &Json| match v {
        Json::Null => Cell::Empty,
        Json::Bool(b) => Cell::Bool(*b),
        Json::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Json::String(s) => Cell::Text(s.clone()),
        Json::Array(items) => Cell::Text(
            items
                .iter()
                .map(|i| match i {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Json::Object(_) => Cell::Text(v.to_string()),
    };
    let mut all = vec![columns
        .iter()
        .map(|c| Cell::Text(c.clone()))
        .collect::<Vec<_>>()];
    all.extend(rows.iter().map(|r| r.iter().map(cell).collect()));
    grid::Grid {
        file: name.to_owned(),
        sheet: name.to_owned(),
        in_workbook: false,
        first_row: 0,
        first_col: 0,
        rows: all,
        merged: Vec::new(),
        tail: None,
    }
}

/// Reads tables handed over by a host (see [`table_grid`]) as ledgers.
///
/// # Errors
/// Every problem of every table, located at its cell.
pub fn read_tables(
    grids: Vec<grid::Grid>,
    options: &ReadOptions,
) -> Result<Ledgers, Vec<Diagnostic>> {
    let mut out = Ledgers::default();
    let mut diags = Vec::new();
    read_into(grids, options, &mut out, &mut diags);
    if diags.is_empty() {
        Ok(out)
    } else {
        pms_core::diagnostic::sort(&mut diags);
        Err(diags)
    }
}

/// Where a record of the combined document came from: sheet and row indexes.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub(crate) struct Origin {
    pub(crate) sheet: usize,
    pub(crate) row: usize,
}

/// A row of a sheet as a diagnostic is moved to it: where the sheet is, the row's 0-based
/// number, and the column it gave a value for a field path in.
pub(crate) struct Place<'a> {
    pub(crate) file: &'a str,
    pub(crate) sheet: &'a str,
    pub(crate) in_workbook: bool,
    pub(crate) row: u32,
    pub(crate) column: ColumnOf<'a>,
}

/// The column a row gave a value for a field path in (`None`: no such column or no value).
pub(crate) type ColumnOf<'a> = Box<dyn Fn(&str) -> Option<u32> + 'a>;

/// What knows the row an [`Origin`] names: the ledgers read, or their [`imported`] form.
pub(crate) trait Places {
    fn place(&self, o: Origin) -> Option<Place<'_>>;
}

impl Places for Ledgers {
    fn place(&self, o: Origin) -> Option<Place<'_>> {
        let s = self.sheets.get(o.sheet)?;
        let r = s.rows.get(o.row)?;
        Some(Place {
            file: &s.file,
            sheet: &s.sheet,
            in_workbook: s.in_workbook,
            row: r.row,
            column: Box::new(move |path| s.column_read(o.row, path)),
        })
    }
}

/// Where each record of the ledgers' record document comes from: per entity its records, and
/// per parent record (entity, index in its list) and field the nested objects under it. The
/// document itself is never built for validation: [`view`] shows the rows through serde.
pub(crate) struct Combined {
    pub(crate) entities: BTreeMap<String, Vec<Origin>>,
    pub(crate) nested: BTreeMap<(String, usize, String), Vec<Origin>>,
}

/// Where the ledgers' records go in their record document: entities in file and sheet order
/// (a ledger split over sheets is concatenated), each nested row under its parent record.
pub(crate) fn combine(ledgers: &Ledgers) -> Result<Combined, Vec<Diagnostic>> {
    let mut entities: BTreeMap<String, Vec<Origin>> = BTreeMap::new();
    let mut nested: BTreeMap<(String, usize, String), Vec<Origin>> = BTreeMap::new();
    let mut diags = Vec::new();
    // A record made from a list sheet's title block is one only where no other sheet holds a
    // record of its entity (see [`titled`]).
    let held: std::collections::BTreeSet<&str> = ledgers
        .sheets
        .iter()
        .filter(|s| s.found_by != titled::TITLE_BLOCK && !s.rows.is_empty())
        .filter_map(|s| match s.target {
            Target::Entity(e) => Some(e.name),
            Target::Nested { .. } => None,
        })
        .collect();
    for (si, s) in ledgers.sheets.iter().enumerate() {
        if s.found_by == titled::TITLE_BLOCK && held.contains(s.target.name().as_str()) {
            continue;
        }
        // A ledger without rows adds no list (an empty sheet of a template says nothing).
        if let (Target::Entity(e), false) = (s.target, s.rows.is_empty()) {
            let list = entities.entry(e.name.to_owned()).or_default();
            list.extend((0..s.rows.len()).map(|ri| Origin { sheet: si, row: ri }));
        }
    }
    // The first record of each id, per entity: a nested row finds its parent at once.
    let mut by_id: BTreeMap<&str, std::collections::HashMap<String, usize>> = BTreeMap::new();
    for s in &ledgers.sheets {
        if let Target::Nested { parent, .. } = s.target {
            if by_id.contains_key(parent.name) {
                continue;
            }
            let mut ids = std::collections::HashMap::new();
            for (i, o) in entities.get(parent.name).into_iter().flatten().enumerate() {
                if let Some(id) = ledgers.sheets.get(o.sheet).and_then(|p| p.id_of(o.row)) {
                    ids.entry(id.into_owned()).or_insert(i);
                }
            }
            by_id.insert(parent.name, ids);
        }
    }
    // Then nested objects, each under its parent record.
    for (si, s) in ledgers.sheets.iter().enumerate() {
        let Target::Nested { parent, field, .. } = s.target else {
            continue;
        };
        for (ri, r) in s.rows.iter().enumerate() {
            let Some((pid, pcol)) = &r.parent else {
                continue;
            };
            let count = entities.get(parent.name).map_or(0, Vec::len);
            let index = if pid.is_empty() {
                if count == 1 {
                    Some(0)
                } else {
                    diags.push(
                        Diagnostic::error(
                            codes::MISSING_FIELD,
                            format!(
                                "which {} ({}) does this row belong to? the ledgers hold {count}",
                                parent.name_ja, parent.name
                            ),
                        )
                        .ja(format!(
                            "この行はどの{}（{}）のものか。台帳には {count} 件ある",
                            parent.name_ja, parent.name
                        ))
                        .at(s.location(r.row, None, None))
                        .help(format!(
                            "add a column `{}` with the id of its record",
                            parent.name_ja
                        ))
                        .help_ja(format!(
                            "その記録の id を書いた列 `{}` を追加する",
                            parent.name_ja
                        )),
                    );
                    None
                }
            } else {
                let found = by_id
                    .get(parent.name)
                    .and_then(|ids| ids.get(pid.as_str()))
                    .copied();
                if found.is_none() {
                    diags.push(
                        Diagnostic::error(
                            codes::DANGLING_REF,
                            format!("no {} ({}) has the id `{pid}`", parent.name_ja, parent.name),
                        )
                        .ja(format!(
                            "id が `{pid}` の{}（{}）はない",
                            parent.name_ja, parent.name
                        ))
                        .at(s.location(
                            r.row,
                            *pcol,
                            Some("(parent)".into()),
                        )),
                    );
                }
                found
            };
            let Some(index) = index else { continue };
            nested
                .entry((parent.name.to_owned(), index, field.to_owned()))
                .or_default()
                .push(Origin { sheet: si, row: ri });
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Combined { entities, nested })
}

/// The record document of ledgers whose records are placed by `combined`, built as a JSON
/// tree (for `pms import` and the hand-over between WebAssembly modules).
fn document(ledgers: &Ledgers, combined: &Combined) -> Json {
    use serde::Deserialize;
    Json::deserialize(view::DocView {
        sheets: &ledgers.sheets,
        index: combined,
    })
    .unwrap_or_default()
}

/// Moves a diagnostic of the combined document to the cell it came from.
fn relocate(d: Diagnostic, places: &(impl Places + ?Sized), c: &Combined) -> Diagnostic {
    let Some(loc) = &d.location else { return d };
    if loc.file != DOCUMENT {
        return d;
    }
    let pointer = loc.pointer.clone().unwrap_or_default();
    let segs: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let (Some(entity), Some(index)) = (
        segs.first(),
        segs.get(1).and_then(|i| i.parse::<usize>().ok()),
    ) else {
        return d;
    };
    let Some(mut origin) = c.entities.get(entity).and_then(|o| o.get(index)).copied() else {
        return d;
    };
    let mut rest = segs.get(2..).unwrap_or(&[]);
    // The item of a list the record's own row holds (a 文書管理台帳 row's current version) is
    // the list's first; the rows of the list's sheet follow it.
    let mut item_of: Option<String> = None;
    if let (Some(f), Some(j)) = (
        rest.first(),
        rest.get(1).and_then(|j| j.parse::<usize>().ok()),
    ) {
        let in_row = row_item_held(places, origin, entity, f);
        if in_row && j == 0 {
            item_of = Some(f.clone());
            rest = rest.get(2..).unwrap_or(&[]);
        } else if let Some(o) = c
            .nested
            .get(&(entity.clone(), index, f.clone()))
            .and_then(|o| o.get(if in_row { j - 1 } else { j }))
        {
            origin = *o;
            rest = rest.get(2..).unwrap_or(&[]);
        }
    }
    let Some(row) = places.place(origin) else {
        return d;
    };
    let field = rest.first().cloned().or_else(|| loc.field.clone());
    let col = match (rest.first(), rest.get(1)) {
        (Some(g), _) if item_of.is_some() => {
            (row.column)(&format!("{}.{g}", item_of.as_deref().unwrap_or_default()))
        }
        (Some(f), Some(g)) => (row.column)(&format!("{f}.{g}")).or_else(|| (row.column)(f)),
        (Some(f), None) => (row.column)(f),
        _ => None,
    };
    let mut d = d;
    d.location = Some(table::location(
        row.file,
        row.sheet,
        row.in_workbook,
        row.row,
        col,
        field,
    ));
    d
}

/// Whether the row a record came from holds an item of its list `field` (see
/// [`vocab::ROW_ITEM`]): a value in a column of one of the item's fields.
fn row_item_held<P: Places + ?Sized>(
    places: &P,
    origin: Origin,
    entity: &str,
    field: &str,
) -> bool {
    if !vocab::row_item(entity, field) {
        return false;
    }
    let item = pms_core::schema::find_struct(entity)
        .and_then(|s| s.field(field))
        .and_then(|f| match f.ty {
            pms_core::schema::Ty::List(pms_core::schema::Ty::Obj(o)) => {
                pms_core::schema::find_struct(o)
            }
            _ => None,
        });
    let (Some(item), Some(place)) = (item, places.place(origin)) else {
        return false;
    };
    item.fields
        .iter()
        .any(|g| (place.column)(&format!("{field}.{}", g.name)).is_some())
}

/// Validates ledgers together with record documents (JSON/YAML files of the same set):
/// references work across them. Diagnostics of ledger records point at their cells.
///
/// The core's loader visits the rows' values where they lie (no record document is built);
/// afterwards the rows' values are dropped: the ledgers hold their sheets, columns, notes and
/// where each row was, with empty records.
///
/// # Errors
/// Every problem found, located.
pub fn load(
    ledgers: &mut Ledgers,
    documents: Vec<Document>,
    extensions: &Extensions,
) -> Result<RecordSet, Vec<Diagnostic>> {
    let combined = combine(ledgers)?;
    let threads = load_threads(&combined);
    load_rows(ledgers, &combined, documents, extensions, threads)
}

/// Ledgers of at least this many records are loaded by several threads ([`load_rows`]):
/// below it a loader per list, and their merge, cost more than they save (M, 18,676
/// records: about 60–70 → 70–100 ms of CPU on a loaded machine, the busiest thread no
/// shorter).
const PARALLEL_LOAD: usize = 100_000;

/// How many threads load the records `combined` places.
fn load_threads(combined: &Combined) -> usize {
    let records: usize = combined.entities.values().map(Vec::len).sum();
    if records >= PARALLEL_LOAD {
        par::threads(usize::MAX)
    } else {
        1
    }
}

/// [`load`] of ledgers already combined, by up to `threads` threads: the entity lists (long
/// ones in parts) each read by a loader of its own, merged in order, which gives the records
/// and problems of one thread.
fn load_rows(
    ledgers: &mut Ledgers,
    combined: &Combined,
    documents: Vec<Document>,
    extensions: &Extensions,
    threads: usize,
) -> Result<RecordSet, Vec<Diagnostic>> {
    let view = view::DocView {
        sheets: &ledgers.sheets,
        index: combined,
    };
    let loaded = records::load_fed_lists(
        documents,
        DOCUMENT,
        view::lists(view, threads),
        extensions,
        threads,
    );
    let out = relocated(loaded, combined, ledgers);
    for s in &mut ledgers.sheets {
        for r in &mut s.rows {
            r.values = Vec::new();
        }
        s.texts = table::Texts::default();
    }
    out
}

/// Moves each diagnostic of a ledger record to its cell (what [`load`] and
/// [`imported::load`] share).
pub(crate) fn relocated(
    loaded: Result<RecordSet, Vec<Diagnostic>>,
    combined: &Combined,
    places: &(impl Places + ?Sized),
) -> Result<RecordSet, Vec<Diagnostic>> {
    loaded.map_err(|ds| {
        let mut out: Vec<Diagnostic> = ds
            .into_iter()
            .map(|d| relocate(d, places, combined))
            .collect();
        pms_core::diagnostic::sort(&mut out);
        out
    })
}

/// Validates like [`load`] and also returns the ledgers' records as one record document
/// (what [`to_json`] returns), built once (`pms import` writes it after validating).
///
/// # Errors
/// Every problem found, located.
pub fn load_with_json(
    ledgers: &mut Ledgers,
    documents: Vec<Document>,
    extensions: &Extensions,
) -> Result<(RecordSet, Json), Vec<Diagnostic>> {
    let combined = combine(ledgers)?;
    let value = document(ledgers, &combined);
    let threads = load_threads(&combined);
    let set = load_rows(ledgers, &combined, documents, extensions, threads)?;
    Ok((set, value))
}

/// The records of ledgers as one record document in pms's own format (for `pms import`).
///
/// # Errors
/// Rows of nested objects whose parent record cannot be found.
pub fn to_json(ledgers: &Ledgers) -> Result<Json, Vec<Diagnostic>> {
    combine(ledgers).map(|c| document(ledgers, &c))
}

fn io_error(shown: &str, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(codes::IO, format!("cannot read {what} `{shown}`: {e}"))
        .ja(format!(
            "{} `{shown}` を読めない: {}",
            pms_core::input::what_ja(what),
            pms_core::input::io_reason_ja(e)
        ))
        .at(Location {
            file: shown.to_owned(),
            ..Location::default()
        })
        .help("check the path")
        .help_ja("パスを確かめる")
}

/// Whether a path is a ledger, or a directory holding at least one.
#[must_use]
pub fn has_ledgers(path: &Path) -> bool {
    if path.is_dir() {
        std::fs::read_dir(path).is_ok_and(|rd| {
            rd.filter_map(Result::ok).any(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                is_ledger_name(&n) && !n.starts_with("~$") && !n.starts_with('.')
            })
        })
    } else {
        is_ledger_name(&path.to_string_lossy())
    }
}

/// The files under a path a set is read from: the path itself, or the ledgers and record
/// files of a directory, sorted (Excel lock files `~$…` and hidden files passed over).
fn list_files(path: &Path) -> Result<Vec<std::path::PathBuf>, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let mut files = Vec::new();
    if path.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|e| vec![io_error(&shown, "directory", &e)])?;
        for entry in rd {
            let entry = entry.map_err(|e| vec![io_error(&shown, "directory", &e)])?;
            let p = entry.path();
            let n = entry.file_name().to_string_lossy().to_string();
            // A subdirectory is not entered; anything else named like a ledger or a record
            // file (a FIFO, a device, a link to one) is refused when it is read (E1020).
            if n.starts_with("~$") || n.starts_with('.') || p.is_dir() {
                continue;
            }
            if is_ledger_name(&n) || Format::from_name(&n).is_some() {
                files.push(p);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(vec![Diagnostic::error(
                codes::IO,
                format!("directory `{shown}` holds no ledger (.xlsx, .xlsm, .ods, .csv, .tsv) and no record file (.json, .yaml)"),
            )
            .ja(format!("ディレクトリ `{shown}` に台帳（.xlsx、.xlsm、.ods、.csv、.tsv）も記録ファイル（.json、.yaml）もない"))
            .at(Location {
                file: shown.clone(),
                ..Location::default()
            })]);
        }
    } else {
        files.push(path.to_path_buf());
    }
    Ok(files)
}

/// The map `pms import --suggest-map` writes for the ledgers under a path (see
/// [`suggest`]); record files are passed over.
///
/// # Errors
/// Paths and files that cannot be read or opened.
pub fn suggest_path(
    path: &Path,
    options: &ReadOptions,
) -> Result<Vec<suggest::Suggestion>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in list_files(path)? {
        let name = p.display().to_string();
        if !is_ledger_name(&name) {
            continue;
        }
        match pms_core::input::read_bytes(&p, "ledger", options.input) {
            Ok(b) => files.push((name, b)),
            Err(d) => diags.push(*d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    suggest::suggest_files(&files, options)
}

/// Reads the files under a path: ledgers (`.xlsx`, `.xlsm`, `.ods`, `.csv`, `.tsv`) and
/// record files (`.json`, `.yaml`, `.yml`, named after their entity), one file or a
/// directory of them. Excel's lock files (`~$…`) and hidden files are passed over.
///
/// # Errors
/// Every problem of every file, located.
pub fn read_path(
    path: &Path,
    options: &ReadOptions,
) -> Result<(Ledgers, Vec<Document>), Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let files = list_files(path)?;
    let mut ledger_files = Vec::new();
    let mut documents = Vec::new();
    let mut diags = Vec::new();
    // Every file must be a regular file, and all of them together within the input limit,
    // before any is read (a device or FIFO is never opened).
    let mut total = 0u64;
    for p in &files {
        match pms_core::input::regular_file(p, "ledger") {
            Ok(meta) => total = total.saturating_add(meta.len()),
            Err(d) => diags.push(*d),
        }
    }
    if !diags.is_empty() {
        pms_core::diagnostic::sort(&mut diags);
        return Err(diags);
    }
    options.input.check(&shown, total).map_err(|d| vec![*d])?;
    for p in files {
        let name = p.display().to_string();
        let file_name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if is_ledger_name(&file_name) {
            match pms_core::input::read_bytes(&p, "ledger", options.input) {
                Ok(b) => ledger_files.push((name, b)),
                Err(d) => diags.push(*d),
            }
            continue;
        }
        let Some(format) = Format::from_name(&file_name) else {
            diags.push(
                Diagnostic::error(codes::IO, format!("`{name}` is no ledger or record file"))
                    .ja(format!("`{name}` は台帳でも記録ファイルでもない"))
                    .at(Location {
                        file: name.clone(),
                        ..Location::default()
                    })
                    .help("pms reads .xlsx, .xlsm, .ods, .csv, .tsv, .json and .yaml files")
                    .help_ja(
                        "pms が読むのは .xlsx、.xlsm、.ods、.csv、.tsv、.json、.yaml のファイル",
                    ),
            );
            continue;
        };
        let stem = file_name.split('.').next().unwrap_or_default().to_owned();
        match pms_core::input::read_text(&p, "records", options.input) {
            Ok(text) => match Document::parse(&name, text, format, Some(stem)) {
                Ok(d) => documents.push(d),
                Err(d) => diags.push(*d),
            },
            Err(d) => diags.push(*d),
        }
    }
    let given_file = !path.is_dir();
    let ledgers = match read_files(&ledger_files, options) {
        // A ledger named on its own that yields no records is an error, not a note: nothing
        // the user hands over is dropped silently.
        Ok(l) if given_file && l.sheets.is_empty() && !ledger_files.is_empty() => {
            let shown = path.display().to_string();
            diags.push(
                Diagnostic::error(
                    codes::NO_HEADER,
                    format!(
                        "`{shown}` holds no ledger pms reads: neither its name nor any of its rows names one"
                    ),
                )
                .ja(format!("`{shown}` に pms が読める台帳がない: 名前からも行からも台帳がわからない"))
                .at(Location {
                    file: shown,
                    ..Location::default()
                })
                .help("name the file or sheet after its ledger (e.g. 教育記録), head its columns with the labels of `pms import --labels`, or give a map (--map)")
                .help_ja("ファイル名かシート名を台帳名（例: 教育記録）にし、列の見出しを `pms import --labels` の表記にするか、対応表（--map）を指定する"),
            );
            None
        }
        Ok(l) => Some(l),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    match ledgers {
        Some(l) if diags.is_empty() => Ok((l, documents)),
        _ => {
            pms_core::diagnostic::sort(&mut diags);
            Err(diags)
        }
    }
}

/// Reads and validates the records under a path (ledgers and record files together).
///
/// # Errors
/// Every problem found, located.
pub fn load_path(
    path: &Path,
    options: &ReadOptions,
    extensions: &Extensions,
) -> Result<(RecordSet, Ledgers), Vec<Diagnostic>> {
    let (mut ledgers, documents) = read_path(path, options)?;
    let set = load(&mut ledgers, documents, extensions)?;
    Ok((set, ledgers))
}

#[cfg(test)]
mod tests {
    use super::{read_files, read_path, ReadOptions};
    use pms_core::diagnostic::codes;
    use pms_core::input::Limits;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pms-ledgers-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn codes_of(r: Result<impl std::fmt::Debug, Vec<pms_core::Diagnostic>>) -> Vec<&'static str> {
        r.unwrap_err().iter().map(|d| d.code).collect()
    }

    const CSV: &str = "id,name,employment_type,start_date\nW-1,甲,正社員,2020-04-01\n";

    /// Everything read — sheets, records, notes, problems in the order found — as text.
    fn read_by(files: &[(String, Vec<u8>)], explain: bool, threads: usize) -> String {
        let options = ReadOptions {
            explain,
            ..ReadOptions::default()
        };
        let mut out = super::Ledgers::default();
        let mut diags = Vec::new();
        super::read_all_by(files, &options, &mut out, &mut diags, threads);
        let records = super::to_json(&out).map(|j| j.to_string());
        format!("{out:?}\n{diags:?}\n{records:?}\n{:?}", out.notes())
    }

    /// A workbook of `sheets` ledgers of 60 rows (past the head), some with problems.
    fn workbook(sheets: u32) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for k in 0..sheets {
            let ws = wb.add_worksheet();
            ws.set_name(if k == 0 {
                "従業者名簿".to_owned()
            } else {
                format!("受講記録 ({k})")
            })
            .unwrap();
            let header: &[&str] = if k == 0 {
                &["社員番号", "氏名", "雇用形態", "入社日"]
            } else {
                &["ID", "受講者", "受講日"]
            };
            for (c, h) in header.iter().enumerate() {
                ws.write_string(1, u16::try_from(c).unwrap(), *h).unwrap();
            }
            for i in 0..60u32 {
                let r = 2 + i;
                if k == 0 {
                    ws.write_string(r, 0, format!("W-{i}")).unwrap();
                    ws.write_string(r, 1, format!("社員 {i}")).unwrap();
                    let kind = if i == 50 { "宇宙人" } else { "正社員" };
                    ws.write_string(r, 2, kind).unwrap();
                    ws.write_string(r, 3, "令和7年4月1日").unwrap();
                } else {
                    ws.write_string(r, 0, format!("TR-{k}-{i}")).unwrap();
                    // By id, by name, by a name no one has.
                    let who = match (i + k) % 3 {
                        0 => format!("W-{i}"),
                        1 => format!("社員{i}"),
                        _ => format!("誰か{k}"),
                    };
                    ws.write_string(r, 1, who).unwrap();
                    let day = if i == 45 + k {
                        "令和7年2月29日"
                    } else {
                        "2025/6/1"
                    };
                    ws.write_string(r, 2, day).unwrap();
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }

    /// Files and sheets read by several threads give what one thread gives, in the same
    /// order: sheets, records, notes and problems.
    #[test]
    fn threads_read_what_one_thread_reads() {
        let book = workbook(7);
        let csv = |k: u32| {
            let mut t = String::from("ID,受講者,受講日\r\n");
            for i in 0..80 {
                let day = if i == 70 - k {
                    "平成32年1月1日"
                } else {
                    "R7.6.1"
                };
                t.push_str(&format!("C-{k}-{i},W-{i},{day}\r\n"));
            }
            encoding_rs::SHIFT_JIS.encode(&t).0.into_owned()
        };
        let mut dir: Vec<(String, Vec<u8>)> = (0..6)
            .map(|k| (format!("受講記録{k}.csv"), csv(k)))
            .collect();
        dir.push(("台帳.xlsx".to_owned(), book.clone()));
        dir.push(("表紙.csv".to_owned(), b"a,b\n1,2\n".to_vec()));
        for explain in [false, true] {
            let one = [("台帳.xlsx".to_owned(), book.clone())];
            let want = read_by(&one, explain, 1);
            assert!(want.contains("E10"), "{want}");
            for threads in [2, 3, 8] {
                assert_eq!(read_by(&one, explain, threads), want);
            }
            let want = read_by(&dir, explain, 1);
            for threads in [2, 3, 8] {
                assert_eq!(read_by(&dir, explain, threads), want);
            }
        }
    }

    /// The record set (each entity's records as pms writes them) or every problem, as text.
    fn load_by(files: &[(String, Vec<u8>)], threads: usize) -> String {
        let mut ledgers = read_files(files, &ReadOptions::default()).unwrap();
        let combined = super::combine(&ledgers).unwrap();
        let none = pms_core::schema::Extensions::none();
        match super::load_rows(&mut ledgers, &combined, Vec::new(), &none, threads) {
            Ok(set) => {
                let counts = set.counts();
                let records: Vec<_> = counts.keys().map(|e| set.entity_json(e)).collect();
                format!("{counts:?}\n{records:?}")
            }
            Err(d) => format!("{d:?}"),
        }
    }

    /// Ledgers loaded by several threads, their long lists in parts, give the record set and
    /// the problems of one thread: duplicate ids across parts, references between parts and
    /// lists, nested rows under records of a later part.
    #[test]
    fn threads_load_what_one_thread_loads() {
        let n = 5000;
        let workforce = |dup: bool| {
            let mut t = String::from("社員番号,氏名,雇用区分,入社日\n");
            for i in 0..n {
                // A duplicate of a record of the first part, in the third.
                let id = if dup && i == 4500 { 10 } else { i };
                t.push_str(&format!("W-{id},社員{i},正社員,2020/4/1\n"));
            }
            t
        };
        let audits = |dangling: bool| {
            let mut t = String::from("ID,監査開始日,監査終了日\n");
            for i in 0..n {
                t.push_str(&format!("IA-{i},2025/4/1,2025/4/2\n"));
            }
            let mut a = String::from("内部監査,監査員\n");
            for i in (0..n).step_by(7) {
                let who = if dangling && i == 4403 { 99_999 } else { i };
                a.push_str(&format!("IA-{i},W-{who}\n"));
            }
            (t, a)
        };
        for bad in [false, true] {
            let (t, a) = audits(bad);
            let files: Vec<(String, Vec<u8>)> = vec![
                ("従業者.csv".to_owned(), workforce(bad).into_bytes()),
                ("内部監査.csv".to_owned(), t.into_bytes()),
                ("内部監査.監査員.csv".to_owned(), a.into_bytes()),
            ];
            let want = load_by(&files, 1);
            if bad {
                assert!(want.contains("E") && want.contains("W-10"), "{want}");
            } else {
                assert!(want.starts_with('{'), "{want}");
            }
            for threads in [2, 3, 8] {
                assert_eq!(load_by(&files, threads), want, "{threads} threads");
            }
        }
    }

    #[test]
    fn ledgers_are_read_within_the_input_limit_before_anything_is_read() {
        let d = scratch("limit");
        std::fs::write(d.join("workforce.csv"), CSV).unwrap();
        std::fs::write(d.join("workforce_2.csv"), CSV).unwrap();
        let ok = ReadOptions::default();
        assert_eq!(read_path(&d, &ok).unwrap().0.sheets.len(), 2);
        let one = u64::try_from(CSV.len()).unwrap();
        // Each file fits, both together do not: the directory is refused as a whole.
        let small = ReadOptions {
            input: Limits {
                max_input_size: one + 1,
            },
            ..ReadOptions::default()
        };
        let e = read_path(&d, &small).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, codes::TOO_LARGE);
        assert!(
            e[0].message.contains(&d.display().to_string()),
            "{}",
            e[0].message
        );
        assert!(read_path(&d.join("workforce.csv"), &small).is_ok());
        // Bytes handed over by a host are bounded the same way.
        let files = vec![
            ("a.csv".to_owned(), CSV.as_bytes().to_vec()),
            ("b.csv".to_owned(), CSV.as_bytes().to_vec()),
        ];
        assert_eq!(codes_of(read_files(&files, &small)), [codes::TOO_LARGE]);
        assert!(read_files(&files[..1], &small).is_ok());
        let none = ReadOptions {
            input: Limits { max_input_size: 0 },
            ..ReadOptions::default()
        };
        assert!(read_files(&files, &none).is_ok());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_as_ledgers() {
        let d = scratch("kinds");
        std::fs::write(d.join("workforce.csv"), CSV).unwrap();
        // A socket named like a ledger, and a link to a device: refused without opening them.
        let _sock = std::os::unix::net::UnixListener::bind(d.join("training.csv")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", d.join("inventory.xlsx")).unwrap();
        let e = read_path(&d, &ReadOptions::default()).unwrap_err();
        let mut got: Vec<_> = e
            .iter()
            .map(|x| (x.code, x.location.as_ref().unwrap().file.clone()))
            .collect();
        got.sort();
        assert_eq!(got.len(), 2, "{e:?}");
        assert!(got.iter().all(|(c, _)| *c == codes::NOT_A_FILE), "{got:?}");
        assert!(got[0].1.ends_with("inventory.xlsx") && got[1].1.ends_with("training.csv"));
        assert_eq!(
            codes_of(read_path(
                &d.join("inventory.xlsx"),
                &ReadOptions::default()
            )),
            [codes::NOT_A_FILE]
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
