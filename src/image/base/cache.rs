//! The on-disk cache of base-image facts: `facts/<alg>-<hex>.json` content-addressed by config
//! digest, `tags/<hash>.json` mapping a reference and platform to a digest with the time it was
//! resolved. Writes are atomic (a temporary file renamed into place); an entry that does not
//! parse or does not match its name counts as absent, so a corrupt cache means a refetch,
//! never a wrong answer.

use super::BaseFacts;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Largest cache entry read (a config's facts with a long history stay far below it).
const MAX_ENTRY: u64 = 4 << 20;

/// A tag (or digest reference) resolved earlier.
#[derive(Debug, Serialize, Deserialize)]
struct TagEntry {
    key: String,
    digest: String,
    /// Seconds since the epoch when the registry was asked.
    resolved: u64,
}

/// What the cache knows of a reference.
#[derive(Debug)]
pub(super) enum Hit {
    /// Facts resolved within the TTL (or by digest, which never goes stale).
    Fresh(BaseFacts),
    /// Facts resolved longer ago than the TTL, and how long ago.
    Stale(BaseFacts, Duration),
}

/// The cache directory.
#[derive(Debug, Clone)]
pub(super) struct Cache {
    dir: PathBuf,
    ttl: Duration,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `sha256:ab…` -> `sha256-ab…`, refusing anything that is not a plain digest.
fn digest_file(digest: &str) -> Option<String> {
    let (alg, h) = digest.split_once(':')?;
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (ok(alg) && ok(h)).then(|| format!("{alg}-{h}.json"))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > MAX_ENTRY {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

impl Cache {
    /// The cache in `dir` (created on first write); tags older than `ttl` are stale.
    pub(super) fn new(dir: PathBuf, ttl: Duration) -> Cache {
        Cache { dir, ttl }
    }

    /// `$XDG_CACHE_HOME/dlint/base`, else `~/.cache/dlint/base`.
    pub(super) fn default_dir() -> Option<PathBuf> {
        let xdg = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute());
        let root =
            xdg.or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(root.join("dlint").join("base"))
    }

    fn tag_path(&self, key: &str) -> PathBuf {
        self.dir
            .join("tags")
            .join(format!("{}.json", hex(key.as_bytes())))
    }

    fn facts_path(&self, digest: &str) -> Option<PathBuf> {
        Some(self.dir.join("facts").join(digest_file(digest)?))
    }

    /// The facts cached for `key` (reference and platform); `by_digest` references never go
    /// stale. A corrupt or mismatched entry is a miss.
    pub(super) fn get(&self, key: &str, by_digest: bool) -> Option<Hit> {
        let tag: TagEntry = read_json(&self.tag_path(key))?;
        if tag.key != key {
            return None;
        }
        let facts: BaseFacts = read_json(&self.facts_path(&tag.digest)?)?;
        if facts.digest != tag.digest {
            return None;
        }
        let age = Duration::from_secs(now().saturating_sub(tag.resolved));
        if by_digest || age <= self.ttl {
            Some(Hit::Fresh(facts))
        } else {
            Some(Hit::Stale(facts, age))
        }
    }

    /// Stores `facts` under their digest and `key` -> digest, atomically.
    pub(super) fn put(&self, key: &str, facts: &BaseFacts) -> std::io::Result<()> {
        let Some(fp) = self.facts_path(&facts.digest) else {
            return Ok(());
        };
        write_atomic(
            &fp,
            &serde_json::to_vec(facts).map_err(std::io::Error::other)?,
        )?;
        let tag = TagEntry {
            key: key.to_string(),
            digest: facts.digest.clone(),
            resolved: now(),
        };
        write_atomic(
            &self.tag_path(key),
            &serde_json::to_vec(&tag).map_err(std::io::Error::other)?,
        )
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("cache path without a directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(digest: &str) -> BaseFacts {
        BaseFacts {
            reference: "alpine:3".into(),
            digest: digest.into(),
            env: vec![("PATH".into(), "/bin".into())],
            user: None,
            workdir: None,
            shell: None,
            entrypoint: None,
            cmd: None,
            os: "linux".into(),
            architecture: "amd64".into(),
            platforms: vec![],
            history: vec![],
            compressed: Some(3),
            uncompressed: None,
            layers: Vec::new(),
        }
    }

    #[test]
    fn hit_stale_and_corrupt() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = Cache::new(dir.path().to_path_buf(), Duration::from_secs(3600));
        assert!(c.get("k", false).is_none());
        c.put("k", &facts("sha256:ab12")).expect("put");
        assert!(matches!(c.get("k", false), Some(Hit::Fresh(f)) if f.compressed == Some(3)));
        // the tag is a day old: stale, unless it is a digest reference
        let old = TagEntry {
            key: "k".into(),
            digest: "sha256:ab12".into(),
            resolved: now() - 86_400,
        };
        std::fs::write(c.tag_path("k"), serde_json::to_vec(&old).expect("json")).expect("write");
        assert!(matches!(c.get("k", false), Some(Hit::Stale(_, age)) if age.as_secs() >= 86_400));
        assert!(matches!(c.get("k", true), Some(Hit::Fresh(_))));
        // corrupt facts: a miss
        let fp = c.facts_path("sha256:ab12").expect("path");
        std::fs::write(&fp, b"{not json").expect("write");
        assert!(c.get("k", false).is_none());
        // facts under another digest's name: a miss
        std::fs::write(
            &fp,
            serde_json::to_vec(&facts("sha256:cd34")).expect("json"),
        )
        .expect("write");
        assert!(c.get("k", false).is_none());
        assert!(digest_file("sha256:../../x").is_none());
    }
}
