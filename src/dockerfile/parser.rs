//! The line-level Dockerfile parser, a port of BuildKit's `frontend/dockerfile/parser`
//! (`parser.go`, `line_parsers.go`, `split_command.go`, `directives.go`) with error recovery
//! and byte spans through continuations.

use super::ast::*;
use super::json::{JsonArray, parse_json_array};
use super::span::{LineIndex, SourceMap, Span};

/// Nesting limit for `ONBUILD ONBUILD ...` (BuildKit rejects any chaining anyway).
const MAX_ONBUILD_DEPTH: usize = 4;

/// A physical line: `start..end` is its content without the line terminator
/// (trailing `\r`/`\n` trimmed as BuildKit's `trimNewline` does), `next` where the next starts.
#[derive(Debug, Clone, Copy)]
struct PhysLine {
    start: usize,
    end: usize,
    next: usize,
}

fn split_lines(src: &str, from: usize) -> Vec<PhysLine> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 32 + 1);
    let mut start = from;
    while start < b.len() {
        let nl = memchr::memchr(b'\n', &b[start..]).map(|i| start + i);
        let (mut end, next) = match nl {
            Some(i) => (i, i + 1),
            None => (b.len(), b.len()),
        };
        while end > start && matches!(b[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        out.push(PhysLine { start, end, next });
        start = next;
    }
    out
}

/// `[\t\v\f\r ]`: the separator of BuildKit's `reWhitespace`.
fn is_ws_sep(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | 0x0b | 0x0c | b'\r')
}

/// Go RE2 `\s`: `[\t\n\f\r ]`.
fn is_re_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0c | b'\r')
}

/// Byte length of the leading Unicode whitespace of `s`.
fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// BuildKit's `isComment`: first non-whitespace character is `#`.
fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// BuildKit's continuation regex `([^E])E[ \t]*$|^E[ \t]*$` for escape `E`.
/// Returns the length to keep when the line continues.
fn continuation(line: &str, escape: char) -> Option<usize> {
    let t = line.trim_end_matches([' ', '\t']);
    let before = t.strip_suffix(escape)?;
    if before.ends_with(escape) {
        return None;
    }
    Some(before.len())
}

/// Parses a directive line (`#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`);
/// returns the name range and value range.
fn match_directive(line: &str) -> Option<((usize, usize), (usize, usize))> {
    let b = line.as_bytes();
    if b.first() != Some(&b'#') {
        return None;
    }
    let mut i = 1;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    let ns = i;
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let ne = i;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    let after_eq = i;
    if after_eq >= b.len() || b[after_eq..].contains(&b'\n') {
        return None;
    }
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    // `.+?` needs one character: if only whitespace remains, the last one is the value.
    let vs = if i == b.len() { b.len() - 1 } else { i };
    let mut ve = b.len();
    while ve > vs + 1 && is_re_space(b[ve - 1]) {
        ve -= 1;
    }
    Some(((ns, ne), (vs, ve)))
}

/// A joined logical line and its map back to the source.
struct Logical {
    text: String,
    map: SourceMap,
    /// The active escape character.
    escape: char,
    /// Source offset used for empty spans when the text is empty.
    origin: usize,
}

impl Logical {
    fn push(&mut self, src: &str, start: usize, end: usize) {
        self.map.push(self.text.len(), start, end - start);
        self.text.push_str(&src[start..end]);
    }

    fn span(&self, s: usize, e: usize) -> Span {
        if self.text.is_empty() {
            return Span::new(self.origin, self.origin);
        }
        if s == e {
            let p = self.map.to_source(s);
            return Span::new(p, p);
        }
        self.map.span_to_source(s, e)
    }

    fn word(&self, s: usize, e: usize, value: String) -> Word {
        Word {
            span: self.span(s, e),
            value,
        }
    }

    fn raw_word(&self, s: usize, e: usize) -> Word {
        self.word(s, e, self.text[s..e].to_string())
    }
}

struct Parser<'a> {
    src: &'a str,
    lines: Vec<PhysLine>,
    cur: usize,
    escape: char,
    directives_done: bool,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    blank_lines: Vec<Span>,
    errors: Vec<ParseError>,
    instructions: Vec<Instruction>,
}

