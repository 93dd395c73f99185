//! The record model as data: every entity, field and field type of a pms record set.
//!
//! The model follows `records.md` (the reference record model). It is kept as a static table
//! rather than as one Rust struct per entity because three consumers read it at run time:
//! the loader (validation of every field with a located message), the rule type checker
//! (user rules name entities and fields) and the JSON Schema generator
//! (`docs/schema/records.schema.json`). One table keeps the three in step.

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Free text.
    Str,
    /// A whole number.
    Int,
    /// A number that may have a fraction (scores).
    Num,
    /// `true` or `false`.
    Bool,
    /// An ISO date `yyyy-mm-dd`.
    Date,
    /// One value of a closed vocabulary.
    Enum(&'static [&'static str]),
    /// The id of a record of the named entity.
    Ref(&'static str),
    /// A list of values of one type.
    List(&'static Ty),
    /// A nested object whose fields are described by the named [`Struct`].
    Obj(&'static str),
}

/// One field of an entity or nested object.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Name as written in record files (snake_case).
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether a record must have it (only `id` and a few keys are required).
    pub required: bool,
    /// A short description (English) used in the JSON Schema and `docs/records.md`.
    pub doc: &'static str,
}

/// A named record shape: an entity or a nested object.
#[derive(Debug, Clone, Copy)]
pub struct Struct {
    /// The name: the entity's key in a record set, or a nested object's name.
    pub name: &'static str,
    /// Whether this is a top-level entity (a list of records in a record set).
    pub entity: bool,
    /// Japanese name for reports.
    pub name_ja: &'static str,
    /// The field used to show a record to a person (`name`, `title` …).
    pub display: &'static str,
    /// Pairs of date fields that must be ordered (`start <= end`).
    pub date_order: &'static [(&'static str, &'static str)],
    /// Fields, in the order they are documented.
    pub fields: &'static [Field],
}

const fn f(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        doc,
    }
}

const fn req(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        doc,
    }
}

const ID: Field = req("id", Ty::Str, "unique id across the whole record set");
const CREATED: Field = f("created_at", Ty::Date, "when the record was created");
const SOURCE: Field = f("source_ref", Ty::Str, "pointer to the evidence file");
const NOTE: Field = f(
    "note",
    Ty::Str,
    "remarks (備考): free text kept with the record; no rule reads it",
);

const STR_LIST: Ty = Ty::List(&Ty::Str);
const DATE_LIST: Ty = Ty::List(&Ty::Date);

/// Employment types of workforce members (従業者).
pub const EMPLOYMENT_TYPES: &[&str] = &[
    "正社員",
    "契約",
    "嘱託",
    "パート",
    "アルバイト",
    "派遣",
    "役員",
    "監査役",
    "other",
];
/// Roles of a role assignment.
pub const ROLES: &[&str] = &[
    "top_management",
    "pi_manager",
    "audit_lead",
    "auditor",
    "dept_manager",
    "complaint_contact",
];

macro_rules! entity {
    ($name:literal, $ja:literal, $display:literal, [$($order:expr),*], [$($field:expr),* $(,)?]) => {
        Struct {
            name: $name,
            entity: true,
            name_ja: $ja,
            display: $display,
            date_order: &[$($order),*],
            fields: &[ID, $($field,)* CREATED, f("updated_at", Ty::Date, "last change of the record"), SOURCE, NOTE],
        }
    };
}

macro_rules! object {
    ($name:literal, [$($field:expr),* $(,)?]) => {
        Struct { name: $name, entity: false, name_ja: $name, display: "id", date_order: &[], fields: &[$($field,)*] }
    };
}

