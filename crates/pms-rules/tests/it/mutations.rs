//! One failing fixture per rule: the clean company (which passes every rule) with one
//! realistic mistake planted. Each mutation must make its rule report a gap on the named
//! subject; together with `clean.rs` every rule has a passing and a failing fixture.
//!
//! Pointers name records by id: `/workforce[W-005]/pledge_signed_on`.

use crate::common::*;
use serde_json::{json, Value};

pub(crate) enum Op {
    Set(&'static str, Value),
    Del(&'static str),
    Push(&'static str, Value),
}
use Op::{Del, Push, Set};

/// Resolves `/entity[ID]/field/…` (and plain JSON pointer segments) to a mutable value.
fn resolve<'a>(root: &'a mut Value, path: &str) -> &'a mut Value {
    let mut cur = root;
    for seg in path.trim_start_matches('/').split('/') {
        if let Some((name, rest)) = seg.split_once('[') {
            let id = rest.trim_end_matches(']');
            let list = cur
                .get_mut(name)
                .unwrap_or_else(|| panic!("no `{name}` in {path}"));
            cur = list
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|x| x["id"] == id)
                .unwrap_or_else(|| panic!("no `{id}` in {path}"));
        } else if let Ok(i) = seg.parse::<usize>() {
            cur = &mut cur[i];
        } else {
            if cur.get(seg).is_none() {
                cur[seg] = Value::Null;
            }
            cur = cur.get_mut(seg).unwrap();
        }
    }
    cur
}

pub(crate) fn apply(root: &mut Value, ops: &[Op]) {
    for op in ops {
        match op {
            Set(p, v) => *resolve(root, p) = v.clone(),
            Del(p) => {
                let (parent, key) = p.rsplit_once('/').unwrap();
                resolve(root, parent).as_object_mut().unwrap().remove(key);
            }
            Push(p, v) => {
                let target = resolve(root, p);
                if target.is_null() {
                    *target = json!([]);
                }
                target.as_array_mut().unwrap().push(v.clone());
            }
        }
    }
}

