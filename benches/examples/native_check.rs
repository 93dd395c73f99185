//! Loads a record file and evaluates the built-in rules, `runs` times, and prints the mean
//! milliseconds per run (load + evaluate + report JSON), the measure the Python and
//! WebAssembly comparisons use: `native_check PATH AS_OF RUNS`.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(as_of)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: native_check PATH AS_OF [RUNS]");
        std::process::exit(2);
    };
    let runs: u32 = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(10);
    let Ok(program) = pms_rules::compile_builtin() else {
        std::process::exit(2)
    };
    let opts = pms_core::ffi::CheckOptions {
        as_of: as_of.clone(),
        ..Default::default()
    };
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..runs {
        let Ok(set) = pms_core::records::load_path(std::path::Path::new(path)) else {
            std::process::exit(2)
        };
        let Ok(report) = pms_core::ffi::check(&program, &set, &opts) else {
            std::process::exit(2)
        };
        bytes = report.to_json().len();
    }
    println!(
        "{:.3} ms per run ({} bytes of report)",
        start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs),
        bytes
    );
}
