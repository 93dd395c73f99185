//! Wide sheets: one row, one record per group of columns.
//!
//! A リスク分析表 is often laid out one row per ledger item, with a group of columns per
//! lifecycle stage: a two-tier header whose upper row holds the stages (取得・入力, 移送・送信,
//! 利用・加工, 保管・バックアップ, 消去・廃棄) merged across the names below them (リスク, 対策,
//! 残留リスク). The model keeps one risk assessment per item and stage, its stage in a field
//! of its own. A column under such a group label is read as that stage's column; each row
//! then gives one record per stage whose columns hold a value, with the row's other columns
//! (the item, the analysis day, the approver) and the stage the group names. The record's id
//! is the row's (its id column's, or the one made from the sheet and row) followed by the
//! stage (`リスク分析表-5-取得`), as ids are unique across the record set; a row whose stage
//! columns are all blank gives no record (and `--explain` says so).

use crate::companion::{bit, set};
use crate::grid::Grid;
use crate::table::{Note, Row, Sheet, Val};
use crate::vocab::{Column, Target};
use pms_core::schema::Ty;
use std::collections::BTreeMap;

/// Entities whose sheets may be laid out wide: (entity, the enum field a group label names a
/// value of).
pub const STAGED: &[(&str, &str)] = &[("risk_assessments", "stage")];

/// Words around a stage's name in a group label: `取得時`, `取得段階`, `①取得・入力`.
const AFFIXES: (&[&str], &[&str]) = (
    &[
        "①", "②", "③", "④", "⑤", "⑥", "1.", "2.", "3.", "4.", "5.", "6.",
    ],
    &[
        "時",
        "段階",
        "の段階",
        "局面",
        "フェーズ",
        "時点",
        "におけるリスク",
        "のリスク",
    ],
);

/// The stage field of a target laid out wide, and its values.
fn field_of(target: Target) -> Option<(&'static str, &'static [&'static str])> {
    let Target::Entity(s) = target else {
        return None;
    };
    let (_, field) = STAGED.iter().find(|(e, _)| *e == s.name)?;
    match s.field(field)?.ty {
        Ty::Enum(values) => Some((field, values)),
        _ => None,
    }
}

/// The stage field of a target laid out wide (`stage` of risk assessments).
pub(crate) fn field_of_target(target: Target) -> Option<&'static str> {
    field_of(target).map(|(f, _)| f)
}

/// The value of the target's stage field that a group label names.
fn value_of(values: &'static [&'static str], label: &str) -> Option<&'static str> {
    let label = label.trim();
    if let Some(v) = crate::vocab::enum_value(values, label) {
        return Some(v);
    }
    let (heads, tails) = AFFIXES;
    let bare = heads
        .iter()
        .find_map(|h| label.strip_prefix(h))
        .unwrap_or(label)
        .trim();
    if let Some(v) = crate::vocab::enum_value(values, bare) {
        return Some(v);
    }
    tails
        .iter()
        .find_map(|t| bare.strip_suffix(t))
        .and_then(|b| crate::vocab::enum_value(values, b.trim()))
}

/// A stage a column's group label names: the value, the group label's column and text.
#[derive(Debug, Clone)]
pub(crate) struct Stage {
    value: &'static str,
    col: u32,
    label: String,
}

/// The stage of a header cell: the value of the target's stage field that the group label
/// above it names (`None` for a target that is not laid out wide, or a cell under no such
/// label).
pub(crate) fn stage_above(target: Target, grid: &Grid, header_row: u32, col: u32) -> Option<Stage> {
    let (_, values) = field_of(target)?;
    let above = header_row.checked_sub(1)?;
    let area = grid.merged_at(above, col)?;
    let label = grid.group_above(header_row, col)?;
    Some(Stage {
        value: value_of(values, label)?,
        col: area.left,
        label: label.to_owned(),
    })
}

/// Whether a column under a stage's label is that stage's (any field but the stage itself).
pub(crate) fn takes(target: Target, col: &Column) -> bool {
    field_of(target).is_some_and(|(f, _)| *col != Column::Field(f))
}

/// The stage columns of a sheet, gathered while its header is read.
#[derive(Debug, Default)]
pub(crate) struct Staged {
    /// Each stage column: its stage's index in `stages`, its number, header text and field.
    columns: Vec<(usize, u32, String, Column)>,
    /// The stages, in the order of their first column.
    stages: Vec<Stage>,
    /// (stage index, field path) → column number, to refuse a field named twice in a group.
    seen: BTreeMap<(usize, String), u32>,
}

impl Staged {
    /// Takes a stage column; `Err` with the column that named the field before in that group.
    pub(crate) fn take(
        &mut self,
        stage: Stage,
        col: u32,
        text: String,
        column: Column,
    ) -> Result<(), u32> {
        let k = match self.stages.iter().position(|s| s.value == stage.value) {
            Some(k) => k,
            None => {
                self.stages.push(stage);
                self.stages.len() - 1
            }
        };
        if let Some(prev) = self.seen.get(&(k, column.path())) {
            return Err(*prev);
        }
        self.seen.insert((k, column.path()), col);
        self.columns.push((k, col, text, column));
        Ok(())
    }

    /// Whether no column was taken.
    pub(crate) fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The field paths the stage columns name (each once).
    pub(crate) fn paths(&self) -> impl Iterator<Item = (String, u32)> + '_ {
        self.seen.iter().map(|((_, p), c)| (p.clone(), *c))
    }

    /// Appends the stage columns to a sheet's columns (after its own, which come first) and
    /// returns what [`Melt::apply`] needs to split its rows.
    pub(crate) fn append_to(self, columns: &mut Vec<(u32, String, Column)>) -> Melt {
        let first = columns.len();
        let of = self.columns.iter().map(|c| c.0).collect();
        columns.extend(self.columns.into_iter().map(|(_, n, t, c)| (n, t, c)));
        Melt {
            first,
            of,
            stages: self.stages,
        }
    }
}