pub(crate) fn cases() -> Vec<(&'static str, &'static str, Vec<Op>)> {
    vec![
        (
            "R-ACQ-01",
            "INV-02",
            vec![Del("/inventory[INV-02]/acquisition_method")],
        ),
        (
            "R-ACQ-02",
            "INV-03",
            vec![Del("/inventory[INV-03]/special_care_basis")],
        ),
        (
            "R-ACQ-03",
            "INV-03",
            vec![Set(
                "/inventory[INV-03]/purpose_notified_or_published",
                json!(false),
            )],
        ),
        (
            "R-ACQ-04",
            "NV-WEBFORM-3",
            vec![Set(
                "/notice_versions[NV-WEBFORM-3]/items/f_voluntary",
                json!(false),
            )],
        ),
        (
            "R-ACQ-05",
            "INV-05",
            vec![Set("/consent_events", json!([]))],
        ),
        (
            "R-ACQ-10",
            "CS-0003",
            vec![Set(
                "/consent_events[CS-0003]/consenter_role",
                json!("self"),
            )],
        ),
        (
            "R-ANO-01",
            "ORG",
            vec![Del("/organization[ORG]/handles_anonymized")],
        ),
        ("R-AUD-01", "ORG", vec![Set("/internal_audits", json!([]))]),
        (
            "R-AUD-02",
            "ORG",
            vec![Set(
                "/internal_audits[IA-2025]/audit_type",
                json!(["operation"]),
            )],
        ),
        (
            "R-AUD-03",
            "IA-2025",
            vec![Set(
                "/internal_audits[IA-2025]/assignments/0/auditor_id",
                json!("W-010"),
            )],
        ),
        (
            "R-AUD-04",
            "IA-2025",
            vec![Set("/internal_audits[IA-2025]/lead_signed", json!(false))],
        ),
        (
            "R-AUD-05",
            "IA-2025",
            vec![Set(
                "/internal_audits[IA-2025]/checklist_covers_risk_results",
                json!(false),
            )],
        ),
        (
            "R-CA-01",
            "F-2025-02",
            vec![Set(
                "/corrective_actions[CA-2025-02]/finding_id",
                json!("F-2025-01"),
            )],
        ),
        (
            "R-CA-02",
            "CA-2025-05",
            vec![Del("/corrective_actions[CA-2025-05]/root_cause")],
        ),
        (
            "R-CA-03",
            "CA-2025-05",
            vec![Set(
                "/corrective_actions[CA-2025-05]/due_on",
                json!("2026-03-15"),
            )],
        ),
        (
            "R-CA-04",
            "EA-2024",
            vec![Set(
                "/external_audits[EA-2024]/improvement_report_submitted_on",
                json!("2024-10-11"),
            )],
        ),
        (
            "R-CA-05",
            "F-2025-04",
            vec![Set(
                "/corrective_actions[CA-2025-06]/finding_id",
                json!("F-2025-01"),
            )],
        ),
        (
            "R-CMP-01",
            "CMP-2025-01",
            vec![Del("/complaints[CMP-2025-01]/closed_on")],
        ),
        (
            "R-CMP-02",
            "ORG",
            vec![Del("/documents[DOC-POL-EXT]/versions/0/contact_point")],
        ),
        (
            "R-CMPT-01",
            "RA-5",
            vec![Set("/training_records", json!([]))],
        ),
        (
            "R-CRT-01",
            "CERT-1",
            vec![
                Set("/certification[CERT-1]/valid_to", json!("2026-03-30")),
                Del("/certification[CERT-1]/renewal_applied_on"),
            ],
        ),
        (
            "R-CRT-02",
            "CERT-1",
            vec![Set(
                "/certification[CERT-1]/renewal_applied_on",
                json!("2026-01-29"),
            )],
        ),
        (
            "R-CRT-03",
            "CERT-1",
            vec![Set("/management_reviews", json!([]))],
        ),
        (
            "R-CRT-04",
            "ORG",
            vec![Push(
                "/organization[ORG]/change_history",
                json!({"id": "CH-1", "kind": "address", "changed_on": "2025-10-01", "detail": "本社移転"}),
            )],
        ),
        (
            "R-CTR-01",
            "C-04",
            vec![Set(
                "/contractor_evaluations[CE-C-04-2018]/evaluated_on",
                json!("2018-05-02"),
            )],
        ),
        (
            "R-CTR-02",
            "C-02",
            vec![Set(
                "/contractor_evaluations[CE-C-02-2025]/evaluated_on",
                json!("2025-03-01"),
            )],
        ),
        (
            "R-CTR-03",
            "CE-C-02-2025",
            vec![Set(
                "/contractor_evaluations[CE-C-02-2025]/criteria_includes_equivalent_protection",
                json!(false),
            )],
        ),
        (
            "R-CTR-04",
            "C-01",
            vec![Set(
                "/contracts[K-C-01]/clauses/post_termination",
                json!(false),
            )],
        ),
        (
            "R-CTR-05",
            "K-C-01",
            vec![Set("/inventory[INV-02]/retain_until", json!("2040-03-31"))],
        ),
        (
            "R-CTR-06",
            "C-03",
            vec![
                Set(
                    "/contractor_evaluations[CE-C-08-2021]/contractor_id",
                    json!("C-02"),
                ),
                Set(
                    "/contractor_evaluations[CE-C-08-2025]/contractor_id",
                    json!("C-02"),
                ),
            ],
        ),
        (
            "R-CTR-07",
            "SYS-CRM",
            vec![
                Set("/contractors[C-06]/handles_personal_data", json!(false)),
                Set("/contractors[C-06]/is_cloud_service", json!(false)),
            ],
        ),
        (
            "R-DOC-01",
            "ORG",
            vec![
                Set("/documents[DOC-MANUAL]/topics", json!(["identification"])),
                Set("/documents[DOC-POL-INT]/topics", json!([])),
            ],
        ),
        (
            "R-DOC-02",
            "ORG",
            vec![Set("/documents[DOC-MANUAL]/topics", json!(["manual"]))],
        ),
        (
            "R-DOC-03",
            "DOC-SCOPE",
            vec![Del("/documents[DOC-SCOPE]/versions/0/approved_by")],
        ),
        (
            "R-DOC-04",
            "DOC-SCOPE",
            vec![Set(
                "/documents[DOC-SCOPE]/last_reviewed_on",
                json!("2025-03-01"),
            )],
        ),
        (
            "R-DOC-05",
            "RT-1",
            vec![Del("/record_types[RT-1]/location")],
        ),
        (
            "R-EMP-01",
            "W-014",
            vec![Set(
                "/workforce[W-014]/pledge_signed_on",
                json!("2022-06-01"),
            )],
        ),
        (
            "R-EMP-02",
            "W-025",
            vec![Set(
                "/workforce[W-025]/accounts_disabled_on",
                json!("2026-01-05"),
            )],
        ),
        (
            "R-INC-01",
            "ORG",
            vec![Set(
                "/documents[DOC-EMERGENCY]/covers",
                json!(["individual_notification", "authority_reporting"]),
            )],
        ),
        (
            "R-INC-02",
            "DOC-EMERGENCY",
            vec![
                Set(
                    "/documents[DOC-EMERGENCY]/versions/0/effective_from",
                    json!("2023-05-01"),
                ),
                Set(
                    "/documents[DOC-EMERGENCY]/versions/0/approved_on",
                    json!("2023-05-01"),
                ),
                Set(
                    "/documents[DOC-EMERGENCY]/last_reviewed_on",
                    json!("2024-03-01"),
                ),
            ],
        ),
        (
            "R-INC-10",
            "INC-2025-02",
            vec![Set(
                "/incidents[INC-2025-02]/regulator_reports",
                json!([{"body": "JIPDEC", "kind": "速報", "submitted_on": "2025-09-10", "channel": "portal"}, {"body": "JIPDEC", "kind": "確報", "submitted_on": "2025-10-03", "channel": "portal"}]),
            )],
        ),
        (
            "R-INC-11",
            "INC-2025-02",
            vec![Set(
                "/incidents[INC-2025-02]/regulator_reports/0/submitted_on",
                json!("2025-09-15"),
            )],
        ),
        (
            "R-INC-12",
            "INC-2025-02",
            vec![Set(
                "/incidents[INC-2025-02]/regulator_reports/2/submitted_on",
                json!("2025-10-09"),
            )],
        ),
        (
            "R-INC-13",
            "INC-2025-02",
            vec![Set("/incidents[INC-2025-02]/notifications", json!({}))],
        ),
        (
            "R-INC-14",
            "INC-2025-02",
            vec![Set(
                "/incidents[INC-2025-02]/regulator_reports/2/items_covered",
                json!(["overview", "cause"]),
            )],
        ),
        (
            "R-INC-15",
            "INC-2025-03",
            vec![Del("/incidents[INC-2025-03]/principal_notified_on")],
        ),
        (
            "R-INC-20",
            "INC-2025-01",
            vec![Set(
                "/incidents[INC-2025-01]/regulator_reports/0/submitted_on",
                json!("2025-06-20"),
            )],
        ),
        (
            "R-INC-21",
            "INC-2025-02",
            vec![Set(
                "/incidents[INC-2025-02]/regulator_reports/1/submitted_on",
                json!("2025-09-14"),
            )],
        ),
        (
            "R-INC-22",
            "INC-2025-01",
            vec![Set(
                "/incidents[INC-2025-01]/regulator_reports/0/channel",
                json!("email"),
            )],
        ),
        (
            "R-INC-23",
            "CERT-1",
            vec![Set("/incidents[INC-2025-03]/regulator_reports", json!([]))],
        ),
        (
            "R-INC-24",
            "INC-2025-01",
            vec![
                Del("/incidents[INC-2025-01]/ca_id"),
                Set(
                    "/corrective_actions[CA-2025-04]/incident_id",
                    json!("INC-2025-02"),
                ),
            ],
        ),
        (
            "R-INV-01",
            "INV-01",
            vec![Set("/inventory[INV-01]/purposes", json!([]))],
        ),
        (
            "R-INV-02",
            "INV-01",
            vec![Set(
                "/inventory[INV-01]/last_reviewed_on",
                json!("2025-03-30"),
            )],
        ),
        (
            "R-INV-03",
            "BF-1",
            vec![Set("/business_flows[BF-1]/inventory_item_ids", json!([]))],
        ),
        (
            "R-INV-04",
            "INV-03",
            vec![Del("/inventory[INV-03]/special_care_basis")],
        ),
        (
            "R-LAW-01",
            "ORG",
            vec![Set("/legal_register[LR-3]/code", json!("other"))],
        ),
        (
            "R-LAW-02",
            "LR-1",
            vec![Set(
                "/legal_register[LR-1]/amendment_dates_tracked",
                json!(["2026-03-15"]),
            )],
        ),
        (
            "R-MR-01",
            "ORG",
            vec![Set(
                "/management_reviews[MR-2026]/date",
                json!("2025-03-20"),
            )],
        ),
        (
            "R-MR-02",
            "MR-2026",
            vec![Del("/management_reviews[MR-2026]/inputs/complaints")],
        ),
        (
            "R-MR-03",
            "MR-2026",
            vec![Del("/management_reviews[MR-2026]/outputs/pms_changes")],
        ),
        (
            "R-MR-04",
            "MR-2025",
            vec![Del("/management_reviews[MR-2025]/action_items/0/closed_on")],
        ),
        (
            "R-OBJ-01",
            "OBJ-2025-1",
            vec![Del("/objectives[OBJ-2025-1]/measure")],
        ),
        (
            "R-OBJ-02",
            "OBJ-2024-1",
            vec![Del("/objectives[OBJ-2024-1]/evaluation")],
        ),
        (
            "R-OPC-01",
            "ORG",
            vec![Set(
                "/operational_checks[OC-2025-D-HR-2]/checked_on",
                json!("2025-09-20"),
            )],
        ),
        (
            "R-OPC-02",
            "ORG",
            vec![Set("/operational_checks", json!([]))],
        ),
        (
            "R-OPC-03",
            "OC-2025-OSAKA-1",
            vec![Set(
                "/corrective_actions[CA-2025-01]/finding_id",
                json!("F-2025-02"),
            )],
        ),
        (
            "R-ORG-01",
            "ORG",
            vec![Set(
                "/documents[DOC-SCOPE]/last_reviewed_on",
                json!("2025-01-10"),
            )],
        ),
        (
            "R-ORG-02",
            "ORG",
            vec![Push(
                "/role_assignments",
                json!({"id": "RA-X", "person_id": "W-006", "role": "pi_manager", "appointed_by": "W-001", "from": "2025-10-01"}),
            )],
        ),
        (
            "R-ORG-03",
            "ORG",
            vec![Set("/role_assignments[RA-3]/person_id", json!("W-004"))],
        ),
        (
            "R-ORG-04",
            "RA-3",
            vec![Set("/role_assignments[RA-3]/person_id", json!("W-003"))],
        ),
        (
            "R-ORG-05",
            "RA-2",
            vec![Set("/certification[CERT-1]/change_reports", json!([]))],
        ),
        (
            "R-PLN-01",
            "ORG",
            vec![Set(
                "/audit_plans[AP-2025]/period_from",
                json!("2025-05-01"),
            )],
        ),
        (
            "R-PLN-02",
            "ORG",
            vec![Del("/training_plans[TP-2025]/items/0/actual_ref")],
        ),
        (
            "R-POL-01",
            "ORG",
            vec![Set(
                "/documents[DOC-POL-INT]/versions/0/approved_by",
                json!("W-004"),
            )],
        ),
        (
            "R-POL-02",
            "W-027",
            vec![
                Set(
                    "/documents[DOC-POL-INT]/versions/0/effective_from",
                    json!("2025-03-01"),
                ),
                Set(
                    "/documents[DOC-POL-INT]/versions/0/approved_on",
                    json!("2025-03-01"),
                ),
                Set(
                    "/training_sessions[TS-2025]/content_topics",
                    json!(["importance"]),
                ),
            ],
        ),
        (
            "R-POL-03",
            "ORG",
            vec![Del("/documents[DOC-POL-EXT]/versions/0/last_revised_date")],
        ),
        (
            "R-POL-04",
            "ORG",
            vec![Del("/documents[DOC-POL-EXT]/versions/0/published_url")],
        ),
        (
            "R-PRV-01",
            "PR-2025-02",
            vec![Del("/provision_records[PR-2025-02]/consent_ref")],
        ),
        (
            "R-PRV-02",
            "PR-2025-03",
            vec![Del("/provision_records[PR-2025-03]/country")],
        ),
        (
            "R-PRV-03",
            "PR-2025-02",
            vec![Del("/provision_records[PR-2025-02]/data_items")],
        ),
        (
            "R-PRV-04",
            "PR-2025-01",
            vec![Del(
                "/provision_records[PR-2025-01]/provider_acquisition_route",
            )],
        ),
        (
            "R-PSE-01",
            "ORG",
            vec![Set("/organization[ORG]/handles_pseudonymized", json!(true))],
        ),
        (
            "R-REL-01",
            "PR-2025-04",
            vec![Set(
                "/provision_records[PR-2025-04]/recipient_consent_confirmed",
                json!(false),
            )],
        ),
        (
            "R-RET-01",
            "PR-2025-01",
            vec![Set(
                "/provision_records[PR-2025-01]/retention_until",
                json!("2027-05-10"),
            )],
        ),
        (
            "R-RET-02",
            "INV-13",
            vec![Set("/disposal_records", json!([]))],
        ),
        (
            "R-RET-03",
            "ORG",
            vec![Set(
                "/entry_logs[EL-TOKYO-2024]/date_from",
                json!("2024-06-01"),
            )],
        ),
        (
            "R-RGT-01",
            "INV-01",
            vec![Del("/inventory[INV-01]/is_retained_personal_data")],
        ),
        (
            "R-RGT-02",
            "DR-2025-03",
            vec![Del("/disclosure_requests[DR-2025-03]/id_verified_on")],
        ),
        (
            "R-RGT-03",
            "DR-2025-03",
            vec![Set(
                "/disclosure_requests[DR-2025-03]/responded_on",
                json!("2025-11-28"),
            )],
        ),
        (
            "R-RGT-04",
            "DR-2025-02",
            vec![Del("/disclosure_requests[DR-2025-02]/reason")],
        ),
        (
            "R-RGT-05",
            "ORG",
            vec![Set(
                "/documents[DOC-PUBLICATION]/publication_items/fees",
                json!(false),
            )],
        ),
        (
            "R-RGT-06",
            "DR-2025-03",
            vec![Set(
                "/disclosure_requests[DR-2025-03]/method_used",
                json!("書面"),
            )],
        ),
        (
            "R-RGT-07",
            "ORG",
            vec![Set(
                "/documents[DOC-RIGHTS]/request_types",
                json!(["disclosure", "correction", "suspension", "purpose_notice"]),
            )],
        ),
        (
            "R-RSK-01",
            "INV-12",
            vec![Set("/risk_assessments", json!([]))],
        ),
        (
            "R-RSK-02",
            "INV-01",
            vec![Set(
                "/risk_assessments[RA-INV-01-dispose]/stage",
                json!("store"),
            )],
        ),
        (
            "R-RSK-03",
            "RA-INV-01-use",
            vec![Set("/risk_assessments[RA-INV-01-use]/controls", json!([]))],
        ),
        (
            "R-RSK-04",
            "INV-01",
            vec![Set("/inventory[INV-01]/updated_at", json!("2025-10-01"))],
        ),
        (
            "R-SEC-01",
            "ORG",
            vec![Push(
                "/entry_logs[EL-TOKYO-2025]/missing_dates",
                json!("2026-03-10"),
            )],
        ),
        (
            "R-SEC-02",
            "VL-2025-0001",
            vec![Set(
                "/visitor_logs[VL-2025-0001]/form",
                json!("shared_ledger"),
            )],
        ),
        (
            "R-SEC-03",
            "ORG",
            vec![Set("/entry_logs[EL-SRV-2025-10-02]/area", json!("office"))],
        ),
        (
            "R-SEC-04",
            "SYS-HR",
            vec![Set("/access_log_reviews", json!([]))],
        ),
        (
            "R-SEC-05",
            "SYS-FS",
            vec![Set(
                "/access_right_reviews[ARR-SYS-FS-2026-01]/reviewed_on",
                json!("2025-09-01"),
            )],
        ),
        (
            "R-TRN-01",
            "W-017",
            vec![Set("/training_records", json!([]))],
        ),
        (
            "R-TRN-02",
            "W-029",
            vec![Set(
                "/training_records[TR-0056]/completed_on",
                json!("2025-08-05"),
            )],
        ),
        (
            "R-TRN-03",
            "TR-0033",
            vec![
                Del("/training_records[TR-0033]/test_score"),
                Del("/training_records[TR-0033]/passed"),
            ],
        ),
        (
            "R-TRN-04",
            "TS-2025",
            vec![Set(
                "/training_records[TR-0035]/session_id",
                json!("TS-2024"),
            )],
        ),
        (
            "R-USE-02",
            "UE-2025-01",
            vec![Del("/use_events[UE-2025-01]/consent_ref")],
        ),
        (
            "R-USE-03",
            "CC-2025-01",
            vec![Del("/contact_campaigns[CC-2025-01]/consent_ref")],
        ),
        (
            "R-ANO-02",
            "AJ-2025-01",
            vec![Del(
                "/anonymization_jobs[AJ-2025-01]/matching_keys_deleted_on",
            )],
        ),
        (
            "R-TRN-05",
            "TS-2025",
            vec![Set(
                "/training_sessions[TS-2025]/content_topics",
                json!(["policy", "importance", "roles"]),
            )],
        ),
        (
            "R-USE-01",
            "INV-06",
            vec![Set(
                "/inventory[INV-06]/purposes",
                json!(["事業活動に用いるため"]),
            )],
        ),
    ]
}

