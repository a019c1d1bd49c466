//! Package-manager model: which manager, which sub-command, which packages with which version
//! pins, which options.

mod build;
mod clean;
mod confirm;
mod dirs;
mod family;
mod index;
pub mod manifests;
mod mounts;
mod options;
mod project;
mod remove;
mod signature;
mod vars;

pub use build::{
    BUILD_PACKAGES, Build, BuildTool, C_COMPILER_PACKAGES, Toolchain, build, builds,
    go_image_with_gcc, image_toolchain,
};
pub use clean::{clean_command, cleans_cache};
pub use dirs::{
    DirKind, MANAGER_DIRS, ManagerDir, cache_dir, cache_mount_setup, dir_paths, dirs_of,
    download_cache, download_cache_of,
};
pub use family::{Family, config_manager_of};
pub use index::{Index, IndexUse, index_use};
pub use mounts::{MountTarget, cache_mount_dirs, mount_target};
pub use project::{lockfiles, names_lockfile, omit_dev_vars};
pub use remove::Removal;
pub use signature::signature_check_off;
pub use vars::assigned_before;

use super::{Command, Script, Word, basename};
use crate::dockerfile::Span;

/// A package manager or build tool that installs dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Manager {
    AptGet,
    Apt,
    /// aptitude (Debian's interactive front end; shares apt's lists and cache)
    Aptitude,
    /// apt-cache (queries apt's lists; installs nothing)
    AptCache,
    /// dpkg (installs `.deb` files, `-i`/`--install`; reads no index, keeps no cache)
    Dpkg,
    Apk,
    Dnf,
    Yum,
    Microdnf,
    /// tdnf (Photon OS; dnf's sub-commands, cache /var/cache/tdnf)
    Tdnf,
    /// rpm (installs `.rpm` files, `-i`/`-U`/`--install`/`--upgrade`; reads no index, keeps
    /// no cache)
    Rpm,
    Zypper,
    /// pip, pip3, `python -m pip`, `uv pip`
    Pip,
    /// pipx (installs applications, each in its own virtual environment)
    Pipx,
    /// `uv sync` / `uv add` (not `uv pip`)
    Uv,
    Poetry,
    Pipenv,
    Npm,
    Yarn,
    Pnpm,
    /// bun (`bun install`, `bun add`; its cache is ~/.bun/install/cache)
    Bun,
    Gem,
    Bundle,
    Go,
    Cargo,
    Composer,
    /// conda, mamba, micromamba
    Conda,
    Maven,
    Gradle,
}

impl Manager {
    /// The command name users know it by.
    pub fn as_str(&self) -> &'static str {
        match self {
            Manager::AptGet => "apt-get",
            Manager::Apt => "apt",
            Manager::Aptitude => "aptitude",
            Manager::AptCache => "apt-cache",
            Manager::Dpkg => "dpkg",
            Manager::Apk => "apk",
            Manager::Dnf => "dnf",
            Manager::Yum => "yum",
            Manager::Microdnf => "microdnf",
            Manager::Tdnf => "tdnf",
            Manager::Rpm => "rpm",
            Manager::Zypper => "zypper",
            Manager::Pip => "pip",
            Manager::Pipx => "pipx",
            Manager::Uv => "uv",
            Manager::Poetry => "poetry",
            Manager::Pipenv => "pipenv",
            Manager::Npm => "npm",
            Manager::Yarn => "yarn",
            Manager::Pnpm => "pnpm",
            Manager::Bun => "bun",
            Manager::Gem => "gem",
            Manager::Bundle => "bundle",
            Manager::Go => "go",
            Manager::Cargo => "cargo",
            Manager::Composer => "composer",
            Manager::Conda => "conda",
            Manager::Maven => "mvn",
            Manager::Gradle => "gradle",
        }
    }
}

/// An option given to a package manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    /// As written, dashes included, without any `=value`.
    pub name: String,
    pub value: Option<String>,
}

/// A package operand with its version pin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The operand as written (quotes removed).
    pub raw: String,
    pub name: String,
    /// The version pin, when there is one.
    pub version: Option<String>,
    pub span: Span,
    /// False for operands containing a variable.
    pub is_static: bool,
    /// A local file, path or URL rather than a repository package (never needs a pin).
    pub is_path: bool,
}

