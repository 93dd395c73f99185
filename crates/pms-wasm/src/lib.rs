//! The WebAssembly binding of pms: the same calls as the Python binding, translated for
//! JavaScript. All behaviour lives in `pms_core`; this crate converts JS values to the core's
//! JSON-shaped surface and back, and turns diagnostics into thrown `Error`s that carry
//! `code`, `file`, `line`, `column`, `field`, `help` and `diagnostics`.
//!
//! Nothing here touches the network, files or clocks: records arrive as JS objects or text,
//! the evaluation date as a string.

mod depth;

use pms_core::diagnostic::render;
use pms_core::ffi::CheckOptions;
use pms_core::records::{self, Format};
use pms_core::schema::Extensions;
use pms_core::{Diagnostic, RecordSet, Source};
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

mod bench;
mod bounds;
mod internal;
mod ledgers;
mod render;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Records: an object of entity lists, or JSON / YAML text. */
export type Records = Record<string, unknown[]> | string;

/** Options of a check. */
export interface CheckOptions {
  /** Evaluation date yyyy-mm-dd (default: today, from the host's clock). */
  asOf?: string;
  /** jisq15001:2023 (default), jisq15001:2017 or jisq15001:2006. */
  edition?: string;
  /** ja (default) or en. */
  lang?: "ja" | "en";
  /** Parameter overrides, e.g. { training_interval: "6 months" }. */
  params?: Record<string, string | number | boolean>;
  /** List passed subjects as findings too. */
  includePassed?: boolean;
  /** Evaluate only these rules, e.g. ["R-TRN-01", "R-CA-01"] (default: every rule of the pack). */
  only?: string[];
  /** Largest text read, in bytes (default 1 GiB; 0: no limit). */
  maxInputSize?: number;
  /** Called with one event per step of loading and checking. */
  onProgress?: (event: ProgressEvent) => void;
  /** Also tell where each finding's records were read (`report.locations`: file, line,
   * column or cell), as SARIF needs them (`renderReport(report, "sarif")`). */
  locate?: boolean;
}

/** Options of `loadRecords` and `validate`. */
export interface LoadOptions {
  /** Largest text read, in bytes (default 1 GiB; 0: no limit). */
  maxInputSize?: number;
  /** Called with one event per step of loading. */
  onProgress?: (event: ProgressEvent) => void;
}

/** A step of a long load or check. */
export type ProgressEvent =
  | { event: "reading"; file: string; index: number; count: number; bytes: number }
  | { event: "records"; loaded: number }
  | { event: "rules"; done: number; total: number };

/** A finding: one result of one rule for one record. */
export interface Finding {
  id: string;
  rule_id: string;
  title: { ja: string; en: string };
  clause: string | null;
  clause_unverified: boolean;
  shishin: string | null;
  phase: "plan" | "do" | "check" | "act";
  severity: "info" | "minor" | "major" | "critical";
  basis: "law" | "standard" | "scheme" | "practice";
  status: "gap" | "at_risk" | "passed" | "not_applicable" | "insufficient_data";
  subject: { entity: string; id: string; display: string } | null;
  related: { entity: string; id: string }[];
  values: Record<string, unknown>;
  due: string | null;
  days_overdue: number | null;
  completed_on: string | null;
  message: { ja: string; en: string };
  fix: { ja: string; en: string };
  caused_by: string | null;
  /** For a subject that could not be assessed: the fields it needs that are not recorded. */
  missing?: string[];
  /** The department the finding belongs to, when one can be told. */
  department?: { id: string; name?: string };
}

/** The report of a check (the same JSON as `pms check --format json`). */
export interface Report {
  format: number;
  as_of: string;
  edition: string;
  lang: "ja" | "en";
  organization: string | null;
  pms_year_start: string | null;
  summary: {
    rules: number; rules_failed: number; rules_at_risk: number; rules_passed: number;
    rules_not_applicable: number; rules_insufficient_data: number;
    gaps: number; root_cause_gaps: number; explained_gaps: number; at_risk: number;
    gaps_by_severity: Record<string, number>;
  };
  phases: { phase: string; rules: number; rules_with_gaps: number; gaps: number; at_risk: number; closed: boolean }[];
  clauses: { clause: string; rules: string[]; gaps: number; at_risk: number }[];
  coverage: { rule_id: string; title: { ja: string; en: string }; status: string; checked: number; gaps: number; at_risk: number; passed: number; note?: string }[];
  findings: Finding[];
  root_causes: { finding_id: string; consequences: string[] }[];
  deadlines: { finding_id: string; opens?: string; due: string; days_left: number; rule_id: string; title: { ja: string; en: string }; subject: Finding["subject"]; status: string }[];
  records: Record<string, number>;
  /** With the option `locate`: where each finding's record was read, by record id. */
  locations?: Record<string, { file: string; line?: number; column?: number; pointer?: string; cell?: string }>;
}

