//! The map `pms import --suggest-map` writes: for every sheet of every workbook and every
//! CSV/TSV file — read or not — the entity it holds and the field each header names, as the
//! reader sees them, with [`UNRESOLVED`] (`?`) where the reader cannot tell. The user
//! replaces each `?` and passes the map back with `--map`; a `?` left in it is an error.

use crate::grid::{Cell, Grid};
use crate::table::{self, SheetMap, HEADER_SCAN};
use crate::vocab::Headers;
use crate::ReadOptions;

/// The word a suggested map holds where the reader could not tell the entity or the field.
pub const UNRESOLVED: &str = "?";

/// One sheet's entry of a suggested map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The key of the map: `file.xlsx!sheet` for a workbook sheet, the file name for a
    /// CSV/TSV file.
    pub key: String,
    /// The entity (`training_records`, `organization.departments`), or [`UNRESOLVED`].
    pub entity: String,
    /// Each header of the header row, in column order, and the field it names (a path,
    /// `ignore`, or [`UNRESOLVED`]).
    pub columns: Vec<(String, String)>,
    /// What the user has to decide, one line each (`column `氏名カナ`: did you mean …`).
    pub open: Vec<String>,
}

fn text_of(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        Cell::Empty | Cell::Text(_) => None,
        Cell::Number(n) => Some(n.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::DateIso(d) => Some(d.clone()),
        other => Some(format!("{other:?}")),
    }
}

/// The texts of a header row with their columns.
fn row_texts(grid: &Grid, row: u32) -> Vec<(u32, String)> {
    let start = row.saturating_sub(grid.first_row) as usize;
    let width = grid.rows.get(start).map_or(0, Vec::len);
    (0..width)
        .filter_map(|c| {
            let col = grid.first_col + c as u32;
            text_of(grid.header_cell(row, col)).map(|t| (col, t))
        })
        .collect()
}

/// The row most likely to be the header when no field is recognised: among the first
/// [`HEADER_SCAN`], the first with the most text cells (title rows have one or two).
fn densest_row(grid: &Grid) -> Option<u32> {
    let end = grid.first_row + (grid.rows.len() as u32).min(HEADER_SCAN);
    let mut best: Option<(u32, usize)> = None;
    for r in grid.first_row..end {
        let n = row_texts(grid, r).len();
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((r, n));
        }
    }
    best.map(|(r, _)| r)
}

/// The map key of a grid: `file.xlsx!sheet`, or the file name of a CSV/TSV.
fn key_of(grid: &Grid) -> String {
    let base = grid.file.rsplit(['/', '\\']).next().unwrap_or(&grid.file);
    if grid.in_workbook {
        format!("{base}!{}", grid.sheet)
    } else {
        base.to_owned()
    }
}

/// The suggestion for one grid, given what the user's map already says of it.
#[must_use]
pub fn suggest_grid(grid: &Grid, map: Option<&SheetMap>) -> Option<Suggestion> {
    if map.is_none() && grid.in_workbook && grid.sheet == crate::layout::INSTRUCTIONS_SHEET {
        return None;
    }
    let found = table::find_target(grid, map).ok().flatten();
    let (entity, headers, row, shape, companions) = match found {
        Some((target, _, row, headers)) => (
            target.name(),
            Some(headers),
            Some(row),
            Some(target.shape()),
            crate::companion::of(target),
        ),
        None => {
            let named = map
                .and_then(|m| m.target.as_deref())
                .and_then(|t| crate::vocab::target_of_name(t).ok().flatten());
            match named {
                Some(t) => (
                    t.name(),
                    Some(Headers::shared(t)),
                    densest_row(grid),
                    Some(t.shape()),
                    crate::companion::of(t),
                ),
                None => (
                    UNRESOLVED.to_owned(),
                    None,
                    densest_row(grid),
                    None,
                    Vec::new(),
                ),
            }
        }
    };
    let row = row?;
    let found_target = crate::vocab::target_of_name(&entity).ok().flatten();
    let mut open = Vec::new();
    if entity == UNRESOLVED {
        open.push(
            "its entity: neither its name nor its header row names a ledger (`ignore` passes it over)"
                .to_owned(),
        );
    }
    let texts = row_texts(grid, row);
    // The fields the header names, for the columns that repeat a referenced record's field.
    let named: std::collections::BTreeMap<String, u32> = headers
        .as_ref()
        .map(|h| {
            texts
                .iter()
                .filter_map(|(_, t)| h.column(t).ok().flatten().map(|c| (c.path(), 0)))
                .collect()
        })
        .unwrap_or_default();
    let mut fields: Vec<(u32, String, String)> = Vec::new();
    for (col, text) in texts {
        let mapped = map.and_then(|m| table::mapped_column(m, grid.group_above(row, col), &text));
        let field = match (&mapped, &headers) {
            (Some(f), _) if f != UNRESOLVED => f.clone(),
            (_, Some(h)) => match table::grouped(grid, row, col, &text, h, &companions) {
                Some(table::Grouped::Own(c)) => c.path(),
                Some(table::Grouped::Companion((k, c))) => companions.get(k).map_or_else(
                    || UNRESOLVED.to_owned(),
                    |x| crate::companion::path(&x.0, &c),
                ),
                None => match h.column(&text) {
                    Ok(Some(c)) => c.path(),
                    Ok(None) if found_target.is_some_and(|t| table::is_row_if(t, &text)) => {
                        // Whether the row is a record (a roster's 受講 ○/×).
                        table::ROW_IF_PATH.to_owned()
                    }
                    Ok(None)
                        if shape.is_some_and(|s| table::described(s, &text, &named).is_some()) =>
                    {
                        // Read from the referenced record's own ledger (see `table::described`).
                        table::IGNORE.to_owned()
                    }
                    Ok(None)
                        if matches!(crate::companion::column(&companions, &text), Ok(Some(_))) =>
                    {
                        // A companion's field: the row also holds its record (see `companion`).
                        match crate::companion::column(&companions, &text) {
                            Ok(Some((k, col))) => companions.get(k).map_or_else(
                                || UNRESOLVED.to_owned(),
                                |c| crate::companion::path(&c.0, &col),
                            ),
                            _ => UNRESOLVED.to_owned(),
                        }
                    }
                    Ok(None) => {
                        open.push(h.suggest(&text).map_or_else(
                            || format!("column `{text}`: no field of {entity} has this name"),
                            |s| format!("column `{text}`: did you mean `{s}`?"),
                        ));
                        UNRESOLVED.to_owned()
                    }
                    Err(cands) => {
                        open.push(format!(
                            "column `{text}`: could be {}",
                            cands
                                .iter()
                                .map(crate::vocab::Column::path)
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ));
                        UNRESOLVED.to_owned()
                    }
                },
            },
            (_, None) => UNRESOLVED.to_owned(),
        };
        fields.push((col, text, field));
    }
    // A word that names different fields under different group labels (`評価.日付`, `契約.日付`)
    // is written with its group; elsewhere each word once.
    let mut columns: Vec<(String, String)> = Vec::new();
    for (col, text, field) in &fields {
        let group = grid.group_above(row, *col);
        let differs = fields.iter().any(|(c, t, f)| {
            t == text && (f != field || (field == UNRESOLVED && grid.group_above(row, *c) != group))
        });
        let key = match group {
            Some(g) if differs => format!("{g}.{text}"),
            _ => text.clone(),
        };
        if !columns.iter().any(|(h, _)| *h == key) {
            columns.push((key, field.clone()));
        }
    }
    Some(Suggestion {
        key: key_of(grid),
        entity,
        columns,
        open,
    })
}

