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

use super::{Finding, Report};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::Arc;

/// Findings rendered per chunk.
const CHUNK: usize = 1024;

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

/// A field of a finding: `key: value` on a line of its own, as the pretty printer lays out
/// a field of an element of the report's `findings` list (a comma before all but the first).
fn finding_field<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    first: bool,
    key: &str,
    value: &T,
) -> io::Result<()> {
    if !first {
        out.push(b',');
    }
    out.extend_from_slice(b"\n      ");
    value_at(out, 3, key)?;
    out.extend_from_slice(b": ");
    value_at(out, 3, value)
}

/// The text of the fields a rule gives all its findings, rendered once and copied into each
/// finding of the rule: the rule's id to its basis (title, clause, 指針 number,
/// classification), and its fix when the rule's findings share it.
#[derive(Default)]
struct RuleTexts<'a> {
    /// The finding `head` was rendered from.
    head_of: Option<&'a Finding>,
    /// `"rule_id"` to `"basis"`, each field with the comma and line break before it.
    head: Vec<u8>,
    /// The finding `fix` was rendered from.
    fix_of: Option<&'a Finding>,
    /// `"fix": {…}`, with the comma and line break before it.
    fix: Vec<u8>,
}

impl<'a> RuleTexts<'a> {
    fn head(&mut self, f: &'a Finding) -> io::Result<&[u8]> {
        let same = self.head_of.is_some_and(|g| {
            Arc::ptr_eq(&g.title, &f.title)
                && g.rule_id == f.rule_id
                && g.clause == f.clause
                && g.clause_unverified == f.clause_unverified
                && g.shishin == f.shishin
                && g.phase == f.phase
                && g.severity == f.severity
                && g.basis == f.basis
        });
        if !same {
            let out = &mut self.head;
            out.clear();
            finding_field(out, false, "rule_id", &f.rule_id)?;
            finding_field(out, false, "title", &f.title)?;
            finding_field(out, false, "clause", &f.clause)?;
            finding_field(out, false, "clause_unverified", &f.clause_unverified)?;
            finding_field(out, false, "shishin", &f.shishin)?;
            finding_field(out, false, "phase", &f.phase)?;
            finding_field(out, false, "severity", &f.severity)?;
            finding_field(out, false, "basis", &f.basis)?;
            self.head_of = Some(f);
        }
        Ok(&self.head)
    }

    fn fix(&mut self, f: &'a Finding) -> io::Result<&[u8]> {
        if !self.fix_of.is_some_and(|g| Arc::ptr_eq(&g.fix, &f.fix)) {
            self.fix.clear();
            finding_field(&mut self.fix, false, "fix", &f.fix)?;
            self.fix_of = Some(f);
        }
        Ok(&self.fix)
    }
}

/// A finding as an element of the report's `findings` list: the derived serialisation's
/// text, with the rule's texts copied from `rule` (see [`RuleTexts`]).
fn finding_text<'a>(out: &mut Vec<u8>, f: &'a Finding, rule: &mut RuleTexts<'a>) -> io::Result<()> {
    out.push(b'{');
    finding_field(out, true, "id", &f.id)?;
    out.extend_from_slice(rule.head(f)?);
    finding_field(out, false, "status", &f.status)?;
    finding_field(out, false, "subject", &f.subject)?;
    finding_field(out, false, "related", &f.related)?;
    finding_field(out, false, "values", &f.values)?;
    finding_field(out, false, "due", &f.due)?;
    finding_field(out, false, "days_overdue", &f.days_overdue)?;
    finding_field(out, false, "completed_on", &f.completed_on)?;
    finding_field(out, false, "message", &f.message)?;
    out.extend_from_slice(rule.fix(f)?);
    finding_field(out, false, "caused_by", &f.caused_by)?;
    if !f.missing.is_empty() {
        finding_field(out, false, "missing", &f.missing)?;
    }
    if let Some(d) = &f.department {
        finding_field(out, false, "department", d)?;
    }
    out.extend_from_slice(b"\n    }");
    Ok(())
}