/// One invocation of a package manager.
#[derive(Debug, Clone)]
pub struct Invocation<'a> {
    pub manager: Manager,
    /// Index of the command in [`Script::commands`].
    pub index: usize,
    pub cmd: &'a Command,
    /// First operand (`install`, `update`, ...); `None` for a bare `yarn`, say.
    pub sub: Option<&'a Word>,
    pub options: Vec<Opt>,
    /// Operands after the sub-command.
    pub operands: Vec<&'a Word>,
}

impl<'a> Invocation<'a> {
    /// The sub-command's value, or "".
    pub fn sub(&self) -> &str {
        self.sub.map(|w| w.value.as_str()).unwrap_or("")
    }

    /// True when any of `names` (e.g. `-y`, `--yes`) was given. Short names also match inside
    /// clusters (`-qy`).
    pub fn has(&self, names: &[&str]) -> bool {
        self.options.iter().any(|o| {
            names.iter().any(|n| {
                o.name == *n
                    || (n.len() == 2
                        && n.starts_with('-')
                        && !o.name.starts_with("--")
                        && o.name.len() > 2
                        && o.name[1..].chars().all(|c| c.is_ascii_alphabetic())
                        && n[1..].chars().all(|c| o.name[1..].contains(c)))
            })
        })
    }

    /// Value of the first option among `names`.
    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.options
            .iter()
            .find(|o| names.contains(&o.name.as_str()))
            .and_then(|o| o.value.as_deref())
    }

    /// True when this is an install-like sub-command for its manager.
    pub fn is_install(&self) -> bool {
        let s = self.sub();
        match self.manager {
            Manager::AptGet | Manager::Apt => {
                s == "install"
                    && !self.has(&[
                        "-s",
                        "--simulate",
                        "--dry-run",
                        "--just-print",
                        "--no-act",
                        "--recon",
                        "--download-only",
                        "-d",
                    ])
            }
            Manager::Apk => s == "add",
            Manager::Aptitude => s == "install",
            Manager::AptCache => false,
            // dpkg's actions are options: `dpkg -i pkg.deb`
            Manager::Dpkg => self.has(&["-i", "--install"]),
            Manager::Bun => matches!(s, "install" | "i" | "add" | "a"),
            Manager::Rpm => self.rpm_installs(),
            Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf => {
                matches!(
                    s,
                    "install" | "in" | "groupinstall" | "localinstall" | "reinstall" | "rei"
                ) || (s == "module" && self.operands.first().is_some_and(|w| w.value == "install"))
                    || (s == "group" && self.operands.first().is_some_and(|w| w.value == "install"))
            }
            Manager::Zypper => matches!(s, "install" | "in"),
            Manager::Pip => s == "install",
            Manager::Pipx => s == "install",
            Manager::Uv => matches!(s, "sync" | "add"),
            Manager::Poetry | Manager::Pipenv => matches!(s, "install" | "sync"),
            Manager::Npm => matches!(s, "install" | "i" | "ci" | "add" | "isntall" | "in"),
            Manager::Yarn => {
                matches!(s, "" | "install" | "add")
                    || (s == "global" && self.operands.first().is_some_and(|w| w.value == "add"))
            }
            Manager::Pnpm => matches!(s, "install" | "i" | "add"),
            Manager::Gem => matches!(s, "install" | "i"),
            Manager::Bundle => matches!(s, "" | "install"),
            Manager::Go => {
                matches!(s, "install" | "build" | "get")
                    || (s == "mod" && self.operands.first().is_some_and(|w| w.value == "download"))
            }
            Manager::Cargo => matches!(s, "build" | "install" | "fetch"),
            Manager::Composer => matches!(s, "install" | "require" | "update"),
            Manager::Conda => {
                matches!(s, "install" | "create" | "update")
                    || (s == "env" && self.operands.first().is_some_and(|w| w.value == "create"))
            }
            Manager::Maven | Manager::Gradle => !s.is_empty(),
        }
    }

    /// True when this `rpm` invocation installs packages: its mode (the first option that
    /// names one) is `-i`/`--install`, `-U`/`--upgrade` or `-F`/`--freshen` (`rpm -Uvh a.rpm`),
    /// not a query (`-qi`), erase, verify or `--import`.
    fn rpm_installs(&self) -> bool {
        for o in &self.options {
            let mode = match o.name.strip_prefix("--") {
                Some(long) => match long {
                    "install" | "upgrade" | "freshen" => Some(true),
                    "query" | "erase" | "verify" | "import" | "checksig" => Some(false),
                    _ => None,
                },
                None => match o.name.strip_prefix('-').and_then(|s| s.chars().next()) {
                    Some('i' | 'U' | 'F') => Some(true),
                    Some('q' | 'e' | 'V' | 'K') => Some(false),
                    _ => None,
                },
            };
            if let Some(install) = mode {
                return install;
            }
        }
        false
    }

    /// True when this dnf/yum/microdnf/tdnf invocation downloads packages into the cache: an
    /// install or an upgrade (`up`, `upgrade-minimal`, `distro-sync`, ...). False for other
    /// managers.
    pub fn is_rpm_transaction(&self) -> bool {
        matches!(
            self.manager,
            Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf
        ) && (self.is_install()
            || matches!(
                self.sub(),
                "up" | "upgrade"
                    | "update"
                    | "upgrade-minimal"
                    | "update-minimal"
                    | "up-min"
                    | "distro-sync"
                    | "dsync"
                    | "distrosync"
            ))
    }

    /// Package operands with their version pins.
    pub fn packages(&self) -> Vec<Package> {
        let rpm = matches!(
            self.manager,
            Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf
        );
        if rpm && matches!(self.sub(), "group" | "groupinstall") {
            // Group names (`dnf group install "Development Tools"`) have no version to pin.
            return Vec::new();
        }
        if rpm && self.sub() == "module" {
            // `dnf module install nodejs:18/minimal`: the stream after `:` is the pin.
            return self
                .operands
                .iter()
                .skip(1)
                .map(|w| {
                    let mut p = package(self.manager, w);
                    let (name, stream) = match w.value.split_once(':') {
                        Some((n, s)) => (n, Some(s)),
                        None => (w.value.split('/').next().unwrap_or(""), None),
                    };
                    p.name = name.to_string();
                    p.version = stream.filter(|s| !s.is_empty()).map(str::to_string);
                    p
                })
                .collect();
        }
        let skip = match (self.manager, self.sub()) {
            // `yarn global add x`, `conda env create`
            (Manager::Yarn, "global") => 1,
            _ => 0,
        };
        self.operands
            .iter()
            .skip(skip)
            .map(|w| package(self.manager, w))
            .collect()
    }
}

