//! The record set: loading, validation and indexed access.
//!
//! ```text
//! JSON / YAML text ──text::parse_*──▶ serde_json::Value ──json_to_records──▶ RecordSet
//!                                         (every problem collected, then located)
//! ```
//!
//! Loading never stops at the first problem: every unknown field, wrong type, bad date,
//! duplicate id, dangling reference and impossible date order of every file is reported at
//! once, each with its file, line, column, JSON pointer and field. A record set with any error
//! is rejected whole, so nothing is silently dropped.

use crate::diagnostic::{codes, Diagnostic, Location};
use crate::input::{self, Event, Limits, Progress};
use crate::schema::{Extensions, STRUCTS};
use crate::text;

mod fed;
mod loader;
mod split;
mod stream;
mod table;
mod texts;

pub use fed::load_fed;
pub use stream::{load_fed_lists, FedList};

use crate::value::{RecRef, Value};
use chrono::NaiveDate;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use table::Table;
pub(crate) use table::{ColumnView, NONE};

/// Hash maps keyed by ids use foldhash: ids are not attacker-chosen keys of a server, and
/// SipHash dominated loading large record sets.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
use std::path::Path;
use std::sync::Arc;

/// The hash of a text in the string table ([`RecordSet::symbols`]), kept in 32 bits.
fn hash_text(s: &str) -> u32 {
    use std::hash::BuildHasher as _;
    // Truncation intended: the table stores 32 bits of the hash.
    #[allow(clippy::cast_possible_truncation)]
    let h = foldhash::fast::FixedState::default().hash_one(s) as u32;
    h
}

/// A stored 32-bit text hash as the table's 64-bit hash: the low bits choose the bucket and
/// the top 7 bits tag it, so both halves carry the hash.
fn table_hash(h: u32) -> u64 {
    u64::from(h) | (u64::from(h) << 32)
}

/// "No record" in [`RecordSet::records`].
const NO_RECORD: RecRef = RecRef {
    entity: u16::MAX,
    row: u32::MAX,
};

/// A validated record set: one column table per entity, sorted by id, and an id index.
#[derive(Debug, Clone, Default)]
pub struct RecordSet {
    /// Indexed by struct index; `None` when the entity is absent from the input.
    tables: Vec<Option<Table>>,
    /// Every distinct text value, once, in one block.
    strings: texts::Texts,
    /// The string-table index of every distinct text with its hash ([`hash_text`]): a text
    /// read is hashed once, growing the table hashes nothing again, and an entry is 8 bytes.
    symbols: hashbrown::HashTable<(u32, u32)>,
    /// By string-table index: the record that has that text as its id ([`NO_RECORD`] if none).
    records: Vec<RecRef>,
    /// Nested objects with an id, per struct index.
    nested: Vec<HashMap<Arc<str>, Value>>,
    /// The extension fields the records were loaded with (their values follow each
    /// extended entity's built-in fields).
    pub(crate) extensions: crate::schema::Extensions,
    /// Where each record was read, kept for sets small enough (see [`RecordSet::locations`]).
    sources: Option<Arc<Sources>>,
    /// The evaluator's index look-ups of these records, built on first use.
    pub(crate) indexes: crate::eval::IndexCache,
}

/// The documents of a small record set and where each record was read in them, from which
/// [`RecordSet::locations`] makes the JSON pointer of a record, and its line and column, on
/// demand (no pointer is formatted while loading).
#[derive(Debug, Default)]
struct Sources {
    /// Per document: its name and its text, when known.
    docs: Vec<(String, Option<Arc<str>>)>,
    /// The JSON pointer of every list of records read (`/workforce`, or empty for a bare list).
    lists: Vec<String>,
    /// Per entity (struct index), where each of its records was read, in the order of its
    /// table's rows.
    origins: Vec<Vec<loader::Origin>>,
    /// Record id → the 1-based line and column where it starts, worked out from the texts
    /// at the first call of [`RecordSet::locations`] and kept: a set checked many times (a
    /// notebook's `pms.load` then `check` at several dates) parses its documents once.
    starts: std::sync::OnceLock<HashMap<Arc<str>, (usize, usize)>>,
}

impl Sources {
    /// The JSON pointer of a record read at `o` (`/workforce/3`).
    fn pointer(&self, o: loader::Origin) -> String {
        let list = self.lists.get(o.list as usize).map_or("", String::as_str);
        format!("{list}/{}", o.index)
    }

    /// Where each record of `set` read from a text starts (the record's `id` key is where a
    /// reader looks for it).
    fn starts(&self, set: &RecordSet) -> &HashMap<Arc<str>, (usize, usize)> {
        self.starts.get_or_init(|| {
            let mut positions: HashMap<usize, text::Positions> = HashMap::default();
            let mut out = HashMap::default();
            for (e, origins) in self.origins.iter().enumerate() {
                let Ok(entity) = u16::try_from(e) else {
                    continue;
                };
                for (row, o) in origins.iter().enumerate() {
                    let doc = o.doc as usize;
                    let Some(t) = self.docs.get(doc).and_then(|(_, t)| t.as_deref()) else {
                        continue;
                    };
                    let r = RecRef {
                        entity,
                        row: u32::try_from(row).unwrap_or(u32::MAX),
                    };
                    let Some(id) = set.id(r) else {
                        continue;
                    };
                    let pointer = self.pointer(*o);
                    let ps = positions.entry(doc).or_insert_with(|| text::locate(t));
                    if let Some(p) = ps
                        .key(&format!("{pointer}/id"))
                        .or_else(|| ps.value(&pointer))
                    {
                        out.insert(Arc::from(id), p);
                    }
                }
            }
            out
        })
    }
}

/// Record sets up to this much text keep their sources for [`RecordSet::locations`]
/// (larger ones are not located, so loading them costs nothing more).
const LOCATE_TEXT_LIMIT: usize = 16 << 20;
/// … and up to this many records.
const LOCATE_RECORD_LIMIT: usize = 200_000;

/// A parsed record document waiting to be validated.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name shown in diagnostics.
    pub name: String,
    /// The text, when known, to turn pointers into lines and columns.
    pub text: Option<String>,
    /// The parsed content, for YAML and values handed over already parsed; `None` for JSON
    /// text, which [`load_documents`] reads by streaming from `text`.
    pub value: Option<Json>,
    /// The entity the document holds when it is a bare list (from the file name).
    pub entity: Option<String>,
}

/// Text format of a record document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// The format a file name implies.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Some(Format::Json)
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Some(Format::Yaml)
        } else {
            None
        }
    }
}

impl Document {
    /// Prepares text for loading. YAML is parsed here; JSON is only read, by streaming, when
    /// the document is loaded (its syntax errors are reported then).
    ///
    /// # Errors
    /// A syntax diagnostic ([`codes::SYNTAX`]) located at the error.
    pub fn parse(
        name: &str,
        text: String,
        format: Format,
        entity: Option<String>,
    ) -> Result<Document, Box<Diagnostic>> {
        Document::parse_checked(name, text, format, entity, true)
    }

