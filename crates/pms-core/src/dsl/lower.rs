//! `text_to_ast`: pest pairs to the syntax tree. The only module that names pest types.

use super::ast::*;
use crate::diagnostic::{codes, Diagnostic, Location};
use crate::value::Duration;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use std::sync::OnceLock;

mod parser {
    #![allow(missing_docs)]
    #[derive(pest_derive::Parser)]
    #[grammar = "dsl/grammar.pest"]
    pub(super) struct RuleParser;
}
use parser::{Rule, RuleParser};

/// Human names of grammar rules, used in "expected …" messages.
fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::EOI => "end of file",
        Rule::param_decl => "`param`",
        Rule::define_decl => "`define`",
        Rule::extend_decl => "`extend`",
        Rule::ext_fields => "`{ field: type, … }`",
        Rule::ext_field => "`field: type`",
        Rule::ext_type | Rule::ext_list | Rule::ext_ref | Rule::ext_one_of => {
            "field type (text, int, number, bool, date, ref ENTITY, one of \"a\", …, [type], { … })"
        }
        Rule::param_change => "`from yyyy-mm-dd = value`",
        Rule::rule_def => "`rule`",
        Rule::rule_id => "rule id (e.g. `R-TRN-01`)",
        Rule::also_section => "`also for …` section",
        Rule::title_part
        | Rule::clause_part
        | Rule::phase_part
        | Rule::severity_part
        | Rule::basis_part
        | Rule::activity_part
        | Rule::depends_part
        | Rule::explain_part
        | Rule::applies_part
        | Rule::for_part
        | Rule::for_inner
        | Rule::let_part
        | Rule::require_part
        | Rule::due_part
        | Rule::related_part
        | Rule::message_part
        | Rule::fix_part
        | Rule::grace_part
        | Rule::warn_part => "rule part (title, clause, for, let, require, due, message, fix …)",
        Rule::clause_ref => "clause reference (e.g. `jis2017 \"A.3.8\"`)",
        Rule::texts | Rule::lang_text => "text with its language (e.g. `ja \"…\" en \"…\"`)",
        Rule::lang => "language `ja` or `en`",
        Rule::expr => "expression",
        Rule::string => "text in double quotes",
        Rule::ident => "name",
        Rule::date => "date",
        Rule::duration => "duration (e.g. `12 months`)",
        Rule::unit => "time unit (days, weeks, months, years)",
        Rule::number | Rule::int => "number",
        Rule::or_op
        | Rule::and_op
        | Rule::coalesce_op
        | Rule::eq_op
        | Rule::ne_op
        | Rule::le_op
        | Rule::ge_op
        | Rule::lt_op
        | Rule::gt_op
        | Rule::not_in_op
        | Rule::in_op
        | Rule::add_op
        | Rule::sub_op => "operator",
        Rule::field_access | Rule::deref_access => "field access",
        Rule::aggregate | Rule::agg_kw => "aggregate (count, exists, all, max, min, list)",
        Rule::call => "function call",
        Rule::if_expr => "`if … then … else …`",
        Rule::if_any => "`if any`",
        Rule::list_lit => "list",
        Rule::kw => "keyword",
        _ => "token",
    }
}

fn pratt() -> &'static PrattParser<Rule> {
    static P: OnceLock<PrattParser<Rule>> = OnceLock::new();
    P.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or_op, Assoc::Left))
            .op(Op::infix(Rule::and_op, Assoc::Left))
            .op(Op::prefix(Rule::not_op))
            .op(Op::infix(Rule::coalesce_op, Assoc::Left))
            .op(Op::infix(Rule::eq_op, Assoc::Left)
                | Op::infix(Rule::ne_op, Assoc::Left)
                | Op::infix(Rule::lt_op, Assoc::Left)
                | Op::infix(Rule::le_op, Assoc::Left)
                | Op::infix(Rule::gt_op, Assoc::Left)
                | Op::infix(Rule::ge_op, Assoc::Left)
                | Op::infix(Rule::in_op, Assoc::Left)
                | Op::infix(Rule::not_in_op, Assoc::Left))
            .op(Op::infix(Rule::add_op, Assoc::Left) | Op::infix(Rule::sub_op, Assoc::Left))
            .op(Op::prefix(Rule::neg_op))
            .op(Op::postfix(Rule::field_access) | Op::postfix(Rule::deref_access))
    })
}

