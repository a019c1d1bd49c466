//! `dlint optimize --suggest`: for a single-stage build whose image keeps a priced build
//! toolchain, a proposed multi-stage Dockerfile. The `build` stage is the stage as it is, up to
//! and including its last RUN; the final stage starts `FROM` the same base, installs only the
//! runtime packages (those installed on purpose that are not a toolchain, and the library of
//! a `-dev` package asked for) and copies the build's outputs with `COPY --from=build`. The outputs
//! are read from the image: the files the build's RUNs left in the final filesystem that no
//! package lists and that are not the package manager's own (databases, logs, caches), each
//! copied whole from its first directory no package owns. When there are none, the suggestion
//! says the outputs cannot be told instead of guessing. Always "manual": a person reviews it.

use super::attribute::Attribution;
use super::{FixKind, line_of};
use crate::dockerfile::{Dockerfile, InstructionKind, Keyword};
use crate::image::ledger::PathClass;
use crate::image::{FileKind, ImageReport};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// The package manager of the image's package database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Manager {
    /// dpkg database: runtime packages installed with `apt-get`.
    #[default]
    Apt,
    /// apk database: runtime packages installed with `apk add`.
    Apk,
}

/// What the package pass learned about the toolchain of a single-stage build.
#[derive(Debug, Clone, Default)]
pub struct ToolchainFacts {
    /// Packages a multi-stage build leaves out (the toolchain and what only it needs).
    pub packages: BTreeSet<String>,
    /// Their bytes in the image (the `build-toolchain` findings).
    pub bytes: u64,
    /// Packages the final stage installs by name.
    pub runtime: Vec<String>,
    /// Visible bytes of the runtime packages and their dependencies installed by the
    /// Dockerfile (what the final stage's install adds again).
    pub runtime_bytes: u64,
    /// Every path a package lists (no leading `/`, resolved through top-level symlinks).
    pub owned: HashSet<String>,
    /// Which manager installs the runtime packages.
    pub manager: Manager,
}

/// A proposed rewrite of the Dockerfile that `dlint fix` cannot make (JSON `suggestions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// `multi-stage`.
    pub kind: &'static str,
    /// Always [`FixKind::Manual`].
    pub fix: FixKind,
    /// How much smaller the image built from the proposed file is than this one: the stored
    /// bytes of the layers the build stage keeps to itself, minus the outputs and the runtime
    /// packages the final stage adds again. An alternative to the other findings (it drops
    /// what they price on the build's RUNs too), not added to `total_saved`. `None` when the
    /// outputs cannot be told.
    pub bytes: Option<u64>,
    /// The toolchain's bytes in the image (`build-toolchain`), part of `bytes`.
    pub toolchain_bytes: u64,
    /// The toolchain packages left in the build stage.
    pub toolchain: Vec<String>,
    /// Packages the final stage installs.
    pub runtime_packages: Vec<String>,
    /// Paths copied from the build stage (`COPY --from=build`), with leading `/`.
    pub outputs: Vec<String>,
    /// Visible bytes under `outputs` in this image.
    pub output_bytes: u64,
    /// What a person must check (files the build stage keeps that the program may need, an
    /// estimated figure, outputs not found).
    pub notes: Vec<String>,
    /// The proposed Dockerfile, when the outputs are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<String>,
    /// Unified diff from the Dockerfile to the proposed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// Paths of the package managers' own state and of files every install rewrites: never an
/// output of the build.
const NOT_OUTPUTS: &[&str] = &[
    "var/lib/dpkg/",
    "var/lib/apt/",
    "var/lib/ucf/",
    "var/lib/pam/",
    "var/lib/systemd/",
    "var/cache/",
    "var/log/",
    "var/tmp/",
    "tmp/",
    "run/",
    "dev/",
    "proc/",
    "sys/",
    "etc/alternatives/",
    // written into every RUN's layer by the builder (buildah), not by the build
    "etc/hosts",
    "etc/hostname",
    "etc/resolv.conf",
    "etc/ld.so.cache",
    "etc/ssl/certs/",
    "etc/apk/",
    "lib/apk/",
    "usr/share/info/dir",
    "root/.cache/",
    "root/.wget-hsts",
];

