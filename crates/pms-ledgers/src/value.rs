//! Interpretation of one cell as the value of a field: dates in every form an office writes
//! (Excel serials, `2025/4/1`, `2025年4月1日`, `R7.4.1`, `令和7年4月1日`, `令和元年5月1日`),
//! booleans (`○/×`, `有/無`, `はい/いいえ`, `済/未`, `✓`, `■/□`, `レ`), lists in one cell, numbers with
//! full-width digits and enum values by their Japanese names.
//!
//! Every interpretation that changes what the cell shows is explained ([`Interpreted::note`],
//! shown by `pms import --explain`); a cell that cannot be read as its field's type is an
//! error with the code the JSON loader uses for the same problem.

use crate::fold;
use crate::grid::{Cell, CellRef};
use chrono::{Datelike, Duration, NaiveDate};
use pms_core::diagnostic::codes;
use pms_core::labels;
use pms_core::schema::Ty;
use serde_json::Value as Json;
use std::borrow::Cow;

/// A cell read as a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpreted {
    /// The value in pms's record format.
    pub value: Json,
    /// How the cell was read, when that is not obvious from the cell (`令和7年4月1日 →
    /// 2025-04-01 (和暦)`).
    pub note: Option<String>,
}

/// A cell that cannot be read as its field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// Diagnostic code (the JSON loader's for the same problem).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// What is wrong, in Japanese.
    pub message_ja: String,
    /// What to do, in Japanese.
    pub help_ja: Option<String>,
}

impl ValueError {
    fn new(code: &'static str, message: String, help: Option<String>) -> ValueError {
        ValueError {
            code,
            message,
            help,
            message_ja: String::new(),
            help_ja: None,
        }
    }

    /// Sets the message and the help in Japanese.
    fn ja(mut self, message: String, help: Option<&str>) -> ValueError {
        self.message_ja = message;
        self.help_ja = help.map(str::to_owned);
        self
    }
}

/// A cell read as a value, its text borrowed from the cell where it is the cell's own (the
/// reader keeps it in its sheet's texts, [`crate::table::Texts`], without a `String` per
/// cell); [`Read::into_json`] is the value in pms's record format.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Read<'a> {
    /// No value (`null`).
    Null,
    /// Text.
    Text(Cow<'a, str>),
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
    List(Vec<Read<'a>>),
}

impl Read<'_> {
    /// The value holding its text.
    fn into_owned(self) -> Read<'static> {
        match self {
            Read::Null => Read::Null,
            Read::Text(t) => Read::Text(Cow::Owned(t.into_owned())),
            Read::Word(w) => Read::Word(w),
            Read::Date(d) => Read::Date(d),
            Read::Int(i) => Read::Int(i),
            Read::Num(n) => Read::Num(n),
            Read::Bool(b) => Read::Bool(b),
            Read::List(items) => Read::List(items.into_iter().map(Read::into_owned).collect()),
        }
    }

    /// The value in pms's record format: a date as its ISO text, an enum value as its name.
    pub(crate) fn into_json(self) -> Json {
        match self {
            Read::Null => Json::Null,
            Read::Text(t) => Json::String(t.into_owned()),
            Read::Word(w) => Json::String(w.to_owned()),
            Read::Date(d) => Json::String(iso_text(d)),
            Read::Int(i) => Json::from(i),
            Read::Num(n) => serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number),
            Read::Bool(b) => Json::Bool(b),
            Read::List(items) => Json::Array(items.into_iter().map(Read::into_json).collect()),
        }
    }
}

/// A cell read: the value and, when asked for, how it was read (see [`Interpreted`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Got<'a> {
    pub(crate) value: Read<'a>,
    pub(crate) note: Option<String>,
}

impl Got<'_> {
    /// The reading holding its text.
    pub(crate) fn into_owned(self) -> Got<'static> {
        Got {
            value: self.value.into_owned(),
            note: self.note,
        }
    }
}

fn plain(value: Read<'_>) -> Got<'_> {
    Got { value, note: None }
}

fn noted(value: Read<'_>, note: String) -> Got<'_> {
    Got {
        value,
        note: Some(note),
    }
}

/// A value with the note `note` makes, when notes are wanted (`pms import --explain`):
/// without, no note text is built.
fn noted_if<'a>(explain: bool, value: Read<'a>, note: impl FnOnce() -> String) -> Got<'a> {
    Got {
        value,
        note: explain.then(note),
    }
}

/// Cell texts that mean "nothing recorded" in office ledgers (a dash in an empty column).
const NOTHING: &[&str] = &["-", "－", "ー", "―", "‐", "—", "n/a", "na"];

/// Cell texts that say "none" in a list, reference or date column (委託先: なし, 異常: 特になし,
/// 公表: なし): an empty list, no reference, no date — never an item named `なし`. (In a yes/no column `無` is no, and
/// in a text column the words stay text.)
const NONE_WORDS: &[&str] = &[
    "なし",
    "ナシ",
    "無し",
    "無",
    "ない",
    "該当なし",
    "該当無し",
    "特になし",
    "特に無し",
    "none",
];

