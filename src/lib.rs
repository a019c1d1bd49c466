//! dlint: a Dockerfile linter and container image size analyzer.
//!
//! Data flows one way: files -> [`dockerfile`] parser -> AST -> [`rules`] -> [`lint`]
//! diagnostics -> [`report`]; archives -> [`image`] layer walker -> per-layer summaries -> report.
#![forbid(unsafe_code)]

pub mod cli;
pub mod dockerfile;
pub mod error;
pub mod image;
pub mod lint;
pub mod report;
pub mod rules;
pub mod shell;

pub use error::{Error, Result};