    /// [`Document::parse`] of a text from [`text::decode`], which holds no zero byte.
    fn parse_decoded(
        name: &str,
        text: String,
        format: Format,
        entity: Option<String>,
    ) -> Result<Document, Box<Diagnostic>> {
        Document::parse_checked(name, text, format, entity, false)
    }

    /// [`Document::parse`], looking for a zero byte when `zero`.
    fn parse_checked(
        name: &str,
        text: String,
        format: Format,
        entity: Option<String>,
        zero: bool,
    ) -> Result<Document, Box<Diagnostic>> {
        // A UTF-8 byte-order mark (what Windows tools often write) is not content.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        // A zero byte ends the text for a YAML reader: what follows would be dropped.
        if zero && memchr::memchr(0, text.as_bytes()).is_some() {
            text::decode(name, text.clone().into_bytes())?;
        }
        let value = match format {
            Format::Json => None,
            Format::Yaml => Some(text::parse_yaml(&text).map_err(|e| {
                Box::new(syntax_error(
                    e.code, name, format, &e.message, e.line, e.column,
                ))
            })?),
        };
        Ok(Document {
            name: name.to_string(),
            text: Some(text),
            value,
            entity,
        })
    }
}

/// Loads a record set from a file (`.json`, `.yaml`, `.yml`) or a directory of entity files,
/// within the default [`Limits`].
///
/// # Errors
/// Every problem found, located.
pub fn load_path(path: &Path) -> Result<RecordSet, Vec<Diagnostic>> {
    load_path_with(path, &Extensions::none())
}

/// [`load_path`], with the extension fields a program declares
/// ([`crate::Program::extensions`]).
///
/// # Errors
/// Every problem found, located.
pub fn load_path_with(path: &Path, extensions: &Extensions) -> Result<RecordSet, Vec<Diagnostic>> {
    load_path_opts(path, extensions, &LoadOptions::default()).map_err(|e| e.diagnostics)
}

/// How [`load_path_opts`] reads: the size limit and who is told of progress.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The bounds of what is read.
    pub limits: Limits,
    /// Told of each file read and of the records loaded.
    pub progress: Option<Progress>,
}

/// A load that failed: every problem, and the texts of the files read (to show the lines
/// the problems point at without reading the files again).
#[derive(Debug, Clone)]
pub struct LoadError {
    /// Every problem found, located.
    pub diagnostics: Vec<Diagnostic>,
    /// `(file name, text)` of every file read.
    pub sources: Vec<(String, String)>,
}

/// [`load_path_with`], within `opts.limits` and telling `opts.progress`. Only regular files
/// are read, a directory by its entity file names only (see [`crate::input`]).
///
/// # Errors
/// Every problem found, located, with the texts read.
pub fn load_path_opts(
    path: &Path,
    extensions: &Extensions,
    opts: &LoadOptions,
) -> Result<RecordSet, LoadError> {
    let only = |diagnostics| LoadError {
        diagnostics,
        sources: Vec::new(),
    };
    let files = input::record_files(path, opts.limits).map_err(only)?;
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    let mut sources = Vec::new();
    let count = files.len();
    for (index, (p, bytes)) in files.into_iter().enumerate() {
        let name = p.display().to_string();
        let file_name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some(format) = Format::from_name(file_name) else {
            diags.push(
                Diagnostic::error(codes::IO, format!("`{name}` is neither .json nor .yaml"))
                    .ja(format!("`{name}` は .json でも .yaml でもない"))
                    .at(Location {
                        file: name.clone(),
                        ..Location::default()
                    })
                    .help("name record files *.json, *.yaml or *.yml")
                    .help_ja("記録ファイルの名前は *.json、*.yaml、*.yml にする"),
            );
            continue;
        };
        let stem = file_name.split('.').next().unwrap_or_default().to_string();
        if let Some(progress) = &opts.progress {
            progress.emit(&Event::Reading {
                file: name.clone(),
                index: index + 1,
                count,
                bytes,
            });
        }
        let text = match input::read_text(&p, "records", opts.limits) {
            Ok(t) => t,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        // `read_text` refused a zero byte already (a text of hundreds of megabytes is not
        // looked through twice).
        match Document::parse_decoded(&name, text, format, Some(stem)) {
            Ok(d) => docs.push(d),
            Err(d) => diags.push(*d),
        }
    }
    let keep = |docs: Vec<Document>, sources: &mut Vec<(String, String)>| {
        sources.extend(docs.into_iter().filter_map(|d| Some((d.name, d.text?))));
    };
    if !diags.is_empty() {
        keep(docs, &mut sources);
        return Err(LoadError {
            diagnostics: diags,
            sources,
        });
    }
    match load_docs(&docs, extensions, opts.progress.as_ref()) {
        Ok(set) => Ok(set),
        Err(diagnostics) => {
            keep(docs, &mut sources);
            Err(LoadError {
                diagnostics,
                sources,
            })
        }
    }
}

/// Loads a record set from text in one format.
///
/// # Errors
/// Every problem found, located.
pub fn load_str(name: &str, text: &str, format: Format) -> Result<RecordSet, Vec<Diagnostic>> {
    load_str_with(name, text, format, &Extensions::none())
}

/// [`load_str`], with the extension fields a program declares.
///
/// # Errors
/// Every problem found, located.
pub fn load_str_with(
    name: &str,
    text: &str,
    format: Format,
    extensions: &Extensions,
) -> Result<RecordSet, Vec<Diagnostic>> {
    load_str_observed(name, text, format, extensions, None)
}

/// [`load_str_with`], telling `progress` of the records loaded.
///
/// # Errors
/// Every problem found, located.
pub fn load_str_observed(
    name: &str,
    text: &str,
    format: Format,
    extensions: &Extensions,
    progress: Option<&Progress>,
) -> Result<RecordSet, Vec<Diagnostic>> {
    let doc = Document::parse(name, text.to_string(), format, None).map_err(|d| vec![*d])?;
    load_docs(&[doc], extensions, progress)
}

/// Loads a record set from an already parsed JSON value (no line numbers, pointers only).
///
/// # Errors
/// Every problem found, with its JSON pointer.
pub fn load_json(value: Json) -> Result<RecordSet, Vec<Diagnostic>> {
    load_json_with(value, &Extensions::none())
}

/// [`load_json`], with the extension fields a program declares.
///
/// # Errors
/// Every problem found, with its JSON pointer.
pub fn load_json_with(value: Json, extensions: &Extensions) -> Result<RecordSet, Vec<Diagnostic>> {
    if let Some(pointer) = too_deep(&value) {
        drop_iteratively(value);
        return Err(vec![Diagnostic::error(
            codes::RECORD_NESTING,
            format!(
                "records nested deeper than {} levels of lists and objects",
                crate::limits::MAX_RECORD_NESTING
            ),
        )
        .ja(format!(
            "記録のリストとオブジェクトの入れ子が {} 段を超えている",
            crate::limits::MAX_RECORD_NESTING
        ))
        .at(Location {
            file: "<input>".into(),
            pointer: Some(pointer),
            ..Location::default()
        })
        .help("records nest a few levels (entity, record, list, object); look for a value that contains itself")
        .help_ja("記録の入れ子は数段（エンティティ、記録、リスト、オブジェクト）である。自分自身を含む値を探す")]);
    }
    load_documents_with(
        vec![Document {
            name: "<input>".into(),
            text: None,
            value: Some(value),
            entity: None,
        }],
        extensions,
    )
}

struct Problem {
    doc: usize,
    pointer: String,
    field: Option<String>,
    at_key: bool,
    diag: Diagnostic,
}

/// Validates and loads parsed documents.
///
/// JSON text is read by streaming, each record validated and built as it is read; YAML
/// documents and parsed values are read from their tree by the same code. A document with a
/// syntax error stops there; when any document has one, only the syntax errors are reported.
///
/// # Errors
/// Every problem found, located as precisely as the documents allow.
pub fn load_documents(docs: Vec<Document>) -> Result<RecordSet, Vec<Diagnostic>> {
    load_documents_with(docs, &Extensions::none())
}

/// [`load_documents`], with the extension fields a program declares: records may carry them,
/// validated by their declared types like built-in fields; any other unknown field is still
/// an error.
///
/// # Errors
/// Every problem found, as precisely located as the documents allow.
pub fn load_documents_with(
    docs: Vec<Document>,
    extensions: &Extensions,
) -> Result<RecordSet, Vec<Diagnostic>> {
    load_docs(&docs, extensions, None)
}

fn load_docs(
    docs: &[Document],
    extensions: &Extensions,
    progress: Option<&Progress>,
) -> Result<RecordSet, Vec<Diagnostic>> {
    let text_len: usize = docs
        .iter()
        .map(|d| d.text.as_ref().map_or(0, String::len))
        .sum();
    // One large document is split into its entity lists ([`load_docs_split`]).
    let threads = if text_len >= PARALLEL_TEXT {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        1
    };
    load_docs_on(docs, extensions, progress, threads, None)
}

/// A document read from elsewhere than its [`Document`] ([`load_fed`]): its index among the
/// documents, and what reads it into the loader (returning the error that stopped it).
type Feed<'f> = (
    usize,
    &'f mut dyn FnMut(&mut loader::Loader) -> Option<Diagnostic>,
);

