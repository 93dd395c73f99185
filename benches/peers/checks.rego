# The ten representative checks of the benchmark, in Rego, as a competent Rego author writes
# them: records are grouped once into maps keyed by id (partial rules), never scanned in nested
# loops. Data: the record set as `data`; input: {"as_of": "yyyy-mm-dd"}.
# Result: data.pms.gaps — a map from rule id to the set of subject ids with a gap.
package pms

import rego.v1

day_ns := 86400000000000

parse(d) := time.parse_ns("2006-01-02", d)

fmt(ns) := time.format([ns, "UTC", "2006-01-02"])

shift(d, y, m, dd) := fmt(time.add_date(parse(d), y, m, dd))

as_of := input.as_of

y1 := shift(as_of, 0, -12, 0)

y2 := shift(as_of, 0, -24, 0)

d30 := shift(as_of, 0, 0, -30)

present(x) if {
	x != null
	x != ""
	x != []
}

employed(w) if {
	w.start_date <= as_of
	not w.end_date
}

employed(w) if {
	w.start_date <= as_of
	w.end_date >= as_of
}

# R-TRN-01 -----------------------------------------------------------------
training_dates[p] contains r.completed_on if {
	some r in data.training_records
	r.completed_on <= as_of
	p := r.person_id
}

trained_recently(p) if {
	some d in training_dates[p]
	d >= y1
}

gaps_trn01 contains w.id if {
	some w in data.workforce
	employed(w)
	w.start_date < d30
	not trained_recently(w.id)
}

# R-CTR-02 / R-CTR-04 -------------------------------------------------------
supervised(c) if {
	c.handles_personal_data == true
	object.get(c, "status", "active") != "terminated"
}

eval_dates[id] contains e.evaluated_on if {
	some e in data.contractor_evaluations
	e.evaluated_on <= as_of
	id := e.contractor_id
}

evaluated_recently(id) if {
	some d in eval_dates[id]
	d >= y1
}

gaps_ctr02 contains c.id if {
	some c in data.contractors
	supervised(c)
	not evaluated_recently(c.id)
}

clause_names := ["responsibility", "security", "subcontract", "reporting", "audit_right", "breach_measures", "incident_reporting", "post_termination"]

in_force(k) if {
	k.signed_on <= as_of
	not k.expires_on
}

in_force(k) if {
	k.signed_on <= as_of
	k.expires_on >= as_of
}

covered[id] contains n if {
	some k in data.contracts
	in_force(k)
	id := k.contractor_id
	some n in clause_names
	k.clauses[n] == true
}

gaps_ctr04 contains c.id if {
	some c in data.contractors
	supervised(c)
	object.get(c, "relationship", "direct") == "direct"
	some n in clause_names
	not n in object.get(covered, c.id, set())
}

# R-CA-01 / R-CA-03 ----------------------------------------------------------
with_action contains c.finding_id if some c in data.corrective_actions

gaps_ca01 contains f.id if {
	some f in data.audit_findings
	f.type == "nonconformity"
	f.raised_on <= as_of
	f.raised_on < d30
	not f.id in with_action
}

gaps_ca03 contains c.id if {
	some c in data.corrective_actions
	not c.implemented_on
	present(c.due_on)
	c.due_on < as_of
}

# R-AUD-03 -------------------------------------------------------------------
department_of[w.id] := w.department_id if some w in data.workforce

own_department(a, p) := d if {
	some y in a.auditors
	y.person_id == p
	d := y.own_department_id
} else := department_of[p]

gaps_aud03 contains a.id if {
	count(data.organization[0].departments) > 1
	some a in data.internal_audits
	a.end_date >= y2
	some x in a.assignments
	x.department_id == own_department(a, x.auditor_id)
}

# R-MR-02 --------------------------------------------------------------------
mr_inputs := ["audit_results", "op_check_results", "complaints", "prev_followup", "legal_changes", "environment_changes", "business_changes", "improvement_proposals"]

gaps_mr02 contains m.id if {
	some m in data.management_reviews
	m.date <= as_of
	m.date >= y2
	some k in mr_inputs
	not present(object.get(object.get(m, "inputs", {}), k, null))
}

