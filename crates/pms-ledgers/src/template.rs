//! Writing workbooks in the [`layout`](crate::layout::sheets) the reader recognises: the empty
//! template to fill in (`pms template`), the same filled with records (`pms template
//! --sample`, `pms export`).
//!
//! Every record sheet has Japanese headers with the field name beneath, a note on each header
//! (meaning, type, required or not, an example) and an input message on its cells, drop-down
//! lists of the Japanese names of enum values, `○`/`×` for yes/no fields, date cells
//! formatted `yyyy/mm/dd`, and on reference columns a drop-down of the ids in the referenced
//! sheet's id column. The first sheet explains how to fill the workbook, in Japanese and
//! English.
//!
//! The output is deterministic (the document's creation date is fixed, sheets and records
//! are in model and id order), so a workbook checked into a repository can be compared with
//! a freshly written one.

use crate::layout::{self, Column, ColumnKind, SheetLayout};
use pms_core::diagnostic::{codes, Location};
use pms_core::labels;
use pms_core::schema::{Ty, STRUCTS};
use pms_core::value::{RecRef, Value};
use pms_core::{Diagnostic, RecordSet};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError,
};

/// The section of `docs/import.md` about the template ([`crate::docs`]).
pub const DOCS: &str = include_str!("template_docs.md");

/// The creation date written into every workbook, so that output is byte-identical.
const CREATED: (u16, u8, u8) = (2026, 1, 1);
/// The most characters Excel holds in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// The most rows a worksheet holds (Excel's limit), the title and header rows included.
pub const MAX_ROWS: u32 = 1_048_576;
/// The rows from which a sheet is written through a temporary file instead of memory (with
/// the `stream` feature): a ledger of a million rows then takes little more memory than
/// its records.
const STREAM_ROWS: usize = 50_000;
/// Rows below the records that still get drop-downs and input help.
const SPARE_ROWS: u32 = 1000;
/// Yes and no as written.
pub const YES: &str = "○";
/// No as written.
pub const NO: &str = "×";
/// The marks that separate list items typed on one line (`value::split_list`).
const LIST_MARKS: &[char] = &['、', ',', '，', '・', '･', ';', '；'];
/// The date format of date cells.
const DATE_FORMAT: &str = "yyyy/mm/dd";
/// The end of the title cell of an entity recorded with no record, which an empty sheet
/// (not recorded at all) lacks.
pub const EMPTY_MARK: &str = "記録なし (0 records)";

/// The empty template: every sheet with headers, help and drop-downs, no record.
///
/// # Errors
/// Only if the writer fails (a bug): code `E1011`.
pub fn template() -> Result<Vec<u8>, Vec<Diagnostic>> {
    write(None, MAX_ROWS, STREAM_ROWS)
}

/// The records in the template's layout (every sheet; the sheets of entities the set does
/// not record stay empty). A ledger with more rows than a worksheet holds ([`MAX_ROWS`],
/// the title and header rows included) continues on sheets of its own named by
/// [`layout::part_name`] (`受講記録 (training_records) (2)` …), headers repeated; the reader
/// reads the parts back as one ledger.
///
/// # Errors
/// A value a workbook cannot hold (a text longer than 32,767 characters): code `E1040`,
/// located by entity, record and field; every such value is reported.
pub fn export(records: &RecordSet) -> Result<Vec<u8>, Vec<Diagnostic>> {
    export_split(records, MAX_ROWS)
}

/// [`export`] with at most `sheet_rows` rows on a worksheet, the title and header rows
/// included (at least one record per sheet, at most [`MAX_ROWS`]): a ledger longer than that
/// continues on further sheets. [`export`] splits at Excel's limit; a smaller limit shows the
/// split on small records.
///
/// # Errors
/// As [`export`].
pub fn export_split(records: &RecordSet, sheet_rows: u32) -> Result<Vec<u8>, Vec<Diagnostic>> {
    write(Some(records), sheet_rows, STREAM_ROWS)
}

fn write(
    records: Option<&RecordSet>,
    sheet_rows: u32,
    stream_rows: usize,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let sheets = layout::sheets();
    // First pass: every problem, and the rows and column widths of each sheet; the rows are
    // made again as they are written, so a large set is never held twice in memory.
    let mut surveys = Vec::with_capacity(sheets.len());
    let mut diags = Vec::new();
    for sheet in &sheets {
        let mut survey = Survey::new(sheet, records);
        if let Some(set) = records {
            let counted = each_row(set, sheet, &mut diags, &mut |row: Vec<Out>| {
                survey.add(&row);
                Ok(())
            });
            if let Err(e) = counted {
                return Err(vec![write_error(&e)]);
            }
        }
        surveys.push(survey);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let per = sheet_rows.clamp(layout::FIRST_DATA_ROW + 1, MAX_ROWS) - layout::FIRST_DATA_ROW;
    let parts: Vec<Vec<Part>> = sheets
        .iter()
        .zip(&surveys)
        .map(|(sheet, survey)| parts(sheet, survey.rows, per as usize))
        .collect();
    let book = Book {
        sheets: &sheets,
        surveys: &surveys,
        parts: &parts,
        stream_rows,
    };
    book.build(records).map_err(|e| vec![write_error(&e)])
}

fn write_error(e: &XlsxError) -> Diagnostic {
    Diagnostic::error(codes::IO, format!("cannot write the workbook: {e}"))
        .ja(format!("ブックを書き込めない: {e}"))
}

/// One cell value as written.
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Blank,
    Text(String),
    Number(f64),
    Date(chrono::NaiveDate),
}

