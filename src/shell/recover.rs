//! Valid shell that tree-sitter-bash rejects: a reserved word directly after the closer of a
//! compound command, without a `;` between them (`then ( a ) else`, `then { a; } else`,
//! `fi fi`, `esac done`, `if ( a ) then`). POSIX lets a compound list end without a separator
//! after a compound command (dash, bash and ShellCheck accept these); the grammar wants one.
//! [`separate_closers`] puts a `;` there, replacing one blank so that every offset holds, and
//! [`confirmed`] checks on the reparsed tree that each `;` separates a compound command from
//! what follows. A script still rejected after that is reported as it is.

use tree_sitter::Node;

/// Words that close a compound command.
const CLOSERS: &[&str] = &["fi", "done", "esac", "}", ")"];

/// Reserved words that may follow a closer without a separator.
const FOLLOWERS: &[&str] = &["fi", "done", "esac", "}", "else", "elif", "then", "do"];

/// tree-sitter-bash node kinds of compound commands.
const COMPOUND: &[&str] = &[
    "subshell",
    "compound_statement",
    "if_statement",
    "while_statement",
    "for_statement",
    "c_style_for_statement",
    "case_statement",
];

/// A token of the script: its byte range and whether it is an unquoted word or operator that
/// could be a reserved word.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    plain: bool,
}

/// `text` with a `;` after every closer that a reserved word follows on the same logical line,
/// and the offsets of those `;`; `None` when there is no such place.
pub(super) fn separate_closers(text: &str) -> Option<(String, Vec<usize>)> {
    let tokens = tokens(text);
    let mut bytes = text.as_bytes().to_vec();
    let mut at = Vec::new();
    for pair in tokens.windows(2) {
        let [a, b] = pair else { continue };
        let word = |t: &Token| text.get(t.start..t.end).unwrap_or("");
        if !(a.plain && b.plain && CLOSERS.contains(&word(a)) && FOLLOWERS.contains(&word(b))) {
            continue;
        }
        let gap = text.get(a.end..b.start).unwrap_or("");
        if !gap
            .replace("\\\n", "")
            .chars()
            .all(|c| c == ' ' || c == '\t')
        {
            continue;
        }
        if let (Some(b' ' | b'\t' | b'\\'), Some(slot)) =
            (gap.as_bytes().first(), bytes.get_mut(a.end))
        {
            *slot = b';';
            at.push(a.end);
        }
    }
    if at.is_empty() {
        return None;
    }
    String::from_utf8(bytes).ok().map(|s| (s, at))
}

/// True when every `;` at `at` in the tree of the separated text is a separator that follows a
/// compound command (not part of a word, string or comment) and precedes a keyword.
pub(super) fn confirmed(root: Node<'_>, at: &[usize]) -> bool {
    at.iter().all(|&p| {
        let Some(semi) = root.descendant_for_byte_range(p, p + 1) else {
            return false;
        };
        semi.kind() == ";"
            && semi.start_byte() == p
            && semi
                .prev_sibling()
                .is_some_and(|s| COMPOUND.contains(&s.kind()) && s.end_byte() == p)
            // the reserved word after it is the grammar's keyword, not a command name (the
            // grammar takes a stray `fi` for a command)
            && semi.next_sibling().is_none_or(|s| s.kind() != "command")
    })
}

/// The tokens of `text` outside comments: words (`plain` when unquoted and unescaped) and the
/// one-character operators `;`, `&`, `|`, `(`, `)`, `<`, `>`, newline. Quoting is followed well
/// enough to skip reserved-looking text inside strings; the reparse decides the rest.
fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut word: Option<Token> = None;
    let flush = |word: &mut Option<Token>, out: &mut Vec<Token>, end: usize| {
        if let Some(mut w) = word.take() {
            w.end = end;
            out.push(w);
        }
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' if b.get(i + 1) == Some(&b'\n') => {
                flush(&mut word, &mut out, i);
                i += 2;
                continue;
            }
            b' ' | b'\t' | b'\r' => flush(&mut word, &mut out, i),
            b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => {
                flush(&mut word, &mut out, i);
                out.push(Token {
                    start: i,
                    end: i + 1,
                    plain: true,
                });
            }
            b'#' if word.is_none() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {
                let w = word.get_or_insert(Token {
                    start: i,
                    end: i,
                    plain: true,
                });
                match c {
                    b'\\' => {
                        w.plain = false;
                        i += 2;
                        continue;
                    }
                    b'\'' | b'"' | b'`' => {
                        w.plain = false;
                        i = closing_quote(b, i);
                        continue;
                    }
                    b'$' if b.get(i + 1) == Some(&b'(') => {
                        w.plain = false;
                        i = closing_paren(b, i + 1);
                        continue;
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    flush(&mut word, &mut out, b.len());
    out
}

/// The offset after the quote closing the one at `open` (or the end of the text).
fn closing_quote(b: &[u8], open: usize) -> usize {
    let q = b[open];
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q != b'\'' => i += 1,
            c if c == q => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The offset after the `)` matching the `(` at `open`, quotes skipped (or the end of the text).
fn closing_paren(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            b'\\' => i += 1,
            b'\'' | b'"' | b'`' => {
                i = closing_quote(b, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::separate_closers;

    fn separated(s: &str) -> Option<String> {
        separate_closers(s).map(|(t, _)| t)
    }

    #[test]
    fn separates_reserved_words_after_closers() {
        assert_eq!(
            separated("if a; then ( echo a ) else echo b; fi").as_deref(),
            Some("if a; then ( echo a );else echo b; fi")
        );
        assert_eq!(
            separated("if a; then if b; then c; fi \\\n fi").as_deref(),
            Some("if a; then if b; then c; fi;\\\n fi")
        );
        assert_eq!(
            separated("for a in 1; do case $a in 1) x;; esac done").as_deref(),
            Some("for a in 1; do case $a in 1) x;; esac;done")
        );
    }

    #[test]
    fn leaves_quoted_commented_and_separated_text() {
        assert_eq!(separated("echo 'fi fi' \"( x ) else\""), None);
        assert_eq!(separated("echo a # ( x ) else"), None);
        assert_eq!(separated("if a; then b; fi\nfi"), None);
        assert_eq!(separated("echo $(x) $( y )"), None);
    }
}
