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
