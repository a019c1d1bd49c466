//! DL5111 (BuildKit ExposeInvalidFormat): EXPOSE with an IP address or host port.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::with_onbuild;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `EXPOSE 8080:80` / `EXPOSE 127.0.0.1:80:80`: publishing is decided at `docker run`, not here.
pub struct ExposeInvalidFormat;

impl Rule for ExposeInvalidFormat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5111",
            name: "expose-invalid-format",
            severity: Severity::Warning,
            summary: "EXPOSE with an IP address or host:container port mapping",
            fix: Some(Applicability::Safe),
            aliases: &["ExposeInvalidFormat"],
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
                let v = w.value.as_str();
                if v.contains('$') || !v.contains(':') {
                    continue;
                }
                let (ports, proto) = match v.split_once('/') {
                    Some((p, proto)) => (p, Some(proto)),
                    None => (v, None),
                };
                let container = ports.rsplit(':').next().unwrap_or("");
                let plain = w.span.text(&df.source) == v;
                let fix = (!container.is_empty() && plain).then(|| Fix {
                    description: format!("expose only the container port `{container}`"),
                    edits: vec![Edit {
                        span: w.span,
                        replacement: match proto {
                            Some(p) => format!("{container}/{p}"),
                            None => container.to_string(),
                        },
                    }],
                    applicability: crate::lint::Applicability::Safe,
                });
                cx.report_with_fix(
                    w.span,
                    format!(
                        "EXPOSE `{v}` names a host address or port; EXPOSE takes only the container port (`{container}`), publish with `docker run -p`"
                    ),
                    fix,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_and_fixes_host_mappings() {
        let src = "FROM a\nEXPOSE 8080:80 127.0.0.1:53:53/udp 443\n";
        assert_eq!(lines(&ExposeInvalidFormat, src), vec![2, 2]);
        assert_eq!(
            fixed(&ExposeInvalidFormat, src),
            "FROM a\nEXPOSE 80 53/udp 443\n"
        );
    }

    #[test]
    fn plain_ports_are_fine() {
        assert!(
            lines(
                &ExposeInvalidFormat,
                "FROM a\nEXPOSE 80 443/tcp 8000-8010 $P\n"
            )
            .is_empty()
        );
    }
}
