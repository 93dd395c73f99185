//! What `pms` reads: regular files only, within the maximum input size, records directories
//! by their entity file names; errors show the lines of the files already read.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod common;

use common::{pms, scratch, stderr};

#[cfg(unix)]
#[test]
fn devices_are_refused_by_name_before_they_are_opened() {
    for args in [
        &["check", "/dev/zero", "--lang", "en"][..],
        &["validate", "/dev/zero", "--lang", "en"][..],
        &["check", "--rules", "/dev/zero", "--lang", "en"][..],
        &["fmt", "--check", "/dev/zero", "--lang", "en"][..],
    ] {
        let out = pms(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("E1020") && err.contains("`/dev/zero` is a character device"),
            "{args:?}: {err}"
        );
    }
    let err = stderr(&pms(&["validate", "/dev/zero"]));
    assert!(
        err.contains("E1020") && err.contains("`/dev/zero` はキャラクタデバイスであり"),
        "{err}"
    );
}

#[test]
fn the_maximum_input_size_is_checked_before_reading_and_can_be_changed() {
    let out = pms(&[
        "--max-input-size",
        "1KiB",
        "validate",
        "examples/mimoto/records.yaml",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("E1021") && err.contains("more than the limit of 1.0 KiB"),
        "{err}"
    );
    let out = pms(&[
        "validate",
        "examples/mimoto/records.yaml",
        "--max-input-size",
        "1MiB",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = pms(&[
        "check",
        "--rules",
        "examples/custom-rule/call-recordings.pms",
        "--max-input-size",
        "100",
    ]);
    assert!(stderr(&out).contains("E1021"), "{}", stderr(&out));
    let out = pms(&[
        "validate",
        "examples/mimoto/records.yaml",
        "--max-input-size",
        "lots",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("E3001") && stderr(&out).contains("`lots` is not a size"));
}

#[test]
fn a_directory_error_shows_the_line_of_the_file_read() {
    let d = scratch("lines");
    std::fs::write(d.join("workforce.yaml"), "- id: W1\n  nmae: x\n").unwrap();
    std::fs::write(d.join("notes.txt"), "not records").unwrap();
    let out = pms(&["validate", d.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(err.contains("E1002") && err.contains("nmae: x"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn a_records_directory_is_read_by_entity_names_without_following_links_out() {
    let d = scratch("links");
    std::fs::write(d.join("workforce.yaml"), "[]\n").unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("training_records.yaml")).unwrap();
    std::fs::write(d.join("workfroce.yaml"), "[]\n").unwrap();
    let out = pms(&["validate", d.to_str().unwrap(), "--lang", "en"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("E1020") && err.contains("out of the directory, to `/dev/zero`"),
        "{err}"
    );
    assert!(
        err.contains("E1010") && err.contains("did you mean `workforce`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn progress_is_not_written_when_stderr_is_not_a_terminal() {
    let out = pms(&[
        "check",
        "examples/mimoto/records.yaml",
        "--as-of",
        "2026-03-31",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}
