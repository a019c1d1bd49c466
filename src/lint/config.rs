//! Configuration: `.dlint.yaml` (a superset of hadolint's `.hadolint.yaml`), discovery and
//! the merged settings the engine runs with.

use super::diagnostic::Severity;
use super::registry::{Registry, is_hadolint_code};
use super::rule::RuleSettings;
use crate::image::base::{BaseOptions, FactsMode, Resolver};
use crate::image::gates::ImageSection;
use crate::image::registry::RegistryOptions;
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// The lowest severity that makes a run fail, or `Never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    /// Findings at or above this severity fail the run.
    Severity(Severity),
    /// No finding fails the run (parse errors still do, as in hadolint).
    Never,
}

impl Threshold {
    /// True when a finding of severity `s` fails the run.
    pub fn fails(&self, s: Severity) -> bool {
        match self {
            Threshold::Severity(t) => s >= *t,
            Threshold::Never => false,
        }
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold::Severity(Severity::Info)
    }
}

impl FromStr for Threshold {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Threshold::Never),
            "ignore" => Ok(Threshold::Severity(Severity::Style)),
            other => other.parse().map(Threshold::Severity).map_err(|_| {
                format!(
                    "unknown failure threshold `{other}` (expected error, warning, info, style, ignore or none)"
                )
            }),
        }
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Threshold::Severity(s) => s.fmt(f),
            Threshold::Never => f.write_str("none"),
        }
    }
}

/// The settings a lint run uses, after merging the config file and CLI flags.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Canonical ids of rules that never run.
    pub ignored: BTreeSet<&'static str>,
    /// Ignored hadolint/ShellCheck codes dlint does not implement (upper case): they still
    /// silence the findings of `--shellcheck`.
    pub ignored_other: BTreeSet<String>,
    /// Severity overrides by canonical id (also enables off-by-default rules).
    pub overrides: BTreeMap<&'static str, Severity>,
    pub failure_threshold: Threshold,
    /// Settings passed to rules (trusted registries, label schema, strict labels).
    pub settings: RuleSettings,
    /// Always exit 0 on findings.
    pub no_fail: bool,
    /// Inline `# dlint ignore=` / `# hadolint ignore=` / `# check=skip=` comments have no effect.
    pub disable_ignore_pragma: bool,
    /// Report inline ignores that suppressed nothing (DL5100).
    pub report_unused_ignores: bool,
    /// Output format named in the config file, if any.
    pub format: Option<String>,
    /// `no-color: true` in the config file (hadolint's key): text output without colour unless
    /// `--color always` asks for it.
    pub no_color: bool,
    /// `verbose: true` in the config file (hadolint's key): say on stderr which config file
    /// is used and how many files and rules are run.
    pub verbose: bool,
    /// The build target (`target:`, `--target`): only that stage and the stages it is built
    /// on count as the image; without one, every build target does.
    pub target: Option<String>,
    /// The build context directory (`context:`, `--context`), for its `.dockerignore`;
    /// without one, each Dockerfile's directory.
    pub context: Option<PathBuf>,
    /// Build arguments (`--build-arg`, a compose service's or bake target's `args`): the
    /// values of the ARGs of those names for the variable rules.
    pub build_args: crate::semantic::BuildArgs,
    /// A `shellcheck` program (`shellcheck:`, `--shellcheck`) to run on the RUN bodies as
    /// well, for the ShellCheck codes dlint does not build in.
    pub shellcheck: Option<PathBuf>,
    /// The file the config was read from.
    pub path: Option<PathBuf>,
    /// The `image:` section (gates of `dlint image`).
    pub image: ImageSection,
    /// `base-facts:` and `base-images:` (where base-image facts come from).
    pub base: BaseSection,
    /// The resolver of base-image facts, built by [`Config::apply`] from `base` and the flags
    /// when some facts may be found; `None`: the rules get no facts.
    pub base_resolver: Option<Arc<Resolver>>,
}

/// Where base-image facts come from, as the config file and the flags say.
#[derive(Debug, Clone, Default)]
pub struct BaseSection {
    /// `base-facts:` / `--base-facts`; `None`: the subcommand's default.
    pub facts: Option<FactsMode>,
    /// `base-images: {REF: PATH}` / `--base-image REF=PATH` (paths relative to the config
    /// file's directory).
    pub images: BTreeMap<String, PathBuf>,
}

