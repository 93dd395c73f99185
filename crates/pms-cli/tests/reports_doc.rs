//! The examples of `docs/reports.md` are the CLI's output for the sample company, the same
//! bytes as its goldens (`tests/golden/`, kept by the format tests): each fenced block that
//! follows a `<!-- example: pms ARGS; first N lines -->` comment holds the first N lines of
//! what `pms ARGS` prints (then `…` when there is more); after
//! `<!-- example: pms ARGS; N lines from `TEXT` -->` it holds `…` and the N lines from the
//! first line containing TEXT, so a block can show the part of the output its text describes
//! (one event of a calendar). An argument `@DATE` stands for the sample company's JSON report
//! checked at DATE (for `pms diff`). `UPDATE_GOLDEN=1` rewrites the blocks; otherwise a block
//! that drifted from the output fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What `pms args` prints on stdout (it must succeed), lines ending in `\n`.
fn pms(args: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pms {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n")
}

/// The block of one `example:` spec (`pms ARGS; first N lines` or
/// `pms ARGS; N lines from `TEXT``).
fn excerpt(spec: &str, scratch: &Path) -> String {
    let expected = "expected `pms ARGS; first N lines` or `pms ARGS; N lines from `TEXT``";
    let (command, selection) = spec
        .rsplit_once("; ")
        .unwrap_or_else(|| panic!("`{spec}`: {expected}"));
    let (count, from) = match selection.strip_prefix("first ") {
        Some(rest) => (rest.strip_suffix(" lines"), None),
        None => match selection.split_once(" lines from `") {
            Some((n, text)) => (Some(n), text.strip_suffix('`')),
            None => (None, None),
        },
    };
    let count: usize = count
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("`{spec}`: {expected}"));
    let mut words = command.split_whitespace();
    assert_eq!(words.next(), Some("pms"), "`{spec}`");
    let args: Vec<String> = words
        .map(|w| match w.strip_prefix('@') {
            Some(date) => {
                let path = scratch.join(format!("sample-{date}.json"));
                let report = pms(&[
                    "check".into(),
                    "--as-of".into(),
                    date.into(),
                    "--format".into(),
                    "json".into(),
                ]);
                std::fs::write(&path, report).unwrap();
                path.display().to_string()
            }
            None => w.to_string(),
        })
        .collect();
    let out = pms(&args);
    let mut lines: Vec<&str> = out.lines().collect();
    let skipped = match from {
        Some(text) => lines
            .iter()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("`{spec}`: no line contains `{text}`")),
        None => 0,
    };
    lines.drain(..skipped);
    assert!(lines.len() >= count.min(3), "`{spec}` printed {out:?}");
    let more = lines.len() > count;
    lines.truncate(count);
    let mut block = if skipped > 0 {
        "…\n".to_owned()
    } else {
        String::new()
    };
    block.push_str(&(lines.join("\n") + "\n"));
    if more {
        block.push_str("…\n");
    }
    block
}

/// `doc` with every example block regenerated, and how many there are.
fn regenerate(doc: &str, scratch: &Path) -> (String, usize) {
    let mut out = String::with_capacity(doc.len());
    let mut lines = doc.split_inclusive('\n');
    let mut examples = 0;
    while let Some(line) = lines.next() {
        out.push_str(line);
        let Some(spec) = line
            .trim()
            .strip_prefix("<!-- example: ")
            .and_then(|s| s.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "`{spec}` must be followed by a fenced block"
        );
        out.push_str(fence);
        loop {
            let old = lines
                .next()
                .unwrap_or_else(|| panic!("`{spec}`: unclosed block"));
            if old.trim_end() == "```" {
                break;
            }
        }
        out.push_str(&excerpt(spec, scratch));
        out.push_str("```\n");
        examples += 1;
    }
    (out, examples)
}

#[test]
fn the_examples_of_docs_reports_md_are_the_cli_output() {
    let path = root().join("docs/reports.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let scratch = std::env::temp_dir().join(format!("pms-reports-doc-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let (fresh, examples) = regenerate(&doc, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(examples >= 7, "{examples} examples in docs/reports.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    assert!(
        doc == fresh,
        "docs/reports.md's examples differ from the CLI's output (UPDATE_GOLDEN=1 rewrites them)"
    );
}
