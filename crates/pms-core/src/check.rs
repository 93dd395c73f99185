//! `ast_to_checked`: name resolution, type checking and lowering of rule expressions to the
//! compiled form the evaluator runs ([`C`]). Field names become slots, entity names become
//! table indexes and equality joins become index look-ups, so nothing is resolved by name
//! while records are evaluated.

use crate::diagnostic::{codes, Diagnostic, Location};
use crate::dsl::ast::DefineDecl;
use crate::dsl::ast::*;
use crate::schema::{self, Ty, STRUCTS};
use crate::value::{Duration, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Static type of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum T {
    /// Unknown (absent literal, or a value whose type does not matter).
    Any,
    /// Boolean.
    Bool,
    /// Whole number.
    Int,
    /// Number.
    Num,
    /// Text.
    Str,
    /// Date.
    Date,
    /// Duration.
    Dur,
    /// Vocabulary value.
    Enum(&'static [&'static str]),
    /// Id of a record of an entity or nested struct.
    Ref(&'static str),
    /// A record of an entity (struct index).
    Rec(u16),
    /// A nested object (struct index).
    Obj(u16),
    /// A list.
    List(Box<T>),
}

impl T {
    fn from_ty(ty: Ty) -> T {
        match ty {
            Ty::Str => T::Str,
            Ty::Int => T::Int,
            Ty::Num => T::Num,
            Ty::Bool => T::Bool,
            Ty::Date => T::Date,
            Ty::Enum(v) => T::Enum(v),
            Ty::Ref(e) => T::Ref(e),
            Ty::List(t) => T::List(Box::new(T::from_ty(*t))),
            Ty::Obj(n) => T::Obj(struct_index(n).unwrap_or(0)),
        }
    }

    /// Name for messages.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            T::Any => "any value".into(),
            T::Bool => "boolean".into(),
            T::Int => "whole number".into(),
            T::Num => "number".into(),
            T::Str => "text".into(),
            T::Date => "date".into(),
            T::Dur => "duration".into(),
            T::Enum(_) => "vocabulary text".into(),
            T::Ref(e) => format!("`{e}` id"),
            T::Rec(i) => format!("`{}` record", struct_name(*i)),
            T::Obj(i) => format!("`{}` object", struct_name(*i)),
            T::List(t) => format!("list of {}", t.describe()),
        }
    }

    /// [`T::describe`] in Japanese.
    #[must_use]
    #[inline(never)]
    pub fn describe_ja(&self) -> String {
        match self {
            T::Any => "任意の値".into(),
            T::Bool => "真偽値".into(),
            T::Int => "整数".into(),
            T::Num => "数値".into(),
            T::Str => "文字列".into(),
            T::Date => "日付".into(),
            T::Dur => "期間".into(),
            T::Enum(_) => "語彙の文字列".into(),
            T::Ref(e) => format!("`{e}` の id"),
            T::Rec(i) => format!("`{}` の記録", struct_name(*i)),
            T::Obj(i) => format!("`{}` のオブジェクト", struct_name(*i)),
            T::List(t) => format!("{}のリスト", t.describe_ja()),
        }
    }

    fn is_textual(&self) -> bool {
        matches!(self, T::Str | T::Enum(_) | T::Ref(_))
    }

    fn is_numeric(&self) -> bool {
        matches!(self, T::Int | T::Num)
    }

    /// Whether values of the two types can be compared with `==` or `<`.
    fn comparable(&self, other: &T) -> bool {
        match (self, other) {
            (T::Any, _) | (_, T::Any) => true,
            (a, b) if a.is_textual() && b.is_textual() => true,
            (a, b) if a.is_numeric() && b.is_numeric() => true,
            (T::Rec(a), T::Rec(b)) => a == b,
            (T::List(a), T::List(b)) => a.comparable(b),
            (a, b) => a == b,
        }
    }
}

/// The index of a struct by name: a built-in entity or object, or the nested object of an
/// extension field.
pub(crate) fn struct_index(name: &str) -> Option<u16> {
    schema::find_struct(name).and_then(schema::struct_index)
}

pub(crate) fn struct_name(i: u16) -> &'static str {
    schema::struct_at(i).map_or("?", |s| s.name)
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `present(x)`: recorded (not null, empty text or empty list).
    Present,
    /// `absent(x)`.
    Absent,
    /// `within(date, duration)`: `as_of - duration <= date <= as_of`.
    Within,
    /// `between(d, from, to)`: `from <= d` and (`to` absent or `d <= to`).
    Between,
    /// `days(a, b)`: days from `a` to `b`.
    Days,
    /// `missing(obj, "f", …)`: names of the listed fields that are absent or `false`.
    Missing,
    /// `len(list)`.
    Len,
    /// `contains(list, x)`.
    Contains,
    /// `coalesce(a, b, …)`: first present value.
    Coalesce,
    /// `later(a, b)`: the later of two dates, ignoring absent ones.
    Later,
    /// `earlier(a, b)`.
    Earlier,
    /// `next_business_day(d)`: `d` if it is a business day, else the next one.
    NextBusinessDay,
    /// `is_business_day(d)`.
    IsBusinessDay,
    /// `year_start()`: first day of the PMS year containing `as_of`.
    YearStart,
    /// `business_days(from, to)`: the business days of the company's calendar in a range.
    BusinessDays,
    /// `flatten(lists)`: a list of lists as one list.
    Flatten,
    /// `labels(obj, names)`: the Japanese labels of fields of `obj`'s entity or object
    /// ([`crate::labels`]), for Japanese messages; compiled with the struct name as the first
    /// argument.
    Labels,
}

const FUNCS: &[(&str, Func, usize, usize)] = &[
    ("present", Func::Present, 1, 1),
    ("absent", Func::Absent, 1, 1),
    ("within", Func::Within, 2, 2),
    ("between", Func::Between, 3, 3),
    ("days", Func::Days, 2, 2),
    ("missing", Func::Missing, 2, 64),
    ("len", Func::Len, 1, 1),
    ("contains", Func::Contains, 2, 2),
    ("coalesce", Func::Coalesce, 1, 64),
    ("later", Func::Later, 2, 2),
    ("earlier", Func::Earlier, 2, 2),
    ("next_business_day", Func::NextBusinessDay, 1, 1),
    ("is_business_day", Func::IsBusinessDay, 1, 1),
    ("year_start", Func::YearStart, 0, 0),
    ("business_days", Func::BusinessDays, 2, 2),
    ("flatten", Func::Flatten, 1, 1),
    ("labels", Func::Labels, 2, 2),
];

/// Whether `name` is a built-in function of the rule language (which a `define` may not
/// take).
pub(crate) fn is_builtin_function(name: &str) -> bool {
    FUNCS.iter().any(|(n, ..)| *n == name)
        || ["count", "exists", "all", "list", "max", "min"].contains(&name)
}

/// Where an aggregate reads its elements.
#[derive(Debug, Clone)]
pub enum Source {
    /// Every record of an entity.
    Entity(u16),
    /// The records of an entity whose field equals a key: a hash-index look-up.
    Indexed {
        /// Entity.
        entity: u16,
        /// Field slot.
        field: u16,
        /// The key.
        key: Box<C>,
        /// Whether a record whose `field` is absent leaves the look-up's condition unknown
        /// (an optional field that is not an alternative key): such records are visited too,
        /// as elements whose condition is unknown, so the look-up agrees with a scan.
        absent: bool,
        /// `Some(i)` when the aggregate's filter and projection read nothing but its
        /// element: it is then computed for every key in one pass over the entity's
        /// columns, kept as the evaluation's group table `i`, and looked up by key.
        group: Option<u32>,
    },
    /// The records of an entity that one of several look-ups finds (`a or b`, each an
    /// index look-up): the rows of every part, in record order, each once. The whole
    /// condition stays the aggregate's filter, so the parts only narrow the rows read.
    Union {
        /// Entity.
        entity: u16,
        /// The look-ups.
        parts: Vec<UnionPart>,
    },
    /// Elements of a list value.
    List(Box<C>),
}

