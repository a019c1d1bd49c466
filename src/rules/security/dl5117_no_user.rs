//! DL5117 (opt-in): the final image never sets a USER, so it runs as whatever its base image
//! says (root for most).

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::{stage_from, stage_instructions};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// No USER anywhere in the final stage or the stages it is built on. DL3002 reports an explicit
/// `USER root`; this reports the silent default.
pub struct NoUser;

impl Rule for NoUser {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5117",
            name: "no-user",
            severity: Severity::Info,
            summary: "The final image never sets a USER",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let Some(last) = df.stages.len().checked_sub(1) else {
            return;
        };
        let chain = cx.model().stage_chain(last);
        let has_user = chain.iter().any(|&s| {
            stage_instructions(df, s).any(|i| {
                i.keyword == Keyword::User
                    || matches!(&i.kind, InstructionKind::Onbuild(inner) if inner.keyword == Keyword::User)
            })
        });
        if has_user {
            return;
        }
        let root_from = chain.last().and_then(|&s| stage_from(df, s));
        let Some(from) = root_from else { return };
        let InstructionKind::From { image, .. } = &from.kind else {
            return;
        };
        // `scratch` has no /etc/passwd and no shell: the user is the binary's business, and
        // Windows images run as ContainerAdministrator/ContainerUser by their own defaults
        if image.value.eq_ignore_ascii_case("scratch") || cx.model().is_windows_stage(last) {
            return;
        }
        // with the base image's facts: a base that runs unprivileged needs no USER here
        let facts = cx.model().base_facts(last);
        if facts.is_some_and(|f| !f.runs_as_root()) {
            return;
        }
        let Some(last_from) = stage_from(df, last) else {
            return;
        };
        let message = match facts {
            Some(f) => format!(
                "the final image never sets a USER, so it runs as root (the base image `{}` sets \
                 {}): add `USER 10001` (a non-root UID) at the end",
                f.reference,
                f.user
                    .as_deref()
                    .map_or("no USER".to_string(), |u| format!("USER `{u}`"))
            ),
            None => format!(
                "the final image never sets a USER, so it runs as the user of `{}` (root for most \
                 images): add `USER 10001` (a non-root UID) at the end",
                image.value
            ),
        };
        cx.report(last_from.span, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_a_final_stage_without_user() {
        assert_eq!(lines(&NoUser, "FROM debian:12\nRUN x\n"), [1]);
        assert_eq!(
            lines(
                &NoUser,
                "FROM a AS build\nUSER app\nFROM debian:12\nCOPY --from=build /x /x\n"
            ),
            [3]
        );
    }

    #[test]
    fn any_user_or_scratch_passes() {
        for src in [
            "FROM debian:12\nUSER root\n",
            "FROM debian:12 AS base\nUSER 1000\nFROM base\nRUN x\n",
            "FROM scratch\nCOPY app /app\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN x\n",
        ] {
            assert!(lines(&NoUser, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn base_image_user_decides() {
        use crate::lint::testing::{base_facts, run_with_base};
        let nonroot = base_facts("distroless", &[], Some("nonroot"), None);
        assert!(
            run_with_base(
                &NoUser,
                "FROM distroless
COPY a /a
",
                &nonroot
            )
            .is_empty()
        );
        let root = base_facts("debian", &[], Some("root"), None);
        let d = run_with_base(
            &NoUser,
            "FROM debian
COPY a /a
",
            &root,
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("USER `root`"), "{}", d[0].message);
    }
}
