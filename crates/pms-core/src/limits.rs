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

/// How deep an expression may nest with the bodies of the small definitions copied into it
/// (each copy counting [`DEFINE_DEPTH_COST`] more). A larger or deeper definition is called
/// as shared code instead (natively on a stack segment of its own when the stack runs low),
/// bounded by [`MAX_CALL_NESTING`]; this bounds one segment. Over it: `E2014`.
pub const MAX_EXPANDED_DEPTH: usize = 192;

/// The levels a copied definition counts towards [`MAX_EXPANDED_DEPTH`] besides its body's
/// own nesting (and a called one towards [`MAX_CALL_NESTING`]).
pub const DEFINE_DEPTH_COST: usize = 8;

/// How deep an expression may nest counting through every definition it calls, shared
/// ones included: each call counts [`DEFINE_DEPTH_COST`] plus the nesting of the body it
/// runs. Natively a shared call takes a stack segment when the stack runs low, but
/// WebAssembly runs on the engine's own call stack (about 1 MB in V8, Node and Chromium),
/// which no segment extends: checking and evaluating recurse once per level there. Node 20
/// held about 16,000 levels (a chain of 1,600 definitions each calling the previous one) and
/// not 24,000; this keeps an eighth of that, the same on every host, so a rule file that
/// compiles for the CLI compiles in the page too. Over it: `E2014`, at the outermost call.
pub const MAX_CALL_NESTING: usize = 2_048;

/// How many operations one evaluation of a rule part (its filter, a `let`, its requirement …)
/// may take, counting the body of each definition at each call: what the expression would be
/// if every call were replaced by its definition. Definitions are compiled once, so the plan
/// grows with the text, but a definition that calls another twice still doubles the work of
/// each level when evaluated (24 such levels take about 2^27 operations). Over it: `E2015`.
pub const MAX_EXPANDED_SIZE: usize = 1 << 28;

/// How deep a record document (JSON, YAML, or a JavaScript object) may nest: lists and
/// objects inside one another. The record model needs about six. Over it: `E1022`.
/// (serde_json's own limit for JSON text is 128.)
pub const MAX_RECORD_NESTING: usize = 128;

/// How many diagnostics a rendered (text) error report shows; the rest are counted in a
/// closing line. Structured (JSON) diagnostics list all.
pub const MAX_SHOWN_DIAGNOSTICS: usize = 1_000;
