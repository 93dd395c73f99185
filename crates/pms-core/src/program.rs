//! `Program`: rule sources compiled once into an immutable, shareable plan.
//!
//! ```text
//! sources ─text_to_ast─▶ FileAst ─ast_to_checked─▶ Rule (compiled) ─PdcaGraph─▶ order
//! ```

use crate::check::{self, Param, Scope, C, T};
use crate::diagnostic::{codes, Diagnostic, Location};
use crate::dsl::ast::{FileAst, Lang, Piece, RuleAst, Span, Text};
use crate::dsl::lower::text_to_ast;
use crate::graph::{activity_phase, PdcaGraph, Phase, RuleNode, ACTIVITIES};
use crate::schema::{self, STRUCTS};
use serde::Serialize;
use std::collections::HashMap;

/// A rule source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// File name shown in diagnostics.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Severity of a rule's findings.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Minor: a warning, usually common practice.
    Minor,
    /// Major: a likely audit finding.
    Major,
    /// Critical: legal exposure or certification at risk.
    Critical,
}

impl Severity {
    /// Parses `critical`, `major`, `minor`, `info`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "critical" => Some(Severity::Critical),
            "major" => Some(Severity::Major),
            "minor" => Some(Severity::Minor),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    /// Lowercase name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Major => "major",
            Severity::Minor => "minor",
            Severity::Info => "info",
        }
    }
}

/// Basis of a rule.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// APPI and its rules and guidelines.
    Law,
    /// JIS Q 15001 and the 構築・運用指針.
    Standard,
    /// Privacy Mark scheme rules.
    Scheme,
    /// Common practice or auditor expectation.
    Practice,
}

impl Basis {
    /// Lowercase name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Law => "law",
            Basis::Standard => "standard",
            Basis::Scheme => "scheme",
            Basis::Practice => "practice",
        }
    }

    fn parse(s: &str) -> Option<Basis> {
        match s {
            "law" => Some(Basis::Law),
            "standard" => Some(Basis::Standard),
            "scheme" => Some(Basis::Scheme),
            "practice" => Some(Basis::Practice),
            _ => None,
        }
    }
}

/// A clause reference of one edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    /// Edition key: `jis2023`, `jis2017`, `jis2006`, `shishin` (指針 2024), `shishin2022`,
    /// `appi` (the law), `pmark` (Privacy Mark scheme documents).
    pub edition: String,
    /// Clause number.
    pub number: String,
    /// Whether the number is not verified against the standard.
    pub unverified: bool,
}

impl std::fmt::Display for Clause {
    /// `edition number`, with ` (unverified)` when the number is not verified.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.edition, self.number)?;
        if self.unverified {
            f.write_str(" (unverified)")?;
        }
        Ok(())
    }
}

/// Edition keys a clause reference may use.
pub const EDITION_KEYS: &[&str] = &[
    "jis2023",
    "jis2017",
    "jis2006",
    "shishin",
    "shishin2022",
    "appi",
    "pmark",
];

/// The criteria editions a report can be numbered by.
pub const EDITIONS: &[(&str, &str, &str)] = &[
    ("jisq15001:2023", "jis2023", "shishin"),
    ("jisq15001:2017", "jis2017", "shishin2022"),
    ("jisq15001:2006", "jis2006", "shishin2022"),
    ("appi", "appi", "shishin"),
];

/// A compiled message piece.
#[derive(Debug, Clone)]
pub(crate) enum CPiece {
    Text(String),
    Expr(C),
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id.
    pub id: String,
    /// Title (ja, en), shared with every finding of the rule.
    pub title: std::sync::Arc<Texts>,
    /// Clause per edition.
    pub clauses: Vec<Clause>,
    /// PDCA phase.
    pub phase: Phase,
    /// Severity.
    pub severity: Severity,
    /// Basis.
    pub basis: Basis,
    /// PDCA activity.
    pub activity: String,
    /// Rules whose gaps explain this rule's gaps.
    pub depends: Vec<String>,
    /// JIS edition keys whose packs hold the rule (`jis2023`, `jis2017`, `jis2006`).
    pub editions: Vec<String>,
    /// What it checks and why (ja, en).
    pub explain: Texts,
    /// Parameters the rule reads.
    pub params: Vec<String>,
    /// Entities the rule reads.
    pub entities: Vec<&'static str>,
    /// The entity it ranges over.
    pub population: &'static str,
    /// Source file name.
    pub file: String,
    /// Rule text.
    pub source_text: String,
    pub(crate) applies: Option<C>,
    pub(crate) pop_entity: u16,
    pub(crate) pop_slot: usize,
    pub(crate) pop_filter: Option<C>,
    /// The population filter reads only the subject: it is evaluated column by column.
    pub(crate) pop_filter_columnar: bool,
    /// `for m in E, a in m.list`: the slot of `a` and the list, evaluated for each record of
    /// the entity; the subjects are the list's objects.
    pub(crate) inner: Option<(usize, C)>,
    /// The subject's fields the population filter reads (named when it is unknown).
    pub(crate) filter_reads: Vec<check::SubjectRead>,
    /// The subject's fields the lets, `require`, `due` and `grace` read (named when the
    /// condition is unknown).
    pub(crate) reads: Vec<check::SubjectRead>,
    pub(crate) lets: Vec<(String, usize, C)>,
    pub(crate) require: Option<C>,
    pub(crate) due: Option<C>,
    /// `due … if any`: an absent deadline is no deadline.
    pub(crate) due_if_any: bool,
    pub(crate) grace: Option<C>,
    /// `warn from D`: at risk from `D` until the deadline.
    pub(crate) warn: Option<C>,
    /// `also for …` sections, compiled as rules of the same id and classification: other
    /// kinds of subject of this rule. Evaluated with it; their findings are its findings.
    pub(crate) also: Vec<Rule>,
    pub(crate) done: Option<C>,
    pub(crate) related: Vec<C>,
    pub(crate) message: [Vec<CPiece>; 2],
    pub(crate) fix: [Vec<CPiece>; 2],
    pub(crate) slots: usize,
}

