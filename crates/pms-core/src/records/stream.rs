//! Records handed over by a reader as entity lists, each list (or part of a long list) read
//! by a loader of its own on up to `threads` threads and merged in order.
//!
//! [`super::load_fed`] visits a reader's record document on one thread. A reader that holds
//! its rows typed (the ledger readers of `pms-ledgers`) can instead hand over the document's
//! entity lists one by one, a long list in parts: each is read as the document's list of that
//! entity would be read there ([`Loader::list`]), and the loaders are merged in the order the
//! lists are given ([`Loader::merge`]), so the record set, and every problem, is what reading
//! the whole document on one thread gives.

use super::{load_docs_on, loader::Loader, Document, RecordSet};
use crate::diagnostic::{codes, Diagnostic, Location};
use crate::schema::Extensions;

/// One list of records of a fed document: an entity's list, or a part of it.
pub struct FedList<'a, D> {
    /// The entity, a key of the record document (one of the schema's entities).
    pub entity: &'a str,
    /// The index in the entity's list of the first record this part holds (0 for a whole
    /// list). The parts of one list come one after the other, in order.
    pub first: u32,
    /// A deserializer showing the records of the part as a list.
    pub records: D,
}

/// Validates and loads record documents together with one more document, named `name`,
/// given as its entity lists in document order (the parts of a long list one after the
/// other; an entity given once), read by up to `threads` threads (one: in order on the
/// calling thread, and always in WebAssembly). What follows the reading (references, the
/// sorted tables) is spread over the same threads.
///
/// # Errors
/// Every problem found, as [`super::load_fed`] reports it for the document the lists make;
/// an error of a deserializer itself stops the reading and is reported alone, like a syntax
/// error.
pub fn load_fed_lists<'de, D: serde::Deserializer<'de> + Send>(
    mut docs: Vec<Document>,
    name: &str,
    lists: Vec<FedList<'_, D>>,
    extensions: &Extensions,
    threads: usize,
) -> Result<RecordSet, Vec<Diagnostic>> {
    // An entity the schema does not have would be passed over: refused instead.
    if let Some(l) = lists
        .iter()
        .find(|l| crate::schema::find_entity(l.entity).is_none())
    {
        return Err(vec![Diagnostic::error(
            codes::UNKNOWN_ENTITY,
            format!("unknown entity `{}`", l.entity),
        )
        .ja(format!("未知のエンティティ `{}`", l.entity))
        .at(Location {
            file: name.to_owned(),
            pointer: Some(format!(
                "/{}",
                l.entity.replace('~', "~0").replace('/', "~1")
            )),
            ..Location::default()
        })]);
    }
    let at = docs.len();
    docs.push(Document {
        name: name.to_owned(),
        text: None,
        value: None,
        entity: None,
    });
    let names: Vec<String> = docs.iter().map(|d| d.name.clone()).collect();
    let syntax = |e: &dyn std::fmt::Display| super::fed::unreadable(name, e);
    let mut lists = Some(lists);
    let mut read = |ld: &mut Loader| {
        let lists = lists.take()?;
        if threads <= 1 || lists.len() <= 1 || cfg!(target_family = "wasm") {
            for l in lists {
                let before = ld.problems.len();
                if let Err(e) = ld.list(at, l.entity, l.first, false, l.records) {
                    ld.problems.truncate(before);
                    return Some(syntax(&e));
                }
            }
            return None;
        }
        // Each list on a loader of its own; merged in order until the first that could not
        // be read (whose problems, and what follows it, are not read on one thread either).
        let mut stopped: Option<Diagnostic> = None;
        crate::workers::stream(
            threads,
            |give| lists.into_iter().for_each(give),
            |l| {
                let mut part = Loader::new(names.clone(), extensions.clone());
                let got = part
                    .list(at, l.entity, l.first, false, l.records)
                    .err()
                    .map(|e| syntax(&e));
                (part, got)
            },
            |(part, got)| {
                if stopped.is_some() {
                    return;
                }
                match got {
                    Some(d) => stopped = Some(d),
                    None => ld.merge(part),
                }
            },
        );
        stopped
    };
    load_docs_on(&docs, extensions, None, threads, Some((at, &mut read)))
}
