//! Properties: determinism under permutation, monotonicity of education and corrective-action
//! findings.

use crate::common::*;
use proptest::prelude::*;
use serde_json::Value;

fn sample_json() -> Value {
    let (_, text) = pms_rules::SAMPLE_COMPANY;
    pms_core::text::parse_yaml(text).unwrap()
}

fn report_json(v: &Value) -> String {
    let set = pms_core::records::load_json(v.clone()).unwrap();
    check(&set, "2026-03-31").to_json()
}

fn education_gaps(v: &Value) -> Vec<(String, String)> {
    let set = pms_core::records::load_json(v.clone()).unwrap();
    gaps(&check(&set, "2026-03-31"))
        .into_iter()
        .filter(|(r, _)| r.starts_with("R-TRN"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_permutation_gives_a_byte_identical_report(seed in any::<u64>()) {
        let base = sample_json();
        let mut shuffled = base.clone();
        let mut rng = seed;
        let mut next = || { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; rng };
        for list in shuffled.as_object_mut().unwrap().values_mut() {
            let items = list.as_array_mut().unwrap();
            for i in (1..items.len()).rev() {
                let j = (next() % (i as u64 + 1)) as usize;
                items.swap(i, j);
            }
        }
        // Entity order too: rebuild the object in reverse key order.
        let mut obj: Vec<(String, Value)> = shuffled.as_object().unwrap().clone().into_iter().collect();
        if seed.is_multiple_of(2) { obj.reverse(); }
        let shuffled = Value::Object(obj.into_iter().collect());
        prop_assert_eq!(report_json(&base), report_json(&shuffled));
    }

    #[test]
    fn adding_a_valid_training_record_never_adds_an_education_gap(person in 0usize..31, day in 0i64..700, score in proptest::option::of(0u32..100)) {
        let base = sample_json();
        let before = education_gaps(&base);
        let mut more = base.clone();
        let pid = more["workforce"][person]["id"].as_str().unwrap().to_string();
        let completed = date("2024-05-01") + chrono::Duration::days(day);
        let mut rec = serde_json::json!({"id": "TR-PROP", "person_id": pid, "completed_on": completed.format("%Y-%m-%d").to_string(), "method": "e-learning"});
        if let Some(s) = score { rec["test_score"] = s.into(); }
        more["training_records"].as_array_mut().unwrap().push(rec);
        let after = education_gaps(&more);
        for g in &after {
            prop_assert!(before.contains(g) || g.1 == "TR-PROP", "new education gap {:?}", g);
        }
    }

    #[test]
    fn removing_a_corrective_action_never_removes_a_finding(which in 0usize..4) {
        let base = sample_json();
        let set = pms_core::records::load_json(base.clone()).unwrap();
        let before = gaps(&check(&set, "2026-03-31"));
        let mut less = base.clone();
        let removed = less["corrective_actions"].as_array_mut().unwrap().remove(which);
        let rid = removed["id"].as_str().unwrap().to_string();
        // Drop references to the removed action so the record set stays valid.
        for inc in less["incidents"].as_array_mut().unwrap() {
            if inc["ca_id"].as_str() == Some(rid.as_str()) { inc.as_object_mut().unwrap().remove("ca_id"); }
        }
        let set = pms_core::records::load_json(less).unwrap();
        let after = gaps(&check(&set, "2026-03-31"));
        for g in &before {
            prop_assert!(after.contains(g) || g.1 == rid, "finding {:?} disappeared", g);
        }
    }
}
