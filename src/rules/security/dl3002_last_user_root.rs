//! DL3002: the final image should not run as root.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{stage_from, stage_instructions, unquote};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// The last USER in effect for the final stage is `root` (or UID 0).
pub struct LastUserRoot;

/// True for `root`, `0`, `root:group`, `0:0`.
pub fn is_root(user: &str) -> bool {
    let u = unquote(user);
    let name = u.split(':').next().unwrap_or("");
    name == "root" || name == "0"
}

impl Rule for LastUserRoot {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3002",
            name: "last-user-root",
            severity: Severity::Warning,
            summary: "Last USER should not be root",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        // every image the file builds: the last stage and each stage nothing else uses
        let targets: Vec<usize> = model
            .stages()
            .iter()
            .filter(|s| s.is_target && s.in_final_image)
            .map(|s| s.index)
            .collect();
        let mut reported = Vec::new();
        for target in targets {
            let user = model.stage_chain(target).into_iter().find_map(|s| {
                stage_instructions(df, s)
                    .filter_map(|i| match &i.kind {
                        InstructionKind::User(w) => Some(w),
                        _ => None,
                    })
                    .last()
            });
            let image = if target + 1 == df.stages.len() {
                "the final image".to_string()
            } else {
                match df.stages.get(target).and_then(|s| s.name.as_ref()) {
                    Some(n) => format!("the image of stage `{n}` (a build target)"),
                    None => format!("the image of stage {target} (a build target)"),
                }
            };
            // no USER in the file: the base image's USER is the image's (hadolint #648)
            if user.is_none()
                && let Some(f) = model.base_facts(target)
                && f.runs_as_root()
                && !f.is_windows()
                && let Some(from) = stage_from(df, target)
                && !reported.contains(&from.span)
            {
                reported.push(from.span);
                let how = match &f.user {
                    Some(u) => format!("sets USER `{u}`"),
                    None => "sets no USER".to_string(),
                };
                cx.report(
                    from.span,
                    format!(
                        "{image} runs as root: the base image `{}` {how} and the Dockerfile never \
                         sets one; add an unprivileged USER at the end",
                        f.reference
                    ),
                );
            }
            if let Some(w) = user
                && is_root(&w.value)
                && !reported.contains(&w.span)
            {
                reported.push(w.span);
                cx.report(
                    w.span,
                    format!(
                        "{image} runs as `{}`: switch to an unprivileged USER at the end",
                        w.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_root_as_last_user_of_final_image() {
        assert_eq!(
            lines(&LastUserRoot, "FROM a\nUSER app\nRUN x\nUSER root\n"),
            vec![4]
        );
        assert_eq!(
            lines(
                &LastUserRoot,
                "FROM a AS base\nUSER 0:0\nFROM base\nRUN x\n"
            ),
            vec![2]
        );
    }

    /// A stage nothing else uses is an image of its own (`docker build --target`).
    #[test]
    fn flags_root_in_every_build_target() {
        assert_eq!(
            lines(
                &LastUserRoot,
                "FROM a AS dev\nUSER root\nFROM b\nUSER app\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn unprivileged_or_build_stage_root_is_fine() {
        // the build stage is used by the final one: only the final stage is an image
        assert!(
            lines(
                &LastUserRoot,
                "FROM a AS build\nUSER root\nFROM b\nCOPY --from=build /x /x\nUSER app\n"
            )
            .is_empty()
        );
        assert!(
            lines(
                &LastUserRoot,
                "FROM a AS build\nUSER root\nFROM b\nCOPY --from=build /x /x\n"
            )
            .is_empty()
        );
        assert!(lines(&LastUserRoot, "FROM a\nUSER root\nRUN x\nUSER 1000\n").is_empty());
    }

    /// hadolint issue #648: with the base image's facts, a file that never sets USER runs as
    /// the base's user.
    #[test]
    fn base_image_user_counts_when_the_file_sets_none() {
        use crate::lint::testing::{base_facts, run_with_base};
        let root = base_facts(
            "container-registry.oracle.com/os/oraclelinux:8",
            &[],
            None,
            None,
        );
        let d = run_with_base(
            &LastUserRoot,
            "FROM container-registry.oracle.com/os/oraclelinux:8
",
            &root,
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("sets no USER"), "{}", d[0].message);
        let nonroot = base_facts("gcr.io/distroless/static:nonroot", &[], Some("65532"), None);
        assert!(
            run_with_base(
                &LastUserRoot,
                "FROM gcr.io/distroless/static:nonroot
COPY app /app
",
                &nonroot
            )
            .is_empty()
        );
        // an explicit USER in the file wins over the base's
        assert!(
            run_with_base(
                &LastUserRoot,
                "FROM debian
USER app
",
                &root
            )
            .is_empty()
        );
        let d = run_with_base(
            &LastUserRoot,
            "FROM distroless
USER root
",
            &nonroot,
        );
        assert_eq!(d.len(), 1);
        // without facts, as hadolint: nothing to say
        assert!(
            lines(
                &LastUserRoot,
                "FROM container-registry.oracle.com/os/oraclelinux:8
"
            )
            .is_empty()
        );
    }
}
