//! Combined ledgers: one row, the records of two or three entities.
//!
//! Offices often keep one 委託先管理台帳 where each contractor's row also carries its latest
//! evaluation (評価日, 評価者, 評価点/合否, 次回評価予定日, 承認者) and its contract or 覚書
//! (契約/覚書締結日, the clauses), or an evaluation sheet with the 契約締結日 beside it. The
//! model keeps these as records of their own entities (`contractor_evaluations`,
//! `contracts`), each pointing at the contractor. A column of such a sheet that names no field
//! of the sheet's entity but a field of one of its *companions* below is read into a record of
//! that companion, made from the row: its link field holds the row's contractor (the row's
//! own id, or the row's reference to it), its id is generated from the sheet, the row and the
//! companion (`委託先管理台帳-5-委託先評価`; ids are unique across the record set), and a row
//! whose companion cells are all blank gives no such record.
//! With `--map`, such a column is written `contractor_evaluations.evaluated_on`.
//!
//! A companion may also be one record *per item* of a list cell: a 教育実施報告書 row (one
//! session) whose 受講者 column lists the attendees gives each of them a training record of
//! that session, completed on the session's day, taken by the row's 実施方法.

use crate::table::{Note, Row, Sheet, Val};
use crate::vocab::{Column, Headers, Target};
use pms_core::schema::{self, Ty};

/// An entity whose records a row of another entity's sheet may also hold.
#[derive(Debug, Clone, Copy)]
pub struct Companion {
    /// The sheet's entity (`contractors`).
    pub of: &'static str,
    /// The companion entity (`contractor_evaluations`).
    pub entity: &'static str,
    /// The companion's field that points back (`contractor_id`).
    pub link: &'static str,
    /// What of the row that field holds: `id` (the row's own record) or a reference field
    /// of the row (`contractor_id` of an evaluation row).
    pub from: &'static str,
    /// The companion's fields a row may hold (`None`: every field but the link and the
    /// record's own `id`, `note`, `status`).
    pub fields: Option<&'static [&'static str]>,
    /// The field a list cell gives one record per item of, read as a list of this type.
    pub each: Option<(&'static str, &'static Ty)>,
    /// Fields the companion takes from the row where it has no column of its own:
    /// (companion field, the row's field).
    pub copies: &'static [(&'static str, &'static str)],
}

/// Every companion the reader knows, in the order their records are listed.
pub const COMPANIONS: &[Companion] = &[
    Companion {
        of: "contractors",
        entity: "contractor_evaluations",
        link: "contractor_id",
        from: "id",
        fields: None,
        each: None,
        copies: &[],
    },
    Companion {
        of: "contractors",
        entity: "contracts",
        link: "contractor_id",
        from: "id",
        fields: None,
        each: None,
        copies: &[],
    },
    Companion {
        of: "contractor_evaluations",
        entity: "contracts",
        link: "contractor_id",
        from: "contractor_id",
        fields: None,
        each: None,
        copies: &[],
    },
    Companion {
        of: "training_sessions",
        entity: "training_records",
        link: "session_id",
        from: "id",
        fields: Some(&["person_id", "method"]),
        each: Some(("person_id", &Ty::List(&Ty::Ref("workforce")))),
        copies: &[("completed_on", "date")],
    },
];

/// Fields that belong to the row's own record whatever the companion has: read as the
/// sheet's own (or refused) and never as a companion's.
const OWN: &[&str] = &["id", "note", "status"];

/// A companion of a sheet's target with its entity and its header vocabulary (shared, made
/// once per process like the sheet's own: see [`Headers::shared`]).
pub(crate) type CompanionOf = (Companion, Target, std::sync::Arc<Headers>);

/// The companions of a sheet's target (none for nested lists).
pub(crate) fn of(target: Target) -> Vec<CompanionOf> {
    let Target::Entity(s) = target else {
        return Vec::new();
    };
    COMPANIONS
        .iter()
        .filter(|c| c.of == s.name)
        .filter_map(|c| {
            let t = Target::Entity(schema::find_struct(c.entity)?);
            Some((*c, t, Headers::shared(t)))
        })
        .collect()
}

