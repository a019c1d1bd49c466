//! DL4001: both wget and curl are used in one stage.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL4001 `wget-and-curl`.
pub struct WgetAndCurl;

impl Rule for WgetAndCurl {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL4001",
            name: "wget-and-curl",
            severity: Severity::Warning,
            summary: "Use either wget or curl in a stage, not both",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let a = cx.analysis();
        for stage in 0..df.stages.len() {
            let mut first: [Option<crate::dockerfile::Span>; 2] = [None, None];
            for run in a.stage_runs(stage) {
                let Some(script) = &run.script else { continue };
                for c in &script.commands {
                    let idx = match c.name() {
                        Some("wget") => 0,
                        Some("curl") => 1,
                        _ => continue,
                    };
                    if first[idx].is_none() {
                        first[idx] = Some(c.span);
                    }
                }
            }
            if let (Some(w), Some(cu)) = (first[0], first[1]) {
                // Report the first use of whichever tool came second.
                let (span, other, other_span) = if w.start > cu.start {
                    (w, "curl", cu)
                } else {
                    (cu, "wget", w)
                };
                let line = df.lines.line_col(&df.source, other_span.start).line;
                let tool = if other == "curl" { "wget" } else { "curl" };
                cx.report(
                    span,
                    format!(
                        "this stage already uses {other} (line {line}); using {tool} as well \
                         installs two HTTP clients"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn both() {
        let src = "FROM debian\nRUN curl -fsSL https://x -o y\nRUN wget -q https://z\n";
        assert_eq!(lines(&WgetAndCurl, src), [3]);
        let src =
            "FROM debian AS a\nRUN curl -fsSL https://x\nFROM debian\nRUN wget -q https://z\n";
        assert!(lines(&WgetAndCurl, src).is_empty());
    }
}