/** Formats `renderReport` writes (the same bytes as `pms check --format …`). */
export type ReportFormat = "json" | "text" | "html" | "md" | "junit" | "ics" | "sarif" | "oscal-ar" | "oscal-poam";

/** What changed between two checks (`pms diff`). */
export interface ReportDiff {
  format: number;
  before: { as_of: string; organization: string | null; gaps: number; at_risk: number };
  after: { as_of: string; organization: string | null; gaps: number; at_risk: number };
  closed: DiffChange[];
  new: DiffChange[];
  still_open: DiffChange[];
  changed: DiffChange[];
  deadlines_moved: { finding_id: string; rule_id: string; title: { ja: string; en: string }; subject: Finding["subject"]; before: string; after: string; days: number }[];
}

/** A finding whose status changed between two checks (`null`: not listed, i.e. passed). */
export interface DiffChange {
  finding_id: string;
  rule_id: string;
  title: { ja: string; en: string };
  subject: Finding["subject"];
  severity: Finding["severity"];
  before: Finding["status"] | null;
  after: Finding["status"] | null;
}

/** A diagnostic: a problem with the input, with its location. */
export interface Diagnostic {
  code: string;
  level: "error" | "warning";
  message: string;
  /** The message in Japanese. */
  message_ja?: string;
  location?: { file: string; line?: number; column?: number; pointer?: string; field?: string; span?: [number, number] };
  label?: string;
  label_ja?: string;
  help?: string;
  help_ja?: string;
}

/** What `check`, `validate` and `Ruleset` throw on bad input. */
export interface PmsError extends Error {
  kind: "records" | "rules" | "options" | "internal";
  code: string;
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  help?: string;
  /** The help line in Japanese. */
  helpJa?: string;
  /** The diagnostics rendered in Japanese (`message` is the English rendering). */
  messageJa: string;
  diagnostics: Diagnostic[];
}

/** A rule of the catalogue. */
export interface RuleInfo {
  id: string;
  title: { ja: string; en: string };
  explain: { ja: string; en: string };
  clause: string | null;
  clause_unverified: boolean;
  shishin: string | null;
  clauses: { edition: string; number: string; unverified: boolean }[];
  phase: string;
  severity: string;
  basis: string;
  activity: string;
  depends_on: string[];
  entities: string[];
  params: { name: string; default: string }[];
}
"#;

struct Failure {
    kind: &'static str,
    diags: Vec<Diagnostic>,
    sources: Vec<(String, String)>,
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        let err = js_sys::Error::new(render(&f.diags, &f.sources).trim_end());
        err.set_name("PmsError");
        let v: JsValue = err.into();
        set(&v, "kind", &JsValue::from_str(f.kind));
        let ja = pms_core::diagnostic::render_in(&f.diags, &f.sources, pms_core::Lang::Ja);
        set(&v, "messageJa", &JsValue::from_str(ja.trim_end()));
        if let Some(d) = f.diags.first() {
            set(&v, "code", &JsValue::from_str(d.code));
            if let Some(h) = &d.help {
                set(&v, "help", &JsValue::from_str(h));
            }
            if let Some(h) = &d.help_ja {
                set(&v, "helpJa", &JsValue::from_str(h));
            }
            if let Some(loc) = &d.location {
                set(&v, "file", &JsValue::from_str(&loc.file));
                if let Some(l) = loc.line {
                    set(&v, "line", &JsValue::from_f64(l as f64));
                }
                if let Some(c) = loc.column {
                    set(&v, "column", &JsValue::from_f64(c as f64));
                }
                if let Some(fd) = &loc.field {
                    set(&v, "field", &JsValue::from_str(fd));
                }
                if let Some(cell) = &loc.cell {
                    set(&v, "cell", &JsValue::from_str(cell));
                }
            }
        }
        set(&v, "diagnostics", &to_js(&f.diags));
        v
    }
}

