//! DL3067 (hadolint DL3067): `COPY --from=stage / /` copies a whole filesystem.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::{stage_from, unquote};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `COPY --from=build / /`: every file of the source (package caches, compilers, its
/// `/etc/passwd`) lands in this stage, and none of the source's config (ENV, USER, WORKDIR,
/// ENTRYPOINT) comes along.
pub struct CopyWholeFilesystem;

/// True for `/`, `/.`, `//`, `/./`: the root directory.
fn is_root(path: &str) -> bool {
    let p = unquote(path);
    p.starts_with('/') && p.split('/').all(|c| c.is_empty() || c == ".")
}

impl Rule for CopyWholeFilesystem {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3067",
            name: "copy-whole-filesystem",
            severity: Severity::Warning,
            summary: "Do not copy a whole filesystem from another stage",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            if ins.keyword != Keyword::Copy {
                continue;
            }
            let (
                Some(from),
                InstructionKind::Copy {
                    sources,
                    dest: Some(dest),
                    ..
                },
            ) = (ins.flag_value("from"), &ins.kind)
            else {
                continue;
            };
            let [src] = sources.as_slice() else {
                continue;
            };
            if !is_root(&src.value) || !is_root(&dest.value) {
                continue;
            }
            let into_scratch = ins
                .stage
                .and_then(|s| stage_from(df, s))
                .is_some_and(|f| match &f.kind {
                    InstructionKind::From { image, .. } => {
                        image.value.eq_ignore_ascii_case("scratch")
                    }
                    _ => false,
                });
            let what = if into_scratch {
                "flattens it into this image"
            } else {
                "overwrites this stage's base image with it"
            };
            cx.report(
                ins.span,
                format!(
                    "COPY --from={from} / / copies the whole filesystem of `{from}` and {what}: its caches \
                     and build tools come along and its ENV, USER, WORKDIR and ENTRYPOINT do not; copy \
                     the directories the image needs"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_root_to_root_copies() {
        let src = "FROM alpine:3 AS build\nRUN make\nFROM scratch\nCOPY --from=build / /\nFROM debian:12\nCOPY --from=0 --chown=1:1 /. /\nCOPY --from=alpine:3 [\"/\", \"/\"]\n";
        assert_eq!(lines(&CopyWholeFilesystem, src), [4, 6, 7]);
    }

    #[test]
    fn partial_copies_and_other_destinations_pass() {
        let src = "FROM alpine:3 AS build\nFROM scratch\nCOPY --from=build / /rootfs/\nCOPY --from=build /app /app\nCOPY --from=build /etc / /usr/\nCOPY / /\nADD / /\n";
        assert!(lines(&CopyWholeFilesystem, src).is_empty());
    }
}
