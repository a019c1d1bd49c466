//! DL5142 (opt-in): the final image creates a user (`useradd`, `adduser`) but still runs as root.

use crate::lint::helpers::stage_instructions;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::semantic::users::created_user;

/// DL5142 `user-created-never-used`.
pub struct UserCreatedNeverUsed;

impl Rule for UserCreatedNeverUsed {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5142",
            name: "user-created-never-used",
            severity: Severity::Info,
            summary: "A user is created but the final image never switches to it",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some((_, chain)) = super::final_root_chain(cx) else {
            return;
        };
        let df = cx.dockerfile;
        // A user handed files (`--chown`, `chown`) is part of a deliberate set-up (an
        // entrypoint that drops to it, say): only users nothing refers to are reported.
        let mut owners = String::new();
        for &s in &chain {
            for i in stage_instructions(df, s) {
                if let Some(v) = i.flag_value("chown") {
                    owners.push_str(v);
                    owners.push(' ');
                }
            }
        }
        let mut created = Vec::new();
        for &s in chain.iter().rev() {
            for run in cx.analysis().stage_runs(s) {
                let Some(script) = &run.script else { continue };
                for c in &script.commands {
                    if matches!(c.name(), Some("chown" | "chgrp")) {
                        for w in c.args() {
                            owners.push_str(&w.value);
                            owners.push(' ');
                        }
                    }
                    if let Some(name) = created_user(c) {
                        created.push((name, c.span));
                    }
                }
            }
        }
        let referenced = |name: &str| {
            owners
                .split(|ch: char| ch.is_whitespace() || ch == ':' || ch == '.')
                .any(|w| w == name)
        };
        // only the first user nobody refers to: one finding per image
        if let Some((name, span)) = created.into_iter().find(|(n, _)| !referenced(n)) {
            cx.report(
                span,
                format!(
                    "user `{name}` is created but the final image still runs as root: add \
                     `USER {name}` before the CMD/ENTRYPOINT (or drop to it with gosu/setpriv in \
                     the entrypoint)"
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
    fn flags_a_user_never_switched_to() {
        let src = "FROM debian:12\nRUN useradd -m app\nCOPY app /app\nCMD [\"/app\"]\n";
        assert_eq!(lines(&UserCreatedNeverUsed, src), [2]);
        let src =
            "FROM debian:12 AS base\nRUN adduser --disabled-password app\nFROM base\nUSER root\n";
        assert_eq!(lines(&UserCreatedNeverUsed, src), [2]);
    }

    #[test]
    fn switching_owning_or_dropping_passes() {
        for src in [
            "FROM debian:12\nRUN useradd app\nUSER app\n",
            "FROM debian:12\nRUN useradd app\nCOPY --chown=app:app . /app\n",
            "FROM debian:12\nRUN useradd app && chown -R app /data\n",
            "FROM debian:12\nRUN useradd app\nENTRYPOINT [\"gosu\", \"app\", \"/run\"]\n",
            "FROM alpine:3\nRUN adduser -D app && apk add --no-cache su-exec\nENTRYPOINT [\"/entrypoint.sh\"]\n",
            "FROM debian:12 AS build\nRUN useradd app\nFROM debian:12\nCOPY --from=build /etc/passwd /etc/passwd\n",
        ] {
            assert!(lines(&UserCreatedNeverUsed, src).is_empty(), "{src}");
        }
    }
}
