//! Nothing handed to `pms import` or `pms check` is dropped silently: a ledger file named on
//! its own that pms cannot read is a coded, located error; one inside a directory is listed
//! as not read.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod common;

use common::{pms_in as pms, scratch};
use std::path::PathBuf;

/// A directory holding a Shift_JIS export under a name that names no ledger, headed by words
/// the reader does not know.
fn export_dir(name: &str) -> PathBuf {
    let d = scratch(name);
    std::fs::create_dir_all(d.join("in")).unwrap();
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode("社員CD,フルネーム\r\nE01,山田 太郎\r\n");
    assert!(!bad);
    std::fs::write(d.join("in").join("export_0412.csv"), bytes).unwrap();
    d
}

#[test]
fn an_unreadable_csv_named_on_its_own_is_a_located_error() {
    let dir = export_dir("file");
    for cmd in ["import", "check"] {
        let out = pms(&dir, &[cmd, "in/export_0412.csv"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(
            err.contains("E1036") && err.contains("export_0412.csv"),
            "{cmd}: coded and located: {err}"
        );
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("# Records"),
            "{cmd}: no records written"
        );
    }
}

#[test]
fn an_unreadable_csv_in_a_directory_is_listed_as_not_read() {
    let dir = export_dir("dir");
    for cmd in ["import", "check"] {
        let out = pms(&dir, &[cmd, "in"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.lines()
                .any(|l| l.contains("export_0412.csv") && l.contains("not read")),
            "{cmd}: {err}"
        );
    }
}
