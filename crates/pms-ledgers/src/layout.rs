//! The layout of the workbooks pms writes (`pms template`, `pms export`): which sheets, which
//! columns, which header words, where the rows start. The writer ([`crate::template`]) follows
//! it, and the reader recognises it, so a workbook pms wrote reads back as the same records.
//!
//! - A first sheet, [`INSTRUCTIONS_SHEET`], explains how to fill the workbook; it holds no
//!   records.
//! - One sheet per entity, named `教育実施 (training_sessions)` (the Japanese label of
//!   [`pms_core::labels`], then the entity name; the Japanese label alone where both would
//!   pass Excel's 31 characters). Row 1 ([`TITLE_ROW`]) names the entity in both languages,
//!   row 2 ([`HEADER_ROW`]) holds the headers, records start on row 3 ([`FIRST_DATA_ROW`]),
//!   one per row.
//! - A header is the field's Japanese label with the field name beneath it in brackets
//!   (`氏名` line break `(name)`): the reader folds it to `氏名(name)` and finds the field
//!   by the label (the bracketed note is dropped) or by the name.
//! - A field holding one nested object (`leave`, `inputs` …) becomes one column per field of
//!   the object: `インプット・監査結果` / `(inputs.audit_results)` (the object's label, `・`,
//!   the field's label; the field's label alone when it already starts with the object's,
//!   as `休職開始日` / `(leave.from)`).
//! - A field holding a list of objects (`organization.sites`, `training_plans.items` …) gets
//!   a sheet of its own, named `組織.拠点 (organization.sites)`: one object per row, its
//!   first column the id of the record it belongs to (headed by the entity: `組織` /
//!   `(organization)`), the objects of a record in list order.
//! - A list of plain values (texts, dates, ids, enum values) is one cell, one value per line.
//! - An entity whose sheet has no record row is not recorded (absent), as an entity left out
//!   of a YAML file.

use pms_core::labels;
use pms_core::schema::{Field, Struct, Ty, STRUCTS};

/// The name of the first sheet, which explains the workbook and holds no records.
pub const INSTRUCTIONS_SHEET: &str = "記入方法 (how to fill)";
/// The 0-based row of the title cell of a record sheet.
pub const TITLE_ROW: u32 = 0;
/// The 0-based row of the headers of a record sheet.
pub const HEADER_ROW: u32 = 1;
/// The 0-based row of the first record of a record sheet.
pub const FIRST_DATA_ROW: u32 = 2;
/// The longest sheet name Excel accepts.
pub const MAX_SHEET_NAME: usize = 31;
/// The separator of the Japanese labels of a nested object's field (`インプット・監査結果`).
pub const NESTED_SEPARATOR: &str = "・";
/// The separator of an entity's and its list field's Japanese labels in the name of a sheet
/// of nested objects (`組織.拠点`).
pub const LIST_SEPARATOR: &str = ".";

/// One sheet of records.
#[derive(Debug, Clone)]
pub struct SheetLayout {
    /// The English key: the entity name (`training_sessions`) or, for a list of objects,
    /// `entity.field` (`organization.sites`).
    pub key: String,
    /// The Japanese name (`教育実施`, `組織.拠点`).
    pub ja: String,
    /// The sheet name as written (`教育実施 (training_sessions)`).
    pub name: String,
    /// The entity the records belong to.
    pub entity: &'static Struct,
    /// For a sheet of nested objects: the entity's list field that holds them.
    pub list_field: Option<&'static Field>,
    /// The struct whose fields the rows hold (the entity, or the objects' struct).
    pub shape: &'static Struct,
    /// The columns, left to right.
    pub columns: Vec<Column>,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A field of the row's struct, or of an object one of its fields holds.
    Field,
    /// The id of the record a nested object belongs to (first column of an object sheet).
    Parent,
}

/// One column of a record sheet.
#[derive(Debug, Clone)]
pub struct Column {
    /// What the column holds.
    pub kind: ColumnKind,
    /// The field path from the row's struct: `["name"]`, `["leave", "from"]`; for a
    /// [`ColumnKind::Parent`] column, `["id"]` of the entity.
    pub path: Vec<&'static str>,
    /// The English key shown in the header: `name`, `leave.from`, `organization` (parent).
    pub key: String,
    /// The Japanese label: `氏名`, `休職開始日`, `組織` (parent).
    pub ja: String,
    /// The header cell text: `ja`, a line break, `(key)`.
    pub header: String,
    /// The field (for a parent column, the entity's `id`).
    pub field: &'static Field,
    /// Whether the value is required: the field is, and so is every object on its path.
    pub required: bool,
}

