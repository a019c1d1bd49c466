//! Variable expansion with BuildKit's semantics (`frontend/dockerfile/shell/lex.go`):
//! `$VAR`, `${VAR}`, `${VAR:-w}` `${VAR-w}` `${VAR:+w}` `${VAR+w}` `${VAR:?w}` `${VAR?w}`,
//! the pattern forms `${VAR#p}` `${VAR##p}` `${VAR%p}` `${VAR%%p}` `${VAR/p/r}` `${VAR//p/r}`,
//! quotes and the escape character.
//!
//! Scoping (which ARG/ENV values are visible at an instruction) is the semantic layer's
//! (`src/semantic/scope.rs`); [`Env`] is the environment it hands to [`expand`].

use std::collections::HashMap;

/// An expansion failure (BuildKit fails the build with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExpandError(pub String);

/// Result of expanding a word.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expanded {
    /// The word with quotes removed and variables substituted.
    pub value: String,
    /// The word split into fields (after substitution; quoted parts are not split).
    pub words: Vec<String>,
    /// Names that were referenced but not set.
    pub unset: Vec<String>,
}

/// Expands `word` looking variables up with `lookup`; `escape` is the Dockerfile's escape
/// character.
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Expanded, ExpandError> {
    let chars: Vec<char> = word.chars().collect();
    let mut lx = Lexer {
        chars: &chars,
        pos: 0,
        escape,
        lookup,
        unset: Vec::new(),
        depth: 0,
        refs: Vec::new(),
    };
    let (value, words) = lx.until(None, false)?;
    Ok(Expanded {
        value,
        words,
        unset: lx.unset,
    })
}

/// A `$NAME` / `${NAME…}` reference in a word, as BuildKit's lexer reads it (the escape
/// character escapes a `$`, single-quoted text is literal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Byte range of the whole reference in the scanned text.
    pub start: usize,
    pub end: usize,
    /// `${NAME:-default}` and the like: a modifier that supplies a value when unset.
    pub has_default: bool,
}

/// The top-level variable references of `text` (those inside a `${A:-$B}` default are not
/// listed), found by the expansion lexer itself; the scan stops at a syntax error.
pub fn references(text: &str, escape: char) -> Vec<VarRef> {
    let chars: Vec<char> = text.chars().collect();
    // Every name set, so `${X:?}` does not stop the scan.
    let lookup = |_: &str| Some("x".to_string());
    let mut lx = Lexer {
        chars: &chars,
        pos: 0,
        escape,
        lookup: &lookup,
        unset: Vec::new(),
        depth: 0,
        refs: Vec::new(),
    };
    let _ = lx.until(None, false);
    // char index -> byte offset
    let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    offsets.push(text.len());
    let at = |c: usize| offsets.get(c).copied().unwrap_or(text.len());
    lx.refs
        .into_iter()
        .map(|(name, start, end, has_default)| VarRef {
            name,
            start: at(start),
            end: at(end),
            has_default,
        })
        .collect()
}

/// Accumulates whitespace-separated fields like BuildKit's `wordsStruct`.
#[derive(Default)]
struct Fields {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Fields {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }
    fn add_raw_char(&mut self, c: char) {
        self.word.push(c);
        self.in_word = true;
    }
    fn add_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.add_char(c));
    }
    fn add_raw_str(&mut self, s: &str) {
        self.word.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

/// Nesting limit for `${a:-${b:-${c...}}}`, to bound recursion on hostile input.
const MAX_DEPTH: usize = 64;

struct Lexer<'a> {
    chars: &'a [char],
    pos: usize,
    escape: char,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    unset: Vec<String>,
    depth: usize,
    /// Top-level references seen so far: name, char range, has a default (`-`/`+` forms).
    refs: Vec<(String, usize, usize, bool)>,
}

