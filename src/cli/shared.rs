//! The flags every subcommand that reads the configuration shares, flattened into each one's
//! arguments.

use crate::lint::Config;
use crate::lint::config::Overrides;
use std::path::PathBuf;

/// `--config FILE` / `--no-config`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Config file to use instead of searching for `.dlint.yaml` / `.hadolint.yaml`.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read any config file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

impl ConfigArgs {
    /// The configuration these flags select (see [`Config::resolve`]).
    pub fn resolve(&self) -> crate::Result<Config> {
        Config::resolve(
            self.config.as_deref(),
            self.no_config,
            crate::rules::registry(),
        )
    }

    /// As [`ConfigArgs::resolve`], with command-line `overrides` applied.
    pub fn resolve_with(&self, overrides: &Overrides) -> crate::Result<Config> {
        Config::resolve_with(
            self.config.as_deref(),
            self.no_config,
            overrides,
            crate::rules::registry(),
        )
    }

    /// True when the flags name the config to use (a file, or none), so no per-directory
    /// search applies.
    pub fn is_explicit(&self) -> bool {
        self.config.is_some() || self.no_config
    }
}

/// `--base-facts` / `--base-image`: where base-image facts come from.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BaseArgs {
    /// Where base-image facts come from: `registry` (and the cache), `offline` (the cache and
    /// --base-image only), `off` (--base-image only). Default: the config's `base-facts`, else
    /// `off` for lint and `registry` for optimize.
    #[arg(long, value_enum, value_name = "SOURCE", env = "DLINT_BASE_FACTS")]
    pub base_facts: Option<crate::image::base::FactsMode>,
    /// The base image REF (as written in FROM) is the docker save archive or OCI layout PATH;
    /// repeatable.
    #[arg(long, value_name = "REF=PATH", value_parser = parse_base_image)]
    pub base_image: Vec<(String, PathBuf)>,
}

/// `REF=PATH`.
fn parse_base_image(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((r, p)) if !r.is_empty() && !p.is_empty() => Ok((r.to_string(), PathBuf::from(p))),
        _ => Err(format!("`{s}` is not REF=PATH")),
    }
}

impl BaseArgs {
    /// Puts the flags into `o`, with `default` as the mode when neither the flag nor the
    /// config names one.
    pub fn apply_to(&self, o: &mut Overrides, default: crate::image::base::FactsMode) {
        o.base_facts = self.base_facts;
        o.base_default = default;
        o.base_images.clone_from(&self.base_image);
    }
}

/// Prints the resolver's notes (unknown base-image facts) on stderr.
pub fn print_base_notes(cfg: &Config) {
    if let Some(r) = &cfg.base_resolver {
        for n in r.take_notes() {
            eprintln!("dlint: note: {n}");
        }
    }
}
