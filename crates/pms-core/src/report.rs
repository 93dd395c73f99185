//! Findings and the report: per-phase and per-clause summaries, rule coverage, root-cause
//! grouping and upcoming deadlines, as JSON (schema in `docs/schema/report.schema.json`)
//! and as text for terminals (Japanese by default).

use crate::dsl::ast::Lang;
use crate::eval::{Options, RuleOutcome};
use crate::graph::Phase;
use crate::program::{Basis, Rule, Severity, Texts};
use crate::records::RecordSet;
use crate::value::{RecRef, Value};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

mod json;

/// The status of a finding or of a rule.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The obligation is not met.
    Gap,
    /// Met now, or not yet due, but the deadline falls within the warning window.
    AtRisk,
    /// Met.
    Passed,
    /// The rule does not apply.
    NotApplicable,
    /// The records needed to decide are missing.
    InsufficientData,
}

impl Status {
    /// Label in a language.
    #[must_use]
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Gap, Lang::Ja) => "不備",
            (Status::AtRisk, Lang::Ja) => "期限間近",
            (Status::Passed, Lang::Ja) => "適合",
            (Status::NotApplicable, Lang::Ja) => "対象外",
            (Status::InsufficientData, Lang::Ja) => "判定不能",
            (Status::Gap, Lang::En) => "gap",
            (Status::AtRisk, Lang::En) => "at risk",
            (Status::Passed, Lang::En) => "passed",
            (Status::NotApplicable, Lang::En) => "not applicable",
            (Status::InsufficientData, Lang::En) => "insufficient data",
        }
    }
}

/// The record a finding is about.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Subject {
    /// Entity name.
    pub entity: String,
    /// Record id.
    pub id: String,
    /// Name shown to people.
    pub display: String,
}

/// A record involved in a finding.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct RecordRef {
    /// Entity name.
    pub entity: String,
    /// Record id.
    pub id: String,
}

/// One result of one rule for one subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// Stable id: `rule:subject`.
    pub id: String,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    // One text shared by the rule's findings (and its coverage and deadlines).
    pub title: Arc<Texts>,
    /// Clause of the selected edition.
    pub clause: Option<String>,
    /// Whether that clause number is unverified.
    pub clause_unverified: bool,
    /// 指針 J-number for the selected edition.
    pub shishin: Option<String>,
    /// PDCA phase.
    pub phase: Phase,
    /// Severity.
    pub severity: Severity,
    /// Basis.
    pub basis: Basis,
    /// Status.
    pub status: Status,
    /// The record concerned (none for a rule-level result).
    pub subject: Option<Subject>,
    /// Records involved.
    pub related: Vec<RecordRef>,
    /// The values that made it fire: the rule's `let`s and parameters.
    pub values: serde_json::Map<String, serde_json::Value>,
    /// Deadline.
    pub due: Option<NaiveDate>,
    /// Days past the deadline: until the obligation was met (`completed_on`), or until
    /// `as_of` while it is still unmet.
    pub days_overdue: Option<i64>,
    /// The day a late obligation was met, when the rule records it (`done`).
    pub completed_on: Option<NaiveDate>,
    /// What is wrong.
    pub message: Texts,
    /// How to fix it.
    // Shared by the rule's findings when it names no value of the subject.
    pub fix: Arc<Texts>,
    /// Id of the root-cause finding that explains this one.
    pub caused_by: Option<String>,
    /// For a subject that could not be assessed: the fields it needs that are not recorded
    /// (`field`, or `reference.field` through a reference).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// The department the finding belongs to: the subject's own (`department_id`), that of
    /// the person it concerns or who owns it (`person_id`, `owner`), or else that of the
    /// first record involved that has one; none for company-wide findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Department>,
}

