//! The renewal application's summaries (申請書類): 様式7 教育実施サマリー and 様式8 内部監査・
//! マネジメントレビュー実施サマリー, over the two years before a date.
//!
//! ```text
//! records (entity → JSON records) + report JSON (gaps) ──summary──▶ Summary (tables)
//! Summary ──to_markdown / to_csv / to_xlsx──▶ bytes
//! ```
//!
//! A summary is assembled from the records; where a record the form needs is missing, the
//! cell or row says so with the rule that checks it (「記録なし（R-AUD-01）」) instead of
//! staying blank, and the report's gaps of the form's rules are listed after the tables.

use chrono::{Months, NaiveDate};
use pms_core::sorting::set_of;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Which application form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// 様式7 教育実施サマリー: the training sessions.
    Training,
    /// 様式8 内部監査・マネジメントレビュー実施サマリー: internal audits and management reviews.
    AuditReview,
}

impl Form {
    /// The form for its number on the application (7 or 8).
    #[must_use]
    pub fn from_number(n: u32) -> Option<Form> {
        match n {
            7 => Some(Form::Training),
            8 => Some(Form::AuditReview),
            _ => None,
        }
    }

    /// The rule-id prefixes whose gaps the form lists.
    fn rule_prefixes(self) -> &'static [&'static str] {
        match self {
            Form::Training => &["R-TRN-"],
            Form::AuditReview => &["R-AUD-", "R-MR-", "R-CA-"],
        }
    }
}

/// One table of a summary (one sheet of the workbook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The table's name (the sheet name; at most 31 characters).
    pub name: String,
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows of cells, as many as headings.
    pub rows: Vec<Vec<String>>,
}

/// An application summary: its title, period and tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The form's title.
    pub title: String,
    /// The company.
    pub organization: String,
    /// First day of the period (two years before `to`).
    pub from: NaiveDate,
    /// Last day of the period (the date asked for).
    pub to: NaiveDate,
    /// The tables, in the order of the form.
    pub tables: Vec<Table>,
}

/// The records by entity, read from their JSON form.
pub type Records = BTreeMap<String, Vec<Value>>;

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

fn date(v: &Value, k: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s(v, k), "%Y-%m-%d").ok()
}

fn list<'a>(v: &'a Value, k: &str) -> Vec<&'a Value> {
    v.get(k)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

struct Ctx<'a> {
    records: &'a Records,
    en: bool,
}

impl<'a> Ctx<'a> {
    fn t(&self, ja: &str, en: &str) -> String {
        if self.en { en } else { ja }.to_string()
    }

    fn all(&self, entity: &str) -> &'a [Value] {
        self.records.get(entity).map_or(&[], Vec::as_slice)
    }

    fn by_id(&self, entity: &str, id: &str) -> Option<&'a Value> {
        self.all(entity).iter().find(|r| s(r, "id") == id)
    }

    /// A person's name (the id when the person is not recorded).
    fn person(&self, id: &str) -> String {
        self.by_id("workforce", id)
            .map(|p| s(p, "name"))
            .filter(|n| !n.is_empty())
            .unwrap_or(id)
            .to_string()
    }

    fn department(&self, id: &str) -> String {
        self.all("organization")
            .iter()
            .flat_map(|o| list(o, "departments"))
            .find(|d| s(d, "id") == id)
            .map(|d| s(d, "name"))
            .filter(|n| !n.is_empty())
            .unwrap_or(id)
            .to_string()
    }

    /// The separator of items in a cell.
    fn sep(&self) -> &'static str {
        if self.en {
            ", "
        } else {
            "、"
        }
    }

    /// 「記録なし（rule）」: the cell of a record the form needs that is missing.
    fn missing(&self, rule: &str) -> String {
        if self.en {
            format!("not recorded ({rule})")
        } else {
            format!("記録なし（{rule}）")
        }
    }

    fn or_missing(&self, text: String, rule: &str) -> String {
        if text.trim().is_empty() {
            self.missing(rule)
        } else {
            text
        }
    }
}