/// Every struct of the record model: entities first, then nested objects.
pub static STRUCTS: &[Struct] = &[
    entity!(
        "organization",
        "組織",
        "name",
        [],
        [
            req("name", Ty::Str, "company name"),
            f("registered_address", Ty::Str, "registered address"),
            f(
                "criteria_version",
                Ty::Str,
                "criteria edition the company follows"
            ),
            f(
                "pms_year_start",
                Ty::Str,
                "first day of the PMS year as MM-DD, e.g. 04-01"
            ),
            f(
                "handles_my_number",
                Ty::Bool,
                "whether My Number (個人番号) is handled"
            ),
            f(
                "handles_special_care",
                Ty::Bool,
                "whether 要配慮個人情報 is handled"
            ),
            f(
                "handles_anonymized",
                Ty::Bool,
                "whether 匿名加工情報 is handled"
            ),
            f(
                "handles_pseudonymized",
                Ty::Bool,
                "whether 仮名加工情報 is handled"
            ),
            f(
                "business_calendar",
                Ty::Obj("business_calendar"),
                "business days of the company"
            ),
            f(
                "sites",
                Ty::List(&Ty::Obj("site")),
                "offices and other sites"
            ),
            f(
                "departments",
                Ty::List(&Ty::Obj("department")),
                "departments"
            ),
            f(
                "change_history",
                Ty::List(&Ty::Obj("org_change")),
                "changes of name, address or contact"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "certification",
        "プライバシーマーク登録",
        "registration_no",
        [("valid_from", "valid_to")],
        [
            f("registration_no", Ty::Str, "registration number"),
            f("review_body", Ty::Str, "審査機関"),
            f("valid_from", Ty::Date, "first day of validity"),
            f("valid_to", Ty::Date, "last day of validity"),
            f(
                "renewal_applied_on",
                Ty::Date,
                "day the renewal application was filed"
            ),
            f(
                "renewal_audit_date",
                Ty::Date,
                "day of the renewal on-site audit"
            ),
            f(
                "improvement_report_due",
                Ty::Date,
                "due date of the improvement report"
            ),
            f(
                "change_reports",
                Ty::List(&Ty::Obj("change_report")),
                "change reports to the review body"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "workforce",
        "従業者",
        "name",
        [("start_date", "end_date")],
        [
            req("name", Ty::Str, "full name"),
            f("name_kana", Ty::Str, "the name's reading (フリガナ)"),
            f(
                "department_id",
                Ty::Ref("department"),
                "department (id in organization.departments)"
            ),
            f("position", Ty::Str, "job title (役職)"),
            f("email", Ty::Str, "work e-mail address"),
            req(
                "employment_type",
                Ty::Enum(EMPLOYMENT_TYPES),
                "employment type"
            ),
            req("start_date", Ty::Date, "first working day"),
            f("end_date", Ty::Date, "last working day"),
            f(
                "pledge_signed_on",
                Ty::Date,
                "day the confidentiality pledge was signed"
            ),
            f(
                "exit_pledge_on",
                Ty::Date,
                "day the exit pledge / asset return was recorded"
            ),
            f(
                "accounts_disabled_on",
                Ty::Date,
                "day all accounts of a leaver were disabled"
            ),
            f(
                "leave",
                Ty::Obj("leave"),
                "an explicit exclusion such as long leave"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "role_assignments",
        "役割の任命",
        "role",
        [("from", "to")],
        [
            req("person_id", Ty::Ref("workforce"), "the appointed person"),
            req("role", Ty::Enum(ROLES), "the role"),
            f("appointed_by", Ty::Ref("workforce"), "who appointed"),
            req("from", Ty::Date, "first day in the role"),
            f("to", Ty::Date, "last day in the role"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "training_plans",
        "教育計画",
        "pms_year",
        [("period_from", "period_to")],
        [
            f("pms_year", Ty::Str, "PMS year, e.g. 2025"),
            f("period_from", Ty::Date, "first day covered"),
            f("period_to", Ty::Date, "last day covered"),
            f("approved_by", Ty::Ref("workforce"), "approver"),
            f("approved_on", Ty::Date, "approval day"),
            f("items", Ty::List(&Ty::Obj("plan_item")), "planned sessions"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "audit_plans",
        "監査計画",
        "pms_year",
        [("period_from", "period_to")],
        [
            f("pms_year", Ty::Str, "PMS year, e.g. 2025"),
            f("period_from", Ty::Date, "first day covered"),
            f("period_to", Ty::Date, "last day covered"),
            f("approved_by", Ty::Ref("workforce"), "approver"),
            f("approved_on", Ty::Date, "approval day"),
            f("items", Ty::List(&Ty::Obj("plan_item")), "planned audits"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "objectives",
        "個人情報保護目的",
        "title",
        [],
        [
            f("pms_year", Ty::Str, "PMS year"),
            f("title", Ty::Str, "objective"),
            f("owner", Ty::Ref("workforce"), "owner"),
            f("target_date", Ty::Date, "target date"),
            f("measure", Ty::Str, "measurable criterion"),
            f("status", Ty::Str, "record status"),
            f("evaluated_on", Ty::Date, "day the result was evaluated"),
            f("evaluation", Ty::Str, "evaluation result"),
        ]
    ),
    entity!(
        "training_sessions",
        "教育実施",
        "title",
        [],
        [
            req("title", Ty::Str, "session title"),
            req(
                "kind",
                Ty::Enum(&["awareness", "new_hire", "role_competence"]),
                "awareness, new_hire or role_competence"
            ),
            req("date", Ty::Date, "session day"),
            f(
                "content_topics",
                STR_LIST,
                "topics covered (policy, importance, roles, violation_consequences, …)"
            ),
            f("material_version", Ty::Str, "version of the material"),
            f(
                "planned_in_plan_item_id",
                Ty::Ref("plan_item"),
                "plan item this session carries out"
            ),
            f(
                "audience",
                Ty::Enum(&["all_active", "listed"]),
                "who was expected to attend"
            ),
            f(
                "invitee_ids",
                Ty::List(&Ty::Ref("workforce")),
                "expected attendees when audience is listed"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "training_records",
        "受講記録",
        "person_id",
        [],
        [
            req("person_id", Ty::Ref("workforce"), "the trainee"),
            f(
                "session_id",
                Ty::Ref("training_sessions"),
                "the session attended"
            ),
            req("completed_on", Ty::Date, "completion day"),
            f(
                "method",
                Ty::Enum(&["classroom", "e-learning", "external"]),
                "how it was taken"
            ),
            f("test_score", Ty::Num, "comprehension test score"),
            f(
                "passed",
                Ty::Bool,
                "whether the comprehension check was passed"
            ),
            f(
                "retaken_on",
                Ty::Date,
                "day the comprehension check was taken again after a fail (再受講日)"
            ),
            f(
                "makeup_for_session_id",
                Ty::Ref("training_sessions"),
                "the missed session this record makes up for"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "documents",
        "文書",
        "title",
        [],
        [
            req("title", Ty::Str, "document title"),
            f(
                "storage_location",
                Ty::Str,
                "where the original is kept (保管場所)"
            ),
            f("retention", Ty::Str, "how long it is kept (保存期間)"),
            req(
                "type",
                Ty::Enum(&[
                    "policy_internal",
                    "policy_external",
                    "rule",
                    "procedure",
                    "form",
                    "notice"
                ]),
                "document type"
            ),
            f("topics", STR_LIST, "what the document governs"),
            f("last_reviewed_on", Ty::Date, "last review"),
            f("versions", Ty::List(&Ty::Obj("doc_version")), "versions"),
            f("covers", STR_LIST, "incident procedure: steps covered"),
            f(
                "publication_items",
                Ty::Obj("publication_items"),
                "retained-data publication items"
            ),
            f(
                "request_types",
                STR_LIST,
                "request procedure: request types handled"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "record_types",
        "記録の種類",
        "name",
        [],
        [
            req("name", Ty::Str, "record type"),
            f("retention_period", Ty::Str, "retention period"),
            f("location", Ty::Str, "storage location"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "legal_register",
        "法令等の一覧",
        "name",
        [],
        [
            f(
                "code",
                Ty::Enum(&[
                    "appi",
                    "ppc_guideline_general",
                    "ppc_guideline_foreign",
                    "ppc_guideline_records",
                    "ppc_guideline_anonymized",
                    "mynumber_act",
                    "mynumber_guideline",
                    "other"
                ]),
                "which law or guideline"
            ),
            req("name", Ty::Str, "name"),
            f("applicability", Ty::Str, "how it applies"),
            f("authority", Ty::Str, "ministry or body in charge (所管)"),
            f(
                "amended",
                Ty::Bool,
                "whether the last check found an amendment (改正有無)"
            ),
            f("action", Ty::Str, "what the company did about it (対応)"),
            f("last_reviewed_on", Ty::Date, "last review"),
            f(
                "amendment_dates_tracked",
                DATE_LIST,
                "amendment dates followed"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "inventory",
        "個人情報管理台帳",
        "item_name",
        [],
        [
            req(
                "item_name",
                Ty::Str,
                "name of the personal-information item"
            ),
            f("department_id", Ty::Ref("department"), "owning department"),
            f(
                "manager",
                Ty::Str,
                "person responsible for the item (管理責任者), as the register names them"
            ),
            f(
                "business_process",
                Ty::Str,
                "business process the item serves (業務プロセス)"
            ),
            f(
                "data_subjects",
                STR_LIST,
                "whose information it is (データ主体: customers, applicants, staff …)"
            ),
            f(
                "incident_impact",
                Ty::Str,
                "the register's judgement of the damage a leak would do (事故時の重大性)"
            ),
            f("data_fields", STR_LIST, "項目: the data fields held"),
            f("purposes", STR_LIST, "利用目的"),
            f("storage_location", Ty::Str, "保管場所"),
            f("storage_method", Ty::Str, "保管方法"),
            f(
                "media",
                Ty::Enum(&["paper", "electronic", "both"]),
                "paper or electronic"
            ),
            f("access_holders", STR_LIST, "アクセス権者"),
            f("use_until", Ty::Str, "利用期限"),
            f("retain_until", Ty::Date, "保管期限 as a date"),
            f(
                "retention_rule",
                Ty::Str,
                "保管期限 as a rule, e.g. 退職後7年"
            ),
            f("record_count", Ty::Int, "approximate number of people"),
            f("contains_special_care", Ty::Bool, "holds 要配慮個人情報"),
            f(
                "special_care_basis",
                Ty::Str,
                "legal exception relied on instead of consent"
            ),
            f(
                "acquisition_method",
                Ty::Enum(&[
                    "direct_written",
                    "direct_other",
                    "indirect",
                    "entrusted",
                    "public"
                ]),
                "how the data is acquired"
            ),
            f("channel_id", Ty::Str, "direct-written acquisition channel"),
            f("notice_method", Ty::Str, "how the purpose is notified"),
            f(
                "purpose_notified_or_published",
                Ty::Bool,
                "purpose notified or published"
            ),
            f("consent_required", Ty::Bool, "consent required"),
            f("consent_obtained", Ty::Bool, "consent obtained"),
            f(
                "third_party_provision",
                Ty::Bool,
                "provided to third parties"
            ),
            f("joint_use", Ty::Bool, "jointly used"),
            f(
                "entrusted_to",
                Ty::List(&Ty::Ref("contractors")),
                "contractors handling the item"
            ),
            f("is_retained_personal_data", Ty::Bool, "保有個人データ"),
            f("cross_border", Ty::Bool, "provided abroad"),
            f("disposal_method", Ty::Str, "how it is disposed of"),
            f(
                "last_reviewed_on",
                Ty::Date,
                "last annual review of the ledger entry"
            ),
            f(
                "accuracy_check_required",
                Ty::Bool,
                "the company's procedure requires entry-error checks of this item"
            ),
            f(
                "status",
                Ty::Enum(&["active", "retired"]),
                "active or retired"
            ),
        ]
    ),
    entity!(
        "business_flows",
        "業務フロー",
        "name",
        [],
        [
            req("name", Ty::Str, "flow name"),
            f("department_id", Ty::Ref("department"), "department"),
            f(
                "inventory_item_ids",
                Ty::List(&Ty::Ref("inventory")),
                "ledger items the flow handles"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "risk_assessments",
        "リスク分析",
        "risk_desc",
        [],
        [
            req(
                "inventory_item_id",
                Ty::Ref("inventory"),
                "ledger item assessed"
            ),
            req("assessed_on", Ty::Date, "assessment day"),
            f(
                "stage",
                Ty::Enum(&["acquire", "transfer", "use", "store", "dispose"]),
                "lifecycle stage"
            ),
            f("risk_desc", Ty::Str, "risk"),
            f("likelihood", Ty::Int, "likelihood"),
            f("impact", Ty::Int, "impact"),
            f("controls", STR_LIST, "controls"),
            f("residual_risk", Ty::Str, "residual risk"),
            f(
                "accepted_by",
                Ty::Ref("workforce"),
                "who accepted the residual risk"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "contractors",
        "委託先",
        "name",
        [],
        [
            req("name", Ty::Str, "contractor name"),
            f("services", Ty::Str, "entrusted services"),
            f(
                "relationship",
                Ty::Enum(&["direct", "subcontractor"]),
                "direct contractor or 再委託先"
            ),
            req(
                "handles_personal_data",
                Ty::Bool,
                "handles our personal data"
            ),
            f(
                "is_cloud_service",
                Ty::Bool,
                "cloud, SaaS or storage provider"
            ),
            f(
                "inventory_items",
                Ty::List(&Ty::Ref("inventory")),
                "ledger items entrusted"
            ),
            f(
                "subcontractors",
                Ty::List(&Ty::Ref("contractors")),
                "known subcontractors"
            ),
            f(
                "subcontracting",
                Ty::Bool,
                "whether the contractor subcontracts the work (再委託の有無)"
            ),
            f("certifications", STR_LIST, "Pマーク, ISMS …"),
            f(
                "first_handover_on",
                Ty::Date,
                "first day personal data was handed over"
            ),
            f(
                "status",
                Ty::Enum(&["active", "terminated"]),
                "active or terminated"
            ),
        ]
    ),
    entity!(
        "contractor_evaluations",
        "委託先評価",
        "contractor_id",
        [],
        [
            req(
                "contractor_id",
                Ty::Ref("contractors"),
                "evaluated contractor"
            ),
            req("evaluated_on", Ty::Date, "evaluation day"),
            f("evaluator", Ty::Ref("workforce"), "evaluator"),
            f(
                "criteria_version",
                Ty::Str,
                "version of the evaluation criteria"
            ),
            f(
                "criteria_includes_equivalent_protection",
                Ty::Bool,
                "criteria require protection at least equal to ours"
            ),
            f(
                "result",
                Ty::Enum(&["pass", "conditional", "fail"]),
                "result"
            ),
            f("score", Ty::Num, "evaluation score (評価点)"),
            f("next_due", Ty::Date, "next evaluation due"),
            f(
                "approved_by",
                Ty::Str,
                "who approved the evaluation (承認者)"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "contracts",
        "委託契約",
        "title",
        [("signed_on", "expires_on")],
        [
            req("contractor_id", Ty::Ref("contractors"), "contractor"),
            f("title", Ty::Str, "contract title"),
            req("signed_on", Ty::Date, "signature day"),
            f("expires_on", Ty::Date, "expiry"),
            f(
                "clauses",
                Ty::Obj("contract_clauses"),
                "which required clauses the contract has"
            ),
            f("retained_until", Ty::Date, "retention of the contract"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "systems",
        "情報システム",
        "name",
        [],
        [
            req("name", Ty::Str, "system name"),
            f("holds_personal_data", Ty::Bool, "holds personal data"),
            f(
                "inventory_item_ids",
                Ty::List(&Ty::Ref("inventory")),
                "ledger items stored"
            ),
            f("provider_contractor_id", Ty::Ref("contractors"), "provider"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "access_log_reviews",
        "アクセスログ確認",
        "system_id",
        [("period_start", "period_end")],
        [
            req("system_id", Ty::Ref("systems"), "system"),
            f("period_start", Ty::Date, "first day reviewed"),
            f("period_end", Ty::Date, "last day reviewed"),
            req("reviewed_on", Ty::Date, "review day"),
            f("reviewer", Ty::Ref("workforce"), "reviewer"),
            f("anomalies", STR_LIST, "anomalies found"),
            f("follow_up_ref", Ty::Str, "follow-up record"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "access_right_reviews",
        "アクセス権限見直し",
        "system_id",
        [],
        [
            req("system_id", Ty::Ref("systems"), "system"),
            req("reviewed_on", Ty::Date, "review day"),
            f("reviewer", Ty::Ref("workforce"), "reviewer"),
            f("removed_accounts", STR_LIST, "accounts removed"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "entry_logs",
        "入退室記録",
        "area",
        [("date_from", "date_to")],
        [
            f("site_id", Ty::Ref("site"), "site"),
            f(
                "area",
                Ty::Enum(&["office", "server_room", "archive"]),
                "area"
            ),
            req("date_from", Ty::Date, "first day"),
            req("date_to", Ty::Date, "last day"),
            f("first_unlock_by", Ty::Str, "who unlocked first"),
            f(
                "unlock_time",
                Ty::Str,
                "time of the first unlock, as written (解錠時刻)"
            ),
            f("last_lock_by", Ty::Str, "who locked last"),
            f(
                "lock_time",
                Ty::Str,
                "time of the last lock, as written (施錠時刻)"
            ),
            f(
                "missing_dates",
                DATE_LIST,
                "business days without a log in the range"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "visitor_logs",
        "来訪者記録",
        "visitor_name",
        [],
        [
            f("site_id", Ty::Ref("site"), "site"),
            req("date", Ty::Date, "visit day"),
            f("visitor_name", Ty::Str, "visitor"),
            f("org", Ty::Str, "visitor's organisation"),
            f("purpose", Ty::Str, "purpose"),
            f(
                "visited",
                Ty::Str,
                "whom or which department was visited (訪問先)"
            ),
            f("time_in", Ty::Str, "time in"),
            f("time_out", Ty::Str, "time out"),
            f("escort", Ty::Ref("workforce"), "escort"),
            f("badge_no", Ty::Str, "visitor badge number (入館証番号)"),
            f(
                "form",
                Ty::Enum(&["single_sheet", "shared_ledger"]),
                "form used"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "operational_checks",
        "運用の確認",
        "department_id",
        [],
        [
            req("department_id", Ty::Ref("department"), "department checked"),
            req("checked_on", Ty::Date, "check day"),
            f("checker", Ty::Ref("workforce"), "checker"),
            f("result", Ty::Str, "result"),
            f("items_checked", STR_LIST, "what was checked (確認項目)"),
            f(
                "ca_needed",
                Ty::Bool,
                "whether a corrective action is needed (是正の要否)"
            ),
            f(
                "nonconformity_finding_ids",
                Ty::List(&Ty::Ref("audit_findings")),
                "nonconformities found"
            ),
            f(
                "reported_to_top_on",
                Ty::Date,
                "day results were reported to top management"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "internal_audits",
        "内部監査",
        "id",
        [("start_date", "end_date")],
        [
            f("plan_item_id", Ty::Ref("plan_item"), "audit plan item"),
            f(
                "audit_type",
                Ty::List(&Ty::Enum(&["conformity", "operation"])),
                "conformity and/or operation audit"
            ),
            f(
                "scope_departments",
                Ty::List(&Ty::Ref("department")),
                "departments audited"
            ),
            f("start_date", Ty::Date, "first day"),
            f("end_date", Ty::Date, "last day"),
            f("auditors", Ty::List(&Ty::Obj("auditor")), "auditors"),
            f(
                "assignments",
                Ty::List(&Ty::Obj("assignment")),
                "who audited which department"
            ),
            f("checklist_ref", Ty::Str, "checklist"),
            f(
                "checklist_covers_risk_results",
                Ty::Bool,
                "checklist reflects the risk-analysis results"
            ),
            f("report_date", Ty::Date, "report day"),
            f(
                "finding_count",
                Ty::Int,
                "number of findings the report lists (指摘件数)"
            ),
            f("lead_signed", Ty::Bool, "signed by the 監査責任者"),
            f(
                "reported_to_top_on",
                Ty::Date,
                "day reported to top management"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "audit_findings",
        "指摘事項",
        "description",
        [],
        [
            req(
                "source",
                Ty::Enum(&[
                    "internal_audit",
                    "op_check",
                    "external_audit",
                    "complaint",
                    "mr"
                ]),
                "where the finding came from"
            ),
            f(
                "source_id",
                Ty::Str,
                "the audit, check or review that raised it"
            ),
            f("clause_ref", Ty::Str, "clause referenced"),
            req(
                "type",
                Ty::Enum(&["nonconformity", "observation", "improvement"]),
                "finding type"
            ),
            f("description", Ty::Str, "description"),
            req("raised_on", Ty::Date, "day raised"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "corrective_actions",
        "是正処置",
        "action",
        [],
        [
            f("finding_id", Ty::Ref("audit_findings"), "finding addressed"),
            f("incident_id", Ty::Ref("incidents"), "incident addressed"),
            f(
                "nonconformity",
                Ty::Str,
                "the nonconformity as the report states it (不適合内容)"
            ),
            f("immediate_correction", Ty::Str, "immediate correction"),
            f("root_cause", Ty::Str, "root cause"),
            f("action", Ty::Str, "planned action"),
            f("owner", Ty::Ref("workforce"), "owner"),
            f("due_on", Ty::Date, "due date"),
            f("implemented_on", Ty::Date, "implementation day"),
            f("result", Ty::Str, "result"),
            f(
                "effectiveness_review_on",
                Ty::Date,
                "effectiveness review day"
            ),
            f("effective", Ty::Bool, "judged effective"),
            f("approved_by", Ty::Ref("workforce"), "approver"),
            f("status", Ty::Enum(&["open", "closed"]), "open or closed"),
        ]
    ),
    entity!(
        "management_reviews",
        "マネジメントレビュー",
        "date",
        [],
        [
            req("date", Ty::Date, "review day"),
            f("chaired_by", Ty::Ref("workforce"), "chair (top management)"),
            f(
                "attendees",
                Ty::List(&Ty::Ref("workforce")),
                "attendees (出席者)"
            ),
            f("inputs", Ty::Obj("mr_inputs"), "inputs"),
            f("outputs", Ty::Obj("mr_outputs"), "outputs"),
            f(
                "action_items",
                Ty::List(&Ty::Obj("action_item")),
                "action items"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "complaints",
        "苦情・相談",
        "subject_category",
        [("received_on", "closed_on")],
        [
            req("received_on", Ty::Date, "received"),
            f("channel", Ty::Str, "channel"),
            f("requester", Ty::Str, "who raised it (申出者)"),
            f("subject_category", Ty::Str, "category"),
            f("description", Ty::Str, "what was raised (苦情・相談の内容)"),
            f("handler", Ty::Ref("workforce"), "handler"),
            f("response", Ty::Str, "what was done or answered (対応内容)"),
            f("response_on", Ty::Date, "first response"),
            f("closed_on", Ty::Date, "closed"),
            f(
                "approved_by",
                Ty::Ref("workforce"),
                "who approved the handling (承認者)"
            ),
            f(
                "linked_finding",
                Ty::Ref("audit_findings"),
                "finding raised"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "incidents",
        "事故",
        "description",
        [("occurred_on", "discovered_on")],
        [
            req("discovered_on", Ty::Date, "day the company became aware"),
            f("occurred_on", Ty::Date, "day it happened"),
            f("description", Ty::Str, "what happened"),
            f("category", Ty::Str, "誤送付, 紛失 …"),
            f("data_items", STR_LIST, "data items involved"),
            f(
                "medium",
                Ty::Str,
                "medium involved (媒体: 紙, 電子メール …)"
            ),
            f("persons_affected", Ty::Int, "number of people affected"),
            f("special_care", Ty::Bool, "要配慮個人情報 involved"),
            f("financial_risk", Ty::Bool, "risk of financial damage"),
            f("unlawful_intent", Ty::Bool, "possible unlawful intent"),
            f("encrypted_high", Ty::Bool, "protected by 高度な暗号化"),
            f("pseudonymized", Ty::Bool, "仮名加工情報 only"),
            f("mynumber_involved", Ty::Bool, "My Number involved"),
            f(
                "mynumber_public_view",
                Ty::Bool,
                "My Number data seen or viewable by an unspecified number of people"
            ),
            f(
                "mynumber_network_leak",
                Ty::Bool,
                "My Number data leaked through the 情報提供ネットワークシステム"
            ),
            f(
                "our_role",
                Ty::Enum(&["controller", "contractor"]),
                "our role"
            ),
            f(
                "principal_notified_on",
                Ty::Date,
                "day a contractor notified its principal"
            ),
            f(
                "contractor_involved",
                Ty::Ref("contractors"),
                "contractor involved"
            ),
            f("root_cause", Ty::Str, "root cause"),
            f(
                "secondary_damage",
                Ty::Str,
                "secondary damage, or none (二次被害)"
            ),
            f(
                "response_to_individuals",
                Ty::Str,
                "what was done for the people affected (本人対応)"
            ),
            f(
                "regulator_reports",
                Ty::List(&Ty::Obj("regulator_report")),
                "reports to PPC and JIPDEC"
            ),
            f("notifications", Ty::Obj("notifications"), "notifications"),
            f("ca_id", Ty::Ref("corrective_actions"), "corrective action"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "disclosure_requests",
        "開示等の請求",
        "type",
        [("received_on", "responded_on")],
        [
            req(
                "type",
                Ty::Enum(&[
                    "purpose_notice",
                    "disclosure",
                    "correction",
                    "suspension",
                    "third_party_record_disclosure"
                ]),
                "request type"
            ),
            req("received_on", Ty::Date, "received"),
            f("requester", Ty::Str, "who made the request (請求者)"),
            f("requester_is_agent", Ty::Bool, "made by an agent"),
            f("id_verified_on", Ty::Date, "identity verified"),
            f(
                "id_verification_method",
                Ty::Str,
                "how the identity was verified (本人確認方法)"
            ),
            f(
                "decision",
                Ty::Enum(&["granted", "partial", "refused", "not_exist"]),
                "decision"
            ),
            f("reason", Ty::Str, "reason"),
            f("method_requested", Ty::Str, "method requested"),
            f("method_used", Ty::Str, "method used"),
            f("method_reason", Ty::Str, "why another method was used"),
            f("fee", Ty::Int, "fee"),
            f("responded_on", Ty::Date, "response day"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "external_audits",
        "審査",
        "kind",
        [],
        [
            f(
                "kind",
                Ty::Enum(&["initial", "renewal"]),
                "initial or renewal"
            ),
            req("date", Ty::Date, "on-site audit day"),
            f("review_body", Ty::Str, "審査機関"),
            f(
                "finding_ids",
                Ty::List(&Ty::Ref("audit_findings")),
                "findings"
            ),
            f(
                "improvement_report_submitted_on",
                Ty::Date,
                "improvement report submitted"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "notice_versions",
        "通知文書",
        "channel_name",
        [],
        [
            req("channel_id", Ty::Str, "channel"),
            f("channel_name", Ty::Str, "channel name"),
            f("version", Ty::Str, "version"),
            f("effective_from", Ty::Date, "effective from"),
            f(
                "inventory_item_ids",
                Ty::List(&Ty::Ref("inventory")),
                "ledger items"
            ),
            f("items", Ty::Obj("notice_items"), "items a–h of the notice"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "consent_events",
        "同意記録",
        "person_ref",
        [],
        [
            req("channel_id", Ty::Str, "channel"),
            f(
                "notice_version_id",
                Ty::Ref("notice_versions"),
                "notice version shown"
            ),
            f("person_ref", Ty::Str, "who consented"),
            f("given_at", Ty::Date, "day given"),
            f("method", Ty::Str, "checkbox, signature …"),
            f(
                "consenter_role",
                Ty::Enum(&["self", "legal_rep"]),
                "self or legal representative"
            ),
            f("age_at_consent", Ty::Int, "age of the individual"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "provision_records",
        "第三者提供記録",
        "counterparty",
        [("period_from", "period_to")],
        [
            req(
                "direction",
                Ty::Enum(&["provided", "received"]),
                "provided or received"
            ),
            f("date", Ty::Date, "day of provision"),
            f("period_from", Ty::Date, "first day of a batch record"),
            f("period_to", Ty::Date, "last day of a batch record"),
            f(
                "last_provision_on",
                Ty::Date,
                "last provision of a batch record"
            ),
            f("counterparty", Ty::Str, "recipient or provider"),
            f("individuals_ref", Ty::Str, "individuals concerned"),
            f("data_items", STR_LIST, "data items"),
            f(
                "basis",
                Ty::Enum(&["consent", "opt_out", "exception"]),
                "legal basis"
            ),
            f("consent_ref", Ty::Str, "consent record"),
            f("cross_border", Ty::Bool, "to a third party abroad"),
            f("country", Ty::Str, "country"),
            f(
                "info_provided_to_individual",
                Ty::Bool,
                "information given to the individual"
            ),
            f(
                "provider_acquisition_route",
                Ty::Str,
                "provider's acquisition route (received)"
            ),
            f(
                "contract_substitutes_log",
                Ty::Bool,
                "a contract document substitutes for the log"
            ),
            f("related_info", Ty::Bool, "個人関連情報"),
            f(
                "recipient_consent_confirmed",
                Ty::Bool,
                "recipient's consent confirmed"
            ),
            f(
                "inventory_item_ids",
                Ty::List(&Ty::Ref("inventory")),
                "ledger items"
            ),
            f("retention_until", Ty::Date, "retention of the record"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "disposal_records",
        "廃棄記録",
        "method",
        [("collected_from", "collected_to")],
        [
            req(
                "inventory_item_id",
                Ty::Ref("inventory"),
                "ledger item disposed of"
            ),
            f("collected_from", Ty::Date, "first collection day covered"),
            f("collected_to", Ty::Date, "last collection day covered"),
            req("disposed_on", Ty::Date, "disposal day"),
            f("method", Ty::Str, "method"),
            f("medium", Ty::Str, "medium disposed of (媒体)"),
            f("quantity", Ty::Str, "quantity disposed of (数量)"),
            f(
                "disposed_by",
                Ty::Ref("workforce"),
                "who disposed of it (実施者)"
            ),
            f(
                "confirmed_by",
                Ty::Ref("workforce"),
                "who witnessed or confirmed it (確認者)"
            ),
            f("evidence", Ty::Str, "evidence"),
            f(
                "retention_extension",
                Ty::Str,
                "approved reason for keeping the data longer than the rule",
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "use_events",
        "目的外利用の記録",
        "description",
        [],
        [
            req(
                "inventory_item_id",
                Ty::Ref("inventory"),
                "ledger item used"
            ),
            req("used_on", Ty::Date, "day of the use"),
            f("description", Ty::Str, "what the data was used for"),
            f(
                "within_purposes",
                Ty::Bool,
                "whether the use is within the recorded purposes"
            ),
            f(
                "consent_ref",
                Ty::Str,
                "consent to the use outside the purposes"
            ),
            f(
                "exception",
                Ty::Str,
                "legal exception relied on instead of consent"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "contact_campaigns",
        "本人への連絡・接触",
        "name",
        [],
        [
            req("name", Ty::Str, "campaign (mailing, call, visit)"),
            req(
                "inventory_item_id",
                Ty::Ref("inventory"),
                "ledger item whose people are contacted"
            ),
            req("date", Ty::Date, "day of the contact"),
            f(
                "purpose_includes_contact",
                Ty::Bool,
                "whether the item's purposes include contacting the people"
            ),
            f("consent_ref", Ty::Str, "consent to be contacted"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "anonymization_jobs",
        "匿名加工の記録",
        "id",
        [],
        [
            req(
                "inventory_item_id",
                Ty::Ref("inventory"),
                "ledger item anonymised"
            ),
            req("performed_on", Ty::Date, "day of the processing"),
            f(
                "matching_keys_deleted_on",
                Ty::Date,
                "day the matching keys (仮ID) were deleted"
            ),
            f(
                "published_items_on",
                Ty::Date,
                "day the anonymised items were published"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "backup_checks",
        "バックアップの確認",
        "system_id",
        [("last_backup_on", "checked_on")],
        [
            req(
                "system_id",
                Ty::Ref("systems"),
                "system whose backup was checked"
            ),
            req("checked_on", Ty::Date, "day the backup was checked"),
            f(
                "last_backup_on",
                Ty::Date,
                "day of the latest backup the check found"
            ),
            f(
                "result",
                Ty::Enum(&["ok", "failed"]),
                "whether the backup worked"
            ),
            f("checker", Ty::Ref("workforce"), "who checked"),
            f(
                "follow_up_ref",
                Ty::Str,
                "follow-up of a failed backup (a corrective action or a work order)"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "restore_tests",
        "復元テスト",
        "system_id",
        [],
        [
            req(
                "system_id",
                Ty::Ref("systems"),
                "system whose backup was restored"
            ),
            req("tested_on", Ty::Date, "day of the test"),
            f("scope", Ty::Str, "what was restored"),
            f(
                "result",
                Ty::Enum(&["success", "partial", "failed"]),
                "whether the data came back whole"
            ),
            f("tester", Ty::Ref("workforce"), "who tested"),
            f(
                "follow_up_ref",
                Ty::Str,
                "follow-up of a failed or partial restore (a corrective action or a work order)"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "accuracy_checks",
        "正確性の確認",
        "inventory_item_id",
        [("checked_on", "corrected_on")],
        [
            req(
                "inventory_item_id",
                Ty::Ref("inventory"),
                "ledger item whose data was checked"
            ),
            req("checked_on", Ty::Date, "day of the check"),
            f("checker", Ty::Ref("workforce"), "who checked"),
            f("records_checked", Ty::Int, "number of records checked"),
            f(
                "errors_found",
                Ty::Int,
                "number of entry errors found (誤入力)"
            ),
            f("corrected_on", Ty::Date, "day the errors were corrected"),
            f("status", Ty::Str, "record status"),
        ]
    ),
    entity!(
        "security_equipment",
        "セキュリティ機器",
        "name",
        [("in_use_from", "in_use_to")],
        [
            req("name", Ty::Str, "equipment name and model"),
            f(
                "kind",
                Ty::Enum(&[
                    "firewall",
                    "utm",
                    "entry_control",
                    "camera",
                    "shredder",
                    "endpoint_protection",
                    "backup_device",
                    "other"
                ]),
                "kind of equipment"
            ),
            f("site_id", Ty::Ref("site"), "site where it is installed"),
            f(
                "system_id",
                Ty::Ref("systems"),
                "system it protects or serves"
            ),
            f("in_use_from", Ty::Date, "first day in use"),
            f(
                "in_use_to",
                Ty::Date,
                "last day in use (absent: still in use)"
            ),
            f(
                "last_reviewed_on",
                Ty::Date,
                "last review of its settings and fitness"
            ),
            f(
                "maintenance_due",
                Ty::Date,
                "day the next maintenance is due"
            ),
            f(
                "last_maintained_on",
                Ty::Date,
                "day of the latest maintenance"
            ),
            f(
                "support_end_on",
                Ty::Date,
                "last day of the vendor's support (EOL / EOS)"
            ),
            f("status", Ty::Str, "record status"),
        ]
    ),
    // ---- nested objects ----
    object!(
        "business_calendar",
        [
            f("base", Ty::Enum(&["jp"]), "base calendar"),
            f("extra_closed", DATE_LIST, "extra closed days"),
            f("extra_open", DATE_LIST, "extra open days"),
        ]
    ),
    object!(
        "site",
        [
            req("id", Ty::Str, "site id"),
            f("name", Ty::Str, "site name"),
            f("address", Ty::Str, "address"),
            f(
                "areas",
                Ty::List(&Ty::Enum(&["office", "server_room", "archive"])),
                "areas"
            ),
            f("opened_on", Ty::Date, "opened"),
        ]
    ),
    object!(
        "department",
        [
            req("id", Ty::Str, "department id"),
            f("name", Ty::Str, "department name"),
            f("site_id", Ty::Ref("site"), "site"),
            f("head", Ty::Ref("workforce"), "department head (部門長)"),
            f("handles_personal_data", Ty::Bool, "handles personal data"),
        ]
    ),
    object!(
        "org_change",
        [
            f("id", Ty::Str, "change id"),
            f(
                "kind",
                Ty::Enum(&["name", "address", "contact"]),
                "what changed"
            ),
            f("changed_on", Ty::Date, "day of change"),
            f("detail", Ty::Str, "detail"),
        ]
    ),
    object!(
        "change_report",
        [
            f("id", Ty::Str, "report id"),
            f(
                "kind",
                Ty::Enum(&["pi_manager", "name", "address", "contact"]),
                "what changed"
            ),
            f("changed_on", Ty::Date, "day of change"),
            f("reported_on", Ty::Date, "day reported"),
        ]
    ),
    object!(
        "leave",
        [
            f("from", Ty::Date, "first day of leave"),
            f("to", Ty::Date, "last day of leave"),
            f("reason", Ty::Str, "reason"),
        ]
    ),
    object!(
        "plan_item",
        [
            f("id", Ty::Str, "item id"),
            f("title", Ty::Str, "title"),
            f("planned_date", Ty::Date, "planned day"),
            f(
                "actual_ref",
                Ty::Str,
                "session or audit that carried it out"
            ),
            f("deferral_reason", Ty::Str, "why it was deferred"),
            f(
                "department_id",
                Ty::Ref("department"),
                "department to be audited (audit plans)"
            ),
            f(
                "auditor_ids",
                Ty::List(&Ty::Ref("workforce")),
                "planned auditors (audit plans)"
            ),
            NOTE,
        ]
    ),
    object!(
        "doc_version",
        [
            f("version", Ty::Str, "version"),
            f("approved_by", Ty::Ref("workforce"), "approver"),
            f("approved_on", Ty::Date, "approval day"),
            f("effective_from", Ty::Date, "effective from"),
            f("obsolete_on", Ty::Date, "obsolete from"),
            f(
                "distributed_on",
                Ty::Date,
                "day the version was distributed to its users (配付)"
            ),
            f(
                "distributed_to",
                Ty::List(&Ty::Ref("department")),
                "departments it was distributed to"
            ),
            f("published_url", Ty::Str, "where it is published"),
            f("enacted_date", Ty::Date, "external policy: enactment"),
            f(
                "last_revised_date",
                Ty::Date,
                "external policy: last revision"
            ),
            f("contact_point", Ty::Str, "external policy: contact point"),
            f(
                "top_mgmt_name",
                Ty::Str,
                "external policy: top management name"
            ),
        ]
    ),
    object!(
        "publication_items",
        [
            f("business_name", Ty::Bool, "business name"),
            f("purposes", Ty::Bool, "purposes"),
            f("request_procedure", Ty::Bool, "request procedure"),
            f("fees", Ty::Bool, "fees"),
            f("complaint_contact", Ty::Bool, "complaint contact"),
            f("security_measures", Ty::Bool, "security measures"),
        ]
    ),
    object!(
        "contract_clauses",
        [
            f("responsibility", Ty::Bool, "a) responsibility split"),
            f("security", Ty::Bool, "b) security of the personal data"),
            f("subcontract", Ty::Bool, "c) subcontracting"),
            f("reporting", Ty::Bool, "d) reporting content and frequency"),
            f("audit_right", Ty::Bool, "e) principal's right to verify"),
            f(
                "breach_measures",
                Ty::Bool,
                "f) measures on breach of contract"
            ),
            f("incident_reporting", Ty::Bool, "g) incident reporting"),
            f(
                "post_termination",
                Ty::Bool,
                "h) return or deletion after termination"
            ),
        ]
    ),
    object!(
        "auditor",
        [
            req("person_id", Ty::Ref("workforce"), "auditor"),
            f(
                "own_department_id",
                Ty::Ref("department"),
                "the auditor's own department"
            ),
        ]
    ),
    object!(
        "assignment",
        [
            req("auditor_id", Ty::Ref("workforce"), "auditor"),
            req("department_id", Ty::Ref("department"), "department audited"),
        ]
    ),
    object!(
        "mr_inputs",
        [
            f("audit_results", Ty::Str, "audit results"),
            f("op_check_results", Ty::Str, "operational-check results"),
            f("complaints", Ty::Str, "complaints and feedback"),
            f("prev_followup", Ty::Str, "follow-up of the previous review"),
            f("legal_changes", Ty::Str, "legal changes"),
            f("environment_changes", Ty::Str, "changes in the environment"),
            f("business_changes", Ty::Str, "changes in the business"),
            f("improvement_proposals", Ty::Str, "improvement proposals"),
        ]
    ),
    object!(
        "mr_outputs",
        [
            f("improvement_decisions", Ty::Str, "improvement decisions"),
            f("pms_changes", Ty::Str, "changes to the PMS"),
            f("resource_decisions", Ty::Str, "resource decisions"),
        ]
    ),
    object!(
        "action_item",
        [
            f("id", Ty::Str, "item id"),
            f("description", Ty::Str, "what to do"),
            f("owner", Ty::Ref("workforce"), "owner"),
            f("due", Ty::Date, "due"),
            f("closed_on", Ty::Date, "closed"),
        ]
    ),
    object!(
        "regulator_report",
        [
            req(
                "body",
                Ty::Enum(&["PPC", "JIPDEC", "ministry"]),
                "PPC, JIPDEC (or the review body) or a ministry"
            ),
            req(
                "kind",
                Ty::Enum(&["速報", "確報"]),
                "速報 (preliminary) or 確報 (final)"
            ),
            req("submitted_on", Ty::Date, "submission day"),
            f(
                "channel",
                Ty::Enum(&["portal", "email", "fax", "post"]),
                "channel"
            ),
            f("items_covered", STR_LIST, "items covered"),
        ]
    ),
    object!(
        "notifications",
        [
            f("individuals_notified_on", Ty::Date, "individuals notified"),
            f(
                "substitute_measure",
                Ty::Str,
                "substitute measure when notice is difficult"
            ),
            f("published_on", Ty::Date, "published"),
        ]
    ),
    object!(
        "notice_items",
        [
            f("a_company", Ty::Bool, "a) company name"),
            f("b_manager_contact", Ty::Bool, "b) manager and contact"),
            f("c_purposes", Ty::Bool, "c) purposes"),
            f("d_third_party", Ty::Bool, "d) third-party provision"),
            f("e_outsourcing", Ty::Bool, "e) outsourcing"),
            f("f_voluntary", Ty::Bool, "f) voluntariness"),
            f("g_request_contact", Ty::Bool, "g) request contact"),
            f(
                "h_hidden_collection",
                Ty::Bool,
                "h) hard-to-perceive collection"
            ),
        ]
    ),
];

/// Alternative keys: groups of optional fields of an entity of which every record names at
/// least one (`records.md` writes them `a | b`). A corrective action answers a finding or an
/// incident: `finding_id | incident_id`. The loader refuses a record naming none of its group
/// (E1006), so an absent member of a group is *known* absent — the record names another one —
/// and the rule language compares it as no value at all: `c.finding_id == f.id` is false, not
/// unknown, for a corrective action that names an incident (docs/unknowns.md).
/// Each entry: the entity, its group, and why a record needs one of them (the loader's help).
pub static ALTERNATIVES: &[(&str, &[&str], &str)] = &[(
    "corrective_actions",
    &["finding_id", "incident_id"],
    "a corrective action names the finding (nonconformity) or the incident it corrects",
)];

/// The group of alternative keys (see [`ALTERNATIVES`]) that field `field` of entity `entity`
/// belongs to, if any.
#[must_use]
pub fn alternatives(entity: &str, field: &str) -> Option<&'static [&'static str]> {
    ALTERNATIVES
        .iter()
        .find(|(e, group, _)| *e == entity && group.contains(&field))
        .map(|(_, group, _)| *group)
}

/// Whether field slot `slot` of the struct with index `shape` is a member of a group of
/// alternative keys ([`ALTERNATIVES`]).
#[must_use]
pub fn is_alternative(shape: u16, slot: u16) -> bool {
    struct_at(shape).is_some_and(|s| {
        s.entity
            && s.fields
                .get(usize::from(slot))
                .is_some_and(|f| alternatives(s.name, f.name).is_some())
    })
}

/// Looks up a struct (entity or nested object) by name: a built-in one, or the nested
/// object of an extension field (see [`Extensions`]).
#[must_use]
pub fn find_struct(name: &str) -> Option<&'static Struct> {
    STRUCTS.iter().find(|s| s.name == name).or_else(|| {
        registered()
            .into_iter()
            .find(|s| !s.entity && s.name == name)
    })
}

/// The struct with index `i`: a built-in one ([`STRUCTS`]), or one registered by an
/// extension declaration.
#[must_use]
pub fn struct_at(i: u16) -> Option<&'static Struct> {
    let i = usize::from(i);
    match STRUCTS.get(i) {
        Some(s) => Some(s),
        None => registered().get(i - STRUCTS.len()).copied(),
    }
}

/// The index of a struct given by reference (built-in or registered).
#[must_use]
pub fn struct_index(s: &'static Struct) -> Option<u16> {
    STRUCTS
        .iter()
        .position(|x| std::ptr::eq(x, s))
        .or_else(|| {
            registered()
                .iter()
                .position(|x| std::ptr::eq(*x, s))
                .map(|i| i + STRUCTS.len())
        })
        .and_then(|i| u16::try_from(i).ok())
}

/// How many structs there are, built-in and registered.
#[must_use]
pub fn struct_count() -> usize {
    STRUCTS.len() + registered().len()
}

/// Structs made by extension declarations (`extend …` in a rule file): each extended entity
/// (its built-in fields followed by the declared ones) and each nested object declared in an
/// extension. They live for the whole process, once per distinct shape: compiling the same
/// declarations again finds the structs already registered, so the registry only grows with
/// the number of different declarations a process sees.
static REGISTRY: std::sync::RwLock<Vec<&'static Struct>> = std::sync::RwLock::new(Vec::new());

fn registered() -> Vec<&'static Struct> {
    match REGISTRY.read() {
        Ok(r) => r.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// Registers a struct with `fields` (or finds the equal one already registered); its index.
/// The fields are leaked only when the shape is new, so declaring a shape again costs nothing.
fn register(s: Struct, fields: Vec<Field>) -> Option<u16> {
    let mut reg = match REGISTRY.write() {
        Ok(r) => r,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(i) = reg.iter().position(|x| same_shape(x, &s, &fields)) {
        return u16::try_from(STRUCTS.len() + i).ok();
    }
    let i = u16::try_from(STRUCTS.len() + reg.len()).ok()?;
    reg.push(Box::leak(Box::new(Struct {
        fields: Box::leak(fields.into_boxed_slice()),
        ..s
    })));
    Some(i)
}

fn same_shape(a: &Struct, b: &Struct, fields: &[Field]) -> bool {
    a.name == b.name
        && a.entity == b.entity
        && a.fields.len() == fields.len()
        && a.fields
            .iter()
            .zip(fields)
            .all(|(x, y)| x.name == y.name && x.ty == y.ty && x.required == y.required)
}

/// The type of an extension field, as declared in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtType {
    /// `text`
    Text,
    /// `int`
    Int,
    /// `number`
    Number,
    /// `bool`
    Bool,
    /// `date`
    Date,
    /// `ref ENTITY`: the id of a record of a built-in entity.
    Ref(String),
    /// `one of "a", "b"`: one value of a closed list.
    OneOf(Vec<String>),
    /// `[T]`: a list.
    List(Box<ExtType>),
    /// `{ name: T, … }`: a nested object.
    Object(Vec<(String, ExtType)>),
}

/// The extension fields of entities, declared by rule files (`extend inventory { … }`):
/// for each extended entity, the struct that describes its records (its built-in fields,
/// then the declared ones). Records are still stored under the built-in entity; the
/// declared fields follow its built-in fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// (built-in entity index, index of the extended struct), sorted.
    by_entity: Vec<(u16, u16)>,
}

impl Extensions {
    /// No extension: the built-in model.
    #[must_use]
    pub fn none() -> Extensions {
        Extensions::default()
    }

    /// Whether no entity is extended.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_entity.is_empty()
    }

    /// Builds the extensions of entities from their declared fields (merged per entity, in
    /// the order given). Errors are plain messages; the caller locates them.
    ///
    /// # Errors
    /// An unknown entity, a field that is built in or declared twice, a reference to an
    /// unknown entity, an empty object or choice list.
    pub fn build(decls: &[(String, Vec<(String, ExtType)>)]) -> Result<Extensions, String> {
        type Memo = Vec<(
            Vec<(String, Vec<(String, ExtType)>)>,
            Result<Extensions, String>,
        )>;
        // The same declarations give the same extensions: compiling a rule file again (a
        // notebook, a page) registers nothing new.
        static MEMO: std::sync::Mutex<Memo> = std::sync::Mutex::new(Vec::new());
        if decls.is_empty() {
            return Ok(Extensions::none());
        }
        let mut memo = match MEMO.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((_, r)) = memo.iter().find(|(d, _)| d.as_slice() == decls) {
            return r.clone();
        }
        let r = Extensions::build_new(decls);
        memo.push((decls.to_vec(), r.clone()));
        r
    }

    fn build_new(decls: &[(String, Vec<(String, ExtType)>)]) -> Result<Extensions, String> {
        let mut merged: Vec<(u16, Vec<(String, ExtType)>)> = Vec::new();
        for (entity, fields) in decls {
            let Some(base) = find_entity(entity) else {
                let help = suggest(entity, entities().map(|s| s.name))
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                return Err(format!("unknown entity `{entity}`{help}"));
            };
            let Some(bi) = struct_index(base) else {
                return Err(format!("unknown entity `{entity}`"));
            };
            let at = match merged.iter().position(|(b, _)| *b == bi) {
                Some(at) => at,
                None => {
                    merged.push((bi, Vec::new()));
                    merged.len() - 1
                }
            };
            for (name, ty) in fields {
                if base.field_index(name).is_some() {
                    return Err(format!("`{entity}` already has a built-in field `{name}`"));
                }
                let Some((_, list)) = merged.get_mut(at) else {
                    continue;
                };
                if list.iter().any(|(n, _)| n == name) {
                    return Err(format!("field `{name}` of `{entity}` is declared twice"));
                }
                list.push((name.clone(), ty.clone()));
            }
        }
        let mut by_entity = Vec::new();
        for (bi, fields) in merged {
            let Some(base) = struct_at(bi) else { continue };
            let mut all: Vec<Field> = base.fields.to_vec();
            for (name, ty) in &fields {
                all.push(Field {
                    name: leak_str(name),
                    ty: ext_ty(&format!("{}.{name}", base.name), ty)?,
                    required: false,
                    doc: "extension field declared in a rule file",
                });
            }
            let Some(xi) = register(*base, all) else {
                return Err("too many extension declarations".into());
            };
            by_entity.push((bi, xi));
        }
        crate::sorting::sort(&mut by_entity);
        Ok(Extensions { by_entity })
    }

    /// The struct that describes the records of entity `entity` (built-in index): the
    /// extended one, or the built-in one.
    #[must_use]
    pub fn shape(&self, entity: u16) -> Option<&'static Struct> {
        match self.by_entity.iter().find(|(b, _)| *b == entity) {
            Some((_, x)) => struct_at(*x),
            None => struct_at(entity),
        }
    }

    /// The extended entities: (built-in index, extended struct).
    pub fn entities(&self) -> impl Iterator<Item = (u16, &'static Struct)> + '_ {
        self.by_entity
            .iter()
            .filter_map(|(b, x)| Some((*b, struct_at(*x)?)))
    }
}

/// What the registered structs borrow for the life of the process: each distinct text, list
/// of choices and list element type is leaked once and kept here, so declarations seen again
/// (or declarations rejected half-way, after some of their parts were made) leak nothing more
/// and nothing leaked is ever unreachable.
#[derive(Default)]
struct Kept {
    texts: std::collections::HashSet<&'static str>,
    choices: Vec<&'static [&'static str]>,
    types: Vec<&'static Ty>,
}

fn kept() -> std::sync::MutexGuard<'static, Kept> {
    static KEPT: std::sync::LazyLock<std::sync::Mutex<Kept>> =
        std::sync::LazyLock::new(Default::default);
    match KEPT.lock() {
        Ok(k) => k,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Text that lives as long as the registered structs that name it (one copy per text).
fn leak_str(s: &str) -> &'static str {
    let mut k = kept();
    if let Some(t) = k.texts.get(s) {
        return t;
    }
    let t: &'static str = Box::leak(s.to_string().into_boxed_str());
    k.texts.insert(t);
    t
}

/// A `one of` list of choices for the life of the process (one copy per list).
fn leak_choices(values: &[String]) -> &'static [&'static str] {
    let vals: Vec<&'static str> = values.iter().map(|v| leak_str(v)).collect();
    let mut k = kept();
    if let Some(c) = k.choices.iter().find(|c| **c == vals.as_slice()) {
        return c;
    }
    let c: &'static [&'static str] = Box::leak(vals.into_boxed_slice());
    k.choices.push(c);
    c
}

/// A list's element type for the life of the process (one copy per type).
fn leak_ty(t: Ty) -> &'static Ty {
    let mut k = kept();
    if let Some(t) = k.types.iter().find(|x| ***x == t) {
        return t;
    }
    let t: &'static Ty = Box::leak(Box::new(t));
    k.types.push(t);
    t
}

/// The field type of a declared extension type; `path` names a nested object's struct.
fn ext_ty(path: &str, t: &ExtType) -> Result<Ty, String> {
    Ok(match t {
        ExtType::Text => Ty::Str,
        ExtType::Int => Ty::Int,
        ExtType::Number => Ty::Num,
        ExtType::Bool => Ty::Bool,
        ExtType::Date => Ty::Date,
        ExtType::Ref(e) => match find_entity(e) {
            Some(s) => Ty::Ref(s.name),
            None => {
                let help = suggest(e, entities().map(|s| s.name))
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                return Err(format!("`ref {e}`: unknown entity `{e}`{help}"));
            }
        },
        ExtType::OneOf(values) => {
            if values.is_empty() {
                return Err(format!("`{path}`: `one of` needs at least one value"));
            }
            Ty::Enum(leak_choices(values))
        }
        ExtType::List(inner) => Ty::List(leak_ty(ext_ty(path, inner)?)),
        ExtType::Object(fields) => {
            if fields.is_empty() {
                return Err(format!("`{path}`: an object needs at least one field"));
            }
            let mut fs = Vec::new();
            for (i, (name, ty)) in fields.iter().enumerate() {
                if fields.iter().take(i).any(|(n, _)| n == name) {
                    return Err(format!("`{path}`: field `{name}` is declared twice"));
                }
                fs.push(Field {
                    name: leak_str(name),
                    ty: ext_ty(&format!("{path}.{name}"), ty)?,
                    required: false,
                    doc: "extension field declared in a rule file",
                });
            }
            let name = leak_str(path);
            let s = Struct {
                name,
                entity: false,
                name_ja: name,
                display: "id",
                date_order: &[],
                fields: &[],
            };
            register(s, fs).ok_or("too many extension declarations")?;
            Ty::Obj(name)
        }
    })
}

/// Looks up a top-level entity by name.
#[must_use]
pub fn find_entity(name: &str) -> Option<&'static Struct> {
    STRUCTS.iter().find(|s| s.entity && s.name == name)
}

/// Every top-level entity, in documentation order.
pub fn entities() -> impl Iterator<Item = &'static Struct> {
    STRUCTS.iter().filter(|s| s.entity)
}

/// The position of field `name` in the struct with index `shape` of [`STRUCTS`], looked up
/// in a table built once (the evaluator asks for field names at run time in `missing`).
#[must_use]
pub fn field_slot(shape: u16, name: &str) -> Option<usize> {
    if usize::from(shape) >= STRUCTS.len() {
        return struct_at(shape)?.field_index(name);
    }
    type Slots = std::collections::HashMap<&'static str, usize, foldhash::fast::FixedState>;
    static SLOTS: std::sync::OnceLock<Vec<Slots>> = std::sync::OnceLock::new();
    let all = SLOTS.get_or_init(|| {
        STRUCTS
            .iter()
            .map(|s| {
                s.fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name, i))
                    .collect()
            })
            .collect()
    });
    all.get(usize::from(shape))?.get(name).copied()
}

impl Struct {
    /// The position of a field, if the struct has it.
    #[must_use]
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The field of that name.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The closest candidate to `name` among `candidates`, for "did you mean" help.
#[must_use]
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod kept_tests {
    use super::*;

    fn obj(tag: &str) -> ExtType {
        ExtType::Object(vec![
            (
                format!("grade_{tag}"),
                ExtType::OneOf(vec!["A".into(), "B".into()]),
            ),
            (
                format!("tags_{tag}"),
                ExtType::List(Box::new(ExtType::Text)),
            ),
        ])
    }

    /// Found by the fuzz campaign (LeakSanitizer at exit of `rules_compile`): a declaration
    /// rejected half-way, or a nested object whose shape was registered before, lost what had
    /// already been leaked for it. Each part is now kept once and stays reachable.
    #[test]
    fn extension_parts_are_leaked_once_and_kept() {
        assert!(std::ptr::eq(leak_str("kept_x"), leak_str("kept_x")));
        let two = ["p".to_string(), "q".to_string()];
        assert!(std::ptr::eq(leak_choices(&two), leak_choices(&two)));
        assert!(std::ptr::eq(leak_ty(Ty::Date), leak_ty(Ty::Date)));

        let entity = "inventory".to_string();
        let rejected = vec![(
            entity.clone(),
            vec![
                ("x_kept_obj".to_string(), obj("kept")),
                (
                    "x_kept_ref".to_string(),
                    ExtType::Ref("no_such_entity".into()),
                ),
            ],
        )];
        for _ in 0..3 {
            assert!(Extensions::build_new(&rejected).is_err());
        }
        let accepted = vec![(entity, vec![("x_kept_obj".to_string(), obj("kept"))])];
        let a = Extensions::build_new(&accepted).expect("accepted");
        let b = Extensions::build_new(&accepted).expect("accepted again");
        assert_eq!(a, b, "the same declarations give the same structs");
        let nested: Vec<&Struct> = registered()
            .into_iter()
            .filter(|s| s.name == "inventory.x_kept_obj")
            .collect();
        assert_eq!(
            nested.len(),
            1,
            "one nested struct for every declaration of it"
        );
        let kept = kept();
        for f in nested.iter().flat_map(|s| s.fields) {
            assert!(
                kept.texts.iter().any(|t| std::ptr::eq(*t, f.name)),
                "{}",
                f.name
            );
            match f.ty {
                Ty::Enum(c) => assert!(kept.choices.iter().any(|k| std::ptr::eq(*k, c))),
                Ty::List(t) => assert!(kept.types.iter().any(|k| std::ptr::eq(*k, t))),
                _ => {}
            }
        }
    }
}
