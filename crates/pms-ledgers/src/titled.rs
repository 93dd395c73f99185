//! A record kept as the list it holds, under its own title block.
//!
//! A 監査計画書 is usually one sheet per year: a title (`2025年度 内部監査計画書`), an approval
//! block (承認者, 承認日), then one row per planned audit (対象部門, 予定日, 監査員). The model
//! keeps the plan as an `audit_plans` record whose `items` are those rows. A sheet named after
//! an entity whose header names more fields of one of its lists than of the entity itself is
//! read as that list (`list_instead`); its rows belong to the one record of that entity in
//! the ledgers, and where the ledgers hold none, to the record its title block describes
//! (`title_block`): each label there that names a field of the record, with the value to its
//! right, and a fiscal year in the title (`2025年度`, `令和7年度`) as the PMS year. That record's
//! id is the sheet's name. A title block describes a record only where the ledgers hold no
//! other record of its entity (where the sheets are combined into one record set).

use crate::grid::{CellRef, Grid};
use crate::table::{Note, Row, Sheet, Texts, Val};
use crate::vocab::{self, Column, Headers, Target};
use pms_core::Diagnostic;

/// How a record made from a sheet's title block was found (its sheet's `found_by`).
pub const TITLE_BLOCK: &str = "title block";

/// The list of `target` that a sheet named after it holds instead, when its header names more
/// fields of that list (a 監査計画書 headed 対象部門・予定日・監査員 holds the plan's items).
pub(crate) fn list_instead(
    grid: &Grid,
    target: Target,
    own: impl Fn(&Grid, Target) -> Option<usize>,
) -> Option<Target> {
    let Target::Entity(e) = target else {
        return None;
    };
    let mine = own(grid, target).unwrap_or(0);
    let mut best: Option<(usize, Target)> = None;
    for t in vocab::all_targets() {
        if !matches!(t, Target::Nested { parent, .. } if parent.name == e.name) {
            continue;
        }
        let Some(score) = own(grid, t) else {
            continue;
        };
        if score > mine && score >= 2 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, t));
        }
    }
    best.map(|(_, t)| t)
}

/// Fields every record has that a title block names of its sheet as much as of a record
/// (`作成日`, `更新日`, `備考`).
const SHEET_FIELDS: &[&str] = &["created_at", "updated_at", "note", "source_ref", "status"];

/// Words of an approval block that are labels, not values (`承認 | 確認 | 作成`, `印`).
const STAMP_WORDS: &[&str] = &[
    "作成",
    "確認",
    "承認",
    "審査",
    "印",
    "担当",
    "作成者",
    "確認者",
];