/// Parses Dockerfile source. Never fails: problems are recorded in [`Dockerfile::errors`].
pub fn parse(source: &str) -> Dockerfile {
    let bom = source.starts_with('\u{feff}');
    let body_start = if bom { '\u{feff}'.len_utf8() } else { 0 };
    let mut p = Parser {
        src: source,
        lines: split_lines(source, body_start),
        cur: 0,
        escape: '\\',
        directives_done: false,
        directives: Vec::new(),
        comments: Vec::new(),
        blank_lines: Vec::new(),
        errors: Vec::new(),
        instructions: Vec::new(),
    };
    p.run();
    if p.instructions.is_empty() {
        p.errors.push(ParseError {
            span: Span::new(source.len(), source.len()),
            message: "file with no instructions".into(),
            kind: ParseErrorKind::Syntax,
        });
    }
    let stages = build_stages(&mut p.instructions, &mut p.errors);
    Dockerfile {
        source: source.to_string(),
        lines: LineIndex::new(source),
        bom,
        directives: p.directives,
        escape: p.escape,
        instructions: p.instructions,
        comments: p.comments,
        stages,
        blank_lines: p.blank_lines,
        errors: p.errors,
    }
}

fn err(span: Span, kind: ParseErrorKind, message: impl Into<String>) -> ParseError {
    ParseError {
        span,
        message: message.into(),
        kind,
    }
}

impl Parser<'_> {
    fn run(&mut self) {
        let src = self.src;
        let mut pending_comments: Vec<usize> = Vec::new();
        while self.cur < self.lines.len() {
            let line = self.lines[self.cur];
            self.cur += 1;
            let raw = &src[line.start..line.end];
            let lead = leading_ws(raw);
            let content_start = line.start + lead;
            let content = &src[content_start..line.end];
            self.directive(content, content_start);
            if let Some(after_hash) = content.strip_prefix('#') {
                if after_hash.trim().is_empty() {
                    pending_comments.clear();
                } else {
                    pending_comments.push(self.comments.len());
                }
                self.push_comment(content_start, line.end, false);
                continue;
            }
            if content.is_empty() {
                self.blank_lines.push(Span::new(line.start, line.end));
                continue;
            }
            let mut logical = Logical {
                text: String::with_capacity(content.len()),
                map: SourceMap::default(),
                escape: self.escape,
                origin: content_start,
            };
            let mut ended = match continuation(content, self.escape) {
                Some(keep) => {
                    logical.push(src, content_start, content_start + keep);
                    false
                }
                None => {
                    logical.push(src, content_start, line.end);
                    true
                }
            };
            let mut last_end = line.end;
            let mut empties = Vec::new();
            while !ended && self.cur < self.lines.len() {
                let l = self.lines[self.cur];
                self.cur += 1;
                let raw = &src[l.start..l.end];
                self.directive(raw, l.start);
                last_end = l.end;
                if is_comment(raw) {
                    self.push_comment(l.start + leading_ws(raw), l.end, true);
                    continue;
                }
                if raw.trim_start().is_empty() {
                    empties.push(Span::new(l.start, l.end));
                    continue;
                }
                match continuation(raw, self.escape) {
                    Some(keep) => logical.push(src, l.start, l.start + keep),
                    None => {
                        logical.push(src, l.start, l.end);
                        ended = true;
                    }
                }
            }
            let mut errors = Vec::new();
            let mut ins = build_instruction(&logical, 0, logical.text.len(), &mut errors, 0);
            ins.span = Span::new(ins.keyword_span.start.min(content_start), last_end);
            if ins.keyword_span.is_empty() {
                ins.span.start = content_start;
            }
            ins.empty_continuation_lines = empties;
            ins.leading_comments = std::mem::take(&mut pending_comments);
            self.errors.append(&mut errors);
            if can_contain_heredoc(&ins) && logical.text.contains("<<") {
                self.read_heredocs(&logical, &mut ins);
            }
            self.instructions.push(ins);
        }
    }

    fn push_comment(&mut self, start: usize, end: usize, inside: bool) {
        self.comments.push(Comment {
            span: Span::new(start, end),
            text: self.src[start + 1..end].to_string(),
            inside_instruction: inside,
        });
    }

    /// BuildKit's `possibleParserDirective`: directives are only recognised until the first
    /// line that is not one.
    fn directive(&mut self, line: &str, offset: usize) {
        if self.directives_done {
            return;
        }
        let Some(((ns, ne), (vs, ve))) = match_directive(line) else {
            self.directives_done = true;
            return;
        };
        let name = line[ns..ne].to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.directives_done = true;
            return;
        }
        let span = Span::new(offset, offset + line.len());
        if self.directives.iter().any(|d| d.name == name) {
            self.errors.push(err(
                span,
                ParseErrorKind::Syntax,
                format!("only one {name} parser directive can be used"),
            ));
            return;
        }
        let value = line[vs..ve].to_string();
        if name == "escape" {
            match value.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => self.errors.push(err(
                    Span::new(offset + vs, offset + ve),
                    ParseErrorKind::Syntax,
                    format!("invalid escape token '{value}' does not match ` or \\"),
                )),
            }
        }
        self.directives.push(Directive {
            name,
            value,
            span,
            value_span: Span::new(offset + vs, offset + ve),
        });
    }

    /// Reads the bodies of the heredocs named on the instruction line.
    fn read_heredocs(&mut self, logical: &Logical, ins: &mut Instruction) {
        let markers = match heredoc_markers(&logical.text) {
            Ok(m) => m,
            Err((s, e, msg)) => {
                self.errors
                    .push(err(logical.span(s, e), ParseErrorKind::Syntax, msg));
                return;
            }
        };
        let src = self.src;
        for m in markers {
            let body_start = self
                .lines
                .get(self.cur)
                .map(|l| l.start)
                .unwrap_or(src.len());
            let mut body = String::new();
            let mut term = None;
            while self.cur < self.lines.len() {
                let l = self.lines[self.cur];
                self.cur += 1;
                let content = &src[l.start..l.end];
                let candidate = if m.strip_tabs {
                    content.trim_start_matches('\t')
                } else {
                    content
                };
                if candidate == m.name {
                    term = Some(l);
                    break;
                }
                let full = &src[l.start..l.next];
                if m.strip_tabs {
                    body.push_str(full.trim_start_matches('\t'));
                } else {
                    body.push_str(full);
                }
                ins.span.end = l.end;
            }
            let marker_span = logical.span(m.start, m.end);
            let (body_end, end) = match term {
                Some(l) => {
                    ins.span.end = l.end;
                    (l.start, l.end)
                }
                None => {
                    self.errors.push(err(
                        marker_span,
                        ParseErrorKind::Syntax,
                        format!("unterminated heredoc {}", m.name),
                    ));
                    (src.len(), src.len())
                }
            };
            let hd = Heredoc {
                marker_span,
                delimiter: m.name,
                strip_tabs: m.strip_tabs,
                quoted: m.quoted,
                body,
                body_span: Span::new(body_start, body_end),
                span: Span::new(body_start, end),
            };
            if let InstructionKind::Onbuild(child) = &mut ins.kind {
                child.heredocs.push(hd.clone());
            }
            ins.heredocs.push(hd);
        }
    }
}

