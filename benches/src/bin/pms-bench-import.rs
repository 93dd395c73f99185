//! The import benchmark's Rust side (benches/import.py runs each mode in its own process):
//!
//! - `pms-bench-import csv-export BOOK.xlsx DIR`: writes every record sheet of a workbook pms
//!   wrote as one CSV file per entity, in Shift_JIS (cp932) with CRLF, as Japanese Excel's
//!   「CSV (コンマ区切り)」 saves a sheet: the file named after the sheet's Japanese name, the
//!   Japanese header row only (no title row, no field names), dates as `2025/4/1`.
//! - `pms-bench-import calamine BOOK.xlsx`: the bare read — calamine reads every cell of every
//!   visible sheet into memory (`worksheet_range`).
//! - `pms-bench-import csv DIR`: the bare read — every CSV file decoded from cp932 by
//!   encoding_rs and split into records by the csv crate, all held in memory.
//! - `pms-bench-import pms PATH`: pms's import as a library — `pms_ledgers::read_path` (cells
//!   to records) and then `pms_ledgers::load` (validated into a record set), timed apart.
//!
//! Each mode prints one JSON line: rows (or records), cells and seconds.

use calamine::{Data, Reader, SheetVisible};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn fail(what: &str) -> ! {
    eprintln!("pms-bench-import: {what}");
    std::process::exit(2)
}

fn open(path: &str) -> calamine::Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(path).unwrap_or_else(|e: calamine::XlsxError| fail(&e.to_string()))
}

/// The record sheets of a workbook pms wrote: visible worksheets but the instructions.
fn record_sheets(book: &calamine::Xlsx<std::io::BufReader<std::fs::File>>) -> Vec<String> {
    book.sheets_metadata()
        .iter()
        .filter(|m| {
            m.visible == SheetVisible::Visible
                && m.typ == calamine::SheetType::WorkSheet
                && m.name != pms_ledgers::layout::INSTRUCTIONS_SHEET
        })
        .map(|m| m.name.clone())
        .collect()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y}/{m}/{d}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn csv_export(book_path: &str, dir: &str) {
    let mut book = open(book_path);
    std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(&e.to_string()));
    for name in record_sheets(&book) {
        let range = book
            .worksheet_range(&name)
            .unwrap_or_else(|e| fail(&e.to_string()));
        // `教育実施 (training_sessions)` → `教育実施.csv`; a ledger's continuation sheet
        // `受講記録 (training_records) (2)` → `受講記録 (2).csv` (read back as one ledger).
        let mut ja = name.split(" (").next().unwrap_or(&name).to_owned();
        let part = name
            .rsplit_once(" (")
            .and_then(|(_, n)| n.strip_suffix(')'))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if let Some(n) = part {
            ja = format!("{ja} ({n})");
        }
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut data_rows = 0usize;
        for (i, row) in range.rows().enumerate() {
            if i == pms_ledgers::layout::TITLE_ROW as usize {
                continue;
            }
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    let t = cell_text(c);
                    if i == pms_ledgers::layout::HEADER_ROW as usize {
                        // `氏名\n(name)` → `氏名`: the Japanese label alone.
                        t.split('\n').next().unwrap_or_default().to_owned()
                    } else {
                        t
                    }
                })
                .collect();
            if i > pms_ledgers::layout::HEADER_ROW as usize {
                data_rows += 1;
            }
            w.write_record(&cells)
                .unwrap_or_else(|e| fail(&e.to_string()));
        }
        if data_rows == 0 {
            continue;
        }
        let text = String::from_utf8(w.into_inner().unwrap_or_else(|e| fail(&e.to_string())))
            .unwrap_or_else(|e| fail(&e.to_string()));
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        if unmappable {
            fail(&format!("sheet `{name}` has text Shift_JIS cannot hold"));
        }
        std::fs::write(Path::new(dir).join(format!("{ja}.csv")), bytes)
            .unwrap_or_else(|e| fail(&e.to_string()));
    }
}

fn calamine_read(book_path: &str) {
    let t = Instant::now();
    let mut book = open(book_path);
    let mut ranges = Vec::new();
    for name in record_sheets(&book) {
        ranges.push(
            book.worksheet_range(&name)
                .unwrap_or_else(|e| fail(&e.to_string())),
        );
    }
    let secs = t.elapsed().as_secs_f64();
    let rows: usize = ranges.iter().map(calamine::Range::height).sum();
    let cells: usize = ranges
        .iter()
        .map(|r| {
            r.used_cells()
                .filter(|(_, _, c)| !matches!(c, Data::Empty))
                .count()
        })
        .sum();
    println!(r#"{{"rows": {rows}, "cells": {cells}, "seconds": {secs}}}"#);
}

fn csv_read(dir: &str) {
    let t = Instant::now();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&e.to_string()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    entries.sort();
    let mut tables: Vec<Vec<csv::StringRecord>> = Vec::new();
    for p in entries {
        let bytes = std::fs::read(&p).unwrap_or_else(|e| fail(&e.to_string()));
        let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
        if had_errors {
            fail(&format!("`{}` is not Shift_JIS", p.display()));
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for rec in r.records() {
            rows.push(rec.unwrap_or_else(|e| fail(&e.to_string())));
        }
        tables.push(rows);
    }
    let secs = t.elapsed().as_secs_f64();
    let rows: usize = tables.iter().map(Vec::len).sum();
    let cells: usize = tables
        .iter()
        .flatten()
        .map(|r| r.iter().filter(|c| !c.is_empty()).count())
        .sum();
    println!(r#"{{"rows": {rows}, "cells": {cells}, "seconds": {secs}}}"#);
}

fn pms_read(path: &str) {
    let options = pms_ledgers::ReadOptions::default();
    // The first five problems, when the ledgers cannot be read or loaded.
    let first_five = |d: Vec<pms_core::Diagnostic>| -> ! {
        fail(
            &d.iter()
                .take(5)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    let t = Instant::now();
    let (mut ledgers, docs) =
        pms_ledgers::read_path(Path::new(path), &options).unwrap_or_else(|d| first_five(d));
    let read = t.elapsed().as_secs_f64();
    let rows: usize = ledgers.sheets.iter().map(|s| s.rows.len()).sum();
    let set = pms_ledgers::load(&mut ledgers, docs, &pms_core::schema::Extensions::none())
        .unwrap_or_else(|d| first_five(d));
    let secs = t.elapsed().as_secs_f64();
    println!(
        r#"{{"rows": {rows}, "records": {}, "read_seconds": {read}, "seconds": {secs}}}"#,
        set.len()
    );
    let _ = std::io::stdout().flush();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [_, "csv-export", book, dir] => csv_export(book, dir),
        [_, "calamine", book] => calamine_read(book),
        [_, "csv", dir] => csv_read(dir),
        [_, "pms", path] => pms_read(path),
        _ => {
            fail("usage: pms-bench-import csv-export BOOK DIR | calamine BOOK | csv DIR | pms PATH")
        }
    }
}
