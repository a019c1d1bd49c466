//! Keeping the cache directory under its size cap: least recently used entries (oldest mtime;
//! a hit touches it) are deleted first. Safe with other processes doing the same: a file
//! another process deleted first is skipped, and a reader holding an open entry keeps reading
//! it after the unlink.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Temporary files older than this are left-overs of a killed writer.
const STALE_TMP: Duration = Duration::from_secs(3600);

/// Deletes the least recently used `*.dlc` entries of `dir` until their total is at most
/// `max_bytes` (and temporary files left by killed writers).
pub(crate) fn enforce(dir: &Path, max_bytes: u64) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    let mut entries = Vec::new();
    let mut total = 0u64;
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if name.starts_with(".tmp-") {
            if now.duration_since(mtime).is_ok_and(|age| age > STALE_TMP) {
                let _ = std::fs::remove_file(e.path());
            }
            continue;
        }
        if name.ends_with(".dlc") {
            total += meta.len();
            entries.push((mtime, meta.len(), e.path()));
        }
    }
    if total <= max_bytes {
        return;
    }
    entries.sort_by_key(|e| e.0);
    for (_, len, path) in entries {
        if total <= max_bytes {
            break;
        }
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {}
            // deleted here, or already by another process
            _ => total = total.saturating_sub(len),
        }
    }
}