/// One look-up of a [`Source::Union`].
#[derive(Debug, Clone)]
pub struct UnionPart {
    /// Field slot (a text field, or a list of texts indexed by element).
    pub field: u16,
    /// The key: a text, or with `many` a list of texts, each looked up.
    pub key: Box<C>,
    /// Whether `key` is a list of keys (`x.id in (c.items ?? [])`).
    pub many: bool,
    /// Whether a record whose field is absent leaves this part's condition unknown (see
    /// `Source::Indexed`): the union then visits such records too.
    pub absent: bool,
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub enum C {
    /// A constant.
    Const(Value),
    /// A local variable slot.
    Slot(usize),
    /// A parameter by index.
    Param(usize),
    /// The evaluation date.
    AsOf,
    /// The organization record.
    Org,
    /// A field of a record or object by slot.
    Field(Box<C>, u16),
    /// Follow a reference to `struct` and read a field slot.
    Deref(Box<C>, u16, u16),
    /// `not`.
    Not(Box<C>),
    /// Unary minus.
    Neg(Box<C>),
    /// Binary operator.
    Bin(BinOp, Box<C>, Box<C>),
    /// Function call.
    Call(Func, Vec<C>),
    /// List literal.
    List(Vec<C>),
    /// `if c then a else b`.
    If(Box<C>, Box<C>, Box<C>),
    /// A `define` call: argument values go to slots, then the body is evaluated.
    Let(Vec<(usize, C)>, Box<C>),
    /// A call of a definition compiled once, as shared code, for the types of its
    /// arguments: they are evaluated into the first slots of a frame of its own, then its
    /// body is evaluated in that frame (see [`DefCode`]).
    Def(std::sync::Arc<DefCode>, Vec<C>),
    /// Aggregate over a source with a bound slot.
    Agg {
        /// Which aggregate.
        kind: AggKind,
        /// Projection.
        proj: Option<Box<C>>,
        /// Slot the element is bound to.
        slot: usize,
        /// Elements.
        source: Source,
        /// Filter.
        filter: Option<Box<C>>,
    },
}

impl C {
    /// Calls `f` on each direct subexpression (for an aggregate: projection, filter, then
    /// its source's key or list).
    pub(crate) fn each_child(&self, f: &mut impl FnMut(&C)) {
        match self {
            C::Const(_) | C::Slot(_) | C::Param(_) | C::AsOf | C::Org => {}
            C::Field(a, _) | C::Deref(a, _, _) | C::Not(a) | C::Neg(a) => f(a),
            C::Bin(_, a, b) => {
                f(a);
                f(b);
            }
            C::Call(_, args) | C::List(args) | C::Def(_, args) => args.iter().for_each(f),
            C::If(c, a, b) => {
                f(c);
                f(a);
                f(b);
            }
            C::Let(binds, body) => {
                binds.iter().for_each(|(_, c)| f(c));
                f(body);
            }
            C::Agg {
                proj,
                source,
                filter,
                ..
            } => {
                proj.as_deref()
                    .into_iter()
                    .chain(filter.as_deref())
                    .for_each(&mut *f);
                match source {
                    Source::Entity(_) => {}
                    Source::Indexed { key, .. } => f(key),
                    Source::Union { parts, .. } => parts.iter().for_each(|p| f(&p.key)),
                    Source::List(l) => f(l),
                }
            }
        }
    }

    /// [`C::each_child`], mutably.
    pub(crate) fn each_child_mut(&mut self, f: &mut impl FnMut(&mut C)) {
        match self {
            C::Const(_) | C::Slot(_) | C::Param(_) | C::AsOf | C::Org => {}
            C::Field(a, _) | C::Deref(a, _, _) | C::Not(a) | C::Neg(a) => f(a),
            C::Bin(_, a, b) => {
                f(a);
                f(b);
            }
            C::Call(_, args) | C::List(args) | C::Def(_, args) => args.iter_mut().for_each(f),
            C::If(c, a, b) => {
                f(c);
                f(a);
                f(b);
            }
            C::Let(binds, body) => {
                binds.iter_mut().for_each(|(_, c)| f(c));
                f(body);
            }
            C::Agg {
                proj,
                source,
                filter,
                ..
            } => {
                proj.as_deref_mut()
                    .into_iter()
                    .chain(filter.as_deref_mut())
                    .for_each(&mut *f);
                match source {
                    Source::Entity(_) => {}
                    Source::Indexed { key, .. } => f(key),
                    Source::Union { parts, .. } => parts.iter_mut().for_each(|p| f(&mut p.key)),
                    Source::List(l) => f(l),
                }
            }
        }
    }
}

/// A definition compiled once for one list of argument types and shared by every call with
/// those types ([`C::Def`]). Its body reads nothing of its callers: its arguments are in slots
/// `0..n` of its own frame.
pub struct DefCode {
    /// The definition's name.
    pub name: String,
    /// The compiled body.
    pub body: C,
    /// How many slots its frame needs (the arguments first).
    pub slots: usize,
}

/// Names the definition only: its body is shared by every call, and printing it at each
/// would be as large as the expansion that sharing avoids.
impl std::fmt::Debug for DefCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DefCode")
            .field("name", &self.name)
            .field("slots", &self.slots)
            .finish_non_exhaustive()
    }
}

/// A definition lowered for one list of argument types: its shared code and what a call of it
/// brings to the caller, measured once instead of at each call.
struct Lowered {
    code: std::sync::Arc<DefCode>,
    ty: T,
    /// Deepest nesting of its body (inlined definitions included; called ones run on a stack
    /// segment of their own).
    depth: usize,
    /// Operations one evaluation takes at most: every expression node of the body and of the
    /// definitions it calls, counted at each call (what the expanded text would be).
    cost: usize,
    /// Expression nodes of the compiled body (what inlining it copies).
    nodes: usize,
    /// How deep the body nests counting through the definitions it calls (see
    /// [`crate::limits::MAX_CALL_NESTING`]).
    stack: usize,
    entities: Vec<u16>,
    params_used: Vec<usize>,
    uses_org: bool,
}

/// Lowered definitions by name, for each list of argument types.
type Memo = HashMap<String, Vec<(Vec<T>, std::rc::Rc<Lowered>)>>;

/// How many definition cycles a scope reports from each definition they pass through before
/// it reports each cycle only once (bounds the work on a long chain into a cycle).
const MAX_CYCLE_REPORTS: usize = 100;

/// Compiled definitions no larger than this many nodes are copied into their callers (as
/// [`C::Let`]) rather than called: a call costs a frame, and every definition of the shipped
/// rules stays under it, so their plans are what inlining gives.
const INLINE_NODES: usize = 256;

/// Which limit of [`crate::limits`] an expression passed.
#[derive(Clone, Copy)]
enum Limit {
    /// [`crate::limits::MAX_EXPANDED_DEPTH`].
    Depth,
    /// [`crate::limits::MAX_CALL_NESTING`].
    Calls,
    /// [`crate::limits::MAX_EXPANDED_SIZE`].
    Size,
}

/// Stack kept free before a definition is lowered or a called one is evaluated, and the size
/// of a new stack segment when less is left (`stacker`): a segment holds at most
/// [`crate::limits::MAX_EXPANDED_DEPTH`] levels, so chains of definitions never exhaust a
/// native host's stack. (In WebAssembly the engine's own stack bounds the recursion, which no
/// segment extends: [`crate::limits::MAX_CALL_NESTING`] keeps chains within it.)
pub(crate) const STACK_RED_ZONE: usize = 1 << 20;
/// See [`STACK_RED_ZONE`].
pub(crate) const STACK_SEGMENT: usize = 4 << 20;

/// The number of nodes of a compiled expression (a shared call counts its arguments only).
fn node_count(c: &C) -> usize {
    let mut n = 1;
    c.each_child(&mut |x| n += node_count(x));
    n
}

/// Moves the variable slots of `c` (a definition's body being inlined) up by `base`.
fn shift_slots(c: &mut C, base: usize) {
    match c {
        C::Slot(s) => *s += base,
        C::Let(binds, _) => binds.iter_mut().for_each(|(s, _)| *s += base),
        C::Agg { slot, .. } if *slot != usize::MAX => *slot += base,
        _ => {}
    }
    c.each_child_mut(&mut |x| shift_slots(x, base));
}

/// A declared parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Default.
    pub default: Value,
    /// Its type.
    pub ty: T,
    /// Values in force from a date on (amendments), in date order.
    pub changes: Vec<(chrono::NaiveDate, Value)>,
    /// Description (ja, en).
    pub doc: Vec<(Lang, String)>,
}

impl Param {
    /// The value in force on a date.
    #[must_use]
    pub fn value_on(&self, date: chrono::NaiveDate) -> &Value {
        self.changes
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map_or(&self.default, |(_, v)| v)
    }
}

/// Name resolution scope for one rule.
pub(crate) struct Scope<'p> {
    params: &'p HashMap<String, (usize, T)>,
    defines: &'p HashMap<String, DefineDecl>,
    extensions: &'p schema::Extensions,
    expanding: Vec<String>,
    vars: Vec<(String, usize, T)>,
    pub(crate) slots: usize,
    pub(crate) entities: Vec<u16>,
    pub(crate) params_used: Vec<usize>,
    pub(crate) uses_org: bool,
    source_name: String,
    pub(crate) diags: Vec<Diagnostic>,
    /// Where each definition being expanded was called (parallel to `expanding`).
    call_spans: Vec<Span>,
    /// Current nesting of [`Scope::expr`], definition bodies included.
    depth: usize,
    /// Operations compiled so far (a definition's cost counted at each call).
    size: usize,
    /// Deepest nesting reached in the current definition body or rule part.
    max_depth: usize,
    /// Nesting through the calls being lowered, where the current definition body starts.
    stack_base: usize,
    /// Deepest nesting through calls reached in the current definition body or rule part,
    /// from its start.
    max_stack: usize,
    /// Definitions lowered so far, by name, for each list of argument types.
    memo: Memo,
    /// Definitions whose lowering met a cycle, kept for the current part only, so that each
    /// definition checked on its own reports the cycle from where it starts (up to
    /// [`MAX_CYCLE_REPORTS`]; then they are kept like the others).
    part_memo: Memo,
    /// Cycles reported so far.
    cycles_reported: usize,
    /// Whether a limit of [`crate::limits`] was reported (it is reported once).
    over_limit: bool,
    /// The struct and slot of the last record field compiled (`x.f` of an entity record),
    /// so that a comparison can tell an alternative key ([`schema::ALTERNATIVES`]).
    last_field: Option<(u16, u16)>,
}

