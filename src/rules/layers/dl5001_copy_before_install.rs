//! DL5001: a COPY of the whole build context (or a source directory) before a dependency
//! install whose manifests could have been copied alone first.

use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, Keyword, Span, Stage};
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};
use crate::shell::Script;
use crate::shell::pkg::manifests::{ECOS, Eco, context_install, is_manifest, known_manifests};
use crate::shell::pkg::{Invocation, Manager, invocations};

/// DL5001 `copy-before-install`.
pub struct CopyBeforeInstall;

impl Rule for CopyBeforeInstall {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5001",
            name: "copy-before-install",
            severity: Severity::Warning,
            summary: "Copy dependency manifests and install before copying the rest of the sources",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let a = cx.analysis();
        for stage in &df.stages {
            // (instruction index, source text) of the first cache-busting COPY.
            let mut busting: Option<(usize, String)> = None;
            let mut installed_before: Vec<Eco> = Vec::new();
            let mut manifests_copied: Vec<Eco> = Vec::new();
            let mut reported: Vec<Eco> = Vec::new();
            for &i in &stage.instructions {
                let Some(inst) = df.instructions.get(i) else {
                    continue;
                };
                match inst.keyword {
                    Keyword::Copy | Keyword::Add => {
                        let Some(sources) = context_sources(inst) else {
                            continue;
                        };
                        for s in &sources {
                            for eco in ECOS {
                                if is_manifest(*eco, s) && !manifests_copied.contains(eco) {
                                    manifests_copied.push(*eco);
                                }
                            }
                        }
                        if busting.is_none()
                            && let Some(s) = sources.iter().find(|s| is_busting(s))
                        {
                            busting = Some((i, s.clone()));
                        }
                    }
                    Keyword::Run => {
                        let Some(run) = a.run_at(i) else {
                            continue;
                        };
                        let Some(script) = &run.script else { continue };
                        for inv in invocations(script) {
                            let Some((eco, manifests)) = context_install(&inv) else {
                                continue;
                            };
                            // Sources fetched in the same RUN (git clone, curl, wget) do not
                            // come from a copied directory.
                            let fetched = script.commands.iter().take(inv.index).any(|c| {
                                matches!(c.name(), Some("git" | "curl" | "wget" | "svn" | "hg"))
                            });
                            if fetched
                                && busting.as_ref().is_some_and(|(_, s)| !is_whole_context(s))
                            {
                                continue;
                            }
                            match &busting {
                                None => installed_before.push(eco),
                                Some((ci, src)) => {
                                    if installed_before.contains(&eco) || reported.contains(&eco) {
                                        continue;
                                    }
                                    reported.push(eco);
                                    let Some(copy) = df.instructions.get(*ci) else {
                                        continue;
                                    };
                                    let line =
                                        df.lines.line_col(&df.source, inv.cmd.span.start).line;
                                    let install = command_text(&inv);
                                    let advice = if manifests_copied.contains(&eco) {
                                        format!(
                                            "run `{install}` before this COPY (the manifests are already copied separately)"
                                        )
                                    } else {
                                        format!(
                                            "copy {manifests} first, run `{install}`, then copy the rest"
                                        )
                                    };
                                    let fix = if manifests_copied.contains(&eco) || run.onbuild {
                                        None
                                    } else {
                                        manifest_fix(df, stage, *ci, i, script, &inv)
                                    };
                                    cx.report_with_fix(
                                        copy.span,
                                        format!(
                                            "`{} {src}` comes before `{install}` (line {line}), so \
                                             any source change re-runs the install; {advice}",
                                            copy.keyword.as_str()
                                        ),
                                        fix,
                                    );
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

/// Sources of a COPY/ADD that come from the build context (`None` for `--from`, heredocs and
/// URL-only ADDs).
fn context_sources(inst: &Instruction) -> Option<Vec<String>> {
    if inst.flag("from").is_some() || !inst.heredocs.is_empty() {
        return None;
    }
    let InstructionKind::Copy { sources, .. } = &inst.kind else {
        return None;
    };
    let v: Vec<String> = sources
        .iter()
        .map(|w| w.value.trim_matches(['"', '\'']).to_string())
        .filter(|s| !s.contains("://") && !s.starts_with("git@"))
        .collect();
    (!v.is_empty()).then_some(v)
}

/// The whole context or a directory: any change inside invalidates the cache from here on.
fn is_busting(s: &str) -> bool {
    is_whole_context(s) || (s.ends_with('/') && !s.contains('*'))
}

fn is_whole_context(s: &str) -> bool {
    matches!(s, "." | "./" | "*" | "./*" | "./." | "/")
}

/// Unsafe fix: the whole-context COPY at `ci` becomes `COPY <manifests> <dest>/` and a copy of
/// it goes right after the RUN at `ri`. Only when the manifests are known, the RUN does nothing
/// but install (and clean up), runs in the COPY's destination, and only ENV/ARG/LABEL/EXPOSE
/// stand between the two. Unsafe because the install may read more than its manifests
/// (`.npmrc`, a `-r` line inside a requirements file, lifecycle scripts).
fn manifest_fix(
    df: &Dockerfile,
    stage: &Stage,
    ci: usize,
    ri: usize,
    script: &Script,
    inv: &Invocation<'_>,
) -> Option<Fix> {
    let copy = df.instructions.get(ci)?;
    let run = df.instructions.get(ri)?;
    let InstructionKind::Copy {
        sources,
        dest: Some(dest),
        json: false,
    } = &copy.kind
    else {
        return None;
    };
    if copy.keyword != Keyword::Copy
        || sources.len() != 1
        || !sources.iter().all(|s| is_whole_context(&s.value))
        || !copy.heredocs.is_empty()
        || dest.value.contains(['$', '"', '\'', ' '])
        || copy
            .flags
            .iter()
            .any(|f| !matches!(f.name.as_str(), "chown" | "chmod" | "link"))
    {
        return None;
    }
    // Only instructions that change nothing for the install between the COPY and the RUN.
    let between = stage.instructions.iter().filter(|&&i| ci < i && i < ri);
    for &i in between {
        let k = df.instructions.get(i)?.keyword;
        if !matches!(
            k,
            Keyword::Env | Keyword::Arg | Keyword::Label | Keyword::Expose
        ) {
            return None;
        }
    }
    // The install must run in the destination directory.
    let workdir = stage
        .instructions
        .iter()
        .filter(|&&i| i < ci)
        .filter_map(|&i| match &df.instructions.get(i)?.kind {
            InstructionKind::Workdir(w) => Some(w.value.clone()),
            _ => None,
        })
        .next_back();
    let norm = |p: &str| {
        let t = p.trim_end_matches('/');
        if t.is_empty() && p.starts_with('/') {
            "/".to_string()
        } else {
            t.to_string()
        }
    };
    let d = norm(&dest.value);
    let d = d.as_str();
    let in_dest = matches!(d, "" | ".")
        || workdir
            .as_deref()
            .is_some_and(|w| w.starts_with('/') && !w.contains('$') && norm(w) == d);
    let dest_abs = if matches!(d, "" | ".") {
        workdir.clone().unwrap_or_default()
    } else {
        d.to_string()
    };
    if !in_dest && inv.manager != Manager::Pip {
        return None;
    }
    // The RUN only installs and cleans up, without changing directory first.
    let top: Vec<_> = script
        .commands
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.nested)
        .collect();
    let only_install = top.iter().all(|(i, c)| {
        if *i == inv.index {
            return true;
        }
        match crate::shell::pkg::invocation(*i, c) {
            Some(other) => {
                other.manager == inv.manager
                    && (known_manifests(&other, &dest_abs).is_some() || other.manages_cache())
            }
            None => matches!(c.name(), Some("rm" | "true" | "echo" | "set")),
        }
    });
    if !only_install || script.tolerant {
        return None;
    }
    let manifests = known_manifests(inv, &dest_abs)?;
    // A relative requirements file is read from the working directory.
    if inv.manager == Manager::Pip
        && !in_dest
        && inv
            .value(&["-r", "--requirement"])
            .is_some_and(|r| !r.starts_with('/'))
    {
        return None;
    }
    let src = &df.source;
    let flags: Vec<&str> = copy.flags.iter().map(|f| f.span.text(src)).collect();
    let keyword = copy.keyword_span.text(src);
    let dest_dir = if dest.value.ends_with('/') {
        dest.value.clone()
    } else {
        format!("{}/", dest.value)
    };
    let mut head = vec![keyword.to_string()];
    head.extend(flags.iter().map(|f| f.to_string()));
    head.extend(manifests.iter().cloned());
    head.push(dest_dir);
    let nl = crate::shell::edit::line_ending_at(src, run.span.start);
    Some(Fix::unsafe_edit(
        format!(
            "copy {} first, install, then copy the rest (unsafe: the install may read other files)",
            manifests.join(" ")
        ),
        vec![
            Edit {
                span: copy.span,
                replacement: head.join(" "),
            },
            Edit {
                span: Span::new(run.span.end, run.span.end),
                replacement: format!("{nl}{}", copy.span.text(src)),
            },
        ],
    ))
}

fn command_text(inv: &Invocation<'_>) -> String {
    let mut parts: Vec<&str> = inv
        .cmd
        .argv()
        .iter()
        .take(2)
        .map(|w| w.value.as_str())
        .collect();
    if inv.manager == Manager::Go && inv.sub() == "mod" {
        parts.push("download");
    }
    if let Some(r) = inv.value(&["-r", "--requirement"]) {
        parts.push("-r");
        parts.push(r);
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{lines, run as check};

    #[test]
    fn flags_whole_context_before_install() {
        let src =
            "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n";
        let d = check(&CopyBeforeInstall, src);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("package.json and package-lock.json"),
            "{}",
            d[0].message
        );
        assert!(d[0].message.contains("npm ci"));
        assert_eq!(lines(&CopyBeforeInstall, src), [3]);
    }

    #[test]
    fn manifests_first_is_fine() {
        for src in [
            "FROM node:20\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n",
            "FROM python:3\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
            "FROM golang:1.22\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n",
            "FROM node:20\nCOPY --from=build /app .\nRUN npm ci\n",
            "FROM node:20\nCOPY . .\nRUN npm install -g typescript\n",
            "FROM debian\nCOPY . .\nRUN apt-get update\n",
            "FROM golang:1.22\nCOPY patches/ /patches/\nRUN git clone https://x/y /src && cd /src && go build .\n",
        ] {
            assert!(lines(&CopyBeforeInstall, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn ecosystems() {
        let cases = [
            (
                "FROM python:3\nCOPY . /src\nRUN pip install -r /src/requirements.txt\n",
                "requirements.txt",
            ),
            ("FROM ruby:3\nCOPY . .\nRUN bundle install\n", "Gemfile"),
            (
                "FROM golang:1.22\nCOPY . .\nRUN go build -o /x .\n",
                "go.mod",
            ),
            (
                "FROM rust:1\nCOPY . .\nRUN cargo build --release\n",
                "Cargo.toml",
            ),
            (
                "FROM maven:3\nCOPY src/ /app/src/\nCOPY pom.xml /app/\nRUN mvn -f /app/pom.xml package\n",
                "before this COPY",
            ),
            (
                "FROM composer:2\nCOPY ./ /app\nRUN composer install\n",
                "composer.json",
            ),
            (
                "FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\n",
                "yarn.lock",
            ),
        ];
        for (src, want) in cases {
            let d = check(&CopyBeforeInstall, src);
            assert_eq!(d.len(), 1, "{src}");
            assert!(d[0].message.contains(want), "{src}: {}", d[0].message);
        }
    }

    #[test]
    fn other_stage_is_separate() {
        let src = "FROM node:20 AS a\nCOPY . .\nFROM node:20\nRUN npm ci\n";
        assert!(lines(&CopyBeforeInstall, src).is_empty());
    }

    fn fixed(src: &str) -> String {
        crate::lint::testing::fixed(&CopyBeforeInstall, src)
    }

    #[test]
    fn fix_copies_known_manifests_first() {
        assert_eq!(
            fixed(
                "FROM node:20\nWORKDIR /app\nCOPY . .\nENV NODE_ENV=production\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n"
            ),
            "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nENV NODE_ENV=production\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"index.js\"]\n"
        );
        assert_eq!(
            fixed(
                "FROM python:3\r\nCOPY --chown=app . /src\r\nRUN pip install --no-cache-dir -r /src/requirements.txt\r\n"
            ),
            "FROM python:3\r\nCOPY --chown=app requirements.txt /src/\r\nRUN pip install --no-cache-dir -r /src/requirements.txt\r\nCOPY --chown=app . /src\r\n"
        );
        let d = check(
            &CopyBeforeInstall,
            "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\n",
        );
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Unsafe)
        );
    }

    #[test]
    fn no_fix_when_the_install_needs_more_than_manifests() {
        for src in [
            // the RUN also builds
            "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n",
            // go build reads the sources
            "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /x .\n",
            // relative requirements, but the install runs elsewhere
            "FROM python:3\nCOPY . /src\nRUN pip install -r requirements.txt\n",
            // a WORKDIR in between
            "FROM node:20\nCOPY . /app\nWORKDIR /app\nRUN npm ci\n",
            // poetry installs the project itself
            "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN poetry install\n",
        ] {
            let d = check(&CopyBeforeInstall, src);
            assert_eq!(d.len(), 1, "{src}");
            assert!(d[0].fix.is_none(), "{src}");
        }
    }
}
