//! Many record sets checked with one program: the portfolio of a consultancy, the companies
//! of a group, the applicants a 審査機関 audits in one season.
//!
//! Companies are independent, so they are spread over threads, each company's rules being
//! evaluated on the thread that took it; a company whose records cannot be loaded gives its
//! diagnostics in its place, and the others are checked all the same. Results keep the order
//! of the companies whatever the number of threads.

use crate::diagnostic::Diagnostic;
use crate::dsl::ast::Lang;
use crate::ffi::{options, CheckOptions};
use crate::program::Program;
use crate::records::RecordSet;
use crate::report::Report;

/// The outcome of one company: its report, or the diagnostics of its records.
pub type Outcome = Result<Report, Vec<Diagnostic>>;

/// Checks every item on up to `threads` threads (0: one per core), loading each with `load`
/// (which reads a file, parses text or converts data: the host knows what an item is).
/// A panic while a company is loaded or checked (a bug in pms) is caught: that company's
/// outcome is an internal error (`E9001`) and the others are checked all the same.
///
/// With more than one item, each company is evaluated on one thread and the companies run in
/// parallel; a single item is evaluated with `threads` threads over its rules instead. The
/// reports are the same either way; `o.threads` is not used.
///
/// # Errors
/// Diagnostics for bad options (a date, a language, an edition, a parameter, an unknown rule
/// in `only`): they concern every company, so nothing is checked. The options are checked
/// before anything is loaded.
pub fn check_many<I, L>(
    program: &Program,
    items: &[I],
    o: &CheckOptions,
    threads: usize,
    load: L,
) -> Result<Vec<Outcome>, Vec<Diagnostic>>
where
    I: Sync,
    L: Fn(&I) -> Result<RecordSet, Vec<Diagnostic>> + Sync,
{
    check_many_with(program, items, o, threads, load, |_, outcome| outcome)
}

/// [`check_many`], turning each company's outcome into what the host keeps (`finish`, run
/// on the thread that checked the company: a [`Table`] of its rows, say) so that reports need
/// not all be held at once.
///
/// # Errors
/// As [`check_many`].
pub fn check_many_with<I, L, T, F>(
    program: &Program,
    items: &[I],
    o: &CheckOptions,
    threads: usize,
    load: L,
    finish: F,
) -> Result<Vec<T>, Vec<Diagnostic>>
where
    I: Sync,
    T: Send,
    L: Fn(&I) -> Result<RecordSet, Vec<Diagnostic>> + Sync,
    F: Fn(&I, Outcome) -> T + Sync,
{
    let threads = if threads == 0 {
        available_threads()
    } else {
        threads
    };
    let mut opts = options(o)?;
    opts.threads = if items.len() > 1 { 1 } else { threads };
    // An unknown edition, parameter or rule of `only` is an error of the call: found once, on
    // an empty record set, rather than once per company.
    crate::eval::evaluate(program, &RecordSet::default(), &opts)?;
    Ok(crate::workers::map(
        items,
        threads,
        || (),
        |(), i, item| {
            // A bug of pms met by one company is that company's internal error (E9001);
            // the others are still checked.
            let outcome = crate::ffi::catch_internal(
                &format!("company {} of {} (in the order given)", i + 1, items.len()),
                || load(item).and_then(|set| crate::eval::evaluate(program, &set, &opts)),
            )
            .unwrap_or_else(Err);
            finish(item, outcome)
        },
    ))
}

/// What a column of a [`Table`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Text,
    /// A whole number.
    Int,
    /// A date (as `yyyy-mm-dd` text in a [`Column::Text`]).
    Date,
}

/// The columns of a findings table, in order, with their kind. The finding columns are those
/// of a single report's table; `code`, `file`, `line`, `column` and `field` locate the
/// problems of a company whose records could not be read (rows with status `error`, the
/// diagnostic's message in `message` and its help in `fix`).
pub const COLUMNS: &[(&str, Kind)] = &[
    ("company", Kind::Text),
    ("id", Kind::Text),
    ("rule_id", Kind::Text),
    ("status", Kind::Text),
    ("severity", Kind::Text),
    ("phase", Kind::Text),
    ("clause", Kind::Text),
    ("subject_entity", Kind::Text),
    ("subject_id", Kind::Text),
    ("subject", Kind::Text),
    ("title", Kind::Text),
    ("message", Kind::Text),
    ("fix", Kind::Text),
    ("due", Kind::Date),
    ("days_overdue", Kind::Int),
    ("caused_by", Kind::Text),
    ("missing", Kind::Text),
    ("code", Kind::Text),
    ("file", Kind::Text),
    ("line", Kind::Int),
    ("column", Kind::Int),
    ("field", Kind::Text),
];

/// Positions in [`COLUMNS`] of the whole-number columns, in order.
const INTS: [usize; 3] = [14, 19, 20];

/// Findings of many companies as columns (see [`COLUMNS`]): a finding per row, or a
/// diagnostic per row for a company whose records could not be read. Dates are text
/// (`yyyy-mm-dd`); empty cells are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    text: Vec<Vec<Option<String>>>,
    ints: Vec<Vec<Option<i64>>>,
    rows: usize,
}

