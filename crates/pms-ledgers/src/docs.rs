//! `docs/import.md`: how ledgers are read, written from the same vocabulary the reader uses
//! (a test in `pms-rules` keeps the file in step; `UPDATE_GOLDEN=1` rewrites it).

use crate::vocab::{self, Column, Headers, Target};
use pms_core::labels;
use pms_core::schema::Ty;
use std::fmt::Write as _;

const INTRO: &str = r#"# Reading the ledgers you keep

pms reads the Excel and CSV ledgers a Privacy Mark office already keeps — 個人情報管理台帳,
教育実施記録と受講者名簿, 委託先一覧と評価表, 入退室管理台帳 … — as they are: no rewriting into
JSON first. Every command that reads records takes them:

```sh
pms check ledgers/                 # a directory of .xlsx/.xlsm/.ods/.csv/.tsv (and .json/.yaml) files
pms check 台帳.xlsx                 # one workbook: every sheet that is a ledger
pms validate 委託先一覧.csv --encoding shift_jis
pms import ledgers/ -o records.yaml          # the records in pms's own format, for review and git
pms import ledgers/ --explain -o records.yaml   # and how each value was read
pms import ledgers/ --suggest-map map.yaml      # the sheet → entity, column → field map, `?` where unsure
pms import ledgers/ --map map.yaml -o records.yaml
```

Importing `records.yaml` again gives the same file: the output is the input format.

## How a sheet is recognised

1. **By its name** (or, for a CSV file, the file name): the Japanese name of a ledger, one of
   the names offices use, or the English entity name — `受講者名簿`, `受講記録`,
   `training_records`. Width, spacing and a note in brackets do not matter
   (`従業者名簿（2025年4月）`), and a longer name containing a known one is read as it
   (`2025年度教育記録`). The accepted names are listed per ledger below.
2. **By the workbook's file name**, for a sheet named `Sheet1`.
3. **By its header row**: the ledger whose fields the header names most.
4. **By a map** (`--map`), which overrides the others.

A sheet that is none of these (a cover page, instructions) is passed over and listed by
`--explain`; so are hidden sheets. A ledger split over several sheets or files (`従業者名簿`,
`従業者名簿(2)`) is read as one.

**The header row** need not be the first: title rows, a 作成日/承認欄 block, merged cells and
blank rows above it are skipped — the header is the row among the first 40 that names the most
fields. A row right under it that names the same fields again (English field names under the
Japanese labels, as in the template) belongs to the header. Headers are matched after Unicode
NFKC normalisation (full-width and half-width forms are the same), without spaces, marks such
as `※` or `*`, and a note in brackets (`件数（概数）` is `件数`).