/// Directories shared by everything installed, whatever their owner: an output under one of
/// them is copied as a file, not with the whole directory.
const SHARED_DIRS: &[&str] = &[
    "bin",
    "sbin",
    "lib",
    "lib64",
    "etc",
    "opt",
    "srv",
    "home",
    "root",
    "var",
    "var/lib",
    "usr",
    "usr/bin",
    "usr/sbin",
    "usr/lib",
    "usr/lib64",
    "usr/libexec",
    "usr/include",
    "usr/share",
    "usr/local",
    "usr/local/bin",
    "usr/local/sbin",
    "usr/local/lib",
    "usr/local/lib64",
    "usr/local/include",
    "usr/local/share",
    "usr/local/etc",
];

/// Is `path` a file the build made (not a package's, not the package manager's)?
fn is_output(path: &str, kind: FileKind, link: Option<&str>, owned: &HashSet<String>) -> bool {
    let link_to_alternative = link.is_some_and(|l| l.contains("/etc/alternatives/"));
    // byte-compiled Python the packages' maintainer scripts wrote
    let package_pyc = path.starts_with("usr/lib/python3") && path.contains("/__pycache__/");
    let state = NOT_OUTPUTS.iter().any(|p| path.starts_with(p))
        || matches!(PathClass::of(path), PathClass::Cache(_));
    matches!(
        kind,
        FileKind::File | FileKind::Symlink | FileKind::Hardlink
    ) && !link_to_alternative
        && !owned.contains(path)
        && !state
        && !package_pyc
}

/// The directory (or file) `path` is copied with: its first ancestor that is neither shared
/// nor listed by a package, else the file itself.
fn copy_root(path: &str, owned: &HashSet<String>) -> String {
    let mut end = 0;
    while let Some(i) = path[end..].find('/') {
        let dir = &path[..end + i];
        if !SHARED_DIRS.contains(&dir) && !owned.contains(dir) {
            return dir.to_string();
        }
        end += i + 1;
    }
    path.to_string()
}