/// Whether a text is one of [`NONE_WORDS`] (folded; only short texts are folded). An ASCII
/// text (most reference cells: ids) is compared without folding it: its fold is the text
/// without whitespace, lowercase, without `*` and `:` at its ends, and the one ASCII word is
/// `none`.
fn none_word(t: &str) -> bool {
    if t.chars().nth(8).is_some() {
        return false;
    }
    if !t.is_ascii() {
        // A kana or kanji letter none of the words has: NFKC keeps it (or composes it with a
        // following sound mark into a voiced letter, which no word has either), so the text is
        // none of them and is not folded (most short names and words).
        if t.chars().any(|c| {
            matches!(c, '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | '\u{4e00}'..='\u{9fff}')
                && !NONE_LETTERS.contains(c)
        }) {
            return false;
        }
        return NONE_WORDS.contains(&fold::fold_cow(t).as_ref());
    }
    ascii_fold_is(t, |w| w == b"none")
}

/// The kana and kanji letters of [`NONE_WORDS`].
const NONE_LETTERS: &str = "なしナシ無い該当特に";

/// Whether a text may fold to one of [`NOTHING`] (at most 3 characters): folding drops
/// only spaces and decorations, and NFKC maps no character to nothing (nor composes ASCII
/// out of two characters), so a text with more than 3 other characters cannot — and is not
/// folded (most cells). Nor can a text with a kanji, a hiragana or a katakana letter (`ー`
/// aside): NFKC keeps each, and none is a mark of nothing (a short name, `済`, `有`).
fn could_be_nothing(t: &str) -> bool {
    let mut kept = 0usize;
    for c in t.chars() {
        if matches!(c, '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | '\u{4e00}'..='\u{9fff}')
        {
            return false;
        }
        if !c.is_whitespace() && !matches!(c, '\u{200b}' | '\u{feff}') && !fold::decoration(c) {
            kept += 1;
            if kept > 3 {
                return false;
            }
        }
    }
    true
}

/// Whether an ASCII text folds to one of [`NOTHING`], without folding it (see
/// [`ascii_fold_is`]).
fn ascii_nothing(t: &str) -> bool {
    ascii_fold_is(t, |w| NOTHING.iter().any(|n| n.as_bytes() == w))
}

/// Whether an ASCII text of at most 8 bytes besides whitespace, as [`fold::fold`] has it
/// (without whitespace, lowercase, without `*` and `:` at its ends), passes `test` — without
/// folding it. A longer text is no short word: `false`.
fn ascii_fold_is(t: &str, test: impl FnOnce(&[u8]) -> bool) -> bool {
    let mut word = [0u8; 8];
    let mut len = 0;
    for b in t
        .bytes()
        .filter(|b| !(b.is_ascii_whitespace() || *b == 0x0b))
    {
        let Some(slot) = word.get_mut(len) else {
            return false;
        };
        *slot = b.to_ascii_lowercase();
        len += 1;
    }
    let word = word.get(..len).unwrap_or_default();
    let word = word
        .iter()
        .position(|b| !matches!(b, b'*' | b':'))
        .and_then(|i| {
            let j = word.iter().rposition(|b| !matches!(b, b'*' | b':'))?;
            word.get(i..=j)
        })
        .unwrap_or_default();
    test(word)
}

/// Reads a cell as a value of `ty`. `Ok(None)`: the cell records nothing.
///
/// # Errors
/// A [`ValueError`] when the cell cannot be a value of the type.
pub fn interpret(cell: &Cell, ty: &Ty) -> Result<Option<Interpreted>, ValueError> {
    interpret_ref(cell.as_ref(), ty)
}

/// Reads a borrowed cell as a value of `ty` (see [`interpret`]).
///
/// # Errors
/// A [`ValueError`] when the cell cannot be a value of the type.
pub fn interpret_ref(cell: CellRef<'_>, ty: &Ty) -> Result<Option<Interpreted>, ValueError> {
    interpret_with(cell, ty, true)
}

/// [`interpret_ref`], with or without the notes (`explain`: build them; else every
/// [`Interpreted::note`] is `None` and no note text is built).
///
/// # Errors
/// A [`ValueError`] when the cell cannot be a value of the type.
pub fn interpret_with(
    cell: CellRef<'_>,
    ty: &Ty,
    explain: bool,
) -> Result<Option<Interpreted>, ValueError> {
    Ok(read_cell(cell, ty, explain)?.map(|g| Interpreted {
        value: g.value.into_json(),
        note: g.note,
    }))
}

/// [`interpret_with`], the value as a [`Read`] (its text borrowed from the cell).
pub(crate) fn read_cell<'a>(
    cell: CellRef<'a>,
    ty: &Ty,
    explain: bool,
) -> Result<Option<Got<'a>>, ValueError> {
    let cell = &cell;
    match cell {
        CellRef::Empty => return Ok(None),
        CellRef::Error(e) => {
            return Err(ValueError::new(
                codes::WRONG_TYPE,
                format!("the cell holds the error value `{e}`"),
                Some("fix the formula or type the value".into()),
            )
            .ja(
                format!("セルがエラー値 `{e}` である"),
                Some("数式を直すか、値を入力する"),
            ))
        }
        CellRef::FormulaWithoutValue(f) => {
            return Err(ValueError::new(
                FORMULA_NO_VALUE,
                format!("the formula `={f}` has no computed value saved in the file"),
                Some(
                    "open and save the file in Excel or LibreOffice so the results are stored, \
                     or type the value"
                        .into(),
                ),
            )
            .ja(
                format!("数式 `={f}` の計算結果がファイルに保存されていない"),
                Some("Excel か LibreOffice で開いて保存し結果を残すか、値を入力する"),
            ))
        }
        CellRef::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let nothing = if t.is_ascii() {
                ascii_nothing(t)
            } else {
                could_be_nothing(t) && NOTHING.contains(&fold::fold_cow(t).as_ref())
            };
            if nothing {
                return Ok(None);
            }
            match ty {
                Ty::List(_) if none_word(t) => {
                    return Ok(Some(noted_if(explain, Read::List(Vec::new()), || {
                        format!("`{t}` → none (an empty list)")
                    })));
                }
                Ty::Ref(_) if none_word(t) => return Ok(None),
                // A date that did not happen (公表: なし): no date, never an error.
                Ty::Date if none_word(t) => return Ok(None),
                _ => {}
            }
        }
        _ => {}
    }
    match ty {
        Ty::List(inner) => list(cell, inner, explain),
        _ => scalar(cell, ty, explain),
    }
}

use codes::FORMULA_NO_VALUE;

fn list<'a>(cell: &CellRef<'a>, inner: &Ty, explain: bool) -> Result<Option<Got<'a>>, ValueError> {
    let CellRef::Text(t) = *cell else {
        return Ok(scalar(cell, inner, explain)?.map(|i| Got {
            value: Read::List(vec![i.value]),
            note: i.note,
        }));
    };
    let parts = split_list(t);
    let mut values = Vec::with_capacity(parts.len());
    let mut notes = Vec::new();
    for p in parts.iter().copied() {
        if let Some(i) = scalar(&CellRef::Text(p), inner, explain)? {
            values.push(i.value);
            if let Some(n) = i.note {
                notes.push(n);
            }
        }
    }
    if values.is_empty() {
        return Ok(None);
    }
    let mut note = notes.join("; ");
    if parts.len() > 1 && explain {
        let split = format!("split into {} items", parts.len());
        note = if note.is_empty() {
            split
        } else {
            format!("{split}: {note}")
        };
    }
    Ok(Some(Got {
        value: Read::List(values),
        note: (!note.is_empty()).then_some(note),
    }))
}