fn topic(t: &str, en: bool) -> String {
    let ja = match t {
        "policy" => "個人情報保護方針",
        "importance" => "PMS適合の重要性と利点",
        "roles" => "役割と責任",
        "violation_consequences" => "違反した場合の結果",
        "incident_examples" => "事故事例",
        "auditing" => "内部監査",
        other => other,
    };
    if en {
        t.replace('_', " ")
    } else {
        ja.to_string()
    }
}

fn method(m: &str, en: bool) -> String {
    if en {
        return m.to_string();
    }
    match m {
        "classroom" => "集合研修",
        "e-learning" => "eラーニング",
        "external" => "外部研修",
        "self_study" => "自習",
        other => other,
    }
    .to_string()
}

/// Builds a summary from the records (entity name → its records as JSON, e.g. from
/// `RecordSet::entity_json`), the report of a check of them (for the gaps of the form's rules;
/// `Value::Null` for none) and the last day of the period; `lang` is `ja` or `en`.
#[must_use]
pub fn summary(
    records: &Records,
    report: &Value,
    form: Form,
    to: NaiveDate,
    lang: &str,
) -> Summary {
    let ctx = Ctx {
        records,
        en: lang == "en",
    };
    let from = to
        .checked_sub_months(Months::new(24))
        .and_then(|d| d.succ_opt())
        .unwrap_or(to);
    let in_period = |d: Option<NaiveDate>| d.is_some_and(|d| from <= d && d <= to);
    let mut tables = match form {
        Form::Training => vec![training(&ctx, &in_period)],
        Form::AuditReview => vec![audits(&ctx, &in_period), reviews(&ctx, &in_period)],
    };
    tables.push(gaps(&ctx, report, form));
    let organization = records
        .get("organization")
        .and_then(|o| o.first())
        .map(|o| s(o, "name").to_string())
        .unwrap_or_default();
    let title = match form {
        Form::Training => ctx.t("様式7 教育実施サマリー", "Form 7: training summary"),
        Form::AuditReview => ctx.t(
            "様式8 内部監査・マネジメントレビュー実施サマリー",
            "Form 8: internal audit and management review summary",
        ),
    };
    Summary {
        title,
        organization,
        from,
        to,
        tables,
    }
}

