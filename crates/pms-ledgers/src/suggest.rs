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
                    Some(Headers::of(t)),
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
    let mut columns = Vec::new();
    for (col, text) in texts {
        let mapped = map.and_then(|m| {
            m.columns
                .iter()
                .find(|(k, _)| crate::fold::fold(k) == crate::fold::fold(&text))
                .map(|(_, v)| v.clone())
        });
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
        if !columns.iter().any(|(h, _): &(String, String)| *h == text) {
            columns.push((text, field));
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