impl SheetLayout {
    /// The 0-based column of a key (`id`, `leave.from`), if the sheet has it.
    #[must_use]
    pub fn column_of(&self, key: &str) -> Option<u16> {
        self.columns
            .iter()
            .position(|c| c.key == key)
            .and_then(|i| u16::try_from(i).ok())
    }
}

/// The header text of a column: its Japanese label, a line break, its key in brackets.
#[must_use]
pub fn header_text(ja: &str, key: &str) -> String {
    format!("{ja}\n({key})")
}

fn struct_ja(s: &Struct) -> &'static str {
    labels::struct_labels(s.name).map_or(s.name_ja, |l| l.ja)
}

fn field_ja(s: &Struct, field: &Field) -> &'static str {
    labels::field_label(s.name, field.name).map_or(field.name, |l| l.ja)
}

/// The sheet name of a Japanese and English name pair: both when they fit, the Japanese one
/// alone otherwise.
fn sheet_name(ja: &str, key: &str) -> String {
    let both = format!("{ja} ({key})");
    if both.chars().count() <= MAX_SHEET_NAME {
        both
    } else {
        ja.chars().take(MAX_SHEET_NAME).collect()
    }
}

/// The columns of a struct's fields, objects flattened one column per field.
fn field_columns(
    s: &'static Struct,
    prefix_path: &[&'static str],
    prefix_ja: &str,
    required: bool,
    out: &mut Vec<Column>,
) {
    for field in s.fields {
        let own = field_ja(s, field);
        let ja = if prefix_ja.is_empty() || own.starts_with(prefix_ja) {
            own.to_owned()
        } else {
            format!("{prefix_ja}{NESTED_SEPARATOR}{}", field_ja(s, field))
        };
        let mut path = prefix_path.to_vec();
        path.push(field.name);
        match field.ty {
            Ty::Obj(inner) => {
                if let Some(inner) = STRUCTS.iter().find(|x| x.name == inner) {
                    field_columns(inner, &path, &ja, required && field.required, out);
                }
            }
            // Lists of objects get sheets of their own.
            Ty::List(Ty::Obj(_)) => {}
            _ => {
                let key = path.join(".");
                out.push(Column {
                    kind: ColumnKind::Field,
                    header: header_text(&ja, &key),
                    path,
                    key,
                    ja,
                    field,
                    required: required && field.required,
                });
            }
        }
    }
}

/// The record sheets of the built-in model, in model order: each entity's sheet followed by
/// the sheets of its lists of objects.
#[must_use]
pub fn sheets() -> Vec<SheetLayout> {
    let mut out = Vec::new();
    for entity in STRUCTS.iter().filter(|s| s.entity) {
        let ja = struct_ja(entity).to_owned();
        let mut columns = Vec::new();
        field_columns(entity, &[], "", true, &mut columns);
        out.push(SheetLayout {
            key: entity.name.to_owned(),
            name: sheet_name(&ja, entity.name),
            ja: ja.clone(),
            entity,
            list_field: None,
            shape: entity,
            columns,
        });
        for field in entity.fields {
            let Ty::List(Ty::Obj(inner)) = field.ty else {
                continue;
            };
            let Some(shape) = STRUCTS.iter().find(|x| x.name == *inner) else {
                continue;
            };
            let Some(id_field) = entity.fields.first() else {
                continue;
            };
            let key = format!("{}.{}", entity.name, field.name);
            let child_ja = format!("{ja}{LIST_SEPARATOR}{}", field_ja(entity, field));
            let parent_key = entity.name.to_owned();
            let parent_ja = ja.clone();
            let mut columns = vec![Column {
                kind: ColumnKind::Parent,
                header: header_text(&parent_ja, &parent_key),
                path: vec![id_field.name],
                key: parent_key,
                ja: parent_ja,
                field: id_field,
                required: true,
            }];
            field_columns(shape, &[], "", true, &mut columns);
            out.push(SheetLayout {
                name: sheet_name(&child_ja, &key),
                key,
                ja: child_ja,
                entity,
                list_field: Some(field),
                shape,
                columns,
            });
        }
    }
    out
}

/// The name of part `part` (1-based) of a sheet whose records do not fit in one worksheet:
/// the sheet's own name for the first part, then `教育実施 (training_sessions) (2)`, `(3)` …,
/// as offices number the sheets of a ledger split when it grew. Where the number would pass
/// Excel's 31 characters the Japanese name alone is numbered (`…実施 (2)`). The reader's key
/// drops the bracketed notes, so every part names the same ledger.
#[must_use]
pub fn part_name(sheet: &SheetLayout, part: usize) -> String {
    if part <= 1 {
        return sheet.name.clone();
    }
    let suffix = format!(" ({part})");
    let room = MAX_SHEET_NAME.saturating_sub(suffix.chars().count());
    let base: String = if sheet.name.chars().count() <= room {
        sheet.name.clone()
    } else {
        sheet.ja.chars().take(room).collect()
    };
    format!("{base}{suffix}")
}

/// The record sheet pms writes under this sheet name, if any.
#[must_use]
pub fn sheet_by_name(name: &str) -> Option<SheetLayout> {
    sheets().into_iter().find(|s| s.name == name)
}

/// The sheet and column that list the ids a reference to `target` (an entity or a nested
/// object with ids, such as `site`) may name.
#[must_use]
pub fn id_column_of(sheets: &[SheetLayout], target: &str) -> Option<(usize, u16)> {
    sheets.iter().enumerate().find_map(|(i, s)| {
        if s.shape.name != target {
            return None;
        }
        let col = s
            .columns
            .iter()
            .position(|c| c.kind == ColumnKind::Field && c.key == "id")?;
        Some((i, u16::try_from(col).ok()?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold;
    use std::collections::BTreeSet;

    #[test]
    fn every_entity_has_one_sheet_with_a_valid_unique_name() {
        let sheets = sheets();
        let entities = STRUCTS.iter().filter(|s| s.entity).count();
        assert_eq!(
            sheets.iter().filter(|s| s.list_field.is_none()).count(),
            entities
        );
        let mut names = BTreeSet::new();
        for s in &sheets {
            assert!(s.name.chars().count() <= MAX_SHEET_NAME, "{}", s.name);
            assert!(
                !s.name.contains(['[', ']', ':', '*', '?', '/', '\\', '\'']),
                "{}",
                s.name
            );
            assert!(names.insert(fold::fold(&s.name)), "two sheets {}", s.name);
            assert_ne!(fold::fold(&s.name), fold::fold(INSTRUCTIONS_SHEET));
            // The sheet name leads with the Japanese name; the reader's key drops the note.
            assert_eq!(fold::key(&s.name), fold::key(&s.ja), "{}", s.name);
            assert_eq!(sheet_by_name(&s.name).map(|x| x.key), Some(s.key.clone()));
        }
        let training = sheets
            .iter()
            .find(|s| s.key == "training_sessions")
            .unwrap();
        assert_eq!(training.name, "教育実施 (training_sessions)");
        assert_eq!(training.columns.first().unwrap().key, "id");
    }

    #[test]
    fn the_parts_of_a_split_sheet_name_the_same_ledger() {
        let sheets = sheets();
        let mut names = BTreeSet::new();
        for s in &sheets {
            let whole = crate::vocab::target_of_name(&s.name).map(|t| t.map(|t| t.name()));
            assert_eq!(whole, Ok(Some(s.key.clone())), "{}", s.name);
            assert_eq!(part_name(s, 1), s.name);
            for part in [2, 3, 9, 10, 99, 100, 12_345] {
                let name = part_name(s, part);
                assert!(name.chars().count() <= MAX_SHEET_NAME, "{name}");
                assert!(
                    !name.contains(['[', ']', ':', '*', '?', '/', '\\', '\'']),
                    "{name}"
                );
                assert!(name.ends_with(&format!(" ({part})")), "{name}");
                assert!(names.insert(fold::fold(&name)), "two sheets {name}");
                let read = crate::vocab::target_of_name(&name).map(|t| t.map(|t| t.name()));
                assert_eq!(read, whole, "{name}");
            }
        }
        for s in &sheets {
            assert!(!names.contains(&fold::fold(&s.name)), "{}", s.name);
        }
    }

    #[test]
    fn every_field_of_the_model_has_one_column() {
        // Every scalar or list field of every entity, and every field of its objects, is
        // one column of exactly one sheet.
        let sheets = sheets();
        let mut seen = BTreeSet::new();
        for s in &sheets {
            let mut keys = BTreeSet::new();
            for c in &s.columns {
                assert!(keys.insert(c.key.clone()), "{}: {} twice", s.key, c.key);
                assert!(
                    keys.len() <= 16384,
                    "more columns than a worksheet holds: {}",
                    s.key
                );
                // The header's words fold to the label: what the reader looks up.
                assert_eq!(fold::key(&c.header), fold::key(&c.ja), "{}", c.header);
                assert_eq!(fold::fold(&c.ja), fold::key(&c.ja), "label {}", c.ja);
                if c.kind == ColumnKind::Field {
                    seen.insert(format!("{}.{}", s.key, c.key));
                }
            }
            // Labels differ within a sheet, so the reader finds each column by its label.
            let labels: BTreeSet<String> = s.columns.iter().map(|c| fold::key(&c.ja)).collect();
            assert_eq!(labels.len(), s.columns.len(), "{}", s.key);
        }
        fn count(s: &Struct, lists_of_objects: bool) -> usize {
            s.fields
                .iter()
                .map(|f| match f.ty {
                    Ty::Obj(inner) => count(pms_core::schema::find_struct(inner).unwrap(), false),
                    Ty::List(Ty::Obj(_)) => {
                        assert!(lists_of_objects, "a list of objects inside {}", s.name);
                        0
                    }
                    _ => 1,
                })
                .sum()
        }
        let expected: usize = STRUCTS
            .iter()
            .filter(|s| s.entity)
            .map(|e| {
                count(e, true)
                    + e.fields
                        .iter()
                        .filter_map(|f| match f.ty {
                            Ty::List(Ty::Obj(inner)) => {
                                Some(count(pms_core::schema::find_struct(inner).unwrap(), false))
                            }
                            _ => None,
                        })
                        .sum::<usize>()
            })
            .sum();
        assert_eq!(seen.len(), expected);
        let workforce = sheets.iter().find(|s| s.key == "workforce").unwrap();
        let leave_from =
            &workforce.columns[usize::from(workforce.column_of("leave.from").unwrap())];
        assert_eq!(leave_from.ja, "休職開始日");
        assert_eq!(leave_from.header, "休職開始日\n(leave.from)");
        let reviews = sheets
            .iter()
            .find(|s| s.key == "management_reviews")
            .unwrap();
        let c = &reviews.columns[usize::from(reviews.column_of("inputs.audit_results").unwrap())];
        assert!(c.ja.starts_with("インプット・"), "{}", c.ja);
    }

    #[test]
    fn references_to_entities_and_objects_with_ids_find_an_id_column() {
        let sheets = sheets();
        for s in &sheets {
            for c in &s.columns {
                let target = match c.field.ty {
                    Ty::Ref(t) => t,
                    Ty::List(Ty::Ref(t)) => *t,
                    _ => continue,
                };
                let (i, col) = id_column_of(&sheets, target)
                    .unwrap_or_else(|| panic!("{}.{} → {target}", s.key, c.key));
                assert_eq!(sheets[i].shape.name, target);
                assert_eq!(sheets[i].columns[usize::from(col)].key, "id");
            }
        }
        let (i, col) = id_column_of(&sheets, "site").unwrap();
        assert_eq!(sheets[i].key, "organization.sites");
        assert_eq!(col, 1);
    }
}

#[cfg(test)]
mod reader_tests {
    //! The reader's vocabulary ([`crate::vocab`]) recognises every sheet and header pms
    //! writes.
    use super::*;
    use crate::vocab::{self, Headers};

    #[test]
    fn the_instructions_sheet_names_no_ledger() {
        assert!(matches!(
            vocab::target_of_name(INSTRUCTIONS_SHEET),
            Ok(None)
        ));
    }

    #[test]
    fn the_reader_finds_every_sheet_and_column_the_writer_names() {
        for s in sheets() {
            // An entity the label table does not have yet (the core's label test fails for
            // it) is found by neither sheet name nor header words; every labelled one is.
            if labels::struct_labels(s.entity.name).is_none() {
                continue;
            }
            let target = match vocab::target_of_name(&s.name) {
                Ok(Some(t)) => t,
                other => panic!("sheet {}: {:?}", s.name, other.map(|t| t.map(|t| t.name()))),
            };
            assert_eq!(target.name(), s.key, "sheet {}", s.name);
            let headers = Headers::of(target);
            for c in &s.columns {
                let expected = match (c.kind, c.path.as_slice()) {
                    (ColumnKind::Parent, _) => vocab::Column::Parent,
                    (ColumnKind::Field, [f]) => vocab::Column::Field(f),
                    (ColumnKind::Field, [f, g]) => vocab::Column::Sub(f, g),
                    other => panic!("{other:?}"),
                };
                assert_eq!(
                    headers.column(&c.header),
                    Ok(Some(expected)),
                    "{}: header {:?}",
                    s.name,
                    c.header
                );
            }
        }
    }
}