impl Rule {
    /// Calls `f` on every compiled expression of the rule.
    fn for_each_expr_mut(&mut self, mut f: impl FnMut(&mut C)) {
        self.each_expr(&mut f);
    }

    fn each_expr(&mut self, f: &mut dyn FnMut(&mut C)) {
        for section in &mut self.also {
            section.each_expr(f);
        }
        let pieces = self.message.iter_mut().chain(self.fix.iter_mut()).flatten();
        self.applies
            .iter_mut()
            .chain(self.pop_filter.iter_mut())
            .chain(self.inner.iter_mut().map(|i| &mut i.1))
            .chain(self.lets.iter_mut().map(|l| &mut l.2))
            .chain(self.require.iter_mut())
            .chain(self.due.iter_mut())
            .chain(self.grace.iter_mut())
            .chain(self.warn.iter_mut())
            .chain(self.done.iter_mut())
            .chain(self.related.iter_mut())
            .chain(pieces.filter_map(|p| match p {
                CPiece::Expr(c) => Some(c),
                CPiece::Text(_) => None,
            }))
            .for_each(f);
    }
}

/// A plain text in Japanese and English.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Texts {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Texts {
    /// The text in a language.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// Parses every source, in order. Files are independent, so on a machine with several cores
/// they are parsed by one thread per core (parsing is most of a compile); in WebAssembly, and
/// for a handful of files, in this thread.
fn parse_all(sources: &[Source]) -> Vec<Result<FileAst, Vec<Diagnostic>>> {
    const MIN_FILES_PER_WORKER: usize = 16;
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(sources.len() / MIN_FILES_PER_WORKER);
    crate::workers::map(
        sources,
        workers,
        || (),
        |(), i, s| text_to_ast(&s.text, u32::try_from(i).unwrap_or(u32::MAX), &s.name),
    )
}

impl Rule {
    /// Whether the rule has a deadline: a `due` (a periodic obligation) or a `grace` (a
    /// condition that may be met late, up to a day).
    #[must_use]
    pub fn has_deadline(&self) -> bool {
        self.due.is_some() || self.grace.is_some()
    }

    /// Whether the rule belongs to a pack: `jisq15001:YYYY` holds the rules of that edition
    /// (every rule unless it names its editions); `appi` holds the rules based on the law.
    #[must_use]
    pub fn in_pack(&self, pack: &str) -> bool {
        match EDITIONS.iter().find(|e| e.0 == pack) {
            Some((_, "appi", _)) => self.basis == Basis::Law,
            Some((_, key, _)) => self.editions.iter().any(|e| e == key),
            None => false,
        }
    }

    /// The clause of an edition key, if the rule has one.
    #[must_use]
    pub fn clause(&self, key: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.edition == key)
    }
}

/// A compiled, immutable rule program: `Send + Sync`, built once, evaluated many times.
#[derive(Debug, Clone)]
pub struct Program {
    /// Rules in evaluation order (dependencies first).
    pub rules: Vec<Rule>,
    /// Parameters with their defaults.
    pub params: Vec<Param>,
    /// The PDCA graph.
    pub graph: PdcaGraph,
    /// The sources it was built from.
    pub sources: Vec<Source>,
    /// Number of grouped aggregates (see [`check::plan_groups`]).
    pub(crate) groups: u32,
    /// Extension fields declared by the rule files (`extend …`): records are loaded with
    /// them ([`crate::records::load_documents_with`]) and rules read them.
    pub extensions: schema::Extensions,
}