/// Parses a rule file. `source` is its index in the program's source list and `name` its
/// file name for diagnostics.
///
/// # Errors
/// Syntax errors and malformed parts (a repeated `title`, a bad literal …).
pub fn text_to_ast(text: &str, source: u32, name: &str) -> Result<FileAst, Vec<Diagnostic>> {
    super::nesting::check(text, name).map_err(|d| vec![*d])?;
    let pairs = RuleParser::parse(Rule::file, text).map_err(|e| vec![syntax_error(&e, name)])?;
    let mut lw = Lowerer {
        source,
        name,
        diags: Vec::new(),
    };
    let mut file = FileAst::default();
    for pair in pairs.flatten().filter(|p| {
        matches!(
            p.as_rule(),
            Rule::param_decl | Rule::rule_def | Rule::define_decl | Rule::extend_decl
        )
    }) {
        match pair.as_rule() {
            Rule::param_decl => {
                if let Some(p) = lw.param(pair) {
                    file.params.push(p);
                }
            }
            Rule::define_decl => {
                let mut names = Vec::new();
                let mut body = None;
                let mut doc = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::ident => names.push(lw.named(&p)),
                        Rule::expr => body = Some(lw.expr(p)),
                        Rule::texts => doc = lw.texts(p),
                        _ => {}
                    }
                }
                if let (false, Some(body)) = (names.is_empty(), body) {
                    let name = names.remove(0);
                    file.defines.push(DefineDecl {
                        name,
                        params: names,
                        body,
                        doc,
                    });
                }
            }
            Rule::extend_decl => {
                let mut inner = pair.into_inner();
                if let (Some(entity), Some(fields)) = (inner.next(), inner.next()) {
                    file.extends.push(ExtendDecl {
                        entity: lw.named(&entity),
                        fields: lw.ext_fields(fields),
                    });
                }
            }
            _ => file.rules.push(lw.rule(pair)),
        }
    }
    if lw.diags.is_empty() {
        Ok(file)
    } else {
        Err(lw.diags)
    }
}

/// Parses one expression (used for message interpolations and tests).
///
/// # Errors
/// A syntax error.
pub fn parse_expr(
    text: &str,
    source: u32,
    name: &str,
    offset: usize,
) -> Result<Expr, Box<Diagnostic>> {
    super::nesting::check(text, name).map_err(|mut d| {
        if let Some(loc) = d.location.as_mut() {
            loc.span = loc.span.map(|(a, b)| (a + offset, b + offset));
            loc.line = None;
            loc.column = None;
        }
        d
    })?;
    let mut pairs = RuleParser::parse(Rule::expr, text).map_err(|e| {
        let mut d = Box::new(syntax_error(&e, name));
        if let Some(loc) = d.location.as_mut() {
            loc.span = loc.span.map(|(a, b)| (a + offset, b + offset));
            loc.line = None;
            loc.column = None;
        }
        d
    })?;
    let pair = pairs.next().ok_or_else(|| {
        Box::new(Diagnostic::error(codes::RULE_SYNTAX, "empty expression").ja("式が空である"))
    })?;
    let consumed = pair.as_span().end();
    if consumed != text.len() {
        return Err(Box::new(
            Diagnostic::error(
                codes::RULE_SYNTAX,
                format!(
                    "unexpected `{}` in interpolation",
                    text.get(consumed..).unwrap_or("").trim()
                ),
            )
            .at(Location {
                file: name.into(),
                span: Some((offset + consumed, offset + text.len())),
                ..Location::default()
            })
            .ja(format!(
                "埋め込みに余計な `{}` がある",
                text.get(consumed..).unwrap_or("").trim()
            ))
            .label("unexpected")
            .label_ja("余計な部分")
            .help("an interpolation holds one expression: `{w.name}`")
            .help_ja("埋め込みには式を 1 つだけ書く: `{w.name}`"),
        ));
    }
    let mut lw = Lowerer {
        source,
        name,
        diags: Vec::new(),
    };
    let mut e = lw.expr(pair);
    shift(&mut e, offset);
    match lw.diags.pop() {
        Some(d) => Err(Box::new(d)),
        None => Ok(e),
    }
}

