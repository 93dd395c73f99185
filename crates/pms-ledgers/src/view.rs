//! The ledgers' records as one record document, seen through serde without being built: a
//! [`serde::Deserializer`] over the rows read.
//!
//! The core's loader reads record documents through serde (`pms_core::records::load_fed`
//! takes any deserializer), so it can visit the ledgers' rows where they lie — each row's
//! values in its sheet's column order, a group column (`clauses.audit_right`) under its
//! field, the nested rows of another sheet under their parent record — instead of a JSON map
//! per row gathered into a JSON tree. The document it shows is the one [`crate::to_json`]
//! returns (built through the same view, so the two cannot differ): the entities in name
//! order, each a list of its records in file and sheet order; a record's fields in the order
//! of its sheet's columns, then a generated id, then its nested lists in sheet order.
//!
//! Values are visited from the rows' compact values ([`Val`]): a text borrowed from its
//! sheet's texts, a date as its `yyyy-mm-dd` text written on the stack, an enum value by its
//! name (the error type is `serde_json::Error`, which no visit of this view ever returns).

use crate::table::{Row, Sheet, Texts, Val};
use crate::vocab::Column;
use crate::{Combined as Index, Origin};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value as Json;

type Error = serde_json::Error;

/// What a row that cannot be found shows (never: the index is built from the sheets).
static NULL: Json = Json::Null;

/// The whole document: `{entity: [record, …], …}`.
#[derive(Clone, Copy)]
pub(crate) struct DocView<'de> {
    pub(crate) sheets: &'de [Sheet],
    pub(crate) index: &'de Index,
}

impl<'de> de::Deserializer<'de> for DocView<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(DocMap {
            view: self,
            entities: self.index.entities.iter(),
            next: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct DocMap<'de> {
    view: DocView<'de>,
    entities: std::collections::btree_map::Iter<'de, String, Vec<Origin>>,
    next: Option<(&'de str, &'de [Origin])>,
}

impl<'de> MapAccess<'de> for DocMap<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((name, origins)) = self.entities.next() else {
            return Ok(None);
        };
        self.next = Some((name.as_str(), origins.as_slice()));
        seed.deserialize(name.as_str().into_deserializer())
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (name, origins) = self.next.take().unwrap_or_default();
        seed.deserialize(ListView::of(self.view, name, origins, 0))
    }
}

/// Records of an entity's list taken together as one part of it (see [`lists`]): at least
/// this many, so that each part's loader has more to read than to set up and merge.
const PART_ROWS: usize = 2048;

/// The document's entity lists one by one, in its order (see
/// `pms_core::records::load_fed_lists`), a long list in parts, so that `threads` threads
/// share the work evenly: what the document shows, list by list.
pub(crate) fn lists<'de>(
    view: DocView<'de>,
    threads: usize,
) -> Vec<pms_core::records::FedList<'de, ListView<'de>>> {
    let total: usize = view.index.entities.values().map(Vec::len).sum();
    // About four parts per thread, none shorter than PART_ROWS.
    let part = (total / threads.max(1) / 4).max(PART_ROWS);
    let mut out = Vec::new();
    for (name, origins) in &view.index.entities {
        let mut first = 0;
        loop {
            let end = origins.len().min(first + part);
            out.push(pms_core::records::FedList {
                entity: name.as_str(),
                first: u32::try_from(first).unwrap_or(u32::MAX),
                records: ListView::of(
                    view,
                    name,
                    origins.get(first..end).unwrap_or_default(),
                    first,
                ),
            });
            first = end;
            if first >= origins.len() {
                break;
            }
        }
    }
    out
}

/// A list of records (an entity's, or a part of it, or the nested objects under one record).
pub(crate) struct ListView<'de> {
    sheets: &'de [Sheet],
    origins: &'de [Origin],
    /// For an entity's list: the index and the entity name (to find nested lists).
    parent: Option<(&'de Index, &'de str)>,
    /// The index in the entity's list of the first record (a part of a long list).
    first: usize,
}

impl<'de> ListView<'de> {
    /// The records of entity `name` at `origins`, the first at index `first` of its list.
    fn of(view: DocView<'de>, name: &'de str, origins: &'de [Origin], first: usize) -> Self {
        // Only an entity some nested rows go under looks its records' nested lists up.
        let index = view.index;
        let has_nested = index
            .nested
            .range((name.to_owned(), 0, String::new())..)
            .next()
            .is_some_and(|((e, _, _), _)| e == name);
        ListView {
            sheets: view.sheets,
            origins,
            parent: has_nested.then_some((index, name)),
            first,
        }
    }
}

impl<'de> de::Deserializer<'de> for ListView<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(ListSeq { view: self, at: 0 })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct ListSeq<'de> {
    view: ListView<'de>,
    at: usize,
}

