//! Japanese labels of the record model: one table of entity, field and enum-value names as
//! a Japanese P-mark office writes them, with the aliases offices use.
//!
//! One table serves every consumer: the spreadsheet reader (`pms-ledgers`) finds a sheet's
//! entity and a column's field from these words, the template writer heads its sheets and
//! columns with them, `docs/import.md` lists them, and Japanese reports name fields by their
//! label (保管方法, not `storage_method`). It is plain data — matching (Unicode
//! normalisation, width and spacing variants) is the reader's job.
//!
//! The primary label (`ja`) is what pms writes; `aliases` are further words it accepts when
//! reading. A test keeps the table complete: every struct and field of
//! [`crate::schema::STRUCTS`] and every value of an enum field has a label.

use crate::schema::{Struct, Ty, STRUCTS};

/// The Japanese label of a field.
#[derive(Debug, Clone, Copy)]
pub struct FieldLabel {
    /// The field name of the record model (snake_case).
    pub field: &'static str,
    /// The label pms writes (headers, reports).
    pub ja: &'static str,
    /// Other header words offices use for this field.
    pub aliases: &'static [&'static str],
}

/// The Japanese labels of a struct (entity or nested object) and of its fields.
#[derive(Debug, Clone, Copy)]
pub struct StructLabels {
    /// The struct name of the record model.
    pub name: &'static str,
    /// The label pms writes (sheet names, reports). For an entity it equals the struct's
    /// `name_ja` in [`crate::schema`].
    pub ja: &'static str,
    /// Other sheet or file names offices use for this ledger.
    pub aliases: &'static [&'static str],
    /// Labels of the fields specific to this struct; fields shared by every entity (`id`,
    /// `status`, `created_at` …) are in [`COMMON_FIELDS`] unless overridden here.
    pub fields: &'static [FieldLabel],
}

/// The Japanese label of one value of an enum field.
#[derive(Debug, Clone, Copy)]
pub struct ValueLabel {
    /// The value as written in record files.
    pub value: &'static str,
    /// The label pms writes.
    pub ja: &'static str,
    /// Other words offices use for this value.
    pub aliases: &'static [&'static str],
}

const fn fl(field: &'static str, ja: &'static str, aliases: &'static [&'static str]) -> FieldLabel {
    FieldLabel { field, ja, aliases }
}

const fn vl(value: &'static str, ja: &'static str, aliases: &'static [&'static str]) -> ValueLabel {
    ValueLabel { value, ja, aliases }
}

/// Labels of the fields every entity has (used unless a struct gives its own).
pub static COMMON_FIELDS: &[FieldLabel] = &[
    fl(
        "id",
        "ID",
        &["No", "No.", "番号", "管理番号", "識別番号", "記録番号"],
    ),
    fl("status", "状態", &["ステータス", "状況"]),
    fl("created_at", "作成日", &["記録作成日", "起票日"]),
    fl("updated_at", "更新日", &["最終更新日"]),
    fl(
        "source_ref",
        "証跡",
        &["証跡ファイル", "根拠資料", "エビデンス"],
    ),
    fl(
        "note",
        "備考",
        &["メモ", "備考欄", "コメント", "特記事項", "補足", "摘要"],
    ),
];