fn shift(e: &mut Expr, by: usize) {
    e.span.start += by;
    e.span.end += by;
    match &mut e.kind {
        ExprKind::Field(a, _) | ExprKind::Deref(a, _) | ExprKind::Unary(_, a) => shift(a, by),
        ExprKind::Binary(_, a, b) => {
            shift(a, by);
            shift(b, by);
        }
        ExprKind::Call(_, args) | ExprKind::List(args) => {
            args.iter_mut().for_each(|a| shift(a, by))
        }
        ExprKind::If(c, a, b) => {
            shift(c, by);
            shift(a, by);
            shift(b, by);
        }
        ExprKind::Agg {
            proj,
            source,
            filter,
            ..
        } => {
            if let Some(p) = proj {
                shift(p, by);
            }
            shift(source, by);
            if let Some(f) = filter {
                shift(f, by);
            }
        }
        ExprKind::Lit(_) | ExprKind::Name(_) => {}
    }
}

fn syntax_error(e: &pest::error::Error<Rule>, name: &str) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation, LineColLocation};
    let (line, column) = match e.line_col {
        LineColLocation::Pos(p) | LineColLocation::Span(p, _) => p,
    };
    let span = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span(s) => s,
    };
    let message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().map(|r| rule_name(*r)).collect();
            crate::sorting::sort(&mut names);
            names.dedup();
            if names.is_empty() {
                "unexpected input".to_string()
            } else {
                format!("expected {}", names.join(" or "))
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::error(codes::RULE_SYNTAX, format!("syntax error: {message}"))
        .at(Location {
            file: name.to_string(),
            line: Some(line),
            column: Some(column),
            span: Some(span),
            ..Location::default()
        })
        .ja(format!(
            "構文の誤り: {}",
            match message.strip_prefix("expected ") {
                Some(names) => format!("{} が必要", names.replace(" or ", "、")),
                None if message == "unexpected input" => "予期しない入力".to_string(),
                None => message.clone(),
            }
        ))
        .label("here")
        .label_ja("ここ")
        .help("see docs/dsl.md for the rule language")
        .help_ja("ルール言語は docs/dsl.md を参照")
}

struct Lowerer<'a> {
    source: u32,
    name: &'a str,
    diags: Vec<Diagnostic>,
}

