//! OSCAL 1.1.x: the rule catalogue as a catalog, a report as assessment results and as a
//! plan of action and milestones.
//!
//! ```text
//! rules JSON (ffi::rules_json) ──catalog──▶ catalog: groups by PDCA phase, one control per rule
//! report JSON ──assessment_results──▶ assessment-results: one finding per gap or at-risk subject
//! report JSON ──poam──▶ plan-of-action-and-milestones: one poam-item per open gap
//! ```
//!
//! Every UUID is a UUIDv5 of a stable name (the rule id, the finding id, the evaluation date
//! and company), so the same input always gives the same document and a re-import updates
//! instead of duplicating. Findings target the controls of the catalog by rule id, so the
//! assessment points at controls that exist. Statements are the rules' own paraphrases of
//! what they check, never the standard's wording.

use serde_json::{json, Map, Value};
use uuid::Uuid;

/// The OSCAL version the documents declare.
pub const OSCAL_VERSION: &str = "1.1.3";

/// The namespace of pms's properties and identifiers in OSCAL documents.
pub const NS: &str = "https://example.invalid/pms/ns/oscal";

/// The namespace of every UUID pms derives (itself a UUIDv5 of pms's URN in the URL space).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:pms:oscal")
}

/// A deterministic UUID for a stable name.
fn uuid(name: &str) -> String {
    Uuid::new_v5(&namespace(), name.as_bytes()).to_string()
}

/// The text of a `{ja, en}` pair in `lang`, falling back to the other language.
fn text(v: &Value, lang: &str) -> String {
    let other = if lang == "en" { "ja" } else { "en" };
    [lang, other]
        .iter()
        .filter_map(|l| v.get(*l).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_string()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The report's language (`ja` unless it says `en`).
fn lang_of(report: &Value) -> &str {
    if str_of(report, "lang") == "en" {
        "en"
    } else {
        "ja"
    }
}

/// A date as the OSCAL date-time of its start in Japan.
fn datetime(date: &str) -> String {
    format!("{date}T00:00:00+09:00")
}

/// Document metadata; `modified` is the evaluation date (the documents are dated by their
/// content, not by the clock, so they are reproducible).
fn metadata(title: String, modified: &str, version: &str) -> Value {
    json!({
        "title": title,
        "last-modified": datetime(modified),
        "version": version,
        "oscal-version": OSCAL_VERSION,
    })
}

/// An OSCAL property (`name` is a token; empty values are not valid OSCAL and are left out
/// by the callers).
fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "ns": NS, "value": value})
}

fn phase_title(phase: &str, lang: &str) -> String {
    let (ja, en) = match phase {
        "plan" => ("計画（Plan）", "Plan"),
        "do" => ("実施（Do）", "Do"),
        "check" => ("点検（Check）", "Check"),
        "act" => ("改善（Act）", "Act"),
        other => (other, other),
    };
    if lang == "en" { en } else { ja }.to_string()
}

