//! Benchmark support: scaled copies of the sample company, and the seeded generator of
//! synthetic companies at named scales.

pub mod generate;
pub mod portfolio;

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

/// The ids of the rules of the ten representative checks.
#[must_use]
pub fn check_rule_ids() -> Vec<String> {
    generate::CHECK_RULES
        .iter()
        .flat_map(|(_, r)| r.iter().map(|id| (*id).to_string()))
        .collect()
}

/// Gap subject ids per rule of a report (every rule of the checks present, and each of
/// [`generate::PMS_ONLY_RULES`] that was evaluated; sorted).
#[must_use]
pub fn gaps_by_rule(report: &pms_core::Report) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = generate::CHECK_RULES
        .iter()
        .flat_map(|(_, r)| r.iter().map(|id| ((*id).to_string(), Vec::new())))
        .collect();
    for c in &report.coverage {
        if generate::PMS_ONLY_RULES.contains(&c.rule_id.as_str()) {
            out.entry(c.rule_id.clone()).or_default();
        }
    }
    for f in &report.findings {
        if f.status == pms_core::Status::Gap {
            if let (Some(v), Some(s)) = (out.get_mut(&f.rule_id), &f.subject) {
                v.push(s.id.clone());
            }
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

/// The evaluation date of every generated company.
#[must_use]
pub fn as_of() -> chrono::NaiveDate {
    // Also in benches/compare.py and benches/peers/wasm.mjs.
    chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default()
}

/// Runs the rules `only` (the ten checks when empty) of a program on a record set and returns
/// the gaps per rule.
///
/// # Errors
/// The diagnostics of a bad option (an unknown rule id).
pub fn pms_gaps(
    program: &pms_core::Program,
    set: &pms_core::RecordSet,
    only: Vec<String>,
) -> Result<Gaps, Vec<pms_core::Diagnostic>> {
    let mut opts = pms_core::Options::new(as_of());
    opts.only = if only.is_empty() {
        check_rule_ids()
    } else {
        only
    };
    Ok(gaps_by_rule(&pms_core::evaluate(program, set, &opts)?))
}

/// Gap subject ids per rule id.
pub type Gaps = std::collections::BTreeMap<String, Vec<String>>;

/// The planted gaps of a generated company: `gen-X.expected.json` beside `gen-X.json`.
#[must_use]
pub fn planted(path: &str) -> Option<Gaps> {
    let expected = path.strip_suffix(".json").unwrap_or(path).to_string() + ".expected.json";
    std::fs::read_to_string(expected)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
}

/// Runs the Rego version of the ten checks (`benches/peers/checks.rego`) on regorus and
/// returns the gaps per rule, sorted, with the load and evaluation times in seconds.
///
/// # Errors
/// A message when the policy, the data or the evaluation fails.
pub fn rego_gaps(records_json: &str) -> Result<(Gaps, f64, f64), String> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(
            "checks.rego".into(),
            include_str!("../peers/checks.rego").into(),
        )
        .map_err(|e| format!("rego policy: {e}"))?;
    let t = std::time::Instant::now();
    engine
        .add_data_json(records_json)
        .map_err(|e| format!("rego data: {e}"))?;
    let load = t.elapsed().as_secs_f64();
    engine
        .set_input_json(r#"{"as_of": "2026-03-31"}"#)
        .map_err(|e| format!("rego input: {e}"))?;
    let t = std::time::Instant::now();
    let value = engine
        .eval_rule("data.pms.gaps".into())
        .map_err(|e| format!("rego eval: {e}"))?;
    let eval = t.elapsed().as_secs_f64();
    let json = value
        .to_json_str()
        .map_err(|e| format!("rego result: {e}"))?;
    let mut gaps: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_str(&json).map_err(|e| format!("rego result: {e}"))?;
    for v in gaps.values_mut() {
        v.sort();
    }
    Ok((gaps, load, eval))
}

/// The peak resident memory of this process so far, in KiB (Linux; 0 elsewhere).
#[must_use]
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
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

    #[test]
    fn generated_companies_have_exactly_the_planted_gaps() {
        let program = pms_rules::compile_builtin().unwrap();
        for scale in &super::generate::SCALES[..2] {
            let mut buf = Vec::new();
            let expected = super::generate::generate(scale, 7, &mut buf).unwrap();
            let text = String::from_utf8(buf).unwrap();
            let set =
                pms_core::records::load_str("gen.json", &text, pms_core::records::Format::Json)
                    .unwrap();
            let only = expected.keys().map(|k| (*k).to_string()).collect();
            let got = super::pms_gaps(&program, &set, only).unwrap();
            let want: std::collections::BTreeMap<String, Vec<String>> = expected
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            assert_eq!(got, want, "scale {}", scale.name);
            assert!(
                want.values().filter(|v| !v.is_empty()).count() >= 12,
                "scale {} plants nearly every kind of gap",
                scale.name
            );
        }
    }

    #[test]
    fn a_split_directory_holds_the_same_company_as_the_file() {
        use super::generate::{generate, generate_split, Split, SCALES};
        let program = pms_rules::compile_builtin().unwrap();
        let mut buf = Vec::new();
        let expected = generate(&SCALES[0], 5, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let dir = std::env::temp_dir().join(format!("pms-bench-split-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let split = Split {
            json: true,
            ndjson: true,
        };
        assert_eq!(
            generate_split(&SCALES[0], 5, &dir, split).unwrap(),
            expected
        );
        let from_file =
            pms_core::records::load_str("gen.json", &text, pms_core::records::Format::Json)
                .unwrap();
        let from_dir = pms_core::records::load_path(&dir).unwrap();
        // The NDJSON files, one record a line, gathered back into one record set.
        let mut entities = serde_json::Map::new();
        let mut json_files = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if let Some(entity) = name.strip_suffix(".ndjson") {
                let lines = std::fs::read_to_string(&path).unwrap();
                let records: Vec<serde_json::Value> = lines
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect();
                entities.insert(entity.to_string(), serde_json::Value::Array(records));
            } else {
                assert!(name.ends_with(".json"), "{name}");
                json_files += 1;
            }
        }
        assert!(json_files >= 20, "{json_files} entity files");
        assert_eq!(entities.len(), json_files);
        let from_ndjson =
            pms_core::records::load_json(serde_json::Value::Object(entities)).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(from_file.len() > 100);
        assert_eq!(from_dir.len(), from_file.len());
        assert_eq!(from_ndjson.len(), from_file.len());
        // Every rule of the pack: the same report (but for where records were read from).
        let opts = pms_core::Options::new(super::as_of());
        let report = |set: &pms_core::RecordSet| {
            let mut v =
                serde_json::to_value(pms_core::evaluate(&program, set, &opts).unwrap()).unwrap();
            v.as_object_mut().unwrap().remove("locations");
            v
        };
        let want = report(&from_file);
        assert!(want["findings"].as_array().unwrap().len() > 50);
        assert_eq!(report(&from_dir), want);
        assert_eq!(report(&from_ndjson), want);
    }

    #[test]
    fn pms_and_rego_find_the_same_gaps() {
        let program = pms_rules::compile_builtin().unwrap();
        for (scale, seed) in [
            (&super::generate::SCALES[0], 11),
            (&super::generate::SCALES[1], 12),
        ] {
            let mut buf = Vec::new();
            super::generate::generate(scale, seed, &mut buf).unwrap();
            let text = String::from_utf8(buf).unwrap();
            let set =
                pms_core::records::load_str("gen.json", &text, pms_core::records::Format::Json)
                    .unwrap();
            let ours = super::pms_gaps(&program, &set, Vec::new()).unwrap();
            let (rego, _, _) = super::rego_gaps(&text).unwrap();
            assert_eq!(ours, rego, "scale {}", scale.name);
        }
    }
}
