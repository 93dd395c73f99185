//! # pms-render
//!
//! Writers of a pms [`Report`](pms_core::Report) in the formats the people around a Privacy
//! Mark company read: HTML and Markdown for managers and wikis, OSCAL for GRC tools, SARIF
//! and JUnit for CI, iCalendar for calendars, the renewal application's summaries, and the
//! difference between two checks.
//!
//! ```text
//! Report (JSON, the source) ─▶ one renderer per format ─▶ bytes
//! ```
//!
//! Every format is rendered from the report's JSON form, so a format built from a saved
//! JSON report equals the one built from the run. This crate is a layer beside the core,
//! shared by the CLI, Python and WebAssembly; like the core it does no I/O.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod oscal;
pub mod sarif;
