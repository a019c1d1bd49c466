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
    ]
}
