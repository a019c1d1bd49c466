//! Applying the fixes rules attach to their findings.

use super::{Applicability, Config, Diagnostic, Edit, Registry};
use std::path::Path;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixMode {
    /// Also apply fixes marked [`Applicability::Unsafe`].
    pub unsafe_fixes: bool,
}

impl FixMode {
    /// True when a fix of this applicability is applied in this mode.
    pub fn allows(&self, a: Applicability) -> bool {
        a == Applicability::Safe || self.unsafe_fixes
    }
}

/// How the cache fixes keep a package manager's cache out of the layer (`--fix-style`, config
/// `fix-style:`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum FixStyle {
    /// Append the manager's cleanup to the RUN (`rm -rf /var/lib/apt/lists/*`, `apt-get clean`,
    /// `yum clean all` ...): safe.
    #[default]
    Clean,
    /// Put the manager's cache and index directories on BuildKit cache mounts
    /// (`RUN --mount=type=cache,target=...,sharing=locked`): unsafe (needs BuildKit, and later
    /// RUNs without the mount do not see what the RUN downloaded).
    Mount,
}

/// Applies the safe fixes of `diags` to `source` (see [`apply_with`]).
pub fn apply(source: &str, diags: &[Diagnostic]) -> (String, usize) {
    apply_with(source, diags, FixMode::default())
}

/// Applies the fixes of `diags` that `mode` allows to `source`: fixes are taken in position
/// order and a fix whose edits overlap an already accepted edit is skipped (it can apply in a
/// later round). Returns the new text and the number of fixes applied.
pub fn apply_with(source: &str, diags: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let (out, applied, _) = apply_traced(source, diags, mode);
    (out, applied)
}

/// [`apply_with`], also returning the edits it made (in `source`'s offsets, sorted).
pub fn apply_traced(
    source: &str,
    diags: &[Diagnostic],
    mode: FixMode,
) -> (String, usize, Vec<Edit>) {
    let mut fixes: Vec<&super::Fix> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| mode.allows(f.applicability))
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min().unwrap_or(0));
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let valid = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= source.len()
                && source.is_char_boundary(e.span.start)
                && source.is_char_boundary(e.span.end)
        });
        let clashes = fix.edits.iter().enumerate().any(|(i, e)| {
            accepted.iter().any(|a| overlaps(a, e)) || fix.edits[..i].iter().any(|o| overlaps(o, e))
        });
        if fix.edits.is_empty() || !valid || clashes {
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied += 1;
    }
    accepted.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    let mut out = source.to_string();
    for e in &accepted {
        out.replace_range(e.span.start..e.span.end, &e.replacement);
    }
    let mut edits: Vec<Edit> = accepted.into_iter().cloned().collect();
    edits.reverse();
    (out, applied, edits)
}

/// Where byte `offset` of the text before a round of `edits` (sorted, not overlapping) is
/// after it: shifted by the edits before it; an offset inside a replaced range goes to the
/// range's start.
pub fn map_offset(offset: usize, edits: &[Edit]) -> usize {
    let mut shift: isize = 0;
    for e in edits {
        if e.span.end <= offset {
            shift += e.replacement.len() as isize - e.span.len() as isize;
        } else if e.span.start < offset {
            return e.span.start.saturating_add_signed(shift);
        }
    }
    offset.saturating_add_signed(shift)
}

/// Two edits conflict when their ranges intersect or both insert at the same point.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    if a.is_empty() || b.is_empty() {
        return a.start == b.start
            || (a.start > b.start && a.start < b.end)
            || (b.start > a.start && b.start < a.end);
    }
    a.start < b.end && b.start < a.end
}

/// Most lint-and-fix rounds per file; a file still changing after that is left as it was
/// after the last round and reported as not converging.
pub const MAX_ROUNDS: usize = 10;

/// The result of fixing one file.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The text after all rounds.
    pub source: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    /// Findings left after fixing.
    pub remaining: Vec<Diagnostic>,
    /// Fixes among `remaining` that were not applied because they are unsafe.
    pub unsafe_available: usize,
    /// False when the fixes still changed the text after [`MAX_ROUNDS`] rounds.
    pub converged: bool,
    /// The edits of each round, in the offsets of the text before that round.
    pub rounds: Vec<Vec<Edit>>,
}

/// Lints and applies the safe fixes of `source` until nothing changes (see [`fix_with`]).
pub fn fix_source(registry: &Registry, source: &str, config: &Config) -> Fixed {
    fix_with(registry, source, config, FixMode::default())
}

/// Lints and fixes `source` repeatedly until no fix applies (at most [`MAX_ROUNDS`] rounds).
pub fn fix_with(registry: &Registry, source: &str, config: &Config, mode: FixMode) -> Fixed {
    let mut text = source.to_string();
    let mut applied = 0;
    let mut diags = super::lint_source(registry, &text, config);
    let mut converged = false;
    let mut rounds = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let (next, n, edits) = apply_traced(&text, &diags, mode);
        if n == 0 || next == text {
            converged = true;
            break;
        }
        applied += n;
        rounds.push(edits);
        text = next;
        diags = super::lint_source(registry, &text, config);
    }
    if !converged {
        // One more look: the last round may have reached a fixed point.
        converged = apply_with(&text, &diags, mode).0 == text;
    }
    let unsafe_available = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| !mode.allows(f.applicability))
        .count();
    Fixed {
        source: text,
        applied,
        remaining: diags,
        unsafe_available,
        converged,
        rounds,
    }
}

