//! Indexes over the label table ([`pms_core::labels`]): which entity a sheet name means,
//! which field a header means, which enum value a Japanese word means.
//!
//! Every word is indexed by its [`fold`] and looked up first as folded,
//! then by its [`key`] (without a bracketed note), so `有効期間（開始）`
//! and `件数（概数）` both find their field.
//!
//! What a sheet can hold ([`Target`]):
//! - the records of an entity, one per row (`従業者`, `受講記録`, `training_records` …);
//! - the nested objects of a list field of an entity, one per row, each naming its parent
//!   record in a parent column (`部門` → `organization.departments`, `計画項目` with a
//!   `教育計画` column → `training_plans.items`). A sheet named `parent.field`
//!   (`training_plans.items`, `教育計画.計画項目`) says both.
//!
//! A nested object held by a field on its own (`contracts.clauses`, `workforce.leave`) is
//! spread over columns of its entity's sheet: `clauses.audit_right`, `契約条項.監査権`, or
//! the nested label alone (`監査権`) when no field of the entity has that word.

use crate::fold::{fold, key};
use pms_core::labels::{self, FieldLabel};
use pms_core::schema::{self, Struct, Ty};
use std::collections::BTreeMap;

/// What the rows of a sheet are.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// Records of an entity.
    Entity(&'static Struct),
    /// Nested objects of a list field (`field`) of an entity (`parent`).
    Nested {
        /// The entity holding the list.
        parent: &'static Struct,
        /// The list field.
        field: &'static str,
        /// The struct of the list's objects.
        shape: &'static Struct,
    },
}

impl PartialEq for Target {
    fn eq(&self, other: &Target) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Target {}

impl Target {
    /// The struct of a row.
    #[must_use]
    pub fn shape(&self) -> &'static Struct {
        match self {
            Target::Entity(s) => s,
            Target::Nested { shape, .. } => shape,
        }
    }

    /// How the target is named in messages: `training_records`, `organization.departments`.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Target::Entity(s) => s.name.to_owned(),
            Target::Nested { parent, field, .. } => format!("{}.{field}", parent.name),
        }
    }

    /// The Japanese name: `受講記録`, `組織.部門`.
    #[must_use]
    pub fn name_ja(&self) -> String {
        match self {
            Target::Entity(s) => s.name_ja.to_owned(),
            Target::Nested { parent, field, .. } => {
                format!(
                    "{}.{}",
                    parent.name_ja,
                    labels::field_ja(parent.name, field)
                )
            }
        }
    }
}

/// Every nested-list field of every entity: `(entity, field, object struct)`.
fn nested_lists() -> impl Iterator<Item = (&'static Struct, &'static str, &'static Struct)> {
    schema::STRUCTS.iter().filter(|s| s.entity).flat_map(|s| {
        s.fields.iter().filter_map(move |f| match f.ty {
            Ty::List(Ty::Obj(name)) => schema::find_struct(name).map(|o| (s, f.name, o)),
            _ => None,
        })
    })
}

/// Lists of which one item a row of their record's sheet may hold: (entity, list field). A
/// 文書管理台帳 keeps each document in one row with its current version (版, 制定日, 改訂日,
/// 承認者, 配布先); earlier versions, if kept, are rows of the 文書.版 sheet.
pub const ROW_ITEM: &[(&str, &str)] = &[("documents", "versions")];

/// Whether a row of `entity`'s sheet may hold one item of its list `field` (see [`ROW_ITEM`]).
#[must_use]
pub fn row_item(entity: &str, field: &str) -> bool {
    ROW_ITEM.iter().any(|(e, f)| *e == entity && *f == field)
}

fn words_of(
    ja: &'static str,
    aliases: &'static [&'static str],
) -> impl Iterator<Item = &'static str> {
    std::iter::once(ja).chain(aliases.iter().copied())
}

