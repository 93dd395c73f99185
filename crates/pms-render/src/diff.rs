//! The difference between two checks (`pms diff before.json after.json`): gaps closed,
//! gaps new, gaps still open, other changes of status, and deadlines that moved — the
//! follow-up view, e.g. before and after corrective actions.
//!
//! Findings are matched by their stable id (`rule:subject`). A finding that a check does
//! not list is one that passed, or was not checked (its status there is `null`).

use crate::common::{t, visible};
use chrono::NaiveDate;
use pms_core::program::Texts;
use pms_core::report::{Finding, Status, Subject};
use pms_core::{Lang, Report, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Evaluation date of that check.
    pub as_of: NaiveDate,
    /// Company.
    pub organization: Option<String>,
    /// Gap findings.
    pub gaps: usize,
    /// At-risk findings.
    pub at_risk: usize,
}

/// A finding whose status differs (or a gap still open).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Finding id (`rule:subject`).
    pub finding_id: String,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: Texts,
    /// The record concerned.
    pub subject: Option<Subject>,
    /// Severity.
    pub severity: Severity,
    /// Status in the earlier check (`None`: not listed — passed or not checked).
    pub before: Option<Status>,
    /// Status in the later check.
    pub after: Option<Status>,
}

/// A deadline that moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// Finding id.
    pub finding_id: String,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: Texts,
    /// The record concerned.
    pub subject: Option<Subject>,
    /// Due date in the earlier check.
    pub before: NaiveDate,
    /// Due date in the later check.
    pub after: NaiveDate,
    /// Days it moved (positive: later).
    pub days: i64,
}

/// The difference between two reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Format version of this JSON.
    pub format: u32,
    /// The earlier check.
    pub before: Side,
    /// The later check.
    pub after: Side,
    /// Gaps of the earlier check that are no longer gaps.
    pub closed: Vec<Change>,
    /// Gaps of the later check that were not gaps before.
    pub new: Vec<Change>,
    /// Gaps in both.
    pub still_open: Vec<Change>,
    /// Other changes of status (at risk, undetermined, passed).
    pub changed: Vec<Change>,
    /// Deadlines that moved.
    pub deadlines_moved: Vec<Moved>,
}

fn side(r: &Report) -> Side {
    Side {
        as_of: r.as_of,
        organization: r.organization.clone(),
        gaps: r.summary.gaps,
        at_risk: r.summary.at_risk,
    }
}

/// Due dates by finding id: of the findings, and of the deadlines (which also list the
/// next due date of passed subjects).
fn dues(r: &Report) -> BTreeMap<&str, NaiveDate> {
    let mut m: BTreeMap<&str, NaiveDate> = pms_core::sorting::map_of(
        r.deadlines
            .iter()
            .filter(|d| !d.finding_id.is_empty())
            .map(|d| (d.finding_id.as_str(), d.due)),
    );
    for f in &r.findings {
        if let Some(d) = f.due {
            m.insert(f.id.as_str(), d);
        }
    }
    m
}

