//! Rules of the `shell_usage` family: other RUN-body checks (cd, sudo, wget, pipes, comments
//! swallowing commands).

mod dl3001_pointless_command;
mod dl3003_cd;
mod dl3004_sudo;
mod dl3046_useradd_uid;
mod dl3047_wget_progress;
mod dl4001_wget_and_curl;
mod dl4005_ln_bin_sh;
mod dl4006_pipefail;
mod dl5002_comment_swallows;

use crate::dockerfile::Span;
use crate::lint::{Context, Rule};
use crate::shell::Command;
use crate::shell::run::analyze;

pub use dl3001_pointless_command::PointlessCommand;
pub use dl3003_cd::CdInsteadOfWorkdir;
pub use dl3004_sudo::Sudo;
pub use dl3046_useradd_uid::UseraddLargeUid;
pub use dl3047_wget_progress::WgetProgress;
pub use dl4001_wget_and_curl::WgetAndCurl;
pub use dl4005_ln_bin_sh::LnBinSh;
pub use dl4006_pipefail::PipefailMissing;
pub use dl5002_comment_swallows::CommentSwallowsCommands;

/// Every rule of this family.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(PointlessCommand),
        Box::new(CdInsteadOfWorkdir),
        Box::new(Sudo),
        Box::new(UseraddLargeUid),
        Box::new(WgetProgress),
        Box::new(WgetAndCurl),
        Box::new(LnBinSh),
        Box::new(PipefailMissing),
        Box::new(CommentSwallowsCommands),
    ]
}

/// Reports what `f` returns for every command of every shell-form RUN.
pub(crate) fn each_command(
    cx: &mut Context<'_>,
    mut f: impl FnMut(&Command) -> Option<(Span, String)>,
) {
    let a = analyze(cx.dockerfile);
    let mut found = Vec::new();
    for run in &a.runs {
        let Some(script) = &run.script else { continue };
        found.extend(script.commands.iter().filter_map(&mut f));
    }
    for (span, msg) in found {
        cx.report(span, msg);
    }
}
