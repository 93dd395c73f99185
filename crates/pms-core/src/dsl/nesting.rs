//! The nesting of a rule text, measured on its tokens before pest parses it: the parser, the
//! lowering and every later walk of the tree recurse, so a text nested deeper than
//! [`MAX_RULE_NESTING`] is rejected here, located, instead of overflowing the stack.
//!
//! The measure is conservative: each open bracket counts one, and each operator, `if`,
//! `not` and field access counts one more until its bracket closes (a chain `a and b and …`
//! is a tree as deep as it is long). Outside brackets, the keyword that starts a rule part
//! or a declaration (`let`, `require`, `rule` …) starts a new expression and so a new count.

use crate::diagnostic::{codes, Diagnostic, Location};
use crate::limits::MAX_RULE_NESTING;

/// Keywords that start a declaration or a rule part: an expression cannot continue over them.
const STARTERS: &[&str] = &[
    "rule", "param", "define", "extend", "title", "clause", "phase", "severity", "basis",
    "activity", "depends", "editions", "explain", "applies", "for", "let", "require", "due",
    "grace", "warn", "done", "related", "message", "fix", "also",
];

/// Operator keywords, each a level of the tree.
const OPERATORS: &[&str] = &["and", "or", "not", "in", "if"];

#[derive(Clone, Copy, PartialEq)]
enum Open {
    /// The file, or a `{ … }` block (rule body, `extend` fields).
    Block,
    /// `(` or `[`.
    Bracket,
}

/// Checks that `text` nests no deeper than [`MAX_RULE_NESTING`].
///
/// # Errors
/// `E2014` at the token where the limit is passed.
pub fn check(text: &str, name: &str) -> Result<(), Box<Diagnostic>> {
    scan(text, MAX_RULE_NESTING)
        .map(|_| ())
        .map_err(|at| Box::new(too_deep(text, name, at)))
}

/// The deepest nesting of `text`, or the byte offset where it first goes deeper than `limit`.
fn scan(text: &str, limit: usize) -> Result<usize, usize> {
    let mut deepest = 0usize;
    let bytes = text.as_bytes();
    // Each open frame: its kind and the operators counted in it.
    let mut frames: Vec<(Open, usize)> = vec![(Open::Block, 0)];
    let mut depth = 0usize;
    let mut i = 0usize;
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    while i < bytes.len() {
        let b = at(i);
        let start = i;
        let mut deeper = false;
        match b {
            b'#' => {
                while i < bytes.len() && at(i) != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i += 1;
                while i < bytes.len() && at(i) != b {
                    i += if at(i) == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'0'..=b'9' => {
                // Numbers, dates (`2025-04-01`) and decimals are one token.
                while at(i).is_ascii_digit()
                    || (matches!(at(i), b'-' | b'.') && at(i + 1).is_ascii_digit())
                {
                    i += 1;
                }
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while at(i).is_ascii_alphanumeric() || at(i) == b'_' {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                match frames.last_mut() {
                    Some((Open::Block, ops)) if STARTERS.contains(&word) => {
                        depth -= *ops;
                        *ops = 0;
                    }
                    Some((_, ops)) if OPERATORS.contains(&word) => {
                        *ops += 1;
                        depth += 1;
                        deeper = true;
                    }
                    _ => {}
                }
            }
            b'(' | b'[' | b'{' => {
                frames.push((
                    if b == b'{' {
                        Open::Block
                    } else {
                        Open::Bracket
                    },
                    0,
                ));
                depth += 1;
                deeper = true;
                i += 1;
            }
            b')' | b']' | b'}' => {
                if frames.len() > 1 {
                    if let Some((_, ops)) = frames.pop() {
                        depth -= ops + 1;
                    }
                }
                i += 1;
            }
            b'+' | b'-' | b'<' | b'>' | b'=' | b'!' | b'?' | b'.' => {
                // One operator however many characters it has (`??`, `->`, `<=` …).
                while matches!(at(i), b'+' | b'-' | b'<' | b'>' | b'=' | b'!' | b'?' | b'.') {
                    i += 1;
                    if let Some((_, ops)) = frames.last_mut() {
                        *ops += 1;
                    }
                    depth += 1;
                }
                deeper = true;
            }
            _ => i += 1,
        }
        if deeper {
            if depth > limit {
                return Err(start);
            }
            deepest = deepest.max(depth);
        }
    }
    Ok(deepest)
}

fn too_deep(text: &str, name: &str, at: usize) -> Diagnostic {
    let before = text.get(..at).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::error(
        codes::RULE_NESTING,
        format!("expression nested deeper than {MAX_RULE_NESTING} levels"),
    )
    .at(Location {
        file: name.to_string(),
        line: Some(line),
        column: Some(column),
        span: Some((at, at + 1)),
        ..Location::default()
    })
    .label("too deep")
    .help(
        "split the expression with `let`s or `define`s; brackets, operators, `if` and `not` \
         each count a level (see docs/limits.md)",
    )
    .in_ja(
        format!("式の入れ子が {MAX_RULE_NESTING} 段を超えている"),
        "深すぎる",
        "`let` や `define` で式を分ける。括弧、演算子、`if`、`not` はそれぞれ 1 段と数える（docs/limits.md を参照）",
    )
}

/// The deepest nesting [`check`] measures in `text` (how far the shipped rules are from the
/// limit).
#[must_use]
pub fn measure(text: &str) -> usize {
    scan(text, usize::MAX).unwrap_or(usize::MAX)
}
