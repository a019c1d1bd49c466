//! Words, flags, quotes and heredoc markers of one logical line (BuildKit's
//! `split_command.go`, `extractBuilderFlags`, `shell.Lex` word splitting).

use super::is_ws_sep;

pub(super) struct Marker {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) name: String,
    pub(super) strip_tabs: bool,
    pub(super) quoted: bool,
}

/// Splits `line` into shell words keeping quotes and escapes (`RawQuotes`/`RawEscapes`),
/// returning `(start, end)` of each word.
pub(super) fn raw_shell_words(line: &str) -> Result<Vec<(usize, usize)>, (usize, usize, String)> {
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
pub(super) fn heredoc_markers(line: &str) -> Result<Vec<Marker>, (usize, usize, String)> {
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
pub(super) fn unquote_heredoc_word(w: &str) -> Result<Option<(String, bool)>, String> {
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
pub(super) struct RawFlag {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: String,
}

/// Port of BuildKit's `extractBuilderFlags` on `line[from..to]`; returns the flags and the
/// offset where the arguments start.
pub(super) fn extract_flags(line: &str, from: usize, to: usize) -> (Vec<RawFlag>, usize) {
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
pub(super) fn parse_words(line: &str, from: usize, to: usize, escape: char) -> Vec<(usize, usize)> {
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
pub(super) fn split_ws(line: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
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
pub(super) fn unquote(raw: &str, escape: char) -> String {
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

pub(super) fn copy_dollar(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
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
