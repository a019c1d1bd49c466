//! Tolerant tokenizer for scripts tree-sitter cannot parse (unterminated quotes, odd syntax).
//! Splits on `&&`, `||`, `|`, `;`, `&` and newlines, honours quotes and backslashes, and treats
//! `#` at the start of a word as a comment to the end of the line.

use super::{Command, Mapping, Op, Script, ShComment, Word, wrapper_len};

/// Shell keywords that start a command position but are not commands themselves.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "in", "case",
    "esac", "{", "}", "(", ")", "!", "function",
];

struct Tok<'m> {
    mapping: Mapping<'m>,
    script: Script,
    words: Vec<Word>,
    pending: Option<Op>,
    cur: String,
    cur_static: bool,
    cur_start: Option<usize>,
}

impl Tok<'_> {
    fn end_word(&mut self, end: usize) {
        if let Some(s) = self.cur_start.take() {
            self.words.push(Word {
                value: std::mem::take(&mut self.cur),
                is_static: self.cur_static,
                span: self.mapping.span(s, end),
            });
        }
        self.cur_static = true;
    }

    fn end_cmd(&mut self, end: usize, op: Option<Op>) {
        self.end_word(end);
        let keywords = self
            .words
            .iter()
            .take_while(|w| KEYWORDS.contains(&w.value.as_str()))
            .count();
        self.words.drain(..keywords);
        if !self.words.is_empty() {
            let first = self.script.commands.is_empty();
            let writes = write_targets(&self.words);
            let start = wrapper_len(&self.words);
            let span_start = self.words.first().map(|w| w.span).unwrap_or_default();
            let span_end = self.words.last().map(|w| w.span).unwrap_or_default();
            let op_before = if first {
                None
            } else {
                self.pending.or(Some(Op::Seq))
            };
            self.script.commands.push(Command {
                span: span_start.cover(span_end),
                start,
                words: std::mem::take(&mut self.words),
                assignments: Vec::new(),
                op_before,
                nested: false,
                from_sh_c: false,
                writes,
            });
            self.pending = None;
        }
        if let Some(op) = op {
            if op == Op::Pipe {
                self.script.has_pipes = true;
            }
            self.pending = Some(op);
        }
    }
}

/// Targets of output redirects among a command's words: `> FILE`, `>>FILE`, `2> FILE`
/// (`>&2`-style duplications are not files).
fn write_targets(words: &[Word]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut it = words.iter().peekable();
    while let Some(w) = it.next() {
        let v = w.value.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(rest) = [">>", ">|", ">"].iter().find_map(|op| v.strip_prefix(op)) else {
            continue;
        };
        if rest.starts_with(['&', '>', '(']) {
            continue;
        }
        if !rest.is_empty() {
            out.push(Word {
                value: rest.to_string(),
                ..w.clone()
            });
        } else if let Some(next) = it.next_if(|n| !n.value.starts_with(['>', '<', '&'])) {
            out.push(next.clone());
        }
    }
    out
}

pub(super) fn parse(text: &str, mapping: Mapping<'_>) -> Script {
    let mut t = Tok {
        mapping,
        script: Script {
            tolerant: true,
            ..Script::default()
        },
        words: Vec::new(),
        pending: None,
        cur: String::new(),
        cur_static: true,
        cur_start: None,
    };
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\\' => {
                t.cur_start.get_or_insert(i);
                if let Some(n) = text.get(i + 1..).and_then(|r| r.chars().next()) {
                    if n != '\n' {
                        t.cur.push(n);
                    }
                    i += 1 + n.len_utf8();
                } else {
                    i += 1;
                }
            }
            b'\'' => {
                t.cur_start.get_or_insert(i);
                let end = text[i + 1..]
                    .find('\'')
                    .map(|p| i + 1 + p)
                    .unwrap_or(text.len());
                t.cur.push_str(&text[i + 1..end]);
                i = (end + 1).min(text.len());
            }
            b'"' => {
                t.cur_start.get_or_insert(i);
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' {
                        j += 1;
                    } else if bytes[j] == b'$' || bytes[j] == b'`' {
                        t.cur_static = false;
                    }
                    j += 1;
                }
                let end = j.min(text.len());
                t.cur.push_str(text.get(i + 1..end).unwrap_or(""));
                i = (end + 1).min(text.len());
            }
            b'#' if t.cur_start.is_none() => {
                let end = text[i..].find('\n').map(|p| i + p).unwrap_or(text.len());
                t.script.comments.push(ShComment {
                    text: text[i..end].to_string(),
                    span: t.mapping.span(i, end),
                });
                i = end;
            }
            b' ' | b'\t' | b'\r' => {
                t.end_word(i);
                i += 1;
            }
            b'\n' => {
                t.end_cmd(i, Some(Op::Seq));
                i += 1;
            }
            b'&' | b'|' | b';' => {
                let two = bytes.get(i + 1).copied();
                let (op, len) = match (c, two) {
                    (b'&', Some(b'&')) => (Op::And, 2),
                    (b'|', Some(b'|')) => (Op::Or, 2),
                    (b'|', Some(b'&')) => (Op::Pipe, 2),
                    (b'|', _) => (Op::Pipe, 1),
                    (b'&', Some(b'>')) => {
                        // `&>file` redirect: part of the word stream.
                        t.cur_start.get_or_insert(i);
                        t.cur.push('&');
                        i += 1;
                        continue;
                    }
                    (b'&', _) => (Op::Background, 1),
                    (_, Some(b';')) => (Op::Seq, 2),
                    _ => (Op::Seq, 1),
                };
                // `2>&1`: `&` inside a redirect.
                if c == b'&' && i > 0 && bytes[i - 1] == b'>' {
                    t.cur_start.get_or_insert(i);
                    t.cur.push('&');
                    i += 1;
                    continue;
                }
                t.end_cmd(i, Some(op));
                i += len;
            }
            b'(' | b')' | b'{' | b'}' if t.cur_start.is_none() => {
                t.end_cmd(i, None);
                i += 1;
            }
            _ => {
                if c == b'$' || c == b'`' {
                    t.cur_static = false;
                }
                t.cur_start.get_or_insert(i);
                let ch = text[i..].chars().next().unwrap_or(' ');
                t.cur.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    t.end_cmd(text.len(), None);
    t.script
}
