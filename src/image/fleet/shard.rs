//! `--shard I/N`: which references a worker takes, and reading the list of references.

use sha2::{Digest as _, Sha256};

/// Worker `index` of `count` (0-based, as `JOB_COMPLETION_INDEX` and matrix indexes are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This worker, `0..count`.
    pub index: u64,
    /// Workers in all.
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` with `0 <= I < N`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 0/3"))?;
        let num = |v: &str| {
            v.trim()
                .parse::<u64>()
                .map_err(|e| format!("{s:?}: {v:?} is not a number: {e}"))
        };
        let (index, count) = (num(i)?, num(n)?);
        if count == 0 || index >= count {
            return Err(format!("{s:?}: I must be in 0..N and N at least 1"));
        }
        Ok(Shard { index, count })
    }

    /// True when `reference` belongs to this worker: the first 8 bytes of its sha256, modulo
    /// N. The same reference always lands on the same worker, whatever the order of the list
    /// or the machine.
    pub fn takes(&self, reference: &str) -> bool {
        let d = Sha256::digest(reference.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(d.get(..8).unwrap_or(&[0; 8]));
        u64::from_be_bytes(first) % self.count == self.index
    }
}

/// The references of a list: one per line; blank lines and `#` comments skipped, duplicates
/// kept once (first occurrence).
pub fn read_refs(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .map(|l| l.split_once(" #").map_or(l, |(a, _)| a).trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| seen.insert(l.to_string()))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_a_list_exactly_once() {
        let refs: Vec<String> = (0..300).map(|i| format!("reg/app{i}:1")).collect();
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        let mut sizes = [0usize; 3];
        for r in &refs {
            let owners: Vec<usize> = (0..3).filter(|&i| shards[i].takes(r)).collect();
            assert_eq!(owners.len(), 1, "{r}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 60), "{sizes:?}");
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        for bad in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reference_lists() {
        let text = "# images\nreg/a:1\n\n  reg/b:2   # the b one\nreg/a:1\n";
        assert_eq!(read_refs(text), ["reg/a:1", "reg/b:2"]);
    }
}
