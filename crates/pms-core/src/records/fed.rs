//! Records read from a serde [`Deserializer`](serde::Deserializer) handed over by a reader,
//! validated by the same loader as JSON and YAML documents.
//!
//! A reader that already holds typed rows (the ledger readers of `pms-ledgers`) need not
//! build a JSON tree for the core: it hands over a deserializer that shows its rows as a
//! record document (`{entity: [record, …]}`), and the loader visits them as they lie. Every
//! check and diagnostic of the loader applies once, located by JSON pointer in a document of
//! the given name, as for a parsed value ([`Document::value`]).

use super::{load_docs_on, Document, RecordSet};
use crate::diagnostic::{codes, Diagnostic, Location};
use crate::schema::Extensions;

/// Validates and loads record documents together with one more document read from
/// `document`, a deserializer showing a record document, named `name` in diagnostics (after
/// the others, as if it were the last of `docs`).
///
/// # Errors
/// Every problem found, as [`super::load_documents_with`] reports it; an error of the
/// deserializer itself stops reading it and is reported alone, like a syntax error.
pub fn load_fed<'de, D: serde::Deserializer<'de>>(
    mut docs: Vec<Document>,
    name: &str,
    document: D,
    extensions: &Extensions,
) -> Result<RecordSet, Vec<Diagnostic>> {
    let at = docs.len();
    docs.push(Document {
        name: name.to_owned(),
        text: None,
        value: None,
        entity: None,
    });
    let mut document = Some(document);
    let mut read = |ld: &mut super::loader::Loader| {
        let de = document.take()?;
        let before = ld.problems.len();
        ld.document(at, None, de).err().map(|e| {
            ld.problems.truncate(before);
            unreadable(name, &e)
        })
    };
    load_docs_on(&docs, extensions, None, 1, Some((at, &mut read)))
}

/// The error of a deserializer that a reader handed over (a fed document or list could not
/// be read), located at the document `name`.
pub(super) fn unreadable(name: &str, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(codes::SYNTAX, format!("cannot read `{name}`: {e}"))
        .ja(format!(
            "`{name}` を読めない: {}",
            crate::text::syntax_ja(&e.to_string())
        ))
        .at(Location {
            file: name.to_owned(),
            ..Location::default()
        })
}