fn option_error(message: String, message_ja: String, help: &str, help_ja: &str) -> Failure {
    Failure {
        kind: "options",
        diags: vec![
            Diagnostic::error(pms_core::diagnostic::codes::OPTION, message)
                .ja(message_ja)
                .help(help)
                .help_ja(help_ja),
        ],
        sources: Vec::new(),
    }
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Loads records given from JS, with the extension fields of the rules that check them.
fn load(
    records: JsValue,
    extensions: &Extensions,
    scope: &bounds::Scope,
) -> Result<RecordSet, Failure> {
    let fail = |diags, sources| Failure {
        kind: "records",
        diags,
        sources,
    };
    if let Some(text) = records.as_string() {
        let trimmed = text.trim_start();
        let (name, format) = if trimmed.starts_with('{') || trimmed.starts_with('[') {
            ("records.json", Format::Json)
        } else {
            ("records.yaml", Format::Yaml)
        };
        scope.check(name, text.len())?;
        return records::load_str_observed(
            name,
            &text,
            format,
            extensions,
            scope.progress().as_ref(),
        )
        .map_err(|d| fail(d, vec![(name.to_string(), text.clone())]));
    }
    if records.is_object() {
        // Converting recurses once per level: a deeper (or self-containing) value is E1022.
        if let Some(pointer) = depth::too_deep(&records) {
            return Err(Failure {
                kind: "records",
                diags: vec![Diagnostic::error(
                    pms_core::diagnostic::codes::RECORD_NESTING,
                    format!(
                        "records nested deeper than {} levels of lists and objects (or an object that contains itself)",
                        pms_core::limits::MAX_RECORD_NESTING
                    ),
                )
                .ja(format!(
                    "記録のリストとオブジェクトの入れ子が {} 段を超えている（または自分自身を含むオブジェクト）",
                    pms_core::limits::MAX_RECORD_NESTING
                ))
                .at(pms_core::Location {
                    file: "<input>".into(),
                    pointer: Some(pointer),
                    ..pms_core::Location::default()
                })
                .help("pass plain data: records nest a few levels (entity, record, list, object)")
                .help_ja("素のデータを渡す")],
                sources: Vec::new(),
            });
        }
        let value: serde_json::Value =
            serde_wasm_bindgen::from_value(records).map_err(|e| Failure {
                kind: "records",
                diags: vec![Diagnostic::error(
                    pms_core::diagnostic::codes::BAD_SHAPE,
                    format!("records are not plain data: {e}"),
                )
                .ja(format!("記録が素のデータではない: {e}"))
                .help("pass an object of entity lists, or JSON / YAML text")
                .help_ja("エンティティのリストのオブジェクトか、JSON／YAML のテキストを渡す")],
                sources: Vec::new(),
            })?;
        return records::load_json_with(value, extensions).map_err(|d| fail(d, Vec::new()));
    }
    Err(Failure {
        kind: "records",
        diags: vec![Diagnostic::error(
            pms_core::diagnostic::codes::BAD_SHAPE,
            "records must be an object of entity lists, or JSON / YAML text",
        )
        .ja("記録はエンティティのリストのオブジェクトか、JSON／YAML のテキストで渡す")
        .help("e.g. check({ workforce: [...] }, { asOf: \"2026-03-31\" })")
        .help_ja("例: check({ workforce: [...] }, { asOf: \"2026-03-31\" })")],
        sources: Vec::new(),
    })
}

fn options(opts: JsValue) -> Result<CheckOptions, Failure> {
    let mut o = CheckOptions {
        as_of: String::new(),
        ..Default::default()
    };
    if opts.is_undefined() || opts.is_null() {
        o.as_of = today();
        return Ok(o);
    }
    if !opts.is_object() {
        return Err(option_error(
            "options must be an object".into(),
            "オプションはオブジェクトで渡す".into(),
            "e.g. { asOf: \"2026-03-31\", lang: \"en\" }",
            "例: { asOf: \"2026-03-31\", lang: \"en\" }",
        ));
    }
    let get =
        |k: &str| js_sys::Reflect::get(&opts, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let text = |k: &str| -> Result<Option<String>, Failure> {
        let v = get(k);
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        v.as_string().map(Some).ok_or_else(|| {
            option_error(
                format!("option `{k}` must be a string"),
                format!("オプション `{k}` は文字列にする"),
                "see the CheckOptions type",
                "CheckOptions 型を参照",
            )
        })
    };
    // A flag given as anything but a boolean (`"yes"`, `1`) is an error, not quietly false.
    let flag = |k: &str| -> Result<bool, Failure> {
        let v = get(k);
        if v.is_undefined() || v.is_null() {
            return Ok(false);
        }
        v.as_bool().ok_or_else(|| {
            option_error(
                format!("option `{k}` must be true or false"),
                format!("オプション `{k}` は true か false にする"),
                "e.g. { includePassed: true }",
                "例: { includePassed: true }",
            )
        })
    };
    o.as_of = text("asOf")?.unwrap_or_else(today);
    o.edition = text("edition")?;
    o.lang = text("lang")?;
    o.include_passed = flag("includePassed")?;
    // Read by the caller (`locate` adds the records' places for SARIF); checked here.
    flag("locate")?;
    let only = get("only");
    if !(only.is_undefined() || only.is_null()) {
        if !js_sys::Array::is_array(&only) {
            return Err(option_error(
                "option `only` must be an array of rule ids".into(),
                "オプション `only` はルール id の配列にする".into(),
                "e.g. { only: [\"R-TRN-01\"] }",
                "例: { only: [\"R-TRN-01\"] }",
            ));
        }
        for id in js_sys::Array::from(&only).iter() {
            let Some(id) = id.as_string() else {
                return Err(option_error(
                    "option `only` must hold rule ids (strings)".into(),
                    "オプション `only` にはルール id（文字列）を入れる".into(),
                    "e.g. { only: [\"R-TRN-01\"] }",
                    "例: { only: [\"R-TRN-01\"] }",
                ));
            };
            o.only.push(id);
        }
        // The same error as the command line's `--only ""` and Python's `only=[]`.
        if o.only.is_empty() || o.only.iter().any(|r| r.trim().is_empty()) {
            return Err(option_error(
                "the rule list of `only` names no rule".into(),
                "`only` のルール一覧にルールがない".into(),
                "give rule ids such as R-TRN-01, or leave `only` out to check every rule",
                "R-TRN-01 のようなルール id を書くか、`only` を外してすべてのルールを点検する",
            ));
        }
    }
    // An option this function does not read would be ignored silently (`as_of` for
    // `asOf` ran the check at today's date).
    const KNOWN: [&str; 9] = [
        "asOf",
        "edition",
        "lang",
        "includePassed",
        "only",
        "params",
        "maxInputSize",
        "onProgress",
        "locate",
    ];
    for key in js_sys::Object::keys(&js_sys::Object::from(opts.clone())).iter() {
        let key = key.as_string().unwrap_or_default();
        if !KNOWN.contains(&key.as_str()) {
            let camel: String = key
                .split('_')
                .enumerate()
                .map(|(i, w)| {
                    let mut c = w.chars();
                    match (i, c.next()) {
                        (0, Some(f)) => f.to_string() + c.as_str(),
                        (_, Some(f)) => f.to_uppercase().collect::<String>() + c.as_str(),
                        (_, None) => String::new(),
                    }
                })
                .collect();
            let guess = KNOWN
                .iter()
                .find(|k| **k == camel)
                .copied()
                .or_else(|| pms_core::schema::suggest(&key, KNOWN));
            return Err(option_error(
                format!("unknown option `{key}`"),
                format!("未知のオプション `{key}`"),
                &guess.map_or_else(
                    || format!("the options are {}", KNOWN.join(", ")),
                    |g| format!("did you mean `{g}`?"),
                ),
                &guess.map_or_else(
                    || format!("オプション: {}", KNOWN.join(", ")),
                    |g| format!("`{g}` の誤りではないか"),
                ),
            ));
        }
    }
    let params = get("params");
    if params.is_object() {
        let entries = js_sys::Object::entries(&js_sys::Object::from(params));
        for e in entries.iter() {
            let pair = js_sys::Array::from(&e);
            let k = pair.get(0).as_string().unwrap_or_default();
            let v = pair.get(1);
            let v = v
                .as_string()
                .or_else(|| v.as_f64().map(|n| n.to_string()))
                .or_else(|| v.as_bool().map(|b| b.to_string()))
                .unwrap_or_default();
            o.params.push((k, v));
        }
    }
    Ok(o)
}

fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// A compiled rule program: the built-in packs plus optional user rule sources. Compile once,
/// check many record sets.
#[wasm_bindgen]
pub struct Ruleset {
    program: Arc<pms_core::Program>,
}

#[wasm_bindgen]
impl Ruleset {
    /// Compiles the built-in rules and, optionally, user rules given as `{name: text}`; each
    /// text is within `maxInputSize` of the options (E1021 naming its key).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] user_rules: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] opts: JsValue,
    ) -> Result<Ruleset, JsValue> {
        let scope = load_scope(&opts)?;
        let mut sources = Vec::new();
        // Rule files are `{ name: text }`: anything else would compile no rule silently.
        let shape = || Failure {
            kind: "rules",
            diags: vec![Diagnostic::error(
                pms_core::diagnostic::codes::OPTION,
                "rule files must be given as an object of file names and texts",
            )
            .ja("ルールファイルはファイル名とテキストのオブジェクトで渡す")
            .help("e.g. new Ruleset({ \"our-rules.pms\": text })")
            .help_ja("例: new Ruleset({ \"our-rules.pms\": text })")],
            sources: Vec::new(),
        };
        if !(user_rules.is_undefined() || user_rules.is_null()) {
            if !user_rules.is_object() || js_sys::Array::is_array(&user_rules) {
                return Err(shape().into());
            }
            for e in js_sys::Object::entries(&js_sys::Object::from(user_rules)).iter() {
                let pair = js_sys::Array::from(&e);
                let name = pair.get(0).as_string().unwrap_or_default();
                let Some(text) = pair.get(1).as_string() else {
                    let mut f = shape();
                    if let Some(d) = f.diags.first_mut() {
                        d.message = format!("the rule file `{name}` is not text");
                        d.message_ja = Some(format!("ルールファイル `{name}` がテキストではない"));
                    }
                    return Err(f.into());
                };
                scope.check_rules(&name, text.len())?;
                sources.push(Source { name, text });
            }
        }
        Ok(Ruleset::compile(sources)?)
    }

    /// Checks records and returns the report as a plain object.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Records")] records: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
    ) -> Result<JsValue, JsValue> {
        let scope = bounds::Scope::enter(&opts)?;
        let set = load(records, &self.program.extensions, &scope)?;
        Ok(to_js(&self.evaluate(&set, opts)?))
    }

    /// Checks records and returns the report as JSON text (byte-identical to the CLI's).
    #[wasm_bindgen(js_name = checkJson)]
    pub fn check_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Records")] records: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
    ) -> Result<String, JsValue> {
        let scope = bounds::Scope::enter(&opts)?;
        let set = load(records, &self.program.extensions, &scope)?;
        Ok(self.evaluate(&set, opts)?.to_json())
    }

    /// Checks a record set loaded once by `loadRecords`; returns the report as an object.
    #[wasm_bindgen(js_name = checkLoaded, unchecked_return_type = "Report")]
    pub fn check_loaded(
        &self,
        records: &LoadedRecords,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
    ) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.evaluate(&records.inner, opts)?))
    }

    /// Checks a record set loaded once by `loadRecords`; returns the report as JSON text.
    #[wasm_bindgen(js_name = checkLoadedJson)]
    pub fn check_loaded_json(
        &self,
        records: &LoadedRecords,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
    ) -> Result<String, JsValue> {
        Ok(self.evaluate(&records.inner, opts)?.to_json())
    }

    /// The rule catalogue with the clause numbers of an edition.
    #[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
    pub fn rules(&self, edition: Option<String>) -> Result<JsValue, JsValue> {
        let edition = edition.unwrap_or_else(|| "jisq15001:2023".into());
        let list = pms_core::ffi::rules_json(&self.program, &edition).map_err(|diags| Failure {
            kind: "options",
            diags,
            sources: Vec::new(),
        })?;
        Ok(to_js(&list))
    }

    /// The PDCA graph as `dot` or `mermaid` text.
    pub fn graph(&self, format: Option<String>) -> Result<String, JsValue> {
        match format.as_deref().unwrap_or("dot") {
            "dot" => Ok(self.program.graph.to_dot()),
            "mermaid" => Ok(self.program.graph.to_mermaid()),
            other => Err(option_error(
                format!("unknown graph format `{other}`"),
                format!("未知のグラフ形式 `{other}`"),
                "use `dot` or `mermaid`",
                "`dot` か `mermaid` を使う",
            )
            .into()),
        }
    }
}

