//! The native half of the `pms` Python package: a translator between Python strings and
//! the JSON-shaped surface of `pms_core::ffi`. All behaviour lives in the core; this module
//! only moves text across and releases the GIL while the engine works.
//!
//! Errors cross as `NativeError(kind, rendered, diagnostics_json, rendered_ja)` (rendered in
//! English and in Japanese); the Python layer turns them into `pms.RecordsError`,
//! `pms.RulesError` or `pms.OptionsError` with `.code`, `.file`, `.line`, `.column`, `.field`,
//! `.help` and their Japanese `.message_ja`, `.help_ja`. No panic can cross: the engine does not
//! panic by construction, and one that did is caught here and raised as
//! `pms.InternalError` (`E9001`) naming the input.

use pms_core::batch;
use pms_core::diagnostic::render_in;
use pms_core::ffi::CheckOptions;
use pms_core::records::{self, Format};
use pms_core::schema::Extensions;
use pms_core::{Diagnostic, RecordSet, Source};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use std::borrow::Cow;
use std::sync::Arc;

mod boundary;

pyo3::create_exception!(
    _pms,
    NativeError,
    PyException,
    "An error of pms with its diagnostics as JSON."
);

mod render;

/// What went wrong, with the texts needed to show it.
struct Failure {
    kind: &'static str,
    diags: Vec<Diagnostic>,
    sources: Vec<(String, String)>,
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> PyErr {
        let rendered = render_in(&f.diags, &f.sources, pms_core::Lang::En);
        let rendered_ja = render_in(&f.diags, &f.sources, pms_core::Lang::Ja);
        let json = serde_json::to_string(&f.diags).unwrap_or_else(|_| "[]".into());
        NativeError::new_err((f.kind, rendered, json, rendered_ja))
    }
}

/// Runs `f`, an entry point's work on `input`, turning a panic (a bug in pms) into an
/// internal error (`E9001`, `pms.InternalError`) instead of a `PanicException`.
fn guarded<T>(input: &str, f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    pms_core::ffi::catch_internal(input, f).unwrap_or_else(|diags| {
        Err(Failure {
            kind: "internal",
            diags,
            sources: Vec::new(),
        })
    })
}

/// How an error names records given as `kind` and `payload`.
fn records_input(kind: &str, payload: &str) -> String {
    if kind == "path" {
        format!("records `{payload}`")
    } else {
        format!("{kind} records given as text")
    }
}

/// Runs `work` on records given as `kind` and `payload` with the GIL released, within the
/// bounds of `max_input_size` and `progress`; a panic becomes an internal error naming the
/// records. Every entry point that reads records goes through here.
fn on_records<T: Send>(
    py: Python<'_>,
    kind: String,
    payload: String,
    max_input_size: Option<u64>,
    progress: Option<Py<PyAny>>,
    work: impl FnOnce(&str, &str, &boundary::Bounds) -> Result<T, Failure> + Send,
) -> PyResult<T> {
    let bounds = boundary::Bounds::new(max_input_size, progress);
    py.detach(move || {
        guarded(&records_input(&kind, &payload), || {
            work(&kind, &payload, &bounds)
        })
    })
    .map_err(PyErr::from)
}

