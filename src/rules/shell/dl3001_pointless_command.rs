//! DL3001: Commands such as ssh, vim, service or top make no sense in a container build.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL3001 `pointless-command`.
pub struct PointlessCommand;

impl Rule for PointlessCommand {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3001",
            name: "pointless-command",
            severity: Severity::Info,
            summary: "Commands such as ssh, vim, service or top make no sense in a container build",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        const POINTLESS: &[&str] = &[
            "ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill", "mount", "ifconfig",
        ];
        super::each_command(cx, |c| {
            let name = c.name()?;
            if c.nested || !POINTLESS.contains(&name) {
                return None;
            }
            Some((
                c.span,
                format!("`{name}` has no useful effect while building an image layer"),
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn commands() {
        assert_eq!(
            lines(&PointlessCommand, "FROM debian\nRUN service nginx start\n"),
            [2]
        );
        assert_eq!(
            lines(
                &PointlessCommand,
                "FROM debian\nRUN apt-get install -y vim\n"
            ),
            Vec::<usize>::new()
        );
        assert!(lines(&PointlessCommand, "FROM debian\nRUN x=$(ps aux)\n").is_empty());
    }
}