/// A department (`organization.departments`), for grouping findings.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Department {
    /// Department id.
    pub id: String,
    /// Its name, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Result of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Coverage {
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    #[serde(default)]
    pub title: Arc<Texts>,
    /// Overall status.
    pub status: Status,
    /// Subjects checked.
    pub checked: usize,
    /// Subjects with a gap.
    pub gaps: usize,
    /// Subjects at risk.
    pub at_risk: usize,
    /// Subjects that passed.
    pub passed: usize,
    /// Why the rule was not applicable or could not be assessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Per-phase summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PhaseSummary {
    /// Phase.
    pub phase: Phase,
    /// Rules of the phase.
    pub rules: usize,
    /// Rules with a gap.
    pub rules_with_gaps: usize,
    /// Gap findings.
    pub gaps: usize,
    /// At-risk findings.
    pub at_risk: usize,
    /// Whether the phase closed in the PMS year: every rule assessed and none with a gap.
    pub closed: bool,
}

/// Per-clause summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClauseSummary {
    /// Clause of the selected edition.
    pub clause: String,
    /// Rules checking it.
    pub rules: Vec<String>,
    /// Gap findings.
    pub gaps: usize,
    /// At-risk findings.
    pub at_risk: usize,
}

/// A root cause and the findings it explains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RootCause {
    /// The root finding.
    pub finding_id: String,
    /// Findings it explains.
    pub consequences: Vec<String>,
}

/// An upcoming deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Deadline {
    /// Id of the finding this deadline is of (`rule:subject`).
    #[serde(default)]
    pub finding_id: String,
    /// First day of the window that ends on `due`, for obligations that may only be met
    /// within a window (the renewal application): the rule's `opens` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<NaiveDate>,
    /// Due date.
    pub due: NaiveDate,
    /// Days from `as_of`.
    pub days_left: i64,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: Arc<Texts>,
    /// Subject.
    pub subject: Option<Subject>,
    /// Current status.
    pub status: Status,
}

/// Totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct Summary {
    /// Rules in the program.
    pub rules: usize,
    /// Rules with a gap.
    pub rules_failed: usize,
    /// Rules at risk.
    pub rules_at_risk: usize,
    /// Rules passed.
    pub rules_passed: usize,
    /// Rules not applicable.
    pub rules_not_applicable: usize,
    /// Rules without enough data.
    pub rules_insufficient_data: usize,
    /// Gap findings.
    pub gaps: usize,
    /// Gap findings that no other gap explains (`depends on`): the causes to fix.
    pub root_cause_gaps: usize,
    /// Gap findings explained by another gap (listed under it as its consequences).
    pub explained_gaps: usize,
    /// At-risk findings.
    pub at_risk: usize,
    /// Gap findings per severity.
    pub gaps_by_severity: BTreeMap<String, usize>,
}

/// The report of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// Report format version.
    pub format: u32,
    /// Evaluation date.
    pub as_of: NaiveDate,
    /// Edition whose clause numbers are shown.
    pub edition: String,
    /// Language of the text output.
    pub lang: Lang,
    /// Company name.
    pub organization: Option<String>,
    /// First day of the PMS year containing `as_of`.
    pub pms_year_start: Option<NaiveDate>,
    /// Totals.
    pub summary: Summary,
    /// Per phase.
    pub phases: Vec<PhaseSummary>,
    /// Per clause.
    pub clauses: Vec<ClauseSummary>,
    /// Per rule.
    pub coverage: Vec<Coverage>,
    /// Findings: gaps, at-risk and undetermined (and passed ones when asked).
    pub findings: Vec<Finding>,
    /// Root causes with their consequences.
    pub root_causes: Vec<RootCause>,
    /// Deadlines within the horizon, in date order.
    pub deadlines: Vec<Deadline>,
    /// Records per entity.
    pub records: BTreeMap<String, usize>,
    /// Where the records of the findings (subjects and related records) were read, by record
    /// id: file, JSON pointer, line and column. Empty (and left out of the JSON) unless the
    /// host asked for it with [`Report::locate`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub locations: BTreeMap<String, crate::diagnostic::Location>,
}

