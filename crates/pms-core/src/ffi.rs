//! The JSON-shaped call surface that every host (CLI, Python, WebAssembly) uses unchanged.
//!
//! Each function takes plain data (record JSON, option strings) and returns a [`Report`] or
//! diagnostics, so the bindings only translate types.

use crate::diagnostic::{codes, Diagnostic};
use crate::dsl::ast::Lang;
use crate::eval::{evaluate, Options};
use crate::program::Program;
use crate::records::RecordSet;
use crate::report::Report;
use chrono::NaiveDate;

/// Options as the hosts pass them: strings, checked here once.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `yyyy-mm-dd`; required (hosts fill in today).
    pub as_of: String,
    /// Edition name; default `jisq15001:2023`.
    pub edition: Option<String>,
    /// `ja` (default) or `en`.
    pub lang: Option<String>,
    /// Parameter overrides.
    pub params: Vec<(String, String)>,
    /// Include passed subjects in the findings.
    pub include_passed: bool,
    /// Evaluate only these rules (ids); empty means every rule of the edition's pack.
    pub only: Vec<String>,
    /// Threads evaluating rules; 0 chooses (see [`Options::threads`]).
    pub threads: usize,
}

/// Parses host options into engine [`Options`].
///
/// # Errors
/// A diagnostic for a bad date or language.
pub fn options(o: &CheckOptions) -> Result<Options, Vec<Diagnostic>> {
    let as_of = parse_as_of(&o.as_of)?;
    let mut opts = Options::new(as_of);
    if let Some(e) = &o.edition {
        opts.edition.clone_from(e);
    }
    opts.lang = parse_lang(o.lang.as_deref().unwrap_or("ja"))?;
    opts.params.clone_from(&o.params);
    opts.include_passed = o.include_passed;
    opts.only.clone_from(&o.only);
    opts.threads = o.threads;
    Ok(opts)
}

/// Parses an evaluation date.
///
/// # Errors
/// A diagnostic when the text is not an existing `yyyy-mm-dd` date.
pub fn parse_as_of(s: &str) -> Result<NaiveDate, Vec<Diagnostic>> {
    crate::records::parse_date(s.trim()).ok_or_else(|| {
        vec![Diagnostic::error(
            codes::OPTION,
            format!("`{s}` is not a valid evaluation date"),
        )
        .ja(format!("`{s}` は評価日として正しい日付ではない"))
        .help("write an existing date as yyyy-mm-dd, e.g. 2025-04-01")
        .help_ja("実在する日付を yyyy-mm-dd で書く（例: 2025-04-01）")]
    })
}

/// Parses a language.
///
/// # Errors
/// A diagnostic for anything but `ja` and `en`.
pub fn parse_lang(s: &str) -> Result<Lang, Vec<Diagnostic>> {
    match s {
        "ja" => Ok(Lang::Ja),
        "en" => Ok(Lang::En),
        other => Err(vec![Diagnostic::error(
            codes::OPTION,
            format!("unknown language `{other}`"),
        )
        .ja(format!("未知の言語 `{other}`"))
        .help("use `ja` or `en`")
        .help_ja("`ja` か `en` を使う")]),
    }
}

/// Checks a record set with a compiled program.
///
/// # Errors
/// Diagnostics for bad options.
pub fn check(
    program: &Program,
    records: &RecordSet,
    o: &CheckOptions,
) -> Result<Report, Vec<Diagnostic>> {
    evaluate(program, records, &options(o)?)
}

/// [`check`], telling `progress` of every rule evaluated.
///
/// # Errors
/// Diagnostics for bad options.
pub fn check_observed(
    program: &Program,
    records: &RecordSet,
    o: &CheckOptions,
    progress: Option<&crate::input::Progress>,
) -> Result<Report, Vec<Diagnostic>> {
    crate::eval::evaluate_observed(program, records, &options(o)?, progress)
}

