//! DL5148: `EXPOSE 22`: an SSH server in a container is a second way in that needs its own keys
//! and patches; `docker exec` reaches a running container without one.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{unquote, with_onbuild};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5148 `ssh-port-exposed`.
pub struct SshPortExposed;

impl Rule for SshPortExposed {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5148",
            name: "ssh-port-exposed",
            severity: Severity::Warning,
            summary: "Port 22 (SSH) exposed",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for i in with_onbuild(cx.dockerfile) {
            let InstructionKind::Expose(ports) = &i.kind else {
                continue;
            };
            for p in ports {
                let v = unquote(&p.value);
                let port = v.split('/').next().unwrap_or("");
                let proto = v.split('/').nth(1).unwrap_or("tcp");
                // a range such as 20-25 includes 22 as well
                let covers = match port.split_once('-') {
                    Some((a, b)) => {
                        a.parse::<u32>().is_ok_and(|a| a <= 22)
                            && b.parse::<u32>().is_ok_and(|b| b >= 22)
                    }
                    None => port == "22",
                };
                if covers && proto.eq_ignore_ascii_case("tcp") {
                    found.push(p.span);
                }
            }
        }
        for span in found {
            cx.report(
                span,
                "port 22 (SSH) exposed: an SSH server in a container is one more service to key \
                 and patch; use `docker exec` / `kubectl exec` to reach a running container",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_port_22() {
        assert_eq!(lines(&SshPortExposed, "FROM debian\nEXPOSE 80 22\n"), [2]);
        assert_eq!(lines(&SshPortExposed, "FROM debian\nEXPOSE 22/tcp\n"), [2]);
        assert_eq!(lines(&SshPortExposed, "FROM debian\nEXPOSE 20-25\n"), [2]);
    }

    #[test]
    fn other_ports_pass() {
        for src in [
            "FROM debian\nEXPOSE 2222 8022\n",
            "FROM debian\nEXPOSE 22/udp\n",
            "FROM debian\nEXPOSE $PORT\n",
        ] {
            assert!(lines(&SshPortExposed, src).is_empty(), "{src}");
        }
    }
}