/// Compares two reports.
#[must_use]
pub fn diff(before: &Report, after: &Report) -> Diff {
    let b: BTreeMap<&str, &Finding> =
        pms_core::sorting::map_of(before.findings.iter().map(|f| (f.id.as_str(), f)));
    let a: BTreeMap<&str, &Finding> =
        pms_core::sorting::map_of(after.findings.iter().map(|f| (f.id.as_str(), f)));
    let ids: BTreeSet<&str> = pms_core::sorting::set_of(b.keys().chain(a.keys()).copied());
    let mut d = Diff {
        format: 1,
        before: side(before),
        after: side(after),
        closed: Vec::new(),
        new: Vec::new(),
        still_open: Vec::new(),
        changed: Vec::new(),
        deadlines_moved: Vec::new(),
    };
    // Passed findings are listed only with `--all`: count an unlisted one as not a gap.
    let status = |m: &BTreeMap<&str, &Finding>, id: &str| m.get(id).map(|f| f.status);
    for id in ids {
        let (sb, sa) = (status(&b, id), status(&a, id));
        let Some(f) = a.get(id).or_else(|| b.get(id)) else {
            continue;
        };
        let change = Change {
            finding_id: id.to_string(),
            rule_id: f.rule_id.clone(),
            title: Texts::clone(&f.title),
            subject: f.subject.clone(),
            severity: f.severity,
            before: sb,
            after: sa,
        };
        let gap = |s: Option<Status>| s == Some(Status::Gap);
        match (gap(sb), gap(sa)) {
            (true, false) => d.closed.push(change),
            (false, true) => d.new.push(change),
            (true, true) => d.still_open.push(change),
            (false, false) if sb != sa => d.changed.push(change),
            (false, false) => {}
        }
    }
    let (db, da) = (dues(before), dues(after));
    let titles: BTreeMap<&str, &Finding> =
        b.iter().chain(a.iter()).map(|(k, v)| (*k, *v)).collect();
    let deadline_info = |id: &str| {
        titles
            .get(id)
            .map(|f| (f.rule_id.clone(), f.title.clone(), f.subject.clone()))
            .or_else(|| {
                after
                    .deadlines
                    .iter()
                    .chain(before.deadlines.iter())
                    .find(|x| x.finding_id == id)
                    .map(|x| (x.rule_id.clone(), x.title.clone(), x.subject.clone()))
            })
    };
    for (id, due_b) in &db {
        if let Some(due_a) = da.get(id) {
            if due_a != due_b {
                if let Some((rule_id, title, subject)) = deadline_info(id) {
                    d.deadlines_moved.push(Moved {
                        finding_id: (*id).to_string(),
                        rule_id,
                        title: Texts::clone(&title),
                        subject,
                        before: *due_b,
                        after: *due_a,
                        days: (*due_a - *due_b).num_days(),
                    });
                }
            }
        }
    }
    d
}

fn status_text(s: Option<Status>, lang: Lang) -> &'static str {
    match s {
        Some(s) => s.label(lang),
        None => t(lang, "記載なし（適合）", "not listed (passed)"),
    }
}

fn subject_text(s: Option<&Subject>) -> String {
    match s {
        Some(s) if s.display.is_empty() || s.display == s.id => format!(" {}", s.id),
        Some(s) => format!(" {} {}", s.id, s.display),
        None => String::new(),
    }
}

impl Diff {
    /// The difference as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The difference as text for a terminal.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} {} → {}",
            t(lang, "点検結果の比較", "Comparison of checks"),
            self.before.as_of,
            self.after.as_of
        );
        let _ = writeln!(
            s,
            "{}: {} → {}   {}: {} → {}",
            t(lang, "不備", "Gaps"),
            self.before.gaps,
            self.after.gaps,
            t(lang, "期限間近", "At risk"),
            self.before.at_risk,
            self.after.at_risk
        );
        let sections: [(&str, &[Change]); 4] = [
            (t(lang, "解消した不備", "Gaps closed"), &self.closed),
            (t(lang, "新たな不備", "New gaps"), &self.new),
            (
                t(lang, "残っている不備", "Gaps still open"),
                &self.still_open,
            ),
            (
                t(lang, "その他の状態の変化", "Other changes"),
                &self.changed,
            ),
        ];
        for (title, list) in sections {
            let _ = writeln!(s, "\n{title} ({})", list.len());
            for c in list {
                let _ = writeln!(
                    s,
                    "  {} {}{}: {} → {}",
                    c.rule_id,
                    c.title.get(lang),
                    subject_text(c.subject.as_ref()),
                    status_text(c.before, lang),
                    status_text(c.after, lang)
                );
            }
        }
        let _ = writeln!(
            s,
            "\n{} ({})",
            t(lang, "動いた期限", "Deadlines moved"),
            self.deadlines_moved.len()
        );
        for m in &self.deadlines_moved {
            let _ = writeln!(
                s,
                "  {} {}{}: {} → {} ({:+}{})",
                m.rule_id,
                m.title.get(lang),
                subject_text(m.subject.as_ref()),
                m.before,
                m.after,
                m.days,
                t(lang, "日", " days")
            );
        }
        visible(&s).into_owned()
    }
}
