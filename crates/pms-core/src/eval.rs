//! Evaluation: a compiled [`Program`] over a [`RecordSet`] gives a [`Report`].
//!
//! A failed rule is a finding (data), never an error. `Err` is only for bad options (an
//! unknown edition, a bad parameter override).

use crate::calendar::Calendar;
use crate::check::{parse_param_value, Func, Source, C};
use crate::diagnostic::{codes, Diagnostic};
use crate::dsl::ast::{AggKind, BinOp, Lang};
use crate::program::{CPiece, Program, Rule, EDITIONS};
use crate::records::RecordSet;
use crate::report::{self, Finding, RecordRef, Report, Status, Subject};
use crate::schema::STRUCTS;
use crate::value::{Duration, RecRef, Value};
use chrono::{Datelike, NaiveDate};
use std::cell::{Cell, OnceCell, RefCell};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

mod columns;

/// Options of one evaluation.
#[derive(Debug, Clone)]
pub struct Options {
    /// The evaluation date; every period is counted back from it.
    pub as_of: NaiveDate,
    /// Criteria edition whose clause numbers the report shows (`jisq15001:2023` …).
    pub edition: String,
    /// Language of the report's text output and `message` fields.
    pub lang: Lang,
    /// Parameter overrides as `name → value text`.
    pub params: Vec<(String, String)>,
    /// A deadline this close is reported as at-risk.
    pub warn_window: Duration,
    /// Deadlines this far ahead are listed as upcoming.
    pub horizon: Duration,
    /// Whether passed subjects are listed as findings too.
    pub include_passed: bool,
    /// Evaluate only these rules (all rules of the pack when empty).
    pub only: Vec<String>,
    /// Threads evaluating rules: 0 (the default) uses one per core for large record sets
    /// (20,000 records or more) and one otherwise; 1 evaluates on the calling thread. The
    /// report is the same whatever the number. WebAssembly always uses one.
    pub threads: usize,
    /// Whether expressions that read only one record are evaluated column by column over
    /// all records at once; the results are the same either way, only the time differs.
    pub columnar: Columnar,
}

/// When to evaluate column by column (see [`Options::columnar`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Columnar {
    /// Grouped look-ups always, a rule's subjects when there are 64 or more (the default).
    #[default]
    Auto,
    /// Everything that has a column form, however few the records.
    Always,
    /// Record by record: the plain interpreter.
    Never,
}

impl Options {
    /// Defaults for a date: edition 2023, Japanese, 30-day warning window, 90-day horizon.
    #[must_use]
    pub fn new(as_of: NaiveDate) -> Options {
        Options {
            as_of,
            edition: "jisq15001:2023".into(),
            lang: Lang::Ja,
            params: Vec::new(),
            warn_window: Duration {
                months: 0,
                days: 30,
            },
            horizon: Duration {
                months: 0,
                days: 90,
            },
            include_passed: false,
            only: Vec::new(),
            threads: 0,
            columnar: Columnar::Auto,
        }
    }
}

/// What every worker of an evaluation starts from: parameter values, the organization and
/// its calendar.
struct Setting {
    params: Vec<Value>,
    org: Value,
    calendar: Calendar,
    year_start: Option<NaiveDate>,
}

pub(crate) struct Ctx<'a> {
    pub(crate) set: &'a RecordSet,
    as_of: NaiveDate,
    params: Vec<Value>,
    org: Value,
    /// Index look-ups, taken from the record set's (built there on first use).
    indexes: RefCell<HashMap<(u16, u16), Arc<columns::Index>>>,
    /// Grouped aggregates (see [`crate::check::plan_groups`]), built on first use.
    groups: Vec<OnceCell<columns::Groups>>,
    /// Scratch table by string-table index, all zero between uses (see
    /// `columns::Over::through_one_field`).
    pub(crate) numbering: RefCell<Vec<u32>>,
    columnar: Columnar,
    calendar: Calendar,
    year_start: Option<NaiveDate>,
    /// The language of the message being rendered, if one is: text joined with `+` there
    /// shows its other operand as `{…}` would in that language (`12か月`, not `12 months`).
    message_lang: Cell<Option<Lang>>,
    /// Elements of aggregates whose condition was unknown, noted while a subject is
    /// evaluated (see [`UnknownElement`]).
    unknown: RefCell<Vec<UnknownElement>>,
    /// The lets of the subject being evaluated whose value read unknown elements, by slot:
    /// reading such a let notes them again, so a verdict that never reads an undecided let
    /// (`present(x.d) and …`, false at once) stays decided.
    slot_unknown: RefCell<Vec<(usize, Vec<UnknownElement>)>>,
    /// Whether `slot_unknown` has entries (slot reads check it first).
    slots_unknown: Cell<bool>,
}

/// An element of an aggregate whose condition (`where …`) was unknown: a field it reads is
/// not recorded.
#[derive(Clone)]
pub(crate) struct UnknownElement {
    /// What it lacks, `entity id: field` for each field the condition reads that the
    /// element does not record.
    pub(crate) missing: Vec<String>,
    /// Whether the element could change the aggregate's value, which is then undecided
    /// (`count`, `list`, a `max`/`min` the element could raise/lower); a quantifier's
    /// unknown flows as an unknown value instead, and the element is only named.
    pub(crate) undecided: bool,
    /// Every value the aggregate could have, whichever of the unknown elements belong
    /// (`count`: from the known count to it plus the unknown ones; `max`: the known max or
    /// an unknown element's value above it; `list`: the known members with each subset of
    /// the unknown ones); `None` when there are too many.
    pub(crate) candidates: Option<Arc<Vec<Value>>>,
    /// The let whose reading noted the element again, if one did.
    pub(crate) from_let: Option<usize>,
}

/// The most values an undecided aggregate is tried with (and combinations of several).
const MAX_CANDIDATES: usize = 64;

/// The index look-ups of a record set ([`columns::Index`], by entity and field), built on
/// first use and kept with the set: the records do not change once loaded, so a set
/// checked again (at another date, with other rules, in a loop) groups its rows once, and
/// the workers of one evaluation share them. A clone of the set starts empty.
#[derive(Default)]
pub(crate) struct IndexCache {
    built: std::sync::Mutex<HashMap<(u16, u16), Arc<IndexCell>>>,
    /// The distinct texts of text columns numbered ([`columns::Numbering`]), by entity and
    /// field; `None` for a column whose texts are too varied to number.
    numbered: std::sync::Mutex<HashMap<(u16, u16), Arc<NumberingCell>>>,
}

/// One index of an [`IndexCache`], filled by the first evaluation that needs it.
type IndexCell = std::sync::OnceLock<Arc<columns::Index>>;

/// One numbering of an [`IndexCache`], filled by the first evaluation that needs it.
type NumberingCell = std::sync::OnceLock<Option<Arc<columns::Numbering>>>;

impl IndexCache {
    /// The index of `entity` by `field`, built by `build` if no evaluation has built it.
    fn get(
        &self,
        entity: u16,
        field: u16,
        build: impl FnOnce() -> columns::Index,
    ) -> Arc<columns::Index> {
        // The cell is taken under the lock and filled outside it: two workers asking for
        // the same index build it once, and other indexes are not held up.
        let cell = match self.built.lock() {
            Ok(mut map) => map.entry((entity, field)).or_default().clone(),
            Err(_) => return Arc::new(build()),
        };
        cell.get_or_init(|| Arc::new(build())).clone()
    }

    /// The numbering of the texts of `entity`'s field `field`, made by `build` if no
    /// evaluation has made it.
    pub(crate) fn numbering(
        &self,
        entity: u16,
        field: u16,
        build: impl FnOnce() -> Option<columns::Numbering>,
    ) -> Option<Arc<columns::Numbering>> {
        let cell = match self.numbered.lock() {
            Ok(mut map) => map.entry((entity, field)).or_default().clone(),
            Err(_) => return build().map(Arc::new),
        };
        cell.get_or_init(|| build().map(Arc::new)).clone()
    }
}

impl Clone for IndexCache {
    fn clone(&self) -> Self {
        IndexCache::default()
    }
}

impl std::fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexCache")
    }
}

/// Evaluates a program over a record set.
///
/// # Errors
/// Diagnostics for bad options: unknown edition, unknown parameter, bad parameter value.
pub fn evaluate(
    program: &Program,
    set: &RecordSet,
    opts: &Options,
) -> Result<Report, Vec<Diagnostic>> {
    evaluate_observed(program, set, opts, None)
}

/// [`evaluate`], telling `progress` of every rule evaluated ([`crate::input::Event::Rules`]).
/// The report is the same with or without it.
///
/// # Errors
/// As [`evaluate`].
pub fn evaluate_observed(
    program: &Program,
    set: &RecordSet,
    opts: &Options,
    progress: Option<&crate::input::Progress>,
) -> Result<Report, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    // The rules read extension fields by their place after the built-in ones: records loaded
    // with other extension fields of the same entity would be read wrongly.
    for (entity, shape) in program.extensions.entities() {
        let loaded = set.extensions().shape(entity);
        let base = STRUCTS.get(usize::from(entity));
        let same = loaded
            .is_some_and(|l| std::ptr::eq(l, shape) || base.is_some_and(|b| std::ptr::eq(l, b)));
        if !same {
            return Err(vec![Diagnostic::error(
                codes::EXTENSIONS,
                format!(
                    "the records were loaded with other extension fields of `{}` than the rules declare",
                    shape.name
                ),
            )
            .ja(format!("記録は{}の拡張項目をルールの宣言と違う形で読み込んでいる", crate::labels::struct_named(shape.name)))
            .help("load the records with the program's extensions (`load_path_with(path, &program.extensions)`), or check them with the rules that loaded them")
            .help_ja("プログラムの拡張項目で記録を読み込む（`load_path_with(path, &program.extensions)`）か、読み込んだときのルールで点検する")]);
        }
    }
    let Some((_, edition_key, shishin_key)) = EDITIONS.iter().find(|(n, _, _)| *n == opts.edition)
    else {
        let names: Vec<&str> = EDITIONS.iter().map(|e| e.0).collect();
        let help = crate::schema::suggest(&opts.edition, names.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("editions: {}", names.join(", ")));
        return Err(vec![Diagnostic::error(
            codes::OPTION,
            format!("unknown edition `{}`", opts.edition),
        )
        .ja(format!("未知の版 `{}`", opts.edition))
        .help_ja(
            crate::diagnostic::did_you_mean_ja(&help)
                .unwrap_or_else(|| format!("版: {}", names.join(", "))),
        )
        .help(help)]);
    };
    let mut params: Vec<Value> = program
        .params
        .iter()
        .map(|p| p.value_on(opts.as_of).clone())
        .collect();
    for (name, text) in &opts.params {
        match program.params.iter().position(|p| &p.name == name) {
            Some(i) => match program
                .params
                .get(i)
                .map(|p| parse_param_value(&p.ty, text))
            {
                Some(Ok(v)) => {
                    if let Some(slot) = params.get_mut(i) {
                        *slot = v;
                    }
                }
                Some(Err(e)) => diags.push(
                    Diagnostic::error(
                        codes::PARAM,
                        format!("bad value for parameter `{name}`: {e}"),
                    )
                    .ja(format!("パラメータ `{name}` の値が正しくない: {e}"))
                    .help(
                        "give the value in the parameter's unit, e.g. `training_interval=6 months`",
                    )
                    .help_ja("パラメータの単位で値を書く（例: `training_interval=6 months`）"),
                ),
                None => {}
            },
            None => {
                let help =
                    crate::schema::suggest(name, program.params.iter().map(|p| p.name.as_str()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "`pms rules list` shows the parameters".into());
                diags.push(
                    Diagnostic::error(codes::PARAM, format!("unknown parameter `{name}`"))
                        .ja(format!("未知のパラメータ `{name}`"))
                        .help_ja(
                            crate::diagnostic::did_you_mean_ja(&help).unwrap_or_else(|| {
                                "パラメータは `pms rules list` で確かめられる".into()
                            }),
                        )
                        .help(help),
                );
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let org = set
        .count_by_name("organization")
        .filter(|n| *n > 0)
        .map(|_| {
            let e = crate::check::struct_index("organization").unwrap_or(0);
            Value::Rec(crate::value::RecRef { entity: e, row: 0 })
        });
    let org = org.unwrap_or(Value::Null);
    let setting = Setting {
        calendar: calendar_of(set, &org),
        year_start: year_start(set, &org, opts.as_of),
        params,
        org,
    };
    let rules: Vec<&Rule> = program
        .rules
        .iter()
        .filter(|r| r.in_pack(&opts.edition) && (opts.only.is_empty() || opts.only.contains(&r.id)))
        .collect();
    if let Some(unknown) = opts.only.iter().find(|id| program.rule(id).is_none()) {
        let help = crate::schema::suggest(unknown, program.rules.iter().map(|r| r.id.as_str()))
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| "`pms rules list` shows the rules".into());
        return Err(vec![Diagnostic::error(
            codes::OPTION,
            format!("unknown rule `{unknown}`"),
        )
        .ja(format!("未知のルール `{unknown}`"))
        .help_ja(
            crate::diagnostic::did_you_mean_ja(&help)
                .unwrap_or_else(|| "ルールは `pms rules list` で確かめられる".into()),
        )
        .help(help)]);
    }
    // Rules are independent: each worker evaluates whole rules with caches of its own.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = crate::workers::map(
        &rules,
        worker_count(opts.threads, set.len()),
        || Ctx::new(set, program, opts, &setting),
        |ctx, _, rule| {
            let mut outcome = eval_rule(ctx, program, rule, opts);
            report::finish_rule(rule, &mut outcome, edition_key, shishin_key);
            if let Some(p) = progress {
                let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                p.emit(&crate::input::Event::Rules {
                    done,
                    total: rules.len(),
                });
            }
            outcome
        },
    );
    Ok(report::assemble(
        &rules,
        set,
        opts,
        edition_key,
        setting.year_start,
        outcomes,
    ))
}

/// Populations smaller than this are evaluated subject by subject: setting up columns
/// would cost more than it saves.
const MIN_ROWS_FOR_COLUMNS: usize = 64;

/// Record sets smaller than this are evaluated on one thread: starting threads would cost
/// more than they save.
const MIN_RECORDS_FOR_THREADS: usize = 20_000;

/// How many threads evaluate rules: `asked` when given, else one per core for large record
/// sets (never more than there are rules, and one in WebAssembly: see [`crate::workers`]).
fn worker_count(asked: usize, records: usize) -> usize {
    if asked > 0 {
        asked
    } else if records < MIN_RECORDS_FOR_THREADS {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    }
}

/// What evaluating one rule produced.
pub(crate) struct RuleOutcome {
    pub(crate) findings: Vec<Finding>,
    pub(crate) checked: usize,
    /// Passed subjects not kept as findings.
    pub(crate) passed_quietly: usize,
    pub(crate) status: Status,
    pub(crate) note: Option<String>,
}

/// A part of a rule evaluated per subject.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    /// The `let` with this index.
    Let(usize),
    /// `require`.
    Require,
    /// `due`.
    Due,
    /// `grace`.
    Grace,
}