impl Program {
    /// Compiles rule sources.
    ///
    /// # Errors
    /// Every syntax, name, type and structure problem of every source, located.
    pub fn compile(sources: Vec<Source>) -> Result<Program, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut files: Vec<(u32, FileAst)> = Vec::new();
        for (i, parsed) in parse_all(&sources).into_iter().enumerate() {
            match parsed {
                Ok(f) => files.push((u32::try_from(i).unwrap_or(u32::MAX), f)),
                Err(d) => diags.extend(d),
            }
        }
        let extensions = extensions_of(&sources, &files, &mut diags);
        // Parameters: shared by every rule of the program.
        let mut params: Vec<Param> = Vec::new();
        let mut param_index: HashMap<String, (usize, T)> = HashMap::new();
        for (src, f) in &files {
            for p in &f.params {
                let (value, ty) = check::lit_value(&p.default);
                if let Some((i, _)) = param_index.get(&p.name.name) {
                    if params.get(*i).is_some_and(|q| q.default != value) {
                        diags.push(
                            err_at(
                                &sources,
                                *src,
                                p.name.span,
                                codes::RULE_DUPLICATE,
                                format!(
                                    "parameter `{}` declared twice with different defaults",
                                    p.name.name
                                ),
                                "declared again here",
                                "declare each parameter once",
                            )
                            .in_ja(
                                format!(
                                    "パラメータ `{}` が異なる既定値で 2 回宣言されている",
                                    p.name.name
                                ),
                                "再宣言",
                                "パラメータは 1 回だけ宣言する",
                            ),
                        );
                    }
                    continue;
                }
                param_index.insert(p.name.name.clone(), (params.len(), ty.clone()));
                let doc = p.doc.iter().map(|t| (t.lang, plain(t))).collect();
                let mut changes = Vec::new();
                let mut last = None;
                for (date, lit, span) in &p.changes {
                    let (v, t) = check::lit_value(lit);
                    if t != ty && t != T::Any {
                        diags.push(
                            err_at(
                                &sources,
                                *src,
                                *span,
                                codes::RULE_TYPE,
                                format!(
                                    "`{}` changes to a {} but its default is a {}",
                                    p.name.name,
                                    t.describe(),
                                    ty.describe()
                                ),
                                "wrong type",
                                "an amended value has the type of the default",
                            )
                            .in_ja(
                                format!(
                                    "`{}` の変更後は{}だが、既定値は{}である",
                                    p.name.name,
                                    t.describe_ja(),
                                    ty.describe_ja()
                                ),
                                "型が違う",
                                "変更後の値は既定値と同じ型にする",
                            ),
                        );
                    }
                    if last.is_some_and(|l| l >= *date) {
                        diags.push(
                            err_at(
                                &sources,
                                *src,
                                *span,
                                codes::RULE_TYPE,
                                format!("changes of `{}` must be in date order", p.name.name),
                                "out of order",
                                "list amendments from the oldest to the newest",
                            )
                            .in_ja(
                                format!("`{}` の変更は日付順に並べる", p.name.name),
                                "順序が違う",
                                "変更は古いものから新しいものへ並べる",
                            ),
                        );
                    }
                    last = Some(*date);
                    changes.push((*date, v));
                }
                params.push(Param {
                    name: p.name.name.clone(),
                    default: value,
                    ty,
                    changes,
                    doc,
                });
            }
        }
        let mut defines: HashMap<String, crate::dsl::ast::DefineDecl> = HashMap::new();
        for (src, f) in &files {
            for d in &f.defines {
                if check::is_builtin_function(&d.name.name) {
                    diags.push(
                        err_at(
                            &sources,
                            *src,
                            d.name.span,
                            codes::RULE_DUPLICATE,
                            format!(
                                "`{}` is a built-in function and cannot be redefined",
                                d.name.name
                            ),
                            "built-in name",
                            "give the definition a name of its own",
                        )
                        .in_ja(
                            format!("`{}` は組み込み関数であり、定義し直せない", d.name.name),
                            "組み込みの名前",
                            "定義には独自の名前を付ける",
                        ),
                    );
                    continue;
                }
                if defines.contains_key(&d.name.name) || param_index.contains_key(&d.name.name) {
                    diags.push(
                        err_at(
                            &sources,
                            *src,
                            d.name.span,
                            codes::RULE_DUPLICATE,
                            format!("`{}` is defined twice", d.name.name),
                            "defined again here",
                            "give each definition and parameter its own name",
                        )
                        .in_ja(
                            format!("`{}` が 2 回定義されている", d.name.name),
                            "再定義",
                            "定義とパラメータにはそれぞれ別の名前を付ける",
                        ),
                    );
                    continue;
                }
                defines.insert(d.name.name.clone(), d.clone());
            }
        }
        // Definitions are type-checked once on their own, so errors in them are reported even
        // when no rule calls them.
        // One scope per file: a definition is lowered once for the file, however many others
        // call it.
        for (src, f) in &files {
            let name = sources
                .get(*src as usize)
                .map(|s| s.name.as_str())
                .unwrap_or("<rules>");
            let mut scope = Scope::new(&param_index, &defines, &extensions, name);
            for d in &f.defines {
                scope.start_part();
                let args: Vec<crate::dsl::ast::Expr> = d
                    .params
                    .iter()
                    .map(|p| crate::dsl::ast::Expr {
                        kind: crate::dsl::ast::ExprKind::Lit(crate::dsl::ast::Lit::None),
                        span: p.span,
                    })
                    .collect();
                let call = crate::dsl::ast::Expr {
                    kind: crate::dsl::ast::ExprKind::Call(d.name.name.clone(), args),
                    span: d.name.span,
                };
                let _ = scope.expr(&call);
            }
            diags.extend(scope.diags);
        }
        let mut rules: Vec<Rule> = Vec::new();
        let mut seen: HashMap<String, (u32, Span)> = HashMap::new();
        for (src, f) in &files {
            for r in &f.rules {
                if let Some((psrc, _)) = seen.get(&r.id.name) {
                    let other = sources
                        .get(*psrc as usize)
                        .map(|s| s.name.clone())
                        .unwrap_or_default();
                    diags.push(
                        err_at(
                            &sources,
                            *src,
                            r.id.span,
                            codes::RULE_DUPLICATE,
                            format!("duplicate rule id `{}`", r.id.name),
                            "defined again here",
                            &format!(
                                "`{}` is already defined in {other}; give your rule its own id",
                                r.id.name
                            ),
                        )
                        .in_ja(
                            format!("ルール id `{}` が重複している", r.id.name),
                            "再定義",
                            &format!(
                                "`{}` は {other} で定義済み。ルールには独自の id を付ける",
                                r.id.name
                            ),
                        ),
                    );
                    continue;
                }
                seen.insert(r.id.name.clone(), (*src, r.id.span));
                let name = sources
                    .get(*src as usize)
                    .map(|s| s.name.as_str())
                    .unwrap_or("<rules>");
                let text = sources
                    .get(*src as usize)
                    .and_then(|s| s.text.get(r.span.start..r.span.end))
                    .unwrap_or_default();
                match compile_rule(r, &param_index, &defines, &extensions, name, text) {
                    Ok(mut rule) => {
                        // `also for …` sections: the rule's other kinds of subject, with the
                        // rule's title, clauses and classification.
                        for section in &r.also {
                            let whole = RuleAst {
                                also: Vec::new(),
                                population: section.population.clone(),
                                lets: section.lets.clone(),
                                require: section.require.clone(),
                                due: section.due.clone(),
                                due_if_any: section.due_if_any,
                                grace: section.grace.clone(),
                                warn: section.warn.clone(),
                                done: section.done.clone(),
                                related: section.related.clone(),
                                message: section.message.clone(),
                                fix: section.fix.clone(),
                                ..r.clone()
                            };
                            match compile_rule(
                                &whole,
                                &param_index,
                                &defines,
                                &extensions,
                                name,
                                text,
                            ) {
                                Ok(part) => rule.also.push(part),
                                Err(d) => diags.extend(d),
                            }
                        }
                        rules.push(rule);
                    }
                    Err(d) => diags.extend(d),
                }
            }
        }
        for r in &rules {
            for d in &r.depends {
                if !rules.iter().any(|x| &x.id == d) {
                    let (src, _) = seen.get(&r.id).copied().unwrap_or_default();
                    let span = files
                        .iter()
                        .find(|(s, _)| *s == src)
                        .and_then(|(_, f)| f.rules.iter().find(|x| x.id.name == r.id))
                        .and_then(|x| x.depends.iter().find(|n| &n.name == d))
                        .map(|n| n.span)
                        .unwrap_or_default();
                    let help = schema::suggest(d, rules.iter().map(|x| x.id.as_str()))
                        .map(|c| format!("did you mean `{c}`?"))
                        .unwrap_or_else(|| "depend on a rule of this program".into());
                    diags.push(
                        err_at(
                            &sources,
                            src,
                            span,
                            codes::RULE_UNKNOWN_DEP,
                            format!("rule `{}` depends on unknown rule `{d}`", r.id),
                            "unknown rule",
                            &help,
                        )
                        .in_ja(
                            format!("ルール `{}` が未知のルール `{d}` に依存している", r.id),
                            "未知のルール",
                            &crate::diagnostic::did_you_mean_ja(&help)
                                .unwrap_or_else(|| "このプログラムのルールに依存させる".into()),
                        ),
                    );
                }
            }
        }
        let nodes: Vec<RuleNode<'_>> = rules
            .iter()
            .map(|r| RuleNode {
                id: &r.id,
                activity: &r.activity,
                depends: &r.depends,
            })
            .collect();
        let graph = PdcaGraph::build(&nodes);
        let order = match graph.rule_order() {
            Ok(o) => o,
            Err(cycles) => {
                for c in cycles {
                    let first = c.first().cloned().unwrap_or_default();
                    let (src, span) = seen.get(&first).copied().unwrap_or_default();
                    let mut path = c.clone();
                    path.push(first.clone());
                    diags.push(err_at(&sources, src, span, codes::RULE_CYCLE, format!("rule dependencies form a cycle: {}", path.join(" → ")), "part of the cycle", "a rule cannot, through `depends on`, depend on itself; remove one of the dependencies").in_ja(format!("ルールの依存が循環している: {}", path.join(" → ")), "循環の一部", "ルールは `depends on` を通じて自分自身に依存できない。依存のどれかを外す"));
                }
                Vec::new()
            }
        };
        if !diags.is_empty() {
            crate::diagnostic::sort(&mut diags);
            locate_lines(&mut diags, &sources);
            return Err(diags);
        }
        let mut by_id: HashMap<String, Rule> =
            rules.into_iter().map(|r| (r.id.clone(), r)).collect();
        let mut rules: Vec<Rule> = order.iter().filter_map(|id| by_id.remove(id)).collect();
        let mut groups = 0;
        for r in &mut rules {
            r.for_each_expr_mut(|c| check::plan_groups(c, &mut groups));
        }
        Ok(Program {
            rules,
            params,
            graph,
            sources,
            groups,
            extensions,
        })
    }

    /// A rule by id.
    #[must_use]
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// A parameter by name.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The header comment of a rule: the `#` lines directly above it in its file (its
    /// specification, parts, why …), or else the comment that opens the file, without the
    /// `#`s; empty when there is none.
    #[must_use]
    pub fn header(&self, rule: &Rule) -> String {
        let Some(src) = self.sources.iter().find(|s| s.name == rule.file) else {
            return String::new();
        };
        let Some(at) = src.text.find(&rule.source_text) else {
            return String::new();
        };
        let comment = |l: &&str| l.trim_start().starts_with('#');
        let strip = |l: &str| {
            let l = l.trim_start().trim_start_matches('#');
            l.strip_prefix(' ').unwrap_or(l).trim_end().to_string()
        };
        let before = src.text.get(..at).unwrap_or_default();
        let mut lines: Vec<String> = before
            .lines()
            .rev()
            .take_while(comment)
            .map(strip)
            .collect();
        lines.reverse();
        if lines.is_empty() {
            lines = src.text.lines().take_while(comment).map(strip).collect();
        }
        lines.join("\n")
    }
}