impl Ruleset {
    /// Compiles the built-in rules with user rule sources.
    fn compile(sources: Vec<Source>) -> Result<Ruleset, Failure> {
        match pms_rules::compile_with(sources.clone()) {
            Ok(p) => Ok(Ruleset {
                program: Arc::new(p),
            }),
            Err(diags) => {
                let all = pms_rules::builtin_sources()
                    .into_iter()
                    .chain(sources)
                    .map(|s| (s.name, s.text))
                    .collect();
                Err(Failure {
                    kind: "rules",
                    diags,
                    sources: all,
                })
            }
        }
    }

    /// Evaluates loaded records with options given from JS: the one path of every check call.
    fn evaluate(&self, set: &RecordSet, opts: JsValue) -> Result<pms_core::Report, Failure> {
        internal::test_panic();
        let scope = bounds::Scope::enter(&opts)?;
        let locate = opts.is_object()
            && js_sys::Reflect::get(&opts, &JsValue::from_str("locate"))
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
        let o = options(opts)?;
        let mut report =
            pms_core::ffi::check_observed(&self.program, set, &o, scope.progress().as_ref())
                .map_err(|diags| Failure {
                    kind: "options",
                    diags,
                    sources: Vec::new(),
                })?;
        // Where the findings' records are (file, line, column), for SARIF: as the CLI's
        // `--format sarif`.
        if locate {
            report.locate(set);
        }
        Ok(report)
    }
}