/// What the first pass learns of a sheet: whether its entity is recorded at all, how many
/// rows it has, and the longest line of text in each column.
#[derive(Debug)]
struct Survey {
    present: bool,
    rows: usize,
    longest: Vec<Option<usize>>,
}

impl Survey {
    fn new(sheet: &SheetLayout, records: Option<&RecordSet>) -> Survey {
        let present = records.is_some_and(|set| {
            entity_index(sheet).is_some_and(|entity| set.count(entity).is_some())
        });
        Survey {
            present,
            rows: 0,
            longest: vec![None; sheet.columns.len()],
        }
    }

    fn add(&mut self, row: &[Out]) {
        self.rows += 1;
        for (longest, out) in self.longest.iter_mut().zip(row) {
            if let Out::Text(t) = out {
                let w = t.lines().map(text_width).max().unwrap_or(0);
                *longest = Some(longest.map_or(w, |l| l.max(w)));
            }
        }
    }

    /// The width of each column: its header's, widened to its longest line of data up to
    /// [`MAX_WIDTH`]; texts typed in a blank template have some room.
    fn widths(&self, sheet: &SheetLayout) -> Vec<usize> {
        sheet
            .columns
            .iter()
            .zip(&self.longest)
            .map(|(c, longest)| {
                let header = text_width(&c.ja).max(c.key.len());
                let room = match c.field.ty {
                    Ty::Str | Ty::List(_) => 20,
                    _ => MIN_WIDTH,
                };
                (header.max(longest.unwrap_or(room)).max(MIN_WIDTH) + 2).min(MAX_WIDTH)
            })
            .collect()
    }
}

/// The index of a sheet's entity in the model.
fn entity_index(sheet: &SheetLayout) -> Option<u16> {
    STRUCTS
        .iter()
        .position(|s| std::ptr::eq(s, sheet.entity))
        .and_then(|i| u16::try_from(i).ok())
}

fn record_refs(set: &RecordSet, entity: u16) -> impl Iterator<Item = RecRef> + '_ {
    let n = set.count(entity).unwrap_or(0);
    (0..n).filter_map(move |row| {
        Some(RecRef {
            entity,
            row: u32::try_from(row).ok()?,
        })
    })
}

/// One worksheet of a sheet's records: all of them, or one part of a ledger too long for one
/// worksheet.
#[derive(Debug)]
struct Part {
    /// The worksheet's name ([`layout::part_name`]).
    name: String,
    /// Which part (1-based) of how many.
    number: usize,
    of: usize,
    /// The sheet's rows this part holds.
    rows: std::ops::Range<usize>,
    /// The last 0-based row with drop-downs and input help.
    last_row: u32,
}

/// The parts of a sheet of `n` rows, at most `per` rows each (one part when empty).
fn parts(sheet: &SheetLayout, n: usize, per: usize) -> Vec<Part> {
    let per = per.max(1);
    let of = n.div_ceil(per).max(1);
    (0..of)
        .map(|i| {
            let rows = (i * per).min(n)..((i + 1) * per).min(n);
            let held = u32::try_from(rows.len()).unwrap_or(MAX_ROWS);
            Part {
                name: layout::part_name(sheet, i + 1),
                number: i + 1,
                of,
                last_row: (layout::FIRST_DATA_ROW + held.max(SPARE_ROWS) + SPARE_ROWS / 2)
                    .min(MAX_ROWS - 1),
                rows,
            }
        })
        .collect()
}

/// Makes the rows of a sheet in order and hands each to `f`; a value a workbook cannot hold
/// is reported in `diags`.
fn each_row(
    set: &RecordSet,
    sheet: &SheetLayout,
    diags: &mut Vec<Diagnostic>,
    f: &mut dyn FnMut(Vec<Out>) -> Result<(), XlsxError>,
) -> Result<(), XlsxError> {
    let Some(entity) = entity_index(sheet) else {
        return Ok(());
    };
    for r in record_refs(set, entity) {
        let id = set.id(r).map(ToString::to_string).unwrap_or_default();
        let at = |field: &str| Location {
            file: sheet.name.clone(),
            pointer: Some(format!("/{}/{id}/{field}", sheet.entity.name)),
            field: Some(field.to_owned()),
            ..Location::default()
        };
        match sheet.list_field {
            None => {
                let row = sheet
                    .columns
                    .iter()
                    .map(|c| {
                        let v = record_path(set, r, &c.path);
                        cell(set, c, &v, &|| at(&c.key), diags)
                    })
                    .collect();
                f(row)?;
            }
            Some(list_field) => {
                let Some(slot) = sheet
                    .entity
                    .fields
                    .iter()
                    .position(|f| f.name == list_field.name)
                else {
                    continue;
                };
                let Value::List(objects) = set.field(r, slot) else {
                    continue;
                };
                for (n, obj) in objects.iter().enumerate() {
                    let row = sheet
                        .columns
                        .iter()
                        .map(|c| match c.kind {
                            ColumnKind::Parent => Out::Text(id.clone()),
                            ColumnKind::Field => {
                                let v = object_path(obj, &c.path);
                                let field = || at(&format!("{}/{n}/{}", list_field.name, c.key));
                                cell(set, c, &v, &field, diags)
                            }
                        })
                        .collect();
                    f(row)?;
                }
            }
        }
    }
    Ok(())
}

/// The value at a field path of a record (`["leave", "from"]`).
fn record_path(set: &RecordSet, r: RecRef, path: &[&str]) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return Value::Null;
    };
    let Some(shape) = STRUCTS.get(usize::from(r.entity)) else {
        return Value::Null;
    };
    let Some(slot) = shape.fields.iter().position(|f| f.name == *first) else {
        return Value::Null;
    };
    let v = set.field(r, slot);
    if rest.is_empty() {
        v
    } else {
        object_path(&v, rest)
    }
}