/// npm's git dependencies: `git+https://…`, `git://…`, `github:u/r`, `u/r`. Pinned by `#<ref>`.
fn npm_git(raw: &str) -> bool {
    const HOSTED: [&str; 6] = [
        "git+",
        "git://",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ];
    if HOSTED.iter().any(|p| raw.starts_with(p)) {
        return true;
    }
    // `user/repo` shorthand: one slash, no scheme, not a path or a scoped package or a tarball.
    let bare = raw.split('#').next().unwrap_or("");
    bare.matches('/').count() == 1
        && !bare.contains(':')
        && !bare.starts_with(['.', '/', '~', '@'])
        && ![".tgz", ".tar.gz", ".tar"]
            .iter()
            .any(|e| bare.ends_with(e))
}

/// pip's VCS requirement (`git+https://host/repo.git@v1`): `Some(pinned)` with whether an `@ref`
/// follows the repository path; `None` for anything else.
fn pip_vcs(raw: &str) -> Option<bool> {
    let rest = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .find_map(|p| raw.strip_prefix(p))?;
    let url = rest.split('#').next().unwrap_or("");
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let after_host = path.split_once('/').map_or("", |(_, p)| p);
    Some(after_host.contains('@'))
}

fn package(m: Manager, w: &Word) -> Package {
    let raw = w.value.clone();
    if matches!(m, Manager::Npm | Manager::Yarn | Manager::Pnpm) && npm_git(&raw) {
        let (name, reference) = match raw.split_once('#') {
            Some((n, r)) => (n.to_string(), Some(r.to_string())),
            None => (raw.clone(), None),
        };
        return Package {
            name,
            version: reference.filter(|r| !r.is_empty()),
            span: w.span,
            is_static: w.is_static,
            is_path: false,
            raw,
        };
    }
    if matches!(m, Manager::Pip | Manager::Pipx)
        && let Some(pinned) = pip_vcs(&raw)
    {
        return Package {
            name: raw.clone(),
            version: pinned.then(|| "vcs-ref".to_string()),
            span: w.span,
            is_static: w.is_static,
            is_path: false,
            raw,
        };
    }
    let is_path = raw.starts_with('.')
        || raw.starts_with('/')
        || raw.starts_with('~')
        || raw.contains("://")
        || [
            ".deb", ".rpm", ".apk", ".whl", ".tar.gz", ".tgz", ".zip", ".gem",
        ]
        .iter()
        .any(|e| raw.ends_with(e))
        || (matches!(m, Manager::Npm | Manager::Yarn | Manager::Pnpm)
            && ((raw.contains('/') && !raw.starts_with('@'))
                || raw.contains(':')
                // npm takes `.tar`, `.tar.gz`, `.tgz` files in any case as local tarballs
                || [".tar", ".tar.gz", ".tgz"]
                    .iter()
                    .any(|e| raw.to_ascii_lowercase().ends_with(e))))
        || (matches!(m, Manager::Pip | Manager::Pipx) && raw.contains('/'))
        || (matches!(
            m,
            Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf
        ) && raw.starts_with('@'));
    let (name, version) = match m {
        Manager::AptGet | Manager::Apt | Manager::Apk | Manager::Zypper | Manager::Conda => {
            match raw.find(['=', '<', '>', '~']) {
                Some(p) if p > 0 => (
                    raw[..p].to_string(),
                    Some(
                        raw[p..]
                            .trim_start_matches(['=', '<', '>', '~'])
                            .to_string(),
                    ),
                ),
                _ => (raw.clone(), None),
            }
        }
        Manager::Pip | Manager::Pipx => {
            let ops = ["===", "==", "~=", "!=", ">=", "<=", ">", "<", "@"];
            match ops.iter().filter_map(|o| raw.find(o)).min() {
                Some(p) if p > 0 => (
                    raw[..p].trim().to_string(),
                    Some(
                        raw[p..]
                            .trim_start_matches(['=', '~', '!', '<', '>', '@', ' '])
                            .to_string(),
                    ),
                ),
                _ => (raw.clone(), None),
            }
        }
        Manager::Npm | Manager::Yarn | Manager::Pnpm => {
            // `@scope/name@1.2`, `name@1.2`
            let search_from = usize::from(raw.starts_with('@'));
            match raw.get(search_from..).and_then(|r| r.find('@')) {
                Some(p) => {
                    let p = p + search_from;
                    (raw[..p].to_string(), Some(raw[p + 1..].to_string()))
                }
                None => (raw.clone(), None),
            }
        }
        Manager::Gem => match raw.split_once(':') {
            Some((n, v)) if !n.is_empty() => (n.to_string(), Some(v.to_string())),
            _ => (raw.clone(), None),
        },
        Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf => {
            // `name-1.2.3`, `name-1.2-3.el8`: a dash followed by a digit starts the version.
            let bytes = raw.as_bytes();
            let pos = (1..bytes.len()).find(|&i| {
                bytes[i - 1] == b'-' && bytes[i].is_ascii_digit() && !raw[..i - 1].is_empty()
            });
            match pos {
                Some(p) => (raw[..p - 1].to_string(), Some(raw[p..].to_string())),
                None => match raw.find(['=', '<', '>']) {
                    Some(p) if p > 0 => (
                        raw[..p].to_string(),
                        Some(raw[p..].trim_start_matches(['=', '<', '>']).to_string()),
                    ),
                    _ => (raw.clone(), None),
                },
            }
        }
        Manager::Go => match raw.rsplit_once('@') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (raw.clone(), None),
        },
        _ => (raw.clone(), None),
    };
    Package {
        name,
        version: version.filter(|v| !v.is_empty()),
        span: w.span,
        is_static: w.is_static,
        is_path,
        raw,
    }
}