/// Appends the text of findings to `out`, each as an element of the report's `findings`
/// list: a line break and its indentation before each, a comma between them (`first`: no
/// comma before the first of these).
fn findings_text(out: &mut Vec<u8>, findings: &[Finding], first: bool) -> io::Result<()> {
    let mut rule = RuleTexts::default();
    for (k, f) in findings.iter().enumerate() {
        if k > 0 || !first {
            out.push(b',');
        }
        out.extend_from_slice(b"\n    ");
        finding_text(out, f, &mut rule)?;
    }
    Ok(())
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

/// The `findings` list, rendered chunk by chunk into buffers that are written in order.
fn write_findings<W: Write + ?Sized>(
    findings: &[Finding],
    out: &mut W,
    layout: Layout,
) -> io::Result<()> {
    if findings.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let chunks: Vec<&[Finding]> = findings.chunks(layout.chunk.max(1)).collect();
    let threads = if cfg!(target_family = "wasm") {
        1
    } else {
        layout.threads.min(chunks.len())
    };
    if threads <= 1 || !render_on_threads(&chunks, threads, out)? {
        let mut text = Vec::new();
        for (k, c) in chunks.iter().enumerate() {
            text.clear();
            findings_text(&mut text, c, k == 0)?;
            out.write_all(&text)?;
        }
    }
    out.write_all(b"\n  ]")
}

/// Renders the chunks on `threads` threads while the calling thread writes each finished
/// chunk in order and hands its buffer back for another chunk: writing overlaps rendering,
/// and a few buffers serve the whole list. False (nothing written) when no thread could be
/// started.
fn render_on_threads<W: Write + ?Sized>(
    chunks: &[&[Finding]],
    threads: usize,
    out: &mut W,
) -> io::Result<bool> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Mutex};
    let next = AtomicUsize::new(0);
    let spare: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        // A renderer waits when this many chunks wait to be taken by the writer.
        let (done, finished) = mpsc::sync_channel::<(usize, io::Result<Vec<u8>>)>(threads * 2);
        let mut started = 0;
        for _ in 0..threads {
            let done = done.clone();
            let (next, spare) = (&next, &spare);
            let render = move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(chunk) = chunks.get(k) else { break };
                let mut text = spare
                    .lock()
                    .ok()
                    .and_then(|mut s| s.pop())
                    .unwrap_or_default();
                text.clear();
                let rendered = findings_text(&mut text, chunk, k == 0).map(|()| text);
                if done.send((k, rendered)).is_err() {
                    break;
                }
            };
            if std::thread::Builder::new()
                .spawn_scoped(scope, render)
                .is_ok()
            {
                started += 1;
            }
        }
        drop(done);
        if started == 0 {
            return Ok(false);
        }
        let mut waiting = std::collections::BTreeMap::new();
        let mut written = 0;
        let mut write = || -> io::Result<()> {
            while written < chunks.len() {
                let (k, text) = finished
                    .recv()
                    .map_err(|_| io::Error::other("a thread rendering the report stopped"))?;
                waiting.insert(k, text?);
                while let Some(text) = waiting.remove(&written) {
                    out.write_all(&text)?;
                    written += 1;
                    if let Ok(mut s) = spare.lock() {
                        s.push(text);
                    }
                }
            }
            Ok(())
        };
        let result = write();
        // Renderers still at work stop at their next chunk.
        drop(finished);
        result.map(|()| true)
    })
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

    /// Findings whose rule-level fields change from one to the next (a title or fix of their
    /// own, another rule id, clause or classification under the same title), with and
    /// without the fields the serialisation may leave out: each is written as the derived
    /// serialisation writes it, not with the texts of the finding before.
    #[test]
    fn rule_texts_are_copied_only_between_findings_that_share_them() {
        use crate::program::Texts;
        use std::sync::Arc;
        let mut report = crate::report::tests::sample_report();
        let other = Arc::new(Texts {
            ja: "別の\"題\"".into(),
            en: "Other\ttitle".into(),
        });
        for (k, f) in report.findings.iter_mut().enumerate() {
            match k % 9 {
                1 => f.title = Arc::clone(&other),
                2 => f.rule_id = format!("{}-b", f.rule_id),
                3 => f.clause = None,
                4 => f.shishin = Some("J.9".into()),
                5 => f.fix = Arc::new((*f.fix).clone()),
                6 => {
                    f.fix = Arc::new(Texts {
                        ja: "個別の直し方".into(),
                        en: format!("fix {k}"),
                    });
                    f.clause_unverified = true;
                }
                7 => {
                    f.missing = vec!["department_id".into(), "W-1: start_date".into()];
                    f.department = None;
                    f.caused_by = Some("X-J-02:W-001".into());
                }
                8 => {
                    f.severity = crate::program::Severity::Critical;
                    f.phase = crate::graph::Phase::Act;
                }
                _ => {}
            }
        }
        let expected = serde_json::to_string_pretty(&report).unwrap_or_default();
        for (chunk, threads) in [(1, 1), (4, 2), (10_000, 1), (3, 3)] {
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
