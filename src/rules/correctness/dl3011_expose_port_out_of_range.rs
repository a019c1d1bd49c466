//! DL3011: EXPOSE ports must be within 0-65535.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::with_onbuild;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// EXPOSE with a port number that does not exist.
pub struct ExposePortOutOfRange;

/// The numeric ports of an EXPOSE word (`80`, `80/tcp`, `8000-8010/udp`); `None` when the
/// word is not a plain port or range (variables, host mappings).
pub fn port_range(word: &str) -> Option<Vec<u64>> {
    let port = word.split('/').next().unwrap_or("");
    if port.contains('$') || port.contains(':') {
        return None;
    }
    let parts: Vec<&str> = port.split('-').collect();
    if parts.len() > 2
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    parts
        .iter()
        .map(|p| p.parse::<u64>().ok().or(Some(u64::MAX)))
        .collect()
}

impl Rule for ExposePortOutOfRange {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3011",
            name: "expose-port-out-of-range",
            severity: Severity::Error,
            summary: "EXPOSE port outside 0-65535",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in with_onbuild(df) {
            let InstructionKind::Expose(words) = &ins.kind else {
                continue;
            };
            for w in words {
                if let Some(ports) = port_range(&w.value)
                    && ports.iter().any(|p| *p > 65535)
                {
                    cx.report(
                        w.span,
                        format!("EXPOSE `{}`: valid ports are 0 to 65535", w.value),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_ports_above_65535() {
        let src =
            "FROM a\nEXPOSE 80 65536\nEXPOSE 8000-70000/tcp\nEXPOSE 99999999999999999999999\n";
        assert_eq!(lines(&ExposePortOutOfRange, src), vec![2, 3, 4]);
    }

    #[test]
    fn accepts_valid_ports_ranges_and_variables() {
        let src = "FROM a\nEXPOSE 0 80/udp 65535 8000-8010 $PORT ${P}/tcp\n";
        assert!(lines(&ExposePortOutOfRange, src).is_empty());
    }
}