/// Counts of a fix run over several files, for its summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Files changed (or that would change).
    pub changed: usize,
    /// Fixes applied (or that would be).
    pub fixes: usize,
    /// Findings left after fixing.
    pub remaining: usize,
    /// Unsafe fixes left unapplied.
    pub unsafe_available: usize,
}

impl Totals {
    /// Counts one file's fixes and leftovers (its change is counted by the caller).
    pub fn add(&mut self, fixed: &Fixed) {
        self.fixes += fixed.applied;
        self.remaining += fixed.remaining.len();
        self.unsafe_available += fixed.unsafe_available;
    }

    /// `applied 3 fixes in 1 file; 2 findings left (see `dlint lint`)` (`would apply` when
    /// `dry`), then a hint when unsafe fixes were left out.
    pub fn summary(&self, dry: bool) -> Vec<String> {
        let s = |n: usize, many: &'static str| if n == 1 { "" } else { many };
        let mut lines = vec![format!(
            "{} {} fix{} in {} file{}; {} finding{} left (see `dlint lint`)",
            if dry { "would apply" } else { "applied" },
            self.fixes,
            s(self.fixes, "es"),
            self.changed,
            s(self.changed, "s"),
            self.remaining,
            s(self.remaining, "s"),
        )];
        if self.unsafe_available > 0 {
            lines.push(format!(
                "{} unsafe fix{} available with --unsafe-fixes",
                self.unsafe_available,
                s(self.unsafe_available, "es")
            ));
        }
        lines
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, flushed to
/// disk, given the original file's permissions, then renamed over `path`. On any error the
/// original file is untouched and the temporary file removed.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Follow a symlink so the link stays a link and its target is rewritten.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = target.parent().unwrap_or(dir);
    let meta = std::fs::metadata(&target)?;
    let perms = meta.permissions();
    // A file the user cannot write is not replaced behind their back.
    if perms.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".dlint-fix-")
        .tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), perms)?;
    #[cfg(unix)]
    {
        // Keep the owner and group where allowed (root fixing another user's file); an
        // unprivileged user's own files already have them.
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::chown(tmp.path(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::Span;
    use crate::lint::{Fix, Severity};

    fn diag(edits: &[(usize, usize, &str)]) -> Diagnostic {
        Diagnostic {
            rule: "DL0000",
            name: "test",
            severity: Severity::Info,
            message: String::new(),
            span: Span::new(0, 0),
            fix: Some(Fix {
                description: String::new(),
                edits: edits
                    .iter()
                    .map(|&(s, e, r)| Edit {
                        span: Span::new(s, e),
                        replacement: r.into(),
                    })
                    .collect(),
                applicability: crate::lint::Applicability::Safe,
            }),
        }
    }

    #[test]
    fn maps_offsets_through_a_round() {
        let e = |s, e, r: &str| Edit {
            span: Span::new(s, e),
            replacement: r.into(),
        };
        // "abcdef" -> "aXYZbdf": insert at 1, delete 2..3 ("c"), delete 4..5 ("e")
        let edits = [e(1, 1, "XYZ"), e(2, 3, ""), e(4, 5, "")];
        assert_eq!(map_offset(0, &edits), 0);
        assert_eq!(map_offset(1, &edits), 4);
        assert_eq!(map_offset(3, &edits), 5);
        assert_eq!(map_offset(5, &edits), 6);
        // inside a replaced range: its start
        assert_eq!(map_offset(3, &[e(2, 5, "Q")]), 2);
    }

    #[test]
    fn applies_non_overlapping_fixes_and_skips_clashes() {
        let src = "abcdef";
        let (out, n) = apply(
            src,
            &[
                diag(&[(0, 1, "A")]),
                diag(&[(0, 2, "XY")]),
                diag(&[(3, 3, "-"), (5, 6, "F")]),
            ],
        );
        assert_eq!((out.as_str(), n), ("Abc-deF", 2));
        // out-of-range or non-boundary edits are ignored rather than panicking
        let (out, n) = apply("é", &[diag(&[(1, 2, "x")]), diag(&[(0, 9, "x")])]);
        assert_eq!((out.as_str(), n), ("é", 0));
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_permissions_and_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Dockerfile");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.Dockerfile");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        write_atomic(&link, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // no temporary file is left behind
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        // a missing file is an error, and nothing is created
        assert!(write_atomic(&dir.path().join("missing"), "x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        // so is a read-only file, left untouched
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(write_atomic(&file, "newer").is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn totals_count_and_summarise() {
        let mut t = Totals::default();
        t.add(&Fixed {
            source: String::new(),
            applied: 1,
            remaining: vec![diag(&[])],
            unsafe_available: 0,
            converged: true,
            rounds: Vec::new(),
        });
        t.changed += 1;
        assert_eq!(
            t.summary(false),
            ["applied 1 fix in 1 file; 1 finding left (see `dlint lint`)"]
        );
        t.add(&Fixed {
            source: String::new(),
            applied: 2,
            remaining: Vec::new(),
            unsafe_available: 2,
            converged: true,
            rounds: Vec::new(),
        });
        t.changed += 1;
        assert_eq!(
            t.summary(true),
            [
                "would apply 3 fixes in 2 files; 1 finding left (see `dlint lint`)",
                "2 unsafe fixes available with --unsafe-fixes"
            ]
        );
    }
}
