//! `pms`: check a company's Privacy Mark (JIS Q 15001) records for gaps.
//!
//! Results go to stdout, errors to stderr. Exit codes: 0 = no finding at or above
//! `--fail-on`, 1 = findings at or above it, 2 = bad input (records, rules, options).
//! The output uses no colour, so `NO_COLOR` is always honoured.

use clap::{Parser, Subcommand, ValueEnum};
use pms_core::diagnostic::render_in;
use pms_core::ffi::CheckOptions;
use pms_core::records::{self, Format};
use pms_core::schema::Extensions;
use pms_core::{Diagnostic, Lang, Program, RecordSet, Severity, Source, Status};
use std::path::PathBuf;
use std::process::ExitCode;

mod args;
mod files;
mod fmt;
mod import;
mod output;
mod pages;
mod progress;
mod render;
mod template;
mod test;
mod timings;

#[derive(Parser)]
#[command(
    name = "pms",
    version,
    about = "Check Privacy Mark / JIS Q 15001 records for gaps (プライバシーマーク記録点検)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Largest input read: a file, a records or ledgers directory's files together, or a
    /// rule file (e.g. 4GiB, 500MB; 0: no limit).
    #[arg(long, global = true, value_name = "SIZE", default_value = "1GiB")]
    max_input_size: String,
    /// Show no progress on stderr (it is shown only on a terminal, after a second).
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Text,
    Json,
}

/// Formats of `pms validate`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ValidateFormat {
    Text,
    Sarif,
}

/// Formats of `pms rules export`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ExportFormat {
    /// OSCAL 1.1.x catalog: one control per rule, grouped by PDCA phase.
    Oscal,
}

/// Formats of `pms summary`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum SummaryFormat {
    /// Markdown.
    Md,
    /// CSV (UTF-8).
    Csv,
    /// An Excel workbook, one sheet per table (needs --output).
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Records,
    Report,
    Diagnostics,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Never,
    Info,
    Minor,
    Major,
    Critical,
}

