//! DL3003: Use WORKDIR to switch to a directory.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL3003 `cd-instead-of-workdir`.
pub struct CdInsteadOfWorkdir;

impl Rule for CdInsteadOfWorkdir {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3003",
            name: "cd-instead-of-workdir",
            severity: Severity::Warning,
            summary: "Use WORKDIR to switch to a directory",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_command(cx, |c| {
            if c.name()? != "cd" || c.nested {
                return None;
            }
            let dir = c.args().first().map(|w| w.value.as_str()).unwrap_or("~");
            Some((c.span, format!("use `WORKDIR {dir}` instead of `cd {dir}`")))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn cd() {
        assert_eq!(
            lines(&CdInsteadOfWorkdir, "FROM debian\nRUN cd /src && make\n"),
            [2]
        );
        assert!(lines(&CdInsteadOfWorkdir, "FROM debian\nWORKDIR /src\nRUN make\n").is_empty());
    }
}