impl Default for Table {
    fn default() -> Self {
        Table {
            text: vec![Vec::new(); COLUMNS.len() - INTS.len()],
            ints: vec![Vec::new(); INTS.len()],
            rows: 0,
        }
    }
}

/// One row of a [`Table`], cell by cell in [`COLUMNS`] order.
enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
}

impl Table {
    /// The rows of one company's outcome, named `company`, with the texts of `lang`.
    #[must_use]
    pub fn of(company: &str, outcome: &Outcome, lang: Lang) -> Table {
        let mut t = Table::default();
        let name = || Cell::Text(Some(company.to_string()));
        let text = |s: &str| Cell::Text(Some(s.to_string()));
        match outcome {
            Ok(report) => {
                for f in &report.findings {
                    let subject = f.subject.as_ref();
                    t.push([
                        name(),
                        text(&f.id),
                        text(&f.rule_id),
                        Cell::Text(status_key(f.status)),
                        text(f.severity.as_str()),
                        text(f.phase.as_str()),
                        Cell::Text(f.clause.clone()),
                        Cell::Text(subject.map(|s| s.entity.clone())),
                        Cell::Text(subject.map(|s| s.id.clone())),
                        Cell::Text(subject.map(|s| s.display.clone())),
                        text(f.title.get(lang)),
                        text(f.message.get(lang)),
                        text(f.fix.get(lang)),
                        Cell::Text(f.due.map(|d| d.to_string())),
                        Cell::Int(f.days_overdue),
                        Cell::Text(f.caused_by.clone()),
                        text(&f.missing.join(", ")),
                        Cell::Text(None),
                        Cell::Text(None),
                        Cell::Int(None),
                        Cell::Int(None),
                        Cell::Text(None),
                    ]);
                }
            }
            Err(diags) => {
                for d in diags {
                    let loc = d.location.as_ref();
                    let int = |n: Option<usize>| Cell::Int(n.and_then(|n| i64::try_from(n).ok()));
                    t.push([
                        name(),
                        Cell::Text(None),
                        Cell::Text(None),
                        text("error"),
                        text(match d.level {
                            crate::Level::Error => "error",
                            crate::Level::Warning => "warning",
                        }),
                        Cell::Text(None),
                        Cell::Text(None),
                        Cell::Text(None),
                        Cell::Text(None),
                        Cell::Text(None),
                        Cell::Text(None),
                        text(&d.message),
                        Cell::Text(d.help.clone()),
                        Cell::Text(None),
                        Cell::Int(None),
                        Cell::Text(None),
                        Cell::Text(None),
                        text(d.code),
                        Cell::Text(loc.map(|l| l.file.clone())),
                        int(loc.and_then(|l| l.line)),
                        int(loc.and_then(|l| l.column)),
                        Cell::Text(loc.and_then(|l| l.field.clone())),
                    ]);
                }
            }
        }
        t
    }

    fn push(&mut self, row: [Cell; COLUMNS.len()]) {
        let (mut ti, mut ii) = (0, 0);
        for cell in row {
            match cell {
                Cell::Text(v) => {
                    if let Some(c) = self.text.get_mut(ti) {
                        c.push(v);
                    }
                    ti += 1;
                }
                Cell::Int(v) => {
                    if let Some(c) = self.ints.get_mut(ii) {
                        c.push(v);
                    }
                    ii += 1;
                }
            }
        }
        self.rows += 1;
    }

    /// The tables one after the other.
    #[must_use]
    pub fn concat(tables: Vec<Table>) -> Table {
        let mut out = Table::default();
        for t in tables {
            for (a, b) in out.text.iter_mut().zip(t.text) {
                a.extend(b);
            }
            for (a, b) in out.ints.iter_mut().zip(t.ints) {
                a.extend(b);
            }
            out.rows += t.rows;
        }
        out
    }

    /// The number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether there is no row.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Takes the columns out in [`COLUMNS`] order: text and date columns as text, whole
    /// numbers as numbers.
    #[must_use]
    pub fn into_columns(self) -> Vec<(&'static str, Column)> {
        let mut text = self.text.into_iter();
        let mut ints = self.ints.into_iter();
        COLUMNS
            .iter()
            .map(|(name, kind)| {
                let col = match kind {
                    Kind::Int => Column::Int(ints.next().unwrap_or_default()),
                    Kind::Text | Kind::Date => Column::Text(text.next().unwrap_or_default()),
                };
                (*name, col)
            })
            .collect()
    }
}

/// The cells of one column of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Text and dates (`yyyy-mm-dd`).
    Text(Vec<Option<String>>),
    /// Whole numbers.
    Int(Vec<Option<i64>>),
}

/// The report's name of a status (`gap`, `at_risk`, …).
fn status_key(s: crate::Status) -> Option<String> {
    match serde_json::to_value(s) {
        Ok(serde_json::Value::String(k)) => Some(k),
        _ => None,
    }
}