**Two-tier headers** — titles merged down over two rows (`No`, `委託先名`) beside group labels
merged across the names below them (`評価` over 評価日・評価者・合否, `契約条項` over 監査権・再委託)
— are read from the lower row: a title merged from above names its column, and a name under a
group label is read as `group.name` first (`契約条項.再委託` is the contract's clause, not the
contractor's 再委託先), then alone. In a map (`--map`, `--suggest-map`) a word that names
different fields under two group labels is keyed with its group (`評価.日付`, `契約.日付`).

**Wide risk analyses.** A リスク分析表 kept one row per ledger item, with a group label per
lifecycle stage (`取得・入力`, `移送・送信`, `利用・加工`, `保管・バックアップ`, `消去・廃棄`; also
`取得時`, `①取得`) merged across that stage's columns (リスク, 発生可能性, 影響度, 対策, 残留リスク),
gives one risk assessment per item and stage whose columns hold a value. The row's other
columns (個人情報, 分析日, 承認者) are every stage's; the stage is the group label's; the id is the
row's followed by the stage (`リスク分析表-5-取得`, or `RA-1-取得` with an id column). A row whose
stage columns are all blank gives no assessment (the checks then find the item unanalysed), and
`--explain` says so for each row. A field named twice in one group, or both under the groups and
in a column of its own, is an error (E1032) at the header cell. With `--map`, each column is
written once by its word (`リスク: risk_desc`): the group above it gives its stage.

**Groups of fields** (a contract's clauses, a review's inputs, an employee's leave) are columns
named `group.field` — `契約条項.監査権` or `clauses.audit_right` — or by the field's label alone
(`監査権`) where the sheet has no other column of that name.

**Auditors and action items in one cell.** An 内部監査報告書's 監査員 (`佐藤 花子、鈴木 一郎`)
and a マネジメントレビュー's 指示事項 (one per line) are lists of objects written in one cell: each
item is an auditor (the person, by id or 氏名) or an action item (its description). Their other
fields (an auditor's own department, an item's owner and due date) need the list's own sheet.

**A document and its current version in one row.** A 文書管理台帳 keeps each document in one
row with its current version: 版, 制定日, 改訂日, 承認者, 承認日, 配布先 are read as the first
item of the document's versions; earlier versions, where an office keeps them, are rows of the
`文書.版` sheet and follow it. Its 保管場所 and 保存期間 are the document's own.

**Exports of HR systems.** A 社員マスタ exported from a 人事 or 勤怠 system (Shift_JIS CSV) is read
with its usual columns: 所属コード (the department's id) beside 所属名 (its name, passed over),
or 所属名 alone (the department, by name); 入社年月日, 退職年月日; 部門マスタ's 部門長. Columns of
personal data no check needs (生年月日, 性別, 住所, 電話番号, 給与 …) are passed over and never read
into the records; `--explain` lists them.

**Lists of things inside a record** (an organisation's sites and departments, a plan's items, an
audit's auditors) are sheets of their own, named `ledger.list` (`教育計画.計画項目`,
`training_plans.items`) or by the list's own name where that is unambiguous (`部門`, `拠点`),
with a column naming the record they belong to (`教育計画`: the plan's id). Where the ledger
holds one record (the organisation), that column may be left out.

**A plan kept as its items.** A 監査計画書 (or 教育計画書) is usually one sheet per year: a title
(`令和7年度 内部監査計画書`), an approval block (承認者 · 承認日), then one row per planned audit
(対象部門 · 予定日 · 監査員 · 備考). A sheet named after a ledger whose header names more fields of
one of its lists than of the ledger itself holds that list: here the plan's items. Its rows
belong to the one plan in the ledgers; where the ledgers hold none, to the plan its title block
describes — each label there that names a field of the plan (承認者, 承認日, 年度, 対象期間…) with
the value to its right, and a fiscal year in the title (`2025年度`, `令和7年度`, `R7年度`) as its
年度 — whose id is the sheet's name. Stamp boxes (`承認 | 確認 | 作成`) are passed over. With
several plans and no column naming the plan, each row is an error asking for it. `--explain`
shows what the title block gave.

**Day by day.** An 入退室管理台帳 kept one row per day (日付, 解錠時刻, 解錠者, 施錠時刻, 施錠者) is
read with each row the log of its one day: a single date column is both the first and the
last day. **One site**: where the ledgers hold exactly one 拠点, a ledger without a 拠点 column
(an 入退室管理台帳, a 来訪者管理表) is of that site; with several, a record without its site is
insufficient data for the checks that need it. `--explain` says both.

**Rosters with a 受講 column.** A 受講者名簿 that lists every member with 受講 (or 出欠, 受講有無)
○/× gives a training record for each ○ row; a × row is no record (the member did not attend,
and the checks then find the member untrained), shown by `--explain`. With `--map` the column
is written `(record if yes)`.

**What a ledger's name says.** An 指摘事項 sheet without a 発見元 column takes it from its
name: `内部監査指摘事項` lists internal-audit findings, `外部審査…` external ones, `運用確認…`
operational checks', `苦情…` complaints', `マネジメントレビュー…` the review's (`--explain`).

Records need an id (`ID`, `No`, `管理番号` …). A sheet without an id column gets ids from its
name and row (`受講者名簿-5`), shown by `--explain`.

**References between sheets** are ids, as in YAML (a 受講者 column holding the 社員番号 of the
従業者名簿), or the **names** offices write: a 受講者 or 評価者 by 氏名, a 委託先 by 委託先名, a
所属 or 管理部門 by 部門名, a ledger item by 個人情報の名称, a session by its title. A text that
is not an id of the referenced ledger is looked up among its records' names (width, spacing
and case do not matter) and read as the id of the one record so named, shown by `--explain`;
a name two records share is an error (E1038) listing their ids — write the id there. Only
ledgers are searched: references to records kept in JSON or YAML beside them are ids.

**Columns that repeat the referenced record** — a 受講者名簿's 所属 and 雇用区分 (the
受講者's), a 委託先評価表's 委託業務内容 or 認証 (the 委託先's) — are passed over where the
sheet also has the reference column (受講者, 委託先): the value is read from the referenced
record's own ledger, which stays the one source (a list written last year keeps last year's
所属). `--explain` names each such column; `--suggest-map` marks it `ignore`.

**Combined ledgers** — one 委託先管理台帳 whose row also carries the contractor's latest
evaluation (評価日, 評価者, 評価点, 合否, 次回評価予定日, 承認者) and its contract or 覚書
(契約/覚書締結日, 契約満了日, the clauses), or a 委託先評価表 with the 契約締結日 beside each
evaluation — are read as the records the model keeps apart: each row gives its own record
and, when any of those cells holds a value, an evaluation or a contract pointing at the row's
contractor, with an id from the sheet, row and ledger (`委託先管理台帳-5-委託先評価`), shown by
`--explain`. A row whose evaluation cells are all blank gives no evaluation (the contractor
is then not evaluated, as the checks say). Likewise a 教育実施報告書 whose 受講者 column lists
the attendees (by id or 氏名) gives each of them a 受講記録 of that session, completed on its
実施日 and taken by the row's 実施方法. With `--map` such a column is written with its ledger
(`contractor_evaluations.evaluated_on`, `contracts.signed_on`). Each ledger's entry below says
which records its rows may also hold.

## How values are read

| field type | accepted | read as |
|---|---|---|
| date | date cells, Excel serial numbers, `2025-04-01`, `2025/4/1`, `2025.4.1`, `2025年4月1日`, `20250401`, `R7.4.1`, `r07/04/01`, `令和7年4月1日`, `令和元年5月1日`, `平成31年4月30日`, `H31.4.30`, `昭和64年1月7日`, `㍻31年4月1日`; full-width digits; a time or weekday after the date is ignored | `2025-04-01` |
| 和暦 boundaries | 令和 from 2019-05-01, 平成 1989-01-08 – 2019-04-30, 昭和 1926-12-25 – 1989-01-07, 大正, 明治; `平成31年5月1日`, `令和元年4月30日`, `平成32年1月1日` and `令和7年2月29日` are errors (E1004) | |
| yes/no | `○` `◯` `〇` `●` `✓` `✔` `☑` `■` `レ` `有` `あり` `はい` `済` `要` `合格` `有効` `TRUE` `1` / `×` `✕` `□` `無` `なし` `いいえ` `未` `不要` `不合格` `無効` `FALSE` `0`, and Excel's TRUE/FALSE | `true` / `false` |
| number | numbers; `1,200`, `１２００`, `約1200件`, `85点` (a leading 約 and a trailing unit are dropped) | `1200` |
| list | one item per line; else separated by `、` `,` `;`; else by `・` — `氏名、住所、電話番号`, `氏名・住所`; a cell with line breaks is split only at them, so `商品・サービスのご案内` stays one item | `[氏名, 住所, 電話番号]` |
| one of (enum) | the value, its Japanese name or an alias below: `集合研修` → `classroom`, `eラーニング` → `e-learning`, `派遣社員` → `派遣` | the value |
| id, text | as written (ids with full-width letters or digits folded to ASCII) | |
| list, reference | `なし` `無し` `無` `該当なし` `特になし` `none`: nothing named (`委託先: なし`, `異常: 特になし`), never an item so named | `[]` (a list), absent (a reference) |
| anything | an empty cell, or a cell holding only `-` `－` `ー` `―`, is not recorded | absent |

Formulas are read by the value Excel saved with them; a formula without a saved value (a file
written by a program, never opened in Excel) is an error (E1034) — open and save it once.

CSV and TSV files may be UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order
mark, Shift_JIS/CP932 (Japanese Excel's default) or EUC-JP: detected, or named with
`--encoding`. A byte that is not valid in the encoding is an error naming the encoding and the
byte's offset (E1031), never garbled text.

## Problems

Every problem of every file and sheet is reported before the set is rejected, at its cell —
`教育記録.xlsx!受講者名簿!D14` (CSV: `受講者.csv!D14`) — with the codes the JSON loader uses
(E1002 unknown column, with "did you mean"; E1003 wrong value; E1004 date; E1005 enum; E1007
duplicate id; E1008 reference) and these:

| code | meaning |
|---|---|
| E1030 | the workbook is damaged, password-protected or not a workbook |
| E1031 | a CSV/TSV file is not valid in its encoding |
| E1032 | two columns name the same field |
| E1033 | merged cells inside the data (merge only titles above the header) |
| E1034 | a formula without a saved value |
| E1035 | too large: more rows than `--max-rows` (default 100,000), or a workbook that would unzip to more than 1 GiB (a zip bomb) |
| E1036 | a sheet named after a ledger has no header row naming its fields |
| E1037 | the `--map` file is not valid |
| E1038 | a reference written as a name that several records of the referenced ledger share |

## Worked example

`教育記録.xlsx`, sheet `受講者名簿`, as many offices keep it:

|   | A | B | C | D | E | F |
|---|---|---|---|---|---|---|
| 1 | 2025年度 受講者名簿 (merged A1:F1) | | | | | |
| 2 | 作成日 | 令和7年4月1日 | | 承認 | 代表取締役 | |
| 3 | | | | | | |
| 4 | No | 受講者 | 教育 | 受講日 | 受講方法 | 合否 |
| 5 | TR-0001 | W-001 | TS-2025 | R7.6.10 | 集合研修 | ○ |
| 6 | TR-0002 | W-021 | TS-2025 | 2025/6/12 | eラーニング | × |

`pms import 教育記録.xlsx --explain -o records.yaml` finds the sheet by its name, the header in
row 4, and writes

```yaml
training_records:
  - id: TR-0001
    person_id: W-001
    session_id: TS-2025
    completed_on: "2025-06-10"
    method: classroom
    passed: true
  - id: TR-0002
    ...
```

explaining `教育記録.xlsx!受講者名簿!D5: R7.6.10 → 2025-06-10 (和暦)` and
`…!F5: `○` → true`. A typo in a header (`受講曰`) stops the import with
`error[E1002]: column `受講曰` names no field of 受講記録 (training_records)` at
`教育記録.xlsx!受講者名簿!D4` and `did you mean `受講日`?`.

A map says what the names do not. `--suggest-map map.yaml` writes one to start from, for
every sheet and every CSV/TSV file of the sources, including those the reader cannot read yet
(an export from a 勤怠 or 人事 system headed by its own words): each header in column order
with the field it names, and `?` where the reader cannot tell the entity or a field (listed on
standard error with a "did you mean"). Replace each `?` by an entity or a field, or a column
or a whole sheet (a cover page, a tally) by `ignore`, and pass the map back with `--map`; a
`?` left in it is an error (E1037) at its sheet or header cell. A nested list's parent column
is written `(parent)`, a column of a combined ledger with its ledger (`contracts.signed_on`).

```yaml
"勤怠エクスポート.csv":
  entity: workforce
  columns:
    社員No: id
    所属コード: department_id
    備考: ignore
```

## Accepted sheet names and headers

Generated from the label table (`crates/pms-core/src/labels.rs`) that the reader, the template
and Japanese reports share. Each ledger lists the sheet names that find it, then per column the
header pms writes, the other headers it accepts, and the kind of value.
"#;

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn kind(ty: &Ty) -> String {
    match labels::enum_values(ty) {
        Some(values) => {
            let words: Vec<String> = values
                .iter()
                .map(|v| match labels::value_label(v) {
                    Some(l) if l.ja != *v => format!("{} (`{v}`)", l.ja),
                    _ => format!("`{v}`"),
                })
                .collect();
            let list = if matches!(ty, Ty::List(_)) {
                "list of "
            } else {
                ""
            };
            format!("{list}one of {}", words.join(", "))
        }
        None => vocab::type_name(ty),
    }
}

/// The whole of `docs/import.md`.
#[must_use]
pub fn import_md() -> String {
    let mut out = String::from(INTRO);
    let vocabulary = vocab::vocabulary();
    let names_of = |t: &Target| -> Vec<String> {
        vocabulary
            .get("targets")
            .and_then(|ts| ts.as_array())
            .and_then(|ts| {
                ts.iter()
                    .find(|x| x.get("target").and_then(|n| n.as_str()) == Some(&t.name()))
            })
            .and_then(|x| x.get("sheet_names"))
            .and_then(|n| n.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    for t in vocab::all_targets() {
        let shape = t.shape();
        let _ = writeln!(out, "\n### {} — `{}`\n", t.name_ja(), t.name());
        let names = names_of(&t);
        if names.is_empty() {
            let _ = writeln!(
                out,
                "Sheet name: `{}.…` with its ledger (its own name is shared).\n",
                t.name()
            );
        } else {
            let shown: Vec<String> = names.iter().map(|n| format!("`{}`", esc(n))).collect();
            let _ = writeln!(out, "Sheet names: {}\n", shown.join(", "));
        }
        if let Target::Nested { parent, .. } = t {
            let _ = writeln!(
                out,
                "Parent column: `{}` (or `{}`): the id of its record.\n",
                parent.name_ja, parent.name
            );
        }
        let also: Vec<String> = crate::companion::of(t)
            .iter()
            .map(|(c, ct, _)| {
                format!(
                    "{} (`{}`, its `{}` the row's {})",
                    ct.name_ja(),
                    c.entity,
                    c.link,
                    if c.from == "id" {
                        "own record".to_owned()
                    } else {
                        format!("`{}`", c.from)
                    }
                )
            })
            .collect();
        if !also.is_empty() {
            let _ = writeln!(
                out,
                "A row may also hold (see Combined ledgers, its columns named as in those ledgers): {}.\n",
                also.join("; ")
            );
        }
        let _ = writeln!(out, "| field | header | also accepted | value |");
        let _ = writeln!(out, "|---|---|---|---|");
        let headers = Headers::of(t);
        for f in shape.fields {
            match f.ty {
                Ty::Obj(sub) => {
                    let Some(sub_shape) = pms_core::schema::find_struct(sub) else {
                        continue;
                    };
                    let group = labels::field_ja(shape.name, f.name);
                    for g in sub_shape.fields {
                        let alone = labels::field_label(sub, g.name)
                            .map(|l| {
                                std::iter::once(l.ja)
                                    .chain(l.aliases.iter().copied())
                                    .filter(|w| {
                                        headers.column(w) == Ok(Some(Column::Sub(f.name, g.name)))
                                    })
                                    .map(|w| format!("`{}`", esc(w)))
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default();
                        let _ = writeln!(
                            out,
                            "| `{}.{}` | {}.{} | {} | {} |",
                            f.name,
                            g.name,
                            esc(group),
                            esc(labels::field_ja(sub, g.name)),
                            alone.join(", "),
                            esc(&kind(&g.ty))
                        );
                    }
                }
                _ => {
                    let l = labels::field_label(shape.name, f.name);
                    let aliases: Vec<String> = l
                        .map(|l| {
                            l.aliases
                                .iter()
                                .filter(|w| headers.column(w) == Ok(Some(Column::Field(f.name))))
                                .map(|w| format!("`{}`", esc(w)))
                                .collect()
                        })
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "| `{}`{} | {} | {} | {} |",
                        f.name,
                        if f.required { " (required)" } else { "" },
                        esc(l.map_or(f.name, |l| l.ja)),
                        aliases.join(", "),
                        esc(&kind(&f.ty))
                    );
                }
            }
        }
    }
    let _ = writeln!(out, "\n## Values by their Japanese names\n");
    let _ = writeln!(out, "| value | written | also accepted |");
    let _ = writeln!(out, "|---|---|---|");
    for v in labels::ENUM_VALUES {
        let aliases: Vec<String> = v.aliases.iter().map(|a| format!("`{}`", esc(a))).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            v.value,
            esc(v.ja),
            aliases.join(", ")
        );
    }
    out.push_str(crate::template::DOCS);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_lists_every_ledger_and_the_words_the_reader_accepts() {
        let md = super::import_md();
        assert!(md.contains("### 受講記録 — `training_records`"));
        assert!(md.contains("`受講者名簿`"));
        assert!(md.contains("| `retention_rule` | 保管期間 | `保存期間` |"));
        assert!(md.contains("| `clauses.audit_right` | 契約条項.監査権 |"));
        assert!(md.contains("Parent column: `組織` (or `organization`)"));
    }
}