fn training(ctx: &Ctx<'_>, in_period: &dyn Fn(Option<NaiveDate>) -> bool) -> Table {
    let headers = [
        ("実施日", "Date"),
        ("教育名", "Session"),
        ("内容", "Content"),
        ("実施方法", "Method"),
        ("対象者", "Audience"),
        ("対象者数", "Expected"),
        ("受講者数", "Attended"),
        ("未受講者数", "Absent"),
        ("未受講者と補講", "Absentees and make-up"),
    ];
    let mut sessions: Vec<&Value> = ctx
        .all("training_sessions")
        .iter()
        .filter(|t| in_period(date(t, "date")))
        .collect();
    pms_core::sorting::sort_by_key(&mut sessions, |t| (date(t, "date"), s(t, "id").to_string()));
    let records = ctx.all("training_records");
    let mut rows = Vec::new();
    for t in sessions {
        let id = s(t, "id");
        let day = date(t, "date");
        let attended: Vec<&Value> = records
            .iter()
            .filter(|r| s(r, "session_id") == id)
            .collect();
        let attendees: BTreeSet<&str> = set_of(attended.iter().map(|r| s(r, "person_id")));
        let methods: BTreeSet<String> = set_of(
            attended
                .iter()
                .map(|r| s(r, "method"))
                .filter(|m| !m.is_empty())
                .map(|m| method(m, ctx.en)),
        );
        let expected: BTreeSet<String> = if s(t, "audience") == "listed" {
            set_of(
                list(t, "invitee_ids")
                    .into_iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            )
        } else {
            set_of(
                ctx.all("workforce")
                    .iter()
                    .filter(|w| {
                        date(w, "start_date").is_some_and(|d| Some(d) <= day)
                            && date(w, "end_date").is_none_or(|e| Some(e) >= day)
                    })
                    .map(|w| s(w, "id").to_string()),
            )
        };
        let absent: Vec<String> = expected
            .iter()
            .filter(|p| !attendees.contains(p.as_str()))
            .map(|p| {
                let makeup = records
                    .iter()
                    .filter(|r| s(r, "person_id") == p && s(r, "makeup_for_session_id") == id)
                    .filter_map(|r| date(r, "completed_on"))
                    .min();
                let name = ctx.person(p);
                match makeup {
                    Some(d) => format!("{name}: {}{d}", ctx.t("補講 ", "make-up on ")),
                    None => format!("{name}: {}", ctx.missing("R-TRN-04")),
                }
            })
            .collect();
        let topics: Vec<String> = list(t, "content_topics")
            .into_iter()
            .filter_map(Value::as_str)
            .map(|x| topic(x, ctx.en))
            .collect();
        let audience = if s(t, "audience") == "listed" {
            ctx.t("指名者", "listed people")
        } else {
            ctx.t("全従業者", "all active workers")
        };
        rows.push(vec![
            day.map(|d| d.to_string()).unwrap_or_default(),
            s(t, "title").to_string(),
            ctx.or_missing(topics.join(ctx.sep()), "R-TRN-05"),
            ctx.or_missing(
                methods.into_iter().collect::<Vec<_>>().join(ctx.sep()),
                "R-TRN-01",
            ),
            audience,
            expected.len().to_string(),
            attendees.len().to_string(),
            absent.len().to_string(),
            absent.join("\n"),
        ]);
    }
    if rows.is_empty() {
        rows.push(missing_row(ctx, headers.len(), "R-TRN-01"));
    }
    Table {
        name: ctx.t("教育実施", "Training"),
        headers: headers.iter().map(|(j, e)| ctx.t(j, e)).collect(),
        rows,
    }
}

/// A row saying that no record of the period exists, in the first column.
fn missing_row(ctx: &Ctx<'_>, columns: usize, rule: &str) -> Vec<String> {
    let mut row = vec![String::new(); columns];
    if let Some(first) = row.first_mut() {
        *first = ctx.missing(rule);
    }
    row
}

