//! `pms fmt`: formats rule files in place, or lists those that are not formatted.

use crate::files;
use crate::Failure;
use pms_core::diagnostic::codes;
use pms_core::Diagnostic;
use std::path::PathBuf;
use std::process::ExitCode;

/// Formats the `.pms` files of `paths`; with `check`, writes nothing and exits with 1 when a
/// file would change (listing it on stdout). A file that does not parse is left as it is and
/// makes the exit code 2.
pub fn run(paths: &[PathBuf], check: bool) -> Result<ExitCode, Failure> {
    let list = files::expand(paths, &["pms"]).map_err(crate::fail)?;
    let mut diags = Vec::new();
    let mut sources = Vec::new();
    let mut unformatted = 0;
    for path in list {
        let name = path.display().to_string();
        let text = match files::read(&path, "rule") {
            Ok(t) => t,
            Err(d) => {
                diags.extend(d);
                continue;
            }
        };
        match pms_core::dsl::fmt::format(&text, &name) {
            Ok(formatted) if formatted == text => {}
            Ok(formatted) => {
                if check {
                    unformatted += 1;
                    println!("{name}");
                } else if let Err(e) = std::fs::write(&path, formatted) {
                    diags.push(
                        Diagnostic::error(codes::IO, format!("cannot write `{name}`: {e}")).ja(
                            format!(
                                "`{name}` を書き込めない: {}",
                                pms_core::input::io_reason_ja(&e)
                            ),
                        ),
                    );
                }
            }
            Err(d) => {
                diags.extend(d);
                sources.push((name, text));
            }
        }
    }
    if !diags.is_empty() {
        return Err((diags, sources));
    }
    if unformatted > 0 {
        eprint!(
            "{}",
            crate::show(
                &[Diagnostic::error(
                    codes::UNFORMATTED,
                    format!(
                        "{unformatted} rule file{} not formatted",
                        if unformatted == 1 { " is" } else { "s are" }
                    ),
                )
                .ja(format!(
                    "整形されていないルールファイルが {unformatted} 件ある"
                ))
                .help("run `pms fmt` on the files listed")
                .help_ja("一覧のファイルに `pms fmt` を実行する")],
                &[]
            )
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