#[derive(Subcommand)]
enum Command {
    /// Check records for gaps; without PATH, checks the embedded sample company 見本株式会社.
    Check {
        /// Records, date, rules, language.
        #[command(flatten)]
        inputs: args::CheckInputs,
        /// Output formats, comma-separated: text, json, html, md, junit, ics, sarif,
        /// oscal-ar, oscal-poam (several need -o or --output-dir).
        #[arg(long, value_name = "FORMATS", default_value = "text")]
        format: Vec<String>,
        /// Write to this file (one format) or to NAME.EXT for each format.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write each format to DIR/report.EXT (or DIR/NAME.EXT with -o NAME).
        #[arg(long, value_name = "DIR")]
        output_dir: Option<PathBuf>,
        /// Exit with 1 when a gap of this severity or higher is found.
        #[arg(long, value_enum, default_value = "never")]
        fail_on: FailOn,
        /// List passed subjects as findings too.
        #[arg(long)]
        all: bool,
        /// Evaluate only these rules, e.g. --only R-TRN-01,R-CA-01.
        #[arg(long, value_name = "RULE", value_delimiter = ',')]
        only: Vec<String>,
        /// Threads evaluating rules (0: one per core for large record sets).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// The deadlines ahead (training due, reviews, re-evaluations, renewal window, incident
    /// reports …): text, json, or ics for calendars.
    Deadlines {
        /// Records, date, rules, language.
        #[command(flatten)]
        inputs: args::CheckInputs,
        /// Output format: text, json or ics.
        #[arg(long, default_value = "text")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Render a saved JSON report (`pms check --format json`) in other formats.
    Report {
        /// The JSON report.
        report: PathBuf,
        /// Output formats, comma-separated (as for `pms check`).
        #[arg(long, value_name = "FORMATS", default_value = "text")]
        format: Vec<String>,
        /// Write to this file (one format) or to NAME.EXT for each format.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write each format to DIR/report.EXT.
        #[arg(long, value_name = "DIR")]
        output_dir: Option<PathBuf>,
        /// Language: ja or en (default: the report's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Compare two saved JSON reports: gaps closed, new and still open, deadlines moved.
    Diff {
        /// The earlier report (JSON).
        before: PathBuf,
        /// The later report (JSON).
        after: PathBuf,
        /// Output format: text or json.
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Language of the text: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Read Excel/OpenDocument/CSV ledgers (and record files) and write the records in pms's
    /// own format (YAML or JSON).
    Import(import::ImportArgs),
    /// Validate records and report every problem with its location.
    Validate {
        /// A record file or directory.
        path: PathBuf,
        /// Rule files whose extension fields (`extend …`) the records may carry.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Output format (sarif: the problems as a SARIF 2.1.0 log on stdout).
        #[arg(long, value_enum, default_value = "text")]
        format: ValidateFormat,
        /// Language of the error messages: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// How to read spreadsheet and CSV ledgers.
        #[command(flatten)]
        ledgers: import::LedgerArgs,
    },
    /// Run test cases for rules (the shape of tests/conformance/*.yaml): files or directories.
    Test {
        /// Case files (.yaml), or directories searched for them.
        #[arg(required = true, value_name = "CASES")]
        paths: Vec<PathBuf>,
        /// Your rule files, compiled with the built-in ones.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Edition (pack) to evaluate: jisq15001:2023, jisq15001:2017, jisq15001:2006, appi.
        #[arg(long, default_value = "jisq15001:2023")]
        edition: String,
        /// Language of the messages of unexpected findings.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Format rule files (.pms) canonically, in place.
    Fmt {
        /// Rule files, or directories searched for *.pms.
        #[arg(required = true, value_name = "FILE")]
        paths: Vec<PathBuf>,
        /// Write nothing: list the files that are not formatted and exit with 1 if any.
        #[arg(long)]
        check: bool,
        /// Language of the error messages: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// A renewal application summary (様式7 教育 / 様式8 内部監査・マネジメントレビュー) of the
    /// two years before the date; without PATH, of the sample company.
    Summary {
        /// Records, last day of the period, rules, language.
        #[command(flatten)]
        records: args::RecordArgs,
        /// The form: 7 (training) or 8 (internal audits and management reviews).
        #[arg(long, value_parser = clap::value_parser!(u32).range(7..=8))]
        form: u32,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: SummaryFormat,
        /// Write to this file instead of stdout (required for xlsx).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The rule catalogue.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// The PDCA graph of activities and rules.
    Graph {
        /// Output format.
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
    },
    /// Write the workbook to fill in (Excel): one sheet per ledger, Japanese headers,
    /// drop-downs and help; with --sample, filled with the sample company 見本株式会社.
    Template {
        /// The workbook to write (.xlsx).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Fill it with the sample company.
        #[arg(long)]
        sample: bool,
        /// Language of the error messages: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Write records (a .json/.yaml file or a directory) into the template's workbook layout.
    Export {
        /// A record file or directory.
        path: PathBuf,
        /// The workbook to write (.xlsx).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// How to read spreadsheet and CSV ledgers.
        #[command(flatten)]
        ledgers: import::LedgerArgs,
        /// Language of the error messages: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Print a JSON Schema: of the record format (default), the report or diagnostics.
    Schema {
        /// Which schema.
        #[arg(value_enum, default_value = "records")]
        of: SchemaKind,
        /// Rule files whose extension fields (`extend …`) the record schema includes.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Language of the error messages: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the rules.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
        /// Edition whose clause numbers to show.
        #[arg(long, default_value = "jisq15001:2023")]
        edition: String,
        /// Your rule files, listed beside the built-in rules.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Language of the error messages: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Export the catalogue for other tools (oscal: an OSCAL catalog).
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "oscal")]
        format: ExportFormat,
        /// Edition (pack) whose rules and clause numbers to export.
        #[arg(long, default_value = "jisq15001:2023")]
        edition: String,
        /// Language of titles and statements.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// Your rule files, exported beside the built-in rules.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
    },
    /// Explain one rule: what it checks, why, its parameters and its source.
    Explain {
        /// Rule id, e.g. R-TRN-01.
        id: String,
        /// Your rule files (to explain one of your rules).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Language of the error messages: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
}

/// The language diagnostics are shown in on stderr (the command's `--lang`), set once in
/// `main`.
static DIAG_LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language of diagnostics on stderr: the command's `--lang`, default ja.
pub(crate) fn diag_lang() -> Lang {
    DIAG_LANG.get().copied().unwrap_or(Lang::Ja)
}

/// Diagnostics rendered for stderr in the command's language (`--lang`, default ja).
pub(crate) fn show(diags: &[Diagnostic], sources: &[(String, String)]) -> String {
    require_ja(diags);
    render_in(diags, sources, diag_lang())
}

/// With the environment variable `PMS_TEST_REQUIRE_JA` set (the test suites set it), a
/// diagnostic without its Japanese message, label or help ends the process with exit code
/// 70, naming it: every diagnostic the tests produce is found reading in both languages.
/// Never set it otherwise.
fn require_ja(diags: &[Diagnostic]) {
    if std::env::var_os("PMS_TEST_REQUIRE_JA").is_none() {
        return;
    }
    for d in diags {
        let missing = d.missing_ja();
        if !missing.is_empty() {
            eprintln!(
                "untranslated diagnostic {} (no {}): {}",
                d.code,
                missing.join(", "),
                d.message
            );
            std::process::exit(70);
        }
    }
}

/// The `--lang` of a command, as given (none for commands without one: `graph`).
fn lang_arg(command: &Command) -> Option<&str> {
    match command {
        Command::Check { inputs, .. } | Command::Deadlines { inputs, .. } => {
            Some(inputs.records.lang.as_str())
        }
        Command::Summary { records, .. } => Some(records.lang.as_str()),
        Command::Report { lang, .. } => lang.as_deref(),
        Command::Diff { lang, .. }
        | Command::Test { lang, .. }
        | Command::Validate { lang, .. }
        | Command::Fmt { lang, .. }
        | Command::Template { lang, .. }
        | Command::Export { lang, .. }
        | Command::Schema { lang, .. } => Some(lang.as_str()),
        Command::Import(args) => Some(args.lang.as_str()),
        Command::Rules { command } => match command {
            RulesCommand::List { lang, .. }
            | RulesCommand::Export { lang, .. }
            | RulesCommand::Explain { lang, .. } => Some(lang.as_str()),
        },
        Command::Graph { .. } => None,
    }
}

/// The sample company's default evaluation date: the end of its PMS year.
const SAMPLE_AS_OF: &str = "2026-03-31";

fn main() -> ExitCode {
    // A large input is read on huge pages: this may start the program again (see `pages`).
    pages::for_large_input();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return args::clap_error(&e),
    };
    // Diagnostics are shown in the command's language; an unknown one is itself an error
    // (shown in Japanese, the default).
    match lang_arg(&cli.command).map(pms_core::ffi::parse_lang) {
        Some(Err(d)) => {
            eprint!("{}", show(&d, &[]));
            return ExitCode::from(2);
        }
        Some(Ok(lang)) => {
            let _ = DIAG_LANG.set(lang);
        }
        None => {}
    }
    if let Some(ledgers) = args::ledger_options(&cli.command) {
        import::set_options(ledgers);
    }
    match pms_core::input::parse_size(&cli.max_input_size) {
        Ok(max_input_size) => files::set_limits(pms_core::input::Limits { max_input_size }),
        Err(d) => {
            eprint!("{}", show(&[*d], &[]));
            return ExitCode::from(2);
        }
    }
    let sarif = render::wants_sarif(&cli.command);
    // The command as typed names the input of an internal error.
    let input = format!(
        "`pms {}`",
        std::env::args().skip(1).collect::<Vec<_>>().join(" ")
    );
    let outcome =
        pms_core::ffi::catch_internal(&input, || run(cli)).unwrap_or_else(|d| Err((d, Vec::new())));
    match outcome {
        Ok(code) => code,
        Err((diags, sources)) => {
            if sarif {
                println!("{}", render::diagnostics_sarif(&diags, &sources));
            }
            eprint!("{}", show(&diags, &sources));
            ExitCode::from(2)
        }
    }
}

type Failure = (Vec<Diagnostic>, Vec<(String, String)>);

fn fail(diags: Vec<Diagnostic>) -> Failure {
    (diags, Vec::new())
}

fn program(extra: &[PathBuf]) -> Result<Program, Failure> {
    let mut sources = Vec::new();
    for p in extra {
        let name = p.display().to_string();
        let text = files::read(p, "rule").map_err(fail)?;
        sources.push(Source { name, text });
    }
    let all: Vec<(String, String)> = pms_rules::builtin_sources()
        .into_iter()
        .chain(sources.iter().cloned())
        .map(|s| (s.name, s.text))
        .collect();
    pms_rules::compile_with(sources).map_err(|d| (d, all))
}

/// Loads records (the sample company without a path), with the extension fields the
/// rule files declare.
fn load(
    path: Option<&PathBuf>,
    extensions: &Extensions,
    progress: Option<&progress::Reporter>,
) -> Result<RecordSet, Failure> {
    match path {
        Some(p) if pms_ledgers::has_ledgers(p) => import::load_ledgers(p, extensions),
        Some(p) => {
            let opts = records::LoadOptions {
                limits: files::limits(),
                progress: progress.map(progress::Reporter::progress),
            };
            records::load_path_opts(p, extensions, &opts).map_err(|e| (e.diagnostics, e.sources))
        }
        None => {
            let (name, text) = pms_rules::SAMPLE_COMPANY;
            records::load_str_with(name, text, Format::Yaml, extensions)
                .map_err(|d| (d, vec![(name.to_string(), text.to_string())]))
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Check {
            inputs,
            format,
            output,
            output_dir,
            fail_on,
            all,
            only,
            threads,
        } => {
            let dests = output::destinations(
                &output::formats(&format)?,
                output.as_deref(),
                output_dir.as_deref(),
            )?;
            timings::start();
            let report = check_report(CheckArgs {
                inputs,
                all,
                only,
                threads,
                quiet,
                locate: render::sarif_among(&format),
            })?;
            output::write_report(&report, &dests, Some(report.lang))?;
            timings::mark("write");
            let threshold = match fail_on {
                FailOn::Never => None,
                FailOn::Info => Some(Severity::Info),
                FailOn::Minor => Some(Severity::Minor),
                FailOn::Major => Some(Severity::Major),
                FailOn::Critical => Some(Severity::Critical),
            };
            let failed = threshold.is_some_and(|t| {
                report
                    .findings
                    .iter()
                    .any(|f| f.status == Status::Gap && f.severity >= t)
            });
            leave_to_exit(report);
            timings::print();
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Deadlines {
            inputs,
            format,
            output,
        } => {
            let format: pms_render::DeadlinesFormat = format
                .parse()
                .map_err(|e: pms_render::RenderError| fail(vec![e.to_diagnostic(None)]))?;
            let report = check_report(CheckArgs {
                inputs,
                all: false,
                only: Vec::new(),
                threads: 0,
                quiet,
                locate: false,
            })?;
            let json = serde_json::to_value(&report).unwrap_or_default();
            let bytes = pms_render::render_deadlines(
                &json,
                format,
                &pms_render::RenderOptions {
                    lang: Some(report.lang),
                },
            )
            .map_err(|e| fail(vec![e.to_diagnostic(None)]))?;
            output::write(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            report,
            format,
            output: out,
            output_dir,
            lang,
        } => {
            let dests = output::destinations(
                &output::formats(&format)?,
                out.as_deref(),
                output_dir.as_deref(),
            )?;
            let lang = lang.as_deref().map(output::lang).transpose()?;
            let json = output::read_report(&report)?;
            output::render_all(&json, &dests, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            before,
            after,
            format,
            output: out,
            lang,
        } => {
            let lang = output::lang(&lang)?;
            let (b, a) = (output::read_report(&before)?, output::read_report(&after)?);
            let d = pms_render::diff_json(&b, &a).map_err(|e| fail(vec![e.to_diagnostic(None)]))?;
            let text = match format {
                OutFormat::Json => d.to_json(),
                OutFormat::Text => d.to_text(lang),
            };
            output::write(out.as_deref(), text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import(args) => import::run(&args),
        Command::Validate {
            path,
            rules,
            format,
            ..
        } => {
            let extensions = if rules.is_empty() {
                Extensions::none()
            } else {
                program(&rules)?.extensions
            };
            let reporter = progress::Reporter::start(quiet);
            let set = load(Some(&path), &extensions, reporter.as_ref())?;
            drop(reporter);
            let counts: Vec<String> = set
                .counts()
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            if format == ValidateFormat::Sarif {
                println!("{}", render::diagnostics_sarif(&[], &[]));
            } else {
                println!("ok: {} records ({})", set.len(), counts.join(", "));
            }
            leave_to_exit(set);
            Ok(ExitCode::SUCCESS)
        }
        Command::Test {
            paths,
            rules,
            edition,
            lang,
        } => test::run(&program(&rules)?, &paths, &edition, &lang),
        Command::Fmt { paths, check, .. } => fmt::run(&paths, check),
        Command::Summary {
            records,
            form,
            format,
            output,
        } => {
            let program = program(&records.rules)?;
            let set = load(records.path.as_ref(), &program.extensions, None)?;
            render::summary(
                &program,
                &set,
                form,
                format,
                &records.as_of(),
                &records.lang,
                output.as_deref(),
            )
        }
        Command::Template { output, sample, .. } => template::template(&output, sample),
        Command::Export { path, output, .. } => template::export(&path, &output),
        Command::Rules { command } => {
            let extra = match &command {
                RulesCommand::List { rules, .. }
                | RulesCommand::Explain { rules, .. }
                | RulesCommand::Export { rules, .. } => rules,
            };
            let program = program(extra)?;
            match command {
                RulesCommand::List {
                    format, edition, ..
                } => {
                    let key = pms_core::program::EDITIONS
                        .iter()
                        .find(|e| e.0 == edition)
                        .map(|e| e.1)
                        .ok_or_else(|| {
                            fail(vec![Diagnostic::error(
                                pms_core::diagnostic::codes::OPTION,
                                format!("unknown edition `{edition}`"),
                            )
                            .ja(format!("未知の版 `{edition}`"))
                            .help("editions: jisq15001:2023, jisq15001:2017, jisq15001:2006")
                            .help_ja("版: jisq15001:2023, jisq15001:2017, jisq15001:2006")])
                        })?;
                    let mut rules: Vec<&pms_core::Rule> = program.rules.iter().collect();
                    rules.sort_by(|a, b| a.id.cmp(&b.id));
                    match format {
                        OutFormat::Json => {
                            let list: Vec<serde_json::Value> =
                                pms_core::ffi::rules_json(&program, &edition).map_err(fail)?;
                            println!(
                                "{}",
                                serde_json::to_string_pretty(&list).unwrap_or_default()
                            );
                        }
                        OutFormat::Text => {
                            for r in rules {
                                let c = r
                                    .clause(key)
                                    .or_else(|| r.clause("appi"))
                                    .or_else(|| r.clause("pmark"));
                                let clause = c
                                    .map(|c| {
                                        format!(
                                            "{}{}",
                                            c.number,
                                            if c.unverified { "?" } else { "" }
                                        )
                                    })
                                    .unwrap_or_default();
                                println!(
                                    "{:<10} {:<6} {:<8} {:<12} {} / {}",
                                    r.id,
                                    r.phase.as_str(),
                                    r.severity.as_str(),
                                    clause,
                                    r.title.ja,
                                    r.title.en
                                );
                            }
                        }
                    }
                }
                RulesCommand::Export {
                    format: ExportFormat::Oscal,
                    edition,
                    lang,
                    ..
                } => {
                    pms_core::ffi::parse_lang(&lang).map_err(fail)?;
                    let list = pms_core::ffi::rules_json(&program, &edition).map_err(fail)?;
                    println!("{}", render::catalog(&list, &lang));
                }
                RulesCommand::Explain { id, .. } => {
                    let Some(r) = program.rule(&id) else {
                        let help = pms_core::schema::suggest(
                            &id,
                            program.rules.iter().map(|r| r.id.as_str()),
                        )
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "`pms rules list` shows the rules".into());
                        return Err(fail(vec![Diagnostic::error(
                            pms_core::diagnostic::codes::OPTION,
                            format!("unknown rule `{id}`"),
                        )
                        .ja(format!("未知のルール `{id}`"))
                        .help_ja(
                            pms_core::diagnostic::did_you_mean_ja(&help).unwrap_or_else(|| {
                                "ルールは `pms rules list` で確かめられる".into()
                            }),
                        )
                        .help(help)]));
                    };
                    print!("{}", explain(&program, r));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Graph { format } => {
            let program = program(&[])?;
            match format {
                GraphFormat::Dot => print!("{}", program.graph.to_dot()),
                GraphFormat::Mermaid => print!("{}", program.graph.to_mermaid()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { of, rules, .. } => {
            let extensions = if rules.is_empty() {
                Extensions::none()
            } else {
                program(&rules)?.extensions
            };
            let schema = match of {
                SchemaKind::Records => pms_core::jsonschema::records_schema_with(&extensions),
                SchemaKind::Report => pms_core::jsonschema::report_schema(),
                SchemaKind::Diagnostics => pms_core::jsonschema::diagnostics_schema(),
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What `pms check` and `pms deadlines` check.
struct CheckArgs {
    inputs: args::CheckInputs,
    all: bool,
    only: Vec<String>,
    threads: usize,
    quiet: bool,
    /// Fill the report's record locations (for SARIF).
    locate: bool,
}

/// Loads the records and rules and checks them: the report every output is rendered from.
fn check_report(a: CheckArgs) -> Result<pms_core::Report, Failure> {
    let CheckArgs {
        inputs,
        all,
        only,
        threads,
        quiet,
        locate,
    } = a;
    let as_of = inputs.records.as_of();
    let args::CheckInputs {
        records: args::RecordArgs {
            path, rules, lang, ..
        },
        edition,
        params,
    } = inputs;
    let program = program(&rules)?;
    timings::mark("rules");
    let reporter = progress::Reporter::start(quiet);
    let set = load(path.as_ref(), &program.extensions, reporter.as_ref())?;
    timings::mark("load");
    let mut kv = Vec::new();
    for p in params {
        match p.split_once('=') {
            Some((k, v)) => kv.push((k.trim().to_string(), v.trim().to_string())),
            None => {
                return Err(fail(vec![Diagnostic::error(
                    pms_core::diagnostic::codes::PARAM,
                    format!("`{p}` is not NAME=VALUE"),
                )
                .ja(format!("`{p}` は NAME=VALUE の形ではない"))
                .help("write e.g. --param training_interval=\"6 months\"")
                .help_ja("例: --param training_interval=\"6 months\" と書く")]))
            }
        }
    }
    if only.iter().any(|r| r.trim().is_empty()) {
        // The same error as Python's `only=[]` and JS's `only: []`.
        return Err(fail(vec![Diagnostic::error(
            pms_core::diagnostic::codes::OPTION,
            "the rule list of `only` names no rule",
        )
        .ja("`only` のルール一覧にルールがない")
        .help("give rule ids such as R-TRN-01, or leave `only` out to check every rule")
        .help_ja(
            "R-TRN-01 のようなルール id を書くか、`only` を外してすべてのルールを点検する",
        )]));
    }
    let opts = CheckOptions {
        as_of,
        edition: Some(edition),
        lang: Some(lang),
        params: kv,
        include_passed: all,
        only,
        threads,
    };
    let mut report = pms_core::ffi::check_observed(
        &program,
        &set,
        &opts,
        timings::progress(reporter.as_ref().map(progress::Reporter::progress)).as_ref(),
    )
    .map_err(fail)?;
    timings::mark("assemble");
    drop(reporter);
    // Where the findings' records are (file, line, column), for SARIF (and the JSON written
    // with it, so SARIF built from that JSON equals the one built from the run).
    if locate {
        report.locate(&set);
    }
    leave_to_exit(set);
    Ok(report)
}

/// Leaves a large value (a record set, a report) to the operating system: `pms` exits right
/// after, and freeing millions of records one by one took 7 % of a large check (issue 14).
/// Only the CLI does this; the library drops its values as usual.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// The text of `pms rules explain`: title, header comment, clauses, what it checks,
/// parameters with their values, and the rule's source.
fn explain(program: &Program, r: &pms_core::Rule) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} / {}", r.id, r.title.ja, r.title.en);
    let _ = writeln!(out, "file: {}", r.file);
    let header = program.header(r);
    if !header.is_empty() {
        let _ = writeln!(out, "\n{header}\n");
    }
    let clauses: Vec<String> = r.clauses.iter().map(ToString::to_string).collect();
    let _ = writeln!(out, "clauses: {}", clauses.join(", "));
    let _ = writeln!(
        out,
        "phase: {}  severity: {}  basis: {}  activity: {}",
        r.phase.as_str(),
        r.severity.as_str(),
        r.basis.as_str(),
        r.activity
    );
    if !r.depends.is_empty() {
        let _ = writeln!(out, "depends on: {}", r.depends.join(", "));
    }
    if !r.explain.ja.is_empty() || !r.explain.en.is_empty() {
        let _ = writeln!(out, "checks: {} / {}", r.explain.ja, r.explain.en);
    }
    let _ = writeln!(out, "reads: {}", r.entities.join(", "));
    for p in &r.params {
        if let Some(param) = program.param(p) {
            let doc = param
                .doc
                .iter()
                .map(|(l, t)| format!("{}: {t}", if *l == Lang::Ja { "ja" } else { "en" }))
                .collect::<Vec<_>>()
                .join(" / ");
            let changes: String = param
                .changes
                .iter()
                .map(|(d, v)| format!(", from {d} = {v}"))
                .collect();
            let _ = writeln!(out, "param {p} = {}{changes} — {doc}", param.default);
        }
    }
    let _ = writeln!(out, "\n{}", r.source_text);
    out
}
