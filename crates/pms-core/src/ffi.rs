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
        .help("write an existing date as yyyy-mm-dd, e.g. 2025-04-01")]
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
        .help("use `ja` or `en`")]),
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
        .help(help)]);
    };
    let mut rules: Vec<&crate::Rule> = program
        .rules
        .iter()
        .filter(|r| r.in_pack(edition))
        .collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
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