impl<'p> Scope<'p> {
    pub(crate) fn new(
        params: &'p HashMap<String, (usize, T)>,
        defines: &'p HashMap<String, DefineDecl>,
        extensions: &'p schema::Extensions,
        source_name: &str,
    ) -> Self {
        Scope {
            params,
            defines,
            extensions,
            expanding: Vec::new(),
            vars: Vec::new(),
            slots: 0,
            entities: Vec::new(),
            params_used: Vec::new(),
            uses_org: false,
            source_name: source_name.into(),
            diags: Vec::new(),
            call_spans: Vec::new(),
            depth: 0,
            size: 0,
            max_depth: 0,
            stack_base: 0,
            max_stack: 0,
            memo: Memo::new(),
            part_memo: Memo::new(),
            cycles_reported: 0,
            over_limit: false,
            last_field: None,
        }
    }

    /// Starts checking another independent expression (a definition on its own): the limits
    /// count from zero again; definitions already lowered stay.
    pub(crate) fn start_part(&mut self) {
        self.size = 0;
        self.depth = 0;
        self.max_depth = 0;
        self.stack_base = 0;
        self.max_stack = 0;
        self.over_limit = false;
        self.part_memo.clear();
    }

    pub(crate) fn bind(&mut self, name: &str, ty: T) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.vars.push((name.to_string(), slot, ty));
        slot
    }

    fn unbind(&mut self) {
        self.vars.pop();
    }

    pub(crate) fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        self.diags.push(
            Diagnostic::error(code, message)
                .at(Location {
                    file: self.source_name.clone(),
                    span: Some((span.start, span.end)),
                    ..Location::default()
                })
                .label(label)
                .maybe_help(help),
        );
    }

    /// Reports an entity name that names no entity (E2002), in English and Japanese.
    pub(crate) fn unknown_entity(&mut self, name: &str, span: Span) {
        let (help, help_ja) = crate::diagnostic::did_you_mean_or(
            schema::suggest(name, schema::entities().map(|e| e.name)),
            "see docs/records.md for the entities",
            "エンティティは docs/records.md を参照",
        );
        self.error(
            codes::RULE_UNKNOWN_ENTITY,
            span,
            format!("unknown entity `{name}`"),
            "not an entity",
            Some(help),
        );
        self.ja(
            format!("未知のエンティティ `{name}`"),
            "エンティティではない",
            Some(&help_ja),
        );
    }

    /// Gives the diagnostic just reported ([`Scope::error`]) its message, label and help in
    /// Japanese.
    pub(crate) fn ja(&mut self, message: String, label: &str, help: Option<&str>) {
        if let Some(d) = self.diags.last_mut() {
            d.message_ja = Some(message);
            d.label_ja = Some(label.to_owned());
            d.help_ja = help.map(str::to_owned);
        }
    }

    fn lookup(&self, name: &str) -> Option<(usize, T)> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, s, t)| (*s, t.clone()))
    }

    fn note_entity(&mut self, e: u16) {
        if !self.entities.contains(&e) {
            self.entities.push(e);
        }
    }

    /// Type-checks and compiles an expression, within the limits of [`crate::limits`]: past
    /// one, a coded error (once) and a constant in place of the rest.
    pub(crate) fn expr(&mut self, e: &Expr) -> (C, T) {
        use crate::limits::{MAX_CALL_NESTING, MAX_EXPANDED_DEPTH, MAX_EXPANDED_SIZE};
        let limit = if self.depth >= MAX_EXPANDED_DEPTH {
            Some(Limit::Depth)
        } else if self.stack_base + self.depth >= MAX_CALL_NESTING {
            Some(Limit::Calls)
        } else if self.size >= MAX_EXPANDED_SIZE {
            Some(Limit::Size)
        } else {
            None
        };
        if let Some(limit) = limit {
            if !self.over_limit {
                self.over_limit = true;
                self.limit_error(limit, e.span);
            }
            return (C::Const(Value::Null), T::Any);
        }
        self.depth += 1;
        self.max_depth = self.max_depth.max(self.depth);
        self.max_stack = self.max_stack.max(self.depth);
        self.size += 1;
        let out = self.expr_unlimited(e);
        self.depth -= 1;
        out
    }

    /// Reports a passed limit at the outermost call of a definition (or at `span` when no
    /// definition is being expanded), naming the definitions on the way.
    fn limit_error(&mut self, limit: Limit, span: Span) {
        use crate::limits::{MAX_CALL_NESTING, MAX_EXPANDED_DEPTH, MAX_EXPANDED_SIZE};
        let at = self.call_spans.first().copied().unwrap_or(span);
        let path = match self.expanding.len() {
            0 => String::new(),
            n if n <= 6 => format!(" (through {})", self.expanding.join(" → ")),
            n => format!(
                " (through {} → … {} more … → {})",
                self.expanding.get(..3).unwrap_or_default().join(" → "),
                n - 5,
                self.expanding.get(n - 2..).unwrap_or_default().join(" → ")
            ),
        };
        let (code, message, label) = match limit {
            Limit::Depth => (
                codes::RULE_NESTING,
                format!(
                    "expression nested deeper than {MAX_EXPANDED_DEPTH} levels with the definitions copied into it{path}"
                ),
                "too deep",
            ),
            Limit::Calls => (
                codes::RULE_NESTING,
                format!(
                    "expression nested deeper than {MAX_CALL_NESTING} levels counting through the definitions it calls{path}"
                ),
                "too deep",
            ),
            Limit::Size => (
                codes::RULE_TOO_LARGE,
                format!(
                    "expression takes more than {MAX_EXPANDED_SIZE} operations to evaluate, counting each definition at each call{path}"
                ),
                "too large",
            ),
        };
        let path_ja = path
            .replace(" (through ", "（経由: ")
            .replace(" more … ", " 件 … ")
            .replace(')', "）");
        let (message_ja, label_ja) = match limit {
            Limit::Depth => (
                format!("定義を展開した式の入れ子が {MAX_EXPANDED_DEPTH} 段を超えている{path_ja}"),
                "深すぎる",
            ),
            Limit::Calls => (
                format!("呼び出す定義を含めた式の入れ子が {MAX_CALL_NESTING} 段を超えている{path_ja}"),
                "深すぎる",
            ),
            Limit::Size => (
                format!("定義を呼び出しごとに数えると、式の評価が {MAX_EXPANDED_SIZE} 演算を超える{path_ja}"),
                "大きすぎる",
            ),
        };
        let help_ja = match limit {
            Limit::Calls => "定義の呼び出しの連鎖は 200 程度まで（docs/limits.md）",
            Limit::Depth | Limit::Size => "共通部分は `let` で 1 回だけ計算する（docs/limits.md）",
        };
        let help = match limit {
            Limit::Calls => {
                "each definition called runs one level deeper than its caller: a chain of \
                 definitions each calling the next cannot be longer than about 200 (see \
                 docs/limits.md); call fewer in a row"
            }
            Limit::Depth | Limit::Size => {
                "a definition is evaluated at each call: a definition that calls another twice \
                 doubles the work at each level; compute shared parts once with `let` \
                 (see docs/limits.md)"
            }
        };
        self.error(code, at, message, label, Some(help.into()));
        self.ja(message_ja, label_ja, Some(help_ja));
    }

    fn expr_unlimited(&mut self, e: &Expr) -> (C, T) {
        match &e.kind {
            ExprKind::Lit(l) => lit(l),
            ExprKind::Name(n) => self.name(n, e.span),
            ExprKind::Field(base, f) => {
                let (c, t) = self.expr(base);
                if let T::Ref(_) = t {
                    // `x.person_id.name` follows the reference, like `x.person_id->name`.
                    return self.expr(&Expr {
                        kind: ExprKind::Deref(base.clone(), f.clone()),
                        span: e.span,
                    });
                }
                match self.field_of(&t, f, e.span) {
                    Some((slot, ft)) => {
                        self.last_field = match t {
                            T::Rec(si) => Some((si, slot)),
                            _ => None,
                        };
                        (C::Field(Box::new(c), slot), ft)
                    }
                    None => (C::Const(Value::Null), T::Any),
                }
            }
            ExprKind::Deref(base, f) => {
                let (c, t) = self.expr(base);
                let T::Ref(target) = t else {
                    if t != T::Any {
                        self.error(codes::RULE_TYPE, base.span, format!("`->` follows a reference, but this is a {}", t.describe()), "not a reference", Some("use `.` to read a field; `->` is for id fields such as `r.session_id->kind`".into()));
                        self.ja(
                            format!("`->` は参照をたどるが、これは{}である", t.describe_ja()),
                            "参照ではない",
                            Some("項目は `.` で読む。`->` は id の項目に使う"),
                        );
                    }
                    return (C::Const(Value::Null), T::Any);
                };
                let Some(si) = struct_index(target) else {
                    return (C::Const(Value::Null), T::Any);
                };
                if schema::struct_at(si).is_some_and(|s| s.entity) {
                    self.note_entity(si);
                }
                let rt = if schema::struct_at(si).is_some_and(|s| s.entity) {
                    T::Rec(si)
                } else {
                    T::Obj(si)
                };
                match self.field_of(&rt, f, e.span) {
                    Some((slot, ft)) => (C::Deref(Box::new(c), si, slot), ft),
                    None => (C::Const(Value::Null), T::Any),
                }
            }
            ExprKind::Unary(op, a) => {
                let (c, t) = self.expr(a);
                match op {
                    UnOp::Not => {
                        self.expect(&t, &T::Bool, a.span);
                        (C::Not(Box::new(c)), T::Bool)
                    }
                    UnOp::Neg => {
                        if !(t.is_numeric() || t == T::Dur || t == T::Any) {
                            self.error(
                                codes::RULE_TYPE,
                                a.span,
                                format!("cannot negate a {}", t.describe()),
                                "not a number",
                                None,
                            );
                            self.ja(
                                format!("{}の符号は反転できない", t.describe_ja()),
                                "数ではない",
                                None,
                            );
                        }
                        (C::Neg(Box::new(c)), t)
                    }
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span),
            ExprKind::Call(name, args) => self.call(name, args, e.span),
            ExprKind::List(items) => {
                let mut cs = Vec::new();
                let mut et = T::Any;
                for it in items {
                    let (c, t) = self.expr(it);
                    if et == T::Any {
                        et = t;
                    }
                    cs.push(c);
                }
                // A list of constants is built once, here, not at every evaluation.
                let consts: Option<Vec<Value>> = cs
                    .iter()
                    .map(|c| match c {
                        C::Const(v) => Some(v.clone()),
                        _ => None,
                    })
                    .collect();
                let c = match consts {
                    Some(vs) => C::Const(Value::List(std::sync::Arc::new(vs))),
                    None => C::List(cs),
                };
                (c, T::List(Box::new(et)))
            }
            ExprKind::If(c, a, b) => {
                let (cc, tc) = self.expr(c);
                self.expect(&tc, &T::Bool, c.span);
                let (ca, ta) = self.expr(a);
                let (cb, tb) = self.expr(b);
                if !ta.comparable(&tb) {
                    self.error(
                        codes::RULE_TYPE,
                        e.span,
                        format!(
                            "`then` gives a {} but `else` a {}",
                            ta.describe(),
                            tb.describe()
                        ),
                        "branches differ",
                        Some("both branches must have the same type".into()),
                    );
                    self.ja(
                        format!(
                            "`then` は{}、`else` は{}を返している",
                            ta.describe_ja(),
                            tb.describe_ja()
                        ),
                        "分岐の型が違う",
                        Some("両方の分岐を同じ型にする"),
                    );
                }
                let t = if ta == T::Any { tb } else { ta };
                (C::If(Box::new(cc), Box::new(ca), Box::new(cb)), t)
            }
            ExprKind::Agg {
                kind,
                proj,
                var,
                source,
                filter,
            } => self.aggregate(
                *kind,
                proj.as_deref(),
                var,
                source,
                filter.as_deref(),
                e.span,
            ),
        }
    }

    fn expect(&mut self, got: &T, want: &T, span: Span) {
        if got != want && *got != T::Any {
            self.error(
                codes::RULE_TYPE,
                span,
                format!("expected a {}, found a {}", want.describe(), got.describe()),
                &format!("this is a {}", got.describe()),
                None,
            );
            self.ja(
                format!("{}のところ{}である", want.describe_ja(), got.describe_ja()),
                &format!("これは{}", got.describe_ja()),
                None,
            );
        }
    }

    fn name(&mut self, n: &str, span: Span) -> (C, T) {
        if let Some((slot, t)) = self.lookup(n) {
            return (C::Slot(slot), t);
        }
        match n {
            "as_of" => return (C::AsOf, T::Date),
            "org" => {
                self.uses_org = true;
                return (C::Org, T::Rec(struct_index("organization").unwrap_or(0)));
            }
            _ => {}
        }
        if let Some((i, t)) = self.params.get(n) {
            if !self.params_used.contains(i) {
                self.params_used.push(*i);
            }
            return (C::Param(*i), t.clone());
        }
        if let Some(e) = schema::find_entity(n) {
            let i = struct_index(e.name).unwrap_or(0);
            self.note_entity(i);
            return (
                C::Agg {
                    kind: AggKind::List,
                    proj: None,
                    slot: usize::MAX,
                    source: Source::Entity(i),
                    filter: None,
                },
                T::List(Box::new(T::Rec(i))),
            );
        }
        let mut candidates: Vec<&str> = self.vars.iter().map(|(n, _, _)| n.as_str()).collect();
        candidates.extend(self.params.keys().map(String::as_str));
        candidates.extend(["as_of", "org"]);
        let (help, help_ja) = crate::diagnostic::did_you_mean_or(
            schema::suggest(n, candidates.iter().copied()),
            "declare it with `let`, `for` or a file-level `param`",
            "`let`、`for`、ファイル冒頭の `param` で宣言する",
        );
        self.error(
            codes::RULE_UNKNOWN_NAME,
            span,
            format!("unknown name `{n}`"),
            "not a variable, parameter or entity",
            Some(help),
        );
        self.ja(
            format!("未知の名前 `{n}`"),
            "変数、パラメータ、エンティティのどれでもない",
            Some(&help_ja),
        );
        (C::Const(Value::Null), T::Any)
    }

    fn field_of(&mut self, t: &T, f: &str, span: Span) -> Option<(u16, T)> {
        let si = match t {
            T::Rec(i) | T::Obj(i) => *i,
            T::Any => return None,
            other => {
                self.error(
                    codes::RULE_TYPE,
                    span,
                    format!("a {} has no field `{f}`", other.describe()),
                    "no fields here",
                    None,
                );
                self.ja(
                    format!("{}には項目 `{f}` がない", other.describe_ja()),
                    "項目を持たない",
                    None,
                );
                return None;
            }
        };
        // An entity's records may carry the extension fields declared by the rule files.
        let s = match t {
            T::Rec(_) => self.extensions.shape(si)?,
            _ => schema::struct_at(si)?,
        };
        match s.field_index(f) {
            Some(slot) => {
                let field = s.fields.get(slot)?;
                Some((u16::try_from(slot).ok()?, T::from_ty(field.ty)))
            }
            None => {
                let help = schema::suggest(f, s.fields.iter().map(|x| x.name))
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "`{}` has {}",
                            s.name,
                            s.fields
                                .iter()
                                .map(|x| x.name)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    });
                self.error(
                    codes::RULE_UNKNOWN_FIELD,
                    span,
                    format!("unknown field `{f}` in `{}`", s.name),
                    "unknown field",
                    Some(help.clone()),
                );
                self.ja(
                    format!(
                        "{}に未知の項目 `{f}` がある",
                        crate::labels::struct_named(s.name)
                    ),
                    "未知の項目",
                    Some(
                        &*crate::diagnostic::did_you_mean_ja(&help).unwrap_or_else(|| {
                            let fields = help.split_once("` has ").map_or(help.as_str(), |x| x.1);
                            format!("{}の項目: {fields}", crate::labels::struct_named(s.name))
                        }),
                    ),
                );
                None
            }
        }
    }

    /// Whether `c`, just compiled, reads an alternative key of a record (`c.finding_id`):
    /// its absence is known, not unknown ([`schema::ALTERNATIVES`]).
    fn alternative_key(&mut self, c: &C) -> Option<C> {
        let last = self.last_field.take();
        match (c, last) {
            (C::Field(_, slot), Some((si, s))) if *slot == s && schema::is_alternative(si, s) => {
                Some(c.clone())
            }
            _ => None,
        }
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, span: Span) -> (C, T) {
        self.last_field = None;
        let (ca, ta) = self.expr(a);
        let alt_a = self.alternative_key(&ca);
        let (cb, tb) = self.expr(b);
        let alt_b = self.alternative_key(&cb);
        let t = match op {
            BinOp::And | BinOp::Or => {
                self.expect(&ta, &T::Bool, a.span);
                self.expect(&tb, &T::Bool, b.span);
                T::Bool
            }
            BinOp::Coalesce => {
                if ta == T::Any {
                    tb
                } else {
                    ta
                }
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if !ta.comparable(&tb) {
                    self.error(codes::RULE_TYPE, span, format!("cannot compare a {} with a {}", ta.describe(), tb.describe()), "incomparable types", Some("compare values of the same type: dates with dates, numbers with numbers".into()));
                    self.ja(
                        format!("{}と{}は比べられない", ta.describe_ja(), tb.describe_ja()),
                        "比べられない型",
                        Some("同じ型の値どうしを比べる（日付と日付、数と数）"),
                    );
                }
                T::Bool
            }
            BinOp::In | BinOp::NotIn => {
                match &tb {
                    T::List(el) => {
                        if !ta.comparable(el) {
                            self.error(
                                codes::RULE_TYPE,
                                span,
                                format!("a {} cannot be in a {}", ta.describe(), tb.describe()),
                                "incomparable types",
                                None,
                            );
                            self.ja(
                                format!("{}は{}に含まれえない", ta.describe_ja(), tb.describe_ja()),
                                "比べられない型",
                                None,
                            );
                        }
                    }
                    T::Any => {}
                    other => {
                        self.error(
                            codes::RULE_TYPE,
                            b.span,
                            format!(
                                "`in` needs a list on its right, found a {}",
                                other.describe()
                            ),
                            "not a list",
                            Some("write `x in [\"a\", \"b\"]`".into()),
                        );
                        self.ja(
                            format!(
                                "`in` の右にはリストが必要だが、{}である",
                                other.describe_ja()
                            ),
                            "リストではない",
                            Some("`x in [\"a\", \"b\"]` と書く"),
                        );
                    }
                }
                T::Bool
            }
            BinOp::Add | BinOp::Sub => match (&ta, &tb) {
                (T::Date, T::Dur) => T::Date,
                (T::Date, T::Date) if op == BinOp::Sub => T::Int,
                (x, y) if x.is_numeric() && y.is_numeric() => {
                    if *x == T::Num || *y == T::Num {
                        T::Num
                    } else {
                        T::Int
                    }
                }
                (T::Dur, T::Dur) => T::Dur,
                (x, y) if op == BinOp::Add && (x.is_textual() || y.is_textual()) => T::Str,
                (T::List(x), T::List(_)) if op == BinOp::Add => T::List(x.clone()),
                (T::Any, o) | (o, T::Any) => {
                    if *o == T::Dur {
                        T::Date
                    } else {
                        o.clone()
                    }
                }
                _ => {
                    self.error(codes::RULE_TYPE, span, format!("cannot {} a {} and a {}", if op == BinOp::Add { "add" } else { "subtract" }, ta.describe(), tb.describe()), "bad operands", Some("dates take `+`/`-` with a duration (`d + 12 months`); two dates subtract to days".into()));
                    self.ja(format!("{}と{}は{}できない", ta.describe_ja(), tb.describe_ja(), if op == BinOp::Add { "足し算" } else { "引き算" }), "演算できない値", Some("日付には期間を `+`/`-` する（`d + 12 months`）。日付どうしの引き算は日数になる"));
                    T::Any
                }
            },
        };
        let c = C::Bin(op, Box::new(ca), Box::new(cb));
        // An absent alternative key (a corrective action naming an incident, not a finding)
        // is no value at all: `==` and `in` are false, `!=` and `not in` true.
        let alt = match op {
            BinOp::Eq | BinOp::Ne => alt_a.or(alt_b),
            BinOp::In | BinOp::NotIn => alt_a,
            _ => None,
        };
        let c = match (alt, op) {
            (Some(key), BinOp::Eq | BinOp::In) => C::Bin(
                BinOp::And,
                Box::new(C::Call(Func::Present, vec![key])),
                Box::new(c),
            ),
            (Some(key), _) => C::Bin(
                BinOp::Or,
                Box::new(C::Not(Box::new(C::Call(Func::Present, vec![key])))),
                Box::new(c),
            ),
            (None, _) => c,
        };
        (c, t)
    }

    fn call(&mut self, name: &str, args: &[Expr], span: Span) -> (C, T) {
        if let Some(def) = self.defines.get(name) {
            return self.expand(def, args, span);
        }
        let Some((_, func, min, max)) = FUNCS.iter().find(|(n, ..)| *n == name).copied() else {
            let help = schema::suggest(name, FUNCS.iter().map(|(n, ..)| *n))
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "functions: {}",
                        FUNCS
                            .iter()
                            .map(|(n, ..)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            self.error(
                codes::RULE_FUNCTION,
                span,
                format!("unknown function `{name}`"),
                "unknown function",
                Some(help.clone()),
            );
            self.ja(
                format!("未知の関数 `{name}`"),
                "未知の関数",
                Some(
                    &*crate::diagnostic::did_you_mean_ja(&help).unwrap_or_else(|| {
                        format!(
                            "関数の一覧: {}",
                            help.split_once(": ").map_or(help.as_str(), |x| x.1)
                        )
                    }),
                ),
            );
            return (C::Const(Value::Null), T::Any);
        };
        if args.len() < min || args.len() > max {
            let want = if min == max {
                format!("{min}")
            } else {
                format!("{min} or more")
            };
            self.error(
                codes::RULE_FUNCTION,
                span,
                format!("`{name}` takes {want} argument(s), found {}", args.len()),
                "wrong number of arguments",
                None,
            );
            self.ja(
                format!("`{name}` の引数は {want} 個だが、{} 個ある", args.len()),
                "引数の数が違う",
                None,
            );
            return (C::Const(Value::Null), T::Any);
        }
        if func == Func::Missing {
            return self.missing(args, span);
        }
        if func == Func::Labels {
            return self.labels(args);
        }
        let mut cs = Vec::new();
        let mut ts = Vec::new();
        for a in args {
            let (c, t) = self.expr(a);
            cs.push(c);
            ts.push(t);
        }
        let date_arg = |s: &mut Self, i: usize| {
            if let (Some(t), Some(a)) = (ts.get(i), args.get(i)) {
                s.expect(t, &T::Date, a.span);
            }
        };
        let t = match func {
            Func::Present | Func::Absent | Func::Contains | Func::IsBusinessDay => {
                if func == Func::IsBusinessDay {
                    date_arg(self, 0);
                }
                T::Bool
            }
            Func::Within => {
                date_arg(self, 0);
                if let (Some(t), Some(a)) = (ts.get(1), args.get(1)) {
                    self.expect(t, &T::Dur, a.span);
                }
                T::Bool
            }
            Func::Between => {
                for i in 0..3 {
                    date_arg(self, i);
                }
                T::Bool
            }
            Func::Days => {
                date_arg(self, 0);
                date_arg(self, 1);
                T::Int
            }
            Func::Len => T::Int,
            Func::Coalesce => ts.iter().find(|t| **t != T::Any).cloned().unwrap_or(T::Any),
            Func::Later | Func::Earlier | Func::NextBusinessDay => {
                for i in 0..ts.len() {
                    date_arg(self, i);
                }
                T::Date
            }
            Func::YearStart => T::Date,
            Func::Flatten => match ts.first() {
                Some(T::List(inner)) => match inner.as_ref() {
                    T::List(el) => T::List(el.clone()),
                    other => T::List(Box::new(other.clone())),
                },
                _ => T::List(Box::new(T::Any)),
            },
            Func::BusinessDays => {
                date_arg(self, 0);
                date_arg(self, 1);
                T::List(Box::new(T::Date))
            }
            Func::Missing | Func::Labels => T::List(Box::new(T::Str)),
        };
        (C::Call(func, cs), t)
    }

    /// Compiles a call of a `define`: arguments are compiled in the caller's scope; the body,
    /// lowered once for their types (and memoised), sees only its parameters (and `as_of`,
    /// `org`, parameters), so it cannot capture rule variables. A small body is copied in
    /// (as `let`s), a larger one called as shared code, so the plan grows with the text, not
    /// with the expansion.
    fn expand(&mut self, def: &DefineDecl, args: &[Expr], span: Span) -> (C, T) {
        use crate::limits::{
            DEFINE_DEPTH_COST, MAX_CALL_NESTING, MAX_EXPANDED_DEPTH, MAX_EXPANDED_SIZE,
        };
        let name = &def.name.name;
        if args.len() != def.params.len() {
            self.error(
                codes::RULE_FUNCTION,
                span,
                format!(
                    "`{name}` takes {} argument(s), found {}",
                    def.params.len(),
                    args.len()
                ),
                "wrong number of arguments",
                None,
            );
            self.ja(
                format!(
                    "`{name}` の引数は {} 個だが、{} 個ある",
                    def.params.len(),
                    args.len()
                ),
                "引数の数が違う",
                None,
            );
            return (C::Const(Value::Null), T::Any);
        }
        if self.expanding.contains(name) {
            let mut path = self.expanding.clone();
            path.push(name.clone());
            self.error(
                codes::RULE_CYCLE,
                span,
                format!(
                    "definitions call each other in a cycle: {}",
                    path.join(" → ")
                ),
                "recursive definition",
                Some("a `define` cannot call itself, directly or through others".into()),
            );
            self.ja(
                format!("定義が循環して呼び合っている: {}", path.join(" → ")),
                "再帰する定義",
                Some("`define` は直接にも他を経由しても自分自身を呼べない"),
            );
            self.cycles_reported += 1;
            return (C::Const(Value::Null), T::Any);
        }
        let (arg_code, types): (Vec<C>, Vec<T>) = args.iter().map(|a| self.expr(a)).unzip();
        if self.over_limit {
            return (C::Const(Value::Null), T::Any);
        }
        let find = |memo: &Memo| {
            memo.get(name)
                .and_then(|v| v.iter().find(|(ts, _)| *ts == types))
                .map(|(_, l)| l.clone())
        };
        let known = find(&self.memo).or_else(|| find(&self.part_memo));
        let lowered = match known {
            Some(l) => l,
            None => {
                let cycles = self.cycles_reported;
                let l = std::rc::Rc::new(self.lower(def, &types, span));
                let memo =
                    if self.cycles_reported > cycles && self.cycles_reported <= MAX_CYCLE_REPORTS {
                        &mut self.part_memo
                    } else {
                        &mut self.memo
                    };
                memo.entry(name.clone())
                    .or_default()
                    .push((types, l.clone()));
                l
            }
        };
        for e in &lowered.entities {
            self.note_entity(*e);
        }
        for p in &lowered.params_used {
            if !self.params_used.contains(p) {
                self.params_used.push(*p);
            }
        }
        self.uses_org |= lowered.uses_org;
        self.size = self.size.saturating_add(lowered.cost);
        if self.size >= MAX_EXPANDED_SIZE && !self.over_limit {
            self.over_limit = true;
            self.expanding.push(name.clone());
            self.call_spans.push(span);
            self.limit_error(Limit::Size, span);
            self.call_spans.pop();
            self.expanding.pop();
        }
        if self.over_limit {
            return (C::Const(Value::Null), T::Any);
        }
        // How deep the call nests counting through the definitions it calls: the deepest
        // point of the part (see `MAX_CALL_NESTING`), whether the body is copied or called.
        let stacked = self.depth + DEFINE_DEPTH_COST + lowered.stack;
        self.max_stack = self.max_stack.max(stacked);
        if self.stack_base + stacked > MAX_CALL_NESTING && !self.over_limit {
            self.over_limit = true;
            self.expanding.push(name.clone());
            self.call_spans.push(span);
            self.limit_error(Limit::Calls, span);
            self.call_spans.pop();
            self.expanding.pop();
        }
        if self.over_limit {
            return (C::Const(Value::Null), T::Any);
        }
        let inlined_depth = self.depth + DEFINE_DEPTH_COST + lowered.depth;
        if lowered.nodes <= INLINE_NODES && inlined_depth <= MAX_EXPANDED_DEPTH {
            self.max_depth = self.max_depth.max(inlined_depth);
            let base = self.slots;
            self.slots += lowered.code.slots;
            let binds = arg_code
                .into_iter()
                .enumerate()
                .map(|(i, c)| (base + i, c))
                .collect();
            let mut body = lowered.code.body.clone();
            shift_slots(&mut body, base);
            (C::Let(binds, Box::new(body)), lowered.ty.clone())
        } else {
            (C::Def(lowered.code.clone(), arg_code), lowered.ty.clone())
        }
    }

    /// Lowers a definition's body for the types of its arguments, in a frame of its own and
    /// on a stack segment of its own when the current one is running out.
    fn lower(&mut self, def: &DefineDecl, types: &[T], span: Span) -> Lowered {
        let outer_vars = std::mem::take(&mut self.vars);
        let outer_slots = std::mem::replace(&mut self.slots, 0);
        let outer_entities = std::mem::take(&mut self.entities);
        let outer_params = std::mem::take(&mut self.params_used);
        let outer_org = std::mem::replace(&mut self.uses_org, false);
        // The body starts as deep as its call, counting through the calls around it.
        let outer_base = self.stack_base;
        self.stack_base += self.depth + crate::limits::DEFINE_DEPTH_COST;
        let outer_stack = std::mem::replace(&mut self.max_stack, 0);
        let outer_depth = std::mem::replace(&mut self.depth, 0);
        let outer_max = std::mem::replace(&mut self.max_depth, 0);
        let outer_size = std::mem::replace(&mut self.size, 0);
        for (p, t) in def.params.iter().zip(types) {
            self.bind(&p.name, t.clone());
        }
        self.expanding.push(def.name.name.clone());
        self.call_spans.push(span);
        let (body, ty) =
            stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || self.expr(&def.body));
        self.call_spans.pop();
        self.expanding.pop();
        let lowered = Lowered {
            nodes: node_count(&body),
            code: std::sync::Arc::new(DefCode {
                name: def.name.name.clone(),
                body,
                slots: self.slots.max(def.params.len()),
            }),
            ty,
            depth: self.max_depth,
            stack: self.max_stack,
            cost: self.size,
            entities: std::mem::replace(&mut self.entities, outer_entities),
            params_used: std::mem::replace(&mut self.params_used, outer_params),
            uses_org: std::mem::replace(&mut self.uses_org, outer_org),
        };
        self.vars = outer_vars;
        self.slots = outer_slots;
        self.depth = outer_depth;
        self.max_depth = outer_max;
        self.stack_base = outer_base;
        self.max_stack = outer_stack;
        self.size = outer_size;
        lowered
    }

    /// `labels(obj, names)`: the struct of `obj` is known here, so the call is compiled with
    /// its name in place of the object.
    fn labels(&mut self, args: &[Expr]) -> (C, T) {
        let (Some(obj), Some(names)) = (args.first(), args.get(1)) else {
            return (C::Const(Value::Null), T::Any);
        };
        let (_, t) = self.expr(obj);
        let t = match t {
            T::List(el) => *el,
            other => other,
        };
        let shape = match t {
            T::Rec(i) => self.extensions.shape(i),
            T::Obj(i) => schema::struct_at(i),
            _ => None,
        };
        let Some(shape) = shape else {
            if t != T::Any {
                self.error(
                    codes::RULE_TYPE,
                    obj.span,
                    format!(
                        "`labels` takes a record or nested object, found a {}",
                        t.describe()
                    ),
                    "not a record or object",
                    Some("write `labels(c.clauses, missing_clauses)`".into()),
                );
                self.ja(
                    format!(
                        "`labels` には記録か入れ子のオブジェクトを渡すが、{}である",
                        t.describe_ja()
                    ),
                    "記録でもオブジェクトでもない",
                    Some("`labels(c.clauses, missing_clauses)` と書く"),
                );
            }
            return (C::Const(Value::Null), T::Any);
        };
        let (names_c, names_t) = self.expr(names);
        self.expect(&names_t, &T::List(Box::new(T::Str)), names.span);
        (
            C::Call(
                Func::Labels,
                vec![C::Const(Value::str(shape.name)), names_c],
            ),
            T::List(Box::new(T::Str)),
        )
    }

    fn missing(&mut self, args: &[Expr], _span: Span) -> (C, T) {
        let mut it = args.iter();
        let Some(obj) = it.next() else {
            return (C::Const(Value::Null), T::Any);
        };
        let (c, t) = self.expr(obj);
        let t = match t {
            T::List(el) => *el,
            other => other,
        };
        let mut cs = vec![c];
        for a in it {
            let ExprKind::Lit(Lit::Str(name)) = &a.kind else {
                self.error(
                    codes::RULE_TYPE,
                    a.span,
                    "`missing` takes field names as text".into(),
                    "not a field name",
                    Some("write `missing(c.clauses, \"security\", \"audit_right\")`".into()),
                );
                self.ja(
                    "`missing` には項目名を文字列で渡す".into(),
                    "項目名ではない",
                    Some("`missing(c.clauses, \"security\", \"audit_right\")` と書く"),
                );
                continue;
            };
            match self.field_of(&t, name, a.span) {
                Some(_) => cs.push(C::Const(Value::str(name))),
                None => continue,
            }
        }
        (C::Call(Func::Missing, cs), T::List(Box::new(T::Str)))
    }

    fn aggregate(
        &mut self,
        kind: AggKind,
        proj: Option<&Expr>,
        var: &str,
        source: &Expr,
        filter: Option<&Expr>,
        span: Span,
    ) -> (C, T) {
        let (src, elem) = match &source.kind {
            ExprKind::Name(n)
                if self.lookup(n).is_none()
                    && !self.params.contains_key(n)
                    && schema::find_entity(n).is_some() =>
            {
                let i = struct_index(n).unwrap_or(0);
                self.note_entity(i);
                (Source::Entity(i), T::Rec(i))
            }
            ExprKind::Name(n)
                if self.lookup(n).is_none()
                    && !self.params.contains_key(n)
                    && n != "as_of"
                    && n != "org" =>
            {
                self.unknown_entity(n, source.span);
                (Source::List(Box::new(C::Const(Value::Null))), T::Any)
            }
            _ => {
                let (c, t) = self.expr(source);
                match t {
                    T::List(el) => (Source::List(Box::new(c)), *el),
                    T::Any => (Source::List(Box::new(c)), T::Any),
                    other => {
                        self.error(
                            codes::RULE_TYPE,
                            source.span,
                            format!(
                                "`{var} in …` needs an entity or a list, found a {}",
                                other.describe()
                            ),
                            "not a list",
                            None,
                        );
                        self.ja(
                            format!(
                                "`{var} in …` にはエンティティかリストが必要だが、{}である",
                                other.describe_ja()
                            ),
                            "リストではない",
                            None,
                        );
                        (Source::List(Box::new(c)), T::Any)
                    }
                }
            }
        };
        let slot = self.bind(var, elem.clone());
        let mut filter_c = filter.map(|f| {
            let (c, t) = self.expr(f);
            self.expect(&t, &T::Bool, f.span);
            c
        });
        let proj_c = proj.map(|p| self.expr(p));
        self.unbind();
        let src = match (src, filter_c.take()) {
            (Source::Entity(e), Some(f)) => {
                let (src, rest) = index_join(e, slot, f);
                filter_c = rest;
                src
            }
            (s, f) => {
                filter_c = f;
                s
            }
        };
        let t = match kind {
            AggKind::Count => T::Int,
            AggKind::Exists | AggKind::All => {
                if proj.is_some() {
                    self.error(
                        codes::RULE_TYPE,
                        span,
                        "`exists` and `all` take no projection".into(),
                        "projection not allowed",
                        Some("write `exists(x in xs where …)`".into()),
                    );
                    self.ja(
                        "`exists` と `all` は射影をとらない".into(),
                        "射影は使えない",
                        Some("`exists(x in xs where …)` と書く"),
                    );
                }
                T::Bool
            }
            AggKind::Max | AggKind::Min => match &proj_c {
                Some((_, t)) => t.clone(),
                None => elem.clone(),
            },
            AggKind::List => T::List(Box::new(
                proj_c.as_ref().map_or(elem.clone(), |(_, t)| t.clone()),
            )),
        };
        (
            C::Agg {
                kind,
                proj: proj_c.map(|(c, _)| Box::new(c)),
                slot,
                source: src,
                filter: filter_c.map(Box::new),
            },
            t,
        )
    }
}

