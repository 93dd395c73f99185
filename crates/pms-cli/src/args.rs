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
    let coded = match text.strip_prefix("error: ") {
        Some(rest) => format!("error[{code}]: {rest}"),
        None => format!("error[{code}]: {text}"),
    };
    eprint!("{coded}");
    ExitCode::from(2)
}
