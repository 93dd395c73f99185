//! pms against the Rego peer (regorus) on a generated company: both load the same JSON, both
//! run the ten representative checks, their gaps must agree (and match the planted ones), and
//! the times are printed as JSON lines. `pms-bench-peers DATA.json`.
//!
//! `pms-bench-peers DATA.json rego` runs regorus alone (for its own peak memory) and checks
//! its gaps against the planted ones.

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pms-bench-peers DATA.json");
        std::process::exit(2);
    };
    if std::env::args().nth(2).as_deref() == Some("rego") {
        match rego_only(&path) {
            Ok(agree) => std::process::exit(if agree { 0 } else { 1 }),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
    match run(&path) {
        Ok(agree) => std::process::exit(if agree { 0 } else { 1 }),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}

fn rego_only(path: &str) -> Result<bool, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let (gaps, load, eval) = pms_bench::rego_gaps(&text)?;
    let agree = pms_bench::planted(path).is_none_or(|p| p == gaps);
    println!(
        "{{\"engine\": \"regorus\", \"load_s\": {load:.4}, \"eval_s\": {eval:.4}, \"peak_rss_kib\": {}, \"gaps\": {}, \"agrees_with_planted\": {agree}}}",
        pms_bench::peak_rss_kib(),
        gaps.values().map(Vec::len).sum::<usize>()
    );
    Ok(agree)
}

fn run(path: &str) -> Result<bool, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    // pms native.
    let program = pms_rules::compile_builtin().map_err(|d| format!("{d:?}"))?;
    let t = Instant::now();
    let set = pms_core::records::load_str(path, &text, pms_core::records::Format::Json)
        .map_err(|d| pms_core::diagnostic::render(&d, &[]))?;
    let pms_load = t.elapsed().as_secs_f64();
    let _ = pms_bench::pms_gaps(&program, &set, Vec::new());
    let t = Instant::now();
    let pms_gaps = pms_bench::pms_gaps(&program, &set, Vec::new()).map_err(|d| format!("{d:?}"))?;
    let pms_eval = t.elapsed().as_secs_f64();
    drop(set);

    // Rego on regorus.
    let (rego_gaps, rego_load, rego_eval) = pms_bench::rego_gaps(&text)?;

    let planted = pms_bench::planted(path);
    let agree = pms_gaps == rego_gaps && planted.as_ref().is_none_or(|p| *p == pms_gaps);
    if !agree {
        for (rule, ids) in &pms_gaps {
            let other = rego_gaps.get(rule).cloned().unwrap_or_default();
            if *ids != other {
                eprintln!(
                    "{rule}: pms {} gaps, rego {} gaps; only pms: {:?}; only rego: {:?}",
                    ids.len(),
                    other.len(),
                    ids.iter()
                        .filter(|i| !other.contains(i))
                        .take(5)
                        .collect::<Vec<_>>(),
                    other
                        .iter()
                        .filter(|i| !ids.contains(i))
                        .take(5)
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    let gaps: usize = pms_gaps.values().map(Vec::len).sum();
    println!("{{\"engine\": \"pms\", \"load_s\": {pms_load:.4}, \"eval_s\": {pms_eval:.4}, \"gaps\": {gaps}}}");
    println!("{{\"engine\": \"regorus\", \"load_s\": {rego_load:.4}, \"eval_s\": {rego_eval:.4}, \"gaps\": {}}}", rego_gaps.values().map(Vec::len).sum::<usize>());
    println!(
        "{{\"agree\": {agree}, \"eval_ratio\": {:.1}}}",
        rego_eval / pms_eval.max(1e-9)
    );
    Ok(agree)
}
