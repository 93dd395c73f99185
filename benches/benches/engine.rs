//! Criterion benches: compiling the rule packs, loading the sample company, and evaluating
//! it at 1×, 10× and 100× its size (linear growth is the goal).

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

criterion_group!(benches, compile, load, evaluate);
criterion_main!(benches);
