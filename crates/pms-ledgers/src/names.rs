//! References written as names.
//!
//! An office's ledgers point at each other by what people read, not by ids: the 受講者名簿
//! lists 受講者 by 氏名, the 委託先評価表 names the 委託先 and the 評価者, the 従業者名簿 gives
//! each member's 所属 as a department name. pms's records refer by id. After every sheet of a
//! set is read, a reference cell whose text is not the id of a record of the referenced ledger
//! is looked up among those records' names (氏名, 委託先名, 部門名, 個人情報の名称, 教育の題名 …,
//! compared after [`crate::fold::fold`]: width, spacing and case do not matter) and replaced by
//! that record's id when exactly one record has the name — explained by `pms import
//! --explain`. A name that several records share is an error (E1038) naming their ids; a
//! text that is neither an id nor a name is left for the loader, which reports the reference
//! as dangling (E1008). Records read from JSON or YAML beside the ledgers are not searched:
//! their references are ids, as they always were.

use crate::table::Val;
use crate::table::{Note, Sheet};
use crate::vocab::{Column, Target};
use crate::Ledgers;
use pms_core::diagnostic::codes;
use pms_core::schema::{find_struct, Struct, Ty};
use pms_core::Diagnostic;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The fields that name a record, in order of preference.
const NAME_FIELDS: &[&str] = &["name", "item_name", "title"];

/// The field that names the records of a struct, if it has one.
fn name_field(s: &Struct) -> Option<&'static str> {
    NAME_FIELDS
        .iter()
        .copied()
        .find(|n| s.field(n).is_some_and(|f| matches!(f.ty, Ty::Str)))
}

/// The struct a column's values refer to, when the column is a reference or a list of them.
fn ref_target(shape: &Struct, column: &Column) -> Option<&'static str> {
    // A list of objects written in one cell: each item its object's field (監査員 by 氏名).
    if let Some((_, Ty::Ref(t))) = crate::table::one_cell(shape, column) {
        return Some(t);
    }
    let field = match column {
        Column::Field(f) => shape.field(f)?,
        Column::Sub(f, g) => match shape.field(f)?.ty {
            Ty::Obj(o) | Ty::List(&Ty::Obj(o)) => find_struct(o)?.field(g)?,
            _ => return None,
        },
        Column::Parent => return None,
    };
    match field.ty {
        Ty::Ref(t) | Ty::List(&Ty::Ref(t)) => Some(t),
        _ => None,
    }
}

/// The ids and names of the records of one struct read from the ledgers.
#[derive(Default)]
struct Index {
    ids: HashSet<String>,
    /// Folded name → the ids of the records so named (each once, in reading order).
    names: HashMap<String, Vec<String>>,
    /// The struct's Japanese name and the label of its name field, for notes and errors.
    shown: (String, String),
}

fn index_of(sheets: &[Sheet], target: &str) -> Option<Index> {
    let mut ix = Index::default();
    let mut found = false;
    for s in sheets.iter().filter(|s| s.target.shape().name == target) {
        found = true;
        let shape = s.target.shape();
        let name_col = name_field(shape).and_then(|nf| {
            s.columns
                .iter()
                .position(|(_, _, c)| *c == Column::Field(nf))
                .and_then(|j| u32::try_from(j).ok())
        });
        if ix.shown.0.is_empty() {
            let nf = name_field(shape).unwrap_or("name");
            ix.shown = (
                pms_core::labels::struct_labels(shape.name)
                    .map_or(shape.name, |l| l.ja)
                    .to_owned(),
                pms_core::labels::field_ja(shape.name, nf).to_owned(),
            );
        }
        for (ri, row) in s.rows.iter().enumerate() {
            let Some(id) = s.id_of(ri).map(std::borrow::Cow::into_owned) else {
                continue;
            };
            let name = name_col.and_then(|j| {
                row.values.iter().find_map(|(c, v)| match v {
                    Val::Text(t) if *c == j => Some(crate::fold::fold(s.texts.get(*t))),
                    _ => None,
                })
            });
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                let ids = ix.names.entry(name).or_default();
                if !ids.contains(&id) {
                    ids.push(id.clone());
                }
            }
            ix.ids.insert(id);
        }
    }
    found.then_some(ix)
}

