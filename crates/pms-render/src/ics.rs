//! iCalendar (RFC 5545): the deadlines ahead as all-day events.
//!
//! * One event per deadline; a deadline that may only be met within a window (the renewal
//!   application) spans the window from its first to its last day.
//! * UIDs are stable: the same rule, record and kind of event give the same UID in every
//!   check, so importing a later calendar updates the events instead of adding copies.
//!   `SEQUENCE` grows with the check's date (days since 2000-01-01), so calendars accept the
//!   later version; `DTSTAMP` is the check's date, so the output is deterministic.
//! * Gaps and at-risk deadlines carry two alarms: a week before the last day, and at 09:00
//!   on it.
//!
//! Written by hand rather than with the `icalendar` crate: that crate needs a newer Rust
//! than this workspace's minimum, and brings `uuid`/`getrandom` (random UIDs we do not
//! want, and a build that fails on `wasm32-unknown-unknown` without extra configuration).
//! What RFC 5545 asks of a writer is small and done here: CRLF line ends, lines folded at
//! 75 octets without splitting a UTF-8 character, TEXT values escaped (`\\ \; \, \n`).

use crate::common::{clause_ref, deadline_subject, related_list, t, visible};
use chrono::NaiveDate;
use pms_core::report::{Deadline, Finding, Status};
use pms_core::{Lang, Report};
use std::collections::BTreeMap;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in visible(s).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line: at most 75 octets per line, continuation lines start with a space
/// (RFC 5545 §3.1), never inside a UTF-8 character. Ends with CRLF.
pub(crate) fn fold(line: &str, out: &mut String) {
    let mut width = 0usize;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// FNV-1a (32 bit) of a text: a short stable tag of the company in UIDs.
fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// A UID part: letters, digits, `_` and `-` as they are, other bytes as `%XX`.
fn uid_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The stable UID of a deadline's event: rule, record, kind of event and company.
pub(crate) fn uid(report: &Report, d: &Deadline, kind: &str) -> String {
    let (entity, id) = d
        .subject
        .as_ref()
        .map_or(("", ""), |s| (s.entity.as_str(), s.id.as_str()));
    format!(
        "{}.{}.{}.{}.{:08x}@pms",
        uid_part(&d.rule_id),
        uid_part(entity),
        uid_part(id),
        kind,
        fnv1a(report.organization.as_deref().unwrap_or_default())
    )
}

fn date(d: NaiveDate) -> String {
    // chrono's `%Y%m%d`: its `%Y-%m-%d` (`Display`) without the dashes before month and day.
    let s = d.to_string();
    let n = s.len();
    [
        s.get(..n.saturating_sub(6)),
        s.get(n.saturating_sub(5)..n.saturating_sub(3)),
        s.get(n.saturating_sub(2)..),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The report's deadlines as an iCalendar.
pub(crate) fn render(r: &Report, lang: Lang) -> String {
    let findings: BTreeMap<&str, &Finding> =
        pms_core::sorting::map_of(r.findings.iter().map(|f| (f.id.as_str(), f)));
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let sequence = (r.as_of - epoch).num_days().max(0);
    let stamp = format!("{}T000000Z", date(r.as_of));
    let org = r.organization.as_deref().unwrap_or_default();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//pms//Privacy Mark records check {}//{}",
            env!("CARGO_PKG_VERSION"),
            t(lang, "JA", "EN")
        ),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            text(format!("{} {org}", t(lang, "Pマーク期限", "Privacy Mark deadlines")).trim())
        ),
    ];
    for d in &r.deadlines {
        let f = findings.get(d.finding_id.as_str()).copied();
        let kind = if d.opens.is_some() { "window" } else { "due" };
        let start = d.opens.unwrap_or(d.due);
        let end = d.due.succ_opt().unwrap_or(d.due);
        let subject = deadline_subject(d);
        let summary = format!(
            "[{}] {} {}{}",
            d.status.label(lang),
            d.rule_id,
            d.title.get(lang),
            if subject.is_empty() {
                String::new()
            } else {
                format!(" — {subject}")
            }
        );
        let mut desc = Vec::new();
        if let Some(o) = d.opens {
            desc.push(format!(
                "{}: {o} – {}",
                t(lang, "受付期間", "Window"),
                d.due
            ));
        } else {
            desc.push(format!("{}: {}", t(lang, "期限", "Due"), d.due));
        }
        if let Some(f) = f {
            desc.push(f.message.get(lang).to_string());
            let clause = clause_ref(f);
            if !clause.is_empty() {
                desc.push(format!("{}: {clause}", t(lang, "条項", "Clause")));
            }
            if !f.related.is_empty() {
                desc.push(format!(
                    "{}: {}",
                    t(lang, "関連記録", "Records"),
                    related_list(f, str::to_owned)
                ));
            }
            desc.push(format!("→ {}", f.fix.get(lang)));
        }
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", uid(r, d, kind)));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("SEQUENCE:{sequence}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", date(start)));
        lines.push(format!("DTEND;VALUE=DATE:{}", date(end)));
        lines.push(format!("SUMMARY:{}", text(&summary)));
        lines.push(format!("DESCRIPTION:{}", text(&desc.join("\n"))));
        lines.push(format!(
            "CATEGORIES:{},{}",
            text(t(lang, "プライバシーマーク", "Privacy Mark")),
            text(d.status.label(lang))
        ));
        lines.push("STATUS:CONFIRMED".into());
        lines.push("TRANSP:TRANSPARENT".into());
        if matches!(d.status, Status::Gap | Status::AtRisk) {
            for trigger in ["-P7D", "-PT15H"] {
                lines.push("BEGIN:VALARM".into());
                lines.push("ACTION:DISPLAY".into());
                lines.push(format!("DESCRIPTION:{}", text(&summary)));
                lines.push(format!("TRIGGER;RELATED=END:{trigger}"));
                lines.push("END:VALARM".into());
            }
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_chronos_formats_write_them() {
        for (y, m, d) in [
            (2026, 4, 1),
            (1, 1, 1),
            (0, 12, 31),
            (-1, 6, 30),
            (10_000, 1, 2),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date(day), day.format("%Y%m%d").to_string());
            assert_eq!(
                crate::common::year_month(day),
                day.format("%Y-%m").to_string()
            );
            assert_eq!(day.to_string(), day.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn folding_keeps_lines_within_75_octets_and_characters_whole() {
        let long = format!("DESCRIPTION:{}", "個人情報".repeat(40));
        let mut out = String::new();
        fold(&long, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_values_escape_separators() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