/// The rule catalogue as an OSCAL catalog: one group per PDCA phase, one control per rule
/// (id = rule id) with its clause of every edition and its 指針 J-number as properties, its
/// parameters as OSCAL params (their default values), and a statement part holding what the
/// rule checks.
///
/// `rules` is the output of `pms_core::ffi::rules_json`; `lang` is `ja` or `en`;
/// `as_of` dates the document (`yyyy-mm-dd`).
#[must_use]
pub fn catalog(rules: &[Value], lang: &str, as_of: &str) -> Value {
    let mut groups: Vec<(String, Vec<Value>)> = ["plan", "do", "check", "act"]
        .iter()
        .map(|p| ((*p).to_string(), Vec::new()))
        .collect();
    for r in rules {
        let phase = str_of(r, "phase");
        let control = control(r, lang);
        match groups.iter_mut().find(|(p, _)| p == phase) {
            Some((_, list)) => list.push(control),
            None => groups.push((phase.to_string(), vec![control])),
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(phase, controls)| {
            json!({
                "id": format!("phase-{phase}"),
                "class": "pdca-phase",
                "title": phase_title(&phase, lang),
                "controls": controls,
            })
        })
        .collect();
    let title = if lang == "en" {
        "pms rule catalogue (JIS Q 15001 / Privacy Mark)"
    } else {
        "pms ルールカタログ（JIS Q 15001・プライバシーマーク）"
    };
    json!({
        "catalog": {
            "uuid": uuid("catalog"),
            "metadata": metadata(title.to_string(), as_of, env!("CARGO_PKG_VERSION")),
            "groups": groups,
        }
    })
}

/// One rule as an OSCAL control.
fn control(r: &Value, lang: &str) -> Value {
    let id = str_of(r, "id");
    let mut props = vec![
        prop("severity", str_of(r, "severity")),
        prop("basis", str_of(r, "basis")),
    ];
    if let Some(clauses) = r.get("clauses").and_then(Value::as_array) {
        for c in clauses {
            let (edition, number) = (str_of(c, "edition"), str_of(c, "number"));
            if edition.is_empty() || number.is_empty() {
                continue;
            }
            let name = if edition.starts_with("shishin") {
                "j-number"
            } else {
                "clause"
            };
            let mut p = prop(name, number);
            if let Some(o) = p.as_object_mut() {
                o.insert("class".into(), Value::from(edition));
                if c.get("unverified").and_then(Value::as_bool) == Some(true) {
                    o.insert("remarks".into(), Value::from("unverified"));
                }
            }
            props.push(p);
        }
    }
    let params: Vec<Value> = r
        .get("params")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    json!({
                        "id": format!("{id}_{}", str_of(p, "name")),
                        "label": str_of(p, "name"),
                        "values": [str_of(p, "default")],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let statement = {
        let s = text(r.get("explain").unwrap_or(&Value::Null), lang);
        if s.is_empty() {
            text(r.get("title").unwrap_or(&Value::Null), lang)
        } else {
            s
        }
    };
    let mut c = Map::new();
    c.insert("id".into(), Value::from(id));
    c.insert("class".into(), Value::from("pms-rule"));
    c.insert(
        "title".into(),
        Value::from(text(r.get("title").unwrap_or(&Value::Null), lang)),
    );
    if !params.is_empty() {
        c.insert("params".into(), Value::from(params));
    }
    c.insert("props".into(), Value::from(props));
    c.insert(
        "parts".into(),
        json!([{"id": format!("{id}_smt"), "name": "statement", "prose": statement}]),
    );
    Value::Object(c)
}

/// The findings of a report that are not passed (gaps, at-risk, undetermined).
fn open_findings(report: &Value) -> impl Iterator<Item = &Value> {
    report
        .get("findings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|f| str_of(f, "status") != "passed")
}

/// The subject of a finding as `entity id (display)`, or the rule as a whole.
fn subject_text(f: &Value) -> String {
    match f.get("subject").filter(|s| !s.is_null()) {
        Some(s) => {
            let (entity, id, display) =
                (str_of(s, "entity"), str_of(s, "id"), str_of(s, "display"));
            if display.is_empty() || display == id {
                format!("{entity} {id}")
            } else {
                format!("{entity} {id} ({display})")
            }
        }
        None => "*".to_string(),
    }
}

/// The observation of one finding: what was examined and what was seen.
fn observation(f: &Value, as_of: &str, lang: &str) -> Value {
    let id = str_of(f, "id");
    let mut props = vec![
        prop("status", str_of(f, "status")),
        prop("severity", str_of(f, "severity")),
    ];
    for (k, name) in [
        ("due", "due"),
        ("clause", "clause"),
        ("shishin", "j-number"),
    ] {
        let v = str_of(f, k);
        if !v.is_empty() {
            props.push(prop(name, v));
        }
    }
    json!({
        "uuid": uuid(&format!("observation:{as_of}:{id}")),
        "title": subject_text(f),
        "description": text(f.get("message").unwrap_or(&Value::Null), lang),
        "props": props,
        "methods": ["EXAMINE"],
        "types": ["finding"],
        "collected": datetime(as_of),
    })
}

/// A report as OSCAL assessment results: one result dated at the evaluation date, the
/// catalog's controls of the evaluated rules as reviewed controls, one observation and one
/// finding per gap, at-risk or undetermined subject, each finding targeting its rule's
/// statement as satisfied (at risk) or not satisfied (gap, undetermined).
#[must_use]
pub fn assessment_results(report: &Value) -> Value {
    let lang = lang_of(report);
    let as_of = str_of(report, "as_of");
    let org = str_of(report, "organization");
    let mut rule_ids: Vec<&str> = report
        .get("coverage")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| str_of(c, "rule_id"))
        .filter(|s| !s.is_empty())
        .collect();
    pms_core::sorting::sort(&mut rule_ids);
    rule_ids.dedup();
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    for f in open_findings(report) {
        let id = str_of(f, "id");
        let obs = observation(f, as_of, lang);
        let obs_uuid = obs.get("uuid").cloned().unwrap_or(Value::Null);
        observations.push(obs);
        let state = if str_of(f, "status") == "at_risk" {
            "satisfied"
        } else {
            "not-satisfied"
        };
        let rule = str_of(f, "rule_id");
        findings.push(json!({
            "uuid": uuid(&format!("finding:{as_of}:{id}")),
            "title": format!("{}: {}", text(f.get("title").unwrap_or(&Value::Null), lang), subject_text(f)),
            "description": text(f.get("message").unwrap_or(&Value::Null), lang),
            "props": [prop("finding-id", id), prop("status", str_of(f, "status"))],
            "target": {
                "type": "statement-id",
                "target-id": format!("{rule}_smt"),
                "status": {"state": state},
            },
            "related-observations": [{"observation-uuid": obs_uuid}],
        }));
    }
    let controls: Vec<Value> = rule_ids.iter().map(|r| json!({"control-id": r})).collect();
    let title = if lang == "en" {
        format!("Privacy Mark records check of {org} as of {as_of}")
    } else {
        format!("{org} プライバシーマーク記録点検 {as_of}時点")
    };
    let mut result = Map::new();
    result.insert(
        "uuid".into(),
        Value::from(uuid(&format!("result:{org}:{as_of}"))),
    );
    result.insert("title".into(), Value::from(title.clone()));
    result.insert(
        "description".into(),
        Value::from(summary_text(report, lang)),
    );
    result.insert("start".into(), Value::from(datetime(as_of)));
    result.insert(
        "reviewed-controls".into(),
        json!({"control-selections": [{"include-controls": controls}]}),
    );
    if !observations.is_empty() {
        result.insert("observations".into(), Value::from(observations));
    }
    if !findings.is_empty() {
        result.insert("findings".into(), Value::from(findings));
    }
    json!({
        "assessment-results": {
            "uuid": uuid(&format!("assessment-results:{org}:{as_of}")),
            "metadata": metadata(title, as_of, as_of),
            "import-ap": {"href": "#pms-assessment-plan"},
            "results": [Value::Object(result)],
        }
    })
}

/// One line of totals from the report's summary.
fn summary_text(report: &Value, lang: &str) -> String {
    let s = report.get("summary").unwrap_or(&Value::Null);
    let n = |k: &str| s.get(k).and_then(Value::as_u64).unwrap_or(0);
    if lang == "en" {
        format!(
            "{} rules checked: {} gaps, {} at risk (edition {})",
            n("rules"),
            n("gaps"),
            n("at_risk"),
            str_of(report, "edition")
        )
    } else {
        format!(
            "{}ルールを点検: 不備{}件、期限接近{}件（{}）",
            n("rules"),
            n("gaps"),
            n("at_risk"),
            str_of(report, "edition")
        )
    }
}

/// A report as an OSCAL plan of action and milestones: one poam-item per open gap, with its
/// observation, its risk (the rule's severity) and the remediation (the rule's fix) whose
/// milestone is the gap's deadline — the evaluation date when the gap has none (it is due
/// now).
#[must_use]
pub fn poam(report: &Value) -> Value {
    let lang = lang_of(report);
    let as_of = str_of(report, "as_of");
    let org = str_of(report, "organization");
    let mut observations = Vec::new();
    let mut risks = Vec::new();
    let mut items = Vec::new();
    for f in open_findings(report).filter(|f| str_of(f, "status") == "gap") {
        let id = str_of(f, "id");
        let obs = observation(f, as_of, lang);
        let obs_uuid = obs.get("uuid").cloned().unwrap_or(Value::Null);
        observations.push(obs);
        let due = match str_of(f, "due") {
            "" => as_of,
            d => d,
        };
        let title = format!(
            "{}: {}",
            text(f.get("title").unwrap_or(&Value::Null), lang),
            subject_text(f)
        );
        let message = text(f.get("message").unwrap_or(&Value::Null), lang);
        let fix = text(f.get("fix").unwrap_or(&Value::Null), lang);
        let risk_uuid = uuid(&format!("risk:{id}"));
        let milestone = if lang == "en" {
            format!("Fixed by {due}")
        } else {
            format!("{due}までに是正")
        };
        risks.push(json!({
            "uuid": risk_uuid,
            "title": title,
            "description": message,
            "statement": message,
            "props": [prop("severity", str_of(f, "severity")), prop("rule-id", str_of(f, "rule_id"))],
            "status": "open",
            "remediations": [{
                "uuid": uuid(&format!("remediation:{id}")),
                "lifecycle": "planned",
                "title": if fix.is_empty() { title.clone() } else { fix.clone() },
                "description": if fix.is_empty() { message.clone() } else { fix },
                "tasks": [{
                    "uuid": uuid(&format!("milestone:{id}:{due}")),
                    "type": "milestone",
                    "title": milestone,
                    "timing": {"on-date": {"date": datetime(due)}},
                }],
            }],
            "related-observations": [{"observation-uuid": obs_uuid}],
        }));
        items.push(json!({
            "uuid": uuid(&format!("poam-item:{id}")),
            "title": title,
            "description": message,
            "props": [prop("finding-id", id), prop("due", due)],
            "related-observations": [{"observation-uuid": obs_uuid}],
            "related-risks": [{"risk-uuid": risk_uuid}],
        }));
    }
    let title = if lang == "en" {
        format!("Plan of action for the Privacy Mark gaps of {org} as of {as_of}")
    } else {
        format!("{org} プライバシーマーク不備の是正計画 {as_of}時点")
    };
    let mut plan = Map::new();
    plan.insert(
        "uuid".into(),
        Value::from(uuid(&format!("poam:{org}:{as_of}"))),
    );
    plan.insert("metadata".into(), metadata(title, as_of, as_of));
    plan.insert(
        "system-id".into(),
        json!({"identifier-type": NS, "id": if org.is_empty() { "organization" } else { org }}),
    );
    if !observations.is_empty() {
        plan.insert("observations".into(), Value::from(observations));
        plan.insert("risks".into(), Value::from(risks));
    }
    plan.insert("poam-items".into(), Value::from(items));
    json!({ "plan-of-action-and-milestones": Value::Object(plan) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Value {
        json!({
            "as_of": "2026-03-31", "lang": "ja", "organization": "見本", "edition": "jisq15001:2023",
            "summary": {"rules": 2, "gaps": 1, "at_risk": 1},
            "coverage": [{"rule_id": "R-B"}, {"rule_id": "R-A"}],
            "findings": [
                {"id": "R-A:W-1", "rule_id": "R-A", "status": "gap", "severity": "major",
                 "title": {"ja": "教育未受講", "en": "No training"}, "due": "2026-01-31",
                 "subject": {"entity": "workforce", "id": "W-1", "display": "甲"},
                 "message": {"ja": "未受講", "en": "not trained"}, "fix": {"ja": "受講", "en": "train"}},
                {"id": "R-B:*", "rule_id": "R-B", "status": "at_risk", "severity": "minor",
                 "title": {"ja": "見直し", "en": "Review"}, "due": "2026-04-10", "subject": null,
                 "message": {"ja": "もうすぐ", "en": "soon"}, "fix": {"ja": "", "en": ""}}
            ]
        })
    }

    #[test]
    fn uuids_are_stable_and_distinct() {
        assert_eq!(uuid("a"), uuid("a"));
        assert_ne!(uuid("a"), uuid("b"));
        assert_eq!(
            Uuid::parse_str(&uuid("a")).map(|u| u.get_version_num()),
            Ok(5)
        );
    }

    #[test]
    fn assessment_results_target_statements_of_the_evaluated_rules() {
        let ar = assessment_results(&report());
        let r = &ar["assessment-results"]["results"][0];
        let ids: Vec<&str> = r["reviewed-controls"]["control-selections"][0]["include-controls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["control-id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["R-A", "R-B"]);
        let states: Vec<(&str, &str)> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["target"]["target-id"].as_str().unwrap(),
                    f["target"]["status"]["state"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            states,
            [("R-A_smt", "not-satisfied"), ("R-B_smt", "satisfied")]
        );
        assert_eq!(ar, assessment_results(&report()));
    }

    #[test]
    fn poam_has_one_item_per_gap_with_its_deadline() {
        let p = poam(&report());
        let plan = &p["plan-of-action-and-milestones"];
        assert_eq!(plan["poam-items"].as_array().unwrap().len(), 1);
        let task = &plan["risks"][0]["remediations"][0]["tasks"][0];
        assert_eq!(task["type"], "milestone");
        assert_eq!(
            task["timing"]["on-date"]["date"],
            "2026-01-31T00:00:00+09:00"
        );
    }

    #[test]
    fn catalog_groups_rules_by_phase_with_params_and_clauses() {
        let rules = vec![json!({
            "id": "R-TRN-01", "phase": "do", "severity": "major", "basis": "standard",
            "title": {"ja": "教育", "en": "Training"}, "explain": {"ja": "", "en": "Everyone is trained."},
            "clauses": [{"edition": "jis2023", "number": "7.2", "unverified": false},
                        {"edition": "shishin", "number": "J.4.3", "unverified": false}],
            "params": [{"name": "training_interval", "default": "12 months"}]
        })];
        let c = catalog(&rules, "ja", "2026-03-31");
        let g = &c["catalog"]["groups"][0];
        assert_eq!(g["id"], "phase-do");
        let ctl = &g["controls"][0];
        assert_eq!(ctl["id"], "R-TRN-01");
        assert_eq!(ctl["params"][0]["values"][0], "12 months");
        assert_eq!(ctl["parts"][0]["prose"], "Everyone is trained.");
        assert_eq!(ctl["props"][3]["name"], "j-number");
    }
}