/// Loads records (`kind` is `path`, `json` or `yaml`) with the extension fields of the rules
/// that check them, within the limits and telling the progress callback of `bounds`.
fn load(
    kind: &str,
    payload: &str,
    extensions: &Extensions,
    bounds: &boundary::Bounds,
) -> Result<RecordSet, Failure> {
    let fail = |diags, sources| Failure {
        kind: "records",
        diags,
        sources,
    };
    if kind != "path" {
        bounds
            .limits
            .check("<records>", payload.len() as u64)
            .map_err(|d| fail(vec![*d], Vec::new()))?;
    }
    match kind {
        "path" if pms_ledgers::has_ledgers(std::path::Path::new(payload)) => {
            let options = pms_ledgers::ReadOptions {
                input: bounds.limits,
                ..pms_ledgers::ReadOptions::default()
            };
            pms_ledgers::load_path(std::path::Path::new(payload), &options, extensions)
                .map(|(set, _)| set)
                .map_err(|d| fail(d, Vec::new()))
        }
        "path" => {
            let path = std::path::Path::new(payload);
            let opts = records::LoadOptions {
                limits: bounds.limits,
                progress: bounds.progress.clone(),
            };
            records::load_path_opts(path, extensions, &opts)
                .map_err(|e| fail(e.diagnostics, e.sources))
        }
        "json" | "yaml" => {
            let format = if kind == "json" {
                Format::Json
            } else {
                Format::Yaml
            };
            let progress = bounds.progress.as_ref();
            records::load_str_observed("<records>", payload, format, extensions, progress)
                .map_err(|d| fail(d, vec![("<records>".into(), payload.to_string())]))
        }
        "tables" => load_tables(payload, extensions).map_err(|d| fail(d, Vec::new())),
        other => Err(Failure {
            kind: "options",
            diags: vec![Diagnostic::error(
                pms_core::diagnostic::codes::OPTION,
                format!("unknown record payload kind `{other}`"),
            )
            .ja(format!("未知の記録ペイロードの種類 `{other}`"))],
            sources: Vec::new(),
        }),
    }
}

/// Loads records like [`load`], naming text payloads `name` in diagnostics (a path names
/// itself); only the diagnostics are kept on failure.
fn load_named(
    kind: &str,
    payload: &str,
    name: &str,
    extensions: &Extensions,
    bounds: &boundary::Bounds,
) -> Result<RecordSet, Vec<Diagnostic>> {
    match kind {
        "json" | "yaml" => {
            bounds
                .limits
                .check(name, payload.len() as u64)
                .map_err(|d| vec![*d])?;
            let format = if kind == "json" {
                Format::Json
            } else {
                Format::Yaml
            };
            records::load_str_with(name, payload, format, extensions)
        }
        "unreadable" => Err(vec![Diagnostic::error(
            pms_core::diagnostic::codes::WRONG_TYPE,
            payload,
        )
        .at(pms_core::Location {
            file: name.to_string(),
            ..pms_core::Location::default()
        })
        .ja(format!("Python から渡せない値がある: {payload}"))
        .help("give records as dates, text, numbers, booleans, lists and dicts")
        .help_ja("記録は日付、文字列、数値、真偽値、リスト、辞書で渡す")]),
        _ => load(kind, payload, extensions, bounds).map_err(|f| f.diags),
    }
}

