//! One self-contained HTML page for managers: summary by PDCA phase and severity with a
//! chart, the deadlines ahead as a timeline, findings by root cause and by department.
//!
//! The page loads nothing: styles are inline, charts are inline SVG, there is no script,
//! and a Content-Security-Policy forbids every fetch. It prints on A4 (print CSS). Every
//! text from the records is HTML-escaped (`html-escape`) after control and bidirectional
//! characters are made visible.

use crate::common::{
    by_department, counts_by_phase, deadlines_by_month, department_name, due_label, groups,
    not_assessed, pending_by_rule, phase_closed, phase_label, related_list, report_title,
    severity_label, subject_label, t, value_text, visible, SEVERITIES,
};
use chrono::{Datelike as _, NaiveDate};
use pms_core::report::{Finding, Status};
use pms_core::{Lang, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Escapes a text for an HTML text node or a double-quoted attribute.
fn e(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(&visible(s)).into_owned()
}

const CSS: &str = r#"
:root{--gap:#b3261e;--risk:#b35c00;--ok:#2e7d32;--na:#5f6368;--crit:#7f0000;--major:#c62828;--minor:#ef8f00;--info:#607d8b;--line:#d0d4da;--soft:#f4f6f8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic","Meiryo",system-ui,sans-serif;color:#1f2328;margin:0 auto;padding:1.5rem;max-width:62rem;line-height:1.55;font-size:15px;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:0 0 .3rem}
h2{font-size:1.2rem;border-bottom:2px solid #1f2328;padding-bottom:.2rem;margin:1.8rem 0 .8rem;break-after:avoid}
h3{font-size:1.05rem;margin:1.2rem 0 .5rem;break-after:avoid}
h4{font-size:1rem;margin:0 0 .3rem}
.meta{color:#444;margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.6rem;margin:.8rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;background:var(--soft)}
.card b{display:block;font-size:1.6rem;line-height:1.2}
.card.gap b{color:var(--gap)}.card.risk b{color:var(--risk)}.card.ok b{color:var(--ok)}
svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem;font-size:.92em;table-layout:auto}
th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--soft)}
td.n,th.n{text-align:right;white-space:nowrap}
td.nw{white-space:nowrap}
.badge{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.85em;color:#fff;white-space:nowrap}
.st-gap{background:var(--gap)}.st-at_risk{background:var(--risk)}.st-passed{background:var(--ok)}.st-insufficient_data,.st-not_applicable{background:var(--na)}
.sev{display:inline-block;border:1px solid currentColor;border-radius:3px;padding:0 .35rem;font-size:.8em;white-space:nowrap}
.sev-critical{color:var(--crit)}.sev-major{color:var(--major)}.sev-minor{color:#8a5300}.sev-info{color:var(--info)}
.finding{border:1px solid var(--line);border-left:5px solid var(--na);border-radius:4px;padding:.55rem .75rem;margin:.6rem 0;break-inside:avoid;page-break-inside:avoid}
.finding.gap{border-left-color:var(--gap)}.finding.at_risk{border-left-color:var(--risk)}
.finding.consequence{margin:.5rem 0 0 1rem;border-left-width:3px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0;font-size:.92em}
.facts dt{color:#555}.facts dd{margin:0}
.msg{margin:.3rem 0}
.fix{margin:.3rem 0 0;padding:.3rem .5rem;background:#eef6ee;border-radius:3px}
.values{font-size:.85em}
.values td:first-child{white-space:nowrap;width:1%}
.because{font-size:.9em;color:#555;margin:.6rem 0 .2rem 1rem}
.month{margin:.6rem 0}
.month ul{margin:.2rem 0;padding-left:1.2rem}
.legend{font-size:.85em;color:#444}
.legend i{display:inline-block;width:.8em;height:.8em;margin:0 .25em 0 .8em;vertical-align:-.05em}
footer{margin-top:2rem;color:#666;font-size:.85em;border-top:1px solid var(--line);padding-top:.5rem}
a{color:inherit}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;padding:0;font-size:10pt}h2{margin-top:1.2rem}a{text-decoration:none}.cards{grid-template-columns:repeat(6,1fr)}section{break-before:auto}}
"#;

/// The report as one HTML page.
pub(crate) fn render(r: &Report, lang: Lang) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let org = r.organization.as_deref().unwrap_or_default();
    let title = format!("{} {org}", report_title(lang));
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"pms\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        t(lang, "ja", "en"),
        e(title.trim())
    );
    let _ = writeln!(
        s,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}: <b>{}</b> · {}: {} · {}: {}</p>\n</header>",
        e(title.trim()),
        t(lang, "基準日", "As of"),
        r.as_of,
        t(lang, "規格", "Edition"),
        e(&r.edition),
        t(lang, "PMS年度の開始", "PMS year from"),
        r.pms_year_start
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into())
    );
    summary(&mut s, r, lang);
    deadlines(&mut s, r, lang);
    let anchors: BTreeMap<&str, usize> = pms_core::sorting::map_of(
        r.findings
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), i)),
    );
    let anchor = |f: &Finding| anchors.get(f.id.as_str()).copied().unwrap_or_default();
    let _ = writeln!(
        s,
        "<section id=\"root-causes\">\n<h2>{}</h2>\n<p class=\"meta\">{}</p>",
        t(lang, "不備（根本原因別）", "Gaps by root cause"),
        t(
            lang,
            "他の不備から生じた不備は、原因となる不備の下に示します。期限間近の項目は次の節にあります。",
            "Gaps explained by another gap are shown under the gap that causes them; findings at risk follow in the next section."
        )
    );
    let gs = groups(r);
    if gs.is_empty() {
        let _ = writeln!(
            s,
            "<p>{}</p>",
            t(lang, "指摘はありません。", "No findings.")
        );
    }
    for g in gs {
        finding(&mut s, g.root, lang, anchor(g.root), "finding");
        if !g.consequences.is_empty() {
            let _ = writeln!(
                s,
                "<p class=\"because\">{}</p>",
                t(lang, "└ この不備が原因で:", "└ which also causes:")
            );
        }
        for c in g.consequences {
            finding(&mut s, c, lang, anchor(c), "finding consequence");
        }
    }
    s.push_str("</section>\n");
    pending(&mut s, r, lang, &anchor);
    let _ = writeln!(
        s,
        "<section id=\"departments\">\n<h2>{}</h2>",
        t(lang, "部門別の指摘", "Findings by department")
    );
    for (dept, fs) in by_department(r, lang) {
        let gaps = fs.iter().filter(|f| f.status == Status::Gap).count();
        let _ = writeln!(
            s,
            "<h3>{} <span class=\"meta\">({} {gaps} / {} {})</span></h3>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            e(&dept),
            t(lang, "不備", "gaps"),
            t(lang, "指摘", "findings"),
            fs.len(),
            t(lang, "状態", "Status"),
            t(lang, "ルール", "Rule"),
            t(lang, "対象", "Subject"),
            t(lang, "期限", "Due"),
        );
        for f in fs {
            let _ = writeln!(
                s,
                "<tr><td><span class=\"badge st-{}\">{}</span></td><td><a href=\"#f{}\">{} {}</a></td><td>{}</td><td class=\"nw\">{}</td></tr>",
                status_class(f.status),
                e(f.status.label(lang)),
                anchor(f),
                e(&f.rule_id),
                e(f.title.get(lang)),
                e(&subject_label(f, lang)),
                f.due.map(|d| d.to_string()).unwrap_or_default()
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    s.push_str("</section>\n");
    let na = not_assessed(r);
    if !na.is_empty() {
        let _ = writeln!(
            s,
            "<section id=\"not-assessed\">\n<h2>{}</h2>\n<ul>",
            t(
                lang,
                "記録がなく判定できなかったルール",
                "Rules not assessed for lack of records"
            )
        );
        for f in na {
            let _ = writeln!(
                s,
                "<li><b>{}</b> {} — {}</li>",
                e(&f.rule_id),
                e(f.title.get(lang)),
                e(f.message.get(lang))
            );
        }
        s.push_str("</ul>\n</section>\n");
    }
    let _ = writeln!(
        s,
        "<footer>{}</footer>\n</body>\n</html>",
        t(
            lang,
            "pms（プライバシーマーク記録点検）が JSON レポートから作成。記録は外部に送信されていません。",
            "Written by pms (Privacy Mark records check) from its JSON report. No record left the machine."
        )
    );
    s
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Gap => "gap",
        Status::AtRisk => "at_risk",
        Status::Passed => "passed",
        Status::NotApplicable => "not_applicable",
        Status::InsufficientData => "insufficient_data",
    }
}

fn severity_color(i: usize) -> &'static str {
    match i {
        0 => "#7f0000",
        1 => "#c62828",
        2 => "#ef8f00",
        _ => "#607d8b",
    }
}

