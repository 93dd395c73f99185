#![allow(
    clippy::indexing_slicing,
    reason = "fields are set on json! object literals, which cannot fail"
)]

//! A deterministic, seeded generator of synthetic but realistic record sets at named scales,
//! with a controlled fraction of planted gaps whose ids are known, so every engine's answer
//! can be checked, not only timed.
//!
//! Scales: S (30 people, 1 PMS year), M (1,000 people, 2 years), L (100,000 people,
//! 1,000,000 training records, 10,000 contractors, 50,000 inventory items, 1,000,000 entry-log
//! rows, 3 years). The evaluation date is always 2026-03-31.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A named scale.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Name (S, M, L).
    pub name: &'static str,
    /// Workforce size.
    pub people: usize,
    /// PMS years of history.
    pub years: i32,
    /// Training records per person per year.
    pub trainings_per_year: usize,
    /// Contractors.
    pub contractors: usize,
    /// Inventory items.
    pub items: usize,
    /// Entry-log rows (single days).
    pub entry_rows: usize,
    /// Departments.
    pub departments: usize,
    /// Internal audits per year (one per department group).
    pub audits_per_year: usize,
    /// Nonconformities per audit.
    pub findings_per_audit: usize,
    /// Incidents per year.
    pub incidents_per_year: usize,
    /// How often a gap is planted, per thousand candidates.
    pub gap_per_mille: u64,
}

/// The three scales of the benchmark.
pub const SCALES: &[Scale] = &[
    Scale {
        name: "S",
        people: 30,
        years: 1,
        trainings_per_year: 1,
        contractors: 6,
        items: 12,
        entry_rows: 250,
        departments: 3,
        audits_per_year: 1,
        findings_per_audit: 4,
        incidents_per_year: 4,
        gap_per_mille: 150,
    },
    Scale {
        name: "M",
        people: 1_000,
        years: 2,
        trainings_per_year: 2,
        contractors: 100,
        items: 500,
        entry_rows: 10_000,
        departments: 10,
        audits_per_year: 5,
        findings_per_audit: 6,
        incidents_per_year: 30,
        gap_per_mille: 30,
    },
    Scale {
        name: "L",
        people: 100_000,
        years: 3,
        trainings_per_year: 4,
        contractors: 10_000,
        items: 50_000,
        entry_rows: 1_000_000,
        departments: 100,
        audits_per_year: 100,
        findings_per_audit: 6,
        incidents_per_year: 1_000,
        gap_per_mille: 20,
    },
];

/// The rules of the ten representative checks, in the order of the comparison table.
pub const CHECK_RULES: &[(&str, &[&str])] = &[
    ("education staleness over all staff", &["R-TRN-01"]),
    (
        "contractor evaluation and contract clauses",
        &["R-CTR-02", "R-CTR-04"],
    ),
    (
        "missing or overdue corrective actions",
        &["R-CA-01", "R-CA-03"],
    ),
    ("auditor independence", &["R-AUD-03"]),
    ("management-review inputs", &["R-MR-02"]),
    ("inventory required fields", &["R-INV-01"]),
    ("risk-assessment coverage per item", &["R-RSK-01"]),
    ("incident report deadlines", &["R-INC-11", "R-INC-12"]),
    ("renewal window", &["R-CRT-02"]),
    ("retention past due", &["R-RET-02"]),
];

/// Rules whose gaps are also planted, checked by pms alone (the comparison peers implement the
/// ten checks only): the routine operations of issue 16, so the generated companies cover the
/// whole record model.
pub const PMS_ONLY_RULES: &[&str] = &["R-ACC-01", "R-ACC-02", "R-ACC-03", "R-DOC-06", "R-SEC-06"];

const EMPLOYMENT: [&str; 5] = ["正社員", "契約", "パート", "派遣", "役員"];

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    /// True with probability `per_mille`/1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

fn day(offset: i64) -> String {
    // Days from 2026-03-31.
    let base = chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default();
    (base + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// Writes the record set of a scale as JSON and returns the planted gaps per rule.
///
/// # Errors
/// I/O errors of the writer.
pub fn generate(
    scale: &Scale,
    seed: u64,
    out: &mut impl Write,
) -> io::Result<BTreeMap<&'static str, Vec<String>>> {
    generate_named(scale, seed, &format!("生成株式会社 {}", scale.name), out)
}

/// [`generate`] with the organization's name given (the companies of a portfolio).
///
/// # Errors
/// I/O errors of the writer.
pub fn generate_named(
    scale: &Scale,
    seed: u64,
    organization: &str,
    out: &mut impl Write,
) -> io::Result<BTreeMap<&'static str, Vec<String>>> {
    generate_into(scale, seed, organization, &mut OneFile::new(out))
}

