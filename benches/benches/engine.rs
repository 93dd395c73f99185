//! Criterion benches: compiling the rule packs, loading (per MB), evaluating the sample
//! company at 1×, 10× and 100× its size (linear growth is the goal), the generated companies
//! S and M on the ten representative checks, and each rule family separately.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

fn compile(c: &mut Criterion) {
    c.bench_function("compile built-in rules", |b| {
        b.iter(|| black_box(pms_rules::compile_builtin().is_ok()))
    });
}

fn load(c: &mut Criterion) {
    let (name, text) = pms_rules::SAMPLE_COMPANY;
    c.bench_function("load sample company (YAML, validate)", |b| {
        b.iter(|| {
            black_box(
                pms_core::records::load_str(name, text, pms_core::records::Format::Yaml).is_ok(),
            )
        })
    });
}

fn evaluate(c: &mut Criterion) {
    let Ok(program) = pms_rules::compile_builtin() else {
        return;
    };
    let opts =
        pms_core::Options::new(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default());
    let mut group = c.benchmark_group("evaluate sample company");
    for k in [1usize, 10, 100] {
        let Ok(set) = pms_core::records::load_json(pms_bench::scaled_sample(k)) else {
            continue;
        };
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{k}x")),
            &set,
            |b, set| {
                b.iter(|| {
                    black_box(pms_core::evaluate(&program, set, &opts).map(|r| r.findings.len()))
                })
            },
        );
    }
    group.finish();
}

fn generated(name: &str) -> Option<String> {
    let scale = pms_bench::generate::SCALES
        .iter()
        .find(|s| s.name == name)?;
    let mut out = Vec::new();
    pms_bench::generate::generate(scale, 1, &mut out).ok()?;
    String::from_utf8(out).ok()
}

fn generated_companies(c: &mut Criterion) {
    let Ok(program) = pms_rules::compile_builtin() else {
        return;
    };
    let mut opts = pms_core::Options::new(pms_bench::as_of());
    opts.only = pms_bench::check_rule_ids();
    for name in ["S", "M"] {
        let Some(text) = generated(name) else {
            continue;
        };
        let mut group = c.benchmark_group(format!("generated {name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("load (JSON parse + validation)", |b| {
            b.iter(|| {
                black_box(
                    pms_core::records::load_str("gen.json", &text, pms_core::records::Format::Json)
                        .map(|s| s.len()),
                )
            })
        });
        let Ok(set) =
            pms_core::records::load_str("gen.json", &text, pms_core::records::Format::Json)
        else {
            continue;
        };
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_function("evaluate the ten checks", |b| {
            b.iter(|| {
                black_box(pms_core::evaluate(&program, &set, &opts).map(|r| r.findings.len()))
            })
        });
        // The same, record by record: what column-at-a-time evaluation saves.
        let mut rows = opts.clone();
        rows.columnar = pms_core::Columnar::Never;
        group.bench_function("evaluate the ten checks, record by record", |b| {
            b.iter(|| {
                black_box(pms_core::evaluate(&program, &set, &rows).map(|r| r.findings.len()))
            })
        });
        group.finish();
    }
}

fn families(c: &mut Criterion) {
    let Ok(program) = pms_rules::compile_builtin() else {
        return;
    };
    let Ok(set) = pms_core::records::load_json(pms_bench::scaled_sample(10)) else {
        return;
    };
    // R-TRN-01 → TRN: the rules of one area of the standard.
    let mut by_family: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in program.rules.iter().filter(|r| r.in_pack("jisq15001:2023")) {
        let family = r.id.split('-').nth(1).unwrap_or_default().to_string();
        by_family.entry(family).or_default().push(r.id.clone());
    }
    let mut group = c.benchmark_group("rule family (sample company 10x)");
    for (family, ids) in by_family {
        let mut opts = pms_core::Options::new(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default(),
        );
        opts.only = ids;
        group.bench_function(family, |b| {
            b.iter(|| {
                black_box(pms_core::evaluate(&program, &set, &opts).map(|r| r.findings.len()))
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    compile,
    load,
    evaluate,
    generated_companies,
    families
);
criterion_main!(benches);