/// The value at a field path of a nested object.
fn object_path(v: &Value, path: &[&str]) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return v.clone();
    };
    let Value::Obj(obj) = v else {
        return Value::Null;
    };
    let Some(shape) = STRUCTS.get(usize::from(obj.shape)) else {
        return Value::Null;
    };
    let Some(slot) = shape.fields.iter().position(|f| f.name == *first) else {
        return Value::Null;
    };
    let inner = obj.fields.get(slot).cloned().unwrap_or(Value::Null);
    object_path(&inner, rest)
}

/// The text of one value inside a list cell or a text cell.
fn text_of(set: &RecordSet, ty: &Ty, v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => (if *b { YES } else { NO }).to_owned(),
        Value::Int(i) => i.to_string(),
        Value::Num(n) => n.to_string(),
        Value::Str(s) => match ty {
            Ty::Enum(_) => {
                labels::value_label(s).map_or_else(|| s.to_string(), |l| l.ja.to_owned())
            }
            _ => s.to_string(),
        },
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Dur(d) => d.to_string(),
        Value::Rec(r) => set.id(*r)?.to_string(),
        Value::List(_) | Value::Obj(_) => return None,
    })
}

/// The largest whole number a workbook number cell holds exactly.
const EXACT: i64 = 1 << 53;

fn cell(
    set: &RecordSet,
    c: &Column,
    v: &Value,
    at: &dyn Fn() -> Location,
    diags: &mut Vec<Diagnostic>,
) -> Out {
    let out = match (v, c.field.ty) {
        (Value::Null, _) => Out::Blank,
        (Value::List(items), Ty::List(inner)) => {
            let texts: Vec<String> = items
                .iter()
                .filter_map(|x| text_of(set, inner, x))
                .collect();
            if texts.is_empty() {
                Out::Blank
            } else {
                let mut joined = texts.join("\n");
                // One item holding a list mark: a line break after it says it is one item
                // (a cell with a line break is split at line breaks only).
                if !joined.contains('\n') && joined.contains(LIST_MARKS) {
                    joined.push('\n');
                }
                Out::Text(joined)
            }
        }
        (Value::Int(i), _) if (-EXACT..=EXACT).contains(i) => {
            #[allow(clippy::cast_precision_loss)] // exact within ±2^53
            Out::Number(*i as f64)
        }
        (Value::Num(n), _) => Out::Number(*n),
        (Value::Date(d), _) if excel_date(*d).is_some() => Out::Date(*d),
        (other, ty) => text_of(set, &ty, other).map_or(Out::Blank, Out::Text),
    };
    if let Out::Text(t) = &out {
        let n = t.chars().count();
        if n > MAX_CELL_CHARS {
            diags.push(
                Diagnostic::error(
                    codes::UNWRITABLE,
                    format!("a text of {n} characters does not fit in a workbook cell (at most {MAX_CELL_CHARS})"),
                )
                .ja(format!("{n} 文字の文字列はブックのセルに入らない（最大 {MAX_CELL_CHARS}）"))
                .at(at())
                .help("shorten the text, or point to a file holding it (source_ref)")
                .help_ja("文字列を短くするか、それを収めたファイルを指す（source_ref）"),
            );
        }
    }
    out
}

/// The date as a workbook date, when a workbook can hold it (years 1900 to 9999).
fn excel_date(d: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    // Excel's 1900 system counts a 29 February 1900 that never was; dates before March
    // 1900 would read back a day off, so they are written as text.
    if d < chrono::NaiveDate::from_ymd_opt(1900, 3, 1)? {
        return None;
    }
    ExcelDateTime::from_ymd(
        year,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

/// The formats of a workbook.
struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    header_required: Format,
    text: Format,
    date: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_background_color(Color::RGB(0x00DD_EBF7));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_font_color(Color::RGB(0x0059_5959)),
            header_required: header.clone().set_background_color(Color::RGB(0x00FC_E4D6)),
            header,
            text: Format::new()
                .set_num_format("@")
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format(DATE_FORMAT)
                .set_align(FormatAlign::Top),
            number: Format::new().set_align(FormatAlign::Top),
        }
    }
}

fn type_words(ty: &Ty) -> (String, String) {
    match ty {
        Ty::Str => ("文字列".into(), "text".into()),
        Ty::Int => ("整数".into(), "whole number".into()),
        Ty::Num => ("数値".into(), "number".into()),
        Ty::Bool => (format!("{YES} / {NO}"), "yes / no".into()),
        Ty::Date => ("日付 (yyyy/mm/dd)".into(), "date (yyyy/mm/dd)".into()),
        Ty::Enum(_) => ("選択肢から1つ".into(), "one of a list".into()),
        Ty::Ref(target) => {
            let ja = labels::struct_labels(target).map_or(*target, |l| l.ja);
            (format!("{ja}のID"), format!("id of a {target} record"))
        }
        Ty::List(inner) => {
            let (ja, en) = type_words(inner);
            (
                format!("{ja}の一覧 (1行に1つ)"),
                format!("list of {en} (one per line)"),
            )
        }
        Ty::Obj(name) => (name.to_string(), name.to_string()),
    }
}

fn example(ty: &Ty) -> String {
    match ty {
        Ty::Str => "…".into(),
        Ty::Int => "12".into(),
        Ty::Num => "85.5".into(),
        Ty::Bool => YES.into(),
        Ty::Date => "2026/04/01".into(),
        Ty::Enum(values) => values
            .first()
            .map(|v| labels::value_label(v).map_or(*v, |l| l.ja).to_owned())
            .unwrap_or_default(),
        Ty::Ref(target) => match target.chars().next() {
            Some(c) => format!("{}001", c.to_ascii_uppercase()),
            None => String::new(),
        },
        Ty::List(inner) => {
            let one = example(inner);
            format!("{one}\n{one}")
        }
        Ty::Obj(_) => String::new(),
    }
}

