//! Ledgers in: the options every command takes for spreadsheets and CSV files
//! (`--encoding`, `--max-rows`), the loading of a path that holds ledgers, and
//! `pms import` (ledgers → records in pms's own format, `--map`, `--suggest-map`,
//! `--explain`). The reading itself is `pms-ledgers`'.

use crate::Failure;
use pms_core::diagnostic::codes;
use pms_core::records::Format;
use pms_core::schema::Extensions;
use pms_core::{Diagnostic, Location, RecordSet};
use pms_ledgers::table::{Note, SheetMap};
use pms_ledgers::{Ledgers, ReadOptions};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Options of the spreadsheet and CSV readers, for every command that reads records.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LedgerArgs {
    /// Text encoding of CSV/TSV ledgers (utf-8, shift_jis, euc-jp, utf-16le); detected by default.
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// Most rows a sheet or text ledger may have (default: 100000; Excel's own limit is 1048576).
    #[arg(long, value_name = "N")]
    pub max_rows: Option<u32>,
}

/// `pms import`.
#[derive(clap::Args, Debug, Clone)]
pub struct ImportArgs {
    /// Ledgers (.xlsx, .xlsm, .ods, .csv, .tsv), record files or directories of them.
    #[arg(required_unless_present = "labels", value_name = "SRC")]
    pub sources: Vec<PathBuf>,
    /// Where to write the records (.yaml or .json); standard output when absent.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A map saying which entity each sheet holds and which field each column is.
    #[arg(long, value_name = "MAP")]
    pub map: Option<PathBuf>,
    /// Write the map the reader would use (sheet → entity, column → field) for review.
    #[arg(long, value_name = "FILE")]
    pub suggest_map: Option<PathBuf>,
    /// Show how each sheet was recognised and each value the reader interpreted.
    #[arg(long)]
    pub explain: bool,
    /// Print the accepted sheet names, headers and values (JSON) and exit.
    #[arg(long)]
    pub labels: bool,
    /// How to read spreadsheet and CSV ledgers.
    #[command(flatten)]
    pub ledgers: LedgerArgs,
    /// Language of the error messages: ja (default) or en.
    #[arg(long, default_value = "ja")]
    pub lang: String,
}

static OPTIONS: OnceLock<LedgerArgs> = OnceLock::new();

/// Keeps the reader options of the command line for [`load_ledgers`].
pub fn set_options(args: &LedgerArgs) {
    let _ = OPTIONS.set(args.clone());
}

fn read_options(map: Option<&Path>) -> Result<ReadOptions, Failure> {
    let args = OPTIONS.get().cloned().unwrap_or_default();
    let mut o = ReadOptions {
        encoding: args.encoding,
        input: crate::files::limits(),
        ..ReadOptions::default()
    };
    if let Some(n) = args.max_rows {
        o.limits.max_rows = n;
    }
    if let Some(m) = map {
        o.maps = read_map(m)?;
    }
    Ok(o)
}

/// A [`codes::BAD_MAP`] error: its message in English and Japanese.
fn map_error(file: &str, message: [String; 2]) -> Failure {
    let [message, message_ja] = message;
    (
        vec![Diagnostic::error(codes::BAD_MAP, message)
            .ja(message_ja)
            .at(Location {
                file: file.to_owned(),
                ..Location::default()
            })
            .help("a map is `\"file.xlsx!sheet\": {entity: training_records, columns: {\"header\": field}}`; a column may be `ignore`")
            .help_ja("対応表は `\"file.xlsx!sheet\": {entity: training_records, columns: {\"header\": field}}` の形。列は `ignore` にもできる")],
        Vec::new(),
    )
}

