//! `dlint lsp`: a language server over stdio. Diagnostics on open, change and save of
//! Dockerfiles and Containerfiles (the rules and config of `dlint lint`; changes debounced,
//! config files watched), code actions from
//! fixes and inline ignores, hover with the rule's page. Positions are UTF-16 (the protocol's
//! default encoding).

pub mod convert;
pub mod debounce;
pub mod document;
pub mod position;
pub mod server;
pub mod transport;

pub use server::{Server, ServerError};

/// Serves the client on stdin/stdout until it sends `shutdown` and `exit`.
pub fn serve_stdio(registry: &crate::lint::Registry) -> Result<(), ServerError> {
    let root = std::env::current_dir().unwrap_or_default();
    let stdout = std::io::stdout();
    let mut server = Server::new(registry, stdout.lock(), root);
    server.run(std::io::BufReader::new(std::io::stdin()))
}