fn org_field(set: &RecordSet, org: &Value, name: &str) -> Option<Value> {
    let Value::Rec(org) = org else {
        return None;
    };
    let s = crate::schema::find_entity("organization")?;
    Some(set.field(*org, s.field_index(name)?))
}

fn calendar_of(set: &RecordSet, org: &Value) -> Calendar {
    let mut cal = Calendar::jp();
    if let Some(Value::Obj(o)) = org_field(set, org, "business_calendar") {
        let get = |i: usize| o.fields.get(i).cloned().unwrap_or(Value::Null);
        cal.jp =
            matches!(get(0), Value::Str(ref s) if &**s == "jp") || matches!(get(0), Value::Null);
        for (i, set) in [(1, &mut cal.extra_closed), (2, &mut cal.extra_open)] {
            if let Value::List(l) = get(i) {
                set.extend(l.iter().filter_map(Value::as_date));
            }
        }
    }
    cal
}

fn year_start(set: &RecordSet, org: &Value, as_of: NaiveDate) -> Option<NaiveDate> {
    let mmdd = org_field(set, org, "pms_year_start");
    let mmdd = mmdd.as_ref().and_then(Value::as_str).unwrap_or("04-01");
    let (m, d) = mmdd.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    let this = NaiveDate::from_ymd_opt(as_of.year(), m, d)?;
    if this <= as_of {
        Some(this)
    } else {
        NaiveDate::from_ymd_opt(as_of.year() - 1, m, d)
    }
}

/// How bad a status is, for a rule's overall status: a gap, then insufficient data, then at
/// risk, then passed.
fn rank(s: Status) -> u8 {
    match s {
        Status::Gap => 4,
        Status::InsufficientData => 3,
        Status::AtRisk => 2,
        Status::Passed => 1,
        Status::NotApplicable => 0,
    }
}

/// Evaluates a rule with its `also for …` sections: their subjects are the rule's subjects.
fn eval_rule(ctx: &Ctx<'_>, program: &Program, rule: &Rule, opts: &Options) -> RuleOutcome {
    crate::ffi::test_panic_hook(ctx.set);
    let mut out = eval_body(ctx, program, rule, opts);
    for section in &rule.also {
        let more = eval_body(ctx, program, section, opts);
        if rank(more.status) > rank(out.status) {
            out.status = more.status;
        }
        // "No record is subject" holds only when no section had a subject.
        let note = out.note.take().or(more.note);
        out.note = if out.checked + more.checked == 0 {
            note
        } else {
            note.filter(|n| n.starts_with("missing entities"))
        };
        out.checked += more.checked;
        out.passed_quietly += more.passed_quietly;
        // One rule-level finding per rule (records of a section's entity missing too).
        for f in more.findings {
            if !out.findings.iter().any(|g| g.id == f.id) {
                out.findings.push(f);
            }
        }
    }
    out
}

fn eval_body(ctx: &Ctx<'_>, program: &Program, rule: &Rule, opts: &Options) -> RuleOutcome {
    let missing: Vec<&str> = rule
        .entities
        .iter()
        .copied()
        .filter(|e| ctx.set.count_by_name(e).is_none())
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        let list_ja = missing
            .iter()
            .map(|e| crate::schema::find_entity(e).map_or(*e, |s| s.name_ja))
            .collect::<Vec<_>>()
            .join("、");
        return RuleOutcome {
            findings: vec![report::rule_level(
                rule,
                Status::InsufficientData,
                format!("記録がないため判定できません: {list_ja}"),
                format!("cannot be assessed: no `{list}` records were given"),
            )],
            checked: 0,
            passed_quietly: 0,
            status: Status::InsufficientData,
            note: Some(format!("missing entities: {list}")),
        };
    }
    let mut env = vec![Value::Null; rule.slots.max(1)];
    if let Some(a) = &rule.applies {
        if !matches!(ctx.ev(a, &mut env), Value::Bool(true)) {
            return RuleOutcome {
                findings: Vec::new(),
                checked: 0,
                passed_quietly: 0,
                status: Status::NotApplicable,
                note: Some("the rule does not apply to this company".into()),
            };
        }
    }
    let rows = ctx.set.count(rule.pop_entity).unwrap_or(0);
    let mut findings = Vec::new();
    let mut checked = 0;
    let mut passed_quietly = 0;
    let mut shared_missing = MissingTexts::default();
    // When the population filter reads only the subject, the subjects are known at once,
    // and what reads only the subject (and earlier such values) is evaluated for all of them
    // column by column.
    let all = || (0..u32::try_from(rows).unwrap_or(u32::MAX)).collect::<Vec<u32>>();
    let columnar = rule.inner.is_none()
        && match ctx.columnar {
            Columnar::Auto => rows >= MIN_ROWS_FOR_COLUMNS,
            Columnar::Always => true,
            Columnar::Never => false,
        };
    // Records whose filter is unknown (a field it reads is not recorded) are not dropped:
    // each is reported as insufficient data, naming what is missing.
    let mut unknown_rows = Vec::new();
    let subjects = match &rule.pop_filter {
        Some(f) if columnar && rule.pop_filter_columnar => {
            ctx.filter_rows(rule, f).map(|(rows, unknown)| {
                unknown_rows = unknown;
                rows
            })
        }
        None if columnar => Some(all()),
        _ => None,
    };
    let filtered = subjects.is_some();
    let verdict = verdict_lets(rule);
    let columns = subjects.map(|sel| ctx.subject_columns(rule, sel, &verdict));
    let every_row;
    let visit: &[u32] = match &columns {
        Some(c) => c.rows(),
        None => {
            every_row = all();
            &every_row
        }
    };
    let horizon_end = opts.horizon.add_to(ctx.as_of).unwrap_or(ctx.as_of);
    let window_end = opts.warn_window.add_to(ctx.as_of).unwrap_or(ctx.as_of);
    // A fix that names no value is one text shared by every finding of the rule.
    let constant = |pieces: &[CPiece]| -> Option<String> {
        pieces
            .iter()
            .map(|p| match p {
                CPiece::Text(t) => Some(t.as_str()),
                CPiece::Expr(_) => None,
            })
            .collect()
    };
    let shared_fix = match &rule.fix {
        [ja, en] => constant(ja)
            .zip(constant(en))
            .map(|(ja, en)| std::sync::Arc::new(crate::program::Texts { ja, en })),
    };
    // The parameters a rule reads are shown with each of its findings.
    let param_values: Vec<(String, serde_json::Value)> = rule
        .params
        .iter()
        .filter_map(|p| {
            let i = program.params.iter().position(|q| &q.name == p)?;
            Some((p.clone(), to_json(ctx.set, ctx.params.get(i)?)))
        })
        .collect();
    // The subjects: the records, or with `for m in E, a in m.list` each object of the list
    // of each record (the record stays bound to `m`). Records are taken from `visit` as
    // they come; only the objects of lists are gathered first.
    let mut items: Vec<Subj> = Vec::new();
    if let Some((_, list)) = &rule.inner {
        for row in visit {
            let parent = crate::value::RecRef {
                entity: rule.pop_entity,
                row: *row,
            };
            env.iter_mut().for_each(|v| *v = Value::Null);
            if let Some(slot) = env.get_mut(rule.pop_slot) {
                *slot = Value::Rec(parent);
            }
            if let Value::List(values) = ctx.ev(list, &mut env) {
                for (index, value) in values.iter().enumerate() {
                    items.push(Subj::Item {
                        parent,
                        index,
                        value: value.clone(),
                    });
                }
            }
        }
    }
    let count = if rule.inner.is_some() {
        items.len()
    } else {
        visit.len()
    };
    // When the verdict is all columns (`require`, `due` and `grace` each absent or with a
    // column form, no `warn from`), a subject is decided from them alone, and one that
    // passes quietly costs nothing more: no environment, no lets. The parts' columns read
    // only columns (their lets included), so nothing noted an unknown element there, and
    // the status is the one the full path below gives.
    let quick = columns.as_ref().filter(|cs| {
        rule.warn.is_none()
            && !opts.include_passed
            && [
                (rule.require.is_some(), Part::Require),
                (rule.due.is_some(), Part::Due),
                (rule.grace.is_some(), Part::Grace),
            ]
            .into_iter()
            .all(|(given, p)| !given || cs.has(p))
    });
    for i in 0..count {
        if let Some(cs) = quick {
            let part = |p: Part, given: bool| given.then(|| cs.value(p, i)).flatten();
            let require = part(Part::Require, rule.require.is_some());
            let due = part(Part::Due, rule.due.is_some())
                .map(|v| v.as_date())
                .filter(|d| d.is_some() || !rule.due_if_any);
            let grace = part(Part::Grace, rule.grace.is_some()).and_then(|v| v.as_date());
            let (status, deadline) = decide(
                require.as_ref(),
                due,
                grace,
                ctx.as_of,
                Warn {
                    window_end,
                    from: None,
                },
            );
            if status == Status::Passed
                && !deadline.is_some_and(|d| d >= ctx.as_of && d <= horizon_end)
            {
                passed_quietly += 1;
                checked += 1;
                continue;
            }
        }
        let record;
        let subj: &Subj = match items.get(i) {
            Some(s) => s,
            None => {
                let Some(row) = visit.get(i) else { break };
                record = Subj::Rec(crate::value::RecRef {
                    entity: rule.pop_entity,
                    row: *row,
                });
                &record
            }
        };
        env.iter_mut().for_each(|v| *v = Value::Null);
        ctx.clear_unknown();
        ctx.clear_lets();
        if let Some(slot) = env.get_mut(rule.pop_slot) {
            *slot = Value::Rec(subj.parent());
        }
        if let (Some((slot, _)), Subj::Item { value, .. }) = (&rule.inner, subj) {
            if let Some(s) = env.get_mut(*slot) {
                *s = value.clone();
            }
        }
        if let (Some(f), false) = (&rule.pop_filter, filtered) {
            let v = ctx.ev(f, &mut env);
            let (undecided, elements) = ctx.take_unknown();
            match v {
                Value::Bool(true) if !undecided => {}
                _ if undecided || matches!(v, Value::Null) => {
                    checked += 1;
                    findings.push(undetermined(
                        ctx,
                        rule,
                        subj,
                        &rule.filter_reads,
                        elements,
                        &mut shared_missing,
                    ));
                    continue;
                }
                _ => continue,
            }
        }
        checked += 1;
        let cols = columns.as_ref();
        for (k, (_, slot, c)) in rule.lets.iter().enumerate() {
            if !verdict.get(k).copied().unwrap_or(true) {
                continue;
            }
            let v = match cols.and_then(|cs| cs.value(Part::Let(k), i)) {
                Some(v) => v,
                None => {
                    ctx.clear_unknown();
                    let v = ctx.ev(c, &mut env);
                    ctx.note_let(*slot, matches!(c, C::Agg { .. }));
                    v
                }
            };
            if let Some(s) = env.get_mut(*slot) {
                *s = v;
            }
        }
        ctx.clear_unknown();
        let part = |p: Part, c: &Option<C>, env: &mut Vec<Value>| {
            let c = c.as_ref()?;
            cols.and_then(|cs| cs.value(p, i))
                .or_else(|| Some(ctx.ev(c, env)))
        };
        let require = part(Part::Require, &rule.require, &mut env);
        let due = part(Part::Due, &rule.due, &mut env)
            .map(|v| v.as_date())
            // `due … if any`: nothing to meet when there is no date.
            .filter(|d| d.is_some() || !rule.due_if_any);
        let grace = part(Part::Grace, &rule.grace, &mut env).and_then(|v| v.as_date());
        let warn_from = rule
            .warn
            .as_ref()
            .and_then(|c| ctx.ev(c, &mut env).as_date());
        let (status, deadline) = decide(
            require.as_ref(),
            due,
            grace,
            ctx.as_of,
            Warn {
                window_end,
                from: rule.warn.as_ref().map(|_| warn_from),
            },
        );
        // An aggregate the verdict read was undecided (an element whose condition is
        // unknown could change it): the subject cannot be decided.
        // Unless the verdict is the same whichever values those lets could take.
        let (undecided, elements, lets) = ctx.take_unknown_lets();
        let anyway = match (undecided, lets) {
            (true, Some(slots)) => ctx.decided_anyway(rule, &verdict, &mut env, &slots, window_end),
            _ => None,
        };
        let undecided = undecided && anyway.is_none();
        let (status, deadline) = match anyway {
            Some(decided) => decided,
            None if undecided => (Status::InsufficientData, None),
            None => (status, deadline),
        };
        // A passed subject is only kept when asked for, or for the upcoming-deadline list.
        if status == Status::Passed
            && !opts.include_passed
            && !deadline.is_some_and(|d| d >= ctx.as_of && d <= horizon_end)
        {
            passed_quietly += 1;
            continue;
        }
        // The lets only a finding reads, in order (each reads only the subject and earlier lets).
        for (k, (_, slot, c)) in rule.lets.iter().enumerate() {
            if verdict.get(k).copied().unwrap_or(true) {
                continue;
            }
            let v = ctx.ev(c, &mut env);
            if let Some(s) = env.get_mut(*slot) {
                *s = v;
            }
        }
        let mut records = Vec::new();
        if let Subj::Item { parent, .. } = subj {
            // The record that holds the object.
            records.push(*parent);
        }
        for c in &rule.related {
            let v = ctx.ev(c, &mut env);
            collect_records(&v, &mut records);
        }
        let mut related: Vec<(RecordRef, RecRef)> = records
            .into_iter()
            .filter_map(|r| Some((record_ref(ctx.set, r)?, r)))
            .collect();
        related.sort_by(|a, b| a.0.cmp(&b.0));
        related.dedup_by(|a, b| a.0 == b.0);
        let subject = subj.subject(ctx.set);
        let department = report::department(
            ctx.set,
            Some(&subject),
            subj.record().into_iter().chain(related.iter().map(|r| r.1)),
        );
        let related: Vec<RecordRef> = related.into_iter().map(|r| r.0).collect();
        let render = |pieces: &[CPiece], lang: Lang, env: &mut Vec<Value>| -> String {
            let mut s = String::with_capacity(160);
            for p in pieces {
                match p {
                    CPiece::Text(t) => s.push_str(t),
                    CPiece::Expr(c) => {
                        ctx.message_lang.set(Some(lang));
                        let v = ctx.ev(c, env);
                        ctx.message_lang.set(None);
                        write_display(&mut s, ctx.set, &v, lang);
                    }
                }
            }
            s
        };
        let wants_text = status != Status::Passed || opts.include_passed;
        let missing = if status == Status::InsufficientData {
            let mut m = unrecorded(ctx, subj, &rule.reads);
            m.extend(elements);
            m
        } else {
            Vec::new()
        };
        let (message, fix) = if status == Status::InsufficientData {
            undetermined_texts(rule, &subject, &missing, &mut shared_missing)
        } else if wants_text {
            let [mj, me] = &rule.message;
            let [fj, fe] = &rule.fix;
            let fix = match &shared_fix {
                Some(shared) => shared.clone(),
                None => std::sync::Arc::new(crate::program::Texts {
                    ja: render(fj, Lang::Ja, &mut env),
                    en: render(fe, Lang::En, &mut env),
                }),
            };
            (
                crate::program::Texts {
                    ja: render(mj, Lang::Ja, &mut env),
                    en: render(me, Lang::En, &mut env),
                },
                fix,
            )
        } else {
            Default::default()
        };
        let mut json_values = serde_json::Map::new();
        for (name, slot, _) in &rule.lets {
            let v = env.get(*slot).unwrap_or(&Value::Null);
            json_values.insert(name.clone(), to_json(ctx.set, v));
        }
        for (p, v) in &param_values {
            json_values.insert(p.clone(), v.clone());
        }
        if undecided {
            json_values.insert(
                "_undetermined".into(),
                serde_json::Value::String(
                    "a record whose condition is unknown could change a count, list, max or min the rule reads".into(),
                ),
            );
        }
        if let (Some(Value::Null), Status::InsufficientData) = (&require, status) {
            json_values.insert(
                "_undetermined".into(),
                serde_json::Value::String("a value the condition needs is not recorded".into()),
            );
        }
        let due_date = deadline;
        let message = match (status, due_date) {
            (Status::AtRisk, Some(d)) => {
                // A failed condition still within its grace says what is missing; a met
                // obligation that falls due soon says when, not that it is late.
                let pending = matches!(require, Some(Value::Bool(false)));
                at_risk_texts(rule, &subject, d, ctx.as_of, pending.then_some(&message))
            }
            _ => message,
        };
        let completed_on = rule
            .done
            .as_ref()
            .and_then(|c| ctx.ev(c, &mut env).as_date());
        let until = completed_on.unwrap_or(ctx.as_of);
        let days_overdue = due_date.and_then(|d| {
            let n = (until - d).num_days();
            (n > 0 && status == Status::Gap).then_some(n)
        });
        findings.push(Finding {
            related,
            department,
            values: json_values,
            due: due_date,
            days_overdue,
            completed_on,
            missing,
            ..report::finding_of(rule, status, Some(subject), message, fix)
        });
    }
    // Every such record is a finding: room for them at once (not grown by doubling, which
    // copies the findings already made and touches memory twice).
    findings.reserve_exact(unknown_rows.len());
    for row in unknown_rows {
        let rref = crate::value::RecRef {
            entity: rule.pop_entity,
            row,
        };
        checked += 1;
        findings.push(undetermined(
            ctx,
            rule,
            &Subj::Rec(rref),
            &rule.filter_reads,
            Vec::new(),
            &mut shared_missing,
        ));
    }
    // The rule's status is its worst finding's (passed when it checked subjects).
    let status = if checked == 0 {
        Status::NotApplicable
    } else {
        findings
            .iter()
            .map(|f| f.status)
            .fold(Status::Passed, |a, b| if rank(b) > rank(a) { b } else { a })
    };
    RuleOutcome {
        findings,
        checked,
        passed_quietly,
        status,
        note: (checked == 0).then(|| "no record is subject to this rule".to_string()),
    }
}

