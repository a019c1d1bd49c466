//! ShellCheck's parse-error codes (SC1133, SC1065, SC1089, SC1088, SC1072) for a script
//! tree-sitter could not parse: one classifier decides which code the first error gets, so the
//! five rules share it; it runs only when one of them is enabled.

use super::{ScFinding, walk};
use crate::shell::Mapping;
use tree_sitter::Node;

/// The codes [`parse_error`] gives.
pub const CODES: [&str; 5] = ["SC1133", "SC1065", "SC1089", "SC1088", "SC1072"];

/// ShellCheck's parse-error finding for a script tree-sitter could not parse: the first error
/// (or missing token) in the tree, classified as ShellCheck names it: SC1133 for a line that
/// starts with `|`, `||` or `&&`, SC1065 for a function declared with parameters, SC1089 for a
/// keyword that closes nothing, SC1088 for parentheses where none can be, SC1072 otherwise.
/// Other checks do not run on such a script.
pub(crate) fn parse_error(root: Node<'_>, src: &str, mapping: Mapping<'_>) -> Option<ScFinding> {
    let mut first = None;
    walk(root, |n, _| {
        if first.is_none() && (n.is_error() || n.is_missing()) {
            first = Some(n);
        }
    });
    let mut start = first?.start_byte().min(src.len());
    // an error node may begin with the blanks before the token it could not place
    if let Some(rest) = src.get(start..) {
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        start += blanks;
    }
    let line_start = src
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = src
        .get(start..)
        .and_then(|s| s.find('\n'))
        .map_or(src.len(), |i| start + i);
    let line = src.get(line_start..line_end).unwrap_or("");
    let indent = line.len() - line.trim_start().len();
    let region = src.get(start..line_end).unwrap_or("");
    let token_len = |text: &str| {
        text.char_indices()
            .find(|&(i, c)| i > 0 && (c.is_whitespace() || c == ';'))
            .map_or(text.len(), |(i, _)| i)
    };
    let token = region.get(..token_len(region)).unwrap_or("");
    let found = |code, at: usize, len: usize, message: String| {
        let end = (at + len.max(1)).min(src.len());
        Some(ScFinding {
            code,
            span: mapping.span(at.min(end), end),
            message,
        })
    };
    let body = line.trim_start();
    if line_start > 0 && (body.starts_with('|') || body.starts_with("&&")) {
        let len = if body.starts_with("||") || body.starts_with("&&") {
            2
        } else {
            1
        };
        return found(
            "SC1133",
            line_start + indent,
            len,
            "Unexpected start of line. If breaking lines, |/||/&& should be at the end of the previous one.".to_string(),
        );
    }
    if declares_parameters(body)
        && let Some(open) = body.find('(')
    {
        return found(
            "SC1065",
            line_start + indent + open + 1,
            1,
            "Trying to declare parameters? Don't. Use () and refer to params as $1, $2.."
                .to_string(),
        );
    }
    let closing = |t: &str| matches!(t, "fi" | "done" | "esac" | "}");
    let before = src.get(..start).unwrap_or("").trim_end();
    let previous = before
        .rsplit(|c: char| c.is_whitespace() || c == ';')
        .next()
        .unwrap_or("");
    if closing(token) && closing(previous) && !before.ends_with(';') {
        // `done done`: a compound command ending a loop body without a `;` is valid shell
        // that tree-sitter-bash does not parse. When a keyword before it is still open, say
        // nothing rather than guess.
        let opener = match token {
            "fi" => "if",
            "done" => "do",
            "esac" => "case",
            _ => "{",
        };
        let unquoted = without_quoted_text(before);
        let words = unquoted.split(|c: char| c.is_whitespace() || c == ';');
        let open = words.fold(0i64, |n, w| {
            n + i64::from(w == opener) - i64::from(w == token)
        });
        if open > 0 {
            return None;
        }
    }
    if matches!(
        token,
        "fi" | "done" | "esac" | "then" | "else" | "elif" | "do" | "}" | ")" | "in"
    ) {
        return found(
            "SC1089",
            start,
            token.len(),
            "Parsing stopped here. Is this keyword correctly matched up?".to_string(),
        );
    }
    if let Some(open) = region.find('(') {
        return found(
            "SC1088",
            start + open,
            1,
            "Parsing stopped here. Invalid use of parentheses?".to_string(),
        );
    }
    let message = if token.is_empty() {
        "Unexpected end of input. Fix any mentioned problems and try again.".to_string()
    } else {
        format!(
            "The shell cannot parse this, from `{token}` on. Fix any mentioned problems and try again."
        )
    };
    found("SC1072", start, token.len(), message)
}

/// `text` with the contents of its quoted strings blanked (keywords inside quotes are words).
fn without_quoted_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            _ if escaped => escaped = false,
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => escaped = true,
            Some(_) => {
                out.push(' ');
                continue;
            }
            None if c == '\\' => escaped = true,
            None if c == '\'' || c == '"' => quote = Some(c),
            None => {}
        }
        out.push(c);
    }
    out
}

/// `f(a, b) {` or `function f(x) {`: a function header with something between its parentheses.
fn declares_parameters(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix("function ").unwrap_or(t).trim_start();
    let name_len = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(t.len());
    if name_len == 0 {
        return false;
    }
    let after = t.get(name_len..).unwrap_or("").trim_start();
    let Some(inner) = after.strip_prefix('(') else {
        return false;
    };
    let Some(close) = inner.find(')') else {
        return false;
    };
    let params = inner.get(..close).unwrap_or("");
    !params.trim().is_empty()
        && !params.contains(['$', '"', '\''])
        && inner
            .get(close + 1..)
            .unwrap_or("")
            .trim_start()
            .starts_with('{')
}