/// The items of a list written in one cell, split at the strongest separator the cell
/// holds: line breaks (then `、` `,` `・` stay inside items, as in `商品・サービスのご案内`),
/// else `、` `,` `，` `;`, else `・`. Blank items are dropped.
#[must_use]
pub fn split_list(text: &str) -> Vec<&str> {
    let seps: &[char] = if text.contains(['\n', '\r']) {
        &['\n', '\r']
    } else if text.contains(['、', ',', '，', ';', '；']) {
        &['、', ',', '，', ';', '；']
    } else {
        &['・', '･']
    };
    text.split(seps)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn scalar<'a>(cell: &CellRef<'a>, ty: &Ty, explain: bool) -> Result<Option<Got<'a>>, ValueError> {
    match ty {
        Ty::Date => date_cell(cell, explain).map(Some),
        Ty::Bool => bool_cell(cell, explain).map(Some),
        Ty::Int => number_cell(cell, true, explain).map(Some),
        Ty::Num => number_cell(cell, false, explain).map(Some),
        Ty::Enum(values) => enum_cell(cell, values, explain).map(Some),
        Ty::Str | Ty::Ref(_) => Ok(Some(text_cell(cell, matches!(ty, Ty::Ref(_)), explain))),
        Ty::List(inner) => list(cell, inner, explain),
        Ty::Obj(name) => Err(ValueError::new(
            codes::WRONG_TYPE,
            format!("`{name}` is a group of fields, not a value of one cell"),
            Some("give each of its fields its own column".into()),
        )
        .ja(
            format!("`{name}` は項目のまとまりで、1 つのセルの値ではない"),
            Some("その各項目にそれぞれ列を設ける"),
        )),
    }
}

/// A whole number written by Excel as a float (`3.0`) prints as `3`.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

fn text_cell<'a>(cell: &CellRef<'a>, is_ref: bool, explain: bool) -> Got<'a> {
    let owned = |t: String| Read::Text(Cow::Owned(t));
    match *cell {
        CellRef::Text(t) => {
            let trimmed = t.trim();
            if is_ref {
                // Ids are matched exactly; full-width digits and letters are folded.
                let n = fold::nfkc_cow(trimmed);
                if n != trimmed {
                    let n = n.into_owned();
                    let note = || format!("`{trimmed}` → `{n}`");
                    let note = explain.then(note);
                    return Got {
                        value: owned(n),
                        note,
                    };
                }
            }
            plain(Read::Text(Cow::Borrowed(trimmed)))
        }
        CellRef::Number(n) => plain(owned(number_text(n))),
        CellRef::Bool(b) => plain(Read::Text(Cow::Borrowed(if b { "true" } else { "false" }))),
        CellRef::DateSerial(s) => {
            if (0.0..1.0).contains(&s) {
                let minutes = (s * 24.0 * 60.0).round() as i64;
                let t = format!("{:02}:{:02}", minutes / 60, minutes % 60);
                let note = explain.then(|| format!("time cell → `{t}`"));
                Got {
                    value: owned(t),
                    note,
                }
            } else {
                match serial_date(s) {
                    Some(d) => {
                        let t = iso_text(d);
                        let note = explain.then(|| format!("date cell → `{t}`"));
                        Got {
                            value: owned(t),
                            note,
                        }
                    }
                    None => plain(owned(number_text(s))),
                }
            }
        }
        CellRef::DateIso(t) => plain(Read::Text(Cow::Borrowed(t))),
        CellRef::Empty | CellRef::FormulaWithoutValue(_) | CellRef::Error(_) => plain(Read::Null),
    }
}

/// Day 0 of the Excel 1900 date system is 1899-12-31, and Excel counts a 1900-02-29 that
/// never was (serial 60), so serials from 61 on are days since 1899-12-30.
#[must_use]
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = if days >= 61 {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    } else if days == 60 {
        return None;
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    };
    base.checked_add_signed(Duration::days(days))
}

fn iso<'a>(d: NaiveDate) -> Read<'a> {
    Read::Date(d)
}

/// `2025-04-01` as bytes on the stack, for a year of at most four digits (and a month and
/// day of at most two); `None` otherwise.
pub(crate) fn iso_bytes(y: u32, m: u32, d: u32) -> Option<[u8; 10]> {
    if y > 9999 || m > 99 || d > 99 {
        return None;
    }
    let digit = |n: u32| b'0' + u8::try_from(n % 10).unwrap_or(0);
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
    ])
}

/// `2025-04-01`, as chrono's `%Y-%m-%d` writes it, without parsing a format per cell.
pub(crate) fn iso_text(d: NaiveDate) -> String {
    let y = d.year();
    if (0..=9999).contains(&y) {
        format!("{y:04}-{:02}-{:02}", d.month(), d.day())
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

fn date_cell<'a>(cell: &CellRef<'a>, explain: bool) -> Result<Got<'a>, ValueError> {
    match cell {
        CellRef::DateSerial(s) | CellRef::Number(s) => match serial_date(*s) {
            Some(d) => Ok(if matches!(cell, CellRef::Number(_)) {
                noted_if(explain, iso(d), || {
                    format!(
                        "Excel serial {} → {}",
                        number_text(*s),
                        d.format("%Y-%m-%d")
                    )
                })
            } else {
                plain(iso(d))
            }),
            None => Err(bad_date(&number_text(*s), None)),
        },
        // A date cell is `yyyy-mm-dd` (read so at once) or an ISO date-time.
        CellRef::DateIso(t) => match pms_core::records::parse_date(t) {
            Some(d) => Ok(plain(iso(d))),
            None => parse_date_with(t, false).map(|(d, _)| plain(iso(d))),
        },
        CellRef::Text(t) => parse_date_with(t, explain).map(|(d, note)| match note {
            Some(n) => noted(iso(d), n),
            None => plain(iso(d)),
        }),
        CellRef::Bool(b) => Err(ValueError::new(
            codes::WRONG_TYPE,
            format!("expected a date, found `{b}`"),
            Some("write a date such as 2025/4/1 or 令和7年4月1日".into()),
        )
        .ja(
            format!("日付のところ `{b}` である"),
            Some("2025/4/1 や 令和7年4月1日 のように日付を書く"),
        )),
        CellRef::Empty | CellRef::FormulaWithoutValue(_) | CellRef::Error(_) => {
            Err(bad_date("", None))
        }
    }
}

