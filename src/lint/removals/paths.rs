//! Path arithmetic of the removal bookkeeping: resolving a word against the working directory
//! and home, where COPY/ADD put their sources, and whether a delete (maybe a glob) covers a path.

use crate::shell::{basename, path_covers};

/// True when deleting `r` (absolute, maybe a glob) deletes `path` or everything in it.
pub(super) fn covers(r: &str, path: &str) -> bool {
    path_covers(r, path) || glob_covers(r, path)
}

/// `r` with `*`/`?` in any component matches `path` or one of its parents (a leading `*`
/// does not match a leading dot).
fn glob_covers(r: &str, path: &str) -> bool {
    if !r.contains(['*', '?']) || r.contains('[') {
        return false;
    }
    let mut rc = r.trim_end_matches('/').split('/');
    let mut pc = path.trim_end_matches('/').split('/');
    // Every component of `r` matches the component of `path` at its place (no allocation:
    // this runs for every remembered path on every delete).
    loop {
        match (rc.next(), pc.next()) {
            (None, _) => return true,
            (Some(_), None) => return false,
            (Some(g), Some(p)) if !fnmatch(g, p) => return false,
            _ => {}
        }
    }
}

/// Shell pattern match of one path component with `*` and `?`.
fn fnmatch(g: &str, s: &str) -> bool {
    if s.starts_with('.') && !g.starts_with('.') {
        return g == s;
    }
    let (g, s): (Vec<char>, Vec<char>) = (g.chars().collect(), s.chars().collect());
    // iterative wildcard matching with one backtrack point
    let (mut gi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        match g.get(gi) {
            Some('*') => {
                star = Some(gi);
                mark = si;
                gi += 1;
            }
            Some('?') => {
                gi += 1;
                si += 1;
            }
            Some(c) if *c == s[si] => {
                gi += 1;
                si += 1;
            }
            _ => match star {
                Some(st) => {
                    gi = st + 1;
                    mark += 1;
                    si = mark;
                }
                None => return false,
            },
        }
    }
    g[gi..].iter().all(|c| *c == '*')
}

/// An absolute, normalised path for `p` (`~` and `$HOME` as `home`, the home of the user the
/// instruction runs as, relative paths against `cwd`); `None` when it depends on something
/// unknown.
pub(super) fn resolve(p: &str, cwd: Option<&str>, home: Option<&str>) -> Option<String> {
    let in_home = ["~/", "$HOME/", "${HOME}/"]
        .iter()
        .find_map(|h| p.strip_prefix(h))
        .or_else(|| ["~", "$HOME", "${HOME}"].contains(&p).then_some(""));
    let joined = match in_home {
        Some(rest) => format!("{}/{rest}", home?.trim_end_matches('/')),
        None if p.starts_with('/') => p.to_string(),
        None => format!("{}/{p}", cwd?),
    };
    if joined.contains(['$', '`', '\\', '{', '\n']) || p.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for comp in joined.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Where a COPY/ADD puts its sources.
pub(super) fn copy_targets(
    sources: &[crate::dockerfile::Word],
    dest: &str,
    cwd: Option<&str>,
    home: Option<&str>,
) -> Vec<String> {
    let Some(d) = resolve(dest, cwd, home) else {
        return Vec::new();
    };
    if sources.len() > 1 || dest.ends_with('/') {
        sources
            .iter()
            .filter_map(|s| {
                let v = s.value.trim_end_matches('/');
                let name = basename(v.split('?').next().unwrap_or(v));
                let plain = !name.is_empty()
                    && name != "."
                    && name != ".."
                    && !v.ends_with('/')
                    && !name.contains(['*', '?', '[', '$']);
                // A directory source copies its contents: they land in `dest` itself.
                (plain && !s.value.ends_with('/'))
                    .then(|| format!("{}/{name}", d.trim_end_matches('/')))
            })
            .collect()
    } else if d == "/" {
        Vec::new()
    } else {
        vec![d]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_covers("/tmp/*.tar.gz", "/tmp/a.tar.gz"));
        assert!(glob_covers("/opt/*/docs", "/opt/x/docs/y"));
        assert!(!glob_covers("/tmp/*.tgz", "/tmp/a.tar.gz"));
        assert!(!glob_covers("/tmp/*", "/tmp/.hidden"));
        assert!(glob_covers("/tmp/a?c", "/tmp/abc"));
        assert_eq!(
            resolve("../b/./c", Some("/a/x"), Some("/root")).as_deref(),
            Some("/a/b/c")
        );
        assert_eq!(
            resolve("~/.cache", None, Some("/root")).as_deref(),
            Some("/root/.cache")
        );
        assert_eq!(
            resolve("$HOME/.npm", None, Some("/home/node/")).as_deref(),
            Some("/home/node/.npm")
        );
        assert_eq!(resolve("~/.cache", None, None), None);
        assert_eq!(resolve("x", None, Some("/root")), None);
    }
}
