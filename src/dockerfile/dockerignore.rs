//! `.dockerignore` files with Docker's own matching rules (moby's pattern matcher), which differ
//! from `.gitignore`'s: a pattern is anchored at the context root (`foo` is only `./foo`), `*`
//! and `?` never cross a `/`, `**` spans any number of directories, a pattern also excludes
//! everything below a directory it matches, `!` re-includes, and the last matching line wins.

use regex::Regex;

/// One pattern line.
#[derive(Debug, Clone)]
struct Pattern {
    /// The cleaned pattern text.
    text: String,
    /// A `!` line: re-includes what it matches.
    exclusion: bool,
    /// The compiled matcher (`None` when the pattern does not compile: it matches nothing).
    regex: Option<Regex>,
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct Dockerignore {
    patterns: Vec<Pattern>,
}

/// Longest pattern line compiled (longer lines match nothing; real files stay far below).
const MAX_PATTERN_BYTES: usize = 4096;

impl Dockerignore {
    /// Parses the file's text: `#` comments and blank lines skipped, blanks trimmed, paths
    /// cleaned (`./a/../b` is `b`) and a leading `/` dropped.
    pub fn parse(text: &str) -> Self {
        let patterns = text
            .lines()
            .filter_map(|line| {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    return None;
                }
                let (exclusion, rest) = match line.strip_prefix('!') {
                    Some(r) => (true, r.trim()),
                    None => (false, line),
                };
                let text = clean(rest);
                let regex = (text.len() <= MAX_PATTERN_BYTES)
                    .then(|| Regex::new(&to_regex(&text)).ok())
                    .flatten();
                Some(Pattern {
                    text,
                    exclusion,
                    regex,
                })
            })
            .collect();
        Dockerignore { patterns }
    }

    /// True when some line re-includes paths (`!pattern`).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// True when a line excludes the whole context (`*`, `**`, `**/*`, `.`).
    pub fn excludes_everything(&self) -> bool {
        self.patterns
            .iter()
            .any(|p| !p.exclusion && matches!(p.text.as_str(), "*" | "**" | "**/*" | "."))
    }

    /// True when `path` (relative to the context root, `/`-separated) is excluded: the last
    /// line matching it or one of its parent directories decides.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        let parents: Vec<&str> = path.match_indices('/').map(|(i, _)| &path[..i]).collect();
        let mut excluded = false;
        for p in &self.patterns {
            let Some(re) = &p.regex else { continue };
            let hit = re.is_match(&path) || parents.iter().any(|d| re.is_match(d));
            if hit {
                excluded = !p.exclusion;
            }
        }
        excluded
    }
}

/// Lexically cleans a `/`-separated path (Go's `filepath.Clean`) and drops a leading `/`.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !path.starts_with('/') {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The pattern as an anchored regex: `*` any run without `/`, `?` one non-`/` character, `**`
/// any run including `/` (`**/` may match nothing), `[...]` a class, `\x` a literal `x`.
fn to_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                if chars.get(i + 1) == Some(&'/') {
                    i += 1;
                }
                if i + 1 >= chars.len() {
                    out.push_str(".*");
                } else {
                    out.push_str("(.*/)?");
                }
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '[' => {
                // A character class up to the closing `]`, copied with `^`/`!` negation.
                match chars[i + 1..].iter().position(|&x| x == ']') {
                    Some(len) => {
                        out.push('[');
                        let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                        let inner = inner
                            .strip_prefix('!')
                            .map_or(inner.clone(), |r| format!("^{r}"));
                        for ch in inner.chars() {
                            if matches!(ch, '[' | '\\' | '&' | '~' | '|') {
                                out.push('\\');
                            }
                            out.push(ch);
                        }
                        out.push(']');
                        i += len + 1;
                    }
                    None => out.push_str("\\["),
                }
            }
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    out.push_str(&regex::escape(&next.to_string()));
                    i += 1;
                }
            }
            c => out.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(patterns: &str, path: &str) -> bool {
        Dockerignore::parse(patterns).excludes(path)
    }

    /// The examples of Docker's `.dockerignore` documentation.
    #[test]
    fn docker_documented_examples() {
        // `*/temp*`: in any immediate subdirectory of the root.
        assert!(ex("*/temp*", "somedir/temporary.txt"));
        assert!(ex("*/temp*", "somedir/temp"));
        assert!(!ex("*/temp*", "temp.txt"));
        assert!(!ex("*/temp*", "a/b/temp.txt"));
        // `*/*/temp*`: two levels below the root.
        assert!(ex("*/*/temp*", "somedir/subdir/temporary.txt"));
        assert!(!ex("*/*/temp*", "somedir/temporary.txt"));
        // `temp?`: one character.
        assert!(ex("temp?", "tempa"));
        assert!(ex("temp?", "tempb"));
        assert!(!ex("temp?", "temp"));
        assert!(!ex("temp?", "tempab"));
        // `**/*.go`: at any depth, the root included.
        assert!(ex("**/*.go", "main.go"));
        assert!(ex("**/*.go", "a/b/c.go"));
        // Exceptions: the last matching line wins.
        let p = "*.md\n!README*.md\nREADME-secret.md";
        assert!(ex(p, "CHANGES.md"));
        assert!(!ex(p, "README.md"));
        assert!(ex(p, "README-secret.md"));
        let p = "*.md\nREADME-secret.md\n!README*.md";
        assert!(!ex(p, "README-secret.md"));
    }

    #[test]
    fn anchored_at_the_root_unlike_gitignore() {
        assert!(ex("node_modules", "node_modules"));
        assert!(
            ex("node_modules", "node_modules/x/index.js"),
            "below a matched directory"
        );
        assert!(
            !ex("node_modules", "web/node_modules"),
            "gitignore would match this"
        );
        assert!(ex("**/node_modules", "web/node_modules/x.js"));
        assert!(
            ex("/dist/", "dist/app.js"),
            "leading and trailing slashes are cleaned"
        );
        assert!(ex("./build/../dist", "dist"));
        assert!(!ex("# comment\n\n", "anything"));
        assert!(ex("[a-c]x", "bx") && !ex("[!a-c]x", "bx") && ex("[!a-c]x", "dx"));
        assert!(ex("file\\*", "file*") && !ex("file\\*", "filex"));
    }

    #[test]
    fn whole_context_and_exclusions() {
        assert!(Dockerignore::parse("**\n").excludes_everything());
        assert!(!Dockerignore::parse("*.log\n").excludes_everything());
        assert!(Dockerignore::parse("*\n!src\n").has_exclusions());
        assert!(!ex("[unclosed", "x"));
    }
}
