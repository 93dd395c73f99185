//! Internal errors in WebAssembly. The module is built with `panic = "abort"`, so a panic (a
//! bug in pms) cannot be caught inside it: the panic hook installed at start hands the panic
//! message to JavaScript as an exception named `PmsPanic`, and the JS wrapper of the package
//! (`index.js`, written by `scripts/wasm-wrapper.mjs`) re-instantiates the module and throws
//! an `InternalError` (`E9001`) naming the input, built by [`internal_error`] so that its
//! text and shape are those of the CLI's and Python's.

use crate::Failure;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    static TEST_PANIC: Cell<bool> = const { Cell::new(false) };
}

/// Installs the panic hook when the module is instantiated (again after each recovery).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let err = js_sys::Error::new(&info.to_string());
        err.set_name("PmsPanic");
        // Leaves the instance by a JS exception: the wrapper replaces the instance.
        wasm_bindgen::throw_val(err.into());
    }));
}

/// The internal error (`E9001`) for a failure of pms while it handled `input`, as the CLI and
/// Python report it. For the JS wrapper only.
#[wasm_bindgen(js_name = "__pmsInternalError", skip_typescript)]
pub fn internal_error(input: &str, why: &str) -> JsValue {
    Failure {
        kind: "internal",
        diags: vec![pms_core::ffi::internal_error(input, why)],
        sources: Vec::new(),
    }
    .into()
}

/// The test hook of internal errors (the counterpart of the CLI's and Python's
/// `PMS_INTERNAL_TEST_PANIC`): the next check of this instance panics. Internal, not part of
/// the API, absent from the typings; never call it otherwise.
#[wasm_bindgen(js_name = "__pmsInternalTestPanic", skip_typescript)]
pub fn arm_test_panic() {
    TEST_PANIC.with(|armed| armed.set(true));
}

/// Panics when the test hook was armed: the deliberate internal failure of the tests.
pub(crate) fn test_panic() {
    if TEST_PANIC.with(Cell::take) {
        #[allow(
            clippy::panic,
            reason = "the deliberate failure that the JS wrapper must catch"
        )]
        {
            panic!("__pmsInternalTestPanic was called: a deliberate internal error");
        }
    }
}