/// The words that name each target: (word, target), every form; ambiguous words (naming
/// two targets) are left out by [`target_of_name`].
fn target_words() -> Vec<(String, Target)> {
    let mut out = Vec::new();
    for s in schema::STRUCTS.iter().filter(|s| s.entity) {
        let t = Target::Entity(s);
        out.push((s.name.to_owned(), t));
        if let Some(l) = labels::struct_labels(s.name) {
            for w in words_of(l.ja, l.aliases) {
                out.push((w.to_owned(), t));
            }
        }
    }
    for (parent, field, shape) in nested_lists() {
        let t = Target::Nested {
            parent,
            field,
            shape,
        };
        let field_ja = labels::field_ja(parent.name, field);
        out.push((format!("{}.{field}", parent.name), t));
        out.push((format!("{}.{field_ja}", parent.name_ja), t));
        if let Some(l) = labels::field_label(parent.name, field) {
            for w in l.aliases {
                out.push(((*w).to_owned(), t));
            }
        }
        out.push((field_ja.to_owned(), t));
        if let Some(l) = labels::struct_labels(shape.name) {
            for w in words_of(l.ja, l.aliases) {
                out.push((w.to_owned(), t));
            }
        }
    }
    out
}

/// The targets a folded word names.
fn index() -> &'static BTreeMap<String, Vec<Target>> {
    static INDEX: std::sync::OnceLock<BTreeMap<String, Vec<Target>>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m: BTreeMap<String, Vec<Target>> = BTreeMap::new();
        for (w, t) in target_words() {
            let v = m.entry(fold(&w)).or_default();
            if !v.contains(&t) {
                v.push(t);
            }
        }
        m
    })
}

/// What a sheet or file name says the sheet holds: `Ok(Some)` one target, `Ok(None)` none,
/// `Err(targets)` when the name fits several (a plan item's sheet without its plan).
///
/// The name is matched as a whole (folded, then without a bracketed note); failing that, the
/// longest known name inside it (`2025年度教育記録` → 教育記録).
///
/// # Errors
/// The candidates, when the name is ambiguous.
pub fn target_of_name(name: &str) -> Result<Option<Target>, Vec<Target>> {
    let idx = index();
    for k in [fold(name), key(name)] {
        if let Some(ts) = idx.get(&k) {
            return match ts.as_slice() {
                [one] => Ok(Some(*one)),
                many => Err(many.to_vec()),
            };
        }
    }
    // The longest known word inside the name (at least two characters).
    let k = key(name);
    let mut best: Option<(usize, &Vec<Target>)> = None;
    for (w, ts) in idx {
        let len = w.chars().count();
        if len >= 2 && k.contains(w.as_str()) && best.is_none_or(|(l, _)| len > l) {
            best = Some((len, ts));
        }
    }
    match best.map(|(_, ts)| ts.as_slice()) {
        Some([one]) => Ok(Some(*one)),
        Some(many) => Err(many.to_vec()),
        None => Ok(None),
    }
}

/// Every target (entities, then nested lists), for finding a sheet's target from its header.
pub fn all_targets() -> Vec<Target> {
    let mut out: Vec<Target> = schema::STRUCTS
        .iter()
        .filter(|s| s.entity)
        .map(Target::Entity)
        .collect();
    out.extend(nested_lists().map(|(parent, field, shape)| Target::Nested {
        parent,
        field,
        shape,
    }));
    out
}

/// What a header cell names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    /// A field of the row's struct.
    Field(&'static str),
    /// A field of a nested object held by a field of the row (`clauses.audit_right`).
    Sub(&'static str, &'static str),
    /// The id of the parent record of a nested-object row.
    Parent,
}

impl Column {
    /// The field path as written in record files: `name`, `clauses.audit_right`, `(parent)`.
    #[must_use]
    pub fn path(&self) -> String {
        match self {
            Column::Field(f) => (*f).to_owned(),
            Column::Sub(f, g) => format!("{f}.{g}"),
            Column::Parent => "(parent)".to_owned(),
        }
    }
}

/// The header vocabulary of a target: folded word → column.
#[derive(Debug, Clone)]
pub struct Headers {
    words: BTreeMap<String, Column>,
    /// Words that name two columns: never matched, reported as ambiguous.
    ambiguous: BTreeMap<String, Vec<Column>>,
    /// The words shown as suggestions (primary labels and field names).
    shown: Vec<String>,
    /// The primary Japanese labels, in field order.
    labels_ja: Vec<String>,
}