/// The record a list sheet's title block describes (see the module's documentation), as a
/// sheet of one row of the list's parent entity; `Ok(None)` when the block names none of its
/// fields and the title no year.
///
/// # Errors
/// A value in the block that cannot be read as its field, located at its cell.
pub(crate) fn title_block(
    grid: &Grid,
    header_row: u32,
    target: Target,
    explain: bool,
) -> Result<Option<Sheet>, Vec<Diagnostic>> {
    let Target::Nested { parent, .. } = target else {
        return Ok(None);
    };
    let record = Target::Entity(parent);
    let headers = Headers::shared(record);
    let mut columns: Vec<(u32, String, Column)> = Vec::new();
    let mut values: Vec<(u32, Val)> = Vec::new();
    let mut texts = Texts::default();
    let mut notes = Vec::new();
    let mut diags = Vec::new();
    let mut first_row = None;
    let text_at = |r: u32, c: u32| match grid.cell(r, c).as_ref() {
        CellRef::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        _ => None,
    };
    let width = crate::table::width(grid);
    // Rows above the header, less the upper row of a two-tier header (group labels over the
    // names, or titles merged down into the header row).
    let above = header_row.saturating_sub(1);
    let two_tier = (grid.first_col..width).any(|c| grid.group_above(header_row, c).is_some())
        || grid
            .merged
            .iter()
            .any(|a| a.top == above && a.bottom >= header_row);
    let last = if two_tier { above } else { header_row };
    let mut year: Option<(u32, u32, String, String)> = None;
    for r in grid.first_row..last {
        for c in grid.first_col..width {
            let Some(label) = text_at(r, c) else {
                continue;
            };
            let named = match headers.column(&label) {
                Ok(Some(col @ Column::Field(f))) if f != "items" => Some((f, col)),
                _ => None,
            };
            let Some((field, col)) = named else {
                if year.is_none() {
                    if let Some(y) = crate::value::fiscal_year(&label) {
                        year = Some((r, c, label, y.to_string()));
                    }
                }
                continue;
            };
            if columns.iter().any(|x| x.2 == col) {
                continue;
            }
            // Its value: the next cell to the right that holds one (not another label).
            let Some(vc) = (c + 1..width).find(|x| !grid.cell(r, *x).as_ref().is_blank()) else {
                continue;
            };
            if let Some(t) = text_at(r, vc) {
                if STAMP_WORDS.contains(&t.as_str()) || matches!(headers.column(&t), Ok(Some(_))) {
                    continue;
                }
            }
            let Some(ty) = parent.field(field).map(|f| &f.ty) else {
                continue;
            };
            match crate::value::interpret_with(grid.cell(r, vc).as_ref(), ty, explain) {
                Ok(Some(got)) => {
                    if let Some(n) = got.note {
                        notes.push(Note {
                            at: crate::table::at(&grid.file, &grid.sheet, grid.in_workbook, r, vc),
                            text: n,
                        });
                    }
                    let j = u32::try_from(columns.len()).unwrap_or(u32::MAX);
                    values.push((j, Val::from_json(&got.value, &mut texts)));
                    columns.push((vc, label, col));
                    first_row.get_or_insert(r);
                }
                Ok(None) => {}
                Err(e) => diags.push(
                    Diagnostic::error(e.code, e.message.clone())
                        .ja(format!(
                            "{}: {}",
                            pms_core::labels::field_named_any(
                                field.rsplit('.').next().unwrap_or_default()
                            )
                            .trim_end(),
                            e.message_ja
                        ))
                        .maybe_help_ja(e.help_ja.clone())
                        .at(crate::table::location(
                            &grid.file,
                            &grid.sheet,
                            grid.in_workbook,
                            r,
                            Some(vc),
                            Some(field.to_owned()),
                        ))
                        .maybe_help(e.help.clone()),
                ),
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    // The fiscal year of the title, where the block names none.
    if let Some((r, c, label, y)) = year {
        let has_year = parent.field("pms_year").is_some();
        if has_year && !columns.iter().any(|x| x.2 == Column::Field("pms_year")) {
            if explain {
                notes.push(Note {
                    at: crate::table::at(&grid.file, &grid.sheet, grid.in_workbook, r, c),
                    text: format!(
                        "`{label}` → {} {y}",
                        pms_core::labels::field_ja(parent.name, "pms_year")
                    ),
                });
            }
            let j = u32::try_from(columns.len()).unwrap_or(u32::MAX);
            values.push((j, Val::Text(texts.push(&y))));
            columns.push((c, label, Column::Field("pms_year")));
            first_row.get_or_insert(r);
        }
    }
    // Only a block that says something of the record itself describes one: a 作成日 or 備考
    // above a 部門一覧 is the sheet's, not an organisation's.
    if columns
        .iter()
        .all(|(_, _, c)| matches!(c, Column::Field(f) if SHEET_FIELDS.contains(f)))
    {
        return Ok(None);
    }
    let Some(row) = first_row else {
        return Ok(None);
    };
    let id = grid.sheet.clone();
    if explain {
        notes.push(Note {
            at: crate::table::at(&grid.file, &grid.sheet, grid.in_workbook, row, grid.first_col),
            text: format!(
                "the title block above the header is the {} `{id}` that the rows belong to, where the ledgers hold no other",
                record.name_ja()
            ),
        });
    }
    let n = columns.len();
    let stride = n.div_ceil(64);
    let mut read = vec![0u64; stride];
    for j in 0..n {
        if let Some(w) = read.get_mut(j / 64) {
            *w |= 1 << (j % 64);
        }
    }
    values.push((u32::MAX, Val::Text(texts.push(&id))));
    Ok(Some(Sheet {
        file: grid.file.clone(),
        sheet: grid.sheet.clone(),
        in_workbook: grid.in_workbook,
        target: record,
        found_by: TITLE_BLOCK,
        header_row: row,
        columns,
        rows: vec![Row {
            row,
            values,
            parent: None,
        }],
        texts,
        read,
        notes,
    }))
}