/// Records loaded and validated once, to be checked any number of times (at several dates,
/// or by several rulesets) without reading them again.
#[wasm_bindgen(js_name = RecordSet)]
pub struct LoadedRecords {
    inner: RecordSet,
}

#[wasm_bindgen(js_class = RecordSet)]
impl LoadedRecords {
    /// The number of records of each entity present.
    #[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
    pub fn counts(&self) -> JsValue {
        to_js(&self.inner.counts())
    }

    /// The number of records.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }
}

/// The bounds of `loadRecords` and `validate`, whose options are `maxInputSize` and
/// `onProgress` only.
fn load_scope(opts: &JsValue) -> Result<bounds::Scope, Failure> {
    if !(opts.is_undefined() || opts.is_null()) {
        if !opts.is_object() {
            return Err(option_error(
                "options must be an object".into(),
                "オプションはオブジェクトで渡す".into(),
                "e.g. { maxInputSize: 4 * 1024 ** 3 }",
                "例: { maxInputSize: 4 * 1024 ** 3 }",
            ));
        }
        for key in js_sys::Object::keys(&js_sys::Object::from(opts.clone())).iter() {
            let key = key.as_string().unwrap_or_default();
            if key != "maxInputSize" && key != "onProgress" {
                return Err(option_error(
                    format!("unknown option `{key}`"),
                    format!("未知のオプション `{key}`"),
                    "the options of loading are maxInputSize and onProgress",
                    "読み込みのオプションは maxInputSize と onProgress",
                ));
            }
        }
    }
    bounds::Scope::enter(opts)
}

