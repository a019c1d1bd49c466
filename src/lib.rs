//! dlint: a Dockerfile linter and container image size analyzer.
//!
//! Data flows one way: files -> [`dockerfile`] parser -> AST -> [`rules`] -> [`lint`]
//! diagnostics -> [`report`]; archives -> [`image`] layer walker -> per-layer summaries -> report;
//! both -> [`optimize`] -> report.
#![forbid(unsafe_code)]

pub mod cli;
pub mod dockerfile;
pub mod error;
pub mod explore;
pub mod format;
pub mod hook;
pub mod image;
pub mod lint;
pub mod lsp;
pub mod optimize;
pub mod report;
pub mod rules;
pub mod semantic;
pub mod shell;
pub mod units;

pub use error::{Error, Result};
