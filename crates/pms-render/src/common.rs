//! What the human-readable formats (HTML, Markdown, calendar texts) share: labels in both
//! languages and the report's findings arranged for reading (root causes with their
//! consequences, departments, deadlines by month).

use chrono::NaiveDate;
use pms_core::graph::Phase;
use pms_core::report::{Deadline, Finding, Status};
use pms_core::{Lang, Report, Severity};
use std::collections::BTreeMap;

/// Picks the Japanese or the English text.
pub(crate) fn t(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// Name of a PDCA phase.
pub(crate) fn phase_label(p: Phase, lang: Lang) -> &'static str {
    match (p, lang) {
        (_, Lang::Ja) => p.ja(),
        (Phase::Plan, Lang::En) => "Plan",
        (Phase::Do, Lang::En) => "Do",
        (Phase::Check, Lang::En) => "Check",
        (Phase::Act, Lang::En) => "Act",
    }
}

/// Name of a severity.
pub(crate) fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Critical, Lang::Ja) => "重大",
        (Severity::Major, Lang::Ja) => "主要",
        (Severity::Minor, Lang::Ja) => "軽微",
        (Severity::Info, Lang::Ja) => "情報",
        (Severity::Critical, Lang::En) => "critical",
        (Severity::Major, Lang::En) => "major",
        (Severity::Minor, Lang::En) => "minor",
        (Severity::Info, Lang::En) => "info",
    }
}

/// Severities from the most serious.
pub(crate) const SEVERITIES: [Severity; 4] = [
    Severity::Critical,
    Severity::Major,
    Severity::Minor,
    Severity::Info,
];

/// The clause reference of a finding: `7.3? / J.4.3` (a `?` marks an unverified number).
pub(crate) fn clause_ref(f: &Finding) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &f.clause {
        parts.push(if f.clause_unverified {
            format!("{c}?")
        } else {
            c.clone()
        });
    }
    if let Some(j) = &f.shishin {
        parts.push(j.clone());
    }
    parts.join(" / ")
}

/// The subject of a finding as `id display`, or the rule as a whole.
pub(crate) fn subject_label(f: &Finding, lang: Lang) -> String {
    match &f.subject {
        Some(s) if s.display.is_empty() || s.display == s.id => s.id.clone(),
        Some(s) => format!("{} {}", s.id, s.display),
        None => t(lang, "（全体）", "(as a whole)").to_string(),
    }
}

/// The due date line of a finding: `2025-10-31 (45 days overdue)`.
pub(crate) fn due_label(f: &Finding, lang: Lang) -> Option<String> {
    let d = f.due?;
    let over = match (f.days_overdue, f.completed_on, lang) {
        (Some(n), Some(c), Lang::Ja) => format!("（完了 {c}、{n}日遅れ）"),
        (Some(n), Some(c), Lang::En) => format!(" (done {c}, {n} days late)"),
        (Some(n), None, Lang::Ja) => format!("（{n}日超過）"),
        (Some(n), None, Lang::En) => format!(" ({n} days overdue)"),
        _ => String::new(),
    };
    Some(format!("{d}{over}"))
}

/// A finding value as text (strings without quotes).
pub(crate) fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "—".to_string(),
        other => other.to_string(),
    }
}

/// Whether a finding is shown to readers: anything but a pass.
pub(crate) fn shown(f: &Finding) -> bool {
    f.status != Status::Passed
}

/// A root finding and the findings it explains.
pub(crate) struct Group<'a> {
    /// The root finding.
    pub root: &'a Finding,
    /// Findings explained by it.
    pub consequences: Vec<&'a Finding>,
}

/// The gaps to read: root causes with the gaps they explain, in the report's (phase, rule,
/// subject) order. Other findings are grouped by [`pending_by_rule`]; rules not assessed at
/// all (rule-level insufficient data) are left to [`not_assessed`].
pub(crate) fn groups(report: &Report) -> Vec<Group<'_>> {
    let consequences = report.consequences_by_root();
    let out: Vec<Group<'_>> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Gap && f.caused_by.is_none())
        .map(|f| Group {
            root: f,
            consequences: consequences.get(f.id.as_str()).cloned().unwrap_or_default(),
        })
        .collect();
    out
}

/// Findings that are not gaps (at risk, or a subject not assessed), by rule and status in
/// the report's order: one group per rule and status, so ten inventory items due for review
/// on the same rule read as one item with ten subjects.
pub(crate) fn pending_by_rule(report: &Report) -> Vec<Vec<&Finding>> {
    let mut out: Vec<Vec<&Finding>> = Vec::new();
    for f in report
        .findings
        .iter()
        .filter(|f| shown(f) && f.status != Status::Gap && !is_rule_unassessed(f))
    {
        match out.iter_mut().find(|g| {
            g.first()
                .is_some_and(|x| x.rule_id == f.rule_id && x.status == f.status)
        }) {
            Some(g) => g.push(f),
            None => out.push(vec![f]),
        }
    }
    pms_core::sorting::sort_by_key(&mut out, |g| g.first().map_or(9, |f| status_rank(f.status)));
    out
}

/// Order of statuses for readers: gaps first.
pub(crate) fn status_rank(s: Status) -> u8 {
    match s {
        Status::Gap => 0,
        Status::AtRisk => 1,
        Status::InsufficientData => 2,
        Status::NotApplicable => 3,
        Status::Passed => 4,
    }
}

