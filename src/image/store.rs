//! Random access to the files of an image archive: a tar (docker save, OCI archive) indexed once
//! by member offset, or an OCI layout / extracted docker save directory.

use super::error::ImageError;
use super::member::{MAX_JSON, norm_member};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Most members an outer archive may have (protects the index's memory).
const MAX_MEMBERS: usize = 1_000_000;

/// Where the archive's files live.
#[derive(Debug)]
pub(crate) enum Store {
    /// A directory (OCI layout or extracted docker save).
    Dir(PathBuf),
    /// A tar file: member name -> (data offset, size).
    Tar {
        path: PathBuf,
        members: HashMap<String, (u64, u64)>,
    },
    /// An image in a registry, answering like an OCI layout (see [`super::registry`]).
    Registry(Box<super::registry::Source>),
}

impl Store {
    /// Opens `path`: a directory as is, a file as a tar whose members are indexed.
    pub(crate) fn open(path: &Path) -> Result<Store, ImageError> {
        Store::open_with_limit(path, MAX_MEMBERS)
    }

    /// [`Store::open`] refusing a tar of more than `max_members` files.
    fn open_with_limit(path: &Path, max_members: usize) -> Result<Store, ImageError> {
        let meta = std::fs::metadata(path).map_err(|e| ImageError::io(path, "open", e))?;
        if meta.is_dir() {
            return Ok(Store::Dir(path.to_path_buf()));
        }
        let file = File::open(path).map_err(|e| ImageError::io(path, "open", e))?;
        let mut ar = tar::Archive::new(BufReader::with_capacity(64 << 10, file));
        let mut members = HashMap::new();
        let entries = ar.entries_with_seek().map_err(|e| {
            ImageError::format(path, format!("not a tar archive or directory: {e}"))
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                ImageError::format(path, format!("not a readable tar archive: {e}"))
            })?;
            let kind = entry.header().entry_type();
            if !(kind.is_file() || kind == tar::EntryType::Continuous) {
                continue;
            }
            let name = entry.path().map_err(|e| {
                ImageError::format(path, format!("bad member name in archive: {e}"))
            })?;
            let name = norm_member(&name.to_string_lossy());
            members.insert(name, (entry.raw_file_position(), entry.size()));
            if members.len() > max_members {
                return Err(ImageError::format(
                    path,
                    format!("more than {max_members} members: not an image archive"),
                ));
            }
        }
        if members.is_empty() {
            return Err(ImageError::format(
                path,
                "not an image archive (empty tar or not a tar file)",
            ));
        }
        Ok(Store::Tar {
            path: path.to_path_buf(),
            members,
        })
    }

    /// The archive path given by the user.
    pub(crate) fn archive(&self) -> &Path {
        match self {
            Store::Dir(p) => p,
            Store::Tar { path, .. } => path,
            Store::Registry(r) => r.archive(),
        }
    }

    /// The registry source, if the image comes from one.
    pub(crate) fn registry(&self) -> Option<&super::registry::Source> {
        match self {
            Store::Registry(r) => Some(r),
            _ => None,
        }
    }

    /// True if the archive is a tar file (not a directory).
    pub(crate) fn is_tar(&self) -> bool {
        matches!(self, Store::Tar { .. })
    }

    /// Whether a member exists.
    pub(crate) fn exists(&self, name: &str) -> bool {
        let name = norm_member(name);
        match self {
            Store::Dir(d) => safe_join(d, &name).is_some_and(|p| p.is_file()),
            Store::Tar { members, .. } => members.contains_key(&name),
            Store::Registry(r) => r.exists(&name),
        }
    }

    /// Size of a member, if it exists.
    pub(crate) fn member_size(&self, name: &str) -> Option<u64> {
        let name = norm_member(name);
        match self {
            Store::Dir(d) => safe_join(d, &name)
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| m.len()),
            Store::Tar { members, .. } => members.get(&name).map(|m| m.1),
            Store::Registry(_) => None,
        }
    }

    /// Opens a member for streaming; returns the reader and the member's size.
    pub(crate) fn open_member(&self, name: &str) -> Result<(Box<dyn Read + Send>, u64), String> {
        let name = norm_member(name);
        match self {
            Store::Dir(d) => {
                let p = safe_join(d, &name).ok_or_else(|| format!("invalid blob path {name:?}"))?;
                let f = File::open(&p).map_err(|e| format!("{name}: {e}"))?;
                let len = f.metadata().map_err(|e| format!("{name}: {e}"))?.len();
                Ok((Box::new(f), len))
            }
            Store::Tar { path, members } => {
                let &(off, len) = members
                    .get(&name)
                    .ok_or_else(|| format!("{name} is missing from the archive"))?;
                let mut f = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
                f.seek(SeekFrom::Start(off))
                    .map_err(|e| format!("{name}: {e}"))?;
                Ok((Box::new(f.take(len)), len))
            }
            Store::Registry(r) => r.open_blob(&name),
        }
    }

    /// Reads a whole (small) member, refusing anything above [`MAX_JSON`].
    pub(crate) fn read_small(&self, name: &str) -> Result<Vec<u8>, ImageError> {
        if let Store::Registry(r) = self {
            return r.read_small(&norm_member(name));
        }
        let (r, len) = self
            .open_member(name)
            .map_err(|m| ImageError::format(self.archive(), m))?;
        if len > MAX_JSON {
            return Err(ImageError::format(
                self.archive(),
                format!("{name}: {len} bytes is too large for a JSON document"),
            ));
        }
        let mut buf = Vec::with_capacity(len as usize);
        r.take(MAX_JSON)
            .read_to_end(&mut buf)
            .map_err(|e| ImageError::io(self.archive(), name.to_string(), e))?;
        Ok(buf)
    }

    /// Member name of a blob given its digest (`sha256:abc` -> `blobs/sha256/abc`).
    pub(crate) fn blob_name(digest: &str) -> Option<String> {
        let (alg, hex) = digest.split_once(':')?;
        let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        (ok(alg) && ok(hex)).then(|| format!("blobs/{alg}/{hex}"))
    }
}

/// Joins a relative member name under a directory, refusing `..` and absolute components.
fn safe_join(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut p = dir.to_path_buf();
    for c in name.split('/') {
        if c.is_empty() || c == "." {
            continue;
        }
        if c == ".." {
            return None;
        }
        p.push(c);
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tar of `n` one-byte members.
    fn tar_of(n: usize, path: &Path) {
        let mut b = tar::Builder::new(File::create(path).expect("temp file"));
        for i in 0..n {
            let mut h = tar::Header::new_ustar();
            h.set_size(1);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, format!("m/{i}"), &b"x"[..])
                .expect("append");
        }
        b.finish().expect("finish");
    }

    /// The member limit protects the index's memory: one member more than allowed is an error
    /// naming the archive (the real limit, 1,000,000, would need a 512 MB test archive).
    #[test]
    fn too_many_members_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("many.tar");
        tar_of(11, &path);
        let err = Store::open_with_limit(&path, 10).expect_err("11 members > 10");
        let msg = err.to_string();
        assert!(msg.contains("more than 10 members"), "{msg}");
        assert!(msg.contains("many.tar"), "{msg}");
        let ok = Store::open_with_limit(&path, 11).expect("11 members <= 11");
        assert!(ok.exists("m/10") && !ok.exists("m/11"));
    }
}