fn fail<T>(msg: impl Into<String>) -> Result<T, ExpandError> {
    Err(ExpandError(msg.into()))
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn get(&mut self, name: &str) -> Option<String> {
        let v = (self.lookup)(name);
        if v.is_none() && !self.unset.iter().any(|n| n == name) {
            self.unset.push(name.to_string());
        }
        v
    }

    /// Processes up to `stop` (consumed) or the end. `raw_escapes` keeps escape characters.
    fn until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), ExpandError> {
        let mut out = String::new();
        let mut fields = Fields::default();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                return Ok((out, fields.finish()));
            }
            match c {
                '$' => {
                    let v = self.dollar()?;
                    out.push_str(&v);
                    fields.add_str(&v);
                }
                '\'' => {
                    let v = self.single_quote()?;
                    out.push_str(&v);
                    fields.add_raw_str(&v);
                }
                '"' => {
                    let v = self.double_quote(raw_escapes)?;
                    out.push_str(&v);
                    fields.add_raw_str(&v);
                }
                _ => {
                    self.pos += 1;
                    if c == self.escape {
                        if raw_escapes {
                            fields.add_raw_char(c);
                            out.push(c);
                        }
                        let Some(n) = self.next() else { break };
                        fields.add_raw_char(n);
                        out.push(n);
                    } else {
                        fields.add_char(c);
                        out.push(c);
                    }
                }
            }
        }
        if let Some(s) = stop {
            return fail(format!(
                "unexpected end of statement while looking for matching {s}"
            ));
        }
        Ok((out, fields.finish()))
    }

    fn single_quote(&mut self) -> Result<String, ExpandError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.next() {
                None => {
                    return fail(
                        "unexpected end of statement while looking for matching single-quote",
                    );
                }
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self, raw_escapes: bool) -> Result<String, ExpandError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => {
                    return fail(
                        "unexpected end of statement while looking for matching double-quote",
                    );
                }
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('$') => {
                    let v = self.dollar()?;
                    out.push_str(&v);
                }
                Some(c) => {
                    self.pos += 1;
                    let mut c = c;
                    if c == self.escape {
                        if raw_escapes {
                            out.push(c);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                self.pos += 1;
                                c = n;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.pos += 1;
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.pos += 1;
                return c.to_string();
            }
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            self.pos += 1;
            name.push(c);
        }
        name
    }

    fn dollar(&mut self) -> Result<String, ExpandError> {
        let start = self.pos;
        self.pos += 1;
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            if self.depth == 0
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                self.refs.push((name.clone(), start, self.pos, false));
            }
            return Ok(self.get(&name).unwrap_or_default());
        }
        self.pos += 1;
        match self.peek() {
            None => return fail("syntax error: missing '}'"),
            Some('{' | '}' | ':') => return fail("syntax error: bad substitution"),
            _ => {}
        }
        if self.depth >= MAX_DEPTH {
            return fail("substitution nested too deeply");
        }
        self.depth += 1;
        let name_start = self.pos;
        let r = self.braced();
        self.depth -= 1;
        if self.depth == 0 && r.is_ok() {
            let name: String = self.chars[name_start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            let op = self
                .chars
                .get(name_start + name.chars().count()..)
                .unwrap_or(&[]);
            let has_default = matches!(op, [':', '-' | '+', ..] | ['-' | '+', ..]);
            if !name.is_empty() {
                self.refs.push((name, start, self.pos, has_default));
            }
        }
        r
    }

    fn braced(&mut self) -> Result<String, ExpandError> {
        let name = self.name();
        let Some(mut op) = self.next() else {
            return fail("syntax error: missing '}'");
        };
        let mut modifier = op.to_string();
        let mut null_is_unset = false;
        match op {
            '}' => return Ok(self.get(&name).unwrap_or_default()),
            '/' => return self.replace(&name),
            ':' => {
                null_is_unset = true;
                let Some(n) = self.next() else {
                    return fail("syntax error: missing '}'");
                };
                op = n;
                modifier.push(n);
            }
            '+' | '-' | '?' | '#' | '%' => {}
            _ => return fail(format!("unsupported modifier ({modifier}) in substitution")),
        }
        let raw = op == '#' || op == '%';
        let word = match self.until(Some('}'), raw) {
            Ok((w, _)) => w,
            Err(_) if self.peek().is_none() => return fail("syntax error: missing '}'"),
            Err(e) => return Err(e),
        };
        let value = self.get(&name);
        let empty = match &value {
            None => true,
            Some(v) => null_is_unset && v.is_empty(),
        };
        match op {
            '-' => Ok(if empty {
                word
            } else {
                value.unwrap_or_default()
            }),
            '+' => Ok(if empty { String::new() } else { word }),
            '?' => match value {
                None => fail(format!(
                    "{name}: {}",
                    if word.is_empty() {
                        "is not allowed to be unset"
                    } else {
                        &word
                    }
                )),
                Some(v) if null_is_unset && v.is_empty() => fail(format!(
                    "{name}: {}",
                    if word.is_empty() {
                        "is not allowed to be empty"
                    } else {
                        &word
                    }
                )),
                Some(v) => Ok(v),
            },
            '#' | '%' => {
                let value = value.unwrap_or_default();
                let (greedy, pat) = match word.strip_prefix(op) {
                    Some(p) => (true, p),
                    None => (false, word.as_str()),
                };
                let pat = Glob::compile(pat)?;
                Ok(if op == '#' {
                    pat.trim_prefix(&value, greedy).to_string()
                } else {
                    pat.trim_suffix(&value, greedy).to_string()
                })
            }
            _ => fail(format!("unsupported modifier ({modifier}) in substitution")),
        }
    }

    fn replace(&mut self, name: &str) -> Result<String, ExpandError> {
        let all = self.peek() == Some('/');
        if all {
            self.pos += 1;
        }
        let pattern = match self.until(Some('/'), true) {
            Ok((w, _)) => w,
            Err(_) if self.peek().is_none() => return fail("syntax error: missing '/' in ${}"),
            Err(e) => return Err(e),
        };
        let replacement = match self.until(Some('}'), true) {
            Ok((w, _)) => w,
            Err(_) if self.peek().is_none() => return fail("syntax error: missing '}'"),
            Err(e) => return Err(e),
        };
        let value = self.get(name).unwrap_or_default();
        let glob = Glob::compile(&pattern)?;
        Ok(glob.replace(&value, &replacement, all))
    }
}