/// A rule that could not be assessed at all for lack of records.
pub(crate) fn is_rule_unassessed(f: &Finding) -> bool {
    f.status == Status::InsufficientData && f.subject.is_none()
}

/// Rules not assessed for lack of records.
pub(crate) fn not_assessed(report: &Report) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| is_rule_unassessed(f))
        .collect()
}

/// Shown findings by department (department name or id; company-wide findings last under
/// the label of [`no_department`]).
pub(crate) fn by_department(report: &Report, lang: Lang) -> Vec<(String, Vec<&Finding>)> {
    let mut map: BTreeMap<(bool, String), Vec<&Finding>> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| shown(f)) {
        let key = match &f.department {
            Some(d) => (
                false,
                match &d.name {
                    Some(n) => format!("{n} ({})", d.id),
                    None => d.id.clone(),
                },
            ),
            None => (true, no_department(lang).to_string()),
        };
        map.entry(key).or_default().push(f);
    }
    map.into_iter()
        .map(|((_, name), mut fs)| {
            pms_core::sorting::sort_by_key(&mut fs, |f| status_rank(f.status));
            (name, fs)
        })
        .collect()
}

/// The heading of findings that belong to no department.
pub(crate) fn no_department(lang: Lang) -> &'static str {
    t(lang, "全社・部門なし", "Company-wide / no department")
}

/// Gap and at-risk counts per phase and severity, from the findings.
pub(crate) fn counts_by_phase(report: &Report) -> Vec<(Phase, [usize; 4], usize)> {
    Phase::ALL
        .iter()
        .map(|p| {
            let mut sev = [0usize; 4];
            let mut at_risk = 0;
            for f in report.findings.iter().filter(|f| f.phase == *p) {
                match f.status {
                    Status::Gap => {
                        if let Some(i) = SEVERITIES.iter().position(|s| *s == f.severity) {
                            if let Some(n) = sev.get_mut(i) {
                                *n += 1;
                            }
                        }
                    }
                    Status::AtRisk => at_risk += 1,
                    _ => {}
                }
            }
            (*p, sev, at_risk)
        })
        .collect()
}

/// Deadlines of one rule falling on one day with one status (25 workers due for training
/// on the same day are one line).
pub(crate) struct DeadlineGroup<'a> {
    /// The first deadline of the group (due date, window, rule, title, status).
    pub first: &'a Deadline,
    /// The subjects, `id display`.
    pub subjects: Vec<String>,
}

/// A date's year and month as chrono's `%Y-%m` writes them (`2026-04`; the year with a sign
/// outside 0–9999), without chrono's format machinery (the WebAssembly module's size).
pub(crate) fn year_month(d: NaiveDate) -> String {
    let mut s = d.to_string();
    s.truncate(s.len().saturating_sub(3));
    s
}

/// Deadlines grouped by month (`2026-04`) and, within a month, by day, rule and status, in
/// date order.
pub(crate) fn deadlines_by_month(report: &Report) -> Vec<(String, Vec<DeadlineGroup<'_>>)> {
    let mut map: BTreeMap<String, Vec<DeadlineGroup<'_>>> = BTreeMap::new();
    for d in &report.deadlines {
        let month = map.entry(year_month(d.due)).or_default();
        let same = |g: &&mut DeadlineGroup<'_>| {
            g.first.due == d.due
                && g.first.opens == d.opens
                && g.first.rule_id == d.rule_id
                && g.first.status == d.status
        };
        match month.iter_mut().find(|g| same(g)) {
            Some(g) => g.subjects.push(deadline_subject(d)),
            None => month.push(DeadlineGroup {
                first: d,
                subjects: vec![deadline_subject(d)],
            }),
        }
    }
    map.into_iter().collect()
}

/// The subject of a deadline as `id display`.
pub(crate) fn deadline_subject(d: &Deadline) -> String {
    match &d.subject {
        Some(s) if s.display.is_empty() || s.display == s.id => s.id.clone(),
        Some(s) => format!("{} {}", s.id, s.display),
        None => String::new(),
    }
}

/// The title of a report in a language.
pub(crate) fn report_title(lang: Lang) -> &'static str {
    t(
        lang,
        "プライバシーマーク 記録点検レポート",
        "Privacy Mark records check",
    )
}

/// A record text made safe to show: control characters (other than line ends and tabs)
/// and bidirectional overrides are written as `\u{…}`, as in the text report, so a value
/// cannot reorder what a reader sees.
pub(crate) fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    };
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The department a finding belongs to, as shown: its name, or its id when it has none.
pub(crate) fn department_name(f: &Finding) -> Option<&str> {
    f.department
        .as_ref()
        .map(|d| d.name.as_deref().unwrap_or(&d.id))
}

/// The records a finding involves, `entity:id, …`, each part written by `part` (the
/// identity, or a format's escaping of it).
pub(crate) fn related_list(f: &Finding, part: impl Fn(&str) -> String) -> String {
    f.related
        .iter()
        .map(|x| format!("{}:{}", part(&x.entity), part(&x.id)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the report says a PDCA phase is closed.
pub(crate) fn phase_closed(report: &Report, p: Phase) -> bool {
    report.phases.iter().any(|x| x.phase == p && x.closed)
}
