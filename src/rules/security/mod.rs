//! Rules of the `security` family: users, trusted registries, secrets.

use crate::lint::Rule;

pub mod dl3002_last_user_root;
pub mod dl3026_untrusted_registry;
pub mod dl5108_secrets_in_arg_or_env;

/// Every rule of this family.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(dl3002_last_user_root::LastUserRoot),
        Box::new(dl3026_untrusted_registry::UntrustedRegistry),
        Box::new(dl5108_secrets_in_arg_or_env::SecretsInArgOrEnv),
    ]
}