/// Recognises a package-manager command. Returns the manager and the index in `cmd.argv()`
/// where its own arguments start.
pub fn manager_of(cmd: &Command) -> Option<(Manager, usize)> {
    let argv = cmd.argv();
    let first = argv.first()?;
    if !first.is_static {
        return None;
    }
    let name = basename(&first.value);
    let m = match name {
        "apt-get" => Manager::AptGet,
        "apt" => Manager::Apt,
        "aptitude" => Manager::Aptitude,
        "apt-cache" => Manager::AptCache,
        "apk" => Manager::Apk,
        "dnf" | "dnf5" => Manager::Dnf,
        "yum" => Manager::Yum,
        "microdnf" => Manager::Microdnf,
        "tdnf" => Manager::Tdnf,
        "rpm" => Manager::Rpm,
        "zypper" => Manager::Zypper,
        "npm" => Manager::Npm,
        "yarn" | "yarnpkg" => Manager::Yarn,
        "pnpm" => Manager::Pnpm,
        "bun" => Manager::Bun,
        "dpkg" => Manager::Dpkg,
        "gem" => Manager::Gem,
        "bundle" | "bundler" => Manager::Bundle,
        "go" => Manager::Go,
        "cargo" => Manager::Cargo,
        "composer" | "composer.phar" => Manager::Composer,
        "conda" | "mamba" | "micromamba" => Manager::Conda,
        "mvn" | "mvnw" => Manager::Maven,
        "gradle" | "gradlew" => Manager::Gradle,
        "poetry" => Manager::Poetry,
        "pipx" => Manager::Pipx,
        "pipenv" => Manager::Pipenv,
        "uv" => {
            return if argv.get(1).is_some_and(|w| w.value == "pip") {
                Some((Manager::Pip, 2))
            } else {
                Some((Manager::Uv, 1))
            };
        }
        "php" => {
            return argv
                .get(1)
                .filter(|w| basename(&w.value).starts_with("composer"))
                .map(|_| (Manager::Composer, 2));
        }
        n if is_versioned(n, "pip") => Manager::Pip,
        n if is_versioned(n, "python") => {
            let m = argv.iter().position(|w| w.value == "-m")?;
            let module = argv.get(m + 1)?;
            return match module.value.as_str() {
                "pip" => Some((Manager::Pip, m + 2)),
                "pipenv" => Some((Manager::Pipenv, m + 2)),
                "poetry" => Some((Manager::Poetry, m + 2)),
                _ => None,
            };
        }
        _ => return None,
    };
    Some((m, 1))
}