fn enum_labels(values: &[&str]) -> Vec<String> {
    values
        .iter()
        .map(|v| labels::value_label(v).map_or(*v, |l| l.ja).to_owned())
        .collect()
}

/// The help of a column: the header's note.
fn note_text(c: &Column) -> String {
    let (ty_ja, ty_en) = type_words(&c.field.ty);
    let mut out = format!(
        "{}（{}）\n{}\n型: {ty_ja} / type: {ty_en}\n{}",
        c.ja,
        c.key,
        if c.required {
            "必須 / required"
        } else {
            "任意 / optional"
        },
        if c.kind == ColumnKind::Parent {
            "この項目が属する記録のID / id of the record this entry belongs to"
        } else {
            c.field.doc
        }
    );
    if let Some(values) = labels::enum_values(&c.field.ty) {
        out.push_str(&format!(
            "\n選択肢 / values: {}",
            enum_labels(values).join("、")
        ));
    }
    out.push_str(&format!(
        "\n例 / e.g.: {}",
        example(&c.field.ty).replace('\n', " ↵ ")
    ));
    out
}

/// The input message of a column's cells (Excel: at most 255 characters).
fn input_message(c: &Column) -> String {
    let (ty_ja, ty_en) = type_words(&c.field.ty);
    let text = format!(
        "{} {}\n{ty_ja} / {ty_en}\n{}",
        if c.required { "必須" } else { "任意" },
        c.key,
        if c.kind == ColumnKind::Parent {
            "id of the record this entry belongs to"
        } else {
            c.field.doc
        }
    );
    truncate_utf16(&text, 255)
}

fn truncate_utf16(text: &str, max: usize) -> String {
    let mut n = 0;
    text.chars()
        .take_while(|c| {
            n += c.len_utf16();
            n <= max
        })
        .collect()
}

fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

/// The longest formula a data validation holds (Excel's limit).
const MAX_VALIDATION_FORMULA: usize = 255;

/// The validation of a column's cells (the column `col` of a sheet): a drop-down of an enum's
/// names, of ○/×, of the ids of the referenced sheet; dates between 1900 and 9999.
fn validation(
    c: &Column,
    col: u16,
    sheets: &[SheetLayout],
    parts: &[Vec<Part>],
) -> Result<DataValidation, XlsxError> {
    let base = DataValidation::new();
    let v = match c.field.ty {
        Ty::Enum(values) => {
            let list = enum_labels(values);
            let joined: usize = list.iter().map(|s| s.encode_utf16().count() + 1).sum();
            if joined <= 255 {
                base.allow_list_strings(&list)?
            } else {
                base.allow_any_value()
            }
        }
        Ty::Bool => base.allow_list_strings(&[YES, NO])?,
        Ty::Date => {
            let from = ExcelDateTime::from_ymd(1900, 3, 1)?;
            let to = ExcelDateTime::from_ymd(9999, 12, 31)?;
            base.allow_date(DataValidationRule::Between(from, to))
        }
        Ty::Ref(target) if c.kind == ColumnKind::Field => {
            match layout::id_column_of(sheets, target)
                .and_then(|(i, id_col)| Some((parts.get(i)?.as_slice(), id_col)))
            {
                Some(([one], id_col)) => {
                    let column = crate::grid::column_name(u32::from(id_col));
                    base.allow_list_formula(Formula::new(format!(
                        "={}!${column}${}:${column}${}",
                        quoted(&one.name),
                        layout::FIRST_DATA_ROW + 1,
                        one.last_row + 1
                    )))
                }
                // Excel's drop-down lists one range of one sheet: the ids of a ledger split
                // over several sheets are checked by counting the value on every part.
                Some((many, id_col)) => {
                    let column = crate::grid::column_name(u32::from(id_col));
                    let here = format!(
                        "{}{}",
                        crate::grid::column_name(u32::from(col)),
                        layout::FIRST_DATA_ROW + 1
                    );
                    let counts: Vec<String> = many
                        .iter()
                        .map(|p| {
                            format!(
                                "COUNTIF({}!${column}${}:${column}${},{here})",
                                quoted(&p.name),
                                layout::FIRST_DATA_ROW + 1,
                                p.last_row + 1
                            )
                        })
                        .collect();
                    let formula = format!("=SUM({})>0", counts.join(","));
                    if formula.encode_utf16().count() <= MAX_VALIDATION_FORMULA {
                        base.allow_custom(Formula::new(formula))
                    } else {
                        base.allow_any_value()
                    }
                }
                None => base.allow_any_value(),
            }
        }
        _ => base.allow_any_value(),
    };
    let title = truncate_utf16(&c.ja, 32);
    v.set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title(title)?
        .set_input_message(input_message(c))
}

/// The width of a text in character cells (a Japanese character takes two).
fn text_width(t: &str) -> usize {
    t.chars().map(|ch| if ch.is_ascii() { 1 } else { 2 }).sum()
}

/// The narrowest and widest a column is made, in character cells.
const MIN_WIDTH: usize = 10;
const MAX_WIDTH: usize = 40;

/// The lines a row's tallest cell takes (explicit line breaks and wrapped lines), so the row
/// is made tall enough to show it (not every spreadsheet program fits rows on opening).
fn row_lines(row: &[Out], widths: &[usize]) -> usize {
    row.iter()
        .zip(widths)
        .filter_map(|(out, w)| match out {
            Out::Text(t) => Some(
                t.lines()
                    .map(|l| text_width(l).div_ceil((*w).saturating_sub(1).max(1)).max(1))
                    .sum::<usize>(),
            ),
            _ => None,
        })
        .max()
        .unwrap_or(1)
}