/// Turns `var.field == key and rest` over an entity into an index look-up on `field`,
/// keeping `rest` as the filter. Only keys that do not read `var` qualify.
fn index_join(entity: u16, slot: usize, filter: C) -> (Source, Option<C>) {
    let mut conjuncts = Vec::new();
    flatten_and(filter, &mut conjuncts);
    // A conjunct of one key (not a list of keys, which only a union takes).
    let pick = conjuncts
        .iter()
        .enumerate()
        .find_map(|(i, c)| look_up(entity, slot, c).filter(|p| !p.many).map(|p| (i, p)));
    let and = |cs: Vec<C>| {
        cs.into_iter()
            .reduce(|a, b| C::Bin(BinOp::And, Box::new(a), Box::new(b)))
    };
    match pick {
        Some((i, part)) => {
            conjuncts.remove(i);
            // `present(x.f)` beside `x.f == key` (an alternative key's guard, or a rule's own)
            // holds for every row the look-up finds, and excludes every row whose `f` is absent.
            let guarded = conjuncts
                .iter()
                .any(|c| present_of(slot, c) == Some(part.field));
            conjuncts.retain(|c| present_of(slot, c) != Some(part.field));
            (
                Source::Indexed {
                    entity,
                    field: part.field,
                    key: part.key,
                    absent: part.absent && !guarded,
                    group: None,
                },
                and(conjuncts),
            )
        }
        None => {
            let union = conjuncts.iter().find_map(|c| union_parts(entity, slot, c));
            (
                match union {
                    Some(parts) => Source::Union { entity, parts },
                    None => Source::Entity(entity),
                },
                and(conjuncts),
            )
        }
    }
}