/// Which of a rule's lets its verdict reads: those `require`, `due`, `grace` and `warn` read,
/// and the lets those read. The others serve only a finding's texts and values, so they are
/// evaluated for the subjects reported, not for every subject (a subject that passes quietly
/// costs only its verdict). All are marked when two lets share a slot.
fn verdict_lets(rule: &Rule) -> Vec<bool> {
    let all = vec![true; rule.lets.len()];
    let mut slots: Vec<usize> = rule.lets.iter().map(|(_, s, _)| *s).collect();
    slots.sort_unstable();
    slots.dedup();
    if slots.len() != rule.lets.len() {
        return all;
    }
    let mut read = Vec::new();
    for c in [&rule.require, &rule.due, &rule.grace, &rule.warn]
        .into_iter()
        .flatten()
    {
        columns::slots_read(c, &mut read);
    }
    let mut verdict = vec![false; rule.lets.len()];
    for (k, (_, slot, c)) in rule.lets.iter().enumerate().rev() {
        if read.contains(slot) {
            if let Some(v) = verdict.get_mut(k) {
                *v = true;
            }
            columns::slots_read(c, &mut read);
        }
    }
    verdict
}

/// The subject of a finding: a record, or an object of a list a record holds (a site of
/// the organisation, an item of a plan, an action item of a review …).
#[derive(Debug, Clone)]
enum Subj {
    /// A record.
    Rec(RecRef),
    /// The object at `index` of a list of record `parent`.
    Item {
        parent: RecRef,
        index: usize,
        value: Value,
    },
}

impl Subj {
    /// The record that is, or holds, the subject.
    fn parent(&self) -> RecRef {
        match self {
            Subj::Rec(r) | Subj::Item { parent: r, .. } => *r,
        }
    }

    /// The record the subject is, if it is one (a record, or a list's reference to one).
    fn record(&self) -> Option<RecRef> {
        match self {
            Subj::Rec(r)
            | Subj::Item {
                value: Value::Rec(r),
                ..
            } => Some(*r),
            Subj::Item { .. } => None,
        }
    }

    /// The struct describing the subject's fields (an entity's extension fields included).
    fn shape(&self, set: &RecordSet) -> Option<&'static crate::schema::Struct> {
        match self {
            Subj::Rec(r) => set.extensions().shape(r.entity),
            Subj::Item {
                value: Value::Obj(o),
                ..
            } => crate::schema::struct_at(o.shape),
            Subj::Item {
                value: Value::Rec(r),
                ..
            } => set.extensions().shape(r.entity),
            Subj::Item { .. } => None,
        }
    }

    /// The value of a field of the subject by slot.
    fn field(&self, set: &RecordSet, slot: u16) -> Value {
        match self {
            Subj::Rec(r)
            | Subj::Item {
                value: Value::Rec(r),
                ..
            } => set.field(*r, usize::from(slot)),
            Subj::Item {
                value: Value::Obj(o),
                ..
            } => o
                .fields
                .get(usize::from(slot))
                .cloned()
                .unwrap_or(Value::Null),
            Subj::Item { .. } => Value::Null,
        }
    }

    /// The subject as shown in a finding. An object is named by its `id`, or by its
    /// record's id and its place in the list (`MR-2025#2`).
    fn subject(&self, set: &RecordSet) -> Subject {
        match self {
            Subj::Rec(r)
            | Subj::Item {
                value: Value::Rec(r),
                ..
            } => subject_of(set, *r),
            Subj::Item { parent, index, .. } => {
                let shape = self.shape(set);
                let text = |name: &str| {
                    shape
                        .and_then(|s| s.field_index(name))
                        .and_then(|i| u16::try_from(i).ok())
                        .map(|i| self.field(set, i))
                        .filter(|v| !v.is_absent())
                };
                let id = match text("id") {
                    Some(v) => display(set, &v, Lang::Ja),
                    None => format!(
                        "{}#{}",
                        set.id(*parent).map(ToString::to_string).unwrap_or_default(),
                        index + 1
                    ),
                };
                // An object is shown by its name or title (a department's name, an item's
                // title), else by its struct's display field.
                let shown = ["name", "title"]
                    .into_iter()
                    .chain(shape.map(|s| s.display))
                    .find_map(text)
                    .map(|v| display(set, &v, Lang::Ja))
                    .unwrap_or_default();
                Subject {
                    entity: shape.map_or("?", |s| s.name).to_string(),
                    id,
                    display: shown,
                }
            }
        }
    }
}

/// The names of the subject's fields among `reads` that are not recorded: `f`, or `f.g`
/// when `f` names a record whose `g` is not recorded (or a nested object without `g`).
fn unrecorded(ctx: &Ctx<'_>, subj: &Subj, reads: &[crate::check::SubjectRead]) -> Vec<String> {
    let shape = subj.shape(ctx.set);
    let own = |f: u16| {
        shape
            .and_then(|s| s.fields.get(usize::from(f)))
            .map_or("?", |x| x.name)
    };
    let name = |st: u16, f: u16| {
        ctx.set
            .extensions()
            .shape(st)
            .and_then(|s| s.fields.get(usize::from(f)))
            .map_or("?", |x| x.name)
    };
    let mut out = Vec::new();
    let record = subj.record();
    for r in reads {
        // A text field of a record is looked at where it is stored.
        if let (None, None, Some(rec)) = (r.sub, r.deref, record) {
            if let Some(text) = ctx.set.text_cell(rec, usize::from(r.field)) {
                if text.is_none_or(|s| s.trim().is_empty()) {
                    out.push(own(r.field).to_string());
                }
                continue;
            }
        }
        let base = subj.field(ctx.set, r.field);
        if let Some(g) = r.sub {
            // `x.f.g`: a field of the nested object `f` (an absent `f` is named on its own).
            if let Value::Obj(o) = &base {
                let absent = o.fields.get(usize::from(g)).is_none_or(Value::is_absent);
                let sub = crate::schema::struct_at(o.shape)
                    .and_then(|s| s.fields.get(usize::from(g)))
                    .map_or("?", |x| x.name);
                if absent {
                    out.push(format!("{}.{sub}", own(r.field)));
                }
            }
            continue;
        }
        match r.deref {
            None if base.is_absent() => out.push(own(r.field).to_string()),
            None => {}
            // An absent reference is named by its own read.
            Some(_) if base.is_absent() => {}
            Some((st, g)) => {
                let c = C::Deref(Box::new(C::Const(base.clone())), st, g);
                let mut env = Vec::new();
                if ctx.ev(&c, &mut env).is_absent() {
                    out.push(format!("{}.{}", own(r.field), name(st, g)));
                }
            }
        }
    }
    out
}

/// How a subject is named in a generic message: `「display」(id)` (`"display" (id)` in
/// English), or the id alone.
fn subject_label(subject: &Subject) -> (String, String) {
    if subject.display.is_empty() || subject.display == subject.id {
        (subject.id.clone(), subject.id.clone())
    } else {
        (
            format!("「{}」({})", subject.display, subject.id),
            format!("\"{}\" ({})", subject.display, subject.id),
        )
    }
}

/// The parts of insufficient-data texts that depend only on what is missing, shared by the
/// findings of one rule section: subjects that lack the same fields (every incident without
/// the fields that decide whether it is reportable) take the same lists and the same fix.
#[derive(Default)]
struct MissingTexts {
    /// The last list of missing fields (and the subject's entity, which names them in
    /// Japanese), with its texts.
    last: Option<SharedMissing>,
}

/// What [`MissingTexts`] keeps: (the subject's entity, the missing fields), the lists in
/// Japanese and in English, and the fix.
type SharedMissing = (
    (String, Vec<String>),
    String,
    String,
    std::sync::Arc<crate::program::Texts>,
);

/// Writes how a subject is named in a generic message (see [`subject_label`]).
fn push_label(out: &mut String, subject: &Subject, ja: bool) {
    if subject.display.is_empty() || subject.display == subject.id {
        out.push_str(&subject.id);
    } else if ja {
        out.push('「');
        out.push_str(&subject.display);
        out.push_str("」(");
        out.push_str(&subject.id);
        out.push(')');
    } else {
        out.push('"');
        out.push_str(&subject.display);
        out.push_str("\" (");
        out.push_str(&subject.id);
        out.push(')');
    }
}

/// The message and fix of a subject the rule cannot decide because data it needs is not
/// recorded.
fn undetermined_texts(
    rule: &Rule,
    subject: &Subject,
    missing: &[String],
    shared: &mut MissingTexts,
) -> (crate::program::Texts, std::sync::Arc<crate::program::Texts>) {
    static RECORD_VALUES: std::sync::LazyLock<std::sync::Arc<crate::program::Texts>> =
        std::sync::LazyLock::new(|| {
            std::sync::Arc::new(crate::program::Texts {
                ja: "判定に必要な記録を補ってください。".into(),
                en: "Record the values the rule needs.".into(),
            })
        });
    let label = subject.display.len() + subject.id.len() + 8;
    if missing.is_empty() {
        let mut ja = String::with_capacity(label + rule.title.ja.len() + 96);
        push_label(&mut ja, subject, true);
        ja.push_str(": 判定に必要な値が記録されていないため、「");
        ja.push_str(&rule.title.ja);
        ja.push_str("」を判定できません");
        let mut en = String::with_capacity(label + rule.title.en.len() + 64);
        push_label(&mut en, subject, false);
        en.push_str(": \"");
        en.push_str(&rule.title.en);
        en.push_str("\" cannot be assessed: a value it needs is not recorded");
        return (crate::program::Texts { ja, en }, RECORD_VALUES.clone());
    }
    let known = matches!(&shared.last, Some(((e, m), ..)) if *e == subject.entity && m.as_slice() == missing);
    if !known {
        let list = missing
            .iter()
            .map(|m| missing_ja(&subject.entity, m))
            .collect::<Vec<_>>()
            .join("、");
        let list_en = missing.join(", ");
        let fix = std::sync::Arc::new(crate::program::Texts {
            ja: format!("{list} を記録してください。"),
            en: format!("Record {list_en}."),
        });
        shared.last = Some((
            (subject.entity.clone(), missing.to_vec()),
            list,
            list_en,
            fix,
        ));
    }
    let (list, list_en, fix) = match &shared.last {
        Some((_, list, list_en, fix)) => (list.as_str(), list_en.as_str(), fix.clone()),
        None => ("", "", RECORD_VALUES.clone()),
    };
    let mut ja = String::with_capacity(label + rule.title.ja.len() + list.len() + 96);
    push_label(&mut ja, subject, true);
    ja.push_str(": 次の項目が記録されていないため、「");
    ja.push_str(&rule.title.ja);
    ja.push_str("」を判定できません: ");
    ja.push_str(list);
    let mut en = String::with_capacity(label + rule.title.en.len() + list_en.len() + 48);
    push_label(&mut en, subject, false);
    en.push_str(": \"");
    en.push_str(&rule.title.en);
    en.push_str("\" cannot be assessed: not recorded: ");
    en.push_str(list_en);
    (crate::program::Texts { ja, en }, fix)
}

/// A missing field in Japanese: a path from the subject's entity, or `entity id: path` for a
/// record an aggregate read (`研修受講記録TR-5の修了日`).
fn missing_ja(subject_entity: &str, m: &str) -> String {
    let element = m
        .split_once(": ")
        .and_then(|(head, path)| Some((head.split_once(' ')?, path)));
    match element {
        Some(((entity, id), path)) => {
            let name = crate::labels::struct_labels(entity).map_or(entity, |s| s.ja);
            format!("{name} {id} の{}", crate::labels::path_ja(entity, path))
        }
        None => crate::labels::path_ja(subject_entity, m),
    }
}