impl Headers {
    /// The header vocabulary of a target.
    #[must_use]
    pub fn of(target: Target) -> Headers {
        let shape = target.shape();
        let mut strong: Vec<(String, Column)> = Vec::new();
        let mut weak: Vec<(String, Column)> = Vec::new();
        let mut shown = Vec::new();
        let mut labels_ja = Vec::new();
        let label = |s: &str, f: &str| labels::field_label(s, f);
        for f in shape.fields {
            let col = Column::Field(f.name);
            strong.push((f.name.to_owned(), col.clone()));
            shown.push(f.name.to_owned());
            // A list whose item a row may hold (a 文書管理台帳 row's 版, 制定日, 承認者: its
            // document's current version): its item's fields are the row's group, read as one
            // item (see [`ROW_ITEM`]); the list's own words name them, not the whole list.
            let item = row_item(shape.name, f.name);
            if !item {
                if let Some(FieldLabel { ja, aliases, .. }) = label(shape.name, f.name) {
                    shown.push((*ja).to_owned());
                    labels_ja.push((*ja).to_owned());
                    for w in words_of(ja, aliases) {
                        strong.push((w.to_owned(), col.clone()));
                    }
                }
            }
            let group = match f.ty {
                Ty::Obj(sub) => Some(sub),
                Ty::List(&Ty::Obj(sub)) if item => Some(sub),
                _ => None,
            };
            let Some(sub_shape) = group.and_then(schema::find_struct) else {
                continue;
            };
            let field_ja = labels::field_ja(shape.name, f.name);
            for g in sub_shape.fields {
                let col = Column::Sub(f.name, g.name);
                let sub_ja = labels::field_ja(sub_shape.name, g.name);
                for sep in [".", ":", "・", "/"] {
                    strong.push((format!("{}{sep}{}", f.name, g.name), col.clone()));
                    strong.push((format!("{field_ja}{sep}{sub_ja}"), col.clone()));
                }
                shown.push(format!("{field_ja}.{sub_ja}"));
                if let Some(l) = label(sub_shape.name, g.name) {
                    for w in words_of(l.ja, l.aliases) {
                        weak.push((w.to_owned(), col.clone()));
                    }
                }
                weak.push((g.name.to_owned(), col.clone()));
            }
        }
        if let Target::Nested { parent, .. } = target {
            for w in [
                parent.name,
                parent.name_ja,
                "parent",
                "parent_id",
                "親ID",
                "親",
            ] {
                strong.push((w.to_owned(), Column::Parent));
            }
            if let Some(l) = labels::struct_labels(parent.name) {
                for w in l.aliases {
                    strong.push(((*w).to_owned(), Column::Parent));
                }
            }
            shown.push(parent.name_ja.to_owned());
        }
        let mut words: BTreeMap<String, Column> = BTreeMap::new();
        let mut ambiguous: BTreeMap<String, Vec<Column>> = BTreeMap::new();
        let mut add = |w: String, c: Column, words: &mut BTreeMap<String, Column>| {
            let k = fold(&w);
            if let Some(cols) = ambiguous.get_mut(&k) {
                if !cols.contains(&c) {
                    cols.push(c);
                }
                return;
            }
            match words.get(&k) {
                Some(prev) if *prev != c => {
                    let prev = prev.clone();
                    words.remove(&k);
                    ambiguous.insert(k, vec![prev, c]);
                }
                Some(_) => {}
                None => {
                    words.insert(k, c);
                }
            }
        };
        for (w, c) in strong {
            add(w, c, &mut words);
        }
        // A nested field's own label counts only where no field of the row has that word.
        let taken: std::collections::BTreeSet<String> =
            words.keys().chain(ambiguous.keys()).cloned().collect();
        let mut weak_words: BTreeMap<String, Column> = BTreeMap::new();
        let mut weak_ambiguous: BTreeMap<String, Vec<Column>> = BTreeMap::new();
        for (w, c) in weak {
            let k = fold(&w);
            if taken.contains(&k) {
                continue;
            }
            match weak_words.get(&k) {
                Some(prev) if *prev != c => {
                    let prev = prev.clone();
                    weak_words.remove(&k);
                    weak_ambiguous.insert(k, vec![prev, c]);
                }
                Some(_) => {}
                None => {
                    if !weak_ambiguous.contains_key(&k) {
                        weak_words.insert(k, c);
                    }
                }
            }
        }
        words.extend(weak_words);
        ambiguous.extend(weak_ambiguous);
        shown.sort();
        shown.dedup();
        Headers {
            words,
            ambiguous,
            shown,
            labels_ja,
        }
    }

