//! DL5121: `chown -R`/`chmod -R` in a RUN on files an earlier COPY/ADD of the stage brought in.
//! Changing a file's owner or mode in a later layer stores the whole file again: every byte the
//! COPY added is in the image twice. `COPY --chown=`/`--chmod=` sets them in the COPY's layer.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::unquote;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::path_covers;

/// DL5121 `chown-after-copy`.
pub struct ChownAfterCopy;

impl Rule for ChownAfterCopy {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5121",
            name: "chown-after-copy",
            severity: Severity::Warning,
            summary: "chown/chmod -R in a RUN on files an earlier COPY brought in stores them twice",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let a = cx.analysis();
        for stage in &df.stages {
            if !cx.model().in_final_image(Some(stage.index)) {
                continue;
            }
            // (line of the COPY, absolute destination) of the stage's COPY/ADDs so far.
            let mut copied: Vec<(usize, String)> = Vec::new();
            let mut workdir: Option<String> = Some("/".into());
            for &i in &stage.instructions {
                let Some(inst) = df.instructions.get(i) else {
                    continue;
                };
                match (&inst.kind, inst.keyword) {
                    (InstructionKind::Workdir(w), _) => {
                        let w = unquote(&w.value);
                        workdir = match (w.starts_with('/'), &workdir) {
                            _ if w.contains('$') => None,
                            (true, _) => Some(w.to_string()),
                            (false, Some(base)) => {
                                Some(format!("{}/{w}", base.trim_end_matches('/')))
                            }
                            (false, None) => None,
                        };
                    }
                    (InstructionKind::Copy { dest: Some(d), .. }, Keyword::Copy | Keyword::Add) => {
                        let d = unquote(&d.value);
                        let abs = match (d.starts_with('/'), &workdir) {
                            _ if d.contains('$') => None,
                            (true, _) => Some(d.to_string()),
                            (false, Some(base)) => Some(format!(
                                "{}/{}",
                                base.trim_end_matches('/'),
                                d.trim_start_matches("./")
                            )),
                            (false, None) => None,
                        };
                        if let Some(abs) = abs {
                            let line = df.lines.line_col(&df.source, inst.span.start).line;
                            let abs = if abs.len() > 1 {
                                abs.trim_end_matches(['/', '.']).to_string()
                            } else {
                                abs
                            };
                            copied.push((line, if abs.is_empty() { "/".into() } else { abs }));
                        }
                    }
                    (_, Keyword::Run) => {
                        let Some(script) = a.run_at(i).and_then(|r| r.script.as_ref()) else {
                            continue;
                        };
                        for c in &script.commands {
                            let Some(name @ ("chown" | "chmod")) = c.name() else {
                                continue;
                            };
                            if !c.has_option(Some('R'), Some("recursive")) {
                                continue;
                            }
                            // The first operand is the owner or mode.
                            for op in c.operands().skip(1) {
                                let path = op.value.as_str();
                                if !op.is_static || !path.starts_with('/') || path == "/" {
                                    continue;
                                }
                                let hit = copied.iter().rev().find(|(_, dest)| {
                                    path_covers(path, dest) || path_covers(dest, path)
                                });
                                if let Some((line, dest)) = hit {
                                    let flag = if name == "chown" {
                                        "--chown"
                                    } else {
                                        "--chmod"
                                    };
                                    cx.report(
                                        c.span,
                                        format!(
                                            "`{name} -R` on {path} rewrites the files line {line}'s COPY put in \
                                             {dest}: the image stores them twice; set them in the copy \
                                             (`COPY {flag}=…`)"
                                        ),
                                    );
                                    break;
                                }
                            }
                        }
                    }
                    _ => {}
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
    fn flags_recursive_chown_and_chmod_of_copied_files() {
        let src = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\n\
                   COPY bin/ /usr/local/bin/\nRUN chmod -R +x /usr/local/bin/tool\n";
        assert_eq!(lines(&ChownAfterCopy, src), [4, 6]);
    }

    #[test]
    fn accepts_unrelated_paths_copy_flags_and_other_stages() {
        let src = "FROM node:22 AS build\nCOPY . /src\nRUN chown -R node /src\n\
                   FROM node:22\nCOPY --chown=node:node --from=build /src /app\nRUN mkdir /data && chown -R node /data\n\
                   RUN chown node /app/package.json\n";
        assert!(lines(&ChownAfterCopy, src).is_empty());
    }
}
