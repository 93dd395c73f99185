//! The streaming loader: serde visitors that validate each record while it is read and build
//! its row directly, with no intermediate JSON tree.
//!
//! The same visitors read JSON text (through `serde_json`'s streaming deserializer) and an
//! already built `serde_json::Value` (YAML documents, values handed over by a binding), so
//! validation is one code path. The visitors never fail on content: a wrong type, an unknown
//! field or a bad date becomes a [`Problem`] and reading goes on, so that every problem of
//! every file is reported at once. Only malformed syntax stops a document.
//!
//! JSON pointers are built only for problems; a record remembers where it came from as three
//! integers ([`Origin`]), enough to rebuild its pointer for a duplicate id or a dangling
//! reference found later.

use super::table::NONE;
use super::{Problem, RecordSet, Table};
use crate::diagnostic::{self, codes, Diagnostic};
use crate::labels;
use crate::schema::{self, Struct, Ty, STRUCTS};
use crate::text::escape_pointer;
use crate::value::{Obj, RecRef, Value};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::sync::Arc;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Where a record was read: document, list (index into [`Loader::lists`]) and element.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Origin {
    pub(super) doc: u32,
    pub(super) list: u32,
    pub(super) index: u32,
}

/// What a document held where something else was expected.
#[derive(Debug, Clone, Copy)]
enum Found {
    Null,
    Bool,
    Number,
    Text,
    List,
    Object,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Found::Null => "null",
            Found::Bool => "a boolean",
            Found::Number => "a number",
            Found::Text => "text",
            Found::List => "a list",
            Found::Object => "an object",
        })
    }
}

impl Found {
    /// What was found, in Japanese.
    fn ja(self) -> &'static str {
        match self {
            Found::Null => "null",
            Found::Bool => "真偽値",
            Found::Number => "数値",
            Found::Text => "文字列",
            Found::List => "リスト",
            Found::Object => "オブジェクト",
        }
    }
}

/// Validates record documents into a [`RecordSet`], collecting every problem.
pub(super) struct Loader {
    /// Document names, for "already used at" help.
    names: Vec<String>,
    pub(super) problems: Vec<Problem>,
    pub(super) set: RecordSet,
    /// Per entity, aligned with its rows in reading order.
    origins: Vec<Vec<Origin>>,
    /// The JSON pointer of every list of records read (`/workforce`, or empty for a bare list).
    lists: Vec<String>,
    nested_origin: HashMap<(u16, Arc<str>), (usize, String)>,
    /// Field buffers of records read and stored, for the next record (see [`Loader::object`]).
    buffers: Vec<(Vec<Value>, Vec<u32>)>,
    /// Which fields the record being read has given (reused from record to record).
    seen: Vec<bool>,
    /// The plan of each struct read so far ([`Loader::plan`]).
    plans: Vec<Arc<Plan>>,
    /// The shared copy of each text held by a list or a nested object, by string-table
    /// index ([`Loader::intern`]).
    shared: HashMap<u32, Arc<str>>,
    /// "Did you mean" for dangling references, once per distinct (target, id); past
    /// [`SUGGESTION_BUDGET`] distinct ones, no more are computed (each scans every id).
    suggestions: HashMap<(String, Arc<str>), Option<String>>,
    /// The help of an unknown field, once per (struct, key): a file repeating one misspelt
    /// field on every record compares it with the struct's fields once.
    unknown_help: HashMap<(u16, String), Arc<str>>,
    /// Told of the records read, every [`crate::input::RECORDS_STEP`] records.
    pub(super) progress: Option<crate::input::Progress>,
    /// Records read so far.
    pub(super) rows: usize,
}

/// How many distinct dangling references get a "did you mean" computed: each compares the
/// id with every id of its target entity.
const SUGGESTION_BUDGET: usize = 1_000;

/// A dangling reference found: document, JSON pointer, field, target entity and the id.
type BadRef = (usize, String, &'static str, &'static str, Arc<str>);

/// Rows of one entity whose references are checked together ([`Loader::check_refs`]).
const REF_ROWS: usize = 1 << 16;

/// One range of an entity's rows to check for dangling references.
struct RefWork {
    entity: u16,
    shape: &'static Struct,
    /// The fields that hold a reference, with the target entity of a direct one.
    slots: Arc<[(usize, Option<u16>)]>,
    rows: std::ops::Range<usize>,
}

/// Whether a field of this type holds a reference (directly, in a list or in an object).
fn holds_ref(ty: Ty) -> bool {
    match ty {
        Ty::Ref(_) => true,
        Ty::List(t) => holds_ref(*t),
        Ty::Obj(n) => {
            schema::find_struct(n).is_some_and(|s| s.fields.iter().any(|f| holds_ref(f.ty)))
        }
        _ => false,
    }
}

/// The index under which a struct's values are kept: an entity's records under the built-in
/// entity (also when extension fields extend it), a nested object's under its own shape.
fn struct_no(s: &'static Struct) -> u16 {
    let found = if s.entity {
        schema::find_entity(s.name).and_then(schema::struct_index)
    } else {
        schema::struct_index(s)
    };
    found.unwrap_or(u16::MAX)
}

/// What [`Loader::object`] checks in every object of one struct beyond its fields' types,
/// with the field names looked up once per struct instead of once per record.
struct Plan {
    /// The struct planned for.
    s: &'static Struct,
    /// The slots of the built-in fields (below it): their numbers cannot be negative.
    built_in: usize,
    /// The slots of the fields `id` and `pms_year_start`, whose text is checked.
    id: Option<usize>,
    year_start: Option<usize>,
    /// The slots of the required fields, in order.
    required: Vec<usize>,
    /// The slots whose value is checked beyond its type ([`Loader::object`]): the built-in
    /// numbers (never negative) and `id` and `pms_year_start`, in order.
    checked: Vec<usize>,
    /// The groups of alternative keys of an entity ([`schema::ALTERNATIVES`]): the slots of
    /// each group's fields, the group, and why one of them is needed.
    alternatives: Vec<(Vec<usize>, &'static [&'static str], &'static str)>,
    /// The date order of the struct's fields: the slots of each pair and their names.
    date_order: Vec<(usize, usize, &'static str, &'static str)>,
}

impl Plan {
    fn new(s: &'static Struct) -> Plan {
        let built_in = if s.entity {
            schema::find_entity(s.name).map_or(0, |b| b.fields.len())
        } else if schema::struct_index(s).is_some_and(|i| usize::from(i) < STRUCTS.len()) {
            s.fields.len()
        } else {
            0
        };
        let alternatives = if s.entity {
            schema::ALTERNATIVES
                .iter()
                .filter(|(entity, _, _)| *entity == s.name)
                .map(|(_, group, why)| {
                    let slots = group.iter().filter_map(|g| s.field_index(g)).collect();
                    (slots, *group, *why)
                })
                .collect()
        } else {
            Vec::new()
        };
        let date_order = s
            .date_order
            .iter()
            .filter_map(|(a, b)| Some((s.field_index(a)?, s.field_index(b)?, *a, *b)))
            .collect();
        let (id, year_start) = (s.field_index("id"), s.field_index("pms_year_start"));
        let required = (0..s.fields.len())
            .filter(|i| s.fields.get(*i).is_some_and(|f| f.required))
            .collect();
        // Numbers come only from fields typed `Int` or `Num` (see `ValueSeed::int`).
        let checked = (0..s.fields.len())
            .filter(|i| {
                let number = s
                    .fields
                    .get(*i)
                    .is_some_and(|f| matches!(f.ty, Ty::Int | Ty::Num));
                (*i < built_in && number) || id == Some(*i) || year_start == Some(*i)
            })
            .collect();
        Plan {
            s,
            built_in,
            id,
            year_start,
            required,
            checked,
            alternatives,
            date_order,
        }
    }
}