/// The workbook's plan: its sheets, what the first pass found in each, their parts, and the
/// rows from which a part is written through a temporary file.
struct Book<'a> {
    sheets: &'a [SheetLayout],
    surveys: &'a [Survey],
    parts: &'a [Vec<Part>],
    #[cfg_attr(
        not(any(feature = "stream", test)),
        allow(dead_code, reason = "streaming is the `stream` feature's")
    )]
    stream_rows: usize,
}

impl Book<'_> {
    fn build(&self, records: Option<&RecordSet>) -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
        wb.set_properties(
            &DocProperties::new()
                .set_title("pms 台帳 / pms ledgers")
                .set_subject("JIS Q 15001 / プライバシーマーク")
                .set_author("pms")
                .set_creation_datetime(&created),
        );
        let f = Formats::new();
        instructions(wb.add_worksheet(), self.sheets, self.parts, &f)?;
        let mut index = 0;
        for ((sheet, survey), own) in self.sheets.iter().zip(self.surveys).zip(self.parts) {
            let widths = survey.widths(sheet);
            let page = |part| Page {
                sheet,
                survey,
                part,
                widths: &widths,
            };
            // The first part now, the others when their first row comes.
            let mut current = 0;
            if let Some(first) = own.first() {
                index += 1;
                self.open(&mut wb, &page(first), records.is_some(), &f)?;
            }
            let Some(set) = records else { continue };
            let mut row = 0;
            each_row(set, sheet, &mut Vec::new(), &mut |cells| {
                while own.get(current).is_some_and(|p| row >= p.rows.end) {
                    current += 1;
                    if let Some(next) = own.get(current) {
                        index += 1;
                        self.open(&mut wb, &page(next), true, &f)?;
                    }
                }
                let part = own
                    .get(current)
                    .ok_or_else(|| XlsxError::ParameterError("a row beyond the parts".into()))?;
                let ws = wb.worksheet_from_index(index)?;
                let r = u32::try_from(row - part.rows.start).unwrap_or(MAX_ROWS);
                write_row(ws, layout::FIRST_DATA_ROW + r, &cells, &widths, &f)?;
                row += 1;
                Ok(())
            })?;
        }
        wb.save_to_buffer()
    }

    /// Adds the worksheet of a part with its title, headers, help and drop-downs; a large part
    /// is written row by row through a temporary file (rust_xlsxwriter's constant memory
    /// mode), where the build has it. Its texts are written in their cells: the low memory
    /// mode (shared strings) was measured on L (docs/benchmarks.md, 2026-11-28) — it unzips
    /// to 14 % less but the file is 6 % larger and the export takes 19 % more CPU and 18 %
    /// more memory, for 7 % less CPU reading it back.
    fn open(
        &self,
        wb: &mut Workbook,
        page: &Page<'_>,
        filled: bool,
        f: &Formats,
    ) -> Result<(), XlsxError> {
        #[cfg(any(feature = "stream", test))]
        let ws = if page.part.rows.len() >= self.stream_rows {
            wb.add_worksheet_with_constant_memory()?
        } else {
            wb.add_worksheet()
        };
        #[cfg(not(any(feature = "stream", test)))]
        let ws = wb.add_worksheet();
        record_sheet(ws, self.sheets, self.parts, page, filled, f)
    }
}

/// One worksheet to write: a part of a sheet's rows, with the sheet's column widths.
struct Page<'a> {
    sheet: &'a SheetLayout,
    survey: &'a Survey,
    part: &'a Part,
    widths: &'a [usize],
}

/// Writes the title, headers, help, drop-downs and print settings of a record sheet.
fn record_sheet(
    ws: &mut Worksheet,
    sheets: &[SheetLayout],
    parts: &[Vec<Part>],
    page: &Page<'_>,
    filled: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    let Page {
        sheet,
        survey,
        part,
        widths,
    } = *page;
    ws.set_name(&part.name)?;
    ws.set_default_note_author("pms");
    let what = match sheet.list_field {
        None => "1行に1件 / one record per row".to_owned(),
        Some(field) => format!(
            "{}の{}: 1行に1つ、所属する記録のIDを左端に / one entry of `{}` per row, the id of its record first",
            labels::struct_labels(sheet.entity.name).map_or(sheet.entity.name, |l| l.ja),
            labels::field_label(sheet.entity.name, field.name).map_or(field.name, |l| l.ja),
            field.name
        ),
    };
    // One title cell (a long title runs over the empty cells beside it).
    let note = if filled && survey.present && survey.rows == 0 {
        EMPTY_MARK.to_owned()
    } else {
        what
    };
    let of = if part.of > 1 {
        format!(" ({}/{})", part.number, part.of)
    } else {
        String::new()
    };
    ws.write_string_with_format(
        layout::TITLE_ROW,
        0,
        format!("{} — {}{of}　　{note}", sheet.ja, sheet.key),
        &f.title,
    )?;
    ws.set_row_height(layout::HEADER_ROW, 32)?;
    for (i, c) in sheet.columns.iter().enumerate() {
        let col =
            u16::try_from(i).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
        let header_format = if c.required {
            &f.header_required
        } else {
            &f.header
        };
        ws.write_string_with_format(layout::HEADER_ROW, col, &c.header, header_format)?;
        ws.insert_note(
            layout::HEADER_ROW,
            col,
            &Note::new(note_text(c))
                .set_author("pms")
                .add_author_prefix(false)
                .set_width(320)
                .set_height(180),
        )?;
        #[allow(clippy::cast_precision_loss)] // at most MAX_WIDTH
        ws.set_column_width(col, widths.get(i).copied().unwrap_or(MIN_WIDTH) as f64)?;
        let column_format = match c.field.ty {
            Ty::Date => &f.date,
            Ty::Int | Ty::Num => &f.number,
            _ => &f.text,
        };
        ws.set_column_format(col, column_format)?;
        ws.add_data_validation(
            layout::FIRST_DATA_ROW,
            col,
            part.last_row,
            col,
            &validation(c, col, sheets, parts)?,
        )?;
    }
    ws.set_freeze_panes(layout::FIRST_DATA_ROW, 0)?;
    // Printed: A4 landscape, the title and headers on every page.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_repeat_rows(layout::TITLE_ROW, layout::HEADER_ROW)?;
    Ok(())
}