/// Labels of every struct of the record model, in the order of [`STRUCTS`].
pub static STRUCT_LABELS: &[StructLabels] = &[
    StructLabels {
        name: "organization",
        ja: "組織",
        aliases: &["組織情報", "会社概要", "事業者情報", "会社情報"],
        fields: &[
            fl("name", "名称", &["会社名", "事業者名", "法人名", "商号"]),
            fl(
                "registered_address",
                "所在地",
                &["本店所在地", "住所", "登記住所"],
            ),
            fl(
                "criteria_version",
                "準拠規格",
                &["規格", "適用規格", "審査基準"],
            ),
            fl("pms_year_start", "PMS年度開始日", &["年度開始日", "期首"]),
            fl(
                "handles_my_number",
                "個人番号の取扱い",
                &["マイナンバーの取扱い", "個人番号取扱"],
            ),
            fl(
                "handles_special_care",
                "要配慮個人情報の取扱い",
                &["要配慮個人情報取扱"],
            ),
            fl(
                "handles_anonymized",
                "匿名加工情報の取扱い",
                &["匿名加工情報取扱"],
            ),
            fl(
                "handles_pseudonymized",
                "仮名加工情報の取扱い",
                &["仮名加工情報取扱"],
            ),
            fl(
                "business_calendar",
                "営業日カレンダー",
                &["営業カレンダー", "カレンダー"],
            ),
            fl("sites", "拠点", &["事業所", "拠点一覧"]),
            fl("departments", "部門", &["部門一覧", "部署一覧"]),
            fl("change_history", "変更履歴", &["変更の履歴"]),
        ],
    },
    StructLabels {
        name: "certification",
        ja: "プライバシーマーク登録",
        aliases: &[
            "Pマーク登録",
            "プライバシーマーク",
            "Pマーク",
            "登録情報",
            "付与認定",
        ],
        fields: &[
            fl(
                "registration_no",
                "登録番号",
                &["Pマーク登録番号", "付与番号"],
            ),
            fl("review_body", "審査機関", &["審査機関名"]),
            fl(
                "valid_from",
                "有効期間開始日",
                &["有効期間（開始）", "有効期間自", "付与日"],
            ),
            fl(
                "valid_to",
                "有効期間満了日",
                &["有効期限", "有効期間（終了）", "有効期間至"],
            ),
            fl("renewal_applied_on", "更新申請日", &["更新申請"]),
            fl("renewal_audit_date", "更新審査日", &["現地審査日"]),
            fl(
                "improvement_report_due",
                "改善報告書提出期限",
                &["改善報告期限"],
            ),
            fl("change_reports", "変更報告", &["変更報告一覧", "変更届"]),
        ],
    },
    StructLabels {
        name: "workforce",
        ja: "従業者",
        aliases: &[
            "従業者名簿",
            "従業者一覧",
            "社員名簿",
            "社員一覧",
            "従業員名簿",
            "従業員一覧",
            "人員名簿",
            "職員名簿",
        ],
        fields: &[
            fl(
                "id",
                "社員番号",
                &[
                    "従業者番号",
                    "従業員番号",
                    "社員ID",
                    "職員番号",
                    "No",
                    "No.",
                    "ID",
                ],
            ),
            fl(
                "name",
                "氏名",
                &["名前", "従業者名", "社員名", "従業員名", "姓名"],
            ),
            fl(
                "name_kana",
                "フリガナ",
                &["ふりがな", "氏名（カナ）", "カナ氏名", "よみがな", "カナ"],
            ),
            fl("position", "役職", &["職位", "職名", "役職名"]),
            fl(
                "email",
                "メールアドレス",
                &["メール", "E-mail", "Email", "mail"],
            ),
            fl(
                "department_id",
                "所属",
                &[
                    "部署",
                    "部門",
                    "所属部署",
                    "所属部門",
                    "部署名",
                    "部門名",
                    "所属コード",
                    "部署コード",
                    "部門コード",
                    "所属ID",
                ],
            ),
            fl(
                "employment_type",
                "雇用区分",
                &["雇用形態", "雇用種別", "社員区分", "区分"],
            ),
            fl(
                "start_date",
                "入社日",
                &[
                    "採用日",
                    "着任日",
                    "就業開始日",
                    "雇用開始日",
                    "入職日",
                    "入社年月日",
                    "入社日付",
                ],
            ),
            fl(
                "end_date",
                "退職日",
                &[
                    "離任日",
                    "就業終了日",
                    "雇用終了日",
                    "退社日",
                    "退職年月日",
                    "退職日付",
                ],
            ),
            fl(
                "pledge_signed_on",
                "誓約書提出日",
                &["誓約書", "秘密保持誓約書提出日", "誓約日", "入社時誓約書"],
            ),
            fl(
                "exit_pledge_on",
                "退職時誓約書提出日",
                &["退職時誓約書", "退職時誓約日"],
            ),
            fl(
                "accounts_disabled_on",
                "アカウント停止日",
                &["アカウント削除日", "ID削除日", "アカウント無効化日"],
            ),
            fl("leave", "休職", &["休職期間", "長期休暇"]),
        ],
    },
    StructLabels {
        name: "role_assignments",
        ja: "役割の任命",
        aliases: &[
            "任命",
            "任命記録",
            "役割一覧",
            "体制表",
            "任命一覧",
            "役割分担",
        ],
        fields: &[
            fl("person_id", "氏名", &["被任命者", "担当者", "就任者"]),
            fl("role", "役割", &["役職", "役割名", "任命役割"]),
            fl("appointed_by", "任命者", &["任命権者", "任命した者"]),
            fl("from", "任命日", &["開始日", "就任日", "任期開始"]),
            fl("to", "解任日", &["終了日", "退任日", "任期終了"]),
        ],
    },
    StructLabels {
        name: "training_plans",
        ja: "教育計画",
        aliases: &["教育計画書", "年間教育計画", "教育実施計画"],
        fields: &[
            fl("pms_year", "年度", &["PMS年度", "対象年度"]),
            fl("period_from", "対象期間開始日", &["期間開始", "期間（自）"]),
            fl("period_to", "対象期間終了日", &["期間終了", "期間（至）"]),
            fl("approved_by", "承認者", &["承認"]),
            fl("approved_on", "承認日", &[]),
            fl("items", "計画項目", &["実施予定", "計画内容"]),
        ],
    },
    StructLabels {
        name: "audit_plans",
        ja: "監査計画",
        aliases: &[
            "内部監査計画",
            "内部監査計画書",
            "監査計画書",
            "年間監査計画",
        ],
        fields: &[
            fl("pms_year", "年度", &["PMS年度", "対象年度"]),
            fl("period_from", "対象期間開始日", &["期間開始", "期間（自）"]),
            fl("period_to", "対象期間終了日", &["期間終了", "期間（至）"]),
            fl("approved_by", "承認者", &["承認"]),
            fl("approved_on", "承認日", &[]),
            fl("items", "計画項目", &["実施予定", "計画内容"]),
        ],
    },
    StructLabels {
        name: "objectives",
        ja: "個人情報保護目的",
        aliases: &["目的", "目標", "個人情報保護目標", "PMS目的", "目的一覧"],
        fields: &[
            fl("pms_year", "年度", &["PMS年度", "対象年度"]),
            fl("title", "目的", &["目標", "内容"]),
            fl("owner", "責任者", &["担当者", "実施責任者"]),
            fl("target_date", "達成期限", &["期限", "目標期日"]),
            fl("measure", "評価基準", &["評価方法", "達成基準", "指標"]),
            fl("evaluated_on", "評価日", &[]),
            fl("evaluation", "評価結果", &["達成状況", "結果"]),
        ],
    },
    StructLabels {
        name: "training_sessions",
        ja: "教育実施",
        aliases: &[
            "教育実施記録",
            "教育記録",
            "教育実施報告書",
            "教育実施報告",
            "研修記録",
            "研修実施記録",
            "教育一覧",
        ],
        fields: &[
            fl(
                "title",
                "教育名",
                &["研修名", "件名", "テーマ", "実施内容", "教育内容"],
            ),
            fl("kind", "教育区分", &["種別", "研修区分", "教育の種類"]),
            fl("date", "実施日", &["開催日", "研修日", "教育実施日"]),
            fl(
                "content_topics",
                "教育項目",
                &["カリキュラム", "教育範囲", "実施項目"],
            ),
            fl(
                "material_version",
                "教材版数",
                &["教材", "教材バージョン", "資料版数"],
            ),
            fl(
                "planned_in_plan_item_id",
                "計画項目",
                &["教育計画項目", "計画番号"],
            ),
            fl("audience", "対象者", &["受講対象", "対象範囲"]),
            fl("invitee_ids", "対象者一覧", &["受講予定者", "指名者"]),
        ],
    },
    StructLabels {
        name: "training_records",
        ja: "受講記録",
        aliases: &[
            "受講者名簿",
            "受講記録一覧",
            "受講履歴",
            "教育受講記録",
            "受講者一覧",
        ],
        fields: &[
            fl(
                "person_id",
                "受講者",
                &["氏名", "受講者名", "名前", "社員番号"],
            ),
            fl("session_id", "教育", &["教育名", "研修名", "受講した教育"]),
            fl(
                "completed_on",
                "受講日",
                &["修了日", "受講完了日", "実施日"],
            ),
            fl("method", "受講方法", &["実施方法", "教育方法", "形式"]),
            fl(
                "test_score",
                "点数",
                &["理解度テスト", "テスト結果", "得点", "理解度確認テスト"],
            ),
            fl("passed", "合否", &["合格", "理解度確認"]),
            fl(
                "retaken_on",
                "再受講日",
                &["再テスト日", "再試験日", "再受験日"],
            ),
            fl(
                "makeup_for_session_id",
                "再受講対象",
                &["再受講", "補講対象", "フォロー対象の教育"],
            ),
        ],
    },
    StructLabels {
        name: "documents",
        ja: "文書",
        aliases: &["文書管理台帳", "文書一覧", "規程一覧", "文書台帳"],
        fields: &[
            fl(
                "id",
                "文書番号",
                &["ID", "No", "No.", "番号", "管理番号", "文書ID", "文書No"],
            ),
            fl("title", "文書名", &["名称", "規程名"]),
            fl(
                "storage_location",
                "保管場所",
                &["原本の保管場所", "保管先"],
            ),
            fl("retention", "保存期間", &["保管期間", "保存年限"]),
            fl("type", "文書種別", &["種別", "区分", "文書区分"]),
            fl("topics", "対象事項", &["規定事項", "内容"]),
            fl(
                "last_reviewed_on",
                "最終見直し日",
                &["見直し日", "レビュー日"],
            ),
            fl("versions", "版", &["改訂履歴", "版数"]),
            fl("covers", "手順の範囲", &["対応手順"]),
            fl("publication_items", "公表事項", &["公表項目"]),
            fl("request_types", "請求の種類", &["開示等の種類"]),
        ],
    },
    StructLabels {
        name: "record_types",
        ja: "記録の種類",
        aliases: &["記録一覧", "記録管理台帳", "記録管理一覧"],
        fields: &[
            fl("name", "記録名", &["名称", "記録の名称"]),
            fl(
                "retention_period",
                "保管期間",
                &["保存期間", "保管期限", "保存期限"],
            ),
            fl("location", "保管場所", &["保存場所"]),
        ],
    },
    StructLabels {
        name: "legal_register",
        ja: "法令等の一覧",
        aliases: &[
            "法令一覧",
            "法令等一覧",
            "法令等管理台帳",
            "法令管理台帳",
            "法令・規範一覧",
        ],
        fields: &[
            fl("code", "法令区分", &["区分", "法令コード"]),
            fl(
                "name",
                "法令等の名称",
                &["法令名", "名称", "法令・ガイドライン名"],
            ),
            fl(
                "applicability",
                "適用内容",
                &["該当箇所", "関連事項", "適用範囲"],
            ),
            fl("authority", "所管", &["所管官庁", "所管省庁"]),
            fl("amended", "改正有無", &["改正の有無"]),
            fl("action", "対応", &["対応内容", "当社の対応"]),
            fl("last_reviewed_on", "最終確認日", &["確認日", "見直し日"]),
            fl(
                "amendment_dates_tracked",
                "改正日",
                &["改正履歴", "改正確認日"],
            ),
        ],
    },
    StructLabels {
        name: "inventory",
        ja: "個人情報管理台帳",
        aliases: &[
            "個人情報台帳",
            "個人情報管理簿",
            "個人情報一覧",
            "個人情報特定",
            "個人情報の特定",
            "管理台帳",
            "台帳",
        ],
        fields: &[
            fl(
                "item_name",
                "個人情報の名称",
                &["名称", "個人情報名", "個人情報の種類", "台帳名", "情報名"],
            ),
            fl(
                "department_id",
                "管理部門",
                &["部門", "部署", "所属", "主管部門", "担当部門"],
            ),
            fl(
                "manager",
                "管理責任者",
                &["責任者", "管理者", "情報管理責任者", "保護責任者"],
            ),
            fl(
                "business_process",
                "業務プロセス",
                &["業務", "業務名", "利用業務", "業務内容"],
            ),
            fl(
                "data_subjects",
                "データ主体",
                &["本人", "対象者", "本人の区分", "情報主体", "本人区分"],
            ),
            fl(
                "incident_impact",
                "事故時の重大性",
                &["重大性", "影響度", "事故時の影響", "漏えい時の影響"],
            ),
            fl(
                "data_fields",
                "項目",
                &["個人情報の項目", "データ項目", "記載項目"],
            ),
            fl("purposes", "利用目的", &["目的"]),
            fl("storage_location", "保管場所", &["保存場所", "格納場所"]),
            fl("storage_method", "保管方法", &["保存方法", "保管形態"]),
            fl("media", "媒体", &["形態", "紙/電子", "紙・電子"]),
            fl(
                "access_holders",
                "アクセス権者",
                &["アクセス権限者", "取扱者", "利用者の範囲", "アクセス可能者"],
            ),
            fl("use_until", "利用期限", &["利用期間"]),
            fl("retain_until", "保管期限", &["保存期限", "保管期限日"]),
            fl("retention_rule", "保管期間", &["保存期間"]),
            fl(
                "record_count",
                "件数",
                &["人数", "件数（概数）", "概数", "データ件数"],
            ),
            fl(
                "contains_special_care",
                "要配慮個人情報",
                &["要配慮", "機微情報", "要配慮の有無", "機微"],
            ),
            fl(
                "special_care_basis",
                "要配慮個人情報の取得根拠",
                &["要配慮取得根拠"],
            ),
            fl(
                "acquisition_method",
                "取得方法",
                &["入手経路", "取得経路", "入手方法"],
            ),
            fl("channel_id", "取得窓口", &["取得チャネル"]),
            fl("notice_method", "通知方法", &["明示方法", "通知・公表方法"]),
            fl(
                "purpose_notified_or_published",
                "利用目的の通知・公表",
                &["通知・公表", "通知公表"],
            ),
            fl("consent_required", "同意の要否", &["同意要否"]),
            fl("consent_obtained", "同意取得", &["同意の有無", "同意"]),
            fl("third_party_provision", "第三者提供", &["第三者提供の有無"]),
            fl("joint_use", "共同利用", &["共同利用の有無"]),
            fl("entrusted_to", "委託先", &["委託先名", "委託"]),
            fl(
                "is_retained_personal_data",
                "保有個人データ",
                &["開示対象", "開示対象か否か", "開示対象個人情報"],
            ),
            fl(
                "cross_border",
                "外国への提供",
                &["越境移転", "外国にある第三者への提供"],
            ),
            fl(
                "disposal_method",
                "廃棄方法",
                &["消去方法", "廃棄・消去方法"],
            ),
            fl(
                "last_reviewed_on",
                "最終見直し日",
                &["見直し日", "更新確認日"],
            ),
            fl(
                "accuracy_check_required",
                "正確性確認の要否",
                &["入力確認の要否", "正確性確認"],
            ),
        ],
    },
    StructLabels {
        name: "business_flows",
        ja: "業務フロー",
        aliases: &["業務フロー一覧", "業務フロー図", "業務プロセス"],
        fields: &[
            fl("name", "業務名", &["業務フロー名", "業務プロセス", "名称"]),
            fl("department_id", "部門", &["部署", "所属", "管理部門"]),
            fl(
                "inventory_item_ids",
                "個人情報",
                &["対象の個人情報", "関連する個人情報"],
            ),
        ],
    },
    StructLabels {
        name: "risk_assessments",
        ja: "リスク分析",
        aliases: &[
            "リスク分析表",
            "リスク分析結果",
            "リスクアセスメント",
            "リスク評価表",
            "リスク対策表",
        ],
        fields: &[
            fl(
                "inventory_item_id",
                "個人情報",
                &["対象の個人情報", "個人情報の名称"],
            ),
            fl("assessed_on", "分析日", &["評価日", "実施日"]),
            fl("stage", "ライフサイクル", &["局面", "段階", "取扱局面"]),
            fl("risk_desc", "リスク", &["想定されるリスク", "リスク内容"]),
            fl("likelihood", "発生可能性", &["発生頻度", "可能性"]),
            fl("impact", "影響度", &["影響", "重大性"]),
            fl(
                "controls",
                "対策",
                &["リスク対策", "安全管理措置", "管理策"],
            ),
            fl("residual_risk", "残留リスク", &["残存リスク"]),
            fl("accepted_by", "残留リスク承認者", &["承認者", "受容者"]),
        ],
    },
    StructLabels {
        name: "contractors",
        ja: "委託先",
        aliases: &["委託先一覧", "委託先管理台帳", "委託先リスト", "委託先台帳"],
        fields: &[
            fl("name", "委託先名", &["名称", "会社名", "委託先"]),
            fl(
                "services",
                "委託業務内容",
                &["委託業務", "業務内容", "委託内容"],
            ),
            fl("relationship", "委託関係", &["委託区分", "区分"]),
            fl(
                "handles_personal_data",
                "個人情報の取扱い",
                &["個人情報取扱", "個人情報の委託"],
            ),
            fl("is_cloud_service", "クラウドサービス", &["クラウド"]),
            fl(
                "inventory_items",
                "委託する個人情報",
                &["個人情報", "委託個人情報"],
            ),
            fl("subcontractors", "再委託先", &["再委託"]),
            fl(
                "subcontracting",
                "再委託の有無",
                &["再委託有無", "再委託の可否", "再委託の有無（有/無）"],
            ),
            fl(
                "certifications",
                "認証",
                &["第三者認証", "認証取得状況", "Pマーク/ISMS"],
            ),
            fl(
                "first_handover_on",
                "初回提供日",
                &["委託開始日", "取引開始日"],
            ),
        ],
    },
    StructLabels {
        name: "contractor_evaluations",
        ja: "委託先評価",
        aliases: &[
            "委託先評価表",
            "委託先評価記録",
            "委託先選定評価",
            "委託先評価一覧",
        ],
        fields: &[
            fl("contractor_id", "委託先", &["委託先名", "評価対象"]),
            fl("evaluated_on", "評価日", &["評価実施日"]),
            fl("evaluator", "評価者", &["評価担当者"]),
            fl(
                "criteria_version",
                "評価基準版",
                &["評価基準", "評価表の版"],
            ),
            fl(
                "criteria_includes_equivalent_protection",
                "同等以上の保護水準",
                &["同等水準", "同等以上の水準"],
            ),
            fl("result", "評価結果", &["合否", "判定", "評価点/合否"]),
            fl("score", "評価点", &["点数", "評価点数", "得点", "合計点"]),
            fl("next_due", "次回評価予定日", &["次回評価日", "次回評価"]),
            fl("approved_by", "承認者", &["承認", "承認印"]),
        ],
    },
    StructLabels {
        name: "contracts",
        ja: "委託契約",
        aliases: &["契約一覧", "契約管理台帳", "委託契約一覧", "覚書一覧"],
        fields: &[
            fl("contractor_id", "委託先", &["委託先名", "契約先"]),
            fl("title", "契約名", &["契約書名", "件名"]),
            fl(
                "signed_on",
                "締結日",
                &["契約日", "契約締結日", "覚書締結日", "契約/覚書締結日"],
            ),
            fl("expires_on", "契約満了日", &["契約期限", "有効期限"]),
            fl("clauses", "契約条項", &["条項"]),
            fl("retained_until", "保管期限", &["保存期限"]),
        ],
    },
    StructLabels {
        name: "systems",
        ja: "情報システム",
        aliases: &[
            "システム一覧",
            "情報システム一覧",
            "情報資産台帳",
            "システム台帳",
        ],
        fields: &[
            fl("name", "システム名", &["名称", "情報システム名"]),
            fl(
                "holds_personal_data",
                "個人情報の保持",
                &["個人情報の有無", "個人情報保持"],
            ),
            fl(
                "inventory_item_ids",
                "個人情報",
                &["保持する個人情報", "対象の個人情報"],
            ),
            fl(
                "provider_contractor_id",
                "提供元",
                &["提供事業者", "ベンダー", "委託先"],
            ),
        ],
    },
    StructLabels {
        name: "access_log_reviews",
        ja: "アクセスログ確認",
        aliases: &["アクセスログ確認記録", "ログ確認記録", "ログ点検記録"],
        fields: &[
            fl("system_id", "システム", &["システム名", "対象システム"]),
            fl(
                "period_start",
                "対象期間開始日",
                &["期間開始", "対象期間（自）"],
            ),
            fl(
                "period_end",
                "対象期間終了日",
                &["期間終了", "対象期間（至）"],
            ),
            fl("reviewed_on", "確認日", &["点検日", "実施日"]),
            fl("reviewer", "確認者", &["点検者", "担当者"]),
            fl("anomalies", "異常", &["異常の有無", "指摘事項", "検出事項"]),
            fl("follow_up_ref", "対応記録", &["フォローアップ", "対応"]),
        ],
    },
    StructLabels {
        name: "access_right_reviews",
        ja: "アクセス権限見直し",
        aliases: &[
            "アクセス権限見直し記録",
            "アクセス権棚卸",
            "権限棚卸",
            "ID棚卸",
        ],
        fields: &[
            fl("system_id", "システム", &["システム名", "対象システム"]),
            fl("reviewed_on", "見直し日", &["実施日", "棚卸日"]),
            fl("reviewer", "実施者", &["確認者", "担当者"]),
            fl(
                "removed_accounts",
                "削除したアカウント",
                &["削除ID", "削除アカウント"],
            ),
        ],
    },
    StructLabels {
        name: "entry_logs",
        ja: "入退室記録",
        aliases: &[
            "入退室管理台帳",
            "入退室管理記録",
            "入退室記録簿",
            "入退室管理簿",
        ],
        fields: &[
            fl("site_id", "拠点", &["事業所", "場所"]),
            fl("area", "区域", &["エリア", "管理区域", "部屋"]),
            // A daily sheet's one date column (日付) is read as both ends: the log of that day.
            fl(
                "date_from",
                "期間開始日",
                &["開始日", "期間（自）", "日付", "年月日", "記録日"],
            ),
            fl("date_to", "期間終了日", &["終了日", "期間（至）"]),
            fl(
                "first_unlock_by",
                "最初の解錠者",
                &["解錠者", "最初の入室者", "始業時解錠者"],
            ),
            fl(
                "unlock_time",
                "解錠時刻",
                &["始業時刻", "最初の入室時刻", "開錠時刻"],
            ),
            fl(
                "last_lock_by",
                "最後の施錠者",
                &["施錠者", "最後の退室者", "終業時施錠者"],
            ),
            fl("lock_time", "施錠時刻", &["終業時刻", "最後の退室時刻"]),
            fl("missing_dates", "記録漏れの日", &["記入漏れ", "未記入日"]),
        ],
    },
    StructLabels {
        name: "visitor_logs",
        ja: "来訪者記録",
        aliases: &[
            "来訪者管理表",
            "来訪者管理台帳",
            "来訪者記録簿",
            "来客記録",
            "入館記録",
        ],
        fields: &[
            fl("site_id", "拠点", &["事業所", "場所"]),
            fl("date", "日付", &["来訪日", "訪問日"]),
            fl("visitor_name", "来訪者氏名", &["氏名", "来訪者", "訪問者"]),
            fl("org", "会社名", &["所属", "所属/会社名", "来訪者所属"]),
            fl("purpose", "訪問目的", &["目的", "用件"]),
            fl("visited", "訪問先", &["訪問部署", "面会者", "訪問先部署"]),
            fl("time_in", "入室時刻", &["入館時刻", "入室"]),
            fl("time_out", "退室時刻", &["退館時刻", "退室"]),
            fl("escort", "対応者", &["応対者", "確認者", "確認印"]),
            fl(
                "badge_no",
                "入館証番号",
                &["入館証", "入館カード番号", "カード番号", "入館証No"],
            ),
            fl("form", "様式", &["記録様式"]),
        ],
    },
    StructLabels {
        name: "operational_checks",
        ja: "運用の確認",
        aliases: &[
            "運用の確認記録",
            "運用確認記録",
            "運用状況の確認",
            "日常点検記録",
            "運用確認",
        ],
        fields: &[
            fl("department_id", "部門", &["部署", "対象部門", "確認部門"]),
            fl("checked_on", "確認日", &["実施日", "点検日"]),
            fl("checker", "確認者", &["点検者", "実施者"]),
            fl("result", "確認結果", &["結果", "点検結果"]),
            fl("items_checked", "確認項目", &["点検項目", "チェック項目"]),
            fl("ca_needed", "是正の要否", &["是正要否", "是正処置の要否"]),
            fl(
                "nonconformity_finding_ids",
                "不適合",
                &["不適合事項", "指摘事項"],
            ),
            fl(
                "reported_to_top_on",
                "トップマネジメントへの報告日",
                &["報告日", "代表者への報告日"],
            ),
        ],
    },
    StructLabels {
        name: "internal_audits",
        ja: "内部監査",
        aliases: &[
            "内部監査報告書",
            "内部監査記録",
            "監査報告書",
            "内部監査実施記録",
        ],
        fields: &[
            fl("plan_item_id", "計画項目", &["監査計画項目", "計画番号"]),
            fl("audit_type", "監査の種類", &["監査種別", "監査区分"]),
            fl(
                "scope_departments",
                "対象部門",
                &["被監査部門", "監査対象部門", "監査対象"],
            ),
            fl("start_date", "監査開始日", &["実施日", "監査日", "開始日"]),
            fl("end_date", "監査終了日", &["終了日"]),
            fl("auditors", "監査員", &["監査担当者"]),
            fl("assignments", "監査の割当て", &["監査割当", "担当部門"]),
            fl("checklist_ref", "チェックリスト", &["監査チェックリスト"]),
            fl(
                "checklist_covers_risk_results",
                "リスク分析結果の反映",
                &["リスク分析反映"],
            ),
            fl("report_date", "報告書作成日", &["報告日", "監査報告日"]),
            fl("finding_count", "指摘件数", &["指摘数", "不適合件数"]),
            fl(
                "lead_signed",
                "監査責任者の承認",
                &["監査責任者承認", "承認"],
            ),
            fl(
                "reported_to_top_on",
                "トップマネジメントへの報告日",
                &["代表者への報告日", "代表者報告日"],
            ),
        ],
    },
    StructLabels {
        name: "audit_findings",
        ja: "指摘事項",
        aliases: &["指摘事項一覧", "不適合一覧", "監査指摘事項", "不適合報告"],
        fields: &[
            fl("source", "発見元", &["指摘元", "出所"]),
            fl(
                "source_id",
                "発見元の記録",
                &["元記録", "監査", "監査番号", "監査ID", "確認記録"],
            ),
            fl("clause_ref", "該当条項", &["規格条項", "条項"]),
            fl("type", "指摘区分", &["区分", "種別"]),
            fl("description", "内容", &["指摘内容", "不適合内容"]),
            fl("raised_on", "指摘日", &["発見日", "発行日"]),
        ],
    },
    StructLabels {
        name: "corrective_actions",
        ja: "是正処置",
        aliases: &[
            "是正処置報告書",
            "是正処置記録",
            "是正処置一覧",
            "是正・予防処置",
        ],
        fields: &[
            fl("finding_id", "指摘事項", &["不適合", "対象の指摘"]),
            fl("incident_id", "事故", &["対象の事故"]),
            fl(
                "nonconformity",
                "不適合内容",
                &["不適合の内容", "不適合事項", "指摘内容", "不適合の概要"],
            ),
            fl("immediate_correction", "修正", &["応急処置", "修正処置"]),
            fl("root_cause", "原因", &["根本原因", "原因分析"]),
            fl("action", "是正処置", &["処置内容", "是正処置内容"]),
            fl("owner", "担当者", &["責任者", "実施責任者"]),
            fl("due_on", "期限", &["実施期限", "完了予定日"]),
            fl("implemented_on", "実施日", &["完了日", "処置実施日"]),
            fl("result", "実施結果", &["結果"]),
            fl(
                "effectiveness_review_on",
                "有効性確認日",
                &["有効性レビュー日"],
            ),
            fl("effective", "有効性", &["有効性確認結果", "有効性確認"]),
            fl("approved_by", "承認者", &["承認"]),
        ],
    },
    StructLabels {
        name: "management_reviews",
        ja: "マネジメントレビュー",
        aliases: &[
            "マネジメントレビュー議事録",
            "マネジメントレビュー記録",
            "代表者による見直し",
            "MR議事録",
        ],
        fields: &[
            fl("date", "実施日", &["開催日", "日付"]),
            fl("chaired_by", "議長", &["代表者", "トップマネジメント"]),
            fl("attendees", "出席者", &["参加者", "出席者一覧"]),
            fl("inputs", "インプット", &["入力"]),
            fl("outputs", "アウトプット", &["出力"]),
            fl("action_items", "指示事項", &["決定事項", "処置事項"]),
        ],
    },
    StructLabels {
        name: "complaints",
        ja: "苦情・相談",
        aliases: &[
            "苦情・相談受付記録",
            "苦情相談受付記録",
            "苦情受付記録",
            "苦情及び相談",
            "苦情対応記録",
        ],
        fields: &[
            fl("received_on", "受付日", &["受付", "受付年月日"]),
            fl("channel", "受付方法", &["受付経路", "窓口"]),
            fl(
                "requester",
                "申出者",
                &["申出人", "相談者", "申出者氏名", "お客様名", "顧客名"],
            ),
            fl("subject_category", "内容区分", &["種別", "区分", "分類"]),
            fl(
                "description",
                "内容",
                &["苦情内容", "相談内容", "申出内容", "苦情・相談内容", "概要"],
            ),
            fl("handler", "対応者", &["担当者", "受付者"]),
            fl(
                "response",
                "対応内容",
                &["回答内容", "処置内容", "対応結果", "対応"],
            ),
            fl("response_on", "回答日", &["対応日", "返答日"]),
            fl(
                "closed_on",
                "完了日",
                &["終了日", "クローズ日", "対応完了日", "完了年月日"],
            ),
            fl("approved_by", "承認者", &["承認"]),
            fl("linked_finding", "関連する指摘事項", &["指摘事項"]),
        ],
    },
    StructLabels {
        name: "incidents",
        ja: "事故",
        aliases: &[
            "事故記録",
            "事故報告書",
            "事故一覧",
            "インシデント",
            "インシデント記録",
            "事故・違反記録",
        ],
        fields: &[
            fl("discovered_on", "発覚日", &["発見日", "認知日"]),
            fl("occurred_on", "発生日", &["発生年月日"]),
            fl("description", "概要", &["事故の概要", "内容"]),
            fl("category", "事故区分", &["種別", "区分"]),
            fl(
                "data_items",
                "漏えい等した項目",
                &["項目", "個人情報の項目", "媒体・項目"],
            ),
            fl("medium", "媒体", &["漏えい媒体", "媒体の種類"]),
            fl(
                "persons_affected",
                "件数",
                &["人数", "本人の数", "影響人数"],
            ),
            fl("special_care", "要配慮個人情報", &["要配慮"]),
            fl("financial_risk", "財産的被害のおそれ", &["財産的被害"]),
            fl("unlawful_intent", "不正の目的", &["不正目的"]),
            fl("encrypted_high", "高度な暗号化", &["暗号化"]),
            fl("pseudonymized", "仮名加工情報", &["仮名加工"]),
            fl(
                "mynumber_involved",
                "個人番号を含む",
                &["特定個人情報", "マイナンバー"],
            ),
            fl(
                "mynumber_public_view",
                "個人番号の公開",
                &["不特定多数への公開"],
            ),
            fl(
                "mynumber_network_leak",
                "個人番号のネットワーク漏えい",
                &["ネットワーク漏えい"],
            ),
            fl("our_role", "当社の立場", &["立場"]),
            fl(
                "principal_notified_on",
                "委託元への通知日",
                &["委託元通知日"],
            ),
            fl(
                "contractor_involved",
                "関係した委託先",
                &["委託先", "発生元"],
            ),
            fl("root_cause", "原因", &["発生原因"]),
            fl(
                "secondary_damage",
                "二次被害",
                &["二次被害の有無", "二次被害の状況"],
            ),
            fl(
                "response_to_individuals",
                "本人対応",
                &["本人への対応", "本人対応状況"],
            ),
            fl("regulator_reports", "当局への報告", &["報告", "速報・確報"]),
            fl("notifications", "本人への通知", &[]),
            fl("ca_id", "是正処置", &["再発防止策", "是正処置番号"]),
        ],
    },
    StructLabels {
        name: "disclosure_requests",
        ja: "開示等の請求",
        aliases: &[
            "開示等請求対応記録",
            "開示等請求記録",
            "開示請求記録",
            "開示等の求め",
        ],
        fields: &[
            fl("type", "請求の種類", &["請求種別", "種別"]),
            fl("received_on", "受付日", &["請求受付日", "受付"]),
            fl(
                "requester",
                "請求者",
                &["請求者氏名", "申請者", "本人氏名", "請求者名"],
            ),
            fl("requester_is_agent", "代理人による請求", &["代理人"]),
            fl("id_verified_on", "本人確認日", &["本人確認"]),
            fl(
                "id_verification_method",
                "本人確認方法",
                &["本人確認書類", "確認書類", "確認方法"],
            ),
            fl("decision", "対応結果", &["決定", "判断"]),
            fl("reason", "理由", &["不開示理由"]),
            fl("method_requested", "請求された方法", &["希望方法"]),
            fl("method_used", "対応方法", &["回答方法"]),
            fl("method_reason", "方法を変えた理由", &["方法変更理由"]),
            fl("fee", "手数料", &["手数料額"]),
            fl("responded_on", "回答日", &["対応日"]),
        ],
    },
    StructLabels {
        name: "external_audits",
        ja: "審査",
        aliases: &["外部審査", "審査記録", "現地審査", "Pマーク審査"],
        fields: &[
            fl("kind", "審査区分", &["区分", "審査の種類"]),
            fl("date", "審査日", &["現地審査日", "実施日"]),
            fl("review_body", "審査機関", &["審査機関名"]),
            fl("finding_ids", "指摘事項", &["指摘"]),
            fl(
                "improvement_report_submitted_on",
                "改善報告書提出日",
                &["改善報告日"],
            ),
        ],
    },
    StructLabels {
        name: "notice_versions",
        ja: "通知文書",
        aliases: &[
            "通知文",
            "同意書",
            "同意書・通知文",
            "明示文書",
            "通知文書一覧",
        ],
        fields: &[
            fl("channel_id", "取得窓口", &["窓口ID", "取得チャネル"]),
            fl("channel_name", "取得窓口名", &["窓口名", "取得場面"]),
            fl("version", "版", &["版数", "バージョン"]),
            fl("effective_from", "適用開始日", &["施行日", "使用開始日"]),
            fl("inventory_item_ids", "個人情報", &["対象の個人情報"]),
            fl("items", "明示事項", &["記載事項"]),
        ],
    },
    StructLabels {
        name: "consent_events",
        ja: "同意記録",
        aliases: &["同意取得記録", "同意書管理", "同意一覧"],
        fields: &[
            fl("channel_id", "取得窓口", &["窓口ID"]),
            fl(
                "notice_version_id",
                "通知文書",
                &["同意書の版", "通知文の版"],
            ),
            fl("person_ref", "本人", &["同意者", "本人の識別"]),
            fl("given_at", "同意日", &["取得日"]),
            fl("method", "取得方法", &["同意方法"]),
            fl("consenter_role", "同意者の区分", &["同意者区分"]),
            fl("age_at_consent", "同意時の年齢", &["年齢"]),
        ],
    },
    StructLabels {
        name: "provision_records",
        ja: "第三者提供記録",
        aliases: &[
            "第三者提供の記録",
            "提供記録",
            "受領記録",
            "第三者提供・受領記録",
        ],
        fields: &[
            fl("direction", "提供・受領の別", &["区分", "提供/受領"]),
            fl("date", "提供日", &["年月日", "受領日"]),
            fl("period_from", "期間開始日", &["期間（自）"]),
            fl("period_to", "期間終了日", &["期間（至）"]),
            fl("last_provision_on", "最終提供日", &["最終受領日"]),
            fl(
                "counterparty",
                "提供先",
                &["第三者の氏名又は名称", "相手方", "提供元"],
            ),
            fl("individuals_ref", "本人の氏名等", &["本人"]),
            fl("data_items", "項目", &["個人データの項目", "提供項目"]),
            fl("basis", "根拠", &["提供根拠", "法的根拠"]),
            fl("consent_ref", "同意記録", &["同意"]),
            fl("cross_border", "外国への提供", &["越境移転"]),
            fl("country", "国名", &["提供先の国"]),
            fl(
                "info_provided_to_individual",
                "本人への情報提供",
                &["参考情報の提供"],
            ),
            fl(
                "provider_acquisition_route",
                "提供元の取得経緯",
                &["取得の経緯"],
            ),
            fl(
                "contract_substitutes_log",
                "契約書による代替",
                &["契約書代替"],
            ),
            fl("related_info", "個人関連情報", &[]),
            fl(
                "recipient_consent_confirmed",
                "提供先での同意確認",
                &["同意確認"],
            ),
            fl("inventory_item_ids", "個人情報", &["対象の個人情報"]),
            fl("retention_until", "保管期限", &["保存期限"]),
        ],
    },
    StructLabels {
        name: "disposal_records",
        ja: "廃棄記録",
        aliases: &["廃棄・消去記録", "持出し・廃棄記録", "廃棄証明", "消去記録"],
        fields: &[
            fl(
                "inventory_item_id",
                "個人情報",
                &["対象の個人情報", "廃棄対象", "対象"],
            ),
            fl("collected_from", "対象期間開始日", &["期間（自）"]),
            fl("collected_to", "対象期間終了日", &["期間（至）"]),
            fl("disposed_on", "廃棄日", &["消去日", "廃棄・消去日"]),
            fl("method", "廃棄方法", &["消去方法"]),
            fl("medium", "媒体", &["廃棄媒体"]),
            fl("quantity", "数量", &["量"]),
            fl("disposed_by", "実施者", &["廃棄者", "廃棄実施者"]),
            fl("confirmed_by", "確認者", &["立会者", "確認印"]),
            fl("evidence", "証明書", &["廃棄証明書"]),
            fl("retention_extension", "保管延長", &["保管延長理由"]),
        ],
    },
    StructLabels {
        name: "use_events",
        ja: "目的外利用の記録",
        aliases: &["利用記録", "目的外利用記録"],
        fields: &[
            fl("inventory_item_id", "個人情報", &["対象の個人情報"]),
            fl("used_on", "利用日", &[]),
            fl("description", "内容", &["利用内容"]),
            fl("within_purposes", "利用目的の範囲内", &["目的内"]),
            fl("consent_ref", "同意記録", &["同意"]),
            fl("exception", "例外事由", &["例外"]),
        ],
    },
    StructLabels {
        name: "contact_campaigns",
        ja: "本人への連絡・接触",
        aliases: &["本人への連絡", "連絡・接触記録", "DM送付記録"],
        fields: &[
            fl("name", "施策名", &["名称", "件名"]),
            fl("inventory_item_id", "個人情報", &["対象の個人情報"]),
            fl("date", "実施日", &["送付日"]),
            fl(
                "purpose_includes_contact",
                "利用目的に連絡を含む",
                &["目的内"],
            ),
            fl("consent_ref", "同意記録", &["同意"]),
        ],
    },
    StructLabels {
        name: "anonymization_jobs",
        ja: "匿名加工の記録",
        aliases: &["匿名加工情報の記録", "匿名加工記録"],
        fields: &[
            fl("inventory_item_id", "個人情報", &["元の個人情報"]),
            fl("performed_on", "加工日", &["実施日"]),
            fl(
                "matching_keys_deleted_on",
                "照合情報の削除日",
                &["加工方法等情報の削除日"],
            ),
            fl("published_items_on", "項目の公表日", &["公表日"]),
        ],
    },
    StructLabels {
        name: "backup_checks",
        ja: "バックアップの確認",
        aliases: &[
            "バックアップ確認記録",
            "バックアップ点検記録",
            "バックアップ確認",
        ],
        fields: &[
            fl("system_id", "システム", &["システム名", "対象システム"]),
            fl("checked_on", "確認日", &["点検日", "実施日"]),
            fl("last_backup_on", "最終バックアップ日", &["バックアップ日"]),
            fl("result", "確認結果", &["結果"]),
            fl("checker", "確認者", &["点検者", "担当者"]),
            fl("follow_up_ref", "対応記録", &["フォローアップ", "対応"]),
        ],
    },
    StructLabels {
        name: "restore_tests",
        ja: "復元テスト",
        aliases: &["リストアテスト", "復元テスト記録", "リストア確認"],
        fields: &[
            fl("system_id", "システム", &["システム名", "対象システム"]),
            fl("tested_on", "テスト日", &["実施日", "復元日"]),
            fl("scope", "復元範囲", &["対象", "範囲"]),
            fl("result", "テスト結果", &["結果"]),
            fl("tester", "実施者", &["担当者", "テスト実施者"]),
            fl("follow_up_ref", "対応記録", &["フォローアップ", "対応"]),
        ],
    },
    StructLabels {
        name: "accuracy_checks",
        ja: "正確性の確認",
        aliases: &["正確性確認記録", "入力確認記録", "誤入力チェック"],
        fields: &[
            fl(
                "inventory_item_id",
                "個人情報",
                &["対象の個人情報", "個人情報の名称"],
            ),
            fl("checked_on", "確認日", &["点検日", "実施日"]),
            fl("checker", "確認者", &["点検者", "担当者"]),
            fl("records_checked", "確認件数", &["件数", "確認数"]),
            fl("errors_found", "誤り件数", &["誤入力件数", "誤り"]),
            fl("corrected_on", "訂正日", &["修正日"]),
        ],
    },
    StructLabels {
        name: "security_equipment",
        ja: "セキュリティ機器",
        aliases: &[
            "セキュリティ機器一覧",
            "機器一覧",
            "セキュリティ機器台帳",
            "機器台帳",
        ],
        fields: &[
            fl("name", "機器名", &["名称", "機種", "機器名・型番"]),
            fl("kind", "種別", &["機器種別", "区分"]),
            fl("site_id", "設置拠点", &["拠点", "設置場所"]),
            fl("system_id", "システム", &["対象システム"]),
            fl("in_use_from", "使用開始日", &["導入日", "設置日"]),
            fl("in_use_to", "使用終了日", &["撤去日", "廃棄日"]),
            fl("last_reviewed_on", "最終点検日", &["点検日", "見直し日"]),
            fl(
                "last_maintained_on",
                "最終保守日",
                &["保守日", "保守実施日"],
            ),
            fl("support_end_on", "サポート終了日", &["サポート期限", "EOL"]),
            fl(
                "maintenance_due",
                "次回保守期限",
                &["保守期限", "保守期限日"],
            ),
        ],
    },
    // ---- nested objects ----
    StructLabels {
        name: "business_calendar",
        ja: "営業日カレンダー",
        aliases: &["カレンダー", "営業カレンダー"],
        fields: &[
            fl("base", "基準", &["基準カレンダー"]),
            fl("extra_closed", "臨時休業日", &["休業日", "特別休業日"]),
            fl("extra_open", "臨時営業日", &["営業日", "特別営業日"]),
        ],
    },
    StructLabels {
        name: "site",
        ja: "拠点",
        aliases: &["拠点一覧", "事業所", "事業所一覧", "sites"],
        fields: &[
            fl("id", "拠点ID", &["拠点番号", "ID", "No"]),
            fl("name", "拠点名", &["事業所名", "名称"]),
            fl("address", "所在地", &["住所"]),
            fl("areas", "区域", &["エリア", "管理区域"]),
            fl("opened_on", "開設日", &["開設"]),
        ],
    },
    StructLabels {
        name: "department",
        ja: "部門",
        aliases: &["部門一覧", "部署", "部署一覧", "組織図", "departments"],
        fields: &[
            fl("id", "部門ID", &["部門コード", "部署コード", "ID", "No"]),
            fl(
                "name",
                "部門名",
                &["部署名", "名称", "所属名", "所属部署名"],
            ),
            fl("site_id", "拠点", &["事業所", "所在拠点"]),
            fl("head", "部門長", &["所属長", "部署長", "部門責任者"]),
            fl(
                "handles_personal_data",
                "個人情報の取扱い",
                &["個人情報取扱", "個人情報の有無"],
            ),
        ],
    },
    StructLabels {
        name: "org_change",
        ja: "変更履歴",
        aliases: &["組織の変更履歴", "change_history"],
        fields: &[
            fl("id", "ID", &["No", "番号"]),
            fl("kind", "変更区分", &["区分", "変更内容"]),
            fl("changed_on", "変更日", &[]),
            fl("detail", "詳細", &["内容"]),
        ],
    },
    StructLabels {
        name: "change_report",
        ja: "変更報告",
        aliases: &["変更届", "change_reports"],
        fields: &[
            fl("id", "ID", &["No", "番号"]),
            fl("kind", "変更区分", &["区分", "変更内容"]),
            fl("changed_on", "変更日", &[]),
            fl("reported_on", "報告日", &["届出日"]),
        ],
    },
    StructLabels {
        name: "leave",
        ja: "休職",
        aliases: &["休職期間"],
        fields: &[
            fl("from", "休職開始日", &["開始日"]),
            fl("to", "休職終了日", &["終了日"]),
            fl("reason", "理由", &["休職理由"]),
        ],
    },
    StructLabels {
        name: "plan_item",
        ja: "計画項目",
        aliases: &["計画明細", "items"],
        fields: &[
            fl("id", "項目ID", &["ID", "No", "番号"]),
            fl("title", "項目名", &["内容", "件名", "テーマ"]),
            fl("planned_date", "予定日", &["実施予定日", "予定"]),
            fl("actual_ref", "実施記録", &["実績", "実施結果"]),
            fl("deferral_reason", "延期理由", &["未実施理由"]),
            fl(
                "department_id",
                "対象部門",
                &["部門", "被監査部門", "監査対象部門", "部署"],
            ),
            fl(
                "auditor_ids",
                "監査員",
                &["担当監査員", "監査担当者", "監査担当"],
            ),
        ],
    },
    StructLabels {
        name: "doc_version",
        ja: "版",
        aliases: &["改訂履歴", "版管理", "versions"],
        fields: &[
            fl("version", "版数", &["版", "バージョン"]),
            fl("approved_by", "承認者", &["承認"]),
            fl("approved_on", "承認日", &[]),
            fl("effective_from", "施行日", &["適用開始日", "発効日"]),
            fl("obsolete_on", "廃止日", &["失効日"]),
            fl("distributed_on", "配付日", &["配布日", "周知日"]),
            fl("distributed_to", "配付先", &["配布先", "周知先"]),
            fl("published_url", "公表先", &["掲載URL", "URL"]),
            fl("enacted_date", "制定日", &["制定年月日"]),
            fl("last_revised_date", "最終改定日", &["改定日", "改訂日"]),
            fl("contact_point", "問合せ窓口", &["窓口", "お問合せ先"]),
            fl(
                "top_mgmt_name",
                "代表者名",
                &["代表者氏名", "トップマネジメント氏名"],
            ),
        ],
    },
    StructLabels {
        name: "publication_items",
        ja: "公表事項",
        aliases: &["公表項目"],
        fields: &[
            fl("business_name", "事業者の名称", &["名称"]),
            fl("purposes", "利用目的", &["目的"]),
            fl("request_procedure", "開示等の手続", &["請求手続"]),
            fl("fees", "手数料", &[]),
            fl("complaint_contact", "苦情の申出先", &["苦情窓口"]),
            fl("security_measures", "安全管理措置", &["安全管理"]),
        ],
    },
    StructLabels {
        name: "contract_clauses",
        ja: "契約条項",
        aliases: &["条項", "clauses"],
        fields: &[
            fl("responsibility", "責任の明確化", &["責任分担", "a)責任"]),
            fl(
                "security",
                "安全管理",
                &["安全管理に関する事項", "b)安全管理"],
            ),
            fl(
                "subcontract",
                "再委託",
                &["再委託に関する事項", "再委託条件", "c)再委託"],
            ),
            fl(
                "reporting",
                "報告",
                &["報告義務", "報告の内容及び頻度", "d)報告"],
            ),
            fl("audit_right", "監査権", &["遵守状況の確認", "e)監査権"]),
            fl(
                "breach_measures",
                "契約違反時の措置",
                &["違反時の措置", "f)違反時"],
            ),
            fl(
                "incident_reporting",
                "事故時の報告",
                &["事故時報告", "事件・事故の報告", "g)事故時"],
            ),
            fl(
                "post_termination",
                "契約終了後の措置",
                &["返却・廃棄", "返却・消去", "h)終了後"],
            ),
        ],
    },
    StructLabels {
        name: "auditor",
        ja: "監査員",
        aliases: &["監査員一覧", "auditors"],
        fields: &[
            fl("person_id", "監査員", &["氏名", "監査員名"]),
            fl("own_department_id", "監査員の所属", &["所属", "所属部門"]),
        ],
    },
    StructLabels {
        name: "assignment",
        ja: "監査の割当て",
        aliases: &["監査割当", "assignments"],
        fields: &[
            fl("auditor_id", "監査員", &["氏名", "監査員名"]),
            fl("department_id", "被監査部門", &["対象部門", "部門"]),
        ],
    },
    StructLabels {
        name: "mr_inputs",
        ja: "インプット",
        aliases: &["入力", "inputs"],
        fields: &[
            fl(
                "audit_results",
                "監査の結果",
                &["監査結果", "内部監査の結果"],
            ),
            fl("op_check_results", "運用の確認の結果", &["運用確認結果"]),
            fl(
                "complaints",
                "苦情を含む外部からの意見",
                &["苦情", "苦情等"],
            ),
            fl(
                "prev_followup",
                "前回までの見直しの結果に対するフォローアップ",
                &["前回のフォローアップ", "前回フォローアップ", "前回フォロー"],
            ),
            fl(
                "legal_changes",
                "法令等の改正状況",
                &["法令の改正", "法令改正", "法令変化", "法令等の変化"],
            ),
            fl(
                "environment_changes",
                "社会情勢の変化",
                &[
                    "環境の変化",
                    "社会情勢等の変化",
                    "環境変化",
                    "外部環境の変化",
                ],
            ),
            fl(
                "business_changes",
                "事業領域の変化",
                &["事業の変化", "事業内容の変化", "事業変化"],
            ),
            fl("improvement_proposals", "改善のための提案", &["改善提案"]),
        ],
    },
    StructLabels {
        name: "mr_outputs",
        ja: "アウトプット",
        aliases: &["出力", "outputs"],
        fields: &[
            fl(
                "improvement_decisions",
                "改善の機会",
                &["継続的改善", "改善の決定"],
            ),
            fl(
                "pms_changes",
                "PMSの変更",
                &["マネジメントシステムの変更", "PMS変更"],
            ),
            fl(
                "resource_decisions",
                "資源の必要性",
                &["資源", "資源に関する決定"],
            ),
        ],
    },
    StructLabels {
        name: "action_item",
        ja: "指示事項",
        aliases: &["決定事項", "action_items"],
        fields: &[
            fl("id", "ID", &["No", "番号"]),
            fl("description", "内容", &["指示内容"]),
            fl("owner", "担当者", &["責任者"]),
            fl("due", "期限", &["対応期限"]),
            fl("closed_on", "完了日", &[]),
        ],
    },
    StructLabels {
        name: "regulator_report",
        ja: "当局への報告",
        aliases: &["報告", "regulator_reports"],
        fields: &[
            fl("body", "報告先", &["提出先"]),
            fl("kind", "報告区分", &["速報・確報", "区分"]),
            fl("submitted_on", "報告日", &["提出日"]),
            fl("channel", "報告方法", &["提出方法"]),
            fl("items_covered", "報告事項", &["報告項目"]),
        ],
    },
    StructLabels {
        name: "notifications",
        ja: "本人への通知",
        aliases: &["本人対応"],
        fields: &[
            fl("individuals_notified_on", "本人への通知日", &["本人通知日"]),
            fl("substitute_measure", "代替措置", &["代替措置の内容"]),
            fl("published_on", "公表日", &["公表"]),
        ],
    },
    StructLabels {
        name: "notice_items",
        ja: "明示事項",
        aliases: &["記載事項", "items"],
        fields: &[
            fl("a_company", "a)事業者の名称", &["事業者の名称"]),
            fl(
                "b_manager_contact",
                "b)個人情報保護管理者",
                &["管理者の連絡先"],
            ),
            fl("c_purposes", "c)利用目的", &["利用目的"]),
            fl("d_third_party", "d)第三者提供", &["第三者提供"]),
            fl("e_outsourcing", "e)委託", &["委託"]),
            fl("f_voluntary", "f)任意性", &["任意性"]),
            fl("g_request_contact", "g)開示等の窓口", &["開示等の請求窓口"]),
            fl(
                "h_hidden_collection",
                "h)認識困難な取得",
                &["本人が容易に認識できない方法"],
            ),
        ],
    },
];

