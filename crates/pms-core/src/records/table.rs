//! Column storage of one entity's records.
//!
//! Each field is a column typed by the schema: text (ids, references, vocabulary, free
//! text) as indexes into the record set's table of distinct strings, dates and booleans in
//! their own compact form, and other values (numbers, lists, nested objects) as [`Value`]s.
//! A column only grows as far as its last recorded value, so a field nobody fills costs
//! nothing. Reading a cell gives a [`Value`], as the evaluator expects.

use super::texts::Texts;
use crate::schema::{Struct, Ty};
use crate::value::Value;
use chrono::NaiveDate;
use std::sync::Arc;

/// "No value" in a text column.
pub(crate) const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
enum Column {
    Text(Vec<u32>),
    Date(Vec<Option<NaiveDate>>),
    Bool(Vec<Option<bool>>),
    Other(Vec<Value>),
}

impl Column {
    fn for_type(ty: Ty) -> Column {
        match ty {
            Ty::Str | Ty::Ref(_) | Ty::Enum(_) => Column::Text(Vec::new()),
            Ty::Date => Column::Date(Vec::new()),
            Ty::Bool => Column::Bool(Vec::new()),
            Ty::Int | Ty::Num | Ty::List(_) | Ty::Obj(_) => Column::Other(Vec::new()),
        }
    }

    fn reorder(&mut self, order: &[u32]) {
        fn apply<T: Clone>(v: &mut Vec<T>, order: &[u32], none: T) {
            if v.is_empty() {
                return;
            }
            let old = std::mem::take(v);
            *v = order
                .iter()
                .map(|i| {
                    old.get(*i as usize)
                        .cloned()
                        .unwrap_or_else(|| none.clone())
                })
                .collect();
        }
        match self {
            Column::Text(v) => apply(v, order, NONE),
            Column::Date(v) => apply(v, order, None),
            Column::Bool(v) => apply(v, order, None),
            Column::Other(v) => apply(v, order, Value::Null),
        }
    }
}