/// Loads and validates records once (an object of entity lists, or JSON / YAML text).
#[wasm_bindgen(js_name = loadRecords)]
pub fn load_records(
    #[wasm_bindgen(unchecked_param_type = "Records")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] opts: JsValue,
) -> Result<LoadedRecords, JsValue> {
    let scope = load_scope(&opts)?;
    Ok(LoadedRecords {
        inner: load(records, &Extensions::none(), &scope)?,
    })
}

thread_local! {
    static DEFAULT: std::cell::OnceCell<Result<Arc<pms_core::Program>, Vec<Diagnostic>>> = const { std::cell::OnceCell::new() };
}

fn default_ruleset() -> Result<Ruleset, JsValue> {
    DEFAULT.with(
        |cell| match cell.get_or_init(|| pms_rules::compile_builtin().map(Arc::new)) {
            Ok(p) => Ok(Ruleset {
                program: Arc::clone(p),
            }),
            Err(d) => Err(Failure {
                kind: "rules",
                diags: d.clone(),
                sources: Vec::new(),
            }
            .into()),
        },
    )
}

/// Checks records against the built-in rules.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Records")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    default_ruleset()?.check(records, opts)
}

/// Checks records and returns the report as JSON text.
#[wasm_bindgen(js_name = checkJson)]
pub fn check_json(
    #[wasm_bindgen(unchecked_param_type = "Records")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
) -> Result<String, JsValue> {
    default_ruleset()?.check_json(records, opts)
}

/// Files given as `[{name, text}]` or `[{name, bytes}]`, or as an object `{name: text or
/// Uint8Array}`: rule files (`*.pms`), spreadsheet and CSV ledgers (as bytes), and the other
/// (record) files.
struct Files {
    rules: Vec<Source>,
    ledgers: Vec<(String, Vec<u8>)>,
    others: Vec<(String, String)>,
}

