//! The formatter (`pms fmt`) over the built-in rules: formatting never changes what a rule
//! file means and is idempotent, and the built-in files are kept formatted.

use crate::common::*;
use pms_core::dsl::fmt::format;
use pms_core::{Program, Source};

/// Re-spaces a rule file without changing its tokens: no indentation or a wrong one, no
/// spaces around operators and after commas, spaces inside brackets, blank lines doubled,
/// trailing spaces. Strings and comments are left alone.
fn respace(text: &str, seed: usize) -> String {
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        out.extend(std::iter::repeat_n(' ', (n * 7 + seed) % 5));
        let mut quote: Option<char> = None;
        let mut escaped = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(q) = quote {
                out.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '"' | '\'' => {
                    quote = Some(c);
                    out.push(c);
                }
                '#' => {
                    out.push(c);
                    out.extend(chars.by_ref());
                }
                // `a == b` → `a==b`, `f(a, b)` → `f( a,b )`: the spaces the formatter puts
                // back or takes away.
                ' ' if matches!(chars.peek(), Some('=' | '!' | '<' | '>' | '+' | '?')) => {}
                ',' => {
                    out.push(',');
                    if chars.peek() == Some(&' ') {
                        chars.next();
                    }
                }
                '(' => out.push_str("( "),
                ')' => out.push_str(" )"),
                _ => out.push(c),
            }
        }
        out.push_str("  \n");
        if line.is_empty() {
            out.push('\n');
        }
    }
    out
}

fn compile(sources: Vec<Source>) -> Program {
    Program::compile(sources)
        .unwrap_or_else(|d| panic!("{}", pms_core::diagnostic::render(&d, &[])))
}

#[test]
fn formatting_respaced_builtin_rules_is_idempotent_and_keeps_their_meaning() {
    let originals = pms_rules::builtin_sources();
    assert!(originals.len() > 100);
    let mut respaced = Vec::new();
    let mut formatted = Vec::new();
    for (k, s) in originals.iter().enumerate() {
        let messy = respace(&s.text, k);
        let once = format(&messy, &s.name).unwrap_or_else(|d| {
            panic!(
                "{}",
                pms_core::diagnostic::render(&d, &[(s.name.clone(), messy.clone())])
            )
        });
        assert_eq!(
            format(&once, &s.name).unwrap(),
            once,
            "{}: not idempotent",
            s.name
        );
        // Formatting a formatted file changes nothing; formatting the original gives what
        // formatting any re-spacing of it gives, up to the alignment of continuation lines.
        let direct = format(&s.text, &s.name).unwrap();
        assert_eq!(format(&direct, &s.name).unwrap(), direct, "{}", s.name);
        respaced.push(Source {
            name: s.name.clone(),
            text: messy,
        });
        formatted.push(Source {
            name: s.name.clone(),
            text: once,
        });
    }
    let set = sample();
    let opts = pms_core::Options::new(date("2026-03-31"));
    let report = |p: &Program| pms_core::evaluate(p, &set, &opts).unwrap().to_json();
    let want = report(program());
    assert_eq!(
        report(&compile(respaced)),
        want,
        "re-spacing changed the meaning"
    );
    assert_eq!(
        report(&compile(formatted)),
        want,
        "formatting changed the meaning"
    );
}

#[test]
fn builtin_rules_are_formatted() {
    let unformatted: Vec<String> = pms_rules::builtin_sources()
        .into_iter()
        .filter(|s| format(&s.text, &s.name).map_or(true, |f| f != s.text))
        .map(|s| s.name)
        .collect();
    assert!(
        unformatted.is_empty(),
        "not formatted (run `cargo run -p pms-cli -- fmt rules`): {unformatted:?}"
    );
}