impl<'de> SeqAccess<'de> for ListSeq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        // A row that cannot be found (never: the index is built from the sheets) is a null.
        let Some(o) = self.view.origins.get(self.at) else {
            return Ok(None);
        };
        let index = self.at;
        self.at += 1;
        let Some((sheet, row)) = self
            .view
            .sheets
            .get(o.sheet)
            .and_then(|s| Some((s, s.rows.get(o.row)?)))
        else {
            return seed.deserialize(&NULL).map(Some);
        };
        let nested = match self.view.parent {
            Some((ix, entity)) => nested_of(ix, entity, self.view.first + index),
            None => Vec::new(),
        };
        seed.deserialize(RecordView {
            sheets: self.view.sheets,
            sheet,
            row,
            nested,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.view.origins.len().saturating_sub(self.at))
    }
}

/// The nested lists under record `index` of `entity`, in the order of the sheets they came
/// from (the order in which the rows were attached to their parents).
fn nested_of<'de>(ix: &'de Index, entity: &str, index: usize) -> Vec<(&'de str, &'de [Origin])> {
    let lo = (entity.to_owned(), index, String::new());
    let mut out: Vec<(&'de str, &'de [Origin])> = ix
        .nested
        .range(lo..)
        .take_while(|((e, i, _), _)| e == entity && *i == index)
        .map(|((_, _, f), o)| (f.as_str(), o.as_slice()))
        .collect();
    out.sort_by_key(|(_, o)| o.first().map_or(usize::MAX, |x| x.sheet));
    out
}

/// One record: its row's values, then its nested lists.
pub(crate) struct RecordView<'de> {
    pub(crate) sheets: &'de [Sheet],
    pub(crate) sheet: &'de Sheet,
    pub(crate) row: &'de Row,
    pub(crate) nested: Vec<(&'de str, &'de [Origin])>,
}