/// The proposed multi-stage Dockerfile for the single-stage `df` (built stage `stage`), from
/// the image's files and the toolchain facts; `None` when the stage has no RUN.
pub fn multi_stage(
    df: &Dockerfile,
    stage: usize,
    a: &Attribution,
    report: &ImageReport,
    tc: &ToolchainFacts,
) -> Option<Suggestion> {
    let st = df.stages.get(stage)?;
    let from = df.instructions.get(st.from)?;
    let last_run = st.instructions.iter().copied().rfind(|&i| {
        df.instructions
            .get(i)
            .is_some_and(|x| x.keyword == Keyword::Run)
    })?;
    let build_part: Vec<usize> = st
        .instructions
        .iter()
        .copied()
        .filter(|&i| i <= last_run)
        .collect();
    let run_layers: BTreeSet<usize> = build_part
        .iter()
        .filter(|&&i| {
            df.instructions
                .get(i)
                .is_some_and(|x| x.keyword == Keyword::Run)
        })
        .filter_map(|&i| a.layer_of(i))
        .collect();
    let mut roots: BTreeSet<String> = BTreeSet::new();
    for (p, f) in &report.files {
        if run_layers.contains(&f.layer) && is_output(p, f.kind, f.link.as_deref(), &tc.owned) {
            roots.insert(copy_root(p, &tc.owned));
        }
    }
    // a root inside another root is copied with it
    let roots: Vec<String> = roots
        .iter()
        .filter(|r| {
            !roots
                .iter()
                .any(|o| o != *r && r.starts_with(o.as_str()) && r[o.len()..].starts_with('/'))
        })
        .cloned()
        .collect();
    let output_bytes: u64 = roots
        .iter()
        .map(|r| {
            let lo = format!("{r}/");
            let hi = format!("{r}0");
            let under: u64 = report
                .files
                .range(lo..hi)
                .filter(|(_, f)| f.kind == FileKind::File)
                .map(|(_, f)| f.size)
                .sum();
            under
                + report
                    .files
                    .get(r)
                    .filter(|f| f.kind == FileKind::File)
                    .map_or(0, |f| f.size)
        })
        .sum();
    let mut notes = Vec::new();
    let mut s = Suggestion {
        kind: "multi-stage",
        fix: FixKind::Manual,
        bytes: None,
        toolchain_bytes: tc.bytes,
        toolchain: tc.packages.iter().cloned().collect(),
        runtime_packages: tc.runtime.clone(),
        outputs: roots.iter().map(|r| format!("/{r}")).collect(),
        output_bytes,
        notes: Vec::new(),
        dockerfile: None,
        diff: None,
    };
    if roots.is_empty() {
        notes.push(format!(
            "the build's outputs cannot be told: the RUNs of {} left no file in the image \
             outside the package manager's paths and the packages' files; write the \
             `COPY --from=build` lines by hand",
            lines_of(df, &build_part, Keyword::Run)
        ));
        s.notes = notes;
        return Some(s);
    }
    // what the build stage keeps to itself: the layers of its instructions
    let build_set: HashSet<usize> = build_part.iter().copied().collect();
    let dropped: u64 = a
        .layers
        .iter()
        .enumerate()
        .filter(|(_, i)| i.is_some_and(|i| build_set.contains(&i)))
        .filter_map(|(l, _)| report.layers.get(l).map(|x| x.bytes_added))
        .sum();
    s.bytes = Some(dropped.saturating_sub(output_bytes + tc.runtime_bytes));
    if !tc.runtime.is_empty() {
        notes.push(format!(
            "the final stage installs {} again: its figure counts their files as this image \
             has them, not the package database and logs the install rewrites",
            tc.runtime.join(", ")
        ));
    }
    let copied: Vec<usize> = build_part
        .iter()
        .copied()
        .filter(|&i| {
            df.instructions
                .get(i)
                .is_some_and(|x| matches!(x.keyword, Keyword::Copy | Keyword::Add))
        })
        .collect();
    if !copied.is_empty() {
        notes.push(format!(
            "what the COPY/ADD of {} brought in stays in the build stage: copy it into \
             the final stage too if the program reads it at run time",
            lines_of(df, &copied, Keyword::Copy)
        ));
    }
    notes.push(
        "check that the outputs run without the toolchain's libraries (`ldd`), and drop \
         runtime packages only the build used"
            .to_string(),
    );
    let text = proposed(df, stage, from, &build_part, last_run, &roots, tc);
    s.diff = Some(
        similar::TextDiff::from_lines(&df.source, &text)
            .unified_diff()
            .context_radius(3)
            .header("a/Dockerfile", "b/Dockerfile")
            .to_string(),
    );
    s.dockerfile = Some(text);
    s.notes = notes;
    Some(s)
}

/// `line 3` or `lines 3, 5`: the lines of the instructions of `keyword`'s family among `ins`.
fn lines_of(df: &Dockerfile, ins: &[usize], keyword: Keyword) -> String {
    let family = |k: Keyword| match keyword {
        Keyword::Copy | Keyword::Add => matches!(k, Keyword::Copy | Keyword::Add),
        other => k == other,
    };
    let lines = ins
        .iter()
        .filter_map(|&i| df.instructions.get(i))
        .filter(|x| family(x.keyword))
        .map(|x| line_of(df, x.span.start).to_string())
        .collect::<Vec<_>>();
    let s = if lines.len() == 1 { "" } else { "s" };
    format!("line{s} {}", lines.join(", "))
}

/// Instructions carried into the final stage before its install (they shape how it runs).
fn is_env_like(k: Keyword) -> bool {
    matches!(k, Keyword::Arg | Keyword::Env | Keyword::Shell)
}

/// Instructions carried into the final stage after the copies (image configuration).
fn is_config(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Workdir
            | Keyword::User
            | Keyword::Label
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::Stopsignal
            | Keyword::Healthcheck
            | Keyword::Onbuild
            | Keyword::Maintainer
            | Keyword::Cmd
            | Keyword::Entrypoint
    )
}

