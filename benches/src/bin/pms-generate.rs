//! Writes a synthetic company: `pms-generate S|M|L [SEED] OUT.json` also writes
//! `OUT.expected.json`, the planted gaps per rule of the ten representative checks.

use std::io::BufWriter;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(name), Some(out)) = (args.get(1), args.last().filter(|_| args.len() >= 3)) else {
        eprintln!("usage: pms-generate S|M|L [SEED] OUT.json");
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
