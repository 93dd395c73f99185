//! The JSON record loader (streaming reader, validation, references, locations).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = pms_core::records::load_str("fuzz.json", text, pms_core::records::Format::Json);
});
