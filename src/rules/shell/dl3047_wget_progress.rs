//! DL3047: Use `wget --progress=dot:giga` (or `-q`/`-nv`) to avoid bloated build logs.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL3047 `wget-progress`.
pub struct WgetProgress;

impl Rule for WgetProgress {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3047",
            name: "wget-progress",
            severity: Severity::Info,
            summary: "Use `wget --progress=dot:giga` (or `-q`/`-nv`) to avoid bloated build logs",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_command(cx, |c| {
            if c.name()? != "wget" {
                return None;
            }
            let quiet = c.args().iter().any(|w| {
                let v = w.value.as_str();
                v.starts_with("--progress")
                    || matches!(
                        v,
                        "--quiet" | "-nv" | "--no-verbose" | "--output-file" | "--append-output"
                    )
                    || v.starts_with("--output-file=")
                    || v.starts_with("--append-output=")
                    || (v.starts_with('-')
                        && !v.starts_with("--")
                        && (v.contains('q') || v[1..].starts_with('o') || v[1..].starts_with('a')))
            });
            if quiet {
                return None;
            }
            Some((
                c.span,
                "`wget` without `--progress=dot:giga`, `-q` or `-nv` floods the build log with a \
                 progress bar"
                    .into(),
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn wget() {
        assert_eq!(
            lines(&WgetProgress, "FROM debian\nRUN wget https://x/y.tgz\n"),
            [2]
        );
        for src in [
            "FROM debian\nRUN wget -q https://x/y.tgz\n",
            "FROM debian\nRUN wget -qO- https://x/y.tgz | tar xz\n",
            "FROM debian\nRUN wget --progress=dot:giga https://x/y.tgz\n",
            "FROM debian\nRUN wget -nv https://x/y.tgz\n",
        ] {
            assert!(lines(&WgetProgress, src).is_empty(), "{src}");
        }
    }
}