/// The companion column a header names: (index into `companions`, the column), `Ok(None)`
/// when no companion has such a field, and the candidates' paths when two have.
pub(crate) fn column(
    companions: &[CompanionOf],
    header: &str,
) -> Result<Option<(usize, Column)>, Vec<String>> {
    let mut found: Vec<(usize, Column)> = Vec::new();
    for (k, (c, _, h)) in companions.iter().enumerate() {
        if let Ok(Some(col)) = h.column(header) {
            let field = match &col {
                Column::Field(f) | Column::Sub(f, _) => *f,
                Column::Parent => continue,
            };
            let allowed = c.fields.is_none_or(|fs| fs.contains(&field));
            if allowed && field != c.link && !OWN.contains(&field) {
                found.push((k, col));
            }
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(found
            .iter()
            .filter_map(|(k, col)| companions.get(*k).map(|(c, ..)| path(c, col)))
            .collect()),
    }
}

/// The companion column a map's path names (`contractor_evaluations.evaluated_on`).
pub(crate) fn mapped(companions: &[CompanionOf], path: &str) -> Option<(usize, Column)> {
    companions.iter().enumerate().find_map(|(k, (c, _, h))| {
        let rest = path.strip_prefix(c.entity)?.strip_prefix('.')?;
        match h.column(rest) {
            Ok(Some(col @ (Column::Field(f) | Column::Sub(f, _))))
                if c.fields.is_none_or(|fs| fs.contains(&f)) && f != c.link =>
            {
                Some((k, col))
            }
            _ => None,
        }
    })
}

/// The type a companion column is read as: its field's, or a list of it for the field a
/// list cell gives one record per item of.
pub(crate) fn column_ty(c: &Companion, shape: &'static schema::Struct, col: &Column) -> Option<Ty> {
    match (c.each, col) {
        (Some((f, ty)), Column::Field(g)) if f == *g => Some(*ty),
        _ => crate::table::column_ty(shape, col),
    }
}

/// How a map names a companion column.
pub(crate) fn path(c: &Companion, col: &Column) -> String {
    format!("{}.{}", c.entity, col.path())
}

/// The columns of a sheet read with companions: the sheet's own `columns.len()` first, then
/// each companion column with its companion's index.
pub(crate) struct Split<'a> {
    pub(crate) companions: &'a [CompanionOf],
    /// Each companion column, after the sheet's own.
    pub(crate) extra: Vec<Extra>,
}

/// A companion column: (companion index, column number, header text, column).
pub(crate) type Extra = (usize, u32, String, Column);

/// Bit `j` of a row's words of columns read.
pub(crate) fn bit(read: &[u64], base: usize, j: usize) -> bool {
    read.get(base + j / 64)
        .is_some_and(|w| w & (1 << (j % 64)) != 0)
}

/// Sets bit `j` of a row's words of columns read.
pub(crate) fn set(read: &mut [u64], base: usize, j: usize) {
    if let Some(w) = read.get_mut(base + j / 64) {
        *w |= 1 << (j % 64);
    }
}

