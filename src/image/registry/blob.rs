//! A blob as a `Read` straight from the socket. A connection that breaks (error, or the body
//! ending before its `Content-Length`) is resumed with `Range: bytes=N-`; a registry that
//! ignores the range and sends the whole blob again has its first N bytes skipped. The
//! caller checks the digest of what it read, so a resumed blob is verified like any other.

use super::client::{ATTEMPTS, Body, Client, backoff};
use std::io::{self, Read};
use std::sync::Arc;

/// Streams one blob.
pub(crate) struct BlobReader {
    client: Arc<Client>,
    digest: String,
    body: Option<ureq::BodyReader<'static>>,
    /// Bytes handed out so far.
    pos: u64,
    /// Blob size, from the first answer's `Content-Length`.
    size: Option<u64>,
    /// Resumptions left.
    resumes: u32,
}

fn content_length(r: &ureq::http::Response<Body>) -> Option<u64> {
    r.headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Start offset of a 206 answer's `Content-Range: bytes START-END/TOTAL`.
fn range_start(r: &ureq::http::Response<Body>) -> Option<u64> {
    let v = r.headers().get("content-range")?.to_str().ok()?;
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    rest.split('-').next()?.trim().parse().ok()
}

impl BlobReader {
    /// Opens `digest`; the first request happens here so that a missing blob or a refused
    /// authentication fails before any byte is read.
    pub(crate) fn open(client: Arc<Client>, digest: &str) -> Result<(BlobReader, u64), String> {
        let r = client
            .get(
                &format!("blobs/{digest}"),
                &format!("blob {digest}"),
                None,
                0,
            )
            .map_err(|f| f.message)?;
        let size = content_length(&r);
        let reader = BlobReader {
            client,
            digest: digest.to_string(),
            body: Some(r.into_body().into_reader()),
            pos: 0,
            size,
            resumes: ATTEMPTS - 1,
        };
        Ok((reader, size.unwrap_or(0)))
    }

    /// Asks for the rest of the blob from `self.pos`.
    fn resume(&mut self, why: &str) -> io::Result<()> {
        self.body = None;
        if self.resumes == 0 {
            return Err(io::Error::other(format!(
                "{}: blob {}: connection lost at byte {} ({why}), {} attempts made",
                self.client.describe(),
                self.digest,
                self.pos,
                ATTEMPTS
            )));
        }
        self.resumes -= 1;
        std::thread::sleep(backoff(ATTEMPTS - 1 - self.resumes, None));
        let what = format!("blob {} from byte {}", self.digest, self.pos);
        let r = self
            .client
            .get(&format!("blobs/{}", self.digest), &what, None, self.pos)
            .map_err(|f| io::Error::other(f.message))?;
        let start = (r.status().as_u16() == 206)
            .then(|| range_start(&r))
            .flatten();
        let partial = r.status().as_u16() == 206;
        let mut body = r.into_body().into_reader();
        if partial && start.is_none() {
            return Err(io::Error::other(format!(
                "{}: blob {}: partial answer without a valid Content-Range",
                self.client.describe(),
                self.digest
            )));
        }
        match start {
            Some(s) if s == self.pos => {}
            Some(s) => {
                return Err(io::Error::other(format!(
                    "{}: blob {}: asked for bytes from {} but the registry sent from {s}",
                    self.client.describe(),
                    self.digest,
                    self.pos
                )));
            }
            None => {
                // the whole blob again: skip what was already read
                let skipped = io::copy(&mut (&mut body).take(self.pos), &mut io::sink())?;
                if skipped != self.pos {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "blob shorter than before",
                    ));
                }
            }
        }
        self.body = Some(body);
        Ok(())
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let Some(body) = self.body.as_mut() else {
                self.resume("no connection")?;
                continue;
            };
            match body.read(buf) {
                Ok(0) => {
                    if let Some(size) = self.size
                        && self.pos < size
                    {
                        self.resume("the body ended early")?;
                        continue;
                    }
                    return Ok(0);
                }
                Ok(n) => {
                    self.pos += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let why = e.to_string();
                    self.resume(&why)?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range() {
        let r = ureq::http::Response::builder()
            .header("content-range", "bytes 100-199/200")
            .header("content-length", "100")
            .body(())
            .unwrap();
        let (parts, ()) = r.into_parts();
        let r = ureq::http::Response::from_parts(parts, Body::builder().data(Vec::<u8>::new()));
        assert_eq!(range_start(&r), Some(100));
        assert_eq!(content_length(&r), Some(100));
    }
}
