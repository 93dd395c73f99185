//! The report's other formats (crate `pms-render`) for the sample company: golden files, and
//! every format built from the saved JSON report equals the one built from the run.

use crate::common::{check, golden, root, sample};
use pms_core::Lang;
use pms_render::{render, Format, RenderOptions};

fn opts(lang: Lang) -> RenderOptions {
    RenderOptions { lang: Some(lang) }
}

fn text(report: &serde_json::Value, f: Format, lang: Lang) -> String {
    String::from_utf8(render(report, f, &opts(lang)).unwrap()).unwrap()
}

fn run_json() -> serde_json::Value {
    serde_json::to_value(check(&sample(), "2026-03-31")).unwrap()
}

#[test]
fn golden_rendered_reports() {
    let report = run_json();
    for (f, lang, file) in [
        (Format::Html, Lang::Ja, "mimoto.ja.html"),
        (Format::Html, Lang::En, "mimoto.en.html"),
        (Format::Md, Lang::Ja, "mimoto.ja.md"),
        (Format::Md, Lang::En, "mimoto.en.md"),
        (Format::Junit, Lang::Ja, "mimoto.junit.xml"),
        (Format::Ics, Lang::Ja, "mimoto.ics"),
    ] {
        golden(
            &format!("tests/golden/render/{file}"),
            &text(&report, f, lang),
        );
    }
}

#[test]
fn every_format_from_the_saved_json_equals_the_one_from_the_run() {
    let run = check(&sample(), "2026-03-31");
    let from_run = serde_json::to_value(&run).unwrap();
    // The golden JSON report as saved by `pms check --format json` (while goldens are being
    // rewritten, the same text from this run).
    let saved_text = if std::env::var_os("UPDATE_GOLDEN").is_some() {
        run.to_json()
    } else {
        std::fs::read_to_string(root().join("tests/golden/mimoto.json")).unwrap()
    };
    let saved: serde_json::Value = serde_json::from_str(&saved_text).unwrap();
    let mut rendered = 0;
    for f in Format::ALL {
        for lang in [Lang::Ja, Lang::En] {
            let a = render(&from_run, f, &opts(lang));
            let b = render(&saved, f, &opts(lang));
            assert_eq!(
                a, b,
                "{f} ({lang:?}) differs when built from the saved JSON"
            );
            rendered += usize::from(a.is_ok());
        }
    }
    assert!(rendered >= 12, "only {rendered} renderings succeeded");
    // The JSON format itself reproduces the saved report byte for byte.
    assert_eq!(
        render(&saved, Format::Json, &RenderOptions::default()).unwrap(),
        saved_text.trim_end().as_bytes()
    );
}
