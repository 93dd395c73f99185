-- The ten representative checks of the benchmark in SQL for DuckDB, as a data-savvy
-- compliance analyst writes them. Tables are the entities of the generated company, loaded
-- from newline-delimited JSON; dates are DATE columns; :as_of is 2026-03-31.
-- Each query returns (rule, id) rows.

-- R-TRN-01
SELECT 'R-TRN-01' AS rule, w.id FROM workforce w
WHERE w.start_date <= DATE '2026-03-31' AND (w.end_date IS NULL OR w.end_date >= DATE '2026-03-31')
  AND w.start_date + INTERVAL 30 DAY < DATE '2026-03-31'
  AND NOT EXISTS (SELECT 1 FROM training_records r WHERE r.person_id = w.id
                  AND r.completed_on <= DATE '2026-03-31' AND r.completed_on >= DATE '2026-03-31' - INTERVAL 12 MONTH);

-- R-CTR-02
SELECT 'R-CTR-02', c.id FROM contractors c
WHERE c.handles_personal_data
  AND NOT EXISTS (SELECT 1 FROM contractor_evaluations e WHERE e.contractor_id = c.id
                  AND e.evaluated_on <= DATE '2026-03-31' AND e.evaluated_on >= DATE '2026-03-31' - INTERVAL 12 MONTH);

-- R-CTR-04 (clauses may be spread over the contracts in force)
SELECT 'R-CTR-04', c.id FROM contractors c
LEFT JOIN (SELECT contractor_id,
                  bool_or(clauses.responsibility) AS a, bool_or(clauses.security) AS b, bool_or(clauses.subcontract) AS c_,
                  bool_or(clauses.reporting) AS d, bool_or(clauses.audit_right) AS e, bool_or(clauses.breach_measures) AS f,
                  bool_or(clauses.incident_reporting) AS g, bool_or(clauses.post_termination) AS h
           FROM contracts WHERE signed_on <= DATE '2026-03-31' GROUP BY contractor_id) k ON k.contractor_id = c.id
WHERE c.handles_personal_data AND coalesce(c.relationship, 'direct') = 'direct'
  AND NOT coalesce(k.a AND k.b AND k.c_ AND k.d AND k.e AND k.f AND k.g AND k.h, false);

-- R-CA-01
SELECT 'R-CA-01', f.id FROM audit_findings f
WHERE f.type = 'nonconformity' AND f.raised_on <= DATE '2026-03-31' AND f.raised_on + INTERVAL 30 DAY < DATE '2026-03-31'
  AND NOT EXISTS (SELECT 1 FROM corrective_actions a WHERE a.finding_id = f.id);

-- R-CA-03
SELECT 'R-CA-03', a.id FROM corrective_actions a
WHERE a.implemented_on IS NULL AND a.due_on IS NOT NULL AND a.due_on < DATE '2026-03-31';

-- R-AUD-03
SELECT DISTINCT 'R-AUD-03', a.id
FROM internal_audits a, unnest(a.assignments) AS t(x)
LEFT JOIN workforce w ON w.id = x.auditor_id
WHERE a.end_date >= DATE '2026-03-31' - INTERVAL 24 MONTH
  AND (SELECT len(departments) FROM organization) > 1
  AND x.department_id = coalesce(
        (SELECT y.own_department_id FROM unnest(a.auditors) AS u(y) WHERE y.person_id = x.auditor_id LIMIT 1),
        w.department_id);

-- R-MR-02
SELECT 'R-MR-02', m.id FROM management_reviews m
WHERE m.date <= DATE '2026-03-31' AND m.date >= DATE '2026-03-31' - INTERVAL 24 MONTH
  AND EXISTS (SELECT 1 FROM unnest(['audit_results', 'op_check_results', 'complaints', 'prev_followup', 'legal_changes',
                                    'environment_changes', 'business_changes', 'improvement_proposals']) AS t(k)
              WHERE coalesce(json_extract_string(to_json(m.inputs), '$.' || k), '') = '');

-- R-INV-01
SELECT 'R-INV-01', i.id FROM inventory i
WHERE coalesce(i.status, 'active') = 'active'
  AND (len(coalesce(i.data_fields, [])) = 0 OR len(coalesce(i.purposes, [])) = 0 OR coalesce(i.storage_location, '') = ''
       OR coalesce(i.storage_method, '') = '' OR len(coalesce(i.access_holders, [])) = 0 OR coalesce(i.use_until, '') = ''
       OR (i.retain_until IS NULL AND coalesce(i.retention_rule, '') = ''));

-- R-RSK-01
SELECT 'R-RSK-01', i.id FROM inventory i
WHERE coalesce(i.status, 'active') = 'active'
  AND NOT EXISTS (SELECT 1 FROM risk_assessments r WHERE r.inventory_item_id = i.id);

-- R-INC-11 and R-INC-12
WITH inc AS (
  SELECT i.id, i.discovered_on, coalesce(i.unlawful_intent, false) AS unlawful,
         (SELECT min(r.submitted_on) FROM unnest(i.regulator_reports) AS u(r) WHERE r.body = 'PPC') AS first_ppc,
         (SELECT min(r.submitted_on) FROM unnest(i.regulator_reports) AS u(r) WHERE r.body = 'PPC' AND r.kind = '確報') AS final_ppc
  FROM incidents i
  WHERE i.discovered_on <= DATE '2026-03-31'
    AND (coalesce(i.special_care, false) OR coalesce(i.financial_risk, false) OR coalesce(i.unlawful_intent, false) OR coalesce(i.persons_affected, 0) > 1000))
SELECT 'R-INC-11', id FROM inc
WHERE discovered_on + INTERVAL 5 DAY < DATE '2026-03-31' AND (first_ppc IS NULL OR first_ppc > discovered_on + INTERVAL 5 DAY)
UNION ALL
SELECT 'R-INC-12', id FROM inc
WHERE discovered_on + (CASE WHEN unlawful THEN INTERVAL 60 DAY ELSE INTERVAL 30 DAY END) < DATE '2026-03-31'
  AND (final_ppc IS NULL OR final_ppc > discovered_on + (CASE WHEN unlawful THEN INTERVAL 60 DAY ELSE INTERVAL 30 DAY END));

-- R-CRT-02 (without the business-day extension of the closing day)
SELECT 'R-CRT-02', c.id FROM certification c
WHERE c.valid_to IS NOT NULL
  AND (c.renewal_applied_on IS NULL AND c.valid_to - INTERVAL 4 MONTH < DATE '2026-03-31'
       OR c.renewal_applied_on IS NOT NULL AND (c.renewal_applied_on < c.valid_to - INTERVAL 8 MONTH OR c.renewal_applied_on > c.valid_to - INTERVAL 4 MONTH));

-- R-RET-02
SELECT 'R-RET-02', i.id FROM inventory i
WHERE i.retain_until IS NOT NULL AND i.retain_until < DATE '2026-03-31' AND i.retain_until + INTERVAL 30 DAY < DATE '2026-03-31'
  AND NOT EXISTS (SELECT 1 FROM disposal_records d WHERE d.inventory_item_id = i.id AND d.disposed_on <= DATE '2026-03-31');
