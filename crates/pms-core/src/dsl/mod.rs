//! The rule language: grammar (`grammar.pest`), syntax tree and lowering from pest pairs.

pub mod ast;
pub mod fmt;
pub mod lower;
pub mod nesting;