fn split_files(files: &JsValue) -> Files {
    let mut out = Files {
        rules: Vec::new(),
        ledgers: Vec::new(),
        others: Vec::new(),
    };
    let entries: Vec<(String, JsValue, JsValue)> = if js_sys::Array::is_array(files) {
        js_sys::Array::from(files)
            .iter()
            .map(|item| {
                let get = |k: &str| {
                    js_sys::Reflect::get(&item, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
                };
                (
                    get("name").as_string().unwrap_or_default(),
                    get("text"),
                    get("bytes"),
                )
            })
            .collect()
    } else if files.is_object() {
        js_sys::Object::entries(&js_sys::Object::from(files.clone()))
            .iter()
            .map(|pair| {
                let pair = js_sys::Array::from(&pair);
                let value = pair.get(1);
                let name = pair.get(0).as_string().unwrap_or_default();
                if value.is_string() {
                    (name, value, JsValue::UNDEFINED)
                } else {
                    (name, JsValue::UNDEFINED, value)
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    for (name, text, bytes) in entries {
        let bytes = if bytes.is_object() {
            Some(js_sys::Uint8Array::new(&bytes).to_vec())
        } else {
            None
        };
        if pms_ledgers::is_ledger_name(&name) {
            let b = bytes.unwrap_or_else(|| text.as_string().unwrap_or_default().into_bytes());
            out.ledgers.push((name, b));
            continue;
        }
        let text = text
            .as_string()
            .or_else(|| bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
            .unwrap_or_default();
        if name.ends_with(".pms") {
            out.rules.push(Source { name, text });
        } else {
            out.others.push((name, text));
        }
    }
    out
}

fn load_files(
    files: Vec<(String, String)>,
    ledger_files: &[(String, Vec<u8>)],
    imported: Option<&str>,
    extensions: &Extensions,
    scope: &bounds::Scope,
) -> Result<RecordSet, Failure> {
    let total = files
        .iter()
        .map(|f| f.1.len())
        .chain(ledger_files.iter().map(|f| f.1.len()))
        .fold(0usize, usize::saturating_add);
    scope.check("the record files", total)?;
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    let mut texts = Vec::new();
    let ledgers = match ledgers::imported(ledger_files, imported) {
        Ok(l) => l,
        Err(d) => {
            diags.extend(d);
            pms_ledgers::imported::Imported::default()
        }
    };
    for (name, text) in files {
        texts.push((name.clone(), text.clone()));
        let Some(format) = Format::from_name(&name) else {
            diags.push(Diagnostic::error(pms_core::diagnostic::codes::IO, format!("`{name}` is neither .json nor .yaml")).ja(format!("`{name}` は .json でも .yaml でもない")).at(pms_core::Location { file: name.clone(), ..Default::default() }).help("record files are *.json, *.yaml or *.yml; ledgers are .xlsx, .xlsm, .ods, .csv or .tsv").help_ja("記録ファイルは *.json、*.yaml、*.yml、台帳は .xlsx、.xlsm、.ods、.csv、.tsv"));
            continue;
        };
        let stem = name
            .rsplit('/')
            .next()
            .unwrap_or(&name)
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string();
        match records::Document::parse(&name, text, format, Some(stem)) {
            Ok(d) => docs.push(d),
            Err(d) => diags.push(*d),
        }
    }
    if !diags.is_empty() {
        return Err(Failure {
            kind: "records",
            diags,
            sources: texts,
        });
    }
    pms_ledgers::imported::load(ledgers, docs, extensions).map_err(|d| Failure {
        kind: "records",
        diags: d,
        sources: texts,
    })
}

/// Checks record files given as `[{name, text}]` (one document, or one file per entity named
/// after it), with spreadsheet and CSV ledgers as `{name, bytes}` (or an object
/// `{"台帳.xlsx": Uint8Array}`); errors name the file, line and column, or the cell.
#[wasm_bindgen(js_name = checkFiles, unchecked_return_type = "Report")]
pub fn check_files(
    #[wasm_bindgen(
        unchecked_param_type = "{ name: string; text?: string; bytes?: Uint8Array }[] | Record<string, string | Uint8Array>"
    )]
    files: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let (ruleset, set) = compile_and_load(&files, &opts, None)?;
    Ok(to_js(&ruleset.evaluate(&set, opts)?))
}

/// The rule files among `files` compiled (the built-in catalogue when there are none) and the
/// other files loaded as records, within the options' bounds: what `checkFiles` and
/// `renderSummary` read.
/// `imported` is what the ledger module read of the ledgers among `files`
/// ([`ledgers::imported`]).
fn compile_and_load(
    files: &JsValue,
    opts: &JsValue,
    imported: Option<&str>,
) -> Result<(Ruleset, RecordSet), JsValue> {
    let Files {
        rules,
        ledgers,
        others,
    } = split_files(files);
    let scope = bounds::Scope::enter(opts)?;
    for r in &rules {
        scope.check_rules(&r.name, r.text.len())?;
    }
    let ruleset = if rules.is_empty() {
        default_ruleset()?
    } else {
        Ruleset::compile(rules)?
    };
    let set = load_files(
        others,
        &ledgers,
        imported,
        &ruleset.program.extensions,
        &scope,
    )?;
    Ok((ruleset, set))
}

/// A renewal application summary (様式7 教育 when `form` is 7, 様式8 内部監査・マネジメント
/// レビュー when 8) of the two years up to `asOf`, as `md` or `csv` text: `pms summary`.
/// Files as `checkFiles` takes them; the options `asOf`, `lang` and `maxInputSize`.
#[wasm_bindgen(js_name = renderSummary)]
pub fn render_summary(
    #[wasm_bindgen(
        unchecked_param_type = "{ name: string; text?: string; bytes?: Uint8Array }[] | Record<string, string | Uint8Array>"
    )]
    files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "7 | 8")] form: u32,
    #[wasm_bindgen(unchecked_param_type = "\"md\" | \"csv\"")] format: String,
    #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] opts: JsValue,
) -> Result<String, JsValue> {
    summary_of(&files, form, &format, opts, None)
}

