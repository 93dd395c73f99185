//! Integration tests: the sample company, golden reports, the conformance cases under the
//! workspace's `tests/`, diagnostic snapshots and properties.
//!
//! Set `UPDATE_GOLDEN=1` to rewrite golden files after an intended change, then review the diff.

mod common;
mod conformance;
mod diagnostics;
mod properties;
mod sample;
