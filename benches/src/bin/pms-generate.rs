//! Writes a synthetic company: `pms-generate S|M|L [SEED] OUT.json` also writes
//! `OUT.expected.json`, the planted gaps per rule of the ten representative checks.
//! `pms-generate --portfolio N [SEED] DIR` writes N companies of mixed sizes into DIR
//! (`company-0001.json` …) with `expected.json`.
//! `pms-generate --split [--ndjson] S|M|L [SEED] DIR` writes the same company as a records
//! directory, one file per entity (`DIR/workforce.json` …, each a JSON list, as
//! `pms check DIR` reads it), and the planted gaps beside it in `DIR.expected.json`;
//! `--ndjson` writes `DIR/<entity>.ndjson` too (one record a line, for DuckDB's `read_json`;
//! pms leaves these files alone), and `--ndjson` alone writes only those.

use std::io::BufWriter;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--portfolio") {
        portfolio(&args);
        return;
    }
    let split = pms_bench::generate::Split {
        json: args.iter().any(|a| a == "--split"),
        ndjson: args.iter().any(|a| a == "--ndjson"),
    };
    if split.json || split.ndjson {
        let rest: Vec<String> = args
            .iter()
            .filter(|a| *a != "--split" && *a != "--ndjson")
            .cloned()
            .collect();
        split_dir(&rest, split);
        return;
    }
    let (Some(name), Some(out)) = (args.get(1), args.last().filter(|_| args.len() >= 3)) else {
        eprintln!("usage: pms-generate S|M|L [SEED] OUT.json | --split [--ndjson] S|M|L [SEED] DIR | --portfolio N [SEED] DIR");
        std::process::exit(2);
    };
    let seed = if args.len() >= 4 {
        args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1)
    } else {
        1
    };
    let Some(scale) = pms_bench::generate::SCALES.iter().find(|s| s.name == name) else {
        eprintln!("unknown scale `{name}`: use S, M or L");
        std::process::exit(2);
    };
    let run = || -> std::io::Result<()> {
        let mut w = BufWriter::new(std::fs::File::create(out)?);
        let mut expected = pms_bench::generate::generate(scale, seed, &mut w)?;
        // The peers implement the ten checks only; the gaps planted for the other rules are
        // checked by the crate's tests.
        expected.retain(|rule, _| !pms_bench::generate::PMS_ONLY_RULES.contains(rule));
        let path = out.strip_suffix(".json").unwrap_or(out).to_string() + ".expected.json";
        std::fs::write(
            path,
            serde_json::to_string_pretty(&expected).map_err(std::io::Error::other)?,
        )?;
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("cannot write `{out}`: {e}");
        std::process::exit(1);
    }
}

/// `pms-generate --portfolio N [SEED] DIR`.
fn portfolio(args: &[String]) {
    let n = args.get(2).and_then(|s| s.parse::<usize>().ok());
    let (Some(n), Some(dir), true) = (n, args.last(), args.len() >= 4) else {
        eprintln!("usage: pms-generate --portfolio N [SEED] DIR");
        std::process::exit(2);
    };
    let seed = if args.len() >= 5 {
        args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1)
    } else {
        1
    };
    if let Err(e) = pms_bench::portfolio::write_portfolio(n, seed, std::path::Path::new(dir)) {
        eprintln!("cannot write the portfolio into `{dir}`: {e}");
        std::process::exit(1);
    }
}

/// `pms-generate --split [--ndjson] S|M|L [SEED] DIR` (`args` without the flags).
fn split_dir(args: &[String], split: pms_bench::generate::Split) {
    let (Some(name), Some(dir), true) = (args.get(1), args.last(), args.len() >= 3) else {
        eprintln!("usage: pms-generate --split [--ndjson] S|M|L [SEED] DIR");
        std::process::exit(2);
    };
    let seed = if args.len() >= 4 {
        args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1)
    } else {
        1
    };
    let Some(scale) = pms_bench::generate::SCALES.iter().find(|s| s.name == name) else {
        eprintln!("unknown scale `{name}`: use S, M or L");
        std::process::exit(2);
    };
    let dir = dir.trim_end_matches('/');
    let run = || -> std::io::Result<()> {
        let mut expected =
            pms_bench::generate::generate_split(scale, seed, std::path::Path::new(dir), split)?;
        expected.retain(|rule, _| !pms_bench::generate::PMS_ONLY_RULES.contains(rule));
        std::fs::write(
            format!("{dir}.expected.json"),
            serde_json::to_string_pretty(&expected).map_err(std::io::Error::other)?,
        )?;
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("cannot write the records directory `{dir}`: {e}");
        std::process::exit(1);
    }
}