/// The rule catalogue as JSON values: id, titles, the clause of `edition` and the clauses of
/// every edition, phase, severity, basis, activity, dependencies, entities read, parameters
/// with their defaults, and what it checks.
///
/// # Errors
/// A diagnostic for an unknown edition.
pub fn rules_json(
    program: &Program,
    edition: &str,
) -> Result<Vec<serde_json::Value>, Vec<Diagnostic>> {
    let Some((_, key, shishin)) = crate::program::EDITIONS.iter().find(|e| e.0 == edition) else {
        let names: Vec<&str> = crate::program::EDITIONS.iter().map(|e| e.0).collect();
        let help = crate::schema::suggest(edition, names.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("editions: {}", names.join(", ")));
        return Err(vec![Diagnostic::error(
            codes::OPTION,
            format!("unknown edition `{edition}`"),
        )
        .ja(format!("未知の版 `{edition}`"))
        .help_ja(
            crate::diagnostic::did_you_mean_ja(&help)
                .unwrap_or_else(|| format!("版: {}", names.join(", "))),
        )
        .help(help)]);
    };
    let mut rules: Vec<&crate::Rule> = program
        .rules
        .iter()
        .filter(|r| r.in_pack(edition))
        .collect();
    crate::sorting::sort_by(&mut rules, |a, b| a.id.cmp(&b.id));
    Ok(rules
        .into_iter()
        .map(|r| {
            let clause = r
                .clause(key)
                .or_else(|| r.clause("appi"))
                .or_else(|| r.clause("pmark"));
            let params: Vec<serde_json::Value> = r
                .params
                .iter()
                .filter_map(|p| program.param(p))
                .map(|p| serde_json::json!({"name": p.name, "default": p.default.to_string()}))
                .collect();
            serde_json::json!({
                "id": r.id,
                "title": r.title,
                "explain": r.explain,
                "clause": clause.map(|c| c.number.clone()),
                "clause_unverified": clause.is_some_and(|c| c.unverified),
                "shishin": r.clause(shishin).map(|c| c.number.clone()),
                "clauses": r.clauses,
                "phase": r.phase,
                "severity": r.severity,
                "basis": r.basis,
                "activity": r.activity,
                "depends_on": r.depends,
                "entities": r.entities,
                "params": params,
            })
        })
        .collect())
}

/// Runs `f`, turning a panic (a bug in pms: the engine does not panic by construction) into
/// an internal error ([`codes::INTERNAL`]) naming `input`, so that no host process is taken
/// down. Hosts call their entry points through it.
///
/// # Errors
/// The internal error, when `f` panicked.
pub fn catch_internal<T>(input: &str, f: impl FnOnce() -> T) -> Result<T, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        vec![internal_error(input, &why)]
    })
}

/// The internal error for a failure of pms itself while it handled `input`.
#[must_use]
pub fn internal_error(input: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::INTERNAL,
        format!("internal error in pms while handling {input}: {why}"),
    )
    .ja(format!(
        "{input} の処理中に pms の内部エラーが起きた: {why}"
    ))
    .help(
        "this is a bug in pms, not in your input: please report it with the input; \
         pms itself is still usable",
    )
    .help_ja("pms の不具合である。入力を添えて報告してほしい")
}

/// A deliberate internal error for the hosts' tests: with the environment variable
/// `PMS_INTERNAL_TEST_PANIC` set, evaluation panics; set to `id:X`, only the evaluation of
/// a record set holding a record with the id `X` does (one company of a batch). Never set
/// it otherwise.
pub(crate) fn test_panic_hook(set: &crate::records::RecordSet) {
    #[cfg(target_family = "wasm")]
    let _ = set;
    #[cfg(not(target_family = "wasm"))]
    if std::env::var_os("PMS_INTERNAL_TEST_PANIC").is_some_and(|v| {
        v.to_str()
            .and_then(|v| v.strip_prefix("id:"))
            .is_none_or(|id| set.by_id(id).is_some())
    }) {
        #[allow(
            clippy::panic,
            reason = "the deliberate failure that the hosts must catch"
        )]
        {
            panic!("PMS_INTERNAL_TEST_PANIC is set: a deliberate internal error");
        }
    }
}