/// Why a date is no date, in Japanese (the reasons [`parse_date`] gives).
fn why_ja(why: &str) -> String {
    if why == "that day does not exist" {
        return "その日は存在しない".into();
    }
    if let Some(d) = why.strip_suffix(" does not exist") {
        return format!("{d} は存在しない");
    }
    if let Some((era, d)) = why.split_once(" began on ") {
        return format!("{era}は {d} に始まった");
    }
    if let Some((era, d)) = why.split_once(" ended on ") {
        return format!("{era}は {d} に終わった");
    }
    why.to_owned()
}

fn bad_date(text: &str, why: Option<String>) -> ValueError {
    ValueError::new(
        codes::BAD_DATE,
        match &why {
            Some(w) => format!("`{text}` is not a date: {w}"),
            None => format!("`{text}` is not a date"),
        },
        Some(
            "write a date such as 2025-04-01, 2025/4/1, 2025年4月1日, R7.4.1 or 令和7年4月1日"
                .into(),
        ),
    )
    .ja(
        match why.as_deref().map(why_ja) {
            Some(w) => format!("`{text}` は日付ではない: {w}"),
            None => format!("`{text}` は日付ではない"),
        },
        Some("2025-04-01、2025/4/1、2025年4月1日、R7.4.1、令和7年4月1日 のように日付を書く"),
    )
}

/// A Japanese era: its names, its first day and its last day.
struct Era {
    names: &'static [&'static str],
    first: (i32, u32, u32),
    last: Option<(i32, u32, u32)>,
}

const ERAS: &[Era] = &[
    Era {
        names: &["令和", "令", "r"],
        first: (2019, 5, 1),
        last: None,
    },
    Era {
        names: &["平成", "平", "h"],
        first: (1989, 1, 8),
        last: Some((2019, 4, 30)),
    },
    Era {
        names: &["昭和", "昭", "s"],
        first: (1926, 12, 25),
        last: Some((1989, 1, 7)),
    },
    Era {
        names: &["大正", "大", "t"],
        first: (1912, 7, 30),
        last: Some((1926, 12, 24)),
    },
    Era {
        names: &["明治", "明", "m"],
        first: (1868, 10, 23),
        last: Some((1912, 7, 29)),
    },
];

/// Reads a date written as text: ISO `2025-04-01`, `2025/4/1`, `2025.4.1`, `2025年4月1日`,
/// a 和暦 date (`令和7年4月1日`, `R7.4.1`, `令和元年5月1日`, `H31/4/30`) with exact era
/// boundaries, with full-width digits and an optional time or weekday after it. Returns
/// the date and, when it was not written in ISO form, how it was read.
///
/// # Errors
/// [`codes::BAD_DATE`] for a text that is no date or a date that does not exist.
pub fn parse_date(text: &str) -> Result<(NaiveDate, Option<String>), ValueError> {
    parse_date_with(text, true)
}

/// [`parse_date`], with the note on how the date was read only when `explain` asks for it.
fn parse_date_with(text: &str, explain: bool) -> Result<(NaiveDate, Option<String>), ValueError> {
    let original = text.trim();
    // ASCII without capitals (`2025/4/1`, most date cells) is its own NFKC lowercase form.
    let t: Cow<'_, str> =
        if original.is_ascii() && !original.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Borrowed(original)
        } else {
            Cow::Owned(fold::nfkc(original).to_lowercase())
        };
    let t = t.trim();
    // An era name first?
    for era in ERAS {
        for name in era.names {
            if let Some(rest) = t.strip_prefix(name) {
                let rest = rest.trim_start_matches(['.', ' ']);
                let (year, rest) = if let Some(r) = rest.strip_prefix('元') {
                    (Some(1), r)
                } else {
                    let digits = ascii_digits(rest);
                    (
                        digits.parse::<i32>().ok(),
                        rest.get(digits.len()..).unwrap_or(""),
                    )
                };
                let Some(year) = year else {
                    continue;
                };
                let (m, d) = month_day(rest).ok_or_else(|| bad_date(original, None))?;
                // A year past what a date holds (`令和2147483647年`) is no date.
                let Some(g) = era.first.0.checked_add(year - 1) else {
                    return Err(bad_date(original, None));
                };
                let date = NaiveDate::from_ymd_opt(g, m, d).ok_or_else(|| {
                    bad_date(original, Some(format!("{g}-{m:02}-{d:02} does not exist")))
                })?;
                let first = NaiveDate::from_ymd_opt(era.first.0, era.first.1, era.first.2);
                let last = era
                    .last
                    .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
                let era_name = era.names.first().copied().unwrap_or_default();
                if first.is_some_and(|f| date < f) || year < 1 {
                    return Err(bad_date(
                        original,
                        Some(format!(
                            "{era_name} began on {}",
                            first
                                .map(|f| f.format("%Y-%m-%d").to_string())
                                .unwrap_or_default()
                        )),
                    ));
                }
                if let Some(l) = last {
                    if date > l {
                        return Err(bad_date(
                            original,
                            Some(format!("{era_name} ended on {}", l.format("%Y-%m-%d"))),
                        ));
                    }
                }
                return Ok((
                    date,
                    explain.then(|| format!("{original} → {} (和暦)", date.format("%Y-%m-%d"))),
                ));
            }
        }
    }
    // A Western year.
    let digits = ascii_digits(t);
    if digits.len() == 8 && t.len() == 8 {
        let (y, md) = digits.split_at(4);
        let (m, d) = md.split_at(2);
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) {
            return NaiveDate::from_ymd_opt(y, m, d)
                .map(|date| {
                    (
                        date,
                        explain.then(|| format!("{original} → {}", date.format("%Y-%m-%d"))),
                    )
                })
                .ok_or_else(|| bad_date(original, Some("that day does not exist".into())));
        }
    }
    if digits.len() != 4 {
        return Err(bad_date(original, None));
    }
    let year: i32 = digits.parse().map_err(|_| bad_date(original, None))?;
    let rest = t.get(4..).unwrap_or("");
    let (m, d) = month_day(rest).ok_or_else(|| bad_date(original, None))?;
    let date = NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| {
        bad_date(
            original,
            Some(format!("{year}-{m:02}-{d:02} does not exist")),
        )
    })?;
    let note = explain
        .then(|| {
            let canonical = iso_text(date);
            (t != canonical).then(|| format!("{original} → {canonical}"))
        })
        .flatten();
    Ok((date, note))
}

