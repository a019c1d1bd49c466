//! What one command of a RUN stores in the layer: download targets, clones, used `mkdir`s,
//! `cp`/`mv` targets, and the cache or index directories package managers fill.

use super::Origin;
use super::paths::resolve;
use crate::lint::SemanticModel;
use crate::shell::pkg::{Invocation, invocation};
use crate::shell::run::Run;
use crate::shell::{Command, Script, Word, basename, path_covers};

/// What command `k` of a RUN stores: paths with their origin (what its arguments name, then
/// the files its output redirects write).
pub(super) fn stored(
    model: &SemanticModel<'_>,
    run: &Run,
    k: usize,
    c: &Command,
    cwd: Option<&str>,
    home: Option<&str>,
) -> Vec<(String, Origin)> {
    let mut out = by_arguments(model, run, k, c, cwd, home);
    out.extend(redirect_targets(c, cwd, home).map(|p| (p, Origin::File)));
    out
}

/// The files `c`'s output redirects write, resolved (not devices nor /proc, /sys files).
pub(super) fn redirect_targets<'c>(
    c: &'c Command,
    cwd: Option<&'c str>,
    home: Option<&'c str>,
) -> impl Iterator<Item = String> + 'c {
    c.writes
        .iter()
        .filter(|w| w.is_static && !w.value.is_empty() && !w.value.contains(['*', '?', '[']))
        .filter_map(move |w| resolve(&w.value, cwd, home))
        .filter(|p| p != "/" && !["/dev", "/proc", "/sys"].iter().any(|d| path_covers(d, p)))
}