/// The message of a subject whose deadline is near but not passed: when it falls due, and
/// that it is not late yet; then what is still missing (`pending`, the rule's own message,
/// for a failed condition within its grace) or what it becomes once late (the rule's title).
fn at_risk_texts(
    rule: &Rule,
    subject: &Subject,
    due: NaiveDate,
    as_of: NaiveDate,
    pending: Option<&crate::program::Texts>,
) -> crate::program::Texts {
    let left = (due - as_of).num_days();
    let (when_ja, when_en) = if left == 0 {
        (format!("本日{due}が期限です"), format!("due today, {due}"))
    } else {
        (
            format!("期限{due}まであと{left}日です"),
            format!("due on {due}, {left} days left"),
        )
    };
    match pending {
        Some(m) => crate::program::Texts {
            ja: format!("{when_ja}（まだ遅れではありません）: {}", m.ja),
            en: format!("{when_en} (not late yet): {}", m.en),
        },
        None => {
            let (who, who_en) = subject_label(subject);
            crate::program::Texts {
                ja: format!(
                    "{who}: {when_ja}（まだ遅れではありません）。期限を過ぎると「{}」となります",
                    rule.title.ja
                ),
                en: format!(
                    "{who_en}: {when_en} (not late yet); after that: \"{}\"",
                    rule.title.en
                ),
            }
        }
    }
}

/// A subject the rule cannot assess because its population filter is unknown.
fn undetermined(
    ctx: &Ctx<'_>,
    rule: &Rule,
    subj: &Subj,
    reads: &[crate::check::SubjectRead],
    elements: Vec<String>,
    shared: &mut MissingTexts,
) -> Finding {
    let subject = subj.subject(ctx.set);
    let mut missing = unrecorded(ctx, subj, reads);
    missing.extend(elements);
    let (message, fix) = undetermined_texts(rule, &subject, &missing, shared);
    let department = report::department(ctx.set, Some(&subject), subj.record());
    let mut values = serde_json::Map::new();
    values.insert(
        "_undetermined".into(),
        serde_json::Value::String(
            "a value the rule's population filter needs is not recorded".into(),
        ),
    );
    Finding {
        values,
        missing,
        department,
        ..report::finding_of(rule, Status::InsufficientData, Some(subject), message, fix)
    }
}

/// When a subject with a deadline not yet passed is at risk.
#[derive(Debug, Clone, Copy)]
struct Warn {
    /// The last day of the default warning window (`as_of + warn_window`).
    window_end: NaiveDate,
    /// The rule's `warn from` day, when it has one (`Some(None)`: not computable).
    from: Option<Option<NaiveDate>>,
}

/// Decides a subject's status and deadline.
///
/// * `due` (periodic obligations): met while `as_of <= due`; absent means never met.
/// * `require` (conditions): must hold; while `as_of <= grace` a failed condition is pending.
/// * Both may be given; the subject is met only when both are. A pending or met subject
///   whose deadline falls within the warning window is at risk.
fn decide(
    require: Option<&Value>,
    due: Option<Option<NaiveDate>>,
    grace: Option<NaiveDate>,
    as_of: NaiveDate,
    warn: Warn,
) -> (Status, Option<NaiveDate>) {
    // At risk: a deadline not passed, within the warning window (the rule's `warn from`
    // day on, or the last days before it); a `warn from` that cannot be computed warns
    // from the window.
    let soon = |d: NaiveDate| {
        d >= as_of
            && match warn.from {
                Some(Some(from)) => as_of >= from,
                _ => d <= warn.window_end,
            }
    };
    let due_met = match due {
        None => true,
        Some(Some(d)) => as_of <= d,
        Some(None) => false,
    };
    let due_date = due.flatten();
    match require {
        Some(Value::Bool(false)) => match grace {
            Some(g) if as_of <= g && due_met => (
                if soon(g) {
                    Status::AtRisk
                } else {
                    Status::Passed
                },
                Some(g),
            ),
            Some(g) => (Status::Gap, Some(g)),
            None => (Status::Gap, due_date),
        },
        Some(Value::Bool(true)) | None => {
            if !due_met {
                (Status::Gap, due_date)
            } else {
                (
                    if due_date.is_some_and(soon) {
                        Status::AtRisk
                    } else {
                        Status::Passed
                    },
                    due_date,
                )
            }
        }
        Some(_) => (Status::InsufficientData, due_date),
    }
}

fn subject_of(set: &RecordSet, r: RecRef) -> Subject {
    let s = STRUCTS.get(usize::from(r.entity));
    let display = s
        .and_then(|s| s.field_index(s.display))
        .map(|i| display(set, &set.field(r, i), Lang::Ja))
        .unwrap_or_default();
    Subject {
        entity: s.map_or("?", |s| s.name).to_string(),
        id: set.id(r).map(ToString::to_string).unwrap_or_default(),
        display,
    }
}

/// The records a value names (a record, or the records of a list), in order.
fn collect_records(v: &Value, out: &mut Vec<RecRef>) {
    match v {
        Value::Rec(r) => out.push(*r),
        Value::List(l) => l.iter().for_each(|x| collect_records(x, out)),
        _ => {}
    }
}

/// A record as a finding names it: entity and id.
fn record_ref(set: &RecordSet, r: RecRef) -> Option<RecordRef> {
    Some(RecordRef {
        entity: STRUCTS
            .get(usize::from(r.entity))
            .map_or("?", |s| s.name)
            .to_string(),
        id: set.id(r)?.to_string(),
    })
}

/// Renders a value for a message in a language.
pub(crate) fn display(set: &RecordSet, v: &Value, lang: Lang) -> String {
    let mut out = String::new();
    write_display(&mut out, set, v, lang);
    out
}

/// Appends a value, rendered for a message in a language, to `out`.
fn write_display(out: &mut String, set: &RecordSet, v: &Value, lang: Lang) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = match v {
        Value::Null => {
            out.push_str(if lang == Lang::Ja { "なし" } else { "none" });
            Ok(())
        }
        Value::Rec(r) => {
            out.push_str(set.id(*r).map_or("", |s| s));
            Ok(())
        }
        Value::Str(s) => {
            out.push_str(s);
            Ok(())
        }
        // A date's own display is ISO 8601 for years 0–9999, without parsing a format.
        Value::Date(d) if (0..=9999).contains(&d.year()) => write!(out, "{d}"),
        Value::Dur(d) => match lang {
            Lang::En => write!(out, "{d}"),
            Lang::Ja => match (d.months, d.days) {
                (0, n) => write!(out, "{n}日"),
                (m, 0) if m % 12 == 0 => write!(out, "{}年", m / 12),
                (m, 0) => write!(out, "{m}か月"),
                (m, n) => write!(out, "{m}か月{n}日"),
            },
        },
        Value::Bool(b) => {
            out.push_str(match (lang, b) {
                (Lang::Ja, true) => "はい",
                (Lang::Ja, false) => "いいえ",
                (Lang::En, true) => "yes",
                (Lang::En, false) => "no",
            });
            Ok(())
        }
        Value::List(l) if l.is_empty() => {
            write_display(out, set, &Value::Null, lang);
            Ok(())
        }
        Value::List(l) => {
            let sep = if lang == Lang::Ja { "、" } else { ", " };
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                write_display(out, set, x, lang);
            }
            Ok(())
        }
        other => write!(out, "{other}"),
    };
}

/// Converts a value to JSON for reports (records become their ids).
pub(crate) fn to_json(set: &RecordSet, v: &Value) -> serde_json::Value {
    match v {
        Value::Rec(r) => {
            serde_json::Value::String(set.id(*r).map(ToString::to_string).unwrap_or_default())
        }
        Value::List(l) => serde_json::Value::Array(l.iter().map(|x| to_json(set, x)).collect()),
        other => serde_json::to_value(other).unwrap_or(serde_json::Value::Null),
    }
}

fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

fn values_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Int(_) | Value::Num(_), Value::Int(_) | Value::Num(_)) => {
            a.total_cmp(b) == Ordering::Equal
        }
        _ => {
            std::mem::discriminant(a) == std::mem::discriminant(b)
                && a.total_cmp(b) == Ordering::Equal
        }
    }
}

impl<'a> Ctx<'a> {
    /// A context with empty caches.
    fn new(set: &'a RecordSet, program: &Program, opts: &Options, setting: &Setting) -> Self {
        Ctx {
            set,
            as_of: opts.as_of,
            params: setting.params.clone(),
            org: setting.org.clone(),
            indexes: RefCell::default(),
            groups: (0..program.groups).map(|_| OnceCell::new()).collect(),
            numbering: RefCell::default(),
            columnar: opts.columnar,
            calendar: setting.calendar.clone(),
            year_start: setting.year_start,
            message_lang: Cell::new(None),
            unknown: RefCell::default(),
            slot_unknown: RefCell::default(),
            slots_unknown: Cell::new(false),
        }
    }

    /// Keeps the unknown elements noted since the last [`Ctx::clear_unknown`] with let
    /// `slot`, which was just evaluated.
    /// Its candidate values are kept when the let is the aggregate itself and no other
    /// aggregate was undecided on the way.
    fn note_let(&self, slot: usize, is_aggregate: bool) {
        let mut noted = std::mem::take(&mut *self.unknown.borrow_mut());
        let usable = is_aggregate
            && noted.iter().filter(|u| u.undecided).count() == 1
            && noted.last().is_some_and(|u| u.undecided);
        if !usable {
            noted.iter_mut().for_each(|u| u.candidates = None);
        }
        if !noted.is_empty() {
            self.slot_unknown.borrow_mut().push((slot, noted));
            self.slots_unknown.set(true);
        }
    }

    /// Forgets the lets' unknown elements (before a subject is evaluated).
    fn clear_lets(&self) {
        if self.slots_unknown.get() {
            self.slot_unknown.borrow_mut().clear();
            self.slots_unknown.set(false);
        }
    }

    /// Notes again the unknown elements of let `slot`, which is being read.
    #[inline]
    fn read_slot(&self, slot: usize) {
        if self.slots_unknown.get() {
            let lets = self.slot_unknown.borrow();
            let mut unknown = self.unknown.borrow_mut();
            for (_, u) in lets.iter().filter(|(s, _)| *s == slot) {
                unknown.extend(u.iter().map(|e| UnknownElement {
                    from_let: Some(slot),
                    ..e.clone()
                }));
            }
        }
    }

    /// Forgets the noted unknown elements (before a subject is evaluated).
    fn clear_unknown(&self) {
        self.unknown.borrow_mut().clear();
    }

    /// How many unknown elements are noted.
    pub(crate) fn unknown_len(&self) -> usize {
        self.unknown.borrow().len()
    }

    /// Forgets the unknown elements noted after the first `n`.
    pub(crate) fn truncate_unknown(&self, n: usize) {
        self.unknown.borrow_mut().truncate(n);
    }

    /// Whether an aggregate evaluated since the last [`Ctx::clear_unknown`] was undecided,
    /// and what its unknown elements lack.
    fn take_unknown(&self) -> (bool, Vec<String>) {
        let (undecided, missing, _) = self.take_unknown_lets();
        (undecided, missing)
    }

    /// [`Ctx::take_unknown`], with the lets whose undecided values were read, when every
    /// undecided value was read through a let.
    fn take_unknown_lets(&self) -> (bool, Vec<String>, Option<Vec<usize>>) {
        let noted = std::mem::take(&mut *self.unknown.borrow_mut());
        let undecided = noted.iter().any(|u| u.undecided);
        let mut lets: Option<Vec<usize>> = Some(Vec::new());
        for u in noted.iter().filter(|u| u.undecided) {
            match (u.from_let, lets.as_mut()) {
                (Some(s), Some(l)) => l.push(s),
                _ => lets = None,
            }
        }
        if let Some(l) = lets.as_mut() {
            l.sort_unstable();
            l.dedup();
        }
        let mut missing: Vec<String> = noted.into_iter().flat_map(|u| u.missing).collect();
        missing.sort();
        missing.dedup();
        (undecided, missing, lets)
    }

    /// The status and deadline of a subject whose verdict read undecided lets `slots`, when
    /// it is the same whichever values they take (each let tried with every candidate
    /// value, the later verdict lets and the parts evaluated again); `None` otherwise.
    fn decided_anyway(
        &self,
        rule: &Rule,
        verdict: &[bool],
        env: &mut Vec<Value>,
        slots: &[usize],
        warn_end: NaiveDate,
    ) -> Option<(Status, Option<NaiveDate>)> {
        let saved_lets = self.slot_unknown.borrow().clone();
        let candidates: Vec<(usize, Arc<Vec<Value>>)> = slots
            .iter()
            .map(|s| {
                let c = saved_lets
                    .iter()
                    .find(|(x, _)| x == s)
                    .and_then(|(_, u)| u.last())
                    .and_then(|u| u.candidates.clone())?;
                Some((*s, c))
            })
            .collect::<Option<_>>()?;
        let total = candidates.iter().try_fold(1usize, |a, (_, c)| {
            a.checked_mul(c.len()).filter(|t| *t <= MAX_CANDIDATES)
        })?;
        // The verdict lets from the first undecided one on are evaluated again.
        let first = rule
            .lets
            .iter()
            .position(|(_, slot, _)| slots.contains(slot))?;
        let kept: Vec<(usize, Vec<UnknownElement>)> = saved_lets
            .iter()
            .filter(|(s, _)| {
                rule.lets
                    .iter()
                    .position(|(_, slot, _)| slot == s)
                    .is_some_and(|k| k < first)
            })
            .cloned()
            .collect();
        let saved_env = env.clone();
        let mut outcome = None;
        let mut agree = true;
        for t in 0..total {
            *self.slot_unknown.borrow_mut() = kept.clone();
            self.slots_unknown.set(!kept.is_empty());
            let mut rest = t;
            for (k, (_, slot, c)) in rule.lets.iter().enumerate().skip(first) {
                if !verdict.get(k).copied().unwrap_or(true) {
                    continue;
                }
                let v = match candidates.iter().find(|(s, _)| s == slot) {
                    Some((_, values)) => {
                        let n = values.len().max(1);
                        let v = values.get(rest % n).cloned().unwrap_or(Value::Null);
                        rest /= n;
                        v
                    }
                    None => {
                        self.clear_unknown();
                        let v = self.ev(c, env);
                        self.note_let(*slot, matches!(c, C::Agg { .. }));
                        v
                    }
                };
                if let Some(s) = env.get_mut(*slot) {
                    *s = v;
                }
            }
            self.clear_unknown();
            let require = rule.require.as_ref().map(|c| self.ev(c, env));
            let due = rule
                .due
                .as_ref()
                .map(|c| self.ev(c, env).as_date())
                .filter(|d| d.is_some() || !rule.due_if_any);
            let grace = rule.grace.as_ref().and_then(|c| self.ev(c, env).as_date());
            let warn_from = rule.warn.as_ref().and_then(|c| self.ev(c, env).as_date());
            let decided = decide(
                require.as_ref(),
                due,
                grace,
                self.as_of,
                Warn {
                    window_end: warn_end,
                    from: rule.warn.as_ref().map(|_| warn_from),
                },
            );
            let (undecided, _) = self.take_unknown();
            if undecided || outcome.is_some_and(|o| o != decided) {
                agree = false;
                break;
            }
            outcome = Some(decided);
        }
        env.clone_from(&saved_env);
        self.slots_unknown.set(!saved_lets.is_empty());
        *self.slot_unknown.borrow_mut() = saved_lets;
        outcome.filter(|_| agree)
    }

