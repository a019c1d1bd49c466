//! Rules of the `shell` family: other RUN-body checks (cd, sudo, wget, pipes, comments
//! swallowing commands).

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl3001_pointless_command;
pub mod dl3003_cd_instead_of_workdir;
pub mod dl3004_sudo;
pub mod dl3046_useradd_large_uid;
pub mod dl3047_wget_progress;
pub mod dl4001_wget_and_curl;
pub mod dl4005_ln_bin_sh;
pub mod dl4006_pipefail_missing;
pub mod dl5002_comment_swallows_commands;
pub mod dl5114_remote_script_piped_to_shell;
pub mod dl5144_download_without_retry;
pub mod dl5146_curl_without_location;
pub mod dl5147_curl_without_fail;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl3001_pointless_command::PointlessCommand),
        Box::new(dl3003_cd_instead_of_workdir::CdInsteadOfWorkdir),
        Box::new(dl3004_sudo::Sudo),
        Box::new(dl3046_useradd_large_uid::UseraddLargeUid),
        Box::new(dl3047_wget_progress::WgetProgress),
        Box::new(dl4001_wget_and_curl::WgetAndCurl),
        Box::new(dl4005_ln_bin_sh::LnBinSh),
        Box::new(dl4006_pipefail_missing::PipefailMissing),
        Box::new(dl5002_comment_swallows_commands::CommentSwallowsCommands),
        Box::new(dl5114_remote_script_piped_to_shell::RemoteScriptPipedToShell),
        Box::new(dl5144_download_without_retry::DownloadWithoutRetry),
        Box::new(dl5146_curl_without_location::CurlWithoutLocation),
        Box::new(dl5147_curl_without_fail::CurlWithoutFail),
    ]
}

use crate::dockerfile::Span;
use crate::lint::Context;
use crate::shell::Command;

/// Reports what `f` returns for every command of every shell-form RUN.
pub(crate) fn each_command(
    cx: &mut Context<'_>,
    mut f: impl FnMut(&Command) -> Option<(Span, String)>,
) {
    for run in &cx.analysis().runs {
        let Some(script) = &run.script else { continue };
        for (span, msg) in script.commands.iter().filter_map(&mut f) {
            cx.report(span, msg);
        }
    }
}
