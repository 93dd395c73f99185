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

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The sample company 見本株式会社 (`examples/mimoto/records.yaml`), embedded so that
/// `pms check` with no path has something to check.
pub const SAMPLE_COMPANY: (&str, &str) = (
    "examples/mimoto/records.yaml",
    include_str!("../../../examples/mimoto/records.yaml"),
);

/// The built-in sources as [`Source`]s.
#[must_use]
pub fn builtin_sources() -> Vec<Source> {
    ALL.iter()
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
    fn rule_files_are_embedded_from_the_rules_folder() {
        assert!(super::ALL.len() > 20);
        assert!(super::ALL
            .iter()
            .all(|(n, _)| n.starts_with("rules/") && n.ends_with(".pms")));
        assert!(super::ALL
            .iter()
            .any(|(n, _)| *n == "rules/common/params.pms"));
    }

    #[test]
    fn builtin_rules_compile() {
        let p = super::compile_builtin();
        if let Err(d) = &p {
            panic!("{}", pms_core::diagnostic::render(d, &[]));
        }
    }
}
