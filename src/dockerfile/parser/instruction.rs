//! One instruction from its logical line (BuildKit's `newNodeFromLine` + dispatch): the
//! keyword, its flags, then one function per instruction keyword for the arguments.

use super::super::ast::*;
use super::super::json::{JsonArray, parse_json_array};
use super::super::span::Span;
use super::words::{extract_flags, parse_words, split_ws, unquote};
use super::{Logical, err, is_ws_sep, leading_ws};

/// Nesting limit for `ONBUILD ONBUILD ...` (BuildKit rejects any chaining anyway).
const MAX_ONBUILD_DEPTH: usize = 4;

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

/// The arguments of one instruction, `lg.text[start..end]`, and where its errors go.
struct Args<'l, 'e> {
    lg: &'l Logical,
    keyword: Keyword,
    start: usize,
    end: usize,
    /// The whole instruction, for errors about it.
    span: Span,
    errors: &'e mut Vec<ParseError>,
    /// Set when the arguments are in JSON (exec) form.
    json: bool,
}

impl Args<'_, '_> {
    fn text(&self) -> &str {
        &self.lg.text
    }

    /// An error about the whole instruction.
    fn error(&mut self, message: impl Into<String>) {
        self.errors
            .push(err(self.span, ParseErrorKind::Instruction, message));
    }

    /// `text[from..to]` as exec form (a JSON string array) or shell form.
    fn shell_or_exec(&mut self, from: usize, to: usize) -> ShellOrExec {
        let lg = self.lg;
        match parse_json_array(&lg.text[from..to]) {
            JsonArray::Strings(v) => {
                self.json = true;
                ShellOrExec::Exec(
                    v.into_iter()
                        .map(|(a, b, s)| lg.word(from + a, from + b, s))
                        .collect(),
                )
            }
            JsonArray::NotStringArray => {
                self.errors.push(err(
                    lg.span(from, to),
                    ParseErrorKind::Syntax,
                    "Dockerfile not string array",
                ));
                ShellOrExec::Exec(Vec::new())
            }
            JsonArray::NotJson => ShellOrExec::Shell(ShellText {
                text: lg.text[from..to].to_string(),
                map: lg.map.slice(from, to),
                span: lg.span(from, to),
            }),
        }
    }

    /// The arguments as a JSON string array, else split on whitespace (COPY, ADD, VOLUME).
    fn paths(&mut self) -> Vec<Word> {
        let (lg, s, e) = (self.lg, self.start, self.end);
        match parse_json_array(&lg.text[s..e]) {
            JsonArray::Strings(v) => {
                self.json = true;
                v.into_iter()
                    .map(|(a, b, w)| lg.word(s + a, s + b, w))
                    .collect()
            }
            JsonArray::NotStringArray => {
                self.errors.push(err(
                    lg.span(s, e),
                    ParseErrorKind::Syntax,
                    "Dockerfile not string array",
                ));
                Vec::new()
            }
            JsonArray::NotJson => split_ws(&lg.text, s, e)
                .into_iter()
                .map(|(a, b)| lg.raw_word(a, b))
                .collect(),
        }
    }
}

