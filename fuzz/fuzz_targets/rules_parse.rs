//! The rule parser and formatter: any text parses to an AST or gives diagnostics, and a
//! formatted file formats to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = pms_core::dsl::lower::text_to_ast(text, 0, "fuzz.pms");
    if let Ok(formatted) = pms_core::dsl::fmt::format(text, "fuzz.pms") {
        let again = pms_core::dsl::fmt::format(&formatted, "fuzz.pms");
        assert_eq!(
            again.ok().as_deref(),
            Some(formatted.as_str()),
            "fmt is not stable"
        );
    }
});
