//! Markdown (CommonMark with GitHub tables) for wikis and pull requests.
//!
//! Every text from the records is escaped: Markdown punctuation gets a backslash, `<`, `>`
//! and `&` become entities (no HTML reaches the page), and line breaks become spaces so a
//! value cannot end a table row.

use crate::common::{
    by_department, clause_ref, counts_by_phase, deadlines_by_month, department_name, due_label,
    groups, not_assessed, pending_by_rule, phase_closed, phase_label, related_list, report_title,
    severity_label, subject_label, t, value_text, SEVERITIES,
};
use pms_core::report::Finding;
use pms_core::{Lang, Report};
use std::fmt::Write as _;

/// Escapes a text for Markdown (inline text and table cells): inline punctuation gets a
/// backslash, and so does a first character that would start a block (`#`, `-`, `1.` …).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    if s.starts_with(['#', '-', '+', '=']) {
        out.push('\\');
    }
    // `12. text` would start an ordered list: escape the dot after leading digits.
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let list_mark = digits > 0 && s.get(digits..).is_some_and(|r| r.starts_with(['.', ')']));
    let mut n = 0usize;
    for c in s.chars() {
        n += 1;
        if list_mark && n == digits + 1 {
            out.push('\\');
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The report as Markdown.
pub(crate) fn render(r: &Report, lang: Lang) -> String {
    let mut s = String::new();
    let org = r.organization.as_deref().unwrap_or_default();
    let _ = writeln!(s, "# {} {}\n", esc(report_title(lang)), esc(org));
    let _ = writeln!(
        s,
        "{}: **{}** · {}: {} · {}: {}\n",
        t(lang, "基準日", "As of"),
        r.as_of,
        t(lang, "規格", "Edition"),
        esc(&r.edition),
        t(lang, "PMS年度の開始", "PMS year from"),
        r.pms_year_start
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into())
    );
    summary(&mut s, r, lang);
    deadlines(&mut s, r, lang);
    let _ = writeln!(
        s,
        "## {}\n",
        t(lang, "不備（根本原因別）", "Gaps by root cause")
    );
    let gs = groups(r);
    if gs.is_empty() {
        let _ = writeln!(s, "{}\n", t(lang, "不備はありません。", "No gaps."));
    }
    for g in gs {
        finding(&mut s, g.root, lang, "###");
        for c in g.consequences {
            let _ = writeln!(
                s,
                "> {} `{}`\n",
                t(lang, "この不備が原因で:", "Which also causes:"),
                c.id.replace('`', "'")
            );
            finding(&mut s, c, lang, "####");
        }
    }
    pending(&mut s, r, lang);
    let _ = writeln!(
        s,
        "## {}\n",
        t(lang, "部門別の指摘", "Findings by department")
    );
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        t(lang, "部門", "Department"),
        t(lang, "状態", "Status"),
        t(lang, "ルール", "Rule"),
        t(lang, "対象", "Subject"),
        t(lang, "期限", "Due")
    );
    for (dept, fs) in by_department(r, lang) {
        for f in fs {
            let _ = writeln!(
                s,
                "| {} | {} | {} {} | {} | {} |",
                esc(&dept),
                esc(f.status.label(lang)),
                esc(&f.rule_id),
                esc(f.title.get(lang)),
                esc(&subject_label(f, lang)),
                f.due.map(|d| d.to_string()).unwrap_or_default()
            );
        }
    }
    s.push('\n');
    let na = not_assessed(r);
    if !na.is_empty() {
        let _ = writeln!(
            s,
            "## {}\n",
            t(
                lang,
                "記録がなく判定できなかったルール",
                "Rules not assessed for lack of records"
            )
        );
        for f in na {
            let _ = writeln!(
                s,
                "- **{}** {} — {}",
                esc(&f.rule_id),
                esc(f.title.get(lang)),
                esc(f.message.get(lang))
            );
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "---\n{}",
        t(
            lang,
            "pms（プライバシーマーク記録点検）が JSON レポートから作成。",
            "Written by pms (Privacy Mark records check) from its JSON report."
        )
    );
    s
}

fn summary(s: &mut String, r: &Report, lang: Lang) {
    let sm = &r.summary;
    let _ = writeln!(s, "## {}\n", t(lang, "概要", "Summary"));
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} | {} |\n|---:|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} | {} |\n",
        t(lang, "不備", "Gaps"),
        t(lang, "うち根本原因", "Root causes"),
        t(lang, "期限間近", "At risk"),
        t(lang, "不備のあるルール", "Rules failed"),
        t(lang, "適合ルール", "Rules passed"),
        t(lang, "判定不能ルール", "Rules not assessed"),
        sm.gaps,
        sm.root_cause_gaps,
        sm.at_risk,
        sm.rules_failed,
        sm.rules_passed,
        sm.rules_insufficient_data
    );
    let _ = writeln!(
        s,
        "### {}\n",
        t(
            lang,
            "PDCA フェーズ・重大度別",
            "By PDCA phase and severity"
        )
    );
    let mut head = format!("| {} |", t(lang, "フェーズ", "Phase"));
    let mut rule = String::from("|---|");
    for sev in SEVERITIES {
        let _ = write!(head, " {} |", severity_label(sev, lang));
        rule.push_str("---:|");
    }
    let _ = write!(
        head,
        " {} | {} |",
        t(lang, "期限間近", "At risk"),
        t(lang, "状態", "State")
    );
    rule.push_str("---:|---|");
    let _ = writeln!(s, "{head}\n{rule}");
    for (p, sev, at_risk) in counts_by_phase(r) {
        let closed = phase_closed(r, p);
        let mut row = format!("| {} |", esc(phase_label(p, lang)));
        for n in sev {
            let _ = write!(row, " {n} |");
        }
        let _ = write!(
            row,
            " {at_risk} | {} |",
            if closed {
                t(lang, "完了", "closed")
            } else {
                t(lang, "未完了", "open")
            }
        );
        let _ = writeln!(s, "{row}");
    }
    s.push('\n');
}

