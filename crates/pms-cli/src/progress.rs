//! Progress on stderr for loads and checks that take more than a second: shown only when
//! stderr is a terminal, and never in CI (`CI` set), with `NO_COLOR` or with `--quiet`.
//!
//! The engine reports [`Event`]s; this module keeps the latest as one status line, and a
//! ticker thread draws it from the first second on, at most four times a second, and erases
//! it when the work is done. Nothing is written to stdout.

use pms_core::input::{show_size, Event, Progress};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long work runs before progress is shown.
const QUIET_START: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// Whether progress may be shown: stderr is a terminal, and neither `--quiet`, `NO_COLOR`
/// (any non-empty value) nor `CI` asks for silence.
fn wanted(quiet: bool) -> bool {
    let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    !quiet && !set("NO_COLOR") && !set("CI") && std::io::stderr().is_terminal()
}

/// The text of the status line for an event (Japanese, then English).
fn status(e: &Event) -> String {
    match e {
        Event::Reading {
            file,
            index,
            count,
            bytes,
        } => format!(
            "pms: 読み込み中 reading {file} ({index}/{count}, {})",
            show_size(*bytes)
        ),
        Event::Records { loaded } => format!("pms: 読み込み中 loading — {loaded} 件 records"),
        Event::Rules { done, total } => {
            format!("pms: 点検中 checking — {done}/{total} ルール rules")
        }
    }
}

struct Shared {
    line: Mutex<Option<String>>,
    stop: AtomicBool,
}

/// A status line on stderr, drawn by a ticker thread; erased when dropped.
pub struct Reporter {
    shared: Arc<Shared>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Reporter {
    /// Starts a reporter, or none when progress is not wanted (see the module docs).
    pub fn start(quiet: bool) -> Option<Reporter> {
        if !wanted(quiet) {
            return None;
        }
        let shared = Arc::new(Shared {
            line: Mutex::new(None),
            stop: AtomicBool::new(false),
        });
        let s = Arc::clone(&shared);
        let ticker = std::thread::Builder::new()
            .name("pms-progress".into())
            .spawn(move || tick(&s))
            .ok()?;
        Some(Reporter {
            shared,
            ticker: Some(ticker),
        })
    }

    /// The callback to hand to the engine.
    pub fn progress(&self) -> Progress {
        let s = Arc::clone(&self.shared);
        Progress::new(move |e| {
            if let Ok(mut line) = s.line.lock() {
                *line = Some(status(e));
            }
        })
    }
}

/// Erases the terminal's current line and returns to its start (ANSI "erase in line"; the
/// line holds Japanese text, whose width in columns is not its length in characters).
const ERASE: &str = "\r\x1b[2K";

fn tick(s: &Shared) {
    let started = std::time::Instant::now();
    let mut drawn: Option<String> = None;
    while !s.stop.load(Ordering::Relaxed) {
        std::thread::park_timeout(TICK);
        if started.elapsed() < QUIET_START || s.stop.load(Ordering::Relaxed) {
            continue;
        }
        let line = s.line.lock().ok().and_then(|l| l.clone());
        if let Some(line) = line {
            if drawn.as_ref() != Some(&line) {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "{ERASE}{line}");
                let _ = err.flush();
                drawn = Some(line);
            }
        }
    }
    if drawn.is_some() {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{ERASE}");
        let _ = err.flush();
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_name_the_step_in_both_languages() {
        let s = status(&Event::Reading {
            file: "workforce.yaml".into(),
            index: 2,
            count: 5,
            bytes: 3 << 20,
        });
        assert_eq!(s, "pms: 読み込み中 reading workforce.yaml (2/5, 3.0 MiB)");
        assert_eq!(
            status(&Event::Rules {
                done: 7,
                total: 111
            }),
            "pms: 点検中 checking — 7/111 ルール rules"
        );
    }

    #[test]
    fn quiet_means_no_reporter() {
        assert!(Reporter::start(true).is_none());
    }
}
