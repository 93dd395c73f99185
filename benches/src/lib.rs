//! Benchmark support: scaled copies of the sample company.

use serde_json::Value;
use std::collections::HashSet;

/// Company-wide records that a bigger company does not multiply.
const SHARED: &[&str] = &[
    "organization",
    "certification",
    "training_sessions",
    "training_plans",
    "audit_plans",
    "internal_audits",
    "management_reviews",
    "documents",
    "legal_register",
    "external_audits",
];

/// The sample company grown `k` times: people, their records, contractors, inventory, findings
/// and incidents are repeated (ids suffixed `~n`); company-wide records (sessions, plans,
/// audits, reviews, policies) are kept once, as they would be in a larger company.
#[must_use]
pub fn scaled_sample(k: usize) -> Value {
    let (_, text) = pms_rules::SAMPLE_COMPANY;
    let base = pms_core::text::parse_yaml(text).unwrap_or(Value::Null);
    let Value::Object(map) = &base else {
        return base;
    };
    let mut ids = HashSet::new();
    for (entity, list) in map {
        if !SHARED.contains(&entity.as_str()) {
            collect_ids(list, &mut ids);
        }
    }
    let mut out = serde_json::Map::new();
    for (entity, list) in map {
        let items = list.as_array().cloned().unwrap_or_default();
        if SHARED.contains(&entity.as_str()) {
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

/// Every `id` value at any depth (records and nested items such as plan items).
fn collect_ids(v: &Value, ids: &mut HashSet<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect_ids(x, ids)),
        Value::Object(m) => {
            if let Some(Value::String(id)) = m.get("id") {
                ids.insert(id.clone());
            }
            m.values().for_each(|x| collect_ids(x, ids));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scaled_samples_are_valid_record_sets() {
        let one = pms_core::records::load_json(super::scaled_sample(1)).map(|s| s.len());
        let ten = pms_core::records::load_json(super::scaled_sample(10)).map(|s| s.len());
        let (Ok(one), Ok(ten)) = (one, ten) else {
            panic!("scaled sample does not load")
        };
        assert!(ten > one * 8 && ten < one * 10, "{one} → {ten}");
    }
}