/// Writes the record set of a scale into `dir` (created if needed) as a records directory,
/// one file per entity, in the layouts of `split` (the same records and planted gaps as
/// [`generate`]), and returns the planted gaps per rule.
///
/// # Errors
/// I/O errors.
pub fn generate_split(
    scale: &Scale,
    seed: u64,
    dir: &Path,
    split: Split,
) -> io::Result<BTreeMap<&'static str, Vec<String>>> {
    std::fs::create_dir_all(dir)?;
    let mut sink = SplitFiles {
        dir: dir.to_path_buf(),
        split,
        json: None,
        ndjson: None,
        n: 0,
    };
    generate_into(
        scale,
        seed,
        &format!("生成株式会社 {}", scale.name),
        &mut sink,
    )
}

/// Where the generator's records go: entity sections, each followed by its records.
trait Sink {
    /// Starts the records of `entity` (each entity once, in the generator's order).
    fn section(&mut self, entity: &str) -> io::Result<()>;
    /// One record of the current entity.
    fn record(&mut self, value: &Value) -> io::Result<()>;
    /// Ends the last entity.
    fn finish(&mut self) -> io::Result<()>;
}

/// One JSON object of entity lists, one record a line.
struct OneFile<'w, W: Write> {
    out: &'w mut W,
    first: bool,
    n: usize,
}

impl<'w, W: Write> OneFile<'w, W> {
    fn new(out: &'w mut W) -> Self {
        OneFile {
            out,
            first: true,
            n: 0,
        }
    }
}

impl<W: Write> Sink for OneFile<'_, W> {
    fn section(&mut self, entity: &str) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"{" } else { b"],\n" })?;
        self.first = false;
        self.n = 0;
        write!(self.out, "\"{entity}\": [")
    }
    fn record(&mut self, value: &Value) -> io::Result<()> {
        if self.n > 0 {
            self.out.write_all(b",")?;
        }
        self.n += 1;
        self.out.write_all(b"\n")?;
        serde_json::to_writer(&mut *self.out, value).map_err(io::Error::other)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"{}\n" } else { b"]\n}\n" })
    }
}

/// The layouts of a records directory written by [`generate_split`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// `<entity>.json`: a JSON list of the entity's records, one record a line, as pms reads
    /// a records directory.
    pub json: bool,
    /// `<entity>.ndjson`: one record a line, no list (DuckDB's `read_json`, pandas'
    /// `lines=True`); pms leaves these files alone when it reads the directory.
    pub ndjson: bool,
}

/// One file (or two) per entity in a directory.
struct SplitFiles {
    dir: PathBuf,
    split: Split,
    json: Option<BufWriter<File>>,
    ndjson: Option<BufWriter<File>>,
    n: usize,
}

impl SplitFiles {
    fn close(&mut self) -> io::Result<()> {
        if let Some(mut w) = self.json.take() {
            w.write_all(if self.n > 0 { b"\n]\n" } else { b"]\n" })?;
            w.flush()?;
        }
        if let Some(mut w) = self.ndjson.take() {
            w.flush()?;
        }
        Ok(())
    }
}

impl Sink for SplitFiles {
    fn section(&mut self, entity: &str) -> io::Result<()> {
        self.close()?;
        self.n = 0;
        if self.split.json {
            let mut w = BufWriter::new(File::create(self.dir.join(format!("{entity}.json")))?);
            w.write_all(b"[")?;
            self.json = Some(w);
        }
        if self.split.ndjson {
            self.ndjson = Some(BufWriter::new(File::create(
                self.dir.join(format!("{entity}.ndjson")),
            )?));
        }
        Ok(())
    }
    fn record(&mut self, value: &Value) -> io::Result<()> {
        if let Some(w) = &mut self.json {
            w.write_all(if self.n > 0 { b",\n" } else { b"\n" })?;
            serde_json::to_writer(&mut *w, value).map_err(io::Error::other)?;
        }
        if let Some(w) = &mut self.ndjson {
            serde_json::to_writer(&mut *w, value).map_err(io::Error::other)?;
            w.write_all(b"\n")?;
        }
        self.n += 1;
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.close()
    }
}