const RISK_COLOR: &str = "#4a90d9";

fn summary(s: &mut String, r: &Report, lang: Lang) {
    let sm = &r.summary;
    let _ = writeln!(
        s,
        "<section id=\"summary\">\n<h2>{}</h2>\n<div class=\"cards\">",
        t(lang, "概要", "Summary")
    );
    let cards = [
        ("gap", t(lang, "不備", "Gaps"), sm.gaps),
        (
            "gap",
            t(lang, "うち根本原因", "Root causes"),
            sm.root_cause_gaps,
        ),
        ("risk", t(lang, "期限間近", "At risk"), sm.at_risk),
        (
            "gap",
            t(lang, "不備のあるルール", "Rules failed"),
            sm.rules_failed,
        ),
        ("ok", t(lang, "適合ルール", "Rules passed"), sm.rules_passed),
        (
            "",
            t(lang, "判定不能ルール", "Rules not assessed"),
            sm.rules_insufficient_data,
        ),
    ];
    for (class, label, n) in cards {
        let _ = writeln!(s, "<div class=\"card {class}\"><b>{n}</b>{label}</div>");
    }
    s.push_str("</div>\n");
    let _ = writeln!(
        s,
        "<h3>{}</h3>",
        t(
            lang,
            "PDCA フェーズ・重大度別",
            "By PDCA phase and severity"
        )
    );
    let rows = counts_by_phase(r);
    let max = rows
        .iter()
        .map(|(_, sev, risk)| sev.iter().sum::<usize>() + risk)
        .max()
        .unwrap_or(0)
        .max(1);
    let (label_w, bar_w, row_h) = (130.0_f64, 440.0_f64, 30.0_f64);
    let height = row_h * rows.len() as f64 + 10.0;
    let chart_label = t(
        lang,
        "PDCA フェーズ別の不備（重大度別）と期限間近の件数",
        "Gaps by PDCA phase and severity, and at-risk findings",
    );
    let _ = writeln!(
        s,
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 640 {height}\" width=\"640\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">\n<title>{}</title>",
        e(chart_label),
        e(chart_label)
    );
    for (i, (p, sev, risk)) in rows.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{:.1}\" dominant-baseline=\"middle\">{}</text>",
            y + row_h / 2.0 - 2.0,
            e(phase_label(*p, lang))
        );
        let mut x = label_w;
        let segments = sev
            .iter()
            .enumerate()
            .map(|(k, n)| (severity_color(k), *n))
            .chain(std::iter::once((RISK_COLOR, *risk)));
        for (color, n) in segments {
            if n == 0 {
                continue;
            }
            let w = bar_w * n as f64 / max as f64;
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{color}\"/>",
                y + 3.0,
                row_h - 10.0
            );
            x += w;
        }
        let total: usize = sev.iter().sum();
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"middle\">{total} / {risk}</text>",
            x + 6.0,
            y + row_h / 2.0 - 2.0
        );
    }
    s.push_str("</svg>\n<p class=\"legend\">");
    for (k, sev) in SEVERITIES.iter().enumerate() {
        let _ = write!(
            s,
            "<i style=\"background:{}\"></i>{}",
            severity_color(k),
            severity_label(*sev, lang)
        );
    }
    let _ = writeln!(
        s,
        "<i style=\"background:{RISK_COLOR}\"></i>{} <span>({})</span></p>",
        t(lang, "期限間近", "at risk"),
        t(lang, "数値: 不備 / 期限間近", "figures: gaps / at risk")
    );
    let _ = write!(
        s,
        "<table>\n<thead><tr><th>{}</th>",
        t(lang, "フェーズ", "Phase")
    );
    for sev in SEVERITIES {
        let _ = write!(s, "<th class=\"n\">{}</th>", severity_label(sev, lang));
    }
    let _ = writeln!(
        s,
        "<th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead>\n<tbody>",
        t(lang, "期限間近", "At risk"),
        t(lang, "ルール数", "Rules"),
        t(lang, "状態", "State")
    );
    for (p, sev, risk) in &rows {
        let ph = r.phases.iter().find(|x| x.phase == *p);
        let closed = phase_closed(r, *p);
        let _ = write!(s, "<tr><td>{}</td>", e(phase_label(*p, lang)));
        for n in sev {
            let _ = write!(s, "<td class=\"n\">{n}</td>");
        }
        let _ = writeln!(
            s,
            "<td class=\"n\">{risk}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            ph.map_or(0, |x| x.rules),
            if closed {
                t(lang, "完了", "closed")
            } else {
                t(lang, "未完了", "open")
            }
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

/// The first day of the month after `d`.
fn next_month(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn deadlines(s: &mut String, r: &Report, lang: Lang) {
    let _ = writeln!(
        s,
        "<section id=\"deadlines\">\n<h2>{}</h2>",
        t(lang, "今後の期限", "Deadlines ahead")
    );
    if r.deadlines.is_empty() {
        let _ = writeln!(
            s,
            "<p>{}</p>\n</section>",
            t(lang, "期限はありません。", "None.")
        );
        return;
    }
    let start = r.as_of;
    let end = r
        .deadlines
        .iter()
        .map(|d| d.due)
        .max()
        .unwrap_or(start)
        .max(start + chrono::Days::new(30));
    let span = (end - start).num_days().max(1) as f64;
    let (x0, width) = (10.0_f64, 610.0_f64);
    let xof = |d: NaiveDate| x0 + width * ((d - start).num_days().max(0) as f64) / span;
    let mut per_day: BTreeMap<NaiveDate, Vec<Status>> = BTreeMap::new();
    for d in &r.deadlines {
        per_day.entry(d.due).or_default().push(d.status);
    }
    let tallest = per_day.values().map(Vec::len).max().unwrap_or(1).min(12);
    let height = 48.0 + 8.0 * tallest as f64;
    let axis_y = height - 28.0;
    let label = t(lang, "期限のタイムライン", "Timeline of deadlines");
    let _ = writeln!(
        s,
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 640 {height:.0}\" width=\"640\" height=\"{height:.0}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">\n<title>{}</title>\n<line x1=\"{x0}\" y1=\"{axis_y}\" x2=\"{:.1}\" y2=\"{axis_y}\" stroke=\"#1f2328\"/>",
        e(label),
        e(label),
        x0 + width
    );
    let mut tick = next_month(start);
    while let Some(m) = tick.filter(|m| *m <= end) {
        let x = xof(m);
        if x - x0 < 70.0 {
            tick = next_month(m);
            continue;
        }
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#1f2328\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y - 4.0,
            axis_y + 4.0,
            axis_y + 17.0,
            crate::common::year_month(m)
        );
        tick = next_month(m);
    }
    let _ = writeln!(
        s,
        "<text x=\"{x0}\" y=\"{:.1}\" font-weight=\"bold\">{}</text>",
        axis_y + 17.0,
        start
    );
    for d in r.deadlines.iter().filter_map(|d| d.opens.map(|o| (o, d))) {
        let (o, d) = d;
        let x1 = xof(o.max(start));
        let _ = writeln!(
            s,
            "<rect x=\"{x1:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"4\" fill=\"{RISK_COLOR}\" opacity=\".5\"/>",
            axis_y + 2.0,
            (xof(d.due) - x1).max(1.0)
        );
    }
    for (day, statuses) in &per_day {
        let x = xof(*day);
        for (k, st) in statuses.iter().take(12).enumerate() {
            let color = match st {
                Status::Gap => "#b3261e",
                Status::AtRisk => "#b35c00",
                Status::Passed => "#2e7d32",
                _ => "#5f6368",
            };
            let _ = writeln!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{color}\"/>",
                axis_y - 8.0 - 8.0 * k as f64
            );
        }
    }
    s.push_str("</svg>\n");
    let _ = writeln!(
        s,
        "<p class=\"legend\"><i style=\"background:#b3261e\"></i>{}<i style=\"background:#b35c00\"></i>{}<i style=\"background:#2e7d32\"></i>{}<i style=\"background:{RISK_COLOR};opacity:.5\"></i>{}</p>",
        t(lang, "不備", "gap"),
        t(lang, "期限間近", "at risk"),
        t(lang, "適合（次回期限）", "passed (next due)"),
        t(lang, "受付期間", "window")
    );
    for (month, groups) in deadlines_by_month(r) {
        let _ = writeln!(s, "<div class=\"month\"><h3>{month}</h3>\n<ul>");
        for g in groups {
            let d = g.first;
            let when = match d.opens {
                Some(o) => format!("{o} – {}", d.due),
                None => d.due.to_string(),
            };
            let count = if g.subjects.len() > 1 {
                format!(" ({}{})", g.subjects.len(), t(lang, "件", " records"))
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "<li>{when} ({} {}) <span class=\"badge st-{}\">{}</span> <b>{}</b> {}{count} — {}</li>",
                d.days_left,
                t(lang, "日後", "days"),
                status_class(d.status),
                e(d.status.label(lang)),
                e(&d.rule_id),
                e(d.title.get(lang)),
                e(&g.subjects.join(", "))
            );
        }
        s.push_str("</ul></div>\n");
    }
    s.push_str("</section>\n");
}

/// At-risk and not-assessed findings, one card per rule and status with a row per subject.
fn pending(s: &mut String, r: &Report, lang: Lang, anchor: &dyn Fn(&Finding) -> usize) {
    let groups = pending_by_rule(r);
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "<section id=\"pending\">\n<h2>{}</h2>",
        t(
            lang,
            "期限間近・判定できなかった対象（ルール別）",
            "At risk and not assessed (by rule)"
        )
    );
    for g in groups {
        let Some(f) = g.first() else { continue };
        let st = status_class(f.status);
        let _ = writeln!(
            s,
            "<article class=\"finding {st}\">\n<h4><span class=\"badge st-{st}\">{}</span> <span class=\"sev sev-{}\">{}</span> {} {} <span class=\"meta\">({} {})</span></h4>\n<dl class=\"facts\">",
            e(f.status.label(lang)),
            f.severity.as_str(),
            severity_label(f.severity, lang),
            e(&f.rule_id),
            e(f.title.get(lang)),
            g.len(),
            t(lang, "件", "subjects")
        );
        if let Some(c) = &f.clause {
            let unverified = if f.clause_unverified {
                t(lang, " （番号未確認）", " (number unverified)")
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "<dt>{}</dt><dd>{}{unverified}</dd>",
                t(lang, "条項", "Clause"),
                e(c)
            );
        }
        if let Some(j) = &f.shishin {
            let _ = writeln!(
                s,
                "<dt>{}</dt><dd>{}</dd>",
                t(lang, "指針", "Guideline (指針)"),
                e(j)
            );
        }
        let _ = writeln!(
            s,
            "</dl>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            t(lang, "対象", "Subject"),
            t(lang, "期限", "Due"),
            t(lang, "部門", "Department"),
            t(lang, "内容・関連記録・判定に使った値", "Message, records and values")
        );
        for x in &g {
            let mut detail = vec![e(x.message.get(lang))];
            if !x.related.is_empty() {
                detail.push(format!(
                    "<span class=\"meta\">{}: {}</span>",
                    t(lang, "関連記録", "Records"),
                    e(&related_list(x, str::to_owned))
                ));
            }
            if !x.missing.is_empty() {
                detail.push(format!(
                    "<span class=\"meta\">{}: {}</span>",
                    t(lang, "未記録の項目", "Not recorded"),
                    e(&x.missing.join(", "))
                ));
            }
            let values: Vec<String> = x
                .values
                .iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .map(|(k, v)| format!("{k} = {}", value_text(v)))
                .collect();
            if !values.is_empty() {
                detail.push(format!(
                    "<span class=\"meta\">{}</span>",
                    e(&values.join("; "))
                ));
            }
            if x.fix.get(lang) != f.fix.get(lang) {
                detail.push(format!(
                    "<b>{}</b> {}",
                    t(lang, "対応:", "Fix:"),
                    e(x.fix.get(lang))
                ));
            }
            let _ = writeln!(
                s,
                "<tr id=\"f{}\"><td>{}</td><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td>{}</td></tr>",
                anchor(x),
                e(&subject_label(x, lang)),
                e(&due_label(x, lang).unwrap_or_default()),
                e(department_name(x).unwrap_or_default()),
                detail.join("<br>")
            );
        }
        let _ = writeln!(
            s,
            "</tbody>\n</table>\n<p class=\"fix\"><b>{}</b> {}</p>\n</article>",
            t(lang, "対応:", "Fix:"),
            e(f.fix.get(lang))
        );
    }
    s.push_str("</section>\n");
}

