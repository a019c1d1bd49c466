//! Base-image facts: what the image of a `FROM` brings (ENV, USER, WORKDIR, SHELL, platforms,
//! sizes), for the rules that otherwise have to guess and for `dlint optimize`.
//!
//! Facts come from three places, asked in this order: a local archive or OCI layout named by
//! `--base-image REF=PATH` (config `base-images:`), always used; the on-disk cache
//! (`$XDG_CACHE_HOME/dlint/base`, see [`cache`]); the registry, with the client of `dlint image
//! docker://…` (a manifest and a config blob, never a layer). [`FactsMode`] says which of the
//! last two may be used. No layer is read in any case.

mod cache;
mod facts;
pub mod variants;

pub use facts::{BaseFacts, BaseLayer};

use super::{ImageError, OpenOptions, registry::RegistryOptions};
use cache::{Cache, Hit};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// Where base-image facts may come from (`--base-facts`, config `base-facts:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactsMode {
    /// `--base-image`, the cache, and the registry for what the cache lacks.
    Registry,
    /// `--base-image` and the cache only; unknown facts are named on stderr.
    Offline,
    /// `--base-image` only (the default of `dlint lint`: no network, no cache).
    #[default]
    Off,
}

/// How tags are re-resolved: a cached tag older than this is asked again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 3600);

/// The settings of a [`Resolver`].
#[derive(Debug, Clone, Default)]
pub struct BaseOptions {
    /// Where facts may come from besides `images`.
    pub mode: FactsMode,
    /// `--base-image REF=PATH`: local archives or layouts, by reference as written.
    pub images: BTreeMap<String, PathBuf>,
    /// Credentials and insecure hosts for the registry.
    pub registry: RegistryOptions,
    /// The cache directory; `None`: [`Cache::default_dir`].
    pub cache_dir: Option<PathBuf>,
    /// Tags cached longer ago than this are re-resolved (`None`: [`DEFAULT_TTL`]).
    pub ttl: Option<Duration>,
}

/// Why facts are missing.
#[derive(Debug, thiserror::Error)]
pub enum BaseError {
    /// The local archive or the registry could not be read.
    #[error("{0}")]
    Image(#[from] ImageError),
    /// `--base-facts offline` and the cache has nothing.
    #[error("not in the cache (--base-facts offline)")]
    NotCached,
    /// The run already asked the registry [`MAX_LOOKUPS`] times.
    #[error("more than {MAX_LOOKUPS} base images looked up in one run; the others are not")]
    TooMany,
}

/// Registry lookups one run makes at most (a file of thousands of `FROM` lines must not mean
/// thousands of requests).
pub const MAX_LOOKUPS: usize = 64;

/// Resolves and remembers base-image facts for one run; shared by every file linted.
#[derive(Debug)]
pub struct Resolver {
    opts: BaseOptions,
    cache: Option<Cache>,
    /// Reference key -> facts (or `None`: unknown, already said).
    memo: Mutex<HashMap<String, Option<Arc<BaseFacts>>>>,
    notes: Mutex<Vec<String>>,
    lookups: std::sync::atomic::AtomicUsize,
    /// The layer cache, for uncompressed layer sizes (see [`Resolver::use_layer_cache`]).
    layers: OnceLock<super::cache::LayerCache>,
}

/// `alpine` -> `docker.io/library/alpine:latest`, so that `--base-image alpine=…` matches
/// `FROM alpine:latest`; unparsable references stay as written.
fn canonical(reference: &str) -> String {
    super::registry::Reference::parse(reference)
        .map_or_else(|_| reference.to_string(), |r| r.to_string())
}

impl Resolver {
    /// A resolver with `opts`.
    pub fn new(opts: BaseOptions) -> Resolver {
        let cache = match opts.mode {
            FactsMode::Off => None,
            _ => opts
                .cache_dir
                .clone()
                .or_else(Cache::default_dir)
                .map(|d| Cache::new(d, opts.ttl.unwrap_or(DEFAULT_TTL))),
        };
        let images = opts
            .images
            .iter()
            .map(|(k, v)| (canonical(k), v.clone()))
            .collect();
        // lookups fail fast: one attempt per unreachable registry host and run
        let mut registry = opts.registry.clone();
        registry
            .fail_fast
            .get_or_insert_with(|| Arc::new(super::registry::FailFast::default()));
        Resolver {
            opts: BaseOptions {
                images,
                registry,
                ..opts
            },
            cache,
            memo: Mutex::new(HashMap::new()),
            notes: Mutex::new(Vec::new()),
            lookups: std::sync::atomic::AtomicUsize::new(0),
            layers: OnceLock::new(),
        }
    }

    /// Uses `cache` (the layer cache of `dlint image`, `compare`, `optimize`) for the
    /// uncompressed sizes of base layers analysed before; the first cache set stays.
    pub fn use_layer_cache(&self, cache: super::cache::LayerCache) {
        let _ = self.layers.set(cache);
    }

    /// Looks up the facts of every reference at once (in parallel), so that a later
    /// [`Resolver::facts`] of each answers from memory.
    pub fn prefetch(&self, references: &[String], platform: Option<&str>) {
        use rayon::prelude::*;
        references.par_iter().for_each(|r| {
            let _ = self.facts(r, platform);
        });
    }