/// Reads a map file (YAML or JSON): sheet (`file!sheet`, sheet or file name) → entity and
/// columns.
fn read_map(path: &Path) -> Result<BTreeMap<String, SheetMap>, Failure> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        crate::fail(vec![Diagnostic::error(
            codes::IO,
            format!("cannot read map `{name}`: {e}"),
        )
        .ja(format!(
            "対応表 `{name}` を読めない: {}",
            pms_core::input::io_reason_ja(&e)
        ))])
    })?;
    let value = pms_core::text::parse_yaml(&text).map_err(|e| {
        map_error(
            &name,
            [
                format!("map `{name}` is not YAML: {}", e.message),
                format!(
                    "対応表 `{name}` が YAML として正しくない: {}",
                    pms_core::text::syntax_ja(&e.message)
                ),
            ],
        )
    })?;
    let Json::Object(sheets) = value else {
        return Err(map_error(
            &name,
            [
                format!("map `{name}` is not a mapping of sheets"),
                format!("対応表 `{name}` がシートのマッピングではない"),
            ],
        ));
    };
    let mut out = BTreeMap::new();
    for (sheet, spec) in sheets {
        let m = match spec {
            Json::String(entity) => SheetMap {
                target: Some(entity),
                columns: BTreeMap::new(),
            },
            Json::Object(o) => {
                let mut m = SheetMap::default();
                for (k, v) in o {
                    match (k.as_str(), v) {
                        ("entity", Json::String(e)) => m.target = Some(e),
                        ("columns", Json::Object(cols)) => {
                            for (h, f) in cols {
                                let Json::String(f) = f else {
                                    return Err(map_error(
                                        &name,
                                        [format!("map `{name}`: column `{h}` of `{sheet}` must name a field or `ignore`"), format!("対応表 `{name}`: `{sheet}` の列 `{h}` には項目名か `ignore` を書く")],
                                    ));
                                };
                                m.columns.insert(h, f);
                            }
                        }
                        (other, _) => {
                            return Err(map_error(
                                &name,
                                [format!("map `{name}`: `{sheet}` has `{other}`; a sheet takes `entity` and `columns`"), format!("対応表 `{name}`: `{sheet}` に `{other}` がある。シートに書けるのは `entity` と `columns`")],
                            ))
                        }
                    }
                }
                m
            }
            _ => {
                return Err(map_error(
                    &name,
                    [
                        format!(
                            "map `{name}`: `{sheet}` must be an entity name or {{entity, columns}}"
                        ),
                        format!(
                        "対応表 `{name}`: `{sheet}` はエンティティ名か {{entity, columns}} にする"
                    ),
                    ],
                ))
            }
        };
        out.insert(sheet, m);
    }
    Ok(out)
}

/// Loads the records under a path holding ledgers (mixed with record files or not).
pub fn load_ledgers(path: &Path, extensions: &Extensions) -> Result<RecordSet, Failure> {
    let options = read_options(None)?;
    let (set, ledgers) =
        pms_ledgers::load_path(path, &options, extensions).map_err(|d| (d, Vec::new()))?;
    print_notes(&not_read(&ledgers));
    Ok(set)
}