/// `pip`, `pip3`, `pip3.11`, `python3.12`.
fn is_versioned(name: &str, base: &str) -> bool {
    name.strip_prefix(base)
        .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Parses one command as a package-manager invocation.
pub fn invocation(index: usize, cmd: &Command) -> Option<Invocation<'_>> {
    let (manager, from) = manager_of(cmd)?;
    let words = cmd.argv().get(from..)?;
    let value_opts = manager.value_options();
    let mut options = Vec::new();
    let mut operands: Vec<&Word> = Vec::new();
    let mut i = 0;
    let mut only_operands = false;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        i += 1;
        if only_operands || !v.starts_with('-') || v == "-" {
            operands.push(w);
            continue;
        }
        if v == "--" {
            if manager == Manager::Gem {
                // `gem install x -- --with-foo`: what follows goes to the gem's build.
                break;
            }
            only_operands = true;
            continue;
        }
        if let Some((n, val)) = v.split_once('=') {
            options.push(Opt {
                name: n.to_string(),
                value: Some(val.to_string()),
            });
            continue;
        }
        let value = if value_opts.contains(&v)
            || (manager == Manager::Gem
                && gem_unknown_long_option(v)
                && words.get(i).is_some_and(|w| !w.value.starts_with('-')))
        {
            let val = words.get(i).map(|w| w.value.clone());
            i += 1;
            val
        } else {
            None
        };
        options.push(Opt {
            name: v.to_string(),
            value,
        });
    }
    let sub = if operands.is_empty() {
        None
    } else {
        Some(operands.remove(0))
    };
    Some(Invocation {
        manager,
        index,
        cmd,
        sub,
        options,
        operands,
    })
}

/// True for a long `gem` option dlint does not know (`--use-system-libraries`, meant for the
/// gem's build after `--`): it may take a value, so the word after it is not counted as a gem.
/// gem's own switches and every `--no-...` negation take none.
fn gem_unknown_long_option(v: &str) -> bool {
    const SWITCHES: &[&str] = &[
        "--force",
        "--wrappers",
        "--vendor",
        "--env-shebang",
        "--user-install",
        "--ri",
        "--rdoc",
        "--document",
        "--local",
        "--remote",
        "--both",
        "--clear-sources",
        "--update-sources",
        "--conservative",
        "--minimal-deps",
        "--post-install-message",
        "--suggestions",
        "--development",
        "--development-all",
        "--ignore-dependencies",
        "--lock",
        "--prerelease",
        "--explain",
        "--default",
        "--format-executable",
        "--http-proxy",
        "--verbose",
        "--quiet",
        "--silent",
        "--backtrace",
        "--debug",
        "--norc",
        "--help",
    ];
    v.starts_with("--")
        && !v.starts_with("--no-")
        && !v.starts_with("--[no-]")
        && !SWITCHES.contains(&v)
}

/// Every package-manager invocation in a script, in order.
pub fn invocations(script: &Script) -> Vec<Invocation<'_>> {
    script
        .commands
        .iter()
        .enumerate()
        .filter_map(|(i, c)| invocation(i, c))
        .collect()
}
