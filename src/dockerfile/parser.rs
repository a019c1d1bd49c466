//! The line-level Dockerfile parser, a port of BuildKit's `frontend/dockerfile/parser`
//! (`parser.go`, `line_parsers.go`, `split_command.go`, `directives.go`) with error recovery
//! and byte spans through continuations.

use super::ast::*;
use super::span::{LineIndex, SourceMap, Span};

mod instruction;
mod words;

use instruction::build_instruction;
use words::heredoc_markers;

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
    let stages = build_stages(&mut p.instructions);
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

/// Assigns stages and validates stage-level facts.
fn build_stages(instructions: &mut [Instruction]) -> Vec<Stage> {
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