/// The ASCII digits a text starts with.
/// The fiscal year a title names (`2025年度 内部監査計画書`, `令和7年度`, `R7年度`, `令和元年度`):
/// the year it starts in; `None` for a text naming none.
pub(crate) fn fiscal_year(text: &str) -> Option<i32> {
    let t = fold::nfkc(text).to_lowercase();
    let (before, _) = t.split_once("年度")?;
    let before = before.trim_end();
    // The digits (or 元) right before 年度, then an era name right before them, if any.
    let (num, head) = if let Some(h) = before.strip_suffix('元') {
        (1, h)
    } else {
        let n = before.bytes().rev().take_while(u8::is_ascii_digit).count();
        let split = before.len().checked_sub(n)?;
        let digits = before.get(split..)?;
        (digits.parse::<i32>().ok()?, before.get(..split)?)
    };
    let head = head.trim_end_matches(['.', ' ']);
    for era in ERAS {
        if era.names.iter().any(|n| head.ends_with(n)) {
            let year = era.first.0.checked_add(num.checked_sub(1)?)?;
            // A year of the era past its end is no year of it.
            return (num >= 1 && era.last.is_none_or(|(y, ..)| year <= y)).then_some(year);
        }
    }
    (1900..=2999).contains(&num).then_some(num)
}

fn ascii_digits(t: &str) -> &str {
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    t.get(..n).unwrap_or_default()
}

/// The month and day after the year: `-04-01`, `/4/1`, `.4.1`, `年4月1日`, followed by
/// nothing, a time (` 0:00:00`, `T00:00`) or a weekday (`(火)`).
fn month_day(rest: &str) -> Option<(u32, u32)> {
    let mut chars = rest.chars();
    let sep1 = chars.next()?;
    if !matches!(sep1, '-' | '/' | '.' | '年') {
        return None;
    }
    let s = chars.as_str();
    let month = ascii_digits(s);
    let mut chars = s.get(month.len()..).unwrap_or_default().chars();
    let sep2 = chars.next()?;
    let ok2 = match sep1 {
        '年' => sep2 == '月',
        other => sep2 == other,
    };
    if !ok2 {
        return None;
    }
    let s = chars.as_str();
    let day = ascii_digits(s);
    let mut chars = s.get(day.len()..).unwrap_or_default().chars();
    if sep1 == '年' && chars.next() != Some('日') {
        return None;
    }
    let tail = chars.as_str().trim();
    let tail_ok = tail.is_empty()
        || tail.starts_with('t')
        || tail.starts_with('(')
        || tail
            .split_whitespace()
            .next()
            .is_some_and(|w| w.contains(':'));
    if !tail_ok || month.is_empty() || day.is_empty() || month.len() > 2 || day.len() > 2 {
        return None;
    }
    Some((month.parse().ok()?, day.parse().ok()?))
}

const TRUE_WORDS: &[&str] = &[
    "○", "◯", "〇", "●", "✓", "✔", "☑", "■", "レ", "有", "有り", "あり", "はい", "済", "済み",
    "要", "yes", "y", "true", "1", "合格", "可", "有効",
];
const FALSE_WORDS: &[&str] = &[
    "×",
    "□",
    "☐",
    "✕",
    "✖",
    "☓",
    "x",
    "無",
    "無し",
    "なし",
    "いいえ",
    "未",
    "未済",
    "不要",
    "no",
    "n",
    "false",
    "0",
    "不合格",
    "否",
    "無効",
];

/// [`TRUE_WORDS`] and [`FALSE_WORDS`] folded, once.
fn bool_words() -> &'static (Vec<String>, Vec<String>) {
    static WORDS: std::sync::OnceLock<(Vec<String>, Vec<String>)> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let folded = |ws: &[&str]| ws.iter().map(|w| fold::fold(w)).collect();
        (folded(TRUE_WORDS), folded(FALSE_WORDS))
    })
}

fn bool_cell<'a>(cell: &CellRef<'a>, explain: bool) -> Result<Got<'a>, ValueError> {
    match cell {
        CellRef::Bool(b) => Ok(plain(Read::Bool(*b))),
        CellRef::Number(n) if *n == 1.0 || *n == 0.0 => {
            Ok(noted_if(explain, Read::Bool(*n == 1.0), || {
                format!("{} → {}", number_text(*n), *n == 1.0)
            }))
        }
        CellRef::Text(t) => {
            let k = fold::fold_cow(t);
            let shown = t.trim();
            let (yes, no) = bool_words();
            if yes.iter().any(|w| *w == k) {
                Ok(note_unless_same(Read::Bool(true), shown, "true", explain))
            } else if no.iter().any(|w| *w == k) {
                Ok(note_unless_same(Read::Bool(false), shown, "false", explain))
            } else {
                Err(ValueError::new(
                    codes::WRONG_TYPE,
                    format!("expected yes or no, found `{shown}`"),
                    Some(
                        "write ○ or ×, 有 or 無, はい or いいえ, 済 or 未, ✓ or leave it empty"
                            .into(),
                    ),
                )
                .ja(
                    format!("はい／いいえのところ `{shown}` である"),
                    Some("○ か ×、有 か 無、はい か いいえ、済 か 未、✓ を書くか、空にする"),
                ))
            }
        }
        other => Err(ValueError::new(
            codes::WRONG_TYPE,
            format!("expected yes or no, found {}", describe(other)),
            Some("write ○ or ×".into()),
        )
        .ja(
            format!("はい／いいえのところ{}である", describe_ja(other)),
            Some("○ か × を書く"),
        )),
    }
}