/// Japanese labels of the values of every enum field. A value shared by several enums
/// (`other`, `active` …) has one entry; the reader only matches a cell against the values
/// of the column's own enum, so aliases of different enums never compete.
pub static ENUM_VALUES: &[ValueLabel] = &[
    // employment types are Japanese in the model already
    vl("正社員", "正社員", &["社員", "正規社員", "正規"]),
    vl("契約", "契約社員", &["契約", "有期契約"]),
    vl("嘱託", "嘱託社員", &["嘱託"]),
    vl("パート", "パート", &["パートタイマー", "パートタイム"]),
    vl("アルバイト", "アルバイト", &["バイト"]),
    vl("派遣", "派遣社員", &["派遣", "派遣労働者", "派遣スタッフ"]),
    vl("役員", "役員", &["取締役", "代表取締役"]),
    vl("監査役", "監査役", &[]),
    vl("other", "その他", &["他"]),
    // roles
    vl(
        "top_management",
        "トップマネジメント",
        &["代表者", "代表取締役", "事業者の代表者"],
    ),
    vl(
        "pi_manager",
        "個人情報保護管理者",
        &["保護管理者", "管理者"],
    ),
    vl("audit_lead", "個人情報保護監査責任者", &["監査責任者"]),
    vl("auditor", "内部監査員", &["監査員"]),
    vl("dept_manager", "部門責任者", &["部門管理者", "部門長"]),
    vl(
        "complaint_contact",
        "苦情相談窓口責任者",
        &["苦情相談窓口", "苦情窓口"],
    ),
    // training session kinds and audience
    vl(
        "awareness",
        "定期教育",
        &["全従業者教育", "年次教育", "全社教育"],
    ),
    vl("new_hire", "新入社員教育", &["入社時教育", "新任者教育"]),
    vl("role_competence", "役割別教育", &["力量教育", "監査員教育"]),
    vl("all_active", "全従業者", &["全員", "全社員"]),
    vl("listed", "指名者", &["対象者指定", "個別指定"]),
    // training methods
    vl("classroom", "集合研修", &["集合", "集合教育", "対面"]),
    vl(
        "e-learning",
        "eラーニング",
        &["e-ラーニング", "Eラーニング", "オンライン"],
    ),
    vl(
        "external",
        "外部研修",
        &["外部", "外部セミナー", "資料配布"],
    ),
    // document types
    vl(
        "policy_internal",
        "内部向け個人情報保護方針",
        &["内部向け方針"],
    ),
    vl(
        "policy_external",
        "外部向け個人情報保護方針",
        &["外部向け方針", "プライバシーポリシー"],
    ),
    vl("rule", "規程", &["規定", "規則"]),
    vl("procedure", "手順書", &["手順", "マニュアル"]),
    vl("form", "様式", &["書式", "帳票"]),
    vl("notice", "通知文", &["通知", "お知らせ"]),
    // legal register codes
    vl("appi", "個人情報保護法", &["個人情報の保護に関する法律"]),
    vl(
        "ppc_guideline_general",
        "ガイドライン（通則編）",
        &["通則編"],
    ),
    vl(
        "ppc_guideline_foreign",
        "ガイドライン（外国にある第三者への提供編）",
        &["外国にある第三者への提供編", "外国提供編"],
    ),
    vl(
        "ppc_guideline_records",
        "ガイドライン（第三者提供時の確認・記録義務編）",
        &["確認・記録義務編", "確認記録義務編"],
    ),
    vl(
        "ppc_guideline_anonymized",
        "ガイドライン（仮名加工情報・匿名加工情報編）",
        &["仮名加工情報・匿名加工情報編", "匿名加工情報編"],
    ),
    vl(
        "mynumber_act",
        "番号法",
        &[
            "マイナンバー法",
            "行政手続における特定の個人を識別するための番号の利用等に関する法律",
        ],
    ),
    vl(
        "mynumber_guideline",
        "特定個人情報ガイドライン",
        &[
            "マイナンバーガイドライン",
            "特定個人情報の適正な取扱いに関するガイドライン",
        ],
    ),
    // media
    vl("paper", "紙", &["紙媒体", "書面"]),
    vl("electronic", "電子", &["電子媒体", "電子データ", "データ"]),
    vl(
        "both",
        "紙・電子",
        &["紙/電子", "紙及び電子", "両方", "紙・電子データ"],
    ),
    // acquisition methods
    vl(
        "direct_written",
        "本人から書面で直接取得",
        &[
            "直接書面取得",
            "書面による直接取得",
            "直接（書面）",
            "本人から書面",
            "本人（書面）",
            "本人から書面で取得",
            "書面（本人）",
            "申込書",
            "応募書類",
        ],
    ),
    vl(
        "direct_other",
        "本人から直接取得（書面以外）",
        &[
            "直接取得（書面以外）",
            "直接（書面以外）",
            "直接（口頭）",
            "本人から口頭",
            "本人（口頭）",
            "口頭",
            "電話",
        ],
    ),
    vl(
        "indirect",
        "間接取得",
        &[
            "間接",
            "本人以外から取得",
            "第三者から取得",
            "第三者提供を受けて取得",
        ],
    ),
    vl(
        "entrusted",
        "受託",
        &[
            "委託を受けて取得",
            "受託による取得",
            "委託元から",
            "委託元から受領",
        ],
    ),
    vl("public", "公開情報", &["公開情報から取得"]),
    // statuses
    vl(
        "active",
        "有効",
        &["利用中", "取引中", "在籍", "継続", "現行"],
    ),
    vl("retired", "廃止", &["利用終了", "廃棄済"]),
    vl("terminated", "取引終了", &["契約終了", "終了", "解約"]),
    vl("open", "未完了", &["対応中", "未了", "オープン"]),
    vl("closed", "完了", &["完了済", "クローズ", "終了済"]),
    // risk lifecycle stages
    vl("acquire", "取得", &["取得・入力", "入手"]),
    vl("transfer", "移送", &["移送・送信", "送信"]),
    vl("use", "利用", &["利用・加工"]),
    vl("store", "保管", &["保管・バックアップ", "保存"]),
    vl("dispose", "廃棄", &["消去・廃棄", "消去"]),
    // contractor relationship and evaluation result
    vl("direct", "直接委託", &["直接", "委託"]),
    vl("subcontractor", "再委託", &["再委託先"]),
    // A 合否 column's marks too: ○ pass, △ conditional, × fail.
    vl("pass", "合格", &["適", "可", "合", "○", "〇", "◯"]),
    vl(
        "conditional",
        "条件付き合格",
        &["条件付合格", "条件付き", "要改善", "△"],
    ),
    vl("fail", "不合格", &["不適", "否", "不可", "×", "✕"]),
    // areas and visitor log forms
    vl("office", "執務室", &["事務所", "オフィス", "執務エリア"]),
    vl(
        "server_room",
        "サーバールーム",
        &["サーバ室", "サーバー室", "マシン室"],
    ),
    vl("archive", "書庫", &["保管庫", "文書庫"]),
    vl("single_sheet", "個票", &["個別票", "1人1枚"]),
    vl("shared_ledger", "共用台帳", &["台帳形式", "記入台帳"]),
    // audit types and finding sources and types
    vl("conformity", "適合性監査", &["適合性", "適合性の監査"]),
    vl("operation", "運用監査", &["運用", "運用状況の監査"]),
    vl("internal_audit", "内部監査", &[]),
    vl("op_check", "運用の確認", &["運用確認"]),
    vl("external_audit", "外部審査", &["審査"]),
    vl("complaint", "苦情", &["苦情・相談"]),
    vl("mr", "マネジメントレビュー", &["MR", "代表者による見直し"]),
    vl("nonconformity", "不適合", &["不適合事項"]),
    vl("observation", "観察事項", &["指摘", "要観察"]),
    vl("improvement", "改善の機会", &["改善提案", "推奨事項"]),
    // incidents
    vl(
        "controller",
        "委託元（自社の個人情報）",
        &["自社", "委託元", "管理者"],
    ),
    vl("contractor", "受託者", &["受託", "委託先"]),
    vl("PPC", "個人情報保護委員会", &["個情委", "PPC"]),
    vl(
        "JIPDEC",
        "審査機関",
        &["JIPDEC", "プライバシーマーク推進センター"],
    ),
    vl("ministry", "所管官庁", &["事業所管大臣", "官庁"]),
    vl("速報", "速報", &[]),
    vl("確報", "確報", &[]),
    vl(
        "portal",
        "ポータル",
        &["Pマークポータル", "報告フォーム", "Webフォーム"],
    ),
    vl("email", "電子メール", &["メール", "Eメール"]),
    vl("fax", "FAX", &["ファックス", "ファクス"]),
    vl("post", "郵送", &["郵便"]),
    // disclosure requests
    vl(
        "purpose_notice",
        "利用目的の通知",
        &["利用目的の通知の求め"],
    ),
    vl("disclosure", "開示", &["開示請求"]),
    vl("correction", "訂正等", &["訂正", "訂正・追加・削除"]),
    vl(
        "suspension",
        "利用停止等",
        &["利用停止", "消去", "第三者提供の停止"],
    ),
    vl(
        "third_party_record_disclosure",
        "第三者提供記録の開示",
        &["第三者提供記録開示"],
    ),
    vl("granted", "対応", &["開示", "応諾", "実施"]),
    vl("partial", "一部対応", &["一部開示", "一部"]),
    vl("refused", "不対応", &["不開示", "拒否", "非開示"]),
    vl("not_exist", "該当なし", &["不存在", "保有していない"]),
    // external audits, consent, provision
    vl("initial", "新規", &["新規審査", "初回"]),
    vl("renewal", "更新", &["更新審査"]),
    vl("self", "本人", &[]),
    vl("legal_rep", "法定代理人", &["代理人", "親権者"]),
    vl("provided", "提供", &["第三者提供"]),
    vl("received", "受領", &["第三者からの受領"]),
    vl("consent", "本人の同意", &["同意"]),
    vl("opt_out", "オプトアウト", &["オプトアウト手続"]),
    vl("exception", "例外規定", &["法令に基づく場合", "例外"]),
    // calendar base and change kinds
    vl("jp", "日本の祝日", &["日本", "土日祝休み"]),
    vl("name", "名称", &["社名", "商号"]),
    vl("address", "所在地", &["住所"]),
    vl("contact", "連絡先", &["電話番号", "窓口"]),
    // backups, restore tests, security equipment
    vl("ok", "正常", &["OK", "良好", "問題なし"]),
    vl("failed", "失敗", &["NG", "異常", "エラー"]),
    vl("success", "成功", &["正常終了", "復元成功"]),
    vl("firewall", "ファイアウォール", &["FW"]),
    vl("utm", "UTM", &["統合脅威管理"]),
    vl(
        "entry_control",
        "入退室管理装置",
        &["入退室管理システム", "電子錠"],
    ),
    vl("camera", "監視カメラ", &["防犯カメラ"]),
    vl("shredder", "シュレッダー", &["裁断機"]),
    vl(
        "endpoint_protection",
        "ウイルス対策ソフト",
        &["エンドポイント保護", "EDR", "アンチウイルス"],
    ),
    vl(
        "backup_device",
        "バックアップ装置",
        &["NAS", "バックアップ機器"],
    ),
];