/// A finding of `rule` on `subject` (none: the rule as a whole), with nothing else filled
/// in yet: the one place a rule's classification is copied into a finding.
pub(crate) fn finding_of(
    rule: &Rule,
    status: Status,
    subject: Option<Subject>,
    message: Texts,
    fix: Arc<Texts>,
) -> Finding {
    Finding {
        id: format!(
            "{}:{}",
            rule.id,
            subject.as_ref().map_or("*", |s| s.id.as_str())
        ),
        rule_id: rule.id.clone(),
        title: rule.title.clone(),
        clause: None,
        clause_unverified: false,
        shishin: None,
        phase: rule.phase,
        severity: rule.severity,
        basis: rule.basis,
        status,
        subject,
        related: Vec::new(),
        values: serde_json::Map::new(),
        due: None,
        days_overdue: None,
        completed_on: None,
        message,
        fix,
        caused_by: None,
        missing: Vec::new(),
        department: None,
    }
}

pub(crate) fn rule_level(rule: &Rule, status: Status, ja: String, en: String) -> Finding {
    static ADD_RECORDS: LazyLock<Arc<Texts>> = LazyLock::new(|| {
        Arc::new(Texts {
            ja: "不足している記録を追加してください。".into(),
            en: "Add the missing records.".into(),
        })
    });
    finding_of(rule, status, None, Texts { ja, en }, ADD_RECORDS.clone())
}

/// What the worker that evaluated `rule` does to its outcome before the report is assembled,
/// on the worker's thread: each finding gets the rule's clause and 指針 number in the
/// edition, and the findings are put in the report's order within a rule (by subject, stable).
/// Assembling then only appends the rules' findings in the report's order of rules.
pub(crate) fn finish_rule(
    rule: &Rule,
    out: &mut RuleOutcome,
    edition_key: &str,
    shishin_key: &str,
) {
    let clause = rule
        .clause(edition_key)
        .or_else(|| rule.clause("appi"))
        .or_else(|| rule.clause("pmark"));
    let shishin = rule.clause(shishin_key);
    for f in &mut out.findings {
        f.clause = clause.map(|c| c.number.clone());
        f.clause_unverified = clause.is_some_and(|c| c.unverified);
        f.shishin = shishin.map(|c| c.number.clone());
    }
    sort_findings(&mut out.findings);
}

/// The gap findings of a rule that other rules depend on: the roots that may explain the
/// gaps of those rules.
#[derive(Default)]
struct Roots {
    /// The roots' finding ids, in the rule's order.
    ids: Vec<String>,
    /// The first root about no record or about the organization: it explains every finding.
    everything: Option<usize>,
    /// The first root about each record: record id → (entity, place in `ids`), in order.
    by_record: std::collections::HashMap<String, Vec<(String, usize)>>,
}

impl Roots {
    fn add(&mut self, f: &Finding) {
        let at = self.ids.len();
        self.ids.push(f.id.clone());
        match &f.subject {
            Some(s) if s.entity != "organization" => {
                let list = self.by_record.entry(s.id.clone()).or_default();
                if !list.iter().any(|(e, _)| *e == s.entity) {
                    list.push((s.entity.clone(), at));
                }
            }
            _ => {
                self.everything.get_or_insert(at);
            }
        }
    }

