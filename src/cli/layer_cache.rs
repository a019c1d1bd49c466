//! The layer-cache flags shared by `dlint image`, `compare` and `optimize`.

use crate::image::cache::{self, LayerCache};
use std::path::PathBuf;

/// `--cache-dir`, `--no-cache`, `--cache-max`, `--verify-cache`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CacheArgs {
    /// Layer cache directory (default: $DLINT_CACHE_DIR, else $XDG_CACHE_HOME/dlint/layers,
    /// else ~/.cache/dlint/layers).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Read every layer; neither use nor fill the layer cache (also: DLINT_NO_CACHE=1).
    #[arg(long, conflicts_with_all = ["cache_dir", "verify_cache"])]
    pub no_cache: bool,
    /// Size cap of the layer cache; least recently used entries are deleted beyond it
    /// (default 1GiB; else `image: cache-max:` in the config, else $DLINT_CACHE_MAX).
    #[arg(long, value_name = "SIZE", value_parser = crate::units::parse_size)]
    pub cache_max: Option<u64>,
    /// Re-read cached layers too, and rewrite entries that do not match them.
    #[arg(long)]
    pub verify_cache: bool,
    /// Say on stderr what the layer cache did: hits, misses, entries written and rejected
    /// (also: `verbose: true` in the config).
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

impl CacheArgs {
    /// The cache these flags select (`None` with `--no-cache`, `DLINT_NO_CACHE` set to anything
    /// but 0 and no `--cache-dir`, or no directory to use).
    pub fn cache(&self, config: &crate::lint::Config) -> crate::Result<Option<LayerCache>> {
        let env_off = std::env::var_os("DLINT_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0");
        if self.no_cache || (env_off && self.cache_dir.is_none()) {
            return Ok(None);
        }
        let Some(dir) = self.cache_dir.clone().or_else(cache::default_dir) else {
            return Ok(None);
        };
        let from_file = config
            .image
            .cache_max
            .as_ref()
            .map(|v| {
                crate::units::parse_size(&v.text()).map_err(|e| crate::Error::Config {
                    path: config.path.clone().unwrap_or_default(),
                    message: format!("image.cache-max: {e}"),
                })
            })
            .transpose()?;
        let max = match (self.cache_max, from_file, std::env::var("DLINT_CACHE_MAX")) {
            (Some(m), _, _) | (None, Some(m), _) => m,
            (None, None, Ok(v)) if !v.is_empty() => crate::units::parse_size(&v)
                .map_err(|e| crate::Error::Usage(format!("DLINT_CACHE_MAX: {e}")))?,
            _ => cache::DEFAULT_MAX_BYTES,
        };
        let cache = LayerCache::new(dir)
            .with_known_capture(crate::optimize::CAPTURE_GLOBS)
            .with_max_bytes(max)
            .with_verify(self.verify_cache);
        // the cap holds on reads too: an over-cap directory is trimmed before it is used
        cache.trim();
        Ok(Some(cache))
    }
}

/// With `-v` (or `verbose: true` in the config), one stderr line of what the cache did:
/// `dlint: layer cache: 3 hits, 1 miss, 1 written, 0 rejected (DIR)`.
fn stats_line(cache: Option<&LayerCache>, verbose: bool) {
    if !verbose {
        return;
    }
    let Some(c) = cache else {
        eprintln!("dlint: layer cache: off");
        return;
    };
    let s = c.stats();
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    eprintln!(
        "dlint: layer cache: {}, {}, {} written, {} rejected ({})",
        plural(s.hits, "hit", "hits"),
        plural(s.misses, "miss", "misses"),
        s.written,
        s.rejected,
        c.dir().display()
    );
}

/// Warns on stderr about entries `--verify-cache` found wrong (and rewrote); with `verbose`,
/// also prints the [`stats_line`].
pub fn report(cache: Option<&LayerCache>, verbose: bool) {
    stats_line(cache, verbose);
    if let Some(c) = cache {
        let n = c.stats().mismatched;
        if n > 0 {
            eprintln!(
                "dlint: warning: {n} layer cache entr{} did not match {} layer and {} rewritten ({})",
                if n == 1 { "y" } else { "ies" },
                if n == 1 { "its" } else { "their" },
                if n == 1 { "was" } else { "were" },
                c.dir().display()
            );
        }
    }
}
