//! DL5004: files deleted by a later RUN than the one (or the COPY/ADD) that stored them.
//!
//! Each RUN, COPY and ADD makes a layer; a file a layer stored stays in the image even when a
//! later layer deletes it. The check follows each stage of the final image in order, remembers
//! what each instruction stored (downloads, clones, `mkdir`, `cp`/`mv` targets, COPY/ADD
//! destinations, the caches the package managers fill) and reports an `rm` (or a plain
//! `find DIR -delete`) of a later RUN that covers one of them. Paths relative to the working
//! directory are resolved only when the stage set it with a plain `WORKDIR` (or `cd`); anything
//! with a variable is skipped.

use crate::dockerfile::{Dockerfile, InstructionKind, Keyword, ShellOrExec, Span};
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, SemanticModel, Severity};
use crate::shell::pkg::{Invocation, Manager, invocation};
use crate::shell::run::Run;
use crate::shell::{Command, Script, Word, basename, edit, path_covers};
use std::collections::HashMap;

/// DL5004 `removed-in-later-run`.
pub struct RemovedInLaterRun;

impl Rule for RemovedInLaterRun {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5004",
            name: "removed-in-later-run",
            severity: Severity::Warning,
            summary: "Delete files in the RUN that creates them, not in a later one",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model();
        let df = model.dockerfile();
        let found: Vec<(Span, String, Option<Fix>)> = later_removals(model)
            .into_iter()
            .map(|r| {
                let msg = message(df, &r);
                let fix = move_fix(model, &r);
                (r.span, msg, fix)
            })
            .collect();
        for (span, msg, fix) in found {
            cx.report_with_fix(span, msg, fix);
        }
    }
}

/// What an instruction stored at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file or directory (download, clone, copy target, COPY/ADD destination).
    File,
    /// A directory `mkdir` made and the same RUN used: what is in it may come from elsewhere.
    Dir,
    /// A cache or index directory this package manager fills.
    Package(Manager),
}

/// A path an earlier instruction of the stage stored in its layer.
#[derive(Debug, Clone)]
struct Created {
    inst: usize,
    path: String,
    origin: Origin,
}

/// One delete of a later RUN that covers what an earlier instruction stored.
#[derive(Debug, Clone)]
pub struct Match {
    /// Instruction that stored the path.
    pub earlier: usize,
    /// Absolute path it stored.
    pub path: String,
    /// How it came there.
    pub origin: Origin,
}

/// An `rm` / `find -delete` of a later RUN that deletes what earlier layers keep.
#[derive(Debug, Clone)]
pub struct LaterRemoval {
    /// The RUN holding the delete.
    pub later: usize,
    /// Index of the delete in the RUN's script.
    pub command: usize,
    /// The delete's span.
    pub span: Span,
    /// What it covers, by earlier instruction (file order, one entry per stored path).
    pub matches: Vec<Match>,
    /// Resolved operands (absolute, globs kept), `None` for one that could not be resolved.
    pub operands: Vec<Option<String>>,
    /// Every operand covered something an earlier instruction stored.
    pub all_matched: bool,
}

