//! Registry flags shared by `dlint image` and `dlint compare`.

use crate::image::registry::{RegistryOptions, Secret};

/// How to reach registries for `docker://` / `oci://` / `NAME:TAG` inputs.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RegistryArgs {
    /// Registry credentials `USER:PASSWORD` (else DLINT_REGISTRY_USER / DLINT_REGISTRY_PASSWORD,
    /// $REGISTRY_AUTH_FILE, containers auth.json, ~/.docker/config.json and its helpers).
    #[arg(long, value_name = "USER:PASSWORD")]
    pub creds: Option<Secret>,
    /// Reach this registry (`host` or `host:port`) over plain HTTP; localhost and 127.0.0.0/8
    /// always are. Repeatable.
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
}

impl RegistryArgs {
    /// The library's options.
    pub fn options(&self) -> RegistryOptions {
        RegistryOptions {
            creds: self.creds.clone(),
            insecure: self.insecure_registry.clone(),
            fail_fast: None,
        }
    }
}
