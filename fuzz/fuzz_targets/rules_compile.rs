//! The whole compiler on one user rule file beside the shared parameters and definitions: parsing, lowering, type
//! checking, dependency and extension checks, code generation.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The shared parameters and definitions of the built-in rules (`rules/common/`), which the
/// rule files (the seeds) use.
fn common() -> Vec<pms_core::Source> {
    pms_rules::builtin_sources()
        .into_iter()
        .filter(|s| s.name.contains("/common/"))
        .collect()
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
    let _ = pms_core::Program::compile(sources);
});
