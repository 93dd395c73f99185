//! `PMS_TIMINGS=1`: where the time of `pms check` goes, on stderr at the end of the run, one
//! line per phase (rules compiled, records loaded, rules evaluated, report assembled, report
//! written): wall seconds and, on Linux, the process's CPU seconds (user + system of every
//! thread, from `/proc/self/stat`, 10 ms resolution) spent in it. For benchmarks
//! (docs/benchmarks.md); nothing is measured or printed without the variable.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// A phase's end: its name, when, and the process's CPU time then (seconds, if known).
struct Mark {
    phase: &'static str,
    at: Instant,
    cpu: Option<f64>,
}

/// The marks of this run, when `PMS_TIMINGS` is set (non-empty, not `0`).
fn marks() -> Option<&'static Mutex<Vec<Mark>>> {
    static MARKS: OnceLock<Option<Mutex<Vec<Mark>>>> = OnceLock::new();
    MARKS
        .get_or_init(|| {
            let on = std::env::var_os("PMS_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
            on.then(|| {
                Mutex::new(vec![Mark {
                    phase: "start",
                    at: Instant::now(),
                    cpu: cpu_seconds(),
                }])
            })
        })
        .as_ref()
}

/// Starts the clock (the first call of [`marks`]), when timings are asked for.
pub fn start() {
    let _ = marks();
}

/// Whether timings are asked for.
pub fn on() -> bool {
    marks().is_some()
}

/// Notes that `phase` ended now.
pub fn mark(phase: &'static str) {
    if let Some(m) = marks() {
        let mark = Mark {
            phase,
            at: Instant::now(),
            cpu: cpu_seconds(),
        };
        if let Ok(mut m) = m.lock() {
            m.push(mark);
        }
    }
}

/// Prints the phases on stderr: wall and CPU seconds of each, then the total.
pub fn print() {
    let Some(m) = marks() else { return };
    let Ok(m) = m.lock() else { return };
    let (Some(first), Some(last)) = (m.first(), m.last()) else {
        return;
    };
    let line = |phase: &str, from: &Mark, to: &Mark| {
        let wall = to.at.duration_since(from.at).as_secs_f64();
        match (from.cpu, to.cpu) {
            (Some(a), Some(b)) => eprintln!(
                "pms timings: {phase:<10} {wall:>8.3} s wall {:>8.2} s CPU",
                b - a
            ),
            _ => eprintln!("pms timings: {phase:<10} {wall:>8.3} s wall"),
        }
    };
    for pair in m.windows(2) {
        if let [from, to] = pair {
            line(to.phase, from, to);
        }
    }
    line("total", first, last);
}

/// User + system CPU seconds of the whole process so far (Linux), from `/proc/self/stat`.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name in parentheses: state is field 3, utime 14, stime 15.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    // Clock ticks of 1/100 s (USER_HZ on Linux).
    Some((utime + stime) / 100.0)
}

/// The progress callback to give the evaluation: `inner`, and when timings are asked for,
/// one that notes the end of the evaluation (the last rule done; the report is assembled
/// after it).
pub fn progress(inner: Option<pms_core::input::Progress>) -> Option<pms_core::input::Progress> {
    use pms_core::input::{Event, Progress};
    if !on() {
        return inner;
    }
    Some(Progress::new(move |e| {
        if let Event::Rules { done, total } = e {
            if done == total {
                mark("evaluate");
            }
        }
        if let Some(p) = &inner {
            p.emit(e);
        }
    }))
}
