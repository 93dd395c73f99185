//! Generated documentation stays in sync: `docs/records.md` is rendered from the record
//! model and the sample company (one example per entity).

use crate::common::*;
use pms_core::schema::{self, Ty, STRUCTS};
use std::fmt::Write as _;

fn ty_name(t: Ty) -> String {
    match t {
        Ty::Str => "text".into(),
        Ty::Int => "integer".into(),
        Ty::Num => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::Date => "date".into(),
        Ty::Enum(v) => v
            .iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(" \\| "),
        Ty::Ref(e) => format!("id of `{e}`"),
        Ty::List(t) => format!("list of {}", ty_name(*t)),
        Ty::Obj(n) => format!("[`{n}`](#{n})"),
    }
}

fn render_records_md() -> String {
    let (_, text) = pms_rules::SAMPLE_COMPANY;
    let sample = pms_core::text::parse_yaml(text).unwrap();
    let mut s = String::new();
    s.push_str(include_str!("records_intro.md"));
    s.push_str("\n## Entities\n");
    for e in schema::entities() {
        let _ = writeln!(
            s,
            "\n### {}\n\n{} — shown by `{}`.\n",
            e.name, e.name_ja, e.display
        );
        field_table(&mut s, e.fields);
        if !e.date_order.is_empty() {
            let pairs: Vec<String> = e
                .date_order
                .iter()
                .map(|(a, b)| format!("`{a}` ≤ `{b}`"))
                .collect();
            let _ = writeln!(s, "\nDates must be ordered: {}.", pairs.join(", "));
        }
        for (_, group, why) in schema::ALTERNATIVES.iter().filter(|(n, ..)| *n == e.name) {
            let names: Vec<String> = group.iter().map(|g| format!("`{g}`")).collect();
            let _ = writeln!(
                s,
                "\nAlternative keys: at least one of {} ({why}); an absent one is known absent, not unknown.",
                names.join(", ")
            );
        }
        match sample
            .get(e.name)
            .and_then(|l| l.as_array())
            .and_then(|l| l.first())
        {
            Some(example) => {
                let _ = writeln!(
                    s,
                    "\nExample (from `examples/mimoto/records.yaml`):\n\n```json\n{}\n```",
                    serde_json::to_string_pretty(example).unwrap()
                );
            }
            None => panic!("the sample company has no `{}` record to show", e.name),
        }
    }
    s.push_str("\n## Nested objects\n");
    for o in STRUCTS.iter().filter(|s| !s.entity) {
        let _ = writeln!(s, "\n### {}\n", o.name);
        field_table(&mut s, o.fields);
    }
    s
}

fn field_table(s: &mut String, fields: &[schema::Field]) {
    s.push_str("| field | type | required | meaning |\n|---|---|---|---|\n");
    for f in fields {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            f.name,
            ty_name(f.ty),
            if f.required { "yes" } else { "" },
            f.doc
        );
    }
}

#[test]
fn records_md_is_in_sync() {
    golden("docs/records.md", &render_records_md());
}

fn rule_header(text: &str) -> String {
    // The comment block that opens a rule file: what it checks, why it matters.
    // The specification and the parts are shown above it, from `parts::headers`.
    let mut lines = Vec::new();
    let mut skipping = false;
    for l in text.lines() {
        match l.strip_prefix('#') {
            Some(rest) => {
                let line = rest.strip_prefix(' ').unwrap_or(rest);
                if line.starts_with("Specification:") || line.starts_with("Parts:") {
                    skipping = true;
                } else if skipping && line.starts_with(' ') {
                } else {
                    skipping = false;
                    lines.push(line.to_string());
                }
            }
            None if l.trim().is_empty() && lines.is_empty() => {}
            None => break,
        }
    }
    lines.join("\n")
}