fn finding(s: &mut String, f: &Finding, lang: Lang, anchor: usize, class: &str) {
    let st = status_class(f.status);
    let _ = writeln!(
        s,
        "<article class=\"{class} {st}\" id=\"f{anchor}\">\n<h4><span class=\"badge st-{st}\">{}</span> <span class=\"sev sev-{}\">{}</span> {} {}</h4>\n<dl class=\"facts\">",
        e(f.status.label(lang)),
        f.severity.as_str(),
        severity_label(f.severity, lang),
        e(&f.rule_id),
        e(f.title.get(lang))
    );
    let mut fact = |k: &str, v: &str| {
        let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", e(k), e(v));
    };
    fact(t(lang, "対象", "Subject"), &subject_label(f, lang));
    if let Some(d) = department_name(f) {
        fact(t(lang, "部門", "Department"), d);
    }
    if let Some(c) = &f.clause {
        let c = if f.clause_unverified {
            format!("{c} {}", t(lang, "（番号未確認）", "(number unverified)"))
        } else {
            c.clone()
        };
        fact(t(lang, "条項", "Clause"), &c);
    }
    if let Some(j) = &f.shishin {
        fact(t(lang, "指針", "Guideline (指針)"), j);
    }
    if let Some(due) = due_label(f, lang) {
        fact(t(lang, "期限", "Due"), &due);
    }
    if !f.related.is_empty() {
        fact(
            t(lang, "関連記録", "Records involved"),
            &related_list(f, str::to_owned),
        );
    }
    if !f.missing.is_empty() {
        fact(
            t(lang, "未記録の項目", "Not recorded"),
            &f.missing.join(", "),
        );
    }
    s.push_str("</dl>\n");
    let _ = writeln!(s, "<p class=\"msg\">{}</p>", e(f.message.get(lang)));
    let values: Vec<(&String, &serde_json::Value)> = f
        .values
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .collect();
    if !values.is_empty() {
        let _ = writeln!(
            s,
            "<table class=\"values\"><caption class=\"meta\" style=\"text-align:left\">{}</caption><tbody>",
            t(lang, "判定に使った値", "Values")
        );
        for (k, v) in values {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td></tr>",
                e(k),
                e(&value_text(v))
            );
        }
        s.push_str("</tbody></table>\n");
    }
    let _ = writeln!(
        s,
        "<p class=\"fix\"><b>{}</b> {}</p>\n</article>",
        t(lang, "対応:", "Fix:"),
        e(f.fix.get(lang))
    );
}