/// [`load_docs`] on `threads` threads (one: the documents one after the other).
fn load_docs_on(
    docs: &[Document],
    extensions: &Extensions,
    progress: Option<&Progress>,
    threads: usize,
    feed: Option<Feed<'_>>,
) -> Result<RecordSet, Vec<Diagnostic>> {
    load_docs_split(
        docs,
        extensions,
        progress,
        threads,
        (SPLIT_TEXT, PART_TEXT),
        feed,
    )
}

/// [`load_docs_on`], splitting each JSON document of `split.0` bytes or more into its
/// entity lists (long lists into parts of about `split.1` bytes) when `threads` is more
/// than one.
fn load_docs_split(
    docs: &[Document],
    extensions: &Extensions,
    progress: Option<&Progress>,
    threads: usize,
    split: (usize, usize),
    mut feed: Option<Feed<'_>>,
) -> Result<RecordSet, Vec<Diagnostic>> {
    // What follows the reading (references, sorting) is spread over threads when there are
    // several, or when the records are many (also when a feed is read on one thread).
    let after = threads;
    let threads = if feed.is_some() { 1 } else { threads };
    let names: Vec<String> = docs.iter().map(|d| d.name.clone()).collect();
    let text_len: usize = docs
        .iter()
        .map(|d| d.text.as_ref().map_or(0, String::len))
        .sum();
    let mut syntax = Vec::new();
    let splits =
        |d: &Document| d.value.is_none() && d.text.as_ref().is_some_and(|t| t.len() >= split.0);
    let mut ld = if threads > 1 && (docs.len() > 1 || docs.iter().any(splits)) {
        // Each piece (a document, or one entity list or part of a list of a large one) on a
        // thread with a loader of its own, read as soon as the pass over its document finds
        // it, then merged in document order: the result, and every problem, is what reading
        // the documents one after the other gives.
        // Per document: whether the pass over it is done, and whether what it found is void
        // (not a document of distinct entity lists: it is then read whole, which reports
        // what is wrong).
        let scanned: Vec<std::cell::Cell<Option<bool>>> =
            docs.iter().map(|_| std::cell::Cell::new(None)).collect();
        let done = |doc: usize, void: bool| {
            if let Some(c) = scanned.get(doc) {
                c.set(Some(void));
            }
        };
        // The loaders are merged in document order as they are done; one of a document still
        // being passed over waits (its pieces may turn out void).
        let mut merged: Option<loader::Loader> = None;
        let mut waiting: std::collections::VecDeque<Read> = std::collections::VecDeque::new();
        let mut unparsed = false;
        let mut merge = |read: Option<Read>| {
            waiting.extend(read);
            while let Some((doc, list, _, _)) = waiting.front() {
                let Some(void) = scanned.get(*doc).and_then(std::cell::Cell::get) else {
                    break;
                };
                let (list, void) = (*list, void);
                let Some((_, _, part, read)) = waiting.pop_front() else {
                    break;
                };
                if list && void {
                    continue;
                }
                match read {
                    Ok(error) => syntax.extend(error),
                    Err(()) => unparsed = true,
                }
                if unparsed {
                    continue;
                }
                match &mut merged {
                    Some(ld) => ld.merge(part),
                    None => merged = Some(part),
                }
            }
        };
        crate::workers::stream(
            threads,
            |give| {
                for (i, d) in docs.iter().enumerate() {
                    let whole = Piece::Whole { doc: i };
                    let Some(text) = d.text.as_deref().filter(|_| splits(d)) else {
                        done(i, false);
                        give(whole);
                        continue;
                    };
                    let mut keys: Vec<(usize, &str)> = Vec::new();
                    let found = split::scan(text, split.1, &mut |found| {
                        give(list_piece(i, d, text, found, &mut keys)?);
                        Some(())
                    });
                    done(i, found.is_none());
                    if found.is_none() {
                        give(whole);
                    }
                }
            },
            |piece| {
                let mut ld = loader::Loader::new(names.clone(), extensions.clone());
                // `Err` when a piece of a split document does not parse.
                let read = match &piece {
                    Piece::Whole { doc } => {
                        Ok(docs.get(*doc).and_then(|d| read_doc(&mut ld, *doc, d)))
                    }
                    Piece::List { doc, .. } => {
                        if read_list(&mut ld, *doc, &piece) {
                            Ok(None)
                        } else {
                            Err(())
                        }
                    }
                };
                let (doc, list) = match piece {
                    Piece::Whole { doc } => (doc, false),
                    Piece::List { doc, .. } => (doc, true),
                };
                (doc, list, ld, read)
            },
            |read| merge(Some(read)),
        );
        merge(None);
        // A split document that does not parse is read again whole, which reports its
        // syntax error where a whole read finds it.
        if unparsed {
            return load_docs_split(docs, extensions, progress, 1, split, None);
        }
        merged.unwrap_or_else(|| loader::Loader::new(names, extensions.clone()))
    } else {
        let mut ld = loader::Loader::new(names, extensions.clone());
        ld.progress = progress.cloned();
        for (i, doc) in docs.iter().enumerate() {
            syntax.extend(read_doc(&mut ld, i, doc));
            if let Some((at, read)) = &mut feed {
                if *at == i {
                    syntax.extend(read(&mut ld));
                }
            }
        }
        ld
    };
    if !syntax.is_empty() {
        return Err(syntax);
    }
    if let Some(p) = progress {
        p.emit(&Event::Records { loaded: ld.rows });
    }
    let after = if after > 1 || ld.rows >= PARALLEL_ROWS {
        after.max(std::thread::available_parallelism().map_or(1, usize::from))
    } else {
        1
    };
    ld.check_refs(after);
    if ld.problems.is_empty() {
        let origins = (text_len <= LOCATE_TEXT_LIMIT && ld.set.len() <= LOCATE_RECORD_LIMIT)
            .then(|| ld.take_origins());
        let mut set = ld.set;
        let moved = set.sort_tables(after);
        if let Some((lists, mut origins)) = origins {
            // Each entity's origins in the order of its sorted rows.
            for (o, m) in origins.iter_mut().zip(&moved) {
                if let Some(m) = m {
                    let mut sorted = vec![loader::Origin::default(); o.len()];
                    for (old, at) in o.iter().zip(m) {
                        if let Some(slot) = sorted.get_mut(*at as usize) {
                            *slot = *old;
                        }
                    }
                    *o = sorted;
                }
            }
            set.sources = Some(Arc::new(Sources {
                docs: docs
                    .iter()
                    .map(|d| (d.name.clone(), d.text.as_deref().map(Arc::from)))
                    .collect(),
                lists,
                origins,
                starts: std::sync::OnceLock::new(),
            }));
        }
        return Ok(set);
    }
    Err(locate(docs, ld.problems))
}