    /// [`Headers::of`] a target, made once and shared (a sheet's header is looked for among
    /// the vocabularies of every target).
    #[must_use]
    pub fn shared(target: Target) -> std::sync::Arc<Headers> {
        type Made = std::collections::HashMap<String, std::sync::Arc<Headers>>;
        static MADE: std::sync::OnceLock<std::sync::Mutex<Made>> = std::sync::OnceLock::new();
        let lock = MADE.get_or_init(Default::default);
        // A poisoned lock only means another thread panicked while inserting: the map is whole.
        let mut made = lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        made.entry(target.name())
            .or_insert_with(|| std::sync::Arc::new(Headers::of(target)))
            .clone()
    }

    /// The column a header names: exact (folded) first, then without a bracketed note.
    ///
    /// # Errors
    /// The candidate columns, when the header names several.
    pub fn column(&self, header: &str) -> Result<Option<Column>, Vec<Column>> {
        let folded = crate::fold::fold_cow(header);
        let found = |k: &str| {
            if let Some(c) = self.words.get(k) {
                return Some(Ok(Some(c.clone())));
            }
            self.ambiguous.get(k).map(|cs| Err(cs.clone()))
        };
        if let Some(r) = found(&folded) {
            return r;
        }
        // The key differs from the folded word only when that ends with a bracketed note.
        if !folded.ends_with([')', ']', '】', '〕', '>', '》']) {
            return Ok(None);
        }
        found(&key(header)).unwrap_or(Ok(None))
    }

    /// The known header closest to an unknown one (for "did you mean").
    #[must_use]
    pub fn suggest(&self, header: &str) -> Option<String> {
        let k = key(header);
        let all = self.shown.iter().map(String::as_str);
        schema::suggest(&k, all).map(str::to_owned).or_else(|| {
            // Short Japanese words: one character off (`氏命` → `氏名`).
            let n = k.chars().count();
            let near = self
                .labels_ja
                .iter()
                .filter(|w| {
                    w.chars().count() == n
                        && n >= 2
                        && w.chars().zip(k.chars()).filter(|(a, b)| a != b).count() == 1
                })
                .min()
                .cloned();
            if near.is_some() {
                return near;
            }
            // A known word that contains the header or is contained in it.
            self.words
                .keys()
                .filter(|w| w.chars().count() >= 2 && (w.contains(&k) || k.contains(w.as_str())))
                .max_by_key(|w| w.chars().count())
                .cloned()
        })
    }

    /// The primary header words (Japanese labels and field names), sorted.
    #[must_use]
    pub fn shown(&self) -> &[String] {
        &self.shown
    }

    /// The Japanese labels of the fields, in field order, for help texts.
    #[must_use]
    pub fn labels_ja(&self) -> &[String] {
        &self.labels_ja
    }
}

/// The value of an enum a cell text names: the value itself, its Japanese label or an alias
/// (folded), among the field's own values only.
#[must_use]
pub fn enum_value(values: &'static [&'static str], text: &str) -> Option<&'static str> {
    let index = enum_index(values);
    let folded = crate::fold::fold_cow(text);
    if let Some(v) = index.get(folded.as_ref()) {
        return Some(v);
    }
    let k = key(text);
    (k != folded).then(|| index.get(&k).copied()).flatten()
}