fn note_unless_same<'a>(value: Read<'a>, shown: &str, canonical: &str, explain: bool) -> Got<'a> {
    if !explain || shown.eq_ignore_ascii_case(canonical) {
        plain(value)
    } else {
        noted(value, format!("`{shown}` → {canonical}"))
    }
}

fn describe(cell: &CellRef<'_>) -> String {
    match cell {
        CellRef::Empty => "an empty cell".into(),
        CellRef::Text(t) => format!("`{t}`"),
        CellRef::Number(n) => format!("the number {}", number_text(*n)),
        CellRef::Bool(b) => format!("`{b}`"),
        CellRef::DateSerial(_) | CellRef::DateIso(_) => "a date".into(),
        CellRef::FormulaWithoutValue(f) => format!("the formula `={f}`"),
        CellRef::Error(e) => format!("the error `{e}`"),
    }
}

/// [`describe`] in Japanese.
fn describe_ja(cell: &CellRef<'_>) -> String {
    match cell {
        CellRef::Empty => "空のセル".into(),
        CellRef::Text(t) => format!(" `{t}` "),
        CellRef::Number(n) => format!("数値 {} ", number_text(*n)),
        CellRef::Bool(b) => format!(" `{b}` "),
        CellRef::DateSerial(_) | CellRef::DateIso(_) => "日付".into(),
        CellRef::FormulaWithoutValue(f) => format!("数式 `={f}` "),
        CellRef::Error(e) => format!("エラー値 `{e}` "),
    }
}

fn number_cell<'a>(cell: &CellRef<'_>, whole: bool, explain: bool) -> Result<Got<'a>, ValueError> {
    let want = if whole { "a whole number" } else { "a number" };
    let want_ja = if whole { "整数" } else { "数値" };
    let (n, note) = match cell {
        CellRef::Number(n) => (*n, None),
        CellRef::Text(t) => {
            let shown = t.trim();
            let mut s = fold::nfkc(shown).replace([',', ' '], "");
            let mut stripped = false;
            for prefix in ["約", "およそ", "概ね", "ca."] {
                if let Some(r) = s.strip_prefix(prefix) {
                    s = r.to_owned();
                    stripped = true;
                }
            }
            for unit in ["件", "人", "名", "点", "円", "社", "回", "歳", "才"] {
                if let Some(r) = s.strip_suffix(unit) {
                    s = r.to_owned();
                    stripped = true;
                }
            }
            let n: f64 = s.parse().map_err(|_| {
                ValueError::new(
                    codes::WRONG_TYPE,
                    format!("expected {want}, found `{shown}`"),
                    Some("write digits, e.g. 1200 or 1,200".into()),
                )
                .ja(
                    format!("{want_ja}のところ `{shown}` である"),
                    Some("数字で書く（例: 1200、1,200）"),
                )
            })?;
            let note = (explain && (stripped || s != shown))
                .then(|| format!("`{shown}` → {}", number_text(n)));
            (n, note)
        }
        other => {
            return Err(ValueError::new(
                codes::WRONG_TYPE,
                format!("expected {want}, found {}", describe(other)),
                None,
            )
            .ja(
                format!("{want_ja}のところ{}である", describe_ja(other)),
                None,
            ))
        }
    };
    if !n.is_finite() {
        return Err(
            ValueError::new(codes::WRONG_TYPE, format!("expected {want}"), None)
                .ja(format!("{want_ja}でなければならない"), None),
        );
    }
    let value = if whole {
        if n.fract() != 0.0 || n.abs() > 9.0e15 {
            return Err(ValueError::new(
                codes::WRONG_TYPE,
                format!("expected {want}, found {}", number_text(n)),
                None,
            )
            .ja(format!("{want_ja}のところ {} である", number_text(n)), None));
        }
        Read::Int(n as i64)
    } else if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Read::Int(n as i64)
    } else {
        Read::Num(n)
    };
    Ok(Got { value, note })
}

fn enum_cell<'a>(
    cell: &CellRef<'_>,
    values: &'static [&'static str],
    explain: bool,
) -> Result<Got<'a>, ValueError> {
    let shown = match cell {
        CellRef::Text(t) => t.trim().to_owned(),
        CellRef::Number(n) => number_text(*n),
        other => {
            return Err(ValueError::new(
                codes::BAD_ENUM,
                format!(
                    "expected one of {}, found {}",
                    listing(values),
                    describe(other)
                ),
                None,
            )
            .ja(
                format!(
                    "{} のいずれかのところ{}である",
                    listing(values),
                    describe_ja(other)
                ),
                None,
            ))
        }
    };
    match crate::vocab::enum_value(values, &shown) {
        Some(v) if v == shown => Ok(plain(Read::Word(v))),
        Some(v) => Ok(noted_if(explain, Read::Word(v), || {
            format!("`{shown}` → {v}")
        })),
        None => {
            let words = values.iter().flat_map(|v| {
                let l = labels::value_label(v);
                std::iter::once(*v).chain(l.map(|l| l.ja))
            });
            let help = pms_core::schema::suggest(&shown, words)
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("write one of {}", listing(values)));
            let help_ja = pms_core::diagnostic::did_you_mean_ja(&help)
                .unwrap_or_else(|| format!("{} のいずれかを書く", listing(values)));
            Err(ValueError::new(
                codes::BAD_ENUM,
                format!("`{shown}` is not one of {}", listing(values)),
                Some(help),
            )
            .ja(
                format!("`{shown}` は {} のいずれでもない", listing(values)),
                Some(help_ja.as_str()),
            ))
        }
    }
}

