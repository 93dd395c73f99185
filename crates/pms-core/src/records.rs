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
use crate::schema::{self, Struct, Ty, STRUCTS};
use crate::text::{self, escape_pointer};
use crate::value::{Obj, RecRef, Value};
use chrono::NaiveDate;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Hash maps keyed by ids use foldhash: ids are not attacker-chosen keys of a server, and
/// SipHash dominated loading large record sets.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
use std::path::Path;
use std::sync::Arc;

/// One record: its id and its values by field slot (see [`Struct::fields`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The record's id.
    pub id: Arc<str>,
    /// Values by field slot.
    pub fields: Vec<Value>,
}

/// A validated record set: one table per entity, sorted by id, and an id index.
#[derive(Debug, Clone, Default)]
pub struct RecordSet {
    /// Indexed by struct index; `None` when the entity is absent from the input.
    tables: Vec<Option<Vec<Row>>>,
    ids: HashMap<Arc<str>, RecRef>,
    nested: HashMap<(u16, Arc<str>), Value>,
}

/// A parsed record document waiting to be validated.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name shown in diagnostics.
    pub name: String,
    /// The text, when known, to turn pointers into lines and columns.
    pub text: Option<String>,
    /// The parsed content.
    pub value: Json,
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
    /// Parses text into a document.
    ///
    /// # Errors
    /// A syntax diagnostic ([`codes::SYNTAX`]) located at the error.
    pub fn parse(
        name: &str,
        text: String,
        format: Format,
        entity: Option<String>,
    ) -> Result<Document, Box<Diagnostic>> {
        let parsed = match format {
            Format::Json => text::parse_json(&text),
            Format::Yaml => text::parse_yaml(&text),
        };
        match parsed {
            Ok(value) => Ok(Document {
                name: name.to_string(),
                text: Some(text),
                value,
                entity,
            }),
            Err(e) => Err(Box::new(
                Diagnostic::error(
                    codes::SYNTAX,
                    format!(
                        "invalid {}: {}",
                        if format == Format::Json {
                            "JSON"
                        } else {
                            "YAML"
                        },
                        e.message
                    ),
                )
                .at(Location {
                    file: name.to_string(),
                    line: Some(e.line),
                    column: Some(e.column),
                    ..Location::default()
                })
                .label("here")
                .help("fix the syntax; record files are one JSON or YAML document"),
            )),
        }
    }
}

