//! Command-line parsing errors as coded diagnostics.

use std::process::ExitCode;

/// Prints a clap error: help and version as clap shows them (success), any other error with
/// the code [`pms_core::diagnostic::codes::ARGUMENTS`] and clap's own explanation and usage
/// (exit 2, as for other input errors).
pub(crate) fn clap_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let text = e.render().to_string();
    let code = pms_core::diagnostic::codes::ARGUMENTS;
    // In Japanese (the default) unless the command line asks for English; clap's own
    // explanation and usage follow as clap words them.
    let lead = if english_asked() {
        ""
    } else {
        "コマンドラインが正しくない: "
    };
    let coded = match text.strip_prefix("error: ") {
        Some(rest) => format!("error[{code}]: {lead}{rest}"),
        None => format!("error[{code}]: {lead}{text}"),
    };
    eprint!("{coded}");
    ExitCode::from(2)
}

/// Whether the command line, which did not parse, asks for English (`--lang en`).
fn english_asked() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--lang=en")
        || args
            .windows(2)
            .any(|w| matches!(w, [a, b] if a == "--lang" && b == "en"))
}

/// The records a checking command reads, the date it reads them at, the extra rule files
/// and the language (`pms check`, `pms deadlines`, `pms summary`).
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct RecordArgs {
    /// A record file (.json, .yaml), a ledger (.xlsx, .xlsm, .ods, .csv, .tsv) or a directory
    /// of them; without it, the sample company 見本株式会社.
    pub path: Option<std::path::PathBuf>,
    /// Evaluation date yyyy-mm-dd, for `summary` the last day of the period (default: today;
    /// the sample company: 2026-03-31).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Extra rule files (your own rules; their extension fields may be in the records).
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<std::path::PathBuf>,
    /// Language of the output: ja (default) or en.
    #[arg(long, default_value = "ja")]
    pub lang: String,
    /// How to read spreadsheet and CSV ledgers.
    #[command(flatten)]
    pub ledgers: crate::import::LedgerArgs,
}

/// The ledger reader's options of a command that reads records (`--encoding`,
/// `--max-rows`); commands that read no records have none.
pub(crate) fn ledger_options(command: &crate::Command) -> Option<&crate::import::LedgerArgs> {
    use crate::Command;
    match command {
        Command::Check { inputs, .. } | Command::Deadlines { inputs, .. } => {
            Some(&inputs.records.ledgers)
        }
        Command::Summary { records, .. } => Some(&records.ledgers),
        Command::Validate { ledgers, .. } | Command::Export { ledgers, .. } => Some(ledgers),
        Command::Import(args) => Some(&args.ledgers),
        _ => None,
    }
}

impl RecordArgs {
    /// The date to check at: `--as-of`, else the sample company's date for the sample, else
    /// today.
    pub fn as_of(&self) -> String {
        match (&self.as_of, &self.path) {
            (Some(d), _) => d.clone(),
            (None, None) => crate::SAMPLE_AS_OF.to_string(),
            (None, Some(_)) => chrono::Local::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string(),
        }
    }
}

/// What `pms check` and `pms deadlines` check: the records and how the rules read.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct CheckInputs {
    /// Records, date, rule files, language.
    #[command(flatten)]
    pub records: RecordArgs,
    /// Edition whose clause numbers to show: jisq15001:2023, jisq15001:2017, jisq15001:2006.
    #[arg(long, default_value = "jisq15001:2023")]
    pub edition: String,
    /// Parameter override, e.g. --param training_interval="6 months".
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}
