//! DL5121: `chown -R`/`chmod -R` in a RUN on files an earlier COPY/ADD of the stage brought in.
//! Changing a file's owner or mode in a later layer stores the whole file again: every byte the
//! COPY added is in the image twice. `COPY --chown=`/`--chmod=` sets them in the COPY's layer.

use crate::dockerfile::Span;
use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::unquote;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::{Script, path_covers};

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
                        for (span, message) in run_findings(script, &copied) {
                            cx.report(span, message);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The recursive chown/chgrp/chmod commands of one RUN that rewrite one copied destination.
struct Rewrite<'a> {
    /// (COPY line, destination).
    key: (usize, &'a str),
    /// The first command's span.
    span: Span,
    /// The commands (`chown`, ...).
    names: Vec<&'a str>,
    /// The paths they name.
    paths: Vec<&'a str>,
}

/// One finding per copied destination a RUN rewrites: at its first recursive chown, chgrp or
/// chmod of it, naming every such command of the RUN.
fn run_findings(script: &Script, copied: &[(usize, String)]) -> Vec<(Span, String)> {
    let mut groups: Vec<Rewrite<'_>> = Vec::new();
    for c in &script.commands {
        let Some(name @ ("chown" | "chgrp" | "chmod")) = c.name() else {
            continue;
        };
        if !c.has_option(Some('R'), Some("recursive")) {
            continue;
        }
        // The first operand is the owner, group or mode.
        for op in c.operands().skip(1) {
            let path = op.value.as_str();
            if !op.is_static || !path.starts_with('/') || path == "/" {
                continue;
            }
            let hit = copied
                .iter()
                .rev()
                .find(|(_, dest)| path_covers(path, dest) || path_covers(dest, path));
            let Some((line, dest)) = hit else { continue };
            let key = (*line, dest.as_str());
            match groups.iter_mut().find(|g| g.key == key) {
                Some(g) => {
                    if !g.names.contains(&name) {
                        g.names.push(name);
                    }
                    if !g.paths.contains(&path) {
                        g.paths.push(path);
                    }
                }
                None => groups.push(Rewrite {
                    key,
                    span: c.span,
                    names: vec![name],
                    paths: vec![path],
                }),
            }
            break;
        }
    }
    groups
        .into_iter()
        .map(
            |Rewrite {
                 key: (line, dest),
                 span,
                 names,
                 paths,
             }| {
                let commands: Vec<String> = names.iter().map(|n| format!("`{n} -R`")).collect();
                let flags: Vec<&str> = ["--chown", "--chmod"]
                    .into_iter()
                    .filter(|f| names.iter().any(|n| (*n == "chmod") == (*f == "--chmod")))
                    .collect();
                let flags: Vec<String> = flags.iter().map(|f| format!("{f}=…")).collect();
                (
                    span,
                    format!(
                        "{} on {} rewrite{} the files line {line}'s COPY put in {dest}: this RUN's \
                     layer stores them a second time, as many bytes as the copied files (`dlint \
                     optimize` measures it on a built image); set them in the copy (`COPY {}`)",
                        commands.join(", "),
                        paths.join(", "),
                        if names.len() == 1 { "s" } else { "" },
                        flags.join(" ")
                    ),
                )
            },
        )
        .collect()
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
    fn one_finding_per_run_and_copy_naming_every_command() {
        let src = "FROM debian:12\nCOPY conf/ /etc/app/\n\
                   RUN chown -R app /etc/app && chgrp -R app /etc/app && chmod -R g+w /etc/app/x\n";
        let m: Vec<String> = crate::lint::testing::run(&ChownAfterCopy, src)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("`chown -R`, `chgrp -R`, `chmod -R`"),
            "{}",
            m[0]
        );
        assert!(m[0].contains("`COPY --chown=… --chmod=…`"), "{}", m[0]);
    }

    #[test]
    fn accepts_unrelated_paths_copy_flags_and_other_stages() {
        let src = "FROM node:22 AS build\nCOPY . /src\nRUN chown -R node /src\n\
                   FROM node:22\nCOPY --chown=node:node --from=build /src /app\nRUN mkdir /data && chown -R node /data\n\
                   RUN chown node /app/package.json\n";
        assert!(lines(&ChownAfterCopy, src).is_empty());
    }
}