/// BuildKit's `canContainHeredoc`: RUN, COPY, ADD (possibly under ONBUILD), not JSON form.
fn can_contain_heredoc(ins: &Instruction) -> bool {
    let ins = match &ins.kind {
        InstructionKind::Onbuild(child) => child,
        _ => ins,
    };
    matches!(ins.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) && !ins.json
}

struct Marker {
    start: usize,
    end: usize,
    name: String,
    strip_tabs: bool,
    quoted: bool,
}

/// Splits `line` into shell words keeping quotes and escapes (`RawQuotes`/`RawEscapes`),
/// returning `(start, end)` of each word.
fn raw_shell_words(line: &str) -> Result<Vec<(usize, usize)>, (usize, usize, String)> {
    let b = line.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    let mut start: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                if let Some(s) = start.take() {
                    words.push((s, i));
                }
                i += 1;
            }
            b'\'' | b'"' => {
                start.get_or_insert(i);
                let q = c;
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => {
                            let what = if q == b'\'' { "single" } else { "double" };
                            return Err((
                                open,
                                b.len(),
                                format!(
                                    "unexpected end of statement while looking for matching {what}-quote"
                                ),
                            ));
                        }
                        Some(&x) if x == q => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') if q == b'"' => i += 2,
                        Some(_) => i += 1,
                    }
                }
            }
            b'\\' => {
                start.get_or_insert(i);
                i += 2;
            }
            _ => {
                start.get_or_insert(i);
                i += 1;
            }
        }
    }
    if let Some(s) = start {
        words.push((s, b.len().min(i)));
    }
    Ok(words)
}

