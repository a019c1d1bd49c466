//! DL3016: Pin versions in `npm install`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3016 `npm-unpinned`.
pub struct NpmUnpinned;

impl Rule for NpmUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3016",
            name: "npm-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `npm install`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::Npm],
            |inv| inv.sub() == "ci",
            |_, p| {
                if p.raw.contains('/') && !p.raw.starts_with('@') {
                    format!(
                        "`{}` installs whatever the default branch points to at build time: add \
                         `#<tag or commit>`",
                        p.name
                    )
                } else {
                    format!(
                        "pin the version of `{}` in `npm install` (`{}@<version>`)",
                        p.name, p.name
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
        let src = "FROM node:20\nRUN npm install -g @angular/cli@17 left-pad@1 express user/repo git+https://x.git ./dir x.tgz\n";
        assert_eq!(lines(&NpmUnpinned, src), [2]);
        let d = crate::lint::testing::run(&NpmUnpinned, src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(lines(&NpmUnpinned, "FROM node:20\nRUN npm install && npm ci\n").is_empty());
    }

    #[test]
    fn tarballs_need_no_version() {
        for t in [
            "pkg-v1.2.3.tar",
            "pkg-v1.2.3.tar.gz",
            "pkg-v1.2.3.tgz",
            "PKG.TGZ",
        ] {
            let src = format!("FROM node:20\nRUN npm install {t}\n");
            assert!(lines(&NpmUnpinned, &src).is_empty(), "{src}");
        }
        assert_eq!(
            lines(&NpmUnpinned, "FROM node:20\nRUN npm install tar\n"),
            [2]
        );
    }
}
