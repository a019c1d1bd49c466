//! Deletes in a later RUN of files an earlier instruction of the same stage stored: the
//! bookkeeping behind DL5004 (`removed-in-later-run`), shared with the optimizer, which prices
//! what such a delete leaves in the earlier layer.
//!
//! Each stage of the final image is followed in order, remembering what each instruction stored
//! (downloads, clones, `mkdir`, `cp`/`mv` targets, COPY/ADD destinations, the caches the package
//! managers fill; see [`stored`]), with paths resolved as in [`paths`], and every `rm` (or plain
//! `find DIR -delete`) of a later RUN that covers one of them is a [`LaterRemoval`].

mod packages;
mod paths;
mod stored;

use crate::dockerfile::{InstructionKind, Span};
use crate::lint::SemanticModel;
use crate::semantic::Env;
use crate::shell::pkg::{Manager, invocation};
use crate::shell::run::Run;
use crate::shell::{Command, Script, Word, path_covers};
use paths::{copy_targets, covers, resolve};
use stored::stored;

/// What an instruction stored at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file or directory (download, clone, copy target, COPY/ADD destination).
    File,
    /// A directory `mkdir` made and the same RUN used: what is in it may come from elsewhere.
    Dir,
    /// A cache or index directory this package manager fills.
    Package(Manager),
    /// A package this manager installed (the match's path is the package's name).
    Installed(Manager),
    /// The dependencies an install pulled in that a removal of the package named by the
    /// match's path left behind (`apt-get autoremove` deletes them).
    Orphaned {
        /// The manager that installed them.
        manager: Manager,
        /// The removal that orphaned them ran in the RUN that installed them.
        removed_there: bool,
    },
}