/// What became of one reference text.
enum Resolved {
    /// An id, or a text no record is named: left as written.
    Kept,
    /// The name of exactly one record: its id.
    Id(String),
    /// The name of several records: their ids.
    Ambiguous(Vec<String>),
}

fn resolve_one(ix: &Index, text: &str) -> Resolved {
    if ix.ids.contains(text) {
        return Resolved::Kept;
    }
    match ix.names.get(&crate::fold::fold(text)).map(Vec::as_slice) {
        Some([one]) => Resolved::Id(one.clone()),
        Some(many) if many.len() > 1 => Resolved::Ambiguous(many.to_vec()),
        _ => Resolved::Kept,
    }
}

/// Replaces each reference written as the name of exactly one record of the referenced
/// ledger by that record's id (see the module documentation). Notes go to the sheet when
/// `explain`; a name several records share is an error in `diags`.
pub(crate) fn resolve(ledgers: &mut Ledgers, explain: bool, diags: &mut Vec<Diagnostic>) {
    // Which structs are referenced by a column of a sheet, and the index of each of those read.
    let mut indexes: BTreeMap<&'static str, Option<Index>> = BTreeMap::new();
    for s in &ledgers.sheets {
        for (_, _, c) in &s.columns {
            if let Some(t) = ref_target(s.target.shape(), c) {
                indexes.entry(t).or_insert(None);
            }
        }
        // A nested list's parent column (`教育計画` of a 計画項目 sheet) may name its record too.
        if let Target::Nested { parent, .. } = s.target {
            indexes.entry(parent.name).or_insert(None);
        }
    }
    if indexes.is_empty() || !any_by_name(&ledgers.sheets, &indexes) {
        return;
    }
    for (t, ix) in &mut indexes {
        *ix = index_of(&ledgers.sheets, t);
    }
    for s in &mut ledgers.sheets {
        let shape = s.target.shape();
        let columns: Vec<(u32, u32, String, &Index)> = s
            .columns
            .iter()
            .enumerate()
            .filter_map(|(j, (col, _, c))| {
                let ix = indexes.get(ref_target(shape, c)?)?.as_ref()?;
                Some((u32::try_from(j).ok()?, *col, c.path(), ix))
            })
            .collect();
        let parent_ix = match s.target {
            Target::Nested { parent, .. } => indexes.get(parent.name).and_then(Option::as_ref),
            Target::Entity(_) => None,
        };
        if columns.is_empty() && parent_ix.is_none() {
            continue;
        }
        let (file, sheet, in_workbook) = (s.file.as_str(), s.sheet.as_str(), s.in_workbook);
        let texts = &mut s.texts;
        let notes = &mut s.notes;
        for row in &mut s.rows {
            if let (Some(ix), Some((t, Some(col)))) = (parent_ix, row.parent.as_mut()) {
                let at = (row.row, *col);
                resolve_text(
                    ix,
                    t,
                    at,
                    "(parent)",
                    (file, sheet, in_workbook),
                    explain,
                    notes,
                    diags,
                );
            }
            for (j, v) in &mut row.values {
                let Some((_, col, path, ix)) = columns.iter().find(|(cj, ..)| cj == j) else {
                    continue;
                };
                // One reference text (by its index in the sheet's texts): an id, or a name
                // made the id of the one record so named.
                let mut one = |i: &mut usize| {
                    if matches!(resolve_one(ix, texts.get(*i)), Resolved::Kept) {
                        return;
                    }
                    let mut t = texts.get(*i).to_owned();
                    resolve_text(
                        ix,
                        &mut t,
                        (row.row, *col),
                        path,
                        (file, sheet, in_workbook),
                        explain,
                        notes,
                        diags,
                    );
                    if t != texts.get(*i) {
                        *i = texts.push(&t);
                    }
                };
                match v {
                    Val::Text(i) => one(i),
                    Val::List(items) => {
                        for item in items.iter_mut() {
                            match item {
                                Val::Text(i) => one(i),
                                Val::One(_, inner) => {
                                    if let Val::Text(i) = inner.as_mut() {
                                        one(i);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Whether any reference text [`resolve`] would look at is not the id of a record of its
/// ledger: only then are the names of the referenced ledgers folded into indexes (most
/// ledgers refer by id, and folding every record's name costs more than looking each
/// reference up among the ids).
fn any_by_name<T>(sheets: &[Sheet], targets: &BTreeMap<&'static str, T>) -> bool {
    // The ids of each referenced ledger read, borrowed from its sheets (hashed with foldhash:
    // a large set has millions of ids and references to look up).
    type Ids<'s> = HashSet<std::borrow::Cow<'s, str>, foldhash::fast::FixedState>;
    let mut ids: BTreeMap<&str, Ids<'_>> = BTreeMap::new();
    for s in sheets {
        let t = s.target.shape().name;
        if !targets.contains_key(t) {
            continue;
        }
        let set = ids.entry(t).or_default();
        set.extend((0..s.rows.len()).filter_map(|ri| s.id_of(ri)));
    }
    let not_id = |ix: &Ids<'_>, t: &str| !ix.contains(t);
    for s in sheets {
        let shape = s.target.shape();
        let columns: Vec<(u32, &Ids<'_>)> = s
            .columns
            .iter()
            .enumerate()
            .filter_map(|(j, (_, _, c))| {
                let ix = ids.get(ref_target(shape, c)?)?;
                Some((u32::try_from(j).ok()?, ix))
            })
            .collect();
        let parent_ix = match s.target {
            Target::Nested { parent, .. } => ids.get(parent.name),
            Target::Entity(_) => None,
        };
        if columns.is_empty() && parent_ix.is_none() {
            continue;
        }
        for row in &s.rows {
            if let (Some(ix), Some((t, Some(_)))) = (parent_ix, row.parent.as_ref()) {
                if not_id(ix, t) {
                    return true;
                }
            }
            for (j, v) in &row.values {
                let Some((_, ix)) = columns.iter().find(|(cj, _)| cj == j) else {
                    continue;
                };
                let by_name = |i: usize| not_id(ix, s.texts.get(i));
                let found = match v {
                    Val::Text(i) => by_name(*i),
                    Val::List(items) => items.iter().any(|item| match item {
                        Val::Text(i) => by_name(*i),
                        Val::One(_, inner) => matches!(inner.as_ref(), Val::Text(i) if by_name(*i)),
                        _ => false,
                    }),
                    _ => false,
                };
                if found {
                    return true;
                }
            }
        }
    }
    false
}

/// Gives the records of a sheet without a column for their site (an 入退室管理台帳 kept for the
/// one office) the site the ledgers hold, when they hold exactly one: as a nested list of the
/// one organisation may leave out its parent column, a one-site company's logs may leave out
/// their 拠点. With several sites (or none read from the ledgers) the site stays unrecorded.
pub(crate) fn one_site(ledgers: &mut Ledgers, explain: bool) {
    let mut sites = ledgers.sheets.iter().filter(|s| {
        matches!(s.target, Target::Nested { parent, field, .. } if parent.name == "organization" && field == "sites")
    });
    let (Some(sheet), None) = (sites.next(), sites.next()) else {
        return;
    };
    let ([_], Some(id)) = (
        sheet.rows.as_slice(),
        sheet.id_of(0).map(std::borrow::Cow::into_owned),
    ) else {
        return;
    };
    for s in &mut ledgers.sheets {
        let Target::Entity(shape) = s.target else {
            continue;
        };
        let Some(f) = shape
            .fields
            .iter()
            .find(|f| matches!(f.ty, Ty::Ref("site")))
        else {
            continue;
        };
        if s.rows.is_empty()
            || s.columns
                .iter()
                .any(|(_, _, c)| *c == Column::Field(f.name))
        {
            continue;
        }
        let first = s.columns.first().map_or(0, |c| c.0);
        s.add_column(
            first,
            String::new(),
            Column::Field(f.name),
            &serde_json::Value::String(id.clone()),
        );
        if explain {
            let at = crate::table::at(&s.file, &s.sheet, s.in_workbook, s.header_row, first);
            s.notes.push(Note {
                at,
                text: format!(
                    "no {} column: every row is of the one site the ledgers hold, {}",
                    pms_core::labels::field_ja(shape.name, f.name),
                    id
                ),
            });
        }
    }
}

/// Resolves one reference text in place (see [`resolve`]): an id or an unknown text stays,
/// the name of one record becomes its id (noted when `explain`), the name of several is an
/// error located at the cell.
#[allow(clippy::too_many_arguments)]
fn resolve_text(
    ix: &Index,
    t: &mut String,
    (row, col): (u32, u32),
    path: &str,
    (file, sheet, in_workbook): (&str, &str, bool),
    explain: bool,
    notes: &mut Vec<Note>,
    diags: &mut Vec<Diagnostic>,
) {
    match resolve_one(ix, t) {
        Resolved::Kept => {}
        Resolved::Id(id) => {
            if explain {
                notes.push(Note {
                    at: crate::table::at(file, sheet, in_workbook, row, col),
                    text: format!(
                        "`{t}` → {id} (the {} so named: {}; 名前で参照)",
                        ix.shown.0, ix.shown.1
                    ),
                });
            }
            *t = id;
        }
        Resolved::Ambiguous(ids) => diags.push(
            Diagnostic::error(
                codes::AMBIGUOUS_NAME,
                format!(
                    "`{t}` names {} records of {} ({}): {}",
                    ids.len(),
                    ix.shown.0,
                    ix.shown.1,
                    ids.join(", ")
                ),
            )
            .at(crate::table::location(
                file,
                sheet,
                in_workbook,
                row,
                Some(col),
                Some(path.to_owned()),
            ))
            .ja(format!(
                "`{t}` は{}の {} 件の記録（{}）に当たる: {}",
                ix.shown.0,
                ids.len(),
                ix.shown.1,
                ids.join(", ")
            ))
            .help(format!(
                "write the id of the one meant ({}) instead of the name",
                ids.join(" / ")
            ))
            .help_ja(format!(
                "名前の代わりに、指す記録の id（{}）を書く",
                ids.join(" / ")
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::{read_files, ReadOptions};

    fn read(
        files: &[(&str, &str)],
        explain: bool,
    ) -> Result<crate::Ledgers, Vec<pms_core::Diagnostic>> {
        let files: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(n, t)| ((*n).to_owned(), t.as_bytes().to_vec()))
            .collect();
        read_files(
            &files,
            &ReadOptions {
                explain,
                ..ReadOptions::default()
            },
        )
    }

    const WORKFORCE: &str =
        "社員番号,氏名,入社日\nW-001,山田 太郎,2020/4/1\nW-002,佐藤花子,2021/4/1\n";

    #[test]
    fn a_reference_by_name_becomes_the_id_and_is_explained() {
        let l = read(
            &[
                ("従業者名簿.csv", WORKFORCE),
                (
                    "受講者名簿.csv",
                    "ID,受講者,受講日\nTR-1,山田太郎,2025/6/1\nTR-2,ｻﾄｳ,2025/6/1\nTR-3,W-002,2025/6/1\n",
                ),
            ],
            true,
        )
        .unwrap();
        let json = crate::to_json(&l).unwrap();
        let recs = json["training_records"].as_array().unwrap();
        // Width and spacing do not matter; an id stays; an unknown text is left to the loader.
        assert_eq!(recs[0]["person_id"], "W-001");
        assert_eq!(recs[1]["person_id"], "サトウ");
        assert_eq!(recs[2]["person_id"], "W-002");
        let notes = l.notes();
        assert!(
            notes
                .iter()
                .any(|n| n.at == "受講者名簿.csv!B2" && n.text.contains("山田太郎` → W-001")),
            "{notes:?}"
        );
    }

    #[test]
    fn a_nested_sheets_parent_column_may_name_its_record() {
        let l = read(
            &[
                (
                    "文書管理台帳.csv",
                    "文書番号,文書名,文書種別\nDOC-1,個人情報保護方針,内部向け方針\nDOC-2,個人情報保護規程,規程\n",
                ),
                (
                    "改訂履歴.csv",
                    "文書,版数,承認日\n個人情報保護規程,第3版,2025/4/1\nDOC-1,第2版,2025/4/1\n",
                ),
            ],
            true,
        )
        .unwrap();
        let json = crate::to_json(&l).unwrap();
        let docs = json["documents"].as_array().unwrap();
        assert_eq!(docs[1]["versions"][0]["version"], "第3版");
        assert_eq!(docs[0]["versions"][0]["version"], "第2版");
        assert!(l
            .notes()
            .iter()
            .any(|n| n.at == "改訂履歴.csv!A2" && n.text.contains("→ DOC-2")));
    }

    #[test]
    fn a_one_site_companys_daily_log_is_of_that_site() {
        let files = |sites: &str| {
            vec![
                ("組織情報.csv", "ID,名称\nORG,見本株式会社\n".to_owned()),
                ("拠点.csv", format!("拠点ID,拠点名\n{sites}")),
                (
                    "入退室管理台帳.csv",
                    "日付,解錠者,施錠者\n2025/6/2,山田,佐藤\n".to_owned(),
                ),
            ]
        };
        let one = files("S-1,本社\n");
        let one: Vec<(&str, &str)> = one.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let l = read(&one, true).unwrap();
        let json = crate::to_json(&l).unwrap();
        assert_eq!(json["entry_logs"][0]["site_id"], "S-1");
        assert!(l
            .notes()
            .iter()
            .any(|n| n.at.starts_with("入退室管理台帳.csv") && n.text.contains("one site")));
        // Two sites: which one is not the reader's to say.
        let two = files("S-1,本社\nS-2,大阪\n");
        let two: Vec<(&str, &str)> = two.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let json = crate::to_json(&read(&two, false).unwrap()).unwrap();
        assert!(json["entry_logs"][0].get("site_id").is_none());
    }

    #[test]
    fn a_name_two_records_share_is_an_error_naming_both() {
        let e = read(
            &[
                (
                    "従業者名簿.csv",
                    "社員番号,氏名\nW-001,山田太郎\nW-007,山田　太郎\n",
                ),
                (
                    "受講者名簿.csv",
                    "ID,受講者,受講日\nTR-1,山田太郎,2025/6/1\n",
                ),
            ],
            false,
        )
        .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].code, pms_core::diagnostic::codes::AMBIGUOUS_NAME);
        assert!(e[0].message.contains("W-001, W-007"), "{}", e[0].message);
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!(
            (loc.file.as_str(), loc.line, loc.column),
            ("受講者名簿.csv", Some(2), Some(2))
        );
    }

    #[test]
    fn list_references_and_nested_targets_resolve() {
        let l = read(
            &[
                ("組織.csv", "ID,名称\nORG,見本株式会社\n"),
                ("部門.csv", "ID,部門名\nD-01,営業部\nD-02,総務部\n"),
                (
                    "従業者名簿.csv",
                    "社員番号,氏名,所属\nW-001,山田太郎,営業部\n",
                ),
                (
                    "委託先一覧.csv",
                    "ID,委託先名,個人情報の取扱い\nC-1,ABC株式会社,○\n",
                ),
                (
                    "個人情報管理台帳.csv",
                    "ID,個人情報の名称,管理部門,委託先\nI-1,顧客名簿,総務部,ＡＢＣ株式会社\n",
                ),
            ],
            false,
        )
        .unwrap();
        let json = crate::to_json(&l).unwrap();
        assert_eq!(json["workforce"][0]["department_id"], "D-01");
        assert_eq!(json["inventory"][0]["department_id"], "D-02");
        assert_eq!(json["inventory"][0]["entrusted_to"][0], "C-1");
    }

    #[test]
    fn a_column_repeating_the_referenced_records_field_is_passed_over_and_explained() {
        let l = read(
            &[
                ("従業者名簿.csv", WORKFORCE),
                (
                    "受講者名簿.csv",
                    "氏名,所属,雇用区分,受講日\n山田太郎,営業部,正社員,2025/6/1\n",
                ),
            ],
            true,
        )
        .unwrap();
        let json = crate::to_json(&l).unwrap();
        let rec = json["training_records"][0].as_object().unwrap();
        assert_eq!(rec["person_id"], "W-001");
        assert!(!rec.contains_key("department_id"), "{rec:?}");
        let notes = l.notes();
        assert!(
            notes.iter().any(|n| n.at == "受講者名簿.csv!C1"
                && n.text
                    .contains("repeats the 従業者's 雇用区分 (through 受講者)")),
            "{notes:?}"
        );
        // Without the reference column the same header names nothing: an unknown column.
        let e = read(
            &[
                ("従業者名簿.csv", WORKFORCE),
                ("受講者名簿.csv", "ID,所属,受講日\nTR-1,営業部,2025/6/1\n"),
            ],
            false,
        )
        .unwrap_err();
        assert!(
            e.iter()
                .any(|d| d.code == pms_core::diagnostic::codes::UNKNOWN_FIELD),
            "{e:?}"
        );
    }
}