/// Record sets with at least this much text are read by one thread per core, a document
/// (or one entity list, or part of a list, of a large document, [`SPLIT_TEXT`]) per thread
/// at a time (see [`load_docs`]).
const PARALLEL_TEXT: usize = 4 << 20;

/// Record sets of at least this many records have their references checked and their
/// tables sorted on one thread per core (see [`load_docs_split`]).
const PARALLEL_ROWS: usize = 100_000;

/// A JSON document of at least this much text is read as its entity lists (long ones in
/// parts, [`PART_TEXT`]), each on its own when several threads read (see
/// [`load_docs_split`]).
const SPLIT_TEXT: usize = 4 << 20;

/// A piece read ([`load_docs_split`]): its document, whether it is a [`Piece::List`], its
/// loader, and its syntax error (`Err`: a piece of a split document that does not parse).
type Read = (usize, bool, loader::Loader, Result<Option<Diagnostic>, ()>);

/// What one loader reads when documents are read on several threads.
enum Piece<'d> {
    /// A whole document, by index.
    Whole { doc: usize },
    /// The list of entity `key` (or `$schema`'s value, only checked) of a document's outer
    /// object, or of a document that is a bare list (`bare`), as the text of its value; or
    /// a part of a long list ([`PART_TEXT`]): the text of some of its elements (`part`), the
    /// first of them at index `first`.
    List {
        doc: usize,
        key: &'d str,
        bare: bool,
        text: &'d str,
        part: bool,
        first: u32,
    },
}

/// A long list of a split document is read in parts of about this much text, so that the
/// threads share the work evenly (one list can be half of the document).
const PART_TEXT: usize = 8 << 20;

/// The piece of JSON document `doc` (`d`, text `text`) that [`split::scan`] found, or `None`
/// when it is not an entity list (or `$schema`) or repeats an entity: a whole read reports
/// what is wrong. `keys` holds the entries found before (the start of each key, and the key).
fn list_piece<'d>(
    doc: usize,
    d: &'d Document,
    text: &'d str,
    found: split::Found,
    keys: &mut Vec<(usize, &'d str)>,
) -> Option<Piece<'d>> {
    let (key, range, part, first) = match found {
        split::Found::Value { key, value } => (key, value, false, 0),
        split::Found::Part { key, text, first } => (key, text, true, first),
    };
    let (key, bare) = match key {
        Some(k) => {
            let name = text.get(k.clone())?;
            // The parts of one list share their key.
            if keys.last().map(|(at, _)| *at) != Some(k.start) {
                let known = name == "$schema" || crate::schema::find_entity(name).is_some();
                if !known || keys.iter().any(|(_, n)| *n == name) {
                    return None;
                }
                keys.push((k.start, name));
            }
            (name, false)
        }
        None => {
            let name = d.entity.as_deref()?;
            crate::schema::find_entity(name)?;
            (name, true)
        }
    };
    Some(Piece::List {
        doc,
        key,
        bare,
        text: text.get(range)?,
        part,
        first,
    })
}

/// Reads a [`Piece::List`] of document `doc` into `ld`: the list of its entity (or
/// `$schema`'s value, skipped) from the text of the value alone, or a part of it as a list of
/// its own; whether it parsed (its problems are collected in `ld`).
fn read_list(ld: &mut loader::Loader, doc: usize, piece: &Piece<'_>) -> bool {
    let Piece::List {
        key,
        bare,
        text,
        part,
        first,
        ..
    } = piece
    else {
        return false;
    };
    if !part {
        let mut de = serde_json::Deserializer::from_str(text);
        return ld
            .list(doc, key, 0, *bare, &mut de)
            .and_then(|()| de.end())
            .is_ok();
    }
    let mut list = String::with_capacity(text.len() + 2);
    list.push('[');
    list.push_str(text);
    list.push(']');
    let mut de = serde_json::Deserializer::from_str(&list);
    ld.list(doc, key, *first, *bare, &mut de)
        .and_then(|()| de.end())
        .is_ok()
}

/// Reads one document into `ld`: its syntax error, if any (its other problems are collected
/// in `ld`, and dropped when there is a syntax error, which is reported alone).
fn read_doc(ld: &mut loader::Loader, i: usize, doc: &Document) -> Option<Diagnostic> {
    let entity = doc.entity.as_deref();
    match (&doc.value, &doc.text) {
        (Some(v), _) => {
            // A tree never fails to be read: every problem is collected.
            let _ = ld.document(i, entity, v);
            None
        }
        (None, Some(text)) => {
            let before = ld.problems.len();
            let mut de = serde_json::Deserializer::from_str(text);
            let read = ld.document(i, entity, &mut de).and_then(|()| de.end());
            read.err().map(|e| {
                ld.problems.truncate(before);
                syntax_error(
                    text::json_code(&e),
                    &doc.name,
                    Format::Json,
                    &e.to_string(),
                    e.line(),
                    e.column(),
                )
            })
        }
        (None, None) => None,
    }
}