impl Lowerer<'_> {
    fn span(&self, p: &Pair<'_, Rule>) -> Span {
        let s = p.as_span();
        Span {
            source: self.source,
            start: s.start(),
            end: s.end(),
        }
    }

    fn err(&mut self, code: &'static str, span: Span, message: String, label: &str, help: &str) {
        self.diags.push(
            Diagnostic::error(code, message)
                .at(Location {
                    file: self.name.to_string(),
                    span: Some((span.start, span.end)),
                    ..Location::default()
                })
                .label(label)
                .help(help),
        );
    }

    /// Gives the diagnostic just reported ([`Lowerer::err`]) its texts in Japanese.
    fn ja(&mut self, message: String, label: &str, help: &str) {
        if let Some(d) = self.diags.pop() {
            self.diags.push(d.in_ja(message, label, help));
        }
    }

    fn named(&self, p: &Pair<'_, Rule>) -> Named {
        Named {
            name: p.as_str().to_string(),
            span: self.span(p),
        }
    }

    /// The fields of `{ name: type, … }`.
    fn ext_fields(&mut self, pair: Pair<'_, Rule>) -> Vec<(Named, ExtTypeAst)> {
        let mut out = Vec::new();
        for field in pair.into_inner() {
            let mut inner = field.into_inner();
            if let (Some(name), Some(ty)) = (inner.next(), inner.next()) {
                let name = self.named(&name);
                let ty = self.ext_type(ty);
                out.push((name, ty));
            }
        }
        out
    }

    /// A declared field type (`ext_type`).
    fn ext_type(&mut self, pair: Pair<'_, Rule>) -> ExtTypeAst {
        let Some(p) = pair.into_inner().next() else {
            return ExtTypeAst::OneOf(Vec::new());
        };
        match p.as_rule() {
            Rule::ext_list => match p.into_inner().next() {
                Some(t) => ExtTypeAst::List(Box::new(self.ext_type(t))),
                None => ExtTypeAst::OneOf(Vec::new()),
            },
            Rule::ext_fields => ExtTypeAst::Object(self.ext_fields(p)),
            Rule::ext_ref => match p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                Some(e) => ExtTypeAst::Ref(self.named(&e)),
                None => ExtTypeAst::OneOf(Vec::new()),
            },
            Rule::ext_one_of => ExtTypeAst::OneOf(
                p.into_inner()
                    .filter(|x| x.as_rule() == Rule::string)
                    .map(|x| unescape(string_inner(&x)))
                    .collect(),
            ),
            _ => ExtTypeAst::Name(self.named(&p)),
        }
    }

    fn param(&mut self, pair: Pair<'_, Rule>) -> Option<ParamDecl> {
        let mut inner = pair.into_inner();
        let name = self.named(&inner.next()?);
        let lit_pair = inner.next()?;
        let default = self.literal(&lit_pair)?;
        let mut changes = Vec::new();
        let mut doc = Vec::new();
        for p in inner {
            match p.as_rule() {
                Rule::param_change => {
                    let span = self.span(&p);
                    let mut it = p.into_inner();
                    let (Some(d), Some(v)) = (it.next(), it.next()) else {
                        continue;
                    };
                    if let (Some(Lit::Date(date)), Some(value)) =
                        (self.literal(&d), self.literal(&v))
                    {
                        changes.push((date, value, span));
                    }
                }
                Rule::texts => doc = self.texts(p),
                _ => {}
            }
        }
        Some(ParamDecl {
            name,
            default,
            changes,
            doc,
        })
    }

    fn rule(&mut self, pair: Pair<'_, Rule>) -> RuleAst {
        let mut r = RuleAst {
            span: self.span(&pair),
            ..RuleAst::default()
        };
        let mut inner = pair.into_inner();
        if let Some(id) = inner.next() {
            r.id = self.named(&id);
        }
        self.rule_parts(&mut r, inner);
        r
    }

    /// The parts of a rule, or of one of its `also for …` sections, into `r`.
    fn rule_parts(&mut self, r: &mut RuleAst, parts: Pairs<'_, Rule>) {
        for part in parts {
            let span = self.span(&part);
            let rule = part.as_rule();
            if rule == Rule::also_section {
                let mut section = RuleAst {
                    id: r.id.clone(),
                    span,
                    ..RuleAst::default()
                };
                self.rule_parts(&mut section, part.into_inner());
                r.also.push(section);
                continue;
            }
            let mut it = part.into_inner();
            let dup = |this: &mut Self, what: &str| {
                this.err(
                    codes::RULE_INCOMPLETE,
                    span,
                    format!("`{what}` given twice in rule `{}`", r.id.name),
                    "repeated here",
                    "give each part once",
                );
            };
            match rule {
                Rule::title_part => {
                    if !r.title.is_empty() {
                        dup(self, "title");
                    }
                    r.title = it.next().map(|t| self.texts(t)).unwrap_or_default();
                }
                Rule::clause_part => {
                    for c in it {
                        let cspan = self.span(&c);
                        let mut ci = c.into_inner();
                        let edition = ci
                            .next()
                            .map(|p| p.as_str().to_string())
                            .unwrap_or_default();
                        let number = ci
                            .next()
                            .map(|p| unescape(string_inner(&p)))
                            .unwrap_or_default();
                        let unverified = ci.next().is_some();
                        r.clauses.push(ClauseRef {
                            edition,
                            number,
                            unverified,
                            span: cspan,
                        });
                    }
                }
                Rule::phase_part | Rule::severity_part | Rule::basis_part | Rule::activity_part => {
                    let v = it.next().map(|p| self.named(&p));
                    let (slot, what) = match rule {
                        Rule::phase_part => (&mut r.phase, "phase"),
                        Rule::severity_part => (&mut r.severity, "severity"),
                        Rule::basis_part => (&mut r.basis, "basis"),
                        _ => (&mut r.activity, "activity"),
                    };
                    if slot.is_some() {
                        dup(self, what);
                    }
                    *slot = v;
                }
                Rule::depends_part => r.depends.extend(it.map(|p| self.named(&p))),
                Rule::editions_part => r.editions.extend(it.map(|p| self.named(&p))),
                Rule::explain_part => {
                    r.explain = it.next().map(|t| self.texts(t)).unwrap_or_default()
                }
                Rule::applies_part => r.applies = it.next().map(|e| self.expr(e)),
                Rule::for_part => {
                    if r.population.is_some() {
                        dup(self, "for");
                    }
                    let var = it.next().map(|p| self.named(&p)).unwrap_or_default();
                    let entity = it.next().map(|p| self.named(&p)).unwrap_or_default();
                    let mut inner = None;
                    let mut filter = None;
                    for p in it {
                        if p.as_rule() == Rule::for_inner {
                            let mut parts = p.into_inner();
                            if let (Some(v), Some(e)) = (parts.next(), parts.next()) {
                                let v = self.named(&v);
                                inner = Some((v, self.expr(e)));
                            }
                        } else {
                            filter = Some(self.expr(p));
                        }
                    }
                    r.population = Some(Population {
                        var,
                        entity,
                        inner,
                        filter,
                    });
                }
                Rule::let_part => {
                    let name = it.next().map(|p| self.named(&p)).unwrap_or_default();
                    if let Some(e) = it.next() {
                        let e = self.expr(e);
                        r.lets.push((name, e));
                    }
                }
                Rule::require_part => {
                    if r.require.is_some() {
                        dup(self, "require");
                    }
                    r.require = it.next().map(|e| self.expr(e));
                }
                Rule::due_part => {
                    if r.due.is_some() {
                        dup(self, "due");
                    }
                    r.due = it.next().map(|e| self.expr(e));
                    r.due_if_any = it.next().is_some_and(|p| p.as_rule() == Rule::if_any);
                }
                Rule::done_part => {
                    if r.done.is_some() {
                        dup(self, "done");
                    }
                    r.done = it.next().map(|e| self.expr(e));
                }
                Rule::grace_part => {
                    if r.grace.is_some() {
                        dup(self, "grace");
                    }
                    r.grace = it.next().map(|e| self.expr(e));
                }
                Rule::warn_part => {
                    if r.warn.is_some() {
                        dup(self, "warn");
                    }
                    r.warn = it.next().map(|e| self.expr(e));
                }
                Rule::related_part => r.related.extend(it.map(|e| self.expr(e))),
                Rule::message_part => {
                    if !r.message.is_empty() {
                        dup(self, "message");
                    }
                    r.message = it.next().map(|t| self.texts(t)).unwrap_or_default();
                }
                Rule::fix_part => {
                    if !r.fix.is_empty() {
                        dup(self, "fix");
                    }
                    r.fix = it.next().map(|t| self.texts(t)).unwrap_or_default();
                }
                _ => {}
            }
        }
    }

    fn texts(&mut self, pair: Pair<'_, Rule>) -> Vec<Text> {
        let mut out = Vec::new();
        for lt in pair.into_inner() {
            let span = self.span(&lt);
            let mut it = lt.into_inner();
            let lang = match it.next().map(|p| p.as_str()) {
                Some("en") => Lang::En,
                _ => Lang::Ja,
            };
            let Some(s) = it.next() else { continue };
            let pieces = self.pieces(&s);
            out.push(Text { lang, pieces, span });
        }
        out
    }

    /// Splits a string literal into text and `{expr}` pieces; `{{` and `}}` are braces.
    fn pieces(&mut self, s: &Pair<'_, Rule>) -> Vec<Piece> {
        let raw = string_inner(s);
        let base = s.as_span().start() + 1;
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut i = 0;
        let bytes = raw.as_bytes();
        while i < raw.len() {
            let rest = raw.get(i..).unwrap_or("");
            if rest.starts_with("{{") || rest.starts_with("}}") {
                text.push_str(rest.get(..1).unwrap_or(""));
                i += 2;
            } else if rest.starts_with('{') {
                let Some(close) = rest.find('}') else {
                    let sp = Span {
                        source: self.source,
                        start: base + i,
                        end: base + raw.len(),
                    };
                    self.err(
                        codes::RULE_SYNTAX,
                        sp,
                        "unclosed `{` in text".into(),
                        "opened here",
                        "close the interpolation with `}`, or write `{{` for a brace",
                    );
                    self.ja(
                        "文字列の `{` が閉じていない".into(),
                        "ここで開いた",
                        "`}` で閉じるか、`{{` と書く",
                    );
                    break;
                };
                if !text.is_empty() {
                    pieces.push(Piece::Text(unescape(&std::mem::take(&mut text))));
                }
                let inner = rest.get(1..close).unwrap_or("");
                match parse_expr(inner.trim_end(), self.source, self.name, base + i + 1) {
                    Ok(e) => pieces.push(Piece::Expr(e)),
                    Err(d) => self.diags.push(*d),
                }
                i += close + 1;
            } else {
                let ch = rest.chars().next().unwrap_or(' ');
                if ch == '\\' && bytes.get(i + 1).is_some() {
                    let next = rest.get(1..).and_then(|r| r.chars().next()).unwrap_or(' ');
                    text.push('\\');
                    text.push(next);
                    i += 1 + next.len_utf8();
                } else {
                    text.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(unescape(&text)));
        }
        pieces
    }

    fn literal(&mut self, p: &Pair<'_, Rule>) -> Option<Lit> {
        let span = self.span(p);
        let s = p.as_str();
        let lit = match p.as_rule() {
            Rule::boolean => Lit::Bool(s == "true"),
            Rule::none => Lit::None,
            Rule::string => Lit::Str(unescape(string_inner(p))),
            Rule::number => {
                if let Ok(i) = s.parse::<i64>() {
                    Lit::Int(i)
                } else if let Ok(n) = s.parse::<f64>() {
                    Lit::Num(n)
                } else {
                    self.err(
                        codes::RULE_SYNTAX,
                        span,
                        format!("`{s}` is not a number"),
                        "bad number",
                        "write digits",
                    );
                    self.ja(format!("`{s}` は数ではない"), "数の誤り", "数字で書く");
                    return None;
                }
            }
            Rule::date => match crate::records::parse_date(s) {
                Some(d) => Lit::Date(d),
                None => {
                    self.err(
                        codes::RULE_SYNTAX,
                        span,
                        format!("`{s}` is not a valid date"),
                        "bad date",
                        "write an existing date as yyyy-mm-dd",
                    );
                    self.ja(
                        format!("`{s}` は正しい日付ではない"),
                        "日付の誤り",
                        "実在する日付を yyyy-mm-dd で書く",
                    );
                    return None;
                }
            },
            Rule::duration => match Duration::parse(s) {
                Some(d) => Lit::Dur(d),
                None => {
                    self.err(
                        codes::RULE_SYNTAX,
                        span,
                        format!("`{s}` is not a valid duration"),
                        "bad duration",
                        "write e.g. `12 months` or `30 days`",
                    );
                    self.ja(
                        format!("`{s}` は正しい期間ではない"),
                        "期間の誤り",
                        "`12 months` や `30 days` のように書く",
                    );
                    return None;
                }
            },
            _ => return None,
        };
        Some(lit)
    }

    fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let source = self.source;
        let whole = self.span(&pair);
        let pairs: Pairs<'_, Rule> = pair.into_inner();
        let this = std::cell::RefCell::new(self);
        let join = |a: Span, b: Span| Span {
            source,
            start: a.start.min(b.start),
            end: a.end.max(b.end),
        };
        let result = pratt()
            .map_primary(|p| this.borrow_mut().primary(p))
            .map_prefix(|op, e| {
                let sp = this.borrow().span(&op);
                let u = if op.as_rule() == Rule::not_op {
                    UnOp::Not
                } else {
                    UnOp::Neg
                };
                Expr {
                    span: join(sp, e.span),
                    kind: ExprKind::Unary(u, Box::new(e)),
                }
            })
            .map_postfix(|e, op| {
                let sp = this.borrow().span(&op);
                let deref = op.as_rule() == Rule::deref_access;
                let name = op
                    .into_inner()
                    .next()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                let kind = if deref {
                    ExprKind::Deref(Box::new(e.clone()), name)
                } else {
                    ExprKind::Field(Box::new(e.clone()), name)
                };
                Expr {
                    span: join(e.span, sp),
                    kind,
                }
            })
            .map_infix(|a, op, b| {
                let o = match op.as_rule() {
                    Rule::or_op => BinOp::Or,
                    Rule::and_op => BinOp::And,
                    Rule::coalesce_op => BinOp::Coalesce,
                    Rule::eq_op => BinOp::Eq,
                    Rule::ne_op => BinOp::Ne,
                    Rule::lt_op => BinOp::Lt,
                    Rule::le_op => BinOp::Le,
                    Rule::gt_op => BinOp::Gt,
                    Rule::ge_op => BinOp::Ge,
                    Rule::in_op => BinOp::In,
                    Rule::not_in_op => BinOp::NotIn,
                    Rule::add_op => BinOp::Add,
                    _ => BinOp::Sub,
                };
                Expr {
                    span: join(a.span, b.span),
                    kind: ExprKind::Binary(o, Box::new(a), Box::new(b)),
                }
            })
            .parse(pairs);
        let _ = whole;
        result
    }

    fn primary(&mut self, p: Pair<'_, Rule>) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::expr => return self.expr(p),
            Rule::ident => ExprKind::Name(p.as_str().to_string()),
            Rule::list_lit => ExprKind::List(p.into_inner().map(|e| self.expr(e)).collect()),
            Rule::if_expr => {
                let mut it = p
                    .into_inner()
                    .filter(|x| x.as_rule() == Rule::expr)
                    .map(|e| self.expr(e));
                let none = Expr {
                    kind: ExprKind::Lit(Lit::None),
                    span,
                };
                let c = it.next().unwrap_or_else(|| none.clone());
                let a = it.next().unwrap_or_else(|| none.clone());
                let b = it.next().unwrap_or(none);
                ExprKind::If(Box::new(c), Box::new(a), Box::new(b))
            }
            Rule::call => {
                let mut it = p.into_inner();
                let name = it
                    .next()
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default();
                ExprKind::Call(name, it.map(|e| self.expr(e)).collect())
            }
            Rule::aggregate => {
                let mut it = p.into_inner().peekable();
                let kind = match it.next().map(|k| k.as_str()) {
                    Some("count") => AggKind::Count,
                    Some("exists") => AggKind::Exists,
                    Some("all") => AggKind::All,
                    Some("max") => AggKind::Max,
                    Some("min") => AggKind::Min,
                    _ => AggKind::List,
                };
                let proj = match it.peek().map(Pair::as_rule) {
                    Some(Rule::expr) => it.next().map(|e| Box::new(self.expr(e))),
                    _ => None,
                };
                let var = it
                    .next()
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default();
                let source = it.next().map(|e| self.expr(e)).unwrap_or(Expr {
                    kind: ExprKind::Lit(Lit::None),
                    span,
                });
                let filter = it.next().map(|e| Box::new(self.expr(e)));
                ExprKind::Agg {
                    kind,
                    proj,
                    var,
                    source: Box::new(source),
                    filter,
                }
            }
            _ => match self.literal(&p) {
                Some(l) => ExprKind::Lit(l),
                None => ExprKind::Lit(Lit::None),
            },
        };
        Expr { kind, span }
    }
}

