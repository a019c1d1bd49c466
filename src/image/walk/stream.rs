//! The byte streams of one layer: the blob, hashed as it is read from the store and decoded,
//! and the uncompressed stream, handed to the tar walker in chunks that are hashed whole as
//! they arrive. The walker skips file contents by seeking forward through the chunks, so the
//! bytes it does not look at are never copied after the decoder wrote them.

use super::Compression;
use sha2::{Digest as _, Sha256};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::sync::mpsc;

/// Size of the read buffer of the blob and of each uncompressed chunk; at most
/// [`CHUNKS_IN_FLIGHT`] chunks travel from a decoding thread to its walker (bounded memory per
/// layer).
pub(super) const CHUNK: usize = 256 << 10;
const CHUNKS_IN_FLIGHT: usize = 4;

/// A stream's hash (when asked for) and size.
pub(super) type Tally = (Option<Sha256>, u64);

/// Reader that hashes (when asked) and counts everything read through it.
pub(super) struct HashReader<'a, R> {
    inner: R,
    sha: Option<Sha256>,
    count: u64,
    progress: Option<&'a indicatif::ProgressBar>,
}

impl<'a, R> HashReader<'a, R> {
    pub(super) fn new(inner: R, hash: bool, progress: Option<&'a indicatif::ProgressBar>) -> Self {
        HashReader {
            inner,
            sha: hash.then(Sha256::new),
            count: 0,
            progress,
        }
    }

    /// The hash (if asked for) and the byte count.
    pub(super) fn tally(self) -> Tally {
        (self.sha, self.count)
    }
}

impl<R: Read> Read for HashReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let (Some(h), Some(b)) = (self.sha.as_mut(), buf.get(..n)) {
            h.update(b);
        }
        self.count += n as u64;
        if let Some(p) = self.progress {
            p.inc(n as u64);
        }
        Ok(n)
    }
}

/// The blob as the decoder reads it: buffered over the hashing reader, so every byte is hashed
/// once, in large reads, whatever the decoder asks for.
pub(super) type Blob<'r, 'a> = BufReader<&'r mut HashReader<'a, Box<dyn Read + Send>>>;

/// The decompressing reader for `compression` over the buffered blob.
fn decoder<'a>(
    compression: Compression,
    comp: &'a mut Blob<'_, '_>,
) -> Result<Box<dyn Read + 'a>, String> {
    Ok(match compression {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(comp)),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(comp).map_err(|e| format!("zstd: {e}"))?,
        ),
        Compression::None => Box::new(comp),
    })
}

/// Reads what follows the compressed stream (still part of the blob digest).
fn drain_blob(comp: &mut Blob<'_, '_>) -> Result<(), String> {
    io::copy(comp, &mut io::sink())
        .map(drop)
        .map_err(|e| format!("read: {e}"))
}

/// Fills `buf` from `r` until it is full or the stream ends; returns the bytes read.
fn fill(r: &mut (impl Read + ?Sized), buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while let Some(rest) = buf.get_mut(n..) {
        if rest.is_empty() {
            break;
        }
        match r.read(rest) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A decoded chunk (buffer, bytes used) or the decoder's error.
type Chunk = io::Result<(Vec<u8>, usize)>;

/// Where the uncompressed chunks come from.
enum Source<'d> {
    /// The decoder, on this thread.
    Decoder(&'d mut dyn Read),
    /// A decoding thread; buffers go back for reuse. The channel closing without an error is
    /// the end of the stream.
    Thread {
        rx: mpsc::Receiver<Chunk>,
        back: mpsc::Sender<Vec<u8>>,
    },
}

/// The uncompressed stream as the tar walker reads it: each chunk is hashed (when asked) whole
/// on arrival; [`Seek`] moves forward over bytes without copying them.
pub(super) struct Plain<'d> {
    src: Source<'d>,
    cur: Vec<u8>,
    len: usize,
    pos: usize,
    /// Bytes consumed (read or skipped): the stream position.
    offset: u64,
    sha: Option<Sha256>,
    count: u64,
}

impl<'d> Plain<'d> {
    fn new(src: Source<'d>, hash: bool) -> Self {
        let cur = match src {
            Source::Decoder(_) => vec![0u8; CHUNK],
            Source::Thread { .. } => Vec::new(),
        };
        Plain {
            src,
            cur,
            len: 0,
            pos: 0,
            offset: 0,
            sha: hash.then(Sha256::new),
            count: 0,
        }
    }

    /// The hash of the stream (if asked for) and its size, as far as it was read.
    fn tally(self) -> Tally {
        (self.sha, self.count)
    }

    /// Takes the next chunk; false at the end of the stream.
    fn refill(&mut self) -> io::Result<bool> {
        let len = match &mut self.src {
            Source::Decoder(dec) => fill(&mut **dec, &mut self.cur)?,
            Source::Thread { rx, back } => match rx.recv() {
                Ok(Ok((next, len))) => {
                    let old = std::mem::replace(&mut self.cur, next);
                    if old.len() == CHUNK {
                        let _ = back.send(old);
                    }
                    len
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => 0,
            },
        };
        if let (Some(h), Some(b)) = (self.sha.as_mut(), self.cur.get(..len)) {
            h.update(b);
        }
        self.count += len as u64;
        (self.len, self.pos) = (len, 0);
        Ok(len > 0)
    }
}

impl Read for Plain<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.len && !self.refill()? {
            return Ok(0);
        }
        let avail = self.cur.get(self.pos..self.len).unwrap_or_default();
        let n = avail.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), avail.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.pos += n;
        self.offset += n as u64;
        Ok(n)
    }
}