/// A shell pattern: `*`, `?` and literal characters (`\` escapes `*`, `?`, `\`).
/// Like the Go regex BuildKit builds, wildcards don't match `\n`.
#[derive(Debug)]
struct Glob(Vec<Tok>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Star,
    Any,
    Lit(char),
}

impl Glob {
    fn compile(p: &str) -> Result<Glob, ExpandError> {
        let mut toks = Vec::new();
        let mut it = p.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '*' => toks.push(Tok::Star),
                '?' => toks.push(Tok::Any),
                '\\' => match it.peek() {
                    Some('}' | '/') => {}
                    Some(&n @ ('*' | '?' | '\\')) => {
                        it.next();
                        toks.push(Tok::Lit(n));
                    }
                    other => {
                        return fail(format!(
                            "invalid pattern ({p}) in substitution: invalid escape '\\{}'",
                            other.map(|c| c.to_string()).unwrap_or_default()
                        ));
                    }
                },
                c => toks.push(Tok::Lit(c)),
            }
        }
        Ok(Glob(toks))
    }

    /// Whether the whole of `s` matches (iterative wildcard matching, no backtracking blowup).
    fn matches(&self, s: &[char]) -> bool {
        let p = &self.0;
        let (mut pi, mut si) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while si < s.len() {
            match p.get(pi) {
                Some(Tok::Any) if s[si] != '\n' => {
                    pi += 1;
                    si += 1;
                }
                Some(Tok::Lit(c)) if *c == s[si] => {
                    pi += 1;
                    si += 1;
                }
                Some(Tok::Star) => {
                    star = Some((pi, si));
                    pi += 1;
                }
                _ => match star {
                    Some((sp, ss)) if s[ss] != '\n' => {
                        pi = sp + 1;
                        si = ss + 1;
                        star = Some((sp, ss + 1));
                    }
                    _ => return false,
                },
            }
        }
        p[pi..].iter().all(|t| *t == Tok::Star)
    }

    fn trim_prefix<'v>(&self, value: &'v str, greedy: bool) -> &'v str {
        let chars: Vec<(usize, char)> = value.char_indices().collect();
        let cs: Vec<char> = chars.iter().map(|c| c.1).collect();
        let offset = |n: usize| chars.get(n).map(|c| c.0).unwrap_or(value.len());
        let mut ends: Box<dyn Iterator<Item = usize>> = if greedy {
            Box::new((0..=cs.len()).rev())
        } else {
            Box::new(0..=cs.len())
        };
        match ends.find(|&n| self.matches(&cs[..n])) {
            Some(n) => &value[offset(n)..],
            None => value,
        }
    }

    fn trim_suffix<'v>(&self, value: &'v str, greedy: bool) -> &'v str {
        let chars: Vec<(usize, char)> = value.char_indices().collect();
        let cs: Vec<char> = chars.iter().map(|c| c.1).collect();
        let offset = |n: usize| chars.get(n).map(|c| c.0).unwrap_or(value.len());
        let mut starts: Box<dyn Iterator<Item = usize>> = if greedy {
            Box::new(0..=cs.len())
        } else {
            Box::new((0..=cs.len()).rev())
        };
        match starts.find(|&n| self.matches(&cs[n..])) {
            Some(n) => &value[..offset(n)],
            None => value,
        }
    }

    /// Leftmost, longest match at or after `from`.
    fn find(&self, cs: &[char], from: usize) -> Option<(usize, usize)> {
        (from..=cs.len()).find_map(|s| {
            (s..=cs.len())
                .rev()
                .find(|&e| self.matches(&cs[s..e]))
                .map(|e| (s, e))
        })
    }

    fn replace(&self, value: &str, replacement: &str, all: bool) -> String {
        let cs: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut pos = 0;
        while pos <= cs.len() {
            let Some((s, e)) = self.find(&cs, pos) else {
                break;
            };
            out.extend(&cs[pos..s]);
            out.push_str(replacement);
            if e == s {
                if let Some(c) = cs.get(s) {
                    out.push(*c);
                }
                pos = s + 1;
            } else {
                pos = e;
            }
            if !all {
                break;
            }
        }
        if pos < cs.len() {
            out.extend(&cs[pos..]);
        }
        out
    }
}