/// Builds one instruction from `lg.text[s..e]`.
pub(super) fn build_instruction(
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
    let mut a = Args {
        lg,
        keyword,
        start: as_,
        end: ae,
        span: lg.span(ts, te),
        errors,
        json: false,
    };
    if kw_text.is_empty() {
        a.error("line continuation with no instruction");
    } else if keyword == Keyword::Unknown {
        a.error(format!("unknown instruction: {kw_text}"));
    } else {
        let known = known_flags(keyword);
        for f in &flags {
            if !known.contains(&f.name.as_str()) {
                a.error(format!("unknown flag: {}", f.name));
            } else if f.value.is_none() && !BOOL_FLAGS.contains(&f.name.as_str()) {
                a.error(format!("missing a value on flag: {}", f.name));
            }
        }
    }
    let kind = match keyword {
        Keyword::Run => InstructionKind::Run(a.shell_or_exec(as_, ae)),
        Keyword::Cmd => InstructionKind::Cmd(a.shell_or_exec(as_, ae)),
        Keyword::Entrypoint => InstructionKind::Entrypoint(a.shell_or_exec(as_, ae)),
        Keyword::Shell => shell(&mut a),
        Keyword::Copy | Keyword::Add => copy(&mut a),
        Keyword::Volume => volume(&mut a),
        Keyword::Env => InstructionKind::Env(env_or_label(&mut a)),
        Keyword::Label => InstructionKind::Label(env_or_label(&mut a)),
        Keyword::Arg => arg(&mut a),
        Keyword::From => from(&mut a),
        Keyword::Expose => expose(&mut a),
        Keyword::User => InstructionKind::User(one_word(&mut a)),
        Keyword::Workdir => InstructionKind::Workdir(one_word(&mut a)),
        Keyword::Stopsignal => InstructionKind::Stopsignal(one_word(&mut a)),
        Keyword::Maintainer => InstructionKind::Maintainer(one_word(&mut a)),
        Keyword::Healthcheck => healthcheck(&mut a),
        Keyword::Onbuild => onbuild(&mut a, depth),
        Keyword::Unknown => InstructionKind::Invalid,
    };
    Instruction {
        span: lg.span(ts, te),
        keyword,
        keyword_span: lg.span(ts, kw_end),
        flags,
        args: ShellText {
            text: text[as_..ae].to_string(),
            map: lg.map.slice(as_, ae),
            span: lg.span(as_, ae),
        },
        kind,
        heredocs: Vec::new(),
        empty_continuation_lines: Vec::new(),
        stage: None,
        json: a.json,
        leading_comments: Vec::new(),
    }
}

/// `SHELL ["executable", "parameters"]`: JSON form only.
fn shell(a: &mut Args) -> InstructionKind {
    match a.shell_or_exec(a.start, a.end) {
        ShellOrExec::Exec(words) => {
            if words.is_empty() && a.json {
                a.error("SHELL requires at least one argument");
            }
            InstructionKind::Shell(words)
        }
        ShellOrExec::Shell(_) => {
            a.error("SHELL requires the arguments to be in JSON form");
            InstructionKind::Shell(Vec::new())
        }
    }
}

/// `COPY`/`ADD src... dest`.
fn copy(a: &mut Args) -> InstructionKind {
    let mut sources = a.paths();
    let dest = sources.pop();
    if sources.is_empty() {
        a.error(format!(
            "{} requires at least two arguments, but only one was provided. Destination could not be determined",
            a.keyword.as_str()
        ));
    }
    InstructionKind::Copy {
        sources,
        dest,
        json: a.json,
    }
}

/// `VOLUME path...`.
fn volume(a: &mut Args) -> InstructionKind {
    let paths = a.paths();
    if paths.is_empty() {
        a.error("VOLUME requires at least one argument");
    } else if paths.iter().any(|w| w.value.is_empty()) {
        a.error("VOLUME specified can not be an empty string");
    }
    InstructionKind::Volume {
        paths,
        json: a.json,
    }
}

/// `ENV`/`LABEL key=value...` (or the legacy `ENV key value`).
fn env_or_label(a: &mut Args) -> Vec<KeyValue> {
    parse_name_val(a.lg, a.start, a.end, a.keyword, a.errors).unwrap_or_else(|| {
        a.error(format!(
            "{} requires at least one argument",
            a.keyword.as_str()
        ));
        Vec::new()
    })
}

/// `ARG name[=default]...`.
fn arg(a: &mut Args) -> InstructionKind {
    let (lg, esc) = (a.lg, a.lg.escape);
    let text = a.text();
    let pairs: Vec<KeyValue> = parse_words(text, a.start, a.end, esc)
        .into_iter()
        .map(|(s, e)| {
            let raw = &text[s..e];
            match raw.find('=') {
                Some(i) => KeyValue {
                    span: lg.span(s, e),
                    key: lg.raw_word(s, s + i),
                    value: Some(lg.word(s + i + 1, e, unquote(&raw[i + 1..], esc))),
                    raw_value: Some(raw[i + 1..].to_string()),
                    raw: raw.to_string(),
                    legacy: false,
                },
                None => KeyValue {
                    span: lg.span(s, e),
                    key: lg.raw_word(s, e),
                    value: None,
                    raw_value: None,
                    raw: raw.to_string(),
                    legacy: false,
                },
            }
        })
        .collect();
    if pairs.is_empty() {
        a.error("ARG requires at least one argument");
    } else if pairs.iter().any(|p| p.key.value.is_empty()) {
        a.error("ARG names can not be blank");
    }
    InstructionKind::Arg(pairs)
}