impl Seek for Plain<'_> {
    /// Only forward from the current position (how the tar reader skips file contents);
    /// returns the new position. Skipping past the end of the stream is an error.
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let SeekFrom::Current(delta) = to else {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the layer stream only seeks forward",
            ));
        };
        let mut left = u64::try_from(delta).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the layer stream only seeks forward",
            )
        })?;
        while left > 0 {
            if self.pos == self.len && !self.refill()? {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "unexpected EOF during skip",
                ));
            }
            let k =
                usize::try_from(left).map_or(self.len - self.pos, |l| l.min(self.len - self.pos));
            self.pos += k;
            self.offset += k as u64;
            left -= k as u64;
        }
        Ok(self.offset)
    }
}

/// Decodes `comp` on this thread, hands the uncompressed stream to `walk`, then reads the rest
/// of the blob. Returns the uncompressed stream's tally (hashed when `hash_plain`).
pub(super) fn on_this_thread(
    mut comp: Blob<'_, '_>,
    compression: Compression,
    hash_plain: bool,
    walk: impl FnOnce(&mut Plain<'_>) -> Result<(), String>,
) -> Result<Tally, String> {
    let tally = {
        let mut dec = decoder(compression, &mut comp)?;
        let mut plain = Plain::new(Source::Decoder(&mut dec), hash_plain);
        walk(&mut plain)?;
        plain.tally()
    };
    drain_blob(&mut comp)?;
    Ok(tally)
}

/// [`on_this_thread`] with the decoding (and the blob's hashing) on a second thread, so a
/// layer bigger than all the others together still keeps two cores busy.
pub(super) fn on_two_threads(
    mut comp: Blob<'_, '_>,
    compression: Compression,
    hash_plain: bool,
    walk: impl FnOnce(&mut Plain<'_>) -> Result<(), String>,
) -> Result<Tally, String> {
    let (tx, rx) = mpsc::sync_channel::<Chunk>(CHUNKS_IN_FLIGHT);
    let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
    let (decoded, walked) = std::thread::scope(|s| {
        let decoding = s.spawn(move || {
            let mut dec = decoder(compression, &mut comp)?;
            loop {
                let mut buf = back_rx.try_recv().unwrap_or_else(|_| vec![0u8; CHUNK]);
                match fill(&mut dec, &mut buf) {
                    // `tx` is dropped on return: the walker sees the end of the stream
                    Ok(0) => break,
                    Ok(n) => {
                        if tx.send(Ok((buf, n))).is_err() {
                            // not reported: the walker stopped on an error of its own
                            return Err("the walker stopped".to_string());
                        }
                    }
                    Err(e) => {
                        // reported by the walker, which receives it
                        let msg = e.to_string();
                        let _ = tx.send(Err(e));
                        return Err(msg);
                    }
                }
            }
            drop((dec, tx));
            drain_blob(&mut comp)
        });
        let mut plain = Plain::new(Source::Thread { rx, back: back_tx }, hash_plain);
        let walked = walk(&mut plain);
        // dropping the receiver unblocks a decoder still sending
        let tally = plain.tally();
        let decoded = decoding
            .join()
            .unwrap_or_else(|_| Err("the decoding thread panicked".to_string()));
        (decoded, walked.map(|()| tally))
    });
    // the walker's error comes first: it carries the decoder's, named for the compression
    let tally = walked?;
    decoded?;
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeking skips exactly the bytes asked for across chunk borders, hashes every byte once
    /// whether it was read or skipped, refuses to go backward and fails past the end.
    #[test]
    fn plain_seeks_forward_and_hashes_all() {
        let data: Vec<u8> = (0..(CHUNK * 2 + 1000))
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let mut src: &[u8] = &data;
        let mut plain = Plain::new(Source::Decoder(&mut src), true);
        let mut head = [0u8; 10];
        plain.read_exact(&mut head).unwrap();
        assert_eq!(head, data[..10]);
        let skip = CHUNK as u64 + 5;
        assert_eq!(
            plain.seek(SeekFrom::Current(skip as i64)).unwrap(),
            10 + skip
        );
        let mut next = [0u8; 4];
        plain.read_exact(&mut next).unwrap();
        let at = 10 + skip as usize;
        assert_eq!(next, data[at..at + 4]);
        assert!(plain.seek(SeekFrom::Current(-1)).is_err());
        assert!(plain.seek(SeekFrom::Start(0)).is_err());
        let left = (data.len() - at - 4) as i64;
        assert!(plain.seek(SeekFrom::Current(left + 1)).is_err());
        let (sha, n) = plain.tally();
        assert_eq!(n, data.len() as u64);
        assert_eq!(sha.unwrap().finalize(), Sha256::digest(&data));
    }
}
