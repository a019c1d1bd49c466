//! DL3066 (hadolint DL3066): the final image's USER is a name, not a numeric UID.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{stage_instructions, unquote};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `USER app` as the image's user: Kubernetes (`runAsNonRoot`) and other runtimes cannot tell
/// from a name that the user is not root, so they refuse to start the container.
pub struct UserNotNumeric;

/// Windows container accounts: Windows has no numeric user ids.
const WINDOWS_USERS: &[&str] = &["containeruser", "containeradministrator"];

impl Rule for UserNotNumeric {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3066",
            name: "user-not-numeric",
            severity: Severity::Info,
            summary: "USER should be a numeric UID",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let Some(last) = df.stages.len().checked_sub(1) else {
            return;
        };
        // the USER in effect for the image: the last one in the final stage, else in the
        // stages it is built on (as DL3002)
        let found = model.stage_chain(last).into_iter().find_map(|s| {
            stage_instructions(df, s)
                .filter_map(|i| match &i.kind {
                    InstructionKind::User(w) => Some((i, w)),
                    _ => None,
                })
                .last()
        });
        let Some((ins, word)) = found else {
            // no USER in the file: with facts, the base image's USER is the image's
            if let Some(f) = model.base_facts(last)
                && let Some(u) = f.user.as_deref()
                && let Some(from) = crate::lint::helpers::stage_from(df, last)
                && !model.is_windows_stage(last)
            {
                let name = u.split(':').next().unwrap_or("").trim();
                if !name.is_empty() && !name.bytes().all(|b| b.is_ascii_digit()) && name != "root" {
                    cx.report(
                        from.span,
                        format!(
                            "the image runs as user `{name}`, set by the base image `{}`, a name: \
                             runtimes that must prove the user is not root (Kubernetes \
                             `runAsNonRoot`) need a numeric UID: add its UID as `USER`",
                            f.reference
                        ),
                    );
                }
            }
            return;
        };
        // Windows has no numeric user ids
        if ins.stage.is_some_and(|s| model.is_windows_stage(s)) {
            return;
        }
        let raw = unquote(&word.value);
        let value = if raw.contains('$') {
            let index = df.instructions.iter().position(|x| std::ptr::eq(x, ins));
            let Some(Ok(e)) =
                index.and_then(|i| model.with_scope(i, |env| env.expand(raw, df.escape)))
            else {
                return;
            };
            // a variable without a known value may well hold a number: say nothing
            if !e.unset.is_empty() {
                return;
            }
            e.value
        } else {
            raw.to_string()
        };
        let user = value.split(':').next().unwrap_or("").trim();
        if user.is_empty()
            || user.bytes().all(|b| b.is_ascii_digit())
            // root is reported by DL3002
            || user == "root"
            || WINDOWS_USERS.contains(&user.to_ascii_lowercase().as_str())
        {
            return;
        }
        let shown = if value == raw {
            format!("`{user}`")
        } else {
            format!("`{user}` (from `{raw}`)")
        };
        cx.report(
            word.span,
            format!(
                "the image runs as user {shown}, a name: runtimes that must prove the user is not root \
                 (Kubernetes `runAsNonRoot`) need a numeric UID, e.g. `USER 10001` (or `10001:10001`)"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_a_named_final_user() {
        assert_eq!(lines(&UserNotNumeric, "FROM a\nUSER app\n"), [2]);
        assert_eq!(lines(&UserNotNumeric, "FROM a\nUSER app:1000\n"), [2]);
        assert_eq!(
            lines(&UserNotNumeric, "FROM a\nARG U=node\nUSER ${U}\n"),
            [3]
        );
        // inherited from the stage the final one is built on
        assert_eq!(
            lines(
                &UserNotNumeric,
                "FROM a AS base\nUSER app\nFROM base\nRUN x\n"
            ),
            [2]
        );
    }

    #[test]
    fn numeric_root_unknown_and_build_stage_users_pass() {
        for src in [
            "FROM a\nUSER 1000\n",
            "FROM a\nUSER 1000:app\n",
            "FROM a\nUSER root\n",
            "FROM a\nUSER ${NB_UID}\n",
            "FROM a\nARG UID=1001\nUSER $UID:$UID\n",
            "FROM a\nUSER app\nRUN x\nUSER 1000\n",
            "FROM a AS build\nUSER app\nFROM b\nRUN x\n",
            "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER zabbix\n",
            "FROM a\nSHELL [\"pwsh\", \"-Command\"]\nUSER zabbix\n",
            "FROM a\nWORKDIR C:\\\\zabbix\nUSER zabbix\n",
            "FROM a\n",
        ] {
            assert!(lines(&UserNotNumeric, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn base_image_named_user() {
        use crate::lint::testing::{base_facts, run_with_base};
        let named = base_facts("node", &[], Some("node"), None);
        assert_eq!(
            run_with_base(
                &UserNotNumeric,
                "FROM node
COPY . /app
",
                &named
            )
            .len(),
            1
        );
        let numeric = base_facts("distroless", &[], Some("65532:65532"), None);
        assert!(
            run_with_base(
                &UserNotNumeric,
                "FROM distroless
",
                &numeric
            )
            .is_empty()
        );
        // the file's own USER decides
        assert!(
            run_with_base(
                &UserNotNumeric,
                "FROM node
USER 1000
",
                &named
            )
            .is_empty()
        );
        assert!(
            lines(
                &UserNotNumeric,
                "FROM node
COPY . /app
"
            )
            .is_empty()
        );
    }
}