    /// What an element of an aggregate lacks among the fields `reads` of its condition:
    /// `entity id: field` (an object without an id is named by its place, `#k`).
    fn element_missing(
        &self,
        el: &Value,
        position: usize,
        reads: &[crate::check::SubjectRead],
    ) -> Vec<String> {
        let (subj, entity) = match el {
            Value::Rec(r) => (
                Subj::Rec(*r),
                STRUCTS.get(usize::from(r.entity)).map_or("?", |s| s.name),
            ),
            Value::Obj(o) => (
                Subj::Item {
                    parent: RecRef { entity: 0, row: 0 },
                    index: position,
                    value: el.clone(),
                },
                crate::schema::struct_at(o.shape).map_or("?", |s| s.name),
            ),
            _ => return Vec::new(),
        };
        let id = match el {
            Value::Rec(r) => self.set.id(*r).map(ToString::to_string),
            _ => subj
                .shape(self.set)
                .and_then(|s| s.field_index("id"))
                .and_then(|i| u16::try_from(i).ok())
                .map(|i| subj.field(self.set, i))
                .filter(|v| !v.is_absent())
                .map(|v| display(self.set, &v, Lang::En)),
        }
        .unwrap_or_else(|| format!("#{}", position + 1));
        unrecorded(self, &subj, reads)
            .into_iter()
            .map(|f| format!("{entity} {id}: {f}"))
            .collect()
    }

    /// The index of an entity's records by a text field: the record set's, built on its
    /// first use by any evaluation (see [`IndexCache`]).
    fn index(&self, entity: u16, field: u16) -> Arc<columns::Index> {
        if let Some(i) = self.indexes.borrow().get(&(entity, field)) {
            return i.clone();
        }
        let built = self.set.indexes.get(entity, field, || {
            columns::Index::build(self.set, entity, field)
        });
        self.indexes
            .borrow_mut()
            .insert((entity, field), built.clone());
        built
    }