fn syntax_error(
    code: &'static str,
    name: &str,
    format: Format,
    message: &str,
    line: usize,
    column: usize,
) -> Diagnostic {
    let message = match message.find(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message),
        None => message,
    };
    let kind = if format == Format::Json {
        "JSON"
    } else {
        "YAML"
    };
    Diagnostic::error(code, format!("invalid {kind}: {message}"))
        .ja(format!(
            "{kind} として正しくない: {}",
            crate::text::syntax_ja(message)
        ))
    .at(Location {
        file: name.to_string(),
        line: Some(line),
        column: Some(column),
        ..Location::default()
    })
    .label("here")
    .label_ja("ここ")
    .help(if code == codes::RECORD_NESTING {
        "records nest a few levels (entity, record, list, object); see docs/limits.md"
    } else {
        "fix the syntax; record files are one JSON or YAML document"
    })
    .help_ja(if code == codes::RECORD_NESTING {
        "記録の入れ子は数段（エンティティ、記録、リスト、オブジェクト）である。docs/limits.md を参照"
    } else {
        "構文を直す。記録ファイルは 1 つの JSON か YAML の文書である"
    })
}

fn locate(docs: &[Document], problems: Vec<Problem>) -> Vec<Diagnostic> {
    // Each text is read once, keeping only the positions of its problems' pointers.
    let mut wanted: HashMap<usize, std::collections::HashSet<String>> = HashMap::default();
    for p in &problems {
        wanted.entry(p.doc).or_default().insert(p.pointer.clone());
    }
    let mut positions: HashMap<usize, text::Positions> = HashMap::default();
    let mut out = Vec::with_capacity(problems.len());
    for p in problems {
        let doc = docs.get(p.doc);
        let pos = doc.and_then(|d| {
            let text = d.text.as_deref()?;
            let ps = positions
                .entry(p.doc)
                .or_insert_with(|| text::locate_only(text, wanted.get(&p.doc)));
            if p.at_key {
                ps.key(&p.pointer)
            } else {
                ps.value(&p.pointer)
            }
        });
        let loc = Location {
            file: doc.map_or_else(|| "<input>".to_string(), |d| d.name.clone()),
            line: pos.map(|x| x.0),
            column: pos.map(|x| x.1),
            pointer: Some(if p.pointer.is_empty() {
                "/".to_string()
            } else {
                p.pointer
            }),
            field: p.field,
            span: None,
            cell: None,
        };
        out.push(p.diag.at(loc));
    }
    crate::diagnostic::sort(&mut out);
    out
}

/// Parses a strict ISO date `yyyy-mm-dd`.
#[must_use]
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

