//! DL4005: Use SHELL to change the default shell instead of linking /bin/sh.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL4005 `ln-bin-sh`.
pub struct LnBinSh;

impl Rule for LnBinSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL4005",
            name: "ln-bin-sh",
            severity: Severity::Warning,
            summary: "Use SHELL to change the default shell instead of linking /bin/sh",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_command(cx, |c| {
            if c.name()? != "ln" {
                return None;
            }
            let target = c.operands().last()?;
            if target.value != "/bin/sh" {
                return None;
            }
            Some((
                c.span,
                "replacing /bin/sh with `ln` changes the shell for every later RUN behind the \
                 reader’s back; use the SHELL instruction"
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
    fn ln() {
        assert_eq!(
            lines(&LnBinSh, "FROM debian\nRUN ln -sf /bin/bash /bin/sh\n"),
            [2]
        );
        assert!(
            lines(
                &LnBinSh,
                "FROM debian\nRUN ln -s /bin/sh /usr/local/bin/sh\n"
            )
            .is_empty()
        );
    }
}
