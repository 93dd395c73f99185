//! The engine's fixed limits on hostile input: how deep rule expressions and record documents
//! may nest, and how large a rule may grow once its definitions are expanded. Each limit is
//! sized so that parsing, checking, evaluating and dropping stay well inside the smallest
//! stack a host gives (1 MiB: WebAssembly's default, Windows' main thread, small Python
//! threads); exceeding one is a coded, located error, never a crash. `docs/limits.md` lists
//! them.

/// How deep a rule expression may nest in its text, counted conservatively before it is
/// parsed: each open bracket counts one, and so does each operator, `if`, `not` and field
/// access since the last bracket (an `a and b and …` chain nests as deep as it is long).
/// Over it: `E2014`.
pub const MAX_RULE_NESTING: usize = 128;

/// How deep an expression may nest once the definitions it calls are expanded (its own
/// nesting plus that of each definition body on the way, each call counting
/// [`DEFINE_DEPTH_COST`] more): a chain of about 15 definitions each calling the next.
/// Over it: `E2014`.
pub const MAX_EXPANDED_DEPTH: usize = 192;

/// The levels a definition call counts towards [`MAX_EXPANDED_DEPTH`] besides its body's
/// own nesting: checking it takes several times the stack of an operator.
pub const DEFINE_DEPTH_COST: usize = 8;

/// How many expression nodes one rule part may compile to once every definition it calls is
/// expanded (a definition that uses the previous one twice doubles at each level). Over it:
/// `E2015`.
pub const MAX_EXPANDED_SIZE: usize = 100_000;

/// How deep a record document (JSON, YAML, or a JavaScript object) may nest: lists and
/// objects inside one another. The record model needs about six. Over it: `E1022`.
/// (serde_json's own limit for JSON text is 128.)
pub const MAX_RECORD_NESTING: usize = 128;

/// How many diagnostics a rendered (text) error report shows; the rest are counted in a
/// closing line. Structured (JSON) diagnostics list all.
pub const MAX_SHOWN_DIAGNOSTICS: usize = 1_000;