    /// The id of the first root that explains `f`: a root about the whole company, about the
    /// same record as `f`, or about a record `f` involves.
    fn explaining(&self, f: &Finding) -> Option<&String> {
        let mut first = self.everything;
        let records = f
            .subject
            .iter()
            .map(|s| (s.entity.as_str(), s.id.as_str()))
            .chain(f.related.iter().map(|r| (r.entity.as_str(), r.id.as_str())));
        for (entity, id) in records {
            let at = self
                .by_record
                .get(id)
                .and_then(|list| list.iter().find(|(e, _)| e == entity))
                .map(|(_, at)| *at);
            first = match (first, at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        self.ids.get(first?)
    }
}

pub(crate) fn assemble(
    rules: &[&Rule],
    set: &RecordSet,
    opts: &Options,
    edition_key: &str,
    year_start: Option<NaiveDate>,
    outcomes: Vec<RuleOutcome>,
) -> Report {
    let mut kept: Vec<Vec<Finding>> = Vec::with_capacity(rules.len());
    let mut coverage = Vec::new();
    let mut deadlines = Vec::new();
    let horizon_end = opts.horizon.add_to(opts.as_of).unwrap_or(opts.as_of);
    // Only the gaps of rules that other rules depend on can explain other gaps.
    let depended: std::collections::HashSet<&str> = rules
        .iter()
        .flat_map(|r| r.depends.iter().map(String::as_str))
        .collect();
    let mut roots_of: std::collections::HashMap<&str, Roots> = std::collections::HashMap::new();
    let mut by_severity: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut summary = Summary {
        rules: rules.len(),
        ..Summary::default()
    };
    // Rules in evaluation order: a rule's dependencies come before it.
    for (rule, out) in rules.iter().copied().zip(outcomes) {
        let count = |s: Status| out.findings.iter().filter(|f| f.status == s).count();
        let (gaps, at_risk, passed) = (
            count(Status::Gap),
            count(Status::AtRisk),
            count(Status::Passed) + out.passed_quietly,
        );
        match out.status {
            Status::Gap => summary.rules_failed += 1,
            Status::AtRisk => summary.rules_at_risk += 1,
            Status::Passed => summary.rules_passed += 1,
            Status::NotApplicable => summary.rules_not_applicable += 1,
            Status::InsufficientData => summary.rules_insufficient_data += 1,
        }
        coverage.push(Coverage {
            rule_id: rule.id.clone(),
            title: rule.title.clone(),
            status: out.status,
            checked: out.checked,
            gaps,
            at_risk,
            passed,
            note: out.note,
        });
        let mut roots = depended.contains(rule.id.as_str()).then(Roots::default);
        let mut findings = out.findings;
        for f in &mut findings {
            if let Some(d) = f.due {
                if d >= opts.as_of && d <= horizon_end {
                    let opens = f
                        .values
                        .get("opens")
                        .and_then(serde_json::Value::as_str)
                        .and_then(crate::records::parse_date)
                        .filter(|o| *o <= d);
                    deadlines.push(Deadline {
                        finding_id: f.id.clone(),
                        opens,
                        due: d,
                        days_left: (d - opts.as_of).num_days(),
                        rule_id: f.rule_id.clone(),
                        title: f.title.clone(),
                        subject: f.subject.clone(),
                        status: f.status,
                    });
                }
            }
            if f.status == Status::AtRisk {
                summary.at_risk += 1;
            }
            if f.status != Status::Gap {
                continue;
            }
            if let Some(r) = &mut roots {
                r.add(f);
            }
            summary.gaps += 1;
            *by_severity.entry(f.severity.as_str()).or_default() += 1;
            // The first rule depended on (in the rule's order) with a root that explains
            // this gap: about the same record, a record it involves, or the whole company.
            f.caused_by = rule
                .depends
                .iter()
                .find_map(|d| roots_of.get(d.as_str())?.explaining(f))
                .cloned();
        }
        if !opts.include_passed {
            findings.retain(|f| f.status != Status::Passed);
        }
        if let Some(r) = roots {
            roots_of.insert(rule.id.as_str(), r);
        }
        kept.push(findings);
    }
    summary.gaps_by_severity = by_severity
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    // The report's order: by phase, rule and subject. Each rule's findings are in subject
    // order already (`finish_rule`), so the rules are put in order and their findings
    // appended; the sort after that only confirms the order.
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by_key(|i| rules.get(*i).map(|r| (r.phase, r.id.as_str())));
    // Each rule's array is freed as soon as its findings are moved: the findings are held
    // once, not twice, at the peak.
    let mut findings: Vec<Finding> = Vec::with_capacity(kept.iter().map(Vec::len).sum());
    for i in order {
        if let Some(fs) = kept.get_mut(i) {
            findings.extend(std::mem::take(fs));
        }
    }
    drop(kept);
    sort_findings(&mut findings);
    let mut roots: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &findings {
        if let Some(c) = &f.caused_by {
            roots.entry(c.clone()).or_default().push(f.id.clone());
            if f.status == Status::Gap {
                summary.explained_gaps += 1;
            }
        }
    }
    summary.root_cause_gaps = summary.gaps.saturating_sub(summary.explained_gaps);
    let root_causes = roots
        .into_iter()
        .map(|(finding_id, consequences)| RootCause {
            finding_id,
            consequences,
        })
        .collect();
    deadlines.sort_by(|a, b| {
        (a.due, &a.rule_id, a.subject.as_ref().map(|s| &s.id)).cmp(&(
            b.due,
            &b.rule_id,
            b.subject.as_ref().map(|s| &s.id),
        ))
    });
    let phases = Phase::ALL
        .iter()
        .map(|p| {
            let rules: Vec<&Coverage> = rules
                .iter()
                .copied()
                .zip(coverage.iter())
                .filter(|(r, _)| r.phase == *p)
                .map(|(_, c)| c)
                .collect();
            let gaps = rules.iter().map(|c| c.gaps).sum();
            let assessed = rules.iter().all(|c| c.status != Status::InsufficientData);
            PhaseSummary {
                phase: *p,
                rules: rules.len(),
                rules_with_gaps: rules.iter().filter(|c| c.status == Status::Gap).count(),
                gaps,
                at_risk: rules.iter().map(|c| c.at_risk).sum(),
                closed: gaps == 0 && assessed,
            }
        })
        .collect();
    let mut clauses: BTreeMap<String, ClauseSummary> = BTreeMap::new();
    for (rule, cov) in rules.iter().copied().zip(coverage.iter()) {
        let Some(c) = rule
            .clause(edition_key)
            .or_else(|| rule.clause("appi"))
            .or_else(|| rule.clause("pmark"))
        else {
            continue;
        };
        let e = clauses
            .entry(c.number.clone())
            .or_insert_with(|| ClauseSummary {
                clause: c.number.clone(),
                rules: Vec::new(),
                gaps: 0,
                at_risk: 0,
            });
        e.rules.push(rule.id.clone());
        e.gaps += cov.gaps;
        e.at_risk += cov.at_risk;
    }
    let mut clauses: Vec<ClauseSummary> = clauses.into_values().collect();
    clauses.sort_by_key(|c| clause_key(&c.clause));
    for c in &mut clauses {
        c.rules.sort();
    }
    coverage.sort_by(|a, b| a.rule_id.cmp(&b.rule_id));
    let organization = set
        .count_by_name("organization")
        .filter(|n| *n > 0)
        .and_then(|_| {
            let e = crate::check::struct_index("organization")?;
            let s = crate::schema::find_entity("organization")?;
            let v = set.field(
                crate::value::RecRef { entity: e, row: 0 },
                s.field_index("name")?,
            );
            v.as_str().map(str::to_string)
        });
    Report {
        format: 1,
        as_of: opts.as_of,
        edition: opts.edition.clone(),
        lang: opts.lang,
        organization,
        pms_year_start: year_start,
        summary,
        phases,
        clauses,
        coverage,
        findings,
        root_causes,
        deadlines,
        records: set
            .counts()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        locations: BTreeMap::new(),
    }
}

/// Sorts findings by phase, rule and subject (stable). The positions are sorted, then the
/// findings moved to theirs along the cycles of the permutation: each finding (a few
/// hundred bytes) moves once, and no second array of them is made, where a sort of the
/// findings themselves moves each once per merge pass with a scratch array of half of them
/// (a large report holds hundreds of thousands).
fn sort_findings(findings: &mut [Finding]) {
    fn order(f: &Finding) -> (Phase, &str, Option<&str>) {
        (
            f.phase,
            f.rule_id.as_str(),
            f.subject.as_ref().map(|s| s.id.as_str()),
        )
    }
    let mut from: Vec<usize> = (0..findings.len()).collect();
    from.sort_by(|a, b| match (findings.get(*a), findings.get(*b)) {
        (Some(a), Some(b)) => order(a).cmp(&order(b)),
        _ => std::cmp::Ordering::Equal,
    });
    crate::sorting::permute(findings, from);
}

/// The department of a finding on `subject` (see [`Finding::department`]): that of the first
/// of `records` with one, the subject's record first (when the subject is a record), then
/// the records involved in the finding's order. Records are read by position and references
/// followed by string-table index: no id is looked up by its text.
pub(crate) fn department(
    set: &RecordSet,
    subject: Option<&Subject>,
    records: impl IntoIterator<Item = RecRef>,
) -> Option<Department> {
    if subject?.entity == "organization" {
        return None;
    }
    let workforce = crate::check::struct_index("workforce");
    let text = |r: RecRef, field: &str| -> Option<String> {
        let slot = set.field_slot(r.entity, field)?;
        if let Some(s) = set.text(r, slot) {
            return (!s.trim().is_empty()).then(|| s.to_string());
        }
        match set.field(r, slot) {
            Value::Str(s) if !s.trim().is_empty() => Some(s.to_string()),
            Value::Rec(x) => set.id(x).map(ToString::to_string),
            _ => None,
        }
    };
    let person = |r: RecRef, field: &str| -> Option<RecRef> {
        let slot = set.field_slot(r.entity, field)?;
        let p = match set.text_index(r, slot) {
            Some(i) => set
                .string(i)
                .filter(|s| !s.trim().is_empty())
                .and_then(|_| set.record_of(i)),
            None => match set.field(r, slot) {
                Value::Str(s) if !s.trim().is_empty() => set.by_id(&s),
                Value::Rec(x) => Some(x),
                _ => None,
            },
        }?;
        (Some(p.entity) == workforce).then_some(p)
    };
    let own = |r: RecRef| -> Option<String> {
        text(r, "department_id").or_else(|| {
            ["person_id", "owner"]
                .iter()
                .find_map(|field| text(person(r, field)?, "department_id"))
        })
    };
    let id = records.into_iter().find_map(own)?;
    let name = crate::check::struct_index("department")
        .and_then(|shape| set.nested(shape, &id))
        .and_then(|v| match v {
            Value::Obj(o) => {
                let slot = crate::schema::field_slot(o.shape, "name")?;
                o.fields.get(slot)?.as_str().map(str::to_string)
            }
            _ => None,
        });
    Some(Department { id, name })
}

/// Sorts clause numbers naturally: `A.3.4.5` before `A.3.10`.
fn clause_key(c: &str) -> Vec<(u64, String)> {
    c.split('.')
        .map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p.to_string()))
        .collect()
}