/// The labels of a struct (entity or nested object).
#[must_use]
pub fn struct_labels(name: &str) -> Option<&'static StructLabels> {
    STRUCT_LABELS.iter().find(|s| s.name == name)
}

/// The label of a field of a struct: the struct's own, else the common one.
#[must_use]
pub fn field_label(struct_name: &str, field: &str) -> Option<&'static FieldLabel> {
    struct_labels(struct_name)
        .and_then(|s| s.fields.iter().find(|f| f.field == field))
        .or_else(|| COMMON_FIELDS.iter().find(|f| f.field == field))
}

/// The Japanese name of a field for reports; the field name itself when the table has none
/// (fields of extension declarations).
#[must_use]
pub fn field_ja<'a>(struct_name: &str, field: &'a str) -> &'a str {
    match field_label(struct_name, field) {
        Some(l) => l.ja,
        None => field,
    }
}

/// A field as a Japanese diagnostic names it: its label with the field name,
/// 保管方法（storage_method）; the field name in backticks, a space after it (before the
/// particle that follows), when the table has none.
#[must_use]
#[inline(never)]
pub fn field_named(struct_name: &str, field: &str) -> String {
    match field_label(struct_name, field) {
        Some(l) => format!("{}（{field}）", l.ja),
        None => format!("`{field}` "),
    }
}