/// Finds heredoc markers (`^(\d*)<<(-?)([^<]*)$` per raw shell word).
fn heredoc_markers(line: &str) -> Result<Vec<Marker>, (usize, usize, String)> {
    let mut out = Vec::new();
    let words = raw_shell_words(line)?;
    for (i, &(s, mut e)) in words.iter().enumerate() {
        let Some(word) = line.get(s..e) else { continue };
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let Some(rest) = word[digits..].strip_prefix("<<") else {
            continue;
        };
        let (strip_tabs, mut rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if rest.is_empty() {
            // `<< EOF` / `<<- EOF`: the delimiter is the next word (`<< -EOF` names `-EOF`).
            let Some(&(ns, ne)) = words.get(i + 1) else {
                continue;
            };
            let Some(next) = line.get(ns..ne) else {
                continue;
            };
            rest = next;
            e = ne;
        }
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let (name, quoted) = match unquote_heredoc_word(rest) {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(msg) => return Err((s, e, msg)),
        };
        out.push(Marker {
            start: s,
            end: e,
            name,
            strip_tabs,
            quoted,
        });
    }
    Ok(out)
}

/// Unquotes a heredoc delimiter word; `None` when it is not a single word.
/// Returns the name and whether any part was quoted.
fn unquote_heredoc_word(w: &str) -> Result<Option<(String, bool)>, String> {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = w.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = true;
                loop {
                    match chars.next() {
                        None => {
                            return Err("unexpected end of statement while looking for matching single-quote".into());
                        }
                        Some('\'') => break,
                        Some(x) => out.push(x),
                    }
                }
            }
            '"' => {
                quoted = true;
                loop {
                    match chars.next() {
                        None => {
                            return Err("unexpected end of statement while looking for matching double-quote".into());
                        }
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '$' | '\\')) => out.push(x),
                            Some(x) => {
                                out.push('\\');
                                out.push(x);
                            }
                            None => {}
                        },
                        Some(x) => out.push(x),
                    }
                }
            }
            '\\' => {
                if let Some(x) = chars.next() {
                    out.push(x);
                }
            }
            c if c.is_whitespace() => return Ok(None),
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return Ok(None);
    }
    Ok(Some((out, quoted)))
}

/// A flag word from `extractBuilderFlags`: raw range and processed text.
struct RawFlag {
    start: usize,
    end: usize,
    text: String,
}

/// Port of BuildKit's `extractBuilderFlags` on `line[from..to]`; returns the flags and the
/// offset where the arguments start.
fn extract_flags(line: &str, from: usize, to: usize) -> (Vec<RawFlag>, usize) {
    let b = &line.as_bytes()[..to];
    let mut flags = Vec::new();
    let mut word: Vec<u8> = Vec::new();
    let mut wstart = from;
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(u8),
    }
    let mut phase = Phase::Spaces;
    let mut blank_ok = false;
    let mut pos = from;
    let finish = |word: &[u8], s: usize, e: usize| RawFlag {
        start: s,
        end: e,
        text: String::from_utf8_lossy(word).into_owned(),
    };
    loop {
        if pos >= to {
            if phase != Phase::Spaces && word != b"--" && (blank_ok || !word.is_empty()) {
                flags.push(finish(&word, wstart, to));
            }
            return (flags, to);
        }
        let ch = b[pos];
        if phase == Phase::Spaces {
            if ch.is_ascii_whitespace() || ch == 0x0b {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 >= to || b[pos + 1] != b'-' {
                return (flags, pos);
            }
            phase = Phase::Word;
            wstart = pos;
        }
        match phase {
            Phase::Word => {
                if ch.is_ascii_whitespace() || ch == 0x0b {
                    if word == b"--" {
                        return (flags, pos);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(finish(&word, wstart, pos));
                    }
                    word.clear();
                    blank_ok = false;
                    phase = Phase::Spaces;
                    pos += 1;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                    pos += 1;
                    continue;
                }
                if ch == b'\\' {
                    if pos + 1 >= to {
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                }
                word.push(b[pos]);
                pos += 1;
            }
            Phase::Quote(q) => {
                if ch == q {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                if ch == b'\\' {
                    if pos + 1 >= to {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                }
                word.push(b[pos]);
                pos += 1;
            }
            Phase::Spaces => pos += 1,
        }
    }
}

/// Port of BuildKit's `parseWords` on `line[from..to]`: whitespace-separated words, quotes and
/// escapes kept. Returns `(start, end)` ranges (the word text is the raw slice).
fn parse_words(line: &str, from: usize, to: usize, escape: char) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut wstart = from;
    let mut it = line[from..to].char_indices().peekable();
    while let Some((i, ch)) = it.next() {
        let pos = from + i;
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            } else if ch == escape && q != '\'' {
                it.next();
            }
            continue;
        }
        if !in_word {
            if ch.is_whitespace() {
                continue;
            }
            in_word = true;
            wstart = pos;
        }
        if ch.is_whitespace() {
            words.push((wstart, pos));
            in_word = false;
            continue;
        }
        if ch == '\'' || ch == '"' {
            quote = Some(ch);
        } else if ch == escape {
            it.next();
        }
    }
    if in_word {
        words.push((wstart, to));
    }
    words
}

/// BuildKit's `reWhitespace.Split`: split on runs of `[\t\v\f\r ]` (input already trimmed).
fn split_ws(line: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    if from >= to {
        return out;
    }
    let mut s = from;
    let mut i = from;
    while i < to {
        if is_ws_sep(b[i]) {
            out.push((s, i));
            while i < to && is_ws_sep(b[i]) {
                i += 1;
            }
            s = i;
        } else {
            i += 1;
        }
    }
    out.push((s, to));
    out
}