    fn field(&self, base: &Value, slot: u16) -> Value {
        match base {
            Value::Rec(r) => self.set.field(*r, usize::from(slot)),
            Value::Obj(o) => o
                .fields
                .get(usize::from(slot))
                .cloned()
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// The string-table index of a text expression; a record's text field is read without
    /// building its value or hashing it.
    fn ev_text_index(&self, c: &C, env: &mut Vec<Value>) -> Option<u32> {
        if let C::Field(b, slot) = c {
            let base = match b.as_ref() {
                C::Slot(v) => {
                    self.read_slot(*v);
                    env.get(*v).cloned().unwrap_or(Value::Null)
                }
                other => self.ev(other, env),
            };
            // Only text columns hold text, so a record's field has a text index or no text.
            if let Value::Rec(r) = base {
                return self.set.text_index(r, usize::from(*slot));
            }
        }
        match self.ev(c, env) {
            Value::Str(s) => self.set.text_index_of(&s),
            _ => None,
        }
    }

    /// The text an expression gives, read where it is stored instead of built into a value,
    /// for the forms the interpreter meets in the conditions it evaluates element by element:
    /// a text field of a record bound to a variable (`r.session_id`), such a field with a
    /// constant text for an absent one (`r.session_id ?? ""`), and a constant text.
    /// `Some(None)` is no value. `None`: another form (or not a text field), and nothing was
    /// read: the caller evaluates it as usual.
    fn ev_text<'s>(&'s self, c: &'s C, env: &[Value]) -> Option<Option<&'s str>> {
        match c {
            C::Const(Value::Str(s)) => Some(Some(&**s)),
            C::Const(Value::Null) => Some(None),
            C::Field(b, slot) => {
                let C::Slot(v) = b.as_ref() else {
                    return None;
                };
                let Some(Value::Rec(r)) = env.get(*v) else {
                    return None;
                };
                let text = self.set.text_cell(*r, usize::from(*slot))?;
                self.read_slot(*v);
                Some(text)
            }
            C::Bin(BinOp::Coalesce, a, b) => {
                let C::Const(Value::Str(alt)) = b.as_ref() else {
                    return None;
                };
                let x = self.ev_text(a, env)?;
                Some(match x {
                    Some(s) if !s.trim().is_empty() => Some(s),
                    _ => Some(&**alt),
                })
            }
            _ => None,
        }
    }

    /// Evaluates a compiled expression.
    pub(crate) fn ev(&self, c: &C, env: &mut Vec<Value>) -> Value {
        match c {
            C::Const(v) => v.clone(),
            C::Slot(s) => {
                self.read_slot(*s);
                env.get(*s).cloned().unwrap_or(Value::Null)
            }
            C::Param(i) => self.params.get(*i).cloned().unwrap_or(Value::Null),
            C::AsOf => Value::Date(self.as_of),
            C::Org => self.org.clone(),
            C::Field(b, slot) => {
                // The common case, a field of a bound record, reads the column directly.
                if let C::Slot(v) = b.as_ref() {
                    self.read_slot(*v);
                    if let Some(Value::Rec(r)) = env.get(*v) {
                        return self.set.field(*r, usize::from(*slot));
                    }
                }
                let base = self.ev(b, env);
                self.field(&base, *slot)
            }
            C::Deref(b, si, slot) => {
                let is_entity = STRUCTS.get(usize::from(*si)).is_some_and(|s| s.entity);
                if is_entity {
                    match self
                        .ev_text_index(b, env)
                        .and_then(|t| self.set.record_of(t))
                    {
                        Some(r) if r.entity == *si => self.set.field(r, usize::from(*slot)),
                        _ => Value::Null,
                    }
                } else {
                    let Value::Str(id) = self.ev(b, env) else {
                        return Value::Null;
                    };
                    self.set
                        .nested(*si, &id)
                        .map(|o| self.field(o, *slot))
                        .unwrap_or(Value::Null)
                }
            }
            C::Not(a) => match self.ev(a, env) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Null,
            },
            C::Neg(a) => match self.ev(a, env) {
                Value::Int(i) => Value::Int(-i),
                Value::Num(n) => Value::Num(-n),
                Value::Dur(d) => Value::Dur(Duration {
                    months: -d.months,
                    days: -d.days,
                }),
                _ => Value::Null,
            },
            C::Bin(op, a, b) => self.binary(*op, a, b, env),
            C::Call(f, args) => self.call(*f, args, env),
            C::List(items) => {
                Value::List(Arc::new(items.iter().map(|i| self.ev(i, env)).collect()))
            }
            C::Let(binds, body) => {
                for (slot, c) in binds {
                    let v = self.ev(c, env);
                    if let Some(s) = env.get_mut(*slot) {
                        *s = v;
                    }
                }
                self.ev(body, env)
            }
            C::Def(code, args) => {
                // A frame of its own: the arguments, then the body's variables.
                let mut frame = vec![Value::Null; code.slots.max(1)];
                for (slot, a) in frame.iter_mut().zip(args) {
                    *slot = self.ev(a, env);
                }
                stacker::maybe_grow(
                    crate::check::STACK_RED_ZONE,
                    crate::check::STACK_SEGMENT,
                    || self.ev(&code.body, &mut frame),
                )
            }
            C::If(c, a, b) => match self.ev(c, env) {
                Value::Bool(true) => self.ev(a, env),
                Value::Bool(false) => self.ev(b, env),
                _ => Value::Null,
            },
            C::Agg {
                kind,
                proj,
                slot,
                source,
                filter,
            } => {
                // A grouped aggregate is computed for every key at once, then looked up.
                // An undecided group is interpreted (which notes its unknown elements).
                // A list is looked up only where columns are evaluated: here, subject by
                // subject, it serves a finding, and building it for every key would not pay.
                let grouped = (*kind != AggKind::List).then(|| self.groups(c)).flatten();
                if let Some((groups, key)) = grouped {
                    let k = self.ev_text_index(key, env);
                    // An absent key is interpreted (every element's condition is unknown).
                    let absent_key = k.is_none() && matches!(self.ev(key, env), Value::Null);
                    if let Some(v) = groups.get(self.set, k).filter(|_| !absent_key) {
                        return v;
                    }
                }
                self.aggregate(
                    *kind,
                    proj.as_deref(),
                    *slot,
                    source,
                    filter.as_deref(),
                    env,
                )
            }
        }
    }

    fn binary(&self, op: BinOp, a: &C, b: &C, env: &mut Vec<Value>) -> Value {
        match op {
            BinOp::And => {
                let x = truthy(&self.ev(a, env));
                if x == Some(false) {
                    return Value::Bool(false);
                }
                match (x, truthy(&self.ev(b, env))) {
                    (_, Some(false)) => Value::Bool(false),
                    (Some(true), Some(true)) => Value::Bool(true),
                    _ => Value::Null,
                }
            }
            BinOp::Or => {
                let x = truthy(&self.ev(a, env));
                if x == Some(true) {
                    return Value::Bool(true);
                }
                match (x, truthy(&self.ev(b, env))) {
                    (_, Some(true)) => Value::Bool(true),
                    (Some(false), Some(false)) => Value::Bool(false),
                    _ => Value::Null,
                }
            }
            BinOp::Coalesce => {
                let x = self.ev(a, env);
                if x.is_absent() {
                    self.ev(b, env)
                } else {
                    x
                }
            }
            // Texts compared where they are stored, without building values (the same
            // results: texts are equal when their characters are).
            BinOp::Eq | BinOp::Ne => {
                let Some(x) = self.ev_text(a, env) else {
                    let x = self.ev(a, env);
                    let y = self.ev(b, env);
                    return binary_values(op, &x, &y);
                };
                match self.ev_text(b, env) {
                    Some(y) => match (x, y) {
                        (Some(x), Some(y)) => Value::Bool((x == y) == (op == BinOp::Eq)),
                        _ => Value::Null,
                    },
                    None => {
                        let x = x.map_or(Value::Null, |s| Value::Str(Arc::from(s)));
                        let y = self.ev(b, env);
                        binary_values(op, &x, &y)
                    }
                }
            }
            BinOp::In | BinOp::NotIn => {
                let Some(x) = self.ev_text(a, env) else {
                    let x = self.ev(a, env);
                    let y = self.ev(b, env);
                    return binary_values(op, &x, &y);
                };
                let within = |items: &[Value], x: &str| {
                    let found = items
                        .iter()
                        .any(|e| matches!(e, Value::Str(s) if **s == *x));
                    Value::Bool(found == (op == BinOp::In))
                };
                if let C::Const(Value::List(items)) = b {
                    return x.map_or(Value::Null, |x| within(items, x));
                }
                match (x, self.ev(b, env)) {
                    (Some(x), Value::List(items)) => within(&items, x),
                    _ => Value::Null,
                }
            }
            _ => {
                let x = self.ev(a, env);
                let y = self.ev(b, env);
                match self.message_lang.get() {
                    Some(lang)
                        if op == BinOp::Add
                            && (matches!(x, Value::Str(_)) || matches!(y, Value::Str(_))) =>
                    {
                        let mut s = display(self.set, &x, lang);
                        write_display(&mut s, self.set, &y, lang);
                        Value::Str(Arc::from(s))
                    }
                    _ => binary_values(op, &x, &y),
                }
            }
        }
    }

    fn call(&self, f: Func, args: &[C], env: &mut Vec<Value>) -> Value {
        let arg = |i: usize, env: &mut Vec<Value>| {
            args.get(i).map(|c| self.ev(c, env)).unwrap_or(Value::Null)
        };
        match f {
            Func::Present | Func::Absent => {
                // A text field is looked at where it is stored.
                let absent = match args.first().and_then(|c| self.ev_text(c, env)) {
                    Some(t) => t.is_none_or(|s| s.trim().is_empty()),
                    None => arg(0, env).is_absent(),
                };
                Value::Bool(absent == (f == Func::Absent))
            }
            Func::Within => match (arg(0, env), arg(1, env)) {
                (Value::Date(d), Value::Dur(dur)) => Value::Bool(
                    dur.sub_from(self.as_of).is_some_and(|from| from <= d) && d <= self.as_of,
                ),
                // An absent date is unknown, neither inside nor outside the window.
                _ => Value::Null,
            },
            Func::Between => match (arg(0, env), arg(1, env), arg(2, env)) {
                (Value::Date(d), Value::Date(from), to) => {
                    Value::Bool(from <= d && to.as_date().is_none_or(|t| d <= t))
                }
                (Value::Date(_), Value::Null, _) => Value::Bool(false),
                _ => Value::Null,
            },
            Func::Days => match (arg(0, env), arg(1, env)) {
                (Value::Date(a), Value::Date(b)) => Value::Int((b - a).num_days()),
                _ => Value::Null,
            },
            Func::Missing => {
                // A field is missing when it is absent or `false` in the object, or in every
                // object of a list (so clauses spread over several contracts count once).
                let objs: Vec<Value> = match arg(0, env) {
                    Value::List(l) => l.iter().cloned().collect(),
                    Value::Null => Vec::new(),
                    other => vec![other],
                };
                let mut out = Vec::new();
                for c in args.iter().skip(1) {
                    let C::Const(Value::Str(name)) = c else {
                        continue;
                    };
                    let present = objs.iter().any(|o| {
                        let shape = match o {
                            Value::Obj(x) => Some(x.shape),
                            Value::Rec(r) => Some(r.entity),
                            _ => None,
                        };
                        let slot = shape.and_then(|s| self.set.field_slot(s, name));
                        let v = slot.map_or(Value::Null, |i| {
                            self.field(o, u16::try_from(i).unwrap_or(0))
                        });
                        !lacks(&v)
                    });
                    if !present {
                        out.push(Value::Str(name.clone()));
                    }
                }
                Value::List(Arc::new(out))
            }
            Func::Len => len_of(&arg(0, env)),
            Func::Contains => match (arg(0, env), arg(1, env)) {
                (Value::List(l), x) => Value::Bool(l.iter().any(|e| values_eq(e, &x))),
                (Value::Str(s), Value::Str(x)) => Value::Bool(s.contains(&*x)),
                (Value::Null, _) => Value::Bool(false),
                _ => Value::Null,
            },
            Func::Coalesce => {
                for c in args {
                    let v = self.ev(c, env);
                    if !v.is_absent() {
                        return v;
                    }
                }
                Value::Null
            }
            Func::Later | Func::Earlier => match (arg(0, env), arg(1, env)) {
                (Value::Date(a), Value::Date(b)) => {
                    Value::Date(if (f == Func::Later) == (a > b) { a } else { b })
                }
                (Value::Date(a), _) | (_, Value::Date(a)) => Value::Date(a),
                _ => Value::Null,
            },
            Func::NextBusinessDay => match arg(0, env) {
                Value::Date(d) => Value::Date(self.calendar.next_business_day(d)),
                _ => Value::Null,
            },
            Func::IsBusinessDay => match arg(0, env) {
                Value::Date(d) => Value::Bool(self.calendar.is_business_day(d)),
                _ => Value::Null,
            },
            Func::YearStart => self.year_start.map_or(Value::Null, Value::Date),
            Func::Labels => match (arg(0, env), arg(1, env)) {
                (Value::Str(shape), Value::List(names)) => Value::List(Arc::new(
                    names
                        .iter()
                        .map(|n| match n {
                            Value::Str(name) => Value::str(crate::labels::field_ja(&shape, name)),
                            other => other.clone(),
                        })
                        .collect(),
                )),
                (_, other) => other,
            },
            Func::Flatten => match arg(0, env) {
                Value::List(l) => {
                    let mut out = Vec::new();
                    for x in l.iter() {
                        match x {
                            Value::List(inner) => out.extend(inner.iter().cloned()),
                            Value::Null => {}
                            other => out.push(other.clone()),
                        }
                    }
                    Value::List(Arc::new(out))
                }
                _ => Value::List(Arc::new(Vec::new())),
            },
            Func::BusinessDays => match (arg(0, env), arg(1, env)) {
                (Value::Date(from), Value::Date(to)) => {
                    let mut out = Vec::new();
                    let mut d = from;
                    // Bounded: at most ten years of days.
                    while d <= to && out.len() < 3660 {
                        if self.calendar.is_business_day(d) {
                            out.push(Value::Date(d));
                        }
                        match d.succ_opt() {
                            Some(n) => d = n,
                            None => break,
                        }
                    }
                    Value::List(Arc::new(out))
                }
                _ => Value::Null,
            },
        }
    }

    /// The rows of a [`Source::Union`]: every part's look-up, in record order, each once,
    /// with the rows whose looked-up field is absent where that leaves the condition unknown
    /// (the whole condition is the filter, so they are decided as a scan decides them);
    /// every row when a part's key is absent.
    fn union_rows(
        &self,
        entity: u16,
        parts: &[crate::check::UnionPart],
        (filter, slot): (Option<&C>, usize),
        env: &mut Vec<Value>,
    ) -> Vec<u32> {
        let mut rows = Vec::new();
        for part in parts {
            let index = self.index(entity, part.field);
            if part.absent {
                rows.extend_from_slice(index.absent());
            }
            if part.many {
                match self.ev(&part.key, env) {
                    Value::List(keys) => {
                        for k in keys.iter() {
                            if let Some(k) = match k {
                                Value::Str(s) => self.set.text_index_of(s),
                                _ => None,
                            } {
                                rows.extend_from_slice(index.rows(self.set, k));
                            }
                        }
                    }
                    _ => return self.scan_rows(entity, (filter, slot), env),
                }
            } else if let Some(k) = self.ev_text_index(&part.key, env) {
                rows.extend_from_slice(index.rows(self.set, k));
            } else if matches!(self.ev(&part.key, env), Value::Null) {
                return self.scan_rows(entity, (filter, slot), env);
            }
        }
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Every row of an entity, for a look-up whose key is absent — none when a part of the
    /// filter is false whatever the element (`present(i.key) and …` guarding the look-up).
    fn scan_rows(
        &self,
        entity: u16,
        (filter, slot): (Option<&C>, usize),
        env: &mut Vec<Value>,
    ) -> Vec<u32> {
        let never = filter.is_some_and(|f| {
            crate::check::conjuncts_without(f, slot)
                .into_iter()
                .any(|c| truthy(&self.ev(c, env)) == Some(false))
        });
        if never {
            return Vec::new();
        }
        self.all_rows(entity)
    }

    /// Every row of an entity.
    fn all_rows(&self, entity: u16) -> Vec<u32> {
        let n = u32::try_from(self.set.count(entity).unwrap_or(0)).unwrap_or(u32::MAX);
        (0..n).collect()
    }

    /// The rows an index look-up cannot decide (`Source::Indexed`): with an absent key every
    /// row (but those whose absent field is known not to match: an alternative key, or one
    /// the filter required present — `absent` is false for a text field then); else, when
    /// `absent`, the rows whose field is absent.
    fn undecided_rows(
        &self,
        (entity, field, absent): (u16, u16, bool),
        (key, filter, slot): (&C, Option<&C>, usize),
        found: bool,
        env: &mut Vec<Value>,
    ) -> Vec<u32> {
        if !found && matches!(self.ev(key, env), Value::Null) {
            let index = self.index(entity, field);
            // `key in (x.list ?? [])` is unknown for an absent key whatever the list.
            let skip = !absent && !crate::check::indexable_list(entity, field);
            return self
                .scan_rows(entity, (filter, slot), env)
                .into_iter()
                .filter(|r| !skip || index.absent().binary_search(r).is_err())
                .collect();
        }
        if absent {
            return self.index(entity, field).absent().to_vec();
        }
        Vec::new()
    }

    fn aggregate(
        &self,
        kind: AggKind,
        proj: Option<&C>,
        slot: usize,
        source: &Source,
        filter: Option<&C>,
        env: &mut Vec<Value>,
    ) -> Value {
        let empty: &[u32] = &[];
        let index;
        let union_rows: Vec<u32>;
        // Rows whose look-up condition is unknown: each is an element whose condition is
        // unknown unless the rest of the filter is false for it.
        let mut unsure_rows: Vec<u32> = Vec::new();
        let (rows, indexed, list): (u32, &[u32], Option<Arc<Vec<Value>>>) = match source {
            Source::Entity(e) => (
                u32::try_from(self.set.count(*e).unwrap_or(0)).unwrap_or(u32::MAX),
                empty,
                None,
            ),
            Source::Indexed {
                entity,
                field,
                key,
                absent,
                ..
            } => {
                let k = self.ev_text_index(key, env);
                unsure_rows = self.undecided_rows(
                    (*entity, *field, *absent),
                    (key, filter, slot),
                    k.is_some(),
                    env,
                );
                index = k.map(|k| (self.index(*entity, *field), k));
                let rows = index.as_ref().map_or(empty, |(i, k)| i.rows(self.set, *k));
                (0, rows, None)
            }
            Source::Union { entity, parts } => {
                union_rows = self.union_rows(*entity, parts, (filter, slot), env);
                (0, union_rows.as_slice(), None)
            }
            Source::List(c) => match self.ev(c, env) {
                Value::List(l) => (0, empty, Some(l)),
                _ => (0, empty, None),
            },
        };
        let entity = match source {
            Source::Entity(e)
            | Source::Indexed { entity: e, .. }
            | Source::Union { entity: e, .. } => *e,
            Source::List(_) => 0,
        };
        let rec = |row: u32| Value::Rec(RecRef { entity, row });
        let elements = (0..rows)
            .map(rec)
            .chain(indexed.iter().map(|r| rec(*r)))
            .chain(list.iter().flat_map(|l| l.iter().cloned()))
            .map(|el| (el, false))
            .chain(unsure_rows.iter().map(|r| (rec(*r), true)));
        let mut count: i64 = 0;
        let mut best: Option<Value> = None;
        let mut list = Vec::new();
        // Whether the condition of a quantifier was unknown for some element.
        let mut unknown = false;
        // The elements whose condition was unknown, with their place in the source.
        let mut unknown_els: Vec<(usize, Value)> = Vec::new();
        for (position, (el, looked_up_unknown)) in elements.enumerate() {
            if let Some(s) = env.get_mut(slot) {
                *s = el.clone();
            }
            let cond = match filter {
                Some(f) => truthy(&self.ev(f, env)),
                None => Some(true),
            };
            // unknown and the rest of the filter
            let cond = match cond {
                Some(true) if looked_up_unknown => None,
                c => c,
            };
            if cond.is_none() {
                unknown_els.push((position, el.clone()));
            }
            let keep = cond == Some(true);
            match kind {
                // Kleene quantifiers: `all` is false at the first false element, else
                // unknown if an element's condition was unknown; `exists` dually.
                AggKind::All => {
                    match cond {
                        Some(false) => return Value::Bool(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                    continue;
                }
                AggKind::Exists if cond.is_none() => {
                    unknown = true;
                    continue;
                }
                _ if !keep => continue,
                AggKind::Exists => return Value::Bool(true),
                AggKind::Count => count += 1,
                AggKind::Max | AggKind::Min => {
                    let v = match proj {
                        Some(p) => self.ev(p, env),
                        None => el,
                    };
                    if improves(kind, &v, best.as_ref()) {
                        best = Some(v);
                    }
                }
                AggKind::List => list.push(match proj {
                    Some(p) => self.ev(p, env),
                    None => el,
                }),
            }
        }
        if !unknown_els.is_empty() {
            // An element whose condition is unknown may or may not belong: the aggregate is
            // decided only when it cannot change the value (a `max` it could not raise);
            // otherwise the subject is insufficient data, naming what the element lacks.
            let undecided = match kind {
                AggKind::All | AggKind::Exists => false,
                AggKind::Count | AggKind::List => true,
                AggKind::Max | AggKind::Min => unknown_els.iter().any(|(_, el)| {
                    if let Some(s) = env.get_mut(slot) {
                        *s = el.clone();
                    }
                    let v = match proj {
                        Some(p) => self.ev(p, env),
                        None => el.clone(),
                    };
                    improves(kind, &v, best.as_ref())
                }),
            };
            if undecided || unknown {
                let mut reads =
                    filter.map_or_else(Vec::new, |f| crate::check::subject_reads(f, slot));
                // The looked-up field, which the filter no longer reads.
                if let Source::Indexed { field, .. } = source {
                    let read = crate::check::SubjectRead::field(*field);
                    if !reads.contains(&read) {
                        reads.push(read);
                    }
                }
                let missing = unknown_els
                    .iter()
                    .flat_map(|(position, el)| self.element_missing(el, *position, &reads))
                    .collect();
                let candidates = if undecided {
                    self.candidates(
                        kind,
                        proj,
                        slot,
                        env,
                        &unknown_els,
                        count,
                        best.as_ref(),
                        &list,
                    )
                } else {
                    None
                };
                self.unknown.borrow_mut().push(UnknownElement {
                    missing,
                    undecided,
                    candidates,
                    from_let: None,
                });
            }
        }
        match kind {
            AggKind::All | AggKind::Exists if unknown => Value::Null,
            AggKind::All => Value::Bool(true),
            AggKind::Exists => Value::Bool(false),
            AggKind::Count => Value::Int(count),
            AggKind::Max | AggKind::Min => best.unwrap_or(Value::Null),
            AggKind::List => {
                list.sort_by(|a, b| a.total_cmp(b));
                Value::List(Arc::new(list))
            }
        }
    }
}

impl Ctx<'_> {
    /// Every value an undecided aggregate could have (see [`UnknownElement::candidates`]).
    #[allow(clippy::too_many_arguments)]
    fn candidates(
        &self,
        kind: AggKind,
        proj: Option<&C>,
        slot: usize,
        env: &mut Vec<Value>,
        unknown: &[(usize, Value)],
        count: i64,
        best: Option<&Value>,
        known: &[Value],
    ) -> Option<Arc<Vec<Value>>> {
        let mut project = |el: &Value| {
            if let Some(s) = env.get_mut(slot) {
                *s = el.clone();
            }
            match proj {
                Some(p) => self.ev(p, env),
                None => el.clone(),
            }
        };
        let values: Vec<Value> = match kind {
            AggKind::Count => {
                let n = i64::try_from(unknown.len()).ok()?;
                (count..=count.checked_add(n)?).map(Value::Int).collect()
            }
            AggKind::Max | AggKind::Min => {
                let mut values = vec![best.cloned().unwrap_or(Value::Null)];
                for (_, el) in unknown {
                    let v = project(el);
                    if improves(kind, &v, best) && !values.iter().any(|x| values_eq(x, &v)) {
                        values.push(v);
                    }
                }
                values
            }
            AggKind::List => {
                let n = unknown.len();
                if n >= 7 {
                    return None;
                }
                let extra: Vec<Value> = unknown.iter().map(|(_, el)| project(el)).collect();
                (0..1usize << n)
                    .map(|mask| {
                        let mut l = known.to_vec();
                        l.extend(
                            extra
                                .iter()
                                .enumerate()
                                .filter(|(i, _)| mask & (1 << i) != 0)
                                .map(|(_, v)| v.clone()),
                        );
                        l.sort_by(|a, b| a.total_cmp(b));
                        Value::List(Arc::new(l))
                    })
                    .collect()
            }
            AggKind::All | AggKind::Exists => return None,
        };
        (values.len() <= MAX_CANDIDATES).then(|| Arc::new(values))
    }
}

fn binary_values(op: BinOp, x: &Value, y: &Value) -> Value {
    use Value as V;
    match op {
        BinOp::Eq | BinOp::Ne => {
            if matches!(x, V::Null) || matches!(y, V::Null) {
                return V::Null;
            }
            let eq = values_eq(x, y);
            V::Bool(if op == BinOp::Eq { eq } else { !eq })
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            if matches!(x, V::Null) || matches!(y, V::Null) {
                return V::Null;
            }
            let o = x.total_cmp(y);
            V::Bool(match op {
                BinOp::Lt => o == Ordering::Less,
                BinOp::Le => o != Ordering::Greater,
                BinOp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            })
        }
        BinOp::In | BinOp::NotIn => {
            if matches!(x, V::Null) {
                return V::Null;
            }
            let found = match y {
                V::List(l) => l.iter().any(|e| values_eq(e, x)),
                _ => return V::Null,
            };
            V::Bool(if op == BinOp::In { found } else { !found })
        }
        BinOp::Add | BinOp::Sub => {
            let sub = op == BinOp::Sub;
            match (x, y) {
                (V::Date(d), V::Dur(u)) => {
                    let r = if sub { u.sub_from(*d) } else { u.add_to(*d) };
                    r.map_or(V::Null, V::Date)
                }
                (V::Date(a), V::Date(b)) if sub => V::Int((*a - *b).num_days()),
                (V::Int(a), V::Int(b)) => (if sub {
                    a.checked_sub(*b)
                } else {
                    a.checked_add(*b)
                })
                .map_or(V::Null, V::Int),
                (V::Int(_) | V::Num(_), V::Int(_) | V::Num(_)) => {
                    let (a, b) = (num(x), num(y));
                    V::Num(if sub { a - b } else { a + b })
                }
                (V::Str(a), b) if !sub => V::Str(Arc::from(format!("{a}{b}"))),
                (a, V::Str(b)) if !sub => V::Str(Arc::from(format!("{a}{b}"))),
                (V::List(a), V::List(b)) if !sub => {
                    if b.is_empty() {
                        V::List(a.clone())
                    } else if a.is_empty() {
                        V::List(b.clone())
                    } else {
                        V::List(Arc::new(a.iter().chain(b.iter()).cloned().collect()))
                    }
                }
                (V::Dur(a), V::Dur(b)) => {
                    let s = if sub { -1 } else { 1 };
                    V::Dur(Duration {
                        months: a.months + s * b.months,
                        days: a.days + s * b.days,
                    })
                }
                _ => V::Null,
            }
        }
        BinOp::And | BinOp::Or | BinOp::Coalesce => V::Null,
    }
}

/// Whether `v` replaces `best` as the `max` (or `min`) of an aggregate: absent values never
/// do, the first of equal values stays.
fn improves(kind: AggKind, v: &Value, best: Option<&Value>) -> bool {
    if matches!(v, Value::Null) {
        return false;
    }
    best.is_none_or(|b| {
        let o = v.total_cmp(b);
        (kind == AggKind::Max && o == Ordering::Greater)
            || (kind == AggKind::Min && o == Ordering::Less)
    })
}

/// Whether a field counts as missing for `missing(…)`: absent, or `false`.
fn lacks(v: &Value) -> bool {
    v.is_absent() || matches!(v, Value::Bool(false))
}

/// `len(x)`: the length of a list or text; 0 for nothing.
fn len_of(v: &Value) -> Value {
    match v {
        Value::List(l) => Value::Int(i64::try_from(l.len()).unwrap_or(i64::MAX)),
        Value::Str(s) => Value::Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)),
        Value::Null => Value::Int(0),
        _ => Value::Null,
    }
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Num(n) => *n,
        _ => 0.0,
    }
}

