//! Times each built-in rule alone on the sample company grown 10× and 100×:
//! `cargo run --release -p pms-bench --example per_rule`.

use std::time::Instant;

fn main() {
    let params: Vec<pms_core::Source> = pms_rules::ALL
        .iter()
        .filter(|(n, _)| n.starts_with("rules/common/"))
        .map(|(n, t)| pms_core::Source {
            name: (*n).into(),
            text: (*t).into(),
        })
        .collect();
    let opts =
        pms_core::Options::new(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default());
    let sets: Vec<(usize, pms_core::RecordSet)> = [10usize, 100]
        .iter()
        .filter_map(|k| {
            pms_core::records::load_json(pms_bench::scaled_sample(*k))
                .ok()
                .map(|s| (*k, s))
        })
        .collect();
    for (name, text) in pms_rules::ALL
        .iter()
        .filter(|(n, _)| !n.starts_with("rules/common/"))
    {
        let mut sources: Vec<pms_core::Source> = params.clone();
        sources.push(pms_core::Source {
            name: (*name).into(),
            text: (*text).into(),
        });
        // Rules that depend on another rule are timed together with it.
        for dep in text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("depends on "))
        {
            for d in dep.split(',').map(str::trim) {
                if let Some((n, t)) = pms_rules::ALL
                    .iter()
                    .find(|(n, _)| n.ends_with(&format!("{d}.pms")))
                {
                    sources.push(pms_core::Source {
                        name: (*n).into(),
                        text: (*t).into(),
                    });
                }
            }
        }
        let Ok(program) = pms_core::Program::compile(sources) else {
            continue;
        };
        let mut line = format!("{name:<28}");
        for (k, set) in &sets {
            let start = Instant::now();
            let runs = 5;
            for _ in 0..runs {
                let _ = pms_core::evaluate(&program, set, &opts);
            }
            line.push_str(&format!(
                " {k:>4}x {:>9.3} ms",
                start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs)
            ));
        }
        println!("{line}");
    }
}