/// The suggested map of ledger files given as bytes: every sheet of every workbook and every
/// CSV/TSV file the readers can open, in file then sheet order.
///
/// # Errors
/// Files that cannot be opened or decoded at all (a corrupt workbook, an encoding error).
pub fn suggest_files(
    files: &[(String, Vec<u8>)],
    options: &ReadOptions,
) -> Result<Vec<Suggestion>, Vec<pms_core::Diagnostic>> {
    let mut diags = Vec::new();
    let grids = crate::grids_of(files, options, &mut Vec::new(), &mut diags);
    if !diags.is_empty() {
        pms_core::diagnostic::sort(&mut diags);
        return Err(diags);
    }
    Ok(grids
        .iter()
        .filter_map(|g| suggest_grid(g, options.map_for(&g.file, &g.sheet)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::{suggest_grid, UNRESOLVED};
    use crate::grid::{Area, Cell, Grid};
    use crate::table::{read_grid, SheetMap};

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn a_word_repeated_under_two_group_labels_is_mapped_with_its_group() {
        // 3: No | 委託先名 | 評価 (C:D)     | 契約 (E:F)
        // 4:  ↓ |    ↓     | 日付 | 合否   | 日付 | 監査権
        let area = |top, left, bottom, right| Area {
            top,
            left,
            bottom,
            right,
        };
        let mut g = Grid {
            file: "委託先.xlsx".into(),
            sheet: "委託先管理台帳".into(),
            in_workbook: true,
            rows: vec![
                vec![t("委託先管理台帳")],
                vec![],
                vec![
                    t("No"),
                    t("委託先名"),
                    t("評価"),
                    Cell::Empty,
                    t("契約"),
                    Cell::Empty,
                ],
                vec![
                    Cell::Empty,
                    Cell::Empty,
                    t("日付"),
                    t("合否"),
                    t("日付"),
                    t("監査権"),
                ],
                vec![
                    t("C-1"),
                    t("配送株式会社"),
                    t("2025/5/1"),
                    t("○"),
                    t("2024/4/1"),
                    t("○"),
                ],
            ],
            ..Grid::default()
        };
        g.merged = vec![
            area(2, 0, 3, 0),
            area(2, 1, 3, 1),
            area(2, 2, 2, 3),
            area(2, 4, 2, 5),
        ];
        // The reader cannot tell the two 日付 apart: the suggestion keeps one entry each.
        let s = suggest_grid(&g, None).unwrap();
        let keys: Vec<&str> = s.columns.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            keys.contains(&"評価.日付") && keys.contains(&"契約.日付"),
            "{keys:?}"
        );
        assert!(s
            .columns
            .iter()
            .filter(|(k, _)| k.ends_with("日付"))
            .all(|(_, v)| v == UNRESOLVED));
        // The user's answers, keyed by group, read each into its own record.
        let mut map = SheetMap::default();
        for (k, v) in &s.columns {
            let v = match k.as_str() {
                "評価.日付" => "contractor_evaluations.evaluated_on",
                "契約.日付" => "contracts.signed_on",
                _ => v.as_str(),
            };
            map.columns.insert(k.clone(), v.to_owned());
        }
        let sheets = read_grid(&g, Some(&map), false).unwrap();
        let e = sheets[1].record(0).unwrap();
        assert_eq!(e["evaluated_on"], "2025-05-01");
        let k = sheets[2].record(0).unwrap();
        assert_eq!(k["signed_on"], "2024-04-01");
        assert_eq!(k["clauses"]["audit_right"], true);
    }
}