/// Every delete in a later RUN of files an earlier instruction of the same stage stored, in the
/// stages of the final image.
pub fn later_removals(model: &SemanticModel<'_>) -> Vec<LaterRemoval> {
    let df = model.dockerfile();
    let a = model.analysis();
    let mut out = Vec::new();
    let global = df.global_env();
    for (s, stage) in df.stages.iter().enumerate() {
        if !a.is_final(Some(s)) {
            continue;
        }
        let mut st = StageState {
            cwd: None,
            root: true,
            created: Vec::new(),
            vars: HashMap::new(),
        };
        for &i in &stage.instructions {
            let Some(inst) = df.instructions.get(i) else {
                continue;
            };
            match &inst.kind {
                InstructionKind::Workdir(w) => {
                    st.cwd = st
                        .expand(&w.value, df.escape)
                        .and_then(|v| resolve(&v, st.cwd.as_deref(), st.root));
                }
                InstructionKind::Arg(pairs) | InstructionKind::Env(pairs) => {
                    for kv in pairs {
                        let v = match &kv.value {
                            Some(v) => st.expand(&v.value, df.escape),
                            // `ARG NAME` takes the global default
                            None => global.get(&kv.key.value).map(str::to_string),
                        };
                        match v {
                            Some(v) => st.vars.insert(kv.key.value.clone(), v),
                            None => st.vars.remove(&kv.key.value),
                        };
                    }
                }
                InstructionKind::User(w) => {
                    let user = w.value.split(':').next().unwrap_or("");
                    st.root = user == "root" || user == "0";
                }
                InstructionKind::Copy { sources, dest, .. } => {
                    if inst.heredocs.is_empty()
                        && let Some(dest) = dest.as_ref().and_then(|d| st.expand(&d.value, df.escape))
                    {
                        let sources: Vec<crate::dockerfile::Word> = sources
                            .iter()
                            .map(|w| crate::dockerfile::Word {
                                span: w.span,
                                value: st
                                    .expand(&w.value, df.escape)
                                    .unwrap_or_else(|| w.value.clone()),
                            })
                            .collect();
                        for p in copy_targets(&sources, &dest, st.cwd.as_deref(), st.root) {
                            st.add(i, p, Origin::File);
                        }
                    }
                }
                InstructionKind::Run(_) => {
                    if let Some(run) = a.run_at(i)
                        && let Some(script) = &run.script
                    {
                        let expanded = expand_script(model, run, script, &st.vars);
                        st.run(model, run, &expanded, &mut out);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The script with the words that only reference ARG/ENV variables in scope (`${DIR}/x`)
/// made static with their values; not for names the RUN itself assigns, nor words with a
/// command substitution.
fn expand_script(
    model: &SemanticModel<'_>,
    run: &Run,
    script: &Script,
    vars: &HashMap<String, String>,
) -> Script {
    let dynamic = |w: &Word| !w.is_static && w.value.contains('$');
    if !script.commands.iter().any(|c| c.words.iter().any(dynamic)) {
        return script.clone();
    }
    let mut assigned: Vec<String> = Vec::new();
    for c in &script.commands {
        for a in &c.assignments {
            assigned.extend(a.split('=').next().map(str::to_string));
        }
        if matches!(
            c.name(),
            Some("export" | "declare" | "local" | "readonly" | "typeset" | "read")
        ) {
            for w in c.args() {
                assigned.extend(w.value.split('=').next().map(str::to_string));
            }
        }
    }
    // bare `NAME=value` commands are not in the analysis: look at the text
    let text: String = model
        .dockerfile()
        .instructions
        .get(run.index)
        .map(|i| {
            let mut t = i.args.text.clone();
            for h in &i.heredocs {
                t.push('\n');
                t.push_str(&h.body);
            }
            t
        })
        .unwrap_or_default();
    let set_in_text = |n: &str| {
        text.match_indices(&format!("{n}=")).any(|(at, _)| {
            text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '{'))
        })
    };
    let lookup = |n: &str| {
        (!assigned.iter().any(|a| a == n) && !set_in_text(n))
            .then(|| vars.get(n).cloned())
            .flatten()
    };
    let mut out = script.clone();
    for c in &mut out.commands {
        for w in &mut c.words {
            if w.is_static || w.value.contains("$(") || w.value.contains('`') {
                continue;
            }
            if let Ok(e) = crate::dockerfile::expand::expand(&w.value, '\\', &lookup)
                && e.unset.is_empty()
                && !e.value.contains('$')
            {
                w.value = e.value;
                w.is_static = true;
            }
        }
    }
    out
}

/// Distinct paths remembered per stage at most: past it, later instructions are not followed
/// (hostile files stay linear with a small constant; real stages store a few dozen).
const MAX_CREATED: usize = 256;

struct StageState {
    /// ARG/ENV values set in this stage so far (a stage built on another one starts without).
    vars: HashMap<String, String>,
    /// Working directory when known.
    cwd: Option<String>,
    /// The stage runs as root (`~` is /root).
    root: bool,
    created: Vec<Created>,
}

impl StageState {
    fn add(&mut self, inst: usize, path: String, origin: Origin) {
        // The same path stored again: the later instruction is the one that holds it.
        if let Some(e) = self.created.iter_mut().find(|e| e.path == path) {
            e.inst = inst;
            e.origin = origin;
            return;
        }
        if self.created.len() < MAX_CREATED {
            self.created.push(Created { inst, path, origin });
        }
    }

    /// A Dockerfile word with this stage's ARG/ENV values substituted; `None` when a variable
    /// is not known.
    fn expand(&self, word: &str, escape: char) -> Option<String> {
        if !word.contains('$') {
            return Some(word.to_string());
        }
        let e = crate::dockerfile::expand::expand(word, escape, &|n| self.vars.get(n).cloned())
            .ok()?;
        e.unset.is_empty().then_some(e.value)
    }

    /// Walks one RUN: deletes of earlier paths are reported, then what it stores is added.
    fn run(
        &mut self,
        model: &SemanticModel<'_>,
        run: &Run,
        script: &Script,
        out: &mut Vec<LaterRemoval>,
    ) {
        let mut cwd = self.cwd.clone();
        let mut mine: Vec<Created> = Vec::new();
        for (k, c) in script.commands.iter().enumerate() {
            let Some(name) = c.name() else {
                continue;
            };
            if name == "cd" {
                cwd = match c.operands().next() {
                    Some(w) if w.is_static => resolve(&w.value, cwd.as_deref(), self.root),
                    _ => None,
                };
                continue;
            }
            if let Some(ops) = deleted_operands(c) {
                let resolved: Vec<Option<String>> = ops
                    .iter()
                    .map(|w| {
                        w.is_static
                            .then(|| resolve(&w.value, cwd.as_deref(), self.root))
                            .flatten()
                    })
                    .collect();
                let mut matches = Vec::new();
                let mut all = true;
                for r in &resolved {
                    let Some(r) = r else {
                        all = false;
                        continue;
                    };
                    // What this RUN stored itself is deleted in time.
                    let own = mine.iter().any(|m| covers(r, &m.path));
                    mine.retain(|m| !covers(r, &m.path));
                    if own {
                        all = false;
                        continue;
                    }
                    let before = matches.len();
                    let before_rm = script.commands.get(..k).unwrap_or_default();
                    let filled_here = |e: &Created| {
                        e.origin == Origin::Dir
                            && before_rm.iter().enumerate().any(|(j, c)| {
                                invocation(j, c).is_some()
                                    || c.words.iter().any(|w| w.value.contains(e.path.as_str()))
                            })
                    };
                    for e in self
                        .created
                        .iter()
                        .filter(|e| covers(r, &e.path) && !filled_here(e))
                    {
                        matches.push(Match {
                            earlier: e.inst,
                            path: e.path.clone(),
                            origin: e.origin.clone(),
                        });
                    }
                    self.created.retain(|e| !covers(r, &e.path));
                    if matches.len() == before {
                        all = false;
                    }
                }
                if !matches.is_empty() {
                    matches.sort_by_key(|m| m.earlier);
                    // `DIR/.git` under `DIR` of the same instruction: one path
                    let paths: Vec<(usize, String)> =
                        matches.iter().map(|m| (m.earlier, m.path.clone())).collect();
                    matches.retain(|m| {
                        !paths.iter().any(|(e, p)| {
                            *e == m.earlier && p != &m.path && path_covers(p, &m.path)
                        })
                    });
                    out.push(LaterRemoval {
                        later: run.index,
                        command: k,
                        span: c.span,
                        matches,
                        operands: resolved,
                        all_matched: all,
                    });
                }
                continue;
            }
            for p in stored(model, run, k, c, cwd.as_deref(), self.root) {
                if !run_mount_covers(run, &p.0) && mine.len() < MAX_CREATED {
                    mine.push(Created {
                        inst: run.index,
                        path: p.0,
                        origin: p.1,
                    });
                }
            }
            // `mv SRC DEST`: SRC is gone from where it was.
            if name == "mv" {
                let ops: Vec<&Word> = c.operands().collect();
                for w in ops.iter().take(ops.len().saturating_sub(1)) {
                    if let Some(r) = resolve(&w.value, cwd.as_deref(), self.root) {
                        mine.retain(|m| m.path != r);
                        self.created.retain(|m| m.path != r);
                    }
                }
            }
        }
        for m in mine {
            self.add(m.inst, m.path, m.origin);
        }
    }
}

/// True when a cache, tmpfs, bind or secret mount of the RUN holds `path` (nothing of it
/// reaches the layer).
fn run_mount_covers(run: &Run, path: &str) -> bool {
    run.mount_covers(path)
        || run.mounts.iter().any(|m| {
            matches!(m.kind.as_str(), "bind" | "secret" | "ssh")
                && m.target
                    .as_deref()
                    .is_some_and(|t| t.starts_with('/') && path_covers(t, path))
        })
}

/// The operands of a delete: `rm [-rf] PATH...`, or `find DIR [-mindepth/-maxdepth/-type/-xdev]
/// -delete` (a find that filters by name or age deletes only part of what it names).
fn deleted_operands(c: &Command) -> Option<Vec<&Word>> {
    match c.name()? {
        "rm" => {
            let mut ops = Vec::new();
            let mut after_dashdash = false;
            for w in c.args() {
                if !after_dashdash && w.value == "--" {
                    after_dashdash = true;
                } else if after_dashdash || !w.value.starts_with('-') {
                    ops.push(w);
                }
            }
            (!ops.is_empty()).then_some(ops)
        }
        "find" => {
            let args = c.args();
            if !args.iter().any(|w| w.value == "-delete") {
                return None;
            }
            let dir = args.first().filter(|w| !w.value.starts_with('-'))?;
            let mut rest = args.iter().skip(1);
            while let Some(w) = rest.next() {
                match w.value.as_str() {
                    "-delete" | "-xdev" | "-depth" | "-mount" => {}
                    "-mindepth" | "-maxdepth" | "-type" => {
                        rest.next();
                    }
                    _ => return None,
                }
            }
            Some(vec![dir])
        }
        _ => None,
    }
}

/// True when deleting `r` (absolute, maybe a glob) deletes `path` or everything in it.
fn covers(r: &str, path: &str) -> bool {
    path_covers(r, path) || glob_covers(r, path)
}

/// `r` with `*`/`?` in any component matches `path` or one of its parents (a leading `*`
/// does not match a leading dot).
fn glob_covers(r: &str, path: &str) -> bool {
    if !r.contains(['*', '?']) || r.contains('[') {
        return false;
    }
    let mut rc = r.trim_end_matches('/').split('/');
    let mut pc = path.trim_end_matches('/').split('/');
    // Every component of `r` matches the component of `path` at its place (no allocation:
    // this runs for every remembered path on every delete).
    loop {
        match (rc.next(), pc.next()) {
            (None, _) => return true,
            (Some(_), None) => return false,
            (Some(g), Some(p)) if !fnmatch(g, p) => return false,
            _ => {}
        }
    }
}

/// Shell pattern match of one path component with `*` and `?`.
fn fnmatch(g: &str, s: &str) -> bool {
    if s.starts_with('.') && !g.starts_with('.') {
        return g == s;
    }
    let (g, s): (Vec<char>, Vec<char>) = (g.chars().collect(), s.chars().collect());
    // iterative wildcard matching with one backtrack point
    let (mut gi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        match g.get(gi) {
            Some('*') => {
                star = Some(gi);
                mark = si;
                gi += 1;
            }
            Some('?') => {
                gi += 1;
                si += 1;
            }
            Some(c) if *c == s[si] => {
                gi += 1;
                si += 1;
            }
            _ => match star {
                Some(st) => {
                    gi = st + 1;
                    mark += 1;
                    si = mark;
                }
                None => return false,
            },
        }
    }
    g[gi..].iter().all(|c| *c == '*')
}

/// An absolute, normalised path for `p` (`~` and `$HOME` as /root when running as root,
/// relative paths against `cwd`); `None` when it depends on something unknown.
fn resolve(p: &str, cwd: Option<&str>, root: bool) -> Option<String> {
    let home = ["~/", "$HOME/", "${HOME}/"]
        .iter()
        .find_map(|h| p.strip_prefix(h))
        .or_else(|| ["~", "$HOME", "${HOME}"].contains(&p).then_some(""));
    let joined = match home {
        Some(rest) if root => format!("/root/{rest}"),
        Some(_) => return None,
        None if p.starts_with('/') => p.to_string(),
        None => format!("{}/{p}", cwd?),
    };
    if joined.contains(['$', '`', '\\', '{', '\n']) || p.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for comp in joined.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Where a COPY/ADD puts its sources.
fn copy_targets(sources: &[crate::dockerfile::Word], dest: &str, cwd: Option<&str>, root: bool) -> Vec<String> {
    let Some(d) = resolve(dest, cwd, root) else {
        return Vec::new();
    };
    if sources.len() > 1 || dest.ends_with('/') {
        sources
            .iter()
            .filter_map(|s| {
                let v = s.value.trim_end_matches('/');
                let name = basename(v.split('?').next().unwrap_or(v));
                let plain = !name.is_empty()
                    && name != "."
                    && name != ".."
                    && !v.ends_with('/')
                    && !name.contains(['*', '?', '[', '$']);
                // A directory source copies its contents: they land in `dest` itself.
                (plain && !s.value.ends_with('/')).then(|| format!("{}/{name}", d.trim_end_matches('/')))
            })
            .collect()
    } else if d == "/" {
        Vec::new()
    } else {
        vec![d]
    }
}

/// What command `k` of a RUN stores: paths with their origin.
fn stored(
    model: &SemanticModel<'_>,
    run: &Run,
    k: usize,
    c: &Command,
    cwd: Option<&str>,
    root: bool,
) -> Vec<(String, Origin)> {
    let res = |v: &str| resolve(v, cwd, root);
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
            file(dir.zip(url_name(c)).map(|(d, n)| format!("{}/{n}", d.trim_end_matches('/'))))
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
                "-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference",
                "-u", "--upload-pack", "--separate-git-dir", "-j", "--jobs", "--filter",
                "--template", "--shallow-since", "--shallow-exclude",
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
            dir.map(|d| {
                vec![
                    (format!("{d}/.git"), Origin::File),
                    (d, Origin::File),
                ]
            })
            .unwrap_or_default()
        }
        "unzip" => {
            let d = value_of(&["-d"]);
            file(static_path(d, &[]))
        }
        "cp" | "mv" => {
            if args.iter().any(|w| w.value == "-t" || w.value.starts_with("--target-directory")) {
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
            Some(inv) => package_dirs(model, run, &inv, root)
                .into_iter()
                .map(|d| (d.to_string(), Origin::Package(inv.manager)))
                .collect(),
            None => Vec::new(),
        },
    }
}

fn run_script<'m>(model: &'m SemanticModel<'_>, run: &Run) -> Option<&'m Script> {
    model.analysis().run_at(run.index)?.script.as_ref()
}

/// True when a command after `k` names `path` (or something in it).
fn used_after(script: Option<&Script>, k: usize, path: &str) -> bool {
    script.is_some_and(|s| {
        s.commands
            .iter()
            .skip(k + 1)
            .any(|c| c.words.iter().any(|w| w.value.contains(path)))
    })
}

/// The cache or index directories an invocation fills (those under /root only as root).
fn package_dirs(
    model: &SemanticModel<'_>,
    run: &Run,
    inv: &Invocation<'_>,
    root: bool,
) -> Vec<&'static str> {
    let sub = inv.sub();
    let env = |n: &str| model.var(run.index, n).is_some();
    let dirs: &[&'static str] = match inv.manager {
        Manager::AptGet | Manager::Apt => match sub {
            "update" => &["/var/lib/apt/lists"],
            "install" | "upgrade" | "dist-upgrade" | "full-upgrade" if inv.is_install() || sub != "install" => {
                &["/var/cache/apt"]
            }
            _ => &[],
        },
        Manager::Apk if !inv.has(&["--no-cache"]) && matches!(sub, "add" | "update" | "upgrade") => {
            &["/var/cache/apk"]
        }
        Manager::Dnf if inv.is_install() || matches!(sub, "makecache" | "update" | "upgrade") => {
            &["/var/cache/dnf"]
        }
        Manager::Yum if inv.is_install() || matches!(sub, "makecache" | "update" | "upgrade") => {
            &["/var/cache/yum"]
        }
        Manager::Zypper if inv.is_install() || matches!(sub, "refresh" | "ref") => {
            &["/var/cache/zypp"]
        }
        Manager::Conda if inv.is_install() || sub == "create" => &["/opt/conda/pkgs"],
        _ if !root => &[],
        Manager::Pip
            if inv.cmd.name() != Some("uv")
                && inv.is_install()
                && !inv.has(&["--no-cache-dir"])
                && !env("PIP_NO_CACHE_DIR")
                && !env("PIP_CACHE_DIR") =>
        {
            &["/root/.cache/pip"]
        }
        Manager::Npm if inv.is_install() && !env("npm_config_cache") && !env("NPM_CONFIG_CACHE") => {
            &["/root/.npm"]
        }
        Manager::Yarn if inv.is_install() && !env("YARN_CACHE_FOLDER") => {
            &["/usr/local/share/.cache/yarn"]
        }
        Manager::Go if matches!(sub, "build" | "install") && !env("GOCACHE") => {
            &["/root/.cache/go-build"]
        }
        Manager::Composer
            if matches!(sub, "install" | "require" | "update")
                && !env("COMPOSER_HOME")
                && !env("COMPOSER_CACHE_DIR") =>
        {
            &["/root/.composer/cache"]
        }
        _ => &[],
    };
    dirs.to_vec()
}

/// Managers that share a cache directory count as one.
fn family(m: Manager) -> &'static str {
    match m {
        Manager::AptGet | Manager::Apt => "apt",
        Manager::Pip | Manager::Uv => "pip",
        Manager::Dnf | Manager::Yum | Manager::Microdnf => "rpm",
        m => m.as_str(),
    }
}

fn line(df: &Dockerfile, i: usize) -> usize {
    df.instructions
        .get(i)
        .map_or(0, |x| df.lines.line_col(&df.source, x.span.start).line)
}

fn message(df: &Dockerfile, r: &LaterRemoval) -> String {
    let m = r.matches.first();
    let earlier = m.map_or(0, |m| m.earlier);
    let kw = df
        .instructions
        .get(earlier)
        .map_or("RUN", |i| i.keyword.as_str());
    let mut paths: Vec<&str> = Vec::new();
    for m in &r.matches {
        if !paths.contains(&m.path.as_str()) {
            paths.push(&m.path);
        }
    }
    let shown = paths.iter().take(3).copied().collect::<Vec<_>>().join(", ");
    let path = match paths.len() {
        n if n > 3 => format!("{shown} and {} more", n - 3),
        _ => shown,
    };
    let mut lines: Vec<usize> = r.matches.iter().map(|m| line(df, m.earlier)).collect();
    lines.dedup();
    let how = match (m.map(|m| &m.origin), lines.as_slice()) {
        (Some(Origin::Package(mgr)), [l]) => format!("`{}` in line {l}'s RUN filled", mgr.as_str()),
        (_, [l]) => format!("line {l}'s {kw} stored"),
        _ => format!(
            "lines {} stored",
            lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")
        ),
    };
    let remedy = if kw == "RUN" {
        "delete it in the RUN that creates it"
    } else {
        "delete it before it is copied (a multi-stage build, .dockerignore) or in a RUN that fetches and deletes it"
    };
    format!(
        "this deletes {path}, which {how}: {} the bytes and the image does not get \
         smaller; {remedy}",
        if lines.len() > 1 {
            "those layers keep"
        } else {
            "that layer keeps"
        }
    )
}

/// Moves the delete to the end of the RUN that stored what it deletes: only when all of it
/// concerns that one RUN, nothing in between uses the paths, and both RUNs can be edited.
fn move_fix(model: &SemanticModel<'_>, r: &LaterRemoval) -> Option<Fix> {
    let df = model.dockerfile();
    let a = model.analysis();
    let earlier = r.matches.first()?.earlier;
    if !r.all_matched || r.matches.iter().any(|m| m.earlier != earlier) {
        return None;
    }
    let (erun, lrun) = (a.run_at(earlier)?, a.run_at(r.later)?);
    let (escript, lscript) = (erun.script.as_ref()?, lrun.script.as_ref()?);
    let cmd = lscript.commands.get(r.command)?;
    if cmd.nested || cmd.from_sh_c || cmd.name() != Some("rm") || lscript.tolerant || escript.tolerant {
        return None;
    }
    let linst = edit::run_instruction(df, lrun)?;
    if !linst.heredocs.is_empty() || !matches!(linst.kind, InstructionKind::Run(ShellOrExec::Shell(_))) {
        return None;
    }
    // Nothing between the two may use what moves earlier.
    let stage = df.stages.get(linst.stage?)?;
    let uses = |c: &Command| {
        r.matches.iter().any(|m| match m.origin {
            Origin::Package(mgr) => invocation(0, c).is_some_and(|i| family(i.manager) == family(mgr)),
            Origin::File | Origin::Dir => {
                let base = basename(&m.path);
                c.words.iter().any(|w| {
                    !w.is_static
                        || w.value.contains(m.path.as_str())
                        || (base.len() >= 3 && w.value.contains(base))
                })
            }
        })
    };
    for &i in stage.instructions.iter().filter(|&&i| earlier < i && i < r.later) {
        let inst = df.instructions.get(i)?;
        match inst.keyword {
            Keyword::Run => {
                let s = a.run_at(i)?.script.as_ref()?;
                if s.tolerant || s.commands.iter().any(uses) {
                    return None;
                }
            }
            Keyword::Workdir | Keyword::Copy | Keyword::Add | Keyword::Onbuild
                if r
                    .matches
                    .iter()
                    .any(|m| inst.args.text.contains(basename(&m.path))) =>
            {
                return None;
            }
            _ => {}
        }
    }
    if lscript.commands.get(..r.command)?.iter().any(uses) {
        return None;
    }
    // The command moves with absolute paths (the working directories differ).
    let ops: Vec<&str> = r.operands.iter().map(|o| o.as_deref()).collect::<Option<_>>()?;
    if ops.iter().any(|o| !o.chars().all(|c| c.is_ascii_alphanumeric() || "/._-*+@:,=".contains(c))) {
        return None;
    }
    let recursive = cmd.has_option(Some('r'), Some("recursive")) || cmd.has_option(Some('R'), None);
    let new = format!("rm -{}f {}", if recursive { "r" } else { "" }, ops.join(" "));
    let last = escript
        .commands
        .iter()
        .rposition(|c| !c.nested && !c.from_sh_c)?;
    let append = edit::append_command(df, erun, escript, last, &new)?;
    let top = lscript.commands.iter().filter(|c| !c.nested && !c.from_sh_c).count();
    let remove = if top == 1 && lscript.commands.len() == 1 {
        delete_instruction(df, linst.span)?
    } else {
        edit::remove_command(df, lscript, r.command)
            .or_else(|| edit::remove_last_command(df, lscript, r.command))?
    };
    Some(Fix::unsafe_edit(
        format!(
            "move `{new}` to the end of the RUN on line {} (unsafe: the files go in that layer's RUN, \
             before the instructions in between run)",
            line(df, earlier)
        ),
        vec![append, remove],
    ))
}

/// An edit deleting a whole instruction with its line ending.
fn delete_instruction(df: &Dockerfile, span: Span) -> Option<Edit> {
    let src = &df.source;
    let start = src.get(..span.start)?.rfind('\n').map_or(0, |p| p + 1);
    if !src.get(start..span.start)?.trim().is_empty() {
        return None;
    }
    let rest = src.get(span.end..)?;
    let end = span.end + rest.find('\n').map_or(rest.len(), |p| p + 1);
    if !src.get(span.end..end)?.trim().is_empty() {
        return None;
    }
    Some(Edit {
        span: Span::new(start, end),
        replacement: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{dockerfile, fixed, lines, run as check};

    #[test]
    fn download_then_delete_later() {
        let src = "FROM debian:12\nRUN curl -fsSL -o /tmp/x.tar.gz https://e.com/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt\nRUN rm /tmp/x.tar.gz\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/tmp/x.tar.gz"), "{}", d[0].message);
        assert!(d[0].message.contains("line 2"), "{}", d[0].message);
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN curl -fsSL -o /tmp/x.tar.gz https://e.com/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt && rm -f /tmp/x.tar.gz\n"
        );
    }

    #[test]
    fn apt_lists_and_globs() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN echo hi && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(lines(&RemovedInLaterRun, src), [3]);
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN echo hi\n"
        );
        let src = "FROM debian:12\nRUN wget -P /tmp https://e.com/a.tar.gz\nRUN rm -f /tmp/*.tar.gz && echo ok\n";
        assert_eq!(lines(&RemovedInLaterRun, src), [3]);
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN wget -P /tmp https://e.com/a.tar.gz && rm -f /tmp/*.tar.gz\nRUN echo ok\n"
        );
        // a hidden file is not matched by `*`
        let src = "FROM debian:12\nRUN curl -o /tmp/.x https://e.com/x\nRUN rm -rf /tmp/*\n";
        assert!(lines(&RemovedInLaterRun, src).is_empty());
    }

    #[test]
    fn copy_is_a_layer_too() {
        let src = "FROM debian:12\nCOPY big.tar /tmp/\nRUN tar -xf /tmp/big.tar -C /opt && rm /tmp/big.tar\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
        assert!(d[0].message.contains("COPY"), "{}", d[0].message);
    }

    #[test]
    fn workdir_relative_paths() {
        let src = "FROM debian:12\nWORKDIR /src\nRUN git clone https://e.com/r.git\nRUN rm -rf r/.git\n";
        assert_eq!(lines(&RemovedInLaterRun, src), [4]);
        // unknown working directory: no finding
        let src = "FROM debian:12\nRUN git clone https://e.com/r.git\nRUN rm -rf r/.git\n";
        assert!(lines(&RemovedInLaterRun, src).is_empty());
    }

    #[test]
    fn not_when_it_is_not_a_later_layer() {
        for src in [
            // same RUN
            "FROM debian:12\nRUN curl -o /tmp/x https://e.com/x && rm /tmp/x\n",
            // the later RUN stores it again itself first
            "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
            // a cache mount kept it out of the layer
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n",
            "FROM debian:12\nRUN --mount=type=tmpfs,target=/tmp curl -o /tmp/x https://e.com/x\nRUN rm /tmp/x\n",
            // another stage
            "FROM debian:12 AS a\nRUN curl -o /tmp/x https://e.com/x\nFROM debian:12\nRUN rm /tmp/x\n",
            // a build stage not in the final image
            "FROM debian:12 AS build\nRUN curl -o /tmp/x https://e.com/x\nRUN rm /tmp/x\nFROM scratch\nCOPY --from=build /opt /opt\n",
            // variables: unsure
            "FROM debian:12\nRUN curl -o /tmp/$V https://e.com/x\nRUN rm /tmp/$V\n",
            // a filtered find
            "FROM debian:12\nRUN mkdir -p /app/x\nRUN find /app -name '*.pyc' -delete\n",
            // not created by anything we know
            "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/*\n",
            // an empty directory made by mkdir
            "FROM debian:12\nRUN mkdir -p /data\nRUN rm -rf /data\n",
            // a directory the deleting RUN (its package install) filled first
            "FROM debian:12\nRUN mkdir -p /var/www/html && chown www-data /var/www/html\nRUN apt-get update && apt-get install -y apache2 && rm -rf /var/www/html/*\n",
            // moved away before the delete
            "FROM debian:12\nCOPY a.sh b.sh /tmp/\nRUN mv /tmp/a.sh /usr/bin/ && rm /tmp/a.sh\n",
            // pip without a cache
            "FROM python:3.12\nRUN pip install --no-cache-dir flask\nRUN rm -rf /root/.cache/pip\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn no_fix_when_something_in_between_uses_it() {
        for src in [
            // the next RUN extracts the download
            "FROM debian:12\nRUN curl -o /tmp/x.tgz https://e.com/x\nRUN tar -xzf /tmp/x.tgz -C /opt\nRUN rm /tmp/x.tgz\n",
            // the deleting RUN uses it first
            "FROM debian:12\nRUN curl -o /tmp/x.tgz https://e.com/x\nRUN tar -xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz\n",
            // apt lists used by a later install
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
            // operands from two RUNs
            "FROM debian:12\nRUN curl -o /tmp/a https://e.com/a\nRUN curl -o /tmp/b https://e.com/b\nRUN rm /tmp/a /tmp/b\n",
            // an operand the rule does not know
            "FROM debian:12\nRUN curl -o /tmp/a https://e.com/a\nRUN rm -rf /tmp/a /srv/b\n",
        ] {
            let d = check(&RemovedInLaterRun, src);
            assert!(!d.is_empty(), "{src}");
            assert!(d.iter().all(|d| d.fix.is_none()), "{src}");
        }
    }

    #[test]
    fn fixes_keep_continuations_and_reparse() {
        let src = "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\nRUN echo a \\\n    && rm -rf /var/lib/apt/lists/* \\\n    && echo b\n";
        let out = fixed(&RemovedInLaterRun, src);
        assert_eq!(
            out,
            "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nRUN echo a \\\n    && echo b\n"
        );
        let df = dockerfile(&out);
        assert_eq!(df.instructions.len(), 3);
        assert!(check(&RemovedInLaterRun, &out).is_empty());
        // a RUN left with nothing is deleted
        let src = "FROM debian:12\nRUN mkdir /build && cd /build && make\nRUN rm -rf /build\nCMD [\"x\"]\n";
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN mkdir /build && cd /build && make && rm -rf /build\nCMD [\"x\"]\n"
        );
    }

    #[test]
    fn arg_and_env_values_are_substituted() {
        let src = "FROM python:3.6\nENV BUILD_DIR /usr/src\nADD https://e.com/v1.tar.gz ${BUILD_DIR}/\nRUN cd ${BUILD_DIR} && tar -xf v1.tar.gz\nRUN rm -rf ${BUILD_DIR}/*\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/usr/src/v1.tar.gz"), "{}", d[0].message);
        let src = "FROM debian:12\nARG V=1.2\nRUN curl -o /tmp/a-$V.tgz https://e.com/a\nRUN rm /tmp/a-${V}.tgz\n";
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nARG V=1.2\nRUN curl -o /tmp/a-$V.tgz https://e.com/a && rm -f /tmp/a-1.2.tgz\n"
        );
        // the RUN sets the name itself: unsure
        let src = "FROM debian:12\nARG V=1.2\nRUN curl -o /tmp/a-$V.tgz https://e.com/a\nRUN V=3 && rm /tmp/a-$V.tgz\n";
        assert!(lines(&RemovedInLaterRun, src).is_empty());
    }

    #[test]
    fn globs() {
        assert!(glob_covers("/tmp/*.tar.gz", "/tmp/a.tar.gz"));
        assert!(glob_covers("/opt/*/docs", "/opt/x/docs/y"));
        assert!(!glob_covers("/tmp/*.tgz", "/tmp/a.tar.gz"));
        assert!(!glob_covers("/tmp/*", "/tmp/.hidden"));
        assert!(glob_covers("/tmp/a?c", "/tmp/abc"));
        assert_eq!(resolve("../b/./c", Some("/a/x"), true).as_deref(), Some("/a/b/c"));
        assert_eq!(resolve("~/.cache", None, true).as_deref(), Some("/root/.cache"));
        assert_eq!(resolve("~/.cache", None, false), None);
        assert_eq!(resolve("x", None, true), None);
    }
}
