//! The JSON form of a report, written as it is produced: the text of
//! `serde_json::to_string_pretty(report)`, byte for byte, without building it first.
//!
//! A large report is mostly findings (a company of 100,000 staff: several hundred
//! thousand of them, hundreds of megabytes). They are rendered in chunks, the chunks of
//! a batch on one thread per core, each into a buffer of its own, and the buffers are
//! written in order: the text does not depend on the threads. The rest of the report is
//! small and written on the calling thread. Every value is serialised by `serde_json`
//! (with the derived `Serialize`); this module only lays out the report's top level and
//! writes each value with the pretty printer's layout at the depth it has in the report.

use super::Report;
use serde::Serialize;
use std::io::{self, Write};

/// Findings rendered per chunk.
const CHUNK: usize = 2048;

/// Reports with fewer findings than this are written on the calling thread.
const MIN_FINDINGS_FOR_THREADS: usize = 8192;

/// How a report's findings are rendered: the findings per chunk and the threads.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    pub(crate) chunk: usize,
    pub(crate) threads: usize,
}

impl Layout {
    /// One thread per core for a large report, else the calling thread.
    pub(crate) fn for_findings(findings: usize) -> Layout {
        let threads = if findings < MIN_FINDINGS_FOR_THREADS {
            1
        } else {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        };
        Layout {
            chunk: CHUNK,
            threads,
        }
    }
}

/// `serde_json`'s pretty layout (two spaces per level) starting `depth` levels deep: a
/// value written with it is the text the pretty printer gives it at that depth inside a
/// larger document.
struct PrettyAt {
    depth: usize,
    has_value: bool,
}

impl PrettyAt {
    fn new_line<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        const SPACES: [u8; 64] = [b' '; 64];
        out.write_all(b"\n")?;
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            out.write_all(SPACES.get(..k).unwrap_or_default())?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: Write + ?Sized>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: Write + ?Sized>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.new_line(out)?;
        }
        out.write_all(bracket)
    }

    fn item<W: Write + ?Sized>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.new_line(out)
    }
}

impl serde_json::ser::Formatter for PrettyAt {
    fn begin_array<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: Write + ?Sized>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: Write + ?Sized>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: Write + ?Sized>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: Write + ?Sized>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` pretty-printed as it appears `depth` levels deep.
fn value_at<W: Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    depth: usize,
    value: &T,
) -> io::Result<()> {
    let formatter = PrettyAt {
        depth,
        has_value: false,
    };
    value
        .serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
        .map_err(io::Error::from)
}

/// The text of findings, each as an element of the report's `findings` list: a line
/// break and its indentation before each, a comma between them (`first`: no comma before
/// the first of these).
fn findings_text(findings: &[super::Finding], first: bool) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(findings.len() * 1536);
    for (k, f) in findings.iter().enumerate() {
        if k > 0 || !first {
            out.push(b',');
        }
        out.extend_from_slice(b"\n    ");
        value_at(&mut out, 2, f)?;
    }
    Ok(out)
}

/// Writes `report` as `serde_json::to_string_pretty` writes it.
pub(crate) fn write<W: Write + ?Sized>(
    report: &Report,
    out: &mut W,
    layout: Layout,
) -> io::Result<()> {
    /// Top-level fields, each on a line of its own.
    fn field<W: Write + ?Sized, T: Serialize + ?Sized>(
        out: &mut W,
        key: &str,
        value: &T,
    ) -> io::Result<()> {
        out.write_all(b",\n  ")?;
        value_at(out, 1, key)?;
        out.write_all(b": ")?;
        value_at(out, 1, value)
    }
    let r = report;
    out.write_all(b"{\n  \"format\": ")?;
    value_at(out, 1, &r.format)?;
    field(out, "as_of", &r.as_of)?;
    field(out, "edition", &r.edition)?;
    field(out, "lang", &r.lang)?;
    field(out, "organization", &r.organization)?;
    field(out, "pms_year_start", &r.pms_year_start)?;
    field(out, "summary", &r.summary)?;
    field(out, "phases", &r.phases)?;
    field(out, "clauses", &r.clauses)?;
    field(out, "coverage", &r.coverage)?;
    out.write_all(b",\n  \"findings\": ")?;
    write_findings(&r.findings, out, layout)?;
    field(out, "root_causes", &r.root_causes)?;
    field(out, "deadlines", &r.deadlines)?;
    field(out, "records", &r.records)?;
    if !r.locations.is_empty() {
        field(out, "locations", &r.locations)?;
    }
    out.write_all(b"\n}")
}

/// The `findings` list: chunks rendered a batch at a time (one chunk per thread and one
/// more each, so a thread rarely waits), written in order.
fn write_findings<W: Write + ?Sized>(
    findings: &[super::Finding],
    out: &mut W,
    layout: Layout,
) -> io::Result<()> {
    if findings.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let chunks: Vec<&[super::Finding]> = findings.chunks(layout.chunk.max(1)).collect();
    let threads = layout.threads.max(1);
    let mut first = true;
    for batch in chunks.chunks(threads * 2) {
        let texts = crate::workers::map(
            batch,
            threads,
            || (),
            |_, k, fs| findings_text(fs, first && k == 0),
        );
        for text in texts {
            out.write_all(&text?)?;
        }
        first = false;
    }
    out.write_all(b"\n  ]")
}

#[cfg(test)]
mod tests {
    use super::{write, Layout};

    /// The sample company's report with every finding (passed ones too) and its
    /// locations: written in small chunks on several threads, it is the derived
    /// serialisation's text.
    #[test]
    fn same_text_as_the_derived_serialisation_whatever_the_chunks_and_threads() {
        let report = crate::report::tests::sample_report();
        assert!(report.findings.len() > 10, "{}", report.findings.len());
        assert!(!report.locations.is_empty() && !report.deadlines.is_empty());
        assert!(report.findings.iter().any(|f| !f.values.is_empty()));
        assert!(report.findings.iter().any(|f| f.department.is_some()));
        let expected = serde_json::to_string_pretty(&report).unwrap_or_default();
        for (chunk, threads) in [(1, 1), (1, 3), (3, 2), (7, 4), (10_000, 1), (5, 16)] {
            let mut out = Vec::new();
            write(&report, &mut out, Layout { chunk, threads }).unwrap_or_default();
            assert_eq!(
                String::from_utf8(out).unwrap_or_default(),
                expected,
                "chunk {chunk}, threads {threads}"
            );
        }
    }

    #[test]
    fn an_empty_report_too() {
        let mut report = crate::report::tests::sample_report();
        report.findings.clear();
        report.locations.clear();
        report.deadlines.clear();
        let expected = serde_json::to_string_pretty(&report).unwrap_or_default();
        let mut out = Vec::new();
        write(
            &report,
            &mut out,
            Layout {
                chunk: 4,
                threads: 2,
            },
        )
        .unwrap_or_default();
        assert_eq!(String::from_utf8(out).unwrap_or_default(), expected);
    }
}
