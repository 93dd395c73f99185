//! What the CLI test files share: the `pms` binary run in a directory, the repository root,
//! the text of an output, fresh scratch directories.

#![allow(dead_code, reason = "each test file uses a part of it")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the sample company, examples and goldens are read from there).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `pms ARGS` run in the repository root.
pub fn pms(args: &[&str]) -> Output {
    pms_in(&root(), args)
}

/// `pms ARGS` run in `dir`. `NO_COLOR` is removed so that what the tests see is what a
/// user's pipe gets (no colour, no progress: stderr is not a terminal). With
/// `PMS_TEST_REQUIRE_JA`, a diagnostic lacking its Japanese text fails the run (exit 70).
pub fn pms_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("PMS_TEST_REQUIRE_JA", "1")
        .output()
        .unwrap()
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The standard error of a run as text.
pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// A fresh, empty directory of this test file and process under the temporary directory
/// (`pms-cli-outputs-multi-1234`).
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "pms-cli-{}-{name}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