/// Removes quotes and escapes as BuildKit's shell lexer does, but leaves `$` references
/// unexpanded (copied verbatim, `${...}` included).
pub(crate) fn unquote(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            for x in chars.by_ref() {
                if x == '\'' {
                    break;
                }
                out.push(x);
            }
        } else if c == '"' {
            while let Some(x) = chars.next() {
                if x == '"' {
                    break;
                }
                if x == escape {
                    match chars.peek() {
                        None => {}
                        Some(&n) if n == '"' || n == '$' || n == escape => {
                            out.push(n);
                            chars.next();
                        }
                        Some(_) => out.push(x),
                    }
                } else if x == '$' {
                    copy_dollar(&mut chars, &mut out);
                } else {
                    out.push(x);
                }
            }
        } else if c == escape {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else if c == '$' {
            copy_dollar(&mut chars, &mut out);
        } else {
            out.push(c);
        }
    }
    out
}

fn copy_dollar(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    out.push('$');
    if chars.peek() == Some(&'{') {
        let mut depth = 0usize;
        for x in chars.by_ref() {
            out.push(x);
            match x {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
}

/// Flags that may be given without a value (`--link`).
const BOOL_FLAGS: &[&str] = &["link", "parents", "keep-git-dir", "unpack"];

/// Flags each instruction accepts (BuildKit's instruction parser rejects others).
fn known_flags(k: Keyword) -> &'static [&'static str] {
    match k {
        Keyword::From => &["platform"],
        Keyword::Run => &["mount", "network", "security", "device"],
        Keyword::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
        Keyword::Add => &[
            "chown",
            "chmod",
            "link",
            "keep-git-dir",
            "checksum",
            "unpack",
            "exclude",
        ],
        Keyword::Healthcheck => &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        _ => &[],
    }
}

/// Builds one instruction from `lg.text[s..e]` (BuildKit's `newNodeFromLine` + dispatch).
fn build_instruction(
    lg: &Logical,
    s: usize,
    e: usize,
    errors: &mut Vec<ParseError>,
    depth: usize,
) -> Instruction {
    let text = &lg.text;
    let region = &text[s..e];
    let ts = s + leading_ws(region);
    let te = s + region.trim_end().len();
    let te = te.max(ts);
    let b = text.as_bytes();
    let mut kw_end = ts;
    while kw_end < te && !is_ws_sep(b[kw_end]) {
        kw_end += 1;
    }
    let mut rest = kw_end;
    while rest < te && is_ws_sep(b[rest]) {
        rest += 1;
    }
    let (raw_flags, args_start) = if kw_end < te {
        extract_flags(text, rest, te)
    } else {
        (Vec::new(), te)
    };
    let as_ = args_start + leading_ws(&text[args_start..te]);
    let ae = as_ + text[as_..te].trim_end().len();
    let kw_text = &text[ts..kw_end];
    let keyword = Keyword::parse(kw_text);
    let keyword_span = lg.span(ts, kw_end);
    let instr_err_span = lg.span(ts, te);
    macro_rules! ierr {
        ($msg:expr) => {
            errors.push(err(instr_err_span, ParseErrorKind::Instruction, $msg))
        };
    }
    let flags: Vec<Flag> = raw_flags
        .iter()
        .map(|f| {
            let raw = &text[f.start..f.end];
            let eq = raw.find('=').map(|i| f.start + i);
            let body = f.text.strip_prefix("--").unwrap_or(&f.text);
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            };
            let name_end = eq.unwrap_or(f.end);
            Flag {
                span: lg.span(f.start, f.end),
                name,
                name_span: lg.span((f.start + 2).min(name_end), name_end),
                value: value.map(|v| match eq {
                    Some(q) => lg.word(q + 1, f.end, v),
                    None => lg.word(f.end, f.end, v),
                }),
            }
        })
        .collect();
    if kw_text.is_empty() {
        ierr!("line continuation with no instruction");
    } else if keyword == Keyword::Unknown {
        ierr!(format!("unknown instruction: {kw_text}"));
    } else {
        let known = known_flags(keyword);
        for f in &flags {
            if !known.contains(&f.name.as_str()) {
                ierr!(format!("unknown flag: {}", f.name));
            } else if f.value.is_none() && !BOOL_FLAGS.contains(&f.name.as_str()) {
                ierr!(format!("missing a value on flag: {}", f.name));
            }
        }
    }
    let args = ShellText {
        text: text[as_..ae].to_string(),
        map: lg.map.slice(as_, ae),
        span: lg.span(as_, ae),
    };
    let mut json = false;
    let kw_upper = keyword.as_str();
    let args_span = args.span;
    let maybe_json =
        |json: &mut bool, errors: &mut Vec<ParseError>, from: usize, to: usize| -> ShellOrExec {
            match parse_json_array(&text[from..to]) {
                JsonArray::Strings(v) => {
                    *json = true;
                    ShellOrExec::Exec(
                        v.into_iter()
                            .map(|(a, b, s)| lg.word(from + a, from + b, s))
                            .collect(),
                    )
                }
                JsonArray::NotStringArray => {
                    errors.push(err(
                        lg.span(from, to),
                        ParseErrorKind::Syntax,
                        "Dockerfile not string array",
                    ));
                    ShellOrExec::Exec(Vec::new())
                }
                JsonArray::NotJson => ShellOrExec::Shell(ShellText {
                    text: text[from..to].to_string(),
                    map: lg.map.slice(from, to),
                    span: lg.span(from, to),
                }),
            }
        };
    let kind = match keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {
            let v = maybe_json(&mut json, errors, as_, ae);
            match keyword {
                Keyword::Run => InstructionKind::Run(v),
                Keyword::Cmd => InstructionKind::Cmd(v),
                _ => InstructionKind::Entrypoint(v),
            }
        }
        Keyword::Shell => match maybe_json(&mut json, errors, as_, ae) {
            ShellOrExec::Exec(words) => {
                if words.is_empty() && json {
                    ierr!("SHELL requires at least one argument");
                }
                InstructionKind::Shell(words)
            }
            ShellOrExec::Shell(_) => {
                ierr!("SHELL requires the arguments to be in JSON form");
                InstructionKind::Shell(Vec::new())
            }
        },
        Keyword::Copy | Keyword::Add | Keyword::Volume => {
            let words: Vec<Word> = match parse_json_array(&text[as_..ae]) {
                JsonArray::Strings(v) => {
                    json = true;
                    v.into_iter()
                        .map(|(a, b, s)| lg.word(as_ + a, as_ + b, s))
                        .collect()
                }
                JsonArray::NotStringArray => {
                    errors.push(err(
                        args_span,
                        ParseErrorKind::Syntax,
                        "Dockerfile not string array",
                    ));
                    Vec::new()
                }
                JsonArray::NotJson => split_ws(text, as_, ae)
                    .into_iter()
                    .map(|(a, b)| lg.raw_word(a, b))
                    .collect(),
            };
            if keyword == Keyword::Volume {
                if words.is_empty() {
                    errors.push(err(
                        instr_err_span,
                        ParseErrorKind::Instruction,
                        "VOLUME requires at least one argument",
                    ));
                } else if words.iter().any(|w| w.value.is_empty()) {
                    errors.push(err(
                        instr_err_span,
                        ParseErrorKind::Instruction,
                        "VOLUME specified can not be an empty string",
                    ));
                }
                InstructionKind::Volume { paths: words, json }
            } else {
                let mut words = words;
                let dest = words.pop();
                if words.is_empty() {
                    errors.push(err(
                        instr_err_span,
                        ParseErrorKind::Instruction,
                        format!(
                            "{kw_upper} requires at least two arguments, but only one was provided. Destination could not be determined"
                        ),
                    ));
                }
                InstructionKind::Copy {
                    sources: words,
                    dest,
                    json,
                }
            }
        }
        Keyword::Env | Keyword::Label => {
            let pairs = parse_name_val(lg, as_, ae, keyword, errors).unwrap_or_else(|| {
                errors.push(err(
                    instr_err_span,
                    ParseErrorKind::Instruction,
                    format!("{kw_upper} requires at least one argument"),
                ));
                Vec::new()
            });
            if keyword == Keyword::Env {
                InstructionKind::Env(pairs)
            } else {
                InstructionKind::Label(pairs)
            }
        }
        Keyword::Arg => {
            let esc = lg.escape;
            let pairs: Vec<KeyValue> = parse_words(text, as_, ae, esc)
                .into_iter()
                .map(|(a, b)| {
                    let raw = &text[a..b];
                    match raw.find('=') {
                        Some(i) => KeyValue {
                            span: lg.span(a, b),
                            key: lg.raw_word(a, a + i),
                            value: Some(lg.word(a + i + 1, b, unquote(&raw[i + 1..], esc))),
                            raw_value: Some(raw[i + 1..].to_string()),
                            raw: raw.to_string(),
                            legacy: false,
                        },
                        None => KeyValue {
                            span: lg.span(a, b),
                            key: lg.raw_word(a, b),
                            value: None,
                            raw_value: None,
                            raw: raw.to_string(),
                            legacy: false,
                        },
                    }
                })
                .collect();
            if pairs.is_empty() {
                ierr!("ARG requires at least one argument");
            } else if pairs.iter().any(|p| p.key.value.is_empty()) {
                ierr!("ARG names can not be blank");
            }
            InstructionKind::Arg(pairs)
        }
        Keyword::From => {
            let words = split_ws(text, as_, ae);
            let image = words
                .first()
                .map(|&(a, b)| lg.raw_word(a, b))
                .unwrap_or_else(|| lg.word(as_, as_, String::new()));
            let alias = match words.as_slice() {
                [_] => None,
                [_, (a, b), (c, d)] if text[*a..*b].eq_ignore_ascii_case("as") => {
                    let w = lg.raw_word(*c, *d);
                    let valid = {
                        let lower = w.value.to_ascii_lowercase();
                        let mut it = lower.chars();
                        it.next().is_some_and(|c| c.is_ascii_lowercase())
                            && it.all(|c| {
                                c.is_ascii_lowercase()
                                    || c.is_ascii_digit()
                                    || matches!(c, '-' | '_' | '.')
                            })
                    };
                    if !valid && !w.value.contains('$') {
                        ierr!(format!(
                            "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                            w.value
                        ));
                    }
                    Some(w)
                }
                [] => {
                    ierr!("FROM requires either one or three arguments");
                    None
                }
                _ => {
                    ierr!("FROM requires either one or three arguments");
                    None
                }
            };
            InstructionKind::From { image, alias }
        }
        Keyword::Expose => {
            let words: Vec<Word> = split_ws(text, as_, ae)
                .into_iter()
                .map(|(a, b)| lg.raw_word(a, b))
                .collect();
            if words.is_empty() {
                ierr!("EXPOSE requires at least one argument");
            }
            InstructionKind::Expose(words)
        }
        Keyword::User | Keyword::Workdir | Keyword::Stopsignal | Keyword::Maintainer => {
            if as_ == ae {
                ierr!(format!("{kw_upper} requires exactly one argument"));
            }
            let w = lg.raw_word(as_, ae);
            match keyword {
                Keyword::User => InstructionKind::User(w),
                Keyword::Workdir => InstructionKind::Workdir(w),
                Keyword::Stopsignal => InstructionKind::Stopsignal(w),
                _ => InstructionKind::Maintainer(w),
            }
        }
        Keyword::Healthcheck => {
            let bytes = text.as_bytes();
            let mut sep = as_;
            while sep < ae && !(bytes[sep].is_ascii_whitespace() || bytes[sep] == 0x0b) {
                sep += 1;
            }
            let mut next = sep;
            while next < ae && (bytes[next].is_ascii_whitespace() || bytes[next] == 0x0b) {
                next += 1;
            }
            if sep == as_ {
                ierr!("HEALTHCHECK requires at least one argument");
                InstructionKind::Invalid
            } else {
                let typ = text[as_..sep].to_ascii_uppercase();
                let cmd = maybe_json(&mut json, errors, next, ae);
                match typ.as_str() {
                    "NONE" => {
                        if next < ae {
                            ierr!("HEALTHCHECK NONE takes no arguments");
                        }
                        InstructionKind::Healthcheck(None)
                    }
                    "CMD" => {
                        let empty = match &cmd {
                            ShellOrExec::Shell(t) => t.text.is_empty(),
                            ShellOrExec::Exec(w) => w.is_empty(),
                        };
                        if empty {
                            ierr!("Missing command after HEALTHCHECK CMD");
                        }
                        InstructionKind::Healthcheck(Some(cmd))
                    }
                    _ => {
                        ierr!(format!(
                            "Unknown type {:?} in HEALTHCHECK (try CMD)",
                            &text[as_..sep]
                        ));
                        InstructionKind::Invalid
                    }
                }
            }
        }
        Keyword::Onbuild => {
            if as_ == ae {
                ierr!("ONBUILD requires at least one argument");
                InstructionKind::Invalid
            } else if depth >= MAX_ONBUILD_DEPTH {
                ierr!("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                InstructionKind::Invalid
            } else {
                let child = build_instruction(lg, as_, ae, errors, depth + 1);
                match child.keyword {
                    Keyword::Onbuild => errors.push(err(
                        instr_err_span,
                        ParseErrorKind::Instruction,
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                    )),
                    Keyword::From | Keyword::Maintainer => errors.push(err(
                        instr_err_span,
                        ParseErrorKind::Instruction,
                        format!(
                            "{} isn't allowed as an ONBUILD trigger",
                            child.keyword.as_str()
                        ),
                    )),
                    _ => {}
                }
                InstructionKind::Onbuild(Box::new(child))
            }
        }
        Keyword::Unknown => InstructionKind::Invalid,
    };
    Instruction {
        span: lg.span(ts, te),
        keyword,
        keyword_span,
        flags,
        args,
        kind,
        heredocs: Vec::new(),
        empty_continuation_lines: Vec::new(),
        stage: None,
        json,
        leading_comments: Vec::new(),
    }
}

/// BuildKit's `parseNameVal` for ENV and LABEL.
fn parse_name_val(
    lg: &Logical,
    s: usize,
    e: usize,
    keyword: Keyword,
    errors: &mut Vec<ParseError>,
) -> Option<Vec<KeyValue>> {
    let text = &lg.text;
    let esc = lg.escape;
    let words = parse_words(text, s, e, esc);
    let &(fs, fe) = words.first()?;
    if !text[fs..fe].contains('=') {
        let parts = split_ws(text, s, e);
        let (Some(&(ks, ke)), Some(&(vs, _))) = (parts.first(), parts.get(1)) else {
            errors.push(err(
                lg.span(s, e),
                ParseErrorKind::Syntax,
                format!("{} must have two arguments", keyword.as_str()),
            ));
            return Some(Vec::new());
        };
        let raw_value = &text[vs..e];
        return Some(vec![KeyValue {
            span: lg.span(ks, e),
            key: lg.raw_word(ks, ke),
            value: Some(lg.word(vs, e, unquote(raw_value, esc))),
            raw_value: Some(raw_value.to_string()),
            raw: text[s..e].to_string(),
            legacy: true,
        }]);
    }
    let mut out = Vec::with_capacity(words.len());
    for (a, b) in words {
        let raw = &text[a..b];
        let Some(i) = raw.find('=') else {
            errors.push(err(
                lg.span(a, b),
                ParseErrorKind::Syntax,
                format!("Syntax error - can't find = in {raw:?}. Must be of the form: name=value"),
            ));
            continue;
        };
        out.push(KeyValue {
            span: lg.span(a, b),
            key: lg.word(a, a + i, unquote(&raw[..i], esc)),
            value: Some(lg.word(a + i + 1, b, unquote(&raw[i + 1..], esc))),
            raw_value: Some(raw[i + 1..].to_string()),
            raw: raw.to_string(),
            legacy: false,
        });
    }
    Some(out)
}

/// Assigns stages and validates stage-level facts.
fn build_stages(instructions: &mut [Instruction], _errors: &mut [ParseError]) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for (i, ins) in instructions.iter_mut().enumerate() {
        if let InstructionKind::From { image, alias } = &ins.kind {
            stages.push(Stage {
                index: stages.len(),
                name: alias.as_ref().map(|a| a.value.to_ascii_lowercase()),
                from: i,
                instructions: Vec::new(),
                base: ImageRef::parse(&image.value),
            });
            ins.stage = Some(stages.len() - 1);
        } else if let Some(st) = stages.last_mut() {
            st.instructions.push(i);
            ins.stage = Some(st.index);
        }
    }
    stages
}