/// The folded words of an enum's values (each value, its Japanese label and aliases) → the
/// value, the first value in order winning a word two of them share: built once per enum
/// (by the address of its list of values), not once per cell.
fn enum_index(values: &'static [&'static str]) -> std::sync::Arc<BTreeMap<String, &'static str>> {
    type Indexes =
        std::collections::HashMap<(usize, usize), std::sync::Arc<BTreeMap<String, &'static str>>>;
    static INDEXES: std::sync::OnceLock<std::sync::Mutex<Indexes>> = std::sync::OnceLock::new();
    let id = (values.as_ptr() as usize, values.len());
    let lock = INDEXES.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked while inserting: the map is whole.
    let mut map = lock
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry(id)
        .or_insert_with(|| {
            let mut index = BTreeMap::new();
            for v in values {
                index.entry(fold(v)).or_insert(*v);
                if let Some(l) = labels::value_label(v) {
                    for w in words_of(l.ja, l.aliases) {
                        index.entry(fold(w)).or_insert(*v);
                    }
                }
            }
            std::sync::Arc::new(index)
        })
        .clone()
}

/// The whole vocabulary as data (for `pms import --labels`, the docs and the tests that
/// write ledgers): every target with the sheet names that find it and, per column, the
/// header pms writes, the words it accepts and the field's type; every enum value's words.
#[must_use]
pub fn vocabulary() -> serde_json::Value {
    use serde_json::{json, Value};
    let words = target_words();
    let mut targets = Vec::new();
    for t in all_targets() {
        let shape = t.shape();
        let mut sheet_names: Vec<String> = words
            .iter()
            .filter(|(_, x)| *x == t)
            .map(|(w, _)| w.clone())
            .filter(|w| matches!(target_of_name(w), Ok(Some(x)) if x == t))
            .collect();
        sheet_names.dedup();
        let mut columns = Vec::new();
        for f in shape.fields {
            let l = labels::field_label(shape.name, f.name);
            match f.ty {
                Ty::Obj(sub) => {
                    let Some(sub_shape) = schema::find_struct(sub) else {
                        continue;
                    };
                    let field_ja = labels::field_ja(shape.name, f.name);
                    for g in sub_shape.fields {
                        let gl = labels::field_label(sub, g.name);
                        columns.push(json!({
                            "field": format!("{}.{}", f.name, g.name),
                            "header": format!("{field_ja}.{}", labels::field_ja(sub, g.name)),
                            "aliases": gl.map(|l| words_of(l.ja, l.aliases).collect::<Vec<_>>()).unwrap_or_default(),
                            "type": type_name(&g.ty),
                            "values": labels::enum_values(&g.ty).map(|v| v.to_vec()),
                        }));
                    }
                }
                _ => columns.push(json!({
                    "field": f.name,
                    "header": l.map_or(f.name, |l| l.ja),
                    "aliases": l.map(|l| l.aliases.to_vec()).unwrap_or_default(),
                    "type": type_name(&f.ty),
                    "required": f.required,
                    "values": labels::enum_values(&f.ty).map(|v| v.to_vec()),
                })),
            }
        }
        let parent = match t {
            Target::Nested { parent, .. } => Value::String(parent.name_ja.to_owned()),
            Target::Entity(_) => Value::Null,
        };
        targets.push(json!({
            "target": t.name(),
            "ja": t.name_ja(),
            "sheet_names": sheet_names,
            "parent_column": parent,
            "columns": columns,
        }));
    }
    let values: Vec<Value> = labels::ENUM_VALUES
        .iter()
        .map(|v| json!({"value": v.value, "ja": v.ja, "aliases": v.aliases}))
        .collect();
    json!({"targets": targets, "values": values})
}