impl Report {
    /// The findings each root-cause finding explains (those of [`Report::root_causes`]),
    /// keyed by the root's finding id.
    #[must_use]
    pub fn consequences_by_root(&self) -> BTreeMap<&str, Vec<&Finding>> {
        let by_id: BTreeMap<&str, &Finding> =
            self.findings.iter().map(|f| (f.id.as_str(), f)).collect();
        self.root_causes
            .iter()
            .map(|r| {
                (
                    r.finding_id.as_str(),
                    r.consequences
                        .iter()
                        .filter_map(|c| by_id.get(c.as_str()).copied())
                        .collect(),
                )
            })
            .collect()
    }

    /// Fills [`Report::locations`] with where the findings' records were read in `set` (the
    /// set this report was made from), for formats that point at files (SARIF).
    pub fn locate(&mut self, set: &RecordSet) {
        let ids = self.findings.iter().flat_map(|f| {
            f.subject
                .iter()
                .map(|s| s.id.as_str())
                .chain(f.related.iter().map(|r| r.id.as_str()))
        });
        self.locations = set.locations(ids);
    }

    /// The report as pretty JSON (deterministic: same records in any order give the same text).
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        if json::write(
            self,
            &mut out,
            json::Layout::for_findings(self.findings.len()),
        )
        .is_err()
        {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes [`Report::to_json`]'s text to `out` as it is serialised, without building the
    /// text (or a JSON tree) first: a host writing a large report to a file streams it.
    /// The findings of a large report are rendered on one thread per core, in chunks
    /// written in order (the same text whatever the threads).
    ///
    /// # Errors
    /// The writer's error.
    pub fn write_json<W: std::io::Write>(&self, mut out: W) -> std::io::Result<()> {
        json::write(
            self,
            &mut out,
            json::Layout::for_findings(self.findings.len()),
        )
    }

    /// The report as text for a terminal, in a language.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let t = |j: &'static str, e: &'static str| if ja { j } else { e };
        let mut s = String::new();
        let org = self.organization.clone().unwrap_or_default();
        let _ = writeln!(
            s,
            "{} {org}",
            t(
                "プライバシーマーク 記録点検レポート",
                "Privacy Mark records check"
            )
        );
        let _ = writeln!(
            s,
            "{}: {}   {}: {}",
            t("基準日", "As of"),
            self.as_of,
            t("規格", "Edition"),
            self.edition
        );
        let sm = &self.summary;
        let _ = writeln!(
            s,
            "{}: {} {} / {} {} / {} {} / {} {} / {} {}",
            t("ルール", "Rules"),
            sm.rules_failed,
            t("不備", "failed"),
            sm.rules_at_risk,
            t("期限間近", "at risk"),
            sm.rules_passed,
            t("適合", "passed"),
            sm.rules_not_applicable,
            t("対象外", "not applicable"),
            sm.rules_insufficient_data,
            t("判定不能", "insufficient data"),
        );
        let _ = writeln!(
            s,
            "{}: {} ({} {} / {} {})   {}: {}",
            t("不備の件数", "Gaps"),
            sm.gaps,
            t("根本原因", "root causes"),
            sm.root_cause_gaps,
            t("他の不備から生じたもの", "explained by them"),
            sm.explained_gaps,
            t("期限間近の件数", "At risk"),
            sm.at_risk
        );
        s.push('\n');
        let _ = writeln!(s, "{}", t("PDCA フェーズ別", "By PDCA phase"));
        for p in &self.phases {
            let name = if ja {
                p.phase.ja().to_string()
            } else {
                p.phase.as_str().to_string()
            };
            let closed = if p.closed {
                t("完了", "closed")
            } else {
                t("未完了", "open")
            };
            let _ = writeln!(
                s,
                "  {name:<16} {}: {:>3}  {}: {:>3}  [{closed}]",
                t("不備", "gaps"),
                p.gaps,
                t("期限間近", "at risk"),
                p.at_risk
            );
        }
        let shown: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.status != Status::Passed && f.caused_by.is_none())
            .filter(|f| !(f.status == Status::InsufficientData && f.subject.is_none()))
            .collect();
        let consequences = self.consequences_by_root();
        let mut phase = None;
        for f in shown {
            if phase != Some(f.phase) {
                phase = Some(f.phase);
                s.push('\n');
                let name = if ja {
                    f.phase.ja().to_string()
                } else {
                    f.phase.as_str().to_uppercase()
                };
                let _ = writeln!(s, "== {name} ==");
            }
            write_finding(&mut s, f, lang, "");
            if let Some(cs) = consequences.get(f.id.as_str()) {
                for c in cs {
                    let _ = writeln!(
                        s,
                        "    {} {}",
                        t("└ この不備が原因で:", "└ which also causes:"),
                        c.id
                    );
                    write_finding(&mut s, c, lang, "      ");
                }
            }
        }
        let undetermined: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.status == Status::InsufficientData && f.subject.is_none())
            .collect();
        if !undetermined.is_empty() {
            s.push('\n');
            let _ = writeln!(
                s,
                "{}",
                t(
                    "記録がなく判定できなかったルール",
                    "Rules not assessed for lack of records"
                )
            );
            for f in undetermined {
                let _ = writeln!(
                    s,
                    "  {} {} — {}",
                    f.rule_id,
                    f.title.get(lang),
                    f.message.get(lang)
                );
            }
        }
        if !self.deadlines.is_empty() {
            s.push('\n');
            let _ = writeln!(s, "{}", t("今後の期限", "Upcoming deadlines"));
            for d in &self.deadlines {
                let subj = d
                    .subject
                    .as_ref()
                    .map(|x| format!("{} {}", x.id, x.display))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "  {} ({}{}) {} {} {subj}",
                    d.due,
                    d.days_left,
                    t("日後", " days"),
                    d.rule_id,
                    d.title.get(lang)
                );
            }
        }
        escape_controls(&s)
    }
}

