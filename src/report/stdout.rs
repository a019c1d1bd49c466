//! Standard output shared by every subcommand.

/// Standard output for every subcommand: buffered, and a reader that went away (`dlint rules |
/// head -1`) is not an error: once the pipe is closed, the rest of the output is dropped and
/// the command finishes normally with its own exit code.
pub struct Stdout {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    closed: bool,
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Stdout {
    /// Locks stdout for this command.
    pub fn new() -> Self {
        Stdout {
            out: std::io::BufWriter::new(std::io::stdout().lock()),
            closed: false,
        }
    }

    fn swallow<T>(&mut self, r: std::io::Result<T>, done: T) -> std::io::Result<T> {
        match r {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(done)
            }
            r => r,
        }
    }

    /// Flushes, mapping a failure other than a closed pipe to [`crate::Error::Io`].
    pub fn finish(mut self) -> crate::Result<()> {
        use std::io::Write;
        self.flush().map_err(stdout_error)
    }
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.out.write(buf);
        self.swallow(r, buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.out.flush();
        self.swallow(r, ())
    }
}

/// The error for a failed write to stdout.
pub fn stdout_error(source: std::io::Error) -> crate::Error {
    crate::Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

/// Writes bytes to stdout (see [`Stdout`]).
pub fn write_stdout(bytes: &[u8]) -> crate::Result<()> {
    use std::io::Write;
    let mut out = Stdout::new();
    out.write_all(bytes).map_err(stdout_error)?;
    out.finish()
}
