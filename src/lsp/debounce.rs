//! Debouncing of `didChange`: a changed document is linted once its text has been still for
//! [`QUIET`], the last change winning, and at the latest [`MAX_WAIT`] after the first change
//! not yet linted (typing without pause still gets diagnostics).

use lsp_types::Uri;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a document must stay unchanged before it is linted.
pub const QUIET: Duration = Duration::from_millis(100);
/// The longest a change waits for its lint.
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// A change not linted yet.
#[derive(Debug)]
pub struct Change {
    /// The document's whole new text.
    pub text: String,
    /// Its version.
    pub version: i32,
    first: Instant,
    last: Instant,
}

impl Change {
    fn due(&self) -> Instant {
        (self.last + QUIET).min(self.first + MAX_WAIT)
    }
}

/// The changes waiting, one per document.
#[derive(Debug, Default)]
pub struct Pending {
    changes: HashMap<Uri, Change>,
}

impl Pending {
    /// Records a change at `now`; it replaces an earlier one of the same document.
    pub fn push(&mut self, uri: Uri, text: String, version: i32, now: Instant) {
        let first = self.changes.get(&uri).map_or(now, |c| c.first);
        self.changes.insert(
            uri,
            Change {
                text,
                version,
                first,
                last: now,
            },
        );
    }

    /// When the next lint is due, if any change waits.
    pub fn next_due(&self) -> Option<Instant> {
        self.changes.values().map(Change::due).min()
    }

    /// Removes and returns the changes due at `now`.
    pub fn take_due(&mut self, now: Instant) -> Vec<(Uri, Change)> {
        let due: Vec<Uri> = self
            .changes
            .iter()
            .filter(|(_, c)| c.due() <= now)
            .map(|(u, _)| u.clone())
            .collect();
        due.into_iter()
            .filter_map(|u| self.changes.remove(&u).map(|c| (u, c)))
            .collect()
    }

    /// Removes and returns every waiting change (before a request reads the documents).
    pub fn take_all(&mut self) -> Vec<(Uri, Change)> {
        self.changes.drain().collect()
    }

    /// Forgets a document's change (it was closed, opened again or saved).
    pub fn remove(&mut self, uri: &Uri) -> Option<Change> {
        self.changes.remove(uri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().expect("uri")
    }

    #[test]
    fn last_change_wins_after_a_quiet_period() {
        let t0 = Instant::now();
        let mut p = Pending::default();
        p.push(uri("file:///a/Dockerfile"), "v1".into(), 1, t0);
        p.push(uri("file:///a/Dockerfile"), "v2".into(), 2, t0 + QUIET / 2);
        assert_eq!(p.next_due(), Some(t0 + QUIET / 2 + QUIET));
        assert!(p.take_due(t0 + QUIET).is_empty());
        let due = p.take_due(t0 + 2 * QUIET);
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].1.text.as_str(), due[0].1.version), ("v2", 2));
        assert_eq!(p.next_due(), None);
    }

    #[test]
    fn typing_without_pause_is_linted_within_the_bound() {
        let t0 = Instant::now();
        let mut p = Pending::default();
        let step = QUIET / 4;
        let mut now = t0;
        while now < t0 + 2 * MAX_WAIT {
            p.push(uri("file:///b/Dockerfile"), "x".into(), 1, now);
            assert!(p.next_due().is_some_and(|d| d <= t0 + MAX_WAIT));
            now += step;
        }
    }
}