fn plain(t: &Text) -> String {
    t.pieces
        .iter()
        .map(|p| match p {
            Piece::Text(s) => s.clone(),
            Piece::Expr(_) => String::new(),
        })
        .collect()
}

/// A required part of a rule named in Japanese (the `what` of its "has no" error).
fn part_ja(what: &str) -> String {
    match what {
        "title in both ja and en" => "ja と en の両方の title".into(),
        "message in both ja and en" => "ja と en の両方の message".into(),
        "fix in both ja and en" => "ja と en の両方の fix".into(),
        "clause reference" => "条項の参照".into(),
        "`require` or `due`" => "`require` も `due` も".into(),
        other => other.to_owned(),
    }
}

fn err_at(
    sources: &[Source],
    src: u32,
    span: Span,
    code: &'static str,
    msg: String,
    label: &str,
    help: &str,
) -> Diagnostic {
    let file = sources
        .get(src as usize)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    Diagnostic::error(code, msg)
        .at(Location {
            file,
            span: Some((span.start, span.end)),
            ..Location::default()
        })
        .label(label)
        .help(help)
}

/// Fills line and column from byte spans (one line index per source).
fn locate_lines(diags: &mut [Diagnostic], sources: &[Source]) {
    let mut indexes: HashMap<&str, crate::diagnostic::LineIndex<'_>> = HashMap::new();
    for d in diags {
        let Some(loc) = d.location.as_mut() else {
            continue;
        };
        if loc.line.is_some() {
            continue;
        }
        let (Some((start, _)), Some(src)) = (loc.span, sources.iter().find(|s| s.name == loc.file))
        else {
            continue;
        };
        let index = indexes
            .entry(src.name.as_str())
            .or_insert_with(|| crate::diagnostic::LineIndex::new(&src.text));
        let (line, column) = index.line_col(start);
        loc.line = Some(line);
        loc.column = Some(column);
    }
}

