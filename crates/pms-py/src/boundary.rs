//! The input bounds of a Python call: the maximum input size and the progress callback,
//! translated to the core's [`Limits`] and [`Progress`].

use pms_core::input::{self, Event, Limits, Progress};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// What a call may read and whom it tells of its progress.
pub(crate) struct Bounds {
    pub(crate) limits: Limits,
    pub(crate) progress: Option<Progress>,
}

impl Bounds {
    /// The bounds of `max_input_size` (`None`: the default, 0: none) and a Python callable
    /// called with one dict per event.
    pub(crate) fn new(max_input_size: Option<u64>, progress: Option<Py<PyAny>>) -> Bounds {
        Bounds {
            limits: max_input_size
                .map_or_else(Limits::default, |max_input_size| Limits { max_input_size }),
            progress: progress.map(|cb| Progress::new(move |e| call(&cb, e))),
        }
    }
}

/// Calls the Python callback with an event as a dict; an exception it raises is reported as
/// unraisable (like an exception in `__del__`) and the work goes on.
fn call(cb: &Py<PyAny>, e: &Event) {
    Python::attach(|py| {
        let d = PyDict::new(py);
        let filled = match e {
            Event::Reading {
                file,
                index,
                count,
                bytes,
            } => d
                .set_item("event", "reading")
                .and_then(|()| d.set_item("file", file))
                .and_then(|()| d.set_item("index", index))
                .and_then(|()| d.set_item("count", count))
                .and_then(|()| d.set_item("bytes", bytes)),
            Event::Records { loaded } => d
                .set_item("event", "records")
                .and_then(|()| d.set_item("loaded", loaded)),
            Event::Rules { done, total } => d
                .set_item("event", "rules")
                .and_then(|()| d.set_item("done", done))
                .and_then(|()| d.set_item("total", total)),
        };
        if let Err(err) = filled.and_then(|()| cb.call1(py, (d,)).map(drop)) {
            err.write_unraisable(py, None);
        }
    });
}

/// Reads a rule file through the core's bounded reader (regular files only, at most
/// `max_input_size` bytes).
#[pyfunction]
#[pyo3(signature = (path, max_input_size=None))]
pub(crate) fn read_rule_file(path: &str, max_input_size: Option<u64>) -> PyResult<String> {
    let limits = Bounds::new(max_input_size, None).limits;
    input::read_text(std::path::Path::new(path), "rule", limits).map_err(|d| {
        crate::Failure {
            kind: "rules",
            diags: vec![*d],
            sources: Vec::new(),
        }
        .into()
    })
}