#[cfg(test)]
mod lookups_tests;

#[cfg(test)]
mod tests {
    use super::{worker_count, MIN_RECORDS_FOR_THREADS};

    #[test]
    fn threads_are_asked_for_or_follow_the_size_of_the_record_set() {
        // Asked for: as many as asked.
        assert_eq!(worker_count(3, 10), 3);
        assert_eq!(worker_count(1, 10_000_000), 1);
        // Chosen: one for small record sets, one per core for large ones.
        assert_eq!(worker_count(0, MIN_RECORDS_FOR_THREADS - 1), 1);
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(worker_count(0, MIN_RECORDS_FOR_THREADS), cores);
    }

    mod index_cache {
        use crate::program::{Program, Source};
        use crate::records::{load_str, parse_date, Format};
        use crate::{evaluate, Columnar, Options};

        const RULES: &str = r#"
rule X-IDX-01 {
  title ja "受講" en "trained"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  let n = count(r in training_records where r.person_id == w.id)
  require n > 1
  message ja "{w.name} {n}" en "{w.name} {n}"
  fix ja "x" en "x"
}
"#;

        #[test]
        fn a_record_set_checked_again_reuses_its_indexes_and_reports_the_same() {
            let program = Program::compile(vec![Source {
                name: "x.pms".into(),
                text: RULES.into(),
            }])
            .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])));
            let mut records = "workforce:\n".to_string();
            for i in 0..80 {
                records += &format!("  - {{id: W{i}, name: N{i}, employment_type: 正社員, start_date: 2020-04-01}}\n");
            }
            records += "training_records:\n";
            for i in 0..120 {
                let p = (i * 7) % 80;
                records += &format!(
                    "  - {{id: T{i}, person_id: W{p}, session_id: S1, completed_on: 2025-04-01}}\n"
                );
            }
            records +=
                "training_sessions:\n  - {id: S1, title: t, date: 2025-04-01, kind: awareness}\n";
            let set = load_str("x.yaml", &records, Format::Yaml)
                .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])));
            let Some(as_of) = parse_date("2026-03-31") else {
                panic!("bad date");
            };
            let entity = crate::check::struct_index("training_records").unwrap_or(0);
            let field = set.field_slot(entity, "person_id").unwrap_or(0);
            let field = u16::try_from(field).unwrap_or(0);
            let mut reports = Vec::new();
            for columnar in [Columnar::Always, Columnar::Never, Columnar::Always] {
                let mut opts = Options::new(as_of);
                opts.edition = "jisq15001:2017".into();
                opts.columnar = columnar;
                let Ok(report) = evaluate(&program, &set, &opts) else {
                    panic!("evaluation failed");
                };
                reports.push((report.findings.len(), report.to_json()));
            }
            // The first evaluation built the index; the others found it.
            let kept = set
                .indexes
                .get(entity, field, || panic!("the index was not kept"));
            let again = set
                .indexes
                .get(entity, field, || panic!("the index was not kept"));
            assert!(std::sync::Arc::ptr_eq(&kept, &again));
            // The 40 people with one training record are findings (120 records over 80 people).
            assert!(reports.first().is_some_and(|r| r.0 == 40));
            assert_eq!(reports.first(), reports.get(1));
            assert_eq!(reports.first(), reports.get(2));
            // A clone starts without indexes and reports the same.
            let copy = set.clone();
            let mut opts = Options::new(as_of);
            opts.edition = "jisq15001:2017".into();
            let Ok(report) = evaluate(&program, &copy, &opts) else {
                panic!("evaluation failed");
            };
            assert_eq!(Some(&report.to_json()), reports.first().map(|r| &r.1));
        }

        /// A rule reading the records through one field (`r.session_id->kind`), over enough
        /// records for the numbering of their sessions to be kept with the set.
        const SESSIONS: &str = r#"
rule X-IDX-02 {
  title ja "種別" en "kind"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for r in training_records where (r.session_id->kind ?? "awareness") in ["awareness", "new_hire"]
  require r.completed_on >= r.session_id->date
  message ja "{r.id}" en "{r.id}"
  fix ja "x" en "x"
}
"#;

        #[test]
        fn a_record_set_checked_again_reuses_the_numbering_of_its_texts() {
            let program = Program::compile(vec![Source {
                name: "x.pms".into(),
                text: SESSIONS.into(),
            }])
            .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])));
            let mut records = "training_sessions:\n".to_string();
            let kinds = ["awareness", "role_competence", "new_hire", "awareness"];
            for (s, kind) in kinds.iter().enumerate() {
                records += &format!("  - {{id: S{s}, title: t, date: 2025-04-10, kind: {kind}}}\n");
            }
            records += "training_records:\n";
            // 300 records (past the numbering's threshold), over four sessions and none;
            // every third completed before its session's date.
            for i in 0..300 {
                let session = match i % 5 {
                    4 => String::new(),
                    s => format!(", session_id: S{s}"),
                };
                let day = if i % 3 == 0 {
                    "2025-04-01"
                } else {
                    "2025-04-20"
                };
                records +=
                    &format!("  - {{id: T{i}, person_id: W1, completed_on: {day}{session}}}\n");
            }
            records += "workforce:\n  - {id: W1, name: N, employment_type: 正社員, start_date: 2020-04-01}\n";
            let set = load_str("x.yaml", &records, Format::Yaml)
                .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])));
            let Some(as_of) = parse_date("2026-03-31") else {
                panic!("bad date");
            };
            let mut reports = Vec::new();
            for columnar in [Columnar::Auto, Columnar::Never, Columnar::Auto] {
                let mut opts = Options::new(as_of);
                opts.edition = "jisq15001:2017".into();
                opts.columnar = columnar;
                let Ok(report) = evaluate(&program, &set, &opts) else {
                    panic!("evaluation failed");
                };
                reports.push(report.to_json());
            }
            assert_eq!(reports.first(), reports.get(1));
            assert_eq!(reports.first(), reports.get(2));
            // The first evaluation numbered the sessions; the others found the numbering.
            let entity = crate::check::struct_index("training_records").unwrap_or(0);
            let field = set.field_slot(entity, "session_id").unwrap_or(0);
            let field = u16::try_from(field).unwrap_or(0);
            let kept = set
                .indexes
                .numbering(entity, field, || panic!("the numbering was not kept"));
            assert!(kept.is_some());
            // Of the 300 records, those of S0, S2, S3 and of no session (awareness by
            // default: 240) are subjects; those with a session completed before its date
            // (every third: 60) are gaps, those without a session cannot be decided (60).
            let Ok(report) = serde_json::from_str::<serde_json::Value>(&reports[0]) else {
                panic!("bad report");
            };
            assert_eq!(report["summary"]["gaps"].as_u64(), Some(60));
            assert_eq!(report["coverage"][0]["checked"].as_u64(), Some(240));
        }
    }

    mod verdict_lets {
        use crate::program::{Program, Source};
        use crate::records::{load_str, parse_date, Format};
        use crate::{evaluate, Columnar, Options};

        // `a` is read by `b`, `b` by `require`; `c` (reading `a`) and `d` (reading `c`) only by
        // the message.
        const RULES: &str = r#"
rule X-LET-01 {
  title ja "名前" en "name"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  let a = w.name ?? ""
  let b = len(a) > 1
  let c = a + "!"
  let d = [c, w.id]
  require b
  message ja "{d}" en "{c}"
  fix ja "x" en "x"
}
"#;

        #[test]
        fn lets_only_a_finding_reads_are_left_out_of_the_verdict_and_still_reported() {
            let program = Program::compile(vec![Source {
                name: "x.pms".into(),
                text: RULES.into(),
            }])
            .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])));
            let Some(rule) = program.rules.first() else {
                panic!("no rule");
            };
            assert_eq!(super::super::verdict_lets(rule), [true, true, false, false]);
            let records = "workforce:\n".to_string()
                + &(0..80)
                    .map(|i| {
                        let name = if i % 2 == 0 { "A" } else { "Bob" };
                        format!("  - {{id: W{i}, name: {name}, employment_type: 正社員, start_date: 2020-04-01}}\n")
                    })
                    .collect::<String>();
            let set = load_str("x.yaml", &records, Format::Yaml)
                .unwrap_or_else(|d| panic!("{}", crate::diagnostic::render(&d, &[])));
            let Some(as_of) = parse_date("2026-03-31") else {
                panic!("bad date");
            };
            let mut seen = Vec::new();
            for columnar in [Columnar::Always, Columnar::Never] {
                for include_passed in [false, true] {
                    let mut opts = Options::new(as_of);
                    opts.edition = "jisq15001:2017".into();
                    opts.columnar = columnar;
                    opts.include_passed = include_passed;
                    let Ok(report) = evaluate(&program, &set, &opts) else {
                        panic!("evaluation failed");
                    };
                    let texts: Vec<String> = report
                        .findings
                        .iter()
                        .map(|f| format!("{} {} {:?}", f.message.en, f.message.ja, f.values))
                        .collect();
                    // One finding per name of one character; every subject when passed ones
                    // are asked for, each with all four values.
                    assert_eq!(texts.len(), if include_passed { 80 } else { 40 });
                    assert!(report.findings.iter().all(|f| f.values.len() == 4));
                    let Some(first) = texts.first() else {
                        panic!("no finding");
                    };
                    assert!(first.starts_with("A! "), "{first}");
                    seen.push((include_passed, texts));
                }
            }
            // The column and the record-by-record evaluation report the same.
            assert_eq!(seen.first(), seen.get(2));
            assert_eq!(seen.get(1), seen.get(3));
        }
    }

    mod undetermined {
        use crate::report::{Finding, Status};
        use crate::testing;
        use crate::{Columnar, Options};

        const RULES: &str = r#"
define awareness(s) = s.audience == "all_active"
rule X-UNK-01 {
  title ja "欠席" en "absent"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_sessions
  for s in training_sessions where awareness(s) and s.date <= as_of and (s.material_version ?? "v1") != "draft"
  require present(s.title)
  message ja "{s.id}" en "{s.id}"
  fix ja "x" en "x"
}
rule X-UNK-02 {
  title ja "受講" en "attended"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for r in training_records where r.session_id->audience == "all_active"
  require r.test_score >= 50
  message ja "{r.id}" en "{r.id}"
  fix ja "x" en "x"
}
rule X-UNK-03 {
  title ja "見直し" en "Review not done"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_sessions
  for s in training_sessions
  due s.date + 12 months
  message ja "{s.id} 見直しがありません" en "{s.id} not reviewed"
  fix ja "x" en "x"
}
"#;

        const RECORDS: &str = r#"
training_sessions:
  - {id: S1, title: 年次, kind: awareness, audience: all_active, date: 2025-03-01}
  - {id: S2, title: 対象未記入, kind: awareness, date: 2025-03-10}
  - {id: S3, title: 未来, kind: awareness, date: 2026-03-10}
workforce:
  - {id: W1, name: 一, employment_type: 正社員, start_date: 2020-04-01}
training_records:
  - {id: T1, person_id: W1, session_id: S1, completed_on: 2025-03-01, test_score: 80}
  - {id: T2, person_id: W1, session_id: S2, completed_on: 2025-03-11, test_score: 90}
  - {id: T3, person_id: W1, session_id: S1, completed_on: 2025-03-12}
"#;

        fn findings(columnar: Columnar, day: &str) -> Vec<Finding> {
            let program = testing::compile("x.pms", RULES);
            let set = testing::load("x.yaml", RECORDS);
            let mut opts = Options::new(testing::day(day));
            opts.edition = "jisq15001:2017".into();
            opts.columnar = columnar;
            testing::check(&program, &set, &opts).findings
        }

        fn of<'a>(f: &'a [Finding], id: &str) -> Option<&'a Finding> {
            f.iter().find(|x| x.id == id)
        }

        #[test]
        fn a_record_whose_filter_is_unknown_is_listed_with_the_fields_it_lacks() {
            for mode in [Columnar::Always, Columnar::Never] {
                let f = findings(mode, "2025-06-30");
                // S2 has no audience: the filter (through a define) cannot decide. Its
                // material version is read with a default, so it is not named.
                let s2 = of(&f, "X-UNK-01:S2");
                assert_eq!(s2.map(|x| x.status), Some(Status::InsufficientData));
                assert_eq!(
                    s2.map(|x| x.missing.clone()),
                    Some(vec!["audience".to_string()])
                );
                assert!(s2.is_some_and(|x| x.message.en.contains("not recorded: audience")));
                // S3 is later than as_of: false whatever its kind, so not a subject.
                assert!(of(&f, "X-UNK-01:S3").is_none());
                // Through a reference: T2's session has no audience.
                let t2 = of(&f, "X-UNK-02:T2");
                assert_eq!(
                    t2.map(|x| x.missing.clone()),
                    Some(vec!["session_id.audience".to_string()])
                );
                // A condition that is unknown names what it needs too.
                let t3 = of(&f, "X-UNK-02:T3");
                assert_eq!(t3.map(|x| x.status), Some(Status::InsufficientData));
                assert_eq!(
                    t3.map(|x| x.missing.clone()),
                    Some(vec!["test_score".to_string()])
                );
                assert!(of(&f, "X-UNK-02:T1").is_none());
            }
        }

        /// A rule over the workforce whose requirement is `cond` (W1 has training records
        /// T1 scored 80, T2 scored 90 and T3 with no score).
        fn quantifier_status(mode: Columnar, cond: &str) -> Option<Status> {
            w1_finding(mode, &format!("require {cond}")).map(|f| f.status)
        }

        /// The finding on W1 of a rule over the workforce with `body` (lets and `require`).
        fn w1_finding(mode: Columnar, body: &str) -> Option<Finding> {
            let text = format!(
                r#"rule X-A-01 {{
  title ja "集計" en "Aggregate"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  {body}
  message ja "{{w.id}}" en "{{w.id}}"
  fix ja "x" en "x"
}}
"#
            );
            let program = testing::compile("a.pms", &text);
            let set = testing::load("x.yaml", RECORDS);
            let mut opts = Options::new(testing::day("2025-06-30"));
            opts.edition = "jisq15001:2017".into();
            opts.columnar = mode;
            let report = testing::check(&program, &set, &opts);
            of(&report.findings, "X-A-01:W1").cloned()
        }

        /// T3 has no score, so whether it passed (`test_score >= 85`) is unknown: it is
        /// never silently left out of a count, max or list. The verdict is decided when it
        /// is the same with and without T3, else insufficient data naming T3's field.
        #[test]
        fn an_element_whose_condition_is_unknown_decides_only_when_it_cannot_matter() {
            let good = "r.person_id == w.id and r.test_score >= 85";
            let cases = [
                // T2 passed; T3 may make two: "at least one" holds either way.
                (format!("let n = count(r in training_records where {good})\n  require n >= 1"), None),
                (format!("let n = count(r in training_records where {good})\n  require n >= 2"), Some(Status::InsufficientData)),
                (format!("let n = count(r in training_records where {good})\n  require n == 1"), Some(Status::InsufficientData)),
                (format!("let n = count(r in training_records where {good})\n  require n >= 3"), Some(Status::Gap)),
                // T3 (2025-03-12) is later than T2 (2025-03-11): it could raise the max.
                (format!("let last = max(r.completed_on for r in training_records where {good})\n  require last >= 2025-03-11"), None),
                (format!("let last = max(r.completed_on for r in training_records where {good})\n  require last == 2025-03-11"), Some(Status::InsufficientData)),
                // ... but not lower the min (T1 scored 80, so it is out).
                (format!("let first = min(r.completed_on for r in training_records where {good})\n  require first == 2025-03-11"), None),
                (format!("let ids = list(r.id for r in training_records where {good})\n  require len(ids) >= 1"), None),
                (format!("let ids = list(r.id for r in training_records where {good})\n  require \"T3\" not in ids"), Some(Status::InsufficientData)),
                // A verdict that never reads the undecided value stays decided.
                (format!("let n = count(r in training_records where {good})\n  require present(w.end_date) and n >= 2"), Some(Status::Gap)),
            ];
            for mode in [Columnar::Always, Columnar::Never] {
                for (body, want) in &cases {
                    let f = w1_finding(mode, body);
                    assert_eq!(f.as_ref().map(|f| f.status), *want, "{mode:?}: {body}");
                    if *want == Some(Status::InsufficientData) {
                        assert_eq!(
                            f.as_ref().map(|f| f.missing.clone()),
                            Some(vec!["training_records T3: test_score".to_string()]),
                            "{body}"
                        );
                        assert!(
                            f.is_some_and(|f| f.message.ja.contains("受講記録 T3 の")),
                            "{body}"
                        );
                    }
                }
            }
        }

        /// `a or b` where each is an index look-up reads the union of the look-ups (not every
        /// record per subject) and finds exactly what the scan finds.
        #[test]
        fn or_of_look_ups_reads_their_union_and_equals_the_scan() {
            let rule = |cond: &str| {
                format!(
                    r#"rule X-U-01 {{
  title ja "和" en "Union"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity contracts
  for c in contractors
  let items = list(i.id for i in inventory where {cond})
  require len(items) == 0
  message ja "{{items}}" en "{{items}}"
  fix ja "x" en "x"
}}
"#
                )
            };
            let join = "c.id in (i.entrusted_to ?? []) or i.id in (c.inventory_items ?? [])";
            let run = |text: String| {
                let program = testing::compile("u.pms", &text);
                let set = testing::sample();
                let opts = Options::new(testing::day("2026-03-31"));
                let report = testing::check(&program, &set, &opts);
                let found: Vec<(String, Status, String)> = report
                    .findings
                    .iter()
                    .map(|f| (format!("{:?}", f.subject), f.status, f.message.en.clone()))
                    .collect();
                (format!("{program:?}").contains("source: Union {"), found)
            };
            let (union, by_union) = run(rule(join));
            // `not not (…)` is the same condition with no look-up to take: every record is read.
            let (scan_is_union, by_scan) = run(rule(&format!("not not ({join})")));
            assert!(union && !scan_is_union);
            let gaps = by_union.iter().filter(|f| f.1 == Status::Gap).count();
            assert!(gaps >= 2, "{by_union:?}");
            assert_eq!(by_union, by_scan);
        }

        #[test]
        fn quantifiers_propagate_an_unknown_condition_unless_an_element_decides() {
            let scored = "t.person_id == w.id and t.test_score";
            for mode in [Columnar::Always, Columnar::Never] {
                // T3 has no score: neither true nor false, so `all` cannot be decided …
                let all = format!("all(t in training_records where {scored} >= 50)");
                assert_eq!(
                    quantifier_status(mode, &all),
                    Some(Status::InsufficientData)
                );
                // … nor can `exists` (under `not`, not silently false, hence met).
                let none_low = format!("not exists(t in training_records where {scored} < 50)");
                assert_eq!(
                    quantifier_status(mode, &none_low),
                    Some(Status::InsufficientData)
                );
                // One decisive element decides whatever the unknown one: T1's 80 fails `all`,
                // T2's 90 satisfies `exists`.
                let all_high = format!("all(t in training_records where {scored} >= 85)");
                assert_eq!(quantifier_status(mode, &all_high), Some(Status::Gap));
                let some_high = format!("exists(t in training_records where {scored} >= 85)");
                assert_eq!(quantifier_status(mode, &some_high), None);
                // Over a list (not an index look-up) too.
                let listed = "all(s in [w.start_date, w.end_date] where s >= 2020-01-01)";
                assert_eq!(
                    quantifier_status(mode, listed),
                    Some(Status::InsufficientData)
                );
            }
        }

        #[test]
        fn a_duration_joined_to_text_in_a_message_is_in_the_message_language() {
            let text = r#"param review = 12 months
rule X-MSG-01 {
  title ja "見直し" en "Review"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  require false
  message ja "{'「' + w.id + '」が' + review + '以内に見直されていません（' + (w.end_date == none) + '）'}"
          en "{'“' + w.id + '” not reviewed within ' + review + ' (' + (w.end_date == none) + ')'}"
  fix ja "{review + ' 以内に'}" en "{'within ' + (review + 1 months)}"
}
"#;
            let program = testing::compile("m.pms", text);
            let set = testing::load("x.yaml", RECORDS);
            let mut opts = Options::new(testing::day("2025-06-30"));
            opts.edition = "jisq15001:2017".into();
            let report = testing::check(&program, &set, &opts);
            let Some(f) = of(&report.findings, "X-MSG-01:W1") else {
                panic!("no finding");
            };
            assert_eq!(f.message.ja, "「W1」が1年以内に見直されていません（なし）");
            assert_eq!(f.message.en, "“W1” not reviewed within 12 months (none)");
            assert_eq!(f.fix.ja, "1年 以内に");
            assert_eq!(f.fix.en, "within 13 months");
        }

        const NESTED_RULES: &str = r#"
