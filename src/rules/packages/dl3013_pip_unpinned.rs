//! DL3013: Pin versions in `pip install`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3013 `pip-unpinned`.
pub struct PipUnpinned;

impl Rule for PipUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3013",
            name: "pip-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `pip install`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::Pip, Manager::Pipx],
            // A constraints file (`-c` / `--constraint`) pins what it names.
            |inv| inv.manager == Manager::Pip && inv.has(&["-c", "--constraint"]),
            |inv, p| {
                if p.raw.contains("://") {
                    format!(
                        "`{}` installs whatever the branch points to at build time: add \
                         `@<tag or commit>`",
                        p.name
                    )
                } else {
                    format!(
                        "pin the version of `{}` in `{} install` (`{}==<version>`) or use a \
                         requirements file",
                        p.name,
                        inv.manager.as_str(),
                        p.name
                    )
                }
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn pins() {
        let src = "FROM python:3\nRUN pip install -r req.txt flask==2.0 \"django>=4\" ./pkg git+https://x/y.git -e . requests\n";
        assert_eq!(lines(&PipUnpinned, src), [2]);
        let src = "FROM python:3\nRUN pip install --no-cache-dir -r requirements.txt\n";
        assert!(lines(&PipUnpinned, src).is_empty());
        let src = "FROM python:3\nRUN pip install --upgrade pip\n";
        assert_eq!(lines(&PipUnpinned, src), [2]);
    }
}