fn deadlines(s: &mut String, r: &Report, lang: Lang) {
    let _ = writeln!(s, "## {}\n", t(lang, "今後の期限", "Deadlines ahead"));
    if r.deadlines.is_empty() {
        let _ = writeln!(s, "{}\n", t(lang, "期限はありません。", "None."));
        return;
    }
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} |\n|---|---:|---|---|---|",
        t(lang, "期限", "Due"),
        t(lang, "残日数", "Days left"),
        t(lang, "状態", "Status"),
        t(lang, "ルール", "Rule"),
        t(lang, "対象", "Subject")
    );
    for (_, groups) in deadlines_by_month(r) {
        for g in groups {
            let d = g.first;
            let due = match d.opens {
                Some(o) => format!("{o} – {}", d.due),
                None => d.due.to_string(),
            };
            let _ = writeln!(
                s,
                "| {due} | {} | {} | {} {} | {} |",
                d.days_left,
                esc(d.status.label(lang)),
                esc(&d.rule_id),
                esc(d.title.get(lang)),
                esc(&g.subjects.join(", "))
            );
        }
    }
    s.push('\n');
}

/// At-risk and not-assessed findings: one table per rule and status.
fn pending(s: &mut String, r: &Report, lang: Lang) {
    let groups = pending_by_rule(r);
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "## {}\n",
        t(
            lang,
            "期限間近・判定できなかった対象（ルール別）",
            "At risk and not assessed (by rule)"
        )
    );
    for g in groups {
        let Some(f) = g.first() else { continue };
        let clause = clause_ref(f);
        let _ = writeln!(
            s,
            "### {} {} — {} ({})\n",
            esc(&f.rule_id),
            esc(f.title.get(lang)),
            esc(f.status.label(lang)),
            g.len()
        );
        let _ = writeln!(
            s,
            "**{}**: {} · **{}**: {}\n",
            t(lang, "重大度", "Severity"),
            esc(severity_label(f.severity, lang)),
            t(lang, "条項", "Clause"),
            esc(&clause)
        );
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            t(lang, "対象", "Subject"),
            t(lang, "期限", "Due"),
            t(lang, "部門", "Department"),
            t(lang, "内容", "Message")
        );
        for x in &g {
            let mut msg = esc(x.message.get(lang));
            if !x.related.is_empty() {
                let _ = write!(
                    msg,
                    " ({}: {})",
                    t(lang, "関連記録", "records"),
                    related_list(x, esc)
                );
            }
            if !x.missing.is_empty() {
                let miss: Vec<String> = x.missing.iter().map(|m| esc(m)).collect();
                let _ = write!(
                    msg,
                    " ({}: {})",
                    t(lang, "未記録", "not recorded"),
                    miss.join(", ")
                );
            }
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                esc(&subject_label(x, lang)),
                esc(&due_label(x, lang).unwrap_or_default()),
                esc(department_name(x).unwrap_or_default()),
                msg
            );
        }
        let _ = writeln!(
            s,
            "\n- **{}**: {}\n",
            t(lang, "対応", "Fix"),
            esc(f.fix.get(lang))
        );
    }
}

fn finding(s: &mut String, f: &Finding, lang: Lang, heading: &str) {
    let _ = writeln!(
        s,
        "{heading} {} {} — {}\n",
        esc(&f.rule_id),
        esc(f.title.get(lang)),
        esc(&subject_label(f, lang))
    );
    let mut facts = vec![
        format!(
            "**{}**: {}",
            t(lang, "状態", "Status"),
            esc(f.status.label(lang))
        ),
        format!(
            "**{}**: {}",
            t(lang, "重大度", "Severity"),
            esc(severity_label(f.severity, lang))
        ),
    ];
    let clause = clause_ref(f);
    if !clause.is_empty() {
        facts.push(format!(
            "**{}**: {}",
            t(lang, "条項", "Clause"),
            esc(&clause)
        ));
    }
    if let Some(d) = department_name(f) {
        facts.push(format!("**{}**: {}", t(lang, "部門", "Department"), esc(d)));
    }
    if let Some(due) = due_label(f, lang) {
        facts.push(format!("**{}**: {}", t(lang, "期限", "Due"), esc(&due)));
    }
    let _ = writeln!(s, "{}\n", facts.join(" · "));
    let _ = writeln!(s, "{}\n", esc(f.message.get(lang)));
    if !f.related.is_empty() {
        let _ = writeln!(
            s,
            "- {}: {}",
            t(lang, "関連記録", "Records involved"),
            related_list(f, esc)
        );
    }
    if !f.missing.is_empty() {
        let miss: Vec<String> = f.missing.iter().map(|m| esc(m)).collect();
        let _ = writeln!(
            s,
            "- {}: {}",
            t(lang, "未記録の項目", "Not recorded"),
            miss.join(", ")
        );
    }
    let values: Vec<String> = f
        .values
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| format!("{} = {}", esc(k), esc(&value_text(v))))
        .collect();
    if !values.is_empty() {
        let _ = writeln!(
            s,
            "- {}: {}",
            t(lang, "判定に使った値", "Values"),
            values.join("; ")
        );
    }
    let _ = writeln!(
        s,
        "- **{}**: {}\n",
        t(lang, "対応", "Fix"),
        esc(f.fix.get(lang))
    );
}