/// The sheets and files passed over, listed even without `--explain`: nothing a user hands
/// over is dropped silently.
fn not_read(ledgers: &Ledgers) -> Vec<Note> {
    ledgers
        .passed_over
        .iter()
        .filter(|n| n.text.starts_with("not read"))
        .cloned()
        .collect()
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn stdout(s: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn print_notes(notes: &[Note]) {
    for n in notes {
        eprintln!("{}: {}", n.at, n.text);
    }
}

/// The ledgers of every source, their record files' values, and the ledgers read.
fn read_all(
    args: &ImportArgs,
    options: &ReadOptions,
) -> Result<(Ledgers, Vec<pms_core::records::Document>), Failure> {
    let mut ledgers = Ledgers::default();
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    for src in &args.sources {
        match pms_ledgers::read_path(src, options) {
            Ok((l, d)) => {
                ledgers.sheets.extend(l.sheets);
                ledgers.passed_over.extend(l.passed_over);
                docs.extend(d);
            }
            Err(d) => diags.extend(d),
        }
    }
    if diags.is_empty() {
        Ok((ledgers, docs))
    } else {
        Err((diags, Vec::new()))
    }
}

/// The record set of ledgers and record files as one document, entities in model order.
fn records_value(
    ledger_value: Json,
    docs: &[pms_core::records::Document],
) -> Result<Json, Failure> {
    let mut by_entity: BTreeMap<String, Vec<Json>> = BTreeMap::new();
    for d in docs {
        let value = match (&d.value, &d.text) {
            (Some(v), _) => v.clone(),
            (None, Some(t)) => pms_core::text::parse_json(t).map_err(|e| {
                let ja = pms_core::text::syntax_ja(&e.message);
                crate::fail(vec![Diagnostic::error(codes::SYNTAX, e.message).ja(ja)])
            })?,
            (None, None) => continue,
        };
        match (value, &d.entity) {
            (Json::Array(items), Some(e)) => by_entity.entry(e.clone()).or_default().extend(items),
            (Json::Object(o), _) => {
                for (k, v) in o {
                    if let Json::Array(items) = v {
                        by_entity.entry(k).or_default().extend(items);
                    }
                }
            }
            _ => {}
        }
    }
    if let Json::Object(o) = ledger_value {
        for (k, v) in o {
            if let Json::Array(items) = v {
                by_entity.entry(k).or_default().extend(items);
            }
        }
    }
    let mut out = Map::new();
    for s in pms_core::schema::entities() {
        if let Some(items) = by_entity.remove(s.name) {
            out.insert(s.name.to_owned(), Json::Array(items));
        }
    }
    for (k, v) in by_entity {
        out.insert(k, Json::Array(v));
    }
    Ok(Json::Object(out))
}

fn to_yaml(v: &Json) -> yaml_rust2::Yaml {
    use yaml_rust2::Yaml;
    match v {
        Json::Null => Yaml::Null,
        Json::Bool(b) => Yaml::Boolean(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Integer(i),
            None => Yaml::Real(n.to_string()),
        },
        Json::String(s) => Yaml::String(s.clone()),
        Json::Array(a) => Yaml::Array(a.iter().map(to_yaml).collect()),
        Json::Object(o) => {
            let mut h = yaml_rust2::yaml::Hash::new();
            for (k, v) in o {
                h.insert(Yaml::String(k.clone()), to_yaml(v));
            }
            Yaml::Hash(h)
        }
    }
}

/// The text of a record set in pms's own format: YAML, or JSON for a `.json` output.
fn render_records(value: &Json, json: bool) -> String {
    if json {
        let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let mut out = String::from("# Records imported by `pms import` (pms record format).\n");
    let mut emitted = String::new();
    let mut emitter = yaml_rust2::YamlEmitter::new(&mut emitted);
    let _ = emitter.dump(&to_yaml(value));
    out.push_str(emitted.strip_prefix("---\n").unwrap_or(&emitted));
    out.push('\n');
    out
}

/// The map the reader would use, for review (`--suggest-map`): every sheet and CSV/TSV file
/// of the sources, read or not, `?` where the reader cannot tell.
fn suggested_map(args: &ImportArgs, options: &ReadOptions) -> Result<Json, Failure> {
    let mut out = Map::new();
    let mut diags = Vec::new();
    for src in &args.sources {
        match pms_ledgers::suggest_path(src, options) {
            Ok(found) => {
                for s in found {
                    for o in &s.open {
                        eprintln!("{}: to decide: {o}", s.key);
                    }
                    let cols: Map<String, Json> = s
                        .columns
                        .into_iter()
                        .map(|(h, f)| (h, Json::String(f)))
                        .collect();
                    let mut spec = Map::new();
                    spec.insert("entity".into(), Json::String(s.entity));
                    spec.insert("columns".into(), Json::Object(cols));
                    out.insert(s.key, Json::Object(spec));
                }
            }
            Err(d) => diags.extend(d),
        }
    }
    if diags.is_empty() {
        Ok(Json::Object(out))
    } else {
        Err((diags, Vec::new()))
    }
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| {
        crate::fail(vec![Diagnostic::error(
            codes::IO,
            format!("cannot write `{}`: {e}", path.display()),
        )
        .ja(format!(
            "`{}` に書き込めない: {}",
            path.display(),
            pms_core::input::io_reason_ja(&e)
        ))])
    })
}

/// `pms import`: reads, validates, and writes the records (or the map).
pub fn run(args: &ImportArgs) -> Result<std::process::ExitCode, Failure> {
    if args.labels {
        let mut s =
            serde_json::to_string_pretty(&pms_ledgers::vocab::vocabulary()).unwrap_or_default();
        s.push('\n');
        stdout(&s);
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let mut options = read_options(args.map.as_deref())?;
    options.explain = args.explain;
    // The map first: it is what a user needs when the sheets cannot be read yet.
    if let Some(m) = &args.suggest_map {
        write(
            m,
            &render_records(
                &suggested_map(args, &options)?,
                Format::from_name(&m.to_string_lossy()) == Some(Format::Json),
            ),
        )?;
    }
    let (mut ledgers, docs) = read_all(args, &options)?;
    if args.explain {
        print_notes(&ledgers.notes());
    } else {
        print_notes(&not_read(&ledgers));
    }
    // Validate everything together (references across files) before writing anything.
    let (_, ledger_value) =
        pms_ledgers::load_with_json(&mut ledgers, docs.clone(), &Extensions::none())
            .map_err(|d| (d, Vec::new()))?;
    let value = records_value(ledger_value, &docs)?;
    match &args.output {
        Some(o) => {
            let json = Format::from_name(&o.to_string_lossy()) == Some(Format::Json);
            write(o, &render_records(&value, json))?;
        }
        None if args.suggest_map.is_none() => stdout(&render_records(&value, false)),
        None => {}
    }
    Ok(std::process::ExitCode::SUCCESS)
}
