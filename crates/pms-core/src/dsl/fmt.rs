//! `pms fmt`: the canonical layout of a rule file.
//!
//! The formatter works on the source text, guided by the parse (comments are not part of the
//! syntax tree, so printing the tree would lose them). It only changes whitespace between
//! tokens and never joins or splits lines, so a formatted file has the same tokens in the same
//! order and compiles to the same program. The canonical form is the one the built-in rules
//! are written in:
//!
//! - top-level items (`param`, `define`, `rule`) start in column 1; the parts of a rule
//!   (`title`, `for`, `let`, `require` …) are indented by 2 spaces, its `}` by none;
//! - continuation lines (the rest of a long expression, the `en` text under the `ja` one) keep
//!   their alignment relative to the line they continue, and are indented at least 2 spaces
//!   more than it;
//! - one space between tokens, around binary operators and after commas; none inside brackets,
//!   before a comma, around `.` and `->`, between a function and its `(` and after a unary `-`;
//! - one blank line between top-level items when either is a rule or spans several lines
//!   (one-line `param`s may follow each other directly), at most one blank line anywhere;
//! - comments stay where they are: a comment line is indented like the line it precedes, an
//!   end-of-line comment keeps its distance from the code; trailing whitespace goes, the file
//!   ends with one newline.
//!
//! Formatting is idempotent: `format(format(x)) == format(x)`.

use super::lower::{layout, Layout};
use crate::diagnostic::Diagnostic;

/// Formats the rule file `text` (named `name` in diagnostics) canonically.
///
/// # Errors
/// The syntax error (`E2001`) when the text does not parse; nothing is formatted then.
pub fn format(text: &str, name: &str) -> Result<String, Vec<Diagnostic>> {
    let mut l = layout(text, name)?;
    let toks = tokens(text, &l.opaque);
    // An item's span from the parse runs on over the whitespace and comments after it: it
    // ends with its last token.
    for it in &mut l.items {
        it.1 = toks
            .iter()
            .filter(|t| t.kind != Kind::Comment && t.start < it.1)
            .map(|t| t.end)
            .next_back()
            .unwrap_or(it.1);
    }
    Ok(Printer {
        text,
        l: &l,
        toks: &toks,
    }
    .print())
}

/// What a token is, as far as spacing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A name or keyword.
    Word,
    /// A string, date, number or rule id: printed as written.
    Opaque,
    /// Punctuation and operators.
    Punct,
    /// `# …` to the end of the line.
    Comment,
}

/// A token with the whitespace in front of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Line breaks between the previous token and this one.
    pub(crate) newlines: usize,
    /// Width of the whitespace in front of it on its line (its indentation when it starts one).
    pub(crate) gap: usize,
}

const PUNCT2: [&str; 6] = ["==", "!=", "<=", ">=", "??", "->"];

/// Splits a rule file that parsed into tokens; `opaque` are the byte ranges of the tokens the
/// parse found (strings, dates, numbers, rule ids), sorted.
pub(crate) fn tokens(text: &str, opaque: &[(usize, usize)]) -> Vec<Token> {
    let mut out = Vec::new();
    let (mut i, mut next_opaque, mut newlines, mut gap) = (0, 0, 0, 0);
    while let Some(rest) = text.get(i..) {
        let Some(c) = rest.chars().next() else { break };
        while opaque.get(next_opaque).is_some_and(|o| o.0 < i) {
            next_opaque += 1;
        }
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let (kind, len) = match c {
            _ if opaque.get(next_opaque).is_some_and(|o| o.0 == i && o.1 > i) => {
                let end = opaque.get(next_opaque).map_or(i, |o| o.1);
                (Kind::Opaque, end - i)
            }
            '\n' => {
                newlines += 1;
                gap = 0;
                i += 1;
                continue;
            }
            ' ' | '\t' | '\r' | '\u{3000}' => {
                gap += if c == '\u{3000}' { 2 } else { 1 };
                i += c.len_utf8();
                continue;
            }
            '#' => (Kind::Comment, rest.find('\n').unwrap_or(rest.len())),
            // Digits left by the parse's numbers are the count of a duration (`12 months`).
            c if c.is_ascii_digit() => {
                (Kind::Opaque, rest.find(|c| !word(c)).unwrap_or(rest.len()))
            }
            c if word(c) => (Kind::Word, rest.find(|c| !word(c)).unwrap_or(rest.len())),
            _ if PUNCT2.iter().any(|p| rest.starts_with(p)) => (Kind::Punct, 2),
            _ => (Kind::Punct, c.len_utf8()),
        };
        out.push(Token {
            kind,
            start: i,
            end: i + len,
            newlines,
            gap,
        });
        (newlines, gap) = (0, 0);
        i += len;
    }
    out
}

