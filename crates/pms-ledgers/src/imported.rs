//! The ledgers read in one place and validated in another: the records as one record
//! document, with where each record came from, as plain serialisable data.
//!
//! The browser reads ledgers in a WebAssembly module of its own (`pms-wasm-ledgers`, loaded
//! only when a workbook or CSV is given) and checks them in the main module: the reader
//! hands over an [`Imported`] (as JSON), and [`load`] validates it with the other record
//! documents exactly as [`crate::load`] does, every diagnostic of a ledger record moved to its
//! cell.

use crate::{combine, document, relocated, Combined, Ledgers, Origin, Place, Places, DOCUMENT};
use pms_core::records::Document;
use pms_core::schema::Extensions;
use pms_core::{Diagnostic, RecordSet};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Ledgers read, ready to be validated elsewhere.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Imported {
    /// The records of every ledger as one record document (what [`crate::to_json`] gives).
    pub document: Json,
    /// The sheets read, in the order of [`Ledgers::sheets`].
    pub sheets: Vec<ImportedSheet>,
    /// Per entity, where each of its records (by index) came from.
    entities: BTreeMap<String, Vec<Origin>>,
    /// Per parent entity, parent index and field: where each nested object came from.
    nested: Vec<(String, usize, String, Vec<Origin>)>,
}

/// One sheet read: where it is and the rows that became records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportedSheet {
    /// The file the sheet is in.
    pub file: String,
    /// The sheet name.
    pub sheet: String,
    /// Whether the sheet is in a workbook (else a CSV/TSV file).
    pub in_workbook: bool,
    /// Each mapped column: its number and the field path it names.
    pub columns: Vec<(u32, String)>,
    /// Each record's row.
    pub rows: Vec<ImportedRow>,
}

/// The row a record came from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportedRow {
    /// 0-based row number in the sheet.
    pub row: u32,
    /// The columns (indexes into [`ImportedSheet::columns`]) the row gave a value in.
    pub read: Vec<u32>,
}

impl Places for [ImportedSheet] {
    fn place(&self, o: Origin) -> Option<Place<'_>> {
        let s = self.get(o.sheet)?;
        let r = s.rows.get(o.row)?;
        Some(Place {
            file: &s.file,
            sheet: &s.sheet,
            in_workbook: s.in_workbook,
            row: r.row,
            column: Box::new(move |path| {
                // The first column of the field the row gave a value in (a wide sheet has
                // one per stage).
                s.columns
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, p))| p == path)
                    .find(|(j, _)| r.read.iter().any(|&k| usize::try_from(k).ok() == Some(*j)))
                    .map(|(_, c)| c.0)
            }),
        })
    }
}

/// The ledgers as an [`Imported`].
///
/// # Errors
/// Rows of nested objects whose parent record cannot be found (as [`crate::load`] reports
/// them).
pub fn import(ledgers: Ledgers) -> Result<Imported, Vec<Diagnostic>> {
    let combined = combine(&ledgers)?;
    let value = document(&ledgers, &combined);
    let Combined { entities, nested } = combined;
    Ok(Imported {
        document: value,
        sheets: ledgers
            .sheets
            .into_iter()
            .map(|s| ImportedSheet {
                columns: s.columns.iter().map(|(n, _, c)| (*n, c.path())).collect(),
                rows: s
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| ImportedRow {
                        row: r.row,
                        read: s.columns_read(i),
                    })
                    .collect(),
                file: s.file,
                sheet: s.sheet,
                in_workbook: s.in_workbook,
            })
            .collect(),
        entities,
        nested: nested
            .into_iter()
            .map(|((e, i, f), o)| (e, i, f, o))
            .collect(),
    })
}

/// Validates imported ledgers together with record documents, as [`crate::load`] validates
/// the ledgers they were read from: the same records, the same diagnostics at the same cells.
///
/// # Errors
/// Every problem found, located.
pub fn load(
    imported: Imported,
    documents: Vec<Document>,
    extensions: &Extensions,
) -> Result<RecordSet, Vec<Diagnostic>> {
    let Imported {
        document,
        sheets,
        entities,
        nested,
    } = imported;
    let combined = Combined {
        entities,
        nested: nested
            .into_iter()
            .map(|(e, i, f, o)| ((e, i, f), o))
            .collect(),
    };
    // The document handed over, validated as a parsed value (the reader's view of its rows
    // stays in the other module).
    let mut documents = documents;
    documents.push(Document {
        name: DOCUMENT.into(),
        text: None,
        value: Some(document),
        entity: None,
    });
    let loaded = pms_core::records::load_documents_with(documents, extensions);
    relocated(loaded, &combined, sheets.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ledger read here and validated from its JSON form gives what `crate::load` gives:
    /// the same records, and the same located diagnostics.
    #[test]
    fn imported_through_json_loads_like_the_ledgers() {
        let csv = "ID,氏名,雇用区分\nW1,山田,正社員\nW1,佐藤,派遣\n";
        let files = vec![("従業者.csv".to_owned(), csv.as_bytes().to_vec())];
        let options = crate::ReadOptions::default();
        let ledgers = crate::read_files(&files, &options).unwrap();
        let direct =
            crate::load(&mut ledgers.clone(), Vec::new(), &Extensions::none()).unwrap_err();
        let text = serde_json::to_string(&import(ledgers).unwrap()).unwrap();
        let back: Imported = serde_json::from_str(&text).unwrap();
        let via = load(back, Vec::new(), &Extensions::none()).unwrap_err();
        assert_eq!(direct, via);
        assert!(via.iter().any(|d| d
            .location
            .as_ref()
            .and_then(|l| l.cell.as_deref())
            .is_some()));
        let good = "ID,氏名,雇用区分,入社日\nW1,山田,正社員,2025/4/1\nW2,佐藤,派遣,R7.4.1\n";
        let files = vec![("従業者.csv".to_owned(), good.as_bytes().to_vec())];
        let ledgers = crate::read_files(&files, &options).unwrap();
        let direct = crate::load(&mut ledgers.clone(), Vec::new(), &Extensions::none()).unwrap();
        let text = serde_json::to_string(&import(ledgers).unwrap()).unwrap();
        let via = load(
            serde_json::from_str(&text).unwrap(),
            Vec::new(),
            &Extensions::none(),
        )
        .unwrap();
        assert_eq!(direct.counts(), via.counts());
        assert_eq!(via.counts().get("workforce").copied(), Some(2));
    }
}