fn conformance_examples() -> Vec<(String, Vec<String>, String)> {
    let mut out = Vec::new();
    for (f, doc) in conformance_files() {
        for c in doc["cases"].as_array().unwrap() {
            let rules = c["rules"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect();
            out.push((
                format!(
                    "tests/conformance/{}",
                    f.file_name().unwrap().to_string_lossy()
                ),
                rules,
                c["name"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    out
}

fn render_rules_md() -> String {
    let p = program();
    let report = check(&sample(), "2026-03-31");
    let examples = conformance_examples();
    let headers = crate::parts::headers();
    let fixtures = crate::parts::fixtures();
    let mut s = String::from(
        "# Rule catalogue\n\nGenerated from the rule packs under `rules/` by `UPDATE_GOLDEN=1 cargo test -p pms-rules`\n\
         (a test fails when this page is stale). Packs: `jisq15001:2023` (default; 2023 edition and the\n\
         2024 構築・運用指針), `jisq15001:2017` (指針 2022), `jisq15001:2006`, and `appi` (the rules based\n\
         on the law, for any business). A clause marked `?` is not verified against the standard.\n\n\
         | id | title | 2023 | 2017 | 2006 | 指針 | phase | severity | basis | packs |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let mut rules: Vec<&pms_core::Rule> = p
        .rules
        .iter()
        .filter(|r| !r.file.starts_with("rules/common"))
        .collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let cl = |r: &pms_core::Rule, k: &str| {
        r.clause(k)
            .map(|c| format!("{}{}", c.number, if c.unverified { "?" } else { "" }))
            .unwrap_or_default()
    };
    let packs = |r: &pms_core::Rule| {
        ["jisq15001:2023", "jisq15001:2017", "jisq15001:2006", "appi"]
            .iter()
            .filter(|k| r.in_pack(k))
            .map(|k| k.trim_start_matches("jisq15001:"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for r in &rules {
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.id.to_lowercase(),
            r.title.ja,
            cl(r, "jis2023"),
            cl(r, "jis2017"),
            cl(r, "jis2006"),
            cl(r, "shishin"),
            r.phase.as_str(),
            r.severity.as_str(),
            r.basis.as_str(),
            packs(r)
        );
    }
    for r in &rules {
        let _ = writeln!(s, "\n## {}\n\n**{}** — {}\n", r.id, r.title.ja, r.title.en);
        let clauses: Vec<String> = r.clauses.iter().map(ToString::to_string).collect();
        let _ = writeln!(s, "- clauses: {}", clauses.join(", "));
        let _ = writeln!(
            s,
            "- phase: {} · severity: {} · basis: {} · activity: `{}` · packs: {}",
            r.phase.as_str(),
            r.severity.as_str(),
            r.basis.as_str(),
            r.activity,
            packs(r)
        );
        if !r.depends.is_empty() {
            let _ = writeln!(s, "- depends on: {}", r.depends.join(", "));
        }
        let _ = writeln!(
            s,
            "- reads: {}",
            r.entities
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for name in &r.params {
            if let Some(param) = p.param(name) {
                let en = param
                    .doc
                    .iter()
                    .find(|(l, _)| *l == pms_core::Lang::En)
                    .map(|(_, t)| t.as_str())
                    .unwrap_or("");
                let _ = writeln!(s, "- parameter `{name}` = {} — {en}", param.default);
            }
        }
        if let Some(h) = headers.get(&r.id) {
            let _ = writeln!(s, "\n**Specification:** {}\n", h.specification);
            let _ = writeln!(
                s,
                "**Parts** (each a gap on its own; failing fixtures in `tests/parts/{}.yaml`):\n",
                r.id
            );
            for (n, text) in &h.parts {
                let names: Vec<String> = fixtures
                    .iter()
                    .filter(|f| f.rule == r.id && f.part == *n)
                    .map(|f| format!("_{}_", f.name))
                    .collect();
                let _ = writeln!(s, "{n}. {text} — fixtures: {}", names.join("; "));
            }
        }
        let header = p
            .sources
            .iter()
            .find(|src| src.name == r.file)
            .map(|src| rule_header(&src.text))
            .unwrap_or_default();
        if !header.is_empty() {
            let _ = writeln!(s, "\n```text\n{header}\n```");
        }
        let mut ex: Vec<String> = examples
            .iter()
            .filter(|(_, rules, _)| rules.contains(&r.id))
            .map(|(f, _, n)| format!("{f}: {n}"))
            .collect();
        if let Some(f) = report
            .findings
            .iter()
            .find(|f| f.rule_id == r.id && f.status == pms_core::Status::Gap)
        {
            ex.push(format!(
                "sample company 見本株式会社 as of 2026-03-31: {}",
                f.message.en
            ));
        }
        if ex.is_empty() {
            ex.push("passes on `examples/clean/` (模範株式会社)".into());
        }
        s.push_str("\nExamples:\n");
        for e in ex {
            let _ = writeln!(s, "- {e}");
        }
    }
    s
}

#[test]
fn rules_md_is_in_sync() {
    golden("docs/rules.md", &render_rules_md());
}

fn render_coverage_md() -> (String, Vec<String>) {
    let p = program();
    let cat = pms_core::text::parse_yaml(
        &std::fs::read_to_string(root().join("rules/clauses.yaml")).unwrap(),
    )
    .unwrap();
    let mut problems = Vec::new();
    let mut s = String::from("# Clause coverage\n\nGenerated from `rules/clauses.yaml` and the rule packs (a test fails when it is stale, when a\nclause has neither a rule nor a reason, or when a rule cites a clause missing from the list).\n");
    for (key, heading) in [
        ("jis2023", "JIS Q 15001:2023"),
        ("jis2017", "JIS Q 15001:2017"),
        ("jis2006", "JIS Q 15001:2006"),
        ("shishin", "構築・運用指針 (J-numbers, 2022 and 2024)"),
    ] {
        let _ = writeln!(s, "\n## {heading}\n\n| clause | title | rules | not machine-checked because |\n|---|---|---|---|");
        let list = cat[key].as_array().unwrap();
        let keys: &[&str] = if key == "shishin" {
            &["shishin", "shishin2022"]
        } else {
            &[key]
        };
        for c in list {
            let number = c["clause"].as_str().unwrap();
            let mut ids: Vec<&str> = p
                .rules
                .iter()
                .filter(|r| {
                    keys.iter()
                        .any(|k| r.clause(k).is_some_and(|x| x.number == number))
                })
                .map(|r| r.id.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let reason = c["reason"].as_str().unwrap_or("");
            if ids.is_empty() && reason.is_empty() {
                problems.push(format!("{key} {number} has no rule and no reason"));
            }
            let mark = if c["unverified"].as_bool().unwrap_or(false) {
                "?"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "| {number}{mark} | {} | {} | {reason} |",
                c["title"].as_str().unwrap_or(""),
                ids.join(", ")
            );
        }
        for r in &p.rules {
            for k in keys {
                if let Some(x) = r.clause(k) {
                    if !list
                        .iter()
                        .any(|c| c["clause"].as_str() == Some(x.number.as_str()))
                    {
                        problems.push(format!(
                            "{} cites {k} {} which rules/clauses.yaml does not list",
                            r.id, x.number
                        ));
                    }
                }
            }
        }
    }
    (s, problems)
}

#[test]
fn coverage_md_is_in_sync_and_complete() {
    let (md, problems) = render_coverage_md();
    assert!(problems.is_empty(), "{problems:#?}");
    golden("docs/coverage.md", &md);
}

#[test]
fn import_md_is_in_sync() {
    // docs/import.md: the accepted sheet names, headers and values, from the label table the
    // spreadsheet reader uses.
    golden("docs/import.md", &pms_ledgers::docs::import_md());
}
