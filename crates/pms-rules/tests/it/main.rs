//! Integration tests: the sample company, golden reports, the conformance cases under the
//! workspace's `tests/`, diagnostic snapshots and properties.
//!
//! Set `UPDATE_GOLDEN=1` to rewrite golden files after an intended change, then review the diff.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod boundaries;
mod clean;
mod columnar;
mod common;
mod conformance;
mod diagnostics;
mod docs;
mod fmt;
mod hostile;
mod ledgers;
mod parts;
mod properties;
mod render;
mod sample;
