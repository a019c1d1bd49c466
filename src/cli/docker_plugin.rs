//! `docker lint`: dlint as a Docker CLI plugin. Docker finds `docker-lint` in
//! `~/.docker/cli-plugins/` (or `$DOCKER_CONFIG/cli-plugins/`), asks it for
//! `docker-cli-plugin-metadata`, and runs `docker lint ARGS` as `docker-lint lint ARGS`, which is
//! dlint's own `lint` command line, so the binary needs no other change.

use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The plugin's file name (`docker lint` runs it).
pub const PLUGIN_NAME: &str = "docker-lint";

/// Arguments of `dlint install-docker-plugin`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InstallArgs {
    /// The plugin directory (default: `$DOCKER_CONFIG/cli-plugins`, else
    /// `~/.docker/cli-plugins`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Copy the binary instead of linking it.
    #[arg(long)]
    pub copy: bool,
}

/// The JSON Docker reads from `docker-lint docker-cli-plugin-metadata`.
pub fn metadata() -> serde_json::Value {
    serde_json::json!({
        "SchemaVersion": "0.1.0",
        "Vendor": "dlint",
        "Version": env!("CARGO_PKG_VERSION"),
        "ShortDescription": "Lint Dockerfiles (and compose/bake builds) with dlint",
    })
}

/// Adjusts the command line of the binary run as `docker-lint` (Docker runs `docker lint ARGS`
/// as `docker-lint lint ARGS`): `docker lint --version` asks for the program's version, which
/// `dlint lint` has no flag for.
pub fn plugin_args(args: &mut Vec<std::ffi::OsString>) {
    let as_plugin = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .is_some_and(|n| n == PLUGIN_NAME);
    if as_plugin
        && args.get(1).is_some_and(|a| a == "lint")
        && args.get(2).is_some_and(|a| a == "--version" || a == "-V")
    {
        args.remove(1);
    }
}

/// Runs `dlint docker-cli-plugin-metadata`.
pub fn run_metadata() -> Result<ExitCode> {
    super::write_stdout(format!("{}\n", metadata()).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The default plugin directory: `$DOCKER_CONFIG/cli-plugins`, else `$HOME/.docker/cli-plugins`.
pub fn plugin_dir() -> Option<PathBuf> {
    if let Some(c) = std::env::var_os("DOCKER_CONFIG").filter(|c| !c.is_empty()) {
        return Some(PathBuf::from(c).join("cli-plugins"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".docker/cli-plugins"))
}

/// Runs `dlint install-docker-plugin`: links (or copies, with `--copy` or when a link cannot
/// be made) this binary as `docker-lint` in the plugin directory, replacing an old one.
pub fn run_install(args: InstallArgs) -> Result<ExitCode> {
    let dir = args.dir.or_else(plugin_dir).ok_or_else(|| {
        Error::Usage("no plugin directory: set DOCKER_CONFIG or HOME, or pass --dir".into())
    })?;
    let exe = std::env::current_exe().map_err(|source| Error::Io {
        path: PathBuf::from("dlint"),
        source,
    })?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let how = install(&exe, &dir, args.copy)?;
    let target = dir.join(PLUGIN_NAME);
    eprintln!(
        "dlint: {how} {} -> {}; run `docker lint --help`",
        target.display(),
        exe.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Puts `exe` at `dir/docker-lint`: a symbolic link, or a copy (mode kept) when `copy` or
/// when linking fails. Returns `linked` or `copied`.
fn install(exe: &Path, dir: &Path, copy: bool) -> Result<&'static str> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let target = dir.join(PLUGIN_NAME);
    if target.symlink_metadata().is_ok() {
        std::fs::remove_file(&target).map_err(io(&target))?;
    }
    #[cfg(unix)]
    if !copy && std::os::unix::fs::symlink(exe, &target).is_ok() {
        return Ok("linked");
    }
    std::fs::copy(exe, &target).map_err(io(&target))?;
    Ok("copied")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_has_the_fields_docker_reads() {
        let m = metadata();
        assert_eq!(m["SchemaVersion"], "0.1.0");
        for key in ["Vendor", "Version", "ShortDescription"] {
            assert!(m[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
        }
    }

    #[test]
    fn installs_a_link_or_a_copy_and_replaces_an_old_one() {
        let t = tempfile::tempdir().expect("tempdir");
        let exe = t.path().join("dlint");
        std::fs::write(&exe, b"#!/bin/sh\n").expect("write");
        let dir = t.path().join("cfg/cli-plugins");
        assert_eq!(install(&exe, &dir, false).ok(), Some("linked"));
        assert_eq!(install(&exe, &dir, true).ok(), Some("copied"));
        let meta = std::fs::symlink_metadata(dir.join(PLUGIN_NAME)).expect("there");
        assert!(meta.is_file());
    }
}
