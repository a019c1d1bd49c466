//! The one LEB128 (unsigned varint) encoding of the packed layer entries ([`super::walk`])
//! and the layer-cache entries ([`super::cache`]): writers, and a bounds-checked reader.

/// Appends `v` as an unsigned LEB128 varint.
pub(crate) fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Appends `s` as its length (varint) then its bytes.
pub(crate) fn put_str(buf: &mut Vec<u8>, s: &str) {
    put_varint(buf, s.len() as u64);
    buf.extend_from_slice(s.as_bytes());
}

/// Reads what [`put_varint`] and [`put_str`] wrote; every read is `None` past the end or on a
/// malformed value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader<'a> {
    /// The bytes not read yet.
    pub rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { rest: buf }
    }

    /// One byte.
    pub(crate) fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    /// One varint (at most 10 bytes).
    pub(crate) fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// One length-prefixed UTF-8 string.
    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.varint()?).ok()?;
        let (s, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        std::str::from_utf8(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_input() {
        let mut b = Vec::new();
        for v in [0, 1, 127, 128, 300, u64::MAX] {
            put_varint(&mut b, v);
        }
        put_str(&mut b, "usr/lib");
        let mut r = Reader::new(&b);
        for v in [0, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.varint(), Some(v));
        }
        assert_eq!(r.str(), Some("usr/lib"));
        assert!(r.rest.is_empty() && r.byte().is_none());
        // truncated, overlong, a length past the end, invalid UTF-8
        assert_eq!(Reader::new(&[0x80]).varint(), None);
        assert_eq!(Reader::new(&[0xff; 11]).varint(), None);
        assert_eq!(Reader::new(&[5, b'a']).str(), None);
        assert_eq!(Reader::new(&[1, 0xff]).str(), None);
    }
}