    /// True when some facts may be found (a mode other than `off`, or `--base-image`).
    pub fn is_active(&self) -> bool {
        self.opts.mode != FactsMode::Off || !self.opts.images.is_empty()
    }

    /// True when `--base-image` (or `base-images:`) names a local archive for `reference`.
    pub fn has_local(&self, reference: &str) -> bool {
        self.opts.images.contains_key(&canonical(reference))
    }

    /// Where facts may come from.
    pub fn mode(&self) -> FactsMode {
        self.opts.mode
    }

    /// The tags of `reference`'s repository, from the registry (`--base-facts registry`
    /// only).
    pub fn list_tags(&self, reference: &str) -> Result<Vec<String>, String> {
        if self.opts.mode != FactsMode::Registry {
            return Err("tags are listed with --base-facts registry only".into());
        }
        let r = super::registry::Reference::parse(reference)?;
        self.lookups
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        super::registry::list_tags(&r, &self.opts.registry)
    }

    /// How many times the registry was asked (a test hook for "no network call").
    pub fn registry_lookups(&self) -> usize {
        self.lookups.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The notes gathered so far (unknown facts, unreachable registries), each said once;
    /// the caller prints them on stderr.
    pub fn take_notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }

    fn note(&self, message: String) {
        // files linted in parallel may look the same image up at once: say it once
        if let Ok(mut n) = self.notes.lock()
            && !n.contains(&message)
        {
            n.push(message);
        }
    }

    /// The facts of `reference` for `platform` (`os/arch[/variant]`; `None`: the only one,
    /// else `linux/amd64`), `None` when unknown (said once in the notes). When the index lacks
    /// `platform`, the facts of its default platform are returned, whose `platforms` say so.
    pub fn facts(&self, reference: &str, platform: Option<&str>) -> Option<Arc<BaseFacts>> {
        let canon = canonical(reference);
        let key = format!("{canon}|{}", platform.unwrap_or(""));
        if let Some(known) = self.memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return known;
        }
        let found = match self.lookup(reference, &canon, &key, platform) {
            Ok(mut f) => {
                if let Some(c) = self.layers.get() {
                    f.fill_from_layer_cache(c);
                }
                Some(Arc::new(f))
            }
            Err(BaseError::NotCached) if self.opts.mode == FactsMode::Off => None,
            Err(e) => {
                self.note(format!(
                    "base image {reference}: facts unknown ({e}); the rules that use them guess as without facts"
                ));
                None
            }
        };
        if let Ok(mut m) = self.memo.lock() {
            m.insert(key, found.clone());
        }
        found
    }

    fn lookup(
        &self,
        reference: &str,
        canon: &str,
        key: &str,
        platform: Option<&str>,
    ) -> Result<BaseFacts, BaseError> {
        if let Some(path) = self.opts.images.get(canon) {
            return open_facts(
                reference,
                path,
                platform,
                &self.opts.registry,
                Some(reference),
            );
        }
        let Some(cache) = self.cache.as_ref() else {
            return Err(BaseError::NotCached);
        };
        let by_digest = reference.contains('@');
        let stale = match cache.get(key, by_digest) {
            Some(Hit::Fresh(f)) => {
                return Ok(BaseFacts {
                    reference: reference.to_string(),
                    ..f
                });
            }
            Some(Hit::Stale(f, age)) => Some((f, age)),
            None => None,
        };
        if self.opts.mode != FactsMode::Registry {
            return match stale {
                Some((f, age)) => {
                    self.note(format!(
                        "base image {reference}: cached facts are {} hours old (--base-facts offline does not re-resolve the tag)",
                        age.as_secs() / 3600
                    ));
                    Ok(BaseFacts {
                        reference: reference.to_string(),
                        ..f
                    })
                }
                None => Err(BaseError::NotCached),
            };
        }
        let asked = self
            .lookups
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if asked >= MAX_LOOKUPS {
            return Err(BaseError::TooMany);
        }
        let source = PathBuf::from(format!("docker://{reference}"));
        let f = open_facts(reference, &source, platform, &self.opts.registry, None)?;
        if let Err(e) = cache.put(key, &f) {
            self.note(format!("base-image cache: cannot write: {e}"));
        }
        Ok(f)
    }
}

/// Opens `path` (an archive, a layout or a `docker://` reference) reading only its manifest
/// and config. A platform the index lacks falls back to its default platform.
fn open_facts(
    reference: &str,
    path: &Path,
    platform: Option<&str>,
    registry: &RegistryOptions,
    image: Option<&str>,
) -> Result<BaseFacts, BaseError> {
    let open = |platform: Option<&str>, image: Option<&str>| {
        super::open(
            path,
            &OpenOptions {
                platform: platform.map(str::to_string),
                image: image.map(str::to_string),
                registry: registry.clone(),
            },
        )
    };
    // a local archive may hold several images: pick the one named, else take the only one
    let first = match open(platform, None) {
        Err(ImageError::Selection { .. }) if image.is_some() => open(platform, image),
        other => other,
    };
    let img = match first {
        Err(ImageError::Selection { .. }) if platform.is_some() => open(None, None)?,
        other => other?,
    };
    Ok(BaseFacts::of_image(reference, &img))
}