impl Origin {
    /// True for installed packages (not paths): [`Origin::Installed`], [`Origin::Orphaned`].
    pub fn is_package(&self) -> bool {
        matches!(self, Origin::Installed(_) | Origin::Orphaned { .. })
    }
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
    for (s, stage) in df.stages.iter().enumerate() {
        if !model.in_final_image(Some(s)) {
            continue;
        }
        let mut st = StageState {
            cwd: None,
            home: Some("/root".into()),
            created: Vec::new(),
            debs_kept_from: None,
            installed: Vec::new(),
            orphans: None,
        };
        for &i in &stage.instructions {
            let Some(inst) = df.instructions.get(i) else {
                continue;
            };
            st.home = model.home_at(i).dir().map(str::to_string);
            match &inst.kind {
                InstructionKind::Workdir(w) => {
                    st.cwd = expand_at(model, i, &w.value)
                        .and_then(|v| resolve(&v, st.cwd.as_deref(), st.home.as_deref()));
                }
                InstructionKind::Copy { sources, dest, .. } => {
                    if inst.heredocs.is_empty()
                        && let Some(dest) =
                            dest.as_ref().and_then(|d| expand_at(model, i, &d.value))
                    {
                        let sources: Vec<crate::dockerfile::Word> = sources
                            .iter()
                            .map(|w| crate::dockerfile::Word {
                                span: w.span,
                                value: expand_at(model, i, &w.value)
                                    .unwrap_or_else(|| w.value.clone()),
                            })
                            .collect();
                        for p in
                            copy_targets(&sources, &dest, st.cwd.as_deref(), st.home.as_deref())
                        {
                            st.add(i, p, Origin::File);
                        }
                    }
                }
                InstructionKind::Run(_) => {
                    if let Some(run) = a.run_at(i)
                        && let Some(script) = &run.script
                    {
                        let expanded = model
                            .with_scope(i, |env| expand_script(model, run, script, env))
                            .unwrap_or_else(|| script.clone());
                        st.run(model, run, &expanded, &mut out);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A Dockerfile word of instruction `index` with the ARG/ENV values in scope there substituted;
/// `None` when a variable is not known.
fn expand_at(model: &SemanticModel<'_>, index: usize, word: &str) -> Option<String> {
    if !word.contains('$') {
        return Some(word.to_string());
    }
    let escape = model.dockerfile().escape;
    model
        .with_scope(index, |env| {
            let e = env.expand(word, escape).ok()?;
            e.unset.is_empty().then_some(e.value)
        })
        .flatten()
}

/// The script with the words that only reference ARG/ENV variables in scope (`${DIR}/x`)
/// made static with their values; not for names the RUN itself assigns, nor words with a
/// command substitution.
fn expand_script(model: &SemanticModel<'_>, run: &Run, script: &Script, vars: &Env) -> Script {
    let dynamic = |w: &Word| !w.is_static && w.value.contains('$');
    if !script
        .commands
        .iter()
        .any(|c| c.words.iter().chain(&c.writes).any(dynamic))
    {
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
            .then(|| vars.get(n).map(str::to_string))
            .flatten()
    };
    let mut out = script.clone();
    for c in &mut out.commands {
        for w in c.words.iter_mut().chain(c.writes.iter_mut()) {
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
    /// Working directory when known.
    cwd: Option<String>,
    /// The home directory of the user the instruction runs as (`~`), when known.
    home: Option<String>,
    created: Vec<Created>,
    /// First instruction from which apt keeps the downloaded `.deb`s: the stage removed the
    /// `docker-clean` hook of the Debian/Ubuntu images (which deletes them after each install)
    /// or set `Keep-Downloaded-Packages`. Before it (and without it) `apt-get clean` deletes
    /// next to nothing an earlier layer stored.
    debs_kept_from: Option<usize>,
    /// Packages earlier RUNs installed: (RUN, the installing manager's family, name).
    installed: Vec<(usize, crate::shell::pkg::Family, String)>,
    /// The dependencies a removal left behind, waiting for an `autoremove`.
    orphans: Option<packages::Orphans>,
}

impl StageState {
    fn add(&mut self, inst: usize, path: String, origin: Origin) {
        // The same path stored again: the later instruction is the one that holds it. Not
        // for a directory two RUNs filled (an archive extracted into it, say): both keep a part.
        let both_dirs = |e: &Created| e.origin == Origin::Dir && origin == Origin::Dir;
        if let Some(e) = self
            .created
            .iter_mut()
            .find(|e| e.path == path && (e.inst == inst || !both_dirs(e)))
        {
            e.inst = inst;
            e.origin = origin;
            return;
        }
        if self.created.len() < MAX_CREATED {
            self.created.push(Created { inst, path, origin });
        }
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
        let mut mine_installed: Vec<(crate::shell::pkg::Family, String)> = Vec::new();
        for (k, c) in script.commands.iter().enumerate() {
            let Some(name) = c.name() else {
                continue;
            };
            self.packages(run, k, c, &mut mine_installed, out);
            if name == "cd" {
                cwd = match c.operands().next() {
                    Some(w) if w.is_static => {
                        resolve(&w.value, cwd.as_deref(), self.home.as_deref())
                    }
                    _ => None,
                };
                continue;
            }
            if self.debs_kept_from.is_none() && keeps_debs(c, cwd.as_deref(), self.home.as_deref())
            {
                self.debs_kept_from = Some(run.index);
            }
            if is_apt_clean(k, c) {
                // What this RUN's own installs stored is cleaned in time; when it installed
                // too, the clean is its own (as an `rm` of what the RUN stored again).
                let own = mine.iter().any(is_apt_cache);
                mine.retain(|m| !is_apt_cache(m));
                let kept =
                    |e: &Created| !own && self.debs_kept_from.is_some_and(|from| e.inst >= from);
                let matches: Vec<Match> = self
                    .created
                    .iter()
                    .filter(|e| is_apt_cache(e) && kept(e))
                    .map(|e| Match {
                        earlier: e.inst,
                        path: e.path.clone(),
                        origin: e.origin.clone(),
                    })
                    .collect();
                self.created.retain(|e| !is_apt_cache(e));
                if !matches.is_empty() {
                    out.push(LaterRemoval {
                        later: run.index,
                        command: k,
                        span: c.span,
                        matches,
                        operands: vec![Some(APT_CACHE.to_string())],
                        all_matched: true,
                    });
                }
                continue;
            }
            if let Some(ops) = deleted_operands(c) {
                let resolved: Vec<Option<String>> = ops
                    .iter()
                    .map(|w| {
                        w.is_static
                            .then(|| resolve(&w.value, cwd.as_deref(), self.home.as_deref()))
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
                                    || c.words
                                        .iter()
                                        .chain(&c.writes)
                                        .any(|w| w.value.contains(e.path.as_str()))
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
                    let paths: Vec<(usize, String)> = matches
                        .iter()
                        .map(|m| (m.earlier, m.path.clone()))
                        .collect();
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
            for p in stored(model, run, k, c, cwd.as_deref(), self.home.as_deref()) {
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
                    if let Some(r) = resolve(&w.value, cwd.as_deref(), self.home.as_deref()) {
                        mine.retain(|m| m.path != r);
                        self.created.retain(|m| m.path != r);
                    }
                }
            }
        }
        for m in mine {
            self.add(m.inst, m.path, m.origin);
        }
        for (f, n) in mine_installed {
            self.installed.retain(|(_, g, p)| !(*g == f && *p == n));
            if self.installed.len() < MAX_CREATED {
                self.installed.push((run.index, f, n));
            }
        }
    }
}

/// The cache apt installs fill and `apt-get clean` empties.
const APT_CACHE: &str = "/var/cache/apt";

/// True for an `apt-get clean` / `apt clean`.
fn is_apt_clean(k: usize, c: &Command) -> bool {
    invocation(k, c)
        .is_some_and(|i| matches!(i.manager, Manager::AptGet | Manager::Apt) && i.sub() == "clean")
}

/// The apt package cache an install stored.
fn is_apt_cache(e: &Created) -> bool {
    e.path == APT_CACHE && matches!(e.origin, Origin::Package(Manager::AptGet | Manager::Apt))
}

/// True when `c` makes apt keep the `.deb`s it downloads: it deletes
/// /etc/apt/apt.conf.d/docker-clean, or names `Keep-Downloaded-Packages` set to true (in an
/// apt option or in a line written to apt's configuration).
fn keeps_debs(c: &Command, cwd: Option<&str>, home: Option<&str>) -> bool {
    let hook = "/etc/apt/apt.conf.d/docker-clean";
    let deletes_hook = deleted_operands(c).is_some_and(|ops| {
        ops.iter()
            .any(|w| w.is_static && resolve(&w.value, cwd, home).is_some_and(|r| covers(&r, hook)))
    });
    deletes_hook
        || c.words.iter().any(|w| {
            let v = w.value.to_ascii_lowercase();
            v.contains("keep-downloaded-packages") && v.contains("true")
        })
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

/// True when the resolved delete operand `op` (globs allowed) covers `path`.
pub fn operand_covers(op: &str, path: &str) -> bool {
    covers(op, path)
}

/// The operand words of a delete command (see [`LaterRemoval::operands`], same order).
pub fn delete_operands(c: &Command) -> Option<Vec<&Word>> {
    deleted_operands(c)
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