/// One entry of a record: a field's value, the fields of a group, or a nested list.
enum Entry<'de> {
    Value(&'de Val),
    Group(Vec<(&'static str, ValView<'de>)>),
    /// The one item of a list a row holds (see [`crate::vocab::ROW_ITEM`]), then the list's
    /// rows of its own sheet, if any (earlier versions).
    Item(Vec<(&'static str, ValView<'de>)>, &'de [Origin]),
    List(&'de [Origin]),
}

impl<'de> RecordView<'de> {
    /// The record's entries in order: each field once (a group at its first column), a
    /// generated id, the nested lists.
    fn entries(&self) -> Vec<(&'de str, Entry<'de>)> {
        let mut out: Vec<(&'de str, Entry<'de>)> = Vec::with_capacity(self.row.values.len());
        for (j, v) in &self.row.values {
            match usize::try_from(*j)
                .ok()
                .and_then(|j| self.sheet.columns.get(j))
                .map(|c| &c.2)
            {
                Some(Column::Field(f)) => out.push((*f, Entry::Value(v))),
                Some(Column::Sub(f, g)) => {
                    let v = ValView {
                        v,
                        texts: &self.sheet.texts,
                    };
                    let group = out.iter_mut().find_map(|(k, e)| match e {
                        Entry::Group(items) | Entry::Item(items, _) if *k == *f => Some(items),
                        _ => None,
                    });
                    match group {
                        Some(items) => items.push((*g, v)),
                        None if crate::vocab::row_item(self.sheet.target.shape().name, f) => {
                            out.push((*f, Entry::Item(vec![(*g, v)], &[])));
                        }
                        None => out.push((*f, Entry::Group(vec![(*g, v)]))),
                    }
                }
                Some(Column::Parent) => {}
                None => out.push(("id", Entry::Value(v))),
            }
        }
        for (f, o) in &self.nested {
            // The rows of a list's own sheet follow the item the row holds (nothing is dropped).
            if let Some(rest) = out.iter_mut().find_map(|(k, e)| match e {
                Entry::Item(_, rest) if *k == *f => Some(rest),
                _ => None,
            }) {
                *rest = o;
                continue;
            }
            if !out.iter().any(|(k, _)| k == f) {
                out.push((*f, Entry::List(o)));
            }
        }
        out
    }
}

impl<'de> de::Deserializer<'de> for RecordView<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let entries = self.entries();
        visitor.visit_map(RecordMap {
            sheets: self.sheets,
            texts: &self.sheet.texts,
            entries: entries.into_iter(),
            next: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct RecordMap<'de> {
    sheets: &'de [Sheet],
    texts: &'de Texts,
    entries: std::vec::IntoIter<(&'de str, Entry<'de>)>,
    next: Option<Entry<'de>>,
}

impl<'de> MapAccess<'de> for RecordMap<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((k, e)) = self.entries.next() else {
            return Ok(None);
        };
        self.next = Some(e);
        seed.deserialize(k.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.next.take() {
            Some(Entry::Value(v)) => seed.deserialize(ValView {
                v,
                texts: self.texts,
            }),
            Some(Entry::Group(items)) => seed.deserialize(GroupView(items)),
            Some(Entry::Item(items, rest)) => seed.deserialize(ItemView {
                item: items,
                rest: ListView {
                    sheets: self.sheets,
                    origins: rest,
                    parent: None,
                    first: 0,
                },
            }),
            Some(Entry::List(origins)) => seed.deserialize(ListView {
                sheets: self.sheets,
                origins,
                parent: None,
                first: 0,
            }),
            None => seed.deserialize(&NULL),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// One value of a row, its text in its sheet's texts.
#[derive(Clone, Copy)]
struct ValView<'de> {
    v: &'de Val,
    texts: &'de Texts,
}

impl<'de> de::Deserializer<'de> for ValView<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Val::Null => visitor.visit_unit(),
            Val::Text(i) => visitor.visit_borrowed_str(self.texts.get(*i)),
            Val::Word(w) => visitor.visit_borrowed_str(w),
            Val::Date(d) => match iso_date(*d) {
                Some(b) => visitor.visit_str(std::str::from_utf8(&b).unwrap_or_default()),
                None => visitor.visit_string(crate::value::iso_text(*d)),
            },
            // As a JSON value: a whole number of 0 or more is unsigned.
            Val::Int(i) => match u64::try_from(*i) {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(*i),
            },
            // As a JSON value: a number that is not finite has none (never read so).
            Val::Num(n) if !n.is_finite() => visitor.visit_unit(),
            Val::Num(n) => visitor.visit_f64(*n),
            Val::Bool(b) => visitor.visit_bool(*b),
            Val::List(items) => {
                let texts = self.texts;
                let mut seq =
                    de::value::SeqDeserializer::new(items.iter().map(|v| ValView { v, texts }));
                let out = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            Val::One(field, v) => {
                let texts = self.texts;
                let mut map = de::value::MapDeserializer::new(std::iter::once((
                    *field,
                    ValView { v, texts },
                )));
                let out = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(out)
            }
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, Error> for ValView<'de> {
    type Deserializer = ValView<'de>;

    fn into_deserializer(self) -> ValView<'de> {
        self
    }
}

/// A date as `yyyy-mm-dd` (a year of four digits), written without allocating; `None` for a
/// year outside 0–9999 (written by chrono instead, as [`crate::value::iso_text`] does).
fn iso_date(d: chrono::NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    let y = u32::try_from(d.year()).ok()?;
    crate::value::iso_bytes(y, d.month(), d.day())
}

/// The fields of a group (`clauses`: `{audit_right: true, …}`).
struct GroupView<'de>(Vec<(&'static str, ValView<'de>)>);

impl<'de> de::Deserializer<'de> for GroupView<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut map = de::value::MapDeserializer::new(self.0.into_iter());
        let out = visitor.visit_map(&mut map)?;
        map.end()?;
        Ok(out)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The one item of a list a row holds, then the list's rows of its own sheet.
struct ItemView<'de> {
    item: Vec<(&'static str, ValView<'de>)>,
    rest: ListView<'de>,
}

impl<'de> de::Deserializer<'de> for ItemView<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(ItemSeq {
            first: Some(GroupView(self.item)),
            rest: ListSeq {
                view: self.rest,
                at: 0,
            },
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct ItemSeq<'de> {
    first: Option<GroupView<'de>>,
    rest: ListSeq<'de>,
}

impl<'de> SeqAccess<'de> for ItemSeq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.first.take() {
            Some(group) => seed.deserialize(group).map(Some),
            None => self.rest.next_element_seed(seed),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{read_files, to_json, ReadOptions};

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(n, t)| ((*n).to_owned(), t.as_bytes().to_vec()))
            .collect()
    }

    /// The document the view shows: entities by name, fields in column order with a group's
    /// fields under it at its first column, a generated id after the fields, nested rows
    /// under their parent after its fields.
    #[test]
    fn the_document_keeps_the_order_of_columns_groups_ids_and_nested_lists() {
        let ledgers = read_files(
            &files(&[
                (
                    "contracts.csv",
                    "id,clauses.audit_right,contractor_id,clauses.security\nK-1,○,C-1,×\n",
                ),
                ("organization.csv", "id,name\nORG,見本\n"),
                (
                    "organization.departments.csv",
                    "id,name\nD-1,総務\nD-2,開発\n",
                ),
                ("workforce.csv", "name,employment_type\n甲,正社員\n"),
                // A ledger without rows adds no list.
                ("documents.csv", "id,title\n"),
            ]),
            &ReadOptions::default(),
        )
        .unwrap();
        let doc = to_json(&ledgers).unwrap();
        let text = serde_json::to_string(&doc).unwrap();
        let want = concat!(
            r#"{"contracts":[{"id":"K-1","clauses":{"audit_right":true,"security":false},"contractor_id":"C-1"}],"#,
            r#""organization":[{"id":"ORG","name":"見本","departments":[{"id":"D-1","name":"総務"},{"id":"D-2","name":"開発"}]}],"#,
            r#""workforce":[{"name":"甲","employment_type":"正社員","id":"workforce-2"}]}"#
        );
        assert_eq!(text, want);
        // A row's record alone is the same, without the nested lists.
        let org = ledgers
            .sheets
            .iter()
            .find(|s| s.file == "organization.csv")
            .unwrap();
        assert_eq!(
            serde_json::to_string(&org.record(0).unwrap()).unwrap(),
            r#"{"id":"ORG","name":"見本"}"#
        );
        assert!(org.record(1).is_none());
    }
}