/// The index look-up a condition on `var` is: `var.field == key` (either side), `key in
/// var.list` (`?? []` allowed) over a list of texts (an index of every element), or, with
/// `many`, `var.field in keys`; keys never read `var`.
fn look_up(entity: u16, slot: usize, c: &C) -> Option<UnionPart> {
    let own = |x: &C| matches!(x, C::Slot(s) if *s == slot);
    // A record whose (optional, not alternative) field is absent: its condition is unknown.
    let unknown_if_absent = |f: u16| optional(entity, f) && !schema::is_alternative(entity, f);
    match c {
        // An alternative key's comparison: `present(x.f) and x.f == key`.
        C::Bin(BinOp::And, guard, inner) => look_up(entity, slot, inner)
            .filter(|p| present_of(slot, guard) == Some(p.field))
            .map(|p| UnionPart { absent: false, ..p }),
        C::Bin(BinOp::Eq, a, b) => {
            [(a, b), (b, a)]
                .into_iter()
                .find_map(|(x, y)| match x.as_ref() {
                    C::Field(base, f)
                        if own(base) && !reads_slot(y, slot) && indexable(entity, *f) =>
                    {
                        Some(UnionPart {
                            field: *f,
                            key: y.clone(),
                            many: false,
                            absent: unknown_if_absent(*f),
                        })
                    }
                    _ => None,
                })
        }
        C::Bin(BinOp::In, key, list) => {
            // `key in (x.list ?? [])`: an absent list is empty, so the condition is false.
            let (bare, defaulted) = match list.as_ref() {
                C::Bin(BinOp::Coalesce, l, empty) if is_empty_list(empty) => (l.as_ref(), true),
                l => (l, false),
            };
            match (key.as_ref(), bare) {
                (_, C::Field(base, f))
                    if own(base) && !reads_slot(key, slot) && indexable_list(entity, *f) =>
                {
                    Some(UnionPart {
                        field: *f,
                        key: key.clone(),
                        many: false,
                        absent: !defaulted && optional(entity, *f),
                    })
                }
                (C::Field(base, f), _)
                    if own(base) && !reads_slot(list, slot) && indexable(entity, *f) =>
                {
                    Some(UnionPart {
                        field: *f,
                        key: list.clone(),
                        many: true,
                        absent: unknown_if_absent(*f),
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The look-ups of `a or b or …` over `var` when every alternative is one ([`look_up`]).
/// `entrusted_items(c)`: `c.id in i.entrusted_to or i.id in c.inventory_items`.
fn union_parts(entity: u16, slot: usize, c: &C) -> Option<Vec<UnionPart>> {
    fn alternatives<'c>(c: &'c C, out: &mut Vec<&'c C>) {
        match c {
            C::Bin(BinOp::Or, a, b) => {
                alternatives(a, out);
                alternatives(b, out);
            }
            other => out.push(other),
        }
    }
    let C::Bin(BinOp::Or, ..) = c else {
        return None;
    };
    let mut alts = Vec::new();
    alternatives(c, &mut alts);
    alts.into_iter()
        .map(|alt| look_up(entity, slot, alt))
        .collect()
}

/// The field `f` of `present(x.f)` on the element bound to `slot`.
fn present_of(slot: usize, c: &C) -> Option<u16> {
    match c {
        C::Call(Func::Present, args) => match args.as_slice() {
            [C::Field(base, f)] if matches!(base.as_ref(), C::Slot(s) if *s == slot) => Some(*f),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a record may lack the field (it is not required).
fn optional(entity: u16, field: u16) -> bool {
    STRUCTS
        .get(usize::from(entity))
        .and_then(|s| s.fields.get(usize::from(field)))
        .is_none_or(|f| !f.required)
}

fn indexable(entity: u16, field: u16) -> bool {
    STRUCTS
        .get(usize::from(entity))
        .and_then(|s| s.fields.get(usize::from(field)))
        .is_some_and(|f| matches!(f.ty, Ty::Str | Ty::Ref(_) | Ty::Enum(_)))
}

/// Whether a field is a list of texts (indexed by each element: `key in x.field`).
pub(crate) fn indexable_list(entity: u16, field: u16) -> bool {
    STRUCTS
        .get(usize::from(entity))
        .and_then(|s| s.fields.get(usize::from(field)))
        .is_some_and(
            |f| matches!(f.ty, Ty::List(t) if matches!(*t, Ty::Str | Ty::Ref(_) | Ty::Enum(_))),
        )
}

fn is_empty_list(c: &C) -> bool {
    match c {
        C::List(items) => items.is_empty(),
        C::Const(Value::List(items)) => items.is_empty(),
        _ => false,
    }
}

fn flatten_and(c: C, out: &mut Vec<C>) {
    match c {
        C::Bin(BinOp::And, a, b) => {
            flatten_and(*a, out);
            flatten_and(*b, out);
        }
        other => out.push(other),
    }
}

/// The conjuncts of `c` (`a and b and …`) that do not read the element bound to `slot`: a
/// false one makes the condition false for every element.
pub(crate) fn conjuncts_without(c: &C, slot: usize) -> Vec<&C> {
    fn walk<'c>(c: &'c C, slot: usize, out: &mut Vec<&'c C>) {
        match c {
            C::Bin(BinOp::And, a, b) => {
                walk(a, slot, out);
                walk(b, slot, out);
            }
            other if !reads_slot(other, slot) => out.push(other),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(c, slot, &mut out);
    out
}

fn reads_slot(c: &C, slot: usize) -> bool {
    let mut found = matches!(c, C::Slot(s) if *s == slot);
    c.each_child(&mut |x| found = found || reads_slot(x, slot));
    found
}

/// Whether `c` reads no variable slot other than `allowed` and the slots it binds itself
/// (the arguments of an inlined `define`, the element of a nested aggregate).
pub(crate) fn reads_only(c: &C, allowed: &mut Vec<usize>) -> bool {
    match c {
        C::Slot(s) => allowed.contains(s),
        C::Const(_) | C::Param(_) | C::AsOf | C::Org => true,
        C::Field(a, _) | C::Deref(a, _, _) | C::Not(a) | C::Neg(a) => reads_only(a, allowed),
        C::Bin(_, a, b) => reads_only(a, allowed) && reads_only(b, allowed),
        // A called definition's body reads only its own frame.
        C::Call(_, args) | C::List(args) | C::Def(_, args) => {
            args.iter().all(|a| reads_only(a, allowed))
        }
        C::If(c, a, b) => {
            reads_only(c, allowed) && reads_only(a, allowed) && reads_only(b, allowed)
        }
        C::Let(binds, body) => {
            let n = allowed.len();
            let mut ok = true;
            for (slot, value) in binds {
                ok = ok && reads_only(value, allowed);
                allowed.push(*slot);
            }
            ok = ok && reads_only(body, allowed);
            allowed.truncate(n);
            ok
        }
        C::Agg {
            proj,
            slot,
            source,
            filter,
            ..
        } => {
            let source_ok = match source {
                Source::Entity(_) => true,
                Source::Indexed { key, .. } => reads_only(key, allowed),
                Source::Union { parts, .. } => parts.iter().all(|p| reads_only(&p.key, allowed)),
                Source::List(l) => reads_only(l, allowed),
            };
            allowed.push(*slot);
            let ok = source_ok
                && proj.as_deref().is_none_or(|p| reads_only(p, allowed))
                && filter.as_deref().is_none_or(|f| reads_only(f, allowed));
            allowed.pop();
            ok
        }
    }
}

/// Marks every index look-up aggregate in `c` whose filter and projection read only its
/// element (and constants, parameters, `as_of`) as grouped, numbering them from `next`.
/// A grouped `list` is looked up only where columns are evaluated (a verdict's lets and
/// parts): where a list serves only a finding, it stays per subject.
pub(crate) fn plan_groups(c: &mut C, next: &mut u32) {
    c.each_child_mut(&mut |x| plan_groups(x, next));
    if let C::Agg {
        proj,
        slot,
        source: Source::Indexed { group, .. },
        filter,
        ..
    } = c
    {
        let local =
            |e: &Option<Box<C>>| e.as_deref().is_none_or(|e| reads_only(e, &mut vec![*slot]));
        if local(proj) && local(filter) {
            *group = Some(*next);
            *next += 1;
        }
    }
}

/// Compiles a literal.
pub(crate) fn lit(l: &Lit) -> (C, T) {
    let (v, t) = lit_value(l);
    (C::Const(v), t)
}

/// The value and type of a literal.
pub(crate) fn lit_value(l: &Lit) -> (Value, T) {
    match l {
        Lit::Bool(b) => (Value::Bool(*b), T::Bool),
        Lit::Int(i) => (Value::Int(*i), T::Int),
        Lit::Num(n) => (Value::Num(*n), T::Num),
        Lit::Str(s) => (Value::Str(Arc::from(s.as_str())), T::Str),
        Lit::Date(d) => (Value::Date(*d), T::Date),
        Lit::Dur(d) => (Value::Dur(*d), T::Dur),
        Lit::None => (Value::Null, T::Any),
    }
}

/// Parses a parameter override given as text, to the type of its default.
///
/// # Errors
/// A message saying what was expected.
pub fn parse_param_value(ty: &T, text: &str) -> Result<Value, String> {
    let t = text.trim();
    match ty {
        T::Dur => Duration::parse(t).map(Value::Dur).ok_or_else(|| {
            format!("expected a duration such as `12 months` or `30 days`, found `{t}`")
        }),
        T::Int => t
            .parse()
            .map(Value::Int)
            .map_err(|_| format!("expected a whole number, found `{t}`")),
        T::Num => t
            .parse()
            .map(Value::Num)
            .map_err(|_| format!("expected a number, found `{t}`")),
        T::Bool => match t {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("expected `true` or `false`, found `{t}`")),
        },
        T::Date => crate::records::parse_date(t)
            .map(Value::Date)
            .ok_or_else(|| format!("expected a date yyyy-mm-dd, found `{t}`")),
        T::List(_) => Ok(Value::List(Arc::new(
            t.split(',')
                .map(|s| Value::str(s.trim()))
                .filter(|v| !v.is_absent())
                .collect(),
        ))),
        _ => Ok(Value::str(t)),
    }
}

/// A field of a rule's subject that an expression reads: `x.f`, or `x.f->g` through the
/// reference `f`. Used to name what is not recorded when a condition is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SubjectRead {
    /// The subject's field slot.
    pub(crate) field: u16,
    /// The struct and field slot read through the reference, if any.
    pub(crate) deref: Option<(u16, u16)>,
    /// The field slot read in the nested object `field` holds, if any (`x.f.g`).
    pub(crate) sub: Option<u16>,
}

impl SubjectRead {
    /// `x.f` itself.
    pub(crate) fn field(f: u16) -> Self {
        SubjectRead {
            field: f,
            deref: None,
            sub: None,
        }
    }
}

/// The fields of the subject (bound to `subject`) that `c` reads, directly or through the
/// arguments of inlined `define`s, sorted and without repeats.
pub(crate) fn subject_reads(c: &C, subject: usize) -> Vec<SubjectRead> {
    fn is_subject(c: &C, aliases: &[usize]) -> bool {
        matches!(c, C::Slot(s) if aliases.contains(s))
    }
    /// `x.f`, `x.f->g` or `x.f.g` of the subject.
    fn direct_read(c: &C, aliases: &[usize]) -> bool {
        match c {
            C::Field(base, _) | C::Deref(base, _, _) => {
                is_subject(base, aliases)
                    || matches!(&**base, C::Field(x, _) if is_subject(x, aliases))
            }
            _ => false,
        }
    }
    /// Shared definitions already walked, with the parameters the subject was passed in.
    type Seen = std::collections::HashSet<(usize, Vec<usize>)>;
    fn walk(c: &C, aliases: &[usize], out: &mut Vec<SubjectRead>, seen: &mut Seen) {
        match c {
            C::Field(b, f) if is_subject(b, aliases) => out.push(SubjectRead::field(*f)),
            C::Field(b, g) if matches!(&**b, C::Field(base, _) if is_subject(base, aliases)) => {
                if let C::Field(_, f) = &**b {
                    out.push(SubjectRead::field(*f));
                    out.push(SubjectRead {
                        field: *f,
                        deref: None,
                        sub: Some(*g),
                    });
                }
            }
            C::Deref(b, st, g) => match &**b {
                C::Field(base, f) if is_subject(base, aliases) => {
                    out.push(SubjectRead::field(*f));
                    out.push(SubjectRead {
                        field: *f,
                        deref: Some((*st, *g)),
                        sub: None,
                    });
                }
                _ => walk(b, aliases, out, seen),
            },
            // A field read with a default (`x.f ?? d`) or asked about (`present(x.f)`) is
            // not missing data: its absence decides the condition.
            C::Bin(BinOp::Coalesce, a, b) => {
                if !direct_read(a, aliases) {
                    walk(a, aliases, out, seen);
                }
                walk(b, aliases, out, seen);
            }
            C::Call(Func::Present | Func::Absent, args) => {
                for a in args.iter().filter(|a| !direct_read(a, aliases)) {
                    walk(a, aliases, out, seen);
                }
            }
            C::Let(binds, body) => {
                let mut inner = aliases.to_vec();
                for (slot, value) in binds {
                    walk(value, aliases, out, seen);
                    if is_subject(value, aliases) {
                        inner.push(*slot);
                    }
                }
                walk(body, &inner, out, seen);
            }
            C::Def(code, args) => {
                let mut inner = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    walk(a, aliases, out, seen);
                    if is_subject(a, aliases) {
                        inner.push(i);
                    }
                }
                // Each shared body once per way the subject is passed to it.
                let key = (std::sync::Arc::as_ptr(code) as usize, inner);
                if !key.1.is_empty() && !seen.contains(&key) {
                    let inner = key.1.clone();
                    seen.insert(key);
                    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
                        walk(&code.body, &inner, out, seen);
                    });
                }
            }
            _ => c.each_child(&mut |x| walk(x, aliases, out, seen)),
        }
    }
    let mut out = Vec::new();
    walk(c, &[subject], &mut out, &mut Seen::new());
    out.sort_unstable();
    out.dedup();
    out
}