/// `trustedRegistries` may be one string or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    error: Option<Vec<String>>,
    warning: Option<Vec<String>>,
    info: Option<Vec<String>>,
    style: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(rename = "failure-threshold")]
    failure_threshold: Option<String>,
    format: Option<String>,
    ignored: Option<Vec<String>>,
    #[serde(rename = "override")]
    override_: Option<RawOverride>,
    #[serde(rename = "trustedRegistries", alias = "trusted-registries")]
    trusted_registries: Option<OneOrMany>,
    #[serde(rename = "label-schema")]
    label_schema: Option<BTreeMap<String, String>>,
    #[serde(rename = "strict-labels")]
    strict_labels: Option<bool>,
    #[serde(rename = "no-color")]
    no_color: Option<bool>,
    #[serde(rename = "no-fail")]
    no_fail: Option<bool>,
    #[serde(rename = "disable-ignore-pragma")]
    disable_ignore_pragma: Option<bool>,
    verbose: Option<bool>,
    target: Option<String>,
    context: Option<PathBuf>,
    shellcheck: Option<PathBuf>,
    #[serde(rename = "report-unused-ignores")]
    report_unused_ignores: Option<bool>,
    image: Option<ImageSection>,
    #[serde(rename = "base-facts")]
    base_facts: Option<FactsMode>,
    #[serde(rename = "base-images")]
    base_images: Option<BTreeMap<String, PathBuf>>,
    #[serde(rename = "fix-style")]
    fix_style: Option<super::fix::FixStyle>,
}

/// Label types a label schema may use.
pub const LABEL_TYPES: &[&str] = &["text", "url", "rfc3339", "spdx", "hash", "semver", "email"];

