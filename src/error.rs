//! Library-level error type.

use std::path::PathBuf;

/// Errors that end a command with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A Dockerfile that is not UTF-8; `line` and `column` (1-based) locate the first bad byte.
    #[error("{path}:{line}:{column}: not valid UTF-8 (byte 0x{byte:02x})")]
    InvalidUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        byte: u8,
    },
    /// A file given to lint that is binary, not a Dockerfile; `hint` says what it looks like.
    #[error("{path}: not a text file; {hint}")]
    NotText { path: PathBuf, hint: String },
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("{0}")]
    Other(String),
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
