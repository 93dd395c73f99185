//! Benchmark support: scaled copies of the sample company.

use serde_json::Value;
use std::collections::HashSet;

/// The sample company repeated `k` times (ids suffixed `~n`; one organization and
/// certification kept), as a JSON record set.
#[must_use]
pub fn scaled_sample(k: usize) -> Value {
    let (_, text) = pms_rules::SAMPLE_COMPANY;
    let base = pms_core::text::parse_yaml(text).unwrap_or(Value::Null);
    let Value::Object(map) = &base else {
        return base;
    };
    let ids: HashSet<String> = map
        .iter()
        .filter(|(e, _)| *e != "organization" && *e != "certification")
        .flat_map(|(_, list)| list.as_array().into_iter().flatten())
        .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut out = serde_json::Map::new();
    for (entity, list) in map {
        let items = list.as_array().cloned().unwrap_or_default();
        if entity == "organization" || entity == "certification" {
            out.insert(entity.clone(), Value::Array(items));
            continue;
        }
        let mut all = Vec::with_capacity(items.len() * k);
        for n in 0..k {
            for item in &items {
                all.push(rename(item, &ids, n));
            }
        }
        out.insert(entity.clone(), Value::Array(all));
    }
    Value::Object(out)
}

fn rename(v: &Value, ids: &HashSet<String>, n: usize) -> Value {
    match v {
        Value::String(s) if n > 0 && ids.contains(s) => Value::String(format!("{s}~{n}")),
        Value::Array(a) => Value::Array(a.iter().map(|x| rename(x, ids, n)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), rename(x, ids, n)))
                .collect(),
        ),
        other => other.clone(),
    }
}
