#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = dlint::cli::parse_args(std::env::args_os());
    match dlint::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dlint: error: {err}");
            ExitCode::from(2)
        }
    }
}