/// A field type in words (`date`, `list of text`, `id of workforce`).
#[must_use]
pub fn type_name(ty: &Ty) -> String {
    match ty {
        Ty::Str => "text".into(),
        Ty::Int => "whole number".into(),
        Ty::Num => "number".into(),
        Ty::Bool => "yes/no".into(),
        Ty::Date => "date".into(),
        Ty::Enum(_) => "one of".into(),
        Ty::Ref(e) => format!("id of {e}"),
        Ty::List(inner) => format!("list of {}", type_name(inner)),
        Ty::Obj(o) => format!("group {o}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str) -> String {
        match target_of_name(name) {
            Ok(Some(t)) => t.name(),
            Ok(None) => "-".into(),
            Err(ts) => format!("ambiguous {}", ts.len()),
        }
    }

    #[test]
    fn sheet_names_find_their_entity() {
        assert_eq!(target("教育記録"), "training_sessions");
        assert_eq!(target("受講記録"), "training_records");
        assert_eq!(target("受講者名簿"), "training_records");
        assert_eq!(target("training_records"), "training_records");
        assert_eq!(target("委託先一覧"), "contractors");
        assert_eq!(target("委託先評価表"), "contractor_evaluations");
        assert_eq!(target("２０２５年度　教育記録"), "training_sessions");
        assert_eq!(target("従業者名簿（2025年4月）"), "workforce");
        assert_eq!(target("部門"), "organization.departments");
        assert_eq!(target("training_plans.items"), "training_plans.items");
        assert_eq!(target("教育計画.計画項目"), "training_plans.items");
        assert_eq!(target("計画項目"), "ambiguous 2");
        assert_eq!(target("Sheet1"), "-");
    }

    #[test]
    fn headers_find_fields_with_aliases_widths_and_notes() {
        let h = Headers::of(Target::Entity(schema::find_entity("inventory").unwrap()));
        let col = |w: &str| h.column(w).ok().flatten().map(|c| c.path());
        assert_eq!(col("保管期間").as_deref(), Some("retention_rule"));
        assert_eq!(col("保存期間").as_deref(), Some("retention_rule"));
        assert_eq!(col("件数（概数）").as_deref(), Some("record_count"));
        assert_eq!(col("保管 方法").as_deref(), Some("storage_method"));
        assert_eq!(col("storage_method").as_deref(), Some("storage_method"));
        assert_eq!(col("ＩＤ").as_deref(), Some("id"));
        assert_eq!(col("好きな色"), None);
        let w = Headers::of(Target::Entity(schema::find_entity("workforce").unwrap()));
        let wcol = |x: &str| w.column(x).ok().flatten().map(|c| c.path());
        assert_eq!(wcol("名前").as_deref(), Some("name"));
        assert_eq!(wcol("部署").as_deref(), Some("department_id"));
        assert_eq!(wcol("雇用形態").as_deref(), Some("employment_type"));
        assert_eq!(wcol("休職.休職開始日").as_deref(), Some("leave.from"));
        assert_eq!(wcol("leave.from").as_deref(), Some("leave.from"));
        let c = Headers::of(Target::Entity(schema::find_entity("contracts").unwrap()));
        assert_eq!(
            c.column("監査権")
                .ok()
                .flatten()
                .map(|c| c.path())
                .as_deref(),
            Some("clauses.audit_right")
        );
        assert_eq!(w.suggest("氏").as_deref(), Some("氏名"));
    }

    #[test]
    fn every_target_has_a_header_for_every_field() {
        for t in all_targets() {
            let h = Headers::of(t);
            for f in t.shape().fields {
                let found = h.column(f.name);
                assert_eq!(
                    found,
                    Ok(Some(Column::Field(f.name))),
                    "{}.{}",
                    t.name(),
                    f.name
                );
                // A list a row holds an item of: its words name the item's fields (版 → 版数).
                if row_item(t.shape().name, f.name) {
                    continue;
                }
                if let Some(l) = labels::field_label(t.shape().name, f.name) {
                    assert_eq!(
                        h.column(l.ja),
                        Ok(Some(Column::Field(f.name))),
                        "{} label {}",
                        t.name(),
                        l.ja
                    );
                }
            }
        }
    }

    #[test]
    fn enum_words() {
        assert_eq!(
            enum_value(schema::EMPLOYMENT_TYPES, "正社員"),
            Some("正社員")
        );
        assert_eq!(
            enum_value(schema::EMPLOYMENT_TYPES, "パートタイマー"),
            Some("パート")
        );
        assert_eq!(enum_value(schema::EMPLOYMENT_TYPES, "ﾊﾟｰﾄ"), Some("パート"));
        assert_eq!(
            enum_value(schema::ROLES, "個人情報保護管理者"),
            Some("pi_manager")
        );
        assert_eq!(enum_value(schema::ROLES, "社長"), None);
    }
}
