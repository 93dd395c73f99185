//! `pms test`: runs a company's test cases for its rules and prints what differs.

use crate::files;
use crate::show as render;
use crate::Failure;
use pms_core::cases::{self, Case};
use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Location, Program};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs every case of the case files under `paths`. Prints `ok` or `FAIL` per case (with the
/// missing findings as `-` and the unexpected ones as `+`), or `ERROR` for a case that cannot
/// run (its diagnostics on stderr), then `N passed, M failed` (`, K could not run`).
/// Exit code 0 when all pass, 1 when one fails, 2 when a file or a case cannot be run.
pub fn run(
    program: &Program,
    paths: &[PathBuf],
    edition: &str,
    lang: &str,
) -> Result<ExitCode, Failure> {
    let list = files::expand(paths, &["yaml", "yml"]).map_err(crate::fail)?;
    if list.is_empty() {
        return Err(crate::fail(vec![Diagnostic::error(
            codes::IO,
            "no test case files (*.yaml) found".to_string(),
        )
        .ja("テストケースファイル（*.yaml）が見つからない")
        .help("give case files or directories holding them")
        .help_ja("ケースファイルか、それを含むディレクトリを指定する")]));
    }
    let (mut passed, mut failed, mut not_run, mut bad) = (0usize, 0usize, 0usize, false);
    for path in list {
        let name = path.display().to_string();
        let text = match files::read(&path, "test case") {
            Ok(t) => t,
            Err(d) => {
                bad = true;
                eprint!("{}", render(&d, &[]));
                continue;
            }
        };
        let loaded = load(&name, &text);
        let cases = match loaded {
            Ok(c) => c,
            Err(d) => {
                bad = true;
                eprint!("{}", render(&d, &[(name.clone(), text.clone())]));
                continue;
            }
        };
        for case in cases {
            match cases::run_case(program, &case, &name, Some(edition), Some(lang)) {
                Ok(r) if r.passed() => {
                    passed += 1;
                    println!("ok   {name}: {}", case.name);
                }
                Ok(r) => {
                    failed += 1;
                    println!("FAIL {name}: {}", case.name);
                    for m in &r.missing {
                        println!("  - {m}");
                    }
                    for u in &r.unexpected {
                        println!("  + {}  {}", u.finding, u.message);
                    }
                }
                Err(mut d) => {
                    bad = true;
                    not_run += 1;
                    println!("ERROR {name}: {}", case.name);
                    cases::locate(&mut d, &name, &text);
                    eprintln!(
                        "{}",
                        match crate::diag_lang() {
                            pms_core::Lang::En =>
                                format!("error: case `{}` of {name} cannot run", case.name),
                            pms_core::Lang::Ja =>
                                format!("error: {name} のケース `{}` を実行できない", case.name),
                        }
                    );
                    eprint!("{}", render(&d, &[(name.clone(), text.clone())]));
                }
            }
        }
    }
    if not_run > 0 {
        println!("{passed} passed, {failed} failed, {not_run} could not run");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    Ok(ExitCode::from(if bad { 2 } else { u8::from(failed > 0) }))
}

/// Parses a case file and checks its shape.
fn load(name: &str, text: &str) -> Result<Vec<Case>, Vec<Diagnostic>> {
    let doc = pms_core::text::parse_yaml(text).map_err(|e| {
        vec![Diagnostic::error(
            codes::SYNTAX,
            format!("test case file is not valid YAML: {}", e.message),
        )
        .ja(format!(
            "テストケースファイルが YAML として正しくない: {}",
            pms_core::text::syntax_ja(&e.message)
        ))
        .at(Location {
            file: name.to_string(),
            line: Some(e.line),
            column: Some(e.column),
            ..Location::default()
        })
        .label("here")
        .label_ja("ここ")]
    })?;
    cases::parse_cases(&doc, name).map_err(|mut d| {
        cases::locate(&mut d, name, text);
        d
    })
}