fn string_inner<'a>(p: &Pair<'a, Rule>) -> &'a str {
    let s = p.as_str();
    s.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(s)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(rule: Rule, text: &str) {
        let r = RuleParser::parse(rule, text);
        assert!(r.is_ok(), "{rule:?} should parse `{text}`: {r:?}");
        let consumed = r
            .map(|mut p| p.next().map_or(0, |x| x.as_span().end()))
            .unwrap_or(0);
        assert_eq!(
            consumed,
            text.len(),
            "{rule:?} should consume all of `{text}`"
        );
    }

    #[test]
    fn grammar_rules_one_by_one() {
        ok(Rule::rule_id, "R-TRN-01");
        ok(Rule::duration, "12 months");
        ok(Rule::duration, "30 days");
        ok(Rule::date, "2024-02-29");
        ok(Rule::string, "\"見本 {w.name}\"");
        ok(Rule::clause_ref, "jis2017 \"A.3.8\"");
        ok(Rule::clause_ref, "jis2023 \"A.12\" ?");
        ok(Rule::expr, "a.b->c");
        ok(Rule::expr, "not a == b and c in [\"x\", \"y\"]");
        ok(
            Rule::expr,
            "max(r.completed_on for r in training_records where r.person_id == w.id)",
        );
        ok(
            Rule::expr,
            "exists(r in training_records where r.person_id == w.id)",
        );
        ok(Rule::expr, "x.inputs ?? none");
        ok(Rule::expr, "as_of - 12 months <= d");
        ok(Rule::expr, "k not in [\"a\"]");
        ok(Rule::expr, "index + info");
    }

    #[test]
    fn precedence() {
        let e = parse_expr("not a == b or c and d", 0, "t", 0);
        let Ok(Expr {
            kind: ExprKind::Binary(BinOp::Or, l, _),
            ..
        }) = e
        else {
            panic!("or at top: {e:?}")
        };
        assert!(matches!(l.kind, ExprKind::Unary(UnOp::Not, _)));
        let e = parse_expr("a + 1 days < b", 0, "t", 0);
        assert!(matches!(
            e,
            Ok(Expr {
                kind: ExprKind::Binary(BinOp::Lt, _, _),
                ..
            })
        ));
    }

    #[test]
    fn interpolation_spans_point_into_the_file() {
        let src = "rule R-X-01 { message ja \"名前 {w.name} です\" }";
        let f = text_to_ast(src, 0, "t.pms").unwrap_or_default();
        let msg = f
            .rules
            .first()
            .map(|r| r.message.clone())
            .unwrap_or_default();
        let Some(Piece::Expr(e)) = msg.first().and_then(|t| t.pieces.get(1)) else {
            panic!("expected an interpolation: {msg:?}")
        };
        assert_eq!(src.get(e.span.start..e.span.end), Some("w.name"));
    }
}