/// The role of a line, decided by its first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Starts a top-level item (its index in `Layout::items`).
    Item(usize),
    /// Starts a part of a rule.
    Part,
    /// The `}` closing a rule.
    Close,
    /// A comment alone on its line.
    Comment,
    /// Continues the line above.
    Cont,
}

struct Line {
    /// Indexes of its tokens.
    first: usize,
    last: usize,
    blank_before: usize,
    indent: usize,
    role: Role,
    /// Inside a rule's braces (or its `}`).
    in_rule: bool,
    /// Strictly inside a top-level item (not its first line).
    in_item: bool,
}

struct Printer<'a> {
    text: &'a str,
    l: &'a Layout,
    toks: &'a [Token],
}

impl Printer<'_> {
    fn src(&self, t: &Token) -> &str {
        self.text.get(t.start..t.end).unwrap_or("")
    }

    fn lines(&self) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        for (i, t) in self.toks.iter().enumerate() {
            if i > 0 && t.newlines == 0 {
                if let Some(line) = lines.last_mut() {
                    line.last = i;
                }
                continue;
            }
            let item = self.l.items.iter().position(|it| it.0 == t.start);
            let in_rule = self
                .l
                .items
                .iter()
                .any(|it| it.2 && it.0 < t.start && t.start < it.1);
            let close = self
                .l
                .items
                .iter()
                .any(|it| it.2 && t.start + 1 == it.1 && t.kind == Kind::Punct);
            let role = if let Some(item) = item {
                Role::Item(item)
            } else if close {
                Role::Close
            } else if t.kind == Kind::Comment {
                Role::Comment
            } else if self.l.parts.contains(&t.start) {
                Role::Part
            } else {
                Role::Cont
            };
            lines.push(Line {
                first: i,
                last: i,
                blank_before: t.newlines.saturating_sub(1),
                indent: t.gap,
                role,
                in_rule,
                in_item: self
                    .l
                    .items
                    .iter()
                    .any(|it| it.0 < t.start && t.start < it.1),
            });
        }
        lines
    }

    /// Whether an item is a rule or spans several lines.
    fn big(&self, item: usize) -> bool {
        self.l
            .items
            .get(item)
            .is_some_and(|it| it.2 || self.text.get(it.0..it.1).is_some_and(|s| s.contains('\n')))
    }

    fn print(&self) -> String {
        let lines = self.lines();
        let mut out = String::with_capacity(self.text.len());
        let (mut base, mut delta) = (0usize, 0isize);
        let cont = |indent: usize, base: usize, delta: isize| {
            indent.saturating_add_signed(delta).max(base + 2)
        };
        for (n, line) in lines.iter().enumerate() {
            let indent = match line.role {
                Role::Item(_) | Role::Close => {
                    base = 0;
                    delta = -(line.indent as isize);
                    0
                }
                Role::Part => {
                    base = 2;
                    delta = 2 - line.indent as isize;
                    2
                }
                Role::Cont => cont(line.indent, base, delta),
                Role::Comment => {
                    let next = lines
                        .iter()
                        .skip(n + 1)
                        .find(|l| l.role != Role::Comment)
                        .map(|l| l.role);
                    match next {
                        Some(Role::Part | Role::Close) => 2,
                        Some(Role::Cont) => cont(line.indent, base, delta),
                        Some(Role::Item(_) | Role::Comment) | None => 0,
                    }
                }
            };
            let blank = if n == 0 {
                0
            } else if line.in_rule || line.in_item || line.role == Role::Close {
                line.blank_before.min(1)
            } else if line.blank_before == 0
                && n.checked_sub(1)
                    .and_then(|p| lines.get(p))
                    .is_some_and(|p| p.role == Role::Comment && !p.in_rule && !p.in_item)
            {
                0
            } else {
                // The start of a unit: an item, or a comment block (with the item it is
                // attached to, if any).
                let prev_item = lines
                    .get(..n)
                    .and_then(|ls| ls.iter().rev().find(|l| l.role != Role::Comment))
                    .and_then(|l| self.item_of(l));
                let prev_big = lines
                    .get(n.wrapping_sub(1))
                    .is_some_and(|p| p.role != Role::Comment || p.in_rule || p.in_item)
                    && prev_item.is_some_and(|i| self.big(i));
                let own = lines
                    .iter()
                    .skip(n)
                    .enumerate()
                    .take_while(|(k, l)| *k == 0 || (l.blank_before == 0))
                    .map(|(_, l)| l)
                    .find(|l| l.role != Role::Comment)
                    .and_then(|l| match l.role {
                        Role::Item(i) => Some(i),
                        _ => None,
                    });
                if prev_big || own.is_some_and(|i| self.big(i)) {
                    1
                } else {
                    line.blank_before.min(1)
                }
            };
            for _ in 0..blank {
                out.push('\n');
            }
            out.extend(std::iter::repeat_n(' ', indent));
            self.print_tokens(line, &mut out);
            out.push('\n');
        }
        out
    }

    /// The top-level item a code line belongs to.
    fn item_of(&self, line: &Line) -> Option<usize> {
        let start = self.toks.get(line.first)?.start;
        self.l
            .items
            .iter()
            .position(|it| it.0 <= start && start < it.1)
    }

    fn print_tokens(&self, line: &Line, out: &mut String) {
        let mut prev: Option<&Token> = None;
        for t in self.toks.get(line.first..=line.last).unwrap_or_default() {
            let s = self.src(t);
            if let Some(p) = prev {
                if t.kind == Kind::Comment {
                    out.extend(std::iter::repeat_n(' ', t.gap.max(1)));
                } else if !self.glued(p, t) {
                    out.push(' ');
                }
            }
            if t.kind == Kind::Comment {
                out.push_str(s.trim_end());
            } else {
                out.push_str(s);
            }
            prev = Some(t);
        }
    }

    /// Whether two neighbouring tokens are written without a space between them.
    fn glued(&self, prev: &Token, cur: &Token) -> bool {
        let punct = |t: &Token, set: &[&str]| t.kind == Kind::Punct && set.contains(&self.src(t));
        punct(prev, &["(", "["])
            || punct(cur, &[")", "]", ","])
            || punct(prev, &[".", "->"])
            || punct(cur, &[".", "->"])
            || (punct(cur, &["("]) && self.l.callees.contains(&prev.end))
            || (punct(prev, &["-"]) && self.l.unary.contains(&prev.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format(s, "t.pms").unwrap()
    }

    #[test]
    fn fmt_spaces_operators_and_indents_parts() {
        let src = "# head\nrule X-A-01 {\ntitle ja \"a\" en \"b\"\n     for w in workforce where w.start_date+12 months<as_of   # why\n        and count( r in training_records where r.person_id==w.id )>-1\n require  present( w.name )\n}\n";
        let want = "# head\nrule X-A-01 {\n  title ja \"a\" en \"b\"\n  for w in workforce where w.start_date + 12 months < as_of   # why\n     and count(r in training_records where r.person_id == w.id) > -1\n  require present(w.name)\n}\n";
        assert_eq!(fmt(src), want);
        assert_eq!(fmt(want), want);
    }

    #[test]
    fn fmt_blank_lines_between_items_and_comments_kept() {
        let src = "param a = 1\nparam b = 2\n\n\n# about c\nparam c = 3 ja \"c\"\nrule X-A-01 {\n  # inside\n\n\n  title ja \"a\" en \"b\"\n}   \n# after\ndefine f(x) =\nx + 1";
        let want = "param a = 1\nparam b = 2\n\n# about c\nparam c = 3 ja \"c\"\n\nrule X-A-01 {\n  # inside\n\n  title ja \"a\" en \"b\"\n}\n\n# after\ndefine f(x) =\n  x + 1\n";
        assert_eq!(fmt(src), want);
        assert_eq!(fmt(want), want);
    }

    #[test]
    fn fmt_rejects_what_does_not_parse() {
        let e = format("rule {", "bad.pms").unwrap_err();
        assert_eq!(e[0].code, "E2001");
    }

    /// Found by fuzzing (rules_parse): a keyword glued to what follows (`ruleR-X-12`) parsed,
    /// and its formatting (`ruleR - X - 12`) did not. A keyword ends where a name would.
    #[test]
    fn keywords_glued_to_the_next_word_are_syntax_errors() {
        for bad in [
            "ruleR-X-12 {\n  title ja \"x\" en \"x\"\n}\n",
            "rule R-X-12 {\n  titleja \"x\"\n}\n",
            "paramx = 1\n",
            "rule R-X-12 {\n  for t intraining_records\n}\n",
            "rule R-X-12 {\n  depends onR-X-1\n}\n",
        ] {
            let e = format(bad, "bad.pms").unwrap_err();
            assert_eq!(e[0].code, "E2001", "{bad}");
        }
        // Spaced as usual, and with a comment or a line break after the keyword, they parse.
        let ok = "rule R-X-12 { # c\n  title\n    ja \"x\" en \"x\"\n}\n";
        assert!(format(ok, "ok.pms").is_ok());
    }

    fn code_tokens(s: &str) -> Vec<String> {
        let l = layout(s, "t").unwrap();
        tokens(s, &l.opaque)
            .iter()
            .map(|t| s[t.start..t.end].trim_end().to_string())
            .collect()
    }

    fn builtin_files() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let mut out = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "pms") {
                    out.push((
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn fmt_builtin_files_keep_their_tokens_and_are_stable() {
        let files = builtin_files();
        assert!(files.len() > 100);
        for (name, text) in files {
            let once = format(&text, &name).unwrap();
            assert_eq!(code_tokens(&text), code_tokens(&once), "{name}");
            assert_eq!(format(&once, &name).unwrap(), once, "{name} is not stable");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any re-spacing of a built-in file (other indentation, spaces between tokens, extra
        /// blank lines) formats to a stable text with the same tokens.
        #[test]
        fn fmt_respaced_files_are_stable(file in 0usize..200, seed in proptest::collection::vec(0u8..4, 4000)) {
            let files = builtin_files();
            let (name, text) = &files[file % files.len()];
            let l = layout(text, name).unwrap();
            let mut s = String::new();
            let mut k = 0;
            let mut next = || { k += 1; seed[k % seed.len()] as usize };
            for t in tokens(text, &l.opaque) {
                if t.newlines > 0 {
                    for _ in 0..t.newlines + next() / 3 { s.push('\n'); }
                    for _ in 0..next() * 2 { s.push(' '); }
                } else {
                    for _ in 0..t.gap.min(1) + next() / 2 { s.push(' '); }
                }
                s.push_str(&text[t.start..t.end]);
            }
            let once = format(&s, name).unwrap();
            proptest::prop_assert_eq!(code_tokens(text), code_tokens(&once));
            proptest::prop_assert_eq!(format(&once, name).unwrap(), once);
        }
    }
}
