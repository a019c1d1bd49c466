//! Starts `dlint lsp` for Dockerfiles: the `dlint` found on the worktree's PATH.

use zed_extension_api as zed;

struct Dlint;

impl zed::Extension for Dlint {
    fn new() -> Self {
        Dlint
    }

    fn language_server_command(
        &mut self,
        _id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let command = worktree.which("dlint").ok_or_else(|| {
            "dlint is not on PATH (pipx install dlint-docker, see docs/install.md)".to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".into()],
            env: Vec::new(),
        })
    }
}

zed::register_extension!(Dlint);
