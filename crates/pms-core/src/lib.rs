//! # pms-core
//!
//! The engine of pms, a JIS Q 15001 / Privacy Mark gap checker: a company's records in,
//! explained gaps out.
//!
//! ```text
//! rule text ─pest─▶ AST ─check─▶ compiled rules ─PDCA graph─▶ Program (immutable, Send + Sync)
//! record files ─parse─▶ JSON value ─validate─▶ RecordSet                 │
//!                                                     └──── evaluate ◀───┘──▶ Report
//! ```
//!
//! Entry points: [`Program::compile`], [`records::load_path`] (or [`records::load_str`],
//! [`records::load_json`]), [`evaluate`], and the JSON-shaped surface in [`ffi`] that the
//! Python and WebAssembly bindings expose unchanged.
//!
//! A failed compliance rule is a [`Finding`] inside the [`Report`]; `Err` carries
//! [`Diagnostic`]s for bad input (records, rules, options), each with a stable code and a
//! location.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod batch;
pub mod calendar;
pub mod cases;
pub mod check;
pub mod diagnostic;
pub mod dsl;
pub mod eval;
pub mod ffi;
pub mod graph;
pub mod input;
pub mod jsonschema;
pub mod labels;
pub mod limits;
pub mod program;
pub mod records;
pub mod report;
pub mod schema;
pub mod sorting;
#[cfg(test)]
mod testing;
pub mod text;
pub mod value;
mod workers;

pub use diagnostic::{Diagnostic, Level, Location};
pub use dsl::ast::Lang;
pub use eval::{evaluate, Columnar, Options};
pub use program::{Program, Rule, Severity, Source};
pub use records::RecordSet;
pub use report::{Finding, Report, Status};