/// A field as a Japanese diagnostic names it when its struct is not known: its label with
/// its name when every struct that has the field labels it alike (受講日（completed_on）),
/// else the name in backticks with a space after it (`start_date` is 入社日 of a member,
/// 監査開始日 of an audit).
#[must_use]
#[inline(never)]
pub fn field_named_any(field: &str) -> String {
    let mut labels = COMMON_FIELDS
        .iter()
        .chain(STRUCT_LABELS.iter().flat_map(|s| s.fields.iter()))
        .filter(|f| f.field == field)
        .map(|f| f.ja);
    match labels.next() {
        Some(first) if labels.all(|l| l == first) => format!("{first}（{field}）"),
        _ => format!("`{field}` "),
    }
}

/// An entity or nested object as a Japanese diagnostic names it: its label with its name,
/// 教育記録（training_records）; the name in backticks, a space after it, when the table has
/// none.
#[must_use]
#[inline(never)]
pub fn struct_named(name: &str) -> String {
    match struct_labels(name) {
        Some(l) => format!("{}（{name}）", l.ja),
        None => format!("`{name}` "),
    }
}

/// The Japanese name of a field path of a struct for reports: `person_id.department_id`
/// of `training_records` is 受講者の所属 (each step labelled in the struct it belongs to,
/// following references and nested objects).
#[must_use]
pub fn path_ja(struct_name: &str, path: &str) -> String {
    let mut current = crate::schema::find_struct(struct_name);
    let mut parts = Vec::new();
    for step in path.split('.') {
        let name = current.map_or(struct_name, |s| s.name);
        parts.push(field_ja(name, step).to_owned());
        current = current
            .and_then(|s| s.field(step))
            .and_then(|f| target_struct(&f.ty));
    }
    parts.join("の")
}

