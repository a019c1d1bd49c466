//! DL5155: `chmod 777`, `chmod a+rwx`, `mkdir -m 777` ... in a RUN of a stage that ends up in the
//! image: every user of the container (any process, whatever its uid) may write the path. It is
//! usually a workaround for a file owned by the wrong user; `chown`, `COPY --chown` or group
//! write (`chmod g+w`, OpenShift's `chgrp 0 && chmod g=u`) give the access without it. Modes with
//! the sticky bit (`1777`, `+t`), the right mode for a shared `/tmp`-like directory, are not
//! reported.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::{Command, Word};

/// DL5155 `world-writable-path`.
pub struct WorldWritablePath;

impl Rule for WorldWritablePath {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5155",
            name: "world-writable-path",
            severity: Severity::Warning,
            summary: "chmod or mkdir -m gives every user write access to a path (others-write bit)",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let a = cx.analysis();
        for run in &a.runs {
            if !cx.model().in_final_image(run.stage) {
                continue;
            }
            let Some(script) = &run.script else { continue };
            for (k, c) in script.commands.iter().enumerate() {
                let Some(mode) = mode_of(c) else { continue };
                if !world_writable(&mode.value) {
                    continue;
                }
                // A temporary directory the RUN removes again (`rm -rf "$tempDir"`) is gone
                // from the image.
                let removed = |p: &str| {
                    script
                        .commands
                        .iter()
                        .skip(k + 1)
                        .any(|r| r.name() == Some("rm") && r.operands().any(|o| o.value == p))
                };
                let paths: Vec<&str> = targets(c, mode)
                    .map(|w| w.value.as_str())
                    .filter(|p| !removed(p))
                    .collect();
                let what = match paths.as_slice() {
                    [] => continue,
                    [p] => format!("`{p}`"),
                    [p, ..] => format!("`{p}` and {} more", paths.len() - 1),
                };
                cx.report(
                    c.span,
                    format!(
                        "mode `{}` lets every user of the container write {what}: give it to the \
                         user that needs it (`chown`, `COPY --chown`) or use group write \
                         (`chmod g+w`, `chgrp 0 && chmod g=u`)",
                        mode.value
                    ),
                );
            }
        }
    }
}

/// The mode word of a `chmod`, or of the `-m`/`--mode` option of `mkdir` and `install`.
fn mode_of(c: &Command) -> Option<&Word> {
    let args = c.args();
    match c.name()? {
        "chmod" => {
            if args.iter().any(|w| w.value.starts_with("--reference")) {
                return None;
            }
            // The first word that is not an option; `-w`-like modes are rare and left alone.
            args.iter()
                .find(|w| !w.value.starts_with('-'))
                .filter(|w| w.is_static)
        }
        "mkdir" | "install" => {
            let mut it = args.iter();
            while let Some(w) = it.next() {
                let v = w.value.as_str();
                if v == "--" {
                    return None;
                }
                if v.strip_prefix("--mode=").is_some() {
                    // `--mode=777`: the value is the rest of the word
                    return Some(w).filter(|w| w.is_static);
                }
                if v == "--mode" {
                    return it.next().filter(|w| w.is_static);
                }
                if let Some(cluster) = v.strip_prefix('-').filter(|s| !s.starts_with('-'))
                    && let Some(p) = cluster.find('m')
                {
                    return if p + 1 == cluster.len() {
                        it.next().filter(|w| w.is_static)
                    } else {
                        Some(w).filter(|w| w.is_static)
                    };
                }
            }
            None
        }
        _ => None,
    }
}

/// The paths the command changes: its operands after the mode.
fn targets<'a>(c: &'a Command, mode: &'a Word) -> impl Iterator<Item = &'a Word> {
    c.args()
        .iter()
        .filter(move |w| !w.value.starts_with('-') && !std::ptr::eq(*w, mode))
}

/// True when `mode` (as written, `--mode=`/`-m` prefix allowed) sets the others-write bit
/// without the sticky bit.
fn world_writable(mode: &str) -> bool {
    let mode = mode
        .strip_prefix("--mode=")
        .or_else(|| mode.strip_prefix("-m"))
        .or_else(|| {
            // a cluster such as `-pm777`
            mode.strip_prefix('-')
                .and_then(|c| c.find('m').map(|p| &c[p + 1..]))
        })
        .unwrap_or(mode);
    if !mode.is_empty() && mode.len() <= 5 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let digits: Vec<u8> = mode.bytes().map(|b| b - b'0').collect();
        let others = digits.last().copied().unwrap_or(0);
        let special = match digits.len() {
            n @ 4.. => digits.get(n - 4).copied().unwrap_or(0),
            _ => 0,
        };
        return others & 2 != 0 && special & 1 == 0;
    }
    // Symbolic: `[ugoa]*[+=][rwxXst]*`, clauses joined by commas. An empty "who" is filtered
    // by the umask (022 by default), so `+w` does not reach others.
    let mut writable = false;
    for clause in mode.split(',') {
        let who_end = clause
            .find(|c: char| !matches!(c, 'u' | 'g' | 'o' | 'a'))
            .unwrap_or(clause.len());
        let (who, rest) = clause.split_at(who_end);
        if rest.contains('t') {
            return false;
        }
        let others = who.contains('o') || who.contains('a');
        if others && (rest.starts_with('+') || rest.starts_with('=')) && rest.contains('w') {
            writable = true;
        }
    }
    writable
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn modes() {
        for m in [
            "777", "0777", "666", "776", "0002", "a+rwx", "o+w", "a=rwx", "ugo+w", "u+x,o+w",
        ] {
            assert!(world_writable(m), "{m}");
        }
        for m in [
            "755", "775", "770", "644", "1777", "01777", "g+w", "g=u", "+w", "+x", "o+r", "a+rwxt",
            "o-w", "4755",
        ] {
            assert!(!world_writable(m), "{m}");
        }
    }

    #[test]
    fn flags_world_writable_modes() {
        let src = "FROM debian:12\n\
                   RUN mkdir -p /data && chmod 777 /data\n\
                   RUN chmod -R a+rwx /app\n\
                   RUN mkdir -pm 777 /var/lib/x\n\
                   RUN mkdir --mode=0777 /srv/y\n\
                   RUN install -d -m 777 /var/log/z\n";
        assert_eq!(lines(&WorldWritablePath, src), [2, 3, 4, 5, 6]);
    }

    #[test]
    fn accepts_group_sticky_and_builder_stages() {
        let src = "FROM debian:12 AS build\n\
                   RUN chmod 777 /build\n\
                   FROM debian:12\n\
                   COPY --from=build /build/app /app\n\
                   RUN chmod 1777 /tmp/shared && chmod g+w /app && chgrp 0 /app && chmod g=u /app\n\
                   RUN mkdir -m 755 /data && chmod +w /data && chmod --reference=/etc /data\n\
                   RUN chmod \"$MODE\" /data\n\
                   RUN d=\"$(mktemp -d)\" && chmod 777 \"$d\" && make -C \"$d\" && rm -rf \"$d\"\n";
        assert!(lines(&WorldWritablePath, src).is_empty());
    }
}
