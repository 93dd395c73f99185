//! The syntax tree of rule files. Every node carries a [`Span`]; nothing here knows pest.

use crate::value::Duration;
use chrono::NaiveDate;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// Index of the source in the program's source list.
    pub source: u32,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A language of a text.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese (the default for reports).
    Ja,
    /// English.
    En,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// `true` / `false`.
    Bool(bool),
    /// `12`.
    Int(i64),
    /// `1.5`.
    Num(f64),
    /// `"text"`.
    Str(String),
    /// `2024-04-01`.
    Date(NaiveDate),
    /// `12 months`.
    Dur(Duration),
    /// `none`.
    None,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `not`.
    Not,
    /// `-`.
    Neg,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `or`.
    Or,
    /// `and`.
    And,
    /// `??`: the left value, or the right one when the left is absent.
    Coalesce,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
    /// `+`.
    Add,
    /// `-`.
    Sub,
}

/// Aggregate kinds: `count(x in xs where …)` and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    /// Number of matching elements.
    Count,
    /// Whether any element matches.
    Exists,
    /// Whether every element satisfies the `where` condition.
    All,
    /// Largest projected value of the matching elements (absent if none).
    Max,
    /// Smallest projected value.
    Min,
    /// The matching elements (or their projections), sorted.
    List,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Lit(Lit),
    /// A variable, parameter or `as_of` / `org`.
    Name(String),
    /// `e.field`.
    Field(Box<Expr>, String),
    /// `e->field`: follow a reference, then read a field of the record it names.
    Deref(Box<Expr>, String),
    /// `not e`, `-e`.
    Unary(UnOp, Box<Expr>),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `f(a, b)`.
    Call(String, Vec<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `if c then a else b`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `kind(proj for var in source where filter)`.
    Agg {
        /// Which aggregate.
        kind: AggKind,
        /// Projection (`max(r.date for r in …)`).
        proj: Option<Box<Expr>>,
        /// Bound variable.
        var: String,
        /// Entity name or list expression.
        source: Box<Expr>,
        /// Filter.
        filter: Option<Box<Expr>>,
    },
}

/// A piece of a message: text, or an interpolated `{expression}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Literal text.
    Text(String),
    /// `{expr}`.
    Expr(Expr),
}

/// A text in one language, possibly with interpolations.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Its language.
    pub lang: Lang,
    /// Its pieces.
    pub pieces: Vec<Piece>,
    /// Where it is.
    pub span: Span,
}

/// A clause reference: `jis2017 "A.3.8"`, with `?` when the number is unverified.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseRef {
    /// Edition key (`jis2023`, `jis2017`, `jis2006`, `shishin`, `appi`).
    pub edition: String,
    /// Clause number.
    pub number: String,
    /// Whether the number is marked unverified.
    pub unverified: bool,
    /// Where it is.
    pub span: Span,
}

/// A name with its span.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Named {
    /// The name.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// `for var in entity where filter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// The subject variable.
    pub var: Named,
    /// The entity ranged over.
    pub entity: Named,
    /// `, a in m.items`: the subjects are the objects of this list of each record (the
    /// record stays bound to `var`).
    pub inner: Option<(Named, Expr)>,
    /// The filter.
    pub filter: Option<Expr>,
}

/// A parameter declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    /// Its name.
    pub name: Named,
    /// Its default.
    pub default: Lit,
    /// Later values in force from a date (an amendment of the law), in date order.
    pub changes: Vec<(chrono::NaiveDate, Lit, Span)>,
    /// Description texts.
    pub doc: Vec<Text>,
}

/// One rule as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleAst {
    /// Stable id (`R-TRN-01`).
    pub id: Named,
    /// `also for …` sections: other kinds of subject of the same rule (each with its own
    /// population, condition and texts; the rest is the rule's).
    pub also: Vec<RuleAst>,
    /// Whole rule.
    pub span: Span,
    /// Titles.
    pub title: Vec<Text>,
    /// Clause references.
    pub clauses: Vec<ClauseRef>,
    /// PDCA phase.
    pub phase: Option<Named>,
    /// Severity.
    pub severity: Option<Named>,
    /// Basis.
    pub basis: Option<Named>,
    /// PDCA activity node.
    pub activity: Option<Named>,
    /// Rules whose gap explains a gap of this one.
    pub depends: Vec<Named>,
    /// The JIS editions whose packs hold the rule (all when empty).
    pub editions: Vec<Named>,
    /// What it checks and why.
    pub explain: Vec<Text>,
    /// Whole-rule applicability.
    pub applies: Option<Expr>,
    /// Subjects.
    pub population: Option<Population>,
    /// Named values, in order.
    pub lets: Vec<(Named, Expr)>,
    /// The condition a compliant subject meets.
    pub require: Option<Expr>,
    /// The deadline of the obligation: met while `as_of <= due`.
    pub due: Option<Expr>,
    /// `due D if any`: a subject whose `D` is absent has no deadline (rather than a missed
    /// one).
    pub due_if_any: bool,
    /// Until this date an unmet `require` is pending rather than a gap.
    pub grace: Option<Expr>,
    /// `warn from D`: the subject is at risk from `D` until its deadline (instead of the
    /// last 30 days before it).
    pub warn: Option<Expr>,
    /// The day the obligation was actually met (for lateness of late-but-done work).
    pub done: Option<Expr>,
    /// Records to show with a finding.
    pub related: Vec<Expr>,
    /// Finding message.
    pub message: Vec<Text>,
    /// Remediation hint.
    pub fix: Vec<Text>,
}

/// `define name(a, b) = expr`: a named expression shared by rules.
#[derive(Debug, Clone, PartialEq)]
pub struct DefineDecl {
    /// Its name.
    pub name: Named,
    /// Parameter names.
    pub params: Vec<Named>,
    /// The body.
    pub body: Expr,
    /// Description texts.
    pub doc: Vec<Text>,
}

/// The declared type of an extension field.
#[derive(Debug, Clone, PartialEq)]
pub enum ExtTypeAst {
    /// A type name: `text`, `int`, `number`, `bool`, `date`.
    Name(Named),
    /// `ref ENTITY`.
    Ref(Named),
    /// `one of "a", "b"`.
    OneOf(Vec<String>),
    /// `[T]`.
    List(Box<ExtTypeAst>),
    /// `{ name: T, … }`.
    Object(Vec<(Named, ExtTypeAst)>),
}

/// `extend ENTITY { name: type, … }`: extension fields of an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtendDecl {
    /// The entity extended.
    pub entity: Named,
    /// Its new fields.
    pub fields: Vec<(Named, ExtTypeAst)>,
}

/// A parsed rule file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileAst {
    /// Extension fields declared by the file.
    pub extends: Vec<ExtendDecl>,
    /// Parameters.
    pub params: Vec<ParamDecl>,
    /// Shared definitions.
    pub defines: Vec<DefineDecl>,
    /// Rules.
    pub rules: Vec<RuleAst>,
}