/// Parses one `--mount` value (BuildKit's CSV syntax) into a [`Mount`].
pub fn parse_mount(value: &str) -> Mount {
    let mut m = Mount {
        kind: "bind".into(),
        ..Mount::default()
    };
    for field in csv_fields(value) {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.to_string())),
            None => (field.trim().to_ascii_lowercase(), None),
        };
        if key.is_empty() {
            continue;
        }
        match key.as_str() {
            "type" => {
                if let Some(v) = &val {
                    m.kind = v.to_ascii_lowercase();
                }
            }
            "target" | "dst" | "destination" => m.target = val.clone(),
            _ => {}
        }
        m.options.push((key, val));
    }
    m
}

/// Splits one CSV record (Go `encoding/csv` quoting: `"a,b"` and `""` inside quotes).
fn csv_fields(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut in_quotes = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
            continue;
        }
        match c {
            ',' => {
                out.push(std::mem::take(&mut cur));
                at_start = true;
                continue;
            }
            '"' if at_start => in_quotes = true,
            _ => cur.push(c),
        }
        at_start = false;
    }
    if !cur.is_empty() || !out.is_empty() {
        out.push(cur);
    }
    out
}

impl ImageRef {
    /// Splits `[registry/]name[:tag][@digest]`.
    pub fn parse(raw: &str) -> ImageRef {
        let (rest, digest) = match raw.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (raw, None),
        };
        let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (path, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        let (registry, name) = match path.split_once('/') {
            Some((first, remainder))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), remainder.to_string())
            }
            _ => (None, path.to_string()),
        };
        ImageRef {
            raw: raw.to_string(),
            registry,
            name,
            tag,
            digest,
        }
    }
}