/// The allowed values of an enum as an office would write them: `集合研修 (classroom), …`.
fn listing(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| match labels::value_label(v) {
            Some(l) if l.ja != *v => format!("{} ({v})", l.ja),
            _ => (*v).to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a date is in the range Excel can show (for writers).
#[must_use]
pub fn excel_representable(d: NaiveDate) -> bool {
    d.year() >= 1900 && d.year() <= 9999
}

#[cfg(test)]
mod tests {
    /// A text is a word of none exactly when its folded form is one, whether its letters let
    /// it be told at once or it is folded.
    #[test]
    fn none_words_are_told_as_their_folded_form_tells_them() {
        let mut texts: Vec<String> = NONE_WORDS.iter().map(|w| (*w).to_owned()).collect();
        texts.extend(
            [
                "特になし ",
                "該当 なし",
                "ﾅｼ",
                "ナシ",
                "な\u{3099}し",
                "し\u{3099}",
                "無\u{3000}",
                "NONE",
                "ｎｏｎｅ",
                "従業者0",
                "総務部",
                "なし済",
                "無効",
                "正社員",
                "ない。",
                "*なし*",
                "あり",
            ]
            .iter()
            .map(|t| (*t).to_owned()),
        );
        for t in &texts {
            let folded = t.chars().nth(8).is_none() && NONE_WORDS.contains(&fold::fold(t).as_str());
            assert_eq!(none_word(t), folded, "{t:?}");
        }
    }

    /// The ASCII shortcut and the folded comparison agree on what records nothing.
    #[test]
    fn ascii_texts_record_nothing_exactly_when_their_folded_form_does() {
        for t in [
            "-", " - ", "n/a", "N/A", "n / a", "NA", "na*", "*-:", "x", "-1", "n/a/", "nan", "",
            "   ", "N\u{b}A", "--", "*", ":n:a:", "n*a",
        ] {
            let folded = NOTHING.contains(&fold::fold(t).as_str());
            assert_eq!(ascii_nothing(t), folded, "{t:?}");
        }
    }

    /// A none word is found without folding an ASCII text exactly when its folded form is one.
    #[test]
    fn ascii_none_words_are_those_whose_folded_form_is_one() {
        for t in [
            "none",
            "None",
            " NONE ",
            "*none*",
            "no ne",
            ":none",
            "none:",
            "n\u{b}one",
            "nones",
            "non",
            "W-0001",
            "nONe*:",
            "*:none:*",
            "-",
            "",
            "  ",
            "none!",
            "(none)",
            "NONE\t",
        ] {
            let folded = t.chars().nth(8).is_none() && NONE_WORDS.contains(&fold::fold(t).as_str());
            assert_eq!(none_word(t), folded, "{t:?}");
        }
        for t in ["なし", "特になし", " 該当なし ", "ナシ", "無", "あり"] {
            assert_eq!(
                none_word(t),
                NONE_WORDS.contains(&fold::fold(t).as_str()),
                "{t}"
            );
        }
    }

    /// The shortcut passes over no text that folds to a mark of nothing.
    #[test]
    fn every_text_that_records_nothing_could_be_nothing() {
        for t in [
            "ー",
            "ｰ",
            "－",
            "―",
            "‐",
            "‑",
            "—",
            " - ",
            "ｎ／ａ",
            "Ｎ／Ａ",
            "ＮＡ",
            "*ー*",
            "済",
            "有",
            "山田",
            "ア",
            "ｱ",
            "ぁ",
            "ヴ",
            "n/a",
            "※－",
        ] {
            let nothing = NOTHING.contains(&fold::fold(t).as_str());
            assert!(!nothing || could_be_nothing(t), "{t:?}");
        }
        assert!(!could_be_nothing("済") && !could_be_nothing("ア") && could_be_nothing("ｰ"));
    }

    use super::*;

    fn d(s: &str) -> String {
        match parse_date(s) {
            Ok((d, _)) => d.format("%Y-%m-%d").to_string(),
            Err(e) => format!("{}: {}", e.code, e.message),
        }
    }

    #[test]
    fn western_and_japanese_dates() {
        assert_eq!(d("2025-04-01"), "2025-04-01");
        assert_eq!(d("2025/4/1"), "2025-04-01");
        assert_eq!(d("2025.4.1"), "2025-04-01");
        assert_eq!(d("2025年4月1日"), "2025-04-01");
        assert_eq!(d("２０２５年４月１日"), "2025-04-01");
        assert_eq!(d("2025/4/1 0:00:00"), "2025-04-01");
        assert_eq!(d("2025/4/1(火)"), "2025-04-01");
        assert_eq!(d("R7.4.1"), "2025-04-01");
        assert_eq!(d("r07/04/01"), "2025-04-01");
        assert_eq!(d("令和7年4月1日"), "2025-04-01");
        assert_eq!(
            interpret(&Cell::Text("なし".into()), &Ty::Date).unwrap(),
            None,
            "a date that did not happen (公表: なし) is no date"
        );
        assert!(interpret(&Cell::Text("未定".into()), &Ty::Date).is_err());
        assert_eq!(fiscal_year("2025年度 内部監査計画書"), Some(2025));
        assert_eq!(fiscal_year("令和7年度　教育計画"), Some(2025));
        assert_eq!(fiscal_year("Ｒ７年度"), Some(2025));
        assert_eq!(fiscal_year("令和元年度"), Some(2019));
        assert_eq!(fiscal_year("平成30年度"), Some(2018));
        assert_eq!(fiscal_year("平成40年度"), None);
        assert_eq!(fiscal_year("年度計画"), None);
        assert_eq!(fiscal_year("内部監査計画書"), None);
        assert_eq!(d("令和元年5月1日"), "2019-05-01");
        assert_eq!(d("平成31年4月30日"), "2019-04-30");
        assert_eq!(d("H31.4.30"), "2019-04-30");
        assert_eq!(d("昭和64年1月7日"), "1989-01-07");
        assert_eq!(d("平成元年1月8日"), "1989-01-08");
        assert_eq!(d("㍻31年4月1日"), "2019-04-01");
        assert_eq!(d("20250401"), "2025-04-01");
    }

    #[test]
    fn impossible_dates_and_era_boundaries_are_errors() {
        for bad in [
            "平成31年5月1日",
            "令和元年4月30日",
            "平成32年1月1日",
            "令和7年2月29日",
            "昭和64年1月8日",
            "2025/2/30",
            "2025/13/1",
            "令和0年5月1日",
            "来週",
            "2025",
            "R7.4",
            "令和2147483647年1月1日",
        ] {
            let r = parse_date(bad);
            assert!(
                matches!(&r, Err(e) if e.code == codes::BAD_DATE),
                "{bad}: {r:?}"
            );
        }
        assert!(d("平成31年5月1日").contains("平成 ended on 2019-04-30"));
        assert!(d("令和元年4月30日").contains("令和 began on 2019-05-01"));
        assert!(d("令和7年2月29日").contains("2025-02-29 does not exist"));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            serial_date(45748.0).map(|d| d.to_string()),
            Some("2025-04-01".into())
        );
        assert_eq!(
            serial_date(1.0).map(|d| d.to_string()),
            Some("1900-01-01".into())
        );
        assert_eq!(
            serial_date(59.0).map(|d| d.to_string()),
            Some("1900-02-28".into())
        );
        assert_eq!(serial_date(60.0), None);
        assert_eq!(
            serial_date(61.0).map(|d| d.to_string()),
            Some("1900-03-01".into())
        );
        let i = interpret(&Cell::Number(45748.0), &Ty::Date)
            .unwrap()
            .unwrap();
        assert_eq!(i.value, Json::String("2025-04-01".into()));
        assert!(i.note.unwrap().contains("serial"));
    }

    #[test]
    fn none_in_a_list_or_reference_column_is_none_not_an_item() {
        let list = Ty::List(&Ty::Ref("contractors"));
        for t in ["なし", "特になし", "該当無し", "ﾅｼ"] {
            let i = interpret(&Cell::Text(t.into()), &list).unwrap().unwrap();
            assert_eq!(i.value, Json::Array(Vec::new()), "{t}");
            assert!(i.note.unwrap().contains("none"));
        }
        let anomalies = Ty::List(&Ty::Str);
        let i = interpret(&Cell::Text("なし".into()), &anomalies)
            .unwrap()
            .unwrap();
        assert_eq!(i.value, Json::Array(Vec::new()));
        assert_eq!(
            interpret(&Cell::Text("無".into()), &Ty::Ref("contractors")).unwrap(),
            None
        );
        // In a text column the word is the text; in a yes/no column 無 is no.
        let i = interpret(&Cell::Text("なし".into()), &Ty::Str)
            .unwrap()
            .unwrap();
        assert_eq!(i.value, Json::String("なし".into()));
        let i = interpret(&Cell::Text("無".into()), &Ty::Bool)
            .unwrap()
            .unwrap();
        assert_eq!(i.value, Json::Bool(false));
        // A list that names things keeps them.
        let i = interpret(&Cell::Text("C-1、なし商事".into()), &list)
            .unwrap()
            .unwrap();
        assert_eq!(i.value, serde_json::json!(["C-1", "なし商事"]));
    }

    #[test]
    fn booleans_in_office_marks() {
        for (t, want) in [
            ("○", true),
            ("〇", true),
            ("✓", true),
            ("有", true),
            ("はい", true),
            ("済", true),
            ("×", false),
            ("無", false),
            ("いいえ", false),
            ("未", false),
            ("ＴＲＵＥ", true),
            // a ticked and an empty box, and the katakana レ written as a tick
            ("■", true),
            ("レ", true),
            ("□", false),
        ] {
            let i = interpret(&Cell::Text(t.into()), &Ty::Bool)
                .unwrap()
                .unwrap();
            assert_eq!(i.value, Json::Bool(want), "{t}");
        }
        let e = interpret(&Cell::Text("たぶん".into()), &Ty::Bool).unwrap_err();
        assert_eq!(e.code, codes::WRONG_TYPE);
        assert_eq!(
            interpret(&Cell::Text("－".into()), &Ty::Bool).unwrap(),
            None
        );
    }

    #[test]
    fn lists_numbers_and_enums() {
        let i = interpret(
            &Cell::Text("氏名、住所・電話番号\nメール".into()),
            &Ty::List(&Ty::Str),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            i.value,
            serde_json::json!(["氏名、住所・電話番号", "メール"])
        );
        let i = interpret(
            &Cell::Text("氏名、住所、電話番号".into()),
            &Ty::List(&Ty::Str),
        )
        .unwrap()
        .unwrap();
        assert_eq!(i.value, serde_json::json!(["氏名", "住所", "電話番号"]));
        let i = interpret(&Cell::Text("氏名・住所".into()), &Ty::List(&Ty::Str))
            .unwrap()
            .unwrap();
        assert_eq!(i.value, serde_json::json!(["氏名", "住所"]));
        let i = interpret(
            &Cell::Text("商品・サービスのご案内のため\n".into()),
            &Ty::List(&Ty::Str),
        )
        .unwrap()
        .unwrap();
        assert_eq!(i.value, serde_json::json!(["商品・サービスのご案内のため"]));
        let n = interpret(&Cell::Text("約１，２００件".into()), &Ty::Int)
            .unwrap()
            .unwrap();
        assert_eq!(n.value, serde_json::json!(1200));
        assert!(interpret(&Cell::Text("1.5".into()), &Ty::Int).is_err());
        const METHODS: &[&str] = &["classroom", "e-learning", "external"];
        let e = interpret(&Cell::Text("ｅラーニング".into()), &Ty::Enum(METHODS))
            .unwrap()
            .unwrap();
        assert_eq!(e.value, Json::String("e-learning".into()));
        let c = interpret(&Cell::Text("集合研修".into()), &Ty::Enum(METHODS))
            .unwrap()
            .unwrap();
        assert_eq!(c.value, Json::String("classroom".into()));
        let bad = interpret(&Cell::Text("集合研".into()), &Ty::Enum(METHODS)).unwrap_err();
        assert_eq!(bad.code, codes::BAD_ENUM);
        assert_eq!(bad.help.as_deref(), Some("did you mean `集合研修`?"));
        let emp = interpret(
            &Cell::Text("派遣社員".into()),
            &Ty::Enum(pms_core::schema::EMPLOYMENT_TYPES),
        )
        .unwrap()
        .unwrap();
        assert_eq!(emp.value, Json::String("派遣".into()));
    }

    #[test]
    fn formulas_without_values_are_coded_errors() {
        let e = interpret(&Cell::FormulaWithoutValue("A1+1".into()), &Ty::Int).unwrap_err();
        assert_eq!(e.code, FORMULA_NO_VALUE);
    }
}
