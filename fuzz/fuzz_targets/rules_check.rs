//! A user rule file compiled and, when it compiles, checked against the sample company (every
//! rule of the file evaluated, with the report assembled and rendered).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The shared parameters and definitions of the built-in rules (`rules/common/`), which the
/// rule files (the seeds) use.
fn common() -> Vec<pms_core::Source> {
    pms_rules::builtin_sources()
        .into_iter()
        .filter(|s| s.name.contains("/common/"))
        .collect()
}

fn sample() -> Option<&'static pms_core::RecordSet> {
    static SET: OnceLock<Option<pms_core::RecordSet>> = OnceLock::new();
    SET.get_or_init(|| {
        let (name, text) = pms_rules::SAMPLE_COMPANY;
        pms_core::records::load_str(name, text, pms_core::records::Format::Yaml).ok()
    })
    .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = common();
    sources.push(pms_core::Source {
        name: "fuzz.pms".into(),
        text: text.into(),
    });
    let Ok(program) = pms_core::Program::compile(sources) else {
        return;
    };
    let Some(set) = sample() else { return };
    let opts = pms_core::ffi::CheckOptions {
        as_of: "2026-03-31".into(),
        only: program.rules.iter().map(|r| r.id.clone()).collect(),
        threads: 1,
        ..pms_core::ffi::CheckOptions::default()
    };
    if opts.only.is_empty() {
        return;
    }
    if let Ok(report) = pms_core::ffi::check(&program, set, &opts) {
        let _ = report.to_json();
        let _ = report.to_text(pms_core::Lang::En);
    }
});