impl RecordSet {
    /// Sorts every table by id and moves the id index along (no re-hashing); the orders are
    /// found on up to `threads` threads, a table each. Returns, per struct index, each old
    /// row's new position (`None`: no table, or already in order).
    fn sort_tables(&mut self, threads: usize) -> Vec<Option<Vec<u32>>> {
        let strings = &self.strings;
        let present: Vec<(usize, &Table)> = self
            .tables
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((i, t.as_ref()?)))
            .collect();
        // The largest table first, so that it starts at once.
        let mut by_size: Vec<usize> = (0..present.len()).collect();
        by_size.sort_by_key(|k| std::cmp::Reverse(present.get(*k).map_or(0, |(_, t)| t.len())));
        let orders = crate::workers::map(
            &by_size,
            threads,
            || (),
            |_, _, k| present.get(*k).and_then(|(_, t)| t.id_order(strings)),
        );
        let mut order_of: Vec<Option<Vec<u32>>> = vec![None; self.tables.len()];
        for (k, order) in by_size.iter().zip(orders) {
            if let Some(slot) = present.get(*k).and_then(|(i, _)| order_of.get_mut(*i)) {
                *slot = order;
            }
        }
        let moved: Vec<Option<Vec<u32>>> = self
            .tables
            .iter_mut()
            .zip(order_of)
            .map(|(t, order)| {
                let t = t.as_mut()?;
                let m = order.map(|o| t.reorder(&o));
                t.shrink();
                m
            })
            .collect();
        if moved.iter().any(Option::is_some) {
            for r in self.records.iter_mut().filter(|r| **r != NO_RECORD) {
                if let Some(&p) = moved
                    .get(usize::from(r.entity))
                    .and_then(Option::as_ref)
                    .and_then(|m| m.get(r.row as usize))
                {
                    r.row = p;
                }
            }
        }
        self.strings.shrink();
        self.records.shrink_to_fit();
        moved
    }

    /// The string-table index of a text, added when new (hashed once, copied only when new).
    fn symbol(&mut self, s: &str) -> u32 {
        self.symbol_hashed(s, hash_text(s))
    }

    /// [`RecordSet::symbol`] of a text whose [`hash_text`] is `h`.
    fn symbol_hashed(&mut self, s: &str, h: u32) -> u32 {
        let strings = &mut self.strings;
        let entry = self.symbols.entry(
            table_hash(h),
            |(i, hi)| *hi == h && strings.get(*i) == Some(s),
            |(_, hi)| table_hash(*hi),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().0,
            hashbrown::hash_table::Entry::Vacant(e) => {
                let i = strings.push(s);
                e.insert((i, h));
                i
            }
        }
    }

    /// The string-table index of a text already in the table.
    fn find_text(&self, s: &str) -> Option<u32> {
        let h = hash_text(s);
        self.symbols
            .find(table_hash(h), |(i, hi)| {
                *hi == h && self.strings.get(*i) == Some(s)
            })
            .map(|(i, _)| *i)
    }

    /// Makes `r` the record with id `sym`; the record already holding it, if any.
    fn claim(&mut self, sym: u32, r: RecRef) -> Option<RecRef> {
        let i = sym as usize;
        if self.records.len() <= i {
            self.records.resize(i + 1, NO_RECORD);
        }
        let slot = self.records.get_mut(i)?;
        if *slot != NO_RECORD {
            return Some(*slot);
        }
        *slot = r;
        None
    }

    /// The number of records of an entity by struct index; `None` when the entity is absent
    /// from the input (which is not the same as an empty list).
    #[must_use]
    pub fn count(&self, entity: u16) -> Option<usize> {
        self.tables
            .get(usize::from(entity))
            .and_then(Option::as_ref)
            .map(Table::len)
    }

    /// The number of records of an entity by name; `None` when it is absent from the input.
    #[must_use]
    pub fn count_by_name(&self, name: &str) -> Option<usize> {
        let i = STRUCTS.iter().position(|s| s.entity && s.name == name)?;
        self.count(u16::try_from(i).ok()?)
    }

    /// The extension fields the records were loaded with.
    #[must_use]
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// The slot of field `name` of an entity's records (extension fields included) or of a
    /// nested object's shape.
    #[must_use]
    pub fn field_slot(&self, shape: u16, name: &str) -> Option<usize> {
        if usize::from(shape) < STRUCTS.len() {
            if let Some(s) = self.extensions.shape(shape) {
                if s.fields.len()
                    > STRUCTS
                        .get(usize::from(shape))
                        .map_or(0, |b| b.fields.len())
                {
                    return s.field_index(name);
                }
            }
        }
        crate::schema::field_slot(shape, name)
    }

    /// The value of field `slot` (see [`crate::schema::Struct::fields`]) of a record;
    /// `Null` when it is not recorded.
    #[must_use]
    pub fn field(&self, r: RecRef, slot: usize) -> Value {
        match self
            .tables
            .get(usize::from(r.entity))
            .and_then(Option::as_ref)
        {
            Some(t) => t.get(r.row as usize, slot, &self.strings),
            None => Value::Null,
        }
    }

    /// The text of field `slot` of a record, without building a value.
    #[must_use]
    pub fn text(&self, r: RecRef, slot: usize) -> Option<&str> {
        let t = self.tables.get(usize::from(r.entity))?.as_ref()?;
        self.strings.get(t.text(r.row as usize, slot)?)
    }

    /// The text of field `slot` of a record when that field is a text column, read without
    /// building a value: `None` when it is not a text column, `Some(None)` when the record
    /// holds no text there.
    pub(crate) fn text_cell(&self, r: RecRef, slot: usize) -> Option<Option<&str>> {
        let t = self.tables.get(usize::from(r.entity))?.as_ref()?;
        let c = t.text_column(slot)?;
        Some(
            c.get(r.row as usize)
                .copied()
                .filter(|i| *i != NONE)
                .and_then(|i| self.strings.get(i)),
        )
    }

    /// The string-table index of the text of field `slot` of a record; `None` when the field
    /// is not text or not recorded.
    #[must_use]
    pub fn text_index(&self, r: RecRef, slot: usize) -> Option<u32> {
        self.tables
            .get(usize::from(r.entity))?
            .as_ref()?
            .text(r.row as usize, slot)
    }

    /// A view of the column of field `slot` of an entity's records.
    pub(crate) fn column(&self, entity: u16, slot: usize) -> Option<ColumnView<'_>> {
        self.tables.get(usize::from(entity))?.as_ref()?.column(slot)
    }

    /// How many distinct texts the string table holds (every text index is below it).
    pub(crate) fn text_count(&self) -> usize {
        self.strings.len()
    }

    /// The text with this string-table index.
    pub(crate) fn string(&self, text_index: u32) -> Option<&str> {
        self.strings.get(text_index)
    }

    /// The string-table index of a text, if any record holds that text.
    #[must_use]
    pub fn text_index_of(&self, s: &str) -> Option<u32> {
        self.find_text(s)
    }

    /// The record whose id is the text with this string-table index.
    #[must_use]
    pub fn record_of(&self, text_index: u32) -> Option<RecRef> {
        self.records
            .get(text_index as usize)
            .copied()
            .filter(|r| *r != NO_RECORD)
    }

    /// The id of a record.
    #[must_use]
    pub fn id(&self, r: RecRef) -> Option<&str> {
        let t = self.tables.get(usize::from(r.entity))?.as_ref()?;
        self.strings.get(t.id(r.row as usize)?)
    }

    /// Where the records with these ids were read: file, JSON pointer and, when the text is
    /// known, the 1-based line and column where the record starts. Ids of records the set does
    /// not hold are left out, and so is every id of a set too large to keep its sources
    /// (over 16 MiB of text or 200,000 records), whose loading is not slowed by this.
    #[must_use]
    pub fn locations<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> BTreeMap<String, Location> {
        let mut out = BTreeMap::new();
        let Some(src) = &self.sources else {
            return out;
        };
        for id in ids {
            if out.contains_key(id) {
                continue;
            }
            let Some(r) = self.by_id(id) else {
                continue;
            };
            let Some(o) = src
                .origins
                .get(usize::from(r.entity))
                .and_then(|o| o.get(r.row as usize))
            else {
                continue;
            };
            let Some((name, _)) = src.docs.get(o.doc as usize) else {
                continue;
            };
            let pointer = src.pointer(*o);
            let pos = src.starts(self).get(id).copied();
            out.insert(
                id.to_string(),
                Location {
                    file: name.clone(),
                    line: pos.map(|p| p.0),
                    column: pos.map(|p| p.1),
                    pointer: Some(pointer),
                    field: None,
                    span: None,
                    cell: None,
                },
            );
        }
        out
    }

    /// The record with this id, whatever its entity.
    #[must_use]
    pub fn by_id(&self, id: &str) -> Option<RecRef> {
        let sym = self.find_text(id)?;
        self.records
            .get(sym as usize)
            .copied()
            .filter(|r| *r != NO_RECORD)
    }

    /// A nested object (department, site, plan item …) by its struct index and id.
    #[must_use]
    pub fn nested(&self, shape: u16, id: &str) -> Option<&Value> {
        self.nested.get(usize::from(shape))?.get(id)
    }

    /// Number of records of every entity.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tables.iter().flatten().map(Table::len).sum()
    }

    /// Whether the set holds no record.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Counts per present entity, by name (sorted).
    #[must_use]
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        self.tables
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((STRUCTS.get(i)?.name, t.as_ref()?.len())))
            .collect()
    }

    /// The records of an entity as JSON objects in id order (fields not recorded left out,
    /// extension fields included); `None` when the entity is absent from the input. Layers
    /// that read records field by field (the application summaries) use this.
    #[must_use]
    pub fn entity_json(&self, name: &str) -> Option<Vec<serde_json::Value>> {
        let i = u16::try_from(STRUCTS.iter().position(|s| s.entity && s.name == name)?).ok()?;
        let shape = self.extensions.shape(i)?;
        let rows = self.count(i)?;
        Some(
            (0..rows)
                .map(|row| {
                    let r = RecRef {
                        entity: i,
                        row: u32::try_from(row).unwrap_or(u32::MAX),
                    };
                    let mut obj = serde_json::Map::new();
                    for (slot, f) in shape.fields.iter().enumerate() {
                        let v = self.field(r, slot);
                        if !matches!(v, Value::Null) {
                            obj.insert(
                                f.name.to_string(),
                                serde_json::to_value(&v).unwrap_or_default(),
                            );
                        }
                    }
                    serde_json::Value::Object(obj)
                })
                .collect(),
        )
    }
}