/// Resolves a rule key (id or name) to a canonical id. `Ok(None)` for hadolint codes dlint
/// does not implement (so hadolint configs keep working), `Err` for anything else unknown.
pub fn resolve_rule(
    registry: &Registry,
    key: &str,
) -> std::result::Result<Option<&'static str>, String> {
    if let Some(info) = registry.lookup(key) {
        return Ok(Some(info.id));
    }
    if is_hadolint_code(key) {
        return Ok(None);
    }
    let hint = registry
        .suggest(key)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Err(format!("unknown rule `{key}`{hint}"))
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path, registry: &Registry) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path, registry)
    }

    /// Parses config text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path, registry: &Registry) -> Result<Config> {
        let err = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| err(e.to_string()))?
        };
        let mut cfg = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        if let Some(t) = raw.failure_threshold {
            cfg.failure_threshold = t
                .parse()
                .map_err(|e| err(format!("key `failure-threshold`: {e}")))?;
        }
        cfg.format = raw.format;
        cfg.image = raw.image.unwrap_or_default();
        for key in raw.ignored.unwrap_or_default() {
            match resolve_rule(registry, &key).map_err(|e| err(format!("key `ignored`: {e}")))? {
                Some(id) => {
                    cfg.ignored.insert(id);
                }
                None => {
                    cfg.ignored_other.insert(key.to_ascii_uppercase());
                }
            }
        }
        if let Some(o) = raw.override_ {
            for (name, sev, list) in [
                ("error", Severity::Error, o.error),
                ("warning", Severity::Warning, o.warning),
                ("info", Severity::Info, o.info),
                ("style", Severity::Style, o.style),
            ] {
                for key in list.unwrap_or_default() {
                    let resolved = resolve_rule(registry, &key)
                        .map_err(|e| err(format!("key `override.{name}`: {e}")))?;
                    if let Some(id) = resolved {
                        cfg.overrides.insert(id, sev);
                    }
                }
            }
        }
        cfg.settings.trusted_registries = match raw.trusted_registries {
            None => Vec::new(),
            Some(OneOrMany::One(s)) => vec![s],
            Some(OneOrMany::Many(v)) => v,
        };
        for (label, ty) in raw.label_schema.unwrap_or_default() {
            if !LABEL_TYPES.contains(&ty.as_str()) {
                return Err(err(format!(
                    "key `label-schema.{label}`: unknown label type `{ty}` (expected one of {})",
                    LABEL_TYPES.join(", ")
                )));
            }
            cfg.settings.label_schema.push((label, ty));
        }
        cfg.settings.strict_labels = raw.strict_labels.unwrap_or(false);
        cfg.settings.fix_style = raw.fix_style.unwrap_or_default();
        cfg.no_color = raw.no_color.unwrap_or(false);
        cfg.no_fail = raw.no_fail.unwrap_or(false);
        cfg.disable_ignore_pragma = raw.disable_ignore_pragma.unwrap_or(false);
        cfg.report_unused_ignores = raw.report_unused_ignores.unwrap_or(false);
        cfg.verbose = raw.verbose.unwrap_or(false);
        cfg.target = raw.target;
        // Relative to the config file's directory.
        cfg.context = raw
            .context
            .map(|c| path.parent().map_or(c.clone(), |d| d.join(&c)));
        cfg.shellcheck = raw.shellcheck;
        cfg.base.facts = raw.base_facts;
        cfg.base.images = raw
            .base_images
            .unwrap_or_default()
            .into_iter()
            .map(|(r, p)| (r, path.parent().map_or(p.clone(), |d| d.join(&p))))
            .collect();
        Ok(cfg)
    }

    /// The config of a run: `explicit` when given, none at all when `disabled`, else the one
    /// [`Config::discover`] finds from the working directory.
    pub fn resolve(explicit: Option<&Path>, disabled: bool, registry: &Registry) -> Result<Config> {
        match explicit {
            Some(path) => Config::load(path, registry),
            None if disabled => Ok(Config::default()),
            None => {
                let cwd = std::env::current_dir().map_err(|source| Error::Io {
                    path: PathBuf::from("."),
                    source,
                })?;
                Config::discover(&cwd, registry)
            }
        }
    }

    /// [`Config::resolve`] with the command line's `overrides` applied.
    pub fn resolve_with(
        explicit: Option<&Path>,
        disabled: bool,
        overrides: &Overrides,
        registry: &Registry,
    ) -> Result<Config> {
        let mut cfg = Config::resolve(explicit, disabled, registry)?;
        cfg.apply(overrides, registry)?;
        Ok(cfg)
    }

    /// Finds and loads the config for a run started in `cwd` (see [`find_config`]); the
    /// default config when there is none.
    pub fn discover(cwd: &Path, registry: &Registry) -> Result<Config> {
        match find_config(cwd, &UserDirs::from_env()) {
            Some(path) => Config::load(&path, registry),
            None => Ok(Config::default()),
        }
    }

    /// The config of each linted file in a monorepo: the `.dlint.yaml` / `.hadolint.yaml`
    /// nearest to the file (searched from its directory up to the repository root, then the
    /// user-level files, as [`find_config`]), each loaded once. Returns the configs with the
    /// files they govern, in the order first met; `-` (stdin) is looked up from `cwd`.
    pub fn per_directory(
        paths: &[PathBuf],
        cwd: &Path,
        registry: &Registry,
    ) -> Result<Vec<(Config, Vec<PathBuf>)>> {
        let dirs = UserDirs::from_env();
        let mut by_dir: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
        let mut groups: Vec<(Option<PathBuf>, Vec<PathBuf>)> = Vec::new();
        for p in paths {
            let dir = match p.parent() {
                _ if p.as_os_str() == "-" => cwd.to_path_buf(),
                Some(d) if !d.as_os_str().is_empty() => cwd.join(d),
                _ => cwd.to_path_buf(),
            };
            let found = by_dir
                .entry(dir.clone())
                .or_insert_with(|| find_config(&dir, &dirs))
                .clone();
            match groups.iter_mut().find(|(c, _)| *c == found) {
                Some((_, files)) => files.push(p.clone()),
                None => groups.push((found, vec![p.clone()])),
            }
        }
        groups
            .into_iter()
            .map(|(path, files)| {
                let cfg = match &path {
                    Some(p) => Config::load(p, registry)?,
                    None => Config::default(),
                };
                Ok((cfg, files))
            })
            .collect()
    }

    /// True when rule `id` (default-enabled or not) runs under this config.
    pub fn is_enabled(&self, id: &str, default_enabled: bool) -> bool {
        !self.ignored.contains(id) && (default_enabled || self.overrides.contains_key(id))
    }

    /// The severity rule `id` reports at.
    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.overrides.get(id).copied().unwrap_or(default)
    }
}

/// Where user-level config files live.
#[derive(Debug, Clone, Default)]
pub struct UserDirs {
    pub home: Option<PathBuf>,
    pub xdg_config_home: Option<PathBuf>,
}

impl UserDirs {
    /// From `$HOME` and `$XDG_CONFIG_HOME` (`%USERPROFILE%`/`%APPDATA%` on Windows).
    pub fn from_env() -> Self {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        UserDirs {
            home: var("HOME").or_else(|| var("USERPROFILE")),
            xdg_config_home: var("XDG_CONFIG_HOME").or_else(|| var("APPDATA")),
        }
    }

