//! Rules of the `security` family: users, trusted registries, secrets.

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl3002_last_user_root;
pub mod dl3026_untrusted_registry;
pub mod dl3064_secrets_in_arg_or_env;
pub mod dl3066_user_not_numeric;
pub mod dl5112_tls_verification_disabled;
pub mod dl5113_package_signature_check_disabled;
pub mod dl5115_secret_file_copied;
pub mod dl5117_no_user;
pub mod dl5142_user_created_never_used;
pub mod dl5143_stateful_root_runtime;
pub mod dl5148_ssh_port_exposed;
pub mod dl5151_secret_in_dockerfile;
pub mod dl5155_world_writable_path;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl3002_last_user_root::LastUserRoot),
        Box::new(dl3026_untrusted_registry::UntrustedRegistry),
        Box::new(dl3064_secrets_in_arg_or_env::SecretsInArgOrEnv),
        Box::new(dl3066_user_not_numeric::UserNotNumeric),
        Box::new(dl5112_tls_verification_disabled::TlsVerificationDisabled),
        Box::new(dl5113_package_signature_check_disabled::PackageSignatureCheckDisabled),
        Box::new(dl5115_secret_file_copied::SecretFileCopied),
        Box::new(dl5117_no_user::NoUser),
        Box::new(dl5142_user_created_never_used::UserCreatedNeverUsed),
        Box::new(dl5143_stateful_root_runtime::StatefulRootRuntime),
        Box::new(dl5148_ssh_port_exposed::SshPortExposed),
        Box::new(dl5151_secret_in_dockerfile::SecretInDockerfile),
        Box::new(dl5155_world_writable_path::WorldWritablePath),
    ]
}

use crate::dockerfile::{Instruction, InstructionKind, Keyword};
use crate::lint::Context;
use crate::lint::helpers::{stage_from, stage_instructions, unquote};

/// Programs an entrypoint uses to start the service as another user.
const PRIVILEGE_DROP: &[&str] = &["gosu", "su-exec", "suexec", "setpriv"];

/// The final stage and the stages it is built on (nearest first), when the final image runs as
/// root: no USER or a root USER last, no privilege-dropping tool in ENTRYPOINT/CMD nor installed or
/// run by a RUN (`apk add su-exec`, `wget -O /usr/local/bin/gosu ...`), not a
/// scratch, Windows or known non-root (distroless `:nonroot`, Chainguard) base.
pub(crate) fn final_root_chain(cx: &Context<'_>) -> Option<(usize, Vec<usize>)> {
    let df = cx.dockerfile;
    let model = cx.model();
    let last = df.stages.len().checked_sub(1)?;
    let chain = model.stage_chain(last);
    let in_chain = || chain.iter().rev().flat_map(|&s| stage_instructions(df, s));
    let last_user = in_chain().filter(|i| i.keyword == Keyword::User).last();
    if let Some(InstructionKind::User(w)) = last_user.map(|i| &i.kind) {
        let user = unquote(&w.value).split(':').next().unwrap_or("").trim();
        if user != "root" && user != "0" {
            return None;
        }
    }
    let starts: Vec<&Instruction> = in_chain()
        .filter(|i| matches!(i.keyword, Keyword::Entrypoint | Keyword::Cmd))
        .collect();
    if starts.iter().any(|i| {
        i.args
            .text
            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']'))
            .any(|w| PRIVILEGE_DROP.contains(&crate::shell::basename(w)))
    }) {
        return None;
    }
    // an image that installs or runs one of those tools has an entrypoint that uses it
    let drops_in_run = chain.iter().any(|&s| {
        cx.analysis().stage_runs(s).any(|r| {
            r.script.as_ref().is_some_and(|sc| {
                sc.commands.iter().any(|c| {
                    c.words
                        .iter()
                        .any(|w| PRIVILEGE_DROP.contains(&crate::shell::basename(&w.value)))
                })
            })
        })
    });
    if drops_in_run {
        return None;
    }
    let root = chain.last().and_then(|&s| stage_from(df, s))?;
    let InstructionKind::From { image, .. } = &root.kind else {
        return None;
    };
    let img = image.value.to_ascii_lowercase();
    if img == "scratch"
        || img.contains("nonroot")
        || img.starts_with("cgr.dev/")
        || model.is_windows_stage(last)
    {
        return None;
    }
    Some((last, chain))
}