impl Split<'_> {
    /// Splits a sheet read with companion columns (its `read` bits strided over its own and
    /// the companion columns, values indexed the same way) into the sheet's own records and
    /// one sheet per companion with the records its rows hold.
    pub(crate) fn apply(self, mut sheet: Sheet, explain: bool) -> Vec<Sheet> {
        let own = sheet.columns.len();
        let all = own + self.extra.len();
        let stride_all = all.div_ceil(64);
        let stride_own = own.div_ceil(64);
        let rows = std::mem::take(&mut sheet.rows);
        let read = std::mem::take(&mut sheet.read);
        // The column that locates the link: the row's id column, or its `from` column, or its
        // first column.
        let column_of = |path: &str| sheet.columns.iter().position(|(_, _, c)| c.path() == path);
        let mut derived: Vec<Sheet> = Vec::new();
        for (k, (c, target, _)) in self.companions.iter().enumerate() {
            let mine: Vec<(usize, &Extra)> = self
                .extra
                .iter()
                .enumerate()
                .filter(|(_, e)| e.0 == k)
                .map(|(i, e)| (own + i, e))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let from_col = column_of(c.from);
            let (link_num, link_text) = from_col
                .or_else(|| column_of("id"))
                .or(if sheet.columns.is_empty() {
                    None
                } else {
                    Some(0)
                })
                .and_then(|j| sheet.columns.get(j))
                .map_or((0, String::new()), |(n, t, _)| (*n, t.clone()));
            let mut columns: Vec<(u32, String, Column)> = mine
                .iter()
                .map(|(_, e)| (e.1, e.2.clone(), e.3.clone()))
                .collect();
            let link_j = columns.len();
            columns.push((link_num, link_text, Column::Field(c.link)));
            // The row's fields a companion copies, each where the row's own column is.
            let mut copies: Vec<(usize, Option<usize>)> = Vec::new();
            for (to, from) in c.copies {
                if columns.iter().any(|x| x.2 == Column::Field(to)) {
                    continue;
                }
                let Some(own_j) = column_of(from) else {
                    continue;
                };
                if let Some((n, t, _)) = sheet.columns.get(own_j) {
                    columns.push((*n, t.clone(), Column::Field(to)));
                    copies.push((columns.len() - 1, Some(own_j)));
                }
            }
            let each = c
                .each
                .and_then(|(f, _)| columns.iter().position(|x| x.2 == Column::Field(f)));
            let stride = columns.len().div_ceil(64);
            // The companion's values are the row's: its texts are the sheet's, and its ids
            // are added to them.
            let mut texts = sheet.texts.clone();
            let mut out_rows = Vec::new();
            let mut out_read = Vec::new();
            let mut notes = Vec::new();
            let value_of = |r: &Row, j: usize| {
                r.values
                    .iter()
                    .find(|(x, _)| *x as usize == j)
                    .map(|(_, v)| v.clone())
            };
            for (i, r) in rows.iter().enumerate() {
                let base = i * stride_all;
                let mut values: Vec<(usize, Val)> = Vec::new();
                let mut bits: Vec<usize> = Vec::new();
                for (pos, (j, _)) in mine.iter().enumerate() {
                    if let Some(v) = value_of(r, *j) {
                        values.push((pos, v));
                    }
                    if bit(&read, base, *j) {
                        bits.push(pos);
                    }
                }
                if values.is_empty() {
                    continue;
                }
                let link = if c.from == "id" {
                    row_id(r, column_of("id"))
                } else {
                    from_col.and_then(|j| value_of(r, j))
                };
                if let Some(v) = link {
                    values.push((link_j, v));
                    bits.push(link_j);
                }
                for (to, own_j) in &copies {
                    if let Some(v) = own_j.and_then(|j| value_of(r, j)) {
                        values.push((*to, v));
                        bits.push(*to);
                    }
                }
                // One record, or one per item of the list cell (none when it is blank).
                let items: Vec<Option<Val>> = match each {
                    None => vec![None],
                    Some(e) => match values.iter().find(|(p, _)| *p == e) {
                        Some((_, Val::List(a))) => a.iter().cloned().map(Some).collect(),
                        Some((_, v)) => vec![Some(v.clone())],
                        None => Vec::new(),
                    },
                };
                let first = mine.first().map_or(0, |(_, e)| e.1);
                let shown: Vec<String> = mine
                    .iter()
                    .enumerate()
                    .filter(|(pos, _)| values.iter().any(|(p, _)| p == pos))
                    .map(|(_, (_, e))| format!("`{}`", e.2))
                    .collect();
                if items.is_empty() && explain {
                    notes.push(Note {
                        at: sheet.at(r.row, first),
                        text: format!(
                            "row {}: {} without {}: no {} read from it",
                            r.row + 1,
                            shown.join(", "),
                            c.each
                                .map_or("", |(f, _)| pms_core::labels::field_ja(c.entity, f)),
                            target.name_ja(),
                        ),
                    });
                }
                // Ids are unique across the record set: the row's, then the companion's name.
                let base_id = format!(
                    "{}-{}-{}",
                    sheet.sheet,
                    u64::from(r.row) + 1,
                    target.name_ja()
                );
                for (k, item) in items.into_iter().enumerate() {
                    let id = if each.is_some() {
                        format!("{base_id}-{}", k + 1)
                    } else {
                        base_id.clone()
                    };
                    let mut vals: Vec<(u32, Val)> = values
                        .iter()
                        .map(|(p, v)| {
                            let v = match (&item, each) {
                                (Some(x), Some(e)) if e == *p => x.clone(),
                                _ => v.clone(),
                            };
                            (u32::try_from(*p).unwrap_or(u32::MAX), v)
                        })
                        .collect();
                    vals.sort_by_key(|(p, _)| *p);
                    if explain {
                        notes.push(Note {
                            at: sheet.at(r.row, first),
                            text: format!(
                                "row {}: {} read as the {} `{id}` of this row's {}",
                                r.row + 1,
                                shown.join(", "),
                                target.name_ja(),
                                pms_core::labels::field_ja(c.entity, c.link),
                            ),
                        });
                    }
                    vals.push((u32::MAX, Val::Text(texts.push(&id))));
                    let rbase = out_read.len();
                    out_read.resize(rbase + stride, 0);
                    for b in &bits {
                        set(&mut out_read, rbase, *b);
                    }
                    out_rows.push(Row {
                        row: r.row,
                        values: vals,
                        parent: None,
                    });
                }
            }
            derived.push(Sheet {
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                in_workbook: sheet.in_workbook,
                target: *target,
                found_by: "columns of a combined ledger",
                header_row: sheet.header_row,
                columns,
                rows: out_rows,
                texts,
                read: out_read,
                notes,
            });
        }
        // The sheet's own records keep their own columns and bits.
        let mut own_read = Vec::with_capacity(rows.len() * stride_own);
        let own_rows: Vec<Row> = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                let base = i * stride_all;
                let rbase = own_read.len();
                own_read.resize(rbase + stride_own, 0);
                for j in 0..own {
                    if bit(&read, base, j) {
                        set(&mut own_read, rbase, j);
                    }
                }
                r.values
                    .retain(|(j, _)| *j == u32::MAX || (*j as usize) < own);
                r
            })
            .collect();
        sheet.rows = own_rows;
        sheet.read = own_read;
        let mut out = vec![sheet];
        out.append(&mut derived);
        out
    }
}

