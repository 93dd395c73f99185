//! # pms-rules
//!
//! The built-in rule packs of pms, written in the pms rule language under the top-level
//! `rules/` folder and embedded at build time.
//!
//! `crates/pms-rules/rules` is a symbolic link to the workspace's `rules/`, so the packs live
//! where users read and extend them while `include_str!` stays inside the crate (which keeps
//! `cargo package` working: it copies the linked files into the package).
//!
//! ```
//! let program = pms_rules::compile_builtin().expect("built-in rules compile");
//! assert!(program.rule("R-TRN-01").is_some());
//! ```

use pms_core::{Diagnostic, Program, Source};

/// One embedded rule file: its path under `rules/` and its text.
pub type RuleFile = (&'static str, &'static str);

/// The core pack: the rules of the core engine issue, with their parameters.
pub const CORE: &[RuleFile] = &[
    (
        "rules/core/params.pms",
        include_str!("../rules/core/params.pms"),
    ),
    (
        "rules/core/definitions.pms",
        include_str!("../rules/core/definitions.pms"),
    ),
    (
        "rules/core/R-AUD-01.pms",
        include_str!("../rules/core/R-AUD-01.pms"),
    ),
    (
        "rules/core/R-AUD-03.pms",
        include_str!("../rules/core/R-AUD-03.pms"),
    ),
    (
        "rules/core/R-CA-01.pms",
        include_str!("../rules/core/R-CA-01.pms"),
    ),
    (
        "rules/core/R-CA-02.pms",
        include_str!("../rules/core/R-CA-02.pms"),
    ),
    (
        "rules/core/R-CA-03.pms",
        include_str!("../rules/core/R-CA-03.pms"),
    ),
    (
        "rules/core/R-CRT-02.pms",
        include_str!("../rules/core/R-CRT-02.pms"),
    ),
    (
        "rules/core/R-CTR-01.pms",
        include_str!("../rules/core/R-CTR-01.pms"),
    ),
    (
        "rules/core/R-CTR-02.pms",
        include_str!("../rules/core/R-CTR-02.pms"),
    ),
    (
        "rules/core/R-CTR-04.pms",
        include_str!("../rules/core/R-CTR-04.pms"),
    ),
    (
        "rules/core/R-INC-10.pms",
        include_str!("../rules/core/R-INC-10.pms"),
    ),
    (
        "rules/core/R-INC-11.pms",
        include_str!("../rules/core/R-INC-11.pms"),
    ),
    (
        "rules/core/R-INC-12.pms",
        include_str!("../rules/core/R-INC-12.pms"),
    ),
    (
        "rules/core/R-INV-01.pms",
        include_str!("../rules/core/R-INV-01.pms"),
    ),
    (
        "rules/core/R-INV-02.pms",
        include_str!("../rules/core/R-INV-02.pms"),
    ),
    (
        "rules/core/R-MR-01.pms",
        include_str!("../rules/core/R-MR-01.pms"),
    ),
    (
        "rules/core/R-MR-02.pms",
        include_str!("../rules/core/R-MR-02.pms"),
    ),
    (
        "rules/core/R-RSK-01.pms",
        include_str!("../rules/core/R-RSK-01.pms"),
    ),
    (
        "rules/core/R-TRN-01.pms",
        include_str!("../rules/core/R-TRN-01.pms"),
    ),
    (
        "rules/core/R-TRN-02.pms",
        include_str!("../rules/core/R-TRN-02.pms"),
    ),
    (
        "rules/core/R-TRN-03.pms",
        include_str!("../rules/core/R-TRN-03.pms"),
    ),
    (
        "rules/core/R-TRN-04.pms",
        include_str!("../rules/core/R-TRN-04.pms"),
    ),
];

/// The sample company 見本株式会社 (`examples/mimoto/records.yaml`), embedded so that
/// `pms check` with no path has something to check.
pub const SAMPLE_COMPANY: (&str, &str) = (
    "examples/mimoto/records.yaml",
    include_str!("../../../examples/mimoto/records.yaml"),
);

/// The built-in sources as [`Source`]s.
#[must_use]
pub fn builtin_sources() -> Vec<Source> {
    CORE.iter()
        .map(|(name, text)| Source {
            name: (*name).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// Compiles the built-in rules together with user rule files.
///
/// # Errors
/// Diagnostics of the user files (the built-in files always compile; a test holds them there).
pub fn compile_with(extra: Vec<Source>) -> Result<Program, Vec<Diagnostic>> {
    let mut sources = builtin_sources();
    sources.extend(extra);
    Program::compile(sources)
}

/// Compiles the built-in rules.
///
/// # Errors
/// Never in a released build; see [`compile_with`].
pub fn compile_builtin() -> Result<Program, Vec<Diagnostic>> {
    compile_with(Vec::new())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_rule_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/core");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| format!("rules/core/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = super::CORE.iter().map(|(n, _)| (*n).to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "add new rule files to CORE");
    }

    #[test]
    fn builtin_rules_compile() {
        let p = super::compile_builtin();
        if let Err(d) = &p {
            panic!("{}", pms_core::diagnostic::render(d, &[]));
        }
    }
}