fn audits(ctx: &Ctx<'_>, in_period: &dyn Fn(Option<NaiveDate>) -> bool) -> Table {
    let headers = [
        ("実施期間", "Dates"),
        ("監査の種類", "Type"),
        ("対象範囲", "Scope"),
        ("監査員", "Auditors"),
        ("報告日", "Reported on"),
        ("指摘事項", "Findings"),
        ("是正処置", "Corrective actions"),
    ];
    let mut audits: Vec<&Value> = ctx
        .all("internal_audits")
        .iter()
        .filter(|a| in_period(date(a, "start_date")) || in_period(date(a, "end_date")))
        .collect();
    pms_core::sorting::sort_by_key(&mut audits, |a| {
        (date(a, "start_date"), s(a, "id").to_string())
    });
    let mut rows = Vec::new();
    for a in audits {
        let id = s(a, "id");
        let findings: Vec<&Value> = ctx
            .all("audit_findings")
            .iter()
            .filter(|f| s(f, "source") == "internal_audit" && s(f, "source_id") == id)
            .collect();
        let finding_text: Vec<String> = findings
            .iter()
            .map(|f| {
                let kind = match (s(f, "type"), ctx.en) {
                    ("nonconformity", false) => "不適合".to_string(),
                    ("observation", false) => "観察事項".to_string(),
                    (k, _) => k.replace('_', " "),
                };
                format!("{} {kind}: {}", s(f, "id"), s(f, "description"))
            })
            .collect();
        let cas: Vec<String> = findings
            .iter()
            .filter(|f| s(f, "type") == "nonconformity")
            .map(|f| {
                let ca = ctx
                    .all("corrective_actions")
                    .iter()
                    .find(|c| s(c, "finding_id") == s(f, "id"));
                match ca {
                    Some(c) => {
                        let state = match date(c, "implemented_on") {
                            Some(d) => format!("{}{d}", ctx.t("実施 ", "done ")),
                            None => format!(
                                "{}{}",
                                ctx.t("期限 ", "due "),
                                ctx.or_missing(s(c, "due_on").to_string(), "R-CA-02")
                            ),
                        };
                        format!(
                            "{} → {} {}: {} ({state})",
                            s(f, "id"),
                            s(c, "id"),
                            s(c, "status"),
                            ctx.or_missing(s(c, "action").to_string(), "R-CA-02")
                        )
                    }
                    None => format!("{} → {}", s(f, "id"), ctx.missing("R-CA-01")),
                }
            })
            .collect();
        let dates = match (date(a, "start_date"), date(a, "end_date")) {
            (Some(x), Some(y)) if x != y => format!("{x}〜{y}"),
            (Some(x), _) => x.to_string(),
            _ => String::new(),
        };
        let types: Vec<String> = list(a, "audit_type")
            .into_iter()
            .filter_map(Value::as_str)
            .map(|t| match (t, ctx.en) {
                ("conformity", false) => "適合性".to_string(),
                ("operation", false) => "運用状況".to_string(),
                (t, _) => t.to_string(),
            })
            .collect();
        let scope: Vec<String> = list(a, "scope_departments")
            .into_iter()
            .filter_map(Value::as_str)
            .map(|d| ctx.department(d))
            .collect();
        let auditors: Vec<String> = list(a, "auditors")
            .into_iter()
            .map(|x| ctx.person(s(x, "person_id")))
            .collect();
        rows.push(vec![
            dates,
            types.join(ctx.sep()),
            ctx.or_missing(scope.join(ctx.sep()), "R-AUD-02"),
            ctx.or_missing(auditors.join(ctx.sep()), "R-AUD-03"),
            ctx.or_missing(s(a, "report_date").to_string(), "R-AUD-04"),
            if finding_text.is_empty() {
                ctx.t("なし", "none")
            } else {
                finding_text.join("\n")
            },
            if cas.is_empty() {
                ctx.t("なし", "none")
            } else {
                cas.join("\n")
            },
        ]);
    }
    if rows.is_empty() {
        rows.push(missing_row(ctx, headers.len(), "R-AUD-01"));
    }
    Table {
        name: ctx.t("内部監査", "Internal audits"),
        headers: headers.iter().map(|(j, e)| ctx.t(j, e)).collect(),
        rows,
    }
}

const INPUTS: &[(&str, &str, &str)] = &[
    ("audit_results", "監査の結果", "audit results"),
    ("op_check_results", "運用の確認の結果", "operational checks"),
    ("complaints", "苦情・外部からの意見", "complaints"),
    (
        "prev_followup",
        "前回の指示事項のフォローアップ",
        "previous follow-up",
    ),
    ("legal_changes", "法令等の変化", "legal changes"),
    (
        "environment_changes",
        "社会情勢・環境の変化",
        "environment changes",
    ),
    ("business_changes", "事業領域の変化", "business changes"),
    (
        "improvement_proposals",
        "改善の提案",
        "improvement proposals",
    ),
];

const OUTPUTS: &[(&str, &str, &str)] = &[
    (
        "improvement_decisions",
        "改善の決定",
        "improvement decisions",
    ),
    ("pms_changes", "PMSの変更", "PMS changes"),
    ("resource_decisions", "資源の決定", "resource decisions"),
];