/// The variables visible at one point of a Dockerfile: build args (ARG) and environment
/// (ENV); ENV wins over ARG of the same name, as in BuildKit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    /// ARG values in scope (a declared ARG without a value is absent).
    pub args: HashMap<String, String>,
    /// ENV values in scope.
    pub env: HashMap<String, String>,
}

impl Env {
    /// Looks a variable up (ENV first, then ARG).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.env
            .get(name)
            .or_else(|| self.args.get(name))
            .map(String::as_str)
    }

    /// Expands `word` in this environment.
    pub fn expand(&self, word: &str, escape: char) -> Result<Expanded, ExpandError> {
        expand(word, escape, &|n| self.get(n).map(str::to_string))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(word: &str, vars: &[(&str, &str)]) -> Result<String, ExpandError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        expand(word, '\\', &|n| map.get(n).cloned()).map(|e| e.value)
    }

    #[test]
    fn pattern_forms() {
        let v = [("P", "/usr/local/bin/tool.tar.gz")];
        assert_eq!(ex("${P#*/}", &v).unwrap(), "usr/local/bin/tool.tar.gz");
        assert_eq!(ex("${P##*/}", &v).unwrap(), "tool.tar.gz");
        assert_eq!(ex("${P%.*}", &v).unwrap(), "/usr/local/bin/tool.tar");
        assert_eq!(ex("${P%%.*}", &v).unwrap(), "/usr/local/bin/tool");
        assert_eq!(
            ex("${P/local/opt}", &v).unwrap(),
            "/usr/opt/bin/tool.tar.gz"
        );
        assert_eq!(ex("${P//\\//_}", &v).unwrap(), "_usr_local_bin_tool.tar.gz");
        assert_eq!(ex("${P/?/X}", &v).unwrap(), "Xusr/local/bin/tool.tar.gz");
        assert!(ex("${P#\\x}", &v).is_err());
    }

    #[test]
    fn finds_variable_references() {
        let refs = references("a $FOO ${BAR:-x} '$NOPE' \\$ESC \"$Q\" $1 ${}", '\\');
        let names: Vec<_> = refs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["FOO", "BAR", "Q"]);
        assert!(refs[1].has_default && !refs[0].has_default);
        assert_eq!(&"a $FOO"[refs[0].start..refs[0].end], "$FOO");
        assert_eq!(references("x`$Y", '`').len(), 0);
        let t = "é${A:-$B}x";
        let r = references(t, '\\');
        assert_eq!(r.len(), 1, "the default's $B is not top-level");
        assert_eq!(&t[r[0].start..r[0].end], "${A:-$B}");
    }
}