pub(super) fn describe(ty: Ty) -> String {
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

/// [`describe`] in Japanese.
#[inline(never)]
pub(super) fn describe_ja(ty: Ty) -> String {
    match ty {
        Ty::Str => "文字列".into(),
        Ty::Int => "整数".into(),
        Ty::Num => "数値".into(),
        Ty::Bool => "`true` か `false` の値".into(),
        Ty::Date => "`yyyy-mm-dd` 形式の日付".into(),
        Ty::Enum(vals) => format!(
            "{} のいずれか",
            vals.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join("、")
        ),
        Ty::Ref(e) => format!("{}の記録の id", labels::struct_named(e)),
        Ty::List(t) => format!("{}のリスト", describe_ja(*t)),
        Ty::Obj(name) => format!("{}のオブジェクト", labels::struct_named(name)),
    }
}

impl Loader {
    pub(super) fn new(names: Vec<String>, extensions: schema::Extensions) -> Loader {
        Loader {
            names,
            problems: Vec::new(),
            set: RecordSet {
                tables: vec![None; STRUCTS.len()],
                nested: vec![HashMap::default(); schema::struct_count()],
                extensions,
                ..RecordSet::default()
            },
            origins: vec![Vec::new(); STRUCTS.len()],
            lists: Vec::new(),
            nested_origin: HashMap::default(),
            buffers: Vec::new(),
            seen: Vec::new(),
            plans: Vec::new(),
            shared: HashMap::default(),
            suggestions: HashMap::default(),
            unknown_help: HashMap::default(),
            progress: None,
            rows: 0,
        }
    }

    fn problem(
        &mut self,
        doc: usize,
        pointer: String,
        field: Option<&str>,
        at_key: bool,
        diag: Diagnostic,
    ) {
        self.problems.push(Problem {
            doc,
            pointer,
            field: field.map(str::to_string),
            at_key,
            diag,
        });
    }

    /// The struct that describes an entity's records: the built-in one, or the one extended
    /// by the rules' extension fields.
    fn shape_of(&self, e: &'static Struct) -> &'static Struct {
        schema::struct_index(e)
            .and_then(|i| self.set.extensions.shape(i))
            .unwrap_or(e)
    }

    /// The [`Plan`] of struct `s`, made at its first object.
    fn plan(&mut self, s: &'static Struct) -> Arc<Plan> {
        if let Some(p) = self.plans.iter().find(|p| std::ptr::eq(p.s, s)) {
            return Arc::clone(p);
        }
        let p = Arc::new(Plan::new(s));
        self.plans.push(Arc::clone(&p));
        p
    }

    /// Keeps a record's field buffers for the next record, every value set back to `Null`
    /// and every text index to [`NONE`] (so that a record of the same struct takes them as
    /// they are, see [`Loader::object`]).
    fn recycle(&mut self, mut values: Vec<Value>, mut syms: Vec<u32>) {
        // A few are enough: one per level of nesting being read.
        if self.buffers.len() < 8 {
            // A stored row has taken its values but dates and truths: only those that are
            // left are dropped.
            for v in &mut values {
                if !matches!(v, Value::Null) {
                    *v = Value::Null;
                }
            }
            syms.fill(NONE);
            self.buffers.push((values, syms));
        }
    }

    /// The shared copy of a text (for lists and nested objects, whose values keep their
    /// text): one per distinct text, made when first needed.
    fn intern(&mut self, s: &str) -> Arc<str> {
        let i = self.set.symbol(s);
        self.shared.entry(i).or_insert_with(|| Arc::from(s)).clone()
    }

    /// Reads one document. A syntax error is returned; every other problem is collected.
    pub(super) fn document<'de, D: Deserializer<'de>>(
        &mut self,
        di: usize,
        entity: Option<&str>,
        de: D,
    ) -> Result<(), D::Error> {
        de.deserialize_any(DocVisitor {
            ld: self,
            di,
            entity,
        })
    }

    /// Reads the value of key `key` of document `di`'s outer object alone (its text split
    /// off by `records::split`): the list of that entity, read as [`Loader::document`] reads
    /// it there, or `$schema`'s value, skipped. The caller has checked that `key` is one of
    /// them and is not repeated; or (`bare`) a document that is a bare list of entity `key`.
    /// `first` is the index in that list of the first record read (a part of a long list is
    /// read as a list of its own).
    pub(super) fn list<'de, D: Deserializer<'de>>(
        &mut self,
        di: usize,
        key: &str,
        first: u32,
        bare: bool,
        de: D,
    ) -> Result<(), D::Error> {
        let Some(e) = schema::find_entity(key) else {
            return <Skip as de::Deserialize>::deserialize(de).map(|_| ());
        };
        let e = self.shape_of(e);
        ListSeed {
            ld: self,
            di,
            entity: e,
            key,
            ptr: if bare {
                String::new()
            } else {
                format!("/{}", escape_pointer(key))
            },
            first,
        }
        .deserialize(de)
    }

    /// Adds what another loader read (other documents of the same record set, read on
    /// another thread) as if this loader had read them after its own: the other's texts are
    /// renumbered into this string table, its rows appended, and an id already taken here
    /// is a duplicate, reported as reading the documents in order would.
    pub(super) fn merge(&mut self, other: Loader) {
        let Loader {
            problems,
            set,
            origins,
            lists,
            nested_origin,
            rows,
            ..
        } = other;
        self.problems.extend(problems);
        let list_base = u32::try_from(self.lists.len()).unwrap_or(u32::MAX);
        self.lists.extend(lists);
        let RecordSet {
            tables,
            strings,
            symbols,
            nested,
            ..
        } = set;
        // The other's texts in its index order, each looked up with the hash its table keeps
        // (no text hashed again).
        let mut hashes: Vec<u32> = vec![0; strings.len()];
        for (i, h) in symbols {
            if let Some(slot) = hashes.get_mut(i as usize) {
                *slot = h;
            }
        }
        let map: Vec<u32> = strings
            .iter()
            .zip(hashes)
            .map(|(s, h)| self.set.symbol_hashed(s, h))
            .collect();
        drop(strings);
        for (e, (table, mut from)) in tables.into_iter().zip(origins).enumerate() {
            let Some(mut table) = table else {
                continue;
            };
            let Ok(ei) = u16::try_from(e) else {
                continue;
            };
            table.renumber(&map);
            for o in &mut from {
                o.list = o.list.saturating_add(list_base);
            }
            let base = self.set.count(ei).unwrap_or(0);
            let mut keep = vec![true; table.len()];
            let mut kept = 0usize;
            for (row, k) in keep.iter_mut().enumerate() {
                let Some(id_sym) = table.id(row) else {
                    continue;
                };
                let r = RecRef {
                    entity: ei,
                    row: u32::try_from(base + kept).unwrap_or(u32::MAX),
                };
                if let Some(prev) = self.set.claim(id_sym, r) {
                    *k = false;
                    let origin = from.get(row).copied().unwrap_or_default();
                    self.duplicate(id_sym, prev, origin);
                } else {
                    kept += 1;
                }
            }
            if kept < table.len() {
                table.keep_rows(&keep);
                let mut row = 0;
                from.retain(|_| {
                    row += 1;
                    keep.get(row - 1).copied().unwrap_or(true)
                });
            }
            if let Some(o) = self.origins.get_mut(e) {
                o.extend(from);
            }
            if let Some(slot) = self.set.tables.get_mut(e) {
                match slot {
                    Some(mine) => mine.append(table),
                    None => *slot = Some(table),
                }
            }
        }
        for (shape, objects) in nested.into_iter().enumerate() {
            for (id, obj) in objects {
                let Ok(sh) = u16::try_from(shape) else {
                    continue;
                };
                let key = (sh, id.clone());
                let Some((di, op)) = nested_origin.get(&key).cloned() else {
                    continue;
                };
                if let Some((pd, pp)) = self.nested_origin.get(&key).cloned() {
                    let other = self.names.get(pd).cloned().unwrap_or_default();
                    let name = schema::struct_at(sh).map_or("", |s| s.name);
                    self.problem(
                        di,
                        format!("{op}/id"),
                        Some("id"),
                        false,
                        Diagnostic::error(
                            codes::DUPLICATE_ID,
                            format!("duplicate `{name}` id `{id}`"),
                        )
                        .ja(format!(
                            "{}の id `{id}` が重複している",
                            labels::struct_named(name)
                        ))
                        .label("used again here")
                        .label_ja("再使用")
                        .help(format!("already used at {other} {pp}"))
                        .help_ja(format!("{other} {pp} で使用済み")),
                    );
                    continue;
                }
                self.nested_origin.insert(key, (di, op));
                if let Some(m) = self.set.nested.get_mut(shape) {
                    m.insert(id, obj);
                }
            }
        }
        self.rows += rows;
    }

    /// Reports the record read at `origin` whose id (`id_sym`) `prev` already has.
    fn duplicate(&mut self, id_sym: u32, prev: RecRef, origin: Origin) {
        let id: Arc<str> = self
            .set
            .strings
            .get(id_sym)
            .map_or_else(|| Arc::from(""), Arc::from);
        let po = self
            .origins
            .get(usize::from(prev.entity))
            .and_then(|o| o.get(prev.row as usize))
            .copied()
            .unwrap_or_default();
        let other = self.names.get(po.doc as usize).cloned().unwrap_or_default();
        let pp = self.origin_pointer(po);
        let here = format!("{}/id", self.origin_pointer(origin));
        self.problem(
            origin.doc as usize,
            here,
            Some("id"),
            false,
            Diagnostic::error(codes::DUPLICATE_ID, format!("duplicate id `{id}`"))
                .ja(format!("id `{id}` が重複している"))
                .label("used again here")
                .label_ja("再使用")
                .help(format!(
                    "ids are unique across the record set; `{id}` is already used at {other} {pp}"
                ))
                .help_ja(format!(
                    "id は記録全体で一意である。`{id}` は {other} {pp} で使用済み"
                )),
        );
    }

    /// Where every record was read, taken from the loader: the JSON pointer of each list
    /// read, and per entity the [`Origin`] of each row (rows still in reading order). No
    /// pointer is formatted here: a record's is made when its location is asked for
    /// ([`super::RecordSet::locations`]).
    pub(super) fn take_origins(&mut self) -> (Vec<String>, Vec<Vec<Origin>>) {
        (
            std::mem::take(&mut self.lists),
            std::mem::take(&mut self.origins),
        )
    }

    fn origin_pointer(&self, o: Origin) -> String {
        let list = self.lists.get(o.list as usize).map_or("", String::as_str);
        format!("{list}/{}", o.index)
    }

    fn wrong_type(&mut self, di: usize, ptr: String, field: &str, ty: Ty, found: Found) {
        self.problem(
            di,
            ptr,
            Some(field),
            false,
            Diagnostic::error(
                codes::WRONG_TYPE,
                format!("`{field}` must be {}, found {found}", describe(ty)),
            )
            .ja(format!(
                "{}は{}{}であるべきところ、{}である",
                labels::field_named_any(field),
                if describe_ja(ty).starts_with('`') {
                    " "
                } else {
                    ""
                },
                describe_ja(ty),
                found.ja()
            ))
            .label(format!("expected {}", describe(ty)))
            .label_ja(format!("{}が必要", describe_ja(ty))),
        );
    }

    /// Registers a record read at `origin` (field values and, for text, their string-table
    /// indexes); reports a duplicate id.
    fn push_row(&mut self, ei: u16, origin: Origin, fields: &mut [Value], syms: &[u32]) {
        let e = usize::from(ei);
        let Some(&id_sym) = syms.first() else {
            return;
        };
        let row_no = self.set.count(ei).unwrap_or(0);
        let rref = RecRef {
            entity: ei,
            row: u32::try_from(row_no).unwrap_or(u32::MAX),
        };
        if let Some(prev) = self.set.claim(id_sym, rref) {
            self.duplicate(id_sym, prev, origin);
            return;
        }
        if let Some(o) = self.origins.get_mut(e) {
            o.push(origin);
        }
        if let Some(Some(table)) = self.set.tables.get_mut(e) {
            table.push(id_sym, fields, syms);
        }
        self.rows += 1;
        if self.rows.is_multiple_of(crate::input::RECORDS_STEP) {
            if let Some(p) = &self.progress {
                p.emit(&crate::input::Event::Records { loaded: self.rows });
            }
        }
    }

    /// The help of the unknown field `key` of struct `s` ("did you mean", or the fields).
    fn unknown_help(&mut self, s: &'static Struct, key: &str) -> String {
        let cache = (struct_no(s), key.to_owned());
        if let Some(h) = self.unknown_help.get(&cache) {
            return h.to_string();
        }
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
        self.unknown_help.insert(cache, Arc::from(help.as_str()));
        help
    }

    /// Validates one object of struct `s` (whose [`Plan`] is `plan`) read from `map`; its
    /// field values by slot, or `None` when it has a problem (already reported).
    fn object<'de, A: MapAccess<'de>>(
        &mut self,
        di: usize,
        (s, plan): (&'static Struct, &Plan),
        mut map: A,
        ptr: &dyn Fn() -> String,
        columns: bool,
    ) -> Result<RecordOut, A::Error> {
        let n = s.fields.len();
        // Buffers come back from [`Loader::recycle`] all `Null` and `NONE`: only their length
        // may need changing (a record of another struct used them last).
        let (mut values, mut syms) = self.buffers.pop().unwrap_or_default();
        if values.len() != n {
            values.clear();
            values.resize(n, Value::Null);
        }
        if syms.len() != n {
            syms.clear();
            syms.resize(n, NONE);
        }
        let mut seen = std::mem::take(&mut self.seen);
        seen.clear();
        seen.resize(n, false);
        let mut failed: Vec<usize> = Vec::new();
        let mut ok = true;
        // The slot after the field read last: where the next key is looked for first.
        let mut next = 0;
        while let Some(key) = map.next_key_seed(KeySeed { s, from: next })? {
            match key {
                Key::Field(i) => {
                    next = i + 1;
                    let Some(field) = s.fields.get(i) else {
                        map.next_value::<Skip>()?;
                        continue;
                    };
                    // A repeated key would replace (or merge with) the earlier value.
                    if seen.get(i).copied().unwrap_or(false) {
                        map.next_value::<Skip>()?;
                        ok = false;
                        self.problem(
                            di,
                            format!("{}/{}", ptr(), escape_pointer(field.name)),
                            Some(field.name),
                            true,
                            Diagnostic::error(
                                codes::SYNTAX,
                                format!(
                                    "duplicate key `{}` in one `{}` record",
                                    field.name, s.name
                                ),
                            )
                            .ja(format!(
                                "{}の 1 件の記録でキー `{}` が重複している",
                                labels::struct_named(s.name),
                                field.name
                            ))
                            .label("given again here")
                            .label_ja("再指定")
                            .help("give each field once; remove or merge the repeated one")
                            .help_ja("項目は 1 回だけ書く。重複した方を削除するか統合する"),
                        );
                        continue;
                    }
                    if let Some(x) = seen.get_mut(i) {
                        *x = true;
                    }
                    let v = map.next_value_seed(ValueSeed {
                        ld: self,
                        di,
                        ty: field.ty,
                        field: field.name,
                        ptr: &|| format!("{}/{}", ptr(), escape_pointer(field.name)),
                        sym: if columns { syms.get_mut(i) } else { None },
                    })?;
                    match (v, values.get_mut(i)) {
                        (Some(v), Some(slot)) => *slot = v,
                        _ => {
                            ok = false;
                            failed.push(i);
                        }
                    }
                }
                Key::Unknown(key) => {
                    map.next_value::<Skip>()?;
                    ok = false;
                    let help = self.unknown_help(s, &key);
                    self.problem(
                        di,
                        format!("{}/{}", ptr(), escape_pointer(&key)),
                        Some(&key),
                        true,
                        Diagnostic::error(
                            codes::UNKNOWN_FIELD,
                            format!("unknown field `{key}` in `{}`", s.name),
                        )
                        .ja(format!(
                            "{}に未知の項目 `{key}` がある",
                            labels::struct_named(s.name)
                        ))
                        .label("unknown field")
                        .label_ja("未知の項目")
                        .help_ja(diagnostic::did_you_mean_ja(&help).unwrap_or_else(|| {
                            let fields = help.split_once(" has the fields ").map_or("", |x| x.1);
                            format!("{}の項目: {fields}", labels::struct_named(s.name))
                        }))
                        .help(help),
                    );
                }
            }
        }
        self.seen = seen;
        let given = |i: usize, v: &Value| {
            !matches!(v, Value::Null) || syms.get(i).is_some_and(|x| *x != NONE)
        };
        for &i in &plan.required {
            let (Some(field), Some(v)) = (s.fields.get(i), values.get(i)) else {
                continue;
            };
            if !given(i, v) && !failed.contains(&i) {
                ok = false;
                self.problem(
                    di,
                    ptr(),
                    Some(field.name),
                    false,
                    Diagnostic::error(
                        codes::MISSING_FIELD,
                        format!("`{}` record misses required field `{}`", s.name, field.name),
                    )
                    .ja(format!(
                        "{}の記録に必須項目 {}がない",
                        labels::struct_named(s.name),
                        labels::field_named(s.name, field.name)
                    ))
                    .label("in this record")
                    .label_ja("この記録")
                    .help(format!("add `{}`: {}", field.name, describe(field.ty)))
                    .help_ja(format!(
                        "`{}`（{}）を追加する",
                        field.name,
                        describe_ja(field.ty)
                    )),
                );
            }
        }
        // Alternative keys (`finding_id | incident_id`): a record names at least one, so an
        // absent member of its group is known absent, never unknown (schema::ALTERNATIVES).
        for (slots, group, why) in &plan.alternatives {
            let named = slots
                .iter()
                .any(|i| values.get(*i).is_some_and(|v| given(*i, v)) || failed.contains(i));
            if !named {
                ok = false;
                let quoted: Vec<String> = group.iter().map(|g| format!("`{g}`")).collect();
                let (neither, names) = (quoted.join(" nor "), quoted.join(" or "));
                self.problem(
                    di,
                    ptr(),
                    group.first().copied(),
                    false,
                    Diagnostic::error(
                        codes::MISSING_FIELD,
                        format!("`{}` record names neither {neither}", s.name),
                    )
                    .ja(format!(
                        "{}の記録に {} のどれもない",
                        labels::struct_named(s.name),
                        quoted.join("、")
                    ))
                    .label("in this record")
                    .label_ja("この記録")
                    .help(format!("add {names}: {why}"))
                    .help_ja(format!("{} のどれかを追加する", quoted.join("、"))),
                );
            }
        }
        // Values of the right type that still cannot be what they say: they would pass as
        // "not recorded" or decide a rule wrongly (a negative count makes a breach small).
        let built_in = plan.built_in;
        for &i in &plan.checked {
            let (Some(field), Some(v)) = (s.fields.get(i), values.get(i)) else {
                continue;
            };
            // A record's text is in the string table (see `ValueSeed::sym`); only the texts
            // of `id` and `pms_year_start` are looked at.
            let checked = plan.id == Some(i) || plan.year_start == Some(i);
            let text = match v {
                _ if !checked => None,
                Value::Str(t) => Some(&**t),
                _ => syms
                    .get(i)
                    .filter(|x| **x != NONE)
                    .and_then(|x| self.set.strings.get(*x)),
            };
            let wrong = match (v, text) {
                // Every built-in number is a count, a score, an age or a fee.
                (Value::Int(n), _) if i < built_in && *n < 0 => Some((
                    format!("`{}` cannot be negative, found {n}", field.name),
                    format!(
                        "{}は負にならないが、{n} である",
                        labels::field_named(s.name, field.name)
                    ),
                )),
                (Value::Num(x), _) if i < built_in && !(x.is_finite() && *x >= 0.0) => Some((
                    format!("`{}` must be a number of 0 or more, found {x}", field.name),
                    format!(
                        "{}は 0 以上の数であるべきところ、{x} である",
                        labels::field_named(s.name, field.name)
                    ),
                )),
                (_, Some(t)) if field.name == "id" && t.trim().is_empty() => Some((
                    "an empty `id`: every record needs an id of its own".to_string(),
                    "`id` が空である。記録にはそれぞれ固有の id が必要".to_string(),
                )),
                (_, Some(t)) if field.name == "pms_year_start" && !month_day(t) => Some((
                    format!(
                        "`pms_year_start` is `{t}`, not a month and day `MM-DD` (e.g. `04-01`)"
                    ),
                    format!(
                        "{}が `{t}` であり、月日 `MM-DD`（例: `04-01`）ではない",
                        labels::field_named(s.name, "pms_year_start")
                    ),
                )),
                _ => None,
            };
            if let Some((message, message_ja)) = wrong {
                ok = false;
                self.problem(
                    di,
                    format!("{}/{}", ptr(), escape_pointer(field.name)),
                    Some(field.name),
                    false,
                    Diagnostic::error(codes::WRONG_TYPE, message)
                        .ja(message_ja)
                        .label("not a possible value")
                        .label_ja("ありえない値")
                        .help(format!("`{}`: {}", field.name, field.doc))
                        .help_ja(format!(
                            "{}の値を直す",
                            labels::field_named(s.name, field.name)
                        )),
                );
            }
        }
        if !ok {
            self.recycle(values, syms);
            return Ok(None);
        }
        for &(ia, ib, a, b) in &plan.date_order {
            if let (Some(Value::Date(da)), Some(Value::Date(db))) = (values.get(ia), values.get(ib))
            {
                if db < da {
                    self.problem(
                        di,
                        format!("{}/{b}", ptr()),
                        Some(b),
                        false,
                        Diagnostic::error(
                            codes::DATE_ORDER,
                            format!("`{b}` {db} is before `{a}` {da}"),
                        )
                        .ja(format!(
                            "{} {db} が {} {da} より前である",
                            labels::field_named(s.name, b).trim_end(),
                            labels::field_named(s.name, a).trim_end()
                        ))
                        .label("impossible date")
                        .label_ja("ありえない日付")
                        .help(format!("`{b}` cannot come before `{a}`; check both dates"))
                        .help_ja(format!(
                            "`{b}` は `{a}` より前にならない。両方の日付を確かめる"
                        )),
                    );
                    self.recycle(values, syms);
                    return Ok(None);
                }
            }
        }
        Ok(Some((values, syms)))
    }

    /// Registers a nested object that has an id (department, site …); reports a duplicate.
    fn nested(
        &mut self,
        di: usize,
        s: &'static Struct,
        fields: Vec<Value>,
        ptr: &dyn Fn() -> String,
    ) -> Option<Value> {
        let shape = struct_no(s);
        let id = s.field_index("id").and_then(|i| match fields.get(i) {
            Some(Value::Str(id)) => Some(id.clone()),
            _ => None,
        });
        let obj = Value::Obj(Arc::new(Obj { shape, fields }));
        let Some(id) = id else {
            return Some(obj);
        };
        let key = (shape, id.clone());
        let op = ptr();
        if let Some((pd, pp)) = self.nested_origin.get(&key).cloned() {
            let other = self.names.get(pd).cloned().unwrap_or_default();
            self.problem(
                di,
                format!("{op}/id"),
                Some("id"),
                false,
                Diagnostic::error(
                    codes::DUPLICATE_ID,
                    format!("duplicate `{}` id `{id}`", s.name),
                )
                .ja(format!(
                    "{}の id `{id}` が重複している",
                    labels::struct_named(s.name)
                ))
                .label("used again here")
                .label_ja("再使用")
                .help(format!("already used at {other} {pp}"))
                .help_ja(format!("{other} {pp} で使用済み")),
            );
            return None;
        }
        self.nested_origin.insert(key, (di, op));
        if let Some(m) = self.set.nested.get_mut(usize::from(shape)) {
            m.insert(id, obj.clone());
        }
        Some(obj)
    }

    /// Checks every reference once all records are read, walking the rows by schema, on up
    /// to `threads` threads (each a range of one entity's rows; the dangling references are
    /// reported in the order one thread finds them).
    pub(super) fn check_refs(&mut self, threads: usize) {
        let shapes: Vec<&'static Struct> = (0..STRUCTS.len())
            .filter_map(|i| {
                let i = u16::try_from(i).ok()?;
                self.set.extensions.shape(i)
            })
            .collect();
        let mut work: Vec<RefWork> = Vec::new();
        for (ei, s) in shapes.into_iter().enumerate() {
            // A reference to an entity's record is read from the text column as a
            // string-table index and resolved through the id index (no value built, no text
            // hashed); references in lists and objects are walked value by value.
            let slots: Vec<(usize, Option<u16>)> = (0..s.fields.len())
                .filter_map(|i| {
                    let f = s.fields.get(i)?;
                    let direct = match f.ty {
                        Ty::Ref(target) => schema::find_struct(target)
                            .filter(|t| t.entity)
                            .map(struct_no),
                        _ => None,
                    };
                    holds_ref(f.ty).then_some((i, direct))
                })
                .collect();
            if slots.is_empty() {
                continue;
            }
            let slots: Arc<[(usize, Option<u16>)]> = slots.into();
            let ei16 = u16::try_from(ei).unwrap_or(u16::MAX);
            let rows = self.set.count(ei16).unwrap_or(0);
            let mut from = 0;
            while from < rows {
                let to = rows.min(from + REF_ROWS);
                work.push(RefWork {
                    entity: ei16,
                    shape: s,
                    slots: Arc::clone(&slots),
                    rows: from..to,
                });
                from = to;
            }
        }
        let this: &Loader = self;
        let found = crate::workers::map(&work, threads, || (), |_, _, w| this.bad_refs(w));
        for (di, ptr, field, target, id) in found.into_iter().flatten() {
            self.dangling(di, ptr, field, target, &id);
        }
    }

    /// The dangling references of one range of an entity's rows.
    fn bad_refs(&self, w: &RefWork) -> Vec<BadRef> {
        let mut bad = Vec::new();
        let s = w.shape;
        let ei = usize::from(w.entity);
        for ri in w.rows.clone() {
            let r = RecRef {
                entity: w.entity,
                row: u32::try_from(ri).unwrap_or(u32::MAX),
            };
            let origin = self
                .origins
                .get(ei)
                .and_then(|o| o.get(ri))
                .copied()
                .unwrap_or_default();
            for &(i, direct) in w.slots.iter() {
                let Some(field) = s.fields.get(i) else {
                    continue;
                };
                if let (Some(target_entity), Ty::Ref(target)) = (direct, field.ty) {
                    let Some(sym) = self.set.text_index(r, i) else {
                        continue;
                    };
                    if self
                        .set
                        .record_of(sym)
                        .is_some_and(|t| t.entity == target_entity)
                    {
                        continue;
                    }
                    let id = self
                        .set
                        .string(sym)
                        .map_or_else(|| Arc::from(""), Arc::from);
                    let ptr = format!(
                        "{}/{}",
                        self.origin_pointer(origin),
                        escape_pointer(field.name)
                    );
                    bad.push((origin.doc as usize, ptr, field.name, target, id));
                    continue;
                }
                let v = self.set.field(r, i);
                let here = || {
                    format!(
                        "{}/{}",
                        self.origin_pointer(origin),
                        escape_pointer(field.name)
                    )
                };
                self.walk_refs(
                    origin.doc as usize,
                    field.ty,
                    field.name,
                    &v,
                    &here,
                    &mut bad,
                );
            }
        }
        bad
    }

    fn walk_refs(
        &self,
        di: usize,
        ty: Ty,
        field: &'static str,
        v: &Value,
        ptr: &dyn Fn() -> String,
        bad: &mut Vec<BadRef>,
    ) {
        match (ty, v) {
            (Ty::Ref(target), Value::Str(id)) if !self.resolves(target, id) => {
                bad.push((di, ptr(), field, target, id.clone()));
            }
            (Ty::List(t), Value::List(items)) => {
                for (k, item) in items.iter().enumerate() {
                    self.walk_refs(di, *t, field, item, &|| format!("{}/{k}", ptr()), bad);
                }
            }
            (Ty::Obj(_), Value::Obj(o)) => {
                let Some(s) = schema::struct_at(o.shape) else {
                    return;
                };
                for (f, x) in s.fields.iter().zip(o.fields.iter()) {
                    if !matches!(x, Value::Null) {
                        self.walk_refs(
                            di,
                            f.ty,
                            f.name,
                            x,
                            &|| format!("{}/{}", ptr(), escape_pointer(f.name)),
                            bad,
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn resolves(&self, target: &str, id: &Arc<str>) -> bool {
        match schema::find_struct(target) {
            Some(s) if s.entity => self
                .set
                .by_id(id)
                .and_then(|r| STRUCTS.get(usize::from(r.entity)))
                .is_some_and(|e| e.name == target),
            Some(s) => self.set.nested(struct_no(s), id).is_some(),
            None => false,
        }
    }

    /// The id of a `target` record (or nested object) closest to `id`.
    fn closest_id(&self, target: &str, id: &str) -> Option<String> {
        let candidates: Vec<&str> = match schema::find_struct(target) {
            Some(s) if s.entity => {
                let e = struct_no(s);
                (0..self.set.count(e).unwrap_or(0))
                    .filter_map(|row| {
                        let row = u32::try_from(row).ok()?;
                        self.set.id(RecRef { entity: e, row })
                    })
                    .collect()
            }
            Some(s) => self
                .set
                .nested
                .get(usize::from(struct_no(s)))
                .map(|m| m.keys().map(|id| &**id).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        schema::suggest(id, candidates.iter().copied()).map(str::to_string)
    }

    fn dangling(&mut self, di: usize, ptr: String, field: &str, target: &str, id: &Arc<str>) {
        let other = self
            .set
            .by_id(id)
            .and_then(|r| STRUCTS.get(usize::from(r.entity)))
            .map(|e| e.name);
        if let Some(other) = other.filter(|_| schema::find_struct(target).is_some_and(|s| s.entity))
        {
            self.problem(
                di,
                ptr,
                Some(field),
                false,
                Diagnostic::error(
                    codes::DANGLING_REF,
                    format!(
                        "`{field}` must name a `{target}` record, but `{id}` is a `{other}` record"
                    ),
                )
                .ja(format!(
                    "{}は{}の記録を指すべきところ、`{id}` は{}の記録である",
                    labels::field_named_any(field),
                    labels::struct_named(target),
                    labels::struct_named(other)
                ))
                .label("wrong kind of record")
                .label_ja("別の種類の記録"),
            );
            return;
        }
        let key = (target.to_string(), Arc::clone(id));
        let suggestion = match self.suggestions.get(&key) {
            Some(known) => known.clone(),
            None if self.suggestions.len() >= SUGGESTION_BUDGET => None,
            None => {
                let found = self.closest_id(target, id);
                self.suggestions.insert(key, found.clone());
                found
            }
        };
        let help = suggestion
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| {
                format!("add the `{target}` record `{id}`, or correct the reference")
            });
        let help_ja = diagnostic::did_you_mean_ja(&help).unwrap_or_else(|| {
            format!(
                "{}の記録 `{id}` を追加するか、参照を直す",
                labels::struct_named(target)
            )
        });
        let diag = Diagnostic::error(
            codes::DANGLING_REF,
            format!("`{field}` refers to `{id}`, but no `{target}` record has that id"),
        )
        .ja(format!(
            "{}が `{id}` を参照しているが、その id の{}の記録はない",
            labels::field_named_any(field),
            labels::struct_named(target)
        ))
        .label("dangling reference")
        .label_ja("参照先がない")
        .help(help)
        .help_ja(help_ja);
        self.problem(di, ptr, Some(field), false, diag);
    }
}

/// The scalar visits of a visitor that expected a container: each reports what it found
/// through `$wrong` (a method taking a [`Found`]).
macro_rules! scalars_are_wrong {
    ($ret:ty, $wrong:ident) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$ret, E> {
            self.$wrong(Found::Bool)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$ret, E> {
            self.$wrong(Found::Number)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$ret, E> {
            self.$wrong(Found::Number)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$ret, E> {
            self.$wrong(Found::Number)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$ret, E> {
            self.$wrong(Found::Text)
        }
    };
}

/// A value read only to be skipped (an unknown field's, the rest of a list that is wrong).
///
/// Unlike serde's `IgnoredAny`, it visits every list and object it skips, so that
/// `serde_json`'s nesting limit applies inside skipped values too: JSON text nested deeper
/// than [`crate::limits::MAX_RECORD_NESTING`] anywhere is `E1022` at its line and column,
/// never read (and never handed to the locator, whose YAML reader stops at 255 flow levels,
/// losing every later position).
struct Skip;

impl<'de> de::Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Skip, D::Error> {
        de.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_none<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Skip, D::Error> {
        de::Deserialize::deserialize(de)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Skip, A::Error> {
        drain_seq(seq).map(|()| Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Skip, A::Error> {
        drain_map(map).map(|()| Skip)
    }
}

/// Drains whatever remains of a sequence.
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<Skip>()?.is_some() {}
    Ok(())
}

/// Drains whatever remains of a map.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<Skip, Skip>()?.is_some() {}
    Ok(())
}

/// The top level of a document: an object of entities, or a bare list of one entity.
struct DocVisitor<'l, 'e> {
    ld: &'l mut Loader,
    di: usize,
    entity: Option<&'e str>,
}

impl DocVisitor<'_, '_> {
    fn bad_shape<E: de::Error>(self, found: Found) -> Result<(), E> {
        self.ld.problem(self.di, String::new(), None, false, Diagnostic::error(codes::BAD_SHAPE, format!("a record document must be an object of entities or a list, found {found}")).ja(format!("記録の文書はエンティティのオブジェクトかリストであるべきところ、{}である", found.ja())).help("write `{workforce: [...], inventory: [...]}` or a bare list in a file named after its entity").help_ja("`{workforce: [...], inventory: [...]}` と書くか、エンティティ名のファイルにリストだけを書く"));
        Ok(())
    }
}

impl<'de> Visitor<'de> for DocVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of entities or a list of records")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "$schema" {
                map.next_value::<Skip>()?;
                continue;
            }
            let ptr = format!("/{}", escape_pointer(&key));
            // A repeated entity would add its records to the earlier list, or (in other
            // readers) replace it: either way not what the file says.
            if seen.iter().any(|k| *k == *key) {
                map.next_value::<Skip>()?;
                self.ld.problem(
                    self.di,
                    ptr,
                    Some(&key),
                    true,
                    Diagnostic::error(
                        codes::SYNTAX,
                        format!("duplicate key `{key}`: the entity is listed twice"),
                    )
                    .ja(format!(
                        "キー `{key}` が重複している（同じエンティティが 2 回ある）"
                    ))
                    .label("listed again here")
                    .label_ja("再記載")
                    .help("list each entity once; move the records into the first list")
                    .help_ja("エンティティは 1 回だけ書き、記録は最初のリストに移す"),
                );
                continue;
            }
            seen.push(key.to_string());
            let Some(e) = schema::find_entity(&key) else {
                map.next_value::<Skip>()?;
                let help = schema::suggest(&key, schema::entities().map(|e| e.name))
                    .map(|s| format!("did you mean `{s}`?"));
                self.ld.problem(
                    self.di,
                    ptr,
                    Some(&key),
                    true,
                    Diagnostic::error(codes::UNKNOWN_ENTITY, format!("unknown entity `{key}`"))
                        .ja(format!("未知のエンティティ `{key}`"))
                        .label("not an entity")
                        .label_ja("エンティティではない")
                        .help_ja(
                            help.as_deref()
                                .and_then(diagnostic::did_you_mean_ja)
                                .unwrap_or_else(|| "エンティティは docs/records.md を参照".into()),
                        )
                        .maybe_help(
                            help.or_else(|| Some("see docs/records.md for the entities".into())),
                        ),
                );
                continue;
            };
            let e = self.ld.shape_of(e);
            map.next_value_seed(ListSeed {
                ld: self.ld,
                di: self.di,
                entity: e,
                key: &key,
                ptr,
                first: 0,
            })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let name = self.entity.unwrap_or_default();
        let Some(e) = schema::find_entity(name) else {
            let help = schema::suggest(name, schema::entities().map(|e| e.name))
                .map(|s| format!("did you mean `{s}`? a file holding a bare list is named after its entity, e.g. `{s}.yaml`"))
                .unwrap_or_else(|| "name the file after its entity (e.g. `workforce.yaml`), or wrap the list in `{entity: [...]}`".into());
            let help_ja = schema::suggest(name, schema::entities().map(|e| e.name))
                .map(|s| format!("`{s}` の誤りではないか。リストだけのファイルはエンティティ名にする（例: `{s}.yaml`）"))
                .unwrap_or_else(|| "ファイル名をエンティティ名にする（例: `workforce.yaml`）か、リストを `{entity: [...]}` で包む".into());
            self.ld.problem(
                self.di,
                String::new(),
                None,
                false,
                Diagnostic::error(codes::UNKNOWN_ENTITY, format!("unknown entity `{name}`"))
                    .ja(format!("未知のエンティティ `{name}`"))
                    .label("this list")
                    .label_ja("このリスト")
                    .help(help)
                    .help_ja(help_ja),
            );
            return drain_seq(seq);
        };
        let e = self.ld.shape_of(e);
        ListSeed {
            ld: self.ld,
            di: self.di,
            entity: e,
            key: name,
            ptr: String::new(),
            first: 0,
        }
        .visit_seq(seq)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.bad_shape(Found::Null)
    }
    scalars_are_wrong!((), bad_shape);
}

/// One entity's list of records.
struct ListSeed<'l, 'k> {
    ld: &'l mut Loader,
    di: usize,
    entity: &'static Struct,
    key: &'k str,
    ptr: String,
    /// The index in the document's list of the first record read (not 0 when the list is
    /// read in parts, see `records::split`).
    first: u32,
}

impl ListSeed<'_, '_> {
    fn open(&mut self) -> (u16, u32) {
        let ei = struct_no(self.entity);
        if let Some(slot) = self.ld.set.tables.get_mut(usize::from(ei)) {
            slot.get_or_insert_with(|| Table::new(self.entity));
        }
        self.ld.lists.push(self.ptr.clone());
        (
            ei,
            u32::try_from(self.ld.lists.len() - 1).unwrap_or(u32::MAX),
        )
    }

    fn not_a_list<E: de::Error>(mut self, found: Found) -> Result<(), E> {
        let key = self.key;
        let ptr = std::mem::take(&mut self.ptr);
        self.ld.problem(
            self.di,
            ptr,
            Some(key),
            false,
            Diagnostic::error(
                codes::WRONG_TYPE,
                format!("`{key}` must be a list of records, found {found}"),
            )
            .ja(format!(
                "`{key}` は記録のリストであるべきところ、{}である",
                found.ja()
            ))
            .label("expected a list")
            .label_ja("リストが必要")
            .help(format!("write `{key}: [ ... ]`, one element per record"))
            .help_ja(format!("`{key}: [ ... ]` と書く（1 要素が 1 件の記録）")),
        );
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let (ei, list) = self.open();
        // One plan for every record of the list.
        let plan = self.ld.plan(self.entity);
        let mut index: u32 = self.first;
        loop {
            let origin = Origin {
                doc: u32::try_from(self.di).unwrap_or(u32::MAX),
                list,
                index,
            };
            let prefix = &self.ptr;
            let got = seq.next_element_seed(RecordSeed {
                ld: self.ld,
                di: self.di,
                entity: self.entity,
                plan: &plan,
                ptr: &|| format!("{prefix}/{index}"),
            })?;
            match got {
                None => break,
                Some(Some((mut fields, syms))) => {
                    self.ld.push_row(ei, origin, &mut fields, &syms);
                    self.ld.recycle(fields, syms);
                }
                Some(None) => {}
            }
            index = index.saturating_add(1);
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.open();
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }
    scalars_are_wrong!((), not_a_list);
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        drain_map(map)?;
        self.not_a_list(Found::Object)
    }
}

/// One record of an entity: its id and field values, or `None` when it has a problem.
struct RecordSeed<'l, 'p> {
    ld: &'l mut Loader,
    di: usize,
    entity: &'static Struct,
    /// The entity's plan.
    plan: &'p Plan,
    ptr: &'p dyn Fn() -> String,
}

/// A record's field values by slot and the string-table index of each text field; `None`
/// when the record has a problem.
type RecordOut = Option<(Vec<Value>, Vec<u32>)>;

impl RecordSeed<'_, '_> {
    fn not_an_object<E: de::Error>(self, found: Found) -> Result<RecordOut, E> {
        self.ld.problem(
            self.di,
            (self.ptr)(),
            None,
            false,
            Diagnostic::error(
                codes::WRONG_TYPE,
                format!(
                    "a `{}` record must be an object, found {found}",
                    self.entity.name
                ),
            )
            .ja(format!(
                "{}の記録はオブジェクトであるべきところ、{}である",
                labels::struct_named(self.entity.name),
                found.ja()
            ))
            .label("expected an object")
            .label_ja("オブジェクトが必要"),
        );
        Ok(None)
    }
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_, '_> {
    type Value = RecordOut;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<RecordOut, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_, '_> {
    type Value = RecordOut;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RecordOut, A::Error> {
        let Some((fields, syms)) =
            self.ld
                .object(self.di, (self.entity, self.plan), map, self.ptr, true)?
        else {
            return Ok(None);
        };
        // The id is the first field, text, and required.
        if syms.first().is_none_or(|i| *i == NONE) {
            self.ld.recycle(fields, syms);
            return Ok(None);
        }
        Ok(Some((fields, syms)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<RecordOut, E> {
        self.not_an_object(Found::Null)
    }
    scalars_are_wrong!(RecordOut, not_an_object);
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RecordOut, A::Error> {
        drain_seq(seq)?;
        self.not_an_object(Found::List)
    }
}

/// A field name of a struct: its slot, or the unknown name.
enum Key {
    Field(usize),
    Unknown(String),
}

/// A field name of struct `s`, looked for from slot `from` on first: records mostly give
/// their fields in the schema's order (field names are distinct within a struct, so where
/// the search starts does not change what it finds).
struct KeySeed {
    s: &'static Struct,
    from: usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Key, D::Error> {
        de.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        let fields = self.s.fields;
        let from = self.from.min(fields.len());
        let (before, after) = fields.split_at(from);
        let found = after
            .iter()
            .position(|f| f.name == v)
            .map(|i| i + from)
            .or_else(|| before.iter().position(|f| f.name == v));
        Ok(match found {
            Some(i) => Key::Field(i),
            None => Key::Unknown(v.to_string()),
        })
    }
}

/// One field value of type `ty`: `Some` value (`Null` when written as null), or `None` when
/// it has a problem (already reported).
struct ValueSeed<'l, 'p> {
    ld: &'l mut Loader,
    di: usize,
    ty: Ty,
    field: &'static str,
    ptr: &'p dyn Fn() -> String,
    /// Where a record's text field puts its string-table index: the table stores the index
    /// alone, so no shared text is made (and dropped) for it. `None` in nested objects and
    /// lists, whose values keep their text.
    sym: Option<&'p mut u32>,
}

impl ValueSeed<'_, '_> {
    /// A text value: its string-table index into [`ValueSeed::sym`] (and `Null` as the
    /// value), or the shared text.
    fn text(self, s: &str) -> Value {
        match self.sym {
            Some(out) => {
                *out = self.ld.set.symbol(s);
                Value::Null
            }
            None => Value::Str(self.ld.intern(s)),
        }
    }

    fn wrong<E: de::Error>(self, found: Found) -> Result<Option<Value>, E> {
        self.ld
            .wrong_type(self.di, (self.ptr)(), self.field, self.ty, found);
        Ok(None)
    }

    fn int<E: de::Error>(
        self,
        i: Option<i64>,
        text: &dyn Fn() -> String,
    ) -> Result<Option<Value>, E> {
        match (self.ty, i) {
            (Ty::Int | Ty::Num, Some(i)) => Ok(Some(Value::Int(i))),
            (Ty::Num, None) => Ok(Some(Value::Num(text().parse().unwrap_or(f64::NAN)))),
            (Ty::Str | Ty::Ref(_), _) => Ok(Some(self.text(&text()))),
            _ => self.wrong(Found::Number),
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Option<Value>, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&describe(self.ty))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<Value>, E> {
        match self.ty {
            Ty::Bool => Ok(Some(Value::Bool(b))),
            _ => self.wrong(Found::Bool),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        self.int(Some(v), &|| v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        self.int(i64::try_from(v).ok(), &|| v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        match self.ty {
            Ty::Num => Ok(Some(Value::Num(v))),
            _ => self.wrong(Found::Number),
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Value>, E> {
        match self.ty {
            Ty::Str | Ty::Ref(_) => Ok(Some(self.text(s))),
            Ty::Date => {
                match super::parse_date(s) {
                    Some(d) => Ok(Some(Value::Date(d))),
                    None => {
                        let field = self.field;
                        self.ld.problem(self.di, (self.ptr)(), Some(field), false, Diagnostic::error(codes::BAD_DATE, format!("`{s}` is not a valid date for `{field}`")).ja(format!("{}が存在する日付ではない: `{s}`", labels::field_named_any(field))).label("not a date").label_ja("日付ではない").help("write an existing calendar date as `yyyy-mm-dd`, e.g. `2025-04-01`").help_ja("実在する日付を `yyyy-mm-dd` で書く（例: `2025-04-01`）"));
                        Ok(None)
                    }
                }
            }
            Ty::Enum(vals) if vals.contains(&s) => Ok(Some(self.text(s))),
            Ty::Enum(vals) => {
                let field = self.field;
                let help = schema::suggest(s, vals.iter().copied())
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| format!("use {}", describe(self.ty)));
                let help_ja = diagnostic::did_you_mean_ja(&help)
                    .unwrap_or_else(|| format!("{}を使う", describe_ja(self.ty)));
                self.ld.problem(
                    self.di,
                    (self.ptr)(),
                    Some(field),
                    false,
                    Diagnostic::error(
                        codes::BAD_ENUM,
                        format!("`{s}` is not an allowed value of `{field}`"),
                    )
                    .ja(format!(
                        "`{s}` は{}に使える値ではない",
                        labels::field_named_any(field)
                    ))
                    .label("unknown value")
                    .label_ja("未知の値")
                    .help(help)
                    .help_ja(help_ja),
                );
                Ok(None)
            }
            _ => self.wrong(Found::Text),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let Ty::List(inner) = self.ty else {
            drain_seq(seq)?;
            return self.wrong(Found::List);
        };
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut ok = true;
        let ptr = self.ptr;
        let mut k = 0usize;
        loop {
            let got = seq.next_element_seed(ValueSeed {
                ld: self.ld,
                di: self.di,
                ty: *inner,
                field: self.field,
                ptr: &|| format!("{}/{k}", ptr()),
                sym: None,
            })?;
            match got {
                None => break,
                Some(Some(v)) => out.push(v),
                Some(None) => ok = false,
            }
            k += 1;
        }
        Ok(ok.then(|| Value::List(Arc::new(out))))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let Ty::Obj(name) = self.ty else {
            drain_map(map)?;
            return self.wrong(Found::Object);
        };
        let Some(s) = schema::find_struct(name) else {
            drain_map(map)?;
            return Ok(None);
        };
        let plan = self.ld.plan(s);
        let Some((fields, syms)) = self.ld.object(self.di, (s, &plan), map, self.ptr, false)?
        else {
            return Ok(None);
        };
        self.ld.recycle(Vec::new(), syms);
        Ok(self.ld.nested(self.di, s, fields, self.ptr))
    }
}

/// Whether `t` is a day of the year as `MM-DD` (29 February included).
fn month_day(t: &str) -> bool {
    let Some((m, d)) = t.split_once('-') else {
        return false;
    };
    let (Ok(m), Ok(d)) = (m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    t.len() == 5 && chrono::NaiveDate::from_ymd_opt(2024, m, d).is_some()
}

#[cfg(test)]
mod tests {
    use super::{de, Key, KeySeed, Visitor as _};
    use crate::schema::STRUCTS;

    /// A key is found wherever its search starts: field names are distinct in every struct.
    #[test]
    fn field_names_are_found_from_any_starting_slot() {
        for s in STRUCTS {
            for (i, f) in s.fields.iter().enumerate() {
                assert_eq!(s.field_index(f.name), Some(i), "{}.{}", s.name, f.name);
                for from in 0..=s.fields.len() + 1 {
                    let key: Result<Key, de::value::Error> = KeySeed { s, from }.visit_str(f.name);
                    assert!(
                        matches!(key, Ok(Key::Field(k)) if k == i),
                        "{}.{}",
                        s.name,
                        f.name
                    );
                }
            }
            let key: Result<Key, de::value::Error> = KeySeed { s, from: 1 }.visit_str("no such");
            assert!(matches!(key, Ok(Key::Unknown(k)) if k == "no such"));
        }
    }
}
