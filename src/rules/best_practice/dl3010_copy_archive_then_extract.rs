//! DL3010: use ADD to extract a local tar archive instead of COPY + `tar x`.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::stage_instructions;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `COPY app.tar.gz /tmp/` then `RUN tar xzf /tmp/app.tar.gz`: the archive stays in a layer.
pub struct CopyArchiveThenExtract;

/// Extensions of the archives ADD extracts by itself.
pub const TAR_EXTENSIONS: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tar.lz",
    ".tar.lzma",
    ".tlz",
    ".tar.z",
    ".taz",
];

/// True when the path names a tar archive ADD would extract.
pub fn is_tar_archive(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    TAR_EXTENSIONS.iter().any(|e| p.ends_with(e))
}

/// The last component of a COPY path, `/` or `\` separated (Windows images), without the
/// quotes a path with blanks is written in.
fn file_name(path: &str) -> &str {
    let p = path.trim_matches(['"', '\'']);
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

impl Rule for CopyArchiveThenExtract {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3010",
            name: "copy-archive-then-extract",
            severity: Severity::Info,
            summary: "Use ADD for extracting archives into an image",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for stage in 0..df.stages.len() {
            let ins: Vec<_> = stage_instructions(df, stage).collect();
            for (k, copy) in ins.iter().enumerate() {
                if copy.keyword != Keyword::Copy || copy.flag("from").is_some() {
                    continue;
                }
                let InstructionKind::Copy { sources, dest, .. } = &copy.kind else {
                    continue;
                };
                // `COPY app.tar.gz /tmp/x.tgz`: the archive is extracted under its new name.
                // (Several sources need a directory destination ending in `/`.)
                let renamed = dest
                    .as_ref()
                    .filter(|d| !d.value.ends_with(['/', '\\']))
                    .map(|d| file_name(&d.value))
                    .filter(|n| is_tar_archive(n) && !n.contains('$'));
                for src in sources
                    .iter()
                    .filter(|s| is_tar_archive(&s.value) && !s.value.contains('$'))
                {
                    let base = file_name(&src.value);
                    let extracted = ins[k + 1..].iter().any(|r| {
                        r.keyword == Keyword::Run && {
                            let t = &r.args.text;
                            (t.contains(base) || renamed.is_some_and(|n| t.contains(n)))
                                && t.split(|c: char| {
                                    c.is_whitespace() || c == ';' || c == '&' || c == '|'
                                })
                                .any(|w| w == "tar" || w.ends_with("/tar"))
                        }
                    });
                    if extracted {
                        cx.report(
                            src.span,
                            format!("`{}` is copied and then extracted with tar: `ADD {} <dir>` extracts it without keeping the archive in a layer", src.value, src.value),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_copy_then_tar_extract() {
        let src = "FROM a\nCOPY dist/app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n";
        assert_eq!(lines(&CopyArchiveThenExtract, src), vec![2]);
    }

    /// Windows images write paths with `\`, and a destination with blanks in quotes.
    #[test]
    fn flags_windows_paths() {
        let src = "FROM w\nCOPY build\\foo\\bar.tar.gz \"C:\\Program Files\\Foo\"\nRUN tar -xf \"C:\\Program Files\\Foo\\bar.tar.gz\"\n";
        assert_eq!(lines(&CopyArchiveThenExtract, src), vec![2]);
        let src = "FROM w\nCOPY build\\foo\\bar.tar.gz \"C:\\Program Files\\foo.tar.gz\"\nRUN tar -xf foo.tar.gz\n";
        assert_eq!(lines(&CopyArchiveThenExtract, src), vec![2]);
    }

    #[test]
    fn no_extraction_or_other_stage_is_fine() {
        let src = "FROM a\nCOPY app.tar.gz /srv/\nRUN ls /srv\nFROM b\nRUN tar xf /srv/app.tar.gz\nCOPY app.zip /x/\nRUN unzip /x/app.zip\n";
        assert!(lines(&CopyArchiveThenExtract, src).is_empty());
    }
}