/// The extension fields declared by the files (`extend …`), each declaration checked on its
/// own so that an error points at it.
fn extensions_of(
    sources: &[Source],
    files: &[(u32, FileAst)],
    diags: &mut Vec<Diagnostic>,
) -> schema::Extensions {
    use crate::dsl::ast::ExtTypeAst;
    fn convert(t: &ExtTypeAst) -> Result<schema::ExtType, (Span, String)> {
        Ok(match t {
            ExtTypeAst::Name(n) => match n.name.as_str() {
                "text" => schema::ExtType::Text,
                "int" => schema::ExtType::Int,
                "number" => schema::ExtType::Number,
                "bool" => schema::ExtType::Bool,
                "date" => schema::ExtType::Date,
                other => {
                    return Err((
                        n.span,
                        format!("unknown field type `{other}`; use text, int, number, bool, date, ref ENTITY, one of \"a\", \"b\", [type] or {{ name: type, … }}"),
                    ))
                }
            },
            ExtTypeAst::Ref(e) => schema::ExtType::Ref(e.name.clone()),
            ExtTypeAst::OneOf(v) => schema::ExtType::OneOf(v.clone()),
            ExtTypeAst::List(inner) => schema::ExtType::List(Box::new(convert(inner)?)),
            ExtTypeAst::Object(fields) => schema::ExtType::Object(
                fields
                    .iter()
                    .map(|(n, t)| Ok((n.name.clone(), convert(t)?)))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }
    let mut decls: Vec<(String, Vec<(String, schema::ExtType)>)> = Vec::new();
    for (src, f) in files {
        for x in &f.extends {
            let mut fields = Vec::new();
            let mut bad = None;
            let base = schema::find_entity(&x.entity.name);
            for (n, t) in &x.fields {
                // A field is located at its own name.
                if base.is_some_and(|b| b.field_index(&n.name).is_some()) {
                    bad = Some((
                        n.span,
                        format!(
                            "`{}` already has a built-in field `{}`",
                            x.entity.name, n.name
                        ),
                    ));
                    break;
                }
                let earlier = decls
                    .iter()
                    .filter(|(e, _)| *e == x.entity.name)
                    .flat_map(|(_, fs)| fs.iter())
                    .chain(fields.iter());
                if earlier.map(|(f, _)| f).any(|f: &String| *f == n.name) {
                    bad = Some((
                        n.span,
                        format!(
                            "field `{}` of `{}` is declared twice",
                            n.name, x.entity.name
                        ),
                    ));
                    break;
                }
                match convert(t) {
                    Ok(t) => fields.push((n.name.clone(), t)),
                    Err(e) => {
                        bad = Some(e);
                        break;
                    }
                }
            }
            let mut with = decls.clone();
            with.push((x.entity.name.clone(), fields));
            let checked = match bad {
                Some(e) => Err(e),
                None => schema::Extensions::build(&with)
                    .map(|_| ())
                    .map_err(|m| (x.entity.span, m)),
            };
            match checked {
                Ok(()) => decls = with,
                Err((span, message)) => {
                    let ja = format!("`extend` の宣言が正しくない: {message}");
                    diags.push(
                        err_at(
                            sources,
                            *src,
                            span,
                            codes::RULE_EXTENSION,
                            message,
                            "in this declaration",
                            "declare new fields of a built-in entity: `extend inventory { retention_days: int }`",
                        )
                        .in_ja(
                            ja,
                            "この宣言",
                            "例: `extend inventory { retention_days: int }`",
                        ),
                    );
                }
            }
        }
    }
    schema::Extensions::build(&decls).unwrap_or_default()
}

fn texts(ts: &[Text]) -> Texts {
    let mut out = Texts::default();
    for t in ts {
        match t.lang {
            Lang::Ja => out.ja = plain(t),
            Lang::En => out.en = plain(t),
        }
    }
    out
}

fn compile_rule(
    r: &RuleAst,
    params: &HashMap<String, (usize, T)>,
    defines: &HashMap<String, crate::dsl::ast::DefineDecl>,
    extensions: &schema::Extensions,
    file: &str,
    text: &str,
) -> Result<Rule, Vec<Diagnostic>> {
    let mut scope = Scope::new(params, defines, extensions, file);
    let id = &r.id.name;
    let span = r.id.span;
    let need = |scope: &mut Scope<'_>, ok: bool, what: &str, help: &str| {
        if !ok {
            scope.error(
                codes::RULE_INCOMPLETE,
                span,
                format!("rule `{id}` has no {what}"),
                "in this rule",
                Some(help.to_string()),
            );
            let help_ja = match help.strip_prefix("add ") {
                Some(code) => format!("{code} を追加する"),
                None => "適合する対象が満たすことを `require …` で、期限を `due …` で書く".into(),
            };
            scope.ja(
                format!("ルール `{id}` に {} がない", part_ja(what)),
                "このルール",
                Some(&*help_ja),
            );
        }
    };
    let both = |ts: &[Text]| {
        ts.iter().any(|t| t.lang == Lang::Ja) && ts.iter().any(|t| t.lang == Lang::En)
    };
    need(
        &mut scope,
        both(&r.title),
        "title in both ja and en",
        "add `title ja \"…\" en \"…\"`",
    );
    need(
        &mut scope,
        both(&r.message),
        "message in both ja and en",
        "add `message ja \"…\" en \"…\"`",
    );
    need(
        &mut scope,
        both(&r.fix),
        "fix in both ja and en",
        "add `fix ja \"…\" en \"…\"`",
    );
    need(
        &mut scope,
        !r.clauses.is_empty(),
        "clause reference",
        "add `clause jis2023 \"…\", jis2017 \"A.…\"`",
    );
    need(
        &mut scope,
        r.require.is_some() || r.due.is_some(),
        "`require` or `due`",
        "state what a compliant subject meets with `require …`, or its deadline with `due …`",
    );
    for c in &r.clauses {
        if !EDITION_KEYS.contains(&c.edition.as_str()) {
            let help = schema::suggest(&c.edition, EDITION_KEYS.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("editions: {}", EDITION_KEYS.join(", ")));
            scope.error(
                codes::RULE_CLAUSE,
                c.span,
                format!("unknown edition `{}` in clause reference", c.edition),
                "unknown edition",
                Some(help.clone()),
            );
            scope.ja(
                format!("条項の参照に未知の版 `{}` がある", c.edition),
                "未知の版",
                Some(
                    &*crate::diagnostic::did_you_mean_ja(&help)
                        .unwrap_or_else(|| format!("版: {}", EDITION_KEYS.join(", "))),
                ),
            );
        } else if !clause_number_ok(&c.edition, &c.number) {
            scope.error(codes::RULE_CLAUSE, c.span, format!("`{}` is not a clause number of `{}`", c.number, c.edition), "bad clause number", Some("JIS clauses look like `A.3.4.5` or `9.2`; 指針 numbers like `J.7.1`; APPI like `Art. 26`".into()));
            scope.ja(format!("`{}` は `{}` の条項番号ではない", c.number, c.edition), "条項番号の誤り", Some("JIS の条項は `A.3.4.5` や `9.2`、指針は `J.7.1`、個人情報保護法は `Art. 26` のように書く"));
        }
    }
    let meta = |scope: &mut Scope<'_>,
                v: &Option<crate::dsl::ast::Named>,
                what: &str,
                allowed: &[&str]|
     -> Option<String> {
        match v {
            None => {
                scope.error(
                    codes::RULE_INCOMPLETE,
                    span,
                    format!("rule `{id}` has no {what}"),
                    "in this rule",
                    Some(format!(
                        "add `{what} {}`",
                        allowed.first().copied().unwrap_or("")
                    )),
                );
                scope.ja(
                    format!("ルール `{id}` に {what} がない"),
                    "このルール",
                    Some(&*format!(
                        "`{what} {}` を追加する",
                        allowed.first().copied().unwrap_or("")
                    )),
                );
                None
            }
            Some(n) if !allowed.contains(&n.name.as_str()) => {
                let help = schema::suggest(&n.name, allowed.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("one of {}", allowed.join(", ")));
                scope.error(
                    codes::RULE_INCOMPLETE,
                    n.span,
                    format!("unknown {what} `{}`", n.name),
                    &format!("not a {what}"),
                    Some(help.clone()),
                );
                scope.ja(
                    format!("未知の {what} `{}`", n.name),
                    &format!("{what} ではない"),
                    Some(
                        &*crate::diagnostic::did_you_mean_ja(&help)
                            .unwrap_or_else(|| format!("{} のどれか", allowed.join(", "))),
                    ),
                );
                None
            }
            Some(n) => Some(n.name.clone()),
        }
    };
    let phase = meta(
        &mut scope,
        &r.phase,
        "phase",
        &["plan", "do", "check", "act"],
    )
    .and_then(|p| Phase::parse(&p));
    let severity = meta(
        &mut scope,
        &r.severity,
        "severity",
        &["critical", "major", "minor", "info"],
    )
    .and_then(|s| Severity::parse(&s));
    let basis = meta(
        &mut scope,
        &r.basis,
        "basis",
        &["law", "standard", "scheme", "practice"],
    )
    .and_then(|s| Basis::parse(&s));
    let acts: Vec<&str> = ACTIVITIES.iter().map(|a| a.0).collect();
    let activity = meta(&mut scope, &r.activity, "activity", &acts);
    if let (Some(a), Some(p)) = (&activity, phase) {
        if activity_phase(a).is_some_and(|ap| ap != p) {
            // An activity belongs to one phase; a rule's own phase may differ (a Check-phase
            // rule about a Plan activity), which is allowed.
        }
    }
    let jis = ["jis2023", "jis2017", "jis2006"];
    for e in &r.editions {
        if !jis.contains(&e.name.as_str()) {
            scope.error(
                codes::RULE_CLAUSE,
                e.span,
                format!("unknown edition `{}` in `editions`", e.name),
                "not a JIS edition",
                Some("use jis2023, jis2017 or jis2006".into()),
            );
            scope.ja(
                format!("`editions` に未知の版 `{}` がある", e.name),
                "JIS の版ではない",
                Some("jis2023、jis2017、jis2006 のどれかを使う"),
            );
        }
    }
    let editions: Vec<String> = if r.editions.is_empty() {
        jis.iter().map(|s| (*s).to_string()).collect()
    } else {
        r.editions.iter().map(|e| e.name.clone()).collect()
    };
    let applies = r.applies.as_ref().map(|e| {
        let (c, t) = scope.expr(e);
        if t != T::Bool && t != T::Any {
            scope.error(
                codes::RULE_TYPE,
                e.span,
                format!("`applies when` needs a boolean, found a {}", t.describe()),
                "not a boolean",
                None,
            );
            scope.ja(
                format!(
                    "`applies when` には真偽値が必要だが、{}である",
                    t.describe_ja()
                ),
                "真偽値ではない",
                None,
            );
        }
        c
    });
    let Some(pop) = &r.population else {
        scope.error(codes::RULE_INCOMPLETE, span, format!("rule `{id}` has no `for` (the records it checks)"), "in this rule", Some("add `for w in workforce where …`; rules about the company use `for o in organization`".into()));
        scope.ja(
            format!("ルール `{id}` に `for`（点検する記録）がない"),
            "このルール",
            Some("`for w in workforce where …` を追加する"),
        );
        return Err(scope.diags);
    };
    let Some(ent) = schema::find_entity(&pop.entity.name) else {
        scope.unknown_entity(&pop.entity.name, pop.entity.span);
        return Err(scope.diags);
    };
    let pop_entity = check::struct_index(ent.name).unwrap_or(0);
    let pop_slot = scope.bind(&pop.var.name, T::Rec(pop_entity));
    // `for m in E, a in m.list`: the subjects are the objects of the list.
    let mut population_name = ent.name;
    let inner = match &pop.inner {
        None => None,
        Some((var, e)) => {
            let (c, t) = scope.expr(e);
            match t {
                T::List(el) if matches!(*el, T::Obj(_) | T::Rec(_)) => {
                    if let T::Obj(si) | T::Rec(si) = *el {
                        population_name = check::struct_name(si);
                    }
                    let slot = scope.bind(&var.name, *el);
                    Some((slot, c))
                }
                T::Any => None,
                other => {
                    scope.error(
                        codes::RULE_TYPE,
                        e.span,
                        format!(
                            "`for … in` ranges over a list of records or objects, found a {}",
                            other.describe()
                        ),
                        "not a list of objects",
                        Some("e.g. `for m in management_reviews, a in m.action_items`".into()),
                    );
                    scope.ja(
                        format!(
                            "`for … in` は記録かオブジェクトのリストをたどるが、{}である",
                            other.describe_ja()
                        ),
                        "オブジェクトのリストではない",
                        Some("例: `for m in management_reviews, a in m.action_items`"),
                    );
                    None
                }
            }
        }
    };
    let subject_slot = inner.as_ref().map_or(pop_slot, |(s, _)| *s);
    let pop_filter = pop.filter.as_ref().map(|f| {
        let (c, t) = scope.expr(f);
        if t != T::Bool && t != T::Any {
            scope.error(
                codes::RULE_TYPE,
                f.span,
                format!("`where` needs a boolean, found a {}", t.describe()),
                "not a boolean",
                None,
            );
            scope.ja(
                format!("`where` には真偽値が必要だが、{}である", t.describe_ja()),
                "真偽値ではない",
                None,
            );
        }
        c
    });
    let mut lets = Vec::new();
    for (n, e) in &r.lets {
        let (c, t) = scope.expr(e);
        let slot = scope.bind(&n.name, t);
        lets.push((n.name.clone(), slot, c));
    }
    let require = r.require.as_ref().map(|e| {
        let (c, t) = scope.expr(e);
        if t != T::Bool && t != T::Any {
            scope.error(
                codes::RULE_TYPE,
                e.span,
                format!("`require` needs a boolean, found a {}", t.describe()),
                "not a boolean",
                Some("write a condition, e.g. `require present(x.root_cause)`".into()),
            );
            scope.ja(
                format!("`require` には真偽値が必要だが、{}である", t.describe_ja()),
                "真偽値ではない",
                Some("条件を書く（例: `require present(x.root_cause)`）"),
            );
        }
        c
    });
    let due = r.due.as_ref().map(|e| {
        let (c, t) = scope.expr(e);
        if t != T::Date && t != T::Any {
            scope.error(
                codes::RULE_TYPE,
                e.span,
                format!("`due` needs a date, found a {}", t.describe()),
                "not a date",
                Some("write a deadline, e.g. `due last + training_interval`".into()),
            );
            scope.ja(
                format!("`due` には日付が必要だが、{}である", t.describe_ja()),
                "日付ではない",
                Some("期限を書く（例: `due last + training_interval`）"),
            );
        }
        c
    });
    let grace = r.grace.as_ref().map(|e| {
        let (c, t) = scope.expr(e);
        if t != T::Date && t != T::Any {
            scope.error(codes::RULE_TYPE, e.span, format!("`grace` needs a date, found a {}", t.describe()), "not a date", Some("write the last day an unmet `require` is still pending, e.g. `grace f.raised_on + 30 days`".into()));
            scope.ja(format!("`grace` には日付が必要だが、{}である", t.describe_ja()), "日付ではない", Some("例: `grace f.raised_on + 30 days`"));
        }
        c
    });
    let warn = r.warn.as_ref().map(|e| {
        let (c, t) = scope.expr(e);
        if t != T::Date && t != T::Any {
            scope.error(codes::RULE_TYPE, e.span, format!("`warn from` needs a date, found a {}", t.describe()), "not a date", Some("write the first day the subject is at risk, e.g. `warn from c.valid_to - renewal_warn`".into()));
            scope.ja(format!("`warn from` には日付が必要だが、{}である", t.describe_ja()), "日付ではない", Some("例: `warn from c.valid_to - renewal_warn`"));
        }
        c
    });
    let done = r.done.as_ref().map(|e| {
        let (c, t) = scope.expr(e);
        if t != T::Date && t != T::Any {
            scope.error(
                codes::RULE_TYPE,
                e.span,
                format!("`done` needs a date, found a {}", t.describe()),
                "not a date",
                Some("write the day the obligation was met, e.g. `done first_report`".into()),
            );
            scope.ja(
                format!("`done` には日付が必要だが、{}である", t.describe_ja()),
                "日付ではない",
                Some("義務を果たした日を書く（例: `done first_report`）"),
            );
        }
        c
    });
    if r.grace.is_some() && r.require.is_none() {
        scope.error(
            codes::RULE_INCOMPLETE,
            span,
            format!("rule `{id}` has `grace` without `require`"),
            "in this rule",
            Some("`grace` delays a failed `require`; add the condition".into()),
        );
        scope.ja(
            format!("ルール `{id}` に `require` なしの `grace` がある"),
            "このルール",
            Some("`grace` は満たされない `require` を猶予する。条件を追加する"),
        );
    }
    let related = r.related.iter().map(|e| scope.expr(e).0).collect();
    let pieces = |scope: &mut Scope<'_>, ts: &[Text], lang: Lang| -> Vec<CPiece> {
        ts.iter()
            .filter(|t| t.lang == lang)
            .flat_map(|t| t.pieces.iter())
            .map(|p| match p {
                Piece::Text(s) => CPiece::Text(s.clone()),
                Piece::Expr(e) => CPiece::Expr(scope.expr(e).0),
            })
            .collect()
    };
    let message = [
        pieces(&mut scope, &r.message, Lang::Ja),
        pieces(&mut scope, &r.message, Lang::En),
    ];
    let fix = [
        pieces(&mut scope, &r.fix, Lang::Ja),
        pieces(&mut scope, &r.fix, Lang::En),
    ];
    if !scope.diags.is_empty() {
        return Err(scope.diags);
    }
    let (Some(phase), Some(severity), Some(basis), Some(activity)) =
        (phase, severity, basis, activity)
    else {
        return Err(scope.diags);
    };
    let mut entities: Vec<&'static str> = scope
        .entities
        .iter()
        .filter_map(|e| STRUCTS.get(usize::from(*e)).map(|s| s.name))
        .collect();
    if !entities.contains(&ent.name) {
        entities.push(ent.name);
    }
    if scope.uses_org && !entities.contains(&"organization") {
        entities.push("organization");
    }
    entities.sort_unstable();
    let mut param_names: Vec<String> = scope
        .params_used
        .iter()
        .filter_map(|i| {
            params
                .iter()
                .find(|(_, (j, _))| j == i)
                .map(|(n, _)| n.clone())
        })
        .collect();
    param_names.sort();
    let filter_reads = pop_filter
        .as_ref()
        .map(|f| check::subject_reads(f, subject_slot))
        .unwrap_or_default();
    let mut reads: Vec<check::SubjectRead> = lets
        .iter()
        .map(|l| &l.2)
        .chain(require.iter())
        .chain(due.iter())
        .chain(grace.iter())
        .flat_map(|c| check::subject_reads(c, subject_slot))
        .collect();
    reads.sort_unstable();
    reads.dedup();
    Ok(Rule {
        id: id.clone(),
        title: std::sync::Arc::new(texts(&r.title)),
        clauses: r
            .clauses
            .iter()
            .map(|c| Clause {
                edition: c.edition.clone(),
                number: c.number.clone(),
                unverified: c.unverified,
            })
            .collect(),
        phase,
        severity,
        basis,
        activity,
        depends: r.depends.iter().map(|d| d.name.clone()).collect(),
        editions,
        explain: texts(&r.explain),
        params: param_names,
        entities,
        population: population_name,
        file: file.to_string(),
        source_text: text.to_string(),
        applies,
        pop_entity,
        pop_slot,
        pop_filter_columnar: inner.is_none()
            && pop_filter
                .as_ref()
                .is_some_and(|f| check::reads_only(f, &mut vec![pop_slot])),
        inner,
        pop_filter,
        filter_reads,
        reads,
        lets,
        require,
        due,
        due_if_any: r.due_if_any,
        grace,
        warn,
        also: Vec::new(),
        done,
        related,
        message,
        fix,
        slots: scope.slots,
    })
}

fn clause_number_ok(edition: &str, n: &str) -> bool {
    let dotted = |s: &str| {
        !s.is_empty()
            && s.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    };
    match edition {
        "shishin" | "shishin2022" => n.strip_prefix("J.").is_some_and(dotted),
        "pmark" => !n.trim().is_empty(),
        "appi" => n.starts_with("Art.") || n.starts_with("Rule Art.") || n.starts_with("Guideline"),
        _ => dotted(n) || n.strip_prefix("A.").is_some_and(dotted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_is_send_and_sync() {
        fn assert_send_sync<X: Send + Sync>() {}
        assert_send_sync::<Program>();
    }

    #[test]
    fn clause_numbers() {
        assert!(clause_number_ok("jis2017", "A.3.4.5"));
        assert!(clause_number_ok("jis2023", "9.2"));
        assert!(clause_number_ok("shishin", "J.7.1"));
        assert!(!clause_number_ok("shishin", "7.1"));
        assert!(!clause_number_ok("jis2017", "A..3"));
    }
}