/// The id of a row's record: its id column's value or the id generated for it.
fn row_id(r: &Row, id_col: Option<usize>) -> Option<Val> {
    r.values
        .iter()
        .find(|(j, _)| *j == u32::MAX || id_col.is_some_and(|c| *j as usize == c))
        .map(|(_, v)| v.clone())
}

#[cfg(test)]
mod tests {
    use crate::grid::{Cell, Grid};
    use crate::table::{read_grid, SheetMap};

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// A 委託先管理台帳 as §3.3 of the products research lays it out: the contractor, its latest
    /// evaluation and its contract in one row.
    fn combined() -> Grid {
        Grid {
            file: "委託先管理.xlsx".into(),
            sheet: "委託先管理台帳".into(),
            in_workbook: true,
            rows: vec![
                vec![t("委託先管理台帳"), t(""), t("作成日"), t("令和7年4月1日")],
                vec![
                    t("No"),
                    t("委託先名"),
                    t("委託業務内容"),
                    t("個人情報の取扱い"),
                    t("評価日"),
                    t("評価者"),
                    t("評価点"),
                    t("合否"),
                    t("次回評価予定日"),
                    t("契約/覚書締結日"),
                    t("再委託の有無"),
                ],
                vec![
                    t("C-1"),
                    t("株式会社配送"),
                    t("発送代行"),
                    t("有"),
                    t("R7.5.1"),
                    t("W-1"),
                    Cell::Number(85.0),
                    t("合格"),
                    t("令和8年5月1日"),
                    t("2024/4/1"),
                    t("無"),
                ],
                // Never evaluated, no contract: a contractor and nothing else.
                vec![t("C-2"), t("印刷株式会社"), t("DM印刷"), t("有")],
                // A contract without an evaluation.
                vec![
                    t("C-3"),
                    t("クラウド社"),
                    t("保管"),
                    t("有"),
                    t(""),
                    t(""),
                    t(""),
                    t(""),
                    t(""),
                    t("2023年10月1日"),
                ],
            ],
            ..Grid::default()
        }
    }

