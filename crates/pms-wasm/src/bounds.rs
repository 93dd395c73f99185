//! The input bounds of a JS call: `maxInputSize` (bytes of text read, default 1 GiB, 0: no
//! limit) and `onProgress` (a function called with one event object per step of loading and
//! checking), translated to the core's [`Limits`] and [`Progress`].
//!
//! A JS function cannot cross threads, so the callback of the call in progress is kept in a
//! thread-local for the duration of the call (WebAssembly runs the engine on one thread).

use crate::Failure;
use pms_core::input::{Event, Limits, Progress};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static CALLBACK: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// The bounds of one call; its callback is forgotten when it is dropped.
pub(crate) struct Scope {
    pub(crate) limits: Limits,
    observed: bool,
}

impl Scope {
    /// Reads `maxInputSize` and `onProgress` from an options object (absent: the defaults).
    pub(crate) fn enter(opts: &JsValue) -> Result<Scope, Failure> {
        let mut scope = Scope {
            limits: Limits::default(),
            observed: false,
        };
        if !opts.is_object() {
            return Ok(scope);
        }
        let get = |k: &str| {
            js_sys::Reflect::get(opts, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        };
        let max = get("maxInputSize");
        if !(max.is_undefined() || max.is_null()) {
            match max.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => {
                    // An exact whole number of bytes below 2^53.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let n = n as u64;
                    scope.limits.max_input_size = n;
                }
                _ => {
                    return Err(crate::option_error(
                        "option `maxInputSize` must be a whole number of bytes, 0 or more".into(),
                        "オプション `maxInputSize` は 0 以上の整数（バイト数）にする".into(),
                        "e.g. { maxInputSize: 4 * 1024 ** 3 } (0: no limit)",
                        "例: { maxInputSize: 4 * 1024 ** 3 }（0 は無制限）",
                    ))
                }
            }
        }
        let cb = get("onProgress");
        if !(cb.is_undefined() || cb.is_null()) {
            let Some(f) = cb.dyn_ref::<js_sys::Function>() else {
                return Err(crate::option_error(
                    "option `onProgress` must be a function".into(),
                    "オプション `onProgress` は関数にする".into(),
                    "e.g. { onProgress: (e) => console.log(e.event) }",
                    "例: { onProgress: (e) => console.log(e.event) }",
                ));
            };
            CALLBACK.with(|c| *c.borrow_mut() = Some(f.clone()));
            scope.observed = true;
        }
        Ok(scope)
    }

    /// The callback to hand to the engine, when the call has one.
    pub(crate) fn progress(&self) -> Option<Progress> {
        self.observed.then(|| Progress::new(emit))
    }

    /// Checks the size of a text before it is read.
    pub(crate) fn check(&self, name: &str, len: usize) -> Result<(), Failure> {
        self.limits
            .check(name, u64::try_from(len).unwrap_or(u64::MAX))
            .map_err(|d| Failure {
                kind: "records",
                diags: vec![*d],
                sources: Vec::new(),
            })
    }
}

impl Scope {
    /// Checks the size of a rule file's text before it is compiled.
    pub(crate) fn check_rules(&self, name: &str, len: usize) -> Result<(), Failure> {
        self.check(name, len)
            .map_err(|f| Failure { kind: "rules", ..f })
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        if self.observed {
            CALLBACK.with(|c| *c.borrow_mut() = None);
        }
    }
}

/// Calls the JS callback with an event object; what it throws is ignored (the work goes on).
fn emit(e: &Event) {
    let obj = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), &v);
    };
    #[allow(clippy::cast_precision_loss)] // counts and sizes far below 2^53
    match e {
        Event::Reading {
            file,
            index,
            count,
            bytes,
        } => {
            set("event", "reading".into());
            set("file", file.as_str().into());
            set("index", (*index as f64).into());
            set("count", (*count as f64).into());
            set("bytes", (*bytes as f64).into());
        }
        Event::Records { loaded } => {
            set("event", "records".into());
            set("loaded", (*loaded as f64).into());
        }
        Event::Rules { done, total } => {
            set("event", "rules".into());
            set("done", (*done as f64).into());
            set("total", (*total as f64).into());
        }
    }
    // Taken out first: the callback may call pms again.
    if let Some(f) = CALLBACK.with(|c| c.borrow().clone()) {
        let _ = f.call1(&JsValue::NULL, &obj);
    }
}