/// Writes one row of records at row `r`, tall enough for its tallest cell.
fn write_row(
    ws: &mut Worksheet,
    r: u32,
    row: &[Out],
    widths: &[usize],
    f: &Formats,
) -> Result<(), XlsxError> {
    let lines = row_lines(row, widths);
    if lines > 1 {
        #[allow(clippy::cast_precision_loss)] // at most 27 lines
        ws.set_row_height(r, (15 * lines.min(27)) as f64)?;
    }
    for (c, out) in row.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        match out {
            Out::Blank => {}
            Out::Text(t) => {
                ws.write_string_with_format(r, c, t, &f.text)?;
            }
            Out::Number(x) => {
                ws.write_number_with_format(r, c, *x, &f.number)?;
            }
            Out::Date(d) => {
                if let Some(x) = excel_date(*d) {
                    ws.write_datetime_with_format(r, c, &x, &f.date)?;
                }
            }
        }
    }
    Ok(())
}

/// The first sheet: how to fill the workbook, in Japanese and English, and its sheets.
fn instructions(
    ws: &mut Worksheet,
    sheets: &[SheetLayout],
    parts: &[Vec<Part>],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(layout::INSTRUCTIONS_SHEET)?;
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 32)?;
    ws.set_column_width(2, 44)?;
    ws.set_column_width(3, 12)?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(0, 0, "pms 台帳ワークブック — 記入方法", &f.title)?;
    ws.write_string_with_format(1, 0, "pms ledger workbook — how to fill it", &f.subtitle)?;
    let lines: &[(&str, &str)] = &[
        (
            "台帳ごとに1シート、1行に1件の記録を記入します。見出し（2行目）は変更しないでください。",
            "One sheet per ledger, one record per row. Keep the headers (row 2) as they are.",
        ),
        (
            "見出しにカーソルを合わせると、項目の意味・型・必須か任意か・記入例が表示されます。",
            "Hover over a header for the field's meaning, type, whether it is required, and an example.",
        ),
        (
            "見出しがオレンジ色の項目は必須です。IDはワークブック全体で重複しない値にします。",
            "Orange headers are required. Ids must be unique across the whole workbook.",
        ),
        (
            "選択肢のある項目と○/×の項目はドロップダウンから選びます。",
            "Fields with a fixed vocabulary and yes/no fields (○/×) have a drop-down list.",
        ),
        (
            "日付は 2026/04/01 の形で入力します（令和7年4月1日、R7.4.1 も読めます）。",
            "Enter dates as 2026/04/01 (Japanese era dates such as 令和7年4月1日 or R7.4.1 are read too).",
        ),
        (
            "他の台帳の記録を指す列（所属、受講者など）は、その台帳のIDをドロップダウンから選びます。",
            "Columns that point to another ledger's record (department, attendee …) offer that ledger's ids.",
        ),
        (
            "複数の値は1つのセルに1行に1つずつ（Alt+Enter で改行）記入します。",
            "Several values go in one cell, one per line (Alt+Enter starts a new line).",
        ),
        (
            "「組織.拠点」のように「.」で分かれたシートは、左端の列にその項目が属する記録のIDを書きます。",
            "Sheets named like 組織.拠点 hold entries of a list; their first column is the id of the record they belong to.",
        ),
        (
            "記録のないシートは「未記録」として扱われます（空欄のままで構いません）。",
            "A sheet without records counts as not recorded (leave it empty).",
        ),
        (
            "点検: pms check このファイル.xlsx    検証のみ: pms validate このファイル.xlsx",
            "Check: pms check this-file.xlsx    Validate only: pms validate this-file.xlsx",
        ),
        (
            "このファイルはお使いのパソコンの中だけで読まれ、どこにも送信されません。",
            "The file is read on your computer only; nothing is sent anywhere.",
        ),
    ];
    // One line per row, not wrapped: a long line runs over the empty cells beside it.
    let mut row = 3;
    for (ja, en) in lines {
        ws.write_string(row, 0, *ja)?;
        ws.write_string_with_format(row + 1, 0, *en, &f.subtitle)?;
        row += 2;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "シート / sheet", &f.header)?;
    ws.write_string_with_format(row, 1, "英語名 / key", &f.header)?;
    ws.write_string_with_format(row, 2, "内容 / holds", &f.header)?;
    ws.write_string_with_format(row, 3, "件数 / rows", &f.header)?;
    row += 1;
    for (sheet, own) in sheets.iter().zip(parts) {
        for part in own {
            ws.write_string(row, 0, &part.name)?;
            ws.write_string(row, 1, &sheet.key)?;
            let holds = match sheet.list_field {
                None => format!(
                    "{} ({} 列 / columns)",
                    sheet.entity.name_ja,
                    sheet.columns.len()
                ),
                Some(field) => format!("{} → {}", sheet.entity.name, field.doc),
            };
            let holds = if part.of > 1 {
                format!("{holds} — {}/{}", part.number, part.of)
            } else {
                holds
            };
            ws.write_string(row, 2, holds)?;
            #[allow(clippy::cast_precision_loss)] // at most a worksheet's rows
            ws.write_number(row, 3, part.rows.len() as f64)?;
            row += 1;
        }
    }
    ws.set_active(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    const SAMPLE: &str = include_str!("../../../examples/mimoto/records.yaml");

    fn sample() -> RecordSet {
        pms_core::records::load_str("records.yaml", SAMPLE, pms_core::records::Format::Yaml)
            .unwrap()
    }

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap()
    }

    fn text(d: Option<&Data>) -> String {
        match d {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => format!("{other:?}"),
        }
    }

    #[test]
    fn the_template_has_the_instructions_then_one_sheet_per_layout_sheet_and_no_record() {
        let bytes = template().unwrap();
        let mut wb = open(bytes);
        let names = wb.sheet_names();
        let sheets = layout::sheets();
        assert_eq!(
            names.first().map(String::as_str),
            Some(layout::INSTRUCTIONS_SHEET)
        );
        assert_eq!(
            names[1..].to_vec(),
            sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>()
        );
        for s in &sheets {
            let range = wb.worksheet_range(&s.name).unwrap();
            for (i, c) in s.columns.iter().enumerate() {
                let got = range.get_value((layout::HEADER_ROW, u32::try_from(i).unwrap()));
                assert_eq!(text(got), c.header, "{}", s.name);
            }
            // nothing below the headers
            assert!(range.end().unwrap().0 <= layout::HEADER_ROW, "{}", s.name);
        }
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(template().unwrap(), template().unwrap());
        let set = sample();
        assert_eq!(export(&set).unwrap(), export(&set).unwrap());
    }

    #[test]
    fn the_sample_is_written_cell_by_cell_in_the_layout() {
        let set = sample();
        let mut wb = open(export(&set).unwrap());
        let sheets = layout::sheets();
        let sheet = |key: &str| sheets.iter().find(|s| s.key == key).unwrap();
        // Workforce: one row per person in id order; dates are date cells, enums Japanese.
        let wf = sheet("workforce");
        let range = wb.worksheet_range(&wf.name).unwrap();
        let n = set.count_by_name("workforce").unwrap();
        let col = |key: &str| u32::from(wf.column_of(key).unwrap());
        let mut ids = Vec::new();
        for row in 0..n {
            let r = layout::FIRST_DATA_ROW + u32::try_from(row).unwrap();
            ids.push(text(range.get_value((r, col("id")))));
            let rec = set.by_id(ids.last().unwrap()).unwrap();
            let slot = |f: &str| pms_core::schema::field_slot(rec.entity, f).unwrap();
            match set.field(rec, slot("start_date")) {
                Value::Date(d) => match range.get_value((r, col("start_date"))) {
                    Some(Data::DateTime(x)) => {
                        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                        assert_eq!(x.as_f64(), (d - epoch).num_days() as f64);
                    }
                    other => panic!("start_date {other:?}"),
                },
                Value::Null => assert!(range
                    .get_value((r, col("start_date")))
                    .is_none_or(|c| *c == Data::Empty)),
                other => panic!("{other:?}"),
            }
            match set.field(rec, slot("employment_type")) {
                Value::Str(v) => {
                    let ja = labels::value_label(&v).map_or(v.to_string(), |l| l.ja.to_owned());
                    assert_eq!(text(range.get_value((r, col("employment_type")))), ja);
                }
                other => assert_eq!(other, Value::Null),
            }
        }
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert!(range.end().unwrap().0 < layout::FIRST_DATA_ROW + u32::try_from(n).unwrap());
        // Organisation sites: a sheet of their own, the organisation's id first.
        let sites = sheet("organization.sites");
        let range = wb.worksheet_range(&sites.name).unwrap();
        let org = set
            .by_id(&text(
                wb.worksheet_range(&sheet("organization").name)
                    .unwrap()
                    .get_value((layout::FIRST_DATA_ROW, 0)),
            ))
            .unwrap();
        let Value::List(list) = set.field(
            org,
            pms_core::schema::field_slot(org.entity, "sites").unwrap(),
        ) else {
            panic!("the sample has sites")
        };
        assert!(!list.is_empty());
        for (i, site) in list.iter().enumerate() {
            let r = layout::FIRST_DATA_ROW + u32::try_from(i).unwrap();
            assert_eq!(
                text(range.get_value((r, 0))),
                set.id(org).unwrap().to_string()
            );
            let Value::Obj(o) = site else { panic!() };
            let Value::Str(id) = &o.fields[0] else {
                panic!()
            };
            assert_eq!(text(range.get_value((r, 1))), id.to_string());
        }
    }

    #[test]
    fn lists_are_one_value_per_line_and_booleans_circles_and_crosses() {
        let yaml = "workforce:\n  - {id: E1, name: 山田, employment_type: 正社員, start_date: 2025-04-01}\ninventory:\n  - id: INV-1\n    item_name: 顧客名簿\n    data_fields: [氏名, 住所, \"007\"]\n    access_holders: [E1]\n    contains_special_care: false\n";
        let set =
            pms_core::records::load_str("x.yaml", yaml, pms_core::records::Format::Yaml).unwrap();
        let sheets = layout::sheets();
        let inv = sheets.iter().find(|s| s.key == "inventory").unwrap();
        let mut wb = open(export(&set).unwrap());
        let range = wb.worksheet_range(&inv.name).unwrap();
        let at = |key: &str| {
            text(range.get_value((
                layout::FIRST_DATA_ROW,
                u32::from(inv.column_of(key).unwrap()),
            )))
        };
        assert_eq!(at("data_fields"), "氏名\n住所\n007");
        assert_eq!(at("access_holders"), "E1");
        assert_eq!(at("contains_special_care"), NO);
        // An entity recorded with no record is marked; one not recorded is not.
        let set = pms_core::records::load_str(
            "x.yaml",
            "complaints: []\n",
            pms_core::records::Format::Yaml,
        )
        .unwrap();
        let mut wb = open(export(&set).unwrap());
        let mark = |wb: &mut Xlsx<_>, key: &str| {
            let s = sheets.iter().find(|s| s.key == key).unwrap();
            text(
                wb.worksheet_range(&s.name)
                    .unwrap()
                    .get_value((layout::TITLE_ROW, 0)),
            )
            .ends_with(EMPTY_MARK)
        };
        assert!(mark(&mut wb, "complaints"));
        assert!(!mark(&mut wb, "incidents"));
    }

    #[test]
    fn a_ledger_longer_than_a_sheet_continues_on_numbered_sheets_with_its_headers() {
        let set = sample();
        let per = 4usize;
        let limit = layout::FIRST_DATA_ROW + u32::try_from(per).unwrap();
        // Parts of 3 rows or more are streamed through a temporary file.
        let bytes = write(Some(&set), limit, 3).unwrap();
        let mut wb = open(bytes.clone());
        let mut whole = open(export(&set).unwrap());
        let sheets = layout::sheets();
        let names = wb.sheet_names();
        let mut expected = vec![layout::INSTRUCTIONS_SHEET.to_owned()];
        let mut split = 0;
        for s in &sheets {
            let all = whole.worksheet_range(&s.name).unwrap();
            let n = (all.end().map_or(0, |e| e.0 + 1)).saturating_sub(layout::FIRST_DATA_ROW);
            let n = usize::try_from(n).unwrap();
            let of = n.div_ceil(per).max(1);
            if of > 1 {
                split += 1;
            }
            // The parts hold the rows of the whole sheet in order, headers repeated.
            let mut ids = Vec::new();
            for part in 1..=of {
                let name = layout::part_name(s, part);
                expected.push(name.clone());
                let range = wb.worksheet_range(&name).unwrap();
                for (i, c) in s.columns.iter().enumerate() {
                    let at = (layout::HEADER_ROW, u32::try_from(i).unwrap());
                    assert_eq!(text(range.get_value(at)), c.header, "{name}");
                }
                let held = range.end().map_or(0, |e| e.0 + 1) - layout::FIRST_DATA_ROW;
                assert!(held as usize <= per, "{name}");
                for r in 0..held {
                    ids.push(text(range.get_value((layout::FIRST_DATA_ROW + r, 1))));
                }
            }
            let whole_ids: Vec<String> = (0..u32::try_from(n).unwrap())
                .map(|r| text(all.get_value((layout::FIRST_DATA_ROW + r, 1))))
                .collect();
            assert_eq!(ids, whole_ids, "{}", s.name);
        }
        assert!(split > 5, "the sample has ledgers longer than {per} rows");
        assert_eq!(names, expected);
        // A reference to a split ledger is checked against the ids of every part (Excel's
        // drop-down lists one range), as far as the formula fits in Excel's 255 characters.
        let sessions = sheets
            .iter()
            .find(|s| s.key == "training_sessions")
            .unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut checked = false;
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).unwrap();
            if !file.name().unwrap().starts_with("xl/worksheets/sheet") {
                continue;
            }
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut file, &mut xml).unwrap();
            for formula in xml.split("<formula1>").skip(1) {
                let formula = formula.split("</formula1>").next().unwrap();
                let plain = formula.replace("&gt;", ">").replace("&amp;", "&");
                assert!(
                    plain.encode_utf16().count() < MAX_VALIDATION_FORMULA,
                    "{formula}"
                );
                if formula.contains(&layout::part_name(sessions, 2)) {
                    assert!(formula.starts_with("SUM(COUNTIF("), "{formula}");
                    assert!(
                        formula.contains(&format!("'{}'!", sessions.name)),
                        "{formula}"
                    );
                    checked = true;
                }
            }
        }
        assert!(checked, "no reference to the split sessions is validated");
    }

    #[test]
    fn a_sheet_streamed_through_a_file_holds_the_same_cells() {
        let set = sample();
        let mut streamed = open(write(Some(&set), MAX_ROWS, 1).unwrap());
        let mut held = open(export(&set).unwrap());
        assert_eq!(streamed.sheet_names(), held.sheet_names());
        for name in held.sheet_names() {
            let a = held.worksheet_range(&name).unwrap();
            let b = streamed.worksheet_range(&name).unwrap();
            assert_eq!(a.start(), b.start(), "{name}");
            assert_eq!(a.end(), b.end(), "{name}");
            for (x, y) in a.cells().zip(b.cells()) {
                assert_eq!(x, y, "{name}");
            }
        }
    }

    #[test]
    fn a_text_too_long_for_a_cell_is_a_located_error() {
        let long = "あ".repeat(MAX_CELL_CHARS + 1);
        let yaml = format!("workforce:\n  - {{id: E1, employment_type: 正社員, start_date: 2025-04-01, name: {long}}}\n");
        let set =
            pms_core::records::load_str("x.yaml", &yaml, pms_core::records::Format::Yaml).unwrap();
        let diags = export(&set).unwrap_err();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, codes::UNWRITABLE);
        let loc = diags[0].location.as_ref().unwrap();
        assert_eq!(loc.field.as_deref(), Some("name"));
        assert_eq!(loc.pointer.as_deref(), Some("/workforce/E1/name"));
    }
}