fn reviews(ctx: &Ctx<'_>, in_period: &dyn Fn(Option<NaiveDate>) -> bool) -> Table {
    let headers = [
        ("実施日", "Date"),
        ("議長", "Chair"),
        ("インプット", "Inputs"),
        ("アウトプット", "Outputs"),
        ("指示事項", "Action items"),
    ];
    let mut reviews: Vec<&Value> = ctx
        .all("management_reviews")
        .iter()
        .filter(|m| in_period(date(m, "date")))
        .collect();
    pms_core::sorting::sort_by_key(&mut reviews, |m| (date(m, "date"), s(m, "id").to_string()));
    let items = |m: &Value, key: &str, names: &[(&str, &str, &str)], rule: &str| -> String {
        let obj = m.get(key).unwrap_or(&Value::Null);
        names
            .iter()
            .map(|(k, ja, en)| {
                let label = if ctx.en { *en } else { *ja };
                format!("{label}: {}", ctx.or_missing(s(obj, k).to_string(), rule))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut rows = Vec::new();
    for m in reviews {
        let actions: Vec<String> = list(m, "action_items")
            .into_iter()
            .map(|a| {
                let state = match s(a, "closed_on") {
                    "" => format!("{}{}", ctx.t("期限 ", "due "), s(a, "due")),
                    d => format!("{}{d}", ctx.t("完了 ", "closed ")),
                };
                format!("{}: {} ({state})", s(a, "id"), s(a, "description"))
            })
            .collect();
        rows.push(vec![
            s(m, "date").to_string(),
            ctx.or_missing(ctx.person(s(m, "chaired_by")), "R-MR-01"),
            items(m, "inputs", INPUTS, "R-MR-02"),
            items(m, "outputs", OUTPUTS, "R-MR-03"),
            if actions.is_empty() {
                ctx.t("なし", "none")
            } else {
                actions.join("\n")
            },
        ]);
    }
    if rows.is_empty() {
        rows.push(missing_row(ctx, headers.len(), "R-MR-01"));
    }
    Table {
        name: ctx.t("マネジメントレビュー", "Management reviews"),
        headers: headers.iter().map(|(j, e)| ctx.t(j, e)).collect(),
        rows,
    }
}

/// The report's gaps of the form's rules.
fn gaps(ctx: &Ctx<'_>, report: &Value, form: Form) -> Table {
    let lang = if ctx.en { "en" } else { "ja" };
    let rows: Vec<Vec<String>> = report
        .get("findings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|f| s(f, "status") == "gap")
        .filter(|f| {
            form.rule_prefixes()
                .iter()
                .any(|p| s(f, "rule_id").starts_with(p))
        })
        .map(|f| {
            let tr = |k: &str| {
                f.get(k)
                    .and_then(|t| t.get(lang))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            vec![
                s(f, "rule_id").to_string(),
                tr("title"),
                f.get("subject")
                    .map(|x| s(x, "id"))
                    .unwrap_or_default()
                    .to_string(),
                tr("message"),
            ]
        })
        .collect();
    Table {
        name: ctx.t("不備", "Gaps"),
        headers: [
            ("ルール", "Rule"),
            ("内容", "Title"),
            ("記録", "Record"),
            ("詳細", "Detail"),
        ]
        .iter()
        .map(|(j, e)| ctx.t(j, e))
        .collect(),
        rows,
    }
}

/// Checks `set` with `program` at `to` (for the gaps) and builds the form's summary from its
/// records: what the CLI's `pms summary` and Python's `pms.summary` call.
///
/// # Errors
/// Diagnostics for a bad date or language.
pub fn of_records(
    program: &pms_core::Program,
    set: &pms_core::RecordSet,
    form: Form,
    to: &str,
    lang: &str,
) -> Result<Summary, Vec<pms_core::Diagnostic>> {
    let date = pms_core::ffi::parse_as_of(to)?;
    pms_core::ffi::parse_lang(lang)?;
    let opts = pms_core::ffi::CheckOptions {
        as_of: to.to_string(),
        lang: Some(lang.to_string()),
        ..pms_core::ffi::CheckOptions::default()
    };
    let report = pms_core::ffi::check(program, set, &opts)?;
    let report = serde_json::to_value(&report).unwrap_or_default();
    let records: Records = pms_core::sorting::map_of(
        set.counts()
            .into_keys()
            .filter_map(|e| Some((e.to_string(), set.entity_json(e)?))),
    );
    Ok(summary(&records, &report, form, date, lang))
}

/// A summary in a format: `md`, `csv` or (with the `xlsx` feature) `xlsx`.
///
/// # Errors
/// A diagnostic for an unknown format or a writer failure.
pub fn write(s: &Summary, format: &str) -> Result<Vec<u8>, Vec<pms_core::Diagnostic>> {
    use pms_core::diagnostic::codes;
    let failed = |e: String| {
        vec![
            pms_core::Diagnostic::error(codes::OUTPUT, format!("cannot write the summary: {e}"))
                .ja(format!("集計表を書き込めない: {e}")),
        ]
    };
    match format {
        "md" => Ok(s.to_markdown().into_bytes()),
        "csv" => s.to_csv().map(String::into_bytes).map_err(failed),
        #[cfg(feature = "xlsx")]
        "xlsx" => s.to_xlsx().map_err(failed),
        other => Err(vec![pms_core::Diagnostic::error(
            codes::OUTPUT_FORMAT,
            format!("unknown summary format `{other}`"),
        )
        .ja(format!("未知の集計表の形式 `{other}`"))
        .help("summary formats: md, csv, xlsx")
        .help_ja("集計表の形式: md、csv、xlsx")]),
    }
}

impl Summary {
    /// The heading line: title, company and period.
    fn heading(&self) -> String {
        format!(
            "{} — {} ({}〜{})",
            self.title, self.organization, self.from, self.to
        )
    }

    /// Markdown: a heading, then each table with its name (line breaks in cells as `<br>`,
    /// `|` escaped).
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let cell = |c: &str| c.replace('|', "\\|").replace('\n', "<br>");
        let mut out = format!("# {}\n", self.heading());
        for t in &self.tables {
            out.push_str(&format!("\n## {}\n\n", t.name));
            if t.rows.is_empty() {
                out.push_str("—\n");
                continue;
            }
            out.push_str(&format!(
                "| {} |\n",
                t.headers
                    .iter()
                    .map(|h| cell(h))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
            out.push_str(&format!("|{}\n", "---|".repeat(t.headers.len())));
            for r in &t.rows {
                out.push_str(&format!(
                    "| {} |\n",
                    r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                ));
            }
        }
        out
    }

    /// CSV (RFC 4180 by the `csv` crate): for each table a row with its name, its header
    /// row and its rows, tables separated by an empty row.
    ///
    /// # Errors
    /// A message when the writer fails (it writes to memory, so only on a bug).
    pub fn to_csv(&self) -> Result<String, String> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        let err = |e: csv::Error| e.to_string();
        w.write_record([self.heading()]).map_err(err)?;
        for t in &self.tables {
            w.write_record([""]).map_err(err)?;
            w.write_record([&t.name]).map_err(err)?;
            w.write_record(&t.headers).map_err(err)?;
            for r in &t.rows {
                w.write_record(r).map_err(err)?;
            }
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }

    /// An Excel workbook: one sheet per table, the heading in the first row, bold column
    /// headings frozen under it, wrapped cells.
    ///
    /// # Errors
    /// A message when the workbook cannot be written.
    #[cfg(feature = "xlsx")]
    pub fn to_xlsx(&self) -> Result<Vec<u8>, String> {
        use rust_xlsxwriter::{Format, FormatAlign, Workbook};
        let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
        let mut book = Workbook::new();
        let bold = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        for t in &self.tables {
            let sheet = book.add_worksheet();
            let name: String = t.name.chars().take(31).collect();
            sheet.set_name(&name).map_err(err)?;
            sheet
                .write_string_with_format(0, 0, self.heading(), &Format::new().set_bold())
                .map_err(err)?;
            for (c, h) in t.headers.iter().enumerate() {
                let c = u16::try_from(c).map_err(|e| e.to_string())?;
                sheet
                    .write_string_with_format(1, c, h, &bold)
                    .map_err(err)?;
                let width = t
                    .rows
                    .iter()
                    .filter_map(|r| r.get(usize::from(c)))
                    .chain(std::iter::once(h))
                    .flat_map(|cell| {
                        cell.lines().map(|l| {
                            l.chars()
                                .map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 })
                                .sum::<f64>()
                        })
                    })
                    .fold(8.0_f64, f64::max);
                sheet
                    .set_column_width(c, width.min(60.0) + 1.0)
                    .map_err(err)?;
            }
            for (r, row) in t.rows.iter().enumerate() {
                let r = u32::try_from(r + 2).map_err(|e| e.to_string())?;
                for (c, cell) in row.iter().enumerate() {
                    let c = u16::try_from(c).map_err(|e| e.to_string())?;
                    sheet
                        .write_string_with_format(r, c, cell, &wrap)
                        .map_err(err)?;
                }
            }
            sheet.set_freeze_panes(2, 0).map_err(err)?;
        }
        book.save_to_buffer().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn records() -> Records {
        let mut r = Records::new();
        r.insert(
            "workforce".into(),
            vec![
                json!({"id": "W-1", "name": "甲", "start_date": "2020-01-01"}),
                json!({"id": "W-2", "name": "乙", "start_date": "2020-01-01"}),
                json!({"id": "W-3", "name": "丙", "start_date": "2020-01-01"}),
                json!({"id": "W-4", "name": "丁", "start_date": "2025-09-01"}),
            ],
        );
        r.insert("training_sessions".into(), vec![
            json!({"id": "TS-OLD", "title": "古い", "date": "2023-06-01", "audience": "all_active", "content_topics": ["policy"]}),
            json!({"id": "TS-1", "title": "年次", "date": "2025-06-01", "audience": "all_active", "content_topics": []}),
        ]);
        r.insert("training_records".into(), vec![
            json!({"id": "TR-1", "person_id": "W-1", "session_id": "TS-1", "method": "classroom", "completed_on": "2025-06-01"}),
            json!({"id": "TR-2", "person_id": "W-2", "session_id": "TS-1-MU", "makeup_for_session_id": "TS-1", "method": "e-learning", "completed_on": "2025-07-01"}),
        ]);
        r
    }

    #[test]
    fn training_rows_cover_the_two_years_with_absentees_and_make_ups() {
        let s = summary(
            &records(),
            &Value::Null,
            Form::Training,
            day("2026-03-31"),
            "ja",
        );
        assert_eq!((s.from, s.to), (day("2024-04-01"), day("2026-03-31")));
        let t = &s.tables[0];
        assert_eq!(t.rows.len(), 1, "the 2023 session is outside the period");
        let row = &t.rows[0];
        assert_eq!(row[0], "2025-06-01");
        assert_eq!(row[2], "記録なし（R-TRN-05）", "no content recorded");
        assert_eq!(row[3], "集合研修");
        // W-4 joined after the session: not expected.
        assert_eq!(
            (row[5].as_str(), row[6].as_str(), row[7].as_str()),
            ("3", "1", "2")
        );
        assert_eq!(row[8], "乙: 補講 2025-07-01\n丙: 記録なし（R-TRN-04）");
    }

    #[test]
    fn a_form_without_records_shows_the_gap_not_a_blank() {
        let report = json!({"findings": [
            {"rule_id": "R-AUD-01", "status": "gap", "title": {"ja": "内部監査の未実施", "en": "No audit"},
             "subject": null, "message": {"ja": "監査なし", "en": "none"}},
            {"rule_id": "R-TRN-01", "status": "gap", "title": {"ja": "x", "en": "x"}, "subject": {"id": "W-1"},
             "message": {"ja": "x", "en": "x"}}
        ]});
        let s = summary(
            &Records::new(),
            &report,
            Form::AuditReview,
            day("2026-03-31"),
            "ja",
        );
        assert_eq!(s.tables[0].rows[0][0], "記録なし（R-AUD-01）");
        assert_eq!(s.tables[1].rows[0][0], "記録なし（R-MR-01）");
        let gaps = &s.tables[2];
        assert_eq!(gaps.rows.len(), 1, "only the form's rules");
        assert_eq!(gaps.rows[0][0], "R-AUD-01");
        let md = s.to_markdown();
        assert!(md.contains("| 記録なし（R-AUD-01） |"), "{md}");
        let csv = s.to_csv().unwrap();
        assert!(csv.contains("記録なし（R-MR-01）"), "{csv}");
    }
}