# R-INV-01 / R-RSK-01 / R-RET-02 --------------------------------------------------
active_item(i) if object.get(i, "status", "active") == "active"

inventory_fields := ["data_fields", "purposes", "storage_location", "storage_method", "access_holders", "use_until"]

gaps_inv01 contains i.id if {
	some i in data.inventory
	active_item(i)
	some k in inventory_fields
	not present(object.get(i, k, null))
}

gaps_inv01 contains i.id if {
	some i in data.inventory
	active_item(i)
	not present(object.get(i, "retain_until", null))
	not present(object.get(i, "retention_rule", null))
}

assessed contains r.inventory_item_id if some r in data.risk_assessments

gaps_rsk01 contains i.id if {
	some i in data.inventory
	active_item(i)
	not i.id in assessed
}

disposed contains d.inventory_item_id if {
	some d in data.disposal_records
	d.disposed_on <= as_of
}

gaps_ret02 contains i.id if {
	some i in data.inventory
	present(object.get(i, "retain_until", null))
	i.retain_until < as_of
	shift(i.retain_until, 0, 0, 30) < as_of
	not i.id in disposed
}

# R-INC-11 / R-INC-12 ---------------------------------------------------------
reportable(i) if {
	category(i)
	not object.get(i, "encrypted_high", false)
	not object.get(i, "pseudonymized", false)
	not contractor_notified(i)
}

category(i) if object.get(i, "special_care", false) == true

category(i) if object.get(i, "financial_risk", false) == true

category(i) if object.get(i, "unlawful_intent", false) == true

category(i) if object.get(i, "persons_affected", 0) > 1000

contractor_notified(i) if {
	object.get(i, "our_role", "controller") == "contractor"
	present(object.get(i, "principal_notified_on", null))
}

ppc_dates(i) := {r.submitted_on | some r in object.get(i, "regulator_reports", []); r.body == "PPC"}

final_dates(i) := {r.submitted_on | some r in object.get(i, "regulator_reports", []); r.body == "PPC"; r.kind == "確報"}

gaps_inc11 contains i.id if {
	some i in data.incidents
	i.discovered_on <= as_of
	reportable(i)
	deadline := shift(i.discovered_on, 0, 0, 5)
	deadline < as_of
	not on_time(ppc_dates(i), deadline)
}

gaps_inc12 contains i.id if {
	some i in data.incidents
	i.discovered_on <= as_of
	reportable(i)
	deadline := shift(i.discovered_on, 0, 0, kakuho_days(i))
	deadline < as_of
	not on_time(final_dates(i), deadline)
}

on_time(dates, deadline) if min(dates) <= deadline

kakuho_days(i) := 60 if {
	object.get(i, "unlawful_intent", false) == true
} else := 30

# R-CRT-02 (without the business-day extension of the closing day) ------------------
gaps_crt02 contains c.id if {
	some c in data.certification
	present(object.get(c, "valid_to", null))
	opens := shift(c.valid_to, 0, -8, 0)
	closes := shift(c.valid_to, 0, -4, 0)
	not applied_in_window(c, opens, closes)
	closes < as_of
}

gaps_crt02 contains c.id if {
	some c in data.certification
	present(object.get(c, "renewal_applied_on", null))
	opens := shift(c.valid_to, 0, -8, 0)
	closes := shift(c.valid_to, 0, -4, 0)
	not applied_in_window(c, opens, closes)
}

applied_in_window(c, opens, closes) if {
	c.renewal_applied_on >= opens
	c.renewal_applied_on <= closes
}

gaps := {
	"R-TRN-01": gaps_trn01,
	"R-CTR-02": gaps_ctr02,
	"R-CTR-04": gaps_ctr04,
	"R-CA-01": gaps_ca01,
	"R-CA-03": gaps_ca03,
	"R-AUD-03": gaps_aud03,
	"R-MR-02": gaps_mr02,
	"R-INV-01": gaps_inv01,
	"R-RSK-01": gaps_rsk01,
	"R-INC-11": gaps_inc11,
	"R-INC-12": gaps_inc12,
	"R-CRT-02": gaps_crt02,
	"R-RET-02": gaps_ret02,
}