/// The text of the proposed Dockerfile.
fn proposed(
    df: &Dockerfile,
    stage: usize,
    from: &crate::dockerfile::Instruction,
    build_part: &[usize],
    last_run: usize,
    roots: &[String],
    tc: &ToolchainFacts,
) -> String {
    let src = &df.source;
    let name = df.stages.get(stage).and_then(|s| s.name.clone());
    let build_name = if name.as_deref() == Some("build") {
        "build-stage"
    } else {
        "build"
    };
    let image_end = match &from.kind {
        InstructionKind::From { image, .. } => image.span.end,
        _ => from.span.end,
    };
    let from_head = src.get(from.span.start..image_end).unwrap_or("FROM");
    let mut out = String::new();
    out.push_str(src.get(..from.span.start).unwrap_or(""));
    out.push_str(from_head);
    out.push_str(&format!(" AS {build_name}"));
    let run_end = df
        .instructions
        .get(last_run)
        .map_or(from.span.end, |i| i.span.end);
    out.push_str(src.get(from.span.end..run_end).unwrap_or(""));
    out.push_str("\n\n# the final image: runtime packages and the build's outputs, no toolchain\n");
    out.push_str(from_head);
    if let Some(n) = &name {
        out.push_str(&format!(" AS {n}"));
    }
    out.push('\n');
    let text_of = |i: usize| {
        df.instructions
            .get(i)
            .and_then(|x| src.get(x.span.start..x.span.end))
            .unwrap_or("")
    };
    let keyword = |i: usize| df.instructions.get(i).map(|x| x.keyword);
    for &i in build_part {
        if keyword(i).is_some_and(is_env_like) {
            out.push_str(text_of(i));
            out.push('\n');
        }
    }
    if !tc.runtime.is_empty() {
        let pkgs = tc.runtime.join(" ");
        match tc.manager {
            Manager::Apt => out.push_str(&format!(
                "RUN apt-get update && apt-get install -y --no-install-recommends {pkgs} \
                 && apt-get clean && rm -rf /var/lib/apt/lists/*\n"
            )),
            Manager::Apk => out.push_str(&format!("RUN apk add --no-cache {pkgs}\n")),
        }
    }
    for r in roots {
        out.push_str(&format!("COPY --from={build_name} /{r} /{r}\n"));
    }
    for &i in build_part {
        if keyword(i).is_some_and(is_config) {
            out.push_str(text_of(i));
            out.push('\n');
        }
    }
    let rest = src.get(run_end..).unwrap_or("");
    out.push_str(rest.trim_start_matches(['\r', '\n']));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(paths: &[&str]) -> HashSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn outputs_leave_out_package_state_and_owned_files() {
        let o = owned(&["usr/bin/gcc-12", "usr", "usr/local", "usr/local/bin"]);
        assert!(is_output("usr/local/bin/greet", FileKind::File, None, &o));
        assert!(!is_output("usr/bin/gcc-12", FileKind::File, None, &o));
        assert!(!is_output("var/lib/dpkg/status", FileKind::File, None, &o));
        assert!(!is_output("etc/ld.so.cache", FileKind::File, None, &o));
        assert!(!is_output(
            "var/cache/apt/pkgcache.bin",
            FileKind::File,
            None,
            &o
        ));
        assert!(!is_output(
            "usr/bin/cc",
            FileKind::Symlink,
            Some("/etc/alternatives/cc"),
            &o
        ));
        assert!(!is_output("app", FileKind::Dir, None, &o));
    }

    #[test]
    fn copy_roots_stop_at_the_first_directory_nobody_owns() {
        let o = owned(&[
            "usr",
            "usr/local",
            "usr/local/bin",
            "usr/share",
            "usr/share/zoneinfo",
        ]);
        assert_eq!(copy_root("usr/local/bin/greet", &o), "usr/local/bin/greet");
        assert_eq!(copy_root("app/build/out.bin", &o), "app");
        assert_eq!(copy_root("opt/tool/bin/tool", &o), "opt/tool");
        assert_eq!(
            copy_root("usr/local/lib/python3.11/dist-packages/x.py", &o),
            "usr/local/lib/python3.11"
        );
        assert_eq!(
            copy_root("usr/share/zoneinfo/UTC", &o),
            "usr/share/zoneinfo/UTC"
        );
        assert_eq!(copy_root("etc/passwd", &o), "etc/passwd");
    }
}
