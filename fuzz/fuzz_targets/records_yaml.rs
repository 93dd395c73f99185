//! The YAML record loader (parser, tree walk, validation, references, locations).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = pms_core::records::load_str("fuzz.yaml", text, pms_core::records::Format::Yaml);
});