/// Records given as a mapping some of whose entities are tables (DataFrames): the payload is
/// `{"records": {entity: [..]}, "tables": {name: {"columns": [..], "rows": [[..]]}}}`. The
/// tables are read like spreadsheet sheets (Japanese headers and values included); problems
/// are located at their cells (`workforce!C3`).
fn load_tables(payload: &str, extensions: &Extensions) -> Result<RecordSet, Vec<Diagnostic>> {
    let bad = |m: String| {
        let ja = format!("表のペイロードが正しくない（{m}）");
        vec![Diagnostic::error(pms_core::diagnostic::codes::BAD_SHAPE, m).ja(ja)]
    };
    let value: serde_json::Value =
        serde_json::from_str(payload).map_err(|e| bad(format!("bad table payload: {e}")))?;
    let mut grids = Vec::new();
    if let Some(serde_json::Value::Object(tables)) = value.get("tables") {
        for (name, t) in tables {
            let columns: Vec<String> = t
                .get("columns")
                .and_then(|c| c.as_array())
                .map(|c| {
                    c.iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let rows: Vec<Vec<serde_json::Value>> = t
                .get("rows")
                .and_then(|r| r.as_array())
                .map(|r| {
                    r.iter()
                        .map(|row| row.as_array().cloned().unwrap_or_default())
                        .collect()
                })
                .unwrap_or_default();
            grids.push(pms_ledgers::table_grid(name, &columns, &rows));
        }
    }
    let mut ledgers = pms_ledgers::read_tables(grids, &pms_ledgers::ReadOptions::default())?;
    let docs = match value.get("records") {
        Some(r @ serde_json::Value::Object(_)) => vec![records::Document {
            name: "<records>".into(),
            text: None,
            value: Some(r.clone()),
            entity: None,
        }],
        _ => Vec::new(),
    };
    pms_ledgers::load(&mut ledgers, docs, extensions)
}

/// The options of a check as `pms` passes them, in one tuple:
/// `(as_of, edition, lang, params, include_passed, only, threads)`.
type HostOptions = (
    String,
    String,
    String,
    Vec<(String, String)>,
    bool,
    Vec<String>,
    usize,
);

/// The findings table of many companies (see `Program::check_many`).
fn check_many_table(
    program: &pms_core::Program,
    items: &[(String, String, String)],
    opts: &CheckOptions,
    threads: usize,
    bounds: &boundary::Bounds,
) -> Result<batch::Table, Vec<Diagnostic>> {
    let lang = pms_core::ffi::parse_lang(opts.lang.as_deref().unwrap_or("ja"))?;
    let tables = batch::check_many_with(
        program,
        items,
        opts,
        threads,
        |(kind, payload, name)| load_named(kind, payload, name, &program.extensions, bounds),
        |(_, _, name), outcome| batch::Table::of(name, &outcome, lang),
    )?;
    Ok(batch::Table::concat(tables))
}

fn check_options(options: HostOptions) -> CheckOptions {
    let (as_of, edition, lang, params, include_passed, only, threads) = options;
    CheckOptions {
        as_of,
        edition: Some(edition),
        lang: Some(lang),
        params,
        include_passed,
        only,
        threads,
    }
}

/// Checks a record set: the report as JSON, and (with `locate`, for records read from
/// files) where the findings' records are, as a JSON object (record id → file, line, column;
/// `{}` otherwise). The locations travel beside the report so its JSON stays the same as
/// every other host's; `Report.to_sarif()` puts them back.
fn check_set(
    program: &pms_core::Program,
    set: &RecordSet,
    opts: &CheckOptions,
    bounds: &boundary::Bounds,
    locate: bool,
) -> Result<(String, String), Failure> {
    let mut report = pms_core::ffi::check_observed(program, set, opts, bounds.progress.as_ref())
        .map_err(|diags| Failure {
            kind: "options",
            diags,
            sources: Vec::new(),
        })?;
    let mut locations = String::from("{}");
    if locate {
        report.locate(set);
        locations = serde_json::to_string(&report.locations).unwrap_or(locations);
        report.locations.clear();
    }
    Ok((report.to_json(), locations))
}

/// A column of text as a Python list in which equal texts are one `str` object: a rule's
/// title and fix, a company's name or a status repeat on many rows, and a table of a
/// portfolio holds hundreds of thousands of them.
fn text_list(py: Python<'_>, values: Vec<Option<String>>) -> PyResult<Py<PyAny>> {
    let mut seen: std::collections::HashMap<String, Bound<'_, PyString>> =
        std::collections::HashMap::new();
    let none = py.None().into_bound(py);
    let cells = values.into_iter().map(|v| match v {
        None => none.clone(),
        Some(text) => match seen.get(&text) {
            Some(s) => s.clone().into_any(),
            None => {
                let s = PyString::new(py, &text);
                seen.insert(text, s.clone());
                s.into_any()
            }
        },
    });
    Ok(PyList::new(py, cells)?.into_any().unbind())
}

/// A validated record set, loaded once and checked any number of times.
#[pyclass(frozen, module = "pms._pms")]
struct Loaded {
    inner: Arc<RecordSet>,
    /// Whether the records were read from files (whose locations the report then gives).
    from_path: bool,
}

#[pymethods]
impl Loaded {
    /// The number of records per entity as JSON.
    fn counts(&self) -> String {
        serde_json::to_string(&self.inner.counts()).unwrap_or_else(|_| "{}".into())
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Loads and validates records (`kind` is `path`, `json` or `yaml`) once.
#[pyfunction]
#[pyo3(signature = (kind, payload, max_input_size=None, progress=None))]
fn load_records(
    py: Python<'_>,
    kind: String,
    payload: String,
    max_input_size: Option<u64>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Loaded> {
    let from_path = kind == "path";
    let set = on_records(py, kind, payload, max_input_size, progress, |k, p, b| {
        load(k, p, &Extensions::none(), b)
    })?;
    Ok(Loaded {
        inner: Arc::new(set),
        from_path,
    })
}

/// A compiled rule program (built-in packs plus user rule sources), shared across threads.
#[pyclass(frozen, module = "pms._pms")]
struct Program {
    inner: Arc<pms_core::Program>,
}

#[pymethods]
impl Program {
    /// Compiles the built-in rules with user rule sources given as `(name, text)` pairs.
    #[new]
    fn new(py: Python<'_>, sources: Vec<(String, String)>) -> PyResult<Self> {
        let user: Vec<Source> = sources
            .iter()
            .map(|(name, text)| Source {
                name: name.clone(),
                text: text.clone(),
            })
            .collect();
        let input = format!(
            "the rules {}",
            sources
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let program =
            py.detach(|| pms_core::ffi::catch_internal(&input, || pms_rules::compile_with(user)));
        match program {
            Err(diags) => Err(Failure {
                kind: "internal",
                diags,
                sources: Vec::new(),
            }
            .into()),
            Ok(Ok(p)) => Ok(Program { inner: Arc::new(p) }),
            Ok(Err(diags)) => {
                let mut all: Vec<(String, String)> = pms_rules::builtin_sources()
                    .into_iter()
                    .map(|s| (s.name, s.text))
                    .collect();
                all.extend(sources);
                Err(Failure {
                    kind: "rules",
                    diags,
                    sources: all,
                }
                .into())
            }
        }
    }

    /// Checks records (`kind` is `path`, `json` or `yaml`): the report as JSON and the
    /// locations of its records (see `check_set`).
    #[pyo3(signature = (kind, payload, options, max_input_size=None, progress=None))]
    fn check(
        &self,
        py: Python<'_>,
        kind: String,
        payload: String,
        options: HostOptions,
        max_input_size: Option<u64>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<(String, String)> {
        let program = Arc::clone(&self.inner);
        let opts = check_options(options);
        on_records(py, kind, payload, max_input_size, progress, |k, p, b| {
            let set = load(k, p, &program.extensions, b)?;
            check_set(&program, &set, &opts, b, k == "path")
        })
    }

    /// Loads and validates records once, with the extension fields this program's rule
    /// files declare.
    #[pyo3(signature = (kind, payload, max_input_size=None, progress=None))]
    fn load(
        &self,
        py: Python<'_>,
        kind: String,
        payload: String,
        max_input_size: Option<u64>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Loaded> {
        let program = Arc::clone(&self.inner);
        let from_path = kind == "path";
        let set = on_records(py, kind, payload, max_input_size, progress, |k, p, b| {
            load(k, p, &program.extensions, b)
        })?;
        Ok(Loaded {
            inner: Arc::new(set),
            from_path,
        })
    }

    /// Checks a record set loaded by [`load`]: the report as JSON and the locations of its
    /// records.
    #[pyo3(signature = (records, options, progress=None))]
    fn check_loaded(
        &self,
        py: Python<'_>,
        records: &Loaded,
        options: HostOptions,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<(String, String)> {
        let program = Arc::clone(&self.inner);
        let set = Arc::clone(&records.inner);
        let locate = records.from_path;
        let opts = check_options(options);
        let bounds = boundary::Bounds::new(None, progress);
        py.detach(move || {
            guarded("loaded records", || {
                check_set(&program, &set, &opts, &bounds, locate)
            })
        })
        .map_err(PyErr::from)
    }

    /// Checks many record sets, each given as `(kind, payload, name)` (`kind` as for
    /// [`Program::check`], or `unreadable` with a message for records Python could not
    /// convert; `name` is the company's name in the table and the file of diagnostics about
    /// text payloads), on `threads` threads (0: one per core) with the GIL released. Returns
    /// the findings table as `(column name, list)` pairs in `pms_core::batch::COLUMNS` order
    /// (dates as text). Bad options fail the whole call.
    fn check_many(
        &self,
        py: Python<'_>,
        items: Vec<(String, String, String)>,
        options: HostOptions,
        threads: usize,
    ) -> PyResult<Vec<(&'static str, Py<PyAny>)>> {
        let program = Arc::clone(&self.inner);
        let opts = check_options(options);
        // The default input limits apply to every company; no progress callback.
        let bounds = boundary::Bounds::new(None, None);
        let table = py.detach(move || -> Result<batch::Table, Failure> {
            let options = |diags| Failure {
                kind: "options",
                diags,
                sources: Vec::new(),
            };
            // A company's own internal error is its error row (caught in the core); this
            // guard is for the call itself.
            guarded("check_many", || {
                check_many_table(&program, &items, &opts, threads, &bounds).map_err(options)
            })
        })?;
        table
            .into_columns()
            .into_iter()
            .map(|(name, column)| {
                let list = match column {
                    batch::Column::Text(v) => text_list(py, v)?,
                    batch::Column::Int(v) => v.into_pyobject(py)?.into_any().unbind(),
                };
                Ok((name, list))
            })
            .collect()
    }

    /// A renewal application summary of records (`kind` is `path`, `json` or `yaml`):
    /// `request` is `(form 7 or 8, as_of, lang, format md|csv|xlsx)`; the period is the two
    /// years up to `as_of`.
    fn summary(
        &self,
        py: Python<'_>,
        kind: String,
        payload: String,
        request: (u32, String, String, String),
    ) -> PyResult<Vec<u8>> {
        let (form, as_of, lang, format) = request;
        let program = Arc::clone(&self.inner);
        on_records(py, kind, payload, None, None, |k, p, b| {
            let options = |diags| Failure {
                kind: "options",
                diags,
                sources: Vec::new(),
            };
            let form = pms_render::summary::Form::from_number(form).ok_or_else(|| {
                options(vec![Diagnostic::error(
                    pms_core::diagnostic::codes::OPTION,
                    format!("unknown form `{form}`"),
                )
                .ja(format!("未知の様式 `{form}`"))
                .help("use form=7 (training) or form=8 (audits and reviews)")
                .help_ja("form=7（教育）か form=8（監査とレビュー）を使う")])
            })?;
            let set = load(k, p, &program.extensions, b)?;
            let s = pms_render::summary::of_records(&program, &set, form, &as_of, &lang)
                .map_err(options)?;
            pms_render::summary::write(&s, &format).map_err(options)
        })
    }

    /// The rule catalogue as JSON, with the clause numbers of `edition`.
    fn rules(&self, edition: &str) -> PyResult<String> {
        let list = pms_core::ffi::rules_json(&self.inner, edition).map_err(|diags| Failure {
            kind: "options",
            diags,
            sources: Vec::new(),
        })?;
        Ok(serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()))
    }

    /// The PDCA graph as DOT or Mermaid.
    fn graph(&self, format: &str) -> PyResult<String> {
        match format {
            "dot" => Ok(self.inner.graph.to_dot()),
            "mermaid" => Ok(self.inner.graph.to_mermaid()),
            other => Err(Failure {
                kind: "options",
                diags: vec![Diagnostic::error(
                    pms_core::diagnostic::codes::OPTION,
                    format!("unknown graph format `{other}`"),
                )
                .ja(format!("未知のグラフ形式 `{other}`"))
                .help("use `dot` or `mermaid`")
                .help_ja("`dot` か `mermaid` を使う")],
                sources: Vec::new(),
            }
            .into()),
        }
    }
}

/// Validates records; returns the number of records per entity as JSON.
#[pyfunction]
#[pyo3(signature = (kind, payload, max_input_size=None, progress=None))]
fn validate(
    py: Python<'_>,
    kind: String,
    payload: String,
    max_input_size: Option<u64>,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let set = on_records(py, kind, payload, max_input_size, progress, |k, p, b| {
        load(k, p, &Extensions::none(), b)
    })?;
    Ok(serde_json::to_string(&set.counts()).unwrap_or_else(|_| "{}".into()))
}

/// The JSON Schema of the record format, the report or diagnostics.
#[pyfunction]
fn schema(which: &str) -> PyResult<String> {
    let v = match which {
        "records" => pms_core::jsonschema::records_schema(),
        "report" => pms_core::jsonschema::report_schema(),
        "diagnostics" => pms_core::jsonschema::diagnostics_schema(),
        other => {
            return Err(Failure {
                kind: "options",
                diags: vec![Diagnostic::error(
                    pms_core::diagnostic::codes::OPTION,
                    format!("unknown schema `{other}`"),
                )
                .ja(format!("未知のスキーマ `{other}`"))
                .help("use `records`, `report` or `diagnostics`")
                .help_ja("`records`、`report`、`diagnostics` のどれかを使う")],
                sources: Vec::new(),
            }
            .into())
        }
    };
    Ok(serde_json::to_string_pretty(&v).unwrap_or_default())
}

/// Reads the bytes of a rule file as UTF-8 text; another encoding is a rules error
/// (`E1023`) naming it.
#[pyfunction]
fn decode_rules(name: &str, data: &[u8]) -> PyResult<String> {
    pms_core::text::decode(name, data.to_vec()).map_err(|d| {
        Failure {
            kind: "rules",
            diags: vec![*d],
            sources: Vec::new(),
        }
        .into()
    })
}

fn workbook(result: Result<Vec<u8>, Vec<Diagnostic>>) -> Result<Vec<u8>, Failure> {
    result.map_err(|diags| Failure {
        kind: "records",
        diags,
        sources: Vec::new(),
    })
}

/// The workbook to fill in (xlsx bytes); with `sample`, filled with the sample company.
#[pyfunction]
fn template_workbook(py: Python<'_>, sample: bool) -> PyResult<Cow<'static, [u8]>> {
    let bytes = py.detach(move || {
        if sample {
            let (name, text) = pms_rules::SAMPLE_COMPANY;
            let bounds = boundary::Bounds::new(None, None);
            let set = load("yaml", text, &Extensions::none(), &bounds).map_err(|mut f| {
                f.sources = vec![(name.to_string(), text.to_string())];
                f
            })?;
            workbook(pms_ledgers::template::export(&set))
        } else {
            workbook(pms_ledgers::template::template())
        }
    })?;
    Ok(Cow::Owned(bytes))
}

/// Records in the template's workbook layout (xlsx bytes): records given as a path or text
/// (`kind` is `path`, `json` or `yaml`).
#[pyfunction]
fn export_workbook(py: Python<'_>, kind: String, payload: String) -> PyResult<Cow<'static, [u8]>> {
    let bytes = on_records(py, kind, payload, None, None, |k, p, b| {
        let set = load(k, p, &Extensions::none(), b)?;
        workbook(pms_ledgers::template::export(&set))
    })?;
    Ok(Cow::Owned(bytes))
}

/// Loaded records in the template's workbook layout (xlsx bytes).
#[pyfunction]
fn export_loaded(py: Python<'_>, records: &Loaded) -> PyResult<Cow<'static, [u8]>> {
    let set = records.inner.clone();
    let bytes = py.detach(move || workbook(pms_ledgers::template::export(&set)))?;
    Ok(Cow::Owned(bytes))
}

/// The embedded sample company as YAML text.
#[pyfunction]
fn sample_company() -> (&'static str, &'static str) {
    pms_rules::SAMPLE_COMPANY
}

#[pymodule]
fn _pms(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Program>()?;
    m.add_class::<Loaded>()?;
    m.add_function(wrap_pyfunction!(load_records, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(sample_company, m)?)?;
    m.add_function(wrap_pyfunction!(render::render_report, m)?)?;
    m.add_function(wrap_pyfunction!(render::render_deadlines, m)?)?;
    m.add_function(wrap_pyfunction!(render::diff_reports, m)?)?;
    m.add_function(wrap_pyfunction!(decode_rules, m)?)?;
    m.add_function(wrap_pyfunction!(boundary::read_rule_file, m)?)?;
    m.add_function(wrap_pyfunction!(template_workbook, m)?)?;
    m.add_function(wrap_pyfunction!(export_workbook, m)?)?;
    m.add_function(wrap_pyfunction!(export_loaded, m)?)?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