/// Loads a record set from a file (`.json`, `.yaml`, `.yml`) or a directory of such files.
///
/// # Errors
/// Every problem found, located.
pub fn load_path(path: &Path) -> Result<RecordSet, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let io = |e: std::io::Error, what: &str| {
        vec![
            Diagnostic::error(codes::IO, format!("cannot read {what} `{shown}`: {e}"))
                .at(Location {
                    file: shown.clone(),
                    ..Location::default()
                })
                .help("check the path; pms reads a JSON or YAML file, or a directory of them"),
        ]
    };
    let meta = std::fs::metadata(path).map_err(|e| io(e, "records"))?;
    let mut files = Vec::new();
    if meta.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| io(e, "directory"))?;
        for entry in entries {
            let entry = entry.map_err(|e| io(e, "directory"))?;
            let p = entry.path();
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if p.is_file() && Format::from_name(&name).is_some() {
                files.push(p);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(vec![Diagnostic::error(
                codes::IO,
                format!("directory `{shown}` holds no .json, .yaml or .yml file"),
            )
            .at(Location {
                file: shown.clone(),
                ..Location::default()
            })
            .help("put one file per entity in it, e.g. `workforce.yaml`")]);
        }
    } else {
        files.push(path.to_path_buf());
    }
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    for p in files {
        let name = p.display().to_string();
        let file_name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some(format) = Format::from_name(file_name) else {
            diags.push(
                Diagnostic::error(codes::IO, format!("`{name}` is neither .json nor .yaml"))
                    .at(Location {
                        file: name.clone(),
                        ..Location::default()
                    })
                    .help("name record files *.json, *.yaml or *.yml"),
            );
            continue;
        };
        let stem = file_name.split('.').next().unwrap_or_default().to_string();
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) => {
                diags.extend(io(e, "file"));
                continue;
            }
        };
        match Document::parse(&name, text, format, Some(stem)) {
            Ok(d) => docs.push(d),
            Err(d) => diags.push(*d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    load_documents(docs)
}

/// Loads a record set from text in one format.
///
/// # Errors
/// Every problem found, located.
pub fn load_str(name: &str, text: &str, format: Format) -> Result<RecordSet, Vec<Diagnostic>> {
    let doc = Document::parse(name, text.to_string(), format, None).map_err(|d| vec![*d])?;
    load_documents(vec![doc])
}

/// Loads a record set from an already parsed JSON value (no line numbers, pointers only).
///
/// # Errors
/// Every problem found, with its JSON pointer.
pub fn load_json(value: Json) -> Result<RecordSet, Vec<Diagnostic>> {
    load_documents(vec![Document {
        name: "<input>".into(),
        text: None,
        value,
        entity: None,
    }])
}

struct Problem {
    doc: usize,
    pointer: String,
    field: Option<String>,
    at_key: bool,
    diag: Diagnostic,
}

struct Loader<'a> {
    docs: &'a [Document],
    problems: Vec<Problem>,
    set: RecordSet,
    /// Per record: where it came from, for later reference and order checks.
    origins: HashMap<RecRef, (usize, String)>,
    /// References to check once every record is loaded.
    refs: Vec<(usize, String, &'static str, Arc<str>, String)>,
    nested_origin: HashMap<(u16, Arc<str>), (usize, String)>,
}

/// Validates and loads parsed documents.
///
/// # Errors
/// Every problem found, located as precisely as the documents allow.
pub fn load_documents(docs: Vec<Document>) -> Result<RecordSet, Vec<Diagnostic>> {
    let mut loader = Loader {
        docs: &docs,
        problems: Vec::new(),
        set: RecordSet {
            tables: vec![None; STRUCTS.len()],
            ..RecordSet::default()
        },
        origins: HashMap::default(),
        refs: Vec::new(),
        nested_origin: HashMap::default(),
    };
    for (i, doc) in docs.iter().enumerate() {
        loader.document(i, doc);
    }
    loader.check_refs();
    if loader.problems.is_empty() {
        let mut set = loader.set;
        set.sort_tables();
        return Ok(set);
    }
    Err(locate(&docs, loader.problems))
}

fn locate(docs: &[Document], problems: Vec<Problem>) -> Vec<Diagnostic> {
    let mut positions: HashMap<usize, text::Positions> = HashMap::default();
    let mut out = Vec::with_capacity(problems.len());
    for p in problems {
        let doc = docs.get(p.doc);
        let pos = doc.and_then(|d| {
            let text = d.text.as_deref()?;
            let ps = positions.entry(p.doc).or_insert_with(|| text::locate(text));
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
        };
        out.push(p.diag.at(loc));
    }
    crate::diagnostic::sort(&mut out);
    out
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn describe(ty: Ty) -> String {
    match ty {
        Ty::Str => "text".into(),
        Ty::Int => "a whole number".into(),
        Ty::Num => "a number".into(),
        Ty::Bool => "`true` or `false`".into(),
        Ty::Date => "a date `yyyy-mm-dd`".into(),
        Ty::Enum(vals) => format!(
            "one of {}",
            vals.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ty::Ref(e) => format!("the id of a `{e}` record"),
        Ty::List(t) => format!("a list of {}", describe(*t)),
        Ty::Obj(name) => format!("a `{name}` object"),
    }
}

/// Parses a strict ISO date `yyyy-mm-dd`.
#[must_use]
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Loader<'_> {
    fn problem(
        &mut self,
        doc: usize,
        pointer: &str,
        field: Option<&str>,
        at_key: bool,
        diag: Diagnostic,
    ) {
        self.problems.push(Problem {
            doc,
            pointer: pointer.to_string(),
            field: field.map(str::to_string),
            at_key,
            diag,
        });
    }

    fn document(&mut self, di: usize, doc: &Document) {
        match &doc.value {
            Json::Array(items) => {
                let name = doc.entity.clone().unwrap_or_default();
                match schema::find_entity(&name) {
                    Some(e) => self.entity_list(di, e, items, ""),
                    None => {
                        let help = schema::suggest(&name, schema::entities().map(|e| e.name))
                            .map(|s| format!("did you mean `{s}`? a file holding a bare list is named after its entity, e.g. `{s}.yaml`"))
                            .unwrap_or_else(|| "name the file after its entity (e.g. `workforce.yaml`), or wrap the list in `{entity: [...]}`".into());
                        self.problem(di, "", None, false, Diagnostic::error(codes::UNKNOWN_ENTITY, format!("unknown entity `{name}`")).label("this list").help(help));
                    }
                }
            }
            Json::Object(map) => {
                for (key, v) in map {
                    let ptr = format!("/{}", escape_pointer(key));
                    if key == "$schema" {
                        continue;
                    }
                    let Some(e) = schema::find_entity(key) else {
                        let help = schema::suggest(key, schema::entities().map(|e| e.name)).map(|s| format!("did you mean `{s}`?"));
                        self.problem(di, &ptr, Some(key), true, Diagnostic::error(codes::UNKNOWN_ENTITY, format!("unknown entity `{key}`")).label("not an entity").maybe_help(help.or_else(|| Some("see docs/records.md for the entities".into()))));
                        continue;
                    };
                    match v {
                        Json::Array(items) => self.entity_list(di, e, items, &ptr),
                        Json::Null => self.entity_list(di, e, &[], &ptr),
                        other => self.problem(di, &ptr, Some(key), false, Diagnostic::error(codes::WRONG_TYPE, format!("`{key}` must be a list of records, found {}", kind_of(other))).label("expected a list").help(format!("write `{key}: [ ... ]`, one element per record"))),
                    }
                }
            }
            other => self.problem(di, "", None, false, Diagnostic::error(codes::BAD_SHAPE, format!("a record document must be an object of entities or a list, found {}", kind_of(other))).help("write `{workforce: [...], inventory: [...]}` or a bare list in a file named after its entity")),
        }
    }

    fn entity_list(&mut self, di: usize, e: &'static Struct, items: &[Json], ptr: &str) {
        let ei = STRUCTS.iter().position(|s| std::ptr::eq(s, e)).unwrap_or(0);
        let ei16 = u16::try_from(ei).unwrap_or(u16::MAX);
        if let Some(slot) = self.set.tables.get_mut(ei) {
            slot.get_or_insert_with(Vec::new);
        }
        for (i, item) in items.iter().enumerate() {
            let rp = format!("{ptr}/{i}");
            let Some(fields) = self.object(di, e, item, &rp) else {
                continue;
            };
            let id = match fields.first() {
                Some(Value::Str(s)) => s.clone(),
                _ => continue,
            };
            let row_no = self
                .set
                .tables
                .get(ei)
                .and_then(|t| t.as_ref())
                .map_or(0, Vec::len);
            let rref = RecRef {
                entity: ei16,
                row: u32::try_from(row_no).unwrap_or(u32::MAX),
            };
            if let Some(prev) = self.set.ids.get(&id) {
                let (pd, pp) = self.origins.get(prev).cloned().unwrap_or_default();
                let other = self
                    .docs
                    .get(pd)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                self.problem(di, &format!("{rp}/id"), Some("id"), false, Diagnostic::error(codes::DUPLICATE_ID, format!("duplicate id `{id}`"))
                    .label("used again here")
                    .help(format!("ids are unique across the record set; `{id}` is already used at {other} {pp}")));
                continue;
            }
            self.set.ids.insert(id.clone(), rref);
            self.origins.insert(rref, (di, rp));
            if let Some(Some(t)) = self.set.tables.get_mut(ei) {
                t.push(Row { id, fields });
            }
        }
    }

    /// Validates one object against its struct; returns the field values by slot.
    fn object(
        &mut self,
        di: usize,
        s: &'static Struct,
        item: &Json,
        ptr: &str,
    ) -> Option<Vec<Value>> {
        let Json::Object(map) = item else {
            self.problem(
                di,
                ptr,
                None,
                false,
                Diagnostic::error(
                    codes::WRONG_TYPE,
                    format!(
                        "a `{}` record must be an object, found {}",
                        s.name,
                        kind_of(item)
                    ),
                )
                .label("expected an object"),
            );
            return None;
        };
        let mut ok = true;
        for key in map.keys() {
            if s.field(key).is_none() {
                ok = false;
                let help = schema::suggest(key, s.fields.iter().map(|f| f.name))
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "`{}` has the fields {}",
                            s.name,
                            s.fields
                                .iter()
                                .map(|f| f.name)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    });
                self.problem(
                    di,
                    &format!("{ptr}/{}", escape_pointer(key)),
                    Some(key),
                    true,
                    Diagnostic::error(
                        codes::UNKNOWN_FIELD,
                        format!("unknown field `{key}` in `{}`", s.name),
                    )
                    .label("unknown field")
                    .help(help),
                );
            }
        }
        let mut values = Vec::with_capacity(s.fields.len());
        for field in s.fields {
            let v = match map.get(field.name) {
                None | Some(Json::Null) => {
                    if field.required {
                        ok = false;
                        self.problem(
                            di,
                            ptr,
                            Some(field.name),
                            false,
                            Diagnostic::error(
                                codes::MISSING_FIELD,
                                format!(
                                    "`{}` record misses required field `{}`",
                                    s.name, field.name
                                ),
                            )
                            .label("in this record")
                            .help(format!(
                                "add `{}`: {}",
                                field.name,
                                describe(field.ty)
                            )),
                        );
                    }
                    Value::Null
                }
                Some(j) => match self.value(
                    di,
                    field.ty,
                    j,
                    &|| format!("{ptr}/{}", escape_pointer(field.name)),
                    field.name,
                ) {
                    Some(v) => v,
                    None => {
                        ok = false;
                        Value::Null
                    }
                },
            };
            values.push(v);
        }
        if !ok {
            return None;
        }
        for (a, b) in s.date_order {
            let (Some(ia), Some(ib)) = (s.field_index(a), s.field_index(b)) else {
                continue;
            };
            if let (Some(Value::Date(da)), Some(Value::Date(db))) = (values.get(ia), values.get(ib))
            {
                if db < da {
                    self.problem(
                        di,
                        &format!("{ptr}/{b}"),
                        Some(b),
                        false,
                        Diagnostic::error(
                            codes::DATE_ORDER,
                            format!("`{b}` {db} is before `{a}` {da}"),
                        )
                        .label("impossible date")
                        .help(format!("`{b}` cannot come before `{a}`; check both dates")),
                    );
                    return None;
                }
            }
        }
        Some(values)
    }

    /// Validates one value. `ptr` builds its JSON pointer, only when one is needed (an error,
    /// a reference to check, a nested container), which keeps loading free of string work.
    fn value(
        &mut self,
        di: usize,
        ty: Ty,
        j: &Json,
        ptr: &dyn Fn() -> String,
        field: &str,
    ) -> Option<Value> {
        let wrong = |this: &mut Self| {
            this.problem(
                di,
                &ptr(),
                Some(field),
                false,
                Diagnostic::error(
                    codes::WRONG_TYPE,
                    format!("`{field}` must be {}, found {}", describe(ty), kind_of(j)),
                )
                .label(format!("expected {}", describe(ty))),
            );
            None
        };
        match ty {
            Ty::Str | Ty::Ref(_) => {
                let s: Arc<str> = match j {
                    Json::String(s) => Arc::from(s.as_str()),
                    Json::Number(n) if n.is_i64() || n.is_u64() => Arc::from(n.to_string()),
                    _ => return wrong(self),
                };
                if let Ty::Ref(target) = ty {
                    self.refs
                        .push((di, ptr(), target, s.clone(), field.to_string()));
                }
                Some(Value::Str(s))
            }
            Ty::Int => match j.as_i64() {
                Some(i) => Some(Value::Int(i)),
                None => wrong(self),
            },
            Ty::Num => match j.as_f64() {
                Some(n) if j.is_i64() => Some(Value::Int(n as i64)),
                Some(n) => Some(Value::Num(n)),
                None => wrong(self),
            },
            Ty::Bool => match j {
                Json::Bool(b) => Some(Value::Bool(*b)),
                _ => wrong(self),
            },
            Ty::Date => match j {
                Json::String(s) => match parse_date(s) {
                    Some(d) => Some(Value::Date(d)),
                    None => {
                        self.problem(di, &ptr(), Some(field), false, Diagnostic::error(codes::BAD_DATE, format!("`{s}` is not a valid date for `{field}`")).label("not a date").help("write an existing calendar date as `yyyy-mm-dd`, e.g. `2025-04-01`"));
                        None
                    }
                },
                _ => wrong(self),
            },
            Ty::Enum(vals) => match j {
                Json::String(s) if vals.contains(&s.as_str()) => Some(Value::str(s)),
                Json::String(s) => {
                    let help = schema::suggest(s, vals.iter().copied())
                        .map(|c| format!("did you mean `{c}`?"))
                        .unwrap_or_else(|| format!("use {}", describe(ty)));
                    self.problem(
                        di,
                        &ptr(),
                        Some(field),
                        false,
                        Diagnostic::error(
                            codes::BAD_ENUM,
                            format!("`{s}` is not an allowed value of `{field}`"),
                        )
                        .label("unknown value")
                        .help(help),
                    );
                    None
                }
                _ => wrong(self),
            },
            Ty::List(inner) => match j {
                Json::Array(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    let mut ok = true;
                    for (i, it) in items.iter().enumerate() {
                        match self.value(di, *inner, it, &|| format!("{}/{i}", ptr()), field) {
                            Some(v) => out.push(v),
                            None => ok = false,
                        }
                    }
                    ok.then(|| Value::List(Arc::new(out)))
                }
                _ => wrong(self),
            },
            Ty::Obj(name) => {
                let s = schema::find_struct(name)?;
                let shape =
                    u16::try_from(STRUCTS.iter().position(|x| std::ptr::eq(x, s)).unwrap_or(0))
                        .unwrap_or(0);
                let op = ptr();
                let fields = self.object(di, s, j, &op)?;
                let obj = Value::Obj(Arc::new(Obj { shape, fields }));
                if let Some(Value::Str(id)) = s.field_index("id").and_then(|i| match &obj {
                    Value::Obj(o) => o.fields.get(i),
                    _ => None,
                }) {
                    let key = (shape, id.clone());
                    if let Some((pd, pp)) = self.nested_origin.get(&key).cloned() {
                        let other = self
                            .docs
                            .get(pd)
                            .map(|d| d.name.clone())
                            .unwrap_or_default();
                        self.problem(
                            di,
                            &format!("{op}/id"),
                            Some("id"),
                            false,
                            Diagnostic::error(
                                codes::DUPLICATE_ID,
                                format!("duplicate `{name}` id `{id}`"),
                            )
                            .label("used again here")
                            .help(format!("already used at {other} {pp}")),
                        );
                        return None;
                    }
                    self.nested_origin.insert(key.clone(), (di, op.clone()));
                    self.set.nested.insert(key, obj.clone());
                }
                Some(obj)
            }
        }
    }

    fn check_refs(&mut self) {
        let refs = std::mem::take(&mut self.refs);
        for (di, ptr, target, id, field) in refs {
            let found = match schema::find_struct(target) {
                Some(s) if s.entity => self
                    .set
                    .ids
                    .get(&id)
                    .and_then(|r| STRUCTS.get(usize::from(r.entity)))
                    .map(|e| (e.name == target, e.name)),
                Some(s) => {
                    let shape =
                        u16::try_from(STRUCTS.iter().position(|x| std::ptr::eq(x, s)).unwrap_or(0))
                            .unwrap_or(0);
                    self.set
                        .nested
                        .get(&(shape, id.clone()))
                        .map(|_| (true, target))
                }
                None => None,
            };
            match found {
                Some((true, _)) => {}
                Some((false, other)) => self.problem(di, &ptr, Some(&field), false, Diagnostic::error(codes::DANGLING_REF, format!("`{field}` must name a `{target}` record, but `{id}` is a `{other}` record")).label("wrong kind of record")),
                None => {
                    let candidates: Vec<&str> = match schema::find_struct(target) {
                        Some(s) if s.entity => self.set.table_by_name(target).map(|rows| rows.iter().map(|r| &*r.id).collect()).unwrap_or_default(),
                        _ => self.set.nested.keys().filter(|(s, _)| STRUCTS.get(usize::from(*s)).is_some_and(|x| x.name == target)).map(|(_, id)| &**id).collect(),
                    };
                    let help = schema::suggest(&id, candidates.iter().copied()).map(|c| format!("did you mean `{c}`?")).unwrap_or_else(|| format!("add the `{target}` record `{id}`, or correct the reference"));
                    let diag = Diagnostic::error(codes::DANGLING_REF, format!("`{field}` refers to `{id}`, but no `{target}` record has that id")).label("dangling reference").help(help);
                    self.problem(di, &ptr, Some(&field), false, diag);
                }
            }
        }
    }
}

impl RecordSet {
    fn sort_tables(&mut self) {
        let mut ids = HashMap::with_capacity_and_hasher(
            self.ids.len(),
            foldhash::fast::FixedState::default(),
        );
        for (ei, table) in self.tables.iter_mut().enumerate() {
            if let Some(rows) = table {
                rows.sort_by(|a, b| a.id.cmp(&b.id));
                for (ri, row) in rows.iter().enumerate() {
                    let r = RecRef {
                        entity: u16::try_from(ei).unwrap_or(u16::MAX),
                        row: u32::try_from(ri).unwrap_or(u32::MAX),
                    };
                    ids.insert(row.id.clone(), r);
                }
            }
        }
        self.ids = ids;
    }

    /// The rows of an entity by struct index; `None` when the entity is absent from the input.
    #[must_use]
    pub fn table(&self, entity: u16) -> Option<&[Row]> {
        self.tables
            .get(usize::from(entity))
            .and_then(|t| t.as_deref())
    }

    /// The rows of an entity by name.
    #[must_use]
    pub fn table_by_name(&self, name: &str) -> Option<&[Row]> {
        let i = STRUCTS.iter().position(|s| s.entity && s.name == name)?;
        self.table(u16::try_from(i).ok()?)
    }

    /// The row a reference points to.
    #[must_use]
    pub fn row(&self, r: RecRef) -> Option<&Row> {
        self.table(r.entity)?.get(usize::try_from(r.row).ok()?)
    }

    /// The record with this id, whatever its entity.
    #[must_use]
    pub fn by_id(&self, id: &str) -> Option<RecRef> {
        self.ids.get(id).copied()
    }

    /// A nested object (department, site, plan item …) by its struct index and id.
    #[must_use]
    pub fn nested(&self, shape: u16, id: &str) -> Option<&Value> {
        self.nested.get(&(shape, Arc::from(id)))
    }

    /// Number of records of every entity.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tables.iter().flatten().map(Vec::len).sum()
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
}