/// The generator itself, writing into any [`Sink`].
fn generate_into(
    scale: &Scale,
    seed: u64,
    organization: &str,
    sink: &mut dyn Sink,
) -> io::Result<BTreeMap<&'static str, Vec<String>>> {
    let mut rng = Rng(seed ^ 0x5EED);
    let g = scale.gap_per_mille;
    let mut expected: BTreeMap<&'static str, Vec<String>> = CHECK_RULES
        .iter()
        .flat_map(|(_, r)| r.iter().copied())
        .chain(PMS_ONLY_RULES.iter().copied())
        .map(|id| (id, Vec::new()))
        .collect();
    let mut plant = |rule: &'static str, id: String| {
        if let Some(v) = expected.get_mut(rule) {
            v.push(id);
        }
    };
    let years = i64::from(scale.years);
    let depts: Vec<String> = (0..scale.departments)
        .map(|d| format!("D-{d:03}"))
        .collect();

    sink.section("organization")?;
    let departments: Vec<Value> = depts
        .iter()
        .map(|d| json!({"id": d, "name": format!("部門{d}"), "handles_personal_data": true}))
        .collect();
    sink.record(&json!({"id": "ORG", "name": organization, "pms_year_start": "04-01", "business_calendar": {"base": "jp"}, "departments": departments, "handles_anonymized": false, "handles_pseudonymized": false}))?;

    sink.section("certification")?;
    // Renewal window of a mark expiring 2026-09-30: 2026-01-30 … 2026-06-01, applied in time;
    // the earlier mark's renewal was filed late (planted).
    sink.record(&json!({"id": "CERT-1", "registration_no": "G-1", "valid_from": "2024-10-01", "valid_to": "2026-09-30", "renewal_applied_on": "2026-02-10"}))?;
    {
        sink.record(&json!({"id": "CERT-0", "registration_no": "G-0", "valid_from": "2022-10-01", "valid_to": "2024-09-30", "renewal_applied_on": "2024-06-20"}))?;
        plant("R-CRT-02", "CERT-0".into());
    }

    // Workforce and training.
    sink.section("workforce")?;
    let mut people = Vec::with_capacity(scale.people);
    for i in 0..scale.people {
        let id = format!("W-{i:06}");
        let start = day(-(400 + rng.below(3000) as i64));
        let leaver = rng.chance(10);
        let dept = depts.get(i % depts.len()).cloned().unwrap_or_default();
        let mut w = json!({"id": id, "name": format!("従業者{i}"), "department_id": dept, "employment_type": EMPLOYMENT.get(i % 5).copied().unwrap_or("正社員"), "start_date": start, "pledge_signed_on": start});
        if leaver {
            w["end_date"] = json!(day(-(10 + rng.below(300) as i64)));
        }
        let stale = !leaver && (i == 1 || rng.chance(g));
        if stale {
            plant("R-TRN-01", id.clone());
        }
        people.push((id, stale, leaver, dept));
        sink.record(&w)?;
    }
    sink.section("training_sessions")?;
    let mut sessions = Vec::new();
    for y in 0..years {
        for k in 0..scale.trainings_per_year {
            let id = format!("TS-{y}-{k}");
            let d = day(-(292 + 365 * y) + (k as i64) * 20);
            sink.record(&json!({"id": id, "title": format!("個人情報保護教育 {y}-{k}"), "kind": "awareness", "date": d, "audience": "listed", "content_topics": ["policy", "importance", "roles", "violation_consequences"]}))?;
            sessions.push((id, d, y));
        }
    }
    sink.section("training_records")?;
    for (pid, stale, _, _) in &people {
        for (sid, d, y) in &sessions {
            if *stale && *y == 0 {
                continue;
            }
            let rid = format!("TR-{pid}-{sid}");
            sink.record(&json!({"id": rid, "person_id": pid, "session_id": sid, "completed_on": d, "test_score": 80 + rng.below(20), "passed": true}))?;
        }
    }

    // Contractors, evaluations, contracts.
    sink.section("contractors")?;
    let mut ctrs = Vec::new();
    for c in 0..scale.contractors {
        let id = format!("C-{c:05}");
        sink.record(&json!({"id": id, "name": format!("委託先{c}"), "handles_personal_data": true, "relationship": "direct", "first_handover_on": day(-2000)}))?;
        let late_eval = c == 0 || rng.chance(g);
        let missing_clause = c == 1 || rng.chance(g);
        if late_eval {
            plant("R-CTR-02", id.clone());
        }
        if missing_clause {
            plant("R-CTR-04", id.clone());
        }
        ctrs.push((id, late_eval, missing_clause));
    }
    sink.section("contractor_evaluations")?;
    for (id, late, _) in &ctrs {
        sink.record(&json!({"id": format!("CE-{id}-0"), "contractor_id": id, "evaluated_on": day(-2100), "result": "pass", "criteria_includes_equivalent_protection": true}))?;
        let last = if *late {
            day(-400 - rng.below(200) as i64)
        } else {
            day(-10 - rng.below(300) as i64)
        };
        sink.record(&json!({"id": format!("CE-{id}-1"), "contractor_id": id, "evaluated_on": last, "result": "pass", "criteria_includes_equivalent_protection": true}))?;
    }
    sink.section("contracts")?;
    let names = [
        "responsibility",
        "security",
        "subcontract",
        "reporting",
        "audit_right",
        "breach_measures",
        "incident_reporting",
        "post_termination",
    ];
    for (id, _, missing) in &ctrs {
        let mut clauses = serde_json::Map::new();
        let drop = if *missing { rng.below(8) as usize } else { 99 };
        for (i, k) in names.iter().enumerate() {
            clauses.insert((*k).into(), json!(i != drop));
        }
        sink.record(&json!({"id": format!("K-{id}"), "contractor_id": id, "signed_on": day(-1990), "clauses": clauses}))?;
    }

    // Inventory, risk assessments, disposal.
    sink.section("inventory")?;
    let mut items = Vec::new();
    let mut flagged = Vec::new();
    for i in 0..scale.items {
        let id = format!("I-{i:06}");
        let mut it = json!({"id": id, "item_name": format!("台帳項目{i}"), "department_id": depts.get(i % depts.len()).cloned().unwrap_or_default(),
            "data_fields": ["氏名", "連絡先"], "purposes": ["取引先との連絡のため"], "storage_location": "ファイルサーバ", "storage_method": "アクセス制限",
            "access_holders": ["担当部門"], "use_until": "取引終了まで", "retention_rule": "取引終了後3年", "last_reviewed_on": day(-100)});
        let past_retention = i == 4 || rng.chance(50);
        if !past_retention && (i == 2 || rng.chance(g)) {
            it.as_object_mut().map(|m| m.remove("storage_method"));
            plant("R-INV-01", id.clone());
        }
        let mut disposed = true;
        if past_retention {
            it["retain_until"] = json!(day(-(60 + rng.below(500) as i64)));
            it["status"] = json!("retired");
            if i == 4 || rng.chance(g * 5) {
                disposed = false;
                plant("R-RET-02", id.clone());
            }
        }
        // Every fifth item in use is one whose procedure requires entry-error checks.
        if !past_retention && i.is_multiple_of(5) {
            it["accuracy_check_required"] = json!(true);
            flagged.push(id.clone());
        }
        let no_risk = !past_retention && (i == 3 || rng.chance(g));
        if no_risk {
            plant("R-RSK-01", id.clone());
        }
        items.push((id, no_risk, past_retention, disposed));
        sink.record(&it)?;
    }
    sink.section("risk_assessments")?;
    for (id, no_risk, _, _) in &items {
        if *no_risk {
            continue;
        }
        for st in ["acquire", "transfer", "use", "store", "dispose"] {
            sink.record(&json!({"id": format!("RA-{id}-{st}"), "inventory_item_id": id, "assessed_on": day(-200), "stage": st, "risk_desc": "漏えい", "controls": ["アクセス制限"], "residual_risk": "低"}))?;
        }
    }
    sink.section("disposal_records")?;
    for (id, _, past, disposed) in &items {
        if *past && *disposed {
            sink.record(&json!({"id": format!("DP-{id}"), "inventory_item_id": id, "disposed_on": day(-20), "method": "溶解"}))?;
        }
    }

    // Routine operations (issue 16): accuracy checks of the flagged items, systems with their
    // backup checks and restore tests, security equipment, and one procedure per department
    // with its distribution.
    sink.section("accuracy_checks")?;
    for (k, id) in flagged.iter().enumerate() {
        let mut c = json!({"id": format!("AC-{id}"), "inventory_item_id": id, "checked_on": day(-60), "records_checked": 200, "errors_found": 0});
        if k == 0 || rng.chance(g) {
            c["errors_found"] = json!(2);
            plant("R-ACC-03", id.clone());
        } else if rng.chance(300) {
            c["errors_found"] = json!(1);
            c["corrected_on"] = json!(day(-55));
        }
        sink.record(&c)?;
    }
    let systems: Vec<String> = (0..scale.departments.max(3))
        .map(|k| format!("SYS-{k:03}"))
        .collect();
    sink.section("systems")?;
    for (k, id) in systems.iter().enumerate() {
        sink.record(
            &json!({"id": id, "name": format!("業務システム{k}"), "holds_personal_data": true}),
        )?;
    }
    sink.section("backup_checks")?;
    for (k, id) in systems.iter().enumerate() {
        // A bad backup: its latest check failed with no follow-up, or no check for 40 days.
        let bad = k == 0 || rng.chance(g);
        let stale = bad && k % 2 == 1;
        let failed = bad && !stale;
        if bad {
            plant("R-ACC-01", id.clone());
        }
        for m in 0..3_i64 {
            let on = if stale { -40 - 30 * m } else { -3 - 30 * m };
            let mut b = json!({"id": format!("BC-{id}-{m}"), "system_id": id, "checked_on": day(on), "last_backup_on": day(on - 1), "result": "ok"});
            if failed && m == 0 {
                b["result"] = json!("failed");
                b["last_backup_on"] = json!(day(on - 20));
            }
            sink.record(&b)?;
        }
    }
    sink.section("restore_tests")?;
    for (k, id) in systems.iter().enumerate() {
        // A restore test 13 months old, or a partial one with no follow-up.
        let mut t = json!({"id": format!("RT-{id}"), "system_id": id, "tested_on": day(-100), "scope": "全データ", "result": "success"});
        if k == 1 || rng.chance(g) {
            if k % 2 == 1 {
                t["tested_on"] = json!(day(-400));
            } else {
                t["result"] = json!("partial");
            }
            plant("R-ACC-02", id.clone());
        }
        sink.record(&t)?;
    }
    sink.section("security_equipment")?;
    for (k, id) in systems.iter().enumerate() {
        // Past its vendor support, or its maintenance overdue.
        let mut e = json!({"id": format!("EQ-{k:03}"), "name": format!("UTM {k}"), "kind": "utm", "system_id": id, "in_use_from": day(-1500),
            "last_reviewed_on": day(-100), "maintenance_due": day(60), "last_maintained_on": day(-120), "support_end_on": day(700)});
        if k == 2 || rng.chance(g) {
            if k.is_multiple_of(2) {
                e["support_end_on"] = json!(day(-30));
            } else {
                e["maintenance_due"] = json!(day(-10));
            }
            plant("R-SEC-06", format!("EQ-{k:03}"));
        }
        sink.record(&e)?;
    }
    sink.section("documents")?;
    let approver = people.first().map(|p| p.0.clone()).unwrap_or_default();
    for (k, dept) in depts.iter().enumerate() {
        let id = format!("DOC-{dept}");
        let mut v = json!({"version": "2.0", "approved_by": approver, "approved_on": day(-210), "effective_from": day(-200), "distributed_on": day(-195), "distributed_to": [dept]});
        if k == 0 || rng.chance(g) {
            v.as_object_mut().map(|m| m.remove("distributed_on"));
            plant("R-DOC-06", id.clone());
        }
        sink.record(&json!({"id": id, "title": format!("個人情報取扱手順（部門{dept}）"), "type": "procedure", "last_reviewed_on": day(-100), "versions": [v]}))?;
    }

    // Audits, findings, corrective actions, reviews.
    sink.section("internal_audits")?;
    let mut findings = Vec::new();
    for y in 0..years {
        for a in 0..scale.audits_per_year {
            let id = format!("IA-{y}-{a:03}");
            let dept = depts.get(a % depts.len()).cloned().unwrap_or_default();
            let other = depts
                .get((a + 1) % depts.len())
                .cloned()
                .unwrap_or_default();
            let auditor = people
                .iter()
                .find(|p| p.3 == other && !p.2)
                .map(|p| p.0.clone())
                .unwrap_or_default();
            let end = day(-(130 + 365 * y));
            let own = y < 2 && depts.len() > 1 && ((y == 0 && a == 0) || rng.chance(g * 3));
            let target = if own { other.clone() } else { dept.clone() };
            if own {
                plant("R-AUD-03", id.clone());
            }
            sink.record(&json!({"id": id, "audit_type": ["conformity", "operation"], "scope_departments": [target], "start_date": day(-(140 + 365 * y)), "end_date": end, "report_date": end,
                "auditors": [{"person_id": auditor, "own_department_id": other}], "assignments": [{"auditor_id": auditor, "department_id": target}], "lead_signed": true, "reported_to_top_on": end, "checklist_covers_risk_results": true}))?;
            for f in 0..scale.findings_per_audit {
                findings.push((format!("F-{y}-{a:03}-{f}"), id.clone(), end.clone()));
            }
        }
    }
    sink.section("audit_findings")?;
    let mut cas = Vec::new();
    for (k, (fid, aid, raised)) in findings.iter().enumerate() {
        sink.record(&json!({"id": fid, "source": "internal_audit", "source_id": aid, "type": "nonconformity", "description": "手順の不遵守", "raised_on": raised}))?;
        if k == 0 || rng.chance(g) {
            plant("R-CA-01", fid.clone());
        } else {
            cas.push(fid.clone());
        }
    }
    sink.section("corrective_actions")?;
    for fid in &cas {
        let id = format!("CA-{fid}");
        let overdue = cas.first() == Some(fid) || rng.chance(g);
        let mut ca = json!({"id": id, "finding_id": fid, "root_cause": "手順の周知不足", "action": "手順の再教育", "owner": people.first().map(|p| p.0.clone()).unwrap_or_default()});
        if overdue {
            ca["due_on"] = json!(day(-(5 + rng.below(60) as i64)));
            plant("R-CA-03", id);
        } else {
            ca["due_on"] = json!(day(-100));
            ca["implemented_on"] = json!(day(-110));
            ca["result"] = json!("完了");
            ca["effectiveness_review_on"] = json!(day(-60));
            ca["effective"] = json!(true);
        }
        sink.record(&ca)?;
    }
    sink.section("management_reviews")?;
    for y in 0..years {
        let id = format!("MR-{y}");
        let mut inputs = serde_json::Map::new();
        for k in [
            "audit_results",
            "op_check_results",
            "complaints",
            "prev_followup",
            "legal_changes",
            "environment_changes",
            "business_changes",
            "improvement_proposals",
        ] {
            inputs.insert(k.into(), json!("記載あり"));
        }
        if y == 0 {
            inputs.remove("legal_changes");
            plant("R-MR-02", id.clone());
        }
        sink.record(&json!({"id": id, "date": day(-(21 + 365 * y)), "inputs": inputs, "outputs": {"improvement_decisions": "改善", "pms_changes": "変更なし"}}))?;
    }

    // Incidents.
    sink.section("incidents")?;
    for y in 0..years {
        for k in 0..scale.incidents_per_year {
            let id = format!("INC-{y}-{k:04}");
            let disc = -(60 + 365 * y + rng.below(300) as i64);
            let reportable = (y == 0 && k == 0) || rng.chance(300.max(g * 3));
            let mut reports = vec![
                json!({"body": "JIPDEC", "kind": "確報", "submitted_on": day(disc + 20), "channel": "portal"}),
            ];
            if reportable {
                let late_sokuho = (y == 0 && k == 0) || rng.chance(g * 3);
                let late_kakuho = (y == 0 && k == 0) || rng.chance(g * 3);
                reports.push(json!({"body": "PPC", "kind": "速報", "submitted_on": day(disc + if late_sokuho { 7 } else { 3 })}));
                reports.push(json!({"body": "PPC", "kind": "確報", "submitted_on": day(disc + if late_kakuho { 35 } else { 25 })}));
                if late_sokuho {
                    plant("R-INC-11", id.clone());
                }
                if late_kakuho {
                    plant("R-INC-12", id.clone());
                }
            }
            sink.record(&json!({"id": id, "discovered_on": day(disc), "description": "誤送付", "persons_affected": 1, "special_care": reportable, "regulator_reports": reports}))?;
        }
    }

    // Entry logs: one row per site and day, for load volume.
    sink.section("entry_logs")?;
    let mut n = 0;
    let days_back = 365 * years;
    let sites = scale.entry_rows.div_ceil(days_back.max(1) as usize).max(1);
    'rows: for s in 0..sites {
        for d in 0..days_back {
            if n >= scale.entry_rows {
                break 'rows;
            }
            n += 1;
            let date = day(-d);
            sink.record(&json!({"id": format!("EL-{s:04}-{d:04}"), "area": "office", "date_from": date, "date_to": date, "first_unlock_by": "当番", "last_lock_by": "当番"}))?;
        }
    }
    sink.finish()?;
    for v in expected.values_mut() {
        v.sort();
    }
    Ok(expected)
}