/// The text report with control characters (other than line ends) and bidirectional
/// overrides written as `\u{…}`: a record value cannot move the cursor, clear the terminal
/// or reorder what a reader sees. The JSON report keeps the values as they are.
fn escape_controls(s: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
    if !s.chars().any(|c| (c.is_control() && c != '\n') || bidi(c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if (c.is_control() && c != '\n') || bidi(c) {
            out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn write_finding(s: &mut String, f: &Finding, lang: Lang, indent: &str) {
    let mut refs = Vec::new();
    if let Some(c) = &f.clause {
        refs.push(if f.clause_unverified {
            format!("{c}?")
        } else {
            c.clone()
        });
    }
    if let Some(j) = &f.shishin {
        refs.push(j.clone());
    }
    let refs = if refs.is_empty() {
        String::new()
    } else {
        format!(" ({})", refs.join(" / "))
    };
    let _ = writeln!(
        s,
        "{indent}[{}] {} {}{refs} {}",
        f.status.label(lang),
        f.rule_id,
        f.title.get(lang),
        f.severity.as_str()
    );
    let _ = writeln!(s, "{indent}    {}", f.message.get(lang));
    if let Some(d) = f.due {
        let ja = lang == Lang::Ja;
        let over = match (f.days_overdue, f.completed_on) {
            (Some(n), Some(c)) if ja => format!(" (完了 {c}、{n}日遅れ)"),
            (Some(n), Some(c)) => format!(" (done {c}, {n} days late)"),
            (Some(n), None) if ja => format!(" ({n}日超過)"),
            (Some(n), None) => format!(" ({n} days overdue)"),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "{indent}    {}: {d}{over}",
            if ja { "期限" } else { "due" }
        );
    }
    if !f.related.is_empty() {
        let rel: Vec<String> = f
            .related
            .iter()
            .map(|r| format!("{}:{}", r.entity, r.id))
            .collect();
        let _ = writeln!(
            s,
            "{indent}    {}: {}",
            if lang == Lang::Ja {
                "関連記録"
            } else {
                "records"
            },
            rel.join(", ")
        );
    }
    let _ = writeln!(s, "{indent}    → {}", f.fix.get(lang));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::Report;

    /// Sorting the positions and moving each finding along its cycle gives what a stable
    /// sort of the findings gives, from any order.
    #[test]
    fn findings_sort_like_a_stable_sort_of_them() {
        fn order(f: &super::Finding) -> (crate::graph::Phase, &str, Option<&str>) {
            let subject = f.subject.as_ref().map(|s| s.id.as_str());
            (f.phase, f.rule_id.as_str(), subject)
        }
        let report = sample_report();
        let n = report.findings.len();
        assert!(n > 10);
        for step in [1, 7, n - 1, 13] {
            // A deterministic shuffle: position k takes finding (k * step + 3) mod n.
            let mut shuffled: Vec<super::Finding> = (0..n)
                .filter_map(|k| report.findings.get((k * step + 3) % n).cloned())
                .collect();
            let mut expected = shuffled.clone();
            expected.sort_by(|a, b| order(a).cmp(&order(b)));
            super::sort_findings(&mut shuffled);
            assert!(shuffled == expected, "step {step}");
        }
    }

    /// The sample company checked by two rules with `let` values, deadlines and texts to
    /// escape, every finding kept (passed ones too) and located.
    pub(crate) fn sample_report() -> Report {
        let rules = r#"rule X-J-01 {
  title ja "名前の\"引用\"と\\" en "Name\tquoted"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  let name = w.name
  let started = w.start_date
  due w.start_date + 30 days
  require (w.name ?? "") != "山田 太郎"
  message ja "{name}：改行\nなし" en "{name} </script> 😀"
  fix ja "直す" en "fix"
}
rule X-J-02 {
  title ja "二つ目" en "Second"
  clause jis2017 "A.3.3.1"
  phase plan
  severity major
  basis standard
  activity training_records
  for w in workforce
  require exists(t in training_records where t.person_id == w.id)
  message ja "{w.id}" en "{w.id}"
  fix ja "x" en "x"
}
"#;
        use crate::testing::{check, compile, day, sample};
        let program = compile("j.pms", rules);
        let set = sample();
        let mut opts = crate::eval::Options::new(day("2026-03-31"));
        opts.include_passed = true;
        let mut report = check(&program, &set, &opts);
        report.locate(&set);
        report
    }
}