rule X-NEST-01 {
  title ja "計画項目" en "Plan item not done"
  clause jis2017 "A.3.3.6"
  phase plan
  severity minor
  basis practice
  activity training_plan
  for p in training_plans, i in p.items where i.planned_date < as_of
  require present(i.actual_ref) or present(i.deferral_reason)
  message ja "{i.title}（{p.pms_year}）" en "{i.title} ({p.pms_year}) not done"
  fix ja "x" en "x"
}
"#;

        const NESTED_RECORDS: &str = r#"
training_plans:
  - id: TP-2025
    pms_year: "2025"
    items:
      - {id: PI-1, title: 年次教育, planned_date: 2025-06-01, actual_ref: S1}
      - {id: PI-2, title: 補講, planned_date: 2025-09-01}
      - {title: 入社時教育, planned_date: 2025-10-01}
      - {id: PI-4, title: 秋季教育}
      - {id: PI-5, title: 来年, planned_date: 2026-06-01}
"#;

        #[test]
        fn each_object_of_a_list_is_a_subject() {
            let program = testing::compile("n.pms", NESTED_RULES);
            assert_eq!(
                program.rules.first().map(|r| r.population),
                Some("plan_item")
            );
            let set = testing::load("n.yaml", NESTED_RECORDS);
            let as_of = testing::day("2026-03-31");
            for mode in [Columnar::Always, Columnar::Never] {
                let mut opts = Options::new(as_of);
                opts.edition = "jisq15001:2017".into();
                opts.columnar = mode;
                let report = testing::check(&program, &set, &opts);
                let got: Vec<(String, String, Status)> = report
                    .findings
                    .iter()
                    .filter_map(|f| {
                        let s = f.subject.clone()?;
                        Some((s.entity, s.id, f.status))
                    })
                    .collect();
                // PI-2 is not done; the third item has no id (named by its plan and place);
                // PI-4 has no planned date (insufficient data); PI-5 is not due; PI-1 is done.
                assert_eq!(
                    got,
                    vec![
                        ("plan_item".into(), "PI-2".into(), Status::Gap),
                        ("plan_item".into(), "PI-4".into(), Status::InsufficientData),
                        ("plan_item".into(), "TP-2025#3".into(), Status::Gap),
                    ]
                );
                let pi2 = report.findings.iter().find(|f| f.id == "X-NEST-01:PI-2");
                assert_eq!(
                    pi2.map(|f| f.message.en.as_str()),
                    Some("補講 (2025) not done")
                );
                // The plan that holds the item is among the records involved.
                assert!(pi2.is_some_and(|f| f.related.iter().any(|r| r.id == "TP-2025")));
                let pi4 = report.findings.iter().find(|f| f.id == "X-NEST-01:PI-4");
                assert_eq!(
                    pi4.map(|f| f.missing.clone()),
                    Some(vec!["planned_date".to_string()])
                );
            }
        }

        #[test]
        fn an_at_risk_finding_says_when_it_falls_due_and_that_it_is_not_late() {
            let f = findings(Columnar::Never, "2026-02-20");
            let s1 = of(&f, "X-UNK-03:S1");
            assert_eq!(s1.map(|x| x.status), Some(Status::AtRisk));
            let en = s1.map(|x| x.message.en.clone()).unwrap_or_default();
            assert!(
                en.contains("due on 2026-03-01, 9 days left (not late yet)"),
                "{en}"
            );
            assert!(!en.contains("not reviewed"), "{en}");
            let ja = s1.map(|x| x.message.ja.clone()).unwrap_or_default();
            assert!(ja.contains("期限2026-03-01まであと9日"), "{ja}");
            // Once late, the rule's own message.
            let f = findings(Columnar::Never, "2026-03-02");
            let late = of(&f, "X-UNK-03:S1").map(|x| x.message.en.clone());
            assert_eq!(late.as_deref(), Some("S1 not reviewed"));
        }
    }

    /// Texts read where they are stored (`==`, `!=`, `in`, `present`, `absent`, `??` with a
    /// text, in the interpreter and in an aggregate's condition element by element) give what
    /// built values give: a blank text is absent, `??` puts its text in place of an absent
    /// one, and no value compares to nothing.
    mod texts_in_place {
        use crate::testing;
        use crate::{Columnar, Options};

        const RULES: &str = r#"
rule X-TXT-01 {
  title ja "版" en "version"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_sessions
  for s in training_sessions
  let eq = (s.material_version ?? "v1") == "v1"
  let ne = s.material_version != "draft"
  let within = s.material_version in ["v1", "draft"]
  let outside = s.material_version not in ["v1"]
  let has = present(s.material_version)
  let lacks = absent(s.material_version)
  let records = count(r in training_records where (r.session_id ?? "S1") == s.id)
  let invited = "W1" in (s.invitee_ids ?? [])
  let listed = s.material_version in (s.invitee_ids ?? [])
  require s.id == ""
  message ja "{s.id}" en "{s.id}"
  fix ja "x" en "x"
}
"#;

        const RECORDS: &str = r#"
training_sessions:
  - {id: S1, title: 一, kind: awareness, date: 2025-03-01}
  - {id: S2, title: 二, kind: awareness, date: 2025-03-01, material_version: "  "}
  - {id: S3, title: 三, kind: awareness, date: 2025-03-01, material_version: v1, invitee_ids: [W1]}
  - {id: S4, title: 四, kind: awareness, date: 2025-03-01, material_version: draft, invitee_ids: []}
workforce:
  - {id: W1, name: 一, employment_type: 正社員, start_date: 2020-04-01}
training_records:
  - {id: T1, person_id: W1, session_id: S1, completed_on: 2025-03-01}
  - {id: T2, person_id: W1, session_id: S2, completed_on: 2025-03-01}
  - {id: T3, person_id: W1, completed_on: 2025-03-01}
"#;

        #[test]
        fn compare_as_built_values_do() {
            let program = testing::compile("x.pms", RULES);
            let set = testing::load("x.yaml", RECORDS);
            // The lets in order: eq, ne, within, outside, has, lacks, records, invited, listed.
            let expected = [
                ("S1", "true,null,null,null,false,true,2,false,null"),
                ("S2", "true,true,false,true,false,true,1,false,false"),
                ("S3", "true,true,true,false,true,false,0,true,false"),
                ("S4", "false,false,true,true,true,false,0,false,false"),
            ];
            for mode in [Columnar::Never, Columnar::Always] {
                let mut opts = Options::new(testing::day("2025-06-30"));
                opts.edition = "jisq15001:2017".into();
                opts.columnar = mode;
                let report = testing::check(&program, &set, &opts);
                let got: Vec<(String, String)> = report
                    .findings
                    .iter()
                    .map(|f| {
                        let id = f.subject.as_ref().map(|s| s.id.clone()).unwrap_or_default();
                        let values: Vec<String> =
                            f.values.values().map(ToString::to_string).collect();
                        (id, values.join(","))
                    })
                    .collect();
                let want: Vec<(String, String)> = expected
                    .iter()
                    .map(|(id, v)| ((*id).to_string(), (*v).to_string()))
                    .collect();
                assert_eq!(got, want, "{mode:?}");
            }
        }
    }
}
