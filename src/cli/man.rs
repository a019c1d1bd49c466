//! `dlint man`: roff man pages (clap_mangen).

use crate::{Error, Result};
use clap::CommandFactory;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write dlint.1 and one dlint-SUBCOMMAND.1 per subcommand into this directory instead of
    /// printing dlint.1 to stdout.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

fn render(cmd: clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| Error::Other(format!("rendering the man page: {e}")))?;
    Ok(out)
}

/// Prints the man page, or writes all pages into `--out-dir`.
pub fn run(args: ManArgs) -> Result<ExitCode> {
    let cmd = super::Cli::command();
    let Some(dir) = args.out_dir else {
        super::write_stdout(&render(cmd)?)?;
        return Ok(ExitCode::from(super::EXIT_OK));
    };
    let io = |path: PathBuf| move |source| Error::Io { path, source };
    std::fs::create_dir_all(&dir).map_err(io(dir.clone()))?;
    let page = dir.join("dlint.1");
    std::fs::write(&page, render(cmd.clone())?).map_err(io(page.clone()))?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("dlint-{}", sub.get_name());
        let page = dir.join(format!("{name}.1"));
        let sub = sub
            .clone()
            .name(name.clone())
            .bin_name(name.replacen('-', " ", 1));
        std::fs::write(&page, render(sub)?).map_err(io(page.clone()))?;
    }
    Ok(ExitCode::from(super::EXIT_OK))
}
