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
        s.push_str("| field | type | required | meaning |\n|---|---|---|---|\n");
        for f in e.fields {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} |",
                f.name,
                ty_name(f.ty),
                if f.required { "yes" } else { "" },
                f.doc
            );
        }
        if !e.date_order.is_empty() {
            let pairs: Vec<String> = e
                .date_order
                .iter()
                .map(|(a, b)| format!("`{a}` ≤ `{b}`"))
                .collect();
            let _ = writeln!(s, "\nDates must be ordered: {}.", pairs.join(", "));
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
        let _ = writeln!(
            s,
            "\n### {}\n\n| field | type | required | meaning |\n|---|---|---|---|",
            o.name
        );
        for f in o.fields {
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
    s
}

#[test]
fn records_md_is_in_sync() {
    golden("docs/records.md", &render_records_md());
}
