//! Writing a command's text to stdout: a closed pipe (`dlint rules | head`) ends the output
//! quietly instead of panicking as `print!` does.

use std::io::Write;
use std::path::PathBuf;

/// Writes `text` to stdout and flushes; a broken pipe is not an error.
pub fn print_stdout(text: &str) -> crate::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(crate::Error::Io {
            path: PathBuf::from("<stdout>"),
            source: e,
        }),
        _ => Ok(()),
    }
}