fn by_arguments(
    model: &SemanticModel<'_>,
    run: &Run,
    k: usize,
    c: &Command,
    cwd: Option<&str>,
    home: Option<&str>,
) -> Vec<(String, Origin)> {
    let res = |v: &str| resolve(v, cwd, home);
    let file = |v: Option<String>| v.map(|p| (p, Origin::File)).into_iter().collect::<Vec<_>>();
    let args = c.args();
    let value_of = |names: &[&str]| -> Option<&Word> {
        let mut it = args.iter();
        while let Some(w) = it.next() {
            if names.contains(&w.value.as_str()) {
                return it.next();
            }
            for n in names.iter().filter(|n| n.starts_with("--")) {
                if let Some(v) = w.value.strip_prefix(&format!("{n}=")) {
                    return Some(w).filter(|_| !v.is_empty());
                }
            }
        }
        None
    };
    let long_value = |w: &Word, names: &[&str]| -> String {
        for n in names {
            if let Some(v) = w.value.strip_prefix(&format!("{n}=")) {
                return v.to_string();
            }
        }
        w.value.clone()
    };
    let static_path = |w: Option<&Word>, names: &[&str]| {
        w.filter(|w| w.is_static)
            .map(|w| long_value(w, names))
            .filter(|v| v != "-" && !v.starts_with("/dev/"))
            .and_then(|v| res(&v))
    };
    let url_name = |c: &Command| {
        c.operands()
            .find(|w| w.is_static && w.value.contains("://"))
            .map(|w| basename(w.value.split(['?', '#']).next().unwrap_or("")).to_string())
            .filter(|n| !n.is_empty() && !n.contains(['*', '$']))
    };
    match c.name().unwrap_or("") {
        "curl" => {
            let names = ["-o", "--output"];
            file(static_path(value_of(&names), &names))
        }
        "wget" => {
            let o = ["-O", "--output-document"];
            if value_of(&o).is_some() {
                return file(static_path(value_of(&o), &o));
            }
            let p = ["-P", "--directory-prefix"];
            let dir = match value_of(&p) {
                Some(_) => static_path(value_of(&p), &p),
                None => cwd.map(str::to_string),
            };
            file(
                dir.zip(url_name(c))
                    .map(|(d, n)| format!("{}/{n}", d.trim_end_matches('/'))),
            )
        }
        // an empty directory stores nothing: only one the RUN uses (`cd`, `-C`, `-d`...)
        "mkdir" => c
            .operands()
            .filter(|w| w.is_static)
            .filter_map(|w| res(&w.value))
            .filter(|p| p != "/" && used_after(run_script(model, run), k, p))
            .map(|p| (p, Origin::Dir))
            .collect(),
        "git" if args.first().is_some_and(|w| w.value == "clone") => {
            // operands, skipping the values of the options that take one
            let takes_value = [
                "-b",
                "--branch",
                "--depth",
                "-o",
                "--origin",
                "-c",
                "--config",
                "--reference",
                "-u",
                "--upload-pack",
                "--separate-git-dir",
                "-j",
                "--jobs",
                "--filter",
                "--template",
                "--shallow-since",
                "--shallow-exclude",
            ];
            let mut ops: Vec<&Word> = Vec::new();
            let mut it = args.iter().skip(1);
            while let Some(w) = it.next() {
                if takes_value.contains(&w.value.as_str()) {
                    it.next();
                } else if !w.value.starts_with('-') {
                    ops.push(w);
                }
            }
            let dir = match ops.as_slice() {
                [url] if url.is_static => {
                    let n = basename(url.value.trim_end_matches('/'));
                    let n = n.strip_suffix(".git").unwrap_or(n);
                    (!n.is_empty()).then(|| res(n)).flatten()
                }
                [_, dir] if dir.is_static => res(&dir.value),
                _ => None,
            };
            // `rm -rf DIR/.git` deletes what the clone stored too
            dir.map(|d| vec![(format!("{d}/.git"), Origin::File), (d, Origin::File)])
                .unwrap_or_default()
        }
        // what an archive holds is not known: its directory counts, as one `mkdir` made
        "tar" if extracts(args) => {
            let d = ["-C", "--directory"];
            let dir = match value_of(&d) {
                Some(w) => static_path(Some(w), &d),
                None if args.iter().any(|w| w.value.starts_with("-C")) => None,
                None => cwd.map(str::to_string),
            };
            dir.filter(|d| d != "/")
                .map(|d| vec![(d, Origin::Dir)])
                .unwrap_or_default()
        }
        "unzip" => {
            let d = value_of(&["-d"]);
            file(static_path(d, &[]))
        }
        "cp" | "mv" => {
            if args
                .iter()
                .any(|w| w.value == "-t" || w.value.starts_with("--target-directory"))
            {
                return Vec::new();
            }
            let ops: Vec<&Word> = c.operands().collect();
            let [srcs @ .., dest] = ops.as_slice() else {
                return Vec::new();
            };
            if srcs.is_empty() || !dest.is_static {
                return Vec::new();
            }
            let Some(d) = res(&dest.value) else {
                return Vec::new();
            };
            if srcs.len() > 1 || dest.value.ends_with('/') {
                srcs.iter()
                    .filter(|s| s.is_static && !s.value.contains(['*', '?', '[']))
                    .map(|s| {
                        let n = basename(s.value.trim_end_matches('/'));
                        (format!("{}/{n}", d.trim_end_matches('/')), Origin::File)
                    })
                    .collect()
            } else {
                file(Some(d).filter(|d| d != "/"))
            }
        }
        _ => match invocation(k, c) {
            Some(inv) => package_dirs(model, run, &inv, home)
                .into_iter()
                .map(|d| (d, Origin::Package(inv.manager)))
                .collect(),
            None => Vec::new(),
        },
    }
}

/// True when `tar`'s arguments extract: `-x`, `--extract`/`--get`, or an `x` in the leading
/// option cluster of the old style (`tar xzf a.tgz`).
fn extracts(args: &[Word]) -> bool {
    args.iter().enumerate().any(|(i, w)| {
        let v = w.value.as_str();
        let letters = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic());
        v == "--extract"
            || v == "--get"
            || v.strip_prefix('-')
                .is_some_and(|r| !r.starts_with('-') && letters(r) && r.contains('x'))
            || (i == 0 && letters(v) && v.contains('x'))
    })
}

fn run_script<'m>(model: &'m SemanticModel<'_>, run: &Run) -> Option<&'m Script> {
    model.analysis().run_at(run.index)?.script.as_ref()
}

/// True when a command after `k` names `path` (or something in it), as an argument or as
/// the file a redirect writes.
fn used_after(script: Option<&Script>, k: usize, path: &str) -> bool {
    script.is_some_and(|s| {
        s.commands.iter().skip(k + 1).any(|c| {
            c.words
                .iter()
                .chain(&c.writes)
                .any(|w| w.value.contains(path))
        })
    })
}

/// The cache or index directories an invocation fills (the per-user ones in `home`), as
/// the package model knows them, with the RUN's ENV/ARG scope.
fn package_dirs(
    model: &SemanticModel<'_>,
    run: &Run,
    inv: &Invocation<'_>,
    home: Option<&str>,
) -> Vec<String> {
    inv.filled_dirs(&|n: &str| model.var(run.index, n).is_some(), home)
}
