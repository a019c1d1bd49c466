//! Minimal XML escaping shared by the checkstyle and JUnit writers.

use std::borrow::Cow;

/// Escapes text for use in an attribute value or element content. Characters XML 1.0 cannot
/// represent at all (most C0 controls) are replaced by U+FFFD.
pub(super) fn escape(s: &str) -> Cow<'_, str> {
    let needs = s
        .chars()
        .any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'' | '\n' | '\r' | '\t') || is_invalid(c));
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_invalid(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_invalid(c: char) -> bool {
    (c < ' ' && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(
            escape("a<b & \"c\" 'd'\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;\u{FFFD}"
        );
    }
}