/// The pointer of the first value nested deeper than [`crate::limits::MAX_RECORD_NESTING`],
/// found without recursion.
fn too_deep(value: &Json) -> Option<String> {
    let mut stack: Vec<(&Json, usize, String)> = vec![(value, 0, String::new())];
    while let Some((v, depth, ptr)) = stack.pop() {
        if depth > crate::limits::MAX_RECORD_NESTING {
            return Some(ptr);
        }
        match v {
            // Only containers go on the stack: pointers are built for them alone.
            Json::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| is_container(x))
                    .map(|(i, x)| (x, depth + 1, format!("{ptr}/{i}"))),
            ),
            Json::Object(map) => stack.extend(
                map.iter()
                    .filter(|(_, x)| is_container(x))
                    .map(|(k, x)| (x, depth + 1, format!("{ptr}/{}", text::escape_pointer(k)))),
            ),
            _ => {}
        }
    }
    None
}

fn is_container(v: &Json) -> bool {
    matches!(v, Json::Array(_) | Json::Object(_))
}

/// Drops a value however deep it nests (dropping recurses once per level).
fn drop_iteratively(value: Json) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Json::Array(items) => stack.extend(items),
            Json::Object(map) => stack.extend(map.into_iter().map(|(_, x)| x)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{load_json, load_str, parse_date, Format};

    #[test]
    fn records_are_located_at_their_id_in_json_and_yaml_text() {
        let json = "{\"workforce\": [\n  {\"name\": \"乙\", \"id\": \"W-2\", \"employment_type\": \"正社員\", \"start_date\": \"2020-01-01\"},\n  {\"id\": \"W-1\", \"name\": \"甲\", \"employment_type\": \"正社員\", \"start_date\": \"2020-01-01\"}\n]}";
        let set = load_str("w.json", json, Format::Json).unwrap();
        let at = set.locations(["W-1", "W-2", "W-1", "nobody"]);
        assert_eq!(at.len(), 2);
        let w1 = &at["W-1"];
        assert_eq!(
            (w1.file.as_str(), w1.line, w1.column),
            ("w.json", Some(3), Some(4))
        );
        assert_eq!(w1.pointer.as_deref(), Some("/workforce/1"));
        assert_eq!((at["W-2"].line, at["W-2"].column), (Some(2), Some(17)));
        // The texts are parsed once per set: the positions are kept for the next call.
        let kept = set
            .sources
            .as_ref()
            .and_then(|s| s.starts.get())
            .map(|m| m.len());
        assert_eq!(kept, Some(2));
        assert_eq!(set.locations(["W-2", "W-1"]), at);
        let yaml = "workforce:\n  - id: W-1\n    name: 甲\n    employment_type: 正社員\n    start_date: 2020-01-01\n";
        let set = load_str("w.yaml", yaml, Format::Yaml).unwrap();
        let w1 = &set.locations(["W-1"])["W-1"];
        assert_eq!((w1.line, w1.column), (Some(2), Some(5)));
        // Records given as values have a pointer but no line.
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let set = load_json(value).unwrap();
        let w1 = &set.locations(["W-1"])["W-1"];
        assert_eq!(
            (w1.line, w1.pointer.as_deref()),
            (None, Some("/workforce/1"))
        );
    }

    /// Documents read on several threads and merged give the set (and every problem) that
    /// reading them one after the other gives.
    #[test]
    fn documents_read_in_parallel_give_the_same_set_and_problems() {
        use super::{load_docs_on, Document, Extensions};
        let doc = |name: &str, entity: &str, text: &str| {
            Document::parse(
                name,
                text.to_string(),
                Format::Json,
                Some(entity.to_string()),
            )
            .unwrap()
        };
        let good = [
            doc(
                "workforce.json",
                "workforce",
                r#"[{"id": "W-2", "name": "乙", "employment_type": "正社員", "start_date": "2020-01-01"}, {"id": "W-1", "name": "甲", "employment_type": "正社員", "start_date": "2020-01-01"}]"#,
            ),
            doc(
                "training_sessions.json",
                "training_sessions",
                r#"[{"id": "S-1", "title": "教育", "kind": "awareness", "date": "2025-05-01"}]"#,
            ),
            doc(
                "training_records.json",
                "training_records",
                r#"[{"id": "T-1", "person_id": "W-1", "session_id": "S-1", "completed_on": "2025-05-01", "passed": true}, {"id": "T-2", "person_id": "W-2", "session_id": "S-1", "completed_on": "2025-05-01"}]"#,
            ),
        ];
        let one = load_docs_on(&good, &Extensions::none(), None, 1, None).unwrap();
        let two = load_docs_on(&good, &Extensions::none(), None, 2, None).unwrap();
        // Each bare list cut after every element, its parts read on two threads.
        let parts = super::load_docs_split(&good, &Extensions::none(), None, 2, (0, 1), None);
        let parts = parts.unwrap();
        for e in ["workforce", "training_sessions", "training_records"] {
            assert_eq!(one.entity_json(e), two.entity_json(e), "{e}");
            assert_eq!(one.entity_json(e), parts.entity_json(e), "{e}");
        }
        let w1 = two.by_id("W-1").unwrap();
        assert_eq!(two.id(w1), Some("W-1"));
        // An id used in two documents, and a dangling reference in a third.
        let bad = [
            good[0].clone(),
            doc(
                "training_sessions.json",
                "training_sessions",
                r#"[{"id": "W-1", "title": "教育", "kind": "awareness", "date": "2025-05-01"}]"#,
            ),
            doc(
                "training_records.json",
                "training_records",
                r#"[{"id": "T-1", "person_id": "W-9", "session_id": "S-9", "completed_on": "2025-05-01"}]"#,
            ),
        ];
        let one = load_docs_on(&bad, &Extensions::none(), None, 1, None).unwrap_err();
        let two = load_docs_on(&bad, &Extensions::none(), None, 2, None).unwrap_err();
        let parts = super::load_docs_split(&bad, &Extensions::none(), None, 2, (0, 1), None);
        assert_eq!(one, parts.unwrap_err());
        assert!(one
            .iter()
            .any(|d| d.code == crate::diagnostic::codes::DUPLICATE_ID));
        assert_eq!(one, two);
    }

    /// One JSON document read as its entity lists on two threads gives the set, and every
    /// problem at its line and column, that reading it whole gives.
    #[test]
    fn a_document_split_into_its_entity_lists_reads_as_a_whole() {
        use super::{list_piece, load_docs_split, split, Document, Extensions};
        let docs = |text: &str| {
            vec![Document::parse("all.json", text.to_string(), Format::Json, None).unwrap()]
        };
        // How many pieces the document is read in, its lists cut about every `part` bytes.
        let pieces = |d: &[Document], part: usize| {
            let (d, mut keys, mut n) = (&d[0], Vec::new(), 0);
            let text = d.text.as_deref().unwrap();
            split::scan(text, part, &mut |f| {
                list_piece(0, d, text, f, &mut keys)?;
                n += 1;
                Some(())
            })
            .map(|()| n)
            .unwrap_or(1)
        };
        // Read whole, as lists on two threads, and as lists cut after every element.
        let both = |text: &str| {
            let d = docs(text);
            let one = load_docs_split(&d, &Extensions::none(), None, 1, (0, 0), None);
            let two = load_docs_split(&d, &Extensions::none(), None, 2, (0, 0), None);
            let parts = load_docs_split(&d, &Extensions::none(), None, 2, (0, 1), None);
            match (&two, &parts) {
                (Ok(a), Ok(b)) => {
                    for e in ["workforce", "training_sessions", "training_records"] {
                        assert_eq!(a.entity_json(e), b.entity_json(e), "{e}");
                    }
                }
                (Err(a), Err(b)) => assert_eq!(a, b),
                _ => panic!("parts: {parts:?}"),
            }
            (one, two)
        };
        let workforce = r#""workforce": [{"id": "W-2", "name": "乙", "employment_type": "正社員", "start_date": "2020-01-01"},
  {"id": "W-1", "name": "甲", "employment_type": "正社員", "start_date": "2020-01-01"}]"#;
        let sessions = r#""training_sessions": [{"id": "S-1", "title": "教育 \"[1]\"", "kind": "awareness", "date": "2025-05-01"}]"#;
        let records = r#""training_records": [{"id": "T-1", "person_id": "W-1", "session_id": "S-1", "completed_on": "2025-05-01", "passed": true},
  {"id": "T-2", "person_id": "W-2", "session_id": "S-1", "completed_on": "2025-05-01"}]"#;
        let good = format!("{{\"$schema\": \"x\",\n {workforce},\n {sessions},\n {records}}}\n");
        assert_eq!(pieces(&docs(&good), 0), 4);
        assert_eq!(pieces(&docs(&good), 1), 6);
        let (one, two) = both(&good);
        let (one, two) = (one.unwrap(), two.unwrap());
        for e in ["workforce", "training_sessions", "training_records"] {
            assert_eq!(one.entity_json(e), two.entity_json(e), "{e}");
        }
        // Problems of every kind, also across lists: an id used in two lists, a dangling
        // reference, an unknown field, a wrong type, a missing field.
        let bad = format!(
            "{{{workforce},\n {},\n \"training_records\": [{{\"id\": \"T-1\", \"person_id\": \"W-9\", \"x\": 1,\n \"session_id\": \"S-1\", \"completed_on\": 5}}, {{\"id\": \"T-2\"}}]}}",
            sessions.replace("S-1", "W-1")
        );
        assert_eq!(pieces(&docs(&bad), 0), 3);
        assert_eq!(pieces(&docs(&bad), 1), 5);
        let (one, two) = both(&bad);
        let (one, two) = (one.unwrap_err(), two.unwrap_err());
        assert!(one.len() >= 5, "{one:?}");
        assert!(one
            .iter()
            .all(|d| d.location.as_ref().unwrap().line.is_some()));
        assert_eq!(one, two);
        // A syntax error inside one list, an unknown entity, a repeated entity: read whole,
        // with the errors a whole read gives.
        for text in [
            format!("{{{workforce},\n {sessions},\n \"training_records\": [{{\"id\": \"T-1\",]}}"),
            format!("{{{workforce},\n \"trainings\": []}}"),
            // Commas without an element between them, which a list read in parts could
            // take for an empty part.
            format!("{{{workforce},\n \"training_records\": [{{\"id\": \"T-1\"}},, {{\"id\": \"T-2\"}}]}}"),
            format!("{{{workforce},\n \"training_records\": [{{\"id\": \"T-1\"}}, ]}}"),
            format!("{{{workforce},\n \"training_records\": [ , {{\"id\": \"T-1\"}}]}}"),
            format!("{{{workforce},\n {workforce}}}"),
        ] {
            let (one, two) = both(&text);
            let one = one.unwrap_err();
            assert!(!one.is_empty());
            assert_eq!(one, two.unwrap_err(), "{text}");
        }
    }

    #[test]
    fn errors_after_deep_flow_nesting_in_json_keep_their_line_and_column() {
        let nest = |d: usize| format!("{}1{}", "{\"a\": [".repeat(d), "]}".repeat(d));
        // Deep but within the limit, inside an unknown field: the errors after it (in the
        // same record and in a later entity) are located like any other.
        let json = format!(
            "{{\"workforce\": [{{\"id\": \"W-1\", \"x\": {},\n  \"start_date\": \"2025-02-30\"}}],\n \"organization\": [{{\"id\": \"o\"}}]}}",
            nest(60)
        );
        let errs = load_str("deep.json", &json, Format::Json).unwrap_err();
        assert!(errs.len() >= 3, "{errs:?}");
        for e in &errs {
            let loc = e.location.as_ref().unwrap();
            assert!(
                loc.line.is_some() && loc.column.is_some(),
                "not located: {e:?}"
            );
        }
        let org = errs
            .iter()
            .find(|e| e.location.as_ref().unwrap().pointer.as_deref() == Some("/organization/0"))
            .unwrap_or_else(|| panic!("{errs:#?}"));
        let loc = org.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (Some(3), Some(19)));
        let date = errs
            .iter()
            .find(|e| {
                e.location.as_ref().unwrap().pointer.as_deref() == Some("/workforce/0/start_date")
            })
            .unwrap_or_else(|| panic!("{errs:#?}"));
        assert_eq!(date.code, crate::diagnostic::codes::BAD_DATE);
        assert_eq!(date.location.as_ref().unwrap().line, Some(2));
        // Deeper than the limit, even inside a value that is only skipped: E1022 at its line
        // and column, not read on (serde's IgnoredAny skipped it without a limit, and the
        // locator then lost every position after it).
        let json = format!(
            "{{\"workforce\": [{{\"id\": \"W-1\",\n \"x\": {}}}],\n \"organization\": [{{\"id\": 1}}]}}",
            nest(300)
        );
        let errs = load_str("deeper.json", &json, Format::Json).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].code, crate::diagnostic::codes::RECORD_NESTING);
        let loc = errs[0].location.as_ref().unwrap();
        assert_eq!(loc.line, Some(2));
        // Each `{"a": [` opens two levels; the record is three deep.
        assert!(loc.column.is_some_and(|c| c > 7 * 60), "{loc:?}");
    }

    #[test]
    fn the_locator_skips_what_nests_too_deep_and_keeps_later_positions() {
        let yaml = format!(
            "a: {}1{}
b: 2
",
            "[".repeat(200),
            "]".repeat(200)
        );
        let ps = crate::text::locate(&yaml);
        assert_eq!(ps.key("/b"), Some((2, 1)));
        assert_eq!(ps.value("/b"), Some((2, 4)));
    }

    #[test]
    fn dates_are_strict_iso_calendar_dates() {
        let d = |s: &str| parse_date(s).map(|d| d.to_string());
        assert_eq!(d("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(d("2025-12-31").as_deref(), Some("2025-12-31"));
        for bad in [
            "2023-02-29",
            "2025-04-31",
            "2025-13-01",
            "2025-00-10",
            "2025-1-01",
            "2025/01/01",
            "+025-01-01",
            "2025-01-0x",
            "20250101",
            "2025-01-01T00:00",
            "２０２５-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