/// `renderSummary` with the ledgers among `files` read by the ledger module.
fn summary_of(
    files: &JsValue,
    form: u32,
    format: &str,
    opts: JsValue,
    imported: Option<&str>,
) -> Result<String, JsValue> {
    let Some(form) = pms_render::summary::Form::from_number(form) else {
        return Err(option_error(
            format!("unknown form `{form}`"),
            format!("未知の様式 `{form}`"),
            "use 7 (training) or 8 (audits and reviews)",
            "7（教育）か 8（監査とレビュー）を使う",
        )
        .into());
    };
    let (ruleset, set) = compile_and_load(files, &opts, imported)?;
    let o = options(opts)?;
    let fail = |diags| Failure {
        kind: "options",
        diags,
        sources: Vec::new(),
    };
    let lang = o.lang.unwrap_or_else(|| "ja".into());
    let summary = pms_render::summary::of_records(&ruleset.program, &set, form, &o.as_of, &lang)
        .map_err(fail)?;
    let bytes = pms_render::summary::write(&summary, format).map_err(fail)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Validates records; returns the number of records per entity, or throws.
#[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Records")] records: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let scope = load_scope(&opts)?;
    let set = load(records, &Extensions::none(), &scope)?;
    Ok(to_js(&set.counts()))
}

/// The built-in rule catalogue.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules(edition: Option<String>) -> Result<JsValue, JsValue> {
    default_ruleset()?.rules(edition)
}

/// The PDCA graph.
#[wasm_bindgen]
pub fn graph(format: Option<String>) -> Result<String, JsValue> {
    default_ruleset()?.graph(format)
}

/// The embedded sample company 見本株式会社 as YAML text.
#[wasm_bindgen(js_name = sampleCompany)]
pub fn sample_company() -> String {
    pms_rules::SAMPLE_COMPANY.1.to_string()
}

/// The report and diagnostics schemas as `pms_core::jsonschema` derives them with schemars,
/// embedded from `docs/schema/` (a pms-rules test keeps those files equal to the derived ones)
/// so that schemars and the types' schema code stay out of the module (issue 12: size).
const REPORT_SCHEMA: &str = include_str!("../../../docs/schema/report.schema.json");
const DIAGNOSTICS_SCHEMA: &str = include_str!("../../../docs/schema/diagnostics.schema.json");

/// A JSON Schema: `records`, `report` or `diagnostics`.
#[wasm_bindgen]
pub fn schema(which: Option<String>) -> Result<JsValue, JsValue> {
    let embedded = |text: &str| {
        serde_json::from_str::<serde_json::Value>(text).map_err(|e| {
            option_error(
                format!("embedded schema: {e}"),
                format!("埋め込みのスキーマ: {e}"),
                "rebuild the package",
                "パッケージをビルドし直す",
            )
        })
    };
    let v = match which.as_deref().unwrap_or("records") {
        "records" => pms_core::jsonschema::records_schema(),
        "report" => embedded(REPORT_SCHEMA)?,
        "diagnostics" => embedded(DIAGNOSTICS_SCHEMA)?,
        other => {
            return Err(option_error(
                format!("unknown schema `{other}`"),
                format!("未知のスキーマ `{other}`"),
                "use `records`, `report` or `diagnostics`",
                "`records`、`report`、`diagnostics` のどれかを使う",
            )
            .into())
        }
    };
    Ok(to_js(&v))
}