/// A borrowed view of one column, for evaluation over every record at once. A column may
/// be shorter than its table: the records past its end hold no value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ColumnView<'a> {
    /// Text as string-table indexes ([`NONE`]: no value).
    Text(&'a [u32]),
    /// Dates.
    Date(&'a [Option<NaiveDate>]),
    /// Booleans.
    Bool(&'a [Option<bool>]),
    /// Other values (numbers, lists, nested objects).
    Other(&'a [Value]),
}

/// The records of one entity, column by column.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// Each record's id, as an index into the string table.
    ids: Vec<u32>,
    columns: Vec<Column>,
    /// Whether field 0 is the text field `id`: its column is then `ids` itself (the loader
    /// gives a record's id as field 0's text), and its own column stays empty.
    id_field: bool,
}

impl Table {
    pub(crate) fn new(s: &Struct) -> Table {
        Table {
            ids: Vec::new(),
            columns: s.fields.iter().map(|f| Column::for_type(f.ty)).collect(),
            id_field: s.fields.first().is_some_and(|f| {
                f.name == "id" && matches!(Column::for_type(f.ty), Column::Text(_))
            }),
        }
    }

    /// The text column of field `slot` (`ids` for the id field).
    pub(crate) fn text_column(&self, slot: usize) -> Option<&[u32]> {
        if slot == 0 && self.id_field {
            return Some(&self.ids);
        }
        match self.columns.get(slot) {
            Some(Column::Text(c)) => Some(c),
            _ => None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn id(&self, row: usize) -> Option<u32> {
        self.ids.get(row).copied()
    }

    /// Appends a record, taking its values; `syms` holds the string-table index of each
    /// text field ([`NONE`] when not recorded; the text fields' values are not read), the
    /// first the record's id `id`.
    pub(crate) fn push(&mut self, id: u32, fields: &mut [Value], syms: &[u32]) {
        let row = self.ids.len();
        self.ids.push(id);
        let skip = usize::from(self.id_field);
        for (i, (col, v)) in self.columns.iter_mut().zip(fields).enumerate().skip(skip) {
            fn put<T: Clone>(c: &mut Vec<T>, row: usize, none: T, v: T) {
                if c.len() < row {
                    c.resize(row, none);
                }
                c.push(v);
            }
            match (col, v) {
                (Column::Text(c), _) => {
                    let sym = syms.get(i).copied().unwrap_or(NONE);
                    if sym != NONE {
                        put(c, row, NONE, sym);
                    }
                }
                (_, Value::Null) => {}
                (Column::Date(c), Value::Date(d)) => put(c, row, None, Some(*d)),
                (Column::Bool(c), Value::Bool(b)) => put(c, row, None, Some(*b)),
                (Column::Other(c), v) => put(c, row, Value::Null, std::mem::take(v)),
                // The loader only produces values of the column's type.
                _ => {}
            }
        }
    }

    /// The value of field `slot` of record `row`.
    pub(crate) fn get(&self, row: usize, slot: usize, strings: &Texts) -> Value {
        if let Some(c) = self.text_column(slot) {
            return match c.get(row) {
                Some(&i) if i != NONE => strings
                    .get(i)
                    .map_or(Value::Null, |s| Value::Str(Arc::from(s))),
                _ => Value::Null,
            };
        }
        match self.columns.get(slot) {
            Some(Column::Date(c)) => c
                .get(row)
                .copied()
                .flatten()
                .map_or(Value::Null, Value::Date),
            Some(Column::Bool(c)) => c
                .get(row)
                .copied()
                .flatten()
                .map_or(Value::Null, Value::Bool),
            Some(Column::Other(c)) => c.get(row).cloned().unwrap_or(Value::Null),
            Some(Column::Text(_)) | None => Value::Null,
        }
    }

    /// A view of field `slot`'s column.
    pub(crate) fn column(&self, slot: usize) -> Option<ColumnView<'_>> {
        if let Some(c) = self.text_column(slot) {
            return Some(ColumnView::Text(c));
        }
        Some(match self.columns.get(slot)? {
            Column::Text(c) => ColumnView::Text(c),
            Column::Date(c) => ColumnView::Date(c),
            Column::Bool(c) => ColumnView::Bool(c),
            Column::Other(c) => ColumnView::Other(c),
        })
    }

    /// The string-table index of a text field, without building a value.
    pub(crate) fn text(&self, row: usize, slot: usize) -> Option<u32> {
        self.text_column(slot)?
            .get(row)
            .copied()
            .filter(|i| *i != NONE)
    }

    /// The order of the rows by id (the old row of each new position), or `None` when the
    /// records are already in order. Ids are distinct, so the order is the only one.
    pub(crate) fn id_order(&self, strings: &Texts) -> Option<Vec<u32>> {
        let mut keyed: Vec<(&str, u32)> = Vec::with_capacity(self.ids.len());
        let mut sorted = true;
        for (row, &i) in self.ids.iter().enumerate() {
            let id = strings.get(i).unwrap_or_default();
            if sorted && keyed.last().is_some_and(|(prev, _)| *prev > id) {
                sorted = false;
            }
            keyed.push((id, u32::try_from(row).unwrap_or(u32::MAX)));
        }
        if sorted {
            return None;
        }
        keyed.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
        Some(keyed.into_iter().map(|(_, row)| row).collect())
    }

    /// Puts the rows in `order` ([`Table::id_order`]); returns each old row's new position.
    pub(crate) fn reorder(&mut self, order: &[u32]) -> Vec<u32> {
        let ids = std::mem::take(&mut self.ids);
        self.ids = order
            .iter()
            .filter_map(|r| ids.get(*r as usize).copied())
            .collect();
        for c in &mut self.columns {
            c.reorder(order);
        }
        let mut new_pos = vec![0u32; order.len()];
        for (new, old) in order.iter().enumerate() {
            if let Some(p) = new_pos.get_mut(*old as usize) {
                *p = u32::try_from(new).unwrap_or(u32::MAX);
            }
        }
        new_pos
    }

    /// Renumbers the text of another string table into this record set's: `map` gives the
    /// new index of each old one.
    pub(crate) fn renumber(&mut self, map: &[u32]) {
        let re = |i: &mut u32| {
            if *i != NONE {
                *i = map.get(*i as usize).copied().unwrap_or(NONE);
            }
        };
        self.ids.iter_mut().for_each(re);
        for c in &mut self.columns {
            if let Column::Text(v) = c {
                v.iter_mut().for_each(re);
            }
        }
    }

    /// Keeps only the rows whose `keep` is true (a row past `keep`'s end is kept).
    pub(crate) fn keep_rows(&mut self, keep: &[bool]) {
        fn filter<T>(v: &mut Vec<T>, keep: &[bool]) {
            let mut row = 0;
            v.retain(|_| {
                row += 1;
                keep.get(row - 1).copied().unwrap_or(true)
            });
        }
        filter(&mut self.ids, keep);
        for c in &mut self.columns {
            match c {
                Column::Text(v) => filter(v, keep),
                Column::Date(v) => filter(v, keep),
                Column::Bool(v) => filter(v, keep),
                Column::Other(v) => filter(v, keep),
            }
        }
    }

    /// Appends the rows of another table of the same struct (text already renumbered).
    pub(crate) fn append(&mut self, other: Table) {
        let rows = self.ids.len();
        let total = rows + other.ids.len();
        fn extend<T: Clone>(c: &mut Vec<T>, mut more: Vec<T>, rows: usize, none: T) {
            if more.is_empty() {
                return;
            }
            if c.is_empty() && rows == 0 {
                *c = more;
                return;
            }
            c.resize(rows, none);
            c.append(&mut more);
        }
        self.ids.extend(other.ids);
        for (c, o) in self.columns.iter_mut().zip(other.columns) {
            match (c, o) {
                (Column::Text(c), Column::Text(o)) => extend(c, o, rows, NONE),
                (Column::Date(c), Column::Date(o)) => extend(c, o, rows, None),
                (Column::Bool(c), Column::Bool(o)) => extend(c, o, rows, None),
                (Column::Other(c), Column::Other(o)) => extend(c, o, rows, Value::Null),
                // Both tables are made by `Table::new` for the same struct.
                _ => {}
            }
        }
        debug_assert_eq!(self.ids.len(), total);
    }

    /// Gives back memory reserved for growth.
    pub(crate) fn shrink(&mut self) {
        self.ids.shrink_to_fit();
        for c in &mut self.columns {
            match c {
                Column::Text(v) => v.shrink_to_fit(),
                Column::Date(v) => v.shrink_to_fit(),
                Column::Bool(v) => v.shrink_to_fit(),
                Column::Other(v) => v.shrink_to_fit(),
            }
        }
    }
}