    #[test]
    fn a_contractor_row_also_holds_its_evaluation_and_contract() {
        let sheets = read_grid(&combined(), None, true).unwrap();
        let names: Vec<String> = sheets.iter().map(|s| s.target.name()).collect();
        assert_eq!(
            names,
            ["contractors", "contractor_evaluations", "contracts"]
        );
        let [own, evals, contracts] = &sheets[..] else {
            panic!("three sheets");
        };
        assert_eq!(own.rows.len(), 3);
        let c = own.record(0).unwrap();
        assert_eq!(c["id"], "C-1");
        assert_eq!(c["services"], "発送代行");
        assert_eq!(c["subcontracting"], false);
        assert!(c.get("evaluated_on").is_none(), "{c:?}");
        // Only the evaluated row gives an evaluation, linked to its contractor.
        assert_eq!(evals.rows.len(), 1);
        let e = evals.record(0).unwrap();
        assert_eq!(e["contractor_id"], "C-1");
        assert_eq!(e["evaluated_on"], "2025-05-01");
        assert_eq!(e["evaluator"], "W-1");
        assert_eq!(e["score"], 85);
        assert_eq!(e["result"], "pass");
        assert_eq!(e["next_due"], "2026-05-01");
        assert_eq!(e["id"], "委託先管理台帳-3-委託先評価");
        // Rows 3 and 5 have a contract; row 4 none.
        let linked: Vec<(String, String)> = (0..contracts.rows.len())
            .map(|i| {
                let k = contracts.record(i).unwrap();
                (k["contractor_id"].to_string(), k["signed_on"].to_string())
            })
            .collect();
        assert_eq!(
            linked,
            [
                ("\"C-1\"".into(), "\"2024-04-01\"".into()),
                ("\"C-3\"".into(), "\"2023-10-01\"".into())
            ]
        );
        // Each value is still located at its own cell, the link at the id column.
        assert_eq!(evals.column_read(0, "evaluated_on"), Some(4));
        assert_eq!(evals.column_read(0, "contractor_id"), Some(0));
        assert!(evals
            .notes
            .iter()
            .any(|n| n.at.ends_with("!E3") && n.text.contains("委託先管理台帳-3-委託先評価")));
    }

    #[test]
    fn a_combined_sheet_named_after_nothing_is_found_as_the_contractors_by_its_header() {
        // 委託業務内容 and 個人情報の取扱い are the contractor's alone: the sheet is the contractors',
        // its 評価日 and 契約締結日 their companions' (not an evaluation sheet missing contractors).
        let mut g = combined();
        g.sheet = "Sheet1".into();
        g.file = "Book1.xlsx".into();
        let sheets = read_grid(&g, None, false).unwrap();
        let names: Vec<String> = sheets.iter().map(|s| s.target.name()).collect();
        assert_eq!(
            names,
            ["contractors", "contractor_evaluations", "contracts"]
        );
        assert_eq!(sheets[0].found_by, "header row");
    }

    #[test]
    fn without_an_id_column_the_link_is_the_generated_id() {
        let mut g = combined();
        for row in &mut g.rows {
            if !row.is_empty() {
                row.remove(0);
            }
        }
        let sheets = read_grid(&g, None, false).unwrap();
        let own = sheets[0].record(0).unwrap();
        let eval = sheets[1].record(0).unwrap();
        assert_eq!(own["id"], "委託先管理台帳-3");
        assert_eq!(eval["contractor_id"], own["id"]);
        assert_eq!(sheets[1].column_read(0, "contractor_id"), Some(0));
    }