/// How a wide sheet's rows become records: the columns from `first` on are stage columns,
/// `of[j - first]` their stage.
#[derive(Debug)]
pub(crate) struct Melt {
    first: usize,
    of: Vec<usize>,
    stages: Vec<Stage>,
}

impl Melt {
    /// Splits each row of a sheet read with stage columns into one record per stage it fills
    /// (see the module's documentation); the sheet gains a column per stage (at its group
    /// label) holding the stage.
    pub(crate) fn apply(self, mut sheet: Sheet, explain: bool) -> Sheet {
        let Some((field, _)) = field_of(sheet.target) else {
            return sheet;
        };
        let old = sheet.columns.len();
        for s in &self.stages {
            sheet
                .columns
                .push((s.col, s.label.clone(), Column::Field(field)));
        }
        let (stride_old, stride_new) = (old.div_ceil(64), sheet.columns.len().div_ceil(64));
        let id_j = sheet
            .columns
            .iter()
            .position(|c| c.2 == Column::Field("id"));
        let stage_of = |j: u32| {
            (j as usize)
                .checked_sub(self.first)
                .and_then(|k| self.of.get(k).copied())
        };
        let rows = std::mem::take(&mut sheet.rows);
        let read = std::mem::take(&mut sheet.read);
        let mut out_rows = Vec::with_capacity(rows.len());
        let mut out_read = Vec::with_capacity(rows.len() * stride_new);
        let entity = sheet.target.name_ja();
        for (i, r) in rows.into_iter().enumerate() {
            let base = i * stride_old;
            let id = r
                .values
                .iter()
                .find(|(j, _)| *j == u32::MAX || id_j.is_some_and(|c| *j as usize == c))
                .map(|(j, v)| {
                    let text = match v {
                        Val::Text(t) => sheet.texts.get(*t).to_owned(),
                        other => other.to_json(&sheet.texts).to_string(),
                    };
                    (*j, text)
                });
            let mut any = false;
            for (k, s) in self.stages.iter().enumerate() {
                let mine = |j: u32| stage_of(j).is_none_or(|x| x == k);
                if !r
                    .values
                    .iter()
                    .any(|(j, _)| *j != u32::MAX && stage_of(*j) == Some(k))
                {
                    continue;
                }
                any = true;
                let ja = pms_core::labels::value_label(s.value).map_or(s.value, |l| l.ja);
                let mut values: Vec<(u32, Val)> = Vec::with_capacity(r.values.len() + 1);
                let mut new_id = None;
                for (j, v) in &r.values {
                    if *j != u32::MAX && !mine(*j) {
                        continue;
                    }
                    match &id {
                        Some((at, text)) if at == j => {
                            let made = format!("{text}-{ja}");
                            new_id = Some(made.clone());
                            values.push((*j, Val::Text(sheet.texts.push(&made))));
                        }
                        _ => values.push((*j, v.clone())),
                    }
                }
                let stage_j = u32::try_from(old + k).unwrap_or(u32::MAX - 1);
                values.push((stage_j, Val::Word(s.value)));
                values.sort_by_key(|(j, _)| *j);
                let rbase = out_read.len();
                out_read.resize(rbase + stride_new, 0);
                for j in (0..old).filter(|j| u32::try_from(*j).is_ok_and(mine)) {
                    if bit(&read, base, j) {
                        set(&mut out_read, rbase, j);
                    }
                }
                set(&mut out_read, rbase, old + k);
                if explain {
                    let at = sheet.at(r.row, s.col);
                    sheet.notes.push(Note {
                        at,
                        text: format!(
                            "row {}: the columns under `{}` are the {} of stage {} ({}){}",
                            r.row + 1,
                            s.label,
                            entity,
                            ja,
                            s.value,
                            new_id.map_or_else(String::new, |x| format!(", id `{x}`")),
                        ),
                    });
                }
                out_rows.push(Row {
                    row: r.row,
                    values,
                    parent: r.parent.clone(),
                });
            }
            if !any && explain {
                let first_col = self.stages.first().map_or(0, |s| s.col);
                let at = sheet.at(r.row, first_col);
                sheet.notes.push(Note {
                    at,
                    text: format!(
                        "row {}: no column under a stage (`{}` …) holds a value: no {} read from it",
                        r.row + 1,
                        self.stages.first().map_or("", |s| s.label.as_str()),
                        entity,
                    ),
                });
            }
        }
        sheet.rows = out_rows;
        sheet.read = out_read;
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::value_of;

    const STAGES: &[&str] = &["acquire", "transfer", "use", "store", "dispose"];

    #[test]
    fn a_group_label_names_its_stage_with_the_words_offices_write() {
        let read = |l: &str| value_of(STAGES, l);
        assert_eq!(read("取得・入力"), Some("acquire"));
        assert_eq!(read("移送・送信"), Some("transfer"));
        assert_eq!(read("利用・加工"), Some("use"));
        assert_eq!(read("保管・バックアップ"), Some("store"));
        assert_eq!(read("消去・廃棄"), Some("dispose"));
        assert_eq!(read("①取得・入力"), Some("acquire"));
        assert_eq!(read("廃棄時"), Some("dispose"));
        assert_eq!(read("保管段階"), Some("store"));
        assert_eq!(read("評価"), None);
        assert_eq!(read("契約条項"), None);
    }
}
