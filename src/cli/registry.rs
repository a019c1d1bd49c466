//! Registry flags shared by `dlint image` and `dlint compare`.

use crate::image::registry::RegistryOptions;

/// How to reach registries for `docker://` / `oci://` / `NAME:TAG` inputs.
#[derive(Clone, Default, clap::Args)]
pub struct RegistryArgs {
    /// Registry credentials `USER:PASSWORD` (else DLINT_REGISTRY_USER / DLINT_REGISTRY_PASSWORD,
    /// $REGISTRY_AUTH_FILE, containers auth.json, ~/.docker/config.json and its helpers).
    #[arg(long, value_name = "USER:PASSWORD")]
    pub creds: Option<String>,
    /// Reach this registry (`host` or `host:port`) over plain HTTP; localhost and 127.0.0.0/8
    /// always are. Repeatable.
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
}

impl std::fmt::Debug for RegistryArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryArgs")
            .field("creds", &self.creds.as_ref().map(|_| "<redacted>"))
            .field("insecure_registry", &self.insecure_registry)
            .finish()
    }
}

impl RegistryArgs {
    /// The library's options.
    pub fn options(&self) -> RegistryOptions {
        RegistryOptions {
            creds: self.creds.clone(),
            insecure: self.insecure_registry.clone(),
        }
    }
}