    #[test]
    fn an_evaluation_row_holds_the_contract_of_the_contractor_it_names() {
        let g = Grid {
            file: "委託先評価.csv".into(),
            sheet: String::new(),
            in_workbook: false,
            rows: vec![
                vec![t("委託先"), t("評価日"), t("合否"), t("契約締結日")],
                vec![t("C-1"), t("2025/5/1"), t("○"), t("2024/4/1")],
                vec![t("C-2"), t("2025/5/2"), t("○")],
            ],
            ..Grid::default()
        };
        let sheets = read_grid(&g, None, false).unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].rows.len(), 2);
        assert_eq!(sheets[1].target.name(), "contracts");
        let k = sheets[1].record(0).unwrap();
        assert_eq!(k["contractor_id"], "C-1");
        assert_eq!(k["signed_on"], "2024-04-01");
        assert_eq!(sheets[1].rows.len(), 1);
    }

    #[test]
    fn a_map_names_a_companion_column_by_its_path_and_two_columns_for_one_field_are_refused() {
        let mut g = combined();
        g.rows[1][9] = t("覚書");
        let map = SheetMap {
            target: None,
            columns: [("覚書".to_owned(), "contracts.signed_on".to_owned())]
                .into_iter()
                .collect(),
        };
        let sheets = read_grid(&g, Some(&map), false).unwrap();
        assert_eq!(sheets[2].record(0).unwrap()["signed_on"], "2024-04-01");

        let mut g = combined();
        g.rows[1][10] = t("締結日");
        g.rows[2][10] = t("2024/4/2");
        let errs = read_grid(&g, None, false).unwrap_err();
        assert!(
            errs.iter()
                .any(|d| d.code == pms_core::diagnostic::codes::DUPLICATE_COLUMN
                    && d.message.contains("signed_on")),
            "{errs:?}"
        );
    }

    #[test]
    fn a_session_row_listing_its_attendees_gives_each_a_training_record() {
        let g = Grid {
            file: "教育.xlsx".into(),
            sheet: "教育実施報告書".into(),
            in_workbook: true,
            rows: vec![
                vec![
                    t("No"),
                    t("実施日"),
                    t("実施内容"),
                    t("教育区分"),
                    t("実施方法"),
                    t("受講者"),
                ],
                vec![
                    t("S-1"),
                    t("令和7年6月2日"),
                    t("個人情報保護教育"),
                    t("年次教育"),
                    t("集合研修"),
                    t("W-1、W-2、W-3"),
                ],
                // Held, nobody listed: the session alone.
                vec![
                    t("S-2"),
                    t("令和7年7月1日"),
                    t("新入社員教育"),
                    t("新入社員教育"),
                    t("eラーニング"),
                ],
            ],
            ..Grid::default()
        };
        let sheets = read_grid(&g, None, true).unwrap();
        assert_eq!(
            sheets.len(),
            2,
            "{:?}",
            sheets.iter().map(|s| s.target.name()).collect::<Vec<_>>()
        );
        assert_eq!(sheets[0].rows.len(), 2);
        assert!(sheets[0].record(0).unwrap().get("method").is_none());
        let recs: Vec<_> = (0..sheets[1].rows.len())
            .map(|i| sheets[1].record(i).unwrap())
            .collect();
        let people: Vec<&str> = recs
            .iter()
            .map(|r| r["person_id"].as_str().unwrap())
            .collect();
        assert_eq!(people, ["W-1", "W-2", "W-3"]);
        for r in &recs {
            assert_eq!(r["session_id"], "S-1");
            assert_eq!(r["completed_on"], "2025-06-02");
            assert_eq!(r["method"], "classroom");
        }
        assert_eq!(recs[2]["id"], "教育実施報告書-2-受講記録-3");
        // The completion day is located at the session's 実施日 cell.
        assert_eq!(sheets[1].column_read(0, "completed_on"), Some(1));
        assert!(sheets[1]
            .notes
            .iter()
            .any(|n| n.at.ends_with("!E3") && n.text.contains("without")));
    }
}