/// The number of threads the machine offers (one when it cannot tell, and in WebAssembly).
fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{load_str, Format};

    fn program() -> Program {
        Program::compile(vec![crate::Source {
            name: "t.pms".into(),
            text: r#"rule X-T-01 {
  title ja "退職日" en "End date"
  clause jis2023 "7.2.1", jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  require present(w.end_date)
  message ja "{w.id}" en "{w.id}"
  fix ja "x" en "x"
}"#
            .into(),
        }])
        .unwrap()
    }

    fn company(n: usize) -> String {
        let people: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id": "W-{i}", "name": "n{i}", "employment_type": "正社員", "start_date": "2020-04-01"}}"#))
            .collect();
        format!(r#"{{"workforce": [{}]}}"#, people.join(","))
    }

    fn opts(as_of: &str) -> CheckOptions {
        CheckOptions {
            as_of: as_of.into(),
            ..CheckOptions::default()
        }
    }

    #[test]
    fn every_company_in_order_and_a_bad_one_in_its_place() {
        let p = program();
        let items: Vec<String> = (0..40)
            .map(|k| {
                if k == 7 {
                    "{\"workforce\": [{\"id\": 1}]}".into()
                } else {
                    company(k % 5)
                }
            })
            .collect();
        let load = |t: &String| load_str("<records>", t, Format::Json);
        for threads in [1, 2, 5] {
            let out = check_many(&p, &items, &opts("2026-03-31"), threads, load).unwrap();
            assert_eq!(out.len(), items.len());
            for (k, o) in out.iter().enumerate() {
                if k == 7 {
                    let diags = o.as_ref().unwrap_err();
                    assert!(diags.iter().all(|d| d.code.starts_with("E1")), "{diags:?}");
                } else {
                    let one = crate::ffi::check(&p, &load(&items[k]).unwrap(), &opts("2026-03-31"));
                    let report = o.as_ref().unwrap();
                    assert_eq!(report.to_json(), one.unwrap().to_json());
                    assert_eq!(report.findings.len(), k % 5);
                }
            }
        }
    }

    #[test]
    fn bad_options_fail_the_call_before_loading() {
        let p = program();
        let load = |_: &u8| -> Result<RecordSet, Vec<Diagnostic>> { unreachable!() };
        let bad_date = check_many(&p, &[1u8, 2], &opts("2026-02-30"), 2, load).unwrap_err();
        assert_eq!(bad_date[0].code, "E3001");
        let mut only = opts("2026-03-31");
        only.only = vec!["X-T-1".into()];
        let unknown = check_many(&p, &[1u8, 2], &only, 2, load).unwrap_err();
        assert!(unknown[0].message.contains("X-T-1"), "{unknown:?}");
    }

    #[test]
    fn the_table_has_a_row_per_finding_or_diagnostic_in_company_order() {
        let p = program();
        let items = vec![
            company(2),
            "{\"workforce\": [{\"id\": 1}]}".to_string(),
            company(3),
        ];
        let names = ["a", "b", "c"];
        let load = |t: &String| load_str("<records>", t, Format::Json);
        let tables = check_many_with(&p, &items, &opts("2026-03-31"), 2, load, |item, o| {
            let k = items.iter().position(|x| std::ptr::eq(x, item)).unwrap();
            Table::of(names[k], &o, Lang::En)
        })
        .unwrap();
        let table = Table::concat(tables);
        let diags = load(&items[1]).unwrap_err();
        assert_eq!(table.len(), 2 + diags.len() + 3);
        let cols = table.into_columns();
        let names_of: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names_of,
            COLUMNS.iter().map(|(n, _)| *n).collect::<Vec<_>>()
        );
        for ((_, col), (_, kind)) in cols.iter().zip(COLUMNS) {
            assert_eq!(matches!(col, Column::Int(_)), *kind == Kind::Int);
        }
        let text = |name: &str| match &cols.iter().find(|(n, _)| *n == name).unwrap().1 {
            Column::Text(v) => v.clone(),
            Column::Int(_) => panic!("{name} is not text"),
        };
        let company: Vec<String> = text("company").into_iter().flatten().collect();
        let mut want = vec!["a"; 2];
        want.extend(vec!["b"; diags.len()]);
        want.extend(vec!["c"; 3]);
        assert_eq!(company, want);
        let status = text("status");
        assert_eq!(status[0].as_deref(), Some("gap"));
        assert_eq!(status[2].as_deref(), Some("error"));
        assert_eq!(text("code")[2].as_deref(), Some(diags[0].code));
        assert_eq!(
            text("message")[2].as_deref(),
            Some(diags[0].message.as_str())
        );
        assert_eq!(
            text("subject_id")[2 + diags.len() + 1].as_deref(),
            Some("W-1")
        );
        assert_eq!(text("title")[0].as_deref(), Some("End date"));
        let Column::Int(line) = &cols.iter().find(|(n, _)| *n == "line").unwrap().1 else {
            panic!("line is not a number column")
        };
        assert_eq!(
            line[2],
            diags[0]
                .location
                .as_ref()
                .and_then(|l| l.line)
                .map(|n| n as i64)
        );
        assert_eq!(line[0], None);
    }
}
