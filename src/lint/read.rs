//! Reading a Dockerfile: its bytes from a file or stdin, decoded as UTF-8. Failures become
//! DL1002 `unreadable-file` findings (see [`unreadable`]) so every report format carries them.

use super::diagnostic::{Diagnostic, Severity};
use super::registry::{UNREADABLE_FILE_ID, UNREADABLE_FILE_NAME};
use crate::dockerfile::Span;
use crate::{Error, Result};
use std::io::Read;
use std::path::Path;

/// A file's text as linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text; invalid UTF-8 sequences are replaced by U+FFFD.
    pub text: String,
    /// The first invalid sequence, if any.
    pub invalid: Option<InvalidUtf8>,
}

/// Where a file stops being UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Byte offset of the first invalid byte, in the file and in [`Decoded::text`] (the text
    /// before it is unchanged).
    pub offset: usize,
    /// The byte itself.
    pub byte: u8,
}

/// Reads the whole file (`-` is stdin).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let res = if path.as_os_str() == super::discover::STDIN {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    res.map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(bytes)
}

/// Bytes of a file's start looked at to tell a binary file from a text one.
const SNIFF_BYTES: usize = 8 << 10;

/// The error for a file that is binary, not text (a NUL byte in its first 8 KiB, as git and
/// grep tell them apart), with a hint of what it looks like: an image archive gets the command
/// that reads one. `None` for text.
pub fn not_text(path: &Path, bytes: &[u8]) -> Option<Error> {
    let head = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
    let tar = bytes.get(257..262) == Some(b"ustar");
    let compressed = [&b"\x1f\x8b"[..], b"\x28\xb5\x2f\xfd", b"PK\x03\x04"]
        .iter()
        .any(|magic| head.starts_with(magic));
    if !tar && !compressed && !head.contains(&0) {
        return None;
    }
    let hint = if tar || compressed {
        format!(
            "looks like an image archive: did you mean `dlint image {}`?",
            path.display()
        )
    } else {
        "it holds NUL bytes (a binary file)".to_string()
    };
    Some(Error::NotText {
        path: path.to_path_buf(),
        hint,
    })
}

/// Decodes bytes as UTF-8, replacing invalid sequences and remembering the first one.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            invalid: None,
        },
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let byte = e.as_bytes().get(offset).copied().unwrap_or(0);
            Decoded {
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                invalid: Some(InvalidUtf8 { offset, byte }),
            }
        }
    }
}

impl InvalidUtf8 {
    /// The error for `path` whose decoded text is `text`, with a 1-based line and column
    /// (in characters) of the bad byte.
    pub fn error(&self, path: &Path, text: &str) -> Error {
        let before = text.get(..self.offset).unwrap_or("");
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
        Error::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
            column,
            byte: self.byte,
        }
    }

    /// Span of the replacement character in the decoded text.
    pub fn span(&self) -> Span {
        Span::new(self.offset, self.offset + '\u{fffd}'.len_utf8())
    }
}

/// The DL1002 finding for a file that could not be read (`span` 0..0) or is not UTF-8.
pub fn unreadable(error: &Error, span: Span) -> Diagnostic {
    let message = match error {
        Error::Io { source, .. } => format!("cannot read the file: {source}"),
        Error::NotText { hint, .. } => format!("not a text file; {hint}"),
        Error::InvalidUtf8 { byte, .. } => format!(
            "the file is not UTF-8 (byte 0x{byte:02x}); it was linted with the bad bytes \
             replaced by U+FFFD"
        ),
        other => other.to_string(),
    };
    Diagnostic {
        rule: UNREADABLE_FILE_ID,
        name: UNREADABLE_FILE_NAME,
        severity: Severity::Error,
        message,
        span,
        fix: None,
    }
}

/// Reads `path` strictly: an unreadable, binary or non-UTF-8 file is an error (for commands that
/// would otherwise rewrite or print text that is not the file's).
pub fn read_utf8(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    if let Some(e) = not_text(path, &bytes) {
        return Err(e);
    }
    let decoded = decode(bytes);
    match decoded.invalid {
        Some(bad) => Err(bad.error(path, &decoded.text)),
        None => Ok(decoded.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let d = decode(b"FROM a\nRUN \xe9t\xff\n".to_vec());
        let bad = d.invalid.expect("invalid");
        assert_eq!(bad.offset, 11);
        assert_eq!(bad.byte, 0xe9);
        assert_eq!(&d.text[bad.span().start..bad.span().end], "\u{fffd}");
        let e = bad.error(Path::new("Dockerfile"), &d.text);
        assert_eq!(e.to_string(), "Dockerfile:2:5: not valid UTF-8 (byte 0xe9)");
        assert_eq!(unreadable(&e, bad.span()).rule, "DL1002");
    }

    #[test]
    fn binary_files_are_not_text() {
        let p = Path::new("img.tar");
        let mut tar = vec![0u8; 1024];
        tar[257..262].copy_from_slice(b"ustar");
        let e = not_text(p, &tar).expect("a tar archive").to_string();
        assert!(e.contains("did you mean `dlint image img.tar`"), "{e}");
        assert!(not_text(p, b"\x1f\x8b\x08\0").is_some());
        let e = not_text(p, b"FROM a\0").expect("a NUL byte").to_string();
        assert!(e.contains("NUL") && !e.contains("dlint image"), "{e}");
        assert!(not_text(p, "FROM a\nRUN \u{e9}\n".as_bytes()).is_none());
    }

    #[test]
    fn valid_utf8_is_unchanged() {
        let d = decode("FROM a\nRUN é\n".as_bytes().to_vec());
        assert_eq!(d.text, "FROM a\nRUN é\n");
        assert_eq!(d.invalid, None);
    }
}
