//! The deadlines of a report on their own (`pms deadlines`): text and JSON. The calendar
//! form is [`crate::Format::Ics`].

use crate::common::{deadline_subject, t, visible};
use pms_core::{Lang, Report};
use std::fmt::Write as _;

/// The deadlines as text, one a line, in date order.
pub(crate) fn text(r: &Report, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} ({}: {})",
        t(lang, "今後の期限", "Deadlines ahead"),
        r.organization.as_deref().unwrap_or_default(),
        t(lang, "基準日", "as of"),
        r.as_of
    );
    if r.deadlines.is_empty() {
        let _ = writeln!(s, "  {}", t(lang, "なし", "none"));
    }
    for d in &r.deadlines {
        let when = match d.opens {
            Some(o) => format!("{o}〜{}", d.due),
            None => d.due.to_string(),
        };
        let _ = writeln!(
            s,
            "  {when} ({}{}) [{}] {} {} {}",
            d.days_left,
            t(lang, "日後", " days"),
            d.status.label(lang),
            d.rule_id,
            d.title.get(lang),
            deadline_subject(d)
        );
    }
    visible(&s).into_owned()
}

/// The deadlines as JSON: `{ format, as_of, organization, deadlines: [...] }` with each
/// deadline as in the report.
pub(crate) fn json(r: &Report) -> String {
    let v = serde_json::json!({
        "format": 1,
        "as_of": r.as_of,
        "organization": r.organization,
        "deadlines": r.deadlines,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