/// `FROM image [AS name]`.
fn from(a: &mut Args) -> InstructionKind {
    let lg = a.lg;
    let words = split_ws(&lg.text, a.start, a.end);
    let image = words
        .first()
        .map(|&(s, e)| lg.raw_word(s, e))
        .unwrap_or_else(|| lg.word(a.start, a.start, String::new()));
    let alias = match words.as_slice() {
        [_] => None,
        [_, (s, e), (c, d)] if lg.text[*s..*e].eq_ignore_ascii_case("as") => {
            let w = lg.raw_word(*c, *d);
            let valid = {
                let lower = w.value.to_ascii_lowercase();
                let mut it = lower.chars();
                it.next().is_some_and(|c| c.is_ascii_lowercase())
                    && it.all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                    })
            };
            if !valid && !w.value.contains('$') {
                a.error(format!(
                    "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                    w.value
                ));
            }
            Some(w)
        }
        _ => {
            a.error("FROM requires either one or three arguments");
            None
        }
    };
    InstructionKind::From { image, alias }
}

/// `EXPOSE port...`.
fn expose(a: &mut Args) -> InstructionKind {
    let lg = a.lg;
    let words: Vec<Word> = split_ws(&lg.text, a.start, a.end)
        .into_iter()
        .map(|(s, e)| lg.raw_word(s, e))
        .collect();
    if words.is_empty() {
        a.error("EXPOSE requires at least one argument");
    }
    InstructionKind::Expose(words)
}

/// `USER`, `WORKDIR`, `STOPSIGNAL`, `MAINTAINER`: the rest of the line as one word.
fn one_word(a: &mut Args) -> Word {
    if a.start == a.end {
        a.error(format!(
            "{} requires exactly one argument",
            a.keyword.as_str()
        ));
    }
    a.lg.raw_word(a.start, a.end)
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK CMD command`.
fn healthcheck(a: &mut Args) -> InstructionKind {
    let (text, s, e) = (&a.lg.text, a.start, a.end);
    let bytes = text.as_bytes();
    let mut sep = s;
    while sep < e && !(bytes[sep].is_ascii_whitespace() || bytes[sep] == 0x0b) {
        sep += 1;
    }
    let mut next = sep;
    while next < e && (bytes[next].is_ascii_whitespace() || bytes[next] == 0x0b) {
        next += 1;
    }
    if sep == s {
        a.error("HEALTHCHECK requires at least one argument");
        return InstructionKind::Invalid;
    }
    let typ = text[s..sep].to_ascii_uppercase();
    let cmd = a.shell_or_exec(next, e);
    match typ.as_str() {
        "NONE" => {
            if next < e {
                a.error("HEALTHCHECK NONE takes no arguments");
            }
            InstructionKind::Healthcheck(None)
        }
        "CMD" => {
            let empty = match &cmd {
                ShellOrExec::Shell(t) => t.text.is_empty(),
                ShellOrExec::Exec(w) => w.is_empty(),
            };
            if empty {
                a.error("Missing command after HEALTHCHECK CMD");
            }
            InstructionKind::Healthcheck(Some(cmd))
        }
        _ => {
            let typ = a.lg.text[s..sep].to_string();
            a.error(format!("Unknown type {typ:?} in HEALTHCHECK (try CMD)"));
            InstructionKind::Invalid
        }
    }
}

/// `ONBUILD instruction`: the trigger is parsed as an instruction of its own.
fn onbuild(a: &mut Args, depth: usize) -> InstructionKind {
    if a.start == a.end {
        a.error("ONBUILD requires at least one argument");
        return InstructionKind::Invalid;
    }
    if depth >= MAX_ONBUILD_DEPTH {
        a.error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        return InstructionKind::Invalid;
    }
    let child = build_instruction(a.lg, a.start, a.end, a.errors, depth + 1);
    match child.keyword {
        Keyword::Onbuild => a.error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        Keyword::From | Keyword::Maintainer => a.error(format!(
            "{} isn't allowed as an ONBUILD trigger",
            child.keyword.as_str()
        )),
        _ => {}
    }
    InstructionKind::Onbuild(Box::new(child))
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
