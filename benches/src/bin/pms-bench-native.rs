//! Native pms on a generated company: load (parse + validate), then evaluate the ten
//! representative checks, `runs` times; checks the gaps against the planted ones and prints
//! timings and the peak memory. `pms-bench-native DATA.json [RUNS]`; `PMS_THREADS=1` evaluates
//! on one thread (default: one per core).

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: pms-bench-native DATA.json [RUNS]");
        std::process::exit(2);
    };
    let runs: u32 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let Ok(program) = pms_rules::compile_builtin() else {
        std::process::exit(2)
    };
    let start = Instant::now();
    let set = match pms_core::records::load_path(std::path::Path::new(path)) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("{}", pms_core::diagnostic::render(&d, &[]));
            std::process::exit(1);
        }
    };
    let load = start.elapsed().as_secs_f64();
    let mut opts = pms_core::Options::new(pms_bench::as_of());
    if let Some(days) = std::env::var("PMS_HORIZON_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
    {
        opts.horizon = pms_core::value::Duration { months: 0, days };
    }
    if let Some(n) = std::env::var("PMS_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        opts.threads = n;
    }
    opts.only = std::env::var("PMS_ONLY").map_or_else(
        |_| pms_bench::check_rule_ids(),
        |v| v.split(',').map(str::to_string).collect(),
    );
    if std::env::var_os("PMS_PER_RULE").is_some() {
        for id in opts.only.clone() {
            let mut one = opts.clone();
            one.only = vec![id.clone()];
            let t = Instant::now();
            let _ = pms_core::evaluate(&program, &set, &one);
            eprintln!("{id}: {:.3} s", t.elapsed().as_secs_f64());
        }
    }
    let mut best = f64::MAX;
    // The same work as the WebAssembly `checkLoadedJson`: evaluate, then the report as JSON text.
    let mut best_json = f64::MAX;
    // CPU time of this thread (which evaluates with `PMS_THREADS=1`), the mean of the runs:
    // steadier than wall time on a shared machine (the clock read advances by scheduler
    // ticks, so only a sum over runs is exact).
    let (mut cpu, mut cpu_json) = (0.0, 0.0);
    let mut report = None;
    // The first evaluation's wall time: it builds what the record set keeps for the next ones
    // (its indexes), as a database's first query does (`PMS_PER_RULE` runs come before it).
    let mut first = None;
    for _ in 0..runs {
        let c = thread_cpu_s();
        let t = Instant::now();
        let r = pms_core::evaluate(&program, &set, &opts);
        best = best.min(t.elapsed().as_secs_f64());
        first.get_or_insert(t.elapsed().as_secs_f64());
        let c1 = thread_cpu_s();
        let json = r.as_ref().map(pms_core::Report::to_json);
        best_json = best_json.min(t.elapsed().as_secs_f64());
        let c2 = thread_cpu_s();
        cpu += c1 - c;
        cpu_json += c2 - c;
        drop(json);
        report = r.ok();
    }
    let (cpu, cpu_json) = (
        cpu / f64::from(runs.max(1)),
        cpu_json / f64::from(runs.max(1)),
    );
    let Some(report) = report else {
        std::process::exit(1)
    };
    let first = first.unwrap_or(best);
    let gaps = pms_bench::gaps_by_rule(&report);
    let agree = pms_bench::planted(path).map(|e| e == gaps);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{{\"records\": {}, \"input_bytes\": {size}, \"load_s\": {load:.4}, \"eval_s\": {best:.6}, \"eval_first_s\": {first:.6}, \"eval_json_s\": {best_json:.6}, \"eval_cpu_mean_s\": {cpu:.6}, \"eval_json_cpu_mean_s\": {cpu_json:.6}, \"peak_rss_kib\": {}, \"gaps\": {}, \"agrees_with_planted\": {}}}",
        set.len(),
        pms_bench::peak_rss_kib(),
        gaps.values().map(Vec::len).sum::<usize>(),
        agree.map_or("null".to_string(), |a| a.to_string())
    );
    if agree == Some(false) {
        for (rule, ids) in &gaps {
            eprintln!("{rule}: {} gaps", ids.len());
        }
        std::process::exit(1);
    }
}

/// CPU time of the calling thread in seconds (Linux: `/proc/thread-self/schedstat`; 0 elsewhere).
fn thread_cpu_s() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0.0, |ns| ns as f64 / 1e9)
}
