//! Minimal JSON validation for exec-form arguments, mirroring Go's `json.Unmarshal` into
//! `[]interface{}` as BuildKit's `parseJSON` uses it.

/// Outcome of reading an argument string as a JSON array of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// Not valid JSON, or not an array: BuildKit falls back to shell form.
    NotJson,
    /// Valid JSON array with a non-string element: BuildKit rejects the instruction.
    NotStringArray,
    /// `(start, end, value)` of each string literal, offsets relative to the input
    /// (`start..end` includes the quotes).
    Strings(Vec<(usize, usize, String)>),
}

/// Maximum nesting accepted before giving up (Go allows 10000; deeper input is not a
/// realistic Dockerfile and is treated as invalid JSON).
const MAX_DEPTH: usize = 512;

/// Parses `s` as BuildKit does for exec form: leading whitespace is skipped, the text must
/// start with `[` and the whole rest must be one valid JSON value.
pub(crate) fn parse_json_array(s: &str) -> JsonArray {
    let b = s.as_bytes();
    let mut p = JsonParser { b, pos: 0 };
    p.ws();
    if p.peek() != Some(b'[') {
        return JsonArray::NotJson;
    }
    // Validate the whole document first (Go checks validity before decoding).
    let mut elems = Vec::new();
    let mut non_string = false;
    if p.array_top(&mut elems, &mut non_string).is_none() {
        return JsonArray::NotJson;
    }
    p.ws();
    if p.pos != b.len() {
        return JsonArray::NotJson;
    }
    if non_string {
        return JsonArray::NotStringArray;
    }
    JsonArray::Strings(elems)
}

struct JsonParser<'a> {
    b: &'a [u8],
    pos: usize,
}

impl JsonParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// The top-level array: records string elements, flags anything else.
    fn array_top(
        &mut self,
        out: &mut Vec<(usize, usize, String)>,
        non_string: &mut bool,
    ) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            if self.peek() == Some(b'"') {
                let start = self.pos;
                let s = self.string()?;
                out.push((start, self.pos, s));
            } else {
                *non_string = true;
                self.value(1)?;
            }
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'[' => {
                self.pos += 1;
                self.ws();
                if self.eat(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.value(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.pos += 1;
                self.ws();
                if self.eat(b'}').is_some() {
                    return Some(());
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return None;
                    }
                    self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.value(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b'}' => {
                            self.pos += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Option<()> {
        if self.b.get(self.pos..self.pos + lit.len())? == lit {
            self.pos += lit.len();
            Some(())
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.b.get(self.pos..self.pos + 4)?;
        let s = std::str::from_utf8(h).ok()?;
        let v = u32::from_str_radix(s, 16).ok()?;
        if !h.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.pos += 4;
        Some(v)
    }

    /// A string literal starting at `"`; returns the decoded value.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    out.push_str(std::str::from_utf8(&self.b[run_start..self.pos]).ok()?);
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(std::str::from_utf8(&self.b[run_start..self.pos]).ok()?);
                    self.pos += 1;
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                // Surrogate pair; Go substitutes U+FFFD for a lone half.
                                let save = self.pos;
                                if self.b.get(self.pos..self.pos + 2) == Some(b"\\u") {
                                    self.pos += 2;
                                    match self.hex4() {
                                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                            char::from_u32(
                                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                            )
                                        }
                                        _ => {
                                            self.pos = save;
                                            None
                                        }
                                    }
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(ch.unwrap_or('\u{FFFD}'));
                        }
                        _ => return None,
                    }
                    run_start = self.pos;
                }
                0..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        match parse_json_array(s) {
            JsonArray::Strings(v) => v.into_iter().map(|(_, _, s)| s).collect(),
            other => panic!("{s:?}: {other:?}"),
        }
    }

    #[test]
    fn arrays() {
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings("[ \"a\" , \"b\" ]"), ["a", "b"]);
        assert_eq!(
            strings(r#"["\" \\ \/ \b \n \u0000 \u263a"]"#),
            ["\" \\ / \u{8} \n \0 ☺"]
        );
        assert_eq!(strings(r#"["\ud83d\ude00"]"#), ["😀"]);
    }

    #[test]
    fn fallbacks() {
        assert_eq!(parse_json_array("['a']"), JsonArray::NotJson);
        assert_eq!(parse_json_array("[\"a\""), JsonArray::NotJson);
        assert_eq!(parse_json_array("[\"a\"] x"), JsonArray::NotJson);
        assert_eq!(parse_json_array("[\"a\tb\"]"), JsonArray::NotJson);
        assert_eq!(
            parse_json_array("[\"a\", [\"b\"]]"),
            JsonArray::NotStringArray
        );
        assert_eq!(parse_json_array("[1, \"b\"]"), JsonArray::NotStringArray);
        assert_eq!(parse_json_array("[1,]"), JsonArray::NotJson);
        assert_eq!(parse_json_array(&"[".repeat(100_000)), JsonArray::NotJson);
    }

    #[test]
    fn spans_include_quotes() {
        match parse_json_array("[ \"ab\", \"c\"]") {
            JsonArray::Strings(v) => {
                assert_eq!((v[0].0, v[0].1), (2, 6));
                assert_eq!((v[1].0, v[1].1), (8, 11));
            }
            other => panic!("{other:?}"),
        }
    }
}