    fn config_home(&self) -> Option<PathBuf> {
        self.xdg_config_home
            .clone()
            .or_else(|| self.home.as_ref().map(|h| h.join(".config")))
    }
}

/// Finds the config file: the nearest `.dlint.yaml`/`.dlint.yml` or hadolint's
/// `.hadolint.yaml|yml` from `cwd` up to the repository root (the first directory holding
/// `.git`; dlint's file first within one directory), then `$XDG_CONFIG_HOME/dlint/config.yaml`,
/// `$XDG_CONFIG_HOME/dlint.yaml`, then hadolint's user files (`$XDG_CONFIG_HOME/hadolint.yaml`,
/// `~/.hadolint/hadolint.yaml`, `~/.hadolint.yaml`).
pub fn find_config(cwd: &Path, dirs: &UserDirs) -> Option<PathBuf> {
    let up = |names: &[&str]| -> Option<PathBuf> {
        for dir in cwd.ancestors() {
            for n in names {
                let p = dir.join(n);
                if p.is_file() {
                    return Some(p);
                }
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        None
    };
    let first = |cands: Vec<PathBuf>| cands.into_iter().find(|p| p.is_file());
    let cfg_home = dirs.config_home();
    up(&[
        ".dlint.yaml",
        ".dlint.yml",
        ".hadolint.yaml",
        ".hadolint.yml",
    ])
    .or_else(|| {
        first(
            cfg_home
                .iter()
                .flat_map(|c| {
                    [
                        c.join("dlint").join("config.yaml"),
                        c.join("dlint").join("config.yml"),
                        c.join("dlint.yaml"),
                        c.join("dlint.yml"),
                    ]
                })
                .collect(),
        )
    })
    .or_else(|| {
        let mut c: Vec<PathBuf> = Vec::new();
        if let Some(x) = &cfg_home {
            c.push(x.join("hadolint.yaml"));
            c.push(x.join("hadolint.yml"));
        }
        if let Some(h) = &dirs.home {
            for f in ["hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"] {
                c.push(h.join(".hadolint").join(f));
            }
            c.push(h.join(".hadolint.yaml"));
            c.push(h.join(".hadolint.yml"));
        }
        first(c)
    })
}

/// Command-line overrides of a config (`dlint lint` flags), applied by [`Config::apply`]. Rule
/// keys are ids or names; unknown ones are usage errors naming the flag.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Rules not to run (`--ignore`).
    pub ignore: Vec<String>,
    /// Rules reported as errors (`--error`).
    pub error: Vec<String>,
    /// Rules reported as warnings (`--warning`).
    pub warning: Vec<String>,
    /// Rules reported as info (`--info`).
    pub info: Vec<String>,
    /// Rules reported as style (`--style`).
    pub style: Vec<String>,
    /// `--failure-threshold`.
    pub failure_threshold: Option<String>,
    /// `--no-fail`.
    pub no_fail: bool,
    /// `--trusted-registry`, added to the config's.
    pub trusted_registries: Vec<String>,
    /// `--require-label LABEL:TYPE`.
    pub require_label: Vec<String>,
    /// `--strict-labels`.
    pub strict_labels: bool,
    /// `--fix-style`, replacing the config's.
    pub fix_style: Option<super::fix::FixStyle>,
    /// `--disable-ignore-pragma`.
    pub disable_ignore_pragma: bool,
    /// `--report-unused-ignores`.
    pub report_unused_ignores: bool,
    /// `--target`, replacing the config's.
    pub target: Option<String>,
    /// `--context`, replacing the config's.
    pub context: Option<PathBuf>,
    /// `--build-arg NAME=VALUE`, in order (a later one of a name wins).
    pub build_args: Vec<(String, String)>,
    /// `--shellcheck`, replacing the config's.
    pub shellcheck: Option<PathBuf>,
    /// `--base-facts`, replacing the config's.
    pub base_facts: Option<FactsMode>,
    /// The subcommand's default for `base-facts` (`off` for `lint`).
    pub base_default: FactsMode,
    /// `--base-image REF=PATH`, added to the config's.
    pub base_images: Vec<(String, PathBuf)>,
    /// Registry credentials and insecure hosts for base-image lookups.
    pub registry: RegistryOptions,
}

impl Config {
    /// Applies command-line overrides on top of the config file's settings.
    pub fn apply(&mut self, o: &Overrides, registry: &Registry) -> Result<()> {
        let resolve = |flag: &str, key: &str| -> Result<Option<&'static str>> {
            resolve_rule(registry, key).map_err(|e| Error::Usage(format!("--{flag}: {e}")))
        };
        for key in &o.ignore {
            match resolve("ignore", key)? {
                Some(id) => {
                    self.ignored.insert(id);
                }
                None => {
                    self.ignored_other.insert(key.to_ascii_uppercase());
                }
            }
        }
        for (flag, sev, list) in [
            ("error", Severity::Error, &o.error),
            ("warning", Severity::Warning, &o.warning),
            ("info", Severity::Info, &o.info),
            ("style", Severity::Style, &o.style),
        ] {
            for key in list {
                if let Some(id) = resolve(flag, key)? {
                    self.overrides.insert(id, sev);
                }
            }
        }
        if let Some(t) = &o.failure_threshold {
            self.failure_threshold = t
                .parse::<Threshold>()
                .map_err(|e| Error::Usage(format!("--failure-threshold: {e}")))?;
        }
        self.no_fail |= o.no_fail;
        self.settings
            .trusted_registries
            .extend(o.trusted_registries.iter().cloned());
        for spec in &o.require_label {
            let (label, ty) = spec.split_once(':').ok_or_else(|| {
                Error::Usage(format!("--require-label: `{spec}` is not LABEL:TYPE"))
            })?;
            if !LABEL_TYPES.contains(&ty) {
                return Err(Error::Usage(format!(
                    "--require-label: unknown label type `{ty}` (expected one of {})",
                    LABEL_TYPES.join(", ")
                )));
            }
            self.settings.label_schema.retain(|(l, _)| l != label);
            self.settings
                .label_schema
                .push((label.to_string(), ty.to_string()));
        }
        self.settings.strict_labels |= o.strict_labels;
        if let Some(style) = o.fix_style {
            self.settings.fix_style = style;
        }
        self.disable_ignore_pragma |= o.disable_ignore_pragma;
        self.report_unused_ignores |= o.report_unused_ignores;
        self.build_args.extend(o.build_args.iter().cloned());
        if o.target.is_some() {
            self.target.clone_from(&o.target);
        }
        if o.context.is_some() {
            self.context.clone_from(&o.context);
        }
        if o.shellcheck.is_some() {
            self.shellcheck.clone_from(&o.shellcheck);
        }
        if o.base_facts.is_some() {
            self.base.facts = o.base_facts;
        }
        for (r, p) in &o.base_images {
            self.base.images.insert(r.clone(), p.clone());
        }
        let resolver = Resolver::new(BaseOptions {
            mode: self.base.facts.unwrap_or(o.base_default),
            images: self.base.images.clone(),
            registry: o.registry.clone(),
            ..BaseOptions::default()
        });
        self.base_resolver = resolver.is_active().then(|| Arc::new(resolver));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::gates::{Gates, Limit};

    fn reg() -> Registry {
        Registry::new(Vec::new())
    }

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("/x/.dlint.yaml"), &reg())
    }

    /// The gates of a config file's `image:` section, read by the one config reader.
    fn gates_of(text: &str) -> std::result::Result<Gates, String> {
        let cfg = parse(text).map_err(|e| e.to_string())?;
        crate::image::gates::from_section(&cfg.image)
    }

    #[test]
    fn image_gates_section() {
        let g = gates_of(
            "failure-threshold: warning\nimage:\n  max-size: 500MB\n  max-wasted: 10%\n  min_efficiency: 0.9\n",
        )
        .unwrap();
        assert_eq!(g.max_size, Some(500_000_000));
        assert_eq!(g.max_wasted, Some(Limit::Percent(10.0)));
        assert_eq!(g.min_efficiency, Some(0.9));
        assert_eq!(g.max_layer_size, None);
        assert!(gates_of("image:\n  max-size: lots\n").is_err());
        assert!(gates_of("").unwrap().is_empty());
    }

    #[test]
    fn hadolint_config_keys() {
        let cfg = parse(
            "failure-threshold: warning\nignored: [DL1000, DL3008, SC2086]\noverride:\n  error: [unused-ignore]\ntrustedRegistries: docker.io\nlabel-schema:\n  author: text\n  url: url\nstrict-labels: true\nno-fail: true\nno-color: false\nverbose: true\n",
        )
        .unwrap();
        assert_eq!(
            cfg.failure_threshold,
            Threshold::Severity(Severity::Warning)
        );
        assert!(cfg.ignored.contains("DL1000"));
        assert_eq!(
            cfg.ignored.len(),
            1,
            "unimplemented hadolint codes are accepted and dropped"
        );
        assert_eq!(cfg.overrides.get("DL5100"), Some(&Severity::Error));
        assert_eq!(
            cfg.settings.trusted_registries,
            vec!["docker.io".to_string()]
        );
        assert_eq!(cfg.settings.label_schema.len(), 2);
        assert!(cfg.settings.strict_labels && cfg.no_fail);
        assert!(cfg.verbose && !cfg.no_color);
        assert!(parse("no-color: true\n").unwrap().no_color);
    }

    #[test]
    fn trusted_registries_list() {
        let cfg = parse("trustedRegistries:\n  - a.io\n  - \"*.b.io\"\n").unwrap();
        assert_eq!(cfg.settings.trusted_registries, vec!["a.io", "*.b.io"]);
    }

    #[test]
    fn unknown_key_names_key_and_file() {
        let e = parse("ignore: [DL3008]\n").unwrap_err().to_string();
        assert!(e.contains("/x/.dlint.yaml"), "{e}");
        assert!(e.contains("ignore"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        let e = parse("failure-threshold: loud\n").unwrap_err().to_string();
        assert!(e.contains("failure-threshold") && e.contains("loud"), "{e}");
        let e = parse("ignored: [DL9999]\n").unwrap_err().to_string();
        assert!(e.contains("ignored") && e.contains("DL9999"), "{e}");
        let e = parse("label-schema:\n  a: colour\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("label-schema.a"), "{e}");
        let e = parse("no-fail: maybe\n").unwrap_err().to_string();
        assert!(e.contains("/x/.dlint.yaml"), "{e}");
        assert!(parse("override:\n  fatal: [DL3008]\n").is_err());
    }

    #[test]
    fn empty_file_is_default() {
        let cfg = parse("\n").unwrap();
        assert_eq!(cfg.failure_threshold, Threshold::Severity(Severity::Info));
    }

    #[test]
    fn thresholds() {
        assert_eq!("none".parse::<Threshold>(), Ok(Threshold::Never));
        let w: Threshold = "WARNING".parse().unwrap();
        assert!(w.fails(Severity::Error) && w.fails(Severity::Warning) && !w.fails(Severity::Info));
        assert!(
            "ignore"
                .parse::<Threshold>()
                .unwrap()
                .fails(Severity::Style)
        );
        assert!("bogus".parse::<Threshold>().is_err());
    }

    #[test]
    fn discovery_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let sub = root.join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(home.join(".config")).unwrap();
        let dirs = UserDirs {
            home: Some(home.clone()),
            xdg_config_home: None,
        };
        assert_eq!(find_config(&sub, &dirs), None);
        // hadolint file in the user dir is the last resort
        std::fs::write(home.join(".hadolint.yaml"), "").unwrap();
        assert_eq!(find_config(&sub, &dirs), Some(home.join(".hadolint.yaml")));
        // a repo .hadolint.yaml beats it
        std::fs::write(root.join(".hadolint.yaml"), "").unwrap();
        assert_eq!(find_config(&sub, &dirs), Some(root.join(".hadolint.yaml")));
        // a project's config (dlint's or hadolint's) beats the user-level ones
        std::fs::write(home.join(".config/dlint.yaml"), "").unwrap();
        assert_eq!(find_config(&sub, &dirs), Some(root.join(".hadolint.yaml")));
        // in one directory, dlint's file beats hadolint's
        std::fs::write(root.join(".dlint.yml"), "").unwrap();
        assert_eq!(find_config(&sub, &dirs), Some(root.join(".dlint.yml")));
        // the nearest directory wins, whichever tool's file it holds
        std::fs::write(sub.join(".hadolint.yml"), "").unwrap();
        assert_eq!(find_config(&sub, &dirs), Some(sub.join(".hadolint.yml")));
        std::fs::remove_file(sub.join(".hadolint.yml")).unwrap();
        std::fs::write(sub.join(".dlint.yaml"), "").unwrap();
        assert_eq!(find_config(&sub, &dirs), Some(sub.join(".dlint.yaml")));
        // above the repository root is not searched
        std::fs::remove_file(sub.join(".dlint.yaml")).unwrap();
        std::fs::remove_file(root.join(".dlint.yml")).unwrap();
        std::fs::remove_file(root.join(".hadolint.yaml")).unwrap();
        std::fs::write(tmp.path().join(".dlint.yaml"), "").unwrap();
        assert_eq!(
            find_config(&sub, &dirs),
            Some(home.join(".config/dlint.yaml"))
        );
    }
}