/// The struct a field's values are records or objects of (following lists).
fn target_struct(ty: &Ty) -> Option<&'static Struct> {
    match ty {
        Ty::Ref(name) | Ty::Obj(name) => {
            crate::schema::find_struct(name).or_else(|| crate::schema::find_entity(name))
        }
        Ty::List(inner) => target_struct(inner),
        _ => None,
    }
}

/// The label of an enum value.
#[must_use]
pub fn value_label(value: &str) -> Option<&'static ValueLabel> {
    ENUM_VALUES.iter().find(|v| v.value == value)
}

/// The enum values of a field type (of the type itself or of its list elements).
#[must_use]
pub fn enum_values(ty: &Ty) -> Option<&'static [&'static str]> {
    match ty {
        Ty::Enum(values) => Some(values),
        Ty::List(inner) => enum_values(inner),
        _ => None,
    }
}

/// Every built-in struct with its labels, in model order (entities first).
pub fn labelled_structs() -> impl Iterator<Item = (&'static Struct, Option<&'static StructLabels>)>
{
    STRUCTS.iter().map(|s| (s, struct_labels(s.name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_struct_field_and_enum_value_has_a_label() {
        let mut missing = Vec::new();
        for (s, labels) in labelled_structs() {
            let Some(labels) = labels else {
                missing.push(format!("struct {}", s.name));
                continue;
            };
            if s.entity && labels.ja != s.name_ja {
                missing.push(format!(
                    "entity {}: label {} differs from schema name_ja {}",
                    s.name, labels.ja, s.name_ja
                ));
            }
            for f in s.fields {
                if field_label(s.name, f.name).is_none() {
                    missing.push(format!("field {}.{}", s.name, f.name));
                }
                for v in enum_values(&f.ty).unwrap_or(&[]) {
                    if value_label(v).is_none() {
                        missing.push(format!("value {}.{} = {v}", s.name, f.name));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "labels missing: {missing:#?}");
    }

    #[test]
    fn no_label_names_a_field_the_model_lacks() {
        let mut stray = Vec::new();
        for l in STRUCT_LABELS {
            match STRUCTS.iter().find(|s| s.name == l.name) {
                None => stray.push(l.name.to_owned()),
                Some(s) => {
                    for f in l.fields {
                        if s.field(f.field).is_none() {
                            stray.push(format!("{}.{}", l.name, f.field));
                        }
                    }
                }
            }
        }
        let values: BTreeSet<&str> = STRUCTS
            .iter()
            .flat_map(|s| s.fields.iter())
            .filter_map(|f| enum_values(&f.ty))
            .flatten()
            .copied()
            .collect();
        for v in ENUM_VALUES {
            if !values.contains(v.value) {
                stray.push(format!("value {}", v.value));
            }
        }
        assert!(stray.is_empty(), "labels of nothing: {stray:?}");
    }

    #[test]
    fn within_a_struct_no_header_word_names_two_fields() {
        // A header word (label or alias) must find one field of its struct; the common
        // fields count unless the struct overrides them.
        let mut clashes = Vec::new();
        for s in STRUCTS {
            let mut seen: std::collections::BTreeMap<&str, &str> = Default::default();
            for f in s.fields {
                let Some(l) = field_label(s.name, f.name) else {
                    continue;
                };
                for w in std::iter::once(&l.ja).chain(l.aliases) {
                    if let Some(prev) = seen.insert(w, f.name) {
                        if prev != f.name {
                            clashes.push(format!("{}: {w} → {prev} and {}", s.name, f.name));
                        }
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }

    #[test]
    fn within_an_enum_no_word_names_two_values() {
        let mut clashes = Vec::new();
        for s in STRUCTS {
            for f in s.fields {
                let Some(values) = enum_values(&f.ty) else {
                    continue;
                };
                let mut seen: std::collections::BTreeMap<&str, &str> = Default::default();
                for v in values {
                    let Some(l) = value_label(v) else { continue };
                    for w in std::iter::once(&l.ja).chain(l.aliases).chain([&l.value]) {
                        if let Some(prev) = seen.insert(w, l.value) {
                            if prev != l.value {
                                clashes.push(format!(
                                    "{}.{}: {w} → {prev}, {}",
                                    s.name, f.name, l.value
                                ));
                            }
                        }
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }

    #[test]
    fn field_ja_names_labelled_fields_and_keeps_unknown_ones() {
        assert_eq!(field_ja("inventory", "storage_method"), "保管方法");
        assert_eq!(field_ja("inventory", "access_holders"), "アクセス権者");
        assert_eq!(field_ja("workforce", "status"), "状態");
        assert_eq!(field_ja("inventory", "x_custom"), "x_custom");
        assert_eq!(
            path_ja("training_records", "person_id.department_id"),
            "受講者の所属"
        );
        assert_eq!(
            path_ja("contracts", "clauses.audit_right"),
            "契約条項の監査権"
        );
        assert_eq!(path_ja("nothing", "a.b"), "aのb");
    }
}