#[test]
fn every_rule_has_a_failing_fixture() {
    let base = clean_json();
    let all = cases();
    let mut missing: Vec<&str> = program()
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !all.iter().any(|(r, _, _)| r == id))
        .collect();
    missing.sort_unstable();
    assert!(
        missing.is_empty(),
        "rules without a failing fixture: {missing:?}"
    );
    let mut failures = Vec::new();
    for (rule, subject, ops) in &all {
        let mut v = base.clone();
        apply(&mut v, ops);
        let set = match pms_core::records::load_json(v) {
            Ok(s) => s,
            Err(d) => {
                failures.push(format!(
                    "{rule}: the mutation made the records invalid: {}",
                    pms_core::diagnostic::render(&d, &[])
                ));
                continue;
            }
        };
        let mut opts = pms_core::Options::new(date("2026-03-31"));
        opts.edition = pack_of(rule).into();
        let report = pms_core::evaluate(program(), &set, &opts).unwrap();
        let fired: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule_id == *rule && f.status == pms_core::Status::Gap)
            .map(|f| f.subject.as_ref().map_or("*".into(), |s| s.id.clone()))
            .collect();
        if !fired.iter().any(|s| s == subject) {
            failures.push(format!(
                "{rule}: expected a gap on {subject}, got {fired:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n  {}",
        failures.len(),
        all.len(),
        failures.join("\n  ")
    );
}