/// What the formatter needs to know of a parse, as byte offsets (see [`super::fmt`]).
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// Tokens the formatter must not split or re-space: strings, dates, numbers, rule ids.
    pub(crate) opaque: Vec<(usize, usize)>,
    /// Starts of unary minus signs.
    pub(crate) unary: Vec<usize>,
    /// Ends of names directly followed by a call's `(` (calls, aggregates, `define` names).
    pub(crate) callees: Vec<usize>,
    /// Top-level items: start, end, and whether the item is a rule.
    pub(crate) items: Vec<(usize, usize, bool)>,
    /// Starts of the parts of rules.
    pub(crate) parts: Vec<usize>,
}

/// Parses a rule file for the formatter.
///
/// # Errors
/// The syntax error, located in `name`.
pub(crate) fn layout(text: &str, name: &str) -> Result<Layout, Vec<Diagnostic>> {
    super::nesting::check(text, name).map_err(|d| vec![*d])?;
    let pairs = RuleParser::parse(Rule::file, text).map_err(|e| vec![syntax_error(&e, name)])?;
    let mut l = Layout::default();
    for p in pairs.flatten() {
        let span = p.as_span();
        match p.as_rule() {
            Rule::string | Rule::date | Rule::number | Rule::rule_id => {
                l.opaque.push((span.start(), span.end()));
            }
            Rule::neg_op => l.unary.push(span.start()),
            Rule::call | Rule::aggregate | Rule::define_decl => {
                if let Some(first) = p.clone().into_inner().next() {
                    l.callees.push(first.as_span().end());
                }
                if p.as_rule() == Rule::define_decl {
                    l.items.push((span.start(), span.end(), false));
                }
            }
            Rule::param_decl => l.items.push((span.start(), span.end(), false)),
            Rule::rule_def => {
                l.items.push((span.start(), span.end(), true));
                l.parts.extend(
                    p.clone()
                        .into_inner()
                        .filter(|q| q.as_rule() != Rule::rule_id)
                        .map(|q| q.as_span().start()),
                );
            }
            _ => {}
        }
    }
    crate::sorting::sort(&mut l.opaque);
    Ok(l)
}
